//! The engine's entry points on real data (`report_support/la12.csv`): fits against glmmTMB,
//! per-LA scores against R's separate `glm` fits, and errors that point at the row or term.

#![allow(clippy::excessive_precision)]

use crate::report_support;

use approx::assert_relative_eq;
use report_support::{fit_a, fit_b, fit_c, LA12_CSV, LA_LEVELS, MODES_A};
use socgrad::data::{read_csv, DataFrame};
use socgrad::fit::Family;
use socgrad::fit::Progress;
use socgrad::pipeline::{EngineError, FitRequest, FittedModel, PreparedModel, Session};
use socgrad::report::{FitReport, LaGradientRequest};

fn la12() -> DataFrame {
    read_csv(LA12_CSV.as_bytes()).unwrap()
}

/// The report of `req` fitted by a session on `df`.
fn run_fit(
    df: &DataFrame,
    req: &FitRequest,
    progress: &mut dyn FnMut(&Progress),
) -> Result<FitReport, EngineError> {
    Session::from_frame(df.clone()).fit_report(req, progress)
}

/// The model of `req` fitted on `df`.
fn fit_model(df: &DataFrame, req: &FitRequest) -> Result<FittedModel, EngineError> {
    PreparedModel::new(df, req)?.fit(&mut |_| {})
}

const FORMULA_A: &str = "count ~ imd_z * la_imd + offset(log(pop/10000)) + (1 + imd_z | la)";

#[test]
fn fits_agree_with_glmmtmb() {
    let df = la12();
    let cases = [
        (FORMULA_A, Family::Nbinom2, fit_a()),
        ("count ~ imd_z + la_imd + offset(log(pop/10000))", Family::Poisson, fit_b()),
        ("count ~ imd_z + offset(log(pop/10000)) + (1 | la/msoa)", Family::Nbinom1, fit_c()),
    ];
    for (formula, family, r) in cases {
        let report = run_fit(&df, &FitRequest::new(formula, family), &mut |_| {}).unwrap();
        assert_eq!(report.formula, formula);
        assert_eq!((report.df, report.nobs), (r.df, 300));
        assert!(report.converged, "{formula}");
        assert_relative_eq!(report.loglik, r.loglik, epsilon = 1e-5);
        assert_relative_eq!(report.aic, r.aic, epsilon = 1e-4);
        assert_relative_eq!(report.bic, r.bic, epsilon = 1e-4);
        for (i, c) in report.coefficients.iter().enumerate() {
            assert_eq!(c.term, r.terms[i]);
            assert_relative_eq!(c.estimate, r.beta[i], epsilon = 1e-5);
            assert_relative_eq!(c.std_error, r.cov_beta[i][i].sqrt(), max_relative = 1e-3);
        }
        match (report.dispersion, r.dispersion) {
            (Some(d), Some(e)) => assert_relative_eq!(d, e, max_relative = 1e-4),
            (None, None) => {}
            other => panic!("{other:?}"),
        }
        let sds: Vec<f64> = r.random.iter().flat_map(|g| g.sd.clone()).collect();
        assert_eq!(report.random_effects.len(), sds.len());
        for e in &report.random_effects {
            let k = r.random.iter().position(|g| g.group == e.group).unwrap();
            let t = r.random[k].terms.iter().position(|t| *t == e.term).unwrap();
            assert_relative_eq!(e.sd, r.random[k].sd[t], max_relative = 1e-3);
        }
    }
}

#[test]
fn progress_is_reported() {
    let mut calls = 0;
    run_fit(&la12(), &FitRequest::new(FORMULA_A, Family::Nbinom2), &mut |p| {
        calls += 1;
        assert!(p.objective.is_finite());
    })
    .unwrap();
    assert!(calls > 0);
}

/// For each LA of la12.csv, R's
/// `glm(count ~ imd_z + offset(log(pop/10000)), family = poisson, data = la_rows)`:
/// coefficient of imd_z, its SE, and `weighted.mean(imd_z, pop)`.
const R_SEPARATE: [(f64, f64, f64); 12] = [
    (0.235918915660481, 0.167438427185973, 0.251227352106527),
    (-0.175563758685268, 0.214593634906257, 0.0639866793529972),
    (0.198891185365931, 0.0833590643821004, 0.0376626479124804),
    (0.525921950041248, 0.179775543554376, 0.0517286821705426),
    (-0.210374298582829, 0.122829514964085, 0.194578881509289),
    (0.0433601814659116, 0.131256829593179, -0.442308252063016),
    (0.3020839045812, 0.141393154840843, -0.00746227645305514),
    (-0.297020227017329, 0.182855055189118, 0.106809573724668),
    (1.01652018089395, 0.0669771979067582, 0.124764399851356),
    (0.177890269552472, 0.181030623009316, 0.0835301023762562),
    (0.205167286298423, 0.072109719187812, 0.162132080374156),
    (0.505542788857159, 0.156758278569346, 0.307650180271794),
];

#[test]
fn per_la_scores_from_a_real_fit() {
    let df = la12();
    let model = fit_model(&df, &FitRequest::new(FORMULA_A, Family::Nbinom2)).unwrap();
    let req = LaGradientRequest {
        term: "imd_z".into(),
        group: "la".into(),
        deprivation_column: None,
        population_column: Some("pop".into()),
    };
    let r = model.la_gradients(&df, &req).unwrap();

    let glms = &r.separate_glms;
    assert_eq!(glms.method, "separate_glms");
    assert!(glms.failures.is_empty());
    assert!(glms.population_weighted);
    assert_eq!(glms.gradients.len(), 12);
    for (j, (g, (slope, se, mean))) in glms.gradients.iter().zip(R_SEPARATE).enumerate() {
        assert_eq!(g.level, LA_LEVELS[j]);
        assert_eq!(g.rows, 25);
        assert_relative_eq!(g.log_score, slope, epsilon = 1e-6);
        assert_relative_eq!(g.std_error, se, max_relative = 1e-4);
        assert_relative_eq!(g.score, slope.exp(), max_relative = 1e-6);
        assert_relative_eq!(g.ci_low, (slope - 1.959963984540054 * se).exp(), max_relative = 1e-4);
        assert_relative_eq!(g.mean_deprivation.unwrap(), mean, max_relative = 1e-12);
    }

    // The engine's own modes, checked against glmmTMB's. The standard error of each LA's score
    // combines the fixed effects' covariance, the slope's conditional variance and their
    // covariance; it exceeds R's conditional SD of the slope given the estimated parameters,
    // `sqrt(diag(solve(fit_a$obj$env$spHess(fit_a$obj$env$last.par.best, random = TRUE))))`.
    // (tests/ranef.rs checks it against glmmTMB's joint covariance.)
    const R_CONDITIONAL_SD: [f64; 12] = [
        0.11426615426,
        0.13492881884,
        0.08672225892,
        0.12087480401,
        0.10896571628,
        0.11607675618,
        0.11080115369,
        0.12650243009,
        0.07991017429,
        0.12035493825,
        0.08595465320,
        0.10794379333,
    ];
    let slopes = r.random_slopes.as_ref().unwrap();
    assert!(r.random_slopes_unavailable.is_none());
    for (j, g) in slopes.gradients.iter().enumerate() {
        let expected = fit_a().beta[1] + fit_a().beta[3] * g.moderators[0].value + MODES_A[j][1];
        assert_relative_eq!(g.log_score, expected, epsilon = 2e-4);
        let fit = &model.fit;
        let la = &fit.random[0];
        let (w, idx) = ([1.0, g.moderators[0].value], [1, 3]);
        let mut variance = la.mode_sd[j][1].powi(2);
        for a in 0..2 {
            for b in 0..2 {
                variance += w[a] * w[b] * fit.cov_beta[idx[a]][idx[b]];
            }
            variance += 2.0 * w[a] * la.mode_cov_fixed[j][1][idx[a]];
        }
        assert_relative_eq!(g.std_error, variance.sqrt(), max_relative = 1e-12);
        assert!(g.std_error > R_CONDITIONAL_SD[j] * 1.01, "{} vs {}", g.std_error, R_CONDITIONAL_SD[j]);
    }
}

#[test]
fn per_la_glm_failures_are_listed_with_their_reason() {
    // LA01 keeps one row; LA02's counts are all zero; LA03's deprivation is constant.
    let mut lines = LA12_CSV.lines();
    let header = lines.next().unwrap();
    let mut kept = vec![header.to_owned()];
    let mut seen_la01 = false;
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        let mut cells: Vec<String> = cells.iter().map(|s| (*s).to_owned()).collect();
        match cells[0].as_str() {
            "LA01" if seen_la01 => continue,
            "LA01" => seen_la01 = true,
            "LA02" => cells[5] = "0".into(),
            "LA03" => cells[2] = "0.5".into(),
            _ => {}
        }
        kept.push(cells.join(","));
    }
    let df = read_csv(kept.join("\n").as_bytes()).unwrap();
    let formula = "count ~ imd_z + offset(log(pop/10000))";
    let model = fit_model(&df, &FitRequest::new(formula, Family::Poisson)).unwrap();
    let req = LaGradientRequest {
        term: "imd_z".into(),
        group: "la".into(),
        deprivation_column: None,
        population_column: None,
    };
    let r = model.la_gradients(&df, &req).unwrap();
    assert!(r.random_slopes.is_none());
    assert!(r.random_slopes_unavailable.unwrap().contains("no random slope for 'imd_z' by 'la'"));
    let g = &r.separate_glms;
    assert_eq!(g.gradients.len(), 9);
    let reasons: Vec<(&str, usize, &str)> =
        g.failures.iter().map(|f| (f.level.as_str(), f.rows, f.reason.as_str())).collect();
    assert_eq!(
        reasons,
        vec![
            ("LA01", 1, "only 1 row: a slope needs at least two neighbourhoods"),
            ("LA02", 25, "every count is zero, so the rate cannot be estimated"),
            ("LA03", 25, "'imd_z' has the same value in every row, so its slope cannot be estimated"),
        ]
    );
}

fn error_json(e: &EngineError) -> serde_json::Value {
    serde_json::to_value(e).unwrap()
}

#[test]
fn errors_point_at_the_term_or_row() {
    let df = la12();
    let fit = |formula: &str, family: Family| run_fit(&df, &FitRequest::new(formula, family), &mut |_| {});

    let e = fit("count ~ imd_z + ", Family::Poisson).unwrap_err();
    let j = error_json(&e);
    assert_eq!(j["kind"], "formula");
    assert!(j["span"]["start"].is_u64() && j["message"].as_str().unwrap().starts_with("formula: "));

    let e = fit("count ~ imdz + offset(log(pop))", Family::Poisson).unwrap_err();
    let j = error_json(&e);
    assert_eq!(j["kind"], "formula");
    assert_eq!(j["term"], "imdz");
    assert_eq!(j["span"]["start"], 8);
    assert!(e.to_string().contains("imd_z"), "{e}");

    let e = fit("la ~ imd_z", Family::Poisson).unwrap_err();
    assert!(!e.to_string().is_empty());

    let mut req = FitRequest::new(FORMULA_A, Family::Nbinom2);
    req.nagq = 0;
    let e = run_fit(&df, &req, &mut |_| {}).unwrap_err();
    assert_eq!(error_json(&e)["kind"], "request");
    assert!(e.to_string().contains("nagq must be at least 1"));

    req.nagq = 5;
    let e = run_fit(&df, &req, &mut |_| {}).unwrap_err();
    let j = error_json(&e);
    assert_eq!(j["kind"], "fit");
    assert_eq!(j["reason"], "quadrature_not_supported");

    // A negative count in data row 4 is reported with its row number.
    let bad = LA12_CSV.replacen("LA01,LA01_M1,0.184,0.894,747,8", "LA01,LA01_M1,0.184,0.894,747,-8", 1);
    assert_ne!(bad, LA12_CSV);
    let df = read_csv(bad.as_bytes()).unwrap();
    let e = run_fit(&df, &FitRequest::new("count ~ imd_z", Family::Poisson), &mut |_| {}).unwrap_err();
    let j = error_json(&e);
    assert_eq!(j["kind"], "data_rows");
    assert_eq!(j["row"], 2);
    assert_eq!(j["column"], "count");
}

#[test]
fn missing_values_are_left_out_with_a_warning() {
    let text =
        LA12_CSV.replacen(",747,8\n", ",747,\n", 1).replacen("LA01,LA01_M1,-0.626,", "LA01,LA01_M1,NA,", 1);
    let df = read_csv(text.as_bytes()).unwrap();
    let report = run_fit(
        &df,
        &FitRequest::new("count ~ imd_z + offset(log(pop/10000))", Family::Poisson),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!((report.nobs, report.rows_dropped), (298, 2));
    assert!(
        report.warnings[0].message.starts_with("2 rows had a missing value and were left out"),
        "{:?}",
        report.warnings
    );
}

#[test]
fn requests_deserialise_with_defaults() {
    let req: FitRequest =
        serde_json::from_str(r#"{"formula": "count ~ imd_z", "family": "nbinom1"}"#).unwrap();
    assert_eq!(req, FitRequest::new("count ~ imd_z", Family::Nbinom1));
    assert_eq!(req.options().unwrap().nagq, 1);
    let req: LaGradientRequest = serde_json::from_str(r#"{"term": "imd_z", "group": "la"}"#).unwrap();
    assert_eq!((req.deprivation_column, req.population_column), (None, None));
    assert!(serde_json::from_str::<FitRequest>(r#"{"formula": "y ~ x", "family": "gaussian"}"#).is_err());
}
