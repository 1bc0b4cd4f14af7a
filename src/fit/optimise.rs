//! The optimisers, separate from the likelihoods they maximise: quasi-Newton and Newton
//! minimisation of a smooth function ([`minimise`]), Newton's method on the exact likelihood of
//! a model without random effects ([`glm`]), the maximisation of a mixed model's approximate
//! likelihood over its outer parameters ([`maximise`]), and profile-likelihood intervals from an
//! optimum ([`profile`]).

pub(crate) mod glm;
pub(crate) mod maximise;
pub mod minimise;
pub(crate) mod profile;
