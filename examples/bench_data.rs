//! Writes a national-size synthetic aggregate data set for benchmarking the fitting engine
//! against R's glmmTMB (`scripts/bench_glmmtmb.R`).
//!
//! Usage: `cargo run --release --example bench_data -- OUT.csv [--seed N] [--family nb2|nb1] [--rows N]`
//!
//! `--rows` changes the number of neighbourhoods (default 33,000; 1,000,000 for the browser's
//! large-file benchmark), still in 150 LAs and MSOAs of about 5.
//!
//! One row per neighbourhood (LSOA), columns `lsoa,la,msoa,count,pop,imd,imd_z,la_imd,gini,rural`,
//! like the reference data sets in `tests/reference/data/`. The random numbers come from the
//! engine's sample generator, [`socgrad::random::Rng`] (xoshiro256** seeded by SplitMix64, with
//! Box-Muller normals, Marsaglia-Tsang gamma variates and Poisson variates by inversion or PTRS).
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

use socgrad::random::Rng;

/// Number of neighbourhoods (LSOAs) unless `--rows` says otherwise.
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

/// Beta(a, b) as a ratio of gamma variates.
fn beta(rng: &mut Rng, a: f64, b: f64) -> f64 {
    let x = rng.gamma(a, 1.0);
    let y = rng.gamma(b, 1.0);
    x / (x + y)
}

/// Negative binomial as a gamma-Poisson mixture with the given gamma shape and mean.
fn gamma_poisson(rng: &mut Rng, shape: f64, mean: f64) -> u64 {
    let lambda = rng.gamma(shape, mean / shape);
    rng.poisson(lambda)
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

fn generate(seed: u64, family: Family, n_lsoa: usize) -> Dataset {
    let mut rng = Rng::new(seed);
    let sizes = la_sizes(&mut rng, N_LA, n_lsoa);
    let prefixes = ["E06", "E08", "E09", "E10"];
    let la_codes: Vec<String> = (0..N_LA)
        .map(|j| {
            let prefix = prefixes[(rng.next_u64() % prefixes.len() as u64) as usize];
            format!("{prefix}{:06}", j + 1)
        })
        .collect();
    let dep: Vec<f64> = (0..N_LA).map(|_| rng.normal()).collect();
    let gini: Vec<f64> =
        dep.iter().map(|d| round_to(0.386 + 0.014 * (0.6 * d + 0.8 * rng.normal()), 4)).collect();
    let p_rural: Vec<f64> = dep.iter().map(|d| 1.0 / (1.0 + (1.2 + 0.8 * d - rng.normal()).exp())).collect();
    let slope_scale = SD_LA_SLOPE * (1.0 - COR_LA * COR_LA).sqrt();
    let la_effects: Vec<(f64, f64)> = (0..N_LA)
        .map(|_| {
            let z1 = rng.normal();
            let z2 = rng.normal();
            (SD_LA_INTERCEPT * z1, SD_LA_SLOPE * COR_LA * z1 + slope_scale * z2)
        })
        .collect();

    let mut rows = Vec::with_capacity(n_lsoa);
    let mut la_imd = Vec::with_capacity(N_LA);
    let mut msoa_effects = Vec::new();
    for (j, &size) in sizes.iter().enumerate() {
        let start = rows.len();
        let n_msoa = (size as f64 / LSOAS_PER_MSOA as f64).round().max(1.0) as usize;
        let first_msoa = msoa_effects.len();
        msoa_effects.extend((0..n_msoa).map(|_| SD_MSOA * rng.normal()));
        for i in 0..size {
            let imd = round_to((18f64.ln() + 0.3 * dep[j] + 0.55 * rng.normal()).exp().clamp(0.5, 95.0), 3);
            rows.push(Row {
                la: j,
                msoa: first_msoa + i * n_msoa / size,
                count: 0,
                pop: (100.0 + 700.0 * beta(&mut rng, 2.0, 3.5)).round() as u32,
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
            Family::Nb2 => gamma_poisson(&mut rng, THETA, mu),
            Family::Nb1 => gamma_poisson(&mut rng, mu / PHI, mu),
        };
    }
    Dataset { la_codes, la_imd, gini, rows, n_msoa: msoa_effects.len() }
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
            let _ = writeln!(s, "  family nbinom2, theta {THETA} (variance mu + mu^2/theta)");
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
    rows: usize,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let usage = "usage: bench_data OUT.csv [--seed N] [--family nb2|nb1] [--rows N]";
    let mut out = None;
    let mut seed = 20_240_601;
    let mut family = Family::Nb2;
    let mut rows = N_LSOA;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--seed" => {
                let v = it.next().ok_or(format!("--seed needs a value; {usage}"))?;
                seed = v.parse().map_err(|_| format!("--seed must be a whole number, got {v:?}"))?;
            }
            "--rows" => {
                let v = it.next().ok_or(format!("--rows needs a value; {usage}"))?;
                rows = v.parse().map_err(|_| format!("--rows must be a whole number, got {v:?}"))?;
                if rows < 10 * N_LA {
                    return Err(format!("--rows must be at least {} (10 per LA), got {rows}", 10 * N_LA));
                }
            }
            "--family" => {
                let v = it.next().ok_or(format!("--family needs a value; {usage}"))?;
                family = match v.as_str() {
                    "nb2" => Family::Nb2,
                    "nb1" => Family::Nb1,
                    _ => return Err(format!("--family must be nb2 or nb1, got {v:?}")),
                };
            }
            other if other.starts_with("--") => return Err(format!("unknown option {other:?}; {usage}")),
            other if out.is_none() => out = Some(other.to_string()),
            other => return Err(format!("unexpected argument {other:?}; {usage}")),
        }
    }
    let out = out.ok_or_else(|| usage.to_string())?;
    Ok(Args { out, seed, family, rows })
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
    let data = generate(args.seed, args.family, args.rows);
    if let Err(e) = write_csv(&data, &args.out) {
        eprintln!("could not write {}: {e}", args.out);
        return ExitCode::FAILURE;
    }
    println!("{}", describe(&data, args.seed, args.family));
    println!("wrote {} in {:.3} s", args.out, started.elapsed().as_secs_f64());
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mean_var(xs: &[f64]) -> (f64, f64) {
        let n = xs.len() as f64;
        let m = xs.iter().sum::<f64>() / n;
        (m, xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0))
    }

    #[test]
    fn coefficients_give_the_documented_rate_and_gradient_at_the_centre() {
        let b = |name: &str| BETA.iter().find(|(n, _)| *n == name).map(|(_, v)| *v).unwrap();
        let log_rate = b("(Intercept)") + b("la_imd") * 20.0 + b("gini") * 0.386;
        assert!((log_rate - 150f64.ln()).abs() < 1e-12);
        let gradient = b("imd_z") + b("imd_z:la_imd") * 20.0 + b("imd_z:gini") * 0.386;
        assert!((gradient - 0.5).abs() < 1e-12);
    }

    #[test]
    fn negative_binomial_variances_follow_nb1_and_nb2() {
        let mut rng = Rng::new(3);
        let mu = 5.0;
        let nb2: Vec<f64> = (0..200_000).map(|_| gamma_poisson(&mut rng, THETA, mu) as f64).collect();
        let (m, v) = mean_var(&nb2);
        assert!((m / mu - 1.0).abs() < 0.01);
        assert!((v / (mu + mu * mu / THETA) - 1.0).abs() < 0.03, "NB2 variance {v}");
        let nb1: Vec<f64> = (0..200_000).map(|_| gamma_poisson(&mut rng, mu / PHI, mu) as f64).collect();
        let (m, v) = mean_var(&nb1);
        assert!((m / mu - 1.0).abs() < 0.01);
        assert!((v / (mu * (1.0 + PHI)) - 1.0).abs() < 0.03, "NB1 variance {v}");
    }

    #[test]
    fn generated_data_has_the_documented_structure() {
        let data = generate(7, Family::Nb2, N_LSOA);
        assert_eq!(data.rows.len(), N_LSOA);
        assert_eq!(data.la_codes.len(), N_LA);
        // MSOAs of about 5 LSOAs, nested in LAs.
        assert!((6_400..=6_800).contains(&data.n_msoa), "{} MSOAs", data.n_msoa);
        let mut msoa_la = vec![usize::MAX; data.n_msoa];
        for r in &data.rows {
            assert!(msoa_la[r.msoa] == usize::MAX || msoa_la[r.msoa] == r.la);
            msoa_la[r.msoa] = r.la;
            assert!((100..=800).contains(&r.pop));
        }
        // imd_z is standardised within each LA and la_imd is the LA mean of imd.
        for j in 0..N_LA {
            let z: Vec<f64> = data.rows.iter().filter(|r| r.la == j).map(|r| r.imd_z).collect();
            let (m, v) = mean_var(&z);
            assert!(m.abs() < 1e-5 && (v - 1.0).abs() < 1e-4, "LA {j}: mean {m}, variance {v}");
            let imd: Vec<f64> = data.rows.iter().filter(|r| r.la == j).map(|r| r.imd).collect();
            let (m, _) = mean_var(&imd);
            assert!((m - data.la_imd[j]).abs() <= 5e-4);
        }
    }

    #[test]
    fn arguments_are_checked() {
        let args = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let a = parse_args(&args(&["out.csv", "--seed", "9", "--family", "nb1"])).unwrap();
        assert_eq!((a.out.as_str(), a.seed, a.family, a.rows), ("out.csv", 9, Family::Nb1, N_LSOA));
        assert_eq!(parse_args(&args(&["out.csv", "--rows", "1000000"])).unwrap().rows, 1_000_000);
        assert!(parse_args(&args(&["out.csv", "--rows", "5"])).unwrap_err().contains("at least"));
        assert!(parse_args(&args(&[])).is_err());
        assert!(parse_args(&args(&["out.csv", "--seed", "x"])).unwrap_err().contains("whole number"));
        assert!(parse_args(&args(&["out.csv", "--family", "poisson"])).is_err());
    }
}
