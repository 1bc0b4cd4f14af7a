//! Errors and problem reports of the formula layer.

use serde::Serialize;
use std::fmt;

/// A byte range `start..end` in the formula text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub(crate) fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub(crate) fn join(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    /// The text of the span in `source` (empty when out of range).
    pub(crate) fn text(self, source: &str) -> &str {
        source.get(self.start..self.end).unwrap_or("")
    }
}

/// A problem with one part of a formula: bad syntax, or a term that does not fit the data
/// (an unknown column, text where numbers are needed). `span` is the byte range of the
/// offending term in the formula text and `term` its text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FormulaError {
    pub message: String,
    pub span: Span,
    pub term: String,
}

impl FormulaError {
    pub(crate) fn new(message: impl Into<String>, span: Span, source: &str) -> FormulaError {
        FormulaError { message: message.into(), span, term: span.text(source).trim().to_owned() }
    }
}

impl fmt::Display for FormulaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FormulaError {}

/// One problem found in the data for a formula. `row` is the 1-based data-row number (header
/// excluded) when the problem is in a row; `span` locates the formula term when it is in one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    pub row: Option<usize>,
    pub column: Option<String>,
    pub span: Option<Span>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Why a formula could not be turned into a [`crate::design::Design`] for a data frame.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DesignError {
    /// A term of the formula does not fit the data.
    Term(FormulaError),
    /// Rows with invalid values. `problems` holds the first ones (up to
    /// [`crate::formula::ROW_PROBLEM_CAP`]), `total` how many there are in all.
    Rows { problems: Vec<Problem>, total: usize },
    /// A problem with the data as a whole (no rows left, a response of all zeros, more
    /// parameters than rows, a grouping column with one level).
    Data { message: String },
}

impl fmt::Display for DesignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DesignError::Term(e) => e.fmt(f),
            DesignError::Rows { problems, total } => {
                for (i, p) in problems.iter().enumerate() {
                    if i > 0 {
                        f.write_str("\n")?;
                    }
                    f.write_str(&p.message)?;
                }
                if *total > problems.len() {
                    write!(f, "\n... and {} more rows with problems", total - problems.len())?;
                }
                Ok(())
            }
            DesignError::Data { message } => f.write_str(message),
        }
    }
}

impl std::error::Error for DesignError {}

impl From<FormulaError> for DesignError {
    fn from(e: FormulaError) -> Self {
        DesignError::Term(e)
    }
}
