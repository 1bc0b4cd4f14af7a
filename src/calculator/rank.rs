//! One ranking for every list of local authorities the page ranks (the map and its table, the
//! tour, the real figures): from the highest value, 1 first; tied values share the best of their
//! places ("1224" ranking) and are shown with "=" ("147="); an LA without a value has no rank.

use serde::Serialize;

/// One LA's place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rank {
    /// 1 for the highest value.
    pub rank: u32,
    /// True when another ranked LA has exactly the same value.
    pub tied: bool,
    /// "12", or "147=" when tied.
    pub shown: String,
}

/// The ranks of `values` from the highest; `None` (or a value that is not finite) is not ranked.
pub fn descending(values: &[Option<f64>]) -> Vec<Option<Rank>> {
    let ranked: Vec<f64> = values.iter().flatten().copied().filter(|x| x.is_finite()).collect();
    values
        .iter()
        .map(|v| {
            let x = v.filter(|x| x.is_finite())?;
            let rank = 1 + ranked.iter().filter(|&&y| y > x).count() as u32;
            let tied = ranked.iter().filter(|&&y| y == x).count() > 1;
            Some(Rank { rank, tied, shown: if tied { format!("{rank}=") } else { rank.to_string() } })
        })
        .collect()
}

/// How many of `values` are ranked.
pub fn ranked_count(values: &[Option<f64>]) -> u32 {
    values.iter().flatten().filter(|x| x.is_finite()).count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_the_best_place_and_missing_values_have_none() {
        let r = descending(&[Some(2.0), None, Some(5.0), Some(2.0), Some(f64::NAN), Some(1.0)]);
        let shown: Vec<Option<&str>> = r.iter().map(|x| x.as_ref().map(|x| x.shown.as_str())).collect();
        assert_eq!(shown, [Some("2="), None, Some("1"), Some("2="), None, Some("4")]);
        assert_eq!(ranked_count(&[Some(2.0), None, Some(f64::NAN), Some(1.0)]), 2);
    }
}
