//! The random-effect structure of a design as the fit sees it: its grouping factors, the design
//! terms stacked on each, and how the factors relate (nested or crossed).
//!
//! A grouping factor `g` with terms `(z_1 | g)`, `(z_2 | g)`, ... has one random-effect vector
//! per level, the terms' columns stacked (`Sigma` is block diagonal over the terms). Factor `a`
//! is nested in factor `b` when every level of `a` that has rows lies inside a single level of
//! `b` (each MSOA in one LA); two factors neither of which is nested in the other are crossed.
//! The description holds any number of factors in any relation; which structures a likelihood
//! implements is that likelihood's check (the Laplace approximation of
//! [`super::likelihood::laplace`] takes one factor, or two with one nested in the other).

use super::FitError;
use crate::design::Design;
use serde::Serialize;

/// One grouping factor and the random-effect terms on it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GroupingFactor {
    /// The factor as R prints it (`la`, `la:msoa`).
    pub name: String,
    /// Positions in [`Design::random`] of the terms on this factor, in the order their columns
    /// are stacked.
    pub terms: Vec<usize>,
    /// Random-effect columns per level: the terms' columns together.
    pub columns: usize,
    /// Levels of the factor, with or without rows.
    pub levels: usize,
    /// Positions in [`RandomStructure::factors`] of the factors this one is nested in.
    pub nested_in: Vec<usize>,
}

/// Every grouping factor of a design, in the order its random terms first name them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RandomStructure {
    pub factors: Vec<GroupingFactor>,
}

impl RandomStructure {
    /// The structure of `design`'s random terms. Terms on the same factor must agree on the
    /// level of every row.
    pub fn of(design: &Design) -> Result<RandomStructure, FitError> {
        let mut factors: Vec<GroupingFactor> = Vec::new();
        for (k, term) in design.random.iter().enumerate() {
            // A spatial field's levels are its locations: it is a factor of its own.
            let shares = |f: &GroupingFactor| {
                f.name == term.group && term.field.is_none() && design.random[f.terms[0]].field.is_none()
            };
            match factors.iter_mut().find(|f| shares(f)) {
                Some(f) => {
                    let first = &design.random[f.terms[0]];
                    if first.index != term.index || first.levels.len() != term.levels.len() {
                        return Err(FitError::InvalidRandomTerm {
                            group: term.group.clone(),
                            message: "two terms on this factor disagree on the level of some rows".into(),
                        });
                    }
                    f.columns += term.terms.len();
                    f.terms.push(k);
                }
                None => factors.push(GroupingFactor {
                    name: term.group.clone(),
                    terms: vec![k],
                    columns: term.terms.len(),
                    levels: term.levels.len(),
                    nested_in: Vec::new(),
                }),
            }
        }
        let index = |f: &GroupingFactor| &design.random[f.terms[0]].index;
        for a in 0..factors.len() {
            let nested_in: Vec<usize> = (0..factors.len())
                .filter(|&b| b != a && nested(index(&factors[a]), factors[a].levels, index(&factors[b])))
                .collect();
            factors[a].nested_in = nested_in;
        }
        Ok(RandomStructure { factors })
    }

    /// Whether the design has no random effects.
    pub fn is_empty(&self) -> bool {
        self.factors.is_empty()
    }

    /// Whether factor `inner` is nested in factor `outer`.
    pub fn is_nested(&self, inner: usize, outer: usize) -> bool {
        self.factors[inner].nested_in.contains(&outer)
    }

    /// The level of every row on factor `f` of `design`.
    pub fn rows_levels<'d>(&self, design: &'d Design, f: usize) -> &'d [usize] {
        &design.random[self.factors[f].terms[0]].index
    }
}

/// Whether every level of `inner` (with rows) lies inside a single level of `outer`.
fn nested(inner: &[usize], inner_levels: usize, outer: &[usize]) -> bool {
    let mut parent = vec![usize::MAX; inner_levels];
    for (&i, &o) in inner.iter().zip(outer) {
        if parent[i] == usize::MAX {
            parent[i] = o;
        } else if parent[i] != o {
            return false;
        }
    }
    true
}

/// The random terms of `design` as a formula writes them: `(1 + x | la) + (1 | la:msoa)`.
pub fn describe(design: &Design) -> String {
    if design.random.is_empty() {
        return "no random effects".into();
    }
    design
        .random
        .iter()
        .map(|r| format!("({} | {})", r.terms.join(" + "), r.group))
        .collect::<Vec<_>>()
        .join(" + ")
}
