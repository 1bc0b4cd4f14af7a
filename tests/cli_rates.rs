//! `socgrad rates` and `socgrad expected`, run on the built binary: the figures reproduce the
//! committed CSV (`data/england_la_csc_rates.csv`) cell by cell for LAs and years picked at
//! random and for every kind of gap, England's rates are the sums of the counts over the sums
//! of the children, and the JSON has exactly the documented shape.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::cli_support::{json, refused, socgrad};

const MEASURES: [&str; 5] = ["referrals", "cin_at31", "cpp_starts", "cpp_at31", "cla_at31"];

/// The CSV's rows by (code, year), each a map of column to cell.
fn csv_rows() -> BTreeMap<(String, u16), BTreeMap<String, String>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/england_la_csc_rates.csv");
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let row: BTreeMap<String, String> =
                header.iter().cloned().zip(r.iter().map(String::from)).collect();
            ((row["la_code"].clone(), row["year"].parse().unwrap()), row)
        })
        .collect()
}

fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

/// England's rate from the CSV: the counts over the children of the LAs with a figure.
fn england(rows: &BTreeMap<(String, u16), BTreeMap<String, String>>, measure: &str, year: u16) -> f64 {
    let (mut count, mut children) = (0.0, 0.0);
    for ((_, y), row) in rows {
        if *y == year && !row[measure].is_empty() {
            count += row[measure].parse::<f64>().unwrap();
            children += row["children_0_17"].parse::<f64>().unwrap();
        }
    }
    count / children * 10_000.0
}

/// Checks every row of `socgrad rates --la code [--year y]` against the CSV.
fn check_la(
    rows: &BTreeMap<(String, u16), BTreeMap<String, String>>,
    code: &str,
    year: Option<u16>,
) -> usize {
    let year_text = year.map(|y| y.to_string());
    let mut args = vec!["rates", "--la", code];
    if let Some(y) = &year_text {
        args.extend(["--year", y.as_str()]);
    }
    let v = json(&args);
    assert_eq!(keys(&v), BTreeSet::from(["la_code", "la_name", "rows"]));
    assert_eq!(v["la_code"], code);
    let out = v["rows"].as_array().unwrap();
    assert_eq!(out.len(), if year.is_some() { 5 } else { 65 });
    for r in out {
        assert_eq!(
            keys(r),
            BTreeSet::from(["year", "measure", "count", "rate", "children_0_17", "england_rate", "note"])
        );
        let y = r["year"].as_u64().unwrap() as u16;
        let m = r["measure"].as_str().unwrap();
        assert!(MEASURES.contains(&m));
        let row = &rows[&(code.to_owned(), y)];
        assert_eq!(v["la_name"], row["la_name"].as_str());
        let number = |cell: &str| (!cell.is_empty()).then(|| cell.parse::<f64>().unwrap());
        assert_eq!(r["count"].as_f64(), number(&row[m]), "{code} {y} {m}");
        assert_eq!(r["rate"].as_f64(), number(&row[&format!("{m}_rate")]), "{code} {y} {m} rate");
        assert_eq!(r["children_0_17"].as_f64(), number(&row["children_0_17"]), "{code} {y}");
        if row[m].is_empty() {
            // The reason is in the note, from the CSV's suppression symbol.
            let note = r["note"].as_str().unwrap();
            let symbol = row["suppressed"]
                .split(';')
                .map(str::trim)
                .find_map(|s| s.strip_prefix(&format!("{m}=")))
                .unwrap();
            let expected = match symbol {
                _ if row["children_0_17"].is_empty() => "did not exist",
                "no_row" => "not published",
                s => &format!("DfE '{s}'")[..],
            };
            assert!(note.contains(expected), "{code} {y} {m}: {note} (symbol {symbol})");
        }
        let e = england(rows, m, y);
        assert!((r["england_rate"].as_f64().unwrap() - e).abs() < 1e-9 * e, "{y} {m}");
    }
    out.len()
}

#[test]
fn rates_reproduce_the_csv_for_random_las_and_every_kind_of_gap() {
    let rows = csv_rows();
    let codes: Vec<String> =
        rows.keys().map(|(c, _)| c.clone()).collect::<BTreeSet<_>>().into_iter().collect();
    assert_eq!(codes.len(), 151);
    let mut checked = 0;
    // Gaps of every kind: BCP before 2020 (did not exist), Scilly CLA 2013 (no row) and CPP ('c'),
    // Hackney 2021 ('x'), Hampshire 2024 ('u'), Scilly CLA 2025 ('z').
    for (code, year) in [
        ("E06000058", Some(2019)),
        ("E06000053", None),
        ("E09000012", Some(2021)),
        ("E10000014", Some(2024)),
        ("E09000001", Some(2025)),
    ] {
        checked += check_la(&rows, code, year);
    }
    // LAs and years drawn by a fixed linear congruential sequence.
    let mut state: u64 = 20_250_331;
    for _ in 0..8 {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let code = &codes[(state >> 33) as usize % codes.len()];
        let year = 2013 + ((state >> 17) % 13) as u16;
        checked += check_la(&rows, code, Some(year));
    }
    checked += check_la(&rows, "E06000009", None);
    assert!(checked > 150);
}

#[test]
fn rates_find_an_la_by_name_and_refuse_bad_requests() {
    let v = json(&["rates", "--la", "blackpool", "--year", "2025"]);
    assert_eq!(v["la_code"], "E06000009");
    let cla = v["rows"].as_array().unwrap().iter().find(|r| r["measure"] == "cla_at31").unwrap();
    // E06000009,Blackpool,2025,28923,...,531,184,...
    assert_eq!(cla["count"], 531);
    assert_eq!(cla["rate"].as_f64(), Some(184.0));
    assert!(refused(&["rates", "--la", "Atlantis"]).contains("no English upper-tier local authority"));
    assert!(refused(&["rates", "--la", "Blackpool", "--year", "2012"]).contains("2013 to 2025"));
    let text = socgrad(&["rates", "--la", "E06000009", "--year", "2025"]);
    assert!(text.status.success());
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("Blackpool") && text.contains("531") && text.contains("Open Government Licence"));
}

#[test]
fn expected_prints_the_model_and_every_la_in_the_documented_shape() {
    let v = json(&["expected", "--measure", "cla_at31", "--year", "2025"]);
    assert_eq!(keys(&v), BTreeSet::from(["model", "las"]));
    let model = &v["model"];
    assert_eq!(keys(model), BTreeSet::from(["formula", "family", "coefficients", "theta", "n"]));
    assert_eq!(model["formula"], "count ~ z + offset(log(children_0_17))");
    assert_eq!(model["family"], "nbinom2");
    assert_eq!(model["n"], 149);
    let terms: Vec<&str> =
        model["coefficients"].as_array().unwrap().iter().map(|c| c["term"].as_str().unwrap()).collect();
    assert_eq!(terms, ["(Intercept)", "z"]);
    for c in model["coefficients"].as_array().unwrap() {
        assert_eq!(keys(c), BTreeSet::from(["term", "estimate", "std_error"]));
    }
    // MASS::glm.nb on the same data (tests/reference/rates/golden/cla_at31.2025.z.json).
    assert!((model["theta"].as_f64().unwrap() - 13.7581948977568).abs() < 1e-6);
    let las = v["las"].as_array().unwrap();
    assert_eq!(las.len(), 149);
    for la in las {
        assert_eq!(
            keys(la),
            BTreeSet::from([
                "la_code",
                "la_name",
                "observed",
                "expected",
                "ratio",
                "limits_95",
                "limits_998"
            ])
        );
        let (o, e) = (la["observed"].as_f64().unwrap(), la["expected"].as_f64().unwrap());
        assert!((la["ratio"].as_f64().unwrap() - o / e).abs() < 1e-12);
        let l95: Vec<u64> = la["limits_95"].as_array().unwrap().iter().map(|x| x.as_u64().unwrap()).collect();
        let l998: Vec<u64> =
            la["limits_998"].as_array().unwrap().iter().map(|x| x.as_u64().unwrap()).collect();
        assert!(l998[0] <= l95[0] && l95[0] <= l95[1] && l95[1] <= l998[1], "{la}");
    }
    let hartlepool = las.iter().find(|l| l["la_code"] == "E06000001").unwrap();
    assert!((hartlepool["expected"].as_f64().unwrap() - 224.954475957583).abs() < 1e-6);
    assert_eq!(hartlepool["limits_95"], serde_json::json!([119, 363]));
    assert_eq!(hartlepool["limits_998"], serde_json::json!([78, 467]));
    // More covariates, the R code, and refused requests.
    let more = json(&["expected", "--measure", "cla_at31", "--year", "2025", "--with", "idaci,rural"]);
    assert_eq!(more["model"]["formula"], "count ~ z + idaci_z + rural_z + offset(log(children_0_17))");
    let r = String::from_utf8(
        socgrad(&["expected", "--measure", "referrals", "--year", "2020", "--r-code"]).stdout,
    )
    .unwrap();
    assert!(
        r.contains("glm.nb(count ~ z + offset(log(children_0_17)), data = d)") && r.contains("year == 2020")
    );
    assert!(refused(&["expected", "--measure", "cla", "--year", "2025"]).contains("not a measure"));
    assert!(refused(&["expected", "--measure", "cla_at31", "--year", "2030"]).contains("2013 to 2025"));
    assert!(
        refused(&["expected", "--measure", "cla_at31", "--year", "2025", "--with", "gini"]).contains("idaci")
    );
}
