//! The published tables of the source studies, embedded as typed data.
//!
//! - [`webb2020`]: Webb et al. (2020), multilevel negative binomial models of children in need
//!   (CIN), child protection plan (CPP) and children looked after (CLA) rates in 18 English local
//!   authorities (seed `000_616bec359d8bddcb.txt`).
//! - [`hood2021`]: Hood et al. (2021), national report on the social gradient in children's social
//!   care, Poisson multilevel models for all English local authorities (seed
//!   `001_d01d26d66ffa3560.txt`).
//! - [`hood2020`]: Hood et al. (2020), the earlier study of system conditions: child-level odds
//!   ratios, demand classes and LA correlations from six local authorities (seeds
//!   `004_0ca8065947ac1239.txt`, the final report, and `003_01c4e8942eed2a44.txt`, its summary).
//!
//! Every number is transcribed from the seed text and carries its citation (document and table)
//! in the doc comment of the item that holds it. Numbers are stored as numbers: a printed bound
//! such as `<0.001` is a [`Bounded::LessThan`], a printed `~0` variance is [`Variance::NearZero`],
//! and a blank cell is `None`.

pub mod hood2020;
pub mod hood2021;
pub mod webb2020;

use serde::Serialize;

/// Significance marks printed next to an estimate.
///
/// Webb et al. 2020 use `. = p < .1, * = p < .05, ** = p < .01, *** = p < .001`; Hood et al. 2021
/// use `** p < 0.01, *** p < 0.001`. An estimate printed without a mark is
/// [`Significance::Unmarked`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Significance {
    /// No mark: not significant at the levels the table reports.
    Unmarked,
    /// `.`: p < 0.1.
    P10,
    /// `*`: p < 0.05.
    P05,
    /// `**`: p < 0.01.
    P01,
    /// `***`: p < 0.001.
    P001,
}

impl Significance {
    /// The mark as printed (`""`, `"."`, `"*"`, `"**"`, `"***"`).
    pub fn mark(self) -> &'static str {
        match self {
            Significance::Unmarked => "",
            Significance::P10 => ".",
            Significance::P05 => "*",
            Significance::P01 => "**",
            Significance::P001 => "***",
        }
    }

    /// Whether the mark means p < 0.05.
    pub fn significant_at_5_percent(self) -> bool {
        matches!(self, Significance::P05 | Significance::P01 | Significance::P001)
    }
}

/// A printed number that may be a bound rather than a value (`<0.001`, `<.01`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bounded {
    /// The printed value.
    Value(f64),
    /// Printed as `<x`.
    LessThan(f64),
}

/// A variance component (or its standard deviation) printed as a number or as `~0`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Variance {
    /// The printed value.
    Value(f64),
    /// Printed as `~0`: the component was estimated at (numerically) zero.
    NearZero,
}

/// A printed confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

/// Shorthand used by the table literals.
pub(crate) const fn ci(low: f64, high: f64) -> Interval {
    Interval { low, high }
}
