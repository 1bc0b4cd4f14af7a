//! Reading CSV files: delimiters, quoting, encodings, missing values, type inference and the
//! errors a user sees for broken files.

use socgrad::data::{read_csv, read_csv_file, CellProblem, Column, DataError, DataFrame};

fn numbers(df: &DataFrame, name: &str) -> Vec<f64> {
    match df.column(name) {
        Some(Column::Numeric(v)) => v.clone(),
        other => panic!("{name} is not numeric: {other:?}"),
    }
}

fn texts(df: &DataFrame, name: &str) -> Vec<Option<String>> {
    match df.column(name) {
        Some(Column::Text(t)) => (0..t.len()).map(|i| t.get(i).map(str::to_owned)).collect(),
        other => panic!("{name} is not text: {other:?}"),
    }
}

fn same(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x.is_nan() && y.is_nan()) || x == y)
}

#[test]
fn comma_file_with_numbers_text_and_missing_values() {
    let df = read_csv(b"count,pop,la,imd\n3,1200,E06000001,12.5\n0, 950 ,E06000002,NA\n7,,E06000001,-0.25\n")
        .expect("reads");
    assert_eq!(df.nrows(), 3);
    assert_eq!(df.names(), ["count", "pop", "la", "imd"]);
    assert!(same(&numbers(&df, "count"), &[3.0, 0.0, 7.0]));
    assert!(same(&numbers(&df, "pop"), &[1200.0, 950.0, f64::NAN]));
    assert!(same(&numbers(&df, "imd"), &[12.5, f64::NAN, -0.25]));
    assert_eq!(
        texts(&df, "la"),
        [Some("E06000001".to_owned()), Some("E06000002".to_owned()), Some("E06000001".to_owned())]
    );
}

#[test]
fn every_missing_token_is_missing() {
    let df = read_csv(b"x,y\n1,a\nNA,NA\nNaN,NaN\nN/A,N/A\n.,.\n , \n2,b\n").expect("reads");
    assert!(same(&numbers(&df, "x"), &[1.0, f64::NAN, f64::NAN, f64::NAN, f64::NAN, f64::NAN, 2.0]));
    let y = texts(&df, "y");
    assert_eq!(y.iter().filter(|v| v.is_none()).count(), 5);
    assert_eq!(df.column("y").map(Column::missing_count), Some(5));
}

#[test]
fn semicolon_and_tab_files_are_detected() {
    let semi = read_csv(b"a;b;c\n1;2,5;x\n3;4;y\n").expect("semicolon reads");
    assert_eq!(semi.names(), ["a", "b", "c"]);
    // A decimal comma is read in a semicolon file.
    assert!(same(&numbers(&semi, "b"), &[2.5, 4.0]));

    let tab = read_csv(b"a\tb\n1\t2\n3\t4\n").expect("tab reads");
    assert_eq!(tab.names(), ["a", "b"]);
    assert!(same(&numbers(&tab, "b"), &[2.0, 4.0]));
}

#[test]
fn commas_inside_quotes_do_not_decide_the_delimiter() {
    // Three semicolon-separated fields whose quoted text holds more commas than there are
    // semicolons.
    let df = read_csv(b"name;count;note\n\"Smith, J, K\";3;\"a, b, c\"\n\"Jones, A\";4;\"d, e\"\n")
        .expect("reads");
    assert_eq!(df.names(), ["name", "count", "note"]);
    assert_eq!(texts(&df, "name"), [Some("Smith, J, K".to_owned()), Some("Jones, A".to_owned())]);
}

#[test]
fn quoted_fields_escaped_quotes_and_line_breaks() {
    let df = read_csv(b"id,label\n1,\"He said \"\"hi\"\"\"\n2,\"two\nlines\"\n3,plain\n").expect("reads");
    assert_eq!(df.nrows(), 3);
    assert_eq!(
        texts(&df, "label"),
        [Some("He said \"hi\"".to_owned()), Some("two\nlines".to_owned()), Some("plain".to_owned())]
    );
}

#[test]
fn bom_crlf_and_blank_lines() {
    let df = read_csv(b"\xEF\xBB\xBFcount,pop\r\n1,10\r\n\r\n2,20\r\n   \r\n").expect("reads");
    assert_eq!(df.names(), ["count", "pop"]);
    assert_eq!(df.nrows(), 2);
    assert!(same(&numbers(&df, "pop"), &[10.0, 20.0]));
}

#[test]
fn a_column_that_turns_to_text_keeps_its_exact_spelling() {
    // Mostly text: a text column, whose numbers keep their spelling.
    let df = read_csv(b"code,n\n007,1\n0.50,2\nE09,3\n,4\nE10,5\nE11,6\n").expect("reads");
    assert_eq!(
        texts(&df, "code"),
        [
            Some("007".to_owned()),
            Some("0.50".to_owned()),
            Some("E09".to_owned()),
            None,
            Some("E10".to_owned()),
            Some("E11".to_owned())
        ]
    );
}

#[test]
fn a_column_of_numbers_with_a_few_bad_cells_stays_numeric_and_names_them() {
    // Infinite values, thousands separators and words for missing values are not numbers a model
    // can use: read as missing, and named by row and value.
    let file = read_csv_file(b"a,b,c\n1,\"1,234\",4\ninf,5,n/a\n2,6,7\n").expect("reads");
    assert!(same(&numbers(&file.frame, "a"), &[1.0, f64::NAN, 2.0]));
    assert!(same(&numbers(&file.frame, "b"), &[f64::NAN, 5.0, 6.0]));
    assert!(same(&numbers(&file.frame, "c"), &[4.0, f64::NAN, 7.0]));
    let bad: Vec<(&str, usize, &str, CellProblem)> = file
        .bad_cells
        .iter()
        .flat_map(|b| b.cells.iter().map(move |c| (b.column.as_str(), c.row, c.value.as_str(), c.problem)))
        .collect();
    assert_eq!(
        bad,
        [
            ("a", 2, "inf", CellProblem::Infinite),
            ("b", 1, "1,234", CellProblem::ThousandsSeparator),
            ("c", 2, "n/a", CellProblem::MissingWord)
        ]
    );
    assert!(file.bad_cells[1].message.starts_with(
        "Column 'b' holds numbers written with a thousands separator, such as '1,234' in row 1 (1 row in all). \
         Save the file with plain numbers (1234, not 1,234)."
    ));
    // R's NaN spellings are missing numbers; a column of mostly text stays text.
    let file = read_csv_file(b"a,g\nnan,E1\n2,E2\n3,4\n").expect("reads");
    assert!(same(&numbers(&file.frame, "a"), &[f64::NAN, 2.0, 3.0]));
    assert_eq!(texts(&file.frame, "g")[2], Some("4".to_owned()));
    assert!(file.bad_cells.is_empty());
    // A column that starts as text and is mostly numbers becomes numeric.
    let file = read_csv_file(b"a\nfive\n1\n2\n").expect("reads");
    assert!(same(&numbers(&file.frame, "a"), &[f64::NAN, 1.0, 2.0]));
    assert_eq!(file.bad_cells[0].cells[0].value, "five");
}

#[test]
fn a_text_column_after_leading_missing_cells() {
    let df = read_csv(b"g,n\nNA,1\n,2\nabc,3\n").expect("reads");
    assert_eq!(texts(&df, "g"), [None, None, Some("abc".to_owned())]);
}

#[test]
fn header_problems_name_the_column_position() {
    let e = read_csv(b"count,,pop\n1,2,3\n").expect_err("empty name");
    assert_eq!(e, DataError::EmptyHeader { position: 2 });
    assert_eq!(e.to_string(), "column 2 has no name in the header row; every column needs a name");

    let e = read_csv(b"count,pop, count \n1,2,3\n").expect_err("duplicate");
    assert_eq!(e, DataError::DuplicateHeader { name: "count".into(), first: 1, second: 3 });
    assert_eq!(e.to_string(), "columns 1 and 3 are both called 'count'; column names must be unique");
}

#[test]
fn ragged_rows_name_the_row_and_the_line() {
    let e = read_csv(b"a,b,c\n1,2,3\n4,5\n").expect_err("ragged");
    assert_eq!(e, DataError::Ragged { row: 2, line: 3, expected: 3, found: 2 });
    assert_eq!(e.to_string(), "row 2 (line 3 of the file) has 2 cells but the header has 3 columns");

    // A quoted line break makes the file's line numbers run ahead of the row numbers.
    let e = read_csv(b"a,b\n1,\"x\ny\"\n2,3,4\n").expect_err("ragged");
    assert_eq!(e, DataError::Ragged { row: 2, line: 4, expected: 2, found: 3 });
}

#[test]
fn empty_and_header_only_files() {
    assert_eq!(read_csv(b""), Err(DataError::Empty));
    assert_eq!(read_csv(b" \n\n"), Err(DataError::Empty));
    assert_eq!(read_csv(b"\xEF\xBB\xBF"), Err(DataError::Empty));
    assert_eq!(read_csv(b"count,pop\n"), Err(DataError::HeaderOnly));
    assert_eq!(read_csv(b"count,pop\n\n\n"), Err(DataError::HeaderOnly));
}

#[test]
fn binary_and_foreign_encodings_are_rejected() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
    match read_csv(png) {
        Err(DataError::NotText { what, line: None }) => assert_eq!(what, "it is a PNG image"),
        other => panic!("{other:?}"),
    }
    match read_csv(b"PK\x03\x04\x14\0\x06\0") {
        Err(DataError::NotText { what, .. }) => assert!(what.contains("Excel .xlsx"), "{what}"),
        other => panic!("{other:?}"),
    }
    match read_csv(b"\xFF\xFEc\0o\0") {
        Err(DataError::NotText { what, .. }) => assert!(what.contains("UTF-16"), "{what}"),
        other => panic!("{other:?}"),
    }
    // Windows-1252 'e acute' on line 3.
    let e = read_csv(b"la,count\nLeeds,3\nCaf\xe9,4\n").expect_err("latin-1");
    assert_eq!(
        e.to_string(),
        "the file cannot be read as CSV text: it is not UTF-8 text (perhaps Windows-1252 or Latin-1) \
         (from line 3); save the table as 'CSV UTF-8' and choose that file"
    );
    match read_csv(b"a,b\n1,\x002\n") {
        Err(DataError::NotText { what, line: Some(2) }) => assert_eq!(what, "it contains binary data"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_unclosed_quote_is_named() {
    // A quoted field may run over lines, so an unclosed quote swallows the rest of the file.
    let e = read_csv(b"a,b\n1,2\n\"3,4\n5,6\n").expect_err("unclosed");
    assert_eq!(
        e.to_string(),
        "row 2 (line 3 of the file) cannot be read: a quote (\") opened on this line is never closed"
    );
}

#[test]
fn single_column_file() {
    let df = read_csv(b"count\n1\n2\n").expect("reads");
    assert_eq!(df.names(), ["count"]);
    assert!(same(&numbers(&df, "count"), &[1.0, 2.0]));
}

#[test]
fn utf8_text_is_kept() {
    let df = read_csv("area,n\nYnys Môn,1\nCafé,2\n".as_bytes()).expect("reads");
    assert_eq!(texts(&df, "area"), [Some("Ynys Môn".to_owned()), Some("Café".to_owned())]);
}

#[test]
fn frames_built_in_code() {
    let df = DataFrame::from_columns([
        ("y", Column::Numeric(vec![1.0, f64::INFINITY])),
        ("g", Column::Text(socgrad::data::TextColumn::from_values([Some("a"), None]))),
    ])
    .expect("builds");
    assert_eq!(df.nrows(), 2);
    assert!(df.column("y").is_some_and(|c| c.is_missing(1)));
    assert!(df.column("g").is_some_and(|c| c.is_missing(1) && !c.is_missing(0)));

    let e = DataFrame::from_columns([("y", Column::Numeric(vec![1.0])), ("x", Column::Numeric(vec![]))])
        .expect_err("lengths differ");
    assert_eq!(e.to_string(), "column 'x' has 0 rows but column 'y' has 1");
    let e = DataFrame::from_columns([("y", Column::Numeric(vec![])), ("y", Column::Numeric(vec![]))])
        .expect_err("duplicate");
    assert_eq!(e, DataError::DuplicateHeader { name: "y".into(), first: 1, second: 2 });
}
