//! The fitting pipeline: the request, the fitted model and the session that drives them.

pub mod error;
pub mod fitted;
pub mod session;

// Paths the modules above used when they sat in `report`.
use crate::report::{gradient, la_gradients, prediction, profile, ranef, FitReport, ReportError};
use error::EngineError;
