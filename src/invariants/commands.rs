//! Fuzz targets that run a whole check, as its command does, on raw bytes: `sas`, one
//! per blob dump format, `manifest`, `pipeline`, and `check_bytes` (detection, then
//! whichever check the content calls for, then the cross-checks).
//!
//! Each builds the [`Outcome`] its command would render, twice, and checks the common
//! invariants ([`check_outcome`]): spans inside the text and on character boundaries,
//! both renderings succeed, and no SAS signature of the input shows in either. The
//! signatures to look for are found here, independently of the code under test, by
//! [`query_signatures`]; what they must not show is the value as written and as
//! percent-decoded. Two runs on the same bytes must render the same.

use chrono::{DateTime, Utc};

use super::{Rendered, Violation, check_outcome, ensure};
use crate::blob::{self, DumpFormat, DumpSource};
use crate::check::{self, CheckOptions};
use crate::context::Context;
use crate::diag::Outcome;
use crate::input;
use crate::manifest;
use crate::pipeline;
use crate::sas::{self, SasOptions};
use crate::secret::Secrets;

/// Shortest signature looked for; [`Secrets`] does not scrub shorter values, since they
/// would match ordinary text.
const MIN_SIGNATURE: usize = 8;

/// The pinned "now" of every run: 2026-12-04T00:00:00Z.
fn context() -> Context {
    let now = DateTime::<Utc>::from_timestamp(1_796_342_400, 0).unwrap_or_default();
    Context::pinned(now)
}

/// The whole SAS check (`acr-preflight sas`) on a token as pasted.
pub fn sas(data: &[u8]) -> Result<(), Violation> {
    twice(data, |data| {
        let decoded = input::decode(data);
        let checked = sas::check("fuzz.sas", &decoded, &SasOptions::default(), &context());
        let outcome = one_report("sas", checked.report);
        (outcome, checked.secrets, decoded.text)
    })
}

/// `az storage blob show` JSON, read as the `blob` command reads it.
pub fn blob_az_show(data: &[u8]) -> Result<(), Violation> {
    blob_dump(data, DumpFormat::AzShow)
}

/// `az storage blob list` JSON (streamed when it is an array).
pub fn blob_az_list(data: &[u8]) -> Result<(), Violation> {
    blob_dump(data, DumpFormat::AzList)
}

/// Get Blob Properties response headers.
pub fn blob_headers(data: &[u8]) -> Result<(), Violation> {
    blob_dump(data, DumpFormat::Headers)
}

/// List Blobs XML.
pub fn blob_xml(data: &[u8]) -> Result<(), Violation> {
    blob_dump(data, DumpFormat::ListBlobsXml)
}

/// `azcopy list` output.
pub fn blob_azcopy(data: &[u8]) -> Result<(), Violation> {
    blob_dump(data, DumpFormat::Azcopy)
}

/// The blob check on `data` read as `format` (as `--input-format` names it). Bytes held
/// in memory cannot fail to read, so an error is a violation unless the input is over
/// the size limit.
fn blob_dump(data: &[u8], format: DumpFormat) -> Result<(), Violation> {
    let mut failure = None;
    twice(data, |data| {
        let empty = blob::collect::Digests::new();
        let source = DumpSource::Bytes(data);
        match blob::check_file_with("fuzz.dump", source, Some(format), &empty, None, &context()) {
            Ok(checked) => {
                let outcome = Outcome {
                    command: String::from("blob"),
                    inputs: checked.reports,
                    ..Outcome::default()
                };
                (outcome, checked.secrets, input::decode(data).text)
            }
            Err(e) => {
                failure = Some(e.to_string());
                (Outcome::default(), Secrets::new(), String::new())
            }
        }
    })?;
    match failure {
        Some(message) => Err(Violation(format!("reading bytes failed: {message}"))),
        None => Ok(()),
    }
}

/// The manifest check on one manifest input.
pub fn manifest(data: &[u8]) -> Result<(), Violation> {
    twice(data, |data| {
        let decoded = input::decode(data);
        let checked = manifest::check("fuzz.json", &decoded, &context());
        let outcome = one_report("manifest", checked.report);
        (outcome, checked.secrets, decoded.text)
    })
}

/// The pipeline check on one pipeline resource input.
pub fn pipeline(data: &[u8]) -> Result<(), Violation> {
    twice(data, |data| {
        let decoded = input::decode(data);
        let checked = pipeline::check("fuzz.json", &decoded, &context());
        let outcome = one_report("pipeline", checked.report);
        (outcome, checked.secrets, decoded.text)
    })
}

/// The whole `check` command on one input named on its command line.
pub fn check_bytes(data: &[u8]) -> Result<(), Violation> {
    let mut failure = None;
    twice(data, |data| {
        match check::run_bytes("fuzz.input", data, &CheckOptions::default(), &context()) {
            Ok(run) => (run.outcome, run.secrets, input::decode(data).text),
            Err(e) => {
                failure = Some(e.to_string());
                (Outcome::default(), Secrets::new(), String::new())
            }
        }
    })?;
    match failure {
        Some(message) => Err(Violation(format!("checking bytes failed: {message}"))),
        None => Ok(()),
    }
}

fn one_report(command: &str, report: crate::diag::InputReport) -> Outcome {
    Outcome {
        command: command.to_string(),
        inputs: vec![report],
        ..Outcome::default()
    }
}

/// Runs `run` twice on `data`; each outcome must pass [`check_outcome`] with the
/// input's signatures hidden, and both must render the same.
fn twice(
    data: &[u8],
    mut run: impl FnMut(&[u8]) -> (Outcome, Secrets, String),
) -> Result<(), Violation> {
    let first = checked(run(data))?;
    let second = checked(run(data))?;
    ensure(first == second, || {
        String::from("two runs on the same input render differently")
    })
}

fn checked((outcome, secrets, text): (Outcome, Secrets, String)) -> Result<Rendered, Violation> {
    let hidden = query_signatures(&text);
    let hidden: Vec<&str> = hidden.iter().map(String::as_str).collect();
    check_outcome(&outcome, &secrets, &hidden)
}

/// Every signature of a SAS query in `text`, as written and percent-decoded: the value
/// of a `sig` parameter (any case) right after `?` or `&`, made of the characters a
/// base64 signature and its percent-encoding use, at least [`MIN_SIGNATURE`] long, and
/// ended by the end of the text, `&`, a quote, `<` or white space, so that every reader
/// of a query or a URL in any of the formats takes the same characters as the value.
pub fn query_signatures(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    for (at, _) in text.match_indices(['?', '&']) {
        let Some(name) = bytes.get(at + 1..at + 4) else {
            continue;
        };
        if !name.eq_ignore_ascii_case(b"sig") || bytes.get(at + 4) != Some(&b'=') {
            continue;
        }
        let start = at + 5;
        let rest = bytes.get(start..).unwrap_or_default();
        let len = rest.iter().take_while(|b| is_signature_byte(**b)).count();
        let ends_well = match rest.get(len) {
            None => true,
            Some(b) => matches!(b, b'&' | b'"' | b'\'' | b'<') || b.is_ascii_whitespace(),
        };
        let Some(value) = text.get(start..start + len) else {
            continue;
        };
        if len < MIN_SIGNATURE || !ends_well {
            continue;
        }
        found.push(value.to_string());
        if let Some(decoded) = percent_decoded(value) {
            if decoded.len() >= MIN_SIGNATURE && decoded != value {
                found.push(decoded);
            }
        }
    }
    found
}

fn is_signature_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'%' | b'+' | b'/' | b'=')
}

/// The value percent-decoded once, when every `%` starts an escape and the result is
/// UTF-8.
fn percent_decoded(value: &str) -> Option<String> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::query_signatures;

    #[test]
    fn signatures_are_found_where_a_query_puts_them() {
        assert_eq!(
            query_signatures("https://a/c?sv=1&sig=abc%2Bdef%3D&se=2"),
            ["abc%2Bdef%3D", "abc+def="]
        );
        assert_eq!(query_signatures("?SIG=ABCDEFGH"), ["ABCDEFGH"]);
        assert_eq!(query_signatures("\"x?sig=ABCDEFGH\""), ["ABCDEFGH"]);
    }

    #[test]
    fn other_text_is_not_taken_for_a_signature() {
        assert!(query_signatures("design=ABCDEFGHIJ").is_empty());
        assert!(query_signatures("&sig=short").is_empty());
        assert!(query_signatures("&sig=ABCDEFGH;x").is_empty());
        assert!(query_signatures("&sig=").is_empty());
    }
}
