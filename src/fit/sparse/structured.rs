//! Structured precision matrices over the levels of a random-effect term, and the exact
//! exponential field.
//!
//! A structured term has one effect per level, `u ~ N(0, Q(theta)^-1)` jointly over all its
//! levels. A [`PrecisionModel`] gives `Q` on a fixed sparsity pattern, its derivatives in each
//! parameter on the same pattern, `ln|Q|` and `d ln|Q| / d theta_k = tr(Q^-1 dQ/dtheta_k)`:
//! everything the Laplace approximation and its gradient need from the term.

use std::fmt::Debug;

use faer::linalg::solvers::{DenseSolveCore, Llt};
use faer::{Mat, Side};

/// The lower triangle of a symmetric `n x n` sparsity pattern, column by column: column `j`
/// holds the rows `row_idx[col_ptr[j]..col_ptr[j + 1]]`, strictly increasing, the first of
/// them `j` itself (every diagonal entry is present).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LowerPattern {
    pub col_ptr: Vec<usize>,
    pub row_idx: Vec<usize>,
}

impl LowerPattern {
    pub fn dimension(&self) -> usize {
        self.col_ptr.len().saturating_sub(1)
    }

    /// Number of stored entries.
    pub fn len(&self) -> usize {
        self.row_idx.len()
    }

    pub fn is_empty(&self) -> bool {
        self.row_idx.is_empty()
    }

    /// Checks the invariants above for dimension `n`.
    pub fn check(&self, n: usize) -> Result<(), String> {
        if self.col_ptr.len() != n + 1 || self.col_ptr[0] != 0 || self.col_ptr[n] != self.row_idx.len() {
            return Err(format!("the precision pattern does not describe {n} columns"));
        }
        for j in 0..n {
            let (start, end) = (self.col_ptr[j], self.col_ptr[j + 1]);
            if end <= start || end > self.row_idx.len() || self.row_idx[start] != j {
                return Err(format!("column {} of the precision pattern lacks its diagonal entry", j + 1));
            }
            let rows = &self.row_idx[start..end];
            if rows.windows(2).any(|w| w[1] <= w[0]) || rows[rows.len() - 1] >= n {
                return Err(format!(
                    "column {} of the precision pattern is not sorted or out of range",
                    j + 1
                ));
            }
        }
        Ok(())
    }
}

/// `Q(theta)`, its derivatives and its log-determinant, on the model's [`LowerPattern`].
#[derive(Clone, Debug, Default)]
pub struct PrecisionValues {
    /// Entries of `Q` in pattern order.
    pub q: Vec<f64>,
    /// `dQ/dtheta_k`, one vector per parameter, in pattern order; empty for a parameter whose
    /// derivative is given by `congruent` instead.
    pub dq: Vec<Vec<f64>>,
    /// From [`PrecisionModel::evaluate_congruent`]: for a parameter whose `dq` is empty,
    /// `S_k` in pattern order with `dQ/dtheta_k = -Q S_k Q` (`S_k = dSigma/dtheta_k` where
    /// `Q = Sigma^-1`); empty for the other parameters, and all empty from
    /// [`PrecisionModel::evaluate`].
    pub congruent: Vec<Vec<f64>>,
    /// `ln|Q|`.
    pub logdet: f64,
    /// `d ln|Q| / d theta_k = tr(Q^-1 dQ/dtheta_k)`.
    pub dlogdet: Vec<f64>,
}

/// A parametrised precision matrix over the levels of a structured random-effect term.
pub trait PrecisionModel: Debug + Send + Sync {
    /// Number of levels (the dimension of `Q`).
    fn dimension(&self) -> usize;

    /// Names of the parameters `theta`, in order (their number is the parameter count).
    fn parameter_names(&self) -> Vec<String>;

    /// The fixed sparsity pattern of `Q`'s lower triangle.
    fn pattern(&self) -> LowerPattern;

    /// Fills `out` at `theta` (resizing its vectors as needed). Returns `false` when `Q` is not
    /// positive definite or not finite there.
    fn evaluate(&self, theta: &[f64], out: &mut PrecisionValues) -> bool;

    /// As [`PrecisionModel::evaluate`], but a parameter's derivative may be given as the
    /// congruence `dQ/dtheta_k = -Q S_k Q` ([`PrecisionValues::congruent`]) where forming
    /// `dQ/dtheta_k` itself would cost more than its uses need (the dense products of an exact
    /// field). By default every derivative is explicit.
    fn evaluate_congruent(&self, theta: &[f64], out: &mut PrecisionValues) -> bool {
        self.evaluate(theta, out)
    }
}

/// A Gaussian field with exponential correlation over points in the plane, glmmTMB's
/// `exp(pos + 0 | group)`: `Sigma_ij = sd^2 exp(-d_ij / range)` between points of the same
/// group (`d` Euclidean, in the coordinates' units), independent between groups.
///
/// Parameters `theta = (ln sd, ln range)`, as glmmTMB's `theta` for this structure. Exact:
/// `Q = Sigma^-1` is dense within each group, `dQ/dtheta_k = -Q (dSigma/dtheta_k) Q` with
/// `dSigma/d ln sd = 2 Sigma` (so `dQ/d ln sd = -2 Q`) and
/// `dSigma_ij/d ln range = Sigma_ij d_ij / range`; `ln|Q| = -ln|Sigma|` and
/// `d ln|Q|/dtheta_k = -tr(Sigma^-1 dSigma/dtheta_k)`. The cost is cubic in the size of a
/// group, so this suits groups of up to a few thousand points.
#[derive(Clone, Debug)]
pub struct ExponentialField {
    x: Vec<f64>,
    y: Vec<f64>,
    /// The levels of each independent group, increasing.
    groups: Vec<Vec<usize>>,
    /// Where each column of the pattern starts (see [`ExponentialField::pattern`]).
    col_ptr: Vec<usize>,
}

impl ExponentialField {
    /// One field over all the points `(x[l], y[l])`, one per level.
    pub fn new(x: Vec<f64>, y: Vec<f64>) -> Result<ExponentialField, String> {
        let group = vec![0; x.len()];
        ExponentialField::grouped(x, y, &group)
    }

    /// Independent fields, one per value of `group[l]` (any labels `0..`), over the points
    /// `(x[l], y[l])`. Points of one group must be distinct.
    pub fn grouped(x: Vec<f64>, y: Vec<f64>, group: &[usize]) -> Result<ExponentialField, String> {
        let n = x.len();
        let groups = field_groups(&x, &y, group)?;
        // Column `l` holds the levels of `l`'s group from `l` on.
        let mut later = vec![0; n];
        for levels in &groups {
            for (a, &l) in levels.iter().enumerate() {
                later[l] = levels.len() - a;
            }
        }
        let mut col_ptr = Vec::with_capacity(n + 1);
        col_ptr.push(0);
        for count in later {
            col_ptr.push(col_ptr[col_ptr.len() - 1] + count);
        }
        Ok(ExponentialField { x, y, groups, col_ptr })
    }

    fn distance(&self, a: usize, b: usize) -> f64 {
        let (dx, dy) = (self.x[a] - self.x[b], self.y[a] - self.y[b]);
        (dx * dx + dy * dy).sqrt()
    }
}

/// The points of a field checked and split by group: as many x and y coordinates as group
/// labels, at least one point, finite coordinates, and distinct points within each group (their
/// correlation matrix would be singular otherwise). Returns each non-empty group's levels in
/// order.
pub(super) fn field_groups(x: &[f64], y: &[f64], group: &[usize]) -> Result<Vec<Vec<usize>>, String> {
    let n = x.len();
    if y.len() != n || group.len() != n {
        return Err(format!(
            "the field has {n} x coordinates, {} y coordinates and {} group labels",
            y.len(),
            group.len()
        ));
    }
    if n == 0 {
        return Err("the field has no points".into());
    }
    if let Some(l) = (0..n).find(|&l| !(x[l].is_finite() && y[l].is_finite())) {
        return Err(format!("point {} has a coordinate that is not a finite number", l + 1));
    }
    let count = group.iter().max().map_or(0, |g| g + 1);
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (l, &g) in group.iter().enumerate() {
        groups[g].push(l);
    }
    groups.retain(|g| !g.is_empty());
    for levels in &groups {
        let mut sorted: Vec<usize> = levels.clone();
        sorted.sort_by(|&a, &b| x[a].total_cmp(&x[b]).then(y[a].total_cmp(&y[b])));
        if let Some(w) = sorted.windows(2).find(|w| x[w[0]] == x[w[1]] && y[w[0]] == y[w[1]]) {
            return Err(format!(
                "points {} and {} of one field share the coordinates ({}, {}); a field needs one \
                 level per distinct point",
                w[0].min(w[1]) + 1,
                w[0].max(w[1]) + 1,
                x[w[0]],
                y[w[0]]
            ));
        }
    }
    Ok(groups)
}

/// Clears `out` for a field's `len` pattern entries and its two parameters `theta = (ln sd,
/// ln range)`, and returns `(sd^2, range)`, or `None` where either is not a positive finite
/// number.
pub(super) fn start_field_values(theta: &[f64], len: usize, out: &mut PrecisionValues) -> Option<(f64, f64)> {
    out.q.clear();
    out.q.resize(len, 0.0);
    out.dq.resize(2, Vec::new());
    for d in &mut out.dq {
        d.clear();
        d.resize(len, 0.0);
    }
    out.congruent.resize(2, Vec::new());
    out.congruent.iter_mut().for_each(Vec::clear);
    out.dlogdet.clear();
    out.dlogdet.resize(2, 0.0);
    out.logdet = 0.0;
    let variance = (2.0 * theta[0]).exp();
    let range = theta[1].exp();
    (variance.is_finite() && variance > 0.0 && range.is_finite() && range > 0.0).then_some((variance, range))
}

impl PrecisionModel for ExponentialField {
    fn dimension(&self) -> usize {
        self.x.len()
    }

    fn parameter_names(&self) -> Vec<String> {
        vec!["log sd".into(), "log range".into()]
    }

    fn pattern(&self) -> LowerPattern {
        let mut row_idx = vec![0; self.col_ptr[self.dimension()]];
        for levels in &self.groups {
            for (a, &l) in levels.iter().enumerate() {
                let start = self.col_ptr[l];
                row_idx[start..start + levels.len() - a].copy_from_slice(&levels[a..]);
            }
        }
        LowerPattern { col_ptr: self.col_ptr.clone(), row_idx }
    }

    fn evaluate(&self, theta: &[f64], out: &mut PrecisionValues) -> bool {
        self.fill(theta, out, false)
    }

    /// `dQ/d ln range` as the congruence `-Q (dSigma/d ln range) Q`: without the two dense
    /// products per group that forming it takes.
    fn evaluate_congruent(&self, theta: &[f64], out: &mut PrecisionValues) -> bool {
        self.fill(theta, out, true)
    }
}

impl ExponentialField {
    /// [`PrecisionModel::evaluate`] (`congruent == false`) or
    /// [`PrecisionModel::evaluate_congruent`] (`true`).
    fn fill(&self, theta: &[f64], out: &mut PrecisionValues, congruent: bool) -> bool {
        let len = self.col_ptr[self.dimension()];
        let Some((variance, range)) = start_field_values(theta, len, out) else {
            return false;
        };
        if congruent {
            out.dq[1] = Vec::new();
            out.congruent[1].resize(len, 0.0);
        }
        for levels in &self.groups {
            let m = levels.len();
            let (mut sigma, mut dsigma_range) = (Mat::zeros(m, m), Mat::zeros(m, m));
            for c in 0..m {
                sigma[(c, c)] = variance;
                for a in c + 1..m {
                    let d = self.distance(levels[a], levels[c]) / range;
                    let v = variance * (-d).exp();
                    sigma[(a, c)] = v;
                    sigma[(c, a)] = v;
                    dsigma_range[(a, c)] = v * d;
                    dsigma_range[(c, a)] = v * d;
                }
            }
            let Ok(chol) = Llt::new(sigma.as_ref(), Side::Lower) else { return false };
            let logdet_sigma: f64 = (0..m).map(|a| 2.0 * chol.L()[(a, a)].ln()).sum();
            let q = chol.inverse();
            let dq_range = (!congruent).then(|| -(&q * &dsigma_range * &q));
            out.logdet -= logdet_sigma;
            out.dlogdet[0] -= 2.0 * m as f64;
            let mut trace = 0.0;
            for c in 0..m {
                for a in 0..m {
                    trace += q[(a, c)] * dsigma_range[(a, c)];
                }
            }
            out.dlogdet[1] -= trace;
            for a in 0..m {
                for c in a..m {
                    // Entry (row levels[c], column levels[a]): the column holds the group's
                    // levels from levels[a] on, in order.
                    let k = self.col_ptr[levels[a]] + (c - a);
                    // Symmetrised: the products above are symmetric up to rounding.
                    let qv = 0.5 * (q[(a, c)] + q[(c, a)]);
                    out.q[k] = qv;
                    out.dq[0][k] = -2.0 * qv;
                    match &dq_range {
                        Some(dq) => out.dq[1][k] = 0.5 * (dq[(a, c)] + dq[(c, a)]),
                        None => out.congruent[1][k] = dsigma_range[(c, a)],
                    }
                }
            }
        }
        out.logdet.is_finite() && out.q.iter().chain(&out.dq[1]).all(|v| v.is_finite())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::DMatrix;

    fn field() -> ExponentialField {
        let x = vec![0.0, 1.0, 0.5, 3.0, 2.0, 0.0];
        let y = vec![0.0, 0.2, 1.5, 1.0, 2.0, 2.5];
        ExponentialField::grouped(x, y, &[0, 1, 0, 1, 0, 1]).unwrap()
    }

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

    #[test]
    fn precision_inverts_the_covariance_and_derivatives_match_differences() {
        let f = field();
        let pattern = f.pattern();
        pattern.check(6).unwrap();
        let theta = [0.3f64.ln(), 1.7f64.ln()];
        let mut v = PrecisionValues::default();
        assert!(f.evaluate(&theta, &mut v));
        let q = dense(&pattern, &v.q);
        // Sigma from the definition, block diagonal over the two groups.
        let sigma =
            DMatrix::from_fn(
                6,
                6,
                |a, c| {
                    if a % 2 != c % 2 {
                        0.0
                    } else {
                        0.09 * (-f.distance(a, c) / 1.7).exp()
                    }
                },
            );
        let product = &q * &sigma;
        assert!((product - DMatrix::identity(6, 6)).abs().max() < 1e-10);
        assert!((v.logdet + sigma.determinant().ln()).abs() < 1e-10);
        for k in 0..2 {
            let h = 1e-6;
            let (mut up, mut down) = (theta, theta);
            up[k] += h;
            down[k] -= h;
            let (mut vu, mut vd) = (PrecisionValues::default(), PrecisionValues::default());
            assert!(f.evaluate(&up, &mut vu) && f.evaluate(&down, &mut vd));
            for e in 0..pattern.len() {
                let fd = (vu.q[e] - vd.q[e]) / (2.0 * h);
                assert!((fd - v.dq[k][e]).abs() < 1e-6 * (1.0 + fd.abs()), "dQ/dtheta_{k} entry {e}");
            }
            let fd = (vu.logdet - vd.logdet) / (2.0 * h);
            assert!((fd - v.dlogdet[k]).abs() < 1e-6, "d ln|Q| / dtheta_{k}");
        }
    }

    /// The congruent form gives the same `Q`, `ln|Q|` and derivatives, with `dQ/d ln range`
    /// as `-Q S Q`.
    #[test]
    fn the_congruent_range_derivative_equals_the_explicit_one() {
        let f = field();
        let pattern = f.pattern();
        let theta = [0.4f64.ln(), 2.3f64.ln()];
        let (mut explicit, mut congruent) = (PrecisionValues::default(), PrecisionValues::default());
        assert!(f.evaluate(&theta, &mut explicit) && f.evaluate_congruent(&theta, &mut congruent));
        assert!(explicit.congruent.iter().all(Vec::is_empty));
        assert_eq!(explicit.q, congruent.q);
        assert_eq!(explicit.dq[0], congruent.dq[0]);
        assert!(congruent.dq[1].is_empty() && congruent.congruent[0].is_empty());
        assert_eq!((explicit.logdet, &explicit.dlogdet), (congruent.logdet, &congruent.dlogdet));
        let q = dense(&pattern, &congruent.q);
        let dq = -(&q * dense(&pattern, &congruent.congruent[1]) * &q);
        assert!((dq - dense(&pattern, &explicit.dq[1])).abs().max() < 1e-10);
        // The same buffers serve either form in turn.
        assert!(f.evaluate(&theta, &mut congruent));
        assert_eq!(congruent.dq[1], explicit.dq[1]);
        assert!(congruent.congruent.iter().all(Vec::is_empty));
    }

    #[test]
    fn repeated_points_are_refused() {
        let e = ExponentialField::new(vec![0.0, 1.0, 0.0], vec![2.0, 2.0, 2.0]).unwrap_err();
        assert!(e.contains("points 1 and 3"), "{e}");
        assert!(ExponentialField::grouped(vec![0.0, 0.0], vec![1.0, 1.0], &[0, 1]).is_ok());
    }
}
