//! The comparisons that fit models: Poisson, NB2 and NB1 with and without a formula's random
//! effects ([`compare_families`], reported by [`crate::report::compare`]), and two models the
//! user wrote ([`compare_models`], reported by [`crate::report::compare_models`]). A fitted
//! model the comparison includes is taken as it is, not fitted again.

use super::prepared::BuiltFormula;
use super::{EngineError, FitRequest, FittedModel, PreparedModel};
use crate::data::DataFrame;
use crate::design::Design;
use crate::fit::{fit_with_progress, FitOptions, Progress, Stage};
use crate::formula::Formula;
use crate::report::compare::{compare_fits, family_label, Comparison, ModelFit, FAMILIES};
use crate::report::compare_models::{compare_two, ModelComparison};
use serde::Serialize;
use std::borrow::Cow;

/// Progress of a comparison: which model is being fitted and the fit's own progress.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompareProgress {
    /// 1-based index of the model being fitted.
    pub model: usize,
    /// Number of models to fit.
    pub models: usize,
    pub name: String,
    pub stage: Stage,
    pub iteration: usize,
    pub objective: f64,
}

/// Fits the six models (three when the formula has no random effects) of `formula`, whose
/// design on the data is `design`, and compares them. A model that cannot be fitted is a row
/// with its error. `kept`, a fitted model of the same formula on the same data, gives the row
/// of its family when it was fitted with the default options.
pub fn compare_families(
    formula: &Formula,
    design: &Design,
    kept: Option<&FittedModel>,
    progress: &mut dyn FnMut(&CompareProgress),
) -> Comparison {
    let options = FitOptions::default();
    let kept = kept.filter(|m| m.options == options && m.formula.to_string() == formula.to_string());
    let random_label = (!formula.random_terms().is_empty())
        .then(|| formula.random_terms().iter().map(|r| format!("({r})")).collect::<Vec<_>>().join(" + "));
    let fixed_only = Design { random: Vec::new(), ..design.clone() };
    let mut variants: Vec<(&Design, bool)> = vec![(&fixed_only, false)];
    if random_label.is_some() {
        variants.push((design, true));
    }
    let total = variants.len() * FAMILIES.len();
    let mut models = Vec::with_capacity(total);
    for (design_variant, with_random) in variants {
        for family in FAMILIES {
            let name = match (&random_label, with_random) {
                (Some(r), true) => format!("{} + {r}", family_label(family)),
                _ => family_label(family).to_owned(),
            };
            let index = models.len() + 1;
            let row = match kept.filter(|m| m.fit.family == family && with_random == random_label.is_some()) {
                Some(m) => ModelFit::new(name, family, with_random, Ok(&m.fit)),
                None => {
                    let mut forward = |p: &Progress| {
                        progress(&CompareProgress {
                            model: index,
                            models: total,
                            name: name.clone(),
                            stage: p.stage,
                            iteration: p.iteration,
                            objective: p.objective,
                        })
                    };
                    let fit = fit_with_progress(design_variant, family, &options, &mut forward);
                    ModelFit::new(name, family, with_random, fit.as_ref().map_err(Clone::clone))
                }
            };
            models.push(row);
        }
    }
    let mut notes = Vec::new();
    if design.dropped_missing > 0 {
        notes.push(format!(
            "{} rows had a missing value and were left out of every model",
            design.dropped_missing
        ));
    }
    if random_label.is_none() {
        notes.push(
            "the formula has no random effects, so only the three models without them were fitted".to_owned(),
        );
    }
    compare_fits(formula.to_string(), random_label, design.nobs(), models, notes)
}

/// Fits `first` and `second` on `df` and compares them: AIC, BIC and the likelihood-ratio test
/// when one is nested in the other. Both must use the same rows, counts and offset. `kept`, a
/// fitted model on the same data, is taken for either request it is the fit of, so comparing
/// a fitted model with a second one costs one fit.
pub fn compare_models(
    df: &DataFrame,
    first: &FitRequest,
    second: &FitRequest,
    kept: Option<&FittedModel>,
) -> Result<ModelComparison, EngineError> {
    if first.family.is_binomial() != second.family.is_binomial() {
        return Err(EngineError::Request {
            message: "a binomial model (successes out of trials) and a count model describe different \
                      responses, so their likelihoods cannot be compared: compare models of the same kind"
                .to_owned(),
        });
    }
    let one = Candidate::new(df, first, kept)?;
    let two = Candidate::new(df, second, kept)?;
    same_data(one.design(), two.design())?;
    if one.design().trials != two.design().trials {
        return Err(EngineError::Request {
            message: "the two binomial models have different responses (successes or trials differ), so \
                      their likelihoods cannot be compared"
                .to_owned(),
        });
    }
    let (one, two) = (one.fit()?, two.fit()?);
    // A zero-inflated model is named with its zero-inflation formula, as glmmTMB's call shows it.
    let label = |m: &FittedModel| match &m.fit.zi {
        Some(zi) => format!("{}, ziformula = {}", m.formula, zi.formula),
        None => m.formula.to_string(),
    };
    Ok(compare_two((label(&one), &one.design, &one.fit), (label(&two), &two.design, &two.fit)))
}

/// One model of a comparison: the kept fit of its request, or the request built on the data.
enum Candidate<'a> {
    Kept(&'a FittedModel),
    Built(Box<BuiltFormula>, &'a FitRequest),
}

impl<'a> Candidate<'a> {
    fn new(
        df: &DataFrame,
        request: &'a FitRequest,
        kept: Option<&'a FittedModel>,
    ) -> Result<Self, EngineError> {
        Ok(match kept.filter(|m| m.is_fit_of(request)) {
            Some(m) => Candidate::Kept(m),
            None => Candidate::Built(
                Box::new(BuiltFormula::new(df, &request.formula)?.zero_inflated(df, request.zi.as_deref())?),
                request,
            ),
        })
    }

    fn design(&self) -> &Design {
        match self {
            Candidate::Kept(m) => &m.design,
            Candidate::Built(b, _) => &b.design,
        }
    }

    fn fit(self) -> Result<Cow<'a, FittedModel>, EngineError> {
        match self {
            Candidate::Kept(m) => Ok(Cow::Borrowed(m)),
            Candidate::Built(b, request) => {
                Ok(Cow::Owned(PreparedModel::from_built(*b, request)?.fit(&mut |_| {})?))
            }
        }
    }
}

/// Refuses two designs on different rows, counts or offsets.
fn same_data(d1: &Design, d2: &Design) -> Result<(), EngineError> {
    if d1.rows != d2.rows {
        let only =
            |a: &Design, b: &Design| a.rows.iter().filter(|r| b.rows.binary_search(r).is_err()).count();
        return Err(EngineError::Request {
            message: format!(
                "the two models use different rows (model 1 uses {} rows, model 2 uses {}; {} rows only in \
                 model 1, {} only in model 2) because a column only one of them uses has missing values; \
                 likelihoods on different rows cannot be compared: remove those rows from the file first",
                d1.rows.len(),
                d2.rows.len(),
                only(d1, d2),
                only(d2, d1)
            ),
        });
    }
    if d1.y != d2.y {
        return Err(EngineError::Request {
            message:
                "the two models have different responses; only models of the same counts can be compared"
                    .to_owned(),
        });
    }
    if let Some(i) =
        d1.offset.iter().zip(&d2.offset).position(|(a, b)| (a - b).abs() > 1e-9 * (1.0 + a.abs()))
    {
        return Err(EngineError::Request {
            message: format!(
                "the two models have different offsets (first at row {}); the likelihood-ratio test needs \
                 the same offset",
                d1.rows.get(i).copied().unwrap_or(i + 1)
            ),
        });
    }
    Ok(())
}
