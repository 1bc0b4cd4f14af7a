//! Synthetic data sets simulated from the published models, so that a class can load one,
//! fit it and watch the fit recover the parameters that generated it.
//!
//! A [`SampleSpec`] describes the geography (LAs, neighbourhoods per LA, MSOAs of a few
//! neighbourhoods), the covariates (neighbourhood deprivation around an LA mean, LA Gini,
//! child populations), the model (the guided choices of [`crate::workflow::guided`], the
//! coefficients, random-effect standard deviations and the family) and a seed. [`simulate`]
//! draws the covariates, writes the model's formula with the same code the page uses, builds
//! its design with the formula layer and draws
//!
//! `count_i ~ Family(mu_i)`, `log mu_i = log(pop_i / 10000) + x_i' beta + z_i' b`,
//!
//! with `b` the LA (intercept, slope) pairs, normal with the given SDs and correlation, and the
//! MSOA intercepts, normal with their SD. Every parameter carries its source: a published table
//! cell, or "chosen for the sample" where the studies do not publish one.
//!
//! [`presets`] holds the data sets the page offers and the national-size one; [`england`]
//! draws counts from the same models on England's real neighbourhoods (real places,
//! synthetic counts). [`la_panel`] is not simulated: the Department for Education's real counts
//! for every LA and year 2013-2025.

pub mod england;
pub mod field;
pub mod la_panel;
pub mod presets;

mod simulate;

pub use simulate::{simulate, to_csv, Parameter, Sample, SampleError};

use crate::fit::Family;
use crate::workflow::guided::ModelChoices;

/// A model parameter on the scale the fit reports (log rate ratios, log rate per 10,000,
/// standard deviations), with where its value comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub value: f64,
    pub source: String,
}

impl Value {
    /// A value taken from a published table.
    pub fn published(value: f64, source: &str) -> Value {
        Value { value, source: source.to_owned() }
    }

    /// A value the studies do not publish, chosen for the sample; `why` says on what basis.
    pub fn chosen(value: f64, why: &str) -> Value {
        Value { value, source: format!("chosen for the sample: {why}") }
    }
}

/// Neighbourhood deprivation: each LA's mean drawn from a normal distribution (clipped to
/// `la_range`), each neighbourhood normal around its LA's mean (clipped to `range`), rounded
/// to `decimals`.
#[derive(Debug, Clone, PartialEq)]
pub struct DeprivationSpec {
    pub column: String,
    pub la_mean: f64,
    pub la_sd: f64,
    pub la_range: (f64, f64),
    pub within_sd: f64,
    pub range: (f64, f64),
    pub decimals: i32,
}

/// LA Gini coefficient: normal across LAs, clipped to `range`, rounded to 3 decimals.
#[derive(Debug, Clone, PartialEq)]
pub struct GiniSpec {
    pub column: String,
    pub mean: f64,
    pub sd: f64,
    pub range: (f64, f64),
}

/// Fixed effects, on the scale of the guided formula's coefficients (see
/// [`crate::workflow::guided`]). Those the model's choices leave out must be `None`.
#[derive(Debug, Clone, PartialEq)]
pub struct Effects {
    /// Log rate per 10,000 children at the centre of every covariate.
    pub intercept: Value,
    /// Log social gradient score.
    pub gradient: Value,
    pub la_deprivation: Option<Value>,
    pub gradient_by_la_deprivation: Option<Value>,
    pub gini: Option<Value>,
    pub gradient_by_gini: Option<Value>,
}

/// Random-effect standard deviations (and the LA intercept-slope correlation).
#[derive(Debug, Clone, PartialEq)]
pub struct RandomSds {
    pub la_intercept: Option<Value>,
    pub la_slope: Option<Value>,
    pub la_correlation: Option<Value>,
    pub msoa_intercept: Option<Value>,
}

/// Everything that defines a synthetic data set.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleSpec {
    /// Short identifier (`hood2021-referrals`), also the file name.
    pub id: String,
    pub title: String,
    /// What the data set is and what it shows, in plain words.
    pub description: String,
    pub seed: u64,
    pub las: usize,
    /// Neighbourhoods in each LA: uniform between the two (inclusive).
    pub neighbourhoods_per_la: (usize, usize),
    /// Neighbourhoods per MSOA when the file has an MSOA column (the last MSOA of an LA may
    /// be smaller).
    pub neighbourhoods_per_msoa: Option<usize>,
    /// Child population of a neighbourhood: uniform between the two (inclusive).
    pub children: (usize, usize),
    pub deprivation: DeprivationSpec,
    /// The LA-level deprivation column written in the file (the population-weighted mean of
    /// neighbourhood deprivation, rounded to 2 decimals); `None` leaves it for the page to
    /// derive.
    pub la_deprivation_column: Option<String>,
    pub gini: Option<GiniSpec>,
    /// Name of the count column.
    pub outcome: String,
    /// The model that generates the counts (its formula is written as the page writes it).
    pub choices: ModelChoices,
    pub effects: Effects,
    pub random: RandomSds,
    /// theta of nbinom2 (`var = mu + mu^2/theta`) or phi of nbinom1 (`var = mu (1 + phi)`).
    pub dispersion: Option<Value>,
}

impl SampleSpec {
    /// The family the counts are drawn from.
    pub fn family(&self) -> Family {
        self.choices.family
    }
}
