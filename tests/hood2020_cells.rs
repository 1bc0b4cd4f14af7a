//! Cell-by-cell check of Hood et al. 2020's Tables 2, 6 and 7 to 18 (`socgrad::tables::hood2020`,
//! transcribed by hand) against a second transcription made by parsing the seed's own text.
//!
//! `tests/reference/hood2020/seed_tables.txt` holds the seed's lines for each table, unchanged,
//! with their line numbers; where the seed is present (`/work/shared/seeds`, or `SEEDS_DIR`)
//! the first test checks the blocks are still its text. The parsers below read those lines the
//! way they are printed (tab-separated cells, `OR x (CI a-b)` tokens, `N/A`, `+33%`, percentages,
//! numbers in Table 2's words) and every parsed cell is compared with the typed cell, in both
//! directions: same rows, same order, same values, exactly.

use std::collections::BTreeMap;
use std::path::PathBuf;

use socgrad::tables::hood2020::classes::{SHARE_TABLES, TABLE13_DEPRIVATION_EFFECTS};
use socgrad::tables::hood2020::correlations::TABLE6_CORRELATIONS;
use socgrad::tables::hood2020::differences::ODDS_TABLES;
use socgrad::tables::hood2020::odds::OddsCell;
use socgrad::tables::hood2020::sample::{SampleColumn, TABLE2_SAMPLE};
use socgrad::tables::hood2020::{self as hood, CellValue, La};
use socgrad::tables::{Bounded, Significance};

const EXCERPT: &str = include_str!("reference/hood2020/seed_tables.txt");

/// One block of the excerpt: a table's lines `first..=last` of the seed.
struct Block {
    table: u8,
    first: usize,
    last: usize,
    lines: Vec<&'static str>,
}

fn blocks() -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    for line in EXCERPT.lines() {
        if line.starts_with('#') && out.is_empty() {
            continue;
        }
        if let Some(head) = line.strip_prefix("@@ Table ") {
            let (table, range) = head.split_once(' ').expect("@@ Table N FIRST-LAST");
            let (first, last) = range.split_once('-').expect("FIRST-LAST");
            out.push(Block {
                table: table.parse().unwrap(),
                first: first.parse().unwrap(),
                last: last.parse().unwrap(),
                lines: Vec::new(),
            });
        } else {
            out.last_mut().expect("a block header first").lines.push(line);
        }
    }
    out
}

/// The lines of table `n`, every block of it in order.
fn lines_of(n: u8) -> Vec<&'static str> {
    blocks().into_iter().filter(|b| b.table == n).flat_map(|b| b.lines).collect()
}

#[test]
fn the_excerpt_is_the_seed_text() {
    let dir = std::env::var_os("SEEDS_DIR").map(PathBuf::from).unwrap_or_else(|| "/work/shared/seeds".into());
    let path = dir.join(hood::SEED);
    let blocks = blocks();
    assert_eq!(blocks.len(), 15);
    for b in &blocks {
        assert_eq!(b.lines.len(), b.last - b.first + 1, "Table {} block {}-{}", b.table, b.first, b.last);
    }
    let Ok(seed) = std::fs::read_to_string(&path) else {
        eprintln!("{} not found: the excerpt is parsed but not compared with the seed", path.display());
        return;
    };
    let seed: Vec<&str> = seed.lines().collect();
    for b in &blocks {
        assert_eq!(b.lines, seed[b.first - 1..b.last], "Table {} lines {}-{}", b.table, b.first, b.last);
    }
}

/// A label without footnote marks (`<sup>4</sup>`, `⁵`) or surrounding space.
fn clean(label: &str) -> String {
    let mut s = label.to_string();
    while let Some(start) = s.find("<sup>") {
        let end = s[start..].find("</sup>").map_or(s.len(), |e| start + e + "</sup>".len());
        s.replace_range(start..end, "");
    }
    s.retain(|c| !"⁰¹²³⁴⁵⁶⁷⁸⁹".contains(c));
    s.trim().to_string()
}

fn number(text: &str) -> f64 {
    text.trim().parse().unwrap_or_else(|_| panic!("not a number: {text:?}"))
}

// ---------------------------------------------------------------------------------------------
// Tables 7 to 10: `OR x (CI a-b)` and `N/A` tokens
// ---------------------------------------------------------------------------------------------

/// A cell's numbers and its text as printed (`None` for `N/A`).
type Parsed = Option<((f64, f64, f64), String)>;

/// Every `OR x (CI a-b)` or `N/A` on a line, in order (cells the text runs together included).
fn odds_tokens(line: &str) -> Vec<Parsed> {
    let mut out = Vec::new();
    let mut rest = line;
    loop {
        let or = rest.find("OR ");
        let na = rest.find("N/A");
        match (or, na) {
            (Some(i), n) if n.map_or(true, |n| i < n) => {
                let after = &rest[i + 3..];
                let (value, tail) = after.split_once(" (CI ").expect("OR x (CI");
                let (interval, tail) = tail.split_once(')').expect("CI a-b)");
                let (low, high) = interval.split_once('-').expect("a-b");
                let text = format!("OR {value} (CI {interval})");
                out.push(Some(((number(value), number(low), number(high)), text)));
                rest = tail;
            }
            (_, Some(n)) => {
                out.push(None);
                rest = &rest[n + 3..];
            }
            _ => return out,
        }
    }
}

#[derive(Debug)]
struct ParsedHalf {
    heading: String,
    /// (section, label, cells)
    rows: Vec<(String, String, Vec<Parsed>)>,
}

fn parse_odds(lines: &[&str]) -> Vec<ParsedHalf> {
    let mut halves: Vec<ParsedHalf> = Vec::new();
    let mut section = String::new();
    for line in lines {
        let first = clean(line.split('\t').next().unwrap_or(""));
        if line.contains("Odds ratios (OR)") {
            halves.push(ParsedHalf { heading: first, rows: Vec::new() });
            section.clear();
            continue;
        }
        if line.contains("LA0") || line.trim().is_empty() || first == "·" {
            continue; // the LA header, blank lines, a stray mark
        }
        let cells = odds_tokens(line);
        let half = halves.last_mut().expect("a half heading first");
        if cells.is_empty() {
            section = first; // "Thresholds", "Factors at Assessment" (stray digits ignored)
        } else {
            half.rows.push((section.clone(), first, cells));
        }
    }
    halves
}

#[test]
fn tables_7_to_10_odds_ratios() {
    for table in ODDS_TABLES {
        let parsed = parse_odds(&lines_of(table.number));
        assert_eq!(parsed.len(), table.halves.len(), "{}", table.table);
        for (half, p) in table.halves.iter().zip(&parsed) {
            assert_eq!(half.heading, p.heading, "{}", table.table);
            let typed: Vec<_> = half.rows().collect();
            assert_eq!(typed.len(), p.rows.len(), "{} {}: rows", table.table, half.heading);
            for ((section, row), (p_section, p_label, p_cells)) in typed.iter().zip(&p.rows) {
                let at = format!("{} {} / {}", table.table, half.heading, row.label);
                assert_eq!(*section, p_section, "{at}");
                assert_eq!(row.label, p_label, "{at}");
                assert_eq!(p_cells.len(), 6, "{at}: six cells");
                for (la, (cell, p)) in La::ALL.iter().zip(row.cells.iter().zip(p_cells)) {
                    let got = match cell {
                        OddsCell::Printed(r) => Some(((r.or, r.ci.low, r.ci.high), r.printed())),
                        OddsCell::NotAvailable => None,
                    };
                    assert_eq!(got, *p, "{at} {}", la.label());
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Table 6: coefficient, Sig. (2-tailed) and N rows per indicator
// ---------------------------------------------------------------------------------------------

#[test]
fn table6_correlations() {
    let lines: Vec<&str> = lines_of(6).into_iter().skip(2).filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len() % 3, 0);
    let t = &TABLE6_CORRELATIONS;
    assert_eq!(t.years, [2011, 2012, 2013, 2014, 2015, 2016, 2017]);
    let header: Vec<&str> = lines_of(6)[1].split('\t').skip(2).collect();
    assert_eq!(header, ["2011", "2012", "2013", "2014", "2015", "2016", "2017"]);
    assert_eq!(lines.len() / 3, t.rows.len());
    for (row, group) in t.rows.iter().zip(lines.chunks(3)) {
        let fields: Vec<Vec<&str>> = group.iter().map(|l| l.split('\t').collect()).collect();
        let label: Vec<&str> = fields.iter().map(|f| f[0].trim()).filter(|s| !s.is_empty()).collect();
        assert_eq!(row.label, label.join(" "));
        assert_eq!(row.statistic, fields[0][1]);
        assert_eq!((fields[1][1], fields[2][1]), ("Sig. (2-tailed)", "N"), "{}", row.label);
        for (i, cell) in row.cells.iter().enumerate() {
            let at = format!("Table 6 {} {}", row.label, t.years[i]);
            let [coef, p, n] = [0, 1, 2].map(|k| fields[k].get(i + 2).copied().unwrap_or("").trim());
            let Some(c) = cell else {
                assert_eq!((coef, p, n), ("", "", ""), "{at}: blank");
                continue;
            };
            let stars = coef.chars().rev().take_while(|&c| c == '*').count();
            let mark = match stars {
                0 => Significance::Unmarked,
                1 => Significance::P05,
                2 => Significance::P01,
                _ => panic!("{at}: {coef}"),
            };
            assert_eq!(c.rho, number(&coef[..coef.len() - stars]), "{at}");
            assert_eq!(c.printed_rho(), coef, "{at}: as printed");
            assert_eq!(c.printed_p(), p.replace("<0", "< 0"), "{at}: as printed");
            assert_eq!(c.significance, mark, "{at}");
            let printed_p = match p.strip_prefix('<') {
                Some(bound) => Bounded::LessThan(number(bound)),
                None => Bounded::Value(number(p)),
            };
            assert_eq!(c.p, printed_p, "{at}");
            assert_eq!(c.n as f64, number(n), "{at}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Tables 11 to 18: percentages
// ---------------------------------------------------------------------------------------------

/// (header cells, rows of (label, cells)) of a tab-separated table, empty cells dropped; lines
/// whose first cell is empty (Table 18's super-heading) are skipped.
fn parse_grid(lines: &[&str]) -> (Vec<String>, Vec<(String, Vec<String>)>) {
    let mut rows = lines.iter().filter(|l| !l.starts_with('\t') && !l.trim().is_empty()).map(|l| {
        let mut cells = l.split('\t').map(str::trim).filter(|c| !c.is_empty()).map(String::from);
        (cells.next().unwrap(), cells.collect::<Vec<_>>())
    });
    let (_, header) = rows.next().expect("a header");
    (header, rows.collect())
}

fn percent(cell: &str) -> f64 {
    number(cell.strip_suffix('%').unwrap_or_else(|| panic!("not a percentage: {cell}")))
}

#[test]
fn tables_11_12_14_to_18_percentages() {
    for table in SHARE_TABLES {
        let (header, rows) = parse_grid(&lines_of(table.number));
        // Table 15's first heading is broken across a line in the original: "re- referred".
        let header: Vec<String> = header.iter().map(|h| h.replace("re- referred", "re-referred")).collect();
        assert_eq!(table.columns, header, "{}", table.table);
        assert_eq!(table.rows.len(), rows.len(), "{}", table.table);
        for (row, (label, cells)) in table.rows.iter().zip(&rows) {
            let at = format!("{} {}", table.table, row.label);
            assert_eq!(row.label, label, "{at}");
            let printed: Vec<f64> = cells.iter().map(|c| percent(c)).collect();
            assert_eq!(row.values, printed, "{at}");
            // Decimals as printed.
            for c in cells {
                let decimals = c.trim_end_matches('%').split_once('.').map_or(0, |(_, d)| d.len());
                assert_eq!(decimals, table.decimals, "{at}: {c}");
            }
        }
    }
}

#[test]
fn table13_deprivation_effects() {
    let (header, rows) = parse_grid(&lines_of(13));
    let t = &TABLE13_DEPRIVATION_EFFECTS;
    assert_eq!(t.columns.to_vec(), header);
    assert_eq!(rows.len(), 6);
    for ((row, la), (label, cells)) in t.rows.iter().zip(La::ALL).zip(&rows) {
        assert_eq!(row.la, la);
        assert_eq!(row.label, label);
        let printed: Vec<f64> = cells
            .iter()
            .map(|c| percent(c.strip_prefix('+').unwrap_or_else(|| panic!("{c}: no sign"))))
            .collect();
        assert_eq!(row.percent.to_vec(), printed, "Table 13 {label}");
        let as_printed: Vec<String> = row.percent.iter().map(|p| format!("{p:+.0}%")).collect();
        assert_eq!(&as_printed, cells, "Table 13 {label}: as printed");
    }
    for (i, class) in t.classes.iter().enumerate() {
        assert_eq!(class.number(), i + 1);
    }
}

// ---------------------------------------------------------------------------------------------
// Table 2: words, and the numbers in them
// ---------------------------------------------------------------------------------------------

/// Table 2's rows as (characteristic, range, comments), each cell's lines joined: a line whose
/// first cell is filled starts a row unless the line before it also had one (a label that
/// wraps: "Location and" / "type").
fn parse_table2() -> Vec<[String; 3]> {
    let mut rows: Vec<[Vec<String>; 3]> = Vec::new();
    let mut label_before = false;
    for line in lines_of(2).into_iter().skip(1) {
        let cells: Vec<&str> = line.split('\t').collect();
        let first = cells[0].trim();
        if !first.is_empty() && !label_before {
            rows.push(Default::default());
        }
        label_before = !first.is_empty();
        let row = rows.last_mut().unwrap();
        for (k, cell) in cells.iter().enumerate().take(3) {
            if !cell.trim().is_empty() {
                row[k].push(cell.trim().to_string());
            }
        }
    }
    let join = |parts: &[String]| {
        let text = parts.join(" ").replace("<i>", "").replace("</i>", "");
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    rows.iter().map(|r| [join(&r[0]), join(&r[1]), join(&r[2])]).collect()
}

/// The numbers in Table 2's words, in order: digits (with thousands commas, decimals) and number
/// words ("Two"), leaving out the LA names (LA0 to LA5, "LAO") and the unit "per 10,000".
fn numbers_in(text: &str) -> Vec<f64> {
    const WORDS: [&str; 6] = ["one", "two", "three", "four", "five", "six"];
    let text = text.replace("per 10,000", "");
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let word_start = i == 0 || !chars[i - 1].is_alphanumeric();
        if word_start
            && c == 'L'
            && chars.get(i + 1) == Some(&'A')
            && chars.get(i + 2).is_some_and(|d| d.is_ascii_digit() || *d == 'O')
        {
            i += 3;
        } else if c.is_ascii_digit() {
            let mut s = String::new();
            while i < chars.len() {
                let d = chars[i];
                let digit_after = chars.get(i + 1).is_some_and(char::is_ascii_digit);
                if d.is_ascii_digit() || (d == '.' && digit_after) {
                    s.push(d);
                } else if d != ',' || !digit_after {
                    break;
                }
                i += 1;
            }
            out.push(number(&s));
        } else if c.is_alphabetic() && word_start {
            let end = (i..chars.len()).find(|&j| !chars[j].is_alphabetic()).unwrap_or(chars.len());
            let word: String = chars[i..end].iter().collect::<String>().to_lowercase();
            if let Some(k) = WORDS.iter().position(|w| *w == word) {
                out.push((k + 1) as f64);
            }
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

#[test]
fn table2_sample() {
    let parsed = parse_table2();
    assert_eq!(parsed.len(), TABLE2_SAMPLE.len());
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for (row, [label, range, comments]) in TABLE2_SAMPLE.iter().zip(&parsed) {
        assert_eq!(row.characteristic, label);
        assert_eq!(words(row.range), *range, "{label}: range");
        assert_eq!(words(row.comments), *comments, "{label}: comments");
        for (column, text) in [(SampleColumn::Range, range), (SampleColumn::Comments, comments)] {
            let typed: Vec<f64> =
                row.figures.iter().filter(|f| f.column == column).flat_map(|f| f.figure.numbers()).collect();
            assert_eq!(typed, numbers_in(text), "{label} {column:?}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The flat list, its citations and the count
// ---------------------------------------------------------------------------------------------

#[test]
fn every_cell_is_listed_with_its_citation_and_counted() {
    let cells = hood::cells();
    let mut by_table: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for c in &cells {
        assert_eq!(c.citation.document, "Hood et al. 2020");
        assert_eq!(c.citation.seed, "004_0ca8065947ac1239.txt");
        assert!(!c.citation.row.is_empty() && !c.citation.column.is_empty(), "{:?}", c.citation);
        let entry = by_table.entry(c.citation.table).or_default();
        entry.0 += 1;
        entry.1 += c.value.numbers().len();
    }
    // Cells and printed numbers per table (an odds ratio cell is three numbers, a correlation
    // cell three: coefficient, p and N; N/A cells are cells without a number).
    let expected: BTreeMap<&str, (usize, usize)> = [
        ("Table 2", (30, 38)),
        ("Table 6", (88, 264)),
        ("Table 7", (48, 144)),
        ("Table 8", (282, 840)),
        ("Table 9", (108, 321)),
        ("Table 10", (96, 279)),
        ("Table 11", (56, 56)),
        ("Table 12", (32, 32)),
        ("Table 13", (42, 42)),
        ("Table 14", (40, 40)),
        ("Table 15", (21, 21)),
        ("Table 16", (56, 56)),
        ("Table 17", (4, 4)),
        ("Table 18", (48, 48)),
    ]
    .into_iter()
    .collect();
    assert_eq!(by_table, expected);
    let not_available = cells.iter().filter(|c| c.value == CellValue::NotAvailable).count();
    assert_eq!(not_available, 6);
    assert_eq!(cells.len(), 951);
    assert_eq!(cells.iter().map(|c| c.value.numbers().len()).sum::<usize>(), 2185);
    // The N/A cells, by citation.
    let na: Vec<String> = cells
        .iter()
        .filter(|c| c.value == CellValue::NotAvailable)
        .map(|c| format!("{} {} {}", c.citation.table, c.citation.row, c.citation.column))
        .collect();
    assert_eq!(
        na,
        [
            "Table 8 UNDER 5s / Thresholds / Interim Care Order (ICO) LA5",
            "Table 8 TWELVE PLUS / Thresholds / Interim Care Order (ICO) LA5",
            "Table 9 WHITE BRITISH CHILDREN / Thresholds / Detained on CP Grounds LA5",
            "Table 10 LEAST DEPRIVED / Factors at Assessment / Parent's drug misuse LA5",
            "Table 10 LEAST DEPRIVED / Factors at Assessment / Parent's learning disability LA5",
            "Table 10 LEAST DEPRIVED / Factors at Assessment / Neglect LA5",
        ]
    );
}

/// lower_snake_case of a printed label: apostrophes dropped, other non-alphanumeric runs as `_`.
fn snake(label: &str) -> String {
    let mut out = String::new();
    for c in label.chars().filter(|&c| c != '\'') {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

#[test]
fn row_keys_are_the_labels_in_snake_case_and_unique() {
    for t in ODDS_TABLES {
        for half in t.halves {
            let keys: Vec<&str> = half.rows().map(|(_, r)| r.key).collect();
            for (_, r) in half.rows() {
                assert_eq!(r.key, snake(r.label), "{} {}", t.table, r.label);
            }
            let mut unique = keys.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), keys.len(), "{} {}", t.table, half.heading);
        }
    }
    for r in TABLE6_CORRELATIONS.rows {
        assert_eq!(r.key, snake(r.label));
    }
    for t in SHARE_TABLES {
        for r in t.rows {
            let label = r.label.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ');
            assert_eq!(r.key, snake(label), "{} {}", t.table, r.label);
            if let Some(class) = r.class {
                assert!(label == class.name() || label == class.short_name(), "{} {}", t.table, r.label);
            }
        }
    }
}

/// Figures the report's text and the executive summary quote from the tables.
#[test]
fn figures_quoted_in_the_text_agree_with_the_tables() {
    use hood::classes::*;
    use hood::DemandClass::*;
    let value = |t: &ShareTable, class: Option<hood::DemandClass>, column: &str| {
        let row = t.rows.iter().find(|r| r.class == class).unwrap();
        row.values[t.columns.iter().position(|c| *c == column).unwrap()]
    };
    // Executive summary: the Neglect class had "15% of episodes requiring a child protection
    // intervention and 6% requiring some form of accommodation in care"; Complex Needs II
    // "accounted for only 3% of total episodes but 37% of those received a child protection
    // intervention and 15% accommodation in care"; "around 80% of children in the more
    // prevalent 'Complex needs I' category did not meet the threshold for child protection".
    let t14 = &TABLE14_CLASSES_BY_THRESHOLD;
    assert_eq!((value(t14, Some(Neglect), "CP Plan"), value(t14, Some(Neglect), "LAC")), (15.0, 6.0));
    assert_eq!(value(&TABLE11_CLASS_SHARES, Some(ComplexNeedsII), "Total"), 3.0);
    assert_eq!(
        (value(t14, Some(ComplexNeedsII), "CP Plan"), value(t14, Some(ComplexNeedsII), "LAC")),
        (37.0, 15.0)
    );
    assert_eq!(
        value(t14, Some(ComplexNeedsI), "Assessed Not CIN") + value(t14, Some(ComplexNeedsI), "CIN (no CP)"),
        79.0
    );
    // "In nearly a quarter of child protection plans for neglect, the original social work
    // assessment had not identified neglect": Table 17, 76% matched.
    assert_eq!(TABLE17_CATEGORY_MATCH.rows[1].values, [76.0]);
    // Report, section 3.4.3: "27% of CP plans within the domestic violence class were for neglect".
    assert_eq!(value(&TABLE18_CLASSES_BY_CP_CATEGORY, Some(DomesticViolence), "Neglect"), 27.1);
    // Section 3.4.1: Class 6 "constituted 8% of all episodes" in LA3.
    assert_eq!(value(&TABLE11_CLASS_SHARES, Some(ComplexNeedsII), "LA3"), 8.0);
}
