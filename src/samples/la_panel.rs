//! The LA-by-year panel: real counts, not simulated. Every English upper-tier LA in every year
//! ending 31 March 2013 to 2025, with the Department for Education's five counts, the child
//! population they are rates of, and the LA's deprivation and rurality (`crate::rates::data`,
//! `crate::places`; OGL v3.0). An analyst can fit the models of the studies' kind to it in the
//! browser, for example
//!
//! `cla_at31 ~ scale(imd2019) + factor(year) + offset(log(children_0_17)) + (1 | la_code)`:
//!
//! how children looked after rise with LA deprivation, allowing for each year's level and for
//! each LA's own level. A count DfE does not give is an empty cell (the fit leaves out the
//! rows it needs that lack), and `note_<measure>` says why.

use serde::Serialize;

use super::simulate::{to_csv, Parameter};
use super::SampleError;
use crate::data::{Column, DataFrame, TextColumn};
use crate::fit::Family;
use crate::places::places;
use crate::rates::data::{row, years, Measure, ATTRIBUTION};
use crate::workflow::roles::Roles;

/// The sample's identifier in the page's list.
pub const ID: &str = "dfe-la-panel";

/// The formula the page starts from.
pub const FORMULA: &str =
    "cla_at31 ~ scale(imd2019) + factor(year) + offset(log(children_0_17)) + (1 | la_code)";

/// The formula the page shows, as a sample's `model` is shown.
#[derive(Debug, Clone, Serialize)]
pub struct SuggestedModel {
    pub formula: &'static str,
}

/// The panel as the page's fitting section takes a sample: what it is, its file and the formula
/// to start from. `parameters` is empty: no model made these counts.
#[derive(Debug, Clone, Serialize)]
pub struct PanelSample {
    pub id: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub label: &'static str,
    pub attribution: &'static str,
    pub file_name: &'static str,
    pub rows: usize,
    pub las: usize,
    pub years: usize,
    pub msoas: usize,
    pub family: Family,
    pub roles: Roles,
    pub derive: Option<()>,
    pub model: SuggestedModel,
    /// The formula the model step starts from (typed, not written from the guided choices).
    pub formula: &'static str,
    pub parameters: Vec<Parameter>,
    /// These are real counts: the page says so instead of showing generating values.
    pub real_counts: bool,
}

/// The panel's title and description, for the list of samples.
pub fn entry() -> (&'static str, &'static str, &'static str) {
    (
        ID,
        "Real counts: England's 151 local authorities, 2013 to 2025",
        "The Department for Education's referrals, children in need, child protection plans and children looked \
         after for every LA and year ending 31 March 2013 to 2025, with the children aged 0-17 they are rates of \
         and each LA's IMD 2019, IDACI 2019 and rural share. Real counts, not simulated: 1,963 rows, one per LA \
         and year.",
    )
}

/// The panel and its CSV text.
pub fn la_panel() -> Result<(PanelSample, String), SampleError> {
    let all = places();
    let mut code = TextColumn::new();
    let mut name = TextColumn::new();
    let (mut year, mut children, mut imd, mut idaci, mut rural) = (vec![], vec![], vec![], vec![], vec![]);
    let mut counts: Vec<Vec<f64>> = vec![Vec::new(); Measure::ALL.len()];
    let mut notes: Vec<TextColumn> = (0..Measure::ALL.len()).map(|_| TextColumn::new()).collect();
    for y in years() {
        for (i, p) in all.iter().enumerate() {
            let r = row(i, y).expect("every LA has every year");
            code.push(&p.la.la_code);
            name.push(&p.la.la_name);
            year.push(y as f64);
            children.push(r.children.map_or(f64::NAN, f64::from));
            imd.push(p.la.imd2019_avg_score);
            idaci.push(p.la.idaci2019_avg_score);
            rural.push(p.la.rural_share_pop);
            for (k, m) in Measure::ALL.iter().enumerate() {
                match r.figure(*m) {
                    Ok(f) => {
                        counts[k].push(f.count as f64);
                        notes[k].push_missing();
                    }
                    Err(gap) => {
                        counts[k].push(f64::NAN);
                        notes[k].push(gap.reason());
                    }
                }
            }
        }
    }
    let mut columns: Vec<(String, Column)> = vec![
        ("la_code".into(), Column::Text(code)),
        ("la_name".into(), Column::Text(name)),
        ("year".into(), Column::Numeric(year)),
        ("children_0_17".into(), Column::Numeric(children)),
    ];
    for (m, c) in Measure::ALL.iter().zip(counts) {
        columns.push((m.name().into(), Column::Numeric(c)));
    }
    columns.push(("imd2019".into(), Column::Numeric(imd)));
    columns.push(("idaci2019".into(), Column::Numeric(idaci)));
    columns.push(("rural_share".into(), Column::Numeric(rural)));
    for (m, n) in Measure::ALL.iter().zip(notes) {
        columns.push((format!("note_{}", m.name()), Column::Text(n)));
    }
    let frame = DataFrame::from_columns(columns).map_err(|e| SampleError { message: e.to_string() })?;
    let csv = to_csv(&frame)?;
    let (id, title, description) = entry();
    Ok((
        PanelSample {
            id,
            title,
            description,
            label: "Real counts",
            attribution: ATTRIBUTION,
            file_name: "england-la-panel-2013-2025.csv",
            rows: frame.nrows(),
            las: all.len(),
            years: years().count(),
            msoas: 0,
            family: Family::Nbinom2,
            roles: Roles {
                count: Some("cla_at31".into()),
                population: Some("children_0_17".into()),
                deprivation: Some("imd2019".into()),
                la: Some("la_code".into()),
                msoa: None,
                la_deprivation: Some("imd2019".into()),
                gini: None,
                rural: None,
            },
            derive: None,
            model: SuggestedModel { formula: FORMULA },
            formula: FORMULA,
            parameters: Vec::new(),
            real_counts: true,
        },
        csv,
    ))
}
