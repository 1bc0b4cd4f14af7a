//! A file of a million rows and eight columns reads into the right columns and builds a design.

use socgrad::data::{read_csv, summarise, Column, ColumnKind};
use socgrad::formula::{build_design, parse};

const ROWS: usize = 1_000_000;

fn million_row_file() -> Vec<u8> {
    let mut s = String::with_capacity(ROWS * 60);
    s.push_str("count,pop,imd,la,lsoa,la_imd,rural,msoa\n");
    for i in 0..ROWS {
        let la = i % 150;
        let imd = (i % 6000) as f64 / 100.0;
        s.push_str(&format!(
            "{},{},{imd},E{:08},E01{:06},{:.1},{},M{:05}\n",
            i % 30,
            800 + i % 2000,
            6_000_000 + la,
            i % 32_844,
            10.0 + la as f64 * 0.2,
            if i % 3 == 0 { "rural" } else { "urban" },
            i / 140
        ));
    }
    s.into_bytes()
}

#[test]
fn a_million_rows_read_and_model() {
    let df = read_csv(&million_row_file()).expect("reads");
    assert_eq!((df.nrows(), df.ncols()), (ROWS, 8));
    let kinds: Vec<ColumnKind> = summarise(&df).iter().map(|s| s.kind).collect();
    use ColumnKind::{Number as N, Text as T};
    assert_eq!(kinds, [N, N, N, T, T, N, T, T]);
    match df.column("count") {
        // 0 + 1 + ... + 29, repeated ROWS / 30 times (plus the first ROWS % 30 values).
        Some(Column::Numeric(v)) => {
            let full = (ROWS / 30) as f64 * 435.0;
            let rest: f64 = (0..ROWS % 30).map(|k| k as f64).sum();
            assert_eq!(v.iter().sum::<f64>(), full + rest);
        }
        other => panic!("{other:?}"),
    }
    match df.column("lsoa") {
        Some(Column::Text(t)) => assert_eq!(t.labels().len(), 32_844),
        other => panic!("{other:?}"),
    }
    let f = parse("count ~ imd * la_imd + rural + offset(log(pop)) + (1 + imd | la)").expect("parses");
    let d = build_design(&df, &f).expect("builds");
    assert_eq!(d.x_names, ["(Intercept)", "imd", "la_imd", "ruralurban", "imd:la_imd"]);
    assert_eq!((d.nobs(), d.random[0].levels.len()), (ROWS, 150));
}
