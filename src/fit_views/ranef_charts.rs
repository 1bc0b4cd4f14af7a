//! Caterpillar charts of the random effects by LA, each with its table: the levels ranked by
//! their conditional mode, each with its 95% interval (`mode -+ 1.96 conditional SD`), and the
//! per-LA social gradient scores of a random slope ranked the same way.

use super::charts::{ChartView, Table};
use crate::charts::{cell, ChartSpec, LegendCorner, Series, SeriesKind};
use crate::report::la_gradients::LaGradients;
use crate::report::ranef::{RandomEffectsReport, TermEffects};

/// Chart ids of the first columns of the LA-level term (intercept, slope, ...).
const TERM_IDS: [&str; 4] = ["ranef_1", "ranef_2", "ranef_3", "ranef_4"];
/// Levels above which a caterpillar chart is not drawn (the table still lists them).
pub const MAX_CHART_LEVELS: usize = 400;

/// Indices of `values` from smallest to largest (NaN last).
fn ranking(values: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    order
}

/// Levels ranked by their value (the first of each triple), with their intervals, and a dashed
/// reference line `(name, value)`; the legend in `legend` (away from the points, which rise from
/// left to right).
fn caterpillar(
    y_label: String,
    what: &str,
    reference: (&str, f64),
    legend: LegendCorner,
    values: &[(f64, f64, f64)],
) -> ChartSpec {
    let order = ranking(&values.iter().map(|v| v.0).collect::<Vec<_>>());
    let n = values.len() as f64;
    ChartSpec {
        title: String::new(),
        x_label: format!("LAs ranked by their {what} (1 = lowest)"),
        y_label,
        series: vec![
            Series {
                name: "LA with its 95% interval".to_owned(),
                kind: SeriesKind::Points,
                colour: 0,
                points: order.iter().enumerate().map(|(k, &j)| [(k + 1) as f64, values[j].0]).collect(),
                error_bars: order.iter().map(|&j| [values[j].1, values[j].2]).collect(),
            },
            Series {
                name: reference.0.to_owned(),
                kind: SeriesKind::Dashed,
                colour: 6,
                // Half a rank beyond the first and last level, so no point sits on the plot's edge.
                points: vec![[0.5, reference.1], [n + 0.5, reference.1]],
                error_bars: Vec::new(),
            },
        ],
        y_from_zero: false,
        font_px: 16,
        legend,
        aspect: None,
    }
}

/// The caterpillar plot of one term's modes; `scale` names the linear predictor's scale (`log`,
/// `log-odds`, ...: [`RandomEffectsReport::scale`]).
fn term_view(id: &'static str, t: &TermEffects, scale: &str) -> ChartView {
    let what = if t.term == "(Intercept)" {
        "random intercept".to_owned()
    } else {
        format!("random slope of {}", t.term)
    };
    let values: Vec<(f64, f64, f64)> = t.levels.iter().map(|l| (l.mode, l.ci_low, l.ci_high)).collect();
    let order = ranking(&values.iter().map(|v| v.0).collect::<Vec<_>>());
    let rows = order
        .iter()
        .map(|&j| {
            let l = &t.levels[j];
            vec![
                l.level.clone(),
                l.rows.to_string(),
                cell(l.mode, 3),
                cell(l.sd, 3),
                format!("{} to {}", cell(l.ci_low, 3), cell(l.ci_high, 3)),
                cell(l.mode.exp(), 2),
            ]
        })
        .collect();
    ChartView {
        id,
        title: format!("The {what} of each {} (caterpillar plot)", t.group),
        description: format!(
            "Each point is one {} of {}, ranked from lowest to highest, with its 95% interval: its {what} \
             on the {scale} scale (0 is the average; the SD across {}s is {}). Intervals that cross the dashed line \
             are not clearly different from the average.",
            t.group,
            t.levels.len(),
            t.group,
            cell(t.sd, 3)
        ),
        spec: caterpillar(format!("{} ({scale} scale)", capitalised(&what)), &what, ("Average LA (0)", 0.0), LegendCorner::LowerRight, &values),
        table: Table {
            caption: format!("The {what} of each {}, lowest first", t.group),
            header: ["Level", "Rows", "Mode", "Conditional SD", "95% interval", "exp(mode)"]
                .map(str::to_owned)
                .to_vec(),
            rows,
        },
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn gradient_view(g: &LaGradients) -> ChartView {
    let values: Vec<(f64, f64, f64)> = g.gradients.iter().map(|l| (l.score, l.ci_low, l.ci_high)).collect();
    let order = ranking(&values.iter().map(|v| v.0).collect::<Vec<_>>());
    let rows = order
        .iter()
        .map(|&j| {
            let l = &g.gradients[j];
            vec![
                l.level.clone(),
                l.rows.to_string(),
                cell(l.score, 3),
                format!("{} to {}", cell(l.ci_low, 3), cell(l.ci_high, 3)),
            ]
        })
        .collect();
    ChartView {
        id: "ranef_gradient",
        title: format!("Social gradient score of '{}' in each {}", g.term, g.group),
        description: format!(
            "Each point is one {}'s social gradient score per unit of {} (the fixed coefficient plus the \
             {}'s random slope), ranked from lowest to highest, with its 95% interval, which includes the \
             uncertainty of the fixed effects, of the slope and of the estimated variances. 1 is no gradient.",
            g.group, g.term, g.group
        ),
        spec: caterpillar("Social gradient score".to_owned(), "score", ("No gradient (1)", 1.0), LegendCorner::UpperLeft, &values),
        table: Table {
            caption: format!("Social gradient score of '{}' by {}, lowest first", g.term, g.group),
            header: ["Level", "Rows", "Score", "95% interval"].map(str::to_owned).to_vec(),
            rows,
        },
    }
}

/// The charts of the random effects of the group with the fewest levels (the LAs), one per
/// column up to four, then the per-LA gradient of its first random slope; groups with more
/// than [`MAX_CHART_LEVELS`] levels have tables only (in the report).
pub fn ranef_charts(report: &RandomEffectsReport) -> Vec<ChartView> {
    let Some(group) = report.terms.iter().min_by_key(|t| t.levels.len()).map(|t| t.group.clone()) else {
        return Vec::new();
    };
    let mut out: Vec<ChartView> = report
        .terms
        .iter()
        .filter(|t| t.group == group && t.levels.len() <= MAX_CHART_LEVELS)
        .zip(TERM_IDS)
        .map(|(t, id)| term_view(id, t, report.scale))
        .collect();
    if let Some(g) =
        report.gradients.iter().find(|g| g.group == group && g.gradients.len() <= MAX_CHART_LEVELS)
    {
        out.push(gradient_view(g));
    }
    out
}
