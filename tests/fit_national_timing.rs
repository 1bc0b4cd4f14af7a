//! Time of national-size fits (33,000 neighbourhoods in 150 LAs, areas of about 5 rows).
//! Ignored by default; run in release mode to see the figures:
//! `cargo test --release --test fit_national_timing -- --ignored --nocapture`.

mod fit_common;

use fit_common::*;
use socgrad::fit::{fit, Family, FitOptions};
use std::time::Instant;

fn national() -> Simulated {
    let truth = Truth { beta: [-4.0, 0.6], sd_intercept: 0.35, sd_slope: 0.1, corr: 0.2, sd_inner: 0.2, counts: Counts::Nbinom2(3.0) };
    simulate(2024, 150, 220, 44, truth)
}

#[test]
#[ignore]
fn national_size_fit_times() {
    let s = national();
    assert_eq!(s.y.len(), 33_000);
    for (label, random, family) in [
        ("NB2 (1 | la)", Random::Intercept, Family::Nbinom2),
        ("Poisson (1 | la)", Random::Intercept, Family::Poisson),
        ("NB1 (1 | la)", Random::Intercept, Family::Nbinom1),
        ("NB2 (1 + x | la)", Random::Slope, Family::Nbinom2),
        ("NB2 (1 | la) + (1 | la:msoa)", Random::Nested, Family::Nbinom2),
        ("NB2 GLM", Random::None, Family::Nbinom2),
    ] {
        let d = design(&s, random);
        let start = Instant::now();
        let f = fit(&d, family, &FitOptions::default()).unwrap();
        let seconds = start.elapsed().as_secs_f64();
        assert!(f.converged, "{label}: {:?}", f.warnings);
        println!("{label:32} {seconds:8.3} s  {:3} iterations  loglik {:.4}", f.iterations, f.loglik);
    }
}
