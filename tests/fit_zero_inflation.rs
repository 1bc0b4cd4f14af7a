//! Zero-inflated models on randomly drawn designs (Poisson, NB1 and NB2 counts; no random
//! effects, an LA intercept, or LAs with nested MSOAs; `~1` or `~x` zero inflation; 3 to 30
//! groups; structural-zero shares from about 5% to 60%). For every draw:
//! - the zero-inflated optimum is never below the same model without zero inflation (its limit
//!   as the zero-inflation intercept goes to minus infinity);
//! - the fit converged, with its gradient at zero;
//! - without random effects, the reported log-likelihood equals the zero-inflated density
//!   computed here from the reported estimates (Poisson).
//! Agreement with glmmTMB is in `agreement_random` (tests/reference/zi and the harder campaign).

use socgrad::data::read_csv;
use socgrad::fit::Family;
use socgrad::pipeline::{FitRequest, Session};

/// A small deterministic generator (64-bit LCG with a xorshift output), with the draws the
/// designs need.
struct Draws(u64);

impl Draws {
    fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let mut x = self.0;
        x ^= x >> 33;
        ((x >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    fn normal(&mut self) -> f64 {
        (-2.0 * self.uniform().ln()).sqrt() * (2.0 * std::f64::consts::PI * self.uniform()).cos()
    }

    fn poisson(&mut self, mu: f64) -> u64 {
        // Knuth's method for small means, the normal approximation for large ones.
        if mu > 60.0 {
            return (mu + mu.sqrt() * self.normal()).round().max(0.0) as u64;
        }
        let limit = (-mu).exp();
        let (mut k, mut p) = (0, self.uniform());
        while p > limit {
            k += 1;
            p *= self.uniform();
        }
        k
    }

    fn between(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.uniform()
    }
}

struct Problem {
    csv: String,
    formula: String,
    zi: &'static str,
    family: Family,
    description: String,
}

fn draw(seed: u64) -> Problem {
    let mut d = Draws(seed.wrapping_mul(0x9E3779B97F4A7C15) ^ 0x5DEECE66D);
    let family = [Family::Poisson, Family::Nbinom1, Family::Nbinom2][(seed % 3) as usize];
    let structure = (seed / 3) % 3;
    let zi = if (seed / 9) % 2 == 0 { "~1" } else { "~ x" };
    let groups = 3 + (d.uniform() * 27.0) as usize;
    let per_group = 6 + (d.uniform() * 25.0) as usize;
    let rate = d.between(20.0, 400.0);
    let (z0, z1) = (d.between(-3.0, 0.5), d.between(-1.0, 1.0));
    let overdispersion = if family == Family::Poisson { 0.0 } else { d.between(0.2, 0.7) };
    let mut csv = String::from("la,msoa,x,pop,count\n");
    for g in 0..groups {
        let u = 0.3 * d.normal();
        let msoas = 1 + per_group / 5;
        let v: Vec<f64> = (0..msoas).map(|_| 0.2 * d.normal()).collect();
        for r in 0..per_group {
            let x = d.normal();
            let pop = (100.0 + 700.0 * d.uniform()).round();
            let m = r % msoas;
            let mut eta = rate.ln() + 0.4 * x + (pop / 10_000.0).ln();
            if structure > 0 {
                eta += u;
            }
            if structure > 1 {
                eta += v[m];
            }
            let mu = (eta + overdispersion * d.normal() - overdispersion * overdispersion / 2.0).exp();
            let pi = 1.0 / (1.0 + (-(z0 + if zi == "~1" { 0.0 } else { z1 * x })).exp());
            let count = if d.uniform() < pi { 0 } else { d.poisson(mu) };
            csv.push_str(&format!("L{g},L{g}M{m},{x:.4},{pop},{count}\n"));
        }
    }
    let random = ["", " + (1 | la)", " + (1 | la/msoa)"][structure as usize];
    let formula = format!("count ~ x + offset(log(pop/10000)){random}");
    let description = format!(
        "seed {seed}: {} {formula}, zi {zi}, {groups} x {per_group} rows, zero-inflation logit {z0:.2}",
        family.name()
    );
    Problem { csv, formula, zi, family, description }
}

/// `ln(pi + (1 - pi) e^-mu)` for a zero, `ln(1 - pi) + y ln(mu) - mu - ln(y!)` otherwise.
fn zero_inflated_poisson(y: f64, mu: f64, pi: f64) -> f64 {
    if y == 0.0 {
        (pi + (1.0 - pi) * (-mu).exp()).ln()
    } else {
        let lfact: f64 = (1..=y as u64).map(|k| (k as f64).ln()).sum();
        (1.0 - pi).ln() + y * mu.ln() - mu - lfact
    }
}

#[test]
fn random_zero_inflated_designs_reach_their_optimum() {
    let mut fitted = 0;
    for seed in 0..18 {
        let problem = draw(seed);
        let what = &problem.description;
        let session = Session::from_frame(read_csv(problem.csv.as_bytes()).unwrap());
        let plain = FitRequest::new(&problem.formula, problem.family);
        let inflated = FitRequest { zi: Some(problem.zi.to_owned()), ..plain.clone() };
        let without = session.fit_report(&plain, &mut |_| {}).unwrap_or_else(|e| panic!("{what}: {e}"));
        let with = session.fit_report(&inflated, &mut |_| {}).unwrap_or_else(|e| panic!("{what}: {e}"));
        fitted += 1;
        assert!(
            with.loglik >= without.loglik - 1e-6,
            "{what}: zero-inflated logLik {} below the model without zero inflation {}",
            with.loglik,
            without.loglik
        );
        assert!(with.converged, "{what}: not converged ({:?})", with.warnings);
        assert!(with.max_abs_gradient < 1e-3, "{what}: gradient {}", with.max_abs_gradient);
        assert_eq!(with.zi_coefficients.len(), if problem.zi == "~1" { 1 } else { 2 }, "{what}");
        assert_eq!(with.df, without.df + with.zi_coefficients.len(), "{what}");
        assert!(!with.text().contains("zero_inflation_suspected"), "{what}");
        if problem.family == Family::Poisson && !problem.formula.contains('|') {
            let df = read_csv(problem.csv.as_bytes()).unwrap();
            let column = |name: &str| match df.column(name).unwrap() {
                socgrad::data::Column::Numeric(v) => v.clone(),
                _ => panic!("{name} is not numeric"),
            };
            let (x, pop, y) = (column("x"), column("pop"), column("count"));
            let b: Vec<f64> = with.coefficients.iter().map(|c| c.estimate).collect();
            let g: Vec<f64> = with.zi_coefficients.iter().map(|c| c.estimate).collect();
            let loglik: f64 = (0..y.len())
                .map(|i| {
                    let mu = (b[0] + b[1] * x[i] + (pop[i] / 10_000.0).ln()).exp();
                    let zeta = g[0] + g.get(1).map_or(0.0, |g1| g1 * x[i]);
                    zero_inflated_poisson(y[i], mu, 1.0 / (1.0 + (-zeta).exp()))
                })
                .sum();
            assert!(
                (loglik - with.loglik).abs() < 1e-8 * loglik.abs(),
                "{what}: {loglik} vs {}",
                with.loglik
            );
        }
    }
    assert_eq!(fitted, 18);
}

/// A zero-inflation formula the engine cannot take is refused with a message naming it.
#[test]
fn bad_zero_inflation_formulas_are_refused_with_their_reason() {
    let problem = draw(4);
    let session = Session::from_frame(read_csv(problem.csv.as_bytes()).unwrap());
    for (zi, expected) in [
        ("x", "must start with '~'"),
        ("~ (1 | la)", "fixed effects only"),
        ("~ nothere", "nothere"),
        ("~ offset(log(pop))", "offset"),
    ] {
        let request =
            FitRequest { zi: Some(zi.to_owned()), ..FitRequest::new(&problem.formula, problem.family) };
        let error = session.fit_report(&request, &mut |_| {}).unwrap_err().to_string();
        assert!(error.contains(expected), "{zi}: {error}");
        // The check before fitting says the same, so the page can show it as it is typed.
        let mut checking = Session::from_frame(session.frame().clone());
        let ready = checking.readiness(&request).unwrap();
        assert_eq!(ready.fit_error.map(|e| e.to_string()), Some(error), "{zi}");
    }
    let mut checking = Session::from_frame(session.frame().clone());
    let good = FitRequest { zi: Some("~ x".to_owned()), ..FitRequest::new(&problem.formula, problem.family) };
    assert_eq!(checking.readiness(&good).unwrap().fit_error, None);
}

/// The model comparison names a zero-inflated model with its zero-inflation formula and tests
/// the model without zero inflation nested in it (conservatively: the added intercept is tested
/// at its boundary); zero inflation in the smaller model only is not nesting.
#[test]
fn model_comparison_takes_zero_inflation() {
    let problem = draw(9);
    let session = Session::from_frame(read_csv(problem.csv.as_bytes()).unwrap());
    let plain = FitRequest::new(&problem.formula, problem.family);
    let inflated = FitRequest { zi: Some("~1".to_owned()), ..plain.clone() };
    let c = session.compare_models(&plain, &inflated).unwrap();
    assert!(c.models[1].formula.ends_with(", ziformula = ~1"), "{}", c.models[1].formula);
    let lr = c.lr_test.as_ref().expect("nested");
    assert_eq!(lr.df, 1);
    assert!(lr.note.contains("conservative"), "{}", lr.note);
    let bigger = FitRequest { formula: format!("{} + I(x^2) + I(x^3)", problem.formula), ..plain };
    let c = session.compare_models(&inflated, &bigger).unwrap();
    assert!(c.lr_test.is_none());
    assert!(c.not_nested.unwrap().contains("zero-inflation terms"));
}
