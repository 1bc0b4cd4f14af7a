//! Untrusted input: randomised files for the CSV reader and randomised formulas for the parser
//! (and the design built from them). Nothing a user can type or upload may panic; errors say
//! where the problem is; and where an input has a known meaning, it is read back exactly:
//!
//! - arbitrary bytes: read or refused, never a panic; a refusal names its row, line or column;
//! - generated tables (comma, semicolon with decimal points or commas, tab; quoted fields with
//!   delimiters, quotes and line breaks inside; a byte-order mark; CRLF; blank lines; padding;
//!   missing-value tokens; numbers from 1e-300 to 1e300; unicode text) read back to the same
//!   names, values and delimiter;
//! - the same tables with one row given an extra cell: refused, naming that row;
//! - formulas from a grammar of valid-ish tokens with garbage mixed in, and arbitrary strings:
//!   parsed or refused with a span inside the text; a parsed formula prints as R would and
//!   parses back to the same structure, and validating it against data never panics.
//!
//! Each property runs a bounded number of cases (a few seconds in all).

use proptest::prelude::*;
use proptest::test_runner::Config;
use socgrad::data::{read_csv_file, Column, DataError, Delimiter, MISSING_TOKENS};
use socgrad::formula::{parse, validate};
use socgrad::pipeline::BuiltFormula;

fn config(cases: u32) -> Config {
    Config { cases, failure_persistence: None, max_shrink_time: 20_000, ..Config::default() }
}

/// Every refusal of a file says where: a row and line, a column position, or what the file is.
fn assert_located(e: &DataError) {
    match e {
        DataError::Ragged { row, line, expected, found } => {
            assert!(*row >= 1 && *line >= 2 && expected != found, "{e:?}")
        }
        DataError::Syntax { line, .. } => assert!(*line >= 1, "{e:?}"),
        DataError::NotText { line, .. } => assert!(line.map_or(true, |l| l >= 1), "{e:?}"),
        DataError::EmptyHeader { position } => assert!(*position >= 1, "{e:?}"),
        DataError::DuplicateHeader { first, second, .. } => assert!(first < second, "{e:?}"),
        DataError::Empty | DataError::HeaderOnly | DataError::TooLarge { .. } => {}
        DataError::NoNumbers { .. } => panic!("the reader never refuses a column for its cells: {e:?}"),
        DataError::Shape { .. } => panic!("the reader never builds columns of different lengths: {e:?}"),
    }
    assert!(!e.to_string().is_empty());
}

// --- Generated tables ------------------------------------------------------------------------

/// One cell of a generated table: what is written, and what it must read back as.
#[derive(Debug, Clone)]
enum Cell {
    Number(f64),
    Text(String),
    Missing(&'static str),
}

#[derive(Debug, Clone)]
struct Table {
    names: Vec<String>,
    /// `numeric[j]`: column `j` holds numbers (and missing cells) only.
    numeric: Vec<bool>,
    rows: Vec<Vec<Cell>>,
    delimiter: u8,
    decimal_comma: bool,
    bom: bool,
    crlf: bool,
    /// Padding spaces written around unquoted cells.
    pad: bool,
    /// Blank lines written after these data rows.
    blank_after: Vec<usize>,
    trailing_newline: bool,
}

fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        (-100_000i64..100_000).prop_map(|i| i as f64),
        -1e6..1e6f64,
        (-300i32..300, 1.0..10.0f64).prop_map(|(e, m)| m * 10f64.powi(e)),
        Just(1e300),
        Just(-1e-300),
        Just(0.0),
    ]
}

/// Text that is not a number and not a missing token: a leading letter (Latin, accented, CJK or
/// an emoji), then anything including delimiters, quotes and line breaks.
fn text() -> impl Strategy<Value = String> {
    ("[xé名Øz\u{1F600}]", "[a-z0-9 ,;\t\"\n名é.-]{0,10}")
        .prop_map(|(first, rest)| format!("{first}{rest}").trim_end().to_owned())
}

fn cell(numeric: bool) -> impl Strategy<Value = Cell> {
    let missing = prop::sample::select(MISSING_TOKENS.to_vec()).prop_map(Cell::Missing);
    if numeric {
        prop_oneof![4 => number().prop_map(Cell::Number), 1 => missing].boxed()
    } else {
        prop_oneof![4 => text().prop_map(Cell::Text), 1 => missing].boxed()
    }
}

fn table() -> impl Strategy<Value = Table> {
    (2usize..7, 1usize..12)
        .prop_flat_map(|(ncols, nrows)| {
            let names = prop::collection::vec("[a-zA-Z名é ,;\"_.]{0,6}", ncols).prop_map(|bases| {
                bases.iter().enumerate().map(|(j, b)| format!("c{j}{}", b.trim_end())).collect::<Vec<_>>()
            });
            let numeric = prop::collection::vec(any::<bool>(), ncols);
            (Just(nrows), names, numeric)
        })
        .prop_flat_map(|(nrows, names, numeric)| {
            let row: Vec<_> = numeric.iter().map(|&n| cell(n)).collect();
            let rows = prop::collection::vec(row, nrows);
            let layout = (
                prop::sample::select(vec![b',', b';', b'\t']),
                any::<bool>(),
                any::<bool>(),
                any::<bool>(),
                any::<bool>(),
                prop::collection::vec(0..nrows, 0..3),
                any::<bool>(),
            );
            (Just(names), Just(numeric), rows, layout)
        })
        .prop_map(
            |(names, numeric, rows, (delimiter, decimal_comma, bom, crlf, pad, blank_after, trailing))| {
                Table {
                    names,
                    numeric,
                    rows,
                    delimiter,
                    decimal_comma: decimal_comma && delimiter == b';',
                    bom,
                    crlf,
                    pad,
                    blank_after,
                    trailing_newline: trailing,
                }
            },
        )
}

/// A field as written: quoted (quotes doubled) when it holds a delimiter, a quote or a line
/// break, else padded with spaces when the table asks for it.
fn field(text: &str, pad: bool) -> String {
    if text.contains([',', ';', '\t', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else if pad {
        format!("  {text} ")
    } else {
        text.to_owned()
    }
}

impl Table {
    fn written(&self, cell: &Cell) -> String {
        match cell {
            Cell::Number(x) if self.decimal_comma => x.to_string().replace('.', ","),
            Cell::Number(x) => x.to_string(),
            Cell::Text(t) => t.clone(),
            Cell::Missing(token) => (*token).to_owned(),
        }
    }

    /// The file's bytes; with `extra_cell_in`, that data row (0-based) gets one cell too many.
    fn bytes(&self, extra_cell_in: Option<usize>) -> Vec<u8> {
        let sep = char::from(self.delimiter).to_string();
        let eol = if self.crlf { "\r\n" } else { "\n" };
        let mut lines = vec![self.names.iter().map(|n| field(n, false)).collect::<Vec<_>>().join(&sep)];
        for (i, row) in self.rows.iter().enumerate() {
            let mut cells: Vec<String> = row.iter().map(|c| field(&self.written(c), self.pad)).collect();
            if extra_cell_in == Some(i) {
                cells.push("1".to_owned());
            }
            lines.push(cells.join(&sep));
            if self.blank_after.contains(&i) {
                lines.push(String::new());
            }
        }
        let mut text = lines.join(eol);
        if self.trailing_newline {
            text.push_str(eol);
        }
        let mut out = if self.bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
        out.extend_from_slice(text.as_bytes());
        out
    }

    fn expected_delimiter(&self) -> Delimiter {
        match self.delimiter {
            b';' => Delimiter::Semicolon {
                decimal_comma: self.decimal_comma
                    && self
                        .rows
                        .iter()
                        .flatten()
                        .any(|c| matches!(c, Cell::Number(x) if x.to_string().contains('.'))),
            },
            b'\t' => Delimiter::Tab,
            _ => Delimiter::Comma,
        }
    }
}

proptest! {
    #![proptest_config(config(2000))]

    #[test]
    fn arbitrary_bytes_are_read_or_refused_with_a_location(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        if let Err(e) = read_csv_file(&bytes) {
            assert_located(&e);
        }
    }

    #[test]
    fn arbitrary_text_of_csv_characters_is_read_or_refused_with_a_location(
        text in "[a,;\t\"\r\n 1.5eNA\u{FEFF}é名-]{0,200}"
    ) {
        match read_csv_file(text.as_bytes()) {
            Ok(file) => {
                for (_, column) in file.frame.columns() {
                    prop_assert_eq!(column.len(), file.frame.nrows());
                }
            }
            Err(e) => assert_located(&e),
        }
    }
}

proptest! {
    #![proptest_config(config(600))]

    #[test]
    fn generated_tables_read_back_to_the_same_values(table in table()) {
        let bytes = table.bytes(None);
        let file = read_csv_file(&bytes).unwrap_or_else(|e| panic!("{e}\n{}", String::from_utf8_lossy(&bytes)));
        prop_assert_eq!(file.delimiter, table.expected_delimiter());
        prop_assert_eq!(file.frame.names(), &table.names[..]);
        prop_assert_eq!(file.frame.nrows(), table.rows.len());
        for (j, (name, column)) in file.frame.columns().enumerate() {
            let cells: Vec<&Cell> = table.rows.iter().map(|r| &r[j]).collect();
            let all_missing = cells.iter().all(|c| matches!(c, Cell::Missing(_)));
            match column {
                Column::Numeric(values) => {
                    prop_assert!(table.numeric[j] || all_missing, "column {} read as numbers", name);
                    for (i, (c, &x)) in cells.iter().zip(values).enumerate() {
                        match c {
                            Cell::Number(v) => prop_assert_eq!(x, *v, "row {} column {}", i + 1, name),
                            _ => prop_assert!(x.is_nan(), "row {} column {}", i + 1, name),
                        }
                    }
                }
                Column::Text(t) => {
                    prop_assert!(!table.numeric[j], "column {} read as text", name);
                    for (i, c) in cells.iter().enumerate() {
                        match c {
                            Cell::Text(s) => prop_assert_eq!(t.get(i), Some(s.as_str()), "row {}", i + 1),
                            _ => prop_assert_eq!(t.get(i), None, "row {}", i + 1),
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_row_with_a_cell_too_many_is_refused_naming_it(table in table(), pick in any::<prop::sample::Index>()) {
        let row = pick.index(table.rows.len());
        match read_csv_file(&table.bytes(Some(row))) {
            Err(DataError::Ragged { row: r, line, expected, found }) => {
                prop_assert_eq!(r, row + 1);
                prop_assert!(line >= row + 2);
                prop_assert_eq!(expected, table.names.len());
                prop_assert_eq!(found, table.names.len() + 1);
            }
            other => prop_assert!(false, "expected a ragged-row error, got {:?}", other),
        }
    }
}

// --- Formulas --------------------------------------------------------------------------------

/// A small frame with the columns the generated formulas name (and one they do not).
fn frame() -> socgrad::data::DataFrame {
    let csv = "count,pop,imd,la,msoa,rural,odd name\n\
               3,100,12.5,A,A1,urban,1\n\
               5,120,30.1,A,A2,rural,2\n\
               0,90,8.2,B,B1,urban,3\n\
               7,150,41.0,B,B2,rural,4\n\
               2,110,22.4,C,C1,urban,5\n\
               4,95,17.9,C,C2,urban,6\n";
    read_csv_file(csv.as_bytes()).expect("the frame reads").frame
}

fn token() -> impl Strategy<Value = String> {
    let words = [
        "count",
        "pop",
        "imd",
        "la",
        "msoa",
        "rural",
        "`odd name`",
        "unknown",
        "~",
        "+",
        "-",
        "*",
        "/",
        ":",
        "^",
        "|",
        "||",
        "(",
        ")",
        ",",
        "1",
        "0",
        "2.5",
        "-1",
        "1e400",
        "offset(",
        "log(",
        "within(",
        "between(",
        "scale(",
        "I(",
        "exp(",
        "sqrt(",
        ".",
        "`",
        "\"",
        "'",
        "#",
        "$",
        "%in%",
        "名",
        "\u{1F600}",
        "é",
        "\t",
        "\n",
    ];
    prop_oneof![
        8 => prop::sample::select(words.to_vec()).prop_map(str::to_owned),
        1 => "\\PC{1,3}",
    ]
}

fn garbled_formula() -> impl Strategy<Value = String> {
    prop::collection::vec((token(), prop::sample::select(vec!["", " "])), 0..24)
        .prop_map(|parts| parts.into_iter().map(|(t, s)| format!("{t}{s}")).collect())
}

/// Formulas that follow the grammar: a response, fixed terms, an offset, random terms.
fn grammatical_formula() -> impl Strategy<Value = String> {
    let atom = prop::sample::select(vec![
        "imd",
        "pop",
        "rural",
        "`odd name`",
        "log(pop)",
        "within(imd, la)",
        "between(imd, la)",
        "scale(imd)",
        "I((imd - 20)/10)",
        "imd:rural",
        "imd * rural",
        "unknown",
    ]);
    let random = prop::sample::select(vec![
        "",
        " + (1 | la)",
        " + (1 + imd | la)",
        " + (1 | la/msoa)",
        " + (0 + imd | la)",
    ]);
    (
        prop::sample::select(vec!["count", "pop", "rural", "unknown"]),
        prop::collection::vec(atom, 0..4),
        any::<bool>(),
        any::<bool>(),
        random,
    )
        .prop_map(|(response, terms, offset, no_intercept, random)| {
            let mut rhs: Vec<String> = terms.into_iter().map(str::to_owned).collect();
            if offset {
                rhs.push("offset(log(pop/10000))".to_owned());
            }
            if no_intercept {
                rhs.insert(0, "0".to_owned());
            }
            if rhs.is_empty() {
                rhs.push("1".to_owned());
            }
            format!("{response} ~ {}{random}", rhs.join(" + "))
        })
}

/// Parses `text`; a refusal must point inside the text at the term it quotes; a parsed formula
/// prints as R would and parses back to the same structure; validating it and building its design
/// against data never panics.
fn check_formula(text: &str) -> Result<(), TestCaseError> {
    match parse(text) {
        Err(e) => {
            prop_assert!(e.span.start <= e.span.end && e.span.end <= text.len(), "{:?} in {:?}", e, text);
            prop_assert!(text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end));
            prop_assert_eq!(e.term.as_str(), text[e.span.start..e.span.end].trim());
            prop_assert!(!e.message.is_empty());
        }
        Ok(formula) => {
            let printed = formula.to_string();
            let again = parse(&printed).map_err(|e| TestCaseError::fail(format!("{printed:?}: {e}")))?;
            let (mut a, mut b) = (formula.summary(), again.summary());
            prop_assert_eq!(&a.r_formula, &b.r_formula);
            a.r_formula.clear();
            b.r_formula.clear();
            prop_assert_eq!(a, b, "{} printed as {}", text, printed);
            let df = frame();
            let report = validate(&df, &formula);
            for p in &report.problems {
                if let Some(span) = p.span {
                    prop_assert!(span.end <= text.len() && span.start <= span.end, "{:?}", p);
                }
            }
            let _ = BuiltFormula::new(&df, text);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(3000))]

    #[test]
    fn garbled_formulas_parse_or_are_refused_with_a_span(text in garbled_formula()) {
        check_formula(&text)?;
    }

    #[test]
    fn arbitrary_strings_parse_or_are_refused_with_a_span(text in "\\PC{0,40}") {
        check_formula(&text)?;
    }
}

proptest! {
    #![proptest_config(config(400))]

    #[test]
    fn grammatical_formulas_round_trip_and_build_or_name_the_problem(text in grammatical_formula()) {
        check_formula(&text)?;
        if let Err(e) = BuiltFormula::new(&frame(), &text) {
            prop_assert!(!e.to_string().is_empty());
        }
    }
}
