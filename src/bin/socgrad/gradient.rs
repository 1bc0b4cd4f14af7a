//! `socgrad gradient`: one social gradient score from the published tables.
//!
//! ```text
//! socgrad gradient --source webb2020 --outcome cin|cpp|cla [--la NAME|CODE]
//!                  [--la-imd SCORE | --la-imd-z Z] [--gini G | --gini-z Z] [--json]
//! socgrad gradient --source hood2021 --measure NAME [--la NAME|CODE] [--la-dep D]
//!                  [--area urban|rural] [--density low|mid|high] [--json]
//! ```
//!
//! `--la` takes the LA's own context (`socgrad las` lists them); an explicit `--la-imd`,
//! `--la-imd-z` or `--la-dep` replaces the LA's value, and the result says so.

use std::error::Error;
use std::io::{self, Write};

use clap::ValueEnum;
use socgrad::calculator::{gradient, Area, Density, GradientRequest, GradientResult, Outcome};

#[derive(clap::Args)]
pub struct Args {
    /// Source study.
    #[arg(long, value_enum)]
    source: Source,
    /// Outcome (webb2020).
    #[arg(long, value_enum)]
    outcome: Option<OutcomeArg>,
    /// LA IMD 2015 average score (webb2020; default: the study average, 22.0).
    #[arg(long, value_name = "SCORE", allow_negative_numbers = true)]
    la_imd: Option<f64>,
    /// LA IMD score as a z-score (webb2020; mean 22.0, SD 8.14).
    #[arg(long, value_name = "Z", allow_negative_numbers = true)]
    la_imd_z: Option<f64>,
    /// LA Gini coefficient (webb2020; default: the study average, 0.386).
    #[arg(long, value_name = "G", allow_negative_numbers = true)]
    gini: Option<f64>,
    /// LA Gini coefficient as a z-score (webb2020; mean 0.386, SD 0.014).
    #[arg(long, value_name = "Z", allow_negative_numbers = true)]
    gini_z: Option<f64>,
    /// Measure name (hood2021); `socgrad tables` lists them.
    #[arg(long, value_name = "NAME")]
    measure: Option<String>,
    /// LA income deprivation in percentage points above (+) or below (-) the England LA
    /// average (hood2021; default 0).
    #[arg(long, value_name = "D", allow_negative_numbers = true)]
    la_dep: Option<f64>,
    /// Urban or rural neighbourhoods (hood2021, Table 16).
    #[arg(long, value_enum)]
    area: Option<AreaArg>,
    /// Neighbourhood population density (hood2021, Table 17).
    #[arg(long, value_enum)]
    density: Option<DensityArg>,
    /// A real local authority, by name or code: its own deprivation is the LA context
    /// (`socgrad las` lists the 151).
    #[arg(long, value_name = "NAME|CODE")]
    la: Option<String>,
    /// Print the result as one JSON object.
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Source {
    Webb2020,
    Hood2021,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutcomeArg {
    Cin,
    Cpp,
    Cla,
}

impl From<OutcomeArg> for Outcome {
    fn from(o: OutcomeArg) -> Outcome {
        match o {
            OutcomeArg::Cin => Outcome::Cin,
            OutcomeArg::Cpp => Outcome::Cpp,
            OutcomeArg::Cla => Outcome::Cla,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum AreaArg {
    Urban,
    Rural,
}

impl From<AreaArg> for Area {
    fn from(a: AreaArg) -> Area {
        match a {
            AreaArg::Urban => Area::Urban,
            AreaArg::Rural => Area::Rural,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum DensityArg {
    Low,
    Mid,
    High,
}

impl From<DensityArg> for Density {
    fn from(d: DensityArg) -> Density {
        match d {
            DensityArg::Low => Density::Low,
            DensityArg::Mid => Density::Mid,
            DensityArg::High => Density::High,
        }
    }
}

/// The options given that belong to the other source.
fn misplaced(pairs: &[(&'static str, bool)]) -> Vec<&'static str> {
    pairs.iter().filter(|(_, given)| *given).map(|(flag, _)| *flag).collect()
}

/// Builds the request, refusing options that belong to the other source.
fn request(args: &Args) -> Result<GradientRequest, String> {
    match args.source {
        Source::Webb2020 => {
            let wrong = misplaced(&[
                ("--measure", args.measure.is_some()),
                ("--la-dep", args.la_dep.is_some()),
                ("--area", args.area.is_some()),
                ("--density", args.density.is_some()),
            ]);
            if !wrong.is_empty() {
                return Err(format!("{} cannot be used with --source webb2020", wrong.join(", ")));
            }
            let outcome = args.outcome.ok_or("--source webb2020 needs --outcome cin, cpp or cla")?;
            Ok(GradientRequest::Webb2020 {
                outcome: outcome.into(),
                la_imd: args.la_imd,
                la_imd_z: args.la_imd_z,
                gini: args.gini,
                gini_z: args.gini_z,
                la: args.la.clone(),
            })
        }
        Source::Hood2021 => {
            let wrong = misplaced(&[
                ("--outcome", args.outcome.is_some()),
                ("--la-imd", args.la_imd.is_some()),
                ("--la-imd-z", args.la_imd_z.is_some()),
                ("--gini", args.gini.is_some()),
                ("--gini-z", args.gini_z.is_some()),
            ]);
            if !wrong.is_empty() {
                return Err(format!("{} cannot be used with --source hood2021", wrong.join(", ")));
            }
            let measure = args
                .measure
                .clone()
                .ok_or("--source hood2021 needs --measure NAME (`socgrad tables` lists them)")?;
            Ok(GradientRequest::Hood2021 {
                measure,
                la_dep: args.la_dep,
                area: args.area.map(Area::from),
                density: args.density.map(Density::from),
                la: args.la.clone(),
            })
        }
    }
}

/// The result as text, every number as the page shows it (the calculator's one number format).
fn write_text(out: &mut impl Write, r: &GradientResult) -> io::Result<()> {
    writeln!(out, "{}: {}", r.label, r.shown.value)?;
    match (&r.shown.ci_low, &r.shown.ci_high) {
        (Some(low), Some(high)) => writeln!(out, "  95% CI:   {low} to {high} ({})", r.ci_note)?,
        _ => writeln!(out, "  95% CI:   none ({})", r.ci_note)?,
    }
    writeln!(out, "  Unit:     {}", r.unit)?;
    writeln!(out, "  Compared: {}", r.average.words)?;
    writeln!(out, "  Source:   {}, {} (seed {})", r.source, r.table, r.seed)?;
    let status = if r.published { "printed in the table" } else { "derived from printed values" };
    let range = r
        .range
        .as_ref()
        .map(|n| format!("; {}", n.badge.replacen("Outside", "outside", 1)))
        .unwrap_or_default();
    writeln!(out, "  Status:   {status}{range}")?;
    writeln!(out, "  Reading:  {}", r.reading)?;
    if let Some(la) = &r.la {
        writeln!(out, "  LA:       {} ({})", la.la_name, la.la_code)?;
        for note in &la.la_notes {
            writeln!(out, "  Context:  {note}")?;
        }
        if let Some(within) = &la.within_la {
            writeln!(out, "  In the LA: {} {}", within.sentence, within.explanation)?;
        }
    }
    for warning in &r.warnings {
        writeln!(out, "  Warning:  {warning}")?;
    }
    for note in &r.technical {
        writeln!(out, "  Detail:   {note}")?;
    }
    Ok(())
}

pub fn run(args: Args) -> Result<(), Box<dyn Error>> {
    let result = gradient(&request(&args)?)?;
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &result)?;
        writeln!(out)?;
    } else {
        write_text(&mut out, &result)?;
    }
    Ok(())
}
