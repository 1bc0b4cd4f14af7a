//! Table 2 of Hood et al. 2020: the characteristics of the six LAs (seed
//! `004_0ca8065947ac1239.txt`). The table is words; each cell's text is kept as printed (lines
//! joined, italics dropped, "LAO" read as LA0 only in [`SampleFigure::what`]) and every number in
//! it is a typed [`SampleFigure`], in the order the text gives them (range column, then comments).

use serde::Serialize;

/// A number as the text gives it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Figure {
    /// A count written as a word or digits ("Two unitary authorities", "5 LAs").
    Count(u32),
    /// A value ("a spread of 94 ranks").
    Value(f64),
    /// "over 90%".
    MoreThan(f64),
    /// "less than 40%", "<26%".
    LessThan(f64),
    /// "from 400 ... to 700", "26-49%".
    Range { low: f64, high: f64 },
}

impl Figure {
    /// The printed numbers, in the order printed (two for a range).
    pub fn numbers(self) -> Vec<f64> {
        match self {
            Figure::Count(n) => vec![n as f64],
            Figure::Value(x) | Figure::MoreThan(x) | Figure::LessThan(x) => vec![x],
            Figure::Range { low, high } => vec![low, high],
        }
    }
}

/// Which column of Table 2 a figure is printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SampleColumn {
    Range,
    Comments,
}

/// One figure of Table 2.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SampleFigure {
    pub column: SampleColumn,
    /// What the number counts or measures, in words.
    pub what: &'static str,
    pub figure: Figure,
    /// Its unit ("" for a count of LAs).
    pub unit: &'static str,
}

/// One row of Table 2.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SampleRow {
    pub characteristic: &'static str,
    /// The "Range" cell as printed.
    pub range: &'static str,
    /// The "Comments" cell as printed.
    pub comments: &'static str,
    pub figures: &'static [SampleFigure],
}

const fn range(what: &'static str, figure: Figure, unit: &'static str) -> SampleFigure {
    SampleFigure { column: SampleColumn::Range, what, figure, unit }
}

const fn comment(what: &'static str, figure: Figure, unit: &'static str) -> SampleFigure {
    SampleFigure { column: SampleColumn::Comments, what, figure, unit }
}

const PER_10000: &str = "per 10,000 children";

/// Characteristics of the LA sample: Hood et al. 2020, Table 2 (seed 004_0ca8065947ac1239).
#[rustfmt::skip]
pub static TABLE2_SAMPLE: [SampleRow; 6] = [
    SampleRow {
        characteristic: "Location and type",
        range: "All the LAs were in Greater London or Southeast England: Two unitary authorities in Inner \
                London Three unitary authorities in Outer London One county council in Southeast England",
        comments: "London unitary authorities are much smaller than county councils, both in terms of \
                   geographical size and population. For example, the child population of LAO was roughly \
                   equivalent to the other five LAs put together.",
        figures: &[
            range("unitary authorities in Inner London", Figure::Count(2), "LAs"),
            range("unitary authorities in Outer London", Figure::Count(3), "LAs"),
            range("county council in Southeast England", Figure::Count(1), "LAs"),
            comment("other LAs whose child population together roughly equals LA0's", Figure::Count(5), "LAs"),
        ],
    },
    SampleRow {
        characteristic: "Deprivation",
        range: "Using the 2015 IMD rank of average score as a measure of deprivation, the sample had a spread \
                of 94 ranks from least deprived (LA0) to most deprived (LA5). The average deprivation rank of \
                the sample was 60, i.e. lower than average for England as a whole. The two 'high deprivation' \
                LAs in the sample (LA4 and LA5) were not among the 30 most deprived in England, whereas the two \
                'low deprivation' LAs (LAO and LA1) were among the 30 least deprived.",
        comments: "The deprivation range reflects the relative affluence of London and SE England compared with \
                   the rest of England. Also, some of the most deprived areas in London could not be included in \
                   the sample because they have an unusually high proportion of BAME children in their \
                   population compared with the majority of English local authorities.",
        figures: &[
            range("edition of the Index of Multiple Deprivation (IMD) used", Figure::Value(2015.0), "year"),
            range("spread of IMD rank of average score from LA0 to LA5", Figure::Value(94.0), "ranks"),
            range("average IMD rank of the sample", Figure::Value(60.0), "rank"),
            range("'high deprivation' LAs (LA4 and LA5)", Figure::Count(2), "LAs"),
            range("LA4 and LA5 were not among this many most deprived LAs in England", Figure::Value(30.0), "LAs"),
            range("'low deprivation' LAs (LA0 and LA1)", Figure::Count(2), "LAs"),
            range("LA0 and LA1 were among this many least deprived LAs in England", Figure::Value(30.0), "LAs"),
        ],
    },
    SampleRow {
        characteristic: "Demographics",
        range: "Ethnicity varied from over 90% White British to less than 40% White British. Two LAs had over \
                30% Asian or Asian British children, and one LA had over 20% Black or Black British children. \
                Gender and age were broadly similar across all LAs.",
        comments: "There was a lot of ethnic diversity amongst the London LAs, although there was only one LA \
                   where White British was not the largest ethnicity group.",
        figures: &[
            range("White British children in the most White British LA", Figure::MoreThan(90.0), "%"),
            range("White British children in the least White British LA", Figure::LessThan(40.0), "%"),
            range("LAs with over 30% Asian or Asian British children", Figure::Count(2), "LAs"),
            range("Asian or Asian British children in those two LAs", Figure::MoreThan(30.0), "%"),
            range("LAs with over 20% Black or Black British children", Figure::Count(1), "LAs"),
            range("Black or Black British children in that LA", Figure::MoreThan(20.0), "%"),
            comment("LAs where White British was not the largest ethnic group", Figure::Count(1), "LAs"),
        ],
    },
    SampleRow {
        characteristic: "Service provision",
        range: "Rates of service varied a lot between the LAs. Referral rates ranged from 400 per 10,000 to 700 \
                per 10,000 children and CP Plans ranged from 20 per 10,000 children to 80 per 10,000 children. \
                Spend on Children's Safety per LA children ranged from £100 per child to £400 per child. CIN \
                per Social Worker ranged from 10 to 25.",
        comments: "The sample reflects the very large variation in measures seen nationally, e.g. across all \
                   English LAs referrals ranged from 223 to 1,092, CP Plans ranged from between 22 and 156 per \
                   10,000 children, and spend on children's safety per LA child ranged from £69 to £587.",
        figures: &[
            range("referral rates in the six LAs", Figure::Range { low: 400.0, high: 700.0 }, PER_10000),
            range("CP plan rates in the six LAs", Figure::Range { low: 20.0, high: 80.0 }, PER_10000),
            range("spend on children's safety in the six LAs", Figure::Range { low: 100.0, high: 400.0 }, "£ per child"),
            range("children in need per social worker in the six LAs", Figure::Range { low: 10.0, high: 25.0 }, "CIN per social worker"),
            comment("referral rates across all English LAs", Figure::Range { low: 223.0, high: 1092.0 }, PER_10000),
            comment("CP plan rates across all English LAs", Figure::Range { low: 22.0, high: 156.0 }, PER_10000),
            comment("spend on children's safety across all English LAs", Figure::Range { low: 69.0, high: 587.0 }, "£ per child"),
        ],
    },
    SampleRow {
        characteristic: "Urban/rural classification",
        range: "5 LAs are described as Urban with Major Conurbation (<26% rural including hub towns), and one is \
                described as Urban with Significant Rural (rural including hub towns 26-49%).",
        comments: "Urban with Major Conurbation is the most common classification throughout Inner and Outer \
                   London LAs.",
        figures: &[
            range("LAs classed Urban with Major Conurbation", Figure::Count(5), "LAs"),
            range("rural population (including hub towns) in Urban with Major Conurbation", Figure::LessThan(26.0), "%"),
            range("LAs classed Urban with Significant Rural", Figure::Count(1), "LAs"),
            range("rural population (including hub towns) in Urban with Significant Rural", Figure::Range { low: 26.0, high: 49.0 }, "%"),
        ],
    },
    SampleRow {
        characteristic: "Ofsted rating",
        range: "LAs in the sample had received a range of ratings from their last Ofsted inspections, from \
                inadequate to outstanding.",
        comments: "There are four possible ratings from an inspection: inadequate, requires improvement, good, \
                   and outstanding.",
        figures: &[comment("possible Ofsted ratings", Figure::Count(4), "ratings")],
    },
];
