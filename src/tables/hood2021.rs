//! Hood et al. (2021): the social gradient in children's social care, national report. Poisson
//! multilevel models of referral and intervention rates per 10,000 children aged 5 to 15 for all
//! English local authorities (LAs), 2018/19 (seed `001_d01d26d66ffa3560.txt`).
//!
//! A *social gradient score* is an incidence rate ratio: the multiplicative change in a rate per
//! 10 percentage-point rise in the share of income-deprived families in a neighbourhood (LSOA
//! income IMD, centred on the LA mean). The "Low IMD" and "High IMD" columns are the scores in an
//! LA whose income deprivation is 10 points below or above the LA average (the text under Table 9:
//! "low deprivation context refers to a 10% decrease in income deprivation, whilst high
//! deprivation context refers to a 10% increase"); the interaction effect is the multiplicative
//! change in the score per 10 points of LA income deprivation.
//!
//! Measure names are the row labels in lower_snake_case (apostrophes dropped, other punctuation
//! replaced by `_`). The label "Other" appears in Tables 5, 6 and 8 and is disambiguated as
//! `other_ethnicity`, `other_factor` and `other_source`.

use serde::Serialize;

use super::Significance::{self, Unmarked, P001, P01};
use super::{ci, Interval};

/// Document cited by every table in this module.
pub const DOCUMENT: &str = "Hood et al. 2021";
/// Who and where the gradients describe: rates per 10,000 children aged 5 to 15 in every English
/// LA, 2018/19 (Section 2).
pub const SCOPE: &str = "Children aged 5 to 15, all English local authorities, 2018-19";
/// Seed file holding the text of the document.
pub const SEED: &str = "001_d01d26d66ffa3560.txt";

// ---------------------------------------------------------------------------------------------
// Tables 2-8: social gradient scores by threshold and subgroup
// ---------------------------------------------------------------------------------------------

/// One row of Tables 2-8.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GradientRow {
    /// Measure name (lower_snake_case of the label).
    pub measure: &'static str,
    /// Row label as printed.
    pub label: &'static str,
    /// What the rate counts, in words, for sentences ("the rate of ...").
    pub subject: &'static str,
    /// Total child population of the group (Tables 3-5 only).
    pub population: Option<u32>,
    /// Number of episodes.
    pub n: u32,
    /// The printed percentage: see [`GradientTable::percent_of`].
    pub percent: f64,
    /// Rate per 10,000 children.
    pub rate_per_10000: f64,
    /// Social gradient score (IRR) in the average LA.
    pub score: f64,
    /// Its 95% confidence interval.
    pub ci: Interval,
    /// Score in an LA 10 points less income-deprived than average.
    pub low_imd: f64,
    /// Score in an LA 10 points more income-deprived than average.
    pub high_imd: f64,
    /// Multiplicative change in the score per 10 points of LA income deprivation.
    pub interaction: f64,
    /// Significance of the interaction effect.
    pub significance: Significance,
}

/// One of Tables 2-8.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GradientTable {
    /// "Table 2" ... "Table 8".
    pub table: &'static str,
    /// Title as printed.
    pub title: &'static str,
    /// What the printed percentage is a share of.
    pub percent_of: &'static str,
    pub rows: &'static [GradientRow],
}

/// Intervention rates and social gradients at different thresholds: Hood et al. 2021, Table 2
/// (seed 001_d01d26d66ffa3560).
#[rustfmt::skip]
pub static TABLE2_THRESHOLDS: GradientTable = GradientTable {
    table: "Table 2",
    title: "Intervention rates and social gradients at different thresholds",
    percent_of: "% of episodes referred",
    rows: &[
        GradientRow {
            measure: "referral", label: "Referral", subject: "referrals",
            population: None, n: 300_830, percent: 100.0, rate_per_10000: 400.3,
            score: 1.62, ci: ci(1.62, 1.63), low_imd: 2.03, high_imd: 1.29, interaction: 0.80, significance: P001,
        },
        GradientRow {
            measure: "assessment", label: "Assessment", subject: "completed assessments",
            population: None, n: 295_591, percent: 98.3, rate_per_10000: 393.3,
            score: 1.62, ci: ci(1.61, 1.63), low_imd: 2.06, high_imd: 1.27, interaction: 0.79, significance: P001,
        },
        GradientRow {
            measure: "cin", label: "CIN", subject: "children in need starting support under a CIN plan",
            population: None, n: 186_112, percent: 61.9, rate_per_10000: 247.6,
            score: 1.64, ci: ci(1.63, 1.64), low_imd: 2.05, high_imd: 1.31, interaction: 0.80, significance: P001,
        },
        GradientRow {
            measure: "s47", label: "S47", subject: "Section 47 enquiries",
            population: None, n: 98_517, percent: 32.7, rate_per_10000: 131.1,
            score: 1.69, ci: ci(1.68, 1.70), low_imd: 2.16, high_imd: 1.32, interaction: 0.78, significance: P001,
        },
        GradientRow {
            measure: "cp_conference", label: "CP Conference", subject: "child protection conferences",
            population: None, n: 33_685, percent: 11.2, rate_per_10000: 44.8,
            score: 1.80, ci: ci(1.78, 1.82), low_imd: 2.38, high_imd: 1.36, interaction: 0.76, significance: P001,
        },
        GradientRow {
            measure: "cp_plan", label: "CP Plan", subject: "child protection plans",
            population: None, n: 31_380, percent: 10.4, rate_per_10000: 41.8,
            score: 1.80, ci: ci(1.78, 1.82), low_imd: 2.33, high_imd: 1.39, interaction: 0.77, significance: P001,
        },
    ],
};

/// Gender and the social gradient of referral: Hood et al. 2021, Table 3 (seed
/// 001_d01d26d66ffa3560).
#[rustfmt::skip]
pub static TABLE3_GENDER: GradientTable = GradientTable {
    table: "Table 3",
    title: "Gender and the social gradient of referral",
    percent_of: "column % of the total population",
    rows: &[
        GradientRow {
            measure: "males", label: "Males", subject: "referrals of male children",
            population: Some(3_851_406), n: 152_945, percent: 51.2, rate_per_10000: 397.1,
            score: 1.62, ci: ci(1.62, 1.63), low_imd: 2.03, high_imd: 1.30, interaction: 0.80, significance: P001,
        },
        GradientRow {
            measure: "females", label: "Females", subject: "referrals of female children",
            population: Some(3_664_378), n: 147_554, percent: 48.8, rate_per_10000: 402.7,
            score: 1.62, ci: ci(1.61, 1.63), low_imd: 2.03, high_imd: 1.29, interaction: 0.80, significance: P001,
        },
    ],
};

/// Age and the social gradient of referral: Hood et al. 2021, Table 4 (seed
/// 001_d01d26d66ffa3560).
#[rustfmt::skip]
pub static TABLE4_AGE: GradientTable = GradientTable {
    table: "Table 4",
    title: "Age and the social gradient of referral",
    percent_of: "column % of the total population",
    rows: &[
        GradientRow {
            measure: "age_5", label: "Age 5", subject: "referrals of children aged 5",
            population: Some(690_987), n: 22_540, percent: 9.2, rate_per_10000: 326.2,
            score: 1.67, ci: ci(1.64, 1.69), low_imd: 2.09, high_imd: 1.33, interaction: 0.80, significance: P001,
        },
        GradientRow {
            measure: "age_6", label: "Age 6", subject: "referrals of children aged 6",
            population: Some(706_617), n: 26_966, percent: 9.4, rate_per_10000: 381.6,
            score: 1.65, ci: ci(1.64, 1.67), low_imd: 2.02, high_imd: 1.36, interaction: 0.82, significance: P001,
        },
        GradientRow {
            measure: "age_7", label: "Age 7", subject: "referrals of children aged 7",
            population: Some(727_796), n: 28_431, percent: 9.7, rate_per_10000: 390.6,
            score: 1.64, ci: ci(1.62, 1.66), low_imd: 2.02, high_imd: 1.33, interaction: 0.81, significance: P001,
        },
        GradientRow {
            measure: "age_8", label: "Age 8", subject: "referrals of children aged 8",
            population: Some(712_064), n: 28_642, percent: 9.5, rate_per_10000: 402.2,
            score: 1.64, ci: ci(1.62, 1.66), low_imd: 2.07, high_imd: 1.30, interaction: 0.79, significance: P001,
        },
        GradientRow {
            measure: "age_9", label: "Age 9", subject: "referrals of children aged 9",
            population: Some(700_084), n: 28_634, percent: 9.3, rate_per_10000: 409.0,
            score: 1.62, ci: ci(1.60, 1.64), low_imd: 2.01, high_imd: 1.30, interaction: 0.80, significance: P001,
        },
        GradientRow {
            measure: "age_10", label: "Age 10", subject: "referrals of children aged 10",
            population: Some(689_618), n: 28_434, percent: 9.2, rate_per_10000: 412.3,
            score: 1.65, ci: ci(1.63, 1.66), low_imd: 2.12, high_imd: 1.28, interaction: 0.78, significance: P001,
        },
        GradientRow {
            measure: "age_11", label: "Age 11", subject: "referrals of children aged 11",
            population: Some(695_642), n: 27_776, percent: 9.3, rate_per_10000: 399.3,
            score: 1.63, ci: ci(1.61, 1.65), low_imd: 2.03, high_imd: 1.31, interaction: 0.80, significance: P001,
        },
        GradientRow {
            measure: "age_12", label: "Age 12", subject: "referrals of children aged 12",
            population: Some(673_685), n: 27_158, percent: 9.0, rate_per_10000: 403.1,
            score: 1.63, ci: ci(1.61, 1.65), low_imd: 2.07, high_imd: 1.28, interaction: 0.79, significance: P001,
        },
        GradientRow {
            measure: "age_13", label: "Age 13", subject: "referrals of children aged 13",
            population: Some(660_846), n: 27_298, percent: 8.8, rate_per_10000: 413.1,
            score: 1.61, ci: ci(1.59, 1.63), low_imd: 1.99, high_imd: 1.30, interaction: 0.81, significance: P001,
        },
        GradientRow {
            measure: "age_14", label: "Age 14", subject: "referrals of children aged 14",
            population: Some(633_942), n: 27_826, percent: 8.4, rate_per_10000: 438.9,
            score: 1.60, ci: ci(1.58, 1.61), low_imd: 2.00, high_imd: 1.27, interaction: 0.80, significance: P001,
        },
        GradientRow {
            measure: "age_15", label: "Age 15", subject: "referrals of children aged 15",
            population: Some(624_503), n: 27_125, percent: 8.3, rate_per_10000: 434.3,
            score: 1.61, ci: ci(1.59, 1.63), low_imd: 2.03, high_imd: 1.28, interaction: 0.79, significance: P001,
        },
    ],
};

/// Ethnicity and the social gradient of referral: Hood et al. 2021, Table 5 (seed
/// 001_d01d26d66ffa3560). Social gradients for ethnicity are computed on MSOAs, not LSOAs.
#[rustfmt::skip]
pub static TABLE5_ETHNICITY: GradientTable = GradientTable {
    table: "Table 5",
    title: "Ethnicity and the social gradient of referral",
    percent_of: "column % of the total population",
    rows: &[
        GradientRow {
            measure: "asian", label: "Asian", subject: "referrals of Asian children",
            population: Some(736_865), n: 23_423, percent: 9.8, rate_per_10000: 317.9,
            score: 1.29, ci: ci(1.25, 1.32), low_imd: 1.54, high_imd: 1.07, interaction: 0.83, significance: P001,
        },
        GradientRow {
            measure: "black", label: "Black", subject: "referrals of Black children",
            population: Some(390_289), n: 20_823, percent: 5.2, rate_per_10000: 533.5,
            score: 1.27, ci: ci(1.23, 1.31), low_imd: 1.60, high_imd: 1.01, interaction: 0.79, significance: P001,
        },
        GradientRow {
            measure: "mixed", label: "Mixed", subject: "referrals of children of Mixed heritage",
            population: Some(375_954), n: 21_659, percent: 5.0, rate_per_10000: 576.1,
            score: 1.63, ci: ci(1.60, 1.66), low_imd: 2.21, high_imd: 1.20, interaction: 0.74, significance: P001,
        },
        GradientRow {
            measure: "other_ethnicity", label: "Other", subject: "referrals of children of Other ethnic backgrounds",
            population: Some(133_247), n: 6_426, percent: 1.8, rate_per_10000: 482.3,
            score: 1.71, ci: ci(1.63, 1.78), low_imd: 2.31, high_imd: 1.26, interaction: 0.74, significance: P001,
        },
        GradientRow {
            measure: "white", label: "White", subject: "referrals of White children",
            population: Some(5_879_430), n: 216_225, percent: 78.2, rate_per_10000: 367.8,
            score: 1.91, ci: ci(1.90, 1.92), low_imd: 2.57, high_imd: 1.42, interaction: 0.74, significance: P001,
        },
    ],
};

/// Factors at assessment and the social gradient of assessment: Hood et al. 2021, Table 6 (seed
/// 001_d01d26d66ffa3560).
#[rustfmt::skip]
pub static TABLE6_ASSESSMENT_FACTORS: GradientTable = GradientTable {
    table: "Table 6",
    title: "Factors at assessment and the social gradient of assessment",
    percent_of: "column %",
    rows: &[
        GradientRow {
            measure: "childs_alcohol_misuse", label: "Child's alcohol misuse", subject: "assessments recording child's alcohol misuse",
            population: None, n: 5_109, percent: 2.3, rate_per_10000: 6.8,
            score: 1.63, ci: ci(1.59, 1.67), low_imd: 2.21, high_imd: 1.21, interaction: 0.74, significance: P001,
        },
        GradientRow {
            measure: "parents_alcohol_misuse", label: "Parent's alcohol misuse", subject: "assessments recording parent's alcohol misuse",
            population: None, n: 33_153, percent: 14.7, rate_per_10000: 44.1,
            score: 1.63, ci: ci(1.61, 1.64), low_imd: 2.11, high_imd: 1.26, interaction: 0.77, significance: P001,
        },
        GradientRow {
            measure: "childs_drug_misuse", label: "Child's drug misuse", subject: "assessments recording child's drug misuse",
            population: None, n: 9_046, percent: 4.0, rate_per_10000: 12.0,
            score: 1.67, ci: ci(1.64, 1.70), low_imd: 2.21, high_imd: 1.26, interaction: 0.76, significance: P001,
        },
        GradientRow {
            measure: "parents_drug_misuse", label: "Parent's drug misuse", subject: "assessments recording parent's drug misuse",
            population: None, n: 27_685, percent: 12.3, rate_per_10000: 36.8,
            score: 1.80, ci: ci(1.78, 1.82), low_imd: 2.46, high_imd: 1.33, interaction: 0.73, significance: P001,
        },
        GradientRow {
            measure: "dv_concerns_child", label: "DV concerns (child)", subject: "assessments recording domestic violence concerns about the child",
            population: None, n: 26_681, percent: 11.8, rate_per_10000: 35.5,
            score: 1.66, ci: ci(1.64, 1.68), low_imd: 2.16, high_imd: 1.27, interaction: 0.77, significance: P001,
        },
        GradientRow {
            measure: "dv_concerns_parent", label: "DV concerns (parent)", subject: "assessments recording domestic violence concerning the parent",
            population: None, n: 68_179, percent: 30.2, rate_per_10000: 90.7,
            score: 1.67, ci: ci(1.65, 1.68), low_imd: 2.17, high_imd: 1.28, interaction: 0.77, significance: P001,
        },
        GradientRow {
            measure: "childs_mental_health", label: "Child's mental health", subject: "assessments recording child's mental health",
            population: None, n: 29_671, percent: 13.1, rate_per_10000: 39.5,
            score: 1.56, ci: ci(1.54, 1.57), low_imd: 1.96, high_imd: 1.24, interaction: 0.80, significance: P001,
        },
        GradientRow {
            measure: "parents_mental_health", label: "Parent's mental health", subject: "assessments recording parent's mental health",
            population: None, n: 60_564, percent: 26.8, rate_per_10000: 80.6,
            score: 1.66, ci: ci(1.65, 1.68), low_imd: 2.11, high_imd: 1.31, interaction: 0.79, significance: P001,
        },
        GradientRow {
            measure: "childs_learning_disability", label: "Child's learning disability", subject: "assessments recording child's learning disability",
            population: None, n: 23_792, percent: 10.5, rate_per_10000: 31.7,
            score: 1.51, ci: ci(1.49, 1.53), low_imd: 1.92, high_imd: 1.19, interaction: 0.79, significance: P001,
        },
        GradientRow {
            measure: "parents_learning_disability", label: "Parent's learning disability", subject: "assessments recording parent's learning disability",
            population: None, n: 4_776, percent: 2.1, rate_per_10000: 6.4,
            score: 1.78, ci: ci(1.73, 1.82), low_imd: 2.38, high_imd: 1.33, interaction: 0.75, significance: P001,
        },
        GradientRow {
            measure: "childs_physical_disability", label: "Child's physical disability", subject: "assessments recording child's physical disability",
            population: None, n: 11_822, percent: 5.2, rate_per_10000: 15.7,
            score: 1.47, ci: ci(1.44, 1.50), low_imd: 1.76, high_imd: 1.22, interaction: 0.83, significance: P001,
        },
        GradientRow {
            measure: "parents_physical_disability", label: "Parent's physical disability", subject: "assessments recording parent's physical disability",
            population: None, n: 12_020, percent: 5.3, rate_per_10000: 16.0,
            score: 1.68, ci: ci(1.66, 1.71), low_imd: 2.21, high_imd: 1.28, interaction: 0.76, significance: P001,
        },
        GradientRow {
            measure: "young_carer", label: "Young carer", subject: "assessments recording the child as a young carer",
            population: None, n: 9_627, percent: 4.3, rate_per_10000: 12.8,
            score: 1.73, ci: ci(1.70, 1.76), low_imd: 2.06, high_imd: 1.45, interaction: 0.84, significance: P001,
        },
        GradientRow {
            measure: "going_being_missing", label: "Going/being missing", subject: "assessments recording going or being missing",
            population: None, n: 6_979, percent: 3.1, rate_per_10000: 9.3,
            score: 1.66, ci: ci(1.62, 1.69), low_imd: 2.13, high_imd: 1.29, interaction: 0.78, significance: P001,
        },
        GradientRow {
            measure: "child_sexual_exploitation", label: "Child sexual exploitation", subject: "assessments recording child sexual exploitation",
            population: None, n: 8_683, percent: 3.8, rate_per_10000: 11.6,
            score: 1.63, ci: ci(1.60, 1.66), low_imd: 2.15, high_imd: 1.23, interaction: 0.76, significance: P001,
        },
        GradientRow {
            measure: "gangs", label: "Gangs", subject: "assessments recording gang involvement",
            population: None, n: 4_240, percent: 1.9, rate_per_10000: 5.6,
            score: 1.76, ci: ci(1.70, 1.81), low_imd: 2.27, high_imd: 1.36, interaction: 0.78, significance: P001,
        },
        GradientRow {
            measure: "soc_unacceptable_behav", label: "Soc. unacceptable behav.", subject: "assessments recording socially unacceptable behaviour",
            population: None, n: 19_763, percent: 8.8, rate_per_10000: 26.3,
            score: 1.70, ci: ci(1.68, 1.73), low_imd: 2.19, high_imd: 1.33, interaction: 0.78, significance: P001,
        },
        GradientRow {
            measure: "self_harm", label: "Self-harm", subject: "assessments recording self-harm",
            population: None, n: 10_792, percent: 4.8, rate_per_10000: 14.4,
            score: 1.53, ci: ci(1.50, 1.56), low_imd: 1.79, high_imd: 1.31, interaction: 0.85, significance: P001,
        },
        GradientRow {
            measure: "neglect", label: "Neglect", subject: "assessments recording neglect",
            population: None, n: 40_485, percent: 17.9, rate_per_10000: 53.9,
            score: 1.84, ci: ci(1.82, 1.86), low_imd: 2.51, high_imd: 1.35, interaction: 0.73, significance: P001,
        },
        GradientRow {
            measure: "emotional_abuse", label: "Emotional abuse", subject: "assessments recording emotional abuse",
            population: None, n: 50_475, percent: 22.4, rate_per_10000: 67.2,
            score: 1.64, ci: ci(1.62, 1.65), low_imd: 2.10, high_imd: 1.28, interaction: 0.78, significance: P001,
        },
        GradientRow {
            measure: "physical_abuse", label: "Physical abuse", subject: "assessments recording physical abuse",
            population: None, n: 33_951, percent: 15.0, rate_per_10000: 45.2,
            score: 1.63, ci: ci(1.61, 1.64), low_imd: 2.02, high_imd: 1.31, interaction: 0.80, significance: P001,
        },
        GradientRow {
            measure: "sexual_abuse", label: "Sexual abuse", subject: "assessments recording sexual abuse",
            population: None, n: 15_120, percent: 6.7, rate_per_10000: 20.1,
            score: 1.58, ci: ci(1.56, 1.61), low_imd: 1.96, high_imd: 1.28, interaction: 0.81, significance: P001,
        },
        GradientRow {
            measure: "other_factor", label: "Other", subject: "assessments recording other factors",
            population: None, n: 42_663, percent: 18.9, rate_per_10000: 56.8,
            score: 1.60, ci: ci(1.58, 1.61), low_imd: 2.01, high_imd: 1.27, interaction: 0.79, significance: P001,
        },
    ],
};

/// CP plan categories and the social gradient of CP plans: Hood et al. 2021, Table 7 (seed
/// 001_d01d26d66ffa3560). The sexual abuse row's interaction effect (0.93) carries no mark.
#[rustfmt::skip]
pub static TABLE7_CP_PLAN_CATEGORIES: GradientTable = GradientTable {
    table: "Table 7",
    title: "CP plan categories and the social gradient of CP plans",
    percent_of: "column %",
    rows: &[
        GradientRow {
            measure: "cpp_category_emotional", label: "CPP Category: Emotional", subject: "child protection plans under the category emotional abuse",
            population: None, n: 12_798, percent: 40.8, rate_per_10000: 17.0,
            score: 1.67, ci: ci(1.64, 1.70), low_imd: 2.12, high_imd: 1.31, interaction: 0.79, significance: P001,
        },
        GradientRow {
            measure: "cpp_category_neglect", label: "CPP Category: Neglect", subject: "child protection plans under the category neglect",
            population: None, n: 13_780, percent: 43.9, rate_per_10000: 18.3,
            score: 1.98, ci: ci(1.95, 2.01), low_imd: 2.57, high_imd: 1.52, interaction: 0.77, significance: P001,
        },
        GradientRow {
            measure: "cpp_category_physical", label: "CPP Category: Physical", subject: "child protection plans under the category physical abuse",
            population: None, n: 2_287, percent: 7.3, rate_per_10000: 3.0,
            score: 1.72, ci: ci(1.66, 1.79), low_imd: 2.14, high_imd: 1.39, interaction: 0.81, significance: P001,
        },
        GradientRow {
            measure: "cpp_category_sexual", label: "CPP Category: Sexual", subject: "child protection plans under the category sexual abuse",
            population: None, n: 1_530, percent: 4.9, rate_per_10000: 2.0,
            score: 1.62, ci: ci(1.54, 1.70), low_imd: 1.74, high_imd: 1.50, interaction: 0.93, significance: Unmarked,
        },
        GradientRow {
            measure: "cpp_category_multiple", label: "CPP Category: Multiple", subject: "child protection plans under multiple categories",
            population: None, n: 985, percent: 3.1, rate_per_10000: 1.3,
            score: 1.65, ci: ci(1.56, 1.75), low_imd: 2.38, high_imd: 1.15, interaction: 0.69, significance: P001,
        },
    ],
};

/// Referral source and the social gradient of referral: Hood et al. 2021, Table 8 (seed
/// 001_d01d26d66ffa3560).
#[rustfmt::skip]
pub static TABLE8_REFERRAL_SOURCE: GradientTable = GradientTable {
    table: "Table 8",
    title: "Referral source and the social gradient of referral",
    percent_of: "column %",
    rows: &[
        GradientRow {
            measure: "individuals", label: "Individuals", subject: "referrals from individuals",
            population: None, n: 25_408, percent: 8.4, rate_per_10000: 33.8,
            score: 1.50, ci: ci(1.49, 1.52), low_imd: 1.90, high_imd: 1.19, interaction: 0.79, significance: P001,
        },
        GradientRow {
            measure: "schools_education", label: "Schools & education", subject: "referrals from schools and education services",
            population: None, n: 77_264, percent: 25.7, rate_per_10000: 102.8,
            score: 1.65, ci: ci(1.64, 1.66), low_imd: 2.07, high_imd: 1.31, interaction: 0.80, significance: P001,
        },
        GradientRow {
            measure: "health_services", label: "Health services", subject: "referrals from health services",
            population: None, n: 34_053, percent: 11.3, rate_per_10000: 45.3,
            score: 1.55, ci: ci(1.53, 1.57), low_imd: 1.88, high_imd: 1.28, interaction: 0.83, significance: P001,
        },
        GradientRow {
            measure: "la_and_housing_serv", label: "LA and housing serv.", subject: "referrals from LA and housing services",
            population: None, n: 39_697, percent: 13.2, rate_per_10000: 52.8,
            score: 1.67, ci: ci(1.66, 1.69), low_imd: 2.08, high_imd: 1.34, interaction: 0.80, significance: P001,
        },
        GradientRow {
            measure: "police", label: "Police", subject: "referrals from the police",
            population: None, n: 86_868, percent: 28.9, rate_per_10000: 115.6,
            score: 1.65, ci: ci(1.64, 1.66), low_imd: 2.10, high_imd: 1.29, interaction: 0.79, significance: P001,
        },
        GradientRow {
            measure: "other_source", label: "Other", subject: "referrals from other sources",
            population: None, n: 37_620, percent: 12.5, rate_per_10000: 50.1,
            score: 1.61, ci: ci(1.60, 1.63), low_imd: 2.01, high_imd: 1.29, interaction: 0.80, significance: P001,
        },
    ],
};

/// Tables 2-8 in order.
pub static GRADIENT_TABLES: [&GradientTable; 7] = [
    &TABLE2_THRESHOLDS,
    &TABLE3_GENDER,
    &TABLE4_AGE,
    &TABLE5_ETHNICITY,
    &TABLE6_ASSESSMENT_FACTORS,
    &TABLE7_CP_PLAN_CATEGORIES,
    &TABLE8_REFERRAL_SOURCE,
];

// ---------------------------------------------------------------------------------------------
// Tables 9, 12, 13: comparative social gradient scores
// ---------------------------------------------------------------------------------------------

/// One row of a comparative table. The reference row prints 1.00 in every score column and no
/// confidence interval or significance mark.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ComparativeRow {
    /// "No" (reference group) or "Yes".
    pub label: &'static str,
    pub n: u32,
    /// Column %.
    pub percent: f64,
    /// Ratio of the group's social gradient to the reference group's, in the average LA.
    pub score: f64,
    pub ci: Option<Interval>,
    /// Ratio in an LA 10 points less income-deprived than average.
    pub low_imd: f64,
    /// Ratio in an LA 10 points more income-deprived than average.
    pub high_imd: f64,
    /// Comparison of the interaction effect.
    pub interaction: f64,
    pub significance: Significance,
}

/// A pair of rows: a group and its reference group.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ComparativeGroup {
    /// Measure name of the comparison ("Yes") row.
    pub measure: &'static str,
    /// Group heading as printed.
    pub label: &'static str,
    /// What is compared, in words.
    pub subject: &'static str,
    /// What it is compared with, in words.
    pub reference_subject: &'static str,
    pub reference: ComparativeRow,
    pub comparison: ComparativeRow,
}

/// One of Tables 9, 12, 13.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ComparativeTable {
    pub table: &'static str,
    pub title: &'static str,
    /// Heading of the score column as printed.
    pub score_heading: &'static str,
    pub groups: &'static [ComparativeGroup],
}

const fn reference(n: u32, percent: f64) -> ComparativeRow {
    ComparativeRow {
        label: "No",
        n,
        percent,
        score: 1.00,
        ci: None,
        low_imd: 1.00,
        high_imd: 1.00,
        interaction: 1.00,
        significance: Unmarked,
    }
}

/// Comparative social gradients for re-referrals and repeat CP plans: Hood et al. 2021, Table 9
/// (seed 001_d01d26d66ffa3560).
#[rustfmt::skip]
pub static TABLE9_REPEAT_EPISODES: ComparativeTable = ComparativeTable {
    table: "Table 9",
    title: "Comparative social gradients for re-referrals and repeat CP plans",
    score_heading: "Comparison of social gradient scores",
    groups: &[
        ComparativeGroup {
            measure: "re_referral_within_12_months",
            label: "Re-referral within 12 months",
            subject: "re-referrals within 12 months",
            reference_subject: "other referrals",
            reference: reference(227_002, 75.5),
            comparison: ComparativeRow {
                label: "Yes", n: 73_828, percent: 24.5, score: 1.10, ci: Some(ci(1.09, 1.11)),
                low_imd: 1.14, high_imd: 1.06, interaction: 0.97, significance: P001,
            },
        },
        ComparativeGroup {
            measure: "prior_cpp_ever",
            label: "Prior CPP (ever)",
            subject: "CP plans for children with a prior CP plan",
            reference_subject: "other CP plans",
            reference: reference(22_473, 71.6),
            comparison: ComparativeRow {
                label: "Yes", n: 8_907, percent: 28.4, score: 1.13, ci: Some(ci(1.10, 1.16)),
                low_imd: 1.21, high_imd: 1.06, interaction: 0.94, significance: P01,
            },
        },
    ],
};

/// Comparative social gradient scores for CIN cease times: Hood et al. 2021, Table 12 (seed
/// 001_d01d26d66ffa3560). The column %s (53.7, 46.2) are as printed.
#[rustfmt::skip]
pub static TABLE12_CIN_CEASE_TIMES: ComparativeTable = ComparativeTable {
    table: "Table 12",
    title: "Comparative social gradient scores for CIN and CP cease times",
    score_heading: "Odds ratio",
    groups: &[ComparativeGroup {
        measure: "cin_ceased_within_3_months",
        label: "CIN ceased within 3 months",
        subject: "CIN episodes ceasing within 3 months",
        reference_subject: "CIN episodes with other cease times",
        reference: reference(81_493, 53.7),
        comparison: ComparativeRow {
            label: "Yes", n: 70_208, percent: 46.2, score: 0.96, ci: Some(ci(0.94, 0.98)),
            low_imd: 0.93, high_imd: 1.00, interaction: 1.04, significance: P001,
        },
    }],
};

/// Comparative social gradient scores for CP cease times: Hood et al. 2021, Table 13 (seed
/// 001_d01d26d66ffa3560). The interaction effect (1.04) carries no mark.
#[rustfmt::skip]
pub static TABLE13_CPP_CEASE_TIMES: ComparativeTable = ComparativeTable {
    table: "Table 13",
    title: "Comparative social gradient scores for CP cease times",
    score_heading: "Comparative social gradient (IRR) scores",
    groups: &[ComparativeGroup {
        measure: "cpp_ceased_within_6_months",
        label: "CPP ceased within 6 months",
        subject: "CP plans ceasing within 6 months",
        reference_subject: "CP plans with other cease times",
        reference: reference(24_990, 76.5),
        comparison: ComparativeRow {
            label: "Yes", n: 7_657, percent: 23.5, score: 0.88, ci: Some(ci(0.86, 0.91)),
            low_imd: 0.85, high_imd: 0.92, interaction: 1.04, significance: Unmarked,
        },
    }],
};

/// Tables 9, 12 and 13 in order.
pub static COMPARATIVE_TABLES: [&ComparativeTable; 3] =
    [&TABLE9_REPEAT_EPISODES, &TABLE12_CIN_CEASE_TIMES, &TABLE13_CPP_CEASE_TIMES];

// ---------------------------------------------------------------------------------------------
// Tables 10, 11, 14, 15: LA deprivation x LSOA deprivation grids
// ---------------------------------------------------------------------------------------------

/// A 3x3 grid of predicted percentages: rows are LA deprivation (low, mid, high), columns LSOA
/// deprivation (low, mid, high); low and high are 10 points below and above the average.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DeprivationGrid {
    pub table: &'static str,
    pub title: &'static str,
    /// `percent[la][lsoa]`.
    pub percent: [[f64; 3]; 3],
}

/// Percentage of re-referrals within 12 months (as a proportion of total referrals): Hood et al.
/// 2021, Table 10 (seed 001_d01d26d66ffa3560).
#[rustfmt::skip]
pub static TABLE10_RE_REFERRALS: DeprivationGrid = DeprivationGrid {
    table: "Table 10",
    title: "Percentage of re-referrals within 12 months (as a proportion of total referrals)",
    percent: [[22.8, 25.9, 29.6], [22.3, 24.5, 27.0], [21.8, 23.1, 24.6]],
};

/// Percentage repeat CP plans (as a proportion of total CP plans): Hood et al. 2021, Table 11
/// (seed 001_d01d26d66ffa3560).
#[rustfmt::skip]
pub static TABLE11_REPEAT_CP_PLANS: DeprivationGrid = DeprivationGrid {
    table: "Table 11",
    title: "Percentage repeat CP Plans (as a proportion of total CP Plans)",
    percent: [[26.6, 32.1, 38.8], [25.1, 28.4, 32.2], [23.6, 25.1, 26.7]],
};

/// Percentage of CIN episodes ceasing within 3 months: Hood et al. 2021, Table 14 (seed
/// 001_d01d26d66ffa3560).
#[rustfmt::skip]
pub static TABLE14_CIN_CEASING_3_MONTHS: DeprivationGrid = DeprivationGrid {
    table: "Table 14",
    title: "Percentage of CIN episodes ceasing within 3 months",
    percent: [[47.7, 44.2, 40.9], [47.9, 46.2, 44.6], [48.1, 48.3, 48.6]],
};

/// Percentage of CP plans ceasing within 6 months: Hood et al. 2021, Table 15 (seed
/// 001_d01d26d66ffa3560).
#[rustfmt::skip]
pub static TABLE15_CPP_CEASING_6_MONTHS: DeprivationGrid = DeprivationGrid {
    table: "Table 15",
    title: "Percentage of CP plans ceasing within 6 months",
    percent: [[26.4, 22.4, 19.0], [26.6, 23.5, 20.8], [26.7, 24.6, 22.7]],
};

/// Tables 10, 11, 14 and 15 in order.
pub static DEPRIVATION_GRIDS: [&DeprivationGrid; 4] = [
    &TABLE10_RE_REFERRALS,
    &TABLE11_REPEAT_CP_PLANS,
    &TABLE14_CIN_CEASING_3_MONTHS,
    &TABLE15_CPP_CEASING_6_MONTHS,
];

// ---------------------------------------------------------------------------------------------
// Tables 16, 17: urban/rural and population density x LA deprivation
// ---------------------------------------------------------------------------------------------

/// LSOA urban/rural classification (Table 16).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Area {
    Urban,
    Rural,
}

impl Area {
    /// Lower-case key.
    pub fn key(self) -> &'static str {
        match self {
            Area::Urban => "urban",
            Area::Rural => "rural",
        }
    }
}

impl std::str::FromStr for Area {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "urban" => Ok(Area::Urban),
            "rural" => Ok(Area::Rural),
            other => Err(format!("unknown area '{other}': expected urban or rural")),
        }
    }
}

/// LSOA population density band (Table 17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Density {
    Low,
    Mid,
    High,
}

impl Density {
    /// Lower-case key.
    pub fn key(self) -> &'static str {
        match self {
            Density::Low => "low",
            Density::Mid => "mid",
            Density::High => "high",
        }
    }
}

impl std::str::FromStr for Density {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "low" => Ok(Density::Low),
            "mid" => Ok(Density::Mid),
            "high" => Ok(Density::High),
            other => Err(format!("unknown density '{other}': expected low, mid or high")),
        }
    }
}

/// Social gradient scores at LA deprivation 10 points below the average (`low`), at the average
/// (`mid`) and 10 points above it (`high`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ByLaDeprivation {
    pub low: f64,
    pub mid: f64,
    pub high: f64,
}

const fn dep(low: f64, mid: f64, high: f64) -> ByLaDeprivation {
    ByLaDeprivation { low, mid, high }
}

/// One row of Table 16 or 17: scores for referrals, CIN and CPP in one neighbourhood context.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ContextRow<C> {
    pub context: C,
    /// Row label as printed.
    pub label: &'static str,
    pub referral: ByLaDeprivation,
    pub cin: ByLaDeprivation,
    pub cpp: ByLaDeprivation,
}

/// Rural row of Table 16: Hood et al. 2021, Table 16 (seed 001_d01d26d66ffa3560).
#[rustfmt::skip]
pub const TABLE16_RURAL: ContextRow<Area> = ContextRow {
    context: Area::Rural,
    label: "Rural",
    referral: dep(2.31, 1.88, 1.53),
    cin: dep(2.30, 1.87, 1.52),
    cpp: dep(2.78, 2.20, 1.74),
};

/// Urban row of Table 16: Hood et al. 2021, Table 16 (seed 001_d01d26d66ffa3560).
#[rustfmt::skip]
pub const TABLE16_URBAN: ContextRow<Area> = ContextRow {
    context: Area::Urban,
    label: "Urban",
    referral: dep(1.96, 1.59, 1.30),
    cin: dep(1.98, 1.61, 1.31),
    cpp: dep(2.23, 1.76, 1.40),
};

/// The effect of LA deprivation and urban/rural classification on the social gradient: Hood et
/// al. 2021, Table 16 (seed 001_d01d26d66ffa3560), rows in printed order.
#[rustfmt::skip]
pub static TABLE16_URBAN_RURAL: [ContextRow<Area>; 2] = [TABLE16_RURAL, TABLE16_URBAN];

/// Low-density row of Table 17: Hood et al. 2021, Table 17 (seed 001_d01d26d66ffa3560).
#[rustfmt::skip]
pub const TABLE17_LOW_DENSITY: ContextRow<Density> = ContextRow {
    context: Density::Low,
    label: "Low density",
    referral: dep(2.18, 1.71, 1.35),
    cin: dep(2.18, 1.72, 1.35),
    cpp: dep(2.55, 1.93, 1.47),
};

/// Mid-density row of Table 17: Hood et al. 2021, Table 17 (seed 001_d01d26d66ffa3560).
#[rustfmt::skip]
pub const TABLE17_MID_DENSITY: ContextRow<Density> = ContextRow {
    context: Density::Mid,
    label: "Mid density",
    referral: dep(2.08, 1.64, 1.29),
    cin: dep(2.09, 1.65, 1.30),
    cpp: dep(2.40, 1.82, 1.38),
};

/// High-density row of Table 17: Hood et al. 2021, Table 17 (seed 001_d01d26d66ffa3560).
#[rustfmt::skip]
pub const TABLE17_HIGH_DENSITY: ContextRow<Density> = ContextRow {
    context: Density::High,
    label: "High density",
    referral: dep(1.98, 1.56, 1.23),
    cin: dep(2.01, 1.58, 1.25),
    cpp: dep(2.27, 1.72, 1.30),
};

/// The effect of LA deprivation and population density on the social gradient: Hood et al.
/// 2021, Table 17 (seed 001_d01d26d66ffa3560), rows in printed order.
#[rustfmt::skip]
pub static TABLE17_DENSITY: [ContextRow<Density>; 3] =
    [TABLE17_LOW_DENSITY, TABLE17_MID_DENSITY, TABLE17_HIGH_DENSITY];

/// Table 16's row for an area type.
pub fn table16(area: Area) -> &'static ContextRow<Area> {
    match area {
        Area::Rural => &TABLE16_RURAL,
        Area::Urban => &TABLE16_URBAN,
    }
}

/// Table 17's row for a density band.
pub fn table17(density: Density) -> &'static ContextRow<Density> {
    match density {
        Density::Low => &TABLE17_LOW_DENSITY,
        Density::Mid => &TABLE17_MID_DENSITY,
        Density::High => &TABLE17_HIGH_DENSITY,
    }
}

// ---------------------------------------------------------------------------------------------
// Tables 18, 19: LA indicators
// ---------------------------------------------------------------------------------------------

/// A rate ratio per 1 SD of an LA indicator, with its 95% confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RateRatio {
    pub rr: f64,
    pub ci: Interval,
}

const fn rr(rr: f64, low: f64, high: f64) -> Option<RateRatio> {
    Some(RateRatio { rr, ci: ci(low, high) })
}

/// One LA indicator's row of Table 18 or 19; a blank cell is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct IndicatorRow {
    /// Indicator as printed.
    pub indicator: &'static str,
    /// RR of the indicator, unadjusted.
    pub unadjusted: Option<RateRatio>,
    /// RR of the indicator adjusted for LA IMD.
    pub adjusted_for_la_imd: Option<RateRatio>,
    /// RR of LA IMD adjusted for the indicator.
    pub la_imd_adjusted: Option<RateRatio>,
}

/// The effect of different LA contexts on referral rates (multiplicative change in referral
/// rates per 1 SD of each indicator): Hood et al. 2021, Table 18 (seed 001_d01d26d66ffa3560).
/// Labels are as printed, including "Suicide rate (persons aged 1%+)".
#[rustfmt::skip]
pub static TABLE18_LA_INDICATORS_RATES: [IndicatorRow; 23] = [
    IndicatorRow { indicator: "LA income IMD [z-score]", unadjusted: rr(1.15, 1.07, 1.23), adjusted_for_la_imd: None, la_imd_adjusted: rr(1.15, 1.07, 1.23) },
    IndicatorRow { indicator: "Total spend children's services (per LA child)", unadjusted: rr(1.12, 1.05, 1.20), adjusted_for_la_imd: rr(1.06, 0.97, 1.15), la_imd_adjusted: rr(1.10, 1.00, 1.21) },
    IndicatorRow { indicator: "Spend children's safety (per LA child)", unadjusted: rr(1.12, 1.05, 1.20), adjusted_for_la_imd: rr(1.07, 0.99, 1.15), la_imd_adjusted: rr(1.11, 1.03, 1.21) },
    IndicatorRow { indicator: "Spend children looked after (per LA child)", unadjusted: rr(1.15, 1.08, 1.23), adjusted_for_la_imd: rr(1.10, 1.02, 1.20), la_imd_adjusted: rr(1.07, 0.98, 1.17) },
    IndicatorRow { indicator: "Spend early help (per LA child)", unadjusted: rr(1.01, 0.95, 1.08), adjusted_for_la_imd: rr(0.95, 0.88, 1.01), la_imd_adjusted: rr(1.18, 1.09, 1.28) },
    IndicatorRow { indicator: "Spend children's safety (per CIN child)", unadjusted: rr(0.89, 0.83, 0.95), adjusted_for_la_imd: rr(0.91, 0.85, 0.97), la_imd_adjusted: rr(1.13, 1.05, 1.21) },
    IndicatorRow { indicator: "Spend children looked after (per CLA child)", unadjusted: rr(0.87, 0.81, 0.92), adjusted_for_la_imd: rr(0.90, 0.84, 0.96), la_imd_adjusted: rr(1.11, 1.03, 1.19) },
    IndicatorRow { indicator: "CSC workforce: CIN per social worker", unadjusted: rr(1.10, 1.03, 1.19), adjusted_for_la_imd: rr(1.09, 1.02, 1.17), la_imd_adjusted: rr(1.12, 1.04, 1.20) },
    IndicatorRow { indicator: "CSC workforce: Vacancy rate", unadjusted: rr(0.99, 0.93, 1.07), adjusted_for_la_imd: rr(0.99, 0.93, 1.06), la_imd_adjusted: rr(1.13, 1.05, 1.22) },
    IndicatorRow { indicator: "CSC workforce: Turnover rate", unadjusted: rr(1.03, 0.96, 1.10), adjusted_for_la_imd: rr(1.03, 0.96, 1.11), la_imd_adjusted: rr(1.13, 1.05, 1.22) },
    IndicatorRow { indicator: "CSC workforce: Agency worker rate", unadjusted: rr(1.03, 0.96, 1.10), adjusted_for_la_imd: rr(1.03, 0.97, 1.10), la_imd_adjusted: rr(1.13, 1.06, 1.22) },
    IndicatorRow { indicator: "CSC workforce: Caseloads", unadjusted: rr(1.09, 1.03, 1.16), adjusted_for_la_imd: rr(1.06, 1.00, 1.13), la_imd_adjusted: rr(1.11, 1.03, 1.19) },
    IndicatorRow { indicator: "Infant mortality rate", unadjusted: rr(1.15, 1.07, 1.24), adjusted_for_la_imd: rr(1.10, 1.01, 1.19), la_imd_adjusted: rr(1.10, 1.02, 1.20) },
    IndicatorRow { indicator: "% level 4 qualification", unadjusted: rr(0.81, 0.75, 0.86), adjusted_for_la_imd: rr(0.84, 0.78, 0.90), la_imd_adjusted: rr(1.08, 1.01, 1.16) },
    IndicatorRow { indicator: "Sickness absence rate", unadjusted: rr(1.08, 1.01, 1.17), adjusted_for_la_imd: rr(1.06, 0.99, 1.14), la_imd_adjusted: rr(1.14, 1.06, 1.23) },
    IndicatorRow { indicator: "DV related incidences / crimes", unadjusted: rr(1.07, 0.99, 1.15), adjusted_for_la_imd: rr(1.00, 0.92, 1.09), la_imd_adjusted: rr(1.15, 1.06, 1.25) },
    IndicatorRow { indicator: "Adults in contact with mental health services (16+)", unadjusted: rr(1.11, 1.03, 1.19), adjusted_for_la_imd: rr(1.05, 0.97, 1.14), la_imd_adjusted: rr(1.12, 1.03, 1.22) },
    IndicatorRow { indicator: "Utilisation of outdoor space for exercise / health", unadjusted: rr(1.00, 0.93, 1.07), adjusted_for_la_imd: rr(1.00, 0.93, 1.07), la_imd_adjusted: rr(1.14, 1.05, 1.22) },
    IndicatorRow { indicator: "Estimated prevalence of depression (all ages)", unadjusted: rr(1.11, 1.04, 1.20), adjusted_for_la_imd: rr(1.10, 1.03, 1.18), la_imd_adjusted: rr(1.13, 1.06, 1.22) },
    IndicatorRow { indicator: "Suicide rate (persons aged 1%+)", unadjusted: rr(1.14, 1.06, 1.23), adjusted_for_la_imd: rr(1.12, 1.04, 1.21), la_imd_adjusted: rr(1.13, 1.05, 1.22) },
    IndicatorRow { indicator: "% population aged 65+", unadjusted: rr(0.99, 0.92, 1.07), adjusted_for_la_imd: rr(1.08, 1.00, 1.18), la_imd_adjusted: rr(1.20, 1.10, 1.30) },
    IndicatorRow { indicator: "% population from ethnic minorities", unadjusted: rr(0.96, 0.90, 1.03), adjusted_for_la_imd: rr(0.90, 0.84, 0.97), la_imd_adjusted: rr(1.19, 1.10, 1.28) },
    IndicatorRow { indicator: "% Rural neighbourhoods (% rural LSOAs)", unadjusted: rr(0.94, 0.87, 1.01), adjusted_for_la_imd: rr(1.02, 0.94, 1.11), la_imd_adjusted: rr(1.16, 1.07, 1.26) },
];

/// The effect of different LA contexts on the social gradient of referral (multiplicative change
/// in the social gradient per 1 SD of each indicator): Hood et al. 2021, Table 19 (seed
/// 001_d01d26d66ffa3560).
#[rustfmt::skip]
pub static TABLE19_LA_INDICATORS_GRADIENT: [IndicatorRow; 23] = [
    IndicatorRow { indicator: "LA income IMD [z-score]", unadjusted: rr(0.89, 0.89, 0.90), adjusted_for_la_imd: None, la_imd_adjusted: rr(0.89, 0.89, 0.90) },
    IndicatorRow { indicator: "Total spend children's services (per LA child)", unadjusted: rr(0.95, 0.94, 0.95), adjusted_for_la_imd: rr(1.02, 1.02, 1.03), la_imd_adjusted: rr(0.88, 0.87, 0.88) },
    IndicatorRow { indicator: "Spend children's safety (per LA child)", unadjusted: rr(0.96, 0.95, 0.96), adjusted_for_la_imd: rr(1.02, 1.01, 1.02), la_imd_adjusted: rr(0.89, 0.88, 0.89) },
    IndicatorRow { indicator: "Spend children looked after (per LA child)", unadjusted: rr(0.95, 0.95, 0.96), adjusted_for_la_imd: rr(1.02, 1.01, 1.02), la_imd_adjusted: rr(0.88, 0.88, 0.89) },
    IndicatorRow { indicator: "Spend early help (per LA child)", unadjusted: rr(0.96, 0.96, 0.96), adjusted_for_la_imd: rr(1.01, 1.01, 1.02), la_imd_adjusted: rr(0.89, 0.88, 0.89) },
    IndicatorRow { indicator: "Spend children's safety (per CIN child)", unadjusted: rr(1.02, 1.02, 1.03), adjusted_for_la_imd: rr(1.01, 1.01, 1.01), la_imd_adjusted: rr(0.89, 0.89, 0.90) },
    IndicatorRow { indicator: "Spend children looked after (per CLA child)", unadjusted: rr(1.06, 1.06, 1.06), adjusted_for_la_imd: rr(1.01, 1.00, 1.01), la_imd_adjusted: rr(0.90, 0.89, 0.90) },
    IndicatorRow { indicator: "CSC workforce: CIN per social worker", unadjusted: rr(1.00, 0.99, 1.00), adjusted_for_la_imd: rr(1.00, 1.00, 1.01), la_imd_adjusted: rr(0.89, 0.89, 0.90) },
    IndicatorRow { indicator: "CSC workforce: Vacancy rate", unadjusted: rr(1.01, 1.01, 1.01), adjusted_for_la_imd: rr(1.01, 1.01, 1.02), la_imd_adjusted: rr(0.89, 0.89, 0.90) },
    IndicatorRow { indicator: "CSC workforce: Turnover rate", unadjusted: rr(1.01, 1.01, 1.01), adjusted_for_la_imd: rr(1.02, 1.01, 1.02), la_imd_adjusted: rr(0.89, 0.89, 0.90) },
    IndicatorRow { indicator: "CSC workforce: Agency worker rate", unadjusted: rr(1.02, 1.01, 1.02), adjusted_for_la_imd: rr(1.01, 1.01, 1.01), la_imd_adjusted: rr(0.89, 0.89, 0.90) },
    IndicatorRow { indicator: "CSC workforce: Caseloads", unadjusted: rr(0.98, 0.98, 0.98), adjusted_for_la_imd: rr(1.01, 1.00, 1.01), la_imd_adjusted: rr(0.89, 0.89, 0.89) },
    IndicatorRow { indicator: "Infant mortality rate", unadjusted: rr(0.94, 0.94, 0.94), adjusted_for_la_imd: rr(0.99, 0.99, 1.00), la_imd_adjusted: rr(0.90, 0.89, 0.90) },
    IndicatorRow { indicator: "% level 4 qualification", unadjusted: rr(1.07, 1.07, 1.08), adjusted_for_la_imd: rr(1.01, 1.00, 1.01), la_imd_adjusted: rr(0.89, 0.89, 0.90) },
    IndicatorRow { indicator: "Sickness absence rate", unadjusted: rr(0.98, 0.98, 0.98), adjusted_for_la_imd: rr(1.01, 1.00, 1.01), la_imd_adjusted: rr(0.89, 0.89, 0.90) },
    IndicatorRow { indicator: "DV related incidences / crimes", unadjusted: rr(0.95, 0.95, 0.96), adjusted_for_la_imd: rr(0.99, 0.99, 0.99), la_imd_adjusted: rr(0.90, 0.89, 0.90) },
    IndicatorRow { indicator: "Adults in contact with mental health services (16+)", unadjusted: rr(0.96, 0.96, 0.96), adjusted_for_la_imd: rr(1.00, 1.00, 1.01), la_imd_adjusted: rr(0.89, 0.89, 0.89) },
    IndicatorRow { indicator: "Utilisation of outdoor space for exercise / health", unadjusted: rr(1.02, 1.01, 1.02), adjusted_for_la_imd: rr(1.01, 1.01, 1.01), la_imd_adjusted: rr(0.89, 0.89, 0.90) },
    IndicatorRow { indicator: "Estimated prevalence of depression (all ages)", unadjusted: rr(0.99, 0.99, 1.00), adjusted_for_la_imd: rr(1.00, 1.00, 1.01), la_imd_adjusted: rr(0.89, 0.89, 0.90) },
    IndicatorRow { indicator: "Suicide rate (persons aged 1%+)", unadjusted: rr(0.98, 0.98, 0.99), adjusted_for_la_imd: rr(1.00, 0.99, 1.00), la_imd_adjusted: rr(0.89, 0.89, 0.90) },
    IndicatorRow { indicator: "% population aged 65+", unadjusted: rr(1.08, 1.08, 1.08), adjusted_for_la_imd: rr(1.02, 1.01, 1.02), la_imd_adjusted: rr(0.90, 0.90, 0.91) },
    IndicatorRow { indicator: "% population from ethnic minorities", unadjusted: rr(0.93, 0.93, 0.94), adjusted_for_la_imd: rr(0.98, 0.97, 0.98), la_imd_adjusted: rr(0.90, 0.90, 0.90) },
    IndicatorRow { indicator: "% Rural neighbourhoods (% rural LSOAs)", unadjusted: rr(1.07, 1.07, 1.08), adjusted_for_la_imd: rr(1.00, 1.00, 1.01), la_imd_adjusted: rr(0.90, 0.89, 0.90) },
];

// ---------------------------------------------------------------------------------------------
// Figures quoted in the text
// ---------------------------------------------------------------------------------------------

/// A referral rate per 10,000 children aged 5 to 15 quoted in the text for one kind of
/// neighbourhood.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct QuotedRate {
    /// The neighbourhoods, in the report's words.
    pub neighbourhoods: &'static str,
    /// Rate per 10,000 children.
    pub rate_per_10000: f64,
    /// True where the text says "more than" the rate.
    pub more_than: bool,
    /// Where the text gives it.
    pub citation: &'static str,
}

/// The predicted referral rates at the two ends of neighbourhood income deprivation (the best-fit
/// line of Figure 2): "from 100 per 10,000 children in small neighbourhoods with less than 1% of
/// families living in income deprivation, to more than 1,340 per 10,000 children in small
/// neighbourhoods with 64% of families living in income deprivation": Hood et al. 2021, section
/// 3.1 (Figure 2), repeated in section 3.9 (seed 001_d01d26d66ffa3560).
pub static REFERRAL_RATE_RANGE: [QuotedRate; 2] = [
    QuotedRate {
        neighbourhoods: "the least deprived neighbourhoods (less than 1% of families in income deprivation)",
        rate_per_10000: 100.0,
        more_than: false,
        citation: "Hood et al. 2021, section 3.1 (Figure 2)",
    },
    QuotedRate {
        neighbourhoods: "the most deprived neighbourhoods (64% of families in income deprivation)",
        rate_per_10000: 1340.0,
        more_than: true,
        citation: "Hood et al. 2021, section 3.1 (Figure 2)",
    },
];

/// Overall average referral rates in urban and rural neighbourhoods: "overall average rates of
/// referrals were higher in urban LSOAs compared with rural LSOAs (425 and 269 respectively)":
/// Hood et al. 2021, section 3.7.1 (Figure 7) (seed 001_d01d26d66ffa3560).
pub static URBAN_RURAL_REFERRAL_RATES: [QuotedRate; 2] = [
    QuotedRate {
        neighbourhoods: "urban neighbourhoods",
        rate_per_10000: 425.0,
        more_than: false,
        citation: "Hood et al. 2021, section 3.7.1 (Figure 7)",
    },
    QuotedRate {
        neighbourhoods: "rural neighbourhoods",
        rate_per_10000: 269.0,
        more_than: false,
        citation: "Hood et al. 2021, section 3.7.1 (Figure 7)",
    },
];
