//! The legend: one entry per series (its key, then its name wrapped to fit), in a framed box in
//! the chosen corner of the plotting area, inset from its edges. Sizes are CSS pixels scaled by the
//! device pixel ratio, like the rest of the chart.

use super::layout::{Layout, Scale, LEGEND_INSET_PX, LEGEND_KEY_PX, LEGEND_PAD_PX, LINE_EM};
use super::{backend_error, ChartError, LegendCorner, Series, SeriesKind, PALETTE};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::ops::Range;

/// Draws the legend of `series` as laid out: at `corner` of the plot whose device-pixel extent
/// is `plot`, or below the axes at the left margin.
pub fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    plot: &(Range<i32>, Range<i32>),
    series: &[Series],
    corner: LegendCorner,
    layout: &Layout,
    scale: Scale,
) -> Result<(), ChartError> {
    if series.is_empty() {
        return Ok(());
    }
    let px = |css: f64| scale.px(css) as i32;
    let (xs, ys) = plot;
    let e = &layout.legend;
    let (font, inset) = (layout.legend_font, LEGEND_INSET_PX);
    let (w, h) = (px(e.width), px(e.height));
    let left = matches!(corner, LegendCorner::UpperLeft | LegendCorner::LowerLeft);
    let upper = matches!(corner, LegendCorner::UpperLeft | LegendCorner::UpperRight);
    let x0 = if e.below {
        px(layout.margin[3])
    } else if left {
        xs.start + px(inset)
    } else {
        xs.end - px(inset) - w
    };
    let y0 = if e.below {
        area.dim_in_pixel().1 as i32 - px(layout.margin[2]) - h
    } else if upper {
        ys.start + px(inset)
    } else {
        ys.end - px(inset) - h
    };
    area.draw(&Rectangle::new([(x0, y0), (x0 + w, y0 + h)], WHITE.mix(0.85).filled()))
        .map_err(backend_error)?;
    let frame = ShapeStyle::from(&RGBColor(160, 160, 160)).stroke_width(scale.px(1.0));
    area.draw(&Rectangle::new([(x0, y0), (x0 + w, y0 + h)], frame)).map_err(backend_error)?;

    let text = ("sans-serif", scale.px(font))
        .into_font()
        .into_text_style(area)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let line_height = LINE_EM * font;
    let mut top = LEGEND_PAD_PX;
    for (s, lines) in series.iter().zip(&e.lines) {
        let colour = PALETTE[s.colour % PALETTE.len()];
        let mid = y0 + px(top + line_height / 2.0);
        let key_x = x0 + px(LEGEND_PAD_PX);
        let stroke = ShapeStyle::from(&colour).stroke_width(scale.px(3.0));
        match s.kind {
            SeriesKind::Line => {
                area.draw(&PathElement::new(vec![(key_x, mid), (key_x + px(LEGEND_KEY_PX), mid)], stroke))
            }
            SeriesKind::Dashed => {
                let dash = px(LEGEND_KEY_PX * 0.4);
                area.draw(&PathElement::new(vec![(key_x, mid), (key_x + dash, mid)], stroke)).and_then(|_| {
                    area.draw(&PathElement::new(
                        vec![(key_x + px(LEGEND_KEY_PX) - dash, mid), (key_x + px(LEGEND_KEY_PX), mid)],
                        stroke,
                    ))
                })
            }
            SeriesKind::Dotted => {
                let dotted = ShapeStyle::from(&colour).stroke_width(scale.px(2.0));
                let (step, dash) = (px(LEGEND_KEY_PX) / 5, px(2.0));
                (0..5).try_for_each(|i| {
                    let x = key_x + i * step;
                    area.draw(&PathElement::new(vec![(x, mid), (x + dash, mid)], dotted))
                })
            }
            SeriesKind::Points => {
                area.draw(&Circle::new((key_x + px(LEGEND_KEY_PX / 2.0), mid), px(4.0), colour.filled()))
            }
            SeriesKind::Marked => {
                let centre = (key_x + px(LEGEND_KEY_PX / 2.0), mid);
                area.draw(&Circle::new(centre, px(7.0), ShapeStyle::from(&BLACK).stroke_width(scale.px(2.0))))
                    .and_then(|_| area.draw(&Circle::new(centre, px(4.5), colour.filled())))
            }
        }
        .map_err(backend_error)?;
        for line in lines {
            let y = y0 + px(top + line_height / 2.0);
            area.draw_text(line, &text, (key_x + px(LEGEND_KEY_PX + LEGEND_PAD_PX), y))
                .map_err(backend_error)?;
            top += line_height;
        }
    }
    Ok(())
}
