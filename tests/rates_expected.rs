//! "Higher or lower than expected" against R: `MASS::glm.nb(count ~ z +
//! offset(log(children_0_17)))` for each of the five measures in 2015, 2020 and 2025 (and two
//! models with more covariates), from `tests/reference/rates/make_rates.R`. The estimates,
//! standard errors and theta agree within 1e-4 relative (in fact far closer: the test prints the
//! largest differences), the expected counts within 1e-4, and the limits, R's `qnbinom`, exactly.
//! The engine's quantiles are also checked against `qnbinom` at 3,000 random parameters.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use socgrad::rates::data::Measure;
use socgrad::rates::expected::{expected, Covariate};
use socgrad::rates::nbinom::quantile;

fn reference(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/rates").join(path)
}

#[derive(Deserialize)]
struct Index {
    fits: Vec<String>,
}

#[derive(Deserialize)]
struct Coefficient {
    term: String,
    estimate: f64,
    std_error: f64,
}

#[derive(Deserialize)]
struct La {
    la_code: String,
    observed: u32,
    expected: f64,
    /// R writes a limit of 0 as `-0` at times: read as numbers, compared as whole counts.
    limits_95: [f64; 2],
    limits_998: [f64; 2],
}

fn counts(limits: [f64; 2]) -> [u64; 2] {
    limits.map(|x| {
        assert!(x >= 0.0 && x.fract() == 0.0, "a limit is a count: {x}");
        x as u64
    })
}

#[derive(Deserialize)]
struct Golden {
    id: String,
    measure: String,
    year: u16,
    formula: String,
    converged: bool,
    n: usize,
    theta: f64,
    coefficients: Vec<Coefficient>,
    las: Vec<La>,
}

fn relative(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1e-300)
}

#[test]
fn expected_counts_agree_with_glm_nb() {
    let index: Index =
        serde_json::from_str(&fs::read_to_string(reference("golden/index.json")).unwrap()).unwrap();
    assert_eq!(index.fits.len(), 17);
    let (mut worst_coef, mut worst_se, mut worst_theta, mut worst_expected) =
        (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    let mut limits = 0usize;
    for id in &index.fits {
        let golden: Golden =
            serde_json::from_str(&fs::read_to_string(reference(&format!("golden/{id}.json"))).unwrap())
                .unwrap();
        assert!(golden.converged, "{id}: R did not converge");
        let measure = Measure::parse(&golden.measure).unwrap();
        let mut extra = Vec::new();
        if golden.formula.contains("idaci_z") {
            extra.push(Covariate::Idaci);
        }
        if golden.formula.contains("rural_z") {
            extra.push(Covariate::Rural);
        }
        let ours = expected(measure, golden.year, &extra).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert!(ours.details.converged, "{id}: the engine did not converge");
        assert_eq!(ours.model.formula, golden.formula, "{id}");
        assert_eq!(ours.model.n, golden.n, "{id}");
        assert_eq!(ours.model.family, "nbinom2");
        let theta = relative(ours.model.theta, golden.theta);
        assert!(theta < 1e-4, "{}: theta {} vs {}", golden.id, ours.model.theta, golden.theta);
        worst_theta = worst_theta.max(theta);
        assert_eq!(ours.model.coefficients.len(), golden.coefficients.len());
        for (c, g) in ours.model.coefficients.iter().zip(&golden.coefficients) {
            assert_eq!(c.term, g.term, "{id}");
            let (e, s) = (relative(c.estimate, g.estimate), relative(c.std_error, g.std_error));
            assert!(e < 1e-4, "{id} {}: estimate {} vs {}", c.term, c.estimate, g.estimate);
            assert!(s < 1e-4, "{id} {}: std error {} vs {}", c.term, c.std_error, g.std_error);
            worst_coef = worst_coef.max(e);
            worst_se = worst_se.max(s);
        }
        assert_eq!(ours.las.len(), golden.las.len(), "{id}");
        for (o, g) in ours.las.iter().zip(&golden.las) {
            assert_eq!(o.la_code, g.la_code, "{id}");
            assert_eq!(o.observed, g.observed, "{id} {}", g.la_code);
            let e = relative(o.expected, g.expected);
            assert!(e < 1e-4, "{id} {}: expected {} vs {}", g.la_code, o.expected, g.expected);
            worst_expected = worst_expected.max(e);
            assert_eq!(
                o.limits_95,
                counts(g.limits_95),
                "{id} {}: 95% limits (expected {})",
                g.la_code,
                o.expected
            );
            assert_eq!(
                o.limits_998,
                counts(g.limits_998),
                "{id} {}: 99.8% limits (expected {})",
                g.la_code,
                o.expected
            );
            limits += 4;
        }
    }
    println!(
        "agreement with MASS::glm.nb over {} models: largest relative difference in the estimates {worst_coef:.1e}, \
         standard errors {worst_se:.1e}, theta {worst_theta:.1e}, expected counts {worst_expected:.1e}; \
         {limits} limits, all equal",
        index.fits.len()
    );
}

#[test]
fn quantiles_are_rs_qnbinom() {
    let text = fs::read_to_string(reference("qnbinom.csv")).unwrap();
    let mut checked = 0;
    for line in text.lines().skip(1) {
        let v: Vec<f64> = line.split(',').map(|x| x.parse().unwrap()).collect();
        let (size, mu, p, q) = (v[0], v[1], v[2], v[3] as u64);
        assert_eq!(quantile(p, size, mu), q, "qnbinom({p}, size = {size}, mu = {mu})");
        checked += 1;
    }
    assert_eq!(checked, 3000);
}
