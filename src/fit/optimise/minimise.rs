//! Minimisation of a smooth function with an exact gradient under box bounds: quasi-Newton
//! (BFGS with a backtracking / expanding line search), then Newton's method with a Hessian
//! from central differences of the gradient for the final digits and the standard errors.
//!
//! Bounds are handled by projection: trial points are clipped to the box, and a parameter at a
//! bound whose gradient pushes outward is held there (its gradient component is treated as
//! zero). The bounds used by the engine sit where the likelihood is flat (a variance or a
//! dispersion at its limit), so this changes nothing else.
//!
//! A small hand-written BFGS is used rather than a general optimisation crate: the problems
//! have a handful of parameters, need bounds, a start from a finite-difference Hessian and
//! a Newton finish, and the engine must stay small for the web page.

use nalgebra::{DMatrix, DVector, SymmetricEigen};

/// A function to minimise.
pub trait Objective {
    /// The value at `x` with its gradient in `grad`; `None` where it cannot be evaluated.
    fn evaluate(&mut self, x: &[f64], grad: &mut [f64]) -> Option<f64>;
}

/// Box bounds (infinite where a parameter is unbounded).
#[derive(Clone, Debug)]
pub struct Bounds {
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
}

impl Bounds {
    fn clamp(&self, x: &mut [f64]) {
        for (i, v) in x.iter_mut().enumerate() {
            *v = v.clamp(self.lower[i], self.upper[i]);
        }
    }

    /// Whether parameter `i` is held at a bound: at it, with the gradient pushing outward.
    pub fn held(&self, x: &[f64], g: &[f64], i: usize) -> bool {
        (x[i] <= self.lower[i] && g[i] > 0.0) || (x[i] >= self.upper[i] && g[i] < 0.0)
    }
}

/// A point with its value and (unmasked) gradient.
#[derive(Clone, Debug)]
pub struct Point {
    pub x: Vec<f64>,
    pub f: f64,
    pub g: Vec<f64>,
}

/// Evaluates `obj` at `x` into a [`Point`].
pub fn evaluate_point(obj: &mut dyn Objective, x: Vec<f64>) -> Option<Point> {
    let mut g = vec![0.0; x.len()];
    let f = obj.evaluate(&x, &mut g)?;
    (f.is_finite() && g.iter().all(|v| v.is_finite())).then_some(Point { x, f, g })
}

fn masked_gradient(p: &Point, bounds: &Bounds) -> Vec<f64> {
    (0..p.x.len()).map(|i| if bounds.held(&p.x, &p.g, i) { 0.0 } else { p.g[i] }).collect()
}

fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m, a| m.max(a.abs()))
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Relative rounding noise of an objective that sums many log-densities.
const NOISE: f64 = 1e-12;

/// Outcome of [`bfgs`].
pub struct BfgsOutcome {
    pub point: Point,
    pub iterations: usize,
    /// The final inverse-Hessian approximation.
    pub inverse_hessian: DMatrix<f64>,
    /// Whether it stopped for convergence, a stall or a failed line search rather than for
    /// the iteration limit.
    pub finished: bool,
}

/// Line search along `d` from `p`: backtracking with quadratic interpolation until the Armijo
/// condition holds, then doubling while the unit step keeps improving and the slope stays
/// steep. `None` when no decrease is found.
fn line_search(obj: &mut dyn Objective, p: &Point, gm: &[f64], d: &[f64], bounds: &Bounds) -> Option<Point> {
    let slope0 = dot(gm, d);
    // Values closer than the objective's rounding noise (sums of many log-densities) count as
    // equal.
    let slack = NOISE * (1.0 + p.f.abs());
    let trial = |alpha: f64| {
        let mut x: Vec<f64> = p.x.iter().zip(d).map(|(a, b)| a + alpha * b).collect();
        bounds.clamp(&mut x);
        x
    };
    let mut alpha = 1.0;
    for attempt in 0..30 {
        match evaluate_point(obj, trial(alpha)) {
            Some(q) if q.f <= p.f + 1e-4 * alpha * slope0 + slack => {
                let mut best = q;
                if attempt == 0 {
                    for _ in 0..8 {
                        let slope = dot(&masked_gradient(&best, bounds), d);
                        if slope >= 0.9 * slope0 {
                            break;
                        }
                        let next = alpha * 2.0;
                        match evaluate_point(obj, trial(next)) {
                            Some(r) if r.f < best.f && r.f <= p.f + 1e-4 * next * slope0 => {
                                best = r;
                                alpha = next;
                            }
                            _ => break,
                        }
                    }
                }
                return Some(best);
            }
            Some(q) => {
                let denominator = 2.0 * (q.f - p.f - slope0 * alpha);
                let guess =
                    if denominator > 0.0 { -slope0 * alpha * alpha / denominator } else { 0.5 * alpha };
                alpha = guess.clamp(0.1 * alpha, 0.5 * alpha);
            }
            None => alpha *= 0.2,
        }
    }
    None
}

/// BFGS from `start` with initial inverse Hessian `hinv`, until the largest free gradient
/// component is below `tol`, no decrease can be found, progress stalls at the noise level of
/// the objective, or `max_iter` iterations.
pub fn bfgs(
    obj: &mut dyn Objective,
    start: Point,
    bounds: &Bounds,
    mut hinv: DMatrix<f64>,
    tol: f64,
    max_iter: usize,
    progress: &mut dyn FnMut(usize, f64),
) -> BfgsOutcome {
    let n = start.x.len();
    let mut p = start;
    let mut iterations = 0;
    let mut stalled = 0;
    let mut finished = false;
    while iterations < max_iter {
        let gm = masked_gradient(&p, bounds);
        if max_abs(&gm) < tol {
            finished = true;
            break;
        }
        iterations += 1;
        let mut d: Vec<f64> = (&hinv * DVector::from_column_slice(&gm)).iter().map(|v| -v).collect();
        for i in 0..n {
            let blocked =
                (p.x[i] <= bounds.lower[i] && d[i] < 0.0) || (p.x[i] >= bounds.upper[i] && d[i] > 0.0);
            if blocked || gm[i] == 0.0 && bounds.held(&p.x, &p.g, i) {
                d[i] = 0.0;
            }
        }
        let slope = dot(&gm, &d);
        if slope.is_nan() || slope >= 0.0 {
            // Not a descent direction: restart from steepest descent.
            hinv = DMatrix::identity(n, n);
            d = gm.iter().map(|v| -v).collect();
        }
        let Some(q) = line_search(obj, &p, &gm, &d, bounds) else {
            finished = true;
            break;
        };
        let s = DVector::from_iterator(n, q.x.iter().zip(&p.x).map(|(a, b)| a - b));
        let qm = masked_gradient(&q, bounds);
        let y = DVector::from_iterator(n, qm.iter().zip(&gm).map(|(a, b)| a - b));
        let sy = s.dot(&y);
        if sy > 1e-12 * s.norm() * y.norm() && sy > 0.0 {
            let rho = 1.0 / sy;
            let hy = &hinv * &y;
            let yhy = y.dot(&hy);
            // H+ = H - rho (H y s' + s y' H) + (rho^2 y'Hy + rho) s s'.
            hinv -= rho * (&hy * s.transpose() + &s * hy.transpose());
            hinv += (rho * rho * yhy + rho) * (&s * s.transpose());
        }
        // A step that neither lowers the objective beyond its noise nor halves the gradient
        // made no progress; after two in a row the quasi-Newton stage has done its work.
        let lowered = p.f - q.f > NOISE * (1.0 + p.f.abs());
        stalled = if lowered || max_abs(&qm) < 0.5 * max_abs(&gm) { 0 } else { stalled + 1 };
        p = q;
        progress(iterations, p.f);
        if stalled >= 2 {
            finished = true;
            break;
        }
    }
    if !finished {
        finished = max_abs(&masked_gradient(&p, bounds)) < tol;
    }
    BfgsOutcome { point: p, iterations, inverse_hessian: hinv, finished }
}

/// Hessian of `obj` at `x` over the parameters `free`, by central differences of the gradient
/// with step `h`, symmetrised. `None` if an evaluation fails.
pub fn hessian(obj: &mut dyn Objective, x: &[f64], free: &[usize], h: f64) -> Option<DMatrix<f64>> {
    let m = free.len();
    let mut out = DMatrix::zeros(m, m);
    for (c, &k) in free.iter().enumerate() {
        let mut up = x.to_vec();
        up[k] += h;
        let mut down = x.to_vec();
        down[k] -= h;
        let gu = evaluate_point(obj, up)?.g;
        let gd = evaluate_point(obj, down)?.g;
        for (r, &kk) in free.iter().enumerate() {
            out[(r, c)] = (gu[kk] - gd[kk]) / (2.0 * h);
        }
    }
    Some((&out + out.transpose()) * 0.5)
}

/// Starting Hessian for the quasi-Newton iterations: forward differences of the gradient
/// (step `h`) in the columns `columns`, and `base` elsewhere (an approximation for the
/// coordinates left out). The cross terms come from the differenced columns.
pub fn partial_forward_hessian(
    obj: &mut dyn Objective,
    p: &Point,
    columns: &[usize],
    h: f64,
    base: DMatrix<f64>,
) -> Option<DMatrix<f64>> {
    let n = p.x.len();
    let mut out = base;
    for &c in columns {
        for r in 0..n {
            out[(r, c)] = 0.0;
            out[(c, r)] = 0.0;
        }
    }
    for &c in columns {
        let mut up = p.x.clone();
        up[c] += h;
        let gu = evaluate_point(obj, up)?.g;
        for r in 0..n {
            let v = (gu[r] - p.g[r]) / h;
            if r == c {
                out[(r, c)] = v;
            } else if columns.contains(&r) {
                // Both columns are differenced: average the two estimates.
                out[(r, c)] += 0.5 * v;
                out[(c, r)] += 0.5 * v;
            } else {
                out[(r, c)] = v;
                out[(c, r)] = v;
            }
        }
    }
    Some(out)
}

/// Inverse of a symmetric matrix after replacing its eigenvalues by their absolute values,
/// floored at a small fraction of the largest (a safe quasi-Newton starting matrix).
pub fn positive_inverse(h: &DMatrix<f64>) -> DMatrix<f64> {
    let n = h.nrows();
    if h.iter().any(|v| !v.is_finite()) {
        return DMatrix::identity(n, n);
    }
    if let Some(ch) = h.clone().cholesky() {
        return ch.inverse();
    }
    let Some(eig) = SymmetricEigen::try_new(h.clone(), f64::EPSILON, 1000) else {
        return DMatrix::identity(n, n);
    };
    let largest = eig.eigenvalues.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if largest <= 0.0 || !largest.is_finite() {
        return DMatrix::identity(n, n);
    }
    let floor = 1e-6 * largest;
    let inv_vals = DVector::from_iterator(n, eig.eigenvalues.iter().map(|v| 1.0 / v.abs().max(floor)));
    &eig.eigenvectors * DMatrix::from_diagonal(&inv_vals) * eig.eigenvectors.transpose()
}

/// Outcome of [`newton`].
pub struct NewtonOutcome {
    pub point: Point,
    /// Hessian over `free` at (or within a negligible step of) the final point.
    pub hessian: Option<DMatrix<f64>>,
    /// Largest `|g_k| sqrt((H^-1)_kk)` over `free`.
    pub scaled_gradient: f64,
    pub converged: bool,
    pub iterations: usize,
}

/// Largest `|g_k| sqrt((H^-1)_kk)` and `H^-1`, if `H` is positive definite.
fn scaled(h: &DMatrix<f64>, g: &[f64], free: &[usize]) -> Option<(f64, DMatrix<f64>)> {
    let inv = h.clone().cholesky()?.inverse();
    let s =
        free.iter().enumerate().map(|(r, &k)| g[k].abs() * inv[(r, r)].max(0.0).sqrt()).fold(0.0, f64::max);
    Some((s, inv))
}

/// Newton's method over the parameters `free` with finite-difference Hessians (step `h`),
/// until the gradient is below `tol` in standard-error units.
pub fn newton(
    obj: &mut dyn Objective,
    start: Point,
    free: &[usize],
    h: f64,
    tol: f64,
    max_iter: usize,
    progress: &mut dyn FnMut(usize, f64),
) -> NewtonOutcome {
    let mut p = start;
    let mut iterations = 0;
    let mut last = NewtonOutcome {
        point: p.clone(),
        hessian: None,
        scaled_gradient: f64::INFINITY,
        converged: false,
        iterations,
    };
    while iterations < max_iter.max(1) {
        iterations += 1;
        let Some(hess) = hessian(obj, &p.x, free, h) else { break };
        let Some((sg, inv)) = scaled(&hess, &p.g, free) else {
            last = NewtonOutcome {
                point: p,
                hessian: Some(hess),
                scaled_gradient: f64::INFINITY,
                converged: false,
                iterations,
            };
            return last;
        };
        last = NewtonOutcome {
            point: p.clone(),
            hessian: Some(hess.clone()),
            scaled_gradient: sg,
            converged: sg < tol,
            iterations,
        };
        if sg < tol {
            return last;
        }
        let g = DVector::from_iterator(free.len(), free.iter().map(|&k| p.g[k]));
        let step = -(&inv * g);
        let mut t = 1.0;
        let mut accepted = None;
        for _ in 0..30 {
            let mut x = p.x.clone();
            for (r, &k) in free.iter().enumerate() {
                x[k] += t * step[r];
            }
            if let Some(q) = evaluate_point(obj, x) {
                let q_sg = scaled_value(&inv, &q.g, free);
                if q.f <= p.f + 1e-12 * (1.0 + p.f.abs()) || q_sg < sg {
                    accepted = Some((q, q_sg));
                    break;
                }
            }
            t *= 0.5;
        }
        let Some((q, q_sg)) = accepted else { return last };
        progress(iterations, q.f);
        // Size of the step in standard errors.
        let moved = free
            .iter()
            .enumerate()
            .map(|(r, _)| (t * step[r]).abs() / inv[(r, r)].max(1e-300).sqrt())
            .fold(0.0, f64::max);
        p = q;
        if q_sg < tol && moved < 1e-3 {
            return NewtonOutcome {
                point: p,
                hessian: Some(hess),
                scaled_gradient: q_sg,
                converged: true,
                iterations,
            };
        }
        last = NewtonOutcome {
            point: p.clone(),
            hessian: Some(hess),
            scaled_gradient: q_sg,
            converged: false,
            iterations,
        };
    }
    last
}

fn scaled_value(inv: &DMatrix<f64>, g: &[f64], free: &[usize]) -> f64 {
    free.iter().enumerate().map(|(r, &k)| g[k].abs() * inv[(r, r)].max(0.0).sqrt()).fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rosenbrock function, minimum 0 at (1, 1).
    struct Rosenbrock;
    impl Objective for Rosenbrock {
        fn evaluate(&mut self, x: &[f64], grad: &mut [f64]) -> Option<f64> {
            let (a, b) = (x[0], x[1]);
            grad[0] = -2.0 * (1.0 - a) - 400.0 * a * (b - a * a);
            grad[1] = 200.0 * (b - a * a);
            Some((1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2))
        }
    }

    #[test]
    fn bfgs_then_newton_find_rosenbrock_minimum() {
        let mut obj = Rosenbrock;
        let bounds = Bounds { lower: vec![f64::NEG_INFINITY; 2], upper: vec![f64::INFINITY; 2] };
        let start = evaluate_point(&mut obj, vec![-1.2, 1.0]).unwrap();
        let out = bfgs(&mut obj, start, &bounds, DMatrix::identity(2, 2) * 1e-3, 1e-5, 500, &mut |_, _| {});
        assert!(max_abs(&out.point.g) < 1e-5);
        let fin = newton(&mut obj, out.point, &[0, 1], 1e-5, 1e-10, 20, &mut |_, _| {});
        assert!(fin.converged);
        assert!((fin.point.x[0] - 1.0).abs() < 1e-9 && (fin.point.x[1] - 1.0).abs() < 1e-9);
        // Hessian at (1, 1): [[802, -400], [-400, 200]].
        let h = fin.hessian.unwrap();
        assert!((h[(0, 0)] - 802.0).abs() < 1e-3 && (h[(0, 1)] + 400.0).abs() < 1e-3);
    }

    #[test]
    fn bounds_hold_a_parameter_pushing_outward() {
        // f = (x - 2)^2 + (y + 1)^2 on x <= 1: minimum at (1, -1).
        struct Bowl;
        impl Objective for Bowl {
            fn evaluate(&mut self, x: &[f64], grad: &mut [f64]) -> Option<f64> {
                grad[0] = 2.0 * (x[0] - 2.0);
                grad[1] = 2.0 * (x[1] + 1.0);
                Some((x[0] - 2.0).powi(2) + (x[1] + 1.0).powi(2))
            }
        }
        let mut obj = Bowl;
        let bounds = Bounds { lower: vec![-10.0, -10.0], upper: vec![1.0, 10.0] };
        let start = evaluate_point(&mut obj, vec![0.0, 0.0]).unwrap();
        let out = bfgs(&mut obj, start, &bounds, DMatrix::identity(2, 2), 1e-10, 100, &mut |_, _| {});
        assert!(bounds.held(&out.point.x, &out.point.g, 0));
        assert_eq!(out.point.x[0], 1.0);
        assert!((out.point.x[1] + 1.0).abs() < 1e-9);
    }
}
