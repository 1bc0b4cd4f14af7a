//! Where a mixed model's maximisation starts: the fixed effects and dispersion of the model
//! without random effects (its GLM), moment estimates of the random-effect standard deviations
//! and uncorrelated random effects.

use super::likelihood::layout::Layout;
use super::likelihood::params::ParamIndex;
use super::optimise::glm::GlmFit;
use super::sparse::SparseModel;
use super::structure::RandomStructure;

/// The starting `psi` of a mixed model: `beta` and `tau` from the GLM fit, the covariance
/// parameters from [`start_theta`].
pub fn start_psi(layout: &Layout, index: &ParamIndex, glm: &GlmFit) -> Vec<f64> {
    let mut psi = vec![0.0; index.len];
    psi[..index.p].copy_from_slice(&glm.beta);
    if let (Some(t), Some(tau)) = (index.tau, glm.tau) {
        psi[t] = tau;
    }
    start_theta(layout, index, glm, &mut psi);
    psi
}

/// Starting values of the covariance parameters: for an intercept-like (constant) column, a
/// moment estimate of the between-level standard deviation of `ln(observed / expected)` under
/// the GLM (sampling variance removed); for other columns `0.25 / sd(z)`; correlations 0.
fn start_theta(layout: &Layout, index: &ParamIndex, glm: &GlmFit, psi: &mut [f64]) {
    let mu: Vec<f64> = (0..layout.n)
        .map(|i| {
            (layout.offset[i] + layout.x_row(i).iter().zip(&glm.beta).map(|(a, b)| a * b).sum::<f64>()).exp()
        })
        .collect();
    let level_variance = |groups: &mut dyn Iterator<Item = (usize, usize)>| {
        moment_variance(groups.map(|(r0, r1)| {
            let y: f64 = layout.response.y[r0..r1].iter().sum();
            let m: f64 = mu[r0..r1].iter().sum();
            ((y + 0.5) / (m + 0.5), y)
        }))
    };
    let v_outer = level_variance(&mut layout.outer.iter().map(|g| g.rows));
    let v_inner = level_variance(&mut layout.inner.iter().map(|g| g.rows));
    for (k, slot) in layout.slots.iter().enumerate() {
        let (z, dim) = if slot.factor == 0 { (&layout.zo, layout.qa) } else { (&layout.zi, layout.qb) };
        let (start, len) = index.theta[k];
        for c in 0..slot.q {
            let column: Vec<f64> = (0..layout.n).map(|i| z[i * dim + slot.offset + c]).collect();
            let v = if slot.factor == 0 { v_outer } else { (v_inner - v_outer).max(0.0) };
            psi[start + c] = column_start_sd(&column, v).ln();
        }
        for j in slot.q..len {
            psi[start + j] = 0.0;
        }
    }
}

/// The starting `psi` of a model fitted by the sparse evaluator (any grouping factors, nested
/// or crossed): `beta` and `tau` from the GLM fit; for a constant random-effect column, the
/// moment estimate of [`start_theta`] over the levels of its own factor, less that of a factor
/// it is nested in; `0.25 / sd(z)` for other columns; correlations 0.
pub fn start_psi_sparse(
    model: &SparseModel,
    structure: &RandomStructure,
    index: &ParamIndex,
    glm: &GlmFit,
) -> Vec<f64> {
    let mut psi = vec![0.0; index.len];
    psi[..index.p].copy_from_slice(&glm.beta);
    if let (Some(t), Some(tau)) = (index.tau, glm.tau) {
        psi[t] = tau;
    }
    let (y, offset) = (model.y(), model.offset());
    let mu: Vec<f64> = (0..model.n())
        .map(|i| (offset[i] + model.x_row(i).iter().zip(&glm.beta).map(|(a, b)| a * b).sum::<f64>()).exp())
        .collect();
    let terms = model.terms();
    let factor_variance: Vec<f64> = structure
        .factors
        .iter()
        .map(|f| {
            let term = &terms[f.terms[0]];
            let mut sums = vec![(0.0, 0.0, false); term.levels];
            for (i, &l) in term.index.iter().enumerate() {
                sums[l] = (sums[l].0 + y[i], sums[l].1 + mu[i], true);
            }
            let groups = sums.iter().filter(|s| s.2).map(|&(y, m, _)| ((y + 0.5) / (m + 0.5), y));
            moment_variance(groups)
        })
        .collect();
    for (f, factor) in structure.factors.iter().enumerate() {
        let outer = factor.nested_in.iter().map(|&o| factor_variance[o]).fold(0.0, f64::max);
        let v = (factor_variance[f] - outer).max(0.0);
        for &k in &factor.terms {
            let term = &terms[k];
            let (start, len) = index.theta[k];
            for c in 0..term.q {
                let column: Vec<f64> = (0..term.index.len()).map(|i| term.z[i * term.q + c]).collect();
                psi[start + c] = column_start_sd(&column, v).ln();
            }
            for j in term.q..len {
                psi[start + j] = 0.0;
            }
        }
    }
    psi
}

/// The between-level variance of `ln(observed / expected)` over groups given as
/// `(ratio, observed)`, less its sampling variance `mean(1 / (observed + 0.5))`, at least 0.
fn moment_variance(groups: impl Iterator<Item = (f64, f64)>) -> f64 {
    let mut values = Vec::new();
    let mut sampling = 0.0;
    for (ratio, y) in groups {
        values.push(ratio.ln());
        sampling += 1.0 / (y + 0.5);
    }
    let n = values.len().max(1) as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    (var - sampling / n).max(0.0)
}

/// The starting SD of a random-effect column: for a constant column, `sqrt(variance)` within
/// 0.1 to 2, over the column's value; else `0.25 / sd(z)`.
fn column_start_sd(column: &[f64], variance: f64) -> f64 {
    let first = column.first().copied().unwrap_or(1.0);
    if column.iter().all(|&v| v == first) && first != 0.0 {
        return variance.sqrt().clamp(0.1, 2.0) / first.abs();
    }
    let mean = column.iter().sum::<f64>() / column.len().max(1) as f64;
    let sdz = (column.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / column.len().max(1) as f64).sqrt();
    if sdz > 0.0 {
        0.25 / sdz
    } else {
        0.25
    }
}
