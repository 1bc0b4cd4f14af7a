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
