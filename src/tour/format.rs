//! Numbers as the tour writes them: fixed decimals, thousands separated by commas.

/// `x` with `decimals` decimals and commas between thousands: `1340.0, 0` gives `"1,340"`.
pub fn number(x: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, x.abs());
    let (int, frac) = text.split_once('.').map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if x < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') { "−" } else { "" };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A score with its interval: `"1.62 (95% CI 1.62 to 1.63)"`, or the score alone.
pub fn with_interval(score: f64, low: Option<f64>, high: Option<f64>, decimals: usize) -> String {
    match (low, high) {
        (Some(l), Some(h)) => {
            format!("{} (95% CI {} to {})", number(score, decimals), number(l, decimals), number(h, decimals))
        }
        _ => number(score, decimals),
    }
}

/// A rate ratio as a percentage increase: 1.62 gives `"62%"`.
pub fn percent_more(ratio: f64) -> String {
    format!("{}%", number(100.0 * (ratio - 1.0), 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands_and_rounds() {
        assert_eq!(number(1340.0, 0), "1,340");
        assert_eq!(number(300_830.0, 0), "300,830");
        assert_eq!(number(100.0, 0), "100");
        assert_eq!(number(1.6249, 2), "1.62");
        assert_eq!(number(-10.0, 1), "−10.0");
        assert_eq!(number(-0.001, 1), "0.0");
        assert_eq!(number(1234567.891, 1), "1,234,567.9");
    }

    #[test]
    fn intervals_and_percentages() {
        assert_eq!(with_interval(1.62, Some(1.62), Some(1.63), 2), "1.62 (95% CI 1.62 to 1.63)");
        assert_eq!(with_interval(1.62, None, Some(1.63), 2), "1.62");
        assert_eq!(percent_more(1.62), "62%");
        assert_eq!(percent_more(2.03), "103%");
    }
}
