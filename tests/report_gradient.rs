//! Social gradient scores: delta-method scores at moderator values against R, the Hood et al.
//! (2021) Table 2 layout against its published cells, and per-LA scores from random slopes.

#![allow(clippy::excessive_precision)]

use crate::report_support;

use approx::assert_relative_eq;
use report_support::{columns, design_a, fit_a, fit_b, fit_c, LA_IMD, LA_LEVELS};
use socgrad::fit::Family;
use socgrad::report::gradient::render_contexts;
use socgrad::report::la_gradients::{from_random_slopes, model_column, LaMeanInputs};
use socgrad::report::{gradient_contexts, gradient_score, ReportError};

/// In R, with `b <- fixef(fit_a)$cond`, `V <- vcov(fit_a)$cond` and `cc <- c(0, 1, 0, v)`:
/// `g <- sum(cc * b)`, `se <- sqrt(t(cc) %*% V %*% cc)`:
/// v, exp(g), exp(g -+ qnorm(0.975) se), se, 2 pnorm(-|g / se|).
const R_SCORES: [(f64, f64, f64, f64, f64, f64); 4] = [
    (
        -1.0,
        1.7373870309975472,
        1.2838729629212615,
        2.3510999784669462,
        0.15434008928737195,
        0.00034491917478248797,
    ),
    (
        0.0,
        1.407258361750144,
        1.1707350778340639,
        1.6915663792866988,
        0.093885176218125782,
        0.00027375278503863571,
    ),
    (
        1.0,
        1.1398589153613261,
        0.95716677827930052,
        1.3574210643461873,
        0.089125171895594255,
        0.14189482576327506,
    ),
    (
        0.5,
        1.2665212157155821,
        1.0799358650702193,
        1.4853437521064052,
        0.081313885281109069,
        0.0036642991842177315,
    ),
];

#[test]
fn gradient_score_matches_delta_method_in_r() {
    let fit = fit_a();
    for (v, score, lo, hi, se, p) in R_SCORES {
        let at: Vec<(&str, f64)> = if v == 0.0 { Vec::new() } else { vec![("la_imd", v)] };
        let g = gradient_score(&fit, "imd_z", &at).unwrap();
        assert_relative_eq!(g.score, score, max_relative = 1e-12);
        assert_relative_eq!(g.ci_low, lo, max_relative = 1e-12);
        assert_relative_eq!(g.ci_high, hi, max_relative = 1e-12);
        assert_relative_eq!(g.std_error, se, max_relative = 1e-12);
        assert_relative_eq!(g.p, p, max_relative = 1e-8);
        assert_eq!(g.at.len(), at.len());
    }
    // The moderator at 0 is the same as leaving it out.
    let zero = gradient_score(&fit, "imd_z", &[("la_imd", 0.0)]).unwrap();
    assert_relative_eq!(zero.score, R_SCORES[1].1, max_relative = 1e-15);
}

#[test]
fn interaction_found_in_either_order() {
    let mut fit = fit_a();
    fit.columns[3].parts.reverse();
    fit.terms[3] = fit.columns[3].name();
    assert_eq!(fit.terms[3], "la_imd:imd_z");
    let g = gradient_score(&fit, "imd_z", &[("la_imd", -1.0)]).unwrap();
    assert_relative_eq!(g.score, R_SCORES[0].1, max_relative = 1e-12);
}

#[test]
fn contexts_view_of_fit_a() {
    let c = gradient_contexts(&fit_a(), "imd_z", "la_imd", -1.0, 1.0).unwrap();
    assert_relative_eq!(c.score.score, R_SCORES[1].1, max_relative = 1e-12);
    assert_relative_eq!(c.low.score, R_SCORES[0].1, max_relative = 1e-12);
    assert_relative_eq!(c.high.score, R_SCORES[2].1, max_relative = 1e-12);
    // exp(confint(fit_a, method = "Wald"))["imd_z:la_imd", ] and its p-value
    assert_eq!(c.interaction.term, "imd_z:la_imd");
    assert_relative_eq!(c.interaction.irr, 0.80998553381749672, max_relative = 1e-12);
    assert_relative_eq!(c.interaction.irr_ci_low, 0.68693763927425699, max_relative = 1e-12);
    assert_relative_eq!(c.interaction.irr_ci_high, 0.95507441648815983, max_relative = 1e-12);
    assert_relative_eq!(c.interaction.p, 1.2185472684925664e-02, max_relative = 1e-8);
    assert_eq!(c.interaction_stars, "*");
}

/// Hood et al. (2021) national report (seed 001_d01d26d66ffa3560.txt), Table 2, rows
/// "CP Plan" (1.80 (1.78 to 1.82), low IMD 2.33, high IMD 1.39, interaction 0.77***) and
/// "Referral" (1.62 (1.62 to 1.63), 2.03, 1.29, 0.80***). The low and high contexts are LA
/// IMD 10% below and above the mean, i.e. -1 and +1 in the model's units of 10%. Built from the
/// published two-decimal coefficients, the intervals and contexts agree with the published
/// cells to the rounding of those inputs (0.01); the CP Plan row prints exactly as published.
#[test]
fn reproduces_hood_2021_table_2_contexts() {
    let rows = [
        ("CP Plan", 1.80, (1.78, 1.82), 2.33, 1.39, 0.77),
        ("Referral", 1.62, (1.62, 1.63), 2.03, 1.29, 0.80),
    ];
    for (measure, gradient, ci, low, high, interaction) in rows {
        let mut fit = fit_b();
        fit.family = Family::Poisson;
        fit.columns = columns(&[&["lsoa_imd"][..], &["la_imd"], &["lsoa_imd", "la_imd"]]);
        fit.terms = fit.columns.iter().map(|c| c.name()).collect();
        // The SE that gives the published interval: log(high / low) / (2 * 1.96).
        let se = f64::ln(ci.1 / ci.0) / (2.0 * 1.959963984540054);
        fit.beta = vec![-5.0, f64::ln(gradient), 0.1, f64::ln(interaction)];
        fit.cov_beta = vec![
            vec![0.01, 0.0, 0.0, 0.0],
            vec![0.0, se * se, 0.0, 0.0],
            vec![0.0, 0.0, 0.01, 0.0],
            vec![0.0, 0.0, 0.0, 0.001f64.powi(2)],
        ];
        let c = gradient_contexts(&fit, "lsoa_imd", "la_imd", -1.0, 1.0).unwrap();
        assert_relative_eq!(c.score.score, gradient, max_relative = 1e-12);
        assert!((c.score.ci_low - ci.0).abs() < 0.01 && (c.score.ci_high - ci.1).abs() < 0.01);
        assert!((c.low.score - low).abs() < 0.01, "low {}", c.low.score);
        assert!((c.high.score - high).abs() < 0.01, "high {}", c.high.score);
        assert_relative_eq!(c.interaction.irr, interaction, max_relative = 1e-12);
        assert_eq!(c.interaction_stars, "***");
        let lines = render_contexts(&[c], &[measure.to_owned()]);
        assert!(
            lines[1].starts_with(measure) && lines[1].ends_with(&format!("{interaction:.2}***")),
            "{}",
            lines[1]
        );
        if measure == "CP Plan" {
            assert!(lines[1].contains("1.80 (1.78 to 1.82)"), "{}", lines[1]);
        }
    }
}

#[test]
fn view_errors_name_the_term() {
    let fit = fit_a();
    match gradient_score(&fit, "imd", &[]) {
        Err(ReportError::UnknownTerm { term, known }) => {
            assert_eq!(term, "imd");
            assert_eq!(known.len(), 4);
        }
        other => panic!("{other:?}"),
    }
    let e = gradient_score(&fit, "la_imd", &[("gini", 1.0)]).unwrap_err();
    assert_eq!(e, ReportError::NoInteraction { term: "la_imd".into(), moderator: "gini".into() });
    assert!(e.to_string().contains("no interaction between 'la_imd' and 'gini'"));
    let e = gradient_score(&fit, "imd_z", &[("la_imd", f64::NAN)]).unwrap_err();
    assert!(matches!(e, ReportError::InvalidValue { .. }));
    let e = gradient_score(&fit, "imd_z", &[("la_imd", 1.0), ("la_imd", 2.0)]).unwrap_err();
    assert_eq!(e, ReportError::RepeatedModerator { moderator: "la_imd".into() });
    let e = gradient_contexts(&fit_b(), "imd_z", "la_imd", -1.0, 1.0).unwrap_err();
    assert!(matches!(e, ReportError::NoInteraction { .. }));
    let mut broken = fit_a();
    broken.cov_beta.pop();
    assert!(matches!(gradient_score(&broken, "imd_z", &[]), Err(ReportError::DesignMismatch { .. })));
}

/// Per-LA scores from fit A's random slopes: R's
/// `exp(b["imd_z"] + b["imd_z:la_imd"] * la_imd_j + ranef(fit_a)$cond$la[j, "imd_z"])`; the
/// interval adds the fixed effects' variance `w' V w` (w = (1, la_imd_j)) to the slope's
/// conditional variance (this hand-made fit has no covariance between the two).
#[test]
fn per_la_scores_from_random_slopes_match_r() {
    const R_PER_LA: [(f64, f64, f64); 12] = [
        (1.18515668520019313, 0.91473568771457403, 1.5355215581279338),
        (1.39210445328929655, 0.90544238265522714, 2.1403402866837333),
        (1.17419281432068012, 0.87644643156636204, 1.5730895985716906),
        (1.57656306552459502, 1.18089308406717919, 2.1048062124436231),
        (0.93545717104391901, 0.67196390011893958, 1.3022725159827788),
        (0.98392755588505110, 0.73319713256449148, 1.3203999200648480),
        (1.32335483510986873, 1.02130544503532716, 1.7147348309183752),
        (0.87150155922595440, 0.64046655495084970, 1.1858776416382208),
        (2.65716030261913216, 1.91406597586927907, 3.6887447783028740),
        (1.12515168561498990, 0.85457587000740065, 1.4813972171146021),
        (1.29731368265996250, 1.02550234521961170, 1.6411691295121649),
        (1.46737323156526567, 1.12392230677102867, 1.9157767291764844),
    ];
    let design = design_a();
    let deprivation = model_column(&design, "la_imd").unwrap();
    let means = LaMeanInputs { deprivation: &deprivation, population: None };
    let r = from_random_slopes(&fit_a(), &design, "imd_z", "la", means).unwrap();
    assert_eq!(r.method, "random_slopes");
    assert!(r.note.contains("includes the uncertainty of the fixed effects"));
    let fit = fit_a();
    assert_eq!(r.gradients.len(), 12);
    for (j, (g, (score, lo, hi))) in r.gradients.iter().zip(R_PER_LA).enumerate() {
        assert_eq!(g.level, LA_LEVELS[j]);
        assert_eq!(g.rows, 2);
        assert_eq!(g.moderators.len(), 1);
        assert_eq!(g.moderators[0].term, "la_imd");
        assert_relative_eq!(g.moderators[0].value, LA_IMD[j], max_relative = 1e-12);
        assert_relative_eq!(g.mean_deprivation.unwrap(), LA_IMD[j], max_relative = 1e-12);
        assert_relative_eq!(g.score, score, max_relative = 1e-12);
        // R's interval used the slope's conditional SD alone: recover it, then add w' V w.
        let slope_sd = (hi / lo).ln() / (2.0 * 1.959963984540054);
        let w = [1.0, LA_IMD[j]];
        let idx = [1, 3];
        let fixed: f64 = (0..2)
            .flat_map(|a| (0..2).map(move |b| (a, b)))
            .map(|(a, b)| w[a] * w[b] * fit.cov_beta[idx[a]][idx[b]])
            .sum();
        let se = (slope_sd * slope_sd + fixed).sqrt();
        assert_relative_eq!(g.std_error, se, max_relative = 1e-9);
        assert_relative_eq!(g.ci_low, (score.ln() - 1.959963984540054 * se).exp(), max_relative = 1e-9);
        assert_relative_eq!(g.ci_high, (score.ln() + 1.959963984540054 * se).exp(), max_relative = 1e-9);
    }
}

#[test]
fn per_la_means_are_population_weighted_when_asked() {
    let design = design_a();
    // Rows alternate imd_z = -1, +1; with populations 100 and 300 the weighted mean is
    // (-100 + 300) / 400 = 0.5, the plain mean 0.
    let deprivation = model_column(&design, "imd_z").unwrap();
    let population: Vec<f64> =
        (0..design.rows.len()).map(|i| if i % 2 == 0 { 100.0 } else { 300.0 }).collect();
    let weighted = LaMeanInputs { deprivation: &deprivation, population: Some(&population) };
    let r = from_random_slopes(&fit_a(), &design, "imd_z", "la", weighted).unwrap();
    assert!(r.population_weighted);
    assert!(r.gradients.iter().all(|g| g.mean_deprivation == Some(0.5)));
    let plain = LaMeanInputs { deprivation: &deprivation, population: None };
    let r = from_random_slopes(&fit_a(), &design, "imd_z", "la", plain).unwrap();
    assert!(r.gradients.iter().all(|g| g.mean_deprivation == Some(0.0)));
}

#[test]
fn random_slope_view_needs_a_slope() {
    let design = design_a();
    let deprivation = vec![0.0; design.rows.len()];
    let means = LaMeanInputs { deprivation: &deprivation, population: None };
    let e = from_random_slopes(&fit_c(), &design, "imd_z", "la", means).unwrap_err();
    assert_eq!(e, ReportError::NoRandomSlope { term: "imd_z".into(), group: "la".into() });
    assert!(e.to_string().contains("(1 + imd_z | la)"));
}
