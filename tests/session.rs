//! The engine's session natively: reading a file once, checking and fitting a formula (reusing
//! the checked design), views of the last fit, comparing, deriving columns, and errors that name
//! their row, column or term. Numbers are checked against glmmTMB (la12.csv, fitted in R by
//! glmmTMB 1.1.5; see tests/report_support) and against the engine's one-shot entry points.

#![allow(clippy::excessive_precision)]

mod report_support;

use report_support::{fit_a, LA12_CSV};
use socgrad::data::{read_csv, Column, DataFrame, Delimiter};
use socgrad::diagnostics::CheckOptions;
use socgrad::fit::Family;
use socgrad::fit_views::{RScriptRequest, ViewRequest};
use socgrad::report::{fit_model, run_compare, EngineError, FitRequest};
use socgrad::session::{Session, SessionError};
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
    let fresh = fit_model(s.frame(), &request, &mut |_| {}).unwrap();
    assert_eq!(report, fresh.report);
    assert_eq!(s.model().unwrap().design.x_names, fresh.design.x_names);
}

#[test]
fn views_and_checks_need_a_fit_and_then_use_it() {
    let mut s = la12();
    let err = s.views(&ViewRequest::default()).unwrap_err();
    assert_eq!(err, SessionError::NoModel);
    assert_eq!(err.to_string(), "no model has been fitted yet");
    assert_eq!(s.check_model(&CheckOptions::default()).unwrap_err(), SessionError::NoModel);

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
    assert!(matches!(s.fit(&bad, &view, &mut |_| {}), Err(SessionError::Engine(EngineError::Design(_)))));
    assert_eq!(s.views(&view).unwrap_err(), SessionError::NoModel);
}

#[test]
fn compare_reuses_the_fitted_design_and_agrees_with_a_fresh_comparison() {
    let mut s = la12();
    let formula = "count ~ imd_z + offset(log(pop/10000)) + (1 | la)";
    s.fit(&FitRequest::new(formula, Family::Poisson), &ViewRequest::default(), &mut |_| {}).unwrap();
    let mut steps = 0;
    let kept = s.compare(formula, &mut |_| steps += 1).unwrap();
    assert!(steps > 0);
    let fresh = run_compare(s.frame(), formula, &mut |_| {}).unwrap();
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
    let script = s.r_script(&RScriptRequest {
        file_name: "la12.csv".into(),
        formula: formula.into(),
        family: Family::Poisson,
        derived: Vec::new(),
        delimiter: Delimiter::Comma,
    });
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
        SessionError::Engine(EngineError::Formula(e)) => assert_eq!(e.span.start, 8),
        other => panic!("{other:?}"),
    }
    // A file that cannot be read.
    assert!(matches!(Session::open(b"a,b\n1,2\n3\n"), Err(SessionError::Engine(EngineError::Data(_)))));
    // A derivation from a missing column names it.
    match s.derive(&DeriveRequest::la_deprivation("nothing", "pop", "la")).unwrap_err() {
        SessionError::Workflow(e) => assert_eq!(e.column.as_deref(), Some("nothing")),
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
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
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
        let one_shot = fit_model(&read_csv(csv.as_bytes()).unwrap(), &request, &mut |_| {}).unwrap().report;
        let mut s = Session::open(csv.as_bytes()).unwrap();
        if case % 2 == 0 {
            assert!(s.check_formula(formula).unwrap().validation.is_ok());
        }
        let report = s.fit(&request, &ViewRequest::default(), &mut |_| {}).unwrap().report.clone();
        assert_eq!(report, one_shot, "case {case}: {formula}");
        assert!(report.loglik < 0.0 && report.nobs > 150, "case {case}");
    }
}
