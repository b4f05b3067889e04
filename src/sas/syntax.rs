//! Splitting a token into raw fields, and percent-decoding each value with its spans.
//!
//! Implements `sas-token`, `field`, `field-name`, `field-value` and `pct-encoded` of
//! `grammar/sas-token.abnf`. Nothing here interprets a value or decides what is
//! wrong: it records what it saw (bad escapes, raw `+`, `%25`) so the rules can judge.

use std::ops::Range;

use nom::bytes::complete::take_till;
use nom::character::complete::char;
use nom::combinator::opt;
use nom::multi::separated_list0;
use nom::sequence::preceded;
use nom::{IResult, Parser};

/// One `name=value` pair of the token, as written, with its decoded value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawField {
    /// Byte range of the whole field (name, `=` and value) in the input.
    pub span: Range<usize>,
    /// The name as written.
    pub key: String,
    /// Byte range of the name.
    pub key_span: Range<usize>,
    /// True when the field had an `=`.
    pub has_equals: bool,
    /// The value as written (still percent-encoded).
    pub raw_value: String,
    /// Byte range of the value as written (empty, at the end of the name, when the
    /// field has no `=`).
    pub value_span: Range<usize>,
    /// The value percent-decoded once; `+` stays `+`.
    pub value: String,
    /// For each byte of `value`, the input offset of the text it came from; one more
    /// entry for the end.
    offsets: Vec<usize>,
    /// What decoding noticed.
    pub marks: Vec<Mark>,
}

/// Something percent-decoding noticed in a value, with its range in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mark {
    /// A `%` not followed by two hex digits; kept as written.
    BadEscape(Range<usize>),
    /// A raw `+`, which the service reads as a space.
    RawPlus(Range<usize>),
    /// `%25` followed by two hex digits: a value encoded twice.
    DoubleEncoded(Range<usize>),
    /// Escapes that decode to bytes that are not UTF-8.
    NotUtf8(Range<usize>),
}

impl RawField {
    /// Maps a byte range of the decoded value back to a range of the input.
    pub fn input_span(&self, decoded: Range<usize>) -> Range<usize> {
        let at = |i: usize| self.offsets.get(i).copied().unwrap_or(self.value_span.end);
        let start = at(decoded.start);
        let end = if decoded.end > decoded.start {
            // The end of the last decoded byte: the start of the next one.
            at(decoded.end)
        } else {
            start
        };
        start..end.max(start)
    }

    /// The span to point at for the value: the value itself, or the name when empty.
    pub fn value_or_key_span(&self) -> Range<usize> {
        if self.value_span.is_empty() {
            self.span.clone()
        } else {
            self.value_span.clone()
        }
    }
}

/// A field as the splitter sees it: name and optional value, as slices of the input.
struct Split<'a> {
    name: &'a str,
    value: Option<&'a str>,
}

/// `sas-token = field *( "&" field )`
///
/// `text` is the token (without a leading `?`); `base` is its offset in the input.
/// Empty fields (`&&`, a trailing `&`) are dropped.
pub fn sas_token(text: &str, base: usize) -> Vec<RawField> {
    let parsed: IResult<&str, Vec<Split<'_>>> = separated_list0(char('&'), field).parse(text);
    let Ok((_, splits)) = parsed else {
        return Vec::new();
    };
    splits
        .into_iter()
        .filter(|s| !s.name.is_empty() || s.value.is_some())
        .map(|s| build(text, base, &s))
        .collect()
}

/// `field = [ field-name [ "=" field-value ] ]`
fn field(input: &str) -> IResult<&str, Split<'_>> {
    let (rest, name) = field_name(input)?;
    let (rest, value) = opt(preceded(char('='), field_value)).parse(rest)?;
    Ok((rest, Split { name, value }))
}

/// `field-name = *name-char` (anything but `&` and `=`)
fn field_name(input: &str) -> IResult<&str, &str> {
    take_till(|c| c == '&' || c == '=').parse(input)
}

/// `field-value = *value-char` (anything but `&`; a raw `=` stays in the value)
fn field_value(input: &str) -> IResult<&str, &str> {
    take_till(|c| c == '&').parse(input)
}

fn offset_in(whole: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize)
}

fn build(text: &str, base: usize, split: &Split<'_>) -> RawField {
    let key_start = base + offset_in(text, split.name);
    let key_span = key_start..key_start + split.name.len();
    let (value_span, raw_value) = match split.value {
        Some(value) => {
            let start = base + offset_in(text, value);
            (start..start + value.len(), value)
        }
        None => (key_span.end..key_span.end, ""),
    };
    let decoded = pct_encoded(raw_value, value_span.start);
    RawField {
        span: key_span.start..value_span.end.max(key_span.end),
        key: split.name.to_string(),
        key_span,
        has_equals: split.value.is_some(),
        raw_value: raw_value.to_string(),
        value_span,
        value: decoded.text,
        offsets: decoded.offsets,
        marks: decoded.marks,
    }
}

struct DecodedValue {
    text: String,
    offsets: Vec<usize>,
    marks: Vec<Mark>,
}

/// `pct-encoded = "%" HEXDIG HEXDIG`, decoded once over a whole value.
///
/// Decoding is RFC 3986 percent-decoding, not form decoding: a `+` stays a `+`
/// (the service's own reading of it as a space is reported by the rules).
fn pct_encoded(raw: &str, base: usize) -> DecodedValue {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut offsets = Vec::with_capacity(bytes.len() + 1);
    let mut marks = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let here = base + i;
        match bytes.get(i) {
            Some(b'%') => match hex_pair(bytes, i + 1) {
                Some(byte) => {
                    if byte == b'%' && hex_pair(bytes, i + 3).is_some() {
                        marks.push(Mark::DoubleEncoded(here..here + 5));
                    }
                    out.push(byte);
                    offsets.push(here);
                    i += 3;
                }
                None => {
                    let end = escape_end(raw, i);
                    marks.push(Mark::BadEscape(here..base + end));
                    out.push(b'%');
                    offsets.push(here);
                    i += 1;
                }
            },
            Some(&byte) => {
                if byte == b'+' {
                    marks.push(Mark::RawPlus(here..here + 1));
                }
                out.push(byte);
                offsets.push(here);
                i += 1;
            }
            None => break,
        }
    }
    offsets.push(base + bytes.len());
    let (text, offsets) = match String::from_utf8(out) {
        Ok(text) => (text, offsets),
        Err(e) => {
            marks.push(Mark::NotUtf8(base..base + bytes.len()));
            lossy(e.as_bytes(), &offsets)
        }
    };
    DecodedValue {
        text,
        offsets,
        marks,
    }
}

/// Replaces each byte of an invalid UTF-8 sequence by `?`, keeping valid characters
/// whole, so `offsets` stays one entry per byte of the text (plus the end).
fn lossy(bytes: &[u8], offsets: &[usize]) -> (String, Vec<usize>) {
    let end = offsets.last().copied().unwrap_or(0);
    let at = |i: usize| offsets.get(i).copied().unwrap_or(end);
    let mut text = String::with_capacity(bytes.len());
    let mut aligned = Vec::with_capacity(offsets.len());
    let mut i = 0;
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        aligned.extend((i..i + chunk.valid().len()).map(at));
        i += chunk.valid().len();
        for _ in chunk.invalid() {
            text.push('?');
            aligned.push(at(i));
            i += 1;
        }
    }
    aligned.push(end);
    (text, aligned)
}

fn hex_pair(bytes: &[u8], at: usize) -> Option<u8> {
    let hi = (*bytes.get(at)? as char).to_digit(16)?;
    let lo = (*bytes.get(at + 1)? as char).to_digit(16)?;
    u8::try_from(hi * 16 + lo).ok()
}

/// The end of a bad escape: the `%` and up to two following characters.
fn escape_end(raw: &str, percent: usize) -> usize {
    let mut end = percent + 1;
    for _ in 0..2 {
        match raw.get(end..).and_then(|rest| rest.chars().next()) {
            Some(c) if c != '%' => end += c.len_utf8(),
            _ => break,
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::{Mark, sas_token};

    fn assert_spans(text: &str, base: usize) {
        let fields = sas_token(text, base);
        let mut last = base;
        for f in &fields {
            assert!(f.span.start >= last, "ordered: {f:?}");
            assert!(f.span.end <= base + text.len(), "in bounds: {f:?}");
            last = f.span.end;
        }
    }

    #[test]
    fn splits_fields_with_spans() {
        let fields = sas_token("sv=2021-06-08&sp=rl", 1);
        assert_eq!(fields.len(), 2);
        assert_eq!(fields[0].key, "sv");
        assert_eq!(fields[0].key_span, 1..3);
        assert_eq!(fields[0].value_span, 4..14);
        assert_eq!(fields[1].value, "rl");
        assert_spans("sv=2021-06-08&sp=rl", 1);
    }

    #[test]
    fn decodes_once_and_maps_spans_back() {
        let fields = sas_token("se=2030-01-01T00%3A00Z", 0);
        let se = &fields[0];
        assert_eq!(se.value, "2030-01-01T00:00Z");
        // ':' (decoded byte 13) came from "%3A" at input 16..19.
        assert_eq!(se.input_span(13..14), 16..19);
        assert_eq!(se.input_span(0..se.value.len()), se.value_span);
    }

    #[test]
    fn records_plus_bad_escape_and_double_encoding() {
        let fields = sas_token("sig=a+b%2G%252B", 0);
        let marks = &fields[0].marks;
        assert!(marks.contains(&Mark::RawPlus(5..6)));
        assert!(marks.contains(&Mark::BadEscape(7..10)));
        assert!(marks.contains(&Mark::DoubleEncoded(10..15)));
        assert_eq!(fields[0].value, "a+b%2G%2B");
    }

    #[test]
    fn keeps_raw_equals_and_fields_without_value() {
        let fields = sas_token("sig=abc=&spr&&x=", 0);
        assert_eq!(fields.len(), 3);
        assert_eq!(fields[0].value, "abc=");
        assert!(!fields[1].has_equals);
        assert_eq!(fields[2].value, "");
        assert_spans("sig=abc=&spr&&x=", 0);
    }

    #[test]
    fn non_utf8_escapes_are_marked_not_fatal() {
        let fields = sas_token("sp=%FFr&é=%C3%A9", 0);
        assert!(matches!(fields[0].marks[0], Mark::NotUtf8(_)));
        assert_eq!(fields[0].value.len() + 1, 3);
        assert_eq!(fields[1].value, "é");
    }
}
