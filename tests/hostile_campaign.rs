//! A hostile campaign: seeded, generated malformed and extreme inputs for whole requests, as a
//! careless or hostile user would send them, each judged automatically.
//!
//! - **Page requests**: what the page's worker asks of the engine's `Session` through the
//!   bindings (a file's bytes, its overview, the readiness of a request given as JSON, a fit, then
//!   the model's checks, random effects, profiles, predictions, views, comparisons and R script).
//! - **Command-line requests**: `socgrad fit` and `socgrad compare-models` run as processes on
//!   generated files and arguments.
//!
//! Inputs: files with cells that are not numbers (`inf`, `1e400`, `0x10`, `n/a`, `1,000`, ...),
//! broken CSV syntax (ragged rows, unclosed quotes, binary bytes, empty headers, a truncated
//! file), numeric extremes (covariates of 1e200 and 1e-200, all-zero counts, constant or
//! identical coordinates), hostile formulas (unknown columns, control characters, 300 terms,
//! deep nesting, factor slopes, three grouping factors) and abused options (quadrature points,
//! iterations, tolerances, simulations, predictions at 1e300).
//!
//! Verdicts for every case: no panic and no crash; nothing runs past 30 s; every refusal is a
//! message of some length that names what is wrong (a row, a line, a column, a term or the
//! file, in quotes or by number). The totals are printed (`cargo test --test hostile_campaign --
//! --nocapture`) and quoted in the README.

use socgrad::diagnostics::CheckOptions;
use socgrad::fit_views::{RScriptRequest, ViewRequest};
use socgrad::pipeline::{EngineError, FitRequest, Session};
use socgrad::random::Rng;
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SEED: u64 = 0x5eed_bad_ce11;
const PAGE_CASES: usize = 1500;
const CLI_CASES: usize = 200;
const LIMIT: Duration = Duration::from_secs(30);

fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    &items[rng.int_between(0, items.len() - 1)]
}

// --- Files ---------------------------------------------------------------------------------

/// Cells that are not plain numbers.
const HOSTILE_CELLS: [&str; 26] = [
    "inf",
    "-Inf",
    "Infinity",
    "nan",
    "1e400",
    "-1e400",
    "0x10",
    "TRUE",
    "five",
    "n/a",
    "none",
    "x",
    "1_000",
    "1 000",
    "\"1,000\"",
    "\"0,54\"",
    "12%",
    "",
    "NA",
    "-1",
    "1e308",
    "1e-300",
    "0.5",
    "9999999999999999999999",
    "\"a\"\"b\"",
    "é",
];

/// A valid aggregate file: count, pop, imd, la, msoa, code, easting, northing.
fn base_rows(rng: &mut Rng) -> (Vec<String>, Vec<Vec<String>>) {
    let n = rng.int_between(3, 300);
    let las = rng.int_between(1, 30);
    let header =
        ["count", "pop", "imd", "la", "msoa", "code", "easting", "northing"].map(String::from).to_vec();
    let rows = (0..n)
        .map(|i| {
            let la = i % las;
            let imd = rng.normal();
            let pop = rng.int_between(50, 3000) as f64;
            let mu = pop / 1000.0 * (0.5 * imd).exp();
            vec![
                rng.poisson(mu).to_string(),
                pop.to_string(),
                format!("{imd:.4}"),
                format!("L{la}"),
                format!("L{la}M{}", i % 4),
                format!("C{}", rng.int_between(0, 60)),
                format!("{:.0}", 400_000.0 + 1000.0 * rng.normal()),
                format!("{:.0}", 300_000.0 + 1000.0 * rng.normal()),
            ]
        })
        .collect();
    (header, rows)
}

/// A generated file, with a few of its mutations named for the totals.
fn hostile_file(rng: &mut Rng) -> (Vec<u8>, &'static str) {
    let (mut header, mut rows) = base_rows(rng);
    let class = *pick(
        rng,
        &["cells", "cells", "cells", "syntax", "extremes", "extremes", "valid", "coordinates", "bytes"],
    );
    match class {
        "cells" => {
            for _ in 0..rng.int_between(1, 4) {
                let r = rng.int_between(0, rows.len() - 1);
                let widest = 2 + rng.int_between(0, 5);
                let c = rng.int_between(0, widest);
                rows[r][c] = pick(rng, &HOSTILE_CELLS).to_string();
            }
            if rng.uniform() < 0.2 {
                // A whole column written with decimal commas or thousands separators.
                let c = rng.int_between(0, 2);
                for row in &mut rows {
                    row[c] = format!("\"{}\"", row[c].replace('.', ","));
                }
            }
        }
        "syntax" => match rng.int_between(0, 6) {
            0 => {
                let r = rng.int_between(0, rows.len() - 1);
                rows[r].pop();
            }
            1 => {
                let r = rng.int_between(0, rows.len() - 1);
                rows[r].push("extra".into());
            }
            2 => header[0] = "\"count".into(),
            3 => header[2] = String::new(),
            4 => header[3] = "count".into(),
            5 => rows.clear(),
            _ => {
                let r = rng.int_between(0, rows.len() - 1);
                rows[r][3] = "\"L1".into();
            }
        },
        "extremes" => {
            let (c, factor) = *pick(rng, &[(2usize, 1e200), (2, 1e-200), (1, 1e300), (0, 0.0), (2, 0.0)]);
            for row in &mut rows {
                let v: f64 = row[c].parse().unwrap_or(1.0);
                row[c] = format!("{}", (v * factor).round().max(if c == 0 { 0.0 } else { f64::MIN }));
                if c == 2 {
                    row[c] = format!("{:e}", v * factor);
                }
            }
        }
        "coordinates" => {
            for row in &mut rows {
                row[6] = "400000".into();
                row[7] = "300000".into();
            }
        }
        _ => {}
    }
    let sep = if rng.uniform() < 0.15 { ";" } else { "," };
    let mut text = header.join(sep) + "\n";
    for row in &rows {
        text.push_str(&row.join(sep));
        text.push_str(if rng.uniform() < 0.05 { "\r\n" } else { "\n" });
    }
    let mut bytes = text.into_bytes();
    if class == "bytes" {
        match rng.int_between(0, 3) {
            0 => {
                let at = rng.int_between(0, bytes.len());
                bytes.truncate(at);
            }
            1 => {
                let at = rng.int_between(0, bytes.len().saturating_sub(1));
                bytes.insert(at, 0);
            }
            2 => bytes.splice(0..0, [0xFF, 0xFE]).for_each(drop),
            _ => {
                let at = rng.int_between(0, bytes.len().saturating_sub(1));
                bytes.insert(at, 0xE9);
            }
        }
    }
    (bytes, class)
}

// --- Requests ------------------------------------------------------------------------------

const FORMULAS: [&str; 22] = [
    "count ~ imd + offset(log(pop)) + (1 | la)",
    "count ~ imd + offset(log(pop / 10000))",
    "count ~ within(imd, la) + between(imd, la) + offset(log(pop)) + (1 + imd | la)",
    "count ~ imd + offset(log(pop)) + (1 | la/msoa)",
    "count ~ imd * code + offset(log(pop))",
    "count ~ imd + code + offset(log(pop))",
    "count ~ imd + offset(log(pop)) + (1 + code | la)",
    "count ~ imd + (1 | la) + (1 | msoa) + (1 | code)",
    "count ~ imd + offset(log(pop)) + (1 | la) + (0 + imd | la)",
    "count ~ scale(imd) + log(pop)",
    "count ~ I(imd^400) + offset(log(pop))",
    "count ~ log(imd) + offset(log(pop))",
    "count ~ nosuch + offset(log(pop))",
    "la ~ imd",
    "count ~",
    "~ imd",
    "count ~ imd +",
    "count ~ imd\u{7} + offset(log(pop))",
    "count ~ imd + offset(log(-pop))",
    "count ~ poly(imd, 2)",
    "count ~ imd + (1 | la",
    "count ~ `imd` + offset(log(pop)) + (1 | code)",
];

fn hostile_formula(rng: &mut Rng) -> String {
    match rng.int_between(0, 9) {
        0 => format!("count ~ {}", (0..300).map(|i| format!("I(imd * {i})")).collect::<Vec<_>>().join(" + ")),
        1 => format!("count ~ {}imd{}", "(".repeat(500), ")".repeat(500)),
        _ => pick(rng, &FORMULAS).to_string(),
    }
}

/// A fit request as the page sends it: JSON with the options a user could abuse.
fn hostile_request_json(rng: &mut Rng, formula: &str) -> String {
    let family = *pick(rng, &["\"poisson\"", "\"nbinom2\"", "\"nbinom1\"", "\"nbinom2\"", "\"binomial3\""]);
    let mut fields = vec![format!("\"formula\": {}", serde_json::to_string(formula).unwrap_or_default())];
    fields.push(format!("\"family\": {family}"));
    if rng.uniform() < 0.25 {
        fields.push(format!("\"nagq\": {}", pick(rng, &["0", "1", "5", "1000", "-1", "1e9"])));
    }
    if rng.uniform() < 0.2 {
        fields.push(format!("\"max_iter\": {}", pick(rng, &["0", "1", "3", "1000000000"])));
    }
    if rng.uniform() < 0.2 {
        fields.push(format!("\"grad_tol\": {}", pick(rng, &["0", "-1", "1e-30", "1e10", "null"])));
    }
    if rng.uniform() < 0.2 {
        fields.push("\"profile\": true".into());
    }
    format!("{{{}}}", fields.join(", "))
}

// --- Verdicts ------------------------------------------------------------------------------

#[derive(Default)]
struct Totals {
    cases: usize,
    requests: usize,
    accepted: usize,
    refused: BTreeMap<String, usize>,
    classes: BTreeMap<&'static str, usize>,
    slowest: Duration,
    failures: Vec<String>,
}

impl Totals {
    /// Judges one refusal: a message that names what is wrong.
    fn refusal(&mut self, case: &str, kind: &str, message: &str) {
        *self.refused.entry(kind.to_owned()).or_default() += 1;
        if !names_what(message) {
            self.failures.push(format!("{case}: a refusal that names nothing: {message:?}"));
        }
    }

    fn time(&mut self, case: &str, took: Duration) {
        self.slowest = self.slowest.max(took);
        if took > LIMIT {
            self.failures.push(format!("{case}: ran for {took:?}"));
        }
    }
}

/// A refusal names what is wrong: a quoted name or value, a row, line, column, term or position,
/// or the file as a whole, in a sentence of some length.
fn names_what(message: &str) -> bool {
    let m = message.to_lowercase();
    message.len() >= 25
        && [
            "'",
            "row",
            "line",
            "column",
            "term",
            "character",
            "formula",
            "file",
            "family",
            "nagq",
            "option",
            "simulations",
            "grouping factor",
        ]
        .iter()
        .any(|w| m.contains(w))
}

fn kind_of(e: &EngineError) -> String {
    serde_json::to_value(e)
        .ok()
        .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_owned))
        .unwrap_or_else(|| "other".into())
}

/// Runs `work` timed, catching a panic as a failure of `case`.
fn judged<T>(totals: &mut Totals, case: &str, work: impl FnOnce() -> T) -> Option<T> {
    let started = Instant::now();
    let out = catch_unwind(AssertUnwindSafe(work));
    totals.time(case, started.elapsed());
    totals.requests += 1;
    match out {
        Ok(v) => Some(v),
        Err(_) => {
            totals.failures.push(format!("{case}: panicked"));
            None
        }
    }
}

/// Judges the result of one request.
fn outcome<T>(totals: &mut Totals, case: &str, result: Option<Result<T, EngineError>>) -> Option<T> {
    match result? {
        Ok(v) => {
            totals.accepted += 1;
            Some(v)
        }
        Err(e) => {
            totals.refusal(case, &kind_of(&e), &e.to_string());
            None
        }
    }
}

/// One page-level case: the requests the page's worker makes, in the page's order.
fn page_case(rng: &mut Rng, totals: &mut Totals, index: usize) {
    let (bytes, class) = hostile_file(rng);
    *totals.classes.entry(class).or_default() += 1;
    totals.cases += 1;
    let case = format!("page case {index} ({class})");
    let opened = judged(totals, &case, || Session::open(&bytes));
    let Some(mut session) = outcome(totals, &case, opened) else { return };
    judged(totals, &case, || serde_json::to_string(&session.overview(20)).map(|_| ()));
    for b in session.bad_cells() {
        if !(b.message.contains(&format!("'{}'", b.column)) && b.cells.iter().all(|c| c.row >= 1)) {
            totals
                .failures
                .push(format!("{case}: a bad cell report that names no column or row: {}", b.message));
        }
    }
    let formula = hostile_formula(rng);
    let json = hostile_request_json(rng, &formula);
    let request: FitRequest = match serde_json::from_str(&json) {
        Ok(r) => r,
        Err(e) => {
            // The bindings refuse a request that does not deserialise, naming the field.
            totals.refusal(&case, "request_json", &format!("fit request: {e}"));
            return;
        }
    };
    let ready = judged(totals, &case, || session.readiness(&request));
    outcome(totals, &case, ready);
    let view = ViewRequest::default();
    let fitted = judged(totals, &case, || session.fit(&request, &view, &mut |_| {}).map(|_| ()));
    if outcome(totals, &case, fitted).is_none() {
        return;
    }
    let simulations = *pick(rng, &[0usize, 1, 20, 100]);
    let checked =
        judged(totals, &case, || session.check_model(&CheckOptions { simulations, seed: 1 }).map(|_| ()));
    outcome(totals, &case, checked);
    let ranef = judged(totals, &case, || session.random_effects().map(|_| ()));
    outcome(totals, &case, ranef);
    let at = vec![("imd".to_owned(), *pick(rng, &[0.0, 1.0, 1e300, -1e300, f64::NAN]))];
    let level = if rng.uniform() < 0.5 { Some(("msoa", "L1M1")) } else { Some(("la", "L0")) };
    let predicted = judged(totals, &case, || {
        session.predict(&at, Some("imd"), level).and_then(|p| {
            serde_json::to_value(&p).map_err(|e| EngineError::Request { message: e.to_string() }).and_then(
                |v| match v.pointer("/rate/rate") {
                    Some(serde_json::Value::Null) => Err(EngineError::Request {
                        message: "a prediction without a rate and without a message".into(),
                    }),
                    _ => Ok(()),
                },
            )
        })
    });
    if let Some(Err(EngineError::Request { message })) = &predicted {
        if message.starts_with("a prediction without") {
            totals.failures.push(format!("{case}: {message}"));
        }
    }
    outcome(totals, &case, predicted);
    if rng.uniform() < 0.3 {
        let terms = vec![pick(rng, &["imd", "nosuch", "(Intercept)"]).to_string()];
        let profiled = judged(totals, &case, || session.profile(&terms).map(|_| ()));
        outcome(totals, &case, profiled);
    }
    if rng.uniform() < 0.3 {
        let second = FitRequest::new(&hostile_formula(rng), request.family);
        let compared = judged(totals, &case, || session.compare_models(&request, &second).map(|_| ()));
        outcome(totals, &case, compared);
    }
    let script = judged(totals, &case, || {
        let request: RScriptRequest = serde_json::from_str(r#"{"file_name": "data.csv"}"#)
            .map_err(|e| EngineError::Request { message: e.to_string() })?;
        session.r_script(&request).map(|_| ())
    });
    outcome(totals, &case, script);
    // Every text report renders without NaN, and a bad cell never turns a number column into a
    // factor: no coefficient is named after a level of imd.
    if let Ok(model) = session.fitted() {
        for c in &model.report.coefficients {
            if c.term.starts_with("imd") && c.term != "imd" && !c.term.starts_with("imd:") {
                totals.failures.push(format!("{case}: imd fitted as a factor ({})", c.term));
            }
        }
        let text = model.report.text();
        if text.contains("NaN") {
            totals.failures.push(format!("{case}: 'NaN' in the text report:\n{text}"));
        }
    }
}

/// Runs the command line with a 30 s limit; `(status, stderr, took)`, status `None` when killed.
fn run_cli(args: &[String]) -> (Option<i32>, String, Duration) {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_socgrad"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the command line starts");
    let stderr = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut s) = stderr {
            let _ = std::io::Read::read_to_string(&mut s, &mut text);
        }
        text
    });
    let status = loop {
        if let Ok(Some(status)) = child.try_wait() {
            break status.code();
        }
        if started.elapsed() > LIMIT + Duration::from_secs(5) {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    (status, reader.join().unwrap_or_default(), started.elapsed())
}

fn cli_case(rng: &mut Rng, totals: &mut Totals, index: usize, dir: &std::path::Path) {
    let (bytes, class) = hostile_file(rng);
    *totals.classes.entry(class).or_default() += 1;
    totals.cases += 1;
    let case = format!("command-line case {index} ({class})");
    let path = dir.join(format!("case{index}.csv"));
    std::fs::write(&path, &bytes).expect("writes the case");
    let family = pick(rng, &["poisson", "nbinom2", "nbinom1", "gaussian"]).to_string();
    let mut args: Vec<String> = if rng.uniform() < 0.8 {
        vec![
            "fit".into(),
            path.display().to_string(),
            "--formula".into(),
            hostile_formula(rng),
            "--family".into(),
            family,
        ]
    } else {
        vec![
            "compare-models".into(),
            path.display().to_string(),
            "--formula".into(),
            hostile_formula(rng),
            "--formula".into(),
            hostile_formula(rng),
            "--family".into(),
            family,
        ]
    };
    if args[0] == "fit" {
        let extra: &[&[&str]] = &[
            &[],
            &["--json"],
            &["--check", "--simulations", "50"],
            &["--ranef"],
            &["--nagq", "7"],
            &["--predict", "imd=1e300"],
            &["--predict", "imd=1", "--la", "L0", "--group", "msoa"],
            &["--profile"],
            &["--many-levels"],
        ];
        args.extend(pick(rng, extra).iter().map(|s| s.to_string()));
    }
    totals.requests += 1;
    let (status, stderr, took) = run_cli(&args);
    totals.time(&case, took);
    match status {
        Some(0) => totals.accepted += 1,
        Some(2) => {
            let message = stderr.lines().find(|l| l.starts_with("error")).unwrap_or("").to_owned();
            totals.refusal(&case, "command_line", &message);
        }
        other => totals.failures.push(format!("{case}: exit {other:?}, args {args:?}: {stderr}")),
    }
    if stderr.contains("panicked") {
        totals.failures.push(format!("{case}: panicked: {stderr}"));
    }
}

#[test]
fn hostile_requests_never_panic_hang_or_refuse_without_naming_the_problem() {
    let mut rng = Rng::new(SEED);
    let mut totals = Totals::default();
    let started = Instant::now();
    for i in 0..PAGE_CASES {
        page_case(&mut rng, &mut totals, i);
    }
    let dir = std::env::temp_dir().join(format!("socgrad-campaign-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    for i in 0..CLI_CASES {
        cli_case(&mut rng, &mut totals, i, &dir);
    }
    let _ = std::fs::remove_dir_all(&dir);
    let refused: usize = totals.refused.values().sum();
    println!(
        "hostile campaign (seed {SEED:#x}): {} cases ({PAGE_CASES} page, {CLI_CASES} command line), {} requests: \
         {} answered, {refused} refused {:?}; files by class {:?}; slowest request {:.2} s; all {:.1} s; {} failures",
        totals.cases,
        totals.requests,
        totals.accepted,
        totals.refused,
        totals.classes,
        totals.slowest.as_secs_f64(),
        started.elapsed().as_secs_f64(),
        totals.failures.len()
    );
    assert!(totals.failures.is_empty(), "{}", totals.failures.join("\n"));
}
