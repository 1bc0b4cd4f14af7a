//! Benchmark (not a test): the page's national spatial model natively, stage by stage. Reads the
//! CSV written by `examples/national_page_sample.rs` and fits
//! `FORMULA + exp(pos(easting, northing) + 0 | country)` (Poisson) with the nearest-neighbour
//! approximation, printing the CPU and wall time of the setup (formula, design, start values,
//! neighbours, symbolic analysis), of every reported step, of the work after the last step
//! (intervals, modes) and of the page's views.
//!   cargo run --release --example bench_national_page -- england.csv "$(cat formula.txt)" [NEIGHBOURS]
//! (the CSV and formula from `examples/national_page_sample.rs`; 20 neighbours unless given).
use std::time::Instant;

use socgrad::fit::Family;
use socgrad::fit_views::{fit_views, ViewRequest};
use socgrad::pipeline::{FitRequest, PreparedModel, Session};

/// CPU seconds (user + system) of this process, from /proc (Linux); 0 elsewhere.
fn cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks = |k: usize| fields.get(k).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bytes = std::fs::read(&args[1]).expect("the sample's CSV");
    let formula = format!("{} + exp(pos(easting, northing) + 0 | country)", args[2]);
    let m = args.get(3).and_then(|v| v.parse().ok()).unwrap_or(20);
    let session = Session::open(&bytes).expect("the CSV reads");
    let mut request = FitRequest::new(&formula, Family::Poisson);
    request.field_neighbours = Some(m);
    let (t0, c0) = (Instant::now(), cpu());
    let mut mark = (t0, c0);
    let mut lap = |what: &str| {
        let (t, c) = (Instant::now(), cpu());
        println!(
            "{:>8.2} s wall {:>8.2} s CPU  (+{:.2} s CPU)  {what}",
            (t - t0).as_secs_f64(),
            c - c0,
            c - mark.1
        );
        mark = (t, c);
    };
    let prepared = PreparedModel::new(session.frame(), &request).expect("the model builds");
    lap("prepared (formula, design, field's neighbours, symbolic analysis)");
    let model = prepared
        .fit(&mut |p| lap(&format!("{:?} step {}: objective {:.6}", p.stage, p.iteration, p.objective)))
        .expect("the fit");
    lap("fit done (after the last step: optimum's Hessian, intervals, modes)");
    let views = fit_views(model.parts(), session.frame(), &ViewRequest::default());
    lap("views");
    println!("logLik {:.3}; {}", model.report.loglik, std::mem::size_of_val(&views));
    for c in &model.report.coefficients {
        println!("  {} {:.6} se {:.6}", c.term, c.estimate, c.std_error);
    }
}
