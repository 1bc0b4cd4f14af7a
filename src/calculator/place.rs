//! Real local authorities in the calculator: a request may name an LA (`"la": "Blackpool"` or
//! its code), whose published-measure context then fills the inputs the user did not set:
//!
//! - Webb et al. 2020: LA IMD score = the LA's IMD 2015 average score, the study's measure;
//!   Gini is not published for real LAs, so it stays at the study average unless set;
//! - Hood et al. 2021: LA income deprivation = the LA's IoD2019 income average score in
//!   percentage points relative to the mean of the 151 LAs ([`places::income_average`]).
//!
//! [`within_la`] turns the spread of neighbourhood deprivation inside the LA into one ratio, the
//! headline's companion: with `s` the LA's social gradient per step `u` of neighbourhood
//! deprivation (10 percentage points of income deprivation for Hood, 1 SD = 15.80 IMD points for
//! Webb, Table 1) and `D` the difference between the LA's 90th- and 10th-percentile neighbourhoods
//! on that measure, the rate in the first relative to the second is `s^(D/u)`, with interval
//! `(s_low^(D/u), s_high^(D/u))` where the score has one (none is made up where it has not). It is
//! set against a typical LA's, `s_avg^(D_typ/u)`: the average LA context's score `s_avg` over the
//! median spread `D_typ` of the 149 LAs compared England-wide (all but the Isles of Scilly and the
//! City of London, which have very few children). So
//! `R / R_typ = (s / s_avg)^(D/u) * s_avg^((D - D_typ)/u)`: the gap differs from a typical LA's
//! through the gradient per step and through the spread, which may pull opposite ways (Blackpool:
//! flatter per step, far more spread out), and the sentences say which.

use serde::Serialize;

use super::comparison::Direction;
use super::format::{self, number, Quantity, Shown};
use super::wording::trimmed;
use super::{CalcError, GradientRequest, GradientResult, ResolvedContext};
use crate::places::{self, resolve_la, Found, Place, PlaceError};
use crate::tables::webb2020::TABLE1_SUMMARY;

/// How a result names the real LA its context comes from.
pub(crate) struct Like<'a> {
    pub(crate) name: &'a str,
    /// Inputs the user set instead of the LA's own values.
    pub(crate) changed: Vec<&'static str>,
}

impl Like<'_> {
    /// "an LA like Blackpool", "an LA like Blackpool with the Gini coefficient changed".
    pub(crate) fn phrase(&self) -> String {
        match self.changed.as_slice() {
            [] => format!("an LA like {}", self.name),
            [one] => format!("an LA like {} with the {one} changed", self.name),
            many => format!("an LA like {} with the {} changed", self.name, many.join(" and ")),
        }
    }
}

/// The real LA a result is for, and what that means inside it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaUsed {
    pub la_code: String,
    pub la_name: String,
    /// Inputs set by the user instead of the LA's own values ("LA IMD score", "Gini coefficient").
    pub la_changed: Vec<String>,
    /// Where each context value comes from, in plain words.
    pub la_notes: Vec<String>,
    /// The gradient across the LA's own neighbourhoods, where the measure describes a rate.
    pub within_la: Option<WithinLa>,
    /// The name or code that led here when it is not the 2019 authority's own ("Cumberland").
    pub la_alias: Option<LaAlias>,
}

/// A name or code of a place since 2019 (or before), and the note saying which 2019 authority held it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaAlias {
    pub name: String,
    pub code: Option<String>,
    pub note: String,
    /// Where the alias comes from.
    pub source: String,
}

/// Most deprived tenth against least deprived tenth of an LA's neighbourhoods, against a typical LA.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WithinLa {
    /// Rate at the LA's 90th-percentile neighbourhood relative to its 10th-percentile one.
    pub ratio: f64,
    /// Its interval, only where the score has one.
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// The ratio and its interval as shown ([`Quantity::Gap`]).
    pub shown: Shown,
    /// The same ratio in a typical LA (see the module documentation), and as shown.
    pub typical_ratio: f64,
    pub typical_shown: String,
    /// The LA's gap against the typical one: `higher`, `lower` or `same`, as shown.
    pub gap: Direction,
    /// The deprivation measure, its two percentiles and their difference, in its own units.
    pub measure: String,
    pub p10: f64,
    pub p90: f64,
    pub spread: f64,
    /// The median difference over the LAs compared England-wide.
    pub typical_spread: f64,
    /// `(p90 - p10) / u`: how many gradient steps separate the two neighbourhoods.
    pub steps: f64,
    pub n_lsoa: u32,
    /// The gap in one plain sentence, with the typical LA's.
    pub sentence: String,
    /// Why the gap is what it is: the gradient per step and the spread, said so that neither
    /// contradicts the headline's direction.
    pub explanation: String,
    /// What the sentences assume, for a details block.
    pub assumptions: Vec<String>,
}

pub(crate) fn find_place(query: &str) -> Result<&'static Place, CalcError> {
    resolve_place(query).map(|f| f.place)
}

fn resolve_place(query: &str) -> Result<Found, CalcError> {
    resolve_la(query).map_err(|e| match e {
        PlaceError::UnknownLa { query, suggestions } => CalcError::UnknownLa { query, suggestions },
        PlaceError::AmbiguousLa { query, matches } => CalcError::AmbiguousLa { query, matches },
    })
}

fn la_dep_note(place: &Place) -> String {
    format!(
        "LA income deprivation: {}'s IoD 2019 income score ({}% of people income-deprived) minus {}%, \
         the average of the 151 English upper-tier LAs computed from that table (Hood et al. 2021 \
         centre LA measures on the average of LAs): {} percentage points.",
        place.la.display_name(),
        number(Quantity::Share, 100.0 * place.la.income2019_avg_score),
        trimmed(100.0 * places::income_average(), 2),
        signed(place.la.la_dep())
    )
}

fn signed(x: f64) -> String {
    let t = number(Quantity::Points, x);
    if x > 0.0 {
        format!("+{t}")
    } else {
        t
    }
}

/// Resolves the LA of a request, fills its context and decorates the result.
pub(crate) fn gradient_for_la(req: &GradientRequest, query: &str) -> Result<GradientResult, CalcError> {
    let Found { place, alias } = resolve_place(query)?;
    let name = place.la.display_name();
    let mut notes = Vec::new();
    let (mut result, changed) = match req {
        GradientRequest::Webb2020 { outcome, la_imd, la_imd_z, gini, gini_z, .. } => {
            let mut changed = Vec::new();
            let imd_set = la_imd.is_some() || la_imd_z.is_some();
            if imd_set {
                changed.push("LA IMD score");
            } else {
                notes.push(format!(
                    "LA IMD score: {name}'s IMD 2015 average score, {} (the measure Webb et al. 2020 \
                     use; re-aggregated from neighbourhood scores to 2019 boundaries).",
                    number(Quantity::Imd, place.la.la_imd())
                ));
            }
            if gini.is_some() || gini_z.is_some() {
                changed.push("Gini coefficient");
            } else {
                notes.push(
                    "Gini coefficient: not published for real LAs, so it stays at the study \
                     average (0.386) unless you set it."
                        .to_string(),
                );
            }
            let like = Like { name, changed };
            let imd = if imd_set { *la_imd } else { Some(place.la.la_imd()) };
            (super::webb::gradient(*outcome, imd, *la_imd_z, *gini, *gini_z, Some(&like))?, like.changed)
        }
        GradientRequest::Hood2021 { measure, la_dep, area, density, .. } => {
            let mut changed = Vec::new();
            if la_dep.is_some() {
                changed.push("LA income deprivation");
            } else {
                notes.push(la_dep_note(place));
            }
            let like = Like { name, changed };
            let dep = la_dep.or(Some(place.la.la_dep()));
            (super::hood::gradient(measure, dep, *area, *density, Some(&like))?, like.changed)
        }
    };
    if !place.la.flag.is_empty() {
        notes.push(place.la.flag.clone());
    }
    let la_alias = alias.map(|a| LaAlias {
        name: a.name.to_string(),
        code: a.code.map(str::to_string),
        note: a.note(name),
        source: places::aliases::SOURCE.to_string(),
    });
    if let Some(a) = &la_alias {
        notes.insert(0, a.note.clone());
    }
    let within = within_la(req, &result, place)?;
    result.la = Some(LaUsed {
        la_code: place.la.la_code.clone(),
        la_name: place.la.la_name.clone(),
        la_changed: changed.iter().map(|s| s.to_string()).collect(),
        la_notes: notes,
        within_la: within,
        la_alias,
    });
    Ok(result)
}

/// LSOA IMD score SD over the study's neighbourhoods: Webb et al. 2020, Table 1.
fn webb_lsoa_imd_sd() -> f64 {
    TABLE1_SUMMARY.iter().find(|r| r.variable == "LSOA IMD Score").map(|r| r.sd).unwrap_or(f64::NAN)
}

/// The places compared England-wide: all but the two with very few children.
fn compared() -> impl Iterator<Item = &'static Place> {
    places::places().iter().filter(|p| !p.la.small_la)
}

/// The median of some values (the mean of the middle two for an even count).
fn median(mut values: Vec<f64>) -> f64 {
    places::sort_small(&mut values, |a, b| a < b);
    let n = values.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => values[n / 2],
        _ => 0.5 * (values[n / 2 - 1] + values[n / 2]),
    }
}

/// Median 10th-to-90th-percentile difference of neighbourhood income deprivation, in points.
fn typical_income_spread() -> f64 {
    median(compared().map(|p| 100.0 * (p.spread.income_p90 - p.spread.income_p10)).collect())
}

/// Median 10th-to-90th-percentile difference of neighbourhood IMD 2015 scores.
fn typical_imd_spread() -> f64 {
    median(compared().map(|p| p.spread.imd2015_p90 - p.spread.imd2015_p10).collect())
}

/// "much more spread out", "less spread out", "about as spread out": the LA's spread against a
/// typical LA's, as shown.
fn spread_words(spread: f64, typical: f64) -> (&'static str, Direction) {
    let direction = Direction::of(Quantity::Points, spread, typical, false);
    let distance = (spread / typical).ln().abs();
    let (far, close) = (distance > 1.5_f64.ln(), distance < 1.05_f64.ln());
    let words = match (direction, far, close) {
        (Direction::Higher, true, _) => "much more spread out",
        (Direction::Higher, _, true) => "a little more spread out",
        (Direction::Higher, _, _) => "more spread out",
        (Direction::Lower, true, _) => "much less spread out",
        (Direction::Lower, _, true) => "a little less spread out",
        (Direction::Lower, _, _) => "less spread out",
        _ => "about as spread out",
    };
    (words, direction)
}

/// How a study measures neighbourhood deprivation within an LA: the measure, its units, the
/// LA's 10th and 90th percentiles, a typical LA's spread between them, one gradient step, and
/// what the rate counts, with the notes that say how the study's measure was matched.
struct SpreadScale {
    measure: String,
    units: &'static str,
    quantity: Quantity,
    p10: f64,
    p90: f64,
    typical_spread: f64,
    step: f64,
    subject: String,
    notes: Vec<String>,
}

/// The deprivation scale of the request's study for this LA (`None` for measures with no
/// gradient per step).
fn spread_scale(
    req: &GradientRequest,
    result: &GradientResult,
    place: &Place,
) -> Result<Option<SpreadScale>, CalcError> {
    let spread = &place.spread;
    match (req, &result.context) {
        (GradientRequest::Webb2020 { outcome, .. }, _) => Ok(Some(SpreadScale {
            measure: "IMD 2015 score".to_string(),
            units: "IMD points",
            quantity: Quantity::Imd,
            p10: spread.imd2015_p10,
            p90: spread.imd2015_p90,
            typical_spread: typical_imd_spread(),
            step: webb_lsoa_imd_sd(),
            subject: outcome.rate_of().to_string(),
            notes: vec![format!(
                "Webb et al. 2020 give the gradient per 1 SD of neighbourhood IMD score; 1 SD is \
                 taken as {} IMD points, the SD over the study's neighbourhoods (Table 1).",
                webb_lsoa_imd_sd()
            )],
        })),
        (GradientRequest::Hood2021 { measure, area, density, .. }, ResolvedContext::Hood2021(_)) => {
            let m = super::measures::find(measure)?;
            let super::measures::HoodMeasure::Gradient { row, .. } = m else {
                return Ok(None);
            };
            let mut notes =
                vec!["Hood et al. 2021 measure neighbourhood deprivation as the share of families in \
                 income deprivation; the neighbourhood figures here are the IoD 2019 income score \
                 (the share of people income-deprived), the closest published measure."
                    .to_string()];
            if area.is_some() || density.is_some() {
                notes.push(
                    "The gradient used is the one for the chosen kind of neighbourhood (Tables 16 \
                     and 17), applied to all of the LA's neighbourhoods."
                        .to_string(),
                );
            }
            Ok(Some(SpreadScale {
                measure: "income deprivation (% of people)".to_string(),
                units: "points of income deprivation",
                quantity: Quantity::Points,
                p10: 100.0 * spread.income_p10,
                p90: 100.0 * spread.income_p90,
                typical_spread: typical_income_spread(),
                step: super::hood::PRINTED_STEP,
                subject: row.subject.to_string(),
                notes,
            }))
        }
        _ => Ok(None),
    }
}

/// "That gap is larger than a typical LA's: ...": why the tenth-to-tenth gap and the score per
/// step can point different ways (the LA's neighbourhoods are more or less spread out).
fn gap_explanation(result: &GradientResult, scale: &SpreadScale, name: &str, gap: Direction) -> String {
    let d = scale.p90 - scale.p10;
    let (spread_phrase, spread_direction) = spread_words(d, scale.typical_spread);
    let step_phrase = match result.average.direction {
        Direction::Steeper => "steeper than average",
        Direction::Flatter => "flatter than average",
        Direction::Higher => "higher than average",
        Direction::Lower => "lower than average",
        Direction::Same => "about average",
    };
    let opposite = matches!(
        (result.average.direction, spread_direction),
        (Direction::Flatter, Direction::Higher) | (Direction::Steeper, Direction::Lower)
    );
    let gap_words = match gap {
        Direction::Higher | Direction::Steeper => "larger than",
        Direction::Lower | Direction::Flatter => "smaller than",
        Direction::Same => "about the same as",
    };
    format!(
        "That gap is {gap_words} a typical LA's: {name}'s gradient per step is {step_phrase}, {} its \
         neighbourhoods are {spread_phrase} ({} against {} {} between the two tenths).",
        if opposite { "but" } else { "and" },
        number(scale.quantity, d),
        number(scale.quantity, scale.typical_spread),
        scale.units
    )
}

/// The most- against least-deprived-tenth ratio (see the module documentation).
fn within_la(
    req: &GradientRequest,
    result: &GradientResult,
    place: &Place,
) -> Result<Option<WithinLa>, CalcError> {
    let Some(scale) = spread_scale(req, result, place)? else {
        return Ok(None);
    };
    let spread = &place.spread;
    let name = place.la.display_name();
    let (q, units, step) = (scale.quantity, scale.units, scale.step);
    let d = scale.p90 - scale.p10;
    let steps = d / step;
    let ratio = result.estimate.powf(steps);
    let (ci_low, ci_high) = match (result.ci_low, result.ci_high) {
        (Some(lo), Some(hi)) => (Some(lo.powf(steps)), Some(hi.powf(steps))),
        _ => (None, None),
    };
    let shown = format::shown(Quantity::Gap, ratio, ci_low, ci_high);
    let typical_ratio = result.average.estimate.powf(scale.typical_spread / step);
    let typical_shown = number(Quantity::Gap, typical_ratio);
    let gap = Direction::of(Quantity::Gap, ratio, typical_ratio, false);
    let ci_text = shown.interval().map(|ci| format!(" ({ci})")).unwrap_or_default();
    let sentence = format!(
        "In an LA like {name}, the rate of {} in its most deprived tenth of neighbourhoods is \
         about {} times the rate in its least deprived tenth{ci_text}; in a typical LA, about \
         {typical_shown} times.",
        scale.subject, shown.value
    );
    let explanation = gap_explanation(result, &scale, &name, gap);
    let mut assumptions = vec![
        format!(
            "{name} has {} neighbourhoods (LSOAs). Its 10th-percentile neighbourhood has {} {}, \
             its 90th-percentile one {}: {} gradient steps apart.",
            spread.n_lsoa,
            scale.measure,
            number(q, scale.p10),
            number(q, scale.p90),
            number(Quantity::Z, steps)
        ),
        format!(
            "The LA's social gradient score ({}) is applied across that difference: {}^{} = {}{}.",
            result.shown.value,
            result.shown.value,
            number(Quantity::Z, steps),
            shown.value,
            if ci_low.is_some() {
                ", with the score's interval carried over the same way"
            } else {
                "; the score has no interval, so neither has this ratio"
            }
        ),
        format!(
            "A typical LA here: the average LA context (score {}) with its two tenths {} {units} apart, \
             the median of England's {} LAs compared (the Isles of Scilly and the City of London, \
             which have very few children, are left out of England-wide comparisons): {}^{} = {}.",
            result.average.shown,
            number(q, scale.typical_spread),
            compared().count(),
            result.average.shown,
            number(Quantity::Z, scale.typical_spread / step),
            typical_shown
        ),
        "It compares neighbourhoods within the LA and is an association, not a cause; it assumes \
         the published gradient holds across the LA's whole range of neighbourhoods."
            .to_string(),
    ];
    assumptions.extend(scale.notes);
    if spread.n_lsoa < 10 {
        assumptions.push(format!(
            "With only {} neighbourhoods, the LA's 'tenths' are interpolated between neighbourhoods.",
            spread.n_lsoa
        ));
    }
    Ok(Some(WithinLa {
        ratio,
        ci_low,
        ci_high,
        shown,
        typical_ratio,
        typical_shown,
        gap,
        measure: scale.measure,
        p10: scale.p10,
        p90: scale.p90,
        spread: d,
        typical_spread: scale.typical_spread,
        steps,
        n_lsoa: spread.n_lsoa,
        sentence,
        explanation,
        assumptions,
    }))
}

/// One LA's score for the map and the ranked list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaGradient {
    pub la_code: String,
    pub la_name: String,
    pub estimate: f64,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// The score and its interval as shown.
    pub shown: Shown,
    pub extrapolated: bool,
    /// 1 for the steepest; tied scores share a rank ("1224" ranking). None for the two LAs with
    /// very few children, left out of England-wide comparisons.
    pub rank: Option<u32>,
    /// True when another ranked LA has exactly the same score.
    pub tied: bool,
    /// The rank as shown: "12", or "147=" when tied.
    pub rank_shown: Option<String>,
}

/// The context-predicted social gradient of one measure in every LA.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaGradients {
    pub label: String,
    pub unit: String,
    pub source: String,
    pub table: String,
    /// In the order of [`places::places`] (by LA code).
    pub items: Vec<LaGradient>,
    /// How many LAs are ranked (149), and why the others are not, in words.
    pub ranked_count: u32,
    pub unranked_note: String,
    /// What a score outside the tables' range means here, for a legend ("outside the contexts the
    /// report prints (...)"), when some LA's is.
    pub range_note: Option<String>,
    /// Whether any LA's score has a 95% interval (a table's header says "(95% CI)" only then).
    pub any_interval: bool,
}

/// The note on the LAs left out of England-wide comparisons.
pub const UNRANKED_NOTE: &str = "The Isles of Scilly and the City of London are not ranked: they have \
                                 very few children (about 340 and 1,600 aged 0 to 17), so their \
                                 figures rest on a handful of neighbourhoods.";

/// The request's measure in every LA, each with its own context (any LA-level value in the
/// request other than the Gini coefficient is replaced by the LA's own), ranked from the steepest.
pub fn la_gradients(req: &GradientRequest) -> Result<LaGradients, CalcError> {
    let mut items = Vec::new();
    let mut first: Option<GradientResult> = None;
    let mut range_kind = None;
    for place in places::places() {
        let code = place.la.la_code.clone();
        let per_la = match req.clone() {
            GradientRequest::Webb2020 { outcome, gini, gini_z, .. } => GradientRequest::Webb2020 {
                outcome,
                la_imd: None,
                la_imd_z: None,
                gini,
                gini_z,
                la: Some(code),
            },
            GradientRequest::Hood2021 { measure, area, density, .. } => {
                GradientRequest::Hood2021 { measure, la_dep: None, area, density, la: Some(code) }
            }
        };
        let r = super::gradient(&per_la)?;
        range_kind = range_kind.or(r.range.as_ref().map(|n| n.kind));
        items.push(LaGradient {
            la_code: place.la.la_code.clone(),
            la_name: place.la.la_name.clone(),
            estimate: r.estimate,
            ci_low: r.ci_low,
            ci_high: r.ci_high,
            shown: r.shown.clone(),
            extrapolated: r.extrapolated,
            rank: None,
            tied: false,
            rank_shown: None,
        });
        first.get_or_insert(r);
    }
    let first = first.ok_or(CalcError::InvalidRequest { message: "no local authorities".into() })?;
    let values: Vec<Option<f64>> =
        items.iter().zip(places::places()).map(|(i, p)| (!p.la.small_la).then_some(i.estimate)).collect();
    for (item, rank) in items.iter_mut().zip(super::rank::descending(&values)) {
        if let Some(r) = rank {
            (item.rank, item.tied, item.rank_shown) = (Some(r.rank), r.tied, Some(r.shown));
        }
    }
    let range_note = range_kind.map(|kind| match kind {
        super::RangeKind::OutsidePrintedContexts => format!(
            "outside the contexts the report prints (more than {} points of income deprivation from the \
             average LA): their scores extend the printed trend",
            number(Quantity::Points, super::hood::PRINTED_STEP)
        ),
        super::RangeKind::OutsideStudyLas => {
            let s = &crate::tables::webb2020::LA_IMD_SUMMARY;
            format!(
                "outside the study's LAs (an LA IMD score outside {} to {}, Table 1): their scores \
                 extend the study's model",
                number(Quantity::Imd, s.min),
                number(Quantity::Imd, s.max)
            )
        }
    });
    let any_interval = items.iter().any(|i| i.ci_low.is_some());
    Ok(LaGradients {
        label: first.label,
        unit: first.unit,
        source: first.source,
        table: first.table,
        ranked_count: super::rank::ranked_count(&values),
        unranked_note: UNRANKED_NOTE.to_string(),
        range_note,
        any_interval,
        items,
    })
}
