//! Keeping secrets out of every output.
//!
//! A SAS signature and an account key must never be printed. Two layers make sure of
//! it: the input text that diagnostics point into is masked before any report is built
//! ([`find`] says where, [`mask`] hides it), and every rendered string passes through
//! [`Secrets::scrub`] as a last line of defence, which also catches a secret echoed in
//! some other form. [`find`] is the one detector every input kind uses; it reads through
//! the encodings a secret can hide behind (percent, JSON and HTML escapes, full-width
//! forms), but it does not judge whether a value is a valid signature.

use std::collections::HashSet;
use std::ops::Range;

use crate::json;

/// Text that replaces a secret found in rendered output.
pub const REDACTED: &str = "[redacted]";

/// Returns `text` with every byte in `ranges` replaced by `*`.
///
/// A range that starts or ends inside a character is widened to whole characters, and
/// a multi-byte character becomes as many `*` as it has bytes, so every offset into the
/// result still means the same place and the result is valid UTF-8.
pub fn mask(text: &str, ranges: &[Range<usize>]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for range in ranges {
        let (start, end) = widen(text, range.clone());
        for byte in &mut bytes[start..end] {
            *byte = b'*';
        }
    }
    // Whole characters were replaced by ASCII, so the bytes are still UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn widen(text: &str, range: Range<usize>) -> (usize, usize) {
    let mut start = range.start.min(text.len());
    let mut end = range.end.min(text.len()).max(start);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    (start, end)
}

/// Keys whose value is a secret, lower case: a SAS signature, a storage account key
/// (`AccountKey=` of a connection string) and a shared access key.
const SECRET_KEYS: [&str; 3] = ["sig", "accountkey", "sharedaccesskey"];

/// Shortest value taken for a secret when the `=` after its key is missing: a 32-byte
/// signature is 43 base64 characters, and a shorter run after `sig` is more likely an
/// ordinary word (`signal`, `signedIdentifiers`).
const MIN_UNSEPARATED: usize = 16;

/// A secret found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Byte range of the key as written (`sig`, `%73ig`, `\u0073ig`, ...).
    pub key: Range<usize>,
    /// Byte range of the value as written; this is what to mask.
    pub value: Range<usize>,
    /// The value with the escapes it was written with decoded once.
    pub decoded: String,
}

/// Every secret in `text`: a key of [`SECRET_KEYS`] in any case, written raw or escaped,
/// at the start of the text or after a character that cannot end a longer name, then
/// its `=` (raw, `%3D`, `\u003d`, `&#61;`, full-width, or missing before a long
/// base64-looking value), and the value up to the next delimiter (`&`, `;`, quotes,
/// white space and the like, raw or escaped).
pub fn find(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let mut pos = 0;
    let mut boundary = true;
    while let Some(unit) = unit_at(text, pos) {
        if boundary {
            if let Some(found) = secret_at(text, pos) {
                pos = found.value.end;
                boundary = false;
                out.push(found);
                continue;
            }
        }
        boundary = !unit.ch.is_alphanumeric();
        pos = unit.end;
    }
    out
}

/// Masks every secret [`find`] sees in `text`, adding each to `secrets`; returns the
/// text unchanged (without copying) when there is none.
pub fn mask_found(text: String, secrets: &mut Secrets) -> String {
    let found = find(&text);
    if found.is_empty() {
        return text;
    }
    let ranges: Vec<Range<usize>> = found.iter().map(|f| f.value.clone()).collect();
    secrets.add_found(&text, &found);
    mask(&text, &ranges)
}

/// Masks every secret in a JSON text, adding each to `secrets`: those [`find`] sees in
/// the raw text, then those it sees only in a string's decoded value (behind two layers
/// of escapes, such as `\u002526sig=`), masked at the raw bytes they came from. A text
/// that is not JSON gets the first pass only.
pub fn mask_json(text: String, secrets: &mut Secrets) -> String {
    let text = mask_found(text, secrets);
    let Ok(root) = json::parse(&text) else {
        return text;
    };
    let hidden: Vec<Found> = find_in_json(&text, &root)
        .into_iter()
        .filter(|f| {
            text.get(f.value.clone())
                .is_some_and(|raw| raw.bytes().any(|b| b != b'*'))
        })
        .collect();
    if hidden.is_empty() {
        return text;
    }
    for f in &hidden {
        secrets.add(&f.decoded);
    }
    let ranges: Vec<Range<usize>> = hidden.iter().map(|f| f.value.clone()).collect();
    mask(&text, &ranges)
}

/// Secrets [`find`] sees in the decoded value of each string and member name of a JSON
/// tree, with their ranges mapped back to the raw `text` the tree was read from.
pub fn find_in_json(text: &str, root: &json::Node) -> Vec<Found> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        match &node.value {
            json::Value::String(value) => {
                out.extend(found_in_string(text, node.inner_span(), value));
            }
            json::Value::Array(items) => stack.extend(items.iter()),
            json::Value::Object(members) => {
                for member in members {
                    let span = &member.key_span;
                    let inner = span.start + 1..span.end.saturating_sub(1).max(span.start + 1);
                    out.extend(found_in_string(text, inner, &member.key));
                    stack.push(&member.value);
                }
            }
            _ => {}
        }
    }
    out
}

/// Secrets in one string whose raw content is `text[inner]` and whose value is `decoded`.
fn found_in_string(text: &str, inner: Range<usize>, decoded: &str) -> Vec<Found> {
    let Some(raw) = text.get(inner.clone()) else {
        return Vec::new();
    };
    if !raw.contains('\\') {
        // Nothing escaped: the raw text is the value, already searched.
        return Vec::new();
    }
    let shift = |r: Range<usize>| {
        let raw_r = json::raw_range(raw, r);
        inner.start + raw_r.start..inner.start + raw_r.end
    };
    find(decoded)
        .into_iter()
        .map(|f| Found {
            key: shift(f.key),
            value: shift(f.value),
            decoded: f.decoded,
        })
        .collect()
}

/// One character of text after decoding at most one escape, and where it ends.
#[derive(Debug, Clone, Copy)]
struct Unit {
    ch: char,
    end: usize,
}

/// The unit starting at byte `pos`, if `pos` is a character boundary inside `text`.
fn unit_at(text: &str, pos: usize) -> Option<Unit> {
    let rest = text.get(pos..)?;
    let raw = rest.chars().next()?;
    let escaped = match raw {
        '%' => percent_escape(rest),
        '\\' => json_escape(rest),
        '&' => html_escape(rest),
        _ => None,
    };
    if let Some((ch, len)) = escaped {
        return Some(Unit { ch, end: pos + len });
    }
    Some(Unit {
        ch: full_width_to_ascii(raw),
        end: pos + raw.len_utf8(),
    })
}

/// `%XX`: the character of that byte (a byte above 0x7F stands for itself as U+0080..).
fn percent_escape(rest: &str) -> Option<(char, usize)> {
    let hex = rest.get(1..3)?;
    let byte = u8::from_str_radix(hex, 16).ok()?;
    hex.bytes()
        .all(|b| b.is_ascii_hexdigit())
        .then_some((char::from(byte), 3))
}

/// `\uXXXX`, `\"`, `\\`, `\/` and the one-letter JSON escapes.
fn json_escape(rest: &str) -> Option<(char, usize)> {
    let mut chars = rest.chars().skip(1);
    let ch = match chars.next()? {
        'u' => {
            let hex = rest.get(2..6)?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            let code = u32::from_str_radix(hex, 16).ok()?;
            return Some((char::from_u32(code).unwrap_or('\u{FFFD}'), 6));
        }
        c @ ('"' | '\\' | '/') => c,
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        'b' => '\u{8}',
        'f' => '\u{C}',
        _ => return None,
    };
    Some((ch, 2))
}

/// `&amp;`, `&quot;`, `&apos;`, `&lt;`, `&gt;`, `&#NN;` and `&#xHH;`.
fn html_escape(rest: &str) -> Option<(char, usize)> {
    let (end, _) = rest.char_indices().take(12).find(|&(_, c)| c == ';')?;
    let name = rest.get(1..end)?;
    let ch = match name.to_ascii_lowercase().as_str() {
        "amp" => '&',
        "quot" => '"',
        "apos" => '\'',
        "lt" => '<',
        "gt" => '>',
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((ch, end + 1))
}

/// Full-width ASCII (U+FF01..U+FF5E) and the ideographic space, as their ASCII twins.
fn full_width_to_ascii(c: char) -> char {
    match u32::from(c) {
        code @ 0xFF01..=0xFF5E => char::from_u32(code - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    }
}

/// The secret whose key starts at `pos`, if any.
fn secret_at(text: &str, pos: usize) -> Option<Found> {
    SECRET_KEYS.iter().find_map(|key| {
        let key_end = key_at(text, pos, key)?;
        let after = unit_at(text, key_end)?;
        let separated = after.ch == '=';
        let value_start = if separated { after.end } else { key_end };
        let (value_end, decoded) = value_at(text, value_start);
        let plausible = if separated {
            !decoded.is_empty()
        } else {
            decoded.chars().count() >= MIN_UNSEPARATED
                && decoded
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+/=-_%".contains(c))
        };
        plausible.then_some(Found {
            key: pos..key_end,
            value: value_start..value_end,
            decoded,
        })
    })
}

/// Where `key` (lower case) ends when its letters, in any case and escaped or not,
/// start at `pos`.
fn key_at(text: &str, pos: usize, key: &str) -> Option<usize> {
    let mut at = pos;
    for letter in key.chars() {
        let unit = unit_at(text, at)?;
        if !unit.ch.eq_ignore_ascii_case(&letter) {
            return None;
        }
        at = unit.end;
    }
    Some(at)
}

/// The end of a value starting at `start`, and the value decoded once.
fn value_at(text: &str, start: usize) -> (usize, String) {
    let mut end = start;
    let mut decoded = String::new();
    while let Some(unit) = unit_at(text, end) {
        if ends_value(unit.ch) {
            break;
        }
        decoded.push(unit.ch);
        end = unit.end;
    }
    (end, decoded)
}

/// Characters that cannot be part of a base64 value, percent-encoded or not, and that
/// end a value in a query, a connection string, JSON, XML or a sentence.
fn ends_value(c: char) -> bool {
    c.is_whitespace() || c.is_control() || "&;\"'<>\\`,()[]{}|#?".contains(c)
}

/// Secret values to scrub from rendered output.
#[derive(Debug, Clone, Default)]
pub struct Secrets {
    values: Vec<String>,
    /// Every run of [`Secrets::MIN_LEN`] letters and digits of a secret, lower case: a
    /// piece of a secret that long is scrubbed wherever it appears, even cut short
    /// (`AQIDBAUG…`), re-cased or between escapes of its other characters.
    pieces: HashSet<[u8; Secrets::MIN_LEN]>,
    /// A bit for each pair of lower-case bytes a piece starts with, so most windows of
    /// the output are passed over without hashing.
    starts: Vec<u64>,
}

impl Secrets {
    /// Shortest value worth scrubbing; shorter ones would match ordinary text.
    const MIN_LEN: usize = 8;

    /// No secrets.
    pub fn new() -> Secrets {
        Secrets::default()
    }

    /// Secrets [`find`] sees in `text`, e.g. a command-line argument.
    pub fn found_in(text: &str) -> Secrets {
        let mut secrets = Secrets::new();
        secrets.add_found(text, &find(text));
        secrets
    }

    /// Adds what [`find`] returned for `text`: each value as written and decoded.
    pub fn add_found(&mut self, text: &str, found: &[Found]) {
        for f in found {
            if let Some(raw) = text.get(f.value.clone()) {
                self.add(raw);
            }
            self.add(&f.decoded);
        }
    }

    /// Adds a secret in the form it had in the input, plus the forms output can take:
    /// percent-decoded, percent-encoded, JSON-escaped and with `+` read as a space.
    pub fn add(&mut self, value: &str) {
        let trimmed = value.trim();
        let decoded = percent_decode_lossy(trimmed);
        for form in [
            trimmed.to_string(),
            percent_encode_base64(&decoded),
            json_escape_base64(&decoded),
            decoded.replace('+', " "),
            decoded,
        ] {
            self.add_pieces(&form);
            if form.len() >= Self::MIN_LEN && !self.values.contains(&form) {
                self.values.push(form);
            }
        }
        // Longest first, so a longer form is not left half-replaced by a shorter one.
        self.values.sort_by_key(|v| std::cmp::Reverse(v.len()));
    }

    fn add_pieces(&mut self, form: &str) {
        for run in form.split(|c: char| !c.is_ascii_alphanumeric()) {
            for window in run.as_bytes().windows(Self::MIN_LEN) {
                let mut piece = [0u8; Self::MIN_LEN];
                for (slot, byte) in piece.iter_mut().zip(window) {
                    *slot = byte.to_ascii_lowercase();
                }
                if varied(&piece) {
                    self.mark_start(&piece);
                    self.pieces.insert(piece);
                }
            }
        }
    }

    fn mark_start(&mut self, piece: &[u8; Secrets::MIN_LEN]) {
        let bit = start_bit(piece[0], piece[1]);
        if self.starts.is_empty() {
            self.starts = vec![0; 1 << 10];
        }
        if let Some(word) = self.starts.get_mut(bit / 64) {
            *word |= 1 << (bit % 64);
        }
    }

    fn may_start(&self, first: u8, second: u8) -> bool {
        let bit = start_bit(first.to_ascii_lowercase(), second.to_ascii_lowercase());
        self.starts
            .get(bit / 64)
            .is_some_and(|word| word & (1 << (bit % 64)) != 0)
    }

    /// Adds every secret of `other`.
    pub fn extend(&mut self, other: &Secrets) {
        for value in &other.values {
            if !self.values.contains(value) {
                self.values.push(value.clone());
            }
        }
        self.values.sort_by_key(|v| std::cmp::Reverse(v.len()));
        for piece in &other.pieces {
            self.mark_start(piece);
            self.pieces.insert(*piece);
        }
    }

    /// True when no secret is known.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty() && self.pieces.is_empty()
    }

    /// Replaces every occurrence of a known secret in `output` with [`REDACTED`]: each
    /// form registered, in any ASCII case, then any remaining run of letters and digits
    /// that holds [`Secrets::MIN_LEN`] of a secret's in a row.
    pub fn scrub(&self, output: &str) -> String {
        if self.is_empty() {
            return output.to_string();
        }
        let mut out = output.to_string();
        for value in &self.values {
            out = replace_ignore_case(&out, value);
        }
        self.scrub_pieces(&out)
    }

    fn scrub_pieces(&self, text: &str) -> String {
        let bytes = text.as_bytes();
        let mut hidden = vec![false; bytes.len()];
        for (at, window) in bytes.windows(Self::MIN_LEN).enumerate() {
            if !self.may_start(window[0], window[1]) {
                continue;
            }
            let mut piece = [0u8; Self::MIN_LEN];
            for (slot, byte) in piece.iter_mut().zip(window) {
                *slot = byte.to_ascii_lowercase();
            }
            if self.pieces.contains(&piece) {
                hidden[at..at + Self::MIN_LEN].fill(true);
            }
        }
        if !hidden.contains(&true) {
            return text.to_string();
        }
        // Hidden bytes are ASCII letters and digits, so every cut is a char boundary.
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        while at < bytes.len() {
            let run = hidden[at..]
                .iter()
                .take_while(|&&h| h == hidden[at])
                .count();
            if hidden[at] {
                out.push_str(REDACTED);
            } else {
                out.push_str(text.get(at..at + run).unwrap_or(""));
            }
            at += run;
        }
        out
    }
}

/// The bit of a pair of bytes in [`Secrets::starts`].
fn start_bit(first: u8, second: u8) -> usize {
    usize::from(first) << 8 | usize::from(second)
}

/// True when a piece has at least five different characters: a run like `00000000` or
/// `abababab` in a placeholder signature is also ordinary text (a GUID, a hash).
fn varied(piece: &[u8; Secrets::MIN_LEN]) -> bool {
    let mut seen: Vec<u8> = piece.to_vec();
    seen.sort_unstable();
    seen.dedup();
    seen.len() >= 5
}

/// `text` with every occurrence of `value`, in any ASCII case, replaced by [`REDACTED`].
fn replace_ignore_case(text: &str, value: &str) -> String {
    let haystack = text.to_ascii_lowercase();
    let needle = value.to_ascii_lowercase();
    if needle.is_empty() || !haystack.contains(&needle) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    // Lower-casing ASCII keeps every byte offset, so matches index `text` too.
    for (found, _) in haystack.match_indices(&needle) {
        if found < at {
            continue;
        }
        out.push_str(text.get(at..found).unwrap_or(""));
        out.push_str(REDACTED);
        at = found + needle.len();
    }
    out.push_str(text.get(at..).unwrap_or(""));
    out
}

fn percent_decode_lossy(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn percent_encode_base64(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        match c {
            '+' => out.push_str("%2B"),
            '/' => out.push_str("%2F"),
            '=' => out.push_str("%3D"),
            _ => out.push(c),
        }
    }
    out
}

/// The base64 characters as JSON writers escape them (`\/`, and `+` and `=` as .NET
/// writes them).
fn json_escape_base64(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        match c {
            '+' => out.push_str("\\u002B"),
            '/' => out.push_str("\\/"),
            '=' => out.push_str("\\u003D"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::{Secrets, find, mask, mask_found};

    const SIG: &str = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA%3D";

    /// The decoded values [`find`] reports in `text`.
    fn found(text: &str) -> Vec<String> {
        find(text).into_iter().map(|f| f.decoded).collect()
    }

    #[test]
    fn mask_keeps_offsets_and_utf8() {
        assert_eq!(mask("a=secret&b", &[2..8]), "a=******&b");
        assert_eq!(mask("x=é", &[2..3]), "x=**");
        assert_eq!(mask("short", &[3..99]), "sho**");
    }

    #[test]
    fn scrub_catches_every_encoding_of_a_signature() {
        let mut secrets = Secrets::new();
        secrets.add("ab%2Bcd%2Fef%3D");
        for printed in ["ab%2Bcd%2Fef%3D", "ab+cd/ef=", "ab%2Bcd%2Fef%3D tail"] {
            assert!(!secrets.scrub(printed).contains("cd"), "{printed}");
        }
    }

    #[test]
    fn finds_sig_after_every_delimiter_and_with_every_equals_sign() {
        let decoded = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";
        for text in [
            format!("sp=r&sig={SIG}"),
            format!("sig={SIG}"),
            format!("sr=c;sig={SIG}"),
            format!("x?SIG={SIG}&y=1"),
            format!("sp=r&amp;sig={SIG}"),
            format!("sp=r\\u0026sig={SIG}"),
            format!("sp=r%26sig%3D{SIG}"),
            format!("sp=r&\\u0073ig={SIG}"),
            format!("sp=r&%73ig={SIG}"),
            format!("sp=r&sig\\u003d{SIG}"),
            format!("sp=r&sig&#61;{SIG}"),
            format!("sp=r&sig＝{SIG}"),
            format!("sp=r&sig{SIG}"),
            format!("sp=r&sig%3d{SIG}"),
            format!("\"403 on https://a/c?sig={SIG}\""),
            format!("see sig={SIG} there"),
        ] {
            let values = found(&text);
            assert_eq!(values.len(), 1, "{text}");
            assert!(
                values[0] == decoded || values[0] == SIG,
                "{text}: {values:?}"
            );
        }
    }

    #[test]
    fn values_end_at_delimiters_written_raw_or_escaped() {
        assert_eq!(found("sig=abc&se=1"), ["abc"]);
        assert_eq!(found("sig=abc\\u0026se=1"), ["abc"]);
        assert_eq!(found("sig=abc%26se=1"), ["abc"]);
        assert_eq!(found("\"sig=abc\\\" x"), ["abc"]);
        assert_eq!(found("<u>sig=abc</u>"), ["abc"]);
    }

    #[test]
    fn ordinary_words_are_not_secrets() {
        for text in [
            "design=x&xsig=y",
            "a signal, a signature",
            "\"signedIdentifiers\": []",
            "sig=",
            "sig&se=1",
        ] {
            assert!(find(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn account_keys_are_secrets() {
        let text = "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=c2VjcmV0a2V5MTIzNDU2Nzg5MA==;EndpointSuffix=core.windows.net";
        assert_eq!(found(text), ["c2VjcmV0a2V5MTIzNDU2Nzg5MA=="]);
    }

    #[test]
    fn masking_keeps_offsets_and_registers_every_form() {
        let mut secrets = Secrets::new();
        let text = format!("{{\"m\": \"x?sp=r\\u0026sig={SIG}\\u0026se=1\"}}");
        let masked = mask_found(text.clone(), &mut secrets);
        assert_eq!(masked.len(), text.len());
        assert!(!masked.contains("AQID"), "{masked}");
        assert!(masked.contains("\\u0026se=1"), "{masked}");
        for printed in [
            SIG,
            "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=",
            "aqidbaugbwgjcgsmdq4pebesexqvfhcygrobhb0ehya%3d",
            "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA\\u003D",
            "`sigAQIDBAUGBw…`",
        ] {
            let scrubbed = secrets.scrub(printed);
            assert!(!scrubbed.contains("AQIDBAUG"), "{printed} -> {scrubbed}");
            assert!(
                !scrubbed.to_ascii_lowercase().contains("aqidbaug"),
                "{scrubbed}"
            );
        }
    }

    #[test]
    fn low_variety_runs_of_a_placeholder_are_not_scrubbed_alone() {
        let mut secrets = Secrets::new();
        secrets.add("00000000abcdefgh");
        assert_eq!(secrets.scrub("id 6a1f-00000000ab"), "id 6a1f-00000000ab");
        assert!(!secrets.scrub("x 00000000abcdefgh y").contains("abcdefgh"));
    }

    #[test]
    fn json_strings_are_searched_after_decoding() {
        let text = format!("{{\"m\": \"x\\u002526sig\\u00253D{SIG}\"}}");
        assert!(find(&text).is_empty(), "one layer of decoding hides it");
        let mut secrets = Secrets::new();
        let masked = super::mask_json(text.clone(), &mut secrets);
        assert_eq!(masked.len(), text.len());
        assert!(!masked.contains("AQID"), "{masked}");
        assert!(
            !secrets
                .scrub("x&sig=AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=")
                .contains("AQID")
        );
    }
}
