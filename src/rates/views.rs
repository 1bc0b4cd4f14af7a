//! What the page shows of the real figures, in one object per request: the chosen LA's figures
//! beside England's with its rank, the trend chart, "higher or lower than expected" (the
//! sentence, the funnel plot, the LAs outside the limits, the model and its R code), the
//! inverse intervention law in real data (rates against LA deprivation with the fitted curve),
//! and the map's colours. Charts are the engine's chart views with, for the funnel and the
//! scatter, the name of every point, which the page shows on hover and on focus.

use serde::{Deserialize, Serialize};

use super::data::{has_year, la_index, Measure, ATTRIBUTION, LAST_YEAR, SOURCE};
use super::england::{england_rate, EnglandRate};
use super::error::{check_year, RatesError};
use super::expected::{expected, r_code, Covariate, ExpectedModel, LaExpected, Position, Standardised};
use super::figures::{measure_figure, MeasureFigure};
use super::nbinom::quantile;
use super::trend::{trend, TrendView};
use crate::calculator::format::{number, shown, Quantity, Shown};
use crate::charts::{cell, ChartSpec, ChartView, LegendCorner, Series, SeriesKind, Table};
use crate::places::{find_la, places};

/// What the figures are and are not, for every place that shows them.
pub const WHAT_THEY_ARE: &str = "The Department for Education's statistics for each local authority: counts in the \
     year ending 31 March (referrals, child protection plans started) or on 31 March (children in need, on a plan, \
     looked after), per 10,000 children aged 0-17 (ONS estimates, revised after Census 2021). They are not the \
     studies' neighbourhood rates, and they describe, not explain: an association with deprivation is not a cause.";

/// A request from the page: `{la, measure, year, covariates}`, every field optional.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RatesRequest {
    /// LA code or name; none for England alone.
    #[serde(default)]
    pub la: Option<String>,
    /// `referrals`, `cin_at31`, ...; children looked after when absent.
    #[serde(default)]
    pub measure: Option<String>,
    /// The latest year when absent.
    #[serde(default)]
    pub year: Option<i64>,
    /// Covariates beside IMD (`idaci`, `rural`).
    #[serde(default)]
    pub covariates: Vec<Covariate>,
}

/// The place a point of a chart stands for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointLabel {
    pub code: String,
    pub name: String,
    /// The point's values in words, every number as the page shows it.
    pub shown: String,
}

/// A chart whose points are places: the view and, per series, the place of each point (empty for
/// a series of lines).
#[derive(Debug, Clone, Serialize)]
pub struct PointedChart {
    pub view: ChartView,
    pub labels: Vec<Vec<PointLabel>>,
}

/// The label of LA number `index`, its values said by `shown`.
fn point_label(index: usize, shown: String) -> PointLabel {
    let la = &places()[index].la;
    PointLabel { code: la.la_code.clone(), name: la.display_name().to_owned(), shown }
}

/// A funnel point's words: "1.22 times expected (531 observed, 437 expected)".
fn funnel_words(l: &LaExpected) -> String {
    format!(
        "{} expected ({} observed, {} expected)",
        times(l.ratio),
        number(Quantity::Count, l.observed as f64),
        number(Quantity::Count, l.expected)
    )
}

/// One measure of the table of the five.
#[derive(Debug, Clone, Serialize)]
pub struct MeasureChoice {
    pub name: &'static str,
    pub label: &'static str,
}

/// The chosen LA in the model.
#[derive(Debug, Clone, Serialize)]
pub struct ChosenExpected {
    #[serde(flatten)]
    pub la: LaExpected,
    pub position: Position,
    /// "In 2025 Blackpool's rate of children looked after was 1.22 times what the model expects...".
    pub sentence: String,
}

/// An LA outside the 99.8% limits.
#[derive(Debug, Clone, Serialize)]
pub struct Outlier {
    pub la_code: String,
    pub la_name: String,
    pub observed: u32,
    pub expected: f64,
    pub ratio: f64,
    /// "531 against 437 expected (1.22 times)".
    pub shown: String,
}

/// One coefficient as the page's table shows it.
#[derive(Debug, Clone, Serialize)]
pub struct CoefficientRow {
    pub term: String,
    pub meaning: String,
    pub estimate: f64,
    pub std_error: f64,
    pub rate_ratio: f64,
}

/// "Higher or lower than expected" for one measure and year.
#[derive(Debug, Clone, Serialize)]
pub struct ExpectedView {
    pub formula: String,
    pub n: usize,
    pub theta: f64,
    pub coefficients: Vec<CoefficientRow>,
    pub standardised: Vec<Standardised>,
    pub chosen: Option<ChosenExpected>,
    pub above: Vec<Outlier>,
    pub below: Vec<Outlier>,
    /// LAs without a figure, with the reason, in words.
    pub missing: Vec<String>,
    pub warnings: Vec<String>,
    pub funnel: PointedChart,
    pub r_code: String,
    /// How to read the model, in words.
    pub reading: String,
}

/// The inverse intervention law in real data.
#[derive(Debug, Clone, Serialize)]
pub struct ScatterView {
    pub chart: PointedChart,
    pub reading: String,
}

/// Everything the page shows for one request.
#[derive(Debug, Clone, Serialize)]
pub struct RatesView {
    pub la_code: Option<String>,
    pub la_name: Option<String>,
    pub measure: Measure,
    pub measure_label: &'static str,
    pub year: u16,
    pub years: Vec<u16>,
    pub measures: Vec<MeasureChoice>,
    /// The chosen LA's five measures in `year` (none when no LA is chosen).
    pub figures: Vec<MeasureFigure>,
    /// England's five rates in `year`, and each as the page shows it.
    pub england: Vec<EnglandRate>,
    pub england_shown: Vec<String>,
    pub trend: TrendView,
    /// `None` with `expected_error` when the model cannot be fitted.
    pub expected: Option<ExpectedView>,
    pub expected_error: Option<String>,
    pub scatter: Option<ScatterView>,
    pub what_they_are: &'static str,
    pub source: &'static str,
    pub attribution: &'static str,
}

/// The measure, year and LA of a request (children looked after in the latest year when absent).
pub fn resolve(request: &RatesRequest) -> Result<(Measure, u16, Option<usize>), RatesError> {
    let measure = match &request.measure {
        Some(m) => Measure::parse(m).ok_or_else(|| RatesError::UnknownMeasure { measure: m.clone() })?,
        None => Measure::ClaAt31,
    };
    let year = request.year.map(check_year).transpose()?.unwrap_or(LAST_YEAR);
    let la = match request.la.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(q) => Some(la_index(&find_la(q)?.la.la_code).expect("a found LA is in the table")),
        None => None,
    };
    Ok((measure, year, la))
}

/// `1.22` as "1.22 times", `0.8` as "0.80 times".
fn times(ratio: f64) -> String {
    format!("{} times", number(Quantity::Ratio, ratio))
}

/// The sentence about the chosen LA in the model.
fn expected_sentence(model: &ExpectedModel, la: &LaExpected) -> String {
    let d = &model.details;
    let name = places()[la.index].la.display_name();
    format!(
        "In {} {name}'s {} was {} what the model expects for an authority as deprived, with as many children \
         ({} {}, {} expected); {}.",
        d.year,
        d.measure.rate_words(),
        times(la.ratio),
        number(Quantity::Count, la.observed as f64),
        d.measure.counted(),
        number(Quantity::Count, la.expected),
        la.position().words()
    )
}

fn outliers(model: &ExpectedModel, position: Position) -> Vec<Outlier> {
    let mut list: Vec<Outlier> = model
        .las
        .iter()
        .filter(|l| l.position() == position)
        .map(|l| Outlier {
            la_code: l.la_code.clone(),
            la_name: places()[l.index].la.display_name().to_owned(),
            observed: l.observed,
            expected: l.expected,
            ratio: l.ratio,
            shown: format!(
                "{} against {} expected ({})",
                number(Quantity::Count, l.observed as f64),
                number(Quantity::Count, l.expected),
                times(l.ratio)
            ),
        })
        .collect();
    list.sort_by(|a, b| b.ratio.total_cmp(&a.ratio));
    if position == Position::Below998 {
        list.reverse();
    }
    list
}

/// Expected counts from the smallest to the largest in the model, spaced evenly on a log
/// scale, where the limit curves are drawn.
fn grid(model: &ExpectedModel, points: usize) -> Vec<f64> {
    let lo = model.las.iter().map(|l| l.expected).fold(f64::INFINITY, f64::min);
    let hi = model.las.iter().map(|l| l.expected).fold(0.0, f64::max);
    (0..points).map(|i| lo * (hi / lo).powf(i as f64 / (points - 1) as f64)).collect()
}

/// The funnel plot: every LA's observed / expected against its expected count, the chosen LA
/// marked, and the 95% and 99.8% limits of the fitted NB2 distribution divided by the expected
/// count (an upper and a lower curve each, one series with a gap between them).
fn funnel(model: &ExpectedModel, chosen: Option<usize>) -> PointedChart {
    let d = &model.details;
    let theta = model.model.theta;
    let grid = grid(model, 160);
    let curve = |low: f64, high: f64| {
        let mut points: Vec<[f64; 2]> =
            grid.iter().map(|&e| [e, quantile(high, theta, e) as f64 / e]).collect();
        points.push([f64::NAN, f64::NAN]);
        points.extend(grid.iter().rev().map(|&e| [e, quantile(low, theta, e) as f64 / e]));
        points
    };
    let name = |l: &LaExpected| places()[l.index].la.display_name().to_owned();
    let (mine, others): (Vec<&LaExpected>, Vec<&LaExpected>) =
        model.las.iter().partition(|l| Some(l.index) == chosen);
    let mut series = vec![
        Series {
            name: "As expected (ratio 1)".into(),
            kind: SeriesKind::Line,
            colour: 6,
            points: vec![[grid[0], 1.0], [grid[grid.len() - 1], 1.0]],
            error_bars: vec![],
        },
        Series {
            name: "95% limits".into(),
            kind: SeriesKind::Dashed,
            colour: 2,
            points: curve(0.025, 0.975),
            error_bars: vec![],
        },
        Series {
            name: "99.8% limits".into(),
            kind: SeriesKind::Dotted,
            colour: 3,
            points: curve(0.001, 0.999),
            error_bars: vec![],
        },
        Series {
            name: "A local authority".into(),
            kind: SeriesKind::Points,
            colour: 0,
            points: others.iter().map(|l| [l.expected, l.ratio]).collect(),
            error_bars: vec![],
        },
    ];
    let mut labels =
        vec![vec![], vec![], vec![], others.iter().map(|l| point_label(l.index, funnel_words(l))).collect()];
    if let Some(l) = mine.first() {
        series.push(Series {
            name: name(l),
            kind: SeriesKind::Marked,
            colour: 1,
            points: vec![[l.expected, l.ratio]],
            error_bars: vec![],
        });
        labels.push(vec![point_label(l.index, funnel_words(l))]);
    }
    let mut rows: Vec<&LaExpected> = model.las.iter().collect();
    rows.sort_by(|a, b| b.ratio.total_cmp(&a.ratio));
    let title = format!("{} in {}: observed against expected", d.measure.label(), d.year);
    PointedChart {
        view: ChartView {
            id: "rates-funnel",
            title: title.clone(),
            description: format!(
                "A funnel plot. Each point is a local authority: its count of {} divided by the count the model \
                 expects (up the side) against the expected count (along the bottom). The dashed lines are the 95% \
                 limits, the dotted lines the 99.8% limits: a point outside the dotted lines is higher or lower than \
                 chance would make it once in 500.",
                d.measure.counted()
            ),
            spec: ChartSpec {
                title: String::new(),
                x_label: format!("Expected count ({}, from the model)", d.measure.label().to_lowercase()),
                y_label: "Observed ÷ expected".into(),
                series,
                y_from_zero: false,
                font_px: 16,
                legend: LegendCorner::UpperRight,
                aspect: None,
            },
            table: Table {
                caption: format!("{title}, from the highest ratio to the lowest"),
                header: ["Local authority", "Observed", "Expected", "Observed ÷ expected", "95% limits", "99.8% limits", "Position"]
                    .map(String::from)
                    .to_vec(),
                rows: rows
                    .iter()
                    .map(|l| {
                        vec![
                            places()[l.index].la.display_name().to_owned(),
                            number(Quantity::Count, l.observed as f64),
                            number(Quantity::Count, l.expected),
                            number(Quantity::Ratio, l.ratio),
                            format!("{} to {}", l.limits_95[0], l.limits_95[1]),
                            format!("{} to {}", l.limits_998[0], l.limits_998[1]),
                            match l.position() {
                                Position::Above998 => "above the 99.8% limits",
                                Position::Above95 => "above the 95% limits",
                                Position::Within95 => "within",
                                Position::Below95 => "below the 95% limits",
                                Position::Below998 => "below the 99.8% limits",
                            }
                            .to_owned(),
                        ]
                    })
                    .collect(),
            },
        },
        labels,
    }
}

/// The model's expected rate at 61 evenly spaced LA IMD 2019 scores across the LAs' range, the
/// other covariates at their average (standardised 0).
fn expected_curve(model: &ExpectedModel) -> Vec<[f64; 2]> {
    let imd = model.details.standardised[0];
    let (lo, hi) = model
        .las
        .iter()
        .map(|l| places()[l.index].la.imd2019_avg_score)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| (a.min(x), b.max(x)));
    let mut others_z = vec![0.0; model.model.coefficients.len() - 1];
    (0..=60)
        .map(|i| {
            let x = lo + (hi - lo) * i as f64 / 60.0;
            others_z[0] = (x - imd.mean) / imd.sd;
            [x, model.rate_at(&others_z)]
        })
        .collect()
}

/// Rates against LA deprivation with the model's curve (other covariates at their average).
fn scatter(model: &ExpectedModel, chosen: Option<usize>) -> ScatterView {
    let d = &model.details;
    let imd = d.standardised[0];
    let point = |l: &LaExpected| {
        [places()[l.index].la.imd2019_avg_score, l.observed as f64 / l.children as f64 * 10_000.0]
    };
    let curve = expected_curve(model);
    let name = |l: &LaExpected| places()[l.index].la.display_name().to_owned();
    let (mine, others): (Vec<&LaExpected>, Vec<&LaExpected>) =
        model.las.iter().partition(|l| Some(l.index) == chosen);
    let extra = model.model.coefficients.len() > 2;
    let mut series = vec![
        Series {
            name: if extra {
                "Model: expected rate (other measures at their average)".into()
            } else {
                "Model: expected rate".into()
            },
            kind: SeriesKind::Line,
            colour: 6,
            points: curve,
            error_bars: vec![],
        },
        Series {
            name: "A local authority".into(),
            kind: SeriesKind::Points,
            colour: 0,
            points: others.iter().map(|l| point(l)).collect(),
            error_bars: vec![],
        },
    ];
    let scatter_words = |l: &LaExpected| {
        let p = point(l);
        format!(
            "{} per 10,000 children, IMD 2019 score {}",
            number(d.measure.quantity(), p[1]),
            number(Quantity::Imd, p[0])
        )
    };
    let mut labels = vec![vec![], others.iter().map(|l| point_label(l.index, scatter_words(l))).collect()];
    if let Some(l) = mine.first() {
        series.push(Series {
            name: name(l),
            kind: SeriesKind::Marked,
            colour: 1,
            points: vec![point(l)],
            error_bars: vec![],
        });
        labels.push(vec![point_label(l.index, scatter_words(l))]);
    }
    let b1 = model.model.coefficients[1].estimate;
    let per_ten = (b1 * 10.0 / imd.sd).exp();
    let mut rows: Vec<&LaExpected> = model.las.iter().collect();
    rows.sort_by(|a, b| {
        places()[b.index].la.imd2019_avg_score.total_cmp(&places()[a.index].la.imd2019_avg_score)
    });
    let title = format!("{} in {} against LA deprivation", d.measure.label(), d.year);
    ScatterView {
        chart: PointedChart {
            view: ChartView {
                id: "rates-scatter",
                title: title.clone(),
                description: format!(
                    "Each point is a local authority: its {} per 10,000 children in {} (up the side) against its IMD \
                     2019 average score (along the bottom; higher is more deprived), with the rate the model expects \
                     for each score as a line.",
                    d.measure.rate_words(),
                    d.year
                ),
                spec: ChartSpec {
                    title: String::new(),
                    x_label: "LA deprivation: IMD 2019 average score".into(),
                    y_label: format!("{} per 10,000 children", d.measure.label()),
                    series,
                    y_from_zero: true,
                    font_px: 16,
                    legend: LegendCorner::UpperLeft,
                    aspect: None,
                },
                table: Table {
                    caption: format!("{title}, from the most deprived LA to the least"),
                    header: ["Local authority", "IMD 2019 average score", "Rate per 10,000", "Expected rate"].map(String::from).to_vec(),
                    rows: rows
                        .iter()
                        .map(|l| {
                            let p = point(l);
                            let q = d.measure.quantity();
                            vec![
                                name(l),
                                number(Quantity::Imd, p[0]),
                                number(q, p[1]),
                                number(q, l.expected / l.children as f64 * 10_000.0),
                            ]
                        })
                        .collect(),
                },
            },
            labels,
        },
        reading: format!(
            "Across authorities, the {} rises with deprivation: {} times for every 10 points of IMD score, by the \
             model. The inverse intervention law is about neighbourhoods: in less deprived authorities, children in \
             equally deprived neighbourhoods are more likely to be referred or looked after (Webb et al. 2020, \
             Table 3; Hood et al. 2021, Table 2). Authority totals cannot show that directly, but points far above the \
             line among the less deprived authorities, on the left, are where it would show. An association, not a \
             cause.",
            d.measure.rate_words(),
            number(Quantity::Ratio, per_ten)
        ),
    }
}

/// The coefficients with what each means.
fn coefficient_rows(model: &ExpectedModel) -> Vec<CoefficientRow> {
    let d = &model.details;
    model
        .model
        .coefficients
        .iter()
        .enumerate()
        .map(|(k, c)| CoefficientRow {
            term: c.term.clone(),
            meaning: if k == 0 {
                format!(
                    "log of the expected {} per child at average deprivation: {} per 10,000",
                    d.measure.label().to_lowercase(),
                    cell(10_000.0 * c.estimate.exp(), d.measure.rate_decimals())
                )
            } else {
                let s = d.standardised[k - 1];
                format!("per SD ({}) of the {}", cell(s.sd, 3), s.covariate.label())
            },
            estimate: c.estimate,
            std_error: c.std_error,
            rate_ratio: c.estimate.exp(),
        })
        .collect()
}

/// The page's view of `request`.
pub fn rates_view(request: &RatesRequest) -> Result<RatesView, RatesError> {
    let (measure, year, la) = resolve(request)?;
    let figures = match la {
        Some(i) => Measure::ALL.iter().map(|&m| measure_figure(i, m, year)).collect(),
        None => Vec::new(),
    };
    let (expected_view, expected_error, scatter_view) = match expected(measure, year, &request.covariates) {
        Ok(model) => {
            let chosen = la.and_then(|i| model.la(i)).map(|l| ChosenExpected {
                la: l.clone(),
                position: l.position(),
                sentence: expected_sentence(&model, l),
            });
            let missing = model
                .details
                .missing
                .iter()
                .map(|(i, gap)| format!("{}: {}", places()[*i].la.display_name(), gap.reason()))
                .collect();
            let view = ExpectedView {
                formula: model.model.formula.clone(),
                n: model.model.n,
                theta: model.model.theta,
                coefficients: coefficient_rows(&model),
                standardised: model.details.standardised.clone(),
                chosen,
                above: outliers(&model, Position::Above998),
                below: outliers(&model, Position::Below998),
                missing,
                warnings: model.details.warnings.clone(),
                funnel: funnel(&model, la),
                r_code: r_code(measure, year, &request.covariates),
                reading: format!(
                    "A negative binomial model (NB2, log link) of the {} LAs with a figure: the count is expected to \
                     rise with the LA's deprivation, in proportion to its children aged 0-17. Expected is what the \
                     model predicts for an authority as deprived with as many children; the limits are where 95% \
                     and 99.8% of counts would fall if the model were right. Differences within the limits are what \
                     chance alone would give; outside them, something else is going on (how the authority works, \
                     its population, how it records), which the figures cannot say.",
                    model.model.n
                ),
            };
            let scatter_view = scatter(&model, la);
            (Some(view), None, Some(scatter_view))
        }
        Err(e) => (None, Some(e.to_string()), None),
    };
    Ok(RatesView {
        la_code: la.map(|i| places()[i].la.la_code.clone()),
        la_name: la.map(|i| places()[i].la.display_name().to_owned()),
        measure,
        measure_label: measure.label(),
        year,
        years: super::data::years().filter(|&y| has_year(y)).collect(),
        measures: Measure::ALL.iter().map(|m| MeasureChoice { name: m.name(), label: m.label() }).collect(),
        figures,
        england: Measure::ALL.iter().map(|&m| england_rate(m, year)).collect(),
        england_shown: Measure::ALL
            .iter()
            .map(|&m| number(m.quantity(), england_rate(m, year).rate))
            .collect(),
        trend: trend(la, measure),
        expected: expected_view,
        expected_error,
        scatter: scatter_view,
        what_they_are: WHAT_THEY_ARE,
        source: SOURCE,
        attribution: ATTRIBUTION,
    })
}

/// How the map colours the LAs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MapMode {
    /// The measure's rate per 10,000 children.
    Rate,
    /// Observed ÷ expected, from the model.
    Ratio,
}

/// One LA on the map.
#[derive(Debug, Clone, Serialize)]
pub struct MapItem {
    pub la_code: String,
    pub la_name: String,
    /// The value coloured (a rate, or observed ÷ expected); `None` without a figure.
    pub estimate: Option<f64>,
    /// Why there is no value.
    pub note: Option<String>,
    /// For a ratio: above or below the 99.8% limits.
    pub outside: Option<Position>,
    /// The value as shown (a rate as DfE prints it, a ratio at 2 decimals); no interval.
    pub shown: Option<Shown>,
    /// From the highest value (1), as everywhere on the page ([`super::figures::ranks`]).
    pub rank: Option<u32>,
    pub tied: bool,
    pub rank_shown: Option<String>,
}

/// The map's values for a measure and year.
#[derive(Debug, Clone, Serialize)]
pub struct MapView {
    pub mode: MapMode,
    pub label: String,
    pub unit: String,
    pub source: String,
    pub decimals: usize,
    pub items: Vec<MapItem>,
    /// How many LAs are ranked, and why the others are not, in words.
    pub ranked_count: u32,
    pub unranked_note: String,
    /// No value on this map has an interval.
    pub any_interval: bool,
}

/// The map's request: `{measure, year, mode, covariates}`.
#[derive(Debug, Clone, Deserialize)]
pub struct MapRequest {
    #[serde(default)]
    pub measure: Option<String>,
    #[serde(default)]
    pub year: Option<i64>,
    pub mode: MapMode,
    #[serde(default)]
    pub covariates: Vec<Covariate>,
}

/// Every LA's rate, or observed ÷ expected, of a measure in a year.
pub fn map_view(request: &MapRequest) -> Result<MapView, RatesError> {
    let (measure, year, _) = resolve(&RatesRequest {
        la: None,
        measure: request.measure.clone(),
        year: request.year,
        covariates: Vec::new(),
    })?;
    let model = match request.mode {
        MapMode::Ratio => Some(expected(measure, year, &request.covariates)?),
        MapMode::Rate => None,
    };
    let quantity = match request.mode {
        MapMode::Rate => measure.quantity(),
        MapMode::Ratio => Quantity::Ratio,
    };
    let mut items: Vec<MapItem> = places()
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let figure = super::data::row(i, year).map(|r| r.figure(measure));
            let gap = figure.and_then(|f| f.err()).map(|g| g.reason().to_owned());
            let (estimate, outside) = match &model {
                None => (figure.and_then(|f| f.ok()).map(|f| f.rate), None),
                Some(m) => match m.la(i) {
                    Some(l) => (Some(l.ratio), Some(l.position())),
                    None => (None, None),
                },
            };
            MapItem {
                la_code: p.la.la_code.clone(),
                la_name: p.la.la_name.clone(),
                estimate,
                note: if estimate.is_none() { Some(gap.unwrap_or_else(|| "no figure".into())) } else { None },
                outside,
                shown: estimate.map(|x| shown(quantity, x, None, None)),
                rank: None,
                tied: false,
                rank_shown: None,
            }
        })
        .collect();
    // Rates are ranked by the unrounded rate, as the LA's figures are; ratios by the ratio.
    let (ranks, ranked_count) = match request.mode {
        MapMode::Rate => super::figures::rate_ranks(measure, year),
        MapMode::Ratio => super::figures::ranks(&items.iter().map(|i| i.estimate).collect::<Vec<_>>()),
    };
    for (item, rank) in items.iter_mut().zip(ranks) {
        if let Some(r) = rank {
            (item.rank, item.tied, item.rank_shown) = (Some(r.rank), r.tied, Some(r.shown));
        }
    }
    let (label, unit, decimals) = match request.mode {
        MapMode::Rate => (
            format!("{} per 10,000 children, {year}", measure.label()),
            "DfE figures; children aged 0-17, year ending 31 March".to_owned(),
            measure.rate_decimals(),
        ),
        MapMode::Ratio => (
            format!("{}, {year}: observed ÷ expected", measure.label()),
            "1 is what the model expects for an authority as deprived; above 1, more".to_owned(),
            2,
        ),
    };
    Ok(MapView {
        mode: request.mode,
        label,
        unit,
        source: SOURCE.to_owned(),
        decimals,
        items,
        ranked_count,
        unranked_note: super::figures::unranked_note(),
        any_interval: false,
    })
}
