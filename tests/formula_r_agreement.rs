//! The formula layer reproduces glmmTMB's model matrices: for every formula in
//! tests/reference/model_matrix/golden.json (made by make_golden.R with R and glmmTMB), the
//! rows kept, fixed-effect column names and values, offset, and every random-effect term's
//! group name, term names, levels, row levels and raw columns agree with R.

use serde_json::Value;
use socgrad::data::read_csv;
use socgrad::formula::{build_design, parse};

const TOL: f64 = 1e-9;

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array().expect("array").iter().map(|x| x.as_f64().expect("number")).collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().expect("array").iter().map(|x| x.as_str().expect("string").to_owned()).collect()
}

fn close(formula: &str, what: &str, ours: &[f64], r: &[f64]) {
    assert_eq!(ours.len(), r.len(), "{formula}: length of {what}");
    for (i, (a, b)) in ours.iter().zip(r).enumerate() {
        assert!((a - b).abs() <= TOL * (1.0 + b.abs()), "{formula}: {what}[{i}] is {a}, R has {b}");
    }
}

#[test]
fn model_matrices_match_glmmtmb() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference/model_matrix");
    let df = read_csv(&std::fs::read(format!("{dir}/data.csv")).expect("data.csv")).expect("data reads");
    let golden: Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{dir}/golden.json")).expect("golden.json"))
            .expect("golden parses");
    let models = golden["models"].as_array().expect("models");
    assert!(models.len() >= 35);
    for m in models {
        let f = m["formula"].as_str().expect("formula");
        let formula = parse(f).unwrap_or_else(|e| panic!("{f}: {e}"));
        let d = build_design(&df, &formula).unwrap_or_else(|e| panic!("{f}: {e}"));

        let rows: Vec<usize> = numbers(&m["rows"]).iter().map(|&r| r as usize).collect();
        assert_eq!(d.rows, rows, "{f}: rows kept");
        assert_eq!(d.dropped_missing, df.nrows() - rows.len(), "{f}: rows dropped");
        assert_eq!(d.x_names, strings(&m["x_names"]), "{f}: fixed-effect names");
        let xr = m["x"].as_array().expect("x");
        assert_eq!(d.x.ncols(), xr.len(), "{f}: number of columns");
        for (j, col) in xr.iter().enumerate() {
            let ours: Vec<f64> = d.x.column(j).iter().copied().collect();
            close(f, &d.x_names[j], &ours, &numbers(col));
        }
        close(f, "offset", &d.offset, &numbers(&m["offset"]));

        let random = m["random"].as_array().expect("random");
        assert_eq!(d.random.len(), random.len(), "{f}: number of random terms");
        for (ours, r) in d.random.iter().zip(random) {
            assert_eq!(ours.group, r["group"].as_str().expect("group"), "{f}: group name");
            assert_eq!(ours.terms, strings(&r["terms"]), "{f}: random term names");
            assert_eq!(ours.levels, strings(&r["levels"]), "{f}: levels of {}", ours.group);
            let index: Vec<usize> = numbers(&r["index"]).iter().map(|&i| i as usize - 1).collect();
            assert_eq!(ours.index, index, "{f}: row levels of {}", ours.group);
            let z = r["z"].as_array().expect("z");
            assert_eq!(ours.z.ncols(), z.len(), "{f}: random columns of {}", ours.group);
            for (j, col) in z.iter().enumerate() {
                let zj: Vec<f64> = ours.z.column(j).iter().copied().collect();
                close(f, &format!("z[{}]", ours.terms[j]), &zj, &numbers(col));
            }
        }
    }
}

#[test]
fn exported_r_helpers_are_the_ones_the_golden_files_used() {
    let script = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/reference/model_matrix/make_golden.R"
    ))
    .expect("make_golden.R");
    let lines: Vec<&str> = socgrad::formula::R_HELPERS.lines().collect();
    assert_eq!(lines.len(), 2);
    for line in lines {
        assert!(script.lines().any(|l| l == line), "make_golden.R lacks: {line}");
    }
}
