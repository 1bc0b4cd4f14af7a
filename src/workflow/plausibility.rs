//! Values a model would accept but that are unlikely to be what the user meant, in the columns a
//! formula uses as counts and exposure: warnings before fitting, each naming the column and the
//! rows.
//!
//! - exposure above [`MAX_EXPOSURE`] (no neighbourhood has ten million children; a value such
//!   as `1e308` is a typing or export error that silently distorts a negative binomial fit and
//!   stops a Poisson one);
//! - a count above the exposure it is counted in (more referrals than children), checked when
//!   the offset is the logarithm of one column, possibly divided by a constant;
//! - a count above [`MAX_EXPOSURE`].
//!
//! Exposures of 0 or below and counts that are not whole numbers are not listed here: the
//! formula's check already stops the fit at them, naming the row.

use crate::data::{Column, DataFrame};
use crate::formula::Formula;
use serde::Serialize;

/// The largest plausible child population of one area (10,000,000).
pub const MAX_EXPOSURE: f64 = 1e7;

/// Rows listed in one warning; the others are counted.
pub const ROWS_LISTED: usize = 5;

/// One kind of implausible value in one column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueWarning {
    pub column: String,
    /// 1-based data rows (header excluded), the first [`ROWS_LISTED`].
    pub rows: Vec<usize>,
    /// How many rows have the problem.
    pub total: usize,
    pub message: String,
}

fn numeric<'a>(df: &'a DataFrame, name: &str) -> Option<&'a [f64]> {
    match df.column(name) {
        Some(Column::Numeric(v)) => Some(v),
        _ => None,
    }
}

/// `1e+308`, `12`, `2.5`: a value as a short number.
fn show(v: f64) -> String {
    if v.abs() >= 1e7 {
        format!("{v:e}")
    } else {
        crate::formula::r_number(v)
    }
}

/// Collects the rows where `test` holds and words them as one warning.
fn warn(
    column: &str,
    n: usize,
    test: impl Fn(usize) -> Option<String>,
    what: impl Fn(&[String], usize) -> String,
) -> Option<ValueWarning> {
    let mut rows = Vec::new();
    let mut shown = Vec::new();
    let mut total = 0;
    for i in 0..n {
        if let Some(text) = test(i) {
            total += 1;
            if rows.len() < ROWS_LISTED {
                rows.push(i + 1);
                shown.push(format!("row {}: {text}", i + 1));
            }
        }
    }
    (total > 0).then(|| ValueWarning { column: column.to_owned(), message: what(&shown, total), rows, total })
}

fn more(shown: &[String], total: usize) -> String {
    let listed = shown.join("; ");
    if total > shown.len() {
        let others = total - shown.len();
        format!("{listed}; and {others} more row{}", if others == 1 { "" } else { "s" })
    } else {
        listed
    }
}

/// The warnings for the columns `formula` uses on `df` (empty when nothing looks implausible).
pub fn implausible_values(df: &DataFrame, formula: &Formula) -> Vec<ValueWarning> {
    let n = df.nrows();
    let mut out = Vec::new();
    let response = formula.response();
    let counts = numeric(df, &response);
    let mut exposures: Vec<String> = Vec::new();
    for columns in formula.offset_columns() {
        for c in columns {
            if numeric(df, &c).is_some() && !exposures.contains(&c) && c != response {
                exposures.push(c);
            }
        }
    }
    for name in &exposures {
        let Some(pop) = numeric(df, name) else { continue };
        out.extend(warn(
            name,
            n,
            |i| (pop[i] > MAX_EXPOSURE).then(|| format!("{name} is {}", show(pop[i]))),
            |shown, total| {
                format!(
                    "Column '{name}' (the exposure of the offset) holds implausibly large values ({}): no area has \
                     more than 10,000,000 children. Check the file: a mistyped or exported value distorts the fit.",
                    more(shown, total)
                )
            },
        ));
    }
    if let Some(y) = counts {
        if let [single] = formula.offset_columns().as_slice() {
            if let [pop_name] = single.as_slice() {
                if let Some(pop) = numeric(df, pop_name).filter(|_| pop_name != &response) {
                    out.extend(warn(
                        &response,
                        n,
                        |i| {
                            (y[i] > pop[i] && pop[i] > 0.0)
                                .then(|| format!("{response} is {} but {pop_name} is {}", show(y[i]), show(pop[i])))
                        },
                        |shown, total| {
                            format!(
                                "Column '{response}' has more counted than the population they come from ({}). \
                                 Check that the count and population columns are the right ones.",
                                more(shown, total)
                            )
                        },
                    ));
                }
            }
        }
        out.extend(warn(
            &response,
            n,
            |i| (y[i] > MAX_EXPOSURE).then(|| format!("{response} is {}", show(y[i]))),
            |shown, total| {
                format!(
                    "Column '{response}' holds implausibly large counts ({}) for one area. Check the file.",
                    more(shown, total)
                )
            },
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::read_csv;
    use crate::formula::parse;

    fn warnings(csv: &str, formula: &str) -> Vec<ValueWarning> {
        implausible_values(&read_csv(csv.as_bytes()).unwrap(), &parse(formula).unwrap())
    }

    #[test]
    fn a_huge_population_is_named_by_row_and_column() {
        let w = warnings("k,pop,dep\n3,100,1\n4,1e308,2\n5,120,3\n", "k ~ dep + offset(log(pop/10000))");
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!((w[0].column.as_str(), w[0].rows.as_slice(), w[0].total), ("pop", &[2][..], 1));
        assert!(w[0].message.contains("row 2: pop is 1e308"), "{}", w[0].message);
        assert!(w[0].message.contains("10,000,000"), "{}", w[0].message);
    }

    #[test]
    fn counts_above_the_population_are_listed_with_the_rest_counted() {
        let mut csv = String::from("k,pop,dep\n");
        for i in 0..9 {
            csv.push_str(&format!("{},{},1\n", 20 + i, if i % 3 == 0 { 100 } else { 10 }));
        }
        let w = warnings(&csv, "k ~ dep + offset(log(pop))");
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].column, "k");
        assert_eq!(w[0].rows, [2, 3, 5, 6, 8]);
        assert_eq!(w[0].total, 6);
        assert!(w[0].message.contains("row 2: k is 21 but pop is 10"), "{}", w[0].message);
        assert!(w[0].message.contains("row 8: k is 27 but pop is 10; and 1 more row"), "{}", w[0].message);
    }

    #[test]
    fn plausible_data_and_formulas_without_an_offset_have_no_warnings() {
        assert!(warnings("k,pop,dep\n3,100,1\n4,200,2\n", "k ~ dep + offset(log(pop/10000))").is_empty());
        assert!(warnings("k,pop,dep\n300,100,1\n4,200,2\n", "k ~ dep").is_empty());
    }

    #[test]
    fn random_files_warn_exactly_at_the_planted_rows() {
        // A small linear congruential generator: the same cases on every run.
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize
        };
        for _ in 0..50 {
            let n = 5 + next() % 40;
            let (mut big, mut above) = (Vec::new(), Vec::new());
            let mut csv = String::from("k,pop,dep\n");
            for row in 1..=n {
                let pop = 50 + next() % 5000;
                let (k, p) = match next() % 10 {
                    0 => {
                        big.push(row);
                        (next() % 50, 1e8 * (1 + next() % 1000) as f64)
                    }
                    1 => {
                        above.push(row);
                        (pop + 1 + next() % 30, pop as f64)
                    }
                    _ => (next() % (pop / 10 + 1), pop as f64),
                };
                csv.push_str(&format!("{k},{p},{}\n", next() % 50));
            }
            let w = warnings(&csv, "k ~ dep + offset(log(pop / 10000))");
            let find = |column: &str| w.iter().find(|x| x.column == column);
            match find("pop") {
                Some(x) => {
                    assert_eq!(x.total, big.len());
                    assert_eq!(x.rows, big.iter().copied().take(ROWS_LISTED).collect::<Vec<_>>());
                }
                None => assert!(big.is_empty()),
            }
            match find("k") {
                Some(x) => {
                    assert_eq!(x.total, above.len());
                    assert_eq!(x.rows, above.iter().copied().take(ROWS_LISTED).collect::<Vec<_>>());
                }
                None => assert!(above.is_empty()),
            }
        }
    }
}
