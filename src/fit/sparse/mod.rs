//! The Laplace approximation for general random effects: any number of grouping factors,
//! nested or crossed (`(1 | la_code) + (1 | year)`, `(1 | la) + (1 | msoa) + (1 | year)`), and
//! structured precision matrices over a term's levels (spatial fields), with the sparse
//! structure of the random effects used throughout.
//!
//! # The model
//!
//! Row `i` has the linear predictor `eta_i = offset_i + x_i' beta + z_i' b`, where `b` stacks
//! the effects of every term ([`EffectTerm`]): term `t` adds `z_ti' b_t[level_t(i)]` (`q_t`
//! columns). The effects of different terms are independent a priori, `b ~ N(0, Q^-1)` with
//! `Q` block diagonal over the terms: for an unstructured term `Q_t = I (x) Sigma_t^-1` over
//! its levels with rows; for a structured term `Q_t = Q_t(theta_t)` from its
//! [`PrecisionModel`] (for example the [`ExponentialField`], or its sparse nearest-neighbour
//! approximation [`NngpField`] for large fields). The outer parameters are
//! `psi = (beta, tau, theta_1, ..., theta_T)`.
//!
//! # The approximation
//!
//! With `l_i` the log-likelihood of row `i` (the family kernel of [`super::family`]), the log
//! joint density of the data and `b` is, up to `(m/2) ln(2 pi)` (`m` effects),
//!
//! `h(b) = sum_i l_i(eta_i) - 1/2 b'Q b + 1/2 ln|Q|`,
//!
//! its gradient `g = Z'l' - Q b` and its negative Hessian `H = Z'WZ + Q`,
//! `W = diag(-d2 l_i / d eta_i^2)`. At the mode `b^` (`g = 0`),
//!
//! `LA(psi) = sum_i l_i(eta_i^) - 1/2 b^'Q b^ + 1/2 ln|Q| - 1/2 ln|H|`.
//!
//! The mode is found by Newton's method on all of `b` at once with step halving (with Fisher
//! weights where the observed information is not positive definite, possible for NB1), started
//! from the modes of the last evaluation extrapolated with their stored sensitivities
//! `db^/dpsi` (usually one Newton step and a final assembly suffice). `H` is sparse: an entry
//! wherever two effects share a row or a prior block. Its pattern is ordered by approximate
//! minimum degree and analysed once (`symbolic`); each Newton step adds `Z'WZ` and `Q`
//! straight into the value array of the factorisation's input and refactorises numerically
//! (faer's Cholesky, `factor`: simplicial where the factor has a few entries per column, as for
//! crossed and nested grouping factors; supernodal, with dense kernels, where it has dense
//! blocks, as for an exact spatial field).
//!
//! # The exact gradient
//!
//! By the implicit function theorem `db^/dpsi = H^-1 d2h/db dpsi`, with
//! `d2h/db dbeta = Z' diag(d2l_i/deta2) X`, `d2h/db dtau = Z' (d2l_i/deta dtau)` and
//! `d2h/db dtheta = -dQ/dtheta b`, and
//! `dLA/dpsi = dh/dpsi - 1/2 tr(H^-1 dH/dpsi)`, where the total derivative of `H` includes
//! the change of `W` through `b^`: `d ln|H| / d b_j = sum_i s_i w'_i z_ij` with
//! `s_i = z_i' H^-1 z_i` and `w'_i = dW_i/d eta_i = -d3 l_i / d eta_i^3`. With
//! `a = sum_i s_i w'_i z_i` and `v = H^-1 a`, the term `-1/2 a' db^/dpsi` becomes
//! `-1/2 v' d2h/db dpsi`, so:
//!
//! - `dLA/dbeta = X'c`, `c_i = l'_i - 1/2 s_i w'_i + 1/2 W_i z_i'v`;
//! - `dLA/dtau = sum_i (dl_i/dtau + 1/2 s_i d3l_i/deta2 dtau - 1/2 (d2l_i/deta dtau) z_i'v)`;
//! - for a parameter of `Q`:
//!   `dLA/dtheta = -1/2 b'dQ b + 1/2 tr(Q^-1 dQ) - 1/2 tr(H^-1 dQ) + 1/2 v'dQ b`.
//!   For an unstructured term (`dQ = -I (x) D`, `D = Sigma^-1 dSigma/dtheta Sigma^-1`, `N`
//!   levels) this is `1/2 tr(D (M - N Sigma))`, `M = sum_levels (b b' + (H^-1)_level -
//!   sym(v b'))`; for a structured term `tr(Q^-1 dQ)` is the model's `d ln|Q| / dtheta` and
//!   `tr(H^-1 dQ)` runs over the pattern of `dQ`.
//!
//! Everything needs `H^-1` only on the pattern of `H` (`s_i` pairs the effects of one row,
//! `(H^-1)_level` and `dQ` lie in prior blocks), which the selected inverse (Takahashi's
//! recurrence on the Cholesky factor, `factor`) gives on the pattern of `L`, a superset, at
//! the cost of a factorisation. The same entries give the conditional variances of the
//! effects ([`SparseLaplace::conditional_variances`]).
//!
//! The mode iterations stop once the Newton decrement `g'u` (`u = H^-1 g`) at the observed
//! information is below 1e-18 (or below 1e-14 twice in a row, where rounding keeps it from
//! falling further); the first-order effect of the step `u` that remains is added to the value
//! (`1/2 g'u - 1/2 a'u`) and to the gradient (`v` replaced by `v - 2u`), as the block-arrow
//! evaluator of nested models does, so the two agree to rounding on the models both fit.

mod factor;
mod model;
mod nngp;
mod objective;
mod reference;
mod structured;
mod symbolic;

pub use model::{EffectTerm, SparseModel, Structure};
pub use nngp::NngpField;
pub use objective::{SparseLaplace, StructureSize};
pub use reference::NestedLaplace;
pub use structured::{ExponentialField, LowerPattern, PrecisionModel, PrecisionValues};
pub use symbolic::{Factorisation, SUPERNODAL_FLOPS_PER_ENTRY};
