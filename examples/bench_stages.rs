//! Times, natively, each stage the page runs on a dropped file, so that the browser's figures
//! (`scripts/bench-fit-page.mjs`) can be split into what the engine's work costs and what
//! WebAssembly and the page add.
//!
//! Usage: `cargo run --release --example bench_stages -- DATA.csv [--formula F] [--family F]`
//! (default: NB2 with an LA random intercept, `count ~ imd_z * la_imd + offset(log(pop/10000)) +
//! (1 | la)`, the browser benchmark's model, on a file from `bench_data`).
//!
//! Stages, in the page's order, each timed once (wall clock, seconds, as one JSON object):
//! reading the CSV into a session, the overview the page shows, the formula checked ("Ready"),
//! the fit of the checked design, and the page's views of the fit.

use std::process::ExitCode;
use std::time::Instant;

use socgrad::fit::Family;
use socgrad::fit_views::ViewRequest;
use socgrad::pipeline::{FitRequest, Session};

const FORMULA: &str = "count ~ imd_z * la_imd + offset(log(pop/10000)) + (1 | la)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: bench_stages DATA.csv [--formula F] [--family poisson|nbinom2|nbinom1]");
        return ExitCode::from(2);
    };
    let flag = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let formula = flag("--formula").unwrap_or_else(|| FORMULA.to_owned());
    let family = match flag("--family").as_deref() {
        None | Some("nbinom2") => Family::Nbinom2,
        Some("nbinom1") => Family::Nbinom1,
        Some("poisson") => Family::Poisson,
        Some(other) => {
            eprintln!("error: unknown family {other}");
            return ExitCode::from(2);
        }
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: cannot read {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let mut times: Vec<(&str, f64)> = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name, times: &mut Vec<(&str, f64)>| {
        times.push((name, clock.elapsed().as_secs_f64()));
        clock = Instant::now();
    };
    let mut session = match Session::open(&bytes) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    lap("read", &mut times);
    let overview = session.overview(8);
    lap("overview", &mut times);
    let request = FitRequest::new(&formula, family);
    if let Err(e) = session.readiness(&request) {
        eprintln!("error: {e}");
        return ExitCode::FAILURE;
    }
    lap("readiness", &mut times);
    let loglik = match session.fit_model(&request, &mut |_| {}) {
        Ok(model) => model.report.loglik,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    lap("fit", &mut times);
    if let Err(e) = session.views(&ViewRequest { roles: overview.roles.clone(), ..ViewRequest::default() }) {
        eprintln!("error: {e}");
        return ExitCode::FAILURE;
    }
    lap("views", &mut times);
    let stages: Vec<String> = times.iter().map(|(name, s)| format!("\"{name}_seconds\": {s:.3}")).collect();
    println!("{{\"rows\": {}, \"formula\": \"{formula}\", \"loglik\": {loglik}, {}}}", overview.rows, stages.join(", "));
    ExitCode::SUCCESS
}
