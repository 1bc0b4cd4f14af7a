//! A design made ready to fit, and its fit: the model-matrix columns kept (aliased ones
//! dropped), the random-effect structure, and the objective, which owns the data rearranged
//! for it; then the optimisation from the starting values to the [`Fit`] and the kept
//! [`Optimum`].

use super::field::{self, FieldApproximation};
use super::likelihood::agq::Quadrature;
use super::likelihood::glm::GlmLikelihood;
use super::likelihood::laplace::Laplace;
use super::likelihood::layout::{self, Layout};
use super::likelihood::params::ParameterSpace;
use super::likelihood::zero_inflation::{start_gamma, ZeroInflatedGlm};
use super::likelihood::LogLikelihood;
use super::optimise::glm::{fit_glm, GlmFit};
use super::optimise::maximise::{maximise, transform_from_glm, Estimate, Transform};
use super::optimum::Optimum;
use super::result::{self, Columns};
use super::sparse::{SparseLaplace, SparseModel};
use super::start::{start_psi, start_psi_sparse};
use super::structure::{self, RandomStructure};
use super::{rank, Family, Fit, FitError, FitOptions, Progress, Stage, ZeroInflationDesign};
use crate::design::{Design, FieldLocations};
use nalgebra::DMatrix;
use std::sync::Arc;

/// The likelihood a prepared model maximises, owning its data: the one object the optimisers
/// and the profiles work on, through [`LogLikelihood`].
#[derive(Clone, Debug)]
pub enum Objective {
    /// A model without random effects: the exact log-likelihood.
    Glm(GlmLikelihood),
    /// Random effects integrated out by the Laplace approximation.
    Laplace(Laplace),
    /// A single random intercept integrated out by adaptive Gauss-Hermite quadrature (the fit
    /// maximises the Laplace approximation first).
    Quadrature(Quadrature),
    /// Random effects on grouping factors the block-arrow layout does not take (crossed, or
    /// more than two), integrated out by the sparse Laplace approximation.
    Sparse(Box<SparseObjective>),
    /// A zero-inflated model without random effects: the exact log-likelihood.
    ZeroInflatedGlm(ZeroInflatedGlm),
}

/// The sparse Laplace approximation of a model with crossed (or more than two) grouping
/// factors, with the rows in design order laid out without random effects for the model's
/// GLM, which starts the fit.
#[derive(Debug)]
pub struct SparseObjective {
    pub layout: Arc<Layout>,
    pub laplace: SparseLaplace<Arc<SparseModel>>,
    /// Per design term, how its precision is computed when it is a spatial field.
    pub fields: Vec<Option<FieldApproximation>>,
}

impl Clone for SparseObjective {
    /// The same objective with its structure analysed anew; the copy's random-effect modes
    /// start from zero at its first evaluation.
    fn clone(&self) -> Self {
        let laplace = SparseLaplace::new(Arc::clone(self.laplace.shared_model()), self.laplace.family())
            .expect("a structure analysed once is analysed again");
        SparseObjective { layout: Arc::clone(&self.layout), laplace, fields: self.fields.clone() }
    }
}

impl Objective {
    /// The data the objective reads.
    pub fn layout(&self) -> &Arc<Layout> {
        match self {
            Objective::Glm(g) => &g.layout,
            Objective::Laplace(l) => &l.layout,
            Objective::Quadrature(q) => &q.laplace.layout,
            Objective::Sparse(s) => &s.layout,
            Objective::ZeroInflatedGlm(z) => &z.layout,
        }
    }

    fn likelihood(&mut self) -> &mut dyn LogLikelihood {
        match self {
            Objective::Glm(g) => g,
            Objective::Laplace(l) => l,
            Objective::Quadrature(q) => q,
            Objective::Sparse(s) => &mut s.laplace,
            Objective::ZeroInflatedGlm(z) => z,
        }
    }
}

impl LogLikelihood for Objective {
    fn loglik(&mut self, psi: &[f64], grad: &mut [f64]) -> Option<f64> {
        self.likelihood().loglik(psi, grad)
    }

    fn fixed_information(&self) -> Option<DMatrix<f64>> {
        match self {
            Objective::Glm(g) => g.fixed_information(),
            Objective::Laplace(l) => l.fixed_information(),
            Objective::Quadrature(q) => q.fixed_information(),
            Objective::Sparse(s) => s.laplace.fixed_information(),
            Objective::ZeroInflatedGlm(_) => None,
        }
    }
}

/// A design ready to fit: made by [`prepare`], fitted by [`Prepared::fit`].
#[derive(Clone, Debug)]
pub struct Prepared {
    pub family: Family,
    pub options: FitOptions,
    /// Positions of the model-matrix columns kept: each is not a linear combination of the
    /// ones before it.
    pub kept: Vec<usize>,
    pub structure: RandomStructure,
    objective: Objective,
    space: ParameterSpace,
    /// The zero-inflation part, if any.
    zi: Option<ZeroInflationDesign>,
}

/// Checks `design` and `options` and makes the design ready to fit with `family`: everything
/// [`check_fittable`] checks, then the objective built on the data.
pub fn prepare(design: &Design, family: Family, options: &FitOptions) -> Result<Prepared, FitError> {
    prepare_zero_inflated(design, None, family, options)
}

/// [`prepare`] for a model with a zero-inflation part `zi` (its model matrix has the rows of
/// `design`): Poisson, NB1 or NB2 counts, without random effects or with random effects on any
/// grouping factors (entering the count part only), Laplace approximation.
pub fn prepare_zero_inflated(
    design: &Design,
    zi: Option<&ZeroInflationDesign>,
    family: Family,
    options: &FitOptions,
) -> Result<Prepared, FitError> {
    let structure = checked_structure(design, options)?;
    check_family(design, family)?;
    let kept = rank::independent_columns(&design.x, rank::RANK_TOLERANCE);
    if let Some(z) = zi {
        if family.is_binomial() {
            return Err(FitError::UnsupportedRandomStructure {
                message: format!(
                    "zero inflation ('{}') is for counts: a binomial model of successes out of trials \
                     has no structural zeros to add; fit it without the zero-inflation formula",
                    z.formula
                ),
            });
        }
        check_zero_inflation(design, z, options)?;
    }
    let has_field = design.random.iter().any(|t| t.field.is_some());
    if !structure.is_empty() && (has_field || layout::check(&structure).is_err()) {
        let fields: Vec<Option<FieldApproximation>> = design
            .random
            .iter()
            .map(|t| {
                t.field
                    .as_ref()
                    .map(|f| FieldApproximation::choose(field::largest_group(f), options.field_neighbours))
            })
            .collect();
        let chosen = |f: &FieldLocations| {
            let k = design.random.iter().position(|t| t.field.as_ref() == Some(f)).unwrap_or(0);
            field::precision(f, fields[k].unwrap_or(FieldApproximation::Exact))
        };
        let mut model = SparseModel::from_design_with(design, &kept, &chosen)?;
        let mut layout = Layout::new(design, &kept, &RandomStructure::default())?;
        if let Some(z) = zi {
            model.set_zero_inflation(&z.x);
            layout.set_zero_inflation(&z.x);
        }
        let model = Arc::new(model);
        let layout = Arc::new(layout);
        let mut space = ParameterSpace::of_terms(layout.p, family, model.terms());
        if let Some(z) = zi {
            space = space.with_zero_inflation(z.x.ncols());
        }
        for (k, term) in design.random.iter().enumerate() {
            let Some(f) = &term.field else { continue };
            let (start, _) = space.index.theta[k];
            let (lo, hi) = match field::distances(f) {
                Some((min, _, max)) => field::log_range_bounds(min, max),
                None => (-200.0, 200.0),
            };
            space.lower[start + 1] = lo;
            space.upper[start + 1] = hi;
            space.structured[k] = true;
        }
        let laplace = SparseLaplace::new(model, family)?;
        let objective = Objective::Sparse(Box::new(SparseObjective { layout, laplace, fields }));
        return Ok(Prepared {
            family,
            options: options.clone(),
            kept,
            structure,
            objective,
            space,
            zi: zi.cloned(),
        });
    }
    if let Some(z) = zi {
        let mut layout = Layout::new(design, &kept, &structure)?;
        layout.set_zero_inflation(&z.x);
        let layout = Arc::new(layout);
        let space = ParameterSpace::new(&layout, family);
        let objective = if structure.is_empty() {
            Objective::ZeroInflatedGlm(ZeroInflatedGlm { index: space.index.clone(), layout, family })
        } else {
            Objective::Laplace(Laplace::new(layout, family))
        };
        let zi = Some(z.clone());
        return Ok(Prepared { family, options: options.clone(), kept, structure, objective, space, zi });
    }
    let layout = Arc::new(Layout::new(design, &kept, &structure)?);
    let space = ParameterSpace::new(&layout, family);
    let objective = if structure.is_empty() {
        Objective::Glm(GlmLikelihood { layout, family })
    } else if options.nagq > 1 {
        Objective::Quadrature(Quadrature::new(Laplace::new(layout, family), options.nagq))
    } else {
        Objective::Laplace(Laplace::new(layout, family))
    };
    Ok(Prepared { family, options: options.clone(), kept, structure, objective, space, zi: None })
}

/// What a zero-inflated fit needs besides what every fit checks: a zero-inflation matrix with
/// the design's rows and finite values, and the Laplace approximation.
fn check_zero_inflation(
    design: &Design,
    zi: &ZeroInflationDesign,
    options: &FitOptions,
) -> Result<(), FitError> {
    let unsupported = |message: String| Err(FitError::UnsupportedRandomStructure { message });
    if zi.x.nrows() != design.y.len() {
        return Err(FitError::DimensionMismatch {
            what: "the zero-inflation model matrix".into(),
            expected: design.y.len(),
            found: zi.x.nrows(),
        });
    }
    if zi.x.ncols() == 0 || zi.names.len() != zi.x.ncols() {
        return unsupported(format!("the zero-inflation formula '{}' has no terms to estimate", zi.formula));
    }
    if let Some(k) = zi.x.iter().position(|v| !v.is_finite()) {
        let n = design.y.len();
        return Err(FitError::InvalidCovariate {
            row: layout::source_row(design, k % n),
            column: format!("zero inflation: {}", zi.names[k / n]),
            value: zi.x[(k % n, k / n)],
        });
    }
    if options.nagq > 1 {
        return Err(FitError::QuadratureNotSupported {
            message: "a zero-inflated model is fitted with the Laplace approximation (nagq = 1)".into(),
        });
    }
    Ok(())
}

/// Checks everything a fit of `design` checks before it starts optimising: the options, the
/// design's shapes and values, the quadrature request and the random-effect structure (any
/// number of grouping factors, nested or crossed: one factor, or two nested, take the
/// block-arrow evaluator, any other structure the sparse one). `Ok` means [`super::fit`] will
/// run (it may still fail to converge).
pub fn check_fittable(design: &Design, options: &FitOptions) -> Result<(), FitError> {
    checked_structure(design, options).map(|_| ())
}

/// Checks that the response is one `family` takes: successes out of trials (`cbind(s, f)`)
/// or a 0/1 column for a binomial family, counts for the others.
pub fn check_family(design: &Design, family: Family) -> Result<(), FitError> {
    match (family.is_binomial(), &design.trials) {
        (false, Some(_)) => Err(FitError::TrialsNeedBinomial { family: family.name().to_owned() }),
        (true, None) => match design.y.iter().position(|&y| y != 0.0 && y != 1.0) {
            Some(i) => {
                Err(FitError::BinomialResponse { row: layout::source_row(design, i), value: design.y[i] })
            }
            None => Ok(()),
        },
        (true, Some(trials)) => {
            match design
                .y
                .iter()
                .zip(trials)
                .position(|(&y, &n)| !(n.is_finite() && n >= y && n.fract() == 0.0))
            {
                Some(i) => {
                    Err(FitError::InvalidResponse { row: layout::source_row(design, i), value: trials[i] })
                }
                None => Ok(()),
            }
        }
        (false, None) => Ok(()),
    }
}

/// The checks of options, design and quadrature shared by [`prepare`] and [`check_fittable`],
/// and the design's random-effect structure.
fn checked_structure(design: &Design, options: &FitOptions) -> Result<RandomStructure, FitError> {
    options.check()?;
    layout::validate(design)?;
    if options.nagq > 1 {
        let scalar = design.random.len() == 1 && design.random[0].terms.len() == 1;
        if !scalar {
            return Err(FitError::QuadratureNotSupported {
                message: format!(
                    "adaptive Gauss-Hermite quadrature (nagq = {}) needs a single scalar random effect \
                     such as (1 | group); this model has {}; use nagq = 1 (Laplace)",
                    options.nagq,
                    structure::describe(design)
                ),
            });
        }
    }
    RandomStructure::of(design)
}

impl Prepared {
    /// Fits the prepared `design` (the one [`prepare`] was given), calling `progress` once per
    /// outer iteration: the model without random effects by Newton's method, which is also the
    /// start of a mixed model; then, for a mixed model, the Laplace approximation maximised
    /// from there and, for `nagq > 1`, adaptive quadrature from the Laplace estimates. Returns
    /// the reported fit and the objective at its optimum.
    pub fn fit(
        self,
        design: &Design,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<(Fit, Optimum), FitError> {
        let Prepared { family, options, kept, structure, objective, space, zi } = self;
        let layout = Arc::clone(objective.layout());
        let glm = start_glm(&layout, family, &options, progress)?;
        let columns = Columns::kept(design, &kept);
        let gamma = zi.as_ref().map(|z| zero_inflation_start(z, &layout, family, &glm));
        match objective {
            Objective::ZeroInflatedGlm(mut likelihood) => {
                let mut psi0 = glm.beta.clone();
                psi0.extend(glm.tau);
                psi0.extend(gamma.iter().flatten());
                let transform = transform_from_glm(&glm, &space.index, psi0);
                let est = maximise(&mut likelihood, &space, transform, None, &options, Stage::Glm, progress)?;
                let mut fit =
                    result::zero_inflated_glm_fit(design, family, &est, &space.index, &layout, columns);
                if let Some(z) = &zi {
                    result::attach_zero_inflation(&mut fit, z, &est, &space.index, &layout);
                }
                let optimum =
                    Optimum::new(Objective::ZeroInflatedGlm(likelihood), space, est.psi, est.loglik, est.cov);
                Ok((fit, optimum))
            }
            Objective::Glm(likelihood) => {
                let fit = result::glm_fit(&layout, family, &glm, columns);
                let mut psi = glm.beta.clone();
                psi.extend(glm.tau);
                let optimum = Optimum::new(Objective::Glm(likelihood), space, psi, glm.loglik, glm.cov);
                Ok((fit, optimum))
            }
            Objective::Laplace(mut laplace) => {
                let est = maximise_laplace(&mut laplace, &space, &glm, gamma.as_deref(), &options, progress)?;
                laplace.complete_modes();
                let mut fit = result::mixed_fit(design, family, &est, &laplace, columns);
                if let Some(z) = &zi {
                    result::attach_zero_inflation(&mut fit, z, &est, &space.index, &laplace.layout);
                }
                Ok((fit, Optimum::new(Objective::Laplace(laplace), space, est.psi, est.loglik, est.cov)))
            }
            Objective::Quadrature(mut quadrature) => {
                let est = maximise_quadrature(&mut quadrature, &space, &glm, &options, progress)?;
                let fit = result::mixed_fit(design, family, &est, &quadrature.laplace, columns);
                Ok((
                    fit,
                    Optimum::new(Objective::Quadrature(quadrature), space, est.psi, est.loglik, est.cov),
                ))
            }
            Objective::Sparse(mut sparse) => {
                let mut psi0 = start_psi_sparse(sparse.laplace.model(), &structure, &space.index, &glm);
                if let (Some((start, len)), Some(gamma)) = (space.index.zi, &gamma) {
                    psi0[start..start + len].copy_from_slice(gamma);
                }
                let starts = field_starts(design, &space, &mut psi0);
                let transform = transform_from_glm(&glm, &space.index, psi0.clone());
                let mut est = maximise(
                    &mut sparse.laplace,
                    &space,
                    transform,
                    None,
                    &options,
                    Stage::Laplace,
                    progress,
                )?;
                // A small field's likelihood can have a second optimum at a short range (where
                // glmmTMB's default start stays). Where the first fit has found no correlation
                // (its range shorter than the nearest two locations, or the field's SD or range
                // at a bound or singular), try a fifth of the median distance and keep the better.
                // `maximise` leaves the model at its estimate; a second start moves it away.
                let mut moved = false;
                for start in starts {
                    let position = start.position;
                    let uncorrelated = est.psi[position] < start.shortest
                        || est.held.get(position - 1).copied().unwrap_or(true)
                        || est.held.get(position).copied().unwrap_or(true);
                    if !uncorrelated {
                        continue;
                    }
                    let mut psi = psi0.clone();
                    psi[position] = start.value;
                    let transform = transform_from_glm(&glm, &space.index, psi);
                    moved = true;
                    let Ok(other) = maximise(
                        &mut sparse.laplace,
                        &space,
                        transform,
                        None,
                        &options,
                        Stage::Laplace,
                        progress,
                    ) else {
                        continue;
                    };
                    let iterations = est.iterations + other.iterations;
                    if other.loglik > est.loglik {
                        est = other;
                    }
                    est.iterations = iterations;
                }
                if moved {
                    evaluate_at(&mut sparse.laplace, &est.psi)?;
                }
                let mut fit = result::sparse_fit(
                    design,
                    family,
                    &est,
                    &sparse.laplace,
                    &layout,
                    columns,
                    &sparse.fields,
                );
                if let Some(z) = &zi {
                    result::attach_zero_inflation(&mut fit, z, &est, &space.index, &layout);
                }
                Ok((fit, Optimum::new(Objective::Sparse(sparse), space, est.psi, est.loglik, est.cov)))
            }
        }
    }
}

/// Fields of at most this many locations are fitted from a second start too (see
/// [`field_starts`]).
const SMALL_FIELD: usize = 1000;

/// A second start of a field's `ln range` (see [`field_starts`]).
struct SecondStart {
    /// Position of `ln range` in `psi`.
    position: usize,
    /// Its start: a fifth of the median distance.
    value: f64,
    /// The log of the smallest distance between two locations: a range below it leaves the
    /// locations nearly uncorrelated.
    shortest: f64,
}

/// Sets the start of every spatial field's `ln range` in `psi0` to the log of the median
/// distance between its distinct locations, and returns the second starts to try where the
/// first finds no correlation: for a field of at most [`SMALL_FIELD`] locations, a fifth of that
/// range.
fn field_starts(design: &Design, space: &ParameterSpace, psi0: &mut [f64]) -> Vec<SecondStart> {
    let mut starts = Vec::new();
    for (k, term) in design.random.iter().enumerate() {
        let Some(f) = &term.field else { continue };
        let Some((shortest, median, _)) = field::distances(f) else { continue };
        let (start, _) = space.index.theta[k];
        let position = start + 1;
        let clamp = |v: f64| v.clamp(space.lower[position], space.upper[position]);
        psi0[position] = clamp(median.ln());
        if f.len() <= SMALL_FIELD {
            starts.push(SecondStart { position, value: clamp((median / 5.0).ln()), shortest: shortest.ln() });
        }
    }
    starts
}

/// The model without random effects by Newton's method: the fit of a GLM, and the start of
/// every other model.
fn start_glm(
    layout: &Layout,
    family: Family,
    options: &FitOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<GlmFit, FitError> {
    fit_glm(layout, family, options.grad_tol, options.max_iter, progress).ok_or_else(|| {
        FitError::NumericalFailure {
            message:
                "the likelihood cannot be evaluated at the starting values (the counts may be too extreme \
                  for the offset and covariates)"
                    .into(),
        }
    })
}

/// The zero-inflation coefficients' start: from the model without random effects (its linear
/// predictor and dispersion), see [`start_gamma`].
fn zero_inflation_start(z: &ZeroInflationDesign, layout: &Layout, family: Family, glm: &GlmFit) -> Vec<f64> {
    let intercept = z.names.iter().position(|n| n == "(Intercept)");
    let eta: Vec<f64> = (0..layout.n)
        .map(|i| layout.offset[i] + layout.x_row(i).iter().zip(&glm.beta).map(|(a, b)| a * b).sum::<f64>())
        .collect();
    start_gamma(layout, family, &eta, glm.tau, intercept)
}

/// Adaptive Gauss-Hermite quadrature maximised from the Laplace estimates (which it starts
/// from, with their curvature as the first Hessian); the iterations count both stages. The
/// model is left at the estimates with its modes (the last Newton step taken) and their
/// sensitivities to the parameters, which the conditional variances need.
fn maximise_quadrature(
    quadrature: &mut Quadrature,
    space: &ParameterSpace,
    glm: &GlmFit,
    options: &FitOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Estimate, FitError> {
    let laplace_estimate = maximise_laplace(&mut quadrature.laplace, space, glm, None, options, progress)?;
    let transform = Transform { psi0: laplace_estimate.psi.clone(), ..laplace_estimate.transform.clone() };
    let mut est = maximise(
        quadrature,
        space,
        transform,
        laplace_estimate.scaled_hessian.as_ref(),
        options,
        Stage::Quadrature,
        progress,
    )?;
    est.iterations += laplace_estimate.iterations;
    // The quadrature leaves the modes but not their sensitivities to the parameters: one
    // Laplace evaluation at the estimates gives them.
    evaluate_at(&mut quadrature.laplace, &est.psi)?;
    quadrature.laplace.complete_modes();
    Ok(est)
}

/// Leaves `model` evaluated at the estimates `psi`: its modes, and their sensitivities to the
/// parameters, are those of the estimates again after a search has moved it elsewhere.
fn evaluate_at(model: &mut dyn LogLikelihood, psi: &[f64]) -> Result<(), FitError> {
    let mut gradient = vec![0.0; psi.len()];
    model.loglik(psi, &mut gradient).map(|_| ()).ok_or_else(|| FitError::NumericalFailure {
        message: "the likelihood cannot be evaluated at the estimates".into(),
    })
}

/// Maximises the Laplace approximation from the GLM fit and moment estimates of the variances
/// (and the zero-inflation coefficients `gamma`, if any);
/// leaves `laplace` at the estimate (modes, linear predictor, factorised `H`).
fn maximise_laplace(
    laplace: &mut Laplace,
    space: &ParameterSpace,
    glm: &GlmFit,
    gamma: Option<&[f64]>,
    options: &FitOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Estimate, FitError> {
    let mut psi0 = start_psi(&laplace.layout, &space.index, glm);
    if let (Some((start, len)), Some(gamma)) = (space.index.zi, gamma) {
        psi0[start..start + len].copy_from_slice(gamma);
    }
    let transform = transform_from_glm(glm, &space.index, psi0);
    maximise(laplace, space, transform, None, options, Stage::Laplace, progress)
}
