//! Conditional variances of the random effects at the estimates, as TMB's `sdreport` gives them
//! to glmmTMB's `ranef(condVar = TRUE)`.
//!
//! Given the outer parameters `psi`, the random effects are approximately normal around their
//! mode `b^(psi)` with covariance `H^-1`, the inverse of the Hessian of `-h` in `b` (see
//! [`super::laplace`]). The parameters are themselves estimated, with covariance `V`, and the
//! mode moves with them, `J = db^/dpsi`; to first order the joint covariance of `(psi, b)` is
//!
//! `[[V, V J'], [J V, H^-1 + J V J']]`,
//!
//! the inverse of TMB's joint precision. So the conditional variance of random effect `r` is
//! `(H^-1)_rr + J_r V J_r'` and its covariance with the fixed effects is `(J V)_r,beta`.
//! Within outer level `o`, `(H^-1)_outer = S^-1` and, for inner level `j`,
//! `(H^-1)_jj = D_j^-1 + E_j S^-1 E_j'` (Schur complement `S`, `E_j = D_j^-1 B_j`).
//! Parameters held at a boundary have no variance in `V` (NaN there) and count as known.

use super::laplace::Laplace;
use super::layout::Layout;
use crate::fit::small;

/// Conditional variances of the random effects of one grouping factor, per level with rows.
#[derive(Clone, Debug, Default)]
pub struct FactorConditional {
    /// `levels with rows x dim`: `(H^-1)_rr + J_r V J_r'`.
    pub variance: Vec<f64>,
    /// `levels with rows x dim x p`: covariance of each random effect with each fixed effect.
    pub cov_fixed: Vec<f64>,
}

/// `J_r V` for one row of `J` (length `len`), with NaN entries of `V` taken as zero.
pub(crate) fn row_times(j_row: &[f64], cov: &[f64], len: usize, out: &mut [f64]) {
    for (c, o) in out.iter_mut().enumerate() {
        *o = (0..len)
            .map(|k| {
                let v = cov[k * len + c];
                if v.is_finite() {
                    j_row[k] * v
                } else {
                    0.0
                }
            })
            .sum();
    }
}

impl Laplace {
    /// Conditional variances of the outer and inner factors' random effects after an
    /// evaluation at the estimates, with `cov` the covariance of `psi` (`len x len`, row-major).
    pub fn conditional_variances(&self, cov: &[f64]) -> [FactorConditional; 2] {
        let lay: &Layout = &self.layout;
        let (qa, qb, p) = (lay.qa, lay.qb, lay.p);
        let len = self.index.len;
        let mut outer = FactorConditional {
            variance: vec![0.0; lay.outer.len() * qa],
            cov_fixed: vec![0.0; lay.outer.len() * qa * p],
        };
        let mut inner = FactorConditional {
            variance: vec![0.0; lay.inner.len() * qb],
            cov_fixed: vec![0.0; lay.inner.len() * qb * p],
        };
        let mut s_inv = vec![0.0; qa * qa];
        let mut d_inv = vec![0.0; qb * qb];
        let mut jv = vec![0.0; len];
        // Adds J_r V J_r' to the variance and stores (J V)_r,beta.
        let mut propagate = |j_row: &[f64], variance: &mut f64, cov_fixed: &mut [f64]| {
            row_times(j_row, cov, len, &mut jv);
            *variance += jv.iter().zip(j_row).map(|(a, b)| a * b).sum::<f64>();
            cov_fixed.copy_from_slice(&jv[..p]);
        };
        for (o, group) in lay.outer.iter().enumerate() {
            small::cholesky_inverse(&self.s_chol[o * qa * qa..(o + 1) * qa * qa], qa, &mut s_inv);
            for a in 0..qa {
                let r = o * qa + a;
                outer.variance[r] = s_inv[a * qa + a].max(0.0);
                propagate(
                    &self.jo[r * len..(r + 1) * len],
                    &mut outer.variance[r],
                    &mut outer.cov_fixed[r * p..(r + 1) * p],
                );
            }
            for j in group.inner.0..group.inner.1 {
                let e = &self.e_mat[j * qb * qa..(j + 1) * qb * qa];
                small::cholesky_inverse(&self.d_chol[j * qb * qb..(j + 1) * qb * qb], qb, &mut d_inv);
                for a in 0..qb {
                    let ea = &e[a * qa..(a + 1) * qa];
                    let r = j * qb + a;
                    inner.variance[r] = (d_inv[a * qb + a] + small::bilinear(&s_inv, qa, ea, ea)).max(0.0);
                    propagate(
                        &self.ji[r * len..(r + 1) * len],
                        &mut inner.variance[r],
                        &mut inner.cov_fixed[r * p..(r + 1) * p],
                    );
                }
            }
        }
        [outer, inner]
    }
}
