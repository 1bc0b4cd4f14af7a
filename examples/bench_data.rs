//! Writes a national-size synthetic aggregate data set for benchmarking the fitting engine
//! against R's glmmTMB (`scripts/bench_glmmtmb.R`).
//!
//! Usage: `cargo run --release --example bench_data -- OUT.csv [--seed N] [--family nb2|nb1]`
//!
//! One row per neighbourhood (LSOA), columns `lsoa,la,msoa,count,pop,imd,imd_z,la_imd,gini,rural`,
//! like the reference data sets in `tests/reference/data/`. Only the standard library is used: the
//! random numbers come from xoshiro256** seeded by splitmix64, with Box-Muller normals,
//! Marsaglia-Tsang gamma variates and Poisson variates by multiplication (mean < 10) or
//! Hörmann's PTRS transformed rejection (mean >= 10).
//!
//! Generating model (the same as `medium_nb2.csv` of the reference suite, at national size):
//! - 33,000 LSOAs in 150 LAs; LA sizes proportional to U(0.6, 1.4) draws; MSOAs are consecutive
//!   blocks of about 5 LSOAs inside an LA.
//! - LA level: latent deprivation `d ~ N(0, 1)`; `gini = 0.386 + 0.014 (0.6 d + 0.8 e)` (rounded to
//!   4 decimals; LA Gini mean 0.386, SD 0.014: Webb et al. 2020, Table 1); an LSOA is rural with
//!   probability `logistic(-1.2 - 0.8 d + e')`.
//! - LSOA level: `imd = exp(ln 18 + 0.3 d + 0.55 e)` clamped to [0.5, 95] (3 decimals; mean about
//!   21, as the LSOA IMD score mean of 21.9 in Webb et al. 2020, Table 1);
//!   `la_imd` = LA mean of `imd`; `imd_z` = `imd` standardised within its LA (SD with divisor
//!   n - 1); `pop = round(100 + 700 Beta(2, 3.5))`.
//! - `log mu = b0 + b1 imd_z + b2 la_imd + b3 gini + b4 [urban] + b5 imd_z la_imd + b6 imd_z gini
//!   + u0_la + u1_la imd_z + v_msoa + log(pop / 10000)`, with the raw-scale coefficients in
//!   [`BETA`] (a rate of 150 per 10,000 and a gradient of 0.5 per SD at `la_imd = 20`,
//!   `gini = 0.386`), `(u0, u1) ~ N(0, [[0.3^2, -0.4 0.3 0.12], [., 0.12^2]])` and
//!   `v ~ N(0, 0.25^2)`.
//! - `count ~ NB2(mu, theta = 6)` (variance `mu + mu^2 / 6`) or, with `--family nb1`,
//!   `count ~ NB1(mu, phi = 1.5)` (variance `mu (1 + 1.5)`), drawn as a gamma-Poisson mixture.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::process::ExitCode;
use std::time::Instant;

/// Number of neighbourhoods (LSOAs).
const N_LSOA: usize = 33_000;
/// Number of local authorities.
const N_LA: usize = 150;
/// Target number of LSOAs per MSOA.
const LSOAS_PER_MSOA: usize = 5;

/// Raw-scale fixed effects, named as R names the columns of
/// `count ~ imd_z * la_imd + imd_z * gini + rural`.
const BETA: [(&str, f64); 7] = [
    // ln(150) - 0.02 * 20 - 3 * 0.386
    ("(Intercept)", 3.452_635_294_096_255),
    // 0.5 + 0.01 * 20 - 8 * 0.386
    ("imd_z", -2.388),
    ("la_imd", 0.02),
    ("gini", 3.0),
    ("ruralurban", -0.1),
    ("imd_z:la_imd", -0.01),
    ("imd_z:gini", 8.0),
];
/// SD of the LA random intercept.
const SD_LA_INTERCEPT: f64 = 0.3;
/// SD of the LA random slope of `imd_z`.
const SD_LA_SLOPE: f64 = 0.12;
/// Correlation of the LA random intercept and slope.
const COR_LA: f64 = -0.4;
/// SD of the MSOA random intercept.
const SD_MSOA: f64 = 0.25;
/// NB2 dispersion: variance `mu + mu^2 / THETA`.
const THETA: f64 = 6.0;
/// NB1 dispersion: variance `mu (1 + PHI)`.
const PHI: f64 = 1.5;

/// Count distribution of the generated data.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Family {
    Nb2,
    Nb1,
}

/// splitmix64 (Steele, Lea and Flood 2014): used to seed xoshiro256**.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// xoshiro256** (Blackman and Vigna 2018) with the samplers the generator needs.
struct Rng {
    s: [u64; 4],
    spare_normal: Option<f64>,
}

impl Rng {
    fn new(seed: u64) -> Self {
        let mut sm = SplitMix64(seed);
        let s = [sm.next_u64(), sm.next_u64(), sm.next_u64(), sm.next_u64()];
        Rng {
            s,
            spare_normal: None,
        }
    }

    fn next_u64(&mut self) -> u64 {
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

    /// Uniform on [0, 1) with 53 random bits.
    fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform on (0, 1], safe to take the logarithm of.
    fn uniform_open0(&mut self) -> f64 {
        1.0 - self.uniform()
    }

    /// Standard normal by the Box-Muller transform (the second value of a pair is kept).
    fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare_normal.take() {
            return z;
        }
        let r = (-2.0 * self.uniform_open0().ln()).sqrt();
        let angle = 2.0 * std::f64::consts::PI * self.uniform();
        self.spare_normal = Some(r * angle.sin());
        r * angle.cos()
    }

    /// Gamma(shape, scale 1) by Marsaglia and Tsang (2000); shape < 1 by the boost
    /// `Gamma(shape + 1) U^(1 / shape)`.
    fn gamma(&mut self, shape: f64) -> f64 {
        if shape < 1.0 {
            let boost = self.uniform_open0().powf(1.0 / shape);
            return self.gamma(shape + 1.0) * boost;
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let x = self.normal();
            let v = (1.0 + c * x).powi(3);
            if v <= 0.0 {
                continue;
            }
            let u = self.uniform_open0();
            if u < 1.0 - 0.0331 * x.powi(4) || u.ln() < 0.5 * x * x + d * (1.0 - v + v.ln()) {
                return d * v;
            }
        }
    }

    /// Beta(a, b) as a ratio of gamma variates.
    fn beta(&mut self, a: f64, b: f64) -> f64 {
        let x = self.gamma(a);
        let y = self.gamma(b);
        x / (x + y)
    }

    /// Poisson(mean): multiplication of uniforms below 10, PTRS (Hörmann 1993) above.
    fn poisson(&mut self, mean: f64) -> u64 {
        if mean <= 0.0 || !mean.is_finite() {
            return 0;
        }
        if mean < 10.0 {
            let limit = (-mean).exp();
            let mut k = 0;
            let mut p = self.uniform_open0();
            while p > limit {
                k += 1;
                p *= self.uniform_open0();
            }
            return k;
        }
        let slam = mean.sqrt();
        let loglam = mean.ln();
        let b = 0.931 + 2.53 * slam;
        let a = -0.059 + 0.02483 * b;
        let inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
        let vr = 0.9277 - 3.6224 / (b - 2.0);
        loop {
            let u = self.uniform() - 0.5;
            let v = self.uniform_open0();
            let us = 0.5 - u.abs();
            let k = ((2.0 * a / us + b) * u + mean + 0.43).floor();
            if us >= 0.07 && v <= vr {
                return k as u64;
            }
            if k < 0.0 || (us < 0.013 && v > us) {
                continue;
            }
            let lhs = v.ln() + inv_alpha.ln() - (a / (us * us) + b).ln();
            if lhs <= -mean + k * loglam - ln_gamma(k + 1.0) {
                return k as u64;
            }
        }
    }

    /// Negative binomial as a gamma-Poisson mixture with the given gamma shape and mean.
    fn gamma_poisson(&mut self, shape: f64, mean: f64) -> u64 {
        let lambda = self.gamma(shape) * mean / shape;
        self.poisson(lambda)
    }
}

/// ln Gamma(x) for x > 0: the Stirling series after shifting x up to at least 20 with
/// ln Gamma(x) = ln Gamma(x + n) - ln(x (x + 1) ... (x + n - 1)); absolute error below 1e-13.
fn ln_gamma(x: f64) -> f64 {
    let mut shift = 0.0;
    let mut z = x;
    while z < 20.0 {
        shift += z.ln();
        z += 1.0;
    }
    let inv = 1.0 / z;
    let inv2 = inv * inv;
    let series = inv * (1.0 / 12.0 - inv2 * (1.0 / 360.0 - inv2 * (1.0 / 1260.0 - inv2 / 1680.0)));
    (z - 0.5) * z.ln() - z + 0.5 * (2.0 * std::f64::consts::PI).ln() + series - shift
}

/// Rounds to `decimals` places, turning -0 into 0.
fn round_to(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f + 0.0
}

/// One generated neighbourhood.
struct Row {
    la: usize,
    msoa: usize,
    count: u64,
    pop: u32,
    imd: f64,
    imd_z: f64,
    rural: bool,
}

/// The whole data set, with the LA-level columns kept per LA.
struct Dataset {
    la_codes: Vec<String>,
    la_imd: Vec<f64>,
    gini: Vec<f64>,
    rows: Vec<Row>,
    n_msoa: usize,
}

/// LA sizes proportional to U(0.6, 1.4) draws, adding up to `total` (largest remainders).
fn la_sizes(rng: &mut Rng, n_la: usize, total: usize) -> Vec<usize> {
    let w: Vec<f64> = (0..n_la).map(|_| 0.6 + 0.8 * rng.uniform()).collect();
    let sum: f64 = w.iter().sum();
    let exact: Vec<f64> = w.iter().map(|wi| wi / sum * total as f64).collect();
    let mut sizes: Vec<usize> = exact.iter().map(|e| e.floor() as usize).collect();
    let mut order: Vec<usize> = (0..n_la).collect();
    order.sort_by(|&i, &j| (exact[j] - exact[j].floor()).total_cmp(&(exact[i] - exact[i].floor())));
    let short = total - sizes.iter().sum::<usize>();
    for &i in order.iter().take(short) {
        sizes[i] += 1;
    }
    sizes
}

fn generate(seed: u64, family: Family) -> Dataset {
    let mut rng = Rng::new(seed);
    let sizes = la_sizes(&mut rng, N_LA, N_LSOA);
    let prefixes = ["E06", "E08", "E09", "E10"];
    let la_codes: Vec<String> = (0..N_LA)
        .map(|j| {
            let prefix = prefixes[(rng.next_u64() % prefixes.len() as u64) as usize];
            format!("{prefix}{:06}", j + 1)
        })
        .collect();
    let dep: Vec<f64> = (0..N_LA).map(|_| rng.normal()).collect();
    let gini: Vec<f64> = dep
        .iter()
        .map(|d| round_to(0.386 + 0.014 * (0.6 * d + 0.8 * rng.normal()), 4))
        .collect();
    let p_rural: Vec<f64> = dep
        .iter()
        .map(|d| 1.0 / (1.0 + (1.2 + 0.8 * d - rng.normal()).exp()))
        .collect();
    let slope_scale = SD_LA_SLOPE * (1.0 - COR_LA * COR_LA).sqrt();
    let la_effects: Vec<(f64, f64)> = (0..N_LA)
        .map(|_| {
            let z1 = rng.normal();
            let z2 = rng.normal();
            (
                SD_LA_INTERCEPT * z1,
                SD_LA_SLOPE * COR_LA * z1 + slope_scale * z2,
            )
        })
        .collect();

    let mut rows = Vec::with_capacity(N_LSOA);
    let mut la_imd = Vec::with_capacity(N_LA);
    let mut msoa_effects = Vec::new();
    for (j, &size) in sizes.iter().enumerate() {
        let start = rows.len();
        let n_msoa = (size as f64 / LSOAS_PER_MSOA as f64).round().max(1.0) as usize;
        let first_msoa = msoa_effects.len();
        msoa_effects.extend((0..n_msoa).map(|_| SD_MSOA * rng.normal()));
        for i in 0..size {
            let imd = round_to(
                (18f64.ln() + 0.3 * dep[j] + 0.55 * rng.normal())
                    .exp()
                    .clamp(0.5, 95.0),
                3,
            );
            rows.push(Row {
                la: j,
                msoa: first_msoa + i * n_msoa / size,
                count: 0,
                pop: (100.0 + 700.0 * rng.beta(2.0, 3.5)).round() as u32,
                imd,
                imd_z: 0.0,
                rural: rng.uniform() < p_rural[j],
            });
        }
        let block = &mut rows[start..];
        let n = block.len() as f64;
        let mean = block.iter().map(|r| r.imd).sum::<f64>() / n;
        let sd = (block.iter().map(|r| (r.imd - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        for r in block.iter_mut() {
            r.imd_z = round_to((r.imd - mean) / sd, 6);
        }
        la_imd.push(round_to(mean, 3));
    }

    let beta: Vec<f64> = BETA.iter().map(|(_, b)| *b).collect();
    for r in rows.iter_mut() {
        let (u0, u1) = la_effects[r.la];
        let urban = if r.rural { 0.0 } else { 1.0 };
        let eta = beta[0]
            + beta[1] * r.imd_z
            + beta[2] * la_imd[r.la]
            + beta[3] * gini[r.la]
            + beta[4] * urban
            + beta[5] * r.imd_z * la_imd[r.la]
            + beta[6] * r.imd_z * gini[r.la]
            + u0
            + u1 * r.imd_z
            + msoa_effects[r.msoa]
            + (f64::from(r.pop) / 10_000.0).ln();
        let mu = eta.exp();
        r.count = match family {
            Family::Nb2 => rng.gamma_poisson(THETA, mu),
            Family::Nb1 => rng.gamma_poisson(mu / PHI, mu),
        };
    }
    Dataset {
        la_codes,
        la_imd,
        gini,
        rows,
        n_msoa: msoa_effects.len(),
    }
}

fn write_csv(data: &Dataset, path: &str) -> std::io::Result<()> {
    let mut out = BufWriter::new(File::create(path)?);
    writeln!(out, "lsoa,la,msoa,count,pop,imd,imd_z,la_imd,gini,rural")?;
    for (i, r) in data.rows.iter().enumerate() {
        writeln!(
            out,
            "E01{:06},{},E02{:06},{},{},{:.3},{:.6},{:.3},{:.4},{}",
            i + 1,
            data.la_codes[r.la],
            r.msoa + 1,
            r.count,
            r.pop,
            r.imd,
            r.imd_z,
            data.la_imd[r.la],
            data.gini[r.la],
            if r.rural { "rural" } else { "urban" }
        )?;
    }
    out.flush()
}

fn describe(data: &Dataset, seed: u64, family: Family) -> String {
    let mut s = String::new();
    let total: u64 = data.rows.iter().map(|r| r.count).sum();
    let zeros = data.rows.iter().filter(|r| r.count == 0).count();
    let _ = writeln!(
        s,
        "rows {}, LAs {}, MSOAs {}, seed {seed}",
        data.rows.len(),
        data.la_codes.len(),
        data.n_msoa
    );
    let _ = writeln!(s, "generating model: count ~ imd_z * la_imd + imd_z * gini + rural + offset(log(pop/10000)) + (1 + imd_z | la) + (1 | la:msoa)");
    for (name, b) in BETA {
        let _ = writeln!(s, "  beta {name:<13} {b:.6}");
    }
    let _ = writeln!(s, "  LA SDs: (Intercept) {SD_LA_INTERCEPT}, imd_z {SD_LA_SLOPE}; correlation {COR_LA}; MSOA SD {SD_MSOA}");
    match family {
        Family::Nb2 => {
            let _ = writeln!(
                s,
                "  family nbinom2, theta {THETA} (variance mu + mu^2/theta)"
            );
        }
        Family::Nb1 => {
            let _ = writeln!(s, "  family nbinom1, phi {PHI} (variance mu (1 + phi))");
        }
    }
    let _ = write!(s, "total count {total}, zero rows {zeros}");
    s
}

#[derive(Debug)]
struct Args {
    out: String,
    seed: u64,
    family: Family,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let usage = "usage: bench_data OUT.csv [--seed N] [--family nb2|nb1]";
    let mut out = None;
    let mut seed = 20_240_601;
    let mut family = Family::Nb2;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--seed" => {
                let v = it.next().ok_or(format!("--seed needs a value; {usage}"))?;
                seed = v
                    .parse()
                    .map_err(|_| format!("--seed must be a whole number, got {v:?}"))?;
            }
            "--family" => {
                let v = it
                    .next()
                    .ok_or(format!("--family needs a value; {usage}"))?;
                family = match v.as_str() {
                    "nb2" => Family::Nb2,
                    "nb1" => Family::Nb1,
                    _ => return Err(format!("--family must be nb2 or nb1, got {v:?}")),
                };
            }
            other if other.starts_with("--") => {
                return Err(format!("unknown option {other:?}; {usage}"))
            }
            other if out.is_none() => out = Some(other.to_string()),
            other => return Err(format!("unexpected argument {other:?}; {usage}")),
        }
    }
    let out = out.ok_or_else(|| usage.to_string())?;
    Ok(Args { out, seed, family })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args = match parse_args(&args) {
        Ok(a) => a,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let data = generate(args.seed, args.family);
    if let Err(e) = write_csv(&data, &args.out) {
        eprintln!("could not write {}: {e}", args.out);
        return ExitCode::FAILURE;
    }
    println!("{}", describe(&data, args.seed, args.family));
    println!(
        "wrote {} in {:.3} s",
        args.out,
        started.elapsed().as_secs_f64()
    );
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mean_var(xs: &[f64]) -> (f64, f64) {
        let n = xs.len() as f64;
        let m = xs.iter().sum::<f64>() / n;
        (
            m,
            xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0),
        )
    }

    #[test]
    fn splitmix64_matches_reference_sequence() {
        // Reference outputs for seed 1234567 (the published splitmix64 test sequence).
        let mut sm = SplitMix64(1_234_567);
        let expected = [
            6_457_827_717_110_365_317,
            3_203_168_211_198_807_973,
            9_817_491_932_198_370_423,
            4_593_380_528_125_082_431,
            16_408_922_859_458_223_821,
        ];
        for e in expected {
            assert_eq!(sm.next_u64(), e);
        }
    }

    #[test]
    fn coefficients_give_the_documented_rate_and_gradient_at_the_centre() {
        let b = |name: &str| {
            BETA.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| *v)
                .unwrap()
        };
        let log_rate = b("(Intercept)") + b("la_imd") * 20.0 + b("gini") * 0.386;
        assert!((log_rate - 150f64.ln()).abs() < 1e-12);
        let gradient = b("imd_z") + b("imd_z:la_imd") * 20.0 + b("imd_z:gini") * 0.386;
        assert!((gradient - 0.5).abs() < 1e-12);
    }

    #[test]
    fn ln_gamma_matches_factorials_and_half_integers() {
        assert!((ln_gamma(1.0)).abs() < 1e-13);
        assert!((ln_gamma(11.0) - 3_628_800f64.ln()).abs() < 1e-12);
        // Gamma(1/2) = sqrt(pi)
        assert!((ln_gamma(1.5) - (std::f64::consts::PI.sqrt() / 2.0).ln()).abs() < 1e-12);
        // ln 170! = 706.5730622457874 (R: lfactorial(170))
        assert!((ln_gamma(171.0) - 706.573_062_245_787_4).abs() < 1e-9);
    }

    #[test]
    fn poisson_draws_have_the_right_mean_and_variance() {
        let mut rng = Rng::new(1);
        for mean in [0.3, 4.0, 12.0, 250.0] {
            let xs: Vec<f64> = (0..200_000).map(|_| rng.poisson(mean) as f64).collect();
            let (m, v) = mean_var(&xs);
            // Standard error of the mean is sqrt(mean / n); allow 5 of them.
            assert!(
                (m - mean).abs() < 5.0 * (mean / 200_000.0).sqrt(),
                "mean {mean}: {m}"
            );
            assert!((v / mean - 1.0).abs() < 0.02, "mean {mean}: variance {v}");
        }
    }

    #[test]
    fn gamma_draws_have_the_right_mean_and_variance() {
        let mut rng = Rng::new(2);
        for shape in [0.2, 1.0, 6.0] {
            let xs: Vec<f64> = (0..200_000).map(|_| rng.gamma(shape)).collect();
            let (m, v) = mean_var(&xs);
            assert!((m / shape - 1.0).abs() < 0.02, "shape {shape}: mean {m}");
            assert!(
                (v / shape - 1.0).abs() < 0.05,
                "shape {shape}: variance {v}"
            );
        }
    }

    #[test]
    fn negative_binomial_variances_follow_nb1_and_nb2() {
        let mut rng = Rng::new(3);
        let mu = 5.0;
        let nb2: Vec<f64> = (0..200_000)
            .map(|_| rng.gamma_poisson(THETA, mu) as f64)
            .collect();
        let (m, v) = mean_var(&nb2);
        assert!((m / mu - 1.0).abs() < 0.01);
        assert!(
            (v / (mu + mu * mu / THETA) - 1.0).abs() < 0.03,
            "NB2 variance {v}"
        );
        let nb1: Vec<f64> = (0..200_000)
            .map(|_| rng.gamma_poisson(mu / PHI, mu) as f64)
            .collect();
        let (m, v) = mean_var(&nb1);
        assert!((m / mu - 1.0).abs() < 0.01);
        assert!(
            (v / (mu * (1.0 + PHI)) - 1.0).abs() < 0.03,
            "NB1 variance {v}"
        );
    }

    #[test]
    fn generated_data_has_the_documented_structure() {
        let data = generate(7, Family::Nb2);
        assert_eq!(data.rows.len(), N_LSOA);
        assert_eq!(data.la_codes.len(), N_LA);
        // MSOAs of about 5 LSOAs, nested in LAs.
        assert!(
            (6_400..=6_800).contains(&data.n_msoa),
            "{} MSOAs",
            data.n_msoa
        );
        let mut msoa_la = vec![usize::MAX; data.n_msoa];
        for r in &data.rows {
            assert!(msoa_la[r.msoa] == usize::MAX || msoa_la[r.msoa] == r.la);
            msoa_la[r.msoa] = r.la;
            assert!((100..=800).contains(&r.pop));
        }
        // imd_z is standardised within each LA and la_imd is the LA mean of imd.
        for j in 0..N_LA {
            let z: Vec<f64> = data
                .rows
                .iter()
                .filter(|r| r.la == j)
                .map(|r| r.imd_z)
                .collect();
            let (m, v) = mean_var(&z);
            assert!(
                m.abs() < 1e-5 && (v - 1.0).abs() < 1e-4,
                "LA {j}: mean {m}, variance {v}"
            );
            let imd: Vec<f64> = data
                .rows
                .iter()
                .filter(|r| r.la == j)
                .map(|r| r.imd)
                .collect();
            let (m, _) = mean_var(&imd);
            assert!((m - data.la_imd[j]).abs() <= 5e-4);
        }
    }

    #[test]
    fn arguments_are_checked() {
        let args = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let a = parse_args(&args(&["out.csv", "--seed", "9", "--family", "nb1"])).unwrap();
        assert_eq!(
            (a.out.as_str(), a.seed, a.family),
            ("out.csv", 9, Family::Nb1)
        );
        assert!(parse_args(&args(&[])).is_err());
        assert!(parse_args(&args(&["out.csv", "--seed", "x"]))
            .unwrap_err()
            .contains("whole number"));
        assert!(parse_args(&args(&["out.csv", "--family", "poisson"])).is_err());
    }
}
