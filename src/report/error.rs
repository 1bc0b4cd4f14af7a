//! Errors of the views computed on top of a fit (gradient scores, per-LA scores).

use serde::Serialize;
use std::fmt;

/// Why a view of a fitted model could not be computed. Every variant names the term, group or
/// column at fault.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReportError {
    /// The term is not a fixed effect of the model. `known` lists the fixed effects.
    UnknownTerm { term: String, known: Vec<String> },
    /// A moderator was given but the model has no `term:moderator` interaction.
    NoInteraction { term: String, moderator: String },
    /// The model has no random slope of `term` by `group`.
    NoRandomSlope { term: String, group: String },
    /// The grouping factor is neither a random-effect group of the model nor a data column.
    UnknownGroup { group: String },
    /// The group named for a prediction is not one of the model's random-effect groups, listed
    /// in `groups` (a nested term's inner group is named `outer:inner`).
    NotAGroup { group: String, groups: Vec<String> },
    /// A prediction's linear predictor is beyond what a rate can be computed for.
    /// `at` lists the values asked for.
    OutOfRange { eta: f64, at: String },
    /// A data column named in the request does not exist.
    UnknownColumn { column: String },
    /// A data column that must hold numbers holds text.
    TextColumn { column: String },
    /// The same moderator was given twice.
    RepeatedModerator { moderator: String },
    /// A value given for a moderator, or a context value, is not a finite number.
    InvalidValue { term: String, value: f64 },
    /// The fit and the model design do not describe the same model.
    DesignMismatch { message: String },
    /// A fixed effect asked to be profiled is not one of the model's. `known` lists them.
    UnknownProfileTerm { term: String, known: Vec<String> },
    /// A value of a prediction's new row is missing or invalid.
    RowValue { column: String, message: String },
}

impl From<crate::formula::NewDataError> for ReportError {
    fn from(e: crate::formula::NewDataError) -> Self {
        ReportError::RowValue { column: e.column().to_owned(), message: e.to_string() }
    }
}

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReportError::UnknownTerm { term, known } => write!(
                f,
                "'{term}' is not a fixed-effect term of the model; the terms are {}",
                known.iter().map(|k| format!("'{k}'")).collect::<Vec<_>>().join(", ")
            ),
            ReportError::NoInteraction { term, moderator } => write!(
                f,
                "the model has no interaction between '{term}' and '{moderator}' (no '{term}:{moderator}' \
                 or '{moderator}:{term}' term), so '{moderator}' does not change the social gradient"
            ),
            ReportError::NoRandomSlope { term, group } => write!(
                f,
                "the model has no random slope for '{term}' by '{group}'; add one, as in (1 + {term} | {group}), \
                 or use the separate per-group fits"
            ),
            ReportError::UnknownGroup { group } => write!(
                f,
                "'{group}' is neither a random-effect group of the model nor a column of the data"
            ),
            ReportError::NotAGroup { group, groups } => {
                let list: Vec<String> = groups.iter().map(|g| format!("'{g}'")).collect();
                write!(f, "'{group}' is not one of the model's random-effect groups ({})", list.join(", "))?;
                if groups.iter().any(|g| g.split(':').any(|part| part == group)) {
                    write!(
                        f,
                        "; '{group}' is nested in another group, so its effects are those of the group \
                         '{}', whose levels join the two columns' values with ':' in that order",
                        groups.iter().find(|g| g.split(':').any(|part| part == group)).map_or("", String::as_str)
                    )?;
                }
                Ok(())
            }
            ReportError::OutOfRange { eta, at } => write!(
                f,
                "the prediction cannot be computed at {at}: its log rate would be {}, beyond the largest \
                 number a computer holds once exponentiated; choose values within the range of the data",
                super::rformat::format_g(*eta, 4)
            ),
            ReportError::UnknownColumn { column } => write!(f, "the data have no column called '{column}'"),
            ReportError::TextColumn { column } => {
                write!(f, "column '{column}' holds text, but numbers are needed here")
            }
            ReportError::RepeatedModerator { moderator } => {
                write!(f, "the moderator '{moderator}' is given more than once; give each moderator one value")
            }
            ReportError::InvalidValue { term, value } => {
                write!(f, "the value given for '{term}' must be a finite number, found {value}")
            }
            ReportError::DesignMismatch { message } => write!(f, "{message}"),
            ReportError::UnknownProfileTerm { term, known } => write!(
                f,
                "cannot profile '{term}': the model's fixed effects are {}",
                known.iter().map(|k| format!("'{k}'")).collect::<Vec<_>>().join(", ")
            ),
            ReportError::RowValue { message, .. } => f.write_str(message),
        }
    }
}

impl std::error::Error for ReportError {}
