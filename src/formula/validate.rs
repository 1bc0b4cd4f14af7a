//! A full list of the data's problems for a formula, for the page's check before fitting.

use super::build::{run, DesignInfo};
use super::error::Problem;
use super::terms::Formula;
use crate::data::DataFrame;
use crate::design::Design;
use serde::Serialize;

/// How many problems of one kind (one check over the rows) a report lists.
pub const VALIDATION_CAP: usize = 100;

/// Every problem found, without stopping at the first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidationReport {
    /// Problems with terms first, then rows (in row order), then the data as a whole. Each
    /// check over the rows lists at most [`VALIDATION_CAP`] rows; `problems_total` counts all.
    pub problems: Vec<Problem>,
    pub problems_total: usize,
    pub rows_read: usize,
    pub rows_dropped_missing: usize,
    pub rows_used: usize,
}

impl ValidationReport {
    /// True when the model can be fitted.
    pub fn is_ok(&self) -> bool {
        self.problems_total == 0
    }
}

/// Checks `formula` against `df` and lists every problem. Problems in terms stop the checks
/// that depend on them (the rows cannot be checked against a column that does not exist).
pub fn validate(df: &DataFrame, formula: &Formula) -> ValidationReport {
    validate_and_build(df, formula).0
}

/// Checks as [`validate`] does and, when there is no problem, also returns the design built on
/// the way: the one [`super::build_design_with_info`] gives, so a fit after a check need not
/// build it again.
pub fn validate_and_build(
    df: &DataFrame,
    formula: &Formula,
) -> (ValidationReport, Option<(Design, DesignInfo)>) {
    let out = run(df, formula, false, VALIDATION_CAP);
    let mut problems: Vec<Problem> = out
        .term_errors
        .into_iter()
        .map(|e| Problem { row: None, column: None, span: Some(e.span), message: e.message })
        .collect();
    let term_count = problems.len();
    problems.extend(out.row_problems);
    let data_count = out.data_problems.len();
    problems.extend(out.data_problems);
    let rows_read = df.nrows();
    let report = ValidationReport {
        problems,
        problems_total: term_count + out.row_total + data_count,
        rows_read,
        rows_dropped_missing: out.rows_dropped,
        rows_used: rows_read - out.rows_dropped,
    };
    let built = if report.is_ok() { out.built } else { None };
    (report, built)
}
