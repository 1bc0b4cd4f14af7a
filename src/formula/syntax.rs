//! Tokens and expression trees of the formula text, parsed with R's operator precedence.
//!
//! Precedence, loosest first (as in R's `?Syntax`): `~`, `|`, binary `+ -`, `* /`, `:`,
//! unary `+ -`, `^` (right-associative), function calls and parentheses. So `-1:2` is `(-1):2`,
//! `-x^2` is `-(x^2)` and `1 + x | g` is `(1 + x) | g`.

use super::error::{FormulaError, Span};

/// A binary or unary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Tilde,
    Bar,
    Plus,
    Minus,
    Times,
    Divide,
    Colon,
    Power,
}

impl Op {
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            Op::Tilde => "~",
            Op::Bar => "|",
            Op::Plus => "+",
            Op::Minus => "-",
            Op::Times => "*",
            Op::Divide => "/",
            Op::Colon => ":",
            Op::Power => "^",
        }
    }

    /// Left and right binding powers of the binary form.
    fn binding(self) -> (u8, u8) {
        match self {
            Op::Tilde => (1, 2),
            Op::Bar => (3, 4),
            Op::Plus | Op::Minus => (5, 6),
            Op::Times | Op::Divide => (7, 8),
            Op::Colon => (9, 10),
            Op::Power => (14, 13),
        }
    }
}

/// Binding power of unary `+` and `-`: tighter than `:`, looser than `^`.
const UNARY_BINDING: u8 = 11;

/// A parsed expression with its byte span in the formula text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ExprKind {
    /// A column name; `quoted` when it was written in backticks.
    Name {
        name: String,
        quoted: bool,
    },
    /// A numeric constant.
    Number(f64),
    /// A function call `name(args)`.
    Call {
        name: String,
        name_span: Span,
        args: Vec<Expr>,
    },
    Unary {
        op: Op,
        operand: Box<Expr>,
    },
    Binary {
        op: Op,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    Paren(Box<Expr>),
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Name { name: String, quoted: bool },
    Number(f64),
    Op(Op),
    Open,
    Close,
    Comma,
}

/// Splits a formula into tokens with their spans.
fn tokenize(src: &str) -> Result<Vec<(Token, Span)>, FormulaError> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let start = i;
        let single = |t: Token| (t, Span::new(start, start + 1));
        match b {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'~' => out.push(single(Token::Op(Op::Tilde))),
            b'+' => out.push(single(Token::Op(Op::Plus))),
            b'-' => out.push(single(Token::Op(Op::Minus))),
            b'*' => out.push(single(Token::Op(Op::Times))),
            b'/' => out.push(single(Token::Op(Op::Divide))),
            b':' => out.push(single(Token::Op(Op::Colon))),
            b'^' => out.push(single(Token::Op(Op::Power))),
            b'(' => out.push(single(Token::Open)),
            b')' => out.push(single(Token::Close)),
            b',' => out.push(single(Token::Comma)),
            b'|' => {
                if bytes.get(i + 1) == Some(&b'|') {
                    return Err(FormulaError::new(
                        "'||' (uncorrelated random effects) is not supported; write separate terms \
                         such as (1 | g) + (0 + x | g)",
                        Span::new(i, i + 2),
                        src,
                    ));
                }
                out.push(single(Token::Op(Op::Bar)));
            }
            b'`' => {
                let end = bytes
                    .get(i + 1..)
                    .and_then(|rest| rest.iter().position(|&c| c == b'`'))
                    .map(|p| i + 1 + p)
                    .ok_or_else(|| {
                        FormulaError::new(
                            "unclosed backtick: a quoted name needs a closing `",
                            Span::new(i, src.len()),
                            src,
                        )
                    })?;
                let name = src.get(i + 1..end).unwrap_or("").to_owned();
                if name.is_empty() {
                    return Err(FormulaError::new(
                        "empty name between backticks",
                        Span::new(i, end + 1),
                        src,
                    ));
                }
                i = end + 1;
                out.push((Token::Name { name, quoted: true }, Span::new(start, i)));
                continue;
            }
            b'0'..=b'9' => {
                i = scan_number(bytes, i);
                out.push(number_token(src, start, i)?);
                continue;
            }
            b'.' if bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                i = scan_number(bytes, i);
                out.push(number_token(src, start, i)?);
                continue;
            }
            c if c.is_ascii_alphabetic() || c == b'.' || c >= 0x80 => {
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    if c.is_ascii_alphanumeric() || c == b'.' || c == b'_' || c >= 0x80 {
                        i += 1;
                    } else {
                        break;
                    }
                }
                let name = src.get(start..i).unwrap_or("").to_owned();
                out.push((Token::Name { name, quoted: false }, Span::new(start, i)));
                continue;
            }
            _ => {
                let ch = src.get(i..).and_then(|s| s.chars().next()).unwrap_or('?');
                let end = i + ch.len_utf8();
                if ch.is_control() {
                    let position = src.get(..i).map_or(0, |before| before.chars().count()) + 1;
                    return Err(FormulaError::new(
                        format!(
                            "the formula holds an invisible control character (U+{:04X}) at character {position}, \
                             perhaps pasted with the text; delete it or retype the formula",
                            u32::from(ch)
                        ),
                        Span::new(i, end),
                        src,
                    ));
                }
                let hint = match ch {
                    '"' | '\'' => "; column names with spaces are written in backticks, like `child pop`",
                    '%' => "; operators such as %in% are not supported",
                    '=' | '<' | '>' | '!' | '&' => "; comparisons and logical operators are not supported",
                    '[' | '$' => "; use the column name on its own",
                    _ => "",
                };
                return Err(FormulaError::new(
                    format!("unexpected character '{ch}'{hint}"),
                    Span::new(i, end),
                    src,
                ));
            }
        }
        i += 1;
    }
    Ok(out)
}

/// End of the number starting at `i`: digits, an optional fraction, an optional exponent and
/// R's optional integer suffix `L`.
fn scan_number(bytes: &[u8], mut i: usize) -> usize {
    let digits = |mut j: usize| {
        while bytes.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        j
    };
    i = digits(i);
    if bytes.get(i) == Some(&b'.') {
        i = digits(i + 1);
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(bytes.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        if bytes.get(j).is_some_and(u8::is_ascii_digit) {
            i = digits(j);
        }
    }
    if bytes.get(i) == Some(&b'L') {
        i += 1;
    }
    i
}

fn number_token(src: &str, start: usize, end: usize) -> Result<(Token, Span), FormulaError> {
    let span = Span::new(start, end);
    let text = span.text(src);
    let digits = text.strip_suffix('L').unwrap_or(text);
    match digits.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok((Token::Number(x), span)),
        _ => Err(FormulaError::new(format!("'{text}' is not a number"), span, src)),
    }
}

/// The message for `(1 la)`, `(1 / la)` and the like.
pub(crate) const RANDOM_NEEDS_BAR: &str =
    "a random-effect term needs a '|' between its terms and the group, as in (1 | la) or (1 + imd | la)";

/// True when the leftmost operand of `e` is a number (`1`, `1 + imd`).
pub(crate) fn starts_with_number(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Number(_) => true,
        ExprKind::Binary { lhs, .. } => starts_with_number(lhs),
        _ => false,
    }
}

/// Parses a whole formula text into one expression (normally `response ~ terms`).
pub(crate) fn parse_expr(src: &str) -> Result<Expr, FormulaError> {
    let tokens = tokenize(src)?;
    if tokens.is_empty() {
        return Err(FormulaError::new(
            "the formula is empty; write it like count ~ imd + offset(log(pop))",
            Span::new(0, src.len()),
            src,
        ));
    }
    let mut parser = Parser { src, tokens, pos: 0, depth: 0 };
    let expr = parser.expr(0)?;
    if tree_depth(&expr) > MAX_DEPTH {
        return Err(FormulaError::new(TOO_DEEP, Span::new(0, src.len()), src));
    }
    match parser.tokens.get(parser.pos) {
        None => Ok(expr),
        Some((Token::Close, span)) => {
            Err(FormulaError::new("unbalanced parenthesis: this ')' has no matching '('", *span, src))
        }
        Some((_, span)) => Err(FormulaError::new(
            format!(
                "unexpected '{}' after a complete term; is an operator such as '+' missing?",
                span.text(src)
            ),
            *span,
            src,
        )),
    }
}

/// The deepest expression tree accepted: far beyond real formulas, and small enough that
/// walking the tree recursively is safe on WebAssembly's small stack.
const MAX_DEPTH: usize = 200;
const TOO_DEEP: &str = "the formula is too long or too deeply nested: it may nest at most 200 levels \
    (parentheses, functions and operators), which a sum of about 200 terms reaches; use fewer terms, such as one \
    factor column in place of many indicator columns";

/// Depth of an expression tree, computed without recursion.
fn tree_depth(e: &Expr) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(e, 1usize)];
    while let Some((node, d)) = stack.pop() {
        deepest = deepest.max(d);
        match &node.kind {
            ExprKind::Name { .. } | ExprKind::Number(_) => {}
            ExprKind::Call { args, .. } => stack.extend(args.iter().map(|a| (a, d + 1))),
            ExprKind::Unary { operand, .. } => stack.push((operand, d + 1)),
            ExprKind::Binary { lhs, rhs, .. } => {
                stack.push((lhs, d + 1));
                stack.push((rhs, d + 1));
            }
            ExprKind::Paren(inner) => stack.push((inner, d + 1)),
        }
    }
    deepest
}

struct Parser<'a> {
    src: &'a str,
    tokens: Vec<(Token, Span)>,
    pos: usize,
    /// Nesting of `expr` calls, bounded by [`MAX_DEPTH`].
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&(Token, Span)> {
        self.tokens.get(self.pos)
    }

    fn end_span(&self) -> Span {
        Span::new(self.src.len(), self.src.len())
    }

    fn err(&self, message: impl Into<String>, span: Span) -> FormulaError {
        FormulaError::new(message, span, self.src)
    }

    /// Pratt parser: an operand followed by binary operators binding tighter than `min`.
    fn expr(&mut self, min: u8) -> Result<Expr, FormulaError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            let span = self.tokens.get(self.pos).map_or(self.end_span(), |(_, s)| *s);
            return Err(self.err(TOO_DEEP, span));
        }
        let result = self.expr_inner(min);
        self.depth -= 1;
        result
    }

    fn expr_inner(&mut self, min: u8) -> Result<Expr, FormulaError> {
        let mut lhs = self.operand()?;
        while let Some((Token::Op(op), _)) = self.peek() {
            let op = *op;
            let (left, right) = op.binding();
            if left < min {
                break;
            }
            self.pos += 1;
            let rhs = self.expr(right)?;
            let span = lhs.span.join(rhs.span);
            lhs = Expr { kind: ExprKind::Binary { op, lhs: Box::new(lhs), rhs: Box::new(rhs) }, span };
        }
        Ok(lhs)
    }

    fn operand(&mut self) -> Result<Expr, FormulaError> {
        let Some((token, span)) = self.tokens.get(self.pos).cloned() else {
            let span = self.tokens.last().map_or(self.end_span(), |(_, s)| *s);
            return Err(
                self.err("the formula ends too early: a term is missing after the last operator", span)
            );
        };
        self.pos += 1;
        match token {
            Token::Number(x) => Ok(Expr { kind: ExprKind::Number(x), span }),
            Token::Name { name, quoted } => {
                if !quoted && matches!(self.peek(), Some((Token::Open, _))) {
                    self.pos += 1;
                    self.call(name, span)
                } else {
                    Ok(Expr { kind: ExprKind::Name { name, quoted }, span })
                }
            }
            Token::Op(op @ (Op::Plus | Op::Minus | Op::Tilde)) => {
                let bp = if op == Op::Tilde { 2 } else { UNARY_BINDING };
                let operand = self.expr(bp)?;
                let span = span.join(operand.span);
                Ok(Expr { kind: ExprKind::Unary { op, operand: Box::new(operand) }, span })
            }
            Token::Op(op) => Err(self.err(format!("'{}' needs a term on its left", op.symbol()), span)),
            Token::Open => {
                let inner = self.expr(0)?;
                match self.peek() {
                    Some((Token::Close, close)) => {
                        let span = span.join(*close);
                        self.pos += 1;
                        Ok(Expr { kind: ExprKind::Paren(Box::new(inner)), span })
                    }
                    Some((Token::Name { .. } | Token::Number(_), next)) if starts_with_number(&inner) => {
                        Err(self.err(RANDOM_NEEDS_BAR, span.join(*next)))
                    }
                    _ => Err(self.err("unbalanced parenthesis: this '(' is never closed", span)),
                }
            }
            Token::Close => Err(self.err("unexpected ')': a term is missing before it", span)),
            Token::Comma => Err(self.err("unexpected ',' outside a function's parentheses", span)),
        }
    }

    /// The arguments of a call whose name and `(` have been read.
    fn call(&mut self, name: String, name_span: Span) -> Result<Expr, FormulaError> {
        let mut args = Vec::new();
        if let Some((Token::Close, close)) = self.peek() {
            let span = name_span.join(*close);
            self.pos += 1;
            return Ok(Expr { kind: ExprKind::Call { name, name_span, args }, span });
        }
        loop {
            args.push(self.expr(0)?);
            match self.peek() {
                Some((Token::Comma, _)) => self.pos += 1,
                Some((Token::Close, close)) => {
                    let span = name_span.join(*close);
                    self.pos += 1;
                    return Ok(Expr { kind: ExprKind::Call { name, name_span, args }, span });
                }
                _ => {
                    return Err(
                        self.err(format!("unbalanced parenthesis: '{name}(' is never closed"), name_span)
                    )
                }
            }
        }
    }
}
