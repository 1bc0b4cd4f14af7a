//! The general sparse Laplace objective (`socgrad::fit::sparse`), checked three ways:
//! - on one grouping factor and on two nested ones, its value and gradient equal those of the
//!   block-arrow evaluator the engine fits such models with, at random parameters of real-sized
//!   reference data sets;
//! - its gradient equals central finite differences of its value at random parameters of
//!   crossed models (two and three grouping factors, a random slope, an exponential spatial
//!   field), several simulated data sets, every family, with the simplicial and the supernodal
//!   factorisation;
//! - at glmmTMB's optimum of crossed and spatial models (tests/reference/sparse, made by
//!   make_sparse.R, including the real LA-by-year panel of children looked after), its value
//!   equals glmmTMB's log-likelihood, its gradient equals glmmTMB's gradient (about zero), and
//!   its conditional modes and variances equal glmmTMB's, with either factorisation.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use socgrad::data::read_csv;
use socgrad::design::Design;
use socgrad::fit::sparse::{
    EffectTerm, ExponentialField, Factorisation, NestedLaplace, SparseLaplace, SparseModel,
};
use socgrad::fit::{Family, FitError};
use socgrad::formula::{build_design, parse};

const FAMILIES: [Family; 3] = [Family::Poisson, Family::Nbinom2, Family::Nbinom1];

fn reference_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("reference")
}

fn design(csv: &Path, formula: &str) -> Design {
    let bytes = std::fs::read(csv).unwrap_or_else(|e| panic!("cannot read {}: {e}", csv.display()));
    let df = read_csv(&bytes).expect("the reference CSV reads");
    let formula = parse(formula).expect("the formula parses");
    build_design(&df, &formula).expect("the design builds")
}

/// A small deterministic generator (SplitMix64) for random parameters and data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn uniform(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.uniform()
    }

    fn normal(&mut self) -> f64 {
        let u = self.uniform().max(1e-300);
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * self.uniform()).cos()
    }

    fn below(&mut self, n: usize) -> usize {
        (self.uniform() * n as f64) as usize % n
    }

    fn poisson(&mut self, mean: f64) -> f64 {
        if mean > 50.0 {
            return (mean + mean.sqrt() * self.normal()).round().max(0.0);
        }
        let limit = (-mean).exp();
        let mut k = 0.0;
        let mut p = self.uniform();
        while p > limit {
            k += 1.0;
            p *= self.uniform();
        }
        k
    }
}

/// Standard deviation of a column.
fn sd(values: impl Iterator<Item = f64> + Clone) -> f64 {
    let n = values.clone().count() as f64;
    let mean = values.clone().sum::<f64>() / n;
    (values.map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt()
}

/// Random parameters around plausible values: the intercept at the overall log rate, slopes
/// of up to about 0.3 per SD of their covariate, a moderate dispersion, random-effect SDs of
/// 0.1 to 0.7 per SD of their column, correlation parameters in (-1, 1).
fn random_psi(
    rng: &mut Rng,
    x: &[Vec<f64>],
    y: &[f64],
    offset: &[f64],
    family: Family,
    terms: &[Vec<Vec<f64>>],
) -> Vec<f64> {
    let n = y.len();
    let mut psi = Vec::new();
    let mut shift = vec![0.0; n];
    for column in x {
        let s = sd(column.iter().copied());
        if s == 0.0 {
            psi.push(0.0);
        } else {
            let b = 0.3 * rng.normal() / s;
            for i in 0..n {
                shift[i] += b * column[i];
            }
            psi.push(b);
        }
    }
    let exposure: f64 = offset.iter().map(|o| o.exp()).sum();
    let base = (y.iter().sum::<f64>() / exposure).ln() - shift.iter().sum::<f64>() / n as f64;
    let intercept = x.iter().position(|c| c.iter().all(|&v| v == 1.0)).expect("an intercept column");
    psi[intercept] = base + 0.1 * rng.normal();
    match family {
        Family::Poisson | Family::Binomial(_) => {}
        Family::Nbinom2 => psi.push(rng.range(0.5, 2.5)),
        Family::Nbinom1 => psi.push(rng.range(-1.0, 1.0)),
    }
    for columns in terms {
        for column in columns {
            let s = sd(column.iter().copied());
            let s = if s > 0.0 { s } else { 1.0 };
            psi.push((rng.range(0.1, 0.7) / s).ln());
        }
        let q = columns.len();
        for _ in 0..q * (q - 1) / 2 {
            psi.push(rng.range(-1.0, 1.0));
        }
    }
    psi
}

fn design_psi(rng: &mut Rng, d: &Design, family: Family) -> Vec<f64> {
    let x: Vec<Vec<f64>> = (0..d.x.ncols()).map(|j| d.x.column(j).iter().copied().collect()).collect();
    let terms: Vec<Vec<Vec<f64>>> = d
        .random
        .iter()
        .map(|t| (0..t.z.ncols()).map(|c| t.z.column(c).iter().copied().collect()).collect())
        .collect();
    random_psi(rng, &x, &d.y, &d.offset, family, &terms)
}

fn relative(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1e-300)
}

#[test]
fn equals_the_block_arrow_evaluator_on_nested_models() {
    let cases = [
        ("medium_nb2.csv", "count ~ imd_z + offset(log(pop/10000)) + (1 | la)"),
        ("medium_nb2.csv", "count ~ imd_z * la_imd + offset(log(pop/10000)) + (1 + imd_z | la)"),
        ("medium_nb2.csv", "count ~ imd_z + offset(log(pop/10000)) + (1 | la/msoa)"),
        ("medium_nb1.csv", "count ~ imd_z + rural + offset(log(pop/10000)) + (1 | la) + (0 + imd_z | la)"),
        (
            "medium_nb1.csv",
            "count ~ imd_z * la_imd + imd_z * gini + offset(log(pop/10000)) + (1 + imd_z | la) + (1 | la:msoa)",
        ),
        ("small_poisson.csv", "count ~ imd_z + offset(log(pop/10000)) + (1 + imd_z | la) + (1 + imd_z | la:msoa)"),
    ];
    let mut rng = Rng(17);
    let mut worst_value: f64 = 0.0;
    let mut worst_gradient: f64 = 0.0;
    for (file, formula) in cases {
        let d = design(&reference_dir().join("data").join(file), formula);
        let kept: Vec<usize> = (0..d.x.ncols()).collect();
        let model = SparseModel::from_design(&d, &kept).unwrap();
        let nested = NestedLaplace::new(&d).unwrap();
        for family in FAMILIES {
            let mut sparse = SparseLaplace::new(&model, family).unwrap();
            let mut reference = nested.evaluator(family);
            for _ in 0..3 {
                let psi = design_psi(&mut rng, &d, family);
                let len = psi.len();
                assert_eq!(sparse.parameter_count(), len);
                let (mut g1, mut g2) = (vec![0.0; len], vec![0.0; len]);
                let v1 = sparse
                    .evaluate(&psi, &mut g1)
                    .unwrap_or_else(|| panic!("{formula} {family:?} at {psi:?}"));
                let v2 = reference(&psi, &mut g2).unwrap();
                worst_value = worst_value.max(relative(v1, v2));
                assert!(relative(v1, v2) < 1e-8, "{file} {formula} {family:?}: value {v1} vs {v2}");
                let scale = g2.iter().fold(0.0f64, |m, g| m.max(g.abs()));
                for k in 0..len {
                    let err = (g1[k] - g2[k]).abs() / g2[k].abs().max(1e-3 * scale);
                    worst_gradient = worst_gradient.max(err);
                    assert!(
                        err < 1e-8,
                        "{file} {formula} {family:?} parameter {k}: gradient {} vs {}",
                        g1[k],
                        g2[k]
                    );
                }
            }
        }
    }
    println!("largest relative difference: value {worst_value:.1e}, gradient {worst_gradient:.1e}");
}

/// A simulated crossed model: rows in cells of factors `a` (crossed with `b`), optionally a
/// random slope on `a`, an MSOA-like factor nested in `a`, and an exponential field over
/// points (some without rows), one field or `fields` independent ones.
struct Spec {
    a: usize,
    b: usize,
    nested: usize,
    slope: bool,
    points: usize,
    fields: usize,
}

fn simulate(seed: u64, spec: &Spec) -> SparseModel {
    let mut rng = Rng(seed);
    let (mut y, mut offset, mut x) = (Vec::new(), Vec::new(), Vec::new());
    let (mut ia, mut ib, mut ic, mut ip) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let ua: Vec<f64> = (0..spec.a).map(|_| 0.5 * rng.normal()).collect();
    let sa: Vec<f64> = (0..spec.a).map(|_| 0.2 * rng.normal()).collect();
    let ub: Vec<f64> = (0..spec.b).map(|_| 0.3 * rng.normal()).collect();
    let uc: Vec<f64> = (0..spec.a * spec.nested.max(1)).map(|_| 0.3 * rng.normal()).collect();
    let px: Vec<f64> = (0..spec.points).map(|_| rng.range(0.0, 10.0)).collect();
    let py: Vec<f64> = (0..spec.points).map(|_| rng.range(0.0, 10.0)).collect();
    for la in 0..spec.a {
        for (year, &u_year) in ub.iter().enumerate() {
            if rng.uniform() < 0.3 {
                continue;
            }
            for _ in 0..1 + rng.below(3) {
                let inner = la * spec.nested.max(1) + rng.below(spec.nested.max(1));
                // Points: the first three quarters carry rows, the rest none.
                let point = if spec.points > 0 { rng.below(spec.points * 3 / 4) } else { 0 };
                let xi = rng.normal();
                let off = rng.range(3.0, 6.0);
                let mut eta = -3.0 + 0.4 * xi + off + ua[la] + u_year;
                if spec.slope {
                    eta += sa[la] * xi;
                }
                if spec.nested > 0 {
                    eta += uc[inner];
                }
                if spec.points > 0 {
                    eta += 0.4 * (px[point] / 3.0).sin() * (py[point] / 4.0).cos();
                }
                let mean = eta.exp() * rng.range(0.5, 1.5);
                y.push(rng.poisson(mean));
                offset.push(off);
                x.extend([1.0, xi]);
                ia.push(la);
                ib.push(year);
                ic.push(inner);
                ip.push(point);
            }
        }
    }
    let n = y.len();
    let mut terms = Vec::new();
    let za: Vec<f64> =
        if spec.slope { (0..n).flat_map(|i| [1.0, x[2 * i + 1]]).collect() } else { vec![1.0; n] };
    terms.push(EffectTerm::unstructured("a", spec.a, ia, if spec.slope { 2 } else { 1 }, za));
    if spec.nested > 0 {
        terms.push(EffectTerm::unstructured("a:c", spec.a * spec.nested, ic, 1, vec![1.0; n]));
    }
    terms.push(EffectTerm::unstructured("b", spec.b, ib, 1, vec![1.0; n]));
    if spec.points > 0 {
        let group: Vec<usize> = (0..spec.points).map(|l| l % spec.fields.max(1)).collect();
        let field = ExponentialField::grouped(px, py, &group).unwrap();
        terms.push(EffectTerm::structured("pos", ip, vec![1.0; n], Box::new(field)));
    }
    SparseModel::new(y, offset, x, 2, terms).unwrap()
}

fn model_psi(rng: &mut Rng, model: &SparseModel, family: Family) -> Vec<f64> {
    let n = model.n();
    let terms: Vec<Vec<Vec<f64>>> = model
        .terms()
        .iter()
        .filter(|t| t.name != "pos")
        .map(|t| (0..t.q).map(|c| (0..n).map(|i| t.z[i * t.q + c]).collect()).collect())
        .collect();
    // The simulation's intercept and slope, moved a little.
    let mut psi = vec![-3.0 + 0.1 * rng.normal(), 0.4 + 0.1 * rng.normal()];
    match family {
        Family::Poisson | Family::Binomial(_) => {}
        Family::Nbinom2 => psi.push(rng.range(0.5, 2.5)),
        Family::Nbinom1 => psi.push(rng.range(-1.0, 1.0)),
    }
    for columns in &terms {
        for column in columns {
            let s = sd(column.iter().copied());
            let s = if s > 0.0 { s } else { 1.0 };
            psi.push((rng.range(0.1, 0.7) / s).ln());
        }
        let q = columns.len();
        for _ in 0..q * (q - 1) / 2 {
            psi.push(rng.range(-1.0, 1.0));
        }
    }
    if model.terms().iter().any(|t| t.name == "pos") {
        psi.push(rng.range(0.2, 0.6).ln());
        psi.push(rng.range(1.0, 4.0).ln());
    }
    psi
}

fn check_finite_differences(model: &SparseModel, family: Family, psi: &[f64], what: &str) {
    for factorisation in [Factorisation::Simplicial, Factorisation::Supernodal] {
        check_finite_differences_with(
            model,
            family,
            factorisation,
            psi,
            &format!("{what} ({factorisation:?})"),
        );
    }
}

fn check_finite_differences_with(
    model: &SparseModel,
    family: Family,
    factorisation: Factorisation,
    psi: &[f64],
    what: &str,
) {
    let mut la = SparseLaplace::with_factorisation(model, family, factorisation).unwrap();
    let len = psi.len();
    assert_eq!(la.parameter_count(), len, "{what}");
    let mut grad = vec![0.0; len];
    la.evaluate(psi, &mut grad).unwrap_or_else(|| panic!("{what}: no value at {psi:?}"));
    let mut scratch = vec![0.0; len];
    for k in 0..len {
        let h = 1e-5;
        let (mut up, mut down) = (psi.to_vec(), psi.to_vec());
        up[k] += h;
        down[k] -= h;
        let fu = la.evaluate(&up, &mut scratch).unwrap();
        let fd = la.evaluate(&down, &mut scratch).unwrap();
        let numeric = (fu - fd) / (2.0 * h);
        assert!(
            (numeric - grad[k]).abs() < 1e-5 * (1.0 + grad[k].abs()),
            "{what} {family:?} parameter {k}: analytic {} numeric {numeric}",
            grad[k]
        );
    }
}

#[test]
fn gradient_matches_finite_differences_on_crossed_models() {
    let specs = [
        ("two crossed factors", Spec { a: 25, b: 7, nested: 0, slope: false, points: 0, fields: 0 }),
        ("three factors", Spec { a: 12, b: 5, nested: 4, slope: false, points: 0, fields: 0 }),
        ("random slope", Spec { a: 15, b: 6, nested: 0, slope: true, points: 0, fields: 0 }),
        ("exponential field", Spec { a: 8, b: 4, nested: 0, slope: false, points: 40, fields: 1 }),
        ("three exponential fields", Spec { a: 8, b: 4, nested: 0, slope: false, points: 45, fields: 3 }),
    ];
    let mut rng = Rng(99);
    for (what, spec) in &specs {
        for seed in [1u64, 2] {
            let model = simulate(seed * 1000 + spec.a as u64, spec);
            for family in FAMILIES {
                let psi = model_psi(&mut rng, &model, family);
                check_finite_differences(&model, family, &psi, &format!("{what}, data set {seed}"));
            }
        }
    }
}

/// The value does not depend on where the mode search starts, and the stored sensitivities
/// predict the modes at a nearby `psi` to second order.
#[test]
fn value_is_independent_of_warm_start_and_sensitivities_predict_modes() {
    let spec = Spec { a: 20, b: 6, nested: 3, slope: true, points: 30, fields: 1 };
    let model = simulate(5, &spec);
    let mut rng = Rng(3);
    let psi = model_psi(&mut rng, &model, Family::Nbinom2);
    let len = psi.len();
    let step: Vec<f64> =
        (0..len).map(|k| 1e-3 * (1.0 + (k % 3) as f64) * if k % 2 == 0 { 1.0 } else { -1.0 }).collect();
    let moved: Vec<f64> = psi.iter().zip(&step).map(|(a, b)| a + b).collect();
    let mut grad = vec![0.0; len];
    let mut cold = SparseLaplace::new(&model, Family::Nbinom2).unwrap();
    let cold_value = cold.evaluate(&moved, &mut grad).unwrap();
    let mut warm = SparseLaplace::new(&model, Family::Nbinom2).unwrap();
    warm.evaluate(&psi, &mut grad).unwrap();
    let terms = model.terms().len();
    let mut predicted = Vec::new();
    for t in 0..terms {
        let modes = warm.modes(t);
        let q = model.terms()[t].q;
        for l in 0..model.terms()[t].levels {
            if let Some(j) = warm.mode_sensitivity(t, l) {
                let j = &j;
                for c in 0..q {
                    let change: f64 = (0..len).map(|k| j[c * len + k] * step[k]).sum();
                    predicted.push((t, l * q + c, modes[l * q + c] + change));
                }
            }
        }
    }
    let warm_value = warm.evaluate(&moved, &mut grad).unwrap();
    assert!((cold_value - warm_value).abs() < 1e-10, "{cold_value} vs {warm_value}");
    for (t, k, p) in predicted {
        let actual = warm.modes(t)[k];
        assert!((actual - p).abs() < 1e-5, "term {t} effect {k}: predicted {p}, found {actual}");
    }
}

#[derive(Deserialize)]
struct Golden {
    id: String,
    data: String,
    rust_formula: String,
    family: String,
    loglik: f64,
    par: Vec<f64>,
    gradient: Vec<f64>,
    terms: Vec<GoldenTerm>,
    field: Option<GoldenField>,
}

#[derive(Deserialize)]
struct GoldenTerm {
    group: String,
    levels: Vec<String>,
    modes: Vec<Vec<f64>>,
    condvar: Vec<Vec<f64>>,
}

#[derive(Deserialize)]
struct GoldenField {
    /// Position of the field among the random-effect terms (1-based).
    term: usize,
    x: Vec<f64>,
    y: Vec<f64>,
    /// Field level of each row (1-based).
    row_level: Vec<usize>,
}

fn family(name: &str) -> Family {
    match name {
        "poisson" => Family::Poisson,
        "nbinom2" => Family::Nbinom2,
        "nbinom1" => Family::Nbinom1,
        other => panic!("unknown family {other}"),
    }
}

/// Evaluates the objective at glmmTMB's optimum of one golden fit; returns the largest
/// differences found (log-likelihood, gradient, modes, conditional variances).
fn check_golden(name: &str, factorisation: Factorisation) -> [f64; 4] {
    let dir = reference_dir().join("sparse");
    let text = std::fs::read_to_string(dir.join("golden").join(format!("{name}.json"))).unwrap();
    let golden: Golden = serde_json::from_str(&text).unwrap();
    let d = design(&dir.join(&golden.data), &golden.rust_formula);
    let kept: Vec<usize> = (0..d.x.ncols()).collect();
    let mut model = SparseModel::from_design(&d, &kept).unwrap();
    let mut labels: Vec<Vec<String>> = d.random.iter().map(|t| t.levels.clone()).collect();
    if let Some(field) = &golden.field {
        assert_eq!(field.term, d.random.len() + 1, "the field comes last in these models");
        let points = ExponentialField::new(field.x.clone(), field.y.clone()).unwrap();
        let index = field.row_level.iter().map(|l| l - 1).collect();
        model = model
            .with_term(EffectTerm::structured("pos", index, vec![1.0; d.y.len()], Box::new(points)))
            .unwrap();
        labels.push(golden.terms[field.term - 1].levels.clone());
    }
    let mut la = SparseLaplace::with_factorisation(&model, family(&golden.family), factorisation).unwrap();
    let mut grad = vec![0.0; golden.par.len()];
    let value = la.evaluate(&golden.par, &mut grad).unwrap();
    let id = &format!("{} ({factorisation:?})", golden.id);
    let loglik_error = (value - golden.loglik).abs();
    assert!(loglik_error < 1e-6, "{id}: log-likelihood {value} vs glmmTMB {}", golden.loglik);
    let mut gradient_error: f64 = 0.0;
    for (k, (ours, theirs)) in grad.iter().zip(&golden.gradient).enumerate() {
        gradient_error = gradient_error.max((ours - theirs).abs());
        assert!((ours - theirs).abs() < 1e-5, "{id} parameter {k}: gradient {ours} vs glmmTMB {theirs}");
        assert!(ours.abs() < 5e-3, "{id} parameter {k}: gradient {ours} is not about zero at the optimum");
    }
    let (mut mode_error, mut var_error): (f64, f64) = (0.0, 0.0);
    for (t, term) in golden.terms.iter().enumerate() {
        let q = model.terms()[t].q;
        let (modes, vars) = (la.modes(t), la.conditional_variances(t));
        for (r, level) in term.levels.iter().enumerate() {
            let l = labels[t]
                .iter()
                .position(|x| x == level)
                .unwrap_or_else(|| panic!("{id}: level {level} of {}", term.group));
            for c in 0..q {
                let (m, v) = (modes[l * q + c], vars[l * q + c]);
                mode_error = mode_error.max((m - term.modes[r][c]).abs());
                var_error = var_error.max(relative(v, term.condvar[r][c]));
                assert!(
                    (m - term.modes[r][c]).abs() < 1e-6,
                    "{id} {} {level}: mode {m} vs {}",
                    term.group,
                    term.modes[r][c]
                );
                assert!(
                    relative(v, term.condvar[r][c]) < 1e-5,
                    "{id} {} {level}: variance {v} vs {}",
                    term.group,
                    term.condvar[r][c]
                );
            }
        }
    }
    [loglik_error, gradient_error, mode_error, var_error]
}

#[test]
fn agrees_with_glmmtmb_at_its_optimum() {
    for name in [
        "la_year.nbinom2",
        "crossed2.poisson",
        "crossed_slope.nbinom1",
        "crossed3.nbinom2",
        "field.poisson",
        "field_area.nbinom2",
    ] {
        for factorisation in [Factorisation::Simplicial, Factorisation::Supernodal] {
            let [l, g, m, v] = check_golden(name, factorisation);
            println!(
                "{name} ({factorisation:?}): |logLik diff| {l:.1e}, |gradient diff| {g:.1e}, |mode diff| {m:.1e}, \
                 rel. variance diff {v:.1e}"
            );
        }
    }
}

#[test]
fn malformed_terms_are_refused_with_their_name() {
    let y = vec![1.0, 0.0, 3.0];
    let x = vec![1.0; 3];
    let bad_level = EffectTerm::unstructured("la", 2, vec![0, 1, 2], 1, vec![1.0; 3]);
    let e = SparseModel::new(y.clone(), vec![0.0; 3], x.clone(), 1, vec![bad_level]).unwrap_err();
    assert!(matches!(&e, FitError::InvalidRandomTerm { group, .. } if group == "la"), "{e}");
    assert!(e.to_string().contains("row 3"), "{e}");
    let field = ExponentialField::new(vec![0.0, 1.0], vec![0.0, 0.0]).unwrap();
    let wrong_q = EffectTerm {
        q: 2,
        z: vec![1.0; 6],
        ..EffectTerm::structured("pos", vec![0, 1, 1], vec![1.0; 3], Box::new(field))
    };
    let e = SparseModel::new(y.clone(), vec![0.0; 3], x.clone(), 1, vec![wrong_q]).unwrap_err();
    assert!(e.to_string().contains("one random-effect column"), "{e}");
    let nan = EffectTerm::unstructured("year", 2, vec![0, 1, 1], 1, vec![1.0, f64::NAN, 1.0]);
    let e = SparseModel::new(y, vec![0.0; 3], x, 1, vec![nan]).unwrap_err();
    assert!(e.to_string().contains("row 2"), "{e}");
}
