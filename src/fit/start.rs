//! Where a mixed model's maximisation starts: the fixed effects and dispersion of the model
//! without random effects (its GLM), moment estimates of the random-effect standard deviations
//! and uncorrelated random effects.

use super::likelihood::layout::Layout;
use super::likelihood::params::ParamIndex;
use super::optimise::glm::GlmFit;

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
        let mut values = Vec::new();
        let mut sampling = 0.0;
        for (r0, r1) in groups {
            let y: f64 = layout.response.y[r0..r1].iter().sum();
            let m: f64 = mu[r0..r1].iter().sum();
            values.push(((y + 0.5) / (m + 0.5)).ln());
            sampling += 1.0 / (y + 0.5);
        }
        let n = values.len().max(1) as f64;
        let mean = values.iter().sum::<f64>() / n;
        let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
        (var - sampling / n).max(0.0)
    };
    let v_outer = level_variance(&mut layout.outer.iter().map(|g| g.rows));
    let v_inner = level_variance(&mut layout.inner.iter().map(|g| g.rows));
    for (k, slot) in layout.slots.iter().enumerate() {
        let (z, dim) = if slot.factor == 0 { (&layout.zo, layout.qa) } else { (&layout.zi, layout.qb) };
        let (start, len) = index.theta[k];
        for c in 0..slot.q {
            let column: Vec<f64> = (0..layout.n).map(|i| z[i * dim + slot.offset + c]).collect();
            let first = column.first().copied().unwrap_or(1.0);
            let constant = column.iter().all(|&v| v == first) && first != 0.0;
            let sd = if constant {
                let v = if slot.factor == 0 { v_outer } else { (v_inner - v_outer).max(0.0) };
                v.sqrt().clamp(0.1, 2.0) / first.abs()
            } else {
                let mean = column.iter().sum::<f64>() / column.len() as f64;
                let sdz =
                    (column.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / column.len() as f64).sqrt();
                if sdz > 0.0 {
                    0.25 / sdz
                } else {
                    0.25
                }
            };
            psi[start + c] = sd.ln();
        }
        for j in slot.q..len {
            psi[start + j] = 0.0;
        }
    }
}
