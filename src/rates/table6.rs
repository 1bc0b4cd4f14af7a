//! Hood et al. 2020's Table 6 (the Spearman correlation of LA deprivation with demand indicators,
//! by year) computed again from the Department for Education's figures in this project, beside
//! the published coefficients.
//!
//! - **Years.** Table 6's columns are years ending 31 March, as DfE labels them: the report's
//!   "period in question (2014-17)" is its three columns 2015 to 2017, and its demand indicators
//!   are DfE's annual returns (Table 1), converted to rates per 10,000 children. DfE's "2013" is
//!   the year ending 31 March 2013. The figures here start in 2013, so the years compared are
//!   2013 to 2017; Table 6's 2011 and 2012 have nothing to compare with.
//! - **Indicators.** Four of Table 6's fourteen rows are DfE measures held here ([`MATCHES`]):
//!   referrals, children in need at 31 March, child protection plans starting in the year and
//!   at 31 March. Children looked after at 31 March are not a row of Table 6 ("children taken
//!   into care" counts those starting to be looked after in the year), so they are not compared.
//! - **Deprivation.** Table 6 correlates with the LA's IMD average score; the project has the
//!   IMD 2015 average score of each LA (neighbourhood scores re-aggregated to the 2019 LAs), used
//!   here for every year.
//! - **Rates.** Each LA's count over its children aged 0-17 (ONS estimates revised after Census
//!   2021, not the ones first published), per 10,000, unrounded; an LA without a figure (or
//!   without children) that year is left out, and the number of LAs used is given. Spearman's
//!   coefficient does not depend on the scale, so "per 10,000" makes no difference.
//!
//! `tests/reference/table6/make_table6.R` computes the same coefficients in R from the data
//! files; `tests/rates_table6.rs` checks them against its golden output and checks that each
//! agrees in sign with the published one.

use serde::Serialize;

use super::data::{has_year, row, Measure};
use crate::calculator::format::fixed;
use crate::correlation::spearman;
use crate::places::places;
use crate::tables::hood2020::correlations::{Correlation, TABLE6_CORRELATIONS};

/// Table 6's rows (by key) that are DfE measures held here, with the measure.
pub const MATCHES: [(&str, Measure); 4] = [
    ("referral", Measure::Referrals),
    ("cin_at_march_31st", Measure::CinAt31),
    ("cp_plan_starting_in_year", Measure::CppStarts),
    ("cp_plan_at_march_31st", Measure::CppAt31),
];

/// The deprivation measure used, in words.
pub const DEPRIVATION: &str =
    "the LA's IMD 2015 average score (neighbourhood scores re-aggregated to the 2019 LAs)";

/// One year of one indicator: the published coefficient and the computed one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ComparedYear {
    /// The year ending 31 March.
    pub year: u16,
    /// As printed in Table 6 (its N is the report's number of LAs).
    pub published: Option<Correlation>,
    /// Computed from the DfE figures here: Spearman's coefficient and the number of LAs.
    pub computed: Option<f64>,
    pub n: usize,
}

impl ComparedYear {
    /// Whether both coefficients exist and have the same sign.
    pub fn same_sign(&self) -> Option<bool> {
        Some(self.published?.rho.signum() == self.computed?.signum())
    }
}

/// One Table 6 row with a DfE measure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComparedRow {
    /// The row's key and label in Table 6.
    pub key: &'static str,
    pub label: &'static str,
    pub measure: Measure,
    pub measure_label: &'static str,
    /// The years Table 6 prints that the DfE figures here also cover.
    pub years: Vec<ComparedYear>,
}

/// The whole comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table6Comparison {
    pub deprivation: &'static str,
    pub rows: Vec<ComparedRow>,
    /// Table 6's years without DfE figures here (2011, 2012).
    pub years_without_figures: Vec<u16>,
    /// Table 6's rows that are not DfE measures held here.
    pub rows_without_match: Vec<&'static str>,
    /// DfE measures held here that are not rows of Table 6.
    pub measures_without_row: Vec<&'static str>,
}

/// Spearman's coefficient of LA deprivation (IMD 2015 average score) with the rate of `measure`
/// in `year`, over the LAs with a figure, and how many that is; `None` for a year without figures.
pub fn computed(measure: Measure, year: u16) -> Option<(f64, usize)> {
    if !has_year(year) {
        return None;
    }
    let (imd, rate): (Vec<f64>, Vec<f64>) = places()
        .iter()
        .enumerate()
        .map(|(i, p)| {
            (p.la.imd2015_avg_score, row(i, year).and_then(|r| r.exact_rate(measure)).unwrap_or(f64::NAN))
        })
        .unzip();
    spearman(&imd, &rate).ok().map(|r| (r.rho, r.n))
}

/// Table 6 beside the same correlations computed from the DfE figures.
pub fn table6_comparison() -> Table6Comparison {
    let t = &TABLE6_CORRELATIONS;
    let rows = MATCHES
        .iter()
        .map(|&(key, measure)| {
            let printed = t.rows.iter().find(|r| r.key == key).expect("Table 6 has the row");
            let years = t
                .years
                .iter()
                .zip(printed.cells.iter())
                .filter(|(&y, _)| has_year(y))
                .map(|(&year, &published)| {
                    let c = computed(measure, year);
                    ComparedYear { year, published, computed: c.map(|c| c.0), n: c.map_or(0, |c| c.1) }
                })
                .collect();
            ComparedRow { key, label: printed.label, measure, measure_label: measure.label(), years }
        })
        .collect();
    Table6Comparison {
        deprivation: DEPRIVATION,
        rows,
        years_without_figures: t.years.iter().copied().filter(|&y| !has_year(y)).collect(),
        rows_without_match: t
            .rows
            .iter()
            .filter(|r| !MATCHES.iter().any(|m| m.0 == r.key))
            .map(|r| r.label)
            .collect(),
        measures_without_row: Measure::ALL
            .iter()
            .filter(|m| !MATCHES.iter().any(|x| x.1 == **m))
            .map(|m| m.label())
            .collect(),
    }
}

/// A coefficient as the comparison shows it: three decimals, as Table 6 prints most of its own.
pub fn shown(rho: f64) -> String {
    fixed(rho, 3)
}

/// The comparison as a table: one row per indicator and year.
pub fn comparison_table(c: &Table6Comparison) -> crate::charts::Table {
    let rows = c
        .rows
        .iter()
        .flat_map(|r| {
            r.years.iter().map(move |y| {
                vec![
                    r.label.to_string(),
                    y.year.to_string(),
                    y.published
                        .map_or_else(|| "–".to_string(), |p| format!("{} (N {})", p.printed_rho(), p.n)),
                    y.computed.map_or_else(|| "–".to_string(), |v| format!("{} (N {})", shown(v), y.n)),
                    match y.same_sign() {
                        Some(true) => "yes".to_string(),
                        Some(false) => "no".to_string(),
                        None => "–".to_string(),
                    },
                ]
            })
        })
        .collect();
    crate::charts::Table {
        caption: format!(
            "Table 6 as printed beside the same Spearman correlation computed from the DfE figures on this page \
             (all English LAs with a figure; deprivation: {}), years ending 31 March",
            c.deprivation
        ),
        header: ["Demand indicator", "Year", "Published (N LAs)", "Computed here (N LAs)", "Same sign"]
            .map(String::from)
            .to_vec(),
        rows,
    }
}

/// Why the computed coefficients differ from the published ones, and what is not compared.
pub fn comparison_about(c: &Table6Comparison) -> Vec<String> {
    let years: Vec<u16> =
        c.rows.first().map(|r| r.years.iter().map(|y| y.year).collect()).unwrap_or_default();
    let all: Vec<&ComparedYear> = c.rows.iter().flat_map(|r| r.years.iter()).collect();
    let agree = all.iter().filter(|y| y.same_sign() == Some(true)).count();
    let compared = all.iter().filter(|y| y.same_sign().is_some()).count();
    let differences: Vec<f64> =
        all.iter().filter_map(|y| Some(y.computed? - y.published?.rho)).map(f64::abs).collect();
    let largest = differences.iter().copied().fold(0.0, f64::max);
    let printed_n: Vec<u32> = all.iter().filter_map(|y| y.published.map(|p| p.n)).collect();
    let (n_min, n_max) =
        (printed_n.iter().min().copied().unwrap_or(0), printed_n.iter().max().copied().unwrap_or(0));
    let used: Vec<usize> = all.iter().filter(|y| y.computed.is_some()).map(|y| y.n).collect();
    let (u_min, u_max) = (used.iter().min().copied().unwrap_or(0), used.iter().max().copied().unwrap_or(0));
    vec![
        format!(
            "Computed here from the Department for Education's figures in this page's data, {} to {}: {agree} of \
             {compared} coefficients have the published sign, and they differ from the published ones by at most {}.",
            years.first().copied().unwrap_or_default(),
            years.last().copied().unwrap_or_default(),
            fixed(largest, 3)
        ),
        format!(
            "Why they differ: the LAs are the English LAs with a figure in this data, on 2019 boundaries ({u_min} to \
             {u_max} each year; the report used {n_min} to {n_max} of the 152 LAs of its time); the rates use ONS \
             child populations revised after Census 2021, not the estimates first published; the counts are those of \
             DfE's latest releases; and deprivation is {}, the same for every year. An association across LAs, not a \
             cause.",
            c.deprivation
        ),
        format!(
            "Not compared: Table 6's {} (no DfE figures here before 2013); its rows {} (not among the DfE measures \
             held here); and {} (not a row of Table 6: its \"children taken into care\" counts children starting to \
             be looked after in the year).",
            list(&c.years_without_figures.iter().map(|y| y.to_string()).collect::<Vec<_>>()),
            list(&c.rows_without_match.iter().map(|l| format!("\"{l}\"")).collect::<Vec<_>>()),
            list(&c.measures_without_row.iter().map(|m| m.to_lowercase()).collect::<Vec<_>>())
        ),
    ]
}

/// "a, b and c".
fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        _ => format!("{} and {}", items[..items.len() - 1].join(", "), items[items.len() - 1]),
    }
}
