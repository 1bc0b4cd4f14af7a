//! The spatial field `exp(pos(x, y) + 0 | g)` fitted end to end against glmmTMB: every golden
//! fit of tests/reference/spatial (real LSOA centroids of one to three LAs, Poisson, NB1 and
//! NB2, the field alone and with MSOA or LA random intercepts, rows sharing coordinates over two
//! years) is refitted from its CSV file and compared with glmmTMB's optimum: log-likelihood
//! within 1e-3, fixed effects within 1e-3 x max(1, |b|), the field's SD and range within 1e-2
//! relative (and its Wald intervals), the other SDs, and the field's conditional modes and SDs
//! at every location.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use socgrad::data::{read_csv, DataFrame};
use socgrad::fit::Family;
use socgrad::pipeline::{FitRequest, FittedModel, PreparedModel};

fn suite() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/spatial")
}

#[derive(Deserialize)]
struct Field {
    group: String,
    x: String,
    y: String,
    units: String,
}

#[derive(Deserialize)]
struct Fixed {
    name: String,
    estimate: f64,
}

#[derive(Deserialize)]
struct Random {
    group: String,
    sd: serde_json::Value,
    range: Option<f64>,
    wald_sd: Option<[f64; 2]>,
    wald_range: Option<[f64; 2]>,
}

#[derive(Deserialize)]
struct FieldModes {
    easting: Vec<f64>,
    northing: Vec<f64>,
    mode: Vec<f64>,
    sd: Vec<f64>,
}

#[derive(Deserialize)]
struct Golden {
    id: String,
    data: String,
    formula: String,
    family: String,
    field: Field,
    loglik: f64,
    fixed: Vec<Fixed>,
    dispersion: Option<f64>,
    random: Vec<Random>,
    field_modes: Option<FieldModes>,
}

/// The golden fits: every file of golden/ but the index.
pub fn golden_ids() -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(suite().join("golden"))
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".json").map(str::to_owned))
        .filter(|n| n != "index")
        .collect();
    ids.sort();
    ids
}

fn golden(id: &str) -> Golden {
    let text = std::fs::read_to_string(suite().join("golden").join(format!("{id}.json"))).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{id}: {e}"))
}

/// The data with the one-valued column `one` that make_spatial.R adds before fitting.
pub fn data_with_one(csv: &Path) -> DataFrame {
    let text = std::fs::read_to_string(csv).unwrap();
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        out.push_str(line);
        out.push_str(if i == 0 { ",one\n" } else { ",1\n" });
    }
    read_csv(out.as_bytes()).unwrap()
}

pub fn family(name: &str) -> Family {
    match name {
        "poisson" => Family::Poisson,
        "nbinom2" => Family::Nbinom2,
        "nbinom1" => Family::Nbinom1,
        other => panic!("unknown family {other}"),
    }
}

/// glmmTMB's formula with `exp(pos + 0 | g)` written with its coordinate columns.
fn engine_formula(g: &Golden) -> String {
    let r = format!("exp(pos + 0 | {})", g.field.group);
    assert!(g.formula.contains(&r), "{}: {}", g.id, g.formula);
    g.formula.replace(&r, &format!("exp(pos({}, {}) + 0 | {})", g.field.x, g.field.y, g.field.group))
}

fn fit(g: &Golden) -> FittedModel {
    let df = data_with_one(&suite().join(&g.data));
    let request = FitRequest::new(&engine_formula(g), family(&g.family));
    PreparedModel::new(&df, &request).unwrap().fit(&mut |_| {}).unwrap_or_else(|e| panic!("{}: {e}", g.id))
}

fn relative(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1e-300)
}

/// Compares one golden fit; returns the largest differences (logLik, fixed, field SD and range
/// relative, modes).
fn check(id: &str) -> [f64; 5] {
    let g = golden(id);
    let m = fit(&g);
    let f = &m.fit;
    let dl = (f.loglik - g.loglik).abs();
    assert!(dl < 1e-3, "{id}: logLik {} vs glmmTMB {}", f.loglik, g.loglik);
    let mut df: f64 = 0.0;
    for b in &g.fixed {
        let j = f.terms.iter().position(|t| *t == b.name).unwrap_or_else(|| panic!("{id}: no {}", b.name));
        let d = (f.beta[j] - b.estimate).abs() / b.estimate.abs().max(1.0);
        df = df.max(d);
        assert!(d < 1e-3, "{id}: {} = {} vs glmmTMB {}", b.name, f.beta[j], b.estimate);
    }
    if let (Some(ours), Some(theirs)) = (f.dispersion, g.dispersion) {
        assert!(relative(ours, theirs) < 1e-2, "{id}: dispersion {ours} vs {theirs}");
    }
    let (mut dsd, mut drange) = (0.0, 0.0);
    for r in &g.random {
        match r.range {
            Some(range) => {
                let ours = f.random.iter().find(|x| x.field.is_some()).expect("the fit has a field");
                let field = ours.field.as_ref().unwrap();
                let sd = r.sd.as_f64().unwrap();
                dsd = relative(ours.sd[0], sd);
                drange = relative(field.range, range);
                assert!(dsd < 1e-2, "{id}: field SD {} vs glmmTMB {sd}", ours.sd[0]);
                assert!(drange < 1e-2, "{id}: field range {} vs glmmTMB {range}", field.range);
                assert_eq!(field.units, g.field.units, "{id}");
                let entry = m.report.random_effects.iter().find(|e| e.field.is_some()).unwrap();
                let summary = entry.field.as_ref().unwrap();
                for (what, ours, theirs) in
                    [("sd", summary.sd_ci, r.wald_sd), ("range", summary.range_ci, r.wald_range)]
                {
                    let (Some(ours), Some(theirs)) = (ours, theirs) else { continue };
                    for k in 0..2 {
                        assert!(
                            relative(ours[k], theirs[k]) < 2e-2,
                            "{id}: Wald interval of the {what} {ours:?} vs glmmTMB {theirs:?}"
                        );
                    }
                }
            }
            None => {
                let ours = f.random.iter().find(|x| x.group == r.group && x.field.is_none()).unwrap();
                let sd = r.sd.as_array().and_then(|a| a[0].as_f64()).unwrap();
                if sd > 0.05 {
                    assert!(relative(ours.sd[0], sd) < 1e-2, "{id}: {} SD {} vs glmmTMB {sd}", r.group, ours.sd[0]);
                } else {
                    assert!(ours.sd[0] < 0.06, "{id}: {} SD {} vs glmmTMB {sd}", r.group, ours.sd[0]);
                }
            }
        }
    }
    let mut dmode: f64 = 0.0;
    if let Some(fm) = &g.field_modes {
        let ours = f.random.iter().find(|x| x.field.is_some()).unwrap();
        let loc = &ours.field.as_ref().unwrap().locations;
        for k in 0..fm.mode.len() {
            let l = (0..loc.len())
                .min_by(|&a, &b| {
                    let d = |l: usize| (loc.x[l] - fm.easting[k]).hypot(loc.y[l] - fm.northing[k]);
                    d(a).total_cmp(&d(b))
                })
                .unwrap();
            let (mode, sd) = (ours.modes[l][0], ours.mode_sd[l][0]);
            dmode = dmode.max((mode - fm.mode[k]).abs());
            assert!((mode - fm.mode[k]).abs() < 5e-3, "{id} location {k}: mode {mode} vs glmmTMB {}", fm.mode[k]);
            assert!(relative(sd, fm.sd[k]) < 2e-2, "{id} location {k}: SD {sd} vs glmmTMB {}", fm.sd[k]);
        }
    }
    [dl, df, dsd, drange, dmode]
}

#[test]
fn every_spatial_golden_fit_agrees_with_glmmtmb() {
    let ids = golden_ids();
    assert!(ids.len() >= 30, "{} golden fits", ids.len());
    for id in ids {
        let [l, b, s, r, m] = check(&id);
        println!(
            "{id}: |logLik diff| {l:.1e}, fixed {b:.1e}, field SD {s:.1e} and range {r:.1e} relative, modes {m:.1e}"
        );
    }
}
