//! The likelihoods the optimisers maximise: the exact GLM log-likelihood, the Laplace
//! approximation and adaptive quadrature, with the per-row family kernels they share.

pub(super) mod agq;
pub(super) mod conditional;
pub(super) mod covariance;
pub(super) mod family;
pub(super) mod glm;
pub(super) mod laplace;
pub(super) mod layout;
pub(super) mod params;
pub(super) mod special;

// Paths the modules above used when they sat directly in `fit`.
use super::optimise::maximise as mixed;
#[cfg(test)]
use super::testdata;
use super::{error, small, Family, Progress};
