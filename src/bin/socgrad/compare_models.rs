//! `socgrad compare-models`: compares two models the user wrote on the same rows, by AIC and BIC
//! and, when one is nested in the other, a likelihood-ratio test.
//!
//! ```text
//! socgrad compare-models DATA.csv --formula 'A' --formula 'B' --family F [--family G]
//!     [--link logit|probit|cloglog] [--zi Z [--zi Z2]] [--json]
//! ```

use std::error::Error;
use std::io::{self, Write};
use std::path::PathBuf;

use socgrad::pipeline::FitRequest;

use crate::fit::{open_data, FamilyArg, LinkArg};

#[derive(clap::Args)]
pub struct Args {
    /// CSV file with one row per neighbourhood.
    #[arg(value_name = "DATA.csv")]
    data: PathBuf,
    /// The two model formulas, as for lme4 / glmmTMB (give --formula twice).
    #[arg(long, num_args = 1, required = true)]
    formula: Vec<String>,
    /// Distribution of the counts: once for both models, or twice (first model, second model).
    #[arg(long, value_enum, required = true)]
    family: Vec<FamilyArg>,
    /// Zero-inflation formula ('~1', '~ imd_z', or 'none' for no zero inflation): once for both
    /// models, or twice (first model, second model).
    #[arg(long, value_name = "FORMULA")]
    zi: Vec<String>,
    /// Link of the binomial family, for both models.
    #[arg(long, value_enum, default_value = "logit")]
    link: LinkArg,
    /// Print the comparison as one JSON object.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Result<(), Box<dyn Error>> {
    if args.formula.len() != 2 {
        return Err(format!(
            "give exactly two formulas (--formula A --formula B), got {}",
            args.formula.len()
        )
        .into());
    }
    let families = match args.family.as_slice() {
        [f] => [*f, *f],
        [f, g] => [*f, *g],
        more => return Err(format!("give one family for both models or two, got {}", more.len()).into()),
    };
    let session = open_data(&args.data)?;
    let zi = |z: &String| (z.trim() != "none").then(|| z.clone());
    let zi = match args.zi.as_slice() {
        [] => [None, None],
        [z] => [zi(z), zi(z)],
        [z, w] => [zi(z), zi(w)],
        more => {
            return Err(
                format!("give one zero-inflation formula for both models or two, got {}", more.len()).into()
            )
        }
    };
    let [zi_first, zi_second] = zi;
    let first =
        FitRequest { zi: zi_first, ..FitRequest::new(&args.formula[0], families[0].with_link(args.link)?) };
    let second =
        FitRequest { zi: zi_second, ..FitRequest::new(&args.formula[1], families[1].with_link(args.link)?) };
    let comparison = session.compare_models(&first, &second)?;
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &comparison)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", comparison.text)?;
    }
    Ok(())
}
