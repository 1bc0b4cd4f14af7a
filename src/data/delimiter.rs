//! The field delimiter of a CSV file: detected once from the file's first lines, then used to
//! read the file and to write the R script that reads it again.

use serde::{Deserialize, Serialize};

/// How a file separates its fields (and, for semicolons, writes its decimals).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Delimiter {
    /// Comma-separated, decimal point (R's `read.csv`).
    #[default]
    Comma,
    /// Semicolon-separated. `decimal_comma` is true when a numeric column holds a number
    /// written with a decimal comma (`2,5`), as spreadsheets write them in locales that use one
    /// (R's `read.csv2`); otherwise the numbers use decimal points (`read.csv(sep = ";")`).
    Semicolon { decimal_comma: bool },
    /// Tab-separated, decimal point.
    Tab,
}

impl Delimiter {
    /// The byte between fields.
    pub fn byte(self) -> u8 {
        match self {
            Delimiter::Comma => b',',
            Delimiter::Semicolon { .. } => b';',
            Delimiter::Tab => b'\t',
        }
    }

    /// The character between fields.
    pub fn as_char(self) -> char {
        char::from(self.byte())
    }
}

/// The candidates, in order of preference when the evidence is tied.
const CANDIDATES: [u8; 3] = [b',', b';', b'\t'];

/// How much of the file's start is examined to choose the delimiter.
const SNIFF_BYTES: usize = 64 * 1024;
/// How many lines are examined to choose the delimiter.
const SNIFF_LINES: usize = 50;

/// Chooses the delimiter byte (comma, semicolon or tab) from the first lines of the file.
///
/// For each candidate, the number of delimiters outside double quotes is counted on each of the
/// first [`SNIFF_LINES`] non-empty lines (within the first [`SNIFF_BYTES`]). A candidate is
/// consistent when every line has the header's count. The consistent candidate with the largest
/// header count wins; when none is consistent, the one matching the header count on most lines
/// (then the largest header count); a file with none of the candidates is a single
/// comma-separated column.
pub(super) fn detect_delimiter_byte(bytes: &[u8]) -> u8 {
    let sample_len = bytes.len().min(SNIFF_BYTES);
    let sample = bytes.get(..sample_len).unwrap_or(bytes);
    let complete_only = sample_len < bytes.len();
    let mut lines = count_per_line(sample, complete_only);
    if lines.is_empty() && complete_only {
        // A first line longer than the sample (a very wide header): judge by what was seen.
        lines = count_per_line(sample, false);
    }
    let Some(header) = lines.first() else { return b',' };

    let mut best: Option<((bool, usize, usize), u8)> = None;
    for (k, &delim) in CANDIDATES.iter().enumerate() {
        let h = header[k];
        if h == 0 {
            continue;
        }
        let agree = lines.iter().filter(|l| l[k] == h).count();
        let key = (agree == lines.len(), agree, h);
        if best.map_or(true, |(b, _)| key > b) {
            best = Some((key, delim));
        }
    }
    best.map_or(b',', |(_, d)| d)
}

/// Delimiter counts (comma, semicolon, tab) outside double quotes for each non-empty line; with
/// `complete_only`, a last line without its end of line is left out.
fn count_per_line(sample: &[u8], complete_only: bool) -> Vec<[usize; 3]> {
    let mut out = Vec::new();
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    let mut non_empty = false;
    for &b in sample {
        match b {
            b'"' => {
                in_quotes = !in_quotes;
                non_empty = true;
            }
            b'\n' if !in_quotes => {
                if non_empty {
                    out.push(counts);
                    if out.len() == SNIFF_LINES {
                        return out;
                    }
                }
                counts = [0; 3];
                non_empty = false;
            }
            _ => {
                if !in_quotes {
                    if let Some(k) = CANDIDATES.iter().position(|&d| d == b) {
                        counts[k] += 1;
                    }
                }
                if !b.is_ascii_whitespace() {
                    non_empty = true;
                }
            }
        }
    }
    if non_empty && !complete_only {
        out.push(counts);
    }
    out
}
