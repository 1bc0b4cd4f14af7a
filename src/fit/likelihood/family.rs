//! Per-observation log-likelihoods of the count families with a log link, and their
//! derivatives in the linear predictor `eta` and in `tau`, the log of the dispersion.
//!
//! With `mu = exp(eta)`:
//! - Poisson: `l = y eta - mu - lgamma(y + 1)`.
//! - NB2, `theta = exp(tau)`, `p = mu / (theta + mu)`, `q = 1 - p`:
//!   `l = lgamma(y + theta) - lgamma(theta) - lgamma(y + 1) + theta ln q + y ln p`,
//!   `var = mu + mu^2 / theta`.
//! - NB1 (glmmTMB's): negative binomial with size `k = mu / phi`, `phi = exp(tau)`:
//!   `l = lgamma(y + k) - lgamma(k) - lgamma(y + 1) - k ln(1 + phi) + y (tau - ln(1 + phi))`,
//!   `var = mu (1 + phi)`.

use super::special::{digamma_diff, lgamma, lgamma_diff, tetragamma_diff, trigamma_diff};
use super::zero_inflation;
use crate::fit::Family;
use std::collections::HashMap;

/// The response with the quantities that do not depend on the parameters.
#[derive(Clone, Debug)]
pub struct Response {
    pub y: Vec<f64>,
    /// `lgamma(y + 1)` per row.
    pub lfact: Vec<f64>,
    /// Index of each row's value in `distinct`.
    pub class: Vec<u32>,
    /// The distinct response values.
    pub distinct: Vec<f64>,
}

impl Response {
    /// `y` must hold finite non-negative values (checked by the caller). Distinct values are
    /// numbered in order of first appearance; counts up to the number of rows are looked up in a
    /// table indexed by the count, others in a hash map.
    pub fn new(y: Vec<f64>) -> Response {
        let limit = y.len().max(1024);
        let mut small: Vec<u32> = Vec::new();
        let mut index: HashMap<u64, u32> = HashMap::new();
        let mut distinct = Vec::new();
        let mut class = Vec::with_capacity(y.len());
        for &v in &y {
            let mut next = || {
                distinct.push(v);
                (distinct.len() - 1) as u32
            };
            let c = if v.fract() == 0.0 && v >= 0.0 && v < limit as f64 {
                let k = v as usize;
                if small.len() <= k {
                    small.resize(k + 1, u32::MAX);
                }
                if small[k] == u32::MAX {
                    small[k] = next();
                }
                small[k]
            } else {
                *index.entry(v.to_bits()).or_insert_with(next)
            };
            class.push(c);
        }
        let lfact_distinct: Vec<f64> = distinct.iter().map(|&v| lgamma(v + 1.0)).collect();
        let lfact = class.iter().map(|&c| lfact_distinct[c as usize]).collect();
        Response { y, lfact, class, distinct }
    }
}

/// `ln(1 + r)` for `r >= 0`: from `r = 0.01` the plain logarithm, whose error (from rounding
/// `1 + r`) is at most about `1e-16`; below, `ln(u) r / (u - 1)` with `u = 1 + r` rounded,
/// which corrects that rounding and is exact to a few units in the last place (Goldberg 1991,
/// Theorem 4). Both are several times faster than `ln_1p`.
#[inline]
fn ln_1p_fast(r: f64) -> f64 {
    let u = 1.0 + r;
    if r >= 0.01 {
        u.ln()
    } else if u == 1.0 {
        r
    } else {
        u.ln() * r / (u - 1.0)
    }
}

/// All derivatives of one observation's log-likelihood `l(eta, tau)`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Derivatives {
    pub l: f64,
    /// `dl/deta`.
    pub d1: f64,
    /// `d2l/deta2`.
    pub d2: f64,
    /// `d3l/deta3`.
    pub d3: f64,
    /// `dl/dtau`.
    pub dt: f64,
    /// `d2l/deta dtau`.
    pub d1t: f64,
    /// `d3l/deta2 dtau`.
    pub d2t: f64,
    /// `d2l/dtau2`.
    pub dtt: f64,
    /// Zero-inflated models (see [`super::zero_inflation`]), in the zero-inflation predictor
    /// `zeta`: `dl/dzeta`.
    pub dz: f64,
    /// `d2l/deta dzeta`.
    pub d1z: f64,
    /// `d3l/deta2 dzeta`.
    pub d2z: f64,
    /// `d2l/dzeta2`.
    pub dzz: f64,
    /// `d2l/dtau dzeta`.
    pub dtz: f64,
}

/// What the random-effect mode iterations need from one observation, plus the values from
/// which [`Kernel::complete`] finishes the derivatives without another transcendental call.
#[derive(Clone, Copy, Debug, Default)]
pub struct ModeTerms {
    /// The part of `l` that depends on `eta` ([`Kernel::constant`] holds the rest).
    pub l: f64,
    pub d1: f64,
    /// Newton weight `-d2l/deta2`.
    pub w: f64,
    /// Fisher weight `mu^2 / var`, positive even where `-d2l/deta2` is not.
    pub fisher: f64,
    pub mu: f64,
    /// NB2: `ln(1 + mu/theta)`.
    pub aux: f64,
}

/// A family evaluated at one value of the dispersion parameter, with the per-distinct-`y`
/// quantities precomputed for NB2 (whose gamma-function terms depend on `y` and `theta` only).
#[derive(Clone, Debug)]
pub struct Kernel {
    family: Family,
    tau: f64,
    /// `exp(tau)`: `theta` for NB2, `phi` for NB1.
    disp: f64,
    /// `ln(1 + phi)` for NB1.
    log1p_disp: f64,
    /// NB2 per distinct y: `lgamma(y + theta) - lgamma(theta)`, `psi(y + theta) - psi(theta)`,
    /// `psi1(y + theta) - psi1(theta)`.
    table: Vec<[f64; 3]>,
    /// Zero-inflated models: the zero-inflation predictor `zeta_i` of every row (see
    /// [`super::zero_inflation`]).
    zeta: Option<std::sync::Arc<Vec<f64>>>,
}

impl Kernel {
    /// `tau` is ignored for Poisson.
    pub fn new(family: Family, tau: f64, response: &Response) -> Kernel {
        let disp = tau.exp();
        let table = match family {
            Family::Nbinom2 => response
                .distinct
                .iter()
                .map(|&y| [lgamma_diff(disp, y), digamma_diff(disp, y), trigamma_diff(disp, y)])
                .collect(),
            _ => Vec::new(),
        };
        Kernel { family, tau, disp, log1p_disp: disp.ln_1p(), table, zeta: None }
    }

    /// Sum over rows of the `eta`-free terms of `l` left out of [`ModeTerms::l`].
    pub fn constant(&self, response: &Response) -> f64 {
        let mut s = 0.0;
        for (i, &y) in response.y.iter().enumerate() {
            s -= response.lfact[i];
            match self.family {
                Family::Poisson => {}
                Family::Nbinom2 => s += self.table[response.class[i] as usize][0] - y * self.tau,
                Family::Nbinom1 => s += y * (self.tau - self.log1p_disp),
            }
            if let Some(zeta) = &self.zeta {
                if y > 0.0 {
                    s -= zero_inflation::softplus(zeta[i]);
                }
            }
        }
        s
    }

    /// The kernel of the zero-inflated model with zero-inflation predictor `zeta` (one value
    /// per row of the response): see [`super::zero_inflation`].
    pub fn with_zero_inflation(mut self, zeta: std::sync::Arc<Vec<f64>>) -> Kernel {
        self.zeta = Some(zeta);
        self
    }

    /// [`Kernel::mode`] for row `i`: for a zero count of a zero-inflated model, the terms of the
    /// mixture of a structural zero and the count distribution.
    #[inline]
    pub fn mode_row(&self, i: usize, y: f64, eta: f64) -> ModeTerms {
        let t = self.mode(y, eta);
        match &self.zeta {
            Some(zeta) if y == 0.0 => zero_inflation::mode_at_zero(t, zeta[i]),
            _ => t,
        }
    }

    /// Value (up to `eta`-free terms), score and weights at `eta` for the mode iterations.
    #[inline]
    pub fn mode(&self, y: f64, eta: f64) -> ModeTerms {
        let mu = eta.exp();
        match self.family {
            Family::Poisson => ModeTerms { l: y * eta - mu, d1: y - mu, w: mu, fisher: mu, mu, aux: 0.0 },
            Family::Nbinom2 => {
                // theta ln q + y ln p = y eta - y tau - (theta + y) ln(1 + mu/theta).
                let theta = self.disp;
                let r = mu / theta;
                let a = ln_1p_fast(r);
                let q = 1.0 / (1.0 + r);
                let p = r * q;
                ModeTerms {
                    l: y * eta - (theta + y) * a,
                    d1: q * (y - mu),
                    w: (y + theta) * p * q,
                    fisher: mu * q,
                    mu,
                    aux: a,
                }
            }
            Family::Nbinom1 => {
                let phi = self.disp;
                let k = mu / phi;
                let d1 = k * (digamma_diff(k, y) - self.log1p_disp);
                ModeTerms {
                    l: lgamma_diff(k, y) - k * self.log1p_disp,
                    d1,
                    w: -(d1 + k * k * trigamma_diff(k, y)),
                    fisher: mu / (1.0 + phi),
                    mu,
                    aux: 0.0,
                }
            }
        }
    }

    /// All derivatives of row `i` at `eta`, given its [`ModeTerms`] at the same `eta`.
    #[inline]
    pub fn complete(&self, response: &Response, i: usize, eta: f64, t: &ModeTerms) -> Derivatives {
        if let Some(zeta) = &self.zeta {
            return zero_inflation::derivatives(self.count_full(response, i, eta), response.y[i], zeta[i]);
        }
        match self.family {
            Family::Poisson => {
                let lfact = response.lfact[i];
                Derivatives { l: t.l - lfact, d1: t.d1, d2: -t.mu, d3: -t.mu, ..Derivatives::default() }
            }
            Family::Nbinom2 => self.nb2(response, i, eta, t.mu, t.aux),
            Family::Nbinom1 => self.nb1_full(response, i, eta),
        }
    }

    /// NB2 derivatives from `mu` and `a = ln(1 + mu/theta)`.
    #[inline(always)]
    fn nb2(&self, response: &Response, i: usize, eta: f64, mu: f64, a: f64) -> Derivatives {
        let y = response.y[i];
        let [c0, c1, c2] = self.table[response.class[i] as usize];
        let theta = self.disp;
        let q = 1.0 / (1.0 + mu / theta);
        let p = 1.0 - q;
        let ln_q = -a;
        let ln_p = eta - self.tau - a;
        let w = (y + theta) * p * q;
        let dt = theta * (c1 + ln_q) + q * (mu - y);
        Derivatives {
            l: c0 - response.lfact[i] + theta * ln_q + y * ln_p,
            d1: q * (y - mu),
            d2: -w,
            d3: -w * (q - p),
            dt,
            d1t: p * q * (y - mu),
            d2t: -p * q * (y * (p - q) + 2.0 * mu * q),
            dtt: dt + theta * theta * c2 + mu * q + q * q * (y - mu),
            ..Derivatives::default()
        }
    }

    /// Full log-likelihood and all derivatives of row `i` at `eta`.
    #[inline]
    pub fn full(&self, response: &Response, i: usize, eta: f64) -> Derivatives {
        let d = self.count_full(response, i, eta);
        match &self.zeta {
            Some(zeta) => zero_inflation::derivatives(d, response.y[i], zeta[i]),
            None => d,
        }
    }

    /// [`Kernel::full`] of the count distribution alone (without zero inflation).
    #[inline]
    pub fn count_full(&self, response: &Response, i: usize, eta: f64) -> Derivatives {
        match self.family {
            Family::Poisson => Kernel::poisson(response, i, eta),
            Family::Nbinom2 => self.nb2_full(response, i, eta),
            Family::Nbinom1 => self.nb1_full(response, i, eta),
        }
    }

    /// [`Kernel::full`] for Poisson: `l = y eta - mu - lgamma(y + 1)`, `d1 = y - mu`,
    /// `d2 = d3 = -mu`; no dispersion.
    #[inline(always)]
    pub fn poisson(response: &Response, i: usize, eta: f64) -> Derivatives {
        let y = response.y[i];
        let mu = eta.exp();
        Derivatives {
            l: y * eta - mu - response.lfact[i],
            d1: y - mu,
            d2: -mu,
            d3: -mu,
            ..Derivatives::default()
        }
    }

    /// [`Kernel::full`] for NB2 (the kernel must be built for [`Family::Nbinom2`]).
    #[inline(always)]
    pub fn nb2_full(&self, response: &Response, i: usize, eta: f64) -> Derivatives {
        let mu = eta.exp();
        self.nb2(response, i, eta, mu, ln_1p_fast(mu / self.disp))
    }

    /// [`Kernel::full`] for NB1, with `k = mu / phi`.
    #[inline(always)]
    pub fn nb1_full(&self, response: &Response, i: usize, eta: f64) -> Derivatives {
        let y = response.y[i];
        let lfact = response.lfact[i];
        let mu = eta.exp();
        let phi = self.disp;
        let k = mu / phi;
        let a = digamma_diff(k, y) - self.log1p_disp;
        let b = trigamma_diff(k, y);
        let c = tetragamma_diff(k, y);
        let d1 = k * a;
        let d2 = d1 + k * k * b;
        let d3 = d1 + 3.0 * k * k * b + k * k * k * c;
        let m = mu / (1.0 + phi);
        Derivatives {
            l: lgamma_diff(k, y) - lfact - k * self.log1p_disp + y * (self.tau - self.log1p_disp),
            d1,
            d2,
            d3,
            dt: -d1 + (y - mu) / (1.0 + phi),
            d1t: -d2 - m,
            d2t: -d3 - m,
            dtt: d2 + m - (y - mu) * phi / ((1.0 + phi) * (1.0 + phi)),
            ..Derivatives::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response() -> Response {
        Response::new(vec![0.0, 1.0, 4.0, 17.0, 250.0])
    }

    /// Reference values from R: `dnbinom(c(0, 1, 4, 17, 250), size = 2.5, mu = 3.2, log = TRUE)`,
    /// `dnbinom(..., size = 3.2 / 0.7, mu = 3.2, log = TRUE)` and `dpois(..., 3.2, log = TRUE)`.
    #[test]
    fn fast_ln_1p_is_exact_to_rounding() {
        let mut r = 1e-300;
        while r < 1e4 {
            for x in [r, r * 1.37, r * 3.1, r * 7.9] {
                let (fast, exact) = (ln_1p_fast(x), x.ln_1p());
                // A few units in the last place below 0.01, one rounding of 1 + x above.
                let tolerance = if x < 0.01 { 4.0 * f64::EPSILON * exact } else { 2.0 * f64::EPSILON };
                assert!((fast - exact).abs() <= tolerance, "{x}: {fast} vs {exact}");
            }
            r *= 10.0;
        }
        assert_eq!(ln_1p_fast(0.0), 0.0);
    }

    #[test]
    fn log_densities_match_r() {
        let r = response();
        let eta = 3.2f64.ln();
        let cases: [(Family, f64, [f64; 5]); 3] = [
            (Family::Poisson, 0.0, R_POIS),
            (Family::Nbinom2, 2.5f64.ln(), R_NB2),
            (Family::Nbinom1, 0.7f64.ln(), R_NB1),
        ];
        for (family, tau, expected) in cases {
            let k = Kernel::new(family, tau, &r);
            let constant = k.constant(&r);
            let mut inner_sum = 0.0;
            for (i, e) in expected.iter().enumerate() {
                let d = k.full(&r, i, eta);
                assert!((d.l - e).abs() < 1e-12 * e.abs().max(1.0), "{family:?} row {i}");
                inner_sum += k.mode(r.y[i], eta).l;
            }
            let total: f64 = expected.iter().sum();
            assert!((inner_sum + constant - total).abs() < 1e-10, "{family:?} constant");
        }
    }

    // R's 17-significant-digit output, kept verbatim.
    #[allow(clippy::excessive_precision)]
    const R_POIS: [f64; 5] = [
        -3.2000000000000002,
        -2.0368491901943191,
        -1.7254505911252223,
        -16.9315096834403143,
        -846.4575293394327673,
    ];
    #[allow(clippy::excessive_precision)]
    const R_NB2: [f64; 5] = [
        -2.0604386074158736,
        -1.7214632405765422,
        -2.1698747085188912,
        -7.8034696246565876,
        -138.3842912851278015,
    ];
    #[allow(clippy::excessive_precision)]
    const R_NB1: [f64; 5] = [
        -2.4257291477127794,
        -1.7932065889692712,
        -2.0084054953149990,
        -9.4990095344144230,
        -207.0531198434428006,
    ];

    #[test]
    fn derivatives_match_finite_differences() {
        let r = response();
        for family in [Family::Poisson, Family::Nbinom2, Family::Nbinom1] {
            for &tau in &[-1.3, 0.4, 3.0] {
                for &eta in &[-2.0, 0.3, 2.5, 5.0] {
                    for i in 0..5 {
                        let h = 1e-5;
                        let k = Kernel::new(family, tau, &r);
                        let d = k.full(&r, i, eta);
                        let up = k.full(&r, i, eta + h);
                        let dn = k.full(&r, i, eta - h);
                        let ku = Kernel::new(family, tau + h, &r);
                        let kd = Kernel::new(family, tau - h, &r);
                        let tu = ku.full(&r, i, eta);
                        let td = kd.full(&r, i, eta);
                        let check = |name: &str, fd: f64, an: f64| {
                            let tol = 1e-6 * (1.0 + an.abs());
                            assert!(
                                (fd - an).abs() < tol,
                                "{family:?} tau {tau} eta {eta} row {i} {name}: fd {fd} analytic {an}"
                            );
                        };
                        check("d1", (up.l - dn.l) / (2.0 * h), d.d1);
                        check("d2", (up.d1 - dn.d1) / (2.0 * h), d.d2);
                        check("d3", (up.d2 - dn.d2) / (2.0 * h), d.d3);
                        if family != Family::Poisson {
                            check("dt", (tu.l - td.l) / (2.0 * h), d.dt);
                            check("d1t", (tu.d1 - td.d1) / (2.0 * h), d.d1t);
                            check("d2t", (tu.d2 - td.d2) / (2.0 * h), d.d2t);
                            check("dtt", (tu.dt - td.dt) / (2.0 * h), d.dtt);
                        }
                        let mode = k.mode(r.y[i], eta);
                        check("mode d1", mode.d1, d.d1);
                        check("mode w", mode.w, -d.d2);
                        let iu = k.mode(r.y[i], eta + h).l;
                        let id = k.mode(r.y[i], eta - h).l;
                        check("mode l", (iu - id) / (2.0 * h), d.d1);
                        let completed = k.complete(&r, i, eta, &mode);
                        for (a, b) in [
                            (completed.l, d.l),
                            (completed.d3, d.d3),
                            (completed.dt, d.dt),
                            (completed.d2t, d.d2t),
                        ] {
                            check("complete", a, b);
                        }
                    }
                }
            }
        }
    }
}
