//! Model comparison (Webb et al. 2020, Table 2 format): likelihood-ratio tests with boundary
//! corrections, the preferred model, failed fits as rows, and a real comparison against the
//! six glmmTMB fits of la12.csv.

#![allow(clippy::excessive_precision)]

use crate::report_support;

use approx::assert_relative_eq;
use report_support::LA12_CSV;
use socgrad::fit::{Family, FitError};
use socgrad::pipeline::Session;
use socgrad::report::compare::compare_fits;
use socgrad::report::ModelFit;

const RANDOM: &str = "(1 + imd_z | la)";

/// logLik, df, AIC and BIC of
/// `glmmTMB(count ~ imd_z * la_imd + offset(log(pop/10000)) [+ (1 + imd_z | la)], family, la12)`
/// for poisson, nbinom2 and nbinom1, without then with the random effects (all converged with a
/// positive-definite Hessian).
const R_FITS: [(Family, bool, f64, usize, f64, f64); 6] = [
    (Family::Poisson, false, -746.185806288873, 4, 1500.37161257775, 1515.18674247637),
    (Family::Nbinom2, false, -641.276326773279, 5, 1292.55265354656, 1311.07156591984),
    (Family::Nbinom1, false, -662.286215121122, 5, 1334.57243024224, 1353.09134261552),
    (Family::Poisson, true, -598.816725890785, 7, 1211.63345178157, 1237.55992910416),
    (Family::Nbinom2, true, -593.09955963432, 8, 1202.19911926864, 1231.82937906589),
    (Family::Nbinom1, true, -593.036139515603, 8, 1202.07227903121, 1231.70253882846),
];

fn label(family: Family) -> &'static str {
    match family {
        Family::Poisson => "Poisson",
        Family::Nbinom2 => "Negative binomial 2",
        Family::Nbinom1 => "Negative binomial 1",
        Family::Binomial(_) => "Binomial",
    }
}

fn r_rows() -> Vec<ModelFit> {
    R_FITS
        .iter()
        .map(|&(family, random, loglik, df, aic, bic)| ModelFit {
            name: if random { format!("{} + {RANDOM}", label(family)) } else { label(family).to_owned() },
            family,
            random_effects: random,
            loglik: Some(loglik),
            df: Some(df),
            aic: Some(aic),
            bic: Some(bic),
            converged: Some(true),
            dispersion: None,
            warnings: Vec::new(),
            error: None,
        })
        .collect()
}

fn compare(rows: Vec<ModelFit>) -> socgrad::report::Comparison {
    compare_fits("count ~ imd_z * la_imd".into(), Some(RANDOM.into()), 300, rows, Vec::new())
}

#[test]
fn likelihood_ratio_tests_with_boundary_corrections() {
    let c = compare(r_rows());
    assert_eq!(c.lr_tests.len(), 7);
    let test = |r: &str, g: &str| c.lr_tests.iter().find(|t| t.restricted == r && t.general == g).unwrap();

    // Poisson within NB2, no random effects: LR = 2 * (-641.276326773279 + 746.185806288873),
    // p = 0.5 * pchisq(LR, 1, lower.tail = FALSE) in R.
    let t = test("Poisson", "Negative binomial 2");
    assert_relative_eq!(t.statistic, 2.0981895903118789e+02, max_relative = 1e-12);
    assert_eq!(t.df, 1);
    assert!(t.p_halved);
    assert_relative_eq!(t.p, 7.5220098346079798e-48, max_relative = 1e-6);

    // Poisson within NB2 with random effects: p = 0.5 * pchisq(11.434332512930041, 1, ...).
    let t = test("Poisson + (1 + imd_z | la)", "Negative binomial 2 + (1 + imd_z | la)");
    assert_relative_eq!(t.statistic, 1.1434332512930041e+01, max_relative = 1e-10);
    assert_relative_eq!(t.p, 3.6049685452075984e-04, max_relative = 1e-8);

    // NB2 without vs with the correlated random intercept and slope: three parameters, naive
    // chi-square(3) p-value, pchisq(96.353534277918016, 3, lower.tail = FALSE).
    let t = test("Negative binomial 2", "Negative binomial 2 + (1 + imd_z | la)");
    assert_eq!(t.df, 3);
    assert!(!t.p_halved);
    assert_relative_eq!(t.statistic, 9.6353534277918016e+01, max_relative = 1e-10);
    assert_relative_eq!(t.p, 9.4495016691452080e-21, max_relative = 1e-6);
    assert!(t.note.contains("conservative"));

    // NB2 and NB1 are never tested against each other.
    let family_of = |name: &str| name.split(" + ").next().unwrap().to_owned();
    assert!(c.lr_tests.iter().all(|t| {
        let (r, g) = (family_of(&t.restricted), family_of(&t.general));
        r == g || r == "Poisson"
    }));
}

#[test]
fn single_variance_test_is_halved() {
    let mut rows = r_rows();
    for r in rows.iter_mut().filter(|r| r.random_effects) {
        r.name = r.name.replace(RANDOM, "(1 | la)");
        r.df = r.df.map(|d| d - 2);
    }
    let c = compare(rows);
    let t =
        c.lr_tests.iter().find(|t| t.restricted == "Poisson" && t.general == "Poisson + (1 | la)").unwrap();
    assert_eq!(t.df, 1);
    assert!(t.p_halved);
    assert!(t.note.contains("p-value halved"));
    // A statistic an optimiser left just below zero counts as 0, with p = 1.
    let mut rows = r_rows();
    rows[3].loglik = Some(-746.185806288873 - 1e-9);
    let c = compare(rows);
    let t =
        c.lr_tests.iter().find(|t| t.restricted == "Poisson" && t.general.starts_with("Poisson +")).unwrap();
    assert_eq!((t.statistic, t.p), (0.0, 1.0));
}

#[test]
fn preferred_model_by_aic_and_bic() {
    let c = compare(r_rows());
    assert_eq!(c.preferred.as_deref(), Some("Negative binomial 1 + (1 + imd_z | la)"));
    assert_eq!(c.preferred_by_bic, c.preferred);
    assert!(c.text.contains("Preferred model (lowest AIC): Negative binomial 1 + (1 + imd_z | la)\n"));
    assert!(!c.text.contains("BIC prefers"));
    let row = |c: &socgrad::report::Comparison, start: &str, random: &str| {
        c.text.lines().find(|l| l.starts_with(start) && l.contains(random)).unwrap().to_owned()
    };
    assert!(row(&c, "Negative binomial 1", RANDOM).ends_with("yes  AIC, BIC"), "{}", c.text);

    // Make NB2 + RE best by BIC only.
    let mut rows = r_rows();
    rows[4].bic = Some(1231.0);
    let c = compare(rows);
    assert_eq!(c.preferred_by_bic.as_deref(), Some("Negative binomial 2 + (1 + imd_z | la)"));
    assert!(c.text.contains("BIC prefers: Negative binomial 2 + (1 + imd_z | la)\n"), "{}", c.text);
    assert!(row(&c, "Negative binomial 1", RANDOM).ends_with("yes       AIC"), "{}", c.text);
    assert!(row(&c, "Negative binomial 2", RANDOM).ends_with("yes       BIC"), "{}", c.text);
}

#[test]
fn failed_and_unconverged_fits_are_rows_not_failures() {
    let mut rows = r_rows();
    rows[5] = ModelFit {
        loglik: None,
        df: None,
        aic: None,
        bic: None,
        converged: None,
        error: Some(FitError::NumericalFailure { message: "test".into() }),
        ..rows[5].clone()
    };
    rows[4].converged = Some(false);
    let c = compare(rows);
    assert_eq!(c.models.len(), 6);
    assert_eq!(c.preferred.as_deref(), Some("Poisson + (1 + imd_z | la)"));
    assert_eq!(c.lr_tests.len(), 5);
    assert!(c
        .lr_tests
        .iter()
        .filter(|t| t.general.starts_with("Negative binomial 2 +"))
        .all(|t| t.note.contains("did not converge")));
    assert!(c.notes.iter().any(|n| n.contains("did not converge")));
    assert!(
        c.text.contains(
            "Negative binomial 1 + (1 + imd_z | la) (nbinom1) could not be fitted: the model could not be fitted: test"
        ),
        "{}",
        c.text
    );
    let j = serde_json::to_value(&c).unwrap();
    assert_eq!(j["models"][5]["error"]["kind"], "fit");
    assert!(j["models"][5]["aic"].is_null());
}

#[test]
fn real_comparison_agrees_with_glmmtmb() {
    let session = Session::open(LA12_CSV.as_bytes()).unwrap();
    let formula = "count ~ imd_z * la_imd + offset(log(pop/10000)) + (1 + imd_z | la)";
    let mut seen = Vec::new();
    let c = session
        .compare(formula, &mut |p| {
            if seen.last() != Some(&p.model) {
                seen.push(p.model);
            }
            assert_eq!(p.models, 6);
        })
        .unwrap();
    assert_eq!(seen, vec![1, 2, 3, 4, 5, 6]);
    assert_eq!(c.random_effects.as_deref(), Some(RANDOM));
    assert_eq!(c.nobs, 300);
    for (m, (family, random, loglik, df, aic, bic)) in c.models.iter().zip(R_FITS) {
        assert_eq!((m.family, m.random_effects, m.df), (family, random, Some(df)));
        assert_eq!(m.converged, Some(true), "{}", m.name);
        assert_relative_eq!(m.loglik.unwrap(), loglik, epsilon = 1e-5);
        assert_relative_eq!(m.aic.unwrap(), aic, epsilon = 1e-4);
        assert_relative_eq!(m.bic.unwrap(), bic, epsilon = 1e-4);
    }
    assert_eq!(c.preferred.as_deref(), Some("Negative binomial 1 + (1 + imd_z | la)"));
    assert!(c.text.starts_with(&format!("Model comparison for {formula}\nNumber of obs: 300\n")));

    let fixed = session.compare("count ~ imd_z + offset(log(pop/10000))", &mut |_| {}).unwrap();
    assert_eq!(fixed.models.len(), 3);
    assert_eq!(fixed.random_effects, None);
    assert_eq!(fixed.lr_tests.len(), 2);
    assert!(fixed.notes.iter().any(|n| n.contains("no random effects")));

    let e = session.compare("count ~ nothing", &mut |_| {}).unwrap_err();
    assert_eq!(e.kind(), "formula");
}
