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
                assert!(summary.range_identified, "{id}: the range is not identified");
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
                    assert!(
                        relative(ours.sd[0], sd) < 1e-2,
                        "{id}: {} SD {} vs glmmTMB {sd}",
                        r.group,
                        ours.sd[0]
                    );
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
            assert!(
                (mode - fm.mode[k]).abs() < 5e-3,
                "{id} location {k}: mode {mode} vs glmmTMB {}",
                fm.mode[k]
            );
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

fn refusal(csv: &str, formula: &str) -> String {
    let df = read_csv(csv.as_bytes()).unwrap();
    match PreparedModel::new(&df, &FitRequest::new(formula, Family::Poisson)) {
        Ok(_) => panic!("{formula} was accepted"),
        Err(e) => e.to_string(),
    }
}

const SMALL: &str =
    "count,pop,e,n,name,one\n3,100,0,0,a,1\n5,120,1,0,b,1\n2,90,0,1,c,1\n7,150,1,1,d,1\n4,110,2,1,e,1\n";

#[test]
fn bad_spatial_terms_and_coordinates_are_refused_with_the_term_or_column_named() {
    let cases = [
        ("count ~ 1 + exp(pos(name, n) + 0 | one)", "'name'"),
        ("count ~ 1 + exp(pos(e, nowhere) + 0 | one)", "nowhere"),
        ("count ~ 1 + exp(pos(e) + 0 | one)", "pos()"),
        ("count ~ 1 + exp(pos(e, e) + 0 | one)", "same column"),
        ("count ~ 1 + exp(pos(e, n) | one)", "exp(pos(x, y) + 0 | g)"),
        ("count ~ 1 + exp(pos(e, log(n)) + 0 | one)", "column names"),
        ("count ~ 1 + exp(pos(e, n) + 0 | one/name)", "nested"),
        ("count ~ 1 + log(exp(pos(e, n) + 0 | one))", "'|'"),
    ];
    for (formula, expected) in cases {
        let message = refusal(SMALL, formula);
        assert!(message.contains(expected), "{formula}: {message}");
    }
}

#[test]
fn rows_without_coordinates_are_left_out_and_counted_and_shared_places_share_an_effect() {
    let csv =
        "count,pop,e,n,one\n3,100,0,0,1\n5,120,1,0,1\n2,90,,1,1\n7,150,1,1,1\n4,110,2,1,1\n6,100,0,0,1\n";
    let df = read_csv(csv.as_bytes()).unwrap();
    let request = FitRequest::new("count ~ 1 + offset(log(pop)) + exp(pos(e, n) + 0 | one)", Family::Poisson);
    let m = PreparedModel::new(&df, &request).unwrap().fit(&mut |_| {}).unwrap();
    assert_eq!(m.design.nobs(), 5);
    assert!(
        m.report.warnings.iter().any(|w| w.message.contains("'e' missing in 1")),
        "{:?}",
        m.report.warnings
    );
    let field = m.design.random[0].field.as_ref().unwrap();
    // Rows 1 and 6 are at (0, 0): 4 locations for 5 rows.
    assert_eq!(field.len(), 4);
    assert_eq!(m.design.random[0].index[0], m.design.random[0].index[4]);
    assert_eq!(field.units(), "coordinate units");
    let entry = m.report.random_effects.iter().find(|e| e.field.is_some()).unwrap();
    assert_eq!(entry.term, "exp(pos(e, n))");
}

#[test]
fn the_r_script_writes_the_field_as_glmmtmb_does() {
    use socgrad::fit_views::{r_script, RScriptRequest, ScriptModel};
    let g = golden("teesside.field_la.nbinom2");
    let m = fit(&g);
    let request: RScriptRequest = serde_json::from_str(r#"{"file_name": "teesside.csv"}"#).unwrap();
    let formula = engine_formula(&g);
    let script = r_script(
        &request,
        &ScriptModel { formula: &formula, family: Family::Nbinom2, report: Some(&m.report) },
    );
    for expected in [
        "data$pos <- numFactor(data[[\"easting\"]], data[[\"northing\"]])\n",
        "data[[\"one\"]] <- factor(data[[\"one\"]])\n",
        "  count ~ imd_z + offset(log(pop)) + exp(pos + 0 | one) + (1 | la),\n",
        "#   spatial field over one: sd 0.406987, range 2691.9 metres",
    ] {
        assert!(script.contains(expected), "{expected} not in\n{script}");
    }
}

/// Counts with no variation beyond the Poisson's (all within one of 50 per 1,000): the field's
/// SD is estimated as (near) zero, and the report says its range is not identified rather than
/// giving it, with an interval, as an estimate.
#[test]
fn a_field_with_no_variation_says_its_range_is_not_identified() {
    let mut csv = String::from("count,pop,z,x,y,one\n");
    for i in 0..40u32 {
        let (x, y) = (f64::from((i * 7919) % 10_000), f64::from((i * 104_729 + 17) % 10_000));
        let z = f64::from(i % 5) - 2.0;
        csv.push_str(&format!("{},1000,{z},{x},{y},1\n", 49 + i % 3));
    }
    let mut session = socgrad::pipeline::session::Session::open(csv.as_bytes()).unwrap();
    let request = FitRequest::new("count ~ z + offset(log(pop)) + exp(pos(x, y) + 0 | one)", Family::Poisson);
    let fitted = session.fit(&request, &socgrad::fit_views::ViewRequest::default(), &mut |_| {}).unwrap();
    let report = &fitted.report;
    let entry = report.random_effects.iter().find(|r| r.field.is_some()).unwrap();
    let field = entry.field.as_ref().unwrap();
    assert!(entry.sd < 1e-4, "SD {}", entry.sd);
    assert!(!field.range_identified && field.range_ci.is_none());
    let text = report.text();
    assert!(text.contains("range not identified"), "{text}");
    assert!(!text.contains("correlation sd^2"), "{text}");
    let warning = report.warnings.iter().find(|w| w.message.contains("spatial field over one")).unwrap();
    assert!(warning.message.contains("range is then not identified"), "{}", warning.message);
    // The JSON says so too.
    let json = serde_json::to_value(report).unwrap();
    let entry = json["random_effects"].as_array().unwrap().iter().find(|r| r["kind"] == "exponential_field");
    assert_eq!(entry.unwrap()["range_identified"], false);
}
