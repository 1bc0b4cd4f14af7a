//! The description of a model with general random effects: the response, offset and fixed
//! effects, and a list of random-effect terms, each with its grouping factor, its columns and
//! how its effects are distributed over the levels.

use super::structured::PrecisionModel;
use crate::design::{Design, FieldLocations};
use crate::fit::likelihood::covariance::parameter_count;
use crate::fit::likelihood::family::Response;
use crate::fit::likelihood::layout;
use crate::fit::FitError;

/// How the effects of one term are distributed over its levels.
#[derive(Debug)]
pub enum Structure {
    /// `b_l ~ N(0, Sigma)` independently over the levels, `Sigma` a full `q x q` covariance
    /// parametrised as glmmTMB's `us`: `q` log standard deviations, then `q (q - 1) / 2`
    /// correlation parameters (see `TermCovariance`). Levels without rows are left out: their
    /// effects stay at zero and contribute nothing to the likelihood.
    Unstructured,
    /// One effect per level (`q = 1`), `u ~ N(0, Q(theta)^-1)` jointly over all the levels,
    /// with and without rows.
    Precision(Box<dyn PrecisionModel>),
}

/// One random-effect term: row `i` adds `z_i' b_{index[i]}` to its linear predictor.
#[derive(Debug)]
pub struct EffectTerm {
    /// The grouping factor as R prints it (`la_code`, `la:msoa`, `pos`), for messages.
    pub name: String,
    /// Number of levels of the grouping factor.
    pub levels: usize,
    /// Level of each row, in `0..levels`.
    pub index: Vec<usize>,
    /// Number of random-effect columns (`q`).
    pub q: usize,
    /// The random-effect columns, `n x q` row-major.
    pub z: Vec<f64>,
    pub structure: Structure,
}

impl EffectTerm {
    /// An unstructured term (see [`Structure::Unstructured`]).
    pub fn unstructured(name: &str, levels: usize, index: Vec<usize>, q: usize, z: Vec<f64>) -> EffectTerm {
        EffectTerm { name: name.into(), levels, index, q, z, structure: Structure::Unstructured }
    }

    /// A structured term with one column `z` (usually all ones) over the levels of `model`.
    pub fn structured(
        name: &str,
        index: Vec<usize>,
        z: Vec<f64>,
        model: Box<dyn PrecisionModel>,
    ) -> EffectTerm {
        EffectTerm {
            name: name.into(),
            levels: model.dimension(),
            index,
            q: 1,
            z,
            structure: Structure::Precision(model),
        }
    }

    /// Number of covariance parameters of the term.
    pub fn parameter_count(&self) -> usize {
        match &self.structure {
            Structure::Unstructured => parameter_count(self.q),
            Structure::Precision(model) => model.parameter_names().len(),
        }
    }

    fn check(&self, n: usize) -> Result<(), FitError> {
        let bad = |message: String| FitError::InvalidRandomTerm { group: self.name.clone(), message };
        if self.q == 0 {
            return Err(bad("the term has no random-effect columns".into()));
        }
        if self.index.len() != n || self.z.len() != n * self.q {
            return Err(bad(format!(
                "the term has {} level indices and {} values for {} columns, but the data have {n} rows",
                self.index.len(),
                self.z.len(),
                self.q
            )));
        }
        if let Some(i) = self.index.iter().position(|&l| l >= self.levels) {
            return Err(bad(format!(
                "row {} refers to level {} but the factor has {} levels",
                i + 1,
                self.index[i] + 1,
                self.levels
            )));
        }
        if let Some(k) = self.z.iter().position(|v| !v.is_finite()) {
            return Err(bad(format!(
                "row {}: random-effect column {} must be a finite number, found {}",
                k / self.q + 1,
                k % self.q + 1,
                self.z[k]
            )));
        }
        if let Structure::Precision(model) = &self.structure {
            if self.q != 1 {
                return Err(bad("a structured term has one random-effect column".into()));
            }
            if model.dimension() != self.levels {
                return Err(bad(format!(
                    "the precision matrix has dimension {} but the factor has {} levels",
                    model.dimension(),
                    self.levels
                )));
            }
            model.pattern().check(self.levels).map_err(bad)?;
        }
        Ok(())
    }
}

/// A count model with general random effects: `eta_i = offset_i + x_i' beta + sum_t z_ti' b_t`.
#[derive(Debug)]
pub struct SparseModel {
    pub(super) response: Response,
    pub(super) offset: Vec<f64>,
    /// `n x p` row-major.
    pub(super) x: Vec<f64>,
    pub(super) p: usize,
    pub(super) terms: Vec<EffectTerm>,
    /// Zero-inflation model matrix, `n x pz` row-major (`pz = 0` without zero inflation).
    pub(super) pz: usize,
    pub(super) xz: Vec<f64>,
}

impl SparseModel {
    /// A model from its parts: counts `y`, log offsets, the model matrix `x` (`n x p`,
    /// row-major) and the random-effect terms. Every value is checked; rows are numbered from 1
    /// in messages.
    pub fn new(
        y: Vec<f64>,
        offset: Vec<f64>,
        x: Vec<f64>,
        p: usize,
        terms: Vec<EffectTerm>,
    ) -> Result<SparseModel, FitError> {
        let n = y.len();
        if n == 0 {
            return Err(FitError::EmptyDesign);
        }
        if p == 0 {
            return Err(FitError::NoFixedEffects);
        }
        let mismatch = |what: &str, found: usize, expected: usize| FitError::DimensionMismatch {
            what: what.into(),
            expected,
            found,
        };
        if offset.len() != n {
            return Err(mismatch("the offset", offset.len(), n));
        }
        if x.len() != n * p {
            return Err(mismatch("the fixed-effects model matrix (values)", x.len(), n * p));
        }
        if let Some(i) = y.iter().position(|v| !(v.is_finite() && *v >= 0.0 && v.fract() == 0.0)) {
            return Err(FitError::InvalidResponse { row: i + 1, value: y[i] });
        }
        if y.iter().all(|&v| v == 0.0) {
            return Err(FitError::AllZeroResponse);
        }
        if let Some(i) = offset.iter().position(|v| !v.is_finite()) {
            return Err(FitError::InvalidOffset { row: i + 1, value: offset[i] });
        }
        if let Some(k) = x.iter().position(|v| !v.is_finite()) {
            return Err(FitError::InvalidCovariate {
                row: k / p + 1,
                column: format!("{}", k % p + 1),
                value: x[k],
            });
        }
        for term in &terms {
            term.check(n)?;
        }
        Ok(SparseModel { response: Response::new(y), offset, x, p, terms, pz: 0, xz: Vec::new() })
    }

    /// The model of a design, keeping the model-matrix columns `kept`, with one unstructured
    /// term per design random-effect term (in design order, so `psi` is ordered as the
    /// existing evaluators order it), and the exact [`super::ExponentialField`] for a spatial
    /// field term.
    pub fn from_design(design: &Design, kept: &[usize]) -> Result<SparseModel, FitError> {
        SparseModel::from_design_with(design, kept, &|f: &FieldLocations| {
            super::ExponentialField::grouped(f.x.clone(), f.y.clone(), &f.group)
                .map(|m| Box::new(m) as Box<dyn PrecisionModel>)
        })
    }

    /// [`SparseModel::from_design`] with the precision of each spatial field term made by
    /// `field`.
    pub fn from_design_with(
        design: &Design,
        kept: &[usize],
        field: &dyn Fn(&FieldLocations) -> Result<Box<dyn PrecisionModel>, String>,
    ) -> Result<SparseModel, FitError> {
        layout::validate(design)?;
        let n = design.y.len();
        let p = kept.len();
        let mut x = Vec::with_capacity(n * p);
        for i in 0..n {
            x.extend(kept.iter().map(|&j| design.x[(i, j)]));
        }
        let terms = design
            .random
            .iter()
            .map(|t| {
                let q = t.terms.len();
                let z: Vec<f64> = (0..n).flat_map(|i| (0..q).map(move |c| t.z[(i, c)])).collect();
                match &t.field {
                    Some(locations) => {
                        let model = field(locations).map_err(|message| FitError::InvalidRandomTerm {
                            group: t.group.clone(),
                            message,
                        })?;
                        Ok(EffectTerm::structured(&t.group, t.index.clone(), z, model))
                    }
                    None => Ok(EffectTerm::unstructured(&t.group, t.levels.len(), t.index.clone(), q, z)),
                }
            })
            .collect::<Result<Vec<_>, FitError>>()?;
        let mut model = SparseModel::new(design.y.clone(), design.offset.clone(), x, p, terms)?;
        if let Some(trials) = &design.trials {
            model.response = Response::with_trials(design.y.clone(), Some(trials.clone()));
        }
        Ok(model)
    }

    /// Adds a term (such as a structured field) after the existing ones.
    pub fn with_term(mut self, term: EffectTerm) -> Result<SparseModel, FitError> {
        term.check(self.n())?;
        self.terms.push(term);
        Ok(self)
    }

    /// Number of rows.
    pub fn n(&self) -> usize {
        self.response.y.len()
    }

    /// Number of fixed effects.
    pub fn p(&self) -> usize {
        self.p
    }

    pub fn terms(&self) -> &[EffectTerm] {
        &self.terms
    }

    /// The counts.
    pub fn y(&self) -> &[f64] {
        &self.response.y
    }

    /// The log offsets.
    pub fn offset(&self) -> &[f64] {
        &self.offset
    }

    /// Row `i` of the model matrix.
    #[inline]
    pub(crate) fn x_row(&self, i: usize) -> &[f64] {
        &self.x[i * self.p..(i + 1) * self.p]
    }

    /// Adds the zero-inflation model matrix `xz` (one row per row of the model).
    pub fn set_zero_inflation(&mut self, xz: &nalgebra::DMatrix<f64>) {
        self.pz = xz.ncols();
        self.xz = (0..xz.nrows()).flat_map(|r| (0..xz.ncols()).map(move |j| xz[(r, j)])).collect();
    }

    /// The zero-inflation predictor `zeta_i = xz_i' gamma` of every row.
    pub(crate) fn zero_inflation_predictor(&self, gamma: &[f64]) -> Vec<f64> {
        let pz = self.pz;
        (0..self.n())
            .map(|i| self.xz[i * pz..(i + 1) * pz].iter().zip(gamma).map(|(a, b)| a * b).sum())
            .collect()
    }
}
