//! The binomial family beyond the golden log-likelihoods and estimates
//! (`agreement_random::binomial_models_agree_with_glmmtmb`): conditional modes and their SDs
//! against glmmTMB's `ranef(condVar = TRUE)`, adaptive quadrature, the command line's JSON and
//! refusals, and randomised problems checked against invariants that hold whatever the data:
//! - a GLM equals an independent iteratively reweighted least squares fit (R's `glm` algorithm)
//!   written here for each link;
//! - a row of `s` successes in `n` trials is the same model as `s` rows of 1 and `n - s` rows of 0,
//!   nested or crossed random effects included: the same estimates and SDs, log-likelihoods
//!   differing by exactly `sum lchoose(n, s)`;
//! - rows with no trials (`s = f = 0`) are kept, as glmmTMB keeps them, and change nothing.

use serde::Deserialize;
use socgrad::data::read_csv;
use socgrad::fit::{Family, Link};
use socgrad::pipeline::{FitRequest, Session};
use socgrad::random::Rng;
use socgrad::report::FitReport;
use statrs::distribution::{Continuous, ContinuousCDF, Normal};
use statrs::function::gamma::ln_gamma;
use std::path::{Path, PathBuf};

use crate::cli_support::{json, refused, socgrad};

fn suite(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/binomial").join(relative)
}

fn session_of(csv: &str) -> Session {
    Session::from_frame(read_csv(csv.as_bytes()).expect("the CSV reads"))
}

fn fit(session: &mut Session, formula: &str, family: Family) -> FitReport {
    session
        .fit_model(&FitRequest::new(formula, family), &mut |_| {})
        .unwrap_or_else(|e| panic!("{formula}: {e}"))
        .report
        .clone()
}

#[derive(Deserialize)]
struct Golden {
    data: String,
    formula: String,
    link: String,
    #[serde(default)]
    modes: Vec<Modes>,
}

#[derive(Deserialize)]
struct Modes {
    group: String,
    terms: Vec<String>,
    levels: Vec<String>,
    modes: Vec<Vec<f64>>,
    sds: Vec<Vec<f64>>,
}

/// Every golden fit with random effects: each level's conditional mode within 1e-3 of
/// glmmTMB's (absolute, on the link scale) and its conditional SD within 1e-3 relative.
#[test]
fn conditional_modes_agree_with_glmmtmb() {
    let index: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(suite("golden/index.json")).unwrap()).unwrap();
    let mut compared = 0;
    for id in index["fits"].as_array().unwrap() {
        let id = id.as_str().unwrap();
        let golden: Golden =
            serde_json::from_str(&std::fs::read_to_string(suite(&format!("golden/{id}.json"))).unwrap())
                .unwrap();
        if golden.modes.is_empty() {
            continue;
        }
        let mut session = session_of(&std::fs::read_to_string(suite(&golden.data)).unwrap());
        let family = Family::parse(&format!("binomial_{}", golden.link)).unwrap();
        session.fit_model(&FitRequest::new(&golden.formula, family), &mut |_| {}).unwrap();
        let ours = session.fitted().unwrap().random_effects().unwrap();
        for m in &golden.modes {
            for (c, term) in m.terms.iter().enumerate() {
                let mine = ours
                    .terms
                    .iter()
                    .find(|t| t.group == m.group && &t.term == term)
                    .unwrap_or_else(|| panic!("{id}: no {term} | {}", m.group));
                for (l, level) in m.levels.iter().enumerate() {
                    let e = mine.levels.iter().find(|e| &e.level == level).unwrap();
                    let (mode, sd) = (m.modes[l][c], m.sds[l][c]);
                    assert!(
                        (e.mode - mode).abs() < 1e-3,
                        "{id} {term} | {} {level}: mode {} vs {mode}",
                        m.group,
                        e.mode
                    );
                    assert!(
                        (e.sd / sd - 1.0).abs() < 1e-3,
                        "{id} {term} | {} {level}: SD {} vs {sd}",
                        m.group,
                        e.sd
                    );
                    compared += 1;
                }
            }
        }
    }
    assert!(compared > 500, "only {compared} modes compared");
}

/// Adaptive quadrature for a binomial random intercept: with 1 node it is the Laplace fit, and
/// the log-likelihood has converged in the number of nodes (15 and 25 agree within 1e-6).
#[test]
fn quadrature_converges_for_a_binomial_random_intercept() {
    let csv = std::fs::read_to_string(suite("data/repeat_plans.csv")).unwrap();
    let formula = "cbind(repeat_plans, first_plans) ~ imd_z + ladep + (1 | la)";
    let mut fits = Vec::new();
    for nagq in [1, 15, 25] {
        let mut session = session_of(&csv);
        let mut request = FitRequest::new(formula, Family::Binomial(Link::Logit));
        request.nagq = nagq;
        fits.push(session.fit_model(&request, &mut |_| {}).unwrap().report.clone());
    }
    // glmmTMB's Laplace log-likelihood of this model (golden repeat_plans.ri.binomial_logit).
    let golden: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(suite("golden/repeat_plans.ri.binomial_logit.json")).unwrap(),
    )
    .unwrap();
    assert!((fits[0].loglik - golden["loglik"].as_f64().unwrap()).abs() < 1e-6);
    assert!((fits[1].loglik - fits[2].loglik).abs() < 1e-6, "{} vs {}", fits[1].loglik, fits[2].loglik);
    assert!((fits[1].loglik - fits[0].loglik).abs() < 0.5);
    for (a, b) in fits[1].coefficients.iter().zip(&fits[2].coefficients) {
        assert!((a.estimate - b.estimate).abs() < 1e-5, "{}", a.term);
    }
}

/// `socgrad fit --family binomial`: JSON with the family, its link and odds ratios (logit), or
/// link-scale coefficients alone (probit); predicted probabilities; refusals naming the column.
#[test]
fn command_line_fits_binomial_models() {
    let data = suite("data/rereferrals.csv");
    let data = data.to_str().unwrap();
    let formula = "cbind(rereferrals, not_rereferred) ~ imd_z + ladep + (1 | la)";
    let logit = json(&["fit", data, "--formula", formula, "--family", "binomial", "--predict", "imd_z=1"]);
    assert_eq!(logit["family"], "binomial");
    assert_eq!(logit["link"], "logit");
    let golden: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(suite("golden/rereferrals.ri.binomial_logit.json")).unwrap(),
    )
    .unwrap();
    assert!((logit["loglik"].as_f64().unwrap() - golden["loglik"].as_f64().unwrap()).abs() < 1e-6);
    let imd = logit["coefficients"].as_array().unwrap().iter().find(|c| c["term"] == "imd_z").unwrap();
    let b = imd["estimate"].as_f64().unwrap();
    assert!((imd["odds_ratio"].as_f64().unwrap() - b.exp()).abs() < 1e-12);
    assert!(imd.get("irr").is_none(), "{imd}");
    assert_eq!(logit["prediction"]["quantity"], "probability");
    let intercept = logit["coefficients"][0]["estimate"].as_f64().unwrap();
    let p = logit["prediction"]["rate"]["rate"].as_f64().unwrap();
    assert!((p - 1.0 / (1.0 + (-(intercept + b)).exp())).abs() < 1e-12);
    assert!(logit["text"].as_str().unwrap().contains("Odds ratios, exp(Estimate)"));

    let probit = json(&["fit", data, "--formula", formula, "--family", "binomial", "--link", "probit"]);
    assert_eq!(probit["link"], "probit");
    assert!(probit["coefficients"][1].get("odds_ratio").is_none());
    assert!(probit["text"].as_str().unwrap().contains("exp(Estimate) is not an odds ratio"));

    // The random effects by level are on the link's scale: log-odds for the logit link.
    for (link, scale) in [("logit", "log-odds"), ("probit", "probit"), ("cloglog", "complementary log-log")] {
        let args = ["fit", data, "--formula", formula, "--family", "binomial", "--link", link, "--ranef"];
        let text = String::from_utf8(socgrad(&args).stdout).unwrap();
        let header = format!("Random effects by level (conditional modes, {scale} scale):");
        assert!(text.contains(&header) && !text.contains("modes, log scale"), "{link}: {text}");
    }

    let counts = refused(&["fit", data, "--formula", formula, "--family", "poisson"]);
    assert!(counts.contains("choose the binomial family"), "{counts}");
    let proportions = refused(&["fit", data, "--formula", "rereferrals ~ imd_z", "--family", "binomial"]);
    assert!(
        proportions.contains("rereferrals is") && proportions.contains("cbind(rereferrals, failures)"),
        "{proportions}"
    );
    let link = refused(&[
        "fit",
        data,
        "--formula",
        "rereferrals ~ imd_z",
        "--family",
        "poisson",
        "--link",
        "probit",
    ]);
    assert!(link.contains("--link is for --family binomial"), "{link}");
}

/// Bad binomial responses are refused with the row and the column.
#[test]
fn bad_binomial_responses_name_the_row_and_column() {
    let mut session = session_of("s,f,x,ok\n1,2,0.1,TRUE\n-1,3,0.2,FALSE\n2,1.5,0.3,TRUE\n0,4,0.4,FALSE\n");
    let err = session
        .fit_model(&FitRequest::new("cbind(s, f) ~ x", Family::Binomial(Link::Logit)), &mut |_| {})
        .unwrap_err()
        .to_string();
    assert!(err.contains("row 2: s is -1; successes must be whole numbers"), "{err}");
    assert!(err.contains("row 3: the failures f are 1.5"), "{err}");
    // A TRUE/FALSE column is a 0/1 response.
    let mut session = session_of("ok,x\nTRUE,0.1\nFALSE,0.5\nTRUE,0.2\nFALSE,0.9\nTRUE,0.4\nTRUE,0.3\n");
    let r = fit(&mut session, "ok ~ x", Family::Binomial(Link::Logit));
    assert_eq!(r.nobs, 6);
    let mut session = session_of("y,x\n0,0.1\n3,0.5\n1,0.2\n");
    let err = session
        .fit_model(&FitRequest::new("y ~ x", Family::Binomial(Link::Cloglog)), &mut |_| {})
        .unwrap_err()
        .to_string();
    assert!(err.contains("row 2: y is 3; a binomial response in one column must be 0 or 1"), "{err}");
}

/// A problem drawn at random: `groups` LAs of a few neighbourhoods each, some with MSOAs, a
/// covariate, trials from 0 to 12, successes from the link and random intercepts (and, with
/// `crossed`, a year effect crossed with the LAs).
struct Problem {
    /// `la,msoa,year,x,s,f` rows.
    rows: Vec<(usize, usize, usize, f64, u64, u64)>,
}

fn draw(rng: &mut Rng, link: Link, groups: usize) -> Problem {
    let normal = Normal::standard();
    let inverse = |eta: f64| match link {
        Link::Logit => 1.0 / (1.0 + (-eta).exp()),
        Link::Probit => normal.cdf(eta),
        Link::Cloglog => 1.0 - (-eta.exp()).exp(),
    };
    let beta = [-1.5 + 2.0 * rng.uniform(), -0.8 + 1.6 * rng.uniform()];
    let sd = 0.2 + 0.6 * rng.uniform();
    let year_effects: Vec<f64> = (0..4).map(|_| 0.3 * rng.normal()).collect();
    let mut rows = Vec::new();
    for g in 0..groups {
        let u = sd * rng.normal();
        let size = 3 + (rng.uniform() * 6.0) as usize;
        for r in 0..size {
            let x = rng.normal();
            let year = (rng.uniform() * 4.0) as usize;
            let n = (rng.uniform() * 13.0) as u64;
            let p = inverse(beta[0] + beta[1] * x + u + year_effects[year]);
            let s = rng.binomial(n, p);
            rows.push((g, g * 10 + r % 3, year, x, s, n - s));
        }
    }
    Problem { rows }
}

impl Problem {
    fn aggregated(&self) -> String {
        let mut csv = String::from("la,msoa,year,x,s,f\n");
        for &(g, m, y, x, s, f) in &self.rows {
            csv.push_str(&format!("L{g},M{m},Y{y},{x},{s},{f}\n"));
        }
        csv
    }

    /// One row per trial: `s` rows of 1 and `f` of 0.
    fn expanded(&self) -> String {
        let mut csv = String::from("la,msoa,year,x,y\n");
        for &(g, m, y, x, s, f) in &self.rows {
            for k in 0..s + f {
                csv.push_str(&format!("L{g},M{m},Y{y},{x},{}\n", (k < s) as u8));
            }
        }
        csv
    }

    fn lchoose_sum(&self) -> f64 {
        self.rows
            .iter()
            .map(|&(_, _, _, _, s, f)| {
                let (s, n) = (s as f64, (s + f) as f64);
                ln_gamma(n + 1.0) - ln_gamma(s + 1.0) - ln_gamma(n - s + 1.0)
            })
            .sum()
    }
}

/// Iteratively reweighted least squares for `s ~ 1 + x` (R's `glm`): the estimates.
fn irls(rows: &[(usize, usize, usize, f64, u64, u64)], link: Link) -> [f64; 2] {
    let normal = Normal::standard();
    // (mu, dmu/deta) at eta.
    let at = |eta: f64| match link {
        Link::Logit => {
            let p = 1.0 / (1.0 + (-eta).exp());
            (p, p * (1.0 - p))
        }
        Link::Probit => (normal.cdf(eta), normal.pdf(eta)),
        Link::Cloglog => {
            let q = (-eta.exp()).exp();
            (1.0 - q, q * eta.exp())
        }
    };
    let mut beta = [0.0, 0.0];
    for _ in 0..100 {
        let (mut a, mut b, mut c, mut r0, mut r1) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for &(_, _, _, x, s, f) in rows {
            let n = (s + f) as f64;
            if n == 0.0 {
                continue;
            }
            let eta = beta[0] + beta[1] * x;
            let (mu, d) = at(eta);
            let w = n * d * d / (mu * (1.0 - mu));
            let z = eta + (s as f64 / n - mu) / d;
            a += w;
            b += w * x;
            c += w * x * x;
            r0 += w * z;
            r1 += w * z * x;
        }
        let det = a * c - b * b;
        let next = [(c * r0 - b * r1) / det, (a * r1 - b * r0) / det];
        let change = (next[0] - beta[0]).abs().max((next[1] - beta[1]).abs());
        beta = next;
        if change < 1e-13 {
            break;
        }
    }
    beta
}

/// Randomised problems (links, sizes, nested and crossed structures): the invariants of the
/// module's documentation.
#[test]
fn randomised_binomial_problems_keep_their_invariants() {
    let mut rng = Rng::new(20261207);
    let links = [Link::Logit, Link::Probit, Link::Cloglog];
    let structures = ["", " + (1 | la)", " + (1 | la/msoa)", " + (1 | la) + (1 | year)"];
    let mut tested = 0;
    for case in 0..12 {
        let link = links[case % 3];
        let family = Family::Binomial(link);
        let groups = 6 + (rng.uniform() * 10.0) as usize;
        let problem = draw(&mut rng, link, groups);
        if problem.rows.iter().all(|r| r.4 == 0) || problem.rows.iter().all(|r| r.5 == 0) {
            continue;
        }
        let structure = structures[case % structures.len()];
        let label = format!("case {case} ({link:?}{structure})");
        let mut aggregated = session_of(&problem.aggregated());
        let a = fit(&mut aggregated, &format!("cbind(s, f) ~ x{structure}"), family);
        if structure.is_empty() {
            let expected = irls(&problem.rows, link);
            for (c, e) in a.coefficients.iter().zip(expected) {
                assert!(
                    (c.estimate - e).abs() < 1e-6 * e.abs().max(1.0),
                    "{label} {}: {} vs IRLS {e}",
                    c.term,
                    c.estimate
                );
            }
        }
        let mut expanded = session_of(&problem.expanded());
        let e = fit(&mut expanded, &format!("y ~ x{structure}"), family);
        assert!(
            (a.loglik - (e.loglik + problem.lchoose_sum())).abs() < 1e-6 * a.loglik.abs().max(1.0),
            "{label}: logLik {} vs expanded {} + {}",
            a.loglik,
            e.loglik,
            problem.lchoose_sum()
        );
        for (x, y) in a.coefficients.iter().zip(&e.coefficients) {
            assert!((x.estimate - y.estimate).abs() < 1e-4 * x.estimate.abs().max(1.0), "{label} {}", x.term);
            assert!((x.std_error / y.std_error - 1.0).abs() < 1e-3, "{label} SE {}", x.term);
        }
        for (x, y) in a.random_effects.iter().zip(&e.random_effects) {
            assert!(
                (x.sd - y.sd).abs() < 1e-3 * x.sd.max(1e-2),
                "{label} SD {} | {}: {} vs {}",
                x.term,
                x.group,
                x.sd,
                y.sd
            );
        }
        // Rows with no trials are kept and change nothing.
        let empty = format!("{}L0,M0,Y0,0.5,0,0\nL1,M10,Y1,-1.2,0,0\n", problem.aggregated());
        let with_empty = fit(&mut session_of(&empty), &format!("cbind(s, f) ~ x{structure}"), family);
        assert_eq!(with_empty.nobs, a.nobs + 2);
        assert!((with_empty.loglik - a.loglik).abs() < 1e-8 * a.loglik.abs().max(1.0), "{label}");
        tested += 1;
    }
    assert!(tested >= 10, "only {tested} problems");
}
