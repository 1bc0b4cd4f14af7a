//! `socgrad las`: the 151 English upper-tier local authorities with the context values the
//! calculator uses for them (`--la` of `socgrad gradient`).

use std::error::Error;
use std::io::{self, Write};

use socgrad::places::{income_average, listings, ATTRIBUTION};

#[derive(clap::Args)]
pub struct Args {
    /// Print the list as one JSON array.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Result<(), Box<dyn Error>> {
    let rows = listings();
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(out, "{:<10} {:<36} {:>8} {:>8}", "code", "name", "la_imd", "la_dep")?;
    for r in &rows {
        writeln!(out, "{:<10} {:<36} {:>8.3} {:>+8.2}", r.la_code, r.la_name, r.la_imd, r.la_dep)?;
    }
    writeln!(
        out,
        "\nla_imd: IMD 2015 average score (Webb et al. 2020). la_dep: IoD 2019 income score minus {:.2}%, \
         the average of the 151 LAs, in percentage points (Hood et al. 2021).\n{ATTRIBUTION}",
        100.0 * income_average()
    )?;
    Ok(())
}
