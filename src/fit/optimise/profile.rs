//! Profile-likelihood confidence intervals for one parameter at a time.
//!
//! For a parameter `psi_k` (a fixed effect, the log dispersion `tau` or the log SD of a
//! random-effect column) the profile log-likelihood is `l_p(v) = max { l(psi) : psi_k = v }`,
//! the other parameters refitted. The 95% interval is the set of `v` with
//! `D(v) = 2 (l_max - l_p(v)) <= qchisq(0.95, 1) = 3.841459`, found on each side of the estimate
//! as the root of `r(v) = sqrt(D(v)) - sqrt(3.841459)`, nearly linear in `v` (the signed root
//! deviance): by Newton's method, from the Wald limit outwards. The slope is free: at a refitted
//! point the other parameters are at their maximum, so `dl_p/dv` is the log-likelihood's partial
//! derivative in `psi_k` there, and `r'(v) = -l_p'(v) / sqrt(D(v))`. Once a point beyond the
//! limit is found the root is bracketed, and a Newton step leaving the bracket is replaced by
//! regula falsi (by bisection when one end has been kept twice). As glmmTMB's
//! `confint(method = "profile")`, the profile is taken on
//! the internal scale (log SD, log dispersion) and the limits are transformed with it; a side
//! whose profile stays below the level up to the parameter's bound (a variance at zero, a
//! dispersion at the edge of its range) has no limit.
//!
//! Each refit maximises over the other parameters by quasi-Newton in coordinates whitened by
//! their covariance given `psi_k` (from the covariance of the estimates), started from the
//! previous refit moved along the regression of the others on `psi_k`, with the previous
//! refit's inverse Hessian; a parameter leaving its range is held at its bound.
//!
//! The likelihood can have two branches: a correlation of random effects estimated at +-1 next
//! to a standard deviation near zero is where the likelihood is flat in the correlation, and a
//! refit started there stays there, while with the SD held larger a correlation inside may fit
//! better. So the first point on each side of such an SD's profile is also refitted with the
//! correlation at 0 and the higher kept (the search then follows that branch), and a point found
//! beyond the level where the profile just found inside predicts it below the level is refitted
//! from the inside point.

use super::minimise::{self as optim, Bounds, Objective};
use crate::fit::likelihood::LogLikelihood;
use nalgebra::DMatrix;

/// `qchisq(0.95, 1)`.
pub const CHI2_95: f64 = 3.841_458_820_694_124;
/// Quasi-Newton tolerance of a refit, on the whitened gradient (the log-likelihood is then
/// within about `tol^2 / 2` of the profile, far below the deviance's tolerance).
const REFIT_TOL: f64 = 1e-5;
const REFIT_ITERATIONS: usize = 300;
/// Refits allowed on one side of a profile.
const SIDE_REFITS: usize = 60;
/// A search whose next value is this close to the last (relative to `1 + |v|`) has reached the
/// refits' precision.
const STALL: f64 = 1e-10;
/// The first step out on a log scale (a dispersion or a standard deviation: the parameters with
/// bounds) is at most this, a factor of 7.4, however large its standard error.
const MAX_FIRST_LOG_STEP: f64 = 2.0;
/// Stepping out, a step is at most this many times the distance from the estimate reached
/// (and doubles it when the slope gives no better guess).
const MAX_STEP_OUT: f64 = 4.0;
/// A refit from inside a flat boundary is taken over the one from the boundary when its
/// log-likelihood is higher by more than this (not by noise along the flat direction).
const BRANCH_MARGIN: f64 = 1e-3;
/// A limit is accepted when `|D(v) - 3.841459|` is below this: above the precision of the
/// refits, whose log-likelihood is resolved to the quasi-Newton's noise level, 1e-12 of its
/// value (about 1e-7 on the national sample's 32,844 rows).
const DEVIANCE_TOL: f64 = 5e-7;

/// Where a profile starts: the estimates, the log-likelihood there, their covariance and the
/// parameters' range.
pub struct Maximum<'a> {
    pub psi: &'a [f64],
    pub loglik: f64,
    /// Covariance of `psi`, `len x len` row-major; NaN rows for parameters without one.
    pub cov: &'a [f64],
    pub lower: &'a [f64],
    pub upper: &'a [f64],
    /// Parameters estimated where the likelihood is flat, at a boundary (a correlation of
    /// random effects at +-1), with a value inside: the profile's first point on each side is
    /// also refitted from there, and the better of the two kept, since away from the estimate
    /// (a larger standard deviation, say) the likelihood can be higher inside.
    pub flat: &'a [(usize, f64)],
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
    /// Every point evaluated with the log-likelihood's derivative in `psi_k` there.
    slopes: Vec<(Vec<f64>, f64)>,
    /// The parameters' range: a parameter leaving it (a correlation drifting where the
    /// likelihood is flat) is held at its bound.
    lower: &'a [f64],
    upper: &'a [f64],
}

impl Restricted<'_> {
    fn full_psi(&self, u: &[f64]) -> Vec<f64> {
        let mut psi = self.psi.clone();
        psi[self.k] = self.value;
        for (r, &o) in self.others.iter().enumerate() {
            let value = self.centre[r] + (0..=r).map(|c| self.factor[(r, c)] * u[c]).sum::<f64>();
            psi[o] = value.clamp(self.lower[o], self.upper[o]);
        }
        psi
    }
}

impl Objective for Restricted<'_> {
    fn evaluate(&mut self, u: &[f64], grad: &mut [f64]) -> Option<f64> {
        let psi = self.full_psi(u);
        let ll = self.model.loglik(&psi, &mut self.grad)?;
        self.slopes.push((u.to_vec(), self.grad[self.k]));
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

/// A point of the profile: `psi_k = value` with the others refitted.
struct Refitted {
    value: f64,
    /// The profile log-likelihood `l_p(value)` and its derivative.
    loglik: f64,
    slope: f64,
    psi: Vec<f64>,
}

/// The profile log-likelihood at `psi_k = value` of `model`, whose maximum is `opt`, refitting
/// the others from `start` (a full `psi`) with `hinv` as the quasi-Newton's starting inverse
/// Hessian, which is left at the refit's final one.
fn refit(
    model: &mut dyn LogLikelihood,
    opt: &Maximum<'_>,
    cond: &Conditional,
    (k, value): (usize, f64),
    start: &[f64],
    hinv: &mut DMatrix<f64>,
) -> Option<Refitted> {
    let m = cond.others.len();
    if m == 0 {
        let mut grad = vec![0.0; start.len()];
        let mut psi = start.to_vec();
        psi[k] = value;
        let loglik = model.loglik(&psi, &mut grad)?;
        return Some(Refitted { value, loglik, slope: grad[k], psi });
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
        slopes: Vec::new(),
        lower: opt.lower,
        upper: opt.upper,
    };
    let bounds = Bounds { lower: vec![f64::NEG_INFINITY; m], upper: vec![f64::INFINITY; m] };
    let first = optim::evaluate_point(&mut objective, vec![0.0; m])?;
    let outcome = optim::bfgs(
        &mut objective,
        first,
        &bounds,
        hinv.clone(),
        REFIT_TOL,
        REFIT_ITERATIONS,
        &mut |_, _| {},
    );
    *hinv = outcome.inverse_hessian;
    let x = &outcome.point.x;
    let slope = objective.slopes.iter().rev().find(|(u, _)| u == x).map_or(f64::NAN, |(_, s)| *s);
    let psi = objective.full_psi(x);
    Some(Refitted { value, loglik: -outcome.point.f, slope, psi })
}

/// The profile interval of `psi_k` of `model`, whose maximum is `opt`.
pub fn profile_interval(model: &mut dyn LogLikelihood, opt: &Maximum<'_>, k: usize) -> InternalInterval {
    let cond = conditional(opt, k);
    let lower = Side::new(model, opt, &cond, k, -1.0).limit();
    let upper = Side::new(model, opt, &cond, k, 1.0).limit();
    InternalInterval { lower, upper }
}

/// The search for the limit on one side of the estimate (`direction` -1 or +1).
struct Side<'a, 'm> {
    model: &'m mut dyn LogLikelihood,
    opt: &'a Maximum<'a>,
    cond: &'a Conditional,
    k: usize,
    direction: f64,
    /// The quasi-Newton's inverse Hessian of the last refit, to start the next one.
    hinv: DMatrix<f64>,
    /// The furthest point known inside the interval, and the nearest known outside it.
    inside: Refitted,
    outside: Option<Refitted>,
    /// +1 (-1) after a point inside (outside) the interval, +2 (-2) after two in a row.
    run: i8,
    /// The parameters of the last point refitted, where the next refit starts.
    last: Vec<f64>,
}

impl<'a, 'm> Side<'a, 'm> {
    fn new(
        model: &'m mut dyn LogLikelihood,
        opt: &'a Maximum<'a>,
        cond: &'a Conditional,
        k: usize,
        direction: f64,
    ) -> Side<'a, 'm> {
        let m = cond.others.len();
        let inside = Refitted { value: opt.psi[k], loglik: opt.loglik, slope: 0.0, psi: opt.psi.to_vec() };
        let last = opt.psi.to_vec();
        Side {
            model,
            opt,
            cond,
            k,
            direction,
            hinv: DMatrix::identity(m, m),
            inside,
            outside: None,
            run: 0,
            last,
        }
    }

    fn deviance(&self, p: &Refitted) -> f64 {
        (2.0 * (self.opt.loglik - p.loglik)).max(0.0)
    }

    /// `r = sqrt(D) - sqrt(3.841459)` at `p`, and its slope `-l_p'(v) / sqrt(D)`.
    fn root(&self, p: &Refitted) -> (f64, f64) {
        let d = self.deviance(p).sqrt();
        (d - CHI2_95.sqrt(), -p.slope / d.max(1e-12))
    }

    /// Newton's step to the root of `r` from `p`; `None` where the slope does not point away
    /// from the estimate.
    fn newton(&self, p: &Refitted) -> Option<f64> {
        let (r, slope) = self.root(p);
        let step = -r / slope;
        (slope * self.direction > 0.0 && step.is_finite()).then_some(p.value + step)
    }

    /// The profile at `v`, refitted from the point `from` moved along the regression of the
    /// other parameters on `psi_k`.
    fn refit_from(&mut self, v: f64, from: &[f64]) -> Option<Refitted> {
        let mut start = from.to_vec();
        let shift = v - from[self.k];
        for (r, &o) in self.cond.others.iter().enumerate() {
            start[o] += self.cond.slope[r] * shift;
        }
        start[self.k] = v;
        refit(self.model, self.opt, self.cond, (self.k, v), &start, &mut self.hinv)
    }

    /// The profile at `v` refitted from `from` and, when the estimate has parameters on a flat
    /// boundary, also from `from` with those parameters inside; the higher of the two.
    fn refit_both(&mut self, v: f64, from: &[f64]) -> Option<Refitted> {
        let boundary = self.refit_from(v, from);
        if self.opt.flat.is_empty() {
            return boundary;
        }
        let mut inner = from.to_vec();
        for &(position, value) in self.opt.flat {
            inner[position] = value;
        }
        let hinv = self.hinv.clone();
        let m = self.cond.others.len();
        self.hinv = DMatrix::identity(m, m);
        match (boundary, self.refit_from(v, &inner)) {
            (Some(b), Some(i)) if b.loglik >= i.loglik - BRANCH_MARGIN => {
                self.hinv = hinv;
                Some(b)
            }
            (b, None) => {
                self.hinv = hinv;
                b
            }
            (_, i) => i,
        }
    }

    /// Keeps `p` as the furthest point inside or the nearest outside.
    fn record(&mut self, p: Refitted) {
        if self.deviance(&p) < CHI2_95 {
            self.inside = p;
            self.run = if self.run > 0 { 2 } else { 1 };
        } else {
            self.outside = Some(p);
            self.run = if self.run < 0 { -2 } else { -1 };
        }
    }

    /// When the point outside lies where the profile just found inside leads below the level
    /// (a refit ended on a lower branch of the likelihood), refits it from the point inside and
    /// keeps the better; it may then turn out to be inside.
    fn recheck_outside(&mut self) -> Option<()> {
        let Some(out) = &self.outside else { return Some(()) };
        let (r_in, slope) = self.root(&self.inside);
        let predicted = r_in + slope * (out.value - self.inside.value);
        if !(slope.is_finite() && predicted < 0.0) {
            return Some(());
        }
        let (v, loglik, from) = (out.value, out.loglik, self.inside.psi.clone());
        let again = self.refit_from(v, &from)?;
        if again.loglik > loglik {
            self.outside = None;
            self.record(again);
        }
        Some(())
    }

    /// The next value to refit at: stepping out, Newton's guess, at most [`MAX_STEP_OUT`] times
    /// the distance reached (twice that distance without a guess); once the limit is bracketed,
    /// Newton's guess inside the bracket, else regula falsi, else bisection.
    fn next_value(&self, proposal: Option<f64>) -> f64 {
        let estimate = self.opt.psi[self.k];
        let dir = self.direction;
        match &self.outside {
            None => {
                let reached = (self.inside.value - estimate) * dir;
                let far = estimate + dir * MAX_STEP_OUT * reached;
                match proposal.filter(|&g| (g - self.inside.value) * dir > 0.0) {
                    Some(g) if (g - far) * dir <= 0.0 => g,
                    Some(_) => far,
                    None => estimate + dir * 2.0 * reached,
                }
            }
            Some(out) => {
                let (a, b) = (self.inside.value, out.value);
                let within = |g: f64| g.is_finite() && (g - a) * (g - b) < 0.0;
                let (ra, rb) = (self.root(&self.inside).0, self.root(out).0);
                let falsi = b - rb * (b - a) / (rb - ra);
                match proposal.filter(|&g| within(g)) {
                    Some(g) => g,
                    // Regula falsi, unless it keeps one end for a second time: then bisection.
                    None if within(falsi) && self.run.abs() < 2 => falsi,
                    None => 0.5 * (a + b),
                }
            }
        }
    }

    /// The limit, `None` if the profile stays below the level up to the bound or a refit fails.
    fn limit(mut self) -> Option<Limit> {
        let estimate = self.opt.psi[self.k];
        let bound = if self.direction < 0.0 { self.opt.lower[self.k] } else { self.opt.upper[self.k] };
        let wald = if self.cond.se.is_finite() && self.cond.se > 0.0 { 1.96 * self.cond.se } else { 0.5 };
        let step0 = if bound.is_finite() { wald.min(MAX_FIRST_LOG_STEP) } else { wald };
        let mut v = estimate + self.direction * step0;
        for refit in 0..SIDE_REFITS {
            let at_bound = (v - bound) * self.direction >= 0.0;
            if at_bound {
                v = bound;
            }
            let from = std::mem::take(&mut self.last);
            let p = if refit == 0 { self.refit_both(v, &from)? } else { self.refit_from(v, &from)? };
            self.last.clone_from(&p.psi);
            let d = self.deviance(&p);
            if (d - CHI2_95).abs() < DEVIANCE_TOL {
                return Some(Limit { value: v, deviance: d });
            }
            if at_bound && d < CHI2_95 {
                return None;
            }
            let proposal = self.newton(&p);
            let bracketed = self.outside.is_some();
            self.record(p);
            if bracketed && self.run > 0 {
                self.recheck_outside()?;
            }
            let next = self.next_value(proposal);
            // A bracket too narrow to split, or a search that no longer moves: the limit is
            // where the refits' precision allows.
            let narrow = self
                .outside
                .as_ref()
                .is_some_and(|out| (out.value - self.inside.value).abs() < STALL * (1.0 + v.abs()));
            if narrow || (next - v).abs() < STALL * (1.0 + v.abs()) {
                return Some(Limit { value: v, deviance: d });
            }
            v = next;
        }
        None
    }
}

/// The profile log-likelihood at `psi_k = value`, refitted from `start` alone.
#[cfg(test)]
pub fn refitted_at(
    model: &mut dyn LogLikelihood,
    opt: &Maximum<'_>,
    k: usize,
    value: f64,
    start: &[f64],
) -> Option<f64> {
    let cond = conditional(opt, k);
    let mut hinv = DMatrix::identity(cond.others.len(), cond.others.len());
    refit(model, opt, &cond, (k, value), start, &mut hinv).map(|p| p.loglik)
}
