//! The nearest-neighbour Gaussian process approximation of the exponential spatial field
//! (`socgrad::fit::sparse::NngpField`) inside the sparse Laplace objective, checked three ways on
//! real LSOA population-weighted centroids with simulated counts (tests/reference/nngp, drawn by
//! glmmTMB's reference script for the spatial field: counts from an exact exponential field):
//! - with every earlier point as a neighbour (`m >= n - 1`) the approximation is the exact field:
//!   the objective's value and gradient equal those with the exact `ExponentialField`;
//! - the objective's gradient equals central finite differences of its value at random
//!   parameters, every family, one field and one field per local authority with an LA
//!   intercept;
//! - fitted by maximising the objective, the approximation's estimates (fixed effects, sd, range)
//!   and log-likelihood are within the stated bounds of the exact fit's for m = 5 to 30 (the table
//!   printed is the README's "Spatial field: exact and approximate"); the exact fits themselves
//!   reach glmmTMB's log-likelihood.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use socgrad::data::read_csv;
use socgrad::design::Design;
use socgrad::fit::optimise::minimise::{
    bfgs, evaluate_point, hessian, newton, positive_inverse, Bounds, Objective,
};
use socgrad::fit::sparse::{
    EffectTerm, ExponentialField, NngpField, PrecisionModel, SparseLaplace, SparseModel,
};
use socgrad::fit::Family;
use socgrad::formula::{build_design, parse};
use socgrad::random::Rng;

fn data_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("reference")
        .join("nngp")
        .join(format!("{name}.csv"))
}

/// A data set: its design without the field, the distinct centroids and each row's centroid,
/// and each centroid's local authority.
struct Points {
    design: Design,
    x: Vec<f64>,
    y: Vec<f64>,
    row_level: Vec<usize>,
    la_of_level: Vec<usize>,
}

fn points(name: &str, formula: &str) -> Points {
    let bytes = std::fs::read(data_path(name)).unwrap();
    let df = read_csv(&bytes).expect("the reference CSV reads");
    let design = build_design(&df, &parse(formula).unwrap()).expect("the design builds");
    let text = String::from_utf8(bytes).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (ce, cn, cl) = (col("easting"), col("northing"), col("la"));
    let (mut x, mut y, mut row_level, mut la_of_level) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut seen: HashMap<(u64, u64), usize> = HashMap::new();
    let mut las: HashMap<String, usize> = HashMap::new();
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        let (e, n): (f64, f64) = (cells[ce].parse().unwrap(), cells[cn].parse().unwrap());
        let next_la = las.len();
        let la = *las.entry(cells[cl].to_string()).or_insert(next_la);
        let level = *seen.entry((e.to_bits(), n.to_bits())).or_insert_with(|| {
            x.push(e);
            y.push(n);
            la_of_level.push(la);
            x.len() - 1
        });
        row_level.push(level);
    }
    assert_eq!(row_level.len(), design.y.len());
    Points { design, x, y, row_level, la_of_level }
}

/// The model of `points` with the field `field` (and the design's own random effects first).
fn model(p: &Points, field: Box<dyn PrecisionModel>) -> SparseModel {
    let kept: Vec<usize> = (0..p.design.x.ncols()).collect();
    let n = p.design.y.len();
    SparseModel::from_design(&p.design, &kept)
        .unwrap()
        .with_term(EffectTerm::structured("pos", p.row_level.clone(), vec![1.0; n], field))
        .unwrap()
}

fn exact(p: &Points, grouped: bool) -> Box<dyn PrecisionModel> {
    let group = if grouped { p.la_of_level.clone() } else { vec![0; p.x.len()] };
    Box::new(ExponentialField::grouped(p.x.clone(), p.y.clone(), &group).unwrap())
}

fn nngp(p: &Points, grouped: bool, m: usize) -> Box<dyn PrecisionModel> {
    let group = if grouped { p.la_of_level.clone() } else { vec![0; p.x.len()] };
    Box::new(NngpField::grouped(p.x.clone(), p.y.clone(), &group, m).unwrap())
}

/// Random parameters near plausible values: the overall log rate, a slope of up to 0.5, a
/// dispersion, an SD of 0.1 to 0.6 for each random intercept and the field, and a range of 500 m
/// to 8 km.
fn random_psi(rng: &mut Rng, model: &SparseModel, family: Family) -> Vec<f64> {
    let exposure: f64 = model.offset().iter().map(|o| o.exp()).sum();
    let rate = (model.y().iter().sum::<f64>() / exposure).ln();
    let mut psi = vec![rate + 0.1 * rng.normal()];
    psi.extend((1..model.p()).map(|_| 0.5 * (rng.uniform() - 0.5)));
    match family {
        Family::Poisson => {}
        Family::Nbinom2 => psi.push(0.5 + 2.0 * rng.uniform()),
        Family::Nbinom1 => psi.push(-1.0 + 2.0 * rng.uniform()),
        Family::Binomial(_) => {}
    }
    for t in model.terms() {
        psi.push((0.1 + 0.5 * rng.uniform()).ln());
        if t.name == "pos" {
            psi.push((500.0 + 7500.0 * rng.uniform()).ln());
        }
    }
    psi
}

const FAMILIES: [Family; 3] = [Family::Poisson, Family::Nbinom2, Family::Nbinom1];

#[test]
fn with_every_earlier_point_as_neighbour_it_is_the_exact_field() {
    let mut rng = Rng::new(11);
    for (name, formula, grouped) in [
        ("teesside", "count ~ imd_z + offset(log(pop))", false),
        ("teesside", "count ~ imd_z + offset(log(pop)) + (1 | la)", true),
        ("blackburn_2yr", "count ~ imd_z + factor(year) + offset(log(pop))", false),
    ] {
        let p = points(name, formula);
        let m = p.x.len() - 1;
        let (exact_model, nngp_model) = (model(&p, exact(&p, grouped)), model(&p, nngp(&p, grouped, m)));
        for family in FAMILIES {
            let psi = random_psi(&mut rng, &exact_model, family);
            let (mut ge, mut ga) = (vec![0.0; psi.len()], vec![0.0; psi.len()]);
            let fe = SparseLaplace::new(&exact_model, family).unwrap().evaluate(&psi, &mut ge).unwrap();
            let fa = SparseLaplace::new(&nngp_model, family).unwrap().evaluate(&psi, &mut ga).unwrap();
            let what = format!("{name} ({formula}) {family:?}");
            assert!((fe - fa).abs() < 1e-10 * fe.abs().max(1.0), "{what}: value {fa} vs exact {fe}");
            for k in 0..psi.len() {
                assert!(
                    (ge[k] - ga[k]).abs() < 1e-9 * (1.0 + ge[k].abs()),
                    "{what} parameter {k}: gradient {} vs exact {}",
                    ga[k],
                    ge[k]
                );
            }
        }
    }
}

#[test]
fn gradient_matches_finite_differences() {
    let mut rng = Rng::new(12);
    for (name, formula, grouped, m) in [
        ("teesside", "count ~ imd_z + offset(log(pop))", false, 5),
        ("teesside", "count ~ imd_z + offset(log(pop)) + (1 | la)", true, 10),
        ("teesvalley", "count ~ imd_z + offset(log(pop)) + (1 | la)", false, 15),
        ("blackburn_2yr", "count ~ imd_z + factor(year) + offset(log(pop))", false, 8),
    ] {
        let p = points(name, formula);
        let model = model(&p, nngp(&p, grouped, m));
        for family in FAMILIES {
            let psi = random_psi(&mut rng, &model, family);
            let mut la = SparseLaplace::new(&model, family).unwrap();
            let mut grad = vec![0.0; psi.len()];
            la.evaluate(&psi, &mut grad).unwrap();
            let mut scratch = grad.clone();
            for k in 0..psi.len() {
                let h = 1e-5;
                let (mut up, mut down) = (psi.clone(), psi.clone());
                up[k] += h;
                down[k] -= h;
                let numeric = (la.evaluate(&up, &mut scratch).unwrap()
                    - la.evaluate(&down, &mut scratch).unwrap())
                    / (2.0 * h);
                assert!(
                    (numeric - grad[k]).abs() < 1e-5 * (1.0 + grad[k].abs()),
                    "{name} m = {m} {family:?} parameter {k}: analytic {} numeric {numeric}",
                    grad[k]
                );
            }
        }
    }
}

/// The negative log-likelihood, for the minimiser.
struct Negated<'a>(SparseLaplace<&'a SparseModel>);

impl Objective for Negated<'_> {
    fn evaluate(&mut self, x: &[f64], grad: &mut [f64]) -> Option<f64> {
        let value = self.0.evaluate(x, grad)?;
        grad.iter_mut().for_each(|g| *g = -*g);
        Some(-value)
    }
}

/// A maximum-likelihood fit: `psi`, the log-likelihood and the standard errors of `psi`.
struct Fitted {
    psi: Vec<f64>,
    loglik: f64,
    se: Vec<f64>,
    evaluations: usize,
}

struct Counting<'a> {
    inner: Negated<'a>,
    evaluations: usize,
}

impl Objective for Counting<'_> {
    fn evaluate(&mut self, x: &[f64], grad: &mut [f64]) -> Option<f64> {
        self.evaluations += 1;
        self.inner.evaluate(x, grad)
    }
}

/// Maximises the Laplace log-likelihood of `model` from `start`: quasi-Newton from the
/// finite-difference Hessian at the start, then Newton's method.
fn fit(model: &SparseModel, family: Family, start: &[f64]) -> Fitted {
    let len = start.len();
    let mut obj = Counting { inner: Negated(SparseLaplace::new(model, family).unwrap()), evaluations: 0 };
    let all: Vec<usize> = (0..len).collect();
    let bounds = Bounds { lower: vec![f64::NEG_INFINITY; len], upper: vec![f64::INFINITY; len] };
    let p0 = evaluate_point(&mut obj, start.to_vec()).expect("the start evaluates");
    let hinv = positive_inverse(&hessian(&mut obj, start, &all, 1e-4).expect("the start's Hessian"));
    let quasi = bfgs(&mut obj, p0, &bounds, hinv, 1e-6, 300, &mut |_, _| {});
    let polished = newton(&mut obj, quasi.point, &all, 1e-4, 1e-6, 20, &mut |_, _| {});
    assert!(polished.converged, "the fit converges (gradient {:?})", polished.point.g);
    let h = polished.hessian.expect("a Hessian at the optimum");
    let inv = positive_inverse(&h);
    Fitted {
        psi: polished.point.x,
        loglik: -polished.point.f,
        se: (0..len).map(|k| inv[(k, k)].sqrt()).collect(),
        evaluations: obj.evaluations,
    }
}

/// A start that favours neither fit: the overall log rate, zero slopes, a dispersion of e,
/// an SD of 0.3 and a range of a tenth of the region's diagonal.
fn start(model: &SparseModel, family: Family, p: &Points) -> Vec<f64> {
    let exposure: f64 = model.offset().iter().map(|o| o.exp()).sum();
    let mut psi = vec![(model.y().iter().sum::<f64>() / exposure).ln()];
    psi.extend(std::iter::repeat(0.0).take(model.p() - 1));
    if family != Family::Poisson {
        psi.push(1.0);
    }
    let span = |v: &[f64]| {
        v.iter().cloned().fold(f64::NEG_INFINITY, f64::max) - v.iter().cloned().fold(f64::INFINITY, f64::min)
    };
    for t in model.terms() {
        psi.push(0.3f64.ln());
        if t.name == "pos" {
            psi.push((0.1 * span(&p.x).hypot(span(&p.y))).ln());
        }
    }
    psi
}

/// The error of the approximation in one fit, against the exact fit: fixed effects in units of
/// their (exact) standard errors, sd and range relative, log-likelihood absolute.
#[derive(Clone, Copy, Default)]
struct FitError {
    fixed_se: f64,
    sd_rel: f64,
    range_rel: f64,
    loglik: f64,
}

/// The data sets of the comparison, their formula, and glmmTMB's exact NB2 fit (log-likelihood,
/// sd, range in metres; tests/reference/nngp/README.md).
const FITS: [(&str, &str, f64, f64, f64); 6] = [
    (
        "teesside",
        "count ~ imd_z + offset(log(pop))",
        -624.1537468280374,
        0.4069866550260574,
        2691.8897784144497,
    ),
    (
        "blackburn_2yr",
        "count ~ imd_z + factor(year) + offset(log(pop))",
        -645.4225171812893,
        0.44477737538247764,
        1316.216787501868,
    ),
    (
        "stockton",
        "count ~ imd_z + offset(log(pop))",
        -363.83544030601024,
        0.3072166873863536,
        2995.4057979003687,
    ),
    (
        "blackpool",
        "count ~ imd_z + offset(log(pop))",
        -329.4616119864122,
        0.45291551399028945,
        2517.6411275320147,
    ),
    (
        "herefordshire",
        "count ~ imd_z + offset(log(pop))",
        -423.6367506417045,
        0.2827568351323398,
        1643.3639070163458,
    ),
    (
        "teesvalley",
        "count ~ imd_z + offset(log(pop))",
        -746.3824779265425,
        0.48924044692601293,
        4922.885048394552,
    ),
];

const NEIGHBOURS: [usize; 5] = [5, 10, 15, 20, 30];

/// The bounds stated in the README, by number of neighbours: fixed effects (in standard errors),
/// sd and range (relative), log-likelihood (absolute).
fn bound(m: usize) -> FitError {
    if m >= 20 {
        FitError { fixed_se: 0.05, sd_rel: 0.01, range_rel: 0.02, loglik: 0.05 }
    } else if m >= 15 {
        FitError { fixed_se: 0.05, sd_rel: 0.01, range_rel: 0.03, loglik: 0.15 }
    } else if m >= 10 {
        FitError { fixed_se: 0.1, sd_rel: 0.04, range_rel: 0.12, loglik: 0.4 }
    } else {
        FitError { fixed_se: 0.3, sd_rel: 0.05, range_rel: 0.3, loglik: 1.0 }
    }
}

#[test]
fn fitted_approximations_are_close_to_the_exact_fit() {
    let family = Family::Nbinom2;
    let mut worst = vec![FitError::default(); NEIGHBOURS.len()];
    println!("data set (locations) | fit | intercept | imd_z | sd | range (m) | logLik | evaluations");
    for (name, formula, loglik, sd, range) in FITS {
        let p = points(name, formula);
        let exact_model = model(&p, exact(&p, false));
        let s = start(&exact_model, family, &p);
        let e = fit(&exact_model, family, &s);
        let len = e.psi.len();
        let (sd_at, range_at) = (len - 2, len - 1);
        println!(
            "{name} ({}) | exact | {:.4} | {:.4} | {:.4} | {:.0} | {:.3} | {}",
            p.x.len(),
            e.psi[0],
            e.psi[1],
            e.psi[sd_at].exp(),
            e.psi[range_at].exp(),
            e.loglik,
            e.evaluations
        );
        assert!((e.loglik - loglik).abs() < 1e-3, "{name}: exact logLik {} vs glmmTMB {loglik}", e.loglik);
        assert!((e.psi[sd_at].exp() / sd - 1.0).abs() < 1e-2, "{name}: exact sd vs glmmTMB {sd}");
        assert!((e.psi[range_at].exp() / range - 1.0).abs() < 1e-2, "{name}: exact range vs glmmTMB {range}");
        for (k, &m) in NEIGHBOURS.iter().enumerate() {
            let approximate_model = model(&p, nngp(&p, false, m));
            let a = fit(&approximate_model, family, &s);
            println!(
                "{name} ({}) | m = {m} | {:.4} | {:.4} | {:.4} | {:.0} | {:.3} | {}",
                p.x.len(),
                a.psi[0],
                a.psi[1],
                a.psi[sd_at].exp(),
                a.psi[range_at].exp(),
                a.loglik,
                a.evaluations
            );
            let error = FitError {
                fixed_se: (0..approximate_model.p())
                    .map(|j| (a.psi[j] - e.psi[j]).abs() / e.se[j])
                    .fold(0.0, f64::max),
                sd_rel: ((a.psi[sd_at] - e.psi[sd_at]).exp() - 1.0).abs(),
                range_rel: ((a.psi[range_at] - e.psi[range_at]).exp() - 1.0).abs(),
                loglik: (a.loglik - e.loglik).abs(),
            };
            let w = &mut worst[k];
            w.fixed_se = w.fixed_se.max(error.fixed_se);
            w.sd_rel = w.sd_rel.max(error.sd_rel);
            w.range_rel = w.range_rel.max(error.range_rel);
            w.loglik = w.loglik.max(error.loglik);
        }
    }
    println!("m | largest |fixed effect error| (SEs) | sd (relative) | range (relative) | |logLik error|");
    for (k, &m) in NEIGHBOURS.iter().enumerate() {
        let w = worst[k];
        println!("{m} | {:.4} | {:.4} | {:.4} | {:.4}", w.fixed_se, w.sd_rel, w.range_rel, w.loglik);
    }
    for (k, &m) in NEIGHBOURS.iter().enumerate() {
        let (w, b) = (worst[k], bound(m));
        assert!(
            w.fixed_se < b.fixed_se
                && w.sd_rel < b.sd_rel
                && w.range_rel < b.range_rel
                && w.loglik < b.loglik,
            "m = {m}: errors (fixed {:.4} SE, sd {:.4}, range {:.4}, logLik {:.4}) beyond the bounds stated",
            w.fixed_se,
            w.sd_rel,
            w.range_rel,
            w.loglik
        );
    }
}
