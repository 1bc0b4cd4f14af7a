//! Income bands as people may paste them, at random: arbitrary text, and bands of random widths,
//! counts (zero, fractions, up to 1e12) and limits (up to 1e15), with or without an open top band,
//! a mean income and a survey size. The Gini estimate never panics: it is a number between 0 and
//! 1 with an interval around it, or a refusal that names the line at fault where there is one.

use proptest::prelude::*;
use proptest::test_runner::Config;
use socgrad::gini::{estimate_gini, GiniRequest};

fn config(cases: u32) -> Config {
    Config { cases, failure_persistence: None, max_shrink_time: 20_000, ..Config::default() }
}

fn request(bands: String, mean_income: Option<f64>, sample_size: Option<f64>) -> GiniRequest {
    GiniRequest { bands, mean_income, sample_size, replicates: Some(100), seed: Some(1) }
}

fn check(r: &GiniRequest) {
    match estimate_gini(r) {
        Ok(g) => {
            assert!(g.gini.is_finite() && (0.0..=1.0).contains(&g.gini), "{g:?}");
            if g.ci_low.is_finite() {
                assert!(g.ci_low <= g.ci_high, "{g:?}");
            }
        }
        Err(e) => {
            assert!(!e.message.is_empty());
            let lines = r.bands.lines().count();
            assert!(e.line.map_or(true, |l| l >= 1 && l <= lines), "{e:?} in {} lines", lines);
        }
    }
}

proptest! {
    #![proptest_config(config(400))]

    #[test]
    fn arbitrary_text_is_estimated_or_refused(text in "[0-9£,.+ \\-\\t\\nandover]{0,200}") {
        check(&request(text, None, None));
    }

    #[test]
    fn random_bands_are_estimated_or_refused(
        widths in proptest::collection::vec(1.0f64..1e6, 2..40),
        counts in proptest::collection::vec(prop_oneof![Just(0.0), 0.0f64..1e4, 0.5f64..1e12], 40),
        open in any::<bool>(),
        scale in prop_oneof![Just(1.0), Just(1e9)],
        mean in proptest::option::of(1.0f64..1e7),
        sample in proptest::option::of(0.0f64..1e6),
    ) {
        let mut lower = 0.0;
        let mut text = String::new();
        for (k, w) in widths.iter().enumerate() {
            let upper = lower + w * scale;
            if open && k == widths.len() - 1 {
                text.push_str(&format!("{lower},,{}\n", counts[k]));
            } else {
                text.push_str(&format!("{lower},{upper},{}\n", counts[k]));
            }
            lower = upper;
        }
        check(&request(text, mean, sample));
    }
}
