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
pub mod spatial;

pub use charts::{ChartView, Table, ViewError};
pub use check_charts::check_charts;
pub use gradient::{ContextScore, GradientViews, Headline};
pub use ranef_charts::ranef_charts;
pub use rscript::{r_script, RScriptRequest, ScriptModel};
pub use spatial::{spatial_views, SpatialViews};

use crate::data::DataFrame;
use crate::design::{Design, ModelColumn};
use crate::fit::Fit;
use crate::formula::Formula;
use crate::report::la_gradients::model_column;
use crate::workflow::guided::{Moderator, TermRole};
use crate::workflow::roles::Roles;
use serde::{Deserialize, Serialize};

/// What the views read of a fitted model: its formula, its design on the data and its fit.
#[derive(Debug, Clone, Copy)]
pub struct Fitted<'a> {
    pub formula: &'a Formula,
    pub design: &'a Design,
    pub fit: &'a Fit,
}

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
    /// The spatial field's plain words and charts, when the model has one.
    pub spatial: Option<SpatialViews>,
    /// Views that could not be made, in plain words.
    pub notes: Vec<String>,
}

/// What the spatial views read of the model's first spatial field: its SD, range and the
/// range's Wald interval (from the covariance of `ln range`), and the conditional mode and SD
/// at each location with the data rows there.
fn field_summary(model: Fitted<'_>) -> Option<spatial::FieldSummary> {
    let (k, term) = model.fit.random.iter().enumerate().find(|(_, r)| r.field.is_some())?;
    let field = term.field.as_ref()?;
    let locations = &field.locations;
    let index = &model.design.random.get(k)?.index;
    let mut first = vec![usize::MAX; locations.len()];
    let mut rows = vec![0usize; locations.len()];
    for (i, &level) in index.iter().enumerate() {
        if let (Some(f), Some(n)) = (first.get_mut(level), rows.get_mut(level)) {
            *f = (*f).min(model.design.rows.get(i).copied().unwrap_or(i));
            *n += 1;
        }
    }
    let se = field.theta_cov[1][1].sqrt();
    let z = crate::report::stats::Z_975;
    let range_ci = se.is_finite().then(|| [(field.theta[1] - z * se).exp(), (field.theta[1] + z * se).exp()]);
    let places = (0..locations.len())
        .map(|j| spatial::FieldPlace {
            x: locations.x[j],
            y: locations.y[j],
            mode: term.modes.get(j).and_then(|m| m.first()).copied().unwrap_or(f64::NAN),
            sd: term.mode_sd.get(j).and_then(|m| m.first()).copied().unwrap_or(f64::NAN),
            first_row: first[j].saturating_add(1),
            rows: rows[j],
        })
        .filter(|p| p.rows > 0)
        .collect();
    Some(spatial::FieldSummary {
        coordinates: [locations.x_column.clone(), locations.y_column.clone()],
        units: if field.units == "metres" {
            spatial::DistanceUnits::Metres
        } else {
            spatial::DistanceUnits::CoordinateUnits
        },
        sd: term.sd.first().copied().unwrap_or(f64::NAN),
        range: field.range,
        range_ci: range_ci.filter(|_| field.range_identified),
        range_identified: field.range_identified,
        places,
    })
}

/// The main-effect columns of the fit (no intercept, no interaction), with their names.
fn main_effect_columns(model: Fitted<'_>) -> impl Iterator<Item = (&String, &ModelColumn)> {
    model.fit.terms.iter().zip(&model.fit.columns).filter(|(_, c)| c.order() == 1)
}

/// The main-effect terms of the fit (no intercept, no interaction).
fn main_effects(model: Fitted<'_>) -> Vec<String> {
    main_effect_columns(model).map(|(t, _)| t.clone()).collect()
}

/// The gradient term: the requested one when the fit has it, else the first main effect that
/// reads the deprivation column.
fn gradient_term(model: Fitted<'_>, req: &ViewRequest) -> Option<String> {
    let terms = &model.fit.terms;
    if let Some(t) = req.gradient_term.as_ref().filter(|t| terms.contains(t)) {
        return Some(t.clone());
    }
    let dep = req.roles.deprivation.as_deref()?;
    main_effect_columns(model).find(|(_, c)| c.reads(dep)).map(|(t, _)| t.clone())
}

/// The request's words for one step of `term` ("10 points of income_dep"): only when the request
/// names `term` as its gradient, whose step they describe.
fn step_of<'a>(req: &'a ViewRequest, term: &str) -> Option<&'a str> {
    req.gradient_step.as_deref().filter(|_| req.gradient_term.as_deref() == Some(term))
}

/// The moderators of `term` in the fit: those of the request that the fit has, and every other
/// interaction with `term` as an `other` moderator at -1 and +1 (0/1 for an indicator).
fn moderators(model: Fitted<'_>, term: &str, req: &ViewRequest) -> Vec<Moderator> {
    let mut out = Vec::new();
    for part in model.fit.columns.iter().filter_map(|c| c.partner_part(term)) {
        let name = part.name();
        if let Some(m) = req.moderators.iter().find(|m| m.term == name) {
            out.push(m.clone());
            continue;
        }
        let binary = model_column(model.design, &name)
            .map(|v| v.iter().all(|x| *x == 0.0 || *x == 1.0))
            .unwrap_or(false);
        let la_dep = req.roles.la_deprivation.as_deref().is_some_and(|c| part.columns.iter().any(|r| r == c));
        let (low, high) = if binary { (0.0, 1.0) } else { (-1.0, 1.0) };
        out.push(Moderator {
            role: if la_dep { TermRole::LaDeprivation } else { TermRole::Other },
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
pub fn fit_views(model: Fitted<'_>, df: &DataFrame, req: &ViewRequest) -> FitViews {
    let mut notes = Vec::new();
    let term = gradient_term(model, req);
    let gradient = term.as_ref().and_then(|t| {
        let mods = moderators(model, t, req);
        let outcome = req.roles.count.clone().unwrap_or_else(|| model.formula.response());
        let step = step_of(req, t).map_or_else(|| format!("1 unit of {t}"), str::to_owned);
        gradient::gradient_views(model.fit, t, &step, &outcome, &mods)
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
        match charts::la_gradients(model, df, &req.roles, t, &mods, step_of(req, t)) {
            Ok(c) => charts_out.push(c),
            Err(e) => notes.push(format!("No chart of social gradients by LA: {e}.")),
        }
    }
    match charts::observed_fitted(model, df, &req.roles) {
        Ok(c) => charts_out.push(c),
        Err(e) => notes.push(format!("No chart of observed against fitted rates: {e}.")),
    }
    let spatial = field_summary(model).and_then(|f| {
        spatial_views(&f).map_err(|e| notes.push(format!("No views of the spatial field: {e}."))).ok()
    });
    FitViews {
        gradient_term: term,
        candidate_terms: main_effects(model),
        gradient,
        charts: charts_out,
        spatial,
        notes,
    }
}
