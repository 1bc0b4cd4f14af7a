//! The engine's session natively: reading a file once, checking a formula or a fit request and
//! fitting it (reusing the checked design), views, checks, random effects by level, profiles and
//! predictions of the last fit, comparing families and two written models, deriving columns, and
//! errors that name their row, column or term. Numbers are checked against glmmTMB (la12.csv, fitted in R by
//! glmmTMB 1.1.5; see tests/report_support) and against the engine's one-shot entry points.

#![allow(clippy::excessive_precision)]

use crate::report_support;

use report_support::{fit_a, LA12_CSV};
use socgrad::data::{read_csv, Column, DataFrame, Delimiter};
use socgrad::diagnostics::CheckOptions;
use socgrad::fit::Family;
use socgrad::fit_views::{RScriptRequest, ViewRequest};
use socgrad::pipeline::compare::compare_models;
use socgrad::pipeline::{EngineError, FitRequest, PreparedModel, Session};
use socgrad::random::Rng;
use socgrad::report::prediction::prediction_inputs;
use socgrad::report::ranef::random_effects;
use socgrad::workflow::derive::DeriveRequest;

const FORMULA_A: &str = "count ~ imd_z * la_imd + offset(log(pop/10000)) + (1 + imd_z | la)";

fn la12() -> Session {
    Session::open(LA12_CSV.as_bytes()).unwrap()
}

fn numbers(df: &DataFrame, name: &str) -> Vec<f64> {
    match df.column(name) {
        Some(Column::Numeric(v)) => v.clone(),
        other => panic!("{name}: {other:?}"),
    }
}

fn relative(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1e-300)
}

#[test]
fn a_file_is_read_once_and_summarised() {
    let s = la12();
    let o = s.overview(2);
    assert_eq!(o.rows, 300);
    let names: Vec<&str> = o.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["la", "msoa", "imd_z", "la_imd", "pop", "count"]);
    let first: Vec<&str> = o.preview.rows[0].iter().map(|c| c.as_deref().unwrap_or("")).collect();
    assert_eq!(first, ["LA01", "LA01_M1", "-0.626", "0.894", "492", "0"]);
    assert_eq!(o.roles.deprivation.as_deref(), Some("imd_z"));
    assert_eq!((o.delimiter, o.decimal_comma), (',', false));
    assert_eq!(s.frame().nrows(), 300);
}

#[test]
fn a_checked_formula_fits_as_glmmtmb_does_and_as_a_fresh_fit_does() {
    let mut s = la12();
    let check = s.check_formula(FORMULA_A).unwrap();
    assert!(check.validation.is_ok(), "{:?}", check.validation.problems);
    assert_eq!(check.summary.fixed_terms, ["imd_z", "la_imd", "imd_z:la_imd"]);
    let request = FitRequest::new(FORMULA_A, Family::Nbinom2);
    let mut iterations = 0;
    let report = s.fit(&request, &ViewRequest::default(), &mut |_| iterations += 1).unwrap().report.clone();
    assert!(iterations > 0);
    // glmmTMB's log-likelihood and fixed effects.
    let r = fit_a();
    assert!(relative(report.loglik, r.loglik) < 1e-6, "{} vs {}", report.loglik, r.loglik);
    for (c, b) in report.coefficients.iter().zip(&r.beta) {
        assert!((c.estimate - b).abs() < 1e-4, "{}: {} vs {b}", c.term, c.estimate);
    }
    // The design kept from the check gives exactly what parsing and building again gives.
    let fresh = PreparedModel::new(s.frame(), &request).unwrap().fit(&mut |_| {}).unwrap();
    assert_eq!(report, fresh.report);
    assert_eq!(s.model().unwrap().design.x_names, fresh.design.x_names);
}

#[test]
fn views_and_checks_need_a_fit_and_then_use_it() {
    let mut s = la12();
    let err = s.views(&ViewRequest::default()).unwrap_err();
    assert_eq!(err, EngineError::NoModel);
    assert_eq!(err.to_string(), "no model has been fitted yet");
    assert_eq!(s.check_model(&CheckOptions::default()).unwrap_err(), EngineError::NoModel);

    let request = FitRequest::new(FORMULA_A, Family::Nbinom2);
    let roles = s.overview(1).roles;
    let view = ViewRequest { roles, ..ViewRequest::default() };
    let first = s.fit(&request, &view, &mut |_| {}).unwrap().views;
    assert_eq!(first.gradient_term.as_deref(), Some("imd_z"));
    // The same views again from the kept model, and the headline score is exp(B_imd_z).
    let again = s.views(&view).unwrap();
    assert_eq!(again, first);
    let beta = s.model().unwrap().fit.beta[1];
    let headline = again.gradient.unwrap().headline.score.score;
    assert!(relative(headline, beta.exp()) < 1e-12, "{headline} vs exp({beta})");
    // The LA chart uses the model's random slopes: one point per LA, 12 LAs.
    let la = again.charts.iter().find(|c| c.id == "la_gradients").expect("LA chart");
    assert_eq!(la.table.rows.len(), 12);

    let checked = s.check_model(&CheckOptions { simulations: 50, seed: 7 }).unwrap();
    assert_eq!(checked.charts.len(), 2);
    // A failed fit leaves no model behind.
    let bad = FitRequest::new("count ~ nothing", Family::Poisson);
    assert!(matches!(s.fit(&bad, &view, &mut |_| {}), Err(EngineError::Design(_))));
    assert_eq!(s.views(&view).unwrap_err(), EngineError::NoModel);
}

#[test]
fn compare_reuses_the_fitted_design_and_agrees_with_a_fresh_comparison() {
    let mut s = la12();
    let formula = "count ~ imd_z + offset(log(pop/10000)) + (1 | la)";
    s.fit(&FitRequest::new(formula, Family::Poisson), &ViewRequest::default(), &mut |_| {}).unwrap();
    let mut steps = 0;
    let kept = s.compare(formula, &mut |_| steps += 1).unwrap();
    assert!(steps > 0);
    let fresh = Session::from_frame(s.frame().clone()).compare(formula, &mut |_| {}).unwrap();
    assert_eq!(kept, fresh);
    assert_eq!(kept.models.len(), 6);
    // Another formula is parsed and built afresh.
    let other = s.compare("count ~ la_imd + offset(log(pop/10000))", &mut |_| {}).unwrap();
    assert_eq!(other.models.len(), 3);
}

#[test]
fn a_derived_column_is_used_by_later_checks_fits_and_comparisons() {
    let mut s = la12();
    let formula = "count ~ imd_z + la_imd_z + offset(log(pop/10000))";
    // Before deriving, the column is unknown, and the check says where.
    let before = s.check_formula(formula).unwrap();
    assert!(!before.validation.is_ok());
    assert!(before.validation.problems[0].message.contains("la_imd_z"), "{:?}", before.validation.problems);
    let derived = s.derive(&DeriveRequest::la_deprivation("imd_z", "pop", "la")).unwrap();
    assert_eq!((derived.name.as_str(), derived.groups), ("la_imd_z", 12));
    // Deriving the same name again replaces the column rather than adding a second one.
    s.derive(&DeriveRequest::la_deprivation("imd_z", "pop", "la")).unwrap();
    assert_eq!(s.frame().names().iter().filter(|n| *n == "la_imd_z").count(), 1);
    assert!(s.check_formula(formula).unwrap().validation.is_ok());
    let fit =
        s.fit(&FitRequest::new(formula, Family::Poisson), &ViewRequest::default(), &mut |_| {}).unwrap();
    assert_eq!(fit.report.coefficients.len(), 3);
    // The population-weighted LA mean of imd_z in LA01, computed here from the file.
    let df = read_csv(LA12_CSV.as_bytes()).unwrap();
    let (imd, pop) = (numbers(&df, "imd_z"), numbers(&df, "pop"));
    let Some(Column::Text(la)) = df.column("la") else { panic!("la is text") };
    let (mut num, mut den) = (0.0, 0.0);
    for i in 0..df.nrows() {
        if la.get(i) == Some("LA01") {
            num += imd[i] * pop[i];
            den += pop[i];
        }
    }
    let kept = numbers(s.frame(), "la_imd_z")[0];
    assert!(relative(kept, num / den) < 1e-12, "{kept} vs {}", num / den);
    // The R script carries the derivation and the fitted formula.
    let script = s
        .r_script(&RScriptRequest {
            file_name: "la12.csv".into(),
            formula: Some(formula.into()),
            family: Some(Family::Poisson),
            derived: Vec::new(),
            delimiter: Delimiter::Comma,
            bad_columns: Vec::new(),
        })
        .unwrap();
    assert!(script.contains("la_imd_z"), "{script}");
}

#[test]
fn errors_name_the_row_column_or_term() {
    let csv = "la,pop,dep,k\nA,100,10,3\nA,120,20,5\nA,90,15,-2\nB,80,30,4\nB,75,35,6\nB,70,25,2\n";
    let mut s = Session::open(csv.as_bytes()).unwrap();
    let check = s.check_formula("k ~ dep + offset(log(pop)) + (1 | la)").unwrap();
    let negative = check.validation.problems.iter().find(|p| p.row == Some(3)).expect("row 3");
    assert_eq!(negative.column.as_deref(), Some("k"));
    // The fit of that formula fails at the same row.
    let err = s
        .fit(
            &FitRequest::new("k ~ dep + offset(log(pop)) + (1 | la)", Family::Poisson),
            &ViewRequest::default(),
            &mut |_| {},
        )
        .unwrap_err();
    assert!(err.to_string().contains("row 3"), "{err}");
    // A formula that does not parse: an error at its term.
    match s.check_formula("k ~ dep +").unwrap_err() {
        EngineError::Formula(e) => assert_eq!(e.span.start, 8),
        other => panic!("{other:?}"),
    }
    // A file that cannot be read.
    assert!(matches!(Session::open(b"a,b\n1,2\n3\n"), Err(EngineError::Data(_))));
    // A derivation from a missing column names it.
    match s.derive(&DeriveRequest::la_deprivation("nothing", "pop", "la")).unwrap_err() {
        EngineError::Workflow(e) => assert_eq!(e.column.as_deref(), Some("nothing")),
        other => panic!("{other:?}"),
    }
}

/// On random subsets of la12's rows and random formulas, a fit after a check (the kept design)
/// and a fit without one agree exactly with the engine's one-shot fit.
#[test]
fn fits_through_the_session_match_one_shot_fits_on_random_cases() {
    let lines: Vec<&str> = LA12_CSV.lines().collect();
    let formulas = [
        ("count ~ imd_z + offset(log(pop/10000)) + (1 | la)", Family::Poisson),
        ("count ~ imd_z * la_imd + offset(log(pop))", Family::Nbinom1),
        ("count ~ imd_z + la_imd + offset(log(pop/10000)) + (1 | la/msoa)", Family::Nbinom2),
        ("count ~ imd_z + offset(log(pop/10000)) + (0 + imd_z | la)", Family::Poisson),
    ];
    let mut rng = Rng::new(0x9e37_79b9_7f4a_7c15);
    let mut next = move || rng.next_u64();
    for case in 0..8 {
        // Keep each data row with probability 3/4.
        let mut csv = String::from(lines[0]);
        csv.push('\n');
        for line in &lines[1..] {
            if next() % 4 != 0 {
                csv.push_str(line);
                csv.push('\n');
            }
        }
        let (formula, family) = formulas[(next() % formulas.len() as u64) as usize];
        let request = FitRequest::new(formula, family);
        let one_shot = PreparedModel::new(&read_csv(csv.as_bytes()).unwrap(), &request)
            .unwrap()
            .fit(&mut |_| {})
            .unwrap()
            .report;
        let mut s = Session::open(csv.as_bytes()).unwrap();
        if case % 2 == 0 {
            assert!(s.check_formula(formula).unwrap().validation.is_ok());
        }
        let report = s.fit(&request, &ViewRequest::default(), &mut |_| {}).unwrap().report.clone();
        assert_eq!(report, one_shot, "case {case}: {formula}");
        assert!(report.loglik < 0.0 && report.nobs > 150, "case {case}");
    }
}

#[test]
fn readiness_checks_the_request_as_the_fit_does_and_keeps_the_design() {
    let mut s = la12();
    let request = FitRequest::new(FORMULA_A, Family::Nbinom2);
    let ready = s.readiness(&request).unwrap();
    assert!(ready.validation.is_ok(), "{:?}", ready.validation.problems);
    assert_eq!(ready.summary.fixed_terms, ["imd_z", "la_imd", "imd_z:la_imd"]);
    assert_eq!((ready.validation.rows_used, ready.fit_error.clone()), (300, None));
    assert!(ready.value_warnings.is_empty(), "{:?}", ready.value_warnings);
    // The fit after it uses the kept design and gives what a fresh fit gives.
    let report = s.fit(&request, &ViewRequest::default(), &mut |_| {}).unwrap().report.clone();
    assert_eq!(report, PreparedModel::new(s.frame(), &request).unwrap().fit(&mut |_| {}).unwrap().report);

    // Requests the data check passes but the fit refuses: the error is the fit's own.
    let refused = [
        FitRequest { nagq: 5, ..FitRequest::new(FORMULA_A, Family::Poisson) },
        FitRequest { nagq: 0, ..FitRequest::new("count ~ imd_z + offset(log(pop))", Family::Poisson) },
        FitRequest {
            nagq: 3,
            ..FitRequest::new("count ~ imd_z + offset(log(pop)) + (1 | la) + (1 | msoa)", Family::Poisson)
        },
    ];
    for request in &refused {
        let ready = s.readiness(request).unwrap();
        assert!(ready.validation.is_ok(), "{}: {:?}", request.formula, ready.validation.problems);
        let expected = PreparedModel::new(s.frame(), request).unwrap_err();
        assert_eq!(ready.fit_error.as_ref(), Some(&expected), "{}", request.formula);
        assert!(s.fit(request, &ViewRequest::default(), &mut |_| {}).is_err(), "{}", request.formula);
    }
    assert!(s.readiness(&refused[0]).unwrap().fit_error.unwrap().to_string().contains("nagq"));
    // Three grouping factors (one crossing the others) are ready.
    let three = FitRequest::new(
        "count ~ imd_z + offset(log(pop)) + (1 | la) + (1 | msoa) + (1 | la_imd)",
        Family::Poisson,
    );
    assert_eq!(s.readiness(&three).unwrap().fit_error, None);

    // A data problem is reported by the check and the fit's checks are not run.
    let missing = s.readiness(&FitRequest::new("count ~ nothing", Family::Poisson)).unwrap();
    assert!(!missing.validation.is_ok());
    assert_eq!(missing.fit_error, None);
    // A formula that does not parse is an error at its term.
    match s.readiness(&FitRequest::new("count ~ imd_z +", Family::Poisson)).unwrap_err() {
        EngineError::Formula(e) => assert_eq!(e.span.start, 14),
        other => panic!("{other:?}"),
    }
}

#[test]
fn readiness_names_implausible_values_by_row_and_column() {
    let csv = "la,pop,dep,k\nA,100,10,3\nA,120,20,5\nA,2e9,15,2\nB,80,30,4\nB,75,35,6\nB,70,25,2\n";
    let mut s = Session::open(csv.as_bytes()).unwrap();
    let ready =
        s.readiness(&FitRequest::new("k ~ dep + offset(log(pop)) + (1 | la)", Family::Poisson)).unwrap();
    assert!(ready.validation.is_ok(), "{:?}", ready.validation.problems);
    assert_eq!(ready.fit_error, None);
    assert_eq!(ready.value_warnings.len(), 1, "{:?}", ready.value_warnings);
    let w = &ready.value_warnings[0];
    assert_eq!((w.column.as_str(), w.rows.as_slice(), w.total), ("pop", &[3][..], 1));
}

#[test]
fn random_effects_by_level_are_those_of_the_fit() {
    let mut s = la12();
    assert_eq!(s.random_effects().unwrap_err(), EngineError::NoModel);
    s.fit(&FitRequest::new(FORMULA_A, Family::Nbinom2), &ViewRequest::default(), &mut |_| {}).unwrap();
    let out = s.random_effects().unwrap();
    let model = s.model().unwrap();
    assert_eq!(out.report, random_effects(&model.fit, &model.design).unwrap());
    // Two columns of one term (intercept and imd_z slope), 12 LAs each, the modes and SDs
    // of the fit; one per-LA gradient for the slope, exp(B_imd_z + b_LA).
    let r = &model.fit.random[0];
    assert_eq!(out.report.terms.len(), 2);
    for (k, term) in out.report.terms.iter().enumerate() {
        assert_eq!(term.levels.len(), 12);
        assert!(relative(term.sd, r.sd[k]) < 1e-12);
        for (j, level) in term.levels.iter().enumerate() {
            let i = r.levels.iter().position(|l| *l == level.level).unwrap();
            assert_eq!((level.mode, level.sd), (r.modes[i][k], r.mode_sd[i][k]), "{}", level.level);
            assert!(relative(level.ci_high - level.ci_low, 2.0 * 1.959963984540054 * level.sd) < 1e-9, "{j}");
        }
    }
    assert_eq!(
        out.report.terms.iter().map(|t| t.levels.iter().map(|l| l.rows).sum::<usize>()).max(),
        Some(300)
    );
    assert_eq!(out.report.gradients.len(), 1);
    assert!(!out.charts.is_empty());
}

#[test]
fn profiles_are_added_to_the_last_fit_as_a_fresh_fit_adds_them() {
    let mut s = la12();
    assert_eq!(s.profile(&["imd_z".to_owned()]).unwrap_err(), EngineError::NoModel);
    let request = FitRequest::new("count ~ imd_z + offset(log(pop/10000)) + (1 | la)", Family::Poisson);
    s.fit(&request, &ViewRequest::default(), &mut |_| {}).unwrap();
    let report = s.profile(&["imd_z".to_owned()]).unwrap().clone();
    let mut fresh = PreparedModel::new(s.frame(), &request).unwrap().fit(&mut |_| {}).unwrap();
    fresh.add_profiles(&["imd_z".to_owned()]).unwrap();
    assert_eq!(report, fresh.report);
    // The profile interval of imd_z lies around the estimate, close to the Wald interval on
    // 300 rows; the intercept was not asked for; the LA SD's interval is there.
    let c = report.coefficients.iter().find(|c| c.term == "imd_z").unwrap();
    let [low, high] = c.profile_ci.unwrap();
    let (low, high) = (low.unwrap(), high.unwrap());
    assert!(low < c.estimate && c.estimate < high, "{low} {} {high}", c.estimate);
    let wald = 1.959963984540054 * c.std_error;
    assert!((c.estimate - low - wald).abs() < 0.1 * wald && (high - c.estimate - wald).abs() < 0.1 * wald);
    assert_eq!(report.coefficients[0].profile_ci, None);
    assert!(report.random_effects[0].sd_profile_ci.is_some());
    // A term the model does not have names it and leaves the report as it was.
    let err = s.profile(&["nothing".to_owned()]).unwrap_err();
    assert!(err.to_string().contains("nothing"), "{err}");
    assert_eq!(s.model().unwrap().report, report);
}

#[test]
fn predictions_are_the_fit_at_the_values_given() {
    let mut s = la12();
    assert_eq!(s.prediction_inputs().unwrap_err(), EngineError::NoModel);
    let fitted = s.fit(&FitRequest::new(FORMULA_A, Family::Nbinom2), &ViewRequest::default(), &mut |_| {});
    fitted.unwrap();
    let model = s.model().unwrap().clone();
    let inputs = s.prediction_inputs().unwrap();
    assert_eq!(inputs, prediction_inputs(&model.fit, &model.formula, &model.design, &model.info, s.frame()));
    let names: Vec<&str> = inputs.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["imd_z", "la_imd"]);
    let imd = numbers(s.frame(), "imd_z");
    assert!(relative(inputs.columns[0].mean, imd.iter().sum::<f64>() / 300.0) < 1e-12);
    assert_eq!(inputs.groups.len(), 1);
    assert_eq!((inputs.groups[0].group.as_str(), inputs.groups[0].levels.len()), ("la", 12));
    // la_imd is one value in each LA: an LA's own value, which a prediction for it starts from.
    // The file names its LAs by code alone.
    let la = &inputs.groups[0];
    assert_eq!(la.own_columns, ["la_imd"]);
    for (level, values) in la.levels.iter().zip(&la.own_values) {
        let k = report_support::LA_LEVELS.iter().position(|l| l == level).unwrap();
        assert!((values[0] - report_support::LA_IMD[k]).abs() < 1e-12, "{level}");
    }
    assert_eq!((la.name_column.as_deref(), la.names.len()), (None, 0));

    // eta = b0 + b1 x + b2 z + b3 x z, per 10,000 children (the offset's scale).
    let (x, z) = (0.5, -0.25);
    let at = vec![("imd_z".to_owned(), x), ("la_imd".to_owned(), z)];
    let p = s.predict(&at, Some("imd_z"), Some(("la", "LA03"))).unwrap();
    assert_eq!(p, model.predict(&at, Some("imd_z"), Some(("la", "LA03"))).unwrap());
    let b = &model.fit.beta;
    let row = [1.0, x, z, x * z];
    let eta: f64 = row.iter().zip(b).map(|(r, b)| r * b).sum();
    assert!((p.rate.log_rate - eta).abs() < 1e-12, "{} vs {eta}", p.rate.log_rate);
    assert_eq!(p.rate.per, 10000.0);
    assert!(relative(p.rate.rate, eta.exp()) < 1e-12);
    let p4 = model.fit.terms.len();
    let var: f64 = (0..p4)
        .flat_map(|i| (0..p4).map(move |j| (i, j)))
        .map(|(i, j)| row[i] * row[j] * model.fit.cov_beta[i][j])
        .sum();
    assert!(relative(p.rate.std_error, var.sqrt()) < 1e-9);
    // The score of imd_z at la_imd = z is exp(b1 + b3 z); LA03 adds its modes.
    assert!(relative(p.score.as_ref().unwrap().score, (b[1] + b[3] * z).exp()) < 1e-12);
    let r = &model.fit.random[0];
    let i = r.levels.iter().position(|l| l == "LA03").unwrap();
    let level = p.level.unwrap();
    assert!((level.rate.log_rate - (eta + r.modes[i][0] + x * r.modes[i][1])).abs() < 1e-12);
    // A column the model does not have is named.
    let err = s.predict(&[("nothing".to_owned(), 1.0)], None, None).unwrap_err();
    assert!(err.to_string().contains("nothing"), "{err}");
}

#[test]
fn two_written_models_are_compared_as_the_engine_compares_them() {
    let s = la12();
    let first = FitRequest::new("count ~ imd_z + offset(log(pop/10000)) + (1 | la)", Family::Poisson);
    let second =
        FitRequest::new("count ~ imd_z * la_imd + offset(log(pop/10000)) + (1 | la)", Family::Poisson);
    let c = s.compare_models(&first, &second).unwrap();
    assert_eq!(c, compare_models(s.frame(), &first, &second, None).unwrap());
    let ll: Vec<f64> = [&first, &second]
        .iter()
        .map(|r| PreparedModel::new(s.frame(), r).unwrap().fit(&mut |_| {}).unwrap().report.loglik)
        .collect();
    assert_eq!([c.models[0].loglik, c.models[1].loglik], [ll[0], ll[1]]);
    let lr = c.lr_test.as_ref().expect("nested");
    assert_eq!((lr.restricted, lr.general, lr.df), (1, 2, 2));
    assert!(relative(lr.statistic, 2.0 * (ll[1] - ll[0])) < 1e-9);
    // No model is kept by a comparison.
    assert!(s.model().is_none());
    // A formula that does not parse is an error.
    let bad = FitRequest::new("count ~", Family::Poisson);
    assert!(matches!(s.compare_models(&first, &bad), Err(EngineError::Formula(_))));
}
