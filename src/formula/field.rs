//! The locations of a spatial field term `exp(pos(x, y) + 0 | g)`: its coordinate columns read
//! on the kept rows, and one level of the term per distinct location of each level of `g`.

use std::collections::HashMap;

use super::deparse::r_number;
use super::error::{FormulaError, Problem};
use super::eval::Levelled;
use super::terms::{FieldCoordinates, RandomSpec};
use crate::data::cells::{first_text, shorten};
use crate::data::{Column, DataFrame};
use crate::design::FieldLocations;

/// The coordinates `(x, y)` of the kept rows. A coordinate column that holds text is an error
/// naming it; a coordinate that is not a finite number is a problem of its row.
pub(crate) fn coordinates(
    df: &DataFrame,
    src: &str,
    spec: &RandomSpec,
    columns: &FieldCoordinates,
    kept: &[usize],
    problems: &mut dyn FnMut(Problem),
) -> Result<(Vec<f64>, Vec<f64>), FormulaError> {
    let read = |name: &str| -> Result<Vec<f64>, FormulaError> {
        match df.column(name) {
            Some(Column::Numeric(v)) => Ok(kept.iter().map(|&i| v.get(i).copied().unwrap_or(f64::NAN)).collect()),
            Some(Column::Text(t)) => {
                let example = first_text(t)
                    .map_or(String::new(), |(row, l)| format!(" (such as '{}' in row {row})", shorten(l)));
                Err(FormulaError::new(
                    format!(
                        "the coordinate column '{name}' of the spatial field holds text{example}; pos(x, y) needs \
                         two columns of numbers, such as easting and northing in metres"
                    ),
                    spec.span,
                    src,
                ))
            }
            None => Err(FormulaError::new(format!("unknown column '{name}'"), spec.span, src)),
        }
    };
    let (x, y) = (read(&columns.x)?, read(&columns.y)?);
    for (k, &i) in kept.iter().enumerate() {
        for (name, v) in [(&columns.x, x[k]), (&columns.y, y[k])] {
            if !v.is_finite() {
                problems(Problem {
                    row: Some(i + 1),
                    column: Some(name.clone()),
                    span: Some(spec.span),
                    message: format!(
                        "row {}: the coordinate '{name}' is {}; a spatial field needs finite coordinates",
                        i + 1,
                        r_number(v)
                    ),
                });
            }
        }
    }
    Ok((x, y))
}

/// The levels of a field term: one per distinct `(level of g, x, y)`, in order of first
/// appearance in the rows; returns each row's level, the levels' labels (`(x,y)` as glmmTMB's
/// `numFactor` writes them, prefixed with the level of `g` where there are several) and the
/// locations.
pub(crate) fn locations(
    columns: &FieldCoordinates,
    group: Levelled,
    x: &[f64],
    y: &[f64],
) -> (Vec<usize>, Vec<String>, FieldLocations) {
    let mut seen: HashMap<(usize, u64, u64), usize> = HashMap::new();
    let mut field = FieldLocations {
        x_column: columns.x.clone(),
        y_column: columns.y.clone(),
        x: Vec::new(),
        y: Vec::new(),
        group: Vec::new(),
        groups: group.levels,
    };
    // -0.0 and 0.0 are one place.
    let key = |v: f64| if v == 0.0 { 0 } else { v.to_bits() };
    let index = (0..x.len())
        .map(|i| {
            *seen.entry((group.index[i], key(x[i]), key(y[i]))).or_insert_with(|| {
                field.x.push(x[i]);
                field.y.push(y[i]);
                field.group.push(group.index[i]);
                field.x.len() - 1
            })
        })
        .collect();
    let several = field.groups.len() > 1;
    let labels = (0..field.len())
        .map(|l| {
            let place = format!("({},{})", r_number(field.x[l]), r_number(field.y[l]));
            if several {
                format!("{}:{place}", field.groups[field.group[l]])
            } else {
                place
            }
        })
        .collect();
    (index, labels, field)
}
