//! Cell-by-cell check of the embedded tables against the seed documents.
//!
//! The expected values below are a second, independent transcription of the seed text
//! (`/work/shared/seeds/000_616bec359d8bddcb.txt` for Webb et al. 2020 and
//! `001_d01d26d66ffa3560.txt` for Hood et al. 2021), row by row as printed. Appendix rows are
//! transcribed as printed, left to right, and belong to the last models of the table (a row
//! with three values is Models 3-5), which is how the printed columns line up.

use std::collections::HashSet;

use socgrad::tables::hood2021 as hood;
use socgrad::tables::webb2020 as webb;
use socgrad::tables::{Bounded, Significance, Variance};

fn sig(mark: &str) -> Significance {
    match mark {
        "" => Significance::Unmarked,
        "." => Significance::P10,
        "*" => Significance::P05,
        "**" => Significance::P01,
        "***" => Significance::P001,
        other => panic!("unexpected mark {other}"),
    }
}

fn variance(printed: &str) -> Variance {
    if printed == "~0" {
        Variance::NearZero
    } else {
        Variance::Value(printed.parse().expect("number"))
    }
}

// ---------------------------------------------------------------------------------------------
// Webb et al. 2020
// ---------------------------------------------------------------------------------------------

#[test]
fn webb_table1_summary_statistics() {
    #[rustfmt::skip]
    let expected: [(&str, f64, f64, f64, f64); 14] = [
        ("LSOA Number of Children in Need", 10.60, 11.20, 0.00, 89.00),
        ("LSOA Number of Children on Child Protection Plans", 1.53, 2.71, 0.00, 28.00),
        ("LSOA Number of Children Looked After", 1.97, 3.18, 0.00, 46.00),
        ("LSOA IMD Score", 21.9, 15.80, 1.18, 82.60),
        ("LA IMD Score", 22.0, 8.14, 8.86, 41.20),
        ("LSOA Mixed Heritage %", 2.21, 2.09, 0.00, 14.90),
        ("LSOA Asian Indian %", 3.42, 7.74, 0.00, 71.50),
        ("LSOA Asian Pakistani %", 1.32, 3.64, 0.00, 53.60),
        ("LSOA Asian Bangladeshi %", 0.53, 1.68, 0.00, 35.70),
        ("LSOA Black African/Caribbean/Other %", 3.27, 6.65, 0.00, 57.20),
        ("LA JSA 5 Year Average %", 1.65, 0.92, 0.72, 4.14),
        ("LA Infant mortality per 1,000", 3.57, 1.28, 1.20, 6.70),
        ("LA Level 4 Qualification %", 27.40, 7.35, 15.2, 50.30),
        ("LA Gini coefficient", 0.386, 0.014, 0.358, 0.415),
    ];
    assert_eq!(webb::TABLE1_SUMMARY.len(), expected.len());
    for (row, (variable, mean, sd, min, max)) in webb::TABLE1_SUMMARY.iter().zip(expected) {
        assert_eq!(row.variable, variable);
        assert_eq!((row.mean, row.sd, row.min, row.max), (mean, sd, min, max), "{variable}");
    }
    assert_eq!(webb::LA_IMD_SUMMARY, webb::TABLE1_SUMMARY[4]);
    assert_eq!(webb::LA_GINI_SUMMARY, webb::TABLE1_SUMMARY[13]);
}

#[test]
fn webb_table2_deprivation_by_imd() {
    let expected = [(-1.0, 4.6, 4.6), (0.0, 14.5, 11.9), (1.0, 24.5, 19.2)];
    assert_eq!(webb::TABLE2_DEPRIVATION_BY_IMD.len(), 3);
    for (row, (z, income, employment)) in webb::TABLE2_DEPRIVATION_BY_IMD.iter().zip(expected) {
        assert_eq!(row.lsoa_imd_z, z);
        assert_eq!(row.income_deprived_percent, income, "income at z {z}");
        assert_eq!(row.employment_deprived_percent, employment, "employment at z {z}");
    }
}

#[test]
fn webb_table2_model_fit() {
    use webb::CountFamily::{NegativeBinomial1 as Nb1, NegativeBinomial2 as Nb2};
    // (Poisson AIC, BIC), (NB2), (NB1), selection, (MSOA only), (MSOA & LA), Moran's I null, with covariates
    #[allow(clippy::type_complexity)]
    #[rustfmt::skip]
    let expected: [(webb::Outcome, [(f64, f64); 3], webb::CountFamily, [(f64, f64); 2], f64, f64); 3] = [
        (webb::Outcome::Cin, [(30072.9, 30078.8), (17772.9, 17784.7), (17800.5, 17812.3)], Nb2, [(17175.1, 17192.8), (17099.4, 17123.0)], 0.127, 0.057),
        (webb::Outcome::Cpp, [(18000.7, 18007.0), (12825.3, 12838.0), (12775.2, 12787.9)], Nb1, [(12511.9, 12530.9), (12476.7, 12502.0)], 0.037, 0.015),
        (webb::Outcome::Cla, [(19793.9, 19800.3), (14858.1, 14870.7), (14837.2, 14849.9)], Nb1, [(14452.8, 14471.8), (14393.6, 14418.9)], 0.056, 0.006),
    ];
    for (col, (outcome, fam, selected, re, moran_null, moran_cov)) in
        webb::TABLE2_MODEL_FIT.iter().zip(expected)
    {
        assert_eq!(col.outcome, outcome);
        let got = [col.poisson, col.negative_binomial_2, col.negative_binomial_1];
        for (g, (aic, bic)) in got.iter().zip(fam) {
            assert_eq!((g.aic, g.bic), (aic, bic), "{outcome:?}");
        }
        assert_eq!(col.selected_family, selected);
        assert_eq!((col.msoa_only.aic, col.msoa_only.bic), re[0]);
        assert_eq!((col.msoa_and_la.aic, col.msoa_and_la.bic), re[1]);
        assert_eq!(col.morans_i_null.i, moran_null);
        assert_eq!(col.morans_i_covariates.i, moran_cov);
        assert_eq!(col.morans_i_null.p, Bounded::LessThan(0.001));
        assert_eq!(col.morans_i_covariates.p, Bounded::LessThan(0.001));
    }
}

#[test]
fn webb_table3_fixed_effects() {
    // Columns: CIN, CPP, CLA; each (B, Exp(B), SE, p).
    #[allow(clippy::type_complexity)]
    #[rustfmt::skip]
    let expected: [(&str, [(f64, f64, f64, &str); 3]); 14] = [
        ("LSOA IMD Score", [(0.4392, 1.551, 0.0251, "***"), (0.5542, 1.741, 0.0247, "***"), (0.5293, 1.698, 0.0289, "***")]),
        ("Mixed Heritage %", [(0.0276, 1.028, 0.0212, ""), (0.0723, 1.075, 0.0446, "***"), (0.1051, 1.111, 0.0245, "***")]),
        ("Asian Indian %", [(0.0047, 1.005, 0.0229, ""), (0.0458, 1.047, 0.0394, ""), (0.0506, 1.052, 0.0315, "")]),
        ("Asian Pakistani %", [(0.0162, 1.016, 0.0167, ""), (-0.0198, 0.980, 0.0319, ""), (-0.0087, 0.991, 0.0201, "")]),
        ("Asian Bangladeshi %", [(0.0117, 1.012, 0.0167, ""), (-0.0079, 0.992, 0.0285, ""), (-0.0112, 0.989, 0.0213, "")]),
        ("Black African/ Caribbean/Other %", [(0.0060, 1.006, 0.0200, ""), (-0.0366, 0.964, 0.0479, ""), (0.0218, 1.022, 0.0327, "")]),
        ("LA IMD Score", [(0.3453, 1.412, 0.1623, "*"), (0.0565, 1.058, 0.1663, ""), (0.2723, 1.313, 0.0660, "***")]),
        ("JSA 5 Year Average %", [(-0.1065, 0.899, 0.1551, ""), (0.0732, 1.076, 0.1785, ""), (-0.1146, 0.892, 0.0678, "")]),
        ("Infant mortality per 1,000", [(0.0857, 1.089, 0.0372, "*"), (-0.0012, 0.999, 0.0570, ""), (0.0403, 1.041, 0.0209, "")]),
        ("Level 4 Qualification %", [(-0.0794, 0.924, 0.0835, ""), (0.0553, 1.057, 0.0913, ""), (-0.1329, 0.876, 0.0274, "***")]),
        ("Gini coefficient", [(-0.1024, 0.903, 0.0958, ""), (0.0832, 1.087, 0.1432, ""), (0.0627, 1.065, 0.0391, "")]),
        ("LA IMD * LSOA IMD", [(-0.0752, 0.928, 0.0320, "*"), (-0.0584, 0.943, 0.0370, ""), (-0.1313, 0.877, 0.0389, "***")]),
        ("Gini * LSOA IMD", [(0.1183, 1.126, 0.0321, "***"), (0.1661, 1.181, 0.0375, "***"), (0.1683, 1.183, 0.0383, "***")]),
        ("Intercept", [(5.4952, 243.516, 0.0495, "***"), (3.4500, 31.499, 0.2584, "***"), (3.6940, 40.204, 0.0221, "***")]),
    ];
    let models = [&webb::TABLE3_CIN, &webb::TABLE3_CPP, &webb::TABLE3_CLA];
    for (col, model) in models.iter().enumerate() {
        assert_eq!(model.outcome, webb::Outcome::ALL[col]);
        let rows = model.fixed.rows();
        assert_eq!(rows.len(), expected.len());
        for ((term, coef), (label, cells)) in rows.iter().zip(expected.iter()) {
            assert_eq!(term.label(), *label);
            let (b, exp_b, se, mark) = cells[col];
            assert_eq!((coef.b, coef.exp_b, coef.se), (b, exp_b, se), "{label} {:?}", model.outcome);
            assert_eq!(coef.significance, sig(mark), "{label} {:?}", model.outcome);
        }
    }
}

#[test]
fn webb_table3_random_effects_spatial_and_n() {
    #[rustfmt::skip]
    let expected: [(&str, [(&str, &str); 3]); 8] = [
        ("MSOA", [("0.1269", "0.3562"), ("0.2355", "0.4853"), ("0.1526", "0.3907")]),
        ("LA", [("~0", "~0"), ("~0", "~0"), ("~0", "~0")]),
        ("LA – Mixed Heritage %", [("0.0509", "0.2256"), ("0.1336", "0.3655"), ("0.0005", "0.0235")]),
        ("LA – Asian Indian %", [("0.0565", "0.2376"), ("0.1102", "0.3319"), ("0.0912", "0.3020")]),
        ("LA – Asian Pakistani %", [("0.0286", "0.1691"), ("0.0659", "0.2568"), ("0.0001", "0.0104")]),
        ("LA – Asian Bangladeshi %", [("0.0389", "0.1973"), ("0.0655", "0.2560"), ("0.0437", "0.2090")]),
        ("LA – Black A/C/O %", [("0.0422", "0.2055"), ("0.1485", "0.3854"), ("0.0830", "0.2881")]),
        ("LA – LSOA IMD Score", [("0.0741", "0.2722"), ("0.0315", "0.1775"), ("0.0866", "0.2943")]),
    ];
    let models = [&webb::TABLE3_CIN, &webb::TABLE3_CPP, &webb::TABLE3_CLA];
    for (col, model) in models.iter().enumerate() {
        for ((term, vc), (label, cells)) in model.random.rows().iter().zip(expected.iter()) {
            assert_eq!(term.label(), *label);
            let (s2, s) = cells[col];
            assert_eq!(vc.variance, variance(s2), "{label} {:?}", model.outcome);
            assert_eq!(vc.sd, variance(s), "{label} {:?}", model.outcome);
        }
    }
    // Spatial covariance (exp): s², s, y0, yf, nl()
    let cin = webb::TABLE3_CIN.spatial;
    assert_eq!((cin.variance, cin.sd), (0.3065, 0.5536));
    assert_eq!(
        cin.decay,
        webb::SpatialDecay::Estimated { start: 0.99, end: Bounded::Value(0.01), log_rate: -9.2 }
    );
    let cpp = webb::TABLE3_CPP.spatial;
    assert_eq!((cpp.variance, cpp.sd), (0.4348, 0.6594));
    assert_eq!(
        cpp.decay,
        webb::SpatialDecay::Estimated { start: 1.0, end: Bounded::LessThan(0.01), log_rate: -12.4 }
    );
    let cla = webb::TABLE3_CLA.spatial;
    assert_eq!((cla.variance, cla.sd), (0.2998, 0.5476));
    assert_eq!(cla.decay, webb::SpatialDecay::SingularGradient);
    // N LSOA; N MSOA (LA)
    let n = |m: &webb::FinalModel| (m.n.lsoa, m.n.msoa, m.n.la);
    assert_eq!(n(&webb::TABLE3_CIN), (2707, 543, 13));
    assert_eq!(n(&webb::TABLE3_CPP), (4115, 837, 18));
    assert_eq!(n(&webb::TABLE3_CLA), (4115, 837, 18));
    for outcome in webb::Outcome::ALL {
        assert_eq!(webb::table3(outcome).outcome, outcome);
    }
}

#[test]
fn webb_table4_context_gradients() {
    use webb::LaContext::*;
    use webb::Outcome::*;
    // First panel: Low Deprivation, High Deprivation, Low Income Inequality, High Income Inequality.
    // Second panel: (High dep, High ineq), (Low dep, High ineq), (High dep, Low ineq), (Low dep, Low ineq).
    // "*" = not statistically significant.
    #[rustfmt::skip]
    let expected = [
        (Cin, [(LowDeprivation, "1.672"), (HighDeprivation, "1.438"), (LowInequality, "1.378"), (HighInequality, "1.746")]),
        (Cpp, [(LowDeprivation, "1.846*"), (HighDeprivation, "1.642*"), (LowInequality, "1.475"), (HighInequality, "2.056")]),
        (Cla, [(LowDeprivation, "1.936"), (HighDeprivation, "1.489"), (LowInequality, "1.435"), (HighInequality, "2.009")]),
        (Cin, [(HighDeprivationHighInequality, "1.619"), (LowDeprivationHighInequality, "1.882"), (HighDeprivationLowInequality, "1.278"), (LowDeprivationLowInequality, "1.486")]),
        (Cpp, [(HighDeprivationHighInequality, "1.939"), (LowDeprivationHighInequality, "2.179"), (HighDeprivationLowInequality, "1.391"), (LowDeprivationLowInequality, "1.563")]),
        (Cla, [(HighDeprivationHighInequality, "1.762"), (LowDeprivationHighInequality, "2.291"), (HighDeprivationLowInequality, "1.258"), (LowDeprivationLowInequality, "1.636")]),
    ];
    let flat: Vec<_> = expected.iter().flat_map(|(o, cells)| cells.iter().map(move |c| (*o, *c))).collect();
    assert_eq!(webb::TABLE4_CONTEXT_GRADIENTS.len(), flat.len());
    for (cell, (outcome, (context, printed))) in webb::TABLE4_CONTEXT_GRADIENTS.iter().zip(flat) {
        assert_eq!((cell.outcome, cell.context), (outcome, context));
        let value: f64 = printed.trim_end_matches('*').parse().unwrap();
        assert_eq!(cell.gradient, value, "{outcome:?} {context:?}");
        assert_eq!(cell.significant, !printed.ends_with('*'), "{outcome:?} {context:?}");
    }
    // Context z-scores: low/high = -1/+1 SD of LA IMD and LA Gini.
    assert_eq!(LowDeprivationHighInequality.z(), (-1.0, 1.0));
    assert_eq!(HighInequality.z(), (0.0, 1.0));
}

#[allow(clippy::type_complexity)]
fn check_appendix(
    table: &webb::AppendixTable,
    fixed: &[(&str, &[(f64, &str)])],
    random: &[(&str, &[(&str, &str)])],
    n: (u32, u32, u32),
) {
    assert_eq!((table.n.lsoa, table.n.msoa, table.n.la), n, "{}", table.table);
    for (i, model) in table.models.iter().enumerate() {
        assert_eq!(usize::from(model.model), i + 1);
    }
    // Fixed effects: every row of every model.
    assert_eq!(fixed.len(), 14);
    for (row, (label, cells)) in fixed.iter().enumerate() {
        let first_model = 5 - cells.len();
        for (m, model) in table.models.iter().enumerate() {
            let (term, got) = model.fixed.rows()[row];
            assert_eq!(term.label(), *label);
            let want = m.checked_sub(first_model).map(|k| cells[k]);
            match (got, want) {
                (None, None) => {}
                (Some(g), Some((b, mark))) => {
                    assert_eq!(g.b, b, "{} {label} Model {}", table.table, m + 1);
                    assert_eq!(g.significance, sig(mark), "{} {label} Model {}", table.table, m + 1);
                }
                _ => panic!("{} {label} Model {}: presence differs", table.table, m + 1),
            }
        }
    }
    // Random effects and the spatial row.
    assert_eq!(random.len(), 9);
    for (row, (label, cells)) in random.iter().enumerate() {
        let first_model = 5 - cells.len();
        for (m, model) in table.models.iter().enumerate() {
            let got = if row < 8 {
                let (term, vc) = model.random.rows()[row];
                assert_eq!(term.label(), *label);
                *vc
            } else {
                assert_eq!(*label, "Spatial correlation (exp)");
                model.spatial
            };
            let want = m.checked_sub(first_model).map(|k| cells[k]);
            match (got, want) {
                (None, None) => {}
                (Some(g), Some((s2, s))) => {
                    assert_eq!(g.variance, variance(s2), "{} {label} Model {}", table.table, m + 1);
                    assert_eq!(g.sd, variance(s), "{} {label} Model {}", table.table, m + 1);
                }
                _ => panic!("{} {label} Model {}: presence differs", table.table, m + 1),
            }
        }
    }
}

#[test]
fn webb_table_a1() {
    #[rustfmt::skip]
    let fixed: [(&str, &[(f64, &str)]); 14] = [
        ("LSOA IMD Score", &[(0.5380, "***"), (0.5278, "***"), (0.5125, "***"), (0.4392, "***")]),
        ("Mixed Heritage %", &[(0.0377, "*"), (0.0389, "*"), (0.0276, "")]),
        ("Asian Indian %", &[(-0.0025, ""), (0.0007, ""), (0.0047, "")]),
        ("Asian Pakistani %", &[(0.0179, ""), (0.0193, ""), (0.0162, "")]),
        ("Asian Bangladeshi %", &[(0.0016, ""), (0.0015, ""), (0.0117, "")]),
        ("Black African/ Caribbean/Other %", &[(-0.0032, ""), (-0.0091, ""), (0.0060, "")]),
        ("LA IMD Score", &[(0.1965, ""), (0.2280, "."), (0.3453, "*")]),
        ("JSA 5 Year Average %", &[(0.0192, ""), (0.0304, ""), (-0.1065, "")]),
        ("Infant mortality per 1,000", &[(0.0491, ""), (0.0394, ""), (0.0857, "*")]),
        ("Level 4 Qualification %", &[(0.0167, ""), (-0.0222, ""), (-0.0794, "")]),
        ("Gini coefficient", &[(-0.0763, ""), (-0.1024, "")]),
        ("LA IMD * LSOA IMD", &[(0.0049, ""), (-0.0927, "***"), (-0.0752, "*")]),
        ("Gini * LSOA IMD", &[(0.1342, "***"), (0.1183, "***")]),
        ("Intercept", &[(5.5576, "***"), (5.4930, "***"), (5.4439, "***"), (5.4552, "***"), (5.4952, "***")]),
    ];
    #[rustfmt::skip]
    let random: [(&str, &[(&str, &str)]); 9] = [
        ("MSOA", &[("0.2676", "0.5173"), ("0.0556", "0.2358"), ("0.0479", "0.2189"), ("0.0479", "0.2188"), ("0.1269", "0.3562")]),
        ("LA", &[("0.0799", "0.2828"), ("0.0834", "0.2888"), ("0.0259", "0.1610"), ("0.0244", "0.1563"), ("~0", "~0")]),
        ("LA – Mixed Heritage %", &[("0.0009", "0.0296"), ("0.0007", "0.0268"), ("0.0509", "0.2256")]),
        ("LA – Asian Indian %", &[("0.0019", "0.0433"), ("0.0019", "0.0433"), ("0.0565", "0.2376")]),
        ("LA – Asian Pakistani %", &[("0.0006", "0.0239"), ("0.0005", "0.0231"), ("0.0286", "0.1691")]),
        ("LA – Asian Bangladeshi %", &[("0.0005", "0.0222"), ("0.0006", "0.0239"), ("0.0389", "0.1973")]),
        ("LA – Black A/C/O %", &[("0.0007", "0.0271"), ("0.0011", "0.0334"), ("0.0422", "0.2055")]),
        ("LA – LSOA IMD Score", &[("0.0128", "0.1129"), ("0.0129", "0.1137"), ("0.0019", "0.0432"), ("0.0741", "0.2722")]),
        ("Spatial correlation (exp)", &[("0.3065", "0.5536")]),
    ];
    check_appendix(&webb::TABLE_A1_CIN, &fixed, &random, (2707, 543, 13));
    assert_eq!(webb::appendix(webb::Outcome::Cin).table, "Table A1");
}

#[test]
fn webb_table_a2() {
    #[rustfmt::skip]
    let fixed: [(&str, &[(f64, &str)]); 14] = [
        ("LSOA IMD Score", &[(0.5576, "***"), (0.5670, "***"), (0.5609, "***"), (0.5542, "***")]),
        ("Mixed Heritage %", &[(0.0643, ""), (0.0640, ""), (0.0723, "***")]),
        ("Asian Indian %", &[(0.0433, ""), (0.0439, ""), (0.0458, "")]),
        ("Asian Pakistani %", &[(0.0251, ""), (-0.0221, ""), (-0.0198, "")]),
        ("Asian Bangladeshi %", &[(0.0110, ""), (-0.0093, ""), (-0.0079, "")]),
        ("Black African/ Caribbean/Other %", &[(0.0389, ""), (-0.0359, ""), (-0.0366, "")]),
        ("LA IMD Score", &[(0.1231, ""), (0.0886, ""), (0.0565, "")]),
        ("JSA 5 Year Average %", &[(0.0047, ""), (-0.0316, ""), (0.0732, "")]),
        ("Infant mortality per 1,000", &[(-0.0358, ""), (-0.0086, ""), (-0.0012, "")]),
        ("Level 4 Qualification %", &[(-0.1090, ""), (-0.0409, ""), (0.0553, "")]),
        ("Gini coefficient", &[(0.1198, ""), (0.0832, "")]),
        ("LA IMD * LSOA IMD", &[(0.0527, ""), (-0.0664, "."), (-0.0584, "")]),
        ("Gini * LSOA IMD", &[(0.1673, "***"), (0.1661, "***")]),
        ("Intercept", &[(3.8212, "***"), (3.4321, "***"), (3.4083, "***"), (3.4076, "***"), (3.4500, "***")]),
    ];
    #[rustfmt::skip]
    let random: [(&str, &[(&str, &str)]); 9] = [
        ("MSOA", &[("0.3159", "0.5620"), ("0.0950", "0.3082"), ("0.0711", "0.2666"), ("0.0068", "0.0261"), ("0.2355", "0.4853")]),
        ("LA", &[("0.1047", "0.3236"), ("0.0926", "0.3043"), ("0.0502", "0.2241"), ("0.0039", "0.0197"), ("~0", "~0")]),
        ("LA – Mixed Heritage %", &[("0.0202", "0.1420"), ("0.0017", "0.0130"), ("0.1336", "0.3655")]),
        ("LA – Asian Indian %", &[("0.0086", "0.0927"), ("0.0011", "0.0106"), ("0.1102", "0.3319")]),
        ("LA – Asian Pakistani %", &[("0.0050", "0.0705"), ("0.0004", "0.0064"), ("0.0659", "0.2568")]),
        ("LA – Asian Bangladeshi %", &[("0.0033", "0.0571"), ("0.0003", "0.0056"), ("0.0655", "0.2560")]),
        ("LA – Black A/C/O %", &[("0.0234", "0.1529"), ("0.0020", "0.0141"), ("0.1485", "0.3854")]),
        ("LA – LSOA IMD Score", &[("0.0250", "0.1580"), ("0.0147", "0.1212"), ("1.016e-09", "3.187e-05"), ("0.0315", "0.1775")]),
        ("Spatial correlation (exp)", &[("0.4348", "0.6594")]),
    ];
    check_appendix(&webb::TABLE_A2_CPP, &fixed, &random, (4115, 837, 18));
    assert_eq!(webb::appendix(webb::Outcome::Cpp).table, "Table A2");
}

#[test]
fn webb_table_a3() {
    #[rustfmt::skip]
    let fixed: [(&str, &[(f64, &str)]); 14] = [
        ("LSOA IMD Score", &[(0.5576, "***"), (0.5085, "***"), (0.5098, "***"), (0.5293, "***")]),
        ("Mixed Heritage %", &[(0.1019, "***"), (0.1010, "***"), (0.1051, "***")]),
        ("Asian Indian %", &[(0.0454, ""), (0.0480, ""), (0.0506, "")]),
        ("Asian Pakistani %", &[(-0.0057, ""), (-0.0045, ""), (-0.0087, "")]),
        ("Asian Bangladeshi %", &[(-0.0123, ""), (-0.0096, ""), (-0.0112, "")]),
        ("Black African/ Caribbean/Other %", &[(0.0193, ""), (0.0160, ""), (0.0218, "")]),
        ("LA IMD Score", &[(0.2854, "***"), (0.2529, "***"), (0.2723, "***")]),
        ("JSA 5 Year Average %", &[(-0.0966, ""), (-0.0968, ""), (-0.1146, "")]),
        ("Infant mortality per 1,000", &[(0.0311, ""), (0.0358, "."), (0.0403, "")]),
        ("Level 4 Qualification %", &[(-0.1639, ""), (-0.1320, ""), (-0.1329, "***")]),
        ("Gini coefficient", &[(0.0601, ""), (0.0627, "")]),
        ("LA IMD * LSOA IMD", &[(-0.0019, ""), (-0.1202, "***"), (-0.1313, "***")]),
        ("Gini * LSOA IMD", &[(0.1629, "***"), (0.1683, "***")]),
        ("Intercept", &[(3.8212, "***"), (3.4321, "***"), (3.6829, "***"), (3.6842, "***"), (3.6940, "***")]),
    ];
    #[rustfmt::skip]
    let random: [(&str, &[(&str, &str)]); 9] = [
        ("MSOA", &[("0.3159", "0.5620"), ("0.0950", "0.3082"), ("0.0035", "0.0186"), ("0.0032", "0.0180"), ("0.1526", "0.3907")]),
        ("LA", &[("0.1047", "0.3236"), ("0.0926", "0.3043"), ("7.335e-10", "2.708e-05"), ("1.466e-10", "1.211e-05"), ("~0", "~0")]),
        ("LA – Mixed Heritage %", &[("7.257e-10", "2.694e-05"), ("4.724e-10", "2.174e-05"), ("0.0005", "0.0235")]),
        ("LA – Asian Indian %", &[("6.702e-03", "0.0082"), ("7.247e-03", "0.0085"), ("0.0912", "0.3020")]),
        ("LA – Asian Pakistani %", &[("4.240e-10", "2.059e-05"), ("5.386e-10", "2.321e-05"), ("0.0001", "0.0104")]),
        ("LA – Asian Bangladeshi %", &[("1.530e-03", "0.0039"), ("2.082e-03", "0.0046"), ("0.0437", "0.2090")]),
        ("LA – Black A/C/O %", &[("4.736e-03", "0.0069"), ("4.918e-03", "0.0070"), ("0.0830", "0.2881")]),
        ("LA – LSOA IMD Score", &[("0.0250", "0.1580"), ("0.0024", "0.0155"), ("0.0004", "0.0062"), ("0.0866", "0.2943")]),
        ("Spatial correlation (exp)", &[("0.2998", "0.5476")]),
    ];
    check_appendix(&webb::TABLE_A3_CLA, &fixed, &random, (4115, 837, 18));
    assert_eq!(webb::appendix(webb::Outcome::Cla).table, "Table A3");
}

#[test]
fn webb_model_5_of_each_appendix_is_table_3() {
    for outcome in webb::Outcome::ALL {
        let final_model = webb::table3(outcome);
        let model5 = &webb::appendix(outcome).models[4];
        for ((t3, c), (t5, a)) in final_model.fixed.rows().iter().zip(model5.fixed.rows().iter()) {
            assert_eq!(t3, t5);
            let a = a.expect("Model 5 has every term");
            assert_eq!((c.b, c.significance), (a.b, a.significance), "{outcome:?} {t3:?}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Hood et al. 2021
// ---------------------------------------------------------------------------------------------

/// (label, total population, N, %, rate per 10,000, score, CI low, CI high, Low IMD, High IMD,
/// interaction effect, significance mark)
type HoodRow = (&'static str, Option<u32>, u32, f64, f64, f64, f64, f64, f64, f64, f64, &'static str);

fn check_gradient_table(table: &hood::GradientTable, name: &str, expected: &[HoodRow]) {
    assert_eq!(table.table, name);
    assert_eq!(table.rows.len(), expected.len(), "{name}");
    for (row, e) in table.rows.iter().zip(expected) {
        let (label, population, n, percent, rate, score, lo, hi, low, high, ie, mark) = *e;
        assert_eq!(row.label, label, "{name}");
        assert_eq!(row.population, population, "{name} {label}");
        assert_eq!(row.n, n, "{name} {label}");
        assert_eq!(row.percent, percent, "{name} {label}");
        assert_eq!(row.rate_per_10000, rate, "{name} {label}");
        assert_eq!(row.score, score, "{name} {label}");
        assert_eq!((row.ci.low, row.ci.high), (lo, hi), "{name} {label}");
        assert_eq!((row.low_imd, row.high_imd), (low, high), "{name} {label}");
        assert_eq!(row.interaction, ie, "{name} {label}");
        assert_eq!(row.significance, sig(mark), "{name} {label}");
    }
}

#[test]
fn hood_table2_thresholds() {
    #[rustfmt::skip]
    let expected: [HoodRow; 6] = [
        ("Referral", None, 300_830, 100.0, 400.3, 1.62, 1.62, 1.63, 2.03, 1.29, 0.80, "***"),
        ("Assessment", None, 295_591, 98.3, 393.3, 1.62, 1.61, 1.63, 2.06, 1.27, 0.79, "***"),
        ("CIN", None, 186_112, 61.9, 247.6, 1.64, 1.63, 1.64, 2.05, 1.31, 0.80, "***"),
        ("S47", None, 98_517, 32.7, 131.1, 1.69, 1.68, 1.70, 2.16, 1.32, 0.78, "***"),
        ("CP Conference", None, 33_685, 11.2, 44.8, 1.80, 1.78, 1.82, 2.38, 1.36, 0.76, "***"),
        ("CP Plan", None, 31_380, 10.4, 41.8, 1.80, 1.78, 1.82, 2.33, 1.39, 0.77, "***"),
    ];
    check_gradient_table(&hood::TABLE2_THRESHOLDS, "Table 2", &expected);
}

#[test]
fn hood_table3_gender() {
    #[rustfmt::skip]
    let expected: [HoodRow; 2] = [
        ("Males", Some(3_851_406), 152_945, 51.2, 397.1, 1.62, 1.62, 1.63, 2.03, 1.30, 0.80, "***"),
        ("Females", Some(3_664_378), 147_554, 48.8, 402.7, 1.62, 1.61, 1.63, 2.03, 1.29, 0.80, "***"),
    ];
    check_gradient_table(&hood::TABLE3_GENDER, "Table 3", &expected);
}

#[test]
fn hood_table4_age() {
    #[rustfmt::skip]
    let expected: [HoodRow; 11] = [
        ("Age 5", Some(690_987), 22_540, 9.2, 326.2, 1.67, 1.64, 1.69, 2.09, 1.33, 0.80, "***"),
        ("Age 6", Some(706_617), 26_966, 9.4, 381.6, 1.65, 1.64, 1.67, 2.02, 1.36, 0.82, "***"),
        ("Age 7", Some(727_796), 28_431, 9.7, 390.6, 1.64, 1.62, 1.66, 2.02, 1.33, 0.81, "***"),
        ("Age 8", Some(712_064), 28_642, 9.5, 402.2, 1.64, 1.62, 1.66, 2.07, 1.30, 0.79, "***"),
        ("Age 9", Some(700_084), 28_634, 9.3, 409.0, 1.62, 1.60, 1.64, 2.01, 1.30, 0.80, "***"),
        ("Age 10", Some(689_618), 28_434, 9.2, 412.3, 1.65, 1.63, 1.66, 2.12, 1.28, 0.78, "***"),
        ("Age 11", Some(695_642), 27_776, 9.3, 399.3, 1.63, 1.61, 1.65, 2.03, 1.31, 0.80, "***"),
        ("Age 12", Some(673_685), 27_158, 9.0, 403.1, 1.63, 1.61, 1.65, 2.07, 1.28, 0.79, "***"),
        ("Age 13", Some(660_846), 27_298, 8.8, 413.1, 1.61, 1.59, 1.63, 1.99, 1.30, 0.81, "***"),
        ("Age 14", Some(633_942), 27_826, 8.4, 438.9, 1.60, 1.58, 1.61, 2.00, 1.27, 0.80, "***"),
        ("Age 15", Some(624_503), 27_125, 8.3, 434.3, 1.61, 1.59, 1.63, 2.03, 1.28, 0.79, "***"),
    ];
    check_gradient_table(&hood::TABLE4_AGE, "Table 4", &expected);
}

#[test]
fn hood_table5_ethnicity() {
    #[rustfmt::skip]
    let expected: [HoodRow; 5] = [
        ("Asian", Some(736_865), 23_423, 9.8, 317.9, 1.29, 1.25, 1.32, 1.54, 1.07, 0.83, "***"),
        ("Black", Some(390_289), 20_823, 5.2, 533.5, 1.27, 1.23, 1.31, 1.60, 1.01, 0.79, "***"),
        ("Mixed", Some(375_954), 21_659, 5.0, 576.1, 1.63, 1.60, 1.66, 2.21, 1.20, 0.74, "***"),
        ("Other", Some(133_247), 6_426, 1.8, 482.3, 1.71, 1.63, 1.78, 2.31, 1.26, 0.74, "***"),
        ("White", Some(5_879_430), 216_225, 78.2, 367.8, 1.91, 1.90, 1.92, 2.57, 1.42, 0.74, "***"),
    ];
    check_gradient_table(&hood::TABLE5_ETHNICITY, "Table 5", &expected);
}

#[test]
fn hood_table6_factors_at_assessment() {
    #[rustfmt::skip]
    let expected: [HoodRow; 23] = [
        ("Child's alcohol misuse", None, 5_109, 2.3, 6.8, 1.63, 1.59, 1.67, 2.21, 1.21, 0.74, "***"),
        ("Parent's alcohol misuse", None, 33_153, 14.7, 44.1, 1.63, 1.61, 1.64, 2.11, 1.26, 0.77, "***"),
        ("Child's drug misuse", None, 9_046, 4.0, 12.0, 1.67, 1.64, 1.70, 2.21, 1.26, 0.76, "***"),
        ("Parent's drug misuse", None, 27_685, 12.3, 36.8, 1.80, 1.78, 1.82, 2.46, 1.33, 0.73, "***"),
        ("DV concerns (child)", None, 26_681, 11.8, 35.5, 1.66, 1.64, 1.68, 2.16, 1.27, 0.77, "***"),
        ("DV concerns (parent)", None, 68_179, 30.2, 90.7, 1.67, 1.65, 1.68, 2.17, 1.28, 0.77, "***"),
        ("Child's mental health", None, 29_671, 13.1, 39.5, 1.56, 1.54, 1.57, 1.96, 1.24, 0.80, "***"),
        ("Parent's mental health", None, 60_564, 26.8, 80.6, 1.66, 1.65, 1.68, 2.11, 1.31, 0.79, "***"),
        ("Child's learning disability", None, 23_792, 10.5, 31.7, 1.51, 1.49, 1.53, 1.92, 1.19, 0.79, "***"),
        ("Parent's learning disability", None, 4_776, 2.1, 6.4, 1.78, 1.73, 1.82, 2.38, 1.33, 0.75, "***"),
        ("Child's physical disability", None, 11_822, 5.2, 15.7, 1.47, 1.44, 1.50, 1.76, 1.22, 0.83, "***"),
        ("Parent's physical disability", None, 12_020, 5.3, 16.0, 1.68, 1.66, 1.71, 2.21, 1.28, 0.76, "***"),
        ("Young carer", None, 9_627, 4.3, 12.8, 1.73, 1.70, 1.76, 2.06, 1.45, 0.84, "***"),
        ("Going/being missing", None, 6_979, 3.1, 9.3, 1.66, 1.62, 1.69, 2.13, 1.29, 0.78, "***"),
        ("Child sexual exploitation", None, 8_683, 3.8, 11.6, 1.63, 1.60, 1.66, 2.15, 1.23, 0.76, "***"),
        ("Gangs", None, 4_240, 1.9, 5.6, 1.76, 1.70, 1.81, 2.27, 1.36, 0.78, "***"),
        ("Soc. unacceptable behav.", None, 19_763, 8.8, 26.3, 1.70, 1.68, 1.73, 2.19, 1.33, 0.78, "***"),
        ("Self-harm", None, 10_792, 4.8, 14.4, 1.53, 1.50, 1.56, 1.79, 1.31, 0.85, "***"),
        ("Neglect", None, 40_485, 17.9, 53.9, 1.84, 1.82, 1.86, 2.51, 1.35, 0.73, "***"),
        ("Emotional abuse", None, 50_475, 22.4, 67.2, 1.64, 1.62, 1.65, 2.10, 1.28, 0.78, "***"),
        ("Physical abuse", None, 33_951, 15.0, 45.2, 1.63, 1.61, 1.64, 2.02, 1.31, 0.80, "***"),
        ("Sexual abuse", None, 15_120, 6.7, 20.1, 1.58, 1.56, 1.61, 1.96, 1.28, 0.81, "***"),
        ("Other", None, 42_663, 18.9, 56.8, 1.60, 1.58, 1.61, 2.01, 1.27, 0.79, "***"),
    ];
    check_gradient_table(&hood::TABLE6_ASSESSMENT_FACTORS, "Table 6", &expected);
}

#[test]
fn hood_table7_cp_plan_categories() {
    #[rustfmt::skip]
    let expected: [HoodRow; 5] = [
        ("CPP Category: Emotional", None, 12_798, 40.8, 17.0, 1.67, 1.64, 1.70, 2.12, 1.31, 0.79, "***"),
        ("CPP Category: Neglect", None, 13_780, 43.9, 18.3, 1.98, 1.95, 2.01, 2.57, 1.52, 0.77, "***"),
        ("CPP Category: Physical", None, 2_287, 7.3, 3.0, 1.72, 1.66, 1.79, 2.14, 1.39, 0.81, "***"),
        ("CPP Category: Sexual", None, 1_530, 4.9, 2.0, 1.62, 1.54, 1.70, 1.74, 1.50, 0.93, ""),
        ("CPP Category: Multiple", None, 985, 3.1, 1.3, 1.65, 1.56, 1.75, 2.38, 1.15, 0.69, "***"),
    ];
    check_gradient_table(&hood::TABLE7_CP_PLAN_CATEGORIES, "Table 7", &expected);
}

#[test]
fn hood_table8_referral_source() {
    #[rustfmt::skip]
    let expected: [HoodRow; 6] = [
        ("Individuals", None, 25_408, 8.4, 33.8, 1.50, 1.49, 1.52, 1.90, 1.19, 0.79, "***"),
        ("Schools & education", None, 77_264, 25.7, 102.8, 1.65, 1.64, 1.66, 2.07, 1.31, 0.80, "***"),
        ("Health services", None, 34_053, 11.3, 45.3, 1.55, 1.53, 1.57, 1.88, 1.28, 0.83, "***"),
        ("LA and housing serv.", None, 39_697, 13.2, 52.8, 1.67, 1.66, 1.69, 2.08, 1.34, 0.80, "***"),
        ("Police", None, 86_868, 28.9, 115.6, 1.65, 1.64, 1.66, 2.10, 1.29, 0.79, "***"),
        ("Other", None, 37_620, 12.5, 50.1, 1.61, 1.60, 1.63, 2.01, 1.29, 0.80, "***"),
    ];
    check_gradient_table(&hood::TABLE8_REFERRAL_SOURCE, "Table 8", &expected);
}

/// (N, %, score, CI, Low IMD, High IMD, interaction, mark) of the "No" and "Yes" rows.
type ComparativeRowExpected = (u32, f64, f64, Option<(f64, f64)>, f64, f64, f64, &'static str);

fn check_comparative(
    table: &hood::ComparativeTable,
    name: &str,
    expected: &[(&str, ComparativeRowExpected, ComparativeRowExpected)],
) {
    assert_eq!(table.table, name);
    assert_eq!(table.groups.len(), expected.len());
    for (group, (label, no, yes)) in table.groups.iter().zip(expected) {
        assert_eq!(group.label, *label);
        for (row, (row_label, e)) in [(&group.reference, ("No", no)), (&group.comparison, ("Yes", yes))] {
            let (n, percent, score, ci, low, high, ie, mark) = *e;
            assert_eq!(row.label, row_label);
            assert_eq!((row.n, row.percent, row.score), (n, percent, score), "{name} {label} {row_label}");
            assert_eq!(row.ci.map(|c| (c.low, c.high)), ci, "{name} {label} {row_label}");
            assert_eq!(
                (row.low_imd, row.high_imd, row.interaction),
                (low, high, ie),
                "{name} {label} {row_label}"
            );
            assert_eq!(row.significance, sig(mark), "{name} {label} {row_label}");
        }
    }
}

#[test]
fn hood_tables_9_12_13_comparative_scores() {
    check_comparative(
        &hood::TABLE9_REPEAT_EPISODES,
        "Table 9",
        &[
            (
                "Re-referral within 12 months",
                (227_002, 75.5, 1.00, None, 1.00, 1.00, 1.00, ""),
                (73_828, 24.5, 1.10, Some((1.09, 1.11)), 1.14, 1.06, 0.97, "***"),
            ),
            (
                "Prior CPP (ever)",
                (22_473, 71.6, 1.00, None, 1.00, 1.00, 1.00, ""),
                (8_907, 28.4, 1.13, Some((1.10, 1.16)), 1.21, 1.06, 0.94, "**"),
            ),
        ],
    );
    check_comparative(
        &hood::TABLE12_CIN_CEASE_TIMES,
        "Table 12",
        &[(
            "CIN ceased within 3 months",
            (81_493, 53.7, 1.00, None, 1.00, 1.00, 1.00, ""),
            (70_208, 46.2, 0.96, Some((0.94, 0.98)), 0.93, 1.00, 1.04, "***"),
        )],
    );
    check_comparative(
        &hood::TABLE13_CPP_CEASE_TIMES,
        "Table 13",
        &[(
            "CPP ceased within 6 months",
            (24_990, 76.5, 1.00, None, 1.00, 1.00, 1.00, ""),
            (7_657, 23.5, 0.88, Some((0.86, 0.91)), 0.85, 0.92, 1.04, ""),
        )],
    );
}

#[test]
fn hood_tables_10_11_14_15_grids() {
    // Rows: Local Authority Low/Mid/High dep.; columns: LSOA Low/Mid/High dep.
    #[rustfmt::skip]
    let expected: [(&str, [[f64; 3]; 3]); 4] = [
        ("Table 10", [[22.8, 25.9, 29.6], [22.3, 24.5, 27.0], [21.8, 23.1, 24.6]]),
        ("Table 11", [[26.6, 32.1, 38.8], [25.1, 28.4, 32.2], [23.6, 25.1, 26.7]]),
        ("Table 14", [[47.7, 44.2, 40.9], [47.9, 46.2, 44.6], [48.1, 48.3, 48.6]]),
        ("Table 15", [[26.4, 22.4, 19.0], [26.6, 23.5, 20.8], [26.7, 24.6, 22.7]]),
    ];
    assert_eq!(hood::DEPRIVATION_GRIDS.len(), expected.len());
    for (grid, (name, cells)) in hood::DEPRIVATION_GRIDS.iter().zip(expected) {
        assert_eq!(grid.table, name);
        assert_eq!(grid.percent, cells, "{name}");
    }
}

#[test]
fn hood_tables_16_17_context_gradients() {
    // Referrals, CIN, CPP; each Low dep., Mid dep., High dep.
    #[rustfmt::skip]
    let table16: [(&str, [f64; 9]); 2] = [
        ("Rural", [2.31, 1.88, 1.53, 2.30, 1.87, 1.52, 2.78, 2.20, 1.74]),
        ("Urban", [1.96, 1.59, 1.30, 1.98, 1.61, 1.31, 2.23, 1.76, 1.40]),
    ];
    #[rustfmt::skip]
    let table17: [(&str, [f64; 9]); 3] = [
        ("Low density", [2.18, 1.71, 1.35, 2.18, 1.72, 1.35, 2.55, 1.93, 1.47]),
        ("Mid density", [2.08, 1.64, 1.29, 2.09, 1.65, 1.30, 2.40, 1.82, 1.38]),
        ("High density", [1.98, 1.56, 1.23, 2.01, 1.58, 1.25, 2.27, 1.72, 1.30]),
    ];
    fn cells<C>(row: &hood::ContextRow<C>) -> [f64; 9] {
        let (r, c, p) = (row.referral, row.cin, row.cpp);
        [r.low, r.mid, r.high, c.low, c.mid, c.high, p.low, p.mid, p.high]
    }
    assert_eq!(hood::TABLE16_URBAN_RURAL.len(), 2);
    for (row, (label, want)) in hood::TABLE16_URBAN_RURAL.iter().zip(table16) {
        assert_eq!(row.label, label);
        assert_eq!(cells(row), want, "{label}");
    }
    assert_eq!(hood::TABLE17_DENSITY.len(), 3);
    for (row, (label, want)) in hood::TABLE17_DENSITY.iter().zip(table17) {
        assert_eq!(row.label, label);
        assert_eq!(cells(row), want, "{label}");
    }
    assert_eq!(hood::table16(hood::Area::Rural).label, "Rural");
    assert_eq!(hood::table16(hood::Area::Urban).label, "Urban");
    assert_eq!(hood::table17(hood::Density::Low).label, "Low density");
    assert_eq!(hood::table17(hood::Density::Mid).label, "Mid density");
    assert_eq!(hood::table17(hood::Density::High).label, "High density");
}

type IndicatorExpected = (&'static str, [Option<(f64, f64, f64)>; 3]);

fn check_indicators(rows: &[hood::IndicatorRow], name: &str, expected: &[IndicatorExpected]) {
    assert_eq!(rows.len(), expected.len(), "{name}");
    for (row, (label, cells)) in rows.iter().zip(expected) {
        assert_eq!(row.indicator, *label, "{name}");
        let got = [row.unadjusted, row.adjusted_for_la_imd, row.la_imd_adjusted];
        for (g, w) in got.iter().zip(cells) {
            assert_eq!(g.map(|r| (r.rr, r.ci.low, r.ci.high)), *w, "{name} {label}");
        }
    }
}

#[test]
fn hood_table18_la_indicators_and_rates() {
    #[rustfmt::skip]
    let expected: [IndicatorExpected; 23] = [
        ("LA income IMD [z-score]", [Some((1.15, 1.07, 1.23)), None, Some((1.15, 1.07, 1.23))]),
        ("Total spend children's services (per LA child)", [Some((1.12, 1.05, 1.20)), Some((1.06, 0.97, 1.15)), Some((1.10, 1.00, 1.21))]),
        ("Spend children's safety (per LA child)", [Some((1.12, 1.05, 1.20)), Some((1.07, 0.99, 1.15)), Some((1.11, 1.03, 1.21))]),
        ("Spend children looked after (per LA child)", [Some((1.15, 1.08, 1.23)), Some((1.10, 1.02, 1.20)), Some((1.07, 0.98, 1.17))]),
        ("Spend early help (per LA child)", [Some((1.01, 0.95, 1.08)), Some((0.95, 0.88, 1.01)), Some((1.18, 1.09, 1.28))]),
        ("Spend children's safety (per CIN child)", [Some((0.89, 0.83, 0.95)), Some((0.91, 0.85, 0.97)), Some((1.13, 1.05, 1.21))]),
        ("Spend children looked after (per CLA child)", [Some((0.87, 0.81, 0.92)), Some((0.90, 0.84, 0.96)), Some((1.11, 1.03, 1.19))]),
        ("CSC workforce: CIN per social worker", [Some((1.10, 1.03, 1.19)), Some((1.09, 1.02, 1.17)), Some((1.12, 1.04, 1.20))]),
        ("CSC workforce: Vacancy rate", [Some((0.99, 0.93, 1.07)), Some((0.99, 0.93, 1.06)), Some((1.13, 1.05, 1.22))]),
        ("CSC workforce: Turnover rate", [Some((1.03, 0.96, 1.10)), Some((1.03, 0.96, 1.11)), Some((1.13, 1.05, 1.22))]),
        ("CSC workforce: Agency worker rate", [Some((1.03, 0.96, 1.10)), Some((1.03, 0.97, 1.10)), Some((1.13, 1.06, 1.22))]),
        ("CSC workforce: Caseloads", [Some((1.09, 1.03, 1.16)), Some((1.06, 1.00, 1.13)), Some((1.11, 1.03, 1.19))]),
        ("Infant mortality rate", [Some((1.15, 1.07, 1.24)), Some((1.10, 1.01, 1.19)), Some((1.10, 1.02, 1.20))]),
        ("% level 4 qualification", [Some((0.81, 0.75, 0.86)), Some((0.84, 0.78, 0.90)), Some((1.08, 1.01, 1.16))]),
        ("Sickness absence rate", [Some((1.08, 1.01, 1.17)), Some((1.06, 0.99, 1.14)), Some((1.14, 1.06, 1.23))]),
        ("DV related incidences / crimes", [Some((1.07, 0.99, 1.15)), Some((1.00, 0.92, 1.09)), Some((1.15, 1.06, 1.25))]),
        ("Adults in contact with mental health services (16+)", [Some((1.11, 1.03, 1.19)), Some((1.05, 0.97, 1.14)), Some((1.12, 1.03, 1.22))]),
        ("Utilisation of outdoor space for exercise / health", [Some((1.00, 0.93, 1.07)), Some((1.00, 0.93, 1.07)), Some((1.14, 1.05, 1.22))]),
        ("Estimated prevalence of depression (all ages)", [Some((1.11, 1.04, 1.20)), Some((1.10, 1.03, 1.18)), Some((1.13, 1.06, 1.22))]),
        ("Suicide rate (persons aged 1%+)", [Some((1.14, 1.06, 1.23)), Some((1.12, 1.04, 1.21)), Some((1.13, 1.05, 1.22))]),
        ("% population aged 65+", [Some((0.99, 0.92, 1.07)), Some((1.08, 1.00, 1.18)), Some((1.20, 1.10, 1.30))]),
        ("% population from ethnic minorities", [Some((0.96, 0.90, 1.03)), Some((0.90, 0.84, 0.97)), Some((1.19, 1.10, 1.28))]),
        ("% Rural neighbourhoods (% rural LSOAs)", [Some((0.94, 0.87, 1.01)), Some((1.02, 0.94, 1.11)), Some((1.16, 1.07, 1.26))]),
    ];
    check_indicators(&hood::TABLE18_LA_INDICATORS_RATES, "Table 18", &expected);
}

#[test]
fn hood_table19_la_indicators_and_gradient() {
    #[rustfmt::skip]
    let expected: [IndicatorExpected; 23] = [
        ("LA income IMD [z-score]", [Some((0.89, 0.89, 0.90)), None, Some((0.89, 0.89, 0.90))]),
        ("Total spend children's services (per LA child)", [Some((0.95, 0.94, 0.95)), Some((1.02, 1.02, 1.03)), Some((0.88, 0.87, 0.88))]),
        ("Spend children's safety (per LA child)", [Some((0.96, 0.95, 0.96)), Some((1.02, 1.01, 1.02)), Some((0.89, 0.88, 0.89))]),
        ("Spend children looked after (per LA child)", [Some((0.95, 0.95, 0.96)), Some((1.02, 1.01, 1.02)), Some((0.88, 0.88, 0.89))]),
        ("Spend early help (per LA child)", [Some((0.96, 0.96, 0.96)), Some((1.01, 1.01, 1.02)), Some((0.89, 0.88, 0.89))]),
        ("Spend children's safety (per CIN child)", [Some((1.02, 1.02, 1.03)), Some((1.01, 1.01, 1.01)), Some((0.89, 0.89, 0.90))]),
        ("Spend children looked after (per CLA child)", [Some((1.06, 1.06, 1.06)), Some((1.01, 1.00, 1.01)), Some((0.90, 0.89, 0.90))]),
        ("CSC workforce: CIN per social worker", [Some((1.00, 0.99, 1.00)), Some((1.00, 1.00, 1.01)), Some((0.89, 0.89, 0.90))]),
        ("CSC workforce: Vacancy rate", [Some((1.01, 1.01, 1.01)), Some((1.01, 1.01, 1.02)), Some((0.89, 0.89, 0.90))]),
        ("CSC workforce: Turnover rate", [Some((1.01, 1.01, 1.01)), Some((1.02, 1.01, 1.02)), Some((0.89, 0.89, 0.90))]),
        ("CSC workforce: Agency worker rate", [Some((1.02, 1.01, 1.02)), Some((1.01, 1.01, 1.01)), Some((0.89, 0.89, 0.90))]),
        ("CSC workforce: Caseloads", [Some((0.98, 0.98, 0.98)), Some((1.01, 1.00, 1.01)), Some((0.89, 0.89, 0.89))]),
        ("Infant mortality rate", [Some((0.94, 0.94, 0.94)), Some((0.99, 0.99, 1.00)), Some((0.90, 0.89, 0.90))]),
        ("% level 4 qualification", [Some((1.07, 1.07, 1.08)), Some((1.01, 1.00, 1.01)), Some((0.89, 0.89, 0.90))]),
        ("Sickness absence rate", [Some((0.98, 0.98, 0.98)), Some((1.01, 1.00, 1.01)), Some((0.89, 0.89, 0.90))]),
        ("DV related incidences / crimes", [Some((0.95, 0.95, 0.96)), Some((0.99, 0.99, 0.99)), Some((0.90, 0.89, 0.90))]),
        ("Adults in contact with mental health services (16+)", [Some((0.96, 0.96, 0.96)), Some((1.00, 1.00, 1.01)), Some((0.89, 0.89, 0.89))]),
        ("Utilisation of outdoor space for exercise / health", [Some((1.02, 1.01, 1.02)), Some((1.01, 1.01, 1.01)), Some((0.89, 0.89, 0.90))]),
        ("Estimated prevalence of depression (all ages)", [Some((0.99, 0.99, 1.00)), Some((1.00, 1.00, 1.01)), Some((0.89, 0.89, 0.90))]),
        ("Suicide rate (persons aged 1%+)", [Some((0.98, 0.98, 0.99)), Some((1.00, 0.99, 1.00)), Some((0.89, 0.89, 0.90))]),
        ("% population aged 65+", [Some((1.08, 1.08, 1.08)), Some((1.02, 1.01, 1.02)), Some((0.90, 0.90, 0.91))]),
        ("% population from ethnic minorities", [Some((0.93, 0.93, 0.94)), Some((0.98, 0.97, 0.98)), Some((0.90, 0.90, 0.90))]),
        ("% Rural neighbourhoods (% rural LSOAs)", [Some((1.07, 1.07, 1.08)), Some((1.00, 1.00, 1.01)), Some((0.90, 0.89, 0.90))]),
    ];
    check_indicators(&hood::TABLE19_LA_INDICATORS_GRADIENT, "Table 19", &expected);
}

/// lower_snake_case of a printed label: apostrophes dropped, other non-alphanumeric runs as `_`.
fn snake(label: &str) -> String {
    let mut out = String::new();
    for ch in label.chars().filter(|c| *c != '\'') {
        if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

#[test]
fn hood_measure_names_are_unique_snake_case_labels() {
    let mut seen = HashSet::new();
    for table in hood::GRADIENT_TABLES {
        for row in table.rows {
            let expected = match (table.table, row.label) {
                ("Table 5", "Other") => "other_ethnicity".to_string(),
                ("Table 6", "Other") => "other_factor".to_string(),
                ("Table 8", "Other") => "other_source".to_string(),
                (_, label) => snake(label),
            };
            assert_eq!(row.measure, expected, "{} {}", table.table, row.label);
            assert!(seen.insert(row.measure), "duplicate measure {}", row.measure);
        }
    }
    for table in hood::COMPARATIVE_TABLES {
        for group in table.groups {
            assert_eq!(group.measure, snake(group.label), "{}", table.table);
            assert!(seen.insert(group.measure), "duplicate measure {}", group.measure);
        }
    }
    assert_eq!(seen.len(), 58 + 4);
    for name in [
        "referral",
        "cin",
        "cp_plan",
        "age_5",
        "age_15",
        "parents_drug_misuse",
        "cpp_category_neglect",
        "police",
    ] {
        assert!(seen.contains(name), "{name}");
    }
}

#[test]
fn hood_rates_quoted_in_the_text() {
    // Section 3.1 (under Figure 2), repeated in 3.9: "from 100 per 10,000 children ... less than 1%
    // ... to more than 1,340 per 10,000 children ... 64%".
    let [least, most] = &hood::REFERRAL_RATE_RANGE;
    assert_eq!((least.rate_per_10000, least.more_than), (100.0, false));
    assert_eq!((most.rate_per_10000, most.more_than), (1340.0, true));
    assert!(least.neighbourhoods.contains("less than 1%"));
    assert!(most.neighbourhoods.contains("64%"));
    // Section 3.7.1 (Figure 7): "higher in urban LSOAs compared with rural LSOAs (425 and 269
    // respectively)".
    let [urban, rural] = &hood::URBAN_RURAL_REFERRAL_RATES;
    assert_eq!((urban.neighbourhoods, urban.rate_per_10000), ("urban neighbourhoods", 425.0));
    assert_eq!((rural.neighbourhoods, rural.rate_per_10000), ("rural neighbourhoods", 269.0));
    for q in [least, most, urban, rural] {
        assert!(q.citation.starts_with("Hood et al. 2021, section 3."), "{}", q.citation);
    }
}
