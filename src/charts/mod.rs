//! Charts drawn with plotters on any backend: an HTML canvas in the browser (through the bindings),
//! SVG in native tests.
//!
//! A chart is described by a [`ChartSpec`] (serde, so the page can build one in JavaScript or the
//! engine can build one from a result) and drawn by [`draw`]. Colours come from the Okabe-Ito
//! palette, which stays distinguishable for the common forms of colour blindness; series are also
//! told apart by line style and marker so that colour is never the only cue.
//!
//! A line has a gap where a point is missing (not finite), and a point of a line with no
//! neighbour on either side is drawn as a dot. [`draw`] returns where it put the plot
//! ([`Frame`]), so that the page can find the point under the pointer and name it.
//!
//! A second kind of chart, the forest plot ([`ForestSpec`], drawn by [`draw_forest`]), shows
//! estimates with intervals for several groups on a log axis. The page draws forest plots with
//! their own small WebAssembly build (the `forest-plots` feature), loaded after the first score.

mod forest;
mod layout;
mod legend;
mod view;

pub use forest::{
    draw_forest, preferred_height, ForestEstimate, ForestGroup, ForestItem, ForestLayout, ForestSection,
    ForestSpec,
};
use layout::{text_width, tick_text, AxisInput, Layout, GAP_PX, LINE_EM, TICK_PX};
pub use layout::{Scale, MIN_FONT_PX};
use legend::draw_legend;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};
pub use view::{cell, ChartView, Table};

/// Okabe-Ito colour-blind-safe palette (black first for the reference series), then a
/// five-step diverging scale from blue (below) through grey to red (above), the colours of
/// [`DIVERGING`] (ColorBrewer RdBu, safe for the common forms of colour blindness).
const PALETTE: [RGBColor; 13] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(230, 159, 0),   // orange
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(0, 0, 0),       // black
    RGBColor(240, 228, 66),  // yellow
    RGBColor(5, 113, 176),   // diverging: dark blue
    RGBColor(146, 197, 222), // diverging: light blue
    RGBColor(150, 150, 150), // diverging: grey (the middle)
    RGBColor(244, 165, 130), // diverging: light red
    RGBColor(202, 0, 32),    // diverging: dark red
];

/// Palette indices of a five-step diverging colour scale, lowest to highest (for points
/// coloured by a value above or below a centre, such as a map of a field).
pub const DIVERGING: [usize; 5] = [8, 9, 10, 11, 12];

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
    /// Dotted line (a second reference curve).
    Dotted,
    /// Markers drawn large, ringed in black (the one chosen place among many points).
    Marked,
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

/// Where [`draw`] put the plot, in CSS pixels from the chart's top left corner, and the data
/// ranges of its axes: a point `(x, y)` is at `left + (x - x[0]) / (x[1] - x[0]) * (right - left)`
/// across and `bottom - (y - y[0]) / (y[1] - y[0]) * (bottom - top)` down.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Frame {
    /// `[left, top, right, bottom]` of the plotting area.
    pub plot: [f64; 4],
    pub x: [f64; 2],
    pub y: [f64; 2],
}

/// The runs of consecutive finite points of a line: a missing point ends one run.
fn runs(points: &[[f64; 2]]) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for p in points {
        if p[0].is_finite() && p[1].is_finite() {
            out.last_mut().expect("one run at least").push((p[0], p[1]));
        } else if !out.last().expect("one run at least").is_empty() {
            out.push(Vec::new());
        }
    }
    out.retain(|run| !run.is_empty());
    out
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
    /// Below the axes, out of the data's way (for lines that may run anywhere in the plot).
    Below,
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
    /// Font size of labels in CSS pixels (at least [`MIN_FONT_PX`]; tick labels are 2 px smaller).
    #[serde(default = "default_font")]
    pub font_px: u32,
    /// Where the legend goes (away from the data).
    #[serde(default)]
    pub legend: LegendCorner,
    /// Keep the axes' scales in proportion: a y unit is drawn `aspect` times as long as an x
    /// unit (1 for a map, where a metre north is as long as a metre east), at any size of the
    /// chart, by widening the range of one axis about its centre. `None`: each axis fills the plot.
    #[serde(default)]
    pub aspect: Option<f64>,
}

fn default_font() -> u32 {
    16
}

/// Why a chart could not be drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartError {
    /// No series has a finite point.
    NoPoints,
    /// A forest plot has no rows.
    NoItems,
    /// A forest plot's reference line on a log axis is not a positive number.
    ReferenceNotPositive,
    /// The drawing backend failed (its own description).
    Backend(String),
}

impl std::fmt::Display for ChartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("could not draw the chart: ")?;
        match self {
            ChartError::NoPoints => f.write_str("there are no points to draw"),
            ChartError::NoItems => f.write_str("there are no items to draw"),
            ChartError::ReferenceNotPositive => {
                f.write_str("the reference line of a log axis must be a positive number")
            }
            ChartError::Backend(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for ChartError {}

fn backend_error<E: std::fmt::Debug>(e: E) -> ChartError {
    ChartError::Backend(format!("{e:?}"))
}

/// An axis range, (low, high).
type Range = (f64, f64);

/// The finite points of a series, with the ends of its error bars as extra points at the same x.
fn extent(series: &Series) -> impl Iterator<Item = [f64; 2]> + '_ {
    let bars = series.points.iter().zip(&series.error_bars).flat_map(|(p, b)| [[p[0], b[0]], [p[0], b[1]]]);
    series.points.iter().copied().chain(bars).filter(|p| p[0].is_finite() && p[1].is_finite())
}

/// The data range of all finite points and error bars, padded by 5% up (across too with an
/// aspect), and widened when degenerate.
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
        return Err(ChartError::NoPoints);
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
    // A map's points at its edges are padded across as well as up.
    let x = if x1 > x0 && aspect_of(spec).is_none() { (x0, x1) } else { pad(x0, x1) };
    Ok((x, (y0p, y1p)))
}

/// Draw `spec` on `area` (cleared to white first) at `ratio` device pixels per CSS pixel (the
/// browser's `devicePixelRatio`; 1 for a plain image): the area is `ratio` times the chart's CSS
/// size, and every text size, margin, label area, line width and marker is scaled by `ratio`, so
/// the chart looks the same at any ratio, only sharper. Text is at least
/// [`layout::MIN_FONT_PX`] CSS px; long axis titles wrap. Returns where the plot is.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    spec: &ChartSpec,
    ratio: f64,
) -> Result<Frame, ChartError> {
    let data = ranges(spec)?;
    area.fill(&WHITE).map_err(backend_error)?;
    let scale = Scale::new(ratio);
    let px = |css: f64| scale.px(css);
    let (width, height) = area.dim_in_pixel();
    let (css_w, css_h) = (width as f64 / scale.ratio(), height as f64 / scale.ratio());
    let (mut x, mut y) = data;
    let mut layout = lay_out(spec, css_w, css_h, x, y);
    if let Some(aspect) = aspect_of(spec) {
        // The plot's size depends a little on the tick labels, hence on the ranges: settle it.
        for _ in 0..3 {
            let (plot_w, plot_h) = layout.plot_size(css_w, css_h);
            (x, y) = keep_aspect(data.0, data.1, plot_w, plot_h, aspect);
            layout = lay_out(spec, css_w, css_h, x, y);
        }
        let (plot_w, plot_h) = layout.plot_size(css_w, css_h);
        (x, y) = keep_aspect(data.0, data.1, plot_w, plot_h, aspect);
    }
    let ((x0, x1), (y0, y1)) = (x, y);
    let [top, right, bottom, left] = layout.margin;
    let mut builder = ChartBuilder::on(area);
    builder
        .margin_top(px(top))
        .margin_right(px(right))
        .margin_bottom(px(bottom))
        .margin_left(px(left))
        .x_label_area_size(px(layout.x_area))
        .y_label_area_size(px(layout.y_area));
    if !spec.title.is_empty() {
        builder.caption(&spec.title, ("sans-serif", px(layout.font + 2.0)));
    }
    let mut chart = builder.build_cartesian_2d(x0..x1, y0..y1).map_err(backend_error)?;
    let (x0, x1, y0, y1) = match aspect_of(spec) {
        // The plot's exact size is known once built (the caption's height is the backend's):
        // the ranges are fitted to it, and the chart built again on a cleared area.
        Some(aspect) => {
            let (xs, ys) = chart.plotting_area().get_pixel_range();
            let (x, y) =
                keep_aspect(data.0, data.1, (xs.end - xs.start) as f64, (ys.end - ys.start) as f64, aspect);
            if (x, y) != ((x0, x1), (y0, y1)) {
                area.fill(&WHITE).map_err(backend_error)?;
                chart = builder.build_cartesian_2d(x.0..x.1, y.0..y.1).map_err(backend_error)?;
            }
            (x.0, x.1, y.0, y.1)
        }
        None => (x0, x1, y0, y1),
    };
    let (x_decimals, y_decimals) = (layout.x.decimals, layout.y.decimals);
    let x_format = move |v: &f64| tick_text(*v, x_decimals);
    let y_format = move |v: &f64| tick_text(*v, y_decimals);
    let thin = px(1.0);
    chart
        .configure_mesh()
        .x_labels(layout.x.ticks)
        .y_labels(layout.y.ticks)
        .x_label_formatter(&x_format)
        .y_label_formatter(&y_format)
        .set_all_tick_mark_size(px(TICK_PX))
        .label_style(("sans-serif", px(layout.tick_font)))
        .axis_style(ShapeStyle::from(&BLACK).stroke_width(thin))
        .bold_line_style(ShapeStyle::from(&RGBColor(215, 215, 215)).stroke_width(thin))
        .light_line_style(ShapeStyle::from(&RGBColor(235, 235, 235)).stroke_width(thin))
        .draw()
        .map_err(backend_error)?;
    draw_axis_titles(area, &chart.plotting_area().get_pixel_range(), &layout, scale)?;

    let css = |device: i32| device as f64 / scale.ratio();
    let plot = chart.plotting_area().get_pixel_range();
    let radius =
        point_radius(spec, css((plot.0.end - plot.0.start).max(1)), css((plot.1.end - plot.1.start).max(1)));
    for series in &spec.series {
        draw_one_series(&mut chart, series, scale, radius)?;
    }
    draw_legend(area, &plot, &spec.series, spec.legend, &layout, scale)?;
    area.present().map_err(backend_error)?;
    Ok(Frame {
        plot: [css(plot.0.start), css(plot.1.start), css(plot.0.end), css(plot.1.end)],
        x: [x0, x1],
        y: [y0, y1],
    })
}

/// The layout of `spec` on a `css_w` x `css_h` chart with axis ranges `x` and `y`.
fn lay_out(spec: &ChartSpec, css_w: f64, css_h: f64, x: Range, y: Range) -> Layout {
    Layout::new(
        css_w,
        css_h,
        spec.font_px as f64,
        &spec.title,
        AxisInput { title: &spec.x_label, range: x },
        AxisInput { title: &spec.y_label, range: y },
        &spec.series.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        spec.legend == LegendCorner::Below,
    )
}

/// The spec's aspect, when it is a usable one (finite and positive).
fn aspect_of(spec: &ChartSpec) -> Option<f64> {
    spec.aspect.filter(|a| a.is_finite() && *a > 0.0)
}

/// The ranges `x` and `y` with one of them widened about its centre so that, in a `plot_w` x
/// `plot_h` plot, a y unit is `aspect` times as long as an x unit: `plot_h / span_y = aspect ·
/// plot_w / span_x`. The other range is kept, so every point stays in view.
fn keep_aspect(x: Range, y: Range, plot_w: f64, plot_h: f64, aspect: f64) -> (Range, Range) {
    let (span_x, span_y) = (x.1 - x.0, y.1 - y.0);
    let widen = |r: Range, span: f64| {
        let mid = (r.0 + r.1) / 2.0;
        (mid - span / 2.0, mid + span / 2.0)
    };
    if !(span_x > 0.0 && span_y > 0.0 && plot_w > 0.0 && plot_h > 0.0) {
        return (x, y);
    }
    if plot_h / span_y > aspect * plot_w / span_x {
        (x, widen(y, plot_h * span_x / (aspect * plot_w)))
    } else {
        (widen(x, aspect * plot_w * span_y / plot_h), y)
    }
}

/// The CSS height a chart with an aspect takes at `css_w` CSS px wide: the height at which its
/// data fill the plot at that aspect, with the plot between half and 1.3 times as tall as it is
/// wide (a long thin field keeps a readable plot; a tall one does not outgrow the screen).
/// `None` for a chart without an aspect or without points (its page's shape stands).
pub fn aspect_height(spec: &ChartSpec, css_w: f64) -> Option<f64> {
    let aspect = aspect_of(spec)?;
    let (x, y) = ranges(spec).ok()?;
    if !(css_w.is_finite() && css_w > 0.0) {
        return None;
    }
    let mut height = css_w;
    for _ in 0..3 {
        let (plot_w, plot_h) = lay_out(spec, css_w, height, x, y).plot_size(css_w, height);
        let wanted = (aspect * plot_w * (y.1 - y.0) / (x.1 - x.0)).clamp(0.5 * plot_w, 1.3 * plot_w);
        height += wanted - plot_h;
    }
    Some(height.round())
}

/// The radius of the markers of point series, in CSS px: 4, or less when many points share
/// the plot (a map of thousands of places), so that each keeps about its share of the plot:
/// half the side of the square of area `plot_w · plot_h / n` for `n` points, at least 0.8.
fn point_radius(spec: &ChartSpec, plot_w: f64, plot_h: f64) -> f64 {
    let n: usize = spec.series.iter().filter(|s| s.kind == SeriesKind::Points).map(|s| s.points.len()).sum();
    if n == 0 {
        return 4.0;
    }
    (0.5 * (plot_w * plot_h / n as f64).sqrt()).clamp(0.8, 4.0)
}

/// One series on the chart: its error bars, then its line (solid, dashed or dotted; a lone
/// point between gaps as a dot), its points (of `radius` CSS px), or its marked points (ringed).
fn draw_one_series<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    series: &Series,
    scale: Scale,
    radius: f64,
) -> Result<(), ChartError> {
    let px = |css: f64| scale.px(css);
    let line = px(3.0);
    let colour = PALETTE[series.colour % PALETTE.len()];
    let points: Vec<(f64, f64)> =
        series.points.iter().filter(|p| p[0].is_finite() && p[1].is_finite()).map(|p| (p[0], p[1])).collect();
    let style = ShapeStyle::from(&colour).stroke_width(line);
    let bars: Vec<PathElement<(f64, f64)>> = series
        .points
        .iter()
        .zip(&series.error_bars)
        .filter(|(p, b)| p[0].is_finite() && b[0].is_finite() && b[1].is_finite())
        .map(|(p, b)| {
            PathElement::new(
                vec![(p[0], b[0]), (p[0], b[1])],
                ShapeStyle::from(&colour).stroke_width(px(2.0)),
            )
        })
        .collect();
    chart.draw_series(bars).map_err(backend_error)?;
    let dot = |p: (f64, f64), radius: f64| Circle::new(p, px(radius), colour.filled());
    match series.kind {
        SeriesKind::Line | SeriesKind::Dashed | SeriesKind::Dotted => {
            let style = if series.kind == SeriesKind::Dotted {
                ShapeStyle::from(&colour).stroke_width(px(2.0))
            } else {
                style
            };
            for run in runs(&series.points) {
                if run.len() == 1 {
                    chart.draw_series(std::iter::once(dot(run[0], 3.5))).map_err(backend_error)?;
                    continue;
                }
                match series.kind {
                    SeriesKind::Dashed => {
                        chart.draw_series(DashedLineSeries::new(run, px(8.0), px(6.0), style))
                    }
                    SeriesKind::Dotted => {
                        chart.draw_series(DashedLineSeries::new(run, px(2.0), px(5.0), style))
                    }
                    _ => chart.draw_series(LineSeries::new(run, style)),
                }
                .map_err(backend_error)?;
            }
        }
        SeriesKind::Points => {
            chart.draw_series(points.into_iter().map(|p| dot(p, radius))).map_err(backend_error)?;
        }
        SeriesKind::Marked => {
            let ring = ShapeStyle::from(&BLACK).stroke_width(px(2.5));
            let halo = ShapeStyle::from(&WHITE).stroke_width(px(5.0));
            for p in points {
                chart
                    .draw_series([Circle::new(p, px(10.0), halo), Circle::new(p, px(10.0), ring)])
                    .map_err(backend_error)?;
                chart.draw_series(std::iter::once(dot(p, 6.5))).map_err(backend_error)?;
            }
        }
    }
    Ok(())
}

/// The axis titles, line by line: the x title centred under the tick labels, the y title turned
/// to read upwards at the left edge, both centred on the plot but moved, when a line is longer
/// than the plot, to stay inside the margins.
fn draw_axis_titles<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    plot: &(std::ops::Range<i32>, std::ops::Range<i32>),
    layout: &Layout,
    scale: Scale,
) -> Result<(), ChartError> {
    let px = |css: f64| scale.px(css) as i32;
    let (width, height) = area.dim_in_pixel();
    let [top, right, bottom, left] = layout.margin;
    // The centre of a line `half` long on the axis, kept within `lo..hi`.
    let centre = |mid: i32, half: i32, lo: i32, hi: i32| mid.min(hi - half).max(lo + half);
    let (xs, ys) = plot;
    let font = ("sans-serif", scale.px(layout.font)).into_font();
    let below = font.clone().into_text_style(area).pos(Pos::new(HPos::Center, VPos::Top));
    let x_top = ys.end + px(TICK_PX + GAP_PX + LINE_EM * layout.tick_font + GAP_PX);
    for (i, line) in layout.x.lines.iter().enumerate() {
        let half = px(text_width(line, layout.font) / 2.0);
        let x = centre((xs.start + xs.end) / 2, half, px(left), width as i32 - px(right));
        area.draw_text(line, &below, (x, x_top + px(i as f64 * layout.line_height)))
            .map_err(backend_error)?;
    }
    let upward =
        font.transform(FontTransform::Rotate270).into_text_style(area).pos(Pos::new(HPos::Center, VPos::Top));
    for (i, line) in layout.y.lines.iter().enumerate() {
        let half = px(text_width(line, layout.font) / 2.0);
        let y = centre((ys.start + ys.end) / 2, half, px(top + layout.caption), height as i32 - px(bottom));
        area.draw_text(line, &upward, (px(left + i as f64 * layout.line_height), y))
            .map_err(backend_error)?;
    }
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
            aspect: None,
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
            draw(&root, &s, 1.0).unwrap();
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
    fn a_missing_point_breaks_a_line_and_a_lone_point_is_a_dot() {
        let points = vec![
            [0.0, 1.0],
            [1.0, 2.0],
            [2.0, f64::NAN],
            [3.0, 2.5],
            [4.0, f64::NAN],
            [5.0, 3.0],
            [6.0, 2.0],
        ];
        assert_eq!(
            runs(&points),
            vec![vec![(0.0, 1.0), (1.0, 2.0)], vec![(3.0, 2.5)], vec![(5.0, 3.0), (6.0, 2.0)]]
        );
        let mut s = spec();
        s.series =
            vec![Series { name: "LA".into(), kind: SeriesKind::Line, colour: 0, points, error_bars: vec![] }];
        let mut svg = String::new();
        let frame = {
            let root = SVGBackend::with_string(&mut svg, (640, 400)).into_drawing_area();
            draw(&root, &s, 1.0).unwrap()
        };
        let blue = |tag: &str| svg.lines().filter(|l| l.contains(tag) && l.contains("#0072B2")).count();
        // Two runs of the line, and one more short line for its legend key; the lone point is a dot.
        assert_eq!(blue("<polyline"), 2 + 1, "{svg}");
        assert_eq!(blue("<circle"), 1);
        // The plot lies inside the chart, and its data ranges are the padded ones.
        let [left, top, right, bottom] = frame.plot;
        assert!(
            0.0 < left && left < right && right <= 640.0 && 0.0 <= top && top < bottom && bottom <= 400.0
        );
        assert_eq!(frame.x, [0.0, 6.0]);
        assert_eq!(frame.y[0], 0.0);
    }

    /// A map of points spread `w` across and `h` up, with aspect 1.
    fn map(w: f64, h: f64, n: usize) -> ChartSpec {
        let points = (0..n).map(|i| [w * (i % 7) as f64 / 6.0, h * (i % 5) as f64 / 4.0]).collect();
        ChartSpec {
            series: vec![Series {
                name: "Places".into(),
                kind: SeriesKind::Points,
                colour: 0,
                points,
                error_bars: vec![],
            }],
            legend: LegendCorner::Below,
            aspect: Some(1.0),
            y_from_zero: false,
            ..spec()
        }
    }

    /// Data units per CSS pixel across and up the plot of `frame`.
    fn units_per_px(frame: &Frame) -> (f64, f64) {
        let [left, top, right, bottom] = frame.plot;
        ((frame.x[1] - frame.x[0]) / (right - left), (frame.y[1] - frame.y[0]) / (bottom - top))
    }

    #[test]
    fn a_chart_with_an_aspect_keeps_it_at_every_size() {
        // Wide and tall data, on wide, tall and phone-sized charts, at two pixel ratios.
        for (w, h) in [(50.0, 20.0), (500.0, 650.0), (3.0, 3.0)] {
            let spec = map(w, h, 40);
            for (width, height, ratio) in
                [(760, 460, 1.0), (330, 700, 1.0), (400, 400, 2.0), (1200, 300, 1.5)]
            {
                let mut svg = String::new();
                let frame = {
                    let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
                    draw(&root, &spec, ratio).unwrap()
                };
                let (ux, uy) = units_per_px(&frame);
                // Equal within the rounding of the margins to device pixels.
                assert!((ux / uy - 1.0).abs() < 0.01, "{w}x{h} on {width}x{height}: {ux} vs {uy}");
                // Every point is inside the plot: one range is the padded data, the other wider.
                assert!(frame.x[0] <= -0.05 * w + 1e-9 && frame.x[1] >= 1.05 * w - 1e-9, "{frame:?}");
                assert!(frame.y[0] <= -0.05 * h + 1e-9 && frame.y[1] >= 1.05 * h - 1e-9, "{frame:?}");
            }
        }
        // Without an aspect the axes fill the plot whatever their units.
        let mut spec = map(50.0, 5.0, 40);
        spec.aspect = None;
        let mut svg = String::new();
        let frame = {
            let root = SVGBackend::with_string(&mut svg, (760, 460)).into_drawing_area();
            draw(&root, &spec, 1.0).unwrap()
        };
        assert_eq!(frame.x, [0.0, 50.0]);
        let (ux, uy) = units_per_px(&frame);
        assert!(ux / uy > 1.5, "{ux} {uy}");
    }

    #[test]
    fn a_chart_with_an_aspect_takes_the_height_its_data_need() {
        // Square data: a square plot, so taller than wide once the axes and legend are added.
        let square = aspect_height(&map(100.0, 100.0, 20), 600.0).unwrap();
        let mut svg = String::new();
        let frame = {
            let root = SVGBackend::with_string(&mut svg, (600, square as u32)).into_drawing_area();
            draw(&root, &map(100.0, 100.0, 20), 1.0).unwrap()
        };
        let [left, top, right, bottom] = frame.plot;
        assert!(((bottom - top) / (right - left) - 1.0).abs() < 0.02, "{frame:?}");
        assert!(square > 600.0);
        // A long thin field gets a plot half as tall as wide; a very tall one 1.3 times.
        let (thin, tall) = (
            aspect_height(&map(100.0, 5.0, 20), 600.0).unwrap(),
            aspect_height(&map(5.0, 100.0, 20), 600.0).unwrap(),
        );
        assert!(thin < square && square < tall, "{thin} {square} {tall}");
        // No aspect, no points or no width: the page's shape stands.
        assert_eq!(aspect_height(&spec(), 600.0), None);
        assert_eq!(aspect_height(&map(1.0, 1.0, 0), 600.0), None);
        assert_eq!(aspect_height(&map(1.0, 1.0, 3), f64::NAN), None);
    }

    #[test]
    fn many_points_get_smaller_markers() {
        assert_eq!(point_radius(&map(1.0, 1.0, 20), 500.0, 600.0), 4.0);
        // England's 32,844 places on a 500 x 650 plot: about 1.6 px.
        let r = point_radius(&map(1.0, 1.0, 32_844), 500.0, 650.0);
        assert!((r - 0.5 * (500.0f64 * 650.0 / 32_844.0).sqrt()).abs() < 1e-12 && r < 1.7, "{r}");
        assert_eq!(point_radius(&map(1.0, 1.0, 1_000_000), 500.0, 650.0), 0.8);
        assert_eq!(point_radius(&spec(), 500.0, 650.0), 4.0);
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
            draw(&root, &spec(), 1.0).unwrap();
        }
        for text in ["Referral rate", "Neighbourhood deprivation", "Rate per 10,000", "This LA", "Average LA"]
        {
            assert!(svg.contains(text), "missing {text}");
        }
    }
}
