//! The guided tour ("Teach this"): nine short steps a teacher clicks through in front of a class,
//! each a plain-English point whose numbers are filled in here from the published tables and the
//! calculator, with a question for the audience and its answer, a chart (the [`ChartSpec`] the
//! page draws), the same numbers as a table, and the citations.
//!
//! The steps, in order: what a social gradient is; the gradient as one number; the inverse
//! intervention law; the inequality effect; rural and sparse areas; England's 151 local
//! authorities (LAs); your LA; what kind of need (inside six LAs, [`kind_of_need`]); what the
//! numbers are not.
//!
//! A score `s` is a rate ratio per step of neighbourhood deprivation, so a neighbourhood `x` steps
//! more deprived than the reference has `s^x` times its rate: that is what every relative-rate
//! chart draws.

mod format;
mod kind_of_need;
mod steps;

use serde::Serialize;

use crate::calculator::CalcError;
use crate::charts::{ChartSpec, Table};
pub use steps::{step_number, STEP_COUNT};

/// One step of the tour.
#[derive(Debug, Clone, Serialize)]
pub struct TourStep {
    /// 1-based position, as in the page's `?tour=N`.
    pub number: usize,
    /// Stable key of the step (`gradient`, `one_number`, ...).
    pub key: &'static str,
    pub title: String,
    /// Short paragraphs, numbers filled in.
    pub body: Vec<String>,
    /// A question for the audience, and the answer to reveal.
    pub question: String,
    pub answer: String,
    pub chart: ChartSpec,
    /// The key of an "Inside six local authorities" view whose figure the page draws instead of
    /// `chart` (from the views the engine writes for that section, `six-las.json`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub six_las_figure: Option<&'static str>,
    /// The chart's numbers as a table (its text alternative).
    pub table: Table,
    /// Document and table of every number in the step.
    pub citations: Vec<String>,
}

/// The whole tour, for an LA chosen by name or code (or none).
#[derive(Debug, Clone, Serialize)]
pub struct Tour {
    /// The LA of the "your LA" step, when one was given.
    pub la_code: Option<String>,
    pub la_name: Option<String>,
    pub steps: Vec<TourStep>,
}

/// Builds every step. `la` (a name or code, as the calculator accepts) fills the "your LA" step;
/// an unknown LA is an error naming it, with suggestions.
pub fn tour(la: Option<&str>) -> Result<Tour, CalcError> {
    let la = la.map(str::trim).filter(|s| !s.is_empty());
    let place = la.map(crate::calculator::find_place).transpose()?;
    let steps = steps::all(place)?;
    Ok(Tour {
        la_code: place.map(|p| p.la.la_code.clone()),
        la_name: place.map(|p| p.la.display_name().to_string()),
        steps,
    })
}
