//! Keeping secrets out of every output.
//!
//! A SAS signature (and, later, an account key) must never be printed. Two layers make
//! sure of it: the input text that diagnostics point into is masked before any report
//! is built ([`mask`]), and every rendered string passes through [`Secrets::scrub`] as a
//! last line of defence, which also catches a secret echoed in some other form.

use std::ops::Range;

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

/// Secret values to scrub from rendered output.
#[derive(Debug, Clone, Default)]
pub struct Secrets {
    values: Vec<String>,
}

impl Secrets {
    /// Shortest value worth scrubbing; shorter ones would match ordinary text.
    const MIN_LEN: usize = 8;

    /// No secrets.
    pub fn new() -> Secrets {
        Secrets::default()
    }

    /// Adds a secret in the form it had in the input, plus its percent-encoded and
    /// percent-decoded forms, so none of them can appear in the output.
    pub fn add(&mut self, value: &str) {
        let trimmed = value.trim();
        for form in [
            trimmed.to_string(),
            percent_decode_lossy(trimmed),
            percent_encode_base64(&percent_decode_lossy(trimmed)),
        ] {
            if form.len() >= Self::MIN_LEN && !self.values.contains(&form) {
                self.values.push(form);
            }
        }
        // Longest first, so a longer form is not left half-replaced by a shorter one.
        self.values.sort_by_key(|v| std::cmp::Reverse(v.len()));
    }

    /// Adds every secret of `other`.
    pub fn extend(&mut self, other: &Secrets) {
        for value in &other.values {
            self.add(value);
        }
    }

    /// True when no secret is known.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Replaces every occurrence of a known secret in `output` with [`REDACTED`].
    pub fn scrub(&self, output: &str) -> String {
        let mut out = output.to_string();
        for value in &self.values {
            if out.contains(value.as_str()) {
                out = out.replace(value.as_str(), REDACTED);
            }
        }
        out
    }
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

#[cfg(test)]
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::{Secrets, mask};

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
}
