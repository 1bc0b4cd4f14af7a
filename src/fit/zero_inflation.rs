//! The zero-inflation part of a model (glmmTMB's `ziformula`): its design, given beside the
//! conditional model's, and its reported estimates. The likelihood is in
//! [`super::likelihood::zero_inflation`].

use nalgebra::DMatrix;
use serde::Serialize;

/// The zero-inflation model matrix of a design: fixed effects only, logit link, one row per
/// design row (the rows of the conditional model).
#[derive(Clone, Debug, PartialEq)]
pub struct ZeroInflationDesign {
    /// The one-sided formula as given (`~1`, `~ imd_z`).
    pub formula: String,
    /// `n x pz` model matrix.
    pub x: DMatrix<f64>,
    /// Column names, as R's `model.matrix` names them.
    pub names: Vec<String>,
}

/// The estimated zero-inflation part of a fit.
#[derive(Clone, Debug, Serialize)]
pub struct ZeroInflationFit {
    /// The one-sided formula.
    pub formula: String,
    /// Coefficient names (logit scale).
    pub terms: Vec<String>,
    pub estimate: Vec<f64>,
    /// Covariance of the estimates (`pz x pz`), NaN where unavailable.
    pub cov: Vec<Vec<f64>>,
    /// Probability of a structural zero per design row.
    #[serde(skip)]
    pub probability: Vec<f64>,
}

impl ZeroInflationFit {
    /// Standard error of coefficient `k` (NaN where unavailable).
    pub fn std_error(&self, k: usize) -> f64 {
        self.cov[k][k].sqrt()
    }
}
