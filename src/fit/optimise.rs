//! The optimisers: quasi-Newton and Newton minimisation, the maximisation of a mixed model's
//! approximate likelihood, and profile-likelihood intervals.

pub(super) mod maximise;
pub(super) mod minimise;
pub(super) mod profile;

// Paths the modules above used when they sat directly in `fit`.
use super::likelihood::{agq, covariance, glm, laplace, layout, params};
use super::{error, Family, FitOptions, Progress};
use maximise as mixed;
use minimise as optim;
