//! The columnar data frame: one typed vector per column, numbers parsed once.

use super::DataError;
use std::collections::HashMap;

/// A table of named, equally long columns. Row `i` (0-based here) is data row `i + 1` of the
/// source file.
#[derive(Debug, Clone, PartialEq)]
pub struct DataFrame {
    names: Vec<String>,
    columns: Vec<Column>,
    nrows: usize,
}

/// One column of a [`DataFrame`].
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    /// Numbers; a missing cell is stored as `NaN` (every stored non-missing value is finite).
    Numeric(Vec<f64>),
    /// Text, stored as codes into a table of distinct labels.
    Text(TextColumn),
}

/// A text column stored once per distinct label: `codes[i]` indexes `labels`, or is
/// [`TextColumn::MISSING`]. Labels are kept in order of first appearance.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TextColumn {
    codes: Vec<u32>,
    labels: Vec<String>,
    lookup: HashMap<String, u32>,
}

impl TextColumn {
    /// The code of a missing cell.
    pub const MISSING: u32 = u32::MAX;

    /// An empty column.
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds a column from cells (`None` = missing).
    pub fn from_values<S: AsRef<str>>(values: impl IntoIterator<Item = Option<S>>) -> Self {
        let mut col = Self::new();
        for v in values {
            match v {
                Some(s) => col.push(s.as_ref()),
                None => col.push_missing(),
            }
        }
        col
    }

    /// Appends a non-missing cell.
    pub fn push(&mut self, value: &str) {
        let code = match self.lookup.get(value) {
            Some(&c) => c,
            None => {
                // More than u32::MAX - 1 distinct labels cannot occur in a file a browser can hold;
                // saturating keeps the code space valid regardless.
                let c = u32::try_from(self.labels.len()).unwrap_or(Self::MISSING - 1);
                self.labels.push(value.to_owned());
                self.lookup.insert(value.to_owned(), c);
                c
            }
        };
        self.codes.push(code);
    }

    /// Appends a missing cell.
    pub fn push_missing(&mut self) {
        self.codes.push(Self::MISSING);
    }

    /// Number of cells.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// True when the column has no cells.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// The cell of 0-based row `i`, `None` when missing or out of range.
    pub fn get(&self, i: usize) -> Option<&str> {
        let code = *self.codes.get(i)?;
        self.labels.get(code as usize).map(String::as_str)
    }

    /// Codes of all cells (indexes into [`TextColumn::labels`], or [`TextColumn::MISSING`]).
    pub fn codes(&self) -> &[u32] {
        &self.codes
    }

    /// Distinct non-missing labels, in order of first appearance.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }
}

impl Column {
    /// Number of cells.
    pub fn len(&self) -> usize {
        match self {
            Column::Numeric(v) => v.len(),
            Column::Text(t) => t.len(),
        }
    }

    /// True when the column has no cells.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True when the cell of 0-based row `i` is missing (or out of range).
    pub fn is_missing(&self, i: usize) -> bool {
        match self {
            Column::Numeric(v) => v.get(i).map_or(true, |x| x.is_nan()),
            Column::Text(t) => t.get(i).is_none(),
        }
    }

    /// Number of missing cells.
    pub fn missing_count(&self) -> usize {
        match self {
            Column::Numeric(v) => v.iter().filter(|x| x.is_nan()).count(),
            Column::Text(t) => t.codes().iter().filter(|&&c| c == TextColumn::MISSING).count(),
        }
    }

    /// The cell of 0-based row `i` as text (numbers in Rust's shortest round-trip form),
    /// `None` when missing.
    pub fn display(&self, i: usize) -> Option<String> {
        match self {
            Column::Numeric(v) => v.get(i).filter(|x| !x.is_nan()).map(|x| x.to_string()),
            Column::Text(t) => t.get(i).map(str::to_owned),
        }
    }
}

impl DataFrame {
    /// Builds a data frame from named columns, for data made in code.
    ///
    /// Names must be non-empty and unique and the columns equally long. Numeric cells that are
    /// infinite are treated as missing, like `NaN`.
    pub fn from_columns<S: Into<String>>(
        columns: impl IntoIterator<Item = (S, Column)>,
    ) -> Result<DataFrame, DataError> {
        let mut names: Vec<String> = Vec::new();
        let mut cols = Vec::new();
        for (position, (name, column)) in columns.into_iter().enumerate() {
            let name = name.into();
            if name.trim().is_empty() {
                return Err(DataError::EmptyHeader { position: position + 1 });
            }
            if let Some(first) = names.iter().position(|n| *n == name) {
                return Err(DataError::DuplicateHeader { name, first: first + 1, second: position + 1 });
            }
            let column = match column {
                Column::Numeric(v) => {
                    Column::Numeric(v.into_iter().map(|x| if x.is_finite() { x } else { f64::NAN }).collect())
                }
                text => text,
            };
            names.push(name);
            cols.push(column);
        }
        let nrows = cols.first().map_or(0, Column::len);
        if let Some((i, c)) = cols.iter().enumerate().find(|(_, c)| c.len() != nrows) {
            return Err(DataError::Shape {
                message: format!(
                    "column '{}' has {} rows but column '{}' has {}",
                    names.get(i).map_or("", String::as_str),
                    c.len(),
                    names.first().map_or("", String::as_str),
                    nrows
                ),
            });
        }
        Ok(DataFrame { names, columns: cols, nrows })
    }

    /// Assembles a frame whose shape the caller has already checked.
    pub(crate) fn from_parts(names: Vec<String>, columns: Vec<Column>, nrows: usize) -> DataFrame {
        DataFrame { names, columns, nrows }
    }

    /// Number of data rows.
    pub fn nrows(&self) -> usize {
        self.nrows
    }

    /// Number of columns.
    pub fn ncols(&self) -> usize {
        self.columns.len()
    }

    /// Column names in file order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The column called `name` (exact, case-sensitive match).
    pub fn column(&self, name: &str) -> Option<&Column> {
        let i = self.names.iter().position(|n| n == name)?;
        self.columns.get(i)
    }

    /// Columns in file order, with their names.
    pub fn columns(&self) -> impl Iterator<Item = (&str, &Column)> {
        self.names.iter().map(String::as_str).zip(self.columns.iter())
    }
}
