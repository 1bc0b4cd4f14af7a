//! `socgrad six-las`: the six-LA study's tables (Hood et al. 2020), every value with its citation,
//! run on the built binary.

use crate::cli_support::{json_of as json, socgrad};

#[test]
fn json_lists_every_cell_with_its_citation() {
    let all = json(&["six-las", "--json"]);
    assert_eq!(all["cell_count"], 951);
    assert_eq!(all["seed"], "004_0ca8065947ac1239.txt");
    let tables = all["tables"].as_array().unwrap();
    let names: Vec<&str> = tables.iter().map(|t| t["table"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "Table 2", "Table 6", "Table 7", "Table 8", "Table 9", "Table 10", "Table 11", "Table 12",
            "Table 13", "Table 14", "Table 15", "Table 16", "Table 17", "Table 18"
        ]
    );
    let counted: usize = tables.iter().map(|t| t["cells"].as_array().unwrap().len()).sum();
    assert_eq!(counted, 951);

    let t10 = json(&["six-las", "--table", "10", "--json"]);
    let cell = t10["tables"][0]["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["citation"]["row"] == "MOST DEPRIVED / Thresholds / CP Conferences"
                && c["citation"]["column"] == "LA3"
        })
        .expect("the cell");
    assert_eq!(cell["citation"]["table"], "Table 10");
    assert_eq!(cell["citation"]["document"], "Hood et al. 2020");
    assert_eq!(cell["value"]["kind"], "odds_ratio");
    assert_eq!(
        (cell["value"]["or"].as_f64(), cell["value"]["low"].as_f64(), cell["value"]["high"].as_f64()),
        (Some(1.45), Some(1.25), Some(1.67))
    );
    assert_eq!(cell["printed"], "OR 1.45 (CI 1.25-1.67)");
    let na = t10["tables"][0]["cells"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["value"]["kind"] == "not_available")
        .count();
    assert_eq!(na, 3);
}

#[test]
fn text_lists_rows_and_columns_as_printed() {
    let out = socgrad(&["six-las", "--table", "13"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("Hood et al. 2020 (seed 004_0ca8065947ac1239.txt): 42 cells"), "{text}");
    assert!(text.contains("Table 13: Effect of a rise in child-level (LSOA proxy) deprivation"));
    assert!(text.lines().any(|l| l.trim_start().starts_with("Neglect") && l.ends_with("+62%")), "{text}");
    let out = socgrad(&["six-las", "--table", "8"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("OR 10.5 (CI 4.31-25.5)") && text.contains("N/A"), "{text}");
}

#[test]
fn an_unknown_table_is_refused() {
    for n in ["5", "19", "1"] {
        let out = socgrad(&["six-las", "--table", n]);
        assert_eq!(out.status.code(), Some(2));
        assert!(out.stdout.is_empty());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("no Table {n}")) && err.contains("2, 6 and 7 to 18"), "{err}");
    }
    let out = socgrad(&["six-las", "--table", "ten"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn table_6_comes_with_the_same_correlations_computed_from_the_dfe_figures() {
    let t6 = json(&["six-las", "--table", "6", "--json"]);
    let c = &t6["table6_computed"];
    let rows = c["rows"].as_array().unwrap();
    let measures: Vec<&str> = rows.iter().map(|r| r["measure"].as_str().unwrap()).collect();
    assert_eq!(measures, ["referrals", "cin_at31", "cpp_starts", "cpp_at31"]);
    let referral_2013 = &rows[0]["years"][0];
    assert_eq!((referral_2013["year"].as_u64(), referral_2013["n"].as_u64()), (Some(2013), Some(148)));
    assert!((referral_2013["computed"].as_f64().unwrap() - 0.530_420_240_859_717_8).abs() < 1e-12);
    assert_eq!(referral_2013["published"]["rho"].as_f64(), Some(0.526));
    // Only with Table 6.
    assert!(json(&["six-las", "--table", "10", "--json"]).get("table6_computed").is_none());
    let text = String::from_utf8(socgrad(&["six-las", "--table", "6"]).stdout).unwrap();
    assert!(text.contains("Table 6 computed from the DfE figures"), "{text}");
    assert!(text.contains("20 of 20 coefficients have the published sign"));
}
