//! Evaluating a fitted formula at a new row of data given on the data's own scale, as R's
//! `predict(newdata = ...)` does with the model frame's `predvars`.
//!
//! A new row ([`NewRow`]) holds values of the data's columns (`income_dep = 25`, `la = "E06"`).
//! Every term is transformed as the fit transformed it, with the values the fit computed on its
//! data ([`DesignInfo`]):
//! - arithmetic and `log`, `log2`, `log10`, `log1p`, `exp`, `sqrt`, `I(...)`: on the row's values;
//! - `scale(x) = (x - centre) / scale` with the fitted data's centre and standard deviation (R's
//!   `scale(x, center = , scale = )` in `predvars`);
//! - `between(x, g)` = the mean of `x` in the row's group `g` over the fitted data, and
//!   `within(x, g) = x - between(x, g)`. With no group in the row, the group mean is the mean of
//!   the groups' means (an average group, each group counting once), and [`RowDesign::notes`]
//!   says so. (R's `predict` would recompute `ave()` on the new data, giving `within = 0` for a
//!   single row; the fitted data's means are what the model's coefficients are about.)
//! - factors (text columns, `factor(x)`): the row's value must be one of the fitted levels; the
//!   columns are the fit's treatment contrasts (indicators of the levels after the first).
//!
//! The model-matrix row is then built by the same code as the fit's ([`super::model_matrix`]),
//! so interactions, contrasts and column names are the fit's. Offsets are evaluated when the row
//! gives every column they read.

use super::build::DesignInfo;
use super::deparse::{deparse, r_number};
use super::eval::{elementwise, Levelled};
use super::model_matrix::{model_matrix, Kept};
use super::syntax::{Expr, ExprKind, Op};
use super::terms::{walk, Formula, Terms};
use crate::data::{Column, DataFrame};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The value of one data column in a new row: a number, or a label (a text column's level, or
/// an LA code).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Cell {
    Number(f64),
    Text(String),
}

impl Cell {
    /// The cell as a factor label: text as is, a number as R's `as.character` writes it.
    pub fn label(&self) -> String {
        match self {
            Cell::Number(x) => r_number(*x),
            Cell::Text(t) => t.clone(),
        }
    }
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// A new row of data: values of the data's own columns, by name, in the order given
/// (serialised as `[[column, value], ...]`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NewRow {
    pub cells: Vec<(String, Cell)>,
}

impl NewRow {
    pub fn get(&self, column: &str) -> Option<&Cell> {
        self.cells.iter().find(|(n, _)| n == column).map(|(_, c)| c)
    }

    /// Sets `column` (replacing a value it had).
    pub fn set(&mut self, column: &str, cell: Cell) {
        match self.cells.iter_mut().find(|(n, _)| n == column) {
            Some(slot) => slot.1 = cell,
            None => self.cells.push((column.to_owned(), cell)),
        }
    }
}

/// Why a new row cannot be evaluated; each names the data column (or the term) at fault.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NewDataError {
    /// A column the model's terms read has no value; `needed` lists every such column.
    Missing { column: String, needed: Vec<String> },
    /// A column the model does not read; `known` lists those it reads.
    Unknown { column: String, known: Vec<String> },
    /// A column given twice.
    Repeated { column: String },
    /// A number column given text, or a number that is not finite.
    NotANumber { column: String, found: String },
    /// A factor's (or a group's) value that is not among the fitted data's levels.
    NotALevel { column: String, term: String, value: String, levels: Vec<String> },
    /// A term's value is not a finite number at the row (`log(children)` at `children = 0`).
    NotFinite { column: String, term: String, values: String },
    /// A transformation the row cannot be evaluated for (a factor slope of a random term
    /// absent from the fixed part, say).
    Unsupported { column: String, term: String, reason: String },
}

impl NewDataError {
    /// The data column at fault.
    pub fn column(&self) -> &str {
        match self {
            NewDataError::Missing { column, .. }
            | NewDataError::Unknown { column, .. }
            | NewDataError::Repeated { column }
            | NewDataError::NotANumber { column, .. }
            | NewDataError::NotALevel { column, .. }
            | NewDataError::NotFinite { column, .. }
            | NewDataError::Unsupported { column, .. } => column,
        }
    }
}

fn quoted(names: &[String]) -> String {
    names.iter().map(|n| format!("'{n}'")).collect::<Vec<_>>().join(", ")
}

impl fmt::Display for NewDataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NewDataError::Missing { column, needed } => write!(
                f,
                "no value for the column '{column}'; a prediction needs a value of every column the model's \
                 terms read ({})",
                quoted(needed)
            ),
            NewDataError::Unknown { column, known } => {
                write!(f, "'{column}' is not a column the model reads; its columns are {}", quoted(known))
            }
            NewDataError::Repeated { column } => write!(f, "the column '{column}' is given twice"),
            NewDataError::NotANumber { column, found } => {
                write!(f, "the value of '{column}' must be a finite number, found '{found}'")
            }
            NewDataError::NotALevel { column, term, value, levels } => {
                let shown: Vec<String> = levels.iter().take(12).cloned().collect();
                let more = if levels.len() > shown.len() {
                    format!(" and {} more", levels.len() - shown.len())
                } else {
                    String::new()
                };
                write!(
                    f,
                    "'{value}' is not a value of '{column}' in the fitted data (used by '{term}'); its values are {}{more}",
                    quoted(&shown)
                )
            }
            NewDataError::NotFinite { term, values, .. } => {
                write!(f, "'{term}' is not a finite number at {values}")
            }
            NewDataError::Unsupported { term, reason, .. } => {
                write!(f, "'{term}' cannot be predicted at new data: {reason}")
            }
        }
    }
}

impl std::error::Error for NewDataError {}

/// A model evaluated at one new row.
#[derive(Debug, Clone, PartialEq)]
pub struct RowDesign {
    /// The fixed-effects model-matrix row: each column's name (as the fit names it) and value.
    pub x: Vec<(String, f64)>,
    /// Each random-effect term's columns at the row, in the formula's order of the terms.
    pub z: Vec<Vec<(String, f64)>>,
    /// The offsets at the row (added), when the row gives every column they read.
    pub offset: Option<f64>,
    /// The choices made for the row, in words ("no la given: within(x, la) compares x with the
    /// mean of the la means, 14.2").
    pub notes: Vec<String>,
}

/// What a prediction reads of the data, for asking a person for a new row.
#[derive(Debug, Clone, PartialEq)]
pub struct RowColumns {
    /// Columns the model's terms read (fixed part and random slopes): each must be given.
    pub needed: Vec<String>,
    /// Grouping columns of `within()`/`between()`: optional (an average group without one).
    pub groups: Vec<String>,
    /// Columns the offsets read: optional (an expected count needs them).
    pub offsets: Vec<String>,
}

/// The data columns an expression reads, outside the group argument of `within`/`between`,
/// added to `out` in order of first appearance; the group columns are added to `groups`.
fn read_columns(e: &Expr, out: &mut Vec<String>, groups: &mut Vec<String>) {
    match &e.kind {
        ExprKind::Call { name, args, .. } if name == "within" || name == "between" => {
            if let Some(x) = args.first() {
                read_columns(x, out, groups);
            }
            if let Some(Expr { kind: ExprKind::Name { name, .. }, .. }) = args.get(1) {
                push_new(groups, name);
            }
        }
        _ => {
            let mut names = Vec::new();
            if let ExprKind::Name { name, .. } = &e.kind {
                names.push(name.clone());
            } else {
                let children: Vec<&Expr> = match &e.kind {
                    ExprKind::Call { args, .. } => args.iter().collect(),
                    ExprKind::Unary { operand, .. } => vec![operand.as_ref()],
                    ExprKind::Binary { lhs, rhs, .. } => vec![lhs.as_ref(), rhs.as_ref()],
                    ExprKind::Paren(inner) => vec![inner.as_ref()],
                    ExprKind::Name { .. } | ExprKind::Number(_) => vec![],
                };
                for c in children {
                    read_columns(c, out, groups);
                }
            }
            for n in names {
                push_new(out, &n);
            }
        }
    }
}

fn push_new(list: &mut Vec<String>, name: &str) {
    if !list.iter().any(|n| n == name) {
        list.push(name.to_owned());
    }
}

impl Formula {
    /// The data columns a prediction at a new row reads (see [`RowColumns`]).
    pub fn row_columns(&self) -> RowColumns {
        let mut needed = Vec::new();
        let mut groups = Vec::new();
        for v in &self.fixed.variables {
            read_columns(&v.expr, &mut needed, &mut groups);
        }
        for r in &self.random {
            for v in &r.lhs.variables {
                read_columns(&v.expr, &mut needed, &mut groups);
            }
        }
        let mut offsets = Vec::new();
        for e in &self.offsets {
            walk(e, &mut |x| {
                if let ExprKind::Name { name, .. } = &x.kind {
                    push_new(&mut offsets, name);
                }
            });
        }
        groups.retain(|g| !needed.contains(g));
        offsets.retain(|o| !needed.contains(o) && !groups.contains(o));
        RowColumns { needed, groups, offsets }
    }
}

/// Evaluates `formula`, fitted on `df` with `info`, at `row` (see the module's notes).
/// Every column the row names must be one the formula reads (its terms, offsets, or grouping
/// columns); every column its terms read must be given.
pub fn row_design(
    formula: &Formula,
    info: &DesignInfo,
    df: &DataFrame,
    row: &NewRow,
) -> Result<RowDesign, NewDataError> {
    let columns = formula.row_columns();
    let mut known: Vec<String> = columns.needed.clone();
    known.extend(columns.groups.iter().cloned());
    known.extend(columns.offsets.iter().cloned());
    for r in &formula.random {
        for g in &r.group_columns {
            push_new(&mut known, g);
        }
    }
    for (i, (name, _)) in row.cells.iter().enumerate() {
        if !known.contains(name) {
            return Err(NewDataError::Unknown { column: name.clone(), known });
        }
        if row.cells[..i].iter().any(|(n, _)| n == name) {
            return Err(NewDataError::Repeated { column: name.clone() });
        }
    }
    if let Some(missing) = columns.needed.iter().find(|c| row.get(c).is_none()) {
        return Err(NewDataError::Missing { column: missing.clone(), needed: columns.needed.clone() });
    }
    let mut ev = RowEvaluator { info, df, row, notes: Vec::new() };
    let fixed = ev.kept(&formula.fixed)?;
    let (fixed_columns, x) = model_matrix(&formula.fixed, &fixed, 1);
    let x = fixed_columns.iter().map(|c| c.name()).zip(x.iter().copied()).collect();
    let mut z = Vec::new();
    for r in &formula.random {
        let vars = ev.kept(&r.lhs)?;
        let (cols, values) = model_matrix(&r.lhs, &vars, 1);
        z.push(cols.iter().map(|c| c.name()).zip(values.iter().copied()).collect());
    }
    let mut offset = Some(0.0);
    for e in &formula.offsets {
        let mut reads = Vec::new();
        walk(e, &mut |x| {
            if let ExprKind::Name { name, .. } = &x.kind {
                reads.push(name.clone());
            }
        });
        if reads.iter().all(|c| row.get(c).is_some()) {
            let v = ev.number(e)?;
            let label = deparse(e);
            if !v.is_finite() {
                return Err(ev.not_finite(&label, e));
            }
            offset = offset.map(|o| o + v);
        } else {
            offset = None;
        }
    }
    Ok(RowDesign { x, z, offset, notes: ev.notes })
}

struct RowEvaluator<'a> {
    info: &'a DesignInfo,
    df: &'a DataFrame,
    row: &'a NewRow,
    notes: Vec<String>,
}

impl RowEvaluator<'_> {
    /// The variables of `terms` at the row, as the model matrix takes them.
    fn kept(&mut self, terms: &Terms) -> Result<Vec<Kept>, NewDataError> {
        let mut out = Vec::with_capacity(terms.variables.len());
        for v in &terms.variables {
            let factor_column = match &v.expr.kind {
                ExprKind::Name { name, .. } if matches!(self.df.column(name), Some(Column::Text(_))) => {
                    Some(name.clone())
                }
                ExprKind::Call { name, args, .. } if name == "factor" || name == "as.factor" => {
                    match args.first() {
                        Some(Expr { kind: ExprKind::Name { name, .. }, .. }) => Some(name.clone()),
                        _ => None,
                    }
                }
                _ => None,
            };
            match factor_column {
                Some(column) => out.push(Kept::Factor(self.level(&column, &v.label)?)),
                None => {
                    let value = self.number(&v.expr)?;
                    if !value.is_finite() {
                        return Err(self.not_finite(&v.label, &v.expr));
                    }
                    out.push(Kept::Numeric(vec![value]));
                }
            }
        }
        Ok(out)
    }

    /// The row's level of the factor `term` reading `column`, among the fitted levels.
    fn level(&self, column: &str, term: &str) -> Result<Levelled, NewDataError> {
        let levels =
            self.info.factors.iter().find(|f| f.term == term).map(|f| f.levels.clone()).ok_or_else(|| {
                NewDataError::Unsupported {
                    column: column.to_owned(),
                    term: term.to_owned(),
                    reason: "a factor in a random term needs the same factor in the fixed part".to_owned(),
                }
            })?;
        let cell = self.cell(column)?;
        let value = cell.label();
        let index = levels.iter().position(|l| *l == value).ok_or_else(|| NewDataError::NotALevel {
            column: column.to_owned(),
            term: term.to_owned(),
            value: value.clone(),
            levels: levels.clone(),
        })?;
        Ok(Levelled { index: vec![index], levels })
    }

    fn cell(&self, column: &str) -> Result<&Cell, NewDataError> {
        self.row.get(column).ok_or_else(|| NewDataError::Missing {
            column: column.to_owned(),
            needed: vec![column.to_owned()],
        })
    }

    /// The row's number in `column`.
    fn column_number(&self, column: &str) -> Result<f64, NewDataError> {
        match self.cell(column)? {
            Cell::Number(x) if x.is_finite() => Ok(*x),
            Cell::Number(x) => {
                Err(NewDataError::NotANumber { column: column.to_owned(), found: r_number(*x) })
            }
            Cell::Text(t) => match t.trim().parse::<f64>() {
                Ok(x) if x.is_finite() => Ok(x),
                _ => Err(NewDataError::NotANumber { column: column.to_owned(), found: t.clone() }),
            },
        }
    }

    /// The value of an arithmetic expression at the row (may be infinite or NaN: the caller
    /// checks the variable as a whole).
    fn number(&mut self, e: &Expr) -> Result<f64, NewDataError> {
        match &e.kind {
            ExprKind::Number(x) => Ok(*x),
            ExprKind::Name { name, .. } => self.column_number(name),
            ExprKind::Paren(inner) => self.number(inner),
            ExprKind::Unary { op, operand } => {
                let v = self.number(operand)?;
                Ok(if *op == Op::Minus { -v } else { v })
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let (a, b) = (self.number(lhs)?, self.number(rhs)?);
                Ok(match op {
                    Op::Plus => a + b,
                    Op::Minus => a - b,
                    Op::Times => a * b,
                    Op::Divide => a / b,
                    Op::Power => a.powf(b),
                    _ => f64::NAN,
                })
            }
            ExprKind::Call { name, args, .. } => {
                let label = deparse(e);
                let Some(first) = args.first() else { return Ok(f64::NAN) };
                if let Some(f) = elementwise(name) {
                    return Ok(f(self.number(first)?));
                }
                match name.as_str() {
                    "I" => self.number(first),
                    "scale" => {
                        let v = self.number(first)?;
                        let s = self.info.scalings.iter().find(|s| s.term == label).ok_or_else(|| {
                            self.unsupported(
                                first,
                                &label,
                                "its centre and scale were not recorded by the fit",
                            )
                        })?;
                        Ok((v - s.centre) / s.scale)
                    }
                    "within" | "between" => {
                        let v = self.number(first)?;
                        let mean = self.group_mean(&label, args.get(1), first)?;
                        Ok(if name == "between" { mean } else { v - mean })
                    }
                    _ => Err(self.unsupported(first, &label, "this function is not supported at new data")),
                }
            }
        }
    }

    /// The fitted data's mean of `within(x, g)`'s `x` in the row's group, or the mean of the
    /// groups' means when the row names no group.
    fn group_mean(&mut self, label: &str, group: Option<&Expr>, x: &Expr) -> Result<f64, NewDataError> {
        let Some(Expr { kind: ExprKind::Name { name: g, .. }, .. }) = group else {
            return Err(self.unsupported(x, label, "its group must be a column"));
        };
        let means = self
            .info
            .group_means
            .iter()
            .find(|m| m.term == label)
            .ok_or_else(|| self.unsupported(x, label, "its group means were not recorded by the fit"))?;
        match self.row.get(g) {
            Some(cell) => {
                let value = cell.label();
                let i =
                    means.groups.iter().position(|l| *l == value).ok_or_else(|| NewDataError::NotALevel {
                        column: g.clone(),
                        term: label.to_owned(),
                        value: value.clone(),
                        levels: means.groups.clone(),
                    })?;
                let mean = means.means[i];
                if mean.is_finite() {
                    Ok(mean)
                } else {
                    Err(NewDataError::NotFinite {
                        column: g.clone(),
                        term: label.to_owned(),
                        values: format!("{g} = {value} (no row of that {g} has a value of {})", deparse(x)),
                    })
                }
            }
            None => {
                let finite: Vec<f64> = means.means.iter().copied().filter(|m| m.is_finite()).collect();
                let mean = finite.iter().sum::<f64>() / finite.len().max(1) as f64;
                self.notes.push(format!(
                    "no {g} given, so {label} compares {} with the mean of the {} {g} means ({}), an average {g}",
                    deparse(x),
                    finite.len(),
                    r_number(format!("{mean:.3e}").parse().unwrap_or(mean))
                ));
                Ok(mean)
            }
        }
    }

    fn unsupported(&self, x: &Expr, term: &str, reason: &str) -> NewDataError {
        let mut reads = Vec::new();
        let mut groups = Vec::new();
        read_columns(x, &mut reads, &mut groups);
        NewDataError::Unsupported {
            column: reads.into_iter().next().unwrap_or_default(),
            term: term.to_owned(),
            reason: reason.to_owned(),
        }
    }

    /// Why `term` (reading `e`) is not finite: the row's values of its columns.
    fn not_finite(&self, term: &str, e: &Expr) -> NewDataError {
        let mut reads = Vec::new();
        let mut groups = Vec::new();
        read_columns(e, &mut reads, &mut groups);
        let values: Vec<String> = reads
            .iter()
            .map(|c| format!("{c} = {}", self.row.get(c).map_or_else(String::new, Cell::label)))
            .collect();
        NewDataError::NotFinite {
            column: reads.first().cloned().unwrap_or_default(),
            term: term.to_owned(),
            values: if values.is_empty() { "these values".to_owned() } else { values.join(", ") },
        }
    }
}
