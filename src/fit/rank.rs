//! Detection of aliased (linearly dependent) model-matrix columns.
//!
//! Householder QR with R's limited column pivoting (LINPACK `dqrdc2`, as used by `lm`, `glm`
//! and glmmTMB's rank check): columns are processed left to right and a column whose norm,
//! after removing its projection on the columns kept so far, falls below `tol` times its
//! original norm is moved to the end and dropped. So of a set of collinear columns the first
//! ones are kept, as R does.

use nalgebra::DMatrix;

/// R's default tolerance for `qr()`.
pub const RANK_TOLERANCE: f64 = 1e-7;

/// Indices (in increasing order) of the columns of `x` kept by the limited-pivoting QR.
pub fn independent_columns(x: &DMatrix<f64>, tol: f64) -> Vec<usize> {
    let n = x.nrows();
    let p = x.ncols();
    // Column-major storage: column j is the j-th run of n values.
    let mut columns: Vec<Vec<f64>> = x.as_slice().chunks_exact(n.max(1)).map(<[f64]>::to_vec).collect();
    let original: Vec<f64> = columns
        .iter()
        .map(|c| {
            let norm = c.iter().map(|v| v * v).sum::<f64>().sqrt();
            if norm == 0.0 {
                1.0
            } else {
                norm
            }
        })
        .collect();
    let mut order: Vec<usize> = (0..p).collect();
    let mut active = p;
    let mut l = 0;
    while l < active.min(n) {
        let j = order[l];
        let norm = columns[j][l..].iter().map(|v| v * v).sum::<f64>().sqrt();
        if norm.is_nan() || norm < original[j] * tol {
            order.remove(l);
            order.push(j);
            active -= 1;
            continue;
        }
        // Householder vector v = c[l..] + sign(c_l) |c| e_1, applied to the later columns.
        let mut v: Vec<f64> = columns[j][l..].to_vec();
        v[0] += if v[0] >= 0.0 { norm } else { -norm };
        let vv: f64 = v.iter().map(|a| a * a).sum();
        for &k in &order[l + 1..active] {
            let c = &mut columns[k][l..];
            let dot: f64 = v.iter().zip(c.iter()).map(|(a, b)| a * b).sum();
            let f = 2.0 * dot / vv;
            for (ci, vi) in c.iter_mut().zip(v.iter()) {
                *ci -= f * vi;
            }
        }
        l += 1;
    }
    let mut kept: Vec<usize> = order[..l].to_vec();
    kept.sort_unstable();
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_first_of_collinear_columns() {
        // Columns: intercept, a, b = 2a - 1 (aliased), zero column, c.
        let rows = [
            [1.0, 0.5, 0.0, 0.0, 3.0],
            [1.0, 1.5, 2.0, 0.0, -1.0],
            [1.0, 2.0, 3.0, 0.0, 0.2],
            [1.0, 4.0, 7.0, 0.0, 1.0],
        ];
        let x = DMatrix::from_fn(4, 5, |i, j| rows[i][j]);
        assert_eq!(independent_columns(&x, RANK_TOLERANCE), vec![0, 1, 4]);
    }

    #[test]
    fn full_rank_keeps_everything_and_wide_matrix_is_cut() {
        let x = DMatrix::from_row_slice(3, 2, &[1.0, 0.0, 1.0, 1.0, 1.0, 2.0]);
        assert_eq!(independent_columns(&x, RANK_TOLERANCE), vec![0, 1]);
        let wide = DMatrix::from_row_slice(2, 3, &[1.0, 0.0, 5.0, 1.0, 1.0, 2.0]);
        assert_eq!(independent_columns(&wide, RANK_TOLERANCE), vec![0, 1]);
    }
}
