//! Finding an LA by what a person types: its code (`E06000009`), its name in any case, with
//! "&" for "and", with or without punctuation, and in everyday word order ("City of Bristol",
//! "Hull" for "Kingston upon Hull, City of"); names and codes of authorities since 2019
//! ("Cumberland", "BCP": [`super::aliases`]); and, in the picker's list, names a typo or two away
//! ("Birmingam").

use std::fmt;

use serde::Serialize;

use super::aliases::{Alias, Change, ALIASES};
use super::{places, Place};

/// Why a place could not be found.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PlaceError {
    /// No LA has this code or name; `suggestions` are the closest names.
    UnknownLa { query: String, suggestions: Vec<String> },
    /// The text matches several LAs equally well.
    AmbiguousLa { query: String, matches: Vec<String> },
}

impl fmt::Display for PlaceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlaceError::UnknownLa { query, suggestions } => {
                write!(f, "no English upper-tier local authority is called or coded '{query}'")?;
                if suggestions.is_empty() {
                    write!(f, "; `socgrad las` lists all 151")
                } else {
                    write!(f, "; did you mean {}?", suggestions.join(", "))
                }
            }
            PlaceError::AmbiguousLa { query, matches } => {
                write!(f, "'{query}' matches several local authorities: {}", matches.join(", "))
            }
        }
    }
}

impl std::error::Error for PlaceError {}

/// Lower case, "&" as "and", punctuation and hyphens as spaces, the words of an "X, City of"
/// style name reordered ("city of x"), single spaces.
pub fn normalise_name(text: &str) -> String {
    let lowered = text.trim().to_lowercase().replace('&', " and ");
    let (head, tail) = match lowered.split_once(',') {
        Some((head, tail)) => (tail.to_string(), head.to_string()),
        None => (String::new(), lowered),
    };
    let joined = format!("{head} {tail}");
    joined.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// The name without its "city of" / "county of" prefix, for matching "Bristol" or "Hull".
fn core_words(normalised: &str) -> &str {
    for prefix in ["city of ", "county of "] {
        if let Some(rest) = normalised.strip_prefix(prefix) {
            return rest;
        }
    }
    normalised
}

/// A place found for what a person typed, and the alias that led to it, if any.
#[derive(Debug, Clone, Copy)]
pub struct Found {
    pub place: &'static Place,
    pub alias: Option<&'static Alias>,
}

/// The aliases a name search looks at (an old code's name is the 2019 authority's own).
fn named_aliases() -> impl Iterator<Item = &'static Alias> {
    ALIASES.iter().filter(|a| a.change != Change::OldCode)
}

fn place_of(alias: &Alias) -> Option<&'static Place> {
    places().iter().find(|p| p.la.la_code == alias.la_code)
}

/// The most single-character edits (insert, delete, change, swap) forgiven in a word of `len`
/// characters: none below 4, one up to 7, two from 8.
fn typo_allowance(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Edits between `q` and `name`, or between `q` and as much of `name`'s start as `q` is long
/// (someone still typing), whichever is fewer (optimal string alignment distance).
fn typo_distance(q: &str, name: &str) -> usize {
    let head: String = name.chars().take(q.chars().count()).collect();
    strsim::osa_distance(q, name).min(if head.chars().count() >= 4 {
        strsim::osa_distance(q, &head)
    } else {
        usize::MAX
    })
}

/// Finds the LA a person means, as [`find_la`] does, and says whether an alias led there: an exact
/// 2019 code or an alias's code; an exact name; an alias's exact name ("Cumberland", "BCP"); a
/// name whose start or words start with the text. Several equally good matches are ambiguous;
/// none gives the three closest names, allowing for typos, as suggestions.
pub fn resolve_la(query: &str) -> Result<Found, PlaceError> {
    let all = places();
    let code = query.trim().to_uppercase();
    if let Some(p) = all.iter().find(|p| p.la.la_code == code) {
        return Ok(Found { place: p, alias: None });
    }
    if let Some(a) = ALIASES.iter().find(|a| a.code == Some(code.as_str())) {
        if let Some(p) = place_of(a) {
            return Ok(Found { place: p, alias: Some(a) });
        }
    }
    let q = normalise_name(query);
    if q.is_empty() {
        return Err(PlaceError::UnknownLa { query: query.to_string(), suggestions: Vec::new() });
    }
    let names: Vec<String> = all.iter().map(|p| normalise_name(&p.la.la_name)).collect();
    let exact: Vec<usize> =
        (0..all.len()).filter(|&i| names[i] == q || core_words(&names[i]) == core_words(&q)).collect();
    if exact.len() == 1 {
        return Ok(Found { place: &all[exact[0]], alias: None });
    }
    if let Some(a) = named_aliases().find(|a| normalise_name(a.name) == q) {
        if let Some(p) = place_of(a) {
            return Ok(Found { place: p, alias: Some(a) });
        }
    }
    let q_words: Vec<&str> = q.split(' ').collect();
    let word_match = |name: &str| {
        let words: Vec<&str> = name.split(' ').collect();
        (0..words.len()).any(|start| {
            words.len() - start >= q_words.len()
                && q_words.iter().zip(&words[start..]).all(|(qw, w)| w.starts_with(qw))
        })
    };
    let starts: Vec<usize> = (0..all.len()).filter(|&i| core_words(&names[i]).starts_with(&q)).collect();
    let words: Vec<usize> = (0..all.len()).filter(|&i| word_match(&names[i])).collect();
    for candidates in [starts, words] {
        match candidates.len() {
            0 => continue,
            1 => return Ok(Found { place: &all[candidates[0]], alias: None }),
            _ => {
                return Err(PlaceError::AmbiguousLa {
                    query: query.to_string(),
                    matches: candidates.iter().map(|&i| all[i].la.la_name.clone()).collect(),
                })
            }
        }
    }
    let mut ranked: Vec<(usize, usize)> =
        (0..all.len()).map(|i| (strsim::osa_distance(&q, core_words(&names[i])), i)).collect();
    ranked.sort();
    Err(PlaceError::UnknownLa {
        query: query.to_string(),
        suggestions: ranked.iter().take(3).map(|&(_, i)| all[i].la.la_name.clone()).collect(),
    })
}

/// Finds the LA a person means (see [`resolve_la`]).
pub fn find_la(query: &str) -> Result<&'static Place, PlaceError> {
    resolve_la(query).map(|f| f.place)
}

/// How a search result matched what was typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// The code, or the start of the name.
    Start,
    /// The start of a word inside the name ("hull", "tyne").
    Word,
    /// A name or code people use for a place the 2019 authority held.
    Alias,
    /// Somewhere inside the name.
    Inside,
    /// Close to the name, allowing a typo or two.
    Typo,
}

/// One entry of the LA picker's list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    pub la_code: String,
    pub la_name: String,
    pub display_name: String,
    pub matched: MatchKind,
    /// The alias that led here: its name, code (if any) and note.
    pub alias_name: Option<String>,
    pub alias_code: Option<String>,
    pub alias_note: Option<String>,
}

/// Up to `limit` LAs for what a person has typed so far, best first: codes and name starts, then
/// word starts, then aliases (with the note that says where they lead), then names containing the
/// text, then names one or two typos away.
pub fn search_las(query: &str, limit: usize) -> Vec<SearchHit> {
    let q = normalise_name(query);
    if q.is_empty() {
        return Vec::new();
    }
    let code = query.trim().to_uppercase();
    let looks_like_code =
        code.len() >= 2 && code.starts_with('E') && code[1..].chars().all(|c| c.is_ascii_digit());
    let allowance = typo_allowance(q.chars().count());
    // (kind, distance, name, place, alias)
    let mut hits: Vec<(MatchKind, usize, String, &'static Place, Option<&'static Alias>)> = Vec::new();
    for p in places() {
        let key = normalise_name(&p.la.la_name);
        let core = core_words(&key);
        let kind = if looks_like_code && p.la.la_code.starts_with(&code) {
            Some((MatchKind::Start, 0))
        } else if core.starts_with(&q) || key.starts_with(&q) {
            Some((MatchKind::Start, 0))
        } else if format!(" {key}").contains(&format!(" {q}")) {
            Some((MatchKind::Word, 0))
        } else if key.contains(&q) {
            Some((MatchKind::Inside, 0))
        } else {
            let d = typo_distance(&q, core).min(typo_distance(&q, &key));
            (allowance > 0 && d <= allowance).then_some((MatchKind::Typo, d))
        };
        if let Some((kind, d)) = kind {
            hits.push((kind, d, p.la.la_name.clone(), p, None));
        }
    }
    for a in &ALIASES {
        let Some(p) = place_of(a) else { continue };
        let by_code = looks_like_code && a.code.is_some_and(|c| c.starts_with(&code));
        let key = normalise_name(a.name);
        let by_name = a.change != Change::OldCode
            && (key.starts_with(&q) || format!(" {key}").contains(&format!(" {q}")));
        let typo = a.change != Change::OldCode && allowance > 0 && typo_distance(&q, &key) <= allowance;
        if by_code || by_name || typo {
            let kind = if by_code || by_name { MatchKind::Alias } else { MatchKind::Typo };
            hits.push((kind, 0, a.name.to_string(), p, Some(a)));
        }
    }
    super::sort_small(&mut hits, |x, y| (x.0, x.1, &x.2) < (y.0, y.1, &y.2));
    hits.into_iter()
        .take(limit)
        .map(|(kind, _, _, p, alias)| SearchHit {
            la_code: p.la.la_code.clone(),
            la_name: p.la.la_name.clone(),
            display_name: p.la.display_name().to_string(),
            matched: kind,
            alias_name: alias.map(|a| a.name.to_string()),
            alias_code: alias.and_then(|a| a.code.map(str::to_string)),
            alias_note: alias.map(|a| a.note(p.la.display_name())),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_ampersands_punctuation_and_word_order() {
        assert_eq!(normalise_name("Kingston upon Hull, City of"), "city of kingston upon hull");
        assert_eq!(normalise_name("  BRIGHTON & hove "), "brighton and hove");
        assert_eq!(normalise_name("Stoke-on-Trent"), "stoke on trent");
    }

    #[test]
    fn post_2019_names_and_codes_lead_to_the_2019_authority() {
        for (query, code) in [
            ("Cumberland", "E10000006"),
            ("Westmorland and Furness", "E10000006"),
            ("North Northamptonshire", "E10000021"),
            ("west northamptonshire", "E10000021"),
            ("BCP", "E06000058"),
            ("E06000063", "E10000006"),
            ("e06000060", "E10000002"),
            ("Bournemouth", "E06000058"),
        ] {
            let found = resolve_la(query).unwrap_or_else(|e| panic!("{query}: {e}"));
            assert_eq!(found.place.la.la_code, code, "{query}");
            assert!(found.alias.is_some(), "{query}");
        }
        // 2019 names are themselves, with no alias.
        for query in ["Cumbria", "Dorset", "Somerset", "Northumberland"] {
            assert!(resolve_la(query).unwrap().alias.is_none(), "{query}");
        }
    }

    #[test]
    fn the_picker_forgives_typos_and_lists_aliases() {
        let first = |q: &str| search_las(q, 8).first().map(|h| h.la_name.clone());
        assert_eq!(first("Birmingam").as_deref(), Some("Birmingham"));
        assert_eq!(first("Mancester").as_deref(), Some("Manchester"));
        assert_eq!(first("Brstol").as_deref(), Some("Bristol, City of"));
        let cumb = search_las("Cumb", 8);
        assert_eq!(cumb[0].la_name, "Cumbria");
        let alias =
            cumb.iter().find(|h| h.alias_name.as_deref() == Some("Cumberland")).expect("Cumberland listed");
        assert_eq!(alias.la_code, "E10000006");
        assert!(alias.alias_note.as_ref().unwrap().contains("part of Cumbria"));
        assert_eq!(search_las("bcp", 8)[0].la_code, "E06000058");
        assert_eq!(search_las("E0600000", 8).len(), 8);
        assert!(search_las("zzzz", 8).is_empty());
        assert!(search_las("", 8).is_empty());
        // Short texts are never stretched to a typo.
        assert!(search_las("xyz", 8).is_empty());
    }

    #[test]
    fn unknown_names_suggest_the_closest() {
        let Err(PlaceError::UnknownLa { suggestions, .. }) = find_la("Birmingam") else { panic!() };
        assert_eq!(suggestions[0], "Birmingham");
    }
}
