//! Maximum-likelihood fitting of Poisson, NB1 and NB2 GLMs and GLMMs with a log link: the
//! numerical stages of the fitting pipeline (see [`crate::pipeline`] for the whole).
//!
//! The linear predictor of row `i` is `eta_i = offset_i + x_i' beta + z_i' b` (see
//! [`crate::design`]). Random effects are integrated out by the Laplace approximation, as
//! glmmTMB does, or by adaptive Gauss-Hermite quadrature for a single scalar random intercept.
//!
//! A fit runs in three steps:
//! 1. [`prepare`] checks a design and makes it ready: the model-matrix columns kept (aliased
//!    ones dropped, [`rank`]), its random-effect structure ([`RandomStructure`]) and the
//!    objective, one of the likelihoods of [`likelihood`] behind the trait
//!    [`likelihood::LogLikelihood`], owning the data rearranged for it;
//! 2. [`Prepared::fit`] maximises it with the optimisers of [`optimise`], from the starting
//!    values of [`start`], and returns the reported numbers ([`Fit`], assembled in [`result`])
//!    with the kept [`Optimum`];
//! 3. [`Optimum::profile`] answers later questions from the objective at its optimum, without
//!    fitting again.

mod error;
pub mod field;
pub mod likelihood;
pub mod optimise;
mod optimum;
mod prepared;
mod rank;
mod result;
mod small;
pub mod sparse;
mod start;
pub mod structure;
#[cfg(test)]
mod testdata;
mod warning;
mod zero_inflation;
mod zeros;

pub use error::FitError;
pub use likelihood::agq::MAX_NODES;
pub use optimise::profile::CHI2_95;
pub use optimum::{Optimum, ProfileInterval, ProfileParameter};
pub use prepared::{check_family, check_fittable, prepare, prepare_zero_inflated, Prepared};
pub use result::{FieldFit, Fit, RandomFit};
pub use structure::{GroupingFactor, RandomStructure};
pub use warning::{Warning, WarningCode};
pub use zero_inflation::{ZeroInflationDesign, ZeroInflationFit};
pub use zeros::{zero_probability, ZERO_EXCESS_RATIO, ZERO_EXCESS_Z};

use crate::design::Design;
use serde::{Deserialize, Serialize};

/// Conditional distribution of the response: counts (Poisson, NB2, NB1, log link) or
/// successes out of trials (binomial, with its link).
///
/// Serialised as glmmTMB names the family (`poisson`, `nbinom2`, `nbinom1`, `binomial`); a
/// binomial family with another link than logit is read from `binomial_probit` or
/// `binomial_cloglog` (or `binomial(link = "probit")`), and reports carry the link beside the
/// family name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// Poisson: `var = mu`.
    Poisson,
    /// Negative binomial, quadratic variance: `var = mu + mu^2 / theta`.
    Nbinom2,
    /// Negative binomial, linear variance: `var = mu (1 + phi)`.
    Nbinom1,
    /// Binomial: `s ~ Bin(n, p)` with `link(p) = eta`, `var = n p (1 - p)`.
    Binomial(Link),
}

/// The link of a binomial family: `eta = link(p)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Link {
    /// `eta = ln(p / (1 - p))`: coefficients are log odds ratios.
    Logit,
    /// `eta = Phi^-1(p)`, the standard normal quantile.
    Probit,
    /// `eta = ln(-ln(1 - p))`: `exp(b)` is a ratio of hazards of a continuous-time process.
    Cloglog,
}

impl Link {
    /// The link as R names it.
    pub fn name(self) -> &'static str {
        match self {
            Link::Logit => "logit",
            Link::Probit => "probit",
            Link::Cloglog => "cloglog",
        }
    }

    /// The link named as R names it.
    pub fn parse(name: &str) -> Option<Link> {
        match name.trim().trim_matches(|c| c == '"' || c == '\'').to_ascii_lowercase().as_str() {
            "logit" => Some(Link::Logit),
            "probit" => Some(Link::Probit),
            "cloglog" => Some(Link::Cloglog),
            _ => None,
        }
    }
}

impl Family {
    /// The family as glmmTMB names it (`poisson`, `nbinom2`, `nbinom1`, `binomial`), as it is serialised.
    pub fn name(self) -> &'static str {
        match self {
            Family::Poisson => "poisson",
            Family::Nbinom2 => "nbinom2",
            Family::Nbinom1 => "nbinom1",
            Family::Binomial(_) => "binomial",
        }
    }

    /// The link function as R names it (`log` for the count families).
    pub fn link_name(self) -> &'static str {
        match self {
            Family::Binomial(link) => link.name(),
            _ => "log",
        }
    }

    /// The binomial family's link, `None` for a count family.
    pub fn binomial_link(self) -> Option<Link> {
        match self {
            Family::Binomial(link) => Some(link),
            _ => None,
        }
    }

    /// Whether the family is binomial (successes out of trials).
    pub fn is_binomial(self) -> bool {
        matches!(self, Family::Binomial(_))
    }

    /// Whether the family has a dispersion parameter (`theta`, `phi`).
    pub fn has_dispersion(self) -> bool {
        matches!(self, Family::Nbinom2 | Family::Nbinom1)
    }

    /// A family read from its name: `poisson`, `nbinom2`, `nbinom1`, `binomial` (logit link),
    /// `binomial_probit` / `binomial_cloglog`, or R's `binomial(link = "probit")`.
    pub fn parse(text: &str) -> Option<Family> {
        let t: String = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
        match t.as_str() {
            "poisson" => return Some(Family::Poisson),
            "nbinom2" => return Some(Family::Nbinom2),
            "nbinom1" => return Some(Family::Nbinom1),
            "binomial" | "binomial()" => return Some(Family::Binomial(Link::Logit)),
            _ => {}
        }
        if let Some(link) = t.strip_prefix("binomial_") {
            return Link::parse(link).map(Family::Binomial);
        }
        let inner = t.strip_prefix("binomial(")?.strip_suffix(')')?;
        let link = inner.strip_prefix("link=").unwrap_or(inner);
        Link::parse(link).map(Family::Binomial)
    }

    /// The mean of the response per trial at linear predictor `eta`: the rate `exp(eta)` for
    /// counts, the probability `linkinv(eta)` for a binomial family (as glmmTMB's `fitted()`).
    pub fn inverse_link(self, eta: f64) -> f64 {
        match self {
            Family::Binomial(Link::Logit) => {
                if eta >= 0.0 {
                    1.0 / (1.0 + (-eta).exp())
                } else {
                    let e = eta.exp();
                    e / (1.0 + e)
                }
            }
            Family::Binomial(Link::Probit) => {
                0.5 * statrs::function::erf::erfc(-eta / std::f64::consts::SQRT_2)
            }
            Family::Binomial(Link::Cloglog) => -(-eta.exp()).exp_m1(),
            _ => eta.exp(),
        }
    }

    /// The identifier [`Family::parse`] reads back: the name, with the link for a binomial
    /// family whose link is not logit (`binomial_probit`).
    pub fn id(self) -> String {
        match self {
            Family::Binomial(link) if link != Link::Logit => format!("binomial_{}", link.name()),
            _ => self.name().to_owned(),
        }
    }
}

impl Serialize for Family {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Family {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Family, D::Error> {
        let text = String::deserialize(deserializer)?;
        Family::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown family '{text}': expected poisson, nbinom2, nbinom1, binomial, binomial_probit or binomial_cloglog"
            ))
        })
    }
}

/// Options of the fitting engine (fields missing from a serialised form take their defaults).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FitOptions {
    /// Number of adaptive Gauss-Hermite quadrature points per group; 1 is the Laplace
    /// approximation. Values above 1 need a single scalar random intercept `(1 | g)`.
    pub nagq: usize,
    /// Maximum number of outer (quasi-Newton plus Newton) iterations.
    pub max_iter: usize,
    /// Convergence tolerance: the fit has converged when, for every parameter, the absolute
    /// gradient of the log-likelihood times the parameter's standard error is below this value
    /// (the distance to the optimum measured in standard errors).
    pub grad_tol: f64,
    /// For spatial fields: `None` chooses the exact field or the nearest-neighbour
    /// approximation by the field's size ([`field::FieldApproximation::choose`]); `Some(m)`
    /// forces the approximation with `m` neighbours.
    pub field_neighbours: Option<usize>,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions { nagq: 1, max_iter: 500, grad_tol: 1e-6, field_neighbours: None }
    }
}

impl FitOptions {
    /// Checks that the options are usable: `nagq` from 1 to [`MAX_NODES`], `max_iter` at
    /// least 1, `grad_tol` a positive number. The one check of the options, wherever they come
    /// from (a page's request, the command line).
    pub fn check(&self) -> Result<(), FitError> {
        let invalid = |message: String| Err(FitError::InvalidOptions { message });
        if self.nagq == 0 {
            return invalid(format!(
                "nagq must be at least 1 (1 is the Laplace approximation), got {}",
                self.nagq
            ));
        }
        if self.nagq > MAX_NODES {
            return invalid(format!("nagq must be at most {MAX_NODES} quadrature points, got {}", self.nagq));
        }
        if self.max_iter == 0 {
            return invalid("max_iter must be at least 1".to_owned());
        }
        if !(self.grad_tol > 0.0 && self.grad_tol.is_finite()) {
            return invalid(format!("grad_tol must be a positive number, got {}", self.grad_tol));
        }
        if let Some(m) = self.field_neighbours {
            if !(1..=field::MAX_NEIGHBOURS).contains(&m) {
                return invalid(format!(
                    "the number of neighbours of a spatial field's approximation must be from 1 to {}, got {m}",
                    field::MAX_NEIGHBOURS
                ));
            }
        }
        Ok(())
    }
}

/// A stage of a fit, as progress reports name it (serialised in lower case: `"glm"`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// The model without random effects (also the start of a mixed model).
    Glm,
    /// Quasi-Newton iterations on the Laplace approximation.
    Laplace,
    /// Quasi-Newton iterations on the adaptive Gauss-Hermite quadrature.
    Quadrature,
    /// The final Newton iterations.
    Newton,
    /// The curvature at the start of the random effects' iterations (finite differences of
    /// the gradient), reported before it is computed: a large model's start takes a while.
    Start,
    /// The curvature at the estimates (finite differences of the gradient), for the standard
    /// errors and the final Newton steps, reported before it is computed.
    Curvature,
}

/// A progress report, sent once per outer iteration.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Progress {
    /// Stage of the fit.
    pub stage: Stage,
    /// Iteration within the stage.
    pub iteration: usize,
    /// Current negative log-likelihood.
    pub objective: f64,
}

/// Fits `design` by maximum likelihood.
pub fn fit(design: &Design, family: Family, options: &FitOptions) -> Result<Fit, FitError> {
    fit_with_progress(design, family, options, &mut |_| {})
}

/// Fits `design` by maximum likelihood, calling `progress` once per outer iteration.
pub fn fit_with_progress(
    design: &Design,
    family: Family,
    options: &FitOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Fit, FitError> {
    Ok(prepare(design, family, options)?.fit(design, progress)?.0)
}
