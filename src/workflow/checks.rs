//! Warnings about a file that was read but is unlikely to be what the user meant: columns run
//! together by an unusual separator, a first row of data where the column names should be, no
//! column of counts. (Cells that are not numbers, such as `1,234`, are explained by the reader:
//! [`crate::data::BadColumn`].)

use crate::data::{Column, DataFrame};

/// Separators the reader does not use, which a one-column file may hold.
const OTHER_SEPARATORS: [(char, &str); 3] = [('|', "'|'"), (':', "':'"), (' ', "spaces")];

fn looks_numeric(name: &str) -> bool {
    let t = name.trim();
    !t.is_empty() && t.parse::<f64>().is_ok()
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
    fn a_good_file_has_no_warnings_and_counts_are_looked_for() {
        assert!(warnings("la,pop,dep,k\nA,100,10.5,3\nB,90,20.5,4\n").is_empty());
        let w = warnings("la,dep\nA,10.5\nB,20.5\n");
        assert_eq!(
            w,
            ["No column holds counts (whole numbers of 0 or more), so there is nothing to model yet."]
        );
    }
}
