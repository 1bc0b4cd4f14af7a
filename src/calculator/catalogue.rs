//! The catalogue of embedded tables and the measures the calculator computes from them.

use serde::Serialize;

use super::hood::Neighbourhood;
use super::{hood, webb, Area, Density, GradientRequest, Outcome};
use crate::tables::hood2021 as h;
use crate::tables::webb2020 as w;

/// Every embedded table, in document order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Catalogue {
    pub tables: Vec<CatalogueTable>,
}

/// What the calculator does with a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TableRole {
    /// Its measures are computed by [`super::gradient`].
    Gradient,
    /// It supplies neighbourhood contexts (`area`, `density`) for some measures.
    Context,
    /// Embedded for reference and checks; not an input of [`super::gradient`].
    Reference,
}

/// One embedded table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CatalogueTable {
    /// "Webb et al. 2020" or "Hood et al. 2021".
    pub source: String,
    pub seed: String,
    /// Table number as printed ("Table 3"); Webb's two Tables 2 are told apart by content.
    pub table: String,
    pub title: String,
    pub role: TableRole,
    /// Measures computable from the table (empty for reference tables).
    pub measures: Vec<CatalogueMeasure>,
}

/// A measure and the request that computes it in the average context.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CatalogueMeasure {
    /// The name to pass as `outcome` (Webb) or `measure` (Hood).
    pub name: String,
    pub label: String,
    pub unit: String,
    /// Who and where the measure was studied, as the study states it.
    pub scope: String,
    pub request: GradientRequest,
}

fn table(
    source: &str,
    seed: &str,
    number: &str,
    title: &str,
    role: TableRole,
    measures: Vec<CatalogueMeasure>,
) -> CatalogueTable {
    CatalogueTable {
        source: source.to_string(),
        seed: seed.to_string(),
        table: number.to_string(),
        title: title.to_string(),
        role,
        measures,
    }
}

fn webb(number: &str, title: &str, role: TableRole, measures: Vec<CatalogueMeasure>) -> CatalogueTable {
    table(w::DOCUMENT, w::SEED, number, title, role, measures)
}

fn hood(number: &str, title: &str, role: TableRole, measures: Vec<CatalogueMeasure>) -> CatalogueTable {
    table(h::DOCUMENT, h::SEED, number, title, role, measures)
}

fn hood_measure(
    name: &str,
    label: String,
    unit: &str,
    area: Option<Area>,
    density: Option<Density>,
) -> CatalogueMeasure {
    CatalogueMeasure {
        name: name.to_string(),
        label,
        unit: unit.to_string(),
        scope: h::SCOPE.to_string(),
        request: GradientRequest::Hood2021 {
            measure: name.to_string(),
            la_dep: None,
            area,
            density,
            la: None,
        },
    }
}

/// An outcome of Table 3 and the LAs of its model (a test checks them against the table's
/// numbers of LAs).
fn webb_scope(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Cin => "Children in need in 13 local authorities (Webb et al. 2020, Table 3)",
        Outcome::Cpp => "Child protection plans in 18 local authorities (Webb et al. 2020, Table 3)",
        Outcome::Cla => "Children looked after in 18 local authorities (Webb et al. 2020, Table 3)",
    }
}

/// Measures of a Table 16 or 17 row: its Referrals, CIN and CPP columns, labelled as the
/// Table 2 rows they refine.
fn context_measures(nb: Neighbourhood) -> impl Iterator<Item = CatalogueMeasure> {
    let (area, density) = nb.request_fields();
    hood::CONTEXT_MEASURES.into_iter().zip(["Referral", "CIN", "CP Plan"]).map(move |(name, label)| {
        hood_measure(name, format!("{label} ({})", nb.words()), hood::UNIT, area, density)
    })
}

/// Every embedded table and its measures.
pub fn catalogue() -> Catalogue {
    use TableRole::{Context, Gradient, Reference};
    let mut tables = vec![
        webb("Table 1", "Summary statistics and ranges for variables", Reference, vec![]),
        webb(
            "Table 2 (deprivation by IMD score)",
            "Expected proportion of people in income and employment deprivation for standardised \
             changes in overall IMD Score",
            Reference,
            vec![],
        ),
        webb(
            "Table 2 (model fit)",
            "Relative Model Fit for determining model distribution family and multilevel random \
             intercepts",
            Reference,
            vec![],
        ),
        webb(
            "Table 3",
            "Multilevel Negative Binomial Models predicting Intervention rates per 10,000 \
             Children (standardised independent variables)",
            Gradient,
            Outcome::ALL
                .iter()
                .map(|&outcome| CatalogueMeasure {
                    name: outcome.key().to_string(),
                    label: outcome.label().to_string(),
                    unit: webb::UNIT.to_string(),
                    scope: webb_scope(outcome).to_string(),
                    request: GradientRequest::Webb2020 {
                        outcome,
                        la_imd: None,
                        la_imd_z: None,
                        gini: None,
                        gini_z: None,
                        la: None,
                    },
                })
                .collect(),
        ),
        webb(
            "Table 4",
            "How increases in intervention associated with one standard deviation changes in \
             neighbourhood deprivation (the social gradient) change in different LA contexts",
            Reference,
            vec![],
        ),
    ];
    for appendix in [&w::TABLE_A1_CIN, &w::TABLE_A2_CPP, &w::TABLE_A3_CLA] {
        tables.push(webb(
            appendix.table,
            &format!("Multilevel Negative Binomial Models 1-5: {}", appendix.outcome.label()),
            Reference,
            vec![],
        ));
    }
    for t in h::GRADIENT_TABLES {
        let measures = t
            .rows
            .iter()
            .map(|row| hood_measure(row.measure, row.label.to_string(), hood::UNIT, None, None))
            .collect();
        tables.push(hood(t.table, t.title, Gradient, measures));
    }
    let comparative = |t: &h::ComparativeTable| {
        let measures = t
            .groups
            .iter()
            .map(|g| hood_measure(g.measure, g.label.to_string(), hood::COMPARATIVE_UNIT, None, None))
            .collect();
        hood(t.table, t.title, Gradient, measures)
    };
    let grid = |g: &h::DeprivationGrid| hood(g.table, g.title, Reference, vec![]);
    tables.push(comparative(&h::TABLE9_REPEAT_EPISODES));
    tables.push(grid(&h::TABLE10_RE_REFERRALS));
    tables.push(grid(&h::TABLE11_REPEAT_CP_PLANS));
    tables.push(comparative(&h::TABLE12_CIN_CEASE_TIMES));
    tables.push(comparative(&h::TABLE13_CPP_CEASE_TIMES));
    tables.push(grid(&h::TABLE14_CIN_CEASING_3_MONTHS));
    tables.push(grid(&h::TABLE15_CPP_CEASING_6_MONTHS));
    tables.push(hood(
        "Table 16",
        "The effect of LA deprivation and urban/rural classification on the social gradient",
        Context,
        h::TABLE16_URBAN_RURAL
            .iter()
            .flat_map(|row| context_measures(Neighbourhood::Area(row.context)))
            .collect(),
    ));
    tables.push(hood(
        "Table 17",
        "The effect of LA deprivation and population density on the social gradient",
        Context,
        h::TABLE17_DENSITY
            .iter()
            .flat_map(|row| context_measures(Neighbourhood::Density(row.context)))
            .collect(),
    ));
    tables.push(hood(
        "Table 18",
        "The effect of different LA contexts on referral rates (adjusted and unadjusted)",
        Reference,
        vec![],
    ));
    tables.push(hood(
        "Table 19",
        "The effect of different LA contexts on the social gradient of referral (adjusted and \
         unadjusted)",
        Reference,
        vec![],
    ));
    Catalogue { tables }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calculator::gradient;
    use std::collections::HashSet;

    #[test]
    fn lists_every_embedded_table_once() {
        let c = catalogue();
        let names: Vec<String> = c.tables.iter().map(|t| format!("{} {}", t.source, t.table)).collect();
        let unique: HashSet<&String> = names.iter().collect();
        assert_eq!(unique.len(), names.len());
        // Webb: 1, 2 (x2), 3, 4, A1-A3; Hood: 2-19.
        assert_eq!(c.tables.iter().filter(|t| t.source == "Webb et al. 2020").count(), 8);
        assert_eq!(c.tables.iter().filter(|t| t.source == "Hood et al. 2021").count(), 18);
    }

    #[test]
    fn every_listed_measure_computes() {
        let mut gradient_names = HashSet::new();
        let mut count = 0;
        for t in catalogue().tables {
            if t.role == TableRole::Reference {
                assert!(t.measures.is_empty(), "{}", t.table);
            }
            for m in &t.measures {
                let r = gradient(&m.request).unwrap();
                assert_eq!(r.unit, m.unit);
                assert_eq!(r.label, m.label, "{}", t.table);
                assert!(r.published, "{} {}", t.table, m.name);
                if t.role == TableRole::Gradient && t.source == "Hood et al. 2021" {
                    assert!(gradient_names.insert(m.name.clone()), "duplicate {}", m.name);
                }
                count += 1;
            }
        }
        assert_eq!(gradient_names.len(), 62);
        assert_eq!(count, 3 + 62 + 6 + 9);
    }

    #[test]
    fn every_measure_says_who_and_where_it_was_studied() {
        for t in catalogue().tables {
            for m in &t.measures {
                if t.source == w::DOCUMENT {
                    let outcome: Outcome = m.name.parse().unwrap();
                    let name = outcome.label().split(" (").next().unwrap();
                    let las = w::table3(outcome).n.la;
                    assert_eq!(
                        m.scope,
                        format!("{name} in {las} local authorities (Webb et al. 2020, Table 3)")
                    );
                } else {
                    assert_eq!(m.scope, "Children aged 5 to 15, all English local authorities, 2018-19");
                }
            }
        }
        let webb: Vec<(String, String)> =
            catalogue().tables[3].measures.iter().map(|m| (m.name.clone(), m.scope.clone())).collect();
        let expected = [
            ("cin", "Children in need in 13 local authorities (Webb et al. 2020, Table 3)"),
            ("cpp", "Child protection plans in 18 local authorities (Webb et al. 2020, Table 3)"),
            ("cla", "Children looked after in 18 local authorities (Webb et al. 2020, Table 3)"),
        ];
        assert_eq!(webb, expected.map(|(n, s)| (n.to_string(), s.to_string())));
    }
}
