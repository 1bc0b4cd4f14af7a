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
//! - Binomial, `y` successes of `n` trials, `p = linkinv(eta)`, `q = 1 - p`:
//!   `l = lchoose(n, y) + y ln p + (n - y) ln q`, with the logit, probit or cloglog link (see
//!   [`binomial`]); no dispersion.

use super::special::{digamma_diff, lgamma, lgamma_diff, tetragamma_diff, trigamma_diff};
use super::zero_inflation;
use crate::fit::{Family, Link};
use std::collections::HashMap;

/// The response with the quantities that do not depend on the parameters.
#[derive(Clone, Debug)]
pub struct Response {
    pub y: Vec<f64>,
    /// Binomial trials per row; empty for counts and for a 0/1 response (one trial per row).
    pub trials: Vec<f64>,
    /// The parameter-free term subtracted from each row's log-likelihood: `lgamma(y + 1)` for
    /// counts, `-lchoose(n, y)` for binomial successes.
    pub lfact: Vec<f64>,
    /// Index of each row's value in `distinct`.
    pub class: Vec<u32>,
    /// The distinct response values.
    pub distinct: Vec<f64>,
}

impl Response {
    /// Binomial successes `y` of `trials` (one trial per row for a 0/1 response).
    pub fn binomial(y: Vec<f64>, trials: Vec<f64>) -> Response {
        let mut r = Response::new(y);
        for (i, (&y, &n)) in r.y.iter().zip(&trials).enumerate() {
            r.lfact[i] = lgamma(y + 1.0) + lgamma(n - y + 1.0) - lgamma(n + 1.0);
        }
        r.trials = trials;
        r
    }

    /// Counts, or binomial successes `y` of `trials` (`cbind(s, f)`); a 0/1 response is read
    /// as counts are, as one trial per row (its `lchoose(1, y)` is 0 as `lgamma(y + 1)` is).
    pub fn with_trials(y: Vec<f64>, trials: Option<Vec<f64>>) -> Response {
        match trials {
            Some(n) => Response::binomial(y, n),
            None => Response::new(y),
        }
    }

    /// Binomial trials of row `i`: one when the response has no trials (a 0/1 response; never
    /// read for counts).
    #[inline]
    pub fn trials(&self, i: usize) -> f64 {
        self.trials.get(i).copied().unwrap_or(1.0)
    }

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
        Response { y, trials: Vec::new(), lfact, class, distinct }
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

/// The derivatives of one observation's log-likelihood `l(eta, tau)` in the linear predictor
/// `eta` and in `tau`: all that a model without zero inflation needs of a row.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct EtaDerivatives {
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
}

/// A zero-inflated row's derivatives in its zero-inflation predictor `zeta` (see
/// [`super::zero_inflation`]); computed and stored only for zero-inflated models.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ZetaDerivatives {
    /// `dl/dzeta`.
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

/// All derivatives of one observation's log-likelihood `l(eta, tau, zeta)` in one value: the
/// [`EtaDerivatives`] and, for a zero-inflated model, the [`ZetaDerivatives`] (zero without).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Derivatives {
    pub l: f64,
    pub d1: f64,
    pub d2: f64,
    pub d3: f64,
    pub dt: f64,
    pub d1t: f64,
    pub d2t: f64,
    pub dtt: f64,
    pub dz: f64,
    pub d1z: f64,
    pub d2z: f64,
    pub dzz: f64,
    pub dtz: f64,
}

impl Derivatives {
    /// The derivatives in `eta` and `tau` with those in `zeta` (none: zero).
    #[inline(always)]
    pub fn join(e: EtaDerivatives, z: Option<ZetaDerivatives>) -> Derivatives {
        let z = z.unwrap_or_default();
        Derivatives {
            l: e.l,
            d1: e.d1,
            d2: e.d2,
            d3: e.d3,
            dt: e.dt,
            d1t: e.d1t,
            d2t: e.d2t,
            dtt: e.dtt,
            dz: z.dz,
            d1z: z.d1z,
            d2z: z.d2z,
            dzz: z.dzz,
            dtz: z.dtz,
        }
    }
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
                Family::Poisson | Family::Binomial(_) => {}
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

    /// Whether the kernel is a zero-inflated model's.
    #[inline]
    pub fn is_zero_inflated(&self) -> bool {
        self.zeta.is_some()
    }

    /// [`Kernel::mode`] for row `i`: for a zero count of a zero-inflated model, the terms of the
    /// mixture of a structural zero and the count distribution.
    #[inline]
    pub fn mode_row(&self, response: &Response, i: usize, eta: f64) -> ModeTerms {
        let t = self.mode(response, i, eta);
        match &self.zeta {
            Some(zeta) if response.y[i] == 0.0 => zero_inflation::mode_at_zero(t, zeta[i]),
            _ => t,
        }
    }

    /// Value (up to `eta`-free terms), score and weights of row `i` at `eta` for the mode
    /// iterations, of the count family (or binomial) alone.
    #[inline]
    pub fn mode(&self, response: &Response, i: usize, eta: f64) -> ModeTerms {
        let y = response.y[i];
        match self.family {
            Family::Poisson => {
                let mu = eta.exp();
                ModeTerms { l: y * eta - mu, d1: y - mu, w: mu, fisher: mu, mu, aux: 0.0 }
            }
            Family::Nbinom2 => {
                // theta ln q + y ln p = y eta - y tau - (theta + y) ln(1 + mu/theta).
                let mu = eta.exp();
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
                let mu = eta.exp();
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
            Family::Binomial(link) => {
                let b = binomial(link, y, response.trials(i), eta);
                ModeTerms { l: b.l, d1: b.d1, w: -b.d2, fisher: b.fisher, mu: b.p, aux: 0.0 }
            }
        }
    }

    /// All derivatives of row `i` at `eta`, given its [`ModeTerms`] at the same `eta`
    /// ([`Kernel::mode_row`]'s).
    #[inline]
    pub fn complete(&self, response: &Response, i: usize, eta: f64, t: &ModeTerms) -> Derivatives {
        match &self.zeta {
            Some(_) => {
                let (e, z) = self.zero_inflated(response, i, eta);
                Derivatives::join(e, Some(z))
            }
            None => Derivatives::join(self.complete_count(response, i, eta, t), None),
        }
    }

    /// The derivatives of row `i` at `eta` of the count family (or binomial) alone, given its
    /// [`Kernel::mode`] terms at the same `eta`; nothing of zero inflation.
    #[inline(always)]
    pub fn complete_count(&self, response: &Response, i: usize, eta: f64, t: &ModeTerms) -> EtaDerivatives {
        match self.family {
            Family::Poisson => {
                let lfact = response.lfact[i];
                EtaDerivatives { l: t.l - lfact, d1: t.d1, d2: -t.mu, d3: -t.mu, ..EtaDerivatives::default() }
            }
            Family::Nbinom2 => self.nb2(response, i, eta, t.mu, t.aux),
            Family::Nbinom1 => self.nb1_full(response, i, eta),
            Family::Binomial(link) => Kernel::binomial_full(link, response, i, eta),
        }
    }

    /// The derivatives of row `i` at `eta` of a zero-inflated model, in `eta` and `tau` and in
    /// the zero-inflation predictor (the kernel must be made [`Kernel::with_zero_inflation`]).
    #[inline]
    pub fn zero_inflated(
        &self,
        response: &Response,
        i: usize,
        eta: f64,
    ) -> (EtaDerivatives, ZetaDerivatives) {
        let zeta = self.zeta.as_ref().map_or(0.0, |z| z[i]);
        zero_inflation::derivatives(self.count_full(response, i, eta), response.y[i], zeta)
    }

    /// NB2 derivatives from `mu` and `a = ln(1 + mu/theta)`.
    #[inline(always)]
    fn nb2(&self, response: &Response, i: usize, eta: f64, mu: f64, a: f64) -> EtaDerivatives {
        let y = response.y[i];
        let [c0, c1, c2] = self.table[response.class[i] as usize];
        let theta = self.disp;
        let q = 1.0 / (1.0 + mu / theta);
        let p = 1.0 - q;
        let ln_q = -a;
        let ln_p = eta - self.tau - a;
        let w = (y + theta) * p * q;
        let dt = theta * (c1 + ln_q) + q * (mu - y);
        EtaDerivatives {
            l: c0 - response.lfact[i] + theta * ln_q + y * ln_p,
            d1: q * (y - mu),
            d2: -w,
            d3: -w * (q - p),
            dt,
            d1t: p * q * (y - mu),
            d2t: -p * q * (y * (p - q) + 2.0 * mu * q),
            dtt: dt + theta * theta * c2 + mu * q + q * q * (y - mu),
        }
    }

    /// Full log-likelihood and all derivatives of row `i` at `eta`.
    #[inline]
    pub fn full(&self, response: &Response, i: usize, eta: f64) -> Derivatives {
        match &self.zeta {
            Some(_) => {
                let (e, z) = self.zero_inflated(response, i, eta);
                Derivatives::join(e, Some(z))
            }
            None => Derivatives::join(self.count_full(response, i, eta), None),
        }
    }

    /// [`Kernel::full`] of the count distribution alone (without zero inflation).
    #[inline]
    pub fn count_full(&self, response: &Response, i: usize, eta: f64) -> EtaDerivatives {
        match self.family {
            Family::Poisson => Kernel::poisson(response, i, eta),
            Family::Nbinom2 => self.nb2_full(response, i, eta),
            Family::Nbinom1 => self.nb1_full(response, i, eta),
            Family::Binomial(link) => Kernel::binomial_full(link, response, i, eta),
        }
    }

    /// [`Kernel::count_full`] for a binomial family: no dispersion.
    #[inline(always)]
    pub fn binomial_full(link: Link, response: &Response, i: usize, eta: f64) -> EtaDerivatives {
        let b = binomial(link, response.y[i], response.trials(i), eta);
        EtaDerivatives {
            l: b.l - response.lfact[i],
            d1: b.d1,
            d2: b.d2,
            d3: b.d3,
            ..EtaDerivatives::default()
        }
    }

    /// [`Kernel::count_full`] for Poisson: `l = y eta - mu - lgamma(y + 1)`, `d1 = y - mu`,
    /// `d2 = d3 = -mu`; no dispersion.
    #[inline(always)]
    pub fn poisson(response: &Response, i: usize, eta: f64) -> EtaDerivatives {
        let y = response.y[i];
        let mu = eta.exp();
        EtaDerivatives {
            l: y * eta - mu - response.lfact[i],
            d1: y - mu,
            d2: -mu,
            d3: -mu,
            ..EtaDerivatives::default()
        }
    }

    /// [`Kernel::count_full`] for NB2 (the kernel must be built for [`Family::Nbinom2`]).
    #[inline(always)]
    pub fn nb2_full(&self, response: &Response, i: usize, eta: f64) -> EtaDerivatives {
        let mu = eta.exp();
        self.nb2(response, i, eta, mu, ln_1p_fast(mu / self.disp))
    }

    /// [`Kernel::count_full`] for NB1, with `k = mu / phi`.
    #[inline(always)]
    pub fn nb1_full(&self, response: &Response, i: usize, eta: f64) -> EtaDerivatives {
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
        EtaDerivatives {
            l: lgamma_diff(k, y) - lfact - k * self.log1p_disp + y * (self.tau - self.log1p_disp),
            d1,
            d2,
            d3,
            dt: -d1 + (y - mu) / (1.0 + phi),
            d1t: -d2 - m,
            d2t: -d3 - m,
            dtt: d2 + m - (y - mu) * phi / ((1.0 + phi) * (1.0 + phi)),
        }
    }
}

/// One binomial observation at `eta`: `l = y ln p + (n - y) ln q` (without `lchoose(n, y)`),
/// its first three derivatives in `eta`, the Fisher weight `n p'^2 / (p q)` and `p`.
#[derive(Clone, Copy, Debug)]
pub struct BinomialTerms {
    pub l: f64,
    pub d1: f64,
    pub d2: f64,
    pub d3: f64,
    pub fisher: f64,
    pub p: f64,
}

/// [`BinomialTerms`] of `y` successes in `n` trials at `eta`, computed without cancellation in
/// the tails. With `f_k = d^k p / deta^k`, `l_p = y/p - (n-y)/q` and so on, the derivatives are
/// `d1 = l_p f1`, `d2 = l_pp f1^2 + l_p f2`, `d3 = l_ppp f1^3 + 3 l_pp f1 f2 + l_p f3`, written
/// with the ratios `f_k / p` and `f_k / q`, which stay finite where `p` or `q` underflows:
/// - logit: `d1 = y - n p`, `d2 = -n p q`, `d3 = -n p q (q - p)`;
/// - probit: with `a = phi / Phi(eta)`, `b = phi / Phi(-eta)` (inverse Mills ratios),
///   `d1 = y a - (n-y) b`, `d2 = -y a (a + eta) - (n-y) b (b - eta)`,
///   `d3 = y a (2a^2 + 3 eta a + eta^2 - 1) - (n-y) b (2b^2 - 3 eta b + eta^2 - 1)`;
/// - cloglog: with `m = exp(eta)`, `q = exp(-m)`, `A = m / expm1(m) = f1 / p`,
///   `d1 = y A - (n-y) m`, `d2 = y A (1 - m - A) - (n-y) m`,
///   `d3 = y A (2A^2 - 3A (1 - m) + 1 - 3m + m^2) - (n-y) m`.
///
/// A side with no observations (`y = 0` or `n - y = 0`) contributes nothing, even where its
/// ratio is infinite.
#[inline]
pub fn binomial(link: Link, y: f64, n: f64, eta: f64) -> BinomialTerms {
    let f = n - y;
    // `side(k, v)`: `k v`, or 0 when there is no observation on that side.
    let side = |k: f64, v: f64| if k == 0.0 { 0.0 } else { k * v };
    match link {
        Link::Logit => {
            let (p, q, log1pexp) = if eta >= 0.0 {
                let e = (-eta).exp();
                (1.0 / (1.0 + e), e / (1.0 + e), eta + e.ln_1p())
            } else {
                let e = eta.exp();
                (e / (1.0 + e), 1.0 / (1.0 + e), e.ln_1p())
            };
            let w = n * p * q;
            BinomialTerms { l: y * eta - n * log1pexp, d1: y - n * p, d2: -w, d3: -w * (q - p), fisher: w, p }
        }
        Link::Probit => {
            let (log_p, a) = log_phi_mills(eta);
            let (log_q, b) = log_phi_mills(-eta);
            let e2 = eta * eta - 1.0;
            BinomialTerms {
                l: side(y, log_p) + side(f, log_q),
                d1: side(y, a) - side(f, b),
                d2: -side(y, a * (a + eta)) - side(f, b * (b - eta)),
                d3: side(y, a * (2.0 * a * a + 3.0 * eta * a + e2))
                    - side(f, b * (2.0 * b * b - 3.0 * eta * b + e2)),
                fisher: n * a * b,
                p: log_p.exp(),
            }
        }
        Link::Cloglog => {
            let m = eta.exp();
            let q = (-m).exp();
            let p = -(-m).exp_m1();
            let log_p = if m > 1.0 { (-q).ln_1p() } else { p.ln() };
            let big_a = if m == 0.0 {
                1.0
            } else if m > 700.0 {
                0.0
            } else {
                m / m.exp_m1()
            };
            BinomialTerms {
                l: side(y, log_p) - side(f, m),
                d1: side(y, big_a) - side(f, m),
                d2: side(y, big_a * (1.0 - m - big_a)) - side(f, m),
                d3: side(y, big_a * (2.0 * big_a * big_a - 3.0 * big_a * (1.0 - m) + 1.0 - 3.0 * m + m * m))
                    - side(f, m),
                fisher: n * big_a * m,
                p,
            }
        }
    }
}

/// `ln Phi(x)` and the inverse Mills ratio `phi(x) / Phi(x)` of the standard normal, accurate in
/// both tails: from `erfc` down to `x = -30`, below from the continued fraction
/// `Phi(x) / phi(x) = 1 / (t + 1 / (t + 2 / (t + 3 / (t + ...))))`, `t = -x`.
fn log_phi_mills(x: f64) -> (f64, f64) {
    use statrs::function::erf::erfc;
    const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;
    let log_density = -0.5 * x * x - LN_SQRT_2PI;
    if x > -30.0 {
        let cdf = 0.5 * erfc(-x / std::f64::consts::SQRT_2);
        let log_cdf = if x > 0.0 { (-0.5 * erfc(x / std::f64::consts::SQRT_2)).ln_1p() } else { cdf.ln() };
        (log_cdf, (log_density - log_cdf).exp())
    } else {
        let t = -x;
        let mut r = t;
        for k in (1..=40).rev() {
            r = t + k as f64 / r;
        }
        // r = t + 1/(t + 2/(...)): Phi(x)/phi(x) = 1/r.
        (log_density - r.ln(), r)
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
                inner_sum += k.mode(&r, i, eta).l;
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
                        let mode = k.mode(&r, i, eta);
                        check("mode d1", mode.d1, d.d1);
                        check("mode w", mode.w, -d.d2);
                        let iu = k.mode(&r, i, eta + h).l;
                        let id = k.mode(&r, i, eta - h).l;
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

    /// Successes of trials, with a row of no trials and rows all successes or all failures.
    fn binomial_response() -> Response {
        Response::binomial(vec![0.0, 1.0, 4.0, 17.0, 0.0, 30.0], vec![3.0, 1.0, 9.0, 40.0, 0.0, 30.0])
    }

    /// Reference values from R: `dbinom(c(0, 1, 4, 17, 0, 30), c(3, 1, 9, 40, 0, 30), p,
    /// log = TRUE)` at `eta = -0.4` with `p = plogis(eta)`, `pnorm(eta)` and `1 - exp(-exp(eta))`.
    #[test]
    fn binomial_log_densities_match_r() {
        let r = binomial_response();
        let eta = -0.4;
        for (link, expected) in [(Link::Logit, R_LOGIT), (Link::Probit, R_PROBIT), (Link::Cloglog, R_CLOGLOG)]
        {
            let k = Kernel::new(Family::Binomial(link), 0.0, &r);
            let constant = k.constant(&r);
            let mut inner_sum = 0.0;
            for (i, e) in expected.iter().enumerate() {
                let d = k.full(&r, i, eta);
                assert!((d.l - e).abs() < 1e-12 * e.abs().max(1.0), "{link:?} row {i}: {} vs {e}", d.l);
                inner_sum += k.mode(&r, i, eta).l;
            }
            let total: f64 = expected.iter().sum();
            assert!((inner_sum + constant - total).abs() < 1e-10, "{link:?} constant");
        }
    }

    #[allow(clippy::excessive_precision)]
    const R_LOGIT: [f64; 6] = [
        -1.5390457571998577,
        -0.91301525239995263,
        -1.3808553646480957,
        -2.1117193991419723,
        0.0,
        -27.390457571998578,
    ];
    #[allow(clippy::excessive_precision)]
    const R_PROBIT: [f64; 6] = [
        -1.2674291106833282,
        -1.0654340491895766,
        -1.5378361409457089,
        -2.6204446546055182,
        0.0,
        -31.963021475687299,
    ];
    #[allow(clippy::excessive_precision)]
    const R_CLOGLOG: [f64; 6] = [
        -2.0109601381069178,
        -0.7165075899896719,
        -1.3813486831854063,
        -2.3890993917879944,
        0.0,
        -21.495227699690158,
    ];

    /// The derivatives against finite differences for every link, from the far tails to the
    /// middle, and the weights against `-d2l/deta2`.
    #[test]
    fn binomial_derivatives_match_finite_differences() {
        let r = binomial_response();
        for link in [Link::Logit, Link::Probit, Link::Cloglog] {
            let k = Kernel::new(Family::Binomial(link), 0.0, &r);
            for &eta in &[-35.0, -8.0, -2.0, 0.3, 1.5, 3.0, 6.0] {
                for i in 0..r.y.len() {
                    let h = 1e-5;
                    let d = k.full(&r, i, eta);
                    let (up, dn) = (k.full(&r, i, eta + h), k.full(&r, i, eta - h));
                    let check = |name: &str, fd: f64, an: f64| {
                        let tol = 1e-5 * (1.0 + an.abs());
                        assert!(
                            (fd - an).abs() < tol,
                            "{link:?} eta {eta} row {i} {name}: fd {fd} analytic {an}"
                        );
                    };
                    assert!(d.l.is_finite() && d.d1.is_finite() && d.d2.is_finite() && d.d3.is_finite());
                    check("d1", (up.l - dn.l) / (2.0 * h), d.d1);
                    check("d2", (up.d1 - dn.d1) / (2.0 * h), d.d2);
                    check("d3", (up.d2 - dn.d2) / (2.0 * h), d.d3);
                    let mode = k.mode(&r, i, eta);
                    check("mode w", mode.w, -d.d2);
                    assert!(mode.w >= 0.0 && mode.fisher >= 0.0, "{link:?} eta {eta} row {i}: weights");
                }
            }
        }
    }
}
