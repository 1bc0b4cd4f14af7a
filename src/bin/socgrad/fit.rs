//! `socgrad fit`: fits a Poisson, NB2, NB1 or binomial model (GLM or GLMM) to an aggregate CSV file and
//! prints a summary laid out like glmmTMB's, or the report as JSON.
//!
//! ```text
//! socgrad fit DATA.csv --formula 'FORMULA' --family poisson|nbinom2|nbinom1|binomial
//!     [--link logit|probit|cloglog] [--zi '~1'] [--nagq K] [--json]
//!     [--check [--simulations N] [--seed S]] [--profile] [--profile-term TERM]...
//!     [--predict 'income_dep=25,la_dep=30' [--gradient-term X] [--la NAME]] [--ranef]
//! ```
//!
//! `--check` adds the residual checks (see `socgrad::diagnostics`): after the summary as text,
//! or as the field `check` of the JSON object.

use std::error::Error;
use std::fmt;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use serde::Serialize;
use socgrad::data::{DataError, DataFrame, MAX_FILE_BYTES};
use socgrad::diagnostics::{CheckOptions, ModelCheck};
use socgrad::fit::{Family, Link};
use socgrad::pipeline::{FitRequest, Session};
use socgrad::report::prediction::{parse_named, render_prediction, Prediction};
use socgrad::report::ranef::{render_random_effects, RandomEffectsReport};
use socgrad::report::FitReport;
use socgrad::workflow::plausibility::implausible_values;

#[derive(clap::Args)]
pub struct Args {
    /// CSV file with one row per neighbourhood (count, population, deprivation, LA, ...).
    #[arg(value_name = "DATA.csv")]
    data: PathBuf,
    /// Model formula, as for lme4 / glmmTMB: 'count ~ imd_z + offset(log(pop)) + (1 | la)'.
    #[arg(long)]
    formula: String,
    /// Distribution of the response: counts (poisson, nbinom2, nbinom1) or successes out of
    /// trials (binomial: a response cbind(successes, failures) or a 0/1 column).
    #[arg(long, value_enum)]
    family: FamilyArg,
    /// Zero-inflation formula (fixed effects, logit link), as glmmTMB's ziformula: '~1' or
    /// '~ imd_z' (JSON: `zi_formula`, `zi_coefficients`).
    #[arg(long, value_name = "FORMULA")]
    zi: Option<String>,
    /// Link of the binomial family (logit: odds ratios; probit; cloglog).
    #[arg(long, value_enum, default_value = "logit")]
    link: LinkArg,
    /// Adaptive Gauss-Hermite quadrature points per group (1 = Laplace approximation; more
    /// needs a single random intercept).
    #[arg(long, value_name = "K", default_value_t = 1)]
    nagq: usize,
    /// Print the report as one JSON object.
    #[arg(long)]
    json: bool,
    /// Add profile-likelihood 95% intervals of the dispersion and every random-effect SD
    /// (JSON: `dispersion_profile_ci`, `random_effects[].sd_profile_ci`).
    #[arg(long)]
    profile: bool,
    /// Also profile this fixed effect, named as in the report (repeatable; JSON:
    /// `coefficients[].profile_ci`).
    #[arg(long, value_name = "TERM")]
    profile_term: Vec<String>,
    /// Predict the expected rate (per 10,000 when the offset is log(pop/K)) at these values of
    /// the data's own columns, every term transformed as the fit transformed the data:
    /// 'income_dep=25,la_dep=30' (a text column or an LA takes a label: 'region=North'; the
    /// offset's columns add the expected count: 'children=300'). The data's columns win; when
    /// the names are all the model's main-effect columns instead and do not give every data
    /// column, they are read on the model's scale with the other columns at 0:
    /// 'within(income_dep/10, la)=1' (JSON: `prediction`, with `inputs` and the model's values `at`).
    #[arg(long, value_name = "NAME=VALUE,...")]
    predict: Option<String>,
    /// With --predict: also the social-gradient score of this deprivation term.
    #[arg(long, value_name = "TERM", requires = "predict")]
    gradient_term: Option<String>,
    /// With --predict: also for this level of the random effects' group (an LA); it sets the
    /// LA of `within(x, la)`, and LA-level columns not given take this LA's own values.
    #[arg(long, value_name = "NAME", requires = "predict")]
    la: Option<String>,
    /// Group whose level --la names (default: the first random-effect group).
    #[arg(long, value_name = "GROUP", requires = "la")]
    group: Option<String>,
    /// Random effects by level: each level's conditional mode with its conditional SD and 95%
    /// interval, and per-LA social gradients from random slopes (JSON: `ranef`).
    #[arg(long)]
    ranef: bool,
    /// Fit a fixed-effect factor with many levels for its rows (more than 30, fewer than 10
    /// rows each) as a factor all the same; without it such a factor is refused.
    #[arg(long)]
    many_levels: bool,
    /// Fit every spatial field exp(pos(x, y) + 0 | g) with the nearest-neighbour approximation
    /// with M neighbours (1 to 100); without it a field is exact up to 1,000 locations per group
    #[arg(long = "field-neighbours", value_name = "M")]
    field_neighbours: Option<usize>,
    /// Check the model: scaled residuals simulated from the fit, uniformity, dispersion,
    /// zero-inflation and (with coordinate columns) spatial tests.
    #[arg(long)]
    check: bool,
    /// Data sets simulated for the check.
    #[arg(long, value_name = "N", default_value_t = CheckOptions::default().simulations)]
    simulations: usize,
    /// Seed of the check's simulations (the same seed gives the same residuals).
    #[arg(long, value_name = "S", default_value_t = CheckOptions::default().seed)]
    seed: u64,
}

/// The JSON output: the report, and the checks when asked for.
#[derive(Serialize)]
struct FitOutput<'a> {
    #[serde(flatten)]
    report: &'a FitReport,
    #[serde(skip_serializing_if = "Option::is_none")]
    check: Option<ModelCheck>,
    #[serde(skip_serializing_if = "Option::is_none")]
    prediction: Option<Prediction>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ranef: Option<RandomEffectsReport>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FamilyArg {
    Poisson,
    Nbinom2,
    Nbinom1,
    Binomial,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LinkArg {
    Logit,
    Probit,
    Cloglog,
}

impl FamilyArg {
    /// The family, with `link` for the binomial family; a link other than logit with a count
    /// family is an error.
    pub fn with_link(self, link: LinkArg) -> Result<Family, String> {
        let family = match self {
            FamilyArg::Poisson => Family::Poisson,
            FamilyArg::Nbinom2 => Family::Nbinom2,
            FamilyArg::Nbinom1 => Family::Nbinom1,
            FamilyArg::Binomial => Family::Binomial(match link {
                LinkArg::Logit => Link::Logit,
                LinkArg::Probit => Link::Probit,
                LinkArg::Cloglog => Link::Cloglog,
            }),
        };
        if !family.is_binomial() && link != LinkArg::Logit {
            return Err(format!(
                "--link is for --family binomial; the {} family has the log link",
                family.name()
            ));
        }
        Ok(family)
    }
}

/// A problem with the data file, naming the file.
#[derive(Debug)]
pub struct FileError {
    path: PathBuf,
    message: String,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl Error for FileError {}

/// Opens a session on a CSV data file, with errors that name the file.
pub fn open_data(path: &Path) -> Result<Session, FileError> {
    let file_error = |message: String| FileError { path: path.to_owned(), message };
    let bytes = read_limited(path).map_err(|e| file_error(format!("cannot read the file: {e}")))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        let size = std::fs::metadata(path).ok().map(|m| m.len()).filter(|&n| n > MAX_FILE_BYTES);
        return Err(file_error(DataError::TooLarge { bytes: size, limit: MAX_FILE_BYTES }.to_string()));
    }
    Session::open(&bytes).map_err(|e| file_error(e.to_string()))
}

/// The file's bytes, reading at most one byte more than [`MAX_FILE_BYTES`] (so a device such as
/// `/dev/zero` or a huge file is not read whole).
fn read_limited(path: &Path) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Prints to standard error, before fitting, the values of the formula's count and exposure
/// columns that look like typing or export errors (naming the rows), as the page does beside the
/// Fit button. A formula that does not parse is left to the fit's own error.
fn warn_implausible_values(df: &DataFrame, formula: &str) {
    if let Ok(parsed) = socgrad::formula::parse(formula) {
        for w in implausible_values(df, &parsed) {
            eprintln!("warning: {}", w.message);
        }
    }
}

pub fn run(args: Args) -> Result<(), Box<dyn Error>> {
    let mut session = open_data(&args.data)?;
    let mut request = FitRequest::new(&args.formula, args.family.with_link(args.link)?);
    request.nagq = args.nagq;
    request.profile = args.profile;
    request.profile_terms = args.profile_term;
    request.many_levels = args.many_levels;
    request.zi = args.zi;
    request.field_neighbours = args.field_neighbours;
    warn_implausible_values(session.frame(), &args.formula);
    session.fit_model(&request, &mut |_| {})?;
    let (model, df) = (session.fitted()?, session.frame());
    let prediction = match &args.predict {
        Some(text) => {
            let values = parse_named(text).map_err(|message| format!("--predict: {message}"))?;
            let group = args.group.clone().or_else(|| model.fit.random.first().map(|r| r.group.clone()));
            let level = match (&args.la, &group) {
                (Some(la), Some(group)) => Some((group.as_str(), la.as_str())),
                (Some(_), None) => return Err("--la needs a model with random effects by LA".into()),
                _ => None,
            };
            Some(model.predict_named(df, &values, args.gradient_term.as_deref(), level)?)
        }
        None => None,
    };
    let check = if args.check {
        Some(model.check(df, &CheckOptions { simulations: args.simulations, seed: args.seed })?)
    } else {
        None
    };
    let ranef = if args.ranef {
        if model.fit.random.is_empty() {
            return Err("--ranef needs a model with random effects, such as (1 | la)".into());
        }
        Some(model.random_effects()?)
    } else {
        None
    };
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(
            &mut out,
            &FitOutput { report: &model.report, check, prediction, ranef },
        )?;
        writeln!(out)?;
    } else {
        write!(out, "{}", model.report.text())?;
        if let Some(check) = check {
            write!(out, "\n{}", check.text())?;
        }
        if let Some(p) = &prediction {
            write!(out, "{}", render_prediction(p))?;
        }
        if let Some(r) = &ranef {
            write!(out, "{}", render_random_effects(r))?;
        }
    }
    Ok(())
}
