//! Forest plots: one row per item, each group's estimate (a marker) with its interval (a
//! horizontal line) on a logarithmic axis, and a dashed reference line (1 for odds ratios).
//!
//! Groups are told apart by colour *and* marker shape (the g-th group has the g-th of circle,
//! square, triangle, diamond, downward triangle and plus), and always come in the same order
//! within an item (the legend's order, top to bottom), so colour is never the only cue. With
//! [`ForestSpec::hollow_when_interval_includes_reference`], an estimate whose interval reaches
//! the reference line is drawn hollow. An estimate the source does not give is written as
//! "N/A: group" at the right of its item. Item labels sit left of the plot, or above their item
//! when the chart is narrower than [`SIDE_LABELS_MIN_PX`] (a phone).
//!
//! Everything is laid out in CSS pixels ([`ForestLayout`]) and drawn scaled by the device pixel
//! ratio, like the other charts; the height a chart needs at a width is [`preferred_height`], and
//! a chart drawn taller or shorter spreads or packs its items to fill the height given.

use std::f64::consts::FRAC_1_SQRT_2;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;
use serde::{Deserialize, Serialize};

use super::layout::{text_width, wrap, Scale, GAP_PX, LINE_EM, MIN_FONT_PX, TICK_PX};
use super::{backend_error, default_font, ChartError, PALETTE};

/// Below this CSS width, item labels go above their item rather than beside it.
pub const SIDE_LABELS_MIN_PX: f64 = 560.0;

/// The marker of a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
    TriangleDown,
    Plus,
}

impl Marker {
    /// The marker of the `g`-th group.
    fn of_group(g: usize) -> Marker {
        [
            Marker::Circle,
            Marker::Square,
            Marker::Triangle,
            Marker::Diamond,
            Marker::TriangleDown,
            Marker::Plus,
        ][g % 6]
    }
}

/// One group of estimates (a legend entry), such as a local authority.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForestGroup {
    pub name: String,
    /// Index into the colour-blind-safe palette.
    pub colour: usize,
}

/// A group's estimate for an item: a value and, when the source gives one, its interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ForestEstimate {
    pub value: f64,
    #[serde(default)]
    pub interval: Option<[f64; 2]>,
}

/// One row of the plot: an item and one estimate per group (`None`: not given by the source).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForestItem {
    pub label: String,
    pub estimates: Vec<Option<ForestEstimate>>,
}

/// Items under a heading (an empty heading draws none).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForestSection {
    #[serde(default)]
    pub heading: String,
    pub items: Vec<ForestItem>,
}

/// A complete forest plot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForestSpec {
    /// Title of the value axis (the chart's own title goes beside it, in the page's caption).
    pub x_label: String,
    pub groups: Vec<ForestGroup>,
    pub sections: Vec<ForestSection>,
    /// Where the dashed reference line is drawn; the axis is logarithmic, so it must be positive.
    pub reference: f64,
    /// Draw an estimate hollow when its interval reaches the reference line.
    #[serde(default)]
    pub hollow_when_interval_includes_reference: bool,
    /// Font size of labels in CSS pixels (at least [`MIN_FONT_PX`]).
    #[serde(default = "default_font")]
    pub font_px: u32,
}

/// Height of a group's line within an item, CSS px, before items are spread to fill the height.
const SUB_ROW_PX: f64 = 9.0;
/// Space above and below the estimates of an item.
const ITEM_PAD_PX: f64 = 6.0;
/// Half the size of a marker, CSS px.
const MARKER_PX: f64 = 4.5;
const LEGEND_KEY_PX: f64 = 14.0;
const LEGEND_SPACING_PX: f64 = 18.0;

/// One line of the plot's body: a section heading or an item.
#[derive(Debug, Clone, PartialEq)]
pub enum ForestRow {
    Heading { text: String, top: f64 },
    Item { section: usize, item: usize, lines: Vec<String>, top: f64, height: f64, estimates_top: f64 },
}

/// A forest plot laid out in CSS pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct ForestLayout {
    /// Whether everything fits the height (rows packed as tightly as they may be can still overflow).
    pub fits: bool,
    pub width: f64,
    pub height: f64,
    pub font: f64,
    pub tick_font: f64,
    pub line_height: f64,
    /// Labels beside the plot (`false`: above each item).
    pub side_labels: bool,
    /// Legend lines: each entry's group index and x offset.
    pub legend: Vec<Vec<(usize, f64)>>,
    /// Note after the legend (what a hollow marker means), if any.
    pub legend_note: Option<String>,
    pub legend_top: f64,
    pub plot_left: f64,
    pub plot_right: f64,
    pub plot_top: f64,
    pub plot_bottom: f64,
    /// log10 of the axis ends.
    pub log_range: (f64, f64),
    pub ticks: Vec<f64>,
    pub x_title: Vec<String>,
    /// Height of one group's line within an item.
    pub sub_row: f64,
    pub rows: Vec<ForestRow>,
}

/// Every finite positive value and interval end, with the reference.
fn values(spec: &ForestSpec) -> impl Iterator<Item = f64> + '_ {
    let ends =
        spec.sections.iter().flat_map(|s| &s.items).flat_map(|i| i.estimates.iter().flatten()).flat_map(
            |e| {
                let [lo, hi] = e.interval.unwrap_or([e.value, e.value]);
                [e.value, lo, hi]
            },
        );
    ends.chain([spec.reference]).filter(|v| v.is_finite() && *v > 0.0)
}

/// log10 of the axis ends: the values' range padded by 4% either side, at least a factor of 2 wide.
fn log_range(spec: &ForestSpec) -> Result<(f64, f64), ChartError> {
    if !(spec.reference.is_finite() && spec.reference > 0.0) {
        return Err(ChartError::ReferenceNotPositive);
    }
    if spec.sections.iter().all(|s| s.items.is_empty()) {
        return Err(ChartError::NoItems);
    }
    let (lo, hi) = values(spec).fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    let (lo, hi) = (lo.log10(), hi.log10());
    let span = (hi - lo).max(2f64.log10());
    let mid = (lo + hi) / 2.0;
    let (lo, hi) = (lo.min(mid - span / 2.0), hi.max(mid + span / 2.0));
    Ok((lo - 0.04 * span, hi + 0.04 * span))
}

/// A tick label for a tick of at most two significant digits (1, 1.2, 1.5, 2, 3, 5, 7 times a
/// power of ten): `0.05`, `1.2`, `20`, and beyond 0.0001 and 1,000,000 `5e-6`, `2e7`. Written with
/// integers only: float formatting would double the forest plots' wasm.
pub fn tick_label(v: f64) -> String {
    if !(v.is_finite() && v > 0.0) {
        return "0".to_string();
    }
    // v = digits x 10^(k - 1), digits of two figures (10 to 99).
    let mut k = v.log10().floor() as i32;
    let mut digits = (v / 10f64.powi(k - 1)).round() as u32;
    if digits >= 100 {
        digits /= 10;
        k += 1;
    }
    let (tens, units) = (digits / 10, digits % 10);
    if !(-4..6).contains(&k) {
        return match units {
            0 => format!("{tens}e{k}"),
            _ => format!("{tens}.{units}e{k}"),
        };
    }
    if k >= 1 {
        return (digits * 10u32.pow((k - 1) as u32)).to_string();
    }
    // Below 10: a decimal point after `-k` zeros, the trailing zero dropped.
    let figures = if units == 0 { tens.to_string() } else { digits.to_string() };
    match k {
        0 if units == 0 => tens.to_string(),
        0 => format!("{tens}.{units}"),
        _ => format!("0.{}{figures}", "0".repeat((-k - 1) as usize)),
    }
}

/// Ticks within `range` (log10) whose labels, `font` px high, fit in `room` px without touching: at
/// 1, 2 and 5 times the powers of ten, or finer (1, 1.2, 1.5, 2, 3, 5, 7) when that gives fewer
/// than three, or thinned to the powers of ten, then to every other one, when crowded.
pub fn log_ticks(range: (f64, f64), room: f64, font: f64) -> Vec<f64> {
    let (lo, hi) = range;
    let decades = (lo.floor() as i32)..=(hi.ceil() as i32);
    let inside = |v: &f64| (lo..=hi).contains(&v.log10());
    let make = |mantissas: &[f64], every: i32| -> Vec<f64> {
        decades
            .clone()
            .filter(|k| k.rem_euclid(every) == 0)
            .flat_map(|k| mantissas.iter().map(move |m| m * 10f64.powi(k)))
            .filter(inside)
            .collect()
    };
    let fits = |ticks: &[f64]| {
        let x = |v: f64| (v.log10() - lo) / (hi - lo) * room;
        ticks.windows(2).all(|w| {
            let gap = x(w[1]) - x(w[0]);
            gap >= (text_width(&tick_label(w[0]), font) + text_width(&tick_label(w[1]), font)) / 2.0 + font
        })
    };
    let standard = make(&[1.0, 2.0, 5.0], 1);
    if standard.len() < 3 {
        let fine = make(&[1.0, 1.2, 1.5, 2.0, 3.0, 5.0, 7.0], 1);
        if fine.len() >= 2 && fits(&fine) {
            return fine;
        }
    }
    for (mantissas, every) in [(&[1.0, 2.0, 5.0][..], 1), (&[1.0][..], 1), (&[1.0][..], 2), (&[1.0][..], 3)] {
        let ticks = make(mantissas, every);
        if ticks.len() >= 2 && fits(&ticks) {
            return ticks;
        }
    }
    // Nothing fits: the first and last candidates only (none on a very short axis).
    let all = make(&[1.0, 2.0, 5.0], 1);
    match (all.first(), all.last()) {
        (Some(&a), Some(&b)) if a != b => vec![a, b],
        (Some(&a), _) => vec![a],
        _ => Vec::new(),
    }
}

/// Legend entries wrapped into lines no wider than `room`: (group, x offset) per entry.
fn legend_lines(spec: &ForestSpec, room: f64, font: f64) -> Vec<Vec<(usize, f64)>> {
    let mut lines: Vec<Vec<(usize, f64)>> = vec![Vec::new()];
    let mut x = 0.0;
    for (g, group) in spec.groups.iter().enumerate() {
        let w = LEGEND_KEY_PX + GAP_PX + text_width(&group.name, font);
        if x > 0.0 && x + w > room {
            lines.push(Vec::new());
            x = 0.0;
        }
        lines.last_mut().unwrap().push((g, x));
        x += w + LEGEND_SPACING_PX;
    }
    lines
}

impl ForestLayout {
    /// Lays out `spec` on a `width` x `height` CSS px chart; `height: None` gives the chart its
    /// natural height (the one [`preferred_height`] returns). Labels go above their rows below
    /// [`SIDE_LABELS_MIN_PX`] unless the rows then do not fit the height given.
    pub fn new(spec: &ForestSpec, width: f64, height: Option<f64>) -> Result<ForestLayout, ChartError> {
        if width >= SIDE_LABELS_MIN_PX {
            return ForestLayout::with_labels(spec, width, height, true);
        }
        let above = ForestLayout::with_labels(spec, width, height, false)?;
        if above.fits {
            return Ok(above);
        }
        ForestLayout::with_labels(spec, width, height, true)
    }

    /// The layout with labels beside the rows (`side_labels`) or above them.
    fn with_labels(
        spec: &ForestSpec,
        width: f64,
        height: Option<f64>,
        side_labels: bool,
    ) -> Result<ForestLayout, ChartError> {
        let log_range = log_range(spec)?;
        let font = (spec.font_px as f64).clamp(MIN_FONT_PX, 48.0);
        let tick_font = (font - 2.0).max(MIN_FONT_PX);
        let line_height = LINE_EM * font;
        let edge = (font / 2.0).round() + 4.0;
        let inner = (width - 2.0 * edge).max(1.0);
        let legend_font = (font - 1.0).max(MIN_FONT_PX);
        let legend = legend_lines(spec, inner, legend_font);
        let legend_note = spec
            .hollow_when_interval_includes_reference
            .then(|| format!("Hollow marker: the interval reaches {}", tick_label(spec.reference)));
        let note_lines = legend_note.as_ref().map_or(0, |n| wrap(n, inner, legend_font).len());
        let legend_top = edge;
        let legend_h = (legend.len() + note_lines) as f64 * LINE_EM * legend_font + GAP_PX;
        let plot_top = legend_top + legend_h + GAP_PX;

        let labels: Vec<&str> =
            spec.sections.iter().flat_map(|s| s.items.iter().map(|i| i.label.as_str())).collect();
        let label_w = if side_labels {
            let widest = labels.iter().map(|l| text_width(l, font)).fold(0.0, f64::max);
            widest.min(0.4 * inner)
        } else {
            inner
        };
        let plot_left = if side_labels { edge + label_w + 2.0 * GAP_PX } else { edge };
        let ticks_room = width - edge - plot_left;
        // The last tick label may be centred on the right edge.
        let plot_right = width - edge - text_width("00", tick_font) / 2.0;
        let ticks = log_ticks(log_range, plot_right - plot_left, tick_font);
        let x_title = wrap(&spec.x_label, ticks_room.max(inner / 2.0), font);
        let axis_h = TICK_PX + GAP_PX + LINE_EM * tick_font + GAP_PX + x_title.len() as f64 * line_height;

        // Natural heights of the body's rows.
        let groups = spec.groups.len().max(1) as f64;
        let heading_h = LINE_EM * font + GAP_PX;
        let mut rows = Vec::new();
        let mut fixed = 0.0; // headings and stacked labels: not stretched
        let mut stretch = 0.0; // estimates: stretched to fill the height
        for (s, section) in spec.sections.iter().enumerate() {
            if !section.heading.is_empty() {
                rows.push(ForestRow::Heading { text: section.heading.clone(), top: 0.0 });
                fixed += heading_h;
            }
            for (i, item) in section.items.iter().enumerate() {
                let lines = wrap(&item.label, label_w, font);
                let label_h = lines.len() as f64 * line_height;
                let estimates = groups * SUB_ROW_PX + 2.0 * ITEM_PAD_PX;
                if side_labels {
                    fixed += (label_h - estimates).max(0.0);
                } else {
                    fixed += label_h;
                }
                stretch += estimates;
                rows.push(ForestRow::Item {
                    section: s,
                    item: i,
                    lines,
                    top: 0.0,
                    height: 0.0,
                    estimates_top: 0.0,
                });
            }
        }
        let natural = plot_top + fixed + stretch + axis_h + edge;
        let height = height.unwrap_or(natural);
        // Spread (or pack) the estimates to fill the height, never below 3 px a group.
        let factor = ((height - natural + stretch) / stretch).max(3.0 / SUB_ROW_PX);
        let sub_row = SUB_ROW_PX * factor;
        let pad = ITEM_PAD_PX * factor;
        let mut y = plot_top;
        for row in &mut rows {
            match row {
                ForestRow::Heading { top, .. } => {
                    *top = y;
                    y += heading_h;
                }
                ForestRow::Item { lines, top, height, estimates_top, .. } => {
                    let label_h = lines.len() as f64 * line_height;
                    let estimates = groups * sub_row + 2.0 * pad;
                    *top = y;
                    if side_labels {
                        *height = estimates.max(label_h);
                        *estimates_top = y + (*height - estimates) / 2.0 + pad;
                    } else {
                        *height = label_h + estimates;
                        *estimates_top = y + label_h + pad;
                    }
                    y += *height;
                }
            }
        }
        Ok(ForestLayout {
            fits: y + axis_h + edge <= height + 0.5,
            width,
            height,
            font,
            tick_font,
            line_height,
            side_labels,
            legend,
            legend_note,
            legend_top,
            plot_left,
            plot_right,
            plot_top,
            plot_bottom: y,
            log_range,
            ticks,
            x_title,
            sub_row,
            rows,
        })
    }

    /// The CSS x of a value on the log axis.
    pub fn x(&self, v: f64) -> f64 {
        let (lo, hi) = self.log_range;
        self.plot_left + (v.log10() - lo) / (hi - lo) * (self.plot_right - self.plot_left)
    }
}

/// The CSS height `spec` needs at `width` CSS px: every item's label, and each group's line
/// within an item at its natural spacing.
pub fn preferred_height(spec: &ForestSpec, width: f64) -> Result<f64, ChartError> {
    Ok(ForestLayout::new(spec, width, None)?.height)
}

/// cos and sin of 0, 1/16, ..., 15/16 of a turn: a circle marker is a 16-sided polygon.
const CIRCLE: [[f64; 2]; 16] = [
    [1.0, 0.0],
    [0.923_879_532_511_286_7, 0.382_683_432_365_089_8],
    [FRAC_1_SQRT_2, FRAC_1_SQRT_2],
    [0.382_683_432_365_089_8, 0.923_879_532_511_286_7],
    [0.0, 1.0],
    [-0.382_683_432_365_089_8, 0.923_879_532_511_286_7],
    [-FRAC_1_SQRT_2, FRAC_1_SQRT_2],
    [-0.923_879_532_511_286_7, 0.382_683_432_365_089_8],
    [-1.0, 0.0],
    [-0.923_879_532_511_286_7, -0.382_683_432_365_089_8],
    [-FRAC_1_SQRT_2, -FRAC_1_SQRT_2],
    [-0.382_683_432_365_089_8, -0.923_879_532_511_286_7],
    [0.0, -1.0],
    [0.382_683_432_365_089_8, -0.923_879_532_511_286_7],
    [FRAC_1_SQRT_2, -FRAC_1_SQRT_2],
    [0.923_879_532_511_286_7, -0.382_683_432_365_089_8],
];

/// The points of a marker centred at `(x, y)`, `r` device px from centre to edge.
fn marker_points(marker: Marker, x: i32, y: i32, r: i32) -> Vec<(i32, i32)> {
    let t = (r as f64 * 0.35).round().max(1.0) as i32; // half the plus's arm
    match marker {
        Marker::Circle => CIRCLE
            .iter()
            .map(|[c, s]| (x + (r as f64 * c).round() as i32, y + (r as f64 * s).round() as i32))
            .collect(),
        Marker::Square => vec![(x - r, y - r), (x + r, y - r), (x + r, y + r), (x - r, y + r)],
        Marker::Triangle => vec![(x, y - r - 1), (x + r + 1, y + r), (x - r - 1, y + r)],
        Marker::TriangleDown => vec![(x, y + r + 1), (x + r + 1, y - r), (x - r - 1, y - r)],
        Marker::Diamond => vec![(x, y - r - 1), (x + r + 1, y), (x, y + r + 1), (x - r - 1, y)],
        Marker::Plus => vec![
            (x - t, y - r - 1),
            (x + t, y - r - 1),
            (x + t, y - t),
            (x + r + 1, y - t),
            (x + r + 1, y + t),
            (x + t, y + t),
            (x + t, y + r + 1),
            (x - t, y + r + 1),
            (x - t, y + t),
            (x - r - 1, y + t),
            (x - r - 1, y - t),
            (x - t, y - t),
        ],
    }
}

/// Draws in CSS pixels on an area whose device pixels are `ratio` times as many: one small
/// function per kind of mark, so the drawing code stays small in the page's wasm.
struct Painter<'a, DB: DrawingBackend> {
    area: &'a DrawingArea<DB, Shift>,
    scale: Scale,
}

impl<DB: DrawingBackend> Painter<'_, DB> {
    /// A CSS length or coordinate in device pixels.
    fn px(&self, css: f64) -> i32 {
        (css * self.scale.ratio()).round() as i32
    }

    /// A line through `points` (CSS px), `width` CSS px wide.
    fn line(&self, points: &[(f64, f64)], colour: RGBColor, width: f64) -> Result<(), ChartError> {
        let points: Vec<(i32, i32)> = points.iter().map(|&(x, y)| (self.px(x), self.px(y))).collect();
        let style = ShapeStyle::from(&colour).stroke_width(self.scale.px(width));
        self.area.draw(&PathElement::new(points, style)).map_err(backend_error)
    }

    /// A filled rectangle between two corners (CSS px).
    fn rect(&self, (x0, y0): (f64, f64), (x1, y1): (f64, f64), colour: RGBColor) -> Result<(), ChartError> {
        let corners = [(self.px(x0), self.px(y0)), (self.px(x1), self.px(y1))];
        self.area.draw(&Rectangle::new(corners, colour.filled())).map_err(backend_error)
    }

    /// `text` at `(x, y)` (CSS px), anchored at `anchor`, `size` CSS px high.
    fn text(
        &self,
        text: &str,
        (x, y): (f64, f64),
        size: f64,
        anchor: (HPos, VPos),
        style: Ink,
    ) -> Result<(), ChartError> {
        let font = match style {
            Ink::Bold => ("sans-serif", self.scale.px(size), FontStyle::Bold).into_font(),
            _ => ("sans-serif", self.scale.px(size)).into_font(),
        };
        let colour = if style == Ink::Grey { RGBColor(90, 90, 90) } else { BLACK };
        let style = font.color(&colour).pos(Pos::new(anchor.0, anchor.1));
        self.area.draw_text(text, &style, (self.px(x), self.px(y))).map_err(backend_error)
    }

    /// A marker centred at `(x, y)` (CSS px), `r` CSS px from centre to edge, filled or hollow
    /// (white inside, outlined).
    fn marker(
        &self,
        marker: Marker,
        (x, y): (f64, f64),
        r: f64,
        colour: RGBColor,
        hollow: bool,
    ) -> Result<(), ChartError> {
        let points = marker_points(marker, self.px(x), self.px(y), self.px(r).max(2));
        let fill = if hollow { WHITE.filled() } else { colour.filled() };
        self.area.draw(&Polygon::new(points.clone(), fill)).map_err(backend_error)?;
        let mut outline = points;
        outline.push(outline[0]);
        let width = self.scale.px(if hollow { 2.0 } else { 1.0 });
        self.area
            .draw(&PathElement::new(outline, ShapeStyle::from(&colour).stroke_width(width)))
            .map_err(backend_error)
    }
}

/// How text is written.
#[derive(Clone, Copy, PartialEq)]
enum Ink {
    Plain,
    Bold,
    Grey,
}

const LEFT_TOP: (HPos, VPos) = (HPos::Left, VPos::Top);

/// Draw `spec` on `area` (cleared to white first) at `ratio` device pixels per CSS pixel, laid
/// out to fill the area (see the module's documentation).
pub fn draw_forest<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    spec: &ForestSpec,
    ratio: f64,
) -> Result<(), ChartError> {
    let scale = Scale::new(ratio);
    let (w, h) = area.dim_in_pixel();
    let l = ForestLayout::new(spec, w as f64 / scale.ratio(), Some(h as f64 / scale.ratio()))?;
    area.fill(&WHITE).map_err(backend_error)?;
    let p = Painter { area, scale };
    draw_legend(&p, &l, spec)?;
    draw_axis(&p, &l, spec)?;
    draw_rows(&p, &l, spec)?;
    area.present().map_err(backend_error)?;
    Ok(())
}

/// The margin left of labels and legend keys, in CSS pixels.
fn edge(l: &ForestLayout) -> f64 {
    (l.font / 2.0).round() + 4.0
}

/// The colour of a group's markers and intervals.
fn colour(g: &ForestGroup) -> RGBColor {
    PALETTE[g.colour % PALETTE.len()]
}

/// The legend: one key (line and marker) per group, then the legend's note, wrapped.
fn draw_legend<DB: DrawingBackend>(
    p: &Painter<'_, DB>,
    l: &ForestLayout,
    spec: &ForestSpec,
) -> Result<(), ChartError> {
    let edge = edge(l);
    let legend_font = (l.font - 1.0).max(MIN_FONT_PX);
    let legend_line = LINE_EM * legend_font;
    for (n, entries) in l.legend.iter().enumerate() {
        let mid = l.legend_top + (n as f64 + 0.5) * legend_line;
        for &(g, x) in entries {
            let group = &spec.groups[g];
            let key_x = edge + x;
            p.line(&[(key_x, mid), (key_x + LEGEND_KEY_PX, mid)], colour(group), 2.0)?;
            p.marker(
                Marker::of_group(g),
                (key_x + LEGEND_KEY_PX / 2.0, mid),
                MARKER_PX,
                colour(group),
                false,
            )?;
            p.text(
                &group.name,
                (key_x + LEGEND_KEY_PX + GAP_PX, mid),
                legend_font,
                (HPos::Left, VPos::Center),
                Ink::Plain,
            )?;
        }
    }
    if let Some(note) = &l.legend_note {
        let top = l.legend_top + l.legend.len() as f64 * legend_line;
        for (i, line) in wrap(note, l.width - 2.0 * edge, legend_font).iter().enumerate() {
            p.text(line, (edge, top + i as f64 * legend_line), legend_font, LEFT_TOP, Ink::Plain)?;
        }
    }

    Ok(())
}

/// Grid lines at the ticks, the dashed reference line, the axis with its ticks and title.
fn draw_axis<DB: DrawingBackend>(
    p: &Painter<'_, DB>,
    l: &ForestLayout,
    spec: &ForestSpec,
) -> Result<(), ChartError> {
    let edge = edge(l);
    let (top, bottom) = (l.plot_top, l.plot_bottom);
    for &t in &l.ticks {
        p.line(&[(l.x(t), top), (l.x(t), bottom)], RGBColor(225, 225, 225), 1.0)?;
    }
    let rx = l.x(spec.reference);
    let mut y = top;
    while y < bottom {
        p.line(&[(rx, y), (rx, (y + 6.0).min(bottom))], BLACK, 1.5)?;
        y += 12.0;
    }
    p.line(&[(l.plot_left, bottom), (l.plot_right, bottom)], BLACK, 1.0)?;
    for &t in &l.ticks {
        p.line(&[(l.x(t), bottom), (l.x(t), bottom + TICK_PX)], BLACK, 1.0)?;
        p.text(
            &tick_label(t),
            (l.x(t), bottom + TICK_PX + GAP_PX),
            l.tick_font,
            (HPos::Center, VPos::Top),
            Ink::Plain,
        )?;
    }
    let title_top = bottom + TICK_PX + GAP_PX + LINE_EM * l.tick_font + GAP_PX;
    let title_mid = (l.plot_left + l.plot_right) / 2.0;
    for (i, line) in l.x_title.iter().enumerate() {
        let half = text_width(line, l.font) / 2.0;
        let x = title_mid.min(l.width - edge - half).max(edge + half);
        p.text(
            line,
            (x, title_top + i as f64 * l.line_height),
            l.font,
            (HPos::Center, VPos::Top),
            Ink::Plain,
        )?;
    }

    Ok(())
}

/// The rows: section headings, then each item's label and its estimates with intervals (a
/// group with no estimate is named in an "N/A" note).
fn draw_rows<DB: DrawingBackend>(
    p: &Painter<'_, DB>,
    l: &ForestLayout,
    spec: &ForestSpec,
) -> Result<(), ChartError> {
    let edge = edge(l);
    let r = MARKER_PX.min(l.sub_row * 0.6).max(2.5);
    for (n, row) in l.rows.iter().enumerate() {
        let (section, item, lines, top, height, estimates_top) = match row {
            ForestRow::Heading { text, top } => {
                p.text(text, (edge, top + GAP_PX / 2.0), l.font, LEFT_TOP, Ink::Bold)?;
                continue;
            }
            ForestRow::Item { section, item, lines, top, height, estimates_top } => {
                (*section, *item, lines, *top, *height, *estimates_top)
            }
        };
        let item = &spec.sections[section].items[item];
        // A pale band behind every other item, so a row can be followed across.
        if n % 2 == 1 {
            p.rect((edge, top), (l.width - edge, top + height), RGBColor(246, 246, 246))?;
        }
        let label_top =
            if l.side_labels { top + (height - lines.len() as f64 * l.line_height) / 2.0 } else { top };
        for (i, line) in lines.iter().enumerate() {
            p.text(line, (edge, label_top + i as f64 * l.line_height), l.font, LEFT_TOP, Ink::Plain)?;
        }
        let mut missing = Vec::new();
        for (g, (group, estimate)) in spec.groups.iter().zip(&item.estimates).enumerate() {
            let y = estimates_top + (g as f64 + 0.5) * l.sub_row;
            let Some(e) = estimate.filter(|e| e.value.is_finite() && e.value > 0.0) else {
                missing.push(group.name.as_str());
                continue;
            };
            let mut hollow = false;
            if let Some([lo, hi]) =
                e.interval.filter(|[lo, hi]| lo.is_finite() && hi.is_finite() && *lo > 0.0)
            {
                p.line(&[(l.x(lo), y), (l.x(hi), y)], colour(group), 2.0)?;
                hollow = spec.hollow_when_interval_includes_reference
                    && lo <= spec.reference
                    && hi >= spec.reference;
            }
            p.marker(Marker::of_group(g), (l.x(e.value), y), r, colour(group), hollow)?;
        }
        if !missing.is_empty() {
            let mid = estimates_top + spec.groups.len() as f64 * l.sub_row / 2.0;
            let note = format!("N/A: {}", missing.join(", "));
            // On white, so that an interval drawn across it does not hide it.
            let half = LINE_EM * l.tick_font / 2.0;
            p.rect(
                (l.plot_right - text_width(&note, l.tick_font), mid - half),
                (l.plot_right, mid + half),
                WHITE,
            )?;
            p.text(&note, (l.plot_right, mid), l.tick_font, (HPos::Right, VPos::Center), Ink::Grey)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(items: usize) -> ForestSpec {
        let groups: Vec<ForestGroup> =
            (0..6).map(|g| ForestGroup { name: format!("LA{g}"), colour: g }).collect();
        let item = |k: usize| ForestItem {
            label: format!("Item number {k} with a fairly long label"),
            estimates: (0..6)
                .map(|g| {
                    (g != 5 || k != 0).then_some(ForestEstimate {
                        value: 0.5 + 0.3 * g as f64,
                        interval: Some([0.4 + 0.3 * g as f64, 0.7 + 0.3 * g as f64]),
                    })
                })
                .collect(),
        };
        ForestSpec {
            x_label: "Odds ratio (log scale)".into(),
            groups,
            sections: vec![ForestSection {
                heading: "Thresholds".into(),
                items: (0..items).map(item).collect(),
            }],
            reference: 1.0,
            hollow_when_interval_includes_reference: true,
            font_px: 16,
        }
    }

    #[test]
    fn ticks_are_one_two_five_and_thin_out_when_crowded() {
        let r = (0.1f64.log10(), 10f64.log10());
        assert_eq!(log_ticks(r, 800.0, 14.0), [0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0]);
        assert_eq!(log_ticks(r, 150.0, 14.0), [0.1, 1.0, 10.0]);
        assert_eq!(tick_label(0.05), "0.05");
        assert_eq!(tick_label(0.2), "0.2");
        assert_eq!(tick_label(20.0), "20");
        assert_eq!(tick_label(1e-7), "1e-7");
        assert_eq!(tick_label(5e9), "5e9");
        assert_eq!(tick_label(0.0), "0");
        assert_eq!(tick_label(0.0005), "0.0005");
        assert_eq!(tick_label(200000.0), "200000");
        assert_eq!(tick_label(1.2), "1.2");
        assert_eq!(tick_label(1.5), "1.5");
        assert_eq!(tick_label(0.15), "0.15");
        assert_eq!(tick_label(15.0), "15");
        assert_eq!(tick_label(1.5e7), "1.5e7");
        // A narrow range gets finer ticks.
        assert_eq!(log_ticks((0.95f64.log10(), 1.7f64.log10()), 600.0, 14.0), [1.0, 1.2, 1.5]);
        for k in -6..8 {
            for m in [1.0, 1.2, 1.5, 2.0, 3.0, 5.0, 7.0] {
                let v = m * 10f64.powi(k);
                let back: f64 = tick_label(v).parse().unwrap();
                assert!((back / v - 1.0).abs() < 1e-12, "{v}: {}", tick_label(v));
            }
        }
    }

    #[test]
    fn the_circle_table_is_the_unit_circle() {
        for (k, [c, s]) in CIRCLE.iter().enumerate() {
            let a = k as f64 * std::f64::consts::TAU / 16.0;
            assert!((c - a.cos()).abs() < 1e-15 && (s - a.sin()).abs() < 1e-15, "{k}");
        }
    }

    #[test]
    fn the_range_holds_every_interval_and_the_reference() {
        let s = spec(3);
        let (lo, hi) = log_range(&s).unwrap();
        assert!(lo < 0.4f64.log10() && hi > 2.2f64.log10());
        let mut bad = s.clone();
        bad.reference = 0.0;
        assert!(log_range(&bad).is_err());
        bad.reference = 1.0;
        bad.sections[0].items.clear();
        assert!(log_range(&bad).is_err());
    }

    #[test]
    fn height_grows_with_items_and_narrow_charts_stack_their_labels() {
        let (three, nine) = (spec(3), spec(9));
        let h3 = preferred_height(&three, 800.0).unwrap();
        let h9 = preferred_height(&nine, 800.0).unwrap();
        assert!(h9 > h3 + 6.0 * 6.0 * SUB_ROW_PX, "{h3} {h9}");
        let wide = ForestLayout::new(&nine, 800.0, None).unwrap();
        let narrow = ForestLayout::new(&nine, 360.0, None).unwrap();
        assert!(wide.side_labels && !narrow.side_labels);
        assert!(narrow.plot_left < wide.plot_left);
        // Drawn taller than needed, the estimates spread out; shorter, they pack.
        let tall = ForestLayout::new(&nine, 800.0, Some(h9 + 300.0)).unwrap();
        assert!(
            tall.sub_row > SUB_ROW_PX
                && (tall.plot_bottom - tall.plot_top) > (wide.plot_bottom - wide.plot_top)
        );
        let short = ForestLayout::new(&nine, 800.0, Some(h9 - 100.0)).unwrap();
        assert!(short.sub_row < SUB_ROW_PX && short.sub_row >= 3.0 && short.fits);
        // Narrow and too short for labels above the rows: beside them, which takes less height.
        let above = preferred_height(&nine, 360.0).unwrap();
        let squeezed = ForestLayout::new(&nine, 360.0, Some(above * 0.6)).unwrap();
        assert!(squeezed.side_labels, "{above}");
        assert!(!ForestLayout::new(&nine, 360.0, Some(100.0)).unwrap().fits);
    }

    #[test]
    fn draws_labels_legend_ticks_and_missing_estimates_to_svg() {
        let s = spec(2);
        let height = preferred_height(&s, 700.0).unwrap().ceil() as u32;
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (700, height)).into_drawing_area();
            draw_forest(&root, &s, 1.0).unwrap();
        }
        for text in [
            "Thresholds",
            "Item number 0",
            "LA0",
            "LA5",
            "N/A: LA5",
            "Odds ratio (log scale)",
            "Hollow marker",
        ] {
            assert!(svg.contains(text), "missing {text}");
        }
        // Each LA's colour is used (Okabe-Ito blue and vermillion, the first two).
        assert!(svg.contains("#0072B2") && svg.contains("#D55E00"));
    }

    #[test]
    fn a_spec_reads_from_json_with_defaults() {
        let json = r#"{"x_label":"OR","reference":1,"groups":[{"name":"A","colour":0}],
            "sections":[{"items":[{"label":"x","estimates":[{"value":1.5},null]}]}]}"#;
        let s: ForestSpec = serde_json::from_str(json).unwrap();
        assert_eq!(s.sections[0].heading, "");
        assert_eq!(s.sections[0].items[0].estimates[1], None);
        assert_eq!(s.font_px, 16);
    }
}
