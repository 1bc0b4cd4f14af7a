//! What the sparse-objective benchmarks share (`bench_sparse` natively, `bench_sparse_wasm` in
//! WebAssembly): the benchmark models, a panel of the real LSOAs with synthetic counts, points
//! for an exact spatial field, and the points an evaluation is timed at.

#![allow(dead_code)]

use socgrad::data::read_csv;
use socgrad::design::Design;
use socgrad::formula::{build_design, parse};

/// Where a benchmark model's data come from: the real LA-by-year panel
/// (`tests/reference/sparse/data/la_year_cla.csv`), the LSOA panel over this many years, or
/// this many points with an exponential field over them (one row each).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Panel,
    Lsoa(usize),
    Points(usize),
}

/// A benchmark model: name, data, formula (family nbinom2; for [`Source::Points`] an
/// exponential field over the points is added), parameters to evaluate at, and whether the
/// block-arrow evaluator can take it too.
pub struct Bench {
    pub name: &'static str,
    pub source: Source,
    pub formula: &'static str,
    pub psi: Vec<f64>,
    pub nested: bool,
}

/// The benchmark models: glmmTMB's optimum for the LA-by-year panel, values near the
/// simulation's for the LSOA data.
pub fn models() -> Vec<Bench> {
    let (theta, sd) = (4f64.ln(), |v: f64| v.ln());
    vec![
        Bench {
            name: "LA x year panel, (1|la)+(1|year)",
            source: Source::Panel,
            formula: "cla_at31 ~ scale(imd2019) + offset(log(children_0_17)) + (1 | la_code) + (1 | year)",
            psi: vec![
                -5.017222197600146,
                0.29616785355231817,
                4.490841073249844,
                -1.3582370835297797,
                -2.8007217916329257,
            ],
            nested: false,
        },
        Bench {
            name: "LSOA x 3 years, (1|lsoa)+(1|year)",
            source: Source::Lsoa(3),
            formula: "count ~ imd_z + offset(log(pop)) + (1 | lsoa) + (1 | year)",
            psi: vec![-5.0, 0.3, theta, sd(0.35), sd(0.1)],
            nested: false,
        },
        Bench {
            name: "LSOA x 3 years, (1|la)+(1|msoa)+(1|year)",
            source: Source::Lsoa(3),
            formula: "count ~ imd_z + offset(log(pop)) + (1 | la) + (1 | msoa) + (1 | year)",
            psi: vec![-5.0, 0.3, theta, sd(0.3), sd(0.3), sd(0.1)],
            nested: false,
        },
        Bench {
            name: "national (1|la/msoa)",
            source: Source::Lsoa(1),
            formula: "count ~ imd_z + offset(log(pop)) + (1 | la/msoa)",
            psi: vec![-5.0, 0.3, theta, sd(0.35), sd(0.3)],
            nested: true,
        },
        Bench {
            name: "national (1+imd_z|la)+(1|la:msoa)",
            source: Source::Lsoa(1),
            formula: "count ~ imd_z + offset(log(pop)) + (1 + imd_z | la) + (1 | la:msoa)",
            psi: vec![-5.0, 0.3, theta, sd(0.3), sd(0.1), 0.2, sd(0.3)],
            nested: true,
        },
        Bench {
            name: "exact exponential field, 200 points",
            source: Source::Points(200),
            formula: "count ~ x + offset(log(pop))",
            psi: vec![-3.0, 0.3, theta, sd(0.5), 2f64.ln()],
            nested: false,
        },
        Bench {
            name: "exact exponential field, 1000 points",
            source: Source::Points(1000),
            formula: "count ~ x + offset(log(pop))",
            psi: vec![-3.0, 0.3, theta, sd(0.5), 2f64.ln()],
            nested: false,
        },
    ]
}

/// `n` points in a 20 km square (coordinates in km) as CSV, one row each with a covariate `x`,
/// an exposure `pop` and NB2 counts (theta 4) from `log mu = -3 + 0.3 x + f(point) + log(pop)`,
/// `f` a smooth surface; with the points' coordinates.
pub fn points(n: usize) -> (String, Vec<f64>, Vec<f64>) {
    let mut rng = Rng(31);
    let mut out = String::from("x,pop,count\n");
    let (mut px, mut py) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for _ in 0..n {
        let (xc, yc) = (20.0 * rng.uniform(), 20.0 * rng.uniform());
        let x = rng.normal();
        let pop = (200.0 + 600.0 * rng.uniform()).round();
        let eta = -3.0 + 0.3 * x + 0.5 * (xc / 4.0).sin() * (yc / 5.0).cos() + pop.ln();
        let count = rng.nbinom2(eta.exp(), 4.0);
        out.push_str(&format!("{x:.6},{pop},{count}\n"));
        px.push(xc);
        py.push(yc);
    }
    (out, px, py)
}

/// SplitMix64, for the synthetic counts and the evaluation points.
pub struct Rng(pub u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn uniform(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn normal(&mut self) -> f64 {
        let u = self.uniform().max(1e-300);
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * self.uniform()).cos()
    }

    /// Negative binomial (NB2, size `theta`) by a gamma-Poisson mixture.
    fn nbinom2(&mut self, mu: f64, theta: f64) -> u64 {
        let lambda = mu * self.gamma(theta) / theta;
        if lambda > 30.0 {
            return (lambda + lambda.sqrt() * self.normal()).round().max(0.0) as u64;
        }
        let limit = (-lambda).exp();
        let (mut k, mut p) = (0, self.uniform());
        while p > limit {
            k += 1;
            p *= self.uniform();
        }
        k
    }

    /// Gamma(shape, 1) by Marsaglia and Tsang (shape >= 1).
    fn gamma(&mut self, shape: f64) -> f64 {
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let x = self.normal();
            let v = (1.0 + c * x).powi(3);
            if v > 0.0 && self.uniform().ln() < 0.5 * x * x + d - d * v + d * v.ln() {
                return d * v;
            }
        }
    }
}

/// The design of `formula` on a CSV file's bytes.
pub fn design(csv: &[u8], formula: &str) -> Result<Design, String> {
    let df = read_csv(csv).map_err(|e| e.to_string())?;
    let formula = parse(formula).map_err(|e| e.to_string())?;
    build_design(&df, &formula).map_err(|e| e.to_string())
}

/// The LSOA panel as CSV: every real LSOA of `table` (the bytes of `data/england_lsoa11.csv`:
/// its LA, MSOA, IMD 2019 score and children) observed `years` times, counts NB2 (theta 4)
/// with `log mu = -5 + 0.3 imd_z + u_lsoa + v_msoa + w_la + t_year + log(children)`.
pub fn lsoa_panel(table: &[u8], years: usize) -> Result<String, String> {
    let df = read_csv(table).map_err(|e| e.to_string())?;
    let text = |name: &str| -> Result<Vec<String>, String> {
        let column = df.column(name).ok_or(format!("no column {name} in the LSOA table"))?;
        Ok((0..df.nrows()).map(|i| column.display(i).unwrap_or_default()).collect())
    };
    let number = |name: &str| -> Result<Vec<f64>, String> {
        Ok(text(name)?.iter().map(|v| v.parse::<f64>().unwrap_or(f64::NAN)).collect())
    };
    let (lsoa, msoa, la) = (text("lsoa11_code")?, text("msoa11_code")?, text("la_code")?);
    let (imd, children) = (number("imd2019_score")?, number("children_0_15_mid2015")?);
    let n = lsoa.len();
    let mean = imd.iter().sum::<f64>() / n as f64;
    let sd = (imd.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
    let mut rng = Rng(2024);
    let mut effect = std::collections::HashMap::new();
    let mut draw = |key: &str, sd: f64, rng: &mut Rng| {
        *effect.entry(key.to_string()).or_insert_with(|| sd * rng.normal())
    };
    let mut out = String::from("lsoa,msoa,la,year,imd_z,pop,count\n");
    for t in 0..years {
        let w = 0.1 * (t as f64 - 1.0);
        for i in 0..n {
            let z = (imd[i] - mean) / sd;
            let pop = children[i].max(10.0);
            let eta = -5.0
                + 0.3 * z
                + draw(&lsoa[i], 0.3, &mut rng)
                + draw(&msoa[i], 0.2, &mut rng)
                + draw(&la[i], 0.3, &mut rng)
                + w
                + pop.ln();
            let count = rng.nbinom2(eta.exp(), 4.0);
            out.push_str(&format!("{},{},{},{},{z:.6},{pop},{count}\n", lsoa[i], msoa[i], la[i], 2023 + t));
        }
    }
    Ok(out)
}

/// The point of the `k`-th timed evaluation: `psi` moved by about 1e-3 per parameter, as an
/// optimiser's successive points move.
pub fn nearby(psi: &[f64], rng: &mut Rng, out: &mut [f64]) {
    for (p, base) in out.iter_mut().zip(psi) {
        *p = base + 1e-3 * rng.normal();
    }
}
