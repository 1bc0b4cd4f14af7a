//! Reports on a fitted model (the models are fitted by [`crate::pipeline`]):
//!
//! - [`FitReport`]: coefficient table with incidence rate ratios (IRR), fit statistics,
//!   dispersion, random effects and warnings, with a text rendering laid out like glmmTMB's
//!   `summary()` ([`text`]);
//! - social-gradient views: [`gradient_score`] and [`gradient_contexts`] (Hood et al. 2021,
//!   Table 2 format), per-LA scores from random slopes or separate per-LA Poisson fits (Hood et
//!   al. 2021, Fig. 5; [`la_gradients`]);
//! - [`compare`]: Poisson, NB2 and NB1 with and without the formula's random effects (Webb et
//!   al. 2020, Table 2 format), with likelihood-ratio tests ([`lr_test`]);
//! - [`profile`]: profile-likelihood intervals of the dispersion, the random-effect SDs and
//!   chosen fixed effects in a [`FitReport`];
//! - [`compare_models`]: two models the user wrote, by AIC, BIC and, when nested, an LR test;
//! - [`prediction`]: expected rates and gradient scores at chosen covariate values, for the
//!   population average and one LA, with delta-method intervals;
//! - [`ranef`]: the conditional mode of every random effect by level with its conditional SD
//!   (glmmTMB's `ranef(condVar = TRUE)`), and per-LA gradients from random slopes.
//!
//! Their failures are [`ReportError`]s, naming the term, group or column at fault.

pub mod compare;
pub mod compare_models;
mod error;
pub mod gradient;
pub mod la_gradients;
pub mod levels;
pub mod lr_test;
pub mod prediction;
pub mod profile;
pub mod ranef;
pub mod rformat;
pub mod stats;
mod summary;
pub mod text;

pub use compare::{Comparison, ModelFit};
pub use compare_models::{ComparedModel, ModelComparison};
pub use error::ReportError;
pub use gradient::{gradient_contexts, gradient_score, GradientContexts, GradientScore, ModeratorValue};
pub use la_gradients::{LaGradientReport, LaGradientRequest};
pub use lr_test::LikelihoodRatioTest;
pub use summary::{dispersion_name, Coefficient, Correlation, FitReport, RandomEffect};
