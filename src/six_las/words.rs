//! Small helpers for the readings: lists and counts in words.

use crate::tables::hood2020::La;

/// "LA0", "LA0 and LA3", "LA0, LA1 and LA3".
pub fn list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [rest @ .., last] => {
            let head: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!("{} and {}", head.join(", "), last.as_ref())
        }
    }
}

/// The LAs' names as a list in words.
pub fn las(las: &[La]) -> String {
    list(&las.iter().map(|la| la.label()).collect::<Vec<_>>())
}

/// A count out of six in words: "all six", "five of the six", ..., "none of the six".
pub fn of_six(n: usize) -> String {
    match n {
        6 => "all six".to_string(),
        0 => "none of the six".to_string(),
        n => format!("{} of the six", number_word(n)),
    }
}

/// 0 to 10 as words; larger numbers as digits.
pub fn number_word(n: usize) -> String {
    const WORDS: [&str; 11] =
        ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
    WORDS.get(n).map_or_else(|| n.to_string(), |w| w.to_string())
}

/// A sentence's first letter in capitals.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// A printed percentage change: "+33%".
pub fn change(percent: f64) -> String {
    format!("{percent:+.0}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_counts() {
        assert_eq!(list::<&str>(&[]), "");
        assert_eq!(list(&["a"]), "a");
        assert_eq!(list(&["a", "b"]), "a and b");
        assert_eq!(list(&["a", "b", "c"]), "a, b and c");
        assert_eq!(las(&[La::La0, La::La5]), "LA0 and LA5");
        assert_eq!(of_six(6), "all six");
        assert_eq!(of_six(4), "four of the six");
        assert_eq!(capitalised("four of the six"), "Four of the six");
        assert_eq!(change(62.0), "+62%");
    }
}
