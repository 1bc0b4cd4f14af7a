//! The engine's entry points, shared by the command line and the page: a formula and a data
//! frame in, a report out.

use super::EngineError;
use crate::data::DataFrame;
use crate::design::Design;
use crate::diagnostics::{check_model, CheckOptions, ModelCheck};
use crate::fit::{check_fittable, fit_with_progress, Family, Fit, FitOptions, Progress};
use crate::formula::{build_design_with_info, parse, DesignInfo, Formula};
use crate::report::gradient::{gradient_contexts, gradient_score, GradientContexts, GradientScore};
use crate::report::la_gradients::{
    data_column, from_random_slopes, from_separate_glms, model_column, Grouping, LaGradients, LaMeanInputs,
};
use crate::report::prediction::{predict, prediction_inputs, Prediction, PredictionInputs};
use crate::report::profile::add_profiles;
use crate::report::ranef::{random_effects, RandomEffectsReport};
use crate::report::{FitReport, ReportError};
use serde::{Deserialize, Serialize};

/// What to fit. Deserialises from `{"formula": "...", "family": "nbinom2", "nagq": 1}`;
/// every field but `formula` and `family` is optional.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FitRequest {
    /// lme4 / glmmTMB formula, such as `count ~ imd_z + offset(log(pop)) + (1 | la)`.
    pub formula: String,
    pub family: Family,
    /// Adaptive Gauss-Hermite quadrature points (1 = Laplace approximation).
    #[serde(default = "default_nagq")]
    pub nagq: usize,
    /// Maximum optimiser iterations (engine default when absent).
    #[serde(default)]
    pub max_iter: Option<usize>,
    /// Convergence tolerance on the gradient (engine default when absent).
    #[serde(default)]
    pub grad_tol: Option<f64>,
    /// Add profile-likelihood intervals of the dispersion and every random-effect SD.
    #[serde(default)]
    pub profile: bool,
    /// Fixed effects (as the report names them) to add profile-likelihood intervals for.
    #[serde(default)]
    pub profile_terms: Vec<String>,
}

fn default_nagq() -> usize {
    1
}

impl FitRequest {
    /// A request with the engine's default options.
    pub fn new(formula: &str, family: Family) -> FitRequest {
        FitRequest {
            formula: formula.to_owned(),
            family,
            nagq: 1,
            max_iter: None,
            grad_tol: None,
            profile: false,
            profile_terms: Vec::new(),
        }
    }

    /// The fitting options, after checking they are usable.
    pub fn options(&self) -> Result<FitOptions, EngineError> {
        let defaults = FitOptions::default();
        if self.nagq == 0 {
            return Err(EngineError::Request {
                message: "nagq must be at least 1 (1 is the Laplace approximation)".to_owned(),
            });
        }
        if self.max_iter == Some(0) {
            return Err(EngineError::Request { message: "max_iter must be at least 1".to_owned() });
        }
        if let Some(t) = self.grad_tol {
            if !(t.is_finite() && t > 0.0) {
                return Err(EngineError::Request {
                    message: format!("grad_tol must be a positive number, found {t}"),
                });
            }
        }
        Ok(FitOptions {
            nagq: self.nagq,
            max_iter: self.max_iter.unwrap_or(defaults.max_iter),
            grad_tol: self.grad_tol.unwrap_or(defaults.grad_tol),
        })
    }
}

/// A fitted model with everything needed for further views without fitting again.
#[derive(Debug, Clone)]
pub struct FittedModel {
    pub formula: Formula,
    pub design: Design,
    pub info: DesignInfo,
    pub fit: Fit,
    pub report: FitReport,
    /// The options the model was fitted with (profiles refit with the same).
    pub options: FitOptions,
}

/// Parses the formula and builds its design on `df`.
pub fn prepare(df: &DataFrame, formula: &str) -> Result<(Formula, Design, DesignInfo), EngineError> {
    let formula = parse(formula)?;
    let (design, info) = build_design_with_info(df, &formula)?;
    Ok((formula, design, info))
}

/// Fits `req` on `df` and keeps the design and fit for further views.
pub fn fit_model(
    df: &DataFrame,
    req: &FitRequest,
    progress: &mut dyn FnMut(&Progress),
) -> Result<FittedModel, EngineError> {
    let (formula, design, info) = prepare(df, &req.formula)?;
    fit_prepared(formula, design, info, req, progress)
}

/// Fits `req` on a formula already parsed and built on the data (by [`prepare`], or by
/// [`crate::formula::validate_and_build`] for `req.formula`).
pub fn fit_prepared(
    formula: Formula,
    design: Design,
    info: DesignInfo,
    req: &FitRequest,
    progress: &mut dyn FnMut(&Progress),
) -> Result<FittedModel, EngineError> {
    let options = req.options()?;
    let fit = fit_with_progress(&design, req.family, &options, progress)?;
    let mut report = FitReport::new(&fit, &design, &formula.to_string(), &info.missing);
    if req.profile || !req.profile_terms.is_empty() {
        add_profiles(&mut report, &design, req.family, &options, &req.profile_terms)?;
    }
    Ok(FittedModel { formula, design, info, fit, report, options })
}

/// Checks `req` on `df` as [`fit_model`] does before it starts optimising: the options, the
/// formula against the data (columns, values, rows left) and the random-effect structure the
/// engine fits. `Ok` means the fit will run; the error is the one the fit would stop with.
pub fn check_request(df: &DataFrame, req: &FitRequest) -> Result<(), EngineError> {
    let options = req.options()?;
    let (_, design, _) = prepare(df, &req.formula)?;
    check_fittable(&design, &options)?;
    Ok(())
}

/// Fits `req` on `df` and reports: the entry point of `socgrad fit` and of the page.
pub fn run_fit(
    df: &DataFrame,
    req: &FitRequest,
    progress: &mut dyn FnMut(&Progress),
) -> Result<FitReport, EngineError> {
    fit_model(df, req, progress).map(|m| m.report)
}

/// What per-LA scores to compute. Deserialises from
/// `{"term": "imd_z", "group": "la", "deprivation_column": "imd", "population_column": "pop"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LaGradientRequest {
    /// The deprivation term, as the model names it.
    pub term: String,
    /// The LA grouping: a random-effect group of the model or a data column.
    pub group: String,
    /// Data column whose LA means are reported; default: the term's model-matrix column.
    #[serde(default)]
    pub deprivation_column: Option<String>,
    /// Data column of populations, to weight the means; default: a plain mean.
    #[serde(default)]
    pub population_column: Option<String>,
}

/// Per-LA scores by both methods; the random-slope scores are `None` when the model has no
/// random slope of the term (`random_slopes_unavailable` says why).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaGradientReport {
    pub random_slopes: Option<LaGradients>,
    pub random_slopes_unavailable: Option<String>,
    pub separate_glms: LaGradients,
}

impl FittedModel {
    /// Adds profile-likelihood intervals to the report of this fit, as [`FitRequest::profile`]
    /// does at fitting time: the dispersion, every random-effect SD and the fixed effects named
    /// in `terms`. The report is unchanged when the profiles fail.
    pub fn add_profiles(&mut self, terms: &[String]) -> Result<(), EngineError> {
        let mut report = self.report.clone();
        add_profiles(&mut report, &self.design, self.fit.family, &self.options, terms)?;
        self.report = report;
        Ok(())
    }

    /// See [`crate::report::prediction::predict`]; `at` as parsed by [`crate::report::prediction::parse_values`].
    pub fn predict(
        &self,
        at: &[(String, f64)],
        gradient_term: Option<&str>,
        level: Option<(&str, &str)>,
    ) -> Result<Prediction, EngineError> {
        Ok(predict(&self.fit, self.formula.exposure_scale(), at, gradient_term, level)?)
    }

    /// The random effects by level (see [`crate::report::ranef`]).
    pub fn random_effects(&self) -> Result<RandomEffectsReport, EngineError> {
        Ok(random_effects(&self.fit, &self.design)?)
    }

    /// See [`crate::report::prediction::prediction_inputs`].
    pub fn prediction_inputs(&self) -> PredictionInputs {
        prediction_inputs(&self.fit, &self.design)
    }

    /// See [`gradient_score`].
    pub fn gradient_score(&self, term: &str, at: &[(&str, f64)]) -> Result<GradientScore, EngineError> {
        Ok(gradient_score(&self.fit, term, at)?)
    }

    /// See [`gradient_contexts`].
    pub fn gradient_contexts(
        &self,
        term: &str,
        moderator: &str,
        low: f64,
        high: f64,
    ) -> Result<GradientContexts, EngineError> {
        Ok(gradient_contexts(&self.fit, term, moderator, low, high)?)
    }

    /// The residual checks of the fit (see [`crate::diagnostics`]); `df` is the data the model
    /// was fitted on.
    pub fn check(&self, df: &DataFrame, options: &CheckOptions) -> Result<ModelCheck, EngineError> {
        let rows: Vec<usize> = self.design.rows.iter().map(|r| r - 1).collect();
        check_model(df, &rows, &self.design.y, &self.fit, options)
            .map_err(|e| EngineError::Request { message: e.to_string() })
    }

    /// The per-LA scores a chart shows: from the random slopes of the term when the model has
    /// them, else from separate Poisson fits per LA, which are only run in that case.
    pub fn la_gradient_set(
        &self,
        df: &DataFrame,
        req: &LaGradientRequest,
    ) -> Result<LaGradients, EngineError> {
        let ((deprivation, population), grouping) = self.la_inputs(df, req)?;
        let means = LaMeanInputs { deprivation: &deprivation, population: population.as_deref() };
        match from_random_slopes(&self.fit, &self.design, &req.term, &req.group, means) {
            Ok(r) => Ok(r),
            Err(ReportError::NoRandomSlope { .. } | ReportError::UnknownGroup { .. }) => {
                Ok(from_separate_glms(&self.design, &grouping, &req.term, means)?)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The deprivation and population values to average per LA, and the LA grouping.
    #[allow(clippy::type_complexity)]
    fn la_inputs(
        &self,
        df: &DataFrame,
        req: &LaGradientRequest,
    ) -> Result<((Vec<f64>, Option<Vec<f64>>), Grouping), EngineError> {
        let deprivation = match &req.deprivation_column {
            Some(c) => data_column(df, &self.design, c)?,
            None => model_column(&self.design, &req.term)?,
        };
        let population =
            req.population_column.as_deref().map(|c| data_column(df, &self.design, c)).transpose()?;
        let grouping = match Grouping::from_design(&self.design, &req.group) {
            Some(g) => g,
            None => Grouping::from_column(df, &self.design, &req.group).map_err(|e| match e {
                ReportError::UnknownColumn { .. } => ReportError::UnknownGroup { group: req.group.clone() },
                other => other,
            })?,
        };
        Ok(((deprivation, population), grouping))
    }

    /// Per-LA social gradient scores (see [`crate::report::la_gradients`]); `df` is the data the model
    /// was fitted on.
    pub fn la_gradients(
        &self,
        df: &DataFrame,
        req: &LaGradientRequest,
    ) -> Result<LaGradientReport, EngineError> {
        let ((deprivation, population), grouping) = self.la_inputs(df, req)?;
        let means = LaMeanInputs { deprivation: &deprivation, population: population.as_deref() };
        let (random_slopes, random_slopes_unavailable) =
            match from_random_slopes(&self.fit, &self.design, &req.term, &req.group, means) {
                Ok(r) => (Some(r), None),
                Err(e @ (ReportError::NoRandomSlope { .. } | ReportError::UnknownGroup { .. })) => {
                    (None, Some(e.to_string()))
                }
                Err(e) => return Err(e.into()),
            };
        let separate_glms = from_separate_glms(&self.design, &grouping, &req.term, means)?;
        Ok(LaGradientReport { random_slopes, random_slopes_unavailable, separate_glms })
    }
}
