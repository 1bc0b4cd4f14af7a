//! The first stage of a fit: what to fit, as typed data (formula, family and options), and its
//! options checked.

use super::EngineError;
use crate::fit::{Family, FitOptions};
use serde::{Deserialize, Serialize};

/// What to fit. Deserialises from `{"formula": "...", "family": "nbinom2", "nagq": 1}`;
/// every field but `formula` and `family` is optional.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FitRequest {
    /// lme4 / glmmTMB formula, such as `count ~ imd_z + offset(log(pop)) + (1 | la)`.
    pub formula: String,
    pub family: Family,
    /// Adaptive Gauss-Hermite quadrature points (1 = Laplace approximation).
    #[serde(default = "default_nagq")]
    pub nagq: usize,
    /// Maximum optimiser iterations (engine default when absent).
    #[serde(default)]
    pub max_iter: Option<usize>,
    /// Convergence tolerance on the gradient (engine default when absent).
    #[serde(default)]
    pub grad_tol: Option<f64>,
    /// Add profile-likelihood intervals of the dispersion and every random-effect SD.
    #[serde(default)]
    pub profile: bool,
    /// Fixed effects (as the report names them) to add profile-likelihood intervals for.
    #[serde(default)]
    pub profile_terms: Vec<String>,
    /// Fit a fixed-effect factor with many levels for its rows (see
    /// [`super::prepared::MANY_LEVELS`]) as asked; without it such a factor is refused, with
    /// the question.
    #[serde(default)]
    pub many_levels: bool,
    /// Fit every spatial field with the nearest-neighbour approximation with this many
    /// neighbours (absent: exact or approximate by the field's size).
    #[serde(default)]
    pub field_neighbours: Option<usize>,
}

fn default_nagq() -> usize {
    1
}

impl FitRequest {
    /// A request with the engine's default options.
    pub fn new(formula: &str, family: Family) -> FitRequest {
        FitRequest {
            formula: formula.to_owned(),
            family,
            nagq: 1,
            max_iter: None,
            grad_tol: None,
            profile: false,
            profile_terms: Vec::new(),
            many_levels: false,
            field_neighbours: None,
        }
    }

    /// The fitting options, checked ([`FitOptions::check`]): the engine's defaults where the
    /// request names none.
    pub fn options(&self) -> Result<FitOptions, EngineError> {
        let defaults = FitOptions::default();
        let options = FitOptions {
            nagq: self.nagq,
            max_iter: self.max_iter.unwrap_or(defaults.max_iter),
            grad_tol: self.grad_tol.unwrap_or(defaults.grad_tol),
            field_neighbours: self.field_neighbours,
        };
        options.check()?;
        Ok(options)
    }
}
