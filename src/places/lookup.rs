//! Finding an LA by what a person types: its code (`E06000009`), its name in any case, with
//! "&" for "and", with or without punctuation, and in everyday word order ("City of Bristol",
//! "Hull" for "Kingston upon Hull, City of").

use std::fmt;

use crate::edit_distance::levenshtein;

use serde::Serialize;

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

/// Finds the LA a person means: an exact code, then an exact name, then a name whose words
/// start with the text's words in order ("kingston upon h" finds Kingston upon Hull; "hull"
/// finds it too, as a word inside the name). Several equally good matches are ambiguous; none
/// gives the three closest names by edit distance.
pub fn find_la(query: &str) -> Result<&'static Place, PlaceError> {
    let all = places();
    let code = query.trim().to_uppercase();
    if let Some(p) = all.iter().find(|p| p.la.la_code == code) {
        return Ok(p);
    }
    let q = normalise_name(query);
    if q.is_empty() {
        return Err(PlaceError::UnknownLa { query: query.to_string(), suggestions: Vec::new() });
    }
    let names: Vec<String> = all.iter().map(|p| normalise_name(&p.la.la_name)).collect();
    let exact: Vec<usize> =
        (0..all.len()).filter(|&i| names[i] == q || core_words(&names[i]) == core_words(&q)).collect();
    if exact.len() == 1 {
        return Ok(&all[exact[0]]);
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
            1 => return Ok(&all[candidates[0]]),
            _ => {
                return Err(PlaceError::AmbiguousLa {
                    query: query.to_string(),
                    matches: candidates.iter().map(|&i| all[i].la.la_name.clone()).collect(),
                })
            }
        }
    }
    let mut ranked: Vec<(usize, usize)> =
        (0..all.len()).map(|i| (levenshtein(&q, core_words(&names[i])), i)).collect();
    ranked.sort();
    Err(PlaceError::UnknownLa {
        query: query.to_string(),
        suggestions: ranked.iter().take(3).map(|&(_, i)| all[i].la.la_name.clone()).collect(),
    })
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
}
