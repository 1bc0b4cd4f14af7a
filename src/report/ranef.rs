//! Random effects by level (each LA, each MSOA): the conditional mode of every random effect
//! with its conditional SD, as glmmTMB's `ranef(m, condVar = TRUE)`, and each LA's social
//! gradient when the model has a random slope of a fixed effect.
//!
//! The conditional SD includes the uncertainty of the estimated parameters (see
//! `crate::fit::RandomFit::mode_sd`); the 95% interval of a mode is `mode -+ 1.96 SD` on the
//! log scale, so `exp` of it is the LA's rate ratio against the average LA. A per-LA gradient is
//! [`from_random_slopes`]: the fixed coefficient (with its interactions at the LA's moderator
//! values) plus the LA's slope mode, with the interval from their joint covariance.

use super::la_gradients::{from_random_slopes, model_column, LaGradients, LaMeanInputs};
use super::stats::Z_975;
use super::ReportError;
use crate::design::{Design, FieldLocations};
use crate::fit::Fit;
use serde::Serialize;

/// One level's random effect.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelEffect {
    pub level: String,
    /// Rows of the data in this level.
    pub rows: usize,
    /// Conditional mode (log scale).
    pub mode: f64,
    /// Conditional SD of the mode.
    pub sd: f64,
    /// 95% interval `mode -+ 1.96 sd`.
    pub ci_low: f64,
    pub ci_high: f64,
}

/// The random effects of one column of one random-effect term, level by level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermEffects {
    /// Grouping factor as R names it (`la`, `msoa:la`).
    pub group: String,
    /// Random-effect column (`(Intercept)`, `imd_z`).
    pub term: String,
    /// The estimated SD of this random effect across levels.
    pub sd: f64,
    /// Levels in the order of the data.
    pub levels: Vec<LevelEffect>,
}

/// One location of a spatial field: its coordinates, the field's conditional mode there with
/// its conditional SD, and the data rows at it (source-file row numbers).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldLocation {
    pub x: f64,
    pub y: f64,
    pub mode: f64,
    pub sd: f64,
    pub rows: Vec<usize>,
}

/// The conditional modes of one spatial field (one level of its group) at its locations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldEffects {
    /// The field's grouping factor.
    pub group: String,
    /// Always `"exponential_field"`.
    pub kind: &'static str,
    /// The level of the group whose field this is.
    pub level: String,
    pub locations: Vec<FieldLocation>,
}

/// Every random effect by level, and the per-LA gradients of every random slope.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RandomEffectsReport {
    /// Random intercepts and slopes (spatial fields are in `fields`).
    pub terms: Vec<TermEffects>,
    /// Spatial fields: one entry per field (level of the field's group).
    pub fields: Vec<FieldEffects>,
    /// One per random slope whose column is also a fixed effect (`(1 + imd_z | la)`).
    pub gradients: Vec<LaGradients>,
    /// What the SDs and intervals include, in words.
    pub note: String,
    /// The scale of the modes, in words: `log` for the count families, `log-odds` for a
    /// binomial model with the logit link, else its link (`probit`, `complementary log-log`).
    pub scale: &'static str,
}

/// The scale of a family's linear predictor, in words (see [`RandomEffectsReport::scale`]).
pub fn scale_name(family: crate::fit::Family) -> &'static str {
    use crate::fit::Link;
    match family.binomial_link() {
        None => "log",
        Some(Link::Logit) => "log-odds",
        Some(Link::Probit) => "probit",
        Some(Link::Cloglog) => "complementary log-log",
    }
}

/// What the intervals of [`RandomEffectsReport`] include.
pub const NOTE: &str = "Each mode is the level's random effect on the log scale (0 is the average \
level); its SD is the conditional SD given the data, including the uncertainty of the estimated \
fixed effects and variances, as glmmTMB's ranef(condVar = TRUE) reports it. The 95% interval is \
mode -+ 1.96 SD.";

fn rows_per_level(design: &Design, term: usize, levels: usize) -> Vec<usize> {
    let mut rows = vec![0; levels];
    if let Some(term) = design.random.get(term) {
        for &l in &term.index {
            if let Some(r) = rows.get_mut(l) {
                *r += 1;
            }
        }
    }
    rows
}

/// The random effects of `fit`, a fit of `design`, level by level.
pub fn random_effects(fit: &Fit, design: &Design) -> Result<RandomEffectsReport, ReportError> {
    let mut terms = Vec::new();
    let mut gradients = Vec::new();
    let mut fields = Vec::new();
    for (k, r) in fit.random.iter().enumerate() {
        if let Some(field) = &r.field {
            fields.extend(field_effects(design, k, r, &field.locations));
            continue;
        }
        let rows = rows_per_level(design, k, r.levels.len());
        for (c, term) in r.terms.iter().enumerate() {
            let levels = r
                .levels
                .iter()
                .enumerate()
                .map(|(j, level)| {
                    let mode = r.modes.get(j).and_then(|m| m.get(c)).copied().unwrap_or(f64::NAN);
                    let sd = r.mode_sd.get(j).and_then(|m| m.get(c)).copied().unwrap_or(f64::NAN);
                    LevelEffect {
                        level: level.clone(),
                        rows: rows.get(j).copied().unwrap_or(0),
                        mode,
                        sd,
                        ci_low: mode - Z_975 * sd,
                        ci_high: mode + Z_975 * sd,
                    }
                })
                .collect();
            terms.push(TermEffects {
                group: r.group.clone(),
                term: term.clone(),
                sd: r.sd.get(c).copied().unwrap_or(f64::NAN),
                levels,
            });
            if term != "(Intercept)" && fit.terms.contains(term) {
                let deprivation = model_column(design, term)?;
                let means = LaMeanInputs { deprivation: &deprivation, population: None };
                gradients.push(from_random_slopes(fit, design, term, &r.group, means)?);
            }
        }
    }
    let scale = scale_name(fit.family);
    let note = if fit.family.is_binomial() {
        NOTE.replace("on the log scale", &format!("on the {scale} scale"))
    } else {
        NOTE.to_owned()
    };
    Ok(RandomEffectsReport { terms, fields, gradients, note, scale })
}

/// The fields of design term `k` (fitted as `r`), one per level of its group.
fn field_effects(
    design: &Design,
    k: usize,
    r: &crate::fit::RandomFit,
    locations: &FieldLocations,
) -> Vec<FieldEffects> {
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); locations.len()];
    if let Some(term) = design.random.get(k) {
        for (i, &l) in term.index.iter().enumerate() {
            if let Some(at) = rows.get_mut(l) {
                at.push(design.rows.get(i).copied().unwrap_or(i + 1));
            }
        }
    }
    let mut fields: Vec<FieldEffects> = locations
        .groups
        .iter()
        .map(|level| FieldEffects {
            group: r.group.clone(),
            kind: "exponential_field",
            level: level.clone(),
            locations: Vec::new(),
        })
        .collect();
    for (l, at) in rows.into_iter().enumerate() {
        let Some(field) = locations.group.get(l).and_then(|&g| fields.get_mut(g)) else { continue };
        field.locations.push(FieldLocation {
            x: locations.x[l],
            y: locations.y[l],
            mode: r.modes.get(l).and_then(|m| m.first()).copied().unwrap_or(f64::NAN),
            sd: r.mode_sd.get(l).and_then(|m| m.first()).copied().unwrap_or(f64::NAN),
            rows: at,
        });
    }
    fields.retain(|f| !f.locations.is_empty());
    fields
}

/// The report as text: one table per term, then the per-LA gradients.
pub fn render_random_effects(report: &RandomEffectsReport) -> String {
    let mut out = format!("\nRandom effects by level (conditional modes, {} scale):\n", report.scale);
    for t in &report.terms {
        out.push_str(&format!("\n{} | {}  (SD {:.4})\n", t.term, t.group, t.sd));
        let width = t.levels.iter().map(|l| l.level.len()).max().unwrap_or(5).max(5);
        out.push_str(&format!(
            "{:<width$} {:>5} {:>10} {:>9} {:>10} {:>10}\n",
            "level", "rows", "mode", "cond. SD", "2.5%", "97.5%"
        ));
        for l in &t.levels {
            out.push_str(&format!(
                "{:<width$} {:>5} {:>10.4} {:>9.4} {:>10.4} {:>10.4}\n",
                l.level, l.rows, l.mode, l.sd, l.ci_low, l.ci_high
            ));
        }
    }
    for f in &report.fields {
        let level = if report.fields.len() > 1 { format!(" ({})", f.level) } else { String::new() };
        out.push_str(&format!(
            "\nSpatial field over {}{level}: {} locations (conditional modes, {} scale)\n",
            f.group,
            f.locations.len(),
            report.scale
        ));
        out.push_str(&format!("{:>12} {:>12} {:>10} {:>9}  {}\n", "x", "y", "mode", "cond. SD", "rows"));
        for l in &f.locations {
            let rows: Vec<String> = l.rows.iter().map(|r| r.to_string()).collect();
            out.push_str(&format!(
                "{:>12} {:>12} {:>10.4} {:>9.4}  {}\n",
                crate::report::rformat::format_g(l.x, 8),
                crate::report::rformat::format_g(l.y, 8),
                l.mode,
                l.sd,
                rows.join(" ")
            ));
        }
    }
    for g in &report.gradients {
        out.push_str(&format!("\nSocial gradient of '{}' by {}:\n", g.term, g.group));
        let width = g.gradients.iter().map(|l| l.level.len()).max().unwrap_or(5).max(5);
        out.push_str(&format!("{:<width$} {:>9} {:>9} {:>9}\n", "level", "score", "2.5%", "97.5%"));
        for l in &g.gradients {
            out.push_str(&format!(
                "{:<width$} {:>9.4} {:>9.4} {:>9.4}\n",
                l.level, l.score, l.ci_low, l.ci_high
            ));
        }
        out.push_str(&format!("{}\n", g.note));
    }
    out.push_str(&format!("\n{}\n", report.note));
    out
}
