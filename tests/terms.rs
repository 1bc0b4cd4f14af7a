//! The term structure a design carries for every model-matrix column (R's `assign` and the
//! factors of each term): on random formulas and data, each column's name, term and values agree
//! with its parts, and the reports find gradients and moderators from the structure alone.

use socgrad::data::{read_csv, DataFrame};
use socgrad::design::{Design, ModelColumn};
use socgrad::formula::{build_design, parse};
use socgrad::random::Rng;
use socgrad::report::gradient::{interaction_index, moderators_of};

/// A whole number below `n`.
fn below(rng: &mut Rng, n: usize) -> usize {
    rng.int_between(0, n - 1)
}

/// Columns `y` (counts), `a`, `b` (numbers), `f` (text, 2 to 4 levels), `k` (numbers with 3
/// values), `g` (text groups).
fn random_frame(rng: &mut Rng, rows: usize) -> DataFrame {
    let levels = ["north", "south", "east", "west"];
    let nf = 2 + below(rng, 3);
    let mut csv = String::from("y,a,b,f,k,g\n");
    for i in 0..rows {
        // Every level of f and of k appears in the first rows, so no column is all zero.
        let f = levels[if i < nf { i } else { below(rng, nf) }];
        let k = [1.5, 7.0, 20.0][if i < 3 { i } else { below(rng, 3) }];
        csv.push_str(&format!(
            "{},{:.4},{:.4},{f},{k},G{}\n",
            below(rng, 30),
            rng.uniform() * 4.0 - 2.0,
            rng.uniform() * 10.0,
            i % 5
        ));
    }
    read_csv(csv.as_bytes()).unwrap()
}

fn numbers(df: &DataFrame, name: &str) -> Vec<f64> {
    match df.column(name) {
        Some(socgrad::data::Column::Numeric(v)) => v.clone(),
        other => panic!("{name} is not numeric: {other:?}"),
    }
}

fn texts(df: &DataFrame, name: &str) -> Vec<String> {
    match df.column(name) {
        Some(socgrad::data::Column::Text(t)) => {
            (0..df.nrows()).map(|i| t.get(i).unwrap().to_owned()).collect()
        }
        Some(socgrad::data::Column::Numeric(v)) => v.iter().map(|x| socgrad::formula::r_number(*x)).collect(),
        None => panic!("no column {name}"),
    }
}

/// The values of one part of a column on every row: a numeric variable's values, or the
/// indicator of its factor level.
fn part_values(df: &DataFrame, variable: &str, level: Option<&str>) -> Vec<f64> {
    match (variable, level) {
        ("a" | "b", None) => numbers(df, variable),
        ("f", Some(l)) => texts(df, "f").iter().map(|v| f64::from(u8::from(v == l))).collect(),
        ("factor(k)", Some(l)) => texts(df, "k").iter().map(|v| f64::from(u8::from(v == l))).collect(),
        other => panic!("unexpected part {other:?}"),
    }
}

fn check_structure(df: &DataFrame, formula: &str, design: &Design) {
    let parsed = parse(formula).unwrap();
    let terms = parsed.fixed_term_variables();
    assert_eq!(design.x_columns.len(), design.x.ncols(), "{formula}");
    for (j, column) in design.x_columns.iter().enumerate() {
        assert_eq!(column.name(), design.x_names[j], "{formula}: name of column {j}");
        match column.term {
            None => assert!(column.is_intercept(), "{formula}: only the intercept has no term"),
            Some(t) => {
                let vars: Vec<&str> = column.parts.iter().map(|p| p.variable.as_str()).collect();
                assert_eq!(terms[t], vars, "{formula}: term of column {}", column.name());
                assert_eq!(column.order(), terms[t].len());
            }
        }
        let mut product = vec![1.0; df.nrows()];
        for part in &column.parts {
            let v = part_values(df, &part.variable, part.level.as_deref());
            product.iter_mut().zip(v).for_each(|(p, x)| *p *= x);
            let read = if part.variable == "factor(k)" { "k" } else { part.variable.as_str() };
            assert_eq!(part.columns, [read], "{formula}: columns read by {}", part.variable);
        }
        let built: Vec<f64> = design.x.column(j).iter().copied().collect();
        assert_eq!(built, product, "{formula}: values of column {}", column.name());
    }
}

#[test]
fn every_column_is_the_product_of_its_parts_on_random_formulas() {
    let mut rng = Rng::new(0x2545_f491_4f6c_dd1d);
    let pieces = ["a", "b", "f", "factor(k)"];
    let operators = [" + ", " * ", ":"];
    let mut checked = 0;
    for case in 0..60 {
        let rows = 30 + below(&mut rng, 40);
        let df = random_frame(&mut rng, rows);
        let first = pieces[below(&mut rng, 4)];
        let second = pieces[below(&mut rng, 4)];
        let third = pieces[below(&mut rng, 4)];
        let op = operators[below(&mut rng, 3)];
        let intercept = if below(&mut rng, 4) == 0 { " - 1" } else { "" };
        let formula = format!("y ~ {first}{op}{second} + {third}{intercept}");
        let design = match build_design(&df, &parse(&formula).unwrap()) {
            Ok(d) => d,
            // A random frame may make an interaction column all zero; the builder says so.
            Err(e) => {
                assert!(e.to_string().contains("is 0 in every row"), "case {case}, {formula}: {e}");
                continue;
            }
        };
        check_structure(&df, &formula, &design);
        checked += 1;
    }
    assert!(checked >= 50, "only {checked} random formulas built");
}

#[test]
fn moderators_are_found_from_the_structure_not_the_names() {
    let csv = "y,imd,la,area,`odd:name`\n\
               3,1.5,A,urban,0.2\n5,2.5,A,rural,0.4\n2,0.5,B,urban,0.1\n8,3.5,B,rural,0.9\n\
               4,2.0,C,urban,0.3\n6,3.0,C,rural,0.7\n";
    let df = read_csv(csv.replace('`', "").as_bytes()).unwrap();
    let formula = "y ~ within(imd, la) * (factor(area) + `odd:name`)";
    let design = build_design(&df, &parse(formula).unwrap()).unwrap();
    assert_eq!(
        design.x_names,
        [
            "(Intercept)",
            "within(imd, la)",
            "factor(area)urban",
            "`odd:name`",
            "within(imd, la):factor(area)urban",
            "within(imd, la):`odd:name`"
        ]
    );
    let moderators = moderators_of(&design.x_columns, "within(imd, la)");
    assert_eq!(moderators, [("factor(area)urban".to_owned(), 4), ("`odd:name`".to_owned(), 5)]);
    assert_eq!(interaction_index(&design.x_columns, "`odd:name`", "within(imd, la)"), Some(5));
    assert_eq!(interaction_index(&design.x_columns, "within(imd, la)", "within(imd, la)"), None);
    // The gradient column reads both of its data columns; the moderator only its own.
    assert!(design.x_columns[1].reads("imd") && design.x_columns[1].reads("la"));
    assert!(!design.x_columns[3].reads("imd"));
    assert_eq!(design.x_columns[1].parts[0].within.as_deref(), Some("la"));
    assert_eq!(design.x_columns[2].parts[0].within, None);
    let interaction = &design.x_columns[4];
    assert_eq!((interaction.term, interaction.order()), (Some(3), 2));
    assert_eq!(interaction.parts[1].level.as_deref(), Some("urban"));
    assert_eq!(interaction.partner_of("factor(area)urban").as_deref(), Some("within(imd, la)"));
}

#[test]
fn a_variable_reads_whole_column_names_only() {
    let csv = "y,imd,la_imd\n1,1,20\n2,2,24\n3,3,30\n4,5,18\n";
    let df = read_csv(csv.as_bytes()).unwrap();
    let design = build_design(&df, &parse("y ~ I((la_imd - 22)/8) + imd").unwrap()).unwrap();
    let read: Vec<Vec<String>> =
        design.x_columns.iter().skip(1).map(|c| c.parts[0].columns.clone()).collect();
    assert_eq!(read, [vec!["la_imd".to_owned()], vec!["imd".to_owned()]]);
    assert!(!design.x_columns[1].reads("imd"));
    assert_eq!(ModelColumn::intercept().name(), "(Intercept)");
}
