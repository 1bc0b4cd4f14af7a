//! Writes the page's national sample (England's 32,844 LSOAs in their real places, referrals
//! simulated, with the centroids) as CSV to stdout, with the column the page derives for its
//! formula (`la_income_dep`: each LA's children-weighted mean of `income_dep`), and the sample's
//! formula to stderr. For `examples/bench_national_page.rs`:
//!   cargo run --release --example national_page_sample > england.csv 2> formula.txt
use std::collections::HashMap;

use socgrad::data::read_csv;
use socgrad::samples::england::{simulate_england, Tables};
use socgrad::samples::presets::england_referrals;
use socgrad::samples::to_csv;

fn main() {
    let read = |p: &str| std::fs::read(p).expect(p);
    let (lsoas, las, centroids) = (
        read("data/england_lsoa11.csv"),
        read("data/england_upper_tier_las.csv"),
        read("data/england_lsoa11_centroids.csv"),
    );
    let tables = Tables { lsoas: &lsoas, las: &las, centroids: &centroids };
    let sample = simulate_england(&england_referrals(), tables).expect("the sample");
    let csv = to_csv(&sample.frame).expect("the sample's CSV");
    let df = read_csv(csv.as_bytes()).expect("the CSV reads back");
    let text = |name: &str| -> Vec<String> {
        let column = df.column(name).expect(name);
        (0..df.nrows()).map(|i| column.display(i).unwrap_or_default()).collect()
    };
    let number =
        |name: &str| -> Vec<f64> { text(name).iter().map(|v| v.parse().unwrap_or(f64::NAN)).collect() };
    let (la, children, income) = (text("la"), number("children"), number("income_dep"));
    let mut sums: HashMap<&str, (f64, f64)> = HashMap::new();
    for i in 0..la.len() {
        let s = sums.entry(&la[i]).or_default();
        s.0 += children[i] * income[i];
        s.1 += children[i];
    }
    let mut lines = csv.lines();
    println!("{},la_income_dep", lines.next().expect("a header"));
    for (line, code) in lines.zip(&la) {
        let (weighted, total) = sums[code.as_str()];
        println!("{line},{:.4}", weighted / total);
    }
    eprintln!("{}", sample.model.formula);
}
