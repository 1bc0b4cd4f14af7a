//! The tables without a forest plot: the demand classes' percentages (Tables 11, 12, 14 to 18),
//! the national correlations (Table 6) and the six LAs (Table 2), each as a table with a reading
//! computed from its cells.

use crate::charts::Table;
use crate::tables::hood2020::classes::*;
use crate::tables::hood2020::correlations::{CorrelationRow, TABLE6_CORRELATIONS};
use crate::tables::hood2020::sample::TABLE2_SAMPLE;
use crate::tables::hood2020::{DemandClass, La, DOCUMENT, SEED};
use crate::tables::Significance;

use super::odds_views::{COMMON_CAUSE, COMMON_SAMPLE};
use super::words::{capitalised, las, list, of_six};
use super::SixLasView;

fn pct(value: f64, decimals: usize) -> String {
    format!("{value:.decimals$}%")
}

/// A percentage table as a [`Table`], cells as printed.
fn share_table(t: &ShareTable) -> Table {
    let mut header = vec![t.row_header.to_string()];
    header.extend(t.columns.iter().map(|c| c.to_string()));
    Table {
        caption: format!("{} ({DOCUMENT}, {}): percentages of {}", t.title, t.table, t.percent_of),
        header,
        rows: t
            .rows
            .iter()
            .map(|r| {
                let mut cells = vec![r.label.to_string()];
                cells.extend(r.values.iter().map(|v| pct(*v, t.decimals)));
                cells
            })
            .collect(),
    }
}

/// The rows of the seven classes (not the total), with their classes.
fn class_rows(t: &ShareTable) -> Vec<(DemandClass, &'static [f64])> {
    t.rows.iter().filter_map(|r| r.class.map(|c| (c, r.values))).collect()
}

fn column(t: &ShareTable, heading: &str) -> usize {
    t.columns
        .iter()
        .position(|c| *c == heading)
        .unwrap_or_else(|| panic!("{} has no column {heading}", t.table))
}

fn total_row(t: &ShareTable) -> Option<&'static [f64]> {
    t.rows.iter().find(|r| r.key == "total").map(|r| r.values)
}

/// The class with the largest value in `col` (the first on a tie).
fn largest(rows: &[(DemandClass, &[f64])], col: usize) -> (DemandClass, f64) {
    rows.iter().fold(
        (rows[0].0, f64::NEG_INFINITY),
        |best, (c, v)| if v[col] > best.1 { (*c, v[col]) } else { best },
    )
}

fn smallest(rows: &[(DemandClass, &[f64])], col: usize) -> (DemandClass, f64) {
    rows.iter()
        .fold((rows[0].0, f64::INFINITY), |best, (c, v)| if v[col] < best.1 { (*c, v[col]) } else { best })
}

fn table11_reading() -> Vec<String> {
    let t = &TABLE11_CLASS_SHARES;
    let rows = class_rows(t);
    // The LAs grouped by their largest class.
    let mut groups: Vec<(DemandClass, Vec<La>, f64)> = Vec::new();
    for la in La::ALL {
        let (class, value) = largest(&rows, column(t, la.label()));
        match groups.iter_mut().find(|g| g.0 == class) {
            Some(g) => g.1.push(la),
            None => groups.push((class, vec![la], value)),
        }
    }
    groups.sort_by_key(|g| std::cmp::Reverse(g.1.len()));
    let parts: Vec<String> = groups
        .iter()
        .map(|(class, l, _)| format!("{} in {} ({})", class.in_words(), of_six(l.len()), las(l)))
        .collect();
    let total = column(t, "Total");
    let (small, share) = smallest(&rows, total);
    let small_row = rows.iter().find(|(c, _)| *c == small).unwrap().1;
    let (top_la, top) = La::ALL
        .iter()
        .map(|la| (*la, small_row[column(t, la.label())]))
        .fold((La::La0, f64::NEG_INFINITY), |b, x| if x.1 > b.1 { x } else { b });
    vec![
        format!("The largest demand class was {}.", list(&parts)),
        format!(
            "{} was the smallest class overall ({} of all episodes), and largest in {} ({}).",
            capitalised(small.in_words()),
            pct(share, 0),
            top_la.label(),
            pct(top, 0)
        ),
    ]
}

fn table12_reading() -> Vec<String> {
    let t = &TABLE12_CLASSES_BY_TERTILE;
    let rows = class_rows(t);
    let (least, most) = (column(t, "1 (least deprived)"), column(t, "3 (most deprived)"));
    let mut by_gap: Vec<_> = rows.iter().map(|(c, v)| (*c, v[least], v[most])).collect();
    by_gap.sort_by(|a, b| (b.2 - b.1).abs().total_cmp(&(a.2 - a.1).abs()));
    let parts: Vec<String> = by_gap
        .iter()
        .take(2)
        .map(|(c, l, m)| format!("{} {} and {}", c.in_words(), pct(*l, 0), pct(*m, 0)))
        .collect();
    let rest = by_gap.iter().skip(2).map(|(_, l, m)| (m - l).abs()).fold(0.0, f64::max);
    vec![format!(
        "Of the episodes of children in the least and the most deprived tertile: {}. The other classes differ by \
         {} percentage point{} at most.",
        list(&parts),
        rest,
        if rest == 1.0 { "" } else { "s" }
    )]
}

fn table14_reading() -> Vec<String> {
    let t = &TABLE14_CLASSES_BY_THRESHOLD;
    let rows = class_rows(t);
    let (cp, lac, not_cin) = (column(t, "CP Plan"), column(t, "LAC"), column(t, "Assessed Not CIN"));
    let total = total_row(t).expect("Table 14 has a total row");
    let (class, values) =
        rows.iter().fold(rows[0], |b, r| if r.1[cp] + r.1[lac] > b.1[cp] + b.1[lac] { *r } else { b });
    let exceptions: Vec<&str> = rows
        .iter()
        .filter(|(_, v)| v[..v.len() - 1].iter().any(|x| *x > v[not_cin]))
        .map(|(c, _)| c.in_words())
        .collect();
    vec![
        format!(
            "Episodes in the {} class reached a CP plan in {} of cases and LAC in {}, against {} and {} of all episodes.",
            class.in_words(),
            pct(values[cp], 0),
            pct(values[lac], 0),
            pct(total[cp], 0),
            pct(total[lac], 0)
        ),
        format!("'Assessed not CIN' was the most common outcome in every class except {}.", list(&exceptions)),
    ]
}

fn table15_reading() -> Vec<String> {
    let t = &TABLE15_RE_REFERRALS;
    let rows = class_rows(t);
    let re = column(t, "Episode re-referred within 12 mths (%)");
    let (most, hi) = largest(&rows, re);
    let (least, lo) = smallest(&rows, re);
    vec![format!(
        "{} episodes were the most often re-referred within 12 months ({}), {} episodes the least ({}).",
        capitalised(most.in_words()),
        pct(hi, 0),
        least.in_words(),
        pct(lo, 0)
    )]
}

fn table16_reading() -> Vec<String> {
    let t = &TABLE16_REFERRAL_SOURCES;
    let rows = class_rows(t);
    let total = total_row(t).expect("Table 16 has a total row");
    let mut excess: Vec<(usize, DemandClass, f64)> = (0..t.columns.len())
        .filter(|&c| t.columns[c] != "Total")
        .map(|c| {
            let (class, v) = largest(&rows, c);
            (c, class, v)
        })
        .collect();
    excess.sort_by(|a, b| (b.2 - total[b.0]).total_cmp(&(a.2 - total[a.0])));
    let parts: Vec<String> = excess
        .iter()
        .take(2)
        .map(|(c, class, v)| {
            format!(
                "{} referred {} of {} episodes (against {} of all episodes)",
                t.columns[*c],
                pct(*v, 0),
                class.in_words(),
                pct(total[*c], 0)
            )
        })
        .collect();
    vec![format!("{}.", list(&parts))]
}

fn table17_reading() -> Vec<String> {
    let t = &TABLE17_CATEGORY_MATCH;
    let missing = |r: &ShareRow| pct(100.0 - r.values[0], 0);
    let (first, rest) = t.rows.split_first().expect("Table 17 has rows");
    let parts: Vec<String> =
        rest.iter().map(|r| format!("{} for {}", missing(r), r.label.to_lowercase())).collect();
    vec![format!(
        "Of CP plans for {}, {} did not have {} recorded as a factor at assessment; {} (100% less the table's \
         figure, computed here).",
        first.label.to_lowercase(),
        missing(first),
        first.label.to_lowercase(),
        list(&parts)
    )]
}

fn table18_reading() -> Vec<String> {
    let t = &TABLE18_CLASSES_BY_CP_CATEGORY;
    let neglect = column(t, "Neglect");
    let mut out = Vec::new();
    let mut exceptions = Vec::new();
    for r in t.rows.iter().filter(|r| r.class.is_some()) {
        let (top, value) = r.values[..r.values.len() - 1]
            .iter()
            .enumerate()
            .fold((0, f64::NEG_INFINITY), |b, (i, v)| if *v > b.1 { (i, *v) } else { b });
        if top != neglect {
            exceptions.push((r, t.columns[top], value));
        }
    }
    let parts: Vec<String> = exceptions
        .iter()
        .map(|(r, col, v)| {
            format!("{} ({}, {})", r.class.unwrap().in_words(), col.to_lowercase(), pct(*v, 1))
        })
        .collect();
    out.push(format!("Neglect was the most common CP plan category in every class except {}.", list(&parts)));
    for (r, _, _) in &exceptions {
        out.push(format!(
            "Even in the {} class, {} of CP plans were for neglect.",
            r.class.unwrap().in_words(),
            pct(r.values[neglect], 1)
        ));
    }
    out
}

/// What the class tables' percentages are.
fn class_about(t: &ShareTable) -> Vec<String> {
    let mut about = vec![
        format!(
            "Percentages as printed in the report: shares of {}, over the six LAs' episodes together unless a \
             column names an LA. The demand classes are the seven kinds of need found by a latent class analysis of \
             the factors social workers recorded at assessment: neglect; domestic violence; physical abuse; \
             out-of-control/highly vulnerable; multiple complex needs I and II; disability and mental health.",
            t.percent_of
        ),
        COMMON_SAMPLE.to_string(),
        COMMON_CAUSE.to_string(),
    ];
    if let Some(s) = t.significance {
        about.push(format!("{s}."));
    }
    about
}

/// The view of a percentage table.
pub fn share_view(t: &'static ShareTable) -> SixLasView {
    let reading = match t.number {
        11 => table11_reading(),
        12 => table12_reading(),
        14 => table14_reading(),
        15 => table15_reading(),
        16 => table16_reading(),
        17 => table17_reading(),
        18 => table18_reading(),
        _ => Vec::new(),
    };
    SixLasView {
        key: format!("table{}", t.number),
        table: t.table,
        choice: format!("{} ({})", t.title, t.table),
        title: t.title.to_string(),
        reading,
        about: class_about(t),
        figure: None,
        tables: vec![share_table(t)],
        notes: Vec::new(),
        citation: format!("{DOCUMENT}, {}: {} (seed {SEED})", t.table, t.title),
    }
}

/// Table 6 as a table: each cell the printed coefficient, p-value and N.
fn correlation_table() -> Table {
    let t = &TABLE6_CORRELATIONS;
    let mut header = vec!["Demand indicator".to_string()];
    header.extend(t.years.iter().map(|y| y.to_string()));
    Table {
        caption: format!(
            "Spearman correlation of {} with each demand indicator, by year: coefficient (p-value; number of LAs) \
             ({DOCUMENT}, {})",
            t.with, t.table
        ),
        header,
        rows: t
            .rows
            .iter()
            .map(|r| {
                let mut cells = vec![r.label.to_string()];
                cells.extend(r.cells.iter().map(|c| {
                    c.map_or_else(|| "–".to_string(), |c| format!("{} (p {}; N {})", c.printed_rho(), c.printed_p(), c.n))
                }));
                cells
            })
            .collect(),
    }
}

fn correlation_reading() -> Vec<String> {
    let t = &TABLE6_CORRELATIONS;
    let (others, re): (Vec<&CorrelationRow>, Vec<&CorrelationRow>) =
        t.rows.iter().partition(|r| r.key != "re_referrals_within_12_months");
    let cells: Vec<_> = others.iter().flat_map(|r| r.cells.iter().flatten()).collect();
    let marked = cells.iter().filter(|c| c.significance.significant_at_5_percent()).count();
    let (min, max) =
        cells.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), c| (a.min(c.rho), b.max(c.rho)));
    let mut out = vec![format!(
        "More deprived LAs had higher rates of almost every kind of demand, every year: of the {} coefficients for \
         the indicators other than re-referrals, {} are marked significant (p < 0.05) and all are positive, from {:.3} \
         to {:.3}.",
        cells.len(),
        marked,
        min,
        max
    )];
    for r in re {
        let cells: Vec<_> = r.cells.iter().flatten().collect();
        let (min, max) =
            cells.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), c| (a.min(c.rho), b.max(c.rho)));
        let any = cells.iter().any(|c| c.significance != Significance::Unmarked);
        out.push(format!(
            "The exception is {}: coefficients from {} to {}, {}.",
            r.label.to_lowercase(),
            min,
            max,
            if any { "some marked significant" } else { "none marked significant" }
        ));
    }
    out
}

/// The view of Table 6 (with the fitting engine's build, also the same correlations computed from
/// the DfE figures, [`crate::rates::table6`]).
pub fn correlation_view() -> SixLasView {
    let t = &TABLE6_CORRELATIONS;
    #[cfg_attr(not(feature = "engine"), allow(unused_mut))]
    let mut view = SixLasView {
        key: "table6".to_string(),
        table: t.table,
        choice: format!("England's LAs: deprivation and demand, 2011 to 2017 ({})", t.table),
        title: t.title.to_string(),
        reading: correlation_reading(),
        about: vec![
            format!(
                "Spearman's rank correlations across English LAs, one year at a time, between {} (the LA's average \
                 IMD 2015 score) and each indicator's rate per 10,000 children: 1 would mean the more deprived an LA, \
                 the higher its rate without exception; 0 no relation. N is the number of LAs, p the two-tailed \
                 p-value; ** marks p < 0.01 and * p < 0.05. The years are the columns as printed.",
                t.with
            ),
            "This is the study's national part, all English LAs, not the six LAs. A correlation across LAs says \
             nothing about children within an LA, and it is an association, not a cause."
                .to_string(),
        ],
        figure: None,
        tables: vec![correlation_table()],
        notes: vec![format!("{}.", t.significance)],
        citation: format!("{DOCUMENT}, {}: {} (seed {SEED})", t.table, t.title),
    };
    #[cfg(feature = "engine")]
    {
        let c = crate::rates::table6::table6_comparison();
        view.about.extend(crate::rates::table6::comparison_about(&c));
        view.tables.push(crate::rates::table6::comparison_table(&c));
        view.citation.push_str(&format!("; computed: {}", crate::rates::data::SOURCE));
    }
    view
}

/// The view of Table 2.
pub fn sample_view() -> SixLasView {
    SixLasView {
        key: "table2".to_string(),
        table: "Table 2",
        choice: "The six LAs (Table 2)".to_string(),
        title: "Characteristics of the LA sample".to_string(),
        reading: Vec::new(),
        about: vec![COMMON_SAMPLE.to_string()],
        figure: None,
        tables: vec![Table {
            caption: format!("Characteristics of the LA sample ({DOCUMENT}, Table 2)"),
            header: vec!["Characteristic".into(), "Range".into(), "Comments".into()],
            rows: TABLE2_SAMPLE
                .iter()
                .map(|r| {
                    let text = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
                    vec![r.characteristic.to_string(), text(r.range), text(r.comments)]
                })
                .collect(),
        }],
        notes: vec!["The text prints LA0 as \"LAO\" in places.".to_string()],
        citation: format!("{DOCUMENT}, Table 2: Characteristics of the LA sample (seed {SEED})"),
    }
}
