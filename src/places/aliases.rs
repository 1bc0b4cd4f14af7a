//! Names and codes people use for places that are not one of the 151 April-2019 authorities:
//! authorities created or renamed since (Cumberland, North Northamptonshire, the new Buckinghamshire
//! Council), older codes, the authorities merged into Bournemouth, Christchurch and Poole, and its
//! everyday short name. Each leads to the 2019 authority that held the place, with a note saying so.
//!
//! Source: `data/SOURCES-csc.md`, "Mapping to the April-2019 codes" (the Department for Education's
//! children's social care releases as mapped to the 2019 codes; Open Government Licence v3.0),
//! and the `flag` column of `data/england_upper_tier_las.csv` for the 2019 creations.

/// Where the alias list comes from, for every place that shows an alias's note.
pub const SOURCE: &str = "data/SOURCES-csc.md, \"Mapping to the April-2019 codes\"";

/// How an alias relates to the 2019 authority it leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// The same area under a new code (a county council become a unitary council).
    SameArea,
    /// A part of the 2019 authority, which has since been split.
    SplitFrom,
    /// An authority merged, with others, into the 2019 one.
    MergedInto,
    /// The same authority's code before April 2013.
    OldCode,
    /// A short name people use for the 2019 authority.
    ShortName,
}

/// One alias: a name (and code, where it has one) leading to a 2019 authority.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Alias {
    pub name: &'static str,
    /// Its own code, where it has one (new unitary councils, pre-2019 authorities).
    pub code: Option<&'static str>,
    /// The April-2019 code of the authority that held it.
    pub la_code: &'static str,
    pub change: Change,
    /// When the change took effect ("1 April 2023").
    pub date: &'static str,
}

/// Every alias, from [`SOURCE`].
#[rustfmt::skip]
pub const ALIASES: [Alias; 14] = [
    Alias { name: "Buckinghamshire Council", code: Some("E06000060"), la_code: "E10000002", change: Change::SameArea, date: "1 April 2020" },
    Alias { name: "North Northamptonshire", code: Some("E06000061"), la_code: "E10000021", change: Change::SplitFrom, date: "1 April 2021" },
    Alias { name: "West Northamptonshire", code: Some("E06000062"), la_code: "E10000021", change: Change::SplitFrom, date: "1 April 2021" },
    Alias { name: "Cumberland", code: Some("E06000063"), la_code: "E10000006", change: Change::SplitFrom, date: "1 April 2023" },
    Alias { name: "Westmorland and Furness", code: Some("E06000064"), la_code: "E10000006", change: Change::SplitFrom, date: "1 April 2023" },
    Alias { name: "North Yorkshire Council", code: Some("E06000065"), la_code: "E10000023", change: Change::SameArea, date: "1 April 2023" },
    Alias { name: "Somerset Council", code: Some("E06000066"), la_code: "E10000027", change: Change::SameArea, date: "1 April 2023" },
    Alias { name: "Northumberland", code: Some("E06000048"), la_code: "E06000057", change: Change::OldCode, date: "1 April 2013" },
    Alias { name: "Gateshead", code: Some("E08000020"), la_code: "E08000037", change: Change::OldCode, date: "1 April 2013" },
    Alias { name: "Bournemouth", code: Some("E06000028"), la_code: "E06000058", change: Change::MergedInto, date: "1 April 2019" },
    Alias { name: "Poole", code: Some("E06000029"), la_code: "E06000058", change: Change::MergedInto, date: "1 April 2019" },
    Alias { name: "Christchurch", code: None, la_code: "E06000058", change: Change::MergedInto, date: "1 April 2019" },
    Alias { name: "Dorset County Council", code: Some("E10000009"), la_code: "E06000059", change: Change::SameArea, date: "1 April 2019" },
    Alias { name: "BCP", code: None, la_code: "E06000058", change: Change::ShortName, date: "" },
];

impl Alias {
    /// The note shown with the authority the alias leads to, `held_by` being its name.
    pub fn note(&self, held_by: &str) -> String {
        let name = self.name;
        let date = self.date;
        let why = "the studies and the figures here use the local authorities of April 2019";
        match self.change {
            Change::SameArea => format!(
                "{name} covers the same area as {held_by}, the authority of April 2019 (it took over on \
                 {date}); {why}."
            ),
            Change::SplitFrom => format!(
                "{name} was part of {held_by} until {held_by} was split on {date}; {why}, so this shows \
                 {held_by} as a whole."
            ),
            Change::MergedInto => format!(
                "{name} became part of {held_by} on {date}; {why}, so this shows {held_by} as a whole."
            ),
            Change::OldCode => {
                format!("{} is {held_by}'s code before {date}.", self.code.unwrap_or(name))
            }
            Change::ShortName => format!("{name} is the short name of {held_by}."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::places::places;

    #[test]
    fn every_alias_leads_to_one_of_the_151_and_codes_are_not_2019_codes() {
        let all = places();
        for a in &ALIASES {
            assert!(all.iter().any(|p| p.la.la_code == a.la_code), "{}", a.name);
            if let Some(code) = a.code {
                assert!(!all.iter().any(|p| p.la.la_code == code), "{code} is a 2019 code");
            }
        }
    }

    #[test]
    fn notes_name_both_places() {
        let cumberland = ALIASES.iter().find(|a| a.name == "Cumberland").unwrap();
        let note = cumberland.note("Cumbria");
        assert!(
            note.starts_with("Cumberland was part of Cumbria until Cumbria was split on 1 April 2023"),
            "{note}"
        );
    }
}
