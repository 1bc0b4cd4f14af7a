//! Checks that the committed R reference values are complete and self-consistent, and that the
//! reference data sets have the structure the README documents: the engine's golden tests can then
//! rely on them.

#[path = "golden.rs"]
mod golden;

use std::collections::{BTreeMap, BTreeSet};

use golden::{read_data, DataRow, Fit, Index, LrTests, PerLa};
use statrs::distribution::{ChiSquared, ContinuousCDF, Normal};
use statrs::function::gamma::ln_gamma;

fn assert_close(what: &str, actual: f64, expected: f64, tolerance: f64) {
    let scale = expected.abs().max(1.0);
    assert!(
        (actual - expected).abs() <= tolerance * scale,
        "{what}: {actual} differs from {expected} by more than {tolerance} (relative to max(|x|, 1))"
    );
}

fn all_fits(index: &Index) -> Vec<Fit> {
    index.fits.iter().map(|id| Fit::load(id)).collect()
}

fn mean_sd(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, var.sqrt())
}

/// Rows of a data set grouped by LA code (rows with a blank `la` are left out).
fn by_la(rows: &[DataRow]) -> BTreeMap<String, Vec<&DataRow>> {
    let mut groups: BTreeMap<String, Vec<&DataRow>> = BTreeMap::new();
    for r in rows {
        if let Some(la) = &r.la {
            groups.entry(la.clone()).or_default().push(r);
        }
    }
    groups
}

#[test]
fn index_lists_every_fit_file() {
    let index = Index::load();
    assert_eq!(index.fits.len(), 94);
    assert!(index.excluded.is_empty(), "excluded fits: {:?}", index.excluded);
    assert_eq!(index.versions.get("glmmTMB").map(String::as_str), Some("1.1.5"));
    assert_eq!(index.versions.get("TMB").map(String::as_str), Some("1.9.2"));
    assert_eq!(index.versions.get("lme4").map(String::as_str), Some("1.1.31"));

    let dir = golden::reference_dir().join("golden").join("fits");
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .expect("golden/fits exists")
        .map(|e| e.expect("directory entry").file_name().to_string_lossy().to_string())
        .map(|name| name.trim_end_matches(".json").to_string())
        .collect();
    let listed: BTreeSet<String> = index.fits.iter().cloned().collect();
    assert_eq!(on_disk, listed);

    for fit in all_fits(&index) {
        let dataset = &index.datasets[&fit.dataset];
        assert_eq!(fit.data, dataset.file, "{}", fit.id);
        assert_eq!(fit.id, format!("{}.{}.{}.{}", fit.dataset, fit.model, fit.family, fit.method));
        assert_eq!(fit.versions, index.versions, "{}", fit.id);
        assert!(golden::reference_dir().join(&fit.data).is_file(), "{}", fit.data);
    }
}

#[test]
fn every_fit_converged_to_within_a_thousandth_of_a_standard_error() {
    for fit in all_fits(&Index::load()) {
        let c = &fit.convergence;
        assert_eq!(c.code, 0, "{}", fit.id);
        assert!(c.pd_hess || c.singular, "{}: Hessian not positive definite", fit.id);
        if let Some(step) = c.newton_step_se {
            assert!(step <= 1e-3, "{}: Newton step {step} SEs", fit.id);
        }
        let has_random = fit.nagq.is_some();
        assert_eq!(has_random, !fit.random.is_empty(), "{}", fit.id);
    }
}

#[test]
fn information_criteria_follow_from_the_log_likelihood() {
    for fit in all_fits(&Index::load()) {
        let Some(ll) = fit.loglik else {
            // Only the singular random-slope fit has no logLik; its objective still does.
            assert_eq!(fit.id, "singular.rs.nbinom2.glmmTMB");
            assert!(fit.objective.is_some());
            continue;
        };
        let df = f64::from(fit.df);
        let aic = fit.aic.expect("AIC present with logLik");
        let bic = fit.bic.expect("BIC present with logLik");
        assert_close(&format!("{} AIC", fit.id), aic, -2.0 * ll + 2.0 * df, 1e-12);
        let n = fit.nobs as f64;
        assert_close(&format!("{} BIC", fit.id), bic, -2.0 * ll + n.ln() * df, 1e-12);
        if let Some(objective) = fit.objective {
            assert_close(&format!("{} objective", fit.id), objective, -ll, 1e-12);
        }
        // Parameters: fixed effects, dispersion, variance components.
        let dispersion = usize::from(fit.dispersion.is_some());
        let variance: usize = fit.random.iter().map(|r| r.sd.len() * (r.sd.len() + 1) / 2).sum();
        assert_eq!(fit.df as usize, fit.fixed.len() + dispersion + variance, "{}", fit.id);
    }
}

#[test]
fn wald_statistics_follow_from_estimates_and_standard_errors() {
    let normal = Normal::standard();
    for fit in all_fits(&Index::load()) {
        for f in &fit.fixed {
            let (Some(se), Some(z), Some(p)) = (f.std_error, f.z, f.p) else {
                panic!("{} {}: missing Wald statistics", fit.id, f.name);
            };
            assert_close(&format!("{} {} z", fit.id, f.name), z, f.estimate / se, 1e-12);
            let expected_p = 2.0 * normal.cdf(-z.abs());
            if expected_p > 1e-200 {
                let rel = (p - expected_p).abs() / expected_p;
                assert!(rel < 1e-8, "{} {}: p {p} vs {expected_p}", fit.id, f.name);
            }
        }
    }
}

#[test]
fn data_sets_have_the_documented_structure() {
    let index = Index::load();
    for (name, info) in &index.datasets {
        let rows = read_data(&info.file);
        assert_eq!(rows.len(), info.rows, "{name}");
        let zeros = rows.iter().filter(|r| r.count == Some(0)).count();
        assert_eq!(zeros, info.zero_count_rows, "{name}");
        let complete = name != "small_missing";

        let mut msoa_la: BTreeMap<&str, &str> = BTreeMap::new();
        for r in &rows {
            if let (Some(m), Some(la)) = (&r.msoa, &r.la) {
                let previous = msoa_la.insert(m, la);
                assert!(previous.is_none() || previous == Some(la), "{name}: MSOA {m} in two LAs");
            }
            if let Some(pop) = r.pop {
                assert!((100..=800).contains(&pop), "{name}: pop {pop}");
            }
            if let Some(rural) = &r.rural {
                assert!(rural == "urban" || rural == "rural", "{name}: rural {rural}");
            }
        }
        assert_eq!(msoa_la.len(), info.msoas, "{name}");

        let groups = by_la(&rows);
        assert_eq!(groups.len(), info.las, "{name}");
        for (la, members) in &groups {
            let first = members[0];
            for r in members {
                assert_eq!(r.gini, first.gini, "{name} {la}: gini varies");
                if complete {
                    assert_eq!(r.la_imd, first.la_imd, "{name} {la}: la_imd varies");
                }
            }
            if complete {
                let imd: Vec<f64> = members.iter().filter_map(|r| r.imd).collect();
                let (mean, _) = mean_sd(&imd);
                assert!((mean - first.la_imd.unwrap_or(f64::NAN)).abs() <= 5e-4, "{name} {la}");
                let z: Vec<f64> = members.iter().filter_map(|r| r.imd_z).collect();
                let (mean, sd) = mean_sd(&z);
                assert!(mean.abs() < 1e-5 && (sd - 1.0).abs() < 1e-5, "{name} {la}: {mean} {sd}");
            }
        }

        let truth = &info.truth;
        assert_eq!(truth.la_effects.la.len(), info.las, "{name}");
        assert_eq!(truth.zero_heavy_las.len(), if name == "zero_heavy" { 5 } else { 0 });
    }
}

#[test]
fn zero_heavy_las_are_mostly_zero() {
    let index = Index::load();
    let info = &index.datasets["zero_heavy"];
    let rows = read_data(&info.file);
    for (la, members) in by_la(&rows) {
        let zeros = members.iter().filter(|r| r.count == Some(0)).count() as f64;
        let share = zeros / members.len() as f64;
        if info.truth.zero_heavy_las.contains(&la) {
            assert!(share > 0.8, "{la}: {share}");
        } else {
            assert!(share < 0.5, "{la}: {share}");
        }
    }
}

#[test]
fn blank_cells_drop_only_the_rows_a_formula_uses() {
    let index = Index::load();
    let info = &index.datasets["small_missing"];
    let missing = read_data(&info.file);
    let complete = read_data(&index.datasets["small_poisson"].file);
    assert_eq!(info.blank_cells.len(), 7);
    let blank_rows: BTreeSet<usize> = info.blank_cells.iter().map(|b| b.row).collect();
    for (i, (m, c)) in missing.iter().zip(&complete).enumerate() {
        let blanks =
            [m.count.is_none(), m.imd_z.is_none(), m.pop.is_none(), m.la.is_none(), m.la_imd.is_none()];
        let blank_count = blanks.iter().filter(|&&b| b).count();
        assert_eq!(blank_count, usize::from(blank_rows.contains(&(i + 1))), "row {}", i + 1);
        assert_eq!(m.lsoa, c.lsoa);
        assert_eq!(m.imd, c.imd);
    }
    // glm_main uses count, imd_z, la_imd and pop: 6 rows dropped; ri also uses la: 7.
    assert_eq!(Fit::load("small_missing.glm_main.poisson.glm").nobs, 294);
    assert_eq!(Fit::load("small_missing.glm_main.poisson.glmmTMB").nobs, 294);
    assert_eq!(Fit::load("small_missing.ri.poisson.glmmTMB").nobs, 293);
}

#[test]
fn scale_is_taken_over_every_row_where_the_variable_is_present() {
    let index = Index::load();
    for (id, dataset) in [
        ("small_poisson.scale_glm.poisson.glm", "small_poisson"),
        ("small_poisson.scale_ri.poisson.glmmTMB", "small_poisson"),
        ("small_missing.scale_glm.poisson.glm", "small_missing"),
        ("small_missing.scale_glm.poisson.glmmTMB", "small_missing"),
        ("medium_nb2.scale_ri.nbinom2.glmmTMB", "medium_nb2"),
    ] {
        let fit = Fit::load(id);
        let rows = read_data(&index.datasets[dataset].file);
        let present: Vec<f64> = rows.iter().filter_map(|r| r.la_imd).collect();
        let (mean, sd) = mean_sd(&present);
        assert_eq!(fit.scale_terms.len(), 1, "{id}");
        let term = &fit.scale_terms[0];
        assert_eq!(term.term, "scale(la_imd)");
        assert_close(&format!("{id} centre"), term.center, mean, 1e-13);
        assert_close(&format!("{id} scale"), term.scale, sd, 1e-13);
        let names: Vec<&str> = fit.fixed.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["(Intercept)", "imd_z", "scale(la_imd)", "imd_z:scale(la_imd)"]);
    }
    // 299 rows have la_imd in small_missing although the fit uses 294.
    let centre = Fit::load("small_missing.scale_glm.poisson.glm").scale_terms[0].center;
    assert_close("small_missing centre", centre, 18.527_090_301_003_344, 1e-15);
}

#[test]
fn glm_and_glmmtmb_agree_on_poisson_glms() {
    for fit in all_fits(&Index::load()).into_iter().filter(|f| f.method == "glm") {
        let stem = fit.id.strip_suffix(".glm").expect("glm ids end in .glm");
        let tmb = Fit::load(&format!("{stem}.glmmTMB"));
        assert_eq!(tmb.method, "glmmTMB");
        assert_close(&fit.id, fit.loglik.unwrap_or(f64::NAN), tmb.loglik.unwrap_or(f64::NAN), 1e-9);
        for (a, b) in fit.fixed.iter().zip(&tmb.fixed) {
            assert_eq!(a.name, b.name);
            let se = a.std_error.unwrap_or(f64::NAN);
            assert!((a.estimate - b.estimate).abs() < 1e-3 * se, "{} {}", fit.id, a.name);
            assert_close(&format!("{} {} SE", fit.id, a.name), b.std_error.unwrap_or(f64::NAN), se, 1e-3);
        }
    }
}

#[test]
fn glm_nb_and_glmmtmb_agree_on_nb2_glms() {
    let nb_fits: Vec<Fit> = all_fits(&Index::load()).into_iter().filter(|f| f.method == "glm.nb").collect();
    assert_eq!(nb_fits.len(), 9);
    for fit in nb_fits {
        let tmb = Fit::load(&fit.id.replace("glm.nb", "glmmTMB"));
        assert_close(&fit.id, fit.loglik.unwrap_or(f64::NAN), tmb.loglik.unwrap_or(f64::NAN), 1e-8);
        assert_close(
            &format!("{} twologlik", fit.id),
            fit.twologlik.unwrap_or(f64::NAN),
            2.0 * fit.loglik.unwrap_or(f64::NAN),
            1e-14,
        );
        let theta = fit.dispersion.unwrap_or(f64::NAN);
        assert_close(&format!("{} theta", fit.id), tmb.dispersion.unwrap_or(f64::NAN) / theta, 1.0, 1e-5);
        for (a, b) in fit.fixed.iter().zip(&tmb.fixed) {
            let se = b.std_error.unwrap_or(f64::NAN);
            assert!((a.estimate - b.estimate).abs() < 1e-3 * se, "{} {}", fit.id, a.name);
        }
    }
}

#[test]
fn glmer_log_likelihoods_are_put_on_the_full_scale() {
    let index = Index::load();
    let glmer: Vec<Fit> = all_fits(&index).into_iter().filter(|f| f.method.starts_with("glmer")).collect();
    assert_eq!(glmer.len(), 6);
    for fit in &glmer {
        let rows = read_data(&index.datasets[&fit.dataset].file);
        // log Pois(y; y) = y ln y - y - ln y!
        let saturated: f64 = rows
            .iter()
            .filter_map(|r| r.count)
            .map(f64::from)
            .map(|y| if y > 0.0 { y * y.ln() - y } else { 0.0 } - ln_gamma(y + 1.0))
            .sum();
        assert_close(
            &format!("{} saturated", fit.id),
            fit.saturated_loglik.unwrap_or(f64::NAN),
            saturated,
            1e-11,
        );
        let full = fit.loglik_full.unwrap_or(f64::NAN);
        let reported = fit.loglik.unwrap_or(f64::NAN);
        let shift = if fit.nagq == Some(9) { saturated } else { 0.0 };
        assert_close(&format!("{} full", fit.id), reported + shift, full, 1e-9);
        // Nine-point quadrature is within 1e-3 of the exact integral here.
        let exact = fit.loglik_integrated.unwrap_or(f64::NAN);
        if fit.nagq == Some(9) {
            assert!((full - exact).abs() < 1e-3, "{}: {full} vs {exact}", fit.id);
        }
        let hessian_se = fit.hessian_std_error.as_ref().expect("glmer fits carry Hessian SEs");
        assert_eq!(hessian_se.len(), fit.fixed.len());
    }
    // Laplace (nAGQ = 1) agrees with glmmTMB at the optimum.
    for (laplace, tmb) in [
        ("small_poisson.ri.poisson.glmer_nAGQ1", "small_poisson.ri.poisson.glmmTMB"),
        ("zero_heavy.ri.poisson.glmer_nAGQ1", "zero_heavy.ri.poisson.glmmTMB"),
        ("zero_heavy.msoa_ri.poisson.glmer_nAGQ1", "zero_heavy.msoa_ri.poisson.glmmTMB"),
    ] {
        let a = Fit::load(laplace);
        let b = Fit::load(tmb);
        assert_close(laplace, a.loglik_full.unwrap_or(f64::NAN), b.loglik.unwrap_or(f64::NAN), 1e-9);
        let se = b.hessian_std_error.as_ref().map(|s| s[0]).or(b.fixed[0].std_error).unwrap_or(f64::NAN);
        assert!((a.fixed[0].estimate - b.fixed[0].estimate).abs() < 1e-3 * se, "{laplace}");
    }
    // With about five LSOAs per MSOA the Laplace approximation is off by 0.6 log-likelihood
    // units, and quadrature moves the MSOA SD from 0.9946 to 1.0030.
    let laplace = Fit::load("zero_heavy.msoa_ri.poisson.glmer_nAGQ1");
    let agq = Fit::load("zero_heavy.msoa_ri.poisson.glmer_nAGQ9");
    let exact = laplace.loglik_integrated.unwrap_or(f64::NAN);
    assert!((laplace.loglik_full.unwrap_or(f64::NAN) - exact).abs() > 0.5);
    assert_close("Laplace MSOA SD", laplace.random[0].sd[0].unwrap_or(f64::NAN), 0.9946, 1e-4);
    assert_close("AGQ MSOA SD", agq.random[0].sd[0].unwrap_or(f64::NAN), 1.0030, 1e-4);
}

#[test]
fn singular_fits_reduce_to_the_glm() {
    let glm = Fit::load("singular.glm_int.nbinom2.glmmTMB");
    let glm_ll = glm.loglik.unwrap_or(f64::NAN);
    for id in ["singular.ri.nbinom2.glmmTMB", "singular.rs.nbinom2.glmmTMB"] {
        let fit = Fit::load(id);
        assert!(fit.convergence.singular);
        let objective = fit.objective.unwrap_or(f64::NAN);
        assert!((-objective - glm_ll).abs() < 1e-4, "{id}: {objective} vs {glm_ll}");
        for sd in &fit.random_term("la").sd {
            assert!(sd.unwrap_or(f64::NAN) < 1e-3, "{id}: LA SD {sd:?}");
        }
        for (a, b) in fit.fixed.iter().zip(&glm.fixed) {
            assert!(
                (a.estimate - b.estimate).abs() < 1e-3 * b.std_error.unwrap_or(f64::NAN),
                "{id} {}",
                a.name
            );
        }
    }
    let rs = Fit::load("singular.rs.nbinom2.glmmTMB");
    assert!(!rs.convergence.pd_hess && rs.loglik.is_none());
    assert!(rs.convergence.warnings.iter().any(|w| w.contains("non-positive-definite Hessian")));
}

#[test]
fn random_effect_names_follow_r() {
    let nested = Fit::load("medium_nb2.nested.nbinom2.glmmTMB");
    let groups: Vec<&str> = nested.random.iter().map(|r| r.group.as_str()).collect();
    assert_eq!(groups, ["msoa:la", "la"]);
    let webb = Fit::load("medium_nb2.webb.nbinom2.glmmTMB");
    let groups: Vec<&str> = webb.random.iter().map(|r| r.group.as_str()).collect();
    assert_eq!(groups, ["la", "la:msoa"]);
    let la = webb.random_term("la");
    assert_eq!(la.terms, ["(Intercept)", "imd_z"]);
    assert_eq!(la.corr[0][1], la.corr[1][0]);
    assert_eq!(la.corr[0][0], Some(1.0));
    let names: Vec<&str> = webb.fixed.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["(Intercept)", "imd_z", "la_imd", "gini", "imd_z:la_imd", "imd_z:gini"]);
    let rural = Fit::load("small_poisson.glm_rural.poisson.glm");
    assert!(rural.fixed.iter().any(|f| f.name == "ruralurban"));
    // Conditional modes are listed for every LA, in R's (sorted) level order.
    let modes = &webb.modes[0];
    assert_eq!(modes.group, "la");
    assert_eq!(modes.levels.len(), 40);
    assert!(modes.levels.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn fits_recover_the_generating_parameters() {
    let index = Index::load();
    for (id, family_dispersion) in
        [("medium_nb2.webb.nbinom2.glmmTMB", 6.0), ("medium_nb1.webb.nbinom1.glmmTMB", 1.5)]
    {
        let fit = Fit::load(id);
        let truth = &index.datasets[&fit.dataset].truth;
        assert_eq!(truth.dispersion, Some(family_dispersion));
        for name in ["imd_z:la_imd", "imd_z:gini", "la_imd"] {
            let f = fit.coef(name);
            let se = f.std_error.unwrap_or(f64::NAN);
            assert!(
                (f.estimate - truth.beta[name]).abs() < 3.0 * se,
                "{id} {name}: {} vs {}",
                f.estimate,
                truth.beta[name]
            );
        }
        let dispersion = fit.dispersion.unwrap_or(f64::NAN);
        assert!((dispersion / family_dispersion - 1.0).abs() < 0.35, "{id}: dispersion {dispersion}");
        let msoa_sd = fit.random_term("la:msoa").sd[0].unwrap_or(f64::NAN);
        assert!((msoa_sd - truth.sd_msoa).abs() < 0.1, "{id}: MSOA SD {msoa_sd}");
    }
}

#[test]
fn likelihood_ratio_tests_match_their_fits() {
    let lr = LrTests::load();
    assert_eq!(lr.tests.len(), 7);
    for t in &lr.tests {
        let null = Fit::load(&t.null_fit);
        let alt = Fit::load(&t.alternative_fit);
        assert_eq!(null.formula, t.null_formula);
        assert_eq!(alt.formula, t.alternative_formula);
        assert_eq!(t.loglik, [null.loglik.unwrap_or(f64::NAN), alt.loglik.unwrap_or(f64::NAN)]);
        assert_eq!(t.df, [null.df, alt.df]);
        assert_eq!(t.chisq_df, alt.df - null.df);
        assert_close(&t.alternative_fit, t.chisq, 2.0 * (t.loglik[1] - t.loglik[0]), 1e-12);
        let chi = ChiSquared::new(f64::from(t.chisq_df)).expect("positive degrees of freedom");
        let p = chi.sf(t.chisq);
        assert!((t.p - p).abs() <= 1e-8 * p.max(1e-300), "{}: p {} vs {p}", t.alternative_fit, t.p);
    }
}

#[test]
fn per_la_fits_match_the_data() {
    let per_la = PerLa::load();
    assert_eq!(per_la.formula, "count ~ imd_z + offset(log(pop/10000))");
    let rows = read_data(&per_la.data);
    let groups = by_la(&rows);
    assert_eq!(per_la.fits.len(), groups.len());
    for f in &per_la.fits {
        let members = &groups[&f.la];
        assert_eq!(f.rows, members.len());
        let imd: Vec<f64> = members.iter().filter_map(|r| r.imd).collect();
        assert_close(&f.la, f.mean_imd, mean_sd(&imd).0, 1e-13);
        assert_eq!(Some(f.la_imd), members[0].la_imd);
        assert!(f.converged && f.imd_z_se > 0.0 && f.intercept_se > 0.0);
    }
}
