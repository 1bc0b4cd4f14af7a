//! Bad input to the calculator returns a `CalcError` that names the problem; inputs that are
//! possible but outside the studied range are computed and flagged. Nothing panics.

use socgrad::calculator::{
    gradient, hood_relative_curve, webb_rate_curve, Area, CalcError, Density, GradientRequest, Outcome,
};

fn webb(
    la_imd: Option<f64>,
    la_imd_z: Option<f64>,
    gini: Option<f64>,
    gini_z: Option<f64>,
) -> Result<socgrad::calculator::GradientResult, CalcError> {
    gradient(&GradientRequest::Webb2020 { outcome: Outcome::Cin, la_imd, la_imd_z, gini, gini_z, la: None })
}

fn hood(
    measure: &str,
    la_dep: Option<f64>,
    area: Option<Area>,
    density: Option<Density>,
) -> Result<socgrad::calculator::GradientResult, CalcError> {
    gradient(&GradientRequest::Hood2021 { measure: measure.to_string(), la_dep, area, density, la: None })
}

fn out_of_range_field(err: CalcError) -> String {
    match err {
        CalcError::OutOfRange { field, .. } => field,
        other => panic!("expected OutOfRange, got {other:?}"),
    }
}

#[test]
fn gini_must_lie_strictly_between_0_and_1() {
    for g in [0.0, 1.0, 1.5, -0.1] {
        let err = webb(None, None, Some(g), None).unwrap_err();
        assert!(err.to_string().contains("strictly between 0 and 1"), "{err}");
        assert_eq!(out_of_range_field(err), "gini");
    }
    // z = -28 means Gini 0.386 - 28 x 0.014 = -0.006.
    let err = webb(None, None, None, Some(-28.0)).unwrap_err();
    assert!(err.to_string().contains("gini_z = -28"), "{err}");
    assert!(err.to_string().contains("-0.006"), "{err}");
    assert_eq!(out_of_range_field(err), "gini_z");
}

#[test]
fn imd_score_must_lie_between_0_and_100() {
    for x in [-0.1, -3.0, 100.5] {
        let err = webb(Some(x), None, None, None).unwrap_err();
        assert!(err.to_string().contains("la_imd"), "{err}");
        assert_eq!(out_of_range_field(err), "la_imd");
    }
    // z = -3 means an IMD score of 22.0 - 3 x 8.14 = -2.42.
    let err = webb(None, Some(-3.0), None, None).unwrap_err();
    assert!(err.to_string().contains("-2.42"), "{err}");
    assert_eq!(out_of_range_field(err), "la_imd_z");
}

#[test]
fn non_finite_numbers_are_refused_by_name() {
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        for (field, result) in [
            ("la_imd", webb(Some(bad), None, None, None)),
            ("la_imd_z", webb(None, Some(bad), None, None)),
            ("gini", webb(None, None, Some(bad), None)),
            ("gini_z", webb(None, None, None, Some(bad))),
            ("la_dep", hood("referral", Some(bad), None, None)),
        ] {
            let err = result.unwrap_err();
            assert_eq!(err, CalcError::NotFinite { field: field.to_string() });
            assert_eq!(err.to_string(), format!("{field} must be a finite number, not NaN or infinity"));
        }
    }
}

#[test]
fn raw_and_z_for_the_same_input_conflict() {
    let err = webb(Some(20.0), Some(0.5), None, None).unwrap_err();
    assert!(
        matches!(&err, CalcError::Conflict { first, second, .. } if first == "la_imd" && second == "la_imd_z")
    );
    assert!(err.to_string().starts_with("give la_imd or la_imd_z, not both"), "{err}");
    let err = webb(None, None, Some(0.39), Some(0.5)).unwrap_err();
    assert!(
        matches!(&err, CalcError::Conflict { first, second, .. } if first == "gini" && second == "gini_z")
    );
}

#[test]
fn area_and_density_together_conflict() {
    let err = hood("cin", None, Some(Area::Rural), Some(Density::Low)).unwrap_err();
    assert!(
        matches!(&err, CalcError::Conflict { first, second, .. } if first == "area" && second == "density")
    );
    assert!(err.to_string().contains("Table 16") && err.to_string().contains("Table 17"), "{err}");
}

#[test]
fn context_tables_only_hold_referral_cin_and_cp_plan() {
    for (measure, area, density, table) in [
        ("neglect", Some(Area::Urban), None, "Table 16"),
        ("assessment", None, Some(Density::High), "Table 17"),
        ("prior_cpp_ever", Some(Area::Rural), None, "Table 16"),
    ] {
        let err = hood(measure, None, area, density).unwrap_err();
        let CalcError::MeasureNotInTable { measure: m, table: t, available, label, context } = &err else {
            panic!("expected MeasureNotInTable, got {err:?}")
        };
        assert_eq!((m.as_str(), t.as_str()), (measure, table));
        assert_eq!(available, &["referral", "cin", "cp_plan"]);
        assert!(err.to_string().contains("referral, cin, cp_plan"), "{err}");
        // The page's message: the measure's label and the neighbourhoods in words, no field names.
        let plain = err.plain();
        assert!(plain.starts_with(&format!("{label} is not given for {context}: {table} gives only referrals, children in need and child protection plans.")), "{plain}");
        assert!(!plain.contains('_') && !plain.contains("cp_plan"), "{plain}");
    }
}

#[test]
fn every_error_has_a_plain_message_without_field_names() {
    let errors = [
        webb(None, None, Some(1.5), None).unwrap_err(),
        webb(Some(f64::NAN), None, None, None).unwrap_err(),
        webb(Some(20.0), Some(1.0), None, None).unwrap_err(),
        hood("refferal", None, None, None).unwrap_err(),
        hood("referral", Some(150.0), None, None).unwrap_err(),
        hood("referral", None, Some(Area::Rural), Some(Density::Low)).unwrap_err(),
    ];
    for err in errors {
        let plain = err.plain();
        for field in ["la_imd", "gini_z", "la_dep", "gini =", "_z"] {
            assert!(!plain.contains(field), "{plain}");
        }
        assert!(plain.ends_with('.') || plain.ends_with('?'), "{plain}");
    }
    assert_eq!(
        webb(None, None, Some(1.5), None).unwrap_err().plain(),
        "A Gini coefficient of 1.5 is not possible: a Gini coefficient lies strictly between 0 and 1."
    );
}

#[test]
fn unknown_measures_list_close_names() {
    let err = hood("parent_drug_misuse", None, None, None).unwrap_err();
    let CalcError::UnknownMeasure { suggestions, .. } = &err else { panic!("{err:?}") };
    assert_eq!(suggestions.first().map(String::as_str), Some("parents_drug_misuse"));
    assert!(err.to_string().contains("did you mean parents_drug_misuse"), "{err}");
    let err = hood("age", None, None, None).unwrap_err();
    assert!(err.to_string().contains("age_5"), "{err}");
    let err = hood("", None, None, None).unwrap_err();
    assert!(err.to_string().contains("catalogue lists every measure"), "{err}");
}

#[test]
fn la_dep_must_be_a_possible_difference_of_percentages() {
    for d in [100.0, -100.0, 1e300] {
        let err = hood("referral", Some(d), None, None).unwrap_err();
        assert_eq!(out_of_range_field(err), "la_dep");
    }
    let r = hood("referral", Some(-99.0), None, None).unwrap();
    assert!(r.extrapolated && r.estimate.is_finite() && r.estimate > 0.0);
}

#[test]
fn possible_but_unstudied_contexts_are_computed_and_flagged() {
    let r = webb(Some(99.0), None, Some(0.9), None).unwrap();
    assert!(r.extrapolated);
    assert!(r.estimate.is_finite() && r.estimate > 0.0);
    assert_eq!(r.warnings.iter().filter(|w| w.contains("extrapolation")).count(), 2);
    let r = webb(Some(0.0), None, None, None).unwrap();
    assert!(r.extrapolated);
    let r = hood("cp_plan", Some(10.5), Some(Area::Urban), None).unwrap();
    assert!(r.extrapolated);
}

#[test]
fn unreadable_requests_are_errors() {
    for text in [
        r#"{"source": "webb2020", "outcome": "xyz"}"#,
        r#"{"source": "webb2020"}"#,
        r#"{"source": "hood2021", "measure": "cin", "area": "suburban"}"#,
        r#"{"source": "hood2021", "measure": "cin", "density": "very"}"#,
        r#"{"source": "hood2021", "measure": "cin", "la_dep": "ten"}"#,
        r#"{"source": "somebody", "measure": "cin"}"#,
        r#"not json"#,
    ] {
        let err = GradientRequest::from_json(text).unwrap_err();
        assert!(matches!(err, CalcError::InvalidRequest { .. }), "{text}: {err:?}");
        assert!(err.to_string().starts_with("invalid request: "), "{err}");
    }
    let err = GradientRequest::from_json(r#"{"source": "webb2020", "outcome": "xyz"}"#).unwrap_err();
    assert!(err.to_string().contains("cin") && err.to_string().contains("xyz"), "{err}");
}

#[test]
fn curves_refuse_bad_points_and_comparative_measures() {
    for points in [0, 1, 1_000_000] {
        assert_eq!(
            webb_rate_curve(Outcome::Cla, 0.0, 0.0, points).unwrap_err(),
            CalcError::Points { points, min: 2, max: 1001 }
        );
        assert!(matches!(
            hood_relative_curve("referral", None, None, None, points),
            Err(CalcError::Points { .. })
        ));
    }
    let err = hood_relative_curve("cin_ceased_within_3_months", None, None, None, 10).unwrap_err();
    assert!(matches!(err, CalcError::NoCurve { .. }));
    assert!(err.to_string().contains("Table 12"), "{err}");
    assert!(matches!(
        hood_relative_curve("nope", None, None, None, 10),
        Err(CalcError::UnknownMeasure { .. })
    ));
    assert!(matches!(
        webb_rate_curve(Outcome::Cla, 0.0, f64::INFINITY, 10),
        Err(CalcError::NotFinite { .. })
    ));
}

#[test]
fn errors_are_std_errors_and_serialise_with_their_fields() {
    let err: Box<dyn std::error::Error> = Box::new(webb(None, None, Some(2.0), None).unwrap_err());
    assert!(err.to_string().contains("gini = 2"));
    let json = serde_json::to_value(hood("cp_plann", None, None, None).unwrap_err()).unwrap();
    assert_eq!(json["kind"], "unknown_measure");
    assert_eq!(json["measure"], "cp_plann");
    assert_eq!(json["suggestions"][0], "cp_plan");
    let json = serde_json::to_value(webb(Some(-1.0), None, None, None).unwrap_err()).unwrap();
    assert_eq!(json["kind"], "out_of_range");
    assert_eq!(json["field"], "la_imd");
    assert_eq!(json["value"], -1.0);
}

#[test]
fn awkward_numbers_never_panic() {
    let values = [
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::MAX,
        f64::MIN,
        f64::MIN_POSITIVE,
        -0.0,
        0.0,
        1e-300,
        -1e-300,
        0.5,
        -0.5,
        1.0,
        -1.0,
        10.0,
        -10.0,
        99.999,
        -99.999,
        1e9,
        -1e9,
    ];
    for &a in &values {
        for &b in &values {
            for outcome in Outcome::ALL {
                let reqs = [
                    GradientRequest::Webb2020 {
                        outcome,
                        la_imd: Some(a),
                        la_imd_z: None,
                        gini: None,
                        gini_z: Some(b),
                        la: None,
                    },
                    GradientRequest::Webb2020 {
                        outcome,
                        la_imd: None,
                        la_imd_z: Some(a),
                        gini: Some(b),
                        gini_z: None,
                        la: None,
                    },
                ];
                for req in &reqs {
                    if let Ok(r) = gradient(req) {
                        assert!(r.estimate.is_finite() && r.estimate > 0.0, "{req:?}");
                    }
                }
                let _ = webb_rate_curve(outcome, a, b, 3);
            }
            for area in [None, Some(Area::Rural)] {
                if let Ok(r) = hood("cp_plan", Some(a), area, None) {
                    assert!(r.estimate.is_finite() && r.estimate > 0.0, "{a}");
                }
                let _ = hood_relative_curve("cp_plan", Some(b), area, None, 3);
            }
        }
    }
}
