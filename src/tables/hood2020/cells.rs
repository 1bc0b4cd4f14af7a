//! Every cell of Tables 2, 6 and 7 to 18 of Hood et al. 2020 with its citation: the flat list that
//! `socgrad six-las` prints and the cell-by-cell test counts.

use serde::Serialize;

use super::classes::{ShareTable, SHARE_TABLES, TABLE13_DEPRIVATION_EFFECTS};
use super::correlations::TABLE6_CORRELATIONS;
use super::differences::ODDS_TABLES;
use super::odds::{OddsCell, OddsTable};
use super::sample::{Figure, SampleColumn, TABLE2_SAMPLE};
use super::{La, DOCUMENT, SEED};
use crate::tables::{Bounded, Significance};

/// Where a value is printed: document, seed file, table, row and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Citation {
    pub document: &'static str,
    pub seed: &'static str,
    /// "Table 10".
    pub table: &'static str,
    /// The row as printed; for Tables 7 to 10 with its half and section ("MOST DEPRIVED /
    /// Thresholds / CP Plans").
    pub row: String,
    /// The column: an LA ("LA3"), a year ("2014"), a class or a printed heading.
    pub column: String,
}

impl std::fmt::Display for Citation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}, {}, {}, {} (seed {})", self.document, self.table, self.row, self.column, self.seed)
    }
}

/// A cell's value, typed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum CellValue {
    /// `OR 2.74 (CI 2.40-3.14)` (Tables 7 to 10).
    OddsRatio { or: f64, low: f64, high: f64 },
    /// `N/A` (Tables 7 to 10).
    NotAvailable,
    /// A coefficient with its mark, p-value and N (Table 6).
    Correlation { rho: f64, significance: Significance, p: Bounded, n: u32 },
    /// A percentage (Tables 11, 12, 14 to 18).
    Percent { value: f64 },
    /// A percentage change in the odds (Table 13: `+33%` is 33).
    PercentChange { value: f64 },
    /// A number in Table 2's words.
    Figure { figure: Figure, unit: &'static str },
}

impl CellValue {
    /// The printed numbers of the cell, in printed order (none for `N/A`).
    pub fn numbers(&self) -> Vec<f64> {
        match *self {
            CellValue::OddsRatio { or, low, high } => vec![or, low, high],
            CellValue::NotAvailable => Vec::new(),
            CellValue::Correlation { rho, p, n, .. } => {
                let p = match p {
                    Bounded::Value(x) | Bounded::LessThan(x) => x,
                };
                vec![rho, p, n as f64]
            }
            CellValue::Percent { value } | CellValue::PercentChange { value } => vec![value],
            CellValue::Figure { figure, .. } => figure.numbers(),
        }
    }
}

/// One cell with its citation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublishedCell {
    pub citation: Citation,
    pub value: CellValue,
    /// The value as the report prints it (`OR 10.5 (CI 4.31-25.5)`, `.580** (Sig. < 0.001, N 150)`,
    /// `17%`, `+33%`, `over 90%`).
    pub printed: String,
}

/// A Table 2 figure in words: `2 LAs`, `over 90%`, `400 to 700 per 10,000 children`, `1,092`.
fn figure_text(figure: Figure, unit: &str) -> String {
    let n = |x: f64| {
        if unit == "year" || x < 1000.0 || x.fract() != 0.0 {
            format!("{x}")
        } else {
            format!("{},{:03}", (x / 1000.0).floor(), x % 1000.0)
        }
    };
    let with_unit = |text: String| match unit {
        "%" => format!("{text}%"),
        "£ per child" => format!("£{text} per child"),
        "" | "year" | "rank" => text,
        _ => format!("{text} {unit}"),
    };
    match figure {
        // "1 LA", not "1 LAs".
        Figure::Count(1) if unit.ends_with('s') => format!("1 {}", &unit[..unit.len() - 1]),
        Figure::Count(c) => with_unit(c.to_string()),
        Figure::Value(x) => with_unit(n(x)),
        Figure::MoreThan(x) => format!("over {}", with_unit(n(x))),
        Figure::LessThan(x) => format!("less than {}", with_unit(n(x))),
        Figure::Range { low, high } => match unit {
            "%" => format!("{}-{}%", n(low), n(high)),
            "£ per child" => format!("£{} to £{} per child", n(low), n(high)),
            _ => with_unit(format!("{} to {}", n(low), n(high))),
        },
    }
}

/// The tables this module holds, by number, in document order.
pub const TABLE_NUMBERS: [u8; 14] = [2, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18];

fn cite(table: &'static str, row: String, column: impl Into<String>) -> Citation {
    Citation { document: DOCUMENT, seed: SEED, table, row, column: column.into() }
}

fn odds_cells(t: &OddsTable) -> Vec<PublishedCell> {
    let mut out = Vec::new();
    for half in t.halves {
        for (section, row) in half.rows() {
            for (la, cell) in La::ALL.iter().zip(&row.cells) {
                let (value, printed) = match cell {
                    OddsCell::Printed(r) => {
                        (CellValue::OddsRatio { or: r.or, low: r.ci.low, high: r.ci.high }, r.printed())
                    }
                    OddsCell::NotAvailable => (CellValue::NotAvailable, "N/A".to_string()),
                };
                let citation =
                    cite(t.table, format!("{} / {section} / {}", half.heading, row.label), la.label());
                out.push(PublishedCell { citation, value, printed });
            }
        }
    }
    out
}

fn share_cells(t: &ShareTable) -> Vec<PublishedCell> {
    t.rows
        .iter()
        .flat_map(|row| {
            t.columns.iter().zip(row.values).map(|(column, &value)| PublishedCell {
                citation: cite(t.table, row.label.to_string(), *column),
                value: CellValue::Percent { value },
                printed: format!("{value:.*}%", t.decimals),
            })
        })
        .collect()
}

/// Every cell of table `number` (2, 6, 7 to 18), in printed order; empty for another number.
pub fn table_cells(number: u8) -> Vec<PublishedCell> {
    match number {
        2 => TABLE2_SAMPLE
            .iter()
            .flat_map(|row| {
                row.figures.iter().map(|f| PublishedCell {
                    citation: cite(
                        "Table 2",
                        format!("{}: {}", row.characteristic, f.what),
                        match f.column {
                            SampleColumn::Range => "Range",
                            SampleColumn::Comments => "Comments",
                        },
                    ),
                    value: CellValue::Figure { figure: f.figure, unit: f.unit },
                    printed: figure_text(f.figure, f.unit),
                })
            })
            .collect(),
        6 => {
            let t = &TABLE6_CORRELATIONS;
            t.rows
                .iter()
                .flat_map(|row| {
                    t.years.iter().zip(&row.cells).filter_map(|(year, cell)| {
                        cell.map(|c| PublishedCell {
                            citation: cite(t.table, row.label.to_string(), year.to_string()),
                            value: CellValue::Correlation {
                                rho: c.rho,
                                significance: c.significance,
                                p: c.p,
                                n: c.n,
                            },
                            printed: format!("{} (Sig. {}, N {})", c.printed_rho(), c.printed_p(), c.n),
                        })
                    })
                })
                .collect()
        }
        7..=10 => ODDS_TABLES.iter().find(|t| t.number == number).map_or_else(Vec::new, |t| odds_cells(t)),
        13 => {
            let t = &TABLE13_DEPRIVATION_EFFECTS;
            t.rows
                .iter()
                .flat_map(|row| {
                    t.classes.iter().zip(row.percent).map(|(class, value)| PublishedCell {
                        citation: cite(t.table, row.la.label().to_string(), class.short_name()),
                        value: CellValue::PercentChange { value },
                        printed: format!("{value:+.0}%"),
                    })
                })
                .collect()
        }
        _ => SHARE_TABLES.iter().find(|t| t.number == number).map_or_else(Vec::new, |t| share_cells(t)),
    }
}

/// The title of table `number` as printed (`None` for a table this module does not hold).
pub fn table_title(number: u8) -> Option<&'static str> {
    match number {
        2 => Some("Characteristics of the LA sample"),
        6 => Some(TABLE6_CORRELATIONS.title),
        7..=10 => ODDS_TABLES.iter().find(|t| t.number == number).map(|t| t.title),
        13 => Some(TABLE13_DEPRIVATION_EFFECTS.title),
        _ => SHARE_TABLES.iter().find(|t| t.number == number).map(|t| t.title),
    }
}

/// Every cell of Tables 2, 6 and 7 to 18, table by table in document order.
pub fn cells() -> Vec<PublishedCell> {
    TABLE_NUMBERS.iter().flat_map(|&n| table_cells(n)).collect()
}
