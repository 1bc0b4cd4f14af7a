//! `socgrad rates`: one local authority's figures from the Department for Education, every
//! measure of every year 2013-2025 (or one year), with England's rate beside each.

use std::error::Error;
use std::io::{self, Write};

use socgrad::rates::data::{Measure, ATTRIBUTION};
use socgrad::rates::error::check_year;
use socgrad::rates::figures::rates_table;

#[derive(clap::Args)]
pub struct Args {
    /// The local authority, by name or code (`socgrad las` lists them).
    #[arg(long)]
    la: String,
    /// One year (ending 31 March), 2013 to 2025; every year when absent.
    #[arg(long)]
    year: Option<i64>,
    /// Print `{la_code, la_name, rows: [{year, measure, count, rate, children_0_17, england_rate, note}]}`.
    #[arg(long)]
    json: bool,
}

fn number(x: Option<f64>, decimals: usize) -> String {
    x.map_or_else(|| "–".to_owned(), |v| format!("{v:.decimals$}"))
}

pub fn run(args: Args) -> Result<(), Box<dyn Error>> {
    let year = args.year.map(check_year).transpose()?;
    let table = rates_table(&args.la, year)?;
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &table)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(
        out,
        "{} ({}): DfE figures per 10,000 children aged 0-17, years ending 31 March",
        table.la_name, table.la_code
    )?;
    writeln!(
        out,
        "{:<6} {:<36} {:>8} {:>9} {:>9} {:>10}  note",
        "year", "measure", "count", "rate", "England", "children"
    )?;
    for r in &table.rows {
        let d = r.measure.rate_decimals();
        writeln!(
            out,
            "{:<6} {:<36} {:>8} {:>9} {:>9.1} {:>10}  {}",
            r.year,
            r.measure.label(),
            r.count.map_or_else(|| "–".to_owned(), |c| c.to_string()),
            number(r.rate, d),
            r.england_rate,
            r.children_0_17.map_or_else(|| "–".to_owned(), |c| c.to_string()),
            r.note.as_deref().unwrap_or("")
        )?;
    }
    writeln!(
        out,
        "\nMeasures: {}. England: the LAs' counts over their children, over the LAs with a figure. These are \
         DfE's statistics for whole authorities, not the studies' neighbourhood rates; they describe, they do \
         not explain.\n{ATTRIBUTION}",
        Measure::ALL.map(|m| format!("{} ({})", m.label(), m.name())).join(", ")
    )?;
    Ok(())
}
