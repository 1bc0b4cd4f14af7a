//! Comparing two models the user wrote: LR tests against R's `anova` on the golden pairs
//! (tests/reference/golden/lr_tests.json), nesting by column space, the boundary-halved p-value,
//! AIC/BIC for non-nested models and the refusal of models on different rows.

use serde_json::Value;
use socgrad::fit::Family;
use socgrad::pipeline::{FitRequest, Session};
use std::path::PathBuf;

fn reference() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reference")
}

fn data(name: &str) -> Session {
    Session::open(&std::fs::read(reference().join(format!("data/{name}.csv"))).unwrap()).unwrap()
}

fn family(name: &str) -> Family {
    serde_json::from_value(Value::String(name.to_owned())).unwrap()
}

#[test]
fn lr_tests_agree_with_r_anova() {
    let text = std::fs::read_to_string(reference().join("golden/lr_tests.json")).unwrap();
    let golden: Value = serde_json::from_str(&text).unwrap();
    let tests = golden["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 7);
    for t in tests {
        let session = data(t["dataset"].as_str().unwrap());
        let fam = family(t["family"].as_str().unwrap());
        let null = FitRequest::new(t["null_formula"].as_str().unwrap(), fam);
        let alt = FitRequest::new(t["alternative_formula"].as_str().unwrap(), fam);
        // Given in either order, the restricted model is found.
        for (first, second, restricted) in [(&null, &alt, 1), (&alt, &null, 2)] {
            let c = session.compare_models(first, second).unwrap();
            let lr = c.lr_test.as_ref().unwrap_or_else(|| panic!("{:?}", c.not_nested));
            assert_eq!(lr.restricted, restricted);
            assert_eq!(lr.df as u64, t["chisq_df"].as_u64().unwrap());
            let chisq = t["chisq"].as_f64().unwrap();
            assert!((lr.statistic - chisq).abs() < 2e-3, "{} vs {chisq}", lr.statistic);
            // R's anova reports the plain chi-square p-value; one added variance is halved here.
            assert_eq!(lr.p_halved, lr.df == 1);
            let plain = if lr.p_halved { 2.0 * lr.p } else { lr.p };
            let p = t["p"].as_f64().unwrap();
            assert!((plain / p - 1.0).abs() < 1e-2, "p {plain} vs {p}");
            let aic = t["aic"].as_array().unwrap();
            let ours_null = &c.models[restricted - 1];
            assert!((ours_null.aic - aic[0].as_f64().unwrap()).abs() < 2e-3);
        }
    }
}

#[test]
fn poisson_within_negative_binomial_is_a_halved_boundary_test() {
    let session = data("medium_nb2");
    let f = "count ~ imd_z * la_imd + offset(log(pop/10000))";
    let c = session
        .compare_models(&FitRequest::new(f, Family::Poisson), &FitRequest::new(f, Family::Nbinom2))
        .unwrap();
    let lr = c.lr_test.unwrap();
    assert_eq!((lr.restricted, lr.general, lr.df), (1, 2, 1));
    assert!(lr.p_halved && lr.note.contains("overdispersion"));
    let expected = 2.0 * (c.models[1].loglik - c.models[0].loglik);
    assert!((lr.statistic - expected).abs() < 1e-9 && lr.statistic > 100.0);
    assert_eq!(c.preferred_by_aic, 2);
}

#[test]
fn nesting_is_by_column_space_not_by_names() {
    // I(2 * imd_z - 1) spans the same space as imd_z with the intercept: the first model is
    // nested in the second, which adds la_imd.
    let session = data("small_poisson");
    let a = FitRequest::new("count ~ I(2 * imd_z - 1) + offset(log(pop/10000))", Family::Poisson);
    let b = FitRequest::new("count ~ imd_z + la_imd + offset(log(pop/10000))", Family::Poisson);
    let c = session.compare_models(&a, &b).unwrap();
    let lr = c.lr_test.unwrap();
    assert_eq!((lr.restricted, lr.df, lr.p_halved), (1, 1, false));
    // A different covariate is not nested: AIC and BIC only.
    let d = FitRequest::new("count ~ la_imd + offset(log(pop/10000))", Family::Poisson);
    let e = FitRequest::new("count ~ imd_z + gini + rural + offset(log(pop/10000))", Family::Poisson);
    let c = session.compare_models(&d, &e).unwrap();
    assert!(c.lr_test.is_none());
    assert!(c.not_nested.unwrap().contains("fixed effects of model 1"));
    let better = if c.models[0].aic < c.models[1].aic { 1 } else { 2 };
    assert_eq!(c.preferred_by_aic, better);
    assert!(c.text.contains("Lower AIC"));
}

#[test]
fn nb1_against_nb2_is_compared_by_aic_only() {
    let session = data("medium_nb1");
    let f = "count ~ imd_z + offset(log(pop/10000)) + (1 | la)";
    let c = session
        .compare_models(&FitRequest::new(f, Family::Nbinom1), &FitRequest::new(f, Family::Nbinom2))
        .unwrap();
    assert!(c.lr_test.is_none());
    assert!(c.not_nested.unwrap().contains("compare them by AIC and BIC"));
    // Same number of parameters: AIC and BIC order the models alike.
    assert_eq!(c.models[0].df, c.models[1].df);
    let better = if c.models[0].aic < c.models[1].aic { 1 } else { 2 };
    assert_eq!((c.preferred_by_aic, c.preferred_by_bic), (better, better));
}

#[test]
fn models_on_different_rows_are_refused() {
    // small_missing.csv: 'la' is blank in one row, so the mixed model uses one row fewer.
    let session = data("small_missing");
    let a = FitRequest::new("count ~ imd_z + offset(log(pop/10000)) + (1 | la)", Family::Poisson);
    let b = FitRequest::new("count ~ imd_z + offset(log(pop/10000))", Family::Poisson);
    let e = session.compare_models(&a, &b).unwrap_err().to_string();
    assert!(e.contains("different rows") && e.contains("1 only in model 2"), "{e}");
}
