//! A bad cell never changes the model: each class of hostile input that once gave a wrong model,
//! no answer or a misleading message, with the answer it gets now.

use socgrad::diagnostics::CheckOptions;
use socgrad::fit::{Family, WarningCode};
use socgrad::pipeline::{EngineError, FitRequest, Session};
use socgrad::random::Rng;
use std::process::Command;
use std::time::{Duration, Instant};

const FORMULA: &str = "count ~ imd + offset(log(pop)) + (1 | la)";

/// A file of `n` rows (count, pop, imd, la, la_num, easting, northing) with Poisson counts,
/// and `edit(row, cells)` applied to each data row (0-based).
fn file(n: usize, edit: impl Fn(usize, &mut Vec<String>)) -> String {
    let mut rng = Rng::new(21);
    let mut out = String::from("count,pop,imd,la,la_num,easting,northing\n");
    for i in 0..n {
        let imd = rng.normal();
        let pop = rng.int_between(200, 2000) as f64;
        let mut cells = vec![
            rng.poisson(pop / 500.0 * (0.5 * imd).exp()).to_string(),
            pop.to_string(),
            format!("{imd:.4}"),
            format!("L{}", i % 30),
            (i % 30).to_string(),
            format!("{:.0}", 400_000.0 + 5000.0 * rng.normal()),
            format!("{:.0}", 300_000.0 + 5000.0 * rng.normal()),
        ];
        edit(i, &mut cells);
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

fn fit(csv: &str, formula: &str, family: Family) -> Result<Session, EngineError> {
    let mut s = Session::open(csv.as_bytes())?;
    s.fit_model(&FitRequest::new(formula, family), &mut |_| {})?;
    Ok(s)
}

fn refusal(csv: &str, formula: &str, family: Family) -> String {
    match fit(csv, formula, family) {
        Ok(_) => panic!("{formula} was fitted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn one_cell_that_is_not_a_number_leaves_the_covariate_numeric_and_is_named() {
    for bad in ["inf", "-Inf", "nan", "1e400", "0x10", "TRUE", "\"0,54\"", "n/a", "five"] {
        let csv = file(600, |i, c| {
            if i == 17 {
                c[2] = bad.to_owned();
            }
        });
        let s = fit(&csv, FORMULA, Family::Poisson).expect("fits");
        let report = &s.fitted().expect("a model").report;
        let terms: Vec<&str> = report.coefficients.iter().map(|c| c.term.as_str()).collect();
        assert_eq!(terms, ["(Intercept)", "imd"], "{bad}");
        assert_eq!(report.nobs, 599, "{bad}");
        let shown = bad.trim_matches('"');
        let warning = report.warnings.iter().find(|w| w.code == WarningCode::BadCells);
        if bad == "nan" {
            // R reads nan as a missing number: missing, as NA is, without a warning of its own.
            assert!(warning.is_none(), "{bad}");
        } else {
            let w = warning.unwrap_or_else(|| panic!("{bad}: no bad_cells warning"));
            assert!(w.message.starts_with("Column 'imd' holds "), "{}", w.message);
            assert!(w.message.contains(&format!("'{shown}' in row 18 (1 row in all)")), "{}", w.message);
        }
    }
}

#[test]
fn a_count_or_population_cell_that_is_not_a_number_is_named_with_the_fix() {
    let cases = [
        ("five", "text where numbers are expected", "Correct the cell"),
        ("n/a", "words for a missing value", "Leave the cell empty or write NA"),
        ("1e400", "infinite numbers (R reads them as Inf)", "A model needs finite values"),
        ("Infinity", "infinite numbers", "finite"),
        ("0x10", "hexadecimal numbers", "16, not 0x10"),
        ("1_000", "underscores", "1000, not 1_000"),
        ("1 000", "spaces between the digits", "1000, not 1 000"),
        ("\"1,000\"", "a thousands separator", "1234, not 1,234"),
    ];
    for (column, index) in [("count", 0), ("pop", 1)] {
        for (bad, what, fix) in cases {
            let csv = file(200, |i, c| {
                if i == 4 {
                    c[index] = bad.to_owned();
                }
            });
            let s = Session::open(csv.as_bytes()).expect("reads");
            let b = &s.bad_cells()[0];
            assert_eq!(
                (b.column.as_str(), b.cells[0].row, b.cells[0].value.as_str()),
                (column, 5, bad.trim_matches('"'))
            );
            assert!(b.message.contains(what) && b.message.contains(fix), "{}", b.message);
            // The overview shows the same explanation the fit's warning gives.
            assert!(s.overview(5).warnings.contains(&b.message));
        }
    }
}

#[test]
fn a_column_with_no_usable_number_is_refused_naming_its_cells() {
    // Decimal commas, quoted, in a comma-separated file.
    let csv = file(100, |_, c| c[2] = format!("\"{}\"", c[2].replace('.', ",")));
    let e = refusal(&csv, FORMULA, Family::Poisson);
    assert!(
        e.starts_with("column 'imd' has no number a model can use. Column 'imd' holds numbers written with a decimal comma, such as"),
        "{e}"
    );
    assert!(
        e.contains("in row 1")
            && e.contains("(100 rows in all)")
            && e.contains("Write decimals with a point"),
        "{e}"
    );
    // A column of mostly text stays a factor, and a text response names its first text cell.
    let csv = file(100, |i, c| c[0] = if i % 3 == 0 { "1".into() } else { format!("k{i}") });
    let e = refusal(&csv, FORMULA, Family::Poisson);
    assert!(e.contains("holds text in most of its cells (such as 'k1' in row 2)"), "{e}");
}

#[test]
fn a_factor_with_many_levels_asks_before_it_is_fitted() {
    let csv = file(400, |i, c| c[4] = format!("C{}", i % 100));
    let formula = "count ~ imd + la_num + offset(log(pop))";
    let mut s = Session::open(csv.as_bytes()).expect("reads");
    let request = FitRequest::new(formula, Family::Poisson);
    let ready = s.readiness(&request).expect("checks");
    let asked = ready.fit_error.expect("asks");
    assert!(matches!(&asked, EngineError::ManyLevels { term, levels: 100, rows: 400 } if term == "la_num"));
    assert!(asked.to_string().contains("--many-levels"), "{asked}");
    assert!(s.fit_model(&request, &mut |_| {}).is_err());
    let confirmed = FitRequest { many_levels: true, ..request };
    assert!(s.readiness(&confirmed).expect("checks").fit_error.is_none());
    assert_eq!(s.fit_model(&confirmed, &mut |_| {}).expect("fits").report.coefficients.len(), 101);
}

#[test]
fn a_random_factor_slope_is_refused_early_counting_its_real_cost() {
    let csv = file(600, |_, _| {});
    let started = Instant::now();
    let e = refusal(&csv, "count ~ imd + offset(log(pop)) + (1 + la | la_num)", Family::Nbinom2);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        e.contains("would have 30 columns per level of 'la_num' ('la' is a factor with 30 levels")
            && e.contains("so 465 variance and correlation parameters; the engine fits at most 8 columns"),
        "{e}"
    );
}

#[test]
fn extreme_covariates_and_counts_are_blamed_for_what_they_are() {
    let csv = file(200, |_, c| c[2] = format!("{:e}", c[2].parse::<f64>().unwrap_or(1.0) * 1e200));
    let e = refusal(&csv, FORMULA, Family::Poisson);
    assert!(
        e.starts_with("the model column 'imd' holds values as large as ") && e.contains("rescale"),
        "{e}"
    );
    let csv = file(200, |_, c| c[2] = format!("{:e}", c[2].parse::<f64>().unwrap_or(1.0) * 1e-200));
    let e = refusal(&csv, FORMULA, Family::Poisson);
    assert!(
        e.starts_with("the model column 'imd' holds no value larger than ")
            && !e.contains("linear combination"),
        "{e}"
    );
    let csv = file(200, |i, c| {
        if i == 9 {
            c[0] = "9999999999999999999999".into();
        }
    });
    let e = refusal(&csv, FORMULA, Family::Poisson);
    assert!(e.starts_with("the count in row 10 is 1e+22"), "{e}");
}

#[test]
fn an_unclosed_quote_in_the_header_is_named() {
    let e = Session::open(b"\"count,pop\n1,2\n3,4\n").err().expect("refused").to_string();
    assert!(e.starts_with("the header row cannot be read: a quote (\") opened in it is never closed"), "{e}");
}

#[test]
fn a_nested_group_names_the_groups_of_the_model() {
    let csv = file(300, |i, c| c[4] = format!("M{}", i % 60));
    let s = fit(&csv, "count ~ imd + offset(log(pop)) + (1 | la/la_num)", Family::Poisson).expect("fits");
    let e = s.predict(&[("imd".into(), 1.0)], None, Some(("la_num", "M1"))).expect_err("refused").to_string();
    assert_eq!(
        e,
        "'la_num' is not one of the model's random-effect groups ('la_num:la', 'la'); 'la_num' is nested in another \
         group, so its effects are those of the group 'la_num:la', whose levels join the two columns' values with ':' \
         in that order"
    );
}

#[test]
fn quiet_oddities_are_said() {
    // A negative binomial GLM on counts less variable than Poisson ones (each its rounded mean):
    // theta at its bound, with the warning.
    let csv = file(400, |_, c| {
        let (pop, imd): (f64, f64) = (c[1].parse().unwrap_or(1.0), c[2].parse().unwrap_or(0.0));
        c[0] = (pop / 500.0 * (0.5 * imd).exp()).round().to_string();
    });
    let s = fit(&csv, "count ~ imd + offset(log(pop))", Family::Nbinom2).expect("fits");
    let report = &s.fitted().expect("a model").report;
    assert!(report.warnings.iter().any(|w| w.code == WarningCode::Boundary), "{:?}", report.warnings);

    // Uncorrelated terms of one group print no correlation, and no report prints NaN.
    let s = fit(&csv, "count ~ imd + offset(log(pop)) + (1 | la) + (0 + imd | la)", Family::Poisson)
        .expect("fits");
    let text = s.fitted().expect("a model").report.text();
    assert!(!text.contains("NaN") && !text.contains("nan"), "{text}");

    // A prediction beyond what a rate can be computed for says so.
    let e = s.predict(&[("imd".into(), 1e300)], None, None).expect_err("refused").to_string();
    assert!(
        e.starts_with("the prediction cannot be computed at 'imd' = 1e+300: its log rate would be"),
        "{e}"
    );

    // No spatial test when every row has the same coordinates.
    let csv = file(200, |_, c| {
        c[5] = "400000".into();
        c[6] = "300000".into();
    });
    let s = fit(&csv, FORMULA, Family::Poisson).expect("fits");
    let check = s.check_model(&CheckOptions { simulations: 50, seed: 1 }).expect("checks").check;
    assert!(check.spatial.is_none());
    let note = check.spatial_note.expect("a note");
    assert!(
        note.starts_with(
            "the coordinates in 'easting' and 'northing' mark only 1 distinct place for 200 rows"
        ),
        "{note}"
    );
}

#[test]
fn the_command_line_reads_no_more_than_its_limit_and_names_bad_cells() {
    let bin = env!("CARGO_BIN_EXE_socgrad");
    let out = Command::new(bin)
        .args(["fit", "/dev/zero", "--formula", "count ~ imd", "--family", "poisson"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("the file is larger than the 256 MB this tool reads"), "{err}");

    let dir = std::env::temp_dir().join(format!("socgrad-bad-cells-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder");
    let path = dir.join("bad.csv");
    std::fs::write(
        &path,
        file(300, |i, c| match i {
            4 => c[2] = "inf".into(),
            8 => c[1] = "n/a".into(),
            _ => {}
        }),
    )
    .expect("writes");
    let out = Command::new(bin)
        .args(["fit", &path.display().to_string(), "--formula", FORMULA, "--family", "poisson"])
        .output()
        .expect("runs");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Column 'imd' holds infinite numbers (R reads them as Inf), such as 'inf' in row 5"),
        "{text}"
    );
    assert!(text.contains("Column 'pop' holds words for a missing value, such as 'n/a' in row 9"), "{text}");
}
