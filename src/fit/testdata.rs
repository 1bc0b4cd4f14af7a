//! Seeded simulation of small count data sets for the unit tests.

use super::likelihood::layout::Layout;
use super::structure::RandomStructure;
use crate::design::{Design, ModelColumn, RandomTerm};
use nalgebra::DMatrix;
use std::sync::Arc;

/// SplitMix64 generator with uniform, normal, gamma, Poisson and negative binomial draws.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
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
        while u > cumulative && k < 10_000.0 {
            k += 1.0;
            p *= mean / k;
            cumulative += p;
        }
        k
    }

    /// NB2 with mean `mu` and size `theta` (gamma-Poisson mixture).
    pub fn nbinom2(&mut self, mu: f64, theta: f64) -> f64 {
        let lambda = self.gamma(theta) * mu / theta;
        self.poisson(lambda)
    }
}

/// Grouped data: `groups` levels of `g` with `per_group` rows each, an inner factor `h` with
/// `inner` levels per group, covariate `x` ~ N(0, 1), offset `ln(pop)`, `pop` ~ U(50, 150).
pub struct Simulated {
    pub group: Vec<usize>,
    pub inner: Vec<usize>,
    pub x: Vec<f64>,
    pub offset: Vec<f64>,
}

pub fn grouped(rng: &mut Rng, groups: usize, per_group: usize, inner: usize) -> Simulated {
    let mut s = Simulated { group: vec![], inner: vec![], x: vec![], offset: vec![] };
    for g in 0..groups {
        for r in 0..per_group {
            s.group.push(g);
            s.inner.push(g * inner + r % inner);
            s.x.push(rng.normal());
            s.offset.push((50.0 + 100.0 * rng.uniform()).ln());
        }
    }
    s
}

/// A design with fixed effects `(Intercept), x` and the given random terms built from `s`.
pub fn design(s: &Simulated, y: Vec<f64>, random: Vec<RandomTerm>) -> Design {
    let n = y.len();
    let x = DMatrix::from_fn(n, 2, |i, j| if j == 0 { 1.0 } else { s.x[i] });
    Design {
        y,
        offset: s.offset.clone(),
        x,
        x_names: vec!["(Intercept)".into(), "x".into()],
        x_columns: vec![ModelColumn::intercept(), ModelColumn::numeric(0, &["x"])],
        random,
        rows: (1..=n).collect(),
        dropped_missing: 0,
    }
}

/// `(1 | name)` or `(1 + x | name)` on the level indices `index`.
pub fn term(s: &Simulated, name: &str, index: &[usize], slope: bool) -> RandomTerm {
    let n = index.len();
    let levels = index.iter().max().map_or(0, |m| m + 1);
    let q = if slope { 2 } else { 1 };
    RandomTerm {
        group: name.into(),
        terms: if slope { vec!["(Intercept)".into(), "x".into()] } else { vec!["(Intercept)".into()] },
        z: DMatrix::from_fn(n, q, |i, j| if j == 0 { 1.0 } else { s.x[i] }),
        index: index.to_vec(),
        levels: (0..levels).map(|l| format!("{name}{l}")).collect(),
    }
}

/// The block-arrow layout of `d` with both its fixed-effect columns.
pub fn layout(d: &Design) -> Arc<Layout> {
    Arc::new(Layout::new(d, &[0, 1], &RandomStructure::of(d).unwrap()).unwrap())
}
