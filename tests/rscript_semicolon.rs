//! One delimiter detection for the engine and the R script it exports: a semicolon file with
//! decimal commas and commas inside its quoted header names (tests/reference/semicolon/) is read
//! by the engine, whose exported script must read it with `read.csv2` and, run in R
//! (tests/reference/semicolon/make_golden.R), give glmmTMB's fit in golden.csv, which the
//! engine's fit must match: estimates within 1e-4 x max(1, |b|), log-likelihood within 1e-3.

use socgrad::data::{read_csv_file, Delimiter};
use socgrad::fit::Family;
use socgrad::fit_views::{r_script, RScriptRequest, ScriptModel};
use socgrad::pipeline::{FitRequest, Session};
use std::collections::HashMap;
use std::path::PathBuf;

const FORMULA: &str = "referrals ~ dep + offset(log(children / 10000)) + (1 | la)";

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reference/semicolon")
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// golden.csv: `name,value` lines written by make_golden.R.
fn golden() -> HashMap<String, f64> {
    let text = String::from_utf8(read("golden.csv")).expect("golden.csv is UTF-8");
    text.lines()
        .skip(1)
        .map(|line| {
            let (name, value) = line.split_once(',').expect("name,value");
            let value = match value.trim() {
                "TRUE" => 1.0,
                "FALSE" => 0.0,
                v => v.parse().unwrap_or_else(|_| panic!("golden value {v}")),
            };
            (name.trim().to_owned(), value)
        })
        .collect()
}

fn exported_script() -> String {
    let file = read_csv_file(&read("referrals.csv")).expect("the file reads");
    let request = RScriptRequest {
        file_name: "referrals.csv".into(),
        formula: None,
        family: None,
        derived: vec![],
        delimiter: file.delimiter,
        bad_columns: Vec::new(),
    };
    r_script(&request, &ScriptModel { formula: FORMULA, family: Family::Nbinom2, report: None })
}

#[test]
fn the_reader_detects_semicolons_with_decimal_commas_despite_commas_in_the_header() {
    let file = read_csv_file(&read("referrals.csv")).expect("the file reads");
    assert_eq!(file.delimiter, Delimiter::Semicolon { decimal_comma: true });
    let names: Vec<&str> = file.frame.names().iter().map(String::as_str).collect();
    assert_eq!(names, ["la", "referrals", "children", "dep", "rate, per 1,000, children", "notes, if, any"]);
    let g = golden();
    assert_eq!(file.frame.ncols() as f64, g["columns"]);
    assert_eq!(file.frame.nrows() as f64, g["rows"]);
    assert_eq!(g["dep_is_numeric"], 1.0, "R read the decimal commas as numbers");
}

#[test]
fn the_exported_script_is_the_one_run_in_r_and_reads_with_read_csv2() {
    let script = exported_script();
    assert!(script.contains("data <- read.csv2(\"referrals.csv\", check.names = FALSE"), "{script}");
    let committed = String::from_utf8(read("fit.R")).expect("fit.R is UTF-8");
    assert_eq!(script, committed, "tests/reference/semicolon/fit.R is not what the engine exports");
}

#[test]
fn the_engine_fit_equals_glmmtmb_running_the_exported_script() {
    let session = Session::open(&read("referrals.csv")).expect("the file reads");
    let report =
        session.fit_report(&FitRequest::new(FORMULA, Family::Nbinom2), &mut |_| {}).expect("the model fits");
    let g = golden();
    let estimates: Vec<(&String, &f64)> = g.iter().filter(|(k, _)| k.starts_with("estimate:")).collect();
    assert_eq!(estimates.len(), report.coefficients.len());
    for (name, &theirs) in estimates {
        let term = name.trim_start_matches("estimate:");
        let ours = report.coefficients.iter().find(|c| c.term == term).expect(term).estimate;
        assert!((ours - theirs).abs() <= 1e-4 * theirs.abs().max(1.0), "{term}: ours {ours} vs R {theirs}");
    }
    assert!(
        (report.loglik - g["loglik"]).abs() <= 1e-3,
        "logLik: ours {} vs R {}",
        report.loglik,
        g["loglik"]
    );
    let theta = report.dispersion.expect("NB2 has a dispersion");
    assert!((theta - g["theta"]).abs() <= 1e-3 * g["theta"], "theta: ours {theta} vs R {}", g["theta"]);
}
