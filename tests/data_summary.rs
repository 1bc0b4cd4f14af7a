//! Column summaries and the first-rows preview shown on the column-mapping page.

use socgrad::data::{preview, read_csv, summarise, ColumnKind};

const FILE: &[u8] = b"count,pop,la,imd\n3,1200,E06,12.5\n0,950,E07,NA\n7,,E06,-0.25\n2,1100,,12.5\n";

#[test]
fn summaries_describe_each_column() {
    let df = read_csv(FILE).expect("reads");
    let s = summarise(&df);
    assert_eq!(s.len(), 4);

    let count = &s[0];
    assert_eq!((count.name.as_str(), count.kind), ("count", ColumnKind::Number));
    assert_eq!((count.missing, count.min, count.max), (0, Some(0.0), Some(7.0)));
    assert!(count.whole_non_negative);
    assert_eq!(count.distinct, 4);
    assert_eq!(count.examples, ["3", "0", "7", "2"]);

    let pop = &s[1];
    assert_eq!((pop.missing, pop.min, pop.max), (1, Some(950.0), Some(1200.0)));

    let la = &s[2];
    assert_eq!((la.kind, la.missing, la.distinct, la.distinct_capped), (ColumnKind::Text, 1, 2, false));
    assert_eq!((la.min, la.max), (None, None));
    assert_eq!(la.examples, ["E06", "E07"]);

    let imd = &s[3];
    assert!(!imd.whole_non_negative);
    assert_eq!((imd.missing, imd.distinct, imd.min), (1, 2, Some(-0.25)));
    assert_eq!(imd.examples, ["12.5", "-0.25"]);
}

#[test]
fn summaries_serialise_for_the_page() {
    let df = read_csv(b"g\na\n").expect("reads");
    let json = serde_json::to_string(&summarise(&df)).expect("serialises");
    assert_eq!(
        json,
        r#"[{"name":"g","kind":"text","missing":0,"min":null,"max":null,"whole_non_negative":false,"distinct":1,"distinct_capped":false,"examples":["a"]}]"#
    );
}

#[test]
fn preview_shows_the_first_rows_as_text() {
    let df = read_csv(FILE).expect("reads");
    let p = preview(&df, 2);
    assert_eq!(p.names, ["count", "pop", "la", "imd"]);
    assert_eq!(p.row_numbers, [1, 2]);
    let s = |x: &str| Some(x.to_owned());
    assert_eq!(
        p.rows,
        [vec![s("3"), s("1200"), s("E06"), s("12.5")], vec![s("0"), s("950"), s("E07"), None]]
    );
    assert_eq!(preview(&df, 100).rows.len(), 4);
}
