//! Social gradient scores from a fitted model, in the format of Hood et al. (2021), Table 2.
//!
//! With a deprivation term `dep` and LA-level moderators `mod_k` that interact with it
//! (two-way interaction columns whose parts are `dep` and `mod_k`), the log rate ratio per unit of `dep` at
//! moderator values `v_k` is the linear combination
//!
//! `g(v) = c' beta = B_dep + sum_k B_{dep:mod_k} v_k`,
//!
//! and the social gradient score is `exp(g)`. Its standard error comes from the full
//! covariance matrix of the fixed effects by the delta method, `se(g)^2 = c' V c` (exact for
//! a linear combination on the log scale); the 95% interval is `exp(g -+ 1.96 se)`.
//! Moderators not given are held at 0, which is their mean when they are centred.

use super::rformat::render_table;
use super::stats::{normal_two_sided_p, Z_975};
use super::summary::Coefficient;
use super::ReportError;
use crate::design::ModelColumn;
use crate::fit::Fit;
use serde::Serialize;

/// Low and high context values used when the caller gives none: one unit below and above the
/// mean of a standardised moderator.
pub const DEFAULT_LOW: f64 = -1.0;
pub const DEFAULT_HIGH: f64 = 1.0;

/// A moderator term and the value it is held at.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModeratorValue {
    pub term: String,
    pub value: f64,
}

/// A social gradient score with its 95% interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GradientScore {
    /// The deprivation term.
    pub term: String,
    /// Moderator values used; every other interacting moderator is at 0.
    pub at: Vec<ModeratorValue>,
    /// `g`, the log of the score.
    pub log_score: f64,
    /// Delta-method standard error of `g`.
    pub std_error: f64,
    /// `exp(g)`.
    pub score: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// `g / std_error` and its two-sided p-value (the test of no gradient).
    pub z: f64,
    pub p: f64,
}

/// Hood et al. (2021) Table 2 format: the score at the moderator's mean, in a low and a high
/// context, and the interaction effect `exp(B_{dep:mod})` (the multiplicative change in the
/// gradient per unit of the moderator).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GradientContexts {
    pub term: String,
    pub moderator: String,
    /// The score with every moderator at 0.
    pub score: GradientScore,
    /// The score with `moderator` at the low value (others at 0).
    pub low: GradientScore,
    /// The score with `moderator` at the high value (others at 0).
    pub high: GradientScore,
    /// The interaction coefficient; its `irr`, `irr_ci_low`, `irr_ci_high` and `p` are the
    /// interaction effect.
    pub interaction: Coefficient,
    /// Stars as in the studies' tables: `***` p < 0.001, `**` p < 0.01, `*` p < 0.05.
    pub interaction_stars: String,
}

/// Index of the two-way interaction column of the parts named `term` and `moderator`.
pub fn interaction_index(columns: &[ModelColumn], term: &str, moderator: &str) -> Option<usize> {
    columns.iter().position(|c| c.partner_of(term).is_some_and(|other| other == moderator))
}

/// The moderators that interact with `term` in the model: for every two-way interaction
/// column with a part named `term`, the other part's name and the column's index.
pub fn moderators_of(columns: &[ModelColumn], term: &str) -> Vec<(String, usize)> {
    columns.iter().enumerate().filter_map(|(i, c)| c.partner_of(term).map(|other| (other, i))).collect()
}

/// Position of a fixed-effect term, or an error listing the terms.
pub(crate) fn term_index(fit: &Fit, term: &str) -> Result<usize, ReportError> {
    fit.terms
        .iter()
        .position(|t| t == term)
        .ok_or_else(|| ReportError::UnknownTerm { term: term.to_owned(), known: fit.terms.clone() })
}

/// Checks that the covariance matrix is p x p.
fn check_covariance(fit: &Fit) -> Result<(), ReportError> {
    let p = fit.terms.len();
    if fit.beta.len() != p || fit.cov_beta.len() != p || fit.cov_beta.iter().any(|r| r.len() != p) {
        return Err(ReportError::DesignMismatch {
            message: format!(
                "the fit has {p} terms but {} estimates and a {}-row covariance matrix",
                fit.beta.len(),
                fit.cov_beta.len()
            ),
        });
    }
    Ok(())
}

/// The social gradient score `exp(B_term + sum_k B_{term:mod_k} v_k)` at the moderator values
/// `at` (`(moderator term, value)` pairs, moderators not listed at 0), with its delta-method
/// 95% interval.
pub fn gradient_score(fit: &Fit, term: &str, at: &[(&str, f64)]) -> Result<GradientScore, ReportError> {
    check_covariance(fit)?;
    let dep = term_index(fit, term)?;
    let mut c = vec![0.0; fit.terms.len()];
    if let Some(slot) = c.get_mut(dep) {
        *slot = 1.0;
    }
    let mut used = Vec::with_capacity(at.len());
    for &(moderator, value) in at {
        if !value.is_finite() {
            return Err(ReportError::InvalidValue { term: moderator.to_owned(), value });
        }
        if used.iter().any(|m: &ModeratorValue| m.term == moderator) {
            return Err(ReportError::RepeatedModerator { moderator: moderator.to_owned() });
        }
        let k = interaction_index(&fit.columns, term, moderator).ok_or_else(|| {
            ReportError::NoInteraction { term: term.to_owned(), moderator: moderator.to_owned() }
        })?;
        if let Some(slot) = c.get_mut(k) {
            *slot += value;
        }
        used.push(ModeratorValue { term: moderator.to_owned(), value });
    }
    let log_score: f64 = c.iter().zip(&fit.beta).map(|(ci, b)| ci * b).sum();
    let variance: f64 = fit
        .cov_beta
        .iter()
        .zip(&c)
        .map(|(row, ci)| ci * row.iter().zip(&c).map(|(v, cj)| v * cj).sum::<f64>())
        .sum();
    let std_error = variance.max(0.0).sqrt();
    let z = log_score / std_error;
    Ok(GradientScore {
        term: term.to_owned(),
        at: used,
        log_score,
        std_error,
        score: log_score.exp(),
        ci_low: (log_score - Z_975 * std_error).exp(),
        ci_high: (log_score + Z_975 * std_error).exp(),
        z,
        p: normal_two_sided_p(z),
    })
}

/// The Hood et al. (2021) Table 2 view of `term` moderated by `moderator`: the score at the
/// moderators' means (0), at `moderator = low` and `moderator = high`, and the interaction
/// effect. Use [`DEFAULT_LOW`] / [`DEFAULT_HIGH`] for a standardised moderator, or for
/// example -10 / +10 for a centred percentage.
pub fn gradient_contexts(
    fit: &Fit,
    term: &str,
    moderator: &str,
    low: f64,
    high: f64,
) -> Result<GradientContexts, ReportError> {
    let score = gradient_score(fit, term, &[])?;
    let low_score = gradient_score(fit, term, &[(moderator, low)])?;
    let high_score = gradient_score(fit, term, &[(moderator, high)])?;
    let k = interaction_index(&fit.columns, term, moderator).ok_or_else(|| ReportError::NoInteraction {
        term: term.to_owned(),
        moderator: moderator.to_owned(),
    })?;
    let name = fit.terms.get(k).map_or("", String::as_str);
    let estimate = fit.beta.get(k).copied().unwrap_or(f64::NAN);
    let variance = fit.cov_beta.get(k).and_then(|r| r.get(k)).copied().unwrap_or(f64::NAN);
    let interaction = Coefficient::new(name, estimate, variance.sqrt());
    let interaction_stars = study_stars(interaction.p).to_owned();
    Ok(GradientContexts {
        term: term.to_owned(),
        moderator: moderator.to_owned(),
        score,
        low: low_score,
        high: high_score,
        interaction,
        interaction_stars,
    })
}

/// Significance stars as the studies print them (no mark above 0.05).
pub fn study_stars(p: f64) -> &'static str {
    if p < 0.001 {
        "***"
    } else if p < 0.01 {
        "**"
    } else if p < 0.05 {
        "*"
    } else {
        ""
    }
}

/// Rows laid out as Hood et al. (2021) Table 2: score (95% CI), low and high context scores,
/// interaction effect with stars; numbers to two decimals. One row per entry, labelled by
/// `labels` (the measure, or the deprivation term when `labels` is shorter).
pub fn render_contexts(rows: &[GradientContexts], labels: &[String]) -> Vec<String> {
    let headers: Vec<String> =
        ["Social gradient (IRR) score", "Low context", "High context", "Interaction effect"]
            .map(str::to_owned)
            .to_vec();
    let names: Vec<String> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| labels.get(i).cloned().unwrap_or_else(|| r.term.clone()))
        .collect();
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                format!("{:.2} ({:.2} to {:.2})", r.score.score, r.score.ci_low, r.score.ci_high),
                format!("{:.2}", r.low.score),
                format!("{:.2}", r.high.score),
                format!("{:.2}{}", r.interaction.irr, r.interaction_stars),
            ]
        })
        .collect();
    let mut lines = render_table(&names, &headers, &cells, true);
    if let Some(first) = rows.first() {
        lines.push(format!(
            "Low / high context: '{}' at {} / {}; *** p < 0.001, ** p < 0.01, * p < 0.05",
            first.moderator,
            first.low.at.first().map_or(0.0, |m| m.value),
            first.high.at.first().map_or(0.0, |m| m.value)
        ));
    }
    lines
}
