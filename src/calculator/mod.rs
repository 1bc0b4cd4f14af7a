//! Social-gradient calculator on the published tables.
//!
//! A [`GradientRequest`] names a source study and a local-authority (LA) context; [`gradient`]
//! answers with a [`GradientResult`]: the social gradient score, its confidence interval where
//! one can be given, the table it comes from, its unit in words, whether it is a printed cell
//! or derived from printed cells, whether it extrapolates beyond the studied range, warnings
//! and a one-sentence plain-English reading.
//!
//! The two studies measure the gradient on different scales and the results say so in `unit`:
//! - Webb et al. 2020 ([`webb`]): rate ratio per 1 SD rise in neighbourhood IMD score (within
//!   the LA), in an LA described by its IMD score and Gini coefficient;
//! - Hood et al. 2021 ([`hood`]): rate ratio per 10 percentage-point rise in the share of
//!   families in income deprivation, in an LA whose income deprivation is `la_dep` points above
//!   or below the England LA average.
//!
//! Requests and results are serde objects so that the web page (as JSON) and the CLI share them:
//!
//! ```json
//! {"source": "webb2020", "outcome": "cla", "la_imd_z": -1, "gini_z": 1}
//! {"source": "hood2021", "measure": "cp_plan", "la_dep": 5, "area": "rural"}
//! ```

mod catalogue;
mod charts;
pub mod comparison;
mod curve;
mod error;
pub mod format;
pub mod hood;
mod measures;
mod place;
mod presets;
pub mod rank;
pub mod webb;
mod wording;

use serde::{Deserialize, Serialize};

pub use crate::tables::hood2021::{Area, Density};
pub use crate::tables::webb2020::Outcome;
pub use catalogue::{catalogue, Catalogue, CatalogueMeasure, CatalogueTable, TableRole};
pub use charts::{calculator_charts, CalculatorChart, CalculatorCharts, ChartContext, ChartsRequest, WebbZ};
pub use comparison::{AverageComparison, Direction, RangeKind, RangeNote};
pub use curve::{Curve, Point, Series};
pub use error::CalcError;
pub use format::{Quantity, Shown};
pub use hood::hood_relative_curve;
pub(crate) use place::{find_place, Like};
pub use place::{la_gradients, LaAlias, LaGradient, LaGradients, LaUsed, WithinLa, UNRANKED_NOTE};
pub use presets::{study_contexts, StudyContexts};
pub use webb::webb_rate_curve;

/// What to compute. Absent optional fields mean the average context.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "source", rename_all = "lowercase")]
pub enum GradientRequest {
    /// Webb et al. 2020, Table 3: the social gradient of an outcome in an LA described by its
    /// IMD score and Gini coefficient, each given raw or as a z-score (not both).
    Webb2020 {
        outcome: Outcome,
        /// LA IMD 2015 average score.
        #[serde(default)]
        la_imd: Option<f64>,
        /// LA IMD score standardised with Table 1's mean 22.0 and SD 8.14.
        #[serde(default)]
        la_imd_z: Option<f64>,
        /// LA Gini coefficient of household income.
        #[serde(default)]
        gini: Option<f64>,
        /// LA Gini standardised with Table 1's mean 0.386 and SD 0.014.
        #[serde(default)]
        gini_z: Option<f64>,
        /// A real LA (name or code) whose IMD 2015 average score is used where `la_imd` and
        /// `la_imd_z` are absent.
        #[serde(default)]
        la: Option<String>,
    },
    /// Hood et al. 2021: the social gradient of a measure (Tables 2-9, 12, 13) in an LA `la_dep`
    /// percentage points of income deprivation above (+) or below (-) the LA average,
    /// optionally in urban or rural (Table 16) or low, mid or high density (Table 17)
    /// neighbourhoods.
    Hood2021 {
        measure: String,
        #[serde(default)]
        la_dep: Option<f64>,
        #[serde(default)]
        area: Option<Area>,
        #[serde(default)]
        density: Option<Density>,
        /// A real LA (name or code) whose income deprivation relative to the average of the
        /// 151 LAs is used where `la_dep` is absent.
        #[serde(default)]
        la: Option<String>,
    },
}

impl GradientRequest {
    /// Reads a request from JSON text.
    pub fn from_json(text: &str) -> Result<Self, CalcError> {
        serde_json::from_str(text).map_err(|e| CalcError::InvalidRequest { message: e.to_string() })
    }
}

/// A computed social gradient with everything needed to show it honestly.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GradientResult {
    /// The social gradient score (a rate ratio, or a ratio of two gradients).
    pub estimate: f64,
    /// The estimate and its interval as every view shows them ([`format::shown`]).
    pub shown: Shown,
    /// Lower end of the 95% confidence interval, where one can be given.
    pub ci_low: Option<f64>,
    /// Upper end of the 95% confidence interval, where one can be given.
    pub ci_high: Option<f64>,
    /// How the interval was obtained and what it leaves out, or why there is none; to be shown
    /// wherever the interval is.
    pub ci_note: String,
    /// The document: "Webb et al. 2020" or "Hood et al. 2021".
    pub source: String,
    /// The table(s) the number comes from, e.g. "Table 3" or "Tables 1, 3 and 4".
    pub table: String,
    /// Seed file holding the document's text.
    pub seed: String,
    /// The unit of the estimate, in words.
    pub unit: String,
    /// The step the score is per, in plain words ("each 10-point rise in the share of families in
    /// income deprivation in a neighbourhood").
    pub step_words: String,
    /// True when the estimate is a printed cell (and equals it); false when derived.
    pub published: bool,
    /// True when the context lies outside the range the tables describe.
    pub extrapolated: bool,
    /// What that range is and how far outside it the context lies, when it does.
    pub range: Option<RangeNote>,
    /// The same measure in the average LA context, and which way this score differs from it.
    pub average: AverageComparison,
    /// Caveats, in plain English.
    pub warnings: Vec<String>,
    /// One sentence for a non-statistician.
    pub reading: String,
    /// The technical values behind the reading (standardised inputs, the printed cell it was
    /// checked against), for "Where these numbers come from".
    pub technical: Vec<String>,
    /// What was computed, e.g. "Children looked after (CLA)" or "Referral".
    pub label: String,
    /// The real LA the context comes from, if the request named one (`la_code`, `la_name`,
    /// what the user changed, where the values come from and the within-LA ratio).
    #[serde(flatten)]
    pub la: Option<LaUsed>,
    /// The context the estimate is for, with defaults filled in.
    pub context: ResolvedContext,
}

/// The context of a result, echoed with defaults filled in.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ResolvedContext {
    Webb2020(webb::WebbContext),
    Hood2021(hood::HoodContext),
}

/// Computes the social gradient a request asks for.
pub fn gradient(req: &GradientRequest) -> Result<GradientResult, CalcError> {
    match req {
        GradientRequest::Webb2020 { la: Some(la), .. } | GradientRequest::Hood2021 { la: Some(la), .. } => {
            place::gradient_for_la(req, la)
        }
        GradientRequest::Webb2020 { outcome, la_imd, la_imd_z, gini, gini_z, la: None } => {
            webb::gradient(*outcome, *la_imd, *la_imd_z, *gini, *gini_z, None)
        }
        GradientRequest::Hood2021 { measure, la_dep, area, density, la: None } => {
            hood::gradient(measure, *la_dep, *area, *density, None)
        }
    }
}

/// Two-sided 95% standard normal quantile, `Phi^-1(0.975)`.
pub(crate) const Z_975: f64 = 1.959_963_984_540_054;

/// Checks that a number is finite.
pub(crate) fn finite(field: &str, value: f64) -> Result<f64, CalcError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(CalcError::NotFinite { field: field.to_string() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_requests_from_json() {
        let req = GradientRequest::from_json(
            r#"{"source": "webb2020", "outcome": "cla", "la_imd_z": -1, "gini_z": 1}"#,
        )
        .unwrap();
        assert_eq!(
            req,
            GradientRequest::Webb2020 {
                outcome: Outcome::Cla,
                la_imd: None,
                la_imd_z: Some(-1.0),
                gini: None,
                gini_z: Some(1.0),
                la: None,
            }
        );
        let req = GradientRequest::from_json(
            r#"{"source": "hood2021", "measure": "cp_plan", "la_dep": 5, "area": "rural"}"#,
        )
        .unwrap();
        assert_eq!(
            req,
            GradientRequest::Hood2021 {
                measure: "cp_plan".into(),
                la_dep: Some(5.0),
                area: Some(Area::Rural),
                density: None,
                la: None,
            }
        );
    }

    #[test]
    fn bad_json_is_an_error_naming_the_problem() {
        let err = GradientRequest::from_json(r#"{"source": "webb2020", "outcome": "xyz"}"#).unwrap_err();
        assert!(matches!(err, CalcError::InvalidRequest { .. }));
        assert!(err.to_string().contains("xyz"), "{err}");
        let err = GradientRequest::from_json(r#"{"source": "nobody"}"#).unwrap_err();
        assert!(err.to_string().contains("nobody"), "{err}");
    }

    #[test]
    fn results_serialise_with_the_documented_fields() {
        let req = GradientRequest::Webb2020 {
            outcome: Outcome::Cla,
            la_imd: None,
            la_imd_z: Some(-1.0),
            gini: None,
            gini_z: Some(1.0),
            la: None,
        };
        let json = serde_json::to_value(gradient(&req).unwrap()).unwrap();
        for key in [
            "estimate",
            "ci_low",
            "ci_high",
            "ci_note",
            "source",
            "table",
            "seed",
            "unit",
            "published",
            "extrapolated",
            "warnings",
            "reading",
            "label",
            "context",
        ] {
            assert!(json.get(key).is_some(), "missing {key}");
        }
        assert_eq!(json["context"]["la_imd_z"], -1.0);
        assert_eq!(json["context"]["gini_z"], 1.0);
        assert_eq!(json["context"]["outcome"], "cla");
    }
}
