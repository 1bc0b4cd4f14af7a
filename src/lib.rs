//! Social Gradient Calculator engine.
//!
//! A pure Rust engine, usable natively and from WebAssembly:
//! - [`tables`]: the published coefficient tables of Webb et al. (2020) and Hood et al. (2021),
//!   embedded as typed data with their citations;
//! - [`calculator`]: social-gradient scores, confidence intervals and expected rates for a chosen
//!   local-authority (LA) context, computed from those tables;
//! - [`data`], [`formula`], [`design`]: reading aggregate CSV files, the lme4/glmmTMB formula
//!   language and the model matrices it describes;
//! - [`pipeline`]: the fitting pipeline and its front door, [`pipeline::Session`]: a request,
//!   the model prepared on the data, the optimiser, and the fitted model that keeps its
//!   objective at the optimum for every later question;
//! - [`fit`]: Poisson, NB1 and NB2 GLMs and GLMMs by maximum likelihood (Laplace / adaptive
//!   Gauss-Hermite quadrature): the likelihoods and the optimisers;
//! - [`diagnostics`]: checks of a fitted model by simulation (scaled residuals, dispersion, zero
//!   inflation, Moran's I of the residuals);
//! - [`report`]: coefficient tables, social-gradient views and model comparison on top of a fit;
//! - [`fit_views`]: what the page shows after a fit: gradient scores in words, chart data with
//!   table alternatives, and an R script that reproduces the fit;
//! - [`charts`]: chart drawing on any plotters backend (an HTML canvas in the browser);
//! - [`gini`]: an LA's Gini coefficient estimated from household incomes in bands, with a
//!   bootstrap interval, as Webb et al. (2020) estimated theirs;
//! - [`correlation`]: Spearman's rank correlation, as R computes it;
//! - [`places`]: the 151 English upper-tier local authorities with their deprivation measures and
//!   the spread of neighbourhood deprivation inside each (public data, OGL v3.0);
//! - [`rates`]: the Department for Education's figures for those LAs, 2013-2025, their trends,
//!   and "higher or lower than expected" from a negative binomial model fitted by [`pipeline`];
//! - [`samples`]: synthetic data sets simulated from the published models, with the seeded
//!   generator of [`random`];
//! - [`tour`]: the guided tour for teaching, each step's words, numbers, chart and sources;
//! - [`six_las`]: the child-level study of six local authorities (Hood et al. 2020) as forest plots,
//!   tables and readings;
//! - [`workflow`]: column roles, derived LA columns and guided model choices written as a formula.
//!
//! Everything from [`data`] to [`workflow`] except the calculator's modules is the fitting engine,
//! compiled with the `engine` feature (on by default, through `cli`); without it the library is the
//! calculator alone: [`tables`], [`places`], [`calculator`], [`charts`], [`correlation`],
//! [`six_las`] and [`tour`].
//!
//! The JavaScript bindings live in `bindings` and are compiled only for `wasm32`: the calculator's
//! functions always, the fitting engine's with the `engine` feature. The `forest-plots` feature
//! builds the forest plots' drawing alone instead (`forest_bindings`).

pub mod calculator;
pub mod charts;
pub mod correlation;
#[cfg(feature = "engine")]
pub mod data;
#[cfg(feature = "engine")]
pub mod design;
#[cfg(feature = "engine")]
pub mod diagnostics;
#[cfg(feature = "engine")]
pub mod fit;
#[cfg(feature = "engine")]
pub mod fit_views;
#[cfg(feature = "engine")]
pub mod formula;
#[cfg(feature = "engine")]
pub mod gini;
#[cfg(feature = "engine")]
pub mod pipeline;
pub mod places;
#[cfg(feature = "engine")]
pub mod random;
#[cfg(feature = "engine")]
pub mod rates;
#[cfg(feature = "engine")]
pub mod report;
#[cfg(feature = "engine")]
pub mod samples;
pub mod six_las;
pub mod tables;
pub mod tour;
#[cfg(feature = "engine")]
pub mod workflow;

#[cfg(all(target_arch = "wasm32", not(feature = "forest-plots")))]
mod bindings;
#[cfg(all(target_arch = "wasm32", feature = "forest-plots"))]
mod forest_bindings;
