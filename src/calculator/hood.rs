//! Social gradients from Hood et al. 2021.
//!
//! The report prints each score at three LA contexts: LA income deprivation 10 percentage points
//! below the England LA average ("Low IMD"), at the average, and 10 points above it ("High
//! IMD"). With `d` the LA's distance from the average in percentage points and `s(d)` the score:
//!
//! - at `d` = -10, 0, +10 the score is the printed cell (at `d` = 0 with its printed 95% CI);
//! - between the printed contexts `log s` is linear in `d` on [-10, 0] and on [0, +10], joining
//!   the printed cells; the report prints no CI there;
//! - beyond +-10 `log s` continues from the nearest printed cell with slope `log(IE) / 10`,
//!   where IE is the printed interaction effect (the multiplicative change in the score per 10
//!   points of LA deprivation); the result is flagged as extrapolated.
//!
//! With `area` (Table 16) or `density` (Table 17) the measure must be `referral`, `cin` or
//! `cp_plan`, whose columns those tables print at the same three LA contexts; beyond +-10 the
//! nearest segment's slope is continued. Those tables print no CIs.
//!
//! `d` must lie strictly between -100 and +100: a share of families cannot move further.

use serde::Serialize;

use super::comparison::{AverageComparison, RangeKind, RangeNote};
use super::format::{self, number, Quantity};
use super::measures::{self, HoodMeasure};
use super::wording::{above_below, trimmed};
use super::{finite, Area, CalcError, Curve, Density, GradientResult, Like, Point, ResolvedContext, Series};
use crate::tables::hood2021::{
    table16, table17, ByLaDeprivation, ContextRow, GradientRow, DOCUMENT, SEED, TABLE5_ETHNICITY,
};
use crate::tables::{Interval, Significance};

/// Unit of a Hood et al. 2021 social gradient score.
pub const UNIT: &str = "rate ratio per 10 percentage-point rise in the share of families in \
                        income deprivation (neighbourhood, within LA)";

/// Unit of a comparative score (Tables 9, 12, 13).
pub const COMPARATIVE_UNIT: &str = "ratio of two social gradients (group vs reference group), \
                                    each per 10 percentage-point rise in the share of families \
                                    in income deprivation";

/// Distance of the printed Low IMD / High IMD contexts from the LA average, in points.
pub const PRINTED_STEP: f64 = 10.0;

/// `la_dep` must lie strictly inside +-this many points.
pub const LA_DEP_LIMIT: f64 = 100.0;

/// Relative-rate curves run over neighbourhood deprivation +-this many points from the LA mean.
pub const CURVE_HALF_WIDTH: f64 = 20.0;

/// Fewest and most points of a relative-rate curve.
pub const CURVE_POINTS: (usize, usize) = (2, 1001);

/// Measures that Tables 16 and 17 print (their Referrals, CIN and CPP columns).
pub const CONTEXT_MEASURES: [&str; 3] = ["referral", "cin", "cp_plan"];

/// The resolved context of a Hood et al. 2021 result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HoodContext {
    pub measure: String,
    /// LA income deprivation, percentage points above (+) or below (-) the LA average.
    pub la_dep: f64,
    pub area: Option<Area>,
    pub density: Option<Density>,
}

/// How the score continues beyond the printed contexts.
#[derive(Debug, Clone, Copy)]
enum Beyond {
    /// At the printed interaction effect per 10 points.
    Interaction(f64),
    /// At the slope of the nearest printed segment.
    SegmentSlope,
}

/// The printed cells of one measure in one neighbourhood context.
#[derive(Debug, Clone, Copy)]
struct Cells {
    low: f64,
    mid: f64,
    high: f64,
    beyond: Beyond,
}

impl Cells {
    fn from_context(cells: ByLaDeprivation) -> Cells {
        Cells { low: cells.low, mid: cells.mid, high: cells.high, beyond: Beyond::SegmentSlope }
    }

    /// The score at `d` points from the LA average (see the module documentation).
    fn at(&self, d: f64) -> f64 {
        let (low, mid, high) = (self.low.ln(), self.mid.ln(), self.high.ln());
        let step = PRINTED_STEP;
        if d == -step {
            self.low
        } else if d == 0.0 {
            self.mid
        } else if d == step {
            self.high
        } else if (-step..0.0).contains(&d) {
            (mid + (mid - low) * d / step).exp()
        } else if (0.0..step).contains(&d) {
            (mid + (high - mid) * d / step).exp()
        } else if d > step {
            let slope = match self.beyond {
                Beyond::Interaction(ie) => ie.ln(),
                Beyond::SegmentSlope => high - mid,
            };
            (high + slope * (d - step) / step).exp()
        } else {
            let slope = match self.beyond {
                Beyond::Interaction(ie) => ie.ln(),
                Beyond::SegmentSlope => mid - low,
            };
            (low + slope * (d + step) / step).exp()
        }
    }
}

/// A neighbourhood context from Table 16 or 17.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Neighbourhood {
    Area(Area),
    Density(Density),
}

impl Neighbourhood {
    /// The request fields that select this context.
    pub(crate) fn request_fields(self) -> (Option<Area>, Option<Density>) {
        match self {
            Neighbourhood::Area(area) => (Some(area), None),
            Neighbourhood::Density(density) => (None, Some(density)),
        }
    }

    fn table(self) -> &'static str {
        match self {
            Neighbourhood::Area(_) => "Table 16",
            Neighbourhood::Density(_) => "Table 17",
        }
    }

    /// "rural neighbourhoods", "low-density neighbourhoods".
    pub(crate) fn words(self) -> String {
        match self {
            Neighbourhood::Area(area) => format!("{} neighbourhoods", area.key()),
            Neighbourhood::Density(density) => format!("{}-density neighbourhoods", density.key()),
        }
    }

    /// The error for a measure this context's table does not give.
    fn not_in_table(self, measure: &str, label: &str) -> CalcError {
        CalcError::MeasureNotInTable {
            measure: measure.to_string(),
            label: label.to_string(),
            context: self.words(),
            table: self.table().to_string(),
            available: CONTEXT_MEASURES.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// The printed cells of a Table 2 measure in this context.
    fn cells(self, row: &GradientRow) -> Result<Cells, CalcError> {
        fn column<C>(r: &ContextRow<C>, measure: &str) -> Option<ByLaDeprivation> {
            match measure {
                "referral" => Some(r.referral),
                "cin" => Some(r.cin),
                "cp_plan" => Some(r.cpp),
                _ => None,
            }
        }
        let cells = match self {
            Neighbourhood::Area(area) => column(table16(area), row.measure),
            Neighbourhood::Density(density) => column(table17(density), row.measure),
        };
        cells.map(Cells::from_context).ok_or_else(|| self.not_in_table(row.measure, row.label))
    }
}

/// Everything a result needs about the measure in its context.
struct Plan {
    cells: Cells,
    table: &'static str,
    label: String,
    unit: &'static str,
    /// The printed 95% CI at d = 0, if the table prints one.
    ci: Option<Interval>,
    /// Significance of the interaction effect, where printed.
    interaction: Option<(f64, Significance)>,
    /// Subject and, for comparative measures, reference subject of the reading.
    subject: &'static str,
    reference_subject: Option<&'static str>,
    neighbourhood: Option<Neighbourhood>,
    notes: Vec<String>,
}

fn plan(measure: HoodMeasure, neighbourhood: Option<Neighbourhood>) -> Result<Plan, CalcError> {
    match (measure, neighbourhood) {
        (HoodMeasure::Gradient { table, row }, None) => {
            let mut notes = Vec::new();
            if std::ptr::eq(table, &TABLE5_ETHNICITY) {
                notes.push(
                    "Social gradients by ethnicity are computed on MSOAs rather than LSOAs, so \
                     the report does not compare them directly with the other gradients."
                        .to_string(),
                );
            }
            Ok(Plan {
                cells: Cells {
                    low: row.low_imd,
                    mid: row.score,
                    high: row.high_imd,
                    beyond: Beyond::Interaction(row.interaction),
                },
                table: table.table,
                label: row.label.to_string(),
                unit: UNIT,
                ci: Some(row.ci),
                interaction: Some((row.interaction, row.significance)),
                subject: row.subject,
                reference_subject: None,
                neighbourhood: None,
                notes,
            })
        }
        (HoodMeasure::Gradient { row, .. }, Some(nb)) => Ok(Plan {
            cells: nb.cells(row)?,
            table: nb.table(),
            label: format!("{} ({})", row.label, nb.words()),
            unit: UNIT,
            ci: None,
            interaction: None,
            subject: row.subject,
            reference_subject: None,
            neighbourhood: Some(nb),
            notes: Vec::new(),
        }),
        (HoodMeasure::Comparative { table, group }, None) => {
            let row = &group.comparison;
            Ok(Plan {
                cells: Cells {
                    low: row.low_imd,
                    mid: row.score,
                    high: row.high_imd,
                    beyond: Beyond::Interaction(row.interaction),
                },
                table: table.table,
                label: group.label.to_string(),
                unit: COMPARATIVE_UNIT,
                ci: row.ci,
                interaction: Some((row.interaction, row.significance)),
                subject: group.subject,
                reference_subject: Some(group.reference_subject),
                neighbourhood: None,
                notes: vec![format!(
                    "{} compares the social gradient of {} with that of {} (the reference \
                     group, 1.00); above 1 means steeper.",
                    table.table, group.subject, group.reference_subject
                )],
            })
        }
        (HoodMeasure::Comparative { group, .. }, Some(nb)) => {
            Err(nb.not_in_table(group.measure, group.label))
        }
    }
}

/// Checks the request and returns the measure, `d` and the neighbourhood context.
fn read_request(
    measure: &str,
    la_dep: Option<f64>,
    area: Option<Area>,
    density: Option<Density>,
) -> Result<(HoodMeasure, f64, Option<Neighbourhood>), CalcError> {
    let neighbourhood = match (area, density) {
        (Some(_), Some(_)) => {
            return Err(CalcError::Conflict {
                first: "area".to_string(),
                second: "density".to_string(),
                reason: "urban/rural (Table 16) and population density (Table 17) come from \
                         separate models"
                    .to_string(),
            })
        }
        (Some(a), None) => Some(Neighbourhood::Area(a)),
        (None, Some(d)) => Some(Neighbourhood::Density(d)),
        (None, None) => None,
    };
    let d = match la_dep {
        Some(x) => finite("la_dep", x)?,
        None => 0.0,
    };
    if d.abs() >= LA_DEP_LIMIT {
        return Err(CalcError::OutOfRange {
            field: "la_dep".to_string(),
            value: d,
            allowed: "it is a difference between two percentages, so it lies strictly between \
                      -100 and +100 percentage points"
                .to_string(),
        });
    }
    Ok((measures::find(measure)?, d, neighbourhood))
}

/// "an LA with average income deprivation", "an LA whose share of income-deprived families is
/// 5.0 percentage points above the England LA average", or for a real LA "an LA like Blackpool,
/// whose share ...".
fn la_words(d: f64, like: Option<&Like>) -> String {
    let (subject, joiner) = match like {
        Some(like) => (like.phrase(), ","),
        None => ("an LA".to_string(), ""),
    };
    if d == 0.0 {
        format!("{subject}{joiner} with average income deprivation")
    } else {
        format!(
            "{subject}{joiner} whose share of income-deprived families is {} percentage points {} \
             the England LA average",
            number(Quantity::Points, d.abs()),
            above_below(d)
        )
    }
}

/// The step every Hood et al. 2021 score is per, in plain words.
pub const STEP_WORDS: &str = "each 10-point rise in the share of income-deprived families in a \
                              neighbourhood, compared with the LA's other neighbourhoods";

/// The badge and sentence of a context beyond the printed +-10 points.
fn range_note(d: f64, beyond: Beyond, like: Option<&Like>) -> RangeNote {
    let who = match like {
        Some(like) => like.name.to_string(),
        None => "This context".to_string(),
    };
    let how = match beyond {
        Beyond::Interaction(ie) => format!(
            "continues the printed trend (the interaction effect, {} per 10 points)",
            number(Quantity::Score, ie)
        ),
        Beyond::SegmentSlope => "continues the trend between the nearest two printed cells".to_string(),
    };
    RangeNote::new(
        RangeKind::OutsidePrintedContexts,
        format!(
            "{who} is {} points of income deprivation {} the average LA; the report covers every \
             English LA but prints scores only for LAs up to {} points either side of the average, so \
             this score {how}.",
            number(Quantity::Points, d.abs()),
            above_below(d),
            number(Quantity::Points, PRINTED_STEP)
        ),
    )
}

/// Social gradient of a measure in an LA context (see the module documentation).
pub(crate) fn gradient(
    measure: &str,
    la_dep: Option<f64>,
    area: Option<Area>,
    density: Option<Density>,
    like: Option<&Like>,
) -> Result<GradientResult, CalcError> {
    let (m, d, neighbourhood) = read_request(measure, la_dep, area, density)?;
    let plan = plan(m, neighbourhood)?;
    let estimate = plan.cells.at(d);
    let step = PRINTED_STEP;
    let published = d == -step || d == 0.0 || d == step;
    let extrapolated = d.abs() > step;
    let ci = if d == 0.0 { plan.ci } else { None };
    let shown = format::shown(Quantity::Score, estimate, ci.map(|c| c.low), ci.map(|c| c.high));

    let mut warnings = plan.notes.clone();
    if published && d != 0.0 && plan.neighbourhood.is_none() {
        warnings.push(
            "The report prints no confidence interval for its Low IMD and High IMD columns.".to_string(),
        );
    }
    if !published && !extrapolated {
        warnings.push(format!(
            "The report prints scores only for LAs 10 points below, at and 10 points above the \
             average; this value is interpolated (log-linearly) between the printed cells of {} and \
             has no confidence interval.",
            plan.table
        ));
    }
    let range = extrapolated.then(|| range_note(d, plan.cells.beyond, like));
    if let Some(note) = &range {
        warnings.push(note.explanation.clone());
    }
    if let Some((ie, significance)) = plan.interaction {
        if d != 0.0 && !significance.significant_at_5_percent() {
            warnings.push(format!(
                "The report does not mark this measure's interaction effect ({}) as statistically \
                 significant, so the change with LA deprivation may be due to chance.",
                number(Quantity::Score, ie)
            ));
        }
    }

    let ci_note = match (ci, plan.neighbourhood) {
        (Some(_), _) => format!("As printed in {}.", plan.table),
        (None, Some(nb)) => format!("{} prints no confidence intervals.", nb.table()),
        (None, None) => {
            "The report prints a 95% CI only for an LA of average income deprivation.".to_string()
        }
    };
    let ci_words = shown.interval().map(|ci| format!(" ({ci})")).unwrap_or_default();
    let place = match plan.neighbourhood {
        Some(nb) => format!("{} of {}", nb.words(), la_words(d, like)),
        None => la_words(d, like),
    };
    let value = &shown.value;
    let reading = match plan.reference_subject {
        None => format!(
            "In {place}, each 10-point rise in the share of income-deprived families in a \
             neighbourhood goes with {value} times the rate of {}{ci_words}.",
            plan.subject
        ),
        Some(reference) => format!(
            "In {place}, the social gradient of {} is {value} times that of {reference}{ci_words}.",
            plan.subject
        ),
    };
    let reference = match plan.neighbourhood {
        Some(nb) => format!("{} of an LA of average income deprivation", nb.words()),
        None => "an LA of average income deprivation".to_string(),
    };
    let average = AverageComparison::new(
        estimate,
        plan.cells.mid,
        &reference,
        plan.reference_subject.is_none(),
        d == 0.0,
    );
    let technical = vec![format!(
        "LA context: income deprivation {} percentage points from the average of LAs (la_dep = {}).",
        number(Quantity::Points, d),
        trimmed(d, 2)
    )];

    Ok(GradientResult {
        estimate,
        shown,
        ci_low: ci.map(|c| c.low),
        ci_high: ci.map(|c| c.high),
        ci_note,
        source: DOCUMENT.to_string(),
        table: plan.table.to_string(),
        seed: SEED.to_string(),
        unit: plan.unit.to_string(),
        step_words: STEP_WORDS.to_string(),
        published,
        extrapolated,
        range,
        average,
        warnings,
        reading,
        technical,
        label: plan.label,
        la: None,
        context: ResolvedContext::Hood2021(HoodContext {
            measure: m.name().to_string(),
            la_dep: d,
            area,
            density,
        }),
    })
}

/// Rate of a measure in a neighbourhood `x` percentage points of income deprivation above (+)
/// or below (-) its LA's average, relative to an averagely deprived neighbourhood of the same
/// LA: `s^(x / 10)` with `s` the social gradient score of the LA context, for `points` values
/// of `x` evenly spaced over [-20, +20]. The report gives no intercepts, so only relative rates
/// can be drawn. The first series is the requested context, the second an LA with average
/// income deprivation (same neighbourhood type). Comparative measures (Tables 9, 12, 13) have no
/// rate and are refused.
pub fn hood_relative_curve(
    measure: &str,
    la_dep: Option<f64>,
    area: Option<Area>,
    density: Option<Density>,
    points: usize,
) -> Result<Curve, CalcError> {
    let (min, max) = CURVE_POINTS;
    if !(min..=max).contains(&points) {
        return Err(CalcError::Points { points, min, max });
    }
    let (m, _, _) = read_request(measure, la_dep, area, density)?;
    if let HoodMeasure::Comparative { .. } = m {
        return Err(CalcError::NoCurve { measure: m.name().to_string(), table: m.table().to_string() });
    }
    let chosen = gradient(measure, la_dep, area, density, None)?;
    let average = gradient(measure, Some(0.0), area, density, None)?;
    let half = CURVE_HALF_WIDTH;
    let xs: Vec<f64> = (0..points).map(|i| -half + 2.0 * half * i as f64 / (points - 1) as f64).collect();
    let series = |label: String, score: f64| Series {
        label,
        points: xs.iter().map(|&x| Point { x, y: score.powf(x / PRINTED_STEP) }).collect(),
    };
    let d = la_dep.unwrap_or(0.0);
    let mut warnings =
        vec!["Relative rates only: the report gives no intercepts, so absolute rates cannot be drawn."
            .to_string()];
    warnings.extend(chosen.warnings.iter().cloned());
    Ok(Curve {
        title: format!("{}: rate relative to an averagely deprived neighbourhood", chosen.label),
        x_label: "Neighbourhood income deprivation (percentage points from the LA average)".to_string(),
        y_label: "Rate relative to an averagely deprived neighbourhood of the same LA".to_string(),
        series: vec![
            series(la_words(d, None), chosen.estimate),
            series("An LA with average income deprivation".to_string(), average.estimate),
        ],
        source: chosen.source,
        table: chosen.table,
        seed: chosen.seed,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::hood2021::{
        COMPARATIVE_TABLES, GRADIENT_TABLES, TABLE16_URBAN_RURAL, TABLE17_DENSITY,
    };

    fn score(measure: &str, d: f64) -> GradientResult {
        gradient(measure, Some(d), None, None, None).unwrap()
    }

    #[test]
    fn printed_cells_are_reproduced_exactly_for_every_measure() {
        for table in GRADIENT_TABLES {
            for row in table.rows {
                let low = score(row.measure, -10.0);
                let mid = score(row.measure, 0.0);
                let high = score(row.measure, 10.0);
                assert_eq!(low.estimate, row.low_imd, "{}", row.measure);
                assert_eq!(mid.estimate, row.score, "{}", row.measure);
                assert_eq!(high.estimate, row.high_imd, "{}", row.measure);
                assert_eq!((mid.ci_low, mid.ci_high), (Some(row.ci.low), Some(row.ci.high)));
                assert_eq!((low.ci_low, high.ci_high), (None, None));
                for r in [&low, &mid, &high] {
                    assert!(r.published && !r.extrapolated, "{}", row.measure);
                    assert_eq!(r.table, table.table);
                    assert_eq!(r.unit, UNIT);
                }
            }
        }
        for table in COMPARATIVE_TABLES {
            for group in table.groups {
                let row = &group.comparison;
                assert_eq!(score(group.measure, -10.0).estimate, row.low_imd);
                assert_eq!(score(group.measure, 0.0).estimate, row.score);
                assert_eq!(score(group.measure, 10.0).estimate, row.high_imd);
                assert_eq!(score(group.measure, 0.0).ci_low, row.ci.map(|c| c.low));
                assert_eq!(score(group.measure, 0.0).unit, COMPARATIVE_UNIT);
            }
        }
    }

    #[test]
    fn default_context_is_the_average_la() {
        let r = gradient("cp_plan", None, None, None, None).unwrap();
        assert_eq!(r.estimate, 1.80);
        assert_eq!((r.ci_low, r.ci_high), (Some(1.78), Some(1.82)));
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        assert_eq!(
            r.reading,
            "In an LA with average income deprivation, each 10-point rise in the share of \
             income-deprived families in a neighbourhood goes with 1.80 times the rate of child \
             protection plans (95% CI 1.78 to 1.82)."
        );
        assert_eq!(r.label, "CP Plan");
    }

    #[test]
    fn interpolates_log_linearly_between_printed_cells() {
        // cp_plan: 2.33 (d = -10), 1.80 (0), 1.39 (+10).
        let r = score("cp_plan", -5.0);
        assert!((r.estimate - (2.33_f64 * 1.80).sqrt()).abs() < 1e-12);
        assert!(!r.published && !r.extrapolated);
        assert_eq!(r.ci_low, None);
        assert!(r.warnings.iter().any(|w| w.contains("interpolated (log-linearly)")));
        let r = score("cp_plan", 2.5);
        assert!((r.estimate - 1.80_f64 * (1.39_f64 / 1.80).powf(0.25)).abs() < 1e-12);
        // continuous at the printed cells
        assert!((score("cp_plan", -1e-9).estimate - 1.80).abs() < 1e-9);
        assert!((score("cp_plan", 10.0 - 1e-9).estimate - 1.39).abs() < 1e-9);
    }

    #[test]
    fn extrapolates_with_the_interaction_effect() {
        // referral: Low 2.03, High 1.29, IE 0.80.
        let r = score("referral", 20.0);
        assert!((r.estimate - 1.29 * 0.80).abs() < 1e-12);
        assert!(r.extrapolated && !r.published);
        let range = r.range.as_ref().expect("a range note");
        assert_eq!(range.kind, crate::calculator::RangeKind::OutsidePrintedContexts);
        assert_eq!(range.badge, "Outside the contexts the report prints");
        assert!(range.explanation.contains("20.0 points") && range.explanation.contains("10.0 points"));
        assert!(range.explanation.contains("0.80 per 10 points"), "{}", range.explanation);
        assert!(r.warnings.contains(&range.explanation));
        let r = score("referral", -15.0);
        assert!((r.estimate - 2.03 / 0.80_f64.sqrt()).abs() < 1e-12);
        assert!(r.extrapolated);
        assert!(r.reading.contains("15.0 percentage points below"), "{}", r.reading);
    }

    #[test]
    fn urban_rural_and_density_cells_and_segments() {
        for row in &TABLE16_URBAN_RURAL {
            for (measure, cells) in [("referral", row.referral), ("cin", row.cin), ("cp_plan", row.cpp)] {
                for (d, want) in [(-10.0, cells.low), (0.0, cells.mid), (10.0, cells.high)] {
                    let r = gradient(measure, Some(d), Some(row.context), None, None).unwrap();
                    assert_eq!(r.estimate, want, "{measure} {:?} {d}", row.context);
                    assert!(r.published);
                    assert_eq!(r.ci_low, None);
                    assert_eq!(r.table, "Table 16");
                }
            }
        }
        for row in &TABLE17_DENSITY {
            for (measure, cells) in [("referral", row.referral), ("cin", row.cin), ("cp_plan", row.cpp)] {
                for (d, want) in [(-10.0, cells.low), (0.0, cells.mid), (10.0, cells.high)] {
                    let r = gradient(measure, Some(d), None, Some(row.context), None).unwrap();
                    assert_eq!(r.estimate, want, "{measure} {:?} {d}", row.context);
                    assert_eq!(r.table, "Table 17");
                }
            }
        }
        // Rural CPP: 2.78, 2.20, 1.74; beyond +10 the last segment's slope continues.
        let r = gradient("cp_plan", Some(20.0), Some(Area::Rural), None, None).unwrap();
        assert!((r.estimate - 1.74 * 1.74 / 2.20).abs() < 1e-12);
        assert!(r.extrapolated);
        let r = gradient("cp_plan", Some(-20.0), Some(Area::Rural), None, None).unwrap();
        assert!((r.estimate - 2.78 * 2.78 / 2.20).abs() < 1e-12);
        let r = gradient("referral", Some(5.0), None, Some(Density::Low), None).unwrap();
        assert!((r.estimate - (1.71_f64 * 1.35).sqrt()).abs() < 1e-12);
        assert_eq!(r.label, "Referral (low-density neighbourhoods)");
        assert!(r.reading.starts_with("In low-density neighbourhoods of an LA"), "{}", r.reading);
    }

    #[test]
    fn flags_unmarked_interaction_effects() {
        let r = score("cpp_category_sexual", 10.0);
        assert!(r.warnings.iter().any(|w| w.contains("0.93") && w.contains("significant")));
        let r = score("cpp_ceased_within_6_months", -10.0);
        assert!(r.warnings.iter().any(|w| w.contains("1.04") && w.contains("significant")));
        let r = score("cp_plan", 10.0);
        assert!(!r.warnings.iter().any(|w| w.contains("significant")));
    }

    #[test]
    fn comparative_reading() {
        let r = score("re_referral_within_12_months", 0.0);
        assert_eq!(r.estimate, 1.10);
        assert_eq!(
            r.reading,
            "In an LA with average income deprivation, the social gradient of re-referrals \
             within 12 months is 1.10 times that of other referrals (95% CI 1.09 to 1.11)."
        );
    }

    #[test]
    fn relative_curve_by_hand() {
        let c = hood_relative_curve("cp_plan", Some(-10.0), None, None, 5).unwrap();
        let xs: Vec<f64> = c.series[0].points.iter().map(|p| p.x).collect();
        assert_eq!(xs, vec![-20.0, -10.0, 0.0, 10.0, 20.0]);
        let ys: Vec<f64> = c.series[0].points.iter().map(|p| p.y).collect();
        assert!((ys[3] - 2.33).abs() < 1e-12);
        assert!((ys[4] - 2.33 * 2.33).abs() < 1e-12);
        assert!((ys[2] - 1.0).abs() < 1e-12);
        assert!((c.series[1].points[3].y - 1.80).abs() < 1e-12);
        assert!(matches!(
            hood_relative_curve("prior_cpp_ever", None, None, None, 5),
            Err(CalcError::NoCurve { .. })
        ));
        assert!(matches!(hood_relative_curve("cp_plan", None, None, None, 0), Err(CalcError::Points { .. })));
    }
}
