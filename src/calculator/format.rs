//! One number format for everything the calculator says: the page's headline and cards, the
//! sentences, the guided tour and its handout, the map and its table, and the text of
//! `socgrad gradient`. Each kind of number ([`Quantity`]) has its own precision, chosen once here:
//!
//! | quantity | precision | examples |
//! |---|---|---|
//! | [`Quantity::Score`]: a social gradient score (rate ratio per step, or a ratio of two gradients) | 3 significant figures, at most 2 decimals (the printed tables' 2) | 1.62, 1.70, 0.93, 2.29, 12.3 |
//! | [`Quantity::Gap`]: the rate in an LA's most deprived tenth of neighbourhoods over its least deprived tenth | 2 significant figures, at most 1 decimal | 2.4, 1.9, 12 |
//! | [`Quantity::Times`]: how many times one thing is another ("about 5.0 times as strong") | 2 significant figures, at most 1 decimal | 5.0, 3.6 |
//! | [`Quantity::Percent`]: a percentage change per step, signed | whole numbers | +62%, +129%, −4% |
//! | [`Quantity::Points`]: percentage points of income deprivation | 1 decimal | 11.1, −7.8, 19.5 |
//! | [`Quantity::Share`]: a percentage of people | 1 decimal | 24.7% |
//! | [`Quantity::Imd`]: an IMD score | 1 decimal | 42.0, 8.9 |
//! | [`Quantity::Gini`]: a Gini coefficient | 3 decimals | 0.386 |
//! | [`Quantity::Z`]: a standardised value (technical notes only) | 2 decimals | 2.46 |
//! | [`Quantity::Rate`]: a rate per 10,000 children (and DfE's rate of children looked after) | whole numbers, thousands separated | 1,340 |
//! | [`Quantity::DfeRate`]: a DfE rate per 10,000 children of referrals, children in need or child protection plans | 1 decimal, as DfE prints them | 1,012.4, 41.9 |
//! | [`Quantity::Ratio`]: a count over what a model expects (observed ÷ expected) | 2 decimals | 1.22, 0.87 |
//! | [`Quantity::Count`]: a number of children, or of them a model expects | whole numbers, thousands separated | 531, 82,080 |
//!
//! A point and its interval are always printed with the same number of decimals, so the rounded
//! point lies inside the rounded interval whenever the point lies inside the interval (rounding is
//! monotone). When the interval's two ends would print alike ("1.51 to 1.51") both the point and
//! the interval get one more decimal, up to two more. Negative numbers take a minus sign (−).

use serde::Serialize;

/// A kind of number, with the precision it is always shown at (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Quantity {
    Score,
    Gap,
    Times,
    Percent,
    Points,
    Share,
    Imd,
    Gini,
    Z,
    Rate,
    DfeRate,
    Ratio,
    Count,
}

/// How a quantity is rounded.
enum Precision {
    /// Significant figures, with at most this many decimals.
    Significant(i32, usize),
    Decimals(usize),
}

impl Quantity {
    fn precision(self) -> Precision {
        match self {
            Quantity::Score => Precision::Significant(3, 2),
            Quantity::Gap | Quantity::Times => Precision::Significant(2, 1),
            Quantity::Percent | Quantity::Rate | Quantity::Count => Precision::Decimals(0),
            Quantity::Points | Quantity::Share | Quantity::Imd | Quantity::DfeRate => Precision::Decimals(1),
            Quantity::Ratio => Precision::Decimals(2),
            Quantity::Gini => Precision::Decimals(3),
            Quantity::Z => Precision::Decimals(2),
        }
    }

    /// The decimals `x` is shown with.
    pub fn decimals(self, x: f64) -> usize {
        match self.precision() {
            Precision::Decimals(d) => d,
            Precision::Significant(sf, most) => significant_decimals(x, sf).min(most),
        }
    }
}

/// Decimals that give `x` `sf` significant figures (none for numbers of `sf` or more digits).
fn significant_decimals(x: f64, sf: i32) -> usize {
    if !x.is_finite() || x == 0.0 {
        return (sf - 1).max(0) as usize;
    }
    let magnitude = x.abs().log10().floor() as i32;
    let d = (sf - 1 - magnitude).max(0) as usize;
    // 9.996 to 3 figures is "10.0", not "10.00": rounding moved it up an order of magnitude.
    let rounded = rounded(x.abs(), d);
    if d > 0 && rounded >= 10f64.powi(magnitude + 1) {
        d - 1
    } else {
        d
    }
}

/// `x` rounded to `decimals` decimals, as a number.
pub fn rounded(x: f64, decimals: usize) -> f64 {
    let scale = 10f64.powi(decimals as i32);
    (x * scale).round() / scale
}

/// `x` with `decimals` decimals, thousands separated by commas, a minus sign for negatives
/// (never "−0").
pub fn fixed(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "–".to_string();
    }
    let text = format!("{:.*}", decimals, x.abs());
    let (int, frac) = text.split_once('.').map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let zero = text.chars().all(|c| c == '0' || c == '.');
    let sign = if x < 0.0 && !zero { "−" } else { "" };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// `x` as the quantity `q` is shown.
pub fn number(q: Quantity, x: f64) -> String {
    if q == Quantity::Percent {
        let text = fixed(x, 0);
        return if text.starts_with('−') || text == "0" { format!("{text}%") } else { format!("+{text}%") };
    }
    fixed(x, q.decimals(x))
}

/// A rate ratio as the signed percentage change it means: 1.26 gives "+26%".
pub fn percent_change(ratio: f64) -> String {
    number(Quantity::Percent, 100.0 * (ratio - 1.0))
}

/// A number as shown, with its interval where there is one: every string uses the same decimals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shown {
    pub value: String,
    pub ci_low: Option<String>,
    pub ci_high: Option<String>,
}

impl Shown {
    /// "1.62 (95% CI 1.62 to 1.63)", or the value alone.
    pub fn with_interval(&self) -> String {
        match self.interval() {
            Some(ci) => format!("{} ({ci})", self.value),
            None => self.value.clone(),
        }
    }

    /// "95% CI 1.62 to 1.63", when there is an interval.
    pub fn interval(&self) -> Option<String> {
        match (&self.ci_low, &self.ci_high) {
            (Some(lo), Some(hi)) => Some(format!("95% CI {lo} to {hi}")),
            _ => None,
        }
    }
}

/// `x` and its interval (`low`, `high`, both or neither) as quantity `q`, at one number of
/// decimals: the point's, or up to two more where the interval's ends would otherwise print alike.
pub fn shown(q: Quantity, x: f64, low: Option<f64>, high: Option<f64>) -> Shown {
    let base = q.decimals(x);
    let (low, high) = match (low, high) {
        (Some(l), Some(h)) if l.is_finite() && h.is_finite() => (l, h),
        _ => return Shown { value: number(q, x), ci_low: None, ci_high: None },
    };
    let mut d = base;
    while d < base + 2 && low < high && fixed(low, d) == fixed(high, d) {
        d += 1;
    }
    Shown { value: fixed(x, d), ci_low: Some(fixed(low, d)), ci_high: Some(fixed(high, d)) }
}

/// Reads a number as [`fixed`] writes it (commas, the minus sign), for checks.
#[cfg(test)]
pub fn parse(text: &str) -> Option<f64> {
    text.trim().replace(',', "").replace('−', "-").trim_end_matches('%').parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn each_quantity_at_its_precision() {
        assert_eq!(number(Quantity::Score, 1.698), "1.70");
        assert_eq!(number(Quantity::Score, 1.62), "1.62");
        assert_eq!(number(Quantity::Score, 0.9345), "0.93");
        assert_eq!(number(Quantity::Gap, 0.51), "0.5");
        assert_eq!(number(Quantity::Score, 2.2909), "2.29");
        assert_eq!(number(Quantity::Score, 12.345), "12.3");
        assert_eq!(number(Quantity::Score, 9.9996), "10.0");
        assert_eq!(number(Quantity::Gap, 2.391), "2.4");
        assert_eq!(number(Quantity::Gap, 12.4), "12");
        assert_eq!(number(Quantity::Gap, 1.0), "1.0");
        assert_eq!(number(Quantity::Percent, 129.1), "+129%");
        assert_eq!(number(Quantity::Percent, -4.2), "−4%");
        assert_eq!(number(Quantity::Percent, 0.2), "0%");
        assert_eq!(percent_change(1.258), "+26%");
        assert_eq!(number(Quantity::Points, -7.834), "−7.8");
        assert_eq!(number(Quantity::Points, -0.01), "0.0");
        assert_eq!(number(Quantity::Imd, 8.857), "8.9");
        assert_eq!(number(Quantity::Gini, 0.386), "0.386");
        assert_eq!(number(Quantity::Rate, 1340.2), "1,340");
        assert_eq!(number(Quantity::DfeRate, 1012.44), "1,012.4");
        assert_eq!(number(Quantity::Ratio, 1.2157), "1.22");
        assert_eq!(number(Quantity::Count, 82080.4), "82,080");
        assert_eq!(number(Quantity::Rate, 300_830.0), "300,830");
    }

    #[test]
    fn intervals_share_the_point_s_decimals_and_widen_only_when_needed() {
        let s = shown(Quantity::Score, 1.698, Some(1.6037), Some(1.7968));
        assert_eq!(s.with_interval(), "1.70 (95% CI 1.60 to 1.80)");
        let s = shown(Quantity::Score, 1.62, Some(1.62), Some(1.63));
        assert_eq!(s.with_interval(), "1.62 (95% CI 1.62 to 1.63)");
        // Ends that would print alike get more decimals, the point too.
        let s = shown(Quantity::Gap, 2.017, Some(2.011), Some(2.026));
        assert_eq!(s.with_interval(), "2.02 (95% CI 2.01 to 2.03)");
        let s = shown(Quantity::Score, 1.5, None, None);
        assert_eq!(s.with_interval(), "1.50");
        assert_eq!(s.interval(), None);
    }

    proptest! {
        #[test]
        fn a_rounded_point_lies_inside_its_rounded_interval(
            x in 0.001f64..5000.0,
            below in 0.0f64..0.5,
            above in 0.0f64..0.5,
            q in prop::sample::select(vec![Quantity::Score, Quantity::Gap, Quantity::Times, Quantity::Points, Quantity::Imd, Quantity::Rate]),
        ) {
            let (low, high) = (x * (1.0 - below), x * (1.0 + above));
            let s = shown(q, x, Some(low), Some(high));
            let (v, lo, hi) = (parse(&s.value).unwrap(), parse(s.ci_low.as_ref().unwrap()).unwrap(), parse(s.ci_high.as_ref().unwrap()).unwrap());
            prop_assert!(lo <= v && v <= hi, "{s:?} from {low} {x} {high}");
            // The same decimals throughout.
            let decimals = |t: &str| t.split_once('.').map_or(0, |(_, f)| f.len());
            prop_assert_eq!(decimals(&s.value), decimals(s.ci_low.as_ref().unwrap()));
            prop_assert_eq!(decimals(&s.value), decimals(s.ci_high.as_ref().unwrap()));
            // Within its precision (plus at most two decimals), and within half a unit of it.
            let d = decimals(&s.value);
            prop_assert!(d <= q.decimals(x) + 2);
            prop_assert!((v - x).abs() <= 0.5 * 10f64.powi(-(d as i32)) * (1.0 + 1e-9));
        }

        #[test]
        fn scores_have_three_significant_figures(x in 1.0f64..999.0) {
            let text = number(Quantity::Score, x);
            let digits: String = text.chars().filter(|c| c.is_ascii_digit()).collect();
            prop_assert!(digits.len() >= 3, "{text}");
            prop_assert!(digits.len() == 3 || !text.contains('.'), "{text}");
        }
    }
}
