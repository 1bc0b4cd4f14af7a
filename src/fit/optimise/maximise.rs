//! Maximisation of a mixed model's approximate log-likelihood over the outer parameters
//! `psi = (beta, tau, theta)`.
//!
//! The optimiser works in scaled coordinates `u`, `psi = psi_0 + T u`, where `psi_0` is the
//! start (GLM estimates and moderate variances) and `T` whitens the fixed effects and the
//! dispersion with the GLM covariance (Cholesky factor), so that every coordinate is of order
//! one per standard error. BFGS (started from the fixed effects' information given the modes and
//! a forward-difference Hessian for the other parameters) brings the
//! gradient down; Newton steps with a central-difference Hessian of the exact gradient then
//! converge to `grad_tol` standard errors, and the inverse of that Hessian is the covariance
//! of the estimates (as TMB's `sdreport` computes it). Covariance parameters of a variance
//! estimated as (near) zero or a correlation near +-1 are held fixed in the Newton stage
//! (their Hessian is singular there) and reported as a singular fit.
//!
//! Boundaries. With SDs parametrised by their logarithm, the log-likelihood is flat in a log SD
//! near zero (its derivative is of order `sd^2`), so once an SD has reached its lower bound the
//! gradient no longer pulls it back, even when an interior optimum is higher. The quasi-Newton
//! stage tries small SDs at their boundary between rounds (fast for true boundary optima), which
//! can take the boundary while the other parameters are still far from their optimum. So every
//! term whose covariance ends singular is restarted from inside (see `Search::escape_boundary`)
//! and the higher log-likelihood is kept.

use super::glm::GlmFit;
use super::minimise::{self as optim, evaluate_point, Bounds, Objective};
use crate::fit::likelihood::params::{ParamIndex, ParameterSpace};
use crate::fit::likelihood::LogLikelihood;
use crate::fit::{FitError, FitOptions, Progress, Stage};
use nalgebra::DMatrix;

/// Smallest random-effect standard deviation, in units of its covariate, still counted as
/// non-zero.
pub const SINGULAR_SD: f64 = 1e-4;
/// Smallest eigenvalue of a random-effect correlation matrix still counted as non-singular.
pub const SINGULAR_CORR_EIGEN: f64 = 1e-3;
/// Quasi-Newton iterations between tries of the boundary.
const BFGS_ROUND: usize = 8;
/// Quasi-Newton stopping tolerance on the scaled gradient before the Newton stage.
const BFGS_TOL: f64 = 1e-5;
/// Central-difference step for the Hessian, in scaled coordinates.
const HESSIAN_STEP: f64 = 1e-4;
/// Newton iterations allowed after the quasi-Newton stage.
const NEWTON_ITERATIONS: usize = 20;

/// The affine map `psi = psi_0 + T u`.
#[derive(Clone, Debug)]
pub struct Transform {
    pub psi0: Vec<f64>,
    /// Lower Cholesky factor for the fixed effects, `p x p` row-major.
    pub beta_factor: Vec<f64>,
    pub p: usize,
    /// Position and scale of `tau`.
    pub tau: Option<(usize, f64)>,
}

impl Transform {
    pub fn to_psi(&self, u: &[f64]) -> Vec<f64> {
        let p = self.p;
        let mut psi = self.psi0.clone();
        for (a, v) in psi.iter_mut().enumerate().take(p) {
            *v += (0..=a).map(|b| self.beta_factor[a * p + b] * u[b]).sum::<f64>();
        }
        for k in p..psi.len() {
            let scale = match self.tau {
                Some((t, s)) if t == k => s,
                _ => 1.0,
            };
            psi[k] += scale * u[k];
        }
        psi
    }

    /// `T' g`.
    fn pull_back(&self, g: &[f64], out: &mut [f64]) {
        let p = self.p;
        for (a, v) in out.iter_mut().enumerate().take(p) {
            *v = (a..p).map(|b| self.beta_factor[b * p + a] * g[b]).sum();
        }
        for k in p..g.len() {
            let scale = match self.tau {
                Some((t, s)) if t == k => s,
                _ => 1.0,
            };
            out[k] = scale * g[k];
        }
    }

    /// `T` as a dense matrix.
    fn matrix(&self, len: usize) -> DMatrix<f64> {
        let p = self.p;
        let mut t = DMatrix::zeros(len, len);
        for a in 0..p {
            for b in 0..=a {
                t[(a, b)] = self.beta_factor[a * p + b];
            }
        }
        for k in p..len {
            t[(k, k)] = match self.tau {
                Some((i, s)) if i == k => s,
                _ => 1.0,
            };
        }
        t
    }

    /// Bounds of `u` from bounds of `psi` (the transform is diagonal outside `beta`).
    fn bounds(&self, lower: &[f64], upper: &[f64]) -> Bounds {
        let len = self.psi0.len();
        let mut lo = vec![f64::NEG_INFINITY; len];
        let mut hi = vec![f64::INFINITY; len];
        for k in self.p..len {
            let scale = match self.tau {
                Some((i, s)) if i == k => s,
                _ => 1.0,
            };
            lo[k] = (lower[k] - self.psi0[k]) / scale;
            hi[k] = (upper[k] - self.psi0[k]) / scale;
        }
        Bounds { lower: lo, upper: hi }
    }
}

/// `-loglik` in scaled coordinates.
struct Scaled<'m> {
    model: &'m mut dyn LogLikelihood,
    transform: &'m Transform,
    gpsi: Vec<f64>,
}

impl Objective for Scaled<'_> {
    fn evaluate(&mut self, u: &[f64], grad: &mut [f64]) -> Option<f64> {
        let psi = self.transform.to_psi(u);
        let ll = self.model.loglik(&psi, &mut self.gpsi)?;
        self.transform.pull_back(&self.gpsi, grad);
        grad.iter_mut().for_each(|g| *g = -*g);
        Some(-ll)
    }
}

/// Which covariance parameters are singular, per design term.
#[derive(Clone, Debug, Default)]
pub struct Singularity {
    /// Per term: columns whose standard deviation is (near) zero.
    pub zero_sd: Vec<Vec<usize>>,
    /// Per term: whether the correlation matrix is (near) singular.
    pub corr: Vec<bool>,
}

impl Singularity {
    pub fn any(&self) -> bool {
        self.zero_sd.iter().any(|z| !z.is_empty()) || self.corr.iter().any(|&c| c)
    }
}

/// Diagnoses singular covariance parameters at `psi`.
pub fn singularity(space: &ParameterSpace, psi: &[f64]) -> Singularity {
    let mut out = Singularity::default();
    for (k, scales) in space.scales.iter().enumerate() {
        let q = scales.len();
        let cov = space.term_covariance(k, psi);
        out.zero_sd.push((0..q).filter(|&j| cov.sd[j] * scales[j] < SINGULAR_SD).collect());
        out.corr.push(q > 1 && cov.min_corr_eigenvalue() < SINGULAR_CORR_EIGEN);
    }
    out
}

/// Standard deviations below this many covariate units, and correlations beyond +-(1 - this),
/// are tried at their boundary after the quasi-Newton stage.
pub(crate) const PROBE: f64 = 0.05;

/// Covariance parameters worth trying at their boundary: `(position, upper bound?)`.
fn boundary_candidates(space: &ParameterSpace, psi: &[f64]) -> Vec<(usize, bool)> {
    let mut out = Vec::new();
    for (k, scales) in space.scales.iter().enumerate() {
        let (start, _) = space.index.theta[k];
        let cov = space.term_covariance(k, psi);
        for (j, (sd, scale)) in cov.sd.iter().zip(scales).enumerate() {
            if sd * scale < PROBE {
                out.push((start + j, false));
            }
        }
        if scales.len() == 2 && cov.corr[1].abs() > 1.0 - PROBE {
            out.push((start + 2, cov.corr[1] > 0.0));
        }
    }
    out
}

/// When the boundary of a near-zero SD (or a correlation near +-1) is tried during the
/// quasi-Newton iterations.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum BoundaryTries {
    /// After every round: fast when the optimum is on the boundary (a variance heading for zero
    /// converges only linearly), but a boundary that beats a point still far from the interior
    /// optimum can be taken too early.
    BetweenRounds,
    /// Only once the iterations have converged: the boundary is taken only when it beats an
    /// interior stationary point.
    AtConvergence,
}

/// Standard deviations, in covariate units, at which an SD estimated at zero is profiled (the
/// other parameters re-estimated) before the boundary is accepted: a coarse grid on the log
/// scale, reaching interior optima far from the boundary that a restart near it misses.
const PROFILE_SDS: [f64; 4] = [0.3, 1.0, 3.0, 10.0];
/// Correlation parameters at which a term whose correlations end at +-1 is profiled
/// (correlations of about -0.7, 0 and 0.7 for two columns).
const PROFILE_CORRELATIONS: [f64; 3] = [-1.0, 0.0, 1.0];
/// Quasi-Newton iterations of one point of the coarse profile.
const PROFILE_ITERATIONS: usize = 60;

/// Number of passes of restarts from inside the boundary (a better interior optimum of one
/// term can leave another term at its boundary).
const RESTART_PASSES: usize = 3;
/// A restart's SDs start at least this many covariate units away from zero.
const RESTART_SD: f64 = 0.1;

/// What the quasi-Newton searches of one maximisation share.
struct Search<'a> {
    space: &'a ParameterSpace,
    bounds: &'a Bounds,
    options: &'a FitOptions,
    stage: Stage,
}

impl Search<'_> {
    /// Quasi-Newton in rounds of [`BFGS_ROUND`] iterations from `point`, trying near-zero SDs
    /// and near-+-1 correlations at their boundary as `tries` says and taking the boundary if
    /// it is at least as good; at most `options.max_iter` iterations, added to `iterations`.
    fn quasi_newton(
        &self,
        objective: &mut Scaled<'_>,
        mut point: optim::Point,
        mut hinv: DMatrix<f64>,
        tries: BoundaryTries,
        iterations: &mut usize,
        progress: &mut dyn FnMut(&Progress),
    ) -> optim::Point {
        let first = *iterations;
        loop {
            let used = *iterations - first;
            let round = BFGS_ROUND.min(self.options.max_iter.saturating_sub(used)).max(1);
            let outcome =
                optim::bfgs(objective, point, self.bounds, hinv, BFGS_TOL, round, &mut |iteration, f| {
                    progress(&Progress {
                        stage: self.stage,
                        iteration: *iterations + iteration,
                        objective: f,
                    })
                });
            *iterations += outcome.iterations;
            point = outcome.point;
            hinv = outcome.inverse_hessian;
            let mut moved = false;
            if tries == BoundaryTries::BetweenRounds || outcome.finished {
                let psi = objective.transform.to_psi(&point.x);
                for (k, upper) in boundary_candidates(self.space, &psi) {
                    let mut x = point.x.clone();
                    x[k] = if upper { self.bounds.upper[k] } else { self.bounds.lower[k] };
                    if x[k] == point.x[k] {
                        continue;
                    }
                    if let Some(trial) = evaluate_point(objective, x) {
                        if trial.f <= point.f {
                            point = trial;
                            moved = true;
                        }
                    }
                }
            }
            if (outcome.finished && !moved) || *iterations - first >= self.options.max_iter {
                return point;
            }
        }
    }

    /// Checks that no interior optimum beats a boundary one. For every term whose covariance
    /// ends singular (an SD at zero or a correlation matrix at +-1), its covariance parameters
    /// are moved inside (SDs to their starting values, at least [`RESTART_SD`] covariate units,
    /// correlations to 0) with the other parameters at the optimum found, and the quasi-Newton
    /// iterations rerun, trying the boundary only once they have converged. The better
    /// log-likelihood is kept, so a true boundary optimum stays where it is.
    fn escape_boundary(
        &self,
        objective: &mut Scaled<'_>,
        mut point: optim::Point,
        iterations: &mut usize,
        progress: &mut dyn FnMut(&Progress),
    ) -> optim::Point {
        let mut restarted = false;
        for _ in 0..RESTART_PASSES {
            let psi = objective.transform.to_psi(&point.x);
            let singular = singularity(self.space, &psi);
            let mut improved = false;
            for (k, scales) in self.space.scales.iter().enumerate() {
                if singular.zero_sd[k].is_empty() && !singular.corr[k] {
                    continue;
                }
                let (start, len) = self.space.index.theta[k];
                let mut x = point.x.clone();
                for j in 0..len {
                    let inside = if j < scales.len() {
                        objective.transform.psi0[start + j].max((RESTART_SD / scales[j]).ln())
                    } else if self.space.structured[k] {
                        // A field's range stays where the start put it.
                        objective.transform.psi0[start + j]
                    } else {
                        0.0
                    };
                    // `theta` is not rescaled by the transform: u = psi - psi_0.
                    x[start + j] = (inside - objective.transform.psi0[start + j])
                        .clamp(self.bounds.lower[start + j], self.bounds.upper[start + j]);
                }
                restarted = true;
                let Some(trial) = evaluate_point(objective, x) else {
                    continue;
                };
                let hinv = starting_inverse_hessian(objective, &self.space.index, &trial);
                let found = self.quasi_newton(
                    objective,
                    trial,
                    hinv,
                    BoundaryTries::AtConvergence,
                    iterations,
                    progress,
                );
                if found.f < point.f - 1e-9 * (1.0 + point.f.abs()) {
                    point = found;
                    improved = true;
                }
            }
            if !improved {
                break;
            }
        }
        if !restarted {
            return point;
        }
        // Leave the model's state (modes, factorisation) at the point kept.
        let x = point.x.clone();
        evaluate_point(objective, x).unwrap_or(point)
    }
}

impl Search<'_> {
    /// The rule that a fit is called singular only when no interior optimum beats the
    /// boundary, far from it too: for every term whose covariance is still singular after
    /// [`Search::escape_boundary`], each zero SD is held in turn at [`PROFILE_SDS`] and each
    /// correlation parameter at [`PROFILE_CORRELATIONS`] (the term's other singular parameters
    /// moved inside), the other parameters re-estimated by quasi-Newton iterations. If the best
    /// of these points beats the boundary, the full maximisation restarts from it and the
    /// higher log-likelihood is kept. Fits with no singular term do nothing here.
    fn profile_boundary(
        &self,
        objective: &mut Scaled<'_>,
        point: optim::Point,
        iterations: &mut usize,
        progress: &mut dyn FnMut(&Progress),
    ) -> optim::Point {
        let psi = objective.transform.to_psi(&point.x);
        let singular = singularity(self.space, &psi);
        if !singular.any() {
            return point;
        }
        let psi0 = objective.transform.psi0.clone();
        // `theta` is not rescaled by the transform: u = psi - psi_0.
        let to_u = |k: usize, value: f64| (value - psi0[k]).clamp(self.bounds.lower[k], self.bounds.upper[k]);
        let mut best: Option<optim::Point> = None;
        for (k, scales) in self.space.scales.iter().enumerate() {
            if singular.zero_sd[k].is_empty() && !singular.corr[k] {
                continue;
            }
            let (start, len) = self.space.index.theta[k];
            let q = scales.len();
            let mut held: Vec<(usize, f64)> = Vec::new();
            for &j in &singular.zero_sd[k] {
                held.extend(PROFILE_SDS.iter().map(|sd| (start + j, (sd / scales[j]).ln())));
            }
            if singular.corr[k] {
                for j in q..len {
                    held.extend(PROFILE_CORRELATIONS.iter().map(|&c| (start + j, c)));
                }
            }
            for (position, value) in held {
                let mut x = point.x.clone();
                for &j in &singular.zero_sd[k] {
                    x[start + j] = to_u(start + j, psi0[start + j].max((RESTART_SD / scales[j]).ln()));
                }
                if singular.corr[k] {
                    for j in q..len {
                        x[start + j] = to_u(start + j, 0.0);
                    }
                }
                x[position] = to_u(position, value);
                let mut bounds = self.bounds.clone();
                bounds.lower[position] = x[position];
                bounds.upper[position] = x[position];
                let Some(trial) = evaluate_point(objective, x) else { continue };
                let hinv = starting_inverse_hessian(objective, &self.space.index, &trial);
                let outcome = optim::bfgs(
                    objective,
                    trial,
                    &bounds,
                    hinv,
                    BFGS_TOL,
                    PROFILE_ITERATIONS,
                    &mut |i, f| {
                        progress(&Progress { stage: self.stage, iteration: *iterations + i, objective: f })
                    },
                );
                *iterations += outcome.iterations;
                if best.as_ref().is_none_or(|b| outcome.point.f < b.f) {
                    best = Some(outcome.point);
                }
            }
        }
        let mut kept = point;
        if let Some(best) = best.filter(|b| b.f < kept.f - 1e-6 * (1.0 + kept.f.abs())) {
            let hinv = starting_inverse_hessian(objective, &self.space.index, &best);
            let found =
                self.quasi_newton(objective, best, hinv, BoundaryTries::AtConvergence, iterations, progress);
            if found.f < kept.f {
                kept = found;
            }
        }
        // Leave the model's state (modes, factorisation) at the point kept.
        let x = kept.x.clone();
        evaluate_point(objective, x).unwrap_or(kept)
    }
}

/// Inverse of a starting Hessian of `-loglik` in scaled coordinates at `point`: the
/// fixed-effect block from the model's information (`T' A T`), the other columns by forward
/// differences of the gradient.
fn starting_inverse_hessian(
    objective: &mut Scaled<'_>,
    index: &ParamIndex,
    point: &optim::Point,
) -> DMatrix<f64> {
    let len = index.len;
    let mut base = DMatrix::identity(len, len);
    if let Some(a) = objective.model.fixed_information() {
        let p = index.p;
        let l = DMatrix::from_fn(p, p, |r, c| objective.transform.beta_factor[r * p + c]);
        let scaled = l.transpose() * a * &l;
        if scaled.iter().all(|v| v.is_finite()) {
            base.view_mut((0, 0), (p, p)).copy_from(&scaled);
        }
    }
    let columns: Vec<usize> = (index.p..len).collect();
    match optim::partial_forward_hessian(objective, point, &columns, 1e-3, base) {
        Some(h) => optim::positive_inverse(&h),
        None => DMatrix::identity(len, len),
    }
}

/// The outcome of maximising the approximate likelihood.
#[derive(Clone, Debug)]
pub struct Estimate {
    pub psi: Vec<f64>,
    pub loglik: f64,
    /// Covariance of `psi` (row-major, `len x len`); NaN for parameters held fixed or when the
    /// Hessian is not positive definite.
    pub cov: Vec<f64>,
    pub hessian_ok: bool,
    pub converged: bool,
    pub iterations: usize,
    /// Gradient of the log-likelihood in `psi` at the estimate.
    pub gradient: Vec<f64>,
    /// Parameters held fixed in the Newton stage (at a bound or singular).
    pub held: Vec<bool>,
    pub singularity: Singularity,
    /// Largest scaled gradient (standard-error units) over the free parameters.
    pub scaled_gradient: f64,
    /// The final Hessian in scaled coordinates over the free parameters, to start another
    /// optimisation from this one.
    pub scaled_hessian: Option<DMatrix<f64>>,
    pub transform: Transform,
}

/// Builds the transform from the GLM fit and the starting `psi`.
pub fn transform_from_glm(glm: &GlmFit, index: &ParamIndex, psi0: Vec<f64>) -> Transform {
    let p = index.p;
    let dim = glm.dim;
    let mut cov_beta = DMatrix::from_fn(p, p, |a, b| glm.cov[a * dim + b]);
    if cov_beta.iter().any(|v| !v.is_finite()) {
        cov_beta = DMatrix::identity(p, p);
    }
    let factor = match cov_beta.clone().cholesky() {
        Some(ch) => ch.l(),
        None => DMatrix::from_diagonal(&cov_beta.diagonal().map(|v| v.abs().sqrt().max(1e-8))),
    };
    let beta_factor = (0..p * p).map(|k| factor[(k / p, k % p)]).collect();
    let tau = index.tau.map(|t| {
        let v = glm.cov.get(t * dim + t).copied().unwrap_or(f64::NAN);
        let s = if v.is_finite() && v > 0.0 { v.sqrt().clamp(1e-3, 1.0) } else { 0.1 };
        (t, s)
    });
    Transform { psi0, beta_factor, p, tau }
}

/// Maximises `model` over `space` from `transform.psi0`.
pub fn maximise(
    model: &mut dyn LogLikelihood,
    space: &ParameterSpace,
    transform: Transform,
    initial_hessian: Option<&DMatrix<f64>>,
    options: &FitOptions,
    stage: Stage,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Estimate, FitError> {
    let index = &space.index;
    let len = index.len;
    let bounds = transform.bounds(&space.lower, &space.upper);
    let mut objective = Scaled { model, transform: &transform, gpsi: vec![0.0; len] };
    let start = evaluate_point(&mut objective, vec![0.0; len]).ok_or_else(|| FitError::NumericalFailure {
        message: "the likelihood cannot be evaluated at the starting values (the counts may be too \
                  extreme for the offset and covariates)"
            .into(),
    })?;
    let hinv = match initial_hessian {
        Some(h) if h.nrows() == len => optim::positive_inverse(h),
        _ => {
            progress(&Progress { stage: Stage::Start, iteration: 1, objective: start.f });
            starting_inverse_hessian(&mut objective, index, &start)
        }
    };
    let search = Search { space, bounds: &bounds, options, stage };
    let mut iterations = 0;
    let point = search.quasi_newton(
        &mut objective,
        start,
        hinv,
        BoundaryTries::BetweenRounds,
        &mut iterations,
        progress,
    );
    let main_iterations = iterations;
    let point = search.escape_boundary(&mut objective, point, &mut iterations, progress);
    let mut point = search.profile_boundary(&mut objective, point, &mut iterations, progress);

    let psi_now = transform.to_psi(&point.x);
    let singular = singularity(space, &psi_now);
    let mut held: Vec<bool> = (0..len).map(|k| bounds.held(&point.x, &point.g, k)).collect();
    for (k, zero) in singular.zero_sd.iter().enumerate() {
        let (start, plen) = index.theta[k];
        let q = index.columns[k];
        for &j in zero {
            held[start + j] = true;
        }
        if !zero.is_empty() || singular.corr[k] {
            for j in q..plen {
                held[start + j] = true;
            }
        }
    }
    let free: Vec<usize> = (0..len).filter(|&k| !held[k]).collect();
    let remaining = options.max_iter.saturating_sub(main_iterations).clamp(1, NEWTON_ITERATIONS);
    progress(&Progress { stage: Stage::Curvature, iteration: 1, objective: point.f });
    let newton = optim::newton(
        &mut objective,
        point.clone(),
        &free,
        HESSIAN_STEP,
        options.grad_tol,
        remaining,
        &mut |iteration, f| progress(&Progress { stage: Stage::Newton, iteration, objective: f }),
    );
    iterations += newton.iterations;
    if newton.point.f <= point.f + 1e-9 * (1.0 + point.f.abs()) {
        point = newton.point;
    }
    let mut cov = vec![f64::NAN; len * len];
    let mut hessian_ok = false;
    if let Some(h) = &newton.hessian {
        if let Some(ch) = h.clone().cholesky() {
            hessian_ok = true;
            let inv_u = ch.inverse();
            // cov_psi = T cov_u T' over the free parameters (T is block diagonal, with the
            // fixed effects, which are always free, in one block).
            let t = transform.matrix(len);
            let mut full_u = DMatrix::zeros(len, len);
            for (r, &a) in free.iter().enumerate() {
                for (c, &b) in free.iter().enumerate() {
                    full_u[(a, b)] = inv_u[(r, c)];
                }
            }
            let cov_psi = &t * full_u * t.transpose();
            for &a in &free {
                for &b in &free {
                    cov[a * len + b] = cov_psi[(a, b)];
                }
            }
        }
    }
    let psi = transform.to_psi(&point.x);
    let mut gradient = vec![0.0; len];
    let loglik = objective.model.loglik(&psi, &mut gradient).ok_or_else(|| FitError::NumericalFailure {
        message: "the likelihood cannot be evaluated at the estimates".into(),
    })?;
    let singularity = singularity(space, &psi);
    Ok(Estimate {
        psi,
        loglik,
        cov,
        hessian_ok,
        converged: newton.converged && hessian_ok,
        iterations,
        gradient,
        held,
        singularity,
        scaled_gradient: newton.scaled_gradient,
        scaled_hessian: newton.hessian.filter(|_| free.len() == len),
        transform,
    })
}
