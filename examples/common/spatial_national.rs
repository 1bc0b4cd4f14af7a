//! The national spatial benchmark's model and fit, shared by `examples/bench_spatial_national.rs`
//! (native) and `scripts/bench-spatial-national-wasm` (WebAssembly).
//!
//! Every English LSOA (2011) at its population-weighted centroid, with its IMD 2019 score and
//! children aged 0-15 from `data/england_lsoa11.csv` and `data/england_lsoa11_centroids.csv`.
//! Counts are simulated: a field over all 32,844 centroids drawn from the nearest-neighbour
//! approximation with 30 neighbours (`NngpField::simulate`, sd 0.4, range 5 km, seed 2026), then
//! NB2 counts (theta 8) with `log mu = -3.5 + 0.35 imd_z + u + log(children)`, `imd_z` the IMD
//! score standardised over England. The model fitted is
//! `count ~ imd_z + offset(log(children)) + exp(pos(easting, northing) + 0 | one)` with the
//! field approximated by `m` neighbours: quasi-Newton (BFGS) from the finite-difference Hessian at
//! the start, then Newton's method, as the engine's fits do.

use std::collections::HashMap;

use socgrad::data::read_csv;
use socgrad::fit::optimise::minimise::{
    bfgs, evaluate_point, hessian, newton, positive_inverse, Bounds, Objective,
};
use socgrad::fit::sparse::{EffectTerm, NngpField, SparseLaplace, SparseModel};
use socgrad::fit::Family;
use socgrad::random::Rng;

/// The simulation's parameters: intercept, slope, NB2 theta, field sd and range (metres).
pub const TRUTH: [f64; 5] = [-3.5, 0.35, 8.0, 0.4, 5000.0];

/// The national model (one row and one field level per LSOA) with `m` neighbours.
pub fn national_model(table: &[u8], centroids: &[u8], m: usize) -> Result<SparseModel, String> {
    let df = read_csv(table).map_err(|e| e.to_string())?;
    let text = |name: &str| -> Result<Vec<String>, String> {
        let column = df.column(name).ok_or(format!("no column {name} in the LSOA table"))?;
        Ok((0..df.nrows()).map(|i| column.display(i).unwrap_or_default()).collect())
    };
    let number = |name: &str| -> Result<Vec<f64>, String> {
        Ok(text(name)?.iter().map(|v| v.parse::<f64>().unwrap_or(f64::NAN)).collect())
    };
    let (lsoa, imd, children) =
        (text("lsoa11_code")?, number("imd2019_score")?, number("children_0_15_mid2015")?);
    let cdf = read_csv(centroids).map_err(|e| e.to_string())?;
    let code = cdf.column("lsoa11_code").ok_or("no column lsoa11_code in the centroids")?;
    let (east, north) = (
        cdf.column("easting").ok_or("no column easting in the centroids")?,
        cdf.column("northing").ok_or("no column northing in the centroids")?,
    );
    let mut at = HashMap::new();
    for i in 0..cdf.nrows() {
        let parse =
            |c: &socgrad::data::Column| c.display(i).unwrap_or_default().parse::<f64>().unwrap_or(f64::NAN);
        at.insert(code.display(i).unwrap_or_default(), (parse(east), parse(north)));
    }
    let n = lsoa.len();
    let (mut x, mut y) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for l in &lsoa {
        let &(e, no) = at.get(l).ok_or(format!("no centroid for {l}"))?;
        x.push(e);
        y.push(no);
    }
    let mean = imd.iter().sum::<f64>() / n as f64;
    let sd = (imd.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
    let [b0, b1, theta, field_sd, range] = TRUTH;
    let truth_field = NngpField::new(x.clone(), y.clone(), 30)?;
    let u = truth_field.simulate(field_sd, range, 2026)?;
    let mut rng = Rng::new(2027);
    let (mut counts, mut offset, mut design) =
        (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(2 * n));
    for i in 0..n {
        let z = (imd[i] - mean) / sd;
        let pop = children[i].max(1.0);
        let mu = (b0 + b1 * z + u[i]).exp() * pop;
        counts.push(rng.count(Family::Nbinom2, mu, theta) as f64);
        offset.push(pop.ln());
        design.extend([1.0, z]);
    }
    drop(truth_field);
    let field = NngpField::new(x, y, m)?;
    let term = EffectTerm::structured("pos", (0..n).collect(), vec![1.0; n], Box::new(field));
    SparseModel::new(counts, offset, design, 2, vec![term]).map_err(|e| e.to_string())
}

/// The start: the overall log rate, no slope, theta e, sd 0.3, range 10 km.
pub fn start(model: &SparseModel) -> Vec<f64> {
    let exposure: f64 = model.offset().iter().map(|o| o.exp()).sum();
    vec![(model.y().iter().sum::<f64>() / exposure).ln(), 0.0, 1.0, 0.3f64.ln(), 10_000f64.ln()]
}

struct Negated<'a> {
    laplace: &'a mut SparseLaplace<&'static SparseModel>,
    evaluations: usize,
}

impl Objective for Negated<'_> {
    fn evaluate(&mut self, x: &[f64], grad: &mut [f64]) -> Option<f64> {
        self.evaluations += 1;
        let value = self.laplace.evaluate(x, grad)?;
        grad.iter_mut().for_each(|g| *g = -*g);
        Some(-value)
    }
}

/// A finished fit.
pub struct Fitted {
    pub psi: Vec<f64>,
    pub loglik: f64,
    pub evaluations: usize,
    /// Evaluations in the quasi-Newton stage (the rest went to the Newton stage's Hessians).
    pub quasi_newton_evaluations: usize,
    pub converged: bool,
}

/// Maximises the Laplace log-likelihood from `start`.
pub fn fit(laplace: &mut SparseLaplace<&'static SparseModel>, start: &[f64]) -> Result<Fitted, String> {
    let len = start.len();
    let mut obj = Negated { laplace, evaluations: 0 };
    let all: Vec<usize> = (0..len).collect();
    let bounds = Bounds { lower: vec![f64::NEG_INFINITY; len], upper: vec![f64::INFINITY; len] };
    let p0 = evaluate_point(&mut obj, start.to_vec()).ok_or("the start does not evaluate")?;
    let h0 = hessian(&mut obj, start, &all, 1e-4).ok_or("no Hessian at the start")?;
    let quasi = bfgs(&mut obj, p0, &bounds, positive_inverse(&h0), 1e-4, 200, &mut |_, _| {});
    let quasi_newton_evaluations = obj.evaluations;
    let polished = newton(&mut obj, quasi.point, &all, 1e-4, 1e-3, 10, &mut |_, _| {});
    Ok(Fitted {
        loglik: -polished.point.f,
        psi: polished.point.x,
        evaluations: obj.evaluations,
        quasi_newton_evaluations,
        converged: polished.converged,
    })
}
