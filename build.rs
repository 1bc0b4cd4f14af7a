//! Turns the committed LA tables into typed Rust data at build time, so the engine (and the
//! calculator's small WebAssembly build, the page's first download) holds the 151 local
//! authorities as values and carries no CSV reader for them:
//!
//! - `data/england_upper_tier_las.csv`: one row per LA (the columns `src/places` uses);
//! - `data/la_neighbourhoods.csv`: each LA's neighbourhood deprivation percentiles.
//!
//! Writes `$OUT_DIR/places_data.rs`, included by `src/places/mod.rs`: `LA_ROWS`, one `LaRow` per
//! LA in the table's order with its spread. Numbers are written with Rust's shortest round-trip
//! formatting, so each is the same `f64` that parsing the CSV text gives. A row that does not
//! parse stops the build, naming the file and row.

use std::collections::HashMap;
use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

const LAS: &str = "data/england_upper_tier_las.csv";
const SPREADS: &str = "data/la_neighbourhoods.csv";

/// The named cells of each data row of a CSV file.
fn rows(path: &str) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let header: Vec<String> =
        reader.headers().unwrap_or_else(|e| panic!("{path}: {e}")).iter().map(String::from).collect();
    reader
        .records()
        .enumerate()
        .map(|(i, r)| {
            let r = r.unwrap_or_else(|e| panic!("{path} row {}: {e}", i + 2));
            header.iter().cloned().zip(r.iter().map(String::from)).collect()
        })
        .collect()
}

fn cell<'a>(row: &'a HashMap<String, String>, name: &str, path: &str) -> &'a str {
    row.get(name).unwrap_or_else(|| panic!("{path} has no column {name}"))
}

/// A cell as a Rust `f64` literal (shortest round trip).
fn number(row: &HashMap<String, String>, name: &str, path: &str) -> String {
    let text = cell(row, name, path);
    let x: f64 = text.parse().unwrap_or_else(|_| panic!("{path}: {name} = {text:?} is not a number"));
    assert!(x.is_finite(), "{path}: {name} = {text:?} is not finite");
    format!("{x:?}")
}

fn count(row: &HashMap<String, String>, name: &str, path: &str) -> u32 {
    let text = cell(row, name, path);
    text.parse().unwrap_or_else(|_| panic!("{path}: {name} = {text:?} is not a count"))
}

/// The table writes booleans as Python does (`True` / `False`).
fn boolean(row: &HashMap<String, String>, name: &str, path: &str) -> bool {
    match cell(row, name, path) {
        "True" | "true" => true,
        "False" | "false" => false,
        other => panic!("{path}: {name} = {other:?} is not a boolean"),
    }
}

fn main() {
    println!("cargo:rerun-if-changed={LAS}");
    println!("cargo:rerun-if-changed={SPREADS}");
    println!("cargo:rerun-if-changed=build.rs");
    let spreads: HashMap<String, HashMap<String, String>> =
        rows(SPREADS).into_iter().map(|r| (cell(&r, "la_code", SPREADS).to_owned(), r)).collect();
    let mut out = String::from(
        "/// The 151 LAs of data/england_upper_tier_las.csv with their spreads (made by build.rs).\n",
    );
    let las = rows(LAS);
    writeln!(out, "static LA_ROWS: [LaRow; {}] = [", las.len()).unwrap();
    for la in &las {
        let code = cell(la, "la_code", LAS);
        let s = spreads.get(code).unwrap_or_else(|| panic!("{SPREADS} has no row for {code}"));
        writeln!(
            out,
            "    LaRow {{ la_code: {code:?}, la_name: {:?}, la_type: {:?}, imd2015_avg_score: {}, \
             imd2019_avg_score: {}, income2019_avg_score: {}, idaci2019_avg_score: {}, rural_share_pop: {}, \
             n_lsoa: {}, children_0_17_mid2019: {}, small_la: {}, flag: {:?}, spread: SpreadRow {{ n_lsoa: {}, \
             income_p10: {}, income_p90: {}, imd2015_p10: {}, imd2015_p90: {} }} }},",
            cell(la, "la_name", LAS),
            cell(la, "la_type", LAS),
            number(la, "imd2015_avg_score", LAS),
            number(la, "imd2019_avg_score", LAS),
            number(la, "income2019_avg_score", LAS),
            number(la, "idaci2019_avg_score", LAS),
            number(la, "rural_share_pop", LAS),
            count(la, "n_lsoa", LAS),
            count(la, "children_0_17_mid2019", LAS),
            boolean(la, "small_la", LAS),
            cell(la, "flag", LAS),
            count(s, "n_lsoa", SPREADS),
            number(s, "income_p10", SPREADS),
            number(s, "income_p90", SPREADS),
            number(s, "imd2015_p10", SPREADS),
            number(s, "imd2015_p90", SPREADS),
        )
        .unwrap();
    }
    out.push_str("];\n");
    let path = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("places_data.rs");
    fs::write(&path, out).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}
