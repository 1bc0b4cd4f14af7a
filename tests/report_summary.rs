//! The fit report: coefficient statistics, JSON shape, warnings and the glmmTMB-style text,
//! checked against glmmTMB 1.1.5 on the same fits (see `report_support`).

#![allow(clippy::excessive_precision)]

use crate::report_support;

use approx::assert_relative_eq;
use report_support::{empty_design, fit_a, fit_b, fit_c};
use socgrad::fit::{Family, Warning, WarningCode};
use socgrad::formula::MissingCount;
use socgrad::report::FitReport;

const FORMULA_A: &str = "count ~ imd_z * la_imd + offset(log(pop/10000)) + (1 + imd_z | la)";
const FORMULA_B: &str = "count ~ imd_z + la_imd + offset(log(pop/10000))";
const FORMULA_C: &str = "count ~ imd_z + offset(log(pop/10000)) + (1 | la/msoa)";

fn report_a() -> FitReport {
    FitReport::new(&fit_a(), &empty_design(0), FORMULA_A, &[])
}

#[test]
fn coefficients_match_glmmtmb_summary_and_wald_intervals() {
    let r = report_a();
    // summary(fit_a)$coefficients$cond and exp(confint(fit_a, method = "Wald", parm = "beta_"))
    let expected = [
        (
            "(Intercept)",
            0.157911036494419982,
            25.3880390933620177,
            3.4185062829906912e-142,
            40.429172804618744,
            75.079797311737565,
        ),
        (
            "imd_z",
            0.093885176218125782,
            3.6389492038516931,
            2.7375278503863571e-04,
            1.1707350778340639,
            1.6915663792866988,
        ),
        (
            "la_imd",
            0.146882651639306083,
            1.6776590313265289,
            9.3413681616912297e-02,
            0.95938224149311824,
            1.7062597841493092,
        ),
        (
            "imd_z:la_imd",
            0.084069336858441132,
            -2.5067271711034973,
            1.2185472684925664e-02,
            0.68693763927425699,
            0.95507441648815983,
        ),
    ];
    assert_eq!(r.coefficients.len(), 4);
    for (c, (term, se, z, p, lo, hi)) in r.coefficients.iter().zip(expected) {
        assert_eq!(c.term, term);
        assert_relative_eq!(c.std_error, se, max_relative = 1e-12);
        assert_relative_eq!(c.z, z, max_relative = 1e-12);
        assert_relative_eq!(c.p, p, max_relative = 1e-8);
        assert_relative_eq!(c.irr, c.estimate.exp(), max_relative = 1e-15);
        assert_relative_eq!(c.irr_ci_low, lo, max_relative = 1e-12);
        assert_relative_eq!(c.irr_ci_high, hi, max_relative = 1e-12);
    }
    assert_relative_eq!(r.coefficients[0].irr, 55.09459229045975093, max_relative = 1e-12);
}

#[test]
fn fit_statistics_dispersion_and_random_effects() {
    let r = report_a();
    assert_eq!(r.family, Family::Nbinom2);
    assert_eq!((r.df, r.nobs, r.df_resid), (8, 300, 292));
    assert_relative_eq!(r.deviance, 1186.19911926864, max_relative = 1e-12);
    assert_eq!(r.dispersion, Some(11.4418440910278));
    assert_eq!(r.dispersion_name.as_deref(), Some("theta (nbinom2: variance = mu + mu^2/theta)"));
    // exp(log(theta) + c(-1, 1) * qnorm(0.975) * 0.410363705444253324) in R
    assert_relative_eq!(r.dispersion_ci_low.unwrap(), 5.1191022736272265, max_relative = 1e-12);
    assert_relative_eq!(r.dispersion_ci_high.unwrap(), 25.5739755147781267, max_relative = 1e-12);
    assert_eq!(r.random_effects.len(), 2);
    let slope = &r.random_effects[1];
    assert_eq!((slope.group.as_str(), slope.term.as_str()), ("la", "imd_z"));
    assert_relative_eq!(slope.variance, 0.228332714946238f64.powi(2), max_relative = 1e-15);
    assert_eq!(slope.corr.len(), 1);
    assert_eq!(slope.corr[0].term, "(Intercept)");
    assert_relative_eq!(slope.corr[0].value, 0.71119716200461);
    assert_eq!(r.groups.len(), 1);
    assert_eq!((r.groups[0].group.as_str(), r.groups[0].levels), ("la", 12));
    assert!(r.converged && !r.singular && r.warnings.is_empty());

    let c = FitReport::new(&fit_c(), &empty_design(0), FORMULA_C, &[]);
    assert_eq!(c.dispersion_name.as_deref(), Some("phi (nbinom1: variance = mu(1 + phi))"));
    assert!(c.random_effects.iter().all(|e| e.corr.is_empty()));
    let b = FitReport::new(&fit_b(), &empty_design(0), FORMULA_B, &[]);
    assert_eq!((b.dispersion, b.dispersion_name.clone(), b.dispersion_ci_low), (None, None, None));
    assert!(b.random_effects.is_empty() && b.groups.is_empty());
}

#[test]
fn json_has_the_documented_fields() {
    let v = serde_json::to_value(FitReport::new(&fit_b(), &empty_design(0), FORMULA_B, &[])).unwrap();
    assert_eq!(v["family"], "poisson");
    assert_eq!(v["formula"], FORMULA_B);
    assert!(v["dispersion"].is_null());
    assert_eq!(v["df"], 3);
    assert_eq!(v["nobs"], 300);
    assert_eq!(v["converged"], true);
    assert_eq!(v["rows_dropped"], 0);
    assert!(v["random_effects"].as_array().unwrap().is_empty());
    assert!(v["warnings"].as_array().unwrap().is_empty());
    let c = &v["coefficients"][1];
    assert_eq!(c["term"], "imd_z");
    for key in ["estimate", "std_error", "z", "p", "irr", "irr_ci_low", "irr_ci_high"] {
        assert!(c[key].is_f64(), "{key}");
    }
    assert_relative_eq!(v["loglik"].as_f64().unwrap(), -849.279906979899);
    assert!(v["text"].as_str().unwrap().starts_with(" Family: poisson  ( log )\n"));

    let a = serde_json::to_value(report_a()).unwrap();
    assert_eq!(a["random_effects"][0]["group"], "la");
    assert_eq!(a["random_effects"][0]["term"], "(Intercept)");
    assert_eq!(a["random_effects"][0]["corr"][0]["term"], "imd_z");
    assert_eq!(a["groups"][0]["levels"], 12);
}

#[test]
fn warnings_in_plain_english() {
    let mut f = fit_a();
    f.singular = true;
    f.converged = false;
    f.max_abs_gradient = 0.0123;
    f.iterations = 500;
    f.dropped_terms = vec!["la_imd2".into()];
    let missing = [
        MissingCount { column: "count".into(), rows: 10 },
        MissingCount { column: "imd_z".into(), rows: 402 },
    ];
    let r = FitReport::new(&f, &empty_design(412), FORMULA_A, &missing);
    assert_eq!(r.rows_dropped, 412);
    let messages: Vec<String> = r.warnings.iter().map(|w| w.message.clone()).collect();
    let codes: Vec<WarningCode> = r.warnings.iter().map(|w| w.code).collect();
    assert_eq!(
        codes,
        [
            WarningCode::RowsMissing,
            WarningCode::RankDeficient,
            WarningCode::SingularFit,
            WarningCode::NonConvergence
        ]
    );
    assert!(r.warnings.iter().all(|w| w.advice.len() > 40));
    assert_eq!(
        messages,
        vec![
            "412 rows had a missing value and were left out ('count' missing in 10, 'imd_z' missing in 402)".to_owned(),
            "column 'la_imd2' is a linear combination of earlier columns and was dropped from the model".to_owned(),
            "singular fit: a random-effect variance is estimated as (near) zero or a correlation as +-1".to_owned(),
            "the fit did not converge (largest gradient 0.0123 after 500 iterations); the estimates may be unreliable"
                .to_owned(),
        ]
    );
    let listed: Vec<String> =
        r.warnings.iter().map(|w| format!("  - {}\n    What to try: {}\n", w.message, w.advice)).collect();
    assert!(r.text().ends_with(&format!("\nWarnings:\n{}", listed.concat())));

    // The engine's own wording is kept, not repeated.
    let mut g = fit_a();
    g.singular = true;
    g.warnings = vec![Warning::singular_fit(
        "the la random-effect variance is estimated as (near) zero: singular fit".into(),
    )];
    let r = FitReport::new(&g, &empty_design(1), FORMULA_A, &[]);
    assert_eq!(
        r.warnings.iter().map(|w| w.message.clone()).collect::<Vec<_>>(),
        vec![
            "1 row had a missing value and was left out".to_owned(),
            "the la random-effect variance is estimated as (near) zero: singular fit".to_owned()
        ]
    );
}

/// The lines R printed for `summary(fit_a)`, from the fit statistics to the legend.
const R_SUMMARY_A: &str = "     AIC      BIC   logLik deviance df.resid 
  1202.2   1231.8   -593.1   1186.2      292 

Random effects:

Conditional model:
 Groups Name        Variance Std.Dev. Corr 
 la     (Intercept) 0.21455  0.4632        
        imd_z       0.05214  0.2283   0.71 
Number of obs: 300, groups:  la, 12

Dispersion parameter for nbinom2 family (): 11.4 

Conditional model:
             Estimate Std. Error z value Pr(>|z|)    
(Intercept)   4.00905    0.15791  25.388  < 2e-16 ***
imd_z         0.34164    0.09389   3.639 0.000274 ***
la_imd        0.24642    0.14688   1.678 0.093414 .  
imd_z:la_imd -0.21074    0.08407  -2.507 0.012185 *  
---
Signif. codes:  0 \u{2018}***\u{2019} 0.001 \u{2018}**\u{2019} 0.01 \u{2018}*\u{2019} 0.05 \u{2018}.\u{2019} 0.1 \u{2018} \u{2019} 1
";

/// `summary()` of fit B as R printed it (without the `Data:` line, which names R's variable).
const R_SUMMARY_B: &str = " Family: poisson  ( log )
Formula:          count ~ imd_z + la_imd + offset(log(pop/10000))

     AIC      BIC   logLik deviance df.resid 
  1704.6   1715.7   -849.3   1698.6      297 


Conditional model:
            Estimate Std. Error z value Pr(>|z|)    
(Intercept)  4.26741    0.03824  111.59   <2e-16 ***
imd_z        0.45792    0.03206   14.28   <2e-16 ***
la_imd       0.05633    0.03284    1.72   0.0863 .  
---
Signif. codes:  0 \u{2018}***\u{2019} 0.001 \u{2018}**\u{2019} 0.01 \u{2018}*\u{2019} 0.05 \u{2018}.\u{2019} 0.1 \u{2018} \u{2019} 1
";

/// `summary()` of fit C as R printed it (without the `Data:` line).
const R_SUMMARY_C: &str = " Family: nbinom1  ( log )
Formula:          count ~ imd_z + offset(log(pop/10000)) + (1 | la/msoa)

     AIC      BIC   logLik deviance df.resid 
  1279.5   1298.1   -634.8   1269.5      295 

Random effects:

Conditional model:
 Groups  Name        Variance Std.Dev.
 msoa:la (Intercept) 0.06104  0.2471  
 la      (Intercept) 0.29081  0.5393  
Number of obs: 300, groups:  msoa:la, 60; la, 12

Dispersion parameter for nbinom1 family (): 0.729 

Conditional model:
            Estimate Std. Error z value Pr(>|z|)    
(Intercept)  4.16023    0.16720  24.882   <2e-16 ***
imd_z        0.35933    0.04318   8.323   <2e-16 ***
---
Signif. codes:  0 \u{2018}***\u{2019} 0.001 \u{2018}**\u{2019} 0.01 \u{2018}*\u{2019} 0.05 \u{2018}.\u{2019} 0.1 \u{2018} \u{2019} 1
";

#[test]
fn text_reproduces_glmmtmb_summary() {
    let a = report_a().text();
    assert!(a.starts_with(&format!(" Family: nbinom2  ( log )\nFormula:          {FORMULA_A}\n\n")), "{a}");
    assert!(a.contains(R_SUMMARY_A), "{a}");
    let b = FitReport::new(&fit_b(), &empty_design(0), FORMULA_B, &[]).text();
    assert!(b.starts_with(R_SUMMARY_B), "{b}");
    // fit_c lists the groups in formula order la:msoa first; the text orders them as R does.
    let mut c_fit = fit_c();
    c_fit.random.reverse();
    let c = FitReport::new(&c_fit, &empty_design(0), FORMULA_C, &[]).text();
    assert!(c.starts_with(R_SUMMARY_C), "{c}");
}

#[test]
fn text_adds_rate_ratios_and_dispersion_interval() {
    let a = report_a().text();
    let irr = "\nIncidence rate ratios, exp(Estimate), with 95% Wald confidence intervals:
                IRR   2.5 %  97.5 %
(Intercept)  55.095 40.4292 75.0798
imd_z         1.407  1.1707  1.6916
la_imd        1.279  0.9594  1.7063
imd_z:la_imd  0.810  0.6869  0.9551

Dispersion theta (nbinom2: variance = mu + mu^2/theta): 11.44 (95% CI 5.119 to 25.57)
";
    assert!(a.ends_with(irr), "{a}");
}
