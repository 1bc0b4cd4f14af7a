//! Tables 7 to 10 of Hood et al. 2020 (seed `004_0ca8065947ac1239.txt`): differences in
//! relation to gender, age, ethnicity and deprivation, as odds ratios with 95% confidence
//! intervals in each of the six LAs. See [`super::odds`] for what the numbers are.

use super::odds::{o, o_printed, row, OddsHalf, OddsRow, OddsSection, OddsTable, NA};

const THRESHOLDS: &str = "Thresholds";
const FACTORS: &str = "Factors at Assessment";

/// Differences in relation to gender: Hood et al. 2020, Table 7 (seed 004_0ca8065947ac1239).
#[rustfmt::skip]
#[allow(clippy::approx_constant)] // 3.14 is a printed interval bound, not pi
pub static TABLE7_GENDER: OddsTable = OddsTable {
    number: 7,
    table: "Table 7",
    title: "Differences in relation to gender",
    characteristic: "gender",
    significance: "Statistically significant differences are highlighted in orange (girls) and blue (boys) in the \
                   original; the text does not keep the highlighting",
    notes: &[
        "Relative likelihood once referred by gender",
        "Male children are the reference group, i.e. OR>1 means females are more likely than males and OR<1 means \
         males are more likely than females.",
        "Statistically significant differences are highlighted in orange (girls) and blue (boys)",
    ],
    halves: &[OddsHalf {
        key: "female",
        heading: "GENDER (male and female)",
        group: "girls",
        reference: "boys",
        sections: &[OddsSection {
            heading: FACTORS,
            rows: &[
                row("child_sexual_exploitation", "Child sexual exploitation",
                    [o(2.74, 2.40, 3.14), o(2.84, 1.84, 4.39), o(2.10, 1.66, 2.67), o(3.02, 2.17, 4.21), o(3.63, 2.65, 4.96), o(3.41, 1.99, 5.85)]),
                row("self_harm", "Self-harm",
                    [o(1.63, 1.39, 1.92), o(1.42, 1.15, 1.75), o(1.42, 1.09, 1.85), o(1.87, 1.46, 2.39), o(2.83, 2.09, 3.84), o(1.85, 1.15, 2.97)]),
                row("sexual_abuse", "Sexual abuse",
                    [o(1.41, 1.31, 1.53), o(1.53, 1.17, 2.00), o(1.79, 1.36, 2.35), o(1.51, 1.15, 1.98), o(1.83, 1.48, 2.25), o(2.21, 1.31, 3.70)]),
                row("socially_unacceptable_behaviour", "Socially unacceptable behaviour",
                    [o(0.73, 0.68, 0.79), o(0.84, 0.68, 1.03), o(0.77, 0.68, 0.87), o(0.70, 0.57, 0.86), o(0.58, 0.45, 0.75), o(0.50, 0.37, 0.67)]),
                row("childs_learning_disability", "Child's learning disability",
                    [o(0.53, 0.48, 0.59), o(0.60, 0.49, 0.75), o(0.69, 0.54, 0.89), o(0.55, 0.46, 0.66), o(0.44, 0.38, 0.52), o(0.64, 0.48, 0.85)]),
                row("gangs", "Gangs",
                    [o(0.33, 0.18, 0.61), o(1.31, 0.70, 2.48), o(1.02, 0.79, 1.31), o(0.64, 0.42, 0.97), o(0.27, 0.20, 0.38), o(0.54, 0.37, 0.78)]),
                row("referred_by_health_services", "Referred by health services",
                    [o(1.06, 1.01, 1.11), o(1.31, 1.18, 1.47), o(1.13, 1.02, 1.25), o(1.00, 0.89, 1.12), o(1.21, 1.10, 1.32), o(1.21, 1.05, 1.40)]),
                row("cp_plan_category_sexual_abuse", "CP plan category: Sexual abuse",
                    [o(1.95, 1.54, 2.48), o(2.31, 1.12, 4.74), o(1.84, 0.93, 3.62), o(2.59, 1.17, 5.74), o(3.59, 1.44, 8.93), o(2.17, 0.20, 24.18)]),
            ],
        }],
    }],
};

const NO_DISABILITY: &str = "no record of disability";
const OTHER_TERTILES: &str = "the other two tertiles";
const WHITE_BRITISH: &str = "White British children";

/// A row with its own reference group (a footnote of the table).
const fn row_ref(
    key: &'static str,
    label: &'static str,
    reference: &'static str,
    cells: [super::odds::OddsCell; 6],
) -> OddsRow {
    OddsRow { reference: Some(reference), ..row(key, label, cells) }
}

/// Differences in relation to age: Hood et al. 2020, Table 8 (seed 004_0ca8065947ac1239).
#[rustfmt::skip]
pub static TABLE8_AGE: OddsTable = OddsTable {
    number: 8,
    table: "Table 8",
    title: "Differences in relation to age",
    characteristic: "age",
    significance: "Highlighted areas were found to be significant positively (orange) or negatively (blue) in the \
                   original; the text does not keep the highlighting",
    notes: &[
        "Characteristics, pathways and outcomes most associated with children aged under 5",
        "Reference group: children in the other two age groups (6-11, 12+)",
        "Highlighted areas were found to be significant positively (orange) or negatively (blue) – only the former \
         results are reported under 'younger children' in Figure 10",
        "Reference group: no record of disability",
        "Reference group: other two tertiles",
        "Characteristics, pathways and outcomes most associated with children aged twelve and above",
        "Highlighted areas were found to be significant positively (orange) or negatively (blue) – only the former \
         results are reported under 'older children' in Figure 10",
        "Reference group: White British children",
        "Reference group: children in the other two age groups (Under 5s, 6-11)",
    ],
    halves: &[
        OddsHalf {
            key: "under_5",
            heading: "UNDER 5s",
            group: "children aged under 5",
            reference: "children in the other two age groups (6-11, 12+)",
            sections: &[
                OddsSection {
                    heading: THRESHOLDS,
                    rows: &[
                        row("nfa", "NFA",
                            [o(0.88, 0.84, 0.92), o(0.87, 0.77, 0.97), o(0.73, 0.64, 0.82), o(0.94, 0.82, 1.07), o(0.82, 0.71, 0.95), o(1.07, 0.94, 1.22)]),
                        row("cp_conferences", "CP Conferences",
                            [o(1.42, 1.35, 1.50), o(1.57, 1.39, 1.77), o(1.43, 1.27, 1.61), o(1.36, 1.18, 1.57), o(1.13, 1.01, 1.26), o(1.82, 1.49, 2.22)]),
                        row("cp_plans", "CP Plans",
                            [o(1.47, 1.39, 1.55), o(1.65, 1.45, 1.88), o(1.50, 1.32, 1.71), o(1.41, 1.22, 1.63), o(1.30, 1.14, 1.48), o(1.93, 1.55, 2.40)]),
                        row("interim_care_order_ico", "Interim Care Order (ICO)",
                            [o(4.33, 3.61, 5.18), o(2.65, 1.85, 3.81), o(2.46, 1.59, 3.79), o(2.88, 1.93, 4.29), o(1.91, 1.30, 2.78), NA]),
                        row("re_referrals_within_12_months", "Re-referrals within 12 months",
                            [o(0.93, 0.90, 0.96), o(0.85, 0.77, 0.95), o(0.82, 0.74, 0.90), o(0.87, 0.79, 0.96), o(0.77, 0.69, 0.87), o(1.19, 1.03, 1.38)]),
                    ],
                },
                OddsSection {
                    heading: FACTORS,
                    rows: &[
                        row("childs_alcohol_misuse", "Child's alcohol misuse",
                            [o(0.16, 0.11, 0.23), o(0.61, 0.46, 0.81), o(0.11, 0.03, 0.45), o(0.20, 0.11, 0.36), o(0.97, 0.51, 1.84), o(0.26, 0.06, 1.17)]),
                        row("childs_drug_misuse", "Child's drug misuse",
                            [o(0.12, 0.09, 0.16), o(0.35, 0.25, 0.51), o(0.11, 0.06, 0.21), o(0.20, 0.14, 0.29), o(0.22, 0.13, 0.37), o(0.20, 0.10, 0.43)]),
                        row("parents_drug_misuse", "Parent's drug misuse",
                            [o(1.72, 1.59, 1.86), o(2.51, 2.07, 3.05), o(1.73, 1.39, 2.14), o(2.13, 1.81, 2.50), o(1.69, 1.39, 2.05), o(1.57, 1.20, 2.06)]),
                        row("domestic_violence", "Domestic violence",
                            [o(1.90, 1.81, 2.00), o(2.14, 1.89, 2.42), o(2.27, 2.04, 2.52), o(2.26, 2.00, 2.54), o(2.41, 2.19, 2.65), o(1.88, 1.59, 2.21)]),
                        row("childs_mental_health", "Child's mental health",
                            [o(0.20, 0.17, 0.23), o(0.28, 0.23, 0.34), o(0.23, 0.17, 0.32), o(0.30, 0.24, 0.37), o(0.20, 0.14, 0.28), o(0.23, 0.16, 0.34)]),
                        row("parents_mental_health", "Parent's mental health",
                            [o(1.34, 1.26, 1.42), o(1.53, 1.35, 1.74), o(1.25, 1.08, 1.44), o(1.55, 1.36, 1.77), o(1.21, 1.06, 1.37), o(1.33, 1.10, 1.60)]),
                        row("going_being_missing", "Going/being missing",
                            [o(0.09, 0.05, 0.16), o(0.13, 0.06, 0.26), o(0.28, 0.17, 0.46), o(0.22, 0.14, 0.34), o(0.07, 0.03, 0.15), o(0.20, 0.08, 0.50)]),
                        row("child_sexual_exploitation", "Child sexual exploitation",
                            [o(0.14, 0.11, 0.18), o(0.11, 0.05, 0.26), o(0.32, 0.24, 0.43), o(0.16, 0.10, 0.27), o(0.08, 0.04, 0.15), o(0.14, 0.06, 0.31)]),
                        row("gangs", "Gangs",
                            [o(0.21, 0.10, 0.47), o(0.22, 0.08, 0.61), o(0.46, 0.34, 0.62), o(0.40, 0.24, 0.67), o(0.09, 0.05, 0.17), o(0.26, 0.16, 0.42)]),
                        row("socially_unacceptable_behaviour", "Socially unacceptable behaviour",
                            [o(0.44, 0.40, 0.48), o(0.35, 0.27, 0.46), o(0.51, 0.45, 0.59), o(0.33, 0.26, 0.43), o(0.28, 0.20, 0.40), o(0.30, 0.21, 0.44)]),
                        row("self_harm", "Self-harm",
                            [o(0.24, 0.19, 0.31), o(0.20, 0.14, 0.27), o(0.46, 0.34, 0.63), o(0.28, 0.21, 0.39), o(0.20, 0.13, 0.31), o(0.21, 0.10, 0.42)]),
                        row("neglect", "Neglect",
                            [o(1.48, 1.41, 1.55), o(1.50, 1.26, 1.79), o(1.15, 1.02, 1.29), o(1.28, 1.09, 1.51), o(1.43, 1.26, 1.63), o(1.23, 0.92, 1.63)]),
                        row("physical_abuse", "Physical abuse",
                            [o(1.00, 0.95, 1.06), o(1.05, 0.90, 1.23), o(0.63, 0.54, 0.75), o(0.81, 0.69, 0.95), o(0.68, 0.61, 0.77), o(0.70, 0.54, 0.91)]),
                        row("sexual_abuse", "Sexual abuse",
                            [o(0.69, 0.63, 0.75), o(0.60, 0.45, 0.82), o(0.85, 0.65, 1.12), o(0.63, 0.47, 0.85), o(0.61, 0.48, 0.76), o(0.60, 0.35, 1.03)]),
                        row("referred_by_health_services", "Referred by health services",
                            [o(1.92, 1.83, 2.01), o(1.46, 1.31, 1.63), o(1.72, 1.56, 1.90), o(1.89, 1.69, 2.11), o(2.05, 1.88, 2.25), o(1.60, 1.39, 1.84)]),
                        row("cp_plan_category_of_neglect", "CP plan category of Neglect",
                            [o(1.47, 1.31, 1.64), o(1.29, 1.01, 1.65), o(1.67, 1.28, 2.17), o(1.42, 1.08, 1.89), o(1.29, 1.00, 1.67), o(1.98, 1.24, 3.15)]),
                        row_ref("record_of_disability", "Record of disability", NO_DISABILITY,
                            [o(0.28, 0.25, 0.30), o(0.45, 0.37, 0.55), o(0.35, 0.26, 0.47), o(0.66, 0.54, 0.82), o(0.75, 0.59, 0.95), o(0.94, 0.74, 1.18)]),
                        row_ref("least_deprived_tertile", "Least deprived tertile", OTHER_TERTILES,
                            [o(0.83, 0.81, 0.86), o(0.79, 0.72, 0.87), o(0.83, 0.74, 0.94), o(0.73, 0.56, 0.96), o(0.98, 0.74, 1.30), o(0.77, 0.52, 1.12)]),
                        row_ref("mixed_ethnicity", "Mixed Ethnicity", WHITE_BRITISH,
                            [o(1.30, 1.18, 1.43), o(1.30, 1.14, 1.48), o(1.41, 1.27, 1.56), o(1.40, 1.24, 1.59), o(1.53, 1.36, 1.73), o(1.53, 1.33, 1.75)]),
                    ],
                },
            ],
        },
        OddsHalf {
            key: "twelve_plus",
            heading: "TWELVE PLUS",
            group: "children aged twelve and above",
            reference: "children in the other two age groups (Under 5s, 6-11)",
            sections: &[
                OddsSection {
                    heading: THRESHOLDS,
                    rows: &[
                        row("nfa", "NFA",
                            [o(1.25, 1.20, 1.31), o(1.10, 0.99, 1.24), o(1.47, 1.30, 1.65), o(1.20, 1.05, 1.37), o(1.25, 1.09, 1.43), o(1.09, 0.95, 1.26)]),
                        row("cp_conferences", "CP Conferences",
                            [o(0.67, 0.63, 0.71), o(0.60, 0.52, 0.68), o(0.74, 0.65, 0.85), o(0.68, 0.58, 0.80), o(0.83, 0.74, 0.93), o(0.40, 0.30, 0.53)]),
                        row("cp_plans", "CP Plans",
                            [o(0.62, 0.58, 0.66), o(0.55, 0.47, 0.64), o(0.70, 0.61, 0.81), o(0.63, 0.53, 0.75), o(0.69, 0.59, 0.80), o(0.34, 0.25, 0.47)]),
                        OddsRow {
                            note: Some("The text runs the LA2 and LA3 cells together; read in order, LA2 is 0.52 and LA3 0.26."),
                            ..row("interim_care_order_ico", "Interim Care Order (ICO)",
                                [o(0.14, 0.10, 0.20), o(0.55, 0.36, 0.85), o(0.52, 0.30, 0.89), o(0.26, 0.14, 0.49), o(0.70, 0.45, 1.09), NA])
                        },
                        row("re_referrals_within_12_months", "Re-referrals within 12 months",
                            [o(1.02, 0.98, 1.06), o(1.23, 1.11, 1.37), o(1.34, 1.22, 1.47), o(1.27, 1.15, 1.40), o(1.26, 1.12, 1.41), o(0.87, 0.74, 1.03)]),
                    ],
                },
                OddsSection {
                    heading: FACTORS,
                    rows: &[
                        OddsRow {
                            note: Some("LA2 and LA3 are printed with the same odds ratio and interval, 10.5 (4.31-25.5), and \
                                        the text runs the LA3 and LA4 cells together; transcribed as printed."),
                            ..row("childs_alcohol_misuse", "Child's alcohol misuse",
                                [o(8.99, 6.87, 11.76), o(1.57, 1.23, 2.01), o_printed(10.5, 4.31, 25.5, [1, 2, 1]), o_printed(10.5, 4.31, 25.5, [1, 2, 1]), o(5.78, 3.82, 8.75), o(4.68, 1.56, 14.02)])
                        },
                        row("childs_drug_misuse", "Child's drug misuse",
                            [o(10.80, 9.04, 12.92), o(4.16, 3.11, 5.55), o_printed(7.67, 5.30, 11.1, [2, 2, 1]), o(5.44, 4.15, 7.14), o_printed(11.82, 7.5, 18.5, [2, 1, 1]), o(4.09, 2.50, 6.70)]),
                        row("parents_drug_misuse", "Parent's drug misuse",
                            [o(0.51, 0.47, 0.57), o(0.36, 0.28, 0.47), o(0.57, 0.44, 0.75), o(0.51, 0.42, 0.62), o(0.58, 0.46, 0.73), o(0.45, 0.31, 0.65)]),
                        row("domestic_violence", "Domestic violence",
                            [o(0.49, 0.46, 0.52), o(0.39, 0.34, 0.44), o(0.38, 0.33, 0.43), o(0.38, 0.34, 0.44), o(0.43, 0.39, 0.48), o(0.45, 0.37, 0.54)]),
                        row("childs_mental_health", "Child's mental health",
                            [o(4.56, 4.15, 5.01), o(3.96, 3.40, 4.61), o(4.40, 3.51, 5.51), o(2.68, 2.27, 3.17), o(4.66, 3.68, 5.91), o(4.05, 3.06, 5.35)]),
                        row("parents_mental_health", "Parent's mental health",
                            [o(0.75, 0.70, 0.80), o(0.66, 0.58, 0.75), o(0.88, 0.75, 1.02), o(0.69, 0.60, 0.80), o(0.85, 0.74, 0.98), o(0.84, 0.68, 1.04)]),
                        row("going_being_missing", "Going/being missing",
                            [o(10.23, 7.29, 14.35), o(5.21, 3.50, 7.74), o(3.54, 2.48, 5.07), o(3.99, 2.90, 5.49), o_printed(17.0, 10.6, 27.3, [1, 1, 1]), o(3.82, 2.08, 7.02)]),
                        row("child_sexual_exploitation", "Child sexual exploitation",
                            [o(8.50, 7.38, 9.80), o(6.98, 4.41, 11.05), o(3.18, 2.54, 3.99), o(6.01, 4.33, 8.33), o_printed(9.37, 6.76, 12.9, [2, 2, 1]), o(6.81, 4.07, 11.39)]),
                        row("gangs", "Gangs",
                            [o(7.41, 4.12, 13.33), o(4.52, 2.28, 8.94), o(3.00, 2.33, 3.86), o(3.88, 2.53, 5.96), o_printed(13.40, 9.2, 19.4, [2, 1, 1]), o(4.31, 2.99, 6.20)]),
                        row("socially_unacceptable_behaviour", "Socially unacceptable behaviour",
                            [o(2.25, 2.09, 2.43), o(2.39, 1.94, 2.94), o(2.32, 2.04, 2.64), o(2.74, 2.23, 3.36), o(3.61, 2.79, 4.67), o(3.32, 2.48, 4.43)]),
                        row("self_harm", "Self-harm",
                            [o(4.29, 3.64, 5.05), o(5.25, 4.19, 6.58), o(2.71, 2.08, 3.51), o(3.72, 2.92, 4.75), o(6.93, 5.09, 9.43), o(4.84, 3.00, 7.82)]),
                        row("neglect", "Neglect",
                            [o(0.65, 0.62, 0.69), o(0.55, 0.45, 0.67), o(0.68, 0.59, 0.77), o(0.73, 0.61, 0.88), o(0.64, 0.55, 0.74), o(1.15, 0.85, 1.57)]),
                        row("physical_abuse", "Physical abuse",
                            [o(0.77, 0.72, 0.82), o(0.68, 0.57, 0.80), o(1.03, 0.87, 1.21), o(0.93, 0.79, 1.10), o(0.83, 0.74, 0.94), o(0.78, 0.59, 1.04)]),
                        row("sexual_abuse", "Sexual abuse",
                            [o(1.37, 1.26, 1.49), o(1.78, 1.36, 2.32), o(1.34, 1.02, 1.76), o(1.52, 1.16, 2.00), o(1.66, 1.35, 2.04), o(1.33, 0.80, 2.21)]),
                        row("referred_by_health_services", "Referred by health services",
                            [o(0.72, 0.68, 0.76), o(1.06, 0.95, 1.19), o(0.75, 0.67, 0.83), o(0.74, 0.65, 0.84), o(0.72, 0.65, 0.79), o(0.92, 0.79, 1.08)]),
                        row_ref("record_of_disability", "Record of disability", NO_DISABILITY,
                            [o(1.90, 1.79, 2.02), o(1.30, 1.10, 1.54), o(1.63, 1.31, 2.04), o(1.22, 1.00, 1.49), o(0.79, 0.62, 1.01), o(0.86, 0.66, 1.12)]),
                        row_ref("least_deprived_tertile", "Least deprived tertile", OTHER_TERTILES,
                            [o(1.18, 1.14, 1.23), o(1.19, 1.09, 1.31), o(1.23, 1.10, 1.39), o(1.79, 1.38, 2.32), o(0.93, 0.69, 1.25), o(0.80, 0.52, 1.21)]),
                        row_ref("mixed_ethnicity", "Mixed Ethnicity", WHITE_BRITISH,
                            [o(0.66, 0.59, 0.74), o(0.83, 0.72, 0.96), o(0.70, 0.62, 0.78), o(0.60, 0.52, 0.70), o(0.67, 0.59, 0.77), o(0.66, 0.57, 0.77)]),
                    ],
                },
            ],
        },
    ],
};

/// Differences in relation to ethnicity (White British only): Hood et al. 2020, Table 9 (seed
/// 004_0ca8065947ac1239).
#[rustfmt::skip]
pub static TABLE9_ETHNICITY: OddsTable = OddsTable {
    number: 9,
    table: "Table 9",
    title: "Differences in relation to ethnicity (White British only)",
    characteristic: "ethnicity",
    significance: "Highlighted areas were found to be significant positively (orange) or negatively (blue) in the \
                   original; the text does not keep the highlighting",
    notes: &[
        "Characteristics, pathways and outcomes most associated with children whose ethnicity was recorded as White \
         British",
        "Reference group: children in all other recorded ethnic categories (including other White groups)",
        "Highlighted areas were found to be significant positively (orange) or negatively (blue)",
    ],
    halves: &[OddsHalf {
        key: "white_british",
        heading: "WHITE BRITISH CHILDREN",
        group: "White British children",
        reference: "children in all other recorded ethnic categories (including other White groups)",
        sections: &[
            OddsSection {
                heading: THRESHOLDS,
                rows: &[
                    row("section_47s", "Section 47s",
                        [o(0.82, 0.78, 0.87), o(0.75, 0.68, 0.82), o(0.83, 0.75, 0.92), o(1.00, 0.89, 1.12), o(0.78, 0.67, 0.91), o(0.94, 0.78, 1.13)]),
                    row("cp_plans", "CP Plans",
                        [o(0.94, 0.86, 1.03), o(1.20, 1.05, 1.37), o(1.09, 0.93, 1.28), o(1.63, 1.39, 1.90), o(1.31, 1.04, 1.65), o(1.64, 1.24, 2.17)]),
                    row("detained_on_cp_grounds", "Detained on CP Grounds",
                        [o(0.43, 0.29, 0.65), o(0.59, 0.36, 0.96), o(0.27, 0.09, 0.89), o(0.50, 0.31, 0.81), o(0.40, 0.15, 1.08), NA]),
                    row("re_referrals_within_12_months", "Re-referrals within 12 months",
                        [o(1.26, 1.19, 1.33), o(1.59, 1.43, 1.78), o(1.12, 1.00, 1.25), o(1.43, 1.28, 1.60), o(1.39, 1.14, 1.69), o(1.03, 0.82, 1.29)]),
                ],
            },
            OddsSection {
                heading: FACTORS,
                rows: &[
                    row("childs_alcohol_misuse", "Child's alcohol misuse",
                        [o(1.61, 1.05, 2.47), o(1.90, 1.44, 2.50), o(4.90, 2.43, 9.87), o(1.66, 1.11, 2.49), o(2.14, 0.89, 5.10), o(5.98, 1.72, 20.79)]),
                    row("parents_alcohol_misuse", "Parent's alcohol misuse",
                        [o(1.34, 1.18, 1.52), o(2.45, 2.05, 2.94), o(2.28, 1.85, 2.81), o(1.71, 1.45, 2.03), o(2.93, 2.33, 3.67), o(3.46, 2.52, 4.76)]),
                    row("parents_drug_misuse", "Parent's drug misuse",
                        [o(1.70, 1.46, 1.97), o(2.40, 1.90, 3.01), o(1.55, 1.22, 1.99), o(2.28, 1.92, 2.71), o(2.10, 1.57, 2.81), o(1.73, 1.22, 2.46)]),
                    row("childs_mental_health", "Child's mental health",
                        [o(1.42, 1.21, 1.68), o(1.60, 1.36, 1.88), o(1.86, 1.46, 2.36), o(2.05, 1.71, 2.45), o(0.82, 0.51, 1.32), o(1.98, 1.40, 2.80)]),
                    row("parents_mental_health", "Parent's mental health",
                        [o(1.19, 1.08, 1.32), o(1.59, 1.40, 1.81), o(1.17, 0.99, 1.39), o(1.59, 1.37, 1.84), o(1.55, 1.25, 1.93), o(1.03, 0.78, 1.36)]),
                    row("child_sexual_exploitation", "Child sexual exploitation",
                        [o(1.44, 1.16, 1.80), o(2.62, 1.64, 4.17), o(1.53, 1.18, 1.97), o(1.82, 1.34, 2.47), o(1.34, 0.86, 2.10), o(1.35, 0.71, 2.56)]),
                    row("socially_unacceptable_behaviour", "Socially unacceptable behaviour",
                        [o(1.71, 1.48, 1.96), o(1.53, 1.23, 1.91), o(1.21, 1.04, 1.41), o(1.72, 1.39, 2.15), o(0.89, 0.54, 1.47), o(0.91, 0.59, 1.40)]),
                    row("self_harm", "Self-harm",
                        [o(1.71, 1.26, 2.33), o(1.43, 1.15, 1.77), o(2.04, 1.54, 2.71), o(1.51, 1.16, 1.97), o(1.76, 1.16, 2.67), o(1.72, 0.94, 3.15)]),
                    row("physical_abuse", "Physical abuse",
                        [o(0.72, 0.67, 0.78), o(0.40, 0.35, 0.47), o(0.50, 0.39, 0.63), o(0.58, 0.47, 0.72), o(0.38, 0.29, 0.51), o(0.16, 0.08, 0.32)]),
                    row("sexual_abuse", "Sexual abuse",
                        [o(1.85, 1.57, 2.17), o(1.50, 1.13, 1.99), o(1.61, 1.20, 2.15), o(1.58, 1.19, 2.11), o(1.23, 0.86, 1.77), o(0.96, 0.45, 2.05)]),
                ],
            },
            OddsSection {
                heading: "Source of referrals",
                rows: &[
                    row("individuals", "Individuals",
                        [o(1.50, 1.37, 1.65), o(1.29, 1.01, 1.65), o(1.38, 1.14, 1.66), o(1.09, 0.91, 1.31), o(1.23, 0.96, 1.56), o(1.41, 1.06, 1.88)]),
                    row("schools", "Schools",
                        [o(0.87, 0.82, 0.92), o(0.74, 0.67, 0.81), o(0.78, 0.69, 0.88), o(0.85, 0.76, 0.96), o(0.48, 0.39, 0.59), o(0.49, 0.37, 0.65)]),
                    row("cp_plan_category_neglect", "CP Plan category: Neglect",
                        [o(1.21, 1.02, 1.43), o(1.70, 1.31, 2.20), o(0.99, 0.71, 1.36), o(2.06, 1.53, 2.77), o(1.83, 1.17, 2.86), o(2.11, 1.22, 3.66)]),
                    row("cp_plan_category_physical_abuse", "CP Plan category: Physical abuse",
                        [o(0.45, 0.35, 0.57), o(0.23, 0.15, 0.36), o(0.88, 0.49, 1.57), o(0.35, 0.18, 0.71), o(0.81, 0.44, 1.50), o(0.28, 0.10, 0.81)]),
                ],
            },
        ],
    }],
};

/// The thresholds of the most deprived half of Table 10 (CP conferences, CP plans, re-referrals),
/// which the tour also cites.
#[rustfmt::skip]
pub static TABLE10_MOST_DEPRIVED_THRESHOLDS: [OddsRow; 3] = [
    row("cp_conferences", "CP Conferences",
        [o(1.33, 1.26, 1.40), o(1.31, 1.16, 1.48), o(1.38, 1.22, 1.55), o(1.45, 1.25, 1.67), o(0.99, 0.88, 1.10), o(0.97, 0.76, 1.23)]),
    row("cp_plans", "CP Plans",
        [o(1.39, 1.32, 1.48), o(1.16, 1.01, 1.33), o(1.50, 1.32, 1.71), o(1.41, 1.21, 1.63), o(1.02, 0.89, 1.17), o(0.93, 0.72, 1.20)]),
    row("re_referrals_within_12_months", "Re-referrals within 12 months",
        [o(1.19, 1.15, 1.23), o(1.22, 1.09, 1.35), o(1.07, 0.98, 1.17), o(1.28, 1.16, 1.41), o(1.43, 1.26, 1.61), o(1.14, 0.95, 1.36)]),
];

/// Differences in relation to deprivation: Hood et al. 2020, Table 10 (seed
/// 004_0ca8065947ac1239). Deprivation is the tertile of the child's neighbourhood (LSOA) IMD
/// score within the six LAs' children.
#[rustfmt::skip]
pub static TABLE10_DEPRIVATION: OddsTable = OddsTable {
    number: 10,
    table: "Table 10",
    title: "Differences in relation to deprivation",
    characteristic: "deprivation",
    significance: "Highlighted areas were found to be significant positively (orange) or negatively (blue) in the \
                   original; the text does not keep the highlighting",
    notes: &[
        "Characteristics, pathways and outcomes most associated with children in the least deprived tertile",
        "Reference group: children in the other tertiles (middle and most deprived)",
        "Highlighted areas were found to be significant positively (orange) or negatively (blue) – only the former \
         results are reported under 'less deprived' in Figure 11",
        "Characteristics, pathways and outcomes most associated with children in the most deprived tertile",
        "Reference group: children in the other tertiles (middle and least deprived)",
        "Highlighted areas were found to be significant positively (orange) or negatively (blue) – only the former \
         results are reported under 'more deprived' children in Figure 11",
        "Reference group: White British children",
    ],
    halves: &[
        OddsHalf {
            key: "least_deprived",
            heading: "LEAST DEPRIVED",
            group: "children in the least deprived tertile",
            reference: "children in the other tertiles (middle and most deprived)",
            sections: &[
                OddsSection {
                    heading: THRESHOLDS,
                    rows: &[
                        row("cp_conferences", "CP Conferences",
                            [o(0.77, 0.73, 0.82), o(0.76, 0.67, 0.87), o(0.78, 0.64, 0.95), o(0.60, 0.33, 1.07), o(0.99, 0.66, 1.50), o(0.45, 0.16, 1.21)]),
                        row("cp_plans", "CP Plans",
                            [o(0.74, 0.70, 0.79), o(0.79, 0.69, 0.91), o(0.80, 0.65, 0.99), o(0.59, 0.32, 1.09), o(0.86, 0.50, 1.48), o(0.54, 0.20, 1.48)]),
                        row("re_referrals_within_12_months", "Re-referrals within 12 months",
                            [o(0.81, 0.78, 0.84), o(0.82, 0.73, 0.91), o(1.05, 0.92, 1.20), o(1.13, 0.83, 1.53), o(0.98, 0.64, 1.52), o(0.31, 0.13, 0.70)]),
                    ],
                },
                OddsSection {
                    heading: FACTORS,
                    rows: &[
                        row("childs_mental_health", "Child's mental health",
                            [o(1.43, 1.30, 1.56), o(1.22, 1.04, 1.42), o(1.56, 1.17, 2.09), o(1.46, 0.90, 2.36), o(1.55, 0.75, 3.19), o(2.92, 1.43, 5.97)]),
                        row("parents_drug_misuse", "Parent's drug misuse",
                            [o(0.83, 0.77, 0.91), o(0.63, 0.50, 0.79), o(0.84, 0.59, 1.19), o(1.04, 0.62, 1.75), o(0.98, 0.46, 2.12), NA]),
                        row("parents_learning_disability", "Parent's learning disability",
                            [o(0.60, 0.46, 0.78), o(0.51, 0.27, 0.96), o(0.46, 0.14, 1.47), o(0.47, 0.06, 3.37), o(1.02, 0.32, 3.23), NA]),
                        row("neglect", "Neglect",
                            [o(0.72, 0.68, 0.75), o(0.66, 0.54, 0.80), o(0.75, 0.62, 0.91), o(1.25, 0.76, 2.03), o(0.70, 0.39, 1.24), NA]),
                        OddsRow {
                            note: Some("No footnote gives this row's reference group in the least deprived half; in the most \
                                        deprived half it is White British children."),
                            ..row("black_or_black_british_ethnicity", "Black or Black British Ethnicity",
                                [o(0.82, 0.73, 0.93), o(0.63, 0.54, 0.73), o(0.77, 0.68, 0.88), o(0.88, 0.57, 1.36), o(0.21, 0.14, 0.32), o(0.30, 0.12, 0.74)])
                        },
                    ],
                },
            ],
        },
        OddsHalf {
            key: "most_deprived",
            heading: "MOST DEPRIVED",
            group: "children in the most deprived tertile",
            reference: "children in the other tertiles (middle and least deprived)",
            sections: &[
                OddsSection {
                    heading: THRESHOLDS,
                    rows: &TABLE10_MOST_DEPRIVED_THRESHOLDS,
                },
                OddsSection {
                    heading: FACTORS,
                    rows: &[
                        row("childs_mental_health", "Child's mental health",
                            [o(0.73, 0.66, 0.81), o(1.01, 0.86, 1.18), o(0.67, 0.53, 0.84), o(1.16, 0.98, 1.37), o(0.98, 0.77, 1.23), o(0.82, 0.60, 1.12)]),
                        row("parents_drug_misuse", "Parent's drug misuse",
                            [o(1.23, 1.13, 1.33), o(1.46, 1.20, 1.78), o(0.92, 0.74, 1.15), o(1.31, 1.11, 1.54), o(1.21, 0.99, 1.50), o(1.66, 1.15, 2.40)]),
                        row("parents_learning_disability", "Parent's learning disability",
                            [o(1.65, 1.32, 2.07), o(3.40, 2.05, 5.65), o(2.06, 1.15, 3.67), o(1.95, 1.24, 3.06), o(0.81, 0.60, 1.09), o(1.16, 0.50, 2.66)]),
                        row("neglect", "Neglect",
                            [o(1.34, 1.28, 1.41), o(1.45, 1.22, 1.74), o(1.40, 1.25, 1.57), o(1.29, 1.10, 1.51), o(0.99, 0.87, 1.13), o(1.69, 1.14, 2.49)]),
                        row_ref("black_or_black_british_ethnicity", "Black or Black British Ethnicity", WHITE_BRITISH,
                            [o(1.16, 1.03, 1.31), o(1.07, 0.93, 1.23), o(1.46, 1.34, 1.58), o(1.50, 1.32, 1.70), o(2.32, 2.13, 2.51), o(1.66, 1.35, 2.04)]),
                    ],
                },
            ],
        },
    ],
};

/// Tables 7 to 10 in order.
pub static ODDS_TABLES: [&OddsTable; 4] =
    [&TABLE7_GENDER, &TABLE8_AGE, &TABLE9_ETHNICITY, &TABLE10_DEPRIVATION];
