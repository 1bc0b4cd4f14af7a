//! The spread of neighbourhood deprivation inside each LA: the 10th and 90th percentiles, over
//! the LA's LSOAs, of the IoD2019 income score (Hood et al. 2021's measure) and of the IMD 2015
//! score (Webb et al. 2020's measure).
//!
//! Percentiles are R's default (type 7): with the `n` values sorted, `x_(1) <= ... <= x_(n)`,
//! the `p` quantile is `x_(j) + g (x_(j+1) - x_(j))` where `h = (n - 1) p`, `j = floor(h) + 1`,
//! `g = h - floor(h)`. Every LSOA counts once (a "tenth of neighbourhoods", not of people).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Percentiles of neighbourhood deprivation in one LA.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NeighbourhoodSpread {
    pub la_code: String,
    /// Number of LSOAs.
    pub n_lsoa: u32,
    /// 10th and 90th percentiles of the LSOA income score (proportion of people income-deprived).
    pub income_p10: f64,
    pub income_p90: f64,
    /// 10th and 90th percentiles of the LSOA IMD 2015 score.
    pub imd2015_p10: f64,
    pub imd2015_p90: f64,
}

/// The `p` quantile (R type 7) of sorted values; `None` when there are none.
pub fn quantile_sorted(sorted: &[f64], p: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let h = (n - 1) as f64 * p;
    let j = h.floor() as usize;
    let g = h - h.floor();
    let lo = sorted[j];
    let hi = sorted[(j + 1).min(n - 1)];
    Some(lo + g * (hi - lo))
}

#[derive(Deserialize)]
struct LsoaRow {
    la_code: String,
    income2019_score: f64,
    imd2015_score: f64,
}

/// Summarises `data/england_lsoa11.csv` (its text) into one spread per LA, ordered by LA code.
pub fn summarise_lsoas(lsoa_csv: &str) -> Result<Vec<NeighbourhoodSpread>, String> {
    let mut by_la: BTreeMap<String, (Vec<f64>, Vec<f64>)> = BTreeMap::new();
    for (i, row) in csv::Reader::from_reader(lsoa_csv.as_bytes()).deserialize::<LsoaRow>().enumerate() {
        let row = row.map_err(|e| format!("LSOA table row {}: {e}", i + 2))?;
        let entry = by_la.entry(row.la_code).or_default();
        entry.0.push(row.income2019_score);
        entry.1.push(row.imd2015_score);
    }
    Ok(by_la
        .into_iter()
        .map(|(la_code, (mut income, mut imd))| {
            income.sort_by(f64::total_cmp);
            imd.sort_by(f64::total_cmp);
            let q = |v: &[f64], p| quantile_sorted(v, p).unwrap_or(f64::NAN);
            NeighbourhoodSpread {
                la_code,
                n_lsoa: income.len() as u32,
                income_p10: q(&income, 0.1),
                income_p90: q(&income, 0.9),
                imd2015_p10: q(&imd, 0.1),
                imd2015_p90: q(&imd, 0.9),
            }
        })
        .collect())
}

/// Writes spreads as the CSV embedded in the engine (`data/la_neighbourhoods.csv`), with
/// enough decimals to reproduce the percentiles of 3-dp scores exactly.
pub fn to_csv(spreads: &[NeighbourhoodSpread]) -> String {
    let mut out = String::from("la_code,n_lsoa,income_p10,income_p90,imd2015_p10,imd2015_p90\n");
    for s in spreads {
        out.push_str(&format!(
            "{},{},{:.6},{:.6},{:.6},{:.6}\n",
            s.la_code, s.n_lsoa, s.income_p10, s.income_p90, s.imd2015_p10, s.imd2015_p90
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_follow_r_type_7() {
        // R: quantile(c(1, 2, 4, 8, 16), c(0.1, 0.9)) -> 1.4, 12.8
        let v = [1.0, 2.0, 4.0, 8.0, 16.0];
        assert!((quantile_sorted(&v, 0.1).unwrap() - 1.4).abs() < 1e-12);
        assert!((quantile_sorted(&v, 0.9).unwrap() - 12.8).abs() < 1e-12);
        assert_eq!(quantile_sorted(&[3.0], 0.9), Some(3.0));
        assert_eq!(quantile_sorted(&[], 0.5), None);
    }
}
