//! `socgrad fit` and `socgrad compare` run as a user runs them: JSON fields against glmmTMB,
//! the text layout, and exit code 2 with a clear message on stderr for every kind of bad input.

#![allow(clippy::excessive_precision)]

use approx::assert_relative_eq;
use std::path::PathBuf;
use std::process::{Command, Output};

/// 32 neighbourhoods in 4 LAs (simulated Poisson counts).
const DATA: &str = "la,imd,pop,count
E06000001,18.0,227,3
E06000001,28.3,409,9
E06000001,7.5,449,5
E06000001,9.7,307,4
E06000001,8.9,514,4
E06000001,17.6,449,7
E06000001,18.7,379,7
E06000001,31.7,541,16
E06000002,33.7,492,11
E06000002,21.1,292,8
E06000002,12.0,268,1
E06000002,38.2,243,1
E06000002,21.8,339,6
E06000002,23.3,595,8
E06000002,13.4,233,1
E06000002,9.1,440,1
E06000003,19.5,163,1
E06000003,20.0,474,8
E06000003,9.1,325,6
E06000003,32.6,163,3
E06000003,38.8,415,16
E06000003,6.1,293,3
E06000003,37.3,520,19
E06000003,36.6,320,8
E06000004,28.6,388,7
E06000004,5.6,521,7
E06000004,16.7,273,4
E06000004,34.6,384,11
E06000004,11.0,222,3
E06000004,25.7,434,5
E06000004,8.9,381,6
E06000004,32.7,381,11
";

/// Writes `contents` to a file of its own in the system's temporary folder.
fn write_csv(name: &str, contents: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("socgrad-cli-fit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn socgrad(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_socgrad")).args(args).output().unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Runs a command that must fail: exit code 2, nothing on stdout, one clear line on stderr.
fn failure(args: &[&str]) -> String {
    let out = socgrad(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(out.stdout.is_empty());
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[test]
fn fit_json_matches_glmmtmb() {
    let data = write_csv("glm.csv", DATA);
    let path = data.to_str().unwrap();

    // glmmTMB(count ~ imd + offset(log(pop)), family = poisson, data)
    let v = json(&socgrad(&[
        "fit",
        path,
        "--formula",
        "count ~ imd + offset(log(pop))",
        "--family",
        "poisson",
        "--json",
    ]));
    assert_eq!(v["family"], "poisson");
    assert!(v["dispersion"].is_null());
    assert_eq!((v["df"].as_u64(), v["nobs"].as_u64()), (Some(2), Some(32)));
    assert_eq!(v["converged"], true);
    assert!(v["warnings"].as_array().unwrap().is_empty());
    assert!(v["random_effects"].as_array().unwrap().is_empty());
    assert_relative_eq!(v["loglik"].as_f64().unwrap(), -70.576839376994, epsilon = 1e-6);
    assert_relative_eq!(v["aic"].as_f64().unwrap(), 145.153678753988, epsilon = 1e-5);
    assert_relative_eq!(v["bic"].as_f64().unwrap(), 148.085150559588, epsilon = 1e-5);
    let c = &v["coefficients"];
    assert_eq!(c[0]["term"], "(Intercept)");
    assert_eq!(c[1]["term"], "imd");
    assert_relative_eq!(c[0]["estimate"].as_f64().unwrap(), -4.85342274966467, epsilon = 1e-6);
    assert_relative_eq!(c[1]["estimate"].as_f64().unwrap(), 0.0350266270468619, epsilon = 1e-7);
    // Standard errors come from a numerically differentiated Hessian: agreement to 5e-4.
    assert_relative_eq!(c[0]["std_error"].as_f64().unwrap(), 0.181483666343298, max_relative = 5e-4);
    assert_relative_eq!(c[1]["std_error"].as_f64().unwrap(), 0.00659398876920362, max_relative = 5e-4);
    let z = c[1]["z"].as_f64().unwrap();
    assert_relative_eq!(z, 0.0350266270468619 / 0.00659398876920362, max_relative = 5e-4);
    assert!(c[1]["p"].as_f64().unwrap() < 1e-6);

    // glmmTMB(count ~ imd + offset(log(pop)) + (1 | la), family = poisson, data)
    let v = json(&socgrad(&[
        "fit",
        path,
        "--formula",
        "count ~ imd + offset(log(pop)) + (1 | la)",
        "--family",
        "poisson",
        "--json",
    ]));
    assert_relative_eq!(v["loglik"].as_f64().unwrap(), -70.4547961886607, epsilon = 1e-5);
    assert_eq!(v["df"], 3);
    assert_relative_eq!(
        v["coefficients"][1]["estimate"].as_f64().unwrap(),
        0.0347139028790637,
        epsilon = 1e-6
    );
    let re = &v["random_effects"][0];
    assert_eq!((re["group"].as_str(), re["term"].as_str()), (Some("la"), Some("(Intercept)")));
    assert_relative_eq!(re["sd"].as_f64().unwrap(), 0.0885221496950096, max_relative = 1e-3);
    assert_eq!(v["groups"][0]["levels"], 4);

    // NB2: the counts are not overdispersed, so theta runs off to infinity; glmmTMB fails to
    // converge here, the engine says so in a warning.
    let v = json(&socgrad(&[
        "fit",
        path,
        "--formula",
        "count ~ imd + offset(log(pop))",
        "--family",
        "nbinom2",
        "--json",
    ]));
    assert_eq!(v["family"], "nbinom2");
    assert!(v["dispersion"].as_f64().unwrap() > 1e4);
    assert_eq!(v["dispersion_name"], "theta (nbinom2: variance = mu + mu^2/theta)");
    assert!(!v["warnings"].as_array().unwrap().is_empty());
}

#[test]
fn fit_text_looks_like_a_glmmtmb_summary() {
    let data = write_csv("text.csv", DATA);
    let out = socgrad(&[
        "fit",
        data.to_str().unwrap(),
        "--formula",
        "count ~ imd + offset(log(pop)) + (1 | la)",
        "--family",
        "poisson",
        "--nagq",
        "5",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with(
        " Family: poisson  ( log )\nFormula:          count ~ imd + offset(log(pop)) + (1 | la)\n"
    ));
    for line in [
        "     AIC      BIC   logLik deviance df.resid ",
        "Random effects:",
        " Groups Name        Variance Std.Dev.",
        "Number of obs: 32, groups:  la, 4",
        "             Estimate Std. Error z value Pr(>|z|)    ",
        "Incidence rate ratios, exp(Estimate), with 95% Wald confidence intervals:",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
}

#[test]
fn compare_json_has_six_models() {
    let data = write_csv("compare.csv", DATA);
    let v = json(&socgrad(&[
        "compare",
        data.to_str().unwrap(),
        "--formula",
        "count ~ imd + offset(log(pop)) + (1 | la)",
        "--json",
    ]));
    let models = v["models"].as_array().unwrap();
    assert_eq!(models.len(), 6);
    let names: Vec<&str> = models.iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "Poisson",
            "Negative binomial 2",
            "Negative binomial 1",
            "Poisson + (1 | la)",
            "Negative binomial 2 + (1 | la)",
            "Negative binomial 1 + (1 | la)"
        ]
    );
    assert_relative_eq!(models[0]["loglik"].as_f64().unwrap(), -70.576839376994, epsilon = 1e-6);
    assert_relative_eq!(models[3]["loglik"].as_f64().unwrap(), -70.4547961886607, epsilon = 1e-5);
    // The Poisson GLM has the lowest AIC (145.15): neither extra parameter pays for itself.
    assert_eq!(v["preferred"], "Poisson");
    assert!(!v["lr_tests"].as_array().unwrap().is_empty());
    assert!(v["text"].as_str().unwrap().starts_with("Model comparison for "));
}

#[test]
fn bad_input_exits_with_code_2_and_a_clear_message() {
    let good = write_csv("good.csv", DATA);
    let good = good.to_str().unwrap();

    let missing = std::env::temp_dir().join("socgrad-no-such-file.csv");
    let e = failure(&["fit", missing.to_str().unwrap(), "--formula", "count ~ imd", "--family", "poisson"]);
    assert!(e.starts_with("error: ") && e.contains("socgrad-no-such-file.csv: cannot read the file"), "{e}");

    let ragged = write_csv("ragged.csv", "la,imd,pop,count\nA,1,100,3\nA,2,100\n");
    let e = failure(&["fit", ragged.to_str().unwrap(), "--formula", "count ~ imd", "--family", "poisson"]);
    assert!(
        e.contains("ragged.csv: row 2 (line 3 of the file) has 3 cells but the header has 4 columns"),
        "{e}"
    );

    let e = failure(&["fit", good, "--formula", "count ~ imd +", "--family", "poisson"]);
    assert!(e.starts_with("error: formula: "), "{e}");
    let e = failure(&["fit", good, "--formula", "count ~ deprivation", "--family", "poisson"]);
    assert!(e.contains("deprivation"), "{e}");
    let e = failure(&["compare", good, "--formula", "count ~ deprivation"]);
    assert!(e.contains("deprivation"), "{e}");

    let zeros = write_csv("zeros.csv", "la,imd,count\nA,1,0\nA,2,0\nB,3,0\nB,4,0\n");
    let e = failure(&["fit", zeros.to_str().unwrap(), "--formula", "count ~ imd", "--family", "poisson"]);
    assert!(e.contains("count is 0 in every row"), "{e}");

    let e = failure(&[
        "fit",
        good,
        "--formula",
        "count ~ imd + (1 + imd | la)",
        "--family",
        "poisson",
        "--nagq",
        "5",
    ]);
    assert!(e.to_lowercase().contains("quadrature"), "{e}");
    let e = failure(&["fit", good, "--formula", "count ~ imd", "--family", "poisson", "--nagq", "0"]);
    assert!(e.contains("nagq must be at least 1"), "{e}");

    let e = failure(&["fit", good, "--formula", "count ~ imd", "--family", "gaussian"]);
    assert!(e.contains("gaussian"), "{e}");
    failure(&["fit", good, "--family", "poisson"]);
    failure(&["compare", good]);
}

/// A child population of 1e308 distorts a fit or stops it: the row and column are named on
/// stderr before the fit runs, in text and JSON mode alike; a plausible file gets no warning.
#[test]
fn implausible_exposure_is_named_before_the_fit() {
    let bad = DATA.replacen("E06000002,33.7,492,11", "E06000002,33.7,1e308,11", 1);
    let path = write_csv("implausible.csv", &bad);
    let formula = "count ~ imd + offset(log(pop)) + (1 | la)";
    for family in ["poisson", "nbinom2", "nbinom1"] {
        for json in [false, true] {
            let mut args = vec!["fit", path.to_str().unwrap(), "--formula", formula, "--family", family];
            if json {
                args.push("--json");
            }
            let out = socgrad(&args);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!stderr.contains("panicked"), "{stderr}");
            assert!(
                stderr.starts_with("warning: Column 'pop' (the exposure of the offset) holds implausibly large values (row 9: pop is 1e308)"),
                "{family}: {stderr}"
            );
        }
    }
    let clean = write_csv("plausible.csv", DATA);
    let out = socgrad(&["fit", clean.to_str().unwrap(), "--formula", formula, "--family", "poisson"]);
    assert!(out.status.success());
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}
