//! The native tests, gathered in one test binary (as ripgrep gathers its own) so that the crate is
//! linked once for all of them: each file `tests/NAME.rs` is a module of it. To add tests, write
//! `tests/NAME.rs` and add `mod NAME;` below; `cargo test --test main NAME::` runs one file's tests.
//! The modules the test files share are `fit_common` (seeded simulated data sets and designs),
//! `cli_support` (running the built `socgrad` binary) and
//! `report_support` (fits built by hand from glmmTMB's results); `reference` checks the R
//! reference values themselves.

mod cli_support;
mod fit_common;
mod report_support;

#[path = "reference/main.rs"]
mod reference;

mod agreement;
mod agreement_random;
mod bad_cells;
mod calculator_errors;
mod chart_text;
mod cli_check;
mod cli_fit;
mod cli_gradient;
mod cli_rates;
mod cli_six_las;
mod compare_models;
mod data_csv;
mod data_scale;
mod data_summary;
mod data_wide;
mod diagnostics;
mod fit_binomial;
mod fit_glm;
mod fit_glmm;
mod fit_nngp;
mod fit_robustness;
mod fit_sparse;
mod fit_spatial;
mod fit_spatial_random;
mod fit_views;
mod fit_views_spatial;
mod fit_warnings;
mod fit_zero_inflation;
mod forest_plot;
mod formula_design;
mod formula_parse;
mod formula_r_agreement;
mod gini_bands;
mod gini_untrusted;
mod hood2020_cells;
mod hostile_campaign;
mod places;
mod prediction;
mod prediction_newdata;
mod profile_intervals;
mod published_cells;
mod ranef;
mod rates_expected;
mod rates_table6;
mod rates_views;
mod reference_suites;
mod report_compare;
mod report_engine;
mod report_gradient;
mod report_summary;
mod rscript_semicolon;
mod samples_england;
mod samples_la_panel;
mod session;
mod six_las;
mod spearman;
mod terms;
mod tour;
mod tour_kind_of_need;
mod untrusted_input;

/// A test file left out of the list above would never run (Cargo builds only this binary).
#[test]
fn every_test_file_is_a_module_of_this_binary() {
    let listed = include_str!("main.rs");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if let Some(module) = name.strip_suffix(".rs").filter(|m| *m != "main") {
            assert!(
                listed.contains(&format!("\nmod {module};\n")),
                "tests/{name} is not a module of tests/main.rs"
            );
        }
    }
}
