//! The zero-inflation warning: are there more zero counts than the fitted model expects?
//!
//! Given the fitted means `mu_i` (random effects at their modes) and the dispersion, row `i` is
//! zero with probability `p_i`: `exp(-mu)` (Poisson), `(theta / (theta + mu))^theta` (nbinom2),
//! `(1 + phi)^(-mu / phi)` (nbinom1). The number of zeros then has mean `E = sum p_i` and
//! variance `V = sum p_i (1 - p_i)`, and the warning is raised when the observed number `Z`
//! exceeds `E` by more than [`ZERO_EXCESS_Z`] standard deviations and by more than
//! [`ZERO_EXCESS_RATIO`] relatively: well beyond chance for a model that fits.

use super::warning::Warning;
use super::Family;

/// Standard deviations of excess zeros that raise the warning (one-sided p about 0.0005).
pub const ZERO_EXCESS_Z: f64 = 3.29;
/// Observed zeros must also exceed the expected number by this factor.
pub const ZERO_EXCESS_RATIO: f64 = 1.1;

/// `P(Y = 0)` for mean `mu` under `family` with `dispersion` (theta or phi).
pub fn zero_probability(family: Family, dispersion: Option<f64>, mu: f64) -> f64 {
    match (family, dispersion) {
        (Family::Nbinom2, Some(theta)) => (theta * (theta.ln() - (theta + mu).ln())).exp(),
        (Family::Nbinom1, Some(phi)) => (-mu / phi * phi.ln_1p()).exp(),
        _ => (-mu).exp(),
    }
}

/// The warning, when the counts `y` have more zeros than the fitted means `fitted` explain.
pub fn zero_inflation_warning(
    family: Family,
    dispersion: Option<f64>,
    fitted: &[f64],
    y: &[f64],
) -> Option<Warning> {
    // Zero inflation is a question about counts: a binomial model has no structural zeros.
    if family.is_binomial() {
        return None;
    }
    let (mut expected, mut variance) = (0.0, 0.0);
    for &mu in fitted {
        let p = zero_probability(family, dispersion, mu);
        expected += p;
        variance += p * (1.0 - p);
    }
    let observed = y.iter().filter(|&&v| v == 0.0).count();
    let z = (observed as f64 - expected) / variance.sqrt();
    (z > ZERO_EXCESS_Z && observed as f64 > ZERO_EXCESS_RATIO * expected).then(|| {
        Warning::zero_inflation_suspected(format!(
            "the data have {observed} zero counts but the fitted model expects about {expected:.0}: \
             more zeros than the model explains (zero inflation)"
        ))
    })
}
