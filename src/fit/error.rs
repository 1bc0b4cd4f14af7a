//! Errors returned by the fitting engine.

use serde::Serialize;
use std::fmt;

/// Why a model could not be fitted. Every message names the row, column or term at fault.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FitError {
    /// The design has no rows.
    EmptyDesign,
    /// The design has no fixed-effect columns.
    NoFixedEffects,
    /// Two parts of the design disagree on their length.
    DimensionMismatch { what: String, expected: usize, found: usize },
    /// A response value is missing, negative, infinite or not a whole number.
    InvalidResponse { row: usize, value: f64 },
    /// Every response value is zero.
    AllZeroResponse,
    /// A binomial response without trials (one column) holds a value other than 0 or 1.
    BinomialResponse { row: usize, value: f64 },
    /// A response of successes out of trials, `cbind(s, f)`, with a count family.
    TrialsNeedBinomial { family: String },
    /// An offset value is not finite.
    InvalidOffset { row: usize, value: f64 },
    /// A model-matrix entry is not finite.
    InvalidCovariate { row: usize, column: String, value: f64 },
    /// A random-effect term is malformed (no columns, bad level index, non-finite value).
    InvalidRandomTerm { group: String, message: String },
    /// Two grouping factors are crossed rather than nested.
    CrossedRandomEffects { first: String, second: String },
    /// A random-effect structure the engine does not fit.
    UnsupportedRandomStructure { message: String },
    /// Adaptive Gauss-Hermite quadrature was requested where it is not available.
    QuadratureNotSupported { message: String },
    /// A fitting option is out of range.
    InvalidOptions { message: String },
    /// The likelihood could not be evaluated at any usable parameter value.
    NumericalFailure { message: String },
}

impl fmt::Display for FitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FitError::EmptyDesign => write!(f, "the data have no usable rows, so no model can be fitted"),
            FitError::NoFixedEffects => write!(
                f,
                "the model has no fixed-effect terms; add an intercept (1) or a covariate"
            ),
            FitError::DimensionMismatch { what, expected, found } => write!(
                f,
                "{what} has {found} entries but the data have {expected} rows"
            ),
            FitError::InvalidResponse { row, value } => write!(
                f,
                "row {row}: the response must be a non-negative whole number (a count), found {value}"
            ),
            FitError::BinomialResponse { row, value } => write!(
                f,
                "row {row}: a binomial response in one column must be 0 or 1 (or TRUE/FALSE), found {value}; \
                 for successes out of trials write cbind(successes, failures)"
            ),
            FitError::TrialsNeedBinomial { family } => write!(
                f,
                "cbind(successes, failures) is a binomial response (successes out of trials), which the {family} \
                 family does not take: choose the binomial family"
            ),
            FitError::AllZeroResponse => write!(
                f,
                "every response value is zero, so the rate cannot be estimated"
            ),
            FitError::InvalidOffset { row, value } => write!(
                f,
                "row {row}: the offset must be a finite number (is the exposure zero or negative?), found {value}"
            ),
            FitError::InvalidCovariate { row, column, value } => write!(
                f,
                "row {row}: column '{column}' of the model matrix must be a finite number, found {value}"
            ),
            FitError::InvalidRandomTerm { group, message } => {
                write!(f, "random effect for '{group}': {message}")
            }
            FitError::CrossedRandomEffects { first, second } => write!(
                f,
                "random effects for '{first}' and '{second}' are crossed, not nested; only one grouping \
                 factor, or two with one nested inside the other, can be fitted"
            ),
            FitError::UnsupportedRandomStructure { message } => write!(f, "{message}"),
            FitError::QuadratureNotSupported { message } => write!(f, "{message}"),
            FitError::InvalidOptions { message } => write!(f, "invalid fitting option: {message}"),
            FitError::NumericalFailure { message } => write!(f, "the model could not be fitted: {message}"),
        }
    }
}

impl std::error::Error for FitError {}

/// The flat object the page reads for a fit error: `{kind, reason, message, row?, term?}`,
/// `kind` being `fit` (or `request` for an option out of range), `reason` the variant.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FitErrorRecord {
    pub kind: &'static str,
    pub reason: Option<String>,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub term: Option<String>,
}

impl FitError {
    /// `request` for an option out of range (the request is at fault), `fit` otherwise.
    pub fn kind(&self) -> &'static str {
        match self {
            FitError::InvalidOptions { .. } => "request",
            _ => "fit",
        }
    }

    /// The error as the page reads it, pointing at the data row (1-based) and the term or
    /// column at fault where there is one.
    pub fn record(&self) -> FitErrorRecord {
        let (row, term) = match self {
            FitError::InvalidResponse { row, .. }
            | FitError::InvalidOffset { row, .. }
            | FitError::BinomialResponse { row, .. } => (Some(*row), None),
            FitError::InvalidCovariate { row, column, .. } => (Some(*row), Some(column.clone())),
            FitError::InvalidRandomTerm { group, .. } => (None, Some(group.clone())),
            _ => (None, None),
        };
        let reason = serde_json::to_value(self).ok().and_then(|v| v.get("kind")?.as_str().map(str::to_owned));
        FitErrorRecord { kind: self.kind(), reason, message: self.to_string(), row, term }
    }
}
