//! Hood et al. 2020's Table 6 computed from the DfE figures (`socgrad::rates::table6`): every
//! coefficient and its number of LAs against R's `cor(..., method = "spearman")` on the data files
//! (`tests/reference/table6/make_table6.R`), each in the sign the report printed, and the rows and
//! years that cannot be compared said.

use socgrad::rates::data::Measure;
use socgrad::rates::table6::{comparison_about, comparison_table, computed, table6_comparison};

const GOLDEN: &str = include_str!("reference/table6/table6_golden.csv");

#[test]
fn the_computed_correlations_are_rs() {
    let mut cases = 0;
    for line in GOLDEN.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let measure = Measure::parse(f[0]).unwrap();
        let year: u16 = f[1].parse().unwrap();
        let (n, rho): (usize, f64) = (f[2].parse().unwrap(), f[3].parse().unwrap());
        let (mine, used) = computed(measure, year).unwrap();
        assert_eq!(used, n, "{measure:?} {year}");
        assert!((mine - rho).abs() < 1e-12, "{measure:?} {year}: {mine} against R's {rho}");
        cases += 1;
    }
    assert_eq!(cases, 20);
}

#[test]
fn each_computed_correlation_has_the_published_sign() {
    let c = table6_comparison();
    assert_eq!(c.rows.len(), 4);
    for r in &c.rows {
        // DfE's figures here start in 2013; Table 6 prints 2011 to 2017.
        assert_eq!(r.years.iter().map(|y| y.year).collect::<Vec<_>>(), [2013, 2014, 2015, 2016, 2017]);
        for y in &r.years {
            let published = y.published.unwrap_or_else(|| panic!("{} {} is printed", r.label, y.year));
            let computed = y.computed.unwrap();
            assert_eq!(
                y.same_sign(),
                Some(true),
                "{} {}: {computed} against {}",
                r.label,
                y.year,
                published.rho
            );
            assert!(computed > 0.0 && published.rho > 0.0);
            // Close to the published, though the LAs, denominators and deprivation measure differ.
            assert!((computed - published.rho).abs() < 0.1, "{} {}", r.label, y.year);
            assert!((140..=151).contains(&y.n));
        }
    }
    assert_eq!(c.years_without_figures, [2011, 2012]);
    assert_eq!(c.measures_without_row, ["Children looked after"]);
    assert_eq!(c.rows_without_match.len(), 10);
    assert!(c.rows_without_match.contains(&"Children taken into care"));
    let about = comparison_about(&c).join(" ");
    assert!(about.contains("20 of 20 coefficients have the published sign"), "{about}");
    assert!(about.contains("revised after Census 2021") && about.contains("IMD 2015"));
    let table = comparison_table(&c);
    assert_eq!(table.rows.len(), 20);
    assert_eq!(table.rows[0], ["Referral", "2013", ".526** (N 149)", "0.530 (N 148)", "yes"]);
}
