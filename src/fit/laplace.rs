//! The Laplace approximation of the marginal log-likelihood and its exact gradient.
//!
//! For outer parameters `psi`, the log joint density of the data and the random effects `b` is
//!
//! `h(b) = sum_i l_i(eta_i) - 1/2 sum_levels (b' Sigma^-1 b + ln|2 pi Sigma|)`.
//!
//! Its mode `b^` is found per outer level by Newton's method with step halving, warm-started
//! from the previous evaluation, and
//!
//! `LA(psi) = h(b^) - 1/2 ln|H| + (q_total / 2) ln(2 pi)`, `H = Z' W Z + Sigma^-1`,
//! `W = diag(-d2 l_i / d eta_i^2)`,
//!
//! which simplifies to `sum_i l_i - 1/2 sum b'Sigma^-1 b - (N/2) ln|Sigma| - 1/2 ln|H|`.
//!
//! The gradient follows from the implicit function theorem (`db^/dpsi = H^-1 d2h/db dpsi`):
//!
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
//! `H` is block diagonal over outer levels; within an outer level it is block-arrow shaped
//! (outer block `A`, inner blocks `D_j`, couplings `B_j`), handled through the Schur
//! complement `S = A - sum_j B_j' D_j^-1 B_j`: `ln|H| = ln|S| + sum_j ln|D_j|`.

use super::family::{Derivatives, Kernel};
use super::layout::Layout;
use super::params::{factor_covariances, FactorCovariance, ParamIndex};
use super::small;
use super::Family;

/// Newton iterations allowed for one level's mode.
const MAX_MODE_ITERATIONS: usize = 200;
/// The mode is accepted once the Newton decrement `g' H^-1 g` falls below this value (the
/// final step, applied, then leaves an error far below the rounding level).
const MODE_DECREMENT_TOL: f64 = 1e-12;

/// Which weights an assembly pass uses.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Pass {
    /// Observed information, value up to constants.
    Newton,
    /// Expected information (for NB1 where the observed one is not positive definite).
    Fisher,
    /// Observed information, full value, all derivatives stored.
    Final,
}

/// Laplace-approximation evaluator; keeps the random-effect modes between evaluations.
pub struct Laplace<'a> {
    pub layout: &'a Layout,
    pub family: Family,
    pub index: ParamIndex,
    /// Outer-factor modes, `outer levels x qa`.
    pub bo: Vec<f64>,
    /// Inner-factor modes, `inner levels x qb`.
    pub bi: Vec<f64>,
    /// Linear predictor per sorted row at the modes of the last evaluation.
    pub eta: Vec<f64>,
    eta_fix: Vec<f64>,
    derivs: Vec<Derivatives>,
    s: Vec<f64>,
    /// Cholesky factors of the Schur complements `S`, per outer level.
    s_chol: Vec<f64>,
    /// Cholesky factors of the inner blocks `D_j`.
    d_chol: Vec<f64>,
    /// `E_j = D_j^-1 B_j` (`qb x qa`).
    e_mat: Vec<f64>,
    /// Gradient of `h`, then the Newton step / solve buffers.
    go: Vec<f64>,
    gi: Vec<f64>,
    step_o: Vec<f64>,
    step_i: Vec<f64>,
    old_o: Vec<f64>,
    old_i: Vec<f64>,
    scratch: Vec<f64>,
    /// Covariances of the last evaluation.
    pub covariances: Vec<FactorCovariance>,
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The row blocks of outer level `o`: the whole level when there is no inner factor, else one
/// block per inner level.
pub fn segments(lay: &Layout, o: usize) -> impl Iterator<Item = (Option<usize>, (usize, usize))> + '_ {
    let group = &lay.outer[o];
    let whole = (lay.qb == 0).then_some((None, group.rows));
    whole.into_iter().chain((group.inner.0..group.inner.1).map(move |j| (Some(j), lay.inner[j].rows)))
}

impl super::mixed::LogLikelihood for Laplace<'_> {
    fn loglik(&mut self, psi: &[f64], grad: &mut [f64]) -> Option<f64> {
        self.evaluate(psi, grad)
    }
}

impl<'a> Laplace<'a> {
    pub fn new(layout: &'a Layout, family: Family) -> Laplace<'a> {
        let (qa, qb) = (layout.qa, layout.qb);
        let no = layout.outer.len();
        let ni = layout.inner.len();
        let n = layout.n;
        Laplace {
            layout,
            family,
            index: ParamIndex::new(layout, family),
            bo: vec![0.0; no * qa],
            bi: vec![0.0; ni * qb],
            eta: vec![0.0; n],
            eta_fix: vec![0.0; n],
            derivs: vec![Derivatives::default(); n],
            s: vec![0.0; n],
            s_chol: vec![0.0; no * qa * qa],
            d_chol: vec![0.0; ni * qb * qb],
            e_mat: vec![0.0; ni * qb * qa],
            go: vec![0.0; no * qa],
            gi: vec![0.0; ni * qb],
            step_o: vec![0.0; no * qa],
            step_i: vec![0.0; ni * qb],
            old_o: vec![0.0; qa],
            old_i: vec![0.0; ni * qb],
            scratch: vec![0.0; 4 * (qa + qb) * (qa + qb) + 4 * (qa + qb)],
            covariances: Vec::new(),
        }
    }

    /// Sets `eta_fix = offset + X beta`.
    pub fn set_fixed(&mut self, beta: &[f64]) {
        let lay = self.layout;
        for i in 0..lay.n {
            self.eta_fix[i] = lay.offset[i] + dot(lay.x_row(i), beta);
        }
    }

    /// Builds the gradient of `h` and the factorised Hessian blocks of outer level `o` at the
    /// current modes. Returns `h` (up to constants for the Newton and Fisher passes), or
    /// `None` if it is not finite or a block is not positive definite.
    fn assemble(&mut self, o: usize, kernel: &Kernel, pass: Pass) -> Option<f64> {
        let lay = self.layout;
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
                let mut eta = self.eta_fix[i] + dot(zo, bo);
                if let Some(j) = j {
                    eta += dot(&lay.zi[i * qb..(i + 1) * qb], &self.bi[j * qb..(j + 1) * qb]);
                }
                let (l, d1, w) = match pass {
                    Pass::Newton | Pass::Fisher => {
                        let t = kernel.inner(lay.response.y[i], eta);
                        (t.l, t.d1, if pass == Pass::Fisher { t.fisher } else { t.w })
                    }
                    Pass::Final => {
                        let d = kernel.full(&lay.response, i, eta);
                        self.derivs[i] = d;
                        self.eta[i] = eta;
                        (d.l, d.d1, -d.d2)
                    }
                };
                h += l;
                for r in 0..qa {
                    go[r] += d1 * zo[r];
                }
                small::add_outer_lower(sa, qa, w, zo);
                if let Some(j) = j {
                    let zi = &lay.zi[i * qb..(i + 1) * qb];
                    for r in 0..qb {
                        self.gi[j * qb + r] += d1 * zi[r];
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

    /// Solves `H x = r` for outer level `o` in place: `ro` (length `qa`) and the inner parts of
    /// `ri` (indexed globally by inner level), with the factors of the last assembly.
    fn arrow_solve(&self, o: usize, ro: &mut [f64], ri: &mut [f64]) {
        let lay = self.layout;
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

    /// Assembles with observed weights, falling back to Fisher weights where the observed
    /// information is not positive definite (possible for NB1).
    fn assemble_for_newton(&mut self, o: usize, kernel: &Kernel) -> Option<f64> {
        match self.assemble(o, kernel, Pass::Newton) {
            Some(h) => Some(h),
            None if self.family == Family::Nbinom1 => self.assemble(o, kernel, Pass::Fisher),
            None => None,
        }
    }

    /// Moves the modes of outer level `o` to the maximum of `h`. Returns `false` on failure.
    fn find_mode(&mut self, o: usize, kernel: &Kernel) -> bool {
        let lay = self.layout;
        let (qa, qb) = (lay.qa, lay.qb);
        let group = &lay.outer[o];
        let (i0, i1) = group.inner;
        let mut h = match self.assemble_for_newton(o, kernel) {
            Some(h) => h,
            None => {
                // A poor warm start (e.g. after a large outer step): restart from zero.
                self.bo[o * qa..(o + 1) * qa].iter_mut().for_each(|v| *v = 0.0);
                self.bi[i0 * qb..i1 * qb].iter_mut().for_each(|v| *v = 0.0);
                match self.assemble_for_newton(o, kernel) {
                    Some(h) => h,
                    None => return false,
                }
            }
        };
        for _ in 0..MAX_MODE_ITERATIONS {
            // Newton step: solve H step = g.
            let mut so = std::mem::take(&mut self.step_o);
            let mut si = std::mem::take(&mut self.step_i);
            so[o * qa..(o + 1) * qa].copy_from_slice(&self.go[o * qa..(o + 1) * qa]);
            si[i0 * qb..i1 * qb].copy_from_slice(&self.gi[i0 * qb..i1 * qb]);
            self.arrow_solve(o, &mut so[o * qa..(o + 1) * qa], &mut si);
            let decrement = dot(&so[o * qa..(o + 1) * qa], &self.go[o * qa..(o + 1) * qa])
                + dot(&si[i0 * qb..i1 * qb], &self.gi[i0 * qb..i1 * qb]);
            self.step_o = so;
            self.step_i = si;
            if !decrement.is_finite() {
                return false;
            }
            self.old_o.copy_from_slice(&self.bo[o * qa..(o + 1) * qa]);
            self.old_i[i0 * qb..i1 * qb].copy_from_slice(&self.bi[i0 * qb..i1 * qb]);
            if decrement < MODE_DECREMENT_TOL {
                self.apply_step(o, 1.0);
                return true;
            }
            let mut t = 1.0;
            loop {
                self.apply_step(o, t);
                match self.assemble_for_newton(o, kernel) {
                    Some(hn) if hn >= h - 1e-12 * (1.0 + h.abs()) => {
                        h = hn;
                        break;
                    }
                    _ => {
                        t *= 0.5;
                        if t < 1e-12 {
                            return false;
                        }
                    }
                }
            }
        }
        false
    }

    /// Sets the modes of level `o` to `old + t step`.
    fn apply_step(&mut self, o: usize, t: f64) {
        let lay = self.layout;
        let (qa, qb) = (lay.qa, lay.qb);
        let (i0, i1) = lay.outer[o].inner;
        for r in 0..qa {
            self.bo[o * qa + r] = self.old_o[r] + t * self.step_o[o * qa + r];
        }
        for k in i0 * qb..i1 * qb {
            self.bi[k] = self.old_i[k] + t * self.step_i[k];
        }
    }

    /// Prepares the covariances and the fixed part of the linear predictor for `psi`.
    pub fn prepare(&mut self, psi: &[f64]) -> Option<Kernel> {
        self.covariances = factor_covariances(self.layout, &self.index, psi)?;
        self.set_fixed(&psi[..self.index.p]);
        let tau = self.index.tau.map_or(0.0, |t| psi[t]);
        Some(Kernel::new(self.family, tau, &self.layout.response))
    }

    /// Finds all modes and factorises `H` at them with the observed information. Returns the
    /// log-likelihood contributions `sum_groups (h_o - 1/2 ln|H_o|)` without the
    /// `-(N/2) ln|Sigma|` terms, or `None` on failure.
    pub fn modes_and_factors(&mut self, kernel: &Kernel) -> Option<f64> {
        let lay = self.layout;
        let (qa, qb) = (lay.qa, lay.qb);
        let mut total = 0.0;
        for o in 0..lay.outer.len() {
            if !self.find_mode(o, kernel) {
                return None;
            }
            let h = self.assemble(o, kernel, Pass::Final)?;
            let mut logdet = small::cholesky_logdet(&self.s_chol[o * qa * qa..(o + 1) * qa * qa], qa);
            let group = &lay.outer[o];
            for j in group.inner.0..group.inner.1 {
                logdet += small::cholesky_logdet(&self.d_chol[j * qb * qb..(j + 1) * qb * qb], qb);
            }
            total += h - 0.5 * logdet;
        }
        Some(total)
    }

    /// `-(N/2) ln|Sigma|` summed over the factors.
    pub fn sigma_logdet_term(&self) -> f64 {
        let counts = [self.layout.outer.len(), self.layout.inner.len()];
        self.covariances.iter().zip(counts).map(|(c, n)| -0.5 * n as f64 * c.logdet).sum()
    }

    /// The Laplace log-likelihood at `psi`, and its gradient in `grad` (length `psi.len()`).
    pub fn evaluate(&mut self, psi: &[f64], grad: &mut [f64]) -> Option<f64> {
        let kernel = self.prepare(psi)?;
        let value = self.modes_and_factors(&kernel)? + self.sigma_logdet_term();
        if !value.is_finite() {
            return None;
        }
        self.gradient(grad);
        grad.iter().all(|g| g.is_finite()).then_some(value)
    }

    /// Gradient of the Laplace log-likelihood, after [`Laplace::modes_and_factors`].
    fn gradient(&mut self, grad: &mut [f64]) {
        let lay = self.layout;
        let (qa, qb, p) = (lay.qa, lay.qb, lay.p);
        grad.iter_mut().for_each(|g| *g = 0.0);
        let dims = [qa, qb];
        let mut m: Vec<Vec<f64>> = dims.iter().map(|&d| vec![0.0; d * d]).collect();
        let mut ao = vec![0.0; qa];
        // The inner part of `a` and of `v` lives in gi, reused as a buffer.
        let mut ai = std::mem::take(&mut self.gi);
        let mut work = vec![0.0; qa.max(qb)];
        let mut t = vec![0.0; qa];
        let mut r = vec![0.0; qb];
        let mut s_inv = vec![0.0; qa * qa];
        let mut hjj = vec![0.0; qb * qb];
        let mut es = vec![0.0; qb * qa];
        for (o, group) in lay.outer.iter().enumerate() {
            let s_l = &self.s_chol[o * qa * qa..(o + 1) * qa * qa];
            ao.iter_mut().for_each(|v| *v = 0.0);
            // s_i = z_i' H^-1 z_i and a = sum_i s_i w'_i z_i.
            for (j, (r0, r1)) in segments(lay, o) {
                if let Some(j) = j {
                    ai[j * qb..(j + 1) * qb].iter_mut().for_each(|v| *v = 0.0);
                }
                for i in r0..r1 {
                    let zo = &lay.zo[i * qa..(i + 1) * qa];
                    let w3 = -self.derivs[i].d3;
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
                    for c in 0..qa {
                        ao[c] += s * w3 * zo[c];
                    }
                    if let Some(j) = j {
                        let zi = &lay.zi[i * qb..(i + 1) * qb];
                        for rr in 0..qb {
                            ai[j * qb + rr] += s * w3 * zi[rr];
                        }
                    }
                }
            }
            // v = H^-1 a.
            self.arrow_solve(o, &mut ao, &mut ai);
            for (j, (r0, r1)) in segments(lay, o) {
                for i in r0..r1 {
                    let d = self.derivs[i];
                    let mut zv = dot(&lay.zo[i * qa..(i + 1) * qa], &ao);
                    if let Some(j) = j {
                        zv += dot(&lay.zi[i * qb..(i + 1) * qb], &ai[j * qb..(j + 1) * qb]);
                    }
                    let s = self.s[i];
                    let c = d.d1 + 0.5 * s * d.d3 - 0.5 * d.d2 * zv;
                    let x = lay.x_row(i);
                    for k in 0..p {
                        grad[k] += c * x[k];
                    }
                    if let Some(tau) = self.index.tau {
                        grad[tau] += d.dt + 0.5 * s * d.d2t - 0.5 * d.d1t * zv;
                    }
                }
            }
            // M += b b' + (H^-1)_level - sym(v b').
            small::cholesky_inverse(s_l, qa, &mut s_inv);
            let bo = &self.bo[o * qa..(o + 1) * qa];
            for a in 0..qa {
                for b in 0..qa {
                    m[0][a * qa + b] +=
                        bo[a] * bo[b] + s_inv[a * qa + b] - 0.5 * (ao[a] * bo[b] + bo[a] * ao[b]);
                }
            }
            for j in group.inner.0..group.inner.1 {
                let e = &self.e_mat[j * qb * qa..(j + 1) * qb * qa];
                small::cholesky_inverse(&self.d_chol[j * qb * qb..(j + 1) * qb * qb], qb, &mut hjj);
                // E S^-1, then + E S^-1 E'.
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
        }
        self.gi = ai;
        // Covariance parameters: 1/2 tr(Sigma^-1 dSigma Sigma^-1 (M - N Sigma)), term by term.
        let counts = [lay.outer.len(), lay.inner.len()];
        for (f, cov) in self.covariances.iter().enumerate() {
            let dim = cov.dim;
            let n = counts[f] as f64;
            for (k, block) in &cov.terms {
                let q = block.cov.q;
                let off = block.offset;
                // G_k = M_k - N Sigma_k, then P = Sigma_k^-1 G_k Sigma_k^-1.
                let mut g = vec![0.0; q * q];
                for a in 0..q {
                    for b in 0..q {
                        g[a * q + b] = m[f][(off + a) * dim + off + b] - n * block.cov.sigma[a * q + b];
                    }
                }
                let si = &block.sigma_inv;
                let mut tmp = vec![0.0; q * q];
                for a in 0..q {
                    for b in 0..q {
                        tmp[a * q + b] = (0..q).map(|c| si[a * q + c] * g[c * q + b]).sum();
                    }
                }
                let mut pm = vec![0.0; q * q];
                for a in 0..q {
                    for b in 0..q {
                        pm[a * q + b] = (0..q).map(|c| tmp[a * q + c] * si[c * q + b]).sum();
                    }
                }
                let (start, _) = self.index.theta[*k];
                for (m_idx, ds) in block.cov.dsigma.iter().enumerate() {
                    grad[start + m_idx] = 0.5 * dot(ds, &pm);
                }
            }
        }
    }

    /// `H` of outer level `o` for a scalar random effect without an inner factor, after
    /// [`Laplace::modes_and_factors`].
    pub fn curvature(&self, o: usize) -> f64 {
        self.s_chol[o] * self.s_chol[o]
    }

    /// Derivatives of sorted row `i` at the modes of the last evaluation.
    pub fn derivative(&self, i: usize) -> Derivatives {
        self.derivs[i]
    }

    /// `offset + x' beta` of sorted row `i`.
    pub fn eta_fixed(&self, i: usize) -> f64 {
        self.eta_fix[i]
    }

    /// Conditional standard deviations of the modes: square roots of the diagonal of `H^-1`,
    /// per factor (`levels with rows x dim`), after an evaluation.
    pub fn conditional_sds(&self) -> [Vec<f64>; 2] {
        let lay = self.layout;
        let (qa, qb) = (lay.qa, lay.qb);
        let mut outer = vec![0.0; lay.outer.len() * qa];
        let mut inner = vec![0.0; lay.inner.len() * qb];
        let mut s_inv = vec![0.0; qa * qa];
        let mut d_inv = vec![0.0; qb * qb];
        for (o, group) in lay.outer.iter().enumerate() {
            small::cholesky_inverse(&self.s_chol[o * qa * qa..(o + 1) * qa * qa], qa, &mut s_inv);
            for a in 0..qa {
                outer[o * qa + a] = s_inv[a * qa + a].max(0.0).sqrt();
            }
            for j in group.inner.0..group.inner.1 {
                let e = &self.e_mat[j * qb * qa..(j + 1) * qb * qa];
                small::cholesky_inverse(&self.d_chol[j * qb * qb..(j + 1) * qb * qb], qb, &mut d_inv);
                for r in 0..qb {
                    let er = &e[r * qa..(r + 1) * qa];
                    let v = d_inv[r * qb + r] + small::bilinear(&s_inv, qa, er, er);
                    inner[j * qb + r] = v.max(0.0).sqrt();
                }
            }
        }
        [outer, inner]
    }
}

#[cfg(test)]
mod tests {
    use super::super::layout::{validate, Layout};
    use super::super::testdata::{design, grouped, term, Rng};
    use super::*;
    use crate::design::Design;

    /// Simulates NB2 counts with random intercepts (and slopes) per group and per inner level.
    fn simulated(slope: bool, nested: bool) -> Design {
        let mut rng = Rng::new(7);
        let s = grouped(&mut rng, 12, 9, 3);
        let b: Vec<f64> = (0..12).map(|_| 0.4 * rng.normal()).collect();
        let c: Vec<f64> = (0..36).map(|_| 0.3 * rng.normal()).collect();
        let y = (0..s.x.len())
            .map(|i| {
                let eta = -3.0 + 0.5 * s.x[i] + s.offset[i] + b[s.group[i]] + if nested { c[s.inner[i]] } else { 0.0 };
                rng.nbinom2(eta.exp(), 4.0)
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
        let layout = Layout::new(d, &[0, 1]).unwrap();
        let mut la = Laplace::new(&layout, family);
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
        check_gradient(&d, Family::Nbinom2, &[-2.8, 0.4, 1.2, 0.3f64.ln(), 0.2f64.ln(), 0.5, 0.25f64.ln(), 0.1f64.ln(), -0.3]);
    }
}
