//! The report of one fitted model: coefficient table with incidence rate ratios, fit
//! statistics, dispersion, random effects and plain-English warnings. The same object is
//! printed by the command line (`--json`) and shown by the page; its text, laid out like
//! glmmTMB's `summary()`, is rendered when asked for ([`super::text`]), and serialised with it.

use super::rformat::format_g;
use super::stats::{normal_two_sided_p, Z_975};
use crate::design::{Design, GroupCount};
use crate::fit::field::FieldApproximation;
use crate::fit::{Family, FieldFit, Fit, Warning, WarningCode};
use crate::formula::MissingCount;
use serde::Serialize;

/// One fixed-effect coefficient on the log scale and as an incidence rate ratio.
///
/// `z = estimate / std_error`, `p = 2 P(Z > |z|)`; `irr = exp(estimate)` and its 95% Wald
/// interval `exp(estimate -+ 1.96 std_error)`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coefficient {
    /// The term as R names it (`(Intercept)`, `imd_z:la_imd`, `ruralurban`).
    pub term: String,
    pub estimate: f64,
    pub std_error: f64,
    pub z: f64,
    pub p: f64,
    pub irr: f64,
    pub irr_ci_low: f64,
    pub irr_ci_high: f64,
    /// 95% profile-likelihood interval of `estimate` (log scale), when requested; `null` for a
    /// side the profile does not reach.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile_ci: Option<[Option<f64>; 2]>,
}

impl Coefficient {
    /// The coefficient row for an estimate and its standard error.
    pub fn new(term: &str, estimate: f64, std_error: f64) -> Coefficient {
        let z = estimate / std_error;
        Coefficient {
            term: term.to_owned(),
            estimate,
            std_error,
            z,
            p: normal_two_sided_p(z),
            irr: estimate.exp(),
            irr_ci_low: (estimate - Z_975 * std_error).exp(),
            irr_ci_high: (estimate + Z_975 * std_error).exp(),
            profile_ci: None,
        }
    }
}

/// The correlation of a random effect with another term of the same group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Correlation {
    pub term: String,
    pub value: f64,
}

/// One random-effect term of one grouping factor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RandomEffect {
    /// Grouping factor as R prints it (`la`, `msoa:la`).
    pub group: String,
    /// Random-effect column (`(Intercept)`, `imd_z`).
    pub term: String,
    pub sd: f64,
    pub variance: f64,
    /// Correlations with the other terms of the same group (empty for a scalar term).
    pub corr: Vec<Correlation>,
    /// 95% profile-likelihood interval of `sd`, when requested; `null` for a side the profile
    /// does not reach (the lower side of an SD that may be zero).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sd_profile_ci: Option<[Option<f64>; 2]>,
    pub kind: RandomEffectKind,
    /// For a spatial field: its range, units, locations and intervals.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub field: Option<FieldSummary>,
}

/// What a random-effect entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RandomEffectKind {
    /// Random intercepts and slopes, independent between the levels of the group.
    InterceptsSlopes,
    /// A spatial field `exp(pos(x, y) + 0 | g)`, correlated by distance.
    ExponentialField,
}

/// A spatial field's estimates besides its SD: `cov(u_a, u_b) = sd^2 exp(-d_ab / range)`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldSummary {
    /// In the coordinates' units.
    pub range: f64,
    /// `"metres"` or `"coordinate units"`.
    pub range_units: &'static str,
    /// The coordinate columns `[x, y]`.
    pub coordinates: [String; 2],
    /// Number of locations (levels of the field).
    pub locations: usize,
    pub approximation: FieldApproximation,
    /// glmmTMB's `theta`: `[ln sd, ln range]`.
    pub theta: [f64; 2],
    /// 95% Wald intervals of `sd` and `range`, computed on the log scale (`null` where the
    /// standard error is unavailable).
    pub sd_ci: Option<[f64; 2]>,
    pub range_ci: Option<[f64; 2]>,
    /// Whether the data identify the range: `false` where the field's SD is estimated as
    /// (near) zero (a singular fit); `range` is then where the optimiser stopped, not an
    /// estimate, and has no interval.
    pub range_identified: bool,
    /// 95% profile-likelihood interval of `range`, when requested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range_profile_ci: Option<[Option<f64>; 2]>,
}

impl FieldSummary {
    fn new(field: &FieldFit) -> FieldSummary {
        let wald = |k: usize| {
            let se = field.theta_cov[k][k].sqrt();
            se.is_finite().then(|| [(field.theta[k] - Z_975 * se).exp(), (field.theta[k] + Z_975 * se).exp()])
        };
        FieldSummary {
            range: field.range,
            range_units: field.units,
            coordinates: [field.locations.x_column.clone(), field.locations.y_column.clone()],
            locations: field.locations.len(),
            approximation: field.approximation,
            theta: field.theta,
            sd_ci: wald(0),
            range_ci: wald(1).filter(|_| field.range_identified),
            range_identified: field.range_identified,
            range_profile_ci: None,
        }
    }
}

/// Everything a user needs to read one fit. See the field docs for the exact meaning. It
/// serialises with its text (see [`FitReport::text`]) as a field `text`.
#[derive(Debug, Clone, PartialEq)]
pub struct FitReport {
    pub family: Family,
    /// The formula as R prints it.
    pub formula: String,
    pub coefficients: Vec<Coefficient>,
    /// Log-likelihood (Laplace or quadrature approximation for mixed models), as glmmTMB's
    /// `logLik`.
    pub loglik: f64,
    pub aic: f64,
    pub bic: f64,
    /// Number of estimated parameters, counted as glmmTMB counts them.
    pub df: usize,
    /// `nobs - df`.
    pub df_resid: i64,
    /// `-2 loglik`, as glmmTMB's summary prints it.
    pub deviance: f64,
    pub nobs: usize,
    /// theta for nbinom2, phi for nbinom1, `null` for Poisson.
    pub dispersion: Option<f64>,
    /// What `dispersion` is.
    pub dispersion_name: Option<String>,
    /// 95% Wald interval of the dispersion, computed on the log scale.
    pub dispersion_ci_low: Option<f64>,
    pub dispersion_ci_high: Option<f64>,
    /// 95% profile-likelihood interval of `dispersion` (theta or phi), when requested.
    pub dispersion_profile_ci: Option<[Option<f64>; 2]>,
    pub random_effects: Vec<RandomEffect>,
    /// Number of levels of every grouping factor.
    pub groups: Vec<GroupCount>,
    pub converged: bool,
    /// A random-effect variance estimated as (near) zero or a correlation near +-1.
    pub singular: bool,
    /// Warnings `{code, message, advice}`: missing rows left out, collinear columns dropped,
    /// singular fit, boundary, non-convergence, separation, Hessian not positive definite,
    /// zero inflation suspected.
    pub warnings: Vec<Warning>,
    /// Rows left out because a column the model uses was missing.
    pub rows_dropped: usize,
    /// Model-matrix columns dropped because they were linear combinations of earlier ones.
    pub dropped_terms: Vec<String>,
    /// Outer iterations used by the optimiser.
    pub iterations: usize,
    /// Largest absolute gradient of the log-likelihood at the estimate.
    pub max_abs_gradient: f64,
    /// The zero-inflation formula (glmmTMB's `ziformula`), if the model has one.
    pub zi_formula: Option<String>,
    /// Zero-inflation coefficients (logit scale; `irr` and its interval are odds ratios of a
    /// structural zero), as glmmTMB's `summary(fit)$coefficients$zi`.
    pub zi_coefficients: Vec<Coefficient>,
}

/// What `dispersion` means for a family.
pub fn dispersion_name(family: Family) -> Option<&'static str> {
    match family {
        Family::Poisson | Family::Binomial(_) => None,
        Family::Nbinom2 => Some("theta (nbinom2: variance = mu + mu^2/theta)"),
        Family::Nbinom1 => Some("phi (nbinom1: variance = mu(1 + phi))"),
    }
}

impl FitReport {
    /// Builds the report of `fit`, a fit of `design`. `formula` is the formula as R prints it;
    /// `missing` (from [`crate::formula::DesignInfo`]) details which columns were missing in
    /// the rows left out.
    pub fn new(fit: &Fit, design: &Design, formula: &str, missing: &[MissingCount]) -> FitReport {
        let coefficients = fit
            .terms
            .iter()
            .enumerate()
            .map(|(i, term)| {
                let estimate = fit.beta.get(i).copied().unwrap_or(f64::NAN);
                let variance = fit.cov_beta.get(i).and_then(|row| row.get(i)).copied().unwrap_or(f64::NAN);
                Coefficient::new(term, estimate, variance.sqrt())
            })
            .collect();
        let (dispersion_ci_low, dispersion_ci_high) = match (fit.dispersion, fit.dispersion_se_log) {
            (Some(d), Some(se)) if d > 0.0 && se.is_finite() => {
                (Some((d.ln() - Z_975 * se).exp()), Some((d.ln() + Z_975 * se).exp()))
            }
            _ => (None, None),
        };
        let df_resid =
            i64::try_from(fit.nobs).unwrap_or(i64::MAX) - i64::try_from(fit.df).unwrap_or(i64::MAX);
        FitReport {
            family: fit.family,
            formula: formula.to_owned(),
            coefficients,
            loglik: fit.loglik,
            aic: fit.aic,
            bic: fit.bic,
            df: fit.df,
            df_resid,
            deviance: -2.0 * fit.loglik,
            nobs: fit.nobs,
            dispersion: fit.dispersion,
            dispersion_name: dispersion_name(fit.family).map(str::to_owned),
            dispersion_ci_low,
            dispersion_ci_high,
            dispersion_profile_ci: None,
            random_effects: random_effects(fit),
            groups: group_counts(fit, design),
            converged: fit.converged,
            singular: fit.singular,
            warnings: warnings(fit, design, missing),
            rows_dropped: design.dropped_missing,
            dropped_terms: fit.dropped_terms.clone(),
            iterations: fit.iterations,
            max_abs_gradient: fit.max_abs_gradient,
            zi_formula: fit.zi.as_ref().map(|z| z.formula.clone()),
            zi_coefficients: fit.zi.as_ref().map_or_else(Vec::new, |z| {
                z.terms
                    .iter()
                    .enumerate()
                    .map(|(k, t)| Coefficient::new(t, z.estimate[k], z.std_error(k)))
                    .collect()
            }),
        }
    }
}

fn random_effects(fit: &Fit) -> Vec<RandomEffect> {
    let mut out = Vec::new();
    for r in &fit.random {
        for (i, term) in r.terms.iter().enumerate() {
            let sd = r.sd.get(i).copied().unwrap_or(f64::NAN);
            let corr = r
                .terms
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(j, other)| Correlation {
                    term: other.clone(),
                    value: r.corr.get(i).and_then(|row| row.get(j)).copied().unwrap_or(f64::NAN),
                })
                .collect();
            out.push(RandomEffect {
                group: r.group.clone(),
                term: term.clone(),
                sd,
                variance: sd * sd,
                corr,
                sd_profile_ci: None,
                kind: if r.field.is_some() {
                    RandomEffectKind::ExponentialField
                } else {
                    RandomEffectKind::InterceptsSlopes
                },
                field: r.field.as_ref().map(FieldSummary::new),
            });
        }
    }
    out
}

/// Levels per grouping factor, from the fit (which knows them even for hand-made fits), else
/// from the design.
fn group_counts(fit: &Fit, design: &Design) -> Vec<GroupCount> {
    if fit.random.is_empty() {
        return design.group_counts();
    }
    fit.random.iter().map(|r| GroupCount { group: r.group.clone(), levels: r.levels.len() }).collect()
}

/// The design's warnings (rows left out) then the fit's own warnings. A singular fit,
/// non-convergence or dropped columns always get a warning, worded here if the fit did not
/// word one.
fn warnings(fit: &Fit, design: &Design, missing: &[MissingCount]) -> Vec<Warning> {
    let mut out = Vec::new();
    let n = design.dropped_missing;
    if n > 0 {
        let (rows, verb) = if n == 1 { ("1 row", "was") } else { (&*format!("{n} rows"), "were") };
        let mut w = format!("{rows} had a missing value and {verb} left out");
        let detail: Vec<String> = missing
            .iter()
            .filter(|m| m.rows > 0)
            .map(|m| format!("'{}' missing in {}", m.column, m.rows))
            .collect();
        if !detail.is_empty() {
            w.push_str(&format!(" ({})", detail.join(", ")));
        }
        out.push(Warning::rows_missing(w));
    }
    out.extend(fit.warnings.iter().cloned());
    let has = |out: &[Warning], codes: &[WarningCode]| out.iter().any(|w| codes.contains(&w.code));
    for term in &fit.dropped_terms {
        if !out.iter().any(|w| w.message.contains(term.as_str())) {
            out.push(Warning::rank_deficient(format!(
                "column '{term}' is a linear combination of earlier columns and was dropped from the model"
            )));
        }
    }
    if fit.singular && !has(&out, &[WarningCode::SingularFit, WarningCode::Boundary]) {
        out.push(Warning::singular_fit(
            "singular fit: a random-effect variance is estimated as (near) zero or a correlation as +-1"
                .to_owned(),
        ));
    }
    if !fit.converged && !has(&out, &[WarningCode::NonConvergence, WarningCode::HessianNotPd]) {
        out.push(Warning::non_convergence(format!(
            "the fit did not converge (largest gradient {} after {} iterations); the estimates may be unreliable",
            format_g(fit.max_abs_gradient, 3),
            fit.iterations
        )));
    }
    out
}
