//! Column summaries and a first-rows preview, for the page where users map their columns.

use super::{Column, DataFrame};
use serde::Serialize;
use std::collections::HashSet;

/// How many distinct values are counted before a summary stops counting.
pub const DISTINCT_CAP: usize = 10_000;
/// How many example values a summary shows.
pub const EXAMPLES: usize = 5;

/// Whether a column holds numbers or text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    Number,
    Text,
}

/// What the page shows about one column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnSummary {
    pub name: String,
    pub kind: ColumnKind,
    /// Number of missing cells.
    pub missing: usize,
    /// Smallest and largest value (numeric columns with at least one value).
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// True when every value of a numeric column is a whole number of 0 or more (a possible
    /// count column).
    pub whole_non_negative: bool,
    /// Number of distinct non-missing values, counted up to [`DISTINCT_CAP`].
    pub distinct: usize,
    /// True when counting stopped at [`DISTINCT_CAP`].
    pub distinct_capped: bool,
    /// The first [`EXAMPLES`] distinct non-missing values, as text.
    pub examples: Vec<String>,
}

/// The first rows of a frame as text, for display.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Preview {
    pub names: Vec<String>,
    /// Data-row numbers (1-based, header excluded) of the rows shown.
    pub row_numbers: Vec<usize>,
    /// `rows[i][j]` is the cell of row `row_numbers[i]`, column `names[j]`; `None` when missing.
    pub rows: Vec<Vec<Option<String>>>,
}

/// One summary per column, in file order.
pub fn summarise(df: &DataFrame) -> Vec<ColumnSummary> {
    df.columns().map(|(name, column)| summarise_column(name, column)).collect()
}

fn summarise_column(name: &str, column: &Column) -> ColumnSummary {
    match column {
        Column::Numeric(values) => {
            let mut min = f64::INFINITY;
            let mut max = f64::NEG_INFINITY;
            let mut missing = 0;
            let mut whole = true;
            let mut seen: HashSet<u64> = HashSet::new();
            let mut examples = Vec::new();
            for &x in values {
                if x.is_nan() {
                    missing += 1;
                    continue;
                }
                min = min.min(x);
                max = max.max(x);
                whole &= x >= 0.0 && x.fract() == 0.0;
                // +0.0 and -0.0 are the same value.
                let bits = if x == 0.0 { 0 } else { x.to_bits() };
                if seen.len() < DISTINCT_CAP && seen.insert(bits) && examples.len() < EXAMPLES {
                    examples.push(x.to_string());
                }
            }
            let any = missing < values.len();
            ColumnSummary {
                name: name.to_owned(),
                kind: ColumnKind::Number,
                missing,
                min: any.then_some(min),
                max: any.then_some(max),
                whole_non_negative: any && whole,
                distinct: seen.len(),
                distinct_capped: seen.len() >= DISTINCT_CAP,
                examples,
            }
        }
        Column::Text(text) => {
            let distinct = text.labels().len();
            ColumnSummary {
                name: name.to_owned(),
                kind: ColumnKind::Text,
                missing: column.missing_count(),
                min: None,
                max: None,
                whole_non_negative: false,
                distinct: distinct.min(DISTINCT_CAP),
                distinct_capped: distinct >= DISTINCT_CAP,
                examples: text.labels().iter().take(EXAMPLES).cloned().collect(),
            }
        }
    }
}

/// The first `n` rows (fewer when the frame is shorter).
pub fn preview(df: &DataFrame, n: usize) -> Preview {
    let shown = n.min(df.nrows());
    Preview {
        names: df.names().to_vec(),
        row_numbers: (1..=shown).collect(),
        rows: (0..shown).map(|i| df.columns().map(|(_, c)| c.display(i)).collect()).collect(),
    }
}
