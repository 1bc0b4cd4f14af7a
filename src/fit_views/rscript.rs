//! An R script that reproduces a fit with glmmTMB: it reads the same file the same way, derives
//! the same LA-level columns, defines the formula helpers `within()` and `between()` as the
//! formula language does ([`crate::formula::R_HELPERS`]), fits the same formula and family, and
//! prints the rate ratios as the page shows them, next to the page's own estimates.

use crate::data::Delimiter;
use crate::fit::{Family, Link};
use crate::formula::{r_number, R_HELPERS};
use crate::report::{Coefficient, FitReport};
use crate::workflow::derive::DeriveRequest;
use serde::{Deserialize, Serialize};

/// What the script needs to know of the file, and which model it reproduces when that is not
/// the session's fitted model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RScriptRequest {
    /// The file's name, read from R's working directory.
    pub file_name: String,
    /// The model's formula and family; by default the fitted model's.
    #[serde(default)]
    pub formula: Option<String>,
    #[serde(default)]
    pub family: Option<Family>,
    /// Columns the page derived before fitting, in order.
    #[serde(default)]
    pub derived: Vec<DeriveRequest>,
    /// The file's delimiter, as the reader detected it.
    #[serde(default)]
    pub delimiter: Delimiter,
    /// Numeric columns with cells that are not numbers (`inf`, `1,000`, `n/a`), which the
    /// calculator reads as missing; the script reads them so too.
    #[serde(default)]
    pub bad_columns: Vec<String>,
}

/// An R string literal.
fn r_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The model a script reproduces: its formula and family, and its report when it has been
/// fitted (its estimates are then listed for comparison).
#[derive(Debug, Clone, Copy)]
pub struct ScriptModel<'a> {
    pub formula: &'a str,
    pub family: Family,
    pub report: Option<&'a FitReport>,
}

/// R's function that reads a file with this delimiter and the `sep` argument it needs:
/// `read.csv2` for semicolons with decimal commas, otherwise `read.csv` (decimal points) with
/// `sep` unless it is a comma.
fn r_reader(delimiter: Delimiter) -> (&'static str, &'static str) {
    match delimiter {
        Delimiter::Comma => ("read.csv", ""),
        Delimiter::Semicolon { decimal_comma: true } => ("read.csv2", ""),
        Delimiter::Semicolon { decimal_comma: false } => ("read.csv", "sep = \";\", "),
        Delimiter::Tab => ("read.csv", "sep = \"\\t\", "),
    }
}

/// The R helper that reads a column's cells as numbers, missing where a cell is not a finite
/// number written in decimal (see [`crate::data::cells`]).
const AS_NUMBER: &str = "\
as_number <- function(v, dec = \".\") {
  v <- trimws(as.character(v))
  if (dec == \",\") v <- ifelse(grepl(\"^[^.,]*,[^.,]*$\", v), sub(\",\", \".\", v, fixed = TRUE), v)
  x <- suppressWarnings(as.numeric(v))
  x[!is.finite(x) | grepl(\"^[-+]?0[xX]\", v)] <- NA
  x
}
";

/// The R helper that derives an LA-level column as the page does (see
/// [`crate::workflow::derive::weighted_group_mean`]).
const WEIGHTED_MEAN: &str = "\
# The weighted mean of x over the rows of each group g where x and w are present
# (missing where the group is missing or has no such row).
weighted_group_mean <- function(x, w, g) {
  ok <- !is.na(x) & !is.na(w)
  num <- ave(ifelse(ok, x * w, 0), g, FUN = sum)
  den <- ave(ifelse(ok, w, 0), g, FUN = sum)
  ifelse(is.na(g) | den <= 0, NA, num / den)
}
";

/// The script reading the file as `req` says and fitting `model`; a fitted model's estimates
/// are listed in comments for comparison.
pub fn r_script(req: &RScriptRequest, model: &ScriptModel<'_>) -> String {
    let mut s = String::new();
    s.push_str("# Reproduces a fit of the Social Gradient Calculator in R with glmmTMB.\n");
    s.push_str("# Put this script next to the data file (or change the path below) and run it.\n");
    s.push_str("library(glmmTMB)\n\n");
    s.push_str("# Factor levels sorted as the calculator sorts them (byte order).\n");
    s.push_str("invisible(Sys.setlocale(\"LC_COLLATE\", \"C\"))\n\n");
    s.push_str(
        "# Formula helpers: within(x, g) is x minus its mean in group g; between(x, g) is that mean.\n",
    );
    s.push_str(R_HELPERS);
    s.push('\n');
    read_data(&mut s, req);
    fit_call(&mut s, model);
    ratios(&mut s, model);
    if let Some(r) = model.report {
        estimates(&mut s, r);
    }
    s
}

/// Reads the file as the calculator read it: its delimiter, missing-value words, cells that are
/// not numbers, and the columns the calculator derived (group means).
fn read_data(s: &mut String, req: &RScriptRequest) {
    let na = "na.strings = c(\"\", \"NA\", \"NaN\", \"N/A\", \".\")";
    let file = r_string(&req.file_name);
    let (function, sep) = r_reader(req.delimiter);
    s.push_str(&format!(
        "data <- {function}({file}, {sep}check.names = FALSE, strip.white = TRUE, {na}, fileEncoding = \"UTF-8-BOM\")\n"
    ));
    if !req.bad_columns.is_empty() {
        s.push_str(
            "\n# Cells that are not numbers (such as inf, 0x10, 1,000 or n/a) are missing, as the calculator reads them.\n",
        );
        s.push_str(AS_NUMBER);
        for column in &req.bad_columns {
            let c = r_string(column);
            let dec = if function == "read.csv2" { ", dec = \",\"" } else { "" };
            s.push_str(&format!("data[[{c}]] <- as_number(data[[{c}]]{dec})\n"));
        }
    }
    if !req.derived.is_empty() {
        s.push('\n');
        s.push_str(WEIGHTED_MEAN);
        for d in &req.derived {
            s.push_str(&format!(
                "data[[{}]] <- weighted_group_mean(data[[{}]], data[[{}]], data[[{}]])\n",
                r_string(&d.name),
                r_string(&d.value),
                r_string(&d.weight),
                r_string(&d.group)
            ));
        }
    }
}

/// The glmmTMB call: the formula (with its spatial fields' columns made first), family and
/// zero-inflation formula, then its summary.
fn fit_call(s: &mut String, model: &ScriptModel<'_>) {
    let (formula, fields) = r_fields(model.formula);
    if !fields.is_empty() {
        s.push_str("\n# Spatial fields: glmmTMB's exp() covariance over a numFactor of the coordinates.\n");
        s.push_str(&fields);
    }
    s.push_str("\nfit <- glmmTMB(\n");
    s.push_str(&format!("  {},\n", formula));
    let family = match model.family.binomial_link() {
        Some(link) => format!("binomial(link = \"{}\")", link.name()),
        None => model.family.name().to_owned(),
    };
    s.push_str(&format!("  family = {family},\n"));
    if let Some(zi) = model.report.and_then(|r| r.zi_formula.as_deref()) {
        s.push_str(&format!("  ziformula = {zi},\n"));
    }
    s.push_str("  data = data\n)\n");
    s.push_str("summary(fit)\n\n");
}

/// Rate or odds ratios with 95% Wald intervals, or the coefficients on the link's scale where
/// exp() of them is no ratio (probit, cloglog).
fn ratios(s: &mut String, model: &ScriptModel<'_>) {
    let ratio = match model.family.binomial_link() {
        None => Some(("Rate ratios", "rate_ratio")),
        Some(Link::Logit) => Some(("Odds ratios", "odds_ratio")),
        Some(_) => None,
    };
    match ratio {
        Some((title, _)) => {
            s.push_str(&format!("# {title} with 95% Wald intervals, as the calculator shows them.\n"))
        }
        None => s.push_str(&format!(
            "# Coefficients on the {} scale with 95% Wald intervals (exp() of them is not an odds ratio).\n",
            model.family.link_name()
        )),
    }
    s.push_str("est <- fixef(fit)$cond\n");
    s.push_str("se <- sqrt(diag(vcov(fit)$cond))\n");
    match ratio {
        Some((_, column)) => s.push_str(&format!(
            "round(exp(cbind({column} = est, lower = est - qnorm(0.975) * se, upper = est + qnorm(0.975) * se)), 4)\n"
        )),
        None => s.push_str(
            "round(cbind(estimate = est, lower = est - qnorm(0.975) * se, upper = est + qnorm(0.975) * se), 4)\n",
        ),
    }
}

/// The calculator's estimates, as comments to compare with R's.
fn estimates(s: &mut String, r: &FitReport) {
    let coefficients = |s: &mut String, list: &[Coefficient]| {
        for c in list {
            s.push_str(&format!(
                "#   {}: {} (SE {})\n",
                c.term,
                r_number(signif(c.estimate)),
                r_number(signif(c.std_error))
            ));
        }
    };
    s.push_str("\n# The calculator's estimates (log scale) for comparison:\n");
    coefficients(s, &r.coefficients);
    for e in &r.random_effects {
        if let Some(f) = &e.field {
            s.push_str(&format!(
                "#   spatial field over {}: sd {}, range {} {} (theta {}, {})\n",
                e.group,
                r_number(signif(e.sd)),
                r_number(signif(f.range)),
                f.range_units,
                r_number(signif(f.theta[0])),
                r_number(signif(f.theta[1]))
            ));
        }
    }
    if !r.zi_coefficients.is_empty() {
        s.push_str("# Zero inflation (logit of the probability of a structural zero):\n");
    }
    coefficients(s, &r.zi_coefficients);
    s.push_str(&format!(
        "#   log-likelihood {}, AIC {}\n",
        r_number(signif(r.loglik)),
        r_number(signif(r.aic))
    ));
}

/// The formula with every spatial field `exp(pos(x, y) + 0 | g)` written as glmmTMB writes it,
/// `exp(pos + 0 | g)` with `pos <- numFactor(x, y)` and `g` a factor, and the R lines that make
/// those columns (empty when the formula has no field or does not parse).
fn r_fields(formula: &str) -> (String, String) {
    let Ok(parsed) = crate::formula::parse(formula) else { return (formula.to_owned(), String::new()) };
    let fields: Vec<_> = parsed.random_terms().iter().filter(|r| r.field().is_some()).collect();
    let mut out = formula.to_owned();
    let mut lines = String::new();
    for (k, spec) in fields.iter().enumerate() {
        let Some(c) = spec.field() else { continue };
        let pos = if fields.len() == 1 { "pos".to_owned() } else { format!("pos{}", k + 1) };
        let group = spec.group();
        lines.push_str(&format!(
            "data${pos} <- numFactor(data[[{}]], data[[{}]])\n",
            r_string(&c.x),
            r_string(&c.y)
        ));
        for column in spec.group_columns() {
            lines.push_str(&format!("data[[{0}]] <- factor(data[[{0}]])\n", r_string(column)));
        }
        let span = spec.span();
        if let Some(text) = formula.get(span.start..span.end) {
            out = out.replacen(text, &format!("exp({pos} + 0 | {group})"), 1);
        }
    }
    (out, lines)
}

/// `x` to 6 significant digits.
fn signif(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    format!("{x:.5e}").parse().unwrap_or(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> RScriptRequest {
        RScriptRequest {
            file_name: "sample-hood2021-referrals.csv".into(),
            formula: None,
            family: None,
            derived: vec![DeriveRequest::la_deprivation("income_dep", "children", "la")],
            delimiter: Delimiter::Comma,
            bad_columns: Vec::new(),
        }
    }

    const MODEL: ScriptModel<'static> = ScriptModel {
        formula: "referrals ~ within(income_dep / 10, la) + offset(log(children / 10000)) + (1 | la)",
        family: Family::Nbinom2,
        report: None,
    };

    #[test]
    fn script_reads_derives_and_fits_the_same_model() {
        let s = r_script(&request(), &MODEL);
        assert!(s.contains("library(glmmTMB)"));
        assert!(s.contains(R_HELPERS));
        assert!(s.contains("data <- read.csv(\"sample-hood2021-referrals.csv\", check.names = FALSE"));
        assert!(s.contains(
            "data[[\"la_income_dep\"]] <- weighted_group_mean(data[[\"income_dep\"]], data[[\"children\"]], data[[\"la\"]])"
        ));
        assert!(s.contains("  referrals ~ within(income_dep / 10, la) + offset(log(children / 10000)) + (1 | la),\n  family = nbinom2,"));
    }

    #[test]
    fn semicolon_files_use_read_csv2_and_names_are_quoted() {
        let req = RScriptRequest {
            delimiter: Delimiter::Semicolon { decimal_comma: true },
            file_name: "my \"data\".csv".into(),
            derived: vec![],
            ..request()
        };
        let s = r_script(&req, &MODEL);
        assert!(s.contains("data <- read.csv2(\"my \\\"data\\\".csv\""), "{s}");
        assert!(!s.contains("weighted_group_mean"));
    }

    #[test]
    fn semicolon_files_with_decimal_points_and_tab_files_give_read_csv_their_separator() {
        let semi = RScriptRequest { delimiter: Delimiter::Semicolon { decimal_comma: false }, ..request() };
        assert!(r_script(&semi, &MODEL).contains(
            "data <- read.csv(\"sample-hood2021-referrals.csv\", sep = \";\", check.names = FALSE"
        ));
        let tab = RScriptRequest { delimiter: Delimiter::Tab, ..request() };
        assert!(r_script(&tab, &MODEL).contains(
            "data <- read.csv(\"sample-hood2021-referrals.csv\", sep = \"\\t\", check.names = FALSE"
        ));
    }

    #[test]
    fn six_significant_digits() {
        assert_eq!(signif(0.48204611), 0.482046);
        assert_eq!(signif(-1234.56789), -1234.57);
    }
}
