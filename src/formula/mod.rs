//! The model-formula language of lme4 / glmmTMB, and its evaluation against a data frame into
//! a [`crate::design::Design`].
//!
//! Supported (R's meaning throughout):
//! - response and terms: `count ~ imd + la_imd`, interactions `imd:la_imd`, crossing
//!   `imd * la_imd` (= `imd + la_imd + imd:la_imd`), `(a + b) * c`, `(a + b + c)^2`, nesting
//!   `a/b` (= `a + a:b`), deletion `a * b - a:b`;
//! - no intercept: `- 1`, `0 +` or `+ 0`;
//! - offsets: `offset(log(pop))`, `offset(log(pop / 10000))`, any arithmetic of columns and
//!   numbers with `+ - * / ^` and the functions below; several offsets are added;
//! - functions: `log`, `log2`, `log10`, `log1p`, `exp`, `sqrt`, `I(...)` (arithmetic such as
//!   `I(imd^2)`), and
//!   - `scale(x) = (x - mean(x)) / sd(x)`, `sd` with divisor `n - 1`;
//!   - `between(x, g)` = the mean of `x` over the rows of the same group of `g`;
//!   - `within(x, g) = x - between(x, g)`;
//!   - `factor(x)` (or `as.factor(x)`): a number column used as a factor.
//!
//!   Means and standard deviations are taken over every row of the file where `x` is present,
//!   before rows with missing values elsewhere are dropped, as R's `model.frame` computes them;
//!   [`build_design_with_info`] returns the values used ([`DesignInfo`]). A row whose `g` is
//!   missing is dropped (R's `ave` would keep it with `within` = 0);
//! - text columns are factors with treatment contrasts, levels sorted by byte order (R's C
//!   locale), the first level the reference (see [`build_design`]);
//! - model-matrix columns are named and ordered as glmmTMB names and orders them (which, for
//!   an interaction written before its main effects, can differ from a plain `model.matrix`
//!   call: `count ~ ward:region + region` gives `regionNorth:wardeast`);
//! - random effects: `(1 | la)`, `(1 + imd | la)` (correlated), `(0 + imd | la)`,
//!   `(1 | la:msoa)` and nested `(1 | la/msoa)` (= `(1 | msoa:la) + (1 | la)`, as lme4 expands
//!   it); grouping columns may hold text or numbers (numbers are labels there);
//! - a spatial field `exp(pos(x, y) + 0 | g)` (glmmTMB's `exp(pos + 0 | g)`): one Gaussian
//!   effect per distinct location `(x, y)` of each level of `g`, correlated as
//!   `sd^2 exp(-d / range)` within a level and independent between levels;
//! - column names that are not R names are written in backticks: `` `child pop` ``.

mod build;
mod deparse;
mod error;
mod eval;
mod field;
mod model_matrix;
mod syntax;
mod terms;
mod validate;

pub use build::{build_design, build_design_with_info, DesignInfo, FactorInfo, MissingCount};
pub use deparse::r_number;
pub use error::{DesignError, FormulaError, Problem, Span};
pub use eval::{GroupMeans, Scaling};
pub use terms::{parse, FieldCoordinates, Formula, FormulaSummary, RandomSpec, RandomSummary};
pub use validate::{validate, validate_and_build, ValidationReport, VALIDATION_CAP};

/// How many row problems a [`DesignError::Rows`] lists before only counting the rest.
pub const ROW_PROBLEM_CAP: usize = 20;

/// R definitions of the group-centring functions, to put at the top of an exported R script so
/// that R computes the same columns:
/// `within(x, g)` is `x` minus the mean of `x` in its group; `between(x, g)` is that mean.
pub const R_HELPERS: &str =
    "within <- function(x, g) x - ave(x, g, FUN = function(v) mean(v, na.rm = TRUE))\n\
between <- function(x, g) ave(x, g, FUN = function(v) mean(v, na.rm = TRUE))\n";
