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
    /// The measure exists, but not in the table the requested context needs. `label` is the
    /// measure's printed label and `context` the neighbourhoods asked for, in words.
    MeasureNotInTable {
        measure: String,
        label: String,
        context: String,
        table: String,
        available: Vec<String>,
    },
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
            CalcError::MeasureNotInTable { measure, table, available, .. } => write!(
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

/// The words a page reader knows for a request field.
fn field_words(field: &str) -> &'static str {
    match field {
        "la_imd" => "An LA IMD score",
        "la_imd_z" => "An LA IMD score (as a standardised value)",
        "gini" => "A Gini coefficient",
        "gini_z" => "A Gini coefficient (as a standardised value)",
        "la_dep" => "An LA income deprivation difference",
        "points" => "A number of points",
        _ => "This value",
    }
}

/// "a, b and c" (or "a, b or c").
fn list(items: &[String], joiner: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {joiner} {last}", init.join(", ")),
    }
}

fn and_list(items: &[String]) -> String {
    list(items, "and")
}

impl CalcError {
    /// The message for a page reader: plain words, no request field names, and what to do.
    /// (`Display` gives the command line's message, which names the fields and options.)
    pub fn plain(&self) -> String {
        match self {
            CalcError::NotFinite { field } => format!("{} must be a number.", field_words(field)),
            CalcError::OutOfRange { field, value, allowed } => {
                let value = super::format::fixed(*value, 3);
                let value = value.trim_end_matches('0').trim_end_matches('.');
                format!("{} of {value} is not possible: {allowed}.", field_words(field))
            }
            CalcError::Conflict { reason, .. } => {
                format!("Two values were given for the same thing ({reason}); keep one.")
            }
            CalcError::UnknownMeasure { measure, suggestions } => {
                let close: Vec<String> = suggestions.iter().map(|s| s.replace('_', " ")).collect();
                if close.is_empty() {
                    format!("The tables have no measure called “{measure}”: choose one from the list.")
                } else {
                    format!(
                        "The tables have no measure called “{measure}”. Did you mean {}?",
                        list(&close, "or")
                    )
                }
            }
            CalcError::MeasureNotInTable { label, context, table, available, .. } => {
                let words: Vec<String> = available
                    .iter()
                    .map(|m| match m.as_str() {
                        "referral" => "referrals".to_string(),
                        "cin" => "children in need".to_string(),
                        "cp_plan" => "child protection plans".to_string(),
                        other => other.replace('_', " "),
                    })
                    .collect();
                format!(
                    "{label} is not given for {context}: {table} gives only {}. Choose one of those, \
                     or any neighbourhood.",
                    and_list(&words)
                )
            }
            CalcError::NoCurve { .. } => {
                "This measure compares two gradients, so it has no curve of rates to draw.".to_string()
            }
            CalcError::Points { .. } => "A chart was asked for with too few or too many points.".to_string(),
            CalcError::InvalidRequest { .. } => {
                "The page asked the calculator for something it could not read; reload the page.".to_string()
            }
            CalcError::UnknownLa { query, suggestions } => {
                if suggestions.is_empty() {
                    format!("No English local authority is called or coded “{query}”.")
                } else {
                    format!(
                        "No English local authority is called or coded “{query}”. Did you mean {}?",
                        list(suggestions, "or")
                    )
                }
            }
            CalcError::AmbiguousLa { query, matches } => format!(
                "“{query}” matches several local authorities ({}): type more of the name.",
                and_list(matches)
            ),
        }
    }
}
