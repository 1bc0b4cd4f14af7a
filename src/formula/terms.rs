//! The structure of a parsed formula: response, fixed-effect terms in R's order, offsets and
//! random-effect terms, following R's `terms.formula` algebra.
//!
//! Term algebra (each term is a set of variables; duplicates are removed):
//! - `a + b`: the terms of `a` then those of `b`;
//! - `a:b`: every union of a term of `a` with a term of `b`;
//! - `a*b`: `a + b + a:b`;
//! - `a/b`: `a` plus, for every term of `b`, its union with all variables of `a`;
//! - `(a + b)^n`: all interactions up to order `n`;
//! - `a - b`: the terms of `a` without those of `b`; `- 1`, `+ 0` and `0 +` remove the intercept,
//!   `+ 1` keeps it.
//!
//! Terms are then ordered by their number of variables (main effects first), keeping the order
//! of appearance within each order, and a term's label lists its variables in order of first
//! appearance (`y ~ a + b:a` has terms `a`, `a:b`); for the fixed part, appearance in the
//! ordered terms, as glmmTMB does (`y ~ b:a + a` also has terms `a`, `a:b`).

use super::deparse::deparse;
use super::error::{FormulaError, Span};
use super::syntax::{Expr, ExprKind, Op};
use serde::Serialize;
use std::fmt;

/// Functions that may appear in a formula, with their number of arguments.
pub(crate) const FUNCTIONS: [(&str, usize); 13] = [
    ("offset", 1),
    ("log", 1),
    ("log2", 1),
    ("log10", 1),
    ("log1p", 1),
    ("exp", 1),
    ("sqrt", 1),
    ("scale", 1),
    ("within", 2),
    ("between", 2),
    ("factor", 1),
    ("as.factor", 1),
    ("I", 1),
];

/// The most terms a formula may expand to (`(a + b + c)^3` is 7 terms).
const MAX_TERMS: usize = 1000;

/// A parsed model formula such as
/// `count ~ imd * la_imd + offset(log(pop)) + (1 + imd | la)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Formula {
    pub(crate) source: String,
    pub(crate) response: Expr,
    pub(crate) fixed: Terms,
    pub(crate) offsets: Vec<Expr>,
    pub(crate) random: Vec<RandomSpec>,
    pub(crate) expr: Expr,
    /// Every column name written in the formula, in order of appearance.
    pub(crate) references: Vec<ColumnRef>,
}

/// A column name written in the formula, with its own span and the span of the top-level term
/// that contains it (for error messages).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ColumnRef {
    pub name: String,
    pub span: Span,
    pub term_span: Span,
}

/// A variable of a model matrix: a column or an expression of columns, named as R names it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Variable {
    pub label: String,
    pub expr: Expr,
}

/// The terms of one model matrix (the fixed part, or the left side of a random term).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Terms {
    pub variables: Vec<Variable>,
    /// Each term lists indices into `variables`, ascending; terms are in R's order.
    pub terms: Vec<Vec<usize>>,
    /// Span of each term's first appearance.
    pub spans: Vec<Span>,
    pub intercept: bool,
}

impl Terms {
    /// R's label of term `t` (`a:b`).
    pub(crate) fn label(&self, t: &[usize]) -> String {
        t.iter()
            .filter_map(|&v| self.variables.get(v))
            .map(|v| v.label.as_str())
            .collect::<Vec<_>>()
            .join(":")
    }

    fn labels(&self) -> Vec<String> {
        self.terms.iter().map(|t| self.label(t)).collect()
    }
}

/// One random-effect term `(lhs | group)` after nested groups have been expanded.
#[derive(Debug, Clone, PartialEq)]
pub struct RandomSpec {
    pub(crate) lhs: Terms,
    /// The grouping expression: a column, or `:` interactions of columns.
    pub(crate) group: Expr,
    /// The columns of the grouping expression in the order R's `:` combines them.
    pub(crate) group_columns: Vec<String>,
    pub(crate) span: Span,
    /// For a spatial field `exp(pos(x, y) + 0 | g)`, its coordinate columns (the term then has
    /// no columns of its own: one effect per distinct location of each level of `g`).
    pub(crate) field: Option<FieldCoordinates>,
}

/// The coordinate columns of a spatial field term `exp(pos(x, y) + 0 | g)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldCoordinates {
    pub x: String,
    pub y: String,
}

impl RandomSpec {
    /// The grouping factor as R prints it (`la`, `msoa:la`).
    pub fn group(&self) -> String {
        deparse(&self.group)
    }

    /// The columns that make up the grouping factor, in the order R combines them.
    pub fn group_columns(&self) -> &[String] {
        &self.group_columns
    }

    /// True when the term has a random intercept.
    pub fn has_intercept(&self) -> bool {
        self.lhs.intercept
    }

    /// Labels of the terms with random slopes, in R's order.
    pub fn slope_terms(&self) -> Vec<String> {
        self.lhs.labels()
    }

    /// Byte span of the term in the formula text (for nested groups, of the term written).
    pub fn span(&self) -> Span {
        self.span
    }

    /// The coordinate columns, for a spatial field term.
    pub fn field(&self) -> Option<&FieldCoordinates> {
        self.field.as_ref()
    }
}

impl fmt::Display for RandomSpec {
    /// As R writes a random term: `1 + imd | la`, `0 + imd | la`; a field as
    /// `exp(pos(x, y) + 0 | g)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(c) = &self.field {
            return write!(f, "exp(pos({}, {}) + 0 | {})", c.x, c.y, self.group());
        }
        let mut parts: Vec<String> = vec![if self.lhs.intercept { "1".into() } else { "0".into() }];
        parts.extend(self.lhs.labels());
        write!(f, "{} | {}", parts.join(" + "), self.group())
    }
}

impl Formula {
    /// The formula text as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The response column (for `cbind(s, f)`, the column of successes `s`).
    pub fn response(&self) -> String {
        match &self.response.kind {
            ExprKind::Name { name, .. } => name.clone(),
            ExprKind::Call { args, .. } if self.failures().is_some() => match &args[0].kind {
                ExprKind::Name { name, .. } => name.clone(),
                _ => deparse(&args[0]),
            },
            _ => deparse(&self.response),
        }
    }

    /// For a binomial response `cbind(s, f)`, the expression of the failures `f`.
    pub(crate) fn failures(&self) -> Option<&Expr> {
        match &self.response.kind {
            ExprKind::Call { name, args, .. } if name == "cbind" && args.len() == 2 => Some(&args[1]),
            _ => None,
        }
    }

    /// Whether the response is `cbind(successes, failures)`: successes out of trials.
    pub fn has_trials(&self) -> bool {
        self.failures().is_some()
    }

    /// The response as written: a column name, or `cbind(s, f)`.
    pub fn response_text(&self) -> String {
        deparse(&self.response)
    }

    /// True when the fixed part has an intercept.
    pub fn has_intercept(&self) -> bool {
        self.fixed.intercept
    }

    /// Labels of the fixed-effect terms in R's order (`imd`, `la_imd`, `imd:la_imd`).
    pub fn fixed_terms(&self) -> Vec<String> {
        self.fixed.labels()
    }

    /// The variables of every fixed-effect term in R's order, each term's variables by their R
    /// labels in the order R names the term's columns (`[["imd"], ["la_imd"], ["imd", "la_imd"]]`).
    pub fn fixed_term_variables(&self) -> Vec<Vec<String>> {
        self.fixed
            .terms
            .iter()
            .map(|t| t.iter().filter_map(|&v| self.fixed.variables.get(v)).map(|v| v.label.clone()).collect())
            .collect()
    }

    /// Exposure units per unit of the offset: `offset(log(x))` is per 1 and `offset(log(x / K))`
    /// per `K` (rates per 10,000 are `exp(eta) * 10000 / K`); `None` for any other offset, for
    /// several, and without one.
    pub fn exposure_scale(&self) -> Option<f64> {
        let [offset] = self.offsets.as_slice() else { return None };
        let ExprKind::Call { name, args, .. } = &offset.kind else { return None };
        match (name.as_str(), args.as_slice()) {
            ("log", [arg]) => match &arg.kind {
                ExprKind::Name { .. } => Some(1.0),
                ExprKind::Binary { op: Op::Divide, rhs, .. } => match rhs.kind {
                    ExprKind::Number(k) if k > 0.0 && k.is_finite() => Some(k),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        }
    }

    /// The offset expressions, as R writes them (`log(pop)`); several offsets are added.
    pub fn offsets(&self) -> Vec<String> {
        self.offsets.iter().map(deparse).collect()
    }

    /// The columns each offset is computed from (`offset(log(pop / 10000))`: `["pop"]`), one
    /// list per offset.
    pub fn offset_columns(&self) -> Vec<Vec<String>> {
        self.offsets
            .iter()
            .map(|e| {
                let mut names: Vec<String> = Vec::new();
                walk(e, &mut |x| {
                    if let ExprKind::Name { name, .. } = &x.kind {
                        if !names.contains(name) {
                            names.push(name.clone());
                        }
                    }
                });
                names
            })
            .collect()
    }

    /// The random-effect terms, nested groups expanded as lme4 does (`(1 | la/msoa)` becomes
    /// `(1 | msoa:la)` and `(1 | la)`).
    pub fn random_terms(&self) -> &[RandomSpec] {
        &self.random
    }

    /// Every column the formula uses, in order of first appearance.
    pub fn columns_used(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for r in &self.references {
            if !out.contains(&r.name) {
                out.push(r.name.clone());
            }
        }
        out
    }

    /// The structure of the formula, for the page (serialisable).
    pub fn summary(&self) -> FormulaSummary {
        FormulaSummary {
            response: self.response(),
            intercept: self.has_intercept(),
            fixed_terms: self.fixed_terms(),
            offsets: self.offsets(),
            random_terms: self
                .random
                .iter()
                .map(|r| RandomSummary {
                    group: r.group(),
                    intercept: r.has_intercept(),
                    slopes: r.slope_terms(),
                    text: r.to_string(),
                })
                .collect(),
            columns_used: self.columns_used(),
            r_formula: self.to_string(),
        }
    }
}

/// The structure of a formula as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FormulaSummary {
    pub response: String,
    pub intercept: bool,
    /// Fixed-effect term labels in R's order.
    pub fixed_terms: Vec<String>,
    pub offsets: Vec<String>,
    /// Random-effect terms after nested groups are expanded.
    pub random_terms: Vec<RandomSummary>,
    pub columns_used: Vec<String>,
    /// The formula as R prints it.
    pub r_formula: String,
}

/// One random-effect term as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RandomSummary {
    pub group: String,
    pub intercept: bool,
    pub slopes: Vec<String>,
    /// As R writes it: `1 + imd | la`.
    pub text: String,
}

impl fmt::Display for Formula {
    /// The formula as R would print it, for exporting an R script.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&deparse(&self.expr))
    }
}

/// Parses a formula (syntax and term structure only; columns are checked against the data by
/// [`crate::formula::build_design`]).
pub fn parse(formula: &str) -> Result<Formula, FormulaError> {
    let expr = super::syntax::parse_expr(formula)?;
    let (response, rhs) = match &expr.kind {
        ExprKind::Binary { op: Op::Tilde, lhs, rhs } => {
            check_no_tilde(lhs, formula)?;
            check_no_tilde(rhs, formula)?;
            (lhs.as_ref().clone(), rhs.as_ref())
        }
        ExprKind::Unary { op: Op::Tilde, .. } => {
            return Err(FormulaError::new(
                "the formula needs a response on the left of '~', such as count ~ imd",
                expr.span,
                formula,
            ))
        }
        _ => {
            return Err(FormulaError::new(
                "a model formula needs '~' between the response and the terms, such as count ~ imd",
                expr.span,
                formula,
            ))
        }
    };
    match &response.kind {
        ExprKind::Name { .. } => {}
        ExprKind::Call { name, args, .. } if name == "cbind" => {
            if args.len() != 2 || !matches!(args[0].kind, ExprKind::Name { .. }) {
                return Err(FormulaError::new(
                    "a binomial response is written cbind(successes, failures), with the column of \
                     successes first, such as cbind(rereferrals, referrals - rereferrals)",
                    response.span,
                    formula,
                ));
            }
        }
        _ => {
            return Err(FormulaError::new(
                "the response (left of '~') must be a single column, such as count, or \
                 cbind(successes, failures) for proportions",
                response.span,
                formula,
            ))
        }
    }
    let mut enc = Encoder::new(formula, true);
    let fixed_terms = enc.encode(rhs, true, false)?;
    let offsets = std::mem::take(&mut enc.offsets);
    let random = std::mem::take(&mut enc.random);
    let fixed = enc.finish(fixed_terms);
    let response_label = deparse(&response);
    if let Some(v) = fixed.variables.iter().find(|v| v.label == response_label) {
        return Err(FormulaError::new(
            format!("the response '{response_label}' cannot also be a term on the right of '~'"),
            v.expr.span,
            formula,
        ));
    }

    let mut references = Vec::new();
    collect_refs(&response, response.span, &mut references);
    collect_summand_refs(rhs, &mut references);
    Ok(Formula { source: formula.to_owned(), response, fixed, offsets, random, expr, references })
}

fn check_no_tilde(e: &Expr, src: &str) -> Result<(), FormulaError> {
    let mut found = None;
    walk(e, &mut |x| {
        if found.is_none() {
            if let ExprKind::Binary { op: Op::Tilde, .. } | ExprKind::Unary { op: Op::Tilde, .. } = x.kind {
                found = Some(x.span);
            }
        }
    });
    match found {
        Some(span) => Err(FormulaError::new("a formula can have only one '~'", span, src)),
        None => Ok(()),
    }
}

/// Visits every node of an expression, parents first.
pub(crate) fn walk(e: &Expr, f: &mut impl FnMut(&Expr)) {
    f(e);
    match &e.kind {
        ExprKind::Name { .. } | ExprKind::Number(_) => {}
        ExprKind::Call { args, .. } => args.iter().for_each(|a| walk(a, f)),
        ExprKind::Unary { operand, .. } => walk(operand, f),
        ExprKind::Binary { lhs, rhs, .. } => {
            walk(lhs, f);
            walk(rhs, f);
        }
        ExprKind::Paren(inner) => walk(inner, f),
    }
}

fn collect_refs(e: &Expr, term_span: Span, out: &mut Vec<ColumnRef>) {
    walk(e, &mut |x| {
        if let ExprKind::Name { name, .. } = &x.kind {
            out.push(ColumnRef { name: name.clone(), span: x.span, term_span });
        }
    });
}

/// Collects column references, each with the span of its top-level summand.
fn collect_summand_refs(e: &Expr, out: &mut Vec<ColumnRef>) {
    match &e.kind {
        ExprKind::Binary { op: Op::Plus | Op::Minus, lhs, rhs } => {
            collect_summand_refs(lhs, out);
            collect_summand_refs(rhs, out);
        }
        ExprKind::Unary { op: Op::Plus | Op::Minus, operand } => collect_summand_refs(operand, out),
        _ => collect_refs(e, e.span, out),
    }
}

/// Turns the right side of a formula into terms (R's `EncodeVars`).
struct Encoder<'a> {
    src: &'a str,
    /// True for the main formula (offsets and random terms allowed at the top level).
    main: bool,
    variables: Vec<Variable>,
    /// Span of the first appearance of each term, keyed by the term.
    term_spans: Vec<(Vec<usize>, Span)>,
    intercept: bool,
    offsets: Vec<Expr>,
    random: Vec<RandomSpec>,
}

impl<'a> Encoder<'a> {
    fn new(src: &'a str, main: bool) -> Self {
        Encoder {
            src,
            main,
            variables: Vec::new(),
            term_spans: Vec::new(),
            intercept: true,
            offsets: Vec::new(),
            random: Vec::new(),
        }
    }

    fn err(&self, message: impl Into<String>, span: Span) -> FormulaError {
        FormulaError::new(message, span, self.src)
    }

    /// Orders the terms as R does and packages them.
    ///
    /// For the main formula the variables are then renumbered in order of first appearance in
    /// the ordered terms, as happens when glmmTMB rewrites the fixed formula with `update()`
    /// before building its model matrix: `y ~ b:a + a` becomes `y ~ a + b:a`, whose interaction
    /// is labelled `a:b`. (The left side of a random term is used as written.)
    fn finish(self, mut terms: Vec<Vec<usize>>) -> Terms {
        terms.sort_by_key(Vec::len);
        let spans = terms
            .iter()
            .map(|t| self.term_spans.iter().find(|(k, _)| k == t).map_or(Span::new(0, 0), |(_, s)| *s))
            .collect();
        let (variables, terms) = if self.main {
            let mut order: Vec<usize> = Vec::new();
            for t in &terms {
                for &v in t {
                    if !order.contains(&v) {
                        order.push(v);
                    }
                }
            }
            let renumber = |v: usize| order.iter().position(|&o| o == v).unwrap_or(v);
            let terms = terms
                .iter()
                .map(|t| {
                    let mut t: Vec<usize> = t.iter().map(|&v| renumber(v)).collect();
                    t.sort_unstable();
                    t
                })
                .collect();
            let variables = order.iter().filter_map(|&v| self.variables.get(v).cloned()).collect();
            (variables, terms)
        } else {
            (self.variables, terms)
        };
        Terms { variables, terms, spans, intercept: self.intercept }
    }

    fn note(&mut self, terms: &[Vec<usize>], span: Span) {
        for t in terms {
            if !self.term_spans.iter().any(|(k, _)| k == t) {
                self.term_spans.push((t.clone(), span));
            }
        }
    }

    /// `top` is true for a summand of the top-level sum; `deleting` flips the meaning of `0` and
    /// `1` inside a deletion, as in R.
    fn encode(&mut self, e: &Expr, top: bool, deleting: bool) -> Result<Vec<Vec<usize>>, FormulaError> {
        let out = match &e.kind {
            ExprKind::Number(x) => {
                if *x == 1.0 {
                    self.intercept = !deleting;
                } else if *x == 0.0 {
                    self.intercept = deleting;
                } else {
                    return Err(self.err(
                        "a number on its own can only be 1 (keep the intercept) or 0 (remove it)",
                        e.span,
                    ));
                }
                Vec::new()
            }
            ExprKind::Name { name, .. } => {
                if name == "." {
                    return Err(self
                        .err("'.' (all other columns) is not supported; list the columns by name", e.span));
                }
                vec![vec![self.install(e)]]
            }
            ExprKind::Call { name, name_span, args } => self.encode_call(e, name, *name_span, args, top)?,
            ExprKind::Paren(inner) => self.encode_paren(e, inner, top, deleting)?,
            ExprKind::Unary { op: Op::Plus, operand } => self.encode(operand, top, deleting)?,
            ExprKind::Unary { op: Op::Minus, operand } => {
                self.encode(operand, false, !deleting)?;
                Vec::new()
            }
            ExprKind::Unary { .. } => return Err(self.err("a formula can have only one '~'", e.span)),
            ExprKind::Binary { op, lhs, rhs } => self.encode_binary(e, *op, lhs, rhs, top, deleting)?,
        };
        if out.len() > MAX_TERMS {
            return Err(self.err(format!("the formula expands to more than {MAX_TERMS} terms"), e.span));
        }
        self.note(&out, e.span);
        Ok(out)
    }

    /// A function call: `offset(...)` (only added on its own at the top of the main formula)
    /// or a variable.
    fn encode_call(
        &mut self,
        e: &Expr,
        name: &str,
        name_span: Span,
        args: &[Expr],
        top: bool,
    ) -> Result<Vec<Vec<usize>>, FormulaError> {
        if name == "exp" {
            if let [Expr { kind: ExprKind::Binary { op: Op::Bar, lhs, rhs }, .. }] = args {
                if !(self.main && top) {
                    return Err(self.err(
                        "a spatial field must be added on its own, as in + exp(pos(x, y) + 0 | one)",
                        e.span,
                    ));
                }
                self.field_term(lhs, rhs, e.span)?;
                return Ok(Vec::new());
            }
        }
        self.check_call(name, name_span, args, e.span)?;
        if name != "offset" {
            return Ok(vec![vec![self.install(e)]]);
        }
        if !(self.main && top) {
            return Err(
                self.err("offset() must be added on its own, as in count ~ imd + offset(log(pop))", e.span)
            );
        }
        if let Some(a) = args.first() {
            self.offsets.push(a.clone());
        }
        Ok(Vec::new())
    }

    /// Parentheses: a random-effect term `(lhs | group)` (only added on its own at the top of
    /// the main formula) or a grouping.
    fn encode_paren(
        &mut self,
        e: &Expr,
        inner: &Expr,
        top: bool,
        deleting: bool,
    ) -> Result<Vec<Vec<usize>>, FormulaError> {
        if let ExprKind::Binary { op: Op::Bar, lhs, rhs } = &inner.kind {
            if !(self.main && top) {
                return Err(self.err(
                    if self.main {
                        "a random-effect term must be added on its own, as in + (1 | la)"
                    } else {
                        "random-effect terms cannot be nested inside each other"
                    },
                    e.span,
                ));
            }
            self.random_term(lhs, rhs, e.span)?;
            return Ok(Vec::new());
        }
        if matches!(&inner.kind, ExprKind::Binary { op: Op::Colon | Op::Divide | Op::Times, .. })
            && super::syntax::starts_with_number(inner)
        {
            return Err(self.err(super::syntax::RANDOM_NEEDS_BAR, e.span));
        }
        self.encode(inner, top, deleting)
    }

    /// The formula operators: `+`, `-` (deletion), `:`, `*`, `/` (nesting) and `^` (all
    /// interactions up to an order), as R expands them.
    fn encode_binary(
        &mut self,
        e: &Expr,
        op: Op,
        lhs: &Expr,
        rhs: &Expr,
        top: bool,
        deleting: bool,
    ) -> Result<Vec<Vec<usize>>, FormulaError> {
        Ok(match op {
            Op::Plus => {
                let mut l = self.encode(lhs, top, deleting)?;
                let r = self.encode(rhs, top, deleting)?;
                push_unique(&mut l, r);
                l
            }
            Op::Minus => {
                let l = self.encode(lhs, top, deleting)?;
                let r = self.encode(rhs, false, !deleting)?;
                l.into_iter().filter(|t| !r.contains(t)).collect()
            }
            Op::Colon => {
                let l = self.encode(lhs, false, deleting)?;
                let r = self.encode(rhs, false, deleting)?;
                self.interact(&l, &r, e.span)?
            }
            Op::Times => {
                let mut l = self.encode(lhs, false, deleting)?;
                let r = self.encode(rhs, false, deleting)?;
                let lr = self.interact(&l, &r, e.span)?;
                push_unique(&mut l, r);
                push_unique(&mut l, lr);
                l
            }
            Op::Divide => {
                let mut l = self.encode(lhs, false, deleting)?;
                let r = self.encode(rhs, false, deleting)?;
                let all: Vec<usize> = union_all(&l);
                let nested = r.iter().map(|t| union(&all, t)).collect();
                push_unique(&mut l, nested);
                l
            }
            Op::Power => {
                let n = match rhs.kind {
                    ExprKind::Number(x) if x >= 1.0 && x.fract() == 0.0 && x <= 16.0 => x as usize,
                    _ => {
                        return Err(self.err(
                            "'^' in a formula means 'all interactions up to order n' and needs a \
                             whole number n from 1 to 16, as in (a + b + c)^2; write I(x^2) for a square",
                            rhs.span,
                        ))
                    }
                };
                let base = self.encode(lhs, false, deleting)?;
                let mut acc = base.clone();
                for _ in 1..n {
                    let cross = self.interact(&acc, &base, e.span)?;
                    push_unique(&mut acc, cross);
                }
                acc
            }
            Op::Bar => {
                return Err(self.err("a random-effect term must be in parentheses, as in (1 | la)", e.span))
            }
            Op::Tilde => return Err(self.err("a formula can have only one '~'", e.span)),
        })
    }

    /// [`interact`], refusing products that would exceed [`MAX_TERMS`].
    fn interact(
        &self,
        l: &[Vec<usize>],
        r: &[Vec<usize>],
        span: Span,
    ) -> Result<Vec<Vec<usize>>, FormulaError> {
        if l.len().saturating_mul(r.len()) > MAX_TERMS {
            return Err(self.err(format!("the formula expands to more than {MAX_TERMS} terms"), span));
        }
        Ok(interact(l, r))
    }

    /// The index of a variable, adding it on first appearance.
    fn install(&mut self, e: &Expr) -> usize {
        let label = deparse(e);
        if let Some(i) = self.variables.iter().position(|v| v.label == label) {
            return i;
        }
        self.variables.push(Variable { label, expr: e.clone() });
        self.variables.len() - 1
    }

    /// Checks a function call: a known function with the right number of arguments, arguments
    /// that are arithmetic expressions, and grouping arguments that are columns.
    fn check_call(&self, name: &str, name_span: Span, args: &[Expr], span: Span) -> Result<(), FormulaError> {
        check_call(self.src, name, name_span, args, span)
    }

    fn random_term(&mut self, lhs: &Expr, rhs: &Expr, span: Span) -> Result<(), FormulaError> {
        let mut enc = Encoder::new(self.src, false);
        let terms = enc.encode(lhs, true, false)?;
        let lhs_terms = enc.finish(terms);
        for group in expand_slash(rhs, self.src)? {
            let mut group_columns = Vec::new();
            group_names(&group, &mut group_columns);
            self.random.push(RandomSpec { lhs: lhs_terms.clone(), group, group_columns, span, field: None });
        }
        Ok(())
    }

    /// A spatial field `exp(pos(x, y) + 0 | g)` (glmmTMB's `exp(pos + 0 | g)` with
    /// `pos <- numFactor(x, y)`): `x` and `y` coordinate columns, `g` a grouping column or `:`
    /// interaction of columns (one independent field per level).
    fn field_term(&mut self, lhs: &Expr, rhs: &Expr, span: Span) -> Result<(), FormulaError> {
        const USAGE: &str = "a spatial field is written exp(pos(x, y) + 0 | g), with x and y the coordinate \
                             columns and g a grouping column (a column with one value gives one field)";
        let mut lhs = lhs;
        while let ExprKind::Paren(inner) = &lhs.kind {
            lhs = inner;
        }
        let pos = match &lhs.kind {
            ExprKind::Binary { op: Op::Plus, lhs: a, rhs: b } => match (&a.kind, &b.kind) {
                (_, ExprKind::Number(z)) if *z == 0.0 => a.as_ref().clone(),
                (ExprKind::Number(z), _) if *z == 0.0 => b.as_ref().clone(),
                _ => return Err(self.err(USAGE, lhs.span)),
            },
            _ => return Err(self.err(USAGE, lhs.span)),
        };
        let (x, y) = match &pos.kind {
            ExprKind::Call { name, args, .. } if name == "pos" => match args.as_slice() {
                [a, b] => match (&a.kind, &b.kind) {
                    (ExprKind::Name { name: x, .. }, ExprKind::Name { name: y, .. })
                        if x != "." && y != "." =>
                    {
                        (x.clone(), y.clone())
                    }
                    _ => return Err(self.err(
                        "the coordinates of pos(x, y) must be two column names, as in pos(easting, northing)",
                        pos.span,
                    )),
                },
                _ => {
                    return Err(self.err(
                        "pos() takes the two coordinate columns, as in pos(easting, northing)",
                        pos.span,
                    ))
                }
            },
            _ => return Err(self.err(USAGE, pos.span)),
        };
        if x == y {
            return Err(self.err(
                format!("pos({x}, {y}) names the same column twice; a field needs two coordinate columns"),
                pos.span,
            ));
        }
        let groups = expand_slash(rhs, self.src)?;
        let [group] = groups.as_slice() else {
            return Err(self.err(
                "a spatial field's group cannot be nested with '/'; use one column, or columns joined by ':'",
                rhs.span,
            ));
        };
        let mut group_columns = Vec::new();
        group_names(group, &mut group_columns);
        let lhs_terms =
            Terms { variables: Vec::new(), terms: Vec::new(), spans: Vec::new(), intercept: false };
        self.random.push(RandomSpec {
            lhs: lhs_terms,
            group: group.clone(),
            group_columns,
            span,
            field: Some(FieldCoordinates { x, y }),
        });
        Ok(())
    }
}

/// Validates a call and, recursively, its arguments.
pub(crate) fn check_call(
    src: &str,
    name: &str,
    name_span: Span,
    args: &[Expr],
    span: Span,
) -> Result<(), FormulaError> {
    let Some(&(_, arity)) = FUNCTIONS.iter().find(|(n, _)| *n == name) else {
        let known: Vec<&str> = FUNCTIONS.iter().map(|(n, _)| *n).collect();
        return Err(FormulaError::new(
            format!("unknown function '{name}'; the formula language knows {}", known.join(", ")),
            name_span,
            src,
        ));
    };
    if args.len() != arity {
        let usage = match name {
            "within" | "between" => format!("{name}(x, group)"),
            _ => format!("{name}(x)"),
        };
        return Err(FormulaError::new(
            format!("{name}() takes {arity} argument{}, as in {usage}", if arity == 1 { "" } else { "s" }),
            span,
            src,
        ));
    }
    match name {
        "within" | "between" | "factor" | "as.factor" => {
            for (i, a) in args.iter().enumerate() {
                let is_col = matches!(a.kind, ExprKind::Name { .. });
                let must_be_col = name.starts_with('f') || name.starts_with('a') || i == 1;
                if must_be_col && !is_col {
                    return Err(FormulaError::new(
                        format!(
                            "the {} of {name}() must be a column name",
                            if i == 1 { "group" } else { "argument" }
                        ),
                        a.span,
                        src,
                    ));
                }
                check_arithmetic(src, a)?;
            }
        }
        _ => {
            for a in args {
                check_arithmetic(src, a)?;
            }
        }
    }
    Ok(())
}

/// Checks that an expression inside a function is arithmetic: numbers, columns, `+ - * / ^`
/// and numeric functions.
fn check_arithmetic(src: &str, e: &Expr) -> Result<(), FormulaError> {
    match &e.kind {
        ExprKind::Name { name, .. } if name == "." => {
            Err(FormulaError::new("'.' is not a column name", e.span, src))
        }
        ExprKind::Name { .. } | ExprKind::Number(_) => Ok(()),
        ExprKind::Paren(inner) => check_arithmetic(src, inner),
        ExprKind::Unary { op: Op::Plus | Op::Minus, operand } => check_arithmetic(src, operand),
        ExprKind::Binary { op: Op::Plus | Op::Minus | Op::Times | Op::Divide | Op::Power, lhs, rhs } => {
            check_arithmetic(src, lhs)?;
            check_arithmetic(src, rhs)
        }
        ExprKind::Call { name, name_span, args } => {
            if matches!(name.as_str(), "offset" | "within" | "between" | "factor" | "as.factor" | "scale") {
                return Err(FormulaError::new(
                    format!("{name}() cannot be used inside another function"),
                    e.span,
                    src,
                ));
            }
            check_call(src, name, *name_span, args, e.span)
        }
        ExprKind::Unary { op, .. } | ExprKind::Binary { op, .. } => Err(FormulaError::new(
            format!("'{}' cannot be used inside a function; only + - * / ^ can", op.symbol()),
            e.span,
            src,
        )),
    }
}

/// Expands nested grouping `a/b/c` into `c:(b:a)`, `b:a`, `a` as lme4's `expandSlash` does;
/// checks that groups are built from columns with `:`.
fn expand_slash(g: &Expr, src: &str) -> Result<Vec<Expr>, FormulaError> {
    Ok(make_interaction(slash_terms(g, src)?))
}

enum Slash {
    Leaf(Expr),
    Nest(Box<Slash>, Box<Slash>),
}

fn slash_terms(g: &Expr, src: &str) -> Result<Slash, FormulaError> {
    match &g.kind {
        ExprKind::Binary { op: Op::Divide, lhs, rhs } => {
            Ok(Slash::Nest(Box::new(slash_terms(lhs, src)?), Box::new(slash_terms(rhs, src)?)))
        }
        _ => {
            check_group(g, src)?;
            Ok(Slash::Leaf(g.clone()))
        }
    }
}

/// lme4's `makeInteraction`: for `x/y` the list `y:x0, <expansion of x>` where `x0` is the first
/// element of the expansion of `x`.
fn make_interaction(s: Slash) -> Vec<Expr> {
    match s {
        Slash::Leaf(e) => vec![e],
        Slash::Nest(outer, inner) => {
            let outer = make_interaction(*outer);
            let inner = make_interaction(*inner);
            let Some(first) = outer.first().cloned() else { return inner };
            let mut out: Vec<Expr> = inner
                .into_iter()
                .map(|i| {
                    let span = i.span.join(first.span);
                    Expr {
                        kind: ExprKind::Binary {
                            op: Op::Colon,
                            lhs: Box::new(i),
                            rhs: Box::new(first.clone()),
                        },
                        span,
                    }
                })
                .collect();
            out.extend(outer);
            out
        }
    }
}

fn check_group(g: &Expr, src: &str) -> Result<(), FormulaError> {
    match &g.kind {
        ExprKind::Name { name, .. } if name != "." => Ok(()),
        ExprKind::Binary { op: Op::Colon, lhs, rhs } => {
            check_group(lhs, src)?;
            check_group(rhs, src)
        }
        ExprKind::Paren(inner) => check_group(inner, src),
        _ => Err(FormulaError::new(
            "the grouping part of a random-effect term (right of '|') must be a column, or columns \
             joined by ':' or '/', as in (1 | la) or (1 | la/msoa)",
            g.span,
            src,
        )),
    }
}

fn group_names(g: &Expr, out: &mut Vec<String>) {
    walk(g, &mut |x| {
        if let ExprKind::Name { name, .. } = &x.kind {
            out.push(name.clone());
        }
    });
}

fn union(a: &[usize], b: &[usize]) -> Vec<usize> {
    let mut u: Vec<usize> = a.iter().chain(b).copied().collect();
    u.sort_unstable();
    u.dedup();
    u
}

fn union_all(terms: &[Vec<usize>]) -> Vec<usize> {
    terms.iter().fold(Vec::new(), |acc, t| union(&acc, t))
}

fn interact(l: &[Vec<usize>], r: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    for a in l {
        for b in r {
            let u = union(a, b);
            if !out.contains(&u) {
                out.push(u);
            }
        }
    }
    out
}

fn push_unique(into: &mut Vec<Vec<usize>>, more: Vec<Vec<usize>>) {
    for t in more {
        if !into.contains(&t) {
            into.push(t);
        }
    }
}
