//! Times the fitting engine natively on a national-size data set (from `bench_data`), for the
//! benchmark table printed by `scripts/bench.sh`.
//!
//! Usage: `cargo run --release --example bench -- DATA.csv [--repeat N] [--json] [--model NAME]`
//!
//! `--model NAME` times one benchmark model alone (a name of [`MODELS`]), or with `check` the model
//! check alone, so that a whole-process timer can compare one model between two builds.
//!
//! For each benchmark model it reads nothing again: the CSV is parsed once (timed separately), then
//! every model is fitted `N` times (default 3) through the same front door as the CLI and the page
//! (a `Session`: formula, design, fit, report) and the median wall-clock time is printed with the
//! log-likelihood, so that runs can be checked against glmmTMB's. It then times the model check
//! (250 simulated data sets, scaled residuals and tests) of the [`CHECKED`] model.

use std::process::ExitCode;
use std::time::Instant;

use socgrad::diagnostics::CheckOptions;
use socgrad::fit::Family;
use socgrad::pipeline::{FitRequest, Session};

/// The benchmark models: name, family and random part added to the fixed part below. The same list
/// as `scripts/bench_glmmtmb.R` and `scripts/bench-wasm.mjs`.
pub const FIXED: &str = "count ~ imd_z * la_imd + offset(log(pop/10000))";
pub const MODELS: [(&str, Family, &str); 5] = [
    ("poisson_glm", Family::Poisson, ""),
    ("nb2_glm", Family::Nbinom2, ""),
    ("nb2_la_intercept", Family::Nbinom2, " + (1 | la)"),
    ("nb2_la_slope", Family::Nbinom2, " + (1 + imd_z | la)"),
    ("nb1_la_msoa", Family::Nbinom1, " + (1 | la/msoa)"),
];

/// The model whose check is timed (the page's default check: 250 simulations).
pub const CHECKED: usize = 2;

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: bench DATA.csv [--repeat N] [--json]");
        return ExitCode::from(2);
    };
    let repeat = args
        .iter()
        .position(|a| a == "--repeat")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(3)
        .max(1);
    let json = args.iter().any(|a| a == "--json");
    let only = args.iter().position(|a| a == "--model").map(|i| args.get(i + 1).map(String::as_str));
    let only = match only {
        None => None,
        Some(Some(name)) if name == "check" || MODELS.iter().any(|m| m.0 == name) => Some(name),
        Some(name) => {
            let names: Vec<&str> = MODELS.iter().map(|m| m.0).collect();
            eprintln!(
                "error: --model takes one of {} or check, got {:?}",
                names.join(", "),
                name.unwrap_or("")
            );
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
    let start = Instant::now();
    let mut session = match Session::open(&bytes) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let read_seconds = start.elapsed().as_secs_f64();

    let mut rows = Vec::new();
    for (name, family, random) in MODELS {
        if only.is_some_and(|o| o != name) {
            continue;
        }
        let request = FitRequest::new(&format!("{FIXED}{random}"), family);
        let mut times = Vec::new();
        let mut loglik = f64::NAN;
        let mut converged = false;
        for _ in 0..repeat {
            let start = Instant::now();
            match session.fit_report(&request, &mut |_| {}) {
                Ok(report) => {
                    times.push(start.elapsed().as_secs_f64());
                    loglik = report.loglik;
                    converged = report.converged;
                }
                Err(e) => {
                    eprintln!("error: {name}: {e}");
                    return ExitCode::from(1);
                }
            }
        }
        rows.push((name, median(times), loglik, converged));
    }

    let (check_name, family, random) = MODELS[CHECKED];
    let options = CheckOptions::default();
    let mut check_seconds = None;
    if only.is_none_or(|o| o == "check") {
        let request = FitRequest::new(&format!("{FIXED}{random}"), family);
        if let Err(e) = session.fit_model(&request, &mut |_| {}) {
            eprintln!("error: {check_name}: {e}");
            return ExitCode::from(1);
        }
        let Some(model) = session.model() else { return ExitCode::from(1) };
        let mut check_times = Vec::new();
        for _ in 0..repeat {
            let start = Instant::now();
            if let Err(e) = model.check(session.frame(), &options) {
                eprintln!("error: checking {check_name}: {e}");
                return ExitCode::from(1);
            }
            check_times.push(start.elapsed().as_secs_f64());
        }
        check_seconds = Some(median(check_times));
    }

    if json {
        let models: serde_json::Map<String, serde_json::Value> = rows
            .iter()
            .map(|(name, secs, ll, conv)| {
                (name.to_string(), serde_json::json!({ "seconds": secs, "loglik": ll, "converged": conv }))
            })
            .collect();
        let mut out = serde_json::json!({
            "rows": session.frame().nrows(), "read_csv_seconds": read_seconds, "models": models
        });
        if let Some(seconds) = check_seconds {
            out["check"] = serde_json::json!({ "model": check_name, "simulations": options.simulations, "seconds": seconds });
        }
        println!("{out}");
    } else {
        println!("{} rows; read_csv {:.3} s", session.frame().nrows(), read_seconds);
        for (name, secs, ll, conv) in rows {
            println!(
                "{name:<18} {secs:>8.3} s   logLik {ll:.4}{}",
                if conv { "" } else { "  (not converged)" }
            );
        }
        if let Some(seconds) = check_seconds {
            println!("check of {check_name} ({} simulations) {seconds:>8.3} s", options.simulations);
        }
    }
    ExitCode::SUCCESS
}
