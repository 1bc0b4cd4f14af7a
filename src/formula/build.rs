//! Building a [`Design`] from a formula and a data frame.
//!
//! Rows with a missing cell in any column the formula uses (response, terms, offsets, random
//! slopes, grouping columns) are dropped first, as R's `na.omit` does; transformations that
//! summarise a column (`scale`, `within`, `between`) are computed before that, on every row
//! where their argument is present (see the `eval` module). A row whose group is missing is
//! dropped even when the group appears only inside `within()`/`between()`.
//!
//! Text columns and `factor(x)` are factors with treatment contrasts. Their levels are the
//! values present in the rows used, sorted by byte order (R's order under the C locale; in
//! other locales R may sort mixed-case or accented labels differently), or by value for
//! `factor()` of a number column; the first level is the reference. See the `model_matrix`
//! module for R's rules on which columns a term produces.

use super::error::{DesignError, FormulaError, Problem, Span};
use super::eval::{explain, interaction, Evaluator, Factor, GroupMeans, Levelled, Scaling, Value};
use super::model_matrix::{column_count, model_matrix, Kept};
use super::syntax::{Expr, ExprKind};
use super::terms::{Formula, RandomSpec, Terms};
use super::ROW_PROBLEM_CAP;

/// The most columns a model matrix may have.
const MAX_COLUMNS: usize = 1000;
/// The most cells (rows times columns) a model matrix may have: 800 MB of numbers.
const MAX_CELLS: usize = 100_000_000;
/// The most columns of one random-effect term (its intercept, slopes and a factor slope's
/// contrasts): a term with `q` columns has `q (q + 1) / 2` variance and correlation parameters
/// and a dense `q x q` block per level, so the work grows as `q^3` per level and iteration and
/// the parameters' Hessian as `q^4`.
pub const MAX_RANDOM_COLUMNS: usize = 8;
/// The most variance and correlation parameters of all random terms together.
pub const MAX_VARIANCE_PARAMETERS: usize = 45;
use crate::data::cells::{first_text, shorten};
use crate::data::{Column, DataFrame, TextColumn};
use crate::design::{Design, ModelColumn, RandomTerm};
use serde::Serialize;

/// The levels of a factor in the fixed part, the first being the reference level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactorInfo {
    pub term: String,
    pub levels: Vec<String>,
}

/// How many cells of a used column are missing (each such row was dropped; a row may be
/// counted under several columns).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissingCount {
    pub column: String,
    pub rows: usize,
}

/// What a report needs to translate a fitted model back to raw units.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct DesignInfo {
    pub scalings: Vec<Scaling>,
    pub group_means: Vec<GroupMeans>,
    pub factors: Vec<FactorInfo>,
    pub missing: Vec<MissingCount>,
}

/// Evaluates `formula` on `df`: see [`build_design_with_info`].
pub fn build_design(df: &DataFrame, formula: &Formula) -> Result<Design, DesignError> {
    build_design_with_info(df, formula).map(|(design, _)| design)
}

/// Evaluates `formula` on `df`, returning the design and what was computed on the way.
///
/// Errors, in this order of precedence: a term that does not fit the data
/// ([`DesignError::Term`]: unknown column, text where numbers are needed, a factor with one
/// level, `scale()` of a constant); rows with invalid values ([`DesignError::Rows`]: a
/// response that is negative or not whole, an offset or covariate that is not finite); the
/// data as a whole ([`DesignError::Data`]: no rows left, a response of all zeros, a grouping
/// factor with one level, a model-matrix column of zeros, more parameters than rows).
pub fn build_design_with_info(
    df: &DataFrame,
    formula: &Formula,
) -> Result<(Design, DesignInfo), DesignError> {
    let out = run(df, formula, true, ROW_PROBLEM_CAP);
    if let Some(e) = out.term_errors.into_iter().next() {
        return Err(DesignError::Term(e));
    }
    if out.row_total > 0 {
        return Err(DesignError::Rows { problems: out.row_problems, total: out.row_total });
    }
    if !out.data_problems.is_empty() {
        let message = out.data_problems.iter().map(|p| p.message.as_str()).collect::<Vec<_>>().join("\n");
        return Err(DesignError::Data { message });
    }
    out.built.ok_or_else(|| DesignError::Data { message: "the model could not be built".to_owned() })
}

/// Everything found while building: problems of each kind and, when there were none, the design.
pub(crate) struct Outcome {
    pub term_errors: Vec<FormulaError>,
    /// Row problems in row order, at most the cap.
    pub row_problems: Vec<Problem>,
    pub row_total: usize,
    pub data_problems: Vec<Problem>,
    pub rows_dropped: usize,
    pub built: Option<(Design, DesignInfo)>,
}

/// Row checks: each check keeps its first `cap` problems and counts the rest.
struct RowChecks {
    cap: usize,
    problems: Vec<Problem>,
    total: usize,
}

impl RowChecks {
    fn check(&mut self, rows: &[usize], mut test: impl FnMut(usize) -> Option<Problem>) {
        let mut listed = 0;
        for &i in rows {
            if let Some(p) = test(i) {
                self.total += 1;
                if listed < self.cap {
                    self.problems.push(p);
                    listed += 1;
                }
            }
        }
    }
}

/// Runs every stage, stopping where the problems found make the next stage meaningless (or,
/// with `fail_fast`, at the first stage with problems). `cap` bounds the row problems listed.
pub(crate) fn run(df: &DataFrame, formula: &Formula, fail_fast: bool, cap: usize) -> Outcome {
    let mut out = Outcome {
        term_errors: Vec::new(),
        row_problems: Vec::new(),
        row_total: 0,
        data_problems: Vec::new(),
        rows_dropped: 0,
        built: None,
    };
    let Some(y_all) = response_and_columns(df, formula, &mut out) else { return out };
    let y_all = &y_all;
    let mut info = DesignInfo::default();
    let Some(kept) = rows_kept(df, formula, &mut info, &mut out) else { return out };
    let parts = evaluate(df, formula, y_all, &kept, &mut info, cap, &mut out);
    if !out.term_errors.is_empty() || (fail_fast && out.row_total > 0) {
        return out;
    }
    out.built = assemble(formula, parts, &kept, info, &mut out);
    out
}

/// A text column whose cells are all `TRUE`/`FALSE` (or `T`/`F`, any case; blanks missing)
/// as 1/0, as R reads a logical response.
fn logical_values(t: &TextColumn) -> Option<Vec<f64>> {
    (0..t.len())
        .map(|i| match t.get(i).map(|v| v.trim().to_ascii_uppercase()) {
            None => Some(f64::NAN),
            Some(v) if v == "TRUE" || v == "T" => Some(1.0),
            Some(v) if v == "FALSE" || v == "F" => Some(0.0),
            Some(_) => None,
        })
        .collect()
}

/// Stage 1: every column exists, and the response holds numbers (or TRUE/FALSE, read as 1/0);
/// the response's values.
fn response_and_columns(df: &DataFrame, formula: &Formula, out: &mut Outcome) -> Option<Vec<f64>> {
    let src = formula.source();
    for r in &formula.references {
        if df.column(&r.name).is_none() && !out.term_errors.iter().any(|e| e.span == r.span) {
            out.term_errors.push(unknown_column(df, src, &r.name, r.span, r.term_span));
        }
    }
    let yname = formula.response();
    let y_all = match df.column(&yname) {
        Some(Column::Numeric(v)) => Some(v.clone()),
        Some(Column::Text(t)) if logical_values(t).is_some() => logical_values(t),
        Some(Column::Text(t)) => {
            let example = first_text(t)
                .map_or(String::new(), |(row, l)| format!(" (such as '{}' in row {row})", shorten(l)));
            out.term_errors.push(FormulaError::new(
                format!(
                    "the response column '{yname}' holds text in most of its cells{example}; it must hold counts \
                     (whole numbers of 0 or more): correct the cells, or choose the column of counts"
                ),
                formula.response.span,
                src,
            ));
            None
        }
        None => None,
    };
    y_all.filter(|_| out.term_errors.is_empty())
}

/// Stage 2: the rows without a missing cell in a used column (R's `na.omit`), with the missing
/// cells counted per column; `None` when no row is left.
fn rows_kept(
    df: &DataFrame,
    formula: &Formula,
    info: &mut DesignInfo,
    out: &mut Outcome,
) -> Option<Vec<usize>> {
    let n_all = df.nrows();
    let mut keep = vec![true; n_all];
    for name in formula.columns_used() {
        let Some(col) = df.column(&name) else { continue };
        let mut rows = 0;
        for (i, k) in keep.iter_mut().enumerate() {
            if col.is_missing(i) {
                rows += 1;
                *k = false;
            }
        }
        if rows > 0 {
            info.missing.push(MissingCount { column: name, rows });
        }
    }
    let kept: Vec<usize> = keep.iter().enumerate().filter(|(_, &k)| k).map(|(i, _)| i).collect();
    out.rows_dropped = n_all - kept.len();
    if kept.is_empty() {
        let detail: Vec<String> =
            info.missing.iter().map(|m| format!("{} in {} rows", m.column, m.rows)).collect();
        out.data_problems.push(data_problem(format!(
            "no rows are left: every one of the {n_all} rows has a missing value in a column the model uses ({})",
            detail.join(", ")
        )));
        return None;
    }
    Some(kept)
}

/// Every part of a model evaluated on the kept rows.
struct Evaluated<'f> {
    y: Vec<f64>,
    /// Binomial trials (`s + f` of `cbind(s, f)`).
    trials: Option<Vec<f64>>,
    offset: Vec<f64>,
    /// The fixed part's variables (`None` when one failed).
    fixed: Option<Vec<Kept>>,
    /// Per random term: its variables, its grouping factor and, for a spatial field, the
    /// coordinates of the kept rows (`None` when they could not be read).
    random: Vec<RandomPart<'f>>,
}

/// A random term evaluated on the kept rows.
struct RandomPart<'f> {
    spec: &'f RandomSpec,
    lhs: Option<Vec<Kept>>,
    group: Levelled,
    coordinates: Option<(Vec<f64>, Vec<f64>)>,
}

/// Stage 3: the response, offsets, variables and grouping factors on the kept rows, with the
/// problems of single rows (at most `cap` listed) and of single terms.
fn evaluate<'f>(
    df: &DataFrame,
    formula: &'f Formula,
    y_all: &[f64],
    kept: &[usize],
    info: &mut DesignInfo,
    cap: usize,
    out: &mut Outcome,
) -> Evaluated<'f> {
    let src = formula.source();
    let yname = formula.response();
    let mut ev = Evaluator::new(df, src);
    let mut checks = RowChecks { cap, problems: Vec::new(), total: 0 };
    let y: Vec<f64> = kept.iter().map(|&i| y_all.get(i).copied().unwrap_or(f64::NAN)).collect();
    let binomial = formula.has_trials();
    let whole = if binomial {
        "successes must be whole numbers of 0 or more"
    } else {
        "counts must be whole numbers of 0 or more"
    };
    checks.check(kept, |i| {
        let v = y_all.get(i).copied().unwrap_or(0.0);
        (v < 0.0 || v.fract() != 0.0).then(|| Problem {
            row: Some(i + 1),
            column: Some(yname.clone()),
            span: Some(formula.response.span),
            message: format!("row {}: {yname} is {}; {whole}", i + 1, super::deparse::r_number(v)),
        })
    });
    let mut trials = None;
    if let Some(failures) = formula.failures() {
        match ev.numeric(failures, formula.response.span) {
            Ok(f) => {
                let label = super::deparse::deparse(failures);
                checks.check(kept, |i| {
                    let v = f.get(i).copied().unwrap_or(f64::NAN);
                    (!v.is_finite() || v < 0.0 || v.fract() != 0.0).then(|| Problem {
                        row: Some(i + 1),
                        column: super::eval::explain(failures, df, i)
                            .and_then(|r| r.column)
                            .or_else(|| first_column(failures)),
                        span: Some(failures.span),
                        message: format!(
                            "row {}: the failures {label} are {}; failures must be whole numbers of 0 or more \
                             (in cbind(successes, failures) the second column counts the failures, not the trials)",
                            i + 1,
                            super::deparse::r_number(v)
                        ),
                    })
                });
                trials = Some(
                    kept.iter()
                        .zip(&y)
                        .map(|(&i, &s)| s + f.get(i).copied().unwrap_or(f64::NAN))
                        .collect::<Vec<f64>>(),
                );
            }
            Err(err) => out.term_errors.push(err),
        }
    }
    let mut offset = vec![0.0; kept.len()];
    for e in &formula.offsets {
        match ev.numeric(e, e.span) {
            Ok(v) => {
                checks.check(kept, |i| invalid_value(df, e, &v, i, Role::Offset));
                for (o, &i) in offset.iter_mut().zip(kept) {
                    *o += v.get(i).copied().unwrap_or(f64::NAN);
                }
            }
            Err(err) => out.term_errors.push(err),
        }
    }
    let fixed = kept_variables(&mut ev, &formula.fixed, kept, &mut checks, &mut out.term_errors, Some(info));
    let mut random = Vec::new();
    for spec in &formula.random {
        let lhs = kept_variables(&mut ev, &spec.lhs, kept, &mut checks, &mut out.term_errors, None);
        let group = grouping_factor(&ev, spec, kept, out);
        let coordinates = spec.field().and_then(|columns| {
            let mut record = |p: Problem| checks.check(&[p.row.unwrap_or(1) - 1], |_| Some(p.clone()));
            match super::field::coordinates(df, src, spec, columns, kept, &mut record) {
                Ok(c) => Some(c),
                Err(e) => {
                    out.term_errors.push(e);
                    None
                }
            }
        });
        random.push(RandomPart { spec, lhs, group, coordinates });
    }
    info.scalings = std::mem::take(&mut ev.scalings);
    info.group_means = std::mem::take(&mut ev.group_means);
    checks.problems.sort_by_key(|p| p.row);
    checks.problems.truncate(cap);
    out.row_problems = checks.problems;
    out.row_total = checks.total;
    Evaluated { y, trials, offset, fixed, random }
}

/// The grouping factor of a random term on the kept rows; one level is a data problem.
fn grouping_factor(ev: &Evaluator<'_>, spec: &RandomSpec, kept: &[usize], out: &mut Outcome) -> Levelled {
    let mut factors: Vec<Levelled> = Vec::new();
    for name in &spec.group_columns {
        match ev.group_factor(name, spec.span, spec.span) {
            Ok(f) => factors.push(f.levelled(kept)),
            Err(e) => out.term_errors.push(e),
        }
    }
    let group = interaction(&factors);
    if group.levels.len() < 2 && spec.field().is_none() {
        let only = group.levels.first().map_or(String::new(), |l| format!(" ('{l}')"));
        out.data_problems.push(Problem {
            row: None,
            column: Some(spec.group()),
            span: Some(spec.span),
            message: format!(
                "the grouping factor '{}' has only one level{only} in the rows used; a random effect needs at least 2 groups",
                spec.group()
            ),
        });
    }
    group
}

/// Stage 4: the model matrices, with the checks on the data as a whole (no count above 0, a
/// column of zeros, a model too large or with more parameters than rows); the design when
/// there is no problem.
fn assemble(
    formula: &Formula,
    parts: Evaluated<'_>,
    kept: &[usize],
    info: DesignInfo,
    out: &mut Outcome,
) -> Option<(Design, DesignInfo)> {
    let Evaluated { y, trials, offset, fixed, random: random_parts } = parts;
    let fixed_vars = fixed?;
    let n = kept.len();
    response_problems(formula, &y, trials.as_deref(), out);
    let p = column_count(&formula.fixed, &fixed_vars);
    if p > MAX_COLUMNS || p.saturating_mul(n) > MAX_CELLS {
        let widest = formula
            .fixed
            .variables
            .iter()
            .zip(&fixed_vars)
            .filter_map(|(v, kept)| match kept {
                Kept::Factor(l) => Some((l.levels.len(), &v.label)),
                Kept::Numeric(_) => None,
            })
            .max_by_key(|(levels, _)| *levels);
        let cause = widest.map_or(String::new(), |(levels, label)| {
            format!(
                " ('{label}' is a text column with {levels} different values, each a column of its own: if it \
                 should hold numbers, check its cells)"
            )
        });
        out.data_problems.push(data_problem(format!(
            "the fixed part of the model would have {p} columns for {n} rows, which is too large{cause}; \
             a factor with many levels (such as an area code) belongs in a random effect, as in (1 | la)"
        )));
        return None;
    }
    let (x_columns, x) = model_matrix(&formula.fixed, &fixed_vars, n);
    let x_names: Vec<String> = x_columns.iter().map(ModelColumn::name).collect();
    for (j, name) in x_names.iter().enumerate() {
        if x.column(j).iter().all(|&v| v == 0.0) {
            out.data_problems.push(data_problem(format!(
                "the model column '{name}' is 0 in every row used (no row has that combination), so its \
                 coefficient cannot be estimated; remove or merge the terms involved"
            )));
        }
    }
    let (random, variance_params) = random_terms(random_parts, n, out)?;
    let params = x_names.len() + variance_params;
    if params > n {
        out.data_problems.push(data_problem(format!(
            "the model has {params} parameters ({} fixed effects and {variance_params} variance parameters) \
             but only {n} rows are used; simplify the model or use more rows",
            x_names.len()
        )));
    }
    if !out.data_problems.is_empty() {
        return None;
    }
    let rows = kept.iter().map(|&i| i + 1).collect();
    let design =
        Design { y, trials, offset, x, x_names, x_columns, random, rows, dropped_missing: out.rows_dropped };
    Some((design, info))
}

/// The response's checks on the rows used: some counts above 0 (some successes), and for a
/// binomial response some failures.
fn response_problems(formula: &Formula, y: &[f64], trials: Option<&[f64]>, out: &mut Outcome) {
    let yname = formula.response();
    if y.iter().all(|&v| v == 0.0) {
        let needs = if trials.is_some() {
            "a binomial model needs some successes"
        } else {
            "a count model needs some counts above 0"
        };
        out.data_problems.push(Problem {
            row: None,
            column: Some(yname.clone()),
            span: Some(formula.response.span),
            message: format!("{yname} is 0 in every row used; {needs}"),
        });
    }
    if let Some(n) = trials {
        if y.iter().zip(n).all(|(&s, &n)| s == n) {
            out.data_problems.push(Problem {
                row: None,
                column: formula.failures().and_then(first_column),
                span: Some(formula.response.span),
                message:
                    "there is no failure in any row used (every trial is a success), so the odds cannot be \
                          estimated"
                        .to_owned(),
            });
        }
    }
}

/// The random-effect terms' model matrices on the `n` rows used, and how many variance and
/// correlation parameters they have (2 for a spatial field: its SD and range; k(k+1)/2 for k
/// correlated columns); `None` when a term is too large or did not evaluate.
fn random_terms(parts: Vec<RandomPart<'_>>, n: usize, out: &mut Outcome) -> Option<(Vec<RandomTerm>, usize)> {
    let mut random = Vec::new();
    let mut variance_params = 0;
    for RandomPart { spec, lhs, group, coordinates } in parts {
        if let Some(columns) = spec.field() {
            let (x, y) = coordinates?;
            variance_params += 2;
            let (index, levels, field) = super::field::locations(columns, group, &x, &y);
            random.push(RandomTerm {
                group: spec.group(),
                terms: vec![format!("exp(pos({}, {}))", columns.x, columns.y)],
                z: nalgebra::DMatrix::from_element(n, 1, 1.0),
                index,
                levels,
                field: Some(field),
            });
            continue;
        }
        let lhs = lhs?;
        let k = column_count(&spec.lhs, &lhs);
        if k > MAX_RANDOM_COLUMNS {
            out.data_problems.push(data_problem(random_term_too_large(spec, &lhs, k)));
            return None;
        }
        variance_params += k * (k + 1) / 2;
        if variance_params > MAX_VARIANCE_PARAMETERS {
            out.data_problems.push(data_problem(format!(
                "the random-effect terms have {variance_params} variance and correlation parameters up to \
                 ({spec}); the engine fits at most {MAX_VARIANCE_PARAMETERS}: use fewer random slopes, or \
                 uncorrelated terms such as (1 | la) + (0 + x | la)"
            )));
            return None;
        }
        let (columns, z) = model_matrix(&spec.lhs, &lhs, n);
        let terms: Vec<String> = columns.iter().map(ModelColumn::name).collect();
        random.push(RandomTerm {
            group: spec.group(),
            terms,
            z,
            index: group.index,
            levels: group.levels,
            field: None,
        });
    }
    Some((random, variance_params))
}

/// Why a random term with `k` columns is refused: what the columns are (a factor slope has one
/// per level after the first) and what they cost.
fn random_term_too_large(spec: &RandomSpec, lhs: &[Kept], k: usize) -> String {
    let factors: Vec<String> = spec
        .lhs
        .variables
        .iter()
        .zip(lhs)
        .filter_map(|(v, kept)| match kept {
            Kept::Factor(l) => Some(format!("'{}' is a factor with {} levels", v.label, l.levels.len())),
            Kept::Numeric(_) => None,
        })
        .collect();
    let why = if factors.is_empty() {
        String::new()
    } else {
        format!(" ({}: a factor slope has a column per level after the first)", factors.join(", "))
    };
    format!(
        "the random-effect term ({spec}) would have {k} columns per level of '{}'{why}, so {} variance and \
         correlation parameters; the engine fits at most {MAX_RANDOM_COLUMNS} columns per random term ({} \
         parameters), as the work grows with the cube of the columns: use fewer slopes, or a numeric \
         slope instead of a factor",
        spec.group(),
        k * (k + 1) / 2,
        MAX_RANDOM_COLUMNS * (MAX_RANDOM_COLUMNS + 1) / 2,
    )
}

fn data_problem(message: String) -> Problem {
    Problem { row: None, column: None, span: None, message }
}

/// Evaluates the variables of `terms` and keeps the rows used; `None` when a term failed.
fn kept_variables(
    ev: &mut Evaluator<'_>,
    terms: &Terms,
    kept: &[usize],
    checks: &mut RowChecks,
    errors: &mut Vec<FormulaError>,
    mut info: Option<&mut DesignInfo>,
) -> Option<Vec<Kept>> {
    let mut vars = Vec::with_capacity(terms.variables.len());
    let mut ok = true;
    for var in &terms.variables {
        match ev.variable(&var.expr) {
            Ok(Value::Numeric(v)) => {
                checks.check(kept, |i| invalid_value(ev.df, &var.expr, &v, i, Role::Term));
                vars.push(Kept::Numeric(
                    kept.iter().map(|&i| v.get(i).copied().unwrap_or(f64::NAN)).collect(),
                ));
            }
            Ok(Value::Factor(f)) => match levelled_factor(&f, kept, &var.label, var.expr.span, ev.src) {
                Ok(l) => {
                    if let Some(info) = info.as_deref_mut() {
                        info.factors.push(FactorInfo { term: var.label.clone(), levels: l.levels.clone() });
                    }
                    vars.push(Kept::Factor(l));
                }
                Err(e) => {
                    errors.push(e);
                    ok = false;
                }
            },
            Err(e) => {
                errors.push(e);
                ok = false;
            }
        }
    }
    ok.then_some(vars)
}

fn levelled_factor(
    f: &Factor,
    kept: &[usize],
    label: &str,
    span: Span,
    src: &str,
) -> Result<Levelled, FormulaError> {
    let l = f.levelled(kept);
    if l.levels.len() < 2 {
        let only = l.levels.first().map_or(String::new(), |v| format!(" ('{v}')"));
        return Err(FormulaError::new(
            format!("'{label}' has only one value{only} in the rows used; a factor needs at least 2 levels to compare"),
            span,
            src,
        ));
    }
    Ok(l)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Offset,
    Term,
}

/// A problem when the value of `e` in row `i` (0-based) is not finite.
fn invalid_value(df: &DataFrame, e: &Expr, values: &[f64], i: usize, role: Role) -> Option<Problem> {
    let v = values.get(i).copied().unwrap_or(f64::NAN);
    if v.is_finite() {
        return None;
    }
    let label = super::deparse::deparse(e);
    let reason = explain(e, df, i);
    let because = reason.as_ref().map_or(String::new(), |r| format!(" because {}", r.text));
    let hint = match (&reason, role) {
        (Some(r), Role::Offset) if r.log_domain => "; child population must be positive",
        (Some(r), Role::Term) if r.log_domain => "; a logarithm needs values above 0",
        (Some(r), _) if r.sqrt_domain => "; a square root needs values of 0 or more",
        _ => "",
    };
    let what = if role == Role::Offset { format!("offset {label}") } else { label };
    let column = reason.as_ref().and_then(|r| r.column.clone()).or_else(|| first_column(e));
    Some(Problem {
        row: Some(i + 1),
        column,
        span: Some(e.span),
        message: format!("row {}: {what} is not finite{because}{hint}", i + 1),
    })
}

fn first_column(e: &Expr) -> Option<String> {
    let mut found = None;
    super::terms::walk(e, &mut |x| {
        if let (None, ExprKind::Name { name, .. }) = (&found, &x.kind) {
            found = Some(name.clone());
        }
    });
    found
}

/// "unknown column 'imd_scor' in term 'imd_scor:la_imd' (did you mean 'imd_score'?)".
fn unknown_column(df: &DataFrame, src: &str, name: &str, span: Span, term_span: Span) -> FormulaError {
    let term = term_span.text(src).trim().to_owned();
    let hint = match closest_name(df, name) {
        Some(s) if super::deparse::is_syntactic(s) => format!(" (did you mean '{s}'?)"),
        Some(s) => format!(" (did you mean `{s}`? names with spaces or symbols go in backticks)"),
        None if df.ncols() <= 12 => format!(" (the columns are {})", df.names().join(", ")),
        None => String::new(),
    };
    let place = if term == name { String::new() } else { format!(" in term '{term}'") };
    FormulaError { message: format!("unknown column '{name}'{place}{hint}"), span, term }
}

/// The column name closest to `name` (same letters in another case, or at most about a third
/// of the letters different).
fn closest_name<'a>(df: &'a DataFrame, name: &str) -> Option<&'a str> {
    let lower = name.to_lowercase();
    let limit = (name.chars().count() / 3).max(1);
    df.names()
        .iter()
        .map(|c| (strsim::levenshtein(&c.to_lowercase(), &lower), c.as_str()))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}
