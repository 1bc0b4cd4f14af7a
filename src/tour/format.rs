//! Numbers as the tour writes them: the calculator's one number format
//! ([`crate::calculator::format`]), named for the tour's quantities.

use crate::calculator::format::{fixed, number, shown, Quantity};

/// A social gradient score: "1.62".
pub fn score(x: f64) -> String {
    number(Quantity::Score, x)
}

/// A score with its interval, at one number of decimals: `"1.62 (95% CI 1.62 to 1.63)"`, or the
/// score alone.
pub fn score_ci(x: f64, low: Option<f64>, high: Option<f64>) -> String {
    shown(Quantity::Score, x, low, high).with_interval()
}

/// A rate per 10,000 children: "1,340".
pub fn rate(x: f64) -> String {
    number(Quantity::Rate, x)
}

/// Percentage points of income deprivation: "−9.2".
pub fn points(x: f64) -> String {
    number(Quantity::Points, x)
}

/// A share of people, in percent: "24.7".
pub fn share(x: f64) -> String {
    number(Quantity::Share, x)
}

/// How many times one thing is another: "5.4".
pub fn times(x: f64) -> String {
    number(Quantity::Times, x)
}

/// A whole number of something (steps of a chart's axis): "−2".
pub fn whole(x: f64) -> String {
    fixed(x, 0)
}

/// A rate ratio as a percentage increase, unsigned for "a 62% higher rate": 1.62 gives `"62%"`.
pub fn percent_more(ratio: f64) -> String {
    format!("{}%", fixed(100.0 * (ratio - 1.0), 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tour_s_quantities() {
        assert_eq!(rate(1340.0), "1,340");
        assert_eq!(score(1.936), "1.94");
        assert_eq!(score_ci(1.62, Some(1.62), Some(1.63)), "1.62 (95% CI 1.62 to 1.63)");
        assert_eq!(score_ci(1.62, None, Some(1.63)), "1.62");
        assert_eq!(points(-10.0), "−10.0");
        assert_eq!(percent_more(1.62), "62%");
        assert_eq!(percent_more(2.03), "103%");
        assert_eq!(whole(-2.0), "−2");
    }
}
