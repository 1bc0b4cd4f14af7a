//! The structure of the random effects' Hessian `H = Z'WZ + Q`, analysed once per model.
//!
//! The random effects are numbered term by term, level by level (levels without rows of an
//! unstructured term left out), column by column; the evaluator works in the permuted
//! numbering of the factorisation throughout, so solves need no permutation. `H` has an entry wherever two effects share
//! a row (`Z'WZ`) or a prior block (`Q`). Its pattern is ordered by approximate minimum degree
//! (faer's AMD), the elimination tree and the pattern of the Cholesky factor `L` are computed
//! once, and every place a value is added to `H` is resolved to its position in the value array
//! of the permuted upper triangle that the numeric factorisation reads, and to its position in
//! `L` (where the selected inverse is stored), so that each Newton step only adds numbers.

use faer::dyn_stack::{MemBuffer, MemStack, StackReq};
use faer::sparse::linalg::amd;
use faer::sparse::linalg::cholesky::simplicial::{self, SymbolicSimplicialCholesky};
use faer::sparse::linalg::cholesky::supernodal::{self, SymbolicSupernodalCholesky};
use faer::sparse::linalg::SymbolicSupernodalParams;
use faer::sparse::SymbolicSparseColMatRef;

use super::model::{SparseModel, Structure};
use crate::fit::FitError;

/// Where one term's effects sit in `b`.
#[derive(Clone, Debug)]
pub(super) struct TermLayout {
    pub offset: usize,
    pub q: usize,
    /// Compact position of each level of the factor (`usize::MAX` for a level without rows of
    /// an unstructured term).
    pub compact: Vec<usize>,
    /// Number of levels kept.
    pub count: usize,
    /// The term's range in the prior entries.
    pub prior: (usize, usize),
}

/// One entry of the lower triangle of `Q`: its effects `(i, j)` in the permuted numbering,
/// `(oi >= oj)` in the original one, and its positions in the factorisation's input and in `L`.
#[derive(Clone, Copy, Debug)]
pub(super) struct PriorEntry {
    pub i: u32,
    pub j: u32,
    pub oi: u32,
    pub oj: u32,
    pub a: u32,
    pub l: u32,
}

#[derive(Debug)]
pub(super) struct Symbolic {
    /// Number of random effects.
    pub m: usize,
    /// Fill-reducing permutation: `perm_inv[old] = new`.
    pub perm_inv: Vec<usize>,
    /// Pattern of the numeric factorisation's input (CSC, rows sorted): the upper triangle of
    /// the permuted `H` for the simplicial factorisation, the lower one for the supernodal.
    pub a_col_ptr: Vec<usize>,
    pub a_row_idx: Vec<usize>,
    /// Pattern of `L`.
    pub l: FactorPattern,
    /// Random-effect columns per row (`sum_t q_t`).
    pub width: usize,
    /// The effect (permuted numbering) each random-effect column of each row multiplies,
    /// `n x width`.
    pub coords: Vec<u32>,
    /// Its value, `n x width`.
    pub z: Vec<f64>,
    /// Pairs `(c1 <= c2)` of a row's columns, in the order `c2 = 0.., c1 = 0..=c2`.
    pub pairs: usize,
    /// Position of each row pair in the input values and in `L`, `n x pairs`.
    pub pair_a: Vec<u32>,
    pub pair_l: Vec<u32>,
    pub prior: Vec<PriorEntry>,
    pub terms: Vec<TermLayout>,
}

fn too_large(what: &str) -> FitError {
    FitError::UnsupportedRandomStructure {
        message: format!("the random effects are too large to fit: {what} exceeds 4,294,967,295"),
    }
}

fn memory(e: impl std::fmt::Debug) -> FitError {
    FitError::NumericalFailure {
        message: format!("the random effects' Hessian could not be analysed ({e:?})"),
    }
}

fn to_u32(v: usize, what: &str) -> Result<u32, FitError> {
    u32::try_from(v).map_err(|_| too_large(what))
}

/// Position of `row` in the sorted slice `rows` starting at `start`.
fn find(rows: &[usize], start: usize, row: usize) -> usize {
    start + rows.binary_search(&row).expect("the entry is in the analysed pattern")
}

/// CSC pattern (rows sorted) of the entries `(column, row)`.
fn compressed(m: usize, entries: impl Iterator<Item = (usize, usize)> + Clone) -> (Vec<usize>, Vec<usize>) {
    let mut col_ptr = vec![0usize; m + 1];
    for (c, _) in entries.clone() {
        col_ptr[c + 1] += 1;
    }
    for c in 0..m {
        col_ptr[c + 1] += col_ptr[c];
    }
    let mut row_idx = vec![0usize; col_ptr[m]];
    let mut next = col_ptr.clone();
    for (c, r) in entries {
        row_idx[next[c]] = r;
        next[c] += 1;
    }
    for c in 0..m {
        row_idx[col_ptr[c]..col_ptr[c + 1]].sort_unstable();
    }
    (col_ptr, row_idx)
}

/// Which numeric Cholesky factorisation to use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Factorisation {
    /// Supernodal where the factorisation costs more than [`SUPERNODAL_FLOPS_PER_ENTRY`]
    /// operations per entry of `L` (dense blocks, such as an exact spatial field), simplicial
    /// otherwise (a few entries per column, as for crossed and nested grouping factors).
    #[default]
    Automatic,
    /// Column by column.
    Simplicial,
    /// By supernodes: dense blocks of columns with the same pattern, with dense kernels.
    Supernodal,
}

/// The cost per entry of `L` above which [`Factorisation::Automatic`] is supernodal (faer's
/// own choice).
pub const SUPERNODAL_FLOPS_PER_ENTRY: f64 = 40.0;

/// The pattern of the Cholesky factor `L`.
#[derive(Debug)]
pub(super) enum FactorPattern {
    /// CSC, rows sorted, the diagonal first in each column.
    Simplicial(SymbolicSimplicialCholesky<usize>),
    /// Supernode `s` holds columns `begin[s]..end[s]` as a dense column-major block of
    /// `ncols + pattern.len()` rows: its own columns' rows, then the rows of its pattern.
    Supernodal { sym: SymbolicSupernodalCholesky<usize>, supernode_of: Vec<usize> },
}

impl FactorPattern {
    fn supernodal(sym: SymbolicSupernodalCholesky<usize>) -> FactorPattern {
        let mut supernode_of = vec![0; sym.nrows()];
        for s in 0..sym.n_supernodes() {
            supernode_of[sym.supernode_begin()[s]..sym.supernode_end()[s]].fill(s);
        }
        FactorPattern::Supernodal { sym, supernode_of }
    }

    /// Number of stored values.
    pub fn len(&self) -> usize {
        match self {
            FactorPattern::Simplicial(sym) => sym.len_val(),
            FactorPattern::Supernodal { sym, .. } => sym.len_val(),
        }
    }

    /// Position of entry `(row >= col)` in the value array.
    pub fn position(&self, row: usize, col: usize) -> usize {
        match self {
            FactorPattern::Simplicial(sym) => {
                let (col_ptr, row_idx) = (sym.col_ptr(), sym.row_idx());
                find(&row_idx[col_ptr[col]..col_ptr[col + 1]], col_ptr[col], row)
            }
            FactorPattern::Supernodal { sym, supernode_of } => {
                let s = supernode_of[col];
                let (begin, end) = (sym.supernode_begin()[s], sym.supernode_end()[s]);
                let pattern = sym.supernode(s).pattern();
                let ncols = end - begin;
                let local = if row < end { row - begin } else { ncols + find(pattern, 0, row) };
                sym.col_ptr_for_val()[s] + (col - begin) * (ncols + pattern.len()) + local
            }
        }
    }
}

impl Symbolic {
    pub fn new(model: &SparseModel, factorisation: Factorisation) -> Result<Symbolic, FitError> {
        let n = model.n();
        if model.terms.is_empty() {
            return Err(FitError::UnsupportedRandomStructure {
                message: "the model has no random effects".into(),
            });
        }
        let (terms, prior_ij, m) = term_layouts(model)?;
        let (width, mut coords, z) = row_effects(model, &terms);
        let pairs = width * (width + 1) / 2;
        to_u32(n * pairs, "the number of row pairs")?;
        let (low_col_ptr, low_row_idx) = lower_pattern(m, &prior_ij, &coords, width)?;
        let (perm_inv, flops) = ordering(m, &low_col_ptr, &low_row_idx)?;

        // Entry e = (i >= j) of the lower triangle lies at (r, c) = (min, max) of
        // (perm_inv[i], perm_inv[j]) in the permuted matrix.
        let mut targets = Vec::with_capacity(low_row_idx.len());
        for j in 0..m {
            for &i in &low_row_idx[low_col_ptr[j]..low_col_ptr[j + 1]] {
                let (pi, pj) = (perm_inv[i], perm_inv[j]);
                targets.push((pi.min(pj), pi.max(pj)));
            }
        }
        let (l, a_col_ptr, a_row_idx, supernodal) = factor_pattern(m, &targets, factorisation, flops)?;
        to_u32(l.len(), "the number of entries of the Cholesky factor")?;
        let a_pos: Vec<usize> = targets
            .iter()
            .map(|&(r, c)| {
                let (col, row) = if supernodal { (r, c) } else { (c, r) };
                find(&a_row_idx[a_col_ptr[col]..a_col_ptr[col + 1]], a_col_ptr[col], row)
            })
            .collect();
        let l_pos: Vec<usize> = targets.iter().map(|&(r, c)| l.position(c, r)).collect();
        drop(targets);

        // Entry number of (i >= j) in the lower triangle.
        let entry =
            |i: usize, j: usize| find(&low_row_idx[low_col_ptr[j]..low_col_ptr[j + 1]], low_col_ptr[j], i);
        let prior = prior_ij
            .iter()
            .map(|&(i, j)| {
                let e = entry(i, j);
                PriorEntry {
                    i: perm_inv[i] as u32,
                    j: perm_inv[j] as u32,
                    oi: i as u32,
                    oj: j as u32,
                    a: a_pos[e] as u32,
                    l: l_pos[e] as u32,
                }
            })
            .collect();
        let mut pair_a = Vec::with_capacity(n * pairs);
        let mut pair_l = Vec::with_capacity(n * pairs);
        for row in coords.chunks_exact(width.max(1)) {
            for c2 in 0..width {
                for c1 in 0..=c2 {
                    let (a, b) = (row[c1] as usize, row[c2] as usize);
                    let e = entry(a.max(b), a.min(b));
                    pair_a.push(a_pos[e] as u32);
                    pair_l.push(l_pos[e] as u32);
                }
            }
        }
        for c in &mut coords {
            *c = perm_inv[*c as usize] as u32;
        }
        Ok(Symbolic {
            m,
            perm_inv,
            a_col_ptr,
            a_row_idx,
            l,
            width,
            coords,
            z,
            pairs,
            pair_a,
            pair_l,
            prior,
            terms,
        })
    }

    /// Number of stored entries of `L`.
    pub fn factor_len(&self) -> usize {
        self.l.len()
    }

    /// Number of stored entries of the upper triangle of `H`.
    pub fn input_len(&self) -> usize {
        self.a_row_idx.len()
    }
}

/// What [`term_layouts`] returns.
type Layouts = (Vec<TermLayout>, Vec<(usize, usize)>, usize);

/// The terms' layouts in `b` and the entries `(i >= j)` of the lower triangle of `Q`, original
/// numbering; and the number of effects.
fn term_layouts(model: &SparseModel) -> Result<Layouts, FitError> {
    let mut terms = Vec::with_capacity(model.terms.len());
    let mut prior_ij: Vec<(usize, usize)> = Vec::new();
    let mut offset = 0;
    for term in &model.terms {
        let q = term.q;
        let start = prior_ij.len();
        let (compact, count) = match &term.structure {
            Structure::Unstructured => {
                let mut used = vec![false; term.levels];
                for &l in &term.index {
                    used[l] = true;
                }
                let mut next = 0;
                let compact: Vec<usize> = used
                    .iter()
                    .map(|&u| {
                        if u {
                            next += 1;
                            next - 1
                        } else {
                            usize::MAX
                        }
                    })
                    .collect();
                for l in 0..next {
                    for a in 0..q {
                        for c in 0..=a {
                            prior_ij.push((offset + l * q + a, offset + l * q + c));
                        }
                    }
                }
                (compact, next)
            }
            Structure::Precision(precision) => {
                let pattern = precision.pattern();
                for j in 0..term.levels {
                    for &i in &pattern.row_idx[pattern.col_ptr[j]..pattern.col_ptr[j + 1]] {
                        prior_ij.push((offset + i, offset + j));
                    }
                }
                ((0..term.levels).collect(), term.levels)
            }
        };
        terms.push(TermLayout { offset, q, compact, count, prior: (start, prior_ij.len()) });
        offset += count * q;
    }
    to_u32(offset, "the number of random effects")?;
    Ok((terms, prior_ij, offset))
}

/// Each row's effects (original numbering) and their values in `Z`, `width` per row.
fn row_effects(model: &SparseModel, terms: &[TermLayout]) -> (usize, Vec<u32>, Vec<f64>) {
    let n = model.n();
    let width: usize = terms.iter().map(|t| t.q).sum();
    let mut coords = Vec::with_capacity(n * width);
    let mut z = Vec::with_capacity(n * width);
    for i in 0..n {
        for (term, lay) in model.terms.iter().zip(terms) {
            let base = lay.offset + lay.compact[term.index[i]] * lay.q;
            for c in 0..lay.q {
                coords.push((base + c) as u32);
                z.push(term.z[i * lay.q + c]);
            }
        }
    }
    (width, coords, z)
}

/// The lower triangle of `H`'s pattern, original numbering (CSC, rows sorted): the prior
/// entries and every pair of effects that share a row.
fn lower_pattern(
    m: usize,
    prior_ij: &[(usize, usize)],
    coords: &[u32],
    width: usize,
) -> Result<(Vec<usize>, Vec<usize>), FitError> {
    let n = coords.len() / width.max(1);
    let mut keys: Vec<u64> = Vec::with_capacity(prior_ij.len() + n * width * (width + 1) / 2);
    keys.extend(prior_ij.iter().map(|&(i, j)| ((j as u64) << 32) | i as u64));
    for row in coords.chunks_exact(width.max(1)) {
        for c2 in 0..width {
            for c1 in 0..=c2 {
                let (a, b) = (row[c1] as u64, row[c2] as u64);
                keys.push((a.min(b) << 32) | a.max(b));
            }
        }
    }
    keys.sort_unstable();
    keys.dedup();
    to_u32(keys.len(), "the number of entries of the random effects' Hessian")?;
    let mut col_ptr = vec![0usize; m + 1];
    let mut row_idx = Vec::with_capacity(keys.len());
    for &k in &keys {
        col_ptr[(k >> 32) as usize + 1] += 1;
        row_idx.push((k & 0xffff_ffff) as usize);
    }
    for j in 0..m {
        col_ptr[j + 1] += col_ptr[j];
    }
    Ok((col_ptr, row_idx))
}

/// The fill-reducing ordering (approximate minimum degree) of the lower triangle
/// `(col_ptr, row_idx)`: `perm_inv[old] = new`, and the flops of the factorisation it gives.
fn ordering(m: usize, col_ptr: &[usize], row_idx: &[usize]) -> Result<(Vec<usize>, f64), FitError> {
    let mut perm = vec![0usize; m];
    let mut perm_inv = vec![0usize; m];
    let lower = SymbolicSparseColMatRef::new_checked(m, m, col_ptr, None, row_idx);
    let mut mem = MemBuffer::try_new(amd::order_scratch::<usize>(m, row_idx.len())).map_err(memory)?;
    let count = amd::order(&mut perm, &mut perm_inv, lower, amd::Control::default(), MemStack::new(&mut mem))
        .map_err(memory)?;
    Ok((perm_inv, count.n_div + count.n_mult_subs_ldl))
}

/// The symbolic Cholesky factorisation of the permuted `H` whose upper-triangle entries are
/// `targets` (`(row, column)`, row <= column), simplicial or supernodal as `factorisation` and
/// the `flops` decide; with the input pattern the numeric factorisation reads (the upper
/// triangle for the simplicial, the lower for the supernodal) and whether it is supernodal.
fn factor_pattern(
    m: usize,
    targets: &[(usize, usize)],
    factorisation: Factorisation,
    flops: f64,
) -> Result<(FactorPattern, Vec<usize>, Vec<usize>, bool), FitError> {
    let nnz = targets.len();
    // The symbolic analysis reads the upper triangle (column c, row r).
    let (up_col_ptr, up_row_idx) = compressed(m, targets.iter().map(|&(r, c)| (c, r)));
    let upper = SymbolicSparseColMatRef::new_checked(m, m, &up_col_ptr, None, &up_row_idx);
    let mut mem = MemBuffer::try_new(StackReq::any_of(&[
        simplicial::prefactorize_symbolic_cholesky_scratch::<usize>(m, nnz),
        simplicial::factorize_simplicial_symbolic_cholesky_scratch::<usize>(m),
        supernodal::factorize_supernodal_symbolic_cholesky_scratch::<usize>(m),
    ]))
    .map_err(memory)?;
    let mut etree = vec![0isize; m];
    let mut col_counts = vec![0usize; m];
    let tree = simplicial::prefactorize_symbolic_cholesky(
        &mut etree,
        &mut col_counts,
        upper,
        MemStack::new(&mut mem),
    );
    let supernodal = match factorisation {
        Factorisation::Simplicial => false,
        Factorisation::Supernodal => true,
        Factorisation::Automatic => {
            flops > SUPERNODAL_FLOPS_PER_ENTRY * col_counts.iter().sum::<usize>() as f64
        }
    };
    if supernodal {
        let sym = supernodal::factorize_supernodal_symbolic_cholesky(
            upper,
            tree,
            &col_counts,
            MemStack::new(&mut mem),
            SymbolicSupernodalParams::default(),
        )
        .map_err(memory)?;
        // The numeric supernodal factorisation reads the lower triangle.
        let (a_col_ptr, a_row_idx) = compressed(m, targets.iter().copied());
        Ok((FactorPattern::supernodal(sym), a_col_ptr, a_row_idx, true))
    } else {
        let sym = simplicial::factorize_simplicial_symbolic_cholesky(
            upper,
            tree,
            &col_counts,
            MemStack::new(&mut mem),
        )
        .map_err(memory)?;
        Ok((FactorPattern::Simplicial(sym), up_col_ptr, up_row_idx, false))
    }
}
