//! Models without random effects: agreement with R's glm, MASS::glm.nb and glmmTMB, aliased
//! columns, and the rejection of inputs no count model can take.

use crate::fit_common;

use fit_common::*;
use nalgebra::DMatrix;
use socgrad::design::{Design, ModelColumn};
use socgrad::fit::{fit, Family, FitError, FitOptions, WarningCode};

/// 300 rows, NB2 counts (theta 2.5), `y ~ x + offset(log pop)`.
fn data_d() -> Simulated {
    simulate(
        404,
        1,
        300,
        1,
        Truth {
            beta: [-2.8, 0.6],
            sd_intercept: 0.0,
            sd_slope: 0.0,
            corr: 0.0,
            sd_inner: 0.0,
            counts: Counts::Nbinom2(2.5),
        },
    )
}

fn options() -> FitOptions {
    FitOptions::default()
}

#[test]
fn poisson_glm_matches_r_glm() {
    let f = fit(&design(&data_d(), Random::None), Family::Poisson, &options()).unwrap();
    // R 4.x: glm(y ~ x + offset(off), family = poisson) on data_d().
    let beta = [-2.78440022076, 0.511785125503];
    let se = [0.0248778661156, 0.0225456038013];
    for k in 0..2 {
        assert!((f.beta[k] - beta[k]).abs() < 1e-10, "beta[{k}] {}", f.beta[k]);
        assert!(close(f.cov_beta[k][k].sqrt(), se[k], 1e-7), "se[{k}] {}", f.cov_beta[k][k].sqrt());
    }
    assert!((f.loglik - -1033.24900971).abs() < 1e-7);
    assert_eq!(f.df, 2);
    assert!(f.converged && !f.singular && f.random.is_empty());
    assert_eq!(f.terms, vec!["(Intercept)", "x"]);
    assert_eq!(f.cov_beta[0][1], f.cov_beta[1][0]);
    for i in 0..f.nobs {
        assert!(close(f.fitted[i], f.linear_predictor_fixed[i].exp(), 1e-12));
    }
}

#[test]
fn nb2_glm_matches_glmmtmb_and_mass() {
    let f = fit(&design(&data_d(), Random::None), Family::Nbinom2, &options()).unwrap();
    // glmmTMB(y ~ x + offset(off), family = nbinom2) on data_d(); MASS::glm.nb gives the same
    // estimates (theta 2.45768824948, loglik -822.693708587) but SEs that condition on theta.
    let beta = [-2.80500101786, 0.520764424661];
    let se = [0.0452044943744, 0.0464131960773];
    for k in 0..2 {
        assert!((f.beta[k] - beta[k]).abs() < 1e-7, "beta[{k}] {}", f.beta[k]);
        assert!(close(f.cov_beta[k][k].sqrt(), se[k], 1e-6), "se[{k}] {}", f.cov_beta[k][k].sqrt());
    }
    assert!(close(f.dispersion.unwrap(), 2.45768824948, 1e-7));
    assert!(close(f.dispersion_se_log.unwrap(), 0.119153944638, 1e-6));
    assert!((f.loglik - -822.693708587).abs() < 1e-8);
    assert_eq!(f.df, 3);
    assert!((f.aic - 1651.38741717).abs() < 1e-6 && (f.bic - 1662.4987646).abs() < 1e-6);
}

#[test]
fn nb1_glm_matches_glmmtmb() {
    let f = fit(&design(&data_d(), Random::None), Family::Nbinom1, &options()).unwrap();
    // glmmTMB(y ~ x + offset(off), family = nbinom1) on data_d().
    let beta = [-2.75276297664, 0.44531742135];
    let se = [0.0472228445582, 0.041170697498];
    for k in 0..2 {
        assert!((f.beta[k] - beta[k]).abs() < 1e-7, "beta[{k}] {}", f.beta[k]);
        assert!(close(f.cov_beta[k][k].sqrt(), se[k], 1e-6), "se[{k}] {}", f.cov_beta[k][k].sqrt());
    }
    assert!(close(f.dispersion.unwrap(), 2.8861474643, 1e-7));
    assert!(close(f.dispersion_se_log.unwrap(), 0.122799653518, 1e-6));
    assert!((f.loglik - -832.045520912).abs() < 1e-8);
}

#[test]
fn aliased_columns_are_dropped_with_a_warning() {
    let s = data_d();
    let mut d = design(&s, Random::None);
    // Add `x2 = 2 x - 1` (aliased) between the intercept and x, and `z` (independent) after.
    let n = s.y.len();
    let z: Vec<f64> = (0..n).map(|i| ((i * 7) % 11) as f64 / 11.0).collect();
    d.x = DMatrix::from_fn(n, 4, |i, j| match j {
        0 => 1.0,
        1 => s.x[i],
        2 => 2.0 * s.x[i] - 1.0,
        _ => z[i],
    });
    d.x_names = vec!["(Intercept)".into(), "x".into(), "x2".into(), "z".into()];
    d.x_columns = vec![
        ModelColumn::intercept(),
        ModelColumn::numeric(0, &["x"]),
        ModelColumn::numeric(1, &["x2"]),
        ModelColumn::numeric(2, &["z"]),
    ];
    let f = fit(&d, Family::Poisson, &options()).unwrap();
    assert_eq!(f.terms, vec!["(Intercept)", "x", "z"]);
    assert_eq!(f.dropped_terms, vec!["x2"]);
    assert_eq!(f.beta.len(), 3);
    assert_eq!(f.cov_beta.len(), 3);
    assert!(
        f.warnings.iter().any(|w| w.code == WarningCode::RankDeficient
            && w.message.contains("'x2'")
            && w.message.contains("rank deficient")),
        "{:?}",
        f.warnings
    );
    assert_eq!(f.df, 3);
}

fn small() -> Design {
    design(&data_d(), Random::None)
}

#[test]
fn invalid_inputs_are_rejected_with_clear_messages() {
    let base = small();
    let mut d = base.clone();
    d.y.clear();
    d.offset.clear();
    d.x = DMatrix::zeros(0, 2);
    d.rows.clear();
    assert_eq!(fit(&d, Family::Poisson, &options()).unwrap_err(), FitError::EmptyDesign);

    let mut d = base.clone();
    d.y[4] = -1.0;
    let err = fit(&d, Family::Poisson, &options()).unwrap_err();
    assert_eq!(err, FitError::InvalidResponse { row: 5, value: -1.0 });
    assert!(err.to_string().starts_with("row 5: the response must be a non-negative whole number"));

    let mut d = base.clone();
    d.y[7] = 2.5;
    d.rows[7] = 42;
    assert_eq!(
        fit(&d, Family::Nbinom2, &options()).unwrap_err(),
        FitError::InvalidResponse { row: 42, value: 2.5 }
    );

    let mut d = base.clone();
    d.y.iter_mut().for_each(|y| *y = 0.0);
    let err = fit(&d, Family::Nbinom1, &options()).unwrap_err();
    assert_eq!(err, FitError::AllZeroResponse);

    let mut d = base.clone();
    d.offset[2] = f64::NEG_INFINITY;
    assert!(matches!(
        fit(&d, Family::Poisson, &options()).unwrap_err(),
        FitError::InvalidOffset { row: 3, .. }
    ));

    let mut d = base.clone();
    d.x[(9, 1)] = f64::NAN;
    let err = fit(&d, Family::Poisson, &options()).unwrap_err();
    assert!(matches!(&err, FitError::InvalidCovariate { row: 10, column, .. } if column == "x"), "{err:?}");

    let mut d = base.clone();
    d.offset.pop();
    assert!(matches!(fit(&d, Family::Poisson, &options()).unwrap_err(), FitError::DimensionMismatch { .. }));

    let mut d = base.clone();
    d.x = DMatrix::zeros(d.y.len(), 0);
    d.x_names.clear();
    d.x_columns.clear();
    assert_eq!(fit(&d, Family::Poisson, &options()).unwrap_err(), FitError::NoFixedEffects);

    for bad in [
        FitOptions { nagq: 0, ..options() },
        FitOptions { max_iter: 0, ..options() },
        FitOptions { grad_tol: f64::NAN, ..options() },
    ] {
        assert!(matches!(fit(&base, Family::Poisson, &bad).unwrap_err(), FitError::InvalidOptions { .. }));
    }
    let err = fit(&base, Family::Poisson, &FitOptions { nagq: 7, ..options() }).unwrap_err();
    assert!(matches!(err, FitError::QuadratureNotSupported { .. }));
    assert!(err.to_string().contains("no random effects"));
}

#[test]
fn errors_serialise_with_their_location() {
    let err = FitError::InvalidResponse { row: 5, value: -1.0 };
    let json = serde_json::to_string(&err).unwrap();
    assert_eq!(json, r#"{"kind":"invalid_response","row":5,"value":-1.0}"#);
}

#[test]
fn poisson_data_send_theta_to_its_bound_with_a_warning() {
    let s = poisson_without_groups();
    let nb = fit(&design(&s, Random::None), Family::Nbinom2, &options()).unwrap();
    let po = fit(&design(&s, Random::None), Family::Poisson, &options()).unwrap();
    assert!(nb.dispersion.unwrap() > 1e8);
    assert_eq!(nb.dispersion_se_log, None);
    assert!(
        nb.warnings
            .iter()
            .any(|w| w.code == WarningCode::Boundary && w.message.contains("effectively infinite")),
        "{:?}",
        nb.warnings
    );
    assert!((nb.loglik - po.loglik).abs() < 1e-5);
    for k in 0..2 {
        assert!((nb.beta[k] - po.beta[k]).abs() < 1e-6);
        assert!(close(nb.cov_beta[k][k], po.cov_beta[k][k], 1e-5));
    }
}

#[test]
fn options_and_family_deserialise_with_defaults() {
    let o: FitOptions = serde_json::from_str(r#"{"nagq": 5}"#).unwrap();
    assert_eq!(o, FitOptions { nagq: 5, ..FitOptions::default() });
    assert_eq!(FitOptions::default(), FitOptions { nagq: 1, max_iter: 500, grad_tol: 1e-6, field_neighbours: None });
    let f: Family = serde_json::from_str(r#""nbinom1""#).unwrap();
    assert_eq!(f, Family::Nbinom1);
    assert_eq!(serde_json::to_string(&Family::Nbinom2).unwrap(), r#""nbinom2""#);
}
