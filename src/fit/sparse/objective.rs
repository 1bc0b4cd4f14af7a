//! The Laplace approximation for general sparse random effects and its exact gradient (the
//! maths is in the module doc of [`super`]).

use nalgebra::DMatrix;
use std::borrow::Borrow;

use super::factor::Factor;
use super::model::{SparseModel, Structure};
use super::structured::PrecisionValues;
use super::symbolic::{FactorPattern, Factorisation, PriorEntry, Symbolic};
use crate::fit::likelihood::covariance::TermCovariance;
use crate::fit::likelihood::family::{Derivatives, Kernel, ModeTerms};
use crate::fit::likelihood::params::ParamIndex;
use crate::fit::likelihood::newton::backtrack;
use crate::fit::likelihood::LogLikelihood;
use crate::fit::FitError;
use crate::fit::{small, Family};

/// Newton iterations allowed for the modes.
const MAX_MODE_ITERATIONS: usize = 200;
/// The modes are accepted once the Newton decrement `g' H^-1 g` falls below this value...
const MODE_DECREMENT_TOL: f64 = 1e-18;
/// ... or below this one after a Newton step from below it (where rounding keeps the
/// decrement from falling further).
const MODE_DECREMENT_FLOOR: f64 = 1e-14;

/// An unstructured term's covariance at the current parameters.
#[derive(Debug, Default)]
struct Covariance {
    sigma: Vec<f64>,
    /// `Sigma^-1 dSigma/dtheta_k Sigma^-1`, one `q x q` matrix per parameter.
    derivatives: Vec<Vec<f64>>,
}

/// A structured term's precision at the current parameters.
#[derive(Debug, Default)]
struct Precision {
    values: PrecisionValues,
    /// The parameters `values` were computed at (empty before the first evaluation or after a
    /// failed one): an evaluation at the same parameters reuses them.
    theta: Vec<f64>,
    /// Whether the term's effects share no row with other effects and have one column, so that
    /// the term's block of `H` is `Q + D` with `D` diagonal and nothing outside the block: then
    /// a derivative given as a congruence `dQ = -Q S Q` ([`PrecisionValues::congruent`]) enters
    /// `tr(H^-1 dQ)` through `Q H^-1 Q = Q - D + D H^-1 D`, entry by entry.
    isolated: bool,
}

#[derive(Debug)]
enum TermState {
    Unstructured(Covariance),
    Precision(Precision),
}

/// Sizes of the random effects' sparse structure, for reports and benchmarks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StructureSize {
    /// Random effects (levels with rows, times columns, over the terms).
    pub effects: usize,
    /// Stored entries of the upper triangle of `H`.
    pub hessian_entries: usize,
    /// Stored entries of its Cholesky factor (after the fill-reducing ordering).
    pub factor_entries: usize,
    /// Whether the factorisation is supernodal (see [`Factorisation`]).
    pub supernodal: bool,
}

/// Laplace-approximation evaluator for a [`SparseModel`]; keeps the random-effect modes and
/// their sensitivities between evaluations.
#[derive(Debug)]
pub struct SparseLaplace<M: Borrow<SparseModel> + Clone> {
    /// The model, borrowed (`&SparseModel`) or shared (`Arc<SparseModel>`, as a fit holds it).
    model: M,
    family: Family,
    pub(crate) index: ParamIndex,
    sym: Symbolic,
    factor: Factor,
    states: Vec<TermState>,
    /// Values of the prior entries of `Q`.
    prior_values: Vec<f64>,
    /// `ln|Q|` over the levels kept.
    logdet_q: f64,
    /// Modes (in the permuted numbering of the factorisation, as every vector over the
    /// effects here).
    b: Vec<f64>,
    b_old: Vec<f64>,
    /// Gradient of `h` at the modes.
    g: Vec<f64>,
    /// Remaining Newton step `H^-1 g`.
    u: Vec<f64>,
    /// `Q b`, then `H^-1 a - 2u` in the gradient.
    qb: Vec<f64>,
    eta_fix: Vec<f64>,
    eta: Vec<f64>,
    modes: Vec<ModeTerms>,
    derivs: Vec<Derivatives>,
    /// `z_i' H^-1 z_i` per row.
    s: Vec<f64>,
    /// Values of the upper triangle of the permuted `H`.
    a_values: Vec<f64>,
    /// `db^/dpsi`, `m x len` row-major.
    jac: Vec<f64>,
    last_psi: Option<Vec<f64>>,
}

impl<M: Borrow<SparseModel> + Clone> LogLikelihood for SparseLaplace<M> {
    fn loglik(&mut self, psi: &[f64], grad: &mut [f64]) -> Option<f64> {
        self.evaluate(psi, grad)
    }

    fn fixed_information(&self) -> Option<DMatrix<f64>> {
        self.last_psi.as_ref().map(|_| self.fixed_effect_information())
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// A structured term's derivative given as the congruence `dQ = -Q S Q` (see
/// [`PrecisionValues::congruent`]), with `Q`, `S` on the term's prior entries and the
/// factorised `H` and its selected inverse `H^-1`, for a term whose block of `H` is `Q + D`
/// with `D` diagonal and no entries outside the block (an isolated term).
struct Congruence<'a> {
    prior: &'a [PriorEntry],
    q: &'a [f64],
    s: &'a [f64],
    /// `H^-1` on the pattern of `L`.
    inverse: &'a [f64],
    /// `H` on the factorisation's input pattern.
    hessian: &'a [f64],
}

impl Congruence<'_> {
    /// `out += A x` for the symmetric `A` with `values` on the prior entries (permuted
    /// numbering).
    fn apply(&self, values: &[f64], x: &[f64], out: &mut [f64]) {
        for (entry, &a) in self.prior.iter().zip(values) {
            let (i, j) = (entry.i as usize, entry.j as usize);
            out[i] += a * x[j];
            if i != j {
                out[j] += a * x[i];
            }
        }
    }

    /// `(b'dQ b, v'dQ b, tr(H^-1 dQ))`, and `-dQ b` added to column `col` of the mode
    /// sensitivities' right-hand sides `jac` (`m x len`, row-major). With `dQ = -Q S Q`:
    /// `b'dQ b = -(Qb)'S(Qb)`, `v'dQ b = -(Qv)'S(Qb)`, `-dQ b = Q S Q b` (products with the
    /// pattern, no dense matrix products), and `tr(H^-1 dQ) = -sum_ij S_ij (Q H^-1 Q)_ij` with
    /// `Q H^-1 Q = Q - D + D H^-1 D` (from `H = Q + D`).
    fn terms(&self, b: &[f64], v: &[f64], jac: &mut [f64], len: usize, col: usize) -> (f64, f64, f64) {
        let m = b.len();
        let (mut qb, mut qv, mut sqb, mut qsqb) = (vec![0.0; m], vec![0.0; m], vec![0.0; m], vec![0.0; m]);
        self.apply(self.q, b, &mut qb);
        self.apply(self.q, v, &mut qv);
        self.apply(self.s, &qb, &mut sqb);
        self.apply(self.q, &sqb, &mut qsqb);
        for (i, x) in qsqb.iter().enumerate() {
            jac[i * len + col] += x;
        }
        // D = diag(H) - diag(Q), over the term's effects (zero elsewhere).
        let mut d = vec![0.0; m];
        for (entry, &q) in self.prior.iter().zip(self.q) {
            if entry.i == entry.j {
                d[entry.i as usize] = self.hessian[entry.a as usize] - q;
            }
        }
        let mut trace = 0.0;
        for ((entry, &q), &s) in self.prior.iter().zip(self.q).zip(self.s) {
            let (i, j) = (entry.i as usize, entry.j as usize);
            let qzq = q + d[i] * self.inverse[entry.l as usize] * d[j];
            trace -= if i == j { s * (qzq - d[i]) } else { 2.0 * s * qzq };
        }
        (-dot(&qb, &sqb), -dot(&qv, &sqb), trace)
    }
}

/// `A B` for `q x q` row-major matrices.
fn product(a: &[f64], b: &[f64], q: usize) -> Vec<f64> {
    let mut out = vec![0.0; q * q];
    for r in 0..q {
        for c in 0..q {
            out[r * q + c] = (0..q).map(|k| a[r * q + k] * b[k * q + c]).sum();
        }
    }
    out
}

impl<M: Borrow<SparseModel> + Clone> SparseLaplace<M> {
    /// Analyses the structure of `model`'s random effects (ordering, symbolic factorisation).
    /// `psi = (beta, tau, theta_1, ..., theta_T)`: the fixed effects, the log dispersion for
    /// the negative binomial families, then each term's covariance parameters.
    pub fn new(model: M, family: Family) -> Result<SparseLaplace<M>, FitError> {
        SparseLaplace::with_factorisation(model, family, Factorisation::Automatic)
    }

    /// [`SparseLaplace::new`] with the choice of numeric factorisation made by the caller
    /// (for tests and benchmarks; the automatic choice is the faster one).
    pub fn with_factorisation(
        model: M,
        family: Family,
        factorisation: Factorisation,
    ) -> Result<SparseLaplace<M>, FitError> {
        let shared = model.clone();
        let model_ref: &SparseModel = shared.borrow();
        let sym = Symbolic::new(model_ref, factorisation)?;
        let p = model_ref.p;
        let tau = family.has_dispersion().then_some(p);
        let mut next = p + tau.is_some() as usize;
        let theta = model_ref
            .terms
            .iter()
            .map(|t| {
                let start = next;
                next += t.parameter_count();
                (start, t.parameter_count())
            })
            .collect();
        let columns = model_ref.terms.iter().map(|t| t.q).collect();
        let zi = (model_ref.pz > 0).then_some((next, model_ref.pz));
        next += model_ref.pz;
        let index = ParamIndex { p, tau, theta, columns, zi, len: next };
        let (n, m, len) = (model_ref.n(), sym.m, index.len);
        let factor = Factor::new(&sym, len)?;
        let states = model_ref
            .terms
            .iter()
            .map(|t| match t.structure {
                Structure::Unstructured => TermState::Unstructured(Covariance::default()),
                Structure::Precision(_) => TermState::Precision(Precision {
                    isolated: model_ref.terms.len() == 1 && t.q == 1,
                    ..Precision::default()
                }),
            })
            .collect();
        Ok(SparseLaplace {
            model,
            family,
            index,
            factor,
            states,
            prior_values: vec![0.0; sym.prior.len()],
            logdet_q: 0.0,
            b: vec![0.0; m],
            b_old: vec![0.0; m],
            g: vec![0.0; m],
            u: vec![0.0; m],
            qb: vec![0.0; m],
            eta_fix: vec![0.0; n],
            eta: vec![0.0; n],
            modes: vec![ModeTerms::default(); n],
            derivs: vec![Derivatives::default(); n],
            s: vec![0.0; n],
            a_values: vec![0.0; sym.input_len()],
            jac: vec![0.0; m * len],
            last_psi: None,
            sym,
        })
    }

    /// The model evaluated.
    pub fn model(&self) -> &SparseModel {
        self.model.borrow()
    }

    /// The model as the evaluator holds it.
    pub fn shared_model(&self) -> &M {
        &self.model
    }

    /// The family of the counts.
    pub fn family(&self) -> Family {
        self.family
    }

    /// Length of `psi`.
    pub fn parameter_count(&self) -> usize {
        self.index.len
    }

    /// Position of the log dispersion in `psi`, if the family has one.
    pub fn tau_position(&self) -> Option<usize> {
        self.index.tau
    }

    /// Start and length of term `t`'s covariance parameters in `psi`.
    pub fn theta_range(&self, t: usize) -> (usize, usize) {
        self.index.theta[t]
    }

    pub fn structure_size(&self) -> StructureSize {
        StructureSize {
            effects: self.sym.m,
            hessian_entries: self.sym.input_len(),
            factor_entries: self.sym.factor_len(),
            supernodal: matches!(self.sym.l, FactorPattern::Supernodal { .. }),
        }
    }

    /// The Laplace log-likelihood at `psi`, with its gradient in `grad` (length
    /// [`SparseLaplace::parameter_count`]); `None` where it cannot be evaluated (a covariance
    /// that is not positive definite, modes that cannot be found, a value that is not finite).
    pub fn evaluate(&mut self, psi: &[f64], grad: &mut [f64]) -> Option<f64> {
        let result = self.evaluate_inner(psi, grad);
        self.last_psi = result.map(|_| psi.to_vec());
        result
    }

    /// The covariances and precisions, the prior entries of `Q`, `offset + X beta` and the
    /// family kernel at `psi`.
    fn prepare(&mut self, psi: &[f64]) -> Option<Kernel> {
        let shared = self.model.clone();
        let model: &SparseModel = shared.borrow();
        self.logdet_q = 0.0;
        for (t, term) in model.terms.iter().enumerate() {
            let (start, len) = self.index.theta[t];
            let theta = &psi[start..start + len];
            let lay = &self.sym.terms[t];
            let (e0, e1) = lay.prior;
            match (&term.structure, &mut self.states[t]) {
                (Structure::Unstructured, TermState::Unstructured(state)) => {
                    let q = term.q;
                    let cov = TermCovariance::new(theta, q);
                    let mut l = cov.sigma.clone();
                    if !small::cholesky(&mut l, q) {
                        return None;
                    }
                    let mut inv = vec![0.0; q * q];
                    small::cholesky_inverse(&l, q, &mut inv);
                    if inv.iter().any(|v| !v.is_finite()) {
                        return None;
                    }
                    state.derivatives =
                        cov.dsigma.iter().map(|ds| product(&product(&inv, ds, q), &inv, q)).collect();
                    state.sigma = cov.sigma;
                    for (e, entry) in self.sym.prior[e0..e1].iter().enumerate() {
                        let a = (entry.oi as usize - lay.offset) % q;
                        let c = (entry.oj as usize - lay.offset) % q;
                        self.prior_values[e0 + e] = inv[a * q + c];
                    }
                    self.logdet_q -= lay.count as f64 * small::cholesky_logdet(&l, q);
                }
                (Structure::Precision(model), TermState::Precision(state)) => {
                    if state.theta != theta {
                        state.theta.clear();
                        let values = &mut state.values;
                        let evaluated = if state.isolated {
                            model.evaluate_congruent(theta, values)
                        } else {
                            model.evaluate(theta, values)
                        };
                        let entries = e1 - e0;
                        let shaped = values.q.len() == entries
                            && values.dq.len() == len
                            && values.dlogdet.len() == len
                            && (0..len).all(|k| {
                                values.dq[k].len() == entries
                                    || state.isolated
                                        && values.dq[k].is_empty()
                                        && values.congruent.get(k).is_some_and(|s| s.len() == entries)
                            });
                        if !evaluated || !shaped {
                            return None;
                        }
                        state.theta.extend_from_slice(theta);
                    }
                    self.prior_values[e0..e1].copy_from_slice(&state.values.q);
                    self.logdet_q += state.values.logdet;
                }
                _ => unreachable!("term states follow the model's terms"),
            }
        }
        let p = self.index.p;
        for i in 0..model.n() {
            self.eta_fix[i] = model.offset[i] + dot(model.x_row(i), &psi[..p]);
        }
        let tau = self.index.tau.map_or(0.0, |t| psi[t]);
        let kernel = Kernel::new(self.family, tau, &model.response);
        Some(match self.index.zi {
            Some((start, len)) => kernel.with_zero_inflation(std::sync::Arc::new(
                model.zero_inflation_predictor(&psi[start..start + len]),
            )),
            None => kernel,
        })
    }

    /// Builds `g`, `H` (observed or Fisher weights) and its factorisation at the current modes,
    /// storing every row's [`ModeTerms`]. Returns `h` up to `b`-free constants, or `None` if it
    /// is not finite or `H` is not positive definite.
    fn assemble(&mut self, kernel: &Kernel, fisher: bool) -> Option<f64> {
        let sym = &self.sym;
        let (b, g, qb, a_values) = (&self.b, &mut self.g, &mut self.qb, &mut self.a_values);
        a_values.iter_mut().for_each(|v| *v = 0.0);
        qb.iter_mut().for_each(|v| *v = 0.0);
        for (entry, &v) in sym.prior.iter().zip(&self.prior_values) {
            let (i, j) = (entry.i as usize, entry.j as usize);
            a_values[entry.a as usize] += v;
            qb[i] += v * b[j];
            if i != j {
                qb[j] += v * b[i];
            }
        }
        let mut h = -0.5 * dot(b, qb);
        for (gi, qi) in g.iter_mut().zip(qb.iter()) {
            *gi = -qi;
        }
        let (width, pairs) = (sym.width, sym.pairs);
        let response = &self.model.borrow().response;
        for r in 0..response.y.len() {
            let coords = &sym.coords[r * width..(r + 1) * width];
            let z = &sym.z[r * width..(r + 1) * width];
            let mut eta = self.eta_fix[r];
            for (&c, &zc) in coords.iter().zip(z) {
                eta += zc * b[c as usize];
            }
            let t = kernel.mode_row(response, r, eta);
            self.modes[r] = t;
            self.eta[r] = eta;
            h += t.l;
            let w = if fisher { t.fisher } else { t.w };
            let positions = &sym.pair_a[r * pairs..(r + 1) * pairs];
            let mut k = 0;
            for c2 in 0..width {
                g[coords[c2] as usize] += t.d1 * z[c2];
                let wz = w * z[c2];
                for &z1 in &z[..=c2] {
                    a_values[positions[k] as usize] += wz * z1;
                    k += 1;
                }
            }
        }
        if !h.is_finite() || !self.factor.factorize(sym, a_values) {
            return None;
        }
        Some(h)
    }

    /// Assembles with observed weights, falling back to Fisher weights where the observed
    /// information is not positive definite (possible for NB1). Returns `h` and whether the
    /// observed information was used.
    fn assemble_for_newton(&mut self, kernel: &Kernel) -> Option<(f64, bool)> {
        match self.assemble(kernel, false) {
            Some(h) => Some((h, true)),
            None => self.assemble(kernel, true).map(|h| (h, false)),
        }
    }

    /// Newton step `u = H^-1 g`; returns the decrement `g'u`.
    fn newton_step(&mut self) -> f64 {
        self.u.copy_from_slice(&self.g);
        self.factor.solve(&self.sym, &mut self.u, 1);
        dot(&self.u, &self.g)
    }

    /// Moves the modes to the maximum of `h`: Newton steps with step halving until the
    /// decrement `g'H^-1 g` at the observed information is below [`MODE_DECREMENT_TOL`] (or
    /// below [`MODE_DECREMENT_FLOOR`] twice in a row). Leaves the factorisation at the final
    /// modes and the (negligible) remaining Newton step in `u`, whose first-order effect the
    /// value and the gradient include; returns `h` (up to constants) and the remaining
    /// decrement. Newton converges quadratically, so from modes extrapolated to a nearby `psi`
    /// (a decrement of about 1e-8) one step usually suffices.
    fn find_modes(&mut self, kernel: &Kernel) -> Option<(f64, f64)> {
        let (mut h, mut observed) = match self.assemble_for_newton(kernel) {
            Some(v) => v,
            None => {
                // A poor start (e.g. after a large outer step): restart from zero.
                self.b.iter_mut().for_each(|v| *v = 0.0);
                self.assemble_for_newton(kernel)?
            }
        };
        let mut polished = false;
        for _ in 0..MAX_MODE_ITERATIONS {
            let decrement = self.newton_step();
            if !decrement.is_finite() {
                return None;
            }
            let small = observed && decrement < MODE_DECREMENT_FLOOR;
            if observed && (decrement < MODE_DECREMENT_TOL || small && polished) {
                return Some((h, decrement));
            }
            self.b_old.copy_from_slice(&self.b);
            (h, observed) = backtrack(h, |t| {
                for ((b, old), u) in self.b.iter_mut().zip(&self.b_old).zip(&self.u) {
                    *b = old + t * u;
                }
                self.assemble_for_newton(kernel)
            })?;
            polished = small;
        }
        None
    }

    /// Starts the modes from their first-order prediction at `psi` from the last evaluation.
    fn extrapolate(&mut self, psi: &[f64]) {
        let Some(last) = self.last_psi.take() else { return };
        let len = psi.len();
        let delta: Vec<f64> = psi.iter().zip(&last).map(|(a, b)| a - b).collect();
        // The remaining Newton step u completes the last modes before extrapolating.
        for ((b, row), u) in self.b.iter_mut().zip(self.jac.chunks_exact(len.max(1))).zip(&self.u) {
            *b += u + dot(row, &delta);
        }
    }

    fn evaluate_inner(&mut self, psi: &[f64], grad: &mut [f64]) -> Option<f64> {
        if psi.len() != self.index.len || grad.len() != self.index.len {
            return None;
        }
        let kernel = self.prepare(psi)?;
        self.extrapolate(psi);
        let (h, decrement) = self.find_modes(&kernel)?;
        let shared = self.model.clone();
        let model: &SparseModel = shared.borrow();
        self.factor.select_inverse(&self.sym);
        let correction = self.gradient(&kernel, decrement, grad);
        let value = kernel.constant(&model.response) + 0.5 * self.logdet_q + h
            - 0.5 * self.factor.logdet(&self.sym)
            + correction;
        (value.is_finite() && grad.iter().all(|g| g.is_finite())).then_some(value)
    }

    /// The gradient (see the module doc) and the mode sensitivities, from every row's
    /// derivatives and the selected inverse at the modes. Returns the value correction
    /// `1/2 g'u - 1/2 a'u` for the remaining Newton step `u`.
    fn gradient(&mut self, kernel: &Kernel, decrement: f64, grad: &mut [f64]) -> f64 {
        let shared = self.model.clone();
        let model: &SparseModel = shared.borrow();
        let (n, p, len) = (model.n(), self.index.p, self.index.len);
        let (width, pairs) = (self.sym.width, self.sym.pairs);
        grad.iter_mut().for_each(|g| *g = 0.0);
        // s_i = z_i' H^-1 z_i and a = sum_i s_i w'_i z_i (kept in qb, free until the next
        // assembly).
        let mut a = std::mem::take(&mut self.qb);
        a.iter_mut().for_each(|v| *v = 0.0);
        for r in 0..n {
            let coords = &self.sym.coords[r * width..(r + 1) * width];
            let z = &self.sym.z[r * width..(r + 1) * width];
            let positions = &self.sym.pair_l[r * pairs..(r + 1) * pairs];
            let mut sr = 0.0;
            let mut k = 0;
            for c2 in 0..width {
                let mut off = 0.0;
                for &z1 in &z[..c2] {
                    off += self.factor.inverse[positions[k] as usize] * z1;
                    k += 1;
                }
                sr += z[c2] * (2.0 * off + self.factor.inverse[positions[k] as usize] * z[c2]);
                k += 1;
            }
            self.s[r] = sr;
            let d = kernel.complete(&model.response, r, self.eta[r], &self.modes[r]);
            self.derivs[r] = d;
            let sw = -sr * d.d3;
            for (&c, &zc) in coords.iter().zip(z) {
                a[c as usize] += sw * zc;
            }
        }
        // Value correction for the remaining step u, then v = H^-1 a and v~ = v - 2u.
        let correction = 0.5 * decrement - 0.5 * dot(&a, &self.u);
        self.factor.solve(&self.sym, &mut a, 1);
        for (v, u) in a.iter_mut().zip(&self.u) {
            *v -= 2.0 * u;
        }
        let v = a;
        // Fixed effects and dispersion; right-hand sides d2h/db dpsi of the sensitivities.
        self.jac.iter_mut().for_each(|x| *x = 0.0);
        for r in 0..n {
            let d = self.derivs[r];
            let coords = &self.sym.coords[r * width..(r + 1) * width];
            let z = &self.sym.z[r * width..(r + 1) * width];
            let zv: f64 = coords.iter().zip(z).map(|(&c, &zc)| zc * v[c as usize]).sum();
            let sr = self.s[r];
            let c = d.d1 + 0.5 * sr * d.d3 - 0.5 * d.d2 * zv;
            let x = model.x_row(r);
            for k in 0..p {
                grad[k] += c * x[k];
            }
            for (&cc, &zc) in coords.iter().zip(z) {
                let row = &mut self.jac[cc as usize * len..(cc as usize + 1) * len];
                let wz = d.d2 * zc;
                for k in 0..p {
                    row[k] += wz * x[k];
                }
                if let Some(tau) = self.index.tau {
                    row[tau] += d.d1t * zc;
                }
            }
            if let Some(tau) = self.index.tau {
                grad[tau] += d.dt + 0.5 * sr * d.d2t - 0.5 * d.d1t * zv;
            }
            // Zero-inflation coefficients: as tau, with the row's zero-inflation covariates.
            if let Some((start, pz)) = self.index.zi {
                let xz = &model.xz[r * pz..(r + 1) * pz];
                let c = d.dz + 0.5 * sr * d.d2z - 0.5 * d.d1z * zv;
                for (g, &v) in grad[start..start + pz].iter_mut().zip(xz) {
                    *g += c * v;
                }
                for (&cc, &zc) in coords.iter().zip(z) {
                    let row = &mut self.jac[cc as usize * len..(cc as usize + 1) * len];
                    for (m, &v) in xz.iter().enumerate() {
                        row[start + m] += d.d1z * v * zc;
                    }
                }
            }
        }
        self.covariance_gradient(&v, grad);
        self.qb = v;
        // Mode sensitivities db^/dpsi = H^-1 (d2h/db dpsi), all columns at once.
        if len > 0 {
            self.factor.solve(&self.sym, &mut self.jac, len);
        }
        correction
    }

    /// The covariance parameters' part of the gradient and of the sensitivities' right-hand
    /// sides (see the module doc), with `v` the vector `v~ = H^-1 a - 2u`.
    fn covariance_gradient(&mut self, v: &[f64], grad: &mut [f64]) {
        let len = self.index.len;
        let b = &self.b;
        let perm = &self.sym.perm_inv;
        for (t, state) in self.states.iter().enumerate() {
            let lay = &self.sym.terms[t];
            let (start, _) = self.index.theta[t];
            let (e0, e1) = lay.prior;
            match state {
                TermState::Unstructured(cov) => {
                    // dLA/dtheta = 1/2 <Sigma^-1 dSigma Sigma^-1, M - N Sigma>,
                    // M = sum_levels (b b' + (H^-1)_level - sym(v~ b')).
                    let q = lay.q;
                    let mut m = vec![0.0; q * q];
                    for l in 0..lay.count {
                        let base = lay.offset + l * q;
                        for r1 in 0..q {
                            let (b1, v1) = (b[perm[base + r1]], v[perm[base + r1]]);
                            for r2 in 0..q {
                                let (b2, v2) = (b[perm[base + r2]], v[perm[base + r2]]);
                                m[r1 * q + r2] += b1 * b2 - 0.5 * (v1 * b2 + b1 * v2);
                            }
                        }
                    }
                    for entry in &self.sym.prior[e0..e1] {
                        let r1 = (entry.oi as usize - lay.offset) % q;
                        let r2 = (entry.oj as usize - lay.offset) % q;
                        let zinv = self.factor.inverse[entry.l as usize];
                        m[r1 * q + r2] += zinv;
                        if r1 != r2 {
                            m[r2 * q + r1] += zinv;
                        }
                    }
                    let count = lay.count as f64;
                    for (k, dk) in cov.derivatives.iter().enumerate() {
                        grad[start + k] = 0.5
                            * dk.iter()
                                .zip(&m)
                                .zip(&cov.sigma)
                                .map(|((d, m), s)| d * (m - count * s))
                                .sum::<f64>();
                        // d2h/db dtheta_k = Sigma^-1 dSigma Sigma^-1 b per level.
                        for l in 0..lay.count {
                            let base = lay.offset + l * q;
                            for r1 in 0..q {
                                let value = (0..q).map(|r2| dk[r1 * q + r2] * b[perm[base + r2]]).sum();
                                self.jac[perm[base + r1] * len + start + k] = value;
                            }
                        }
                    }
                }
                TermState::Precision(Precision { values, .. }) => {
                    // dLA/dtheta = -1/2 b'dQ b + 1/2 d ln|Q| - 1/2 tr(H^-1 dQ) + 1/2 v~'dQ b.
                    let prior = &self.sym.prior[e0..e1];
                    for (k, dq) in values.dq.iter().enumerate() {
                        let col = start + k;
                        if dq.is_empty() {
                            let congruence = Congruence {
                                prior,
                                q: &values.q,
                                s: &values.congruent[k],
                                inverse: &self.factor.inverse,
                                hessian: &self.a_values,
                            };
                            let (bqb, vqb, trace) = congruence.terms(b, v, &mut self.jac, len, col);
                            grad[col] = -0.5 * bqb + 0.5 * values.dlogdet[k] - 0.5 * trace + 0.5 * vqb;
                            continue;
                        }
                        let (mut bqb, mut vqb, mut trace) = (0.0, 0.0, 0.0);
                        for (entry, &d) in self.sym.prior[e0..e1].iter().zip(dq) {
                            let (i, j) = (entry.i as usize, entry.j as usize);
                            let zinv = self.factor.inverse[entry.l as usize];
                            if i == j {
                                bqb += d * b[i] * b[i];
                                vqb += d * v[i] * b[i];
                                trace += d * zinv;
                                self.jac[i * len + col] -= d * b[i];
                            } else {
                                bqb += 2.0 * d * b[i] * b[j];
                                vqb += d * (v[i] * b[j] + v[j] * b[i]);
                                trace += 2.0 * d * zinv;
                                self.jac[i * len + col] -= d * b[j];
                                self.jac[j * len + col] -= d * b[i];
                            }
                        }
                        grad[col] = -0.5 * bqb + 0.5 * values.dlogdet[k] - 0.5 * trace + 0.5 * vqb;
                    }
                }
            }
        }
    }

    /// `X'WX - X'WZ H^-1 Z'WX = X'W (X + Z db^/dbeta)`: the fixed effects' information with
    /// the modes following them, which omits only the (small) curvature of `ln|H|`. Uses the
    /// derivatives and sensitivities of the last evaluation.
    fn fixed_effect_information(&self) -> DMatrix<f64> {
        let shared = self.model.clone();
        let model: &SparseModel = shared.borrow();
        let (p, len, width) = (self.index.p, self.index.len, self.sym.width);
        let mut info = DMatrix::zeros(p, p);
        let mut zj = vec![0.0; p];
        for r in 0..model.n() {
            let w = -self.derivs[r].d2;
            let coords = &self.sym.coords[r * width..(r + 1) * width];
            let z = &self.sym.z[r * width..(r + 1) * width];
            zj.iter_mut().for_each(|v| *v = 0.0);
            for (&c, &zc) in coords.iter().zip(z) {
                let row = &self.jac[c as usize * len..c as usize * len + p];
                for (v, j) in zj.iter_mut().zip(row) {
                    *v += zc * j;
                }
            }
            let x = model.x_row(r);
            for a in 0..p {
                for c in 0..p {
                    info[(a, c)] += w * x[a] * (x[c] + zj[c]);
                }
            }
        }
        (&info + info.transpose()) * 0.5
    }

    /// The original number of the first effect of `level` of term `t`, if it has one.
    fn effect(&self, t: usize, level: usize) -> Option<usize> {
        let lay = &self.sym.terms[t];
        lay.compact.get(level).copied().filter(|&c| c != usize::MAX).map(|c| lay.offset + c * lay.q)
    }

    /// Conditional modes of term `t` at the last evaluation, `levels x q` row-major (zero for
    /// levels without rows of an unstructured term).
    pub fn modes(&self, t: usize) -> Vec<f64> {
        let term = &self.model.borrow().terms[t];
        let q = term.q;
        let mut out = vec![0.0; term.levels * q];
        for l in 0..term.levels {
            if let Some(e) = self.effect(t, l) {
                // The remaining Newton step completes the modes.
                for c in 0..q {
                    let k = self.sym.perm_inv[e + c];
                    out[l * q + c] = self.b[k] + self.u[k];
                }
            }
        }
        out
    }

    /// Conditional covariances of term `t`'s effects given the data at the last evaluation,
    /// `levels x q x q` row-major: the blocks `(H^-1)_level` (as `ranef(condVar = TRUE)`
    /// without the uncertainty of the parameters); the prior `Sigma` for levels without rows of
    /// an unstructured term.
    pub fn conditional_covariances(&self, t: usize) -> Vec<f64> {
        let term = &self.model.borrow().terms[t];
        let lay = &self.sym.terms[t];
        let q = term.q;
        let mut out = vec![0.0; term.levels * q * q];
        let blocks = lay.count;
        let mut block_of_compact = vec![usize::MAX; blocks];
        for (l, &c) in lay.compact.iter().enumerate() {
            if c != usize::MAX {
                block_of_compact[c] = l;
            } else if let TermState::Unstructured(cov) = &self.states[t] {
                out[l * q * q..(l + 1) * q * q].copy_from_slice(&cov.sigma);
            }
        }
        let (e0, e1) = lay.prior;
        for entry in &self.sym.prior[e0..e1] {
            let (i, j) = (entry.oi as usize - lay.offset, entry.oj as usize - lay.offset);
            if i / q != j / q {
                continue;
            }
            let l = block_of_compact[i / q];
            let (r1, r2) = (i % q, j % q);
            let v = self.factor.inverse[entry.l as usize];
            out[l * q * q + r1 * q + r2] = v;
            out[l * q * q + r2 * q + r1] = v;
        }
        out
    }

    /// Conditional variances of term `t`'s effects (the diagonal of `H^-1`), `levels x q`.
    pub fn conditional_variances(&self, t: usize) -> Vec<f64> {
        let q = self.model.borrow().terms[t].q;
        self.conditional_covariances(t)
            .chunks_exact(q * q)
            .flat_map(|block| (0..q).map(move |c| block[c * q + c]))
            .collect()
    }

    /// `d b^ / d psi` of term `t`'s effects at `level` (`q x len` row-major), at the last
    /// evaluation; `None` for a level without rows of an unstructured term.
    pub fn mode_sensitivity(&self, t: usize, level: usize) -> Option<Vec<f64>> {
        let len = self.index.len;
        let q = self.model.borrow().terms[t].q;
        self.effect(t, level).map(|e| {
            (0..q).flat_map(|c| self.jac[self.sym.perm_inv[e + c] * len..][..len].iter().copied()).collect()
        })
    }

    /// Linear predictor of every row at the modes of the last evaluation.
    pub fn linear_predictor(&self) -> &[f64] {
        &self.eta
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fit::likelihood::laplace::Laplace;
    use crate::fit::likelihood::layout::Layout;
    use crate::fit::testdata::{design, grouped, term, Rng};

    /// The fixed effects' information given the modes (the optimiser's starting curvature)
    /// equals the block-arrow evaluator's on a nested model with random slopes.
    #[test]
    fn fixed_effect_information_equals_the_block_arrow_evaluators() {
        let mut rng = Rng::new(5);
        let s = grouped(&mut rng, 10, 12, 3);
        let y: Vec<f64> =
            (0..s.x.len()).map(|i| rng.poisson((-3.0 + 0.5 * s.x[i] + s.offset[i]).exp()) as f64).collect();
        let d = design(&s, y, vec![term(&s, "g", &s.group, true), term(&s, "g:h", &s.inner, false)]);
        let structure = crate::fit::structure::RandomStructure::of(&d).unwrap();
        let layout = std::sync::Arc::new(Layout::new(&d, &[0, 1], &structure).unwrap());
        let model = SparseModel::from_design(&d, &[0, 1]).unwrap();
        let psi = [-2.9, 0.45, 1.5, 0.3f64.ln(), 0.15f64.ln(), 0.4, 0.2f64.ln()];
        let mut grad = vec![0.0; psi.len()];
        let mut block = Laplace::new(layout, Family::Nbinom2);
        block.evaluate(&psi, &mut grad).unwrap();
        let mut sparse = SparseLaplace::new(&model, Family::Nbinom2).unwrap();
        assert!(sparse.fixed_information().is_none());
        sparse.evaluate(&psi, &mut grad).unwrap();
        let (a, b) = (sparse.fixed_information().unwrap(), block.fixed_information().unwrap());
        assert!((&a - &b).abs().max() < 1e-9 * b.abs().max(), "{a} vs {b}");
    }
}
