//! The block-arrow evaluator of nested models, reachable from outside the engine so that
//! [`super::SparseLaplace`] can be compared with it on the same parameters (tests and
//! benchmarks).

use crate::design::Design;
use crate::fit::likelihood::laplace::Laplace;
use crate::fit::likelihood::layout::{self, Layout};
use crate::fit::structure::RandomStructure;
use crate::fit::Family;
use crate::fit::FitError;
use std::sync::Arc;

/// A design prepared for the Laplace evaluator of at most two nested grouping factors.
#[derive(Debug)]
pub struct NestedLaplace {
    layout: Arc<Layout>,
}

impl NestedLaplace {
    /// Keeps every model-matrix column. Fails for crossed or more than two grouping factors.
    pub fn new(design: &Design) -> Result<NestedLaplace, FitError> {
        layout::validate(design)?;
        let kept: Vec<usize> = (0..design.x.ncols()).collect();
        let structure = RandomStructure::of(design)?;
        Ok(NestedLaplace { layout: Arc::new(Layout::new(design, &kept, &structure)?) })
    }

    /// An evaluator of the log-likelihood and its gradient, `psi` ordered as
    /// [`super::SparseLaplace`] orders it for [`super::SparseModel::from_design`]. It keeps
    /// its modes between calls, as in a fit.
    pub fn evaluator(&self, family: Family) -> impl FnMut(&[f64], &mut [f64]) -> Option<f64> + '_ {
        let mut laplace = Laplace::new(Arc::clone(&self.layout), family);
        move |psi, grad| laplace.evaluate(psi, grad)
    }
}
