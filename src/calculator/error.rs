//! Errors of the calculator: every bad input maps to one of these, never to a panic.

use std::fmt;

use serde::Serialize;

/// Why a calculator request was refused. Field names are those of the request objects
/// (`la_imd`, `la_imd_z`, `gini`, `gini_z`, `la_dep`, `measure`, `points`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CalcError {
    /// A number is NaN or infinite.
    NotFinite { field: String },
    /// A number lies outside the values the quantity can take at all.
    OutOfRange { field: String, value: f64, allowed: String },
    /// Two inputs were given that exclude each other.
    Conflict { first: String, second: String, reason: String },
    /// The measure name is in none of the embedded tables.
    UnknownMeasure { measure: String, suggestions: Vec<String> },
    /// The measure exists, but not in the table the requested context needs.
    MeasureNotInTable { measure: String, table: String, available: Vec<String> },
    /// The measure compares two social gradients, so it has no rate curve.
    NoCurve { measure: String, table: String },
    /// A curve was asked for with too few or too many points.
    Points { points: usize, min: usize, max: usize },
    /// The request object could not be read.
    InvalidRequest { message: String },
    /// No LA has this name or code; `suggestions` are the closest names.
    UnknownLa { query: String, suggestions: Vec<String> },
    /// The LA name matches several LAs.
    AmbiguousLa { query: String, matches: Vec<String> },
}

impl fmt::Display for CalcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CalcError::NotFinite { field } => {
                write!(f, "{field} must be a finite number, not NaN or infinity")
            }
            CalcError::OutOfRange { field, value, allowed } => {
                write!(f, "{field} = {value} is not possible: {allowed}")
            }
            CalcError::Conflict { first, second, reason } => {
                write!(f, "give {first} or {second}, not both: {reason}")
            }
            CalcError::UnknownMeasure { measure, suggestions } => {
                write!(f, "unknown measure '{measure}'")?;
                if suggestions.is_empty() {
                    write!(f, "; the table catalogue lists every measure")
                } else {
                    write!(f, "; did you mean {}?", suggestions.join(", "))
                }
            }
            CalcError::MeasureNotInTable { measure, table, available } => write!(
                f,
                "measure '{measure}' is not available with this context: {table} gives \
                 social gradients only for {}",
                available.join(", ")
            ),
            CalcError::NoCurve { measure, table } => write!(
                f,
                "measure '{measure}' ({table}) compares two social gradients rather than \
                 describing a rate, so it has no rate curve"
            ),
            CalcError::Points { points, min, max } => {
                write!(f, "points = {points}: a curve needs between {min} and {max} points")
            }
            CalcError::InvalidRequest { message } => write!(f, "invalid request: {message}"),
            CalcError::UnknownLa { query, suggestions } => write!(
                f,
                "{}",
                crate::places::PlaceError::UnknownLa {
                    query: query.clone(),
                    suggestions: suggestions.clone()
                }
            ),
            CalcError::AmbiguousLa { query, matches } => write!(
                f,
                "{}",
                crate::places::PlaceError::AmbiguousLa { query: query.clone(), matches: matches.clone() }
            ),
        }
    }
}

impl std::error::Error for CalcError {}
