//! The page's views of a fitted spatial field, on a glmmTMB reference file (Middlesbrough and
//! Stockton, 174 LSOAs at their real centroids): the plain words follow `100 exp(-d / range)`
//! from the fitted range, the correlation chart and the map are built from the fit, and the
//! model check says whether spatial autocorrelation remains after the field.

use socgrad::diagnostics::CheckOptions;
use socgrad::fit::Family;
use socgrad::fit_views::ViewRequest;
use socgrad::pipeline::session::Session;
use socgrad::pipeline::FitRequest;

/// The reference file with a column `one` (1 in every row) for the field's single group.
fn teesside() -> Vec<u8> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference/spatial/data/teesside.csv");
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        out.push_str(line);
        out.push_str(if i == 0 { ",one\n" } else { ",1\n" });
    }
    out.into_bytes()
}

#[test]
fn a_fitted_field_in_plain_words_with_its_correlation_and_map() {
    let mut session = Session::open(&teesside()).unwrap();
    let overview = session.overview(1);
    let coords = overview.coordinates.as_ref().unwrap();
    assert_eq!((coords.x.as_str(), coords.y.as_str()), ("easting", "northing"));
    let formula = "count ~ imd_z + offset(log(pop)) + exp(pos(easting, northing) + 0 | one)";
    let request = FitRequest::new(formula, Family::Poisson);
    let fitted = session.fit(&request, &ViewRequest::default(), &mut |_| {}).unwrap();
    let spatial = fitted.views.spatial.clone().expect("views of the field");
    let field = fitted.report.random_effects.iter().find(|r| r.field.is_some()).unwrap();
    let range = field.field.as_ref().unwrap().range;
    // glmmTMB (tests/reference/spatial/golden/teesside.field.poisson.json): range 740.6 m, SD 0.503.
    assert!((range / 740.615 - 1.0).abs() < 1e-2, "{range}");
    // range / 2.5 = 296 m is nearest 200 m on the 1-2-5 ladder; 2 range = 1481 m nearest 2 km.
    // 100 exp(-200 / 740.6) = 76.3, 100 exp(-2000 / 740.6) = 6.7.
    assert_eq!(
        spatial.headline,
        "Neighbourhoods 200 m apart share about 76% of their unexplained variation; at 2 km about 7%."
    );
    assert!((spatial.shares[0].percent - 100.0 * (-200.0 / range).exp()).abs() < 1e-9);
    // The Wald interval of the range, 439 m to 1.25 km in glmmTMB.
    assert!(
        spatial.range_words.starts_with("The range is 741 m (95% interval 439 m to 1.25 km)"),
        "{}",
        spatial.range_words
    );
    assert!(spatial.sd_words.starts_with("The field's SD is 0.50:"), "{}", spatial.sd_words);
    // The chart: exp(-d / range) from 1, with the band's two curves.
    let line = &spatial.correlation.as_ref().unwrap().spec.series[0].points;
    assert_eq!(line[0], [0.0, 1.0]);
    assert!(line.iter().all(|p| (p[1] - (-p[0] * 1000.0 / range).exp()).abs() < 1e-12));
    assert_eq!(spatial.correlation.as_ref().unwrap().spec.series.len(), 2);
    // The map: every location once, in km, and the table's extremes are the largest and
    // smallest modes of the fit.
    let points: usize = spatial.map.spec.series.iter().map(|s| s.points.len()).sum();
    assert_eq!(points, 174);
    assert_eq!(spatial.map.table.rows.len(), 20);
    let modes: Vec<f64> = spatial.map.table.rows.iter().map(|r| r[3].parse().unwrap()).collect();
    assert!(modes[0] >= modes[9] && modes[10] >= modes[19] && modes[9] >= modes[10]);
    assert!(spatial.map.spec.series.iter().flat_map(|s| &s.points).all(|p| (447.0..475.0).contains(&p[0])));

    // The model check speaks of the autocorrelation left after the field.
    let check = session.check_model(&CheckOptions::default()).unwrap();
    let moran = check.check.spatial.as_ref().unwrap();
    let reading = &moran.moran.reading;
    assert!(
        reading.contains("With the model's spatial field")
            || reading.contains("remains after the model's spatial field"),
        "{reading}"
    );
    println!("{reading}");
}

#[test]
fn a_model_without_a_field_has_no_spatial_views() {
    let mut session = Session::open(&teesside()).unwrap();
    let request = FitRequest::new("count ~ imd_z + offset(log(pop)) + (1 | la)", Family::Poisson);
    let fitted = session.fit(&request, &ViewRequest::default(), &mut |_| {}).unwrap();
    assert!(fitted.views.spatial.is_none());
}
