//! Awkward but legal inputs: the engine returns a usable fit or a clear error, never panics.

use crate::fit_common;

use fit_common::*;
use nalgebra::DMatrix;
use socgrad::design::ModelColumn;
use socgrad::fit::{fit, Family, FitError, FitOptions, WarningCode};

/// 20 LAs x 8 rows in 2 areas each, NB2 counts.
fn base() -> Simulated {
    simulate(
        808,
        20,
        8,
        2,
        Truth {
            beta: [-3.0, 0.5],
            sd_intercept: 0.4,
            sd_slope: 0.1,
            corr: 0.0,
            sd_inner: 0.2,
            counts: Counts::Nbinom2(3.0),
        },
    )
}

const FAMILIES: [Family; 3] = [Family::Poisson, Family::Nbinom2, Family::Nbinom1];

fn options() -> FitOptions {
    FitOptions::default()
}

#[test]
fn a_level_without_rows_keeps_a_zero_mode_and_its_prior_sd() {
    let mut d = design(&base(), Random::Intercept);
    d.random[0].levels.push("unused".into());
    let with = fit(&d, Family::Nbinom2, &options()).unwrap();
    let without = fit(&design(&base(), Random::Intercept), Family::Nbinom2, &options()).unwrap();
    assert!(with.converged);
    assert!((with.loglik - without.loglik).abs() < 1e-9);
    assert_eq!(with.random[0].levels.len(), 21);
    assert_eq!(with.random[0].modes[20], vec![0.0]);
    assert_eq!(with.random[0].mode_sd[20], with.random[0].sd);
}

#[test]
fn a_level_with_only_zero_counts_gets_a_negative_mode() {
    let mut s = base();
    for i in 0..s.y.len() {
        if s.group[i] == 3 {
            s.y[i] = 0.0;
        }
    }
    for family in FAMILIES {
        let f = fit(&design(&s, Random::Nested), family, &options()).unwrap();
        assert!(f.converged, "{family:?}: {:?}", f.warnings);
        let mode = f.random[0].modes[3][0];
        assert!(mode < -1.0 && mode > -5.0, "{family:?}: mode {mode}");
    }
}

#[test]
fn a_single_level_gives_a_singular_fit() {
    let mut s = base();
    s.group.iter_mut().for_each(|g| *g = 0);
    s.groups = 1;
    for family in FAMILIES {
        let f = fit(&design(&s, Random::Intercept), family, &options()).unwrap();
        assert!(f.singular && f.converged, "{family:?}");
        assert!(f.random[0].sd[0] < 1e-4);
    }
}

#[test]
fn one_level_per_row_is_an_observation_level_random_effect() {
    let mut s = base();
    s.group = (0..s.y.len()).collect();
    s.groups = s.y.len();
    for family in FAMILIES {
        let f = fit(&design(&s, Random::Intercept), family, &options()).unwrap();
        assert!(f.converged, "{family:?}: {:?}", f.warnings);
        assert_eq!(f.random[0].modes.len(), s.y.len());
    }
}

#[test]
fn very_large_counts_fit() {
    let mut s = base();
    for i in 0..s.y.len() {
        s.y[i] = (s.y[i] + 1.0) * 1e5;
        s.offset[i] += 1e5f64.ln();
    }
    for family in FAMILIES {
        let f = fit(&design(&s, Random::Slope), family, &options()).unwrap();
        assert!(f.converged, "{family:?}: {:?}", f.warnings);
        assert!(f.loglik.is_finite());
    }
}

#[test]
fn covariate_scale_only_rescales_its_coefficient() {
    let s = base();
    let mut scaled = s.clone();
    scaled.x.iter_mut().for_each(|x| *x *= 1e6);
    for family in FAMILIES {
        let a = fit(&design(&s, Random::Slope), family, &options()).unwrap();
        let b = fit(&design(&scaled, Random::Slope), family, &options()).unwrap();
        assert!(b.converged, "{family:?}: {:?}", b.warnings);
        assert!((a.loglik - b.loglik).abs() < 1e-6, "{family:?}");
        assert!(close(b.beta[1] * 1e6, a.beta[1], 1e-5), "{family:?}");
        assert!(close(b.cov_beta[1][1].sqrt() * 1e6, a.cov_beta[1][1].sqrt(), 1e-4), "{family:?}");
        assert!(close(b.random[0].sd[1] * 1e6, a.random[0].sd[1], 1e-4), "{family:?}");
    }
}

#[test]
fn more_columns_than_rows_are_cut_to_the_rank() {
    let s = base();
    let mut d = design(&s, Random::None);
    d.y.truncate(3);
    d.offset.truncate(3);
    d.rows.truncate(3);
    d.x = DMatrix::from_fn(3, 5, |i, j| ((i + 1) * (j + 2)) as f64 + if i == j { 1.0 } else { 0.0 });
    d.x_names = (0..5).map(|j| format!("c{j}")).collect();
    d.x_columns = d.x_names.iter().enumerate().map(|(j, c)| ModelColumn::numeric(j, &[c])).collect();
    d.y = vec![1.0, 4.0, 2.0];
    let f = fit(&d, Family::Poisson, &options()).unwrap();
    assert_eq!(f.terms.len() + f.dropped_terms.len(), 5);
    assert!(f.terms.len() <= 3);
}

#[test]
fn separation_is_flagged() {
    let s = base();
    let n = s.y.len();
    let flag: Vec<f64> = (0..n).map(|i| if i % 10 == 0 { 1.0 } else { 0.0 }).collect();
    let mut d = design(&s, Random::Intercept);
    for (y, f) in d.y.iter_mut().zip(&flag) {
        if *f == 1.0 {
            *y = 0.0;
        }
    }
    d.x = DMatrix::from_fn(n, 3, |i, j| match j {
        0 => 1.0,
        1 => s.x[i],
        _ => flag[i],
    });
    d.x_names.push("flag".into());
    d.x_columns.push(ModelColumn::numeric(1, &["flag"]));
    for family in FAMILIES {
        for random in [true, false] {
            let mut d = d.clone();
            if !random {
                d.random.clear();
            }
            let f = fit(&d, family, &options()).unwrap();
            assert!(f.beta[2] < -20.0, "{family:?}");
            assert!(
                f.warnings.iter().any(|w| w.code == WarningCode::Separation
                    && w.message.starts_with("fitted means numerically zero")),
                "{family:?}: {:?}",
                f.warnings
            );
        }
    }
}

#[test]
fn an_offset_beyond_the_floating_point_range_is_an_error() {
    let mut d = design(&base(), Random::Intercept);
    d.offset[0] = 800.0;
    let err = fit(&d, Family::Poisson, &options()).unwrap_err();
    assert!(matches!(err, FitError::NumericalFailure { .. }));
}

#[test]
fn an_iteration_limit_is_reported_not_hidden() {
    let f = fit(&design(&base(), Random::Slope), Family::Nbinom2, &FitOptions { max_iter: 2, ..options() })
        .unwrap();
    assert!(!f.converged);
    assert!(
        f.warnings
            .iter()
            .any(|w| w.code == WarningCode::NonConvergence && w.message.contains("did not converge")),
        "{:?}",
        f.warnings
    );
}

/// Random small designs, including constant and duplicated columns, zero-heavy counts,
/// crossed, nested and degenerate grouping: every one gives a fit or an error.
#[test]
fn random_small_designs_never_panic() {
    use socgrad::design::{Design, ModelColumn, RandomTerm};
    let mut rng = Rng::new(99);
    let mut fits = 0;
    for case in 0..300 {
        let n = 1 + (rng.uniform() * 30.0) as usize;
        let p = 1 + (rng.uniform() * 4.0) as usize;
        let columns: Vec<Vec<f64>> = (0..p)
            .map(|j| match (rng.uniform() * 4.0) as usize {
                0 => vec![1.0; n],
                1 if j > 0 => vec![0.0; n],
                2 => (0..n).map(|_| (rng.uniform() * 3.0).floor()).collect(),
                _ => (0..n).map(|_| rng.normal() * 10f64.powi((rng.uniform() * 6.0) as i32 - 3)).collect(),
            })
            .collect();
        let y: Vec<f64> = (0..n)
            .map(|_| {
                let mean = rng.uniform() * 20.0;
                if rng.uniform() < 0.4 {
                    0.0
                } else {
                    rng.poisson(mean)
                }
            })
            .collect();
        let offset: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
        let factors = (rng.uniform() * 3.0) as usize;
        let mut random = Vec::new();
        let mut previous: Option<Vec<usize>> = None;
        for f in 0..factors {
            let levels = 1 + (rng.uniform() * 6.0) as usize;
            let index: Vec<usize> = match (&previous, rng.uniform() < 0.5) {
                // Nested inside the previous factor.
                (Some(prev), true) => prev.iter().map(|&g| g * 2 + (rng.uniform() * 2.0) as usize).collect(),
                _ => (0..n).map(|_| (rng.uniform() * levels as f64) as usize).collect(),
            };
            let nlev = index.iter().max().map_or(0, |m| m + 1).max(1);
            let slope = rng.uniform() < 0.3;
            let q = if slope { 2 } else { 1 };
            random.push(RandomTerm {
                group: format!("f{f}"),
                terms: if slope {
                    vec!["(Intercept)".into(), "c".into()]
                } else {
                    vec!["(Intercept)".into()]
                },
                z: DMatrix::from_fn(n, q, |i, j| if j == 0 { 1.0 } else { columns[p - 1][i] }),
                index: index.clone(),
                levels: (0..nlev).map(|l| format!("L{l}")).collect(),
                field: None,
            });
            previous = Some(index);
        }
        let d = Design {
            trials: None,
            y,
            offset,
            x: DMatrix::from_fn(n, p, |i, j| columns[j][i]),
            x_names: (0..p).map(|j| format!("c{j}")).collect(),
            x_columns: (0..p).map(|j| ModelColumn::numeric(j, &[&format!("c{j}")])).collect(),
            random,
            rows: (1..=n).collect(),
            dropped_missing: 0,
        };
        let family = FAMILIES[case % 3];
        let nagq = if case % 5 == 0 { 3 } else { 1 };
        match fit(&d, family, &FitOptions { nagq, max_iter: 100, ..options() }) {
            Ok(f) => {
                fits += 1;
                assert_eq!(f.beta.len(), f.terms.len());
                assert_eq!(f.fitted.len(), n);
                assert!(
                    f.converged || !f.warnings.is_empty(),
                    "case {case}: non-convergence without a warning"
                );
            }
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
    assert!(fits > 100, "only {fits} of 300 random designs could be fitted");
}

#[test]
fn quadrature_handles_a_singular_fit() {
    let s = poisson_without_groups();
    let glm = fit(&design(&s, Random::None), Family::Poisson, &options()).unwrap();
    let f =
        fit(&design(&s, Random::Intercept), Family::Poisson, &FitOptions { nagq: 9, ..options() }).unwrap();
    assert!(f.converged && f.singular, "{:?}", f.warnings);
    assert!((f.loglik - glm.loglik).abs() < 1e-6);
}
