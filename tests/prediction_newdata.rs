//! Predictions at new rows of data given on the data's own scale: against glmmTMB's
//! `predict(newdata = ...)` for formulas with scale(), log(), sqrt(), I(), factors, interactions
//! and offsets (golden values in tests/reference/prediction/newdata.json, made by
//! make_newdata.R), `within()` against a hand computation, every data row evaluated back to its
//! own model-matrix row, and which names `--predict` reads on which scale.

use serde_json::Value;
use socgrad::data::{read_csv, Column, DataFrame};
use socgrad::fit::Family;
use socgrad::formula::{row_design, Cell, NewRow};
use socgrad::pipeline::{EngineError, FitRequest, FittedModel, PreparedModel};
use socgrad::random::Rng;
use socgrad::report::prediction::InputSource;
use std::path::PathBuf;

use crate::cli_support::{json, refused};

fn reference() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reference")
}

fn data(name: &str) -> DataFrame {
    read_csv(&std::fs::read(reference().join(format!("data/{name}.csv"))).unwrap()).unwrap()
}

fn fitted(df: &DataFrame, formula: &str, family: Family) -> FittedModel {
    PreparedModel::new(df, &FitRequest::new(formula, family)).unwrap().fit(&mut |_| {}).unwrap()
}

fn family(name: &str) -> Family {
    match name {
        "poisson" => Family::Poisson,
        "nbinom1" => Family::Nbinom1,
        _ => Family::Nbinom2,
    }
}

/// The golden row's values of the columns the model reads (numbers, or labels for text).
fn golden_row(model: &FittedModel, golden: &Value, with_la: bool) -> NewRow {
    let columns = model.formula.row_columns();
    let mut row = NewRow::default();
    for name in columns.needed.iter().chain(&columns.offsets) {
        let cell = match &golden[name.as_str()] {
            Value::String(s) => Cell::Text(s.clone()),
            v => Cell::Number(v.as_f64().unwrap()),
        };
        row.set(name, cell);
    }
    if with_la {
        row.set("la", Cell::Text(golden["la"].as_str().unwrap().to_owned()));
    }
    row
}

#[test]
fn rows_on_the_data_scale_agree_with_glmmtmb_predict_newdata() {
    let text = std::fs::read_to_string(reference().join("prediction/newdata.json")).unwrap();
    let golden: Value = serde_json::from_str(&text).unwrap();
    let models = golden["models"].as_array().unwrap();
    assert_eq!(models.len(), 3);
    for m in models {
        let formula = m["formula"].as_str().unwrap();
        let df = data(m["data"].as_str().unwrap());
        let model = fitted(&df, formula, family(m["family"].as_str().unwrap()));
        let has_la = !model.fit.random.is_empty();
        for g in m["rows"].as_array().unwrap() {
            let row = golden_row(&model, g, false);
            let p = model.predict_row(&df, &row, None, None).unwrap();
            let count = p.rate.count.as_ref().expect("the offset's columns were given");
            // R's link prediction includes the row's own offset.
            let (link, se) = (g["link"].as_f64().unwrap(), g["se"].as_f64().unwrap());
            assert!((count.offset - g["offset"].as_f64().unwrap()).abs() < 1e-12, "{formula}: offset");
            let ours = p.rate.log_rate + count.offset;
            assert!((ours - link).abs() < 2e-4, "{formula}: {ours} vs {link} at {g}");
            assert!((p.rate.std_error / se - 1.0).abs() < 3e-3, "{formula}: {} vs {se}", p.rate.std_error);
            assert!((count.count / link.exp() - 1.0).abs() < 2e-4);
            assert!(p.inputs.iter().all(|i| i.source == InputSource::Given));
            if has_la {
                let row = golden_row(&model, g, true);
                let p = model.predict_row(&df, &row, None, None).unwrap();
                let level = p.level.expect("the row names an LA");
                assert_eq!(level.level, g["la"].as_str().unwrap());
                let la_link = g["la_link"].as_f64().unwrap();
                let ours = level.rate.log_rate + count.offset;
                assert!((ours - la_link).abs() < 1e-3, "{formula}: LA {ours} vs {la_link}");
            }
        }
    }
}

/// Numbers of a column.
fn numbers(df: &DataFrame, name: &str) -> Vec<f64> {
    match df.column(name) {
        Some(Column::Numeric(v)) => v.clone(),
        _ => panic!("{name} is not a number column"),
    }
}

fn text(df: &DataFrame, name: &str) -> Vec<String> {
    match df.column(name) {
        Some(Column::Text(t)) => (0..t.len()).map(|i| t.get(i).unwrap_or("").to_owned()).collect(),
        _ => panic!("{name} is not a text column"),
    }
}

const WITHIN: &str = "count ~ within(imd/10, la) * I((la_imd - 20)/10) + offset(log(pop/10000)) + (1 | la)";

#[test]
fn within_takes_the_la_mean_of_the_fitted_data_and_an_la_its_own_values() {
    let df = data("medium_nb2");
    let model = fitted(&df, WITHIN, Family::Nbinom2);
    let (imd, la_imd, la) = (numbers(&df, "imd"), numbers(&df, "la_imd"), text(&df, "la"));
    let b = |name: &str| model.fit.beta[model.fit.terms.iter().position(|t| t == name).unwrap()];
    let (w, l) = ("within(imd/10, la)", "I((la_imd - 20)/10)");
    let inter = format!("{w}:{l}");
    // By hand: LA07's mean of imd/10 over its rows, and its own la_imd.
    let rows: Vec<usize> = (0..la.len()).filter(|&i| la[i] == "LA07").collect();
    let mean07 = rows.iter().map(|&i| imd[i] / 10.0).sum::<f64>() / rows.len() as f64;
    let own07 = la_imd[rows[0]];
    let row =
        NewRow { cells: vec![("imd".into(), Cell::Number(31.5)), ("la".into(), Cell::Text("LA07".into()))] };
    let p = model.predict_row(&df, &row, Some(w), None).unwrap();
    let x = 3.15 - mean07;
    let z = (own07 - 20.0) / 10.0;
    let at: Vec<(&str, f64)> = p.at.iter().map(|(n, v)| (n.as_str(), *v)).collect();
    assert_eq!(at.len(), 2);
    assert!((at[0].1 - x).abs() < 1e-12 && at[0].0 == w, "{at:?}");
    assert!((at[1].1 - z).abs() < 1e-12 && at[1].0 == l, "{at:?}");
    let eta = b("(Intercept)") + b(w) * x + b(l) * z + b(&inter) * x * z;
    assert!((p.rate.log_rate - eta).abs() < 1e-12);
    let own = p.inputs.iter().find(|i| i.column == "la_imd").unwrap();
    assert_eq!((own.value.clone(), own.source), (Cell::Number(own07), InputSource::LevelOwn));
    let level = p.level.as_ref().unwrap();
    let r = &model.fit.random[0];
    let mode = r.modes[r.levels.iter().position(|v| v == "LA07").unwrap()][0];
    assert!((level.rate.log_rate - (eta + mode)).abs() < 1e-12);
    // The score of within() at LA07's own LA deprivation.
    let score = p.score.as_ref().unwrap();
    assert!((score.log_score - (b(w) + b(&inter) * z)).abs() < 1e-12);
    // The same through --la: the level sets the row's LA.
    let named =
        model.predict_named(&df, &[("imd".into(), "31.5".into())], Some(w), Some(("la", "LA07"))).unwrap();
    assert_eq!(named, p);

    // No LA: the mean of the LAs' means of imd/10 (each LA once), said in the note.
    let mut las: Vec<&String> = la.iter().collect();
    las.sort();
    las.dedup();
    let means: Vec<f64> = las
        .iter()
        .map(|name| {
            let r: Vec<f64> = (0..la.len()).filter(|&i| la[i] == **name).map(|i| imd[i] / 10.0).collect();
            r.iter().sum::<f64>() / r.len() as f64
        })
        .collect();
    let average = means.iter().sum::<f64>() / means.len() as f64;
    let row =
        NewRow { cells: vec![("imd".into(), Cell::Number(20.0)), ("la_imd".into(), Cell::Number(25.0))] };
    let p = model.predict_row(&df, &row, None, None).unwrap();
    assert!((p.at[0].1 - (2.0 - average)).abs() < 1e-12);
    assert!((p.at[1].1 - 0.5).abs() < 1e-12);
    assert!(p.level.is_none());
    assert!(
        p.note.contains(&format!(
            "no la given, so {w} compares imd/10 with the mean of the {} la means",
            las.len()
        )),
        "{}",
        p.note
    );
}

/// Every row of the data, given back as a new row, gives its own model-matrix row: scale(),
/// within(), log(), factors and interactions are transformed exactly as the fit did.
#[test]
fn data_rows_given_back_give_their_own_model_rows() {
    let df = data("medium_nb2");
    let formulas = [
        "count ~ scale(imd) * rural + within(log(imd), la) + sqrt(la_imd) + factor(rural):gini + offset(log(pop)) + (1 + scale(imd) | la)",
        WITHIN,
        "count ~ between(imd, la) + I(imd^2/100) * la_imd + rural + (1 | la)",
    ];
    let mut rng = Rng::new(20261207);
    for formula in formulas {
        let model = fitted(&df, formula, Family::Poisson);
        let columns = model.formula.row_columns();
        let mut names: Vec<String> = columns.needed.clone();
        names.extend(columns.groups.iter().cloned());
        names.extend(columns.offsets.iter().cloned());
        for _ in 0..25 {
            let k = (rng.uniform() * model.design.nobs() as f64) as usize % model.design.nobs();
            let i = model.design.rows[k] - 1;
            let mut row = NewRow::default();
            for name in &names {
                let cell = match df.column(name).unwrap() {
                    Column::Numeric(v) => Cell::Number(v[i]),
                    Column::Text(t) => Cell::Text(t.get(i).unwrap().to_owned()),
                };
                row.set(name, cell);
            }
            let derived = row_design(&model.formula, &model.info, &df, &row).unwrap();
            assert_eq!(derived.x.len(), model.design.x_names.len());
            for (j, (name, value)) in derived.x.iter().enumerate() {
                assert_eq!(*name, model.design.x_names[j]);
                let fitted = model.design.x[(k, j)];
                assert!(
                    (value - fitted).abs() <= 1e-12 * fitted.abs().max(1.0),
                    "{formula}: row {i} {name}: {value} vs {fitted}"
                );
            }
            for (t, term) in model.design.random.iter().enumerate() {
                for (j, (name, value)) in derived.z[t].iter().enumerate() {
                    assert_eq!(*name, term.terms[j]);
                    assert!(
                        (value - term.z[(k, j)]).abs() <= 1e-12 * value.abs().max(1.0),
                        "{formula}: z {name}"
                    );
                }
            }
            if let Some(offset) = derived.offset {
                assert!((offset - model.design.offset[k]).abs() < 1e-12);
            }
        }
    }
}

#[test]
fn data_columns_win_and_model_columns_still_work() {
    let df = data("medium_nb2");
    let rs = "count ~ imd_z * la_imd + offset(log(pop/10000)) + (1 + imd_z | la)";
    let model = fitted(&df, rs, Family::Nbinom2);
    let named = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect()
    };
    // Both data and model columns, complete: read on the data's scale, the same values.
    let p = model.predict_named(&df, &named(&[("imd_z", "1"), ("la_imd", "20")]), None, None).unwrap();
    let q = model.predict(&[("imd_z".into(), 1.0), ("la_imd".into(), 20.0)], None, None).unwrap();
    assert_eq!(p.inputs.len(), 2);
    assert_eq!(p.at, q.at);
    assert!((p.rate.log_rate - q.rate.log_rate).abs() < 1e-12);
    // Incomplete: read on the model's scale, others at 0, as before.
    let p = model.predict_named(&df, &named(&[("imd_z", "1")]), None, None).unwrap();
    assert!(p.inputs.is_empty());
    assert_eq!(p.at, vec![("imd_z".to_owned(), 1.0)]);
    assert!(p.note.contains("columns not given are at 0"));

    // A transformed model: the data's columns, or the model's.
    let df = data("small_poisson");
    let model = fitted(&df, "count ~ scale(imd) + log(la_imd) + rural + offset(log(pop))", Family::Poisson);
    let scaling = &model.info.scalings[0];
    let raw = model
        .predict_named(&df, &named(&[("imd", "30"), ("la_imd", "22"), ("rural", "rural")]), None, None)
        .unwrap();
    let z = (30.0 - scaling.centre) / scaling.scale;
    let expected = vec![
        ("scale(imd)".to_owned(), z),
        ("log(la_imd)".to_owned(), 22f64.ln()),
        ("ruralurban".to_owned(), 0.0),
    ];
    for ((n, v), (m, w)) in raw.at.iter().zip(&expected) {
        assert_eq!(n, m);
        assert!((v - w).abs() < 1e-12, "{n}: {v} vs {w}");
    }
    let model_scale = model
        .predict_named(
            &df,
            &named(&[("scale(imd)", &z.to_string()), ("log(la_imd)", &22f64.ln().to_string())]),
            None,
            None,
        )
        .unwrap();
    assert!((model_scale.rate.log_rate - raw.rate.log_rate).abs() < 1e-9);
    // Mixing the two is refused, naming both kinds.
    let e = model
        .predict_named(&df, &named(&[("imd", "30"), ("log(la_imd)", "3")]), None, None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("mix") && e.contains("imd=...,la_imd=...,rural=..."), "{e}");
    // Missing, invalid and unknown values name the column.
    let e = model.predict_named(&df, &named(&[("imd", "30"), ("rural", "rural")]), None, None).unwrap_err();
    assert!(e.to_string().contains("no value for the column 'la_imd'"), "{e}");
    let EngineError::Report(r) = &e else { panic!("{e:?}") };
    assert!(format!("{r:?}").contains("la_imd"));
    let e = model
        .predict_named(&df, &named(&[("imd", "high"), ("la_imd", "22"), ("rural", "rural")]), None, None)
        .unwrap_err();
    assert!(e.to_string().contains("the value of 'imd' must be a finite number, found 'high'"), "{e}");
    let e = model
        .predict_named(&df, &named(&[("imd", "30"), ("la_imd", "22"), ("rural", "suburb")]), None, None)
        .unwrap_err();
    assert!(
        e.to_string().contains("'suburb' is not a value of 'rural'") && e.to_string().contains("'urban'"),
        "{e}"
    );
    let e = model
        .predict_named(&df, &named(&[("imd", "30"), ("la_imd", "-1"), ("rural", "rural")]), None, None)
        .unwrap_err();
    assert!(e.to_string().contains("'log(la_imd)' is not a finite number at la_imd = -1"), "{e}");
    let e = model.predict_named(&df, &named(&[("gini", "0.3")]), None, None).unwrap_err();
    assert!(e.to_string().contains("'gini'"), "{e}");
    let e = model
        .predict_named(
            &df,
            &named(&[("imd", "30"), ("la_imd", "22"), ("rural", "rural"), ("pop", "0")]),
            None,
            None,
        )
        .unwrap_err();
    assert!(e.to_string().contains("log(pop)") && e.to_string().contains("pop = 0"), "{e}");
}

#[test]
fn the_command_line_shows_the_data_values_and_the_model_values() {
    let file = reference().join("data/medium_nb2.csv");
    let file = file.to_str().unwrap();
    let out = json(&[
        "fit",
        file,
        "--formula",
        WITHIN,
        "--family",
        "poisson",
        "--predict",
        "imd=31.5,pop=2500",
        "--la",
        "LA07",
        "--gradient-term",
        "within(imd/10, la)",
    ]);
    let p = &out["prediction"];
    let inputs: Vec<(&str, &str)> = p["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["column"].as_str().unwrap(), i["source"].as_str().unwrap()))
        .collect();
    assert_eq!(inputs, [("imd", "given"), ("pop", "given"), ("la", "given"), ("la_imd", "level_own")]);
    let at: Vec<&str> = p["at"].as_array().unwrap().iter().map(|a| a[0].as_str().unwrap()).collect();
    assert_eq!(at, ["within(imd/10, la)", "I((la_imd - 20)/10)"]);
    let count = &p["level"]["rate"]["count"];
    let rate = p["level"]["rate"]["rate"].as_f64().unwrap();
    assert!((count["count"].as_f64().unwrap() / (rate * 0.25) - 1.0).abs() < 1e-9);
    // Text output: the data's values, then the model's.
    let text = crate::cli_support::socgrad(&[
        "fit",
        file,
        "--formula",
        WITHIN,
        "--family",
        "poisson",
        "--predict",
        "imd=31.5",
        "--la",
        "LA07",
    ]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("Prediction at imd = 31.5, la = LA07, la_imd = "), "{text}");
    assert!(text.contains("(its own)\n  as the model sees it: within(imd/10, la) = "), "{text}");
    let e =
        refused(&["fit", file, "--formula", WITHIN, "--family", "poisson", "--predict", "imd=31.5,la=LA99"]);
    assert!(e.contains("'LA99' is not a value of 'la'"), "{e}");
}
