//! "Inside six local authorities": what the page shows of Hood et al. (2020)'s child-level study
//! (see [`crate::tables::hood2020`]). Each table becomes a [`SixLasView`]: a forest plot where the
//! table holds odds ratios (Tables 7 to 10, one half at a time, and Table 13), the same numbers as
//! a table, a reading in plain words computed from the cells, what the numbers are and are not,
//! and the citation.
//!
//! The page loads these views after its first score, as a static file of its own
//! (`www/static/six-las.json`) written from this module by `cargo run --example make_six_las`;
//! `tests/six_las.rs` checks the file is current, so the typed tables stay the one source.

mod class_views;
mod odds_views;
mod words;

use serde::Serialize;

use crate::charts::{ChartView, ForestSpec, Table};
use crate::tables::hood2020::classes::SHARE_TABLES;
use crate::tables::hood2020::differences::ODDS_TABLES;
use crate::tables::hood2020::{DOCUMENT, SEED, SUMMARY_SEED};

pub use class_views::{correlation_view, sample_view, share_view};
pub use odds_views::{
    deprivation_effects_figure, deprivation_effects_reading, deprivation_effects_view, la_groups,
    most_sensitive, odds_figure, odds_reading, odds_view, pooled_odds_ratio, table13_order, tally,
    MostSensitive, Tally, COMMON_CAUSE, COMMON_SAMPLE, TABLE13_KEY,
};
pub use words::{change, las, list, of_six};

/// One table as the page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct SixLasView {
    /// Stable name (`table10_most_deprived`, `table13_demand_classes`, `table11`).
    pub key: String,
    /// "Table 10".
    pub table: &'static str,
    /// The view's entry in the page's list of tables.
    pub choice: String,
    pub title: String,
    /// What the numbers show, in plain words, computed from them.
    pub reading: Vec<String>,
    /// What the numbers are, and are not.
    pub about: Vec<String>,
    /// The forest plot, for tables of odds ratios.
    pub figure: Option<ChartView<ForestSpec>>,
    /// The numbers as tables (the figure's table first, when there is a figure).
    pub tables: Vec<Table>,
    /// Notes on how the original prints the table.
    pub notes: Vec<String>,
    pub citation: String,
}

/// A group of views in the page's list.
#[derive(Debug, Clone, Serialize)]
pub struct SixLasGroup {
    pub label: &'static str,
    /// Keys of its views, in order.
    pub views: Vec<String>,
}

/// Everything the "Inside six local authorities" section shows.
#[derive(Debug, Clone, Serialize)]
pub struct SixLasPage {
    pub title: &'static str,
    pub intro: Vec<String>,
    /// The key of the view shown first.
    pub first: String,
    pub groups: Vec<SixLasGroup>,
    pub views: Vec<SixLasView>,
    /// The study, as the page's list of sources cites it.
    pub source: String,
}

/// Every view, grouped as the page lists them.
pub fn page() -> SixLasPage {
    let odds: Vec<SixLasView> =
        ODDS_TABLES.iter().flat_map(|t| t.halves.iter().map(move |h| odds_view(t, h))).collect();
    let classes: Vec<SixLasView> = std::iter::once(deprivation_effects_view())
        .chain(SHARE_TABLES.iter().map(|t| share_view(t)))
        .collect();
    let context = vec![sample_view(), correlation_view()];
    let keys = |views: &[SixLasView]| views.iter().map(|v| v.key.clone()).collect::<Vec<_>>();
    let groups = vec![
        SixLasGroup { label: "Which children: odds ratios by child characteristic", views: keys(&odds) },
        SixLasGroup { label: "Which kinds of need: the seven demand classes", views: keys(&classes) },
        SixLasGroup { label: "The six LAs, and England's LAs", views: keys(&context) },
    ];
    SixLasPage {
        title: "Inside six local authorities",
        intro: vec![
            "The national models above describe neighbourhoods. An earlier study followed every child referred to \
             children's social care in six local authorities in London and South East England, 2013/14 to 2017/18, \
             and asked which children, and which kinds of need, were most tied to deprivation, and how much that \
             differed between authorities. The LAs are anonymous: LA0 is the least deprived, LA5 the most."
                .to_string(),
            "Choose a table. Tables of odds ratios are drawn as forest plots, one row per item with the six LAs' \
             estimates and intervals; every number is also in a table below the chart, with its source."
                .to_string(),
        ],
        first: "table10_most_deprived".to_string(),
        groups,
        views: odds.into_iter().chain(classes).chain(context).collect(),
        source: format!(
            "Hood, R., Goldacre, A., Gorin, S., Bywaters, P. & Webb, C. (2020). Identifying and understanding the link \
             between system conditions and welfare inequalities in children's social care services: final report \
             (Tables 2, 6 and 7 to 18) and executive summary. Nuffield Foundation. [{DOCUMENT}; seeds {SEED} and \
             {SUMMARY_SEED}]"
        ),
    }
}

/// The page's file: [`page`] as JSON, one line and a newline.
pub fn page_json() -> String {
    let mut json = serde_json::to_string(&page()).expect("the views serialise");
    json.push('\n');
    json
}
