//! The text summary of a fit, laid out as glmmTMB's `print(summary(fit))` lays it out (same
//! blocks, column layout and R number formatting), followed by a table of incidence rate (or odds)
//! ratios, the warnings and any profile-likelihood intervals; rendered on demand
//! ([`FitReport::text`]) and when a report is serialised (as its field `text`).

use super::profile::render_profiles;
use super::rformat::{
    format_g, format_numbers, format_pvalues, render_table, round_half_even, signif_stars, zap_small, P_EPS,
    SIGNIF_LEGEND,
};
use super::summary::{Coefficient, FitReport, RandomEffect};
use crate::design::GroupCount;
use crate::fit::Link;
use serde::ser::{Serialize, SerializeStruct, Serializer};

/// The `digits` glmmTMB's summary prints with: `max(3, getOption("digits") - 3)`.
const DIGITS: i32 = 4;

impl FitReport {
    /// The text summary, laid out like glmmTMB's `summary()`, followed by the rate-ratio table,
    /// the warnings and the profile-likelihood intervals when there are any.
    pub fn text(&self) -> String {
        render_summary(self) + &render_profiles(self)
    }
}

/// The report's fields, then its text (`text`).
impl Serialize for FitReport {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Every field is named here, so that a field added to the report is serialised too.
        let FitReport {
            family,
            formula,
            coefficients,
            loglik,
            aic,
            bic,
            df,
            df_resid,
            deviance,
            nobs,
            dispersion,
            dispersion_name,
            dispersion_ci_low,
            dispersion_ci_high,
            dispersion_profile_ci,
            random_effects,
            groups,
            converged,
            singular,
            warnings,
            rows_dropped,
            dropped_terms,
            iterations,
            max_abs_gradient,
            zi_formula,
            zi_coefficients,
        } = self;
        let mut s = serializer.serialize_struct("FitReport", 28)?;
        s.serialize_field("family", family)?;
        match family.binomial_link() {
            Some(link) => s.serialize_field("link", &link)?,
            None => s.skip_field("link")?,
        }
        s.serialize_field("formula", formula)?;
        match family.binomial_link() {
            None => s.serialize_field("coefficients", coefficients)?,
            Some(link) => {
                let rows: Vec<serde_json::Value> =
                    coefficients.iter().map(|c| binomial_coefficient(c, link)).collect();
                s.serialize_field("coefficients", &rows)?
            }
        }
        s.serialize_field("loglik", loglik)?;
        s.serialize_field("aic", aic)?;
        s.serialize_field("bic", bic)?;
        s.serialize_field("df", df)?;
        s.serialize_field("df_resid", df_resid)?;
        s.serialize_field("deviance", deviance)?;
        s.serialize_field("nobs", nobs)?;
        s.serialize_field("dispersion", dispersion)?;
        s.serialize_field("dispersion_name", dispersion_name)?;
        s.serialize_field("dispersion_ci_low", dispersion_ci_low)?;
        s.serialize_field("dispersion_ci_high", dispersion_ci_high)?;
        match dispersion_profile_ci {
            Some(ci) => s.serialize_field("dispersion_profile_ci", ci)?,
            None => s.skip_field("dispersion_profile_ci")?,
        }
        s.serialize_field("random_effects", random_effects)?;
        s.serialize_field("groups", groups)?;
        s.serialize_field("converged", converged)?;
        s.serialize_field("singular", singular)?;
        s.serialize_field("warnings", warnings)?;
        s.serialize_field("rows_dropped", rows_dropped)?;
        s.serialize_field("dropped_terms", dropped_terms)?;
        s.serialize_field("iterations", iterations)?;
        s.serialize_field("max_abs_gradient", max_abs_gradient)?;
        match zi_formula {
            Some(f) => {
                s.serialize_field("zi_formula", f)?;
                s.serialize_field("zi_coefficients", zi_coefficients)?;
            }
            None => {
                s.skip_field("zi_formula")?;
                s.skip_field("zi_coefficients")?;
            }
        }
        s.serialize_field("text", &self.text())?;
        s.end()
    }
}

/// A coefficient of a binomial model as serialised: with the logit link, `exp(estimate)` and
/// its interval are odds ratios (`odds_ratio`, `odds_ratio_ci_low`, `odds_ratio_ci_high`);
/// with the probit and cloglog links `exp(estimate)` is no ratio a reader would use, so the
/// coefficient is on the link scale alone.
fn binomial_coefficient(c: &Coefficient, link: Link) -> serde_json::Value {
    let mut value = serde_json::to_value(c).unwrap_or(serde_json::Value::Null);
    if let Some(map) = value.as_object_mut() {
        for (from, to) in [
            ("irr", "odds_ratio"),
            ("irr_ci_low", "odds_ratio_ci_low"),
            ("irr_ci_high", "odds_ratio_ci_high"),
        ] {
            if let Some(v) = map.remove(from) {
                if link == Link::Logit {
                    map.insert(to.to_owned(), v);
                }
            }
        }
    }
    value
}

/// What the exponentiated coefficients of a binomial model with a link other than logit are not.
pub fn link_scale_note(link: Link) -> &'static str {
    match link {
        Link::Logit => "",
        Link::Probit => {
            "Coefficients are on the probit scale (a step in the standard normal quantile of the \
             probability); exp(Estimate) is not an odds ratio or a rate ratio."
        }
        Link::Cloglog => {
            "Coefficients are on the complementary log-log scale; exp(Estimate) multiplies \
             -log(1 - p), a ratio of hazards if the events come from a process in continuous \
             time, and is not an odds ratio."
        }
    }
}

/// The whole text summary of a report, without its profile intervals.
fn render_summary(report: &FitReport) -> String {
    let mut out = String::new();
    out.push_str(&format!(" Family: {}  ( {} )\n", report.family.name(), report.family.link_name()));
    out.push_str(&format!("Formula:          {}\n", report.formula));
    if let Some(zi) = &report.zi_formula {
        out.push_str(&format!("Zero inflation:            {zi}\n"));
    }
    out.push('\n');
    for line in fit_statistics_lines(report) {
        out.push_str(&line);
        out.push('\n');
    }
    out.push('\n');
    if !report.random_effects.is_empty() {
        out.push_str("Random effects:\n\nConditional model:\n");
        for line in variance_components_lines(&report.random_effects, &report.groups) {
            out.push_str(&line);
            out.push('\n');
        }
        out.push_str(&groups_line(report.nobs, &ordered_groups(&report.groups)));
        out.push('\n');
        for line in field_lines(&report.random_effects) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    if let Some(d) = report.dispersion {
        out.push_str(&format!(
            "\nDispersion parameter for {} family (): {} \n",
            report.family.name(),
            format_g(d, 3)
        ));
    }
    out.push_str("\nConditional model:\n");
    for line in coefficient_lines(&report.coefficients) {
        out.push_str(&line);
        out.push('\n');
    }
    match report.family.binomial_link() {
        None | Some(Link::Logit) => {
            let (title, header) = if report.family.is_binomial() {
                ("Odds ratios", "OR")
            } else {
                ("Incidence rate ratios", "IRR")
            };
            out.push_str(&format!("\n{title}, exp(Estimate), with 95% Wald confidence intervals:\n"));
            for line in ratio_lines(&report.coefficients, header) {
                out.push_str(&line);
                out.push('\n');
            }
        }
        Some(link) => {
            out.push('\n');
            out.push_str(link_scale_note(link));
            out.push('\n');
        }
    }
    if !report.zi_coefficients.is_empty() {
        out.push_str("\nZero-inflation model (logit of the probability of a structural zero):\n");
        for line in coefficient_lines(&report.zi_coefficients) {
            out.push_str(&line);
            out.push('\n');
        }
        out.push_str(
            "Expected counts are (1 - p) x mu: the probability p of a structural zero times the rate of the \
             conditional model.\n",
        );
    }
    if let (Some(name), Some(d)) = (&report.dispersion_name, report.dispersion) {
        out.push_str(&format!("\nDispersion {name}: {}", format_g(d, 4)));
        if let (Some(lo), Some(hi)) = (report.dispersion_ci_low, report.dispersion_ci_high) {
            out.push_str(&format!(" (95% CI {} to {})", format_g(lo, 4), format_g(hi, 4)));
        }
        out.push('\n');
    }
    if !report.warnings.is_empty() {
        out.push_str("\nWarnings:\n");
        for w in &report.warnings {
            out.push_str(&format!("  - {}\n    What to try: {}\n", w.message, w.advice));
        }
    }
    out
}

/// The `AIC BIC logLik deviance df.resid` lines: values rounded to one decimal and formatted
/// together, `df.resid` on its own, printed as R prints a named character vector.
pub fn fit_statistics_lines(report: &FitReport) -> Vec<String> {
    let names = ["AIC", "BIC", "logLik", "deviance", "df.resid"];
    let rounded: Vec<f64> = [report.aic, report.bic, report.loglik, report.deviance]
        .iter()
        .map(|&x| round_half_even(x, 1))
        .collect();
    let mut values = format_numbers(&rounded, 7, 0);
    values.push(report.df_resid.to_string());
    let width =
        names.iter().map(|n| n.len()).chain(values.iter().map(|v| v.chars().count())).max().unwrap_or(0);
    let header: String = names.iter().map(|n| format!("{n:>width$} ")).collect();
    let row: String = values.iter().map(|v| format!("{v:>width$} ")).collect();
    vec![header, row]
}

/// Random-effect groups in the order lme4 and glmmTMB print them: most levels first, ties in
/// formula order.
fn ordered_groups(groups: &[GroupCount]) -> Vec<GroupCount> {
    let mut g = groups.to_vec();
    g.sort_by_key(|b| std::cmp::Reverse(b.levels));
    g
}

/// `Number of obs: 300, groups:  msoa:la, 60; la, 12`.
fn groups_line(nobs: usize, groups: &[GroupCount]) -> String {
    let parts: Vec<String> = groups.iter().map(|g| format!("{}, {}", g.group, g.levels)).collect();
    format!("Number of obs: {nobs}, groups:  {}", parts.join("; "))
}

/// The `Groups Name Variance Std.Dev. Corr` table (lme4's `formatVC`).
/// One paragraph per spatial field: its SD and range with their 95% Wald intervals, the
/// correlation they imply, and how the field was computed.
pub fn field_lines(effects: &[RandomEffect]) -> Vec<String> {
    let interval = |ci: Option<[f64; 2]>| {
        ci.map_or_else(String::new, |[lo, hi]| {
            format!(" (95% CI {} to {})", format_g(lo, 4), format_g(hi, 4))
        })
    };
    let mut out = Vec::new();
    for e in effects {
        let Some(f) = &e.field else { continue };
        let method = match f.approximation {
            crate::fit::field::FieldApproximation::Exact => "exact".to_owned(),
            crate::fit::field::FieldApproximation::NearestNeighbour { neighbours } => {
                format!("nearest-neighbour approximation with {neighbours} neighbours")
            }
        };
        out.push(format!(
            "\nSpatial field over {} ({}, {}; {} locations, {method}):",
            e.group, f.coordinates[0], f.coordinates[1], f.locations
        ));
        out.push(format!("  SD    {}{}", format_g(e.sd, 4), interval(f.sd_ci)));
        if !f.range_identified {
            out.push("  range not identified: the field's SD is estimated as (near) zero".to_owned());
            continue;
        }
        out.push(format!("  range {} {}{}", format_g(f.range, 4), f.range_units, interval(f.range_ci)));
        out.push(format!(
            "  correlation sd^2 exp(-distance / range): {} at {} {}, {} at {} {}",
            format_g((-1.0f64).exp(), 2),
            format_g(f.range, 4),
            f.range_units,
            format_g((-3.0f64).exp(), 2),
            format_g(3.0 * f.range, 4),
            f.range_units
        ));
    }
    out
}

pub fn variance_components_lines(effects: &[RandomEffect], groups: &[GroupCount]) -> Vec<String> {
    let mut names: Vec<&str> = Vec::new();
    for e in effects {
        if !names.contains(&e.group.as_str()) {
            names.push(&e.group);
        }
    }
    let levels = |name: &str| groups.iter().find(|g| g.group == name).map_or(0, |g| g.levels);
    names.sort_by_key(|b| std::cmp::Reverse(levels(b)));
    let blocks: Vec<Vec<&RandomEffect>> =
        names.iter().map(|name| effects.iter().filter(|e| e.group == *name).collect()).collect();
    let rows: Vec<&RandomEffect> = blocks.iter().flatten().copied().collect();
    let variances = format_numbers(&rows.iter().map(|e| e.variance).collect::<Vec<_>>(), DIGITS, 0);
    let sds = format_numbers(&rows.iter().map(|e| e.sd).collect::<Vec<_>>(), DIGITS, 0);
    let maxlen = blocks.iter().map(Vec::len).max().unwrap_or(0);
    let use_corr = maxlen > 1;

    let mut headers: Vec<String> = ["Groups", "Name", "Variance", "Std.Dev."].map(str::to_owned).to_vec();
    if use_corr {
        headers.push("Corr".to_owned());
        headers.extend(std::iter::repeat(String::new()).take(maxlen - 1));
    }
    let mut cells: Vec<Vec<String>> = Vec::with_capacity(rows.len());
    let mut k = 0;
    for block in &blocks {
        let corr_cells = if use_corr { correlation_cells(block, maxlen) } else { Vec::new() };
        for (i, e) in block.iter().enumerate() {
            let mut row = vec![
                if i == 0 { e.group.clone() } else { String::new() },
                e.term.clone(),
                variances.get(k).cloned().unwrap_or_default(),
                sds.get(k).cloned().unwrap_or_default(),
            ];
            if use_corr {
                row.extend(corr_cells.get(i).cloned().unwrap_or_else(|| vec![String::new(); maxlen]));
            }
            cells.push(row);
            k += 1;
        }
    }
    let names = vec![String::new(); cells.len()];
    render_table(&names, &headers, &cells, false)
}

/// The lower triangle of a group's correlation matrix, formatted as
/// `format(round(x, 2), nsmall = 2)`, padded to `maxlen` columns.
fn correlation_cells(block: &[&RandomEffect], maxlen: usize) -> Vec<Vec<String>> {
    let n = block.len();
    let corr_of = |i: usize, j: usize| -> f64 {
        if i == j {
            return 1.0;
        }
        let (a, b) = match (block.get(i), block.get(j)) {
            (Some(a), Some(b)) => (a, b),
            _ => return f64::NAN,
        };
        a.corr.iter().find(|c| c.term == b.term).map_or(f64::NAN, |c| c.value)
    };
    let all: Vec<f64> = (0..n)
        .flat_map(|i| (0..n).map(move |j| (i, j)))
        .map(|(i, j)| round_half_even(corr_of(i, j), 2))
        .collect();
    let formatted = format_numbers(&all, DIGITS, 2);
    (0..n)
        .map(|i| {
            (0..maxlen)
                .map(|j| {
                    // Terms of one group fitted without a correlation ((1 | la) + (0 + x | la)) have
                    // none to print: a blank, as lme4 prints separate blocks.
                    if j < i && !corr_of(i, j).is_nan() {
                        formatted.get(i * n + j).cloned().unwrap_or_default()
                    } else {
                        String::new()
                    }
                })
                .collect()
        })
        .collect()
}

/// The coefficient table as R's `printCoefmat(digits = 4, zap.ind = 3)` prints it, with the
/// significance legend when any p-value is below 0.1.
pub fn coefficient_lines(coefs: &[Coefficient]) -> Vec<String> {
    let est_se: Vec<f64> = coefs.iter().flat_map(|c| [c.estimate, c.std_error]).collect();
    let nonzero: Vec<f64> = est_se.iter().map(|x| x.abs()).filter(|x| x.is_finite() && *x != 0.0).collect();
    let decimals = match nonzero.iter().copied().reduce(f64::min) {
        Some(min) => (DIGITS - (1 + min.log10().floor() as i32)).max(1),
        None => 1,
    };
    // Estimates and standard errors are formatted together (as one matrix).
    let rounded: Vec<f64> = est_se.iter().map(|&x| round_half_even(x, decimals)).collect();
    let mut est_se_text = format_numbers(&rounded, DIGITS, 0);
    for (i, text) in est_se_text.iter_mut().enumerate() {
        let value = est_se.get(i).copied().unwrap_or(f64::NAN);
        let shown_zero = text.trim().parse::<f64>() == Ok(0.0);
        if value.is_finite() && (value == 0.0) != shown_zero {
            *text = format_numbers(&[value], DIGITS - 1, 0).concat();
        }
    }
    let z: Vec<f64> = zap_small(&coefs.iter().map(|c| c.z).collect::<Vec<_>>(), DIGITS)
        .into_iter()
        .map(|x| round_half_even(x, 3))
        .collect();
    let z_text = format_numbers(&z, DIGITS, 0);
    let p: Vec<f64> = coefs.iter().map(|c| c.p).collect();
    let finite_p: Vec<f64> = p.iter().copied().filter(|x| !x.is_nan()).collect();
    let mut p_text_finite = format_pvalues(&finite_p, 3, P_EPS).into_iter();
    let p_text: Vec<String> = p
        .iter()
        .map(|x| if x.is_nan() { "NA".to_owned() } else { p_text_finite.next().unwrap_or_default() })
        .collect();
    let stars = finite_p.iter().any(|&x| x < 0.1);
    let star_width = if stars { p.iter().map(|&x| signif_stars(x).len()).max().unwrap_or(0) } else { 0 };

    let mut headers: Vec<String> =
        ["Estimate", "Std. Error", "z value", "Pr(>|z|)"].map(str::to_owned).to_vec();
    if stars {
        headers.push(String::new());
    }
    let cells: Vec<Vec<String>> = coefs
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut row = vec![
                est_se_text.get(2 * i).cloned().unwrap_or_default(),
                est_se_text.get(2 * i + 1).cloned().unwrap_or_default(),
                z_text.get(i).cloned().unwrap_or_default(),
                p_text.get(i).cloned().unwrap_or_default(),
            ];
            if stars {
                row.push(format!("{:<star_width$}", signif_stars(c.p)));
            }
            row
        })
        .collect();
    let names: Vec<String> = coefs.iter().map(|c| c.term.clone()).collect();
    let mut lines = render_table(&names, &headers, &cells, true);
    if stars {
        lines.push("---".to_owned());
        lines.push(SIGNIF_LEGEND.to_owned());
    }
    lines
}

/// The table of `exp(Estimate)` (rate or odds ratios, headed `header`) and its 95% Wald
/// interval, each column formatted with four significant digits.
pub fn ratio_lines(coefs: &[Coefficient], header: &str) -> Vec<String> {
    let column =
        |f: fn(&Coefficient) -> f64| format_numbers(&coefs.iter().map(f).collect::<Vec<_>>(), DIGITS, 0);
    let (irr, low, high) = (column(|c| c.irr), column(|c| c.irr_ci_low), column(|c| c.irr_ci_high));
    let cells: Vec<Vec<String>> = (0..coefs.len())
        .map(|i| [&irr, &low, &high].iter().map(|col| col.get(i).cloned().unwrap_or_default()).collect())
        .collect();
    let names: Vec<String> = coefs.iter().map(|c| c.term.clone()).collect();
    let headers: Vec<String> = [header, "2.5 %", "97.5 %"].map(str::to_owned).to_vec();
    render_table(&names, &headers, &cells, true)
}
