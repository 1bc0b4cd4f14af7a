//! CSV parsing: encoding checks, delimiter detection, type inference and columnar storage.

use super::cells::{classify, BadCollector, BadColumn, Cell, CellProblem, ColumnTally};
use super::delimiter::detect_delimiter_byte;
use super::{Column, DataError, DataFrame, Delimiter, TextColumn};
use std::collections::HashMap;

/// Cell contents (after trimming surrounding spaces) read as a missing value. The empty cell and
/// `NA` are R's defaults; `NaN`, `N/A` and `.` are what spreadsheets and other statistics
/// packages write for a missing number.
pub const MISSING_TOKENS: [&str; 5] = ["", "NA", "NaN", "N/A", "."];

/// The largest file read (256 MB): England's 32,844 neighbourhoods with a dozen columns take
/// about 3 MB, so a larger file is not an aggregate table (or is read by mistake, such as a
/// device or a database dump), and reading it whole would exhaust a browser's memory.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// A file read into a data frame, with the delimiter it was read with and the cells of its
/// numeric columns that are not numbers (read as missing).
#[derive(Debug, Clone, PartialEq)]
pub struct CsvFile {
    pub frame: DataFrame,
    pub delimiter: Delimiter,
    /// Per numeric column with any, its cells that are not numbers a model can use.
    pub bad_cells: Vec<BadColumn>,
}

/// Reads a CSV file (the raw bytes of an upload) into a [`DataFrame`]; see [`read_csv_file`].
pub fn read_csv(bytes: &[u8]) -> Result<DataFrame, DataError> {
    read_csv_file(bytes).map(|file| file.frame)
}

/// Reads a CSV file (the raw bytes of an upload) into a [`DataFrame`] and says which
/// [`Delimiter`] it uses.
///
/// - A file larger than [`MAX_FILE_BYTES`] is refused.
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
/// - A column is numeric unless it is mostly text (see [`super::cells`]); its cells that are not
///   numbers (`inf`, `1,234`, `n/a`, `five`) are missing and listed in [`CsvFile::bad_cells`].
/// - Lines that are completely empty are skipped and do not count as rows.
/// - A row with a different number of cells from the header is an error naming the row.
pub fn read_csv_file(bytes: &[u8]) -> Result<CsvFile, DataError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(DataError::TooLarge { bytes: Some(bytes.len() as u64), limit: MAX_FILE_BYTES });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    check_text(bytes)?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(DataError::Empty);
    }
    let separator = detect_delimiter_byte(bytes);
    let mut reader = reader(bytes, separator);
    let names = read_header(bytes, &mut reader)?;
    let ncols = names.len();

    let allow_decimal_comma = separator == b';';
    let mut builders: Vec<Builder> = names.iter().map(|n| Builder::numeric(n)).collect();
    let mut nrows = 0usize;
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(syntax_error(bytes, &e, nrows + 1)),
        }
        if is_blank(&record) {
            continue;
        }
        nrows += 1;
        if record.len() != ncols {
            if opens_unclosed_quote(bytes, &record, &reader) {
                return Err(DataError::Syntax {
                    row: nrows,
                    line: line_of(bytes, &record),
                    message: "a quote (\") opened on this line is never closed".to_owned(),
                });
            }
            return Err(DataError::Ragged {
                row: nrows,
                line: line_of(bytes, &record),
                expected: ncols,
                found: record.len(),
            });
        }
        for (builder, field) in builders.iter_mut().zip(record.iter()) {
            builder.push(cell_text(field), nrows, allow_decimal_comma);
        }
    }
    if nrows == 0 {
        if bytes.iter().filter(|&&b| b == b'"').count() % 2 == 1 {
            // The header opened a quote that is never closed: the whole file was read as it.
            return Err(DataError::Syntax {
                row: 0,
                line: 1,
                message: "a quote (\") opened in it is never closed, so the rest of the file was read as \
                          part of the header; remove the quote or close it"
                    .to_owned(),
            });
        }
        return Err(DataError::HeaderOnly);
    }

    let mut finished: Vec<Finished> =
        builders.into_iter().zip(&names).map(|(b, name)| b.finish(name, allow_decimal_comma)).collect();
    let redo: Vec<usize> =
        finished.iter().enumerate().filter(|(_, f)| matches!(f, Finished::Reread)).map(|(j, _)| j).collect();
    if !redo.is_empty() {
        let texts = reread_as_text(bytes, separator, &redo, nrows)?;
        for (j, text) in redo.into_iter().zip(texts) {
            if let Some(f) = finished.get_mut(j) {
                *f = Finished::Column(Column::Text(text), None, false);
            }
        }
    }
    let mut columns = Vec::with_capacity(ncols);
    let mut bad_cells = Vec::new();
    let mut decimal_comma = false;
    for f in finished {
        if let Finished::Column(column, bad, comma) = f {
            columns.push(column);
            bad_cells.extend(bad);
            decimal_comma |= comma;
        }
    }
    let delimiter = match separator {
        b';' => Delimiter::Semicolon { decimal_comma },
        b'\t' => Delimiter::Tab,
        _ => Delimiter::Comma,
    };
    Ok(CsvFile { frame: DataFrame::from_parts(names, columns, nrows), delimiter, bad_cells })
}

/// A column under construction. A column starts numeric, counting its cells by kind
/// ([`ColumnTally`]) and collecting the cells that are not numbers; it is read as text from the
/// start when its first non-missing cell is text. At the end a numeric column that is mostly
/// text is read again as text ([`Finished::Reread`]), so text keeps its exact spelling, and a
/// text column that is mostly numbers becomes numeric.
enum Builder {
    Numeric {
        values: Vec<f64>,
        /// True when a number was written with a decimal comma.
        decimal_comma: bool,
        tally: ColumnTally,
        bad: BadCollector,
    },
    Text {
        text: TextColumn,
        tally: ColumnTally,
        /// What each distinct label is read as, by code: a label is classified once, not once
        /// per cell (an LA's name on thousands of rows).
        kinds: Vec<Cell>,
    },
}

/// A column read: the column, its bad cells and whether it holds a decimal comma; or a column to
/// read again as text.
enum Finished {
    Column(Column, Option<BadColumn>, bool),
    Reread,
}

impl Builder {
    fn numeric(name: &str) -> Self {
        Builder::Numeric {
            values: Vec::new(),
            decimal_comma: false,
            tally: ColumnTally::default(),
            bad: BadColumn::collector(name),
        }
    }

    /// Adds the cell of data row `row` (1-based).
    fn push(&mut self, cell: &str, row: usize, allow_decimal_comma: bool) {
        match self {
            Builder::Numeric { values, decimal_comma, tally, bad } => {
                let read = if is_missing(cell) { Cell::Missing } else { classify(cell, allow_decimal_comma) };
                tally.add(read);
                match read {
                    Cell::Number(x) => {
                        values.push(x);
                        *decimal_comma |= allow_decimal_comma && cell.contains(',');
                    }
                    Cell::Missing => values.push(f64::NAN),
                    Cell::Bad(CellProblem::Text) if tally.number_like == 0 && bad.is_empty() => {
                        // Nothing but missing cells so far: read the column as text from here.
                        let mut text = TextColumn::new();
                        values.iter().for_each(|_| text.push_missing());
                        text.push(cell);
                        *self = Builder::Text { text, tally: *tally, kinds: vec![read] };
                    }
                    Cell::Bad(problem) => {
                        values.push(f64::NAN);
                        bad.push(row, cell, problem);
                    }
                }
            }
            Builder::Text { text, tally, kinds } => {
                if is_missing(cell) {
                    text.push_missing();
                    return;
                }
                let code = text.push(cell) as usize;
                if code == kinds.len() {
                    kinds.push(classify(cell, allow_decimal_comma));
                }
                if let Some(&kind) = kinds.get(code) {
                    tally.add(kind);
                }
            }
        }
    }

    fn finish(self, name: &str, allow_decimal_comma: bool) -> Finished {
        match self {
            Builder::Numeric { values, decimal_comma, tally, bad } => {
                if tally.is_numeric() {
                    Finished::Column(Column::Numeric(values), bad.finish(), decimal_comma)
                } else {
                    Finished::Reread
                }
            }
            Builder::Text { text, tally, .. } if tally.is_numeric() => {
                let mut values = Vec::with_capacity(text.len());
                let mut bad = BadColumn::collector(name);
                let mut decimal_comma = false;
                for i in 0..text.len() {
                    match text.get(i).map(|cell| (cell, classify(cell, allow_decimal_comma))) {
                        Some((cell, Cell::Number(x))) => {
                            values.push(x);
                            decimal_comma |= allow_decimal_comma && cell.contains(',');
                        }
                        Some((cell, Cell::Bad(problem))) => {
                            values.push(f64::NAN);
                            bad.push(i + 1, cell, problem);
                        }
                        Some((_, Cell::Missing)) | None => values.push(f64::NAN),
                    }
                }
                Finished::Column(Column::Numeric(values), bad.finish(), decimal_comma)
            }
            Builder::Text { text, .. } => Finished::Column(Column::Text(text), None, false),
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
    read_header(bytes, &mut reader)?;
    let mut out: Vec<TextColumn> = which.iter().map(|_| TextColumn::new()).collect();
    let mut record = csv::ByteRecord::new();
    let mut row = 0usize;
    while row < nrows {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(syntax_error(bytes, &e, row + 1)),
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

fn read_header(bytes: &[u8], reader: &mut csv::Reader<&[u8]>) -> Result<Vec<String>, DataError> {
    let header = reader.byte_headers().map_err(|e| syntax_error(bytes, &e, 0))?.clone();
    let mut names: Vec<String> = Vec::with_capacity(header.len());
    let mut position_of: HashMap<&str, usize> = HashMap::with_capacity(header.len());
    for (i, field) in header.iter().enumerate() {
        let name = cell_text(field);
        if name.is_empty() {
            return Err(DataError::EmptyHeader { position: i + 1 });
        }
        if let Some(&first) = position_of.get(name) {
            return Err(DataError::DuplicateHeader {
                name: name.to_owned(),
                first: first + 1,
                second: i + 1,
            });
        }
        position_of.insert(name, i);
        names.push(name.to_owned());
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

/// The length of the longest of [`MISSING_TOKENS`]: a longer cell (most are) is not compared
/// with each.
const LONGEST_MISSING_TOKEN: usize = {
    let mut longest = 0;
    let mut i = 0;
    while i < MISSING_TOKENS.len() {
        if MISSING_TOKENS[i].len() > longest {
            longest = MISSING_TOKENS[i].len();
        }
        i += 1;
    }
    longest
};

fn is_missing(cell: &str) -> bool {
    cell.len() <= LONGEST_MISSING_TOKEN && MISSING_TOKENS.contains(&cell)
}

/// True when `record` is the file's last and an odd number of quotes follow its start: a quote
/// opened in it is never closed, so the reader took the rest of the file as one field.
fn opens_unclosed_quote(bytes: &[u8], record: &csv::ByteRecord, reader: &csv::Reader<&[u8]>) -> bool {
    let at_end = usize::try_from(reader.position().byte()).map_or(true, |b| b >= bytes.len());
    let start = record.position().and_then(|p| usize::try_from(p.byte()).ok());
    let rest = start.and_then(|s| bytes.get(s..)).unwrap_or_default();
    at_end && rest.iter().filter(|&&b| b == b'"').count() % 2 == 1
}

/// True for a record from a line with nothing on it but spaces.
fn is_blank(record: &csv::ByteRecord) -> bool {
    record.len() <= 1 && record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace))
}

/// The file line where `record` starts.
fn line_of(bytes: &[u8], record: &csv::ByteRecord) -> usize {
    let start = record.position().and_then(|p| usize::try_from(p.byte()).ok()).unwrap_or(0);
    line_at(bytes, start)
}

fn syntax_error(bytes: &[u8], e: &csv::Error, row: usize) -> DataError {
    let start = e.position().and_then(|p| usize::try_from(p.byte()).ok()).unwrap_or(0);
    let message = match e.kind() {
        csv::ErrorKind::Io(_) => "the file could not be read".to_owned(),
        _ => e.to_string(),
    };
    DataError::Syntax { row, line: line_at(bytes, start), message }
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

/// 1-based line number of the first byte at or after offset `pos` that is not a line end, counting
/// `\n`, `\r\n` and a lone `\r` as one line end each, as the CSV reader does. (The reader's own
/// line count misses lone `\r`s, and a record it starts at the `\n` of a `\r\n` would be a line
/// early.)
fn line_at(bytes: &[u8], pos: usize) -> usize {
    let skipped =
        bytes.get(pos..).map_or(0, |rest| rest.iter().take_while(|&&b| b == b'\n' || b == b'\r').count());
    let before = bytes.get(..pos.saturating_add(skipped)).unwrap_or(bytes);
    let ends = before
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count();
    ends + 1
}
