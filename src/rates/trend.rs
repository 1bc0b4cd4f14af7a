//! The trend of one measure, 2013 to 2025: the chosen LA, England, and the LAs most like it
//! taken together (their counts over their children), as a chart with a table of the same
//! numbers. A year without a figure is a gap in the line, and the notes say why.

use serde::Serialize;

use super::data::{row, years, Gap, Measure};
use super::england::england_rate;
use super::similar::{similar_las, SimilarLa, HOW_CHOSEN, SIMILAR_COUNT};
use crate::calculator::format::number;
use crate::charts::{ChartSpec, ChartView, LegendCorner, Series, SeriesKind, Table};
use crate::places::places;

/// The trend chart and what goes with it.
#[derive(Debug, Clone, Serialize)]
pub struct TrendView {
    pub chart: ChartView,
    /// Why the chosen LA (or a similar one) has no figure in some years, one sentence each.
    pub gaps: Vec<String>,
    pub similar: Vec<SimilarLa>,
    /// How the similar LAs were chosen.
    pub how_chosen: &'static str,
}

/// `year, year and year` or `year to year` for consecutive years.
fn years_text(list: &[u16]) -> String {
    match list {
        [] => String::new(),
        [one] => one.to_string(),
        _ if list.windows(2).all(|w| w[1] == w[0] + 1) && list.len() > 2 => {
            format!("{} to {}", list[0], list[list.len() - 1])
        }
        _ => {
            let (last, rest) = list.split_last().expect("two years at least");
            format!("{} and {last}", rest.iter().map(u16::to_string).collect::<Vec<_>>().join(", "))
        }
    }
}

/// One sentence per reason why LA number `la` has no figure for `measure` in some years.
fn gap_sentences(la: usize, measure: Measure) -> Vec<String> {
    let name = places()[la].la.display_name();
    let mut by_gap: Vec<(Gap, Vec<u16>)> = Vec::new();
    for year in years() {
        if let Some(Err(gap)) = row(la, year).map(|r| r.figure(measure)) {
            match by_gap.iter_mut().find(|(g, _)| *g == gap) {
                Some((_, list)) => list.push(year),
                None => by_gap.push((gap, vec![year])),
            }
        }
    }
    by_gap
        .into_iter()
        .map(|(gap, list)| format!("No figure for {name} in {}: {}.", years_text(&list), gap.reason()))
        .collect()
}

fn rate_cell(rate: Option<f64>, measure: Measure, gap: Option<Gap>) -> String {
    match (rate, gap) {
        (Some(r), _) => number(measure.quantity(), r),
        (None, Some(g)) => format!("– ({})", g.kind()),
        (None, None) => "–".to_owned(),
    }
}

/// The similar LAs together, year by year: the sum of their counts over the sum of their
/// children (per 10,000) over those with a figure that year, and how many had one.
fn pooled_rates(similar: &[SimilarLa], years: &[u16], measure: Measure) -> Vec<(f64, usize)> {
    years
        .iter()
        .map(|&y| {
            let (mut count, mut children, mut with) = (0u64, 0u64, 0usize);
            for s in similar {
                if let Some(r) = row(s.index, y) {
                    if let (Ok(f), Ok(c)) = (r.figure(measure), r.children) {
                        count += f.count as u64;
                        children += c as u64;
                        with += 1;
                    }
                }
            }
            (if children > 0 { count as f64 / children as f64 * 10_000.0 } else { f64::NAN }, with)
        })
        .collect()
}

/// The trend of `measure` for LA number `la` (England and nothing else when `None`).
pub fn trend(la: Option<usize>, measure: Measure) -> TrendView {
    let q = measure.quantity();
    let similar = la.map(|i| similar_las(i, SIMILAR_COUNT)).unwrap_or_default();
    let all_years: Vec<u16> = years().collect();
    let x = |y: u16| y as f64;
    let mut series = Vec::new();
    let own_name = la.map(|i| places()[i].la.display_name().to_owned());
    if let (Some(i), Some(name)) = (la, &own_name) {
        let points = all_years
            .iter()
            .map(|&y| [x(y), row(i, y).and_then(|r| r.figure(measure).ok()).map_or(f64::NAN, |f| f.rate)])
            .collect();
        series.push(Series {
            name: name.clone(),
            kind: SeriesKind::Line,
            colour: 0,
            points,
            error_bars: vec![],
        });
    }
    let england: Vec<_> = all_years.iter().map(|&y| england_rate(measure, y)).collect();
    series.push(Series {
        name: "England".into(),
        kind: SeriesKind::Dashed,
        colour: 6,
        points: england.iter().map(|e| [x(e.year), e.rate]).collect(),
        error_bars: vec![],
    });
    let pooled = pooled_rates(&similar, &all_years, measure);
    if !similar.is_empty() {
        series.push(Series {
            name: format!("The {} most similar LAs together", similar.len()),
            kind: SeriesKind::Dotted,
            colour: 1,
            points: all_years.iter().zip(&pooled).map(|(&y, &(r, _))| [x(y), r]).collect(),
            error_bars: vec![],
        });
    }

    let mut header = vec!["Year".to_owned()];
    header.extend(own_name.iter().cloned());
    header.push("England".into());
    if !similar.is_empty() {
        header.push("Similar LAs together".into());
        header.extend(similar.iter().map(|s| places()[s.index].la.display_name().to_owned()));
    }
    let rows = all_years
        .iter()
        .enumerate()
        .map(|(k, &y)| {
            let mut cells = vec![y.to_string()];
            let figure_cell = |i: usize| {
                let f = row(i, y).map(|r| r.figure(measure));
                rate_cell(f.and_then(|f| f.ok()).map(|f| f.rate), measure, f.and_then(|f| f.err()))
            };
            if let Some(i) = la {
                cells.push(figure_cell(i));
            }
            cells.push(format!("{} ({} LAs)", number(q, england[k].rate), england[k].las));
            if !similar.is_empty() {
                let (rate, with) = pooled[k];
                cells.push(if with == similar.len() {
                    number(q, rate)
                } else {
                    format!("{} ({with} LAs)", number(q, rate))
                });
                cells.extend(similar.iter().map(|s| figure_cell(s.index)));
            }
            cells
        })
        .collect();

    let mut gaps = la.map(|i| gap_sentences(i, measure)).unwrap_or_default();
    for s in &similar {
        for sentence in gap_sentences(s.index, measure) {
            gaps.push(format!("{sentence} The similar LAs' rate leaves it out in those years."));
        }
    }
    let whose = match &own_name {
        Some(name) => format!("{name}, England and the {} most similar LAs together", similar.len()),
        None => "England".to_owned(),
    };
    let title = format!("{} per 10,000 children, 2013 to 2025", measure.label());
    TrendView {
        chart: ChartView {
            id: "rates-trend",
            title: title.clone(),
            description: format!(
                "{} per 10,000 children aged 0-17 in each year ending 31 March, 2013 to 2025, for {whose}. \
                 A break in a line is a year without a figure.",
                measure.label()
            ),
            spec: ChartSpec {
                title: String::new(),
                x_label: "Year ending 31 March".into(),
                y_label: format!("{} per 10,000 children", measure.label()),
                series,
                y_from_zero: true,
                font_px: 16,
                legend: LegendCorner::Below,
                aspect: None,
            },
            table: Table { caption: format!("{title}: {whose}"), header, rows },
        },
        gaps,
        similar,
        how_chosen: HOW_CHOSEN,
    }
}
