//! England's rate of each measure in each year, computed from the table: the sum of the counts
//! over the sum of the children of the LAs with a figure, per 10,000 children aged 0-17.
//!
//! DfE's own England totals also hold stand-in values for LAs missing from the LA tables
//! (Hackney 2021-22, Hampshire 2024) and, before 2020, the predecessors of Bournemouth,
//! Christchurch and Poole and Dorset; these sums do not (data/SOURCES-csc.md, check 6), so the
//! page says how many LAs each rate covers.

use serde::Serialize;

use super::data::{row, Measure};
use crate::places::places;

/// England's rate for one measure and year, over the LAs with a figure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EnglandRate {
    pub measure: Measure,
    pub year: u16,
    /// Sum of the counts.
    pub count: u64,
    /// Sum of the children aged 0-17 of the same LAs.
    pub children: u64,
    /// How many LAs have a figure (of 151).
    pub las: usize,
    /// `count / children x 10,000`, unrounded.
    pub rate: f64,
}

/// England's rate of `measure` in `year` (a year of the table).
pub fn england_rate(measure: Measure, year: u16) -> EnglandRate {
    let (mut count, mut children, mut las) = (0u64, 0u64, 0usize);
    for la in 0..places().len() {
        let Some(r) = row(la, year) else { continue };
        if let (Ok(f), Ok(c)) = (r.figure(measure), r.children) {
            count += f.count as u64;
            children += c as u64;
            las += 1;
        }
    }
    let rate = if children > 0 { count as f64 / children as f64 * 10_000.0 } else { f64::NAN };
    EnglandRate { measure, year, count, children, las, rate }
}
