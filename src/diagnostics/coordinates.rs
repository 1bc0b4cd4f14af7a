//! Finding neighbourhood coordinates in a data file: a pair of numeric columns named
//! `easting`/`northing`, `x`/`y`, `longitude`/`latitude`, `lon`/`lat`, `long`/`lat` or
//! `lng`/`lat` (any case). Longitude and latitude in degrees are projected to kilometres
//! (equirectangular: `x = 111.32 cos(mean latitude) longitude`, `y = 110.57 latitude`), which keeps
//! nearest neighbours right at the scale of a country; other pairs are used as they are.

use crate::data::{Column, DataFrame};
use serde::Serialize;

/// The coordinate columns found in a file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoordinateColumns {
    pub x: String,
    pub y: String,
    /// The pair is longitude/latitude in degrees.
    pub degrees: bool,
}

const PAIRS: [(&str, &str, bool); 6] = [
    ("easting", "northing", false),
    ("x", "y", false),
    ("longitude", "latitude", true),
    ("lon", "lat", true),
    ("long", "lat", true),
    ("lng", "lat", true),
];

fn numeric<'a>(df: &'a DataFrame, name: &str) -> Option<(String, &'a [f64])> {
    let actual = df.names().iter().find(|n| n.eq_ignore_ascii_case(name))?;
    match df.column(actual)? {
        Column::Numeric(v) => Some((actual.clone(), v)),
        Column::Text(_) => None,
    }
}

/// The first pair of numeric coordinate columns of `df`, in the order of the list above.
pub fn find_coordinates(df: &DataFrame) -> Option<CoordinateColumns> {
    PAIRS.iter().find_map(|&(x, y, degrees)| {
        let (x, _) = numeric(df, x)?;
        let (y, _) = numeric(df, y)?;
        Some(CoordinateColumns { x, y, degrees })
    })
}

/// Planar coordinates of the data rows `rows` (0-based) of `df`; rows whose coordinates are
/// missing give `None`.
pub fn planar_points(df: &DataFrame, columns: &CoordinateColumns, rows: &[usize]) -> Vec<Option<(f64, f64)>> {
    let (Some((_, xs)), Some((_, ys))) = (numeric(df, &columns.x), numeric(df, &columns.y)) else {
        return vec![None; rows.len()];
    };
    let points: Vec<Option<(f64, f64)>> = rows
        .iter()
        .map(|&r| match (xs.get(r), ys.get(r)) {
            (Some(&a), Some(&b)) if a.is_finite() && b.is_finite() => Some((a, b)),
            _ => None,
        })
        .collect();
    if !columns.degrees {
        return points;
    }
    let lats: Vec<f64> = points.iter().flatten().map(|p| p.1).collect();
    let mean_lat = lats.iter().sum::<f64>() / lats.len().max(1) as f64;
    let kx = 111.32 * mean_lat.to_radians().cos();
    points.into_iter().map(|p| p.map(|(lon, lat)| (kx * lon, 110.57 * lat))).collect()
}
