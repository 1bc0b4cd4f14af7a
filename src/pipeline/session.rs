//! The engine's front door for one loaded file: read it once, derive LA-level columns, write a
//! guided formula, check a formula or a whole fit request, fit, and ask the last fit for views,
//! checks, random effects by level, profile intervals, predictions, comparisons and an R script;
//! fit two written models and compare them. The page's worker holds one [`Session`] through a
//! thin JSON wrapper (`bindings/engine.rs`); everything here is plain Rust and tested natively.
//!
//! The formula checked last is kept parsed with its design when the data fit it, so fitting
//! that formula next does not parse or build it again, and comparing the families of the last
//! fitted formula reuses the fitted model's design. Deriving a column changes the data and
//! drops the kept design.

use crate::data::{preview, read_csv_file, summarise, ColumnSummary, DataFrame, Delimiter, Preview};
use crate::design::Design;
use crate::diagnostics::{CheckOptions, ModelCheck};
use crate::fit::{check_fittable, Progress};
use crate::fit_views::{
    check_charts, fit_views, r_script, ranef_charts, ChartView, FitViews, RScriptRequest, ViewRequest,
};
use crate::formula::{parse, validate_and_build, DesignInfo, Formula, FormulaSummary, ValidationReport};
use crate::report::prediction::{Prediction, PredictionInputs};
use crate::report::ranef::RandomEffectsReport;
use crate::report::{
    check_request, compare_design, compare_models, fit_prepared, prepare, run_fit, CompareProgress,
    Comparison, EngineError, FitReport, FitRequest, FittedModel, ModelComparison,
};
use crate::workflow::checks::file_warnings;
use crate::workflow::derive::{add_weighted_group_mean, DeriveRequest, Derived};
use crate::workflow::guided::{guided_model, GuidedModel, ModelChoices};
use crate::workflow::plausibility::{implausible_values, ValueWarning};
use crate::workflow::roles::{guess_roles, Roles};
use crate::workflow::WorkflowError;
use serde::Serialize;
use std::fmt;

/// Why a session call failed. Serialises to the wrapped error's own fields (nothing for
/// [`SessionError::NoModel`]), so the page points at the row, column or term at fault.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum SessionError {
    /// The file, formula, data or fit failed.
    Engine(EngineError),
    /// A column choice or derivation does not fit the data.
    Workflow(WorkflowError),
    /// A view of the last fit was asked for before any fit succeeded.
    NoModel,
}

impl fmt::Display for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SessionError::Engine(e) => e.fmt(f),
            SessionError::Workflow(e) => e.fmt(f),
            SessionError::NoModel => f.write_str("no model has been fitted yet"),
        }
    }
}

impl std::error::Error for SessionError {}

impl From<EngineError> for SessionError {
    fn from(e: EngineError) -> Self {
        SessionError::Engine(e)
    }
}

impl From<WorkflowError> for SessionError {
    fn from(e: WorkflowError) -> Self {
        SessionError::Workflow(e)
    }
}

/// What the page shows of a loaded file.
#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub rows: usize,
    pub columns: Vec<ColumnSummary>,
    /// The first rows.
    pub preview: Preview,
    /// Guessed column roles.
    pub roles: Roles,
    pub delimiter: char,
    pub decimal_comma: bool,
    /// Signs that the file is not what the page expects.
    pub warnings: Vec<String>,
}

/// A formula's structure and every problem of the data with it.
#[derive(Debug, Clone, Serialize)]
pub struct FormulaCheck {
    pub summary: FormulaSummary,
    pub validation: ValidationReport,
}

/// Whether a fit request can run: the formula's data check, then (when the data check finds
/// nothing) the checks the fit makes before optimising, and warnings about implausible values.
#[derive(Debug, Clone, Serialize)]
pub struct Readiness {
    pub summary: FormulaSummary,
    pub validation: ValidationReport,
    /// The error the fit would stop with although the data check found nothing (three grouping
    /// factors, crossed factors, quadrature on a random slope, bad options, ...).
    pub fit_error: Option<EngineError>,
    pub value_warnings: Vec<ValueWarning>,
}

/// A fit's report with the page's views of it.
#[derive(Debug, Clone, Serialize)]
pub struct FitWithViews<'a> {
    pub report: &'a FitReport,
    pub views: FitViews,
}

/// The residual checks of the last fit with their charts.
#[derive(Debug, Clone, Serialize)]
pub struct CheckWithCharts {
    pub check: ModelCheck,
    pub charts: Vec<ChartView>,
}

/// The random effects of the last fit by level with the caterpillar charts of the LA-level ones.
#[derive(Debug, Clone, Serialize)]
pub struct RandomEffectsWithCharts {
    pub report: RandomEffectsReport,
    pub charts: Vec<ChartView>,
}

/// A formula parsed and built on the session's data.
#[derive(Debug, Clone)]
struct Prepared {
    formula: Formula,
    design: Design,
    info: DesignInfo,
}

/// A loaded file and what has been done with it: derived columns, the formula checked last
/// and the last fitted model.
#[derive(Debug, Clone)]
pub struct Session {
    df: DataFrame,
    derived: Vec<DeriveRequest>,
    delimiter: Delimiter,
    checked: Option<Prepared>,
    model: Option<FittedModel>,
    /// False once a column has been derived after the last fit: its design may no longer be
    /// the formula's on the data.
    model_design_current: bool,
}

impl Session {
    /// Reads a CSV file's bytes (delimiter and decimal comma detected).
    pub fn open(bytes: &[u8]) -> Result<Session, SessionError> {
        let file = read_csv_file(bytes).map_err(EngineError::Data)?;
        Ok(Session {
            df: file.frame,
            derived: Vec::new(),
            delimiter: file.delimiter,
            checked: None,
            model: None,
            model_design_current: false,
        })
    }

    /// The data, with derived columns.
    pub fn frame(&self) -> &DataFrame {
        &self.df
    }

    /// The last fitted model.
    pub fn model(&self) -> Option<&FittedModel> {
        self.model.as_ref()
    }

    /// Rows, column summaries, the first `rows` rows, the guessed roles and warnings about a
    /// file that looks wrong.
    pub fn overview(&self, rows: usize) -> Overview {
        Overview {
            rows: self.df.nrows(),
            columns: summarise(&self.df),
            preview: preview(&self.df, rows),
            roles: guess_roles(&self.df),
            delimiter: self.delimiter.as_char(),
            decimal_comma: matches!(self.delimiter, Delimiter::Semicolon { decimal_comma: true }),
            warnings: file_warnings(&self.df),
        }
    }

    /// Adds a derived LA-level column; deriving a name again replaces the earlier derivation.
    pub fn derive(&mut self, request: &DeriveRequest) -> Result<Derived, SessionError> {
        let base = match self.derived.iter().position(|d| d.name == request.name) {
            Some(_) => {
                let kept = self
                    .df
                    .columns()
                    .filter(|(n, _)| *n != request.name)
                    .map(|(n, c)| (n.to_owned(), c.clone()));
                Some(DataFrame::from_columns(kept).map_err(EngineError::Data)?)
            }
            None => None,
        };
        let (df, derived) = add_weighted_group_mean(base.as_ref().unwrap_or(&self.df), request)?;
        self.derived.retain(|d| d.name != request.name);
        self.df = df;
        self.derived.push(request.clone());
        self.checked = None;
        self.model_design_current = false;
        Ok(derived)
    }

    /// The guided formula for column roles and choices, with the meaning of every coefficient.
    pub fn guide(&self, roles: &Roles, choices: &ModelChoices) -> Result<GuidedModel, SessionError> {
        Ok(guided_model(&self.df, roles, choices)?)
    }

    /// Parses a formula and checks it against the data (its structure and every problem, with
    /// row numbers); when the data fit it, keeps its design for the next fit of that formula.
    pub fn check_formula(&mut self, formula: &str) -> Result<FormulaCheck, SessionError> {
        let parsed = parse(formula).map_err(EngineError::Formula)?;
        let (validation, built) = validate_and_build(&self.df, &parsed);
        let summary = parsed.summary();
        self.checked = built.map(|(design, info)| Prepared { formula: parsed, design, info });
        Ok(FormulaCheck { summary, validation })
    }

    /// Checks a fit request against the data as the fit will: the formula's data check (kept,
    /// as [`Session::check_formula`] keeps it, for the next fit), then, when it finds nothing,
    /// the options and the checks the fit makes before optimising; and the implausible values
    /// of the formula's columns. The model is ready when `validation.problems_total` is 0 and
    /// `fit_error` is `None`.
    pub fn readiness(&mut self, request: &FitRequest) -> Result<Readiness, SessionError> {
        let parsed = parse(&request.formula).map_err(EngineError::Formula)?;
        let (validation, built) = validate_and_build(&self.df, &parsed);
        let fit_error = match &built {
            _ if !validation.is_ok() => None,
            Some((design, _)) => request
                .options()
                .and_then(|options| check_fittable(design, &options).map_err(EngineError::from))
                .err(),
            None => check_request(&self.df, request).err(),
        };
        let value_warnings = implausible_values(&self.df, &parsed);
        let summary = parsed.summary();
        self.checked = built.map(|(design, info)| Prepared { formula: parsed, design, info });
        Ok(Readiness { summary, validation, fit_error, value_warnings })
    }

    /// Fits `request`, calling `progress` once per iteration, and keeps the model for views.
    /// The last model is dropped first, so a failed fit leaves none.
    pub fn fit(
        &mut self,
        request: &FitRequest,
        view: &ViewRequest,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<FitWithViews<'_>, SessionError> {
        self.model = None;
        let prepared = match self.checked.take() {
            Some(p) if p.formula.source() == request.formula => p,
            _ => {
                let (formula, design, info) = prepare(&self.df, &request.formula)?;
                Prepared { formula, design, info }
            }
        };
        let model = fit_prepared(prepared.formula, prepared.design, prepared.info, request, progress)?;
        let views = fit_views(&model, &self.df, view);
        let model = self.model.insert(model);
        self.model_design_current = true;
        Ok(FitWithViews { report: &model.report, views })
    }

    /// Fits `request` and returns the report alone (for scripts and the benchmark); the last
    /// model is unchanged.
    pub fn fit_report(
        &self,
        request: &FitRequest,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<FitReport, SessionError> {
        Ok(run_fit(&self.df, request, progress)?)
    }

    fn fitted(&self) -> Result<&FittedModel, SessionError> {
        self.model.as_ref().ok_or(SessionError::NoModel)
    }

    /// The views of the last fit for another request (another gradient term, say).
    pub fn views(&self, view: &ViewRequest) -> Result<FitViews, SessionError> {
        Ok(fit_views(self.fitted()?, &self.df, view))
    }

    /// The residual checks of the last fit, with the QQ and residual-against-fitted charts.
    pub fn check_model(&self, options: &CheckOptions) -> Result<CheckWithCharts, SessionError> {
        let model = self.fitted()?;
        let check = model.check(&self.df, options)?;
        let charts = check_charts(&check);
        Ok(CheckWithCharts { check, charts })
    }

    /// The random effects of the last fit by level (conditional modes with their conditional SDs
    /// and intervals, per-LA gradients of random slopes) and the caterpillar charts.
    pub fn random_effects(&self) -> Result<RandomEffectsWithCharts, SessionError> {
        let report = self.fitted()?.random_effects()?;
        let charts = ranef_charts(&report);
        Ok(RandomEffectsWithCharts { report, charts })
    }

    /// Adds profile-likelihood intervals to the last fit (the dispersion, every random-effect SD
    /// and the fixed effects named in `terms`) and returns its report; on failure the report is
    /// unchanged.
    pub fn profile(&mut self, terms: &[String]) -> Result<&FitReport, SessionError> {
        let model = self.model.as_mut().ok_or(SessionError::NoModel)?;
        model.add_profiles(terms)?;
        Ok(&model.report)
    }

    /// What a prediction from the last fit can be asked at: its numeric columns with their
    /// means and its grouping factors with their levels.
    pub fn prediction_inputs(&self) -> Result<PredictionInputs, SessionError> {
        Ok(self.fitted()?.prediction_inputs())
    }

    /// The expected rate and social-gradient score of the last fit at the columns' values `at`
    /// (the others at their means), for the population average or a `(group, level)`.
    pub fn predict(
        &self,
        at: &[(String, f64)],
        gradient_term: Option<&str>,
        level: Option<(&str, &str)>,
    ) -> Result<Prediction, SessionError> {
        Ok(self.fitted()?.predict(at, gradient_term, level)?)
    }

    /// Fits two written models on the same rows and compares them: AIC, BIC and the
    /// likelihood-ratio test when one is nested in the other. The last model is unchanged.
    pub fn compare_models(
        &self,
        first: &FitRequest,
        second: &FitRequest,
    ) -> Result<ModelComparison, SessionError> {
        Ok(compare_models(&self.df, first, second)?)
    }

    /// Poisson, NB2 and NB1 with and without the formula's random effects; the design of the
    /// last fit or check is used when it is of this formula.
    pub fn compare(
        &self,
        formula: &str,
        progress: &mut dyn FnMut(&CompareProgress),
    ) -> Result<Comparison, SessionError> {
        let kept = self
            .model
            .as_ref()
            .filter(|_| self.model_design_current)
            .map(|m| (&m.formula, &m.design))
            .into_iter()
            .chain(self.checked.as_ref().map(|p| (&p.formula, &p.design)))
            .find(|(f, _)| f.source() == formula);
        match kept {
            Some((f, design)) => Ok(compare_design(f, design, progress)),
            None => {
                let (f, design, _) = prepare(&self.df, formula)?;
                Ok(compare_design(&f, &design, progress))
            }
        }
    }

    /// The R script reproducing the last fit, with the session's derived columns and delimiter.
    pub fn r_script(&self, request: &RScriptRequest) -> String {
        let request =
            RScriptRequest { derived: self.derived.clone(), delimiter: self.delimiter, ..request.clone() };
        r_script(&request, self.model.as_ref().map(|m| &m.report))
    }
}
