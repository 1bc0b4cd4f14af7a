//! Reading household income bands as people paste them: one band per line, its lower limit, its
//! upper limit and its number of households, from a spreadsheet (tab-separated), a CSV file or
//! typed text: `0,5000,120`, `£5,000 - £9,999<TAB>1,234`, `£150,000 and over: 567`,
//! `150000+ 567`, `Under £5,000: 120`. Lines without numbers (headers) are skipped.
//!
//! Numbers may have thousands separators (`1,234,567`: a comma followed by exactly three
//! digits, after one to three); a `£` sign and spaces are ignored. The top band may be open
//! (`and over`, `or more`, `+`, `over`, `above`, or an empty upper limit in a CSV line: `150000,,80`).
//! Bands must rise without overlapping; an upper limit one below the next lower limit (`£9,999`,
//! then `£10,000`) is read as the next lower limit.

use std::fmt;

use serde::Serialize;

/// One income band and its households.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Band {
    pub lower: f64,
    /// `None` for the open top band.
    pub upper: Option<f64>,
    pub households: f64,
}

/// Why the bands cannot be used, naming the line (1-based) where there is one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BandError {
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for BandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for BandError {}

fn error(line: usize, message: impl Into<String>) -> BandError {
    BandError { line: Some(line), message: message.into() }
}

/// The numbers of a line, in order, with thousands separators read as such; `None` marks an
/// empty field between two commas of a CSV line (an open upper limit).
fn numbers(line: &str) -> Vec<Option<f64>> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut last_was_comma_gap = false;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            // Thousands groups: the first run is 1-3 digits, then ",ddd" groups not followed by a digit.
            if i - start <= 3 {
                loop {
                    let group = i + 4 <= chars.len()
                        && chars[i] == ','
                        && chars[i + 1..i + 4].iter().all(char::is_ascii_digit)
                        && (i + 4 == chars.len() || !chars[i + 4].is_ascii_digit());
                    if !group {
                        break;
                    }
                    i += 4;
                }
            }
            if i + 1 < chars.len() && chars[i] == '.' && chars[i + 1].is_ascii_digit() {
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            }
            let text: String = chars[start..i].iter().filter(|c| **c != ',').collect();
            // A minus sign is one after a field separator (or at the start), not a range's dash.
            let negative = start > 0 && chars[start - 1] == '-' && {
                let before = chars[..start - 1].iter().rev().find(|c| **c != ' ');
                before.map_or(true, |c| matches!(c, ',' | '\t' | ';' | ':'))
            };
            out.push(text.parse::<f64>().ok().map(|x| if negative { -x } else { x }));
            last_was_comma_gap = false;
        } else {
            // ",," (or ", ,") in a CSV line: an empty field.
            if chars[i] == ',' {
                let mut j = i + 1;
                while j < chars.len() && chars[j] == ' ' {
                    j += 1;
                }
                if j < chars.len() && chars[j] == ',' && !out.is_empty() && !last_was_comma_gap {
                    out.push(None);
                    last_was_comma_gap = true;
                    i = j;
                    continue;
                }
            }
            i += 1;
        }
    }
    out
}

const OPEN_WORDS: [&str; 6] = ["and over", "or more", "and above", "or over", "over", "above"];
const UNDER_WORDS: [&str; 4] = ["under", "less than", "below", "up to"];

/// Reads the bands of `text`, one per line.
pub fn read_bands(text: &str) -> Result<Vec<Band>, BandError> {
    let mut bands: Vec<(usize, Band)> = Vec::new();
    for (k, raw) in text.lines().enumerate() {
        let line = k + 1;
        let lower_text = raw.to_lowercase();
        let nums = numbers(raw);
        if nums.is_empty() {
            continue;
        }
        let open = raw.contains('+') || OPEN_WORDS.iter().any(|w| lower_text.contains(w));
        let under = UNDER_WORDS.iter().any(|w| lower_text.trim_start().starts_with(w));
        let value = |x: Option<f64>| x.ok_or_else(|| error(line, "a number is missing"));
        let band = match nums.as_slice() {
            [lo, None, n] => Band { lower: value(*lo)?, upper: None, households: value(*n)? },
            [lo, hi, n] => Band { lower: value(*lo)?, upper: Some(value(*hi)?), households: value(*n)? },
            [hi, n] if under => Band { lower: 0.0, upper: Some(value(*hi)?), households: value(*n)? },
            [lo, n] if open => Band { lower: value(*lo)?, upper: None, households: value(*n)? },
            _ => {
                return Err(error(
                    line,
                    format!(
                        "expected the lower limit, the upper limit and the number of households (or 'and over' for \
                         the top band), found {} number{}",
                        nums.len(),
                        if nums.len() == 1 { "" } else { "s" }
                    ),
                ))
            }
        };
        if band.households < 0.0 || !band.households.is_finite() {
            return Err(error(line, "the number of households cannot be negative"));
        }
        if let Some(upper) = band.upper {
            if upper <= band.lower {
                return Err(error(
                    line,
                    format!("the upper limit {upper} is not above the lower limit {}", band.lower),
                ));
            }
        }
        bands.push((line, band));
    }
    if bands.len() < 3 {
        return Err(BandError {
            line: None,
            message: format!("give at least three income bands, one per line (found {})", bands.len()),
        });
    }
    for w in 0..bands.len() - 1 {
        let (line, band) = bands[w];
        let (next_line, next) = bands[w + 1];
        let Some(upper) = band.upper else {
            return Err(error(line, "only the last band can be open-ended"));
        };
        if next.lower < upper - 1.0 {
            return Err(error(
                next_line,
                format!("this band starts at {} but the band before ends at {upper}", next.lower),
            ));
        }
        if next.lower - upper > 1.0 {
            return Err(error(
                next_line,
                format!("there is a gap between {upper} and {}: give a band for every income", next.lower),
            ));
        }
        // "£5,000 - £9,999" then "£10,000 - ...": the band ends where the next begins.
        bands[w].1.upper = Some(next.lower);
    }
    let total: f64 = bands.iter().map(|(_, b)| b.households).sum();
    if total.is_nan() || total <= 0.0 {
        return Err(BandError { line: None, message: "there are no households in the bands".into() });
    }
    if bands.iter().filter(|(_, b)| b.households > 0.0).count() < 2 {
        return Err(BandError {
            line: None,
            message: "the households are all in one band: no inequality can be estimated".into(),
        });
    }
    if bands[0].1.lower < 0.0 {
        return Err(error(bands[0].0, "incomes below zero are not supported: start the first band at 0"));
    }
    Ok(bands.into_iter().map(|(_, b)| b).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(lower: f64, upper: Option<f64>, households: f64) -> Band {
        Band { lower, upper, households }
    }

    #[test]
    fn reads_csv_spreadsheet_and_typed_lines() {
        let csv = "lower,upper,households\n0,5000,120\n5000,10000,340\n10000,,80\n";
        assert_eq!(
            read_bands(csv).unwrap(),
            vec![b(0.0, Some(5000.0), 120.0), b(5000.0, Some(10000.0), 340.0), b(10000.0, None, 80.0)]
        );
        let sheet = "Band\tHouseholds\n£0 - £4,999\t1,234\n£5,000 - £9,999\t2,345.5\n£10,000 and over\t567\n";
        assert_eq!(
            read_bands(sheet).unwrap(),
            vec![b(0.0, Some(5000.0), 1234.0), b(5000.0, Some(10000.0), 2345.5), b(10000.0, None, 567.0)]
        );
        let typed = "Under £5,000: 10\n£5,000 to £10,000: 20\n£10,000+ 5";
        assert_eq!(
            read_bands(typed).unwrap(),
            vec![b(0.0, Some(5000.0), 10.0), b(5000.0, Some(10000.0), 20.0), b(10000.0, None, 5.0)]
        );
    }

    #[test]
    fn refuses_bands_it_cannot_use_naming_the_line() {
        let e = read_bands("0,5000,1\n5000,10000\n10000,,3").unwrap_err();
        assert_eq!(e.line, Some(2));
        let e = read_bands("0,5000,1\n6000,10000,2\n10000,,3").unwrap_err();
        assert!(e.message.contains("gap"), "{e}");
        let e = read_bands("0,5000,1\n5000,,2\n10000,,3").unwrap_err();
        assert_eq!(e.line, Some(2));
        let e = read_bands("0,5000,1\n5000,4000,2\n10000,,3").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(read_bands("0,5000,0\n5000,10000,7\n10000,,0").unwrap_err().message.contains("one band"));
        assert!(read_bands("0,5000,1\n5000,10000,-2\n10000,,3").is_err());
        assert!(read_bands("hello\n").unwrap_err().message.contains("three"));
    }
}
