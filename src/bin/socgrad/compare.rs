//! `socgrad compare`: fits Poisson, NB2 and NB1 models with and without the formula's random
//! effects and compares them (Webb et al. 2020, Table 2 format).
//!
//! ```text
//! socgrad compare DATA.csv --formula 'FORMULA' [--json]
//! ```

use std::error::Error;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use crate::fit::open_data;

#[derive(clap::Args)]
pub struct Args {
    /// CSV file with one row per neighbourhood.
    #[arg(value_name = "DATA.csv")]
    data: PathBuf,
    /// Model formula with the random effects to compare, as for lme4 / glmmTMB.
    #[arg(long)]
    formula: String,
    /// Print the comparison as one JSON object.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Result<(), Box<dyn Error>> {
    let session = open_data(&args.data)?;
    let interactive = io::stderr().is_terminal();
    let mut current = 0;
    let comparison = session.compare(&args.formula, &mut |p| {
        if interactive && p.model != current {
            current = p.model;
            eprintln!("fitting model {} of {}: {}", p.model, p.models, p.name);
        }
    })?;
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &comparison)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", comparison.text)?;
    }
    Ok(())
}
