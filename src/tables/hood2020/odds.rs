//! The shape of Tables 7 to 10 of Hood et al. 2020: odds ratios (OR) with 95% confidence
//! intervals (CI) in each of the six LAs, printed as `OR 2.74 (CI 2.40-3.14)` or `N/A`.
//!
//! Each table compares a group of referred children (girls; the under-5s and the over-12s; White
//! British children; the least and the most deprived tertile) with a reference group, for
//! thresholds reached, factors recorded at assessment, sources of referral and CP plan
//! categories. An OR above 1 means the group was more likely than the reference group to have
//! the item, once referred. The originals marked significant cells by colour only; the text does
//! not keep it, so no cell here carries a significance mark. Whether a printed interval excludes
//! 1 is computed from the interval ([`OddsRatio::interval_excludes_one`]), and is said to be so
//! wherever it is shown.

use serde::Serialize;

use super::La;
use crate::tables::{ci, Interval};

/// A printed odds ratio with its 95% confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OddsRatio {
    pub or: f64,
    pub ci: Interval,
    /// Decimals printed for the odds ratio and the two bounds (2 in all but seven cells, such as
    /// `OR 10.5 (CI 4.31-25.5)`).
    pub decimals: [u8; 3],
}

impl OddsRatio {
    /// The cell as the report prints it: `OR 10.5 (CI 4.31-25.5)`.
    pub fn printed(&self) -> String {
        let [a, b, c] = self.decimals.map(usize::from);
        format!("OR {:.a$} (CI {:.b$}-{:.c$})", self.or, self.ci.low, self.ci.high)
    }

    /// The odds ratio and interval in words' form, with the printed decimals: `10.5 (4.31 to 25.5)`.
    pub fn short(&self) -> String {
        let [a, b, c] = self.decimals.map(usize::from);
        format!("{:.a$} ({:.b$} to {:.c$})", self.or, self.ci.low, self.ci.high)
    }

    /// Whether the printed interval lies wholly above or wholly below 1 (a bound printed as
    /// exactly 1.00 does not exclude 1).
    pub fn interval_excludes_one(&self) -> bool {
        self.ci.low > 1.0 || self.ci.high < 1.0
    }
}

/// One LA's cell.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OddsCell {
    Printed(OddsRatio),
    /// Printed `N/A`.
    NotAvailable,
}

impl OddsCell {
    /// The odds ratio, unless the cell is `N/A`.
    pub fn printed(&self) -> Option<&OddsRatio> {
        match self {
            OddsCell::Printed(r) => Some(r),
            OddsCell::NotAvailable => None,
        }
    }
}

/// One row: an item and its cell in each LA, in the order of [`La::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OddsRow {
    /// lower_snake_case of the label (apostrophes dropped).
    pub key: &'static str,
    /// The item as printed, without its footnote mark.
    pub label: &'static str,
    /// The row's own reference group, when a footnote gives one ("no record of disability").
    pub reference: Option<&'static str>,
    /// Something to know about how the row is printed in the text.
    pub note: Option<&'static str>,
    pub cells: [OddsCell; 6],
}

impl OddsRow {
    /// The cell of `la`.
    pub fn cell(&self, la: La) -> &OddsCell {
        &self.cells[la.index()]
    }
}

/// A printed section of a half ("Thresholds", "Factors at Assessment", "Source of referrals").
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OddsSection {
    pub heading: &'static str,
    pub rows: &'static [OddsRow],
}

/// One half of a table: a group compared with its reference group.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OddsHalf {
    /// Stable name ("female", "under_5", "twelve_plus", "white_british", "least_deprived",
    /// "most_deprived").
    pub key: &'static str,
    /// The heading as printed ("UNDER 5s").
    pub heading: &'static str,
    /// The group in words ("children aged under 5").
    pub group: &'static str,
    /// The reference group, from the table's notes.
    pub reference: &'static str,
    pub sections: &'static [OddsSection],
}

impl OddsHalf {
    /// Every row with its section heading, in printed order.
    pub fn rows(&self) -> impl Iterator<Item = (&'static str, &'static OddsRow)> + '_ {
        self.sections.iter().flat_map(|s| s.rows.iter().map(move |r| (s.heading, r)))
    }
}

/// One of Tables 7 to 10.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OddsTable {
    /// 7 to 10.
    pub number: u8,
    /// "Table 7".
    pub table: &'static str,
    pub title: &'static str,
    /// The child characteristic compared ("gender").
    pub characteristic: &'static str,
    pub halves: &'static [OddsHalf],
    /// How the original shows significance, which the text does not keep.
    pub significance: &'static str,
    /// The table's notes, as printed.
    pub notes: &'static [&'static str],
}

/// Shorthand of the table literals: `OR or (CI low-high)`, each with two decimals.
pub(super) const fn o(or: f64, low: f64, high: f64) -> OddsCell {
    OddsCell::Printed(OddsRatio { or, ci: ci(low, high), decimals: [2, 2, 2] })
}

/// Shorthand of the table literals: a cell printed with other decimals than two.
pub(super) const fn o_printed(or: f64, low: f64, high: f64, decimals: [u8; 3]) -> OddsCell {
    OddsCell::Printed(OddsRatio { or, ci: ci(low, high), decimals })
}

/// Shorthand of the table literals: `N/A`.
pub(super) const NA: OddsCell = OddsCell::NotAvailable;

/// Shorthand of the table literals: a row without a reference group of its own or a note.
pub(super) const fn row(key: &'static str, label: &'static str, cells: [OddsCell; 6]) -> OddsRow {
    OddsRow { key, label, reference: None, note: None, cells }
}
