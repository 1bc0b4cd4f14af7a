//! Assembly of the reported [`Fit`] from the estimates: names, covariance blocks, random-effect
//! summaries, fitted values in design row order, information criteria and warnings.

use super::covariance::TermCovariance;
use super::error::FitError;
use super::glm::{GlmFit, TAU_BOUNDS};
use super::layout::Layout;
use super::mixed::{self, Estimate};
use super::{Family, Fit, FitOptions, Progress, RandomFit};
use crate::design::{Design, ModelColumn};

/// `(AIC, BIC)` = `(-2 ll + 2 df, -2 ll + ln(n) df)`.
fn criteria(loglik: f64, df: usize, nobs: usize) -> (f64, f64) {
    let aic = -2.0 * loglik + 2.0 * df as f64;
    let bic = -2.0 * loglik + (nobs as f64).ln() * df as f64;
    (aic, bic)
}

/// Warning for a dispersion estimate at the edge of its range.
fn dispersion_warning(family: Family, tau: f64) -> Option<String> {
    let near = |b: f64| (tau - b).abs() < 1e-6;
    match family {
        Family::Nbinom2 if near(TAU_BOUNDS.1) => Some(
            "the negative binomial size parameter theta is estimated as effectively infinite: the \
             counts show no overdispersion beyond the model, and a Poisson model gives the same fit"
                .into(),
        ),
        Family::Nbinom1 if near(TAU_BOUNDS.0) => Some(
            "the negative binomial dispersion phi is estimated as effectively zero: the counts show no \
             overdispersion beyond the model, and a Poisson model gives the same fit"
                .into(),
        ),
        Family::Nbinom2 | Family::Nbinom1 if near(TAU_BOUNDS.0) || near(TAU_BOUNDS.1) => Some(
            "the negative binomial dispersion parameter is at the edge of its range: the estimates may \
             be unreliable"
                .into(),
        ),
        _ => None,
    }
}

fn non_convergence(iterations: usize, detail: &str) -> String {
    format!(
        "the fit did not converge after {iterations} iterations ({detail}); the estimates may be \
         unreliable"
    )
}

/// Warns about fitted means below `1e-8` of the mean count: a covariate separating zero
/// counts drives its coefficient towards minus infinity (R's `glm` warns about fitted rates
/// "numerically 0" in the same situation).
fn zero_means_warning(fitted: &[f64], response: &[f64], warnings: &mut Vec<String>) {
    let mean = response.iter().sum::<f64>() / response.len().max(1) as f64;
    let tiny = fitted.iter().filter(|&&m| m < 1e-8 * mean).count();
    if tiny > 0 {
        warnings.push(format!(
            "fitted means numerically zero occurred ({tiny} rows): a covariate may separate the zero \
             counts, and the estimates and standard errors of the terms involved are unreliable"
        ));
    }
}

/// Reorders values given per sorted row into design row order.
fn to_design_order(layout: &Layout, sorted: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; layout.n];
    for (s, &r) in layout.order.iter().enumerate() {
        out[r] = sorted[s];
    }
    out
}

/// `offset + X beta` in design row order.
fn fixed_predictor(layout: &Layout, beta: &[f64]) -> Vec<f64> {
    let sorted: Vec<f64> = (0..layout.n)
        .map(|i| layout.offset[i] + layout.x_row(i).iter().zip(beta).map(|(a, b)| a * b).sum::<f64>())
        .collect();
    to_design_order(layout, &sorted)
}

/// The fit of a model without random effects.
pub fn glm_fit(
    layout: &Layout,
    family: Family,
    glm: &GlmFit,
    terms: Vec<String>,
    columns: Vec<ModelColumn>,
    dropped_terms: Vec<String>,
    mut warnings: Vec<String>,
) -> Fit {
    let p = layout.p;
    let dim = glm.dim;
    let cov_beta = (0..p).map(|a| (0..p).map(|b| glm.cov[a * dim + b]).collect()).collect();
    let df = p + glm.tau.is_some() as usize;
    let (aic, bic) = criteria(glm.loglik, df, layout.n);
    if let Some(w) = glm.tau.and_then(|t| dispersion_warning(family, t)) {
        warnings.push(w);
    }
    if !glm.information_ok {
        warnings.push(
            "the information matrix is not positive definite at the estimates: standard errors are \
             unavailable"
                .into(),
        );
    }
    if !glm.converged && glm.information_ok {
        warnings.push(non_convergence(glm.iterations, "the gradient did not vanish"));
    }
    let linear_predictor_fixed = fixed_predictor(layout, &glm.beta);
    let fitted: Vec<f64> = linear_predictor_fixed.iter().map(|e| e.exp()).collect();
    zero_means_warning(&fitted, &layout.response.y, &mut warnings);
    Fit {
        family,
        terms,
        columns,
        beta: glm.beta.clone(),
        cov_beta,
        dropped_terms,
        loglik: glm.loglik,
        df,
        aic,
        bic,
        nobs: layout.n,
        dispersion: glm.tau.map(f64::exp),
        dispersion_se_log: glm.tau.map(|_| glm.cov[p * dim + p].sqrt()).filter(|v| v.is_finite()),
        random: Vec::new(),
        converged: glm.converged,
        singular: false,
        warnings,
        iterations: glm.iterations,
        max_abs_gradient: glm.max_abs_gradient,
        fitted,
        linear_predictor_fixed,
    }
}

/// Fits and reports a mixed model.
#[allow(clippy::too_many_arguments)]
pub fn mixed_fit(
    design: &Design,
    layout: &Layout,
    family: Family,
    options: &FitOptions,
    glm: &GlmFit,
    terms: Vec<String>,
    columns: Vec<ModelColumn>,
    dropped_terms: Vec<String>,
    mut warnings: Vec<String>,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Fit, FitError> {
    let (est, laplace) = mixed::fit_mixed(layout, family, options, glm, progress)?;
    let index = &laplace.index;
    let p = index.p;
    let len = index.len;
    let beta = est.psi[..p].to_vec();
    let cov_beta = (0..p).map(|a| (0..p).map(|b| est.cov[a * len + b]).collect()).collect();
    let df = len;
    let (aic, bic) = criteria(est.loglik, df, layout.n);
    let tau = index.tau.map(|t| est.psi[t]);
    if let Some(w) = tau.and_then(|t| dispersion_warning(family, t)) {
        warnings.push(w);
    }
    let random = random_fits(design, layout, &est, &laplace);
    singular_warnings(design, &est, &mut warnings);
    if !est.hessian_ok {
        warnings.push(
            "the Hessian of the log-likelihood is not positive definite at the estimates: standard \
             errors are unavailable"
                .into(),
        );
    } else if !est.converged {
        warnings.push(non_convergence(
            est.iterations,
            &format!("largest gradient {:.2e} standard errors", est.scaled_gradient),
        ));
    }
    let free_gradient = (0..len).filter(|&k| !est.held[k]).map(|k| est.gradient[k].abs()).fold(0.0, f64::max);
    let fitted: Vec<f64> = to_design_order(layout, &laplace.eta).iter().map(|e| e.exp()).collect();
    zero_means_warning(&fitted, &layout.response.y, &mut warnings);
    Ok(Fit {
        family,
        terms,
        columns,
        beta: beta.clone(),
        cov_beta,
        dropped_terms,
        loglik: est.loglik,
        df,
        aic,
        bic,
        nobs: layout.n,
        dispersion: tau.map(f64::exp),
        dispersion_se_log: index.tau.map(|t| est.cov[t * len + t].sqrt()).filter(|v| v.is_finite()),
        random,
        converged: est.converged,
        singular: est.singularity.any(),
        warnings,
        iterations: est.iterations,
        max_abs_gradient: free_gradient,
        fitted,
        linear_predictor_fixed: fixed_predictor(layout, &beta),
    })
}

fn singular_warnings(design: &Design, est: &Estimate, warnings: &mut Vec<String>) {
    for (k, term) in design.random.iter().enumerate() {
        for &j in &est.singularity.zero_sd[k] {
            let what = if term.terms.len() == 1 && term.terms[0] == "(Intercept)" {
                String::new()
            } else {
                format!(" for '{}'", term.terms[j])
            };
            warnings.push(format!(
                "the {} random-effect variance{} is estimated as (near) zero: singular fit",
                term.group, what
            ));
        }
        if est.singularity.corr[k] {
            warnings.push(format!(
                "the {} random-effect correlations ({}) are estimated as (near) +-1: singular fit",
                term.group,
                term.terms.join(", ")
            ));
        }
    }
}

/// Per design term: standard deviations, correlations and the conditional modes of every level.
fn random_fits(
    design: &Design,
    layout: &Layout,
    est: &Estimate,
    laplace: &super::laplace::Laplace,
) -> Vec<RandomFit> {
    let conditional = laplace.conditional_sds();
    design
        .random
        .iter()
        .enumerate()
        .map(|(k, term)| {
            let slot = layout.slots[k];
            let q = slot.q;
            let (start, len) = laplace.index.theta[k];
            let cov = TermCovariance::new(&est.psi[start..start + len], q);
            let corr = (0..q).map(|a| (0..q).map(|b| cov.corr[a * q + b]).collect()).collect();
            let levels = term.levels.len();
            let prior_sd: Vec<f64> = cov.sd.clone();
            let mut modes = vec![vec![0.0; q]; levels];
            let mut mode_sd = vec![prior_sd.clone(); levels];
            let (groups, values, dim): (Vec<usize>, &Vec<f64>, usize) = if slot.factor == 0 {
                (layout.outer.iter().map(|g| g.level).collect(), &laplace.bo, layout.qa)
            } else {
                (layout.inner.iter().map(|g| g.level).collect(), &laplace.bi, layout.qb)
            };
            for (g, &level) in groups.iter().enumerate() {
                for c in 0..q {
                    modes[level][c] = values[g * dim + slot.offset + c];
                    mode_sd[level][c] = conditional[slot.factor][g * dim + slot.offset + c];
                }
            }
            RandomFit {
                group: term.group.clone(),
                terms: term.terms.clone(),
                sd: cov.sd,
                corr,
                levels: term.levels.clone(),
                modes,
                mode_sd,
            }
        })
        .collect()
}
