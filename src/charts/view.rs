//! A chart as the page shows it, in every section (calculator, tour, fitting results): the
//! drawing specification with the same numbers as a table, its text alternative.

use super::ChartSpec;
use serde::Serialize;

/// A table alternative to a chart: the same numbers as text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    pub caption: String,
    pub header: Vec<String>,
    /// Rows of cells; the first cell names the row.
    pub rows: Vec<Vec<String>>,
}

/// A number as a table cell: `decimals` fixed decimals, or a dash when it is not finite.
pub fn cell(x: f64, decimals: usize) -> String {
    if x.is_finite() {
        format!("{x:.decimals$}")
    } else {
        "–".to_owned()
    }
}

/// One chart: its drawing specification (an x-y [`ChartSpec`] unless said otherwise, or a
/// [`super::ForestSpec`]) and its table.
#[derive(Debug, Clone, Serialize)]
pub struct ChartView<S = ChartSpec> {
    /// Names the chart on the page (`deciles`, `webb-chart`, ...).
    pub id: &'static str,
    pub title: String,
    /// What the chart shows, in words (the canvas's accessible description).
    pub description: String,
    pub spec: S,
    pub table: Table,
}

/// Two views are the same chart with the same numbers (the drawing follows from them).
impl<S> PartialEq for ChartView<S> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && self.title == other.title && self.table == other.table
    }
}
