//! Parsing formulas: term structure in R's order, offsets, random terms, R's names, and errors
//! that point at the offending term.

use socgrad::formula::{parse, FormulaError, Span};

fn terms(f: &str) -> Vec<String> {
    parse(f).unwrap_or_else(|e| panic!("{f}: {e}")).fixed_terms()
}

fn error(f: &str) -> FormulaError {
    match parse(f) {
        Ok(p) => panic!("{f} parsed: {:?}", p.fixed_terms()),
        Err(e) => e,
    }
}

#[test]
fn a_typical_model() {
    let f = parse("count ~ imd * la_imd + offset(log(pop)) + (1 + imd | la)").expect("parses");
    assert_eq!(f.response(), "count");
    assert_eq!(f.fixed_terms(), ["imd", "la_imd", "imd:la_imd"]);
    assert!(f.has_intercept());
    assert_eq!(f.offsets(), ["log(pop)"]);
    let r = f.random_terms();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].group(), "la");
    assert!(r[0].has_intercept());
    assert_eq!(r[0].slope_terms(), ["imd"]);
    assert_eq!(r[0].to_string(), "1 + imd | la");
    assert_eq!(r[0].span(), Span { start: 42, end: 56 });
    assert_eq!(f.columns_used(), ["count", "imd", "la_imd", "pop", "la"]);
    assert_eq!(f.to_string(), "count ~ imd * la_imd + offset(log(pop)) + (1 + imd | la)");
}

#[test]
fn intercept_removal() {
    for f in ["y ~ 0 + x", "y ~ x - 1", "y ~ x + 0", "y ~ -1 + x", "y ~ x + -1"] {
        let p = parse(f).expect("parses");
        assert!(!p.has_intercept(), "{f}");
        assert_eq!(p.fixed_terms(), ["x"], "{f}");
    }
    assert!(parse("y ~ x - 1 + 1").expect("parses").has_intercept());
    assert!(parse("y ~ 1").expect("parses").fixed_terms().is_empty());
}

#[test]
fn term_algebra_follows_r() {
    // Each expectation is R's attr(terms(f), "term.labels") (after glmmTMB's update() rewrite).
    assert_eq!(terms("y ~ a*b"), ["a", "b", "a:b"]);
    assert_eq!(terms("y ~ (a + b)*c"), ["a", "b", "c", "a:c", "b:c"]);
    assert_eq!(terms("y ~ (a + b + c)^2 - a:b"), ["a", "b", "c", "a:c", "b:c"]);
    assert_eq!(terms("y ~ a*b*c - a:b:c"), ["a", "b", "c", "a:b", "a:c", "b:c"]);
    assert_eq!(terms("y ~ a/b"), ["a", "a:b"]);
    assert_eq!(terms("y ~ (a + b)/c"), ["a", "b", "a:b:c"]);
    assert_eq!(terms("y ~ a + b:a"), ["a", "a:b"]);
    assert_eq!(terms("y ~ b:a + a"), ["a", "a:b"]);
    assert_eq!(terms("y ~ a:a + a"), ["a"]);
    // glmmTMB rewrites this as y ~ b + a:b, in which b comes first.
    assert_eq!(terms("y ~ a*b - a"), ["b", "b:a"]);
    assert_eq!(terms("y ~ x^2"), ["x"]);
}

#[test]
fn variables_are_named_as_r_deparses_them() {
    assert_eq!(terms("y ~ log(pop/10000)"), ["log(pop/10000)"]);
    assert_eq!(terms("y ~ log( pop / 1e4 )"), ["log(pop/10000)"]);
    assert_eq!(terms("y ~ log(pop/1e5) + log(pop*0.0001)"), ["log(pop/1e+05)", "log(pop * 1e-04)"]);
    assert_eq!(terms("y ~ within(imd,la) + between(imd, la)"), ["within(imd, la)", "between(imd, la)"]);
    assert_eq!(terms("y ~ I(imd^2) + I(-imd) + sqrt(a + b)"), ["I(imd^2)", "I(-imd)", "sqrt(a + b)"]);
    assert_eq!(terms("y ~ scale(imd) + factor(dec)"), ["scale(imd)", "factor(dec)"]);
    let f = parse("y ~ `imd score` + offset(log(`child pop`))").expect("parses");
    assert_eq!(f.fixed_terms(), ["`imd score`"]);
    assert_eq!(f.offsets(), ["log(`child pop`)"]);
    assert_eq!(f.columns_used(), ["y", "imd score", "child pop"]);
}

#[test]
fn nested_groups_expand_as_lme4_does() {
    let f = parse("y ~ x + (1 | la/msoa)").expect("parses");
    let groups: Vec<String> = f.random_terms().iter().map(|r| r.group()).collect();
    assert_eq!(groups, ["msoa:la", "la"]);
    assert_eq!(f.random_terms()[0].group_columns(), ["msoa", "la"]);

    let f = parse("y ~ (1 + x | a/b/c)").expect("parses");
    let groups: Vec<String> = f.random_terms().iter().map(|r| r.group()).collect();
    assert_eq!(groups, ["c:(b:a)", "b:a", "a"]);
    assert!(f.random_terms().iter().all(|r| r.slope_terms() == ["x"]));

    let f = parse("y ~ (0 + x | g) + (1 | la:msoa)").expect("parses");
    assert!(!f.random_terms()[0].has_intercept());
    assert_eq!(f.random_terms()[0].to_string(), "0 + x | g");
    assert_eq!(f.random_terms()[1].group(), "la:msoa");
    assert!(f.fixed_terms().is_empty());
}

#[test]
fn errors_point_at_the_term() {
    let cases: [(&str, &str, (usize, usize)); 8] = [
        ("count ~ (imd + la", "unbalanced parenthesis: this '(' is never closed", (8, 9)),
        ("count ~ imd)", "unbalanced parenthesis: this ')' has no matching '('", (11, 12)),
        ("count ~ imd + 1 | la", "a random-effect term must be in parentheses, as in (1 | la)", (8, 20)),
        (
            "count ~ imd + (1 la)",
            "a random-effect term needs a '|' between its terms and the group, as in (1 | la) or (1 + imd | la)",
            (14, 19),
        ),
        (
            "count ~ imd + (1/la)",
            "a random-effect term needs a '|' between its terms and the group, as in (1 | la) or (1 + imd | la)",
            (14, 20),
        ),
        ("count ~ imd + 2", "a number on its own can only be 1 (keep the intercept) or 0 (remove it)", (14, 15)),
        ("count ~ .", "'.' (all other columns) is not supported; list the columns by name", (8, 9)),
        ("count ~ imd +", "the formula ends too early: a term is missing after the last operator", (12, 13)),
    ];
    for (f, message, (start, end)) in cases {
        let e = error(f);
        assert_eq!(e.message, message, "{f}");
        assert_eq!(e.span, Span { start, end }, "{f}");
        assert_eq!(e.term, &f[start..end], "{f}");
    }
}

#[test]
fn more_errors() {
    let e = error("count ~ lg(imd)");
    assert!(e.message.starts_with("unknown function 'lg'; the formula language knows offset, log,"), "{e}");
    assert_eq!((e.span, e.term.as_str()), (Span { start: 8, end: 10 }, "lg"));

    assert_eq!(
        error("~ imd").message,
        "the formula needs a response on the left of '~', such as count ~ imd"
    );
    assert_eq!(
        error("count imd").message,
        "unexpected 'imd' after a complete term; is an operator such as '+' missing?"
    );
    assert_eq!(error("count ~ imd ~ x").message, "a formula can have only one '~'");
    assert_eq!(
        error("log(count) ~ imd").message,
        "the response (left of '~') must be a single column, such as count, or cbind(successes, failures) for \
         proportions"
    );
    assert_eq!(error("count ~ log(imd, 2)").message, "log() takes 1 argument, as in log(x)");
    assert_eq!(error("count ~ within(imd, log(la))").message, "the group of within() must be a column name");
    assert_eq!(
        error("count ~ imd:offset(log(pop))").message,
        "offset() must be added on its own, as in count ~ imd + offset(log(pop))"
    );
    assert!(error("count ~ imd + (1 | la + msoa)")
        .message
        .starts_with("the grouping part of a random-effect term"));
    assert!(error("count ~ imd^y")
        .message
        .starts_with("'^' in a formula means 'all interactions up to order n'"));
    assert!(error("count ~ (1 || la)")
        .message
        .starts_with("'||' (uncorrelated random effects) is not supported"));
    assert_eq!(
        error("count ~ imd == 2").message,
        "unexpected character '='; comparisons and logical operators are not supported"
    );
    assert!(error("count ~ \"imd\"").message.contains("backticks"));
    assert_eq!(error("   ").message, "the formula is empty; write it like count ~ imd + offset(log(pop))");
    assert_eq!(
        error("count ~ log(imd:la)").message,
        "':' cannot be used inside a function; only + - * / ^ can"
    );
    assert_eq!(error("count ~ log(scale(imd))").message, "scale() cannot be used inside another function");
    assert_eq!(
        error("count ~ x + (1 | g) : z").message,
        "a random-effect term must be added on its own, as in + (1 | la)"
    );
    assert_eq!(
        error("count ~ (1 + (1 | g) | h)").message,
        "random-effect terms cannot be nested inside each other"
    );
}

#[test]
fn errors_serialise_with_their_span() {
    let e = error("count ~ imd)");
    assert_eq!(
        serde_json::to_string(&e).expect("serialises"),
        r#"{"message":"unbalanced parenthesis: this ')' has no matching '('","span":{"start":11,"end":12},"term":")"}"#
    );
}

#[test]
fn numbers_are_written_as_r_writes_them() {
    use socgrad::formula::r_number;
    // R 4.2: as.character(c(1e5, 123456, 1e-4, 0.1234, 0.00012, 1e15, 123456789012, 0.1 + 0.2,
    // 1/3, 2/3 * 1e-5, 100, 1e5 + 1, -1e5, 1234567, 3.5, 0))
    let cases: [(f64, &str); 16] = [
        (1e5, "1e+05"),
        (123456.0, "123456"),
        (1e-4, "1e-04"),
        (0.1234, "0.1234"),
        (0.00012, "0.00012"),
        (1e15, "1e+15"),
        (123456789012.0, "123456789012"),
        (0.1 + 0.2, "0.3"),
        (1.0 / 3.0, "0.333333333333333"),
        (2.0 / 3.0 * 1e-5, "6.66666666666667e-06"),
        (100.0, "100"),
        (100001.0, "100001"),
        (-1e5, "-1e+05"),
        (1234567.0, "1234567"),
        (3.5, "3.5"),
        (0.0, "0"),
    ];
    for (x, r) in cases {
        assert_eq!(r_number(x), r, "{x}");
    }
}

#[test]
fn oversized_formulas_are_refused() {
    let deep = format!("y ~ {}x{}", "(".repeat(500), ")".repeat(500));
    let too_long = "the formula is too long or too deeply nested: it may nest at most 200 levels (parentheses, \
                    functions and operators), which a sum of about 200 terms reaches; use fewer terms, such as one \
                    factor column in place of many indicator columns";
    assert_eq!(error(&deep).message, too_long);
    let long = format!("y ~ {}", (0..300).map(|i| format!("x{i}")).collect::<Vec<_>>().join(" + "));
    assert_eq!(error(&long).message, too_long);
    // A control character is named by its position, not echoed.
    let e = error("y ~ x +\u{7} z");
    assert_eq!(
        e.message,
        "the formula holds an invisible control character (U+0007) at character 8, perhaps pasted with the text; \
         delete it or retype the formula"
    );
    assert_eq!(e.span, Span { start: 7, end: 8 });
    assert_eq!(
        error("y ~ (a + b + c + d + e + f + g + h + i + j + k)^11").message,
        "the formula expands to more than 1000 terms"
    );
    // A realistic size is fine.
    let wide = format!("y ~ {}", (0..60).map(|i| format!("x{i}")).collect::<Vec<_>>().join(" + "));
    assert_eq!(terms(&wide).len(), 60);
}

#[test]
fn the_response_cannot_be_a_term() {
    let e = error("count ~ imd + count");
    assert_eq!(e.message, "the response 'count' cannot also be a term on the right of '~'");
    assert_eq!(e.span, Span { start: 14, end: 19 });
}

#[test]
fn summary_for_the_page() {
    let f = parse("count ~ imd + offset(log(pop)) + (1 | la/msoa)").expect("parses");
    assert_eq!(
        serde_json::to_string(&f.summary()).expect("serialises"),
        r#"{"response":"count","intercept":true,"fixed_terms":["imd"],"offsets":["log(pop)"],"random_terms":[{"group":"msoa:la","intercept":true,"slopes":[],"text":"1 | msoa:la"},{"group":"la","intercept":true,"slopes":[],"text":"1 | la"}],"columns_used":["count","imd","pop","la","msoa"],"r_formula":"count ~ imd + offset(log(pop)) + (1 | la/msoa)"}"#
    );
}
