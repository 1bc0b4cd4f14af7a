//! The spatial field of the national sample: a zero-mean Gaussian field `u` over the
//! neighbourhoods' centroids with `var(u_i) = sd^2` and exponential correlation
//! `cor(u_i, u_j) = exp(-d_ij / range)`, `d_ij` the distance between centroids in metres (the
//! covariance of Webb et al. 2020's spatial random effects, and of the engine's
//! `exp(pos(x, y) + 0 | g)` term). It is added to each neighbourhood's log rate, so that the
//! Moran's I check finds spatial autocorrelation and the spatial model has a field to recover.

use super::{SampleError, Value};
use crate::fit::sparse::NngpField;

/// The field's standard deviation and range (metres).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldSpec {
    pub sd: Value,
    pub range: Value,
}

/// The field of the national sample: SD 0.3 on the log-rate scale, range 5 km.
pub fn england_field() -> FieldSpec {
    FieldSpec {
        sd: Value::chosen(
            0.3,
            "about the size of the MSOA variation Webb et al. 2020 report; they publish no SD for the spatial effects",
        ),
        range: Value::chosen(
            5000.0,
            "neighbourhoods a few kilometres apart share their unexplained variation; Webb et al. 2020 publish no range",
        ),
    }
}

/// A way to draw the field: `draw(points, sd, range, seed)` returns one value per point, the
/// same for the same seed.
pub type FieldSampler = fn(&[[f64; 2]], f64, f64, u64) -> Result<Vec<f64>, String>;

/// Neighbours each point is conditioned on when the field is drawn.
pub const SAMPLER_NEIGHBOURS: usize = 20;

/// Draws the field with the engine's nearest-neighbour Gaussian process
/// ([`NngpField::simulate`], [`SAMPLER_NEIGHBOURS`] neighbours): each point, in a maximin
/// ordering, given its nearest earlier points, which for a few tens of neighbours is a close
/// approximation of a draw from the exact field, in time linear in the points.
pub fn nngp_sampler(points: &[[f64; 2]], sd: f64, range: f64, seed: u64) -> Result<Vec<f64>, String> {
    let x = points.iter().map(|p| p[0]).collect();
    let y = points.iter().map(|p| p[1]).collect();
    NngpField::new(x, y, SAMPLER_NEIGHBOURS)?.simulate(sd, range, seed)
}

/// Draws the field of `spec` at `points` (metres) with `sampler` and `seed`.
pub fn draw_field(
    spec: &FieldSpec,
    points: &[[f64; 2]],
    sampler: FieldSampler,
    seed: u64,
) -> Result<Vec<f64>, SampleError> {
    let u = sampler(points, spec.sd.value, spec.range.value, seed)
        .map_err(|e| SampleError { message: format!("the spatial field could not be drawn: {e}") })?;
    if u.len() != points.len() || u.iter().any(|v| !v.is_finite()) {
        return Err(SampleError { message: "the spatial field could not be drawn: it is not finite".into() });
    }
    Ok(u)
}

/// The empirical semivariogram of `values` at `points`: for each bin `[k w, (k + 1) w)` of
/// distance (`k < bins`), the mean distance and `γ = mean (u_i - u_j)^2 / 2` over the pairs in
/// it, and their number. For an exponential field `γ(h) = sd^2 (1 - exp(-h / range))`.
pub fn semivariogram(points: &[[f64; 2]], values: &[f64], width: f64, bins: usize) -> Vec<(f64, f64, usize)> {
    let max = width * bins as f64;
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by(|&a, &b| points[a][0].total_cmp(&points[b][0]));
    let mut sums = vec![(0.0, 0.0, 0usize); bins];
    for (k, &i) in order.iter().enumerate() {
        for &j in &order[k + 1..] {
            let dx = points[j][0] - points[i][0];
            if dx >= max {
                break;
            }
            let d = dx.hypot(points[j][1] - points[i][1]);
            if d < max {
                let b = &mut sums[(d / width) as usize];
                b.0 += d;
                b.1 += 0.5 * (values[i] - values[j]).powi(2);
                b.2 += 1;
            }
        }
    }
    sums.into_iter().map(|(d, g, n)| (d / n.max(1) as f64, g / n.max(1) as f64, n)).collect()
}
