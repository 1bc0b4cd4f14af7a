//! The fitting engine against R: every golden fit under tests/reference/golden/fits (made by
//! tests/reference/make_golden.R with glmmTMB, glm, MASS::glm.nb and lme4::glmer) is refitted from
//! the same CSV and formula, and compared with the tolerances the engine promises:
//! fixed effects within 1e-4 x max(1, |B|), standard errors within 1e-3 relative, log-likelihood
//! within 1e-3, dispersion and random-effect SDs within 1e-3 relative, correlations within 1e-3.
//!
//! What each R method is compared on:
//! - glmmTMB: everything above (its SEs come from the full observed information, as ours do). The
//!   SEs compared are glmmTMB's recomputed with a 1e-5 differentiation step: glmmTMB's default
//!   (optimHess with a 1e-3 step) is itself up to ~2e-3 off when a covariate is on a large scale;
//! - glm (Poisson): estimates, SEs, log-likelihood;
//! - MASS::glm.nb: estimates, theta and log-likelihood (its SEs hold theta fixed, so they differ);
//! - glmer with nAGQ = 9: estimates, the SD and the full log-likelihood recomputed by quadrature at
//!   lme4's estimates (`loglik_full`; lme4 itself drops a constant at nAGQ > 1).
//!
//! Singular fits (an SD estimated at the boundary) are compared on estimates and log-likelihood,
//! and must be reported as singular.

#[path = "reference/golden.rs"]
mod golden;

use golden::{reference_dir, Fit, Index};
use socgrad::data::read_csv;
use socgrad::fit::Family;
use socgrad::pipeline::{FitRequest, Session};
use socgrad::report::FitReport;

const TOL_BETA: f64 = 1e-4;
const TOL_SE: f64 = 1e-3;
const TOL_LOGLIK: f64 = 1e-3;
const TOL_DISP: f64 = 1e-3;
const TOL_SD: f64 = 1e-3;
const TOL_CORR: f64 = 1e-3;

fn family(name: &str) -> Family {
    match name {
        "poisson" => Family::Poisson,
        "nbinom2" => Family::Nbinom2,
        "nbinom1" => Family::Nbinom1,
        other => panic!("unknown family {other} in the golden files"),
    }
}

fn refit(golden: &Fit) -> Result<FitReport, String> {
    let bytes = std::fs::read(reference_dir().join(&golden.data)).map_err(|e| e.to_string())?;
    let session = Session::from_frame(read_csv(&bytes).map_err(|e| e.to_string())?);
    let mut request = FitRequest::new(&golden.formula, family(&golden.family));
    request.nagq = golden.nagq.unwrap_or(1) as usize;
    session.fit_report(&request, &mut |_| {}).map_err(|e| e.to_string())
}

/// Record a disagreement when `ours` is not within `tol` of `theirs` (relative to |theirs|, or to
/// max(1, |theirs|) when `relative` is false).
fn check(out: &mut Vec<String>, what: String, ours: f64, theirs: f64, tol: f64, relative: bool) {
    let scale = if relative { theirs.abs() } else { theirs.abs().max(1.0) };
    if (ours - theirs).abs() > tol * scale || !ours.is_finite() {
        out.push(format!("{what}: ours {ours:.10} vs R {theirs:.10}"));
    }
}

/// Compare one fit; returns the list of disagreements (empty when it agrees).
fn disagreements(golden: &Fit) -> Vec<String> {
    let ours = match refit(golden) {
        Ok(r) => r,
        Err(e) => return vec![format!("fit failed: {e}")],
    };
    let mut out = Vec::new();
    let singular = golden.convergence.singular;
    let method = golden.method.as_str();

    // Fixed effects, by R's names.
    if ours.coefficients.len() != golden.fixed.len() {
        return vec![format!("{} coefficients vs R's {}", ours.coefficients.len(), golden.fixed.len())];
    }
    for (k, r) in golden.fixed.iter().enumerate() {
        let Some(c) = ours.coefficients.iter().find(|c| c.term == r.name) else {
            return vec![format!("no coefficient named {}", r.name)];
        };
        check(&mut out, format!("estimate {}", r.name), c.estimate, r.estimate, TOL_BETA, false);
        let compare_se = matches!(method, "glmmTMB" | "glm") && !singular;
        let precise = golden.fixed_std_error_precise.as_ref().and_then(|v| v.get(k).copied());
        if let (true, Some(se)) = (compare_se, precise.or(r.std_error)) {
            check(&mut out, format!("std error {}", r.name), c.std_error, se, TOL_SE, true);
        }
    }

    // Log-likelihood.
    let loglik = if method.starts_with("glmer") && golden.nagq.unwrap_or(1) > 1 {
        golden.loglik_full
    } else {
        golden.loglik.or(golden.objective.map(|o| -o))
    };
    if let Some(ll) = loglik {
        check(&mut out, "logLik".into(), ours.loglik, ll, TOL_LOGLIK, false);
    }
    if ours.nobs != golden.nobs {
        out.push(format!("nobs {} vs R {}", ours.nobs, golden.nobs));
    }
    if method == "glmmTMB" && ours.df != golden.df as usize {
        out.push(format!("df {} vs R {}", ours.df, golden.df));
    }

    // Dispersion (theta for nbinom2, phi for nbinom1).
    match (ours.dispersion, golden.dispersion) {
        (Some(a), Some(b)) => check(&mut out, "dispersion".into(), a, b, TOL_DISP, true),
        (None, None) => {}
        (a, b) => out.push(format!("dispersion {a:?} vs R {b:?}")),
    }

    // Random effects: SDs and correlations, by group and term.
    if singular && !ours.singular {
        out.push("R reports a singular fit; ours does not".into());
    }
    for re in &golden.random {
        for (i, term) in re.terms.iter().enumerate() {
            let Some(mine) = ours.random_effects.iter().find(|x| x.group == re.group && &x.term == term)
            else {
                out.push(format!("no random effect {term} | {}", re.group));
                continue;
            };
            match re.sd.get(i).copied().flatten() {
                Some(sd) if singular && sd < 1e-2 => out.extend((mine.sd > 1e-2).then(|| {
                    format!("sd {term} | {}: ours {} but R's is at the boundary ({sd})", re.group, mine.sd)
                })),
                Some(sd) => check(&mut out, format!("sd {term} | {}", re.group), mine.sd, sd, TOL_SD, true),
                None => {}
            }
            if singular {
                continue;
            }
            for (j, other) in re.terms.iter().enumerate() {
                if i == j {
                    continue;
                }
                let theirs = re.corr.get(i).and_then(|row| row.get(j)).copied().flatten();
                let mine_corr = mine.corr.iter().find(|c| &c.term == other).map(|c| c.value);
                if let (Some(r), Some(m)) = (theirs, mine_corr) {
                    check(&mut out, format!("corr {term},{other} | {}", re.group), m, r, TOL_CORR, false);
                } else if theirs.is_some() {
                    out.push(format!("no correlation {term},{other} | {}", re.group));
                }
            }
        }
    }
    out
}

/// Run every golden fit whose id matches `select`; fail listing every disagreement.
fn agree(select: impl Fn(&Fit) -> bool) {
    let index = Index::load();
    let mut failures = Vec::new();
    let mut n = 0;
    for id in &index.fits {
        let golden = Fit::load(id);
        if !select(&golden) {
            continue;
        }
        n += 1;
        let problems = disagreements(&golden);
        if !problems.is_empty() {
            failures.push(format!("{id} ({}):\n    {}", golden.formula, problems.join("\n    ")));
        }
    }
    assert!(n > 0, "no golden fit selected");
    assert!(failures.is_empty(), "{} of {n} fits disagree with R:\n{}", failures.len(), failures.join("\n"));
}

fn is_glm(f: &Fit) -> bool {
    f.random.is_empty()
}

#[test]
fn poisson_glms_agree_with_glm_and_glmmtmb() {
    agree(|f| is_glm(f) && f.family == "poisson");
}

#[test]
fn nb2_glms_agree_with_glm_nb_and_glmmtmb() {
    agree(|f| is_glm(f) && f.family == "nbinom2");
}

#[test]
fn nb1_glms_agree_with_glmmtmb() {
    agree(|f| is_glm(f) && f.family == "nbinom1");
}

#[test]
fn random_intercepts_agree_with_glmmtmb() {
    agree(|f| f.method == "glmmTMB" && matches!(f.model.as_str(), "ri" | "scale_ri" | "msoa_ri"));
}

#[test]
fn correlated_random_slopes_agree_with_glmmtmb() {
    agree(|f| f.method == "glmmTMB" && f.model == "rs");
}

#[test]
fn nested_intercepts_agree_with_glmmtmb() {
    agree(|f| f.method == "glmmTMB" && f.model == "nested");
}

#[test]
fn webb_style_models_agree_with_glmmtmb() {
    agree(|f| f.method == "glmmTMB" && f.model == "webb");
}

#[test]
fn laplace_agrees_with_glmer_nagq1() {
    agree(|f| f.method == "glmer_nAGQ1");
}

#[test]
fn adaptive_quadrature_agrees_with_glmer_nagq9() {
    agree(|f| f.method == "glmer_nAGQ9");
}
