//! Curves for charts: a few labelled series of (x, y) points with their source.

use serde::Serialize;

/// One point of a series.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// A labelled line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    pub label: String,
    pub points: Vec<Point>,
}

/// A chart's worth of series: the requested context first, then the average LA for comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Curve {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub series: Vec<Series>,
    /// The document: "Webb et al. 2020" or "Hood et al. 2021".
    pub source: String,
    /// The table the curve is computed from.
    pub table: String,
    /// Seed file holding the document's text.
    pub seed: String,
    /// What the curve assumes, and where it extrapolates.
    pub warnings: Vec<String>,
}
