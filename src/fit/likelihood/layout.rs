//! The data rearranged for fitting: rows sorted by grouping level, the model matrix and the
//! random-effect columns stored row by row, for the random-effect structures the block-arrow
//! Laplace approximation takes (at most two grouping factors, one nested in the other).
//!
//! Random-effect terms on the same grouping factor are stacked into one block per level
//! (their covariance matrices stay separate: `Sigma` is block diagonal over the terms). With
//! one grouping factor every level is an independent block. With two, the inner factor must be
//! nested in the outer one (each inner level inside a single outer level); the Hessian of the
//! random effects of one outer level is then block-arrow shaped: the outer block coupled to the
//! diagonal blocks of its inner levels. Levels without rows are left out: their random effects
//! stay at zero and contribute nothing to the likelihood.

use super::family::Response;
use crate::design::Design;
use crate::fit::structure::{GroupingFactor, RandomStructure};
use crate::fit::FitError;

/// Rows of one level of the outer grouping factor, with its inner levels.
#[derive(Clone, Debug)]
pub struct OuterGroup {
    /// Sorted-row range.
    pub rows: (usize, usize),
    /// Range in [`Layout::inner`].
    pub inner: (usize, usize),
    /// Level index in the grouping factor.
    pub level: usize,
}

/// Rows of one level of the inner grouping factor.
#[derive(Clone, Debug)]
pub struct InnerGroup {
    pub rows: (usize, usize),
    pub level: usize,
}

/// Where a design random-effect term sits: factor 0 (outer) or 1 (inner), and its column
/// offset in that factor's block.
#[derive(Clone, Copy, Debug)]
pub struct TermSlot {
    pub factor: usize,
    pub offset: usize,
    pub q: usize,
}

#[derive(Clone, Debug)]
pub struct Layout {
    pub n: usize,
    pub p: usize,
    /// Design row of each sorted row.
    pub order: Vec<usize>,
    pub response: Response,
    pub offset: Vec<f64>,
    /// Kept model-matrix columns, `n x p` row-major, sorted rows.
    pub x: Vec<f64>,
    /// Block sizes of the outer and inner factors (0 when absent).
    pub qa: usize,
    pub qb: usize,
    /// Outer-factor random-effect columns, `n x qa` row-major.
    pub zo: Vec<f64>,
    /// Inner-factor random-effect columns, `n x qb` row-major.
    pub zi: Vec<f64>,
    pub outer: Vec<OuterGroup>,
    pub inner: Vec<InnerGroup>,
    /// Outer factor first, then the inner one.
    pub factors: Vec<GroupingFactor>,
    /// One per design random-effect term.
    pub slots: Vec<TermSlot>,
    /// Zero-inflation model matrix, `n x pz` row-major, sorted rows (`pz = 0` without zero
    /// inflation).
    pub pz: usize,
    pub xz: Vec<f64>,
}

/// Source-file row number of design row `i`, for messages.
pub fn source_row(design: &Design, i: usize) -> usize {
    design.rows.get(i).copied().unwrap_or(i + 1)
}

/// Checks the design for values the families cannot take.
pub fn validate(design: &Design) -> Result<(), FitError> {
    let n = design.y.len();
    if n == 0 {
        return Err(FitError::EmptyDesign);
    }
    let mismatch =
        |what: &str, found: usize| FitError::DimensionMismatch { what: what.to_string(), expected: n, found };
    if design.offset.len() != n {
        return Err(mismatch("the offset", design.offset.len()));
    }
    if design.x.nrows() != n {
        return Err(mismatch("the fixed-effects model matrix", design.x.nrows()));
    }
    if design.x_names.len() != design.x.ncols() {
        return Err(FitError::DimensionMismatch {
            what: "the list of fixed-effect names".into(),
            expected: design.x.ncols(),
            found: design.x_names.len(),
        });
    }
    if design.x_columns.len() != design.x.ncols() {
        return Err(FitError::DimensionMismatch {
            what: "the list of fixed-effect columns".into(),
            expected: design.x.ncols(),
            found: design.x_columns.len(),
        });
    }
    if design.x.ncols() == 0 {
        return Err(FitError::NoFixedEffects);
    }
    for (i, &y) in design.y.iter().enumerate() {
        if !(y.is_finite() && y >= 0.0 && y.fract() == 0.0) {
            return Err(FitError::InvalidResponse { row: source_row(design, i), value: y });
        }
    }
    if design.y.iter().all(|&y| y == 0.0) {
        return Err(FitError::AllZeroResponse);
    }
    for (i, &o) in design.offset.iter().enumerate() {
        if !o.is_finite() {
            return Err(FitError::InvalidOffset { row: source_row(design, i), value: o });
        }
    }
    // Column-major storage: the first non-finite value column by column.
    if let Some(k) = design.x.iter().position(|v| !v.is_finite()) {
        let (i, j) = (k % n, k / n);
        return Err(FitError::InvalidCovariate {
            row: source_row(design, i),
            column: design.x_names[j].clone(),
            value: design.x[(i, j)],
        });
    }
    for term in &design.random {
        let bad = |message: String| FitError::InvalidRandomTerm { group: term.group.clone(), message };
        if term.terms.is_empty() || term.z.ncols() != term.terms.len() {
            return Err(bad(format!(
                "the term has {} named columns but {} value columns",
                term.terms.len(),
                term.z.ncols()
            )));
        }
        if term.z.nrows() != n || term.index.len() != n {
            return Err(bad(format!(
                "the term has {} rows of values and {} level indices but the data have {n} rows",
                term.z.nrows(),
                term.index.len()
            )));
        }
        if let Some(i) = term.index.iter().position(|&g| g >= term.levels.len()) {
            return Err(bad(format!(
                "row {} refers to level {} but the factor has {} levels",
                source_row(design, i),
                term.index[i] + 1,
                term.levels.len()
            )));
        }
        for j in 0..term.z.ncols() {
            for i in 0..n {
                if !term.z[(i, j)].is_finite() {
                    return Err(bad(format!(
                        "row {}: column '{}' must be a finite number, found {}",
                        source_row(design, i),
                        term.terms[j],
                        term.z[(i, j)]
                    )));
                }
            }
        }
    }
    Ok(())
}

/// The grouping factors of `structure`, outer first, when the block-arrow layout takes them:
/// none, one, or two with one nested in the other.
fn block_arrow_factors(structure: &RandomStructure) -> Result<Vec<GroupingFactor>, FitError> {
    let f = &structure.factors;
    match f.len() {
        0 | 1 => Ok(f.clone()),
        2 if structure.is_nested(1, 0) => Ok(f.clone()),
        2 if structure.is_nested(0, 1) => Ok(vec![f[1].clone(), f[0].clone()]),
        2 => Err(FitError::CrossedRandomEffects { first: f[0].name.clone(), second: f[1].name.clone() }),
        n => {
            let names: Vec<&str> = f.iter().map(|f| f.name.as_str()).collect();
            Err(FitError::UnsupportedRandomStructure {
                message: format!(
                    "random effects on {n} grouping factors ({}) are not supported; use at most two, \
                     one nested inside the other",
                    names.join(", ")
                ),
            })
        }
    }
}

/// Checks that the block-arrow layout takes `structure` (see [`Layout::new`]).
pub fn check(structure: &RandomStructure) -> Result<(), FitError> {
    block_arrow_factors(structure).map(|_| ())
}

/// `(rows, level)` of each run of equal `level(r)` over `rows[range]` (sorted by level).
fn runs(order: &[usize], (start, end): (usize, usize), level: &[usize]) -> Vec<((usize, usize), usize)> {
    let mut out = Vec::new();
    let mut s = start;
    while s < end {
        let l = level[order[s]];
        let mut e = s;
        while e < end && level[order[e]] == l {
            e += 1;
        }
        out.push(((s, e), l));
        s = e;
    }
    out
}

impl Layout {
    /// Builds the layout of a validated design whose random effects have the structure
    /// `structure`, keeping the model-matrix columns `kept`. Fails for a structure the
    /// block-arrow layout does not take (more than two grouping factors, or two crossed).
    pub fn new(design: &Design, kept: &[usize], structure: &RandomStructure) -> Result<Layout, FitError> {
        let n = design.y.len();
        let factors = block_arrow_factors(structure)?;
        let qa = factors.first().map_or(0, |f| f.columns);
        let qb = factors.get(1).map_or(0, |f| f.columns);
        let index_of = |f: &GroupingFactor| &design.random[f.terms[0]].index;
        let outer_index: Option<&Vec<usize>> = factors.first().map(index_of);
        let inner_index: Option<&Vec<usize>> = factors.get(1).map(index_of);

        let mut order: Vec<usize> = (0..n).collect();
        if let Some(oi) = outer_index {
            match inner_index {
                Some(ii) => order.sort_by_key(|&r| (oi[r], ii[r])),
                None => order.sort_by_key(|&r| oi[r]),
            }
        }

        let mut slots = vec![TermSlot { factor: 0, offset: 0, q: 0 }; design.random.len()];
        for (fi, f) in factors.iter().enumerate() {
            let mut offset = 0;
            for &k in &f.terms {
                let q = design.random[k].terms.len();
                slots[k] = TermSlot { factor: fi, offset, q };
                offset += q;
            }
        }

        let p = kept.len();
        let mut x = Vec::with_capacity(n * p);
        let mut zo = Vec::with_capacity(n * qa);
        let mut zi = Vec::with_capacity(n * qb);
        for &r in &order {
            x.extend(kept.iter().map(|&j| design.x[(r, j)]));
            for (fi, f) in factors.iter().enumerate() {
                let target = if fi == 0 { &mut zo } else { &mut zi };
                for &k in &f.terms {
                    let z = &design.random[k].z;
                    target.extend((0..z.ncols()).map(|c| z[(r, c)]));
                }
            }
        }

        let mut outer = Vec::new();
        let mut inner = Vec::new();
        if let Some(oi) = outer_index {
            for (rows, level) in runs(&order, (0, n), oi) {
                let inner_start = inner.len();
                if let Some(ii) = inner_index {
                    inner.extend(
                        runs(&order, rows, ii).into_iter().map(|(rows, level)| InnerGroup { rows, level }),
                    );
                }
                outer.push(OuterGroup { rows, inner: (inner_start, inner.len()), level });
            }
        }

        let y: Vec<f64> = order.iter().map(|&r| design.y[r]).collect();
        let trials = design.trials.as_ref().map(|n| order.iter().map(|&r| n[r]).collect());
        let offset = order.iter().map(|&r| design.offset[r]).collect();
        Ok(Layout {
            n,
            p,
            order,
            response: Response::with_trials(y, trials),
            offset,
            x,
            qa,
            qb,
            zo,
            zi,
            outer,
            inner,
            factors,
            slots,
            pz: 0,
            xz: Vec::new(),
        })
    }

    /// Adds the zero-inflation model matrix `xz` (design row order, one row per design row).
    pub fn set_zero_inflation(&mut self, xz: &nalgebra::DMatrix<f64>) {
        self.pz = xz.ncols();
        self.xz = self.order.iter().flat_map(|&r| (0..xz.ncols()).map(move |j| xz[(r, j)])).collect();
    }

    /// Row `i` of the model matrix.
    #[inline]
    pub fn x_row(&self, i: usize) -> &[f64] {
        &self.x[i * self.p..(i + 1) * self.p]
    }
}
