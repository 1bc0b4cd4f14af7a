//! Predictions at chosen covariate values: against glmmTMB's `predict` (golden values in
//! tests/reference/prediction, made by make_prediction.R), the gradient score and the LA's
//! random slope, the offset's scale, and the parsing and errors of the values.

use serde_json::Value;
use socgrad::data::{read_csv, DataFrame};
use socgrad::fit::Family;
use socgrad::formula::parse;
use socgrad::pipeline::{FitRequest, FittedModel, PreparedModel};
use socgrad::random::Rng;
use socgrad::report::prediction::parse_values;
use std::path::PathBuf;

fn reference() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reference")
}

fn data(name: &str) -> DataFrame {
    read_csv(&std::fs::read(reference().join(format!("data/{name}.csv"))).unwrap()).unwrap()
}

fn fitted(df: &DataFrame, formula: &str, family: Family) -> FittedModel {
    PreparedModel::new(df, &FitRequest::new(formula, family)).unwrap().fit(&mut |_| {}).unwrap()
}

const RS: &str = "count ~ imd_z * la_imd + offset(log(pop/10000)) + (1 + imd_z | la)";

#[test]
fn rates_agree_with_glmmtmb_predict() {
    let text = std::fs::read_to_string(reference().join("prediction/prediction.json")).unwrap();
    let golden: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(golden["formula"], RS);
    let model = fitted(&data("medium_nb2"), RS, Family::Nbinom2);
    let points = golden["points"].as_array().unwrap();
    assert_eq!(points.len(), 3);
    for p in points {
        let (x, m) = (p["imd_z"].as_f64().unwrap(), p["la_imd"].as_f64().unwrap());
        let at = vec![("imd_z".to_owned(), x), ("la_imd".to_owned(), m)];
        let pred = model.predict(&at, None, Some(("la", "LA03"))).unwrap();
        let log_rate = p["log_rate"].as_f64().unwrap();
        let se = p["std_error"].as_f64().unwrap();
        // The offset is log(pop/10000) and R predicted at pop = 10000: the log rate per 10,000.
        assert!((pred.rate.log_rate - log_rate).abs() < 1e-4, "{} vs {log_rate}", pred.rate.log_rate);
        assert!((pred.rate.std_error / se - 1.0).abs() < 2e-3, "{} vs {se}", pred.rate.std_error);
        assert_eq!(pred.rate.per, 10_000.0);
        assert!((pred.rate.rate / log_rate.exp() - 1.0).abs() < 1e-4);
        let low = (log_rate - 1.959964 * se).exp();
        assert!((pred.rate.ci_low / low - 1.0).abs() < 1e-3);
        let la = pred.level.unwrap();
        let la_log_rate = p["la_log_rate"].as_f64().unwrap();
        assert!((la.rate.log_rate - la_log_rate).abs() < 1e-3, "{} vs {la_log_rate}", la.rate.log_rate);
        assert!(pred.note.contains("fixed effects only"));
    }
}

#[test]
fn scores_add_the_interaction_and_the_la_slope() {
    let model = fitted(&data("medium_nb2"), RS, Family::Nbinom2);
    let fit = &model.fit;
    let b = |name: &str| fit.beta[fit.terms.iter().position(|t| t == name).unwrap()];
    let at = vec![("imd_z".to_owned(), 0.5), ("la_imd".to_owned(), 25.0)];
    let pred = model.predict(&at, Some("imd_z"), Some(("la", "LA07"))).unwrap();
    let score = pred.score.unwrap();
    let expected = b("imd_z") + 25.0 * b("imd_z:la_imd");
    assert!((score.log_score - expected).abs() < 1e-12);
    assert_eq!(score.at.len(), 1);
    let la = &fit.random[0];
    let level = la.levels.iter().position(|l| l == "LA07").unwrap();
    let (u0, u1) = (la.modes[level][0], la.modes[level][1]);
    let la_pred = pred.level.unwrap();
    let la_score = la_pred.score.unwrap();
    assert!((la_score.log_score - (expected + u1)).abs() < 1e-12);
    assert_eq!(la_score.std_error, score.std_error);
    let eta = b("(Intercept)") + 0.5 * b("imd_z") + 25.0 * b("la_imd") + 12.5 * b("imd_z:la_imd");
    assert!((pred.rate.log_rate - eta).abs() < 1e-12);
    assert!((la_pred.rate.log_rate - (eta + u0 + 0.5 * u1)).abs() < 1e-12);
    // The interval is symmetric on the log scale.
    assert!((pred.rate.ci_low * pred.rate.ci_high / pred.rate.rate.powi(2) - 1.0).abs() < 1e-12);
}

/// Fitting with offset(log(pop)) or offset(log(pop/10000)) changes only the intercept: the rates
/// per 10,000 must agree at any covariate values.
#[test]
fn rates_per_10000_do_not_depend_on_the_offset_scale() {
    let df = data("small_poisson");
    let a = fitted(&df, "count ~ imd_z * la_imd + offset(log(pop))", Family::Poisson);
    let b = fitted(&df, "count ~ imd_z * la_imd + offset(log(pop/10000))", Family::Poisson);
    let mut rng = Rng::new(0x9e37_79b9_7f4a_7c15);
    let mut uniform = move || rng.uniform();
    for _ in 0..20 {
        let at =
            vec![("imd_z".to_owned(), 4.0 * uniform() - 2.0), ("la_imd".to_owned(), 10.0 + 30.0 * uniform())];
        let (pa, pb) = (a.predict(&at, None, None).unwrap(), b.predict(&at, None, None).unwrap());
        assert!((pa.rate.rate / pb.rate.rate - 1.0).abs() < 1e-6, "{} vs {}", pa.rate.rate, pb.rate.rate);
        assert!((pa.rate.ci_high / pb.rate.ci_high - 1.0).abs() < 1e-5);
        assert!((pa.rate.std_error - pb.rate.std_error).abs() < 1e-6);
    }
}

#[test]
fn offset_scales_and_values_are_read() {
    let scale = |formula: &str| parse(formula).unwrap().exposure_scale();
    assert_eq!(scale("y ~ x + offset(log(pop))"), Some(1.0));
    assert_eq!(scale("y ~ x + offset(log(pop/10000))"), Some(10000.0));
    assert_eq!(scale("y ~ x + offset(log(pop / 1e3))"), Some(1000.0));
    assert_eq!(scale("y ~ x + offset(log(pop * 2))"), None);
    assert_eq!(scale("y ~ x + offset(log(pop)) + offset(log(w))"), None);
    assert_eq!(scale("y ~ x + offset(pop)"), None);
    assert_eq!(scale("y ~ x"), None);
    assert_eq!(
        parse_values("xc=1, within(imd, la)=-0.5,ladep=2e1").unwrap(),
        vec![("xc".into(), 1.0), ("within(imd, la)".into(), -0.5), ("ladep".into(), 20.0)]
    );
    assert!(parse_values("xc").unwrap_err().contains("name=value"));
    assert!(parse_values("xc=high").unwrap_err().contains("'xc'"));
    assert!(parse_values("xc=inf").unwrap_err().contains("finite"));
}

#[test]
fn unknown_columns_and_levels_are_named() {
    let model = fitted(&data("medium_nb2"), RS, Family::Nbinom2);
    let e = model.predict(&[("imd".into(), 1.0)], None, None).unwrap_err().to_string();
    assert!(e.contains("'imd'") && e.contains("'imd_z'"), "{e}");
    let e = model.predict(&[("imd_z:la_imd".into(), 1.0)], None, None).unwrap_err().to_string();
    assert!(e.contains("'imd_z:la_imd'"), "{e}");
    let e = model.predict(&[], None, Some(("la", "Nowhere"))).unwrap_err().to_string();
    assert!(e.contains("Nowhere"), "{e}");
    let e = model.predict(&[], None, Some(("msoa", "M1"))).unwrap_err().to_string();
    assert!(e.contains("'msoa'"), "{e}");
    let e = model.predict(&[], Some("gini"), None).unwrap_err().to_string();
    assert!(e.contains("'gini'"), "{e}");
}
