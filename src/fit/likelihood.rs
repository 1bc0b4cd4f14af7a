//! The likelihoods the optimisers maximise, behind one trait, [`LogLikelihood`]:
//!
//! - [`glm`]: the exact log-likelihood of a model without random effects;
//! - [`laplace`]: the Laplace approximation of a mixed model's marginal log-likelihood (random
//!   effects on one grouping factor, or two nested ones, laid out by [`layout`]), with the
//!   conditional variances of its random effects ([`conditional`]);
//! - [`agq`]: adaptive Gauss-Hermite quadrature for a single random intercept;
//!
//! and what they share: the per-row log-likelihood of each family and its derivatives
//! ([`family`], with the special functions of [`special`]), the random-effect covariance
//! parametrisation ([`covariance`]) and the positions of the parameters in `psi` ([`params`]).

pub(crate) mod agq;
pub(crate) mod conditional;
pub(crate) mod covariance;
pub(crate) mod family;
pub(crate) mod glm;
pub(crate) mod laplace;
pub(crate) mod layout;
pub(crate) mod newton;
pub(crate) mod params;
pub(crate) mod special;
pub(crate) mod zero_inflation;

use nalgebra::DMatrix;

/// A model's log-likelihood (exact, or an approximation of the marginal one) in its outer
/// parameters `psi` (see [`params`]), with its gradient: what the optimisers maximise and the
/// profiles hold at a value.
pub trait LogLikelihood {
    /// The log-likelihood at `psi`, with its gradient written to `grad` (length `psi.len()`);
    /// `None` where it cannot be evaluated.
    fn loglik(&mut self, psi: &[f64], grad: &mut [f64]) -> Option<f64>;

    /// An approximation of `-d2 loglik / d beta2` at the last point evaluated, if the model
    /// offers one (a good start for the quasi-Newton iterations).
    fn fixed_information(&self) -> Option<DMatrix<f64>> {
        None
    }
}
