//! The optimisers, separate from the likelihoods they maximise: quasi-Newton and Newton
//! minimisation of a smooth function ([`minimise`]), the maximisation of a mixed model's
//! approximate likelihood over its outer parameters ([`maximise`]), and profile-likelihood
//! intervals from an optimum ([`profile`]).

pub(crate) mod maximise;
pub(crate) mod minimise;
pub(crate) mod profile;
