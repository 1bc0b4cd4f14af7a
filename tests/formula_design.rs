//! Building designs: rows dropped for missing values, transformations computed as R computes
//! them, factor levels, and the messages users see for data that cannot be modelled.

use socgrad::data::{read_csv, DataFrame};
use socgrad::formula::{build_design, build_design_with_info, parse, validate, DesignError, Problem, Span};

fn frame(csv: &str) -> DataFrame {
    read_csv(csv.as_bytes()).expect("test data reads")
}

fn design_error(csv: &str, formula: &str) -> DesignError {
    let f = parse(formula).expect("parses");
    match build_design(&frame(csv), &f) {
        Ok(d) => panic!("{formula} built with columns {:?}", d.x_names),
        Err(e) => e,
    }
}

fn row_messages(e: &DesignError) -> Vec<String> {
    match e {
        DesignError::Rows { problems, .. } => problems.iter().map(|p| p.message.clone()).collect(),
        other => panic!("not a row error: {other}"),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

const DATA: &str = "count,pop,imd,la\n3,1000,10,A\n5,2000,20,A\n2,1500,30,B\n8,2500,40,B\n";

#[test]
fn a_poisson_model_with_offset_and_random_intercept() {
    let f = parse("count ~ imd + offset(log(pop/1000)) + (1 | la)").expect("parses");
    let d = build_design(&frame(DATA), &f).expect("builds");
    assert_eq!(d.y, [3.0, 5.0, 2.0, 8.0]);
    let expected = [1.0f64, 2.0, 1.5, 2.5].map(f64::ln);
    assert!(d.offset.iter().zip(expected).all(|(a, b)| close(*a, b)));
    assert_eq!(d.x_names, ["(Intercept)", "imd"]);
    assert_eq!(d.x.column(1).iter().copied().collect::<Vec<_>>(), [10.0, 20.0, 30.0, 40.0]);
    assert_eq!(d.random.len(), 1);
    assert_eq!(
        (d.random[0].group.as_str(), d.random[0].terms.as_slice()),
        ("la", ["(Intercept)".to_owned()].as_slice())
    );
    assert_eq!(d.random[0].levels, ["A", "B"]);
    assert_eq!(d.random[0].index, [0, 0, 1, 1]);
    assert_eq!(d.rows, [1, 2, 3, 4]);
    assert_eq!(d.dropped_missing, 0);
}

#[test]
fn rows_with_missing_values_are_dropped_and_counted() {
    let csv = "count,pop,imd,la,unused\n3,1000,10,A,\nNA,2000,20,A,1\n2,1500,,B,\n8,2500,40,,\n1,900,50,B,\n4,1100,60,A,\n";
    let f = parse("count ~ imd + offset(log(pop)) + (1 | la)").expect("parses");
    let (d, info) = build_design_with_info(&frame(csv), &f).expect("builds");
    assert_eq!(d.rows, [1, 5, 6]);
    assert_eq!(d.dropped_missing, 3);
    assert_eq!(d.y, [3.0, 1.0, 4.0]);
    let missing: Vec<(String, usize)> = info.missing.iter().map(|m| (m.column.clone(), m.rows)).collect();
    assert_eq!(missing, [("count".to_owned(), 1), ("imd".to_owned(), 1), ("la".to_owned(), 1)]);
}

#[test]
fn scale_uses_every_present_value_before_rows_are_dropped() {
    // x = 1, 2, 3, 4, 10 (the last row has no count): mean 4, deviations -3 -2 -1 0 6,
    // sum of squares 50, sd = sqrt(50 / 4).
    let csv = "y,x\n1,1\n2,2\n3,3\n4,4\nNA,10\n";
    let (d, info) =
        build_design_with_info(&frame(csv), &parse("y ~ scale(x)").expect("parses")).expect("builds");
    let sd = 12.5f64.sqrt();
    let expected = [-3.0 / sd, -2.0 / sd, -1.0 / sd, 0.0];
    assert!(d.x.column(1).iter().zip(expected).all(|(a, b)| close(*a, b)));
    assert_eq!(info.scalings.len(), 1);
    assert_eq!(info.scalings[0].term, "scale(x)");
    assert!(close(info.scalings[0].centre, 4.0) && close(info.scalings[0].scale, sd));
}

#[test]
fn within_and_between_use_group_means_of_present_values() {
    // Group a: x = 1, 3 (mean 2); group b: x = 2, 4 and a missing x (mean 3).
    let csv = "y,x,g\n1,1,a\n2,3,a\n3,2,b\n4,4,b\n5,NA,b\n6,7,\n";
    let f = parse("y ~ within(x, g) + between(x, g)").expect("parses");
    let (d, info) = build_design_with_info(&frame(csv), &f).expect("builds");
    assert_eq!(d.rows, [1, 2, 3, 4]);
    assert_eq!(d.x.column(1).iter().copied().collect::<Vec<_>>(), [-1.0, 1.0, -1.0, 1.0]);
    assert_eq!(d.x.column(2).iter().copied().collect::<Vec<_>>(), [2.0, 2.0, 3.0, 3.0]);
    assert_eq!(info.group_means.len(), 2);
    assert_eq!(info.group_means[0].term, "within(x, g)");
    assert_eq!(info.group_means[0].groups, ["a", "b"]);
    assert_eq!(info.group_means[0].means, [2.0, 3.0]);
}

#[test]
fn factor_levels_sort_by_bytes_and_numbers_by_value() {
    let csv = "y,w,n\n1,b,100000\n2,B,7\n3,a,7\n4,b,3.5\n5,a,7\n6,B,3.5\n7,b,100000\n";
    let f = parse("y ~ w + factor(n) + (1 | n)").expect("parses");
    let (d, info) = build_design_with_info(&frame(csv), &f).expect("builds");
    assert_eq!(d.x_names, ["(Intercept)", "wa", "wb", "factor(n)7", "factor(n)1e+05"]);
    assert_eq!(info.factors[0].levels, ["B", "a", "b"]);
    assert_eq!(d.random[0].levels, ["3.5", "7", "1e+05"]);
    assert_eq!(d.random[0].index, [2, 1, 1, 0, 1, 0, 2]);
}

#[test]
fn response_values_must_be_whole_and_not_negative() {
    let e = design_error("count,x\n1,1\n2.5,2\n-3,3\n4,4\n", "count ~ x");
    assert_eq!(
        row_messages(&e),
        [
            "row 2: count is 2.5; counts must be whole numbers of 0 or more",
            "row 3: count is -3; counts must be whole numbers of 0 or more"
        ]
    );
    match &e {
        DesignError::Rows { problems, total } => {
            assert_eq!(*total, 2);
            assert_eq!(
                problems[1],
                Problem {
                    row: Some(3),
                    column: Some("count".into()),
                    span: Some(Span { start: 0, end: 5 }),
                    message: "row 3: count is -3; counts must be whole numbers of 0 or more".into()
                }
            );
        }
        other => panic!("{other}"),
    }
}

#[test]
fn offsets_and_covariates_must_be_finite() {
    let csv = "count,pop,imd,den\n1,1000,5,1\n2,0,5,1\n3,-5,5,1\n4,1000,0,0\n";
    let e = design_error(csv, "count ~ imd + offset(log(pop))");
    assert_eq!(
        row_messages(&e),
        [
            "row 2: offset log(pop) is not finite because pop is 0; child population must be positive",
            "row 3: offset log(pop) is not finite because pop is -5; child population must be positive",
        ]
    );
    let e = design_error(csv, "count ~ log(imd) + offset(log(pop/10000))");
    assert_eq!(
        row_messages(&e),
        [
            "row 2: offset log(pop/10000) is not finite because pop/10000 is 0; child population must be positive",
            "row 3: offset log(pop/10000) is not finite because pop/10000 is -5e-04; child population must be positive",
            "row 4: log(imd) is not finite because imd is 0; a logarithm needs values above 0",
        ]
    );
    let e = design_error(csv, "count ~ imd + offset(log(1000/den))");
    assert_eq!(row_messages(&e), ["row 4: offset log(1000/den) is not finite because den is 0 in 1000/den"]);
    match &e {
        DesignError::Rows { problems, .. } => assert_eq!(problems[0].column.as_deref(), Some("den")),
        other => panic!("{other}"),
    }
}

#[test]
fn row_problems_are_capped_with_a_count() {
    let mut csv = String::from("count,x\n");
    for i in 0..25 {
        csv.push_str(&format!("-1,{i}\n"));
    }
    let e = design_error(&csv, "count ~ x");
    match &e {
        DesignError::Rows { problems, total } => assert_eq!((problems.len(), *total), (20, 25)),
        other => panic!("{other}"),
    }
    let text = e.to_string();
    assert!(text.starts_with("row 1: count is -1;"), "{text}");
    assert!(text.ends_with("\n... and 5 more rows with problems"), "{text}");
}

#[test]
fn unknown_columns_suggest_the_nearest_name() {
    let csv = "count,imd_score,la_imd\n1,2,3\n";
    let e = design_error(csv, "count ~ imd_scor:la_imd");
    match e {
        DesignError::Term(e) => {
            assert_eq!(
                e.message,
                "unknown column 'imd_scor' in term 'imd_scor:la_imd' (did you mean 'imd_score'?)"
            );
            assert_eq!(e.span, Span { start: 8, end: 16 });
            assert_eq!(e.term, "imd_scor:la_imd");
        }
        other => panic!("{other}"),
    }
    let e = design_error(csv, "count ~ IMD_SCORE");
    assert_eq!(e.to_string(), "unknown column 'IMD_SCORE' (did you mean 'imd_score'?)");
    let e = design_error(csv, "count ~ deprivation");
    assert_eq!(e.to_string(), "unknown column 'deprivation' (the columns are count, imd_score, la_imd)");
}

#[test]
fn text_columns_cannot_go_into_arithmetic() {
    let e = design_error(DATA, "count ~ log(la)");
    assert_eq!(
        e.to_string(),
        "column 'la' holds text in most of its cells (such as 'A' in row 1), so it cannot be used in 'log(la)'; only number \
         columns can go into arithmetic or functions"
    );
    let e = design_error("count,x\nmany,1\nfew,2\n", "count ~ x");
    assert_eq!(
        e.to_string(),
        "the response column 'count' holds text in most of its cells (such as 'many' in row 1); it must hold counts \
         (whole numbers of 0 or more): correct the cells, or choose the column of counts"
    );
}

#[test]
fn problems_with_the_data_as_a_whole() {
    let e = design_error("count,x,g\n1,1,A\n2,2,A\n3,3,A\n", "count ~ x + (1 | g)");
    assert_eq!(
        e.to_string(),
        "the grouping factor 'g' has only one level ('A') in the rows used; a random effect needs at least 2 groups"
    );
    // B is only in a row dropped for its missing x.
    let e = design_error("count,x,g\n1,1,A\n2,2,A\n3,NA,B\n", "count ~ x + g");
    assert!(matches!(e, DesignError::Term(_)));
    assert_eq!(
        e.to_string(),
        "'g' has only one value ('A') in the rows used; a factor needs at least 2 levels to compare"
    );
    let e = design_error("count,x\n0,1\n0,2\n0,3\n", "count ~ x");
    assert_eq!(e.to_string(), "count is 0 in every row used; a count model needs some counts above 0");
    let e = design_error("count,x\n1,1\n2,2\n", "count ~ x + I(x^2)");
    assert_eq!(
        e.to_string(),
        "the model has 3 parameters (3 fixed effects and 0 variance parameters) but only 2 rows are used; simplify the model or use more rows"
    );
    let e = design_error("count,x\n1,NA\nNA,2\n", "count ~ x");
    assert_eq!(
        e.to_string(),
        "no rows are left: every one of the 2 rows has a missing value in a column the model uses (count in 1 rows, x in 1 rows)"
    );
    let e = design_error("count,a,b\n1,p,u\n2,q,u\n3,p,v\n4,p,u\n", "count ~ a * b");
    assert_eq!(
        e.to_string(),
        "the model column 'aq:bv' is 0 in every row used (no row has that combination), so its coefficient cannot be estimated; remove or merge the terms involved"
    );
    let e = design_error("count,x\n1,5\n2,5\n3,5\n", "count ~ scale(x)");
    assert_eq!(
        e.to_string(),
        "scale(x) cannot be computed: x has the same value in every row, so its standard deviation is 0"
    );
}

#[test]
fn validation_lists_every_problem() {
    let csv = "count,pop,imd,la\n-1,1000,1,A\n2,0,2,A\n3,1000,NA,A\n2.5,1000,4,A\n";
    let report = validate(&frame(csv), &parse("count ~ imd + offset(log(pop)) + (1 | la)").expect("parses"));
    let messages: Vec<&str> = report.problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "row 1: count is -1; counts must be whole numbers of 0 or more",
            "row 2: offset log(pop) is not finite because pop is 0; child population must be positive",
            "row 4: count is 2.5; counts must be whole numbers of 0 or more",
            "the grouping factor 'la' has only one level ('A') in the rows used; a random effect needs at least 2 groups",
        ]
    );
    assert_eq!(report.problems_total, 4);
    assert!(!report.is_ok());
    assert_eq!((report.rows_read, report.rows_dropped_missing, report.rows_used), (4, 1, 3));

    let report = validate(&frame(csv), &parse("count ~ imdd + lla").expect("parses"));
    let messages: Vec<&str> = report.problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        messages,
        ["unknown column 'imdd' (did you mean 'imd'?)", "unknown column 'lla' (did you mean 'la'?)"]
    );
    assert_eq!(report.problems[1].span, Some(Span { start: 15, end: 18 }));

    let report = validate(&frame(DATA), &parse("count ~ imd + (1 | la)").expect("parses"));
    assert!(report.is_ok());
    assert_eq!((report.rows_used, report.problems.len()), (4, 0));
}

#[test]
fn errors_serialise_for_the_page() {
    let e = design_error("count,x\n0,1\n0,2\n", "count ~ x");
    assert_eq!(
        serde_json::to_string(&e).expect("serialises"),
        r#"{"kind":"data","message":"count is 0 in every row used; a count model needs some counts above 0"}"#
    );
    let e = design_error("count,x\n-1,1\n0,2\n", "count ~ x");
    assert_eq!(
        serde_json::to_string(&e).expect("serialises"),
        r#"{"kind":"rows","problems":[{"row":1,"column":"count","span":{"start":0,"end":5},"message":"row 1: count is -1; counts must be whole numbers of 0 or more"}],"total":1}"#
    );
}

#[test]
fn a_factor_with_very_many_levels_is_refused() {
    let mut csv = String::from("count,area\n");
    for i in 0..1200 {
        csv.push_str(&format!("{},A{i}\n", i % 5));
    }
    let e = design_error(&csv, "count ~ area");
    assert_eq!(
        e.to_string(),
        "the fixed part of the model would have 1200 columns for 1200 rows, which is too large ('area' is a text \
         column with 1200 different values, each a column of its own: if it should hold numbers, check its cells); \
         a factor with many levels (such as an area code) belongs in a random effect, as in (1 | la)"
    );
    // As a grouping factor it is fine.
    let d = build_design(&frame(&csv), &parse("count ~ 1 + (1 | area)").expect("parses")).expect("builds");
    assert_eq!(d.random[0].levels.len(), 1200);
    assert_eq!(d.random[0].levels[..3], ["A0", "A1", "A10"]);
}

#[test]
fn names_that_need_backticks_are_suggested_with_them() {
    let e = design_error("count,child pop\n1,2\n", "count ~ offset(log(child_pop))");
    assert_eq!(
        e.to_string(),
        "unknown column 'child_pop' in term 'offset(log(child_pop))' (did you mean `child pop`? names with spaces or symbols go in backticks)"
    );
    let d = build_design(
        &frame("count,child pop\n1,2\n3,4\n"),
        &parse("count ~ offset(log(`child pop`))").expect("parses"),
    )
    .expect("builds");
    assert!(close(d.offset[1], 4f64.ln()));
}
