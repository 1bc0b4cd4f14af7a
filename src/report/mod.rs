//! Reports on top of a fitted model, and the engine's entry points for the command line and
//! the page.
//!
//! - [`FitReport`]: coefficient table with incidence rate ratios (IRR), fit statistics,
//!   dispersion, random effects and warnings, with a text rendering laid out like glmmTMB's
//!   `summary()`;
//! - social-gradient views: [`gradient_score`] and [`gradient_contexts`] (Hood et al. 2021,
//!   Table 2 format), per-LA scores from random slopes or separate per-LA Poisson fits (Hood et
//!   al. 2021, Fig. 5);
//! - [`compare`]: Poisson, NB2 and NB1 with and without the formula's random effects (Webb et
//!   al. 2020, Table 2 format), with likelihood-ratio tests;
//! - profile-likelihood intervals of the dispersion, the random-effect SDs and chosen fixed
//!   effects, added to a [`FitReport`] on request ([`FitRequest::profile`]);
//! - [`compare_models`]: two models the user wrote, by AIC, BIC and, when nested, an LR test;
//! - [`prediction`]: expected rates and gradient scores at chosen covariate values, for the
//!   population average and one LA, with delta-method intervals;
//! - [`ranef`]: the conditional mode of every random effect by level with its conditional SD
//!   (glmmTMB's `ranef(condVar = TRUE)`), and per-LA gradients from random slopes;
//! - [`run_fit`], [`run_compare`]: formula and data in, report out, errors as [`EngineError`].

pub mod compare;
mod compare_models;
mod error;
pub mod gradient;
pub mod la_gradients;
pub mod prediction;
pub(crate) mod profile;
pub mod ranef;
pub mod rformat;
pub mod stats;
mod summary;
pub mod text;

pub use crate::pipeline::error::EngineError;
pub use crate::pipeline::fitted::{
    check_request, fit_model, fit_prepared, prepare, run_fit, FitRequest, FittedModel, LaGradientReport,
    LaGradientRequest,
};
pub use compare::{compare_design, run_compare, CompareProgress, Comparison, LikelihoodRatioTest, ModelFit};
pub use compare_models::{compare_models, ComparedModel, ModelComparison, NestedTest};
pub use error::ReportError;
pub use gradient::{gradient_contexts, gradient_score, GradientContexts, GradientScore, ModeratorValue};
pub use summary::{dispersion_name, Coefficient, Correlation, FitReport, RandomEffect};
