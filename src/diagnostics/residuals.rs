//! Scaled quantile residuals by parametric simulation from the fitted model, and the
//! simulation-based dispersion and zero-inflation tests, as the DHARMa package defines them
//! (Hartig, DHARMa 0.4: `simulateResiduals`, `getQuantile` with the PIT method for integer
//! responses, `testDispersion`, `testZeroInflation`).
//!
//! Simulation is *conditional* on the estimated random effects: simulation `j` draws
//! `y*_ij ~ Family(mu_i, dispersion)` independently for every row, with `mu_i` the fitted mean
//! at the conditional modes of the random effects and the estimated dispersion.
//!
//! - Scaled residual of row `i` (randomised probability integral transform):
//!   `r_i = (#{j : y*_ij < y_i} + U_i #{j : y*_ij = y_i}) / s`, `U_i ~ Uniform(0, 1)`, `s`
//!   simulations; under the model `r_i` is uniform on `(0, 1)` (DHARMa draws `r_i` uniformly
//!   between `#{y* < y} / s` and `#{y* <= y} / s`, which is the same).
//! - Dispersion: `T(y) = var_i(y_i - mu_i)` for the data and every simulation; the ratio
//!   reported is `T(y) / mean_j T(y*_j)` (about 1 when the model's variance is right, above 1
//!   for overdispersion).
//! - Zero inflation: `Z(y) = #{i : y_i = 0}`; the ratio is `Z(y) / mean_j Z(y*_j)`.
//! - Both p-values are two-sided, as DHARMa's `getP`:
//!   `p = min(1, 2 min(mean_j [T(y*_j) <= T(y)], mean_j [T(y*_j) >= T(y)]))`.

use crate::fit::Family;
use crate::random::Rng;
use serde::Serialize;

/// A simulation-based test of one summary statistic.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SimulationTest {
    /// The statistic on the data.
    pub observed: f64,
    /// Its mean over the simulations.
    pub simulated_mean: f64,
    /// `observed / simulated_mean` (NaN when the simulated mean is 0).
    pub ratio: f64,
    /// Two-sided p-value.
    pub p_value: f64,
}

impl SimulationTest {
    fn new(observed: f64, simulated: &[f64]) -> SimulationTest {
        let s = simulated.len() as f64;
        let simulated_mean = simulated.iter().sum::<f64>() / s;
        let below = simulated.iter().filter(|&&t| t <= observed).count() as f64 / s;
        let above = simulated.iter().filter(|&&t| t >= observed).count() as f64 / s;
        SimulationTest {
            observed,
            simulated_mean,
            ratio: if simulated_mean > 0.0 { observed / simulated_mean } else { f64::NAN },
            p_value: (2.0 * below.min(above)).min(1.0),
        }
    }
}

/// The scaled residuals of every row and the two simulation tests.
#[derive(Debug, Clone, PartialEq)]
pub struct SimulatedResiduals {
    /// Scaled residual of every row, in `[0, 1]`, in the order of the observations.
    pub residuals: Vec<f64>,
    pub dispersion: SimulationTest,
    pub zero_inflation: SimulationTest,
}

/// Sample variance (denominator `n - 1`) of `y_i - mu_i`, accumulated in one pass.
#[derive(Default, Clone, Copy)]
struct Spread {
    n: f64,
    sum: f64,
    sum_sq: f64,
}

impl Spread {
    fn add(&mut self, d: f64) {
        self.n += 1.0;
        self.sum += d;
        self.sum_sq += d * d;
    }

    fn variance(&self) -> f64 {
        if self.n < 2.0 {
            return 0.0;
        }
        let mean = self.sum / self.n;
        ((self.sum_sq - self.n * mean * mean) / (self.n - 1.0)).max(0.0)
    }
}

/// Simulates `simulations` data sets from `Family(mu_i, dispersion)` with the generator seeded
/// by `seed`, and returns the scaled residuals of `y` and the dispersion and zero-inflation
/// tests. `y`, `mu` are of equal length; `dispersion` is `theta` (NB2), `phi` (NB1) or ignored
/// (Poisson); `simulations >= 1`. Draws are made simulation by simulation, so memory stays
/// proportional to the number of rows.
pub fn simulate_residuals(
    y: &[f64],
    trials: Option<&[f64]>,
    mu: &[f64],
    family: Family,
    dispersion: f64,
    simulations: usize,
    seed: u64,
) -> SimulatedResiduals {
    simulate_zero_inflated_residuals(y, trials, mu, &[], family, dispersion, simulations, seed)
}

/// [`simulate_residuals`] for a zero-inflated model: row `i` is a structural zero with
/// probability `zero_probability[i]` (none when the slice is empty), otherwise a count with
/// mean `mu[i]`; its expected value is `(1 - pi) mu`.
#[allow(clippy::too_many_arguments)]
pub fn simulate_zero_inflated_residuals(
    y: &[f64],
    trials: Option<&[f64]>,
    mu: &[f64],
    zero_probability: &[f64],
    family: Family,
    dispersion: f64,
    simulations: usize,
    seed: u64,
) -> SimulatedResiduals {
    let n = y.len();
    // A binomial row's mean count is its trials times its fitted probability; a zero-inflated
    // row's is (1 - pi) mu.
    let size = |i: usize| trials.map_or(1.0, |t| t[i]);
    let pi = |i: usize| zero_probability.get(i).copied().unwrap_or(0.0);
    let expected: Vec<f64> =
        (0..n).map(|i| if family.is_binomial() { size(i) * mu[i] } else { (1.0 - pi(i)) * mu[i] }).collect();
    let mut rng = Rng::new(seed);
    let mut below = vec![0u32; n];
    let mut equal = vec![0u32; n];
    let mut spreads = Vec::with_capacity(simulations);
    let mut zeros = Vec::with_capacity(simulations);
    for _ in 0..simulations {
        let mut spread = Spread::default();
        let mut zero = 0usize;
        for i in 0..n {
            let draw = if family.is_binomial() {
                rng.binomial(size(i) as u64, mu[i]) as f64
            } else if zero_probability.is_empty() {
                rng.count(family, mu[i], dispersion) as f64
            } else if rng.uniform() < pi(i) {
                // A structural zero (the count is still drawn, so that the stream of draws,
                // hence every other row's, does not depend on it).
                rng.count(family, mu[i], dispersion);
                0.0
            } else {
                rng.count(family, mu[i], dispersion) as f64
            };
            below[i] += (draw < y[i]) as u32;
            equal[i] += (draw == y[i]) as u32;
            zero += (draw == 0.0) as usize;
            spread.add(draw - expected[i]);
        }
        spreads.push(spread.variance());
        zeros.push(zero as f64);
    }
    let s = simulations as f64;
    let residuals = (0..n).map(|i| (below[i] as f64 + rng.uniform() * equal[i] as f64) / s).collect();
    let mut observed = Spread::default();
    y.iter().zip(&expected).for_each(|(y, m)| observed.add(y - m));
    let observed_zeros = y.iter().filter(|&&v| v == 0.0).count() as f64;
    SimulatedResiduals {
        residuals,
        dispersion: SimulationTest::new(observed.variance(), &spreads),
        zero_inflation: SimulationTest::new(observed_zeros, &zeros),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_sided_p_value_as_dharma() {
        let sims = [1.0, 2.0, 3.0, 4.0];
        // 1 of 4 at or above 4, all 4 at or below: p = 2 * 1/4.
        let t = SimulationTest::new(4.0, &sims);
        assert_eq!(t.p_value, 0.5);
        assert_eq!(t.ratio, 4.0 / 2.5);
        assert_eq!(SimulationTest::new(9.0, &sims).p_value, 0.0);
        assert_eq!(SimulationTest::new(2.5, &sims).p_value, 1.0);
    }

    #[test]
    fn residual_is_the_randomised_position_among_the_simulations() {
        // A Poisson mean of 0: every simulation is 0, so y = 0 lies uniformly in (0, 1) and
        // y = 1 is above every simulation.
        let r = simulate_residuals(&[0.0, 1.0], None, &[0.0, 0.0], Family::Poisson, 1.0, 50, 3);
        assert!(r.residuals[0] > 0.0 && r.residuals[0] < 1.0);
        assert_eq!(r.residuals[1], 1.0);
        assert_eq!(r.zero_inflation.simulated_mean, 2.0);
        assert_eq!(r.zero_inflation.observed, 1.0);
        // Same seed, same residuals.
        let again = simulate_residuals(&[0.0, 1.0], None, &[0.0, 0.0], Family::Poisson, 1.0, 50, 3);
        assert_eq!(r.residuals, again.residuals);
    }
}
