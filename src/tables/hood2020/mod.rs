//! Hood et al. (2020): *Identifying and understanding the link between system conditions and
//! welfare inequalities in children's social care services*, final report (seed
//! `004_0ca8065947ac1239.txt`) and its executive summary (seed `003_01c4e8942eed2a44.txt`). The
//! study's child-level part followed every child referred to children's social care in six local
//! authorities (LAs) in London and South East England, 2013/14 to 2017/18. The LAs are named LA0
//! to LA5 from least to most deprived (IMD 2015 rank of average score); they were chosen for
//! contrast and access, not to represent England.
//!
//! - [`sample`]: Table 2, the characteristics of the six LAs (words, with every figure typed);
//! - [`correlations`]: Table 6, Spearman correlations of LA deprivation (IMD 2015 average score)
//!   with demand indicators across English LAs, 2011 to 2017;
//! - [`odds`] and [`differences`]: Tables 7 to 10, odds ratios with 95% confidence intervals by
//!   gender, age, ethnicity and deprivation in each of the six LAs;
//! - [`classes`]: Tables 11 to 18, the seven demand classes of the latent class analysis, the
//!   effect of child-level deprivation on the odds of each (Table 13), and CP plan categories.
//!
//! Every number is transcribed from the seed text as printed and carries its citation: the
//! table's constant names the table, each row keeps its printed label and each column its LA,
//! year or class; [`cells`] lists every cell with its [`Citation`]. Where the text has `N/A` the
//! cell is [`odds::OddsCell::NotAvailable`]. Tables 7 to 10 and 14 marked statistical
//! significance only by colour (highlighting), which the text does not keep: those tables say so
//! (`significance`) and no cell claims a significance it was not printed with.

pub mod classes;
pub mod correlations;
pub mod differences;
pub mod odds;
pub mod sample;

mod cells;

pub use cells::{cells, table_cells, table_title, CellValue, Citation, PublishedCell, TABLE_NUMBERS};

use serde::Serialize;

/// Document cited by every table in this module.
pub const DOCUMENT: &str = "Hood et al. 2020";
/// Seed file holding the text of the final report (every table).
pub const SEED: &str = "004_0ca8065947ac1239.txt";
/// Seed file holding the text of the executive summary.
pub const SUMMARY_SEED: &str = "003_01c4e8942eed2a44.txt";

/// One of the six local authorities, as the report names them (LA0 least deprived to LA5 most
/// deprived by IMD 2015 rank of average score; Table 2). The text sometimes prints LA0 as "LAO".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum La {
    #[serde(rename = "LA0")]
    La0,
    #[serde(rename = "LA1")]
    La1,
    #[serde(rename = "LA2")]
    La2,
    #[serde(rename = "LA3")]
    La3,
    #[serde(rename = "LA4")]
    La4,
    #[serde(rename = "LA5")]
    La5,
}

impl La {
    /// The six, in the report's column order.
    pub const ALL: [La; 6] = [La::La0, La::La1, La::La2, La::La3, La::La4, La::La5];

    /// "LA0" ... "LA5".
    pub fn label(self) -> &'static str {
        ["LA0", "LA1", "LA2", "LA3", "LA4", "LA5"][self.index()]
    }

    /// Position in [`La::ALL`] (0 to 5).
    pub fn index(self) -> usize {
        self as usize
    }
}

/// The seven demand classes found by the latent class analysis of the factors recorded at
/// assessment (section 3.4.1), in the report's numbering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DemandClass {
    /// 1. Neglect assessed in every episode, few other factors.
    Neglect,
    /// 2. Domestic violence in every episode, few other factors.
    DomesticViolence,
    /// 3. Physical abuse in every episode, few other factors.
    PhysicalAbuse,
    /// 4. Out-of-control/highly vulnerable (socially unacceptable behaviour, child's mental
    ///    health, sexual abuse, CSE, child's drug misuse, self-harm).
    OutOfControl,
    /// 5. Multiple complex needs I (domestic violence, parental mental health, alcohol or drug
    ///    misuse, emotional abuse).
    ComplexNeedsI,
    /// 6. Multiple complex needs II (more of everything in class 5, with physical abuse, neglect
    ///    and the child's mental health).
    ComplexNeedsII,
    /// 7. Disability and mental health.
    DisabilityMentalHealth,
}

impl DemandClass {
    /// The seven, in the report's numbering.
    pub const ALL: [DemandClass; 7] = [
        DemandClass::Neglect,
        DemandClass::DomesticViolence,
        DemandClass::PhysicalAbuse,
        DemandClass::OutOfControl,
        DemandClass::ComplexNeedsI,
        DemandClass::ComplexNeedsII,
        DemandClass::DisabilityMentalHealth,
    ];

    /// 1 to 7, as numbered in Tables 11, 12 and 14.
    pub fn number(self) -> usize {
        self as usize + 1
    }

    /// The class's name as Table 11 prints it, without its number.
    pub fn name(self) -> &'static str {
        [
            "Neglect",
            "Domestic violence",
            "Physical abuse",
            "Out-of-control/highly vulnerable",
            "Multiple complex needs I",
            "Multiple complex needs II",
            "Disability and mental health",
        ][self as usize]
    }

    /// The short name of Tables 13, 15, 16 and 18 ("OOC/highly vulnerable", "Complex needs I").
    pub fn short_name(self) -> &'static str {
        [
            "Neglect",
            "Domestic violence",
            "Physical abuse",
            "OOC/highly vulnerable",
            "Complex needs I",
            "Complex needs II",
            "Disability/mental health",
        ][self as usize]
    }

    /// The name in a sentence ("neglect", "domestic violence", ...).
    pub fn in_words(self) -> &'static str {
        [
            "neglect",
            "domestic violence",
            "physical abuse",
            "out-of-control/highly vulnerable",
            "multiple complex needs I",
            "multiple complex needs II",
            "disability and mental health",
        ][self as usize]
    }
}
