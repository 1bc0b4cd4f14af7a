//! The fitting pipeline: the request, the fitted model and the session that drives them.

pub mod error;
pub mod fitted;
pub mod session;

pub use error::EngineError;
