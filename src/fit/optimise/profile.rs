//! Profile-likelihood confidence intervals for one parameter at a time.
//!
//! For a parameter `psi_k` (a fixed effect, the log dispersion `tau` or the log SD of a
//! random-effect column) the profile log-likelihood is `l_p(v) = max { l(psi) : psi_k = v }`,
//! the other parameters refitted. The 95% interval is the set of `v` with
//! `D(v) = 2 (l_max - l_p(v)) <= qchisq(0.95, 1) = 3.841459`, found on each side of the estimate
//! as the root of the signed root deviance `r(v) = sqrt(D(v)) - sqrt(3.841459)`, nearly linear in
//! `v`: bracketed by stepping out from the Wald limit, then located by regula falsi with the
//! Illinois modification. As glmmTMB's `confint(method = "profile")`, the profile is taken on
//! the internal scale (log SD, log dispersion) and the limits are transformed with it; a side
//! whose profile stays below the level up to the parameter's bound (a variance at zero, a
//! dispersion at the edge of its range) has no limit.
//!
//! Each refit maximises over the other parameters by quasi-Newton in coordinates whitened by
//! their covariance given `psi_k` (from the covariance of the estimates), started from the
//! previous refit moved along the regression of the others on `psi_k`.

use super::minimise::{self as optim, Bounds, Objective};
use crate::fit::likelihood::LogLikelihood;
use nalgebra::DMatrix;

/// `qchisq(0.95, 1)`.
pub const CHI2_95: f64 = 3.841_458_820_694_124;
/// Quasi-Newton tolerance of a refit, on the whitened gradient (the log-likelihood is then
/// within about `tol^2` of the profile).
const REFIT_TOL: f64 = 1e-7;
const REFIT_ITERATIONS: usize = 300;
/// Stepping-out steps, each doubling the distance from the estimate.
const BRACKET_STEPS: usize = 12;
const ROOT_ITERATIONS: usize = 60;
/// A limit is accepted when `|D(v) - 3.841459|` is below this.
const DEVIANCE_TOL: f64 = 1e-7;

/// Where a profile starts: the estimates, the log-likelihood there, their covariance and the
/// parameters' range.
pub struct Maximum<'a> {
    pub psi: &'a [f64],
    pub loglik: f64,
    /// Covariance of `psi`, `len x len` row-major; NaN rows for parameters without one.
    pub cov: &'a [f64],
    pub lower: &'a [f64],
    pub upper: &'a [f64],
}

/// One limit of a profile interval on the internal scale, with the deviance reached there.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limit {
    pub value: f64,
    /// `2 (l_max - l_p(value))`, 3.841459 to within [`DEVIANCE_TOL`].
    pub deviance: f64,
}

/// Both limits; `None` where the profile does not reach the 95% level within the parameter's
/// range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InternalInterval {
    pub lower: Option<Limit>,
    pub upper: Option<Limit>,
}

/// The other parameters with `psi_k` held at a value, as a function to minimise in whitened
/// coordinates: `psi_o = centre + L u`.
struct Restricted<'a> {
    model: &'a mut dyn LogLikelihood,
    k: usize,
    value: f64,
    others: &'a [usize],
    centre: Vec<f64>,
    /// Lower-triangular whitening factor over `others`.
    factor: &'a DMatrix<f64>,
    psi: Vec<f64>,
    grad: Vec<f64>,
}

impl Restricted<'_> {
    fn full_psi(&self, u: &[f64]) -> Vec<f64> {
        let mut psi = self.psi.clone();
        psi[self.k] = self.value;
        for (r, &o) in self.others.iter().enumerate() {
            psi[o] = self.centre[r] + (0..=r).map(|c| self.factor[(r, c)] * u[c]).sum::<f64>();
        }
        psi
    }
}

impl Objective for Restricted<'_> {
    fn evaluate(&mut self, u: &[f64], grad: &mut [f64]) -> Option<f64> {
        let psi = self.full_psi(u);
        let ll = self.model.loglik(&psi, &mut self.grad)?;
        let m = self.others.len();
        for (c, g) in grad.iter_mut().enumerate().take(m) {
            *g = -(c..m).map(|r| self.factor[(r, c)] * self.grad[self.others[r]]).sum::<f64>();
        }
        Some(-ll)
    }
}

/// The whitening of the other parameters given `psi_k`, and the regression slopes on `psi_k`.
struct Conditional {
    others: Vec<usize>,
    factor: DMatrix<f64>,
    slope: Vec<f64>,
    /// Standard error of `psi_k` (NaN if unknown).
    se: f64,
}

fn conditional(opt: &Maximum<'_>, k: usize) -> Conditional {
    let len = opt.psi.len();
    let cov = |a: usize, b: usize| opt.cov[a * len + b];
    let others: Vec<usize> = (0..len).filter(|&o| o != k).collect();
    let m = others.len();
    let se = cov(k, k).sqrt();
    let known = |o: usize| cov(o, o).is_finite() && cov(o, o) > 0.0;
    let k_known = se.is_finite() && se > 0.0;
    let slope: Vec<f64> =
        others.iter().map(|&o| if k_known && known(o) { cov(o, k) / cov(k, k) } else { 0.0 }).collect();
    let matrix = DMatrix::from_fn(m, m, |r, c| {
        let (a, b) = (others[r], others[c]);
        if known(a) && known(b) {
            cov(a, b) - slope[r] * slope[c] * if k_known { cov(k, k) } else { 0.0 }
        } else if r == c {
            1.0
        } else {
            0.0
        }
    });
    let factor = match matrix.clone().cholesky() {
        Some(ch) => ch.l(),
        None => DMatrix::from_diagonal(&matrix.diagonal().map(|v| if v > 0.0 { v.sqrt() } else { 1.0 })),
    };
    Conditional { others, factor, slope, se }
}

/// The profile log-likelihood at `psi_k = value`, refitting the others from `start` (a full
/// `psi`); returns it with the refitted `psi`.
fn refit(
    model: &mut dyn LogLikelihood,
    cond: &Conditional,
    k: usize,
    value: f64,
    start: &[f64],
) -> Option<(f64, Vec<f64>)> {
    let m = cond.others.len();
    if m == 0 {
        let mut grad = vec![0.0; start.len()];
        let mut psi = start.to_vec();
        psi[k] = value;
        return model.loglik(&psi, &mut grad).map(|ll| (ll, psi));
    }
    let centre: Vec<f64> = cond.others.iter().map(|&o| start[o]).collect();
    let mut objective = Restricted {
        model,
        k,
        value,
        others: &cond.others,
        centre,
        factor: &cond.factor,
        psi: start.to_vec(),
        grad: vec![0.0; start.len()],
    };
    let bounds = Bounds { lower: vec![f64::NEG_INFINITY; m], upper: vec![f64::INFINITY; m] };
    let first = optim::evaluate_point(&mut objective, vec![0.0; m])?;
    let outcome = optim::bfgs(
        &mut objective,
        first,
        &bounds,
        DMatrix::identity(m, m),
        REFIT_TOL,
        REFIT_ITERATIONS,
        &mut |_, _| {},
    );
    let psi = objective.full_psi(&outcome.point.x);
    Some((-outcome.point.f, psi))
}

/// The profile interval of `psi_k` of `model`, whose maximum is `opt`.
pub fn profile_interval(model: &mut dyn LogLikelihood, opt: &Maximum<'_>, k: usize) -> InternalInterval {
    let cond = conditional(opt, k);
    let lower = profile_side(model, opt, &cond, k, -1.0);
    let upper = profile_side(model, opt, &cond, k, 1.0);
    InternalInterval { lower, upper }
}

/// The limit on one side (`direction` -1 or +1), `None` if the profile stays below the level
/// up to the bound or a refit fails.
fn profile_side(
    model: &mut dyn LogLikelihood,
    opt: &Maximum<'_>,
    cond: &Conditional,
    k: usize,
    direction: f64,
) -> Option<Limit> {
    let estimate = opt.psi[k];
    let bound = if direction < 0.0 { opt.lower[k] } else { opt.upper[k] };
    let step0 = if cond.se.is_finite() && cond.se > 0.0 { 1.96 * cond.se } else { 0.5 };
    let moved = |from: &[f64], to: f64| -> Vec<f64> {
        let mut psi = from.to_vec();
        let shift = to - from[k];
        for (r, &o) in cond.others.iter().enumerate() {
            psi[o] += cond.slope[r] * shift;
        }
        psi[k] = to;
        psi
    };
    let deviance = |ll: f64| (2.0 * (opt.loglik - ll)).max(0.0);
    // Stepping out.
    let mut inside = (estimate, 0.0, opt.psi.to_vec());
    let mut outside = None;
    let mut distance = step0;
    for _ in 0..BRACKET_STEPS {
        let mut v = estimate + direction * distance;
        let at_bound = (v - bound) * direction >= 0.0;
        if at_bound {
            v = bound;
        }
        let start = moved(&inside.2, v);
        let (ll, psi) = refit(model, cond, k, v, &start)?;
        let d = deviance(ll);
        if d >= CHI2_95 {
            outside = Some((v, d, psi));
            break;
        }
        inside = (v, d, psi);
        if at_bound {
            return None;
        }
        distance *= 2.0;
    }
    let (mut b, db, _) = outside?;
    let (mut a, da, mut psi_a) = inside;
    // Regula falsi (Illinois) on r(v) = sqrt(D(v)) - sqrt(chi2).
    let target = CHI2_95.sqrt();
    let (mut ra, mut rb) = (da.sqrt() - target, db.sqrt() - target);
    let mut side = 0i8;
    for _ in 0..ROOT_ITERATIONS {
        let v = if rb != ra { b - rb * (b - a) / (rb - ra) } else { 0.5 * (a + b) };
        let v = if v.is_finite() && (v - a) * (v - b) < 0.0 { v } else { 0.5 * (a + b) };
        let start = moved(&psi_a, v);
        let (ll, psi) = refit(model, cond, k, v, &start)?;
        let d = deviance(ll);
        if (d - CHI2_95).abs() < DEVIANCE_TOL || (b - a).abs() < 1e-12 * (1.0 + v.abs()) {
            return Some(Limit { value: v, deviance: d });
        }
        let r = d.sqrt() - target;
        if r < 0.0 {
            a = v;
            ra = r;
            psi_a = psi;
            if side == -1 {
                rb *= 0.5;
            }
            side = -1;
        } else {
            b = v;
            rb = r;
            if side == 1 {
                ra *= 0.5;
            }
            side = 1;
        }
    }
    None
}
