//! Tables 11 to 18 of Hood et al. 2020 (seed `004_0ca8065947ac1239.txt`): the seven demand
//! classes of the latent class analysis (section 3.4) across the six LAs.
//!
//! Tables 11, 12, 14, 15, 16, 17 and 18 are percentages ([`ShareTable`]); Table 13 is the effect
//! of a rise in child-level (neighbourhood, LSOA, proxy) deprivation on the odds of being assessed
//! in each class, printed as a percentage change in each LA ([`DeprivationEffectTable`]).
//! Percentages are as printed: rows may not add to exactly 100 (Table 15's physical abuse row is
//! 81% and 20%).

use serde::Serialize;

use super::DemandClass::{self, *};
use super::La;

/// One row of a percentage table.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ShareRow {
    /// lower_snake_case of the label without its number ("neglect", "total").
    pub key: &'static str,
    /// The row as printed ("1. Neglect", "OOC/highly vulnerable", "Total").
    pub label: &'static str,
    /// The demand class of the row (`None` for "Total" and for Table 17's CP plan categories).
    pub class: Option<DemandClass>,
    /// One percentage per column.
    pub values: &'static [f64],
}

/// One of Tables 11, 12, 14, 15, 16, 17 and 18.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ShareTable {
    pub number: u8,
    pub table: &'static str,
    pub title: &'static str,
    /// Heading of the row labels as printed.
    pub row_header: &'static str,
    /// Column headings as printed (lines joined).
    pub columns: &'static [&'static str],
    /// What each percentage is a share of, in words.
    pub percent_of: &'static str,
    /// Decimals printed.
    pub decimals: usize,
    pub rows: &'static [ShareRow],
    /// How the original shows significance, when the text loses it.
    pub significance: Option<&'static str>,
}

const fn class(key: &'static str, label: &'static str, c: DemandClass, values: &'static [f64]) -> ShareRow {
    ShareRow { key, label, class: Some(c), values }
}

const fn total(values: &'static [f64]) -> ShareRow {
    ShareRow { key: "total", label: "Total", class: None, values }
}

/// Proportion of episodes in each demand class (all LAs): Hood et al. 2020, Table 11 (seed
/// 004_0ca8065947ac1239).
#[rustfmt::skip]
pub static TABLE11_CLASS_SHARES: ShareTable = ShareTable {
    number: 11,
    table: "Table 11",
    title: "Proportion of episodes in each demand class (all LAs)",
    row_header: "Classes",
    columns: &["LA0", "LA1", "LA2", "LA3", "LA4", "LA5", "Total"],
    percent_of: "episodes in the LA (column)",
    decimals: 0,
    significance: None,
    rows: &[
        class("neglect", "1. Neglect", Neglect, &[17.0, 5.0, 16.0, 4.0, 8.0, 3.0, 13.0]),
        class("domestic_violence", "2. Domestic violence", DomesticViolence, &[15.0, 15.0, 20.0, 19.0, 22.0, 27.0, 17.0]),
        class("physical_abuse", "3. Physical abuse", PhysicalAbuse, &[13.0, 9.0, 8.0, 7.0, 15.0, 8.0, 12.0]),
        class("out_of_control_highly_vulnerable", "4. Out-of-control/highly vulnerable", OutOfControl, &[20.0, 25.0, 29.0, 20.0, 18.0, 19.0, 21.0]),
        class("multiple_complex_needs_i", "5. Multiple complex needs I", ComplexNeedsI, &[26.0, 32.0, 21.0, 29.0, 25.0, 30.0, 26.0]),
        class("multiple_complex_needs_ii", "6. Multiple complex needs II", ComplexNeedsII, &[3.0, 7.0, 1.0, 8.0, 2.0, 3.0, 3.0]),
        class("disability_and_mental_health", "7. Disability and mental health", DisabilityMentalHealth, &[6.0, 8.0, 6.0, 11.0, 10.0, 11.0, 7.0]),
        total(&[100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0]),
    ],
};

/// Proportion of episodes in each tertile of deprivation in seven classes of demand (all LAs):
/// Hood et al. 2020, Table 12 (seed 004_0ca8065947ac1239).
#[rustfmt::skip]
pub static TABLE12_CLASSES_BY_TERTILE: ShareTable = ShareTable {
    number: 12,
    table: "Table 12",
    title: "Proportion of episodes in each tertile of deprivation in seven Classes of demand (all LAs)",
    row_header: "Classes",
    columns: &["1 (least deprived)", "2 (middle tertile)", "3 (most deprived)", "All children"],
    percent_of: "episodes of children in the deprivation tertile (column)",
    decimals: 0,
    significance: None,
    rows: &[
        class("neglect", "1. Neglect", Neglect, &[10.0, 11.0, 15.0, 13.0]),
        class("domestic_violence", "2. Domestic violence", DomesticViolence, &[19.0, 19.0, 16.0, 17.0]),
        class("physical_abuse", "3. Physical abuse", PhysicalAbuse, &[12.0, 12.0, 12.0, 12.0]),
        class("out_of_control_highly_vulnerable", "4. Out-of-control/highly vulnerable", OutOfControl, &[22.0, 21.0, 21.0, 21.0]),
        class("multiple_complex_needs_i", "5. Multiple complex needs I", ComplexNeedsI, &[26.0, 27.0, 26.0, 26.0]),
        class("multiple_complex_needs_ii", "6. Multiple complex needs II", ComplexNeedsII, &[3.0, 3.0, 3.0, 3.0]),
        class("disability_and_mental_health", "7. Disability and mental health", DisabilityMentalHealth, &[8.0, 8.0, 7.0, 7.0]),
        total(&[100.0, 100.0, 100.0, 100.0]),
    ],
};

/// Breakdown of episodes within each class at different thresholds (all LAs): Hood et al. 2020,
/// Table 14 (seed 004_0ca8065947ac1239).
#[rustfmt::skip]
pub static TABLE14_CLASSES_BY_THRESHOLD: ShareTable = ShareTable {
    number: 14,
    table: "Table 14",
    title: "Breakdown of episodes within each class at different thresholds (all LAs)",
    row_header: "Classes",
    columns: &["Assessed Not CIN", "CIN (no CP)", "CP Plan", "LAC", "Total"],
    percent_of: "episodes in the class (row), by the furthest threshold reached",
    decimals: 0,
    significance: Some("The highlighted figures were statistically significant in all six LAs; the text does not \
                        keep the highlighting"),
    rows: &[
        class("neglect", "1. Neglect", Neglect, &[55.0, 24.0, 15.0, 6.0, 100.0]),
        class("domestic_violence", "2. Domestic violence", DomesticViolence, &[61.0, 30.0, 9.0, 1.0, 100.0]),
        class("physical_abuse", "3. Physical abuse", PhysicalAbuse, &[65.0, 22.0, 10.0, 4.0, 100.0]),
        class("out_of_control_highly_vulnerable", "4. Out-of-control/highly vulnerable", OutOfControl, &[59.0, 32.0, 6.0, 3.0, 100.0]),
        class("multiple_complex_needs_i", "5. Multiple complex needs I", ComplexNeedsI, &[50.0, 29.0, 17.0, 5.0, 100.0]),
        class("multiple_complex_needs_ii", "6. Multiple complex needs II", ComplexNeedsII, &[18.0, 29.0, 37.0, 15.0, 100.0]),
        class("disability_and_mental_health", "7. Disability and mental health", DisabilityMentalHealth, &[44.0, 49.0, 5.0, 2.0, 100.0]),
        total(&[55.0, 30.0, 12.0, 4.0, 100.0]),
    ],
};

/// Breakdown of class membership for re-referred episodes (all LAs): Hood et al. 2020, Table 15
/// (seed 004_0ca8065947ac1239).
#[rustfmt::skip]
pub static TABLE15_RE_REFERRALS: ShareTable = ShareTable {
    number: 15,
    table: "Table 15",
    title: "Breakdown of Class membership for re-referred episodes (all LAs)",
    row_header: "Classes",
    columns: &["Episodes not re-referred (%)", "Episode re-referred within 12 mths (%)", "Total"],
    percent_of: "episodes in the class (row)",
    decimals: 0,
    significance: None,
    rows: &[
        class("neglect", "Neglect", Neglect, &[71.0, 29.0, 100.0]),
        class("domestic_violence", "Domestic violence", DomesticViolence, &[78.0, 22.0, 100.0]),
        class("physical_abuse", "Physical abuse", PhysicalAbuse, &[81.0, 20.0, 100.0]),
        class("ooc_highly_vulnerable", "OOC/highly vulnerable", OutOfControl, &[76.0, 24.0, 100.0]),
        class("complex_needs_i", "Complex needs I", ComplexNeedsI, &[72.0, 28.0, 100.0]),
        class("complex_needs_ii", "Complex needs II", ComplexNeedsII, &[67.0, 33.0, 100.0]),
        class("disability_mental_health", "Disability/mental health", DisabilityMentalHealth, &[78.0, 22.0, 100.0]),
    ],
};

/// Breakdown of class membership for sources of referral (all LAs): Hood et al. 2020, Table 16
/// (seed 004_0ca8065947ac1239).
#[rustfmt::skip]
pub static TABLE16_REFERRAL_SOURCES: ShareTable = ShareTable {
    number: 16,
    table: "Table 16",
    title: "Breakdown of Class membership for sources of referral (all LAs)",
    row_header: "Classes",
    columns: &["Individual", "Schools and Education Services", "Health Services", "LA and Housing Services", "Police", "Other", "Total"],
    percent_of: "episodes in the class (row), by source of referral",
    decimals: 0,
    significance: None,
    rows: &[
        class("neglect", "Neglect", Neglect, &[8.0, 28.0, 17.0, 15.0, 18.0, 14.0, 100.0]),
        class("domestic_violence", "Domestic violence", DomesticViolence, &[5.0, 11.0, 11.0, 9.0, 54.0, 11.0, 100.0]),
        class("physical_abuse", "Physical abuse", PhysicalAbuse, &[6.0, 56.0, 8.0, 8.0, 14.0, 9.0, 100.0]),
        class("ooc_highly_vulnerable", "OOC/highly vulnerable", OutOfControl, &[8.0, 24.0, 13.0, 14.0, 31.0, 10.0, 100.0]),
        class("complex_needs_i", "Complex needs I", ComplexNeedsI, &[8.0, 16.0, 20.0, 13.0, 30.0, 14.0, 100.0]),
        class("complex_needs_ii", "Complex needs II", ComplexNeedsII, &[8.0, 25.0, 11.0, 16.0, 28.0, 11.0, 100.0]),
        class("disability_mental_health", "Disability/mental health", DisabilityMentalHealth, &[18.0, 23.0, 22.0, 15.0, 10.0, 12.0, 100.0]),
        total(&[8.0, 24.0, 15.0, 12.0, 29.0, 12.0, 100.0]),
    ],
};

/// Match between CP plan categories and assessed needs: Hood et al. 2020, Table 17 (seed
/// 004_0ca8065947ac1239).
#[rustfmt::skip]
pub static TABLE17_CATEGORY_MATCH: ShareTable = ShareTable {
    number: 17,
    table: "Table 17",
    title: "Match between CP plan categories and assessed needs",
    row_header: "CP Plan Category",
    columns: &["Category also recorded as a factor at assessment"],
    percent_of: "CP plans of the category (row)",
    decimals: 0,
    significance: None,
    rows: &[
        ShareRow { key: "emotional_abuse", label: "Emotional abuse", class: None, values: &[47.0] },
        ShareRow { key: "neglect", label: "Neglect", class: None, values: &[76.0] },
        ShareRow { key: "physical_abuse", label: "Physical abuse", class: None, values: &[61.0] },
        ShareRow { key: "sexual_abuse", label: "Sexual abuse", class: None, values: &[71.0] },
    ],
};

/// Breakdown of class membership by CP plan category: Hood et al. 2020, Table 18 (seed
/// 004_0ca8065947ac1239). Only the episodes of each class that led to a CP plan.
#[rustfmt::skip]
pub static TABLE18_CLASSES_BY_CP_CATEGORY: ShareTable = ShareTable {
    number: 18,
    table: "Table 18",
    title: "Breakdown of Class membership by CP plan category",
    row_header: "Classes",
    columns: &["Emotional abuse", "Neglect", "Physical abuse", "Sexual abuse", "Multiple abuse", "Total"],
    percent_of: "CP plans of episodes in the class (row), by CP plan category",
    decimals: 1,
    significance: None,
    rows: &[
        class("neglect", "Neglect", Neglect, &[13.4, 81.4, 3.1, 2.0, 0.1, 100.0]),
        class("domestic_violence", "Domestic violence", DomesticViolence, &[57.2, 27.1, 13.4, 0.6, 1.6, 100.0]),
        class("physical_abuse", "Physical abuse", PhysicalAbuse, &[25.5, 39.6, 33.5, 1.0, 0.5, 100.0]),
        class("ooc_highly_vulnerable", "OOC/highly vulnerable", OutOfControl, &[26.5, 34.4, 6.0, 33.0, 0.2, 100.0]),
        class("complex_needs_i", "Complex needs I", ComplexNeedsI, &[37.8, 54.1, 7.0, 0.9, 0.2, 100.0]),
        class("complex_needs_ii", "Complex needs II", ComplexNeedsII, &[32.8, 55.9, 7.3, 3.2, 0.7, 100.0]),
        class("disability_mental_health", "Disability/mental health", DisabilityMentalHealth, &[26.3, 62.2, 7.2, 4.0, 0.4, 100.0]),
        total(&[32.2, 53.0, 9.6, 4.8, 0.4, 100.0]),
    ],
};

/// Tables 11, 12, 14, 15, 16, 17 and 18 in order.
pub static SHARE_TABLES: [&ShareTable; 7] = [
    &TABLE11_CLASS_SHARES,
    &TABLE12_CLASSES_BY_TERTILE,
    &TABLE14_CLASSES_BY_THRESHOLD,
    &TABLE15_RE_REFERRALS,
    &TABLE16_REFERRAL_SOURCES,
    &TABLE17_CATEGORY_MATCH,
    &TABLE18_CLASSES_BY_CP_CATEGORY,
];

/// One LA's row of Table 13.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DeprivationEffectRow {
    pub la: La,
    /// The LA as printed ("LAO" for LA0).
    pub label: &'static str,
    /// The printed percentage change in the odds of being assessed in each class of
    /// [`DeprivationEffectTable::classes`] (+33% is `33.0`).
    pub percent: [f64; 7],
}

impl DeprivationEffectRow {
    /// The change as an odds ratio, `1 + percent / 100` (+33% is 1.33).
    pub fn odds_ratio(&self, column: usize) -> f64 {
        1.0 + self.percent[column] / 100.0
    }
}

/// Table 13: no confidence intervals or significance are printed, and the size of the rise in
/// deprivation is not stated in the table.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DeprivationEffectTable {
    pub number: u8,
    pub table: &'static str,
    pub title: &'static str,
    /// Column headings as printed (lines joined).
    pub columns: [&'static str; 7],
    /// The class of each column.
    pub classes: [DemandClass; 7],
    pub rows: [DeprivationEffectRow; 6],
}

const fn effects(la: La, label: &'static str, percent: [f64; 7]) -> DeprivationEffectRow {
    DeprivationEffectRow { la, label, percent }
}

/// Effect of a rise in child-level (LSOA proxy) deprivation on the chances of being assessed in
/// each demand class (all LAs): Hood et al. 2020, Table 13 (seed 004_0ca8065947ac1239).
#[rustfmt::skip]
pub static TABLE13_DEPRIVATION_EFFECTS: DeprivationEffectTable = DeprivationEffectTable {
    number: 13,
    table: "Table 13",
    title: "Effect of a rise in child-level (LSOA proxy) deprivation on the chances of being assessed in each \
            demand class (all LAs)",
    columns: ["Neglect", "Domestic violence", "Physical abuse", "OOC/ highly vulnerable", "Complex needs I",
              "Complex needs II", "Disability/ mental health"],
    classes: DemandClass::ALL,
    rows: [
        effects(La::La0, "LAO", [33.0, 21.0, 24.0, 23.0, 24.0, 27.0, 17.0]),
        effects(La::La1, "LA1", [32.0, 13.0, 14.0, 15.0, 22.0, 28.0, 30.0]),
        effects(La::La2, "LA2", [35.0, 26.0, 29.0, 26.0, 27.0, 22.0, 27.0]),
        effects(La::La3, "LA3", [20.0, 20.0, 23.0, 18.0, 30.0, 42.0, 19.0]),
        effects(La::La4, "LA4", [22.0, 24.0, 22.0, 16.0, 18.0, 16.0, 17.0]),
        effects(La::La5, "LA5", [62.0, 25.0, 30.0, 38.0, 32.0, 16.0, 34.0]),
    ],
};
