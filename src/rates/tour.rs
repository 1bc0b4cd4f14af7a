//! The guided tour's step "What actually happens in England": the real rates of the five
//! measures, and the funnel plot of children looked after in the latest year, with a question
//! for the class. It follows the step of the chosen LA's predicted gradient ([`FOLLOWS`]) in the
//! tour of the published tables (`crate::tour`), so the tour has [`STEP_COUNT`] + 1 steps.

use super::data::{Measure, LAST_YEAR};
use super::england::england_rate;
use super::error::RatesError;
use super::expected::{expected, Position};
use super::views::{rates_view, RatesRequest};
use crate::calculator::format::{number, Quantity};
use crate::charts::Table;
use crate::places::places;
use crate::tour::{step_number, TourStep, STEP_COUNT};

/// The step's key, as the page knows it.
pub const KEY: &str = "real_figures";

/// The key of the published tables' step this one follows: the LA's predicted gradient, then
/// what actually happens (the page places it there too, `www/rates/start.js`).
pub const FOLLOWS: &str = "your_la";

/// "A, B and C".
fn and_list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        _ => format!("{} and {}", names[..names.len() - 1].join(", "), names[names.len() - 1]),
    }
}

/// The step, with the chosen LA (a name or code) marked on the funnel.
pub fn tour_step(la: Option<&str>) -> Result<TourStep, RatesError> {
    let measure = Measure::ClaAt31;
    let year = LAST_YEAR;
    let view = rates_view(&RatesRequest {
        la: la.map(str::to_owned),
        measure: Some(measure.name().into()),
        year: Some(year as i64),
        covariates: Vec::new(),
    })?;
    let model = expected(measure, year, &[])?;
    let funnel = view
        .expected
        .as_ref()
        .map(|e| e.funnel.view.spec.clone())
        .ok_or_else(|| RatesError::Fit { message: view.expected_error.clone().unwrap_or_default() })?;
    let england: Vec<_> = Measure::ALL.iter().map(|&m| england_rate(m, year)).collect();
    let rate_of = |m: Measure| number(m.quantity(), england[m as usize].rate);
    let mut by_rate: Vec<_> = model.las.iter().filter(|l| !places()[l.index].la.small_la).collect();
    by_rate.sort_by(|a, b| {
        (a.observed as f64 / a.children as f64).total_cmp(&(b.observed as f64 / b.children as f64))
    });
    let rate = |l: &super::expected::LaExpected| {
        number(measure.quantity(), l.observed as f64 / l.children as f64 * 10_000.0)
    };
    let (low, high) = (by_rate[0], by_rate[by_rate.len() - 1]);
    let name = |i: usize| places()[i].la.display_name().to_owned();
    let above: Vec<String> =
        model.las.iter().filter(|l| l.position() == Position::Above998).map(|l| name(l.index)).collect();
    let below: Vec<String> =
        model.las.iter().filter(|l| l.position() == Position::Below998).map(|l| name(l.index)).collect();
    let imd = model.details.standardised[0];
    let per_ten = (model.model.coefficients[1].estimate * 10.0 / imd.sd).exp();
    let mut body = vec![
        format!(
            "England, year to 31 March {year}: {} children looked after per 10,000 children, {} on a protection \
             plan, {} in need; {} referrals (DfE).",
            rate_of(Measure::ClaAt31),
            rate_of(Measure::CppAt31),
            rate_of(Measure::CinAt31),
            rate_of(Measure::Referrals)
        ),
        format!(
            "From {} looked after per 10,000 ({}) to {} ({}). A model of deprivation expects {} times as many per \
             10 IMD points; {} above its 99.8% limits, {} below.",
            rate(low),
            name(low.index),
            rate(high),
            name(high.index),
            number(Quantity::Ratio, per_ten),
            if above.is_empty() { "none".to_owned() } else { format!("{} ({})", above.len(), and_list(&above)) },
            if below.is_empty() { "none".to_owned() } else { format!("{} ({})", below.len(), and_list(&below)) },
        ),
    ];
    if let Some(chosen) = view.expected.as_ref().and_then(|e| e.chosen.as_ref()) {
        body.push(format!(
            "{}: {} times expected ({} against {}), {}.",
            name(chosen.la.index),
            number(Quantity::Ratio, chosen.la.ratio),
            number(Quantity::Count, chosen.la.observed as f64),
            number(Quantity::Count, chosen.la.expected),
            match chosen.position {
                Position::Above998 => "above the 99.8% limits",
                Position::Above95 => "above the 95% limits, within the 99.8% ones",
                Position::Within95 => "within the 95% limits",
                Position::Below95 => "below the 95% limits, within the 99.8% ones",
                Position::Below998 => "below the 99.8% limits",
            }
        ));
    }
    let outside = above.len() + below.len();
    let rows = Measure::ALL
        .iter()
        .map(|&m| {
            let mut row = vec![m.label().to_owned()];
            row.extend([2015u16, year].iter().map(|&y| number(m.quantity(), england_rate(m, y).rate)));
            row
        })
        .collect();
    Ok(TourStep {
        number: step_number(FOLLOWS).map_or(STEP_COUNT + 1, |n| n + 1),
        key: KEY,
        title: "What actually happens in England".into(),
        body,
        question: format!(
            "{outside} of {} authorities {} outside the 99.8% limits. Does one above them look after too many children?",
            model.model.n,
            if outside == 1 { "is" } else { "are" }
        ),
        answer: "Not necessarily: the difference is more than chance, but need the IMD misses, practice or recording \
                 could explain it."
            .into(),
        chart: funnel,
        six_las_figure: None,
        table: Table {
            caption: "England per 10,000 children aged 0-17 (DfE, years ending 31 March)".into(),
            header: vec!["Measure".into(), "2015".into(), year.to_string()],
            rows,
        },
        citations: vec![
            "DfE, Children in need and Children looked after in England, 2013 to 2025; ONS population estimates \
             (OGL v3.0)"
                .into(),
            "Expected: negative binomial model on LA IMD 2019 score (this page)".into(),
        ],
    })
}
