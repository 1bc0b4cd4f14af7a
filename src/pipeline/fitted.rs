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
use crate::formula::{parse, row_design, Cell, DesignInfo, Formula, NewDataError, NewRow};
use crate::report::gradient::{gradient_contexts, gradient_score, GradientContexts, GradientScore};
use crate::report::la_gradients::{self, LaGradientReport, LaGradientRequest, LaGradients};
use crate::report::levels::level_data_values;
use crate::report::prediction::{
    predict, predict_row, prediction_inputs, InputSource, Prediction, PredictionInputs, RowInput,
};
use crate::report::profile::{fill_profiles, profile_parameters};
use crate::report::ranef::{random_effects, RandomEffectsReport};
use crate::report::FitReport;
use crate::report::ReportError;

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
        let BuiltFormula { formula, design, info, .. } = built;
        let report = FitReport::new(&fit, &design, &formula.to_string(), &info.missing);
        FittedModel { formula, design, info, request, options, fit, report, optimum }
    }

    /// Whether this is the fit of `request`: the same formula (as R prints it), family and
    /// options.
    pub fn is_fit_of(&self, request: &FitRequest) -> bool {
        request.family == self.fit.family
            && request.zi == self.request.zi
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

    /// Predictions at a new row of the data's own columns (`income_dep = 25`, `la_dep = 30`),
    /// every term transformed as the fit transformed its data ([`crate::formula::row_design`]).
    /// `df` is the data the model was fitted on.
    ///
    /// The level of the random effects is `level` or, without it, the row's value of the first
    /// random-effect group it names (`la = "E06000009"`); `level` also sets the group's column
    /// in the row (the group of `within()`). For that level, a column the terms read that the
    /// row does not give and that is one value within every level (an LA's deprivation) takes
    /// the level's own value ([`InputSource::LevelOwn`]).
    pub fn predict_row(
        &self,
        df: &DataFrame,
        row: &NewRow,
        gradient_term: Option<&str>,
        level: Option<(&str, &str)>,
    ) -> Result<Prediction, EngineError> {
        let mut row = row.clone();
        let mut own: Vec<String> = Vec::new();
        let single = |group: &str| {
            self.formula.random_terms().iter().find(|r| r.group() == group).and_then(|r| {
                match r.group_columns() {
                    [column] => Some(column.clone()),
                    _ => None,
                }
            })
        };
        let level: Option<(String, String)> = match level {
            Some((group, name)) => {
                if let Some(column) = single(group) {
                    match row.get(&column) {
                        Some(cell) if cell.label() != name => {
                            return Err(EngineError::Request {
                                message: format!(
                                    "the row's {column} is '{cell}' but the prediction is asked for {group} '{name}'"
                                ),
                            })
                        }
                        Some(_) => {}
                        None => row.set(&column, Cell::Text(name.to_owned())),
                    }
                }
                Some((group.to_owned(), name.to_owned()))
            }
            None => self.formula.random_terms().iter().find_map(|r| match r.group_columns() {
                [column] => row.get(column).map(|cell| (r.group(), cell.label())),
                _ => None,
            }),
        };
        if let Some((group, name)) = &level {
            if let Some(term) = self.design.random.iter().find(|t| t.group == *group) {
                let Some(i) = term.levels.iter().position(|l| l == name) else {
                    let spec = self.formula.random_terms().iter().find(|r| r.group() == *group);
                    return Err(ReportError::from(NewDataError::NotALevel {
                        column: single(group).unwrap_or_else(|| group.clone()),
                        term: spec.map_or_else(|| group.clone(), |r| r.to_string()),
                        value: name.clone(),
                        levels: term.levels.clone(),
                    })
                    .into());
                };
                {
                    for column in self.formula.row_columns().needed {
                        if row.get(&column).is_some() {
                            continue;
                        }
                        if let Some(values) = level_data_values(term, &self.design, df, &column) {
                            row.set(&column, Cell::Number(values[i]));
                            own.push(column);
                        }
                    }
                }
            }
        }
        let design = row_design(&self.formula, &self.info, df, &row).map_err(ReportError::from)?;
        let inputs = row
            .cells
            .iter()
            .map(|(column, value)| RowInput {
                column: column.clone(),
                value: value.clone(),
                source: if own.contains(column) { InputSource::LevelOwn } else { InputSource::Given },
            })
            .collect();
        let level = level.as_ref().map(|(g, l)| (g.as_str(), l.as_str()));
        Ok(predict_row(&self.fit, self.formula.exposure_scale(), &design, inputs, gradient_term, level)?)
    }

    /// Predictions at named values as a person writes them (`income_dep=25,la_dep=30` or
    /// `within(income_dep/10, la)=1`): on the data's own scale ([`Self::predict_row`]) when
    /// every name is a data column the model reads and they give every column its terms read;
    /// otherwise, when every name is a main-effect column of the model, at those model values
    /// with the other columns at 0 ([`Self::predict`]). So the data's columns win: a name that
    /// is both (`imd_z` in `count ~ imd_z`) is read on the data's scale when the row is
    /// complete, which is the same value. Anything else is refused, naming the column.
    pub fn predict_named(
        &self,
        df: &DataFrame,
        values: &[(String, String)],
        gradient_term: Option<&str>,
        level: Option<(&str, &str)>,
    ) -> Result<Prediction, EngineError> {
        let columns = self.formula.row_columns();
        let mut data: Vec<String> = columns.needed.clone();
        data.extend(columns.groups.iter().cloned());
        data.extend(columns.offsets.iter().cloned());
        for r in self.formula.random_terms() {
            data.extend(r.group_columns().iter().cloned());
        }
        let main: Vec<&String> = self
            .fit
            .terms
            .iter()
            .zip(&self.fit.columns)
            .filter(|(_, c)| c.order() == 1)
            .map(|(t, _)| t)
            .collect();
        let all_data = values.iter().all(|(n, _)| data.contains(n));
        let all_model = values.iter().all(|(n, _)| main.contains(&n));
        let complete = columns.needed.iter().all(|c| values.iter().any(|(n, _)| n == c));
        let number = |name: &str, text: &str| -> Result<f64, EngineError> {
            match text.trim().parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(v),
                _ => Err(EngineError::Report(ReportError::RowValue {
                    column: name.to_owned(),
                    message: format!(
                        "the value of '{name}' must be a finite number, found '{}'",
                        text.trim()
                    ),
                })),
            }
        };
        if all_data && (complete || !all_model) {
            let row = NewRow {
                cells: values
                    .iter()
                    .map(|(n, v)| {
                        let cell = match v.trim().parse::<f64>() {
                            Ok(x) => Cell::Number(x),
                            Err(_) => Cell::Text(v.trim().to_owned()),
                        };
                        (n.clone(), cell)
                    })
                    .collect(),
            };
            return self.predict_row(df, &row, gradient_term, level);
        }
        if all_model {
            let at = values
                .iter()
                .map(|(n, v)| Ok((n.clone(), number(n, v)?)))
                .collect::<Result<Vec<_>, EngineError>>()?;
            return self.predict(&at, gradient_term, level);
        }
        let unknown = values.iter().find(|(n, _)| !data.contains(n) && !main.contains(&n));
        let message = match unknown {
            Some((name, _)) => format!(
                "'{name}' is neither a column of the data the model reads ({}) nor a column of the model ({})",
                data.join(", "),
                main.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(", ")
            ),
            None => format!(
                "the values mix the data's columns ({}) with the model's ({}): give the data's columns, as in {}",
                data.join(", "),
                main.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(", "),
                columns.needed.iter().map(|c| format!("{c}=...")).collect::<Vec<_>>().join(",")
            ),
        };
        Err(EngineError::Request { message })
    }

    /// The random effects by level (see [`crate::report::ranef`]).
    pub fn random_effects(&self) -> Result<RandomEffectsReport, EngineError> {
        Ok(random_effects(&self.fit, &self.design)?)
    }

    /// See [`crate::report::prediction::prediction_inputs`]; `df` is the data the model was
    /// fitted on.
    pub fn prediction_inputs(&self, df: &DataFrame) -> PredictionInputs {
        prediction_inputs(&self.fit, &self.formula, &self.design, &self.info, df)
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
