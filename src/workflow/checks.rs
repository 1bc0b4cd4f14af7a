//! Warnings about a file that was read but is unlikely to be what the user meant: columns run
//! together by an unusual separator, a first row of data where the column names should be, no
//! column of counts, numbers written with thousands separators (`1,234`), which are read as
//! text.

use crate::data::{Column, DataFrame};

/// Separators the reader does not use, which a one-column file may hold.
const OTHER_SEPARATORS: [(char, &str); 3] = [('|', "'|'"), (':', "':'"), (' ', "spaces")];

fn looks_numeric(name: &str) -> bool {
    let t = name.trim();
    !t.is_empty() && t.parse::<f64>().is_ok()
}

/// True for a number written with commas between groups of three digits: `1,234`, `-12,345.5`.
fn has_thousands_separator(text: &str) -> bool {
    let t = text.trim();
    let t = t.strip_prefix(['-', '+']).unwrap_or(t);
    let whole =
        t.split_once('.').map_or(
            t,
            |(w, fraction)| {
                if fraction.chars().all(|c| c.is_ascii_digit()) {
                    w
                } else {
                    ""
                }
            },
        );
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or("");
    let rest: Vec<&str> = groups.collect();
    !rest.is_empty()
        && (1..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_digit())
        && rest.iter().all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()))
}

/// For every text column whose cells are all numbers, some written with thousands separators:
/// a warning naming the column, the first such row and how many there are.
fn thousands_separator_warnings(df: &DataFrame) -> Vec<String> {
    let mut out = Vec::new();
    for (name, column) in df.columns() {
        let Column::Text(t) = column else { continue };
        let mut first = None;
        let mut count = 0;
        let mut all_numbers = true;
        for i in 0..t.len() {
            let Some(cell) = t.get(i) else { continue };
            if has_thousands_separator(cell) {
                count += 1;
                first.get_or_insert((i + 1, cell));
            } else if cell.trim().parse::<f64>().map_or(true, |v| !v.is_finite()) {
                all_numbers = false;
                break;
            }
        }
        if let (true, Some((row, cell))) = (all_numbers, first) {
            out.push(format!(
                "Column '{name}' holds numbers written with a thousands separator, such as '{cell}' in row {row} \
                 ({count} row{} in all). The comma is read as text, so '{name}' cannot be used as a number: save \
                 the file with plain numbers (1234, not 1,234).",
                if count == 1 { "" } else { "s" }
            ));
        }
    }
    out
}

/// Plain-English warnings about `df` (empty when the file looks fine).
pub fn file_warnings(df: &DataFrame) -> Vec<String> {
    let mut out = Vec::new();
    let names = df.names();
    if let [only] = names {
        match OTHER_SEPARATORS.iter().find(|(c, _)| only.contains(*c)) {
            Some((_, what)) => out.push(format!(
                "Only one column was found, called '{only}': the file seems to separate its columns with {what}. \
                 Save it with commas, semicolons or tabs between the columns."
            )),
            None => out.push(
                "Only one column was found: a model needs at least a count, a child population and a deprivation \
                 column, separated by commas, semicolons or tabs."
                    .to_owned(),
            ),
        }
    }
    let numeric_names: Vec<&String> = names.iter().filter(|n| looks_numeric(n)).collect();
    if !numeric_names.is_empty() && numeric_names.len() * 2 >= names.len() {
        out.push(format!(
            "The first row looks like data rather than column names (such as '{}'): the first row is read as the \
             names of the columns. Add a header row with a name for each column.",
            numeric_names[0]
        ));
    }
    let any_counts = df.columns().any(|(_, c)| match c {
        Column::Numeric(v) => {
            v.iter().any(|x| !x.is_nan()) && v.iter().all(|x| x.is_nan() || (*x >= 0.0 && x.fract() == 0.0))
        }
        Column::Text(_) => false,
    });
    out.extend(thousands_separator_warnings(df));
    if !any_counts && names.len() > 1 {
        out.push(
            "No column holds counts (whole numbers of 0 or more), so there is nothing to model yet."
                .to_owned(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::read_csv;

    fn warnings(csv: &str) -> Vec<String> {
        file_warnings(&read_csv(csv.as_bytes()).unwrap())
    }

    #[test]
    fn a_pipe_separated_file_is_named() {
        let w = warnings("la|pop|dep|k\nA|100|10|3\nB|90|20|4\n");
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("separate its columns with '|'"), "{w:?}");
    }

    #[test]
    fn a_file_without_a_header_row() {
        let w = warnings("E1,300,12.5,4\nE1,280,14.5,6\nE2,310,30.1,9\n");
        assert!(
            w.iter().any(|m| m.starts_with("The first row looks like data") && m.contains("'300'")),
            "{w:?}"
        );
    }

    #[test]
    fn thousands_separators_are_explained_for_every_column() {
        let w =
            warnings("la,k,pop,dep\nA,3,\"1,234\",10.5\nB,\"12,001\",\"2,000,500.5\",20.5\nC,4,950,1.5\n");
        assert_eq!(
            w[0],
            "Column 'k' holds numbers written with a thousands separator, such as '12,001' in row 2 (1 row in \
             all). The comma is read as text, so 'k' cannot be used as a number: save the file with plain numbers \
             (1234, not 1,234)."
        );
        assert!(w[1].starts_with("Column 'pop' holds numbers written with a thousands separator, such as '1,234' in row 1 (2 rows in all)."), "{w:?}");
        assert_eq!(w.len(), 3, "{w:?}");
        assert!(w[2].starts_with("No column holds counts"), "{w:?}");
        // Text that is not a number, or commas not between thousands, are not explained so.
        assert!(warnings("la,k,code\nA,3,\"1,23\"\nB,4,\"x,100\"\n").is_empty());
        assert!(warnings("la,k,code\nA,3,\"1,234\"\nB,4,E09\n").is_empty());
    }

    #[test]
    fn separators_are_recognised_exactly() {
        for yes in ["1,234", "-12,345.25", "999,999,999", "+1,000"] {
            assert!(has_thousands_separator(yes), "{yes}");
        }
        for no in ["1234", "1,23", "1234,567", ",123", "1,234.x", "12.345", "a,123", "1,,234"] {
            assert!(!has_thousands_separator(no), "{no}");
        }
    }

    #[test]
    fn a_good_file_has_no_warnings_and_counts_are_looked_for() {
        assert!(warnings("la,pop,dep,k\nA,100,10.5,3\nB,90,20.5,4\n").is_empty());
        let w = warnings("la,dep\nA,10.5\nB,20.5\n");
        assert_eq!(
            w,
            ["No column holds counts (whole numbers of 0 or more), so there is nothing to model yet."]
        );
    }
}
