//! Mixed models: agreement with glmmTMB (Laplace) and lme4 (adaptive quadrature) on seeded
//! simulated data, recovery of simulation parameters, singular fits and unsupported structures.

use crate::fit_common;

use fit_common::*;
use socgrad::fit::sparse::{SparseLaplace, SparseModel};
use socgrad::fit::{fit, fit_with_progress, Family, Fit, FitError, FitOptions, Stage, WarningCode};

fn laplace() -> FitOptions {
    FitOptions::default()
}

/// 30 LAs x 10 rows, Poisson, random intercept sd 0.5.
fn data_a() -> Simulated {
    simulate(
        101,
        30,
        10,
        1,
        Truth {
            beta: [-3.0, 0.5],
            sd_intercept: 0.5,
            sd_slope: 0.0,
            corr: 0.0,
            sd_inner: 0.0,
            counts: Counts::Poisson,
        },
    )
}

/// 40 LAs x 12 rows, NB2 (theta 3), correlated random intercept and slope.
fn data_b() -> Simulated {
    simulate(
        202,
        40,
        12,
        1,
        Truth {
            beta: [-2.5, 0.4],
            sd_intercept: 0.4,
            sd_slope: 0.2,
            corr: 0.3,
            sd_inner: 0.0,
            counts: Counts::Nbinom2(3.0),
        },
    )
}

/// 25 LAs x 12 rows in 4 areas each, NB1 (phi 0.8), LA and area random intercepts.
fn data_c() -> Simulated {
    simulate(
        303,
        25,
        12,
        4,
        Truth {
            beta: [-3.0, 0.5],
            sd_intercept: 0.35,
            sd_slope: 0.0,
            corr: 0.0,
            sd_inner: 0.3,
            counts: Counts::Nbinom1(0.8),
        },
    )
}

fn se(f: &Fit, k: usize) -> f64 {
    f.cov_beta[k][k].sqrt()
}

/// Compares a fit with glmmTMB values: estimates to 5e-6 (glmmTMB's own optimiser stops
/// within a few 1e-6), standard errors and variance parameters to 5e-5 relative, the
/// log-likelihood to 1e-7.
fn check(f: &Fit, beta: [f64; 2], ses: [f64; 2], loglik: f64, sds: &[f64]) {
    assert!(f.converged, "{:?}", f.warnings);
    for k in 0..2 {
        assert!((f.beta[k] - beta[k]).abs() < 5e-6, "beta[{k}] {} vs {}", f.beta[k], beta[k]);
        assert!(close(se(f, k), ses[k], 5e-5), "se[{k}] {} vs {}", se(f, k), ses[k]);
    }
    assert!((f.loglik - loglik).abs() < 1e-7, "loglik {} vs {loglik}", f.loglik);
    let ours: Vec<f64> = f.random.iter().flat_map(|r| r.sd.clone()).collect();
    assert_eq!(ours.len(), sds.len());
    for (a, b) in ours.iter().zip(sds) {
        assert!(close(*a, *b, 5e-5), "sd {a} vs {b}");
    }
    assert!((f.aic - (-2.0 * f.loglik + 2.0 * f.df as f64)).abs() < 1e-9);
    assert!((f.bic - (-2.0 * f.loglik + (f.nobs as f64).ln() * f.df as f64)).abs() < 1e-9);
}

#[test]
fn poisson_random_intercept_matches_glmmtmb() {
    let f = fit(&design(&data_a(), Random::Intercept), Family::Poisson, &laplace()).unwrap();
    // glmmTMB 1.1.5: glmmTMB(y ~ x + offset(off) + (1|g), family = poisson) on data_a().
    check(
        &f,
        [-3.13985550409, 0.508049252101],
        [0.079822514338, 0.0267419968181],
        -660.504767565,
        &[0.404444975929],
    );
    assert_eq!(f.df, 3);
    assert!((f.aic - 1327.00953513).abs() < 1e-6 && (f.bic - 1338.12088255).abs() < 1e-6);
    assert_eq!(f.dispersion, None);
    assert!(!f.singular);
}

#[test]
fn nb2_correlated_random_slope_matches_glmmtmb() {
    let f = fit(&design(&data_b(), Random::Slope), Family::Nbinom2, &laplace()).unwrap();
    // glmmTMB(y ~ x + offset(off) + (1 + x|g), family = nbinom2) on data_b().
    check(
        &f,
        [-2.60468410041, 0.371032846004],
        [0.0599275992776, 0.0481612544735],
        -1438.6125914,
        &[0.307206803654, 0.199512778951],
    );
    assert_eq!(f.df, 6);
    assert!(close(f.dispersion.unwrap(), 2.67179784902, 5e-6));
    assert!(close(f.dispersion_se_log.unwrap(), 0.0986352181782, 5e-5));
    assert!(close(f.random[0].corr[0][1], 0.394637274875, 5e-5));
    assert_eq!(f.random[0].corr[1][0], f.random[0].corr[0][1]);
}

#[test]
fn nb1_nested_matches_glmmtmb() {
    let f = fit(&design(&data_c(), Random::Nested), Family::Nbinom1, &laplace()).unwrap();
    // glmmTMB(y ~ x + offset(off) + (1|g) + (1|g:h), family = nbinom1) on data_c().
    check(
        &f,
        [-2.97312630753, 0.55978649928],
        [0.0813975293592, 0.0324647525646],
        -764.269629843,
        &[0.347473236196, 0.165879585725],
    );
    assert_eq!(f.df, 5);
    assert!(close(f.dispersion.unwrap(), 0.855446354616, 5e-6));
    assert!(close(f.dispersion_se_log.unwrap(), 0.23064071016, 5e-5));
    assert_eq!(f.random[1].group, "la:area");
    assert_eq!(f.random[1].levels.len(), 100);
}

#[test]
fn poisson_nested_matches_glmmtmb() {
    // The design lists the inner factor first: nesting is recognised from the data.
    let mut d = design(&data_c(), Random::Nested);
    d.random.swap(0, 1);
    let f = fit(&d, Family::Poisson, &laplace()).unwrap();
    // glmmTMB(y ~ x + offset(off) + (1|g) + (1|g:h), family = poisson) on data_c().
    check(
        &f,
        [-2.99834413504, 0.57091608168],
        [0.0812178024708, 0.0263210311159],
        -785.230776217,
        &[0.280714994147, 0.351832511638],
    );
}

#[test]
fn adaptive_quadrature_matches_lme4() {
    let options = FitOptions { nagq: 12, ..FitOptions::default() };
    let f = fit(&design(&data_a(), Random::Intercept), Family::Poisson, &options).unwrap();
    assert!(f.converged);
    // lme4 1.1-31: glmer(y ~ x + offset(off) + (1|g), family = poisson, nAGQ = 12,
    //   control = glmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12))) on data_a().
    let beta = [-3.13989369845, 0.508050215144];
    let ses = [0.0798840086595, 0.0267423586137];
    for k in 0..2 {
        assert!((f.beta[k] - beta[k]).abs() < 1e-7, "beta[{k}] {} vs {}", f.beta[k], beta[k]);
        assert!(close(se(&f, k), ses[k], 1e-5), "se[{k}] {} vs {}", se(&f, k), ses[k]);
    }
    assert!(close(f.random[0].sd[0], 0.404806039934, 1e-6), "sd {}", f.random[0].sd[0]);
    // Quadrature raises the likelihood a little above the Laplace approximation here.
    let l = fit(&design(&data_a(), Random::Intercept), Family::Poisson, &laplace()).unwrap();
    assert!(f.loglik > l.loglik && f.loglik - l.loglik < 0.1);
}

#[test]
fn recovers_simulation_parameters() {
    let truth = Truth {
        beta: [-3.0, 0.5],
        sd_intercept: 0.4,
        sd_slope: 0.0,
        corr: 0.0,
        sd_inner: 0.0,
        counts: Counts::Nbinom2(3.0),
    };
    let s = simulate(707, 150, 40, 1, truth);
    let f = fit(&design(&s, Random::Intercept), Family::Nbinom2, &laplace()).unwrap();
    assert!(f.converged);
    for k in 0..2 {
        let z = (f.beta[k] - truth.beta[k]) / se(&f, k);
        assert!(z.abs() < 3.0, "beta[{k}] = {} (se {}), truth {}", f.beta[k], se(&f, k), truth.beta[k]);
    }
    let z = (f.dispersion.unwrap().ln() - 3f64.ln()) / f.dispersion_se_log.unwrap();
    assert!(z.abs() < 3.0, "theta {}", f.dispersion.unwrap());
    assert!((f.random[0].sd[0] / 0.4 - 1.0).abs() < 0.2, "sd {}", f.random[0].sd[0]);
    // The conditional modes track the simulated LA effects' spread.
    let modes: Vec<f64> = f.random[0].modes.iter().map(|m| m[0]).collect();
    let spread = (modes.iter().map(|m| m * m).sum::<f64>() / modes.len() as f64).sqrt();
    assert!(spread > 0.25 && spread < 0.5, "spread of modes {spread}");
}

#[test]
fn zero_variance_is_reported_as_singular() {
    let s = poisson_without_groups();
    let f = fit(&design(&s, Random::Intercept), Family::Poisson, &laplace()).unwrap();
    let g = fit(&design(&s, Random::None), Family::Poisson, &laplace()).unwrap();
    assert!(f.singular);
    assert!(f.random[0].sd[0] < 1e-4);
    assert!(
        f.warnings.iter().any(|w| w.code == WarningCode::SingularFit
            && w.message == "the la random-effect variance is estimated as (near) zero: singular fit"),
        "{:?}",
        f.warnings
    );
    // With no variance left the model is the GLM.
    assert!((f.loglik - g.loglik).abs() < 1e-7);
    for k in 0..2 {
        assert!((f.beta[k] - g.beta[k]).abs() < 1e-6);
        assert!(close(se(&f, k), se(&g, k), 1e-5));
    }
    assert_eq!(f.df, 3);
}

#[test]
fn correlation_at_one_is_reported_as_singular() {
    let truth = Truth {
        beta: [-3.0, 0.5],
        sd_intercept: 0.4,
        sd_slope: 0.0,
        corr: 0.0,
        sd_inner: 0.0,
        counts: Counts::Nbinom2(4.0),
    };
    let f =
        fit(&design(&simulate(606, 30, 10, 1, truth), Random::Slope), Family::Nbinom2, &laplace()).unwrap();
    assert!(f.singular);
    assert!(f.random[0].corr[0][1].abs() > 0.999);
    assert!(
        f.warnings.iter().any(|w| w.code == WarningCode::Boundary
            && w.message.contains("correlations")
            && w.message.ends_with("singular fit")),
        "{:?}",
        f.warnings
    );
    assert!(f.converged);
}

/// Crossed factors (LA and an age band crossing every LA) are fitted by the sparse Laplace
/// objective: the fit converges, its log-likelihood is the objective's value at the estimates,
/// and reordering the rows changes nothing.
#[test]
fn crossed_factors_are_fitted() {
    let s = data_a();
    let crossed = |s: &Simulated| {
        let mut d = design(s, Random::Intercept);
        let mut other = d.random[0].clone();
        other.group = "age".into();
        other.index = (0..s.y.len()).map(|i| (i * 7 + s.group[i]) % 4).collect();
        other.levels = (0..4).map(|l| format!("age{l}")).collect();
        d.random.push(other);
        d
    };
    let d = crossed(&s);
    let f = fit(&d, Family::Nbinom2, &laplace()).unwrap();
    assert!(f.converged, "{:?}", f.warnings);
    assert_eq!(f.random.len(), 2);
    assert_eq!((f.random[0].group.as_str(), f.random[1].group.as_str()), ("la", "age"));
    assert_eq!(f.random[1].modes.len(), 4);
    assert!(f.max_abs_gradient < 1e-3, "gradient {}", f.max_abs_gradient);
    let model = SparseModel::from_design(&d, &[0, 1]).unwrap();
    let mut objective = SparseLaplace::new(&model, Family::Nbinom2).unwrap();
    let mut psi = f.beta.clone();
    psi.push(f.dispersion.unwrap().ln());
    psi.extend(f.random.iter().map(|r| r.sd[0].ln()));
    let mut grad = vec![0.0; psi.len()];
    let value = objective.evaluate(&psi, &mut grad).unwrap();
    assert!((value - f.loglik).abs() < 1e-8, "{value} vs {}", f.loglik);
    // The rows reversed: the same fit.
    let n = s.y.len();
    let mut r = crossed(&s);
    let flip = |v: &[f64]| v.iter().rev().copied().collect::<Vec<f64>>();
    r.y = flip(&d.y);
    r.offset = flip(&d.offset);
    r.x = nalgebra::DMatrix::from_fn(n, d.x.ncols(), |i, j| d.x[(n - 1 - i, j)]);
    for (t, term) in r.random.iter_mut().enumerate() {
        term.index = d.random[t].index.iter().rev().copied().collect();
        term.z = nalgebra::DMatrix::from_fn(n, term.z.ncols(), |i, j| d.random[t].z[(n - 1 - i, j)]);
    }
    let g = fit(&r, Family::Nbinom2, &laplace()).unwrap();
    assert!((f.loglik - g.loglik).abs() < 1e-8, "{} vs {}", f.loglik, g.loglik);
    for k in 0..2 {
        assert!((f.beta[k] - g.beta[k]).abs() < 1e-6);
    }
}

#[test]
fn quadrature_needs_a_single_scalar_random_effect() {
    let options = FitOptions { nagq: 5, ..FitOptions::default() };
    for random in [Random::Slope, Random::Nested, Random::None] {
        let err = fit(&design(&data_b(), random), Family::Poisson, &options).unwrap_err();
        assert!(matches!(err, FitError::QuadratureNotSupported { .. }), "{err:?}");
        assert!(err.to_string().contains("nagq = 1"));
    }
}

#[test]
fn row_order_does_not_change_the_fit() {
    let s = data_c();
    let reversed = Simulated {
        y: s.y.iter().rev().cloned().collect(),
        x: s.x.iter().rev().cloned().collect(),
        offset: s.offset.iter().rev().cloned().collect(),
        group: s.group.iter().rev().cloned().collect(),
        inner: s.inner.iter().rev().cloned().collect(),
        ..s.clone()
    };
    let a = fit(&design(&s, Random::Nested), Family::Nbinom2, &laplace()).unwrap();
    let b = fit(&design(&reversed, Random::Nested), Family::Nbinom2, &laplace()).unwrap();
    assert!((a.loglik - b.loglik).abs() < 1e-8);
    for k in 0..2 {
        assert!((a.beta[k] - b.beta[k]).abs() < 1e-7);
    }
    let n = s.y.len();
    for i in 0..n {
        assert!(close(a.fitted[i], b.fitted[n - 1 - i], 1e-6));
    }
}

#[test]
fn fitted_values_combine_fixed_part_and_modes() {
    let s = data_c();
    let f = fit(&design(&s, Random::Nested), Family::Poisson, &laplace()).unwrap();
    for i in 0..s.y.len() {
        let eta =
            f.linear_predictor_fixed[i] + f.random[0].modes[s.group[i]][0] + f.random[1].modes[s.inner[i]][0];
        assert!(close(f.fitted[i], eta.exp(), 1e-9), "row {i}");
        let fixed = s.offset[i] + f.beta[0] + f.beta[1] * s.x[i];
        assert!((f.linear_predictor_fixed[i] - fixed).abs() < 1e-12);
    }
    // Conditional SDs are below the prior SD and positive.
    for r in &f.random {
        for (m, sd) in r.mode_sd.iter().zip(std::iter::repeat(r.sd[0])) {
            assert!(m[0] > 0.0 && m[0] < sd);
        }
    }
}

#[test]
fn progress_is_reported_every_iteration() {
    let mut stages: Vec<Stage> = Vec::new();
    let mut last = f64::INFINITY;
    let f = fit_with_progress(&design(&data_a(), Random::Intercept), Family::Poisson, &laplace(), &mut |p| {
        if stages.last() != Some(&p.stage) {
            stages.push(p.stage);
        }
        assert!(p.objective.is_finite());
        last = p.objective;
    })
    .unwrap();
    assert_eq!(stages.first(), Some(&Stage::Glm));
    assert!(stages.contains(&Stage::Laplace));
    assert!((last + f.loglik).abs() < 1e-6);
}

#[test]
fn independent_terms_on_one_factor_match_glmmtmb() {
    // (1 | la) + (0 + x | la): two uncorrelated terms stacked in one block per LA.
    let s = data_b();
    let mut d = design(&s, Random::Intercept);
    let mut slope = d.random[0].clone();
    slope.terms = vec!["x".into()];
    slope.z = nalgebra::DMatrix::from_fn(s.y.len(), 1, |i, _| s.x[i]);
    d.random.push(slope);
    let f = fit(&d, Family::Nbinom2, &laplace()).unwrap();
    assert!(f.converged);
    assert_eq!(f.df, 5);
    // glmmTMB(y ~ x + offset(off) + (1|g) + (0 + x|g), family = nbinom2) on data_b(); its
    // optimiser stopped with a gradient of 4e-3, hence the looser tolerances.
    let beta = [-2.60767792197, 0.378656650938];
    let ses = [0.0612405931558, 0.047115505403];
    for k in 0..2 {
        assert!((f.beta[k] - beta[k]).abs() < 1e-4, "beta[{k}] {}", f.beta[k]);
        assert!(close(se(&f, k), ses[k], 1e-3), "se[{k}] {}", se(&f, k));
    }
    assert!((f.loglik - -1439.35177679).abs() < 1e-6, "loglik {}", f.loglik);
    assert!(close(f.random[0].sd[0], 0.317471955823, 1e-3), "sd {}", f.random[0].sd[0]);
    assert!(close(f.random[1].sd[0], 0.192258184445, 1e-3), "sd {}", f.random[1].sd[0]);
    assert!(close(f.dispersion.unwrap(), 2.66078017692, 1e-4));
    assert_eq!(f.random[1].terms, vec!["x"]);
    assert_eq!(f.random[1].modes.len(), 40);
}

/// Three grouping factors, each nested in the next (region, LA, area), go to the sparse
/// objective and fit with every SD and the modes of every level.
#[test]
fn three_grouping_factors_are_fitted() {
    let s = data_c();
    let mut d = design(&s, Random::Nested);
    let mut region = d.random[0].clone();
    region.group = "region".into();
    region.terms = vec!["(Intercept)".into()];
    region.z = nalgebra::DMatrix::from_element(s.y.len(), 1, 1.0);
    region.index = s.group.iter().map(|g| g / 5).collect();
    region.levels = (0..s.group.iter().max().unwrap() / 5 + 1).map(|r| format!("region{r}")).collect();
    d.random.insert(0, region);
    let f = fit(&d, Family::Poisson, &laplace()).unwrap();
    assert_eq!(f.random.len(), 3);
    assert!(f.max_abs_gradient < 1e-3, "gradient {}", f.max_abs_gradient);
    assert!(f.random[1].sd[0] > 0.05, "LA SD {}", f.random[1].sd[0]);
    assert_eq!(f.random[0].modes.len(), d.random[0].levels.len());
}
