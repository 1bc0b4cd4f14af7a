//! The LA-by-year panel, the fitting section's sample of real counts: its CSV holds the DfE
//! figures exactly as `data/england_la_csc_rates.csv` does, and the formula the page starts from
//! fits it.

use std::path::Path;

use socgrad::fit::Family;
use socgrad::pipeline::{FitRequest, Session};
use socgrad::samples::la_panel::{la_panel, FORMULA};

#[test]
fn the_panel_holds_the_dfe_counts() {
    let (sample, csv) = la_panel().unwrap();
    assert_eq!((sample.rows, sample.las, sample.years), (1963, 151, 13));
    assert!(sample.real_counts && sample.parameters.is_empty());
    let mut panel = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = panel.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header[..12],
        [
            "la_code",
            "la_name",
            "year",
            "children_0_17",
            "referrals",
            "cin_at31",
            "cpp_starts",
            "cpp_at31",
            "cla_at31",
            "imd2019",
            "idaci2019",
            "rural_share"
        ]
    );
    let source_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/england_la_csc_rates.csv");
    let mut source = csv::Reader::from_path(source_path).unwrap();
    let source_header: Vec<String> = source.headers().unwrap().iter().map(String::from).collect();
    let mut rows = 0;
    for (ours, theirs) in panel.records().zip(source.records()) {
        let (ours, theirs) = (ours.unwrap(), theirs.unwrap());
        let get = |name: &str| &theirs[source_header.iter().position(|h| h == name).unwrap()];
        for (k, name) in header.iter().enumerate().take(9) {
            assert_eq!(&ours[k], get(name), "row {} column {name}", rows + 2);
        }
        // A missing count says why.
        if ours[8].is_empty() {
            assert!(!ours[header.iter().position(|h| h == "note_cla_at31").unwrap()].is_empty());
        }
        rows += 1;
    }
    assert_eq!(rows, 1963);
}

#[test]
fn the_suggested_formula_fits() {
    let (_, csv) = la_panel().unwrap();
    let session = Session::open(csv.as_bytes()).unwrap();
    let report = session.fit_report(&FitRequest::new(FORMULA, Family::Nbinom2), &mut |_| {}).unwrap();
    assert!(report.converged, "{:?}", report.warnings);
    // Every LA-year with a CLA count: 13 years of 151, less the 23 without (data/SOURCES-csc.md).
    assert_eq!(report.nobs, 1940);
    let imd = report.coefficients.iter().find(|c| c.term == "scale(imd2019)").unwrap();
    assert!(imd.estimate > 0.2 && imd.estimate < 0.5, "{imd:?}");
    assert_eq!(report.coefficients.len(), 1 + 1 + 12);
    assert_eq!(report.groups[0].levels, 151);
}
