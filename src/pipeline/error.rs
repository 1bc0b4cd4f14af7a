//! The one error type of the engine's entry points, wrapping every layer's errors.

use crate::data::DataError;
use crate::diagnostics::CheckError;
use crate::fit::FitError;
use crate::formula::{DesignError, FormulaError, Problem, Span};
use crate::report::ReportError;
use crate::workflow::WorkflowError;
use serde::ser::{Serialize, Serializer};
use std::fmt;

/// Anything that stops a call of the engine: an unreadable file, a bad formula, rows that do
/// not fit the formula, a model that cannot be fitted, a column choice that does not fit the
/// data, or a bad request (such as a view of a model not yet fitted).
///
/// It serialises to one flat object the page can use to point at the problem:
/// `{ kind, reason?, message, row?, column?, term?, span?: {start, end}, problems? }` where
/// `kind` is `data_file`, `formula`, `data_rows`, `data`, `fit`, `columns` or `request`,
/// `reason` the specific cause (for example `ragged`, `all_zero_response` or `no_model`), `row`
/// a 1-based data-row number (header excluded), `span` a byte range of the formula text, and
/// `problems` the first row problems when there are several.
#[derive(Debug, Clone, PartialEq)]
pub enum EngineError {
    /// The CSV file could not be read.
    Data(DataError),
    /// The formula is malformed.
    Formula(FormulaError),
    /// The formula does not fit the data.
    Design(DesignError),
    /// The model could not be fitted.
    Fit(FitError),
    /// A view of the fit was asked for something the model does not have.
    Report(ReportError),
    /// The model cannot be checked (too few or too many simulations).
    Check(CheckError),
    /// A column choice or derivation does not fit the data.
    Workflow(WorkflowError),
    /// A question about the fitted model was asked before any fit succeeded.
    NoModel,
    /// A fixed-effect factor has many levels for its rows and the request did not say to fit it
    /// so ([`super::FitRequest::many_levels`]).
    ManyLevels { term: String, levels: usize, rows: usize },
    /// The request itself is invalid (two models on different rows, say).
    Request { message: String },
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EngineError::Data(e) => e.fmt(f),
            EngineError::Formula(e) => write!(f, "formula: {e}"),
            EngineError::Design(DesignError::Term(e)) => write!(f, "formula: {e}"),
            EngineError::Design(e) => e.fmt(f),
            EngineError::Fit(e) => e.fmt(f),
            EngineError::Report(e) => e.fmt(f),
            EngineError::Check(e) => e.fmt(f),
            EngineError::Workflow(e) => e.fmt(f),
            EngineError::NoModel => f.write_str("no model has been fitted yet"),
            EngineError::Request { message } => f.write_str(message),
            EngineError::ManyLevels { term, levels, rows } => write!(
                f,
                "'{term}' is a factor with {levels} levels for {rows} rows, so the model would estimate {} \
                 coefficients for it, with fewer than {} rows each; if '{term}' should hold numbers, check \
                 its cells; if it groups the rows (an area code), use a random effect such as (1 | {term}); \
                 to fit it as a factor all the same, confirm it (--many-levels on the command line)",
                levels - 1,
                super::prepared::MANY_LEVELS_ROWS
            ),
        }
    }
}

impl std::error::Error for EngineError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EngineError::Data(e) => Some(e),
            EngineError::Formula(e) => Some(e),
            EngineError::Design(e) => Some(e),
            EngineError::Fit(e) => Some(e),
            EngineError::Report(e) => Some(e),
            EngineError::Check(e) => Some(e),
            EngineError::Workflow(e) => Some(e),
            EngineError::NoModel | EngineError::Request { .. } | EngineError::ManyLevels { .. } => None,
        }
    }
}

impl From<DataError> for EngineError {
    fn from(e: DataError) -> Self {
        EngineError::Data(e)
    }
}

impl From<FormulaError> for EngineError {
    fn from(e: FormulaError) -> Self {
        EngineError::Formula(e)
    }
}

impl From<DesignError> for EngineError {
    fn from(e: DesignError) -> Self {
        EngineError::Design(e)
    }
}

impl From<FitError> for EngineError {
    fn from(e: FitError) -> Self {
        EngineError::Fit(e)
    }
}

impl From<ReportError> for EngineError {
    fn from(e: ReportError) -> Self {
        EngineError::Report(e)
    }
}

impl From<CheckError> for EngineError {
    fn from(e: CheckError) -> Self {
        EngineError::Check(e)
    }
}

impl From<WorkflowError> for EngineError {
    fn from(e: WorkflowError) -> Self {
        EngineError::Workflow(e)
    }
}

/// The flat serialised form of an [`EngineError`].
#[derive(serde::Serialize)]
struct ErrorRecord<'a> {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    row: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    term: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    span: Option<Span>,
    #[serde(skip_serializing_if = "<[Problem]>::is_empty")]
    problems: &'a [Problem],
}

impl EngineError {
    /// The `kind` field of the serialised error.
    pub fn kind(&self) -> &'static str {
        match self {
            EngineError::Data(_) => "data_file",
            EngineError::Formula(_) | EngineError::Design(DesignError::Term(_)) => "formula",
            EngineError::Design(DesignError::Rows { .. }) => "data_rows",
            EngineError::Design(DesignError::Data { .. }) => "data",
            EngineError::Fit(e) => e.kind(),
            EngineError::Workflow(_) => "columns",
            EngineError::Report(_)
            | EngineError::Check(_)
            | EngineError::NoModel
            | EngineError::Request { .. }
            | EngineError::ManyLevels { .. } => "request",
        }
    }

    fn record(&self) -> ErrorRecord<'_> {
        let mut r = ErrorRecord {
            kind: self.kind(),
            reason: None,
            message: self.to_string(),
            row: None,
            column: None,
            term: None,
            span: None,
            problems: &[],
        };
        match self {
            EngineError::Data(e) => {
                r.reason = variant_tag(e);
                match e {
                    DataError::Ragged { row, .. } | DataError::Syntax { row, .. } => r.row = Some(*row),
                    DataError::DuplicateHeader { name, .. } | DataError::NoNumbers { column: name, .. } => {
                        r.column = Some(name.clone())
                    }
                    _ => {}
                }
            }
            EngineError::Formula(e) | EngineError::Design(DesignError::Term(e)) => {
                r.term = Some(e.term.clone());
                r.span = Some(e.span);
            }
            EngineError::Design(DesignError::Rows { problems, .. }) => {
                if let Some(first) = problems.first() {
                    r.row = first.row;
                    r.column.clone_from(&first.column);
                    r.span = first.span;
                }
                r.problems = problems;
            }
            EngineError::Design(DesignError::Data { .. })
            | EngineError::Check(_)
            | EngineError::Request { .. } => {}
            EngineError::NoModel => r.reason = Some("no_model".to_owned()),
            EngineError::ManyLevels { term, .. } => {
                r.reason = Some("many_levels".to_owned());
                r.term = Some(term.clone());
            }
            EngineError::Workflow(e) => {
                r.row = e.row;
                r.column.clone_from(&e.column);
            }
            EngineError::Fit(e) => {
                let fit = e.record();
                r.reason = fit.reason;
                r.row = fit.row;
                r.term = fit.term;
            }
            EngineError::Report(e) => {
                r.reason = variant_tag(e);
                match e {
                    ReportError::UnknownTerm { term, .. }
                    | ReportError::NoInteraction { term, .. }
                    | ReportError::NoRandomSlope { term, .. }
                    | ReportError::InvalidValue { term, .. } => r.term = Some(term.clone()),
                    ReportError::UnknownColumn { column } | ReportError::TextColumn { column } => {
                        r.column = Some(column.clone());
                    }
                    ReportError::UnknownGroup { group } | ReportError::NotAGroup { group, .. } => {
                        r.term = Some(group.clone())
                    }
                    ReportError::RepeatedModerator { moderator } => r.term = Some(moderator.clone()),
                    ReportError::UnknownProfileTerm { term, .. } => r.term = Some(term.clone()),
                    ReportError::RowValue { column, .. } => r.column = Some(column.clone()),
                    ReportError::DesignMismatch { .. } | ReportError::OutOfRange { .. } => {}
                }
            }
        }
        r
    }
}

/// The `kind` tag of an error enum serialised with `#[serde(tag = "kind")]`.
fn variant_tag<E: serde::Serialize>(e: &E) -> Option<String> {
    let value = serde_json::to_value(e).ok()?;
    value.get("kind")?.as_str().map(str::to_owned)
}

impl Serialize for EngineError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.record().serialize(serializer)
    }
}
