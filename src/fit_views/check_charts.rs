//! The charts of the model check, each with a table of the same numbers:
//!
//! - `qq`: the sorted scaled residuals against the quantiles of the uniform distribution they
//!   follow when the model is right (points on the diagonal);
//! - `residuals_fitted`: scaled residuals against the rank of the fitted value (0 for the
//!   smallest, 1 for the largest), with the quartiles of the residuals in ten groups of fitted
//!   values, which lie near 0.25, 0.5 and 0.75 when the model is right.

use super::charts::{ChartView, Table};
use crate::charts::{ChartSpec, LegendCorner, Series, SeriesKind};
use crate::diagnostics::ModelCheck;

const CHART_FONT_PX: u32 = 16;

fn series(name: &str, kind: SeriesKind, colour: usize, points: Vec<[f64; 2]>) -> Series {
    Series { name: name.to_owned(), kind, colour, points, error_bars: Vec::new() }
}

fn spec(x_label: &str, y_label: &str, series: Vec<Series>, legend: LegendCorner) -> ChartSpec {
    ChartSpec {
        title: String::new(),
        x_label: x_label.to_owned(),
        y_label: y_label.to_owned(),
        series,
        y_from_zero: true,
        font_px: CHART_FONT_PX,
        legend,
        aspect: None,
    }
}

fn qq(check: &ModelCheck) -> ChartView {
    let n = check.residuals.len();
    let mut sorted = check.residuals.clone();
    sorted.sort_by(f64::total_cmp);
    let rows = (1..10)
        .map(|d| {
            let p = d as f64 / 10.0;
            let i = ((p * n as f64).ceil() as usize).clamp(1, n) - 1;
            vec![format!("{p:.1}"), format!("{:.3}", sorted[i])]
        })
        .collect();
    ChartView {
        id: "qq",
        title: "Scaled residuals against the uniform distribution (QQ plot)".into(),
        description: format!(
            "The {n} scaled residuals, sorted, against the quantiles of the uniform distribution; \
             points on the diagonal mean the model's distribution fits the counts. {}",
            check.uniformity.reading
        ),
        spec: spec(
            "Expected quantile (uniform)",
            "Scaled residual",
            vec![
                series("Scaled residuals", SeriesKind::Points, 0, check.qq.clone()),
                series("Expected if the model is right", SeriesKind::Dashed, 6, vec![[0.0, 0.0], [1.0, 1.0]]),
            ],
            LegendCorner::UpperLeft,
        ),
        table: Table {
            caption: "Deciles of the scaled residuals (equal to the expected value when the model is right)"
                .into(),
            header: vec!["Expected".into(), "Observed".into()],
            rows,
        },
    }
}

fn residuals_fitted(check: &ModelCheck) -> ChartView {
    let quartile = |q: usize| check.fitted_bins.iter().map(|b| [b.rank, b.quartiles[q]]).collect::<Vec<_>>();
    let rows = check
        .fitted_bins
        .iter()
        .map(|b| {
            let mut row = vec![format!("{:.2}", b.rank)];
            row.extend(b.quartiles.iter().map(|q| format!("{q:.3}")));
            row
        })
        .collect();
    ChartView {
        id: "residuals_fitted",
        title: "Scaled residuals against the fitted values".into(),
        description:
            "Each row's scaled residual against the rank of its fitted value, with the quartiles of \
                      the residuals in ten groups of fitted values; when the model is right they lie near \
                      0.25, 0.5 and 0.75 across the range."
                .into(),
        spec: spec(
            "Fitted value, as a rank (0 = smallest, 1 = largest)",
            "Scaled residual",
            vec![
                series("Scaled residuals", SeriesKind::Points, 5, check.versus_fitted.clone()),
                series("Median of the residuals", SeriesKind::Line, 1, quartile(1)),
                series("Lower quartile", SeriesKind::Dashed, 0, quartile(0)),
                series("Upper quartile", SeriesKind::Dashed, 0, quartile(2)),
            ],
            LegendCorner::UpperRight,
        ),
        table: Table {
            caption:
                "Quartiles of the scaled residuals in groups of fitted values (0.25, 0.5 and 0.75 when the \
                      model is right)"
                    .into(),
            header: vec!["Fitted rank".into(), "25%".into(), "Median".into(), "75%".into()],
            rows,
        },
    }
}

/// The QQ plot and the residuals against the fitted values.
pub fn check_charts(check: &ModelCheck) -> Vec<ChartView> {
    vec![qq(check), residuals_fitted(check)]
}
