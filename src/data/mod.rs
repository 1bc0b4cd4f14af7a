//! Reading a user's aggregate CSV file into a columnar [`DataFrame`], and the summaries the
//! column-mapping page shows before a model is chosen.
//!
//! Conventions used throughout:
//! - **Row numbers** are data-row numbers: 1-based, counting the rows below the header
//!   (the first data row is row 1, which a spreadsheet shows as row 2). Errors raised while
//!   reading the file also give the file's line number.
//! - **Missing values** are the cells that, after trimming surrounding spaces, are empty or one of
//!   `NA`, `NaN`, `N/A`, `.` ([`MISSING_TOKENS`]).
//! - A column is **numeric** unless it is mostly text ([`cells`]): its cells that are not finite
//!   numbers (`inf`, `1,234`, `n/a`, `five`) are read as missing and reported as [`BadColumn`]s,
//!   by row, value and the fix.

pub mod cells;
mod delimiter;
mod error;
mod frame;
mod read;
mod summary;

pub use cells::{BadCell, BadColumn, CellProblem};
pub use delimiter::Delimiter;
pub use error::DataError;
pub use frame::{Column, DataFrame, TextColumn};
pub use read::{read_csv, read_csv_file, CsvFile, MAX_FILE_BYTES, MISSING_TOKENS};
pub use summary::{preview, summarise, ColumnKind, ColumnSummary, Preview, DISTINCT_CAP, EXAMPLES};
