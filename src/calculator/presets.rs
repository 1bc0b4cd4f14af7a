//! The LA contexts the calculator opens on and offers as presets, before a real LA is picked,
//! with the study statistics they come from, so that the page holds no published number.
//!
//! - Webb et al. 2020: the LA IMD 2015 average score and LA Gini coefficient of Table 1 (mean,
//!   SD, range over the study's LAs). Low and high are the mean minus and plus one SD, as in the
//!   contexts of Table 4; average is the mean.
//! - Hood et al. 2021: LA income deprivation in percentage points around the England LA average;
//!   low and high are the -10 and +10 points the report prints (Tables 2-8), average is 0.

use serde::Serialize;

use super::hood::PRINTED_STEP;
use crate::tables::webb2020::{SummaryRow, LA_GINI_SUMMARY, LA_IMD_SUMMARY};

/// Low, average and high values of one kind of context.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Levels<T> {
    pub low: T,
    pub average: T,
    pub high: T,
}

/// An LA deprivation context in both studies' measures.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Deprivation {
    /// LA IMD 2015 average score (Webb et al. 2020).
    pub imd: f64,
    /// LA income deprivation, percentage points from the England LA average (Hood et al. 2021).
    pub dep: f64,
}

/// An LA income-inequality context (Webb et al. 2020).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Inequality {
    /// LA Gini coefficient.
    pub gini: f64,
}

/// The calculator's preset contexts and the study statistics behind them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StudyContexts {
    /// Webb et al. 2020, Table 1: LA IMD score.
    pub la_imd: SummaryRow,
    /// Webb et al. 2020, Table 1: LA Gini coefficient.
    pub gini: SummaryRow,
    pub deprivation: Levels<Deprivation>,
    pub inequality: Levels<Inequality>,
    /// Where the numbers come from, in words.
    pub source: &'static str,
}

/// `x` rounded to `decimals` places, as the value is shown and typed on the page.
fn rounded(x: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (x * scale).round() / scale
}

/// The presets (see the module documentation); IMD scores to 2 decimals, Gini to 3.
pub fn study_contexts() -> StudyContexts {
    let (imd, gini) = (LA_IMD_SUMMARY, LA_GINI_SUMMARY);
    StudyContexts {
        la_imd: imd,
        gini,
        deprivation: Levels {
            low: Deprivation { imd: rounded(imd.mean - imd.sd, 2), dep: -PRINTED_STEP },
            average: Deprivation { imd: imd.mean, dep: 0.0 },
            high: Deprivation { imd: rounded(imd.mean + imd.sd, 2), dep: PRINTED_STEP },
        },
        inequality: Levels {
            low: Inequality { gini: rounded(gini.mean - gini.sd, 3) },
            average: Inequality { gini: gini.mean },
            high: Inequality { gini: rounded(gini.mean + gini.sd, 3) },
        },
        source: "Webb et al. 2020, Table 1 (LA IMD score and Gini: mean, SD, range over the study's LAs); \
                 Hood et al. 2021, Tables 2-8 (low and high LA income deprivation at -10 and +10 points)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calculator::{gradient, GradientRequest, Outcome};

    #[test]
    fn presets_are_table_1_mean_and_one_sd_and_the_reports_ten_points() {
        let s = study_contexts();
        assert_eq!((s.la_imd.mean, s.la_imd.sd, s.la_imd.min, s.la_imd.max), (22.0, 8.14, 8.86, 41.2));
        assert_eq!((s.gini.mean, s.gini.sd, s.gini.min, s.gini.max), (0.386, 0.014, 0.358, 0.415));
        assert_eq!(s.deprivation.low, Deprivation { imd: 13.86, dep: -10.0 });
        assert_eq!(s.deprivation.average, Deprivation { imd: 22.0, dep: 0.0 });
        assert_eq!(s.deprivation.high, Deprivation { imd: 30.14, dep: 10.0 });
        assert_eq!(
            [s.inequality.low.gini, s.inequality.average.gini, s.inequality.high.gini],
            [0.372, 0.386, 0.4]
        );
    }

    /// The raw presets reach the calculator as the z-scores -1, 0 and +1 of Table 4's contexts.
    #[test]
    fn raw_presets_are_one_sd_from_the_mean() {
        let s = study_contexts();
        for (imd, gini, want) in [
            (s.deprivation.low.imd, s.inequality.high.gini, (-1.0, 1.0)),
            (s.deprivation.average.imd, s.inequality.average.gini, (0.0, 0.0)),
            (s.deprivation.high.imd, s.inequality.low.gini, (1.0, -1.0)),
        ] {
            let req = GradientRequest::Webb2020 {
                outcome: Outcome::Cla,
                la_imd: Some(imd),
                la_imd_z: None,
                gini: Some(gini),
                gini_z: None,
                la: None,
            };
            let json = serde_json::to_value(gradient(&req).unwrap()).unwrap();
            let z =
                (json["context"]["la_imd_z"].as_f64().unwrap(), json["context"]["gini_z"].as_f64().unwrap());
            assert!((z.0 - want.0).abs() < 1e-12 && (z.1 - want.1).abs() < 1e-12, "{z:?} vs {want:?}");
        }
    }
}
