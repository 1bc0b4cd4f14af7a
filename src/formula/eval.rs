//! Evaluating formula variables on a data frame: arithmetic, transformations and factors.
//!
//! Every expression is evaluated over all rows of the file; a missing cell gives `NaN`.
//! Transformations that summarise a column use every row where their argument is present,
//! before rows with missing values elsewhere are dropped (as R's `model.frame` evaluates them):
//! - `scale(x) = (x - mean(x)) / sd(x)`, with `sd` the sample standard deviation (divisor
//!   `n - 1`);
//! - `between(x, g)` = the mean of `x` over the rows of `g`'s group where `x` is present;
//! - `within(x, g) = x - between(x, g)`;
//! - `factor(x)` treats a column (text or numbers) as a factor.

use super::deparse::{deparse, r_number};
use super::error::{FormulaError, Span};
use super::syntax::{Expr, ExprKind, Op};
use crate::data::cells::{first_text, shorten};
use crate::data::{Column, DataFrame, TextColumn};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;

/// How `scale(x)` transformed a column: `(x - centre) / scale`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scaling {
    /// The term as named in the model (`scale(imd)`).
    pub term: String,
    pub centre: f64,
    pub scale: f64,
}

/// The group means used by `within(x, g)` and `between(x, g)`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupMeans {
    /// The term as named in the model (`within(imd, la)`).
    pub term: String,
    /// The group labels (sorted as factor levels are) and the mean of `x` in each (`NaN` for
    /// a group where `x` is always missing).
    pub groups: Vec<String>,
    pub means: Vec<f64>,
}

/// A variable's values over all rows of the file.
pub(crate) enum Value<'a> {
    Numeric(Vec<f64>),
    Factor(Factor<'a>),
}

/// A factor over all rows: `codes[i]` indexes `labels`, or is [`TextColumn::MISSING`].
pub(crate) struct Factor<'a> {
    codes: Cow<'a, [u32]>,
    labels: Cow<'a, [String]>,
    /// For a factor made from numbers, the number behind each label (levels sort by it).
    numbers: Option<Vec<f64>>,
}

/// A factor restricted to the rows kept, with its levels in R's order.
pub(crate) struct Levelled {
    /// Level index (into `levels`) of each kept row.
    pub index: Vec<usize>,
    pub levels: Vec<String>,
}

impl<'a> Factor<'a> {
    /// The column as a factor: text as is (borrowed), numbers labelled as R's `as.character`
    /// writes them.
    pub(crate) fn from_column(column: &'a Column) -> Factor<'a> {
        match column {
            Column::Text(t) => {
                Factor { codes: Cow::Borrowed(t.codes()), labels: Cow::Borrowed(t.labels()), numbers: None }
            }
            Column::Numeric(v) => {
                let mut lookup: HashMap<u64, u32> = HashMap::new();
                let mut numbers = Vec::new();
                let codes = v
                    .iter()
                    .map(|&x| {
                        if x.is_nan() {
                            return TextColumn::MISSING;
                        }
                        let key = if x == 0.0 { 0 } else { x.to_bits() };
                        *lookup.entry(key).or_insert_with(|| {
                            numbers.push(x);
                            u32::try_from(numbers.len() - 1).unwrap_or(TextColumn::MISSING - 1)
                        })
                    })
                    .collect();
                let labels = numbers.iter().map(|&x| r_number(x)).collect();
                Factor { codes: Cow::Owned(codes), labels: Cow::Owned(labels), numbers: Some(numbers) }
            }
        }
    }

    /// The levels present in `rows`, sorted as R sorts them (text by bytes, as in the C locale;
    /// numbers by value), and each row's level.
    pub(crate) fn levelled(&self, rows: &[usize]) -> Levelled {
        let order = self.sorted_codes(rows);
        let mut rank = vec![usize::MAX; self.labels.len()];
        for (r, &c) in order.iter().enumerate() {
            if let Some(slot) = rank.get_mut(c as usize) {
                *slot = r;
            }
        }
        let index = rows
            .iter()
            .map(|&i| self.codes.get(i).and_then(|&c| rank.get(c as usize)).copied().unwrap_or(0))
            .collect();
        let levels = order.iter().filter_map(|&c| self.labels.get(c as usize).cloned()).collect();
        Levelled { index, levels }
    }

    /// The codes used in `rows`, in level order.
    fn sorted_codes(&self, rows: &[usize]) -> Vec<u32> {
        let mut used = vec![false; self.labels.len()];
        for &i in rows {
            if let Some(u) = self.codes.get(i).and_then(|&c| used.get_mut(c as usize)) {
                *u = true;
            }
        }
        let mut order: Vec<u32> = (0..self.labels.len())
            .filter(|&c| used.get(c).copied().unwrap_or(false))
            .filter_map(|c| u32::try_from(c).ok())
            .collect();
        match &self.numbers {
            Some(numbers) => order.sort_by(|&a, &b| {
                let x = numbers.get(a as usize).copied().unwrap_or(0.0);
                let y = numbers.get(b as usize).copied().unwrap_or(0.0);
                x.total_cmp(&y)
            }),
            None => order.sort_by(|&a, &b| {
                let x = self.labels.get(a as usize).map_or("", String::as_str);
                let y = self.labels.get(b as usize).map_or("", String::as_str);
                x.as_bytes().cmp(y.as_bytes())
            }),
        }
        order
    }

    /// Group means of `x` by this factor over rows where both are present, and each row's mean
    /// (`NaN` where the factor is missing or the group has no values).
    fn group_means(&self, x: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let mut sum = vec![0.0; self.labels.len()];
        let mut count = vec![0usize; self.labels.len()];
        for (&c, &v) in self.codes.iter().zip(x) {
            if v.is_finite() {
                if let (Some(s), Some(n)) = (sum.get_mut(c as usize), count.get_mut(c as usize)) {
                    *s += v;
                    *n += 1;
                }
            }
        }
        let means: Vec<f64> =
            sum.iter().zip(&count).map(|(&s, &n)| if n > 0 { s / n as f64 } else { f64::NAN }).collect();
        let per_row =
            self.codes.iter().map(|&c| means.get(c as usize).copied().unwrap_or(f64::NAN)).collect();
        (means, per_row)
    }
}

/// Combines factors into their interaction `f1:f2:...` over the kept rows, as R's `:` does for
/// factors: levels are the combinations present, ordered with the first factor varying slowest,
/// labelled `a:b`.
pub(crate) fn interaction(factors: &[Levelled]) -> Levelled {
    let mut iter = factors.iter();
    let Some(first) = iter.next() else { return Levelled { index: Vec::new(), levels: Vec::new() } };
    let mut acc = Levelled { index: first.index.clone(), levels: first.levels.clone() };
    for next in iter {
        // Both factors have at most one level per row, so the key stays below n^2.
        let radix = next.levels.len().max(1) as u128;
        let keys: Vec<u128> =
            acc.index.iter().zip(&next.index).map(|(&a, &b)| a as u128 * radix + b as u128).collect();
        let mut distinct = keys.clone();
        distinct.sort_unstable();
        distinct.dedup();
        let levels = distinct
            .iter()
            .map(|&k| {
                let a = usize::try_from(k / radix)
                    .ok()
                    .and_then(|i| acc.levels.get(i))
                    .map_or("", String::as_str);
                let b = usize::try_from(k % radix)
                    .ok()
                    .and_then(|i| next.levels.get(i))
                    .map_or("", String::as_str);
                format!("{a}:{b}")
            })
            .collect();
        let index = keys.iter().map(|k| distinct.binary_search(k).unwrap_or(0)).collect();
        acc = Levelled { index, levels };
    }
    acc
}

/// Evaluates expressions on one data frame, recording what transformations computed.
pub(crate) struct Evaluator<'a> {
    pub df: &'a DataFrame,
    pub src: &'a str,
    pub scalings: Vec<Scaling>,
    pub group_means: Vec<GroupMeans>,
}

impl<'a> Evaluator<'a> {
    pub(crate) fn new(df: &'a DataFrame, src: &'a str) -> Self {
        Evaluator { df, src, scalings: Vec::new(), group_means: Vec::new() }
    }

    fn err(&self, message: String, span: Span, term: Span) -> FormulaError {
        FormulaError { message, span, term: term.text(self.src).trim().to_owned() }
    }

    fn column(&self, name: &str, span: Span, term: Span) -> Result<&'a Column, FormulaError> {
        self.df.column(name).ok_or_else(|| self.err(format!("unknown column '{name}'"), span, term))
    }

    /// A model variable: a text column or `factor(...)` gives a factor, anything else numbers.
    pub(crate) fn variable(&mut self, e: &Expr) -> Result<Value<'a>, FormulaError> {
        match &e.kind {
            ExprKind::Name { name, .. } => match self.column(name, e.span, e.span)? {
                col @ Column::Text(_) => Ok(Value::Factor(Factor::from_column(col))),
                Column::Numeric(v) => Ok(Value::Numeric(v.clone())),
            },
            ExprKind::Call { name, args, .. } if name == "factor" || name == "as.factor" => {
                let arg = self.single_column_arg(args, e)?;
                Ok(Value::Factor(Factor::from_column(arg)))
            }
            _ => self.numeric(e, e.span).map(Value::Numeric),
        }
    }

    /// The grouping factor named `name`.
    pub(crate) fn group_factor(
        &self,
        name: &str,
        span: Span,
        term: Span,
    ) -> Result<Factor<'a>, FormulaError> {
        Ok(Factor::from_column(self.column(name, span, term)?))
    }

    fn single_column_arg(&self, args: &[Expr], call: &Expr) -> Result<&'a Column, FormulaError> {
        match args.first().map(|a| (&a.kind, a.span)) {
            Some((ExprKind::Name { name, .. }, span)) => self.column(name, span, call.span),
            _ => Err(self.err("the argument must be a column name".to_owned(), call.span, call.span)),
        }
    }

    /// Numbers for an arithmetic expression; `term` is the span of the enclosing term, for errors.
    pub(crate) fn numeric(&mut self, e: &Expr, term: Span) -> Result<Vec<f64>, FormulaError> {
        let n = self.df.nrows();
        match &e.kind {
            ExprKind::Number(x) => Ok(vec![*x; n]),
            ExprKind::Name { name, .. } => match self.column(name, e.span, term)? {
                Column::Numeric(v) => Ok(v.clone()),
                Column::Text(t) => {
                    let example = first_text(t).map_or(String::new(), |(row, l)| {
                        format!(" (such as '{}' in row {row})", shorten(l))
                    });
                    Err(self.err(
                        format!(
                            "column '{name}' holds text in most of its cells{example}, so it cannot be used in '{}'; \
                             only number columns can go into arithmetic or functions",
                            term.text(self.src).trim()
                        ),
                        e.span,
                        term,
                    ))
                }
            },
            ExprKind::Paren(inner) => self.numeric(inner, term),
            ExprKind::Unary { op, operand } => {
                let mut v = self.numeric(operand, term)?;
                if *op == Op::Minus {
                    v.iter_mut().for_each(|x| *x = -*x);
                }
                Ok(v)
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let mut a = self.numeric(lhs, term)?;
                let b = self.numeric(rhs, term)?;
                let f: fn(f64, f64) -> f64 = match op {
                    Op::Plus => |x, y| x + y,
                    Op::Minus => |x, y| x - y,
                    Op::Times => |x, y| x * y,
                    Op::Divide => |x, y| x / y,
                    Op::Power => f64::powf,
                    _ => {
                        return Err(self.err(
                            format!("'{}' cannot be used in arithmetic", op.symbol()),
                            e.span,
                            term,
                        ))
                    }
                };
                a.iter_mut().zip(&b).for_each(|(x, &y)| *x = f(*x, y));
                Ok(a)
            }
            ExprKind::Call { name, args, .. } => self.call(name, args, e, term),
        }
    }

    fn call(&mut self, name: &str, args: &[Expr], e: &Expr, term: Span) -> Result<Vec<f64>, FormulaError> {
        let first =
            args.first().ok_or_else(|| self.err(format!("{name}() needs an argument"), e.span, term))?;
        if let Some(f) = elementwise(name) {
            let mut v = self.numeric(first, term)?;
            v.iter_mut().for_each(|x| *x = f(*x));
            return Ok(v);
        }
        match name {
            "I" => self.numeric(first, term),
            "scale" => {
                let v = self.numeric(first, term)?;
                let (n, mean) = v.iter().filter(|x| x.is_finite()).fold((0usize, 0.0), |(n, m), &x| {
                    let n1 = n + 1;
                    (n1, m + (x - m) / n1 as f64)
                });
                let ss: f64 = v.iter().filter(|x| x.is_finite()).map(|x| (x - mean) * (x - mean)).sum();
                let sd = if n > 1 { (ss / (n - 1) as f64).sqrt() } else { 0.0 };
                if sd.is_nan() || sd <= 0.0 {
                    return Err(self.err(
                        format!(
                            "{} cannot be computed: {} has the same value in every row, so its standard deviation is 0",
                            deparse(e),
                            deparse(first)
                        ),
                        e.span,
                        term,
                    ));
                }
                self.scalings.push(Scaling { term: deparse(e), centre: mean, scale: sd });
                Ok(v.into_iter().map(|x| (x - mean) / sd).collect())
            }
            "within" | "between" => {
                let x = self.numeric(first, term)?;
                let (gname, gspan) = match args.get(1).map(|g| (&g.kind, g.span)) {
                    Some((ExprKind::Name { name, .. }, span)) => (name.as_str(), span),
                    _ => {
                        return Err(self.err(format!("the group of {name}() must be a column"), e.span, term))
                    }
                };
                let g = self.group_factor(gname, gspan, term)?;
                let (means, per_row) = g.group_means(&x);
                let all_rows: Vec<usize> = (0..self.df.nrows()).collect();
                let order = g.sorted_codes(&all_rows);
                self.group_means.push(GroupMeans {
                    term: deparse(e),
                    groups: order.iter().filter_map(|&c| g.labels.get(c as usize).cloned()).collect(),
                    means: order.iter().filter_map(|&c| means.get(c as usize).copied()).collect(),
                });
                if name == "between" {
                    Ok(per_row)
                } else {
                    Ok(x.iter().zip(&per_row).map(|(a, m)| a - m).collect())
                }
            }
            _ => Err(self.err(format!("{name}() cannot be used inside arithmetic"), e.span, term)),
        }
    }
}

/// The element-wise numeric functions.
pub(crate) fn elementwise(name: &str) -> Option<fn(f64) -> f64> {
    match name {
        "log" => Some(f64::ln),
        "log2" => Some(f64::log2),
        "log10" => Some(f64::log10),
        "log1p" => Some(f64::ln_1p),
        "exp" => Some(f64::exp),
        "sqrt" => Some(f64::sqrt),
        _ => None,
    }
}

/// Why a value is not a finite number: the innermost part that went wrong.
pub(crate) struct Reason {
    /// "pop is 0", "pop2 is 0 in pop/pop2".
    pub text: String,
    /// The column at fault when the failing part is a single column.
    pub column: Option<String>,
    /// True when a logarithm got a value of 0 or less.
    pub log_domain: bool,
    /// True when a square root got a negative value.
    pub sqrt_domain: bool,
}

impl Reason {
    fn plain(text: String) -> Reason {
        Reason { text, column: None, log_domain: false, sqrt_domain: false }
    }
}

/// Why expression `e` is not a finite number in `row` (0-based). `None` when the value is
/// finite, an input is missing, or the failure is in a whole-column transformation.
pub(crate) fn explain(e: &Expr, df: &DataFrame, row: usize) -> Option<Reason> {
    match scalar(e, df, row) {
        Scalar::Fails(reason) => Some(reason),
        Scalar::Value(_) | Scalar::Unknown => None,
    }
}

enum Scalar {
    Value(f64),
    /// A value that cannot be worked out row by row (a transformation over the whole column).
    Unknown,
    Fails(Reason),
}

fn scalar(e: &Expr, df: &DataFrame, row: usize) -> Scalar {
    match &e.kind {
        ExprKind::Number(x) => Scalar::Value(*x),
        ExprKind::Name { name, .. } => match df.column(name) {
            Some(Column::Numeric(v)) => v.get(row).map_or(Scalar::Unknown, |&x| Scalar::Value(x)),
            _ => Scalar::Unknown,
        },
        ExprKind::Paren(inner) => scalar(inner, df, row),
        ExprKind::Unary { op, operand } => match scalar(operand, df, row) {
            Scalar::Value(x) if *op == Op::Minus => Scalar::Value(-x),
            other => other,
        },
        ExprKind::Binary { op, lhs, rhs } => {
            let (a, b) = match (scalar(lhs, df, row), scalar(rhs, df, row)) {
                (Scalar::Fails(r), _) | (_, Scalar::Fails(r)) => return Scalar::Fails(r),
                (Scalar::Value(a), Scalar::Value(b)) => (a, b),
                _ => return Scalar::Unknown,
            };
            let v = match op {
                Op::Plus => a + b,
                Op::Minus => a - b,
                Op::Times => a * b,
                Op::Divide => a / b,
                Op::Power => a.powf(b),
                _ => return Scalar::Unknown,
            };
            if v.is_finite() {
                Scalar::Value(v)
            } else if *op == Op::Divide && b == 0.0 {
                Scalar::Fails(Reason {
                    column: column_name(rhs),
                    ..Reason::plain(format!("{} is 0 in {}", deparse(rhs), deparse(e)))
                })
            } else {
                Scalar::Fails(Reason::plain(format!("{} is too large", deparse(e))))
            }
        }
        ExprKind::Call { name, args, .. } => {
            let Some(arg) = args.first() else { return Scalar::Unknown };
            let inner = scalar(arg, df, row);
            let Some(f) = elementwise(name) else {
                return match inner {
                    Scalar::Fails(r) => Scalar::Fails(r),
                    _ if name == "I" => inner,
                    _ => Scalar::Unknown,
                };
            };
            match inner {
                Scalar::Value(x) => {
                    let v = f(x);
                    if v.is_finite() {
                        Scalar::Value(v)
                    } else if name == "exp" {
                        Scalar::Fails(Reason::plain(format!("{} is too large", deparse(e))))
                    } else {
                        Scalar::Fails(Reason {
                            text: format!("{} is {}", deparse(arg), r_number(x)),
                            column: column_name(arg),
                            log_domain: name.starts_with("log"),
                            sqrt_domain: name == "sqrt",
                        })
                    }
                }
                other => other,
            }
        }
    }
}

fn column_name(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Name { name, .. } => Some(name.clone()),
        ExprKind::Paren(inner) => column_name(inner),
        _ => None,
    }
}
