//! The negative binomial distribution with mean `mu` and size `theta` (NB2: variance
//! `mu + mu^2 / theta`), as R's `dnbinom(y, size, mu = )`, `pnbinom` and `qnbinom` give it:
//! accurate probabilities and the exact quantiles behind a funnel plot's limits.
//!
//! - The probability of `y` is computed by Loader's (2000) saddle-point method, which keeps its
//!   relative accuracy for counts in the tens of thousands: with `n = y + theta`,
//!   `p = theta / (theta + mu)`, `P(y) = theta / n * exp(lc - ln(2 pi theta y / n) / 2)`,
//!   `lc = stirlerr(n) - stirlerr(theta) - stirlerr(y) - bd0(theta, n p) - bd0(y, n (1 - p))`,
//!   where `stirlerr(k) = ln k! - ln(sqrt(2 pi k) (k / e)^k)` and
//!   `bd0(x, m) = x ln(x / m) + m - x` (by its series when `x` is near `m`).
//! - Each tail is computed on its own, so neither is a difference of nearly equal numbers:
//!   `P(Y <= y) = I_p(theta, y + 1)` (the regularised incomplete beta function), and with the
//!   continued fraction `cf(a, b, x)` of `I_x(a, b)` (modified Lentz),
//!   `P(Y <= y) = P(y) (1 - p) (theta + y) / theta * cf(theta, y + 1, p)` when
//!   `p < (theta + 1) / (theta + y + 3)`, else
//!   `P(Y > y) = P(y) (1 - p) (theta + y) / (y + 1) * cf(y + 1, theta, 1 - p)`.
//!   The fraction's rounding errors grow with its length: the tails are good to a few parts in
//!   10^12 for counts in the hundreds of thousands, to 10^-13 for most.
//! - The `q`-quantile is the smallest `y` with `P(Y <= y) >= q (1 - 8 eps)`, R's definition
//!   (the factor keeps a probability that equals `P(Y <= y)` up to rounding on `y`): found from
//!   the Cornish-Fisher approximation by doubling steps, then bisection. Where `P(Y <= y)` lies
//!   within 10^-10 of the target, the step is decided again by adding up the probabilities of
//!   the shorter tail one by one, which is exact to rounding: so the quantile is R's wherever
//!   R's own probabilities are right to 10^-10.

use statrs::distribution::{ContinuousCDF, Normal};
use statrs::function::gamma::ln_gamma;

const LN_2PI: f64 = 1.837_877_066_409_345_5;

/// `ln k! - ln(sqrt(2 pi k) (k / e)^k)` for `k > 0`: Stirling's series above 15, and below it
/// the recurrence `stirlerr(k) = stirlerr(k + 1) + (k + 1/2) ln(1 + 1/k) - 1`, whose terms are
/// small, so no digits are lost to a difference of logarithms.
fn stirlerr(k: f64) -> f64 {
    if k <= 15.0 {
        let steps = (15.0 - k).floor() as u32 + 1;
        let mut sum = stirlerr(k + steps as f64);
        for i in (0..steps).rev() {
            let j = k + i as f64;
            sum += (j + 0.5) * (1.0 / j).ln_1p() - 1.0;
        }
        return sum;
    }
    let k2 = k * k;
    (1.0 / 12.0 - (1.0 / 360.0 - (1.0 / 1260.0 - (1.0 / 1680.0 - 1.0 / (1188.0 * k2)) / k2) / k2) / k2) / k
}

/// `x ln(x / m) + m - x`, the deviance term, accurately when `x` is close to `m`.
fn bd0(x: f64, m: f64) -> f64 {
    if (x - m).abs() < 0.1 * (x + m) {
        // x ln(x/m) + m - x = (x - m) v + 2 x sum_{j >= 1} v^(2j+1) / (2j + 1), v = (x - m)/(x + m)
        let v = (x - m) / (x + m);
        let v2 = v * v;
        let mut sum = (x - m) * v;
        let mut term = 2.0 * x * v;
        for j in 1..1000 {
            term *= v2;
            let next = sum + term / (2 * j + 1) as f64;
            if next == sum {
                break;
            }
            sum = next;
        }
        sum
    } else {
        x * (x / m).ln() + m - x
    }
}

/// `P(Y = y)` for `Y ~ NB(mean mu, size theta)`.
pub fn density(y: u64, theta: f64, mu: f64) -> f64 {
    if mu <= 0.0 {
        return if y == 0 { 1.0 } else { 0.0 };
    }
    let y = y as f64;
    if y == 0.0 {
        // theta ln(theta / (theta + mu)), without losing digits when mu << theta.
        let l = if theta < mu { (theta / (theta + mu)).ln() } else { (-mu / (theta + mu)).ln_1p() };
        return (theta * l).exp();
    }
    if y < 1e-10 * theta {
        // Near the Poisson limit: exp(y ln(mu theta / (theta + mu)) - mu) / y! times the first
        // correction term, 1 + y (y - 1) / (2 theta).
        let l = if theta < mu { (theta / (1.0 + theta / mu)).ln() } else { (mu / (1.0 + mu / theta)).ln() };
        return (y * l - mu - ln_gamma(y + 1.0) + (y * (y - 1.0) / (2.0 * theta)).ln_1p()).exp();
    }
    let n = y + theta;
    let p = theta / (theta + mu);
    let q = mu / (theta + mu);
    let lc = stirlerr(n) - stirlerr(theta) - stirlerr(y) - bd0(theta, n * p) - bd0(y, n * q);
    let lf = LN_2PI + theta.ln() + y.ln() - n.ln();
    theta / n * (lc - 0.5 * lf).exp()
}

/// The continued fraction of the regularised incomplete beta function: `I_x(a, b) =
/// x^a (1 - x)^b / (a B(a, b)) * cf(a, b, x)`, converging fast for `x < (a + 1) / (a + b + 2)`.
fn beta_fraction(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let tiny = |v: f64| if v.abs() < TINY { TINY } else { v };
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 / tiny(1.0 - qab * x / qap);
    let mut h = d;
    for m in 1..200_000 {
        let m = m as f64;
        let m2 = 2.0 * m;
        let even = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 / tiny(1.0 + even * d);
        c = tiny(1.0 + even / c);
        h *= d * c;
        let odd = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 / tiny(1.0 + odd * d);
        c = tiny(1.0 + odd / c);
        let step = d * c;
        h *= step;
        if (step - 1.0).abs() <= f64::EPSILON {
            break;
        }
    }
    h
}

/// `(P(Y <= y), P(Y > y))`, each computed to full relative accuracy.
pub fn tails(y: u64, theta: f64, mu: f64) -> (f64, f64) {
    if mu <= 0.0 {
        return (1.0, 0.0);
    }
    let p = theta / (theta + mu);
    let q = mu / (theta + mu);
    let yf = y as f64;
    let at = density(y, theta, mu);
    if y == 0 {
        return (at, 1.0 - at);
    }
    if at == 0.0 {
        // Far in a tail: which one follows from the side of the mean.
        return if yf < mu { (0.0, 1.0) } else { (1.0, 0.0) };
    }
    if p < (theta + 1.0) / (theta + yf + 3.0) {
        let lower = (at * q * (theta + yf) / theta * beta_fraction(theta, yf + 1.0, p)).min(1.0);
        (lower, 1.0 - lower)
    } else {
        let upper = (at * q * (theta + yf) / (yf + 1.0) * beta_fraction(yf + 1.0, theta, q)).min(1.0);
        (1.0 - upper, upper)
    }
}

/// `P(Y <= y)`, as R's `pnbinom(y, size = theta, mu = mu)`.
pub fn cdf(y: u64, theta: f64, mu: f64) -> f64 {
    tails(y, theta, mu).0
}

/// `P(Y <= y)` by adding up the probabilities of the shorter tail one by one (Kahan's
/// compensated sum): slow for large counts, but good to a few units in the last place, where
/// the continued fraction may be a few parts in 10^12 out. Used where a quantile depends on it.
fn cdf_by_sum(y: u64, theta: f64, mu: f64) -> f64 {
    /// A running sum with Kahan's compensation.
    struct Kahan {
        sum: f64,
        carry: f64,
    }
    impl Kahan {
        fn add(&mut self, term: f64) {
            let t = term - self.carry;
            let next = self.sum + t;
            self.carry = (next - self.sum) - t;
            self.sum = next;
        }
    }
    let mut tail = Kahan { sum: 0.0, carry: 0.0 };
    if (y as f64) < mu {
        for k in (0..=y).rev() {
            let term = density(k, theta, mu);
            tail.add(term);
            if term < 1e-20 * tail.sum {
                break;
            }
        }
        tail.sum
    } else {
        let mut k = y + 1;
        loop {
            let term = density(k, theta, mu);
            tail.add(term);
            if term < 1e-20 * tail.sum && (k as f64) > mu {
                break;
            }
            k += 1;
        }
        1.0 - tail.sum
    }
}

/// The `prob`-quantile of NB(mean `mu`, size `theta`), as R's `qnbinom(prob, size = theta,
/// mu = mu)`: the smallest `y` with `P(Y <= y) >= prob (1 - 8 eps)`. `prob` must be in (0, 1).
pub fn quantile(prob: f64, theta: f64, mu: f64) -> u64 {
    if mu <= 0.0 || prob <= 0.0 {
        return 0;
    }
    let target = prob * (1.0 - 8.0 * f64::EPSILON);
    let reached = |y: u64| cdf(y, theta, mu) >= target;
    // Cornish-Fisher start: mean, SD and skewness of the distribution.
    let sigma = (mu + mu * mu / theta).sqrt();
    let skew = (1.0 + 2.0 * mu / theta) / sigma;
    let z = Normal::new(0.0, 1.0).map(|n| n.inverse_cdf(prob)).unwrap_or(0.0);
    let start = (mu + sigma * (z + skew * (z * z - 1.0) / 6.0)).round();
    let start = if start.is_finite() && start > 0.0 { start.min(9.0e15) as u64 } else { 0 };
    // Bracket: `low` does not reach the target, `high` does.
    let (mut low, mut high);
    if reached(start) {
        if start == 0 {
            return 0;
        }
        high = start;
        let mut step = 1u64;
        loop {
            let next = high.saturating_sub(step);
            if !reached(next) {
                low = next;
                break;
            }
            high = next;
            if high == 0 {
                return 0;
            }
            step = step.saturating_mul(2);
        }
    } else {
        low = start;
        let mut step = 1u64;
        loop {
            let next = low.saturating_add(step);
            if reached(next) {
                high = next;
                break;
            }
            low = next;
            step = step.saturating_mul(2);
        }
    }
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        if reached(mid) {
            high = mid;
        } else {
            low = mid;
        }
    }
    // Where a probability lies within 1e-10 of the target, the answer rests on digits the
    // continued fraction may not have: decide those steps with the exact sum.
    let close = |y: u64| (cdf(y, theta, mu) - target).abs() <= 1e-10 * target;
    if close(high) || (high > 0 && close(high - 1)) {
        let reached = |y: u64| cdf_by_sum(y, theta, mu) >= target;
        while high > 0 && reached(high - 1) {
            high -= 1;
        }
        while !reached(high) {
            high += 1;
        }
    }
    high
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `P(Y <= y)` by summing the probabilities from 0, term by term (slow but plain).
    fn summed(y: u64, theta: f64, mu: f64) -> f64 {
        let q = mu / (theta + mu);
        let mut term = density(0, theta, mu);
        let mut sum = term;
        for k in 1..=y {
            term *= (k as f64 - 1.0 + theta) / k as f64 * q;
            sum += term;
        }
        sum
    }

    #[test]
    fn probabilities_sum_to_one_and_match_the_recursion() {
        for &(theta, mu) in &[(0.7, 3.0), (5.0, 40.0), (12.0, 900.0), (200.0, 15.0), (1e6, 20.0)] {
            let upto = (mu * 6.0 + 200.0) as u64;
            let total: f64 = (0..upto).map(|y| density(y, theta, mu)).sum();
            assert!((total - 1.0).abs() < 1e-12, "theta {theta} mu {mu}: sum {total}");
            for y in [0, 1, 2, (mu / 2.0) as u64, mu as u64, (2.0 * mu) as u64] {
                let direct = summed(y, theta, mu);
                let (lower, upper) = tails(y, theta, mu);
                assert!(
                    (lower - direct).abs() <= 1e-11 * direct,
                    "theta {theta} mu {mu} y {y}: {lower} vs {direct}"
                );
                assert!((lower + upper - 1.0).abs() < 1e-15);
            }
        }
    }

    /// `P(Y > y)`: the probability of every count above `y` (until they no longer count),
    /// each computed on its own and added with Kahan's compensated summation.
    fn summed_above(y: u64, theta: f64, mu: f64) -> f64 {
        let (mut sum, mut carry) = (0.0f64, 0.0f64);
        let mut k = y + 1;
        loop {
            let term = density(k, theta, mu);
            if term < 1e-18 * sum && (k as f64) > mu {
                return sum;
            }
            let t = term - carry;
            let next = sum + t;
            carry = (next - sum) - t;
            sum = next;
            k += 1;
        }
    }

    #[test]
    fn large_counts_keep_their_tails() {
        // A county's referrals: mean 20,000, theta 14 (SD about 5,350). Theta is a whole number,
        // so P(Y <= y) = P(Binomial(y + 14, p) >= 14) is a finite sum: these are its values to 20
        // digits (exact decimal arithmetic).
        let (theta, mu) = (14.0, 20_000.0);
        let exact = [
            (9_000u64, 0.005507426770003989, 0.994492573229996),
            (15_000, 0.17478224789080998, 0.82521775210919),
            (20_000, 0.5355895201814653, 0.46441047981853467),
            (30_000, 0.9566016204124511, 0.04339837958754883),
            (45_000, 0.9998332067367826, 0.00016679326321742178),
        ];
        for (y, lower_exact, upper_exact) in exact {
            let (lower, upper) = tails(y, theta, mu);
            assert!((lower - lower_exact).abs() <= 1e-11 * lower_exact, "y {y}: {lower}");
            assert!((upper - upper_exact).abs() <= 1e-11 * upper_exact, "y {y}: {upper}");
            let by_sum = cdf_by_sum(y, theta, mu);
            assert!(
                (by_sum - lower_exact).abs() <= 4.0 * f64::EPSILON * lower_exact.max(1e-300),
                "y {y}: {by_sum}"
            );
            if y > 20_000 {
                assert!((summed_above(y, theta, mu) - upper_exact).abs() <= 1e-14 * upper_exact, "y {y}");
            }
        }
    }

    #[test]
    fn quantiles_are_the_smallest_counts_reaching_the_probability() {
        for &(theta, mu) in &[(0.7, 3.0), (5.0, 40.0), (12.0, 900.0), (14.0, 20_000.0), (1e5, 50.0)] {
            for prob in [0.001, 0.025, 0.5, 0.975, 0.999] {
                let y = quantile(prob, theta, mu);
                assert!(cdf(y, theta, mu) >= prob * (1.0 - 8.0 * f64::EPSILON));
                assert!(y == 0 || cdf(y - 1, theta, mu) < prob, "theta {theta} mu {mu} p {prob}: {y}");
            }
        }
        assert_eq!(quantile(0.5, 3.0, 0.0), 0);
    }

    #[test]
    fn a_probability_at_a_step_is_decided_by_the_exact_sum() {
        // The target equals P(Y <= 30000) to the last digit: the quantile is 30000 itself.
        let (theta, mu) = (14.0, 20_000.0);
        let at = cdf_by_sum(30_000, theta, mu);
        assert!((at - 0.9566016204124511).abs() < 2e-16, "{at}");
        assert_eq!(quantile(at, theta, mu), 30_000);
        assert_eq!(quantile(at * (1.0 + 1e-12), theta, mu), 30_001);
    }
}
