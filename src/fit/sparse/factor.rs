//! The numeric Cholesky factorisation of `H` (faer's simplicial `L L'`), solves with it, and the
//! selected inverse: the entries of `H^-1` on the pattern of `L`.
//!
//! Selected inversion (Takahashi's recurrence). With `H = L L'` and `Z = H^-1`, `Z L = L^-T`,
//! which is upper triangular with diagonal `1 / L_jj`. Reading entry `(i, j)`, `i >= j`, for `i`
//! in the pattern of column `j`:
//!
//! `Z_ij = (delta_ij / L_jj - sum_{k in struct(j)} Z_ik L_kj) / L_jj`,
//!
//! where `struct(j)` are the rows below the diagonal of column `j` of `L`. Every `Z_ik` needed
//! (`i, k` in `struct(j)`) lies on the pattern of `L` in a later column (the rows of a column
//! form a clique of the filled graph), so the columns are computed from the last to the first,
//! the off-diagonal entries of a column before its diagonal. Column `j` is computed by walking
//! the columns `k` of `struct(j)`: each stored `Z_ik` (column `k`, `i > k`) with `i` in
//! `struct(j)` adds `L_kj Z_ik` to row `i`'s sum and `L_ij Z_ik` to row `k`'s; `Z_kk` adds
//! `L_kj Z_kk` to row `k`'s. The cost is that of the factorisation.

use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::cholesky::llt::factor::LltRegularization;
use faer::sparse::linalg::cholesky::simplicial;
use faer::sparse::{SparseColMatRef, SymbolicSparseColMatRef};

use super::super::error::FitError;
use super::symbolic::Symbolic;

pub(super) struct Factor {
    /// Values of `L`.
    pub l: Vec<f64>,
    /// `H^-1` on the pattern of `L`, after [`Factor::select_inverse`].
    pub inverse: Vec<f64>,
    mem: MemBuffer,
    /// Workspace of the selected inversion: position of a row in the current column's
    /// pattern, and the column's sums.
    slot: Vec<usize>,
    sums: Vec<f64>,
}

impl std::fmt::Debug for Factor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Factor").field("entries", &self.l.len()).finish_non_exhaustive()
    }
}

impl Factor {
    pub fn new(sym: &Symbolic) -> Result<Factor, FitError> {
        let req = simplicial::factorize_simplicial_numeric_llt_scratch::<usize, f64>(sym.m);
        let mem = MemBuffer::try_new(req).map_err(|e| FitError::NumericalFailure {
            message: format!("no memory for the random effects' factorisation ({e:?})"),
        })?;
        Ok(Factor {
            l: vec![0.0; sym.factor_len()],
            inverse: vec![0.0; sym.factor_len()],
            mem,
            slot: vec![usize::MAX; sym.m],
            sums: vec![0.0; sym.m],
        })
    }

    /// Factorises the permuted `H` whose upper triangle has the values `a` on `sym`'s input
    /// pattern. Returns `false` if `H` is not (numerically) positive definite.
    pub fn factorize(&mut self, sym: &Symbolic, a: &[f64]) -> bool {
        let pattern =
            SymbolicSparseColMatRef::new_checked(sym.m, sym.m, &sym.a_col_ptr, None, &sym.a_row_idx);
        let matrix = SparseColMatRef::new(pattern, a);
        simplicial::factorize_simplicial_numeric_llt::<usize, f64>(
            &mut self.l,
            matrix,
            LltRegularization::default(),
            &sym.l,
            MemStack::new(&mut self.mem),
        )
        .is_ok()
    }

    /// `ln|H|`.
    pub fn logdet(&self, sym: &Symbolic) -> f64 {
        let col_ptr = sym.l.col_ptr();
        2.0 * (0..sym.m).map(|j| self.l[col_ptr[j]].ln()).sum::<f64>()
    }

    /// Solves `H x = r` in the permuted numbering for `k` right-hand sides stored row by row
    /// (`x` is `m x k`, row-major), in place.
    pub fn solve(&self, sym: &Symbolic, x: &mut [f64], k: usize) {
        if k == 1 {
            return self.solve_one(sym, x);
        }
        let (col_ptr, row_idx) = (sym.l.col_ptr(), sym.l.row_idx());
        let l = &self.l;
        for j in 0..sym.m {
            let start = col_ptr[j];
            let d = l[start];
            let (head, tail) = x.split_at_mut((j + 1) * k);
            let xj = &mut head[j * k..];
            xj.iter_mut().for_each(|v| *v /= d);
            for p in start + 1..col_ptr[j + 1] {
                let i = row_idx[p];
                let lij = l[p];
                let xi = &mut tail[(i - j - 1) * k..(i - j) * k];
                for (a, b) in xi.iter_mut().zip(xj.iter()) {
                    *a -= lij * b;
                }
            }
        }
        for j in (0..sym.m).rev() {
            let start = col_ptr[j];
            let d = l[start];
            let (head, tail) = x.split_at_mut((j + 1) * k);
            let xj = &mut head[j * k..];
            for p in start + 1..col_ptr[j + 1] {
                let i = row_idx[p];
                let lij = l[p];
                let xi = &tail[(i - j - 1) * k..(i - j) * k];
                for (a, b) in xj.iter_mut().zip(xi) {
                    *a -= lij * b;
                }
            }
            xj.iter_mut().for_each(|v| *v /= d);
        }
    }

    /// [`Factor::solve`] for one right-hand side.
    fn solve_one(&self, sym: &Symbolic, x: &mut [f64]) {
        let (col_ptr, row_idx) = (sym.l.col_ptr(), sym.l.row_idx());
        let l = &self.l;
        for j in 0..sym.m {
            let (start, end) = (col_ptr[j], col_ptr[j + 1]);
            let xj = x[j] / l[start];
            x[j] = xj;
            for (&i, &lij) in row_idx[start + 1..end].iter().zip(&l[start + 1..end]) {
                x[i] -= lij * xj;
            }
        }
        for j in (0..sym.m).rev() {
            let (start, end) = (col_ptr[j], col_ptr[j + 1]);
            let mut xj = x[j];
            for (&i, &lij) in row_idx[start + 1..end].iter().zip(&l[start + 1..end]) {
                xj -= lij * x[i];
            }
            x[j] = xj / l[start];
        }
    }

    /// Computes `H^-1` on the pattern of `L` into [`Factor::inverse`] (see the module doc).
    pub fn select_inverse(&mut self, sym: &Symbolic) {
        let (col_ptr, row_idx) = (sym.l.col_ptr(), sym.l.row_idx());
        let (l, z) = (&self.l, &mut self.inverse);
        let (slot, sums) = (&mut self.slot, &mut self.sums);
        for j in (0..sym.m).rev() {
            let start = col_ptr[j];
            let end = col_ptr[j + 1];
            let rows = &row_idx[start + 1..end];
            for (a, &i) in rows.iter().enumerate() {
                slot[i] = a;
                sums[a] = 0.0;
            }
            for (a, &k) in rows.iter().enumerate() {
                let lkj = l[start + 1 + a];
                let kstart = col_ptr[k];
                sums[a] += lkj * z[kstart];
                for p in kstart + 1..col_ptr[k + 1] {
                    let c = slot[row_idx[p]];
                    if c != usize::MAX {
                        let zik = z[p];
                        sums[c] += lkj * zik;
                        sums[a] += l[start + 1 + c] * zik;
                    }
                }
            }
            let d = l[start];
            let mut diagonal = 1.0 / d;
            for (a, &i) in rows.iter().enumerate() {
                let zij = -sums[a] / d;
                z[start + 1 + a] = zij;
                diagonal -= zij * l[start + 1 + a];
                slot[i] = usize::MAX;
            }
            z[start] = diagonal / d;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::model::{EffectTerm, SparseModel};
    use super::super::symbolic::Symbolic;
    use super::*;
    use crate::fit::testdata::Rng;
    use nalgebra::DMatrix;

    /// On the pattern of a crossed model with a random slope, random values: the selected
    /// inverse equals the dense inverse wherever `L` has an entry, the solve inverts `H` and
    /// the log-determinant is right.
    #[test]
    fn selected_inverse_and_solve_match_dense_algebra() {
        let mut rng = Rng::new(11);
        let n = 120;
        let a: Vec<usize> = (0..n).map(|_| (rng.uniform() * 15.0) as usize).collect();
        let b: Vec<usize> = (0..n).map(|_| (rng.uniform() * 6.0) as usize).collect();
        let c: Vec<usize> = (0..n).map(|i| a[i] * 3 + (rng.uniform() * 3.0) as usize).collect();
        let x: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
        let terms = vec![
            EffectTerm::unstructured("a", 15, a, 2, x.iter().flat_map(|&v| [1.0, v]).collect()),
            EffectTerm::unstructured("b", 6, b, 1, vec![1.0; n]),
            EffectTerm::unstructured("a:c", 45, c, 1, vec![1.0; n]),
        ];
        let model = SparseModel::new(vec![1.0; n], vec![0.0; n], vec![1.0; n], 1, terms).unwrap();
        let sym = Symbolic::new(&model).unwrap();
        let m = sym.m;
        // H = sum_i w_i z_i z_i' + a diagonally dominant prior, as the objective assembles it.
        let mut values = vec![0.0; sym.input_len()];
        let mut dense = DMatrix::<f64>::zeros(m, m);
        for entry in &sym.prior {
            let v = if entry.i == entry.j { 2.0 + rng.uniform() } else { 0.3 * rng.normal() };
            values[entry.a as usize] += v;
            let (i, j) = (entry.i as usize, entry.j as usize);
            dense[(i, j)] += v;
            if i != j {
                dense[(j, i)] += v;
            }
        }
        for r in 0..n {
            let w = 0.5 + rng.uniform();
            let coords = &sym.coords[r * sym.width..(r + 1) * sym.width];
            let z = &sym.z[r * sym.width..(r + 1) * sym.width];
            let mut k = 0;
            for c2 in 0..sym.width {
                for c1 in 0..=c2 {
                    let v = w * z[c1] * z[c2];
                    values[sym.pair_a[r * sym.pairs + k] as usize] += v;
                    let (i, j) = (coords[c1] as usize, coords[c2] as usize);
                    dense[(i, j)] += v;
                    if i != j {
                        dense[(j, i)] += v;
                    }
                    k += 1;
                }
            }
        }
        let mut factor = Factor::new(&sym).unwrap();
        assert!(factor.factorize(&sym, &values));
        factor.select_inverse(&sym);
        let inverse = dense.clone().try_inverse().unwrap();
        let (col_ptr, row_idx) = (sym.l.col_ptr(), sym.l.row_idx());
        for j in 0..m {
            let range = col_ptr[j]..col_ptr[j + 1];
            for (&i, &z) in row_idx[range.clone()].iter().zip(&factor.inverse[range]) {
                assert!((z - inverse[(i, j)]).abs() < 1e-12, "entry ({i}, {j})");
            }
        }
        assert!((factor.logdet(&sym) - dense.determinant().ln()).abs() < 1e-9);
        let rhs: Vec<f64> = (0..2 * m).map(|_| rng.normal()).collect();
        let mut x = rhs.clone();
        factor.solve(&sym, &mut x, 2);
        for col in 0..2 {
            let xs = DMatrix::from_fn(m, 1, |i, _| x[i * 2 + col]);
            let product = &dense * xs;
            for i in 0..m {
                assert!((product[(i, 0)] - rhs[i * 2 + col]).abs() < 1e-10);
            }
        }
    }
}
