//! The words of the fitting page's forms, with the values the engine reads and writes: the roles
//! a column can play ([`ROLE_ENTRIES`]), the answers the guided model builder offers for each of
//! its questions ([`Answer`]) and what each stage of a running fit is fitting ([`StageAnswer`]). The page shows
//! these lists as they are, so a new family, unit, role or stage appears on the page when the
//! engine learns it.

use serde::Serialize;

use super::guided::{Centring, Unit, Use};
pub use super::roles::{RoleEntry, ROLE_ENTRIES};
use crate::fit::{Family, Link, Stage};

/// One answer to a question of the guided builder: the value as [`super::guided::ModelChoices`]
/// serialises it and the words the page shows for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Answer<T> {
    pub value: T,
    pub label: &'static str,
}

/// A distribution of the counts: its value, its name in results (`Negative binomial (NB2)`),
/// the fuller label of the builder and what it is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FamilyAnswer {
    pub value: Family,
    pub name: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
}

/// A stage of a running fit as its progress reports name it: what it is fitting, and whether it
/// is one piece of work (`one_off`: the page says "working out ...") rather than iterations it
/// counts ("fitting ..., step n").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StageAnswer {
    pub value: Stage,
    pub label: &'static str,
    pub one_off: bool,
}

impl StageAnswer {
    const fn new(value: Stage, label: &'static str) -> StageAnswer {
        StageAnswer { value, label, one_off: one_off(value) }
    }
}

/// Whether a stage is one piece of work rather than iterations: the curvature at the start and
/// at the estimates (finite differences of the gradient) are each reported once, before they
/// are computed.
const fn one_off(stage: Stage) -> bool {
    match stage {
        Stage::Glm | Stage::Laplace | Stage::Quadrature | Stage::Newton => false,
        Stage::Start | Stage::Curvature => true,
    }
}

/// Everything the fitting page's forms offer, each list in the order the page shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FormAnswers {
    /// The roles a column can play (the column-mapping form).
    pub roles: [RoleEntry; 8],
    /// The distributions of the counts.
    pub families: [FamilyAnswer; 4],
    /// Where neighbourhood deprivation is centred.
    pub centring: [Answer<Centring>; 3],
    /// The step of a coefficient of deprivation.
    pub units: [Answer<Unit>; 3],
    /// Whether an LA or neighbourhood characteristic enters the model.
    pub uses: [Answer<Use>; 3],
    /// What each stage of a fit (as its progress reports name it) is fitting.
    pub stages: [StageAnswer; 6],
}

/// The distributions of the response, in the order the page offers them.
pub const FAMILIES: [FamilyAnswer; 4] = [
    FamilyAnswer {
        value: Family::Poisson,
        name: "Poisson",
        label: "Poisson",
        hint: "Variance equal to the mean (Hood et al. 2021).",
    },
    FamilyAnswer {
        value: Family::Nbinom2,
        name: "Negative binomial (NB2)",
        label: "Negative binomial, quadratic variance (NB2)",
        hint: "Counts more variable than Poisson; Webb et al. 2020 selected it for CIN.",
    },
    FamilyAnswer {
        value: Family::Nbinom1,
        name: "Negative binomial (NB1)",
        label: "Negative binomial, linear variance (NB1)",
        hint: "Webb et al. 2020 selected it for CPP and CLA.",
    },
    FamilyAnswer {
        value: Family::Binomial(Link::Logit),
        name: "Binomial (proportions)",
        label: "Binomial (proportions)",
        hint: "Successes out of totals, such as re-referrals out of referrals (the count column out of the \
               population column), or a 0/1 outcome; results are odds ratios.",
    },
];

/// What the page offers for every question.
pub const FORM_ANSWERS: FormAnswers = FormAnswers {
    roles: ROLE_ENTRIES,
    families: FAMILIES,
    centring: [
        Answer {
            value: Centring::WithinLa,
            label: "Compared with other neighbourhoods in the same LA (both studies)",
        },
        Answer {
            value: Centring::Overall,
            label: "Compared with the average neighbourhood of the whole file",
        },
        Answer { value: Centring::None, label: "Not centred" },
    ],
    units: [
        Answer { value: Unit::TenPoints, label: "Per 10 points (Hood et al. 2021)" },
        Answer { value: Unit::Sd, label: "Per standard deviation (Webb et al. 2020)" },
        Answer { value: Unit::OnePoint, label: "Per 1 point" },
    ],
    uses: [
        Answer { value: Use::Omit, label: "Leave out" },
        Answer { value: Use::Main, label: "Main effect only" },
        Answer { value: Use::Interaction, label: "Main effect and its effect on the social gradient" },
    ],
    stages: [
        StageAnswer::new(Stage::Glm, "the model without random effects"),
        StageAnswer::new(Stage::Laplace, "the random effects (Laplace approximation)"),
        StageAnswer::new(Stage::Quadrature, "the random effects (quadrature)"),
        StageAnswer::new(Stage::Newton, "the final Newton steps"),
        StageAnswer::new(Stage::Start, "the starting values (curvature at the start)"),
        StageAnswer::new(Stage::Curvature, "the standard errors (curvature at the estimates)"),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::guided::ModelChoices;
    use std::collections::BTreeSet;

    /// Every variant of an enum is offered once: the variants are counted through an
    /// exhaustive match, so a new variant fails to compile here until it is offered.
    fn offered_once<T: Copy + Ord + std::fmt::Debug>(offered: &[T], all: &[T]) {
        let set: BTreeSet<T> = offered.iter().copied().collect();
        assert_eq!(set.len(), offered.len(), "{offered:?} offers a value twice");
        assert_eq!(set, all.iter().copied().collect(), "{offered:?}");
    }

    #[test]
    fn every_value_is_offered_once() {
        let family = |f: Family| match f {
            Family::Poisson => 0,
            Family::Nbinom2 => 1,
            Family::Nbinom1 => 2,
            Family::Binomial(_) => 3,
        };
        offered_once(&FAMILIES.map(|a| family(a.value)), &[0, 1, 2, 3]);
        let centring = |c: Centring| match c {
            Centring::WithinLa => 0,
            Centring::Overall => 1,
            Centring::None => 2,
        };
        offered_once(&FORM_ANSWERS.centring.map(|a| centring(a.value)), &[0, 1, 2]);
        let unit = |u: Unit| match u {
            Unit::TenPoints => 0,
            Unit::OnePoint => 1,
            Unit::Sd => 2,
        };
        offered_once(&FORM_ANSWERS.units.map(|a| unit(a.value)), &[0, 1, 2]);
        let used = |u: Use| match u {
            Use::Omit => 0,
            Use::Main => 1,
            Use::Interaction => 2,
        };
        offered_once(&FORM_ANSWERS.uses.map(|a| used(a.value)), &[0, 1, 2]);
        let stage = |s: Stage| match s {
            Stage::Glm => 0,
            Stage::Laplace => 1,
            Stage::Quadrature => 2,
            Stage::Newton => 3,
            Stage::Start => 4,
            Stage::Curvature => 5,
        };
        offered_once(&FORM_ANSWERS.stages.map(|a| stage(a.value)), &[0, 1, 2, 3, 4, 5]);
    }

    /// The values are written as the model choices read them.
    #[test]
    fn values_are_serialised_as_the_choices_read_them() {
        let json = serde_json::to_value(FORM_ANSWERS).unwrap();
        let values = |key: &str| -> Vec<String> {
            json[key].as_array().unwrap().iter().map(|a| a["value"].as_str().unwrap().to_owned()).collect()
        };
        assert_eq!(values("families"), ["poisson", "nbinom2", "nbinom1", "binomial"]);
        assert_eq!(values("centring"), ["within_la", "overall", "none"]);
        assert_eq!(values("units"), ["ten_points", "sd", "one_point"]);
        assert_eq!(values("uses"), ["omit", "main", "interaction"]);
        assert_eq!(values("stages"), ["glm", "laplace", "quadrature", "newton", "start", "curvature"]);
        let one_off: Vec<bool> =
            json["stages"].as_array().unwrap().iter().map(|a| a["one_off"].as_bool().unwrap()).collect();
        assert_eq!(one_off, [false, false, false, false, true, true]);
        let choices = serde_json::to_value(ModelChoices::WEBB_2020).unwrap();
        for (key, value) in
            [("family", "nbinom1"), ("centring", "within_la"), ("unit", "sd"), ("gini", "interaction")]
        {
            assert_eq!(choices[key], value);
        }
        let roles: Vec<&str> =
            json["roles"].as_array().unwrap().iter().map(|r| r["key"].as_str().unwrap()).collect();
        assert_eq!(roles[..3], ["count", "population", "deprivation"]);
    }
}
