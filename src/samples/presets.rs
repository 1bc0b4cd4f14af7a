//! The synthetic data sets the page offers, and a national-size one for benchmarks. Their
//! coefficients come from the published tables embedded in [`crate::tables`]; values the
//! studies do not publish are marked as chosen.

use super::{DeprivationSpec, Effects, GiniSpec, RandomSds, SampleSpec, Value};
use crate::tables::hood2021::{GradientRow, TABLE2_THRESHOLDS};
use crate::tables::webb2020::{FinalModel, LA_GINI_SUMMARY, LA_IMD_SUMMARY, TABLE1_SUMMARY, TABLE3_CLA};
use crate::tables::Variance;
use crate::workflow::guided::ModelChoices;

/// The referral row of Hood et al. 2021, Table 2 (its first row).
fn hood_referral() -> &'static GradientRow {
    &TABLE2_THRESHOLDS.rows[0]
}

/// Hood et al. 2021, Table 2 (referrals): the rate, the social gradient and the interaction
/// with LA deprivation, each per 10 points.
fn hood_effects() -> Effects {
    let r = hood_referral();
    Effects {
        intercept: Value::published(
            r.rate_per_10000.ln(),
            "Hood et al. 2021, Table 2: 400.3 referrals per 10,000 children, used as the rate in a neighbourhood of average deprivation in an average LA",
        ),
        gradient: Value::published(r.score.ln(), "Hood et al. 2021, Table 2: referral social gradient score 1.62"),
        la_deprivation: Some(Value::chosen(
            1.2f64.ln(),
            "rates 1.2 times higher per 10 points of LA deprivation (Table 2 does not print this main effect)",
        )),
        gradient_by_la_deprivation: Some(Value::published(
            r.interaction.ln(),
            "Hood et al. 2021, Table 2: interaction effect 0.80 per 10 points of LA deprivation",
        )),
        gini: None,
        gradient_by_gini: None,
    }
}

/// Income deprivation of neighbourhoods (% of families): LA means around 14% (SD 5), and
/// neighbourhoods spread around their LA's mean with an SD of 8 points; chosen to resemble
/// England's LSOAs.
fn income_deprivation() -> DeprivationSpec {
    DeprivationSpec {
        column: "income_dep".into(),
        la_mean: 14.0,
        la_sd: 5.0,
        la_range: (4.0, 35.0),
        within_sd: 8.0,
        range: (0.5, 70.0),
        decimals: 1,
    }
}

fn la_intercept_sd() -> Value {
    Value::chosen(0.3, "the report does not print the variance of the LA random intercepts")
}

/// Referrals in 40 LAs, Poisson with an LA random intercept (Hood et al. 2021, Table 2).
pub fn hood_referrals() -> SampleSpec {
    SampleSpec {
        id: "hood2021-referrals".into(),
        title: "Referrals in 40 local authorities, simulated from Hood et al. 2021 (Table 2)".into(),
        description: "Synthetic data, not real children: referrals in about 3,000 neighbourhoods, drawn from a Poisson \
                      model with a social gradient of 1.62 per 10 points of income deprivation within each LA, an \
                      interaction of 0.80 per 10 points of LA deprivation (the inverse intervention effect) and a \
                      random intercept for each LA. The file has no LA deprivation column: the page derives it as \
                      the population-weighted mean of neighbourhood deprivation, as the model that generated the \
                      counts did."
            .into(),
        seed: 2021,
        las: 40,
        neighbourhoods_per_la: (60, 90),
        neighbourhoods_per_msoa: None,
        children: (200, 450),
        deprivation: income_deprivation(),
        la_deprivation_column: None,
        gini: None,
        outcome: "referrals".into(),
        choices: ModelChoices::HOOD_2021,
        effects: hood_effects(),
        random: RandomSds { la_intercept: Some(la_intercept_sd()), la_slope: None, la_correlation: None, msoa_intercept: None },
        dispersion: None,
    }
}

/// A printed standard deviation, or `fallback` where Table 3 prints `~0`.
fn printed_sd(sd: Variance, what: &str, fallback: Value) -> Value {
    match sd {
        Variance::Value(v) => {
            Value::published(v, &format!("Webb et al. 2020, Table 3 (CLA): SD of the {what} {v}"))
        }
        Variance::NearZero => fallback,
    }
}

fn webb_effects(m: &FinalModel) -> Effects {
    let f = &m.fixed;
    let cite = |what: &str, b: f64| format!("Webb et al. 2020, Table 3 (CLA): {what}, B = {b}");
    Effects {
        intercept: Value::published(
            f.intercept.b,
            &cite("intercept (log rate per 10,000 children)", f.intercept.b),
        ),
        gradient: Value::published(f.lsoa_imd.b, &cite("LSOA IMD score", f.lsoa_imd.b)),
        la_deprivation: Some(Value::published(f.la_imd.b, &cite("LA IMD score", f.la_imd.b))),
        gradient_by_la_deprivation: Some(Value::published(
            f.la_imd_by_lsoa_imd.b,
            &cite("LA IMD * LSOA IMD", f.la_imd_by_lsoa_imd.b),
        )),
        gini: Some(Value::published(f.gini.b, &cite("Gini coefficient", f.gini.b))),
        gradient_by_gini: Some(Value::published(
            f.gini_by_lsoa_imd.b,
            &cite("Gini * LSOA IMD", f.gini_by_lsoa_imd.b),
        )),
    }
}

/// Children looked after in 30 LAs: NB1 with LA and MSOA random intercepts, an LA random
/// slope and the interactions of neighbourhood deprivation with LA IMD and Gini (Webb et al.
/// 2020, Table 3, CLA model; variable ranges from Table 1).
pub fn webb_cla() -> SampleSpec {
    let m = &TABLE3_CLA;
    let lsoa_imd = TABLE1_SUMMARY.iter().find(|r| r.variable == "LSOA IMD Score");
    let (lsoa_min, lsoa_max, lsoa_sd) = lsoa_imd.map_or((1.18, 82.6, 15.8), |r| (r.min, r.max, r.sd));
    let la = LA_IMD_SUMMARY;
    let gini = LA_GINI_SUMMARY;
    SampleSpec {
        id: "webb2020-cla".into(),
        title: "Children looked after in 30 local authorities, simulated from Webb et al. 2020 (Table 3)".into(),
        description: "Synthetic data, not real children: children looked after in about 3,900 neighbourhoods grouped \
                      in MSOAs of 5, drawn from a negative binomial model (NB1) with the CLA coefficients of Webb et \
                      al. 2020, Table 3: the social gradient per SD of deprivation within the LA, its interactions \
                      with LA deprivation and LA income inequality, random intercepts for LAs and MSOAs and a random \
                      slope for each LA. Deprivation and Gini values follow the ranges of their Table 1. Only the \
                      social-gradient terms are simulated: ethnicity, the other LA covariates and the spatial term \
                      of Table 3 are left out."
            .into(),
        seed: 2020,
        las: 30,
        neighbourhoods_per_la: (110, 150),
        neighbourhoods_per_msoa: Some(5),
        children: (250, 550),
        deprivation: DeprivationSpec {
            column: "imd".into(),
            la_mean: la.mean,
            la_sd: la.sd,
            la_range: (la.min, la.max),
            // The overall LSOA SD of Table 1 (15.8) combines the spread of LA means (8.14) and
            // of neighbourhoods within an LA: sqrt(15.8^2 - 8.14^2) = 13.5.
            within_sd: (lsoa_sd * lsoa_sd - la.sd * la.sd).sqrt(),
            range: (lsoa_min, lsoa_max),
            decimals: 2,
        },
        la_deprivation_column: Some("la_imd".into()),
        gini: Some(GiniSpec { column: "gini".into(), mean: gini.mean, sd: gini.sd, range: (gini.min, gini.max) }),
        outcome: "cla".into(),
        choices: ModelChoices::WEBB_2020,
        effects: webb_effects(m),
        random: RandomSds {
            la_intercept: Some(printed_sd(
                m.random.la.sd,
                "LA random intercepts",
                Value::chosen(0.15, "Table 3 prints the LA intercept variance as ~0; a small SD keeps the term estimable"),
            )),
            la_slope: Some(printed_sd(
                m.random.la_lsoa_imd.sd,
                "LA random slopes of LSOA IMD",
                Value::chosen(0.29, "Table 3 prints this variance as ~0"),
            )),
            la_correlation: Some(Value::chosen(0.0, "Table 3 does not print the intercept-slope correlation")),
            msoa_intercept: Some(printed_sd(
                m.random.msoa.sd,
                "MSOA random intercepts",
                Value::chosen(0.39, "Table 3 prints this variance as ~0"),
            )),
        },
        dispersion: Some(Value::chosen(0.5, "Table 3 does not print the dispersion parameter")),
    }
}

/// A national-size data set: 33,000 neighbourhoods in 150 LAs (220 each, as England's
/// 32,844 LSOAs in 151 LAs), MSOAs of 5 neighbourhoods, referrals drawn as in
/// [`hood_referrals`] plus an MSOA random intercept.
pub fn national() -> SampleSpec {
    SampleSpec {
        id: "national-referrals".into(),
        title: "National-size referrals: 33,000 neighbourhoods in 150 local authorities (simulated from Hood et al. 2021)".into(),
        description: "Synthetic data, not real children, at the size of England: referrals in 33,000 neighbourhoods \
                      grouped in MSOAs of 5 and 150 LAs, drawn as the 40-LA referral sample plus a random intercept \
                      for each MSOA. Fitting it takes longer: use it to see how the page copes with a national file."
            .into(),
        seed: 2019,
        las: 150,
        neighbourhoods_per_la: (220, 220),
        neighbourhoods_per_msoa: Some(5),
        choices: ModelChoices { msoa_intercept: true, ..ModelChoices::HOOD_2021 },
        random: RandomSds {
            msoa_intercept: Some(Value::chosen(0.2, "the report does not fit MSOA effects")),
            ..hood_referrals().random
        },
        ..hood_referrals()
    }
}

/// Referrals in England's real neighbourhoods, drawn from the model of [`hood_referrals`]:
/// simulate it with [`super::england::simulate_england`], which reads only the model fields
/// (the geography fields of the 40-LA sample are not used there).
pub fn england_referrals() -> SampleSpec {
    SampleSpec {
        id: "hood2021-england".into(),
        title: "England's 32,844 neighbourhoods in 151 local authorities, referrals simulated from Hood et al. 2021 (Table 2)".into(),
        description: "The neighbourhoods are England's real LSOAs (2011), in their real \
                      MSOAs and upper-tier local authorities (2019), with their real income deprivation (IoD2019 \
                      income score, as the percentage of people income-deprived), rural class (2011) and number of \
                      children aged 0-15 (mid-2015), which is the exposure: rates are per 10,000 children aged 0-15. \
                      The referral counts are not real: they are drawn from the Poisson model of the 40-LA referral \
                      sample (Hood et al. 2021, Table 2: a social gradient of 1.62 per 10 points of income \
                      deprivation within each LA, an interaction of 0.80 per 10 points of LA deprivation, a random \
                      intercept for each LA), with each neighbourhood's deprivation centred within its LA and the \
                      LA's deprivation (the children-weighted mean) centred on the average LA. Fitting it takes \
                      longer: use it to see how the page copes with a national file."
            .into(),
        seed: 2019,
        ..hood_referrals()
    }
}

/// The data sets the page simulates and offers, in the order it lists them (the page adds
/// [`england_referrals`], whose tables it loads only when it is chosen).
pub fn all() -> Vec<SampleSpec> {
    vec![hood_referrals(), webb_cla()]
}

/// The data set with identifier `id`: one the page offers, or the national-size synthetic
/// one of the benchmarks.
pub fn by_id(id: &str) -> Option<SampleSpec> {
    all().into_iter().chain([national()]).find(|s| s.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{read_csv, summarise, Column};
    use crate::fit::{fit, FitOptions};
    use crate::formula::{build_design, parse};
    use crate::samples::{simulate, to_csv, Sample};
    use crate::workflow::derive::{add_weighted_group_mean, constant_within_groups};

    fn shown(sample: &Sample, label_start: &str) -> f64 {
        sample.parameters.iter().find(|p| p.label.starts_with(label_start)).map_or(f64::NAN, |p| p.shown)
    }

    #[test]
    fn table_rows_used_are_the_published_ones() {
        assert_eq!(hood_referral().measure, "referral");
        assert_eq!(hood_referral().score, 1.62);
        assert_eq!(TABLE3_CLA.fixed.lsoa_imd.b, 0.5293);
    }

    #[test]
    fn hood_sample_is_deterministic_and_carries_table_2() {
        let a = simulate(&hood_referrals()).unwrap();
        let b = simulate(&hood_referrals()).unwrap();
        assert_eq!(to_csv(&a.frame).unwrap(), to_csv(&b.frame).unwrap());
        assert_eq!(a.las, 40);
        assert!((2400..=3600).contains(&a.rows), "{}", a.rows);
        assert_eq!(a.frame.names(), ["neighbourhood", "la", "children", "income_dep", "referrals"]);
        // Hood et al. 2021, Table 2, referrals: score 1.62, interaction 0.80, rate 400.3.
        assert!((shown(&a, "Social gradient") - 1.62).abs() < 1e-12);
        assert!((shown(&a, "Change in the social gradient") - 0.80).abs() < 1e-12);
        assert!((shown(&a, "Rate per 10,000") - 400.3).abs() < 1e-9);
        assert!(a.parameters.iter().any(|p| p.source.contains("Table 2")));
        assert!(a.parameters.iter().any(|p| p.source.starts_with("chosen for the sample")));
        let derive = a.derive.clone().unwrap();
        assert_eq!(derive.name, "la_income_dep");
        assert!(
            a.model.formula.starts_with("referrals ~ within(income_dep / 10, la) * I((la_income_dep - "),
            "{}",
            a.model.formula
        );
        assert!(
            a.model.formula.ends_with("/ 10) + offset(log(children / 10000)) + (1 | la)"),
            "{}",
            a.model.formula
        );
    }

    #[test]
    fn csv_round_trip_keeps_every_value() {
        let sample = simulate(&hood_referrals()).unwrap();
        let back = read_csv(to_csv(&sample.frame).unwrap().as_bytes()).unwrap();
        assert_eq!(summarise(&back), summarise(&sample.frame));
        assert_eq!(back.column("income_dep"), sample.frame.column("income_dep"));
    }

    /// Fits the sample with its own formula and checks every fixed effect is within 3.5
    /// standard errors of the value that generated it.
    fn recovers(sample: &Sample) -> crate::fit::Fit {
        let df = match &sample.derive {
            Some(d) => add_weighted_group_mean(&sample.frame, d).unwrap().0,
            None => sample.frame.clone(),
        };
        let design = build_design(&df, &parse(&sample.model.formula).unwrap()).unwrap();
        let fitted = fit(&design, sample.family, &FitOptions::default()).unwrap();
        assert!(fitted.converged, "{:?}", fitted.warnings);
        for p in sample.parameters.iter().filter(|p| p.kind == "fixed") {
            let term = p.term.as_deref().unwrap();
            let k = fitted.terms.iter().position(|t| t == term).unwrap();
            let se = fitted.cov_beta[k][k].sqrt();
            assert!(
                (fitted.beta[k] - p.value).abs() < 3.5 * se,
                "{term}: {} vs {} (se {se})",
                fitted.beta[k],
                p.value
            );
        }
        fitted
    }

    #[test]
    fn the_fit_recovers_the_hood_parameters() {
        let fitted = recovers(&simulate(&hood_referrals()).unwrap());
        let la_sd = fitted.random[0].sd[0];
        assert!((0.2..0.4).contains(&la_sd), "LA SD {la_sd}");
    }

    #[test]
    fn webb_sample_has_msoas_la_columns_and_table_3() {
        let s = simulate(&webb_cla()).unwrap();
        assert_eq!(s.las, 30);
        assert!(s.rows >= 30 * 110 && s.rows <= 30 * 150);
        assert!(s.msoas * 5 >= s.rows && s.msoas <= s.rows / 5 + 30, "{} MSOAs for {} rows", s.msoas, s.rows);
        assert!(constant_within_groups(&s.frame, "la_imd", "la").unwrap());
        assert!(constant_within_groups(&s.frame, "gini", "la").unwrap());
        let Some(Column::Numeric(gini)) = s.frame.column("gini") else { panic!("gini") };
        assert!(gini.iter().all(|g| (0.358..=0.415).contains(g)));
        // Webb et al. 2020, Table 3, CLA: B = 0.5293, -0.1313, 0.1683; SDs 0.2943 and 0.3907.
        let value =
            |term_role: &str| s.parameters.iter().find(|p| p.label.starts_with(term_role)).map(|p| p.value);
        assert_eq!(value("Social gradient"), Some(0.5293));
        assert_eq!(value("Change in the social gradient per 1 SD"), Some(-0.1313));
        assert_eq!(value("Change in the social gradient per SD of LA income"), Some(0.1683));
        assert_eq!(value("SD of the LA random slopes"), Some(0.2943));
        assert_eq!(value("SD of the MSOA"), Some(0.3907));
        assert!(s.model.formula.contains("(1 + within(imd / "), "{}", s.model.formula);
        assert!(s.model.formula.ends_with("| la) + (1 | la:msoa)"), "{}", s.model.formula);
        assert!(s.derive.is_none());
    }

    #[test]
    fn the_fit_recovers_the_webb_parameters() {
        let fitted = recovers(&simulate(&webb_cla()).unwrap());
        let msoa = fitted.random.iter().find(|r| r.group == "la:msoa").unwrap();
        assert!((0.25..0.55).contains(&msoa.sd[0]), "MSOA SD {}", msoa.sd[0]);
    }

    #[test]
    fn national_sample_has_the_size_of_england() {
        let s = simulate(&national()).unwrap();
        assert_eq!((s.rows, s.las, s.msoas), (33_000, 150, 6_600));
        assert!(s.model.formula.ends_with("(1 | la) + (1 | la:msoa)"), "{}", s.model.formula);
        assert_eq!(by_id("national-referrals").map(|s| s.las), Some(150));
    }

    #[test]
    fn impossible_specs_are_errors() {
        let one_la = SampleSpec { las: 1, ..hood_referrals() };
        assert!(simulate(&one_la).unwrap_err().to_string().contains("at least 2 LAs"));
        let no_theta = SampleSpec { dispersion: None, ..webb_cla() };
        assert!(simulate(&no_theta).unwrap_err().to_string().contains("dispersion"));
    }
}
