//! Rank correlation, as Hood et al. (2020, Table 6) correlated LA deprivation with demand
//! indicators across English local authorities.
//!
//! Spearman's rank correlation of `x` and `y` is Pearson's correlation of their ranks,
//!
//! ```text
//! rho = sum((r_i - mean(r)) (s_i - mean(s))) / sqrt(sum((r_i - mean(r))^2) sum((s_i - mean(s))^2)),
//! ```
//!
//! where `r_i` is the rank of `x_i` among the `x` (1 for the smallest) and tied values share the
//! average of the ranks they span, as R's `rank(ties.method = "average")`. Only pairs where both
//! values are present (finite) are used, and they are ranked among themselves: the same number
//! as R's `cor(x, y, method = "spearman", use = "complete.obs")`.

use serde::Serialize;

/// A rank correlation and the number of pairs it used.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RankCorrelation {
    pub rho: f64,
    /// Pairs with both values present.
    pub n: usize,
}

/// Why no correlation can be computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorrelationError {
    /// The two lists differ in length.
    Lengths { x: usize, y: usize },
    /// Fewer than two pairs have both values.
    TooFewPairs { n: usize },
    /// Every used value of one list is the same: its ranks do not vary.
    NoVariation { list: &'static str },
}

impl std::fmt::Display for CorrelationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CorrelationError::Lengths { x, y } => {
                write!(f, "the two lists have different lengths ({x} and {y} values)")
            }
            CorrelationError::TooFewPairs { n } => {
                write!(f, "a correlation needs at least two pairs with both values; there are {n}")
            }
            CorrelationError::NoVariation { list } => {
                write!(f, "every {list} value used is the same, so it cannot be correlated")
            }
        }
    }
}

impl std::error::Error for CorrelationError {}

/// The rank of each value among `values` (1-based), ties given the average of the ranks they
/// span: R's `rank(values, ties.method = "average")`. Values must be comparable (not NaN).
pub fn average_ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // Positions start..end (0-based) hold ranks start+1 ..= end; their mean:
        let rank = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        start = end;
    }
    ranks
}

/// Spearman's rank correlation of the pairs of `x` and `y` where both are finite (see the
/// module's documentation).
pub fn spearman(x: &[f64], y: &[f64]) -> Result<RankCorrelation, CorrelationError> {
    if x.len() != y.len() {
        return Err(CorrelationError::Lengths { x: x.len(), y: y.len() });
    }
    let (xs, ys): (Vec<f64>, Vec<f64>) =
        x.iter().zip(y).filter(|(a, b)| a.is_finite() && b.is_finite()).map(|(a, b)| (*a, *b)).unzip();
    let n = xs.len();
    if n < 2 {
        return Err(CorrelationError::TooFewPairs { n });
    }
    let (rx, ry) = (average_ranks(&xs), average_ranks(&ys));
    // Every rank vector of n values has mean (n + 1) / 2.
    let mean = (n as f64 + 1.0) / 2.0;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in rx.iter().zip(&ry) {
        let (da, db) = (a - mean, b - mean);
        sxy += da * db;
        sxx += da * da;
        syy += db * db;
    }
    if sxx == 0.0 {
        return Err(CorrelationError::NoVariation { list: "first" });
    }
    if syy == 0.0 {
        return Err(CorrelationError::NoVariation { list: "second" });
    }
    Ok(RankCorrelation { rho: (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0), n })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_the_average_rank() {
        assert_eq!(average_ranks(&[10.0, 20.0, 10.0, 30.0, 20.0, 20.0]), [1.5, 4.0, 1.5, 6.0, 4.0, 4.0]);
        assert_eq!(average_ranks(&[]), Vec::<f64>::new());
        assert_eq!(average_ranks(&[-0.0, 0.0]), [1.5, 1.5]); // equal, as R ranks them
    }

    #[test]
    fn monotone_relations_are_plus_or_minus_one() {
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        let y = [1.0, 4.0, 9.0, 16.0, 25.0];
        assert_eq!(spearman(&x, &y).unwrap(), RankCorrelation { rho: 1.0, n: 5 });
        let down: Vec<f64> = y.iter().map(|v| -v).collect();
        assert_eq!(spearman(&x, &down).unwrap().rho, -1.0);
    }

    #[test]
    fn missing_pairs_are_left_out_and_bad_input_is_an_error() {
        let r = spearman(&[1.0, f64::NAN, 3.0, 4.0], &[2.0, 1.0, f64::INFINITY, 5.0]).unwrap();
        assert_eq!(r, RankCorrelation { rho: 1.0, n: 2 });
        assert_eq!(spearman(&[1.0], &[1.0, 2.0]), Err(CorrelationError::Lengths { x: 1, y: 2 }));
        assert_eq!(spearman(&[1.0, f64::NAN], &[1.0, 2.0]), Err(CorrelationError::TooFewPairs { n: 1 }));
        assert_eq!(
            spearman(&[3.0, 3.0, 3.0], &[1.0, 2.0, 3.0]),
            Err(CorrelationError::NoVariation { list: "first" })
        );
        assert!(spearman(&[1.0, 2.0], &[7.0, 7.0]).unwrap_err().to_string().contains("second"));
    }
}
