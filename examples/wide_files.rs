//! Times reading wide files natively: 5,000 columns of 20 rows (read, column summaries, role
//! guesses), and a 10 MB header line of unique names with no data (refused as header-only).
//!
//! Usage: `cargo run --release --example wide_files`

use std::time::Instant;

use socgrad::data::{read_csv, summarise};
use socgrad::workflow::roles::guess_roles;

fn main() {
    let names: Vec<String> = (0..5_000).map(|j| format!("v{j}")).collect();
    let mut wide = names.join(",") + "\n";
    for i in 0..20 {
        let row: Vec<String> = (0..5_000).map(|j| format!("{}.5", i * 5_000 + j)).collect();
        wide.push_str(&row.join(","));
        wide.push('\n');
    }
    let start = Instant::now();
    let df = read_csv(wide.as_bytes()).expect("the wide file reads");
    let read = start.elapsed();
    let summaries = summarise(&df);
    let summarised = start.elapsed();
    let roles = guess_roles(&df);
    let guessed = start.elapsed();
    println!(
        "5,000 columns x 20 rows ({} KB): read {:.1} ms, + summaries {:.1} ms, + roles {:.1} ms ({} summaries, count role {:?})",
        wide.len() / 1024,
        read.as_secs_f64() * 1e3,
        (summarised - read).as_secs_f64() * 1e3,
        (guessed - summarised).as_secs_f64() * 1e3,
        summaries.len(),
        roles.count
    );

    let header: Vec<String> = (0..700_000).map(|j| format!("column_{j:07}")).collect();
    let header = header.join(",");
    let start = Instant::now();
    let result = read_csv(header.as_bytes());
    println!(
        "{:.1} MB header line, no data: {:.1} ms ({})",
        header.len() as f64 / 1e6,
        start.elapsed().as_secs_f64() * 1e3,
        result.map_or_else(|e| e.to_string(), |_| "read".to_owned())
    );
}
