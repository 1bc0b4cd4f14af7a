//! Social gradient scores for each local authority (LA), two ways:
//!
//! - **from the random slopes** of a mixed model with `(1 + dep | la)`: LA `j`'s log score is
//!   `B_dep + sum_k B_{dep:mod_k} m_kj + b_j`, where `b_j` is the conditional mode of its
//!   random slope and `m_kj` the LA's value of each moderator that interacts with `dep` (its
//!   mean over the LA's rows; moderators are LA-level and constant within an LA). With `w` the
//!   weights of the fixed effects in the log score (1 for `dep`, `m_kj` for `dep:mod_k`), its
//!   variance is `w' V_B w + var(b_j) + 2 w' cov(B, b_j)`: the fixed effects' covariance, the
//!   conditional variance of the slope (including the uncertainty of the variance parameters,
//!   as glmmTMB's `ranef(condVar = TRUE)`) and their covariance, all from the joint covariance
//!   of the parameters and random effects (see [`crate::fit::RandomFit::mode_cov_fixed`]). The
//!   95% interval is `exp(log score -+ 1.96 se)`.
//! - **from separate Poisson fits** per LA, as Hood et al. (2021), Fig. 5: on each LA's rows,
//!   `count ~ dep + offset` by maximum likelihood, the score `exp(slope)` and its 95% Wald
//!   interval. LAs where that fit is impossible (one row, all counts zero, no variation in
//!   `dep`) or fails are listed with the reason.
//!
//! Each LA also gets its mean deprivation: population-weighted when a population column is
//! given, otherwise the plain mean over its rows.

use super::gradient::{moderators_of, term_index, ModeratorValue};
use super::stats::Z_975;
use super::ReportError;
use crate::data::{Column, DataFrame};
use crate::design::{Design, ModelColumn};
use crate::fit::{fit, Family, Fit, FitOptions};
use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

/// Which design rows belong to which level of a grouping factor.
#[derive(Debug, Clone, PartialEq)]
pub struct Grouping {
    pub name: String,
    pub levels: Vec<String>,
    /// Level of each design row; `None` when the row's group is missing.
    pub index: Vec<Option<usize>>,
}

impl Grouping {
    /// The grouping of a random-effect term of the design (`la`, `msoa:la`).
    pub fn from_design(design: &Design, group: &str) -> Option<Grouping> {
        let term = design.random.iter().find(|r| r.group == group)?;
        Some(Grouping {
            name: group.to_owned(),
            levels: term.levels.clone(),
            index: term.index.iter().map(|&i| Some(i)).collect(),
        })
    }

    /// The grouping given by a data column (text, or numbers used as labels), read at the
    /// design's rows. Levels are in order of first appearance.
    pub fn from_column(df: &DataFrame, design: &Design, column: &str) -> Result<Grouping, ReportError> {
        let col =
            df.column(column).ok_or_else(|| ReportError::UnknownColumn { column: column.to_owned() })?;
        let mut levels: Vec<String> = Vec::new();
        let mut index = Vec::with_capacity(design.rows.len());
        for &row in &design.rows {
            let label = row.checked_sub(1).and_then(|i| col.display(i));
            index.push(label.map(|l| match levels.iter().position(|x| *x == l) {
                Some(k) => k,
                None => {
                    levels.push(l);
                    levels.len() - 1
                }
            }));
        }
        Ok(Grouping { name: column.to_owned(), levels, index })
    }

    /// The design rows (0-based) of each level.
    fn rows_per_level(&self) -> Vec<Vec<usize>> {
        let mut out = vec![Vec::new(); self.levels.len()];
        for (i, level) in self.index.iter().enumerate() {
            if let Some(rows) = level.and_then(|l| out.get_mut(l)) {
                rows.push(i);
            }
        }
        out
    }
}

/// Per-row values (aligned with the design's rows) for each LA's mean deprivation.
#[derive(Debug, Clone, Copy)]
pub struct LaMeanInputs<'a> {
    /// Deprivation of each row (NaN where unknown).
    pub deprivation: &'a [f64],
    /// Population of each row, the weights of the mean; `None` for a plain mean.
    pub population: Option<&'a [f64]>,
}

/// One LA's social gradient score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaGradient {
    pub level: String,
    /// Rows (neighbourhoods) of the LA in the model.
    pub rows: usize,
    /// The LA's mean deprivation (population-weighted when a population was given); `None`
    /// when no row has both values.
    pub mean_deprivation: Option<f64>,
    /// The LA's values of the moderators that interact with the deprivation term (random-slope
    /// scores only).
    pub moderators: Vec<ModeratorValue>,
    pub log_score: f64,
    /// Random slopes: standard error of the log score from the joint covariance of the fixed
    /// effects and the LA's slope; separate fits: Wald standard error.
    pub std_error: f64,
    pub score: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// An LA without a score, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaFailure {
    pub level: String,
    pub rows: usize,
    pub reason: String,
}

/// Per-LA scores by one method.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaGradients {
    /// `random_slopes` or `separate_glms`.
    pub method: &'static str,
    pub term: String,
    pub group: String,
    /// True when the mean deprivation is population-weighted.
    pub population_weighted: bool,
    pub gradients: Vec<LaGradient>,
    pub failures: Vec<LaFailure>,
    /// How the scores and intervals were computed.
    pub note: String,
}

/// The model-matrix column named `term`, one value per design row.
pub fn model_column(design: &Design, term: &str) -> Result<Vec<f64>, ReportError> {
    let j = design
        .x_names
        .iter()
        .position(|n| n == term)
        .ok_or_else(|| ReportError::UnknownTerm { term: term.to_owned(), known: design.x_names.clone() })?;
    if design.x.ncols() <= j || design.x.nrows() != design.rows.len() {
        return Err(ReportError::DesignMismatch {
            message: "the model matrix does not match the design's rows and column names".to_owned(),
        });
    }
    Ok(design.x.column(j).iter().copied().collect())
}

/// A numeric data column read at the design's rows (NaN where missing).
pub fn data_column(df: &DataFrame, design: &Design, column: &str) -> Result<Vec<f64>, ReportError> {
    match df.column(column) {
        None => Err(ReportError::UnknownColumn { column: column.to_owned() }),
        Some(Column::Text(_)) => Err(ReportError::TextColumn { column: column.to_owned() }),
        Some(Column::Numeric(v)) => Ok(design
            .rows
            .iter()
            .map(|&row| row.checked_sub(1).and_then(|i| v.get(i)).copied().unwrap_or(f64::NAN))
            .collect()),
    }
}

/// Mean of `values` over `rows`, weighted by `weights` when given; rows where either is
/// missing (NaN) or the weight is negative are skipped.
fn mean_over(values: &[f64], weights: Option<&[f64]>, rows: &[usize]) -> Option<f64> {
    let (mut sum, mut total) = (0.0, 0.0);
    for &i in rows {
        let v = values.get(i).copied().unwrap_or(f64::NAN);
        let w = weights.map_or(1.0, |w| w.get(i).copied().unwrap_or(f64::NAN));
        if v.is_finite() && w.is_finite() && w >= 0.0 {
            sum += w * v;
            total += w;
        }
    }
    (total > 0.0).then(|| sum / total)
}

fn scored(
    level: &str,
    rows: usize,
    mean: Option<f64>,
    moderators: Vec<ModeratorValue>,
    log_score: f64,
    se: f64,
) -> LaGradient {
    LaGradient {
        level: level.to_owned(),
        rows,
        mean_deprivation: mean,
        moderators,
        log_score,
        std_error: se,
        score: log_score.exp(),
        ci_low: (log_score - Z_975 * se).exp(),
        ci_high: (log_score + Z_975 * se).exp(),
    }
}

/// Per-LA scores from the random slopes of `term` by `group` in `fit`, a fit of `design`.
pub fn from_random_slopes(
    fit: &Fit,
    design: &Design,
    term: &str,
    group: &str,
    means: LaMeanInputs<'_>,
) -> Result<LaGradients, ReportError> {
    let dep = term_index(fit, term)?;
    let no_slope = || ReportError::NoRandomSlope { term: term.to_owned(), group: group.to_owned() };
    let random = fit
        .random
        .iter()
        .find(|r| r.group == group && r.terms.iter().any(|t| t == term))
        .ok_or_else(no_slope)?;
    let k = random.terms.iter().position(|t| t == term).ok_or_else(no_slope)?;
    let grouping = Grouping::from_design(design, group)
        .ok_or_else(|| ReportError::UnknownGroup { group: group.to_owned() })?;
    if grouping.levels.len() != random.levels.len() || random.modes.len() != random.levels.len() {
        return Err(ReportError::DesignMismatch {
            message: format!(
                "the fit has {} levels of '{group}' but the design has {}",
                random.levels.len(),
                grouping.levels.len()
            ),
        });
    }
    let b_dep = fit.beta.get(dep).copied().unwrap_or(f64::NAN);
    let mut moderators = Vec::new();
    for (name, idx) in moderators_of(&fit.columns, term) {
        let column = model_column(design, &name)?;
        moderators.push((name, idx, fit.beta.get(idx).copied().unwrap_or(f64::NAN), column));
    }
    let cov = |a: usize, b: usize| fit.cov_beta.get(a).and_then(|r| r.get(b)).copied().unwrap_or(f64::NAN);
    let rows_per_level = grouping.rows_per_level();
    let mut gradients = Vec::with_capacity(random.levels.len());
    for (j, level) in random.levels.iter().enumerate() {
        let rows = rows_per_level.get(j).map_or(&[][..], Vec::as_slice);
        let mut log_score = b_dep + random.modes.get(j).and_then(|m| m.get(k)).copied().unwrap_or(f64::NAN);
        let mut values = Vec::with_capacity(moderators.len());
        let mut weights = vec![(dep, 1.0)];
        for (name, idx, b, column) in &moderators {
            let v = mean_over(column, None, rows).unwrap_or(f64::NAN);
            log_score += b * v;
            values.push(ModeratorValue { term: name.clone(), value: v });
            weights.push((*idx, v));
        }
        let mode_sd = random.mode_sd.get(j).and_then(|m| m.get(k)).copied().unwrap_or(f64::NAN);
        let mode_cov = random.mode_cov_fixed.get(j).and_then(|m| m.get(k));
        let mut variance = mode_sd * mode_sd;
        for &(a, wa) in &weights {
            for &(b, wb) in &weights {
                variance += wa * wb * cov(a, b);
            }
            variance += 2.0 * wa * mode_cov.and_then(|c| c.get(a)).copied().unwrap_or(f64::NAN);
        }
        let se = variance.sqrt();
        let mean = mean_over(means.deprivation, means.population, rows);
        gradients.push(scored(level, rows.len(), mean, values, log_score, se));
    }
    Ok(LaGradients {
        method: "random_slopes",
        term: term.to_owned(),
        group: group.to_owned(),
        population_weighted: means.population.is_some(),
        gradients,
        failures: Vec::new(),
        note: format!(
            "exp(B_{term} + interactions at the LA's moderator values + the LA's random slope); the 95% \
             interval includes the uncertainty of the fixed effects, of the LA's slope given the data \
             and of the estimated variances (the joint covariance that glmmTMB's sdreport gives)"
        ),
    })
}

/// Per-LA scores from separate Poisson fits `count ~ term + offset` on each level's rows of
/// `grouping` (Hood et al. 2021, Fig. 5).
pub fn from_separate_glms(
    design: &Design,
    grouping: &Grouping,
    term: &str,
    means: LaMeanInputs<'_>,
) -> Result<LaGradients, ReportError> {
    let dep = model_column(design, term)?;
    let mut gradients = Vec::new();
    let mut failures = Vec::new();
    for (level, rows) in grouping.levels.iter().zip(grouping.rows_per_level()) {
        let mean = mean_over(means.deprivation, means.population, &rows);
        match fit_one(design, &dep, term, &rows) {
            Ok((estimate, se)) => gradients.push(scored(level, rows.len(), mean, Vec::new(), estimate, se)),
            Err(why) => {
                failures.push(LaFailure { level: level.clone(), rows: rows.len(), reason: why.to_string() })
            }
        }
    }
    Ok(LaGradients {
        method: "separate_glms",
        term: term.to_owned(),
        group: grouping.name.clone(),
        population_weighted: means.population.is_some(),
        gradients,
        failures,
        note: format!(
            "exp(slope of '{term}') from a Poisson fit of count ~ {term} + offset on each {}'s rows alone, \
             with its 95% Wald interval",
            grouping.name
        ),
    })
}

/// Why one level's own Poisson fit gives no slope.
#[derive(Debug, Clone, PartialEq)]
enum NoSlope {
    TooFewRows(usize),
    AllZero,
    Constant(String),
    NoColumn(String),
    Failed(String),
    NotConverged,
    Collinear(String),
    NotEstimable,
}

impl std::fmt::Display for NoSlope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NoSlope::TooFewRows(n) => write!(f, "only {n} row: a slope needs at least two neighbourhoods"),
            NoSlope::AllZero => f.write_str("every count is zero, so the rate cannot be estimated"),
            NoSlope::Constant(term) => {
                write!(f, "'{term}' has the same value in every row, so its slope cannot be estimated")
            }
            NoSlope::NoColumn(term) => write!(f, "the model has no column '{term}'"),
            NoSlope::Failed(why) => f.write_str(why),
            NoSlope::NotConverged => f.write_str("the Poisson fit did not converge"),
            NoSlope::Collinear(term) => write!(f, "'{term}' was dropped as collinear"),
            NoSlope::NotEstimable => {
                f.write_str("the slope could not be estimated (the counts may be separated by deprivation)")
            }
        }
    }
}

/// The slope of `dep` and its standard error from a Poisson fit on `rows`, or why there is none.
fn fit_one(design: &Design, dep: &[f64], term: &str, rows: &[usize]) -> Result<(f64, f64), NoSlope> {
    if rows.len() < 2 {
        return Err(NoSlope::TooFewRows(rows.len()));
    }
    let y: Vec<f64> = rows.iter().map(|&i| design.y.get(i).copied().unwrap_or(f64::NAN)).collect();
    if y.iter().all(|&v| v == 0.0) {
        return Err(NoSlope::AllZero);
    }
    let x: Vec<f64> = rows.iter().map(|&i| dep.get(i).copied().unwrap_or(f64::NAN)).collect();
    let first = x.first().copied().unwrap_or(f64::NAN);
    if x.iter().all(|&v| v == first) {
        return Err(NoSlope::Constant(term.to_owned()));
    }
    let dep_column = design
        .x_names
        .iter()
        .position(|n| n == term)
        .and_then(|j| design.x_columns.get(j))
        .map(|c| ModelColumn { term: Some(0), parts: c.parts.clone() })
        .ok_or_else(|| NoSlope::NoColumn(term.to_owned()))?;
    let sub = Design {
        trials: None,
        y,
        offset: rows.iter().map(|&i| design.offset.get(i).copied().unwrap_or(0.0)).collect(),
        x: DMatrix::from_fn(
            rows.len(),
            2,
            |i, j| if j == 0 { 1.0 } else { x.get(i).copied().unwrap_or(f64::NAN) },
        ),
        x_names: vec!["(Intercept)".to_owned(), term.to_owned()],
        x_columns: vec![ModelColumn::intercept(), dep_column],
        random: Vec::new(),
        rows: rows.iter().map(|&i| design.rows.get(i).copied().unwrap_or(0)).collect(),
        dropped_missing: 0,
    };
    let result =
        fit(&sub, Family::Poisson, &FitOptions::default()).map_err(|e| NoSlope::Failed(e.to_string()))?;
    if !result.converged {
        return Err(NoSlope::NotConverged);
    }
    let k = result.terms.iter().position(|t| t == term).ok_or_else(|| NoSlope::Collinear(term.to_owned()))?;
    let estimate = result.beta.get(k).copied().unwrap_or(f64::NAN);
    let se = result.cov_beta.get(k).and_then(|r| r.get(k)).copied().unwrap_or(f64::NAN).sqrt();
    if !estimate.is_finite() || !se.is_finite() {
        return Err(NoSlope::NotEstimable);
    }
    Ok((estimate, se))
}

/// What per-LA scores to compute. Deserialises from
/// `{"term": "imd_z", "group": "la", "deprivation_column": "imd", "population_column": "pop"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LaGradientRequest {
    /// The deprivation term, as the model names it.
    pub term: String,
    /// The LA grouping: a random-effect group of the model or a data column.
    pub group: String,
    /// Data column whose LA means are reported; default: the term's model-matrix column.
    #[serde(default)]
    pub deprivation_column: Option<String>,
    /// Data column of populations, to weight the means; default: a plain mean.
    #[serde(default)]
    pub population_column: Option<String>,
}

/// Per-LA scores by both methods; the random-slope scores are `None` when the model has no
/// random slope of the term (`random_slopes_unavailable` says why).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaGradientReport {
    pub random_slopes: Option<LaGradients>,
    pub random_slopes_unavailable: Option<String>,
    pub separate_glms: LaGradients,
}

/// What the per-LA scores of a request average and group by.
struct LaInputs {
    deprivation: Vec<f64>,
    population: Option<Vec<f64>>,
    grouping: Grouping,
}

impl LaInputs {
    fn means(&self) -> LaMeanInputs<'_> {
        LaMeanInputs { deprivation: &self.deprivation, population: self.population.as_deref() }
    }
}

/// The deprivation and population values to average per LA, and the LA grouping, for `req`
/// on a fit of `design` to `df`.
fn la_inputs(df: &DataFrame, design: &Design, req: &LaGradientRequest) -> Result<LaInputs, ReportError> {
    let deprivation = match &req.deprivation_column {
        Some(c) => data_column(df, design, c)?,
        None => model_column(design, &req.term)?,
    };
    let population = req.population_column.as_deref().map(|c| data_column(df, design, c)).transpose()?;
    let grouping = match Grouping::from_design(design, &req.group) {
        Some(g) => g,
        None => Grouping::from_column(df, design, &req.group).map_err(|e| match e {
            ReportError::UnknownColumn { .. } => ReportError::UnknownGroup { group: req.group.clone() },
            other => other,
        })?,
    };
    Ok(LaInputs { deprivation, population, grouping })
}

/// The per-LA scores a chart shows for `fit`, a fit of `design` to `df`: from the random slopes
/// of the term when the model has them, else from separate Poisson fits per LA, which are only
/// run in that case.
pub fn la_gradient_set(
    fit: &Fit,
    design: &Design,
    df: &DataFrame,
    req: &LaGradientRequest,
) -> Result<LaGradients, ReportError> {
    let inputs = la_inputs(df, design, req)?;
    match from_random_slopes(fit, design, &req.term, &req.group, inputs.means()) {
        Ok(r) => Ok(r),
        Err(ReportError::NoRandomSlope { .. } | ReportError::UnknownGroup { .. }) => {
            from_separate_glms(design, &inputs.grouping, &req.term, inputs.means())
        }
        Err(e) => Err(e),
    }
}

/// Per-LA social gradient scores by both methods for `fit`, a fit of `design` to `df`.
pub fn la_gradients(
    fit: &Fit,
    design: &Design,
    df: &DataFrame,
    req: &LaGradientRequest,
) -> Result<LaGradientReport, ReportError> {
    let inputs = la_inputs(df, design, req)?;
    let (random_slopes, random_slopes_unavailable) =
        match from_random_slopes(fit, design, &req.term, &req.group, inputs.means()) {
            Ok(r) => (Some(r), None),
            Err(e @ (ReportError::NoRandomSlope { .. } | ReportError::UnknownGroup { .. })) => {
                (None, Some(e.to_string()))
            }
            Err(e) => return Err(e),
        };
    let separate_glms = from_separate_glms(design, &inputs.grouping, &req.term, inputs.means())?;
    Ok(LaGradientReport { random_slopes, random_slopes_unavailable, separate_glms })
}
