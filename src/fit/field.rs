//! Spatial fields in a fit: how each field's precision is computed (exactly, or by a
//! nearest-neighbour approximation for large fields), the bounds of its parameters and where
//! their maximisation starts.
//!
//! A field term `exp(pos(x, y) + 0 | g)` has parameters `theta = (ln sd, ln range)`, glmmTMB's
//! parameterisation: `cov(u_a, u_b) = sd^2 exp(-d_ab / range)` within a level of `g`.

use serde::{Deserialize, Serialize};

use super::sparse::{ExponentialField, NngpField, PrecisionModel};
use crate::design::FieldLocations;

/// The exact field is used up to this many locations in one level of `g`; above it, the
/// nearest-neighbour approximation. The exact field's cost is cubic in the locations: every
/// evaluation of the likelihood inverts the dense covariance and factorises a dense Hessian
/// block (about 4 n^3 / 3 flops plus the derivatives), which for 1,000 locations is a few
/// tenths of a second, and a fit takes tens of evaluations.
pub const EXACT_FIELD_LIMIT: usize = 1000;

/// The most neighbours the approximation may use.
pub const MAX_NEIGHBOURS: usize = 100;

/// How a field's precision matrix is computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FieldApproximation {
    /// The exact precision: the inverse of the dense covariance.
    Exact,
    /// A nearest-neighbour Gaussian process (Vecchia's approximation): each location
    /// conditioned on at most `neighbours` earlier ones, which gives a sparse precision.
    NearestNeighbour { neighbours: usize },
}

impl FieldApproximation {
    /// The approximation for a field whose largest level of `g` has `locations` locations:
    /// `forced` neighbours when given, else exact up to [`EXACT_FIELD_LIMIT`].
    pub fn choose(locations: usize, forced: Option<usize>) -> FieldApproximation {
        match forced {
            Some(m) => FieldApproximation::NearestNeighbour { neighbours: m },
            None if locations <= EXACT_FIELD_LIMIT => FieldApproximation::Exact,
            None => FieldApproximation::NearestNeighbour { neighbours: DEFAULT_NEIGHBOURS },
        }
    }
}

/// Neighbours of the approximation when the engine chooses it: on the reference fields of 91
/// to 243 LSOAs, 20 neighbours keep the log-likelihood within 0.05 and the range within about 1%
/// of the exact fit's.
pub const DEFAULT_NEIGHBOURS: usize = 20;

/// The precision model of `field` with `approximation`.
pub fn precision(
    field: &FieldLocations,
    approximation: FieldApproximation,
) -> Result<Box<dyn PrecisionModel>, String> {
    match approximation {
        FieldApproximation::Exact => {
            Ok(Box::new(ExponentialField::grouped(field.x.clone(), field.y.clone(), &field.group)?))
        }
        FieldApproximation::NearestNeighbour { neighbours } => {
            Ok(Box::new(NngpField::grouped(field.x.clone(), field.y.clone(), &field.group, neighbours)?))
        }
    }
}

/// The number of locations of the largest level of the field's group.
pub fn largest_group(field: &FieldLocations) -> usize {
    let mut counts = vec![0usize; field.groups.len().max(1)];
    for &g in &field.group {
        if let Some(c) = counts.get_mut(g) {
            *c += 1;
        }
    }
    counts.into_iter().max().unwrap_or(0)
}

/// Distances between distinct locations of one level of `g`: the smallest, the median and the
/// largest. Over at most about 200,000 pairs (a regular sample of them for large fields); `None`
/// when no level has two locations.
pub fn distances(field: &FieldLocations) -> Option<(f64, f64, f64)> {
    let n = field.len();
    let pairs = n.saturating_mul(n.saturating_sub(1)) / 2;
    let stride = (pairs / 200_000).max(1);
    let mut d = Vec::new();
    // Pair (a, b), a < b, is number k = before(a) + (b - a) in the order a, then b (from 1);
    // the pairs kept are those with k a multiple of `stride`, reached without visiting the rest.
    let mut before = 0usize;
    for a in 0..n {
        let first = (before / stride + 1) * stride;
        let mut b = a + (first - before);
        while b < n {
            if field.group[a] == field.group[b] {
                let v = (field.x[a] - field.x[b]).hypot(field.y[a] - field.y[b]);
                if v > 0.0 {
                    d.push(v);
                }
            }
            b += stride;
        }
        before += n - 1 - a;
    }
    if d.is_empty() {
        return None;
    }
    d.sort_by(f64::total_cmp);
    let median = d[d.len() / 2];
    Some((d[0], median, d[d.len() - 1]))
}

/// Bounds of `ln range`: from a hundredth of the smallest distance (the field is then
/// independent noise between locations) to a hundred times the largest (the field is then one
/// shared level).
pub fn log_range_bounds(min: f64, max: f64) -> (f64, f64) {
    ((min / 100.0).ln(), (max * 100.0).ln())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::Rng;

    /// The sample of pairs is every `stride`-th pair in the order (a, then b > a): the one a
    /// walk over all pairs keeping every `stride`-th gives.
    #[test]
    fn distances_keep_every_stride_th_pair() {
        let mut rng = Rng::new(3);
        for n in [2, 40, 1_300] {
            let field = FieldLocations {
                x_column: "x".into(),
                y_column: "y".into(),
                x: (0..n).map(|_| 1e4 * rng.uniform()).collect(),
                y: (0..n).map(|_| 1e4 * rng.uniform()).collect(),
                group: (0..n).map(|l| l % 3 / 2).collect(),
                groups: vec!["a".into(), "b".into()],
            };
            let pairs = n * (n - 1) / 2;
            let stride = (pairs / 200_000).max(1);
            let mut all = Vec::new();
            let mut k = 0;
            for a in 0..n {
                for b in a + 1..n {
                    k += 1;
                    if field.group[a] == field.group[b] && k % stride == 0 {
                        all.push((field.x[a] - field.x[b]).hypot(field.y[a] - field.y[b]));
                    }
                }
            }
            all.sort_by(f64::total_cmp);
            let expected = (!all.is_empty()).then(|| (all[0], all[all.len() / 2], all[all.len() - 1]));
            assert_eq!(distances(&field), expected, "{n} locations");
        }
    }
}
