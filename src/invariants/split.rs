//! The SAS splitter (`crate::sas::syntax::sas_token`) held to its grammar and to
//! `url::form_urlencoded::parse`: the `sas_split` fuzz target and the proptests in
//! `tests/proptest_sas_split.rs` both call [`grammar`] and [`differential`].
//!
//! The two readers agree by design except in three places, which the property below
//! states exactly instead of skipping:
//!
//! - `+`: form decoding reads it as a space; the splitter keeps it (and marks it, since
//!   the storage service reads it as a space and a signature with `+` breaks). Inputs
//!   with `+` are left out of the comparison.
//! - Names: the splitter keeps a field's name as written (the rules match names
//!   without decoding them); form decoding decodes it. The splitter's name, form
//!   decoded on its own, must equal the other's name.
//! - Escapes that decode to bytes that are not UTF-8: form decoding puts one U+FFFD for
//!   each maximal bad sequence (1 to 3 bytes); the splitter puts one `?` for each bad
//!   byte, so that its value keeps one byte per decoded byte and its spans map back,
//!   and marks the field `NotUtf8`. So: with the mark, the values are equal once `?`
//!   and U+FFFD are removed from both; the other has more U+FFFD than the splitter
//!   (whose U+FFFD can only come from the input itself); and the splitter's extra `?`
//!   number one to three per extra U+FFFD. Without the mark, the values are equal.
//!
//! Escapes cut short or not hex (`%`, `%4`, `%G1`) are kept as written by both.

use std::ops::Range;

use url::form_urlencoded;

use super::{Violation, check_span, ensure};
use crate::input;
use crate::sas::syntax::{Mark, RawField, sas_token};

/// An offset the splitter is run at besides 0, to check that spans move with it.
const BASE: usize = 7;

/// The `sas_split` fuzz target: [`grammar`] on the decoded bytes, and
/// [`differential`] when the text holds no `+`.
pub fn sas_split(data: &[u8]) -> Result<(), Violation> {
    let text = input::decode(data).text;
    grammar(&text)?;
    if text.contains('+') {
        return Ok(());
    }
    differential(&text)
}

/// Grammar-level properties of the splitter on `text`: fields are in order, apart and
/// inside the text, on character boundaries; a field's name and raw value are the text
/// at their spans, separated by `=` exactly when the field has one, and fields are
/// separated by `&`; every field is non-empty; decoding maps back: each decoded
/// character comes from the input bytes its span points at; splitting at an offset
/// moves every span by that offset; two splits agree.
pub fn grammar(text: &str) -> Result<(), Violation> {
    let fields = sas_token(text, 0);
    ensure(fields == sas_token(text, 0), || {
        String::from("two splits of the same text differ")
    })?;
    let mut previous_end: Option<usize> = None;
    for (index, field) in fields.iter().enumerate() {
        let what = format!("field {index}");
        check_field(text, field, &what)?;
        let start = field.span.start;
        let separated = match previous_end {
            None => text
                .get(..start)
                .is_some_and(|s| s.bytes().all(|b| b == b'&')),
            Some(end) => {
                end < start
                    && text
                        .get(end..start)
                        .is_some_and(|s| s.bytes().all(|b| b == b'&'))
            }
        };
        ensure(separated, || {
            format!("{what}: not after the previous field and `&`s")
        })?;
        previous_end = Some(field.span.end);
    }
    let end = previous_end.unwrap_or(0);
    ensure(
        text.get(end..)
            .is_some_and(|s| s.bytes().all(|b| b == b'&')),
        || String::from("text other than `&` after the last field"),
    )?;
    let moved = sas_token(text, BASE);
    ensure(
        moved.len() == fields.len() && moved.iter().zip(&fields).all(|(m, f)| moved_by(m, f)),
        || format!("splitting at offset {BASE} does not move every span by {BASE}"),
    )
}

fn moved_by(moved: &RawField, field: &RawField) -> bool {
    let shift = |r: &Range<usize>| r.start + BASE..r.end + BASE;
    moved.span == shift(&field.span)
        && moved.key_span == shift(&field.key_span)
        && moved.value_span == shift(&field.value_span)
        && moved.value == field.value
        && moved.input_span(0..field.value.len()) == shift(&field.input_span(0..field.value.len()))
}

fn check_field(text: &str, field: &RawField, what: &str) -> Result<(), Violation> {
    for (span, name) in [
        (&field.span, "span"),
        (&field.key_span, "name span"),
        (&field.value_span, "value span"),
    ] {
        check_span(text, span, &format!("{what} {name}"))?;
    }
    ensure(!field.span.is_empty(), || {
        format!("{what}: empty field kept")
    })?;
    ensure(
        text.get(field.key_span.clone()) == Some(field.key.as_str()),
        || format!("{what}: the name is not the text at its span"),
    )?;
    ensure(
        text.get(field.value_span.clone()) == Some(field.raw_value.as_str()),
        || format!("{what}: the raw value is not the text at its span"),
    )?;
    let between = text.get(field.key_span.end..field.value_span.start);
    let expected_between = if field.has_equals { "=" } else { "" };
    ensure(between == Some(expected_between), || {
        format!("{what}: {between:?} between name and value")
    })?;
    ensure(
        field.span == (field.key_span.start..field.value_span.end),
        || format!("{what}: the field span is not name to value"),
    )?;
    ensure(!field.key.contains(['&', '=']), || {
        format!("{what}: the name holds `&` or `=`")
    })?;
    ensure(!field.raw_value.contains('&'), || {
        format!("{what}: the value holds `&`")
    })?;
    for mark in &field.marks {
        let range = mark_range(mark);
        check_span(text, range, &format!("{what} mark"))?;
        ensure(
            field.value_span.start <= range.start && range.end <= field.value_span.end,
            || format!("{what}: mark {mark:?} outside the value"),
        )?;
    }
    maps_back(text, field, what)
}

fn mark_range(mark: &Mark) -> &Range<usize> {
    match mark {
        Mark::BadEscape(r) | Mark::RawPlus(r) | Mark::DoubleEncoded(r) | Mark::NotUtf8(r) => r,
    }
}

/// Each decoded character's input span lies in the value, in order, and decodes (as
/// `%XX` escapes or as itself) to that character; for a value with bytes that are not
/// UTF-8, only the spans' bounds are checked, since a `?` stands for a bad byte.
fn maps_back(text: &str, field: &RawField, what: &str) -> Result<(), Violation> {
    let not_utf8 = field.marks.iter().any(|m| matches!(m, Mark::NotUtf8(_)));
    let whole = field.input_span(0..field.value.len());
    ensure(whole == field.value_span, || {
        format!(
            "{what}: the whole value maps to {whole:?}, not {:?}",
            field.value_span
        )
    })?;
    let mut previous_end = field.value_span.start;
    for (at, c) in field.value.char_indices() {
        let span = field.input_span(at..at + c.len_utf8());
        check_span(text, &span, &format!("{what} char at {at}"))?;
        ensure(
            span.start == previous_end && span.end <= field.value_span.end,
            || format!("{what}: char at {at} maps to {span:?}, not right after {previous_end}"),
        )?;
        previous_end = span.end;
        if not_utf8 {
            continue;
        }
        let source = text.get(span.clone()).unwrap_or_default();
        let mut buf = [0; 4];
        ensure(
            decode_escapes(source) == c.encode_utf8(&mut buf).as_bytes(),
            || format!("{what}: char {c:?} at {at} maps to {source:?}"),
        )?;
    }
    ensure(previous_end == field.value_span.end, || {
        format!("{what}: decoded characters stop mapping at {previous_end}")
    })
}

/// Percent-decodes `%XX` escapes, keeping anything else as it is.
fn decode_escapes(source: &str) -> Vec<u8> {
    let bytes = source.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let escape = bytes
            .get(i + 1..i + 3)
            .filter(|_| b == b'%')
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .filter(|hex| hex.bytes().all(|h| h.is_ascii_hexdigit()))
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escape {
            Some(decoded) => {
                out.push(decoded);
                i += 3;
            }
            None => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// The splitter and `form_urlencoded::parse` read the same pairs from `text`, which
/// must hold no `+`, as the module documentation states.
pub fn differential(text: &str) -> Result<(), Violation> {
    ensure(!text.contains('+'), || {
        String::from("the comparison is for text without `+`")
    })?;
    let ours = sas_token(text, 0);
    let theirs: Vec<(String, String)> = form_urlencoded::parse(text.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    ensure(ours.len() == theirs.len(), || {
        format!(
            "{} fields, form_urlencoded reads {}",
            ours.len(),
            theirs.len()
        )
    })?;
    for (index, (field, (key, value))) in ours.iter().zip(&theirs).enumerate() {
        let decoded_key = form_decoded(&field.key);
        ensure(&decoded_key == key, || {
            format!("field {index}: name {decoded_key:?} decoded, form_urlencoded {key:?}")
        })?;
        same_value(field, value).map_err(|v| Violation(format!("field {index}: {v}")))?;
    }
    Ok(())
}

/// A name decoded as `form_urlencoded` decodes it.
fn form_decoded(name: &str) -> String {
    let pair = format!("{}=", name.replace('&', "%26").replace('=', "%3D"));
    form_urlencoded::parse(pair.as_bytes())
        .next()
        .map(|(k, _)| k.into_owned())
        .unwrap_or_default()
}

fn same_value(field: &RawField, theirs: &str) -> Result<(), Violation> {
    let ours = field.value.as_str();
    let not_utf8 = field.marks.iter().any(|m| matches!(m, Mark::NotUtf8(_)));
    if !not_utf8 {
        return ensure(ours == theirs, || {
            format!("value {ours:?}, form_urlencoded {theirs:?}")
        });
    }
    let strip = |s: &str| -> String {
        s.chars()
            .filter(|c| !matches!(c, '?' | '\u{FFFD}'))
            .collect()
    };
    ensure(strip(ours) == strip(theirs), || {
        format!("value {ours:?} and form_urlencoded {theirs:?} differ beyond bad bytes")
    })?;
    let count = |s: &str, c: char| s.chars().filter(|x| *x == c).count();
    let extra_replacements = count(theirs, '\u{FFFD}').saturating_sub(count(ours, '\u{FFFD}'));
    let extra_questions = count(ours, '?').saturating_sub(count(theirs, '?'));
    ensure(
        extra_replacements > 0
            && count(theirs, '\u{FFFD}') >= count(ours, '\u{FFFD}')
            && (extra_replacements..=3 * extra_replacements).contains(&extra_questions),
        || {
            format!(
                "value {ours:?} marked not UTF-8: {extra_questions} `?` for \
                 {extra_replacements} U+FFFD in form_urlencoded {theirs:?}"
            )
        },
    )
}

#[cfg(test)]
mod tests {
    use super::{differential, grammar, sas_split};

    #[test]
    fn ordinary_tokens_agree_with_form_decoding() {
        for text in [
            "sv=2022-11-02&ss=b&sig=abc%2Fdef%3D",
            "&&a=&=b&c&%41%42=%43",
            "a=%&b=%4&c=%G1&d=%%41",
            "sp=%FFr&x=%C3&y=%E2%82&z=%EF%BF%BD%FF",
        ] {
            grammar(text).unwrap();
            differential(text).unwrap();
        }
    }

    #[test]
    fn plus_is_left_out_of_the_comparison() {
        assert!(differential("sig=a+b").is_err());
        sas_split(b"sig=a+b%2B").unwrap();
    }
}
