//! Generalised linear models without random effects, by Newton's method on the exact
//! log-likelihood.
//!
//! Poisson: Newton on `beta` (identical to IRLS for the canonical log link), started from
//! `mu = y + 0.1` as R's `glm` does. NB2 / NB1: full maximum likelihood over `(beta, tau)`,
//! `tau = ln(dispersion)`, with the analytic Hessian, started from the Poisson fit and a moment
//! estimate of the dispersion. Standard errors come from the inverse of the observed
//! information of all parameters (as glmmTMB reports them; `MASS::glm.nb` conditions on theta).
//! Every step is halved until the log-likelihood does not decrease; where the Hessian is not
//! negative definite a multiple of its diagonal is added (Levenberg).

use crate::fit::likelihood::glm::{evaluate, Evaluation, TAU_BOUNDS};
use crate::fit::likelihood::layout::Layout;
use crate::fit::small;
use crate::fit::{Family, Link, Progress, Stage};

/// Result of a GLM fit.
#[derive(Clone, Debug)]
pub struct GlmFit {
    pub beta: Vec<f64>,
    pub tau: Option<f64>,
    pub loglik: f64,
    /// Covariance of `(beta, tau)` (row-major, `dim x dim`); the `tau` row and column are NaN
    /// when `tau` is at a bound.
    pub cov: Vec<f64>,
    pub dim: usize,
    pub converged: bool,
    pub iterations: usize,
    /// Largest absolute gradient over the free parameters.
    pub max_abs_gradient: f64,
    /// Whether the information matrix at the estimate is positive definite.
    pub information_ok: bool,
}

/// Newton step `info^-1 grad`, with Levenberg damping if `info` is not positive definite.
fn newton_step(info: &[f64], grad: &[f64], dim: usize) -> Option<Vec<f64>> {
    let mut ridge = 0.0;
    let scale: f64 = (0..dim).map(|a| info[a * dim + a].abs()).fold(0.0, f64::max).max(1e-12);
    for _ in 0..60 {
        let mut l = info.to_vec();
        for a in 0..dim {
            l[a * dim + a] += ridge;
        }
        if small::cholesky(&mut l, dim) {
            let mut step = grad.to_vec();
            small::cholesky_solve(&l, dim, &mut step);
            return Some(step);
        }
        ridge = if ridge == 0.0 { 1e-8 * scale } else { ridge * 10.0 };
    }
    None
}

/// Largest `|g_a| sqrt((info^-1)_aa)`: the distance to the optimum in standard errors.
fn scaled_gradient(info: &[f64], grad: &[f64], dim: usize) -> Option<f64> {
    let mut l = info.to_vec();
    if !small::cholesky(&mut l, dim) {
        return None;
    }
    let mut inv = vec![0.0; dim * dim];
    small::cholesky_inverse(&l, dim, &mut inv);
    Some((0..dim).map(|a| grad[a].abs() * inv[a * dim + a].max(0.0).sqrt()).fold(0.0, f64::max))
}

/// The end of [`newton`].
struct NewtonEnd {
    evaluation: Evaluation,
    converged: bool,
    iterations: usize,
    tau_at_bound: bool,
}

/// Maximises over `beta` and, if `tau` is given, `tau`. `tau` is held at a bound when the
/// likelihood keeps increasing beyond it.
fn newton(
    layout: &Layout,
    family: Family,
    beta: &mut Vec<f64>,
    tau: &mut Option<f64>,
    tol: f64,
    max_iter: usize,
    progress: &mut dyn FnMut(&Progress),
) -> Option<NewtonEnd> {
    let p = layout.p;
    let mut tau_fixed = false;
    let mut ev = evaluate(layout, family, beta, *tau)?;
    let mut iterations = 0;
    let mut converged = false;
    while iterations < max_iter {
        iterations += 1;
        progress(&Progress { stage: Stage::Glm, iteration: iterations, objective: -ev.loglik });
        let free_dim = if tau.is_some() && !tau_fixed { p + 1 } else { p };
        let (info, grad) = restrict(&ev, p + tau.is_some() as usize, free_dim);
        if let Some(sg) = scaled_gradient(&info, &grad, free_dim) {
            if sg < tol {
                converged = true;
                break;
            }
        }
        let step = newton_step(&info, &grad, free_dim)?;
        let mut t = 1.0;
        let accepted =
            loop {
                let trial_beta: Vec<f64> = beta.iter().zip(&step).map(|(b, s)| b + t * s).collect();
                let trial_tau = tau.map(|v| {
                    if free_dim > p {
                        (v + t * step[p]).clamp(TAU_BOUNDS.0, TAU_BOUNDS.1)
                    } else {
                        v
                    }
                });
                if let Some(trial) = evaluate(layout, family, &trial_beta, trial_tau) {
                    if trial.loglik >= ev.loglik - 1e-12 * (1.0 + ev.loglik.abs()) {
                        *beta = trial_beta;
                        *tau = trial_tau;
                        ev = trial;
                        break true;
                    }
                }
                t *= 0.5;
                if t < 1e-10 {
                    break false;
                }
            };
        if let Some(v) = *tau {
            let at_bound = v <= TAU_BOUNDS.0 || v >= TAU_BOUNDS.1;
            let outward = (v <= TAU_BOUNDS.0 && ev.grad[p] < 0.0) || (v >= TAU_BOUNDS.1 && ev.grad[p] > 0.0);
            if at_bound && outward && !tau_fixed {
                tau_fixed = true;
                continue;
            }
        }
        if !accepted {
            break;
        }
    }
    Some(NewtonEnd { evaluation: ev, converged, iterations, tau_at_bound: tau_fixed })
}

/// The information and gradient of the first `free` parameters.
fn restrict(ev: &Evaluation, dim: usize, free: usize) -> (Vec<f64>, Vec<f64>) {
    let mut info = vec![0.0; free * free];
    for a in 0..free {
        for b in 0..free {
            info[a * free + b] = ev.info[a * dim + b];
        }
    }
    (info, ev.grad[..free].to_vec())
}

/// Fits the GLM. `None` when the likelihood cannot be evaluated even at the start.
pub fn fit_glm(
    layout: &Layout,
    family: Family,
    tol: f64,
    max_iter: usize,
    progress: &mut dyn FnMut(&Progress),
) -> Option<GlmFit> {
    let p = layout.p;
    if let Family::Binomial(link) = family {
        let mut beta = binomial_start(layout, link)?;
        let mut tau = None;
        let end = newton(layout, family, &mut beta, &mut tau, tol, max_iter, progress)?;
        return Some(finish(beta, tau, end, p));
    }
    let start = poisson_start(layout)?;
    let mut beta = start;
    let mut tau = None;
    let poisson_tol = if family == Family::Poisson { tol } else { 1e-4 };
    let mut end = newton(layout, Family::Poisson, &mut beta, &mut tau, poisson_tol, max_iter, progress)?;
    if family != Family::Poisson {
        tau = Some(moment_tau(layout, family, &beta));
        let poisson_iterations = end.iterations;
        end = newton(layout, family, &mut beta, &mut tau, tol, max_iter, progress)?;
        end.iterations += poisson_iterations;
    }
    Some(finish(beta, tau, end, p))
}

/// The fit at the end of Newton's method: the covariance of the free parameters from the
/// inverse information.
fn finish(beta: Vec<f64>, tau: Option<f64>, end: NewtonEnd, p: usize) -> GlmFit {
    let dim = p + tau.is_some() as usize;
    let free = if end.tau_at_bound { p } else { dim };
    let (info, grad) = restrict(&end.evaluation, dim, free);
    let mut l = info.clone();
    let information_ok = small::cholesky(&mut l, free);
    let mut cov = vec![f64::NAN; dim * dim];
    if information_ok {
        let mut inv = vec![0.0; free * free];
        small::cholesky_inverse(&l, free, &mut inv);
        for a in 0..free {
            for b in 0..free {
                cov[a * dim + b] = inv[a * free + b];
            }
        }
    }
    GlmFit {
        beta,
        tau,
        loglik: end.evaluation.loglik,
        cov,
        dim,
        converged: end.converged && information_ok,
        iterations: end.iterations,
        max_abs_gradient: grad.iter().fold(0.0, |m, g| m.max(g.abs())),
        information_ok,
    }
}

/// Binomial starting values: one weighted least-squares step from `p = (y + 0.5) / (n + 1)`
/// (as R's `binomial()$initialize`), on the link scale with weights `n f1^2 / (p q)`.
fn binomial_start(layout: &Layout, link: Link) -> Option<Vec<f64>> {
    use statrs::distribution::{ContinuousCDF, Normal};
    let p = layout.p;
    let mut xtwx = vec![0.0; p * p];
    let mut xtwz = vec![0.0; p];
    let normal = Normal::standard();
    for i in 0..layout.n {
        let n = layout.response.trials(i);
        let mu = (layout.response.y[i] + 0.5) / (n + 1.0);
        let (eta, f1) = match link {
            Link::Logit => ((mu / (1.0 - mu)).ln(), mu * (1.0 - mu)),
            Link::Probit => {
                let e = normal.inverse_cdf(mu);
                (e, (-0.5 * e * e).exp() / (2.0 * std::f64::consts::PI).sqrt())
            }
            Link::Cloglog => {
                let e = (-(-mu).ln_1p()).ln();
                (e, (1.0 - mu) * e.exp())
            }
        };
        let w = (n.max(1e-8)) * f1 * f1 / (mu * (1.0 - mu));
        let z = eta - layout.offset[i];
        let x = layout.x_row(i);
        small::add_outer_lower(&mut xtwx, p, w, x);
        for a in 0..p {
            xtwz[a] += w * z * x[a];
        }
    }
    newton_step(&xtwx, &xtwz, p)
}

/// Poisson starting values: one weighted least-squares step from `mu = y + 0.1`.
fn poisson_start(layout: &Layout) -> Option<Vec<f64>> {
    let p = layout.p;
    let mut xtwx = vec![0.0; p * p];
    let mut xtwz = vec![0.0; p];
    for i in 0..layout.n {
        let mu = layout.response.y[i] + 0.1;
        let z = mu.ln() - layout.offset[i];
        let x = layout.x_row(i);
        small::add_outer_lower(&mut xtwx, p, mu, x);
        for a in 0..p {
            xtwz[a] += mu * z * x[a];
        }
    }
    newton_step(&xtwx, &xtwz, p)
}

/// Moment estimate of `tau` from Poisson fitted means: NB2 `theta = sum mu^2 / sum((y - mu)^2
/// - mu)`, NB1 `phi = sum((y - mu)^2 - mu) / sum mu`, bounded to a sensible range.
fn moment_tau(layout: &Layout, family: Family, beta: &[f64]) -> f64 {
    let mut excess = 0.0;
    let mut sum_mu = 0.0;
    let mut sum_mu2 = 0.0;
    for i in 0..layout.n {
        let eta = layout.offset[i] + layout.x_row(i).iter().zip(beta).map(|(a, b)| a * b).sum::<f64>();
        let mu = eta.exp();
        let y = layout.response.y[i];
        excess += (y - mu) * (y - mu) - mu;
        sum_mu += mu;
        sum_mu2 += mu * mu;
    }
    let tau = match family {
        Family::Nbinom2 => (sum_mu2 / excess).ln(),
        _ => (excess / sum_mu).ln(),
    };
    if tau.is_finite() {
        tau.clamp(-5.0, 8.0)
    } else if family == Family::Nbinom2 {
        8.0
    } else {
        -5.0
    }
}
