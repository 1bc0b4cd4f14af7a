//! The LAs most like a given one, for comparing trends: the nearest on three measures, each
//! standardised over the 151 LAs (mean 0, sample SD 1): the IMD 2019 average score, the share of
//! the population living in rural neighbourhoods, and the number of children aged 0-17 (ONS
//! mid-2019, on a log scale, so that 20,000 and 40,000 children are as far apart as 100,000
//! and 200,000). The distance is the ordinary (Euclidean) one; ties go to the lower code.

use std::sync::OnceLock;

use serde::Serialize;

use crate::places::places;

/// How many similar LAs the page and the trend chart show.
pub const SIMILAR_COUNT: usize = 5;

/// How the similar LAs are chosen, in words, for the page.
pub const HOW_CHOSEN: &str = "the five authorities nearest to it on three measures, each standardised over \
     the 151 authorities: the IMD 2019 average score (deprivation), the share of people living in rural \
     neighbourhoods, and the number of children aged 0-17 (mid-2019, on a log scale)";

/// One similar LA and how far it is, in standardised units.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimilarLa {
    /// Position in [`places`].
    #[serde(skip)]
    pub index: usize,
    pub la_code: String,
    pub la_name: String,
    pub distance: f64,
}

/// Every LA's three standardised measures.
fn standardised() -> &'static [[f64; 3]] {
    static Z: OnceLock<Vec<[f64; 3]>> = OnceLock::new();
    Z.get_or_init(|| {
        let raw: Vec<[f64; 3]> = places()
            .iter()
            .map(|p| [p.la.imd2019_avg_score, p.la.rural_share_pop, (p.la.children_0_17_mid2019 as f64).ln()])
            .collect();
        let n = raw.len() as f64;
        let mut out = raw.clone();
        for k in 0..3 {
            let mean = raw.iter().map(|r| r[k]).sum::<f64>() / n;
            let sd = (raw.iter().map(|r| (r[k] - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
            for (o, r) in out.iter_mut().zip(&raw) {
                o[k] = (r[k] - mean) / sd;
            }
        }
        out
    })
}

/// The `count` LAs nearest to LA number `la` (itself excluded), nearest first.
pub fn similar_las(la: usize, count: usize) -> Vec<SimilarLa> {
    let z = standardised();
    let Some(own) = z.get(la) else { return Vec::new() };
    let mut others: Vec<(f64, usize)> = z
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != la)
        .map(|(i, v)| ((0..3).map(|k| (v[k] - own[k]).powi(2)).sum::<f64>().sqrt(), i))
        .collect();
    others.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    others
        .into_iter()
        .take(count)
        .map(|(distance, i)| SimilarLa {
            index: i,
            la_code: places()[i].la.la_code.clone(),
            la_name: places()[i].la.la_name.clone(),
            distance,
        })
        .collect()
}
