//! The likelihood-ratio (LR) test of a restricted model nested in a general one: `LR = 2
//! (logLik_general - logLik_restricted)` on `df = df_general - df_restricted` degrees of freedom.
//!
//! When the restricted model sits on the boundary of the general one's parameter space (a
//! variance at 0, or Poisson as the negative binomial with no overdispersion) `LR` is not
//! chi-square distributed: with one such parameter added, the null distribution is the 50:50
//! mixture of chi-square(0) and chi-square(1), so the p-value is half the chi-square(1) one, as
//! is conventional. With more parameters added at a boundary the plain chi-square(df) p-value is
//! reported; it is conservative (too large).

use super::stats::chi_square_upper;
use serde::Serialize;

/// One LR test. The models are named by `M`: their names in a comparison table, or their
/// numbers (1 or 2) when two written models are compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LikelihoodRatioTest<M> {
    pub restricted: M,
    pub general: M,
    /// `2 (logLik_general - logLik_restricted)`, 0 when an optimiser left it slightly negative.
    pub statistic: f64,
    pub df: usize,
    pub p: f64,
    /// True when `p` is the halved chi-square(1) p-value of a boundary test.
    pub p_halved: bool,
    pub note: String,
}

impl<M> LikelihoodRatioTest<M> {
    /// The test of `restricted`, with log-likelihood `loglik.0`, within `general`, with
    /// `loglik.1` and `df` more parameters; `boundary` when the parameters added start at the
    /// boundary of their range (the p-value is halved when there is one).
    pub fn new(
        restricted: M,
        general: M,
        loglik: (f64, f64),
        df: usize,
        boundary: bool,
        note: String,
    ) -> LikelihoodRatioTest<M> {
        let statistic = (2.0 * (loglik.1 - loglik.0)).max(0.0);
        let p_halved = boundary && df == 1;
        let tail = chi_square_upper(statistic, df);
        let p = if statistic <= 0.0 {
            1.0
        } else if p_halved {
            0.5 * tail
        } else {
            tail
        };
        LikelihoodRatioTest { restricted, general, statistic, df, p, p_halved, note }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_boundary_parameter_halves_the_p_value() {
        let plain = LikelihoodRatioTest::new(1, 2, (-100.0, -98.0), 1, false, String::new());
        assert!((plain.statistic - 4.0).abs() < 1e-12);
        assert!((plain.p - chi_square_upper(4.0, 1)).abs() < 1e-15 && !plain.p_halved);
        let boundary = LikelihoodRatioTest::new(1, 2, (-100.0, -98.0), 1, true, String::new());
        assert!(boundary.p_halved && (boundary.p - 0.5 * plain.p).abs() < 1e-15);
        let three = LikelihoodRatioTest::new("a", "b", (-100.0, -98.0), 3, true, String::new());
        assert!(!three.p_halved && (three.p - chi_square_upper(4.0, 3)).abs() < 1e-15);
        let worse = LikelihoodRatioTest::new(1, 2, (-100.0, -100.5), 1, true, String::new());
        assert_eq!((worse.statistic, worse.p), (0.0, 1.0));
    }
}
