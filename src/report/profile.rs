//! Profile-likelihood intervals in a fit report: which parameters to profile (the dispersion,
//! every random-effect SD and the fixed effects asked for), their intervals filled in, and
//! their text (see [`crate::fit::Optimum::profile`] for the method). Wald intervals stay in the
//! report; the profile intervals are added beside them.

use super::rformat::format_g;
use super::{FitReport, ReportError};
use crate::design::Design;
use crate::fit::{ProfileInterval, ProfileParameter};

/// The parameters to profile in a fit of `design` reported as `report`: the fixed effects
/// named in `terms` (as the report names them), then the dispersion and every random-effect SD.
pub fn profile_parameters(
    report: &FitReport,
    design: &Design,
    terms: &[String],
) -> Result<Vec<ProfileParameter>, ReportError> {
    let mut parameters = Vec::new();
    for term in terms {
        let position = report.coefficients.iter().position(|c| &c.term == term).ok_or_else(|| {
            ReportError::UnknownProfileTerm {
                term: term.clone(),
                known: report.coefficients.iter().map(|c| c.term.clone()).collect(),
            }
        })?;
        parameters.push(ProfileParameter::Fixed(position));
    }
    if report.family.has_dispersion() {
        parameters.push(ProfileParameter::Dispersion);
    }
    for (term, random) in design.random.iter().enumerate() {
        parameters.extend((0..random.terms.len()).map(|column| ProfileParameter::RandomSd { term, column }));
        if random.field.is_some() {
            parameters.push(ProfileParameter::FieldRange { term });
        }
    }
    Ok(parameters)
}

/// Fills the `*_profile_ci` fields of `report` from the profile intervals.
pub fn fill_profiles(report: &mut FitReport, intervals: &[ProfileInterval]) {
    let mut next = 0;
    for interval in intervals {
        let ci = Some([interval.low, interval.high]);
        match interval.parameter {
            ProfileParameter::Fixed(j) => {
                if let Some(c) = report.coefficients.get_mut(j) {
                    c.profile_ci = ci;
                }
            }
            ProfileParameter::Dispersion => report.dispersion_profile_ci = ci,
            ProfileParameter::RandomSd { .. } => {
                if let Some(effect) = report.random_effects.get_mut(next) {
                    effect.sd_profile_ci = ci;
                }
                next += 1;
            }
            // Right after its field's SD.
            ProfileParameter::FieldRange { .. } => {
                if let Some(field) = next
                    .checked_sub(1)
                    .and_then(|k| report.random_effects.get_mut(k))
                    .and_then(|e| e.field.as_mut())
                {
                    field.range_profile_ci = ci;
                }
            }
        }
    }
}

/// The text section listing the profile intervals (empty when there are none).
pub fn render_profiles(report: &FitReport) -> String {
    let limit = |v: Option<f64>| v.map_or_else(|| "none (boundary)".to_owned(), |v| format_g(v, 5));
    let mut rows: Vec<(String, f64, [Option<f64>; 2])> = Vec::new();
    for c in &report.coefficients {
        if let Some(ci) = c.profile_ci {
            rows.push((c.term.clone(), c.estimate, ci));
        }
    }
    if let (Some(d), Some(ci), Some(name)) =
        (report.dispersion, report.dispersion_profile_ci, report.dispersion_name.as_deref())
    {
        rows.push((name.split(' ').next().unwrap_or("dispersion").to_owned(), d, ci));
    }
    for r in &report.random_effects {
        if let Some(ci) = r.sd_profile_ci {
            rows.push((format!("SD {} | {}", r.term, r.group), r.sd, ci));
        }
        if let Some((f, ci)) = r.field.as_ref().and_then(|f| f.range_profile_ci.map(|ci| (f, ci))) {
            rows.push((format!("range ({}) {} | {}", f.range_units, r.term, r.group), f.range, ci));
        }
    }
    if rows.is_empty() {
        return String::new();
    }
    let mut out = String::from("\nProfile-likelihood 95% intervals (Wald intervals above):\n");
    let width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    for (name, estimate, [low, high]) in rows {
        out.push_str(&format!(
            "  {name:<width$}  {:>10}  [{}, {}]\n",
            format_g(estimate, 5),
            limit(low),
            limit(high)
        ));
    }
    out
}
