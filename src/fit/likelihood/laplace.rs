//! The Laplace approximation of the marginal log-likelihood and its exact gradient.
//!
//! For outer parameters `psi`, the log joint density of the data and the random effects `b` is
//!
//! `h(b) = sum_i l_i(eta_i) - 1/2 sum_levels (b' Sigma^-1 b + ln|2 pi Sigma|)`.
//!
//! Its mode `b^` is found per outer level by Newton's method with step halving, and
//!
//! `LA(psi) = h(b^) - 1/2 ln|H| + (q_total / 2) ln(2 pi)`, `H = Z' W Z + Sigma^-1`,
//! `W = diag(-d2 l_i / d eta_i^2)`,
//!
//! which simplifies to `sum_i l_i - 1/2 sum b'Sigma^-1 b - (N/2) ln|Sigma| - 1/2 ln|H|`.
//!
//! The gradient follows from the implicit function theorem (`db^/dpsi = H^-1 d2h/db dpsi`):
//! `dLA/dpsi = dh/dpsi - 1/2 tr(H^-1 dH/dpsi)`, with `dH/dpsi` including the change of `W`
//! through `b^`. With `s_i = z_i' H^-1 z_i`, `w'_i = dW_i/d eta_i`, `a = sum_i s_i w'_i z_i`
//! and `v = H^-1 a`:
//!
//! - `dLA/dbeta = X' c`, `c_i = l'_i - 1/2 s_i w'_i + 1/2 W_i z_i'v`;
//! - `dLA/dtau = sum_i (dl_i/dtau + 1/2 s_i d3l_i/deta2 dtau - 1/2 (d2l_i/deta dtau) z_i'v)`;
//! - for a covariance parameter of a factor with `N` levels,
//!   `dLA/dtheta = 1/2 tr(Sigma^-1 dSigma/dtheta Sigma^-1 (M - N Sigma))`,
//!   `M = sum_levels (b b' + (H^-1)_level - sym(v b'))`.
//!
//! The mode iterations end at the first Newton step of decrement `g'u < 1e-14` (`u = H^-1 g`),
//! which is not taken: its first-order effect is added to the value (`1/2 g'u - 1/2 a'u`) and
//! to the gradient (`v` replaced by `v - 2u`), which leaves an error of second order in `u`
//! and saves a pass over the rows. A zero-inflated model takes that step too and corrects for
//! the (far smaller) one after it, as adaptive quadrature does: without it, the Hessian at the
//! estimates of small zero-inflated designs, from differences of the gradient, can lose its
//! positive definiteness. Each evaluation also stores `db^/dpsi`, so that the next one
//! starts from the extrapolated modes: usually its first assembly finds them converged.
//!
//! `H` is block diagonal over outer levels; within an outer level it is block-arrow shaped
//! (outer block `A`, inner blocks `D_j`, couplings `B_j`), handled through the Schur
//! complement `S = A - sum_j B_j' D_j^-1 B_j`: `ln|H| = ln|S| + sum_j ln|D_j|`.

use super::family::{EtaDerivatives, Kernel, ModeTerms, ZetaDerivatives};
use super::layout::Layout;
use super::newton::backtrack;
use super::params::{factor_covariances, FactorCovariance, ParamIndex};
use crate::fit::small;
use crate::fit::Family;
use std::sync::Arc;

/// Newton iterations allowed for one level's mode.
const MAX_MODE_ITERATIONS: usize = 200;
/// The mode is accepted once the Newton decrement `g' H^-1 g` falls below this value.
const MODE_DECREMENT_TOL: f64 = 1e-14;

/// The row blocks of outer level `o`: the whole level when there is no inner factor, else one
/// block per inner level.
pub fn segments(lay: &Layout, o: usize) -> impl Iterator<Item = (Option<usize>, (usize, usize))> + '_ {
    let group = &lay.outer[o];
    let whole = (lay.qb == 0).then_some((None, group.rows));
    whole.into_iter().chain((group.inner.0..group.inner.1).map(move |j| (Some(j), lay.inner[j].rows)))
}

/// The derivatives of sorted row `i` at `eta` from its [`ModeTerms`] there; with `ZI` (a
/// zero-inflated model) also those in its zero-inflation predictor, stored in `zeta_derivs`.
#[inline(always)]
fn row_derivatives<const ZI: bool>(
    kernel: &Kernel,
    lay: &Layout,
    i: usize,
    eta: f64,
    terms: &ModeTerms,
    zeta_derivs: &mut [ZetaDerivatives],
) -> EtaDerivatives {
    if ZI {
        let (d, z) = kernel.zero_inflated(&lay.response, i, eta);
        zeta_derivs[i] = z;
        d
    } else {
        kernel.complete_count(&lay.response, i, eta, terms)
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The linear predictor of sorted row `i`: `eta_fix + z_o' b_o + z_i' b_i`, with `bo` the
/// modes of its outer level and, in inner segment `j`, those of that inner level (in `bi`).
#[inline]
fn linear_predictor(lay: &Layout, i: usize, eta_fix: f64, bo: &[f64], j: Option<usize>, bi: &[f64]) -> f64 {
    let (qa, qb) = (lay.qa, lay.qb);
    let mut eta = eta_fix + dot(&lay.zo[i * qa..(i + 1) * qa], bo);
    if let Some(j) = j {
        eta += dot(&lay.zi[i * qb..(i + 1) * qb], &bi[j * qb..(j + 1) * qb]);
    }
    eta
}

/// `Sigma_k^-1 dSigma_k/dtheta Sigma_k^-1` for one covariance parameter, with where it acts.
#[derive(Clone, Debug)]
struct ThetaDerivative {
    factor: usize,
    offset: usize,
    q: usize,
    /// Position in `psi`.
    column: usize,
    matrix: Vec<f64>,
}

/// Laplace-approximation evaluator; keeps the random-effect modes between evaluations.
#[derive(Clone, Debug)]
pub struct Laplace {
    /// The data, shared with the model's other likelihoods (the GLM that starts the fit).
    pub layout: Arc<Layout>,
    pub family: Family,
    pub index: ParamIndex,
    /// Outer-factor modes, `outer levels x qa`.
    pub bo: Vec<f64>,
    /// Inner-factor modes, `inner levels x qb`.
    pub bi: Vec<f64>,
    /// Linear predictor per sorted row at the modes of the last evaluation.
    pub eta: Vec<f64>,
    eta_fix: Vec<f64>,
    terms: Vec<ModeTerms>,
    derivs: Vec<EtaDerivatives>,
    /// Zero-inflated models only (empty otherwise): every row's derivatives in its
    /// zero-inflation predictor.
    zeta_derivs: Vec<ZetaDerivatives>,
    s: Vec<f64>,
    /// Cholesky factors of the Schur complements `S`, per outer level.
    pub(super) s_chol: Vec<f64>,
    /// Cholesky factors of the inner blocks `D_j`.
    pub(super) d_chol: Vec<f64>,
    /// `E_j = D_j^-1 B_j` (`qb x qa`).
    pub(super) e_mat: Vec<f64>,
    /// Gradient of `h` at the current modes.
    go: Vec<f64>,
    gi: Vec<f64>,
    /// Newton step `H^-1 g` at the current modes.
    uo: Vec<f64>,
    ui: Vec<f64>,
    old_o: Vec<f64>,
    old_i: Vec<f64>,
    /// `db^/dpsi`, row-major per mode component: `(outer levels x qa) x len`.
    pub(super) jo: Vec<f64>,
    /// `(inner levels x qb) x len`.
    pub(super) ji: Vec<f64>,
    /// `psi` of the last successful evaluation, for which `jo`, `ji` hold.
    last_psi: Option<Vec<f64>>,
    theta_derivatives: Vec<ThetaDerivative>,
    scratch: Vec<f64>,
    /// Covariances of the last evaluation.
    pub covariances: Vec<FactorCovariance>,
}

impl super::LogLikelihood for Laplace {
    fn loglik(&mut self, psi: &[f64], grad: &mut [f64]) -> Option<f64> {
        self.evaluate(psi, grad)
    }

    fn fixed_information(&self) -> Option<nalgebra::DMatrix<f64>> {
        self.last_psi.as_ref().map(|_| self.fixed_effect_information())
    }
}

impl Laplace {
    pub fn new(layout: Arc<Layout>, family: Family) -> Laplace {
        let (qa, qb) = (layout.qa, layout.qb);
        let no = layout.outer.len();
        let ni = layout.inner.len();
        let n = layout.n;
        let index = ParamIndex::new(&layout, family);
        let zeta_rows = if index.zi.is_some() { n } else { 0 };
        let len = index.len;
        Laplace {
            layout,
            family,
            index,
            bo: vec![0.0; no * qa],
            bi: vec![0.0; ni * qb],
            eta: vec![0.0; n],
            eta_fix: vec![0.0; n],
            terms: vec![ModeTerms::default(); n],
            derivs: vec![EtaDerivatives::default(); n],
            zeta_derivs: vec![ZetaDerivatives::default(); zeta_rows],
            s: vec![0.0; n],
            s_chol: vec![0.0; no * qa * qa],
            d_chol: vec![0.0; ni * qb * qb],
            e_mat: vec![0.0; ni * qb * qa],
            go: vec![0.0; no * qa],
            gi: vec![0.0; ni * qb],
            uo: vec![0.0; no * qa],
            ui: vec![0.0; ni * qb],
            old_o: vec![0.0; qa],
            old_i: vec![0.0; ni * qb],
            jo: vec![0.0; no * qa * len],
            ji: vec![0.0; ni * qb * len],
            last_psi: None,
            theta_derivatives: Vec::new(),
            scratch: vec![0.0; qa * qa + qb * qa + qb],
            covariances: Vec::new(),
        }
    }

    /// Builds the gradient of `h` and the factorised Hessian blocks of outer level `o` at the
    /// current modes (observed or Fisher weights), storing every row's [`ModeTerms`]. Returns
    /// `h` up to `eta`-free constants, or `None` if it is not finite or a block is not
    /// positive definite.
    fn assemble(&mut self, o: usize, kernel: &Kernel, fisher: bool) -> Option<f64> {
        if kernel.is_zero_inflated() {
            self.assemble_rows::<true>(o, kernel, fisher)
        } else {
            self.assemble_rows::<false>(o, kernel, fisher)
        }
    }

    /// [`Laplace::assemble`] for a model with (`ZI`) or without zero inflation, so that a model
    /// without does no zero-inflation work per row.
    fn assemble_rows<const ZI: bool>(&mut self, o: usize, kernel: &Kernel, fisher: bool) -> Option<f64> {
        let layout = Arc::clone(&self.layout);
        let lay: &Layout = &layout;
        let (qa, qb) = (lay.qa, lay.qb);
        let cov_a = &self.covariances[0];
        let (sa, rest) = self.scratch.split_at_mut(qa * qa);
        let (bmat, rest) = rest.split_at_mut(qb * qa);
        let col = &mut rest[..qb];
        let bo = &self.bo[o * qa..(o + 1) * qa];
        let go = &mut self.go[o * qa..(o + 1) * qa];
        // A = Sigma_a^-1, g_o = -Sigma_a^-1 b_o, h = -1/2 b_o' Sigma_a^-1 b_o.
        sa.copy_from_slice(&cov_a.sigma_inv);
        let mut h = 0.0;
        for r in 0..qa {
            let v = dot(&cov_a.sigma_inv[r * qa..(r + 1) * qa], bo);
            go[r] = -v;
            h -= 0.5 * bo[r] * v;
        }
        for (j, (r0, r1)) in segments(lay, o) {
            if let Some(j) = j {
                let cov_b = &self.covariances[1];
                self.d_chol[j * qb * qb..(j + 1) * qb * qb].copy_from_slice(&cov_b.sigma_inv);
                bmat.iter_mut().for_each(|v| *v = 0.0);
                let bj = &self.bi[j * qb..(j + 1) * qb];
                for r in 0..qb {
                    let v = dot(&cov_b.sigma_inv[r * qb..(r + 1) * qb], bj);
                    self.gi[j * qb + r] = -v;
                    h -= 0.5 * bj[r] * v;
                }
            }
            for i in r0..r1 {
                let zo = &lay.zo[i * qa..(i + 1) * qa];
                let eta = linear_predictor(lay, i, self.eta_fix[i], bo, j, &self.bi);
                let t = if ZI {
                    kernel.mode_row(&lay.response, i, eta)
                } else {
                    kernel.mode(&lay.response, i, eta)
                };
                self.terms[i] = t;
                self.eta[i] = eta;
                let w = if fisher { t.fisher } else { t.w };
                h += t.l;
                for r in 0..qa {
                    go[r] += t.d1 * zo[r];
                }
                small::add_outer_lower(sa, qa, w, zo);
                if let Some(j) = j {
                    let zi = &lay.zi[i * qb..(i + 1) * qb];
                    for r in 0..qb {
                        self.gi[j * qb + r] += t.d1 * zi[r];
                        let wz = w * zi[r];
                        for c in 0..qa {
                            bmat[r * qa + c] += wz * zo[c];
                        }
                    }
                    small::add_outer_lower(&mut self.d_chol[j * qb * qb..(j + 1) * qb * qb], qb, w, zi);
                }
            }
            if let Some(j) = j {
                let d = &mut self.d_chol[j * qb * qb..(j + 1) * qb * qb];
                if !small::cholesky(d, qb) {
                    return None;
                }
                // E_j = D_j^-1 B_j, column by column; S -= B_j' E_j (lower triangle).
                let e = &mut self.e_mat[j * qb * qa..(j + 1) * qb * qa];
                for c in 0..qa {
                    for r in 0..qb {
                        col[r] = bmat[r * qa + c];
                    }
                    small::cholesky_solve(d, qb, col);
                    for r in 0..qb {
                        e[r * qa + c] = col[r];
                    }
                }
                for c1 in 0..qa {
                    for c2 in 0..=c1 {
                        let mut v = 0.0;
                        for r in 0..qb {
                            v += bmat[r * qa + c1] * e[r * qa + c2];
                        }
                        sa[c1 * qa + c2] -= v;
                    }
                }
            }
        }
        if !small::cholesky(sa, qa) {
            return None;
        }
        self.s_chol[o * qa * qa..(o + 1) * qa * qa].copy_from_slice(sa);
        h.is_finite().then_some(h)
    }

    /// Assembles with observed weights, falling back to Fisher weights where the observed
    /// information is not positive definite (possible for NB1). Returns `h` and whether the
    /// observed information was used.
    fn assemble_for_newton(&mut self, o: usize, kernel: &Kernel) -> Option<(f64, bool)> {
        match self.assemble(o, kernel, false) {
            Some(h) => Some((h, true)),
            None if self.family == Family::Nbinom1 || self.index.zi.is_some() => {
                self.assemble(o, kernel, true).map(|h| (h, false))
            }
            None => None,
        }
    }

    /// Solves `H x = r` for outer level `o` in place: `ro` (length `qa`) and the inner parts of
    /// `ri` (indexed globally by inner level), with the factors of the last assembly.
    fn arrow_solve(&self, o: usize, ro: &mut [f64], ri: &mut [f64]) {
        let layout = Arc::clone(&self.layout);
        let lay: &Layout = &layout;
        let (qa, qb) = (lay.qa, lay.qb);
        let group = &lay.outer[o];
        for j in group.inner.0..group.inner.1 {
            let e = &self.e_mat[j * qb * qa..(j + 1) * qb * qa];
            let rj = &ri[j * qb..(j + 1) * qb];
            for c in 0..qa {
                let mut v = 0.0;
                for r in 0..qb {
                    v += e[r * qa + c] * rj[r];
                }
                ro[c] -= v;
            }
        }
        small::cholesky_solve(&self.s_chol[o * qa * qa..(o + 1) * qa * qa], qa, ro);
        for j in group.inner.0..group.inner.1 {
            let e = &self.e_mat[j * qb * qa..(j + 1) * qb * qa];
            let rj = &mut ri[j * qb..(j + 1) * qb];
            small::cholesky_solve(&self.d_chol[j * qb * qb..(j + 1) * qb * qb], qb, rj);
            for r in 0..qb {
                rj[r] -= dot(&e[r * qa..(r + 1) * qa], ro);
            }
        }
    }

    /// Newton step `u = H^-1 g` of level `o` into `uo`, `ui`; returns the decrement `g'u`.
    fn newton_step(&mut self, o: usize) -> f64 {
        let layout = Arc::clone(&self.layout);
        let lay: &Layout = &layout;
        let (qa, qb) = (lay.qa, lay.qb);
        let (i0, i1) = lay.outer[o].inner;
        let mut uo = std::mem::take(&mut self.uo);
        let mut ui = std::mem::take(&mut self.ui);
        uo[o * qa..(o + 1) * qa].copy_from_slice(&self.go[o * qa..(o + 1) * qa]);
        ui[i0 * qb..i1 * qb].copy_from_slice(&self.gi[i0 * qb..i1 * qb]);
        self.arrow_solve(o, &mut uo[o * qa..(o + 1) * qa], &mut ui);
        let decrement = dot(&uo[o * qa..(o + 1) * qa], &self.go[o * qa..(o + 1) * qa])
            + dot(&ui[i0 * qb..i1 * qb], &self.gi[i0 * qb..i1 * qb]);
        self.uo = uo;
        self.ui = ui;
        decrement
    }

    /// Sets the modes of level `o` to `old + t u`.
    fn apply_step(&mut self, o: usize, t: f64) {
        let layout = Arc::clone(&self.layout);
        let lay: &Layout = &layout;
        let (qa, qb) = (lay.qa, lay.qb);
        let (i0, i1) = lay.outer[o].inner;
        for r in 0..qa {
            self.bo[o * qa + r] = self.old_o[r] + t * self.uo[o * qa + r];
        }
        for k in i0 * qb..i1 * qb {
            self.bi[k] = self.old_i[k] + t * self.ui[k];
        }
    }

    fn save_modes(&mut self, o: usize) {
        let layout = Arc::clone(&self.layout);
        let lay: &Layout = &layout;
        let (qa, qb) = (lay.qa, lay.qb);
        let (i0, i1) = lay.outer[o].inner;
        self.old_o.copy_from_slice(&self.bo[o * qa..(o + 1) * qa]);
        self.old_i[i0 * qb..i1 * qb].copy_from_slice(&self.bi[i0 * qb..i1 * qb]);
    }

    fn zero_modes(&mut self, o: usize) {
        let layout = Arc::clone(&self.layout);
        let lay: &Layout = &layout;
        let (qa, qb) = (lay.qa, lay.qb);
        let (i0, i1) = lay.outer[o].inner;
        self.bo[o * qa..(o + 1) * qa].iter_mut().for_each(|v| *v = 0.0);
        self.bi[i0 * qb..i1 * qb].iter_mut().for_each(|v| *v = 0.0);
    }

    /// Moves the modes of outer level `o` to the maximum of `h`: Newton steps with step
    /// halving until the decrement `g'H^-1 g` is below [`MODE_DECREMENT_TOL`]. With `polish`,
    /// that last step is taken too, with the level reassembled there (for adaptive quadrature,
    /// which uses the modes as they are); without, it is left for the caller's first-order
    /// correction, which costs no pass over the rows. Leaves the observed factorisation at the
    /// final modes and the remaining Newton step in `uo`, `ui`; returns `h` (up to constants)
    /// and the remaining decrement.
    fn find_mode(&mut self, o: usize, kernel: &Kernel, polish: bool) -> Option<(f64, f64)> {
        let (mut h, mut observed) = match self.assemble_for_newton(o, kernel) {
            Some(v) => v,
            None => {
                // A poor start (e.g. after a large outer step): restart from zero.
                self.zero_modes(o);
                self.assemble_for_newton(o, kernel)?
            }
        };
        let mut polished = false;
        for _ in 0..MAX_MODE_ITERATIONS {
            let decrement = self.newton_step(o);
            if !decrement.is_finite() {
                return None;
            }
            let small = observed && decrement < MODE_DECREMENT_TOL;
            if small && (polished || !polish) {
                return Some((h, decrement));
            }
            self.save_modes(o);
            (h, observed) = backtrack(h, |t| {
                self.apply_step(o, t);
                self.assemble_for_newton(o, kernel)
            })?;
            polished = small;
        }
        None
    }

    /// Prepares the covariances, the fixed part of the linear predictor and the family kernel
    /// for `psi`.
    fn prepare(&mut self, psi: &[f64]) -> Option<Kernel> {
        self.covariances = factor_covariances(&self.layout, &self.index, psi)?;
        self.theta_derivatives.clear();
        for (f, cov) in self.covariances.iter().enumerate() {
            for (k, block) in &cov.terms {
                let q = block.cov.q;
                let si = &block.sigma_inv;
                let (start, _) = self.index.theta[*k];
                for (m, ds) in block.cov.dsigma.iter().enumerate() {
                    let mut tmp = vec![0.0; q * q];
                    for a in 0..q {
                        for b in 0..q {
                            tmp[a * q + b] = (0..q).map(|c| si[a * q + c] * ds[c * q + b]).sum();
                        }
                    }
                    let matrix = (0..q * q)
                        .map(|e| (0..q).map(|c| tmp[(e / q) * q + c] * si[c * q + e % q]).sum())
                        .collect();
                    self.theta_derivatives.push(ThetaDerivative {
                        factor: f,
                        offset: block.offset,
                        q,
                        column: start + m,
                        matrix,
                    });
                }
            }
        }
        let layout = Arc::clone(&self.layout);
        let lay: &Layout = &layout;
        let p = self.index.p;
        for i in 0..lay.n {
            self.eta_fix[i] = lay.offset[i] + dot(lay.x_row(i), &psi[..p]);
        }
        Some(super::zero_inflation::kernel(&self.layout, self.family, &self.index, psi))
    }

    /// Starts the modes from their first-order prediction at `psi` from the last evaluation.
    fn extrapolate(&mut self, psi: &[f64]) {
        let Some(last) = self.last_psi.take() else { return };
        let len = psi.len();
        let delta: Vec<f64> = psi.iter().zip(&last).map(|(a, b)| a - b).collect();
        // The remaining Newton step u completes the last modes before extrapolating.
        for ((b, row), u) in self.bo.iter_mut().zip(self.jo.chunks_exact(len)).zip(&self.uo) {
            *b += u + dot(row, &delta);
        }
        for ((b, row), u) in self.bi.iter_mut().zip(self.ji.chunks_exact(len)).zip(&self.ui) {
            *b += u + dot(row, &delta);
        }
    }

    /// `-(N/2) ln|Sigma|` summed over the factors.
    fn sigma_logdet_term(&self) -> f64 {
        let counts = [self.layout.outer.len(), self.layout.inner.len()];
        self.covariances.iter().zip(counts).map(|(c, n)| -0.5 * n as f64 * c.logdet).sum()
    }

    /// `ln|H|` of outer level `o` from its factors.
    fn logdet(&self, o: usize) -> f64 {
        let layout = Arc::clone(&self.layout);
        let lay: &Layout = &layout;
        let (qa, qb) = (lay.qa, lay.qb);
        let group = &lay.outer[o];
        let mut logdet = small::cholesky_logdet(&self.s_chol[o * qa * qa..(o + 1) * qa * qa], qa);
        for j in group.inner.0..group.inner.1 {
            logdet += small::cholesky_logdet(&self.d_chol[j * qb * qb..(j + 1) * qb * qb], qb);
        }
        logdet
    }

    /// The Laplace log-likelihood at `psi`, and its gradient in `grad` (length `psi.len()`).
    pub fn evaluate(&mut self, psi: &[f64], grad: &mut [f64]) -> Option<f64> {
        let result = self.evaluate_inner(psi, grad);
        self.last_psi = result.map(|_| psi.to_vec());
        result
    }

    fn evaluate_inner(&mut self, psi: &[f64], grad: &mut [f64]) -> Option<f64> {
        let kernel = self.prepare(psi)?;
        self.extrapolate(psi);
        let layout = Arc::clone(&self.layout);
        let lay: &Layout = &layout;
        let (qa, qb) = (lay.qa, lay.qb);
        grad.iter_mut().for_each(|g| *g = 0.0);
        let mut m: Vec<Vec<f64>> = [qa, qb].iter().map(|&d| vec![0.0; d * d]).collect();
        let mut value = kernel.constant(&lay.response) + self.sigma_logdet_term();
        for o in 0..lay.outer.len() {
            let (h, decrement) = self.find_mode(o, &kernel, kernel.is_zero_inflated())?;
            let correction = self.group_gradient(o, &kernel, decrement, grad, &mut m);
            value += h - 0.5 * self.logdet(o) + correction;
        }
        self.theta_gradient(&m, grad);
        (value.is_finite() && grad.iter().all(|g| g.is_finite())).then_some(value)
    }

    /// Gradient contributions of outer level `o` (fixed effects, dispersion, and the
    /// covariance-parameter accumulators `m`) and its mode sensitivities. Returns the value
    /// correction `1/2 g'u - 1/2 a'u` for the remaining Newton step `u`.
    fn group_gradient(
        &mut self,
        o: usize,
        kernel: &Kernel,
        decrement: f64,
        grad: &mut [f64],
        m: &mut [Vec<f64>],
    ) -> f64 {
        let layout = Arc::clone(&self.layout);
        let lay: &Layout = &layout;
        let (qa, qb) = (lay.qa, lay.qb);
        let (i0, i1) = lay.outer[o].inner;
        // a = sum_i s_i w'_i z_i, kept in ao and, for inner levels, in the gi buffer, which is
        // free until the next assembly.
        let mut ao = vec![0.0; qa];
        let mut ai = std::mem::take(&mut self.gi);
        if kernel.is_zero_inflated() {
            self.leverages::<true>(o, kernel, &mut ao, &mut ai);
        } else {
            self.leverages::<false>(o, kernel, &mut ao, &mut ai);
        }
        // Value correction for the remaining step u, then v = H^-1 a and v~ = v - 2u.
        let au =
            dot(&ao, &self.uo[o * qa..(o + 1) * qa]) + dot(&ai[i0 * qb..i1 * qb], &self.ui[i0 * qb..i1 * qb]);
        let correction = 0.5 * decrement - 0.5 * au;
        self.arrow_solve(o, &mut ao, &mut ai);
        for (a, u) in ao.iter_mut().zip(&self.uo[o * qa..(o + 1) * qa]) {
            *a -= 2.0 * u;
        }
        for (a, u) in ai[i0 * qb..i1 * qb].iter_mut().zip(&self.ui[i0 * qb..i1 * qb]) {
            *a -= 2.0 * u;
        }
        self.fixed_gradient(o, &ao, &ai, grad);
        self.covariance_moments(o, &ao, &ai, m);
        self.gi = ai;
        self.mode_sensitivities(o);
        correction
    }

    /// The derivatives of every row of outer level `o` at the modes, `s_i = z_i' H^-1 z_i`, and
    /// `a = sum_i s_i w'_i z_i` added to `ao` (the outer block) and `ai` (inner blocks); `ZI`
    /// for a zero-inflated model.
    fn leverages<const ZI: bool>(&mut self, o: usize, kernel: &Kernel, ao: &mut [f64], ai: &mut [f64]) {
        let layout = Arc::clone(&self.layout);
        let lay: &Layout = &layout;
        let (qa, qb) = (lay.qa, lay.qb);
        let s_l = &self.s_chol[o * qa * qa..(o + 1) * qa * qa];
        let mut work = vec![0.0; qa.max(qb)];
        let mut t = vec![0.0; qa];
        let mut r = vec![0.0; qb];
        for (j, (r0, r1)) in segments(lay, o) {
            if let Some(j) = j {
                ai[j * qb..(j + 1) * qb].iter_mut().for_each(|v| *v = 0.0);
            }
            for i in r0..r1 {
                let d =
                    row_derivatives::<ZI>(kernel, lay, i, self.eta[i], &self.terms[i], &mut self.zeta_derivs);
                self.derivs[i] = d;
                let zo = &lay.zo[i * qa..(i + 1) * qa];
                let s = match j {
                    None => small::cholesky_quadratic(s_l, qa, zo, &mut work),
                    Some(j) => {
                        let zi = &lay.zi[i * qb..(i + 1) * qb];
                        let e = &self.e_mat[j * qb * qa..(j + 1) * qb * qa];
                        for c in 0..qa {
                            let mut v = zo[c];
                            for rr in 0..qb {
                                v -= e[rr * qa + c] * zi[rr];
                            }
                            t[c] = v;
                        }
                        r.copy_from_slice(zi);
                        small::cholesky_solve(&self.d_chol[j * qb * qb..(j + 1) * qb * qb], qb, &mut r);
                        small::cholesky_quadratic(s_l, qa, &t, &mut work) + dot(zi, &r)
                    }
                };
                self.s[i] = s;
                let sw = -s * d.d3;
                for c in 0..qa {
                    ao[c] += sw * zo[c];
                }
                if let Some(j) = j {
                    let zi = &lay.zi[i * qb..(i + 1) * qb];
                    for rr in 0..qb {
                        ai[j * qb + rr] += sw * zi[rr];
                    }
                }
            }
        }
    }

    /// The fixed-effect and dispersion gradient of outer level `o`, with `v~` in `ao`, `ai`;
    /// and the right-hand sides `d2h/db dpsi` of its modes' sensitivities to them.
    fn fixed_gradient(&mut self, o: usize, ao: &[f64], ai: &[f64], grad: &mut [f64]) {
        let layout = Arc::clone(&self.layout);
        let lay: &Layout = &layout;
        let (qa, qb, p) = (lay.qa, lay.qb, lay.p);
        let len = self.index.len;
        let (i0, i1) = lay.outer[o].inner;
        let jo = &mut self.jo[o * qa * len..(o + 1) * qa * len];
        jo.iter_mut().for_each(|v| *v = 0.0);
        self.ji[i0 * qb * len..i1 * qb * len].iter_mut().for_each(|v| *v = 0.0);
        for (j, (r0, r1)) in segments(lay, o) {
            for i in r0..r1 {
                let d = self.derivs[i];
                let zo = &lay.zo[i * qa..(i + 1) * qa];
                let mut zv = dot(zo, ao);
                if let Some(j) = j {
                    zv += dot(&lay.zi[i * qb..(i + 1) * qb], &ai[j * qb..(j + 1) * qb]);
                }
                let s = self.s[i];
                let c = d.d1 + 0.5 * s * d.d3 - 0.5 * d.d2 * zv;
                let x = lay.x_row(i);
                for k in 0..p {
                    grad[k] += c * x[k];
                }
                for rr in 0..qa {
                    let row = &mut jo[rr * len..(rr + 1) * len];
                    let wz = d.d2 * zo[rr];
                    for k in 0..p {
                        row[k] += wz * x[k];
                    }
                    if let Some(tau) = self.index.tau {
                        row[tau] += d.d1t * zo[rr];
                    }
                }
                if let Some(j) = j {
                    let zi = &lay.zi[i * qb..(i + 1) * qb];
                    for (rr, &z) in zi.iter().enumerate() {
                        let row = &mut self.ji[(j * qb + rr) * len..(j * qb + rr + 1) * len];
                        let wz = d.d2 * z;
                        for k in 0..p {
                            row[k] += wz * x[k];
                        }
                        if let Some(tau) = self.index.tau {
                            row[tau] += d.d1t * z;
                        }
                    }
                }
                if let Some(tau) = self.index.tau {
                    grad[tau] += d.dt + 0.5 * s * d.d2t - 0.5 * d.d1t * zv;
                }
                // Zero-inflation coefficients: as tau, with the row's zero-inflation covariates.
                if let Some((start, pz)) = self.index.zi {
                    let xz = &lay.xz[i * pz..(i + 1) * pz];
                    let dz = self.zeta_derivs[i];
                    let c = dz.dz + 0.5 * s * dz.d2z - 0.5 * dz.d1z * zv;
                    for (g, &v) in grad[start..start + pz].iter_mut().zip(xz) {
                        *g += c * v;
                    }
                    for rr in 0..qa {
                        let row = &mut jo[rr * len..(rr + 1) * len];
                        for (m, &v) in xz.iter().enumerate() {
                            row[start + m] += dz.d1z * v * zo[rr];
                        }
                    }
                    if let Some(j) = j {
                        let zi = &lay.zi[i * qb..(i + 1) * qb];
                        for (rr, &z) in zi.iter().enumerate() {
                            let row = &mut self.ji[(j * qb + rr) * len..(j * qb + rr + 1) * len];
                            for (m, &v) in xz.iter().enumerate() {
                                row[start + m] += dz.d1z * v * z;
                            }
                        }
                    }
                }
            }
        }
    }

    /// The covariance parameters' accumulators of outer level `o`, `M += b b' + (H^-1)_level -
    /// sym(v~ b')`, and the right-hand sides `Sigma^-1 dSigma Sigma^-1 b` of its modes'
    /// sensitivities to them.
    fn covariance_moments(&mut self, o: usize, ao: &[f64], ai: &[f64], m: &mut [Vec<f64>]) {
        let layout = Arc::clone(&self.layout);
        let lay: &Layout = &layout;
        let (qa, qb) = (lay.qa, lay.qb);
        let len = self.index.len;
        let (i0, i1) = lay.outer[o].inner;
        let s_l = &self.s_chol[o * qa * qa..(o + 1) * qa * qa];
        let mut s_inv = vec![0.0; qa * qa];
        small::cholesky_inverse(s_l, qa, &mut s_inv);
        let bo = &self.bo[o * qa..(o + 1) * qa];
        for a in 0..qa {
            for b in 0..qa {
                m[0][a * qa + b] += bo[a] * bo[b] + s_inv[a * qa + b] - 0.5 * (ao[a] * bo[b] + bo[a] * ao[b]);
            }
        }
        let mut hjj = vec![0.0; qb * qb];
        let mut es = vec![0.0; qb * qa];
        for j in i0..i1 {
            let e = &self.e_mat[j * qb * qa..(j + 1) * qb * qa];
            small::cholesky_inverse(&self.d_chol[j * qb * qb..(j + 1) * qb * qb], qb, &mut hjj);
            for rr in 0..qb {
                for c in 0..qa {
                    es[rr * qa + c] = dot(&e[rr * qa..(rr + 1) * qa], &s_inv[c * qa..(c + 1) * qa]);
                }
            }
            for r1 in 0..qb {
                for r2 in 0..qb {
                    hjj[r1 * qb + r2] += dot(&es[r1 * qa..(r1 + 1) * qa], &e[r2 * qa..(r2 + 1) * qa]);
                }
            }
            let bj = &self.bi[j * qb..(j + 1) * qb];
            let vj = &ai[j * qb..(j + 1) * qb];
            for a in 0..qb {
                for b in 0..qb {
                    m[1][a * qb + b] +=
                        bj[a] * bj[b] + hjj[a * qb + b] - 0.5 * (vj[a] * bj[b] + bj[a] * vj[b]);
                }
            }
        }
        let jo = &mut self.jo[o * qa * len..(o + 1) * qa * len];
        for td in &self.theta_derivatives {
            let q = td.q;
            if td.factor == 0 {
                let b = &bo[td.offset..td.offset + q];
                for a in 0..q {
                    jo[(td.offset + a) * len + td.column] = dot(&td.matrix[a * q..(a + 1) * q], b);
                }
            } else {
                for j in i0..i1 {
                    let b = &self.bi[j * qb + td.offset..j * qb + td.offset + q];
                    for a in 0..q {
                        self.ji[(j * qb + td.offset + a) * len + td.column] =
                            dot(&td.matrix[a * q..(a + 1) * q], b);
                    }
                }
            }
        }
    }

    /// The mode sensitivities of outer level `o`, `db^/dpsi = H^-1 (d2h/db dpsi)`, solved
    /// column by column from their right-hand sides in `jo`, `ji`.
    fn mode_sensitivities(&mut self, o: usize) {
        let (qa, qb) = (self.layout.qa, self.layout.qb);
        let len = self.index.len;
        let (i0, i1) = self.layout.outer[o].inner;
        let mut col_o = vec![0.0; qa];
        let mut col_i = std::mem::take(&mut self.old_i);
        let rows_o = o * qa..(o + 1) * qa;
        let rows_i = i0 * qb..i1 * qb;
        for k in 0..len {
            for (c, r) in col_o.iter_mut().zip(rows_o.clone()) {
                *c = self.jo[r * len + k];
            }
            for r in rows_i.clone() {
                col_i[r] = self.ji[r * len + k];
            }
            self.arrow_solve(o, &mut col_o, &mut col_i);
            for (c, r) in col_o.iter().zip(rows_o.clone()) {
                self.jo[r * len + k] = *c;
            }
            for r in rows_i.clone() {
                self.ji[r * len + k] = col_i[r];
            }
        }
        self.old_i = col_i;
    }

    /// Covariance-parameter gradient `1/2 <Sigma^-1 dSigma Sigma^-1, M - N Sigma>`, term by
    /// term, from the accumulated `M` of each factor.
    fn theta_gradient(&self, m: &[Vec<f64>], grad: &mut [f64]) {
        let counts = [self.layout.outer.len(), self.layout.inner.len()];
        for (f, cov) in self.covariances.iter().enumerate() {
            let dim = cov.dim;
            let n = counts[f] as f64;
            for (_, block) in &cov.terms {
                let q = block.cov.q;
                let off = block.offset;
                let mut g = vec![0.0; q * q];
                for a in 0..q {
                    for b in 0..q {
                        g[a * q + b] = m[f][(off + a) * dim + off + b] - n * block.cov.sigma[a * q + b];
                    }
                }
                for td in self.theta_derivatives.iter().filter(|t| t.factor == f && t.offset == off) {
                    grad[td.column] = 0.5 * dot(&td.matrix, &g);
                }
            }
        }
    }

    /// Finds the modes at `psi` and the derivatives of every row there, for adaptive
    /// quadrature. Returns the kernel.
    pub fn modes_at(&mut self, psi: &[f64]) -> Option<Kernel> {
        self.last_psi = None;
        let kernel = self.prepare(psi)?;
        let layout = Arc::clone(&self.layout);
        let lay: &Layout = &layout;
        for o in 0..lay.outer.len() {
            self.find_mode(o, &kernel, true)?;
            for i in lay.outer[o].rows.0..lay.outer[o].rows.1 {
                let (eta, terms, zeta_derivs) = (self.eta[i], &self.terms[i], &mut self.zeta_derivs);
                self.derivs[i] = if kernel.is_zero_inflated() {
                    row_derivatives::<true>(&kernel, lay, i, eta, terms, zeta_derivs)
                } else {
                    row_derivatives::<false>(&kernel, lay, i, eta, terms, zeta_derivs)
                };
            }
        }
        Some(kernel)
    }

    /// `X'WX - X'WZ H^-1 Z'WX = X'W (X + Z db^/dbeta)`: the fixed effects' information with
    /// the modes following them, which omits only the (small) curvature of `ln|H|`. Uses the
    /// derivatives and sensitivities of the last evaluation.
    fn fixed_effect_information(&self) -> nalgebra::DMatrix<f64> {
        let layout = Arc::clone(&self.layout);
        let lay: &Layout = &layout;
        let (qa, qb, p) = (lay.qa, lay.qb, lay.p);
        let len = self.index.len;
        let mut a = nalgebra::DMatrix::zeros(p, p);
        let mut zj = vec![0.0; p];
        for o in 0..lay.outer.len() {
            for (j, (r0, r1)) in segments(lay, o) {
                for i in r0..r1 {
                    let w = -self.derivs[i].d2;
                    let zo = &lay.zo[i * qa..(i + 1) * qa];
                    for (k, v) in zj.iter_mut().enumerate() {
                        *v = (0..qa).map(|r| zo[r] * self.jo[(o * qa + r) * len + k]).sum();
                        if let Some(j) = j {
                            let zi = &lay.zi[i * qb..(i + 1) * qb];
                            *v += (0..qb).map(|r| zi[r] * self.ji[(j * qb + r) * len + k]).sum::<f64>();
                        }
                    }
                    let x = lay.x_row(i);
                    for r in 0..p {
                        for c in 0..p {
                            a[(r, c)] += w * x[r] * (x[c] + zj[c]);
                        }
                    }
                }
            }
        }
        (&a + a.transpose()) * 0.5
    }

    /// Takes the remaining Newton step of the last evaluation, `b^ + u`, in the modes and the
    /// linear predictor, so that the modes a fit reports are the maxima of `h` to second order
    /// in the (untaken) last step. The next evaluation starts from the same place as without.
    pub fn complete_modes(&mut self) {
        for (b, u) in self.bo.iter_mut().zip(&mut self.uo).chain(self.bi.iter_mut().zip(&mut self.ui)) {
            *b += *u;
            *u = 0.0;
        }
        let layout = Arc::clone(&self.layout);
        let lay: &Layout = &layout;
        for o in 0..lay.outer.len() {
            let bo = &self.bo[o * lay.qa..(o + 1) * lay.qa];
            for (j, (r0, r1)) in segments(lay, o) {
                for i in r0..r1 {
                    self.eta[i] = linear_predictor(lay, i, self.eta_fix[i], bo, j, &self.bi);
                }
            }
        }
    }

    /// `H` of outer level `o` for a scalar random effect without an inner factor.
    pub fn curvature(&self, o: usize) -> f64 {
        self.s_chol[o] * self.s_chol[o]
    }

    /// Derivatives of sorted row `i` at the modes of the last evaluation.
    pub fn derivative(&self, i: usize) -> EtaDerivatives {
        self.derivs[i]
    }

    /// `offset + x' beta` of sorted row `i`.
    pub fn eta_fixed(&self, i: usize) -> f64 {
        self.eta_fix[i]
    }
}

#[cfg(test)]
mod tests {
    use super::super::layout::validate;
    use super::*;
    use crate::design::Design;
    use crate::fit::testdata::{design, grouped, layout, term, Rng};

    /// Simulates NB2 counts with random intercepts (and slopes) per group and per inner level.
    fn simulated(slope: bool, nested: bool) -> Design {
        let mut rng = Rng::new(7);
        let s = grouped(&mut rng, 12, 9, 3);
        let b: Vec<f64> = (0..12).map(|_| 0.4 * rng.normal()).collect();
        let c: Vec<f64> = (0..36).map(|_| 0.3 * rng.normal()).collect();
        let y = (0..s.x.len())
            .map(|i| {
                let eta = -3.0
                    + 0.5 * s.x[i]
                    + s.offset[i]
                    + b[s.group[i]]
                    + if nested { c[s.inner[i]] } else { 0.0 };
                rng.count(Family::Nbinom2, eta.exp(), 4.0) as f64
            })
            .collect();
        let mut random = vec![term(&s, "g", &s.group, slope)];
        if nested {
            random.push(term(&s, "g:h", &s.inner, slope));
        }
        design(&s, y, random)
    }

    fn check_gradient(d: &Design, family: Family, psi: &[f64]) {
        validate(d).unwrap();
        let mut la = Laplace::new(layout(d), family);
        assert_eq!(la.index.len, psi.len());
        let mut grad = vec![0.0; psi.len()];
        la.evaluate(psi, &mut grad).unwrap();
        let mut scratch = vec![0.0; psi.len()];
        for k in 0..psi.len() {
            let h = 1e-5;
            let mut up = psi.to_vec();
            up[k] += h;
            let mut down = psi.to_vec();
            down[k] -= h;
            let fu = la.evaluate(&up, &mut scratch).unwrap();
            let fd = la.evaluate(&down, &mut scratch).unwrap();
            let numeric = (fu - fd) / (2.0 * h);
            assert!(
                (numeric - grad[k]).abs() < 1e-5 * (1.0 + grad[k].abs()),
                "{family:?} parameter {k}: analytic {} numeric {numeric}",
                grad[k]
            );
        }
    }

    /// The value does not depend on where the mode search starts, and the stored sensitivities
    /// predict the modes at a nearby `psi` to second order.
    #[test]
    fn value_is_independent_of_warm_start_and_sensitivities_predict_modes() {
        let d = simulated(true, true);
        let layout = layout(&d);
        let psi = [-2.8, 0.4, 1.2, 0.3f64.ln(), 0.2f64.ln(), 0.5, 0.25f64.ln(), 0.1f64.ln(), -0.3];
        let step = [1e-3, -2e-3, 5e-3, 1e-3, -1e-3, 2e-3, 3e-3, 1e-3, -2e-3];
        let moved: Vec<f64> = psi.iter().zip(&step).map(|(a, b)| a + b).collect();
        let mut grad = vec![0.0; psi.len()];
        let mut cold = Laplace::new(Arc::clone(&layout), Family::Nbinom2);
        let cold_value = cold.evaluate(&moved, &mut grad).unwrap();
        let mut warm = Laplace::new(Arc::clone(&layout), Family::Nbinom2);
        warm.evaluate(&psi, &mut grad).unwrap();
        let len = psi.len();
        let predicted: Vec<f64> = (0..warm.bo.len())
            .map(|r| warm.bo[r] + warm.uo[r] + (0..len).map(|k| warm.jo[r * len + k] * step[k]).sum::<f64>())
            .collect();
        let warm_value = warm.evaluate(&moved, &mut grad).unwrap();
        assert!((cold_value - warm_value).abs() < 1e-10, "{cold_value} vs {warm_value}");
        for (r, (a, b)) in predicted.iter().zip(&warm.bo).enumerate() {
            assert!((a - b).abs() < 1e-5, "level {r}: {a} vs {b}");
        }
    }

    /// The fixed effects' information given the modes is the Hessian of `-LA` in `beta` up to
    /// the curvature of `ln|H|`, a few percent here.
    #[test]
    fn fixed_effect_information_approximates_the_hessian() {
        let d = simulated(true, true);
        let layout = layout(&d);
        let psi = [-2.8, 0.4, 1.2, 0.3f64.ln(), 0.2f64.ln(), 0.5, 0.25f64.ln(), 0.1f64.ln(), -0.3];
        let mut la = Laplace::new(Arc::clone(&layout), Family::Nbinom2);
        let mut grad = vec![0.0; psi.len()];
        la.evaluate(&psi, &mut grad).unwrap();
        let info = la.fixed_effect_information();
        let h = 1e-5;
        for k in 0..2 {
            let (mut up, mut down) = (psi, psi);
            up[k] += h;
            down[k] -= h;
            let (mut gu, mut gd) = (vec![0.0; psi.len()], vec![0.0; psi.len()]);
            la.evaluate(&up, &mut gu).unwrap();
            la.evaluate(&down, &mut gd).unwrap();
            for c in 0..2 {
                let hessian = -(gu[c] - gd[c]) / (2.0 * h);
                assert!(
                    (info[(c, k)] - hessian).abs() < 0.05 * hessian.abs().max(info[(0, 0)] * 0.01),
                    "{c},{k}: {} vs {hessian}",
                    info[(c, k)]
                );
            }
        }
    }

    #[test]
    fn gradient_matches_finite_differences_random_intercept() {
        let d = simulated(false, false);
        check_gradient(&d, Family::Poisson, &[-2.8, 0.4, 0.3f64.ln()]);
        check_gradient(&d, Family::Nbinom2, &[-2.8, 0.4, 1.2, 0.3f64.ln()]);
        check_gradient(&d, Family::Nbinom1, &[-2.8, 0.4, -0.5, 0.3f64.ln()]);
    }

    #[test]
    fn gradient_matches_finite_differences_correlated_slopes() {
        let d = simulated(true, false);
        check_gradient(&d, Family::Poisson, &[-2.8, 0.4, 0.3f64.ln(), 0.2f64.ln(), 0.4]);
        check_gradient(&d, Family::Nbinom2, &[-2.8, 0.4, 1.2, 0.3f64.ln(), 0.2f64.ln(), -0.7]);
        check_gradient(&d, Family::Nbinom1, &[-2.8, 0.4, -0.5, 0.3f64.ln(), 0.2f64.ln(), 0.3]);
    }

    #[test]
    fn gradient_matches_finite_differences_nested() {
        let d = simulated(false, true);
        check_gradient(&d, Family::Poisson, &[-2.8, 0.4, 0.3f64.ln(), 0.25f64.ln()]);
        check_gradient(&d, Family::Nbinom2, &[-2.8, 0.4, 1.2, 0.3f64.ln(), 0.25f64.ln()]);
        check_gradient(&d, Family::Nbinom1, &[-2.8, 0.4, -0.5, 0.3f64.ln(), 0.25f64.ln()]);
        let d = simulated(true, true);
        check_gradient(
            &d,
            Family::Nbinom2,
            &[-2.8, 0.4, 1.2, 0.3f64.ln(), 0.2f64.ln(), 0.5, 0.25f64.ln(), 0.1f64.ln(), -0.3],
        );
    }
}
