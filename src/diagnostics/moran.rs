//! Moran's I of values at points, with row-standardised `k`-nearest-neighbour weights, and its
//! p-value under randomisation, computed as `ape::Moran.I` computes them for the same weight
//! matrix.
//!
//! With weights `w_ij` (`w_ij = 1 / k` when `j` is one of the `k` nearest neighbours of `i`, else
//! 0), `z_i = x_i - mean(x)`, `S0 = sum_ij w_ij`, `n` values:
//!
//! - `I = n / S0 * sum_ij w_ij z_i z_j / sum_i z_i^2`, expected `E(I) = -1 / (n - 1)`;
//! - `S1 = 1/2 sum_ij (w_ij + w_ji)^2`, `S2 = sum_i (w_i. + w_.i)^2`, kurtosis
//!   `b2 = n sum z^4 / (sum z^2)^2`;
//! - `Var(I) = [n ((n^2 - 3n + 3) S1 - n S2 + 3 S0^2) - b2 (n (n - 1) S1 - 2n S2 + 6 S0^2)]
//!   / ((n - 1)(n - 2)(n - 3) S0^2) - E(I)^2` (Cliff and Ord 1981, randomisation);
//! - two-sided p-value from the normal approximation of `(I - E(I)) / sd(I)`.

use super::neighbours::nearest_neighbours;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

/// Moran's I and its test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MoranTest {
    pub observed: f64,
    pub expected: f64,
    pub sd: f64,
    pub p_value: f64,
    /// Neighbours per point in the weights.
    pub neighbours: usize,
    /// Number of points.
    pub n: usize,
}

/// Neighbours per point of the weights used for residuals: 8, as is common for areal units.
pub const DEFAULT_NEIGHBOURS: usize = 8;

/// Moran's I of `values` at the points `(x_i, y_i)` with row-standardised weights on the `k`
/// nearest neighbours; `None` for fewer than 4 points (the variance needs `n > 3`) or values
/// that do not vary.
pub fn moran_knn(x: &[f64], y: &[f64], values: &[f64], k: usize) -> Option<MoranTest> {
    let neighbours = nearest_neighbours(x, y, k);
    moran(&neighbours, values)
}

/// Moran's I with row-standardised weights `w_ij = 1 / |N_i|` for `j` in `neighbours[i]`.
pub fn moran(neighbours: &[Vec<usize>], values: &[f64]) -> Option<MoranTest> {
    let n = values.len();
    if n < 4 || neighbours.len() != n {
        return None;
    }
    let nf = n as f64;
    let mean = values.iter().sum::<f64>() / nf;
    let z: Vec<f64> = values.iter().map(|v| v - mean).collect();
    let v: f64 = z.iter().map(|a| a * a).sum();
    if v.is_nan() || v <= 0.0 {
        return None;
    }
    let weight = |i: usize| if neighbours[i].is_empty() { 0.0 } else { 1.0 / neighbours[i].len() as f64 };
    let mut s0 = 0.0;
    let mut cross = 0.0;
    let mut s1 = 0.0;
    let mut column_sums = vec![0.0; n];
    for i in 0..n {
        let wi = weight(i);
        for &j in &neighbours[i] {
            s0 += wi;
            cross += wi * z[i] * z[j];
            column_sums[j] += wi;
            // (w_ij + w_ji)^2 summed over ordered pairs = sum w_ij^2 + sum w_ij w_ji, doubled.
            let wji = if neighbours[j].contains(&i) { weight(j) } else { 0.0 };
            s1 += wi * wi + wi * wji;
        }
    }
    let s2: f64 = (0..n).map(|i| (weight(i) * neighbours[i].len() as f64 + column_sums[i]).powi(2)).sum();
    let observed = nf / s0 * cross / v;
    let expected = -1.0 / (nf - 1.0);
    let b2 = nf * z.iter().map(|a| a.powi(4)).sum::<f64>() / (v * v);
    let s0_sq = s0 * s0;
    let variance = (nf * ((nf * nf - 3.0 * nf + 3.0) * s1 - nf * s2 + 3.0 * s0_sq)
        - b2 * (nf * (nf - 1.0) * s1 - 2.0 * nf * s2 + 6.0 * s0_sq))
        / ((nf - 1.0) * (nf - 2.0) * (nf - 3.0) * s0_sq)
        - expected * expected;
    let sd = variance.max(0.0).sqrt();
    let normal = Normal::new(expected, sd).ok()?;
    let lower = normal.cdf(observed);
    let p_value = if observed <= expected { 2.0 * lower } else { 2.0 * (1.0 - lower) };
    Some(MoranTest { observed, expected, sd, p_value: p_value.min(1.0), neighbours: k_of(neighbours), n })
}

fn k_of(neighbours: &[Vec<usize>]) -> usize {
    neighbours.iter().map(Vec::len).max().unwrap_or(0)
}
