//! The guided tour's steps: every number equals the table cell or the calculator value it cites.

use socgrad::calculator::format::number;
use socgrad::calculator::{self, webb_rate_curve, GradientRequest, Outcome, Quantity};
use socgrad::places::places;
use socgrad::tables::hood2021 as hood;
use socgrad::tables::webb2020::{self as webb, LaContext};
use socgrad::tour::{step_number, tour, Tour, TourStep, STEP_COUNT};

fn no_la() -> Tour {
    tour(None).expect("tour")
}

fn step<'a>(t: &'a Tour, key: &str) -> &'a TourStep {
    t.steps.iter().find(|s| s.key == key).unwrap_or_else(|| panic!("no step {key}"))
}

fn text(s: &TourStep) -> String {
    format!("{} {} {}", s.body.join(" "), s.question, s.answer)
}

fn hood_referral(la_dep: Option<f64>, la: Option<&str>) -> calculator::GradientResult {
    calculator::gradient(&GradientRequest::Hood2021 {
        measure: "referral".into(),
        la_dep,
        area: None,
        density: None,
        la: la.map(str::to_string),
    })
    .unwrap()
}

fn table4(outcome: Outcome, context: LaContext) -> f64 {
    webb::TABLE4_CONTEXT_GRADIENTS
        .iter()
        .find(|c| c.outcome == outcome && c.context == context)
        .unwrap()
        .gradient
}

/// The y value of a chart series at `x` (a point of the series).
fn y_at(s: &socgrad::charts::Series, x: f64) -> f64 {
    s.points.iter().find(|p| (p[0] - x).abs() < 1e-9).map(|p| p[1]).unwrap_or_else(|| panic!("no x={x}"))
}

#[test]
fn nine_complete_steps_in_order() {
    let t = no_la();
    assert_eq!(t.steps.len(), STEP_COUNT);
    assert_eq!(STEP_COUNT, 9);
    let keys: Vec<&str> = t.steps.iter().map(|s| s.key).collect();
    assert_eq!(
        keys,
        [
            "gradient",
            "one_number",
            "inverse_intervention",
            "inequality",
            "rural",
            "england",
            "your_la",
            "kind_of_need",
            "not_cause"
        ]
    );
    for (i, s) in t.steps.iter().enumerate() {
        assert_eq!(s.number, i + 1);
        assert_eq!(step_number(s.key), Some(s.number));
        assert!(!s.title.is_empty() && !s.body.is_empty(), "{}", s.key);
        assert!(s.question.ends_with('?'), "{}: {}", s.key, s.question);
        assert!(!s.answer.is_empty() && !s.citations.is_empty(), "{}", s.key);
        // A step draws its chart, or a figure of the six-LA section (tests/tour_kind_of_need.rs).
        assert!(
            s.six_las_figure.is_some() || (!s.chart.series.is_empty() && !s.chart.x_label.is_empty()),
            "{}",
            s.key
        );
        for series in &s.chart.series {
            assert!(!series.points.is_empty(), "{} {}", s.key, series.name);
            assert!(series.points.iter().all(|p| p[0].is_finite() && p[1].is_finite() && p[1] > 0.0));
        }
        assert!(!s.table.rows.is_empty() && !s.table.caption.is_empty(), "{}", s.key);
        for row in &s.table.rows {
            assert_eq!(row.len(), s.table.header.len(), "{}: {row:?}", s.key);
        }
        let words = text(s);
        assert!(!words.contains("NaN") && !words.contains("inf"), "{}: {words}", s.key);
    }
    assert_eq!((t.la_code.as_deref(), t.la_name.as_deref()), (None, None));
}

#[test]
fn step1_rates_from_hood_section_3_1_and_webb_table3() {
    let t = no_la();
    let s = step(&t, "gradient");
    assert!(s.body[0].contains("about 100 children in every 10,000"), "{}", s.body[0]);
    assert!(s.body[0].contains("more than 1,340"), "{}", s.body[0]);
    assert!(s.answer.starts_with("More than 13 times"), "{}", s.answer);
    // Webb et al. 2020 Table 3 (CLA): the rate in the average LA is exp(b0 + b1 x).
    let f = &webb::table3(Outcome::Cla).fixed;
    let rate = |x: f64| (f.intercept.b + f.lsoa_imd.b * x).exp();
    let rows: Vec<(f64, String)> =
        s.table.rows.iter().map(|r| (r[0].replace('−', "-").parse().unwrap(), r[1].clone())).collect();
    assert_eq!(rows.iter().map(|r| r.0).collect::<Vec<_>>(), [-2.0, -1.0, 0.0, 1.0, 2.0]);
    for (x, printed) in &rows {
        assert_eq!(printed, &format!("{:.0}", rate(*x)), "x = {x}");
    }
    assert!(s.body[1].contains(&format!("{:.0} per 10,000", rate(-2.0))));
    for p in &s.chart.series[0].points {
        assert!((p[1] - rate(p[0])).abs() < 1e-9 * rate(p[0]));
    }
    let curve = webb_rate_curve(Outcome::Cla, 0.0, 0.0, 5).unwrap();
    assert!((curve.series[1].points[2].y - rate(0.0)).abs() < 1e-12);
}

#[test]
fn step2_scores_of_hood_table2() {
    let t = no_la();
    let s = step(&t, "one_number");
    let text = text(s);
    assert!(text.contains("1.62 (95% CI 1.62 to 1.63)"), "{text}");
    assert!(text.contains("62% higher") && text.contains("1.80 for child protection plans"), "{text}");
    assert!(s.answer.contains("1.62 × 1.62 = 2.62") && s.answer.contains("162% more"), "{}", s.answer);
    assert_eq!(s.table.rows.len(), hood::TABLE2_THRESHOLDS.rows.len());
    for (row, cell) in s.table.rows.iter().zip(hood::TABLE2_THRESHOLDS.rows) {
        assert_eq!(row[0], cell.label);
        assert_eq!(row[1], number(Quantity::Rate, cell.rate_per_10000));
        assert_eq!(row[2], format!("{:.2} (95% CI {:.2} to {:.2})", cell.score, cell.ci.low, cell.ci.high));
    }
    // The curves are score^(x/10): the score itself 10 points up, its square 20 points up.
    assert!((y_at(&s.chart.series[0], 10.0) - 1.62).abs() < 1e-12);
    assert!((y_at(&s.chart.series[0], 20.0) - 1.62 * 1.62).abs() < 1e-12);
    assert!((y_at(&s.chart.series[1], -10.0) - 1.0 / 1.80).abs() < 1e-12);
}

#[test]
fn step3_inverse_intervention_equals_table_cells() {
    let t = no_la();
    let s = step(&t, "inverse_intervention");
    let referral = &hood::TABLE2_THRESHOLDS.rows[0];
    let low = hood_referral(Some(-10.0), None);
    let high = hood_referral(Some(10.0), None);
    // The calculator at LA deprivation -10 / +10 gives the printed Low IMD / High IMD cells.
    assert!((low.estimate - referral.low_imd).abs() < 1e-12 && low.published, "{}", low.estimate);
    assert!((high.estimate - referral.high_imd).abs() < 1e-12 && high.published, "{}", high.estimate);
    let text = text(s);
    // Every score at the one precision of scores: Table 4's 1.936 and 1.489 as 1.94 and 1.49.
    for n in ["2.03", "1.29", "1.94", "1.49"] {
        assert!(text.contains(n), "{n} missing: {text}");
    }
    assert_eq!(table4(Outcome::Cla, LaContext::LowDeprivation), 1.936);
    assert!((y_at(&s.chart.series[0], 10.0) - 2.03).abs() < 1e-12);
    assert!((y_at(&s.chart.series[2], 10.0) - 1.29).abs() < 1e-12);
    for (row, cell) in s.table.rows.iter().zip(hood::TABLE2_THRESHOLDS.rows) {
        assert_eq!(
            row[1..],
            [format!("{:.2}", cell.low_imd), format!("{:.2}", cell.score), format!("{:.2}", cell.high_imd)]
        );
    }
}

#[test]
fn step4_inequality_equals_webb_table4() {
    let t = no_la();
    let s = step(&t, "inequality");
    for (row, outcome) in s.table.rows.iter().zip(Outcome::ALL) {
        assert_eq!(row[0], outcome.label());
        assert_eq!(row[1], number(Quantity::Score, table4(outcome, LaContext::LowInequality)));
        assert_eq!(row[2], number(Quantity::Score, table4(outcome, LaContext::HighInequality)));
    }
    let text = text(s);
    for n in ["1.44", "2.01", "1.38", "1.75", "1.48", "2.06"] {
        assert!(text.contains(n), "{n} missing: {text}");
    }
    assert!((y_at(&s.chart.series[0], 1.0) - 2.009).abs() < 1e-12);
    assert!((y_at(&s.chart.series[1], 1.0) - 1.435).abs() < 1e-12);
}

#[test]
fn step5_rural_and_sparse_equal_tables_16_17_and_the_quoted_rates() {
    let t = no_la();
    let s = step(&t, "rural");
    assert!(s.body[0].contains("269 against 425 per 10,000"), "{}", s.body[0]);
    assert!(s.body[1].contains("1.88 in rural against 1.59 in urban"), "{}", s.body[1]);
    assert!(s.body[1].contains("1.71 in sparsely against 1.56 in densely"), "{}", s.body[1]);
    assert!(s.answer.contains("2.31 against 1.96"), "{}", s.answer);
    let rural = hood::table16(hood::Area::Rural).referral;
    assert_eq!(s.chart.series[0].points, vec![[-10.0, rural.low], [0.0, rural.mid], [10.0, rural.high]]);
    let dense = hood::table17(hood::Density::High).referral;
    assert_eq!(s.chart.series[3].points, vec![[-10.0, dense.low], [0.0, dense.mid], [10.0, dense.high]]);
    assert_eq!(s.table.rows.len(), 5);
    assert_eq!(s.table.rows[4], ["High density (Table 17)", "1.98", "1.56", "1.23"]);
}

#[test]
fn step6_every_la_is_the_calculators_prediction_ranked_as_the_map_ranks() {
    let t = no_la();
    let s = step(&t, "england");
    // Two series: the 149 ranked LAs and the two with very few children, left out of the ranks.
    let (ranked_dots, unranked_dots) = (&s.chart.series[0].points, &s.chart.series[1].points);
    assert_eq!((ranked_dots.len(), unranked_dots.len()), (149, 2));
    let all = calculator::la_gradients(&GradientRequest::Hood2021 {
        measure: "referral".into(),
        la_dep: None,
        area: None,
        density: None,
        la: None,
    })
    .unwrap();
    for place in places() {
        let r = hood_referral(None, Some(&place.la.la_code));
        let dots = if place.la.small_la { unranked_dots } else { ranked_dots };
        assert!(
            dots.iter()
                .any(|p| (p[0] - place.la.la_dep()).abs() < 1e-12 && (p[1] - r.estimate).abs() < 1e-12),
            "{}",
            place.la.la_name
        );
    }
    // Steepest and flattest are the map's rank 1 and last rank, ties named together.
    let by_rank = |rank: u32| -> Vec<&calculator::LaGradient> {
        all.items.iter().filter(|g| g.rank == Some(rank)).collect()
    };
    let last = all.items.iter().filter_map(|g| g.rank).max().unwrap();
    let top = by_rank(1);
    assert_eq!(top.len(), 1);
    let bottom = by_rank(last);
    assert!(s.answer.contains(&format!("the steepest is {} in", top[0].shown.value)), "{}", s.answer);
    for g in &bottom {
        let name = places().iter().find(|p| p.la.la_code == g.la_code).unwrap().la.display_name();
        assert!(s.answer.contains(name), "{name}: {}", s.answer);
        assert!(g.tied == (bottom.len() > 1));
    }
    assert!(text(s).contains("Ranks are out of 149"), "{}", text(s));
    // Less income-deprived LAs have steeper gradients (interaction effect 0.80 < 1).
    let corr_sign = ranked_dots.iter().map(|p| p[0] * (p[1].ln() - 1.62f64.ln())).sum::<f64>();
    assert!(corr_sign < 0.0);
    assert_eq!(s.table.rows.len(), 10);
    assert_eq!(s.table.rows[0][0], "1");
    assert_eq!(s.table.rows[9][0], bottom[0].rank_shown.clone().unwrap());
    for row in &s.table.rows {
        let g = all
            .items
            .iter()
            .find(|g| places().iter().any(|p| p.la.la_code == g.la_code && p.la.display_name() == row[1]))
            .unwrap();
        assert_eq!(row[0], g.rank_shown.clone().unwrap());
        assert_eq!(row[3], g.shown.value);
    }
}

/// A small deterministic generator for choosing LAs (xorshift64).
fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn step7_random_las_equal_the_calculator() {
    let mut seed = 0x5eed_1234_u64;
    let all = places();
    for _ in 0..12 {
        let place = &all[(xorshift(&mut seed) % all.len() as u64) as usize];
        let code = place.la.la_code.as_str();
        let name = place.la.display_name();
        // By code, and by name as a teacher would type it.
        let query = if seed % 2 == 0 { code.to_string() } else { place.la.la_name.to_lowercase() };
        let t = tour(Some(&query)).unwrap();
        assert_eq!(t.la_code.as_deref(), Some(code));
        let s = step(&t, "your_la");
        assert_eq!(s.title, format!("Your local authority: {name}"));
        let r = hood_referral(None, Some(code));
        let ci = match (r.ci_low, r.ci_high) {
            (Some(lo), Some(hi)) => format!("{:.2} (95% CI {lo:.2} to {hi:.2})", r.estimate),
            _ => format!("{:.2}", r.estimate),
        };
        assert_eq!(s.table.rows[0][2], ci, "{name}");
        assert!(s.body[0].contains(&format!("predicted referral score {ci}")), "{}", s.body[0]);
        assert!(
            s.answer.contains(&format!("{:.1}% of people", 100.0 * place.la.income2019_avg_score)),
            "{}",
            s.answer
        );
        assert_eq!(s.table.rows[0][1], format!("{:.1}", place.la.la_dep()).replace('-', "−"));
        if let Some(within) = r.la.as_ref().and_then(|l| l.within_la.as_ref()) {
            assert_eq!(s.body[1], format!("{} {}", within.sentence, within.explanation));
        }
        // The answer's direction is the page's headline direction.
        let expected = match r.average.direction {
            calculator::Direction::Steeper => "Steeper",
            calculator::Direction::Flatter => "Flatter",
            _ => "About the same",
        };
        assert!(s.answer.starts_with(expected), "{name}: {}", s.answer);
        // The LA's curve is score^(x/10); the average LA's is 1.62^(x/10).
        assert!((y_at(&s.chart.series[0], 10.0) - r.estimate).abs() < 1e-9, "{name}");
        assert!((y_at(&s.chart.series[1], 10.0) - 1.62).abs() < 1e-12);
    }
}

#[test]
fn step7_without_an_la_asks_the_audience() {
    let t = no_la();
    let s = step(&t, "your_la");
    assert_eq!(s.title, "Your local authority");
    assert!(s.question.contains("average 1.62?"), "{}", s.question);
    assert_eq!(s.table.rows, [["Average LA", "1.62 (95% CI 1.62 to 1.63)"]]);
    assert_eq!(tour(Some("  ")).unwrap().la_code, None);
}

#[test]
fn an_unknown_la_is_an_error_naming_it() {
    let err = tour(Some("Atlantis")).unwrap_err().to_string();
    assert!(err.contains("Atlantis"), "{err}");
}

#[test]
fn step8_scores_by_age_equal_hood_table4() {
    let t = no_la();
    let s = step(&t, "not_cause");
    let ages = hood::TABLE4_AGE.rows;
    assert_eq!(s.table.rows.len(), ages.len());
    let series = &s.chart.series[0];
    for ((row, cell), (p, bar)) in
        s.table.rows.iter().zip(ages).zip(series.points.iter().zip(&series.error_bars))
    {
        assert_eq!(row[0], cell.label);
        assert_eq!(row[1], format!("{:.2} (95% CI {:.2} to {:.2})", cell.score, cell.ci.low, cell.ci.high));
        assert_eq!(format!("Age {}", p[0]), cell.label);
        assert_eq!((p[1], bar[0], bar[1]), (cell.score, cell.ci.low, cell.ci.high));
    }
    assert!(s.body[1].contains("1.67 (95% CI 1.64 to 1.69) at age 5"), "{}", s.body[1]);
    assert!(s.body[1].contains("1.61 (95% CI 1.59 to 1.63) at age 15"), "{}", s.body[1]);
}
