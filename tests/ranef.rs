//! Random effects by level against glmmTMB's `ranef(m, condVar = TRUE)` (golden values in
//! tests/reference/ranef, made by make_ranef.R): conditional modes to 1e-4 and conditional SDs to
//! 1e-3 relative for a random intercept, correlated random slopes and nested effects.

use serde_json::Value;
use socgrad::data::{read_csv, DataFrame};
use socgrad::fit::Family;
use socgrad::report::{fit_model, FitRequest, FittedModel};
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
    fit_model(&data(g["data"].as_str().unwrap()), &req, &mut |_| {}).unwrap()
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
