//! What a score says next to others: which way it differs from the average LA's score of the same
//! measure ([`AverageComparison`]), and whether its context lies outside what the tables describe
//! ([`RangeNote`]). Directions are read from the numbers as shown ([`super::format`]), so a
//! sentence never calls two numbers that print alike "steeper" and "flatter".

use serde::Serialize;

use super::format::{number, Quantity};

/// Which way one number differs from another, in the words the page uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// A social gradient that is steeper (a larger score, both at least 1).
    Steeper,
    Flatter,
    /// Other ratios (of two gradients, or a score below 1): larger or smaller.
    Higher,
    Lower,
    /// The two print alike.
    Same,
}

impl Direction {
    /// The direction of `value` against `reference`, both shown as `q`; `gradient` says whether
    /// they are social gradient scores (steeper / flatter) or other ratios (higher / lower).
    pub fn of(q: Quantity, value: f64, reference: f64, gradient: bool) -> Direction {
        if number(q, value) == number(q, reference) {
            return Direction::Same;
        }
        let as_gradient = gradient && value >= 1.0 && reference >= 1.0;
        match (value > reference, as_gradient) {
            (true, true) => Direction::Steeper,
            (false, true) => Direction::Flatter,
            (true, false) => Direction::Higher,
            (false, false) => Direction::Lower,
        }
    }

    /// "steeper", "flatter", "higher", "lower", "the same".
    pub fn word(self) -> &'static str {
        match self {
            Direction::Steeper => "steeper",
            Direction::Flatter => "flatter",
            Direction::Higher => "higher",
            Direction::Lower => "lower",
            Direction::Same => "the same",
        }
    }

    /// "steeper than", "a little flatter than", "the same as": with "a little" when the two are
    /// within 5% of each other.
    pub fn phrase(self, value: f64, reference: f64) -> String {
        if self == Direction::Same {
            return "the same as".to_string();
        }
        let close = (value / reference).ln().abs() < 1.05_f64.ln();
        format!("{}{} than", if close { "a little " } else { "" }, self.word())
    }
}

/// The same measure in the average LA context, and how this score compares with it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AverageComparison {
    /// The score in the average context (the printed cell).
    pub estimate: f64,
    /// As shown ([`Quantity::Score`]).
    pub shown: String,
    pub direction: Direction,
    /// "flatter than in an LA of average income deprivation (1.62)", or, in the average context,
    /// "the score of an LA of average income deprivation".
    pub words: String,
}

impl AverageComparison {
    /// `estimate` against `average`, the score of `reference` (e.g. "an LA of average income
    /// deprivation"); `gradient` as in [`Direction::of`].
    pub fn new(estimate: f64, average: f64, reference: &str, gradient: bool, at_average: bool) -> Self {
        let shown = number(Quantity::Score, average);
        let direction = Direction::of(Quantity::Score, estimate, average, gradient);
        let words = if at_average {
            format!("the score of {reference}")
        } else if direction == Direction::Same {
            format!("the same as in {reference} ({shown})")
        } else {
            format!("{} in {reference} ({shown})", direction.phrase(estimate, average))
        };
        AverageComparison { estimate: average, shown, direction, words }
    }
}

/// Why a score's context lies outside what its tables describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RangeKind {
    /// Hood et al. 2021 cover every English LA, but print scores only for LAs up to 10 points
    /// of income deprivation either side of the average: beyond that the score is extended.
    OutsidePrintedContexts,
    /// Webb et al. 2020 studied 13 or 18 LAs (Table 1 gives their range): beyond it the model is
    /// extended to LAs unlike any it saw.
    OutsideStudyLas,
}

/// A context outside what the tables describe, for a badge and one sentence beside it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RangeNote {
    pub kind: RangeKind,
    /// "Outside the contexts the report prints", "Outside the study's LAs".
    pub badge: String,
    /// One sentence, with both sides of the comparison at the same precision.
    pub explanation: String,
}

impl RangeNote {
    pub fn new(kind: RangeKind, explanation: String) -> Self {
        let badge = match kind {
            RangeKind::OutsidePrintedContexts => "Outside the contexts the report prints",
            RangeKind::OutsideStudyLas => "Outside the study's LAs",
        };
        RangeNote { kind, badge: badge.to_string(), explanation }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directions_follow_the_numbers_as_shown() {
        assert_eq!(Direction::of(Quantity::Score, 1.259, 1.62, true), Direction::Flatter);
        assert_eq!(Direction::of(Quantity::Score, 1.933, 1.62, true), Direction::Steeper);
        assert_eq!(Direction::of(Quantity::Score, 1.6201, 1.62, true), Direction::Same);
        assert_eq!(Direction::of(Quantity::Score, 0.93, 0.96, true), Direction::Lower);
        assert_eq!(Direction::of(Quantity::Score, 1.2, 1.1, false), Direction::Higher);
        assert_eq!(Direction::Flatter.phrase(1.60, 1.62), "a little flatter than");
        assert_eq!(Direction::Steeper.phrase(1.93, 1.62), "steeper than");
    }

    #[test]
    fn average_comparison_words() {
        let c = AverageComparison::new(1.259, 1.62, "an LA of average income deprivation", true, false);
        assert_eq!(c.words, "flatter than in an LA of average income deprivation (1.62)");
        assert_eq!(c.direction, Direction::Flatter);
        let c = AverageComparison::new(1.62, 1.62, "an LA of average income deprivation", true, true);
        assert_eq!(c.words, "the score of an LA of average income deprivation");
        assert_eq!(c.direction, Direction::Same);
    }
}
