//! The vector of outer parameters `psi = (beta, tau, theta_1, ..., theta_K)`: fixed effects,
//! the log dispersion (negative binomial families only) and, per random-effect term, its
//! covariance parameters (see [`super::covariance`]); and the space an optimiser searches for
//! them ([`ParameterSpace`]).

use super::covariance::{parameter_count, TermCovariance};
use super::glm::TAU_BOUNDS;
use super::layout::Layout;
use crate::fit::small;
use crate::fit::sparse::EffectTerm;
use crate::fit::Family;

/// Positions of the parameter groups in `psi`.
#[derive(Clone, Debug)]
pub struct ParamIndex {
    pub p: usize,
    /// Position of `tau`, if the family has a dispersion parameter.
    pub tau: Option<usize>,
    /// Start and length of each term's covariance parameters.
    pub theta: Vec<(usize, usize)>,
    /// Random-effect columns of each term (`q`: its covariance is `q x q`).
    pub columns: Vec<usize>,
    /// Start and length of the zero-inflation coefficients `gamma`, after every other
    /// parameter, if the model has a zero-inflation part.
    pub zi: Option<(usize, usize)>,
    pub len: usize,
}

impl ParamIndex {
    pub fn new(layout: &Layout, family: Family) -> ParamIndex {
        let mut index = ParamIndex::of_columns(layout.p, family, layout.slots.iter().map(|s| s.q).collect());
        if layout.pz > 0 {
            index.zi = Some((index.len, layout.pz));
            index.len += layout.pz;
        }
        index
    }

    /// The positions for `p` fixed effects and unstructured terms of `columns[k]` columns each.
    pub fn of_columns(p: usize, family: Family, columns: Vec<usize>) -> ParamIndex {
        let tau = family.has_dispersion().then_some(p);
        let mut next = p + tau.is_some() as usize;
        let theta = columns
            .iter()
            .map(|&q| {
                let start = next;
                next += parameter_count(q);
                (start, parameter_count(q))
            })
            .collect();
        ParamIndex { p, tau, theta, columns, zi: None, len: next }
    }
}

/// Bound on the zero-inflation coefficients (logit scale): a probability of a structural
/// zero below `e^-40` is none at all.
pub const ZI_BOUND: f64 = 40.0;

/// What an optimiser needs to know of `psi` besides the likelihood: where each parameter sits,
/// the scale of every random-effect column and the bounds of `psi`.
#[derive(Clone, Debug)]
pub struct ParameterSpace {
    pub index: ParamIndex,
    /// Per design term, the root mean square of each random-effect column (1 for a column of
    /// zeros): standard deviations are compared with `1 / scale`, an effect of one unit of the
    /// column's typical size.
    pub scales: Vec<Vec<f64>>,
    /// Bounds of `psi`: `tau` within [`TAU_BOUNDS`], standard deviations between `1e-8` and
    /// `1e4` covariate units, correlation parameters within +-200 (correlations within
    /// +-(1 - 1.3e-5)); fixed effects unbounded.
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
    /// Per design term, whether it is structured (a spatial field): its parameters after the
    /// log SD are its own (a log range), not correlations.
    pub structured: Vec<bool>,
}

impl ParameterSpace {
    pub fn new(layout: &Layout, family: Family) -> ParameterSpace {
        ParameterSpace::with_scales(ParamIndex::new(layout, family), column_scales(layout))
    }

    /// The space of a model with `p` fixed effects and the unstructured random-effect `terms`
    /// of the sparse evaluator (design order, as [`ParamIndex::new`] orders them).
    pub fn of_terms(p: usize, family: Family, terms: &[EffectTerm]) -> ParameterSpace {
        let mut index = ParamIndex::of_columns(p, family, terms.iter().map(|t| t.q).collect());
        // A structured term (a spatial field) has its own parameters: `q` log SDs (one) then
        // the others of its precision model.
        let mut next = p + index.tau.is_some() as usize;
        for (k, t) in terms.iter().enumerate() {
            let len = t.parameter_count();
            index.theta[k] = (next, len);
            next += len;
        }
        index.len = next;
        let scales = terms
            .iter()
            .map(|t| {
                let n = t.index.len();
                (0..t.q).map(|c| rms((0..n).map(|i| t.z[i * t.q + c]), n)).collect()
            })
            .collect();
        ParameterSpace::with_scales(index, scales)
    }

    /// The space with `pz` zero-inflation coefficients after every other parameter.
    pub fn with_zero_inflation(mut self, pz: usize) -> ParameterSpace {
        if pz > 0 {
            self.index.zi = Some((self.index.len, pz));
            self.index.len += pz;
            self.lower.extend(std::iter::repeat(-ZI_BOUND).take(pz));
            self.upper.extend(std::iter::repeat(ZI_BOUND).take(pz));
        }
        self
    }

    fn with_scales(index: ParamIndex, scales: Vec<Vec<f64>>) -> ParameterSpace {
        let mut lower = vec![f64::NEG_INFINITY; index.len];
        let mut upper = vec![f64::INFINITY; index.len];
        if let Some(t) = index.tau {
            lower[t] = TAU_BOUNDS.0;
            upper[t] = TAU_BOUNDS.1;
        }
        if let Some((start, len)) = index.zi {
            for j in start..start + len {
                lower[j] = -ZI_BOUND;
                upper[j] = ZI_BOUND;
            }
        }
        for (k, &(start, len)) in index.theta.iter().enumerate() {
            let q = scales[k].len();
            for j in 0..len {
                if j < q {
                    lower[start + j] = (1e-8 / scales[k][j]).ln();
                    upper[start + j] = (1e4 / scales[k][j]).ln();
                } else {
                    lower[start + j] = -200.0;
                    upper[start + j] = 200.0;
                }
            }
        }
        let structured = vec![false; index.theta.len()];
        ParameterSpace { index, scales, lower, upper, structured }
    }

    /// The covariance of design term `k` at `psi`.
    pub fn term_covariance(&self, k: usize, psi: &[f64]) -> TermCovariance {
        let (start, len) = self.index.theta[k];
        TermCovariance::new(&psi[start..start + len], self.index.columns[k])
    }
}

/// Root mean square of each random-effect column, per design term.
fn column_scales(layout: &Layout) -> Vec<Vec<f64>> {
    layout
        .slots
        .iter()
        .map(|slot| {
            let (z, dim) = if slot.factor == 0 { (&layout.zo, layout.qa) } else { (&layout.zi, layout.qb) };
            (0..slot.q).map(|c| rms((0..layout.n).map(|i| z[i * dim + slot.offset + c]), layout.n)).collect()
        })
        .collect()
}

/// Root mean square of `n` values (1 for a column of zeros).
fn rms(values: impl Iterator<Item = f64>, n: usize) -> f64 {
    let ss: f64 = values.map(|v| v * v).sum();
    let rms = (ss / n.max(1) as f64).sqrt();
    if rms > 0.0 {
        rms
    } else {
        1.0
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
        let dim = f.columns;
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
