//! What a cell holds, read with the user's intent in mind: a number, a missing value, a number
//! written in a way a model cannot read (a thousands separator, a decimal comma, an infinity, ...),
//! a word for a missing value, or text. A column is numeric unless it is mostly text
//! ([`ColumnTally::is_numeric`]); the cells of a numeric column that are not numbers are
//! [`BadCell`]s: read as missing and reported by row, value and the fix.
//!
//! Infinities and NaN follow R's `type.convert`: `inf`, `Inf`, `-Infinity` and `1e400` are
//! numbers to R (infinite ones, which no model can use), `NaN` and `nan` are missing numbers.
//! Hexadecimal numbers (`0x10`), which R also reads, are reported rather than silently taken.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How many bad cells of one column are listed (all are counted).
pub const BAD_CELLS_LISTED: usize = 20;

/// Words (compared without case, after trimming) that people and statistics offices write for a
/// value that is missing, suppressed or not applicable, beyond [`super::MISSING_TOKENS`]:
/// the Department for Education writes `x`, `c`, `z` and `low`, spreadsheets `#N/A`.
const MISSING_WORDS: [&str; 24] = [
    "n/a",
    "na",
    "n.a.",
    "n.a",
    "null",
    "none",
    "missing",
    "unknown",
    "not known",
    "not available",
    "nil",
    "-",
    "--",
    "?",
    "#n/a",
    "x",
    "c",
    "z",
    "[x]",
    "[c]",
    "[z]",
    "..",
    ":",
    "low",
];

/// Why a cell of a numeric column is not a number a model can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CellProblem {
    /// `1,234`: digits in groups of three separated by commas.
    ThousandsSeparator,
    /// `0,54` in a file whose columns are not separated by semicolons.
    DecimalComma,
    /// `1_000`.
    Underscores,
    /// `1 000`: digits in groups separated by spaces.
    Spaces,
    /// `12%`.
    Percent,
    /// `inf`, `-Infinity`, `1e400`: numbers to R, but infinite.
    Infinite,
    /// `0x10`: R reads it as 16.
    Hexadecimal,
    /// `n/a`, `none`, `x`, ...
    MissingWord,
    /// Any other text (`five`, `TRUE`).
    Text,
}

impl CellProblem {
    /// True for a number written in a way the reader does not take, as opposed to text: such a
    /// cell counts towards a column's being numeric.
    fn is_number_like(self) -> bool {
        !matches!(self, CellProblem::MissingWord | CellProblem::Text)
    }

    /// What the cells are, for "Column 'x' holds ...".
    fn what(self) -> &'static str {
        match self {
            CellProblem::ThousandsSeparator => "numbers written with a thousands separator",
            CellProblem::DecimalComma => "numbers written with a decimal comma",
            CellProblem::Underscores => "numbers written with underscores between the digits",
            CellProblem::Spaces => "numbers written with spaces between the digits",
            CellProblem::Percent => "percentages written with a % sign",
            CellProblem::Infinite => "infinite numbers (R reads them as Inf)",
            CellProblem::Hexadecimal => "hexadecimal numbers",
            CellProblem::MissingWord => "words for a missing value",
            CellProblem::Text => "text where numbers are expected",
        }
    }

    /// What to do about them.
    pub fn fix(self) -> &'static str {
        match self {
            CellProblem::ThousandsSeparator => "save the file with plain numbers (1234, not 1,234)",
            CellProblem::DecimalComma => {
                "write decimals with a point (0.54, not 0,54), or save the file with semicolons between the \
                 columns, as spreadsheets do where the comma is the decimal mark"
            }
            CellProblem::Underscores => "save the file with plain numbers (1000, not 1_000)",
            CellProblem::Spaces => "save the file with plain numbers (1000, not 1 000)",
            CellProblem::Percent => "write the number without the % sign (12, not 12%)",
            CellProblem::Infinite => {
                "a model needs finite values: correct the cell, or leave it empty if it is unknown"
            }
            CellProblem::Hexadecimal => "write the number in decimal (16, not 0x10)",
            CellProblem::MissingWord => {
                "leave the cell empty or write NA, which every program reads as missing"
            }
            CellProblem::Text => "correct the cell, or leave it empty (or write NA) if the value is unknown",
        }
    }
}

/// What one cell holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell {
    Missing,
    Number(f64),
    Bad(CellProblem),
}

/// Reads a trimmed cell that is not one of [`super::MISSING_TOKENS`]. A decimal comma is a
/// number where `decimal_comma` is allowed (semicolon-separated files).
pub fn classify(cell: &str, decimal_comma: bool) -> Cell {
    if let Ok(x) = cell.parse::<f64>() {
        return if x.is_finite() {
            Cell::Number(x)
        } else if x.is_nan() {
            Cell::Missing
        } else {
            Cell::Bad(CellProblem::Infinite)
        };
    }
    if decimal_comma {
        if let Some(x) = parse_decimal_comma(cell) {
            return Cell::Number(x);
        }
    }
    if cell.len() <= 13 && MISSING_WORDS.iter().any(|w| w.eq_ignore_ascii_case(cell)) {
        return Cell::Bad(CellProblem::MissingWord);
    }
    Cell::Bad(misspelled_number(cell).unwrap_or(CellProblem::Text))
}

/// A finite number written with one comma in place of the decimal point (`2,5`), or `None`.
fn parse_decimal_comma(cell: &str) -> Option<f64> {
    let one_comma = cell.bytes().filter(|&b| b == b',').count() == 1 && !cell.contains('.');
    if one_comma {
        cell.replacen(',', ".", 1).parse::<f64>().ok().filter(|x| x.is_finite())
    } else {
        None
    }
}

/// How a number that does not parse was written, when it is one.
fn misspelled_number(cell: &str) -> Option<CellProblem> {
    let unsigned = cell.strip_prefix(['-', '+']).unwrap_or(cell);
    // Every spelling below starts with a digit, a point or a comma: text (an LA's name) is
    // passed over at once.
    if !unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == ',') {
        return None;
    }
    if grouped(unsigned, ',') {
        return Some(CellProblem::ThousandsSeparator);
    }
    if parse_decimal_comma(cell).is_some() {
        return Some(CellProblem::DecimalComma);
    }
    if unsigned.contains('_') && unsigned.replace('_', "").parse::<f64>().is_ok_and(f64::is_finite) {
        return Some(CellProblem::Underscores);
    }
    let spaces = |c: char| c == ' ' || c == '\u{a0}' || c == '\u{202f}' || c == '\u{2009}';
    if unsigned.contains(spaces) && unsigned.replace(spaces, "").parse::<f64>().is_ok_and(f64::is_finite) {
        return Some(CellProblem::Spaces);
    }
    if let Some(p) = cell.strip_suffix('%') {
        if p.trim().parse::<f64>().is_ok_and(f64::is_finite) {
            return Some(CellProblem::Percent);
        }
    }
    let hex = unsigned.strip_prefix("0x").or_else(|| unsigned.strip_prefix("0X"));
    if hex.is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit())) {
        return Some(CellProblem::Hexadecimal);
    }
    None
}

/// True for digits in groups of three after a first group of one to three, separated by `sep`,
/// with an optional decimal part: `1,234`, `12,345.25`.
fn grouped(text: &str, sep: char) -> bool {
    let whole = match text.split_once('.') {
        Some((w, fraction)) if fraction.chars().all(|c| c.is_ascii_digit()) => w,
        Some(_) => return false,
        None => text,
    };
    let mut groups = whole.split(sep);
    let first = groups.next().unwrap_or("");
    let rest: Vec<&str> = groups.collect();
    !rest.is_empty()
        && (1..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_digit())
        && rest.iter().all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()))
}

/// Counts of a column's non-missing cells by kind, to decide its type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ColumnTally {
    /// Numbers, and numbers written in a way the reader does not take (`1,234`, `inf`).
    pub number_like: usize,
    /// Text that is not a number (`five`, `E09000001`).
    pub text: usize,
    /// Words for missing values (`n/a`, `x`), which are neither.
    pub words: usize,
}

impl ColumnTally {
    /// Counts one cell.
    pub fn add(&mut self, cell: Cell) {
        match cell {
            Cell::Missing => {}
            Cell::Bad(CellProblem::MissingWord) => self.words += 1,
            Cell::Number(_) => self.number_like += 1,
            Cell::Bad(p) if p.is_number_like() => self.number_like += 1,
            Cell::Bad(_) => self.text += 1,
        }
    }

    /// A column is numeric unless it is mostly text: text in at least as many cells as numbers.
    /// A column of nothing but missing cells is numeric; one of nothing but words (`x`, `none`)
    /// is text.
    pub fn is_numeric(&self) -> bool {
        self.text < self.number_like || (self.number_like == 0 && self.text == 0 && self.words == 0)
    }
}

/// One cell of a numeric column that is not a number a model can use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BadCell {
    /// Data-row number (1-based, header excluded).
    pub row: usize,
    pub value: String,
    pub problem: CellProblem,
}

/// The cells of one numeric column that are not numbers a model can use, read as missing: the
/// first [`BAD_CELLS_LISTED`] with their rows, and how many of each kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BadColumn {
    pub column: String,
    /// All of them.
    pub total: usize,
    /// The first ones, in row order.
    pub cells: Vec<BadCell>,
    /// How many of each kind, in the order of [`CellProblem`].
    pub kinds: Vec<(CellProblem, usize)>,
    /// The explanation shown on the page and the command line.
    pub message: String,
}

impl BadColumn {
    /// Collects a column's bad cells as they are read.
    pub(crate) fn collector(column: &str) -> BadCollector {
        BadCollector { column: column.to_owned(), total: 0, cells: Vec::new(), kinds: Vec::new() }
    }
}

impl fmt::Display for BadColumn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// A column's bad cells being collected.
#[derive(Debug)]
pub(crate) struct BadCollector {
    column: String,
    total: usize,
    cells: Vec<BadCell>,
    kinds: Vec<(CellProblem, usize)>,
}

impl BadCollector {
    pub(crate) fn is_empty(&self) -> bool {
        self.total == 0
    }

    pub(crate) fn push(&mut self, row: usize, value: &str, problem: CellProblem) {
        self.total += 1;
        if self.cells.len() < BAD_CELLS_LISTED {
            self.cells.push(BadCell { row, value: value.to_owned(), problem });
        }
        match self.kinds.iter_mut().find(|(p, _)| *p == problem) {
            Some((_, n)) => *n += 1,
            None => self.kinds.push((problem, 1)),
        }
    }

    /// The column's report; `None` when every cell was a number or missing.
    pub(crate) fn finish(mut self) -> Option<BadColumn> {
        if self.total == 0 {
            return None;
        }
        self.kinds.sort();
        let message = explain(&self.column, self.total, &self.cells, &self.kinds);
        Some(BadColumn {
            column: self.column,
            total: self.total,
            cells: self.cells,
            kinds: self.kinds,
            message,
        })
    }
}

/// "Column 'k' holds numbers written with a thousands separator, such as '12,001' in row 2 (1
/// row in all). ... These cells are read as missing: fix ..."
fn explain(column: &str, total: usize, cells: &[BadCell], kinds: &[(CellProblem, usize)]) -> String {
    let mut out = String::new();
    for &(problem, count) in kinds {
        let first: Vec<&BadCell> = cells.iter().filter(|c| c.problem == problem).take(3).collect();
        let examples: Vec<String> =
            first.iter().map(|c| format!("'{}' in row {}", shorten(&c.value), c.row)).collect();
        let examples = match examples.as_slice() {
            [] => String::new(),
            [one] => format!(", such as {one}"),
            more => format!(", such as {}", more.join(", ")),
        };
        let rows = if count == 1 { "1 row".to_owned() } else { format!("{count} rows") };
        out.push_str(&format!(
            "Column '{column}' holds {}{examples} ({rows} in all). {}. ",
            problem.what(),
            capitalised(problem.fix())
        ));
    }
    let (cells, rows) = if total == 1 {
        ("This cell is".to_owned(), "its row")
    } else {
        (format!("These {total} cells are"), "their rows")
    };
    out.push_str(&format!("{cells} read as missing, so a model using '{column}' leaves {rows} out."));
    out
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
}

/// The first cell of a text column that is not a number, with its data-row number (1-based),
/// for a message about a text column used as a number.
pub fn first_text(column: &super::TextColumn) -> Option<(usize, &str)> {
    let is_text =
        |cell: &str| matches!(classify(cell, false), Cell::Bad(CellProblem::Text | CellProblem::MissingWord));
    let mut first_cell = None;
    for i in 0..column.len() {
        if let Some(cell) = column.get(i) {
            if is_text(cell) {
                return Some((i + 1, cell));
            }
            first_cell.get_or_insert((i + 1, cell));
        }
    }
    first_cell
}

/// A cell's text for a message: at most 40 characters, control characters shown as `?`.
pub fn shorten(value: &str) -> String {
    let clean: String = value.chars().map(|c| if c.is_control() { '?' } else { c }).collect();
    if clean.chars().count() > 40 {
        format!("{}...", clean.chars().take(37).collect::<String>())
    } else {
        clean
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_read_as_r_reads_them_or_named() {
        assert_eq!(classify("1.5", false), Cell::Number(1.5));
        assert_eq!(classify("nan", false), Cell::Missing);
        for inf in ["inf", "-Inf", "Infinity", "1e400", "+INF"] {
            assert_eq!(classify(inf, false), Cell::Bad(CellProblem::Infinite), "{inf}");
        }
        assert_eq!(classify("0x10", false), Cell::Bad(CellProblem::Hexadecimal));
        assert_eq!(classify("1,000", false), Cell::Bad(CellProblem::ThousandsSeparator));
        assert_eq!(classify("0,54", false), Cell::Bad(CellProblem::DecimalComma));
        assert_eq!(classify("0,54", true), Cell::Number(0.54));
        assert_eq!(classify("1_000", false), Cell::Bad(CellProblem::Underscores));
        assert_eq!(classify("1 000", false), Cell::Bad(CellProblem::Spaces));
        assert_eq!(classify("12%", false), Cell::Bad(CellProblem::Percent));
        assert_eq!(classify("n/a", false), Cell::Bad(CellProblem::MissingWord));
        assert_eq!(classify("five", false), Cell::Bad(CellProblem::Text));
        assert_eq!(classify("TRUE", false), Cell::Bad(CellProblem::Text));
    }

    #[test]
    fn only_a_mostly_text_column_is_text() {
        let tally = |cells: &[&str]| {
            let mut t = ColumnTally::default();
            cells.iter().for_each(|c| t.add(classify(c, false)));
            t
        };
        assert!(tally(&["1", "2", "five"]).is_numeric());
        assert!(tally(&["1,000", "2,000", "3"]).is_numeric());
        assert!(tally(&["n/a", "n/a", "3"]).is_numeric());
        assert!(!tally(&["E1", "E2", "3"]).is_numeric());
        assert!(!tally(&["E1", "3"]).is_numeric());
        assert!(tally(&[]).is_numeric());
        assert!(!tally(&["x", "none"]).is_numeric());
    }

    #[test]
    fn a_bad_column_names_rows_values_and_fixes() {
        let mut c = BadColumn::collector("imd");
        c.push(3, "inf", CellProblem::Infinite);
        c.push(9, "n/a", CellProblem::MissingWord);
        let b = c.finish().unwrap_or_else(|| unreachable!());
        assert_eq!(
            b.message,
            "Column 'imd' holds infinite numbers (R reads them as Inf), such as 'inf' in row 3 (1 row in all). A \
             model needs finite values: correct the cell, or leave it empty if it is unknown. Column 'imd' holds \
             words for a missing value, such as 'n/a' in row 9 (1 row in all). Leave the cell empty or write NA, \
             which every program reads as missing. These 2 cells are read as missing, so a model using 'imd' \
             leaves their rows out."
        );
    }
}
