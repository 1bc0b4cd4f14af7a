//! The tour step "What kind of need?", from the study of six local authorities (Hood et al.
//! 2020): which of the seven kinds of need was most sensitive to a child's neighbourhood
//! deprivation in each LA (Table 13), and where the most deprived third of children were more
//! likely than the rest to reach a child protection conference or plan (Table 10). Every number
//! is computed from the typed tables; the chart is Table 13's forest plot as the "Inside six
//! local authorities" section draws it.

use super::{Table, TourStep};
use crate::six_las::{change, las, list, most_sensitive, of_six, table13_order, tally, TABLE13_KEY};
use crate::tables::hood2020::classes::TABLE13_DEPRIVATION_EFFECTS;
use crate::tables::hood2020::differences::TABLE10_MOST_DEPRIVED_THRESHOLDS;
use crate::tables::hood2020::{DemandClass, La, DOCUMENT};

pub fn step(base: TourStep) -> TourStep {
    let t = &TABLE13_DEPRIVATION_EFFECTS;
    let mut neglect = Vec::new();
    let mut others = Vec::new();
    for m in most_sensitive(t) {
        if m.class == DemandClass::Neglect {
            neglect.push(m.la);
        } else {
            others.push(format!(
                "{} ({}, {}; neglect {})",
                m.la.label(),
                m.class.in_words(),
                change(m.percent),
                change(m.neglect)
            ));
        }
    }
    // Where neglect's odds rose most and least.
    let column = t.classes.iter().position(|c| *c == DemandClass::Neglect).unwrap_or(0);
    let (mut low, mut high) = (&t.rows[0], &t.rows[0]);
    for r in &t.rows {
        if r.percent[column] < low.percent[column] {
            low = r;
        }
        if r.percent[column] > high.percent[column] {
            high = r;
        }
    }
    // Table 10: CP conferences and CP plans, most deprived third against the rest.
    let [conference, plan, _] = &TABLE10_MOST_DEPRIVED_THRESHOLDS;
    let (conference, plan) = (tally(conference), tally(plan));
    let more = |las_: &[La]| format!("{} ({})", of_six(las_.len()), las(las_));
    let thresholds = if conference.above == plan.above {
        format!("a child protection conference and plan in {}", more(&conference.above))
    } else {
        format!(
            "a child protection conference in {} and a child protection plan in {}",
            more(&conference.above),
            more(&plan.above)
        )
    };
    let unclear: Vec<La> =
        La::ALL.into_iter().filter(|la| conference.across.contains(la) || plan.across.contains(la)).collect();
    // The chart's numbers: Table 13 as printed, one row per kind of need in the chart's order and
    // one column per LA (narrow enough for the step's column at projector sizes and for the
    // printed handout).
    let order = table13_order();
    let mut header = vec!["Kind of need".to_string()];
    header.extend(t.rows.iter().map(|r| r.la.label().to_string()));
    let rows = order
        .iter()
        .map(|&c| {
            let mut row = vec![t.classes[c].short_name().to_string()];
            row.extend(t.rows.iter().map(|r| change(r.percent[c])));
            row
        })
        .collect();
    TourStep {
        body: vec![
            format!(
                "In six local authorities in London and the South East (not a sample of England), neglect was the \
                 kind of need whose odds rose most with neighbourhood deprivation in {}: by {} in {} but {} in {}.",
                more(&neglect),
                change(high.percent[column]),
                high.la.label(),
                change(low.percent[column]),
                low.la.label()
            ),
            format!(
                "The most deprived third of children were more likely than the rest to reach {thresholds}; not \
                 clearly in {}.",
                las(&unclear)
            ),
        ],
        question: "Which kind of need is most tied to a child's neighbourhood deprivation, and is it the same in \
                   every authority?"
            .to_string(),
        answer: format!(
            "Neglect in {}, not in {}. An association, not a cause.",
            of_six(neglect.len()),
            list(&others).replace(" and ", " or ")
        ),
        six_las_figure: Some(TABLE13_KEY),
        table: Table {
            caption: format!("Change in the odds of each kind of need with neighbourhood deprivation ({DOCUMENT}, {})", t.table),
            header,
            rows,
        },
        citations: vec![format!("{DOCUMENT}, Table 13 (kinds of need) and Table 10 (CP conferences and plans)")],
        ..base
    }
}
