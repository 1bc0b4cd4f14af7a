//! The vector of outer parameters `psi = (beta, tau, theta_1, ..., theta_K)`: fixed effects,
//! the log dispersion (negative binomial families only) and, per random-effect term, its
//! covariance parameters (see [`super::covariance`]).

use super::covariance::{parameter_count, TermCovariance};
use super::layout::Layout;
use crate::fit::small;
use crate::fit::Family;

/// Positions of the parameter groups in `psi`.
#[derive(Clone, Debug)]
pub struct ParamIndex {
    pub p: usize,
    /// Position of `tau`, if the family has a dispersion parameter.
    pub tau: Option<usize>,
    /// Start and length of each term's covariance parameters.
    pub theta: Vec<(usize, usize)>,
    pub len: usize,
}

impl ParamIndex {
    pub fn new(layout: &Layout, family: Family) -> ParamIndex {
        let p = layout.p;
        let tau = (family != Family::Poisson).then_some(p);
        let mut next = p + tau.is_some() as usize;
        let theta = layout
            .slots
            .iter()
            .map(|s| {
                let start = next;
                next += parameter_count(s.q);
                (start, parameter_count(s.q))
            })
            .collect();
        ParamIndex { p, tau, theta, len: next }
    }
}

/// One term's covariance with its inverse, inside its factor's block.
#[derive(Clone, Debug)]
pub struct TermBlock {
    pub offset: usize,
    pub cov: TermCovariance,
    pub sigma_inv: Vec<f64>,
}

/// The block-diagonal covariance of one grouping factor's stacked random effects.
#[derive(Clone, Debug)]
pub struct FactorCovariance {
    pub dim: usize,
    pub sigma: Vec<f64>,
    pub sigma_inv: Vec<f64>,
    pub logdet: f64,
    pub terms: Vec<(usize, TermBlock)>,
}

/// Builds every factor's covariance from `psi`; `None` if a matrix is not positive definite.
pub fn factor_covariances(layout: &Layout, index: &ParamIndex, psi: &[f64]) -> Option<Vec<FactorCovariance>> {
    let mut out = Vec::with_capacity(layout.factors.len());
    for f in &layout.factors {
        let dim = f.dim;
        let mut sigma = vec![0.0; dim * dim];
        let mut sigma_inv = vec![0.0; dim * dim];
        let mut logdet = 0.0;
        let mut terms = Vec::with_capacity(f.terms.len());
        for &k in &f.terms {
            let slot = layout.slots[k];
            let (start, len) = index.theta[k];
            let cov = TermCovariance::new(&psi[start..start + len], slot.q);
            let q = slot.q;
            let mut l = cov.sigma.clone();
            if !small::cholesky(&mut l, q) {
                return None;
            }
            logdet += small::cholesky_logdet(&l, q);
            let mut inv = vec![0.0; q * q];
            small::cholesky_inverse(&l, q, &mut inv);
            if inv.iter().any(|v| !v.is_finite()) {
                return None;
            }
            for a in 0..q {
                for b in 0..q {
                    sigma[(slot.offset + a) * dim + slot.offset + b] = cov.sigma[a * q + b];
                    sigma_inv[(slot.offset + a) * dim + slot.offset + b] = inv[a * q + b];
                }
            }
            terms.push((k, TermBlock { offset: slot.offset, cov, sigma_inv: inv }));
        }
        out.push(FactorCovariance { dim, sigma, sigma_inv, logdet, terms });
    }
    Some(out)
}
