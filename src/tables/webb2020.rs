//! Webb et al. (2020): multilevel negative binomial models of child welfare intervention rates
//! per 10,000 children in English neighbourhoods (LSOAs), with MSOA and local-authority (LA)
//! random effects and a spatial covariance term (seed `000_616bec359d8bddcb.txt`).
//!
//! All explanatory variables are standardised: LSOA-level variables around their LA mean and SD,
//! LA-level variables around the grand mean and SD of Table 1. A coefficient `B` is therefore the
//! change in the log rate per 1 SD of its variable, and `Exp(B)` the rate ratio.
//!
//! The paper prints two tables numbered "Table 2"; here they are named by content:
//! [`TABLE2_DEPRIVATION_BY_IMD`] and [`TABLE2_MODEL_FIT`].
//!
//! Numbers are transcribed as printed, including the paper's own inconsistencies: Models 1 and 2
//! of Tables A2 and A3 print identical values, and Table A3 prints s² = 6.702e-03 beside
//! s = 0.0082 for the LA – Asian Indian % slope.

use serde::Serialize;

use super::Significance::{Unmarked, P001, P05, P10};
use super::{Bounded, Significance, Variance};

/// Document cited by every table in this module.
pub const DOCUMENT: &str = "Webb et al. 2020";
/// Seed file holding the text of the document.
pub const SEED: &str = "000_616bec359d8bddcb.txt";

/// The three intervention rates modelled by the paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Children in need.
    Cin,
    /// Children on child protection plans.
    Cpp,
    /// Children looked after.
    Cla,
}

impl Outcome {
    /// All outcomes in the paper's column order.
    pub const ALL: [Outcome; 3] = [Outcome::Cin, Outcome::Cpp, Outcome::Cla];

    /// Lower-case key (`cin`, `cpp`, `cla`).
    pub fn key(self) -> &'static str {
        match self {
            Outcome::Cin => "cin",
            Outcome::Cpp => "cpp",
            Outcome::Cla => "cla",
        }
    }

    /// Label for display.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Cin => "Children in need (CIN)",
            Outcome::Cpp => "Child protection plans (CPP)",
            Outcome::Cla => "Children looked after (CLA)",
        }
    }

    /// What the rate counts, for sentences ("the rate of ...").
    pub fn rate_of(self) -> &'static str {
        match self {
            Outcome::Cin => "children in need",
            Outcome::Cpp => "children on child protection plans",
            Outcome::Cla => "children looked after",
        }
    }
}

impl std::str::FromStr for Outcome {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "cin" => Ok(Outcome::Cin),
            "cpp" => Ok(Outcome::Cpp),
            "cla" => Ok(Outcome::Cla),
            other => Err(format!("unknown outcome '{other}': expected cin, cpp or cla")),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Table 1
// ---------------------------------------------------------------------------------------------

/// One row of Table 1: summary statistics of a model variable.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SummaryRow {
    /// Variable as printed.
    pub variable: &'static str,
    pub mean: f64,
    pub sd: f64,
    pub min: f64,
    pub max: f64,
}

/// LA IMD 2015 average score: Webb et al. 2020, Table 1 (seed 000_616bec359d8bddcb).
#[rustfmt::skip]
pub const LA_IMD_SUMMARY: SummaryRow =
    SummaryRow { variable: "LA IMD Score", mean: 22.0, sd: 8.14, min: 8.86, max: 41.20 };

/// LA Gini coefficient: Webb et al. 2020, Table 1 (seed 000_616bec359d8bddcb).
#[rustfmt::skip]
pub const LA_GINI_SUMMARY: SummaryRow =
    SummaryRow { variable: "LA Gini coefficient", mean: 0.386, sd: 0.014, min: 0.358, max: 0.415 };

/// Summary statistics and ranges for variables: Webb et al. 2020, Table 1
/// (seed 000_616bec359d8bddcb).
#[rustfmt::skip]
pub static TABLE1_SUMMARY: [SummaryRow; 14] = [
    SummaryRow { variable: "LSOA Number of Children in Need", mean: 10.60, sd: 11.20, min: 0.00, max: 89.00 },
    SummaryRow { variable: "LSOA Number of Children on Child Protection Plans", mean: 1.53, sd: 2.71, min: 0.00, max: 28.00 },
    SummaryRow { variable: "LSOA Number of Children Looked After", mean: 1.97, sd: 3.18, min: 0.00, max: 46.00 },
    SummaryRow { variable: "LSOA IMD Score", mean: 21.9, sd: 15.80, min: 1.18, max: 82.60 },
    LA_IMD_SUMMARY,
    SummaryRow { variable: "LSOA Mixed Heritage %", mean: 2.21, sd: 2.09, min: 0.00, max: 14.90 },
    SummaryRow { variable: "LSOA Asian Indian %", mean: 3.42, sd: 7.74, min: 0.00, max: 71.50 },
    SummaryRow { variable: "LSOA Asian Pakistani %", mean: 1.32, sd: 3.64, min: 0.00, max: 53.60 },
    SummaryRow { variable: "LSOA Asian Bangladeshi %", mean: 0.53, sd: 1.68, min: 0.00, max: 35.70 },
    SummaryRow { variable: "LSOA Black African/Caribbean/Other %", mean: 3.27, sd: 6.65, min: 0.00, max: 57.20 },
    SummaryRow { variable: "LA JSA 5 Year Average %", mean: 1.65, sd: 0.92, min: 0.72, max: 4.14 },
    SummaryRow { variable: "LA Infant mortality per 1,000", mean: 3.57, sd: 1.28, min: 1.20, max: 6.70 },
    SummaryRow { variable: "LA Level 4 Qualification %", mean: 27.40, sd: 7.35, min: 15.2, max: 50.30 },
    LA_GINI_SUMMARY,
];

// ---------------------------------------------------------------------------------------------
// Table 2 (first of two): what a standardised LSOA IMD score means
// ---------------------------------------------------------------------------------------------

/// Expected share of people in income and employment deprivation at a standardised LSOA IMD
/// score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DeprivationAtImdZ {
    /// Standardised LSOA IMD score (-1, 0, +1).
    pub lsoa_imd_z: f64,
    /// Column heading as printed.
    pub label: &'static str,
    /// Per cent of people in income deprivation.
    pub income_deprived_percent: f64,
    /// Per cent of people in employment deprivation.
    pub employment_deprived_percent: f64,
}

/// Expected proportion of people in income and employment deprivation for standardised changes
/// in overall IMD score: Webb et al. 2020, Table 2 (the first of the paper's two Tables 2; seed
/// 000_616bec359d8bddcb).
#[rustfmt::skip]
pub static TABLE2_DEPRIVATION_BY_IMD: [DeprivationAtImdZ; 3] = [
    DeprivationAtImdZ { lsoa_imd_z: -1.0, label: "Less Deprived", income_deprived_percent: 4.6, employment_deprived_percent: 4.6 },
    DeprivationAtImdZ { lsoa_imd_z: 0.0, label: "Avg Deprivation", income_deprived_percent: 14.5, employment_deprived_percent: 11.9 },
    DeprivationAtImdZ { lsoa_imd_z: 1.0, label: "More Deprived", income_deprived_percent: 24.5, employment_deprived_percent: 19.2 },
];

// ---------------------------------------------------------------------------------------------
// Table 2 (second of two): model fit
// ---------------------------------------------------------------------------------------------

/// Count-model families compared in the model-fit table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CountFamily {
    Poisson,
    /// Variance `mu (1 + mu phi)`.
    NegativeBinomial2,
    /// Variance `mu (1 + phi)`.
    NegativeBinomial1,
}

/// AIC and BIC of one model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct InformationCriteria {
    pub aic: f64,
    pub bic: f64,
}

/// Moran's I of model residuals and its p-value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MoransI {
    pub i: f64,
    pub p: Bounded,
}

/// One outcome's column of the model-fit table.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ModelFitColumn {
    pub outcome: Outcome,
    pub poisson: InformationCriteria,
    pub negative_binomial_2: InformationCriteria,
    pub negative_binomial_1: InformationCriteria,
    /// Distribution selected by the authors.
    pub selected_family: CountFamily,
    /// Random intercepts for MSOA only.
    pub msoa_only: InformationCriteria,
    /// Random intercepts for MSOA and LA (selected for every outcome).
    pub msoa_and_la: InformationCriteria,
    /// Moran's I of the null multilevel model's residuals.
    pub morans_i_null: MoransI,
    /// Moran's I of the residuals of the model with covariates.
    pub morans_i_covariates: MoransI,
}

const fn ic(aic: f64, bic: f64) -> InformationCriteria {
    InformationCriteria { aic, bic }
}

/// Relative model fit for determining model distribution family and multilevel random
/// intercepts: Webb et al. 2020, Table 2 (the second of the paper's two Tables 2; seed
/// 000_616bec359d8bddcb). Selection for every outcome: MSOA and LA random intercepts, with an
/// indication of spatial dependence.
#[rustfmt::skip]
pub static TABLE2_MODEL_FIT: [ModelFitColumn; 3] = [
    ModelFitColumn {
        outcome: Outcome::Cin,
        poisson: ic(30072.9, 30078.8),
        negative_binomial_2: ic(17772.9, 17784.7),
        negative_binomial_1: ic(17800.5, 17812.3),
        selected_family: CountFamily::NegativeBinomial2,
        msoa_only: ic(17175.1, 17192.8),
        msoa_and_la: ic(17099.4, 17123.0),
        morans_i_null: MoransI { i: 0.127, p: Bounded::LessThan(0.001) },
        morans_i_covariates: MoransI { i: 0.057, p: Bounded::LessThan(0.001) },
    },
    ModelFitColumn {
        outcome: Outcome::Cpp,
        poisson: ic(18000.7, 18007.0),
        negative_binomial_2: ic(12825.3, 12838.0),
        negative_binomial_1: ic(12775.2, 12787.9),
        selected_family: CountFamily::NegativeBinomial1,
        msoa_only: ic(12511.9, 12530.9),
        msoa_and_la: ic(12476.7, 12502.0),
        morans_i_null: MoransI { i: 0.037, p: Bounded::LessThan(0.001) },
        morans_i_covariates: MoransI { i: 0.015, p: Bounded::LessThan(0.001) },
    },
    ModelFitColumn {
        outcome: Outcome::Cla,
        poisson: ic(19793.9, 19800.3),
        negative_binomial_2: ic(14858.1, 14870.7),
        negative_binomial_1: ic(14837.2, 14849.9),
        selected_family: CountFamily::NegativeBinomial1,
        msoa_only: ic(14452.8, 14471.8),
        msoa_and_la: ic(14393.6, 14418.9),
        morans_i_null: MoransI { i: 0.056, p: Bounded::LessThan(0.001) },
        morans_i_covariates: MoransI { i: 0.006, p: Bounded::LessThan(0.001) },
    },
];

// ---------------------------------------------------------------------------------------------
// Model terms shared by Table 3 and Tables A1-A3
// ---------------------------------------------------------------------------------------------

/// Fixed-effect terms of the models, in the printed row order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Term {
    LsoaImd,
    MixedHeritage,
    AsianIndian,
    AsianPakistani,
    AsianBangladeshi,
    BlackAfricanCaribbeanOther,
    LaImd,
    JsaFiveYearAverage,
    InfantMortality,
    Level4Qualification,
    Gini,
    LaImdByLsoaImd,
    GiniByLsoaImd,
    Intercept,
}

impl Term {
    /// Row label as printed.
    pub fn label(self) -> &'static str {
        match self {
            Term::LsoaImd => "LSOA IMD Score",
            Term::MixedHeritage => "Mixed Heritage %",
            Term::AsianIndian => "Asian Indian %",
            Term::AsianPakistani => "Asian Pakistani %",
            Term::AsianBangladeshi => "Asian Bangladeshi %",
            Term::BlackAfricanCaribbeanOther => "Black African/ Caribbean/Other %",
            Term::LaImd => "LA IMD Score",
            Term::JsaFiveYearAverage => "JSA 5 Year Average %",
            Term::InfantMortality => "Infant mortality per 1,000",
            Term::Level4Qualification => "Level 4 Qualification %",
            Term::Gini => "Gini coefficient",
            Term::LaImdByLsoaImd => "LA IMD * LSOA IMD",
            Term::GiniByLsoaImd => "Gini * LSOA IMD",
            Term::Intercept => "Intercept",
        }
    }
}

/// The fixed effects of one model, one field per [`Term`]. `T` is [`Coefficient`] in Table 3 and
/// `Option<AppendixCoefficient>` in Tables A1-A3 (None: the term is not in that model).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FixedEffects<T> {
    pub lsoa_imd: T,
    pub mixed_heritage: T,
    pub asian_indian: T,
    pub asian_pakistani: T,
    pub asian_bangladeshi: T,
    pub black_african_caribbean_other: T,
    pub la_imd: T,
    pub jsa_five_year_average: T,
    pub infant_mortality: T,
    pub level4_qualification: T,
    pub gini: T,
    pub la_imd_by_lsoa_imd: T,
    pub gini_by_lsoa_imd: T,
    pub intercept: T,
}

impl<T> FixedEffects<T> {
    /// The rows in printed order.
    pub fn rows(&self) -> [(Term, &T); 14] {
        [
            (Term::LsoaImd, &self.lsoa_imd),
            (Term::MixedHeritage, &self.mixed_heritage),
            (Term::AsianIndian, &self.asian_indian),
            (Term::AsianPakistani, &self.asian_pakistani),
            (Term::AsianBangladeshi, &self.asian_bangladeshi),
            (Term::BlackAfricanCaribbeanOther, &self.black_african_caribbean_other),
            (Term::LaImd, &self.la_imd),
            (Term::JsaFiveYearAverage, &self.jsa_five_year_average),
            (Term::InfantMortality, &self.infant_mortality),
            (Term::Level4Qualification, &self.level4_qualification),
            (Term::Gini, &self.gini),
            (Term::LaImdByLsoaImd, &self.la_imd_by_lsoa_imd),
            (Term::GiniByLsoaImd, &self.gini_by_lsoa_imd),
            (Term::Intercept, &self.intercept),
        ]
    }
}

/// Random-effect variance components, in the printed row order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RandomTerm {
    /// MSOA random intercept.
    Msoa,
    /// LA random intercept.
    La,
    /// LA random slope of Mixed Heritage %.
    LaMixedHeritage,
    /// LA random slope of Asian Indian %.
    LaAsianIndian,
    /// LA random slope of Asian Pakistani %.
    LaAsianPakistani,
    /// LA random slope of Asian Bangladeshi %.
    LaAsianBangladeshi,
    /// LA random slope of Black African/Caribbean/Other %.
    LaBlackAfricanCaribbeanOther,
    /// LA random slope of the LSOA IMD score.
    LaLsoaImd,
}

impl RandomTerm {
    /// Row label as printed.
    pub fn label(self) -> &'static str {
        match self {
            RandomTerm::Msoa => "MSOA",
            RandomTerm::La => "LA",
            RandomTerm::LaMixedHeritage => "LA – Mixed Heritage %",
            RandomTerm::LaAsianIndian => "LA – Asian Indian %",
            RandomTerm::LaAsianPakistani => "LA – Asian Pakistani %",
            RandomTerm::LaAsianBangladeshi => "LA – Asian Bangladeshi %",
            RandomTerm::LaBlackAfricanCaribbeanOther => "LA – Black A/C/O %",
            RandomTerm::LaLsoaImd => "LA – LSOA IMD Score",
        }
    }
}

/// A variance component as printed: variance s² and standard deviation s.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct VarianceComponent {
    pub variance: Variance,
    pub sd: Variance,
}

/// The random effects of one model, one field per [`RandomTerm`]. `T` is [`VarianceComponent`]
/// in Table 3 and `Option<VarianceComponent>` in Tables A1-A3.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RandomEffects<T> {
    pub msoa: T,
    pub la: T,
    pub la_mixed_heritage: T,
    pub la_asian_indian: T,
    pub la_asian_pakistani: T,
    pub la_asian_bangladeshi: T,
    pub la_black_african_caribbean_other: T,
    pub la_lsoa_imd: T,
}

impl<T> RandomEffects<T> {
    /// The rows in printed order.
    pub fn rows(&self) -> [(RandomTerm, &T); 8] {
        [
            (RandomTerm::Msoa, &self.msoa),
            (RandomTerm::La, &self.la),
            (RandomTerm::LaMixedHeritage, &self.la_mixed_heritage),
            (RandomTerm::LaAsianIndian, &self.la_asian_indian),
            (RandomTerm::LaAsianPakistani, &self.la_asian_pakistani),
            (RandomTerm::LaAsianBangladeshi, &self.la_asian_bangladeshi),
            (RandomTerm::LaBlackAfricanCaribbeanOther, &self.la_black_african_caribbean_other),
            (RandomTerm::LaLsoaImd, &self.la_lsoa_imd),
        ]
    }
}

/// Numbers of units in a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SampleSize {
    pub lsoa: u32,
    pub msoa: u32,
    pub la: u32,
}

// ---------------------------------------------------------------------------------------------
// Table 3
// ---------------------------------------------------------------------------------------------

/// One fixed effect of Table 3.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Coefficient {
    /// Log rate ratio per 1 SD of the variable.
    pub b: f64,
    /// Rate ratio, as printed (rounded to three decimals).
    pub exp_b: f64,
    /// Standard error of `b`.
    pub se: f64,
    pub significance: Significance,
}

/// Parameters of the exponential decay of the spatial correlation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpatialDecay {
    /// Estimated decay: start `y0`, end `yf` and log rate of decay `nl()`.
    Estimated { start: f64, end: Bounded, log_rate: f64 },
    /// Printed as `†`: singular gradient, parameters not estimable.
    SingularGradient,
}

/// The spatial covariance row of Table 3.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SpatialCovariance {
    pub variance: f64,
    pub sd: f64,
    pub decay: SpatialDecay,
}

/// One outcome's final model (Model 5) as printed in Table 3.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FinalModel {
    pub outcome: Outcome,
    pub fixed: FixedEffects<Coefficient>,
    pub random: RandomEffects<VarianceComponent>,
    pub spatial: SpatialCovariance,
    pub n: SampleSize,
}

const fn c(b: f64, exp_b: f64, se: f64, significance: Significance) -> Coefficient {
    Coefficient { b, exp_b, se, significance }
}

const fn vc(variance: f64, sd: f64) -> VarianceComponent {
    VarianceComponent { variance: Variance::Value(variance), sd: Variance::Value(sd) }
}

const NEAR_ZERO: VarianceComponent =
    VarianceComponent { variance: Variance::NearZero, sd: Variance::NearZero };

/// Children in need: Webb et al. 2020, Table 3, first column block (seed 000_616bec359d8bddcb).
#[rustfmt::skip]
pub static TABLE3_CIN: FinalModel = FinalModel {
    outcome: Outcome::Cin,
    fixed: FixedEffects {
        lsoa_imd: c(0.4392, 1.551, 0.0251, P001),
        mixed_heritage: c(0.0276, 1.028, 0.0212, Unmarked),
        asian_indian: c(0.0047, 1.005, 0.0229, Unmarked),
        asian_pakistani: c(0.0162, 1.016, 0.0167, Unmarked),
        asian_bangladeshi: c(0.0117, 1.012, 0.0167, Unmarked),
        black_african_caribbean_other: c(0.0060, 1.006, 0.0200, Unmarked),
        la_imd: c(0.3453, 1.412, 0.1623, P05),
        jsa_five_year_average: c(-0.1065, 0.899, 0.1551, Unmarked),
        infant_mortality: c(0.0857, 1.089, 0.0372, P05),
        level4_qualification: c(-0.0794, 0.924, 0.0835, Unmarked),
        gini: c(-0.1024, 0.903, 0.0958, Unmarked),
        la_imd_by_lsoa_imd: c(-0.0752, 0.928, 0.0320, P05),
        gini_by_lsoa_imd: c(0.1183, 1.126, 0.0321, P001),
        intercept: c(5.4952, 243.516, 0.0495, P001),
    },
    random: RandomEffects {
        msoa: vc(0.1269, 0.3562),
        la: NEAR_ZERO,
        la_mixed_heritage: vc(0.0509, 0.2256),
        la_asian_indian: vc(0.0565, 0.2376),
        la_asian_pakistani: vc(0.0286, 0.1691),
        la_asian_bangladeshi: vc(0.0389, 0.1973),
        la_black_african_caribbean_other: vc(0.0422, 0.2055),
        la_lsoa_imd: vc(0.0741, 0.2722),
    },
    spatial: SpatialCovariance {
        variance: 0.3065,
        sd: 0.5536,
        decay: SpatialDecay::Estimated { start: 0.99, end: Bounded::Value(0.01), log_rate: -9.2 },
    },
    n: SampleSize { lsoa: 2707, msoa: 543, la: 13 },
};

/// Child protection plans: Webb et al. 2020, Table 3, second column block (seed
/// 000_616bec359d8bddcb). The Mixed Heritage % row is printed with `***` beside B = 0.0723,
/// SE = 0.0446; it is kept as printed.
#[rustfmt::skip]
pub static TABLE3_CPP: FinalModel = FinalModel {
    outcome: Outcome::Cpp,
    fixed: FixedEffects {
        lsoa_imd: c(0.5542, 1.741, 0.0247, P001),
        mixed_heritage: c(0.0723, 1.075, 0.0446, P001),
        asian_indian: c(0.0458, 1.047, 0.0394, Unmarked),
        asian_pakistani: c(-0.0198, 0.980, 0.0319, Unmarked),
        asian_bangladeshi: c(-0.0079, 0.992, 0.0285, Unmarked),
        black_african_caribbean_other: c(-0.0366, 0.964, 0.0479, Unmarked),
        la_imd: c(0.0565, 1.058, 0.1663, Unmarked),
        jsa_five_year_average: c(0.0732, 1.076, 0.1785, Unmarked),
        infant_mortality: c(-0.0012, 0.999, 0.0570, Unmarked),
        level4_qualification: c(0.0553, 1.057, 0.0913, Unmarked),
        gini: c(0.0832, 1.087, 0.1432, Unmarked),
        la_imd_by_lsoa_imd: c(-0.0584, 0.943, 0.0370, Unmarked),
        gini_by_lsoa_imd: c(0.1661, 1.181, 0.0375, P001),
        intercept: c(3.4500, 31.499, 0.2584, P001),
    },
    random: RandomEffects {
        msoa: vc(0.2355, 0.4853),
        la: NEAR_ZERO,
        la_mixed_heritage: vc(0.1336, 0.3655),
        la_asian_indian: vc(0.1102, 0.3319),
        la_asian_pakistani: vc(0.0659, 0.2568),
        la_asian_bangladeshi: vc(0.0655, 0.2560),
        la_black_african_caribbean_other: vc(0.1485, 0.3854),
        la_lsoa_imd: vc(0.0315, 0.1775),
    },
    spatial: SpatialCovariance {
        variance: 0.4348,
        sd: 0.6594,
        decay: SpatialDecay::Estimated { start: 1.0, end: Bounded::LessThan(0.01), log_rate: -12.4 },
    },
    n: SampleSize { lsoa: 4115, msoa: 837, la: 18 },
};

/// Children looked after: Webb et al. 2020, Table 3, third column block (seed
/// 000_616bec359d8bddcb).
#[rustfmt::skip]
pub static TABLE3_CLA: FinalModel = FinalModel {
    outcome: Outcome::Cla,
    fixed: FixedEffects {
        lsoa_imd: c(0.5293, 1.698, 0.0289, P001),
        mixed_heritage: c(0.1051, 1.111, 0.0245, P001),
        asian_indian: c(0.0506, 1.052, 0.0315, Unmarked),
        asian_pakistani: c(-0.0087, 0.991, 0.0201, Unmarked),
        asian_bangladeshi: c(-0.0112, 0.989, 0.0213, Unmarked),
        black_african_caribbean_other: c(0.0218, 1.022, 0.0327, Unmarked),
        la_imd: c(0.2723, 1.313, 0.0660, P001),
        jsa_five_year_average: c(-0.1146, 0.892, 0.0678, Unmarked),
        infant_mortality: c(0.0403, 1.041, 0.0209, Unmarked),
        level4_qualification: c(-0.1329, 0.876, 0.0274, P001),
        gini: c(0.0627, 1.065, 0.0391, Unmarked),
        la_imd_by_lsoa_imd: c(-0.1313, 0.877, 0.0389, P001),
        gini_by_lsoa_imd: c(0.1683, 1.183, 0.0383, P001),
        intercept: c(3.6940, 40.204, 0.0221, P001),
    },
    random: RandomEffects {
        msoa: vc(0.1526, 0.3907),
        la: NEAR_ZERO,
        la_mixed_heritage: vc(0.0005, 0.0235),
        la_asian_indian: vc(0.0912, 0.3020),
        la_asian_pakistani: vc(0.0001, 0.0104),
        la_asian_bangladeshi: vc(0.0437, 0.2090),
        la_black_african_caribbean_other: vc(0.0830, 0.2881),
        la_lsoa_imd: vc(0.0866, 0.2943),
    },
    spatial: SpatialCovariance { variance: 0.2998, sd: 0.5476, decay: SpatialDecay::SingularGradient },
    n: SampleSize { lsoa: 4115, msoa: 837, la: 18 },
};

/// Table 3's model for an outcome.
pub fn table3(outcome: Outcome) -> &'static FinalModel {
    match outcome {
        Outcome::Cin => &TABLE3_CIN,
        Outcome::Cpp => &TABLE3_CPP,
        Outcome::Cla => &TABLE3_CLA,
    }
}

// ---------------------------------------------------------------------------------------------
// Table 4
// ---------------------------------------------------------------------------------------------

/// The LA contexts of Table 4: 1 SD below (low) or above (high) the Table 1 mean of LA IMD score
/// and LA Gini coefficient; a context that names only one of them holds the other at its mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LaContext {
    LowDeprivation,
    HighDeprivation,
    LowInequality,
    HighInequality,
    HighDeprivationHighInequality,
    LowDeprivationHighInequality,
    HighDeprivationLowInequality,
    LowDeprivationLowInequality,
}

impl LaContext {
    /// All contexts in printed order (first panel, then combined contexts).
    pub const ALL: [LaContext; 8] = [
        LaContext::LowDeprivation,
        LaContext::HighDeprivation,
        LaContext::LowInequality,
        LaContext::HighInequality,
        LaContext::HighDeprivationHighInequality,
        LaContext::LowDeprivationHighInequality,
        LaContext::HighDeprivationLowInequality,
        LaContext::LowDeprivationLowInequality,
    ];

    /// Standardised (LA IMD, LA Gini) of the context.
    pub fn z(self) -> (f64, f64) {
        match self {
            LaContext::LowDeprivation => (-1.0, 0.0),
            LaContext::HighDeprivation => (1.0, 0.0),
            LaContext::LowInequality => (0.0, -1.0),
            LaContext::HighInequality => (0.0, 1.0),
            LaContext::HighDeprivationHighInequality => (1.0, 1.0),
            LaContext::LowDeprivationHighInequality => (-1.0, 1.0),
            LaContext::HighDeprivationLowInequality => (1.0, -1.0),
            LaContext::LowDeprivationLowInequality => (-1.0, -1.0),
        }
    }

    /// Context in words, as in the column headings.
    pub fn label(self) -> &'static str {
        match self {
            LaContext::LowDeprivation => "low deprivation",
            LaContext::HighDeprivation => "high deprivation",
            LaContext::LowInequality => "low income inequality",
            LaContext::HighInequality => "high income inequality",
            LaContext::HighDeprivationHighInequality => "high deprivation, high income inequality",
            LaContext::LowDeprivationHighInequality => "low deprivation, high income inequality",
            LaContext::HighDeprivationLowInequality => "high deprivation, low income inequality",
            LaContext::LowDeprivationLowInequality => "low deprivation, low income inequality",
        }
    }
}

/// One cell of Table 4: the multiplicative social gradient (rate ratio per 1 SD of LSOA IMD
/// score) in an LA context.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ContextGradient {
    pub outcome: Outcome,
    pub context: LaContext,
    pub gradient: f64,
    /// False where the cell carries the table's `*` ("not statistically significant").
    pub significant: bool,
}

const fn t4(outcome: Outcome, context: LaContext, gradient: f64, significant: bool) -> ContextGradient {
    ContextGradient { outcome, context, gradient, significant }
}

/// How the social gradient changes in different LA contexts (multiplicative social gradient):
/// Webb et al. 2020, Table 4 (seed 000_616bec359d8bddcb). These are values derived by the
/// authors from Table 3; `*` marks the two CPP cells that are not statistically significant.
#[rustfmt::skip]
pub static TABLE4_CONTEXT_GRADIENTS: [ContextGradient; 24] = {
    use LaContext::*;
    use Outcome::*;
    [
        t4(Cin, LowDeprivation, 1.672, true),
        t4(Cin, HighDeprivation, 1.438, true),
        t4(Cin, LowInequality, 1.378, true),
        t4(Cin, HighInequality, 1.746, true),
        t4(Cpp, LowDeprivation, 1.846, false),
        t4(Cpp, HighDeprivation, 1.642, false),
        t4(Cpp, LowInequality, 1.475, true),
        t4(Cpp, HighInequality, 2.056, true),
        t4(Cla, LowDeprivation, 1.936, true),
        t4(Cla, HighDeprivation, 1.489, true),
        t4(Cla, LowInequality, 1.435, true),
        t4(Cla, HighInequality, 2.009, true),
        t4(Cin, HighDeprivationHighInequality, 1.619, true),
        t4(Cin, LowDeprivationHighInequality, 1.882, true),
        t4(Cin, HighDeprivationLowInequality, 1.278, true),
        t4(Cin, LowDeprivationLowInequality, 1.486, true),
        t4(Cpp, HighDeprivationHighInequality, 1.939, true),
        t4(Cpp, LowDeprivationHighInequality, 2.179, true),
        t4(Cpp, HighDeprivationLowInequality, 1.391, true),
        t4(Cpp, LowDeprivationLowInequality, 1.563, true),
        t4(Cla, HighDeprivationHighInequality, 1.762, true),
        t4(Cla, LowDeprivationHighInequality, 2.291, true),
        t4(Cla, HighDeprivationLowInequality, 1.258, true),
        t4(Cla, LowDeprivationLowInequality, 1.636, true),
    ]
};

// ---------------------------------------------------------------------------------------------
// Tables A1-A3
// ---------------------------------------------------------------------------------------------

/// A fixed effect in an appendix model: B and its significance mark (the appendices print no SE).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AppendixCoefficient {
    pub b: f64,
    pub significance: Significance,
}

/// One model (column pair) of an appendix table; `None` where the model omits the term.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AppendixModel {
    /// Model number, 1 to 5 (Model 5 is the Table 3 model).
    pub model: u8,
    pub fixed: FixedEffects<Option<AppendixCoefficient>>,
    pub random: RandomEffects<Option<VarianceComponent>>,
    /// Spatial correlation (exponential) variance and SD; only Model 5 has one.
    pub spatial: Option<VarianceComponent>,
}

/// An appendix table: the five nested models for one outcome.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AppendixTable {
    /// "Table A1", "Table A2" or "Table A3".
    pub table: &'static str,
    pub outcome: Outcome,
    pub models: [AppendixModel; 5],
    pub n: SampleSize,
}

const fn b(b: f64, significance: Significance) -> Option<AppendixCoefficient> {
    Some(AppendixCoefficient { b, significance })
}

const fn v(variance: f64, sd: f64) -> Option<VarianceComponent> {
    Some(vc(variance, sd))
}

const NO_FIXED: FixedEffects<Option<AppendixCoefficient>> = FixedEffects {
    lsoa_imd: None,
    mixed_heritage: None,
    asian_indian: None,
    asian_pakistani: None,
    asian_bangladeshi: None,
    black_african_caribbean_other: None,
    la_imd: None,
    jsa_five_year_average: None,
    infant_mortality: None,
    level4_qualification: None,
    gini: None,
    la_imd_by_lsoa_imd: None,
    gini_by_lsoa_imd: None,
    intercept: None,
};

const NO_RANDOM: RandomEffects<Option<VarianceComponent>> = RandomEffects {
    msoa: None,
    la: None,
    la_mixed_heritage: None,
    la_asian_indian: None,
    la_asian_pakistani: None,
    la_asian_bangladeshi: None,
    la_black_african_caribbean_other: None,
    la_lsoa_imd: None,
};

/// Multilevel negative binomial models predicting Children in Need rates per 10,000 children:
/// Webb et al. 2020, Table A1 (seed 000_616bec359d8bddcb).
#[rustfmt::skip]
pub static TABLE_A1_CIN: AppendixTable = AppendixTable {
    table: "Table A1",
    outcome: Outcome::Cin,
    models: [
        AppendixModel {
            model: 1,
            fixed: FixedEffects { intercept: b(5.5576, P001), ..NO_FIXED },
            random: RandomEffects { msoa: v(0.2676, 0.5173), la: v(0.0799, 0.2828), ..NO_RANDOM },
            spatial: None,
        },
        AppendixModel {
            model: 2,
            fixed: FixedEffects { lsoa_imd: b(0.5380, P001), intercept: b(5.4930, P001), ..NO_FIXED },
            random: RandomEffects {
                msoa: v(0.0556, 0.2358),
                la: v(0.0834, 0.2888),
                la_lsoa_imd: v(0.0128, 0.1129),
                ..NO_RANDOM
            },
            spatial: None,
        },
        AppendixModel {
            model: 3,
            fixed: FixedEffects {
                lsoa_imd: b(0.5278, P001),
                mixed_heritage: b(0.0377, P05),
                asian_indian: b(-0.0025, Unmarked),
                asian_pakistani: b(0.0179, Unmarked),
                asian_bangladeshi: b(0.0016, Unmarked),
                black_african_caribbean_other: b(-0.0032, Unmarked),
                la_imd: b(0.1965, Unmarked),
                jsa_five_year_average: b(0.0192, Unmarked),
                infant_mortality: b(0.0491, Unmarked),
                level4_qualification: b(0.0167, Unmarked),
                gini: None,
                la_imd_by_lsoa_imd: b(0.0049, Unmarked),
                gini_by_lsoa_imd: None,
                intercept: b(5.4439, P001),
            },
            random: RandomEffects {
                msoa: v(0.0479, 0.2189),
                la: v(0.0259, 0.1610),
                la_mixed_heritage: v(0.0009, 0.0296),
                la_asian_indian: v(0.0019, 0.0433),
                la_asian_pakistani: v(0.0006, 0.0239),
                la_asian_bangladeshi: v(0.0005, 0.0222),
                la_black_african_caribbean_other: v(0.0007, 0.0271),
                la_lsoa_imd: v(0.0129, 0.1137),
            },
            spatial: None,
        },
        AppendixModel {
            model: 4,
            fixed: FixedEffects {
                lsoa_imd: b(0.5125, P001),
                mixed_heritage: b(0.0389, P05),
                asian_indian: b(0.0007, Unmarked),
                asian_pakistani: b(0.0193, Unmarked),
                asian_bangladeshi: b(0.0015, Unmarked),
                black_african_caribbean_other: b(-0.0091, Unmarked),
                la_imd: b(0.2280, P10),
                jsa_five_year_average: b(0.0304, Unmarked),
                infant_mortality: b(0.0394, Unmarked),
                level4_qualification: b(-0.0222, Unmarked),
                gini: b(-0.0763, Unmarked),
                la_imd_by_lsoa_imd: b(-0.0927, P001),
                gini_by_lsoa_imd: b(0.1342, P001),
                intercept: b(5.4552, P001),
            },
            random: RandomEffects {
                msoa: v(0.0479, 0.2188),
                la: v(0.0244, 0.1563),
                la_mixed_heritage: v(0.0007, 0.0268),
                la_asian_indian: v(0.0019, 0.0433),
                la_asian_pakistani: v(0.0005, 0.0231),
                la_asian_bangladeshi: v(0.0006, 0.0239),
                la_black_african_caribbean_other: v(0.0011, 0.0334),
                la_lsoa_imd: v(0.0019, 0.0432),
            },
            spatial: None,
        },
        AppendixModel {
            model: 5,
            fixed: FixedEffects {
                lsoa_imd: b(0.4392, P001),
                mixed_heritage: b(0.0276, Unmarked),
                asian_indian: b(0.0047, Unmarked),
                asian_pakistani: b(0.0162, Unmarked),
                asian_bangladeshi: b(0.0117, Unmarked),
                black_african_caribbean_other: b(0.0060, Unmarked),
                la_imd: b(0.3453, P05),
                jsa_five_year_average: b(-0.1065, Unmarked),
                infant_mortality: b(0.0857, P05),
                level4_qualification: b(-0.0794, Unmarked),
                gini: b(-0.1024, Unmarked),
                la_imd_by_lsoa_imd: b(-0.0752, P05),
                gini_by_lsoa_imd: b(0.1183, P001),
                intercept: b(5.4952, P001),
            },
            random: RandomEffects {
                msoa: v(0.1269, 0.3562),
                la: Some(NEAR_ZERO),
                la_mixed_heritage: v(0.0509, 0.2256),
                la_asian_indian: v(0.0565, 0.2376),
                la_asian_pakistani: v(0.0286, 0.1691),
                la_asian_bangladeshi: v(0.0389, 0.1973),
                la_black_african_caribbean_other: v(0.0422, 0.2055),
                la_lsoa_imd: v(0.0741, 0.2722),
            },
            spatial: v(0.3065, 0.5536),
        },
    ],
    n: SampleSize { lsoa: 2707, msoa: 543, la: 13 },
};

/// Multilevel negative binomial models predicting Child Protection Plans per 10,000 children:
/// Webb et al. 2020, Table A2 (seed 000_616bec359d8bddcb).
#[rustfmt::skip]
pub static TABLE_A2_CPP: AppendixTable = AppendixTable {
    table: "Table A2",
    outcome: Outcome::Cpp,
    models: [
        AppendixModel {
            model: 1,
            fixed: FixedEffects { intercept: b(3.8212, P001), ..NO_FIXED },
            random: RandomEffects { msoa: v(0.3159, 0.5620), la: v(0.1047, 0.3236), ..NO_RANDOM },
            spatial: None,
        },
        AppendixModel {
            model: 2,
            fixed: FixedEffects { lsoa_imd: b(0.5576, P001), intercept: b(3.4321, P001), ..NO_FIXED },
            random: RandomEffects {
                msoa: v(0.0950, 0.3082),
                la: v(0.0926, 0.3043),
                la_lsoa_imd: v(0.0250, 0.1580),
                ..NO_RANDOM
            },
            spatial: None,
        },
        AppendixModel {
            model: 3,
            fixed: FixedEffects {
                lsoa_imd: b(0.5670, P001),
                mixed_heritage: b(0.0643, Unmarked),
                asian_indian: b(0.0433, Unmarked),
                asian_pakistani: b(0.0251, Unmarked),
                asian_bangladeshi: b(0.0110, Unmarked),
                black_african_caribbean_other: b(0.0389, Unmarked),
                la_imd: b(0.1231, Unmarked),
                jsa_five_year_average: b(0.0047, Unmarked),
                infant_mortality: b(-0.0358, Unmarked),
                level4_qualification: b(-0.1090, Unmarked),
                gini: None,
                la_imd_by_lsoa_imd: b(0.0527, Unmarked),
                gini_by_lsoa_imd: None,
                intercept: b(3.4083, P001),
            },
            random: RandomEffects {
                msoa: v(0.0711, 0.2666),
                la: v(0.0502, 0.2241),
                la_mixed_heritage: v(0.0202, 0.1420),
                la_asian_indian: v(0.0086, 0.0927),
                la_asian_pakistani: v(0.0050, 0.0705),
                la_asian_bangladeshi: v(0.0033, 0.0571),
                la_black_african_caribbean_other: v(0.0234, 0.1529),
                la_lsoa_imd: v(0.0147, 0.1212),
            },
            spatial: None,
        },
        AppendixModel {
            model: 4,
            fixed: FixedEffects {
                lsoa_imd: b(0.5609, P001),
                mixed_heritage: b(0.0640, Unmarked),
                asian_indian: b(0.0439, Unmarked),
                asian_pakistani: b(-0.0221, Unmarked),
                asian_bangladeshi: b(-0.0093, Unmarked),
                black_african_caribbean_other: b(-0.0359, Unmarked),
                la_imd: b(0.0886, Unmarked),
                jsa_five_year_average: b(-0.0316, Unmarked),
                infant_mortality: b(-0.0086, Unmarked),
                level4_qualification: b(-0.0409, Unmarked),
                gini: b(0.1198, Unmarked),
                la_imd_by_lsoa_imd: b(-0.0664, P10),
                gini_by_lsoa_imd: b(0.1673, P001),
                intercept: b(3.4076, P001),
            },
            random: RandomEffects {
                msoa: v(0.0068, 0.0261),
                la: v(0.0039, 0.0197),
                la_mixed_heritage: v(0.0017, 0.0130),
                la_asian_indian: v(0.0011, 0.0106),
                la_asian_pakistani: v(0.0004, 0.0064),
                la_asian_bangladeshi: v(0.0003, 0.0056),
                la_black_african_caribbean_other: v(0.0020, 0.0141),
                la_lsoa_imd: v(1.016e-09, 3.187e-05),
            },
            spatial: None,
        },
        AppendixModel {
            model: 5,
            fixed: FixedEffects {
                lsoa_imd: b(0.5542, P001),
                mixed_heritage: b(0.0723, P001),
                asian_indian: b(0.0458, Unmarked),
                asian_pakistani: b(-0.0198, Unmarked),
                asian_bangladeshi: b(-0.0079, Unmarked),
                black_african_caribbean_other: b(-0.0366, Unmarked),
                la_imd: b(0.0565, Unmarked),
                jsa_five_year_average: b(0.0732, Unmarked),
                infant_mortality: b(-0.0012, Unmarked),
                level4_qualification: b(0.0553, Unmarked),
                gini: b(0.0832, Unmarked),
                la_imd_by_lsoa_imd: b(-0.0584, Unmarked),
                gini_by_lsoa_imd: b(0.1661, P001),
                intercept: b(3.4500, P001),
            },
            random: RandomEffects {
                msoa: v(0.2355, 0.4853),
                la: Some(NEAR_ZERO),
                la_mixed_heritage: v(0.1336, 0.3655),
                la_asian_indian: v(0.1102, 0.3319),
                la_asian_pakistani: v(0.0659, 0.2568),
                la_asian_bangladeshi: v(0.0655, 0.2560),
                la_black_african_caribbean_other: v(0.1485, 0.3854),
                la_lsoa_imd: v(0.0315, 0.1775),
            },
            spatial: v(0.4348, 0.6594),
        },
    ],
    n: SampleSize { lsoa: 4115, msoa: 837, la: 18 },
};

/// Multilevel negative binomial models predicting Children Looked After per 10,000 children:
/// Webb et al. 2020, Table A3 (seed 000_616bec359d8bddcb).
#[rustfmt::skip]
pub static TABLE_A3_CLA: AppendixTable = AppendixTable {
    table: "Table A3",
    outcome: Outcome::Cla,
    models: [
        AppendixModel {
            model: 1,
            fixed: FixedEffects { intercept: b(3.8212, P001), ..NO_FIXED },
            random: RandomEffects { msoa: v(0.3159, 0.5620), la: v(0.1047, 0.3236), ..NO_RANDOM },
            spatial: None,
        },
        AppendixModel {
            model: 2,
            fixed: FixedEffects { lsoa_imd: b(0.5576, P001), intercept: b(3.4321, P001), ..NO_FIXED },
            random: RandomEffects {
                msoa: v(0.0950, 0.3082),
                la: v(0.0926, 0.3043),
                la_lsoa_imd: v(0.0250, 0.1580),
                ..NO_RANDOM
            },
            spatial: None,
        },
        AppendixModel {
            model: 3,
            fixed: FixedEffects {
                lsoa_imd: b(0.5085, P001),
                mixed_heritage: b(0.1019, P001),
                asian_indian: b(0.0454, Unmarked),
                asian_pakistani: b(-0.0057, Unmarked),
                asian_bangladeshi: b(-0.0123, Unmarked),
                black_african_caribbean_other: b(0.0193, Unmarked),
                la_imd: b(0.2854, P001),
                jsa_five_year_average: b(-0.0966, Unmarked),
                infant_mortality: b(0.0311, Unmarked),
                level4_qualification: b(-0.1639, Unmarked),
                gini: None,
                la_imd_by_lsoa_imd: b(-0.0019, Unmarked),
                gini_by_lsoa_imd: None,
                intercept: b(3.6829, P001),
            },
            random: RandomEffects {
                msoa: v(0.0035, 0.0186),
                la: v(7.335e-10, 2.708e-05),
                la_mixed_heritage: v(7.257e-10, 2.694e-05),
                la_asian_indian: v(6.702e-03, 0.0082),
                la_asian_pakistani: v(4.240e-10, 2.059e-05),
                la_asian_bangladeshi: v(1.530e-03, 0.0039),
                la_black_african_caribbean_other: v(4.736e-03, 0.0069),
                la_lsoa_imd: v(0.0024, 0.0155),
            },
            spatial: None,
        },
        AppendixModel {
            model: 4,
            fixed: FixedEffects {
                lsoa_imd: b(0.5098, P001),
                mixed_heritage: b(0.1010, P001),
                asian_indian: b(0.0480, Unmarked),
                asian_pakistani: b(-0.0045, Unmarked),
                asian_bangladeshi: b(-0.0096, Unmarked),
                black_african_caribbean_other: b(0.0160, Unmarked),
                la_imd: b(0.2529, P001),
                jsa_five_year_average: b(-0.0968, Unmarked),
                infant_mortality: b(0.0358, P10),
                level4_qualification: b(-0.1320, Unmarked),
                gini: b(0.0601, Unmarked),
                la_imd_by_lsoa_imd: b(-0.1202, P001),
                gini_by_lsoa_imd: b(0.1629, P001),
                intercept: b(3.6842, P001),
            },
            random: RandomEffects {
                msoa: v(0.0032, 0.0180),
                la: v(1.466e-10, 1.211e-05),
                la_mixed_heritage: v(4.724e-10, 2.174e-05),
                la_asian_indian: v(7.247e-03, 0.0085),
                la_asian_pakistani: v(5.386e-10, 2.321e-05),
                la_asian_bangladeshi: v(2.082e-03, 0.0046),
                la_black_african_caribbean_other: v(4.918e-03, 0.0070),
                la_lsoa_imd: v(0.0004, 0.0062),
            },
            spatial: None,
        },
        AppendixModel {
            model: 5,
            fixed: FixedEffects {
                lsoa_imd: b(0.5293, P001),
                mixed_heritage: b(0.1051, P001),
                asian_indian: b(0.0506, Unmarked),
                asian_pakistani: b(-0.0087, Unmarked),
                asian_bangladeshi: b(-0.0112, Unmarked),
                black_african_caribbean_other: b(0.0218, Unmarked),
                la_imd: b(0.2723, P001),
                jsa_five_year_average: b(-0.1146, Unmarked),
                infant_mortality: b(0.0403, Unmarked),
                level4_qualification: b(-0.1329, P001),
                gini: b(0.0627, Unmarked),
                la_imd_by_lsoa_imd: b(-0.1313, P001),
                gini_by_lsoa_imd: b(0.1683, P001),
                intercept: b(3.6940, P001),
            },
            random: RandomEffects {
                msoa: v(0.1526, 0.3907),
                la: Some(NEAR_ZERO),
                la_mixed_heritage: v(0.0005, 0.0235),
                la_asian_indian: v(0.0912, 0.3020),
                la_asian_pakistani: v(0.0001, 0.0104),
                la_asian_bangladeshi: v(0.0437, 0.2090),
                la_black_african_caribbean_other: v(0.0830, 0.2881),
                la_lsoa_imd: v(0.0866, 0.2943),
            },
            spatial: v(0.2998, 0.5476),
        },
    ],
    n: SampleSize { lsoa: 4115, msoa: 837, la: 18 },
};

/// The appendix table for an outcome.
pub fn appendix(outcome: Outcome) -> &'static AppendixTable {
    match outcome {
        Outcome::Cin => &TABLE_A1_CIN,
        Outcome::Cpp => &TABLE_A2_CPP,
        Outcome::Cla => &TABLE_A3_CLA,
    }
}
