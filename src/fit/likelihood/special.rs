//! Log-gamma and polygamma functions for positive arguments, and accurate differences
//! `f(x + d) - f(x)` of them.
//!
//! For `x >= 10` the Stirling / asymptotic series are used (truncation error below 1e-16);
//! smaller arguments are first raised past 10 with the recurrences
//! `lgamma(x) = lgamma(x + 1) - ln x`, `psi(x) = psi(x + 1) - 1/x`,
//! `psi1(x) = psi1(x + 1) + 1/x^2`, `psi2(x) = psi2(x + 1) - 2/x^3`.
//! The differences matter for the negative binomial with a large size parameter (close to
//! Poisson), where `lgamma(y + theta) - lgamma(theta)` would otherwise lose all its digits.

const ASYMPTOTIC_FROM: f64 = 10.0;
const HALF_LN_2PI: f64 = 0.918_938_533_204_672_8;

/// Bernoulli-number coefficients `B_2k / (2k (2k - 1))` of the Stirling series of lgamma,
/// multiplying `x^-(2k-1)`.
const LGAMMA_SERIES: [f64; 7] =
    [1.0 / 12.0, -1.0 / 360.0, 1.0 / 1260.0, -1.0 / 1680.0, 1.0 / 1188.0, -691.0 / 360_360.0, 1.0 / 156.0];
/// `B_2k / (2k)`, multiplying `x^-2k` in `psi(x) = ln x - 1/(2x) - sum`.
const DIGAMMA_SERIES: [f64; 7] =
    [1.0 / 12.0, -1.0 / 120.0, 1.0 / 252.0, -1.0 / 240.0, 1.0 / 132.0, -691.0 / 32_760.0, 1.0 / 12.0];
/// `B_2k`, multiplying `x^-(2k+1)` in `psi1(x) = 1/x + 1/(2x^2) + sum`.
const TRIGAMMA_SERIES: [f64; 7] =
    [1.0 / 6.0, -1.0 / 30.0, 1.0 / 42.0, -1.0 / 30.0, 5.0 / 66.0, -691.0 / 2730.0, 7.0 / 6.0];
/// `(2k + 1) B_2k`, multiplying `x^-(2k+2)` in `psi2(x) = -1/x^2 - 1/x^3 - sum`.
const TETRAGAMMA_SERIES: [f64; 7] =
    [1.0 / 2.0, -1.0 / 6.0, 1.0 / 6.0, -3.0 / 10.0, 5.0 / 6.0, -691.0 / 210.0, 35.0 / 2.0];

/// `sum_k c_k x^-(first + step k)`, evaluated by Horner's rule in `x^-step`.
fn series(coefficients: &[f64; 7], x: f64, first: i32) -> f64 {
    let r = 1.0 / (x * x);
    let mut s = 0.0;
    for c in coefficients.iter().rev() {
        s = s * r + c;
    }
    s * x.powi(-first)
}

/// Smallest `n >= 0` with `x + n >= ASYMPTOTIC_FROM` for `x > 0` (at most 10, whatever `x`).
fn shift_needed(x: f64) -> usize {
    if x >= ASYMPTOTIC_FROM {
        0
    } else {
        (ASYMPTOTIC_FROM - x).ceil().min(ASYMPTOTIC_FROM) as usize
    }
}

/// `ln Gamma(x)` for `x > 0`.
pub fn lgamma(x: f64) -> f64 {
    let n = shift_needed(x);
    let mut product = 1.0;
    let mut z = x;
    for _ in 0..n {
        product *= z;
        z += 1.0;
    }
    (z - 0.5) * z.ln() - z + HALF_LN_2PI + series(&LGAMMA_SERIES, z, 1) - product.ln()
}

/// Digamma `psi(x)` for `x > 0`.
pub fn digamma(x: f64) -> f64 {
    let mut acc = 0.0;
    let mut z = x;
    for _ in 0..shift_needed(x) {
        acc -= 1.0 / z;
        z += 1.0;
    }
    acc + z.ln() - 0.5 / z - series(&DIGAMMA_SERIES, z, 2)
}

/// Trigamma `psi1(x)` for `x > 0`.
pub fn trigamma(x: f64) -> f64 {
    let mut acc = 0.0;
    let mut z = x;
    for _ in 0..shift_needed(x) {
        acc += 1.0 / (z * z);
        z += 1.0;
    }
    acc + 1.0 / z + 0.5 / (z * z) + series(&TRIGAMMA_SERIES, z, 3)
}

/// Tetragamma `psi2(x)` for `x > 0`.
pub fn tetragamma(x: f64) -> f64 {
    let mut acc = 0.0;
    let mut z = x;
    for _ in 0..shift_needed(x) {
        acc -= 2.0 / (z * z * z);
        z += 1.0;
    }
    acc - 1.0 / (z * z) - 1.0 / (z * z * z) - series(&TETRAGAMMA_SERIES, z, 4)
}

/// Largest whole `d` for which the differences are summed term by term
/// (`Gamma(x + d) / Gamma(x) = x (x + 1) ... (x + d - 1)`), which is exact and faster.
const SHORT_SUM: f64 = 16.0;

/// Whether `d` is a whole number small enough for the term-by-term sums.
#[inline]
fn short(d: f64) -> bool {
    d <= SHORT_SUM && d.fract() == 0.0
}

/// `lgamma(x + d) - lgamma(x)` for `x > 0`, `d >= 0`.
pub fn lgamma_diff(x: f64, d: f64) -> f64 {
    if d == 0.0 {
        return 0.0;
    }
    if short(d) && x < 1e15 {
        let mut product = 1.0;
        for j in 0..d as usize {
            product *= x + j as f64;
        }
        return product.ln();
    }
    if x < ASYMPTOTIC_FROM {
        return lgamma(x + d) - lgamma(x);
    }
    let xd = x + d;
    (x - 0.5) * (d / x).ln_1p() + d * xd.ln() - d + series(&LGAMMA_SERIES, xd, 1)
        - series(&LGAMMA_SERIES, x, 1)
}

/// `psi(x + d) - psi(x)` for `x > 0`, `d >= 0`.
pub fn digamma_diff(x: f64, d: f64) -> f64 {
    if d == 0.0 {
        return 0.0;
    }
    if short(d) {
        return (0..d as usize).map(|j| 1.0 / (x + j as f64)).sum();
    }
    if x < ASYMPTOTIC_FROM {
        return digamma(x + d) - digamma(x);
    }
    let xd = x + d;
    (d / x).ln_1p() + 0.5 * d / (x * xd) - series(&DIGAMMA_SERIES, xd, 2) + series(&DIGAMMA_SERIES, x, 2)
}

/// `psi1(x + d) - psi1(x)` for `x > 0`, `d >= 0`.
pub fn trigamma_diff(x: f64, d: f64) -> f64 {
    if d == 0.0 {
        return 0.0;
    }
    if short(d) {
        return -(0..d as usize).map(|j| (x + j as f64).powi(-2)).sum::<f64>();
    }
    if x < ASYMPTOTIC_FROM {
        return trigamma(x + d) - trigamma(x);
    }
    let xd = x + d;
    // 1/xd - 1/x and 1/(2 xd^2) - 1/(2 x^2) in cancellation-free form.
    -d / (x * xd) - 0.5 * d * (x + xd) / (x * x * xd * xd) + series(&TRIGAMMA_SERIES, xd, 3)
        - series(&TRIGAMMA_SERIES, x, 3)
}

/// `psi2(x + d) - psi2(x)` for `x > 0`, `d >= 0`.
pub fn tetragamma_diff(x: f64, d: f64) -> f64 {
    if d == 0.0 {
        return 0.0;
    }
    if short(d) {
        return 2.0 * (0..d as usize).map(|j| (x + j as f64).powi(-3)).sum::<f64>();
    }
    if x < ASYMPTOTIC_FROM {
        return tetragamma(x + d) - tetragamma(x);
    }
    let xd = x + d;
    let x2 = x * x;
    let xd2 = xd * xd;
    // -(1/xd^2 - 1/x^2) - (1/xd^3 - 1/x^3) in cancellation-free form.
    let inv_sq = d * (x + xd) / (x2 * xd2);
    let inv_cube = d * (x2 + x * xd + xd2) / (x2 * x * xd2 * xd);
    inv_sq + inv_cube - series(&TETRAGAMMA_SERIES, xd, 4) + series(&TETRAGAMMA_SERIES, x, 4)
}

#[cfg(test)]
mod tests {
    // R's 17-significant-digit output, kept verbatim.
    #![allow(clippy::excessive_precision)]

    use super::*;

    /// Reference values from R 4.x:
    /// `x <- c(1e-3, 0.5, 1, 2.5, 7.3, 10, 12.7, 150, 1e6)`;
    /// `cbind(lgamma(x), digamma(x), trigamma(x), psigamma(x, 2))`.
    const X: [f64; 9] = [1e-3, 0.5, 1.0, 2.5, 7.3, 10.0, 12.7, 150.0, 1e6];
    const LGAMMA: [f64; 9] = [
        6.9071788853838534e+00,
        5.7236494292470008e-01,
        0.0,
        2.8468287047291918e-01,
        7.1478925230222492e+00,
        1.2801827480081469e+01,
        1.9233043179570092e+01,
        6.0000947055532743e+02,
        1.2815504569147611e+07,
    ];
    const DIGAMMA: [f64; 9] = [
        -1000.57557193181037292,
        -1.96351002602142310,
        -0.57721566490153231,
        0.70315664064524341,
        1.91782033563798615,
        2.25175258906672138,
        2.50171556641933757,
        5.00729825707567944,
        13.81551005796418963,
    ];
    const TRIGAMMA: [f64; 9] = [
        1.0000016425331959e+06,
        4.9348022005446790e+00,
        1.6449340668482264e+00,
        4.9035775610023491e-01,
        1.4679576813142711e-01,
        1.0516633568168572e-01,
        8.1921428222648668e-02,
        6.6889382711659970e-03,
        1.0000005000001672e-06,
    ];
    const TETRAGAMMA: [f64; 9] = [
        -2.0000000023976321e+09,
        -1.6828796644234320e+01,
        -2.4041138063191885e+00,
        -2.3620405164172742e-01,
        -2.1510814441620250e-02,
        -1.1049834970802063e-02,
        -6.7073829516632487e-03,
        -4.4741728380430485e-05,
        -1.0000010000005010e-12,
    ];

    fn close(a: f64, b: f64, rel: f64) -> bool {
        // lgamma(1) = 0 exactly, so zero references get an absolute tolerance.
        let tol = if b == 0.0 { 1e-14 } else { rel * b.abs() };
        (a - b).abs() <= tol
    }

    #[test]
    fn matches_r() {
        for i in 0..X.len() {
            assert!(close(lgamma(X[i]), LGAMMA[i], 1e-14), "lgamma({})", X[i]);
            assert!(close(digamma(X[i]), DIGAMMA[i], 1e-14), "digamma({})", X[i]);
            assert!(close(trigamma(X[i]), TRIGAMMA[i], 1e-13), "trigamma({})", X[i]);
            assert!(close(tetragamma(X[i]), TETRAGAMMA[i], 1e-13), "tetragamma({})", X[i]);
        }
    }

    #[test]
    fn short_sums_agree_with_the_general_formulas() {
        for &x in &[1e-3, 0.7, 3.2, 9.9, 10.0, 55.0, 4e7] {
            for d in [1.0, 2.0, 7.0, 16.0] {
                let tol = |v: f64| 1e-12 * v.abs().max(1e-300);
                let general = lgamma(x + d) - lgamma(x);
                let lg = lgamma_diff(x, d);
                assert!(
                    (lg - general).abs() <= 1e-13 * (lgamma(x + d).abs() + lgamma(x).abs()),
                    "lgamma x {x} d {d}"
                );
                if x < 1e7 {
                    let dg = digamma(x + d) - digamma(x);
                    assert!(
                        (digamma_diff(x, d) - dg).abs() <= tol(dg) + 1e-13 * digamma(x).abs(),
                        "digamma x {x} d {d}"
                    );
                    let tg = trigamma(x + d) - trigamma(x);
                    assert!(
                        (trigamma_diff(x, d) - tg).abs() <= tol(tg) + 1e-13 * trigamma(x),
                        "trigamma x {x} d {d}"
                    );
                    let ttg = tetragamma(x + d) - tetragamma(x);
                    assert!(
                        (tetragamma_diff(x, d) - ttg).abs() <= tol(ttg) + 1e-13 * tetragamma(x).abs(),
                        "tetragamma x {x} d {d}"
                    );
                }
            }
        }
    }

    #[test]
    fn differences_agree_with_direct_and_recurrence() {
        // Moderate arguments: the direct difference is accurate.
        for &(x, d) in &[(12.5, 3.0), (40.0, 17.0), (10.0, 0.5), (250.0, 1000.0)] {
            assert!(close(lgamma_diff(x, d), lgamma(x + d) - lgamma(x), 1e-13));
            assert!(close(digamma_diff(x, d), digamma(x + d) - digamma(x), 1e-12));
            assert!(close(trigamma_diff(x, d), trigamma(x + d) - trigamma(x), 1e-10));
            assert!(close(tetragamma_diff(x, d), tetragamma(x + d) - tetragamma(x), 1e-10));
        }
        // Huge argument, integer step: lgamma(x + 3) - lgamma(x) = ln(x (x+1) (x+2)) and
        // psi(x + 3) - psi(x) = 1/x + 1/(x+1) + 1/(x+2), with no cancellation.
        let x: f64 = 3.0e8;
        let exact_lg = x.ln() + (x + 1.0).ln() + (x + 2.0).ln();
        assert!(close(lgamma_diff(x, 3.0), exact_lg, 1e-15));
        let exact_dg = 1.0 / x + 1.0 / (x + 1.0) + 1.0 / (x + 2.0);
        assert!(close(digamma_diff(x, 3.0), exact_dg, 1e-12));
        let exact_tg = -(1.0 / (x * x) + 1.0 / ((x + 1.0) * (x + 1.0)) + 1.0 / ((x + 2.0) * (x + 2.0)));
        assert!(close(trigamma_diff(x, 3.0), exact_tg, 1e-9));
        let exact_ttg = 2.0 * (1.0 / x.powi(3) + 1.0 / (x + 1.0).powi(3) + 1.0 / (x + 2.0).powi(3));
        assert!(close(tetragamma_diff(x, 3.0), exact_ttg, 1e-8));
        // The same with a step beyond the term-by-term range, through the asymptotic series.
        let d = 40.0;
        let terms = |f: &dyn Fn(f64) -> f64| (0..40).map(|j| f(x + j as f64)).sum::<f64>();
        assert!(close(lgamma_diff(x, d), terms(&|v| v.ln()), 1e-14));
        assert!(close(digamma_diff(x, d), terms(&|v| 1.0 / v), 1e-9));
        assert!(close(trigamma_diff(x, d), -terms(&|v| v.powi(-2)), 1e-6));
    }
}
