//! The one-sample Kolmogorov-Smirnov test of uniformity on `[0, 1]`, with the p-values of R's
//! `ks.test(x, "punif")`.
//!
//! The statistic is `D = max_i max(i / n - u_(i), u_(i) - (i - 1) / n)` over the sorted sample
//! `u_(1) <= ... <= u_(n)`. Its two-sided p-value is `P(D_n >= d)`:
//! - for `n < 100`, exactly, by Marsaglia, Tsang and Wang's (2003) matrix method (R's
//!   `pkolmogorov_two_exact`, used by `ks.test` when `n < 100` and there are no ties);
//! - otherwise from the limiting distribution `P(sqrt(n) D_n <= x) -> K(x)`,
//!   `K(x) = 1 - 2 sum_{k>=1} (-1)^(k-1) exp(-2 k^2 x^2)`
//!   (`= sqrt(2 pi) / x sum_{k>=1} exp(-(2k-1)^2 pi^2 / (8 x^2))` for `x < 1`, which converges faster).

use serde::Serialize;

/// The test's statistic and p-value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct KsTest {
    /// Largest distance between the empirical and the uniform distribution function.
    pub statistic: f64,
    pub p_value: f64,
    /// The p-value is exact (`n < 100`) rather than asymptotic.
    pub exact: bool,
}

/// Below this sample size the p-value is exact, as in R.
const EXACT_BELOW: usize = 100;

/// Tests that `values` (each in `[0, 1]`; at least one) are uniform; `None` for no values.
pub fn ks_uniform(values: &[f64]) -> Option<KsTest> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let nf = n as f64;
    let statistic = sorted
        .iter()
        .enumerate()
        .map(|(i, &u)| ((i + 1) as f64 / nf - u).max(u - i as f64 / nf))
        .fold(0.0, f64::max);
    let exact = n < EXACT_BELOW;
    let p_value = if exact {
        1.0 - kolmogorov_exact(n, statistic)
    } else {
        1.0 - kolmogorov_limit(nf.sqrt() * statistic)
    };
    Some(KsTest { statistic, p_value: p_value.clamp(0.0, 1.0), exact })
}

/// `K(x)`, the limiting distribution function of `sqrt(n) D_n`.
pub fn kolmogorov_limit(x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x < 1.0 {
        let z = -std::f64::consts::PI.powi(2) / (8.0 * x * x);
        let w = x.ln();
        let s: f64 = (1..20).step_by(2).map(|k| (k as f64 * k as f64 * z - w).exp()).sum();
        return (2.0 * std::f64::consts::PI).sqrt() * s;
    }
    let mut s = 0.0;
    let mut sign = 1.0;
    for k in 1..=100 {
        let term = (-2.0 * (k * k) as f64 * x * x).exp();
        s += sign * term;
        sign = -sign;
        if term < 1e-17 {
            break;
        }
    }
    1.0 - 2.0 * s
}

/// `P(D_n < d)` exactly (Marsaglia, Tsang and Wang 2003): with `k = ceil(n d)`, `h = k - n d`
/// and the `m x m` matrix `H` (`m = 2k - 1`) of their paper, `P = n! / n^n (H^n)_{kk}`;
/// powers are taken with a separate decimal exponent so that nothing underflows.
pub fn kolmogorov_exact(n: usize, d: f64) -> f64 {
    let nd = n as f64 * d;
    if d <= 0.0 {
        return 0.0;
    }
    if nd >= n as f64 {
        return 1.0;
    }
    let k = nd as usize + 1;
    let m = 2 * k - 1;
    let h = k as f64 - nd;
    let mut hm = vec![0.0; m * m];
    for i in 0..m {
        for j in 0..m {
            hm[i * m + j] = if i + 1 >= j { 1.0 } else { 0.0 };
        }
    }
    for i in 0..m {
        hm[i * m] -= h.powi(i as i32 + 1);
        hm[(m - 1) * m + i] -= h.powi((m - i) as i32);
    }
    hm[(m - 1) * m] += if 2.0 * h - 1.0 > 0.0 { (2.0 * h - 1.0).powi(m as i32) } else { 0.0 };
    for i in 0..m {
        for j in 0..m {
            if i + 1 > j {
                for g in 1..=(i + 1 - j) {
                    hm[i * m + j] /= g as f64;
                }
            }
        }
    }
    let (q, mut exponent) = matrix_power(&hm, m, n);
    let mut s = q[(k - 1) * m + k - 1];
    for i in 1..=n {
        s = s * i as f64 / n as f64;
        if s < 1e-140 {
            s *= 1e140;
            exponent -= 140;
        }
    }
    s * 10f64.powi(exponent)
}

fn matrix_multiply(a: &[f64], b: &[f64], m: usize) -> Vec<f64> {
    let mut c = vec![0.0; m * m];
    for i in 0..m {
        for l in 0..m {
            let a_il = a[i * m + l];
            if a_il != 0.0 {
                for j in 0..m {
                    c[i * m + j] += a_il * b[l * m + j];
                }
            }
        }
    }
    c
}

/// `A^n` as `(B, e)` with `A^n = B 10^e`, rescaling whenever the middle element grows past 1e140.
fn matrix_power(a: &[f64], m: usize, n: usize) -> (Vec<f64>, i32) {
    if n == 1 {
        return (a.to_vec(), 0);
    }
    let (half, e) = matrix_power(a, m, n / 2);
    let mut b = matrix_multiply(&half, &half, m);
    let mut exponent = 2 * e;
    if n % 2 == 1 {
        b = matrix_multiply(a, &b, m);
    }
    if b[(m / 2) * m + m / 2] > 1e140 {
        b.iter_mut().for_each(|v| *v *= 1e-140);
        exponent += 140;
    }
    (b, exponent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_distribution_known_values() {
        // The 5% and 1% critical values of the Kolmogorov distribution.
        assert!((kolmogorov_limit(1.358099) - 0.95).abs() < 1e-6);
        assert!((kolmogorov_limit(1.627624) - 0.99).abs() < 1e-6);
        // Both series agree where they meet.
        let below = kolmogorov_limit(1.0 - 1e-12);
        let above = kolmogorov_limit(1.0);
        assert!((below - above).abs() < 1e-10, "{below} {above}");
    }

    #[test]
    fn exact_distribution_small_cases() {
        // n = 1: D = max(u, 1 - u), P(D < d) = 2d - 1 for d in [1/2, 1].
        assert!((kolmogorov_exact(1, 0.7) - 0.4).abs() < 1e-12);
        // Marsaglia, Tsang and Wang's example: n = 10, d = 0.274 gives 0.6284796154565043.
        assert!((kolmogorov_exact(10, 0.274) - 0.6284796154565043).abs() < 1e-12);
    }
}
