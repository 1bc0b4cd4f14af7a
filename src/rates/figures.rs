//! One LA's figures: for each measure and year its count and rate, England's rate beside it,
//! and its rank among the LAs with a figure, ranked as everywhere on the page
//! ([`crate::calculator::rank`]: the Isles of Scilly and the City of London, with very few
//! children, are not ranked); every number also as the page shows it
//! ([`crate::calculator::format`]); and the table `socgrad rates` prints.

use serde::Serialize;

use super::data::{row, years, Gap, Measure};
use super::england::{england_rate, EnglandRate};
use super::error::RatesError;
use crate::calculator::format::{number, Quantity};
use crate::calculator::rank::{descending, ranked_count, Rank};
use crate::calculator::UNRANKED_NOTE;
use crate::places::{find_la, places};

/// One measure of one LA in one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureFigure {
    pub measure: Measure,
    pub label: &'static str,
    pub year: u16,
    pub count: Option<u32>,
    /// Per 10,000 children aged 0-17, as DfE rounds it.
    pub rate: Option<f64>,
    pub rate_decimals: usize,
    pub children_0_17: Option<u32>,
    /// Why there is no figure.
    pub gap: Option<Gap>,
    /// The reason in words, when there is no figure.
    pub reason: Option<&'static str>,
    /// The LA's place from the highest rate (1) among the ranked LAs with a figure, by the
    /// unrounded rate; tied rates share a place.
    pub rank: Option<usize>,
    /// The rank as shown: "12", or "3=" when tied.
    pub rank_shown: Option<String>,
    /// How many LAs have a figure and a place.
    pub ranked: usize,
    /// The rate, the count and England's rate as the page shows them.
    pub rate_shown: Option<String>,
    pub count_shown: Option<String>,
    pub england_shown: String,
    pub england: EnglandRate,
    /// The table's caveat for this LA and year, if any.
    pub note: Option<&'static str>,
}

/// Why an LA has no rank, in words: the two with very few children, and those without a figure.
pub fn unranked_note() -> String {
    format!("{UNRANKED_NOTE} An LA without a figure (suppressed or not published) is not ranked either.")
}

/// Every LA's value (by LA number) ranked from the highest, as everywhere on the page: the LAs
/// with very few children and those without a value have no rank. Also how many are ranked.
pub fn ranks(values: &[Option<f64>]) -> (Vec<Option<Rank>>, u32) {
    let rankable: Vec<Option<f64>> =
        values.iter().zip(places()).map(|(v, p)| v.filter(|_| !p.la.small_la)).collect();
    (descending(&rankable), ranked_count(&rankable))
}

/// Every LA's place from the highest rate of `measure` in `year` (see [`ranks`]), and how many
/// have one.
pub fn rate_ranks(measure: Measure, year: u16) -> (Vec<Option<Rank>>, u32) {
    let rates: Vec<Option<f64>> =
        (0..places().len()).map(|i| row(i, year).and_then(|r| r.exact_rate(measure))).collect();
    ranks(&rates)
}

/// LA number `la`'s figure for `measure` in `year` (a year of the table).
pub fn measure_figure(la: usize, measure: Measure, year: u16) -> MeasureFigure {
    let r = row(la, year);
    let figure = r.map(|r| r.figure(measure));
    let (ranks, ranked) = rate_ranks(measure, year);
    let rank = ranks.into_iter().nth(la).flatten();
    let gap = figure.and_then(|f| f.err());
    let rate = figure.and_then(|f| f.ok()).map(|f| f.rate);
    let count = figure.and_then(|f| f.ok()).map(|f| f.count);
    let england = england_rate(measure, year);
    MeasureFigure {
        measure,
        label: measure.label(),
        year,
        count,
        rate,
        rate_decimals: measure.rate_decimals(),
        children_0_17: r.and_then(|r| r.children.ok()),
        gap,
        reason: gap.map(Gap::reason),
        rank: rank.as_ref().map(|r| r.rank as usize),
        rank_shown: rank.map(|r| r.shown),
        ranked: ranked as usize,
        rate_shown: rate.map(|x| number(measure.quantity(), x)),
        count_shown: count.map(|c| number(Quantity::Count, c as f64)),
        england_shown: number(measure.quantity(), england.rate),
        england,
        note: r.and_then(|r| r.note),
    }
}

/// One row of `socgrad rates --json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RatesRow {
    pub year: u16,
    pub measure: Measure,
    /// `null` where DfE has no figure (the reason is in `note`).
    pub count: Option<u32>,
    pub rate: Option<f64>,
    pub children_0_17: Option<u32>,
    /// England's rate that year: the LAs' counts over their children, per 10,000, unrounded.
    pub england_rate: f64,
    /// Why there is no figure, and the table's caveat for the row, if any.
    pub note: Option<String>,
}

/// What `socgrad rates --json` prints: one LA's figures, every measure of every year asked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RatesTable {
    pub la_code: String,
    pub la_name: String,
    pub rows: Vec<RatesRow>,
}

/// The figures of the LA named or coded `la` in `year` (every year when `None`), year by year,
/// each year's five measures in the table's order.
pub fn rates_table(la: &str, year: Option<u16>) -> Result<RatesTable, RatesError> {
    let place = find_la(la)?;
    let index = super::data::la_index(&place.la.la_code).expect("a found LA is in the table");
    let chosen: Vec<u16> = match year {
        Some(y) => vec![y],
        None => years().collect(),
    };
    let mut rows = Vec::new();
    for y in chosen {
        for measure in Measure::ALL {
            let f = measure_figure(index, measure, y);
            let note = match (f.reason, f.note) {
                (Some(reason), Some(note)) => Some(format!("{reason}; {note}")),
                (Some(reason), None) => Some(reason.to_owned()),
                (None, note) => note.map(str::to_owned),
            };
            rows.push(RatesRow {
                year: y,
                measure,
                count: f.count,
                rate: f.rate,
                children_0_17: f.children_0_17,
                england_rate: f.england.rate,
                note,
            });
        }
    }
    Ok(RatesTable { la_code: place.la.la_code.clone(), la_name: place.la.la_name.clone(), rows })
}
