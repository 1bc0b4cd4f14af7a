//! The edit distance behind every "did you mean" suggestion (LA names, measures, columns of a
//! formula): Levenshtein's distance by characters, the fewest single-character insertions,
//! deletions and substitutions that turn one text into the other. Written here rather than
//! taken from a crate because the calculator's first download carries it.

/// The Levenshtein distance between `a` and `b`, by characters.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != *cb)).min(above + 1).min(row[j] + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_single_character_edits() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("same", "same"), 0);
        assert_eq!(levenshtein("cin", "cin"), 0);
        assert_eq!(levenshtein("rhondda cynon taf", "rhondda cynon tâf"), 1);
    }
}
