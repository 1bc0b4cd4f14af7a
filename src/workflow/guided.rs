//! Guided model choices (family, centring, units, interactions, random effects) written as a
//! glmmTMB formula, with a plain-English label for every coefficient it will produce.
//!
//! With neighbourhood deprivation `d`, its LA's mean `d̄_LA`, LA-level deprivation `D`, LA Gini
//! `G` and child population `pop`, the formula written for the default choices is
//!
//! `log E[count] = log(pop / 10000) + b0 + b1 (d - d̄_LA)/u + b2 (D - D̄)/v + b3 (d - d̄_LA)/u · (D - D̄)/v + ...`
//!
//! so that `exp(b0)` is a rate per 10,000 children, `exp(b1)` the social gradient score (the
//! rate ratio per `u` points of deprivation within an LA, as Hood et al. 2021 define it with
//! `u = 10`), and `exp(b3)` the multiplicative change in that score per `v` points of LA
//! deprivation (the inverse intervention effect; Hood et al. 2021, Table 2 "interaction
//! effect"). `D̄` is the mean over LAs (each LA once). With `Sd` units, `u` is the pooled
//! within-LA standard deviation of `d` and `v` the standard deviation of `D` across LAs, as
//! Webb et al. 2020 standardise their variables (Table 3). Constants are rounded to four
//! significant digits and written into the formula, so the formula alone reproduces the model.

use super::derive::{across_groups, over_rows, pooled_within_sd};
use super::roles::Roles;
use super::WorkflowError;
use crate::data::{Column, DataFrame};
use crate::design::{ColumnPart, ModelColumn};
use crate::diagnostics::coordinates::find_coordinates;
use crate::fit::Family;
use crate::formula::{parse, r_number};
use serde::{Deserialize, Serialize};

/// Rates are per this many children: the offset is `log(pop / 10000)`.
pub const RATE_PER: f64 = 10_000.0;

/// Where neighbourhood deprivation is centred.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Centring {
    /// On its LA's mean, `within(d, la)`: the gradient compares neighbourhoods of the same LA
    /// (both studies).
    WithinLa,
    /// On the mean over all rows.
    Overall,
    /// Not centred.
    None,
}

/// The step a coefficient is per.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// 10 points of the column's scale (Hood et al. 2021: 10 percentage points).
    TenPoints,
    /// 1 point of the column's scale.
    OnePoint,
    /// One standard deviation (Webb et al. 2020).
    Sd,
}

/// Whether an LA or neighbourhood characteristic enters the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Use {
    Omit,
    /// As a main effect only.
    Main,
    /// As a main effect and in interaction with neighbourhood deprivation (it moderates the
    /// social gradient).
    Interaction,
}

/// Everything the guided model builder asks.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ModelChoices {
    pub family: Family,
    pub centring: Centring,
    /// Unit of neighbourhood deprivation.
    pub unit: Unit,
    /// Unit of LA-level deprivation.
    pub la_unit: Unit,
    pub la_deprivation: Use,
    pub gini: Use,
    pub rural: Use,
    pub la_intercept: bool,
    /// LA random slope of neighbourhood deprivation (each LA its own gradient).
    pub la_slope: bool,
    /// MSOA random intercept, nested in the LA.
    pub msoa_intercept: bool,
    /// Spatial correlation between neighbourhoods: one Gaussian field over the file's
    /// coordinates with exponential correlation `exp(-distance / range)` (see
    /// [`spatial_term`]).
    #[serde(default)]
    pub spatial: bool,
}

impl ModelChoices {
    /// Social gradient with inverse intervention: Poisson, LA random intercept, deprivation per
    /// 10 points within the LA, interaction with LA deprivation per 10 points (Hood et al.
    /// 2021, Section 2.5 and Table 2).
    pub const HOOD_2021: ModelChoices = ModelChoices {
        family: Family::Poisson,
        centring: Centring::WithinLa,
        unit: Unit::TenPoints,
        la_unit: Unit::TenPoints,
        la_deprivation: Use::Interaction,
        gini: Use::Omit,
        rural: Use::Omit,
        la_intercept: true,
        la_slope: false,
        msoa_intercept: false,
        spatial: false,
    };

    /// Inverse intervention and inequality effects: negative binomial with linear variance
    /// (NB1, selected for CPP and CLA in Webb et al. 2020, Table 2), standardised variables,
    /// interactions of neighbourhood deprivation with LA IMD and LA Gini, LA and MSOA random
    /// intercepts and an LA random slope (Webb et al. 2020, Table 3).
    pub const WEBB_2020: ModelChoices = ModelChoices {
        family: Family::Nbinom1,
        centring: Centring::WithinLa,
        unit: Unit::Sd,
        la_unit: Unit::Sd,
        la_deprivation: Use::Interaction,
        gini: Use::Interaction,
        rural: Use::Omit,
        la_intercept: true,
        la_slope: true,
        msoa_intercept: true,
        spatial: false,
    };

    /// Webb et al. 2020's model with its spatial random effects: NB1, standardised variables,
    /// the interactions with LA IMD and LA Gini, LA and MSOA random intercepts, and spatially
    /// correlated neighbourhood effects whose correlation decays exponentially with the
    /// distance between centroids (Webb et al. 2020, Methods).
    pub const WEBB_2020_SPATIAL: ModelChoices =
        ModelChoices { la_slope: false, spatial: true, ..ModelChoices::WEBB_2020 };
}

/// A named set of choices that mirrors a study.
#[derive(Debug, Clone, Serialize)]
pub struct Preset {
    pub id: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub choices: ModelChoices,
}

/// The presets the page offers.
pub fn presets() -> Vec<Preset> {
    vec![
        Preset {
            id: "hood2021",
            title: "Social gradient with inverse intervention (Poisson, LA random intercept; Hood 2021)",
            description: "Neighbourhood deprivation per 10 points compared within each LA, its interaction with LA \
                          deprivation per 10 points, and a random intercept for each LA, as in Hood et al. 2021, Table 2.",
            choices: ModelChoices::HOOD_2021,
        },
        Preset {
            id: "webb2020",
            title: "Inverse intervention and inequality effects (NB, LA and MSOA random intercepts, LA random slope; Webb 2020)",
            description: "Standardised neighbourhood deprivation within each LA, its interactions with standardised LA \
                          deprivation and LA Gini, random intercepts for LAs and MSOAs and a random slope for each LA, \
                          as in Webb et al. 2020, Table 3 (negative binomial with linear variance, selected there for \
                          CPP and CLA; choose NB2 for CIN).",
            choices: ModelChoices::WEBB_2020,
        },
        Preset {
            id: "webb2020_spatial",
            title: "Webb et al. 2020 (with spatial field)",
            description: "Webb et al. 2020's structure: standardised neighbourhood deprivation within each LA, its \
                          interactions with standardised LA deprivation and LA Gini, random intercepts for LAs and \
                          MSOAs, and a spatial field: nearby neighbourhoods share part of their unexplained variation, \
                          less the further apart their centroids are (negative binomial with linear variance; needs \
                          easting/northing or x/y columns).",
            choices: ModelChoices::WEBB_2020_SPATIAL,
        },
    ]
}

/// What a coefficient of the guided model stands for; a moderator of the social gradient is
/// named by the role of its main effect (`Other` for an interaction written by hand).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TermRole {
    Intercept,
    Gradient,
    LaDeprivation,
    Gini,
    Rural,
    GradientByLaDeprivation,
    GradientByGini,
    GradientByRural,
    Other,
}

/// A coefficient of the model, named as the fit names it, with its meaning in words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelTerm {
    pub term: String,
    pub role: TermRole,
    pub label: String,
}

/// A characteristic that moderates the social gradient, with the contexts to show it at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Moderator {
    /// [`TermRole::LaDeprivation`], [`TermRole::Gini`], [`TermRole::Rural`], or
    /// [`TermRole::Other`] for an interaction written by hand.
    pub role: TermRole,
    /// The moderator's coefficient name, as `report::gradient_score` takes it.
    pub term: String,
    /// True for a 0/1 moderator (rural).
    pub binary: bool,
    /// Model values of the low and high contexts (-1 and +1 units, or 0 and 1).
    pub low: f64,
    pub high: f64,
    pub low_label: String,
    pub high_label: String,
}

/// A centre or scale computed from the data and written into the formula.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Constant {
    pub value: f64,
    pub description: String,
}

/// The formula for a set of choices, and what its coefficients mean.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GuidedModel {
    pub formula: String,
    pub family: Family,
    /// The social-gradient coefficient.
    pub gradient_term: String,
    /// What one step of the gradient is, in words ("10 points in income_dep").
    pub gradient_step: String,
    pub terms: Vec<ModelTerm>,
    pub moderators: Vec<Moderator>,
    pub constants: Vec<Constant>,
}

/// `x` rounded to four significant digits (the precision of constants in a formula).
pub fn round_constant(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    format!("{x:.3e}").parse().unwrap_or(x)
}

/// A column name as R writes it: in backticks unless it is a syntactic name.
fn r_name(name: &str) -> String {
    let mut chars = name.chars();
    let syntactic = chars.next().is_some_and(|c| c.is_alphabetic() || c == '.')
        && name.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '_')
        && !matches!(
            name,
            "if" | "else" | "function" | "for" | "in" | "TRUE" | "FALSE" | "NULL" | "NA" | "Inf" | "NaN"
        );
    if syntactic {
        name.to_owned()
    } else {
        format!("`{}`", name.replace('`', "\\`"))
    }
}

/// `(x - c)` written with the sign folded: `x - 15.2`, `x + 3.1`.
fn minus(x: &str, c: f64) -> String {
    if c < 0.0 {
        format!("{x} + {}", r_number(-c))
    } else {
        format!("{x} - {}", r_number(c))
    }
}

/// `I((x - c) / u)`, simplified when `u` is 1.
fn centred(x: &str, c: f64, u: f64) -> String {
    if u == 1.0 {
        format!("I({})", minus(x, c))
    } else {
        format!("I(({}) / {})", minus(x, c), r_number(u))
    }
}

/// The label of an LA compared at one unit below or above the average LA, with its value of the
/// column: "Low LA deprivation (10 points below the average LA: la_dep = 16.25)".
fn band_label(what: &str, unit: &str, side: &str, col: &str, value: f64) -> String {
    format!("{what} ({unit} {side} the average LA: {col} = {})", r_number(round_constant(value)))
}

fn unit_words(unit: Unit, value: f64) -> String {
    match unit {
        Unit::TenPoints => "10 points".to_owned(),
        Unit::OnePoint => "1 point".to_owned(),
        Unit::Sd => format!("1 SD ({} points)", r_number(value)),
    }
}

fn unit_value(unit: Unit, sd: impl FnOnce() -> Result<f64, WorkflowError>) -> Result<f64, WorkflowError> {
    match unit {
        Unit::TenPoints => Ok(10.0),
        Unit::OnePoint => Ok(1.0),
        Unit::Sd => Ok(round_constant(sd()?)),
    }
}

fn required<'a>(df: &DataFrame, role: &'a Option<String>, what: &str) -> Result<&'a str, WorkflowError> {
    let name =
        role.as_deref().ok_or_else(|| WorkflowError::new(format!("choose the column that holds {what}")))?;
    match df.column(name) {
        Some(Column::Numeric(_)) => Ok(name),
        Some(Column::Text(_)) => Err(WorkflowError::column(
            name,
            format!("the column chosen for {what}, '{name}', holds text; it must hold numbers"),
        )),
        None => Err(WorkflowError::column(name, format!("there is no column called '{name}'"))),
    }
}

fn la_for<'a>(roles: &'a Roles, why: &str) -> Result<&'a str, WorkflowError> {
    roles
        .la
        .as_deref()
        .ok_or_else(|| WorkflowError::new(format!("choose the local authority (LA) column: {why} needs it")))
}

/// The label R gives to a variable written as `expr` (`within(d/10, la)` for `within(d / 10, la)`).
fn label_of(expr: &str) -> Result<String, WorkflowError> {
    let f = parse(&format!("y ~ {expr}"))
        .map_err(|e| WorkflowError::new(format!("could not write the formula: {e}")))?;
    f.fixed_terms()
        .into_iter()
        .next()
        .ok_or_else(|| WorkflowError::new(format!("could not write the term {expr}")))
}

/// The name of the model-matrix column made of `parts`, a column of the formula term whose
/// variables are the parts' variables (`term_variables` as [`crate::formula::Formula::fixed_term_variables`]
/// gives them); the parts are put in the order R names that term's columns.
fn column_name(term_variables: &[Vec<String>], parts: &[ColumnPart]) -> Result<String, WorkflowError> {
    let missing = || {
        let names: Vec<&str> = parts.iter().map(|p| p.variable.as_str()).collect();
        WorkflowError::new(format!("the formula written has no term {}", names.join(":")))
    };
    let (t, variables) = term_variables
        .iter()
        .enumerate()
        .find(|(_, vars)| vars.len() == parts.len() && parts.iter().all(|p| vars.contains(&p.variable)))
        .ok_or_else(missing)?;
    let ordered: Vec<ColumnPart> =
        variables.iter().filter_map(|v| parts.iter().find(|p| p.variable == *v).cloned()).collect();
    Ok(ModelColumn { term: Some(t), parts: ordered }.name())
}

/// How a rural column enters the model: its expression, the factor level of its coefficient
/// (`None` for a 0/1 number column, which enters as it is), and the two values' labels.
fn rural_term(df: &DataFrame, name: &str) -> Result<(String, Option<String>, [String; 2]), WorkflowError> {
    let two = |n: usize| {
        WorkflowError::column(
            name,
            format!("the rural column '{name}' must hold two values (such as 0 and 1), but it holds {n}"),
        )
    };
    match df.column(name) {
        Some(Column::Numeric(v)) => {
            let mut values: Vec<f64> = v.iter().copied().filter(|x| !x.is_nan()).collect();
            values.sort_by(f64::total_cmp);
            values.dedup();
            match values.as_slice() {
                [a, b] if *a == 0.0 && *b == 1.0 => Ok((r_name(name), None, ["0".into(), "1".into()])),
                [a, b] => {
                    let expr = format!("factor({})", r_name(name));
                    Ok((expr, Some(r_number(*b)), [r_number(*a), r_number(*b)]))
                }
                other => Err(two(other.len())),
            }
        }
        Some(Column::Text(t)) => {
            let mut labels: Vec<&String> = t.labels().iter().collect();
            labels.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
            match labels.as_slice() {
                [a, b] => {
                    let expr = format!("factor({})", r_name(name));
                    Ok((expr, Some((*b).clone()), [(*a).clone(), (*b).clone()]))
                }
                other => Err(two(other.len())),
            }
        }
        None => Err(WorkflowError::column(name, format!("there is no column called '{name}'"))),
    }
}

/// An LA-level variable entering the model: expression, label, role, use, and its context
/// labels.
struct LaVariable {
    expr: String,
    /// The factor level of its coefficient (`None` for a numeric variable).
    level: Option<String>,
    role: TermRole,
    by_role: TermRole,
    usage: Use,
    binary: bool,
    low_label: String,
    high_label: String,
    main_label: String,
    by_label: String,
}

/// A characteristic the guided builder can add to the model: which choice turns it on and how
/// it is written from the data (its expression, constants and labels).
struct Characteristic {
    usage: fn(&ModelChoices) -> Use,
    write: fn(&DataFrame, &Roles, &ModelChoices, &mut Vec<Constant>) -> Result<LaVariable, WorkflowError>,
}

/// The characteristics, in the order they enter the formula.
const CHARACTERISTICS: [Characteristic; 3] = [
    Characteristic { usage: |c| c.la_deprivation, write: la_deprivation_variable },
    Characteristic { usage: |c| c.gini, write: gini_variable },
    Characteristic { usage: |c| c.rural, write: rural_variable },
];

/// An LA-level column's average over LAs and its scale (`unit`, or its SD across LAs), with the
/// constants written into the formula; an error when the column does not vary between LAs.
fn la_centre_and_scale(
    df: &DataFrame,
    roles: &Roles,
    column: (&str, &str),
    unit: Unit,
    constants: &mut Vec<Constant>,
) -> Result<(f64, f64), WorkflowError> {
    let (col, why) = column;
    let la = la_for(roles, why)?;
    let m = across_groups(df, col, la)?;
    let c = round_constant(m.mean);
    let v = unit_value(unit, || Ok(m.sd))?;
    if v.is_nan() || v <= 0.0 {
        return Err(WorkflowError::column(
            col,
            format!("'{col}' has the same value in every LA, so its effect cannot be estimated"),
        ));
    }
    constants.push(Constant {
        value: c,
        description: format!("average of {col} over LAs (each LA counted once)"),
    });
    if unit == Unit::Sd {
        constants.push(Constant { value: v, description: format!("standard deviation of {col} across LAs") });
    }
    Ok((c, v))
}

/// LA-level deprivation, centred on the average LA, per `la_unit`.
fn la_deprivation_variable(
    df: &DataFrame,
    roles: &Roles,
    choices: &ModelChoices,
    constants: &mut Vec<Constant>,
) -> Result<LaVariable, WorkflowError> {
    let col = roles.la_deprivation.as_deref().ok_or_else(|| {
        WorkflowError::new(
            "choose the LA-level deprivation column, or derive it from neighbourhood deprivation",
        )
    })?;
    required(df, &roles.la_deprivation, "LA-level deprivation")?;
    let (c, v) = la_centre_and_scale(df, roles, (col, "LA-level deprivation"), choices.la_unit, constants)?;
    let w = unit_words(choices.la_unit, v);
    Ok(LaVariable {
        expr: centred(&r_name(col), c, v),
        level: None,
        role: TermRole::LaDeprivation,
        by_role: TermRole::GradientByLaDeprivation,
        usage: choices.la_deprivation,
        binary: false,
        low_label: band_label("Low LA deprivation", &w, "below", col, c - v),
        high_label: band_label("High LA deprivation", &w, "above", col, c + v),
        main_label: format!("LA deprivation ({col}), per {w} above the average LA"),
        by_label: format!(
            "Change in the social gradient per {w} of LA deprivation (inverse intervention effect)"
        ),
    })
}

/// LA income inequality (the Gini coefficient), standardised across LAs.
fn gini_variable(
    df: &DataFrame,
    roles: &Roles,
    choices: &ModelChoices,
    constants: &mut Vec<Constant>,
) -> Result<LaVariable, WorkflowError> {
    let col =
        roles.gini.as_deref().ok_or_else(|| WorkflowError::new("choose the LA Gini coefficient column"))?;
    required(df, &roles.gini, "the LA Gini coefficient")?;
    let (c, s) = la_centre_and_scale(df, roles, (col, "the Gini coefficient"), Unit::Sd, constants)?;
    Ok(LaVariable {
        expr: centred(&r_name(col), c, s),
        level: None,
        role: TermRole::Gini,
        by_role: TermRole::GradientByGini,
        usage: choices.gini,
        binary: false,
        low_label: band_label("Low income inequality", "1 SD", "below", col, c - s),
        high_label: band_label("High income inequality", "1 SD", "above", col, c + s),
        main_label: format!("LA income inequality ({col}), per SD ({}) above the average LA", r_number(s)),
        by_label: "Change in the social gradient per SD of LA income inequality (inequality effect)"
            .to_owned(),
    })
}

/// Rural neighbourhoods: a 0/1 column as it is, two labels as a factor.
fn rural_variable(
    df: &DataFrame,
    roles: &Roles,
    choices: &ModelChoices,
    _constants: &mut Vec<Constant>,
) -> Result<LaVariable, WorkflowError> {
    let col = roles.rural.as_deref().ok_or_else(|| WorkflowError::new("choose the rural column"))?;
    let (expr, level, [first, second]) = rural_term(df, col)?;
    Ok(LaVariable {
        expr,
        level,
        role: TermRole::Rural,
        by_role: TermRole::GradientByRural,
        usage: choices.rural,
        binary: true,
        low_label: format!("{col} = {first}"),
        high_label: format!("{col} = {second}"),
        main_label: format!("Neighbourhoods with {col} = {second} (compared with {first})"),
        by_label: format!("Change in the social gradient where {col} = {second}"),
    })
}

/// Neighbourhood deprivation as the formula writes it: the expression, the unit of one step,
/// and its constants.
struct GradientVariable {
    expr: String,
    unit: f64,
}

/// Neighbourhood deprivation `dep`: centred as `choices.centring` says (within `la` when
/// there is one), per `choices.unit`.
fn gradient_variable(
    df: &DataFrame,
    dep: &str,
    la: Option<&str>,
    choices: &ModelChoices,
    constants: &mut Vec<Constant>,
) -> Result<GradientVariable, WorkflowError> {
    let dep_r = r_name(dep);
    let sd_constant = |u: f64, what: String| Constant { value: u, description: what };
    Ok(match (choices.centring, la) {
        (Centring::WithinLa, Some(la)) => {
            let u = unit_value(choices.unit, || pooled_within_sd(df, dep, la))?;
            if choices.unit == Unit::Sd {
                constants.push(sd_constant(u, format!("pooled within-LA standard deviation of {dep}")));
            }
            let x = if u == 1.0 { dep_r } else { format!("{dep_r} / {}", r_number(u)) };
            GradientVariable { expr: format!("within({x}, {})", r_name(la)), unit: u }
        }
        (Centring::Overall, _) | (Centring::WithinLa, None) => {
            let m = over_rows(df, dep)?;
            let u = unit_value(choices.unit, || Ok(m.sd))?;
            let c = round_constant(m.mean);
            constants.push(Constant { value: c, description: format!("mean of {dep} over all rows") });
            if choices.unit == Unit::Sd {
                constants.push(sd_constant(u, format!("standard deviation of {dep}")));
            }
            GradientVariable { expr: centred(&dep_r, c, u), unit: u }
        }
        (Centring::None, _) => {
            let u = unit_value(choices.unit, || over_rows(df, dep).map(|m| m.sd))?;
            if choices.unit == Unit::Sd {
                constants.push(sd_constant(u, format!("standard deviation of {dep}")));
            }
            let expr = if u == 1.0 { dep_r } else { format!("I({dep_r} / {})", r_number(u)) };
            GradientVariable { expr, unit: u }
        }
    })
}

/// The LA column when the choices need one (an error when it is not chosen or not in the data),
/// else the LA column if one is chosen.
fn la_column<'r>(
    df: &DataFrame,
    roles: &'r Roles,
    choices: &ModelChoices,
) -> Result<Option<&'r str>, WorkflowError> {
    let needs_la = choices.centring == Centring::WithinLa
        || choices.la_intercept
        || choices.la_slope
        || choices.la_deprivation != Use::Omit
        || choices.gini != Use::Omit;
    let la = if needs_la {
        let why = if choices.centring == Centring::WithinLa {
            "comparing neighbourhoods within their LA"
        } else {
            "this model"
        };
        Some(la_for(roles, why)?)
    } else {
        roles.la.as_deref()
    };
    if let Some(la) = la {
        if df.column(la).is_none() {
            return Err(WorkflowError::column(la, format!("there is no column called '{la}'")));
        }
    }
    Ok(la)
}

/// The formula: the gradient crossed with the characteristics that moderate it, the other
/// characteristics, the offset, then the random effects chosen.
fn formula_text(
    df: &DataFrame,
    roles: &Roles,
    choices: &ModelChoices,
    (count, pop, la): (&str, &str, Option<&str>),
    gradient_expr: &str,
    la_vars: &[LaVariable],
) -> Result<String, WorkflowError> {
    let moderating: Vec<&str> =
        la_vars.iter().filter(|v| v.usage == Use::Interaction).map(|v| v.expr.as_str()).collect();
    let mut fixed = match moderating.as_slice() {
        [] => gradient_expr.to_owned(),
        [one] => format!("{gradient_expr} * {one}"),
        many => format!("{gradient_expr} * ({})", many.join(" + ")),
    };
    for v in la_vars.iter().filter(|v| v.usage == Use::Main) {
        fixed.push_str(" + ");
        fixed.push_str(&v.expr);
    }
    // Counts are rates per RATE_PER children; proportions (binomial) are the count's successes
    // out of the population column's totals, cbind(successes, totals - successes).
    let mut formula = if choices.family.is_binomial() {
        format!("cbind({c}, {} - {c}) ~ {fixed}", r_name(pop), c = r_name(count))
    } else {
        format!("{} ~ {fixed} + offset(log({} / {}))", r_name(count), r_name(pop), r_number(RATE_PER))
    };
    if let Some(la) = la {
        let la_r = r_name(la);
        match (choices.la_intercept, choices.la_slope) {
            (true, true) => formula.push_str(&format!(" + (1 + {gradient_expr} | {la_r})")),
            (true, false) => formula.push_str(&format!(" + (1 | {la_r})")),
            (false, true) => formula.push_str(&format!(" + (0 + {gradient_expr} | {la_r})")),
            (false, false) => {}
        }
    }
    if choices.msoa_intercept {
        let msoa = roles.msoa.as_deref().ok_or_else(|| {
            WorkflowError::new("choose the MSOA column: the MSOA random intercept needs it")
        })?;
        if df.column(msoa).is_none() {
            return Err(WorkflowError::column(msoa, format!("there is no column called '{msoa}'")));
        }
        match la {
            Some(la) => formula.push_str(&format!(" + (1 | {}:{})", r_name(la), r_name(msoa))),
            None => formula.push_str(&format!(" + (1 | {})", r_name(msoa))),
        }
    }
    if choices.spatial {
        formula.push_str(" + ");
        formula.push_str(&spatial_term(df)?);
    }
    Ok(formula)
}

/// The name the spatial field's one-valued grouping column is asked for by, when the file has
/// no column holding one value in every row.
pub const SPATIAL_GROUP: &str = "one";

/// A column holding the same value in every row (none missing): `one` if it is such a column,
/// else the first such column of the file.
fn one_valued_column(df: &DataFrame) -> Option<String> {
    let constant = |name: &str| {
        let column = df.column(name)?;
        let first = column.display(0)?;
        (1..df.nrows()).all(|i| column.display(i).as_deref() == Some(first.as_str())).then_some(())
    };
    if constant(SPATIAL_GROUP).is_some() {
        return Some(SPATIAL_GROUP.to_owned());
    }
    df.names().iter().find(|n| constant(n).is_some()).cloned()
}

/// The spatial random effect of the guided model, `exp(pos(x, y) + 0 | g)`: one Gaussian field
/// over all rows with `cor(u_i, u_j) = exp(-d_ij / range)`, `d_ij` the Euclidean distance
/// between the rows' coordinates `x`, `y` (the planar pair the Moran's I check finds:
/// easting/northing or x/y) and `g` a column holding one value in every row.
pub fn spatial_term(df: &DataFrame) -> Result<String, WorkflowError> {
    let coords = find_coordinates(df).ok_or_else(|| {
        WorkflowError::new(
            "spatial correlation between neighbourhoods needs the coordinates of each neighbourhood: \
             columns easting and northing (or x and y)",
        )
    })?;
    if coords.degrees {
        return Err(WorkflowError::column(
            &coords.x,
            format!(
                "'{}' and '{}' are longitude and latitude in degrees, whose distances are not the same in \
                 every direction; spatial correlation needs planar coordinates in metres or kilometres, such as \
                 British National Grid easting and northing",
                coords.x, coords.y
            ),
        ));
    }
    let group = one_valued_column(df).ok_or_else(|| {
        WorkflowError::new(format!(
            "the spatial field is one field over all neighbourhoods, written with a column that holds the same \
             value in every row: add a column '{SPATIAL_GROUP}' of 1s to the file"
        ))
    })?;
    Ok(format!("exp(pos({}, {}) + 0 | {})", r_name(&coords.x), r_name(&coords.y), r_name(&group)))
}

/// The coefficients of the written formula, named as the fit names them, with their meaning,
/// and the moderators of the gradient: `(terms, moderators, gradient term)`.
fn coefficients(
    formula: &str,
    choices: &ModelChoices,
    gradient_expr: &str,
    gradient_label: String,
    la_vars: &[LaVariable],
) -> Result<(Vec<ModelTerm>, Vec<Moderator>, String), WorkflowError> {
    let parsed =
        parse(formula).map_err(|e| WorkflowError::new(format!("could not write the formula: {e}")))?;
    let term_variables = parsed.fixed_term_variables();
    let gradient_part =
        ColumnPart { variable: label_of(gradient_expr)?, level: None, columns: Vec::new(), within: None };
    let gradient_term = column_name(&term_variables, std::slice::from_ref(&gradient_part))?;
    let intercept_label =
        match (choices.centring, choices.la_deprivation != Use::Omit || choices.gini != Use::Omit) {
            (Centring::None, _) => "Rate per 10,000 children where deprivation is 0".to_owned(),
            (_, true) => {
                "Rate per 10,000 children in a neighbourhood of average deprivation, in an average LA"
                    .to_owned()
            }
            (_, false) => "Rate per 10,000 children in a neighbourhood of average deprivation".to_owned(),
        };
    // A proportion's intercept is the odds of a success (successes to failures) there.
    let intercept_label = if choices.family.is_binomial() {
        intercept_label.replacen("Rate per 10,000 children", "Odds of a success", 1)
    } else {
        intercept_label
    };
    let mut terms = vec![
        ModelTerm { term: "(Intercept)".to_owned(), role: TermRole::Intercept, label: intercept_label },
        ModelTerm { term: gradient_term.clone(), role: TermRole::Gradient, label: gradient_label },
    ];
    let mut moderators = Vec::new();
    for v in la_vars {
        let part = ColumnPart {
            variable: label_of(&v.expr)?,
            level: v.level.clone(),
            columns: Vec::new(),
            within: None,
        };
        let coef = column_name(&term_variables, std::slice::from_ref(&part))?;
        terms.push(ModelTerm { term: coef.clone(), role: v.role, label: v.main_label.clone() });
        if v.usage == Use::Interaction {
            terms.push(ModelTerm {
                term: column_name(&term_variables, &[gradient_part.clone(), part])?,
                role: v.by_role,
                label: v.by_label.clone(),
            });
            let (low, high) = if v.binary { (0.0, 1.0) } else { (-1.0, 1.0) };
            moderators.push(Moderator {
                role: v.role,
                term: coef,
                binary: v.binary,
                low,
                high,
                low_label: v.low_label.clone(),
                high_label: v.high_label.clone(),
            });
        }
    }
    Ok((terms, moderators, gradient_term))
}

/// Writes the formula for `choices` on `df` with the columns of `roles`.
pub fn guided_model(
    df: &DataFrame,
    roles: &Roles,
    choices: &ModelChoices,
) -> Result<GuidedModel, WorkflowError> {
    let count = required(df, &roles.count, "the counts (the outcome)")?;
    let pop = required(df, &roles.population, "the child population")?;
    let dep = required(df, &roles.deprivation, "neighbourhood deprivation")?;
    let la = la_column(df, roles, choices)?;
    let mut constants = Vec::new();
    let gradient = gradient_variable(df, dep, la, choices, &mut constants)?;
    let gradient_step = format!("{} in {dep}", unit_words(choices.unit, gradient.unit));
    let compared = match choices.centring {
        Centring::WithinLa => "compared with other neighbourhoods in the same LA",
        Centring::Overall => "compared with the average neighbourhood",
        Centring::None => "from a deprivation of 0",
    };
    let mut la_vars = Vec::new();
    for c in CHARACTERISTICS.iter().filter(|c| (c.usage)(choices) != Use::Omit) {
        la_vars.push((c.write)(df, roles, choices, &mut constants)?);
    }
    let formula = formula_text(df, roles, choices, (count, pop, la), &gradient.expr, &la_vars)?;
    let gradient_label =
        format!("Social gradient: neighbourhood deprivation, per {gradient_step}, {compared}");
    let (terms, moderators, gradient_term) =
        coefficients(&formula, choices, &gradient.expr, gradient_label, &la_vars)?;
    Ok(GuidedModel {
        formula,
        family: choices.family,
        gradient_term,
        gradient_step,
        terms,
        moderators,
        constants,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::read_csv;
    use crate::formula::build_design;

    fn data() -> DataFrame {
        // Two LAs of six neighbourhoods; la_dep is each LA's population-weighted mean of dep.
        let rows = "A,a1,100,10,17.5,0.36,0,3\n\
                    A,a1,300,20,17.5,0.36,1,9\n\
                    A,a2,200,15,17.5,0.36,0,4\n\
                    B,b1,200,30,35,0.40,1,12\n\
                    B,b1,200,40,35,0.40,0,20\n\
                    B,b2,100,35,35,0.40,1,15\n";
        let csv = format!("la,msoa,pop,dep,la_dep,gini,rural,k\n{rows}{}", rows.replace(",3\n", ",5\n"));
        read_csv(csv.as_bytes()).unwrap()
    }

    fn roles() -> Roles {
        Roles {
            count: Some("k".into()),
            population: Some("pop".into()),
            deprivation: Some("dep".into()),
            la: Some("la".into()),
            msoa: Some("msoa".into()),
            la_deprivation: Some("la_dep".into()),
            gini: Some("gini".into()),
            rural: Some("rural".into()),
        }
    }

    #[test]
    fn hood_preset_formula_and_terms() {
        let m = guided_model(&data(), &roles(), &ModelChoices::HOOD_2021).unwrap();
        // LA means of la_dep: 17.5 and 35, average 26.25.
        assert_eq!(
            m.formula,
            "k ~ within(dep / 10, la) * I((la_dep - 26.25) / 10) + offset(log(pop / 10000)) + (1 | la)"
        );
        assert_eq!(m.gradient_term, "within(dep/10, la)");
        let names: Vec<&str> = m.terms.iter().map(|t| t.term.as_str()).collect();
        assert_eq!(
            names,
            [
                "(Intercept)",
                "within(dep/10, la)",
                "I((la_dep - 26.25)/10)",
                "within(dep/10, la):I((la_dep - 26.25)/10)"
            ]
        );
        assert_eq!(m.moderators.len(), 1);
        assert_eq!(m.moderators[0].term, "I((la_dep - 26.25)/10)");
        assert!(m.moderators[0].low_label.contains("la_dep = 16.25"), "{}", m.moderators[0].low_label);
        // The names are the model-matrix columns the formula layer builds.
        let design = build_design(&data(), &parse(&m.formula).unwrap()).unwrap();
        assert_eq!(design.x_names, names);
    }

    /// Proportions: the count column's successes out of the population column's totals,
    /// without an offset.
    #[test]
    fn binomial_choice_writes_successes_out_of_totals() {
        let choices =
            ModelChoices { family: Family::Binomial(crate::fit::Link::Logit), ..ModelChoices::HOOD_2021 };
        let m = guided_model(&data(), &roles(), &choices).unwrap();
        assert_eq!(
            m.formula,
            "cbind(k, pop - k) ~ within(dep / 10, la) * I((la_dep - 26.25) / 10) + (1 | la)"
        );
    }

    #[test]
    fn webb_preset_standardises_and_nests() {
        let m = guided_model(&data(), &roles(), &ModelChoices::WEBB_2020).unwrap();
        // Pooled within-LA SD of dep: deviations -5, 5, 0 (twice in each LA) over 12 rows in
        // 2 LAs: sqrt(200 / 10) = 4.472. Gini: LA values 0.36 and 0.40, mean 0.38, SD 0.02828.
        let w = "within(dep / 4.472, la)";
        let l = "I((la_dep - 26.25) / 12.37)";
        let g = "I((gini - 0.38) / 0.02828)";
        assert_eq!(
            m.formula,
            format!("k ~ {w} * ({l} + {g}) + offset(log(pop / 10000)) + (1 + {w} | la) + (1 | la:msoa)")
        );
        assert_eq!(m.family, Family::Nbinom1);
        let roles_of: Vec<TermRole> = m.terms.iter().map(|t| t.role).collect();
        assert_eq!(
            roles_of,
            [
                TermRole::Intercept,
                TermRole::Gradient,
                TermRole::LaDeprivation,
                TermRole::GradientByLaDeprivation,
                TermRole::Gini,
                TermRole::GradientByGini
            ]
        );
        let design = build_design(&data(), &parse(&m.formula).unwrap()).unwrap();
        let mut expected: Vec<&str> = m.terms.iter().map(|t| t.term.as_str()).collect();
        let mut built: Vec<&str> = design.x_names.iter().map(String::as_str).collect();
        expected.sort_unstable();
        built.sort_unstable();
        assert_eq!(built, expected);
        assert_eq!(design.random.len(), 2);
    }

    #[test]
    fn rural_text_column_becomes_a_factor() {
        let rows = "A,100,10,urban,1\nA,100,20,rural,2\nB,100,30,urban,3\nB,100,5,rural,0\n";
        let csv = format!("la,pop,dep,area,k\n{rows}{rows}");
        let df = read_csv(csv.as_bytes()).unwrap();
        let roles =
            Roles { rural: Some("area".into()), la_deprivation: None, gini: None, msoa: None, ..roles() };
        let choices = ModelChoices {
            la_deprivation: Use::Omit,
            rural: Use::Interaction,
            unit: Unit::OnePoint,
            ..ModelChoices::HOOD_2021
        };
        let m = guided_model(&df, &roles, &choices).unwrap();
        assert_eq!(m.formula, "k ~ within(dep, la) * factor(area) + offset(log(pop / 10000)) + (1 | la)");
        // Levels sort by bytes: "rural" < "urban", so the coefficient is for urban.
        assert_eq!(m.moderators[0].term, "factor(area)urban");
        let design = build_design(&df, &parse(&m.formula).unwrap()).unwrap();
        assert!(
            design.x_names.contains(&"within(dep, la):factor(area)urban".to_owned()),
            "{:?}",
            design.x_names
        );
    }

    #[test]
    fn missing_roles_are_named_in_plain_words() {
        let no_pop = Roles { population: None, ..roles() };
        let e = guided_model(&data(), &no_pop, &ModelChoices::HOOD_2021).unwrap_err();
        assert_eq!(e.message, "choose the column that holds the child population");
        let no_la = Roles { la: None, ..roles() };
        let e = guided_model(&data(), &no_la, &ModelChoices::HOOD_2021).unwrap_err();
        assert!(e.message.contains("local authority (LA) column"), "{e}");
        let text = Roles { deprivation: Some("la".into()), ..roles() };
        let e = guided_model(&data(), &text, &ModelChoices::HOOD_2021).unwrap_err();
        assert_eq!(e.column.as_deref(), Some("la"));
    }

    fn with_columns(extra: &str, values: &[&str]) -> DataFrame {
        let text =
            "la,msoa,pop,dep,la_dep,gini,rural,k\nA,a1,100,10,17.5,0.36,0,3\nA,a1,300,20,17.5,0.36,1,9\n\
                    A,a2,200,15,17.5,0.36,0,4\nB,b1,200,30,35,0.40,1,12\nB,b1,200,40,35,0.40,0,20\n\
                    B,b2,100,35,35,0.40,1,15\n";
        let mut lines = text.lines();
        let mut csv = format!("{},{extra}\n", lines.next().unwrap());
        for (line, v) in lines.zip(values) {
            csv.push_str(&format!("{line},{v}\n"));
        }
        read_csv(csv.as_bytes()).unwrap()
    }

    const PLACES: [&str; 6] = [
        "530000,180000,1",
        "531000,180500,1",
        "532500,181000,1",
        "400000,300000,1",
        "401000,300200,1",
        "402000,301000,1",
    ];

    #[test]
    fn spatial_term_reads_the_coordinates_and_the_one_valued_column() {
        let df = with_columns("easting,northing,one", &PLACES);
        assert_eq!(spatial_term(&df).unwrap(), "exp(pos(easting, northing) + 0 | one)");
        // Any column with one value serves when there is no `one`.
        let places: Vec<String> = PLACES.iter().map(|p| format!("{},England", &p[..p.len() - 2])).collect();
        let refs: Vec<&str> = places.iter().map(String::as_str).collect();
        let df = with_columns("X,Y,country", &refs);
        assert_eq!(spatial_term(&df).unwrap(), "exp(pos(X, Y) + 0 | country)");
    }

    #[test]
    fn spatial_term_refuses_degrees_missing_coordinates_and_no_single_group() {
        let df = with_columns("lon,lat,one", &["-0.1,51.5,1"; 6]);
        let e = spatial_term(&df).unwrap_err();
        assert_eq!(e.column.as_deref(), Some("lon"));
        assert!(e.message.contains("longitude and latitude in degrees"), "{e}");
        let e = spatial_term(&data()).unwrap_err();
        assert!(e.message.contains("columns easting and northing (or x and y)"), "{e}");
        let varied: Vec<String> =
            PLACES.iter().enumerate().map(|(i, p)| format!("{},{i}", &p[..p.len() - 2])).collect();
        let refs: Vec<&str> = varied.iter().map(String::as_str).collect();
        let e = spatial_term(&with_columns("easting,northing,id", &refs)).unwrap_err();
        assert!(e.message.contains("add a column 'one' of 1s"), "{e}");
        let choices = ModelChoices::WEBB_2020_SPATIAL;
        let e = guided_model(&data(), &roles(), &choices).unwrap_err();
        assert!(e.message.contains("easting and northing"), "{e}");
    }

    #[test]
    fn webb_spatial_preset_writes_the_papers_structure() {
        let df = with_columns("easting,northing,one", &PLACES);
        let m = guided_model(&df, &roles(), &ModelChoices::WEBB_2020_SPATIAL).unwrap();
        // Six rows: within-LA deviations -5, 5, 0 in each LA, sqrt(100 / 4) = 5.
        let w = "within(dep / 5, la)";
        let l = "I((la_dep - 26.25) / 12.37)";
        let g = "I((gini - 0.38) / 0.02828)";
        assert_eq!(
            m.formula,
            format!(
                "k ~ {w} * ({l} + {g}) + offset(log(pop / 10000)) + (1 | la) + (1 | la:msoa) \
                 + exp(pos(easting, northing) + 0 | one)"
            )
        );
        assert_eq!(m.family, Family::Nbinom1);
        assert_eq!(m.terms.len(), 6);
        let preset = presets().into_iter().find(|p| p.id == "webb2020_spatial").unwrap();
        assert_eq!(preset.title, "Webb et al. 2020 (with spatial field)");
        assert!(preset.choices.spatial && !preset.choices.la_slope && preset.choices.msoa_intercept);
    }

    #[test]
    fn constants_keep_four_significant_digits() {
        assert_eq!(round_constant(26.2549), 26.25);
        assert_eq!(round_constant(0.0282843), 0.02828);
        assert_eq!(round_constant(-4.56789), -4.568);
        assert_eq!(minus("x", -3.5), "x + 3.5");
        assert_eq!(r_name("child pop"), "`child pop`");
        assert_eq!(r_name("la_imd"), "la_imd");
    }
}
