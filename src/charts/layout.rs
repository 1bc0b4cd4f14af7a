//! Where a chart's text goes, worked out in CSS pixels before anything is drawn, so that every label
//! is at least [`MIN_FONT_PX`] CSS pixels high and lies inside the canvas.
//!
//! Text widths are estimated, not measured: a glyph of a sans-serif font is taken as
//! [`GLYPH_EM`] em wide on average (digits are about 0.55 em, most lower-case letters less), so a
//! string of `n` characters at `f` px takes `n · GLYPH_EM · f` px. Axis titles that do not fit
//! along their axis at full size are wrapped onto more lines rather than shrunk.

/// No text on a chart is smaller than this, in CSS pixels (readable on a projector).
pub const MIN_FONT_PX: f64 = 14.0;

/// Average width of a glyph, in em, on the generous side.
pub const GLYPH_EM: f64 = 0.6;

/// Height of a line of wrapped text, in em.
pub const LINE_EM: f64 = 1.25;

/// Length of the tick marks and the gap between a tick mark and its label, in CSS pixels.
pub const TICK_PX: f64 = 5.0;
pub const GAP_PX: f64 = 6.0;

/// Device pixels per CSS pixel (the browser's `devicePixelRatio`), kept within 1 to 4.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale(f64);

impl Scale {
    pub fn new(ratio: f64) -> Self {
        Scale(if ratio.is_finite() { ratio.clamp(1.0, 4.0) } else { 1.0 })
    }

    pub fn ratio(self) -> f64 {
        self.0
    }

    /// `css` CSS pixels in device pixels, rounded, at least 1.
    pub fn px(self, css: f64) -> u32 {
        (css * self.0).round().max(1.0) as u32
    }
}

/// Estimated width of `text` at `font` px.
pub fn text_width(text: &str, font: f64) -> f64 {
    text.chars().count() as f64 * GLYPH_EM * font
}

/// `text` broken at spaces into lines no wider than `room` at `font` px (a word longer than the
/// room stays whole on a line of its own).
pub fn wrap(text: &str, room: f64, font: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if text_width(&format!("{line} {word}"), font) <= room => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// Decimals that tell apart ticks about `span / ticks` apart: `max(0, ceil(-log10(span / ticks)))`,
/// at most 6.
pub fn tick_decimals(span: f64, ticks: usize) -> usize {
    let step = span / ticks.max(1) as f64;
    if !(step.is_finite() && step > 0.0) {
        return 2;
    }
    (-step.log10()).ceil().clamp(0.0, 6.0) as usize
}

/// A tick label: `value` with `decimals` decimals (never "-0").
pub fn tick_text(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    if text.starts_with('-') && text[1..].chars().all(|c| c == '0' || c == '.') {
        text[1..].to_owned()
    } else {
        text
    }
}

/// Inset of the legend box from the plot's edges, padding inside it, and the key's length.
pub const LEGEND_INSET_PX: f64 = 10.0;
pub const LEGEND_PAD_PX: f64 = 8.0;
pub const LEGEND_KEY_PX: f64 = 24.0;

/// The legend: each series name wrapped to fit, the framed box's size, and whether it goes below
/// the axes (when it would cover more than half the plot) rather than in a corner of the plot.
#[derive(Debug, Clone, PartialEq)]
pub struct Legend {
    pub lines: Vec<Vec<String>>,
    pub width: f64,
    pub height: f64,
    pub below: bool,
}

impl Legend {
    /// In a corner of a `plot_w` x `plot_h` plot if it covers at most half of it, else (or when
    /// asked, `below`) below the axes across the chart's `inner_w` (its width less the margins).
    fn new(names: &[&str], plot_w: f64, plot_h: f64, inner_w: f64, font: f64, below: bool) -> Legend {
        let inside = Legend::sized(names, plot_w - 2.0 * LEGEND_INSET_PX, font);
        if names.is_empty()
            || (!below
                && inside.height + 2.0 * LEGEND_INSET_PX <= plot_h / 2.0
                && inside.width + 2.0 * LEGEND_INSET_PX <= plot_w)
        {
            return inside;
        }
        Legend { below: true, ..Legend::sized(names, inner_w, font) }
    }

    /// The entries wrapped to fit a box at most `room` wide.
    fn sized(names: &[&str], room: f64, font: f64) -> Legend {
        let (pad, key) = (LEGEND_PAD_PX, LEGEND_KEY_PX);
        let lines: Vec<Vec<String>> = names.iter().map(|n| wrap(n, room - 3.0 * pad - key, font)).collect();
        let widest = lines.iter().flatten().map(|l| text_width(l, font)).fold(0.0, f64::max);
        let count = lines.iter().map(Vec::len).sum::<usize>() as f64;
        Legend {
            lines,
            width: 3.0 * pad + key + widest,
            height: 2.0 * pad + count * LINE_EM * font,
            below: false,
        }
    }

    /// Height it takes below the axes.
    fn reserved(&self) -> f64 {
        if self.below {
            self.height + GAP_PX
        } else {
            0.0
        }
    }
}

/// What the layout needs to know about an axis.
#[derive(Debug, Clone)]
pub struct AxisInput<'a> {
    pub title: &'a str,
    pub range: (f64, f64),
}

/// One axis laid out: its title's lines and its tick labels' count and decimals.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub lines: Vec<String>,
    pub ticks: usize,
    pub decimals: usize,
    /// Widest tick label, CSS px.
    pub tick_width: f64,
}

/// A chart laid out in CSS pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Axis titles and caption.
    pub font: f64,
    /// Tick labels.
    pub tick_font: f64,
    /// Legend entries.
    pub legend_font: f64,
    pub line_height: f64,
    /// Top, right, bottom and left margins.
    pub margin: [f64; 4],
    /// Height of the caption (0 without one).
    pub caption: f64,
    /// Height of the area below the plot (ticks, tick labels, x title, and the legend when below).
    pub x_area: f64,
    /// Width of the area left of the plot (y title, tick labels, ticks).
    pub y_area: f64,
    pub x: Axis,
    pub y: Axis,
    pub legend: Legend,
}

impl Layout {
    /// Lays out a `width` x `height` CSS px chart with label size `font_px` (at least
    /// [`MIN_FONT_PX`]) and a legend of `names`.
    #[allow(clippy::too_many_arguments)] // the chart's size, font, caption, axes and legend
    pub fn new(
        width: f64,
        height: f64,
        font_px: f64,
        caption: &str,
        x: AxisInput,
        y: AxisInput,
        names: &[&str],
        legend_below: bool,
    ) -> Layout {
        let font = font_px.clamp(MIN_FONT_PX, 48.0);
        let tick_font = (font - 2.0).max(MIN_FONT_PX);
        let line_height = LINE_EM * font;
        let caption = if caption.is_empty() { 0.0 } else { LINE_EM * (font + 2.0) };
        let edge = (font / 2.0).round() + 4.0;
        let mut layout = Layout {
            font,
            tick_font,
            legend_font: (font - 1.0).max(MIN_FONT_PX),
            line_height,
            margin: [edge.max(tick_font / 2.0 + 2.0), edge, edge, edge],
            caption,
            x_area: 0.0,
            y_area: 0.0,
            x: Axis { lines: vec![x.title.to_owned()], ticks: 6, decimals: 0, tick_width: 0.0 },
            y: Axis { lines: vec![y.title.to_owned()], ticks: 6, decimals: 0, tick_width: 0.0 },
            legend: Legend { lines: Vec::new(), width: 0.0, height: 0.0, below: false },
        };
        // Each axis's room depends on the other's label area: repeat until the lines and tick
        // counts no longer change, so the areas are those of the lines drawn.
        for _ in 0..8 {
            layout.y.decimals = tick_decimals(y.range.1 - y.range.0, layout.y.ticks);
            layout.y.tick_width = widest_tick(y.range, layout.y.decimals, tick_font);
            layout.y_area =
                layout.y.lines.len() as f64 * line_height + GAP_PX + layout.y.tick_width + GAP_PX + TICK_PX;
            layout.x.decimals = tick_decimals(x.range.1 - x.range.0, layout.x.ticks);
            layout.x.tick_width = widest_tick(x.range, layout.x.decimals, tick_font);
            // The last x tick label is centred on the plot's right edge.
            layout.margin[1] = edge.max(layout.x.tick_width / 2.0 + 2.0);
            layout.x_area =
                TICK_PX + GAP_PX + LINE_EM * tick_font + GAP_PX + layout.x.lines.len() as f64 * line_height;
            // Whether the legend fits in the plot is judged without room kept for it below.
            let (plot_w, plot_h) = layout.plot_size(width, height);
            let inner_w = width - layout.margin[1] - layout.margin[3];
            let legend = Legend::new(names, plot_w, plot_h, inner_w, layout.legend_font, legend_below);
            layout.x_area += legend.reserved();
            let (plot_w, plot_h) = layout.plot_size(width, height);
            let x_lines = wrap(x.title, plot_w, font);
            let y_lines = wrap(y.title, plot_h, font);
            let x_ticks = ((plot_w / (layout.x.tick_width + 2.0 * font)).floor() as usize).clamp(2, 10);
            let y_ticks = ((plot_h / (3.0 * tick_font)).floor() as usize).clamp(2, 10);
            let settled = (&x_lines, &y_lines, x_ticks, y_ticks, &legend)
                == (&layout.x.lines, &layout.y.lines, layout.x.ticks, layout.y.ticks, &layout.legend);
            (layout.x.lines, layout.y.lines, layout.x.ticks, layout.y.ticks, layout.legend) =
                (x_lines, y_lines, x_ticks, y_ticks, legend);
            if settled {
                break;
            }
        }
        layout
    }

    /// Width and height of the plotting area of a `width` x `height` chart.
    pub fn plot_size(&self, width: f64, height: f64) -> (f64, f64) {
        let [top, right, bottom, left] = self.margin;
        (
            (width - left - right - self.y_area).max(1.0),
            (height - top - bottom - self.caption - self.x_area).max(1.0),
        )
    }
}

/// The wider of the tick labels at the ends of `range` (no tick lies further out).
fn widest_tick(range: (f64, f64), decimals: usize, font: f64) -> f64 {
    text_width(&tick_text(range.0, decimals), font).max(text_width(&tick_text(range.1, decimals), font))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_within_the_room() {
        // 14 px: 8.4 px a character, so 10 characters take 84 px.
        assert_eq!(wrap("aaaa bbbb cccc", 84.0, 14.0), vec!["aaaa bbbb", "cccc"]);
        assert_eq!(wrap("aaaa bbbb cccc", 200.0, 14.0), vec!["aaaa bbbb cccc"]);
        assert_eq!(wrap("averyveryverylongword x", 20.0, 14.0), vec!["averyveryverylongword", "x"]);
        assert_eq!(wrap("", 20.0, 14.0), vec![""]);
    }

    #[test]
    fn tick_labels_have_enough_decimals() {
        assert_eq!(tick_decimals(420.0, 6), 0);
        assert_eq!(tick_decimals(4.2, 6), 1);
        assert_eq!(tick_decimals(0.05, 5), 2);
        assert_eq!(tick_decimals(0.45, 1), 1);
        assert_eq!(tick_text(-0.0001, 2), "0.00");
        assert_eq!(tick_text(-1.25, 1), "-1.2");
        assert_eq!(tick_text(1500.0, 0), "1500");
    }

    #[test]
    fn a_scale_turns_css_pixels_into_device_pixels() {
        assert_eq!(Scale::new(2.0).px(14.0), 28);
        assert_eq!(Scale::new(1.5).px(5.0), 8);
        assert_eq!(Scale::new(f64::NAN).ratio(), 1.0);
        assert_eq!(Scale::new(0.5).ratio(), 1.0);
    }

    #[test]
    fn a_long_title_wraps_and_never_shrinks() {
        let title = "Rate relative to an averagely deprived neighbourhood of the same LA";
        let l = Layout::new(
            340.0,
            300.0,
            16.0,
            "",
            AxisInput { title: "x", range: (-20.0, 20.0) },
            AxisInput { title, range: (0.0, 2.5) },
            &["Your LA context", "Average LA"],
            false,
        );
        assert_eq!(l.font, 16.0);
        assert!(l.y.lines.len() >= 2, "{:?}", l.y.lines);
        let (_, plot_h) = l.plot_size(340.0, 300.0);
        for line in &l.y.lines {
            assert!(text_width(line, 16.0) <= plot_h, "{line} in {plot_h}");
        }
        assert_eq!(l.y.lines.join(" "), title);
        assert!(!l.legend.below);
    }

    #[test]
    fn a_legend_too_big_for_the_plot_goes_below_it() {
        let names = ["Each LA", "Fitted: the model's gradient at each LA's deprivation", "Average"];
        let axes =
            || (AxisInput { title: "x", range: (0.0, 1.0) }, AxisInput { title: "y", range: (0.0, 1.0) });
        let (x, y) = axes();
        let small = Layout::new(340.0, 300.0, 16.0, "", x, y, &names, false);
        assert!(small.legend.below);
        assert!(small.legend.lines[1].len() >= 2, "{:?}", small.legend.lines);
        assert!(small.legend.width <= 340.0 - small.margin[1] - small.margin[3]);
        let (x, y) = axes();
        let large = Layout::new(1200.0, 700.0, 16.0, "", x, y, &names, false);
        assert!(!large.legend.below);
        assert_eq!(large.legend.lines[1], vec![names[1]]);
        assert_eq!(large.legend.height, 2.0 * LEGEND_PAD_PX + 3.0 * LINE_EM * large.legend_font);
        // Asked for, it goes below even when it would fit inside.
        let (x, y) = axes();
        assert!(Layout::new(1200.0, 700.0, 16.0, "", x, y, &names, true).legend.below);
    }
}
