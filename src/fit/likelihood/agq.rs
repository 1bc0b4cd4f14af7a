//! Adaptive Gauss-Hermite quadrature for a model with a single scalar random effect, as lme4
//! computes it for `nAGQ > 1`.
//!
//! Per level, with `h(b) = sum_i l_i(eta_i + z_i b) - b^2 / (2 s^2) - 1/2 ln(2 pi s^2)`, mode
//! `b^` and curvature `H = -h''(b^)`, `sigma = H^-1/2`:
//!
//! `ln int exp h(b) db ~ ln sum_k w_k sqrt(2) sigma exp(h(b^ + sqrt(2) sigma x_k) + x_k^2)`
//!
//! with the Gauss-Hermite nodes `x_k` and weights `w_k` (weight function `exp(-x^2)`). One node
//! (`x = 0`, `w = sqrt(pi)`) is the Laplace approximation. The gradient is exact: the nodes
//! move with `b^` and `sigma`, whose derivatives follow from the implicit function theorem
//! (`db^/dpsi = H^-1 d2h/db dpsi`, `dsigma/dpsi = -sigma / (2H) dH/dpsi`, `dH/dpsi` including the
//! change of the weights through `b^`).

use super::laplace::Laplace;
use super::layout::Layout;
use crate::fit::likelihood::LogLikelihood;
use nalgebra::DMatrix;
use std::sync::Arc;

/// Most quadrature points accepted.
pub const MAX_NODES: usize = 50;

/// Gauss-Hermite nodes and weights for the weight function `exp(-x^2)`: Golub-Welsch
/// eigenvalues refined by Newton's method on the orthonormal Hermite polynomial `p_n`, weights
/// `1 / sum_{k<n} p_k(x)^2`.
pub fn gauss_hermite(n: usize) -> (Vec<f64>, Vec<f64>) {
    let jacobi =
        DMatrix::from_fn(
            n,
            n,
            |i, j| {
                if i + 1 == j || j + 1 == i {
                    (i.max(j) as f64 / 2.0).sqrt()
                } else {
                    0.0
                }
            },
        );
    let mut nodes: Vec<f64> = jacobi.symmetric_eigenvalues().iter().cloned().collect();
    nodes.sort_by(|a, b| a.total_cmp(b));
    // Orthonormal Hermite polynomials: p_0 = pi^-1/4, p_1 = sqrt(2) x p_0,
    // p_{k+1} = sqrt(2/(k+1)) x p_k - sqrt(k/(k+1)) p_{k-1}; p_n' = sqrt(2n) p_{n-1}.
    let polys = |x: f64| {
        let mut values = Vec::with_capacity(n + 1);
        values.push(std::f64::consts::PI.powf(-0.25));
        if n >= 1 {
            values.push(2f64.sqrt() * x * values[0]);
        }
        for k in 1..n {
            let kf = k as f64;
            let next = (2.0 / (kf + 1.0)).sqrt() * x * values[k] - (kf / (kf + 1.0)).sqrt() * values[k - 1];
            values.push(next);
        }
        values
    };
    let mut weights = Vec::with_capacity(n);
    for x in nodes.iter_mut() {
        for _ in 0..3 {
            let p = polys(*x);
            let derivative = (2.0 * n as f64).sqrt() * p[n - 1];
            if derivative != 0.0 {
                *x -= p[n] / derivative;
            }
        }
        let p = polys(*x);
        weights.push(1.0 / p[..n].iter().map(|v| v * v).sum::<f64>());
    }
    (nodes, weights)
}

/// The adaptive-quadrature log-likelihood of a model with one scalar random-effect term, on
/// top of the Laplace evaluator that finds the modes and curvatures.
#[derive(Clone, Debug)]
pub struct Quadrature {
    pub laplace: Laplace,
    nodes: Vec<f64>,
    log_weights: Vec<f64>,
}

impl Quadrature {
    pub fn new(laplace: Laplace, n: usize) -> Self {
        let (nodes, weights) = gauss_hermite(n);
        Quadrature { laplace, nodes, log_weights: weights.iter().map(|w| w.ln()).collect() }
    }
}

impl LogLikelihood for Quadrature {
    fn loglik(&mut self, psi: &[f64], grad: &mut [f64]) -> Option<f64> {
        let lap = &mut self.laplace;
        let kernel = lap.modes_at(psi)?;
        let layout = Arc::clone(&lap.layout);
        let lay: &Layout = &layout;
        let index = lap.index.clone();
        let p = index.p;
        let tau = index.tau;
        let log_s = index.theta[0].0;
        let s2 = lap.covariances[0].sigma[0];
        let sqrt2 = 2f64.sqrt();
        grad.iter_mut().for_each(|g| *g = 0.0);
        let m = self.nodes.len();
        let mut total = 0.0;
        let mut log_omega = vec![0.0; m];
        let mut dh_beta = vec![0.0; m * p];
        let mut dh_tau = vec![0.0; m];
        let mut h_prime = vec![0.0; m];
        let mut sw_x = vec![0.0; p];
        let mut sw3_x = vec![0.0; p];
        for (o, group) in lay.outer.iter().enumerate() {
            let (r0, r1) = group.rows;
            let h_curv = lap.curvature(o);
            let sigma = 1.0 / h_curv.sqrt();
            let b_hat = lap.bo[o];
            // Derivatives of the mode and the curvature.
            sw_x.iter_mut().for_each(|v| *v = 0.0);
            sw3_x.iter_mut().for_each(|v| *v = 0.0);
            let (mut s_d1t, mut s_w3z3, mut s_d2tz2) = (0.0, 0.0, 0.0);
            for i in r0..r1 {
                let d = lap.derivative(i);
                let z = lay.zo[i];
                let x = lay.x_row(i);
                let w = -d.d2;
                let w3 = -d.d3;
                for j in 0..p {
                    sw_x[j] += w * z * x[j];
                    sw3_x[j] += w3 * z * z * x[j];
                }
                s_d1t += d.d1t * z;
                s_w3z3 += w3 * z * z * z;
                s_d2tz2 -= d.d2t * z * z;
            }
            let db_tau = s_d1t / h_curv;
            let db_logs = 2.0 * b_hat / (s2 * h_curv);
            let dh_curv_tau = s_w3z3 * db_tau + s_d2tz2;
            let dh_curv_logs = s_w3z3 * db_logs - 2.0 / s2;
            // Node values.
            for k in 0..m {
                let b = b_hat + sqrt2 * sigma * self.nodes[k];
                let mut h = -0.5 * b * b / s2 - 0.5 * (2.0 * std::f64::consts::PI * s2).ln();
                let mut hp = -b / s2;
                dh_beta[k * p..(k + 1) * p].iter_mut().for_each(|v| *v = 0.0);
                dh_tau[k] = 0.0;
                for i in r0..r1 {
                    let z = lay.zo[i];
                    let d = kernel.full(&lay.response, i, lap.eta_fixed(i) + z * b);
                    h += d.l;
                    hp += d.d1 * z;
                    let x = lay.x_row(i);
                    for j in 0..p {
                        dh_beta[k * p + j] += d.d1 * x[j];
                    }
                    dh_tau[k] += d.dt;
                }
                h_prime[k] = hp;
                // The log-sd derivative of h at the node, b^2/s^2 - 1, is added below.
                log_omega[k] = self.log_weights[k] + 0.5 * 2f64.ln() + sigma.ln() + h + self.nodes[k].powi(2);
            }
            let top = log_omega.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            let sum: f64 = log_omega.iter().map(|v| (v - top).exp()).sum();
            let log_i = top + sum.ln();
            if !log_i.is_finite() {
                return None;
            }
            total += log_i;
            for k in 0..m {
                let pi_k = (log_omega[k] - log_i).exp();
                let xk = self.nodes[k];
                let b = b_hat + sqrt2 * sigma * xk;
                // d ln omega_k / dpsi = dsigma/sigma + dh/dpsi + h'(b_k) (db^/dpsi + sqrt2 x_k dsigma/dpsi),
                // with dsigma/sigma = -dH/(2H).
                for j in 0..p {
                    let db = -sw_x[j] / h_curv;
                    let dh_c = sw3_x[j] + s_w3z3 * db;
                    let ds_rel = -dh_c / (2.0 * h_curv);
                    grad[j] += pi_k
                        * (ds_rel + dh_beta[k * p + j] + h_prime[k] * (db + sqrt2 * xk * sigma * ds_rel));
                }
                if let Some(t) = tau {
                    let ds_rel = -dh_curv_tau / (2.0 * h_curv);
                    grad[t] +=
                        pi_k * (ds_rel + dh_tau[k] + h_prime[k] * (db_tau + sqrt2 * xk * sigma * ds_rel));
                }
                let ds_rel = -dh_curv_logs / (2.0 * h_curv);
                grad[log_s] += pi_k
                    * (ds_rel + (b * b / s2 - 1.0) + h_prime[k] * (db_logs + sqrt2 * xk * sigma * ds_rel));
            }
        }
        (total.is_finite() && grad.iter().all(|g| g.is_finite())).then_some(total)
    }
}

#[cfg(test)]
mod tests {
    use super::super::family::Kernel;
    use super::super::layout::Layout;
    use super::*;
    use crate::design::Design;
    use crate::fit::testdata::{design, grouped, layout, term, Rng};
    use crate::fit::Family;

    /// Few small counts per group, where quadrature differs clearly from Laplace.
    fn sparse(family: Family) -> Design {
        let mut rng = Rng::new(11);
        let s = grouped(&mut rng, 8, 4, 1);
        let b: Vec<f64> = (0..8).map(|_| 0.8 * rng.normal()).collect();
        let y = (0..s.x.len())
            .map(|i| {
                let mu = (-4.5 + 0.3 * s.x[i] + s.offset[i] + b[s.group[i]]).exp();
                match family {
                    Family::Poisson => rng.poisson(mu) as f64,
                    _ => rng.count(Family::Nbinom2, mu, 2.0) as f64,
                }
            })
            .collect();
        let random = vec![term(&s, "g", &s.group, false)];
        design(&s, y, random)
    }

    /// `sum_groups ln int exp h(b) db` by the trapezoid rule on 20001 points over +-12 SD.
    fn brute_force(layout: &Layout, family: Family, psi: &[f64]) -> f64 {
        let p = layout.p;
        let tau = if family.has_dispersion() { psi[p] } else { 0.0 };
        let log_s = psi[psi.len() - 1];
        let s2 = (2.0 * log_s).exp();
        let kernel = Kernel::new(family, tau, &layout.response);
        let mut total = 0.0;
        for g in &layout.outer {
            let points = 20001;
            let width = 12.0 * s2.sqrt();
            let step = 2.0 * width / (points - 1) as f64;
            let values: Vec<f64> = (0..points)
                .map(|k| {
                    let b = -width + k as f64 * step;
                    let mut h = -0.5 * b * b / s2 - 0.5 * (2.0 * std::f64::consts::PI * s2).ln();
                    for i in g.rows.0..g.rows.1 {
                        let eta = layout.offset[i]
                            + layout.x_row(i).iter().zip(psi).map(|(a, c)| a * c).sum::<f64>()
                            + layout.zo[i] * b;
                        h += kernel.full(&layout.response, i, eta).l;
                    }
                    h
                })
                .collect();
            let top = values.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            let sum: f64 = values
                .iter()
                .enumerate()
                .map(|(k, v)| (v - top).exp() * if k == 0 || k == points - 1 { 0.5 } else { 1.0 })
                .sum();
            total += top + (sum * step).ln();
        }
        total
    }

    /// The families and parameters (beta, [log dispersion,] log SD) the quadrature is checked at.
    fn cases() -> [(Family, Vec<f64>); 2] {
        [
            (Family::Poisson, vec![-4.4, 0.25, 0.7f64.ln()]),
            (Family::Nbinom2, vec![-4.4, 0.25, 0.5, 0.7f64.ln()]),
        ]
    }

    #[test]
    fn one_node_is_the_laplace_approximation() {
        for (family, psi) in cases() {
            let d = sparse(family);
            let layout = layout(&d);
            let mut lap = Laplace::new(Arc::clone(&layout), family);
            let mut g_lap = vec![0.0; psi.len()];
            let v_lap = lap.evaluate(&psi, &mut g_lap).unwrap();
            let mut quad = Quadrature::new(lap, 1);
            let mut g_quad = vec![0.0; psi.len()];
            let v_quad = quad.loglik(&psi, &mut g_quad).unwrap();
            assert!((v_lap - v_quad).abs() < 1e-10, "{family:?}: {v_lap} vs {v_quad}");
            for k in 0..psi.len() {
                assert!(
                    (g_lap[k] - g_quad[k]).abs() < 1e-8,
                    "{family:?} parameter {k}: {} vs {}",
                    g_lap[k],
                    g_quad[k]
                );
            }
        }
    }

    #[test]
    fn quadrature_matches_brute_force_integration() {
        for (family, psi) in cases() {
            let d = sparse(family);
            let layout = layout(&d);
            let exact = brute_force(&layout, family, &psi);
            let mut lap = Laplace::new(Arc::clone(&layout), family);
            let mut grad = vec![0.0; psi.len()];
            let laplace = lap.evaluate(&psi, &mut grad).unwrap();
            let mut quad = Quadrature::new(lap, 25);
            let value = quad.loglik(&psi, &mut grad).unwrap();
            assert!((value - exact).abs() < 1e-6, "{family:?}: quadrature {value} vs integral {exact}");
            // The Laplace approximation is visibly off with so few counts per group.
            assert!((laplace - exact).abs() > 1e-3, "{family:?}: Laplace {laplace} vs integral {exact}");
        }
    }

    #[test]
    fn quadrature_gradient_matches_finite_differences() {
        for (family, psi) in cases() {
            let d = sparse(family);
            let layout = layout(&d);
            let lap = Laplace::new(Arc::clone(&layout), family);
            let mut quad = Quadrature::new(lap, 9);
            let mut grad = vec![0.0; psi.len()];
            quad.loglik(&psi, &mut grad).unwrap();
            let mut scratch = vec![0.0; psi.len()];
            for k in 0..psi.len() {
                let h = 1e-5;
                let mut up = psi.clone();
                up[k] += h;
                let mut down = psi.clone();
                down[k] -= h;
                let numeric = (quad.loglik(&up, &mut scratch).unwrap()
                    - quad.loglik(&down, &mut scratch).unwrap())
                    / (2.0 * h);
                assert!(
                    (numeric - grad[k]).abs() < 1e-6 * (1.0 + grad[k].abs()),
                    "{family:?} parameter {k}: {} vs {numeric}",
                    grad[k]
                );
            }
        }
    }

    #[test]
    fn gauss_hermite_matches_known_rules() {
        // n = 3: nodes 0, +-sqrt(3/2); weights 2 sqrt(pi)/3, sqrt(pi)/6.
        let (x, w) = gauss_hermite(3);
        let sp = std::f64::consts::PI.sqrt();
        assert!((x[0] + 1.5f64.sqrt()).abs() < 1e-15 && x[1].abs() < 1e-15);
        assert!((w[1] - 2.0 * sp / 3.0).abs() < 1e-15 && (w[0] - sp / 6.0).abs() < 1e-15);
        // n = 20 integrates x^38 exactly: int x^38 e^-x^2 = Gamma(19.5).
        let (x, w) = gauss_hermite(20);
        let integral: f64 = x.iter().zip(&w).map(|(a, b)| b * a.powi(38)).sum();
        let exact = super::super::special::lgamma(19.5).exp();
        assert!((integral / exact - 1.0).abs() < 1e-12);
        let (_, w1) = gauss_hermite(1);
        assert!((w1[0] - sp).abs() < 1e-15);
    }
}
