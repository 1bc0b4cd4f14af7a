//! The steps, each built from the tables and the calculator.

use super::format::{percent_more, points, rate, score, score_ci, share, times, whole};
use super::{Table, TourStep};
use crate::calculator::{
    self, hood_relative_curve, la_gradients, webb_rate_curve, CalcError, GradientRequest,
};
use crate::calculator::{Direction, GradientResult, Outcome};
use crate::charts::{ChartSpec, LegendCorner, Series, SeriesKind};
use crate::places::Place;
use crate::tables::hood2021::{self as hood, GradientRow};
use crate::tables::webb2020::{self as webb, LaContext};

/// Number of steps in the tour.
pub const STEP_COUNT: usize = 9;

/// Points on every curve.
const CURVE_POINTS: usize = 41;

/// Hood et al. 2021 scores are per 10 percentage points of neighbourhood income deprivation; the
/// relative-rate charts span 20 points either side of the LA average.
const HOOD_STEP: f64 = 10.0;
const HOOD_HALF_WIDTH: f64 = 20.0;

/// Webb et al. 2020 scores are per 1 SD of neighbourhood IMD score; the charts span 2 SD either side.
const WEBB_HALF_WIDTH: f64 = 2.0;

const HOOD_X: &str = "Neighbourhood income deprivation (percentage points from the LA average)";
const WEBB_X: &str = "Neighbourhood deprivation (SD of IMD score from the LA average)";
const RELATIVE_Y: &str = "Rate relative to an averagely deprived neighbourhood of the same LA";

/// The steps' keys, in order.
pub const KEYS: [&str; STEP_COUNT] = [
    "gradient",
    "one_number",
    "inverse_intervention",
    "inequality",
    "rural",
    "england",
    "your_la",
    "kind_of_need",
    "not_cause",
];

/// The 1-based number of the step with key `key`, if there is one.
pub fn step_number(key: &str) -> Option<usize> {
    KEYS.iter().position(|&k| k == key).map(|i| i + 1)
}

/// Every step in order (as [`KEYS`]); `place` fills the "your LA" step.
pub fn all(place: Option<&'static Place>) -> Result<Vec<TourStep>, CalcError> {
    let steps = vec![
        what_a_gradient_is()?,
        one_number(),
        inverse_intervention()?,
        inequality(),
        rural_and_sparse(),
        england()?,
        your_la(place)?,
        super::kind_of_need::step(step("kind_of_need", "What kind of need?")),
        what_the_numbers_are_not(),
    ];
    Ok(steps.into_iter().enumerate().map(|(i, step)| TourStep { number: i + 1, ..step }).collect())
}

/// "Steeper" from "steeper".
fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
}

/// A Table 2 row of Hood et al. 2021 by measure name.
fn table2(measure: &str) -> &'static GradientRow {
    hood::TABLE2_THRESHOLDS
        .rows
        .iter()
        .find(|r| r.measure == measure)
        .unwrap_or_else(|| panic!("Hood et al. 2021 Table 2 has no row {measure}"))
}

/// A Table 4 cell of Webb et al. 2020.
fn table4(outcome: Outcome, context: LaContext) -> f64 {
    webb::TABLE4_CONTEXT_GRADIENTS
        .iter()
        .find(|c| c.outcome == outcome && c.context == context)
        .map(|c| c.gradient)
        .unwrap_or_else(|| panic!("Webb et al. 2020 Table 4 has no cell {outcome:?} {context:?}"))
}

fn chart(x_label: &str, y_label: &str, series: Vec<Series>, legend: LegendCorner) -> ChartSpec {
    ChartSpec {
        title: String::new(),
        x_label: x_label.to_string(),
        y_label: y_label.to_string(),
        series,
        y_from_zero: false,
        font_px: 16,
        legend,
        aspect: None,
    }
}

fn series(name: &str, kind: SeriesKind, colour: usize, points: Vec<[f64; 2]>) -> Series {
    Series { name: name.to_string(), kind, colour, points, error_bars: Vec::new() }
}

/// The rate relative to the reference neighbourhood, `score^(x / step)`, for `x` from `-half` to
/// `half`.
fn relative(name: &str, score: f64, step: f64, half: f64, colour: usize, kind: SeriesKind) -> Series {
    let points = (0..CURVE_POINTS)
        .map(|i| {
            let x = -half + 2.0 * half * i as f64 / (CURVE_POINTS - 1) as f64;
            [x, score.powf(x / step)]
        })
        .collect();
    series(name, kind, colour, points)
}

fn table(caption: &str, header: &[&str], rows: Vec<Vec<String>>) -> Table {
    Table { caption: caption.to_string(), header: header.iter().map(|h| h.to_string()).collect(), rows }
}

fn hood_gradient(la_dep: Option<f64>, la: Option<&str>) -> Result<GradientResult, CalcError> {
    calculator::gradient(&GradientRequest::Hood2021 {
        measure: "referral".into(),
        la_dep,
        area: None,
        density: None,
        la: la.map(str::to_string),
    })
}

fn step(key: &'static str, title: &str) -> TourStep {
    TourStep {
        number: 0,
        key,
        title: title.to_string(),
        body: Vec::new(),
        question: String::new(),
        answer: String::new(),
        chart: chart("", "", Vec::new(), LegendCorner::UpperLeft),
        six_las_figure: None,
        table: table("", &[], Vec::new()),
        citations: Vec::new(),
    }
}

/// Step 1: the range of referral rates quoted by Hood et al. 2021 (section 3.1), and Webb et al.
/// 2020's expected rate of children looked after against neighbourhood deprivation in the average
/// LA (Table 3: `exp(b0 + b1 x)`).
fn what_a_gradient_is() -> Result<TourStep, CalcError> {
    let [low, high] = &hood::REFERRAL_RATE_RANGE;
    let how_many = high.rate_per_10000 / low.rate_per_10000;
    let curve = webb_rate_curve(Outcome::Cla, 0.0, 0.0, CURVE_POINTS)?;
    let few = webb_rate_curve(Outcome::Cla, 0.0, 0.0, 5)?;
    let average = |c: &calculator::Curve| c.series.last().map(|s| s.points.clone()).unwrap_or_default();
    let rates = average(&few);
    let rate_at = |i: usize| rates.get(i).map_or(f64::NAN, |p| p.y);
    Ok(TourStep {
        body: vec![
            format!(
                "Children's social care is not evenly spread. In England's least deprived neighbourhoods about \
                 {} children in every 10,000 aged 5 to 15 were referred in a year; in the most deprived, more \
                 than {}.",
                rate(low.rate_per_10000),
                rate(high.rate_per_10000)
            ),
            format!(
                "That steady rise with deprivation is the social gradient. The chart shows it for children \
                 looked after: {} per 10,000 in a neighbourhood 2 SD less deprived than its LA's average, {} \
                 at the average and {} 2 SD more deprived.",
                rate(rate_at(0)),
                rate(rate_at(2)),
                rate(rate_at(4))
            ),
        ],
        question: "How many times more often are children in the most deprived neighbourhoods referred than in \
                   the least deprived?"
            .to_string(),
        answer: format!(
            "More than {} times: more than {} against {} per 10,000 children.",
            times(how_many),
            rate(high.rate_per_10000),
            rate(low.rate_per_10000)
        ),
        chart: chart(
            &curve.x_label,
            &curve.y_label,
            vec![series(
                "Children looked after, average LA",
                SeriesKind::Line,
                0,
                average(&curve).iter().map(|p| [p.x, p.y]).collect(),
            )],
            LegendCorner::UpperLeft,
        ),
        table: table(
            "Children looked after per 10,000 children in the average LA (Webb et al. 2020, Table 3)",
            &["Neighbourhood deprivation (SD from the LA average)", "Expected rate per 10,000"],
            rates.iter().map(|p| vec![whole(p.x), rate(p.y)]).collect(),
        ),
        citations: vec![
            format!(
                "{} and {} per 10,000: {}",
                rate(low.rate_per_10000),
                rate(high.rate_per_10000),
                low.citation
            ),
            "Rates of children looked after: Webb et al. 2020, Table 3 (average LA, other covariates at their \
             means)"
                .to_string(),
        ],
        ..step("gradient", "What is a social gradient?")
    })
}

/// Step 2: the social gradient score of Hood et al. 2021, Table 2.
fn one_number() -> TourStep {
    let referral = table2("referral");
    let cp_plan = table2("cp_plan");
    let two_steps = referral.score * referral.score;
    TourStep {
        body: vec![
            "Researchers sum the gradient up in one number, the social gradient score: how many times the rate \
             multiplies when the share of families in income deprivation in a neighbourhood rises by 10 \
             percentage points, compared with other neighbourhoods of the same local authority."
                .to_string(),
            format!(
                "For referrals the score is {}: each 10-point step means a {} higher rate. It is steeper for \
                 heavier interventions: {} for child protection plans.",
                score_ci(referral.score, Some(referral.ci.low), Some(referral.ci.high)),
                percent_more(referral.score),
                score(cp_plan.score)
            ),
        ],
        question: format!(
            "One step multiplies the rate by {}. What do two steps (20 points) do?",
            score(referral.score)
        ),
        answer: format!(
            "{0} × {0} = {1}: the rate is {1} times as high ({2} more), not just twice {3} more.",
            score(referral.score),
            score(two_steps),
            percent_more(two_steps),
            percent_more(referral.score)
        ),
        chart: chart(
            HOOD_X,
            RELATIVE_Y,
            vec![
                relative(
                    &format!("Referrals, score {}", score(referral.score)),
                    referral.score,
                    HOOD_STEP,
                    HOOD_HALF_WIDTH,
                    0,
                    SeriesKind::Line,
                ),
                relative(
                    &format!("Child protection plans, score {}", score(cp_plan.score)),
                    cp_plan.score,
                    HOOD_STEP,
                    HOOD_HALF_WIDTH,
                    1,
                    SeriesKind::Dashed,
                ),
            ],
            LegendCorner::UpperLeft,
        ),
        table: table(
            "Social gradient scores by threshold (Hood et al. 2021, Table 2)",
            &["Threshold", "Rate per 10,000", "Score (95% CI)"],
            hood::TABLE2_THRESHOLDS
                .rows
                .iter()
                .map(|r| {
                    vec![
                        r.label.to_string(),
                        rate(r.rate_per_10000),
                        score_ci(r.score, Some(r.ci.low), Some(r.ci.high)),
                    ]
                })
                .collect(),
        ),
        citations: vec!["Hood et al. 2021, Table 2 (intervention rates and social gradients)".to_string()],
        ..step("one_number", "The gradient as one number")
    }
}

/// Step 3: the inverse intervention law: the referral score in LAs 10 points less and more
/// income-deprived than average (the calculator, equal to Hood et al. 2021 Table 2's "Low IMD"
/// and "High IMD" cells) and Webb et al. 2020 Table 4's low and high deprivation cells.
fn inverse_intervention() -> Result<TourStep, CalcError> {
    let low = hood_gradient(Some(-10.0), None)?;
    let mid = hood_gradient(Some(0.0), None)?;
    let high = hood_gradient(Some(10.0), None)?;
    let cla_low = table4(Outcome::Cla, LaContext::LowDeprivation);
    let cla_high = table4(Outcome::Cla, LaContext::HighDeprivation);
    let curve = |name: &str, r: &GradientResult, colour, kind| {
        relative(
            &format!("{name}, score {}", score(r.estimate)),
            r.estimate,
            HOOD_STEP,
            HOOD_HALF_WIDTH,
            colour,
            kind,
        )
    };
    Ok(TourStep {
        body: vec![
            "Poorer local authorities have more referrals overall. But compare neighbourhoods that are equally \
             deprived, and the gradient is steeper in the better-off authorities: they intervene more sharply \
             in their few poor neighbourhoods. This is the inverse intervention law."
                .to_string(),
            format!(
                "Referrals: a score of {} in an LA 10 points less income-deprived than average, {} in one 10 \
                 points more deprived. Children looked after: {} against {} (LA deprivation 1 SD below or above \
                 average).",
                score(low.estimate),
                score(high.estimate),
                score(cla_low),
                score(cla_high)
            ),
        ],
        question: "Where would you expect the steeper gradient: in an affluent local authority or a deprived one?"
            .to_string(),
        answer: format!(
            "In the affluent one: {} against {} for referrals, {} against {} for children looked after.",
            score(low.estimate),
            score(high.estimate),
            score(cla_low),
            score(cla_high)
        ),
        chart: chart(
            HOOD_X,
            RELATIVE_Y,
            vec![
                curve("Less deprived LA (−10 points)", &low, 0, SeriesKind::Line),
                curve("Average LA", &mid, 6, SeriesKind::Dashed),
                curve("More deprived LA (+10 points)", &high, 1, SeriesKind::Line),
            ],
            LegendCorner::UpperLeft,
        ),
        table: table(
            "Social gradient scores by LA income deprivation (Hood et al. 2021, Table 2)",
            &["Threshold", "Less deprived LA", "Average LA", "More deprived LA"],
            hood::TABLE2_THRESHOLDS
                .rows
                .iter()
                .map(|r| {
                    vec![r.label.to_string(), score(r.low_imd), score(r.score), score(r.high_imd)]
                })
                .collect(),
        ),
        citations: vec![
            "Referrals: Hood et al. 2021, Table 2 (Low IMD and High IMD columns)".to_string(),
            "Children looked after: Webb et al. 2020, Table 4 (low and high deprivation)".to_string(),
        ],
        ..step("inverse_intervention", "The inverse intervention law")
    })
}

/// Step 4: the inequality effect, Webb et al. 2020 Table 4's low and high inequality cells.
fn inequality() -> TourStep {
    let cell = |o| (table4(o, LaContext::LowInequality), table4(o, LaContext::HighInequality));
    let (cla_low, cla_high) = cell(Outcome::Cla);
    let (cin_low, cin_high) = cell(Outcome::Cin);
    let (cpp_low, cpp_high) = cell(Outcome::Cpp);
    let curve = |name: &str, value: f64, colour, kind| {
        relative(&format!("{name}, score {}", score(value)), value, 1.0, WEBB_HALF_WIDTH, colour, kind)
    };
    TourStep {
        body: vec![
            "Inequality matters as well as poverty. In local authorities where incomes are more unequal (a Gini \
             coefficient 1 SD above the average of the authorities studied) the gradient is steeper."
                .to_string(),
            format!(
                "Children looked after: {} with low inequality, {} with high inequality. Children in need: {} \
                 against {}; child protection plans: {} against {}.",
                score(cla_low),
                score(cla_high),
                score(cin_low),
                score(cin_high),
                score(cpp_low),
                score(cpp_high)
            ),
        ],
        question: "Two local authorities are equally deprived, but incomes in one are more unequal. Which has the \
                   steeper gradient?"
            .to_string(),
        answer: format!(
            "The more unequal one: for children looked after {} against {} per 1 SD of neighbourhood \
             deprivation.",
            score(cla_high),
            score(cla_low)
        ),
        chart: chart(
            WEBB_X,
            RELATIVE_Y,
            vec![
                curve("High inequality", cla_high, 1, SeriesKind::Line),
                curve("Low inequality", cla_low, 0, SeriesKind::Dashed),
            ],
            LegendCorner::UpperLeft,
        ),
        table: table(
            "Social gradient scores by LA income inequality (Webb et al. 2020, Table 4)",
            &["Outcome", "Low inequality", "High inequality"],
            Outcome::ALL
                .iter()
                .map(|&o| {
                    let (low, high) = cell(o);
                    vec![o.label().to_string(), score(low), score(high)]
                })
                .collect(),
        ),
        citations: vec!["Webb et al. 2020, Table 4 (low and high income inequality)".to_string()],
        ..step("inequality", "The inequality effect")
    }
}

/// Step 5: rural and sparsely populated neighbourhoods: Hood et al. 2021 section 3.7.1 (overall
/// rates) and Tables 16 and 17 (referral scores by LA deprivation).
fn rural_and_sparse() -> TourStep {
    let [urban_rate, rural_rate] = &hood::URBAN_RURAL_REFERRAL_RATES;
    let rural = hood::table16(hood::Area::Rural).referral;
    let urban = hood::table16(hood::Area::Urban).referral;
    let sparse = hood::table17(hood::Density::Low).referral;
    let dense = hood::table17(hood::Density::High).referral;
    let line = |name: &str, s: hood::ByLaDeprivation, colour, kind| {
        series(name, kind, colour, vec![[-10.0, s.low], [0.0, s.mid], [10.0, s.high]])
    };
    let rows = hood::TABLE16_URBAN_RURAL
        .iter()
        .map(|r| ("Table 16", r.label, r.referral))
        .chain(hood::TABLE17_DENSITY.iter().map(|r| ("Table 17", r.label, r.referral)));
    TourStep {
        body: vec![
            format!(
                "Overall, referral rates are lower in rural neighbourhoods than in urban ones: {} against {} \
                 per 10,000 children.",
                rate(rural_rate.rate_per_10000),
                rate(urban_rate.rate_per_10000)
            ),
            format!(
                "Yet the gradient is steeper in the countryside: {} in rural against {} in urban neighbourhoods \
                 of an averagely deprived LA, and {} in sparsely against {} in densely populated ones.",
                score(rural.mid),
                score(urban.mid),
                score(sparse.mid),
                score(dense.mid)
            ),
        ],
        question: "Rates are lower in rural areas. Are poor children in the countryside less likely to be \
                   referred?"
            .to_string(),
        answer: format!(
            "Not compared with their better-off neighbours: the gradient is steeper there, {} against {} in a \
             less deprived LA. Poor rural children stand out more.",
            score(rural.low),
            score(urban.low)
        ),
        chart: chart(
            "LA income deprivation (percentage points from the average LA)",
            "Social gradient score for referrals",
            vec![
                line("Rural (Table 16)", rural, 1, SeriesKind::Line),
                line("Urban (Table 16)", urban, 0, SeriesKind::Line),
                line("Sparse (Table 17)", sparse, 2, SeriesKind::Dashed),
                line("Dense (Table 17)", dense, 6, SeriesKind::Dashed),
            ],
            LegendCorner::UpperRight,
        ),
        table: table(
            "Referral social gradient scores by neighbourhood type and LA income deprivation (Hood et al. 2021, \
             Tables 16 and 17)",
            &["Neighbourhoods", "Less deprived LA", "Average LA", "More deprived LA"],
            rows.map(|(t, label, s)| {
                vec![format!("{label} ({t})"), score(s.low), score(s.mid), score(s.high)]
            })
            .collect(),
        ),
        citations: vec![
            format!(
                "{} and {} per 10,000: {}",
                rate(rural_rate.rate_per_10000),
                rate(urban_rate.rate_per_10000),
                rural_rate.citation
            ),
            "Scores: Hood et al. 2021, Table 16 (urban/rural) and Table 17 (population density)".to_string(),
        ],
        ..step("rural", "Rural and sparsely populated areas")
    }
}

/// Step 6: the predicted referral score of every LA (the calculator's `la_gradients`) against its
/// income deprivation, with the five steepest and five flattest.
fn england() -> Result<TourStep, CalcError> {
    let all = la_gradients(&referral_everywhere())?;
    let places = crate::places::places();
    let scored: Vec<(&Place, &calculator::LaGradient)> = all
        .items
        .iter()
        .filter_map(|g| Some((places.iter().find(|p| p.la.la_code == g.la_code)?, g)))
        .collect();
    let count = scored.len();
    let dots = |ranked: bool| -> Vec<[f64; 2]> {
        scored
            .iter()
            .filter(|(_, g)| g.rank.is_some() == ranked)
            .map(|(p, g)| [p.la.la_dep(), g.estimate])
            .collect()
    };
    // The ranking is the map's: the engine's ranks, leaving out the two authorities with very few
    // children (the Isles of Scilly and the City of London), tied scores sharing a rank.
    let mut ranked: Vec<&(&Place, &calculator::LaGradient)> =
        scored.iter().filter(|(_, g)| g.rank.is_some()).collect();
    crate::places::sort_small(&mut ranked, |a, b| (a.1.rank, &a.0.la.la_name) < (b.1.rank, &b.0.la.la_name));
    let ranked_count = all.ranked_count;
    let last_rank = ranked.last().and_then(|(_, g)| g.rank);
    // "2.00 in Wokingham", or for a tie "1.25 in Knowsley and Middlesbrough".
    let describe = |rank: Option<u32>| {
        let names: Vec<&str> =
            ranked.iter().filter(|(_, g)| g.rank == rank).map(|(p, _)| p.la.display_name()).collect();
        let value =
            ranked.iter().find(|(_, g)| g.rank == rank).map_or(String::new(), |(_, g)| g.shown.value.clone());
        let names = match names.as_slice() {
            [init @ .., last] if !init.is_empty() => format!("{} and {last}", init.join(", ")),
            _ => names.join(""),
        };
        format!("{value} in {names}")
    };
    let (steep, flat) = (describe(Some(1)), describe(last_rank));
    let extract: Vec<Vec<String>> = ranked
        .iter()
        .enumerate()
        .filter(|(i, _)| *i < 5 || *i + 5 >= ranked.len())
        .map(|(_, (p, g))| {
            vec![
                g.rank_shown.clone().unwrap_or_default(),
                p.la.display_name().to_string(),
                points(p.la.la_dep()),
                g.shown.value.clone(),
            ]
        })
        .collect();
    Ok(TourStep {
        body: vec![
            format!(
                "Give each of England's {count} upper-tier local authorities its own income deprivation and the \
                 referral model predicts scores from {steep} down to {flat}.",
            ),
            format!(
                "Each dot is one authority: the steepest gradients are in the least deprived authorities, not in \
                 the poorest cities. Ranks are out of {ranked_count}, as on the map further down the page: the \
                 Isles of Scilly and the City of London (the two orange dots) are left out, as they have very few \
                 children."
            ),
        ],
        question: "Which kind of place has the steepest predicted gradient: a big city or a well-off county?"
            .to_string(),
        answer: format!("A well-off one: the steepest is {steep}; the flattest is {flat}."),
        chart: chart(
            "LA income deprivation (percentage points from the average LA)",
            "Predicted social gradient score for referrals",
            vec![
                series(&format!("Ranked local authority ({ranked_count})"), SeriesKind::Points, 0, dots(true)),
                series("Not ranked: very few children", SeriesKind::Points, 1, dots(false)),
            ],
            LegendCorner::UpperRight,
        ),
        table: table(
            &format!(
                "The five steepest and five flattest of {ranked_count} local authorities, leaving out the two \
                 with very few children; tied scores share a rank (=) (Hood et al. 2021, Table 2, with each \
                 LA's IoD 2019 income score)"
            ),
            &["Rank", "Local authority", "LA income deprivation (points from average)", "Score"],
            extract,
        ),
        citations: vec![
            "Scores: Hood et al. 2021, Table 2 (referral score and interaction effect)".to_string(),
            "LA income deprivation: MHCLG English Indices of Deprivation 2019 (OGL v3.0)".to_string(),
        ],
        ..step("england", "England's local authorities")
    })
}

/// The referral request of every LA (each with its own context): the map's default.
fn referral_everywhere() -> GradientRequest {
    GradientRequest::Hood2021 {
        measure: "referral".into(),
        la_dep: None,
        area: None,
        density: None,
        la: None,
    }
}

/// Step 7 before an LA is chosen: the average LA's score and the question to ask of one's own.
fn choose_your_la(average: &GradientResult) -> TourStep {
    TourStep {
        body: vec![
            "Choose a local authority below (or at the top of the page) to see the gradient the research \
             predicts for it."
                .to_string(),
            format!(
                "In an averagely deprived authority the referral score is {}.",
                score_ci(average.estimate, average.ci_low, average.ci_high)
            ),
        ],
        question: format!(
            "Before we look: will our local authority's gradient be steeper or flatter than the average \
             {}?",
            score(average.estimate)
        ),
        answer: "Less deprived authorities have steeper gradients, more deprived ones flatter: choose the \
                 authority to check."
            .to_string(),
        chart: chart(
            HOOD_X,
            RELATIVE_Y,
            vec![relative(
                &format!("Average LA, score {}", score(average.estimate)),
                average.estimate,
                HOOD_STEP,
                HOOD_HALF_WIDTH,
                6,
                SeriesKind::Dashed,
            )],
            LegendCorner::UpperLeft,
        ),
        table: table(
            "Referral social gradient score (Hood et al. 2021, Table 2)",
            &["Local authority", "Score (95% CI)"],
            vec![vec!["Average LA".to_string(), score_ci(average.estimate, average.ci_low, average.ci_high)]],
        ),
        citations: vec!["Hood et al. 2021, Table 2".to_string()],
        ..step("your_la", "Your local authority")
    }
}

/// Step 7: the chosen LA's predicted referral score (the calculator with `la`), its curve against
/// the average LA's, and the gap between its own least and most deprived neighbourhoods.
fn your_la(place: Option<&'static Place>) -> Result<TourStep, CalcError> {
    let average = hood_gradient(Some(0.0), None)?;
    let Some(place) = place else {
        return Ok(choose_your_la(&average));
    };
    let name = place.la.display_name();
    let code = place.la.la_code.as_str();
    let la_dep = place.la.la_dep();
    let mine = hood_gradient(None, Some(code))?;
    let curve = hood_relative_curve("referral", Some(la_dep), None, None, CURVE_POINTS)?;
    let to_points = |i: usize| {
        curve.series.get(i).map(|s| s.points.iter().map(|p| [p.x, p.y]).collect()).unwrap_or_default()
    };
    let direction = mine.average.direction;
    let all = la_gradients(&referral_everywhere())?;
    let rank = all.items.iter().find(|g| g.la_code == code).and_then(|g| g.rank_shown.clone());
    let mut body = vec![format!(
        "{name}: predicted referral score {}{}.",
        mine.shown.with_interval(),
        rank.map_or(String::new(), |r| format!(", ranked {r} of {} as on the map", all.ranked_count))
    )];
    // The gap between the LA's own tenths, and why it can differ from the gradient per step.
    if let Some(within) = mine.la.as_ref().and_then(|l| l.within_la.as_ref()) {
        body.push(format!("{} {}", within.sentence, within.explanation));
    }
    let deprived = format!(
        "{name} is {} points {} income-deprived than the average authority ({}% of people, IoD 2019)",
        points(la_dep.abs()),
        if la_dep < 0.0 { "less" } else { "more" },
        share(100.0 * place.la.income2019_avg_score)
    );
    let answer = match direction {
        Direction::Same => format!(
            "About the same: {} against {}, because {deprived}.",
            mine.shown.value, average.shown.value
        ),
        _ => format!(
            "{}: {} against {}, because {deprived}.",
            capitalised(direction.word()),
            mine.shown.value,
            average.shown.value
        ),
    };
    Ok(TourStep {
        body,
        question: format!(
            "Will {name}'s gradient be steeper or flatter than the average {}?",
            average.shown.value
        ),
        answer,
        chart: chart(
            HOOD_X,
            RELATIVE_Y,
            vec![
                series(&format!("{name}, score {}", score(mine.estimate)), SeriesKind::Line, 0, to_points(0)),
                series(
                    &format!("Average LA, score {}", score(average.estimate)),
                    SeriesKind::Dashed,
                    6,
                    to_points(1),
                ),
            ],
            LegendCorner::UpperLeft,
        ),
        table: table(
            "Referral social gradient scores (Hood et al. 2021, Table 2)",
            &["Local authority", "LA income deprivation (points from average)", "Score (95% CI)"],
            vec![
                vec![name.to_string(), points(la_dep), score_ci(mine.estimate, mine.ci_low, mine.ci_high)],
                vec![
                    "Average LA".to_string(),
                    points(0.0),
                    score_ci(average.estimate, average.ci_low, average.ci_high),
                ],
            ],
        ),
        citations: vec![
            "Score: Hood et al. 2021, Table 2 (referral score and interaction effect)".to_string(),
            format!("{name}'s income deprivation: MHCLG English Indices of Deprivation 2019 (OGL v3.0)"),
        ],
        ..step("your_la", &format!("Your local authority: {name}"))
    })
}

/// Step 8: associations, not causes; every score is an estimate with an interval (Hood et al. 2021,
/// Table 4: the referral score by age, with its 95% confidence intervals).
fn what_the_numbers_are_not() -> TourStep {
    let ages = hood::TABLE4_AGE.rows;
    let referral = table2("referral");
    let (first, last) = (&ages[0], &ages[ages.len() - 1]);
    let age = |r: &GradientRow| r.label.trim_start_matches("Age ").parse::<f64>().unwrap_or(f64::NAN);
    let mut scores = series(
        "Referral score with its 95% CI",
        SeriesKind::Points,
        0,
        ages.iter().map(|r| [age(r), r.score]).collect(),
    );
    scores.error_bars = ages.iter().map(|r| [r.ci.low, r.ci.high]).collect();
    TourStep {
        body: vec![
            "These are associations in administrative records, not causes. They show where children come into \
             contact with services, not why, and they describe neighbourhoods and authorities, never a single \
             child or family."
                .to_string(),
            format!(
                "Every score is an estimate with a range. The referral gradient is much the same at every age: \
                 {} at age 5, {} at age 15.",
                score_ci(first.score, Some(first.ci.low), Some(first.ci.high)),
                score_ci(last.score, Some(last.ci.low), Some(last.ci.high))
            ),
        ],
        question: format!(
            "The referral score is {}. Does living in a poorer neighbourhood make a child {} more likely to be \
             harmed?",
            score(referral.score),
            percent_more(referral.score)
        ),
        answer: format!(
            "No. Referrals are {} more common per 10-point step in deprivation. That reflects families' \
             circumstances and how services respond, which, as the inverse intervention law shows, differs \
             between authorities.",
            percent_more(referral.score)
        ),
        chart: ChartSpec {
            y_from_zero: true,
            ..chart("Age (years)", "Social gradient score for referrals", vec![scores], LegendCorner::LowerRight)
        },
        table: table(
            "Referral social gradient score by age (Hood et al. 2021, Table 4)",
            &["Age", "Score (95% CI)"],
            ages.iter()
                .map(|r| vec![r.label.to_string(), score_ci(r.score, Some(r.ci.low), Some(r.ci.high))])
                .collect(),
        ),
        citations: vec![
            "Scores by age: Hood et al. 2021, Table 4".to_string(),
            format!("Referral score {}: Hood et al. 2021, Table 2", score(referral.score)),
        ],
        ..step("not_cause", "What the numbers are not")
    }
}
