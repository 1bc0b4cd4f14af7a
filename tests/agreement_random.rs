//! The fitting engine against glmmTMB on randomised problems: every simulated data set under
//! tests/reference/random (made by make_random.R: Poisson, NB1 and NB2; `(1 | la)`,
//! `(1 + xc | la)`, `(1 | la/msoa)` and `(1 + xc | la) + (1 | la:msoa)`; 3 to 40 LAs; low
//! counts with many zeros; near-zero true variances; and the Webb-style NB1 pattern whose slope
//! SD used to end at a false boundary) is refitted from the same CSV and formula.
//!
//! What is asserted, for every problem:
//! - the engine's log-likelihood is never lower than glmmTMB's by more than 1e-3;
//! - where glmmTMB converged (optimiser code 0, positive-definite Hessian) to the maximum (the
//!   engine finds no higher log-likelihood), the fixed effects agree within 1e-4 x max(1, |b|)
//!   and the dispersion within 1e-3 relative; where moreover glmmTMB stopped within 1e-3
//!   standard errors of its optimum, the random-effect SDs agree within 1e-3 relative and the
//!   correlations within 1e-3;
//! - an SD that glmmTMB leaves at the boundary (below 1e-3, where the engine finds no better
//!   interior optimum) is reported as a singular fit, and not as a clearly positive SD.
//!
//! A summary table (log-likelihood gap, worst estimate gap, SDs) is printed for every problem;
//! `cargo test --test agreement_random -- --nocapture` shows it.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use socgrad::data::read_csv;
use socgrad::fit::Family;
use socgrad::pipeline::{FitRequest, Session};
use socgrad::report::FitReport;

const TOL_LOGLIK: f64 = 1e-3;
const TOL_BETA: f64 = 1e-4;
const TOL_DISP: f64 = 1e-3;
const TOL_SD: f64 = 1e-3;
const TOL_CORR: f64 = 1e-3;
/// An SD below this in R's fit is at the boundary.
const BOUNDARY_SD: f64 = 1e-3;

#[derive(Deserialize)]
struct Index {
    #[serde(alias = "fits")]
    problems: Vec<String>,
}

#[derive(Deserialize)]
struct Golden {
    id: String,
    data: String,
    formula: String,
    family: String,
    /// The binomial family's link (`logit`, `probit`, `cloglog`).
    #[serde(default)]
    link: Option<String>,
    loglik: Option<f64>,
    objective: f64,
    /// NB2 near the Poisson limit: the log-likelihood with log theta = 20, where glmmTMB's own
    /// value at its (huge) theta has lost its precision.
    loglik_stable: Option<f64>,
    fixed: Vec<Fixed>,
    /// The zero-inflation formula, where the model has one.
    #[serde(default)]
    ziformula: Option<String>,
    /// Its coefficients.
    #[serde(default)]
    zi: Vec<Fixed>,
    dispersion: Option<f64>,
    random: Vec<Random>,
    convergence: Convergence,
}

#[derive(Deserialize)]
struct Fixed {
    name: String,
    estimate: f64,
}

#[derive(Deserialize)]
struct Random {
    group: String,
    terms: Vec<String>,
    sd: Vec<f64>,
    corr: Vec<Vec<Option<f64>>>,
}

#[derive(Deserialize)]
struct Convergence {
    code: i64,
    pd_hess: bool,
    /// Largest Newton step from glmmTMB's estimate, in standard errors.
    newton_step_se: Option<f64>,
}

fn suite_dir(suite: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("reference").join(suite)
}

fn read_json<T: for<'de> Deserialize<'de>>(suite: &str, relative: &str) -> T {
    let path = suite_dir(suite).join(relative);
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("cannot parse {}: {e}", path.display()))
}

/// The engine's family of a golden fit; `None` for a model the engine does not fit yet
/// (binomial with a link the engine does not know).
fn family(golden: &Golden) -> Option<Family> {
    match (golden.family.as_str(), golden.link.as_deref()) {
        ("binomial", Some(link)) => Family::parse(&format!("binomial_{link}")),
        (name, _) => Family::parse(name),
    }
}

fn refit(suite: &str, golden: &Golden, family: Family) -> Result<FitReport, String> {
    let bytes = std::fs::read(suite_dir(suite).join(&golden.data)).map_err(|e| e.to_string())?;
    let session = Session::from_frame(read_csv(&bytes).map_err(|e| e.to_string())?);
    let request = FitRequest { zi: golden.ziformula.clone(), ..FitRequest::new(&golden.formula, family) };
    session.fit_report(&request, &mut |_| {}).map_err(|e| e.to_string())
}

/// One problem's comparison.
struct Outcome {
    /// R's log-likelihood minus the engine's (positive: the engine is lower).
    loglik_gap: f64,
    /// Largest |ours - R| / max(1, |R|) over the fixed effects, where compared.
    beta_gap: Option<f64>,
    r_converged: bool,
    singular: bool,
    sds: String,
    problems: Vec<String>,
}

fn compare(suite: &str, golden: &Golden, family: Family) -> Outcome {
    let r_loglik = golden.loglik_stable.or(golden.loglik).unwrap_or(-golden.objective);
    let r_converged = golden.convergence.code == 0 && golden.convergence.pd_hess;
    // The SDs are compared only where glmmTMB stopped within 1e-3 standard errors of its
    // optimum: a near-zero SD is so weakly determined that a stop short of it moves the SD by
    // far more than 1e-3 relative while the log-likelihood changes by 1e-6.
    let r_precise = r_converged && golden.convergence.newton_step_se.is_some_and(|s| s <= 1e-3);
    let mut out = Outcome {
        loglik_gap: f64::NAN,
        beta_gap: None,
        r_converged,
        singular: false,
        sds: String::new(),
        problems: Vec::new(),
    };
    let ours = match refit(suite, golden, family) {
        Ok(r) => r,
        Err(e) => {
            out.problems.push(format!("fit failed: {e}"));
            return out;
        }
    };
    out.loglik_gap = r_loglik - ours.loglik;
    out.singular = ours.singular;
    out.sds = ours.random_effects.iter().map(|r| format!("{:.4}", r.sd)).collect::<Vec<_>>().join(" ");
    if out.loglik_gap.is_nan() || out.loglik_gap > TOL_LOGLIK {
        out.problems.push(format!("logLik: ours {:.6} is below R's {r_loglik:.6}", ours.loglik));
    }
    // R at the maximum: the engine finds nothing higher.
    let r_at_maximum = out.loglik_gap >= -TOL_LOGLIK;
    for re in &golden.random {
        for (i, term) in re.terms.iter().enumerate() {
            let Some(mine) = ours.random_effects.iter().find(|x| x.group == re.group && &x.term == term)
            else {
                out.problems.push(format!("no random effect {term} | {}", re.group));
                continue;
            };
            let sd = re.sd[i];
            if sd < BOUNDARY_SD && r_at_maximum {
                if !ours.singular || mine.sd > 1e-2 {
                    out.problems.push(format!(
                        "sd {term} | {}: R's is at the boundary ({sd:.2e}); ours {:.2e}, singular {}",
                        re.group, mine.sd, ours.singular
                    ));
                }
                continue;
            }
            if !(r_precise && r_at_maximum) {
                continue;
            }
            if (mine.sd - sd).abs() > TOL_SD * sd {
                out.problems.push(format!("sd {term} | {}: ours {:.8} vs R {sd:.8}", re.group, mine.sd));
            }
            for (j, other) in re.terms.iter().enumerate() {
                let theirs = re.corr.get(i).and_then(|row| row.get(j)).copied().flatten();
                let mine_corr = mine.corr.iter().find(|c| &c.term == other).map(|c| c.value);
                if let (Some(r), Some(m), true) = (theirs, mine_corr, i != j) {
                    if (m - r).abs() > TOL_CORR {
                        out.problems
                            .push(format!("corr {term},{other} | {}: ours {m:.6} vs R {r:.6}", re.group));
                    }
                }
            }
        }
    }
    if r_converged && r_at_maximum {
        let mut worst: f64 = 0.0;
        for r in &golden.fixed {
            let Some(c) = ours.coefficients.iter().find(|c| c.term == r.name) else {
                out.problems.push(format!("no coefficient named {}", r.name));
                continue;
            };
            let gap = (c.estimate - r.estimate).abs() / r.estimate.abs().max(1.0);
            worst = worst.max(gap);
            if gap.is_nan() || gap > TOL_BETA {
                out.problems
                    .push(format!("estimate {}: ours {:.8} vs R {:.8}", r.name, c.estimate, r.estimate));
            }
        }
        if ours.zi_coefficients.len() != golden.zi.len() {
            out.problems.push(format!(
                "{} zero-inflation coefficients, R has {}",
                ours.zi_coefficients.len(),
                golden.zi.len()
            ));
        }
        for r in &golden.zi {
            let Some(c) = ours.zi_coefficients.iter().find(|c| c.term == r.name) else {
                out.problems.push(format!("no zero-inflation coefficient named {}", r.name));
                continue;
            };
            let gap = (c.estimate - r.estimate).abs() / r.estimate.abs().max(1.0);
            worst = worst.max(gap);
            if gap.is_nan() || gap > TOL_BETA {
                out.problems.push(format!(
                    "zero inflation {}: ours {:.8} vs R {:.8}",
                    r.name, c.estimate, r.estimate
                ));
            }
        }
        out.beta_gap = Some(worst);
        if let (Some(a), Some(b)) = (ours.dispersion, golden.dispersion) {
            if (a - b).abs() > TOL_DISP * b {
                out.problems.push(format!("dispersion: ours {a:.8} vs R {b:.8}"));
            }
        }
    }
    out
}

/// Refits every problem listed in `index.json` of `golden_dir` under `suite` (data paths
/// relative to `suite`) that the engine has the family for, prints the
/// table and fails with every disagreement. Returns the number of problems refitted.
fn run_suite(suite: &str, golden_dir: &str) -> usize {
    let index: Index = read_json(suite, &format!("{golden_dir}/index.json"));
    let mut failures = Vec::new();
    let (mut worst_loglik, mut worst_beta): (f64, f64) = (f64::NEG_INFINITY, 0.0);
    let mut refitted = 0;
    println!(
        "{:<44} {:>11} {:>9} {:>5} {:>5}  engine SDs",
        "problem", "R - ours", "beta gap", "R ok", "sing"
    );
    for id in &index.problems {
        let golden: Golden = read_json(suite, &format!("{golden_dir}/{id}.json"));
        let Some(family) = family(&golden) else { continue };
        refitted += 1;
        let o = compare(suite, &golden, family);
        let beta = o.beta_gap.map_or("-".to_string(), |g| format!("{g:.1e}"));
        println!(
            "{:<44} {:>11.2e} {:>9} {:>5} {:>5}  {}",
            golden.id, o.loglik_gap, beta, o.r_converged, o.singular, o.sds
        );
        worst_loglik = worst_loglik.max(o.loglik_gap);
        worst_beta = worst_beta.max(o.beta_gap.unwrap_or(0.0));
        if !o.problems.is_empty() {
            failures.push(format!("{id} ({}):\n    {}", golden.formula, o.problems.join("\n    ")));
        }
    }
    println!(
        "{refitted} problems; worst logLik shortfall (R - ours) {worst_loglik:.2e}; worst fixed-effect gap {worst_beta:.2e}"
    );
    assert!(
        failures.is_empty(),
        "{} of {refitted} problems disagree with glmmTMB:\n{}",
        failures.len(),
        failures.join("\n")
    );
    refitted
}

#[test]
fn randomised_problems_agree_with_glmmtmb() {
    let refitted = run_suite("random", "golden");
    assert!(refitted >= 30, "only {refitted} problems");
}

/// Crossed random effects (tests/reference/crossed, made by make_crossed.R): the real LA-by-year
/// panel with `(1 | la_code) + (1 | year)` (and a random slope), a neighbourhood panel with LA,
/// MSOA (and LSOA) and year effects, and three crossed factors with an LA-by-year interaction.
#[test]
fn crossed_models_agree_with_glmmtmb() {
    let refitted = run_suite("crossed", "golden");
    assert!(refitted >= 16, "only {refitted} crossed fits");
}

/// Profile-likelihood intervals of a crossed model (the LA-by-year panel, NB2): every
/// coefficient's and SD's interval holds its estimate and lies near its Wald interval.
#[test]
fn crossed_models_have_profile_intervals() {
    let golden: Golden = read_json("crossed", "golden/la_panel.cla.nbinom2.json");
    let bytes = std::fs::read(suite_dir("crossed").join(&golden.data)).unwrap();
    let session = Session::from_frame(read_csv(&bytes).unwrap());
    let mut request = FitRequest::new(&golden.formula, Family::Nbinom2);
    request.profile = true;
    request.profile_terms = golden.fixed.iter().map(|f| f.name.clone()).collect();
    let report = session.fit_report(&request, &mut |_| {}).unwrap();
    for c in &report.coefficients {
        let [Some(low), Some(high)] = c.profile_ci.unwrap() else {
            panic!("{}: no profile interval", c.term)
        };
        assert!(low < c.estimate && c.estimate < high, "{}: {low} {} {high}", c.term, c.estimate);
        let wald = 1.959964 * c.std_error;
        assert!(
            ((high - low) / (2.0 * wald) - 1.0).abs() < 0.05,
            "{}: {low} to {high}, SE {}",
            c.term,
            c.std_error
        );
    }
    for re in &report.random_effects {
        let [Some(low), Some(high)] = re.sd_profile_ci.unwrap() else {
            panic!("{}: no profile interval", re.group)
        };
        assert!(low < re.sd && re.sd < high, "{}: {low} {} {high}", re.group, re.sd);
    }
}

/// Zero-inflated Poisson, NB1 and NB2 (tests/reference/zi, made by make_zi.R): `ziformula = ~1`,
/// `~imd_z` and `~imd_z + rural`, without random effects, with an LA intercept and with a
/// correlated LA intercept and slope; the zero-inflation coefficients are compared as the fixed
/// effects are.
#[test]
fn zero_inflated_models_agree_with_glmmtmb() {
    let refitted = run_suite("zi", "golden");
    assert_eq!(refitted, 13);
}

/// Zero inflation with crossed random effects (tests/reference/zi/crossed, made by
/// make_zi_crossed.R): LA-by-year panels with `(1 | la) + (1 | year)`, Poisson and NB2, `~1` and
/// `~imd_z`, fitted by the sparse evaluator.
#[test]
fn zero_inflated_crossed_models_agree_with_glmmtmb() {
    let refitted = run_suite("zi/crossed", "golden");
    assert_eq!(refitted, 4);
}

/// Binomial models (tests/reference/binomial, made by make_binomial.R): `cbind(s, f)` and 0/1
/// responses with the logit, probit and cloglog links, without random effects and with random
/// intercepts, slopes, nested and Webb-style effects.
#[test]
fn binomial_models_agree_with_glmmtmb() {
    let refitted = run_suite("binomial", "golden");
    assert_eq!(refitted, 19, "every binomial fit is refitted");
}

/// The harder campaign (tests/reference/random/hard, made by make_random_hard.R) for the count
/// and binomial families: groups of 1-2 rows, 90% zeros, counts in the tens of thousands, tiny exposures,
/// missing values, transformed terms, hundreds of levels, 200 groups, the false singular-fit
/// trap and crossed factors.
#[test]
fn harder_random_problems_agree_with_glmmtmb() {
    let refitted = run_suite("random", "hard/golden");
    assert_eq!(refitted, 51, "every problem of the harder campaign is refitted");
}
