//! Columns and statistics derived from a data frame for the model: LA-level deprivation as the
//! population-weighted mean of neighbourhood deprivation, and the centres and scales that the
//! guided formula writes as constants.

use super::WorkflowError;
use crate::data::{Column, DataFrame};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The group of each row (`None` where the group cell is missing) and the number of groups.
/// Text columns group by label, numeric columns by value.
pub(crate) fn group_codes(column: &Column) -> (Vec<Option<usize>>, usize) {
    match column {
        Column::Text(t) => {
            let groups = t.labels().len();
            // A missing cell's code (`TextColumn::MISSING`) is past the last label.
            let codes = t.codes().iter().map(|&c| ((c as usize) < groups).then_some(c as usize)).collect();
            (codes, groups)
        }
        Column::Numeric(v) => {
            let mut lookup: HashMap<u64, usize> = HashMap::new();
            let codes = v
                .iter()
                .map(|&x| {
                    if x.is_nan() {
                        return None;
                    }
                    let key = if x == 0.0 { 0 } else { x.to_bits() };
                    let next = lookup.len();
                    Some(*lookup.entry(key).or_insert(next))
                })
                .collect();
            (codes, lookup.len())
        }
    }
}

fn numeric<'a>(df: &'a DataFrame, name: &str, role: &str) -> Result<&'a [f64], WorkflowError> {
    match df.column(name) {
        Some(Column::Numeric(v)) => Ok(v),
        Some(Column::Text(_)) => Err(WorkflowError::column(
            name,
            format!("the {role} column '{name}' holds text; it must hold numbers"),
        )),
        None => Err(WorkflowError::column(name, format!("there is no column called '{name}'"))),
    }
}

fn grouping<'a>(df: &'a DataFrame, name: &str) -> Result<&'a Column, WorkflowError> {
    df.column(name).ok_or_else(|| WorkflowError::column(name, format!("there is no column called '{name}'")))
}

/// How to derive an LA-level column: the `weight`-weighted mean of `value` over the rows of
/// each `group`, named `name`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeriveRequest {
    pub value: String,
    pub weight: String,
    pub group: String,
    pub name: String,
}

impl DeriveRequest {
    /// The usual request: LA-level deprivation `la_<value>` weighted by child population.
    pub fn la_deprivation(value: &str, weight: &str, group: &str) -> DeriveRequest {
        DeriveRequest {
            value: value.to_owned(),
            weight: weight.to_owned(),
            group: group.to_owned(),
            name: format!("la_{value}"),
        }
    }
}

/// What a derivation did, for the page to say.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Derived {
    pub name: String,
    pub groups: usize,
    /// Groups whose mean could not be computed (no row with both a value and a positive
    /// weight); their rows get a missing value.
    pub groups_without_value: usize,
    /// The formula of the column in words.
    pub description: String,
}

/// The weighted mean of `value` in each row's group:
///
/// `m_g = sum_{i in g} w_i x_i / sum_{i in g} w_i`, over the rows of group `g` where both `x_i`
/// and `w_i` are present; rows whose group is missing, or whose group has no such row (or a
/// total weight of 0), get `NaN`. Weights must be 0 or more.
pub fn weighted_group_mean(
    df: &DataFrame,
    value: &str,
    weight: &str,
    group: &str,
) -> Result<Vec<f64>, WorkflowError> {
    let x = numeric(df, value, "deprivation")?;
    let w = numeric(df, weight, "population")?;
    if let Some(i) = w.iter().position(|&v| v < 0.0) {
        return Err(WorkflowError {
            message: format!(
                "row {}: the population '{weight}' is negative ({}); weights must be 0 or more",
                i + 1,
                w[i]
            ),
            column: Some(weight.to_owned()),
            row: Some(i + 1),
        });
    }
    let (codes, groups) = group_codes(grouping(df, group)?);
    let mut num = vec![0.0; groups];
    let mut den = vec![0.0; groups];
    for ((code, &xi), &wi) in codes.iter().zip(x).zip(w) {
        if let (Some(g), false, false) = (code, xi.is_nan(), wi.is_nan()) {
            num[*g] += wi * xi;
            den[*g] += wi;
        }
    }
    Ok(codes
        .iter()
        .map(|code| match code {
            Some(g) if den[*g] > 0.0 => num[*g] / den[*g],
            _ => f64::NAN,
        })
        .collect())
}

/// A copy of `df` with the derived column of `request` appended (replacing a column of the
/// same name made by an earlier derivation is the caller's choice: a name already in the file
/// is an error).
pub fn add_weighted_group_mean(
    df: &DataFrame,
    request: &DeriveRequest,
) -> Result<(DataFrame, Derived), WorkflowError> {
    if request.name.trim().is_empty() {
        return Err(WorkflowError::new("the derived column needs a name"));
    }
    if df.column(&request.name).is_some() {
        return Err(WorkflowError::column(
            &request.name,
            format!("the file already has a column called '{}'; choose another name", request.name),
        ));
    }
    let values = weighted_group_mean(df, &request.value, &request.weight, &request.group)?;
    let (codes, groups) = group_codes(grouping(df, &request.group)?);
    let mut has_value = vec![false; groups];
    for (code, v) in codes.iter().zip(&values) {
        if let (Some(g), false) = (code, v.is_nan()) {
            has_value[*g] = true;
        }
    }
    let columns = df
        .columns()
        .map(|(n, c)| (n.to_owned(), c.clone()))
        .chain(std::iter::once((request.name.clone(), Column::Numeric(values))));
    let frame = DataFrame::from_columns(columns).map_err(|e| WorkflowError::new(e.to_string()))?;
    let derived = Derived {
        name: request.name.clone(),
        groups,
        groups_without_value: has_value.iter().filter(|h| !**h).count(),
        description: format!(
            "the mean of {} in each {}, weighted by {}",
            request.value, request.group, request.weight
        ),
    };
    Ok((frame, derived))
}

/// Centre and scale of a column, as the guided formula uses them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Moments {
    pub mean: f64,
    /// Sample standard deviation (divisor `n - 1`).
    pub sd: f64,
    /// Number of values (rows, or groups for [`across_groups`]).
    pub n: usize,
}

fn moments(values: impl Iterator<Item = f64>) -> Moments {
    // Welford's algorithm: stable for large files.
    let (mut n, mut mean, mut m2) = (0usize, 0.0, 0.0);
    for x in values {
        n += 1;
        let d = x - mean;
        mean += d / n as f64;
        m2 += d * (x - mean);
    }
    let sd = if n > 1 { (m2 / (n - 1) as f64).sqrt() } else { 0.0 };
    Moments { mean: if n > 0 { mean } else { f64::NAN }, sd, n }
}

/// Mean and SD of a column over the rows where it is present.
pub fn over_rows(df: &DataFrame, column: &str) -> Result<Moments, WorkflowError> {
    let x = numeric(df, column, "numeric")?;
    Ok(moments(x.iter().copied().filter(|v| !v.is_nan())))
}

/// Per-group sum and count of the present values of `x` (rows with no group or a missing value
/// are left out), for `groups` groups indexed by `codes`.
fn group_sums(codes: &[Option<usize>], groups: usize, x: &[f64]) -> (Vec<f64>, Vec<usize>) {
    let mut sum = vec![0.0; groups];
    let mut count = vec![0usize; groups];
    for (code, &v) in codes.iter().zip(x) {
        if let (Some(g), false) = (code, v.is_nan()) {
            sum[*g] += v;
            count[*g] += 1;
        }
    }
    (sum, count)
}

/// Mean and SD across groups of the per-group means of `column`: each LA counts once, as in
/// Webb et al. 2020, Table 1 (LA IMD score: mean 22.0, SD 8.14 over the study's LAs).
pub fn across_groups(df: &DataFrame, column: &str, group: &str) -> Result<Moments, WorkflowError> {
    let x = numeric(df, column, "numeric")?;
    let (codes, groups) = group_codes(grouping(df, group)?);
    let (sum, count) = group_sums(&codes, groups, x);
    Ok(moments(sum.iter().zip(&count).filter(|(_, &c)| c > 0).map(|(s, &c)| s / c as f64)))
}

/// Pooled within-group standard deviation of `column`:
/// `sqrt( sum_i (x_i - mean_{g(i)})^2 / (n - G) )` over the `n` rows where both the value and
/// the group are present, `G` being the number of groups with such rows. It is the spread of
/// neighbourhoods around their own LA's mean, the unit of a within-LA "1 SD" gradient.
pub fn pooled_within_sd(df: &DataFrame, column: &str, group: &str) -> Result<f64, WorkflowError> {
    let x = numeric(df, column, "numeric")?;
    let (codes, groups) = group_codes(grouping(df, group)?);
    let (sum, count) = group_sums(&codes, groups, x);
    let mut ss = 0.0;
    for (code, &v) in codes.iter().zip(x) {
        if let (Some(g), false) = (code, v.is_nan()) {
            let d = v - sum[*g] / count[*g] as f64;
            ss += d * d;
        }
    }
    let n: usize = count.iter().sum();
    let used = count.iter().filter(|&&c| c > 0).count();
    if n <= used {
        return Err(WorkflowError::column(
            column,
            format!("'{column}' cannot be compared within {group}: each {group} has a single row"),
        ));
    }
    Ok((ss / (n - used) as f64).sqrt())
}

/// True when `column` has one value in every group (an LA-level column), allowing for
/// rounding of 1e-9 of its range.
pub fn constant_within_groups(df: &DataFrame, column: &str, group: &str) -> Result<bool, WorkflowError> {
    let x = numeric(df, column, "numeric")?;
    let (codes, groups) = group_codes(grouping(df, group)?);
    let mut lo = vec![f64::INFINITY; groups];
    let mut hi = vec![f64::NEG_INFINITY; groups];
    let (mut all_lo, mut all_hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for (code, &v) in codes.iter().zip(x) {
        if let (Some(g), false) = (code, v.is_nan()) {
            lo[*g] = lo[*g].min(v);
            hi[*g] = hi[*g].max(v);
            all_lo = all_lo.min(v);
            all_hi = all_hi.max(v);
        }
    }
    let tolerance = 1e-9 * (all_hi - all_lo).abs().max(1.0);
    Ok(lo.iter().zip(&hi).all(|(l, h)| !l.is_finite() || h - l <= tolerance))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::TextColumn;

    fn frame() -> DataFrame {
        DataFrame::from_columns(vec![
            (
                "la",
                Column::Text(TextColumn::from_values([
                    Some("A"),
                    Some("A"),
                    Some("B"),
                    Some("B"),
                    Some("B"),
                    None,
                ])),
            ),
            ("dep", Column::Numeric(vec![10.0, 20.0, 30.0, 40.0, f64::NAN, 5.0])),
            ("pop", Column::Numeric(vec![100.0, 300.0, 200.0, 200.0, 50.0, 10.0])),
        ])
        .unwrap()
    }

    #[test]
    fn weighted_means_by_hand() {
        let m = weighted_group_mean(&frame(), "dep", "pop", "la").unwrap();
        // A: (100*10 + 300*20) / 400 = 17.5; B: (200*30 + 200*40) / 400 = 35 (the missing
        // value's row is left out of both sums); a missing group gives a missing mean.
        assert_eq!(m[0], 17.5);
        assert_eq!(m[1], 17.5);
        assert_eq!(m[2], 35.0);
        assert_eq!(m[4], 35.0);
        assert!(m[5].is_nan());
    }

    #[test]
    fn derived_column_is_appended_and_named() {
        let (df, d) =
            add_weighted_group_mean(&frame(), &DeriveRequest::la_deprivation("dep", "pop", "la")).unwrap();
        assert_eq!(d.name, "la_dep");
        assert_eq!(d.groups, 2);
        assert_eq!(d.groups_without_value, 0);
        assert_eq!(df.names().last().map(String::as_str), Some("la_dep"));
        let again =
            add_weighted_group_mean(&df, &DeriveRequest::la_deprivation("dep", "pop", "la")).unwrap_err();
        assert!(again.message.contains("already has a column called 'la_dep'"), "{again}");
    }

    #[test]
    fn negative_weight_names_the_row() {
        let df = DataFrame::from_columns(vec![
            ("g", Column::Numeric(vec![1.0, 1.0])),
            ("x", Column::Numeric(vec![1.0, 2.0])),
            ("w", Column::Numeric(vec![1.0, -3.0])),
        ])
        .unwrap();
        let e = weighted_group_mean(&df, "x", "w", "g").unwrap_err();
        assert_eq!(e.row, Some(2));
        assert!(e.message.starts_with("row 2:"), "{e}");
        let text = weighted_group_mean(&frame(), "la", "pop", "la").unwrap_err();
        assert!(text.message.contains("holds text"), "{text}");
    }

    #[test]
    fn statistics_by_hand() {
        let df = frame();
        // Rows with a value: 10, 20, 30, 40, 5: mean 21, squared deviations sum to 820.
        let m = over_rows(&df, "dep").unwrap();
        assert!((m.mean - 21.0).abs() < 1e-12);
        assert!((m.sd - (820.0f64 / 4.0).sqrt()).abs() < 1e-12);
        // LA means 15 and 35: mean 25, sd sqrt(200).
        let a = across_groups(&df, "dep", "la").unwrap();
        assert_eq!(a.n, 2);
        assert!((a.mean - 25.0).abs() < 1e-12);
        assert!((a.sd - 200.0f64.sqrt()).abs() < 1e-12);
        // Deviations -5, 5, -5, 5 over 4 rows in 2 groups: sqrt(100 / 2).
        assert!((pooled_within_sd(&df, "dep", "la").unwrap() - 50.0f64.sqrt()).abs() < 1e-12);
        assert!(!constant_within_groups(&df, "dep", "la").unwrap());
        let (with_la, _) =
            add_weighted_group_mean(&df, &DeriveRequest::la_deprivation("dep", "pop", "la")).unwrap();
        assert!(constant_within_groups(&with_la, "la_dep", "la").unwrap());
    }
}
