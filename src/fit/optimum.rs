//! A fitted model's objective at its optimum, kept so that later questions start from it
//! without fitting again, as lme4's `merMod` keeps its deviance function and glmmTMB its `obj`:
//! profile-likelihood intervals hold one parameter at a time at a value and maximise the
//! objective over the others from the optimum (see [`super::optimise::profile`]).

use super::likelihood::params::ParameterSpace;
use super::optimise::profile::{profile_interval, Maximum};
use super::prepared::Objective;
use super::FitError;
use serde::{Deserialize, Serialize};

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
        let maximum = Maximum {
            psi: &self.psi,
            loglik: self.loglik,
            cov: &self.cov,
            lower: &self.space.lower,
            upper: &self.space.upper,
        };
        Ok(parameters
            .iter()
            .zip(positions)
            .map(|(&parameter, k)| {
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
            },
        })
    }
}
