//! Drawing a data set from a [`SampleSpec`].

use super::{SampleSpec, Value};
use crate::data::{Column, DataFrame, TextColumn};
use crate::design::Design;
use crate::fit::Family;
use crate::formula::{build_design, parse};
use crate::random::Rng;
use crate::workflow::derive::{add_weighted_group_mean, DeriveRequest};
use crate::workflow::guided::{guided_model, GuidedModel, TermRole, Use};
use crate::workflow::roles::Roles;
use serde::Serialize;
use std::fmt;

/// Why a specification cannot be simulated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SampleError {
    pub message: String,
}

impl fmt::Display for SampleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot simulate the sample: {}", self.message)
    }
}

impl std::error::Error for SampleError {}

fn fail(message: impl Into<String>) -> SampleError {
    SampleError { message: message.into() }
}

/// One generating parameter, as the page lists it next to the sample.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Parameter {
    /// `fixed`, `random_sd`, `correlation` or `dispersion`.
    pub kind: &'static str,
    pub label: String,
    /// The coefficient (fixed) or random-effect term, named as the fit names it.
    pub term: Option<String>,
    /// The random-effect grouping factor.
    pub group: Option<String>,
    /// On the fit's scale: log rate ratio, log rate, SD, correlation, dispersion.
    pub value: f64,
    /// As the page shows it: rate ratio, rate per 10,000, SD, correlation, dispersion.
    pub shown: f64,
    pub scale: &'static str,
    pub source: String,
}

/// A simulated data set with its generating model.
#[derive(Debug, Clone, Serialize)]
pub struct Sample {
    pub id: String,
    pub title: String,
    pub description: String,
    /// How the page labels the data set: "Synthetic sample", or "Real places, synthetic
    /// counts" when the neighbourhoods and their covariates are real.
    pub label: String,
    /// The sources of the real data in the file and their licence (`None`: all simulated).
    pub attribution: Option<String>,
    pub file_name: String,
    /// The data as the file holds it.
    #[serde(skip)]
    pub frame: DataFrame,
    pub rows: usize,
    pub las: usize,
    pub msoas: usize,
    pub seed: u64,
    pub family: Family,
    /// The column roles of the file.
    pub roles: Roles,
    /// The LA-level column the page derives before fitting, when the file does not hold it.
    pub derive: Option<DeriveRequest>,
    /// The generating model's formula and coefficient names (after that derivation).
    pub model: GuidedModel,
    pub parameters: Vec<Parameter>,
}

fn round_to(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f
}

/// Checks the geography the simulator draws, then the model.
fn check(spec: &SampleSpec) -> Result<(), SampleError> {
    let (lo, hi) = spec.neighbourhoods_per_la;
    if spec.las < 2 || lo < 2 || hi < lo {
        return Err(fail("it needs at least 2 LAs of at least 2 neighbourhoods each"));
    }
    if spec.children.0 == 0 || spec.children.1 < spec.children.0 {
        return Err(fail("child populations must be at least 1"));
    }
    if spec.neighbourhoods_per_msoa == Some(0) {
        return Err(fail("an MSOA needs at least one neighbourhood"));
    }
    check_model(spec, spec.neighbourhoods_per_msoa.is_some())
}

/// Checks that the model's choices have every value they need; `has_msoas`: the data have an
/// MSOA column.
fn check_model(spec: &SampleSpec, has_msoas: bool) -> Result<(), SampleError> {
    let c = &spec.choices;
    let e = &spec.effects;
    let r = &spec.random;
    let needs = [
        (c.la_deprivation != Use::Omit, e.la_deprivation.is_some(), "an LA deprivation effect"),
        (
            c.la_deprivation == Use::Interaction,
            e.gradient_by_la_deprivation.is_some(),
            "a gradient by LA deprivation effect",
        ),
        (c.gini != Use::Omit, e.gini.is_some() && spec.gini.is_some(), "a Gini column and effect"),
        (c.gini == Use::Interaction, e.gradient_by_gini.is_some(), "a gradient by Gini effect"),
        (c.la_intercept, r.la_intercept.is_some(), "the SD of LA intercepts"),
        (c.la_slope, r.la_slope.is_some(), "the SD of LA slopes"),
        (c.msoa_intercept, r.msoa_intercept.is_some() && has_msoas, "MSOAs and their SD"),
        (c.family != Family::Poisson, spec.dispersion.is_some(), "a dispersion parameter"),
    ];
    if let Some((_, _, what)) = needs.iter().find(|(wanted, given, _)| *wanted && !*given) {
        return Err(fail(format!("the model's choices need {what}")));
    }
    if c.rural != Use::Omit {
        return Err(fail("the simulator does not draw rural neighbourhoods"));
    }
    Ok(())
}

/// The covariates of every neighbourhood: drawn LA by LA, or read from a table of real places.
/// Empty `msoa`, `la_deprivation` and `gini`: the file has no such column.
pub(super) struct Covariates {
    pub id: Vec<String>,
    pub la: Vec<String>,
    pub msoa: Vec<String>,
    pub children: Vec<f64>,
    pub deprivation: Vec<f64>,
    pub la_deprivation: Vec<f64>,
    pub gini: Vec<f64>,
    /// 1 for a rural neighbourhood, 0 for an urban one.
    pub rural: Vec<f64>,
    /// Further columns the file carries for the reader (the LA's name), written after the LA
    /// column; the model does not use them.
    pub extra: Vec<(String, Column)>,
    /// A spatial field's value in each neighbourhood, added to its log rate (empty: none).
    pub field: Vec<f64>,
    pub las: usize,
    pub msoas: usize,
}

fn draw_covariates(spec: &SampleSpec, rng: &mut Rng) -> Covariates {
    let d = &spec.deprivation;
    let mut cov = Covariates {
        id: Vec::new(),
        la: Vec::new(),
        msoa: Vec::new(),
        children: Vec::new(),
        deprivation: Vec::new(),
        la_deprivation: Vec::new(),
        gini: Vec::new(),
        rural: Vec::new(),
        extra: Vec::new(),
        field: Vec::new(),
        las: spec.las,
        msoas: 0,
    };
    let width = spec.las.to_string().len().max(3);
    for j in 0..spec.las {
        let la = format!("LA{:0width$}", j + 1);
        let n = rng.int_between(spec.neighbourhoods_per_la.0, spec.neighbourhoods_per_la.1);
        let mean = (d.la_mean + d.la_sd * rng.normal()).clamp(d.la_range.0, d.la_range.1);
        let gini = spec
            .gini
            .as_ref()
            .map(|g| round_to((g.mean + g.sd * rng.normal()).clamp(g.range.0, g.range.1), 3));
        let start = cov.id.len();
        for i in 0..n {
            cov.id.push(format!("N{:05}", cov.id.len() + 1));
            cov.la.push(la.clone());
            if let Some(k) = spec.neighbourhoods_per_msoa {
                if i % k == 0 {
                    cov.msoas += 1;
                }
                cov.msoa.push(format!("M{:05}", cov.msoas));
            }
            cov.deprivation
                .push(round_to((mean + d.within_sd * rng.normal()).clamp(d.range.0, d.range.1), d.decimals));
            cov.children.push(rng.int_between(spec.children.0, spec.children.1) as f64);
            if let Some(g) = gini {
                cov.gini.push(g);
            }
        }
        if spec.la_deprivation_column.is_some() {
            let (mut num, mut den) = (0.0, 0.0);
            for i in start..cov.id.len() {
                num += cov.children[i] * cov.deprivation[i];
                den += cov.children[i];
            }
            cov.la_deprivation.extend(std::iter::repeat(round_to(num / den, 2)).take(n));
        }
    }
    cov
}

fn text(values: &[String]) -> Column {
    Column::Text(TextColumn::from_values(values.iter().map(Some)))
}

fn frame(spec: &SampleSpec, cov: &Covariates, counts: Vec<f64>) -> Result<DataFrame, SampleError> {
    let mut columns = vec![("neighbourhood".to_owned(), text(&cov.id)), ("la".to_owned(), text(&cov.la))];
    columns.extend(cov.extra.iter().cloned());
    if !cov.msoa.is_empty() {
        columns.push(("msoa".to_owned(), text(&cov.msoa)));
    }
    columns.push(("children".to_owned(), Column::Numeric(cov.children.clone())));
    columns.push((spec.deprivation.column.clone(), Column::Numeric(cov.deprivation.clone())));
    if let Some(name) = &spec.la_deprivation_column {
        columns.push((name.clone(), Column::Numeric(cov.la_deprivation.clone())));
    }
    if let Some(g) = &spec.gini {
        columns.push((g.column.clone(), Column::Numeric(cov.gini.clone())));
    }
    if !cov.rural.is_empty() {
        columns.push(("rural".to_owned(), Column::Numeric(cov.rural.clone())));
    }
    columns.push((spec.outcome.clone(), Column::Numeric(counts)));
    DataFrame::from_columns(columns).map_err(|e| fail(e.to_string()))
}

/// The coefficient of each model-matrix column.
fn coefficients(spec: &SampleSpec, model: &GuidedModel, design: &Design) -> Result<Vec<f64>, SampleError> {
    let e = &spec.effects;
    design
        .x_names
        .iter()
        .map(|name| {
            let role = model.terms.iter().find(|t| &t.term == name).map(|t| t.role);
            let value = match role {
                Some(TermRole::Intercept) => Some(&e.intercept),
                Some(TermRole::Gradient) => Some(&e.gradient),
                Some(TermRole::LaDeprivation) => e.la_deprivation.as_ref(),
                Some(TermRole::GradientByLaDeprivation) => e.gradient_by_la_deprivation.as_ref(),
                Some(TermRole::Gini) => e.gini.as_ref(),
                Some(TermRole::GradientByGini) => e.gradient_by_gini.as_ref(),
                _ => None,
            };
            value.map(|v| v.value).ok_or_else(|| fail(format!("no value for the coefficient '{name}'")))
        })
        .collect()
}

/// Adds every random effect's contribution to `eta`, drawing one vector per level.
fn add_random_effects(
    spec: &SampleSpec,
    design: &Design,
    rng: &mut Rng,
    eta: &mut [f64],
) -> Result<(), SampleError> {
    let sd = |v: &Option<Value>| v.as_ref().map_or(0.0, |v| v.value);
    for term in &design.random {
        // Every group other than the LA column is the MSOA's (nested in the LA or alone).
        let msoa = term.group != "la";
        let effects: Vec<Vec<f64>> = (0..term.levels.len())
            .map(|_| {
                if msoa {
                    return vec![sd(&spec.random.msoa_intercept) * rng.normal()];
                }
                let (z0, z1) = (rng.normal(), rng.normal());
                let rho = spec.random.la_correlation.as_ref().map_or(0.0, |v| v.value);
                let intercept = sd(&spec.random.la_intercept) * z0;
                let slope = sd(&spec.random.la_slope) * (rho * z0 + (1.0 - rho * rho).max(0.0).sqrt() * z1);
                term.terms.iter().map(|t| if t == "(Intercept)" { intercept } else { slope }).collect()
            })
            .collect();
        for (i, e) in eta.iter_mut().enumerate() {
            let b = term
                .index
                .get(i)
                .and_then(|&l| effects.get(l))
                .ok_or_else(|| fail("a random-effect level is out of range"))?;
            for (k, bk) in b.iter().enumerate() {
                *e += term.z[(i, k)] * bk;
            }
        }
    }
    Ok(())
}

fn parameters(spec: &SampleSpec, model: &GuidedModel, la: &str, msoa: &str) -> Vec<Parameter> {
    let e = &spec.effects;
    let mut out = Vec::new();
    for t in &model.terms {
        let value = match t.role {
            TermRole::Intercept => Some(&e.intercept),
            TermRole::Gradient => Some(&e.gradient),
            TermRole::LaDeprivation => e.la_deprivation.as_ref(),
            TermRole::GradientByLaDeprivation => e.gradient_by_la_deprivation.as_ref(),
            TermRole::Gini => e.gini.as_ref(),
            TermRole::GradientByGini => e.gradient_by_gini.as_ref(),
            _ => None,
        };
        if let Some(v) = value {
            out.push(Parameter {
                kind: "fixed",
                label: t.label.clone(),
                term: Some(t.term.clone()),
                group: None,
                value: v.value,
                shown: v.value.exp(),
                scale: if t.role == TermRole::Intercept { "rate per 10,000" } else { "rate ratio" },
                source: v.source.clone(),
            });
        }
    }
    let r = &spec.random;
    let c = &spec.choices;
    let mut random = |kind: &'static str,
                      label: &str,
                      term: Option<String>,
                      group: &str,
                      v: &Option<Value>,
                      scale: &'static str| {
        if let Some(v) = v {
            out.push(Parameter {
                kind,
                label: label.to_owned(),
                term,
                group: Some(group.to_owned()),
                value: v.value,
                shown: v.value,
                scale,
                source: v.source.clone(),
            });
        }
    };
    let msoa_group = format!("{la}:{msoa}");
    if c.la_intercept {
        random(
            "random_sd",
            "SD of the LA random intercepts",
            Some("(Intercept)".into()),
            la,
            &r.la_intercept,
            "standard deviation",
        );
    }
    if c.la_slope {
        random(
            "random_sd",
            "SD of the LA random slopes of the social gradient",
            Some(model.gradient_term.clone()),
            la,
            &r.la_slope,
            "standard deviation",
        );
    }
    if c.la_intercept && c.la_slope {
        random(
            "correlation",
            "Correlation of LA intercepts and slopes",
            None,
            la,
            &r.la_correlation,
            "correlation",
        );
    }
    if c.msoa_intercept {
        random(
            "random_sd",
            "SD of the MSOA random intercepts",
            Some("(Intercept)".into()),
            &msoa_group,
            &r.msoa_intercept,
            "standard deviation",
        );
    }
    if let Some(v) = &spec.dispersion {
        let label = match c.family {
            Family::Nbinom1 => "Dispersion phi (NB1: variance = mu (1 + phi))",
            _ => "Dispersion theta (NB2: variance = mu + mu^2 / theta)",
        };
        out.push(Parameter {
            kind: "dispersion",
            label: label.to_owned(),
            term: None,
            group: None,
            value: v.value,
            shown: v.value,
            scale: "dispersion",
            source: v.source.clone(),
        });
    }
    out
}

/// Simulates the data set of `spec`. The same spec always gives the same data.
pub fn simulate(spec: &SampleSpec) -> Result<Sample, SampleError> {
    check(spec)?;
    let mut rng = Rng::new(spec.seed);
    let cov = draw_covariates(spec, &mut rng);
    draw_counts(spec, cov, &mut rng)
}

/// Draws the counts of `cov`'s neighbourhoods from the model of `spec` (its choices, effects,
/// random-effect SDs and dispersion; the geography fields are not read) and returns the data
/// set: the covariates, the counts and the generating parameters.
pub(super) fn draw_counts(spec: &SampleSpec, cov: Covariates, rng: &mut Rng) -> Result<Sample, SampleError> {
    check_model(spec, !cov.msoa.is_empty())?;
    let n = cov.id.len();
    if !cov.field.is_empty() && cov.field.len() != n {
        return Err(fail("the spatial field does not have one value per neighbourhood"));
    }
    // Covariates with a placeholder count, to write and build the model.
    let covariates = frame(spec, &cov, vec![1.0; n])?;
    let needs_derived = spec.choices.la_deprivation != Use::Omit && spec.la_deprivation_column.is_none();
    let derive =
        needs_derived.then(|| DeriveRequest::la_deprivation(&spec.deprivation.column, "children", "la"));
    let model_frame = match &derive {
        Some(request) => add_weighted_group_mean(&covariates, request).map_err(|e| fail(e.message))?.0,
        None => covariates,
    };
    let roles = Roles {
        count: Some(spec.outcome.clone()),
        population: Some("children".into()),
        deprivation: Some(spec.deprivation.column.clone()),
        la: Some("la".into()),
        msoa: (!cov.msoa.is_empty()).then(|| "msoa".to_owned()),
        la_deprivation: derive
            .as_ref()
            .map(|d| d.name.clone())
            .or_else(|| spec.la_deprivation_column.clone()),
        gini: spec.gini.as_ref().map(|g| g.column.clone()),
        rural: (!cov.rural.is_empty()).then(|| "rural".to_owned()),
    };
    let model = guided_model(&model_frame, &roles, &spec.choices).map_err(|e| fail(e.message))?;
    let formula = parse(&model.formula).map_err(|e| fail(e.to_string()))?;
    let design = build_design(&model_frame, &formula).map_err(|e| fail(e.to_string()))?;
    if design.nobs() != n {
        return Err(fail("the model does not use every neighbourhood"));
    }

    let beta = coefficients(spec, &model, &design)?;
    let mut eta: Vec<f64> = (0..n)
        .map(|i| design.offset[i] + design.x.row(i).iter().zip(&beta).map(|(x, b)| x * b).sum::<f64>())
        .collect();
    add_random_effects(spec, &design, rng, &mut eta)?;
    for (e, u) in eta.iter_mut().zip(&cov.field) {
        *e += u;
    }
    let dispersion = spec.dispersion.as_ref().map_or(1.0, |v| v.value);
    let counts: Vec<f64> = eta.iter().map(|e| rng.count(spec.family(), e.exp(), dispersion) as f64).collect();

    let parameters = parameters(spec, &model, "la", "msoa");
    Ok(Sample {
        id: spec.id.clone(),
        title: spec.title.clone(),
        description: spec.description.clone(),
        label: "Synthetic sample".into(),
        attribution: None,
        file_name: format!("sample-{}.csv", spec.id),
        frame: frame(spec, &cov, counts)?,
        rows: n,
        las: cov.las,
        msoas: cov.msoas,
        seed: spec.seed,
        family: spec.family(),
        roles: Roles { la_deprivation: spec.la_deprivation_column.clone(), ..roles },
        derive,
        model,
        parameters,
    })
}

/// The data frame as CSV text: a header row, then one row per data row; missing cells empty,
/// numbers in their shortest exact form.
pub fn to_csv(df: &DataFrame) -> Result<String, SampleError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(df.names()).map_err(|e| fail(e.to_string()))?;
    let columns: Vec<&Column> = df.columns().map(|(_, c)| c).collect();
    for i in 0..df.nrows() {
        writer
            .write_record(columns.iter().map(|c| c.display(i).unwrap_or_default()))
            .map_err(|e| fail(e.to_string()))?;
    }
    let bytes = writer.into_inner().map_err(|e| fail(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| fail(e.to_string()))
}
