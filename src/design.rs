//! The numeric description of a model that the fitting engine consumes.
//!
//! A [`Design`] is what a formula becomes once it has been evaluated against a data frame:
//! the response `y`, the log offset, the fixed-effects model matrix `X` (columns named as R
//! names them) and, for every random-effect term, the raw random-effects columns `Z_k` with the
//! grouping factor that indexes them. The linear predictor of row `i` is
//!
//! `eta_i = offset_i + x_i' beta + sum_k z_ki' b_k[g_k(i)]`
//!
//! where `b_k[j]` is the random-effect vector of level `j` of grouping factor `k`,
//! `b_k[j] ~ N(0, Sigma_k)` independently over levels, and `Sigma_k` is a full (correlated)
//! covariance matrix of size `terms.len()`.

use nalgebra::DMatrix;
use serde::Serialize;

/// A model ready to fit: rows with a missing value in a used column have already been dropped.
#[derive(Debug, Clone)]
pub struct Design {
    /// Response counts (non-negative integers stored as f64), length n.
    pub y: Vec<f64>,
    /// Log offset per row (0 where the formula has none), length n.
    pub offset: Vec<f64>,
    /// Fixed-effects model matrix, n x p.
    pub x: DMatrix<f64>,
    /// Column names of `x`, as R's `model.matrix` names them (`(Intercept)`, `a:b`, `colLevel`).
    pub x_names: Vec<String>,
    /// Random-effect terms in formula order; `(1 | a/b)` has been expanded to `(1 | a)` and
    /// `(1 | a:b)`.
    pub random: Vec<RandomTerm>,
    /// Source-file row numbers (1-based, header excluded) of the rows kept, length n.
    pub rows: Vec<usize>,
    /// How many rows were dropped because a used column was missing (R's `na.omit`).
    pub dropped_missing: usize,
}

/// One random-effect term `(terms | group)`.
#[derive(Debug, Clone)]
pub struct RandomTerm {
    /// Grouping factor name as R prints it (`la`, `la:msoa`).
    pub group: String,
    /// Names of the random-effect columns (`(Intercept)`, `imd_within`).
    pub terms: Vec<String>,
    /// Raw random-effects columns, n x terms.len().
    pub z: DMatrix<f64>,
    /// Level index of each row, in `0..levels.len()`.
    pub index: Vec<usize>,
    /// Level labels.
    pub levels: Vec<String>,
}

/// Summary of a design, for reports.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GroupCount {
    pub group: String,
    pub levels: usize,
}

impl Design {
    /// Number of rows.
    pub fn nobs(&self) -> usize {
        self.y.len()
    }

    /// Number of levels of every grouping factor.
    pub fn group_counts(&self) -> Vec<GroupCount> {
        self.random.iter().map(|r| GroupCount { group: r.group.clone(), levels: r.levels.len() }).collect()
    }
}
