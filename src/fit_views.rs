//! What the page shows after a fit, computed from the fitted model: the headline social
//! gradient score with a plain-language sentence, the scores in low / average / high LA
//! contexts ([`gradient`]), chart data with a table alternative for each chart ([`charts`]),
//! the charts of the model check ([`check_charts`]), caterpillar charts of the random effects
//! by LA ([`ranef_charts`]) and the R script that reproduces the fit
//! with glmmTMB ([`rscript`]).

pub mod charts;
pub mod check_charts;
pub mod gradient;
pub mod ranef_charts;
pub mod rscript;

pub use charts::{ChartView, Table};
pub use check_charts::check_charts;
pub use gradient::{ContextScore, GradientViews, Headline};
pub use ranef_charts::ranef_charts;
pub use rscript::{r_script, RScriptRequest};

use crate::data::DataFrame;
use crate::design::ModelColumn;
use crate::report::la_gradients::model_column;
use crate::report::FittedModel;
use crate::workflow::guided::Moderator;
use crate::workflow::roles::Roles;
use serde::{Deserialize, Serialize};

/// What the page knows about the model beyond its formula: the column roles, and, when the
/// formula came from the guided builder, its gradient term, step and moderators.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ViewRequest {
    #[serde(default)]
    pub roles: Roles,
    /// The social-gradient coefficient; guessed from the deprivation column when absent.
    #[serde(default)]
    pub gradient_term: Option<String>,
    /// One step of the gradient in words ("10 points of income_dep").
    #[serde(default)]
    pub gradient_step: Option<String>,
    #[serde(default)]
    pub moderators: Vec<Moderator>,
}

/// Everything the results section shows beyond the fit report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FitViews {
    /// The gradient term used (`None` when none could be found: the page asks).
    pub gradient_term: Option<String>,
    /// Terms that could be the social gradient (main effects), for the page to offer.
    pub candidate_terms: Vec<String>,
    pub gradient: Option<GradientViews>,
    pub charts: Vec<ChartView>,
    /// Views that could not be made, in plain words.
    pub notes: Vec<String>,
}

/// The main-effect columns of the fit (no intercept, no interaction), with their names.
fn main_effect_columns(model: &FittedModel) -> impl Iterator<Item = (&String, &ModelColumn)> {
    model.fit.terms.iter().zip(&model.fit.columns).filter(|(_, c)| c.order() == 1)
}

/// The main-effect terms of the fit (no intercept, no interaction).
fn main_effects(model: &FittedModel) -> Vec<String> {
    main_effect_columns(model).map(|(t, _)| t.clone()).collect()
}

/// The gradient term: the requested one when the fit has it, else the first main effect that
/// reads the deprivation column.
fn gradient_term(model: &FittedModel, req: &ViewRequest) -> Option<String> {
    let terms = &model.fit.terms;
    if let Some(t) = req.gradient_term.as_ref().filter(|t| terms.contains(t)) {
        return Some(t.clone());
    }
    let dep = req.roles.deprivation.as_deref()?;
    main_effect_columns(model).find(|(_, c)| c.reads(dep)).map(|(t, _)| t.clone())
}

/// The moderators of `term` in the fit: those of the request that the fit has, and every other
/// interaction with `term` as an `other` moderator at -1 and +1 (0/1 for an indicator).
fn moderators(model: &FittedModel, term: &str, req: &ViewRequest) -> Vec<Moderator> {
    let mut out = Vec::new();
    for part in model.fit.columns.iter().filter_map(|c| c.partner_part(term)) {
        let name = part.name();
        if let Some(m) = req.moderators.iter().find(|m| m.term == name) {
            out.push(m.clone());
            continue;
        }
        let binary = model_column(&model.design, &name)
            .map(|v| v.iter().all(|x| *x == 0.0 || *x == 1.0))
            .unwrap_or(false);
        let la_dep = req.roles.la_deprivation.as_deref().is_some_and(|c| part.columns.iter().any(|r| r == c));
        let (low, high) = if binary { (0.0, 1.0) } else { (-1.0, 1.0) };
        out.push(Moderator {
            role: if la_dep { "la_deprivation".into() } else { "other".into() },
            low_label: format!("{name} = {low}"),
            high_label: format!("{name} = {high}"),
            term: name,
            binary,
            low,
            high,
        });
    }
    out
}

/// The views of a fitted model. A view that cannot be made is left out with a note.
pub fn fit_views(model: &FittedModel, df: &DataFrame, req: &ViewRequest) -> FitViews {
    let mut notes = Vec::new();
    let term = gradient_term(model, req);
    let gradient = term.as_ref().and_then(|t| {
        let mods = moderators(model, t, req);
        let outcome = req.roles.count.clone().unwrap_or_else(|| model.formula.response());
        let step = req.gradient_step.clone().unwrap_or_else(|| format!("1 unit of {t}"));
        gradient::gradient_views(&model.fit, t, &step, &outcome, &mods)
            .map_err(|e| notes.push(format!("The social gradient score could not be computed: {e}.")))
            .ok()
    });
    if term.is_none() {
        notes.push(
            "No term of the model mentions the neighbourhood deprivation column: choose the social gradient term."
                .to_owned(),
        );
    }
    let mut charts_out = Vec::new();
    match charts::deciles(model, df, &req.roles) {
        Ok(c) => charts_out.push(c),
        Err(e) => notes.push(format!("No chart of rates by deprivation decile: {e}.")),
    }
    if let Some(t) = &term {
        let mods = moderators(model, t, req);
        match charts::la_gradients(model, df, &req.roles, t, &mods, req.gradient_step.as_deref()) {
            Ok(c) => charts_out.push(c),
            Err(e) => notes.push(format!("No chart of social gradients by LA: {e}.")),
        }
    }
    match charts::observed_fitted(model, df, &req.roles) {
        Ok(c) => charts_out.push(c),
        Err(e) => notes.push(format!("No chart of observed against fitted rates: {e}.")),
    }
    FitViews {
        gradient_term: term,
        candidate_terms: main_effects(model),
        gradient,
        charts: charts_out,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{fit_model, FitRequest};
    use crate::samples::{presets, simulate};
    use crate::workflow::derive::add_weighted_group_mean;
    use crate::workflow::roles::guess_roles;

    /// The Hood sample, fitted with its own formula, and the page's request for it.
    fn hood() -> (FittedModel, DataFrame, ViewRequest) {
        let sample = simulate(&presets::hood_referrals()).unwrap();
        let derive = sample.derive.clone().unwrap();
        let (df, _) = add_weighted_group_mean(&sample.frame, &derive).unwrap();
        let request = FitRequest::new(&sample.model.formula, sample.family);
        let model = fit_model(&df, &request, &mut |_| {}).unwrap();
        let roles = Roles { la_deprivation: Some(derive.name), ..sample.roles.clone() };
        let req = ViewRequest {
            roles,
            gradient_term: Some(sample.model.gradient_term.clone()),
            gradient_step: Some(sample.model.gradient_step.clone()),
            moderators: sample.model.moderators.clone(),
        };
        (model, df, req)
    }

    #[test]
    fn views_of_the_hood_sample() {
        let (model, df, req) = hood();
        let views = fit_views(&model, &df, &req);
        assert!(views.notes.is_empty(), "{:?}", views.notes);
        let g = views.gradient.as_ref().unwrap();
        // Generated with 1.62 (Hood et al. 2021, Table 2); the estimate is within its interval.
        assert!(g.headline.score.ci_low < 1.62 && 1.62 < g.headline.score.ci_high, "{:?}", g.headline.score);
        assert_eq!(g.contexts.len(), 3);
        assert!(g.contexts[0].score.score > g.contexts[2].score.score, "inverse intervention: low > high");
        let ids: Vec<&str> = views.charts.iter().map(|c| c.id).collect();
        assert_eq!(ids, ["deciles", "la_gradients", "observed_fitted"]);
        // Deciles: 10 rows whose counts add up to every referral in the model.
        let deciles = &views.charts[0];
        assert_eq!(deciles.table.rows.len(), 10);
        let total: f64 = deciles.table.rows.iter().map(|r| r[4].parse::<f64>().unwrap()).sum();
        assert_eq!(total, model.design.y.iter().sum::<f64>());
        // Observed rates rise with deprivation: the first decile is below the last.
        let rates = &deciles.spec.series[0].points;
        assert!(rates[0][1] < rates[9][1]);
        // One point per LA; the model's line falls with LA deprivation (interaction below 1).
        let la = &views.charts[1];
        assert_eq!(la.table.rows.len(), 40);
        let line = &la.spec.series[1].points;
        assert!(line.first().unwrap()[1] > line.last().unwrap()[1]);
        assert_eq!(views.charts[2].table.rows.len(), 20);
    }

    #[test]
    fn a_hand_written_formula_finds_its_gradient_and_moderator() {
        let (model, df, req) = hood();
        let bare = ViewRequest {
            gradient_term: None,
            gradient_step: None,
            moderators: vec![],
            roles: guess_roles(&df),
        };
        let views = fit_views(&model, &df, &bare);
        assert_eq!(views.gradient_term.as_deref(), Some(req.gradient_term.as_deref().unwrap()));
        let g = views.gradient.unwrap();
        // The interaction is found and evaluated at -1 / 0 / +1 of its term.
        assert_eq!(g.contexts.len(), 3);
        assert_eq!(g.contexts[0].group, "LA deprivation (inverse intervention)");
        assert!(views.candidate_terms.contains(&"within(income_dep/10, la)".to_owned()));
    }
}
