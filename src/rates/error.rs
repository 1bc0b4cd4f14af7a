//! Why a request for real figures could not be answered.

use std::fmt;

use serde::Serialize;

use super::data::{FIRST_YEAR, LAST_YEAR};
use crate::places::PlaceError;

/// A request the figures cannot answer: a year or measure the table does not have, an LA no
/// one can find, or a model the engine could not fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RatesError {
    /// The year is outside 2013-2025.
    UnknownYear { year: i64 },
    /// The measure is not one of the five.
    UnknownMeasure { measure: String },
    /// No LA matches the name or code.
    Place { message: String },
    /// Too few LAs have a figure to fit a model (or the data cannot be modelled).
    TooFewLas { measure: String, year: u16, las: usize },
    /// The fitting engine could not fit the model.
    Fit { message: String },
    /// Income bands that cannot be read or used (the Gini estimate).
    Bands { message: String },
}

impl fmt::Display for RatesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RatesError::UnknownYear { year } => {
                write!(
                    f,
                    "the DfE figures cover the years ending 31 March {FIRST_YEAR} to {LAST_YEAR}, not {year}"
                )
            }
            RatesError::UnknownMeasure { measure } => write!(
                f,
                "'{measure}' is not a measure: use referrals, cin_at31, cpp_starts, cpp_at31 or cla_at31"
            ),
            RatesError::Place { message } => f.write_str(message),
            RatesError::TooFewLas { measure, year, las } => {
                write!(f, "only {las} LAs have a figure for {measure} in {year}: too few to fit a model")
            }
            RatesError::Fit { message } => write!(f, "the model could not be fitted: {message}"),
            RatesError::Bands { message } => f.write_str(message),
        }
    }
}

impl std::error::Error for RatesError {}

impl From<PlaceError> for RatesError {
    fn from(e: PlaceError) -> Self {
        RatesError::Place { message: e.to_string() }
    }
}

/// `year` as a year of the table.
pub fn check_year(year: i64) -> Result<u16, RatesError> {
    if (FIRST_YEAR as i64..=LAST_YEAR as i64).contains(&year) {
        Ok(year as u16)
    } else {
        Err(RatesError::UnknownYear { year })
    }
}
