//! The last stage of a fit: the fitted model, which keeps what made it (the formula, its design
//! on the data, the request) and the objective at its optimum, as lme4's `merMod` keeps its
//! deviance function and glmmTMB its `obj`. Every later question starts from it without
//! fitting again: profile-likelihood intervals, random effects by level, predictions, the
//! residual checks, the social-gradient views and the R script.

use super::prepared::BuiltFormula;
use super::{EngineError, FitRequest};
use crate::data::DataFrame;
use crate::design::Design;
use crate::diagnostics::{check_model, CheckOptions, ModelCheck};
use crate::fit::{Fit, FitOptions, Optimum};
use crate::fit_views::Fitted;
use crate::formula::{parse, DesignInfo, Formula};
use crate::report::gradient::{gradient_contexts, gradient_score, GradientContexts, GradientScore};
use crate::report::la_gradients::{self, LaGradientReport, LaGradientRequest, LaGradients};
use crate::report::prediction::{predict, prediction_inputs, Prediction, PredictionInputs};
use crate::report::profile::{fill_profiles, profile_parameters};
use crate::report::ranef::{random_effects, RandomEffectsReport};
use crate::report::FitReport;

/// A fitted model with what made it and its objective at the optimum.
#[derive(Debug, Clone)]
pub struct FittedModel {
    pub formula: Formula,
    pub design: Design,
    pub info: DesignInfo,
    /// The request the model was fitted for.
    pub request: FitRequest,
    /// The options it was fitted with.
    pub options: FitOptions,
    pub fit: Fit,
    pub report: FitReport,
    optimum: Optimum,
}

impl FittedModel {
    pub(super) fn new(
        built: BuiltFormula,
        request: FitRequest,
        options: FitOptions,
        fit: Fit,
        optimum: Optimum,
    ) -> FittedModel {
        let BuiltFormula { formula, design, info } = built;
        let report = FitReport::new(&fit, &design, &formula.to_string(), &info.missing);
        FittedModel { formula, design, info, request, options, fit, report, optimum }
    }

    /// Whether this is the fit of `request`: the same formula (as R prints it), family and
    /// options.
    pub fn is_fit_of(&self, request: &FitRequest) -> bool {
        request.family == self.fit.family
            && request.options().is_ok_and(|o| o == self.options)
            && parse(&request.formula).is_ok_and(|f| f.to_string() == self.formula.to_string())
    }

    /// The objective at its optimum.
    pub fn optimum(&self) -> &Optimum {
        &self.optimum
    }

    /// What the page's views read of the model (see [`crate::fit_views`]).
    pub fn parts(&self) -> Fitted<'_> {
        Fitted { formula: &self.formula, design: &self.design, fit: &self.fit }
    }

    /// Adds profile-likelihood intervals to the report (the dispersion, every random-effect SD
    /// and the fixed effects named in `terms`), profiling the kept objective from its optimum.
    /// The report is unchanged when the profiles fail.
    pub fn add_profiles(&mut self, terms: &[String]) -> Result<(), EngineError> {
        let parameters = profile_parameters(&self.report, &self.design, terms)?;
        let intervals = self.optimum.profile(&parameters)?;
        fill_profiles(&mut self.report, &intervals);
        Ok(())
    }

    /// See [`crate::report::prediction::predict`]; `at` as parsed by
    /// [`crate::report::prediction::parse_values`].
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

    /// See [`crate::report::prediction::prediction_inputs`]; `df` is the data the model was
    /// fitted on.
    pub fn prediction_inputs(&self, df: &DataFrame) -> PredictionInputs {
        prediction_inputs(&self.fit, &self.design, df)
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
        Ok(check_model(df, &rows, &self.design.y, self.design.trials.as_deref(), &self.fit, options)?)
    }

    /// The per-LA scores a chart shows (see [`la_gradients::la_gradient_set`]); `df` is the data
    /// the model was fitted on.
    pub fn la_gradient_set(
        &self,
        df: &DataFrame,
        req: &LaGradientRequest,
    ) -> Result<LaGradients, EngineError> {
        Ok(la_gradients::la_gradient_set(&self.fit, &self.design, df, req)?)
    }

    /// Per-LA social gradient scores by both methods (see [`crate::report::la_gradients`]);
    /// `df` is the data the model was fitted on.
    pub fn la_gradients(
        &self,
        df: &DataFrame,
        req: &LaGradientRequest,
    ) -> Result<LaGradientReport, EngineError> {
        Ok(la_gradients::la_gradients(&self.fit, &self.design, df, req)?)
    }
}
