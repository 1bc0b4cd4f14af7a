//! Social gradients from Webb et al. 2020, Table 3.
//!
//! LA-level inputs are standardised with Table 1's mean and SD over the study's LAs:
//! `z_imd = (LA IMD score - 22.0) / 8.14` and `z_gini = (LA Gini - 0.386) / 0.014`; an input
//! left out is the average (z = 0). With Table 3's coefficients for an outcome,
//!
//! `log SG = B_lsoa + B_(LA IMD x LSOA IMD) z_imd + B_(Gini x LSOA IMD) z_gini`
//!
//! and the social gradient `SG` is the rate ratio per 1 SD rise in neighbourhood (LSOA) IMD
//! score within the LA. Its 95% confidence interval is `exp(log SG +- 1.96 sd)` with the delta
//! method variance `SE_lsoa^2 + z_imd^2 SE_1^2 + z_gini^2 SE_2^2`: the paper publishes no
//! covariances between the coefficients, so they are taken as zero (and the results say so).
//! At z = (0, 0) the score is Table 3's printed Exp(B).

use serde::Serialize;

use super::comparison::{AverageComparison, RangeKind, RangeNote};
use super::format::{self, number, Quantity, Shown};
use super::wording::{above_below, tables, trimmed};
use super::{finite, CalcError, Curve, GradientResult, Like, Point, ResolvedContext, Series, Z_975};
use crate::tables::webb2020::{
    table3, ContextGradient, Outcome, SummaryRow, DOCUMENT, LA_GINI_SUMMARY, LA_IMD_SUMMARY, SEED,
    TABLE4_CONTEXT_GRADIENTS,
};

/// Unit of every Webb et al. 2020 social gradient.
pub const UNIT: &str = "rate ratio per 1 SD rise in neighbourhood IMD score (within LA)";

/// Fewest and most points of a rate curve.
pub const CURVE_POINTS: (usize, usize) = (2, 1001);

/// The resolved context of a Webb et al. 2020 result.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct WebbContext {
    pub outcome: Outcome,
    /// LA IMD 2015 average score.
    pub la_imd: f64,
    /// Standardised LA IMD score.
    pub la_imd_z: f64,
    /// LA Gini coefficient.
    pub gini: f64,
    /// Standardised LA Gini coefficient.
    pub gini_z: f64,
}

/// The two LA-level inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LaInput {
    Imd,
    Gini,
}

impl LaInput {
    fn summary(self) -> &'static SummaryRow {
        match self {
            LaInput::Imd => &LA_IMD_SUMMARY,
            LaInput::Gini => &LA_GINI_SUMMARY,
        }
    }

    fn raw_field(self) -> &'static str {
        match self {
            LaInput::Imd => "la_imd",
            LaInput::Gini => "gini",
        }
    }

    fn z_field(self) -> &'static str {
        match self {
            LaInput::Imd => "la_imd_z",
            LaInput::Gini => "gini_z",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            LaInput::Imd => "LA IMD score",
            LaInput::Gini => "LA Gini coefficient",
        }
    }

    /// How a raw value is shown.
    fn quantity(self) -> Quantity {
        match self {
            LaInput::Imd => Quantity::Imd,
            LaInput::Gini => Quantity::Gini,
        }
    }

    /// The rule a raw value breaks, if any: IMD 2015 scores lie in [0, 100] (a weighted sum of
    /// domain scores each scaled to 0-100) and a Gini coefficient in (0, 1).
    fn impossible(self, raw: f64) -> Option<&'static str> {
        match self {
            LaInput::Imd if !(0.0..=100.0).contains(&raw) => {
                Some("an IMD 2015 average score lies between 0 and 100")
            }
            LaInput::Gini if raw <= 0.0 || raw >= 1.0 => {
                Some("a Gini coefficient lies strictly between 0 and 1")
            }
            _ => None,
        }
    }
}

/// One LA-level input as raw value and z-score.
#[derive(Debug, Clone, Copy)]
struct Resolved {
    input: LaInput,
    raw: f64,
    z: f64,
    given_raw: bool,
    /// Outside Table 1's range over the study's LAs.
    outside: bool,
}

fn resolve(input: LaInput, raw: Option<f64>, z: Option<f64>) -> Result<Resolved, CalcError> {
    let s = input.summary();
    let (raw, z, given_raw) = match (raw, z) {
        (Some(_), Some(_)) => {
            return Err(CalcError::Conflict {
                first: input.raw_field().to_string(),
                second: input.z_field().to_string(),
                reason: format!("both give the {}", input.noun()),
            })
        }
        (Some(x), None) => {
            finite(input.raw_field(), x)?;
            if let Some(rule) = input.impossible(x) {
                return Err(CalcError::OutOfRange {
                    field: input.raw_field().to_string(),
                    value: x,
                    allowed: rule.to_string(),
                });
            }
            (x, (x - s.mean) / s.sd, true)
        }
        (None, Some(z)) => {
            finite(input.z_field(), z)?;
            let x = s.mean + z * s.sd;
            if let Some(rule) = input.impossible(x) {
                return Err(CalcError::OutOfRange {
                    field: input.z_field().to_string(),
                    value: z,
                    allowed: format!(
                        "it means an {} of {} (mean {} + z x SD {}, Table 1), but {rule}",
                        input.noun(),
                        trimmed(x, 4),
                        s.mean,
                        s.sd
                    ),
                });
            }
            (x, z, false)
        }
        (None, None) => (s.mean, 0.0, false),
    };
    // Outside Table 1's range as both are shown: an IMD score of 8.857 shows as 8.9, as does the
    // printed minimum 8.86, so it is not called outside.
    let q = input.quantity();
    let as_shown = |x: f64| format::rounded(x, q.decimals(x));
    let outside = as_shown(raw) < as_shown(s.min) || as_shown(raw) > as_shown(s.max);
    Ok(Resolved { input, raw, z, given_raw, outside })
}

impl Resolved {
    /// In plain words, as a phrase after "an LA": "more deprived than any of the study's LAs",
    /// "with about the study's average income inequality".
    fn plain(&self) -> String {
        let s = self.input.summary();
        let above = self.raw > s.mean;
        let (more, less, noun, with) = match self.input {
            LaInput::Imd => ("more deprived", "less deprived", "deprivation", ""),
            LaInput::Gini => {
                ("with more unequal incomes", "with more equal incomes", "income inequality", "with ")
            }
        };
        let side = if above { more } else { less };
        if self.outside {
            format!("{side} than any of the study's LAs")
        } else if self.z == 0.0 {
            format!("{with}the study's average {noun}")
        } else if self.z.abs() < 0.5 {
            format!("{with}about the study's average {noun}")
        } else if self.z.abs() < 1.5 {
            format!("{side} than the study's average LA")
        } else {
            let side = side.replacen("more", "much more", 1);
            format!("{side} than the study's average LA")
        }
    }

    /// "LA IMD score 42.0: 2.46 SD above the study's mean of 22.0 (Table 1; z = 2.46)".
    fn technical(&self) -> String {
        let s = self.input.summary();
        let q = self.input.quantity();
        if number(Quantity::Z, self.z) == "0.00" {
            return format!(
                "{} {}: the study's mean (SD {}, Table 1), z = 0.",
                self.input.noun(),
                number(q, self.raw),
                s.sd
            );
        }
        format!(
            "{} {}: {} SD {} the study's mean of {} (SD {}, Table 1), z = {}.",
            self.input.noun(),
            number(q, self.raw),
            number(Quantity::Z, self.z.abs()),
            above_below(self.z),
            number(q, s.mean),
            s.sd,
            number(Quantity::Z, self.z)
        )
    }

    /// "deprivation 1 SD below the study average (IMD score 13.9)", for chart legends.
    fn describe(&self) -> String {
        let (what, short) = match self.input {
            LaInput::Imd => ("deprivation", "IMD score"),
            LaInput::Gini => ("income inequality", "Gini"),
        };
        let raw = number(self.input.quantity(), self.raw);
        if self.z == 0.0 {
            format!("average {what} ({short} {raw})")
        } else {
            format!(
                "{what} {} SD {} the study average ({short} {raw})",
                trimmed(self.z.abs(), 2),
                above_below(self.z)
            )
        }
    }

    /// Where the value lies against Table 1's range, when outside it, with both sides at the same
    /// precision: "an LA IMD score of 42.0 is above the highest of the study's LAs (41.2, Table 1)".
    fn outside_words(&self, like: Option<&Like>) -> Option<String> {
        let s = self.input.summary();
        let q = self.input.quantity();
        self.outside.then(|| {
            let (side, bound) =
                if self.raw > s.max { ("above the highest", s.max) } else { ("below the lowest", s.min) };
            // The LA's own value is named as the LA's; a value the user set is "an ... of ...".
            let own = like.filter(|l| self.input == LaInput::Imd && !l.changed.contains(&"LA IMD score"));
            let subject = match own {
                Some(like) => format!("{}'s {}, {},", like.name, self.input.noun(), number(q, self.raw)),
                None => format!("an {} of {}", self.input.noun(), number(q, self.raw)),
            };
            format!("{subject} is {side} of the study's LAs ({}, Table 1)", number(q, bound))
        })
    }

    fn extrapolation_warning(&self) -> Option<String> {
        self.outside_words(None).map(|w| format!("{}, so this is an extrapolation.", capitalise(&w)))
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
}

/// The step every Webb et al. 2020 score is per, in plain words (Table 2: at -1, 0 and +1 SD of
/// the neighbourhood IMD score, 4.6%, 14.5% and 24.5% of people are income-deprived).
pub const STEP_WORDS: &str = "each step up in neighbourhood deprivation, compared with the LA's other \
                              neighbourhoods (a step is roughly 10 more in every 100 people living in \
                              income deprivation)";

/// The Table 4 cell printed for exactly this context, if any.
fn table4_cell(outcome: Outcome, z_imd: f64, z_gini: f64) -> Option<&'static ContextGradient> {
    const SAME: f64 = 1e-6;
    TABLE4_CONTEXT_GRADIENTS.iter().find(|cell| {
        let (zi, zg) = cell.context.z();
        cell.outcome == outcome && (zi - z_imd).abs() < SAME && (zg - z_gini).abs() < SAME
    })
}

/// What to say about a Webb et al. 2020 context beside its score: warnings (approximate
/// interval, not-significant cells and interactions, extrapolation), the technical notes (how
/// each input was read, the Table 4 cell when one is printed) and whether the context lies
/// outside the study's LAs.
fn context_notes(
    outcome: Outcome,
    imd: &Resolved,
    gin: &Resolved,
    printed: Option<&ContextGradient>,
    shown: &Shown,
    like: Option<&Like>,
) -> (Vec<String>, Vec<String>, Option<RangeNote>) {
    let fixed = &table3(outcome).fixed;
    let (by_imd, by_gini) = (fixed.la_imd_by_lsoa_imd, fixed.gini_by_lsoa_imd);
    let at_average = imd.z == 0.0 && gin.z == 0.0;
    let mut warnings = Vec::new();
    if !at_average {
        warnings.push(
            "The 95% CI treats the three published coefficients as independent: the paper \
             gives no covariances between them, so the interval is approximate."
                .to_string(),
        );
    }
    let mut technical = vec![imd.technical(), gin.technical()];
    if let Some(cell) = printed {
        technical.push(format!(
            "Table 4 prints {} for an LA with {}; this estimate, {}, is recomputed from Table 3's \
             rounded coefficients.",
            number(Quantity::Score, cell.gradient),
            cell.context.label(),
            shown.value
        ));
        if !cell.significant {
            warnings.push("Table 4 marks this cell as not statistically significant.".to_string());
        }
    }
    for (r, coef, term) in [(imd, by_imd, "LA IMD x LSOA IMD"), (gin, by_gini, "Gini x LSOA IMD")] {
        if r.z != 0.0 && !coef.significance.significant_at_5_percent() {
            warnings.push(format!(
                "For {} the {term} interaction is not statistically significant (Table 3), so \
                 the change in the gradient with this LA context may be due to chance.",
                outcome.key().to_uppercase()
            ));
        }
    }
    warnings.extend(imd.extrapolation_warning());
    warnings.extend(gin.extrapolation_warning());
    let outside: Vec<String> = [imd, gin].iter().filter_map(|r| r.outside_words(like)).collect();
    let range = (!outside.is_empty()).then(|| {
        RangeNote::new(
            RangeKind::OutsideStudyLas,
            format!(
                "{}, so this score extends the study's model beyond the LAs it saw.",
                capitalise(&outside.join("; and "))
            ),
        )
    });

    (warnings, technical, range)
}

/// Social gradient of `outcome` in an LA context (see the module documentation).
pub(crate) fn gradient(
    outcome: Outcome,
    la_imd: Option<f64>,
    la_imd_z: Option<f64>,
    gini: Option<f64>,
    gini_z: Option<f64>,
    like: Option<&Like>,
) -> Result<GradientResult, CalcError> {
    let imd = resolve(LaInput::Imd, la_imd, la_imd_z)?;
    let gin = resolve(LaInput::Gini, gini, gini_z)?;
    let fixed = &table3(outcome).fixed;
    let (main, by_imd, by_gini) = (fixed.lsoa_imd, fixed.la_imd_by_lsoa_imd, fixed.gini_by_lsoa_imd);

    let log_sg = main.b + by_imd.b * imd.z + by_gini.b * gin.z;
    let sd = (main.se.powi(2) + (imd.z * by_imd.se).powi(2) + (gin.z * by_gini.se).powi(2)).sqrt();
    let at_average = imd.z == 0.0 && gin.z == 0.0;
    let estimate = if at_average { main.exp_b } else { log_sg.exp() };
    let (ci_low, ci_high) = ((log_sg - Z_975 * sd).exp(), (log_sg + Z_975 * sd).exp());
    let shown = format::shown(Quantity::Score, estimate, Some(ci_low), Some(ci_high));

    let mut table_numbers = Vec::new();
    if imd.given_raw || gin.given_raw {
        table_numbers.push("1");
    }
    table_numbers.push("3");
    let printed = table4_cell(outcome, imd.z, gin.z);
    if printed.is_some() {
        table_numbers.push("4");
    }

    let (warnings, technical, range) = context_notes(outcome, &imd, &gin, printed, &shown, like);
    let ci_note = if at_average {
        "From the published standard error of the LSOA IMD coefficient (Table 3).".to_string()
    } else {
        "Approximate: the paper publishes the coefficients' standard errors but not how they vary \
         together, so the interval treats them as independent."
            .to_string()
    };
    let ci_words = match shown.interval() {
        Some(ci) if at_average => ci,
        Some(ci) => format!("{ci}, approximate"),
        None => String::new(),
    };
    let place = match like {
        Some(like) => like.phrase(),
        None => "an LA".to_string(),
    };
    let reading = format!(
        "In {place} ({}, {}), each step up in neighbourhood deprivation goes with {} times the \
         rate of {} ({ci_words}).",
        imd.plain(),
        gin.plain(),
        shown.value,
        outcome.rate_of()
    );
    let average = AverageComparison::new(
        estimate,
        main.exp_b,
        "an LA of the study's average deprivation and income inequality",
        true,
        at_average,
    );

    Ok(GradientResult {
        estimate,
        shown,
        ci_low: Some(ci_low),
        ci_high: Some(ci_high),
        ci_note,
        source: DOCUMENT.to_string(),
        table: tables(&table_numbers),
        seed: SEED.to_string(),
        unit: UNIT.to_string(),
        step_words: STEP_WORDS.to_string(),
        published: at_average,
        extrapolated: imd.outside || gin.outside,
        range,
        average,
        warnings,
        reading,
        technical,
        label: outcome.label().to_string(),
        la: None,
        context: ResolvedContext::Webb2020(WebbContext {
            outcome,
            la_imd: imd.raw,
            la_imd_z: imd.z,
            gini: gin.raw,
            gini_z: gin.z,
        }),
    })
}

/// Expected rate per 10,000 children for a typical neighbourhood as a function of its
/// deprivation within the LA, `x` = LSOA IMD z-score from -2 to +2 (`points` evenly spaced):
///
/// `rate(x) = exp(B_0 + B_lsoa x + B_laimd z_imd + B_gini z_gini + B_1 x z_imd + B_2 x z_gini)`
///
/// with Table 3's coefficients, every other covariate at its mean (0) and every random effect
/// (MSOA, LA, spatial) at 0. The first series is the requested LA context, the second an
/// average LA (`z_imd = z_gini = 0`).
pub fn webb_rate_curve(
    outcome: Outcome,
    la_imd_z: f64,
    gini_z: f64,
    points: usize,
) -> Result<Curve, CalcError> {
    let (min, max) = CURVE_POINTS;
    if !(min..=max).contains(&points) {
        return Err(CalcError::Points { points, min, max });
    }
    let imd = resolve(LaInput::Imd, None, Some(la_imd_z))?;
    let gin = resolve(LaInput::Gini, None, Some(gini_z))?;
    let f = &table3(outcome).fixed;
    let rate = |x: f64, zi: f64, zg: f64| {
        (f.intercept.b
            + f.lsoa_imd.b * x
            + f.la_imd.b * zi
            + f.gini.b * zg
            + f.la_imd_by_lsoa_imd.b * x * zi
            + f.gini_by_lsoa_imd.b * x * zg)
            .exp()
    };
    let xs: Vec<f64> = (0..points).map(|i| -2.0 + 4.0 * i as f64 / (points - 1) as f64).collect();
    let series = |label: String, zi: f64, zg: f64| Series {
        label,
        points: xs.iter().map(|&x| Point { x, y: rate(x, zi, zg) }).collect(),
    };
    let mut warnings =
        vec!["Rate for a typical neighbourhood: other covariates at their means and the MSOA, LA and \
         spatial random effects at zero."
            .to_string()];
    warnings.extend(imd.extrapolation_warning());
    warnings.extend(gin.extrapolation_warning());
    Ok(Curve {
        title: format!("{}: rate for a typical neighbourhood", outcome.label()),
        x_label: "Neighbourhood deprivation (SD of LSOA IMD score from the LA mean)".to_string(),
        y_label: "Expected rate per 10,000 children".to_string(),
        series: vec![
            series(format!("LA with {} and {}", imd.describe(), gin.describe()), imd.z, gin.z),
            series("Average LA".to_string(), 0.0, 0.0),
        ],
        source: DOCUMENT.to_string(),
        table: "Table 3".to_string(),
        seed: SEED.to_string(),
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sg(outcome: Outcome, zi: f64, zg: f64) -> GradientResult {
        gradient(outcome, None, Some(zi), None, Some(zg), None).unwrap()
    }

    #[test]
    fn reproduces_every_table4_cell() {
        assert_eq!(TABLE4_CONTEXT_GRADIENTS.len(), 24);
        for cell in &TABLE4_CONTEXT_GRADIENTS {
            let (zi, zg) = cell.context.z();
            let r = sg(cell.outcome, zi, zg);
            assert!(
                (r.estimate - cell.gradient).abs() < 0.002,
                "{:?} {:?}: {} vs printed {}",
                cell.outcome,
                cell.context,
                r.estimate,
                cell.gradient
            );
            assert!(!r.published);
            assert_eq!(r.table, "Tables 3 and 4");
            let printed = format!("Table 4 prints {}", number(Quantity::Score, cell.gradient));
            assert!(r.technical.iter().any(|w| w.contains(&printed)), "{:?}", r.technical);
        }
    }

    #[test]
    fn cla_low_deprivation_high_inequality_by_hand() {
        // 0.5293 + 0.1313 + 0.1683 = 0.8289; sd^2 = 0.0289^2 + 0.0389^2 + 0.0383^2 = 0.00381531
        let r = sg(Outcome::Cla, -1.0, 1.0);
        let sd = 0.003_815_31_f64.sqrt();
        assert!((r.estimate - 0.8289_f64.exp()).abs() < 1e-12);
        assert!((r.estimate - 2.291).abs() < 0.002);
        assert!((r.ci_low.unwrap() - (0.8289 - 1.959_963_984_540_054 * sd).exp()).abs() < 1e-12);
        assert!((r.ci_high.unwrap() - (0.8289 + 1.959_963_984_540_054 * sd).exp()).abs() < 1e-12);
        assert!((r.ci_low.unwrap() - 2.0296).abs() < 1e-3, "{:?}", r.ci_low);
        assert!((r.ci_high.unwrap() - 2.5856).abs() < 1e-3, "{:?}", r.ci_high);
        assert!(r.warnings.iter().any(|w| w.contains("no covariances")));
        assert!(r.reading.contains("2.29 times the rate of children looked after"), "{}", r.reading);
        assert!(r.reading.contains("95% CI 2.03 to 2.59"), "{}", r.reading);
    }

    #[test]
    fn average_context_is_the_printed_exp_b() {
        for (outcome, exp_b, b, se) in [
            (Outcome::Cin, 1.551, 0.4392_f64, 0.0251_f64),
            (Outcome::Cpp, 1.741, 0.5542, 0.0247),
            (Outcome::Cla, 1.698, 0.5293, 0.0289),
        ] {
            let r = gradient(outcome, None, None, None, None, None).unwrap();
            assert_eq!(r.estimate, exp_b);
            assert!(r.published);
            assert!(!r.extrapolated);
            assert_eq!(r.table, "Table 3");
            assert!((r.ci_low.unwrap() - (b - 1.959_963_984_540_054 * se).exp()).abs() < 1e-12);
            assert!(r.warnings.is_empty(), "{:?}", r.warnings);
            // Raw inputs at the Table 1 means are the same context.
            let raw = gradient(outcome, Some(22.0), None, Some(0.386), None, None).unwrap();
            assert_eq!(raw.estimate, exp_b);
            assert!(raw.published);
            assert_eq!(raw.table, "Tables 1 and 3");
        }
    }

    #[test]
    fn raw_inputs_are_standardised_with_table1() {
        // 13.86 = 22.0 - 8.14 and 0.400 = 0.386 + 0.014: the Table 4 context (-1, +1).
        let r = gradient(Outcome::Cla, Some(13.86), None, Some(0.400), None, None).unwrap();
        let z = sg(Outcome::Cla, -1.0, 1.0);
        assert!((r.estimate - z.estimate).abs() < 1e-12);
        assert_eq!(r.table, "Tables 1, 3 and 4");
        let ResolvedContext::Webb2020(ctx) = r.context else { panic!("webb context") };
        assert!((ctx.la_imd_z + 1.0).abs() < 1e-12 && (ctx.gini_z - 1.0).abs() < 1e-12);
        assert_eq!((ctx.la_imd, ctx.gini), (13.86, 0.400));
        let ResolvedContext::Webb2020(ctx) = z.context else { panic!("webb context") };
        assert!((ctx.la_imd - 13.86).abs() < 1e-12 && (ctx.gini - 0.4).abs() < 1e-12);
    }

    #[test]
    fn delta_method_variance_by_hand_for_cin() {
        // z = (0.5, -2): log SG = 0.4392 - 0.0752*0.5 - 0.1183*2 = 0.1650
        // var = 0.0251^2 + 0.25*0.0320^2 + 4*0.0321^2 = 0.00500765
        let r = sg(Outcome::Cin, 0.5, -2.0);
        assert!((r.estimate - 0.1650_f64.exp()).abs() < 1e-12);
        let half = 1.959_963_984_540_054 * 0.005_007_65_f64.sqrt();
        assert!((r.ci_low.unwrap() - (0.1650 - half).exp()).abs() < 1e-12);
        assert!((r.ci_high.unwrap() - (0.1650 + half).exp()).abs() < 1e-12);
        assert!(!r.extrapolated, "Gini 0.358 is Table 1's minimum");
        assert!(!r.table.contains('4'));
    }

    #[test]
    fn outside_table1_range_is_flagged() {
        let r = gradient(Outcome::Cpp, Some(45.0), None, None, None, None).unwrap();
        assert!(r.extrapolated);
        let range = r.range.as_ref().expect("a range note");
        assert_eq!(range.badge, "Outside the study's LAs");
        assert_eq!(
            range.explanation,
            "An LA IMD score of 45.0 is above the highest of the study's LAs (41.2, Table 1), so this \
             score extends the study's model beyond the LAs it saw."
        );
        // Both sides at the same precision: 8.857 shows as 8.9, as does the printed minimum 8.86.
        assert!(!gradient(Outcome::Cpp, Some(8.857), None, None, None, None).unwrap().extrapolated);
        assert!(gradient(Outcome::Cpp, Some(8.84), None, None, None, None).unwrap().extrapolated);
        let r = gradient(Outcome::Cpp, None, None, Some(0.30), None, None).unwrap();
        assert!(r.extrapolated);
        let r = gradient(Outcome::Cpp, None, Some(2.3), None, Some(2.0), None).unwrap();
        assert!(!r.extrapolated, "z 2.3 is IMD 40.7, z 2 is Gini 0.414");
    }

    #[test]
    fn flags_non_significant_interaction_for_cpp() {
        let r = sg(Outcome::Cpp, 1.0, 0.0);
        assert!(r.warnings.iter().any(|w| w.contains("LA IMD x LSOA IMD interaction is not")));
        assert!(r.warnings.iter().any(|w| w.contains("not statistically significant.")));
        let r = sg(Outcome::Cla, 1.0, 0.0);
        assert!(!r.warnings.iter().any(|w| w.contains("interaction is not")));
    }

    #[test]
    fn rate_curve_by_hand() {
        let c = webb_rate_curve(Outcome::Cla, -1.0, 1.0, 5).unwrap();
        assert_eq!(c.series.len(), 2);
        let chosen = &c.series[0].points;
        let xs: Vec<f64> = chosen.iter().map(|p| p.x).collect();
        assert_eq!(xs, vec![-2.0, -1.0, 0.0, 1.0, 2.0]);
        // x = 1: 3.6940 + 0.5293 - 0.2723 + 0.0627 + 0.1313 + 0.1683 = 4.3133
        assert!((chosen[3].y - 4.3133_f64.exp()).abs() < 1e-9);
        // average LA at x = 0 is exp(intercept) = 40.19 per 10,000 (Table 3 prints Exp(B)
        // 40.204 from the unrounded B)
        let average = &c.series[1].points;
        assert!((average[2].y - 3.6940_f64.exp()).abs() < 1e-9);
        assert!((average[2].y - 40.204).abs() < 0.02);
        // the chosen LA's curve rises by the social gradient per SD
        assert!((chosen[3].y / chosen[2].y - 0.8289_f64.exp()).abs() < 1e-9);
        assert!(c.title.contains("rate for a typical neighbourhood"));
    }

    #[test]
    fn rate_curve_rejects_bad_input() {
        assert!(matches!(webb_rate_curve(Outcome::Cin, 0.0, 0.0, 1), Err(CalcError::Points { .. })));
        assert!(matches!(webb_rate_curve(Outcome::Cin, f64::NAN, 0.0, 10), Err(CalcError::NotFinite { .. })));
        assert!(matches!(webb_rate_curve(Outcome::Cin, 0.0, -30.0, 10), Err(CalcError::OutOfRange { .. })));
    }
}
