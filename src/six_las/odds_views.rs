//! Forest plots of Tables 7 to 10 (one half at a time) and of Table 13, each with its table and
//! its reading in plain words, computed from the typed tables.
//!
//! Rows are ordered within each printed section by the six LAs' pooled odds ratio
//! ([`pooled_odds_ratio`]), largest first; the pooled value orders the rows and is shown in the
//! table as computed here, never as a figure of the report.

use crate::charts::{ChartView, ForestEstimate, ForestGroup, ForestItem, ForestSection, ForestSpec, Table};
use crate::tables::hood2020::classes::{DeprivationEffectTable, TABLE13_DEPRIVATION_EFFECTS};
use crate::tables::hood2020::odds::{OddsCell, OddsHalf, OddsRow, OddsTable};
use crate::tables::hood2020::{DemandClass, La, DOCUMENT};

use super::words::{capitalised, change, las, list, of_six};
use super::SixLasView;

/// z of a two-sided 95% interval.
const Z95: f64 = 1.959_963_984_540_054;

/// The six LAs as forest-plot groups: Okabe-Ito colours (blue, vermillion, bluish green,
/// reddish purple, orange, black); the chart gives each its own marker shape.
pub fn la_groups() -> Vec<ForestGroup> {
    const COLOURS: [usize; 6] = [0, 1, 2, 3, 4, 6];
    La::ALL
        .iter()
        .map(|la| ForestGroup { name: la.label().to_string(), colour: COLOURS[la.index()] })
        .collect()
}

/// The six LAs' odds ratios pooled with inverse-variance weights on the log scale:
/// `exp(sum(w_i ln OR_i) / sum(w_i))`, `w_i = 1 / se_i^2`, with `se_i = (ln high_i - ln low_i) /
/// (2 z_0.975)` from the printed 95% interval. Cells that are `N/A` or whose interval is empty
/// are left out; `None` when none is left.
pub fn pooled_odds_ratio(cells: &[OddsCell]) -> Option<f64> {
    let (mut sum, mut weight) = (0.0, 0.0);
    for r in cells.iter().filter_map(OddsCell::printed) {
        let se = (r.ci.high.ln() - r.ci.low.ln()) / (2.0 * Z95);
        if se.is_finite() && se > 0.0 && r.or > 0.0 {
            let w = 1.0 / (se * se);
            sum += w * r.or.ln();
            weight += w;
        }
    }
    (weight > 0.0).then(|| (sum / weight).exp())
}

/// Where each LA's printed interval lies against 1.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tally {
    pub above: Vec<La>,
    pub below: Vec<La>,
    pub across: Vec<La>,
    pub missing: Vec<La>,
}

/// The tally of a row.
pub fn tally(row: &OddsRow) -> Tally {
    let mut t = Tally::default();
    for la in La::ALL {
        match row.cell(la).printed() {
            None => t.missing.push(la),
            Some(r) if r.ci.low > 1.0 => t.above.push(la),
            Some(r) if r.ci.high < 1.0 => t.below.push(la),
            Some(_) => t.across.push(la),
        }
    }
    t
}

/// A row's label on the chart and in the table, with its own reference group when it has one.
fn item_label(row: &OddsRow) -> String {
    match row.reference {
        Some(reference) => format!("{} (against {reference})", row.label),
        None => row.label.to_string(),
    }
}

/// The rows of a section, largest pooled odds ratio first (rows without one last, in printed order).
fn ordered(rows: &'static [OddsRow]) -> Vec<(&'static OddsRow, Option<f64>)> {
    let mut rows: Vec<_> = rows.iter().map(|r| (r, pooled_odds_ratio(&r.cells))).collect();
    rows.sort_by(|a, b| match (a.1, b.1) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    rows
}

fn estimate(cell: &OddsCell) -> Option<ForestEstimate> {
    cell.printed().map(|r| ForestEstimate { value: r.or, interval: Some([r.ci.low, r.ci.high]) })
}

/// The key of a half's view: `table7_female`, `table10_most_deprived`.
pub fn odds_key(table: &OddsTable, half: &OddsHalf) -> String {
    format!("table{}_{}", table.number, half.key)
}

/// The forest plot of one half of Tables 7 to 10, with its table.
pub fn odds_figure(table: &OddsTable, half: &OddsHalf) -> ChartView<ForestSpec> {
    let mut sections = Vec::new();
    let mut rows = Vec::new();
    for section in half.sections {
        let ordered = ordered(section.rows);
        let items = ordered
            .iter()
            .map(|(row, _)| ForestItem {
                label: item_label(row),
                estimates: row.cells.iter().map(estimate).collect(),
            })
            .collect();
        sections.push(ForestSection { heading: section.heading.to_string(), items });
        for (row, pooled) in ordered {
            let mut cells = vec![item_label(row), section.heading.to_string()];
            cells.extend(
                row.cells.iter().map(|c| c.printed().map_or_else(|| "N/A".to_string(), |r| r.short())),
            );
            cells.push(pooled.map_or_else(|| "–".to_string(), |p| format!("{p:.2}")));
            rows.push(cells);
        }
    }
    let count: usize = sections.iter().map(|s| s.items.len()).sum();
    let mut header = vec!["Item".to_string(), "Section".to_string()];
    header.extend(La::ALL.iter().map(|la| la.label().to_string()));
    header.push("Pooled, for the order (computed here)".to_string());
    ChartView {
        id: "six-las-forest",
        title: format!("Odds ratios by LA, with 95% intervals ({})", table.table),
        description: format!(
            "Forest plot of {count} items, each with the six LAs' odds ratios and 95% intervals on a log scale \
             (LA0 to LA5 from top to bottom in every row); the dashed line at 1 means no difference. A marker is \
             hollow when its interval reaches 1."
        ),
        spec: ForestSpec {
            x_label: format!("Odds ratio, {} against {} (log scale)", half.group, half.reference),
            groups: la_groups(),
            sections,
            reference: 1.0,
            hollow_when_interval_includes_reference: true,
            font_px: 16,
        },
        table: Table {
            caption: format!(
                "Odds ratios (95% CI) for {} against {}, by LA ({DOCUMENT}, {})",
                half.group, half.reference, table.table
            ),
            header,
            rows,
        },
    }
}

/// "Child sexual exploitation (all six)" for each row, most LAs first.
fn tallied(rows: &[(&OddsRow, Tally)], side: impl Fn(&Tally) -> usize) -> Vec<String> {
    let mut picked: Vec<_> = rows.iter().filter(|(_, t)| side(t) >= 4).collect();
    picked.sort_by_key(|(_, t)| std::cmp::Reverse(side(t)));
    picked.iter().take(6).map(|(r, t)| format!("{} ({})", item_label(r), of_six(side(t)))).collect()
}

/// The reading of one half, in plain words, from its cells.
pub fn odds_reading(half: &OddsHalf) -> Vec<String> {
    let rows: Vec<(&OddsRow, Tally)> = half.rows().map(|(_, r)| (r, tally(r))).collect();
    let mut out = Vec::new();
    let higher = tallied(&rows, |t| t.above.len());
    let lower = tallied(&rows, |t| t.below.len());
    if !higher.is_empty() {
        out.push(format!(
            "Higher odds for {} than for {} in at least four of the six LAs (the interval above 1): {}.",
            half.group,
            half.reference,
            list(&higher)
        ));
    }
    if !lower.is_empty() {
        out.push(format!(
            "Lower odds for {} in at least four of the six LAs (the interval below 1): {}.",
            half.group,
            list(&lower)
        ));
    }
    if higher.is_empty() && lower.is_empty() {
        out.push(format!(
            "No item had higher or lower odds for {} in four or more of the six LAs.",
            half.group
        ));
    }
    // Thresholds one by one: where the group was more likely to reach them, and where not.
    for (_, row) in half.rows().filter(|(s, _)| *s == "Thresholds") {
        let t = tally(row);
        let mut parts = Vec::new();
        if !t.above.is_empty() {
            parts.push(format!("higher odds in {} ({})", of_six(t.above.len()), las(&t.above)));
        }
        if !t.across.is_empty() {
            parts.push(format!("an interval reaching 1 in {}", las(&t.across)));
        }
        if !t.below.is_empty() {
            parts.push(format!("lower odds in {} ({})", of_six(t.below.len()), las(&t.below)));
        }
        if !t.missing.is_empty() {
            parts.push(format!("N/A in {}", las(&t.missing)));
        }
        out.push(format!("{}: {}.", row.label, list(&parts)));
    }
    // Where the LAs point in opposite directions.
    let split: Vec<String> = rows
        .iter()
        .filter(|(_, t)| !t.above.is_empty() && !t.below.is_empty())
        .map(|(r, t)| format!("{} (higher in {}, lower in {})", item_label(r), las(&t.above), las(&t.below)))
        .collect();
    if !split.is_empty() {
        out.push(format!("The LAs point in opposite directions on {}.", list(&split)));
    }
    out
}

/// What the odds ratios of a half are, and are not.
pub fn odds_about(half: &OddsHalf) -> Vec<String> {
    vec![
        format!(
            "Each marker is an odds ratio from the report: the odds that {} referred to children's social care had \
             the item, divided by the same odds for {}, in one LA. Above 1, the item was more likely for {}; below 1, \
             less likely. The line is its 95% confidence interval as printed. A hollow marker means the interval \
             reaches 1, computed here from the printed interval: the report marked significant differences by \
             colour, which its text does not keep.",
            half.group, half.reference, half.group
        ),
        COMMON_SAMPLE.to_string(),
        COMMON_CAUSE.to_string(),
        format!(
            "Within each section the rows are ordered by the six LAs' pooled odds ratio, computed here (the log odds \
             ratios averaged with weights from the precision of their printed intervals, the last column of the \
             table). It only orders the rows: it is not in the report, and the LAs differ too much for one number \
             to stand for them."
        ),
    ]
}

/// The six LAs are not England.
pub const COMMON_SAMPLE: &str = "The six LAs are in London and South East England, chosen to contrast in deprivation \
    and for access, not to represent England; the children are those referred to children's social care there \
    between 2013/14 and 2017/18.";

/// Association, not cause.
pub const COMMON_CAUSE: &str = "These are associations in administrative records, not causes: they describe who was \
    referred and what was recorded about them, not why, and they say nothing about any single child or family.";

/// The view of one half of Tables 7 to 10.
pub fn odds_view(table: &'static OddsTable, half: &'static OddsHalf) -> SixLasView {
    let figure = odds_figure(table, half);
    SixLasView {
        key: odds_key(table, half),
        table: table.table,
        choice: format!("{} ({})", choice(half), table.table),
        title: format!("{}: {} against {}", table.title, half.group, half.reference),
        reading: odds_reading(half),
        about: odds_about(half),
        tables: vec![figure.table.clone()],
        figure: Some(figure),
        notes: odds_notes(table, half),
        citation: format!(
            "{DOCUMENT}, {}: {} (seed {})",
            table.table,
            table.title,
            crate::tables::hood2020::SEED
        ),
    }
}

/// A half's entry in the page's list of tables: short, with the characteristic first.
fn choice(half: &OddsHalf) -> String {
    match half.key {
        "female" => "Gender: girls against boys".to_string(),
        "under_5" => "Age: under-5s against older children".to_string(),
        "twelve_plus" => "Age: children aged 12 and over against younger children".to_string(),
        "white_british" => "Ethnicity: White British children against all others".to_string(),
        "least_deprived" => "Deprivation: the least deprived third against the rest".to_string(),
        "most_deprived" => "Deprivation: the most deprived third against the rest".to_string(),
        _ => format!("{} against {}", capitalised(half.group), half.reference),
    }
}

fn odds_notes(table: &OddsTable, half: &OddsHalf) -> Vec<String> {
    let mut notes = vec![format!("{}.", table.significance)];
    notes.extend(half.rows().filter_map(|(_, r)| r.note.map(|n| format!("{}: {n}", r.label))));
    notes
}

// ---------------------------------------------------------------------------------------------
// Table 13: the effect of child-level deprivation on each demand class
// ---------------------------------------------------------------------------------------------

/// Which class's odds rose most with deprivation in one LA, against neglect's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MostSensitive {
    pub la: La,
    pub class: DemandClass,
    /// Its printed change (+42% is 42).
    pub percent: f64,
    /// Neglect's printed change in the same LA.
    pub neglect: f64,
}

/// For each LA, the class whose printed change is largest (the first in the report's order on a
/// tie).
pub fn most_sensitive(t: &DeprivationEffectTable) -> Vec<MostSensitive> {
    let neglect = t.classes.iter().position(|c| *c == DemandClass::Neglect).expect("Table 13 has neglect");
    t.rows
        .iter()
        .map(|row| {
            let (column, percent) = row
                .percent
                .iter()
                .copied()
                .enumerate()
                .fold((0, f64::NEG_INFINITY), |best, (i, p)| if p > best.1 { (i, p) } else { best });
            MostSensitive { la: row.la, class: t.classes[column], percent, neglect: row.percent[neglect] }
        })
        .collect()
}

/// The geometric mean of a class's odds ratios over the six LAs: the order of Table 13's rows.
fn mean_odds_ratio(t: &DeprivationEffectTable, column: usize) -> f64 {
    let logs: f64 = t.rows.iter().map(|r| r.odds_ratio(column).ln()).sum();
    (logs / t.rows.len() as f64).exp()
}

/// The key of Table 13's view, whose figure the tour's "What kind of need?" step draws too.
pub const TABLE13_KEY: &str = "table13_demand_classes";

/// Table 13's columns (classes), largest average change over the six LAs first.
pub fn table13_order() -> Vec<usize> {
    let t = &TABLE13_DEPRIVATION_EFFECTS;
    // Seven columns: an insertion into place keeps the page's engine small.
    let mut order: Vec<usize> = Vec::new();
    for c in 0..t.classes.len() {
        let at =
            order.iter().position(|&o| mean_odds_ratio(t, o) < mean_odds_ratio(t, c)).unwrap_or(order.len());
        order.insert(at, c);
    }
    order
}

/// The forest plot of Table 13 (markers without intervals: the report prints none), with its
/// table: one row per class, largest average change first.
pub fn deprivation_effects_figure() -> ChartView<ForestSpec> {
    let t = &TABLE13_DEPRIVATION_EFFECTS;
    let order = table13_order();
    let items = order
        .iter()
        .map(|&c| ForestItem {
            label: t.classes[c].short_name().to_string(),
            estimates: t
                .rows
                .iter()
                .map(|r| Some(ForestEstimate { value: r.odds_ratio(c), interval: None }))
                .collect(),
        })
        .collect();
    let mut header = vec!["Demand class".to_string()];
    header.extend(La::ALL.iter().map(|la| la.label().to_string()));
    header.push("Average, for the order (computed here)".to_string());
    let rows = order
        .iter()
        .map(|&c| {
            let mut cells = vec![t.classes[c].short_name().to_string()];
            cells.extend(t.rows.iter().map(|r| change(r.percent[c])));
            cells.push(change(100.0 * (mean_odds_ratio(t, c) - 1.0)));
            cells
        })
        .collect();
    ChartView {
        id: "six-las-forest",
        title: format!("Change in the odds of each kind of need by LA ({})", t.table),
        description: "Forest plot of the seven demand classes, each with the six LAs' odds ratios on a log scale \
                      (LA0 to LA5 from top to bottom in every row; +33% is drawn at 1.33); the dashed line at 1 means \
                      no change. The report prints no intervals for this table."
            .into(),
        spec: ForestSpec {
            x_label: "Odds ratio (log scale)".into(),
            groups: la_groups(),
            sections: vec![ForestSection { heading: String::new(), items }],
            reference: 1.0,
            hollow_when_interval_includes_reference: false,
            font_px: 16,
        },
        table: Table {
            caption: format!(
                "Change in the odds of an assessment in each demand class with a rise in child-level deprivation, by \
                 LA ({DOCUMENT}, {})",
                t.table
            ),
            header,
            rows,
        },
    }
}

/// The reading of Table 13, from its cells.
pub fn deprivation_effects_reading() -> Vec<String> {
    let t = &TABLE13_DEPRIVATION_EFFECTS;
    let top = most_sensitive(t);
    let (neglect, other): (Vec<&MostSensitive>, Vec<&MostSensitive>) =
        top.iter().partition(|m| m.class == DemandClass::Neglect);
    let neglect_las: Vec<La> = neglect.iter().map(|m| m.la).collect();
    let mut out = vec![format!(
        "In {} authorities ({}), neglect was the kind of need most sensitive to deprivation: of the seven demand \
         classes, the odds of an assessment in the neglect class rose most as the child's neighbourhood was more \
         deprived.",
        of_six(neglect_las.len()).replace(" of the six", ""),
        las(&neglect_las)
    )];
    if !other.is_empty() {
        let others: Vec<String> = other
            .iter()
            .map(|m| {
                format!(
                    "in {} it was {} ({}, against {} for neglect)",
                    m.la.label(),
                    m.class.in_words(),
                    change(m.percent),
                    change(m.neglect)
                )
            })
            .collect();
        out.push(format!("{}.", capitalised(&list(&others))));
    }
    let neglect_column = t.classes.iter().position(|c| *c == DemandClass::Neglect).unwrap();
    let (low, high) = t.rows.iter().fold((&t.rows[0], &t.rows[0]), |(lo, hi), r| {
        (
            if r.percent[neglect_column] < lo.percent[neglect_column] { r } else { lo },
            if r.percent[neglect_column] > hi.percent[neglect_column] { r } else { hi },
        )
    });
    out.push(format!(
        "The authorities differ: neglect's odds rose by {} in {} against {} in {}.",
        change(high.percent[neglect_column]),
        high.la.label(),
        change(low.percent[neglect_column]),
        low.la.label()
    ));
    let all: Vec<f64> = t.rows.iter().flat_map(|r| r.percent).collect();
    let (min, max) = all.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &p| (a.min(p), b.max(p)));
    if min > 0.0 {
        out.push(format!(
            "In every LA the odds of every class rose with deprivation: all {} changes are increases, from {} to {}.",
            all.len(),
            change(min),
            change(max)
        ));
    }
    out
}

/// What Table 13's numbers are, and are not.
pub fn deprivation_effects_about() -> Vec<String> {
    let neglect_top = most_sensitive(&TABLE13_DEPRIVATION_EFFECTS)
        .iter()
        .filter(|m| m.class == DemandClass::Neglect)
        .count();
    let mut about = vec![
        "Each marker is the change in the odds that an assessment fell in the demand class when the child's \
         neighbourhood (LSOA) was more deprived, as printed (+33% is drawn at 1.33). Neighbourhood deprivation stands in \
         for the child's own. The report prints no intervals or significance for this table and does not state the \
         size of the rise in deprivation."
            .to_string(),
        COMMON_SAMPLE.to_string(),
        COMMON_CAUSE.to_string(),
        "The rows are ordered by the classes' average change over the six LAs (the geometric mean of their odds \
         ratios, computed here, in the table's last column)."
            .to_string(),
    ];
    if neglect_top != 5 {
        about.push(format!(
            "The report's text says that in all the LAs except one (LA3) neglect assessments were the most sensitive \
             to child deprivation; in its Table 13 that is so in {} LAs.",
            super::words::number_word(neglect_top)
        ));
    }
    about
}

/// The view of Table 13.
pub fn deprivation_effects_view() -> SixLasView {
    let t = &TABLE13_DEPRIVATION_EFFECTS;
    let figure = deprivation_effects_figure();
    SixLasView {
        key: TABLE13_KEY.to_string(),
        table: t.table,
        choice: format!("Demand classes: the effect of neighbourhood deprivation ({})", t.table),
        title:
            "How much the odds of each kind of need rose with the child's neighbourhood deprivation, by LA"
                .to_string(),
        reading: deprivation_effects_reading(),
        about: deprivation_effects_about(),
        tables: vec![figure.table.clone()],
        figure: Some(figure),
        notes: vec!["The LA printed as \"LAO\" in Table 13 is LA0.".to_string()],
        citation: format!("{DOCUMENT}, {}: {} (seed {})", t.table, t.title, crate::tables::hood2020::SEED),
    }
}
