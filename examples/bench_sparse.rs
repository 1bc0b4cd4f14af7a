//! Times one evaluation of the general sparse Laplace objective (value and exact gradient, the
//! modes warm, as inside a fit) on panel- and national-size models, and the block-arrow
//! evaluator on the same nested models. A benchmark that prints figures, not a test.
//!
//! Usage: `cargo run --release --example bench_sparse [-- --evaluations N] [--only TEXT]`
//! (`--only` times the models whose name contains TEXT).
//!
//! Models:
//! - the real LA-by-year panel (151 LAs x 13 years, children looked after,
//!   `tests/reference/sparse/data/la_year_cla.csv`) with crossed LA and year intercepts, at
//!   glmmTMB's optimum;
//! - a panel of the 32,844 real LSOAs of `data/england_lsoa11.csv` x 3 years with synthetic
//!   counts, crossed neighbourhood and year intercepts, and the same with LA, MSOA and year
//!   intercepts;
//! - the national nested models on the 32,844 LSOAs (LA and MSOA intercepts; LA intercepts and
//!   deprivation slopes with MSOA intercepts), by both evaluators at the same parameters;
//! - an exact exponential field over 200 and 1,000 points (one row each; at most 5 warm
//!   evaluations): its cost is cubic in the number of points.
//!
//! For each: the structure (random effects, entries of `H` and of its Cholesky factor, whether
//! the factorisation is simplicial or supernodal), the symbolic analysis, a first (cold) evaluation, and the median and the fastest of N warm
//! evaluations at points that move by about 1e-3 per parameter from one to the next, as an
//! optimiser's do (on a shared machine the fastest is the better estimate of the cost).

use std::process::ExitCode;
use std::time::Instant;

use socgrad::fit::sparse::{EffectTerm, ExponentialField, NestedLaplace, SparseLaplace, SparseModel};
use socgrad::fit::Family;

#[path = "common/sparse_panel.rs"]
mod sparse_panel;

use sparse_panel::{design, lsoa_panel, models, nearby, points, Rng, Source};

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

struct Timing {
    setup: f64,
    cold: f64,
    warm: f64,
    fastest: f64,
    value: f64,
}

/// Times an evaluator: `make` builds it (timed as the setup), then one cold evaluation at
/// `psi` and `evaluations` warm ones at points moving from it.
fn time<E>(
    make: impl FnOnce() -> E,
    mut evaluate: impl FnMut(&mut E, &[f64], &mut [f64]) -> Option<f64>,
    psi: &[f64],
    evaluations: usize,
) -> Result<Timing, String> {
    let start = Instant::now();
    let mut evaluator = make();
    let setup = start.elapsed().as_secs_f64();
    let mut grad = vec![0.0; psi.len()];
    let start = Instant::now();
    let value = evaluate(&mut evaluator, psi, &mut grad).ok_or("no value at the starting point")?;
    let cold = start.elapsed().as_secs_f64();
    let mut rng = Rng(7);
    let mut point = psi.to_vec();
    let mut times = Vec::with_capacity(evaluations);
    for _ in 0..evaluations {
        nearby(psi, &mut rng, &mut point);
        let start = Instant::now();
        evaluate(&mut evaluator, &point, &mut grad).ok_or("no value at a point near the start")?;
        times.push(start.elapsed().as_secs_f64());
    }
    let fastest = times.iter().copied().fold(f64::INFINITY, f64::min);
    Ok(Timing { setup, cold, warm: median(times), fastest, value })
}

fn run(evaluations: usize, only: &str) -> Result<(), String> {
    println!(
        "{:<44} {:>7} {:>8} {:>9} {:>9} {:>6} {:>9} {:>9} {:>10} {:>10} {:>16}",
        "model",
        "rows",
        "effects",
        "H nnz",
        "L nnz",
        "factor",
        "setup ms",
        "cold ms",
        "warm ms",
        "fastest",
        "logLik"
    );
    let row = |name: &str, rows: usize, la: Option<&SparseLaplace<&SparseModel>>, t: &Timing| {
        let (effects, h, l, kind) = la.map_or(Default::default(), |la| {
            let s = la.structure_size();
            let kind = if s.supernodal { "super" } else { "simpl" };
            (s.effects.to_string(), s.hessian_entries.to_string(), s.factor_entries.to_string(), kind)
        });
        println!(
            "{name:<44} {rows:>7} {effects:>8} {h:>9} {l:>9} {kind:>6} {:>9.2} {:>9.2} {:>10.3} {:>10.3} {:>16.4}",
            1e3 * t.setup,
            1e3 * t.cold,
            1e3 * t.warm,
            1e3 * t.fastest,
            t.value
        );
    };

    let mut files: Vec<(Source, String)> = Vec::new();
    let mut coordinates = (Vec::new(), Vec::new());
    let table = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/data/england_lsoa11.csv"))
        .map_err(|e| format!("cannot read data/england_lsoa11.csv: {e}"))?;
    for bench in models() {
        let (name, source, psi) = (bench.name, bench.source, &bench.psi);
        if !name.contains(only) {
            continue;
        }
        if !files.iter().any(|&(s, _)| s == source) {
            let csv = match source {
                Source::Panel => std::fs::read_to_string(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/tests/reference/sparse/data/la_year_cla.csv"
                ))
                .map_err(|e| e.to_string())?,
                Source::Lsoa(years) => lsoa_panel(&table, years)?,
                Source::Points(n) => {
                    let (csv, x, y) = points(n);
                    coordinates = (x, y);
                    csv
                }
            };
            files.push((source, csv));
        }
        let csv = &files.iter().find(|&&(s, _)| s == source).expect("generated above").1;
        let d = design(csv.as_bytes(), bench.formula)?;
        let kept: Vec<usize> = (0..d.x.ncols()).collect();
        let mut model = SparseModel::from_design(&d, &kept).map_err(|e| e.to_string())?;
        let mut evaluations = evaluations;
        if let Source::Points(n) = source {
            let field = ExponentialField::new(coordinates.0.clone(), coordinates.1.clone())?;
            let term = EffectTerm::structured("pos", (0..n).collect(), vec![1.0; n], Box::new(field));
            model = model.with_term(term).map_err(|e| e.to_string())?;
            evaluations = evaluations.min(5);
        }
        let t = time(
            || SparseLaplace::new(&model, Family::Nbinom2).expect("the structure is analysed"),
            |la, p, g| la.evaluate(p, g),
            psi,
            evaluations,
        )?;
        let la = SparseLaplace::new(&model, Family::Nbinom2).map_err(|e| e.to_string())?;
        row(&format!("{name}{}", if bench.nested { ", sparse" } else { "" }), d.y.len(), Some(&la), &t);
        if bench.nested {
            let nested = NestedLaplace::new(&d).map_err(|e| e.to_string())?;
            let t = time(|| nested.evaluator(Family::Nbinom2), |f, p, g| f(p, g), psi, evaluations)?;
            row(&format!("{name}, block-arrow"), d.y.len(), None, &t);
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let evaluations = args
        .iter()
        .position(|a| a == "--evaluations")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(21)
        .max(1);
    let only =
        args.iter().position(|a| a == "--only").and_then(|i| args.get(i + 1)).map_or("", String::as_str);
    match run(evaluations, only) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
