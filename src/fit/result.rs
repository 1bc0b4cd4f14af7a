//! The reported fit, [`Fit`], and its assembly from the estimates: names, covariance blocks,
//! random-effect summaries, fitted values in design row order, information criteria and
//! warnings.

use super::field::FieldApproximation;
use super::likelihood::conditional::row_times;
use super::likelihood::covariance::TermCovariance;
use super::likelihood::glm::TAU_BOUNDS;
use super::likelihood::laplace::Laplace;
use super::likelihood::layout::Layout;
use super::likelihood::params::ParamIndex;
use super::optimise::glm::GlmFit;
use super::optimise::maximise::Estimate;
use super::sparse::{SparseLaplace, SparseModel};
use super::warning::Warning;
use super::zeros::zero_inflation_warning;
use super::Family;
use crate::design::{Design, FieldLocations, ModelColumn, RandomTerm};
use serde::Serialize;
use std::sync::Arc;

/// A fitted model.
#[derive(Clone, Debug, Serialize)]
pub struct Fit {
    pub family: Family,
    /// Fixed-effect names kept (aliased columns removed).
    pub terms: Vec<String>,
    /// What each kept column is (term, variables, factor levels), aligned with `terms`.
    #[serde(skip)]
    pub columns: Vec<ModelColumn>,
    /// Fixed-effect estimates, in the order of `terms`.
    pub beta: Vec<f64>,
    /// Covariance of `beta` (p x p), from the inverse of the observed information of all
    /// parameters (parameters at a boundary excluded). NaN when that information is not
    /// positive definite (a warning says so).
    pub cov_beta: Vec<Vec<f64>>,
    /// Model-matrix columns dropped because they are linear combinations of earlier columns.
    pub dropped_terms: Vec<String>,
    /// Log-likelihood (Laplace or quadrature approximation for mixed models), with all
    /// normalising constants.
    pub loglik: f64,
    /// Number of estimated parameters, counted as glmmTMB counts them.
    pub df: usize,
    pub aic: f64,
    pub bic: f64,
    pub nobs: usize,
    /// `theta` for nbinom2 (`var = mu + mu^2/theta`), `phi` for nbinom1 (`var = mu (1 + phi)`),
    /// `None` for Poisson.
    pub dispersion: Option<f64>,
    /// Standard error of `log(dispersion)`; `None` for Poisson and when the dispersion is held
    /// at the edge of its range.
    pub dispersion_se_log: Option<f64>,
    /// One entry per random-effect term of the design, in the same order.
    pub random: Vec<RandomFit>,
    pub converged: bool,
    /// A variance estimated as (near) zero or a correlation near +-1.
    pub singular: bool,
    /// Warnings with their codes and advice.
    pub warnings: Vec<Warning>,
    /// Outer iterations used.
    pub iterations: usize,
    /// Largest absolute gradient of the log-likelihood over all parameters at the estimate.
    pub max_abs_gradient: f64,
    /// Fitted means `mu_i`, random effects at their conditional modes, in design row order.
    pub fitted: Vec<f64>,
    /// `offset + X beta`, without random effects, in design row order.
    pub linear_predictor_fixed: Vec<f64>,
    /// The zero-inflation part, if the model has one: `fitted` are then the means of the
    /// count distribution, and the expected counts `(1 - pi) mu`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zi: Option<super::ZeroInflationFit>,
}

/// The estimates for one random-effect term `(terms | group)`.
#[derive(Clone, Debug, Serialize)]
pub struct RandomFit {
    pub group: String,
    pub terms: Vec<String>,
    /// Standard deviations of the random effects, one per term.
    pub sd: Vec<f64>,
    /// Correlation matrix (the 1 x 1 identity for a scalar term).
    pub corr: Vec<Vec<f64>>,
    pub levels: Vec<String>,
    /// Conditional modes `b_j`, one row per level, one column per term.
    pub modes: Vec<Vec<f64>>,
    /// Conditional standard deviations of the modes (same shape as `modes`), as glmmTMB's
    /// `ranef(condVar = TRUE)`: the square root of `(H^-1)_rr + J_r V J_r'`, the inverse Hessian
    /// of the random effects plus the uncertainty of the estimated parameters carried through
    /// the mode (see [`conditional`]). Levels without rows keep their prior SD.
    pub mode_sd: Vec<Vec<f64>>,
    /// Covariance of each mode with each fixed effect: per level, per term, one value per entry
    /// of [`Fit::terms`] (`(J V)_r,beta`; zero for levels without rows).
    pub mode_cov_fixed: Vec<Vec<Vec<f64>>>,
    /// For a spatial field, its range and locations (`sd` then holds its one SD).
    pub field: Option<FieldFit>,
}

/// The estimates of a spatial field `exp(pos(x, y) + 0 | g)` besides its SD.
#[derive(Clone, Debug, Serialize)]
pub struct FieldFit {
    /// `range` in `cov(u_a, u_b) = sd^2 exp(-d_ab / range)`, in the coordinates' units.
    pub range: f64,
    /// `"metres"` or `"coordinate units"`.
    pub units: &'static str,
    /// How the precision was computed.
    pub approximation: FieldApproximation,
    /// glmmTMB's `theta`: `(ln sd, ln range)`.
    pub theta: [f64; 2],
    /// Covariance of `theta` (NaN where unavailable: a parameter held at a boundary, or a
    /// Hessian that is not positive definite).
    pub theta_cov: [[f64; 2]; 2],
    /// Whether the data identify the range: not where the field's SD is estimated as (near)
    /// zero (a singular fit), where the likelihood hardly depends on the range.
    pub range_identified: bool,
    /// The locations (the levels of the term, in order).
    #[serde(skip)]
    pub locations: FieldLocations,
}

/// The fixed-effect columns of a fit: the names and descriptions of those kept, the names of
/// those dropped as linear combinations of earlier ones, and the warning that says so.
pub struct Columns {
    pub names: Vec<String>,
    pub columns: Vec<ModelColumn>,
    pub dropped: Vec<String>,
    pub warnings: Vec<Warning>,
}

impl Columns {
    /// The columns of `design` at positions `kept`.
    pub fn kept(design: &Design, kept: &[usize]) -> Columns {
        let dropped: Vec<String> =
            (0..design.x.ncols()).filter(|j| !kept.contains(j)).map(|j| design.x_names[j].clone()).collect();
        let mut warnings = Vec::new();
        if !dropped.is_empty() {
            warnings.push(Warning::rank_deficient(format!(
                "the fixed effects are rank deficient: dropped {} ({} a linear combination of earlier columns)",
                dropped.iter().map(|d| format!("'{d}'")).collect::<Vec<_>>().join(", "),
                if dropped.len() == 1 { "it is" } else { "each is" }
            )));
        }
        Columns {
            names: kept.iter().map(|&j| design.x_names[j].clone()).collect(),
            columns: kept.iter().map(|&j| design.x_columns[j].clone()).collect(),
            dropped,
            warnings,
        }
    }
}

/// `(AIC, BIC)` = `(-2 ll + 2 df, -2 ll + ln(n) df)`.
fn criteria(loglik: f64, df: usize, nobs: usize) -> (f64, f64) {
    let aic = -2.0 * loglik + 2.0 * df as f64;
    let bic = -2.0 * loglik + (nobs as f64).ln() * df as f64;
    (aic, bic)
}

/// Advice when the data show no overdispersion.
const NO_OVERDISPERSION: &str = "Use the Poisson family: it gives the same fit with one parameter fewer.";

/// Advice for a correlation of random effects at +-1.
const CORRELATION_AT_ONE: &str = "The data cannot tell the LA intercepts and slopes apart. Try the \
    random effects without their correlation, (1 | la) + (0 + x | la), or drop the random slope.";

/// Warning for a dispersion estimate at the edge of its range.
fn dispersion_warning(family: Family, tau: f64) -> Option<Warning> {
    // Within a factor 1.6 of a bound (theta above 3e8, say): a GLM's Newton steps stop short of it.
    let near = |b: f64| (tau - b).abs() < 0.5;
    match family {
        Family::Nbinom2 if near(TAU_BOUNDS.1) => Some(Warning::boundary(
            "the negative binomial size parameter theta is estimated as effectively infinite: the \
             counts show no overdispersion beyond the model, and a Poisson model gives the same fit"
                .into(),
            NO_OVERDISPERSION,
        )),
        Family::Nbinom1 if near(TAU_BOUNDS.0) => Some(Warning::boundary(
            "the negative binomial dispersion phi is estimated as effectively zero: the counts show no \
             overdispersion beyond the model, and a Poisson model gives the same fit"
                .into(),
            NO_OVERDISPERSION,
        )),
        Family::Nbinom2 | Family::Nbinom1 if near(TAU_BOUNDS.0) || near(TAU_BOUNDS.1) => {
            Some(Warning::boundary(
                "the negative binomial dispersion parameter is at the edge of its range: the estimates may \
             be unreliable"
                    .into(),
                "Check the counts for extreme values or data errors, and compare with the Poisson and the \
             other negative binomial family.",
            ))
        }
        _ => None,
    }
}

fn non_convergence(iterations: usize, detail: &str) -> Warning {
    Warning::non_convergence(format!(
        "the fit did not converge after {iterations} iterations ({detail}); the estimates may be \
         unreliable"
    ))
}

/// Warns about fitted means below `1e-8` of the mean count: a covariate separating zero
/// counts drives its coefficient towards minus infinity (R's `glm` warns about fitted rates
/// "numerically 0" in the same situation). For a binomial family, about fitted probabilities
/// within `1e-8` of 0 or 1 (R's "fitted probabilities numerically 0 or 1 occurred").
fn zero_means_warning(family: Family, fitted: &[f64], response: &[f64], warnings: &mut Vec<Warning>) {
    if family.is_binomial() {
        let extreme = fitted.iter().filter(|&&p| !(1e-8..=1.0 - 1e-8).contains(&p)).count();
        if extreme > 0 {
            warnings.push(Warning::separation(format!(
                "fitted probabilities numerically 0 or 1 occurred ({extreme} rows): a covariate may separate \
                 the successes from the failures, and the estimates and standard errors of the terms involved \
                 are unreliable"
            )));
        }
        return;
    }
    let mean = response.iter().sum::<f64>() / response.len().max(1) as f64;
    let tiny = fitted.iter().filter(|&&m| m < 1e-8 * mean).count();
    if tiny > 0 {
        warnings.push(Warning::separation(format!(
            "fitted means numerically zero occurred ({tiny} rows): a covariate may separate the zero \
             counts, and the estimates and standard errors of the terms involved are unreliable"
        )));
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
pub fn glm_fit(layout: &Layout, family: Family, glm: &GlmFit, columns: Columns) -> Fit {
    let Columns { names: terms, columns, dropped: dropped_terms, mut warnings } = columns;
    let p = layout.p;
    let dim = glm.dim;
    let cov_beta = (0..p).map(|a| (0..p).map(|b| glm.cov[a * dim + b]).collect()).collect();
    let df = p + glm.tau.is_some() as usize;
    let (aic, bic) = criteria(glm.loglik, df, layout.n);
    if let Some(w) = glm.tau.and_then(|t| dispersion_warning(family, t)) {
        warnings.push(w);
    }
    if !glm.information_ok {
        warnings.push(Warning::hessian_not_pd(
            "the information matrix is not positive definite at the estimates: standard errors are \
             unavailable"
                .into(),
        ));
    }
    if !glm.converged && glm.information_ok {
        warnings.push(non_convergence(glm.iterations, "the gradient did not vanish"));
    }
    let linear_predictor_fixed = fixed_predictor(layout, &glm.beta);
    let fitted: Vec<f64> = linear_predictor_fixed.iter().map(|&e| family.inverse_link(e)).collect();
    zero_means_warning(family, &fitted, &layout.response.y, &mut warnings);
    let dispersion = glm.tau.map(f64::exp);
    warnings.extend(zero_inflation_warning(family, dispersion, &fitted, &layout.response.y));
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
        dispersion,
        dispersion_se_log: glm.tau.map(|_| glm.cov[p * dim + p].sqrt()).filter(|v| v.is_finite()),
        random: Vec::new(),
        converged: glm.converged,
        singular: false,
        warnings,
        iterations: glm.iterations,
        max_abs_gradient: glm.max_abs_gradient,
        fitted,
        linear_predictor_fixed,
        zi: None,
    }
}

/// The fit of a mixed model from its estimate, with `laplace` evaluated at the estimate (its
/// modes, linear predictor and mode sensitivities).
pub fn mixed_fit(
    design: &Design,
    family: Family,
    est: &Estimate,
    laplace: &Laplace,
    columns: Columns,
) -> Fit {
    let layout: &Layout = &laplace.layout;
    let random = random_fits(design, layout, est, laplace);
    let eta = to_design_order(layout, &laplace.eta);
    assemble_mixed(design, family, est, &laplace.index, layout, random, &eta, columns)
}

/// The fit of a mixed model fitted by the sparse evaluator, with `sparse` evaluated at the
/// estimate; `layout` holds the rows in design order (without random effects).
pub fn sparse_fit(
    design: &Design,
    family: Family,
    est: &Estimate,
    sparse: &SparseLaplace<Arc<SparseModel>>,
    layout: &Layout,
    columns: Columns,
    fields: &[Option<FieldApproximation>],
) -> Fit {
    let random = sparse_random_fits(design, est, sparse, fields);
    let eta = sparse.linear_predictor().to_vec();
    assemble_mixed(design, family, est, &sparse.index, layout, random, &eta, columns)
}

/// What every mixed fit reports besides its random effects: estimates, criteria, warnings and
/// fitted means from the linear predictor `eta` at the modes (design row order).
#[allow(clippy::too_many_arguments)]
fn assemble_mixed(
    design: &Design,
    family: Family,
    est: &Estimate,
    index: &ParamIndex,
    layout: &Layout,
    random: Vec<RandomFit>,
    eta: &[f64],
    columns: Columns,
) -> Fit {
    let Columns { names: terms, columns, dropped: dropped_terms, mut warnings } = columns;
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
    singular_warnings(design, est, &mut warnings);
    if !est.hessian_ok {
        warnings.push(Warning::hessian_not_pd(
            "the Hessian of the log-likelihood is not positive definite at the estimates: standard \
             errors are unavailable"
                .into(),
        ));
    } else if !est.converged {
        warnings.push(non_convergence(
            est.iterations,
            &format!("largest gradient {:.2e} standard errors", est.scaled_gradient),
        ));
    }
    let free_gradient = (0..len).filter(|&k| !est.held[k]).map(|k| est.gradient[k].abs()).fold(0.0, f64::max);
    let fitted: Vec<f64> = eta.iter().map(|&e| family.inverse_link(e)).collect();
    let y = to_design_order(layout, &layout.response.y);
    zero_means_warning(family, &fitted, &y, &mut warnings);
    warnings.extend(zero_inflation_warning(family, tau.map(f64::exp), &fitted, &y));
    Fit {
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
        zi: None,
    }
}

/// The fit of a zero-inflated model without random effects from its estimate.
pub fn zero_inflated_glm_fit(
    design: &Design,
    family: Family,
    est: &Estimate,
    index: &ParamIndex,
    layout: &Layout,
    columns: Columns,
) -> Fit {
    let eta = fixed_predictor(layout, &est.psi[..index.p]);
    assemble_mixed(design, family, est, index, layout, Vec::new(), &eta, columns)
}

/// Adds the zero-inflation estimates of `est` to `fit` (and drops the advice to consider
/// zero inflation, which the model now has).
pub fn attach_zero_inflation(
    fit: &mut Fit,
    zi: &super::ZeroInflationDesign,
    est: &Estimate,
    index: &ParamIndex,
    layout: &Layout,
) {
    let Some((start, pz)) = index.zi else { return };
    let len = index.len;
    let gamma = est.psi[start..start + pz].to_vec();
    let zeta = super::likelihood::zero_inflation::predictor(layout, &gamma);
    let pi: Vec<f64> = zeta.iter().map(|&z| super::likelihood::zero_inflation::sigmoid(z)).collect();
    fit.zi = Some(super::ZeroInflationFit {
        formula: zi.formula.clone(),
        terms: zi.names.clone(),
        estimate: gamma,
        cov: (0..pz).map(|a| (0..pz).map(|b| est.cov[(start + a) * len + start + b]).collect()).collect(),
        probability: to_design_order(layout, &pi),
    });
    fit.warnings.retain(|w| w.code != super::WarningCode::ZeroInflationSuspected);
}

fn singular_warnings(design: &Design, est: &Estimate, warnings: &mut Vec<Warning>) {
    for (k, term) in design.random.iter().enumerate() {
        for &j in &est.singularity.zero_sd[k] {
            if term.field.is_some() {
                warnings.push(Warning::singular_fit(format!(
                    "the SD of the spatial field over {} is estimated as (near) zero: singular fit; \
                     its range is then not identified by the data",
                    term.group
                )));
                continue;
            }
            let what = if term.terms.len() == 1 && term.terms[0] == "(Intercept)" {
                String::new()
            } else {
                format!(" for '{}'", term.terms[j])
            };
            warnings.push(Warning::singular_fit(format!(
                "the {} random-effect variance{} is estimated as (near) zero: singular fit",
                term.group, what
            )));
        }
        if est.singularity.corr[k] {
            warnings.push(Warning::boundary(
                format!(
                    "the {} random-effect correlations ({}) are estimated as (near) +-1: singular fit",
                    term.group,
                    term.terms.join(", ")
                ),
                CORRELATION_AT_ONE,
            ));
        }
    }
}

/// One level's random effect `column`: its conditional mode, conditional SD and covariance
/// with each fixed effect.
struct LevelEffect {
    level: usize,
    column: usize,
    mode: f64,
    sd: f64,
    cov_fixed: Vec<f64>,
}

/// The estimates of design term `term` with covariance `cov` (`p` fixed effects): its SDs and
/// correlations, and per level the values of `effects`; levels without rows keep a zero mode
/// and the prior SD.
fn term_fit(
    term: &RandomTerm,
    cov: TermCovariance,
    p: usize,
    effects: impl Iterator<Item = LevelEffect>,
) -> RandomFit {
    let q = term.terms.len();
    let levels = term.levels.len();
    let corr = (0..q).map(|a| (0..q).map(|b| cov.corr[a * q + b]).collect()).collect();
    let mut modes = vec![vec![0.0; q]; levels];
    let mut mode_sd = vec![cov.sd.clone(); levels];
    let mut mode_cov_fixed = vec![vec![vec![0.0; p]; q]; levels];
    for e in effects {
        modes[e.level][e.column] = e.mode;
        mode_sd[e.level][e.column] = e.sd;
        mode_cov_fixed[e.level][e.column] = e.cov_fixed;
    }
    RandomFit {
        group: term.group.clone(),
        terms: term.terms.clone(),
        sd: cov.sd,
        corr,
        levels: term.levels.clone(),
        modes,
        mode_sd,
        mode_cov_fixed,
        field: None,
    }
}

/// Per design term: standard deviations, correlations, and the conditional modes of every level
/// with their conditional SDs and covariances with the fixed effects (see
/// [`super::likelihood::conditional`]).
fn random_fits(design: &Design, layout: &Layout, est: &Estimate, laplace: &Laplace) -> Vec<RandomFit> {
    let conditional = laplace.conditional_variances(&est.cov);
    let p = layout.p;
    design
        .random
        .iter()
        .enumerate()
        .map(|(k, term)| {
            let slot = layout.slots[k];
            let (start, len) = laplace.index.theta[k];
            let cov = TermCovariance::new(&est.psi[start..start + len], slot.q);
            let (groups, values, dim): (Vec<usize>, &Vec<f64>, usize) = if slot.factor == 0 {
                (layout.outer.iter().map(|g| g.level).collect(), &laplace.bo, layout.qa)
            } else {
                (layout.inner.iter().map(|g| g.level).collect(), &laplace.bi, layout.qb)
            };
            let factor = &conditional[slot.factor];
            let effects = groups.into_iter().enumerate().flat_map(|(g, level)| {
                (0..slot.q).map(move |column| {
                    let r = g * dim + slot.offset + column;
                    LevelEffect {
                        level,
                        column,
                        mode: values[r],
                        sd: factor.variance[r].sqrt(),
                        cov_fixed: factor.cov_fixed[r * p..(r + 1) * p].to_vec(),
                    }
                })
            });
            term_fit(term, cov, p, effects)
        })
        .collect()
}

/// [`random_fits`] for the sparse evaluator: per level the conditional mode, its conditional SD
/// `sqrt((H^-1)_rr + J_r V J_r')` and its covariance with the fixed effects `(J V)_r,beta`.
fn sparse_random_fits(
    design: &Design,
    est: &Estimate,
    sparse: &SparseLaplace<Arc<SparseModel>>,
    fields: &[Option<FieldApproximation>],
) -> Vec<RandomFit> {
    let index = &sparse.index;
    let (p, len) = (index.p, index.len);
    design
        .random
        .iter()
        .enumerate()
        .map(|(k, term)| {
            let q = index.columns[k];
            let (start, plen) = index.theta[k];
            // A field's parameters after its log SD are its own (a log range).
            let covariance_len = if term.field.is_some() { q } else { plen };
            let cov = TermCovariance::new(&est.psi[start..start + covariance_len], q);
            let (values, variances) = (sparse.modes(k), sparse.conditional_variances(k));
            let mut effects = Vec::new();
            let mut jv = vec![0.0; len];
            for level in 0..term.levels.len() {
                let Some(jacobian) = sparse.mode_sensitivity(k, level) else { continue };
                for column in 0..q {
                    let j_row = &jacobian[column * len..(column + 1) * len];
                    row_times(j_row, &est.cov, len, &mut jv);
                    let carried: f64 = jv.iter().zip(j_row).map(|(a, b)| a * b).sum();
                    effects.push(LevelEffect {
                        level,
                        column,
                        mode: values[level * q + column],
                        sd: (variances[level * q + column].max(0.0) + carried).sqrt(),
                        cov_fixed: jv[..p].to_vec(),
                    });
                }
            }
            let mut fit = term_fit(term, cov, p, effects.into_iter());
            if let Some(locations) = &term.field {
                let theta = [est.psi[start], est.psi[start + 1]];
                let c = |a: usize, b: usize| est.cov[(start + a) * len + start + b];
                fit.field = Some(FieldFit {
                    range: theta[1].exp(),
                    units: locations.units(),
                    approximation: fields.get(k).copied().flatten().unwrap_or(FieldApproximation::Exact),
                    theta,
                    theta_cov: [[c(0, 0), c(0, 1)], [c(1, 0), c(1, 1)]],
                    range_identified: est.singularity.zero_sd.get(k).is_none_or(|z| z.is_empty()),
                    locations: locations.clone(),
                });
            }
            fit
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::optimise::glm::fit_glm;
    use super::super::testdata::{design, grouped, layout, Rng};
    use super::super::warning::WarningCode;
    use super::*;

    /// A fit whose information is not positive definite reports it, with no separate
    /// non-convergence warning, and has no standard errors.
    #[test]
    fn information_not_positive_definite_is_hessian_not_pd() {
        let mut rng = Rng::new(5);
        let s = grouped(&mut rng, 6, 10, 1);
        let y: Vec<f64> = s.offset.iter().map(|o| rng.poisson((o - 3.0).exp()) as f64).collect();
        let d = design(&s, y, Vec::new());
        let layout = layout(&d);
        let mut glm = fit_glm(&layout, Family::Poisson, 1e-8, 100, &mut |_| {}).unwrap();
        assert!(glm.information_ok && glm.converged);
        glm.information_ok = false;
        glm.converged = false;
        glm.cov = vec![f64::NAN; 4];
        let f = glm_fit(&layout, Family::Poisson, &glm, Columns::kept(&d, &[0, 1]));
        let codes: Vec<WarningCode> = f.warnings.iter().map(|w| w.code).collect();
        assert_eq!(codes, [WarningCode::HessianNotPd]);
        assert_eq!(
            f.warnings[0].message,
            "the information matrix is not positive definite at the estimates: standard errors are unavailable"
        );
        assert!(f.warnings[0].advice.contains("scale(x)"));
        assert!(f.cov_beta[1][1].is_nan());
    }
}
