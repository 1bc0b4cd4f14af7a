//! Zero inflation, as glmmTMB's `ziformula`: a count is a structural zero with probability
//! `pi_i = 1 / (1 + exp(-zeta_i))`, `zeta_i = xz_i' gamma` (logit link, fixed effects only),
//! and otherwise follows the count family with mean `mu_i = exp(eta_i)`; the random effects
//! enter `eta` only. With `l0` the count family's log-probability of a zero,
//!
//! - `y > 0`: `l = l_count(y; eta, tau) - softplus(zeta)`;
//! - `y = 0`: `l = ln(pi + (1 - pi) e^l0) = zeta - softplus(zeta) + softplus(l0 - zeta)`,
//!
//! `softplus(x) = ln(1 + e^x)`. For a zero, with `w = sigmoid(l0 - zeta)` (the probability that
//! the zero came from the count distribution) and `l0'`, `l0''`, ... the derivatives of `l0` in
//! `eta`: `dl/deta = w l0'`, `d2l/deta2 = w l0'' + w (1 - w) l0'^2`, and
//! `d3l/deta3 = w l0''' + 3 w (1 - w) l0' l0'' + w (1 - w) (1 - 2 w) l0'^3` (likewise in `tau`);
//! `dl/dzeta = 1 - pi - w`. The term `w (1 - w) l0'^2` makes `l` convex in `eta` where
//! structural and sampling zeros compete, so the mode iterations fall back to positive weights
//! (`w` times the count family's Fisher weight) where the observed information is not positive
//! definite, and step-halve on the value (see [`super::laplace`]).
//!
//! The expected count is `(1 - pi) mu` (glmmTMB's `predict(type = "response")`).

use super::family::{EtaDerivatives, Kernel, ModeTerms, Response, ZetaDerivatives};
use super::layout::Layout;
use super::params::ParamIndex;
use crate::fit::Family;
use std::sync::Arc;

/// `ln(1 + e^x)` without overflow.
#[inline]
pub fn softplus(x: f64) -> f64 {
    x.max(0.0) + (-x.abs()).exp().ln_1p()
}

/// `1 / (1 + e^-x)` without overflow.
#[inline]
pub fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// The mode-iteration terms of a zero count from those of the count family at the same `eta`
/// (whose `l` is then the whole `l0`: every `eta`-free term vanishes at `y = 0`).
#[inline]
pub fn mode_at_zero(t0: ModeTerms, zeta: f64) -> ModeTerms {
    let w = sigmoid(t0.l - zeta);
    let v = w * (1.0 - w);
    ModeTerms {
        l: zeta - softplus(zeta) + softplus(t0.l - zeta),
        d1: w * t0.d1,
        w: w * t0.w - v * t0.d1 * t0.d1,
        fisher: w * t0.fisher,
        mu: t0.mu,
        aux: t0.aux,
    }
}

/// The zero-inflated row's derivatives from the count family's (`c`, all of them at the row's
/// `eta` and `tau`), its count `y` and its zero-inflation predictor `zeta`: those in `eta` and
/// `tau`, and those in `zeta`.
#[inline]
pub fn derivatives(c: EtaDerivatives, y: f64, zeta: f64) -> (EtaDerivatives, ZetaDerivatives) {
    let pi = sigmoid(zeta);
    if y > 0.0 {
        let z = ZetaDerivatives { dz: -pi, dzz: -pi * (1.0 - pi), ..ZetaDerivatives::default() };
        return (EtaDerivatives { l: c.l - softplus(zeta), ..c }, z);
    }
    let w = sigmoid(c.l - zeta);
    let v = w * (1.0 - w);
    let v3 = v * (1.0 - 2.0 * w);
    let e = EtaDerivatives {
        l: zeta - softplus(zeta) + softplus(c.l - zeta),
        d1: w * c.d1,
        d2: w * c.d2 + v * c.d1 * c.d1,
        d3: w * c.d3 + 3.0 * v * c.d1 * c.d2 + v3 * c.d1 * c.d1 * c.d1,
        dt: w * c.dt,
        d1t: w * c.d1t + v * c.d1 * c.dt,
        d2t: w * c.d2t + v * (c.d2 * c.dt + 2.0 * c.d1 * c.d1t) + v3 * c.d1 * c.d1 * c.dt,
        dtt: w * c.dtt + v * c.dt * c.dt,
    };
    let z = ZetaDerivatives {
        dz: 1.0 - pi - w,
        d1z: -v * c.d1,
        d2z: -(v * c.d2 + v3 * c.d1 * c.d1),
        dzz: -pi * (1.0 - pi) + v,
        dtz: -v * c.dt,
    };
    (e, z)
}

/// The zero-inflation predictor `zeta_i = xz_i' gamma` of every (sorted) row of `layout`.
pub fn predictor(layout: &Layout, gamma: &[f64]) -> Vec<f64> {
    let pz = layout.pz;
    (0..layout.n)
        .map(|i| layout.xz[i * pz..(i + 1) * pz].iter().zip(gamma).map(|(a, b)| a * b).sum())
        .collect()
}

/// The kernel of a model at `psi`: the count family's at its `tau`, zero-inflated when the
/// model has a zero-inflation part.
pub fn kernel(layout: &Layout, family: Family, index: &ParamIndex, psi: &[f64]) -> Kernel {
    let tau = index.tau.map_or(0.0, |t| psi[t]);
    let kernel = Kernel::new(family, tau, &layout.response);
    match index.zi {
        Some((start, len)) => {
            kernel.with_zero_inflation(Arc::new(predictor(layout, &psi[start..start + len])))
        }
        None => kernel,
    }
}

/// The exact log-likelihood of a zero-inflated model without random effects in
/// `psi = (beta, tau, gamma)`, with its gradient.
#[derive(Clone, Debug)]
pub struct ZeroInflatedGlm {
    pub layout: Arc<Layout>,
    pub family: Family,
    pub index: ParamIndex,
}

impl super::LogLikelihood for ZeroInflatedGlm {
    fn loglik(&mut self, psi: &[f64], grad: &mut [f64]) -> Option<f64> {
        let lay: &Layout = &self.layout;
        let (p, pz) = (lay.p, lay.pz);
        let kernel = kernel(lay, self.family, &self.index, psi);
        let zs = self.index.zi.map_or(psi.len(), |z| z.0);
        grad.iter_mut().for_each(|g| *g = 0.0);
        let mut loglik = 0.0;
        for i in 0..lay.n {
            let x = lay.x_row(i);
            let eta = lay.offset[i] + x.iter().zip(&psi[..p]).map(|(a, b)| a * b).sum::<f64>();
            let (d, z) = kernel.zero_inflated(&lay.response, i, eta);
            loglik += d.l;
            for (g, &xa) in grad[..p].iter_mut().zip(x) {
                *g += d.d1 * xa;
            }
            if let Some(t) = self.index.tau {
                grad[t] += d.dt;
            }
            for (g, &xz) in grad[zs..zs + pz].iter_mut().zip(&lay.xz[i * pz..(i + 1) * pz]) {
                *g += z.dz * xz;
            }
        }
        (loglik.is_finite() && grad.iter().all(|g| g.is_finite())).then_some(loglik)
    }
}

/// Starting zero-inflation coefficients: with an intercept column (`intercept`), the logit of
/// the share of zeros beyond those the count model without zero inflation expects (`eta`,
/// `tau` its estimates), at least 5% and at most 90%; every other coefficient 0.
pub fn start_gamma(
    layout: &Layout,
    family: Family,
    eta: &[f64],
    tau: Option<f64>,
    intercept: Option<usize>,
) -> Vec<f64> {
    let mut gamma = vec![0.0; layout.pz];
    let Some(k) = intercept else { return gamma };
    let kernel = Kernel::new(family, tau.unwrap_or(0.0), &layout.response);
    let n = layout.n.max(1) as f64;
    let observed = layout.response.y.iter().filter(|&&y| y == 0.0).count() as f64 / n;
    let zero = Response::new(vec![0.0]);
    let expected = eta.iter().map(|&e| kernel.mode(&zero, 0, e).l.exp()).sum::<f64>() / n;
    let excess = ((observed - expected) / (1.0 - expected).max(1e-6)).clamp(0.05, 0.9);
    gamma[k] = (excess / (1.0 - excess)).ln();
    gamma
}

#[cfg(test)]
mod tests {
    use super::super::family::Derivatives;
    use super::*;

    #[test]
    fn derivatives_match_finite_differences() {
        let r = Response::new(vec![0.0, 0.0, 1.0, 3.0, 12.0]);
        let h = 1e-5;
        for family in [Family::Poisson, Family::Nbinom2, Family::Nbinom1] {
            for &tau in &[-1.0, 0.7] {
                for &zeta in &[-4.0, -0.5, 1.5] {
                    for &eta in &[-3.0, 0.2, 2.0] {
                        for i in 0..5 {
                            let at = |eta: f64, tau: f64, zeta: f64| {
                                Kernel::new(family, tau, &r)
                                    .with_zero_inflation(Arc::new(vec![zeta; 5]))
                                    .full(&r, i, eta)
                            };
                            let d = at(eta, tau, zeta);
                            let check = |name: &str, fd: f64, an: f64| {
                                assert!(
                                    (fd - an).abs() < 1e-6 * (1.0 + an.abs()),
                                    "{family:?} tau {tau} zeta {zeta} eta {eta} row {i} {name}: fd {fd} analytic {an}"
                                );
                            };
                            let de = |f: fn(&Derivatives) -> f64| {
                                (f(&at(eta + h, tau, zeta)) - f(&at(eta - h, tau, zeta))) / (2.0 * h)
                            };
                            let dz = |f: fn(&Derivatives) -> f64| {
                                (f(&at(eta, tau, zeta + h)) - f(&at(eta, tau, zeta - h))) / (2.0 * h)
                            };
                            check("d1", de(|d| d.l), d.d1);
                            check("d2", de(|d| d.d1), d.d2);
                            check("d3", de(|d| d.d2), d.d3);
                            check("dz", dz(|d| d.l), d.dz);
                            check("d1z", dz(|d| d.d1), d.d1z);
                            check("d2z", dz(|d| d.d2), d.d2z);
                            check("dzz", dz(|d| d.dz), d.dzz);
                            if family != Family::Poisson {
                                let dt = |f: fn(&Derivatives) -> f64| {
                                    (f(&at(eta, tau + h, zeta)) - f(&at(eta, tau - h, zeta))) / (2.0 * h)
                                };
                                check("dt", dt(|d| d.l), d.dt);
                                check("d1t", dt(|d| d.d1), d.d1t);
                                check("d2t", dt(|d| d.d2), d.d2t);
                                check("dtt", dt(|d| d.dt), d.dtt);
                                check("dtz", dz(|d| d.dt), d.dtz);
                            }
                            // The mode terms agree with the full derivatives.
                            let k = Kernel::new(family, tau, &r).with_zero_inflation(Arc::new(vec![zeta; 5]));
                            let t = k.mode_row(&r, i, eta);
                            check("mode d1", t.d1, d.d1);
                            check("mode w", t.w, -d.d2);
                            let (up, dn) = (k.mode_row(&r, i, eta + h).l, k.mode_row(&r, i, eta - h).l);
                            check("mode l", (up - dn) / (2.0 * h), d.d1);
                        }
                    }
                }
            }
        }
    }

    /// The zero-inflated density sums the structural zeros and the count distribution: R's
    /// `log(0.3 + 0.7 * dpois(0, 2))` and `log(0.7 * dpois(3, 2))`.
    #[test]
    fn log_density_is_the_mixture() {
        let r = Response::new(vec![0.0, 3.0]);
        let zeta = (0.3f64 / 0.7).ln();
        let k = Kernel::new(Family::Poisson, 0.0, &r).with_zero_inflation(Arc::new(vec![zeta; 2]));
        let eta = 2f64.ln();
        let zero = (0.3 + 0.7 * (-2f64).exp()).ln();
        let three = (0.7 * (-2f64).exp() * 8.0 / 6.0).ln();
        assert!((k.full(&r, 0, eta).l - zero).abs() < 1e-14);
        assert!((k.full(&r, 1, eta).l - three).abs() < 1e-14);
        let total = k.constant(&r) + k.mode_row(&r, 0, eta).l + k.mode_row(&r, 1, eta).l;
        assert!((total - zero - three).abs() < 1e-13);
    }
}
