//! The engine's front door for one loaded file: read it once, derive LA-level columns, write a
//! guided formula, check a formula or a whole fit request, fit, and ask the fitted model for
//! views, checks, random effects by level, profile intervals, predictions, comparisons and an R
//! script. The command line, the page's worker (through a thin JSON wrapper,
//! `bindings/engine.rs`) and the tests all drive a [`Session`].
//!
//! The formula checked last is kept built on the data when the data fit it, so fitting that
//! formula next does not parse or build it again. The last fitted model is kept with its
//! objective at the optimum, and every later question starts from it: profiles, random
//! effects, predictions and checks, the R script, a comparison of families of its formula (its
//! own row is not fitted again) and a comparison with a second model (one fit). Deriving a
//! column changes the data and drops the kept design.

use super::compare::{compare_families, compare_models, CompareProgress};
use super::prepared::{BuiltFormula, PreparedModel};
use super::{EngineError, FitRequest, FittedModel};
use crate::data::{
    preview, read_csv_file, summarise, BadColumn, Column, ColumnSummary, DataError, DataFrame, Delimiter,
    Preview,
};
use crate::design::Design;
use crate::diagnostics::coordinates::{find_coordinates, CoordinateColumns};
use crate::diagnostics::{CheckOptions, ModelCheck};
use crate::fit::{check_fittable, Progress, Warning};
use crate::fit_views::{
    check_charts, fit_views, r_script, ranef_charts, ChartView, FitViews, RScriptRequest, ScriptModel,
    ViewRequest,
};
use crate::formula::NewRow;
use crate::formula::{parse, validate_and_build, FormulaSummary, ValidationReport};
use crate::report::compare::Comparison;
use crate::report::compare_models::ModelComparison;
use crate::report::prediction::{Prediction, PredictionInputs};
use crate::report::ranef::RandomEffectsReport;
use crate::report::FitReport;
use crate::workflow::checks::file_warnings;
use crate::workflow::derive::{add_weighted_group_mean, DeriveRequest, Derived};
use crate::workflow::guided::{guided_model, GuidedModel, ModelChoices};
use crate::workflow::plausibility::{implausible_values, ValueWarning};
use crate::workflow::roles::{guess_roles, Roles};
use serde::Serialize;

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
    /// Signs that the file is not what the page expects (each bad column's explanation first).
    pub warnings: Vec<String>,
    /// The cells of numeric columns that are not numbers, read as missing.
    pub bad_cells: Vec<BadColumn>,
    /// The coordinate columns the spatial check and the spatial model read, if the file has them.
    pub coordinates: Option<CoordinateColumns>,
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
    /// The error the fit would stop with although the data check found nothing (quadrature on a
    /// random slope, bad options, ...).
    pub fit_error: Option<EngineError>,
    pub value_warnings: Vec<ValueWarning>,
    /// The cells of the formula's columns that are not numbers, which the fit reads as missing:
    /// the page asks whether to treat them so or to fix the file.
    pub bad_cells: Vec<BadColumn>,
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

/// A loaded file and what has been done with it: derived columns, the formula checked last
/// and the last fitted model.
#[derive(Debug, Clone)]
pub struct Session {
    df: DataFrame,
    derived: Vec<DeriveRequest>,
    delimiter: Delimiter,
    /// The file's cells that are not numbers in numeric columns.
    bad_cells: Vec<BadColumn>,
    checked: Option<BuiltFormula>,
    model: Option<FittedModel>,
    /// False once a column has been derived after the last fit: its design may no longer be
    /// the formula's on the data.
    model_design_current: bool,
}

impl Session {
    /// Reads a CSV file's bytes (delimiter and decimal comma detected).
    pub fn open(bytes: &[u8]) -> Result<Session, EngineError> {
        let file = read_csv_file(bytes)?;
        let mut session = Session::from_frame(file.frame);
        session.delimiter = file.delimiter;
        session.bad_cells = file.bad_cells;
        Ok(session)
    }

    /// A session on data already read (a simulated sample, say), as a comma-separated file.
    pub fn from_frame(df: DataFrame) -> Session {
        Session {
            df,
            derived: Vec::new(),
            delimiter: Delimiter::Comma,
            bad_cells: Vec::new(),
            checked: None,
            model: None,
            model_design_current: false,
        }
    }

    /// A session on the data of another one, without reading the file again: its frame with
    /// derived columns, the derivations that made them, the file's delimiter and its bad cells
    /// (the page's second worker is given them so).
    pub fn from_read(
        df: DataFrame,
        derived: Vec<DeriveRequest>,
        delimiter: Delimiter,
        bad_cells: Vec<BadColumn>,
    ) -> Session {
        Session { derived, delimiter, bad_cells, ..Session::from_frame(df) }
    }

    /// The data, with derived columns.
    pub fn frame(&self) -> &DataFrame {
        &self.df
    }

    /// The derivations applied to the data, in order.
    pub fn derived(&self) -> &[DeriveRequest] {
        &self.derived
    }

    /// How the file separates its fields.
    pub fn delimiter(&self) -> Delimiter {
        self.delimiter
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
            warnings: self
                .bad_cells
                .iter()
                .map(|b| b.message.clone())
                .chain(file_warnings(&self.df))
                .collect(),
            bad_cells: self.bad_cells.clone(),
            coordinates: find_coordinates(&self.df),
        }
    }

    /// The file's cells that are not numbers, per numeric column.
    pub fn bad_cells(&self) -> &[BadColumn] {
        &self.bad_cells
    }

    /// The bad cells of the columns `formula` uses (none when it does not parse).
    fn bad_cells_used(&self, formula: &str) -> Vec<BadColumn> {
        let Ok(parsed) = parse(formula) else { return Vec::new() };
        let used = parsed.columns_used();
        self.bad_cells.iter().filter(|b| used.contains(&b.column)).cloned().collect()
    }

    /// Refuses a formula using a numeric column none of whose cells is a number a model can use
    /// (every one is missing or bad), naming its bad cells and their fix.
    fn check_usable(&self, formula: &str) -> Result<(), EngineError> {
        for bad in self.bad_cells_used(formula) {
            let no_number = match self.df.column(&bad.column) {
                Some(Column::Numeric(v)) => v.iter().all(|x| x.is_nan()),
                _ => false,
            };
            if no_number {
                return Err(DataError::NoNumbers { column: bad.column.clone(), detail: bad.message }.into());
            }
        }
        Ok(())
    }

    /// Adds a derived LA-level column; deriving a name again replaces the earlier derivation.
    pub fn derive(&mut self, request: &DeriveRequest) -> Result<Derived, EngineError> {
        let base = match self.derived.iter().position(|d| d.name == request.name) {
            Some(_) => {
                let kept = self
                    .df
                    .columns()
                    .filter(|(n, _)| *n != request.name)
                    .map(|(n, c)| (n.to_owned(), c.clone()));
                Some(DataFrame::from_columns(kept)?)
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
    pub fn guide(&self, roles: &Roles, choices: &ModelChoices) -> Result<GuidedModel, EngineError> {
        Ok(guided_model(&self.df, roles, choices)?)
    }

    /// Parses a formula and checks it against the data (its structure and every problem, with
    /// row numbers); when the data fit it, keeps its design for the next fit of that formula.
    pub fn check_formula(&mut self, formula: &str) -> Result<FormulaCheck, EngineError> {
        let parsed = parse(formula)?;
        let (validation, built) = validate_and_build(&self.df, &parsed);
        let summary = parsed.summary();
        self.checked = built.map(|(design, info)| BuiltFormula { formula: parsed, design, info, zi: None });
        Ok(FormulaCheck { summary, validation })
    }

    /// Checks a fit request against the data as the fit will: the formula's data check (kept,
    /// as [`Session::check_formula`] keeps it, for the next fit), then, when it finds nothing,
    /// the options, the zero-inflation formula and the checks the fit makes before optimising;
    /// and the implausible values of the formula's columns. The model is ready when `validation.problems_total` is 0 and
    /// `fit_error` is `None`.
    pub fn readiness(&mut self, request: &FitRequest) -> Result<Readiness, EngineError> {
        let parsed = parse(&request.formula)?;
        self.check_usable(&request.formula)?;
        let (validation, built) = validate_and_build(&self.df, &parsed);
        let fittable =
            |design: &Design| -> Result<(), EngineError> { Ok(check_fittable(design, &request.options()?)?) };
        // The zero-inflation formula, built on the model's rows as the fit builds it.
        let zero_inflation = |built: BuiltFormula| -> Result<(), EngineError> {
            built.zero_inflated(&self.df, request.zi.as_deref()).map(|_| ())
        };
        let fit_error = match &built {
            _ if !validation.is_ok() => None,
            Some((design, info)) => {
                let built = BuiltFormula {
                    formula: parsed.clone(),
                    design: design.clone(),
                    info: info.clone(),
                    zi: None,
                };
                built
                    .check_levels(request)
                    .and_then(|()| built.check_family(request))
                    .and_then(|()| fittable(design))
                    .and_then(|()| zero_inflation(built))
                    .err()
            }
            None => BuiltFormula::new(&self.df, &request.formula)
                .and_then(|b| {
                    b.check_levels(request)
                        .and_then(|()| b.check_family(request))
                        .and_then(|()| fittable(&b.design))
                        .map(|()| b)
                })
                .and_then(zero_inflation)
                .err(),
        };
        let value_warnings = implausible_values(&self.df, &parsed);
        let summary = parsed.summary();
        self.checked = built.map(|(design, info)| BuiltFormula { formula: parsed, design, info, zi: None });
        let bad_cells = self.bad_cells_used(&request.formula);
        Ok(Readiness { summary, validation, fit_error, value_warnings, bad_cells })
    }

    /// The request prepared on the data: from the formula checked last when it is the
    /// request's, else built now.
    fn prepare(&mut self, request: &FitRequest) -> Result<PreparedModel, EngineError> {
        self.check_usable(&request.formula)?;
        let built = match self.checked.take() {
            Some(b) if b.formula.source() == request.formula => b,
            _ => BuiltFormula::new(&self.df, &request.formula)?,
        };
        PreparedModel::from_built(built.zero_inflated(&self.df, request.zi.as_deref())?, request)
    }

    /// Fits `request`, calling `progress` once per iteration, and keeps the model for every
    /// later question. The last model is dropped first, so a failed fit leaves none.
    pub fn fit_model(
        &mut self,
        request: &FitRequest,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<&FittedModel, EngineError> {
        self.model = None;
        let mut model = self.prepare(request)?.fit(progress)?;
        let bad = self.bad_cells_used(&request.formula);
        let warnings: Vec<Warning> = bad.iter().map(|b| Warning::bad_cells(b.message.clone())).collect();
        model.report.warnings.splice(0..0, warnings);
        self.model_design_current = true;
        Ok(self.model.insert(model))
    }

    /// Fits `request` as [`Session::fit_model`] does, with the page's views of the fit.
    pub fn fit(
        &mut self,
        request: &FitRequest,
        view: &ViewRequest,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<FitWithViews<'_>, EngineError> {
        self.fit_model(request, progress)?;
        let model = self.fitted()?;
        let views = fit_views(model.parts(), &self.df, view);
        Ok(FitWithViews { report: &model.report, views })
    }

    /// Fits `request` and returns the report alone (for scripts and the benchmark); the last
    /// model is unchanged.
    pub fn fit_report(
        &self,
        request: &FitRequest,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<FitReport, EngineError> {
        Ok(PreparedModel::new(&self.df, request)?.fit(progress)?.report)
    }

    /// The last fitted model (an error when none has been fitted).
    pub fn fitted(&self) -> Result<&FittedModel, EngineError> {
        self.model.as_ref().ok_or(EngineError::NoModel)
    }

    /// The views of the last fit for another request (another gradient term, say).
    pub fn views(&self, view: &ViewRequest) -> Result<FitViews, EngineError> {
        Ok(fit_views(self.fitted()?.parts(), &self.df, view))
    }

    /// The residual checks of the last fit, with the QQ and residual-against-fitted charts.
    pub fn check_model(&self, options: &CheckOptions) -> Result<CheckWithCharts, EngineError> {
        let check = self.fitted()?.check(&self.df, options)?;
        let charts = check_charts(&check);
        Ok(CheckWithCharts { check, charts })
    }

    /// The random effects of the last fit by level (conditional modes with their conditional SDs
    /// and intervals, per-LA gradients of random slopes) and the caterpillar charts.
    pub fn random_effects(&self) -> Result<RandomEffectsWithCharts, EngineError> {
        let report = self.fitted()?.random_effects()?;
        let charts = ranef_charts(&report);
        Ok(RandomEffectsWithCharts { report, charts })
    }

    /// Adds profile-likelihood intervals to the last fit (the dispersion, every random-effect SD
    /// and the fixed effects named in `terms`), profiling its objective from the optimum, and
    /// returns its report; on failure the report is unchanged.
    pub fn profile(&mut self, terms: &[String]) -> Result<&FitReport, EngineError> {
        let model = self.model.as_mut().ok_or(EngineError::NoModel)?;
        model.add_profiles(terms)?;
        Ok(&model.report)
    }

    /// What a prediction from the last fit can be asked at: its numeric columns with their
    /// means and its grouping factors with their levels, the file's names for them and their
    /// own values of the group-level columns.
    pub fn prediction_inputs(&self) -> Result<PredictionInputs, EngineError> {
        Ok(self.fitted()?.prediction_inputs(&self.df))
    }

    /// The expected rate and social-gradient score of the last fit at the columns' values `at`
    /// (the others at their means), for the population average or a `(group, level)`.
    pub fn predict(
        &self,
        at: &[(String, f64)],
        gradient_term: Option<&str>,
        level: Option<(&str, &str)>,
    ) -> Result<Prediction, EngineError> {
        self.fitted()?.predict(at, gradient_term, level)
    }

    /// The expected rate and social-gradient score of the last fit at a new row of the data's
    /// own columns (see [`FittedModel::predict_row`]).
    pub fn predict_row(
        &self,
        row: &NewRow,
        gradient_term: Option<&str>,
        level: Option<(&str, &str)>,
    ) -> Result<Prediction, EngineError> {
        self.fitted()?.predict_row(&self.df, row, gradient_term, level)
    }

    /// The last model when its design is still its formula's on the data.
    fn current_model(&self) -> Option<&FittedModel> {
        self.model.as_ref().filter(|_| self.model_design_current)
    }

    /// Fits two written models on the same rows and compares them: AIC, BIC and the
    /// likelihood-ratio test when one is nested in the other. A request the last model is the
    /// fit of is not fitted again. The last model is unchanged.
    pub fn compare_models(
        &self,
        first: &FitRequest,
        second: &FitRequest,
    ) -> Result<ModelComparison, EngineError> {
        compare_models(&self.df, first, second, self.current_model())
    }

    /// Poisson, NB2 and NB1 with and without the formula's random effects. The design of the
    /// last fit or check is used when it is of this formula, and the last fit gives its own row.
    pub fn compare(
        &self,
        formula: &str,
        progress: &mut dyn FnMut(&CompareProgress),
    ) -> Result<Comparison, EngineError> {
        let kept = self.current_model().filter(|m| m.formula.source() == formula);
        let checked = self.checked.as_ref().filter(|b| b.formula.source() == formula);
        let built;
        let (f, design) = match (kept, checked) {
            (Some(m), _) => (&m.formula, &m.design),
            (None, Some(b)) => (&b.formula, &b.design),
            (None, None) => {
                built = BuiltFormula::new(&self.df, formula)?;
                (&built.formula, &built.design)
            }
        };
        Ok(compare_families(f, design, kept, progress))
    }

    /// The R script reproducing the last fit, with the session's derived columns and delimiter,
    /// listing the fit's estimates; or, when `request` names another model (or none is fitted),
    /// that model's script.
    pub fn r_script(&self, request: &RScriptRequest) -> Result<String, EngineError> {
        let kept = self.model.as_ref().filter(|m| {
            request.formula.as_ref().map_or(true, |f| *f == m.formula.source())
                && request.family.map_or(true, |f| f == m.fit.family)
        });
        let model = match (kept, &request.formula, request.family) {
            (Some(m), _, _) => {
                ScriptModel { formula: m.formula.source(), family: m.fit.family, report: Some(&m.report) }
            }
            (None, Some(formula), Some(family)) => ScriptModel { formula, family, report: None },
            _ => return Err(EngineError::NoModel),
        };
        let request = RScriptRequest {
            derived: self.derived.clone(),
            delimiter: self.delimiter,
            bad_columns: self.bad_cells.iter().map(|b| b.column.clone()).collect(),
            ..request.clone()
        };
        Ok(r_script(&request, &model))
    }
}
