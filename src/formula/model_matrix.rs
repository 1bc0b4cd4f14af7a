//! R's `model.matrix` for treatment contrasts: which columns a term produces and how they are
//! named and ordered.
//!
//! A factor in a term is coded by *contrasts* (its levels after the first, the first being the
//! reference) when the term without that factor is the empty term or is contained in an earlier
//! term; otherwise by *indicators* (one column per level). Without an intercept, the first
//! factor of the first term containing a factor is coded by indicators. A term's columns are
//! the products of its variables' columns, the first variable (in order of appearance) varying
//! fastest, named by joining the parts with `:`. Factor columns are named by the variable and
//! the level (`regionNorth`). Each column is returned as a [`ModelColumn`]: its term and parts.

use super::eval::Levelled;
use super::syntax::{Expr, ExprKind};
use super::terms::{walk, Terms};
use crate::design::{ColumnPart, ModelColumn};
use nalgebra::DMatrix;

/// A variable's values over the rows kept.
pub(crate) enum Kept {
    Numeric(Vec<f64>),
    Factor(Levelled),
}

/// How a factor contributes to a term.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Coding {
    Contrasts,
    Indicators,
}

/// The coding of every (term, variable) pair: `codes[t][k]` for the `k`-th variable of term `t`.
pub(crate) fn codings(terms: &Terms, is_factor: &[bool]) -> Vec<Vec<Coding>> {
    let mut codes: Vec<Vec<Coding>> = terms
        .terms
        .iter()
        .enumerate()
        .map(|(t, term)| {
            term.iter()
                .map(|&v| {
                    let rest: Vec<usize> = term.iter().copied().filter(|&u| u != v).collect();
                    let covered = rest.is_empty()
                        || terms.terms.iter().take(t).any(|earlier| rest.iter().all(|u| earlier.contains(u)));
                    if covered {
                        Coding::Contrasts
                    } else {
                        Coding::Indicators
                    }
                })
                .collect()
        })
        .collect();
    if !terms.intercept {
        'search: for (t, term) in terms.terms.iter().enumerate() {
            for (k, &v) in term.iter().enumerate() {
                if is_factor.get(v).copied().unwrap_or(false) {
                    if let Some(c) = codes.get_mut(t).and_then(|c| c.get_mut(k)) {
                        *c = Coding::Indicators;
                    }
                    break 'search;
                }
            }
        }
    }
    codes
}

/// The number of columns [`model_matrix`] makes for these terms and variables.
pub(crate) fn column_count(terms: &Terms, vars: &[Kept]) -> usize {
    let is_factor: Vec<bool> = vars.iter().map(|v| matches!(v, Kept::Factor(_))).collect();
    let codes = codings(terms, &is_factor);
    let per_term = terms.terms.iter().zip(&codes).map(|(term, term_codes)| {
        term.iter().zip(term_codes).fold(1usize, |acc, (&v, &coding)| {
            let k = match vars.get(v) {
                Some(Kept::Factor(f)) if coding == Coding::Contrasts => f.levels.len().saturating_sub(1),
                Some(Kept::Factor(f)) => f.levels.len(),
                _ => 1,
            };
            acc.saturating_mul(k)
        })
    });
    per_term.fold(usize::from(terms.intercept), usize::saturating_add)
}

/// The data columns an expression reads, in order of first appearance.
fn columns_read(expr: &Expr) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    walk(expr, &mut |e| {
        if let ExprKind::Name { name, .. } = &e.kind {
            if !out.contains(name) {
                out.push(name.clone());
            }
        }
    });
    out
}

/// The grouping column of `within(x, g)`.
fn within_group(expr: &Expr) -> Option<String> {
    match &expr.kind {
        ExprKind::Call { name, args, .. } if name == "within" => match args.as_slice() {
            [_, Expr { kind: ExprKind::Name { name, .. }, .. }] => Some(name.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// The model matrix of `terms` for variables evaluated on `n` kept rows, with what each column
/// is ([`ModelColumn::name`] gives R's column name).
pub(crate) fn model_matrix(terms: &Terms, vars: &[Kept], n: usize) -> (Vec<ModelColumn>, DMatrix<f64>) {
    let is_factor: Vec<bool> = vars.iter().map(|v| matches!(v, Kept::Factor(_))).collect();
    let codes = codings(terms, &is_factor);
    let mut columns = Vec::new();
    let mut data: Vec<f64> = Vec::new();
    if terms.intercept {
        columns.push(ModelColumn::intercept());
        data.extend(std::iter::repeat(1.0).take(n));
    }
    for (t, (term, term_codes)) in terms.terms.iter().zip(&codes).enumerate() {
        // Partial products: (parts, values); `None` values stand for a column of ones.
        let mut partial: Vec<(Vec<ColumnPart>, Option<Vec<f64>>)> = vec![(Vec::new(), None)];
        for (&v, &coding) in term.iter().zip(term_codes) {
            let variable = terms.variables.get(v);
            let label = variable.map_or("", |x| x.label.as_str());
            let read = variable.map_or_else(Vec::new, |x| columns_read(&x.expr));
            let within = variable.and_then(|x| within_group(&x.expr));
            let part = |level: Option<String>| ColumnPart {
                variable: label.to_owned(),
                level,
                columns: read.clone(),
                within: within.clone(),
            };
            let var_cols: Vec<(ColumnPart, Vec<f64>)> = match vars.get(v) {
                Some(Kept::Numeric(x)) => vec![(part(None), x.clone())],
                Some(Kept::Factor(f)) => {
                    let skip = usize::from(coding == Coding::Contrasts);
                    f.levels
                        .iter()
                        .enumerate()
                        .skip(skip)
                        .map(|(l, level)| {
                            let col = f.index.iter().map(|&i| if i == l { 1.0 } else { 0.0 }).collect();
                            (part(Some(level.clone())), col)
                        })
                        .collect()
                }
                None => Vec::new(),
            };
            let mut next = Vec::with_capacity(partial.len() * var_cols.len());
            for (vpart, vcol) in &var_cols {
                for (parts, pcol) in &partial {
                    let mut parts = parts.clone();
                    parts.push(vpart.clone());
                    let values = match pcol {
                        None => vcol.clone(),
                        Some(p) => p.iter().zip(vcol).map(|(a, b)| a * b).collect(),
                    };
                    next.push((parts, Some(values)));
                }
            }
            partial = next;
        }
        for (parts, values) in partial {
            columns.push(ModelColumn { term: Some(t), parts });
            match values {
                Some(v) => data.extend(v),
                None => data.extend(std::iter::repeat(1.0).take(n)),
            }
        }
    }
    let p = columns.len();
    (columns, DMatrix::from_vec(n, p, data))
}
