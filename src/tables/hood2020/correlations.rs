//! Table 6 of Hood et al. 2020 (seed `004_0ca8065947ac1239.txt`): the correlation of LA
//! deprivation (IMD 2015 average score of the LA) with demand indicators (rates per 10,000
//! children) across English LAs, one column per year as printed, 2011 to 2017.
//!
//! The report used Spearman's rank correlations, year by year (section 2.2), with two-tailed
//! p-values; `**` marks p < 0.01 and `*` p < 0.05 (notes to Table 6). Each cell holds the three
//! printed rows: the coefficient with its mark, the p-value ("Sig. (2-tailed)") and N, the number
//! of LAs. A blank cell (an indicator not collected that year) is `None`.

use serde::Serialize;

use crate::tables::Bounded::{self, LessThan, Value};
use crate::tables::Significance::{self, Unmarked, P01, P05};

/// The years of the columns, as printed.
pub const TABLE6_YEARS: [u16; 7] = [2011, 2012, 2013, 2014, 2015, 2016, 2017];

/// One printed correlation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Correlation {
    /// Spearman's rank correlation coefficient.
    pub rho: f64,
    /// The mark printed after it.
    pub significance: Significance,
    /// "Sig. (2-tailed)".
    pub p: Bounded,
    /// Number of LAs.
    pub n: u32,
    /// Decimals printed for the coefficient and the p-value (3, except `-0.06`, `0.02`, `0.29`).
    pub decimals: [u8; 2],
}

impl Correlation {
    /// The coefficient as printed, with its mark: `.580**`, `0.159`, `-0.06`.
    pub fn printed_rho(&self) -> String {
        let d = usize::from(self.decimals[0]);
        let text = format!("{:.d$}", self.rho);
        // The report drops the leading zero of a marked (significant) coefficient.
        let text = match self.significance {
            Significance::Unmarked => text,
            _ => text.replacen("0.", ".", 1),
        };
        format!("{text}{}", self.significance.mark())
    }

    /// The p-value as printed: `< 0.001`, `0.02`.
    pub fn printed_p(&self) -> String {
        let d = usize::from(self.decimals[1]);
        match self.p {
            Bounded::LessThan(x) => format!("< {x:.d$}"),
            Bounded::Value(x) => format!("{x:.d$}"),
        }
    }
}

/// One demand indicator: its three printed rows, one cell per year of [`TABLE6_YEARS`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CorrelationRow {
    /// lower_snake_case of the label.
    pub key: &'static str,
    /// The indicator as printed (lines joined).
    pub label: &'static str,
    /// The label of the coefficient row as printed ("Coefficient"; "Correlation" once).
    pub statistic: &'static str,
    pub cells: [Option<Correlation>; 7],
}

/// Table 6 with its title and notes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CorrelationTable {
    pub table: &'static str,
    pub title: &'static str,
    /// The deprivation measure every indicator is correlated with, as printed.
    pub with: &'static str,
    pub years: [u16; 7],
    pub rows: &'static [CorrelationRow],
    /// How significance is shown.
    pub significance: &'static str,
}

const fn r(rho: f64, significance: Significance, p: Bounded, n: u32) -> Option<Correlation> {
    Some(Correlation { rho, significance, p, n, decimals: [3, 3] })
}

/// A correlation printed with other decimals than three.
const fn r_printed(
    rho: f64,
    significance: Significance,
    p: Bounded,
    n: u32,
    decimals: [u8; 2],
) -> Option<Correlation> {
    Some(Correlation { rho, significance, p, n, decimals })
}

const P: Bounded = LessThan(0.001);

/// Correlation matrix showing IMD Average Score (LA) with demand indicators: Hood et al. 2020,
/// Table 6 (seed 004_0ca8065947ac1239).
#[rustfmt::skip]
pub static TABLE6_CORRELATIONS: CorrelationTable = CorrelationTable {
    table: "Table 6",
    title: "Correlation matrix showing IMD Average Score (LA) with demand indicators",
    with: "IMD Average Score (LA)",
    years: TABLE6_YEARS,
    significance: "Coefficients are marked ** for p < 0.01 and * for p < 0.05; the original also highlights \
                   the significant cells",
    rows: &[
        CorrelationRow {
            key: "referral", label: "Referral", statistic: "Coefficient",
            cells: [r(0.580, P01, P, 150), r(0.543, P01, P, 148), r(0.526, P01, P, 149), r(0.480, P01, P, 149),
                    r(0.520, P01, P, 149), r(0.474, P01, P, 150), r(0.502, P01, P, 150)],
        },
        CorrelationRow {
            key: "assessment_initial", label: "Assessment: Initial", statistic: "Coefficient",
            cells: [r(0.603, P01, P, 150), r(0.536, P01, P, 142), r(0.520, P01, P, 141), r(0.255, P01, Value(0.003), 130),
                    None, None, None],
        },
        CorrelationRow {
            key: "assessment_core", label: "Assessment: Core", statistic: "Coefficient",
            cells: [r(0.488, P01, P, 149), r(0.406, P01, P, 142), r(0.456, P01, P, 141), r(0.159, Unmarked, Value(0.074), 127),
                    None, None, None],
        },
        CorrelationRow {
            key: "assessment_continuous", label: "Assessment: Continuous", statistic: "Coefficient",
            cells: [None, None, None, None,
                    r(0.461, P01, P, 150), r(0.409, P01, P, 150), r(0.461, P01, P, 150)],
        },
        CorrelationRow {
            key: "cin_at_march_31st", label: "CIN at March 31st", statistic: "Coefficient",
            cells: [r(0.596, P01, P, 146), r(0.616, P01, P, 148), r(0.648, P01, P, 147), r(0.576, P01, P, 149),
                    r(0.633, P01, P, 150), r(0.603, P01, P, 150), r(0.679, P01, P, 150)],
        },
        CorrelationRow {
            key: "cin_starting_in_year", label: "CIN starting in year", statistic: "Coefficient",
            cells: [r(0.597, P01, P, 144), r(0.592, P01, P, 148), r(0.640, P01, P, 149), r(0.621, P01, P, 148),
                    r(0.618, P01, P, 150), r(0.603, P01, P, 150), r(0.650, P01, P, 150)],
        },
        CorrelationRow {
            key: "section_47s", label: "Section 47s", statistic: "Coefficient",
            cells: [r(0.469, P01, P, 146), r(0.373, P01, P, 144), r(0.403, P01, P, 149), r(0.379, P01, P, 150),
                    r(0.447, P01, P, 150), r(0.475, P01, P, 150), r(0.499, P01, P, 150)],
        },
        CorrelationRow {
            key: "cp_conferences", label: "CP Conferences", statistic: "Correlation",
            cells: [r(0.581, P01, P, 146), r(0.534, P01, P, 145), r(0.564, P01, P, 149), r(0.463, P01, P, 150),
                    r(0.481, P01, P, 150), r(0.412, P01, P, 150), r(0.471, P01, P, 150)],
        },
        CorrelationRow {
            key: "cp_plan_at_march_31st", label: "CP Plan at March 31st", statistic: "Coefficient",
            cells: [r(0.588, P01, P, 149), r(0.559, P01, P, 148), r(0.499, P01, P, 149), r(0.515, P01, P, 150),
                    r(0.555, P01, P, 150), r(0.426, P01, P, 150), r(0.456, P01, P, 150)],
        },
        CorrelationRow {
            key: "cp_plan_starting_in_year", label: "CP Plan starting in year", statistic: "Coefficient",
            cells: [r(0.573, P01, P, 150), r(0.560, P01, P, 148), r(0.554, P01, P, 149), r(0.486, P01, P, 150),
                    r(0.517, P01, P, 150), r(0.419, P01, P, 150), r(0.485, P01, P, 150)],
        },
        CorrelationRow {
            key: "care_proceedings", label: "Care Proceedings", statistic: "Coefficient",
            cells: [r(0.678, P01, P, 150), r(0.696, P01, P, 150), r(0.706, P01, P, 150), r(0.701, P01, P, 150),
                    r(0.629, P01, P, 150), r(0.488, P01, P, 150), r(0.582, P01, P, 150)],
        },
        CorrelationRow {
            key: "children_taken_into_care", label: "Children taken into care", statistic: "Coefficient",
            cells: [r(0.765, P01, P, 150), r(0.760, P01, P, 150), r(0.752, P01, P, 150), r(0.744, P01, P, 150),
                    r(0.704, P01, P, 150), r(0.678, P01, P, 150), r(0.662, P01, P, 150)],
        },
        CorrelationRow {
            key: "section_20s", label: "Section 20s", statistic: "Coefficient",
            cells: [r(0.256, P01, Value(0.002), 150), r_printed(0.190, P05, Value(0.02), 150, [3, 2]), r(0.223, P01, Value(0.006), 150),
                    r(0.223, P01, Value(0.006), 150), r(0.168, P05, Value(0.041), 149), r(0.165, P05, Value(0.043), 150),
                    r(0.176, P05, Value(0.035), 145)],
        },
        CorrelationRow {
            key: "re_referrals_within_12_months", label: "Re-referrals within 12 months", statistic: "Coefficient",
            cells: [r(0.014, Unmarked, Value(0.871), 135), r(0.006, Unmarked, Value(0.943), 140),
                    r(-0.014, Unmarked, Value(0.863), 147), r_printed(-0.088, Unmarked, Value(0.29), 148, [3, 2]),
                    r(-0.082, Unmarked, Value(0.321), 148), r(-0.118, Unmarked, Value(0.152), 149),
                    r_printed(-0.06, Unmarked, Value(0.465), 150, [2, 3])],
        },
    ],
};
