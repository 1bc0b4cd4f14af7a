//! `socgrad tables`: every embedded table and the measures the calculator computes from it.

use std::error::Error;
use std::io::{self, Write};

use socgrad::calculator::{catalogue, Catalogue, GradientRequest, TableRole};

#[derive(clap::Args)]
pub struct Args {
    /// Print the catalogue as one JSON object.
    #[arg(long)]
    json: bool,
}

/// The `gradient` options that compute a catalogue measure.
fn options(request: &GradientRequest) -> String {
    match request {
        GradientRequest::Webb2020 { outcome, .. } => {
            format!("--source webb2020 --outcome {}", outcome.key())
        }
        GradientRequest::Hood2021 { measure, area, density, .. } => {
            let mut s = format!("--source hood2021 --measure {measure}");
            if let Some(area) = area {
                s.push_str(&format!(" --area {}", area.key()));
            }
            if let Some(density) = density {
                s.push_str(&format!(" --density {}", density.key()));
            }
            s
        }
    }
}

fn write_text(out: &mut impl Write, catalogue: &Catalogue) -> io::Result<()> {
    let width = catalogue
        .tables
        .iter()
        .flat_map(|t| t.measures.iter().map(|m| options(&m.request).len()))
        .max()
        .unwrap_or(0);
    for table in &catalogue.tables {
        let role = match table.role {
            TableRole::Gradient => "measures",
            TableRole::Context => "neighbourhood contexts",
            TableRole::Reference => "reference",
        };
        writeln!(out, "{}, {}: {} [{role}]", table.source, table.table, table.title)?;
        for m in &table.measures {
            writeln!(out, "    {:<width$}  {}", options(&m.request), m.label)?;
        }
    }
    Ok(())
}

pub fn run(args: Args) -> Result<(), Box<dyn Error>> {
    let catalogue = catalogue();
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &catalogue)?;
        writeln!(out)?;
    } else {
        write_text(&mut out, &catalogue)?;
    }
    Ok(())
}
