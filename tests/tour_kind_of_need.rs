//! The tour step "What kind of need?": its numbers are Hood et al. 2020's Table 13 and Table 10
//! cells, its chart is Table 13's forest plot and its table the same numbers as printed.

use socgrad::tables::hood2020::classes::TABLE13_DEPRIVATION_EFFECTS;
use socgrad::tour::tour;

#[test]
fn what_kind_of_need_is_table_13_and_table_10() {
    let t = tour(None).unwrap();
    let s = t.steps.iter().find(|s| s.key == "kind_of_need").expect("the step");
    assert_eq!(s.title, "What kind of need?");
    assert_eq!(s.number, t.steps.len() - 1, "just before the last step");
    let body = s.body.join(" ");
    assert!(body.contains("neglect was the kind of need whose odds rose most with neighbourhood deprivation in four of the six (LA0, LA1, LA2 and LA5): by +62% in LA5 but +20% in LA3."), "{body}");
    assert!(body.contains("a child protection conference and plan in four of the six (LA0, LA1, LA2 and LA3); not clearly in LA4 and LA5."), "{body}");
    assert!(s.question.ends_with('?'));
    assert_eq!(
        s.answer,
        "Neglect in four of the six, not in LA3 (multiple complex needs II, +42%; neglect +20%) or LA4 (domestic \
         violence, +24%; neglect +22%). An association, not a cause."
    );
    assert_eq!(
        s.citations,
        ["Hood et al. 2020, Table 13 (kinds of need) and Table 10 (CP conferences and plans)"]
    );
    // The chart: Table 13's forest plot as the six-LA section draws it, six LAs per class, no
    // intervals (none printed), classes in the order of the step's table.
    let key = s.six_las_figure.expect("a figure of the six-LA section");
    let view = socgrad::six_las::page().views.into_iter().find(|v| v.key == key).expect("the view");
    let forest = view.figure.expect("a forest plot").spec;
    let items = &forest.sections[0].items;
    let labels: Vec<&str> = items.iter().map(|i| i.label.as_str()).collect();
    let classes: Vec<&str> = s.table.rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(labels, classes);
    assert_eq!(items.len(), 7);
    assert!(items.iter().all(
        |i| i.estimates.len() == 6 && i.estimates.iter().all(|e| e.is_some_and(|e| e.interval.is_none()))
    ));
    // The table: one row per class in the chart's order, one column per LA, each cell as printed.
    assert_eq!(s.table.header, ["Kind of need", "LA0", "LA1", "LA2", "LA3", "LA4", "LA5"]);
    for row in &s.table.rows {
        let column =
            TABLE13_DEPRIVATION_EFFECTS.classes.iter().position(|c| c.short_name() == row[0]).unwrap();
        for (printed, cell) in TABLE13_DEPRIVATION_EFFECTS.rows.iter().zip(&row[1..]) {
            assert_eq!(
                *cell,
                format!("{:+.0}%", printed.percent[column]),
                "{} {}",
                printed.la.label(),
                row[0]
            );
        }
    }
    // The JSON the page reads names the figure, and no other step has the field.
    let json = serde_json::to_value(&t).unwrap();
    let steps = json["steps"].as_array().unwrap();
    assert_eq!(steps.iter().filter(|s| s.get("six_las_figure").is_some()).count(), 1);
    assert_eq!(steps[7]["six_las_figure"], "table13_demand_classes");
}
