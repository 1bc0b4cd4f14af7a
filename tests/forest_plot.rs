//! Forest plots drawn from random specifications at random sizes and pixel ratios: never a panic,
//! an error only for a spec that cannot be drawn (no items, a reference line that is not a
//! positive number), every label and legend entry drawn, and the height a plot asks for is what
//! it needs for its rows.

use plotters::prelude::*;
use socgrad::charts::{
    draw_forest, preferred_height, ForestEstimate, ForestGroup, ForestItem, ForestLayout, ForestSection,
    ForestSpec,
};

/// xorshift: the same random cases every run.
struct Rng(u64);

impl Rng {
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize
    }
    fn awkward(&mut self) -> f64 {
        const ODD: [f64; 7] = [0.0, -1.0, f64::NAN, f64::INFINITY, 1e-300, 1e300, 1.0];
        if self.unit() < 0.05 {
            ODD[self.below(ODD.len())]
        } else {
            10f64.powf(self.unit() * 4.0 - 2.0)
        }
    }
}

fn random_spec(rng: &mut Rng) -> ForestSpec {
    let groups: Vec<ForestGroup> = (0..rng.below(9))
        .map(|g| ForestGroup { name: format!("Group {g}"), colour: rng.below(20) })
        .collect();
    let sections = (0..rng.below(4))
        .map(|s| ForestSection {
            heading: if rng.unit() < 0.5 { String::new() } else { format!("Section {s}") },
            items: (0..rng.below(12))
                .map(|i| ForestItem {
                    label: "word ".repeat(1 + rng.below(12)) + &i.to_string(),
                    // Sometimes fewer or more estimates than groups.
                    estimates: (0..groups.len() + rng.below(3))
                        .map(|_| {
                            (rng.unit() > 0.1).then(|| {
                                let v = rng.awkward();
                                ForestEstimate {
                                    value: v,
                                    interval: (rng.unit() > 0.2)
                                        .then(|| [v / (1.0 + rng.unit()), rng.awkward()]),
                                }
                            })
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    ForestSpec {
        x_label: "Odds ratio (log scale)".into(),
        groups,
        sections,
        reference: if rng.unit() < 0.05 { rng.awkward() } else { 1.0 },
        hollow_when_interval_includes_reference: rng.unit() < 0.5,
        font_px: [0, 14, 16, 20, 60][rng.below(5)],
    }
}

#[test]
fn random_forest_plots_draw_or_say_why_not() {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let (mut drawn, mut refused) = (0, 0);
    for case in 0..400 {
        let spec = random_spec(&mut rng);
        let width = [40, 320, 390, 760, 1400][rng.below(5)];
        let ratio = [1.0, 1.5, 2.0, 3.0, f64::NAN][rng.below(5)];
        let has_items = spec.sections.iter().any(|s| !s.items.is_empty());
        let drawable = has_items && spec.reference.is_finite() && spec.reference > 0.0;
        let height =
            preferred_height(&spec, width as f64).map_or(200, |h| h.ceil().clamp(20.0, 4000.0) as u32);
        let scale = if ratio.is_finite() { ratio } else { 1.0 };
        let size = ((width as f64 * scale) as u32, (height as f64 * scale) as u32);
        let mut svg = String::new();
        let result = {
            let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
            draw_forest(&root, &spec, ratio)
        };
        assert_eq!(result.is_ok(), drawable, "case {case}: {result:?}");
        if result.is_ok() {
            drawn += 1;
            for g in &spec.groups {
                assert!(svg.contains(&g.name), "case {case}: legend {}", g.name);
            }
            for s in spec.sections.iter().filter(|s| !s.heading.is_empty() && !s.items.is_empty()) {
                assert!(svg.contains(&s.heading), "case {case}: heading");
            }
        } else {
            refused += 1;
        }
    }
    assert!(drawn > 200 && refused > 10, "{drawn} drawn, {refused} refused");
}

#[test]
fn the_preferred_height_leaves_every_row_its_natural_space() {
    let mut rng = Rng(7);
    for _ in 0..100 {
        let spec = random_spec(&mut rng);
        let Ok(h) = preferred_height(&spec, 760.0) else { continue };
        let natural = ForestLayout::new(&spec, 760.0, None).unwrap();
        let fitted = ForestLayout::new(&spec, 760.0, Some(h)).unwrap();
        assert!((natural.sub_row - fitted.sub_row).abs() < 1e-9);
        assert!(fitted.plot_bottom <= h);
    }
}

#[test]
fn a_spec_reads_from_the_json_the_engine_writes() {
    let spec: ForestSpec = serde_json::from_str(
        r#"{"x_label":"OR","reference":1,"groups":[{"name":"LA0","colour":0}],"sections":[{"items":[{"label":"x","estimates":[{"value":2,"interval":[1.5,3]}]}]}]}"#,
    )
    .unwrap();
    assert_eq!(serde_json::from_str::<ForestSpec>(&serde_json::to_string(&spec).unwrap()).unwrap(), spec);
    let mut svg = String::new();
    let root = SVGBackend::with_string(&mut svg, (600, 300)).into_drawing_area();
    draw_forest(&root, &spec, 1.0).unwrap();
}
