//! Errors raised while reading a CSV file or building a data frame.

use serde::Serialize;
use std::fmt;

/// Why a file could not be read as a data table. Every variant names where the problem is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DataError {
    /// The file has no bytes (or only white space).
    Empty,
    /// The file is larger than [`super::MAX_FILE_BYTES`]; `bytes` is its size when known.
    TooLarge { bytes: Option<u64>, limit: u64 },
    /// The file has a header line but no data rows.
    HeaderOnly,
    /// The file is not UTF-8 text: a binary file, a spreadsheet workbook, or text in another
    /// encoding. `what` says what it looks like; `line` is where the first byte that is not
    /// text was found (none when the file's signature gave it away).
    NotText { what: String, line: Option<usize> },
    /// A header cell is empty. `position` is the 1-based column position.
    EmptyHeader { position: usize },
    /// Two header cells have the same name (after trimming spaces).
    DuplicateHeader { name: String, first: usize, second: usize },
    /// A data row has a different number of cells from the header.
    Ragged { row: usize, line: usize, expected: usize, found: usize },
    /// The CSV syntax is broken (for example a quote that is never closed). Row 0 is the
    /// header.
    Syntax { row: usize, line: usize, message: String },
    /// A numeric column the model uses has no cell that is a number: `detail` lists its cells
    /// that are not numbers and the fix.
    NoNumbers { column: String, detail: String },
    /// Columns built in code do not fit together.
    Shape { message: String },
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataError::Empty => write!(f, "the file is empty; it needs a header row and at least one data row"),
            DataError::TooLarge { bytes, limit } => {
                let mb = |b: u64| b / (1024 * 1024);
                write!(f, "the file is larger than the {} MB this tool reads", mb(*limit))?;
                if let Some(b) = bytes {
                    write!(f, " ({} MB)", mb(*b))?;
                }
                write!(
                    f,
                    "; an aggregate file (one row per neighbourhood) is a few MB: keep only the columns and \
                     rows the model needs"
                )
            }
            DataError::HeaderOnly => {
                write!(f, "the file has a header row but no data rows")
            }
            DataError::NotText { what, line } => {
                write!(f, "the file cannot be read as CSV text: {what}")?;
                if let Some(line) = line {
                    write!(f, " (from line {line})")?;
                }
                write!(f, "; save the table as 'CSV UTF-8' and choose that file")
            }
            DataError::EmptyHeader { position } => write!(
                f,
                "column {position} has no name in the header row; every column needs a name"
            ),
            DataError::DuplicateHeader { name, first, second } => write!(
                f,
                "columns {first} and {second} are both called '{name}'; column names must be unique"
            ),
            DataError::Ragged { row, line, expected, found } => write!(
                f,
                "row {row} (line {line} of the file) has {found} cell{} but the header has {expected} columns",
                if *found == 1 { "" } else { "s" }
            ),
            DataError::Syntax { row: 0, message, .. } => {
                write!(f, "the header row cannot be read: {message}")
            }
            DataError::Syntax { row, line, message } => {
                write!(f, "row {row} (line {line} of the file) cannot be read: {message}")
            }
            DataError::NoNumbers { column, detail } => {
                write!(f, "column '{column}' has no number a model can use. {detail}")
            }
            DataError::Shape { message } => write!(f, "{message}"),
        }
    }
}

impl std::error::Error for DataError {}
