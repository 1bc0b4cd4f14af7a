//! Random effects by level against glmmTMB's `ranef(m, condVar = TRUE)` (golden values in
//! tests/reference/ranef, made by make_ranef.R): conditional modes to 1e-4 and conditional SDs to
//! 1e-3 relative for a random intercept, correlated random slopes and nested effects.

use serde_json::Value;
use socgrad::data::{read_csv, DataFrame};
use socgrad::fit::Family;
use socgrad::pipeline::{FitRequest, FittedModel, PreparedModel};
use std::path::PathBuf;

fn reference() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reference")
}

fn data(name: &str) -> DataFrame {
    read_csv(&std::fs::read(reference().join(format!("data/{name}.csv"))).unwrap()).unwrap()
}

fn golden() -> Value {
    let text = std::fs::read_to_string(reference().join("ranef/ranef.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn family(name: &str) -> Family {
    serde_json::from_value(Value::String(name.to_owned())).unwrap()
}

fn fitted(g: &Value) -> FittedModel {
    let req = FitRequest::new(g["formula"].as_str().unwrap(), family(g["family"].as_str().unwrap()));
    PreparedModel::new(&data(g["data"].as_str().unwrap()), &req).unwrap().fit(&mut |_| {}).unwrap()
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect()
}

#[test]
fn modes_and_conditional_sds_agree_with_glmmtmb() {
    let golden = golden();
    for g in golden["fits"].as_array().unwrap() {
        let id = g["id"].as_str().unwrap();
        let model = fitted(g);
        let loglik = g["loglik"].as_f64().unwrap();
        assert!((model.fit.loglik - loglik).abs() < 1e-5, "{id}: logLik {} vs {loglik}", model.fit.loglik);
        for term in g["terms"].as_array().unwrap() {
            let group = term["group"].as_str().unwrap();
            let r =
                model.fit.random.iter().find(|r| r.group == group).unwrap_or_else(|| panic!("{id}: {group}"));
            let names: Vec<&str> =
                term["terms"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
            assert_eq!(r.terms, names, "{id}");
            let levels = term["levels"].as_array().unwrap();
            assert_eq!(r.levels.len(), levels.len(), "{id}: {group}");
            for ((level, modes), sds) in
                levels.iter().zip(term["modes"].as_array().unwrap()).zip(term["sds"].as_array().unwrap())
            {
                let level = level.as_str().unwrap();
                let j = r.levels.iter().position(|l| l == level).unwrap_or_else(|| panic!("{id}: {level}"));
                for (c, (mode, sd)) in numbers(modes).into_iter().zip(numbers(sds)).enumerate() {
                    let (m, s) = (r.modes[j][c], r.mode_sd[j][c]);
                    assert!((m - mode).abs() < 1e-4, "{id} {group} {level} {}: mode {m} vs {mode}", names[c]);
                    assert!((s / sd - 1.0).abs() < 1e-3, "{id} {group} {level} {}: SD {s} vs {sd}", names[c]);
                }
            }
        }
    }
}

/// Each LA's log gradient `B_imd_z + B_imd_z:la_imd * la_imd_j + b_j` and its standard error
/// from the joint covariance of the parameters and random effects (the inverse of glmmTMB's
/// joint precision).
#[test]
fn per_la_gradients_agree_with_glmmtmb_joint_covariance() {
    let golden = golden();
    let g = golden["fits"].as_array().unwrap().iter().find(|f| f["id"] == "nb2_slope").unwrap();
    let model = fitted(g);
    let report = model.random_effects().unwrap();
    assert_eq!(report.gradients.len(), 1);
    let gradients = &report.gradients[0];
    assert_eq!((gradients.term.as_str(), gradients.group.as_str()), ("imd_z", "la"));
    let levels = g["gradient"]["levels"].as_array().unwrap();
    assert_eq!(gradients.gradients.len(), levels.len());
    for want in levels {
        let level = want["level"].as_str().unwrap();
        let got = gradients.gradients.iter().find(|x| x.level == level).unwrap();
        let (log_score, se) = (want["log_score"].as_f64().unwrap(), want["std_error"].as_f64().unwrap());
        assert!((got.moderators[0].value - want["moderator"].as_f64().unwrap()).abs() < 1e-9);
        assert!((got.log_score - log_score).abs() < 1e-4, "{level}: {} vs {log_score}", got.log_score);
        assert!((got.std_error / se - 1.0).abs() < 1e-3, "{level}: {} vs {se}", got.std_error);
        assert!((got.ci_low / (log_score - 1.959964 * se).exp() - 1.0).abs() < 1e-3);
    }
    assert!(gradients.note.contains("includes the uncertainty of the fixed effects"));
}

/// Intervals of the modes are `mode -+ 1.96 SD`, rows are counted per level, and a model
/// without slopes has no per-LA gradients.
#[test]
fn the_report_gives_each_level_its_interval_and_rows() {
    let golden = golden();
    let g = golden["fits"].as_array().unwrap().iter().find(|f| f["id"] == "nb1_nested").unwrap();
    let model = fitted(g);
    let report = model.random_effects().unwrap();
    assert!(report.gradients.is_empty());
    assert_eq!(report.terms.len(), 2);
    let total: usize =
        report.terms.iter().find(|t| t.group == "la").unwrap().levels.iter().map(|l| l.rows).sum();
    assert_eq!(total, model.fit.nobs);
    for t in &report.terms {
        for l in &t.levels {
            assert!((l.ci_low - (l.mode - 1.959963984540054 * l.sd)).abs() < 1e-12);
            assert!((l.ci_high - (l.mode + 1.959963984540054 * l.sd)).abs() < 1e-12);
            assert!(l.sd > 0.0 && l.sd < t.sd, "{}: {} {} vs {}", t.group, l.level, l.sd, t.sd);
        }
    }
}

fn socgrad(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_socgrad")).args(args).output().unwrap()
}

#[test]
fn the_command_line_prints_random_effects_by_level() {
    let data = reference().join("data/medium_nb2.csv");
    let formula = "count ~ imd_z * la_imd + offset(log(pop/10000)) + (1 + imd_z | la)";
    let out = socgrad(&[
        "fit",
        data.to_str().unwrap(),
        "--formula",
        formula,
        "--family",
        "nbinom2",
        "--ranef",
        "--json",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let terms = v["ranef"]["terms"].as_array().unwrap();
    assert_eq!(terms.len(), 2);
    assert_eq!(terms[1]["term"], "imd_z");
    assert_eq!(terms[1]["group"], "la");
    let level = &terms[1]["levels"][0];
    for key in ["level", "rows", "mode", "sd", "ci_low", "ci_high"] {
        assert!(level.get(key).is_some(), "{key}");
    }
    let golden = golden();
    let g = golden["fits"].as_array().unwrap().iter().find(|f| f["id"] == "nb2_slope").unwrap();
    let first = &g["terms"][0];
    let j = first["levels"].as_array().unwrap().iter().position(|l| *l == level["level"]).unwrap();
    assert!((level["mode"].as_f64().unwrap() - first["modes"][j][1].as_f64().unwrap()).abs() < 1e-4);
    let gradient = &v["ranef"]["gradients"][0];
    assert_eq!(gradient["method"], "random_slopes");
    assert_eq!(gradient["gradients"].as_array().unwrap().len(), 40);
    assert!(v["ranef"]["note"].as_str().unwrap().contains("condVar"));

    let text =
        socgrad(&["fit", data.to_str().unwrap(), "--formula", formula, "--family", "nbinom2", "--ranef"]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("Random effects by level"));
    assert!(text.contains("Social gradient of 'imd_z' by la:"));

    let glm = socgrad(&[
        "fit",
        data.to_str().unwrap(),
        "--formula",
        "count ~ imd_z",
        "--family",
        "poisson",
        "--ranef",
    ]);
    assert_eq!(glm.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&glm.stderr).contains("--ranef needs a model with random effects"));
}

/// Crossed random effects (tests/reference/crossed, make_crossed.R): every level's conditional
/// mode and SD of every grouping factor with at most 200 levels, against glmmTMB's
/// `ranef(condVar = TRUE)`, for the real LA-by-year panel (with and without a random slope), the
/// neighbourhood panel with LA, MSOA and year effects and three crossed factors.
#[test]
fn crossed_modes_and_conditional_sds_agree_with_glmmtmb() {
    let dir = reference().join("crossed");
    for id in [
        "la_panel.cla.nbinom2",
        "la_panel.cla_slope.nbinom2",
        "neighbourhood_panel.la_msoa_year.nbinom1",
        "la_year_age.three_layear.nbinom2",
    ] {
        let text = std::fs::read_to_string(dir.join(format!("golden/{id}.json"))).unwrap();
        let g: Value = serde_json::from_str(&text).unwrap();
        let df = read_csv(&std::fs::read(dir.join(g["data"].as_str().unwrap())).unwrap()).unwrap();
        let req = FitRequest::new(g["formula"].as_str().unwrap(), family(g["family"].as_str().unwrap()));
        let model = PreparedModel::new(&df, &req).unwrap().fit(&mut |_| {}).unwrap();
        let mut compared = 0;
        for term in g["modes"].as_array().unwrap() {
            let group = term["group"].as_str().unwrap();
            let r =
                model.fit.random.iter().find(|r| r.group == group).unwrap_or_else(|| panic!("{id}: {group}"));
            let names: Vec<&str> =
                term["terms"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
            assert_eq!(r.terms, names, "{id}: {group}");
            for (k, level) in term["levels"].as_array().unwrap().iter().enumerate() {
                let level = level.as_str().unwrap();
                let l = r
                    .levels
                    .iter()
                    .position(|x| x == level)
                    .unwrap_or_else(|| panic!("{id}: {group} {level}"));
                let (modes, sds) = (numbers(&term["modes"][k]), numbers(&term["sds"][k]));
                for c in 0..names.len() {
                    let (m, s) = (r.modes[l][c], r.mode_sd[l][c]);
                    assert!((m - modes[c]).abs() < 1e-4, "{id} {group} {level}: mode {m} vs {}", modes[c]);
                    assert!((s - sds[c]).abs() < 1e-3 * sds[c], "{id} {group} {level}: SD {s} vs {}", sds[c]);
                    compared += 1;
                }
            }
        }
        assert!(compared > 20, "{id}: {compared} modes compared");
    }
}
