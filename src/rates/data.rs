//! The Department for Education's children's social care figures for the 151 LAs, every year
//! ending 31 March 2013 to 2025 (`data/england_la_csc_rates.csv`, OGL v3.0; its sources, method
//! and checks are in `data/SOURCES-csc.md`), embedded as typed data by `build.rs`.
//!
//! Every figure is a count with its rate per 10,000 children aged 0-17 (the ONS estimate at
//! mid-(year - 1), the denominator of every rate in the row), or the reason DfE gives none
//! ([`Gap`]). Rates are as in the file: DfE's published value where it was published on this
//! denominator, else `count / children x 10,000` rounded as DfE rounds (1 decimal; whole numbers
//! for children looked after).

use serde::Serialize;

use crate::places::places;

/// The first and last years of the table (years ending 31 March).
pub const FIRST_YEAR: u16 = 2013;
pub const LAST_YEAR: u16 = 2025;

/// Where the figures come from, for every place that shows them.
pub const SOURCE: &str = "Department for Education, Children in need and Children looked after in England \
     including adoptions (releases 2013 to 2025); ONS mid-year population estimates (data/SOURCES-csc.md)";

/// The attribution the Open Government Licence v3.0 asks for (data/SOURCES-csc.md, "Licence").
pub const ATTRIBUTION: &str = "Contains public sector information licensed under the Open Government \
     Licence v3.0. Source: Department for Education, Children in need and Children looked after in England \
     including adoptions (releases 2013 to 2025); Office for National Statistics, mid-year population \
     estimates. Adapted by mapping to April-2019 local authorities and recalculating rates.";

/// One of the five measures DfE publishes for every LA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Referrals to children's social care in the year (a child can be referred more than once).
    Referrals,
    /// Children in need at 31 March.
    CinAt31,
    /// Child protection plans starting in the year.
    CppStarts,
    /// Children on a child protection plan at 31 March.
    CppAt31,
    /// Children looked after at 31 March.
    ClaAt31,
}

impl Measure {
    /// The five, in the table's order.
    pub const ALL: [Measure; 5] =
        [Measure::Referrals, Measure::CinAt31, Measure::CppStarts, Measure::CppAt31, Measure::ClaAt31];

    /// The column name (`referrals`, `cin_at31`, `cpp_starts`, `cpp_at31`, `cla_at31`), as the
    /// command line and the page's link name it.
    pub fn name(self) -> &'static str {
        match self {
            Measure::Referrals => "referrals",
            Measure::CinAt31 => "cin_at31",
            Measure::CppStarts => "cpp_starts",
            Measure::CppAt31 => "cpp_at31",
            Measure::ClaAt31 => "cla_at31",
        }
    }

    /// The measure named `name` (see [`Measure::name`]).
    pub fn parse(name: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.name() == name.trim())
    }

    /// A short label: "Referrals", "Children in need", ...
    pub fn label(self) -> &'static str {
        match self {
            Measure::Referrals => "Referrals",
            Measure::CinAt31 => "Children in need",
            Measure::CppStarts => "Child protection plans started",
            Measure::CppAt31 => "Children on a child protection plan",
            Measure::ClaAt31 => "Children looked after",
        }
    }

    /// What is counted, in words, for a sentence: "referrals to children's social care in the year".
    pub fn counted(self) -> &'static str {
        match self {
            Measure::Referrals => "referrals to children's social care in the year",
            Measure::CinAt31 => "children in need at 31 March",
            Measure::CppStarts => "child protection plans started in the year",
            Measure::CppAt31 => "children on a child protection plan at 31 March",
            Measure::ClaAt31 => "children looked after at 31 March",
        }
    }

    /// The rate in a sentence: "rate of children looked after".
    pub fn rate_words(self) -> &'static str {
        match self {
            Measure::Referrals => "referral rate",
            Measure::CinAt31 => "rate of children in need",
            Measure::CppStarts => "rate of child protection plans started",
            Measure::CppAt31 => "rate of children on a child protection plan",
            Measure::ClaAt31 => "rate of children looked after",
        }
    }

    /// How the page shows this measure's rates (as DfE prints them: whole numbers for children
    /// looked after, one decimal for the others).
    pub fn quantity(self) -> crate::calculator::Quantity {
        use crate::calculator::Quantity;
        if self == Measure::ClaAt31 {
            Quantity::Rate
        } else {
            Quantity::DfeRate
        }
    }

    /// Decimals of the published rate: 1, or 0 for children looked after (DfE's conventions).
    pub fn rate_decimals(self) -> usize {
        if self == Measure::ClaAt31 {
            0
        } else {
            1
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Why DfE gives no figure for an LA and year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Gap {
    /// `c`: suppressed as confidential (1 to 5, or to protect another cell).
    Confidential,
    /// `x`: not available (the LA did not provide it).
    NotAvailable,
    /// `u`: withheld by DfE as of low reliability.
    LowReliability,
    /// `z`: not applicable.
    NotApplicable,
    /// The LA has no row in DfE's file for that year.
    NotPublished,
    /// The authority did not exist that year (Bournemouth, Christchurch and Poole and Dorset
    /// were created on 1 April 2019: their first year is 2020).
    DidNotExist,
}

impl Gap {
    /// DfE's symbol (`c`, `x`, `u`, `z`), or none.
    pub fn symbol(self) -> Option<&'static str> {
        match self {
            Gap::Confidential => Some("c"),
            Gap::NotAvailable => Some("x"),
            Gap::LowReliability => Some("u"),
            Gap::NotApplicable => Some("z"),
            Gap::NotPublished | Gap::DidNotExist => None,
        }
    }

    /// The reason in a few words: "suppressed (DfE 'c': 1 to 5 children, or to protect another figure)".
    pub fn reason(self) -> &'static str {
        match self {
            Gap::Confidential => "suppressed (DfE 'c': 1 to 5, or to protect another figure)",
            Gap::NotAvailable => "not available (DfE 'x')",
            Gap::LowReliability => "withheld as of low reliability (DfE 'u')",
            Gap::NotApplicable => "not applicable (DfE 'z')",
            Gap::NotPublished => "not published (no row in DfE's file)",
            Gap::DidNotExist => "the authority did not exist yet (created 1 April 2019)",
        }
    }

    /// The kind of gap in one word, as the trend chart's notes group them: "suppressed", "not
    /// published" or "did not exist".
    pub fn kind(self) -> &'static str {
        match self {
            Gap::Confidential | Gap::LowReliability => "suppressed",
            Gap::NotAvailable | Gap::NotApplicable | Gap::NotPublished => "not published",
            Gap::DidNotExist => "did not exist",
        }
    }
}

/// A count and its rate per 10,000 children aged 0-17.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Figure {
    pub count: u32,
    /// Per 10,000 children aged 0-17, as in the table (1 decimal; whole numbers for CLA).
    pub rate: f64,
    /// Whether the rate is DfE's published value (else computed from the count, as DfE would).
    pub rate_published: bool,
}

/// One LA's row for one year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CscRow {
    pub year: u16,
    /// ONS estimate of children aged 0-17 at mid-(year - 1): the denominator of the row's rates.
    pub children: Result<u32, Gap>,
    figures: [Result<Figure, Gap>; 5],
    /// A caveat for the row (code mapping, Hackney 2021-22, BCP and Dorset before 2020, ...).
    pub note: Option<&'static str>,
}

/// A row as `build.rs` stores it: counts, gap codes (0 for a figure; the population's first,
/// then the five measures'), a bit per measure whose rate DfE published, and the index of the
/// row's note in `CSC_NOTES` (0 for none). Rates are not stored: every one is the count over
/// the children rounded as DfE rounds, which `build.rs` checks for every cell of the file.
struct CscPacked {
    children: u32,
    counts: [u32; 5],
    gaps: [u8; 6],
    published: u8,
    note: u8,
}

include!(concat!(env!("OUT_DIR"), "/csc_rates_data.rs"));

/// The gap with code `code` (see `build.rs`).
fn gap(code: u8) -> Gap {
    match code {
        1 => Gap::Confidential,
        2 => Gap::NotAvailable,
        3 => Gap::LowReliability,
        4 => Gap::NotApplicable,
        5 => Gap::NotPublished,
        _ => Gap::DidNotExist,
    }
}

/// `count / children x 10,000` as DfE publishes it: rounded half up to `decimals` (1, or 0 for
/// children looked after), computed exactly in integers, then as the `f64` nearest that decimal
/// (the division by a power of ten is correctly rounded, so it is the number the text reads as).
fn published_rate(count: u32, children: u32, decimals: usize) -> f64 {
    let unit = 10u64.pow(decimals as u32);
    let scaled = count as u64 * 10_000 * unit;
    let units = (2 * scaled + children as u64) / (2 * children as u64);
    units as f64 / unit as f64
}

impl CscPacked {
    fn unpack(&self, year: u16) -> CscRow {
        let figure = |k: usize| match self.gaps[k + 1] {
            0 => Ok(Figure {
                count: self.counts[k],
                rate: published_rate(self.counts[k], self.children, Measure::ALL[k].rate_decimals()),
                rate_published: self.published & (1 << k) != 0,
            }),
            code => Err(gap(code)),
        };
        CscRow {
            year,
            children: if self.gaps[0] == 0 { Ok(self.children) } else { Err(gap(self.gaps[0])) },
            figures: [figure(0), figure(1), figure(2), figure(3), figure(4)],
            note: (self.note > 0).then(|| CSC_NOTES[self.note as usize - 1]),
        }
    }
}

impl CscRow {
    /// The figure for `measure`, or why there is none.
    pub fn figure(&self, measure: Measure) -> Result<Figure, Gap> {
        self.figures[measure.index()]
    }

    /// The exact rate `count / children x 10,000` (unrounded), where both are known.
    pub fn exact_rate(&self, measure: Measure) -> Option<f64> {
        let figure = self.figure(measure).ok()?;
        let children = self.children.ok()?;
        Some(figure.count as f64 / children as f64 * 10_000.0)
    }
}

/// The years of the table.
pub fn years() -> std::ops::RangeInclusive<u16> {
    FIRST_YEAR..=LAST_YEAR
}

/// Whether `year` is in the table.
pub fn has_year(year: u16) -> bool {
    years().contains(&year)
}

/// The row of LA number `la` (its position in [`places`]) in `year`, if the year is in the table.
pub fn row(la: usize, year: u16) -> Option<CscRow> {
    let n = places().len();
    if la >= n || !has_year(year) {
        return None;
    }
    CSC_ROWS.get((year - FIRST_YEAR) as usize * n + la).map(|p| p.unpack(year))
}

/// The position in [`places`] of the LA with code `code`.
pub fn la_index(code: &str) -> Option<usize> {
    places().iter().position(|p| p.la.la_code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_la_has_every_year() {
        assert_eq!(CSC_ROWS.len(), places().len() * 13);
        for la in 0..places().len() {
            for year in years() {
                assert_eq!(row(la, year).unwrap().year, year);
            }
        }
        assert!(row(0, 2012).is_none());
        assert!(row(151, 2020).is_none());
    }

    #[test]
    fn rows_read_as_the_file_writes_them() {
        // E06000001,Hartlepool,2013,20312,1278,629.2,1112,547.5,146,71.9,136,67.0,192,95,...
        let hartlepool = row(la_index("E06000001").unwrap(), 2013).unwrap();
        assert_eq!(hartlepool.children, Ok(20312));
        assert_eq!(
            hartlepool.figure(Measure::Referrals),
            Ok(Figure { count: 1278, rate: 629.2, rate_published: true })
        );
        assert_eq!(
            hartlepool.figure(Measure::ClaAt31),
            Ok(Figure { count: 192, rate: 95.0, rate_published: false })
        );
        // BCP did not exist before 2020; Scilly's CLA had no row in 2013; Hackney 2021 'x'.
        let bcp = row(la_index("E06000058").unwrap(), 2019).unwrap();
        assert_eq!(bcp.children, Err(Gap::DidNotExist));
        assert_eq!(bcp.figure(Measure::ClaAt31), Err(Gap::DidNotExist));
        assert!(row(la_index("E06000058").unwrap(), 2020).unwrap().children.is_ok());
        let scilly = row(la_index("E06000053").unwrap(), 2013).unwrap();
        assert_eq!(scilly.figure(Measure::ClaAt31), Err(Gap::NotPublished));
        assert_eq!(scilly.figure(Measure::CppStarts), Err(Gap::Confidential));
        let hackney = row(la_index("E09000012").unwrap(), 2021).unwrap();
        assert_eq!(hackney.figure(Measure::CinAt31), Err(Gap::NotAvailable));
        assert!(hackney.figure(Measure::ClaAt31).is_ok());
        let hampshire = row(la_index("E10000014").unwrap(), 2024).unwrap();
        assert_eq!(hampshire.figure(Measure::Referrals), Err(Gap::LowReliability));
    }

    #[test]
    fn measures_round_trip_their_names() {
        for m in Measure::ALL {
            assert_eq!(Measure::parse(m.name()), Some(m));
        }
        assert_eq!(Measure::parse("cla"), None);
    }
}
