//! Small helpers that turn numbers into the words of readings and warnings.

/// `x` with at most `decimals` decimals, trailing zeros removed (`1.0` -> "1", `0.50` -> "0.5").
pub(crate) fn trimmed(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.') } else { &s };
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// "Table 3", "Tables 1 and 3", "Tables 1, 3 and 4" from table numbers.
pub(crate) fn tables(numbers: &[&str]) -> String {
    match numbers {
        [] => String::new(),
        [one] => format!("Table {one}"),
        [init @ .., last] => format!("Tables {} and {last}", init.join(", ")),
    }
}

/// "above" or "below" by the sign of `x`.
pub(crate) fn above_below(x: f64) -> &'static str {
    if x > 0.0 {
        "above"
    } else {
        "below"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_numbers() {
        assert_eq!(trimmed(1.0, 2), "1");
        assert_eq!(trimmed(0.5, 2), "0.5");
        assert_eq!(trimmed(-1.234, 2), "-1.23");
        assert_eq!(trimmed(-0.001, 2), "0");
        assert_eq!(trimmed(13.86, 2), "13.86");
    }

    #[test]
    fn lists_tables() {
        assert_eq!(tables(&["3"]), "Table 3");
        assert_eq!(tables(&["1", "3"]), "Tables 1 and 3");
        assert_eq!(tables(&["1", "3", "4"]), "Tables 1, 3 and 4");
    }
}
