//! What a fitted spatial field means, for people who are not statisticians: its SD and range in
//! plain words, a chart of the fitted correlation against distance, and a map-like scatter of
//! the field's conditional modes at the coordinates, each chart with its table.
//!
//! The field `u` of an `exp(pos(x, y) + 0 | g)` term is Gaussian with variance `sd^2` and
//! correlation `cor(u_i, u_j) = exp(-d_ij / range)`: two places `d` apart share the fraction
//! `exp(-d / range)` of their field's variation, which falls to one half at `range · ln 2`.
//! On the rate scale a place's field value `u_i` multiplies its expected rate by `exp(u_i)`.
//! The Wald interval of the range (its interval on the log scale, as the fit reports it)
//! gives the band of correlation curves.

use super::charts::{ChartView, Table};
use crate::charts::{cell, ChartSpec, LegendCorner, Series, SeriesKind, DIVERGING};
use serde::Serialize;

/// The units of the coordinates the range is measured in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DistanceUnits {
    /// Metres (easting/northing): distances are shown in km from 1 km up.
    Metres,
    /// The coordinates' own units (x/y of unknown scale).
    CoordinateUnits,
}

/// One place of the field: its coordinates and the field's conditional mode and SD there.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldPlace {
    pub x: f64,
    pub y: f64,
    pub mode: f64,
    pub sd: f64,
    /// The first data row (1-based) at these coordinates, and how many rows share them.
    pub first_row: usize,
    pub rows: usize,
}

/// What the views read of a fitted exponential field.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldSummary {
    /// The coordinate columns (`["easting", "northing"]`).
    pub coordinates: [String; 2],
    pub units: DistanceUnits,
    pub sd: f64,
    pub range: f64,
    /// The 95% Wald interval of the range, when the fit has one.
    pub range_ci: Option<[f64; 2]>,
    /// False when the field's SD is estimated as (near) zero: the data then say nothing about how
    /// fast the correlation falls with distance, and no range is reported.
    pub range_identified: bool,
    pub places: Vec<FieldPlace>,
}

/// The plain-words reading and the two charts of a spatial field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpatialViews {
    /// "Neighbourhoods 2 km apart share about 67% of their unexplained variation; ..."
    pub headline: String,
    /// The SD as a factor on the rate, in words.
    pub sd_words: String,
    /// The range and its interval, in words.
    pub range_words: String,
    /// What the field is and is not.
    pub caveat: String,
    /// Distances and the shared percentage at each, as the headline states them.
    pub shares: Vec<DistanceShare>,
    /// The fitted correlation against distance; none when the range is not identified.
    pub correlation: Option<ChartView>,
    pub map: ChartView,
}

/// The share of unexplained variation two places `distance` apart have in common.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DistanceShare {
    /// In the coordinates' units.
    pub distance: f64,
    /// As the page says it ("2 km").
    pub label: String,
    /// `100 exp(-distance / range)`.
    pub percent: f64,
}

/// Why the views of a field cannot be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpatialViewError(pub String);

impl std::fmt::Display for SpatialViewError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Distances in the ladder 1, 2, 5, 10, ... times a power of ten.
fn nice_ladder(lo: f64, hi: f64) -> Vec<f64> {
    let mut out = Vec::new();
    let mut p = 10f64.powf(lo.log10().floor() - 1.0);
    while p <= hi * 10.0 {
        for m in [1.0, 2.0, 5.0] {
            let v = m * p;
            if v >= lo && v <= hi {
                out.push(v);
            }
        }
        p *= 10.0;
    }
    out
}

/// The ladder distance nearest `target` on a log scale.
fn nice_near(target: f64) -> f64 {
    let ladder = nice_ladder(target / 10.0, target * 10.0);
    ladder
        .into_iter()
        .min_by(|a, b| (a / target).ln().abs().total_cmp(&(b / target).ln().abs()))
        .unwrap_or(target)
}

/// Formats a number with at most `sig` significant figures and no trailing zeros.
fn short(x: f64, sig: i32) -> String {
    if x == 0.0 || !x.is_finite() {
        return cell(x, 0);
    }
    let decimals = (sig - 1 - x.abs().log10().floor() as i32).max(0) as usize;
    let s = format!("{x:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

/// A count with thousands separated: "32,844".
fn whole(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A distance in words: km from 1 km up when the units are metres.
fn distance_words(d: f64, units: DistanceUnits) -> String {
    match units {
        DistanceUnits::Metres if d >= 1000.0 => format!("{} km", short(d / 1000.0, 3)),
        DistanceUnits::Metres => format!("{} m", short(d, 3)),
        DistanceUnits::CoordinateUnits => format!("{} units", short(d, 3)),
    }
}

/// Distances on the charts' axes: km for metres, else the coordinates' units.
fn axis_scale(units: DistanceUnits) -> (f64, &'static str) {
    match units {
        DistanceUnits::Metres => (1000.0, "km"),
        DistanceUnits::CoordinateUnits => (1.0, "coordinate units"),
    }
}

/// `100 exp(-d / range)`.
pub fn shared_percent(d: f64, range: f64) -> f64 {
    100.0 * (-d / range).exp()
}

/// Whole percentages, or "less than 1%".
fn percent_words(p: f64) -> String {
    if p < 0.5 {
        "less than 1%".to_owned()
    } else {
        format!("{}%", p.round())
    }
}

/// The correlation curve `exp(-d / range)` at `n` distances from 0 to `max`, in axis units.
fn curve(range: f64, max: f64, scale: f64, n: usize) -> Vec<[f64; 2]> {
    (0..=n)
        .map(|k| {
            let d = max * k as f64 / n as f64;
            [d / scale, (-d / range).exp()]
        })
        .collect()
}

fn correlation_chart(f: &FieldSummary, shares: &[DistanceShare]) -> ChartView {
    let (scale, unit) = axis_scale(f.units);
    // Out to where the correlation is about 5% (three ranges), or the upper end of the band.
    let max = 3.0 * f.range.max(f.range_ci.map_or(0.0, |c| c[1].min(3.0 * f.range)));
    let mut series = vec![Series {
        name: format!("Fitted correlation (range {})", distance_words(f.range, f.units)),
        kind: SeriesKind::Line,
        colour: 0,
        points: curve(f.range, max, scale, 60),
        error_bars: Vec::new(),
    }];
    if let Some([lo, hi]) = f.range_ci.filter(|c| c[0].is_finite() && c[1].is_finite() && c[0] > 0.0) {
        // One series, one legend entry: the two curves with a gap (a missing point) between.
        let mut points = curve(lo, max, scale, 60);
        points.push([f64::NAN, f64::NAN]);
        points.extend(curve(hi, max, scale, 60));
        series.push(Series {
            name: format!(
                "95% interval of the range ({} to {})",
                distance_words(lo, f.units),
                distance_words(hi, f.units)
            ),
            kind: SeriesKind::Dashed,
            colour: 6,
            points,
            error_bars: Vec::new(),
        });
    }
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut distances: Vec<f64> = nice_ladder(f.range / 10.0, max);
    distances.extend(shares.iter().map(|s| s.distance));
    distances.sort_by(f64::total_cmp);
    distances.dedup();
    for d in distances {
        let band = f.range_ci.map_or_else(
            || "–".to_owned(),
            |[lo, hi]| format!("{} to {}", cell((-d / lo).exp(), 2), cell((-d / hi).exp(), 2)),
        );
        rows.push(vec![distance_words(d, f.units), cell((-d / f.range).exp(), 2), band]);
    }
    ChartView {
        id: "spatial_correlation",
        title: "How the shared variation falls with distance".to_owned(),
        description: format!(
            "Line chart of the fitted correlation between two places' unexplained variation against the distance \
             between them, from 1 at distance 0 down to {} at {}{}.",
            cell((-max / f.range).exp(), 2),
            distance_words(max, f.units),
            if f.range_ci.is_some() { ", with dashed curves at the ends of the range's 95% interval" } else { "" }
        ),
        spec: ChartSpec {
            title: String::new(),
            x_label: format!("Distance apart ({unit})"),
            y_label: "Correlation".to_owned(),
            series,
            y_from_zero: true,
            font_px: 16,
            legend: LegendCorner::UpperRight,
            aspect: None,
        },
        table: Table {
            caption: "Correlation of two places' unexplained variation by the distance between them".to_owned(),
            header: vec!["Distance".into(), "Correlation".into(), "95% interval (from the range's)".into()],
            rows,
        },
    }
}

/// The five colour bands of the map: their upper limits on the field's scale (the last is
/// infinite), symmetric around 0 at `s / 2` and `3 s / 2` for the modes' root mean square `s`.
fn bands(places: &[FieldPlace]) -> [f64; 5] {
    let n = places.len().max(1) as f64;
    let s = (places.iter().map(|p| p.mode * p.mode).sum::<f64>() / n).sqrt();
    let s = if s > 0.0 && s.is_finite() { s } else { 1.0 };
    [-1.5 * s, -0.5 * s, 0.5 * s, 1.5 * s, f64::INFINITY]
}

fn band_of(mode: f64, limits: &[f64; 5]) -> usize {
    limits.iter().position(|&l| mode < l).unwrap_or(4)
}

/// "rates x0.78 or lower" ... as factors on the rate.
fn band_names(limits: &[f64; 5]) -> [String; 5] {
    let f = |u: f64| cell(u.exp(), 2);
    [
        format!("Rate x{} or lower than predicted", f(limits[0])),
        format!("x{} to x{}", f(limits[0]), f(limits[1])),
        format!("x{} to x{} (about as predicted)", f(limits[1]), f(limits[2])),
        format!("x{} to x{}", f(limits[2]), f(limits[3])),
        format!("x{} or higher than predicted", f(limits[3])),
    ]
}

fn map_chart(f: &FieldSummary) -> ChartView {
    let (scale, unit) = axis_scale(f.units);
    let limits = bands(&f.places);
    let names = band_names(&limits);
    let mut points: [Vec<[f64; 2]>; 5] = Default::default();
    for p in &f.places {
        if p.x.is_finite() && p.y.is_finite() && p.mode.is_finite() {
            points[band_of(p.mode, &limits)].push([p.x / scale, p.y / scale]);
        }
    }
    let counts: Vec<usize> = points.iter().map(Vec::len).collect();
    let series = points
        .into_iter()
        .zip(names.iter())
        .enumerate()
        .map(|(k, (pts, name))| Series {
            name: format!("{name} ({})", whole(pts.len())),
            kind: SeriesKind::Points,
            colour: DIVERGING[k],
            points: pts,
            error_bars: Vec::new(),
        })
        .collect();
    let mut order: Vec<usize> = (0..f.places.len()).collect();
    order.sort_by(|&a, &b| f.places[b].mode.total_cmp(&f.places[a].mode));
    let shown: Vec<usize> = if order.len() <= 20 {
        order.clone()
    } else {
        order
            .iter()
            .take(10)
            .chain(order.iter().rev().take(10).collect::<Vec<_>>().into_iter().rev())
            .copied()
            .collect()
    };
    let rows = shown
        .iter()
        .map(|&i| {
            let p = &f.places[i];
            vec![
                format!(
                    "Row {}{}",
                    p.first_row,
                    if p.rows > 1 { format!(" (and {} more)", p.rows - 1) } else { String::new() }
                ),
                short(p.x / scale, 6),
                short(p.y / scale, 6),
                cell(p.mode, 3),
                cell(p.sd, 3),
                cell(p.mode.exp(), 2),
            ]
        })
        .collect();
    let (x, y) = (&f.coordinates[0], &f.coordinates[1]);
    ChartView {
        id: "spatial_field_map",
        title: "Where the unexplained variation is higher or lower".to_owned(),
        description: format!(
            "Map-like scatter of {} places at their coordinates ({x} across, {y} up), coloured from blue where \
             rates are lower than the model's other terms predict to vermillion where they are higher: {} in the \
             lowest band, {} below, {} about as predicted, {} above and {} in the highest band.",
            whole(f.places.len()),
            whole(counts[0]),
            whole(counts[1]),
            whole(counts[2]),
            whole(counts[3]),
            whole(counts[4])
        ),
        spec: ChartSpec {
            title: String::new(),
            x_label: format!("{x} ({unit})"),
            y_label: format!("{y} ({unit})"),
            series,
            y_from_zero: false,
            font_px: 16,
            legend: LegendCorner::Below,
            // A map: a km east as long as a km north, at every size of the chart.
            aspect: Some(1.0),
        },
        table: Table {
            caption: if f.places.len() > 20 {
                format!(
                    "The 10 places with the highest and the 10 with the lowest field values, of {}",
                    whole(f.places.len())
                )
            } else {
                "Every place's field value".to_owned()
            },
            header: vec![
                "Place".into(),
                format!("{x} ({unit})"),
                format!("{y} ({unit})"),
                "Field value (log scale)".into(),
                "Its SD".into(),
                "Rate ratio".into(),
            ],
            rows,
        },
    }
}

/// The reading of a field whose SD is estimated as (near) zero: no spatial correlation is found,
/// and its range, where the optimiser stopped, means nothing.
fn unidentified_views(f: &FieldSummary, caveat: String) -> SpatialViews {
    let place = match f.units {
        DistanceUnits::Metres => "neighbourhoods",
        DistanceUnits::CoordinateUnits => "places",
    };
    SpatialViews {
        headline: format!(
            "No spatial correlation found: the field's SD is estimated as (near) zero, so nearby {place} share no \
             unexplained variation beyond what the model's other terms explain."
        ),
        sd_words: format!("The field's SD is {}.", cell(f.sd, 2)),
        range_words: "The range is not identified: with a field SD of (near) zero, the data say nothing about how \
                      fast shared variation would fall with distance, so no range is reported. A model without the \
                      spatial field describes these data as well."
            .to_owned(),
        caveat,
        shares: Vec::new(),
        correlation: None,
        map: map_chart(f),
    }
}

/// The plain-words reading and charts of a fitted field.
pub fn spatial_views(f: &FieldSummary) -> Result<SpatialViews, SpatialViewError> {
    if !(f.range.is_finite() && f.range > 0.0 && f.sd.is_finite() && f.sd >= 0.0) {
        return Err(SpatialViewError(format!(
            "the fitted field has no finite positive range and SD (range {}, SD {})",
            f.range, f.sd
        )));
    }
    let caveat = "The field is variation the model's other terms leave unexplained and that nearby places share: \
                  things that cluster in space, such as local services, housing or how cases are recorded. It is not \
                  a cause, and it does not say why places differ; it is an association in these data."
        .to_owned();
    if !f.range_identified {
        return Ok(unidentified_views(f, caveat));
    }
    let near = nice_near(f.range / 2.5);
    let far = nice_near(2.0 * f.range).max(2.0 * near);
    let shares: Vec<DistanceShare> = [near, far]
        .into_iter()
        .map(|d| DistanceShare {
            distance: d,
            label: distance_words(d, f.units),
            percent: shared_percent(d, f.range),
        })
        .collect();
    let place = match f.units {
        DistanceUnits::Metres => "Neighbourhoods",
        DistanceUnits::CoordinateUnits => "Places",
    };
    let headline = format!(
        "{place} {} apart share about {} of their unexplained variation; at {} about {}.",
        shares[0].label,
        percent_words(shares[0].percent),
        shares[1].label,
        percent_words(shares[1].percent)
    );
    let factor = f.sd.exp();
    let sd_words = format!(
        "The field's SD is {}: a neighbourhood's rate is typically up to about {} times higher or lower \
         (1 SD) than the model's other terms predict, and nearby neighbourhoods tend to be higher or lower \
         together.",
        cell(f.sd, 2),
        cell(factor, 2)
    );
    let ci = f.range_ci.filter(|c| c[0].is_finite() && c[1].is_finite()).map_or(String::new(), |[lo, hi]| {
        format!(" (95% interval {} to {})", distance_words(lo, f.units), distance_words(hi, f.units))
    });
    let units_note = match f.units {
        DistanceUnits::Metres => "",
        DistanceUnits::CoordinateUnits => " (in the units of the coordinate columns)",
    };
    let range_words = format!(
        "The range is {}{ci}{units_note}: the shared variation falls to about 37% at that distance and to half at {}.",
        distance_words(f.range, f.units),
        distance_words(f.range * std::f64::consts::LN_2, f.units)
    );
    Ok(SpatialViews {
        headline,
        sd_words,
        range_words,
        caveat,
        correlation: Some(correlation_chart(f, &shares)),
        map: map_chart(f),
        shares,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(range: f64, units: DistanceUnits, modes: &[f64]) -> FieldSummary {
        FieldSummary {
            coordinates: ["easting".into(), "northing".into()],
            units,
            sd: 0.3,
            range,
            range_ci: Some([range / 1.5, range * 1.5]),
            range_identified: true,
            places: modes
                .iter()
                .enumerate()
                .map(|(i, &m)| FieldPlace {
                    x: 400_000.0 + 1000.0 * i as f64,
                    y: 300_000.0,
                    mode: m,
                    sd: 0.1,
                    first_row: i + 1,
                    rows: 1,
                })
                .collect(),
        }
    }

    #[test]
    fn a_five_km_field_in_plain_words() {
        let v = spatial_views(&field(5000.0, DistanceUnits::Metres, &[0.1, -0.2, 0.0, 0.4])).unwrap();
        // 100 exp(-2/5) = 67.0; 100 exp(-10/5) = 13.5.
        assert_eq!(
            v.headline,
            "Neighbourhoods 2 km apart share about 67% of their unexplained variation; at 10 km about 14%."
        );
        assert_eq!((v.shares[0].distance, v.shares[1].distance), (2000.0, 10_000.0));
        assert!((v.shares[0].percent - 67.032).abs() < 1e-3);
        // exp(0.3) = 1.35; 5 km ln 2 = 3.47 km.
        assert!(v.sd_words.contains("0.30") && v.sd_words.contains("1.35 times"), "{}", v.sd_words);
        assert_eq!(
            v.range_words,
            "The range is 5 km (95% interval 3.33 km to 7.5 km): the shared variation falls to about 37% at that \
             distance and to half at 3.47 km."
        );
        assert!(v.caveat.contains("not a cause"));
    }

    #[test]
    fn the_correlation_chart_follows_the_exponential() {
        let v = spatial_views(&field(5000.0, DistanceUnits::Metres, &[0.1, -0.1])).unwrap();
        let line = &v.correlation.as_ref().unwrap().spec.series[0].points;
        assert_eq!(line[0], [0.0, 1.0]);
        for p in line {
            assert!((p[1] - (-p[0] / 5.0).exp()).abs() < 1e-12);
        }
        // The band: curves at the interval's ends, below and above the fitted one, in one series.
        let band = &v.correlation.as_ref().unwrap().spec.series[1].points;
        assert_eq!(v.correlation.as_ref().unwrap().spec.series.len(), 2);
        assert!(band[61][0].is_nan());
        let (lo, hi) = (&band[..61], &band[62..]);
        assert!(lo[10][1] < line[10][1] && line[10][1] < hi[10][1]);
        let row = v.correlation.as_ref().unwrap().table.rows.iter().find(|r| r[0] == "10 km").unwrap();
        assert_eq!(row[1], "0.14");
        // exp(-10/3.333) = 0.05, exp(-10/7.5) = 0.26.
        assert_eq!(row[2], "0.05 to 0.26");
    }

    #[test]
    fn the_map_colours_places_by_band_and_lists_the_extremes() {
        let modes: Vec<f64> = (0..30).map(|i| (i as f64 - 14.5) / 20.0).collect();
        let v = spatial_views(&field(5000.0, DistanceUnits::Metres, &modes)).unwrap();
        let series = &v.map.spec.series;
        assert_eq!(series.len(), 5);
        assert_eq!(series.iter().map(|s| s.points.len()).sum::<usize>(), 30);
        // Symmetric modes: as many places in the lowest band as in the highest.
        assert_eq!(series[0].points.len(), series[4].points.len());
        assert!(series[0].points.len() > 0);
        assert_eq!(series.iter().map(|s| s.colour).collect::<Vec<_>>(), DIVERGING.to_vec());
        // Coordinates in km.
        assert!(series.iter().flat_map(|s| &s.points).all(|p| p[1] == 300.0));
        // 20 of 30 rows: the highest first, the lowest last.
        assert_eq!(v.map.table.rows.len(), 20);
        assert_eq!(v.map.table.rows[0][0], "Row 30");
        assert_eq!(v.map.table.rows[19][0], "Row 1");
        assert!(v.map.description.contains("30 places"));
    }

    #[test]
    fn counts_are_written_with_thousands_separated() {
        assert_eq!(whole(0), "0");
        assert_eq!(whole(999), "999");
        assert_eq!(whole(1000), "1,000");
        assert_eq!(whole(32_844), "32,844");
        assert_eq!(whole(1_234_567), "1,234,567");
    }

    #[test]
    fn the_map_keeps_a_km_east_as_long_as_a_km_north() {
        let v = spatial_views(&field(5000.0, DistanceUnits::Metres, &[0.1, -0.1])).unwrap();
        assert_eq!(v.map.spec.aspect, Some(1.0));
        assert_eq!(v.correlation.as_ref().unwrap().spec.aspect, None);
    }

    #[test]
    fn coordinate_units_and_bad_fields() {
        let v = spatial_views(&field(0.8, DistanceUnits::CoordinateUnits, &[0.0])).unwrap();
        // 0.8 / 2.5 = 0.32: 0.5 is log-nearer than 0.2; 1.6 -> 2. 100 exp(-0.5/0.8) = 53.5.
        assert_eq!(
            v.headline,
            "Places 0.5 units apart share about 54% of their unexplained variation; at 2 units about 8%."
        );
        assert!(v.range_words.contains("in the units of the coordinate columns"));
        let mut bad = field(5000.0, DistanceUnits::Metres, &[]);
        bad.range = f64::NAN;
        assert!(spatial_views(&bad).is_err());
    }

    #[test]
    fn a_field_without_variation_reports_no_range() {
        let mut f = field(3.0, DistanceUnits::Metres, &[0.0, 0.0]);
        f.sd = 1e-6;
        f.range_identified = false;
        f.range_ci = None;
        let v = spatial_views(&f).unwrap();
        assert!(v.headline.starts_with("No spatial correlation found"), "{}", v.headline);
        assert!(v.range_words.starts_with("The range is not identified"), "{}", v.range_words);
        assert!(!v.range_words.contains(" m "), "no distance is given: {}", v.range_words);
        assert!(v.shares.is_empty());
        assert!(v.correlation.is_none());
        assert_eq!(v.map.spec.aspect, Some(1.0));
    }
}
