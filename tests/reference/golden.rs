//! Typed access to the R reference values in `tests/reference/` (see the README there).
//!
//! Other test targets can reuse these types with
//! `#[path = "reference/golden.rs"] mod golden;`. Fields that only some methods record are
//! `Option`s; numbers that R reported as `NA`/`NaN` are `None`.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The folder holding `data/`, `golden/` and `make_golden.R`.
pub fn reference_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("reference")
}

/// Reads and parses one JSON file below [`reference_dir`].
pub fn read_json<T: for<'de> Deserialize<'de>>(relative: &str) -> T {
    let path = reference_dir().join(relative);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("cannot parse {}: {e}", path.display()))
}

/// `golden/index.json`.
#[derive(Debug, Deserialize)]
pub struct Index {
    pub versions: BTreeMap<String, String>,
    pub datasets: BTreeMap<String, DatasetInfo>,
    /// Ids of the fits written to `golden/fits/ID.json`.
    pub fits: Vec<String>,
    pub excluded: Vec<Excluded>,
}

impl Index {
    pub fn load() -> Index {
        read_json("golden/index.json")
    }
}

#[derive(Debug, Deserialize)]
pub struct Excluded {
    pub id: String,
    pub reason: String,
}

/// One synthetic data set and the model that generated it.
#[derive(Debug, Deserialize)]
pub struct DatasetInfo {
    /// CSV path relative to `tests/reference`.
    pub file: String,
    pub seed: u64,
    pub rows: usize,
    pub las: usize,
    pub msoas: usize,
    pub zero_count_rows: usize,
    #[serde(default)]
    pub blank_cells: Vec<BlankCell>,
    pub truth: Truth,
}

/// A blank cell of `small_missing.csv` (1-based data row, header excluded).
#[derive(Debug, Deserialize)]
pub struct BlankCell {
    pub row: usize,
    pub column: String,
}

/// Generating parameters of a data set.
#[derive(Debug, Deserialize)]
pub struct Truth {
    pub family: String,
    pub dispersion: Option<f64>,
    pub formula: String,
    /// Raw-scale coefficients named as R names them.
    pub beta: BTreeMap<String, f64>,
    pub sd_la: BTreeMap<String, f64>,
    pub cor_la: f64,
    pub sd_msoa: f64,
    pub zero_heavy_las: Vec<String>,
    pub zero_heavy_shift: f64,
    pub la_effects: LaEffects,
}

/// The LA random effects that were drawn, in the order of `la`.
#[derive(Debug, Deserialize)]
pub struct LaEffects {
    pub la: Vec<String>,
    pub intercept: Vec<f64>,
    pub imd_z: Vec<f64>,
}

/// `golden/fits/ID.json`: one model fitted in R.
#[derive(Debug, Deserialize)]
pub struct Fit {
    pub id: String,
    pub dataset: String,
    /// CSV path relative to `tests/reference`.
    pub data: String,
    pub model: String,
    /// The formula exactly as given to R.
    pub formula: String,
    /// `poisson`, `nbinom1` or `nbinom2`.
    pub family: String,
    /// `glmmTMB`, `glm`, `glm.nb`, `glmer_nAGQ1` or `glmer_nAGQ9`.
    pub method: String,
    /// Quadrature points (1 = Laplace); `None` for models without random effects.
    pub nagq: Option<u32>,
    pub versions: BTreeMap<String, String>,
    /// `logLik()`; `None` where R returns `NA` (glmmTMB with a non-positive-definite Hessian).
    pub loglik: Option<f64>,
    pub df: u32,
    pub aic: Option<f64>,
    pub bic: Option<f64>,
    pub nobs: usize,
    pub fixed: Vec<FixedEffect>,
    /// `theta` (NB2) or `phi` (NB1).
    #[serde(default)]
    pub dispersion_name: Option<String>,
    #[serde(default)]
    pub dispersion: Option<f64>,
    /// glmmTMB: estimate and SE of the log-dispersion parameter.
    #[serde(default)]
    pub log_dispersion: Option<LogDispersion>,
    /// glm.nb: `SE.theta`.
    #[serde(default)]
    pub dispersion_se: Option<f64>,
    #[serde(default)]
    pub twologlik: Option<f64>,
    #[serde(default)]
    pub deviance: Option<f64>,
    #[serde(default)]
    pub null_deviance: Option<f64>,
    #[serde(default)]
    pub df_residual: Option<f64>,
    pub random: Vec<RandomEffect>,
    pub modes: Vec<Modes>,
    pub scale_terms: Vec<ScaleTerm>,
    /// glmmTMB: the optimiser's parameter vector.
    #[serde(default)]
    pub par: Option<Par>,
    /// glmmTMB: minus the log-likelihood at the optimum.
    #[serde(default)]
    pub objective: Option<f64>,
    /// glmer: the control settings used.
    #[serde(default)]
    pub control: Option<String>,
    /// glmer: `sum log Pois(y; y)`, missing from lme4's nAGQ > 1 log-likelihood.
    #[serde(default)]
    pub saturated_loglik: Option<f64>,
    /// glmer: marginal log-likelihood with every constant, by this fit's quadrature.
    #[serde(default)]
    pub loglik_full: Option<f64>,
    /// glmer: the exact marginal log-likelihood at the same parameters.
    #[serde(default)]
    pub loglik_integrated: Option<f64>,
    /// glmer: fixed-effect SEs from a central-difference Hessian of `loglik_full`.
    #[serde(default)]
    pub hessian_std_error: Option<Vec<f64>>,
    /// glmmTMB fits: the fixed-effect standard errors from a Hessian differentiated with a 1e-5
    /// step rather than optimHess()'s default 1e-3 (see make_golden.R).
    #[serde(default)]
    pub fixed_std_error_precise: Option<Vec<f64>>,
    pub convergence: Convergence,
}

impl Fit {
    pub fn load(id: &str) -> Fit {
        read_json(&format!("golden/fits/{id}.json"))
    }

    /// The fixed effect called `name`.
    pub fn coef(&self, name: &str) -> &FixedEffect {
        self.fixed
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("{}: no coefficient {name}", self.id))
    }

    /// The random-effect term whose grouping factor R calls `group`.
    pub fn random_term(&self, group: &str) -> &RandomEffect {
        self.random
            .iter()
            .find(|r| r.group == group)
            .unwrap_or_else(|| panic!("{}: no random effect for {group}", self.id))
    }
}

#[derive(Debug, Deserialize)]
pub struct FixedEffect {
    pub name: String,
    pub estimate: f64,
    pub std_error: Option<f64>,
    pub z: Option<f64>,
    pub p: Option<f64>,
}

#[derive(Debug, Deserialize)]
pub struct LogDispersion {
    pub estimate: f64,
    pub std_error: Option<f64>,
}

/// Variance components of one grouping factor.
#[derive(Debug, Deserialize)]
pub struct RandomEffect {
    /// As R names it: `la`, `msoa:la` for the inner factor of `(1 | la/msoa)`, `la:msoa`.
    pub group: String,
    pub terms: Vec<String>,
    pub sd: Vec<Option<f64>>,
    /// Full correlation matrix, row by row.
    pub corr: Vec<Vec<Option<f64>>>,
}

/// Conditional modes of the random effects, one row per level.
#[derive(Debug, Deserialize)]
pub struct Modes {
    pub group: String,
    pub terms: Vec<String>,
    pub levels: Vec<String>,
    pub values: Vec<Vec<f64>>,
}

/// The centre and scale R used for a `scale(x)` term.
#[derive(Debug, Deserialize)]
pub struct ScaleTerm {
    pub term: String,
    pub center: f64,
    pub scale: f64,
}

#[derive(Debug, Deserialize)]
pub struct Par {
    pub names: Vec<String>,
    pub values: Vec<f64>,
}

#[derive(Debug, Deserialize)]
pub struct Convergence {
    pub code: i32,
    pub message: String,
    pub pd_hess: bool,
    #[serde(default)]
    pub max_abs_gradient: Option<f64>,
    /// Largest Newton step to the exact optimum, in standard errors.
    #[serde(default)]
    pub newton_step_se: Option<f64>,
    pub singular: bool,
    pub warnings: Vec<String>,
}

/// `golden/lr_tests.json`.
#[derive(Debug, Deserialize)]
pub struct LrTests {
    pub versions: BTreeMap<String, String>,
    pub tests: Vec<LrTest>,
}

impl LrTests {
    pub fn load() -> LrTests {
        read_json("golden/lr_tests.json")
    }
}

/// `anova(null, alternative)` between two glmmTMB fits; vectors hold (null, alternative).
#[derive(Debug, Deserialize)]
pub struct LrTest {
    pub dataset: String,
    pub family: String,
    pub null_fit: String,
    pub alternative_fit: String,
    pub null_formula: String,
    pub alternative_formula: String,
    pub loglik: Vec<f64>,
    pub df: Vec<u32>,
    pub aic: Vec<f64>,
    pub bic: Vec<f64>,
    pub chisq: f64,
    pub chisq_df: u32,
    pub p: f64,
}

/// `golden/per_la_poisson.json`: a separate Poisson GLM per LA.
#[derive(Debug, Deserialize)]
pub struct PerLa {
    pub versions: BTreeMap<String, String>,
    pub dataset: String,
    pub data: String,
    pub formula: String,
    pub family: String,
    pub method: String,
    pub fits: Vec<PerLaFit>,
}

impl PerLa {
    pub fn load() -> PerLa {
        read_json("golden/per_la_poisson.json")
    }
}

#[derive(Debug, Deserialize)]
pub struct PerLaFit {
    pub la: String,
    pub rows: usize,
    pub mean_imd: f64,
    pub la_imd: f64,
    pub intercept: f64,
    pub intercept_se: f64,
    pub imd_z: f64,
    pub imd_z_se: f64,
    pub converged: bool,
}

/// One row of a reference CSV; blank cells are `None`.
#[derive(Debug, Deserialize)]
pub struct DataRow {
    pub lsoa: Option<String>,
    pub la: Option<String>,
    pub msoa: Option<String>,
    pub count: Option<u32>,
    pub pop: Option<u32>,
    pub imd: Option<f64>,
    pub imd_z: Option<f64>,
    pub la_imd: Option<f64>,
    pub gini: Option<f64>,
    pub rural: Option<String>,
}

/// Reads a reference CSV (path relative to `tests/reference`).
pub fn read_data(relative: &str) -> Vec<DataRow> {
    let path = reference_dir().join(relative);
    let mut reader =
        csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()));
    reader
        .deserialize()
        .enumerate()
        .map(|(i, row)| row.unwrap_or_else(|e| panic!("{} row {}: {e}", path.display(), i + 1)))
        .collect()
}
