//! Charts stay readable on a projector at any device pixel ratio: every chart of both sections
//! (the calculator's Webb and Hood curves, the three charts of a fitted sample) drawn to SVG at
//! random CSS sizes and ratios has every text at least 14 CSS px high, inside the drawing area and
//! clear of every other text, with its axis titles complete.
//!
//! A text's box is estimated as the layout does: `0.6 em` a character wide, `1 em` high, placed by
//! its anchor (`text-anchor`, and `dy`: `0.76em` top, `0.5ex` middle, `-0.5ex` bottom) and turned
//! about its anchor point by `rotate(270)`. Plotters' SVG backend writes `font-size` as the size
//! divided by 1.24, so the drawn size is `1.24 · font-size`.

use plotters::prelude::*;
use socgrad::calculator::{hood_relative_curve, webb_rate_curve, Curve, Outcome};
use socgrad::charts::{draw, ChartSpec, LegendCorner, Series, SeriesKind, MIN_FONT_PX};
use socgrad::fit_views::ViewRequest;
use socgrad::pipeline::{FitRequest, Session};
use socgrad::random::Rng;
use socgrad::samples::{presets, simulate};
use socgrad::workflow::derive::add_weighted_group_mean;
use socgrad::workflow::roles::Roles;

/// The calculator's chart of one or two contexts' curves, as the page builds it
/// (www/calculator.js): each context's own line, then the average LA dashed.
fn calculator_spec(curves: &[Curve]) -> ChartSpec {
    let names: &[&str] = if curves.len() == 1 { &["Your LA context"] } else { &["Context A", "Context B"] };
    let line = |name: &str, kind, colour, s: &socgrad::calculator::Series| Series {
        name: name.to_owned(),
        kind,
        colour,
        points: s.points.iter().map(|p| [p.x, p.y]).collect(),
        error_bars: vec![],
    };
    let mut series: Vec<Series> = curves
        .iter()
        .zip(names)
        .enumerate()
        .map(|(i, (c, n))| line(n, SeriesKind::Line, i, &c.series[0]))
        .collect();
    let average = curves[0].series.last().unwrap();
    series.push(line(&average.label, SeriesKind::Dashed, 6, average));
    ChartSpec {
        title: String::new(),
        x_label: curves[0].x_label.clone(),
        y_label: curves[0].y_label.clone(),
        series,
        y_from_zero: curves[0].source.starts_with("Webb"),
        font_px: 16,
        legend: LegendCorner::UpperLeft,
        aspect: None,
    }
}

/// The three charts of the Hood sample fitted with its own formula, as the page shows them.
fn fit_specs() -> Vec<ChartSpec> {
    let sample = simulate(&presets::hood_referrals()).unwrap();
    let derive = sample.derive.clone().unwrap();
    let (df, _) = add_weighted_group_mean(&sample.frame, &derive).unwrap();
    let mut session = Session::from_frame(df);
    let req = ViewRequest {
        roles: Roles { la_deprivation: Some(derive.name), ..sample.roles.clone() },
        gradient_term: Some(sample.model.gradient_term.clone()),
        gradient_step: Some(sample.model.gradient_step.clone()),
        moderators: sample.model.moderators.clone(),
    };
    let request = FitRequest::new(&sample.model.formula, sample.family);
    let views = session.fit(&request, &req, &mut |_| {}).unwrap().views;
    assert_eq!(views.charts.len(), 3, "{:?}", views.notes);
    views.charts.into_iter().map(|c| c.spec).collect()
}

fn all_specs() -> Vec<ChartSpec> {
    let mut specs = vec![
        calculator_spec(&[webb_rate_curve(Outcome::Cla, -1.0, 1.0, 41).unwrap()]),
        calculator_spec(&[hood_relative_curve("referral", Some(-10.0), None, None, 41).unwrap()]),
        calculator_spec(&[
            webb_rate_curve(Outcome::Cpp, 1.5, -1.0, 41).unwrap(),
            webb_rate_curve(Outcome::Cpp, -1.5, 2.0, 41).unwrap(),
        ]),
        calculator_spec(&[
            hood_relative_curve("cp_plan", Some(-20.0), None, None, 41).unwrap(),
            hood_relative_curve("cp_plan", Some(5.0), None, None, 41).unwrap(),
        ]),
    ];
    specs.extend(fit_specs());
    specs
}

/// One `<text>` element of the SVG: its text, drawn size and estimated box `[x0, y0, x1, y1]`.
#[derive(Debug)]
struct Text {
    text: String,
    size: f64,
    bbox: [f64; 4],
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(&tag[start..start + tag[start..].find('"')?])
}

fn texts(svg: &str) -> Vec<Text> {
    svg.split("<text")
        .skip(1)
        .map(|chunk| {
            let (tag, rest) = chunk.split_once('>').unwrap();
            let text = rest
                .split("</text>")
                .next()
                .unwrap()
                .trim()
                .replace("&apos;", "'")
                .replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
            let num = |n: &str| attr(tag, n).unwrap().parse::<f64>().unwrap();
            let (x, y, size) = (num("x"), num("y"), 1.24 * num("font-size"));
            let w = 0.6 * size * text.chars().count() as f64;
            let (u0, u1) = match attr(tag, "text-anchor").unwrap() {
                "start" => (0.0, w),
                "middle" => (-w / 2.0, w / 2.0),
                _ => (-w, 0.0),
            };
            let (v0, v1) = match attr(tag, "dy").unwrap() {
                "0.76em" => (0.0, size),
                "0.5ex" => (-size / 2.0, size / 2.0),
                _ => (-size, 0.0),
            };
            let bbox = match attr(tag, "transform") {
                None => [x + u0, y + v0, x + u1, y + v1],
                // rotate(270) about (x, y): local (u, v) is drawn at (x + v, y - u).
                Some(t) => {
                    assert!(t.starts_with("rotate(270"), "{t}");
                    [x + v0, y - u1, x + v1, y - u0]
                }
            };
            Text { text, size, bbox }
        })
        .collect()
}

fn overlap(a: &[f64; 4], b: &[f64; 4]) -> bool {
    a[0] < b[2] - 1.0 && b[0] < a[2] - 1.0 && a[1] < b[3] - 1.0 && b[1] < a[3] - 1.0
}

fn draw_svg(spec: &ChartSpec, width: u32, height: u32, ratio: f64) -> String {
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        draw(&area, spec, ratio).unwrap();
    }
    svg
}

/// The smallest CSS height the page gives a chart (www/charts.js).
const MIN_HEIGHT: f64 = 320.0;

#[test]
fn every_chart_text_is_large_inside_and_clear_at_random_sizes_and_ratios() {
    let specs = all_specs();
    let mut rng = Rng::new(20261124);
    for case in 0..60 {
        let spec = &specs[case % specs.len()];
        let ratio = [1.0, 1.25, 1.5, 2.0, 2.5, 3.0][rng.int_between(0, 5)];
        let css_w = 320.0 + 680.0 * rng.uniform();
        let css_h = (css_w * (0.5 + 0.2 * rng.uniform())).max(MIN_HEIGHT);
        let (w, h) = ((css_w * ratio).round() as u32, (css_h * ratio).round() as u32);
        let svg = draw_svg(spec, w, h, ratio);
        let found = texts(&svg);
        let what =
            format!("case {case}: {css_w:.0}x{css_h:.0} CSS px at ratio {ratio}, y title {:?}", spec.y_label);
        assert!(found.len() > 6, "{what}: {} texts", found.len());
        for t in &found {
            assert!(t.size >= MIN_FONT_PX * ratio - 0.5, "{what}: {:?} is {} px", t.text, t.size);
            let [x0, y0, x1, y1] = t.bbox;
            assert!(
                x0 >= -1.0 && y0 >= -1.0 && x1 <= w as f64 + 1.0 && y1 <= h as f64 + 1.0,
                "{what}: {t:?} outside {w}x{h}"
            );
        }
        for (i, a) in found.iter().enumerate() {
            for b in &found[i + 1..] {
                assert!(!overlap(&a.bbox, &b.bbox), "{what}: {a:?} overlaps {b:?}");
            }
        }
        // The axis titles are complete, possibly over several lines.
        let all: Vec<&str> = found.iter().flat_map(|t| t.text.split_whitespace()).collect();
        for word in spec.x_label.split_whitespace().chain(spec.y_label.split_whitespace()) {
            assert!(all.contains(&word), "{what}: {word:?} missing");
        }
    }
}

#[test]
fn a_chart_at_twice_the_ratio_is_the_same_chart_twice_as_large() {
    for spec in all_specs() {
        let one = texts(&draw_svg(&spec, 720, 420, 1.0));
        let two = texts(&draw_svg(&spec, 1440, 840, 2.0));
        assert_eq!(one.len(), two.len());
        for (a, b) in one.iter().zip(&two) {
            assert_eq!(a.text, b.text);
            assert!((b.size - 2.0 * a.size).abs() < 0.6, "{} vs {}", a.size, b.size);
            for k in 0..4 {
                assert!(
                    (b.bbox[k] - 2.0 * a.bbox[k]).abs() <= 0.6 * a.text.chars().count() as f64 + 4.0,
                    "{a:?} vs {b:?}"
                );
            }
        }
    }
}
