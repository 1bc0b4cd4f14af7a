//! Writing expressions back as R writes them (`deparse`), so that column and term names match
//! R's `model.matrix` and `terms` exactly.

use super::syntax::{Expr, ExprKind, Op};

/// R's text for an expression: spaces around `~ | + - *`, none around `/ : ^`, `f(a, b)` for
/// calls, backticks around names that are not syntactic, and parentheses added where a
/// synthesised tree needs them (`c:(b:a)`).
pub(crate) fn deparse(expr: &Expr) -> String {
    let mut out = String::new();
    write_expr(expr, &mut out);
    out
}

fn write_expr(expr: &Expr, out: &mut String) {
    match &expr.kind {
        ExprKind::Name { name, .. } => out.push_str(&r_name(name)),
        ExprKind::Number(x) => out.push_str(&r_number(*x)),
        ExprKind::Call { name, args, .. } => {
            out.push_str(name);
            out.push('(');
            for (i, a) in args.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_expr(a, out);
            }
            out.push(')');
        }
        ExprKind::Unary { op, operand } => {
            out.push_str(op.symbol());
            write_operand(operand, precedence(*op, true), false, out);
        }
        ExprKind::Binary { op, lhs, rhs } => {
            let p = precedence(*op, false);
            let right_assoc = *op == Op::Power;
            write_operand(lhs, p, right_assoc, out);
            if matches!(op, Op::Divide | Op::Colon | Op::Power) {
                out.push_str(op.symbol());
            } else {
                out.push(' ');
                out.push_str(op.symbol());
                out.push(' ');
            }
            write_operand(rhs, p, !right_assoc, out);
        }
        ExprKind::Paren(inner) => {
            out.push('(');
            write_expr(inner, out);
            out.push(')');
        }
    }
}

/// Writes an operand of an operator of precedence `p`, in parentheses when it binds more
/// loosely (or equally, on the side where the operator does not associate).
fn write_operand(expr: &Expr, p: u8, strict: bool, out: &mut String) {
    let inner = match &expr.kind {
        ExprKind::Binary { op, .. } => Some(precedence(*op, false)),
        ExprKind::Unary { op, .. } => Some(precedence(*op, true)),
        _ => None,
    };
    let wrap = inner.is_some_and(|q| q < p || (strict && q == p));
    if wrap {
        out.push('(');
    }
    write_expr(expr, out);
    if wrap {
        out.push(')');
    }
}

fn precedence(op: Op, unary: bool) -> u8 {
    match op {
        Op::Tilde => 1,
        Op::Bar => 2,
        Op::Plus | Op::Minus if unary => 6,
        Op::Plus | Op::Minus => 3,
        Op::Times | Op::Divide => 4,
        Op::Colon => 5,
        Op::Power => 7,
    }
}

/// True for R's syntactic names: a letter, or a dot not followed by a digit, then letters,
/// digits, dots and underscores; not a reserved word.
pub(crate) fn is_syntactic(name: &str) -> bool {
    const RESERVED: [&str; 19] = [
        "if",
        "else",
        "repeat",
        "while",
        "function",
        "for",
        "next",
        "break",
        "TRUE",
        "FALSE",
        "NULL",
        "Inf",
        "NaN",
        "NA",
        "NA_integer_",
        "NA_real_",
        "NA_character_",
        "in",
        "NA_complex_",
    ];
    let mut chars = name.chars();
    let Some(first) = chars.next() else { return false };
    let rest_ok = name.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '_');
    let start_ok =
        first.is_alphabetic() || (first == '.' && !name.chars().nth(1).is_some_and(|c| c.is_ascii_digit()));
    start_ok && rest_ok && !RESERVED.contains(&name)
}

/// A column name as R writes it in term labels: as is when syntactic, otherwise in backticks.
pub(crate) fn r_name(name: &str) -> String {
    if is_syntactic(name) {
        name.to_owned()
    } else {
        format!("`{name}`")
    }
}

/// A number as R's `as.character` and `deparse` write it: up to 15 significant digits, in fixed
/// notation unless scientific notation is shorter (`1e+05`, `123456`, `1e-04`, `0.00012`).
pub fn r_number(x: f64) -> String {
    if x == 0.0 {
        return "0".to_owned();
    }
    if !x.is_finite() {
        return if x.is_nan() {
            "NaN".to_owned()
        } else if x > 0.0 {
            "Inf".to_owned()
        } else {
            "-Inf".to_owned()
        };
    }
    // 15 significant digits in scientific form: d.dddddddddddddde[-]x
    let sci = format!("{:.14e}", x.abs());
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let nsig = digits.trim_end_matches('0').len().max(1);
    let neg = usize::from(x < 0.0);

    let (left, rgt) = if exponent >= 0 {
        (exponent.unsigned_abs() as usize + 1, nsig.saturating_sub(exponent.unsigned_abs() as usize + 1))
    } else {
        (1, nsig + exponent.unsigned_abs() as usize - 1)
    };
    let fixed_width = neg + left + if rgt > 0 { rgt + 1 } else { 0 };
    let exp_digits = if exponent.abs() >= 100 { 3 } else { 2 };
    let sci_width = neg + if nsig > 1 { nsig + 1 } else { 1 } + 2 + exp_digits;
    if fixed_width <= sci_width {
        format!("{:.*}", rgt, x)
    } else {
        let m = format!("{:.*e}", nsig - 1, x);
        let (m, e) = m.split_once('e').unwrap_or((m.as_str(), "0"));
        let e: i32 = e.parse().unwrap_or(0);
        let sign = if e < 0 { '-' } else { '+' };
        format!("{m}e{sign}{:0width$}", e.abs(), width = exp_digits)
    }
}
