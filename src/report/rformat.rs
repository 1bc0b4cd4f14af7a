//! Number formatting as R prints it, so that text summaries read like R's.
//!
//! - [`format_numbers`] is R's `format(x, digits, nsmall)` for a numeric vector (C function
//!   `formatReal`): every element gets the same number of decimals (enough to show the element
//!   needing most with `digits` significant digits), fixed notation unless scientific notation
//!   is narrower, all padded to a common width.
//! - [`format_pvalues`] is R's `format.pval`.
//! - [`format_g`] is C's `%.*g` (R's `formatC(x, digits)`).
//! - [`round_half_even`], [`zap_small`] are R's `round(x, d)` and `zapsmall(x, d)`.
//! - [`signif_stars`] is the star column of `printCoefmat`.
//! - [`render_table`] is `print.default` of a character matrix with `quote = FALSE`.

/// Largest power of ten R tabulates when deciding whether rounding widens a number.
const KP_MAX: i32 = 22;

/// `.Machine$double.eps`, the smallest p-value R prints as a number.
pub const P_EPS: f64 = f64::EPSILON;

/// What R's `scientific()` finds out about one finite number at `digits` significant digits.
struct Sci {
    negative: bool,
    /// Decimal exponent of the number rounded to `digits` significant digits.
    kpower: i32,
    /// Significant digits needed (trailing zeros of the rounded mantissa removed), at least 1.
    nsig: i32,
    /// True when rounding to `digits` significant digits carried into a new leading digit that
    /// fixed notation would not show.
    rounding_widens: bool,
}

fn scientific(x: f64, digits: i32) -> Sci {
    if x == 0.0 {
        return Sci { negative: false, kpower: 0, nsig: 1, rounding_widens: false };
    }
    let r = x.abs();
    let precision = usize::try_from(digits.max(1) - 1).unwrap_or(0);
    let text = format!("{r:.precision$e}");
    let (mantissa, exponent) = text.split_once('e').unwrap_or((text.as_str(), "0"));
    let kpower: i32 = exponent.parse().unwrap_or(0);
    let mantissa_digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    let trailing_zeros = mantissa_digits.iter().rev().take_while(|&&d| d == b'0').count();
    let nsig = (mantissa_digits.len() - trailing_zeros).max(1);
    let rgt = (digits - kpower).clamp(0, KP_MAX);
    let fuzz = 0.5 / 10f64.powi(rgt);
    let rounding_widens = kpower > 0 && kpower <= KP_MAX && r < 10f64.powi(kpower) - fuzz;
    Sci { negative: x < 0.0, kpower, nsig: i32::try_from(nsig).unwrap_or(digits), rounding_widens }
}

/// The common layout R chooses for a numeric vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Layout {
    width: usize,
    /// Decimals in fixed notation, mantissa decimals in scientific notation.
    decimals: usize,
    /// Scientific rather than fixed notation.
    scientific: bool,
}

fn layout(xs: &[f64], digits: i32, nsmall: usize) -> Layout {
    let digits = digits.clamp(1, 15);
    let mut neg = 0i32;
    let (mut rgt, mut mxl, mut mxsl, mut mxns) = (i32::MIN, i32::MIN, i32::MIN, i32::MIN);
    let mut mnl = i32::MAX;
    let (mut nan, mut posinf, mut neginf) = (false, false, false);
    for &x in xs {
        if !x.is_finite() {
            if x.is_nan() {
                nan = true;
            } else if x > 0.0 {
                posinf = true;
            } else {
                neginf = true;
            }
            continue;
        }
        let s = scientific(x, digits);
        let left = s.kpower + 1 - i32::from(s.rounding_widens);
        let sleft = i32::from(s.negative) + left.max(1);
        let right = s.nsig - left;
        if s.negative {
            neg = 1;
        }
        rgt = rgt.max(right);
        mxl = mxl.max(left);
        mnl = mnl.min(left);
        mxsl = mxsl.max(sleft);
        mxns = mxns.max(s.nsig);
    }
    let mut out = Layout { width: 0, decimals: 0, scientific: false };
    if mxns != i32::MIN {
        if mxl < 0 {
            mxsl = 1 + neg;
        }
        rgt = rgt.max(0);
        let w_fixed = mxsl + rgt + i32::from(rgt != 0);
        let e = if mxl > 100 || mnl <= -99 { 2 } else { 1 };
        let d = mxns - 1;
        let w_sci = neg + i32::from(d > 0) + d + 4 + e;
        if w_fixed <= w_sci {
            let nsmall = i32::try_from(nsmall).unwrap_or(0);
            if nsmall > rgt {
                rgt = nsmall;
            }
            out.width = to_usize(mxsl + rgt + i32::from(rgt != 0));
            out.decimals = to_usize(rgt);
        } else {
            out.width = to_usize(w_sci);
            out.decimals = to_usize(d);
            out.scientific = true;
        }
    }
    if nan || posinf {
        out.width = out.width.max(3);
    }
    if neginf {
        out.width = out.width.max(4);
    }
    out
}

fn to_usize(v: i32) -> usize {
    usize::try_from(v).unwrap_or(0)
}

fn encode(x: f64, layout: Layout) -> String {
    let w = layout.width;
    let d = layout.decimals;
    // A value that could not be computed (a standard error without a positive definite
    // Hessian) reads as R's NA: "NaN" means nothing to a reader.
    let body = if x.is_nan() {
        "NA".to_owned()
    } else if x.is_infinite() {
        if x > 0.0 {
            "Inf".to_owned()
        } else {
            "-Inf".to_owned()
        }
    } else if layout.scientific {
        scientific_text(x, d)
    } else {
        format!("{x:.d$}")
    };
    format!("{body:>w$}")
}

/// `x` as C's `%.{d}e` writes it (`7.07e-11`, `1e+05`, `1e-300`).
fn scientific_text(x: f64, d: usize) -> String {
    let text = format!("{x:.d$e}");
    let (mantissa, exponent) = text.split_once('e').unwrap_or((text.as_str(), "0"));
    let e: i32 = exponent.parse().unwrap_or(0);
    let sign = if e < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", e.unsigned_abs())
}

/// R's `format(xs, digits = digits, nsmall = nsmall)`: common decimals and width.
pub fn format_numbers(xs: &[f64], digits: i32, nsmall: usize) -> Vec<String> {
    let l = layout(xs, digits, nsmall);
    xs.iter().map(|&x| encode(x, l)).collect()
}

/// R's `format(x, digits = digits)` for a single number (no padding).
pub fn format_number(x: f64, digits: i32) -> String {
    format_numbers(&[x], digits, 0).into_iter().next().unwrap_or_default().trim().to_owned()
}

/// R's `round(x, digits)`: to `digits` decimals (negative: to tens, hundreds, ...).
pub fn round_half_even(x: f64, digits: i32) -> f64 {
    if !x.is_finite() {
        return x;
    }
    if digits >= 0 {
        let d = to_usize(digits.min(308));
        format!("{x:.d$}").parse().unwrap_or(x)
    } else {
        let p = 10f64.powi(-digits);
        (x / p).round() * p
    }
}

/// R's `zapsmall(x, digits)`: rounds every element to `digits` significant digits of the
/// largest one, so that values tiny relative to it print as 0.
pub fn zap_small(xs: &[f64], digits: i32) -> Vec<f64> {
    let mx = xs.iter().filter(|x| x.is_finite()).fold(0.0f64, |m, x| m.max(x.abs()));
    let d = if mx > 0.0 {
        // R rounds a non-integer number of digits to the nearest integer.
        (f64::from(digits) - mx.log10()).round().max(0.0) as i32
    } else {
        digits
    };
    xs.iter().map(|&x| round_half_even(x, d)).collect()
}

/// R's `format.pval(pv, digits, eps)`: p-values in fixed notation down to about 1e-4, in
/// scientific notation below, and `< eps` (`<2e-16`) below `eps`.
pub fn format_pvalues(pv: &[f64], digits: i32, eps: f64) -> Vec<String> {
    let mut out = vec![String::new(); pv.len()];
    let is0: Vec<bool> = pv.iter().map(|&p| p < eps).collect();
    let mut fixed_idx = Vec::new();
    let mut sci_idx = Vec::new();
    for (i, &p) in pv.iter().enumerate() {
        if is0.get(i).copied().unwrap_or(false) {
            continue;
        }
        let expo = if p > 0.0 { p.log10().floor() } else { -50.0 };
        if expo >= -3.0 || (expo == -4.0 && digits > 1) {
            fixed_idx.push(i);
        } else {
            sci_idx.push(i);
        }
    }
    for group in [&fixed_idx, &sci_idx] {
        let values: Vec<f64> = group.iter().filter_map(|&i| pv.get(i).copied()).collect();
        for (&i, s) in group.iter().zip(format_numbers(&values, digits, 0)) {
            if let Some(slot) = out.get_mut(i) {
                *slot = s;
            }
        }
    }
    if is0.iter().any(|&z| z) {
        let mut d = (digits - 2).max(1);
        let sep = if fixed_idx.is_empty() && sci_idx.is_empty() {
            if d == 1 {
                ""
            } else {
                " "
            }
        } else {
            let nc = out.iter().map(|s| s.chars().count()).max().unwrap_or(0);
            let nc = i32::try_from(nc).unwrap_or(i32::MAX);
            if d > 1 && d + 6 > nc {
                d = (nc - 7).max(1);
            }
            if d == 1 && nc <= 6 {
                ""
            } else {
                " "
            }
        };
        let text = format!("<{sep}{}", format_number(eps, d));
        for (slot, _) in out.iter_mut().zip(&is0).filter(|(_, &z)| z) {
            slot.clone_from(&text);
        }
    }
    out
}

/// C's `printf("%.{digits}g", x)`: `digits` significant digits, trailing zeros removed,
/// scientific notation when the exponent is below -4 or at least `digits`.
pub fn format_g(x: f64, digits: usize) -> String {
    if !x.is_finite() {
        return if x.is_nan() {
            "NA".into()
        } else if x > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        };
    }
    let p = digits.max(1);
    if x == 0.0 {
        return "0".to_owned();
    }
    let sci = format!("{:.*e}", p - 1, x);
    let exponent: i32 = sci.split_once('e').and_then(|(_, e)| e.parse().ok()).unwrap_or(0);
    let p_i = i32::try_from(p).unwrap_or(i32::MAX);
    if exponent < -4 || exponent >= p_i {
        let (mantissa, _) = sci.split_once('e').unwrap_or((sci.as_str(), ""));
        let mantissa = strip_fraction_zeros(mantissa);
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exponent.unsigned_abs())
    } else {
        let decimals = to_usize(p_i - 1 - exponent);
        strip_fraction_zeros(&format!("{x:.decimals$}")).to_owned()
    }
}

fn strip_fraction_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// The significance stars of `printCoefmat`: `***` below 0.001, `**` below 0.01, `*` below
/// 0.05, `.` below 0.1, else a space.
pub fn signif_stars(p: f64) -> &'static str {
    if p.is_nan() {
        " "
    } else if p <= 0.001 {
        "***"
    } else if p <= 0.01 {
        "**"
    } else if p <= 0.05 {
        "*"
    } else if p <= 0.1 {
        "."
    } else {
        " "
    }
}

/// The legend R prints below a coefficient table with stars.
pub const SIGNIF_LEGEND: &str = "Signif. codes:  0 \u{2018}***\u{2019} 0.001 \u{2018}**\u{2019} 0.01 \u{2018}*\u{2019} 0.05 \u{2018}.\u{2019} 0.1 \u{2018} \u{2019} 1";

/// Prints a character matrix as R's `print(m, quote = FALSE, right = right)` does: row names
/// left-justified in the first column, then every column justified to the width of its widest
/// entry or header, columns separated by one space. Returns one string per line (header first),
/// without line ends.
pub fn render_table(
    row_names: &[String],
    headers: &[String],
    cells: &[Vec<String>],
    right: bool,
) -> Vec<String> {
    let width = |s: &str| s.chars().count();
    let name_width = row_names.iter().map(|s| width(s)).max().unwrap_or(0);
    let widths: Vec<usize> = headers
        .iter()
        .enumerate()
        .map(|(j, h)| {
            cells.iter().filter_map(|row| row.get(j)).map(|s| width(s)).chain([width(h)]).max().unwrap_or(0)
        })
        .collect();
    let justify = |s: &str, w: usize| if right { format!("{s:>w$}") } else { format!("{s:<w$}") };
    let mut lines = Vec::with_capacity(cells.len() + 1);
    let mut header = " ".repeat(name_width);
    for (h, &w) in headers.iter().zip(&widths) {
        header.push(' ');
        header.push_str(&justify(h, w));
    }
    lines.push(header);
    for (i, row) in cells.iter().enumerate() {
        let name = row_names.get(i).map_or("", String::as_str);
        let mut line = format!("{name:<name_width$}");
        for (j, &w) in widths.iter().enumerate() {
            line.push(' ');
            line.push_str(&justify(row.get(j).map_or("", String::as_str), w));
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| (*x).to_owned()).collect()
    }

    // Expected strings are R 4.2 output of the calls named in each comment.
    #[test]
    fn format_matches_r() {
        // format(c(1e-10, 1.234e-10), digits = 4)
        assert_eq!(format_numbers(&[1e-10, 1.234e-10], 4, 0), s(&["1.000e-10", "1.234e-10"]));
        // format(c(123456789, 0.5), digits = 4)
        assert_eq!(format_numbers(&[123456789.0, 0.5], 4, 0), s(&["1.235e+08", "5.000e-01"]));
        // format(c(0, 1.5, -2), digits = 4)
        assert_eq!(format_numbers(&[0.0, 1.5, -2.0], 4, 0), s(&[" 0.0", " 1.5", "-2.0"]));
        // format(99999.7, digits = 5); format(c(1e5, 2), digits = 7)
        assert_eq!(format_numbers(&[99999.7], 5, 0), s(&["1e+05"]));
        assert_eq!(format_numbers(&[1e5, 2.0], 7, 0), s(&["1e+05", "2e+00"]));
        // format(c(1e-300, 1), digits = 3)
        assert_eq!(format_numbers(&[1e-300, 1.0], 3, 0), s(&["1e-300", " 1e+00"]));
        // format(c(0.034697, 0.003107), digits = 4); format(round(0.71, 2), nsmall = 2)
        assert_eq!(format_numbers(&[0.0346968, 0.00310712], 4, 0), s(&["0.034697", "0.003107"]));
        assert_eq!(format_numbers(&[1.0, 0.71], 4, 2), s(&["1.00", "0.71"]));
        // format(c(NA, 1.5, Inf), digits = 3): what cannot be computed reads as R's NA
        assert_eq!(format_numbers(&[f64::NAN, 1.5, f64::INFINITY], 3, 0), s(&[" NA", "1.5", "Inf"]));
    }

    #[test]
    fn pvalues_match_r() {
        // format.pval(c(1e-20, 0.000274, 0.093414, 0.012185), digits = 3)
        assert_eq!(
            format_pvalues(&[1e-20, 0.000274, 0.093414, 0.012185], 3, P_EPS),
            s(&["< 2e-16", "0.000274", "0.093414", "0.012185"])
        );
        // printCoefmat p column of a Poisson fit: <2e-16 without a space when the rest is short
        assert_eq!(format_pvalues(&[0.0, 1e-40, 0.08633], 3, P_EPS), s(&["<2e-16", "<2e-16", "0.0863"]));
        assert_eq!(format_pvalues(&[0.0, 7.07e-11], 3, P_EPS), s(&["< 2e-16", "7.07e-11"]));
        assert_eq!(format_pvalues(&[1e-30], 3, P_EPS), s(&["<2e-16"]));
    }

    #[test]
    fn zapsmall_and_round_match_r() {
        // zapsmall(c(111.5903, 14.2831, 1.7212), 4) is c(111.59, 14.28, 1.72)
        assert_eq!(zap_small(&[111.5903, 14.2831, 1.7212], 4), vec![111.59, 14.28, 1.72]);
        assert_eq!(round_half_even(0.125, 2), 0.12);
        assert_eq!(round_half_even(1234.5, -2), 1200.0);
    }

    #[test]
    fn g_format_matches_c() {
        // formatC(c(4.99123, 12345.6, 0.000123456, 1e-10), digits = 3)
        assert_eq!(format_g(4.99123, 3), "4.99");
        assert_eq!(format_g(12345.6, 3), "1.23e+04");
        assert_eq!(format_g(0.000123456, 3), "0.000123");
        assert_eq!(format_g(1e-10, 3), "1e-10");
        assert_eq!(format_g(11.4, 3), "11.4");
        assert_eq!(format_g(0.0, 3), "0");
    }

    #[test]
    fn stars_follow_r_cutpoints() {
        assert_eq!(signif_stars(0.001), "***");
        assert_eq!(signif_stars(0.0012), "**");
        assert_eq!(signif_stars(0.05), "*");
        assert_eq!(signif_stars(0.0934), ".");
        assert_eq!(signif_stars(0.5), " ");
    }

    #[test]
    fn table_layout() {
        let lines =
            render_table(&s(&["a", "long"]), &s(&["X", "Y"]), &[s(&["1", "22"]), s(&["333", "4"])], true);
        assert_eq!(lines, s(&["       X  Y", "a      1 22", "long 333  4"]));
    }
}
