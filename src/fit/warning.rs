//! Warnings about a fit, each with a code, a plain-words message saying what happened and
//! advice saying what to try. The command line's `--json` and the page show all three.

use serde::Serialize;
use std::fmt;

/// What a warning is about; serialised in snake case (`singular_fit`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningCode {
    /// Rows left out because a column the model uses is missing.
    RowsMissing,
    /// Model-matrix columns dropped as linear combinations of earlier ones.
    RankDeficient,
    /// A random-effect variance estimated as (near) zero.
    SingularFit,
    /// A parameter at the edge of its range: a random-effect correlation at +-1, or the
    /// negative binomial dispersion at its limit.
    Boundary,
    /// The optimiser stopped before the gradient vanished.
    NonConvergence,
    /// Fitted means numerically zero: a covariate separates the zero counts.
    Separation,
    /// The Hessian (observed information) is not positive definite at the estimates.
    HessianNotPd,
    /// Many more zero counts than the fitted model expects.
    ZeroInflationSuspected,
    /// Cells of a column the model uses that are not numbers, read as missing.
    BadCells,
}

/// One warning: its code, what happened and what to try.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Warning {
    pub code: WarningCode,
    /// What happened, in plain words, naming the terms involved.
    pub message: String,
    /// What to try.
    pub advice: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)
    }
}

impl Warning {
    fn new(code: WarningCode, message: String, advice: &str) -> Warning {
        Warning { code, message, advice: advice.to_owned() }
    }

    pub fn rows_missing(message: String) -> Warning {
        Warning::new(
            WarningCode::RowsMissing,
            message,
            "Check that the blank cells are really unknown; if many rows are left out, the model describes \
             only the rows that remain. Fill in or drop the column if you can.",
        )
    }

    pub fn rank_deficient(message: String) -> Warning {
        Warning::new(
            WarningCode::RankDeficient,
            message,
            "Two or more terms carry the same information (for instance an LA-level variable and its \
             group mean, or a category with a single value). Remove one of them from the formula.",
        )
    }

    pub fn singular_fit(message: String) -> Warning {
        Warning::new(
            WarningCode::SingularFit,
            message,
            "The data show no differences between these groups beyond what the rest of the model \
             explains. The other estimates can still be read; a model without that random effect (or \
             without the slope) fits as well and is simpler.",
        )
    }

    pub fn boundary(message: String, advice: &str) -> Warning {
        Warning::new(WarningCode::Boundary, message, advice)
    }

    pub fn non_convergence(message: String) -> Warning {
        Warning::new(
            WarningCode::NonConvergence,
            message,
            "Do not report these estimates yet. Try a simpler model (fewer random effects, or Poisson \
             instead of negative binomial), centre or rescale covariates with large values (scale(x)), \
             or check for LAs with very few rows.",
        )
    }

    pub fn separation(message: String) -> Warning {
        Warning::new(
            WarningCode::Separation,
            message,
            "Look for a category or range of a covariate in which every count is zero, and merge that \
             category with another or leave the covariate out.",
        )
    }

    pub fn hessian_not_pd(message: String) -> Warning {
        Warning::new(
            WarningCode::HessianNotPd,
            message,
            "The standard errors and intervals cannot be trusted. The model is usually too complex for \
             the data: remove a random slope or a correlated term, check for terms that are nearly the \
             same, and put covariates on comparable scales (scale(x)).",
        )
    }

    pub fn zero_inflation_suspected(message: String) -> Warning {
        Warning::new(
            WarningCode::ZeroInflationSuspected,
            message,
            "Some neighbourhoods may have no cases for reasons outside the model (a service not \
             recording, very small populations). Try the negative binomial family, which allows more \
             zeros, check the neighbourhoods with zero counts, and run 'Check the model' for the \
             simulation test of zeros.",
        )
    }

    pub fn bad_cells(message: String) -> Warning {
        Warning::new(
            WarningCode::BadCells,
            message,
            "Fix these cells in the file and load it again if their rows belong in the model; the rows \
             left out are counted under the rows with a missing value.",
        )
    }
}
