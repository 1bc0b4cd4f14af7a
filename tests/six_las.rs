//! "Inside six local authorities": the views of Hood et al. 2020's tables (forest plots, tables and
//! readings) hold exactly the typed tables' numbers, their readings say what the cells say, and
//! the page's file `www/static/six-las.json` is current.

use socgrad::six_las::{self, page, pooled_odds_ratio, SixLasView};
use socgrad::tables::hood2020::classes::TABLE13_DEPRIVATION_EFFECTS;
use socgrad::tables::hood2020::differences::{ODDS_TABLES, TABLE10_DEPRIVATION};
use socgrad::tables::hood2020::odds::OddsCell;
use socgrad::tables::hood2020::La;

fn view(key: &str) -> SixLasView {
    page().views.into_iter().find(|v| v.key == key).unwrap_or_else(|| panic!("no view {key}"))
}

#[test]
fn the_pages_file_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/www/static/six-las.json");
    let committed = std::fs::read_to_string(path).expect("www/static/six-las.json");
    assert!(committed == six_las::page_json(), "regenerate with `cargo run --example make_six_las`");
}

#[test]
fn every_table_has_a_view_and_every_view_a_citation() {
    let p = page();
    let tables: std::collections::BTreeSet<&str> = p.views.iter().map(|v| v.table).collect();
    for n in [2, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18] {
        assert!(tables.contains(format!("Table {n}").as_str()), "Table {n}");
    }
    let keys: Vec<&str> = p.groups.iter().flat_map(|g| g.views.iter().map(String::as_str)).collect();
    assert_eq!(keys.len(), p.views.len());
    for v in &p.views {
        assert!(keys.contains(&v.key.as_str()));
        assert!(
            v.citation.starts_with("Hood et al. 2020, Table ")
                && v.citation.contains("004_0ca8065947ac1239.txt")
        );
        assert!(!v.tables.is_empty() && !v.about.is_empty(), "{}", v.key);
    }
    assert!(keys.contains(&p.first.as_str()));
}

/// The figure of every half of Tables 7 to 10 holds its cells: each row once, six LAs with the
/// printed odds ratio and interval (or nothing for N/A), rows in order of the pooled odds ratio
/// within each printed section; the table says the same as the chart.
#[test]
fn forest_plots_hold_the_printed_odds_ratios() {
    for table in ODDS_TABLES {
        for half in table.halves {
            let v = view(&format!("table{}_{}", table.number, half.key));
            let fig = v.figure.as_ref().expect("a forest plot");
            assert_eq!(
                fig.spec.groups.iter().map(|g| g.name.as_str()).collect::<Vec<_>>(),
                ["LA0", "LA1", "LA2", "LA3", "LA4", "LA5"]
            );
            assert_eq!(fig.spec.sections.len(), half.sections.len());
            let mut table_rows = fig.table.rows.iter();
            for (section, printed) in fig.spec.sections.iter().zip(half.sections) {
                assert_eq!(section.heading, printed.heading);
                assert_eq!(section.items.len(), printed.rows.len());
                let mut last = f64::INFINITY;
                for item in &section.items {
                    let row =
                        printed.rows.iter().find(|r| item.label.starts_with(r.label)).expect("a printed row");
                    let pooled = pooled_odds_ratio(&row.cells).unwrap();
                    assert!(pooled <= last, "{} {}: order", table.table, item.label);
                    last = pooled;
                    assert_eq!(item.estimates.len(), 6);
                    let cells = table_rows.next().unwrap();
                    assert_eq!(cells[0], item.label);
                    for (la, (estimate, cell)) in La::ALL.iter().zip(item.estimates.iter().zip(&row.cells)) {
                        match (estimate, cell) {
                            (Some(e), OddsCell::Printed(r)) => {
                                assert_eq!((e.value, e.interval), (r.or, Some([r.ci.low, r.ci.high])));
                                assert_eq!(cells[2 + la.index()], r.short());
                            }
                            (None, OddsCell::NotAvailable) => assert_eq!(cells[2 + la.index()], "N/A"),
                            _ => panic!(
                                "{} {} {}: estimate and cell differ",
                                table.table,
                                item.label,
                                la.label()
                            ),
                        }
                    }
                }
            }
            assert!(table_rows.next().is_none());
        }
    }
}

#[test]
fn the_pooled_odds_ratio_weights_each_la_by_its_interval() {
    // Table 10, most deprived, CP Conferences, by hand: se = (ln hi - ln lo) / 3.92.
    let row = TABLE10_DEPRIVATION.halves[1].sections[0].rows[0];
    assert_eq!(row.label, "CP Conferences");
    let cells = [
        (1.33, 1.26, 1.40),
        (1.31, 1.16, 1.48),
        (1.38, 1.22, 1.55),
        (1.45, 1.25, 1.67),
        (0.99, 0.88, 1.10),
        (0.97, 0.76, 1.23),
    ];
    let (mut sum, mut weight) = (0.0, 0.0);
    for (or, lo, hi) in cells {
        let se: f64 = (f64::ln(hi) - f64::ln(lo)) / (2.0 * 1.959963984540054);
        sum += f64::ln(or) / (se * se);
        weight += 1.0 / (se * se);
    }
    let expected = (sum / weight).exp();
    assert!((pooled_odds_ratio(&row.cells).unwrap() - expected).abs() < 1e-12);
    assert!((1.2..1.35).contains(&expected), "{expected}");
    assert_eq!(pooled_odds_ratio(&[OddsCell::NotAvailable]), None);
}

#[test]
fn table_13_reading_says_what_its_cells_say() {
    let v = view("table13_demand_classes");
    let text = v.reading.join(" ");
    assert!(text.contains("In four authorities (LA0, LA1, LA2 and LA5), neglect was the kind of need most sensitive to deprivation"), "{text}");
    assert!(
        text.contains("In LA3 it was multiple complex needs II (+42%, against +20% for neglect)"),
        "{text}"
    );
    assert!(text.contains("in LA4 it was domestic violence (+24%, against +22% for neglect)"), "{text}");
    assert!(text.contains("neglect's odds rose by +62% in LA5 against +20% in LA3"), "{text}");
    assert!(text.contains("all 42 changes are increases, from +13% to +62%"), "{text}");
    // The report's own sentence differs from its table, and the page says so.
    assert!(v.about.iter().any(|a| a.contains("except one (LA3)") && a.contains("four LAs")));
    // The figure: seven classes, six LAs each, at 1 + change / 100, no intervals (none printed),
    // neglect first (the largest average change).
    let fig = v.figure.unwrap();
    let items = &fig.spec.sections[0].items;
    assert_eq!(items.len(), 7);
    assert_eq!(items[0].label, "Neglect");
    for item in items {
        let column =
            TABLE13_DEPRIVATION_EFFECTS.classes.iter().position(|c| c.short_name() == item.label).unwrap();
        for (row, e) in TABLE13_DEPRIVATION_EFFECTS.rows.iter().zip(&item.estimates) {
            let e = e.unwrap();
            assert_eq!(e.value, 1.0 + row.percent[column] / 100.0);
            assert_eq!(e.interval, None);
        }
    }
    assert!(!fig.spec.hollow_when_interval_includes_reference);
    assert_eq!(fig.table.rows[0][..7], ["Neglect", "+33%", "+32%", "+35%", "+20%", "+22%", "+62%"]);
}

#[test]
fn table_10_reading_names_where_the_most_deprived_reached_cp_and_where_not() {
    let v = view("table10_most_deprived");
    let text = v.reading.join(" ");
    assert!(text.contains("CP Conferences: higher odds in four of the six (LA0, LA1, LA2 and LA3) and an interval reaching 1 in LA4 and LA5."), "{text}");
    assert!(text.contains("CP Plans: higher odds in four of the six (LA0, LA1, LA2 and LA3) and an interval reaching 1 in LA4 and LA5."), "{text}");
    assert!(text.contains("Neglect (five of the six)"), "{text}");
    let least = view("table10_least_deprived");
    let text = least.reading.join(" ");
    assert!(text.contains("CP Conferences: an interval reaching 1 in LA3, LA4 and LA5 and lower odds in three of the six (LA0, LA1 and LA2)."), "{text}");
    for v in [&v, &least] {
        let about = v.about.join(" ");
        assert!(about.contains("not to represent England") && about.contains("not causes"), "{about}");
        assert!(about.contains("colour"), "the lost highlighting is said: {about}");
    }
}

#[test]
fn the_other_readings_are_computed_from_their_tables() {
    let reading = |key: &str| view(key).reading.join(" ");
    assert!(reading("table11")
        .contains("multiple complex needs I in five of the six (LA0, LA1, LA3, LA4 and LA5)"));
    assert!(reading("table11").contains("Multiple complex needs II was the smallest class overall (3% of all episodes), and largest in LA3 (8%)"));
    assert!(reading("table12").contains("neglect 10% and 15%"));
    assert!(
        reading("table14").contains("reached a CP plan in 37% of cases and LAC in 15%, against 12% and 4%")
    );
    assert!(reading("table14")
        .contains("every class except multiple complex needs II and disability and mental health"));
    assert!(
        reading("table15").contains("(33%)")
            && reading("table15").contains("physical abuse episodes the least (20%)")
    );
    assert!(
        reading("table16").contains("Schools and Education Services referred 56% of physical abuse episodes")
    );
    assert!(reading("table17").contains("24% for neglect"));
    assert!(reading("table18").contains("except domestic violence (emotional abuse, 57.2%)"));
    assert!(reading("table18").contains("27.1% of CP plans were for neglect"));
    assert!(
        reading("table6").contains("of the 81 coefficients")
            && reading("table6").contains("80 are marked significant")
    );
    assert!(reading("table6")
        .contains("re-referrals within 12 months: coefficients from -0.118 to 0.014, none marked"));
    // Table 6's cells as printed, with p and N.
    let t6 = view("table6");
    assert_eq!(t6.tables[0].rows[0][1], ".580** (p < 0.001; N 150)");
    assert_eq!(t6.tables[0].rows[1][5], "–");
    assert_eq!(t6.tables[0].rows[13][7], "-0.06 (p 0.465; N 150)");
}

/// Every number the tables-only views show is the cell as printed, in the order of the typed
/// table: the percentage tables (11, 12, 14 to 18) and Table 6.
#[test]
fn the_table_views_show_the_printed_cells() {
    use socgrad::tables::hood2020::{table_cells, CellValue};
    for n in [11u8, 12, 14, 15, 16, 17, 18] {
        let v = view(&format!("table{n}"));
        let shown: Vec<&str> =
            v.tables[0].rows.iter().flat_map(|r| r[1..].iter().map(String::as_str)).collect();
        let printed: Vec<String> = table_cells(n).into_iter().map(|c| c.printed).collect();
        assert_eq!(shown, printed, "Table {n}");
    }
    let v = view("table6");
    let shown: Vec<&str> = v.tables[0]
        .rows
        .iter()
        .flat_map(|r| r[1..].iter().map(String::as_str))
        .filter(|c| *c != "–")
        .collect();
    let printed: Vec<String> = table_cells(6)
        .into_iter()
        .map(|c| match c.value {
            CellValue::Correlation { n, .. } => {
                let (rho, rest) = c.printed.split_once(" (Sig. ").unwrap();
                let p = rest.split_once(", N").unwrap().0;
                format!("{rho} (p {p}; N {n})")
            }
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(shown, printed);
    // Table 13's view: the printed changes, in the chart's order of classes.
    let v = view("table13_demand_classes");
    for row in &v.tables[0].rows {
        let column =
            TABLE13_DEPRIVATION_EFFECTS.classes.iter().position(|c| c.short_name() == row[0]).unwrap();
        let printed: Vec<String> =
            TABLE13_DEPRIVATION_EFFECTS.rows.iter().map(|r| format!("{:+.0}%", r.percent[column])).collect();
        assert_eq!(row[1..7], printed[..], "{}", row[0]);
    }
}
