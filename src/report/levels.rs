//! The levels of a fitted model's grouping factors as a person knows them: the name the file
//! gives each level (an LA's name beside its code) and each level's own values of the model's
//! group-level columns (an LA's deprivation or Gini), so that a prediction for one LA can be
//! made at that LA's values rather than the average LA's.
//!
//! A text column names the levels of a factor when, on the rows the model used, it has one
//! value in every level and a different value in each (`la_name` beside `la`); a column whose
//! name says "name" is preferred. A main-effect column of the model is a group-level column when
//! it takes a single value within every level (a centred LA deprivation such as
//! `I((la_dep - 16.5)/10)`) and more than one value across levels.

use crate::data::{Column, DataFrame};
use crate::design::{Design, RandomTerm};
use serde::Serialize;

/// The levels of one grouping factor, with their names and their own values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupLevels {
    /// The grouping factor as R prints it (`la`).
    pub group: String,
    /// Its levels as the file writes them, in the fit's order.
    pub levels: Vec<String>,
    /// The file's column naming the levels, when it has one.
    pub name_column: Option<String>,
    /// Each level's name from `name_column`, in the order of `levels` (empty without one).
    pub names: Vec<String>,
    /// The model's main-effect columns that are one value within every level.
    pub own_columns: Vec<String>,
    /// Each level's values of `own_columns`, in the order of `levels`.
    pub own_values: Vec<Vec<f64>>,
    /// The data's own number columns (of those asked about) that are one value within every
    /// level (an LA's deprivation `la_dep`), on the data's scale.
    pub own_data_columns: Vec<String>,
    /// Each level's values of `own_data_columns`, in the order of `levels`.
    pub own_data_values: Vec<Vec<f64>>,
}

/// The levels of the design's grouping factor `term` (with `levels` in the fit's order), named
/// from `df` (the data the model was fitted on) and with their values of the main-effect
/// columns `main` (model-matrix column names of `design`) and of the data columns `data`.
pub fn group_levels(
    term: &RandomTerm,
    levels: &[String],
    design: &Design,
    main: &[&String],
    data: &[String],
    df: &DataFrame,
) -> GroupLevels {
    // The fit's order of the levels, from the design's.
    let order: Vec<Option<usize>> = levels.iter().map(|l| term.levels.iter().position(|d| d == l)).collect();
    let (name_column, names) = match level_names(term, design, df) {
        Some((column, names)) => {
            (Some(column), order.iter().map(|i| i.map_or_else(String::new, |i| names[i].clone())).collect())
        }
        None => (None, Vec::new()),
    };
    let mut own_columns = Vec::new();
    let mut by_column = Vec::new();
    for name in main {
        let Some(j) = design.x_names.iter().position(|n| n == *name) else { continue };
        let column: Vec<f64> = design.x.column(j).iter().copied().collect();
        if let Some(values) = values_per_level(&term.index, term.levels.len(), &column) {
            own_columns.push((*name).clone());
            by_column.push(values);
        }
    }
    let own_values = order
        .iter()
        .map(|i| i.map_or_else(Vec::new, |i| by_column.iter().map(|values| values[i]).collect()))
        .collect();
    let mut own_data_columns = Vec::new();
    let mut by_data_column = Vec::new();
    for name in data {
        if let Some(values) = level_data_values(term, design, df, name) {
            own_data_columns.push(name.clone());
            by_data_column.push(values);
        }
    }
    let own_data_values = order
        .iter()
        .map(|i| i.map_or_else(Vec::new, |i| by_data_column.iter().map(|values| values[i]).collect()))
        .collect();
    GroupLevels {
        own_data_columns,
        own_data_values,
        group: term.group.clone(),
        levels: levels.to_vec(),
        name_column,
        names,
        own_columns,
        own_values,
    }
}

/// The one value of the data's number column `column` in each level of `term` (in the design's
/// order of the levels) over the design's rows, when it has one in every level and more than
/// one across them.
pub fn level_data_values(
    term: &RandomTerm,
    design: &Design,
    df: &DataFrame,
    column: &str,
) -> Option<Vec<f64>> {
    let Some(Column::Numeric(values)) = df.column(column) else { return None };
    let rows: Vec<f64> =
        design.rows.iter().map(|&r| values.get(r - 1).copied().unwrap_or(f64::NAN)).collect();
    if rows.iter().any(|v| !v.is_finite()) {
        return None;
    }
    values_per_level(&term.index, term.levels.len(), &rows)
}

/// The one value of `column` in each of `count` levels (`index[i]` is row `i`'s level), when it
/// has one in every level and more than one across them.
fn values_per_level(index: &[usize], count: usize, column: &[f64]) -> Option<Vec<f64>> {
    let mut values: Vec<Option<f64>> = vec![None; count];
    for (&level, &x) in index.iter().zip(column) {
        match values[level] {
            None => values[level] = Some(x),
            Some(v) if (v - x).abs() <= 1e-12 * v.abs().max(1.0) => {}
            Some(_) => return None,
        }
    }
    let values: Vec<f64> = values.into_iter().collect::<Option<_>>()?;
    let first = *values.first()?;
    values.iter().any(|v| (v - first).abs() > 1e-12 * first.abs().max(1.0)).then_some(values)
}

/// The text column of `df` that names the levels of `term` on the design's rows, with each
/// level's name in the design's order of the levels.
fn level_names(term: &RandomTerm, design: &Design, df: &DataFrame) -> Option<(String, Vec<String>)> {
    let mut found: Vec<(String, Vec<String>)> = Vec::new();
    for (name, column) in df.columns() {
        let Column::Text(text) = column else { continue };
        if name == term.group {
            continue;
        }
        let mut codes: Vec<Option<u32>> = vec![None; term.levels.len()];
        let consistent = design.rows.iter().zip(&term.index).all(|(&row, &level)| {
            let code = text.get(row - 1).and(text.codes().get(row - 1).copied());
            match (code, codes[level]) {
                (None, _) => false,
                (Some(c), None) => {
                    codes[level] = Some(c);
                    true
                }
                (Some(c), Some(seen)) => c == seen,
            }
        });
        let Some(codes) = codes.into_iter().collect::<Option<Vec<u32>>>().filter(|_| consistent) else {
            continue;
        };
        let mut distinct = codes.clone();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() == codes.len() && codes.len() > 1 {
            found.push((name.to_owned(), codes.iter().map(|&c| text.labels()[c as usize].clone()).collect()));
        }
    }
    let named = found.iter().position(|(n, _)| n.to_lowercase().contains("name")).unwrap_or(0);
    (!found.is_empty()).then(|| found.swap_remove(named))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::read_csv;
    use crate::formula::{parse, validate_and_build};

    fn design(csv: &str, formula: &str) -> (DataFrame, Design) {
        let df = read_csv(csv.as_bytes()).unwrap();
        let (_, built) = validate_and_build(&df, &parse(formula).unwrap());
        (df, built.unwrap().0)
    }

    #[test]
    fn names_and_own_values_of_each_level() {
        let csv = "la,la_name,region,dep,la_dep,y\n\
                   A,Alpha,N,1,10,3\nA,Alpha,N,2,10,4\nB,Beta,N,3,20,5\nB,Beta,N,5,20,2\nC,Gamma,S,4,15,1\nC,Gamma,S,6,15,6\n";
        let (df, d) = design(csv, "y ~ dep + I((la_dep - 15)/5) + (1 | la)");
        let main: Vec<&String> = d.x_names.iter().skip(1).collect();
        let levels = vec!["C".to_owned(), "A".to_owned(), "B".to_owned()];
        let g = group_levels(&d.random[0], &levels, &d, &main, &["la_dep".to_owned(), "dep".to_owned()], &df);
        assert_eq!(g.name_column.as_deref(), Some("la_name"));
        assert_eq!(g.names, ["Gamma", "Alpha", "Beta"]);
        assert_eq!(g.own_columns, ["I((la_dep - 15)/5)"]);
        assert_eq!(g.own_values, [[0.0], [-1.0], [1.0]]);
        assert_eq!(g.own_data_columns, ["la_dep"]);
        assert_eq!(g.own_data_values, [[15.0], [10.0], [20.0]]);
    }

    #[test]
    fn no_names_when_no_column_names_every_level_apart() {
        let csv = "la,region,x,y\nA,N,1,3\nA,N,2,4\nB,N,3,5\nB,N,5,2\n";
        let (df, d) = design(csv, "y ~ x + (1 | la)");
        let main: Vec<&String> = d.x_names.iter().skip(1).collect();
        let g = group_levels(&d.random[0], &d.random[0].levels.clone(), &d, &main, &[], &df);
        assert_eq!(g.name_column, None);
        assert!(g.names.is_empty());
        assert!(g.own_columns.is_empty());
        assert_eq!(g.own_values, vec![Vec::<f64>::new(); 2]);
    }
}
