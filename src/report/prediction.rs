//! Predictions at covariate values the user chooses: the expected rate and the social-gradient
//! score, for the population average (random effects at 0) and for one level of a grouping
//! factor (an LA, with its conditional modes added).
//!
//! The covariate values set the model-matrix row `x`: the intercept is 1, each main-effect
//! column takes its given value (0 when not given: the mean of a centred covariate, the
//! reference level of a factor), and an interaction column is the product of its parts. The
//! log rate is `eta = x' beta`, a rate per unit of the offset's exposure (`offset(log(pop))`:
//! per child; `offset(log(pop/10000))`: per 10,000). Its standard error is the delta-method
//! `se(eta)^2 = x' V x` from the covariance `V` of the fixed effects (exact for a linear
//! combination), and the 95% interval of the rate is `exp(eta -+ 1.96 se)` times the exposure
//! scale. For an LA, `eta + z' b_LA` with `z` the random-effect columns at the same values and
//! `b_LA` the LA's conditional modes; its interval uses the same fixed-effect standard error,
//! so it does not include the uncertainty of the modes. The score of a deprivation term is that
//! of [`super::gradient_score`] at the given moderator values, plus the LA's random slope of
//! the term for an LA.

use super::gradient::{gradient_score, moderators_of, term_index, GradientScore};
use super::levels::{group_levels, GroupLevels};
use super::stats::Z_975;
use super::ReportError;
use crate::data::Column;
use crate::data::DataFrame;
use crate::design::Design;
use crate::fit::Fit;
use crate::formula::{Cell, DesignInfo, Formula, RowDesign};
use serde::Serialize;

/// The statement attached to every prediction interval.
pub const INTERVAL_NOTE: &str = "95% intervals reflect the uncertainty of the fixed effects only (delta \
    method); for an LA, the uncertainty of its random effects (conditional modes) is not included";

/// An expected rate with its interval; for a binomial model, the expected probability (see
/// [`Prediction::quantity`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rate {
    /// `x' beta` (plus `z' b` for an LA): the log rate per unit of exposure; for a binomial
    /// model, the linear predictor on the link scale (the log odds with the logit link).
    pub log_rate: f64,
    /// Delta-method standard error of `log_rate` from the fixed effects.
    pub std_error: f64,
    /// Rate per `per` units of exposure (per 10,000 when the offset's scale is known).
    pub rate: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// Exposure units the rate is expressed per (10,000 children, or 1 unit of the offset's
    /// exposure when its scale cannot be read from the formula).
    pub per: f64,
    /// The expected count of an area with the row's exposure, `exp(eta + offset)`, with its
    /// interval; only when the row gives the offset's columns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<ExpectedCount>,
}

/// The expected count at a row's own offset (its child population, say).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExpectedCount {
    /// The offset at the row (`log(children / 10000)`, say).
    pub offset: f64,
    pub count: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// Where a value of a new row came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputSource {
    /// Given by the user.
    Given,
    /// The chosen level's own value of a column that is one value within each level (an LA's
    /// deprivation), filled in because it was not given.
    LevelOwn,
}

/// One value of the data's own columns a prediction was made at.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowInput {
    pub column: String,
    pub value: Cell,
    pub source: InputSource,
}

/// Predictions for one level of a grouping factor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelPrediction {
    pub group: String,
    pub level: String,
    pub rate: Rate,
    pub score: Option<GradientScore>,
}

/// Predictions at the given covariate values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prediction {
    /// What [`Rate::rate`] is: `rate` for a count model, `probability` for a binomial one
    /// (the probability of a success, `linkinv(eta)`, with its interval `linkinv(eta -+ 1.96
    /// se)`; `per` is 1).
    pub quantity: &'static str,
    /// The values of the data's own columns the prediction was made at (empty when it was
    /// asked at the model's columns).
    pub inputs: Vec<RowInput>,
    /// The model's main-effect columns at the prediction, `(model-matrix column, value)`: derived
    /// from `inputs` as the fit transformed its data, or as given (every other column at 0).
    pub at: Vec<(String, f64)>,
    /// Population average (random effects at 0).
    pub rate: Rate,
    /// The social-gradient score of `gradient_term`, when asked for.
    pub score: Option<GradientScore>,
    pub level: Option<LevelPrediction>,
    pub note: String,
    /// For a zero-inflated model: the probability of a structural zero at the same values and
    /// the expected counts `(1 - pi) mu` per the rates' exposure (glmmTMB's
    /// `predict(type = "response")`); `rate` is then the conditional model's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zero_inflation: Option<ZeroInflatedPrediction>,
}

/// The expected counts of a zero-inflated model at a prediction's values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZeroInflatedPrediction {
    /// Probability of a structural zero.
    pub structural_zero: f64,
    /// `(1 - pi)` times the population-average rate.
    pub expected: f64,
    /// `(1 - pi)` times the level's rate, when a level was asked for.
    pub expected_level: Option<f64>,
}

/// The probability of a structural zero at `at` (zero-inflation columns named as main effects
/// take their values, interactions the product of their parts, others 0).
fn structural_zero(zi: &crate::fit::ZeroInflationFit, at: &[(String, f64)]) -> f64 {
    let value_of = |name: &str| at.iter().find(|(n, _)| n == name).map_or(0.0, |(_, v)| *v);
    let zeta: f64 = zi
        .terms
        .iter()
        .zip(&zi.estimate)
        .map(|(t, g)| {
            let x = if t == "(Intercept)" { 1.0 } else { t.split(':').map(value_of).product() };
            x * g
        })
        .sum();
    1.0 / (1.0 + (-zeta).exp())
}

/// Parses `name=value,name=value` (commas inside parentheses belong to the name, as in
/// `within(imd, la)=1`) into names and numbers.
pub fn parse_values(text: &str) -> Result<Vec<(String, f64)>, String> {
    parse_named(text)?
        .into_iter()
        .map(|(name, value)| {
            let number: f64 = value
                .parse()
                .map_err(|_| format!("the value of '{name}' must be a number, found '{value}'"))?;
            if !number.is_finite() {
                return Err(format!("the value of '{name}' must be a finite number"));
            }
            Ok((name, number))
        })
        .collect()
}

/// Parses `name=value,name=value` into names and the values' text, trimmed (commas inside
/// parentheses belong to the name, as in `within(imd, la)=1`; a value may be a label, as in
/// `la=E06000009`).
pub fn parse_named(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut pieces = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, ch) in text.char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                pieces.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    pieces.push(&text[start..]);
    pieces
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .map(|piece| {
            let (name, value) = piece
                .rsplit_once('=')
                .ok_or_else(|| format!("'{}' should be name=value, as in income_dep=25", piece.trim()))?;
            if value.trim().is_empty() {
                return Err(format!("'{}' has no value after '='", name.trim()));
            }
            Ok((name.trim().to_owned(), value.trim().to_owned()))
        })
        .collect()
}

/// The model-matrix row for the values `at`; every name must be a main-effect column.
fn model_row(fit: &Fit, at: &[(String, f64)]) -> Result<Vec<f64>, ReportError> {
    if fit.columns.len() != fit.terms.len() {
        return Err(ReportError::DesignMismatch {
            message: format!("the fit has {} terms but {} model columns", fit.terms.len(), fit.columns.len()),
        });
    }
    let main: Vec<&String> =
        fit.terms.iter().zip(&fit.columns).filter(|(_, c)| c.order() == 1).map(|(t, _)| t).collect();
    for (i, (name, value)) in at.iter().enumerate() {
        if !main.contains(&name) {
            return Err(ReportError::UnknownTerm {
                term: name.clone(),
                known: main.iter().map(|t| (*t).clone()).collect(),
            });
        }
        if at[..i].iter().any(|(n, _)| n == name) {
            return Err(ReportError::RepeatedModerator { moderator: name.clone() });
        }
        if !value.is_finite() {
            return Err(ReportError::InvalidValue { term: name.clone(), value: *value });
        }
    }
    let value_of = |name: &str| at.iter().find(|(n, _)| n == name).map_or(0.0, |(_, v)| *v);
    Ok(fit.columns.iter().map(|c| c.parts.iter().map(|p| value_of(&p.name())).product()).collect())
}

fn rate(log_rate: f64, std_error: f64, (scale, per): (f64, f64), offset: Option<f64>) -> Rate {
    let count = offset.map(|offset| ExpectedCount {
        offset,
        count: (log_rate + offset).exp(),
        ci_low: (log_rate + offset - Z_975 * std_error).exp(),
        ci_high: (log_rate + offset + Z_975 * std_error).exp(),
    });
    Rate {
        log_rate,
        std_error,
        rate: log_rate.exp() * scale,
        ci_low: (log_rate - Z_975 * std_error).exp() * scale,
        ci_high: (log_rate + Z_975 * std_error).exp() * scale,
        per,
        count,
    }
}

/// A prediction's row: the model-matrix row `x` (aligned with the fit's columns), its main
/// effects `at`, each random term's columns `z` (aligned with the fit's random terms), the
/// offset when known, the data values it came from and the choices made.
struct PredictionRow {
    at: Vec<(String, f64)>,
    x: Vec<f64>,
    z: Vec<Vec<(String, f64)>>,
    offset: Option<f64>,
    inputs: Vec<RowInput>,
    notes: Vec<String>,
}

/// Predictions from `fit` at `at`, values of the model's main-effect columns (every other
/// column at 0); `exposure` is the offset's exposure units per unit
/// ([`crate::formula::Formula::exposure_scale`]), for the rate's scale; `gradient_term` the
/// deprivation term whose score is wanted; `level` a `(group, level)` of the random effects.
pub fn predict(
    fit: &Fit,
    exposure: Option<f64>,
    at: &[(String, f64)],
    gradient_term: Option<&str>,
    level: Option<(&str, &str)>,
) -> Result<Prediction, ReportError> {
    let x = model_row(fit, at)?;
    let value_of = |name: &str| at.iter().find(|(n, _)| n == name).map_or(0.0, |(_, v)| *v);
    let z = fit
        .random
        .iter()
        .map(|r| {
            r.terms.iter().map(|c| (c.clone(), if c == "(Intercept)" { 1.0 } else { value_of(c) })).collect()
        })
        .collect();
    let row = PredictionRow {
        at: at.to_vec(),
        x,
        z,
        offset: None,
        inputs: Vec::new(),
        notes: vec!["columns not given are at 0".to_owned()],
    };
    predict_at(fit, exposure, row, gradient_term, level)
}

/// Predictions from `fit` at a new row of the data, `design` being the model evaluated there
/// ([`crate::formula::row_design`]) and `inputs` the row's values; otherwise as [`predict`].
pub fn predict_row(
    fit: &Fit,
    exposure: Option<f64>,
    design: &RowDesign,
    inputs: Vec<RowInput>,
    gradient_term: Option<&str>,
    level: Option<(&str, &str)>,
) -> Result<Prediction, ReportError> {
    let x = fit
        .terms
        .iter()
        .map(|t| {
            design.x.iter().find(|(n, _)| n == t).map(|(_, v)| *v).ok_or_else(|| {
                ReportError::DesignMismatch {
                    message: format!("the fit's column '{t}' is not among the columns of the new row"),
                }
            })
        })
        .collect::<Result<Vec<f64>, _>>()?;
    let at = fit
        .terms
        .iter()
        .zip(&fit.columns)
        .zip(&x)
        .filter(|((_, c), _)| c.order() == 1)
        .map(|((t, _), v)| (t.clone(), *v))
        .collect();
    let row = PredictionRow {
        at,
        x,
        z: design.z.clone(),
        offset: design.offset,
        inputs,
        notes: design.notes.clone(),
    };
    predict_at(fit, exposure, row, gradient_term, level)
}

/// The refusal of a prediction whose linear predictor `eta` is beyond what a rate can hold,
/// naming the values it was asked at.
fn out_of_range(eta: f64, at: &[(String, f64)], inputs: &[RowInput]) -> ReportError {
    let values: Vec<String> = if inputs.is_empty() {
        at.iter().map(|(n, v)| format!("'{n}' = {}", super::rformat::format_g(*v, 4))).collect()
    } else {
        inputs.iter().map(|i| format!("'{}' = {}", i.column, i.value)).collect()
    };
    let at = if values.is_empty() { "these values".to_owned() } else { values.join(", ") };
    ReportError::OutOfRange { eta, at }
}

/// A level's random effects at the prediction's values: `shift = sum_k z_k b_k` over the terms of
/// `group` at level `name` (with `z` the row's random-effect columns by term), and `slope`, the
/// sum of its modes on the gradient term (the level's own change in the social gradient).
fn level_shift(
    fit: &Fit,
    z: &[Vec<(String, f64)>],
    (group, name): (&str, &str),
    gradient_term: Option<&str>,
) -> Result<(f64, f64), ReportError> {
    let terms: Vec<(usize, _)> = fit.random.iter().enumerate().filter(|(_, r)| r.group == group).collect();
    if terms.is_empty() {
        let mut groups: Vec<String> = Vec::new();
        for r in &fit.random {
            if !groups.contains(&r.group) {
                groups.push(r.group.clone());
            }
        }
        return Err(ReportError::NotAGroup { group: group.to_owned(), groups });
    }
    let mut shift = 0.0;
    let mut slope = 0.0;
    for (k, r) in &terms {
        let index = r.levels.iter().position(|l| l == name).ok_or_else(|| ReportError::DesignMismatch {
            message: format!("'{name}' is not a level of '{group}' in the fitted data"),
        })?;
        for (column, b) in r.terms.iter().zip(&r.modes[index]) {
            let value = z.get(*k).and_then(|zk| zk.iter().find(|(n, _)| n == column)).map_or(0.0, |(_, v)| *v);
            shift += value * b;
            if Some(column.as_str()) == gradient_term {
                slope += b;
            }
        }
    }
    Ok((shift, slope))
}

/// The social-gradient score of one level: the population score moved by the level's own slope
/// on the log scale, with the population score's standard error.
fn shifted_score(s: &GradientScore, slope: f64) -> GradientScore {
    let log_score = s.log_score + slope;
    GradientScore {
        log_score,
        score: log_score.exp(),
        ci_low: (log_score - Z_975 * s.std_error).exp(),
        ci_high: (log_score + Z_975 * s.std_error).exp(),
        z: log_score / s.std_error,
        p: super::stats::normal_two_sided_p(log_score / s.std_error),
        ..s.clone()
    }
}

fn predict_at(
    fit: &Fit,
    exposure: Option<f64>,
    row: PredictionRow,
    gradient_term: Option<&str>,
    level: Option<(&str, &str)>,
) -> Result<Prediction, ReportError> {
    let PredictionRow { at, x, z, offset, inputs, notes } = row;
    let eta: f64 = x.iter().zip(&fit.beta).map(|(a, b)| a * b).sum();
    let variance: f64 = fit
        .cov_beta
        .iter()
        .zip(&x)
        .map(|(row, xi)| xi * row.iter().zip(&x).map(|(v, xj)| v * xj).sum::<f64>())
        .sum();
    let std_error = variance.max(0.0).sqrt();
    // exp(709.78) is the largest double: beyond it (or at a value that is not a number) the rate
    // and its interval would be infinite or undefined.
    if !(eta.abs() < 700.0 && offset.map_or(true, |o| (eta + o).abs() < 700.0)) {
        return Err(out_of_range(eta, &at, &inputs));
    }
    // Rates per 10,000 when the offset's scale is known, else per unit of exposure;
    // probabilities as they are.
    let binomial = fit.family.is_binomial();
    let scale = if binomial { (1.0, 1.0) } else { exposure.map_or((1.0, 1.0), |k| (10_000.0 / k, 10_000.0)) };
    let rate = |eta: f64, se: f64, scale: (f64, f64), offset: Option<f64>| {
        if binomial {
            let p = |e: f64| fit.family.inverse_link(e);
            Rate {
                log_rate: eta,
                std_error: se,
                rate: p(eta),
                ci_low: p(eta - Z_975 * se),
                ci_high: p(eta + Z_975 * se),
                per: 1.0,
                count: None,
            }
        } else {
            rate(eta, se, scale, offset)
        }
    };
    let score = gradient_term
        .map(|term| {
            term_index(fit, term)?;
            let moderators = moderators_of(&fit.columns, term);
            let values: Vec<(&str, f64)> = at
                .iter()
                .filter(|(n, _)| moderators.iter().any(|(m, _)| m == n))
                .map(|(n, v)| (n.as_str(), *v))
                .collect();
            gradient_score(fit, term, &values)
        })
        .transpose()?;
    let level = level
        .map(|(group, name)| {
            let (shift, slope) = level_shift(fit, &z, (group, name), gradient_term)?;
            let score = score.as_ref().map(|s| shifted_score(s, slope));
            Ok::<_, ReportError>(LevelPrediction {
                group: group.to_owned(),
                level: name.to_owned(),
                rate: rate(eta + shift, std_error, scale, offset),
                score,
            })
        })
        .transpose()?;
    let exposure = if binomial {
        "probabilities of a success"
    } else if exposure.is_some() {
        "rates per 10,000 of the offset's population"
    } else {
        "rates per unit of the offset's exposure (its scale could not be read from the formula)"
    };
    let rate = rate(eta, std_error, scale, offset);
    let zero_inflation = fit.zi.as_ref().map(|zi| {
        let pi = structural_zero(zi, &at);
        ZeroInflatedPrediction {
            structural_zero: pi,
            expected: (1.0 - pi) * rate.rate,
            expected_level: level.as_ref().map(|l| (1.0 - pi) * l.rate.rate),
        }
    });
    let mut note = vec![exposure.to_owned()];
    note.extend(notes);
    if zero_inflation.is_some() {
        note.push(
            "the rates are those of the conditional (count) model, and the expected counts (1 - p) x rate, \
             with p the probability of a structural zero"
                .to_owned(),
        );
    }
    note.push(INTERVAL_NOTE.to_owned());
    Ok(Prediction {
        quantity: if binomial { "probability" } else { "rate" },
        inputs,
        at,
        rate,
        score,
        level,
        note: note.join("; "),
        zero_inflation,
    })
}

/// A text rendering of a prediction.
pub fn render_prediction(p: &Prediction) -> String {
    let g = |v: f64| super::rformat::format_g(v, 4);
    let model = p.at.iter().map(|(n, v)| format!("{n} = {}", g(*v))).collect::<Vec<_>>().join(", ");
    let at = if !p.inputs.is_empty() {
        let data: Vec<String> = p
            .inputs
            .iter()
            .map(|i| match i.source {
                InputSource::Given => format!("{} = {}", i.column, i.value),
                InputSource::LevelOwn => format!("{} = {} (its own)", i.column, i.value),
            })
            .collect();
        format!(
            "{}\n  as the model sees it: {}",
            data.join(", "),
            if model.is_empty() { "no covariates".to_owned() } else { model }
        )
    } else if p.at.is_empty() {
        "every covariate at 0".to_owned()
    } else {
        model
    };
    let probability = p.quantity == "probability";
    let rate = |r: &Rate| {
        let per = if probability {
            String::new()
        } else if r.per == 1.0 {
            " per unit of exposure".to_owned()
        } else {
            " per 10,000".to_owned()
        };
        let count = r.count.as_ref().map_or(String::new(), |c| {
            format!("; expected count {} (95% CI {} to {})", g(c.count), g(c.ci_low), g(c.ci_high))
        });
        format!("{}{per} (95% CI {} to {}){count}", g(r.rate), g(r.ci_low), g(r.ci_high))
    };
    let expected = if probability { "expected probability" } else { "expected rate" };
    let score = |s: &GradientScore| format!("{} (95% CI {} to {})", g(s.score), g(s.ci_low), g(s.ci_high));
    let mut out = format!("\nPrediction at {at}:\n  {expected}, population average: {}\n", rate(&p.rate));
    if let Some(s) = &p.score {
        out.push_str(&format!("  social gradient score of '{}', population average: {}\n", s.term, score(s)));
    }
    if let Some(l) = &p.level {
        out.push_str(&format!("  {expected}, {} {}: {}\n", l.group, l.level, rate(&l.rate)));
        if let Some(s) = &l.score {
            out.push_str(&format!("  social gradient score, {} {}: {}\n", l.group, l.level, score(s)));
        }
    }
    if let Some(z) = &p.zero_inflation {
        out.push_str(&format!(
            "  probability of a structural zero: {}; expected count (1 - p) x rate, population average: {}\n",
            g(z.structural_zero),
            g(z.expected)
        ));
        if let (Some(l), Some(e)) = (&p.level, z.expected_level) {
            out.push_str(&format!("  expected count (1 - p) x rate, {} {}: {}\n", l.group, l.level, g(e)));
        }
    }
    out.push_str(&format!("  ({})\n", p.note));
    out
}

/// A covariate the page asks a value of, with the value it starts at.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PredictionInput {
    /// The model-matrix column (a main effect), as the report names it.
    pub name: String,
    /// Mean over the rows used.
    pub mean: f64,
    /// True for a column holding only 0 and 1 (a factor's indicator or a 0/1 covariate).
    pub indicator: bool,
    /// The starting value: 0 (the reference level) for an indicator, else the mean.
    pub default: f64,
}

/// What a data column is to a prediction at a new row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DataRole {
    /// A term of the model reads it: a prediction needs its value.
    Term,
    /// The group of `within()` or `between()`: without it, an average group.
    Group,
    /// The offset reads it: with it, the prediction adds the expected count.
    Offset,
}

/// A column of the data's own a prediction can be asked at, with what the fitted data holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataInput {
    pub name: String,
    pub role: DataRole,
    /// For a number column, over the rows used: smallest, median and largest value.
    pub min: Option<f64>,
    pub median: Option<f64>,
    pub max: Option<f64>,
    /// The most decimals the column's values are written with (at most 6).
    pub decimals: u32,
    /// For a factor (a text column or `factor(x)`) or a group: its values in the fitted data.
    pub levels: Vec<String>,
}

/// What a prediction can be asked at: the main-effect columns of the fit with their starting
/// values, the data's own columns the model reads, and each random-effect group's levels with
/// their names and own values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PredictionInputs {
    pub columns: Vec<PredictionInput>,
    /// The data's own columns, terms' columns first, then groups of `within()`, then offsets.
    pub data: Vec<DataInput>,
    /// Each grouping factor, in the fit's order.
    pub groups: Vec<GroupLevels>,
}

/// The most decimals of the values (at most 6): 1 for 12.5 and 3.0.
fn decimals(values: &[f64]) -> u32 {
    (0..=6u32)
        .find(|&d| {
            let k = 10f64.powi(d as i32);
            values.iter().all(|v| ((v * k).round() - v * k).abs() <= 1e-6 * (v * k).abs().max(1.0))
        })
        .unwrap_or(6)
}

/// The data inputs of a model of `formula` fitted with `info` on the `rows` (1-based) of `df`.
fn data_inputs(formula: &Formula, info: &DesignInfo, df: &DataFrame, rows: &[usize]) -> Vec<DataInput> {
    let columns = formula.row_columns();
    let roles = columns
        .needed
        .iter()
        .map(|c| (c, DataRole::Term))
        .chain(columns.groups.iter().map(|c| (c, DataRole::Group)))
        .chain(columns.offsets.iter().map(|c| (c, DataRole::Offset)));
    roles
        .map(|(name, role)| {
            let factor_levels = info
                .factors
                .iter()
                .find(|f| {
                    f.term == *name
                        || f.term == format!("factor({name})")
                        || f.term == format!("as.factor({name})")
                })
                .map(|f| f.levels.clone());
            let group_levels = (role == DataRole::Group)
                .then(|| info.group_means.iter().find(|m| m.term.ends_with(&format!(", {name})"))))
                .flatten()
                .map(|m| m.groups.clone());
            let mut input = DataInput {
                name: name.clone(),
                role,
                min: None,
                median: None,
                max: None,
                decimals: 0,
                levels: factor_levels.or(group_levels).unwrap_or_default(),
            };
            if let (Some(Column::Numeric(v)), true) = (df.column(name), input.levels.is_empty()) {
                let mut used: Vec<f64> =
                    rows.iter().filter_map(|&r| v.get(r - 1).copied()).filter(|x| x.is_finite()).collect();
                used.sort_by(f64::total_cmp);
                if let (Some(&lo), Some(&hi)) = (used.first(), used.last()) {
                    let n = used.len();
                    input.median =
                        Some(if n % 2 == 1 { used[n / 2] } else { (used[n / 2 - 1] + used[n / 2]) / 2.0 });
                    input.min = Some(lo);
                    input.max = Some(hi);
                    input.decimals = decimals(&used);
                }
            }
            input
        })
        .collect()
}

/// The inputs of a prediction from `fit` of `formula` (with `design` and `info`) on `df` (the
/// data it was fitted on): every main-effect column the fit kept, starting at its mean over the
/// rows used (an average area), or at 0 when it holds only 0 and 1; the data's own columns the
/// model reads, with their range; and the levels of each grouping factor, named from the file
/// where it names them, with their own values of the group-level columns.
pub fn prediction_inputs(
    fit: &Fit,
    formula: &Formula,
    design: &Design,
    info: &DesignInfo,
    df: &DataFrame,
) -> PredictionInputs {
    let main: Vec<&String> =
        fit.terms.iter().zip(&fit.columns).filter(|(_, c)| c.order() == 1).map(|(t, _)| t).collect();
    let columns = main
        .iter()
        .filter_map(|t| {
            let j = design.x_names.iter().position(|n| n == *t)?;
            let column = design.x.column(j);
            let n = column.len().max(1) as f64;
            let mean = column.iter().sum::<f64>() / n;
            let indicator = column.iter().all(|&v| v == 0.0 || v == 1.0);
            Some(PredictionInput {
                name: (*t).clone(),
                mean,
                indicator,
                default: if indicator { 0.0 } else { mean },
            })
        })
        .collect();
    let data = data_inputs(formula, info, df, &design.rows);
    let numbers: Vec<String> = data
        .iter()
        .filter(|d| d.role == DataRole::Term && d.median.is_some())
        .map(|d| d.name.clone())
        .collect();
    let mut groups: Vec<GroupLevels> = Vec::new();
    for r in &fit.random {
        if groups.iter().any(|g| g.group == r.group) {
            continue;
        }
        if let Some(term) = design.random.iter().find(|t| t.group == r.group) {
            groups.push(group_levels(term, &r.levels, design, &main, &numbers, df));
        }
    }
    PredictionInputs { columns, data, groups }
}
