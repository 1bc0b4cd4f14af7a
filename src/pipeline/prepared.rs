//! The second stage of a fit: a request built on the data. Its formula is parsed and evaluated
//! into a design ([`BuiltFormula`]); the design is checked and made ready to optimise
//! ([`crate::fit::prepare`]: the columns kept, the random-effect structure and the objective).
//! [`PreparedModel::fit`] runs the optimiser and makes the fitted model.

use super::{EngineError, FitRequest, FittedModel};
use crate::data::DataFrame;
use crate::design::Design;
use crate::fit::{prepare, Prepared, Progress, RandomStructure};
use crate::formula::{build_design_with_info, parse, DesignInfo, Formula};

/// A formula parsed and evaluated on the data: its design and what building it found.
#[derive(Debug, Clone)]
pub struct BuiltFormula {
    pub formula: Formula,
    pub design: Design,
    pub info: DesignInfo,
}

impl BuiltFormula {
    /// Parses `formula` and builds its design on `df`.
    pub fn new(df: &DataFrame, formula: &str) -> Result<BuiltFormula, EngineError> {
        let formula = parse(formula)?;
        let (design, info) = build_design_with_info(df, &formula)?;
        Ok(BuiltFormula { formula, design, info })
    }
}

/// A fixed-effect factor has many levels when it has more than this many and fewer than
/// [`MANY_LEVELS_ROWS`] rows per level: a coefficient per level is then rarely what was meant
/// (an area code belongs in a random effect; a column of numbers with text in it should be
/// fixed), so it is fitted only when the request says so ([`FitRequest::many_levels`]).
pub const MANY_LEVELS: usize = 30;
/// See [`MANY_LEVELS`].
pub const MANY_LEVELS_ROWS: usize = 10;

impl BuiltFormula {
    /// Refuses a fixed-effect factor with many levels for the rows used (see [`MANY_LEVELS`])
    /// unless the request says to fit it.
    pub fn check_levels(&self, request: &FitRequest) -> Result<(), EngineError> {
        if request.many_levels {
            return Ok(());
        }
        let rows = self.design.nobs();
        match self.info.factors.iter().find(|f| {
            f.levels.len() > MANY_LEVELS && f.levels.len().saturating_mul(MANY_LEVELS_ROWS) > rows
        }) {
            Some(f) => Err(EngineError::ManyLevels { term: f.term.clone(), levels: f.levels.len(), rows }),
            None => Ok(()),
        }
    }
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
        PreparedModel::from_built(BuiltFormula::new(df, &request.formula)?, request)
    }

    /// Prepares `request` on its formula already built on the data.
    pub fn from_built(built: BuiltFormula, request: &FitRequest) -> Result<PreparedModel, EngineError> {
        let options = request.options()?;
        built.check_levels(request)?;
        let prepared = prepare(&built.design, request.family, &options)?;
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
