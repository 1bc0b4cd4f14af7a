//! `socgrad expected`: "higher or lower than expected". A negative binomial model of one
//! measure in one year over the LAs with a figure, `count ~ z + offset(log(children_0_17))`
//! (z: the IMD 2019 average score, standardised), and every LA's observed and expected count
//! with its 95% and 99.8% limits.

use std::error::Error;
use std::io::{self, Write};

use socgrad::rates::data::{Measure, ATTRIBUTION};
use socgrad::rates::error::{check_year, RatesError};
use socgrad::rates::expected::{expected, r_code, Covariate, Position};

#[derive(clap::Args)]
pub struct Args {
    /// referrals, cin_at31, cpp_starts, cpp_at31 or cla_at31.
    #[arg(long)]
    measure: String,
    /// The year (ending 31 March), 2013 to 2025.
    #[arg(long)]
    year: i64,
    /// Add covariates beside IMD: `idaci` (IDACI 2019 score), `rural` (rural share), or both, comma-separated.
    #[arg(long = "with", value_delimiter = ',')]
    with: Vec<String>,
    /// Print `{model: {formula, family, coefficients, theta, n}, las: [{la_code, la_name, observed,
    /// expected, ratio, limits_95, limits_998}]}`, limits on the count scale.
    #[arg(long)]
    json: bool,
    /// Print the R code that fits the same model with MASS::glm.nb instead.
    #[arg(long)]
    r_code: bool,
}

pub fn run(args: Args) -> Result<(), Box<dyn Error>> {
    let measure =
        Measure::parse(&args.measure).ok_or(RatesError::UnknownMeasure { measure: args.measure.clone() })?;
    let year = check_year(args.year)?;
    let extra = args
        .with
        .iter()
        .map(|w| match w.trim() {
            "idaci" => Ok(Covariate::Idaci),
            "rural" => Ok(Covariate::Rural),
            other => Err(format!("--with takes idaci and rural, not '{other}'")),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = io::stdout().lock();
    if args.r_code {
        write!(out, "{}", r_code(measure, year, &extra))?;
        return Ok(());
    }
    let model = expected(measure, year, &extra)?;
    if args.json {
        serde_json::to_writer_pretty(&mut out, &model)?;
        writeln!(out)?;
        return Ok(());
    }
    let m = &model.model;
    writeln!(out, "{}, {year}: negative binomial (NB2) model over {} LAs", measure.label(), m.n)?;
    writeln!(out, "{}", m.formula)?;
    for s in &model.details.standardised {
        writeln!(
            out,
            "  {} = ({} - {:.3}) / {:.3}",
            s.covariate.column(),
            s.covariate.source_column(),
            s.mean,
            s.sd
        )?;
    }
    writeln!(out, "\n{:<12} {:>12} {:>12} {:>12}", "term", "estimate", "std. error", "rate ratio")?;
    for c in &m.coefficients {
        writeln!(
            out,
            "{:<12} {:>12.6} {:>12.6} {:>12.4}",
            c.term,
            c.estimate,
            c.std_error,
            c.estimate.exp()
        )?;
    }
    writeln!(out, "theta {:.4}", m.theta)?;
    for w in &model.details.warnings {
        writeln!(out, "warning: {w}")?;
    }
    writeln!(
        out,
        "\n{:<10} {:<36} {:>8} {:>10} {:>6} {:>15} {:>15}  position",
        "code", "name", "observed", "expected", "ratio", "95% limits", "99.8% limits"
    )?;
    for l in &model.las {
        let flag = match l.position() {
            Position::Above998 => "above 99.8%",
            Position::Below998 => "below 99.8%",
            Position::Above95 => "above 95%",
            Position::Below95 => "below 95%",
            Position::Within95 => "",
        };
        writeln!(
            out,
            "{:<10} {:<36} {:>8} {:>10.1} {:>6.2} {:>15} {:>15}  {flag}",
            l.la_code,
            l.la_name,
            l.observed,
            l.expected,
            l.ratio,
            format!("{}-{}", l.limits_95[0], l.limits_95[1]),
            format!("{}-{}", l.limits_998[0], l.limits_998[1]),
        )?;
    }
    if !model.details.missing.is_empty() {
        writeln!(out, "\nNot in the model (no figure):")?;
        for (la, gap) in &model.details.missing {
            let place = &socgrad::places::places()[*la].la;
            writeln!(out, "  {} {}: {}", place.la_code, place.la_name, gap.reason())?;
        }
    }
    writeln!(
        out,
        "\nExpected: what the model predicts for an authority as deprived, with as many children aged 0-17. The \
         limits are quantiles of the fitted negative binomial distribution (R's qnbinom). An association with \
         deprivation, not a cause. `--r-code` prints the R code of the same model.\n{ATTRIBUTION}"
    )?;
    Ok(())
}
