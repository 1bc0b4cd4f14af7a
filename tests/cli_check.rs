//! `socgrad fit --check`: the residual checks as text and as the `check` field of the JSON, the
//! same residuals for the same seed, and a clear error for a bad number of simulations.

use std::process::{Command, Output};

/// 60 areas with Poisson counts and easting/northing coordinates.
const POINTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference/diagnostics/poisson_points.csv");
const FORMULA: &str = "count ~ x + offset(log(pop/1000))";

fn socgrad(extra: &[&str]) -> Output {
    let mut args = vec!["fit", POINTS, "--formula", FORMULA, "--family", "poisson", "--check"];
    args.extend_from_slice(extra);
    Command::new(env!("CARGO_BIN_EXE_socgrad")).args(args).output().unwrap()
}

fn check_json(extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["--json"];
    args.extend_from_slice(extra);
    let out = socgrad(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["nobs"], 60, "the report's fields stay at the top level");
    v["check"].clone()
}

#[test]
fn json_check_fields() {
    let c = check_json(&[]);
    assert_eq!((c["simulations"].as_u64(), c["seed"].as_u64()), (Some(250), Some(1)));
    assert!(c["simulation"].as_str().unwrap().contains("conditional on the estimated random effects"));
    let residuals: Vec<f64> =
        c["residuals"].as_array().unwrap().iter().map(|r| r.as_f64().unwrap()).collect();
    assert_eq!(residuals.len(), 60);
    assert!(residuals.iter().all(|r| (0.0..=1.0).contains(r)));
    // The KS statistic is the largest gap between the residuals' distribution and the uniform.
    let mut sorted = residuals.clone();
    sorted.sort_by(f64::total_cmp);
    let d = sorted
        .iter()
        .enumerate()
        .map(|(i, &u)| ((i + 1) as f64 / 60.0 - u).max(u - i as f64 / 60.0))
        .fold(0.0, f64::max);
    assert!((c["uniformity"]["statistic"].as_f64().unwrap() - d).abs() < 1e-15);
    assert_eq!(c["uniformity"]["exact"], true);
    for test in ["uniformity", "dispersion", "zero_inflation"] {
        let p = c[test]["p_value"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&p), "{test}: {p}");
        assert!(!c[test]["reading"].as_str().unwrap().is_empty());
    }
    // The data hold 4 zero counts.
    assert_eq!(c["zero_inflation"]["observed"], 4.0);
    let s = &c["spatial"];
    assert_eq!((s["columns"]["x"].as_str(), s["columns"]["y"].as_str()), (Some("easting"), Some("northing")));
    assert_eq!((s["rows_used"].as_u64(), s["neighbours"].as_u64()), (Some(60), Some(8)));
    assert!((s["expected"].as_f64().unwrap() + 1.0 / 59.0).abs() < 1e-15);
    assert!(c["spatial_note"].is_null());
}

#[test]
fn same_seed_same_residuals() {
    let a = check_json(&["--seed", "7", "--simulations", "100"]);
    let b = check_json(&["--seed", "7", "--simulations", "100"]);
    let c = check_json(&["--seed", "8", "--simulations", "100"]);
    assert_eq!(a["residuals"], b["residuals"]);
    assert_ne!(a["residuals"], c["residuals"]);
    assert_eq!(a["simulations"], 100);
}

#[test]
fn text_has_every_test_with_its_reading() {
    let out = socgrad(&[]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for heading in [
        "Model check: 250 data sets simulated from the fitted model, conditional on the estimated random effects",
        "Uniformity of the scaled residuals (Kolmogorov-Smirnov)",
        "Dispersion (variance of y - fitted, observed / simulated)",
        "Zero inflation (zero counts, observed / simulated)",
        "Spatial autocorrelation of the residuals (Moran's I)",
        "coordinates 'easting', 'northing' (60 rows), 8 nearest neighbours",
    ] {
        assert!(text.contains(heading), "missing '{heading}' in\n{text}");
    }
}

#[test]
fn bad_number_of_simulations() {
    let out = socgrad(&["--simulations", "5"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "error: cannot check the model: the number of simulations must be between 10 and 10000, got 5"
    );
}
