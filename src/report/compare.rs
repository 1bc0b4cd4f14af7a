//! Model comparison in the format of Webb et al. (2020), Table 2: Poisson, negative binomial 2
//! and negative binomial 1, each without and with the random effects of the formula, with
//! log-likelihood, parameter count, AIC, BIC and likelihood-ratio (LR) tests where the models
//! are nested.
//!
//! LR statistic `LR = 2 (logLik_general - logLik_restricted)` on `df_general - df_restricted`
//! degrees of freedom. Two kinds of nesting here put the restricted model on the boundary of
//! the general one's parameter space, where `LR` is not chi-square distributed:
//! - adding one random-effect variance (a variance cannot be below 0): the null distribution is
//!   the 50:50 mixture of chi-square(0) and chi-square(1), so the p-value is half the
//!   chi-square(1) p-value, as is conventional. When more than one variance-covariance
//!   parameter is added, the plain chi-square(df) p-value is reported; it is conservative (too
//!   large).
//! - Poisson within negative binomial (Poisson is NB with `1/theta = 0` or `phi = 0`): the same
//!   halved chi-square(1) p-value.
//!
//! NB2 and NB1 are not nested; they are compared by AIC and BIC only. The preferred model is the
//! converged fit with the lowest AIC; BIC's choice is reported when it differs. The models are
//! fitted by [`crate::pipeline::compare::compare_families`].

use super::lr_test::LikelihoodRatioTest;
use super::rformat::{format_pvalues, render_table, P_EPS};
use crate::fit::{Family, Fit, FitError, Link, Warning};
use serde::Serialize;

/// One row of the comparison. The statistics are `None` when the fit failed (`error` says why).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelFit {
    /// For example `Negative binomial 2 + (1 | la)`.
    pub name: String,
    pub family: Family,
    /// True for the model with the formula's random effects.
    pub random_effects: bool,
    pub loglik: Option<f64>,
    pub df: Option<usize>,
    pub aic: Option<f64>,
    pub bic: Option<f64>,
    pub converged: Option<bool>,
    pub dispersion: Option<f64>,
    pub warnings: Vec<Warning>,
    /// Why the model could not be fitted, as the page reads an error (see [`FitError::record`]).
    #[serde(serialize_with = "fit_error_record")]
    pub error: Option<FitError>,
}

impl ModelFit {
    /// The row of a model fitted as `fit`, or of one that could not be fitted.
    pub fn new(name: String, family: Family, random_effects: bool, fit: Result<&Fit, FitError>) -> ModelFit {
        match fit {
            Ok(f) => ModelFit {
                name,
                family,
                random_effects,
                loglik: Some(f.loglik),
                df: Some(f.df),
                aic: Some(f.aic),
                bic: Some(f.bic),
                converged: Some(f.converged),
                dispersion: f.dispersion,
                warnings: f.warnings.clone(),
                error: None,
            },
            Err(e) => ModelFit {
                name,
                family,
                random_effects,
                loglik: None,
                df: None,
                aic: None,
                bic: None,
                converged: None,
                dispersion: None,
                warnings: Vec::new(),
                error: Some(e),
            },
        }
    }
}

fn fit_error_record<S: serde::Serializer>(
    error: &Option<FitError>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    error.as_ref().map(FitError::record).serialize(serializer)
}

/// The whole comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The formula as R prints it.
    pub formula: String,
    /// The random-effect terms of the formula (`(1 | la)`), `None` when it has none.
    pub random_effects: Option<String>,
    pub nobs: usize,
    pub models: Vec<ModelFit>,
    pub lr_tests: Vec<LikelihoodRatioTest<String>>,
    /// Name of the converged model with the lowest AIC.
    pub preferred: Option<String>,
    /// Name of the converged model with the lowest BIC.
    pub preferred_by_bic: Option<String>,
    pub notes: Vec<String>,
    /// A text rendering of the table, tests and choice.
    pub text: String,
}

/// The families compared, in the table's order.
pub const FAMILIES: [Family; 3] = [Family::Poisson, Family::Nbinom2, Family::Nbinom1];

/// Plain name of a family, as in the studies' tables.
pub fn family_label(family: Family) -> &'static str {
    match family {
        Family::Poisson => "Poisson",
        Family::Nbinom2 => "Negative binomial 2",
        Family::Nbinom1 => "Negative binomial 1",
        Family::Binomial(Link::Logit) => "Binomial",
        Family::Binomial(Link::Probit) => "Binomial (probit)",
        Family::Binomial(Link::Cloglog) => "Binomial (cloglog)",
    }
}

/// Builds the comparison (tests, choice, text) from fitted rows, in the order Poisson, NB2,
/// NB1 without random effects, then the same with them.
pub fn compare_fits(
    formula: String,
    random_effects: Option<String>,
    nobs: usize,
    models: Vec<ModelFit>,
    mut notes: Vec<String>,
) -> Comparison {
    let find = |family: Family, random: bool| {
        models.iter().find(|m| m.family == family && m.random_effects == random)
    };
    let mut lr_tests = Vec::new();
    for random in [false, true] {
        for nb in [Family::Nbinom2, Family::Nbinom1] {
            if let (Some(r), Some(g)) = (find(Family::Poisson, random), find(nb, random)) {
                lr_tests.extend(lr_test(
                    r,
                    g,
                    "Poisson is the negative binomial with no overdispersion, on the boundary of its \
                     parameter space: p-value halved (50:50 mixture of chi-square(0) and chi-square(1))",
                ));
            }
        }
    }
    for family in FAMILIES {
        if let (Some(r), Some(g)) = (find(family, false), find(family, true)) {
            lr_tests.extend(lr_test(r, g, ""));
        }
    }
    let converged: Vec<&ModelFit> = models.iter().filter(|m| m.converged == Some(true)).collect();
    let best = |key: fn(&ModelFit) -> Option<f64>| {
        converged
            .iter()
            .filter_map(|m| key(m).filter(|v| v.is_finite()).map(|v| (v, m.name.clone())))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, n)| n)
    };
    let preferred = best(|m| m.aic);
    let preferred_by_bic = best(|m| m.bic);
    if models.iter().any(|m| m.converged == Some(false)) {
        notes.push(
            "fits that did not converge are shown but not considered for the preferred model".to_owned(),
        );
    }
    if models.iter().filter(|m| m.family != Family::Poisson).count() >= 2 {
        notes.push(
            "negative binomial 2 and 1 are not nested, so they are compared by AIC and BIC only".to_owned(),
        );
    }
    let mut comparison = Comparison {
        formula,
        random_effects,
        nobs,
        models,
        lr_tests,
        preferred,
        preferred_by_bic,
        notes,
        text: String::new(),
    };
    comparison.text = render_comparison(&comparison);
    comparison
}

/// The LR test of `restricted` within `general` when both were fitted. `boundary_note` is the
/// explanation for a dispersion boundary; random-effect boundaries get their own.
fn lr_test(
    restricted: &ModelFit,
    general: &ModelFit,
    boundary_note: &str,
) -> Option<LikelihoodRatioTest<String>> {
    let (l0, l1) = (restricted.loglik?, general.loglik?);
    let ddf = general.df?.checked_sub(restricted.df?).filter(|&d| d > 0)?;
    let mut note = if !boundary_note.is_empty() {
        boundary_note.to_owned()
    } else if ddf == 1 {
        "one random-effect variance is tested at its boundary (0): p-value halved (50:50 mixture of \
         chi-square(0) and chi-square(1))"
            .to_owned()
    } else {
        format!(
            "{ddf} variance-covariance parameters are added, with variances tested at their boundary (0): \
             the chi-square({ddf}) p-value shown is conservative (too large)"
        )
    };
    if restricted.converged == Some(false) || general.converged == Some(false) {
        note.push_str("; one of the two fits did not converge, so the test is unreliable");
    }
    Some(LikelihoodRatioTest::new(restricted.name.clone(), general.name.clone(), (l0, l1), ddf, true, note))
}

fn one_decimal(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_owned(), |v| format!("{v:.1}"))
}

/// `p = 0.0123`, `p < 2e-16`.
fn p_text(p: f64) -> String {
    let s = format_pvalues(&[p], 3, P_EPS).concat();
    match s.strip_prefix('<') {
        Some(rest) => format!("p < {}", rest.trim()),
        None => format!("p = {s}"),
    }
}

/// `AIC`, `BIC` or `AIC, BIC` for the model(s) each criterion prefers.
fn preferred_mark(c: &Comparison, name: &str) -> String {
    let by: Vec<&str> = [("AIC", &c.preferred), ("BIC", &c.preferred_by_bic)]
        .iter()
        .filter(|(_, p)| p.as_deref() == Some(name))
        .map(|(k, _)| *k)
        .collect();
    by.join(", ")
}

/// The comparison as text: the table, the tests, the choice and the notes.
pub fn render_comparison(c: &Comparison) -> String {
    let mut out = format!("Model comparison for {}\nNumber of obs: {}\n\n", c.formula, c.nobs);
    let headers: Vec<String> = ["Random effects", "logLik", "df", "AIC", "BIC", "Converged", "Preferred"]
        .map(str::to_owned)
        .to_vec();
    const LABEL: &str = "Distribution";
    let names: Vec<String> =
        c.models.iter().map(|m| format!("{:<w$}", family_label(m.family), w = LABEL.len())).collect();
    let cells: Vec<Vec<String>> = c
        .models
        .iter()
        .map(|m| {
            let random = if m.random_effects {
                c.random_effects.clone().unwrap_or_default()
            } else {
                "none".to_owned()
            };
            let converged = match (m.converged, &m.error) {
                (_, Some(_)) => "failed".to_owned(),
                (Some(true), None) => "yes".to_owned(),
                _ => "no".to_owned(),
            };
            vec![
                random,
                one_decimal(m.loglik),
                m.df.map_or_else(|| "-".to_owned(), |d| d.to_string()),
                one_decimal(m.aic),
                one_decimal(m.bic),
                converged,
                preferred_mark(c, &m.name),
            ]
        })
        .collect();
    for (i, line) in render_table(&names, &headers, &cells, true).into_iter().enumerate() {
        let line = match (i, line.get(LABEL.len()..)) {
            (0, Some(rest)) if line.starts_with(&" ".repeat(LABEL.len())) => format!("{LABEL}{rest}"),
            _ => line,
        };
        out.push_str(line.trim_end());
        out.push('\n');
    }
    for m in &c.models {
        if let Some(e) = &m.error {
            out.push_str(&format!("{} ({}) could not be fitted: {e}\n", m.name, m.family.name()));
        }
    }
    if !c.lr_tests.is_empty() {
        out.push_str("\nLikelihood-ratio tests:\n");
        let mut notes: Vec<&str> = Vec::new();
        for t in &c.lr_tests {
            let k = match notes.iter().position(|n| *n == t.note) {
                Some(k) => k,
                None => {
                    notes.push(&t.note);
                    notes.len() - 1
                }
            };
            out.push_str(&format!(
                "  {} vs {}: LR = {:.2} on {} df, {}{} [{}]\n",
                t.restricted,
                t.general,
                t.statistic,
                t.df,
                p_text(t.p),
                if t.p_halved { " (halved)" } else { "" },
                k + 1
            ));
        }
        for (k, n) in notes.iter().enumerate() {
            out.push_str(&format!("  [{}] {n}\n", k + 1));
        }
    }
    out.push('\n');
    match &c.preferred {
        Some(p) => {
            out.push_str(&format!("Preferred model (lowest AIC): {p}\n"));
            if let Some(b) = c.preferred_by_bic.as_ref().filter(|b| *b != p) {
                out.push_str(&format!("BIC prefers: {b}\n"));
            }
        }
        None => out.push_str("No model converged, so none is preferred.\n"),
    }
    for n in &c.notes {
        out.push_str(&format!("Note: {n}\n"));
    }
    out
}
