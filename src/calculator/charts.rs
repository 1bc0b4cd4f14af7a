//! The calculator's two charts, as the same [`ChartView`] (drawing specification + table) the
//! fitting results and the tour use:
//!
//! - `webb-chart`: expected rate per 10,000 children against within-LA neighbourhood deprivation
//!   ([`webb_rate_curve`]) in each context, at the LA IMD and Gini z-scores the calculator used;
//! - `hood-chart`: rate relative to an averagely deprived neighbourhood of the same LA
//!   ([`hood_relative_curve`]) in each context.
//!
//! Each chart has one solid line per context and a dashed line for an average LA. A context
//! whose curve cannot be drawn (a comparative Hood measure, an invalid input the result card
//! already explains) is left out; a chart with no context left is `None`.

use serde::{Deserialize, Serialize};

use super::{hood_relative_curve, webb_rate_curve, Area, CalcError, Curve, Density, Outcome};
use crate::charts::{cell, ChartSpec, ChartView, LegendCorner, Series, SeriesKind, Table};

/// Points per curve.
pub const POINTS: usize = 41;

/// Rows of a chart's table: every `(POINTS - 1) / TABLE_STEPS`-th point.
const TABLE_STEPS: usize = 8;

/// Label size of the calculator's charts, in CSS pixels.
const FONT_PX: u32 = 16;

/// The legend's name for the average LA's line (short, so the legend stays clear of the curves).
const AVERAGE_NAME: &str = "Average LA";

/// Palette index of the average LA's dashed line (black).
const AVERAGE_COLOUR: usize = 6;

/// What the Webb chart shows, in words.
const WEBB_DESCRIPTION: &str = "One line for each context and a dashed line for an average LA: the expected rate \
     for a typical neighbourhood, from 2 SD less to 2 SD more deprived than the average neighbourhood of its LA.";

/// What the Hood chart shows, in words.
const HOOD_DESCRIPTION: &str = "One line for each context and a dashed line for an average LA: a \
     neighbourhood's rate relative to an averagely deprived neighbourhood of the same LA, from 20 points less to \
     20 points more income-deprived.";

/// One LA context of the charts.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ChartContext {
    /// The legend's name for it ("Your LA context", "Context A").
    pub name: String,
    /// Standardised LA IMD score and Gini (the z-scores of the context's Webb result); absent
    /// when the Webb inputs are invalid.
    #[serde(default)]
    pub webb: Option<WebbZ>,
    /// LA income deprivation, percentage points from the England LA average.
    #[serde(default)]
    pub la_dep: Option<f64>,
    #[serde(default)]
    pub area: Option<Area>,
    #[serde(default)]
    pub density: Option<Density>,
}

/// The z-scores of a Webb et al. 2020 context.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct WebbZ {
    pub la_imd_z: f64,
    pub gini_z: f64,
}

/// What the calculator's charts are asked for. Deserialises from `{"outcome": "cla", "measure":
/// "referral", "contexts": [{"name": "Context A", "webb": {"la_imd_z": 0, "gini_z": 0}, "la_dep": 0}]}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ChartsRequest {
    pub outcome: Outcome,
    pub measure: String,
    pub contexts: Vec<ChartContext>,
}

/// The two charts, `None` where no context has a curve.
#[derive(Debug, Clone, Serialize)]
pub struct CalculatorCharts {
    pub webb: Option<CalculatorChart>,
    pub hood: Option<CalculatorChart>,
}

/// A chart with what its curves assume.
#[derive(Debug, Clone, Serialize)]
pub struct CalculatorChart {
    #[serde(flatten)]
    pub view: ChartView,
    /// What the curves assume, and where they extrapolate (from the first context's curve).
    pub warnings: Vec<String>,
}

/// The charts of `request` (see the module documentation).
pub fn calculator_charts(request: &ChartsRequest) -> CalculatorCharts {
    let webb = request.contexts.iter().map(|c| {
        c.webb.ok_or(()).and_then(|z| {
            webb_rate_curve(request.outcome, z.la_imd_z, z.gini_z, POINTS).map_err(|_: CalcError| ())
        })
    });
    let webb = chart("webb-chart", WEBB_DESCRIPTION, &request.contexts, webb.collect(), true, 1);
    let hood = request
        .contexts
        .iter()
        .map(|c| hood_relative_curve(&request.measure, c.la_dep, c.area, c.density, POINTS).map_err(|_| ()));
    let hood = chart("hood-chart", HOOD_DESCRIPTION, &request.contexts, hood.collect(), false, 2);
    CalculatorCharts { webb, hood }
}

/// One chart from each context's curve (the requested context first, the average LA last).
fn chart(
    id: &'static str,
    description: &str,
    contexts: &[ChartContext],
    curves: Vec<Result<Curve, ()>>,
    y_from_zero: bool,
    y_decimals: usize,
) -> Option<CalculatorChart> {
    let drawn: Vec<(&ChartContext, usize, Curve)> = contexts
        .iter()
        .zip(curves)
        .enumerate()
        .filter_map(|(i, (c, curve))| curve.ok().map(|curve| (c, i, curve)))
        .collect();
    let (_, _, first) = drawn.first()?;
    let average = first.series.last()?;
    let points = |s: &super::Series| s.points.iter().map(|p| [p.x, p.y]).collect::<Vec<_>>();
    let mut series: Vec<Series> = drawn
        .iter()
        .map(|(c, i, curve)| Series {
            name: c.name.clone(),
            kind: SeriesKind::Line,
            colour: *i,
            points: points(&curve.series[0]),
            error_bars: Vec::new(),
        })
        .collect();
    series.push(Series {
        name: AVERAGE_NAME.to_owned(),
        kind: SeriesKind::Dashed,
        colour: AVERAGE_COLOUR,
        points: points(average),
        error_bars: Vec::new(),
    });
    let title = format!("{} ({}, {})", first.title, first.source, first.table);
    let step = ((POINTS - 1) / TABLE_STEPS).max(1);
    let rows = (0..first.series[0].points.len())
        .step_by(step)
        .map(|k| {
            let x = cell(first.series[0].points[k].x, 1);
            let ys =
                series.iter().map(|s| s.points.get(k).map_or_else(String::new, |p| cell(p[1], y_decimals)));
            std::iter::once(x).chain(ys).collect()
        })
        .collect();
    let header =
        std::iter::once(first.x_label.clone()).chain(series.iter().map(|s| s.name.clone())).collect();
    Some(CalculatorChart {
        view: ChartView {
            id,
            description: description.to_owned(),
            table: Table { caption: title.clone(), header, rows },
            title,
            spec: ChartSpec {
                title: String::new(),
                x_label: first.x_label.clone(),
                y_label: first.y_label.clone(),
                series,
                y_from_zero,
                font_px: FONT_PX,
                // Every curve rises from left to right, so the lower right corner is clear of them.
                legend: LegendCorner::LowerRight,
                aspect: None,
            },
        },
        warnings: first.warnings.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(measure: &str, contexts: Vec<ChartContext>) -> ChartsRequest {
        ChartsRequest { outcome: Outcome::Cla, measure: measure.to_owned(), contexts }
    }

    fn context(name: &str, z: Option<(f64, f64)>, la_dep: f64) -> ChartContext {
        ChartContext {
            name: name.to_owned(),
            webb: z.map(|(la_imd_z, gini_z)| WebbZ { la_imd_z, gini_z }),
            la_dep: Some(la_dep),
            area: None,
            density: None,
        }
    }

    /// The series are the engine's curves, unchanged; the table holds every fifth point of them.
    #[test]
    fn the_charts_hold_the_calculators_curves_and_their_table() {
        let charts = calculator_charts(&request(
            "referral",
            vec![
                context("Context A", Some((-1.0, 1.0)), -10.0),
                context("Context B", Some((1.0, 0.0)), 10.0),
            ],
        ));
        let webb = charts.webb.unwrap().view;
        let a = webb_rate_curve(Outcome::Cla, -1.0, 1.0, POINTS).unwrap();
        let b = webb_rate_curve(Outcome::Cla, 1.0, 0.0, POINTS).unwrap();
        assert_eq!(webb.id, "webb-chart");
        let names: Vec<&str> = webb.spec.series.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Context A", "Context B", "Average LA"]);
        assert_eq!(webb.spec.series[0].points[7], [a.series[0].points[7].x, a.series[0].points[7].y]);
        assert_eq!(webb.spec.series[1].points[40][1], b.series[0].points[40].y);
        assert_eq!(webb.spec.series[2].points[20][1], a.series[1].points[20].y);
        assert_eq!(webb.spec.series[2].kind, SeriesKind::Dashed);
        assert!(webb.spec.y_from_zero);
        assert_eq!(webb.table.rows.len(), 9);
        assert_eq!(webb.table.header[0], a.x_label);
        assert_eq!(webb.table.rows[8][0], "2.0");
        assert_eq!(webb.table.rows[4][1], cell(a.series[0].points[20].y, 1));
        let hood = charts.hood.unwrap().view;
        let h = hood_relative_curve("referral", Some(10.0), None, None, POINTS).unwrap();
        assert_eq!(hood.spec.series[1].points[35][1], h.series[0].points[35].y);
        assert_eq!(hood.table.rows[0][0], "-20.0");
        assert_eq!(hood.table.rows[4][0], "0.0");
        assert_eq!(hood.table.rows[4][1], "1.00");
        assert_eq!(hood.table.rows[8][2], cell(h.series[0].points[40].y, 2));
        assert!(!hood.spec.y_from_zero);
    }

    /// Contexts without a curve are left out; no curve at all gives no chart.
    #[test]
    fn contexts_without_a_curve_are_left_out() {
        let charts = calculator_charts(&request(
            "referral",
            vec![context("Context A", None, 0.0), context("Context B", Some((0.5, 0.0)), 0.0)],
        ));
        let webb = charts.webb.unwrap().view;
        assert_eq!(webb.spec.series.len(), 2);
        assert_eq!(webb.spec.series[0].name, "Context B");
        assert_eq!(webb.spec.series[0].colour, 1);
        let comparative = crate::calculator::catalogue()
            .tables
            .iter()
            .flat_map(|t| t.measures.iter())
            .find_map(|m| match &m.request {
                crate::calculator::GradientRequest::Hood2021 { measure, .. }
                    if hood_relative_curve(measure, None, None, None, POINTS).is_err() =>
                {
                    Some(measure.clone())
                }
                _ => None,
            })
            .expect("a comparative Hood measure");
        let charts = calculator_charts(&request(&comparative, vec![context("Your LA context", None, 0.0)]));
        assert!(charts.webb.is_none() && charts.hood.is_none());
    }
}
