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
use crate::data::DataFrame;
use crate::design::Design;
use crate::fit::Fit;
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
    /// The covariate values given, `(model-matrix column, value)`; every other column at 0.
    pub at: Vec<(String, f64)>,
    /// Population average (random effects at 0).
    pub rate: Rate,
    /// The social-gradient score of `gradient_term`, when asked for.
    pub score: Option<GradientScore>,
    pub level: Option<LevelPrediction>,
    pub note: String,
}

/// Parses `name=value,name=value` (commas inside parentheses belong to the name, as in
/// `within(imd, la)=1`).
pub fn parse_values(text: &str) -> Result<Vec<(String, f64)>, String> {
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
                .ok_or_else(|| format!("'{}' should be name=value, as in xc=1", piece.trim()))?;
            let value: f64 = value.trim().parse().map_err(|_| {
                format!("the value of '{}' must be a number, found '{}'", name.trim(), value.trim())
            })?;
            if !value.is_finite() {
                return Err(format!("the value of '{}' must be a finite number", name.trim()));
            }
            Ok((name.trim().to_owned(), value))
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

fn rate(log_rate: f64, std_error: f64, (scale, per): (f64, f64)) -> Rate {
    Rate {
        log_rate,
        std_error,
        rate: log_rate.exp() * scale,
        ci_low: (log_rate - Z_975 * std_error).exp() * scale,
        ci_high: (log_rate + Z_975 * std_error).exp() * scale,
        per,
    }
}

/// Predictions from `fit` at `at`; `exposure` is the offset's exposure units per unit
/// ([`crate::formula::Formula::exposure_scale`]), for the rate's scale; `gradient_term` the deprivation term whose score is wanted; `level` a
/// `(group, level)` of the random effects.
pub fn predict(
    fit: &Fit,
    exposure: Option<f64>,
    at: &[(String, f64)],
    gradient_term: Option<&str>,
    level: Option<(&str, &str)>,
) -> Result<Prediction, ReportError> {
    let x = model_row(fit, at)?;
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
    if !(eta.abs() < 700.0) {
        let values: Vec<String> =
            at.iter().map(|(n, v)| format!("'{n}' = {}", super::rformat::format_g(*v, 4))).collect();
        let at = if values.is_empty() { "these values".to_owned() } else { values.join(", ") };
        return Err(ReportError::OutOfRange { eta, at });
    }
    // Rates per 10,000 when the offset's scale is known, else per unit of exposure;
    // probabilities as they are.
    let binomial = fit.family.is_binomial();
    let scale = if binomial { (1.0, 1.0) } else { exposure.map_or((1.0, 1.0), |k| (10_000.0 / k, 10_000.0)) };
    let rate = |eta: f64, se: f64, scale: (f64, f64)| {
        if binomial {
            let p = |e: f64| fit.family.inverse_link(e);
            Rate { log_rate: eta, std_error: se, rate: p(eta), ci_low: p(eta - Z_975 * se), ci_high: p(eta + Z_975 * se), per: 1.0 }
        } else {
            rate(eta, se, scale)
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
            let terms: Vec<_> = fit.random.iter().filter(|r| r.group == group).collect();
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
            for r in &terms {
                let index =
                    r.levels.iter().position(|l| l == name).ok_or_else(|| ReportError::DesignMismatch {
                        message: format!("'{name}' is not a level of '{group}' in the fitted data"),
                    })?;
                let modes = &r.modes[index];
                for (column, b) in r.terms.iter().zip(modes) {
                    let z = if column == "(Intercept)" {
                        1.0
                    } else {
                        at.iter().find(|(n, _)| n == column).map_or(0.0, |(_, v)| *v)
                    };
                    shift += z * b;
                    if Some(column.as_str()) == gradient_term {
                        slope += b;
                    }
                }
            }
            let score = score.as_ref().map(|s| {
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
            });
            Ok(LevelPrediction {
                group: group.to_owned(),
                level: name.to_owned(),
                rate: rate(eta + shift, std_error, scale),
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
    Ok(Prediction {
        quantity: if binomial { "probability" } else { "rate" },
        at: at.to_vec(),
        rate: rate(eta, std_error, scale),
        score,
        level,
        note: format!("{exposure}; columns not given are at 0; {INTERVAL_NOTE}"),
    })
}

/// A text rendering of a prediction.
pub fn render_prediction(p: &Prediction) -> String {
    let g = |v: f64| super::rformat::format_g(v, 4);
    let at = if p.at.is_empty() {
        "every covariate at 0".to_owned()
    } else {
        p.at.iter().map(|(n, v)| format!("{n} = {v}")).collect::<Vec<_>>().join(", ")
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
        format!("{}{per} (95% CI {} to {})", g(r.rate), g(r.ci_low), g(r.ci_high))
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

/// What a prediction can be asked at: the main-effect columns of the fit with their starting
/// values, and each random-effect group's levels with their names and own values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PredictionInputs {
    pub columns: Vec<PredictionInput>,
    /// Each grouping factor, in the fit's order.
    pub groups: Vec<GroupLevels>,
}

/// The inputs of a prediction from `fit` of `design` on `df` (the data it was fitted on): every
/// main-effect column the fit kept, starting at its mean over the rows used (an average area),
/// or at 0 when it holds only 0 and 1; and the levels of each grouping factor, named from the
/// file where it names them, with their own values of the group-level columns.
pub fn prediction_inputs(fit: &Fit, design: &Design, df: &DataFrame) -> PredictionInputs {
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
    let mut groups: Vec<GroupLevels> = Vec::new();
    for r in &fit.random {
        if groups.iter().any(|g| g.group == r.group) {
            continue;
        }
        if let Some(term) = design.random.iter().find(|t| t.group == r.group) {
            groups.push(group_levels(term, &r.levels, design, &main, df));
        }
    }
    PredictionInputs { columns, groups }
}
