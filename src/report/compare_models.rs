//! Comparison of two models the user wrote: AIC and BIC always, and a likelihood-ratio (LR)
//! test when one model is nested in the other.
//!
//! Both models must use the same rows (a missing value in a column only one formula uses would
//! otherwise compare likelihoods of different data), the same counts and the same offset.
//! Model R is nested in model G when
//! - the families are the same, or R is Poisson and G negative binomial (Poisson is NB2 with
//!   `1 / theta = 0`, NB1 with `phi = 0`);
//! - every fixed-effect column of R lies in the column space of G's fixed effects (least-squares
//!   residual below `1e-8` of the column's norm), so reparametrisations such as centring nest;
//! - every random-effect term of R, `(terms | group)`, has a term of G on the same group with at
//!   least those columns;
//! - G has more parameters.
//!
//! `LR = 2 (logLik_G - logLik_R)` on `df = df_G - df_R` degrees of freedom, p-value from the
//! chi-square(df) distribution. When the only difference is one variance (a new random term
//! with one column) or Poisson within negative binomial with nothing else added, the restricted
//! value is on the boundary of the parameter space and the null distribution is the 50:50
//! mixture of chi-square(0) and chi-square(1): the p-value is halved, and the note says so.

use super::lr_test::LikelihoodRatioTest;
use super::rformat::{format_g, format_pvalues, P_EPS};
use crate::design::Design;
use crate::fit::{Family, Fit, Warning};
use nalgebra::DMatrix;
use serde::Serialize;

/// One of the two models.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComparedModel {
    /// The formula as R prints it.
    pub formula: String,
    pub family: Family,
    pub loglik: f64,
    pub df: usize,
    pub aic: f64,
    pub bic: f64,
    pub converged: bool,
    pub warnings: Vec<Warning>,
}

/// The comparison of two models on the same rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelComparison {
    pub nobs: usize,
    pub models: [ComparedModel; 2],
    /// `None` when neither model is nested in the other (`not_nested` says why).
    pub lr_test: Option<LikelihoodRatioTest<usize>>,
    pub not_nested: Option<String>,
    /// 1 or 2: the model with the lower AIC, and with the lower BIC.
    pub preferred_by_aic: usize,
    pub preferred_by_bic: usize,
    pub text: String,
}

/// The comparison of `first` and `second`, each a formula as R prints it, its design and its
/// fit, on the same rows (see [`crate::pipeline::compare::compare_models`]).
pub fn compare_two(first: (String, &Design, &Fit), second: (String, &Design, &Fit)) -> ModelComparison {
    let (f1, d1, fit1) = first;
    let (f2, d2, fit2) = second;
    let model = |formula: String, f: &Fit| ComparedModel {
        formula,
        family: f.family,
        loglik: f.loglik,
        df: f.df,
        aic: f.aic,
        bic: f.bic,
        converged: f.converged,
        warnings: f.warnings.clone(),
    };
    let models = [model(f1, fit1), model(f2, fit2)];
    let (lr_test, not_nested) = match nesting(d1, fit1, d2, fit2) {
        Ok(test) => (Some(test), None),
        Err(reason) => (None, Some(reason)),
    };
    let preferred_by_aic = if models[1].aic < models[0].aic { 2 } else { 1 };
    let preferred_by_bic = if models[1].bic < models[0].bic { 2 } else { 1 };
    let mut comparison = ModelComparison {
        nobs: d1.y.len(),
        models,
        lr_test,
        not_nested,
        preferred_by_aic,
        preferred_by_bic,
        text: String::new(),
    };
    comparison.text = render(&comparison);
    comparison
}

/// Whether every column of `inner` lies in the column space of `outer`.
fn column_space_within(inner: &DMatrix<f64>, outer: &DMatrix<f64>) -> bool {
    if outer.ncols() == 0 {
        return inner.ncols() == 0;
    }
    let svd = outer.clone().svd(true, true);
    let Ok(coef) = svd.solve(inner, 1e-10) else { return false };
    let residual = inner - outer * coef;
    (0..inner.ncols()).all(|j| residual.column(j).norm() <= 1e-8 * inner.column(j).norm().max(1e-300))
}

fn random_within(inner: &Design, outer: &Design) -> bool {
    inner.random.iter().all(|r| {
        outer.random.iter().any(|g| g.group == r.group && r.terms.iter().all(|t| g.terms.contains(t)))
    })
}

/// The LR test when one model is nested in the other, else why not.
fn nesting(d1: &Design, fit1: &Fit, d2: &Design, fit2: &Fit) -> Result<LikelihoodRatioTest<usize>, String> {
    let (r, g) = match fit1.df.cmp(&fit2.df) {
        std::cmp::Ordering::Less => (1, 2),
        std::cmp::Ordering::Greater => (2, 1),
        std::cmp::Ordering::Equal => {
            return Err("the models have the same number of parameters, so neither is nested in the other; \
                        compare them by AIC and BIC"
                .to_owned())
        }
    };
    let (dr, fr, dg, fg) = if r == 1 { (d1, fit1, d2, fit2) } else { (d2, fit2, d1, fit1) };
    let family_nested =
        fr.family == fg.family || (fr.family == Family::Poisson && fg.family.has_dispersion());
    if !family_nested {
        return Err(format!(
            "the families differ ({} and {}) and neither contains the other; compare them by AIC and BIC",
            fr.family.name(),
            fg.family.name()
        ));
    }
    if !column_space_within(&dr.x, &dg.x) {
        return Err(format!(
            "the fixed effects of model {r} are not contained in those of model {g}; compare them by AIC and BIC"
        ));
    }
    if !random_within(dr, dg) {
        return Err(format!(
            "the random effects of model {r} are not contained in those of model {g}; compare them by AIC and \
             BIC"
        ));
    }
    // Zero inflation: model r's zero-inflation terms must be among model g's (no zero inflation
    // is the limit of a zero-inflation intercept at minus infinity, a boundary).
    let zi_terms = |f: &Fit| f.zi.as_ref().map_or_else(Vec::new, |z| z.terms.clone());
    let (zr, zg) = (zi_terms(fr), zi_terms(fg));
    if !zr.iter().all(|t| zg.contains(t)) {
        return Err(format!(
            "the zero-inflation terms of model {r} are not contained in those of model {g}; compare them by AIC \
             and BIC"
        ));
    }
    let added_zero_inflation = zr.is_empty() && !zg.is_empty();
    let df = fg.df - fr.df;
    let same_fixed = dr.x.ncols() == dg.x.ncols() && column_space_within(&dg.x, &dr.x);
    let added_variance = same_fixed
        && fr.family == fg.family
        && dg.random.len() == dr.random.len() + 1
        && dg
            .random
            .iter()
            .filter(|t| !dr.random.iter().any(|u| u.group == t.group && u.terms == t.terms))
            .all(|t| t.terms.len() == 1);
    let added_dispersion =
        same_fixed && fr.family != fg.family && dr.random.len() == dg.random.len() && random_within(dg, dr);
    let boundary = added_variance || added_dispersion;
    let note = if boundary && df == 1 {
        format!(
            "model {r} is model {g} with a {} at its boundary (zero), so the p-value is half the chi-square(1) \
             p-value (a 50:50 mixture of chi-square(0) and chi-square(1))",
            if added_variance { "variance" } else { "negative binomial overdispersion" }
        )
    } else {
        format!(
            "model {r} is nested in model {g}; p from chi-square({df}){}",
            if !random_within(dg, dr) || fr.family != fg.family || added_zero_inflation {
                " (conservative: some added parameters are tested at their boundary)"
            } else {
                ""
            }
        )
    };
    Ok(LikelihoodRatioTest::new(r, g, (fr.loglik, fg.loglik), df, boundary, note))
}

fn render(c: &ModelComparison) -> String {
    let mut out = format!("Comparison of two models on the same {} rows\n\n", c.nobs);
    for (i, m) in c.models.iter().enumerate() {
        out.push_str(&format!(
            "Model {}: {} ({})\n  logLik {}  df {}  AIC {}  BIC {}{}\n",
            i + 1,
            m.formula,
            m.family.name(),
            format_g(m.loglik, 8),
            m.df,
            format_g(m.aic, 8),
            format_g(m.bic, 8),
            if m.converged { "" } else { "  (did not converge)" }
        ));
    }
    out.push('\n');
    match (&c.lr_test, &c.not_nested) {
        (Some(t), _) => {
            let p = format_pvalues(&[t.p], 4, P_EPS).pop().unwrap_or_default();
            out.push_str(&format!(
                "Likelihood-ratio test: Chisq = {}, df = {}, p = {}\n  {}\n",
                format_g(t.statistic, 6),
                t.df,
                p,
                t.note
            ));
        }
        (None, Some(reason)) => out.push_str(&format!("No likelihood-ratio test: {reason}.\n")),
        (None, None) => {}
    }
    out.push_str(&format!(
        "Lower AIC: model {}; lower BIC: model {}\n",
        c.preferred_by_aic, c.preferred_by_bic
    ));
    out
}
