//! A fitted model's objective at its optimum, kept so that later questions start from it
//! without fitting again, as lme4's `merMod` keeps its deviance function and glmmTMB its `obj`:
//! profile-likelihood intervals hold one parameter at a time at a value and maximise the
//! objective over the others from the optimum (see [`super::optimise::profile`]).

use super::likelihood::params::ParameterSpace;
use super::optimise::maximise::PROBE;
use super::optimise::profile::{profile_interval, Maximum};
use super::prepared::Objective;
use super::FitError;
use serde::{Deserialize, Serialize};

/// A correlation parameter beyond this (a correlation within 2.5e-5 of +-1, see
/// [`super::likelihood::covariance`]) is on the flat boundary of its range.
const FLAT_CORRELATION: f64 = 100.0;

/// A parameter whose profile-likelihood interval is wanted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProfileParameter {
    /// The fixed effect at this position of [`Fit::terms`].
    Fixed(usize),
    /// theta (nbinom2) or phi (nbinom1).
    Dispersion,
    /// The standard deviation of column `column` of random-effect term `term` (design order).
    RandomSd { term: usize, column: usize },
    /// The range of the spatial field of random-effect term `term` (design order).
    FieldRange { term: usize },
}

/// A 95% profile-likelihood interval on the reported scale: the coefficient for a fixed
/// effect, theta or phi for the dispersion, the standard deviation for a random effect.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProfileInterval {
    pub parameter: ProfileParameter,
    /// `None` where the profile does not reach the 95% level before the parameter's bound
    /// (a standard deviation at zero, a dispersion at the edge of its range).
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// The profile deviance `2 (logLik_max - logLik_profile)` at each limit (3.841459).
    pub low_deviance: Option<f64>,
    pub high_deviance: Option<f64>,
}

/// The objective of a fit at its maximum: the estimates `psi` (see
/// [`super::likelihood::params`]), the log-likelihood there, their covariance and the space
/// they were sought in.
#[derive(Clone, Debug)]
pub struct Optimum {
    objective: Objective,
    space: ParameterSpace,
    psi: Vec<f64>,
    loglik: f64,
    /// Covariance of `psi` (`len x len`, row-major); NaN for parameters held at a bound or
    /// when the Hessian is not positive definite.
    cov: Vec<f64>,
}

impl Optimum {
    pub(super) fn new(
        objective: Objective,
        space: ParameterSpace,
        psi: Vec<f64>,
        loglik: f64,
        cov: Vec<f64>,
    ) -> Optimum {
        Optimum { objective, space, psi, loglik, cov }
    }

    /// The estimates `psi = (beta, tau, theta)`.
    pub fn psi(&self) -> &[f64] {
        &self.psi
    }

    /// The maximised log-likelihood.
    pub fn loglik(&self) -> f64 {
        self.loglik
    }

    /// The profile-likelihood interval of each of `parameters`, from this optimum (see
    /// [`super::optimise::profile`] for the method). The objective's state (the random
    /// effects' modes) moves while profiling; the optimum does not.
    pub fn profile(&mut self, parameters: &[ProfileParameter]) -> Result<Vec<ProfileInterval>, FitError> {
        let positions =
            parameters.iter().map(|&p| self.position(p)).collect::<Result<Vec<usize>, FitError>>()?;
        Ok(parameters
            .iter()
            .zip(positions)
            .map(|(&parameter, k)| {
                let flat = self.flat_correlations(parameter);
                let maximum = Maximum {
                    psi: &self.psi,
                    loglik: self.loglik,
                    cov: &self.cov,
                    lower: &self.space.lower,
                    upper: &self.space.upper,
                    flat: &flat,
                };
                let interval = profile_interval(&mut self.objective, &maximum, k);
                let scale =
                    |v: f64| if matches!(parameter, ProfileParameter::Fixed(_)) { v } else { v.exp() };
                ProfileInterval {
                    parameter,
                    low: interval.lower.map(|l| scale(l.value)),
                    high: interval.upper.map(|l| scale(l.value)),
                    low_deviance: interval.lower.map(|l| l.deviance),
                    high_deviance: interval.upper.map(|l| l.deviance),
                }
            })
            .collect())
    }

    /// For the SD of a random-effect column estimated near zero (below [`PROBE`] covariate
    /// units), the correlation parameters of its term estimated at +-1 (beyond
    /// [`FLAT_CORRELATION`]): the likelihood is flat in them there, since a correlation with an
    /// effect near zero hardly matters, but not once the SD is held larger. Each comes with 0
    /// (no correlation) as a value inside.
    fn flat_correlations(&self, parameter: ProfileParameter) -> Vec<(usize, f64)> {
        let ProfileParameter::RandomSd { term, column } = parameter else { return Vec::new() };
        if self.space.structured.get(term).copied().unwrap_or(false) {
            // A field's other parameter is its range, not a correlation.
            return Vec::new();
        }
        let index = &self.space.index;
        let (Some(&(start, len)), Some(&q)) = (index.theta.get(term), index.columns.get(term)) else {
            return Vec::new();
        };
        let scale = self.space.scales[term].get(column).copied().unwrap_or(1.0);
        if self.psi[start + column].exp() * scale >= PROBE {
            return Vec::new();
        }
        (start + q..start + len).filter(|&j| self.psi[j].abs() > FLAT_CORRELATION).map(|j| (j, 0.0)).collect()
    }

    /// The position of `parameter` in `psi`.
    fn position(&self, parameter: ProfileParameter) -> Result<usize, FitError> {
        let index = &self.space.index;
        let position = match parameter {
            ProfileParameter::Fixed(j) => (j < index.p).then_some(j),
            ProfileParameter::Dispersion => index.tau,
            ProfileParameter::RandomSd { term, column } => index
                .theta
                .get(term)
                .filter(|_| column < index.columns[term])
                .map(|&(start, _)| start + column),
            ProfileParameter::FieldRange { term } => index
                .theta
                .get(term)
                .filter(|_| self.space.structured.get(term).copied().unwrap_or(false))
                .map(|&(start, _)| start + 1),
        };
        position.ok_or_else(|| FitError::InvalidOptions {
            message: match parameter {
                ProfileParameter::Fixed(j) => {
                    format!("the model has no parameter to profile at fixed effect {}", j + 1)
                }
                ProfileParameter::Dispersion => {
                    "the model has no parameter to profile as dispersion (the family has none)".into()
                }
                ProfileParameter::RandomSd { term, column } => format!(
                    "the model has no parameter to profile at random-effect term {}, column {}",
                    term + 1,
                    column + 1
                ),
                ProfileParameter::FieldRange { term } => {
                    format!(
                        "random-effect term {} is not a spatial field: it has no range to profile",
                        term + 1
                    )
                }
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::optimise::profile::{refitted_at, CHI2_95};
    use super::*;
    use crate::fit::testdata::{design, grouped, term, Rng};
    use crate::fit::{prepare, Family, FitOptions};

    /// A random slope with no variation across groups: its SD is estimated near zero with the
    /// correlation at +-1, where the likelihood is flat in it, and once the SD is held larger a
    /// correlation inside can fit better. The profile is the higher of the two: refitting at the
    /// upper limit from the boundary or from a correlation inside finds no log-likelihood above
    /// the profile's there, on simulated data sets of random size.
    #[test]
    fn the_profile_of_a_near_zero_sd_is_the_higher_of_the_boundary_and_the_inside() {
        let mut checked = 0;
        for seed in 0..12u64 {
            let mut rng = Rng::new(seed);
            let (groups, rows) = (12 + (seed as usize * 5) % 13, 20 + (seed as usize * 7) % 15);
            let s = grouped(&mut rng, groups, rows, 1);
            let b: Vec<f64> = (0..groups).map(|_| 0.5 * rng.normal()).collect();
            let y = (0..s.x.len())
                .map(|i| rng.poisson((0.3 * s.x[i] + s.offset[i] - 4.0 + b[s.group[i]]).exp()) as f64)
                .collect();
            let d = design(&s, y, vec![term(&s, "g", &s.group, true)]);
            let (_, mut optimum) =
                prepare(&d, Family::Poisson, &FitOptions::default()).unwrap().fit(&d, &mut |_| {}).unwrap();
            let sd = ProfileParameter::RandomSd { term: 0, column: 1 };
            if optimum.flat_correlations(sd).is_empty() {
                continue;
            }
            checked += 1;
            let high = optimum.profile(&[sd]).unwrap()[0].high.expect("an upper limit");
            let (k, corr) = (optimum.position(sd).unwrap(), optimum.psi.len() - 1);
            let maximum = Maximum {
                psi: &optimum.psi.clone(),
                loglik: optimum.loglik,
                cov: &optimum.cov.clone(),
                lower: &optimum.space.lower.clone(),
                upper: &optimum.space.upper.clone(),
                flat: &[],
            };
            let at_limit = optimum.loglik - CHI2_95 / 2.0;
            for x in [optimum.psi[corr], 0.0, 1.0, -1.0] {
                let mut start = optimum.psi.clone();
                start[corr] = x;
                start[k] = high.ln();
                let ll = refitted_at(&mut optimum.objective, &maximum, k, high.ln(), &start).unwrap();
                assert!(
                    ll < at_limit + 1e-3,
                    "seed {seed}, correlation start {x}: {ll} above the profile's {at_limit}"
                );
            }
        }
        assert!(checked >= 6, "{checked} data sets with the correlation at +-1");
    }
}
