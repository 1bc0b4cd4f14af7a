//! The numeric Cholesky factorisation of `H` (faer's simplicial or supernodal `L L'`), solves
//! with it, and the selected inverse: the entries of `H^-1` on the pattern of `L`.
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
//! the off-diagonal entries of a column before its diagonal.
//!
//! Simplicial factor: column `j` is computed by walking the columns `k` of `struct(j)`: each
//! stored `Z_ik` (column `k`, `i > k`) with `i` in `struct(j)` adds `L_kj Z_ik` to row `i`'s
//! sum and `L_ij Z_ik` to row `k`'s; `Z_kk` adds `L_kj Z_kk` to row `k`'s.
//!
//! Supernodal factor: the same recurrence by blocks. For a supernode with columns `C` and
//! pattern `R` (the rows below its dense diagonal block), `Z_RC L_CC + Z_RR L_RC = 0` and
//! `Z_CC L_CC + Z_CR L_RC = L_CC^-T`, so with `Y = L_RC L_CC^-1`:
//! `Z_RC = -Z_RR Y` and `Z_CC = L_CC^-T L_CC^-1 - Y' Z_RC`, where `Z_RR` is gathered from the
//! blocks of later supernodes; products and the triangular inverse use faer's dense kernels.
//! The cost is that of the factorisation in both cases.

use faer::dyn_stack::{MemBuffer, MemStack, StackReq};
use faer::linalg::cholesky::llt::factor::LltRegularization;
use faer::linalg::matmul::matmul;
use faer::linalg::matmul::triangular::{self, BlockStructure};
use faer::linalg::triangular_inverse::invert_lower_triangular;
use faer::sparse::linalg::cholesky::{simplicial, supernodal};
use faer::sparse::{SparseColMatRef, SymbolicSparseColMatRef};
use faer::{Accum, Conj, MatMut, MatRef, Par};

use super::symbolic::{FactorPattern, Symbolic};
use crate::fit::FitError;

pub(super) struct Factor {
    /// Values of `L`.
    pub l: Vec<f64>,
    /// `H^-1` on the pattern of `L`, after [`Factor::select_inverse`].
    pub inverse: Vec<f64>,
    mem: MemBuffer,
    /// Workspace of the supernodal solve, for up to `solve_columns` right-hand sides.
    solve_mem: MemBuffer,
    solve_columns: usize,
    /// Workspace of the simplicial selected inversion: position of a row in the current
    /// column's pattern, and the column's sums.
    slot: Vec<usize>,
    sums: Vec<f64>,
    /// Workspace of the supernodal selected inversion: `L_CC^-1`, `Y` and `Z_RR` of the
    /// largest supernode.
    linv: Vec<f64>,
    y: Vec<f64>,
    zrr: Vec<f64>,
}

impl std::fmt::Debug for Factor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Factor").field("entries", &self.l.len()).finish_non_exhaustive()
    }
}

/// Columns `begin..end`, pattern below the diagonal block, and where the block's values start.
struct Supernode<'a> {
    begin: usize,
    ncols: usize,
    pattern: &'a [usize],
    offset: usize,
}

impl Supernode<'_> {
    fn nrows(&self) -> usize {
        self.ncols + self.pattern.len()
    }

    /// Position of local entry `(row, col)` of the block.
    fn at(&self, row: usize, col: usize) -> usize {
        self.offset + col * self.nrows() + row
    }
}

fn supernode(sym: &supernodal::SymbolicSupernodalCholesky<usize>, s: usize) -> Supernode<'_> {
    let begin = sym.supernode_begin()[s];
    Supernode {
        begin,
        ncols: sym.supernode_end()[s] - begin,
        pattern: sym.supernode(s).pattern(),
        offset: sym.col_ptr_for_val()[s],
    }
}

fn memory(e: impl std::fmt::Debug) -> FitError {
    FitError::NumericalFailure { message: format!("no memory for the random effects' factorisation ({e:?})") }
}

impl Factor {
    /// The numeric factor of `sym`'s pattern, with workspace for solves with up to
    /// `solve_columns` right-hand sides at once.
    pub fn new(sym: &Symbolic, solve_columns: usize) -> Result<Factor, FitError> {
        let solve_columns = solve_columns.max(1);
        let (req, solve_req, (linv, y, zrr)) = match &sym.l {
            FactorPattern::Simplicial(_) => (
                simplicial::factorize_simplicial_numeric_llt_scratch::<usize, f64>(sym.m),
                StackReq::EMPTY,
                (0, 0, 0),
            ),
            FactorPattern::Supernodal { sym: sup, .. } => {
                let req = supernodal::factorize_supernodal_numeric_llt_scratch::<usize, f64>(
                    sup,
                    Par::Seq,
                    Default::default(),
                );
                let sizes = (0..sup.n_supernodes()).fold((0, 0, 0), |(a, b, c), s| {
                    let node = supernode(sup, s);
                    let (k, r) = (node.ncols, node.pattern.len());
                    (a.max(k * k), b.max(r * k), c.max(r * r))
                });
                (req, sup.solve_in_place_scratch::<f64>(solve_columns, Par::Seq), sizes)
            }
        };
        let mem = MemBuffer::try_new(StackReq::any_of(&[req])).map_err(memory)?;
        let solve_mem = MemBuffer::try_new(solve_req).map_err(memory)?;
        Ok(Factor {
            l: vec![0.0; sym.factor_len()],
            inverse: vec![0.0; sym.factor_len()],
            mem,
            solve_mem,
            solve_columns,
            slot: vec![usize::MAX; sym.m],
            sums: vec![0.0; sym.m],
            linv: vec![0.0; linv],
            y: vec![0.0; y],
            zrr: vec![0.0; zrr],
        })
    }

    /// Factorises the permuted `H` with the values `a` on `sym`'s input pattern (its upper
    /// triangle for the simplicial factorisation, its lower one for the supernodal). Returns
    /// `false` if `H` is not (numerically) positive definite.
    pub fn factorize(&mut self, sym: &Symbolic, a: &[f64]) -> bool {
        let pattern =
            SymbolicSparseColMatRef::new_checked(sym.m, sym.m, &sym.a_col_ptr, None, &sym.a_row_idx);
        let matrix = SparseColMatRef::new(pattern, a);
        let stack = MemStack::new(&mut self.mem);
        match &sym.l {
            FactorPattern::Simplicial(l) => simplicial::factorize_simplicial_numeric_llt::<usize, f64>(
                &mut self.l,
                matrix,
                LltRegularization::default(),
                l,
                stack,
            )
            .is_ok(),
            FactorPattern::Supernodal { sym: l, .. } => {
                supernodal::factorize_supernodal_numeric_llt::<usize, f64>(
                    &mut self.l,
                    matrix,
                    LltRegularization::default(),
                    l,
                    Par::Seq,
                    stack,
                    Default::default(),
                )
                .is_ok()
            }
        }
    }

    /// `ln|H|`.
    pub fn logdet(&self, sym: &Symbolic) -> f64 {
        let half = match &sym.l {
            FactorPattern::Simplicial(l) => (0..sym.m).map(|j| self.l[l.col_ptr()[j]].ln()).sum::<f64>(),
            FactorPattern::Supernodal { sym: l, .. } => (0..l.n_supernodes())
                .map(|s| {
                    let node = supernode(l, s);
                    (0..node.ncols).map(|j| self.l[node.at(j, j)].ln()).sum::<f64>()
                })
                .sum(),
        };
        2.0 * half
    }

    /// Solves `H x = r` in the permuted numbering for `k` right-hand sides stored row by row
    /// (`x` is `m x k`, row-major), in place.
    pub fn solve(&mut self, sym: &Symbolic, x: &mut [f64], k: usize) {
        match &sym.l {
            FactorPattern::Simplicial(l) => {
                let (col_ptr, row_idx) = (l.col_ptr(), l.row_idx());
                // Column j of L: its diagonal, then (row, value) pairs below it.
                let column = |j: usize| {
                    let (start, end) = (col_ptr[j], col_ptr[j + 1]);
                    (
                        self.l[start],
                        row_idx[start + 1..end].iter().copied().zip(self.l[start + 1..end].iter().copied()),
                    )
                };
                if k == 1 {
                    solve_one(sym.m, &column, x);
                } else {
                    solve_many(sym.m, &column, x, k);
                }
            }
            FactorPattern::Supernodal { sym: l, .. } => {
                // By blocks: dense triangular solves and products per supernode (faer's).
                if k > self.solve_columns {
                    self.solve_columns = k;
                    self.solve_mem = MemBuffer::new(l.solve_in_place_scratch::<f64>(k, Par::Seq));
                }
                let factor = supernodal::SupernodalLltRef::<usize, f64>::new(l, &self.l);
                let rhs = MatMut::from_row_major_slice_mut(x, sym.m, k);
                factor.solve_in_place_with_conj(Conj::No, rhs, Par::Seq, MemStack::new(&mut self.solve_mem));
            }
        }
    }

    /// Computes `H^-1` on the pattern of `L` into [`Factor::inverse`] (see the module doc).
    pub fn select_inverse(&mut self, sym: &Symbolic) {
        match &sym.l {
            FactorPattern::Simplicial(l) => self.select_simplicial(l),
            FactorPattern::Supernodal { sym: l, supernode_of } => self.select_supernodal(l, supernode_of),
        }
    }

    fn select_simplicial(&mut self, sym: &simplicial::SymbolicSimplicialCholesky<usize>) {
        let (col_ptr, row_idx) = (sym.col_ptr(), sym.row_idx());
        let (l, z) = (&self.l, &mut self.inverse);
        let (slot, sums) = (&mut self.slot, &mut self.sums);
        for j in (0..col_ptr.len() - 1).rev() {
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

    fn select_supernodal(
        &mut self,
        sym: &supernodal::SymbolicSupernodalCholesky<usize>,
        supernode_of: &[usize],
    ) {
        for s in (0..sym.n_supernodes()).rev() {
            let node = supernode(sym, s);
            let (kc, nr, nrows) = (node.ncols, node.pattern.len(), node.nrows());
            let block = node.offset..node.offset + nrows * kc;
            let lcc = MatRef::from_column_major_slice_with_stride(&self.l[block.clone()], kc, kc, nrows);
            self.linv[..kc * kc].fill(0.0);
            let linv = MatMut::from_column_major_slice_mut(&mut self.linv[..kc * kc], kc, kc);
            invert_lower_triangular(linv, lcc, Par::Seq);
            // Z_RR from the blocks of later supernodes (each column's rows in the block of the
            // supernode holding that column, found by walking the two sorted lists).
            for b in 0..nr {
                let rb = node.pattern[b];
                let t = supernode(sym, supernode_of[rb]);
                let column = rb - t.begin;
                let mut p = 0;
                for a in b..nr {
                    let ra = node.pattern[a];
                    let local = if ra < t.begin + t.ncols {
                        ra - t.begin
                    } else {
                        while t.pattern[p] < ra {
                            p += 1;
                        }
                        t.ncols + p
                    };
                    let v = self.inverse[t.at(local, column)];
                    self.zrr[a + b * nr] = v;
                    self.zrr[b + a * nr] = v;
                }
            }
            let linv = MatRef::from_column_major_slice(&self.linv[..kc * kc], kc, kc);
            let zrr = MatRef::from_column_major_slice(&self.zrr[..nr * nr], nr, nr);
            // Y = L_RC L_CC^-1.
            let lrc = MatRef::from_column_major_slice_with_stride(
                &self.l[block.start + kc..block.end],
                nr,
                kc,
                nrows,
            );
            let mut y = MatMut::from_column_major_slice_mut(&mut self.y[..nr * kc], nr, kc);
            matmul(y.as_mut(), Accum::Replace, lrc, linv, 1.0, Par::Seq);
            let y = y.as_ref();
            let z =
                MatMut::from_column_major_slice_with_stride_mut(&mut self.inverse[block], nrows, kc, nrows);
            let (mut zcc, mut zrc) = z.split_at_row_mut(kc);
            // Z_RC = -Z_RR Y; Z_CC = L_CC^-T L_CC^-1 - Y' Z_RC (its lower triangle, the part
            // read: the objective reads entries on and below the diagonal only).
            matmul(zrc.as_mut(), Accum::Replace, zrr, y, -1.0, Par::Seq);
            let lower = BlockStructure::TriangularLower;
            let (upper, full) = (BlockStructure::TriangularUpper, BlockStructure::Rectangular);
            triangular::matmul(
                zcc.as_mut(),
                lower,
                Accum::Replace,
                linv.transpose(),
                upper,
                linv,
                lower,
                1.0,
                Par::Seq,
            );
            triangular::matmul(
                zcc.as_mut(),
                lower,
                Accum::Add,
                y.transpose(),
                full,
                zrc.as_ref(),
                full,
                -1.0,
                Par::Seq,
            );
        }
    }
}

/// Solves `L L' x = r` for one right-hand side, `column(j)` giving the diagonal of column `j`
/// of `L` and its (row, value) pairs below the diagonal.
fn solve_one<I: Iterator<Item = (usize, f64)>>(m: usize, column: &impl Fn(usize) -> (f64, I), x: &mut [f64]) {
    for j in 0..m {
        let (d, below) = column(j);
        let xj = x[j] / d;
        x[j] = xj;
        for (i, lij) in below {
            x[i] -= lij * xj;
        }
    }
    for j in (0..m).rev() {
        let (d, below) = column(j);
        let mut xj = x[j];
        for (i, lij) in below {
            xj -= lij * x[i];
        }
        x[j] = xj / d;
    }
}

/// [`solve_one`] for `k` right-hand sides stored row by row.
fn solve_many<I: Iterator<Item = (usize, f64)>>(
    m: usize,
    column: &impl Fn(usize) -> (f64, I),
    x: &mut [f64],
    k: usize,
) {
    for j in 0..m {
        let (d, below) = column(j);
        let (head, tail) = x.split_at_mut((j + 1) * k);
        let xj = &mut head[j * k..];
        xj.iter_mut().for_each(|v| *v /= d);
        for (i, lij) in below {
            let xi = &mut tail[(i - j - 1) * k..(i - j) * k];
            for (a, b) in xi.iter_mut().zip(xj.iter()) {
                *a -= lij * b;
            }
        }
    }
    for j in (0..m).rev() {
        let (d, below) = column(j);
        let (head, tail) = x.split_at_mut((j + 1) * k);
        let xj = &mut head[j * k..];
        for (i, lij) in below {
            let xi = &tail[(i - j - 1) * k..(i - j) * k];
            for (a, b) in xj.iter_mut().zip(xi) {
                *a -= lij * b;
            }
        }
        xj.iter_mut().for_each(|v| *v /= d);
    }
}

#[cfg(test)]
mod tests {
    use super::super::model::{EffectTerm, SparseModel};
    use super::super::symbolic::{Factorisation, Symbolic};
    use super::*;
    use crate::fit::testdata::Rng;
    use nalgebra::DMatrix;

    /// On the pattern of a crossed model with a random slope, random values: the selected
    /// inverse equals the dense inverse wherever `L` has an entry, the solve inverts `H` and
    /// the log-determinant is right.
    #[test]
    fn selected_inverse_and_solve_match_dense_algebra() {
        for factorisation in [Factorisation::Simplicial, Factorisation::Supernodal] {
            check_against_dense(factorisation);
        }
    }

    fn check_against_dense(factorisation: Factorisation) {
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
        let sym = Symbolic::new(&model, factorisation).unwrap();
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
        let mut factor = Factor::new(&sym, 2).unwrap();
        assert!(factor.factorize(&sym, &values));
        factor.select_inverse(&sym);
        let inverse = dense.clone().try_inverse().unwrap();
        // Every entry of H's pattern (where the objective reads the inverse).
        for entry in &sym.prior {
            let (i, j) = (entry.i as usize, entry.j as usize);
            let z = factor.inverse[entry.l as usize];
            assert!((z - inverse[(i, j)]).abs() < 1e-12, "{factorisation:?}: entry ({i}, {j})");
        }
        for r in 0..n {
            let coords = &sym.coords[r * sym.width..(r + 1) * sym.width];
            let mut k = 0;
            for c2 in 0..sym.width {
                for c1 in 0..=c2 {
                    let (i, j) = (coords[c1] as usize, coords[c2] as usize);
                    let z = factor.inverse[sym.pair_l[r * sym.pairs + k] as usize];
                    assert!(
                        (z - inverse[(i, j)]).abs() < 1e-12,
                        "{factorisation:?}: row {r} pair ({i}, {j})"
                    );
                    k += 1;
                }
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
