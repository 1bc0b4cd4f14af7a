//! The fitting pipeline, from a loaded file to the questions asked of a fitted model. A fit
//! starts at the front door, [`Session`] (one per loaded file, used alike by the command line,
//! the page's worker through the bindings, and the tests), and goes through named stages, as
//! lme4 and glmmTMB go from formula to model frame, objective, optimiser and fitted object:
//!
//! 1. the request ([`request`]): what to fit as typed data (formula, family and options), its
//!    options checked;
//! 2. the prepared model ([`prepared`]): the formula parsed and built into a design on the
//!    data, then made ready to optimise ([`crate::fit::prepare`]: the columns kept, the
//!    random-effect structure, the objective, one of the likelihoods of
//!    [`crate::fit::likelihood`]);
//! 3. the optimiser ([`crate::fit::optimise`]), run by [`PreparedModel::fit`];
//! 4. the fitted model ([`fitted`]), which keeps the objective at its optimum: profiles,
//!    random effects by level, predictions, the residual checks, the comparisons
//!    ([`compare`]), the page's views and the R script start from it without fitting again.
//!
//! The reports on a fitted model are made by [`crate::report`] (tables, text, comparisons),
//! [`crate::fit_views`] (the page's views and charts) and [`crate::diagnostics`] (the checks).
//! Every failure is one error type, [`EngineError`].

pub mod compare;
pub mod error;
pub mod fitted;
pub mod prepared;
pub mod request;
pub mod session;

pub use error::EngineError;
pub use fitted::FittedModel;
pub use prepared::{BuiltFormula, PreparedModel};
pub use request::FitRequest;
pub use session::Session;
