//! Seeded simulation of small count data sets for the unit tests, with the engine's generator
//! ([`crate::random::Rng`]).

use super::likelihood::layout::Layout;
use super::structure::RandomStructure;
use crate::design::{Design, ModelColumn, RandomTerm};
pub use crate::random::Rng;
use nalgebra::DMatrix;
use std::sync::Arc;

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
        trials: None,
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
        field: None,
    }
}

/// The block-arrow layout of `d` with both its fixed-effect columns.
pub fn layout(d: &Design) -> Arc<Layout> {
    Arc::new(Layout::new(d, &[0, 1], &RandomStructure::of(d).unwrap()).unwrap())
}
