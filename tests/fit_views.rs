//! The page's views of a fitted model (the headline score, the contexts and the three charts)
//! on the Hood sample, fitted with its own formula, and found from a hand-written formula.

use socgrad::data::DataFrame;
use socgrad::fit_views::{fit_views, ViewRequest};
use socgrad::pipeline::{FitRequest, FittedModel, PreparedModel};
use socgrad::samples::{presets, simulate};
use socgrad::workflow::derive::add_weighted_group_mean;
use socgrad::workflow::roles::{guess_roles, Roles};

/// The Hood sample, fitted with its own formula, and the page's request for it.
fn hood() -> (FittedModel, DataFrame, ViewRequest) {
    let sample = simulate(&presets::hood_referrals()).unwrap();
    let derive = sample.derive.clone().unwrap();
    let (df, _) = add_weighted_group_mean(&sample.frame, &derive).unwrap();
    let request = FitRequest::new(&sample.model.formula, sample.family);
    let model = PreparedModel::new(&df, &request).unwrap().fit(&mut |_| {}).unwrap();
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
    let views = fit_views(model.parts(), &df, &req);
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
    let bare =
        ViewRequest { gradient_term: None, gradient_step: None, moderators: vec![], roles: guess_roles(&df) };
    let views = fit_views(model.parts(), &df, &bare);
    assert_eq!(views.gradient_term.as_deref(), Some(req.gradient_term.as_deref().unwrap()));
    let g = views.gradient.unwrap();
    // The interaction is found and evaluated at -1 / 0 / +1 of its term.
    assert_eq!(g.contexts.len(), 3);
    assert_eq!(g.contexts[0].group, "LA deprivation (inverse intervention)");
    assert!(views.candidate_terms.contains(&"within(income_dep/10, la)".to_owned()));
}

/// The guided model's words follow the parsed model, not the formula's text: the same model
/// written with other spacing keeps every label, and the step's words go with their own term only.
#[test]
fn the_guided_words_survive_an_edit_that_keeps_the_model() {
    let (model, df, req) = hood();
    let spaced: String = model.formula.source().replace(" | ", "|").replace(" / ", "/").replace(" + ", "+");
    assert_ne!(spaced, model.formula.source());
    let edited = PreparedModel::new(&df, &FitRequest::new(&spaced, model.fit.family))
        .unwrap()
        .fit(&mut |_| {})
        .unwrap();
    let guided = fit_views(model.parts(), &df, &req).gradient.unwrap();
    let views = fit_views(edited.parts(), &df, &req);
    let g = views.gradient.unwrap();
    assert_eq!(g.headline.step, guided.headline.step);
    assert!(!g.headline.step.starts_with("1 unit of"), "{}", g.headline.step);
    let labels =
        |c: &[socgrad::fit_views::ContextScore]| c.iter().map(|c| c.label.clone()).collect::<Vec<_>>();
    assert_eq!(labels(&g.contexts), labels(&guided.contexts));
    assert!(g.contexts[0].label.starts_with("Low LA deprivation ("), "{:?}", labels(&g.contexts));
    // A request whose gradient term the fit does not have (edited away): the term found from the
    // deprivation column is not described by the request's step.
    let gone = ViewRequest { gradient_term: Some("within(income_dep/5, la)".to_owned()), ..req.clone() };
    let views = fit_views(edited.parts(), &df, &gone);
    let found = views.gradient_term.unwrap();
    assert_eq!(Some(&found), req.gradient_term.as_ref());
    assert_eq!(views.gradient.unwrap().headline.step, format!("1 unit of {found}"));
}
