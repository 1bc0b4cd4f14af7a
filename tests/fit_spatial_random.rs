//! The spatial field over random shapes: random coordinates (on scales from 1 to 100,000 units,
//! some rows sharing a location), random sd and range, every family, with and without an extra
//! random intercept and a field per group. Each fit is checked for
//! - a gradient of about zero at the optimum;
//! - the same optimum after the rows are shuffled and after the coordinates are translated;
//! - on tiny problems, the objective against a brute-force dense Laplace approximation
//!   (Newton's method on all the effects with dense matrices, `Q = Sigma^-1`).

use nalgebra::{DMatrix, DVector};
use socgrad::data::read_csv;
use socgrad::fit::sparse::{SparseLaplace, SparseModel};
use socgrad::fit::Family;
use socgrad::formula::{build_design, parse};
use socgrad::pipeline::{FitRequest, FittedModel, PreparedModel};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn uniform(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        let u = self.uniform().max(1e-300);
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * self.uniform()).cos()
    }
    fn poisson(&mut self, mu: f64) -> u64 {
        let (l, mut k, mut p) = ((-mu).exp(), 0u64, 1.0);
        loop {
            p *= self.uniform();
            if p <= l {
                return k;
            }
            k += 1;
        }
    }
    fn gamma(&mut self, shape: f64) -> f64 {
        // Marsaglia and Tsang, for shape >= 1 (boosted below 1).
        if shape < 1.0 {
            return self.gamma(shape + 1.0) * self.uniform().powf(1.0 / shape);
        }
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

/// One random data set as CSV text: columns `count, pop, z, grp, px, py, one`.
struct Case {
    csv: String,
    family: Family,
    formula: String,
}

fn case(seed: u64, locations: usize) -> Case {
    let mut rng = Rng(seed);
    let scale = 10f64.powf(5.0 * rng.uniform());
    let family = [Family::Poisson, Family::Nbinom2, Family::Nbinom1][(seed % 3) as usize];
    let per_group = rng.uniform() < 0.3;
    let extra = !per_group && rng.uniform() < 0.5;
    let groups = 3;
    let px: Vec<f64> = (0..locations).map(|_| (rng.uniform() * scale * 1000.0).round() / 1000.0).collect();
    let py: Vec<f64> = (0..locations).map(|_| (rng.uniform() * scale * 1000.0).round() / 1000.0).collect();
    let group: Vec<usize> = (0..locations).map(|l| l % groups).collect();
    let (sd, range) = (0.3 + 0.5 * rng.uniform(), scale * (0.05 + 0.5 * rng.uniform()));
    let sigma = DMatrix::from_fn(locations, locations, |a, b| {
        let same = !per_group || group[a] == group[b];
        let d = (px[a] - px[b]).hypot(py[a] - py[b]);
        if same {
            sd * sd * (-d / range).exp() + if a == b { 1e-10 } else { 0.0 }
        } else {
            0.0
        }
    });
    let l = sigma.cholesky().unwrap().l();
    let u = &l * DVector::from_fn(locations, |_, _| rng.normal());
    let group_effect: Vec<f64> = (0..groups).map(|_| 0.3 * rng.normal()).collect();
    let mut csv = String::from("count,pop,z,grp,px,py,one\n");
    // Some locations get a second row (another year).
    for l in 0..locations {
        let rows = if rng.uniform() < 0.2 { 2 } else { 1 };
        for _ in 0..rows {
            let pop = (200.0 + 600.0 * rng.uniform()).round();
            let z = rng.normal();
            let eta = (pop / 10000.0).ln()
                + 6.0_f64.ln()
                + 0.3 * z
                + u[l]
                + if extra { group_effect[group[l]] } else { 0.0 };
            let mu = eta.exp();
            let mean = match family {
                Family::Poisson => mu,
                Family::Nbinom2 => mu * rng.gamma(8.0) / 8.0,
                Family::Nbinom1 => {
                    let phi = 0.5;
                    rng.gamma(mu / phi) * phi
                }
                Family::Binomial(_) => panic!("the random spatial shapes are drawn for count families"),
            };
            let y = rng.poisson(mean);
            csv.push_str(&format!("{y},{pop},{z:.6},G{},{},{},1\n", group[l], px[l], py[l]));
        }
    }
    let field = if per_group { "exp(pos(px, py) + 0 | grp)" } else { "exp(pos(px, py) + 0 | one)" };
    let formula =
        format!("count ~ z + offset(log(pop)) + {field}{}", if extra { " + (1 | grp)" } else { "" });
    Case { csv, family, formula }
}

fn fit_csv(csv: &str, formula: &str, family: Family) -> FittedModel {
    let df = read_csv(csv.as_bytes()).unwrap();
    PreparedModel::new(&df, &FitRequest::new(formula, family))
        .unwrap_or_else(|e| panic!("{formula}: {e}"))
        .fit(&mut |_| {})
        .unwrap_or_else(|e| panic!("{formula}: {e}"))
}

/// The same rows in another order.
fn shuffled(csv: &str, seed: u64) -> String {
    let mut lines: Vec<&str> = csv.lines().collect();
    let header = lines.remove(0);
    let mut rng = Rng(seed);
    for i in (1..lines.len()).rev() {
        let j = (rng.next() % (i as u64 + 1)) as usize;
        lines.swap(i, j);
    }
    let mut out = format!("{header}\n");
    for l in lines {
        out.push_str(l);
        out.push('\n');
    }
    out
}

/// The coordinates moved by `(dx, dy)`.
fn translated(csv: &str, dx: f64, dy: f64) -> String {
    let mut out = String::new();
    for (i, line) in csv.lines().enumerate() {
        if i == 0 {
            out.push_str(line);
        } else {
            let mut cells: Vec<String> = line.split(',').map(str::to_owned).collect();
            cells[4] = format!("{}", cells[4].parse::<f64>().unwrap() + dx);
            cells[5] = format!("{}", cells[5].parse::<f64>().unwrap() + dy);
            out.push_str(&cells.join(","));
        }
        out.push('\n');
    }
    out
}

fn field_of(m: &FittedModel) -> (f64, f64) {
    let r = m.fit.random.iter().find(|r| r.field.is_some()).unwrap();
    (r.sd[0], r.field.as_ref().unwrap().range)
}

#[test]
fn random_fields_reach_an_optimum_that_ignores_row_order_and_translation() {
    let mut checked = 0;
    for seed in 1..=9u64 {
        let c = case(seed, 25 + (seed as usize * 7) % 30);
        let m = fit_csv(&c.csv, &c.formula, c.family);
        let id = format!("seed {seed} ({}, {})", c.formula, c.family.name());
        if !m.fit.converged || m.fit.singular {
            println!("{id}: singular or not converged, gradient not checked");
        } else {
            assert!(
                m.fit.max_abs_gradient < 1e-2,
                "{id}: gradient {} at the optimum",
                m.fit.max_abs_gradient
            );
            checked += 1;
        }
        let (sd, range) = field_of(&m);
        for (what, other) in [
            ("shuffled", fit_csv(&shuffled(&c.csv, seed), &c.formula, c.family)),
            ("translated", fit_csv(&translated(&c.csv, 123_456.5, -7_890.25), &c.formula, c.family)),
        ] {
            let (sd2, range2) = field_of(&other);
            assert!(
                (other.fit.loglik - m.fit.loglik).abs() < 1e-5,
                "{id} {what}: logLik {} vs {}",
                other.fit.loglik,
                m.fit.loglik
            );
            assert!((sd2 - sd).abs() < 1e-3 * sd.max(1e-2), "{id} {what}: sd {sd2} vs {sd}");
            assert!((range2 - range).abs() < 1e-2 * range, "{id} {what}: range {range2} vs {range}");
            for (a, b) in m.fit.beta.iter().zip(&other.fit.beta) {
                assert!((a - b).abs() < 1e-4, "{id} {what}: beta {b} vs {a}");
            }
        }
        println!("{id}: logLik {:.4}, sd {sd:.4}, range {range:.4}", m.fit.loglik);
    }
    assert!(checked >= 5, "only {checked} fits were regular");
}

/// The Laplace approximation by brute force: dense `Q = Sigma^-1`, Newton's method on all the
/// effects, `sum l_i - b'Qb/2 + ln|Q|/2 - ln|H|/2` (Poisson).
fn dense_laplace(y: &[f64], eta0: &[f64], index: &[usize], sigma: &DMatrix<f64>) -> f64 {
    let m = sigma.nrows();
    let q = sigma.clone().try_inverse().unwrap();
    let mut b = DVector::zeros(m);
    let assemble = |b: &DVector<f64>| {
        let mut g = -(&q * b);
        let mut h = q.clone();
        let mut l = 0.0;
        for (i, &yi) in y.iter().enumerate() {
            let eta = eta0[i] + b[index[i]];
            let mu = eta.exp();
            l += yi * eta - mu - (1..=yi as u64).map(|k| (k as f64).ln()).sum::<f64>();
            g[index[i]] += yi - mu;
            h[(index[i], index[i])] += mu;
        }
        (l - 0.5 * b.dot(&(&q * b)), g, h)
    };
    for _ in 0..100 {
        let (_, g, h) = assemble(&b);
        let step = h.cholesky().unwrap().solve(&g);
        b += &step;
        if step.norm() < 1e-13 {
            break;
        }
    }
    let (value, _, h) = assemble(&b);
    value + 0.5 * q.determinant().ln() - 0.5 * h.determinant().ln()
}

#[test]
fn the_exact_field_objective_equals_a_brute_force_dense_laplace_approximation() {
    for seed in 0..6u64 {
        let mut rng = Rng(100 + seed);
        let n = 4 + (seed as usize % 4);
        let mut csv = String::from("count,pop,z,px,py,one\n");
        let (mut px, mut py) = (Vec::new(), Vec::new());
        for i in 0..n {
            let (x, y) = (rng.uniform() * 10.0, rng.uniform() * 10.0);
            px.push(x);
            py.push(y);
            let rows = 1 + (i % 2);
            for _ in 0..rows {
                csv.push_str(&format!("{},{},{:.4},{x},{y},1\n", rng.poisson(8.0), 500, rng.normal()));
            }
        }
        let df = read_csv(csv.as_bytes()).unwrap();
        let formula = parse("count ~ z + offset(log(pop)) + exp(pos(px, py) + 0 | one)").unwrap();
        let d = build_design(&df, &formula).unwrap();
        let model = SparseModel::from_design(&d, &[0, 1]).unwrap();
        let mut la = SparseLaplace::new(&model, Family::Poisson).unwrap();
        let psi = [
            -4.0 + rng.normal() * 0.1,
            0.1 * rng.normal(),
            (0.5 * rng.uniform() + 0.2f64).ln(),
            (1.0 + 4.0 * rng.uniform()).ln(),
        ];
        let mut grad = vec![0.0; 4];
        let value = la.evaluate(&psi, &mut grad).unwrap();
        let field = d.random[0].field.as_ref().unwrap();
        let (sd, range) = (psi[2].exp(), psi[3].exp());
        let sigma = DMatrix::from_fn(field.len(), field.len(), |a, b| {
            sd * sd * (-(field.x[a] - field.x[b]).hypot(field.y[a] - field.y[b]) / range).exp()
        });
        let eta0: Vec<f64> = (0..d.y.len()).map(|i| d.offset[i] + psi[0] + psi[1] * d.x[(i, 1)]).collect();
        let brute = dense_laplace(&d.y, &eta0, &d.random[0].index, &sigma);
        assert!((value - brute).abs() < 1e-8, "seed {seed}: {value} vs brute force {brute}");
        // The gradient against central differences of the value.
        for k in 0..4 {
            let h = 1e-5;
            let (mut up, mut down) = (psi, psi);
            up[k] += h;
            down[k] -= h;
            let mut g = vec![0.0; 4];
            let fd = (la.evaluate(&up, &mut g).unwrap() - la.evaluate(&down, &mut g).unwrap()) / (2.0 * h);
            assert!(
                (fd - grad[k]).abs() < 1e-5 * (1.0 + fd.abs()),
                "seed {seed} parameter {k}: {} vs {fd}",
                grad[k]
            );
        }
    }
}
