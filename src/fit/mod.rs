//! Maximum-likelihood fitting of Poisson, NB1 and NB2 GLMs and GLMMs with a log link.
//!
//! The linear predictor of row `i` is `eta_i = offset_i + x_i' beta + z_i' b` (see
//! [`crate::design`]). Random effects are integrated out by the Laplace approximation, as
//! glmmTMB does, or by adaptive Gauss-Hermite quadrature for a single scalar random intercept.

mod agq;
mod conditional;
mod covariance;
mod error;
mod family;
mod glm;
mod laplace;
mod layout;
mod mixed;
mod optim;
mod params;
mod profile;
mod rank;
mod result;
mod small;
pub mod sparse;
mod special;
#[cfg(test)]
mod testdata;
mod warning;
mod zeros;

pub use error::FitError;
pub use profile::CHI2_95;
pub use warning::{Warning, WarningCode};
pub use zeros::{zero_probability, ZERO_EXCESS_RATIO, ZERO_EXCESS_Z};

use crate::design::{Design, ModelColumn};
use layout::Layout;
use serde::{Deserialize, Serialize};

/// Conditional distribution of the counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// Poisson: `var = mu`.
    Poisson,
    /// Negative binomial, quadratic variance: `var = mu + mu^2 / theta`.
    Nbinom2,
    /// Negative binomial, linear variance: `var = mu (1 + phi)`.
    Nbinom1,
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
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions { nagq: 1, max_iter: 500, grad_tol: 1e-6 }
    }
}

/// A progress report, sent once per outer iteration.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Progress {
    /// Stage of the fit: `"glm"` (the model without random effects, also the start of a mixed
    /// model), `"laplace"` or `"quadrature"` (quasi-Newton iterations), `"newton"` (final
    /// Newton iterations).
    pub stage: &'static str,
    /// Iteration within the stage.
    pub iteration: usize,
    /// Current negative log-likelihood.
    pub objective: f64,
}

/// A fitted model.
#[derive(Clone, Debug, Serialize)]
pub struct Fit {
    pub family: Family,
    /// Fixed-effect names kept (aliased columns removed).
    pub terms: Vec<String>,
    /// What each kept column is (term, variables, factor levels), aligned with `terms`.
    #[serde(skip)]
    pub columns: Vec<ModelColumn>,
    /// Fixed-effect estimates, in the order of `terms`.
    pub beta: Vec<f64>,
    /// Covariance of `beta` (p x p), from the inverse of the observed information of all
    /// parameters (parameters at a boundary excluded). NaN when that information is not
    /// positive definite (a warning says so).
    pub cov_beta: Vec<Vec<f64>>,
    /// Model-matrix columns dropped because they are linear combinations of earlier columns.
    pub dropped_terms: Vec<String>,
    /// Log-likelihood (Laplace or quadrature approximation for mixed models), with all
    /// normalising constants.
    pub loglik: f64,
    /// Number of estimated parameters, counted as glmmTMB counts them.
    pub df: usize,
    pub aic: f64,
    pub bic: f64,
    pub nobs: usize,
    /// `theta` for nbinom2 (`var = mu + mu^2/theta`), `phi` for nbinom1 (`var = mu (1 + phi)`),
    /// `None` for Poisson.
    pub dispersion: Option<f64>,
    /// Standard error of `log(dispersion)`; `None` for Poisson and when the dispersion is held
    /// at the edge of its range.
    pub dispersion_se_log: Option<f64>,
    /// One entry per random-effect term of the design, in the same order.
    pub random: Vec<RandomFit>,
    pub converged: bool,
    /// A variance estimated as (near) zero or a correlation near +-1.
    pub singular: bool,
    /// Warnings with their codes and advice.
    pub warnings: Vec<Warning>,
    /// Outer iterations used.
    pub iterations: usize,
    /// Largest absolute gradient of the log-likelihood over all parameters at the estimate.
    pub max_abs_gradient: f64,
    /// Fitted means `mu_i`, random effects at their conditional modes, in design row order.
    pub fitted: Vec<f64>,
    /// `offset + X beta`, without random effects, in design row order.
    pub linear_predictor_fixed: Vec<f64>,
}

/// The estimates for one random-effect term `(terms | group)`.
#[derive(Clone, Debug, Serialize)]
pub struct RandomFit {
    pub group: String,
    pub terms: Vec<String>,
    /// Standard deviations of the random effects, one per term.
    pub sd: Vec<f64>,
    /// Correlation matrix (the 1 x 1 identity for a scalar term).
    pub corr: Vec<Vec<f64>>,
    pub levels: Vec<String>,
    /// Conditional modes `b_j`, one row per level, one column per term.
    pub modes: Vec<Vec<f64>>,
    /// Conditional standard deviations of the modes (same shape as `modes`), as glmmTMB's
    /// `ranef(condVar = TRUE)`: the square root of `(H^-1)_rr + J_r V J_r'`, the inverse Hessian
    /// of the random effects plus the uncertainty of the estimated parameters carried through
    /// the mode (see [`conditional`]). Levels without rows keep their prior SD.
    pub mode_sd: Vec<Vec<f64>>,
    /// Covariance of each mode with each fixed effect: per level, per term, one value per entry
    /// of [`Fit::terms`] (`(J V)_r,beta`; zero for levels without rows).
    pub mode_cov_fixed: Vec<Vec<Vec<f64>>>,
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
    check_structure(design, options)?;
    let (kept, layout, glm) = start(design, family, options, progress)?;
    let dropped: Vec<String> =
        (0..design.x.ncols()).filter(|j| !kept.contains(j)).map(|j| design.x_names[j].clone()).collect();
    let mut warnings = Vec::new();
    if !dropped.is_empty() {
        warnings.push(Warning::rank_deficient(format!(
            "the fixed effects are rank deficient: dropped {} ({} a linear combination of earlier columns)",
            dropped.iter().map(|d| format!("'{d}'")).collect::<Vec<_>>().join(", "),
            if dropped.len() == 1 { "it is" } else { "each is" }
        )));
    }
    let kept_names: Vec<String> = kept.iter().map(|&j| design.x_names[j].clone()).collect();
    let kept_columns: Vec<ModelColumn> = kept.iter().map(|&j| design.x_columns[j].clone()).collect();
    let fit = if layout.is_mixed() {
        result::mixed_fit(
            design,
            &layout,
            family,
            options,
            &glm,
            kept_names,
            kept_columns,
            dropped,
            warnings,
            progress,
        )?
    } else {
        result::glm_fit(&layout, family, &glm, kept_names, kept_columns, dropped, warnings)
    };
    Ok(fit)
}

/// Checks everything a fit of `design` checks before it starts optimising: the options, the
/// design's shapes and values, the quadrature request and the random-effect structure (at most
/// two grouping factors, nested). `Ok` means [`fit`] will run (it may still fail to converge).
pub fn check_fittable(design: &Design, options: &FitOptions) -> Result<(), FitError> {
    check_structure(design, options)?;
    let kept = rank::independent_columns(&design.x, rank::RANK_TOLERANCE);
    Layout::new(design, &kept).map(|_| ())
}

/// The checks of options, design and quadrature shared by [`fit_with_progress`] and
/// [`check_fittable`].
fn check_structure(design: &Design, options: &FitOptions) -> Result<(), FitError> {
    check_options(options)?;
    layout::validate(design)?;
    if options.nagq > 1 {
        let scalar = design.random.len() == 1 && design.random[0].terms.len() == 1;
        if !scalar {
            return Err(FitError::QuadratureNotSupported {
                message: format!(
                    "adaptive Gauss-Hermite quadrature (nagq = {}) needs a single scalar random effect \
                     such as (1 | group); this model has {}; use nagq = 1 (Laplace)",
                    options.nagq,
                    describe_random(design)
                ),
            });
        }
    }
    Ok(())
}

/// The kept model-matrix columns, the layout and the GLM fit (the start of a mixed model).
fn start(
    design: &Design,
    family: Family,
    options: &FitOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<(Vec<usize>, Layout, glm::GlmFit), FitError> {
    let kept = rank::independent_columns(&design.x, rank::RANK_TOLERANCE);
    let layout = Layout::new(design, &kept)?;
    let glm =
        glm::fit_glm(&layout, family, options.grad_tol, options.max_iter, progress).ok_or_else(|| {
            FitError::NumericalFailure {
                message: "the likelihood cannot be evaluated at the starting values (the counts may be too \
                      extreme for the offset and covariates)"
                    .into(),
            }
        })?;
    Ok((kept, layout, glm))
}

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

/// Fits `design` and computes the profile-likelihood interval of each of `parameters` (see
/// [`profile`] for the method).
pub fn profile_intervals(
    design: &Design,
    family: Family,
    options: &FitOptions,
    parameters: &[ProfileParameter],
) -> Result<Vec<ProfileInterval>, FitError> {
    check_options(options)?;
    layout::validate(design)?;
    let (_, layout, glm) = start(design, family, options, &mut |_| {})?;
    let index = params::ParamIndex::new(&layout, family);
    let positions = parameters
        .iter()
        .map(|&parameter| {
            let position = match parameter {
                ProfileParameter::Fixed(j) => (j < layout.p).then_some(j),
                ProfileParameter::Dispersion => index.tau,
                ProfileParameter::RandomSd { term, column } => index
                    .theta
                    .get(term)
                    .filter(|_| column < layout.slots[term].q)
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
        })
        .collect::<Result<Vec<usize>, FitError>>()?;
    let internal;
    if layout.is_mixed() {
        let (est, mut laplace) = mixed::fit_mixed(&layout, family, options, &glm, &mut |_| {})?;
        let scales = mixed::column_scales(&layout);
        let (lower, upper) = mixed::psi_bounds(&index, &scales);
        let profiles = |model: &mut dyn mixed::LogLikelihood| {
            let mut opt = profile::Optimum {
                model,
                psi: est.psi.clone(),
                loglik: est.loglik,
                cov: est.cov.clone(),
                lower: lower.clone(),
                upper: upper.clone(),
            };
            positions.iter().map(|&k| profile::profile_interval(&mut opt, k)).collect::<Vec<_>>()
        };
        if options.nagq > 1 {
            internal = profiles(&mut agq::Quadrature::new(&mut laplace, options.nagq));
        } else {
            internal = profiles(&mut laplace);
        }
    } else {
        let mut psi = glm.beta.clone();
        psi.extend(glm.tau);
        let len = psi.len();
        let mut lower = vec![f64::NEG_INFINITY; len];
        let mut upper = vec![f64::INFINITY; len];
        if let Some(t) = index.tau {
            (lower[t], upper[t]) = glm::TAU_BOUNDS;
        }
        let mut model = glm::GlmLikelihood { layout: &layout, family };
        let mut opt = profile::Optimum {
            model: &mut model,
            psi,
            loglik: glm.loglik,
            cov: glm.cov.clone(),
            lower,
            upper,
        };
        internal = positions.iter().map(|&k| profile::profile_interval(&mut opt, k)).collect::<Vec<_>>();
    }
    Ok(parameters
        .iter()
        .zip(internal)
        .map(|(&parameter, interval)| {
            let scale = |v: f64| if matches!(parameter, ProfileParameter::Fixed(_)) { v } else { v.exp() };
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

fn check_options(options: &FitOptions) -> Result<(), FitError> {
    if options.nagq == 0 || options.nagq > agq::MAX_NODES {
        return Err(FitError::InvalidOptions {
            message: format!("nagq must be between 1 (Laplace) and {}, got {}", agq::MAX_NODES, options.nagq),
        });
    }
    if options.max_iter == 0 {
        return Err(FitError::InvalidOptions { message: "max_iter must be at least 1".into() });
    }
    if !(options.grad_tol > 0.0 && options.grad_tol.is_finite()) {
        return Err(FitError::InvalidOptions {
            message: format!("grad_tol must be a positive number, got {}", options.grad_tol),
        });
    }
    Ok(())
}

fn describe_random(design: &Design) -> String {
    if design.random.is_empty() {
        return "no random effects".into();
    }
    design
        .random
        .iter()
        .map(|r| format!("({} | {})", r.terms.join(" + "), r.group))
        .collect::<Vec<_>>()
        .join(" + ")
}
