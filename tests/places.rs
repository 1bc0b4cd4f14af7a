//! Real local authorities: the embedded tables against the committed CSV files, finding an LA
//! by what people type, the LA contexts of both studies, the within-LA ratio and the per-LA
//! gradients for the map.

use std::collections::HashMap;

use socgrad::calculator::{gradient, la_gradients, GradientRequest, Outcome};
use socgrad::places::spread::{quantile_sorted, summarise_lsoas, to_csv};
use socgrad::places::{find_la, income_average, listings, places, PlaceError};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{ROOT}/{path}")).expect(path)
}

/// The LA table parsed independently of the engine: code -> column -> text.
fn la_csv() -> HashMap<String, HashMap<String, String>> {
    let text = read("data/england_upper_tier_las.csv");
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let headers = rows.headers().unwrap().clone();
    rows.records()
        .map(|r| {
            let r = r.unwrap();
            let row: HashMap<String, String> =
                headers.iter().zip(r.iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect();
            (row["la_code"].clone(), row)
        })
        .collect()
}

fn num(row: &HashMap<String, String>, column: &str) -> f64 {
    row[column].parse().unwrap()
}

#[test]
fn embedded_neighbourhood_spreads_are_current() {
    let spreads = summarise_lsoas(&read("data/england_lsoa11.csv")).unwrap();
    assert_eq!(spreads.len(), 151);
    assert_eq!(
        to_csv(&spreads),
        read("data/la_neighbourhoods.csv"),
        "regenerate with `cargo run --example make_la_neighbourhoods`"
    );
}

#[test]
fn every_la_matches_the_csv() {
    let csv = la_csv();
    let all = places();
    assert_eq!(all.len(), 151);
    let mean = csv.values().map(|r| num(r, "income2019_avg_score")).sum::<f64>() / 151.0;
    assert!((income_average() - mean).abs() < 1e-12);
    assert!((mean - 0.136265).abs() < 1e-6, "{mean}");
    for p in all {
        let row = &csv[&p.la.la_code];
        assert_eq!(p.la.la_name, row["la_name"]);
        assert_eq!(p.la.la_imd(), num(row, "imd2015_avg_score"));
        assert!((p.la.la_dep() - 100.0 * (num(row, "income2019_avg_score") - mean)).abs() < 1e-9);
        assert_eq!(p.la.n_lsoa as f64, num(row, "n_lsoa"));
        assert_eq!(p.spread.n_lsoa, p.la.n_lsoa, "{}", p.la.la_code);
    }
    // A handful by hand from the CSV: Blackpool, Wokingham, Hull, Isles of Scilly.
    let by_code = |code: &str| all.iter().find(|p| p.la.la_code == code).unwrap();
    let blackpool = by_code("E06000009");
    assert_eq!(blackpool.la.la_name, "Blackpool");
    assert_eq!(blackpool.la.la_imd(), 41.997);
    assert!((blackpool.la.la_dep() - (24.7 - 13.6265)).abs() < 1e-3);
    assert_eq!(by_code("E06000041").la.la_imd(), 5.652);
    assert_eq!(by_code("E06000010").la.display_name(), "Kingston upon Hull");
    assert_eq!(by_code("E06000053").spread.n_lsoa, 1);
}

#[test]
fn blackpool_spread_is_its_lsoas_10th_and_90th_percentiles() {
    let text = read("data/england_lsoa11.csv");
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let headers = rows.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (la, income, imd) = (col("la_code"), col("income2019_score"), col("imd2015_score"));
    let mut inc = Vec::new();
    let mut imds = Vec::new();
    for r in rows.records() {
        let r = r.unwrap();
        if &r[la] == "E06000009" {
            inc.push(r[income].parse::<f64>().unwrap());
            imds.push(r[imd].parse::<f64>().unwrap());
        }
    }
    inc.sort_by(f64::total_cmp);
    imds.sort_by(f64::total_cmp);
    assert_eq!(inc.len(), 94);
    let p = find_la("Blackpool").unwrap();
    assert!((p.spread.income_p10 - quantile_sorted(&inc, 0.1).unwrap()).abs() < 1e-9);
    assert!((p.spread.income_p90 - quantile_sorted(&inc, 0.9).unwrap()).abs() < 1e-9);
    assert!((p.spread.imd2015_p90 - quantile_sorted(&imds, 0.9).unwrap()).abs() < 1e-6);
}

#[test]
fn people_find_their_la_as_they_type_it() {
    let code = |q: &str| find_la(q).map(|p| p.la.la_code.as_str()).map_err(|e| e.to_string());
    for (query, want) in [
        ("Blackpool", "E06000009"),
        ("  blackpool ", "E06000009"),
        ("E06000009", "E06000009"),
        ("e06000041", "E06000041"),
        ("Brighton & Hove", "E06000043"),
        ("brighton and hove", "E06000043"),
        ("Hull", "E06000010"),
        ("kingston upon hull", "E06000010"),
        ("Kingston-upon-Hull", "E06000010"),
        ("City of Bristol", "E06000023"),
        ("bristol", "E06000023"),
        ("Herefordshire", "E06000019"),
        ("Newcastle", "E08000021"),
        ("richmond upon thames", "E09000027"),
        ("Southend on Sea", "E06000033"),
        ("stoke on trent", "E06000021"),
        ("City of London", "E09000001"),
        ("isles of scilly", "E06000053"),
    ] {
        assert_eq!(code(query).as_deref(), Ok(want), "{query}");
    }
    match find_la("Kingston") {
        Err(PlaceError::AmbiguousLa { matches, .. }) => {
            assert!(matches.contains(&"Kingston upon Thames".to_string()), "{matches:?}");
            assert!(matches.contains(&"Kingston upon Hull, City of".to_string()), "{matches:?}");
        }
        other => panic!("{other:?}"),
    }
    match find_la("Blakpool") {
        Err(PlaceError::UnknownLa { suggestions, .. }) => assert_eq!(suggestions[0], "Blackpool"),
        other => panic!("{other:?}"),
    }
    assert!(find_la("").is_err());
    assert!(find_la("&&&").is_err());
}

/// Every LA is found by its code, its name, and its name shouted with "&" for "and".
#[test]
fn every_la_is_found_by_code_name_and_variants() {
    for p in places() {
        let want = &p.la.la_code;
        assert_eq!(&find_la(want).unwrap().la.la_code, want);
        assert_eq!(&find_la(&p.la.la_name).unwrap().la.la_code, want, "{}", p.la.la_name);
        let shouted = p.la.la_name.to_uppercase().replace(" AND ", " & ");
        assert_eq!(&find_la(&shouted).unwrap().la.la_code, want, "{shouted}");
        assert_eq!(&find_la(p.la.display_name()).unwrap().la.la_code, want, "{}", p.la.display_name());
    }
    assert_eq!(listings().len(), 151);
}

fn hood(measure: &str, la: Option<&str>, la_dep: Option<f64>) -> GradientRequest {
    GradientRequest::Hood2021 {
        measure: measure.into(),
        la_dep,
        area: None,
        density: None,
        la: la.map(Into::into),
    }
}

fn webb(outcome: Outcome, la: Option<&str>, la_imd: Option<f64>) -> GradientRequest {
    GradientRequest::Webb2020 {
        outcome,
        la_imd,
        la_imd_z: None,
        gini: None,
        gini_z: None,
        la: la.map(Into::into),
    }
}

#[test]
fn an_la_gives_the_same_score_as_its_values_typed_by_hand() {
    for p in places() {
        let by_la = gradient(&hood("referral", Some(&p.la.la_code), None)).unwrap();
        let by_hand = gradient(&hood("referral", None, Some(p.la.la_dep()))).unwrap();
        assert_eq!(by_la.estimate, by_hand.estimate);
        assert_eq!((by_la.ci_low, by_la.ci_high), (by_hand.ci_low, by_hand.ci_high));
        assert_eq!(by_la.extrapolated, by_hand.extrapolated);
        let by_la = gradient(&webb(Outcome::Cla, Some(&p.la.la_code), None)).unwrap();
        let by_hand = gradient(&webb(Outcome::Cla, None, Some(p.la.la_imd()))).unwrap();
        assert_eq!(by_la.estimate, by_hand.estimate);
        assert_eq!((by_la.ci_low, by_la.ci_high), (by_hand.ci_low, by_hand.ci_high));
        assert_eq!(by_la.extrapolated, by_hand.extrapolated);
        assert_eq!(by_la.la.as_ref().unwrap().la_code, p.la.la_code);
    }
    // Blackpool's IMD 2015 score (42.0) lies above Webb et al.'s range (to 41.2): extrapolated.
    let r = gradient(&webb(Outcome::Cla, Some("Blackpool"), None)).unwrap();
    assert!(r.extrapolated);
    assert!(
        r.reading.starts_with("In an LA like Blackpool (more deprived than any of the study's LAs,"),
        "{}",
        r.reading
    );
}

#[test]
fn a_changed_value_is_said_and_gini_stays_at_the_study_average() {
    let r = gradient(&hood("referral", Some("Wokingham"), Some(0.0))).unwrap();
    assert!((r.estimate - 1.62).abs() < 1e-12);
    let la = r.la.unwrap();
    assert_eq!(la.la_changed, vec!["LA income deprivation"]);
    assert!(
        r.reading.contains("an LA like Wokingham with the LA income deprivation changed"),
        "{}",
        r.reading
    );
    let r = gradient(&webb(Outcome::Cin, Some("Wokingham"), None)).unwrap();
    let la = r.la.unwrap();
    assert!(la.la_notes.iter().any(|n| n.contains("Gini") && n.contains("0.386")), "{:?}", la.la_notes);
    assert!(la.la_changed.is_empty());
}

#[test]
fn within_la_ratio_is_the_gradient_over_the_lsoa_spread() {
    let r = gradient(&hood("referral", Some("Blackpool"), None)).unwrap();
    let p = find_la("Blackpool").unwrap();
    let w = r.la.as_ref().unwrap().within_la.clone().unwrap();
    let steps = 100.0 * (p.spread.income_p90 - p.spread.income_p10) / 10.0;
    assert!((w.steps - steps).abs() < 1e-12);
    assert!((w.ratio - r.estimate.powf(steps)).abs() < 1e-12);
    assert!(w
        .sentence
        .starts_with("In an LA like Blackpool, the rate of referrals in its most deprived tenth"));
    // Away from the average LA the report prints no interval, and none is made up for the ratio.
    assert_eq!((w.ci_low, w.ci_high), (None, None));
    assert!(!w.sentence.contains("CI"), "{}", w.sentence);
    // Against a typical LA: the average context's score over the median spread of the 149 LAs.
    let mut spreads: Vec<f64> = places()
        .iter()
        .filter(|p| !p.la.small_la)
        .map(|p| 100.0 * (p.spread.income_p90 - p.spread.income_p10))
        .collect();
    spreads.sort_by(f64::total_cmp);
    assert_eq!(spreads.len(), 149);
    assert!((w.typical_spread - spreads[74]).abs() < 1e-12);
    assert!((w.typical_ratio - 1.62_f64.powf(spreads[74] / 10.0)).abs() < 1e-12);
    assert!(
        w.sentence.ends_with(&format!("in a typical LA, about {} times.", w.typical_shown)),
        "{}",
        w.sentence
    );
    // Blackpool: flatter per step but far more spread out; its gap is smaller than a typical LA's.
    assert_eq!(r.average.direction, socgrad::calculator::Direction::Flatter);
    assert_eq!(w.gap, socgrad::calculator::Direction::Lower);
    assert!(
        w.explanation.starts_with(
            "That gap is smaller than a typical LA's: Blackpool's gradient per step is flatter than average, \
             but its neighbourhoods are much more spread out"
        ),
        "{}",
        w.explanation
    );

    let r = gradient(&webb(Outcome::Cla, Some("Wokingham"), None)).unwrap();
    let p = find_la("Wokingham").unwrap();
    let w = r.la.as_ref().unwrap().within_la.clone().unwrap();
    let steps = (p.spread.imd2015_p90 - p.spread.imd2015_p10) / 15.80;
    assert!((w.ratio - r.estimate.powf(steps)).abs() < 1e-12);
    assert!((w.ci_low.unwrap() - r.ci_low.unwrap().powf(steps)).abs() < 1e-12);
    assert!((w.ci_high.unwrap() - r.ci_high.unwrap().powf(steps)).abs() < 1e-12);
    assert!(w.sentence.contains("tenth (95% CI "), "{}", w.sentence);

    // Comparative measures (Tables 9, 12, 13) describe no rate: no within-LA ratio.
    let measure = socgrad::calculator::catalogue()
        .tables
        .iter()
        .find(|t| t.table == "Table 9")
        .and_then(|t| t.measures.first().map(|m| m.name.clone()))
        .unwrap();
    let r = gradient(&hood(&measure, Some("Blackpool"), None)).unwrap();
    assert!(r.la.unwrap().within_la.is_none());
}

#[test]
fn per_la_gradients_show_the_inverse_intervention_law() {
    let all = la_gradients(&hood("referral", None, Some(5.0))).unwrap();
    assert_eq!(all.items.len(), 151);
    assert_eq!(all.table, "Table 2");
    for (item, p) in all.items.iter().zip(places()) {
        assert_eq!(item.la_code, p.la.la_code);
        let one = gradient(&hood("referral", Some(&p.la.la_code), None)).unwrap();
        assert_eq!(item.estimate, one.estimate);
    }
    // Steeper gradients in less deprived LAs: a strongly negative rank correlation.
    let deps: Vec<f64> = places().iter().map(|p| p.la.la_dep()).collect();
    let concordant = all
        .items
        .iter()
        .zip(&deps)
        .flat_map(|(a, da)| {
            all.items.iter().zip(&deps).map(move |(b, db)| (a.estimate - b.estimate) * (da - db))
        })
        .filter(|x| *x < 0.0)
        .count();
    assert!(concordant > 151 * 150 * 9 / 10, "{concordant}");
    // Ranks: the 149 LAs compared England-wide, steepest first, exact ties sharing a rank.
    assert_eq!(all.ranked_count, 149);
    for item in &all.items {
        let small = places().iter().any(|p| p.la.la_code == item.la_code && p.la.small_la);
        assert_eq!(item.rank.is_none(), small, "{}", item.la_name);
    }
    let webb_all = la_gradients(&webb(Outcome::Cla, None, None)).unwrap();
    assert_eq!(webb_all.items.len(), 151);
    assert!(webb_all.items.iter().any(|i| i.extrapolated));
}
