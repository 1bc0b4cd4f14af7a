//! Profile-likelihood intervals against glmmTMB's `confint(m, method = "profile")`
//! (tests/reference/profile/profile.json, made by tests/reference/profile/make_profile.R), and
//! against the closed-form profile of a Poisson intercept on randomised data.
//!
//! glmmTMB reports limits on its internal scale (log SD, log dispersion, the coefficient); the
//! engine reports SDs and dispersions, so those are compared on the log scale within 1e-3 (1e-3
//! relative on the reported scale), and coefficients within 1e-3. glmmTMB reads its limits off
//! an interpolating spline through about eight profile points per side, while the engine solves
//! for the limit: at every limit the engine's profile deviance must be 3.841459 within 1e-6.

use serde::Deserialize;
use socgrad::data::read_csv;
use socgrad::design::Design;
use socgrad::fit::{prepare, Family, FitError, FitOptions, ProfileInterval, ProfileParameter, CHI2_95};
use socgrad::pipeline::BuiltFormula;
use socgrad::random::Rng;
use std::path::PathBuf;

#[derive(Deserialize)]
struct Golden {
    models: Vec<Model>,
}

#[derive(Deserialize)]
struct Model {
    id: String,
    data: String,
    family: String,
    formula: String,
    intervals: Vec<Interval>,
}

#[derive(Deserialize)]
struct Interval {
    parameter: String,
    lower: Option<f64>,
    upper: Option<f64>,
}

fn reference() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reference")
}

fn family(name: &str) -> Family {
    match name {
        "poisson" => Family::Poisson,
        "nbinom2" => Family::Nbinom2,
        "nbinom1" => Family::Nbinom1,
        other => panic!("unknown family {other}"),
    }
}

/// The profile intervals of `parameters`, from the optimum of the fit of `design` that keeps
/// its objective.
fn profile_intervals(
    design: &Design,
    family: Family,
    parameters: &[ProfileParameter],
) -> Result<Vec<ProfileInterval>, FitError> {
    let (_, mut optimum) = prepare(design, family, &FitOptions::default())?.fit(design, &mut |_| {})?;
    optimum.profile(parameters)
}

fn check_deviances(id: &str, interval: &ProfileInterval) {
    for d in [interval.low_deviance, interval.high_deviance].into_iter().flatten() {
        assert!((d - CHI2_95).abs() < 1e-6, "{id}: profile deviance {d} at a limit");
    }
}

#[test]
fn profile_intervals_agree_with_glmmtmb() {
    let text = std::fs::read_to_string(reference().join("profile/profile.json")).unwrap();
    let golden: Golden = serde_json::from_str(&text).unwrap();
    assert!(golden.models.len() >= 5);
    for model in &golden.models {
        let bytes = std::fs::read(reference().join(format!("data/{}.csv", model.data))).unwrap();
        let df = read_csv(&bytes).unwrap();
        let design = BuiltFormula::new(&df, &model.formula).unwrap().design;
        let parameters: Vec<ProfileParameter> = model
            .intervals
            .iter()
            .map(|i| match i.parameter.as_str() {
                "dispersion" => ProfileParameter::Dispersion,
                name if name.starts_with("sd 1 | ") => {
                    let group = &name["sd 1 | ".len()..];
                    let term = design.random.iter().position(|r| r.group == group).unwrap_or_else(|| {
                        panic!("{}: no random term on {group}", model.id);
                    });
                    ProfileParameter::RandomSd { term, column: 0 }
                }
                term => ProfileParameter::Fixed(design.x_names.iter().position(|n| n == term).unwrap()),
            })
            .collect();
        let ours = profile_intervals(&design, family(&model.family), &parameters).unwrap();
        for (r, e) in model.intervals.iter().zip(&ours) {
            check_deviances(&model.id, e);
            let internal =
                |v: f64| if matches!(e.parameter, ProfileParameter::Fixed(_)) { v } else { v.ln() };
            for (side, theirs, mine) in [("lower", r.lower, e.low), ("upper", r.upper, e.high)] {
                let (theirs, mine) = (theirs.unwrap(), mine.unwrap());
                assert!(
                    (internal(mine) - theirs).abs() < 1e-3,
                    "{} {} {side}: engine {} (internal {}), glmmTMB {theirs}",
                    model.id,
                    r.parameter,
                    mine,
                    internal(mine)
                );
            }
        }
    }
}

/// Poisson `y_i ~ Poisson(exp(o_i + b))`: with `Y = sum y`, `M = sum exp(o_i)`, the estimate is
/// `exp(b^) = Y / M` and the deviance `D(b) = 2 (Y (b^ - b) - Y + M exp(b))`, solved here by
/// bisection on each side.
#[test]
fn poisson_intercept_profile_matches_closed_form_on_random_data() {
    let mut rng = Rng::new(0x5eed_1234_abcd_0001);
    let mut uniform = move || rng.uniform();
    for case in 0..8 {
        let n = 5 + (uniform() * 60.0) as usize;
        let mut csv = String::from("count,pop\n");
        let mut y_sum = 0.0;
        let mut m_sum = 0.0;
        for _ in 0..n {
            let pop = 50.0 + (uniform() * 900.0).round();
            let rate = 0.002 + 0.05 * uniform();
            // A Poisson-like count: the rounded mean plus noise, never negative.
            let count = (pop * rate * (0.5 + uniform())).round();
            csv.push_str(&format!("{count},{pop}\n"));
            y_sum += count;
            m_sum += pop / 1000.0;
        }
        if y_sum == 0.0 {
            continue;
        }
        let df = read_csv(csv.as_bytes()).unwrap();
        let design = BuiltFormula::new(&df, "count ~ 1 + offset(log(pop/1000))").unwrap().design;
        let ours = profile_intervals(&design, Family::Poisson, &[ProfileParameter::Fixed(0)]).unwrap();
        let b_hat = (y_sum / m_sum).ln();
        let deviance = |b: f64| 2.0 * (y_sum * (b_hat - b) - y_sum + m_sum * b.exp());
        let solve = |mut inside: f64, mut outside: f64| {
            for _ in 0..200 {
                let mid = 0.5 * (inside + outside);
                if deviance(mid) < CHI2_95 {
                    inside = mid;
                } else {
                    outside = mid;
                }
            }
            0.5 * (inside + outside)
        };
        let low = solve(b_hat, b_hat - 10.0);
        let high = solve(b_hat, b_hat + 10.0);
        let e = &ours[0];
        assert!((e.low.unwrap() - low).abs() < 1e-6, "case {case}: {:?} vs {low}", e.low);
        assert!((e.high.unwrap() - high).abs() < 1e-6, "case {case}: {:?} vs {high}", e.high);
        // The exact profile is asymmetric on the log scale (shorter above, as D grows like
        // exp(b)), unlike the Wald interval.
        assert!(high - b_hat < b_hat - low);
    }
}

/// An LA SD estimated at zero (singular.csv, generated with SD 0.001): the profile never reaches
/// the 95% level below the estimate, so there is no lower limit, as glmmTMB gives NA there.
#[test]
fn a_variance_at_zero_has_no_lower_profile_limit() {
    let bytes = std::fs::read(reference().join("data/singular.csv")).unwrap();
    let df = read_csv(&bytes).unwrap();
    let formula = "count ~ imd_z * la_imd + offset(log(pop/10000)) + (1 | la)";
    let design = BuiltFormula::new(&df, formula).unwrap().design;
    let ours = profile_intervals(
        &design,
        Family::Nbinom2,
        &[ProfileParameter::RandomSd { term: 0, column: 0 }, ProfileParameter::Dispersion],
    )
    .unwrap();
    assert_eq!(ours[0].low, None);
    let high = ours[0].high.unwrap();
    assert!((high - 0.10576).abs() < 1e-4, "upper SD limit {high}");
    check_deviances("singular", &ours[0]);
    let (low, high) = (ours[1].low.unwrap(), ours[1].high.unwrap());
    assert!((low - 5.6265).abs() < 1e-3 && (high - 10.0298).abs() < 1e-3, "theta interval {low} {high}");
    check_deviances("singular", &ours[1]);
}

#[test]
fn asking_for_a_parameter_the_model_lacks_is_an_error() {
    let bytes = std::fs::read(reference().join("data/small_poisson.csv")).unwrap();
    let df = read_csv(&bytes).unwrap();
    let design = BuiltFormula::new(&df, "count ~ imd_z + offset(log(pop/10000))").unwrap().design;
    for parameter in [
        ProfileParameter::Dispersion,
        ProfileParameter::RandomSd { term: 0, column: 0 },
        ProfileParameter::Fixed(2),
    ] {
        let e = profile_intervals(&design, Family::Poisson, &[parameter]).unwrap_err();
        assert!(e.to_string().contains("no parameter"), "{e}");
    }
}
