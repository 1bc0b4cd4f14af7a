//! The checks an analyst runs before trusting a fitted model, each with a one-sentence reading:
//! uniformity of the scaled residuals (Kolmogorov-Smirnov), dispersion, zero inflation, and,
//! when the file has neighbourhood coordinates, spatial autocorrelation of the residuals
//! (Moran's I), plus the points of the QQ plot and of the residuals against the fitted values.

use super::coordinates::{find_coordinates, planar_points, CoordinateColumns};
use super::kolmogorov::{ks_uniform, KsTest};
use super::moran::{moran_knn, MoranTest, DEFAULT_NEIGHBOURS};
use super::residuals::{simulate_zero_inflated_residuals, SimulationTest};
use crate::data::DataFrame;
use crate::fit::{Family, Fit};
use serde::{Deserialize, Serialize};
use std::fmt;

/// How to check: the number of simulations and the seed. Deserialises from
/// `{"simulations": 250, "seed": 1}`; both optional.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CheckOptions {
    pub simulations: usize,
    pub seed: u64,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions { simulations: 250, seed: 1 }
    }
}

/// Limits on the number of simulations.
pub const SIMULATIONS: (usize, usize) = (10, 10_000);

/// Why a model cannot be checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckError {
    pub message: String,
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot check the model: {}", self.message)
    }
}

impl std::error::Error for CheckError {}

/// A test with its reading in plain words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Read<T> {
    #[serde(flatten)]
    pub test: T,
    pub reading: String,
}

/// Moran's I of the scaled residuals, with the columns that gave the coordinates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpatialCheck {
    pub columns: CoordinateColumns,
    /// Rows with coordinates (rows without are left out of this test).
    pub rows_used: usize,
    #[serde(flatten)]
    pub moran: Read<MoranTest>,
}

/// Residuals against fitted values, summarised in groups of rows with similar fitted values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FittedBin {
    /// Middle of the group on the rank scale of the fitted values (0 to 1).
    pub rank: f64,
    /// Quartiles of the residuals in the group (0.25, 0.5, 0.75 under the model).
    pub quartiles: [f64; 3],
}

/// Everything the check reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelCheck {
    pub simulations: usize,
    pub seed: u64,
    /// How the data sets were simulated, in words.
    pub simulation: String,
    /// Scaled residual of every row used by the model, in row order (0 to 1).
    pub residuals: Vec<f64>,
    pub uniformity: Read<KsTest>,
    pub dispersion: Read<SimulationTest>,
    pub zero_inflation: Read<SimulationTest>,
    pub spatial: Option<SpatialCheck>,
    /// Why there is no spatial check, when there is none.
    pub spatial_note: Option<String>,
    /// QQ plot points `[expected, observed]` quantile (at most [`PLOT_POINTS`]).
    pub qq: Vec<[f64; 2]>,
    /// Points `[rank of fitted value, residual]` (at most [`PLOT_POINTS`], evenly spread over
    /// the ranks).
    pub versus_fitted: Vec<[f64; 2]>,
    pub fitted_bins: Vec<FittedBin>,
}

/// Most points drawn in each plot.
pub const PLOT_POINTS: usize = 2000;
/// Groups of fitted values in [`ModelCheck::fitted_bins`].
const BINS: usize = 10;
const ALPHA: f64 = 0.05;

/// `p = 0.042` or `p < 0.001`.
pub fn p_text(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".into()
    } else {
        format!("p = {p:.3}")
    }
}

/// Checks `fit`, fitted to the rows `rows` (0-based data rows of `df`, in the order of the
/// fit's observations) with counts `y`.
pub fn check_model(
    df: &DataFrame,
    rows: &[usize],
    y: &[f64],
    trials: Option<&[f64]>,
    fit: &Fit,
    options: &CheckOptions,
) -> Result<ModelCheck, CheckError> {
    let fail = |message: String| Err(CheckError { message });
    if !(SIMULATIONS.0..=SIMULATIONS.1).contains(&options.simulations) {
        return fail(format!(
            "the number of simulations must be between {} and {}, got {}",
            SIMULATIONS.0, SIMULATIONS.1, options.simulations
        ));
    }
    if y.len() != fit.fitted.len() || rows.len() != y.len() || y.is_empty() {
        return fail("the fit and the data do not have the same rows".into());
    }
    if let Some(i) = fit.fitted.iter().position(|m| !(m.is_finite() && *m >= 0.0)) {
        return fail(format!("the fitted mean of data row {} is not a finite number", rows[i] + 1));
    }
    if trials.is_some_and(|t| t.len() != y.len()) {
        return fail("the fit and the data do not have the same rows".into());
    }
    let dispersion = match (fit.family, fit.dispersion) {
        (Family::Poisson | Family::Binomial(_), _) => 1.0,
        (_, Some(d)) if d.is_finite() && d > 0.0 => d,
        _ => return fail("the fitted dispersion is not a positive number".into()),
    };
    let zero_probability = fit.zi.as_ref().map_or(&[][..], |z| &z.probability[..]);
    let sim = simulate_zero_inflated_residuals(
        y,
        trials,
        &fit.fitted,
        zero_probability,
        fit.family,
        dispersion,
        options.simulations,
        options.seed,
    );
    let binomial = fit.family.is_binomial();
    let dispersion_text = if binomial && trials.is_none() {
        "A 0/1 response cannot show overdispersion row by row, so the dispersion test says little here; \
         a random effect for the groups is how such data vary more than the model expects."
            .to_owned()
    } else {
        dispersion_reading(&sim.dispersion)
    };
    let zero_text = if binomial {
        "The zero-inflation test is for counts; it does not apply to a binomial model (successes out of trials)."
            .to_owned()
    } else {
        zero_reading(&sim.zero_inflation)
    };
    let ks = ks_uniform(&sim.residuals).ok_or_else(|| CheckError { message: "no rows to check".into() })?;
    let spatial_field = fit.random.iter().any(|r| r.field.is_some());
    let (spatial, spatial_note) = match spatial_check(df, rows, &sim.residuals, spatial_field) {
        Ok(s) => (Some(s), None),
        Err(note) => (None, Some(note)),
    };
    Ok(ModelCheck {
        simulations: options.simulations,
        seed: options.seed,
        simulation: format!(
            "{} data sets simulated from the fitted model, conditional on the estimated random effects \
             ({}), seed {}",
            options.simulations,
            if binomial {
                "binomial draws from each row's trials and fitted probability"
            } else if fit.zi.is_some() {
                "each row's fitted mean, its probability of a structural zero and the estimated dispersion"
            } else {
                "each row's fitted mean and the estimated dispersion"
            },
            options.seed
        ),
        uniformity: Read { reading: uniformity_reading(&ks), test: ks },
        dispersion: Read { reading: dispersion_text, test: sim.dispersion },
        zero_inflation: Read { reading: zero_text, test: sim.zero_inflation },
        spatial,
        spatial_note,
        qq: qq_points(&sim.residuals),
        versus_fitted: versus_fitted(&fit.fitted, &sim.residuals),
        fitted_bins: fitted_bins(&fit.fitted, &sim.residuals),
        residuals: sim.residuals,
    })
}

/// Moran's I of the residuals; `spatial_field`: the model has a spatial field, so the reading
/// says whether autocorrelation remains after it.
fn spatial_check(
    df: &DataFrame,
    rows: &[usize],
    residuals: &[f64],
    spatial_field: bool,
) -> Result<SpatialCheck, String> {
    let columns = find_coordinates(df).ok_or_else(|| {
        "no coordinate columns (easting/northing, x/y, longitude/latitude or lon/lat): no spatial check"
            .to_owned()
    })?;
    let points = planar_points(df, &columns, rows);
    let (mut x, mut y, mut r) = (Vec::new(), Vec::new(), Vec::new());
    for (p, &res) in points.iter().zip(residuals) {
        if let Some((a, b)) = p {
            x.push(*a);
            y.push(*b);
            r.push(res);
        }
    }
    let mut places: Vec<(u64, u64)> = x.iter().zip(&y).map(|(a, b)| (a.to_bits(), b.to_bits())).collect();
    places.sort_unstable();
    places.dedup();
    if places.len() <= DEFAULT_NEIGHBOURS && x.len() > places.len() {
        return Err(format!(
            "the coordinates in '{}' and '{}' mark only {} distinct place{} for {} rows, too few for a spatial \
             test (Moran's I compares each row with its {DEFAULT_NEIGHBOURS} nearest neighbours): no spatial check",
            columns.x,
            columns.y,
            places.len(),
            if places.len() == 1 { "" } else { "s" },
            x.len()
        ));
    }
    let moran = moran_knn(&x, &y, &r, DEFAULT_NEIGHBOURS).ok_or_else(|| {
        format!("Moran's I needs at least 4 rows with coordinates in '{}' and '{}'", columns.x, columns.y)
    })?;
    Ok(SpatialCheck {
        columns,
        rows_used: x.len(),
        moran: Read { reading: moran_reading(&moran, spatial_field), test: moran },
    })
}

fn uniformity_reading(t: &KsTest) -> String {
    if t.p_value < ALPHA {
        format!(
            "The residuals are not spread as the model expects (KS test D = {:.3}, {}): the model's \
             distribution does not match the counts; the QQ plot and the plot against fitted values show where.",
            t.statistic,
            p_text(t.p_value)
        )
    } else {
        format!(
            "The residuals are spread as the model expects (KS test D = {:.3}, {}): no sign that the \
             model's distribution is wrong.",
            t.statistic,
            p_text(t.p_value)
        )
    }
}

fn dispersion_reading(t: &SimulationTest) -> String {
    let stats = format!("ratio {:.2}, {}", t.ratio, p_text(t.p_value));
    if t.p_value >= ALPHA {
        format!(
            "The counts vary as much as the model expects ({stats}): no sign of over- or underdispersion."
        )
    } else if t.ratio > 1.0 {
        format!(
            "The counts vary more than the model expects ({stats}): overdispersion, so standard errors are \
             too small; try a negative binomial family or a random effect for smaller areas."
        )
    } else {
        format!(
            "The counts vary less than the model expects ({stats}): underdispersion, so standard errors are \
             too wide; try a simpler random-effect structure or the NB1 family."
        )
    }
}

fn zero_reading(t: &SimulationTest) -> String {
    let stats = format!("{} observed, {:.1} expected, {}", t.observed, t.simulated_mean, p_text(t.p_value));
    if t.p_value >= ALPHA {
        format!("The number of zero counts is what the model expects ({stats}).")
    } else if t.observed > t.simulated_mean {
        format!(
            "There are more zero counts than the model expects ({stats}): zero inflation; check for areas \
             where the service records nothing, or try a negative binomial family."
        )
    } else {
        format!(
            "There are fewer zero counts than the model expects ({stats}): the model's distribution is too \
             wide at the low end; try the Poisson or NB1 family."
        )
    }
}

fn moran_reading(t: &MoranTest, spatial_field: bool) -> String {
    let stats = format!("Moran's I = {:.3}, expected {:.3}, {}", t.observed, t.expected, p_text(t.p_value));
    if spatial_field && t.p_value >= ALPHA {
        format!(
            "With the model's spatial field, residuals of neighbouring areas are no more alike than chance \
             ({stats}): no spatial autocorrelation remains."
        )
    } else if spatial_field && t.observed > t.expected {
        format!(
            "Spatial autocorrelation remains after the model's spatial field: residuals of neighbouring areas \
             are still alike ({stats}), so standard errors may be too small; the field's range or the \
             coordinates may not match how the counts cluster."
        )
    } else if t.p_value >= ALPHA {
        format!("Residuals of neighbouring areas are no more alike than chance ({stats}).")
    } else if t.observed > t.expected {
        format!(
            "Residuals of neighbouring areas are alike ({stats}): spatial autocorrelation, as Webb et al. \
             (2020) report, so standard errors may be too small; a random effect for a smaller area (MSOA) \
             can take some of it up."
        )
    } else {
        format!("Residuals of neighbouring areas differ more than chance would make them ({stats}).")
    }
}

/// Indices `0..n` thinned to at most [`PLOT_POINTS`], evenly spread.
fn thinned(n: usize) -> impl Iterator<Item = usize> {
    let m = n.min(PLOT_POINTS);
    (0..m).map(move |k| if m == n { k } else { k * (n - 1) / (m - 1).max(1) })
}

fn qq_points(residuals: &[f64]) -> Vec<[f64; 2]> {
    let mut sorted = residuals.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len() as f64;
    thinned(sorted.len()).map(|i| [(i as f64 + 0.5) / n, sorted[i]]).collect()
}

/// Row indices ordered by fitted value (ties by row).
fn fitted_order(fitted: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..fitted.len()).collect();
    order.sort_by(|&a, &b| fitted[a].total_cmp(&fitted[b]).then(a.cmp(&b)));
    order
}

fn rank_scale(k: usize, n: usize) -> f64 {
    if n > 1 {
        k as f64 / (n - 1) as f64
    } else {
        0.5
    }
}

fn versus_fitted(fitted: &[f64], residuals: &[f64]) -> Vec<[f64; 2]> {
    let order = fitted_order(fitted);
    let n = order.len();
    thinned(n).map(|k| [rank_scale(k, n), residuals[order[k]]]).collect()
}

/// Quantile of sorted values by R's default (type 7) interpolation.
fn quantile(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

fn fitted_bins(fitted: &[f64], residuals: &[f64]) -> Vec<FittedBin> {
    let order = fitted_order(fitted);
    let n = order.len();
    let bins = BINS.min(n / 20).max(1);
    (0..bins)
        .map(|b| {
            let (lo, hi) = (b * n / bins, (b + 1) * n / bins);
            let mut r: Vec<f64> = order[lo..hi].iter().map(|&i| residuals[i]).collect();
            r.sort_by(f64::total_cmp);
            FittedBin {
                rank: rank_scale((lo + hi - 1) / 2, n),
                quartiles: [quantile(&r, 0.25), quantile(&r, 0.5), quantile(&r, 0.75)],
            }
        })
        .collect()
}
