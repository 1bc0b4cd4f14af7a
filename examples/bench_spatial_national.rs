//! Fits a spatial field over all 32,844 English LSOAs with the nearest-neighbour approximation
//! (model and simulated counts in `common/spatial_national.rs`) and prints where the time and
//! memory go. A benchmark that prints figures, not a test; `scripts/bench-spatial-national.sh`
//! runs it with the WebAssembly build.
//!
//! Usage: `cargo run --release --example bench_spatial_national [-- NEIGHBOURS...]` (default 10).
//!
//! Prints, for each number of neighbours `m`: the field's construction (maximin ordering and
//! neighbour search), the symbolic analysis of `H` (its entries and its Cholesky factor's), one
//! evaluation of the field's precision alone, a cold evaluation of the objective, the fit (wall
//! time, evaluations, estimates against the simulation's truth), and the process's peak resident
//! memory (VmHWM).

use std::process::ExitCode;
use std::time::Instant;

use socgrad::fit::sparse::{PrecisionValues, SparseLaplace, SparseModel, Structure};
use socgrad::fit::Family;

#[path = "common/spatial_national.rs"]
mod spatial_national;

use spatial_national::{fit, national_model, start, TRUTH};

/// Peak resident memory of this process in MiB (Linux), if known.
fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn run(table: &[u8], centroids: &[u8], m: usize) -> Result<(), String> {
    let t = Instant::now();
    let model = national_model(table, centroids, m)?;
    let build = t.elapsed().as_secs_f64();
    // The fit borrows the model for the rest of the process.
    let model: &'static SparseModel = Box::leak(Box::new(model));
    let Structure::Precision(field) = &model.terms()[0].structure else { unreachable!() };
    let t = Instant::now();
    let mut values = PrecisionValues::default();
    if !field.evaluate(&start(model)[3..], &mut values) {
        return Err("the field's precision does not evaluate at the start".into());
    }
    let precision = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut laplace = SparseLaplace::new(model, Family::Nbinom2).map_err(|e| e.to_string())?;
    let analyse = t.elapsed().as_secs_f64();
    let size = laplace.structure_size();
    let psi = start(model);
    let mut grad = vec![0.0; psi.len()];
    let t = Instant::now();
    laplace.evaluate(&psi, &mut grad).ok_or("the objective does not evaluate at the start")?;
    let cold = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let fitted = fit(&mut laplace, &psi)?;
    let fitting = t.elapsed().as_secs_f64();
    let p = &fitted.psi;
    println!("m = {m}: {} LSOAs, {} points in the field", model.n(), field.dimension());
    println!("  data and field (simulation with 30 neighbours, ordering and neighbours): {build:.2} s");
    println!("  precision of the field alone (Q, dQ, ln|Q|): {:.3} s", precision);
    println!(
        "  symbolic analysis: {analyse:.2} s; H has {} entries, its Cholesky factor {} ({})",
        size.hessian_entries,
        size.factor_entries,
        if size.supernodal { "supernodal" } else { "simplicial" }
    );
    println!("  one cold evaluation (modes from zero, value and gradient): {cold:.2} s");
    println!(
        "  fit: {fitting:.1} s, {} evaluations ({} quasi-Newton, {} Newton), {:.2} s each, converged: {}",
        fitted.evaluations,
        fitted.quasi_newton_evaluations,
        fitted.evaluations - fitted.quasi_newton_evaluations,
        fitting / fitted.evaluations as f64,
        fitted.converged
    );
    println!(
        "  estimates (truth): intercept {:.4} ({}), imd_z {:.4} ({}), theta {:.2} ({}), sd {:.4} ({}), \
         range {:.0} m ({} m); logLik {:.3}",
        p[0],
        TRUTH[0],
        p[1],
        TRUTH[1],
        p[2].exp(),
        TRUTH[2],
        p[3].exp(),
        TRUTH[3],
        p[4].exp(),
        TRUTH[4],
        fitted.loglik
    );
    println!(
        "  total {:.1} s; peak resident memory {}",
        build + analyse + cold + fitting,
        peak_memory_mib().map_or("unknown".into(), |m| format!("{m:.0} MiB"))
    );
    Ok(())
}

fn main() -> ExitCode {
    let neighbours: Vec<usize> = {
        let given: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
        if given.is_empty() {
            vec![10]
        } else {
            given
        }
    };
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |name: &str| std::fs::read(root.join("data").join(name));
    let (Ok(table), Ok(centroids)) = (read("england_lsoa11.csv"), read("england_lsoa11_centroids.csv"))
    else {
        eprintln!("error: data/england_lsoa11.csv and data/england_lsoa11_centroids.csv are needed");
        return ExitCode::FAILURE;
    };
    for m in neighbours {
        if let Err(e) = run(&table, &centroids, m) {
            eprintln!("error: m = {m}: {e}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
