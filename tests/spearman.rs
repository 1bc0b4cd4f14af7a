//! Spearman's rank correlation against R: `cor(x, y, method = "spearman", use = "complete.obs")`
//! on 23 pairs of vectors with ties and missing values (golden values made by
//! `tests/reference/spearman/make_spearman.R`), and on random vectors against a direct
//! computation by the textbook formula for data without ties.

use socgrad::correlation::{spearman, CorrelationError};

const SAMPLES: &str = include_str!("reference/spearman/spearman_samples.csv");
const GOLDEN: &str = include_str!("reference/spearman/spearman_golden.csv");

fn value(text: &str) -> f64 {
    if text == "NA" {
        f64::NAN
    } else {
        text.parse().unwrap()
    }
}

#[test]
fn agrees_with_r_on_ties_and_missing_values() {
    let mut cases: Vec<(Vec<f64>, Vec<f64>)> = Vec::new();
    for line in SAMPLES.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let case: usize = f[0].parse().unwrap();
        if cases.len() < case {
            cases.push((Vec::new(), Vec::new()));
        }
        cases[case - 1].0.push(value(f[1]));
        cases[case - 1].1.push(value(f[2]));
    }
    let golden: Vec<Vec<&str>> = GOLDEN.lines().skip(1).map(|l| l.split(',').collect()).collect();
    assert_eq!(golden.len(), cases.len());
    assert!(golden.len() >= 20);
    let mut with_ties = 0;
    let mut largest = 0.0_f64;
    for g in &golden {
        let case: usize = g[0].parse().unwrap();
        let (x, y) = &cases[case - 1];
        let r = spearman(x, y).unwrap();
        let (n, rho): (usize, f64) = (g[2].parse().unwrap(), g[3].parse().unwrap());
        assert_eq!(r.n, n, "case {case}");
        largest = largest.max((r.rho - rho).abs());
        assert!((r.rho - rho).abs() < 1e-12, "case {case} ({}): {} against R's {rho}", g[1], r.rho);
        let tied = |v: &[f64]| {
            let mut sorted: Vec<f64> = v.iter().copied().filter(|v| v.is_finite()).collect();
            sorted.sort_by(f64::total_cmp);
            sorted.windows(2).any(|w| w[0] == w[1])
        };
        with_ties += usize::from(tied(x) || tied(y));
    }
    assert!(with_ties >= 15, "{with_ties} cases with ties");
    eprintln!("{} cases, {with_ties} with ties; largest difference from R {largest:.1e}", golden.len());
}

/// A small deterministic generator (xorshift), so the randomised cases are the same every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[test]
fn without_ties_it_is_one_minus_six_sum_d_squared() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for case in 0..200 {
        let n = 2 + (rng.next() * 60.0) as usize;
        let x: Vec<f64> = (0..n).map(|_| rng.next()).collect();
        let y: Vec<f64> = x.iter().map(|v| v * (rng.next() - 0.3) + rng.next()).collect();
        let rank = |v: &[f64]| {
            v.iter().map(|a| 1.0 + v.iter().filter(|b| *b < a).count() as f64).collect::<Vec<_>>()
        };
        let (rx, ry) = (rank(&x), rank(&y));
        let d2: f64 = rx.iter().zip(&ry).map(|(a, b)| (a - b) * (a - b)).sum();
        let nf = n as f64;
        let expected = 1.0 - 6.0 * d2 / (nf * (nf * nf - 1.0));
        let r = spearman(&x, &y).unwrap();
        assert!((r.rho - expected).abs() < 1e-12, "case {case}: {} against {expected}", r.rho);
        // Symmetric, and unchanged by a monotone transformation of either list.
        assert!((spearman(&y, &x).unwrap().rho - r.rho).abs() < 1e-15);
        let exp_x: Vec<f64> = x.iter().map(|v| v.exp()).collect();
        assert!((spearman(&exp_x, &y).unwrap().rho - r.rho).abs() < 1e-15);
    }
}

#[test]
fn no_panic_on_awkward_input() {
    let awkward = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 0.0, -0.0, 1e308, -1e308, 5e-324];
    for i in 0..awkward.len() {
        for j in 0..awkward.len() {
            let x = [awkward[i], awkward[j], 1.0, 2.0];
            let y = [awkward[j], awkward[i], 2.0, 1.0];
            match spearman(&x, &y) {
                Ok(r) => assert!((-1.0..=1.0).contains(&r.rho) && r.n >= 2),
                Err(e) => assert!(matches!(
                    e,
                    CorrelationError::TooFewPairs { .. } | CorrelationError::NoVariation { .. }
                )),
            }
        }
    }
    assert!(spearman(&[], &[]).is_err());
}
