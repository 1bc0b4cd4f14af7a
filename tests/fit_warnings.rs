//! Every warning code the engine raises, each produced by a small data set that triggers it
//! (except `hessian_not_pd`, which a fit that holds its boundary parameters fixed does not reach
//! on ordinary data: src/fit/result.rs tests its wording), with its plain-words message and
//! advice, and the `{code, message, advice}` shape of the report's JSON.

use crate::fit_common;

use fit_common::*;
use nalgebra::DMatrix;
use socgrad::design::ModelColumn;
use socgrad::fit::{fit, zero_probability, Family, Fit, FitOptions, Warning, WarningCode};
use socgrad::pipeline::{FitRequest, Session};

fn codes(f: &Fit) -> Vec<WarningCode> {
    f.warnings.iter().map(|w| w.code).collect()
}

fn find(f: &Fit, code: WarningCode) -> &Warning {
    f.warnings.iter().find(|w| w.code == code).unwrap_or_else(|| panic!("no {code:?} in {:?}", f.warnings))
}

fn truth(counts: Counts, sd_intercept: f64) -> Truth {
    Truth { beta: [-3.0, 0.5], sd_intercept, sd_slope: 0.0, corr: 0.0, sd_inner: 0.0, counts }
}

#[test]
fn a_variance_at_zero_is_a_singular_fit() {
    let f =
        fit(&design(&poisson_without_groups(), Random::Intercept), Family::Poisson, &FitOptions::default())
            .unwrap();
    let w = find(&f, WarningCode::SingularFit);
    assert_eq!(w.message, "the la random-effect variance is estimated as (near) zero: singular fit");
    assert!(w.advice.contains("without that random effect"), "{}", w.advice);
}

#[test]
fn a_correlation_at_one_and_a_dispersion_at_its_limit_are_boundaries() {
    let s = simulate(606, 30, 10, 1, Truth { sd_slope: 0.0, ..truth(Counts::Nbinom2(4.0), 0.4) });
    let f = fit(&design(&s, Random::Slope), Family::Nbinom2, &FitOptions::default()).unwrap();
    assert!(f.random[0].corr[0][1].abs() > 0.999);
    let w = find(&f, WarningCode::Boundary);
    assert!(w.message.contains("correlations ((Intercept), x)"), "{}", w.message);
    assert!(w.advice.contains("(0 + x | la)"), "{}", w.advice);
    assert!(!codes(&f).contains(&WarningCode::SingularFit));

    let f = fit(&design(&poisson_without_groups(), Random::None), Family::Nbinom2, &FitOptions::default())
        .unwrap();
    assert!(f.dispersion.unwrap() > 1e8);
    let w = find(&f, WarningCode::Boundary);
    assert!(w.message.contains("theta is estimated as effectively infinite"));
    assert!(w.advice.contains("Poisson"));
}

#[test]
fn an_iteration_limit_is_non_convergence() {
    let s = simulate(808, 20, 8, 2, Truth { sd_slope: 0.1, ..truth(Counts::Nbinom2(3.0), 0.4) });
    let f = fit(
        &design(&s, Random::Slope),
        Family::Nbinom2,
        &FitOptions { max_iter: 2, ..FitOptions::default() },
    )
    .unwrap();
    assert!(!f.converged);
    let w = find(&f, WarningCode::NonConvergence);
    assert!(w.message.starts_with("the fit did not converge after"), "{}", w.message);
    assert!(w.advice.contains("simpler model"));
}

#[test]
fn a_covariate_that_separates_the_zeros_is_separation() {
    let s = simulate(808, 20, 8, 1, truth(Counts::Poisson, 0.3));
    let mut d = design(&s, Random::None);
    let n = d.y.len();
    let flag: Vec<f64> = (0..n).map(|i| if i % 10 == 0 { 1.0 } else { 0.0 }).collect();
    for (y, f) in d.y.iter_mut().zip(&flag) {
        if *f == 1.0 {
            *y = 0.0;
        }
    }
    d.x = DMatrix::from_fn(n, 3, |i, j| [1.0, s.x[i], flag[i]][j]);
    d.x_names.push("flag".into());
    d.x_columns.push(ModelColumn::numeric(1, &["flag"]));
    let f = fit(&d, Family::Poisson, &FitOptions::default()).unwrap();
    let w = find(&f, WarningCode::Separation);
    assert!(w.message.contains("(16 rows)"), "{}", w.message);
    assert!(w.advice.contains("every count is zero"));
}

#[test]
fn a_duplicated_column_is_rank_deficient() {
    let s = simulate(808, 20, 8, 1, truth(Counts::Poisson, 0.3));
    let mut d = design(&s, Random::None);
    let n = d.y.len();
    d.x = DMatrix::from_fn(n, 3, |i, j| [1.0, s.x[i], 2.0 * s.x[i]][j]);
    d.x_names.push("x2".into());
    d.x_columns.push(ModelColumn::numeric(1, &["x2"]));
    let f = fit(&d, Family::Poisson, &FitOptions::default()).unwrap();
    let w = find(&f, WarningCode::RankDeficient);
    assert!(w.message.contains("dropped 'x2'"), "{}", w.message);
}

/// A quarter of the counts set to zero: far more zeros than a Poisson model expects.
#[test]
fn extra_zeros_are_suspected_zero_inflation() {
    let s = simulate(1212, 20, 12, 1, truth(Counts::Poisson, 0.3));
    let mut d = design(&s, Random::Intercept);
    let before = d.y.iter().filter(|&&y| y == 0.0).count();
    for (i, y) in d.y.iter_mut().enumerate() {
        if i % 4 == 1 {
            *y = 0.0;
        }
    }
    let zeros = d.y.iter().filter(|&&y| y == 0.0).count();
    assert!(zeros >= before + 55);
    let f = fit(&d, Family::Poisson, &FitOptions::default()).unwrap();
    let w = find(&f, WarningCode::ZeroInflationSuspected);
    assert!(w
        .message
        .starts_with(&format!("the data have {zeros} zero counts but the fitted model expects about ")));
    let expected: f64 = f.fitted.iter().map(|&mu| (-mu).exp()).sum();
    assert!(w.message.contains(&format!("about {expected:.0}:")), "{} vs {expected}", w.message);
    assert!(w.advice.contains("negative binomial"));
}

/// Data simulated from the model itself, with random seeds, sizes and families, raise no
/// zero-inflation warning (and the probability of a zero is the family's).
#[test]
fn counts_from_the_model_raise_no_zero_inflation_warning() {
    assert!((zero_probability(Family::Poisson, None, 2.0) - (-2.0f64).exp()).abs() < 1e-15);
    assert!((zero_probability(Family::Nbinom2, Some(3.0), 2.0) - 0.6f64.powi(3)).abs() < 1e-15);
    assert!((zero_probability(Family::Nbinom1, Some(0.5), 3.0) - (1.5f64).powf(-6.0)).abs() < 1e-15);
    let mut rng = Rng::new(4242);
    for case in 0..12 {
        let seed = 1 + (rng.uniform() * 1e6) as u64;
        let groups = 8 + (rng.uniform() * 20.0) as usize;
        let per = 5 + (rng.uniform() * 10.0) as usize;
        let low = -5.0 + 2.5 * rng.uniform();
        let (counts, family) = match case % 3 {
            0 => (Counts::Poisson, Family::Poisson),
            1 => (Counts::Nbinom2(1.0 + 5.0 * rng.uniform()), Family::Nbinom2),
            _ => (Counts::Nbinom1(0.5 + 2.0 * rng.uniform()), Family::Nbinom1),
        };
        let t = Truth { beta: [low, 0.5], ..truth(counts, 0.4) };
        let s = simulate(seed, groups, per, 1, t);
        if s.y.iter().all(|&y| y == 0.0) {
            continue;
        }
        let f = fit(&design(&s, Random::Intercept), family, &FitOptions::default()).unwrap();
        assert!(
            !codes(&f).contains(&WarningCode::ZeroInflationSuspected),
            "case {case} (seed {seed}, {family:?}): {:?}",
            f.warnings
        );
    }
}

#[test]
fn the_report_lists_warnings_as_code_message_advice() {
    let mut csv = String::from("la,x,pop,count\n");
    for i in 0..60 {
        let count = if i == 7 { String::new() } else { ((i * 7) % 11 + 1).to_string() };
        csv.push_str(&format!("L{},{},{},{}\n", i % 6, (i % 5) as f64 - 2.0, 100 + i, count));
    }
    let session = Session::open(csv.as_bytes()).unwrap();
    let report = session
        .fit_report(&FitRequest::new("count ~ x + offset(log(pop)) + (1 | la)", Family::Poisson), &mut |_| {})
        .unwrap();
    let json = serde_json::to_value(&report).unwrap();
    let warnings = json["warnings"].as_array().unwrap();
    assert!(!warnings.is_empty());
    for w in warnings {
        let keys: Vec<&String> = w.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["advice", "code", "message"]);
        assert!(w["message"].as_str().unwrap().len() > 20);
        assert!(w["advice"].as_str().unwrap().len() > 40);
    }
    assert_eq!(warnings[0]["code"], "rows_missing");
    assert_eq!(warnings[0]["message"], "1 row had a missing value and was left out ('count' missing in 1)");
    let all: Vec<&str> = warnings.iter().map(|w| w["code"].as_str().unwrap()).collect();
    let known = [
        "rows_missing",
        "rank_deficient",
        "singular_fit",
        "boundary",
        "non_convergence",
        "separation",
        "hessian_not_pd",
        "zero_inflation_suspected",
    ];
    assert!(all.iter().all(|c| known.contains(c)), "{all:?}");
    assert!(report.text().contains("What to try: "));
}
