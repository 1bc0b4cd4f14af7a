//! `socgrad`: the command-line front end of the Social Gradient Calculator.
//!
//! Each subcommand lives in its own module with an `Args` struct and a `run` function; this file
//! only dispatches. Usage errors (from clap) and refused inputs both exit with status 2, with the
//! message on stderr.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod compare;
mod compare_models;
mod expected;
mod fit;
mod gradient;
mod las;
mod rates;
mod six_las;
mod tables;

/// Social gradients in children's social care, from the published tables or your own data.
#[derive(Parser)]
#[command(name = "socgrad", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Social gradient score for a measure and LA context, from the published tables.
    Gradient(gradient::Args),
    /// List every embedded table and its measures.
    Tables(tables::Args),
    /// List the 151 English upper-tier local authorities and their context values.
    Las(las::Args),
    /// Fit a Poisson, NB2, NB1 or binomial model (random effects, zero inflation, a spatial field) to your own CSV file.
    Fit(fit::Args),
    /// Compare Poisson, NB2 and NB1 fits with and without the formula's random effects.
    Compare(compare::Args),
    /// Compare two models you wrote: AIC, BIC and, when nested, a likelihood-ratio test.
    CompareModels(compare_models::Args),
    /// A local authority's DfE figures 2013-2025 (referrals, children in need, child protection, looked after).
    Rates(rates::Args),
    /// Every LA's observed and expected count of a DfE measure in a year, with funnel limits.
    Expected(expected::Args),
    /// List the six-LA study's tables (Hood et al. 2020), every value with its citation.
    SixLas(six_las::Args),
}

/// Exit status for refused input, the same as clap's for usage errors.
const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Gradient(args) => gradient::run(args),
        Command::Tables(args) => tables::run(args),
        Command::Las(args) => las::run(args),
        Command::Fit(args) => fit::run(args),
        Command::Compare(args) => compare::run(args),
        Command::CompareModels(args) => compare_models::run(args),
        Command::Rates(args) => rates::run(args),
        Command::Expected(args) => expected::run(args),
        Command::SixLas(args) => six_las::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}
