//! The steps of the page's fitting workflow that come before a fit: warnings about a file that
//! was read but looks wrong ([`checks`]), implausible counts and exposures in the columns a formula
//! uses ([`plausibility`]), guessing what each column of a user's file holds
//! ([`roles`]), deriving LA-level columns from neighbourhood columns ([`derive`]), and turning
//! guided model choices into a formula ([`guided`]), and the words of the page's forms with the
//! values the engine reads ([`answers`]).
//!
//! The same code writes the formulas of the simulated sample data sets (`crate::samples`), so
//! that a sample's generating parameters are named exactly as the fitted coefficients.

pub mod answers;
pub mod checks;
pub mod derive;
pub mod guided;
pub mod plausibility;
pub mod roles;

use serde::Serialize;
use std::fmt;

/// A problem with the user's column choices or data, naming the column (and row) at fault.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkflowError {
    pub message: String,
    /// The column at fault, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// 1-based data-row number (header excluded), when the problem is in one row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
}

impl WorkflowError {
    pub(crate) fn new(message: impl Into<String>) -> WorkflowError {
        WorkflowError { message: message.into(), column: None, row: None }
    }

    pub(crate) fn column(column: &str, message: impl Into<String>) -> WorkflowError {
        WorkflowError { message: message.into(), column: Some(column.to_owned()), row: None }
    }
}

impl fmt::Display for WorkflowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for WorkflowError {}
