//! What each column of a user's file holds: the roles a model needs (count, child population,
//! neighbourhood deprivation, LA, MSOA, LA-level deprivation, Gini, rural), guessed from the
//! column names first and checked against the contents.

use super::derive::constant_within_groups;
use crate::data::{Column, DataFrame};
use serde::{Deserialize, Serialize};

/// The column chosen for each role (`None`: not in the file, or not chosen).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roles {
    /// Counts of children or episodes per neighbourhood (the response).
    #[serde(default)]
    pub count: Option<String>,
    /// Child population of the neighbourhood (the denominator of the rate).
    #[serde(default)]
    pub population: Option<String>,
    /// Neighbourhood deprivation (IMD score, share of income-deprived families).
    #[serde(default)]
    pub deprivation: Option<String>,
    /// Local authority of the neighbourhood.
    #[serde(default)]
    pub la: Option<String>,
    /// MSOA of the neighbourhood (nested in the LA).
    #[serde(default)]
    pub msoa: Option<String>,
    /// LA-level deprivation (one value per LA).
    #[serde(default)]
    pub la_deprivation: Option<String>,
    /// LA Gini coefficient of income inequality.
    #[serde(default)]
    pub gini: Option<String>,
    /// Rural neighbourhood (0/1, or two labels).
    #[serde(default)]
    pub rural: Option<String>,
}

/// One role as the column-mapping form asks for it: its key in [`Roles`], its label and hint,
/// and whether a model needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RoleEntry {
    pub key: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub required: bool,
}

/// Every role of [`Roles`], in the order the form shows them.
pub const ROLE_ENTRIES: [RoleEntry; 8] = [
    RoleEntry {
        key: "count",
        label: "Count (the outcome)",
        hint: "Referrals, children on a plan or looked after, in each neighbourhood: whole numbers of 0 or more. \
               For proportions (binomial), the successes, such as re-referrals.",
        required: true,
    },
    RoleEntry {
        key: "population",
        label: "Child population",
        hint: "Children living in the neighbourhood: rates are per 10,000 of them. For proportions (binomial), \
               the totals the successes are out of, such as referrals.",
        required: true,
    },
    RoleEntry {
        key: "deprivation",
        label: "Neighbourhood deprivation",
        hint: "For example the IMD score or the % of families in income deprivation; higher means more deprived.",
        required: true,
    },
    RoleEntry {
        key: "la",
        label: "Local authority (LA)",
        hint: "Code or name of the LA the neighbourhood belongs to.",
        required: false,
    },
    RoleEntry {
        key: "msoa",
        label: "MSOA",
        hint: "The middle-layer area the neighbourhood belongs to (nested in its LA).",
        required: false,
    },
    RoleEntry {
        key: "la_deprivation",
        label: "LA-level deprivation",
        hint: "One value per LA. Without such a column, derive it as the population-weighted mean of \
               neighbourhood deprivation in each LA.",
        required: false,
    },
    RoleEntry {
        key: "gini",
        label: "LA Gini coefficient",
        hint: "Income inequality in the LA (one value per LA).",
        required: false,
    },
    RoleEntry { key: "rural", label: "Rural neighbourhood", hint: "0/1, or two labels such as urban and rural.", required: false },
];

/// Lower-case words of a column name: `LA IMD score` -> `la`, `imd`, `score`.
fn words(name: &str) -> Vec<String> {
    name.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

fn has_word(words: &[String], any: &[&str]) -> bool {
    words.iter().any(|w| any.contains(&w.as_str()))
}

fn has_prefix(words: &[String], any: &[&str]) -> bool {
    words.iter().any(|w| any.iter().any(|p| w.starts_with(p)))
}

const LA_WORDS: [&str; 7] = ["la", "lad", "lacode", "laname", "authority", "council", "lea"];
const DEPRIVATION_PREFIXES: [&str; 5] = ["imd", "dep", "income", "idaci", "depriv"];
const COUNT_WORDS: [&str; 17] = [
    "count",
    "counts",
    "n",
    "y",
    "cases",
    "events",
    "episodes",
    "referrals",
    "referral",
    "cla",
    "cpp",
    "cin",
    "plans",
    "looked",
    "assessments",
    "s47",
    "outcome",
];
const POPULATION_PREFIXES: [&str; 5] = ["pop", "children", "child", "exposure", "denominator"];

struct Candidate<'a> {
    name: &'a str,
    words: Vec<String>,
    column: &'a Column,
}

impl Candidate<'_> {
    fn numbers(&self) -> Option<&[f64]> {
        match self.column {
            Column::Numeric(v) => Some(v),
            Column::Text(_) => None,
        }
    }

    fn whole_non_negative(&self) -> bool {
        self.numbers().is_some_and(|v| {
            let mut any = false;
            for &x in v.iter().filter(|x| !x.is_nan()) {
                if x < 0.0 || x.fract() != 0.0 {
                    return false;
                }
                any = true;
            }
            any
        })
    }

    fn distinct(&self) -> usize {
        match self.column {
            Column::Text(t) => t.labels().len(),
            Column::Numeric(v) => {
                let mut seen: Vec<u64> = v.iter().filter(|x| !x.is_nan()).map(|x| x.to_bits()).collect();
                seen.sort_unstable();
                seen.dedup();
                seen.len()
            }
        }
    }

    fn mean(&self) -> f64 {
        self.numbers().map_or(f64::NAN, |v| {
            let (n, s) = v.iter().filter(|x| !x.is_nan()).fold((0usize, 0.0), |(n, s), x| (n + 1, s + x));
            if n > 0 {
                s / n as f64
            } else {
                f64::NAN
            }
        })
    }

    /// A grouping column: text, or whole numbers, with fewer distinct values than rows.
    fn groups(&self, nrows: usize) -> bool {
        let labels = matches!(self.column, Column::Text(_)) || self.whole_non_negative();
        let d = self.distinct();
        labels && d >= 1 && (d < nrows || nrows == 1)
    }
}

/// Guesses a role for every column it can. Names decide first (`la`, `msoa`, `gini`, `rural`,
/// `imd` / `dep` / `income`, `count` / `referrals` / `cla`, `pop` / `children`); contents confirm
/// (a grouping column has fewer distinct values than rows, LA-level deprivation is constant
/// within each LA, counts are whole numbers of 0 or more). Where names are silent, the two
/// columns of whole numbers with the smallest and largest mean become count and population.
pub fn guess_roles(df: &DataFrame) -> Roles {
    let nrows = df.nrows();
    let mut free: Vec<Candidate> =
        df.columns().map(|(name, column)| Candidate { name, words: words(name), column }).collect();
    let mut take = |test: &dyn Fn(&Candidate) -> bool| -> Option<String> {
        let i = free.iter().position(test)?;
        Some(free.remove(i).name.to_owned())
    };
    let mut roles =
        Roles { msoa: take(&|c| has_prefix(&c.words, &["msoa"]) && c.groups(nrows)), ..Roles::default() };
    roles.la = take(&|c| {
        (has_word(&c.words, &LA_WORDS) || has_prefix(&c.words, &["lad1", "lad2", "local"]))
            && !has_prefix(&c.words, &DEPRIVATION_PREFIXES)
            && c.groups(nrows)
    });
    roles.gini = take(&|c| has_prefix(&c.words, &["gini"]) && c.numbers().is_some());
    roles.rural = take(&|c| has_prefix(&c.words, &["rural", "urban", "ruc"]) && c.distinct() == 2);
    let la = roles.la.clone();
    let la_level = |c: &Candidate| match &la {
        Some(la) => constant_within_groups(df, c.name, la).unwrap_or(false),
        None => has_word(&c.words, &LA_WORDS),
    };
    roles.la_deprivation = take(&|c| {
        c.numbers().is_some()
            && has_prefix(&c.words, &DEPRIVATION_PREFIXES)
            && (has_word(&c.words, &LA_WORDS) || la.is_some())
            && la_level(c)
    });
    roles.deprivation =
        take(&|c| c.numbers().is_some() && has_prefix(&c.words, &DEPRIVATION_PREFIXES) && !la_level(c));
    roles.population = take(&|c| c.numbers().is_some() && has_prefix(&c.words, &POPULATION_PREFIXES));
    roles.count = take(&|c| c.whole_non_negative() && has_word(&c.words, &COUNT_WORDS));
    if roles.count.is_none() || roles.population.is_none() {
        let mut whole: Vec<(f64, String)> = free
            .iter()
            .filter(|c| c.whole_non_negative() && !c.groups(nrows))
            .map(|c| (c.mean(), c.name.to_owned()))
            .collect();
        whole.sort_by(|a, b| a.0.total_cmp(&b.0));
        if roles.count.is_none() {
            roles.count = whole.first().map(|w| w.1.clone());
            whole.retain(|w| Some(&w.1) != roles.count.as_ref());
        }
        if roles.population.is_none() {
            roles.population = whole.last().map(|w| w.1.clone());
        }
    }
    roles
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::read_csv;

    /// The form lists every field of `Roles`, once, by its serialised name.
    #[test]
    fn the_form_lists_every_role_once() {
        let fields = serde_json::to_value(Roles::default()).unwrap();
        let mut keys: Vec<&str> = fields.as_object().unwrap().keys().map(String::as_str).collect();
        let mut listed: Vec<&str> = ROLE_ENTRIES.iter().map(|r| r.key).collect();
        keys.sort_unstable();
        listed.sort_unstable();
        assert_eq!(listed, keys);
        assert_eq!(ROLE_ENTRIES.iter().filter(|r| r.required).count(), 3);
    }

    #[test]
    fn names_from_the_studies_are_recognised() {
        let csv = "lsoa,LA code,msoa,children,IMD score,la_imd,Gini,rural,cla\n\
                   a,E1,m1,300,10.5,12.25,0.38,0,2\n\
                   b,E1,m1,280,14.0,12.25,0.38,1,3\n\
                   c,E2,m2,310,30.1,25.5,0.40,0,9\n\
                   d,E2,m3,290,20.9,25.5,0.40,1,4\n";
        let roles = guess_roles(&read_csv(csv.as_bytes()).unwrap());
        assert_eq!(roles.la.as_deref(), Some("LA code"));
        assert_eq!(roles.msoa.as_deref(), Some("msoa"));
        assert_eq!(roles.deprivation.as_deref(), Some("IMD score"));
        assert_eq!(roles.la_deprivation.as_deref(), Some("la_imd"));
        assert_eq!(roles.gini.as_deref(), Some("Gini"));
        assert_eq!(roles.rural.as_deref(), Some("rural"));
        assert_eq!(roles.population.as_deref(), Some("children"));
        assert_eq!(roles.count.as_deref(), Some("cla"));
    }

    #[test]
    fn an_la_column_that_varies_within_las_is_neighbourhood_deprivation() {
        let csv = "la,la_dep,pop,k\nA,10,100,1\nA,20,120,2\nB,30,90,3\nB,35,80,0\n";
        let roles = guess_roles(&read_csv(csv.as_bytes()).unwrap());
        assert_eq!(roles.la_deprivation, None);
        assert_eq!(roles.deprivation.as_deref(), Some("la_dep"));
        // Names say nothing about `k`: the whole-number column with the smaller mean is the count.
        assert_eq!(roles.count.as_deref(), Some("k"));
        assert_eq!(roles.population.as_deref(), Some("pop"));
    }

    #[test]
    fn contents_decide_when_names_are_silent() {
        let csv = "area,x1,x2,x3\nA,0.5,12,400\nA,0.7,30,380\nB,0.2,5,500\n";
        let roles = guess_roles(&read_csv(csv.as_bytes()).unwrap());
        assert_eq!(roles.count.as_deref(), Some("x2"));
        assert_eq!(roles.population.as_deref(), Some("x3"));
        assert_eq!(roles.deprivation, None);
        assert_eq!(roles.la, None);
    }
}
