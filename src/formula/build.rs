//! Building a [`Design`] from a formula and a data frame.

use super::error::DesignError;
use super::terms::Formula;
use crate::data::DataFrame;
use crate::design::Design;
use serde::Serialize;

/// How `scale(x)` transformed a column: `(x - centre) / scale`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scaling {
    /// The term as named in the model (`scale(imd)`).
    pub term: String,
    pub centre: f64,
    pub scale: f64,
}

/// The group means used by `within(x, g)` and `between(x, g)`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupMeans {
    /// The term as named in the model (`within(imd, la)`).
    pub term: String,
    /// The group labels and the mean of `x` in each.
    pub groups: Vec<String>,
    pub means: Vec<f64>,
}

/// The levels of a factor in the model, the first being the reference level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactorInfo {
    pub term: String,
    pub levels: Vec<String>,
}

/// How many rows were dropped because a column was missing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissingCount {
    pub column: String,
    pub rows: usize,
}

/// What a report needs to translate a fitted model back to raw units.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct DesignInfo {
    pub scalings: Vec<Scaling>,
    pub group_means: Vec<GroupMeans>,
    pub factors: Vec<FactorInfo>,
    /// Missing cells per used column (a dropped row may be counted under several columns).
    pub missing: Vec<MissingCount>,
}

/// Evaluates `formula` on `df`: see [`build_design_with_info`].
pub fn build_design(df: &DataFrame, formula: &Formula) -> Result<Design, DesignError> {
    build_design_with_info(df, formula).map(|(design, _)| design)
}

/// Evaluates `formula` on `df`, returning the design and what was computed on the way.
pub fn build_design_with_info(df: &DataFrame, formula: &Formula) -> Result<(Design, DesignInfo), DesignError> {
    let _ = (df, formula);
    Err(DesignError::Data { message: "model building is not available yet".to_owned() })
}
