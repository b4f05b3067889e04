//! A JSON reader that remembers where every value is.
//!
//! Implements `grammar/json.abnf`. `serde_json` reports positions only for syntax
//! errors; the checks need the byte span of each value to point a diagnostic at it.
//! The reader builds a small tree ([`Node`]) with spans, keeps duplicate member names,
//! keeps numbers as text (a size with thousands of digits is a finding, not a crash),
//! and walks nesting with an explicit stack, so deep input cannot overflow the call
//! stack: it is refused past [`MAX_DEPTH`] levels.

use std::fmt;
use std::ops::Range;

/// Deepest nesting accepted; far beyond any real dump or manifest.
pub const MAX_DEPTH: usize = 512;

/// A JSON value with its byte span in the text it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Byte range of the whole value (for strings, including the quotes).
    pub span: Range<usize>,
    /// The value.
    pub value: Value,
}

/// A JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number, as written.
    Number(String),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Node>),
    /// An object, members in document order, duplicates kept.
    Object(Vec<Member>),
}

/// One `name: value` pair of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The name, unescaped.
    pub key: String,
    /// Byte range of the name, including its quotes.
    pub key_span: Range<usize>,
    /// The value.
    pub value: Node,
}

/// Why a text is not JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Where the problem is.
    pub span: Range<usize>,
    /// What the problem is, lower case.
    pub message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl Node {
    /// The JSON type name, for messages: `null`, `boolean`, `number`, ...
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }

    /// The first member named exactly `key`, if this is an object.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.member(key).map(|m| &m.value)
    }

    /// The first member named exactly `key`, with its name span.
    pub fn member(&self, key: &str) -> Option<&Member> {
        self.members().iter().find(|m| m.key == key)
    }

    /// The first member whose name equals `key` ignoring ASCII case.
    pub fn member_ignore_case(&self, key: &str) -> Option<&Member> {
        self.members()
            .iter()
            .find(|m| m.key.eq_ignore_ascii_case(key))
    }

    /// The members, or none if this is not an object.
    pub fn members(&self) -> &[Member] {
        match &self.value {
            Value::Object(members) => members,
            _ => &[],
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// True for an object.
    pub fn is_object(&self) -> bool {
        matches!(self.value, Value::Object(_))
    }

    /// True for `null`.
    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// The string, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number's text, if this is a number.
    pub fn as_number_text(&self) -> Option<&str> {
        match &self.value {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The number as a `u64`, if it is a non-negative integer that fits.
    pub fn as_u64(&self) -> Option<u64> {
        self.as_number_text()?.parse().ok()
    }

    /// The number as an `i64`, if it is an integer that fits.
    pub fn as_i64(&self) -> Option<i64> {
        self.as_number_text()?.parse().ok()
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The span of the string's content, without quotes (the whole span otherwise).
    pub fn inner_span(&self) -> Range<usize> {
        match self.value {
            Value::String(_) if self.span.len() >= 2 => self.span.start + 1..self.span.end - 1,
            _ => self.span.clone(),
        }
    }
}

/// Reads a JSON input for a check: the tree, or `None` after pushing a finding of
/// `code` on field `input` that says why the text is not JSON and gives `help`.
pub(crate) fn parse_input(
    text: &str,
    report: &mut crate::diag::InputReport,
    code: crate::diag::Code,
    help: &str,
) -> Option<Node> {
    match parse(text) {
        Ok(root) => Some(root),
        Err(e) => {
            report.findings.push(
                crate::diag::Finding::new(code, "input", e.span)
                    .message(format!("not JSON: {}", e.message))
                    .help(help),
            );
            None
        }
    }
}

/// Reads a JSON text (`json-text`) into a tree with spans.
pub fn parse(text: &str) -> Result<Node, Error> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
    };
    reader.ws();
    let node = reader.value()?;
    reader.ws();
    if reader.pos < text.len() {
        return Err(reader.error_here("unexpected text after the JSON value"));
    }
    Ok(node)
}

/// Maps a byte range of a string's decoded value back to the range of its raw text.
///
/// `raw` is the string's content as written, without its quotes (the text at
/// [`Node::inner_span`] of a string that [`parse`] accepted). A range that starts or
/// ends inside the decoding of an escape is widened to the whole escape, so the raw
/// range always covers every byte the decoded range came from.
pub fn raw_range(raw: &str, decoded: Range<usize>) -> Range<usize> {
    let (mut start, mut end) = (None, raw.len());
    let (mut at_raw, mut at_decoded) = (0, 0);
    while let Some((len, decoded_len)) = next_char(raw, at_raw) {
        let next_decoded = at_decoded + decoded_len;
        if start.is_none() && next_decoded > decoded.start {
            start = Some(at_raw);
        }
        if next_decoded >= decoded.end && start.is_some() {
            end = at_raw + len;
            break;
        }
        at_raw += len;
        at_decoded = next_decoded;
    }
    let start = start.unwrap_or(raw.len());
    start..end.max(start)
}

/// The raw length and decoded UTF-8 length of the character (or escape) at `at`.
fn next_char(raw: &str, at: usize) -> Option<(usize, usize)> {
    let rest = raw.get(at..)?;
    let first = rest.chars().next()?;
    if first != '\\' {
        return Some((first.len_utf8(), first.len_utf8()));
    }
    if !rest.starts_with("\\u") {
        return Some((2, 1));
    }
    let code = rest
        .get(2..6)
        .and_then(|hex| u32::from_str_radix(hex, 16).ok())
        .unwrap_or(0xFFFD);
    let paired = (0xD800..0xDC00).contains(&code) && rest.get(6..8) == Some("\\u");
    if paired {
        return Some((12, 4));
    }
    let c = char::from_u32(code).unwrap_or('\u{FFFD}');
    Some((6, c.len_utf8()))
}

/// An array or object being read, with where it started.
enum Open {
    Array {
        start: usize,
        items: Vec<Node>,
    },
    Object {
        start: usize,
        members: Vec<Member>,
        key: Option<(String, Range<usize>)>,
    },
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn error_here(&self, message: &str) -> Error {
        let end = self.text[self.pos..]
            .chars()
            .next()
            .map_or(self.pos, |c| self.pos + c.len_utf8());
        Error {
            span: self.pos..end,
            message: message.to_string(),
        }
    }

    fn unexpected(&self, expected: &str) -> Error {
        match self.text[self.pos..].chars().next() {
            None => Error {
                span: self.pos..self.pos,
                message: format!("the JSON ends early; expected {expected}"),
            },
            Some(c) => self.error_here(&format!("unexpected {c:?}; expected {expected}")),
        }
    }

    /// `ws = *( %x20 / %x09 / %x0A / %x0D )`
    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// `value = false / null / true / object / array / number / string`, without
    /// recursion: open arrays and objects live on `stack`.
    fn value(&mut self) -> Result<Node, Error> {
        let mut stack: Vec<Open> = Vec::new();
        loop {
            self.ws();
            // Read one value, or open a container and go round again.
            let mut done = match self.peek() {
                Some(b'[') | Some(b'{') => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(
                            self.error_here(&format!("nested more than {MAX_DEPTH} levels deep"))
                        );
                    }
                    let start = self.pos;
                    let is_array = self.peek() == Some(b'[');
                    self.pos += 1;
                    self.ws();
                    let close = if is_array { b']' } else { b'}' };
                    if self.peek() == Some(close) {
                        self.pos += 1;
                        let value = if is_array {
                            Value::Array(Vec::new())
                        } else {
                            Value::Object(Vec::new())
                        };
                        Node {
                            span: start..self.pos,
                            value,
                        }
                    } else if is_array {
                        stack.push(Open::Array {
                            start,
                            items: Vec::new(),
                        });
                        continue;
                    } else {
                        let key = self.member_name()?;
                        stack.push(Open::Object {
                            start,
                            members: Vec::new(),
                            key: Some(key),
                        });
                        continue;
                    }
                }
                _ => self.scalar()?,
            };
            // Hand the finished value to its container, closing containers as they end.
            loop {
                let Some(open) = stack.last_mut() else {
                    return Ok(done);
                };
                self.ws();
                match open {
                    Open::Array { start, items } => {
                        items.push(done);
                        match self.peek() {
                            Some(b',') => {
                                self.pos += 1;
                                break;
                            }
                            Some(b']') => {
                                self.pos += 1;
                                let span = *start..self.pos;
                                let items = std::mem::take(items);
                                stack.pop();
                                done = Node {
                                    span,
                                    value: Value::Array(items),
                                };
                            }
                            _ => return Err(self.unexpected("',' or ']'")),
                        }
                    }
                    Open::Object {
                        start,
                        members,
                        key,
                    } => {
                        if let Some((name, key_span)) = key.take() {
                            members.push(Member {
                                key: name,
                                key_span,
                                value: done,
                            });
                        }
                        match self.peek() {
                            Some(b',') => {
                                self.pos += 1;
                                self.ws();
                                *key = Some(self.member_name()?);
                                break;
                            }
                            Some(b'}') => {
                                self.pos += 1;
                                let span = *start..self.pos;
                                let members = std::mem::take(members);
                                stack.pop();
                                done = Node {
                                    span,
                                    value: Value::Object(members),
                                };
                            }
                            _ => return Err(self.unexpected("',' or '}'")),
                        }
                    }
                }
            }
        }
    }

    /// `member = string name-separator value`, up to and including the separator.
    fn member_name(&mut self) -> Result<(String, Range<usize>), Error> {
        if self.peek() != Some(b'"') {
            return Err(self.unexpected("a member name in double quotes"));
        }
        let start = self.pos;
        let name = self.string()?;
        let span = start..self.pos;
        self.ws();
        if self.peek() != Some(b':') {
            return Err(self.unexpected("':' after the member name"));
        }
        self.pos += 1;
        Ok((name, span))
    }

    /// `false / null / true / number / string`
    fn scalar(&mut self) -> Result<Node, Error> {
        let start = self.pos;
        let value = match self.peek() {
            Some(b'"') => Value::String(self.string()?),
            Some(b'-' | b'0'..=b'9') => Value::Number(self.number()?),
            Some(b't') => self.literal("true", Value::Bool(true))?,
            Some(b'f') => self.literal("false", Value::Bool(false))?,
            Some(b'n') => self.literal("null", Value::Null)?,
            _ => return Err(self.unexpected("a JSON value")),
        };
        Ok(Node {
            span: start..self.pos,
            value,
        })
    }

    /// `false`, `null`, `true`
    fn literal(&mut self, word: &str, value: Value) -> Result<Value, Error> {
        if self.text[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.unexpected(&format!("`{word}`")))
        }
    }

    /// `number = [ minus ] int [ frac ] [ exp ]`
    fn number(&mut self) -> Result<String, Error> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.unexpected("a digit")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.unexpected("a digit after the decimal point"));
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.unexpected("a digit in the exponent"));
            }
            self.digits();
        }
        Ok(self.text[start..self.pos].to_string())
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    /// `string = quotation-mark *char quotation-mark`
    fn string(&mut self) -> Result<String, Error> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(&self.text[run_start..self.pos]);
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => out.push(self.escape()?),
                Some(_) => {
                    return Err(self.error_here(
                        "control character inside a string; it must be written as an escape",
                    ));
                }
                None => {
                    return Err(Error {
                        span: open..self.pos,
                        message: String::from("string is not closed"),
                    });
                }
            }
        }
    }

    /// `escape ( %x22 / %x5C / %x2F / %x62 / %x66 / %x6E / %x72 / %x74 / %x75 4HEXDIG )`
    fn escape(&mut self) -> Result<char, Error> {
        let start = self.pos;
        self.pos += 1;
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                return self.unicode_escape(start);
            }
            _ => return Err(self.unexpected("an escape: one of \" \\ / b f n r t u")),
        };
        self.pos += 1;
        Ok(c)
    }

    fn unicode_escape(&mut self, start: usize) -> Result<char, Error> {
        let high = self.hex4()?;
        if !(0xD800..0xDC00).contains(&high) {
            return char::from_u32(high).ok_or_else(|| Error {
                span: start..self.pos,
                message: String::from("escape names a lone low surrogate, not a character"),
            });
        }
        if self.text[self.pos..].starts_with("\\u") {
            self.pos += 2;
            let low = self.hex4()?;
            if (0xDC00..0xE000).contains(&low) {
                let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                if let Some(c) = char::from_u32(code) {
                    return Ok(c);
                }
            }
        }
        Err(Error {
            span: start..self.pos,
            message: String::from("escape names a high surrogate with no low surrogate after it"),
        })
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let digits = self.bytes.get(self.pos..self.pos + 4);
        let value = digits
            .filter(|d| d.iter().all(u8::is_ascii_hexdigit))
            .and_then(|d| std::str::from_utf8(d).ok())
            .and_then(|d| u32::from_str_radix(d, 16).ok());
        match value {
            Some(v) => {
                self.pos += 4;
                Ok(v)
            }
            None => Err(self.unexpected("four hex digits after \\u")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{MAX_DEPTH, Value, parse};

    #[test]
    fn spans_point_at_values_and_names() {
        let text = r#"{"a": [1, "x\u00e9"], "b": null}"#;
        let root = parse(text).unwrap();
        let a = root.member("a").unwrap();
        assert_eq!(&text[a.key_span.clone()], r#""a""#);
        let items = a.value.as_array().unwrap();
        assert_eq!(&text[items[1].span.clone()], r#""x\u00e9""#);
        assert_eq!(items[1].as_str(), Some("xé"));
        assert!(root.get("b").unwrap().is_null());
    }

    #[test]
    fn duplicates_are_kept_in_order() {
        let root = parse(r#"{"k": 1, "k": 2}"#).unwrap();
        assert_eq!(root.members().len(), 2);
        assert_eq!(root.get("k").unwrap().as_u64(), Some(1));
    }

    #[test]
    fn numbers_keep_their_text() {
        let big = "9".repeat(5000);
        let root = parse(&format!("[{big}, -0.5e+3]")).unwrap();
        let items = root.as_array().unwrap();
        assert_eq!(items[0].value, Value::Number(big));
        assert_eq!(items[0].as_u64(), None);
        assert_eq!(items[1].as_number_text(), Some("-0.5e+3"));
    }

    #[test]
    fn deep_nesting_is_refused_without_recursion() {
        let text = "[".repeat(200_000) + &"]".repeat(200_000);
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("nested more than"), "{}", err.message);
        assert_eq!(err.span.start, MAX_DEPTH);
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn errors_name_the_problem() {
        for (text, needle) in [
            ("", "ends early"),
            ("{\"a\" 1}", "':'"),
            ("[1,]", "a JSON value"),
            ("\"abc", "not closed"),
            ("\"\\ud800\"", "high surrogate"),
            ("[01]", "',' or ']'"),
            ("{} x", "after the JSON value"),
            ("\"a\tb\"", "control character"),
        ] {
            let err = parse(text).unwrap_err();
            assert!(err.message.contains(needle), "{text:?}: {}", err.message);
            assert!(err.span.end <= text.len());
        }
    }

    #[test]
    fn decoded_ranges_map_back_to_raw_text() {
        use super::raw_range;
        let raw = r"a\u0026sig\u003dXY\/Z";
        let decoded = "a&sig=XY/Z";
        let at = |part: &str| decoded.find(part).unwrap_or(0);
        assert_eq!(raw_range(raw, at("XY")..at("XY") + 4), 16..21);
        assert_eq!(&raw[raw_range(raw, 1..2)], r"\u0026");
        assert_eq!(&raw[raw_range(raw, 2..6)], r"sig\u003d");
        assert_eq!(raw_range(raw, 10..10), 21..21);
        let emoji = r"\ud83d\ude00x";
        assert_eq!(raw_range(emoji, 4..5), 12..13);
        assert_eq!(raw_range(emoji, 1..2), 0..12);
    }
}
