//! Wide files: 5,000 columns, and a 10 MB header line of unique names with no data. Reading,
//! summarising and guessing column roles stay linear in the number of columns (names are found
//! through an index, not by scanning), so both are read (or refused) with the right results.
//! `examples/wide_files.rs` prints how long they take.

use socgrad::data::{read_csv, read_csv_file, summarise, Column, DataError, Delimiter};
use socgrad::workflow::roles::guess_roles;

const COLUMNS: usize = 5_000;
const ROWS: usize = 20;

fn wide_file() -> Vec<u8> {
    let names: Vec<String> = (0..COLUMNS).map(|j| format!("v{j}")).collect();
    let mut s = names.join(";") + "\n";
    for i in 0..ROWS {
        let row: Vec<String> = (0..COLUMNS).map(|j| format!("{},5", i * COLUMNS + j)).collect();
        s.push_str(&row.join(";"));
        s.push('\n');
    }
    s.into_bytes()
}

#[test]
fn five_thousand_columns_read_with_their_values() {
    let file = read_csv_file(&wide_file()).expect("reads");
    assert_eq!(file.delimiter, Delimiter::Semicolon { decimal_comma: true });
    let df = file.frame;
    assert_eq!((df.nrows(), df.ncols()), (ROWS, COLUMNS));
    for j in [0, 1, 2_500, COLUMNS - 1] {
        match df.column(&format!("v{j}")) {
            Some(Column::Numeric(v)) => {
                let expected: Vec<f64> = (0..ROWS).map(|i| (i * COLUMNS + j) as f64 + 0.5).collect();
                assert_eq!(v, &expected, "column v{j}");
            }
            other => panic!("v{j}: {other:?}"),
        }
    }
    let summaries = summarise(&df);
    assert_eq!(summaries.len(), COLUMNS);
    assert_eq!(summaries[COLUMNS - 1].name, format!("v{}", COLUMNS - 1));
    let roles = guess_roles(&df);
    assert_eq!(roles.la, None);
}

/// One header line of about 10 MB: unique names, no data rows.
fn ten_megabyte_header(duplicate_last: bool) -> (Vec<u8>, usize) {
    let mut names: Vec<String> = Vec::new();
    let mut len = 0;
    while len < 10_000_000 {
        let name = format!("column_{:07}", names.len());
        len += name.len() + 1;
        names.push(name);
    }
    if duplicate_last {
        names.push(names[names.len() / 2].clone());
    }
    let n = names.len();
    (names.join(",").into_bytes(), n)
}

#[test]
fn a_ten_megabyte_header_line_without_data_is_refused_as_header_only() {
    let (bytes, n) = ten_megabyte_header(false);
    assert!(bytes.len() >= 10_000_000 && n > 600_000);
    assert_eq!(read_csv(&bytes), Err(DataError::HeaderOnly));
}

#[test]
fn a_duplicate_name_in_a_ten_megabyte_header_is_named_with_both_positions() {
    let (bytes, n) = ten_megabyte_header(true);
    let half = (n - 1) / 2;
    assert_eq!(
        read_csv(&bytes),
        Err(DataError::DuplicateHeader { name: format!("column_{half:07}"), first: half + 1, second: n })
    );
}
