//! The second stage of a fit: a request built on the data. Its formula is parsed and evaluated
//! into a design ([`BuiltFormula`]); the design is checked and made ready to optimise
//! ([`crate::fit::prepare`]: the columns kept, the random-effect structure and the objective).
//! [`PreparedModel::fit`] runs the optimiser and makes the fitted model.

use super::{EngineError, FitRequest, FittedModel};
use crate::data::DataFrame;
use crate::design::Design;
use crate::fit::{prepare_zero_inflated, Prepared, Progress, RandomStructure, ZeroInflationDesign};
use crate::formula::{build_design_with_info, parse, DesignInfo, Formula};

/// A formula parsed and evaluated on the data: its design and what building it found.
#[derive(Debug, Clone)]
pub struct BuiltFormula {
    pub formula: Formula,
    pub design: Design,
    pub info: DesignInfo,
    /// The zero-inflation part's model matrix on the design's rows, if the request has one.
    pub zi: Option<ZeroInflationDesign>,
}

impl BuiltFormula {
    /// Parses `formula` and builds its design on `df`.
    pub fn new(df: &DataFrame, formula: &str) -> Result<BuiltFormula, EngineError> {
        let formula = parse(formula)?;
        let (design, info) = build_design_with_info(df, &formula)?;
        Ok(BuiltFormula { formula, design, info, zi: None })
    }
}

impl BuiltFormula {
    /// Adds the zero-inflation formula `zi` (one-sided, `~1` or `~ x + ...`), evaluated on the
    /// rows of the design: every variable it uses must be present wherever the model's are.
    pub fn zero_inflated(mut self, df: &DataFrame, zi: Option<&str>) -> Result<BuiltFormula, EngineError> {
        self.zi = match zi {
            Some(zi) => Some(zero_inflation_design(df, &self, zi)?),
            None => None,
        };
        Ok(self)
    }
}

/// The zero-inflation model matrix of the one-sided formula `zi` on the rows of `built`.
fn zero_inflation_design(
    df: &DataFrame,
    built: &BuiltFormula,
    zi: &str,
) -> Result<ZeroInflationDesign, EngineError> {
    let request = |message: String| EngineError::Request { message };
    let rhs = zi.trim();
    let Some(rhs) = rhs.strip_prefix('~') else {
        return Err(request(format!(
            "the zero-inflation formula '{zi}' must start with '~', as in ~1 or ~ imd_z (fixed effects only)"
        )));
    };
    if rhs.contains('|') {
        return Err(request(format!(
            "the zero-inflation formula '{zi}' may hold fixed effects only (no random-effect terms such as (1 | la))"
        )));
    }
    if rhs.contains("offset(") {
        return Err(request(format!("the zero-inflation formula '{zi}' may not hold an offset")));
    }
    let whole = format!("{} ~ {}", built.formula.response(), rhs.trim());
    let formula = parse(&whole).map_err(|e| request(format!("in the zero-inflation formula '{zi}': {e}")))?;
    let (design, _) = build_design_with_info(df, &formula)
        .map_err(|e| request(format!("in the zero-inflation formula '{zi}': {e}")))?;
    let mut x = nalgebra::DMatrix::zeros(built.design.y.len(), design.x.ncols());
    let mut k = 0;
    for (i, row) in built.design.rows.iter().enumerate() {
        while k < design.rows.len() && design.rows[k] < *row {
            k += 1;
        }
        if design.rows.get(k) != Some(row) {
            return Err(request(format!(
                "row {row} has a missing value in a column of the zero-inflation formula '{zi}' but not in the \
                 model's: fill the cell, or leave the row out of the data"
            )));
        }
        for j in 0..design.x.ncols() {
            x[(i, j)] = design.x[(k, j)];
        }
    }
    Ok(ZeroInflationDesign { formula: format!("~{}", rhs.trim_start()), x, names: design.x_names })
}

/// A fixed-effect factor has many levels when it has more than this many and fewer than
/// [`MANY_LEVELS_ROWS`] rows per level: a coefficient per level is then rarely what was meant
/// (an area code belongs in a random effect; a column of numbers with text in it should be
/// fixed), so it is fitted only when the request says so ([`FitRequest::many_levels`]).
pub const MANY_LEVELS: usize = 30;
/// See [`MANY_LEVELS`].
pub const MANY_LEVELS_ROWS: usize = 10;

impl BuiltFormula {
    /// Refuses a response the request's family does not take, naming the column: a 0/1 (or
    /// TRUE/FALSE) column or `cbind(successes, failures)` for the binomial family, counts for
    /// the others.
    pub fn check_family(&self, request: &FitRequest) -> Result<(), EngineError> {
        let column = self.formula.response();
        let written = self.formula.response_text();
        let message = match crate::fit::check_family(&self.design, request.family) {
            Ok(()) => return Ok(()),
            Err(crate::fit::FitError::BinomialResponse { row, value }) => format!(
                "row {row}: {column} is {}; a binomial response in one column must be 0 or 1 (or TRUE/FALSE). \
                 For successes out of trials, write the response as cbind({column}, failures), the failures \
                 being a column or an expression such as trials - {column}",
                crate::report::rformat::format_g(value, 6)
            ),
            Err(crate::fit::FitError::TrialsNeedBinomial { family }) => format!(
                "the response {written} counts successes out of trials, which the {family} family does not take: \
                 choose the binomial family, or a single column of counts as the response"
            ),
            Err(e) => e.to_string(),
        };
        Err(EngineError::Request { message })
    }

    /// Refuses a fixed-effect factor with many levels for the rows used (see [`MANY_LEVELS`])
    /// unless the request says to fit it.
    pub fn check_levels(&self, request: &FitRequest) -> Result<(), EngineError> {
        if request.many_levels {
            return Ok(());
        }
        let rows = self.design.nobs();
        match self
            .info
            .factors
            .iter()
            .find(|f| f.levels.len() > MANY_LEVELS && f.levels.len().saturating_mul(MANY_LEVELS_ROWS) > rows)
        {
            Some(f) => Err(EngineError::ManyLevels { term: f.term.clone(), levels: f.levels.len(), rows }),
            None => Ok(()),
        }
    }
}

/// Values of a model column beyond these (in absolute size) cannot be fitted as they are: a
/// coefficient times 1e15 overflows `exp()` at once, and a column below 1e-12 is taken for zero
/// by the rank check.
const SCALE_LIMITS: (f64, f64) = (1e-12, 1e15);

/// Refuses a fixed-effect column whose values are all too small, or some too large, to fit,
/// naming the column, the row and the value, and how to rescale it.
fn check_scale(design: &Design) -> Result<(), EngineError> {
    let largest =
        |values: &[f64]| values.iter().map(|v| v.abs()).enumerate().max_by(|a, b| a.1.total_cmp(&b.1));
    if let Some((i, y)) = largest(&design.y).filter(|&(_, y)| y > SCALE_LIMITS.1) {
        let row = design.rows.get(i).copied().unwrap_or(i + 1);
        return Err(EngineError::Request {
            message: format!(
                "the count in row {row} is {}, far beyond any count of children; check the cell",
                crate::report::rformat::format_g(y, 4)
            ),
        });
    }
    for (j, name) in design.x_names.iter().enumerate() {
        let Some((i, largest)) = largest(design.x.column(j).as_slice()) else { continue };
        let row = design.rows.get(i).copied().unwrap_or(i + 1);
        let message = if largest > SCALE_LIMITS.1 {
            format!(
                "the model column '{name}' holds values as large as {} (row {row}), which no rate model can fit: \
                 a coefficient times such a value overflows; check the cell, or rescale the column, as in \
                 scale(x) or I(x / 1e6)",
                crate::report::rformat::format_g(largest, 4)
            )
        } else if largest > 0.0 && largest < SCALE_LIMITS.0 {
            format!(
                "the model column '{name}' holds no value larger than {} (row {row}), too small to estimate a \
                 coefficient for; rescale the column, as in scale(x) or I(x * 1e6)",
                crate::report::rformat::format_g(largest, 4)
            )
        } else {
            continue;
        };
        return Err(EngineError::Request { message });
    }
    Ok(())
}

/// A request built on the data and made ready to fit.
#[derive(Debug, Clone)]
pub struct PreparedModel {
    pub built: BuiltFormula,
    pub request: FitRequest,
    prepared: Prepared,
}

impl PreparedModel {
    /// Builds `request` on `df` and checks everything the fit checks before it optimises.
    pub fn new(df: &DataFrame, request: &FitRequest) -> Result<PreparedModel, EngineError> {
        PreparedModel::from_built(
            BuiltFormula::new(df, &request.formula)?.zero_inflated(df, request.zi.as_deref())?,
            request,
        )
    }

    /// Prepares `request` on its formula already built on the data.
    pub fn from_built(built: BuiltFormula, request: &FitRequest) -> Result<PreparedModel, EngineError> {
        let options = request.options()?;
        built.check_levels(request)?;
        built.check_family(request)?;
        check_scale(&built.design)?;
        if request.zi.is_some() != built.zi.is_some() {
            return Err(EngineError::Request {
                message: "the zero-inflation formula was not evaluated on the data".into(),
            });
        }
        let prepared = prepare_zero_inflated(&built.design, built.zi.as_ref(), request.family, &options)?;
        Ok(PreparedModel { built, request: request.clone(), prepared })
    }

    /// The design's random-effect structure.
    pub fn structure(&self) -> &RandomStructure {
        &self.prepared.structure
    }

    /// Fits the model, calling `progress` once per outer iteration, and adds the profiles the
    /// request asks for from the optimum.
    pub fn fit(self, progress: &mut dyn FnMut(&Progress)) -> Result<FittedModel, EngineError> {
        let PreparedModel { built, request, prepared } = self;
        let options = prepared.options.clone();
        let (fit, optimum) = prepared.fit(&built.design, progress)?;
        let mut model = FittedModel::new(built, request, options, fit, optimum);
        if model.request.profile || !model.request.profile_terms.is_empty() {
            let terms = model.request.profile_terms.clone();
            model.add_profiles(&terms)?;
        }
        Ok(model)
    }
}
