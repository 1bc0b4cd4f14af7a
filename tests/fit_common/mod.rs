//! Seeded simulation of count data sets for the fitting-engine tests, and builders of the
//! model designs fitted to them.
//!
//! The reference values in the tests come from R fits (glmmTMB, lme4, MASS) of exactly these
//! data sets, written out with the same seeds: the bits are the stream of SplitMix64 (the
//! engine's generator seeds itself from it, `socgrad::random::splitmix64`) and the draws the
//! simple samplers below, which therefore stay as they are.

#![allow(dead_code)]

use nalgebra::DMatrix;
use socgrad::design::{Design, ModelColumn, RandomTerm};
use socgrad::random::splitmix64;

/// Uniform, normal, gamma, Poisson and negative binomial draws from SplitMix64's stream.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        splitmix64(&mut self.0)
    }

    /// Uniform on (0, 1).
    pub fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    pub fn normal(&mut self) -> f64 {
        let u = self.uniform();
        let v = self.uniform();
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }

    /// Gamma with the given shape and unit scale (Marsaglia-Tsang).
    pub fn gamma(&mut self, shape: f64) -> f64 {
        if shape < 1.0 {
            return self.gamma(shape + 1.0) * self.uniform().powf(1.0 / shape);
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let x = self.normal();
            let v = (1.0 + c * x).powi(3);
            if v > 0.0 && self.uniform().ln() < 0.5 * x * x + d - d * v + d * v.ln() {
                return d * v;
            }
        }
    }

    /// Poisson by sequential inversion, splitting large means.
    pub fn poisson(&mut self, mean: f64) -> f64 {
        if mean > 200.0 {
            return self.poisson(mean / 2.0) + self.poisson(mean / 2.0);
        }
        let mut k = 0.0;
        let mut p = (-mean).exp();
        let mut cumulative = p;
        let u = self.uniform();
        while u > cumulative && k < 100_000.0 {
            k += 1.0;
            p *= mean / k;
            cumulative += p;
        }
        k
    }

    /// Negative binomial with mean `mu` and size `size` (gamma-Poisson mixture).
    pub fn negative_binomial(&mut self, mu: f64, size: f64) -> f64 {
        let lambda = self.gamma(size) * mu / size;
        self.poisson(lambda)
    }
}

/// Distribution of the simulated counts.
#[derive(Clone, Copy, Debug)]
pub enum Counts {
    Poisson,
    /// NB2 with size theta.
    Nbinom2(f64),
    /// NB1 with dispersion phi (size mu / phi).
    Nbinom1(f64),
}

/// True values of a simulation: `eta = beta0 + beta1 x + offset + b0[g] + b1[g] x + c[g:h]`.
#[derive(Clone, Copy, Debug)]
pub struct Truth {
    pub beta: [f64; 2],
    pub sd_intercept: f64,
    pub sd_slope: f64,
    pub corr: f64,
    pub sd_inner: f64,
    pub counts: Counts,
}

/// A simulated neighbourhood-level data set: `groups` local authorities of `per_group` rows,
/// each split into `inner` areas; covariate `x` ~ N(0, 1); offset `ln(pop)`, pop ~ U(50, 150).
#[derive(Clone, Debug)]
pub struct Simulated {
    pub y: Vec<f64>,
    pub x: Vec<f64>,
    pub offset: Vec<f64>,
    pub group: Vec<usize>,
    pub inner: Vec<usize>,
    pub groups: usize,
    pub inners: usize,
}

pub fn simulate(seed: u64, groups: usize, per_group: usize, inner: usize, truth: Truth) -> Simulated {
    let mut rng = Rng::new(seed);
    let b: Vec<(f64, f64)> = (0..groups)
        .map(|_| {
            let z1 = rng.normal();
            let z2 = rng.normal();
            let b0 = truth.sd_intercept * z1;
            let b1 = truth.sd_slope * (truth.corr * z1 + (1.0 - truth.corr * truth.corr).sqrt() * z2);
            (b0, b1)
        })
        .collect();
    let c: Vec<f64> = (0..groups * inner).map(|_| truth.sd_inner * rng.normal()).collect();
    let mut s = Simulated {
        y: vec![],
        x: vec![],
        offset: vec![],
        group: vec![],
        inner: vec![],
        groups,
        inners: groups * inner,
    };
    for (g, effects) in b.iter().enumerate() {
        for r in 0..per_group {
            let x = rng.normal();
            let offset = (50.0 + 100.0 * rng.uniform()).ln();
            let h = g * inner + r % inner;
            let eta = truth.beta[0] + truth.beta[1] * x + offset + effects.0 + effects.1 * x + c[h];
            let mu = eta.exp();
            let y = match truth.counts {
                Counts::Poisson => rng.poisson(mu),
                Counts::Nbinom2(theta) => rng.negative_binomial(mu, theta),
                Counts::Nbinom1(phi) => rng.negative_binomial(mu, mu / phi),
            };
            s.y.push(y);
            s.x.push(x);
            s.offset.push(offset);
            s.group.push(g);
            s.inner.push(h);
        }
    }
    s
}

/// Poisson counts with no group variation at all (30 groups of 10 rows, seed 505): every
/// random-effect variance belongs at zero.
pub fn poisson_without_groups() -> Simulated {
    simulate(
        505,
        30,
        10,
        1,
        Truth {
            beta: [-3.0, 0.5],
            sd_intercept: 0.0,
            sd_slope: 0.0,
            corr: 0.0,
            sd_inner: 0.0,
            counts: Counts::Poisson,
        },
    )
}

/// Random-effect terms of a design.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Random {
    None,
    /// `(1 | la)`
    Intercept,
    /// `(1 + x | la)`
    Slope,
    /// `(1 | la) + (1 | la:area)`
    Nested,
    /// `(1 + x | la) + (1 | la:area)`
    SlopeNested,
}

fn term(s: &Simulated, name: &str, index: &[usize], levels: usize, slope: bool) -> RandomTerm {
    let n = s.y.len();
    RandomTerm {
        group: name.into(),
        terms: if slope { vec!["(Intercept)".into(), "x".into()] } else { vec!["(Intercept)".into()] },
        z: DMatrix::from_fn(n, if slope { 2 } else { 1 }, |i, j| if j == 0 { 1.0 } else { s.x[i] }),
        index: index.to_vec(),
        levels: (0..levels).map(|l| format!("{name}{}", l + 1)).collect(),
        field: None,
    }
}

/// The design `y ~ x + offset(log pop) + random` for the simulated data.
pub fn design(s: &Simulated, random: Random) -> Design {
    let n = s.y.len();
    let la = |slope| term(s, "la", &s.group, s.groups, slope);
    let area = || term(s, "la:area", &s.inner, s.inners, false);
    let random = match random {
        Random::None => vec![],
        Random::Intercept => vec![la(false)],
        Random::Slope => vec![la(true)],
        Random::Nested => vec![la(false), area()],
        Random::SlopeNested => vec![la(true), area()],
    };
    Design {
        trials: None,
        y: s.y.clone(),
        offset: s.offset.clone(),
        x: DMatrix::from_fn(n, 2, |i, j| if j == 0 { 1.0 } else { s.x[i] }),
        x_names: vec!["(Intercept)".into(), "x".into()],
        x_columns: vec![ModelColumn::intercept(), ModelColumn::numeric(0, &["x"])],
        random,
        rows: (1..=n).collect(),
        dropped_missing: 0,
    }
}

/// Relative difference, with an absolute floor for values near zero.
pub fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * b.abs().max(1.0)
}
