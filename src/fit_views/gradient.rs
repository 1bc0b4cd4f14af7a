//! The social gradient score of a fitted model in words: the headline score (every moderator at
//! its average) and the scores in low, average and high contexts of each moderator, in the
//! layout of Hood et al. 2021, Table 2 (and, with two moderators, the combined contexts of Webb
//! et al. 2020, Table 4). Scores and intervals come from [`crate::report::gradient_score`].

use crate::fit::{Family, Fit, Link};
use crate::report::{gradient_score, GradientScore, ReportError};
use crate::workflow::guided::{Moderator, TermRole};
use serde::Serialize;

/// The score in an average context.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Headline {
    pub score: GradientScore,
    /// One step of the gradient ("10 points in income_dep").
    pub step: String,
    pub sentence: String,
}

/// The score in one context.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContextScore {
    /// What varies ("LA deprivation (inverse intervention)").
    pub group: String,
    /// The context ("Low LA deprivation (10 points below the average LA: ...)").
    pub label: String,
    pub score: GradientScore,
    pub sentence: String,
}

/// All the gradient views of a fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GradientViews {
    pub term: String,
    pub headline: Headline,
    pub contexts: Vec<ContextScore>,
}

fn group_title(m: &Moderator) -> String {
    match m.role {
        TermRole::LaDeprivation => "LA deprivation (inverse intervention)".to_owned(),
        TermRole::Gini => "LA income inequality".to_owned(),
        TermRole::Rural => "Rural and urban neighbourhoods".to_owned(),
        _ => m.term.clone(),
    }
}

/// The part of a context label before its explanation in brackets.
fn short(label: &str) -> &str {
    label.split(" (").next().unwrap_or(label).trim()
}

/// What a score multiplies: the rate of a count model, the odds of a binomial one (logit
/// link); with the probit and cloglog links `exp(coefficient)` multiplies no quantity a reader
/// would use, and the sentence says so.
fn multiplied(family: Family) -> Option<&'static str> {
    match family.binomial_link() {
        None => Some("rate"),
        Some(Link::Logit) => Some("odds"),
        Some(_) => None,
    }
}

/// A plain-English reading of a score: how many times as high the rate (or, for a binomial
/// model, the odds) is per step, the interval, and whether the data are consistent with no
/// gradient.
pub fn sentence(
    score: &GradientScore,
    family: Family,
    outcome: &str,
    step: &str,
    within: bool,
    context: Option<&str>,
) -> String {
    let s = score.score;
    let (opening, the) = match context {
        Some(c) => (format!("In {c}, "), "the"),
        None => (String::new(), "The"),
    };
    let comparing = if within { ", comparing neighbourhoods in the same LA" } else { "" };
    let Some(quantity) = multiplied(family) else {
        return format!(
            "{opening}exp(coefficient) of {step} is {s:.2} (95% CI {:.2} to {:.2}){comparing}; with the {} link \
             this is not an odds ratio: read the coefficient on the {} scale.",
            score.ci_low,
            score.ci_high,
            family.link_name(),
            family.link_name()
        );
    };
    let mut text = format!(
        "{opening}{the} {quantity} of {outcome} {} {s:.2} times as high (95% CI {:.2} to {:.2}) for each rise of {step}{comparing}",
        if quantity == "odds" { "are" } else { "is" },
        score.ci_low,
        score.ci_high
    );
    let pct = ((s - 1.0).abs() * 100.0).round();
    let plural = if quantity == "odds" { "odds" } else { "rates" };
    if score.ci_low > 1.0 {
        text.push_str(&format!(": {pct:.0}% higher per step."));
    } else if score.ci_high < 1.0 {
        text.push_str(&format!(": {pct:.0}% lower per step, so {plural} fall as deprivation rises."));
    } else {
        text.push_str(". The interval includes 1, so the data are also consistent with no social gradient.");
    }
    text
}

/// The headline score and every context of `moderators`.
pub fn gradient_views(
    fit: &Fit,
    term: &str,
    step: &str,
    outcome: &str,
    moderators: &[Moderator],
) -> Result<GradientViews, ReportError> {
    // A term centred on its group's mean compares neighbourhoods of the same LA.
    let within = fit
        .terms
        .iter()
        .zip(&fit.columns)
        .find(|(t, _)| *t == term)
        .is_some_and(|(_, c)| matches!(c.parts.as_slice(), [part] if part.within.is_some()));
    let average = gradient_score(fit, term, &[])?;
    let average_context = (!moderators.is_empty()).then_some("an average LA");
    let headline = Headline {
        sentence: sentence(&average, fit.family, outcome, step, within, average_context),
        score: average.clone(),
        step: step.to_owned(),
    };
    let mut contexts = Vec::new();
    for m in moderators {
        let group = group_title(m);
        let mut push = |label: String, at: f64| -> Result<(), ReportError> {
            let score = if at == 0.0 {
                average.clone()
            } else {
                gradient_score(fit, term, &[(m.term.as_str(), at)])?
            };
            let context = if m.binary {
                format!("neighbourhoods with {label}")
            } else {
                format!("an LA with {}", short(&label).to_lowercase())
            };
            contexts.push(ContextScore {
                group: group.clone(),
                sentence: sentence(&score, fit.family, outcome, step, within, Some(&context)),
                label,
                score,
            });
            Ok(())
        };
        push(m.low_label.clone(), m.low)?;
        if !m.binary {
            push("Average LA".to_owned(), 0.0)?;
        }
        push(m.high_label.clone(), m.high)?;
    }
    let continuous: Vec<&Moderator> = moderators.iter().filter(|m| !m.binary).collect();
    if let [a, b] = continuous.as_slice() {
        for (a_at, a_label) in [(a.low, &a.low_label), (a.high, &a.high_label)] {
            for (b_at, b_label) in [(b.low, &b.low_label), (b.high, &b.high_label)] {
                let score = gradient_score(fit, term, &[(a.term.as_str(), a_at), (b.term.as_str(), b_at)])?;
                let label = format!("{} and {}", short(a_label), short(b_label).to_lowercase());
                let context = format!("an LA with {}", label.to_lowercase());
                contexts.push(ContextScore {
                    group: "Combined contexts".to_owned(),
                    sentence: sentence(&score, fit.family, outcome, step, within, Some(&context)),
                    label,
                    score,
                });
            }
        }
    }
    Ok(GradientViews { term: term.to_owned(), headline, contexts })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::ModelColumn;
    use crate::fit::Family;

    /// A fit whose gradient is exp(0.48) with SE 0.01 and an interaction of log(0.8).
    fn fit() -> Fit {
        let columns = vec![
            ModelColumn::intercept(),
            ModelColumn::numeric(0, &["g"]),
            ModelColumn::numeric(1, &["m"]),
            ModelColumn::numeric(2, &["g", "m"]),
        ];
        let beta = vec![6.0, 0.48, 0.1, 0.8f64.ln()];
        let mut cov = vec![vec![0.0; 4]; 4];
        for (i, row) in cov.iter_mut().enumerate() {
            row[i] = 1e-4;
        }
        Fit {
            family: Family::Poisson,
            terms: columns.iter().map(ModelColumn::name).collect(),
            columns,
            beta,
            cov_beta: cov,
            dropped_terms: vec![],
            loglik: 0.0,
            df: 4,
            aic: 0.0,
            bic: 0.0,
            nobs: 100,
            dispersion: None,
            dispersion_se_log: None,
            random: vec![],
            converged: true,
            singular: false,
            warnings: vec![],
            iterations: 1,
            max_abs_gradient: 0.0,
            fitted: vec![],
            linear_predictor_fixed: vec![],
            zi: None,
        }
    }

    fn moderator() -> Moderator {
        Moderator {
            role: TermRole::LaDeprivation,
            term: "m".into(),
            binary: false,
            low: -1.0,
            high: 1.0,
            low_label: "Low LA deprivation (10 points below)".into(),
            high_label: "High LA deprivation (10 points above)".into(),
        }
    }

    #[test]
    fn headline_and_contexts_by_hand() {
        let v = gradient_views(&fit(), "g", "10 points in dep", "referrals", &[moderator()]).unwrap();
        assert!((v.headline.score.score - 0.48f64.exp()).abs() < 1e-12);
        let lo = (0.48 - 1.959_963_984_540_054 * 0.01f64).exp();
        assert!((v.headline.score.ci_low - lo).abs() < 1e-12);
        assert_eq!(
            v.headline.sentence,
            "In an average LA, the rate of referrals is 1.62 times as high (95% CI 1.58 to 1.65) for each rise of \
             10 points in dep: 62% higher per step."
        );
        // Low context: exp(0.48 - log 0.8) = 2.02; high: exp(0.48 + log 0.8) = 1.29 (the pattern
        // of Hood et al. 2021, Table 2: 2.03 and 1.29 around 1.62).
        let scores: Vec<f64> = v.contexts.iter().map(|c| (c.score.score * 100.0).round() / 100.0).collect();
        assert_eq!(scores, [2.02, 1.62, 1.29]);
        assert_eq!(v.contexts[0].group, "LA deprivation (inverse intervention)");
        assert!(
            v.contexts[0].sentence.starts_with("In an LA with low la deprivation, the rate"),
            "{}",
            v.contexts[0].sentence
        );
    }

    #[test]
    fn two_moderators_give_combined_contexts() {
        let mut f = fit();
        f.columns.push(ModelColumn::numeric(3, &["g", "q"]));
        f.terms.push("g:q".into());
        f.beta.push(0.1);
        for row in f.cov_beta.iter_mut() {
            row.push(0.0);
        }
        f.cov_beta.push(vec![0.0, 0.0, 0.0, 0.0, 1e-4]);
        let q = Moderator {
            role: TermRole::Gini,
            term: "q".into(),
            low_label: "Low income inequality (x)".into(),
            high_label: "High income inequality (y)".into(),
            ..moderator()
        };
        let v = gradient_views(&f, "g", "1 SD in dep", "cla", &[moderator(), q]).unwrap();
        let combined: Vec<&ContextScore> =
            v.contexts.iter().filter(|c| c.group == "Combined contexts").collect();
        assert_eq!(combined.len(), 4);
        assert_eq!(combined[1].label, "Low LA deprivation and high income inequality");
        assert!((combined[1].score.score - (0.48 - 0.8f64.ln() + 0.1).exp()).abs() < 1e-12);
    }

    #[test]
    fn a_binary_moderator_has_two_contexts() {
        let rural = Moderator {
            role: TermRole::Rural,
            low: 0.0,
            high: 1.0,
            binary: true,
            low_label: "rural = 0".into(),
            high_label: "rural = 1".into(),
            ..moderator()
        };
        let v = gradient_views(&fit(), "g", "10 points in dep", "referrals", &[rural]).unwrap();
        assert_eq!(v.contexts.len(), 2);
        assert_eq!(v.contexts[0].group, "Rural and urban neighbourhoods");
        // At 0 the score is the headline; at 1 it is exp(0.48 + log 0.8).
        assert_eq!(v.contexts[0].score, v.headline.score);
        assert!((v.contexts[1].score.score - (0.48 + 0.8f64.ln()).exp()).abs() < 1e-12);
        assert!(
            v.contexts[1].sentence.starts_with("In neighbourhoods with rural = 1, the rate"),
            "{}",
            v.contexts[1].sentence
        );
    }

    #[test]
    fn sentences_say_when_there_is_no_clear_gradient() {
        let mut s = gradient_score(&fit(), "g", &[]).unwrap();
        s.ci_low = 0.9;
        let text = sentence(&s, Family::Poisson, "cla", "1 SD in imd", true, None);
        assert!(text.starts_with("The rate of cla is 1.62 times as high"), "{text}");
        assert!(text.contains("comparing neighbourhoods in the same LA"));
        assert!(text.ends_with("consistent with no social gradient."));
        s.score = 0.8;
        s.ci_low = 0.7;
        s.ci_high = 0.9;
        assert!(sentence(&s, Family::Poisson, "cla", "1 SD", false, None).contains("20% lower per step"));
        let odds = sentence(&s, Family::Binomial(Link::Logit), "re-referrals", "1 SD", false, None);
        assert!(odds.starts_with("The odds of re-referrals are 0.80 times as high"), "{odds}");
        assert!(odds.contains("so odds fall"), "{odds}");
        let probit = sentence(&s, Family::Binomial(Link::Probit), "re-referrals", "1 SD", false, None);
        assert!(probit.contains("not an odds ratio"), "{probit}");
    }
}
