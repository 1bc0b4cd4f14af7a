//! A national-size sample on England's real geography: real places, synthetic counts.
//!
//! The neighbourhoods are the 32,844 LSOAs (2011) of England, read from the public table
//! `england_lsoa11.csv` with their MSOA (2011), upper-tier LA (2019), IoD2019 income score,
//! rural class (RUC2011) and children aged 0-15 (mid-2015); LA names come from
//! `england_upper_tier_las.csv` (both OGL v3.0, see `data/SOURCES.md`). For each LSOA `i`:
//!
//! - `income_dep_i = 100 x income score` (percentage of people income-deprived, 1 decimal);
//! - `children_i`, the children aged 0-15, is the exposure: `offset(log(children_i / 10000))`;
//! - `rural_i = 1` for RUC2011 classes D1, D2, E1 and E2.
//!
//! The counts are drawn from the model of the spec (the Hood et al. 2021 referral model of
//! [`super::presets::england_referrals`]) by the same code as every synthetic sample
//! ([`super::simulate`]): neighbourhood deprivation centred within its LA, LA deprivation (the
//! children-weighted mean of `income_dep`) centred on the average LA, an LA random intercept.

use super::field::{draw_field, england_field, nngp_sampler, FieldSampler, FieldSpec};
use super::simulate::{draw_counts, Covariates, Parameter};
use super::{Sample, SampleError, SampleSpec};
use crate::data::{Column, TextColumn};
use crate::random::Rng;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// The file names the page and the tests read the two tables from.
pub const LSOA_FILE: &str = "england_lsoa11.csv";
pub const LA_FILE: &str = "england_upper_tier_las.csv";
pub const CENTROIDS_FILE: &str = "england_lsoa11_centroids.csv";

/// Where the real data come from, as the page shows it next to the sample.
pub const ATTRIBUTION: &str = "Real places: England's LSOAs (2011), MSOAs (2011) and upper-tier local \
    authorities (2019), their IoD2019 income deprivation, 2011 Rural-Urban Classification and children \
    aged 0-15 (mid-2015). Contains public sector information licensed under the Open Government Licence \
    v3.0. Source: MHCLG English Indices of Deprivation 2019; Office for National Statistics (population \
    denominators, lookups, Rural-Urban Classification 2011). Population-weighted centroids (easting, \
    northing): Source: Office for National Statistics licensed under the Open Government Licence v3.0. \
    Contains OS data © Crown copyright and database right 2011. The counts are simulated, not real.";

/// What the spatial field adds to the counts, as the page says it under the sample.
pub const FIELD_WORDS: &str = "Each neighbourhood carries the easting and northing (metres, British National \
    Grid) of its population-weighted centroid (and a column country, England in every row, to group one field \
    over all of them), and the counts include a spatial field: unexplained variation \
    that nearby neighbourhoods share, with an SD of 0.3 on the log rate and a range of 5 km (neighbourhoods 2 km \
    apart share about 67% of it, 10 km apart about 14%). The spatial check finds it, and the spatial model \
    (spatial correlation between neighbourhoods) can recover it.";

/// One row of `england_lsoa11_centroids.csv`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Centroid {
    lsoa11_code: String,
    easting: f64,
    northing: f64,
}
/// One LSOA of `england_lsoa11.csv` (the columns the sample uses; the others are ignored).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Neighbourhood {
    #[serde(rename = "lsoa11_code")]
    pub lsoa: String,
    #[serde(rename = "msoa11_code")]
    pub msoa: String,
    #[serde(rename = "la_code")]
    pub la: String,
    /// IoD2019 income score: the proportion of people income-deprived (0 to 1).
    #[serde(rename = "income2019_score")]
    pub income: f64,
    /// 1 for a rural LSOA (RUC2011 D1, D2, E1, E2), 0 for an urban one.
    pub rural: u8,
    /// Dependent children aged 0-15, mid-2015.
    #[serde(rename = "children_0_15_mid2015")]
    pub children: u32,
}

/// One LA of `england_upper_tier_las.csv` (code and name).
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct LocalAuthority {
    la_code: String,
    la_name: String,
}

fn fail(message: String) -> SampleError {
    SampleError { message }
}

/// Reads every row of a CSV table into `T`; an error names the file, the row (1 = first data
/// row) and, where known, the column.
fn read_table<T: DeserializeOwned>(bytes: &[u8], file: &str) -> Result<Vec<T>, SampleError> {
    let mut reader = csv::Reader::from_reader(bytes);
    let headers = reader.headers().map_err(|e| fail(format!("{file}: {e}")))?.clone();
    reader
        .deserialize()
        .enumerate()
        .map(|(i, record)| {
            record.map_err(|e| {
                let column = match e.kind() {
                    csv::ErrorKind::Deserialize { err, .. } => {
                        err.field().and_then(|k| headers.get(k as usize)).map(str::to_owned)
                    }
                    _ => None,
                };
                let at = column.map_or(String::new(), |c| format!(", column {c}"));
                fail(format!("{file}, row {}{at}: {e}", i + 1))
            })
        })
        .collect()
}

/// Reads and checks the LSOA table: codes present, income score between 0 and 1, rural 0 or
/// 1, at least one child (the exposure cannot be 0).
pub fn read_neighbourhoods(bytes: &[u8]) -> Result<Vec<Neighbourhood>, SampleError> {
    let rows: Vec<Neighbourhood> = read_table(bytes, LSOA_FILE)?;
    for (i, r) in rows.iter().enumerate() {
        let problem = if r.lsoa.is_empty() || r.msoa.is_empty() || r.la.is_empty() {
            Some("a code is missing".to_owned())
        } else if !(0.0..=1.0).contains(&r.income) {
            Some(format!("column income2019_score: {} is not a proportion between 0 and 1", r.income))
        } else if r.rural > 1 {
            Some(format!("column rural: {} is not 0 or 1", r.rural))
        } else if r.children == 0 {
            Some("column children_0_15_mid2015: no children, so no rate can be simulated".to_owned())
        } else {
            None
        };
        if let Some(p) = problem {
            return Err(fail(format!("{LSOA_FILE}, row {} ({}): {p}", i + 1, r.lsoa)));
        }
    }
    if rows.is_empty() {
        return Err(fail(format!("{LSOA_FILE} has no rows")));
    }
    Ok(rows)
}

/// Reads the LA table: LA code -> name.
pub fn read_la_names(bytes: &[u8]) -> Result<BTreeMap<String, String>, SampleError> {
    let rows: Vec<LocalAuthority> = read_table(bytes, LA_FILE)?;
    Ok(rows.into_iter().map(|r| (r.la_code, r.la_name)).collect())
}

/// The covariates of the real neighbourhoods, in the table's order.
fn covariates(rows: &[Neighbourhood], names: &BTreeMap<String, String>) -> Result<Covariates, SampleError> {
    let mut la_names = Vec::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        let name = names.get(&r.la).ok_or_else(|| {
            fail(format!("{LSOA_FILE}, row {} ({}): the LA code {} is not in {LA_FILE}", i + 1, r.lsoa, r.la))
        })?;
        la_names.push(Some(name.as_str()));
    }
    let las: BTreeSet<&str> = rows.iter().map(|r| r.la.as_str()).collect();
    let msoas: BTreeSet<(&str, &str)> = rows.iter().map(|r| (r.la.as_str(), r.msoa.as_str())).collect();
    if las.len() < 2 {
        return Err(fail(format!("{LSOA_FILE} needs neighbourhoods in at least 2 LAs")));
    }
    Ok(Covariates {
        id: rows.iter().map(|r| r.lsoa.clone()).collect(),
        la: rows.iter().map(|r| r.la.clone()).collect(),
        msoa: rows.iter().map(|r| r.msoa.clone()).collect(),
        children: rows.iter().map(|r| f64::from(r.children)).collect(),
        // 3-decimal proportions to percentage points: exact to 1 decimal once rounded.
        deprivation: rows.iter().map(|r| (r.income * 1000.0).round() / 10.0).collect(),
        la_deprivation: Vec::new(),
        gini: Vec::new(),
        rural: rows.iter().map(|r| f64::from(r.rural)).collect(),
        extra: vec![("la_name".to_owned(), Column::Text(TextColumn::from_values(la_names)))],
        field: Vec::new(),
        las: las.len(),
        msoas: msoas.len(),
    })
}

/// The centroid (easting, northing) of every row of `rows`, from the bytes of the centroids
/// table; an LSOA without one, or with a coordinate that is not finite, is an error naming it.
pub fn read_centroids(bytes: &[u8], rows: &[Neighbourhood]) -> Result<Vec<[f64; 2]>, SampleError> {
    let table: Vec<Centroid> = read_table(bytes, CENTROIDS_FILE)?;
    let mut by_code = BTreeMap::new();
    for (i, c) in table.iter().enumerate() {
        if !(c.easting.is_finite() && c.northing.is_finite()) {
            return Err(fail(format!(
                "{CENTROIDS_FILE}, row {} ({}): a coordinate is not a number",
                i + 1,
                c.lsoa11_code
            )));
        }
        by_code.insert(c.lsoa11_code.as_str(), [c.easting, c.northing]);
    }
    rows.iter()
        .enumerate()
        .map(|(i, r)| {
            by_code.get(r.lsoa.as_str()).copied().ok_or_else(|| {
                fail(format!("{LSOA_FILE}, row {} ({}): no centroid in {CENTROIDS_FILE}", i + 1, r.lsoa))
            })
        })
        .collect()
}

/// The tables the national sample is made from, as bytes.
#[derive(Debug, Clone, Copy)]
pub struct Tables<'a> {
    pub lsoas: &'a [u8],
    pub las: &'a [u8],
    pub centroids: &'a [u8],
}

/// The generating values of the field, listed with the sample's other parameters.
fn field_parameters(field: &FieldSpec) -> [Parameter; 2] {
    let p = |kind: &'static str, label: &str, v: &super::Value, scale: &'static str| Parameter {
        kind,
        label: label.to_owned(),
        term: Some("exp(pos(easting, northing))".to_owned()),
        group: None,
        value: v.value,
        shown: v.value,
        scale,
        source: v.source.clone(),
    };
    [
        p("field_sd", "SD of the spatial field", &field.sd, "standard deviation"),
        p(
            "field_range",
            "Range of the spatial field (correlation exp(-distance / range))",
            &field.range,
            "metres",
        ),
    ]
}

/// Simulates `spec`'s counts on England's neighbourhoods, from the bytes of the LSOA, LA and
/// centroid tables, with the spatial field of [`england_field`] drawn by the engine's
/// nearest-neighbour sampler ([`nngp_sampler`]).
pub fn simulate_england(spec: &SampleSpec, tables: Tables<'_>) -> Result<Sample, SampleError> {
    simulate_england_with(spec, tables, nngp_sampler)
}

/// [`simulate_england`] with the field drawn by `sampler`. Only the
/// spec's model is read (outcome, deprivation column name, choices, effects, random-effect SDs,
/// seed): the geography is England's. The same seed gives the same counts.
pub fn simulate_england_with(
    spec: &SampleSpec,
    tables: Tables<'_>,
    sampler: FieldSampler,
) -> Result<Sample, SampleError> {
    let rows = read_neighbourhoods(tables.lsoas)?;
    let names = read_la_names(tables.las)?;
    let points = read_centroids(tables.centroids, &rows)?;
    let mut cov = covariates(&rows, &names)?;
    let field = england_field();
    let mut rng = Rng::new(spec.seed);
    // The field's own stream, seeded from the sample's: the counts follow on the generator.
    cov.field = draw_field(&field, &points, sampler, rng.next_u64())?;
    cov.extra.push(("easting".to_owned(), Column::Numeric(points.iter().map(|p| p[0]).collect())));
    cov.extra.push(("northing".to_owned(), Column::Numeric(points.iter().map(|p| p[1]).collect())));
    // One value in every row: the grouping of one spatial field over all of England.
    let country = Column::Text(TextColumn::from_values(std::iter::repeat(Some("England")).take(rows.len())));
    cov.extra.push(("country".to_owned(), country));
    let mut sample = draw_counts(spec, cov, &mut rng)?;
    sample.parameters.extend(field_parameters(&field));
    Ok(Sample {
        label: "Real places, synthetic counts".into(),
        attribution: Some(ATTRIBUTION.into()),
        description: format!("{} {FIELD_WORDS}", sample.description),
        ..sample
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples::presets::england_referrals;

    const CENTROIDS: &str = "lsoa11_code,easting,northing\nL1,530000,180000\nL2,531000,180000\n\
                             L3,400000,300000\nL4,401000,300500\nL5,402000,301000\nL6,532000,181000\n\
                             L7,530500,182000\nL8,403000,299000\n";

    /// An exact sampler for a few points: `L z` with `L L' = sd^2 exp(-D / range)`.
    fn exact(points: &[[f64; 2]], sd: f64, range: f64, seed: u64) -> Result<Vec<f64>, String> {
        let mut rng = Rng::new(seed);
        let n = points.len();
        let cov = nalgebra::DMatrix::from_fn(n, n, |i, j| {
            let d = (points[i][0] - points[j][0]).hypot(points[i][1] - points[j][1]);
            sd * sd * (-d / range).exp()
        });
        let l = cov.cholesky().ok_or("not positive definite")?.l();
        let z = nalgebra::DVector::from_fn(n, |_, _| rng.normal());
        Ok((l * z).iter().copied().collect())
    }

    fn tables<'a>(lsoas: &'a str, las: &'a str, centroids: &'a str) -> Tables<'a> {
        Tables { lsoas: lsoas.as_bytes(), las: las.as_bytes(), centroids: centroids.as_bytes() }
    }

    fn simulate(spec: &SampleSpec, lsoas: &[u8], las: &[u8]) -> Result<Sample, SampleError> {
        let t = Tables { lsoas, las, centroids: CENTROIDS.as_bytes() };
        simulate_england_with(spec, t, exact)
    }

    const LAS: &str = "la_code,la_name,n_lsoa\nE1,North,2\nE2,South,2\n";
    const LSOAS: &str = "lsoa11_code,msoa11_code,la_code,income2019_score,rural,children_0_15_mid2015\n\
                         L1,M1,E1,0.125,0,300\nL2,M1,E1,0.031,1,250\nL3,M2,E2,0.3,0,410\nL4,M3,E2,0.2,0,120\n\
                         L5,M3,E2,0.09,0,200\nL6,M4,E1,0.051,1,180\nL7,M4,E1,0.4,0,330\nL8,M2,E2,0.016,0,90\n";

    #[test]
    fn small_tables_give_the_columns_and_values() {
        let s = simulate(&england_referrals(), LSOAS.as_bytes(), LAS.as_bytes()).unwrap();
        assert_eq!(
            s.frame.names(),
            [
                "neighbourhood",
                "la",
                "la_name",
                "easting",
                "northing",
                "country",
                "msoa",
                "children",
                "income_dep",
                "rural",
                "referrals"
            ]
        );
        let easting = vec![530000.0, 531000.0, 400000.0, 401000.0, 402000.0, 532000.0, 530500.0, 403000.0];
        assert_eq!(s.frame.column("easting"), Some(&Column::Numeric(easting)));
        let field: Vec<&Parameter> = s.parameters.iter().filter(|p| p.kind.starts_with("field")).collect();
        assert_eq!(field.iter().map(|p| p.value).collect::<Vec<_>>(), [0.3, 5000.0]);
        assert!(s.description.contains("range of 5 km"));
        assert!(s.attribution.as_deref().unwrap().contains("Contains OS data"));
        // The same seed, the same counts; the field changes them.
        let again = simulate(&england_referrals(), LSOAS.as_bytes(), LAS.as_bytes()).unwrap();
        assert_eq!(again.frame.column("referrals"), s.frame.column("referrals"));
        let flat = |_: &[[f64; 2]], _: f64, _: f64, _: u64| Ok(vec![0.0; 8]);
        let t = tables(LSOAS, LAS, CENTROIDS);
        let without = simulate_england_with(&england_referrals(), t, flat).unwrap();
        assert_ne!(without.frame.column("referrals"), s.frame.column("referrals"));
        assert_eq!((s.rows, s.las, s.msoas), (8, 2, 4));
        let income = vec![12.5, 3.1, 30.0, 20.0, 9.0, 5.1, 40.0, 1.6];
        assert_eq!(s.frame.column("income_dep"), Some(&Column::Numeric(income)));
        let rural = vec![0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0];
        assert_eq!(s.frame.column("rural"), Some(&Column::Numeric(rural)));
        assert_eq!(s.frame.column("la_name").and_then(|c| c.display(3)).as_deref(), Some("South"));
        assert_eq!(s.roles.rural.as_deref(), Some("rural"));
        assert_eq!(s.roles.msoa.as_deref(), Some("msoa"));
        assert_eq!(s.label, "Real places, synthetic counts");
    }

    fn error(lsoas: &str, las: &str) -> String {
        simulate(&england_referrals(), lsoas.as_bytes(), las.as_bytes()).unwrap_err().to_string()
    }

    #[test]
    fn bad_tables_are_errors_that_name_the_row_and_column() {
        let bad_income = LSOAS.replace("0.3,", "x,");
        let e = error(&bad_income, LAS);
        assert!(e.contains("england_lsoa11.csv, row 3, column income2019_score"), "{e}");
        let e = error(&LSOAS.replace("0.3,", "1.5,"), LAS);
        assert!(e.contains("row 3 (L3): column income2019_score: 1.5"), "{e}");
        let e = error(&LSOAS.replace(",120", ",0"), LAS);
        assert!(e.contains("row 4 (L4): column children_0_15_mid2015"), "{e}");
        let e = error(&LSOAS.replace("1,250", "2,250"), LAS);
        assert!(e.contains("row 2 (L2): column rural: 2"), "{e}");
        let e = error(LSOAS, "la_code,la_name\nE1,North\n");
        assert!(e.contains("row 3 (L3): the LA code E2 is not in england_upper_tier_las.csv"), "{e}");
        let e = error(&LSOAS.replace("rural,", "urban,"), LAS);
        assert!(e.contains("missing field `rural`"), "{e}");
        let e = error("lsoa11_code,msoa11_code,la_code,income2019_score,rural,children_0_15_mid2015\n", LAS);
        assert!(e.contains("has no rows"), "{e}");
        let missing = CENTROIDS.replace("L5,", "L9,");
        let t = tables(LSOAS, LAS, &missing);
        let e = simulate_england_with(&england_referrals(), t, exact).unwrap_err().to_string();
        assert!(e.contains("row 5 (L5): no centroid in england_lsoa11_centroids.csv"), "{e}");
        let text = CENTROIDS.replace("402000", "x");
        let t = tables(LSOAS, LAS, &text);
        let e = simulate_england_with(&england_referrals(), t, exact).unwrap_err().to_string();
        assert!(e.contains("england_lsoa11_centroids.csv, row 5, column easting"), "{e}");
        let broken = |_: &[[f64; 2]], _: f64, _: f64, _: u64| Ok(vec![f64::NAN; 8]);
        let e =
            simulate_england_with(&england_referrals(), tables(LSOAS, LAS, CENTROIDS), broken).unwrap_err();
        assert!(e.to_string().contains("spatial field"), "{e}");
    }
}
