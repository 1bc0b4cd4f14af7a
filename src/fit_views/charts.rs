//! Chart data for the results of a fit, each chart with the same numbers as a table:
//!
//! - [`deciles`]: observed rate per 10,000 children by neighbourhood deprivation decile, with
//!   exact Poisson 95% intervals, and the rate the model fits to the same neighbourhoods (as
//!   Hood et al. 2021, Fig. 7);
//! - [`la_gradients`]: each LA's social gradient score against LA deprivation, with the line
//!   the model's interaction implies (as Hood et al. 2021, Fig. 5);
//! - [`observed_fitted`]: observed against fitted rates in groups of neighbourhoods with similar
//!   fitted rates (a calibration plot).
//!
//! A rate over a group of neighbourhoods is `10000 · Σ count / Σ children`; its fitted value
//! uses the fitted means `Σ mu_i` instead of the counts. The exact (Garwood) 95% interval of a
//! Poisson total `k` is `[χ²_{0.025}(2k) / 2, χ²_{0.975}(2k + 2) / 2]`, scaled the same way.

use super::Fitted;
use crate::charts::{cell, ChartSpec, LegendCorner, Series, SeriesKind};
use crate::data::{Column, DataFrame};
use crate::report::gradient::interaction_index;
use crate::report::la_gradients::la_gradient_set;
use crate::report::la_gradients::{model_column, Grouping, LaGradients};
use crate::report::{LaGradientRequest, ReportError};
use crate::workflow::guided::{Moderator, TermRole, RATE_PER};
use crate::workflow::roles::Roles;
use statrs::distribution::{ChiSquared, ContinuousCDF};
use std::fmt;

/// Label size of the results charts, in CSS pixels (charts are drawn at their size on the page,
/// at the device pixel ratio).
const CHART_FONT_PX: u32 = 16;

pub use crate::charts::{ChartView, Table};

/// Why a chart of a fit cannot be made; the message completes "No chart of ...: ".
#[derive(Debug, Clone, PartialEq)]
pub enum ViewError {
    /// A column the chart needs has no role yet (`choose the LA column`).
    Choose(&'static str),
    /// The column holds text where numbers are needed.
    TextColumn(String),
    /// The data have no such column.
    UnknownColumn(String),
    /// Too few neighbourhoods or LAs for the chart: `fewer than {needed} {what}`.
    TooFew { needed: usize, what: &'static str },
    /// The model has no fixed effect of this name.
    NoTerm(String),
    /// The model has no interaction of the gradient with LA deprivation.
    NoLaInteraction,
    /// The per-LA scores or a model column could not be computed.
    Report(ReportError),
}

impl fmt::Display for ViewError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ViewError::Choose(what) => write!(f, "choose {what}"),
            ViewError::TextColumn(name) => write!(f, "the column '{name}' holds text"),
            ViewError::UnknownColumn(name) => write!(f, "there is no column called '{name}'"),
            ViewError::TooFew { needed, what } => write!(f, "fewer than {needed} {what}"),
            ViewError::NoTerm(term) => write!(f, "the model has no term '{term}'"),
            ViewError::NoLaInteraction => f.write_str("the model has no interaction with LA deprivation"),
            ViewError::Report(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ViewError {}

impl From<ReportError> for ViewError {
    fn from(e: ReportError) -> Self {
        ViewError::Report(e)
    }
}

/// Exact 95% interval of a Poisson count `k`.
pub fn poisson_interval(k: f64) -> (f64, f64) {
    let quantile = |df: f64, p: f64| ChiSquared::new(df).map(|d| d.inverse_cdf(p)).unwrap_or(f64::NAN);
    let low = if k > 0.0 { quantile(2.0 * k, 0.025) / 2.0 } else { 0.0 };
    (low, quantile(2.0 * k + 2.0, 0.975) / 2.0)
}

/// A numeric column read at the model's rows (1-based file rows).
fn at_rows(df: &DataFrame, name: &str, rows: &[usize]) -> Result<Vec<f64>, ViewError> {
    match df.column(name) {
        Some(Column::Numeric(v)) => Ok(rows
            .iter()
            .map(|&r| r.checked_sub(1).and_then(|i| v.get(i)).copied().unwrap_or(f64::NAN))
            .collect()),
        Some(Column::Text(_)) => Err(ViewError::TextColumn(name.to_owned())),
        None => Err(ViewError::UnknownColumn(name.to_owned())),
    }
}

/// Exposure of each model row in units of 10,000 children (1 per row without a population
/// column), and the unit's name.
fn exposures(
    model: Fitted<'_>,
    df: &DataFrame,
    roles: &Roles,
) -> Result<(Vec<f64>, &'static str), ViewError> {
    match &roles.population {
        Some(p) => Ok((
            at_rows(df, p, &model.design.rows)?.into_iter().map(|x| x / RATE_PER).collect(),
            "Rate per 10,000 children",
        )),
        None => Ok((vec![1.0; model.design.nobs()], "Count per neighbourhood")),
    }
}

/// Totals of one group of rows.
struct Group {
    rows: usize,
    exposure: f64,
    observed: f64,
    fitted: f64,
}

impl Group {
    fn of(idx: &[usize], y: &[f64], mu: &[f64], exposure: &[f64]) -> Group {
        let mut g = Group { rows: idx.len(), exposure: 0.0, observed: 0.0, fitted: 0.0 };
        for &i in idx {
            g.exposure += exposure[i];
            g.observed += y[i];
            g.fitted += mu[i];
        }
        g
    }

    fn rate(&self) -> f64 {
        self.observed / self.exposure
    }

    fn fitted_rate(&self) -> f64 {
        self.fitted / self.exposure
    }

    fn interval(&self) -> [f64; 2] {
        let (lo, hi) = poisson_interval(self.observed);
        [lo / self.exposure, hi / self.exposure]
    }
}

/// `idx` split into `k` consecutive groups of (nearly) equal size.
fn equal_groups(idx: &[usize], k: usize) -> Vec<&[usize]> {
    let n = idx.len();
    (0..k).map(|g| &idx[g * n / k..(g + 1) * n / k]).filter(|s| !s.is_empty()).collect()
}

/// Model rows usable for rates: a positive exposure and finite counts and fitted values.
fn usable(y: &[f64], mu: &[f64], exposure: &[f64]) -> Vec<usize> {
    (0..y.len())
        .filter(|&i| exposure[i] > 0.0 && exposure[i].is_finite() && y[i].is_finite() && mu[i].is_finite())
        .collect()
}

fn series(
    name: &str,
    kind: SeriesKind,
    colour: usize,
    points: Vec<[f64; 2]>,
    error_bars: Vec<[f64; 2]>,
) -> Series {
    Series { name: name.to_owned(), kind, colour, points, error_bars }
}

/// Observed and fitted rates by decile of neighbourhood deprivation.
pub fn deciles(model: Fitted<'_>, df: &DataFrame, roles: &Roles) -> Result<ChartView, ViewError> {
    let dep_name =
        roles.deprivation.as_deref().ok_or(ViewError::Choose("the neighbourhood deprivation column"))?;
    let dep = at_rows(df, dep_name, &model.design.rows)?;
    let (exposure, unit) = exposures(model, df, roles)?;
    let (y, mu) = (&model.design.y, &model.fit.fitted);
    let mut idx: Vec<usize> = usable(y, mu, &exposure).into_iter().filter(|&i| dep[i].is_finite()).collect();
    if idx.len() < 10 {
        return Err(ViewError::TooFew { needed: 10, what: "neighbourhoods have a deprivation value" });
    }
    idx.sort_by(|&a, &b| dep[a].total_cmp(&dep[b]));
    let groups = equal_groups(&idx, 10);
    let outcome = model.formula.response();
    let scale = if roles.population.is_some() { RATE_PER } else { 1.0 };
    let (mut observed, mut bars, mut fitted, mut rows) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (k, g) in groups.iter().enumerate() {
        let t = Group::of(g, y, mu, &exposure);
        let x = (k + 1) as f64;
        let [lo, hi] = t.interval();
        observed.push([x, t.rate()]);
        bars.push([lo, hi]);
        fitted.push([x, t.fitted_rate()]);
        let first = g.first().map_or(f64::NAN, |&i| dep[i]);
        let last = g.last().map_or(f64::NAN, |&i| dep[i]);
        rows.push(vec![
            (k + 1).to_string(),
            format!("{} to {}", cell(first, 2), cell(last, 2)),
            t.rows.to_string(),
            cell(t.exposure * scale, 0),
            cell(t.observed, 0),
            cell(t.rate(), 1),
            format!("{} to {}", cell(lo, 1), cell(hi, 1)),
            cell(t.fitted_rate(), 1),
        ]);
    }
    let population = if roles.population.is_some() { "Children" } else { "Neighbourhoods (exposure)" };
    Ok(ChartView {
        id: "deciles",
        title: format!("Observed and fitted {outcome} by neighbourhood deprivation decile"),
        description: format!(
            "Points: the observed rate of {outcome} in each tenth of the neighbourhoods ranked by {dep_name}, with 95% \
             intervals. Line: the rate the model fits to the same neighbourhoods (as Hood et al. 2021, Fig. 7)."
        ),
        spec: ChartSpec {
            title: String::new(),
            x_label: format!("Decile of {dep_name} (1 = least deprived)"),
            y_label: unit.to_owned(),
            series: vec![
                series("Observed (95% interval)", SeriesKind::Points, 0, observed, bars),
                series("Fitted by the model", SeriesKind::Line, 1, fitted, Vec::new()),
            ],
            y_from_zero: true,
            font_px: CHART_FONT_PX,
            legend: LegendCorner::UpperLeft,
            aspect: None,
        },
        table: Table {
            caption: format!("Observed and fitted {outcome} by decile of {dep_name}"),
            header: vec![
                "Decile".into(),
                format!("{dep_name} range"),
                "Neighbourhoods".into(),
                population.into(),
                outcome.clone(),
                format!("Observed: {}", unit.to_lowercase()),
                "95% interval".into(),
                format!("Fitted: {}", unit.to_lowercase()),
            ],
            rows,
        },
    })
}

/// The model's gradient at each LA's mean value of the LA-deprivation moderator `m`,
/// `exp(B_term + B_term:m * m_LA)`, by LA name.
fn model_line(
    model: Fitted<'_>,
    df: &DataFrame,
    la: &str,
    term: &str,
    m: &Moderator,
) -> Result<Vec<(String, f64)>, ViewError> {
    let fit = model.fit;
    let b_term = fit.terms.iter().position(|t| t == term).and_then(|k| fit.beta.get(k)).copied();
    let b_term = b_term.ok_or_else(|| ViewError::NoTerm(term.to_owned()))?;
    let k = interaction_index(&fit.columns, term, &m.term).ok_or(ViewError::NoLaInteraction)?;
    let b_int = fit.beta.get(k).copied().unwrap_or(f64::NAN);
    let column = model_column(model.design, &m.term)?;
    let grouping = match Grouping::from_design(model.design, la) {
        Some(g) => g,
        None => Grouping::from_column(df, model.design, la)?,
    };
    let mut sum = vec![0.0; grouping.levels.len()];
    let mut count = vec![0usize; grouping.levels.len()];
    for (row, level) in grouping.index.iter().enumerate() {
        if let (Some(l), Some(v)) = (level, column.get(row)) {
            sum[*l] += v;
            count[*l] += 1;
        }
    }
    Ok(grouping
        .levels
        .iter()
        .enumerate()
        .filter(|(l, _)| count[*l] > 0)
        .map(|(l, name)| (name.clone(), (b_term + b_int * sum[l] / count[l] as f64).exp()))
        .collect())
}

/// What the LA chart shows, in words: how the scores were made, what the line holds, and what
/// is left out.
fn la_description(set: &LaGradients, x_column: &str, moderators: &[Moderator], cut: bool) -> String {
    let method = if set.method == "random_slopes" {
        "each LA's random slope"
    } else {
        "a separate Poisson model in each LA (as Hood et al. 2021, Fig. 5)"
    };
    let mut description = format!(
        "Each point is one LA's social gradient score, from {method}, against its deprivation ({x_column}{}), with a \
         95% interval. The line is what the model's fixed effects give at each LA's deprivation.",
        if set.population_weighted { ", weighted by population" } else { "" }
    );
    let others: Vec<&str> =
        moderators.iter().filter(|m| m.role != TermRole::LaDeprivation).map(|m| m.term.as_str()).collect();
    if !others.is_empty() {
        description.push_str(&format!(
            " The line holds the other characteristics that change the gradient ({}) at their average; each LA's \
             own score includes its own values of them.",
            others.join(", ")
        ));
    }
    if cut {
        description.push_str(" Some intervals are too wide to show in full: the table has every interval.");
    }
    if !set.failures.is_empty() {
        let names: Vec<String> = set.failures.iter().map(|f| format!("{} ({})", f.level, f.reason)).collect();
        description.push_str(&format!(" LAs without a score: {}.", names.join("; ")));
    }
    description
}

/// Each LA's social gradient against LA deprivation, with the model's line.
pub fn la_gradients(
    model: Fitted<'_>,
    df: &DataFrame,
    roles: &Roles,
    term: &str,
    moderators: &[Moderator],
    step: Option<&str>,
) -> Result<ChartView, ViewError> {
    let la = roles.la.as_deref().ok_or(ViewError::Choose("the LA column"))?;
    let x_column = roles
        .la_deprivation
        .as_deref()
        .or(roles.deprivation.as_deref())
        .ok_or(ViewError::Choose("a deprivation column"))?;
    let request = LaGradientRequest {
        term: term.to_owned(),
        group: la.to_owned(),
        deprivation_column: Some(x_column.to_owned()),
        population_column: roles.population.clone(),
    };
    let set = la_gradient_set(model.fit, model.design, df, &request)?;
    let scored: Vec<_> =
        set.gradients.iter().filter(|g| g.mean_deprivation.is_some_and(f64::is_finite)).collect();
    if scored.len() < 2 {
        return Err(ViewError::TooFew { needed: 2, what: "LAs have a social gradient score" });
    }
    let fit = model.fit;
    let b_term = fit.terms.iter().position(|t| t == term).and_then(|k| fit.beta.get(k)).copied();
    let b_term = b_term.ok_or_else(|| ViewError::NoTerm(term.to_owned()))?;
    let moderator = moderators.iter().find(|m| m.role == TermRole::LaDeprivation);
    let line_values = match moderator {
        Some(m) => model_line(model, df, la, term, m)?,
        None => Vec::new(),
    };

    let points: Vec<[f64; 2]> =
        scored.iter().map(|g| [g.mean_deprivation.unwrap_or(f64::NAN), g.score]).collect();
    let (lo_pt, hi_pt) =
        points.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| (a.min(p[1]), b.max(p[1])));
    // Intervals of LAs with few neighbourhoods can be very wide; bars are cut at 1.5 times the
    // range of the scores so that the scores stay readable (the table has the full intervals).
    let (lo_lim, hi_lim) = (lo_pt / 1.5, hi_pt * 1.5);
    let bars: Vec<[f64; 2]> = scored.iter().map(|g| [g.ci_low.max(lo_lim), g.ci_high.min(hi_lim)]).collect();
    let cut = scored.iter().any(|g| g.ci_low < lo_lim || g.ci_high > hi_lim);
    let mut line: Vec<[f64; 2]> = scored
        .iter()
        .filter_map(|g| {
            let x = g.mean_deprivation?;
            line_values.iter().find(|(l, _)| *l == g.level).map(|(_, y)| [x, *y])
        })
        .collect();
    line.sort_by(|a, b| a[0].total_cmp(&b[0]));
    let line_name = if moderator.is_some() {
        "Fitted: the model's gradient at each LA's deprivation".to_owned()
    } else {
        let (x0, x1) =
            points.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| (a.min(p[0]), b.max(p[0])));
        line = vec![[x0, b_term.exp()], [x1, b_term.exp()]];
        "Fitted: the average gradient (no LA deprivation interaction)".to_owned()
    };
    let step_words = step.map_or_else(|| format!("per unit of {term}"), |s| format!("per {s}"));
    let rows = scored
        .iter()
        .map(|g| {
            let fitted = line_values.iter().find(|(l, _)| *l == g.level).map_or(b_term.exp(), |(_, y)| *y);
            vec![
                g.level.clone(),
                g.rows.to_string(),
                cell(g.mean_deprivation.unwrap_or(f64::NAN), 2),
                cell(g.score, 2),
                format!("{} to {}", cell(g.ci_low, 2), cell(g.ci_high, 2)),
                cell(fitted, 2),
            ]
        })
        .collect();
    Ok(ChartView {
        id: "la_gradients",
        title: "Social gradient in each LA against LA deprivation".to_owned(),
        description: la_description(&set, x_column, moderators, cut),
        spec: ChartSpec {
            title: String::new(),
            x_label: format!("LA deprivation ({x_column})"),
            y_label: format!("Social gradient score ({step_words})"),
            series: vec![
                series("Each LA (95% interval)", SeriesKind::Points, 0, points, bars),
                series(&line_name, SeriesKind::Line, 1, line, Vec::new()),
            ],
            y_from_zero: false,
            font_px: CHART_FONT_PX,
            // Scores fall with LA deprivation: the lower left stays clear.
            legend: LegendCorner::LowerLeft,
            aspect: None,
        },
        table: Table {
            caption: format!("Social gradient score of each LA ({step_words})"),
            header: vec![
                "LA".into(),
                "Neighbourhoods".into(),
                format!("LA deprivation ({x_column})"),
                "Social gradient score".into(),
                "95% interval".into(),
                "Fitted by the model".into(),
            ],
            rows,
        },
    })
}

/// Observed against fitted rates in up to 20 groups of neighbourhoods of similar fitted rate.
pub fn observed_fitted(model: Fitted<'_>, df: &DataFrame, roles: &Roles) -> Result<ChartView, ViewError> {
    let (exposure, unit) = exposures(model, df, roles)?;
    let (y, mu) = (&model.design.y, &model.fit.fitted);
    let mut idx = usable(y, mu, &exposure);
    if idx.len() < 4 {
        return Err(ViewError::TooFew { needed: 4, what: "neighbourhoods can be compared" });
    }
    let rate = |i: usize| mu[i] / exposure[i];
    idx.sort_by(|&a, &b| rate(a).total_cmp(&rate(b)));
    let k = (idx.len() / 10).clamp(2, 20);
    let (mut points, mut bars, mut rows) = (Vec::new(), Vec::new(), Vec::new());
    for (g, members) in equal_groups(&idx, k).iter().enumerate() {
        let t = Group::of(members, y, mu, &exposure);
        let [lo, hi] = t.interval();
        points.push([t.fitted_rate(), t.rate()]);
        bars.push([lo, hi]);
        rows.push(vec![
            (g + 1).to_string(),
            t.rows.to_string(),
            cell(t.fitted_rate(), 1),
            cell(t.rate(), 1),
            format!("{} to {}", cell(lo, 1), cell(hi, 1)),
        ]);
    }
    let (x0, x1) =
        points.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| (a.min(p[0]), b.max(p[0])));
    let outcome = model.formula.response();
    let lower = unit.to_lowercase();
    Ok(ChartView {
        id: "observed_fitted",
        title: format!("Observed against fitted {outcome}"),
        description: format!(
            "Neighbourhoods are put in {k} groups of equal size by their fitted rate. Each point is a group's fitted \
             and observed rate, with a 95% interval; points near the dashed line mean the model fits well."
        ),
        spec: ChartSpec {
            title: String::new(),
            x_label: format!("Fitted: {lower}"),
            y_label: format!("Observed: {lower}"),
            series: vec![
                series("Groups of neighbourhoods (95% interval)", SeriesKind::Points, 0, points, bars),
                series("Observed = fitted", SeriesKind::Dashed, 6, vec![[x0, x0], [x1, x1]], Vec::new()),
            ],
            y_from_zero: false,
            font_px: CHART_FONT_PX,
            legend: LegendCorner::UpperLeft,
            aspect: None,
        },
        table: Table {
            caption: format!("Observed and fitted {outcome} in groups of neighbourhoods"),
            header: vec!["Group".into(), "Neighbourhoods".into(), format!("Fitted: {lower}"), format!("Observed: {lower}"), "95% interval".into()],
            rows,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_poisson_intervals() {
        // Garwood intervals (R: poisson.test(k)$conf.int): k = 0: [0, 3.689]; k = 10: [4.795, 18.39].
        let (lo, hi) = poisson_interval(0.0);
        assert_eq!(lo, 0.0);
        assert!((hi - 3.688879).abs() < 1e-5, "{hi}");
        let (lo, hi) = poisson_interval(10.0);
        assert!((lo - 4.795389).abs() < 1e-5, "{lo}");
        assert!((hi - 18.390356).abs() < 1e-5, "{hi}");
    }

    #[test]
    fn groups_cover_every_row_once() {
        let idx: Vec<usize> = (0..23).collect();
        let g = equal_groups(&idx, 10);
        assert_eq!(g.len(), 10);
        assert_eq!(g.iter().map(|s| s.len()).sum::<usize>(), 23);
        assert!(g.iter().all(|s| s.len() == 2 || s.len() == 3));
    }
}
