//! CSV parsing: encoding checks, delimiter detection, type inference and columnar storage.

use super::{Column, DataError, DataFrame, TextColumn};

/// Cell contents (after trimming surrounding spaces) read as a missing value. The empty cell and
/// `NA` are R's defaults; `NaN`, `N/A` and `.` are what spreadsheets and other statistics
/// packages write for a missing number.
pub const MISSING_TOKENS: [&str; 5] = ["", "NA", "NaN", "N/A", "."];

/// The delimiters a file may use, in order of preference when the evidence is tied.
const DELIMITERS: [u8; 3] = [b',', b';', b'\t'];

/// How much of the file's start is examined to choose the delimiter.
const SNIFF_BYTES: usize = 64 * 1024;
/// How many lines are examined to choose the delimiter.
const SNIFF_LINES: usize = 50;

/// Reads a CSV file (the raw bytes of an upload) into a [`DataFrame`].
///
/// - A header row is required; names are trimmed and must be non-empty and unique.
/// - The delimiter is comma, semicolon or tab, chosen as the one that splits the header into
///   the most fields while splitting the following lines into the same number (quoted fields
///   are respected).
/// - A UTF-8 byte-order mark is removed. Files that are not UTF-8 text are rejected with a
///   description of what they look like (an image, a PDF, an Excel workbook, UTF-16 or
///   Windows-1252 text).
/// - Cells are trimmed of surrounding spaces; see [`MISSING_TOKENS`] for missing values.
/// - In a semicolon-separated file a decimal comma is accepted (`2,5` is 2.5), as spreadsheets
///   write numbers in locales that use one (R's `read.csv2`).
/// - Lines that are completely empty are skipped and do not count as rows.
/// - A row with a different number of cells from the header is an error naming the row.
pub fn read_csv(bytes: &[u8]) -> Result<DataFrame, DataError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    check_text(bytes)?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(DataError::Empty);
    }
    let delimiter = detect_delimiter(bytes);
    let mut reader = reader(bytes, delimiter);
    let names = read_header(&mut reader)?;
    let ncols = names.len();

    let decimal_comma = delimiter == b';';
    let mut builders: Vec<Builder> = (0..ncols).map(|_| Builder::Numeric(Vec::new())).collect();
    let mut nrows = 0usize;
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(syntax_error(&e, nrows + 1)),
        }
        if is_blank(&record) {
            continue;
        }
        nrows += 1;
        if record.len() != ncols {
            let at_end = usize::try_from(reader.position().byte()).map_or(true, |b| b >= bytes.len());
            if at_end && record.iter().any(|f| f.contains(&b'\n')) {
                return Err(DataError::Syntax {
                    row: nrows,
                    line: line_of(&record),
                    message: "a quote (\") opened on this line is never closed".to_owned(),
                });
            }
            return Err(DataError::Ragged {
                row: nrows,
                line: line_of(&record),
                expected: ncols,
                found: record.len(),
            });
        }
        for (builder, field) in builders.iter_mut().zip(record.iter()) {
            builder.push(cell_text(field), nrows - 1, decimal_comma);
        }
    }
    if nrows == 0 {
        return Err(DataError::HeaderOnly);
    }

    let redo: Vec<usize> =
        builders.iter().enumerate().filter(|(_, b)| matches!(b, Builder::Reread)).map(|(j, _)| j).collect();
    if !redo.is_empty() {
        let texts = reread_as_text(bytes, delimiter, &redo, nrows)?;
        for (j, text) in redo.into_iter().zip(texts) {
            if let Some(b) = builders.get_mut(j) {
                *b = Builder::Text(text);
            }
        }
    }
    let columns = builders.into_iter().map(Builder::finish).collect();
    Ok(DataFrame::from_parts(names, columns, nrows))
}

/// A column under construction. A column starts numeric and turns to text at the first cell that
/// is neither missing nor a finite number; if numbers were already stored, the column's original
/// cells are read again at the end ([`Builder::Reread`]) so text keeps its exact spelling.
enum Builder {
    Numeric(Vec<f64>),
    Text(TextColumn),
    Reread,
}

impl Builder {
    fn push(&mut self, cell: &str, row_index: usize, decimal_comma: bool) {
        match self {
            Builder::Numeric(values) => {
                if is_missing(cell) {
                    values.push(f64::NAN);
                } else if let Some(x) = parse_number(cell, decimal_comma) {
                    values.push(x);
                } else if values.iter().all(|x| x.is_nan()) {
                    let mut text = TextColumn::new();
                    for _ in 0..row_index {
                        text.push_missing();
                    }
                    text.push(cell);
                    *self = Builder::Text(text);
                } else {
                    *self = Builder::Reread;
                }
            }
            Builder::Text(text) => {
                if is_missing(cell) {
                    text.push_missing();
                } else {
                    text.push(cell);
                }
            }
            Builder::Reread => {}
        }
    }

    fn finish(self) -> Column {
        match self {
            Builder::Numeric(v) => Column::Numeric(v),
            Builder::Text(t) => Column::Text(t),
            Builder::Reread => Column::Text(TextColumn::new()),
        }
    }
}

/// Reads the columns `which` again, as text.
fn reread_as_text(
    bytes: &[u8],
    delimiter: u8,
    which: &[usize],
    nrows: usize,
) -> Result<Vec<TextColumn>, DataError> {
    let mut reader = reader(bytes, delimiter);
    read_header(&mut reader)?;
    let mut out: Vec<TextColumn> = which.iter().map(|_| TextColumn::new()).collect();
    let mut record = csv::ByteRecord::new();
    let mut row = 0usize;
    while row < nrows {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(syntax_error(&e, row + 1)),
        }
        if is_blank(&record) {
            continue;
        }
        row += 1;
        for (text, &j) in out.iter_mut().zip(which) {
            let cell = record.get(j).map_or("", cell_text);
            if is_missing(cell) {
                text.push_missing();
            } else {
                text.push(cell);
            }
        }
    }
    Ok(out)
}

fn reader(bytes: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().delimiter(delimiter).has_headers(true).flexible(true).from_reader(bytes)
}

fn read_header(reader: &mut csv::Reader<&[u8]>) -> Result<Vec<String>, DataError> {
    let header = reader.byte_headers().map_err(|e| syntax_error(&e, 0))?.clone();
    let mut names: Vec<String> = Vec::with_capacity(header.len());
    for (i, field) in header.iter().enumerate() {
        let name = cell_text(field).to_owned();
        if name.is_empty() {
            return Err(DataError::EmptyHeader { position: i + 1 });
        }
        if let Some(first) = names.iter().position(|n| *n == name) {
            return Err(DataError::DuplicateHeader { name, first: first + 1, second: i + 1 });
        }
        names.push(name);
    }
    if names.is_empty() {
        return Err(DataError::Empty);
    }
    Ok(names)
}

/// The trimmed text of a cell. The whole file has been checked to be UTF-8 and the delimiters
/// and quotes are ASCII, so every field is UTF-8; a field that were not would read as empty.
fn cell_text(field: &[u8]) -> &str {
    std::str::from_utf8(field).unwrap_or("").trim()
}

fn is_missing(cell: &str) -> bool {
    MISSING_TOKENS.contains(&cell)
}

/// A finite number, or `None`. Accepts what Rust's `f64` parser accepts (`12`, `-0.5`, `1e4`,
/// `+3`, `.5`), rejecting infinities and NaN; with `decimal_comma`, also one comma in place of
/// the decimal point (`2,5`).
fn parse_number(cell: &str, decimal_comma: bool) -> Option<f64> {
    let parsed = cell.parse::<f64>().ok().or_else(|| {
        let one_comma = cell.bytes().filter(|&b| b == b',').count() == 1 && !cell.contains('.');
        if decimal_comma && one_comma {
            cell.replacen(',', ".", 1).parse::<f64>().ok()
        } else {
            None
        }
    });
    parsed.filter(|x| x.is_finite())
}

/// True for a record from a line with nothing on it but spaces.
fn is_blank(record: &csv::ByteRecord) -> bool {
    record.len() <= 1 && record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace))
}

fn line_of(record: &csv::ByteRecord) -> usize {
    record.position().map_or(0, |p| usize::try_from(p.line()).unwrap_or(usize::MAX))
}

fn syntax_error(e: &csv::Error, row: usize) -> DataError {
    let line = e.position().map_or(0, |p| usize::try_from(p.line()).unwrap_or(usize::MAX));
    let message = match e.kind() {
        csv::ErrorKind::Io(_) => "the file could not be read".to_owned(),
        _ => e.to_string(),
    };
    DataError::Syntax { row, line, message }
}

/// Rejects bytes that are not UTF-8 text, saying what they look like.
fn check_text(bytes: &[u8]) -> Result<(), DataError> {
    let signatures: [(&[u8], &str); 7] = [
        (b"\x89PNG", "it is a PNG image"),
        (b"%PDF", "it is a PDF document"),
        (b"PK\x03\x04", "it is a compressed archive such as an Excel .xlsx workbook"),
        (b"\xD0\xCF\x11\xE0", "it is an old-style Excel .xls workbook"),
        (b"\x1F\x8B", "it is a gzip-compressed file"),
        (b"\xFF\xFE", "it is UTF-16 text (Excel's 'Unicode Text')"),
        (b"\xFE\xFF", "it is UTF-16 text"),
    ];
    for (magic, what) in signatures {
        if bytes.starts_with(magic) {
            return Err(DataError::NotText { what: what.to_owned(), line: None });
        }
    }
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        return Err(DataError::NotText {
            what: "it contains binary data".to_owned(),
            line: Some(line_at(bytes, pos)),
        });
    }
    if let Err(e) = std::str::from_utf8(bytes) {
        return Err(DataError::NotText {
            what: "it is not UTF-8 text (perhaps Windows-1252 or Latin-1)".to_owned(),
            line: Some(line_at(bytes, e.valid_up_to())),
        });
    }
    Ok(())
}

/// 1-based line number of byte offset `pos`.
fn line_at(bytes: &[u8], pos: usize) -> usize {
    bytes.get(..pos).map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count()) + 1
}

/// Chooses the delimiter from the first lines of the file.
///
/// For each candidate, the number of delimiters outside quotes is counted on each of the first
/// [`SNIFF_LINES`] non-empty lines. A candidate is consistent when every line has the header's
/// count. The consistent candidate with the largest header count wins; when none is consistent,
/// the one matching the header count on most lines (then the largest header count); a file with
/// none of the candidates is a single comma-separated column.
fn detect_delimiter(bytes: &[u8]) -> u8 {
    let sample_len = bytes.len().min(SNIFF_BYTES);
    let sample = bytes.get(..sample_len).unwrap_or(bytes);
    let complete_only = sample_len < bytes.len();
    let lines = count_per_line(sample, complete_only);
    let Some(header) = lines.first() else { return b',' };

    let mut best: Option<((bool, usize, usize), u8)> = None;
    for (k, &delim) in DELIMITERS.iter().enumerate() {
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

/// Delimiter counts (comma, semicolon, tab) outside double quotes for each non-empty line.
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
                    if let Some(k) = DELIMITERS.iter().position(|&d| d == b) {
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
