//! The columnar data frame: one typed vector per column, numbers parsed once.

use super::DataError;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A table of named, equally long columns. Row `i` (0-based here) is data row `i + 1` of the
/// source file.
#[derive(Debug, Clone, PartialEq)]
pub struct DataFrame {
    names: Vec<String>,
    columns: Vec<Column>,
    nrows: usize,
    /// Position of each name in `names`, so that finding a column by name does not scan them all.
    position_of: HashMap<String, usize>,
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
    /// Hash of a label to the code of the first label with that hash.
    first_with_hash: HashMap<u64, u32, BuildHasherDefault<HashIsKey>>,
    /// For each code, the next code whose label has the same hash ([`TextColumn::MISSING`] for
    /// none).
    next_with_hash: Vec<u32>,
}

/// A hasher for keys that are already hashes.
#[derive(Default)]
struct HashIsKey(u64);

impl Hasher for HashIsKey {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0 = hash_bytes(bytes);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A fast non-cryptographic hash of a label: the multiply-rotate step of the Rust compiler's
/// `FxHasher` over 8-byte words, then MurmurHash3's 64-bit finaliser so that every bit of the
/// result depends on every byte (hash tables index by the low bits).
fn hash_bytes(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = bytes.len() as u64;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let word = u64::from_le_bytes(w.try_into().unwrap_or([0; 8]));
        h = (h.rotate_left(5) ^ word).wrapping_mul(K);
    }
    let mut last = [0u8; 8];
    for (slot, &b) in last.iter_mut().zip(words.remainder()) {
        *slot = b;
    }
    let mut h = (h.rotate_left(5) ^ u64::from_le_bytes(last)).wrapping_mul(K);
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
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
                Some(s) => {
                    col.push(s.as_ref());
                }
                None => col.push_missing(),
            }
        }
        col
    }

    /// Appends a non-missing cell and returns its code (a new label's is the number of labels
    /// before it).
    pub fn push(&mut self, value: &str) -> u32 {
        let hash = hash_bytes(value.as_bytes());
        let mut candidate = self.first_with_hash.get(&hash).copied();
        while let Some(c) = candidate {
            if self.labels.get(c as usize).is_some_and(|l| l == value) {
                self.codes.push(c);
                return c;
            }
            candidate = self.next_with_hash.get(c as usize).copied().filter(|&n| n != Self::MISSING);
        }
        // More than u32::MAX - 1 distinct labels cannot occur in a file a browser can hold;
        // saturating keeps the code space valid regardless.
        let code = u32::try_from(self.labels.len()).unwrap_or(Self::MISSING - 1);
        self.labels.push(value.to_owned());
        let previous_first = self.first_with_hash.insert(hash, code);
        self.next_with_hash.push(previous_first.unwrap_or(Self::MISSING));
        self.codes.push(code);
        code
    }

    /// Rebuilds a column from its [`TextColumn::codes`] and its labels packed as
    /// [`TextColumn::packed_labels`] gives them (`text` the labels' UTF-8 bytes one after
    /// another, `ends[k]` the end of label `k` in `text`). The labels must be distinct and every
    /// code must index one (or be [`TextColumn::MISSING`]); the error says what is wrong.
    pub fn from_packed(codes: Vec<u32>, text: &[u8], ends: &[u32]) -> Result<Self, String> {
        let text = std::str::from_utf8(text).map_err(|_| "the labels are not UTF-8 text".to_owned())?;
        let mut col = Self::new();
        let mut start = 0usize;
        for &end in ends {
            let end = end as usize;
            let label = text.get(start..end).ok_or("a label's end is outside the text")?;
            col.push(label);
            if col.labels.len() != col.codes.len() {
                return Err(format!("the label '{label}' is given twice"));
            }
            start = end;
        }
        let n = col.labels.len() as u32;
        if let Some(bad) = codes.iter().find(|&&c| c >= n && c != Self::MISSING) {
            return Err(format!("a text code without a label ({bad}, of {n} labels)"));
        }
        col.codes = codes;
        Ok(col)
    }

    /// The labels packed for moving between threads: their UTF-8 bytes one after another and the
    /// end of each (the inverse of [`TextColumn::from_packed`]).
    pub fn packed_labels(&self) -> (Vec<u8>, Vec<u32>) {
        let mut text = Vec::with_capacity(self.labels.iter().map(String::len).sum());
        let mut ends = Vec::with_capacity(self.labels.len());
        for label in &self.labels {
            text.extend_from_slice(label.as_bytes());
            ends.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
        }
        (text, ends)
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
        let mut position_of: HashMap<String, usize> = HashMap::new();
        let mut cols = Vec::new();
        for (position, (name, column)) in columns.into_iter().enumerate() {
            let name = name.into();
            if name.trim().is_empty() {
                return Err(DataError::EmptyHeader { position: position + 1 });
            }
            if let Some(&first) = position_of.get(&name) {
                return Err(DataError::DuplicateHeader { name, first: first + 1, second: position + 1 });
            }
            position_of.insert(name.clone(), position);
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
        Ok(DataFrame { names, columns: cols, nrows, position_of })
    }

    /// Assembles a frame whose shape and unique names the caller has already checked.
    pub(crate) fn from_parts(names: Vec<String>, columns: Vec<Column>, nrows: usize) -> DataFrame {
        let position_of = names.iter().enumerate().map(|(i, n)| (n.clone(), i)).collect();
        DataFrame { names, columns, nrows, position_of }
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
        self.columns.get(*self.position_of.get(name)?)
    }

    /// Columns in file order, with their names.
    pub fn columns(&self) -> impl Iterator<Item = (&str, &Column)> {
        self.names.iter().map(String::as_str).zip(self.columns.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_labels_come_back_as_the_same_column() {
        let cells = [Some("Ynys Môn"), None, Some("東京"), Some("Ynys Môn"), Some(""), Some("a,b"), None];
        let col = TextColumn::from_values(cells);
        let (text, ends) = col.packed_labels();
        assert_eq!(ends, vec![9, 15, 15, 18]);
        let back = TextColumn::from_packed(col.codes().to_vec(), &text, &ends);
        assert_eq!(back.as_ref(), Ok(&col));
        // The rebuilt column finds its labels again as the read one does.
        let (mut a, mut b) = (col, back.unwrap_or_default());
        a.push("東京");
        b.push("東京");
        assert_eq!(a, b);
        assert_eq!(b.codes().last(), Some(&1));
    }

    #[test]
    fn packed_labels_that_do_not_fit_are_refused_with_a_reason() {
        let err = |codes: &[u32], text: &[u8], ends: &[u32]| TextColumn::from_packed(codes.to_vec(), text, ends);
        assert_eq!(err(&[0, 2], b"ab", &[1, 2]), Err("a text code without a label (2, of 2 labels)".to_owned()));
        assert_eq!(err(&[0], b"aa", &[1, 2]), Err("the label 'a' is given twice".to_owned()));
        assert_eq!(err(&[0], b"a", &[2]), Err("a label's end is outside the text".to_owned()));
        assert_eq!(err(&[0], b"ab", &[2, 1]), Err("a label's end is outside the text".to_owned()));
        assert_eq!(err(&[0], "é".as_bytes(), &[1, 2]), Err("a label's end is outside the text".to_owned()));
        assert_eq!(err(&[0], &[0xff], &[1]), Err("the labels are not UTF-8 text".to_owned()));
        assert_eq!(err(&[TextColumn::MISSING], b"", &[]), Ok(TextColumn::from_values([None::<&str>])));
    }
}
