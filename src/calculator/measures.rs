//! Looking up Hood et al. 2021 measures by name, with suggestions for near misses.

use super::CalcError;
use crate::tables::hood2021::{
    ComparativeGroup, ComparativeTable, GradientRow, GradientTable, COMPARATIVE_TABLES, GRADIENT_TABLES,
};

/// A measure of Hood et al. 2021: a row of Tables 2-8 or a comparison of Tables 9, 12, 13.
#[derive(Debug, Clone, Copy)]
pub(crate) enum HoodMeasure {
    Gradient { table: &'static GradientTable, row: &'static GradientRow },
    Comparative { table: &'static ComparativeTable, group: &'static ComparativeGroup },
}

impl HoodMeasure {
    pub(crate) fn name(&self) -> &'static str {
        match self {
            HoodMeasure::Gradient { row, .. } => row.measure,
            HoodMeasure::Comparative { group, .. } => group.measure,
        }
    }

    pub(crate) fn table(&self) -> &'static str {
        match self {
            HoodMeasure::Gradient { table, .. } => table.table,
            HoodMeasure::Comparative { table, .. } => table.table,
        }
    }
}

/// Every measure, in table order.
pub(crate) fn all() -> impl Iterator<Item = HoodMeasure> {
    let gradients = GRADIENT_TABLES
        .iter()
        .flat_map(|&table| table.rows.iter().map(move |row| HoodMeasure::Gradient { table, row }));
    let comparatives = COMPARATIVE_TABLES
        .iter()
        .flat_map(|&table| table.groups.iter().map(move |group| HoodMeasure::Comparative { table, group }));
    gradients.chain(comparatives)
}

/// Lower-case, with spaces and hyphens as underscores, so "CP plan" finds `cp_plan`.
pub(crate) fn normalise(name: &str) -> String {
    name.trim().chars().map(|c| if c == ' ' || c == '-' { '_' } else { c.to_ascii_lowercase() }).collect()
}

/// The measure called `name`, or an error listing close names.
pub(crate) fn find(name: &str) -> Result<HoodMeasure, CalcError> {
    let wanted = normalise(name);
    all().find(|m| m.name() == wanted).ok_or_else(|| CalcError::UnknownMeasure {
        measure: name.to_string(),
        suggestions: suggestions(&wanted, all().map(|m| m.name())),
    })
}

/// Up to five names close to `wanted`: within a small edit distance, or containing it (or
/// contained in it), closest first.
pub(crate) fn suggestions<'a>(wanted: &str, names: impl Iterator<Item = &'a str>) -> Vec<String> {
    if wanted.is_empty() {
        return Vec::new();
    }
    let limit = (wanted.chars().count() / 3).max(2);
    let mut close: Vec<(usize, &str)> = names
        .filter_map(|name| {
            let d = strsim::levenshtein(wanted, name);
            let related = name.contains(wanted) || (wanted.contains(name) && name.len() >= 3);
            (d <= limit || related).then_some((d, name))
        })
        .collect();
    close.sort();
    close.into_iter().take(5).map(|(_, name)| name.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_measures_by_normalised_name() {
        assert_eq!(find("cp_plan").unwrap().name(), "cp_plan");
        assert_eq!(find(" CP plan ").unwrap().name(), "cp_plan");
        assert_eq!(find("Self-harm").unwrap().name(), "self_harm");
        assert_eq!(find("prior_cpp_ever").unwrap().table(), "Table 9");
        assert_eq!(find("other_factor").unwrap().table(), "Table 6");
    }

    #[test]
    fn every_measure_name_is_unique() {
        let names: Vec<&str> = all().map(|m| m.name()).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), names.len());
        assert_eq!(names.len(), 62);
    }

    #[test]
    fn unknown_measures_get_close_names() {
        let Err(CalcError::UnknownMeasure { suggestions, .. }) = find("cp_plann") else {
            panic!("expected an unknown-measure error")
        };
        assert_eq!(suggestions.first().map(String::as_str), Some("cp_plan"));
        let Err(CalcError::UnknownMeasure { suggestions, .. }) = find("other") else {
            panic!("expected an unknown-measure error")
        };
        for name in ["other_ethnicity", "other_factor", "other_source"] {
            assert!(suggestions.iter().any(|s| s == name), "{suggestions:?}");
        }
        let Err(CalcError::UnknownMeasure { suggestions, .. }) = find("zzzzzzzzzzzz") else {
            panic!("expected an unknown-measure error")
        };
        assert!(suggestions.is_empty());
    }
}
