//! The page's views of the real figures, built natively: the chosen LA's figures and rank, the
//! trend with its gaps explained, the "higher or lower than expected" sentence, the funnel and
//! scatter with a name for every point, the map's values and the tour step.

use socgrad::rates::data::Measure;
use socgrad::rates::expected::Position;
use socgrad::rates::tour::tour_step;
use socgrad::rates::views::{map_view, rates_view, MapMode, MapRequest, RatesRequest};

fn request(la: Option<&str>, measure: &str, year: i64) -> RatesRequest {
    RatesRequest {
        la: la.map(String::from),
        measure: Some(measure.into()),
        year: Some(year),
        covariates: vec![],
    }
}

#[test]
fn blackpool_children_looked_after_in_2025() {
    let v = rates_view(&request(Some("Blackpool"), "cla_at31", 2025)).unwrap();
    assert_eq!(v.la_code.as_deref(), Some("E06000009"));
    assert_eq!(v.figures.len(), 5);
    let cla = v.figures.iter().find(|f| f.measure == Measure::ClaAt31).unwrap();
    // E06000009,Blackpool,2025,28923,...,531,184
    assert_eq!((cla.count, cla.rate, cla.children_0_17), (Some(531), Some(184.0), Some(28923)));
    assert_eq!(cla.ranked, 149);
    assert_eq!(cla.rank, Some(1), "Blackpool looks after the most children per head");
    assert!((cla.england.rate - 67.1).abs() < 0.05 && cla.england.las == 149);
    // As the page shows them: the engine's number format (whole numbers for children looked
    // after, as DfE prints them) and rank.
    assert_eq!(
        (
            cla.rate_shown.as_deref(),
            cla.count_shown.as_deref(),
            cla.england_shown.as_str(),
            cla.rank_shown.as_deref()
        ),
        (Some("184"), Some("531"), "67", Some("1"))
    );
    let referrals = v.figures.iter().find(|f| f.measure == Measure::Referrals).unwrap();
    assert_eq!(referrals.rate_shown.as_deref().map(|s| s.split('.').nth(1).map(str::len)), Some(Some(1)));
    let e = v.expected.as_ref().unwrap();
    let chosen = e.chosen.as_ref().unwrap();
    assert_eq!(chosen.position, Position::Within95);
    assert!(
        chosen.sentence.starts_with("In 2025 Blackpool's rate of children looked after was 1.22 times"),
        "{}",
        chosen.sentence
    );
    // Every point of the funnel and the scatter has a name; the chosen LA is its own series.
    for chart in [&e.funnel, &v.scatter.as_ref().unwrap().chart] {
        assert_eq!(chart.labels.len(), chart.view.spec.series.len());
        for (s, names) in chart.view.spec.series.iter().zip(&chart.labels) {
            assert!(names.is_empty() || names.len() == s.points.len());
        }
        let last = chart.labels.last().unwrap();
        assert_eq!((last.len(), last[0].code.as_str(), last[0].name.as_str()), (1, "E06000009", "Blackpool"));
        let named: usize = chart.labels.iter().map(Vec::len).sum();
        assert_eq!(named, 149);
    }
    assert_eq!(e.funnel.view.table.rows.len(), 149);
    // The outliers are those outside the 99.8% limits, listed.
    assert!(e.above.iter().all(|o| o.ratio > 1.0) && e.below.iter().all(|o| o.ratio < 1.0));
    assert!(e.r_code.contains("glm.nb(count ~ z + offset(log(children_0_17)), data = d)"));
    // The trend: Blackpool, England and five similar LAs.
    assert_eq!(v.trend.similar.len(), 5);
    assert_eq!(v.trend.chart.spec.series.len(), 3);
    assert_eq!(v.trend.chart.table.rows.len(), 13);
    assert_eq!(v.trend.chart.table.header.len(), 1 + 1 + 1 + 1 + 5);
}

#[test]
fn gaps_are_gaps_with_their_reason() {
    let v = rates_view(&request(Some("Hackney"), "cin_at31", 2021)).unwrap();
    let own = &v.trend.chart.spec.series[0];
    let missing: Vec<f64> = own.points.iter().filter(|p| p[1].is_nan()).map(|p| p[0]).collect();
    assert_eq!(missing, vec![2021.0, 2022.0]);
    assert!(
        v.trend.gaps.iter().any(|g| g.contains("Hackney in 2021 and 2022: not available (DfE 'x')")),
        "{:?}",
        v.trend.gaps
    );
    let row2021 = &v.trend.chart.table.rows[8];
    assert_eq!(row2021[0], "2021");
    assert_eq!(row2021[1], "– (not published)");
    let cin = v.figures.iter().find(|f| f.measure == Measure::CinAt31).unwrap();
    assert_eq!(cin.count, None);
    assert!(cin.reason.unwrap().contains("not available"));
    assert!(v.expected.unwrap().chosen.is_none(), "no figure, so not in the model");
    let bcp = rates_view(&request(Some("E06000058"), "referrals", 2025)).unwrap();
    assert!(
        bcp.trend.gaps.iter().any(|g| g.contains("2013 to 2019: the authority did not exist yet")),
        "{:?}",
        bcp.trend.gaps
    );
}

#[test]
fn england_alone_and_bad_requests() {
    let v = rates_view(&RatesRequest::default()).unwrap();
    assert_eq!((v.measure, v.year), (Measure::ClaAt31, 2025));
    assert!(v.figures.is_empty() && v.la_code.is_none());
    assert_eq!(v.england.len(), 5);
    assert_eq!(v.trend.chart.spec.series.len(), 1);
    assert!(rates_view(&request(Some("Atlantis"), "cla_at31", 2025)).is_err());
    assert!(rates_view(&request(None, "cla", 2025)).is_err());
    assert!(rates_view(&request(None, "cla_at31", 2012)).is_err());
}

#[test]
fn the_map_colours_by_rate_or_by_observed_over_expected() {
    let rate = map_view(&MapRequest {
        measure: Some("cla_at31".into()),
        year: Some(2025),
        mode: MapMode::Rate,
        covariates: vec![],
    })
    .unwrap();
    assert_eq!(rate.items.len(), 151);
    assert_eq!(rate.items.iter().filter(|i| i.estimate.is_some()).count(), 149);
    let blackpool = rate.items.iter().find(|i| i.la_code == "E06000009").unwrap();
    assert_eq!(blackpool.estimate, Some(184.0));
    let ratio = map_view(&MapRequest {
        measure: Some("cla_at31".into()),
        year: Some(2025),
        mode: MapMode::Ratio,
        covariates: vec![],
    })
    .unwrap();
    let blackpool = ratio.items.iter().find(|i| i.la_code == "E06000009").unwrap();
    assert!((blackpool.estimate.unwrap() - 1.2157).abs() < 1e-3, "{:?}", blackpool.estimate);
    let scilly = ratio.items.iter().find(|i| i.la_code == "E06000053").unwrap();
    assert!(scilly.estimate.is_none() && scilly.note.as_deref().unwrap().contains("not applicable"));
    assert_eq!(blackpool.shown.as_ref().map(|s| s.value.as_str()), Some("1.22"));
}

/// The map, its table and the LA's figures rank alike, in every measure and year: from the
/// highest (unrounded) rate, ties sharing a rank, no rank for the two LAs with very few children
/// or without a figure, and as many ranks as the view says.
#[test]
fn one_ranking_for_the_map_and_the_figures() {
    use socgrad::rates::figures::measure_figure;
    for measure in Measure::ALL {
        for year in 2013..=2025u16 {
            let view = map_view(&MapRequest {
                measure: Some(measure.name().into()),
                year: Some(year as i64),
                mode: MapMode::Rate,
                covariates: vec![],
            })
            .unwrap();
            let ranked: Vec<_> = view.items.iter().filter(|i| i.rank.is_some()).collect();
            assert_eq!(ranked.len() as u32, view.ranked_count);
            for (k, item) in view.items.iter().enumerate() {
                let small = socgrad::places::places()[k].la.small_la;
                assert!(!(small && item.rank.is_some()), "{} ranked", item.la_code);
                assert_eq!(item.rank.is_some(), item.estimate.is_some() && !small);
                if let Some(r) = item.rank {
                    // A higher rate as shown never ranks below a lower one.
                    assert!(ranked.iter().all(|o| o.estimate <= item.estimate || o.rank.unwrap() <= r));
                    assert_eq!(
                        item.rank_shown.clone().unwrap(),
                        if item.tied { format!("{r}=") } else { r.to_string() }
                    );
                    let same = ranked.iter().filter(|o| o.rank == Some(r)).count();
                    assert_eq!(item.tied, same > 1, "{} {measure:?} {year}", item.la_code);
                }
                let f = measure_figure(k, measure, year);
                assert_eq!(f.rank.map(|r| r as u32), item.rank, "{} {measure:?} {year}", item.la_code);
                assert_eq!(f.ranked as u32, view.ranked_count);
            }
        }
    }
}

#[test]
fn the_tour_step_shows_the_real_rates_and_the_funnel() {
    let step = tour_step(Some("E06000009")).unwrap();
    assert_eq!((step.number, step.key), (8, "real_figures"));
    assert_eq!(step.title, "What actually happens in England");
    assert!(step.body[0].contains("67 children looked after"), "{}", step.body[0]);
    assert!(step.body[2].starts_with("Blackpool: 1.22 times expected (531 against 437)"), "{}", step.body[2]);
    assert!(step.body.iter().any(|p| p.contains("Blackpool")));
    assert_eq!(step.table.rows.len(), 5);
    assert!(step.chart.series.iter().any(|s| s.name == "99.8% limits"));
    for p in &step.body {
        println!("{p}");
    }
    println!("Q: {}\nA: {}", step.question, step.answer);
}
