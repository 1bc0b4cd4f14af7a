//! An LA's Gini coefficient from household incomes in bands, as Webb et al. (2020) estimated the
//! LA Gini coefficients of their models: "income inequality estimates were based on 1,000
//! bootstraps of a simulation algorithm that extrapolates income distributions from detailed
//! summary statistics of household income in bands of £5,000, iteratively adjusted for skew at
//! the positive tail of income distributions. Gini coefficients ... were then calculated based on
//! these simulated income distributions." Gini coefficients are not published for LAs; an LA
//! analyst may have such bands (commercial income data, or their own survey).
//!
//! The choices made here:
//! - **Within a band** the density is linear, not flat: through the band's average density at
//!   its middle, sloping to join the averages of the bands on either side (kept at or above zero),
//!   so that the bands' means follow the distribution's skew.
//! - **The open top band** ("£150,000 and over", from `L`) holds a tail whose skew comes from the
//!   bands below it: with `S(x)` the share of households at or above `x` and `u = ln(x / L)`,
//!   `ln S(x) = ln S(L) - alpha u - c u^2 / 2`, fitted to the lower limits of the ten highest closed
//!   bands (and of any lower band with at most 10% of households above it). `c = 0` is a Pareto tail (`P(X > x) ∝ x^-alpha`); a positive `c`, kept only when it
//!   is more than twice its standard error, is the thinner tail of a lognormal-like
//!   distribution, whose index grows with income. A Pareto tail that starts just below the open
//!   band is masked in that fit by the bands below it, so the four highest closed bands are also
//!   given a Pareto index of their own, by maximum likelihood on their counts and the open band's;
//!   when it is lower (a heavier tail) than the fitted curve's average index over the same bands by
//!   more than three standard errors, the tail is that Pareto tail. When the mean household income is known, the
//!   tail is instead the Pareto one that gives that mean (`alpha = m / (m - L)`, `m` the mean the
//!   top band must have). A Pareto index is kept at 1.2 or more (a finite mean).
//! - **The Gini coefficient** is that of the distribution these incomes make, computed exactly: the
//!   value a simulation of incomes within the bands tends to as it draws more of them, without
//!   simulation noise. With weights `w_k`, means `m_k` and mean absolute differences `D_k` of the
//!   bands (`(b - a) / 3` for an even band, `2 m / (2 alpha - 1)` for the Pareto tail) and
//!   bands that do not overlap, `G = (sum_k w_k^2 D_k + 2 sum_{j<k} w_j w_k (m_k - m_j)) / (2 m)`.
//! - **The interval** is the 2.5% and 97.5% percentiles of 1,000 bootstrap replicates, each
//!   with band counts drawn as Poisson(n p_k) (the Poisson bootstrap, which stands in for
//!   resampling n households) and its own tail: the sampling uncertainty of a survey of n
//!   households, n the total of the counts unless the survey size is given. It does not cover
//!   the choice of shape within the bands.
//!
//! `tests/gini_bands.rs` checks the estimate against the exact Gini coefficients of incomes
//! simulated from lognormal and Pareto-tailed distributions and counted in £5,000 bands.

pub mod bands;

use serde::{Deserialize, Serialize};

pub use bands::{read_bands, Band, BandError};

use crate::random::Rng;

/// The smallest tail index used: below it a Pareto tail has no finite mean worth the name.
pub const MIN_ALPHA: f64 = 1.2;
/// Bootstrap replicates unless asked otherwise.
pub const REPLICATES: usize = 1000;

/// What the page or a script asks for.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct GiniRequest {
    /// The bands as pasted: one per line, lower limit, upper limit, households.
    pub bands: String,
    /// The mean household income, when known: it sets the top band's tail.
    #[serde(default)]
    pub mean_income: Option<f64>,
    /// How many households the counts come from, when they are estimates from a survey of that
    /// size (the bootstrap's sample size); the total of the counts when absent.
    #[serde(default)]
    pub sample_size: Option<f64>,
    #[serde(default)]
    pub replicates: Option<usize>,
    #[serde(default)]
    pub seed: Option<u64>,
}

/// How the top band's tail was set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TailMethod {
    /// From the bands below it (Pareto interpolation).
    Interpolated,
    /// To give the mean income the user gave.
    MatchedMean,
    /// Raised to [`MIN_ALPHA`]: the bands put more households at the top than a Pareto tail with a
    /// finite mean can hold.
    Floored,
}

/// The Pareto tail of the open top band.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TailFit {
    /// Its lower limit.
    pub from: f64,
    /// The tail index at `from` (the Pareto index when the curvature is 0).
    pub alpha: f64,
    /// How fast the index grows with log income (0: a Pareto tail).
    pub curvature: f64,
    /// Its households' mean income.
    pub mean: f64,
    pub method: TailMethod,
}

/// The estimate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GiniEstimate {
    pub gini: f64,
    /// 95% bootstrap interval.
    pub ci_low: f64,
    pub ci_high: f64,
    pub households: f64,
    pub bands: usize,
    /// The mean income of the fitted distribution.
    pub mean_income: f64,
    pub tail: Option<TailFit>,
    pub replicates: usize,
    /// The sample size the bootstrap assumed.
    pub sample_size: f64,
    pub seed: u64,
    /// The choices made, in words.
    pub method: Vec<String>,
    pub warnings: Vec<String>,
}

/// One part of the fitted distribution: a closed band, or the tail above the open band's limit.
#[derive(Debug, Clone, Copy)]
enum Part {
    /// Incomes in `[lower, upper]` with density falling or rising linearly: `f(x) = (d + s (x - m))`
    /// per household of the band, `m` the middle, `d = 1 / (upper - lower)`, `|s| <= 2 d / width`.
    Band { lower: f64, upper: f64, slope: f64, weight: f64 },
    /// Incomes `L e^t`, `t >= 0`, with `P(T > t) = exp(-alpha t - curvature t^2 / 2)`: a Pareto tail
    /// when the curvature is 0, a thinner (lognormal-like) one when it is positive.
    Tail { from: f64, alpha: f64, curvature: f64, weight: f64 },
}

/// `(mean, mean absolute difference)` of the tail, by Simpson's rule on `t` (closed forms for a
/// Pareto tail): `E X = L (1 + int e^t G)`, `E|X - Y| = 2 L int e^t G (1 - G)`, `G(t) = P(T > t)`.
fn tail_moments(from: f64, alpha: f64, curvature: f64) -> (f64, f64) {
    if curvature <= 0.0 {
        let mean = alpha * from / (alpha - 1.0);
        return (mean, 2.0 * mean / (2.0 * alpha - 1.0));
    }
    let g = |t: f64| (-alpha * t - curvature * t * t / 2.0).exp();
    // Integrate until e^t G(t) is negligible: the root of (1 - alpha) t - c t^2 / 2 = -40, written
    // so that it loses no digits when c is small.
    let a1 = alpha - 1.0;
    let end = (80.0 / (a1 + (a1 * a1 + 80.0 * curvature).sqrt())).min(200.0);
    let steps = 2000;
    let h = end / steps as f64;
    let (mut first, mut second) = (0.0, 0.0);
    for i in 0..=steps {
        let t = i as f64 * h;
        let w = if i == 0 || i == steps {
            1.0
        } else if i % 2 == 1 {
            4.0
        } else {
            2.0
        };
        let (e, gt) = (t.exp(), g(t));
        first += w * e * gt;
        second += w * e * gt * (1.0 - gt);
    }
    (from * (1.0 + first * h / 3.0), 2.0 * from * second * h / 3.0)
}

impl Part {
    fn weight(self) -> f64 {
        match self {
            Part::Band { weight, .. } | Part::Tail { weight, .. } => weight,
        }
    }

    /// `(mean, mean absolute difference)` of two incomes drawn from this part. For the band,
    /// with `f(x) = p + q x` on `[0, h]`: `E|X - Y| = p^2 h^3 / 3 + p q h^4 / 3 + q^2 h^5 / 15`.
    fn moments(self) -> (f64, f64) {
        match self {
            Part::Band { lower, upper, slope, .. } => {
                let h = upper - lower;
                let d = 1.0 / h;
                let mean = (lower + upper) / 2.0 + slope * h * h / (12.0 * d);
                let (p, q) = (d - slope * h / 2.0, slope);
                (mean, p * p * h.powi(3) / 3.0 + p * q * h.powi(4) / 3.0 + q * q * h.powi(5) / 15.0)
            }
            Part::Tail { from, alpha, curvature, .. } => tail_moments(from, alpha, curvature),
        }
    }
}

/// The closed bands' densities: linear within each band, through its average density at its
/// middle, with a slope that joins the averages of its neighbours (one side at the first and
/// last band), kept small enough that the density stays at or above zero.
fn closed_parts(bands: &[Band], counts: &[f64], total: f64) -> Vec<Part> {
    let closed: Vec<(f64, f64, f64)> =
        bands.iter().zip(counts).filter_map(|(b, &n)| b.upper.map(|u| (b.lower, u, n / total))).collect();
    let density = |k: usize| closed[k].2 / (closed[k].1 - closed[k].0);
    let middle = |k: usize| (closed[k].0 + closed[k].1) / 2.0;
    (0..closed.len())
        .map(|k| {
            let (lower, upper, weight) = closed[k];
            let (left, right) = (k.saturating_sub(1), (k + 1).min(closed.len() - 1));
            let slope_all = if right > left {
                (density(right) - density(left)) / (middle(right) - middle(left))
            } else {
                0.0
            };
            let h = upper - lower;
            // Per household of the band, and no steeper than a density reaching zero at an edge.
            let d = 1.0 / h;
            let slope = if weight > 0.0 { slope_all / weight } else { 0.0 };
            let limit = 2.0 * d / h;
            Part::Band { lower, upper, slope: slope.clamp(-limit, limit), weight }
        })
        .collect()
}

/// How many of the highest closed bands the tail's shape is fitted to.
const TAIL_WINDOW: usize = 10;
/// The tail is also fitted to every closed band above which at most this share of households lie.
const TAIL_SHARE: f64 = 0.1;

/// The tail's index and curvature from the shares above the top boundaries: the weighted least
/// squares fit of `ln S(x) - ln S(L) = -alpha u - curvature u^2 / 2`, `u = ln(x / L)`, over the
/// lower limits of the (up to) ten highest closed bands (more when fewer than 10% of households
/// lie above the tenth), each weighted by the inverse of the
/// sampling variance of `ln S(x)`, `S / (1 - S)` (times the number of households). A curvature
/// less than twice its standard error is taken as 0 (a Pareto tail, `alpha` fitted alone), so
/// that noise in thin top bands does not make up a thin tail.
fn tail_shape(bands: &[Band], counts: &[f64], total: f64) -> Option<(f64, f64)> {
    let closed = bands.len() - 1;
    let from = bands[closed].lower;
    let share_top = counts[closed] / total;
    // The ten highest closed bands, and any below them down to where 10% of households lie above.
    let first = (0..closed)
        .find(|&k| counts[k..].iter().sum::<f64>() / total <= TAIL_SHARE)
        .unwrap_or(closed)
        .min(closed.saturating_sub(TAIL_WINDOW));
    let points: Vec<(f64, f64, f64)> = (first..closed)
        .filter(|&k| bands[k].lower > 0.0)
        .map(|k| {
            let share: f64 = counts[k..].iter().sum::<f64>() / total;
            (
                (bands[k].lower / from).ln(),
                share.ln() - share_top.ln(),
                total * share / (1.0 - share).max(1e-12),
            )
        })
        .filter(|p| p.1 > 0.0)
        .collect();
    if points.is_empty() {
        return None;
    }
    // Normal equations of y = alpha (-u) + curvature (-u^2 / 2).
    let (mut s11, mut s12, mut s22, mut r1, mut r2) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for &(u, y, w) in &points {
        let (x1, x2) = (-u, -u * u / 2.0);
        s11 += w * x1 * x1;
        s12 += w * x1 * x2;
        s22 += w * x2 * x2;
        r1 += w * x1 * y;
        r2 += w * x2 * y;
    }
    let det = s11 * s22 - s12 * s12;
    if points.len() >= 3 && det > 1e-12 * s11 * s22 {
        let alpha = (r1 * s22 - r2 * s12) / det;
        let curvature = (s11 * r2 - s12 * r1) / det;
        let curvature_se = (s11 / det).sqrt();
        if curvature > 2.0 * curvature_se && alpha.is_finite() {
            return Some((alpha, curvature.min(50.0)));
        }
    }
    Some((r1 / s11, 0.0))
}

/// How many of the highest closed bands the local Pareto index is fitted to.
const LOCAL_WINDOW: usize = 4;

/// The Pareto index of the incomes just below the open band, by maximum likelihood: the counts of
/// the (up to) [`LOCAL_WINDOW`] highest closed bands and of the open band, given an income above
/// the window's lower limit `x0`, are multinomial with shares `(a/x0)^-alpha - (b/x0)^-alpha` for a
/// band `[a, b)` and `(L/x0)^-alpha` for the open band. Returns the index, its standard error (from
/// the curvature of the log-likelihood) and `ln(x0 / L)`, or `None` without enough households.
fn local_pareto(bands: &[Band], counts: &[f64]) -> Option<(f64, f64, f64)> {
    let closed = bands.len() - 1;
    let first = closed.saturating_sub(LOCAL_WINDOW);
    let x0 = bands[first].lower;
    let from = bands[closed].lower;
    if x0 <= 0.0 || counts[first..].iter().sum::<f64>() < 20.0 || counts[closed] <= 0.0 {
        return None;
    }
    let loglik = |alpha: f64| -> f64 {
        let s = |x: f64| (x / x0).powf(-alpha);
        let mut l = counts[closed] * s(from).ln();
        for k in first..closed {
            let upper = bands[k].upper.unwrap_or(from);
            let p = s(bands[k].lower) - s(upper);
            if counts[k] > 0.0 {
                l += counts[k] * p.max(1e-300).ln();
            }
        }
        l
    };
    // Golden-section search on ln(alpha): the log-likelihood is unimodal in alpha.
    let (mut lo, mut hi) = (0.05f64.ln(), 50f64.ln());
    let g = (5f64.sqrt() - 1.0) / 2.0;
    for _ in 0..100 {
        let (a, b) = (hi - g * (hi - lo), lo + g * (hi - lo));
        if loglik(a.exp()) < loglik(b.exp()) {
            lo = a;
        } else {
            hi = b;
        }
    }
    let alpha = ((lo + hi) / 2.0).exp();
    let h = 1e-3 * alpha;
    let second = (loglik(alpha + h) - 2.0 * loglik(alpha) + loglik(alpha - h)) / (h * h);
    // Not a maximum (or not a number): no index.
    if second.is_nan() || second >= 0.0 {
        return None;
    }
    Some((alpha, (-1.0 / second).sqrt(), (x0 / from).ln()))
}

/// The tail's index and curvature: those of [`tail_shape`], unless the highest bands disagree
/// with them. A Pareto tail that starts just below the open band is masked, in a fit over ten
/// bands, by the bands below it: the fit's curve then predicts a thinner tail than the highest
/// bands show. When the local Pareto index of the highest bands ([`local_pareto`]) differs from
/// the fitted curve's average index over the same bands by more than three standard errors, the
/// tail is that local Pareto tail.
fn tail_index(bands: &[Band], counts: &[f64], total: f64) -> Option<(f64, f64)> {
    let (alpha, curvature) = tail_shape(bands, counts, total)?;
    let Some((local, se, u0)) = local_pareto(bands, counts) else { return Some((alpha, curvature)) };
    // The curve's average index over [x0, L]: the slope of -ln S between u0 (< 0) and 0.
    let predicted = alpha + curvature * u0 / 2.0;
    if (local - predicted).abs() > 3.0 * se && local < predicted {
        Some((local, 0.0))
    } else {
        Some((alpha, curvature))
    }
}

/// The distribution of `bands` with household counts `counts` (of the same length), and its tail.
fn fit(bands: &[Band], counts: &[f64], mean_income: Option<f64>) -> (Vec<Part>, Option<TailFit>) {
    let total: f64 = counts.iter().sum();
    let mut parts = closed_parts(bands, counts, total);
    let top = bands.last().filter(|b| b.upper.is_none());
    let top_count = if top.is_some() { *counts.last().expect("bands are not empty") } else { 0.0 };
    let Some(top) = top.filter(|_| top_count > 0.0) else { return (parts, None) };
    let from = top.lower;
    let share_top = top_count / total;
    let (mut alpha, mut curvature) = tail_index(bands, counts, total).unwrap_or((MIN_ALPHA, 0.0));
    let mut method = TailMethod::Interpolated;
    if let Some(m) = mean_income {
        let closed_sum: f64 = parts.iter().map(|p| p.weight() * p.moments().0).sum();
        let tail_mean = (m - closed_sum) / share_top;
        if tail_mean > from {
            alpha = tail_mean / (tail_mean - from);
            curvature = 0.0;
            method = TailMethod::MatchedMean;
        }
    }
    if curvature == 0.0 && (alpha.is_nan() || alpha < MIN_ALPHA) {
        alpha = MIN_ALPHA;
        method = TailMethod::Floored;
    }
    let tail = Part::Tail { from, alpha, curvature, weight: share_top };
    parts.push(tail);
    (parts, Some(TailFit { from, alpha, curvature, mean: tail.moments().0, method }))
}

/// The Gini coefficient and mean of a fitted distribution (parts in rising order).
fn gini_of(parts: &[Part]) -> (f64, f64) {
    let moments: Vec<(f64, f64, f64)> =
        parts.iter().map(|p| (p.weight(), p.moments().0, p.moments().1)).collect();
    let mean: f64 = moments.iter().map(|(w, m, _)| w * m).sum();
    let (mut below_weight, mut below_sum, mut between, mut within) = (0.0, 0.0, 0.0, 0.0);
    for &(w, m, spread) in &moments {
        between += w * (m * below_weight - below_sum);
        within += w * w * spread;
        below_weight += w;
        below_sum += w * m;
    }
    ((within + 2.0 * between) / (2.0 * mean), mean)
}

/// The Gini coefficient of `bands` (no interval), with the mean income if known.
pub fn gini_from_bands(bands: &[Band], mean_income: Option<f64>) -> f64 {
    let counts: Vec<f64> = bands.iter().map(|b| b.households).collect();
    gini_of(&fit(bands, &counts, mean_income).0).0
}

/// The `q` quantile of sorted values, as R's default (type 7).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Estimates the Gini coefficient of the pasted bands with its bootstrap interval.
pub fn estimate_gini(request: &GiniRequest) -> Result<GiniEstimate, BandError> {
    let bands = read_bands(&request.bands)?;
    let refuse = |message: String| BandError { line: None, message };
    if let Some(m) = request.mean_income {
        if !(m.is_finite() && m > 0.0) {
            return Err(refuse(format!("the mean income must be a positive number, not {m}")));
        }
    }
    let counts: Vec<f64> = bands.iter().map(|b| b.households).collect();
    let households: f64 = counts.iter().sum();
    let sample_size = request.sample_size.unwrap_or(households);
    if !(sample_size.is_finite() && sample_size >= 10.0) {
        return Err(refuse(format!("the survey size must be at least 10 households, not {sample_size}")));
    }
    let replicates = request.replicates.unwrap_or(REPLICATES).clamp(100, 20_000);
    let seed = request.seed.unwrap_or(20_200_101);
    let (parts, tail) = fit(&bands, &counts, request.mean_income);
    let (gini, mean) = gini_of(&parts);

    let mut rng = Rng::new(seed);
    let shares: Vec<f64> = counts.iter().map(|n| n / households).collect();
    let mut draws: Vec<f64> = Vec::with_capacity(replicates);
    for _ in 0..replicates {
        let drawn: Vec<f64> = shares.iter().map(|p| rng.poisson(sample_size * p) as f64).collect();
        if drawn.iter().filter(|&&n| n > 0.0).count() < 2 {
            continue;
        }
        draws.push(gini_of(&fit(&bands, &drawn, request.mean_income).0).0);
    }
    draws.sort_by(f64::total_cmp);
    let (ci_low, ci_high) = if draws.len() >= 10 {
        (quantile(&draws, 0.025), quantile(&draws, 0.975))
    } else {
        (f64::NAN, f64::NAN)
    };

    let mut warnings = Vec::new();
    let mut method = vec![
        "Within each band, a density that rises or falls linearly to join the bands on either side.".to_owned(),
        format!(
            "The Gini coefficient of that distribution, computed exactly (the limit of simulating incomes within the \
             bands); the interval from {} bootstrap replicates of the band counts (Poisson bootstrap, a sample of {} \
             households, seed {seed}).",
            draws.len(),
            fmt_count(sample_size)
        ),
    ];
    match tail {
        Some(t) => {
            let shape = if t.curvature > 0.0 {
                format!(
                    "a tail thinning with income (index {:.2} at its start, curvature {:.2})",
                    t.alpha, t.curvature
                )
            } else {
                format!("a Pareto tail with index {:.2}", t.alpha)
            };
            method.push(format!(
                "The top band (from £{}) as {shape}, {}; its mean income £{}.",
                fmt_count(t.from),
                match t.method {
                    TailMethod::Interpolated =>
                        "fitted to the shares of households above the ten bands below it",
                    TailMethod::MatchedMean => "set to give the mean income you entered",
                    TailMethod::Floored => "its index raised to the smallest value used",
                },
                fmt_count(t.mean)
            ));
            if t.method == TailMethod::Floored {
                warnings.push(format!(
                    "The top band holds more households than a Pareto tail with a finite mean can: its index was raised \
                     to {MIN_ALPHA}. Give the mean household income, or finer bands at the top, for a better estimate."
                ));
            }
            if request.mean_income.is_some() && t.method != TailMethod::MatchedMean {
                warnings.push(
                    "The mean income you entered is not above what the closed bands already give, so the top band's tail \
                     comes from the bands below it."
                        .into(),
                );
            }
        }
        None => method.push("No open top band: the highest band is treated like the others.".into()),
    }
    let top_share = counts.last().copied().unwrap_or(0.0) / households;
    if tail.is_some() && top_share > 0.05 {
        warnings.push(format!(
            "{:.0}% of households are in the open top band: the estimate depends on the shape assumed for it.",
            100.0 * top_share
        ));
    }
    if bands.iter().any(|b| b.upper.is_some_and(|u| u - b.lower > 10_000.0)) {
        warnings.push(
            "Some bands are wider than £10,000: spreading incomes evenly within them is rougher.".into(),
        );
    }
    Ok(GiniEstimate {
        gini,
        ci_low,
        ci_high,
        households,
        bands: bands.len(),
        mean_income: mean,
        tail,
        replicates: draws.len(),
        sample_size,
        seed,
        method,
        warnings,
    })
}

/// 12345.6 as "12,346".
fn fmt_count(x: f64) -> String {
    let digits = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if x < 0.0 {
        format!("-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evenly_spread_incomes_have_the_gini_of_a_uniform_distribution() {
        // Uniform on [0, 100,000] has Gini 1/3, whatever the bands.
        let text: String = (0..20).map(|k| format!("{},{},{}\n", k * 5000, (k + 1) * 5000, 50)).collect();
        let bands = read_bands(&text).unwrap();
        assert!((gini_from_bands(&bands, None) - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn a_pareto_tail_alone_has_gini_one_over_two_alpha_minus_one() {
        let tail = [Part::Tail { from: 50_000.0, alpha: 2.5, curvature: 0.0, weight: 1.0 }];
        assert!((gini_of(&tail).0 - 0.25).abs() < 1e-12);
        // A tiny curvature, integrated numerically, is all but the same tail.
        let (mean, spread) = tail_moments(50_000.0, 2.5, 1e-9);
        assert!((mean / (2.5 * 50_000.0 / 1.5) - 1.0).abs() < 1e-6, "{mean}");
        assert!((spread / mean / 2.0 - 0.25).abs() < 1e-6, "{spread}");
    }

    #[test]
    fn a_linear_band_has_the_moments_of_its_density() {
        // f(x) = 2x on [0, 1] (per unit mass): mean 2/3, E|X - Y| = 4/15.
        let band = Part::Band { lower: 0.0, upper: 1.0, slope: 2.0, weight: 1.0 };
        let (mean, spread) = band.moments();
        assert!((mean - 2.0 / 3.0).abs() < 1e-12 && (spread - 4.0 / 15.0).abs() < 1e-12, "{mean} {spread}");
    }

    #[test]
    fn the_mean_income_sets_the_tail() {
        let text = "0,10000,100\n10000,20000,100\n20000,,50\n";
        let bands = read_bands(text).unwrap();
        let (parts, tail) = fit(&bands, &[100.0, 100.0, 50.0], Some(20_000.0));
        let mean: f64 = parts.iter().map(|p| p.weight() * p.moments().0).sum();
        assert!((mean - 20_000.0).abs() < 1e-6);
        assert_eq!(tail.unwrap().method, TailMethod::MatchedMean);
        // Interpolated: S(10,000) = 150/250, S(20,000) = 50/250: alpha = ln 3 / ln 2.
        let (_, tail) = fit(&bands, &[100.0, 100.0, 50.0], None);
        assert!((tail.unwrap().alpha - 3f64.ln() / 2f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn the_interval_surrounds_the_estimate_and_narrows_with_the_sample() {
        let text = "0,5000,30\n5000,10000,80\n10000,15000,120\n15000,20000,110\n20000,30000,150\n30000,50000,120\n50000,,40\n";
        let small = estimate_gini(&GiniRequest {
            bands: text.into(),
            mean_income: None,
            sample_size: None,
            replicates: None,
            seed: Some(1),
        })
        .unwrap();
        assert!(small.ci_low < small.gini && small.gini < small.ci_high, "{small:?}");
        let large = estimate_gini(&GiniRequest { sample_size: Some(65_000.0), ..request(text) }).unwrap();
        assert_eq!(large.gini, small.gini);
        assert!(large.ci_high - large.ci_low < (small.ci_high - small.ci_low) / 5.0);
        assert!(small.warnings.iter().any(|w| w.contains("wider than")));
    }

    fn request(text: &str) -> GiniRequest {
        GiniRequest {
            bands: text.into(),
            mean_income: None,
            sample_size: None,
            replicates: None,
            seed: Some(1),
        }
    }
}
