//! The nearest-neighbour Gaussian process (Vecchia's approximation) of the exponential field:
//! a sparse precision matrix for fields too large for the exact, dense [`ExponentialField`].
//!
//! # The approximation
//!
//! The exact field over the points of one group is `u ~ N(0, sd^2 C)`, `C_ij = exp(-d_ij /
//! range)`. Write its density as a product of conditionals in some order of the points,
//! `p(u) = prod_i p(u_i | u_1, ..., u_{i-1})`, and condition each point only on its `m` nearest
//! points earlier in the order, `N(i)` (Vecchia 1988; Datta et al. 2016):
//!
//! `u_i = sum_{j in N(i)} A_ij u_j + e_i`, `e_i ~ N(0, sd^2 D_i)` independently, with
//! `A_i = C_NN^-1 C_Ni` (the kriging weights of the neighbours) and
//! `D_i = 1 - C_iN C_NN^-1 C_Ni` (the conditional variance, in units of `sd^2`); the first
//! point has no neighbours and `D = 1`. With `B = I - A` (unit lower triangular in the order),
//! `B u = e`, so
//!
//! `Q = B' D^-1 B / sd^2 = sum_i b_i b_i' / (sd^2 D_i)`, `b_i = e_i - A_i` (1 at `i`, `-A_ij` at
//! the neighbours),
//!
//! is sparse: an entry wherever two points are together in some `{i} u N(i)`, at most
//! `(m + 1)(m + 2) / 2` per point. Since `|B| = 1`, `ln|Q| = -n ln sd^2 - sum_i ln D_i` exactly.
//! When every point conditions on all the points before it (`m >= n - 1`) the factorisation is
//! exact and `Q = (sd^2 C)^-1`; otherwise it is the precision of a valid Gaussian process whose
//! covariance matches the exponential one between each point and its neighbours.
//!
//! # The derivatives
//!
//! With `theta = (ln sd, ln range)` as glmmTMB's: `dQ/d ln sd = -2 Q` and
//! `d ln|Q| / d ln sd = -2n`. In `rho = ln range`, `dC_ij/d rho = C_ij d_ij / range =: G_ij`, and
//! with `K = C_NN`, `k = C_Ni`:
//!
//! - `dA_i = K^-1 (dk - dK A_i)`,
//! - `dD_i = -2 dk'A_i + A_i' dK A_i`,
//! - `dQ/d rho = sum_i [ -dD_i / D_i^2 b_i b_i' + (db_i b_i' + b_i db_i') / D_i ] / sd^2` with
//!   `db_i = -dA_i`,
//! - `d ln|Q| / d rho = -sum_i dD_i / D_i`.
//!
//! # The ordering and the neighbours
//!
//! The points of each group are put in *maximin* order (Guinness 2018): first the point nearest
//! the group's centroid, then repeatedly the point whose distance to the nearest point already
//! ordered is largest (ties to the lower level number). Each point's neighbours are then its
//! `m` nearest points among those before it. Early points are spread over the whole region and
//! condition on distant points, later ones on close ones, which Guinness found approximates
//! the likelihood of a Matern field far better than ordering by a coordinate with the same `m`.
//! Both searches use an R*-tree (`rstar`): the ordering removes points from a max-heap of each
//! point's distance to the points ordered so far, updating only the points within that distance
//! of the point just ordered; the neighbours come from a tree into which the points are
//! inserted in order. The cost is about `n log n` for the structure (once) and `n m^3 / 3` for
//! each evaluation.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::OnceLock;

use rstar::primitives::GeomWithData;
use rstar::RTree;

use super::structured::{field_groups, start_field_values, LowerPattern, PrecisionModel, PrecisionValues};
use crate::fit::small;
use crate::random::Rng;

/// A point of the plane carrying its level number, for the spatial index.
type Located = GeomWithData<[f64; 2], usize>;

/// The nearest-neighbour Gaussian process approximation of glmmTMB's `exp(pos + 0 | group)`
/// field (see the module doc): `m` neighbours per point, one independent field per group,
/// parameters `theta = (ln sd, ln range)` as for the exact [`super::ExponentialField`].
#[derive(Clone, Debug)]
pub struct NngpField {
    x: Vec<f64>,
    y: Vec<f64>,
    neighbours: usize,
    /// Every level, group after group, each group in maximin order: a level's neighbours come
    /// before it.
    order: Vec<usize>,
    /// The neighbours of level `l` are `nb_idx[nb_ptr[l]..nb_ptr[l + 1]]`, nearest first.
    nb_ptr: Vec<usize>,
    nb_idx: Vec<usize>,
    /// The precision's pattern, built when a fit first asks for it: drawing a field
    /// ([`NngpField::simulate`]) needs only the ordering and the neighbours.
    pairs: OnceLock<Pairs>,
}

/// Where the precision's entries are: its lower-triangle pattern, and for level `l` with
/// `S = (l, N(l)...)` (`s` points), `pair_pos[pair_ptr[l]..]` the pattern position of entry
/// `(S_p, S_q)` for `p` in `0..s`, `q` in `0..=p`, in that order.
#[derive(Clone, Debug)]
struct Pairs {
    pattern: LowerPattern,
    pair_ptr: Vec<usize>,
    pair_pos: Vec<u32>,
}

/// A candidate of the maximin ordering: a point with its (squared) distance to the nearest
/// point ordered so far; the largest distance first, then the lowest level.
#[derive(PartialEq)]
struct Candidate {
    distance2: f64,
    level: usize,
}

impl Eq for Candidate {}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.distance2.total_cmp(&other.distance2).then(other.level.cmp(&self.level))
    }
}

impl NngpField {
    /// One field over all the points `(x[l], y[l])`, one per level, with `neighbours` (`m`)
    /// neighbours per point.
    pub fn new(x: Vec<f64>, y: Vec<f64>, neighbours: usize) -> Result<NngpField, String> {
        let group = vec![0; x.len()];
        NngpField::grouped(x, y, &group, neighbours)
    }

    /// Independent fields, one per value of `group[l]` (any labels `0..`), over the points
    /// `(x[l], y[l])`, with `neighbours` (`m`, at least 1) neighbours per point. Points of one
    /// group must be distinct.
    pub fn grouped(
        x: Vec<f64>,
        y: Vec<f64>,
        group: &[usize],
        neighbours: usize,
    ) -> Result<NngpField, String> {
        let n = x.len();
        if neighbours == 0 {
            return Err("the nearest-neighbour approximation of a field needs at least one neighbour".into());
        }
        if n > u32::MAX as usize {
            return Err(format!("the field has {n} points, more than can be indexed"));
        }
        let groups = field_groups(&x, &y, group)?;
        let mut order = Vec::with_capacity(n);
        let mut nb_lists: Vec<Vec<usize>> = vec![Vec::new(); n];
        for levels in &groups {
            let sequence = maximin(&x, &y, levels);
            let mut tree: RTree<Located> = RTree::new();
            for &l in &sequence {
                nb_lists[l] =
                    tree.nearest_neighbor_iter(&[x[l], y[l]]).take(neighbours).map(|p| p.data).collect();
                tree.insert(Located::new([x[l], y[l]], l));
            }
            order.extend(sequence);
        }
        let mut nb_ptr = Vec::with_capacity(n + 1);
        nb_ptr.push(0);
        let mut nb_idx = Vec::new();
        for list in &nb_lists {
            nb_idx.extend_from_slice(list);
            nb_ptr.push(nb_idx.len());
        }
        Ok(NngpField { x, y, neighbours, order, nb_ptr, nb_idx, pairs: OnceLock::new() })
    }

    /// The precision's pattern and each level's pair positions in it (built once).
    fn pairs(&self) -> &Pairs {
        self.pairs.get_or_init(|| {
            let (n, nb_ptr, nb_idx) = (self.x.len(), &self.nb_ptr, &self.nb_idx);
            // The pattern: every pair of points together in some {l} u N(l), lower triangle.
            let mut columns: Vec<Vec<usize>> = (0..n).map(|j| vec![j]).collect();
            let set = |l: usize| std::iter::once(l).chain(nb_idx[nb_ptr[l]..nb_ptr[l + 1]].iter().copied());
            for l in 0..n {
                for a in set(l) {
                    for b in set(l) {
                        if a > b {
                            columns[b].push(a);
                        }
                    }
                }
            }
            let mut col_ptr = Vec::with_capacity(n + 1);
            col_ptr.push(0);
            let mut row_idx = Vec::new();
            for column in &mut columns {
                column.sort_unstable();
                column.dedup();
                row_idx.extend_from_slice(column);
                col_ptr.push(row_idx.len());
            }
            drop(columns);
            let position = |i: usize, j: usize| {
                let (r, c) = if i >= j { (i, j) } else { (j, i) };
                let rows = &row_idx[col_ptr[c]..col_ptr[c + 1]];
                (col_ptr[c] + rows.binary_search(&r).expect("every pair is in the pattern")) as u32
            };
            let mut pair_ptr = Vec::with_capacity(n + 1);
            pair_ptr.push(0);
            let mut pair_pos = Vec::new();
            for l in 0..n {
                let s: Vec<usize> = set(l).collect();
                for p in 0..s.len() {
                    for q in 0..=p {
                        pair_pos.push(position(s[p], s[q]));
                    }
                }
                pair_ptr.push(pair_pos.len());
            }
            Pairs { pattern: LowerPattern { col_ptr, row_idx }, pair_ptr, pair_pos }
        })
    }

    /// The number of neighbours `m` each point conditions on (fewer for the first points of
    /// each group).
    pub fn neighbour_count(&self) -> usize {
        self.neighbours
    }

    /// Every level, group after group, each group in maximin order.
    pub fn ordering(&self) -> &[usize] {
        &self.order
    }

    /// The neighbours of `level`: its nearest points earlier in the ordering, nearest first.
    pub fn neighbours_of(&self, level: usize) -> &[usize] {
        &self.nb_idx[self.nb_ptr[level]..self.nb_ptr[level + 1]]
    }

    fn distance(&self, a: usize, b: usize) -> f64 {
        let (dx, dy) = (self.x[a] - self.x[b], self.y[a] - self.y[b]);
        (dx * dx + dy * dy).sqrt()
    }

    /// The kriging weights `A_l` (into `a`) and conditional variance `D_l` of level `l` given
    /// its neighbours at `range`, with their derivatives in `ln range` (into `da`, and the
    /// returned `dD`) when `derivatives` is set. `None` when the neighbours' correlation matrix
    /// is not positive definite or `D_l` is not positive.
    fn conditional(&self, l: usize, range: f64, work: &mut Work, derivatives: bool) -> Option<(f64, f64)> {
        let nb = self.neighbours_of(l);
        let k = nb.len();
        if k == 0 {
            return Some((1.0, 0.0));
        }
        let Work { chol, dk_mat, kv, dkv, a, da, ga } = work;
        chol.resize(k * k, 0.0);
        dk_mat.resize(k * k, 0.0);
        for r in 0..k {
            let d = self.distance(l, nb[r]) / range;
            kv[r] = (-d).exp();
            dkv[r] = kv[r] * d;
            chol[r * k + r] = 1.0;
            dk_mat[r * k + r] = 0.0;
            for c in 0..r {
                let d = self.distance(nb[r], nb[c]) / range;
                let e = (-d).exp();
                chol[r * k + c] = e;
                chol[c * k + r] = e;
                dk_mat[r * k + c] = e * d;
                dk_mat[c * k + r] = e * d;
            }
        }
        if !small::cholesky(chol, k) {
            return None;
        }
        a[..k].copy_from_slice(&kv[..k]);
        small::cholesky_solve(chol, k, &mut a[..k]);
        let dvar = 1.0 - dot(&kv[..k], &a[..k]);
        if !(dvar > 0.0 && dvar.is_finite()) {
            return None;
        }
        if !derivatives {
            return Some((dvar, 0.0));
        }
        for r in 0..k {
            ga[r] = dot(&dk_mat[r * k..(r + 1) * k], &a[..k]);
            da[r] = dkv[r] - ga[r];
        }
        small::cholesky_solve(chol, k, &mut da[..k]);
        let ddvar = -2.0 * dot(&dkv[..k], &a[..k]) + dot(&a[..k], &ga[..k]);
        Some((dvar, ddvar))
    }

    /// Draws a field from this approximation with standard deviation `sd` and range `range`,
    /// one value per level: along the ordering, `u_l = A_l u_N(l) + sd sqrt(D_l) z_l` with
    /// `z` standard normal from the engine's generator seeded with `seed` (one draw per point,
    /// in the order of [`NngpField::ordering`]), so the same seed gives the same field on every
    /// platform. With enough neighbours (a few tens) this is, to a close approximation, a draw
    /// from the exact exponential field.
    pub fn simulate(&self, sd: f64, range: f64, seed: u64) -> Result<Vec<f64>, String> {
        if !(sd.is_finite() && sd >= 0.0 && range.is_finite() && range > 0.0) {
            return Err(format!(
                "a field needs a finite standard deviation of at least 0 and a positive range, not {sd} and {range}"
            ));
        }
        let mut rng = Rng::new(seed);
        let mut work = Work::new(self.neighbours);
        let mut u = vec![0.0; self.x.len()];
        for &l in &self.order {
            let (dvar, _) = self.conditional(l, range, &mut work, false).ok_or_else(|| {
                format!("the field cannot be drawn at point {}: its neighbours are too close together for the range", l + 1)
            })?;
            let mean: f64 = self.neighbours_of(l).iter().zip(&work.a).map(|(&j, a)| a * u[j]).sum();
            u[l] = mean + sd * dvar.sqrt() * rng.normal();
        }
        Ok(u)
    }
}

/// Scratch space for one point's conditional distribution (`m` neighbours at most).
struct Work {
    chol: Vec<f64>,
    dk_mat: Vec<f64>,
    kv: Vec<f64>,
    dkv: Vec<f64>,
    a: Vec<f64>,
    da: Vec<f64>,
    ga: Vec<f64>,
}

impl Work {
    fn new(m: usize) -> Work {
        Work {
            chol: Vec::with_capacity(m * m),
            dk_mat: Vec::with_capacity(m * m),
            kv: vec![0.0; m],
            dkv: vec![0.0; m],
            a: vec![0.0; m],
            da: vec![0.0; m],
            ga: vec![0.0; m],
        }
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The maximin ordering of `levels` (see the module doc).
fn maximin(x: &[f64], y: &[f64], levels: &[usize]) -> Vec<usize> {
    let count = levels.len();
    let (px, py): (Vec<f64>, Vec<f64>) = levels.iter().map(|&l| (x[l], y[l])).unzip();
    let cx = px.iter().sum::<f64>() / count as f64;
    let cy = py.iter().sum::<f64>() / count as f64;
    let distance2 = |a: usize, ox: f64, oy: f64| (px[a] - ox).powi(2) + (py[a] - oy).powi(2);
    let first = (0..count)
        .min_by(|&a, &b| distance2(a, cx, cy).total_cmp(&distance2(b, cx, cy)).then(a.cmp(&b)))
        .expect("a group has points");
    // Points carry their position in `levels`, so ties go to the lower level.
    let tree: RTree<Located> =
        RTree::bulk_load((0..count).map(|k| Located::new([px[k], py[k]], k)).collect());
    // Squared distance of each point to the nearest point ordered so far.
    let mut nearest = vec![f64::INFINITY; count];
    let mut done = vec![false; count];
    let mut heap = BinaryHeap::with_capacity(count);
    let mut order = Vec::with_capacity(count);
    let mut next = Some((first, f64::INFINITY));
    while let Some((k, radius2)) = next {
        done[k] = true;
        order.push(levels[k]);
        let (ox, oy) = (px[k], py[k]);
        let mut update = |j: usize| {
            let d2 = distance2(j, ox, oy);
            if !done[j] && d2 < nearest[j] {
                nearest[j] = d2;
                heap.push(Candidate { distance2: d2, level: j });
            }
        };
        // Only points closer to this one than `radius` (the largest distance left) can move.
        if radius2.is_finite() {
            tree.locate_within_distance([ox, oy], radius2).for_each(|p| update(p.data));
        } else {
            (0..count).for_each(&mut update);
        }
        next = None;
        while let Some(c) = heap.pop() {
            // Entries left behind by a later, smaller distance are stale.
            if !done[c.level] && c.distance2 == nearest[c.level] {
                next = Some((c.level, c.distance2));
                break;
            }
        }
    }
    order
}

impl PrecisionModel for NngpField {
    fn dimension(&self) -> usize {
        self.x.len()
    }

    fn parameter_names(&self) -> Vec<String> {
        vec!["log sd".into(), "log range".into()]
    }

    fn pattern(&self) -> LowerPattern {
        self.pairs().pattern.clone()
    }

    fn evaluate(&self, theta: &[f64], out: &mut PrecisionValues) -> bool {
        let n = self.dimension();
        let pairs = self.pairs();
        let Some((variance, range)) = start_field_values(theta, pairs.pattern.len(), out) else {
            return false;
        };
        let mut work = Work::new(self.neighbours);
        let mut b = vec![0.0; self.neighbours + 1];
        let mut db = vec![0.0; self.neighbours + 1];
        let (mut sum_ln_d, mut sum_dd) = (0.0, 0.0);
        for l in 0..n {
            let Some((dvar, ddvar)) = self.conditional(l, range, &mut work, true) else { return false };
            sum_ln_d += dvar.ln();
            sum_dd += ddvar / dvar;
            let k = self.nb_ptr[l + 1] - self.nb_ptr[l];
            b[0] = 1.0;
            db[0] = 0.0;
            for r in 0..k {
                b[r + 1] = -work.a[r];
                db[r + 1] = -work.da[r];
            }
            let w = 1.0 / (variance * dvar);
            let dw = -ddvar / (variance * dvar * dvar);
            let positions = &pairs.pair_pos[pairs.pair_ptr[l]..pairs.pair_ptr[l + 1]];
            let mut e = 0;
            for p in 0..=k {
                for q in 0..=p {
                    let pos = positions[e] as usize;
                    e += 1;
                    out.q[pos] += w * b[p] * b[q];
                    out.dq[1][pos] += dw * b[p] * b[q] + w * (db[p] * b[q] + b[p] * db[q]);
                }
            }
        }
        // Entries on the diagonal were added once per pair (p, p); off the diagonal, the pair
        // (p, q) and its mirror share one stored entry, added once: both as wanted.
        for (d, q) in out.dq[0].iter_mut().zip(&out.q) {
            *d = -2.0 * q;
        }
        out.logdet = -(n as f64) * variance.ln() - sum_ln_d;
        out.dlogdet[0] = -2.0 * n as f64;
        out.dlogdet[1] = -sum_dd;
        out.logdet.is_finite() && out.q.iter().chain(&out.dq[1]).all(|v| v.is_finite())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fit::sparse::ExponentialField;
    use nalgebra::DMatrix;

    fn dense(pattern: &LowerPattern, values: &[f64]) -> DMatrix<f64> {
        let n = pattern.dimension();
        let mut m = DMatrix::zeros(n, n);
        for j in 0..n {
            let range = pattern.col_ptr[j]..pattern.col_ptr[j + 1];
            for (&i, &v) in pattern.row_idx[range.clone()].iter().zip(&values[range]) {
                m[(i, j)] = v;
                m[(j, i)] = v;
            }
        }
        m
    }

    fn points(n: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
        let mut rng = Rng::new(seed);
        let x = (0..n).map(|_| 10.0 * rng.uniform()).collect();
        let y = (0..n).map(|_| 6.0 * rng.uniform()).collect();
        (x, y)
    }

    #[test]
    fn with_every_earlier_point_as_neighbour_it_is_the_exact_field() {
        let (x, y) = points(12, 1);
        let group: Vec<usize> = (0..12).map(|l| l % 2).collect();
        let nngp = NngpField::grouped(x.clone(), y.clone(), &group, 11).unwrap();
        let exact = ExponentialField::grouped(x, y, &group).unwrap();
        let theta = [0.4f64.ln(), 2.5f64.ln()];
        let (mut a, mut b) = (PrecisionValues::default(), PrecisionValues::default());
        assert!(nngp.evaluate(&theta, &mut a) && exact.evaluate(&theta, &mut b));
        let (pa, pb) = (nngp.pattern(), exact.pattern());
        pa.check(12).unwrap();
        assert!((dense(&pa, &a.q) - dense(&pb, &b.q)).abs().max() < 1e-9);
        for k in 0..2 {
            assert!((dense(&pa, &a.dq[k]) - dense(&pb, &b.dq[k])).abs().max() < 1e-8, "dQ/dtheta_{k}");
            assert!((a.dlogdet[k] - b.dlogdet[k]).abs() < 1e-9, "d ln|Q| / dtheta_{k}");
        }
        assert!((a.logdet - b.logdet).abs() < 1e-9);
    }

    #[test]
    fn derivatives_match_central_differences() {
        let (x, y) = points(60, 2);
        let field = NngpField::new(x, y, 5).unwrap();
        let pattern = field.pattern();
        pattern.check(60).unwrap();
        let theta = [0.3f64.ln(), 1.7f64.ln()];
        let mut v = PrecisionValues::default();
        assert!(field.evaluate(&theta, &mut v));
        // Q is positive definite and its log-determinant is the one stated.
        let q = dense(&pattern, &v.q);
        let chol = q.clone().cholesky().expect("Q is positive definite");
        let logdet: f64 = chol.l().diagonal().iter().map(|d| 2.0 * d.ln()).sum();
        assert!((logdet - v.logdet).abs() < 1e-8 * logdet.abs());
        for k in 0..2 {
            let h = 1e-6;
            let (mut up, mut down) = (theta, theta);
            up[k] += h;
            down[k] -= h;
            let (mut vu, mut vd) = (PrecisionValues::default(), PrecisionValues::default());
            assert!(field.evaluate(&up, &mut vu) && field.evaluate(&down, &mut vd));
            for e in 0..pattern.len() {
                let fd = (vu.q[e] - vd.q[e]) / (2.0 * h);
                assert!((fd - v.dq[k][e]).abs() < 1e-6 * (1.0 + fd.abs()), "dQ/dtheta_{k} entry {e}");
            }
            let fd = (vu.logdet - vd.logdet) / (2.0 * h);
            assert!((fd - v.dlogdet[k]).abs() < 1e-6 * (1.0 + fd.abs()), "d ln|Q| / dtheta_{k}");
        }
    }

    #[test]
    fn the_ordering_is_maximin_and_neighbours_are_the_nearest_earlier_points() {
        let (x, y) = points(200, 3);
        let field = NngpField::new(x.clone(), y.clone(), 4).unwrap();
        let order = field.ordering();
        let mut sorted = order.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..200).collect::<Vec<_>>());
        let d2 = |a: usize, b: usize| (x[a] - x[b]).powi(2) + (y[a] - y[b]).powi(2);
        // Each point is (one of) the farthest from those before it; the distances fall.
        let mut last = f64::INFINITY;
        for i in 1..order.len() {
            let gap = |c: usize| order[..i].iter().map(|&p| d2(p, c)).fold(f64::INFINITY, f64::min);
            let chosen = gap(order[i]);
            let best = order[i..].iter().map(|&c| gap(c)).fold(0.0, f64::max);
            assert_eq!(chosen, best, "position {i}");
            assert!(chosen <= last);
            last = chosen;
            // Neighbours: the 4 nearest among the earlier points.
            let mut earlier: Vec<usize> = order[..i].to_vec();
            earlier.sort_by(|&a, &b| d2(order[i], a).total_cmp(&d2(order[i], b)));
            let expected: Vec<f64> = earlier.iter().take(4).map(|&a| d2(order[i], a)).collect();
            let found: Vec<f64> = field.neighbours_of(order[i]).iter().map(|&a| d2(order[i], a)).collect();
            assert_eq!(found, expected, "neighbours of position {i}");
        }
    }

    #[test]
    fn simulated_fields_have_the_stated_covariance() {
        // 400 draws of a field over 30 points with every neighbour (exact): the sample
        // covariance of two points at distance d is about sd^2 exp(-d / range).
        let (x, y) = points(30, 4);
        let field = NngpField::new(x.clone(), y.clone(), 29).unwrap();
        let (sd, range) = (0.5, 3.0);
        let draws: Vec<Vec<f64>> = (0..4000).map(|s| field.simulate(sd, range, s).unwrap()).collect();
        for (a, b) in [(0, 0), (0, 1), (2, 7), (5, 20)] {
            let c = draws.iter().map(|u| u[a] * u[b]).sum::<f64>() / draws.len() as f64;
            let d = ((x[a] - x[b]).powi(2) + (y[a] - y[b]).powi(2)).sqrt();
            let expected = sd * sd * (-d / range).exp();
            // Standard error of the mean of u_a u_b is at most sd^2 sqrt(2 / 4000) = 0.0056.
            assert!((c - expected).abs() < 0.02, "points {a}, {b}: {c} vs {expected}");
        }
        assert_eq!(field.simulate(sd, range, 7).unwrap(), field.simulate(sd, range, 7).unwrap());
        assert!(field.simulate(-1.0, range, 7).is_err());
    }

    #[test]
    fn bad_points_are_refused() {
        let e = NngpField::new(vec![0.0, 1.0, 0.0], vec![2.0, 2.0, 2.0], 3).unwrap_err();
        assert!(e.contains("points 1 and 3"), "{e}");
        assert!(NngpField::grouped(vec![0.0, 0.0], vec![1.0, 1.0], &[0, 1], 2).is_ok());
        assert!(NngpField::new(vec![0.0, 1.0], vec![0.0, 0.0], 0).unwrap_err().contains("neighbour"));
        assert!(NngpField::new(vec![0.0, f64::NAN], vec![0.0, 0.0], 2).unwrap_err().contains("point 2"));
    }
}
