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
//!
//! - `data/england_la_csc_rates.csv`: the Department for Education's figures for every LA and
//!   year 2013-2025, written to `$OUT_DIR/csc_rates_data.rs` (included by `src/rates/data.rs`,
//!   in the engine build only): `CSC_ROWS`, year by year, each year's 151 rows in the LA table's
//!   order, packed as integers with the reason DfE gives for every empty cell (the module reads
//!   them back as typed values), and `CSC_NOTES`, the rows' caveats.

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
    println!("cargo:rerun-if-changed={CSC}");
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
    let codes: Vec<&str> = las.iter().map(|la| cell(la, "la_code", LAS)).collect();
    write_csc_rates(&codes);
}

// --- DfE children's social care figures (src/rates) ----------------------------------------------

const CSC: &str = "data/england_la_csc_rates.csv";
/// The measures in the order of `src/rates/data.rs`'s `Measure`.
const CSC_MEASURES: [&str; 5] = ["referrals", "cin_at31", "cpp_starts", "cpp_at31", "cla_at31"];
const CSC_FIRST_YEAR: u32 = 2013;
const CSC_YEARS: u32 = 13;

/// The code of a `Gap` in `CscRow::gaps` (0: a figure) for a DfE symbol in the `suppressed`
/// column; a row without a population figure is an authority that did not exist that year
/// (Bournemouth, Christchurch and Poole and Dorset before 2020), whatever the symbol.
fn csc_gap(symbol: &str, existed: bool, at: &str) -> u8 {
    if !existed {
        return 6;
    }
    match symbol {
        "c" => 1,
        "x" => 2,
        "u" => 3,
        "z" => 4,
        "no_row" => 5,
        other => panic!("{CSC} {at}: unknown suppression symbol {other:?}"),
    }
}

/// `count / children x 10,000` rounded half up to `decimals` (1 or 0), in units of the last
/// decimal, exactly (integer arithmetic): how DfE rounds a rate.
fn csc_rate_units(count: u32, children: u32, decimals: u32) -> u64 {
    let scaled = count as u64 * 10_000 * 10u64.pow(decimals);
    (2 * scaled + children as u64) / (2 * children as u64)
}

/// `CSC_ROWS` and `CSC_NOTES`: the file's rows checked against the LA table (every year has the
/// 151 codes in its order), every empty cell explained by a symbol, packed as integers: counts,
/// gap codes, the published-rate bits and the index of the row's note. Every rate in the file is
/// its count over the row's children, rounded as DfE rounds (data/SOURCES-csc.md, check 1): the
/// build checks this, and the rates are not stored but computed again when read.
fn write_csc_rates(codes: &[&str]) {
    let rows = rows(CSC);
    let expected = codes.len() * CSC_YEARS as usize;
    assert_eq!(rows.len(), expected, "{CSC}: {} rows, expected {expected} (151 LAs x 13 years)", rows.len());
    let mut notes: Vec<String> = Vec::new();
    let mut packed = String::new();
    for (i, row) in rows.iter().enumerate() {
        let at = format!("row {}", i + 2);
        let year = CSC_FIRST_YEAR + (i / codes.len()) as u32;
        let code = codes[i % codes.len()];
        assert_eq!(cell(row, "la_code", CSC), code, "{CSC} {at}: expected {code} in year {year}");
        assert_eq!(count(row, "year", CSC), year, "{CSC} {at}: expected year {year}");
        let suppressed: HashMap<&str, &str> = cell(row, "suppressed", CSC)
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| s.split_once('=').unwrap_or_else(|| panic!("{CSC} {at}: suppressed entry {s:?}")))
            .collect();
        let published: Vec<&str> = cell(row, "dfe_published_rates", CSC).split(';').map(str::trim).collect();
        let existed = !cell(row, "children_0_17", CSC).is_empty();
        let gap = |column: &str| {
            let symbol = suppressed
                .get(column)
                .unwrap_or_else(|| panic!("{CSC} {at}: {column} is empty with no reason in 'suppressed'"));
            csc_gap(symbol, existed, &at)
        };
        let mut gaps = [0u8; 6];
        let children = if existed {
            count(row, "children_0_17", CSC)
        } else {
            assert!(
                ["E06000058", "E06000059"].contains(&code) && year < 2020,
                "{CSC} {at}: {code} has no population in {year}; only BCP and Dorset before 2020 may lack one"
            );
            gaps[0] = gap("children_0_17");
            0
        };
        let (mut counts, mut published_bits) = ([0u32; 5], 0u8);
        for (k, m) in CSC_MEASURES.iter().enumerate() {
            let rate_column = format!("{m}_rate");
            match (cell(row, m, CSC).is_empty(), cell(row, &rate_column, CSC).is_empty()) {
                (false, false) => {
                    counts[k] = count(row, m, CSC);
                    let decimals = if *m == "cla_at31" { 0 } else { 1 };
                    let units = csc_rate_units(counts[k], children, decimals);
                    let text = cell(row, &rate_column, CSC);
                    let expected = if decimals == 0 {
                        units.to_string()
                    } else {
                        format!("{}.{}", units / 10, units % 10)
                    };
                    assert_eq!(
                        text, expected,
                        "{CSC} {at}: {rate_column} is not {m} / children_0_17 x 10,000 rounded half up"
                    );
                    if published.contains(&rate_column.as_str()) {
                        published_bits |= 1 << k;
                    }
                }
                (true, true) => gaps[k + 1] = gap(m),
                _ => panic!("{CSC} {at}: {m} and {rate_column} must both be given or both be empty"),
            }
        }
        let note = cell(row, "note", CSC);
        let note_index = if note.is_empty() {
            0
        } else {
            1 + notes.iter().position(|n| n == note).unwrap_or_else(|| {
                notes.push(note.to_owned());
                notes.len() - 1
            })
        };
        assert!(note_index < 256, "{CSC}: more than 255 distinct notes");
        writeln!(
            packed,
            "    CscPacked {{ children: {children}, counts: {counts:?}, gaps: {gaps:?}, published: {published_bits}, \
             note: {note_index} }},"
        )
        .unwrap();
    }
    let mut out = String::from(
        "/// data/england_la_csc_rates.csv, year by year in the LA table's order (made by build.rs).\n",
    );
    writeln!(out, "static CSC_NOTES: [&str; {}] = {notes:?};", notes.len()).unwrap();
    writeln!(out, "static CSC_ROWS: [CscPacked; {expected}] = [\n{packed}];").unwrap();
    let path = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("csc_rates_data.rs");
    fs::write(&path, out).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}
