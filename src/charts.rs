//! Charts drawn with plotters on any backend: an HTML canvas in the browser (through the bindings),
//! SVG in native tests.
//!
//! A chart is described by a [`ChartSpec`] (serde, so the page can build one in JavaScript or the
//! engine can build one from a result) and drawn by [`draw`]. Colours come from the Okabe-Ito
//! palette, which stays distinguishable for the common forms of colour blindness; series are also
//! told apart by line style and marker so that colour is never the only cue.

use plotters::coord::Shift;
use plotters::prelude::*;
use serde::{Deserialize, Serialize};

/// Okabe-Ito colour-blind-safe palette (black first for the reference series).
const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(230, 159, 0),   // orange
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(0, 0, 0),       // black
    RGBColor(240, 228, 66),  // yellow
];

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SeriesKind {
    /// Solid line.
    #[default]
    Line,
    /// Dashed line (reference curves, e.g. "average LA").
    Dashed,
    /// Markers only (observed values).
    Points,
}

/// One named series of (x, y) points.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Series {
    pub name: String,
    #[serde(default)]
    pub kind: SeriesKind,
    /// Index into the colour-blind-safe palette.
    #[serde(default)]
    pub colour: usize,
    pub points: Vec<[f64; 2]>,
    /// Vertical error bars `[low, high]`, one per point (confidence intervals); empty for none.
    #[serde(default)]
    pub error_bars: Vec<[f64; 2]>,
}

/// The corner of the plotting area that holds the legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum LegendCorner {
    #[default]
    UpperLeft,
    UpperRight,
    LowerLeft,
    LowerRight,
}

/// A complete chart: axes labels, optional title and the series.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChartSpec {
    #[serde(default)]
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub series: Vec<Series>,
    /// Start the y axis at zero (rates) rather than at the smallest value.
    #[serde(default)]
    pub y_from_zero: bool,
    /// Font size of labels in pixels (larger for projectors).
    #[serde(default = "default_font")]
    pub font_px: u32,
    /// Where the legend goes (away from the data).
    #[serde(default)]
    pub legend: LegendCorner,
}

fn default_font() -> u32 {
    16
}

/// Errors while drawing: empty data or a backend failure.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartError(pub String);

impl std::fmt::Display for ChartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "could not draw the chart: {}", self.0)
    }
}

impl std::error::Error for ChartError {}

fn backend_error<E: std::fmt::Debug>(e: E) -> ChartError {
    ChartError(format!("{e:?}"))
}

/// An axis range, (low, high).
type Range = (f64, f64);

/// The finite points of a series, with the ends of its error bars as extra points at the same x.
fn extent(series: &Series) -> impl Iterator<Item = [f64; 2]> + '_ {
    let bars = series.points.iter().zip(&series.error_bars).flat_map(|(p, b)| [[p[0], b[0]], [p[0], b[1]]]);
    series.points.iter().copied().chain(bars).filter(|p| p[0].is_finite() && p[1].is_finite())
}

/// The data range of all finite points and error bars, padded by 5% (and widened when
/// degenerate).
fn ranges(spec: &ChartSpec) -> Result<(Range, Range), ChartError> {
    let finite = spec.series.iter().flat_map(extent);
    let (mut x0, mut x1, mut y0, mut y1) =
        (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
    for p in finite {
        x0 = x0.min(p[0]);
        x1 = x1.max(p[0]);
        y0 = y0.min(p[1]);
        y1 = y1.max(p[1]);
    }
    if !x0.is_finite() {
        return Err(ChartError("there are no points to draw".into()));
    }
    if spec.y_from_zero {
        y0 = y0.min(0.0);
    }
    let pad = |lo: f64, hi: f64| {
        let span = if hi > lo { hi - lo } else { lo.abs().max(1.0) };
        (lo - 0.05 * span, hi + 0.05 * span)
    };
    let (y0p, y1p) = pad(y0, y1);
    let y0p = if spec.y_from_zero && y0 >= 0.0 { 0.0 } else { y0p };
    Ok((if x1 > x0 { (x0, x1) } else { pad(x0, x1) }, (y0p, y1p)))
}

/// The largest font size (at most `font`) at which `text` fits in `room` pixels, taking an average
/// glyph as 0.55 em wide (sans-serif); never below 9 px.
fn fitting_font(text: &str, room: u32, font: u32) -> u32 {
    let chars = text.chars().count().max(1) as f64;
    let fit = (room as f64 / (0.55 * chars)).floor() as u32;
    fit.clamp(9, font.max(9))
}

/// Draw `spec` on `area` (cleared to white first).
pub fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, spec: &ChartSpec) -> Result<(), ChartError> {
    let ((x0, x1), (y0, y1)) = ranges(spec)?;
    area.fill(&WHITE).map_err(backend_error)?;
    let font = spec.font_px.clamp(8, 48);
    let mut builder = ChartBuilder::on(area);
    builder.margin(font / 2 + 4).x_label_area_size(font * 3).y_label_area_size(font * 4);
    if !spec.title.is_empty() {
        builder.caption(&spec.title, ("sans-serif", font + 2));
    }
    let mut chart = builder.build_cartesian_2d(x0..x1, y0..y1).map_err(backend_error)?;
    let (width, height) = area.dim_in_pixel();
    let axis_font = fitting_font(&spec.x_label, width.saturating_sub(font * 5), font).min(fitting_font(
        &spec.y_label,
        height.saturating_sub(font * 4),
        font,
    ));
    chart
        .configure_mesh()
        .x_desc(&spec.x_label)
        .y_desc(&spec.y_label)
        .label_style(("sans-serif", font.saturating_sub(2)))
        .axis_desc_style(("sans-serif", axis_font))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(backend_error)?;

    for series in &spec.series {
        let colour = PALETTE[series.colour % PALETTE.len()];
        let points: Vec<(f64, f64)> = series
            .points
            .iter()
            .filter(|p| p[0].is_finite() && p[1].is_finite())
            .map(|p| (p[0], p[1]))
            .collect();
        let style = ShapeStyle::from(&colour).stroke_width(3);
        let legend_style = style;
        let bars: Vec<PathElement<(f64, f64)>> = series
            .points
            .iter()
            .zip(&series.error_bars)
            .filter(|(p, b)| p[0].is_finite() && b[0].is_finite() && b[1].is_finite())
            .map(|(p, b)| {
                PathElement::new(vec![(p[0], b[0]), (p[0], b[1])], ShapeStyle::from(&colour).stroke_width(2))
            })
            .collect();
        chart.draw_series(bars).map_err(backend_error)?;
        match series.kind {
            SeriesKind::Line => chart
                .draw_series(LineSeries::new(points, style))
                .map_err(backend_error)?
                .label(series.name.as_str())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], legend_style)),
            SeriesKind::Dashed => chart
                .draw_series(DashedLineSeries::new(points, 8, 6, style))
                .map_err(backend_error)?
                .label(series.name.as_str())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 8, y)], legend_style)),
            SeriesKind::Points => chart
                .draw_series(points.into_iter().map(|p| Circle::new(p, 4, colour.filled())))
                .map_err(backend_error)?
                .label(series.name.as_str())
                .legend(move |(x, y)| Circle::new((x + 10, y), 4, colour.filled())),
        };
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(160, 160, 160))
        .label_font(("sans-serif", font.saturating_sub(1)))
        .position(match spec.legend {
            LegendCorner::UpperLeft => SeriesLabelPosition::UpperLeft,
            LegendCorner::UpperRight => SeriesLabelPosition::UpperRight,
            LegendCorner::LowerLeft => SeriesLabelPosition::LowerLeft,
            LegendCorner::LowerRight => SeriesLabelPosition::LowerRight,
        })
        .draw()
        .map_err(backend_error)?;
    area.present().map_err(backend_error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> ChartSpec {
        ChartSpec {
            title: "Referral rate".into(),
            x_label: "Neighbourhood deprivation".into(),
            y_label: "Rate per 10,000".into(),
            series: vec![
                Series {
                    name: "This LA".into(),
                    kind: SeriesKind::Line,
                    colour: 0,
                    points: vec![[-2.0, 100.0], [2.0, 400.0]],
                    error_bars: vec![],
                },
                Series {
                    name: "Average LA".into(),
                    kind: SeriesKind::Dashed,
                    colour: 6,
                    points: vec![[-2.0, 120.0], [2.0, 300.0]],
                    error_bars: vec![],
                },
            ],
            y_from_zero: true,
            font_px: 16,
            legend: LegendCorner::UpperLeft,
        }
    }

    #[test]
    fn ranges_pad_and_start_at_zero() {
        let ((x0, x1), (y0, y1)) = ranges(&spec()).unwrap();
        assert_eq!((x0, x1), (-2.0, 2.0));
        assert_eq!(y0, 0.0);
        assert!((y1 - 420.0).abs() < 1e-9);
    }

    #[test]
    fn error_bars_widen_the_range_and_are_drawn() {
        let mut s = spec();
        s.series.push(Series {
            name: "Observed".into(),
            kind: SeriesKind::Points,
            colour: 1,
            points: vec![[0.0, 200.0]],
            error_bars: vec![[150.0, 500.0]],
        });
        s.legend = LegendCorner::LowerRight;
        let (_, (y0, y1)) = ranges(&s).unwrap();
        assert_eq!(y0, 0.0);
        assert!((y1 - 525.0).abs() < 1e-9, "{y1}");
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (640, 400)).into_drawing_area();
            draw(&root, &s).unwrap();
        }
        assert!(svg.contains("Observed"));
        // The bar is a vertical line in the series colour, vermillion (palette colour 1).
        assert!(svg.contains("#D55E00"), "no vermillion element");
    }

    #[test]
    fn a_spec_without_the_new_fields_still_reads() {
        let json = r#"{"x_label":"x","y_label":"y","series":[{"name":"a","points":[[0,1],[1,2]]}]}"#;
        let s: ChartSpec = serde_json::from_str(json).unwrap();
        assert!(s.series[0].error_bars.is_empty());
        assert_eq!(s.legend, LegendCorner::UpperLeft);
        assert_eq!(s.font_px, 16);
    }

    #[test]
    fn long_axis_labels_get_a_smaller_font() {
        assert_eq!(fitting_font("short", 400, 16), 16);
        assert_eq!(fitting_font(&"x".repeat(80), 352, 16), 9);
        assert_eq!(fitting_font(&"x".repeat(50), 352, 16), 12);
    }

    #[test]
    fn empty_chart_is_an_error_not_a_panic() {
        let mut s = spec();
        s.series.iter_mut().for_each(|s| s.points = vec![[f64::NAN, 1.0]]);
        assert!(ranges(&s).is_err());
    }

    #[test]
    fn draws_labels_and_legend_to_svg() {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (640, 400)).into_drawing_area();
            draw(&root, &spec()).unwrap();
        }
        for text in ["Referral rate", "Neighbourhood deprivation", "Rate per 10,000", "This LA", "Average LA"]
        {
            assert!(svg.contains(text), "missing {text}");
        }
    }
}
