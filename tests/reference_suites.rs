//! The R reference suites for the binomial, crossed and zero-inflated models and the harder random
//! campaign (tests/reference/{binomial,crossed,zi}/ and
//! tests/reference/random/hard/) are well formed and consistent with their data: every fit the
//! index lists has its golden file, whose data file exists, holds every column the formula uses and
//! as many rows as the golden says; log-likelihood and objective agree; each random-effect term's
//! SDs, correlations and theta agree with each other (for the spatial field, sd = exp(theta[0]) and
//! range = exp(theta[1]), and one conditional mode per distinct centroid, at that centroid); a fit
//! called converged has code 0 and a positive-definite Hessian. Nothing here fits a model: these
//! are the files the engine is compared with, checked before any engine feature uses them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

fn reference_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("reference")
}

fn read_json(path: &Path) -> Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("cannot parse {}: {e}", path.display()))
}

/// A data file as its header and rows of cells (the golden files' CSVs hold no quoted commas).
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn read(path: &Path) -> Table {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_path(path)
            .unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()));
        let header = reader.headers().expect("header").iter().map(str::to_string).collect();
        let rows = reader
            .records()
            .map(|r| {
                r.unwrap_or_else(|e| panic!("{}: {e}", path.display())).iter().map(str::to_string).collect()
            })
            .collect();
        Table { header, rows }
    }

    fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }
}

fn num(v: &Value, what: &str) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("{what}: expected a number, found {v}"))
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1e-300)
}

/// The names a formula uses as variables: identifiers not followed by `(` (function names) and not
/// numbers.
fn formula_identifiers(formula: &str) -> BTreeSet<String> {
    let chars: Vec<char> = formula.chars().collect();
    let mut out = BTreeSet::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_alphabetic() || c == '.' || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '.' || chars[i] == '_')
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let mut j = i;
            while j < chars.len() && chars[j] == ' ' {
                j += 1;
            }
            let is_call = j < chars.len() && chars[j] == '(';
            if !is_call && !word.chars().all(|c| c.is_ascii_digit() || c == '.') {
                out.insert(word);
            }
        } else if c.is_ascii_digit() {
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '.') {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    out
}

/// Checks one golden record against its data; returns the problems found.
fn check_record(suite: &Path, id: &str, g: &Value) -> Vec<String> {
    let mut bad = Vec::new();
    let mut fail = |m: String| bad.push(format!("{id}: {m}"));
    if g["id"].as_str() != Some(id) {
        fail(format!("id field is {}", g["id"]));
    }
    let data_path = suite.join(g["data"].as_str().expect("data"));
    if !data_path.exists() {
        fail(format!("data file {} missing", data_path.display()));
        return bad;
    }
    let table = Table::read(&data_path);
    if g["rows"].as_u64() != Some(table.rows.len() as u64) {
        fail(format!("rows {} but the CSV has {}", g["rows"], table.rows.len()));
    }
    if g.get("fitted").and_then(Value::as_bool) == Some(false) {
        // A fit that glmmTMB did not finish (the spatial 2,000-row set): only its reason is kept.
        if g["reason"].as_str().is_none() {
            fail("unfitted record without a reason".into());
        }
        return bad;
    }

    // Columns: every variable of the formula (and of ziformula) is a column, except those the
    // script adds for the spatial field (`one`, `pos`), whose coordinates must be columns.
    let formula = g["formula"].as_str().expect("formula");
    let mut vars = formula_identifiers(formula);
    if let Some(zi) = g.get("ziformula").and_then(Value::as_str) {
        vars.extend(formula_identifiers(zi));
    }
    if let Some(field) = g.get("field") {
        vars.remove("pos");
        vars.remove(field["group"].as_str().expect("field group"));
        vars.insert(field["x"].as_str().expect("field x").to_string());
        vars.insert(field["y"].as_str().expect("field y").to_string());
    }
    for v in &vars {
        if table.column(v).is_none() {
            fail(format!("formula variable {v} is not a column of {}", data_path.display()));
        }
    }
    if let Some(listed) = g.get("variables").and_then(Value::as_array) {
        let listed: BTreeSet<String> =
            listed.iter().map(|v| v.as_str().expect("variable").to_string()).collect();
        if listed != vars {
            fail(format!("variables {listed:?} differ from the formula's {vars:?}"));
        }
    }

    // Observations used.
    let nobs = num(&g["nobs"], "nobs");
    if let Some(dropped) = g.get("rows_dropped").and_then(Value::as_f64) {
        if nobs != table.rows.len() as f64 - dropped {
            fail(format!("nobs {nobs} != rows {} - dropped {dropped}", table.rows.len()));
        }
    } else if nobs != table.rows.len() as f64 {
        fail(format!("nobs {nobs} but {} rows and none dropped", table.rows.len()));
    }

    // Log-likelihood and objective.
    let objective = num(&g["objective"], "objective");
    if let Some(ll) = g["loglik"].as_f64() {
        if !close(ll, -objective, 1e-12) {
            fail(format!("loglik {ll} != -objective {objective}"));
        }
    }

    // Fixed effects and zero-inflation coefficients.
    for key in ["fixed", "zi"] {
        let list = g[key].as_array().unwrap_or_else(|| panic!("{id}: {key} is not an array"));
        let mut names = BTreeSet::new();
        for f in list {
            let name = f["name"].as_str().expect("coefficient name");
            if !names.insert(name.to_string()) {
                fail(format!("{key} coefficient {name} twice"));
            }
            if !f["estimate"].as_f64().is_some_and(f64::is_finite) {
                fail(format!("{key} {name} has no estimate"));
            }
        }
    }
    if g["fixed"].as_array().map_or(true, Vec::is_empty) {
        fail("no fixed effects".into());
    }
    let has_zi = g.get("ziformula").and_then(Value::as_str).is_some();
    if has_zi == g["zi"].as_array().map_or(true, Vec::is_empty) {
        fail(format!(
            "ziformula {} but {} zi coefficients",
            g["ziformula"],
            g["zi"].as_array().map_or(0, Vec::len)
        ));
    }

    // Dispersion.
    let family = g["family"].as_str().expect("family");
    match (family, g["dispersion"].as_f64()) {
        ("nbinom1" | "nbinom2", Some(d)) if d > 0.0 => {}
        ("poisson" | "binomial", None) => {}
        (f, d) => fail(format!("family {f} with dispersion {d:?}")),
    }
    let link = g["link"].as_str().expect("link");
    let links: &[&str] = if family == "binomial" { &["logit", "probit", "cloglog"] } else { &["log"] };
    if !links.contains(&link) {
        fail(format!("family {family} with link {link}"));
    }

    // Convergence.
    let conv = &g["convergence"];
    let converged = conv["code"].as_i64() == Some(0) && conv["pd_hess"].as_bool() == Some(true);
    if conv["converged"].as_bool() != Some(converged) {
        fail(format!(
            "converged flag {} but code {} pd_hess {}",
            conv["converged"], conv["code"], conv["pd_hess"]
        ));
    }
    if conv["pd_hess"].as_bool() == Some(true) {
        for f in g["fixed"].as_array().expect("fixed") {
            if !f["std_error"].as_f64().is_some_and(|s| s > 0.0) {
                fail(format!("positive-definite Hessian but no SE for {}", f["name"]));
            }
        }
    }

    // Random effects.
    let theta: Vec<f64> =
        g["par"]["theta"].as_array().map(|t| t.iter().map(|v| num(v, "theta")).collect()).unwrap_or_default();
    let mut theta_used = 0;
    for r in g["random"].as_array().expect("random") {
        let group = r["group"].as_str().expect("group");
        let th: Vec<f64> = r["theta"].as_array().expect("theta").iter().map(|v| num(v, "theta")).collect();
        theta_used += th.len();
        if !th.iter().all(|t| theta.iter().any(|u| u == t)) {
            fail(format!("{group}: its theta are not in par.theta"));
        }
        if r["covariance"].as_str() == Some("exp") {
            let sd = num(&r["sd"], "field sd");
            let range = num(&r["range"], "field range");
            if th.len() != 2 || !close(sd, th[0].exp(), 1e-12) || !close(range, th[1].exp(), 1e-12) {
                fail(format!("field sd {sd} range {range} but theta {th:?}"));
            }
            if num(&r["check_corr_max_abs_diff"], "check") > 1e-12 {
                fail("VarCorr's correlations differ from exp(-d / range)".into());
            }
            check_field_modes(&table, g, num(&r["locations"], "locations") as usize, &mut fail);
            continue;
        }
        let terms = r["terms"].as_array().expect("terms").len();
        let sds = r["sd"].as_array().expect("sd");
        let corr = r["corr"].as_array().expect("corr");
        if sds.len() != terms || corr.len() != terms || th.len() != terms * (terms + 1) / 2 {
            fail(format!(
                "{group}: {terms} terms, {} SDs, {} correlation rows, {} theta",
                sds.len(),
                corr.len(),
                th.len()
            ));
            continue;
        }
        for (k, s) in sds.iter().enumerate() {
            let s = num(s, "sd");
            if !close(s, th[k].exp(), 1e-9) {
                fail(format!("{group}: sd {s} but theta {}", th[k]));
            }
            if (num(&corr[k][k], "corr") - 1.0).abs() > 1e-12 {
                fail(format!("{group}: correlation diagonal {}", corr[k][k]));
            }
        }
    }
    if theta_used != theta.len() {
        fail(format!("random terms use {theta_used} theta of {}", theta.len()));
    }

    // The trap problems: the boundary is the GLM, below the interior optimum.
    if let Some(b) = g.get("boundary") {
        let glm = num(&b["glm_loglik"], "glm_loglik");
        let ll = -objective;
        if !close(num(&b["gap"], "gap"), ll - glm, 1e-9) || ll - glm < 1.0 {
            fail(format!("trap: interior {ll} vs boundary {glm}, gap {}", b["gap"]));
        }
    }
    bad
}

/// The field's modes: one per distinct centroid of the data, each at the centroid of its LSOA,
/// levels as glmmTMB's numFactor writes them ("(x,y)"), with a positive conditional SD.
fn check_field_modes(table: &Table, g: &Value, locations: usize, fail: &mut impl FnMut(String)) {
    let field = &g["field"];
    let (xc, yc, lc) = (
        table.column(field["x"].as_str().unwrap()).expect("x column"),
        table.column(field["y"].as_str().unwrap()).expect("y column"),
        table.column("lsoa").expect("lsoa column"),
    );
    let mut at: BTreeMap<String, (String, String)> = BTreeMap::new();
    for row in &table.rows {
        at.insert(row[lc].clone(), (row[xc].clone(), row[yc].clone()));
    }
    let distinct: BTreeSet<(String, String)> = at.values().cloned().collect();
    if distinct.len() != locations {
        fail(format!("{} distinct centroids but {locations} locations", distinct.len()));
    }
    let m = &g["field_modes"];
    let levels = m["levels"].as_array().expect("levels");
    let lsoa = m["lsoa"].as_array().expect("lsoa");
    let modes = m["mode"].as_array().expect("mode");
    let sds = m["sd"].as_array().expect("sd");
    if [levels.len(), lsoa.len(), modes.len(), sds.len()].iter().any(|&n| n != locations) {
        fail(format!("field modes: {} levels for {locations} locations", levels.len()));
        return;
    }
    let mut last_key: Option<(f64, f64)> = None;
    for k in 0..locations {
        let code = lsoa[k].as_str().expect("lsoa code");
        let Some((x, y)) = at.get(code) else {
            fail(format!("field mode at unknown LSOA {code}"));
            continue;
        };
        let level = levels[k].as_str().expect("level");
        if level != format!("({x},{y})") {
            fail(format!("level {level} for LSOA {code} at ({x},{y})"));
        }
        // numFactor's order: by northing, then easting.
        let key = (y.parse::<f64>().unwrap(), x.parse::<f64>().unwrap());
        if last_key.is_some_and(|last| last >= key) {
            fail(format!("levels not sorted by northing then easting at {level}"));
        }
        last_key = Some(key);
        if !modes[k].as_f64().is_some_and(f64::is_finite) || !sds[k].as_f64().is_some_and(|s| s > 0.0) {
            fail(format!("field mode or SD missing at {level}"));
        }
    }
}

fn check_suite(relative: &str, list_key: &str) -> (usize, Vec<String>) {
    let suite = reference_dir().join(relative);
    let index = read_json(&suite.join("golden").join("index.json"));
    let ids = index[list_key].as_array().unwrap_or_else(|| panic!("{relative}: index has no {list_key}"));
    assert!(!ids.is_empty(), "{relative}: empty index");
    let golden_dir = suite.join("golden");
    let mut bad = Vec::new();
    let mut seen = BTreeSet::new();
    for id in ids {
        let id = id.as_str().expect("id");
        if !seen.insert(id) {
            bad.push(format!("{id} listed twice"));
        }
        let path = golden_dir.join(format!("{id}.json"));
        if !path.exists() {
            bad.push(format!("{id}: golden file missing"));
            continue;
        }
        // Data paths are relative to the suite's directory (for the harder campaign, to random/).
        let base =
            if relative.ends_with("hard") { suite.parent().unwrap().to_path_buf() } else { suite.clone() };
        bad.extend(check_record(&base, id, &read_json(&path)));
    }
    // No golden file that the index does not list.
    for entry in std::fs::read_dir(&golden_dir).expect("golden dir") {
        let name = entry.expect("entry").file_name().into_string().expect("utf-8 name");
        if let Some(id) = name.strip_suffix(".json") {
            if id != "index" && !seen.contains(id) {
                bad.push(format!("{relative}: {name} is not in the index"));
            }
        }
    }
    (ids.len(), bad)
}

fn assert_suite(relative: &str, list_key: &str, at_least: usize) {
    let (n, bad) = check_suite(relative, list_key);
    assert!(bad.is_empty(), "{relative}:\n{}", bad.join("\n"));
    assert!(n >= at_least, "{relative}: {n} fits, expected at least {at_least}");
}

#[test]
fn binomial_suite_is_well_formed() {
    assert_suite("binomial", "fits", 15);
}

#[test]
fn crossed_suite_is_well_formed() {
    assert_suite("crossed", "fits", 12);
}

#[test]
fn zero_inflation_suite_is_well_formed() {
    assert_suite("zi", "fits", 12);
}

#[test]
fn harder_random_campaign_is_well_formed() {
    assert_suite("random/hard", "problems", 40);
}

#[test]
fn formula_identifiers_skip_functions_and_numbers() {
    let ids = formula_identifiers(
        "cbind(s, n - s) ~ scale(x) + I(x^2) + offset(log(pop/10000)) + (1 + x | la/msoa)",
    );
    let want: BTreeSet<String> = ["s", "n", "x", "pop", "la", "msoa"].iter().map(|s| s.to_string()).collect();
    assert_eq!(ids, want);
}
