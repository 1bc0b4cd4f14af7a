//! The few distribution functions the reports need.

use statrs::function::erf::erfc;
use statrs::function::gamma::checked_gamma_ur;

/// The 97.5% quantile of the standard normal distribution, `qnorm(0.975)`: a 95% Wald
/// interval is `estimate +- Z_975 * std_error`.
pub const Z_975: f64 = 1.959_963_984_540_054;

/// Two-sided p-value of a Wald statistic `z`: `P(|Z| > |z|) = erfc(|z| / sqrt 2)`.
/// NaN when `z` is NaN.
pub fn normal_two_sided_p(z: f64) -> f64 {
    if z.is_nan() {
        return f64::NAN;
    }
    erfc(z.abs() / std::f64::consts::SQRT_2)
}

/// Upper-tail probability `P(X > x)` of a chi-square distribution with `df` degrees of freedom:
/// the regularised upper incomplete gamma function `Q(df / 2, x / 2)`. 1 for `x <= 0`, NaN when
/// `df` is 0 or `x` is NaN.
pub fn chi_square_upper(x: f64, df: usize) -> f64 {
    if x.is_nan() || df == 0 {
        return f64::NAN;
    }
    if x <= 0.0 {
        return 1.0;
    }
    if x.is_infinite() {
        return 0.0;
    }
    checked_gamma_ur(df as f64 / 2.0, x / 2.0).unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn normal_p_matches_r() {
        // 2 * pnorm(-1.959963984540054) = 0.05; 2 * pnorm(-2.5) = 0.01241933065155227 (statrs erfc
        // is accurate to about 1e-10 relative)
        assert_relative_eq!(normal_two_sided_p(Z_975), 0.05, max_relative = 1e-9);
        assert_relative_eq!(normal_two_sided_p(-2.5), 0.012419330651552318, max_relative = 1e-9);
        // 2 * pnorm(-10) = 1.523971e-23
        assert_relative_eq!(normal_two_sided_p(10.0), 1.5239706048320995e-23, max_relative = 1e-9);
    }

    #[test]
    fn chi_square_matches_r() {
        // pchisq(3.84145882069412, 1, lower.tail = FALSE) = 0.05
        assert_relative_eq!(chi_square_upper(3.841_458_820_694_124, 1), 0.05, max_relative = 1e-10);
        // pchisq(10, 3, lower.tail = FALSE) = 0.01856614
        assert_relative_eq!(chi_square_upper(10.0, 3), 0.018566135463043, max_relative = 1e-9);
        assert_eq!(chi_square_upper(-1.0, 2), 1.0);
        assert!(chi_square_upper(1.0, 0).is_nan());
    }
}
