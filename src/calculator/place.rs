//! Real local authorities in the calculator: a request may name an LA (`"la": "Blackpool"` or
//! its code), whose published-measure context then fills the inputs the user did not set:
//!
//! - Webb et al. 2020: LA IMD score = the LA's IMD 2015 average score, the study's measure;
//!   Gini is not published for real LAs, so it stays at the study average unless set;
//! - Hood et al. 2021: LA income deprivation = the LA's IoD2019 income average score in
//!   percentage points relative to the mean of the 151 LAs ([`places::income_average`]).
//!
//! [`within_la`] turns the spread of neighbourhood deprivation inside the LA into one ratio:
//! with `s` the LA's social gradient per step `u` of neighbourhood deprivation (10 percentage
//! points of income deprivation for Hood, 1 SD = 15.80 IMD points for Webb, Table 1) and `D` the
//! difference between the LA's 90th- and 10th-percentile neighbourhoods on that measure, the rate
//! in the first relative to the second is `s^(D/u)`, with interval `(s_low^(D/u), s_high^(D/u))`.

use serde::Serialize;

use super::wording::trimmed;
use super::{CalcError, GradientRequest, GradientResult, ResolvedContext, Z_975};
use crate::places::{self, find_la, Place, PlaceError};
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
}

/// Most deprived tenth against least deprived tenth of an LA's neighbourhoods.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WithinLa {
    /// Rate at the LA's 90th-percentile neighbourhood relative to its 10th-percentile one.
    pub ratio: f64,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// The deprivation measure, its two percentiles and their difference, in its own units.
    pub measure: String,
    pub p10: f64,
    pub p90: f64,
    /// `(p90 - p10) / u`: how many gradient steps separate the two neighbourhoods.
    pub steps: f64,
    pub n_lsoa: u32,
    /// One plain sentence.
    pub sentence: String,
    /// What the sentence assumes, for a details block.
    pub assumptions: Vec<String>,
}

pub(crate) fn find_place(query: &str) -> Result<&'static Place, CalcError> {
    find_la(query).map_err(|e| match e {
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
        trimmed(100.0 * place.la.income2019_avg_score, 1),
        trimmed(100.0 * places::income_average(), 2),
        signed(place.la.la_dep())
    )
}

fn signed(x: f64) -> String {
    let t = trimmed(x, 2);
    if x > 0.0 {
        format!("+{t}")
    } else {
        t
    }
}

/// Resolves the LA of a request, fills its context and decorates the result.
pub(crate) fn gradient_for_la(req: &GradientRequest, query: &str) -> Result<GradientResult, CalcError> {
    let place = find_place(query)?;
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
                    trimmed(place.la.la_imd(), 2)
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
    let within = within_la(req, &result, place)?;
    result.la = Some(LaUsed {
        la_code: place.la.la_code.clone(),
        la_name: place.la.la_name.clone(),
        la_changed: changed.iter().map(|s| s.to_string()).collect(),
        la_notes: notes,
        within_la: within,
    });
    Ok(result)
}

/// LSOA IMD score SD over the study's neighbourhoods: Webb et al. 2020, Table 1.
fn webb_lsoa_imd_sd() -> f64 {
    TABLE1_SUMMARY.iter().find(|r| r.variable == "LSOA IMD Score").map(|r| r.sd).unwrap_or(f64::NAN)
}

/// The most- against least-deprived-tenth ratio (see the module documentation).
fn within_la(
    req: &GradientRequest,
    result: &GradientResult,
    place: &Place,
) -> Result<Option<WithinLa>, CalcError> {
    let spread = &place.spread;
    let name = place.la.display_name();
    let (measure, p10, p90, step, subject, extra) = match (req, &result.context) {
        (GradientRequest::Webb2020 { outcome, .. }, _) => (
            "IMD 2015 score".to_string(),
            spread.imd2015_p10,
            spread.imd2015_p90,
            webb_lsoa_imd_sd(),
            outcome.rate_of().to_string(),
            vec![format!(
                "Webb et al. 2020 give the gradient per 1 SD of neighbourhood IMD score; 1 SD is \
                 taken as {} IMD points, the SD over the study's neighbourhoods (Table 1).",
                webb_lsoa_imd_sd()
            )],
        ),
        (GradientRequest::Hood2021 { measure, area, density, .. }, ResolvedContext::Hood2021(_)) => {
            let m = super::measures::find(measure)?;
            let super::measures::HoodMeasure::Gradient { row, .. } = m else {
                return Ok(None);
            };
            let mut extra =
                vec!["Hood et al. 2021 measure neighbourhood deprivation as the share of families in \
                 income deprivation; the neighbourhood figures here are the IoD 2019 income score \
                 (the share of people income-deprived), the closest published measure."
                    .to_string()];
            if area.is_some() || density.is_some() {
                extra.push(
                    "The gradient used is the one for the chosen kind of neighbourhood (Tables 16 \
                     and 17), applied to all of the LA's neighbourhoods."
                        .to_string(),
                );
            }
            (
                "income deprivation (% of people)".to_string(),
                100.0 * spread.income_p10,
                100.0 * spread.income_p90,
                super::hood::PRINTED_STEP,
                row.subject.to_string(),
                extra,
            )
        }
        _ => return Ok(None),
    };
    let steps = (p90 - p10) / step;
    let ratio = result.estimate.powf(steps);
    let (ci_low, ci_high, ci_words, ci_label) = match (result.ci_low, result.ci_high) {
        (Some(lo), Some(hi)) => {
            (Some(lo.powf(steps)), Some(hi.powf(steps)), "the score's interval".to_string(), "95% CI")
        }
        _ => match hood_average_interval(req, result)? {
            Some((lo, hi)) => (
                Some(lo.powf(steps)),
                Some(hi.powf(steps)),
                "an interval with the relative width the report prints for the average LA (it \
                 prints none for other LAs), so it leaves out the uncertainty of the interaction \
                 and is at best approximate"
                    .to_string(),
                "approximate 95% CI",
            ),
            None => (None, None, "no interval: the table prints none".to_string(), ""),
        },
    };
    let ci_text = match (ci_low, ci_high) {
        // Enough decimals that a narrow interval does not print as "1.51 to 1.51".
        (Some(lo), Some(hi)) => {
            let decimals = if hi - lo < 0.05 { 3 } else { 2 };
            format!(" ({ci_label} {lo:.decimals$} to {hi:.decimals$})")
        }
        _ => String::new(),
    };
    let sentence = format!(
        "In an LA like {name}, the rate of {subject} in its most deprived tenth of neighbourhoods is \
         about {ratio:.1} times the rate in its least deprived tenth{ci_text}."
    );
    let mut assumptions = vec![
        format!(
            "{name} has {} neighbourhoods (LSOAs). Its 10th-percentile neighbourhood has {measure} {}, \
             its 90th-percentile one {}: {} gradient steps apart.",
            spread.n_lsoa,
            trimmed(p10, 1),
            trimmed(p90, 1),
            trimmed(steps, 2)
        ),
        format!(
            "The LA's social gradient score ({:.2}) is applied across that difference: {:.2}^{} = \
             {ratio:.2}; the interval is {ci_words}.",
            result.estimate,
            result.estimate,
            trimmed(steps, 2)
        ),
        "It compares neighbourhoods within the LA and is an association, not a cause; it assumes \
         the published gradient holds across the LA's whole range of neighbourhoods."
            .to_string(),
    ];
    assumptions.extend(extra);
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
        measure,
        p10,
        p90,
        steps,
        n_lsoa: spread.n_lsoa,
        sentence,
        assumptions,
    }))
}

/// For a Hood score away from the average LA (no printed interval): the printed interval at the
/// average LA carried over on the log scale, `s exp(+-1.96 se)` with `se` from that interval.
fn hood_average_interval(
    req: &GradientRequest,
    result: &GradientResult,
) -> Result<Option<(f64, f64)>, CalcError> {
    let GradientRequest::Hood2021 { measure, area, density, .. } = req else {
        return Ok(None);
    };
    let average = super::hood::gradient(measure, Some(0.0), *area, *density, None)?;
    Ok(match (average.ci_low, average.ci_high) {
        (Some(lo), Some(hi)) => {
            let se = (hi.ln() - lo.ln()) / (2.0 * Z_975);
            let log_s = result.estimate.ln();
            Some(((log_s - Z_975 * se).exp(), (log_s + Z_975 * se).exp()))
        }
        _ => None,
    })
}

/// One LA's score for the map and the ranked list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaGradient {
    pub la_code: String,
    pub la_name: String,
    pub estimate: f64,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub extrapolated: bool,
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
}

/// The request's measure in every LA, each with its own context (any LA-level value in the
/// request other than the Gini coefficient is replaced by the LA's own).
pub fn la_gradients(req: &GradientRequest) -> Result<LaGradients, CalcError> {
    let mut items = Vec::new();
    let mut first: Option<GradientResult> = None;
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
        items.push(LaGradient {
            la_code: place.la.la_code.clone(),
            la_name: place.la.la_name.clone(),
            estimate: r.estimate,
            ci_low: r.ci_low,
            ci_high: r.ci_high,
            extrapolated: r.extrapolated,
        });
        first.get_or_insert(r);
    }
    let first = first.ok_or(CalcError::InvalidRequest { message: "no local authorities".into() })?;
    Ok(LaGradients { label: first.label, unit: first.unit, source: first.source, table: first.table, items })
}
