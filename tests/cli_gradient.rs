//! The `socgrad gradient` and `socgrad tables` command-line contract, run on the built binary.

use serde_json::Value;

use crate::cli_support::{json, refused, socgrad};

fn f(v: &Value) -> f64 {
    v.as_f64().expect("a number")
}

#[test]
fn webb_cla_low_deprivation_high_inequality_is_table4s_2_291() {
    let v =
        json(&["gradient", "--source", "webb2020", "--outcome", "cla", "--la-imd-z", "-1", "--gini-z", "1"]);
    assert!((f(&v["estimate"]) - 2.291).abs() < 0.002, "{v}");
    let (low, high) = (f(&v["ci_low"]), f(&v["ci_high"]));
    assert!(low < 2.291 && 2.291 < high);
    assert!((low - 2.0296).abs() < 1e-3 && (high - 2.5856).abs() < 1e-3, "{low} {high}");
    assert_eq!(v["source"], "Webb et al. 2020");
    assert_eq!(v["table"], "Tables 3 and 4");
    assert_eq!(v["seed"], "000_616bec359d8bddcb.txt");
    assert_eq!(v["unit"], "rate ratio per 1 SD rise in neighbourhood IMD score (within LA)");
    assert_eq!(v["published"], false);
    assert_eq!(v["extrapolated"], false);
    let warnings: Vec<&str> = v["warnings"].as_array().unwrap().iter().map(|w| w.as_str().unwrap()).collect();
    assert!(warnings.iter().any(|w| w.contains("no covariances")), "{warnings:?}");
    let technical: Vec<&str> =
        v["technical"].as_array().unwrap().iter().map(|w| w.as_str().unwrap()).collect();
    assert!(technical.iter().any(|w| w.contains("Table 4 prints 2.29 ")), "{technical:?}");
    // Every number as shown, at one precision: the point inside its interval.
    assert_eq!(v["shown"]["value"], "2.29");
    assert_eq!((v["shown"]["ci_low"].as_str(), v["shown"]["ci_high"].as_str()), (Some("2.03"), Some("2.59")));
    assert_eq!(v["average"]["direction"], "steeper");
    assert_eq!(v["context"]["la_imd_z"], -1.0);
    assert_eq!(v["context"]["gini_z"], 1.0);
}

#[test]
fn webb_all_table4_cells_through_the_cli() {
    // (outcome, z LA IMD, z Gini, Table 4 cell)
    #[rustfmt::skip]
    let cells = [
        ("cin", "-1", "0", 1.672), ("cin", "1", "0", 1.438), ("cin", "0", "-1", 1.378), ("cin", "0", "1", 1.746),
        ("cpp", "-1", "0", 1.846), ("cpp", "1", "0", 1.642), ("cpp", "0", "-1", 1.475), ("cpp", "0", "1", 2.056),
        ("cla", "-1", "0", 1.936), ("cla", "1", "0", 1.489), ("cla", "0", "-1", 1.435), ("cla", "0", "1", 2.009),
        ("cin", "1", "1", 1.619), ("cin", "-1", "1", 1.882), ("cin", "1", "-1", 1.278), ("cin", "-1", "-1", 1.486),
        ("cpp", "1", "1", 1.939), ("cpp", "-1", "1", 2.179), ("cpp", "1", "-1", 1.391), ("cpp", "-1", "-1", 1.563),
        ("cla", "1", "1", 1.762), ("cla", "-1", "1", 2.291), ("cla", "1", "-1", 1.258), ("cla", "-1", "-1", 1.636),
    ];
    for (outcome, zi, zg, printed) in cells {
        let v = json(&[
            "gradient",
            "--source",
            "webb2020",
            "--outcome",
            outcome,
            "--la-imd-z",
            zi,
            "--gini-z",
            zg,
        ]);
        assert!((f(&v["estimate"]) - printed).abs() < 0.002, "{outcome} {zi} {zg}: {v}");
    }
}

#[test]
fn webb_raw_inputs_and_the_average_context() {
    let v = json(&["gradient", "--source", "webb2020", "--outcome", "cpp"]);
    assert_eq!(f(&v["estimate"]), 1.741);
    assert_eq!(v["published"], true);
    assert_eq!(v["table"], "Table 3");
    let v = json(&[
        "gradient",
        "--source",
        "webb2020",
        "--outcome",
        "cla",
        "--la-imd",
        "13.86",
        "--gini",
        "0.400",
    ]);
    assert!((f(&v["estimate"]) - 2.291).abs() < 0.002);
    assert_eq!(v["table"], "Tables 1, 3 and 4");
    let v = json(&["gradient", "--source", "webb2020", "--outcome", "cin", "--la-imd", "45"]);
    assert_eq!(v["extrapolated"], true);
}

#[test]
fn hood_measures_reproduce_printed_cells() {
    // (measure, Low IMD, score, CI low, CI high, High IMD): Tables 2, 6, 8, 9.
    #[rustfmt::skip]
    let rows = [
        ("referral", 2.03, 1.62, 1.62, 1.63, 1.29),
        ("cp_plan", 2.33, 1.80, 1.78, 1.82, 1.39),
        ("parents_drug_misuse", 2.46, 1.80, 1.78, 1.82, 1.33),
        ("other_source", 2.01, 1.61, 1.60, 1.63, 1.29),
        ("re_referral_within_12_months", 1.14, 1.10, 1.09, 1.11, 1.06),
    ];
    for (measure, low, mid, lo, hi, high) in rows {
        for (d, want) in [("-10", low), ("0", mid), ("10", high)] {
            let v = json(&["gradient", "--source", "hood2021", "--measure", measure, "--la-dep", d]);
            assert_eq!(f(&v["estimate"]), want, "{measure} at {d}");
            assert_eq!(v["published"], true);
            assert_eq!(v["extrapolated"], false);
            assert_eq!(v["source"], "Hood et al. 2021");
            if d == "0" {
                assert_eq!((f(&v["ci_low"]), f(&v["ci_high"])), (lo, hi));
            } else {
                assert!(v["ci_low"].is_null() && v["ci_high"].is_null());
            }
        }
    }
    let v = json(&["gradient", "--source", "hood2021", "--measure", "cp_plan"]);
    assert_eq!(v["table"], "Table 2");
    assert_eq!(
        v["unit"],
        "rate ratio per 10 percentage-point rise in the share of families in income deprivation (neighbourhood, within LA)"
    );
}

#[test]
fn hood_between_and_beyond_the_printed_cells() {
    let v = json(&["gradient", "--source", "hood2021", "--measure", "cp_plan", "--la-dep", "-5"]);
    assert!((f(&v["estimate"]) - (2.33_f64 * 1.80).sqrt()).abs() < 1e-9);
    assert_eq!(v["published"], false);
    assert!(v["ci_low"].is_null());
    let v = json(&["gradient", "--source", "hood2021", "--measure", "referral", "--la-dep", "20"]);
    assert!((f(&v["estimate"]) - 1.29 * 0.80).abs() < 1e-9);
    assert_eq!(v["extrapolated"], true);
}

#[test]
fn hood_area_and_density_cells() {
    let v = json(&[
        "gradient",
        "--source",
        "hood2021",
        "--measure",
        "cp_plan",
        "--area",
        "rural",
        "--la-dep",
        "-10",
    ]);
    assert_eq!(f(&v["estimate"]), 2.78);
    assert_eq!(v["table"], "Table 16");
    let v = json(&[
        "gradient",
        "--source",
        "hood2021",
        "--measure",
        "cin",
        "--density",
        "high",
        "--la-dep",
        "10",
    ]);
    assert_eq!(f(&v["estimate"]), 1.25);
    assert_eq!(v["table"], "Table 17");
    let v = json(&["gradient", "--source", "hood2021", "--measure", "referral", "--area", "urban"]);
    assert_eq!(f(&v["estimate"]), 1.59);
    assert!(v["ci_low"].is_null());
}

#[test]
fn text_output_shows_score_ci_source_unit_reading_and_warnings() {
    let out = socgrad(&[
        "gradient",
        "--source",
        "webb2020",
        "--outcome",
        "cla",
        "--la-imd-z",
        "-1",
        "--gini-z",
        "1",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("Children looked after (CLA): 2.29\n"), "{text}");
    assert!(text.contains("95% CI:   2.03 to 2.59 (Approximate"), "{text}");
    assert!(text.contains("Source:   Webb et al. 2020, Tables 3 and 4"), "{text}");
    assert!(text.contains("Unit:     rate ratio per 1 SD rise"), "{text}");
    assert!(text.contains("Compared: steeper than in an LA of the study's average deprivation"), "{text}");
    assert!(text.contains("Reading:  In an LA (less deprived than the study's average LA"), "{text}");
    assert!(text.contains("Detail:   Table 4 prints 2.29 "), "{text}");
    let out = socgrad(&["gradient", "--source", "hood2021", "--measure", "cp_plan", "--la-dep", "-10"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("CP Plan: 2.33\n"), "{text}");
    assert!(text.contains("95% CI:   none"), "{text}");
}

#[test]
fn refused_input_exits_2_with_a_message_on_stderr() {
    #[rustfmt::skip]
    let cases: [(&[&str], &str); 12] = [
        (&["gradient", "--source", "webb2020", "--outcome", "cla", "--la-imd", "20", "--la-imd-z", "1"], "give la_imd or la_imd_z, not both"),
        (&["gradient", "--source", "webb2020", "--outcome", "cla", "--gini", "1.5"], "gini = 1.5 is not possible"),
        (&["gradient", "--source", "webb2020", "--outcome", "cla", "--la-imd", "-4"], "la_imd = -4 is not possible"),
        (&["gradient", "--source", "webb2020", "--outcome", "cla", "--gini-z", "NaN"], "gini_z must be a finite number"),
        (&["gradient", "--source", "webb2020"], "--source webb2020 needs --outcome"),
        (&["gradient", "--source", "webb2020", "--outcome", "cin", "--measure", "cin"], "--measure cannot be used with --source webb2020"),
        (&["gradient", "--source", "hood2021"], "--source hood2021 needs --measure"),
        (&["gradient", "--source", "hood2021", "--measure", "cin", "--gini", "0.4"], "--gini cannot be used with --source hood2021"),
        (&["gradient", "--source", "hood2021", "--measure", "cp_plann"], "unknown measure 'cp_plann'; did you mean cp_plan?"),
        (&["gradient", "--source", "hood2021", "--measure", "neglect", "--area", "rural"], "Table 16 gives social gradients only for referral, cin, cp_plan"),
        (&["gradient", "--source", "hood2021", "--measure", "cin", "--area", "rural", "--density", "low"], "give area or density, not both"),
        (&["gradient", "--source", "hood2021", "--measure", "cin", "--la-dep", "inf"], "la_dep must be a finite number"),
    ];
    for (args, message) in cases {
        let stderr = refused(args);
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
}

#[test]
fn usage_errors_exit_2() {
    for (args, message) in [
        (&["gradient", "--source", "webb2020", "--outcome", "xyz"][..], "invalid value 'xyz' for '--outcome"),
        (&["gradient", "--source", "nobody"][..], "invalid value 'nobody' for '--source"),
        (&["gradient", "--outcome", "cla"][..], "--source"),
        (
            &["gradient", "--source", "hood2021", "--measure", "cin", "--area", "suburb"][..],
            "invalid value 'suburb'",
        ),
        (
            &["gradient", "--source", "hood2021", "--measure", "cin", "--la-dep", "ten"][..],
            "invalid value 'ten'",
        ),
        (&["frobnicate"][..], "unrecognized subcommand"),
    ] {
        let stderr = refused(args);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
}

#[test]
fn tables_lists_every_table_and_measure() {
    let v = json(&["tables"]);
    let tables = v["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 26);
    let hood_measures: Vec<&str> = tables
        .iter()
        .filter(|t| t["source"] == "Hood et al. 2021" && t["role"] == "gradient")
        .flat_map(|t| t["measures"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()))
        .collect();
    assert_eq!(hood_measures.len(), 62);
    for name in
        ["referral", "age_15", "other_ethnicity", "other_factor", "other_source", "cpp_category_neglect"]
    {
        assert!(hood_measures.contains(&name), "{name}");
    }
    let out = socgrad(&["tables"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Webb et al. 2020, Table 3:"), "{text}");
    assert!(text.contains("--source hood2021 --measure parents_drug_misuse"), "{text}");
    assert!(text.contains("--source hood2021 --measure cp_plan --area rural"), "{text}");
}

#[test]
fn la_option_equals_the_las_values_typed_by_hand() {
    let las = json(&["las"]);
    let las = las.as_array().expect("a list");
    assert_eq!(las.len(), 151);
    let blackpool = las.iter().find(|l| l["la_name"] == "Blackpool").unwrap();
    assert_eq!(blackpool["la_code"], "E06000009");
    assert_eq!(f(&blackpool["la_imd"]), 41.997);
    let la_dep = f(&blackpool["la_dep"]);

    let by_la = json(&["gradient", "--source", "hood2021", "--measure", "referral", "--la", "Blackpool"]);
    let dep = la_dep.to_string();
    let by_hand = json(&["gradient", "--source", "hood2021", "--measure", "referral", "--la-dep", &dep]);
    for key in ["estimate", "ci_low", "ci_high", "extrapolated", "published"] {
        assert_eq!(by_la[key], by_hand[key], "{key}");
    }
    assert_eq!(by_la["la_code"], "E06000009");
    assert_eq!(by_la["la_name"], "Blackpool");
    assert_eq!(f(&by_la["context"]["la_dep"]), la_dep);
    assert!(by_la["within_la"]["sentence"].as_str().unwrap().contains("Blackpool"));

    let by_la = json(&["gradient", "--source", "webb2020", "--outcome", "cla", "--la", "E06000009"]);
    let by_hand = json(&["gradient", "--source", "webb2020", "--outcome", "cla", "--la-imd", "41.997"]);
    for key in ["estimate", "ci_low", "ci_high", "extrapolated", "published"] {
        assert_eq!(by_la[key], by_hand[key], "{key}");
    }
    assert_eq!(f(&by_la["context"]["la_imd"]), 41.997);
    assert_eq!(by_la["extrapolated"], true);
}

#[test]
fn unknown_la_is_refused_with_the_closest_names() {
    let err = refused(&["gradient", "--source", "hood2021", "--measure", "referral", "--la", "Wokinghm"]);
    assert!(err.contains("Wokinghm") && err.contains("Wokingham"), "{err}");
}

#[test]
fn post_2019_names_lead_to_the_2019_authority_with_a_note() {
    for (name, code, held_by) in [
        ("Cumberland", "E10000006", "Cumbria"),
        ("Westmorland and Furness", "E10000006", "Cumbria"),
        ("North Northamptonshire", "E10000021", "Northamptonshire"),
        ("BCP", "E06000058", "Bournemouth, Christchurch and Poole"),
        ("E06000062", "E10000021", "Northamptonshire"),
    ] {
        let v = json(&["gradient", "--source", "hood2021", "--measure", "referral", "--la", name]);
        assert_eq!(v["la_code"], code, "{name}");
        let note = v["la_alias"]["note"].as_str().unwrap();
        assert!(note.contains(held_by), "{name}: {note}");
        assert_eq!(v["la_notes"][0].as_str().unwrap(), note);
    }
    let text = String::from_utf8(
        socgrad(&["gradient", "--source", "hood2021", "--measure", "referral", "--la", "Cumberland"]).stdout,
    )
    .unwrap();
    assert!(
        text.contains("Context:  Cumberland was part of Cumbria until Cumbria was split on 1 April 2023"),
        "{text}"
    );
}
