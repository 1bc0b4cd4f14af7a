//! The model checks: Kolmogorov-Smirnov p-values against R's `ks.test`, Moran's I against
//! `ape::Moran.I` (golden files made by `tests/reference/diagnostics/make_golden.R`), and the
//! rejection rates of every test on data simulated from the fitted model's family.

use socgrad::data::{read_csv, Column, DataFrame};
use socgrad::diagnostics::kolmogorov::ks_uniform;
use socgrad::diagnostics::moran::moran_knn;
use socgrad::diagnostics::{check_model, CheckOptions, ModelCheck};
use socgrad::fit::Family;
use socgrad::pipeline::{FitRequest, PreparedModel};
use socgrad::random::Rng;

const KS_SAMPLES: &str = include_str!("reference/diagnostics/ks_samples.csv");
const KS_GOLDEN: &str = include_str!("reference/diagnostics/ks_golden.csv");
const MORAN_POINTS: &str = include_str!("reference/diagnostics/moran_points.csv");
const MORAN_GOLDEN: &str = include_str!("reference/diagnostics/moran_golden.csv");

fn numbers(df: &DataFrame, name: &str) -> Vec<f64> {
    match df.column(name) {
        Some(Column::Numeric(v)) => v.clone(),
        _ => panic!("no numeric column {name}"),
    }
}

fn csv(text: &str) -> DataFrame {
    read_csv(text.as_bytes()).unwrap()
}

#[test]
fn kolmogorov_smirnov_agrees_with_r() {
    let samples = csv(KS_SAMPLES);
    let golden = csv(KS_GOLDEN);
    let (case, value) = (numbers(&samples, "case"), numbers(&samples, "value"));
    let (cases, stat, p, n) = (
        numbers(&golden, "case"),
        numbers(&golden, "statistic"),
        numbers(&golden, "p_value"),
        numbers(&golden, "n"),
    );
    assert_eq!(cases.len(), 14);
    for k in 0..cases.len() {
        let x: Vec<f64> = case.iter().zip(&value).filter(|(c, _)| **c == cases[k]).map(|(_, v)| *v).collect();
        assert_eq!(x.len(), n[k] as usize);
        let t = ks_uniform(&x).unwrap();
        assert!((t.statistic - stat[k]).abs() < 1e-14, "case {}: D {} vs {}", cases[k], t.statistic, stat[k]);
        // Exact p-values agree to rounding; R sums the limiting series only until a term is
        // below 1e-6 (`C_pKS2(..., tol = 1e-06)`), so asymptotic ones agree to that.
        let tolerance = if x.len() < 100 { 1e-10 * p[k].max(1e-3) } else { 2e-6 };
        assert!((t.p_value - p[k]).abs() < tolerance, "case {}: p {} vs R {}", cases[k], t.p_value, p[k]);
        assert_eq!(t.exact, x.len() < 100);
    }
}

#[test]
fn morans_i_agrees_with_ape() {
    let points = csv(MORAN_POINTS);
    let golden = csv(MORAN_GOLDEN);
    let (x, y, v) = (numbers(&points, "easting"), numbers(&points, "northing"), numbers(&points, "value"));
    let ks = numbers(&golden, "k");
    for (row, k) in ks.iter().enumerate() {
        let t = moran_knn(&x, &y, &v, *k as usize).unwrap();
        let close = |a: f64, name: &str| {
            let b = numbers(&golden, name)[row];
            // The normal distribution function of statrs agrees with R's pnorm to about 1e-10.
            let tolerance = if name == "p_value" { 1e-9 } else { 1e-12 };
            assert!((a - b).abs() < tolerance * b.abs().max(1e-3), "k = {k}: {name} {a} vs ape {b}");
        };
        close(t.observed, "observed");
        close(t.expected, "expected");
        close(t.sd, "sd");
        close(t.p_value, "p_value");
        assert_eq!((t.n, t.neighbours), (60, *k as usize));
    }
}

/// A data set of `n` rows drawn from `log mu = log(pop / 1000) + level + 0.4 x` with the
/// family's dispersion, with random coordinates that carry no spatial pattern.
fn simulated(rng: &mut Rng, n: usize, family: Family, dispersion: f64, level: f64) -> DataFrame {
    let mut cols: [Vec<f64>; 5] = Default::default();
    for _ in 0..n {
        let x = rng.normal();
        let pop = 500.0 + 3000.0 * rng.uniform();
        let mu = (pop / 1000.0).ln().exp() * (level + 0.4 * x).exp();
        cols[0].push(rng.count(family, mu, dispersion) as f64);
        cols[1].push(x);
        cols[2].push(pop);
        cols[3].push(rng.uniform() * 1e4);
        cols[4].push(rng.uniform() * 1e4);
    }
    let names = ["count", "x", "pop", "easting", "northing"];
    DataFrame::from_columns(names.into_iter().zip(cols.into_iter().map(Column::Numeric))).unwrap()
}

/// Share of `seeds` data sets drawn from a fitted model (`y ~ x + offset`, fitted once to 80
/// rows from the family; below 100 rows the Kolmogorov-Smirnov p-value is exact) on which each
/// test of that model rejects at 5%: uniformity, dispersion, zero inflation, Moran's I.
fn rejection_rates_known_model(family: Family, dispersion: f64, seeds: u64) -> [f64; 4] {
    let mut rng = Rng::new(77);
    let df = simulated(&mut rng, 80, family, dispersion, -1.0);
    let request = FitRequest::new("count ~ x + offset(log(pop/1000))", family);
    let model = PreparedModel::new(&df, &request).unwrap().fit(&mut |_| {}).unwrap();
    let rows: Vec<usize> = model.design.rows.iter().map(|r| r - 1).collect();
    let theta = model.fit.dispersion.unwrap_or(1.0);
    let mut rejected = [0usize; 4];
    for seed in 0..seeds {
        let mut draw = Rng::new(5000 + seed);
        let y: Vec<f64> = model.fit.fitted.iter().map(|&mu| draw.count(family, mu, theta) as f64).collect();
        let check =
            check_model(&df, &rows, &y, None, &model.fit, &CheckOptions { simulations: 250, seed }).unwrap();
        count_rejections(&check, &mut rejected);
    }
    rejected.map(|r| r as f64 / seeds as f64)
}

/// The same with the model refitted to every data set, which is how the checks are used: then
/// the fit has already adapted to the data and the tests reject less often than 5% (DHARMa's
/// documentation notes the same).
fn rejection_rates_refitted(family: Family, dispersion: f64) -> [f64; 4] {
    let mut rejected = [0usize; 4];
    let seeds = 200;
    let request = FitRequest::new("count ~ x + offset(log(pop/1000))", family);
    for seed in 0..seeds {
        let mut rng = Rng::new(1000 + seed);
        let df = simulated(&mut rng, 200, family, dispersion, -1.0);
        let model = PreparedModel::new(&df, &request).unwrap().fit(&mut |_| {}).unwrap();
        let check = model.check(&df, &CheckOptions { simulations: 250, seed }).unwrap();
        count_rejections(&check, &mut rejected);
    }
    rejected.map(|r| r as f64 / seeds as f64)
}

fn count_rejections(check: &ModelCheck, rejected: &mut [usize; 4]) {
    let spatial = check.spatial.as_ref().expect("the file has easting and northing");
    let p = [
        check.uniformity.test.p_value,
        check.dispersion.test.p_value,
        check.zero_inflation.test.p_value,
        spatial.moran.test.p_value,
    ];
    for (r, p) in rejected.iter_mut().zip(p) {
        *r += (p < 0.05) as usize;
    }
}

const TESTS: [&str; 4] = ["uniformity", "dispersion", "zero inflation", "Moran's I"];

/// Over 1000 data sets the standard error of a 5% rate is 0.7%, so 3% to 7% is nearly three
/// standard errors either side (over 200 it would be 1.3, and one of the eight rates would
/// fall outside about half the time however right the tests are).
#[test]
fn tests_reject_at_the_nominal_rate_on_data_from_the_model() {
    for (family, dispersion) in [(Family::Poisson, 1.0), (Family::Nbinom2, 2.0)] {
        println!("{family:?}, first 200: {:?}", rejection_rates_known_model(family, dispersion, 200));
        let rates = rejection_rates_known_model(family, dispersion, 1000);
        println!("{family:?}, known model: rejection rates at 5% {TESTS:?}: {rates:?}");
        for (name, rate) in TESTS.iter().zip(rates) {
            assert!((0.03..=0.07).contains(&rate), "{family:?}, {name}: rejected {rate} of 1000");
        }
    }
}

#[test]
fn tests_do_not_reject_too_often_after_refitting() {
    for (family, dispersion) in [(Family::Poisson, 1.0), (Family::Nbinom2, 2.0)] {
        let rates = rejection_rates_refitted(family, dispersion);
        println!("{family:?}, refitted: rejection rates at 5% {TESTS:?}: {rates:?}");
        for (name, rate) in TESTS.iter().zip(rates) {
            assert!(rate <= 0.07, "{family:?}, {name}: rejected {rate} of 200");
        }
    }
}

#[test]
fn overdispersion_zero_inflation_and_spatial_pattern_are_found_and_read() {
    let mut rng = Rng::new(9);
    let df = simulated(&mut rng, 400, Family::Nbinom2, 0.5, -1.0);
    let poisson = FitRequest::new("count ~ x + offset(log(pop/1000))", Family::Poisson);
    let model = PreparedModel::new(&df, &poisson).unwrap().fit(&mut |_| {}).unwrap();
    let check = model.check(&df, &CheckOptions::default()).unwrap();
    assert!(check.dispersion.test.ratio > 1.5, "{:?}", check.dispersion);
    assert!(check.dispersion.test.p_value < 0.01);
    assert!(check.dispersion.reading.starts_with("The counts vary more than the model expects"));
    assert!(check.simulation.contains("conditional on the estimated random effects"));
    assert_eq!((check.simulations, check.seed, check.residuals.len()), (250, 1, 400));

    // Poisson counts set to zero in a quarter of the rows, all in the west: zero inflation, and
    // residuals alike in neighbouring areas.
    let mut rng = Rng::new(10);
    let df = simulated(&mut rng, 400, Family::Poisson, 1.0, 1.5);
    let easting = numbers(&df, "easting");
    let counts: Vec<f64> =
        numbers(&df, "count").iter().zip(&easting).map(|(c, e)| if *e < 2500.0 { 0.0 } else { *c }).collect();
    let columns: Vec<(String, Column)> = df
        .names()
        .iter()
        .map(|n| {
            (
                n.clone(),
                if n == "count" { Column::Numeric(counts.clone()) } else { df.column(n).unwrap().clone() },
            )
        })
        .collect();
    let df = DataFrame::from_columns(columns).unwrap();
    let model = PreparedModel::new(&df, &poisson).unwrap().fit(&mut |_| {}).unwrap();
    let check = model.check(&df, &CheckOptions::default()).unwrap();
    let zeros = &check.zero_inflation;
    assert_eq!(zeros.test.observed, counts.iter().filter(|&&c| c == 0.0).count() as f64);
    assert!(zeros.test.ratio > 1.0 && zeros.test.p_value < 0.05, "{zeros:?}");
    assert!(zeros.reading.starts_with("There are more zero counts than the model expects"));
    let spatial = check.spatial.unwrap();
    assert_eq!(
        (spatial.columns.x.as_str(), spatial.columns.y.as_str(), spatial.rows_used),
        ("easting", "northing", 400)
    );
    assert!(spatial.moran.test.observed > 0.1 && spatial.moran.test.p_value < 0.001, "{:?}", spatial.moran);
    assert!(spatial.moran.reading.starts_with("Residuals of neighbouring areas are alike"));
    // The plots: QQ points sorted, residuals against fitted ranks from 0 to 1.
    assert_eq!(check.qq.len(), 400);
    assert!(check.qq.windows(2).all(|w| w[0][1] <= w[1][1] && w[0][0] < w[1][0]));
    assert_eq!((check.versus_fitted[0][0], check.versus_fitted[399][0]), (0.0, 1.0));
    assert_eq!(check.fitted_bins.len(), 10);
}

#[test]
fn bad_options_and_files_without_coordinates() {
    let mut rng = Rng::new(4);
    let df = simulated(&mut rng, 50, Family::Poisson, 1.0, -1.0);
    let df = DataFrame::from_columns(
        ["count", "x", "pop"].iter().map(|n| (n.to_string(), df.column(n).unwrap().clone())),
    )
    .unwrap();
    let model =
        PreparedModel::new(&df, &FitRequest::new("count ~ x + offset(log(pop/1000))", Family::Poisson))
            .unwrap()
            .fit(&mut |_| {})
            .unwrap();
    let check = model.check(&df, &CheckOptions::default()).unwrap();
    assert!(check.spatial.is_none());
    assert!(check.spatial_note.unwrap().starts_with("no coordinate columns"));
    let error = model.check(&df, &CheckOptions { simulations: 0, seed: 1 }).unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot check the model: the number of simulations must be between 10 and 10000, got 0"
    );
}
