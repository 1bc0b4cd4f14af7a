//! Real places: the 151 English upper-tier local authorities (children's services authorities,
//! April 2019 codes) with the deprivation measures the two studies use, and the spread of
//! neighbourhood deprivation inside each.
//!
//! The data are public (Open Government Licence v3.0) and committed under `data/` with
//! `data/SOURCES.md`, which gives every column's source, method and checks:
//! - `data/england_upper_tier_las.csv`: one row per LA ([`LocalAuthority`]);
//! - `data/la_neighbourhoods.csv`: per-LA percentiles of neighbourhood (LSOA) deprivation,
//!   generated from `data/england_lsoa11.csv` by [`spread::summarise_lsoas`] (`cargo run --example
//!   make_la_neighbourhoods`; a test checks that the committed file is current).
//!
//! Both files become typed data at build time (`build.rs` writes `LA_ROWS`); the places are made
//! from them once, on first use.

pub mod aliases;
mod lookup;
pub mod spread;

use std::sync::OnceLock;

use serde::Serialize;

pub use lookup::{find_la, normalise_name, resolve_la, search_las, Found, MatchKind, PlaceError, SearchHit};
pub use spread::NeighbourhoodSpread;

/// Where the LA data come from, for every place that shows them.
pub const SOURCE: &str = "MHCLG English Indices of Deprivation 2015 and 2019; ONS population \
                          estimates, lookups and Rural-Urban Classification 2011 (data/SOURCES.md)";

/// The attribution the Open Government Licence v3.0 asks for (data/SOURCES.md, "Licence").
pub const ATTRIBUTION: &str = "Contains public sector information licensed under the Open Government \
     Licence v3.0. Source: MHCLG English Indices of Deprivation 2015 and 2019; Office for National \
     Statistics (population estimates, lookups, Rural-Urban Classification 2011). Adapted by aggregation.";

/// One row of the LA table with its spread, as `build.rs` writes them.
struct LaRow {
    la_code: &'static str,
    la_name: &'static str,
    la_type: &'static str,
    imd2015_avg_score: f64,
    imd2019_avg_score: f64,
    income2019_avg_score: f64,
    idaci2019_avg_score: f64,
    rural_share_pop: f64,
    n_lsoa: u32,
    children_0_17_mid2019: u32,
    small_la: bool,
    flag: &'static str,
    spread: SpreadRow,
}

/// One row of `data/la_neighbourhoods.csv` (its code is the LA's).
struct SpreadRow {
    n_lsoa: u32,
    income_p10: f64,
    income_p90: f64,
    imd2015_p10: f64,
    imd2015_p90: f64,
}

include!(concat!(env!("OUT_DIR"), "/places_data.rs"));

/// One upper-tier local authority, as in `data/england_upper_tier_las.csv`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LocalAuthority {
    /// April 2019 code (E06 unitary, E08 metropolitan district, E09 London borough, E10 county).
    pub la_code: String,
    pub la_name: String,
    pub la_type: String,
    /// IMD 2015 average score, population-weighted mean of LSOA scores re-aggregated to 2019
    /// boundaries (data/SOURCES.md, method [A]); the measure of Webb et al. 2020.
    pub imd2015_avg_score: f64,
    /// IMD 2019 average score (IoD2019 File 11).
    pub imd2019_avg_score: f64,
    /// IoD2019 income domain average score: the proportion of people income-deprived (File 11).
    pub income2019_avg_score: f64,
    /// IoD2019 IDACI average score: the proportion of children 0-15 in income-deprived families.
    pub idaci2019_avg_score: f64,
    /// Share of the LA's population living in rural LSOAs (RUC2011 D1, D2, E1, E2).
    pub rural_share_pop: f64,
    /// Number of 2011 LSOAs (neighbourhoods).
    pub n_lsoa: u32,
    /// Children aged 0-17, ONS mid-2019 estimate.
    pub children_0_17_mid2019: u32,
    /// True for the Isles of Scilly and the City of London.
    pub small_la: bool,
    /// Caveat in words (tiny LA, boundary or code change), or empty.
    pub flag: String,
}

/// A local authority with its neighbourhood spread.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Place {
    #[serde(flatten)]
    pub la: LocalAuthority,
    pub spread: NeighbourhoodSpread,
}

/// The 151 LAs in the order of the table (by code), each with its neighbourhood spread.
pub fn places() -> &'static [Place] {
    static PLACES: OnceLock<Vec<Place>> = OnceLock::new();
    PLACES.get_or_init(|| {
        LA_ROWS
            .iter()
            .map(|r| Place {
                la: LocalAuthority {
                    la_code: r.la_code.to_owned(),
                    la_name: r.la_name.to_owned(),
                    la_type: r.la_type.to_owned(),
                    imd2015_avg_score: r.imd2015_avg_score,
                    imd2019_avg_score: r.imd2019_avg_score,
                    income2019_avg_score: r.income2019_avg_score,
                    idaci2019_avg_score: r.idaci2019_avg_score,
                    rural_share_pop: r.rural_share_pop,
                    n_lsoa: r.n_lsoa,
                    children_0_17_mid2019: r.children_0_17_mid2019,
                    small_la: r.small_la,
                    flag: r.flag.to_owned(),
                },
                spread: NeighbourhoodSpread {
                    la_code: r.la_code.to_owned(),
                    n_lsoa: r.spread.n_lsoa,
                    income_p10: r.spread.income_p10,
                    income_p90: r.spread.income_p90,
                    imd2015_p10: r.spread.imd2015_p10,
                    imd2015_p90: r.spread.imd2015_p90,
                },
            })
            .collect()
    })
}

/// Sorts a short slice (the 151 LAs or fewer) by `less`, by insertion. The calculator's
/// WebAssembly is the page's first download, and each of the standard library's sorts costs a few
/// kilobytes there for every kind of item sorted; this costs a few hundred bytes.
pub(crate) fn sort_small<T>(items: &mut [T], less: impl Fn(&T, &T) -> bool) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && less(&items[j], &items[j - 1]) {
            items.swap(j, j - 1);
            j -= 1;
        }
    }
}

/// The unweighted mean of the 151 LAs' IoD2019 income average scores (a proportion): the
/// average against which Hood et al. 2021 contexts are measured here. The report grand-mean
/// centres its LA measures; it does not print the average, so it is computed from the table.
pub fn income_average() -> f64 {
    static MEAN: OnceLock<f64> = OnceLock::new();
    *MEAN.get_or_init(|| {
        let ps = places();
        ps.iter().map(|p| p.la.income2019_avg_score).sum::<f64>() / ps.len() as f64
    })
}

impl LocalAuthority {
    /// The name as people say it in a sentence: "Bristol" for "Bristol, City of",
    /// "Herefordshire" for "Herefordshire, County of".
    pub fn display_name(&self) -> &str {
        for suffix in [", City of", ", County of"] {
            if let Some(name) = self.la_name.strip_suffix(suffix) {
                return name;
            }
        }
        &self.la_name
    }

    /// Hood et al. 2021 context: the LA's income deprivation in percentage points above (+) or
    /// below (-) the average of the 151 LAs, `100 (income - mean income)`.
    pub fn la_dep(&self) -> f64 {
        100.0 * (self.income2019_avg_score - income_average())
    }

    /// Webb et al. 2020 context: the LA's IMD 2015 average score, the study's measure.
    pub fn la_imd(&self) -> f64 {
        self.imd2015_avg_score
    }
}

/// One LA as lists show it: names, the context values the calculator uses, and a search key.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaListing {
    pub la_code: String,
    pub la_name: String,
    /// The name as said in a sentence ([`LocalAuthority::display_name`]).
    pub display_name: String,
    pub la_type: String,
    /// Webb et al. 2020 context: IMD 2015 average score.
    pub la_imd: f64,
    /// Hood et al. 2021 context: income deprivation relative to the average of the 151 LAs, in
    /// percentage points.
    pub la_dep: f64,
    pub income2019_avg_score: f64,
    pub imd2019_avg_score: f64,
    pub rural_share_pop: f64,
    pub n_lsoa: u32,
    pub children_0_17_mid2019: u32,
    /// The name normalised for matching what people type ([`normalise_name`]).
    pub search_key: String,
    pub flag: String,
}

/// Every LA as a [`LaListing`], by code.
pub fn listings() -> Vec<LaListing> {
    places()
        .iter()
        .map(|p| LaListing {
            la_code: p.la.la_code.clone(),
            la_name: p.la.la_name.clone(),
            display_name: p.la.display_name().to_string(),
            la_type: p.la.la_type.clone(),
            la_imd: p.la.la_imd(),
            la_dep: p.la.la_dep(),
            income2019_avg_score: p.la.income2019_avg_score,
            imd2019_avg_score: p.la.imd2019_avg_score,
            rural_share_pop: p.la.rural_share_pop,
            n_lsoa: p.la.n_lsoa,
            children_0_17_mid2019: p.la.children_0_17_mid2019,
            search_key: normalise_name(&p.la.la_name),
            flag: p.la.flag.clone(),
        })
        .collect()
}
