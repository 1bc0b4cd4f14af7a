//! "Higher or lower than expected": a negative binomial (NB2, log link) model of one measure in
//! one year over the LAs with a figure,
//!
//! `count_i ~ NB2(mu_i, theta)`, `log mu_i = log(children_i) + b0 + b1 z_i (+ ...)`,
//!
//! where `z_i` is the LA's IMD 2019 average score standardised over those LAs (mean 0, sample
//! SD 1); the IDACI 2019 score and the rural share can be added, standardised the same way. The
//! expected count of an LA is its fitted mean `mu_i`: what the model expects for an authority
//! as deprived, with as many children. Its limits are quantiles of NB2(`mu_i`, `theta`): the
//! 95% limits the 2.5% and 97.5% quantiles, the 99.8% limits the 0.1% and 99.9% quantiles,
//! exactly as R's `qnbinom(p, size = theta, mu = mu_i)`; a count below the lower limit or
//! above the upper one is outside them.
//!
//! The model is fitted by the engine's own GLM (the fitting pipeline, [`crate::pipeline`], maximum
//! likelihood over the coefficients and `theta`), called in one place, [`fit_negative_binomial`].
//! The standard errors are those `summary(MASS::glm.nb(...))` prints, from the Fisher
//! information of the coefficients at the estimated theta (`(X' W X)^-1` with
//! `W = mu / (1 + mu / theta)`), so that the page's table and the R code it shows agree.

use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

use super::data::{row, Gap, Measure};
use super::error::RatesError;
use super::nbinom::quantile;
use crate::data::{Column, DataFrame};
use crate::fit::Family;
use crate::pipeline::{FitRequest, PreparedModel};
use crate::places::{places, LocalAuthority};

/// An LA-level covariate of the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Covariate {
    /// IMD 2019 average score (always in the model).
    Imd,
    /// IDACI 2019 average score: the share of children aged 0-15 in income-deprived families.
    Idaci,
    /// Share of the population living in rural neighbourhoods.
    Rural,
}

impl Covariate {
    /// Its column in the model (standardised).
    pub fn column(self) -> &'static str {
        match self {
            Covariate::Imd => "z",
            Covariate::Idaci => "idaci_z",
            Covariate::Rural => "rural_z",
        }
    }

    /// Its column in `data/england_upper_tier_las.csv`.
    pub fn source_column(self) -> &'static str {
        match self {
            Covariate::Imd => "imd2019_avg_score",
            Covariate::Idaci => "idaci2019_avg_score",
            Covariate::Rural => "rural_share_pop",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Covariate::Imd => "IMD 2019 average score",
            Covariate::Idaci => "IDACI 2019 average score",
            Covariate::Rural => "share of people in rural neighbourhoods",
        }
    }

    fn value(self, la: &LocalAuthority) -> f64 {
        match self {
            Covariate::Imd => la.imd2019_avg_score,
            Covariate::Idaci => la.idaci2019_avg_score,
            Covariate::Rural => la.rural_share_pop,
        }
    }
}

/// The covariates of a model: IMD, then the extra ones asked for, each once, in a fixed order.
pub fn covariates(extra: &[Covariate]) -> Vec<Covariate> {
    let mut out = vec![Covariate::Imd];
    for c in [Covariate::Idaci, Covariate::Rural] {
        if extra.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// The model's formula as R writes it: `count ~ z + offset(log(children_0_17))`.
pub fn formula(covariates: &[Covariate]) -> String {
    let terms: Vec<&str> = covariates.iter().map(|c| c.column()).collect();
    format!("count ~ {} + offset(log(children_0_17))", terms.join(" + "))
}

/// A covariate's mean and sample SD over the LAs of the model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Standardised {
    pub covariate: Covariate,
    pub mean: f64,
    pub sd: f64,
}

/// One coefficient as `summary(glm.nb(...))` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelCoefficient {
    /// As R names it: `(Intercept)`, `z`, `idaci_z`, `rural_z`.
    pub term: String,
    pub estimate: f64,
    pub std_error: f64,
}

/// The model in `socgrad expected --json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelSummary {
    pub formula: String,
    pub family: &'static str,
    pub coefficients: Vec<ModelCoefficient>,
    /// NB2 size: variance `mu + mu^2 / theta`.
    pub theta: f64,
    /// Number of LAs in the model.
    pub n: usize,
}

/// Where an observed count lies against its limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    /// Below the lower 99.8% limit.
    Below998,
    /// Below the lower 95% limit, within the 99.8% ones.
    Below95,
    Within95,
    /// Above the upper 95% limit, within the 99.8% ones.
    Above95,
    /// Above the upper 99.8% limit.
    Above998,
}

impl Position {
    /// In words, for "... than expected; {words}".
    pub fn words(self) -> &'static str {
        match self {
            Position::Below998 => "below the 99.8% limits: lower than the model expects, beyond what chance would give once in 500",
            Position::Below95 => "below the 95% limits but within the 99.8% ones",
            Position::Within95 => "within the 95% limits: as variable as the model expects",
            Position::Above95 => "above the 95% limits but within the 99.8% ones",
            Position::Above998 => "above the 99.8% limits: higher than the model expects, beyond what chance would give once in 500",
        }
    }

    /// Outside the 99.8% limits.
    pub fn outside_998(self) -> bool {
        matches!(self, Position::Below998 | Position::Above998)
    }
}

/// One LA of the model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaExpected {
    pub la_code: String,
    pub la_name: String,
    pub observed: u32,
    /// The fitted mean.
    pub expected: f64,
    /// `observed / expected`.
    pub ratio: f64,
    /// The 2.5% and 97.5% quantiles of NB2(expected, theta), on the count scale.
    pub limits_95: [u64; 2],
    /// The 0.1% and 99.9% quantiles.
    pub limits_998: [u64; 2],
    /// Position in [`places`].
    #[serde(skip)]
    pub index: usize,
    #[serde(skip)]
    pub children: u32,
}

impl LaExpected {
    pub fn position(&self) -> Position {
        let y = self.observed as u64;
        if y < self.limits_998[0] {
            Position::Below998
        } else if y > self.limits_998[1] {
            Position::Above998
        } else if y < self.limits_95[0] {
            Position::Below95
        } else if y > self.limits_95[1] {
            Position::Above95
        } else {
            Position::Within95
        }
    }
}

/// What went into the model besides its estimates.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelDetails {
    pub measure: Measure,
    pub year: u16,
    pub standardised: Vec<Standardised>,
    /// The LAs left out for want of a figure, with the reason.
    pub missing: Vec<(usize, Gap)>,
    pub converged: bool,
    pub loglik: f64,
    /// The engine's warnings about the fit, in words.
    pub warnings: Vec<String>,
}

/// The fitted model and every LA in it: what `socgrad expected --json` prints (`details` is
/// not printed).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExpectedModel {
    pub model: ModelSummary,
    pub las: Vec<LaExpected>,
    #[serde(skip)]
    pub details: ModelDetails,
}

impl ExpectedModel {
    /// The LA with position `index` in [`places`], if it is in the model.
    pub fn la(&self, index: usize) -> Option<&LaExpected> {
        self.las.iter().find(|l| l.index == index)
    }

    /// The expected rate per 10,000 children of an LA whose standardised covariates are `z`
    /// (the others at 0, the average).
    pub fn rate_at(&self, z: &[f64]) -> f64 {
        let b = &self.model.coefficients;
        let eta = b[0].estimate + b.iter().skip(1).zip(z).map(|(c, z)| c.estimate * z).sum::<f64>();
        10_000.0 * eta.exp()
    }
}

/// What the engine returns for the model, in the order of the frame's rows.
struct EngineFit {
    terms: Vec<String>,
    estimates: Vec<f64>,
    theta: f64,
    fitted: Vec<f64>,
    x: DMatrix<f64>,
    converged: bool,
    loglik: f64,
    warnings: Vec<String>,
}

/// The one place the real figures call the fitting engine: an NB2 GLM of `formula` on `frame`
/// by the engine's formula and fit entry point, with a tight tolerance (a gradient below 1e-10
/// standard errors), so that fitted means agree with R to many digits and the limits built on
/// them are R's.
fn fit_negative_binomial(frame: &DataFrame, formula: &str) -> Result<EngineFit, RatesError> {
    let mut request = FitRequest::new(formula, Family::Nbinom2);
    request.grad_tol = Some(1e-10);
    let model = PreparedModel::new(frame, &request)
        .and_then(|prepared| prepared.fit(&mut |_| {}))
        .map_err(|e| RatesError::Fit { message: e.to_string() })?;
    let theta =
        model.fit.dispersion.ok_or_else(|| RatesError::Fit { message: "no theta was estimated".into() })?;
    Ok(EngineFit {
        terms: model.fit.terms.clone(),
        estimates: model.fit.beta.clone(),
        theta,
        fitted: model.fit.fitted.clone(),
        x: model.design.x.clone(),
        converged: model.fit.converged,
        loglik: model.fit.loglik,
        warnings: model.fit.warnings.iter().map(|w| w.message.clone()).collect(),
    })
}

/// `sqrt(diag((X' W X)^-1))`, `W = mu / (1 + mu / theta)`: the standard errors of
/// `summary(glm.nb(...))`. NaN where the matrix cannot be inverted.
fn glm_nb_std_errors(x: &DMatrix<f64>, mu: &[f64], theta: f64) -> Vec<f64> {
    let p = x.ncols();
    let mut info = DMatrix::<f64>::zeros(p, p);
    for (i, &m) in mu.iter().enumerate() {
        let w = m / (1.0 + m / theta);
        for a in 0..p {
            for b in 0..=a {
                info[(a, b)] += w * x[(i, a)] * x[(i, b)];
            }
        }
    }
    for a in 0..p {
        for b in 0..a {
            info[(b, a)] = info[(a, b)];
        }
    }
    match info.cholesky() {
        Some(c) => {
            let inv = c.inverse();
            (0..p).map(|k| inv[(k, k)].sqrt()).collect()
        }
        None => vec![f64::NAN; p],
    }
}

/// The LAs with a figure for `measure` in `year`, the frame of the model (columns `la_code`,
/// `count`, `children_0_17` and one per covariate) and the covariates' standardisation.
#[allow(clippy::type_complexity)]
fn model_frame(
    measure: Measure,
    year: u16,
    covariates: &[Covariate],
) -> (Vec<(usize, u32, u32)>, Vec<(usize, Gap)>, DataFrame, Vec<Standardised>) {
    let mut used = Vec::new();
    let mut missing = Vec::new();
    for la in 0..places().len() {
        let Some(r) = row(la, year) else { continue };
        match (r.figure(measure), r.children) {
            (Ok(f), Ok(children)) => used.push((la, f.count, children)),
            (Err(gap), _) | (_, Err(gap)) => missing.push((la, gap)),
        }
    }
    let n = used.len() as f64;
    let mut standardised = Vec::new();
    let mut columns: Vec<(String, Column)> = vec![
        (
            "la_code".into(),
            Column::Text(crate::data::TextColumn::from_values(
                used.iter().map(|&(la, _, _)| Some(places()[la].la.la_code.as_str())),
            )),
        ),
        ("count".into(), Column::Numeric(used.iter().map(|&(_, c, _)| c as f64).collect())),
        ("children_0_17".into(), Column::Numeric(used.iter().map(|&(_, _, c)| c as f64).collect())),
    ];
    for &c in covariates {
        let raw: Vec<f64> = used.iter().map(|&(la, _, _)| c.value(&places()[la].la)).collect();
        let mean = raw.iter().sum::<f64>() / n;
        let sd = (raw.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        standardised.push(Standardised { covariate: c, mean, sd });
        columns.push((c.column().into(), Column::Numeric(raw.iter().map(|v| (v - mean) / sd).collect())));
    }
    let frame =
        DataFrame::from_columns(columns).expect("the model's columns are named once and equally long");
    (used, missing, frame, standardised)
}

/// Fits the model of `measure` in `year` with IMD and the `extra` covariates, and every LA's
/// expected count and limits.
pub fn expected(measure: Measure, year: u16, extra: &[Covariate]) -> Result<ExpectedModel, RatesError> {
    let covariates = covariates(extra);
    let (used, missing, frame, standardised) = model_frame(measure, year, &covariates);
    if used.len() < covariates.len() + 10 {
        return Err(RatesError::TooFewLas { measure: measure.name().into(), year, las: used.len() });
    }
    let formula = formula(&covariates);
    let fit = fit_negative_binomial(&frame, &formula)?;
    if fit.fitted.len() != used.len() || fit.terms.len() != covariates.len() + 1 {
        return Err(RatesError::Fit {
            message: format!("the model kept {} of its {} terms", fit.terms.len(), covariates.len() + 1),
        });
    }
    let std_errors = glm_nb_std_errors(&fit.x, &fit.fitted, fit.theta);
    let theta = fit.theta;
    let las = used
        .iter()
        .zip(&fit.fitted)
        .map(|(&(la, observed, children), &mu)| LaExpected {
            la_code: places()[la].la.la_code.clone(),
            la_name: places()[la].la.la_name.clone(),
            observed,
            expected: mu,
            ratio: observed as f64 / mu,
            limits_95: [quantile(0.025, theta, mu), quantile(0.975, theta, mu)],
            limits_998: [quantile(0.001, theta, mu), quantile(0.999, theta, mu)],
            index: la,
            children,
        })
        .collect();
    Ok(ExpectedModel {
        model: ModelSummary {
            formula,
            family: "nbinom2",
            coefficients: fit
                .terms
                .iter()
                .zip(&fit.estimates)
                .zip(&std_errors)
                .map(|((term, &estimate), &std_error)| ModelCoefficient {
                    term: term.clone(),
                    estimate,
                    std_error,
                })
                .collect(),
            theta,
            n: used.len(),
        },
        las,
        details: ModelDetails {
            measure,
            year,
            standardised,
            missing,
            converged: fit.converged,
            loglik: fit.loglik,
            warnings: fit.warnings,
        },
    })
}

/// R code that fits the same model with `MASS::glm.nb` on the project's data files and prints
/// the same estimates, expected counts and limits.
pub fn r_code(measure: Measure, year: u16, extra: &[Covariate]) -> String {
    let covariates = covariates(extra);
    let m = measure.name();
    let mut code = format!(
        "library(MASS)\n\
         # data/england_la_csc_rates.csv and data/england_upper_tier_las.csv of the Social Gradient Calculator\n\
         rates <- read.csv(\"england_la_csc_rates.csv\")\n\
         las <- read.csv(\"england_upper_tier_las.csv\")\n\
         d <- merge(subset(rates, year == {year} & !is.na({m}) & !is.na(children_0_17)), las, by = \"la_code\")\n\
         d$count <- d${m}\n"
    );
    for c in &covariates {
        let (col, src) = (c.column(), c.source_column());
        code.push_str(&format!("d${col} <- (d${src} - mean(d${src})) / sd(d${src})\n"));
    }
    code.push_str(&format!(
        "fit <- glm.nb({}, data = d)\n\
         summary(fit)   # estimates, standard errors and theta\n\
         d$expected <- fitted(fit)\n\
         d$ratio <- d$count / d$expected\n\
         for (p in c(0.001, 0.025, 0.975, 0.999)) d[[paste0(\"q\", p)]] <- qnbinom(p, size = fit$theta, mu = d$expected)\n\
         d[order(-d$ratio), c(\"la_name.x\", \"count\", \"expected\", \"ratio\", \"q0.001\", \"q0.025\", \"q0.975\", \"q0.999\")]\n",
        formula(&covariates)
    ));
    code
}
