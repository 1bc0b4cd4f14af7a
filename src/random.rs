//! The engine's one seeded pseudo-random generator, with the samplers the simulated samples, the
//! model checks and the tests need. Everything is deterministic: the same seed gives the same
//! numbers on every platform (native and wasm).

use crate::fit::Family;
use statrs::function::gamma::ln_gamma;

/// xoshiro256** (Blackman and Vigna 2018), seeded through SplitMix64 as its authors recommend.
#[derive(Debug, Clone)]
pub struct Rng {
    s: [u64; 4],
}

/// One step of SplitMix64 (Steele, Lea and Flood 2014): advances `state` and returns the next
/// output. It seeds [`Rng`]; the simulated data sets of the tests' R reference values were drawn
/// from its stream.
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// A generator whose state is four SplitMix64 outputs from `seed`.
    pub fn new(seed: u64) -> Rng {
        let mut state = seed;
        Rng {
            s: [
                splitmix64(&mut state),
                splitmix64(&mut state),
                splitmix64(&mut state),
                splitmix64(&mut state),
            ],
        }
    }

    #[cfg(test)]
    fn from_state(s: [u64; 4]) -> Rng {
        Rng { s }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform on `[0, 1)` with 53 random bits.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform integer in `lo..=hi` (`lo` when `hi < lo`).
    pub fn int_between(&mut self, lo: usize, hi: usize) -> usize {
        if hi <= lo {
            return lo;
        }
        let span = (hi - lo) as u128 + 1;
        lo + ((self.next_u64() as u128 * span) >> 64) as usize
    }

    /// Standard normal, by the Box-Muller transform.
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.uniform(); // in (0, 1]: its logarithm is finite
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// Gamma with `shape` k and `scale` s (mean k s, variance k s^2), by Marsaglia and Tsang's
    /// (2000) squeeze method; for `k < 1`, `Gamma(k) = Gamma(k + 1) U^(1/k)`.
    pub fn gamma(&mut self, shape: f64, scale: f64) -> f64 {
        if shape < 1.0 {
            let u = 1.0 - self.uniform();
            return self.gamma(shape + 1.0, scale) * u.powf(1.0 / shape);
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let (x, v) = loop {
                let x = self.normal();
                let v = 1.0 + c * x;
                if v > 0.0 {
                    break (x, v * v * v);
                }
            };
            let u = self.uniform();
            if u < 1.0 - 0.0331 * x.powi(4) || u.ln() < 0.5 * x * x + d * (1.0 - v + v.ln()) {
                return d * v * scale;
            }
        }
    }

    /// A count of `family` with mean `mu` and the fit's `dispersion` (`theta` for NB2, `phi`
    /// for NB1, ignored for Poisson), drawn as a Poisson-gamma mixture: NB2 is Poisson with a
    /// Gamma(theta, mu / theta) mean (variance `mu + mu^2 / theta`), NB1 Poisson with a
    /// Gamma(mu / phi, phi) mean (variance `mu (1 + phi)`).
    /// For a binomial family `mu` is the probability of one trial: see [`Rng::binomial`] for
    /// several.
    pub fn count(&mut self, family: Family, mu: f64, dispersion: f64) -> u64 {
        let mean = match family {
            Family::Poisson => mu,
            Family::Nbinom2 => self.gamma(dispersion, mu / dispersion),
            Family::Nbinom1 => self.gamma(mu / dispersion, dispersion),
            Family::Binomial(_) => return self.binomial(1, mu),
        };
        self.poisson(mean)
    }

    /// Successes in `n` independent trials of probability `p` (clamped to `[0, 1]`): `n`
    /// Bernoulli draws up to 64 trials, else by inversion of the binomial CDF from its mode's
    /// neighbourhood (sequential search outwards from 0 for small `n p`).
    pub fn binomial(&mut self, n: u64, p: f64) -> u64 {
        let p = if p.is_nan() { 0.0 } else { p.clamp(0.0, 1.0) };
        if n == 0 || p == 0.0 {
            return 0;
        }
        if p == 1.0 {
            return n;
        }
        if n <= 64 {
            return (0..n).filter(|_| self.uniform() < p).count() as u64;
        }
        // Inversion by sequential search on the smaller of p and 1 - p, in log space for the
        // first term so that large n does not underflow it.
        let (pp, flip) = if p > 0.5 { (1.0 - p, true) } else { (p, false) };
        let u = self.uniform();
        let nf = n as f64;
        let ratio = pp / (1.0 - pp);
        let mut prob = (nf * (-pp).ln_1p()).exp();
        let k = if prob > 0.0 {
            let mut k = 0u64;
            let mut cdf = prob;
            while cdf < u && k < n {
                prob *= ratio * (nf - k as f64) / (k as f64 + 1.0);
                k += 1;
                cdf += prob;
            }
            k
        } else {
            // The normal approximation where the first term underflows (n p (1 - p) in the
            // hundreds at least).
            let (mean, sd) = (nf * pp, (nf * pp * (1.0 - pp)).sqrt());
            (mean + sd * self.normal()).round().clamp(0.0, nf) as u64
        };
        if flip {
            n - k
        } else {
            k
        }
    }

    /// Poisson with the given `mean` (0 for a mean of 0 or less): inversion by sequential
    /// search below a mean of 10, else Hörmann's (1993) transformed rejection with squeeze
    /// (PTRS).
    pub fn poisson(&mut self, mean: f64) -> u64 {
        if mean.is_nan() || mean <= 0.0 {
            return 0;
        }
        if mean < 10.0 {
            let mut k = 0u64;
            let mut p = (-mean).exp();
            let mut cdf = p;
            let u = self.uniform();
            while u > cdf && k < 1000 {
                k += 1;
                p *= mean / k as f64;
                cdf += p;
            }
            return k;
        }
        let smu = mean.sqrt();
        let b = 0.931 + 2.53 * smu;
        let a = -0.059 + 0.02483 * b;
        let inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
        let vr = 0.9277 - 3.6224 / (b - 2.0);
        let log_mean = mean.ln();
        loop {
            let u = self.uniform() - 0.5;
            let v = self.uniform();
            let us = 0.5 - u.abs();
            let k = ((2.0 * a / us + b) * u + mean + 0.43).floor();
            if us >= 0.07 && v <= vr {
                return k as u64;
            }
            if k < 0.0 || (us < 0.013 && v > us) {
                continue;
            }
            if v.ln() + inv_alpha.ln() - (a / (us * us) + b).ln() <= -mean + k * log_mean - ln_gamma(k + 1.0)
            {
                return k as u64;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_outputs() {
        // SplitMix64 from 0 (Vigna's reference implementation).
        let mut state = 0u64;
        assert_eq!(splitmix64(&mut state), 0xE220_A839_7B1D_CDAF);
        // xoshiro256** from the state [1, 2, 3, 4] (reference implementation's first outputs).
        let mut r = Rng::from_state([1, 2, 3, 4]);
        let first: Vec<u64> = (0..4).map(|_| r.next_u64()).collect();
        assert_eq!(first, [11520, 0, 1509978240, 1215971899390074240]);
    }

    #[test]
    fn same_seed_same_numbers() {
        let a: Vec<u64> = {
            let mut r = Rng::new(7);
            (0..5).map(|_| r.next_u64()).collect()
        };
        let b: Vec<u64> = {
            let mut r = Rng::new(7);
            (0..5).map(|_| r.next_u64()).collect()
        };
        let c: Vec<u64> = {
            let mut r = Rng::new(8);
            (0..5).map(|_| r.next_u64()).collect()
        };
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    /// Mean and variance of `n` draws.
    fn moments(n: usize, mut draw: impl FnMut() -> f64) -> (f64, f64) {
        let xs: Vec<f64> = (0..n).map(|_| draw()).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64;
        (mean, var)
    }

    // With 200,000 draws the standard error of a sample mean is sd / 447; the tolerances below
    // are about four standard errors (the seed is fixed, so the test is deterministic).
    const N: usize = 200_000;

    #[test]
    fn normal_and_uniform_moments() {
        let mut r = Rng::new(1);
        let (m, v) = moments(N, || r.normal());
        assert!(m.abs() < 0.01, "{m}");
        assert!((v - 1.0).abs() < 0.013, "{v}");
        let (m, v) = moments(N, || r.uniform());
        assert!((m - 0.5).abs() < 0.003, "{m}");
        assert!((v - 1.0 / 12.0).abs() < 0.001, "{v}");
        assert!((0..1000).map(|_| r.int_between(3, 5)).all(|k| (3..=5).contains(&k)));
    }

    #[test]
    fn poisson_moments_on_both_methods() {
        let mut r = Rng::new(2);
        for mean in [0.7, 3.5, 12.0, 150.0] {
            let (m, v) = moments(N, || r.poisson(mean) as f64);
            let se = (mean / N as f64).sqrt();
            assert!((m - mean).abs() < 4.0 * se, "mean {mean}: {m}");
            assert!((v / mean - 1.0).abs() < 0.02, "mean {mean}: variance {v}");
        }
        assert_eq!(r.poisson(0.0), 0);
    }

    #[test]
    fn gamma_moments_below_and_above_shape_one() {
        let mut r = Rng::new(3);
        for (shape, scale) in [(0.5, 2.0), (4.0, 0.25), (30.0, 0.1)] {
            let (m, v) = moments(N, || r.gamma(shape, scale));
            let (mean, var) = (shape * scale, shape * scale * scale);
            assert!((m - mean).abs() < 4.0 * (var / N as f64).sqrt(), "shape {shape}: {m}");
            assert!((v / var - 1.0).abs() < 0.03, "shape {shape}: variance {v} vs {var}");
        }
    }
}
