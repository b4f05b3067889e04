//! The signature: standard base64 of an HMAC-SHA256, so 44 characters and 32 bytes.
//!
//! Sources: every SAS page ("Base64(HMAC-SHA256(...))"); the service's reaction to a
//! raw `+` (read as a space) and to double encoding: "Signature fields not well
//! formed". The signature itself is never shown: findings point at its bytes, which
//! are masked in the report text.

use std::ops::Range;

use super::{Scope, at};
use crate::diag::Finding;
use crate::sas::codes;
use crate::sas::fields::ProblemKind;
use crate::sas::model::{Field, Malformed};
use crate::sas::syntax::{Mark, RawField};

const HELP_RAW_PLUS: &str = "encode `+` as `%2B` (and `/` as `%2F`, `=` as `%3D`); the \
    token was decoded once too often, e.g. by `unquote_plus`";
const HELP_SPACE: &str = "put `%2B` where the space is; the token was decoded once too often";
const HELP_PADDING: &str =
    "append `%3D`: a 32-byte HMAC-SHA256 is 44 base64 characters ending in `=`";
const HELP_URL_SAFE: &str = "use standard base64 (`+`, `/`), percent-encoded as `%2B`, `%2F`";
const HELP_CHAR: &str = "copy the signature again; it is 44 characters of A-Z, a-z, 0-9, \
    `+`, `/` ending in `=`";
const HELP_LENGTH: &str = "copy the whole signature again; it was cut or altered";
const HELP_BASE64: &str = "copy the signature again; it is 44 base64 characters ending in `=`";
const HELP_RAW_EQUALS: &str =
    "write it as `%3D`; a raw `=` is likely accepted, but some tools split on it";

pub(super) fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let Some(sig) = &scope.token.signature else {
        return;
    };
    let Some(raw) = scope.token.raw(sig) else {
        return;
    };
    let plus = raw_plus(raw);
    if let Some(first) = plus.first() {
        let message = format!(
            "the signature has {} raw `+`; the service reads each as a space",
            plus.len()
        );
        out.push(
            Finding::new(codes::SIG_RAW_PLUS, "sig", first.clone())
                .message(message)
                .label("raw `+`")
                .help(HELP_RAW_PLUS),
        );
    }
    match &sig.value {
        Err(malformed) => out.extend(malformed_signature(sig, malformed, !plus.is_empty())),
        Ok(_) if raw.raw_value.ends_with('=') => out.push(raw_equals(raw)),
        Ok(_) => {}
    }
}

fn raw_plus(raw: &RawField) -> Vec<Range<usize>> {
    raw.marks
        .iter()
        .filter_map(|m| match m {
            Mark::RawPlus(span) => Some(span.clone()),
            _ => None,
        })
        .collect()
}

/// What is wrong with a signature that is not 32 bytes of standard base64.
fn malformed_signature(
    sig: &Field<Vec<u8>>,
    malformed: &Malformed,
    had_plus: bool,
) -> Option<Finding> {
    let here = |code| Finding::new(code, "sig", malformed.span.clone());
    let finding = match malformed.kind {
        // An empty `sig` is the required-field rule's business.
        ProblemKind::Empty => return None,
        // The space is a raw `+` already reported as such.
        ProblemKind::SigSpace if had_plus => return None,
        ProblemKind::SigSpace => here(codes::SIG_RAW_PLUS)
            .message("the signature has a space where a `+` was decoded")
            .label("space")
            .help(HELP_SPACE),
        ProblemKind::SigPaddingMissing => at(codes::SIG_PADDING, "sig", sig)
            .message(format!(
                "the signature is {} characters without its `=` padding",
                sig.text.len()
            ))
            .label("no `=` at the end")
            .help(HELP_PADDING),
        ProblemKind::SigUrlSafe => here(codes::SIG_NOT_BASE64)
            .message("the signature uses the URL-safe base64 alphabet (`-`, `_`)")
            .label("URL-safe character")
            .help(HELP_URL_SAFE),
        ProblemKind::SigChar(c) => here(codes::SIG_NOT_BASE64)
            .message(format!(
                "the signature has {}, which is not base64",
                describe(c)
            ))
            .label("not base64")
            .help(HELP_CHAR),
        ProblemKind::SigLength(n) => at(codes::SIG_LENGTH, "sig", sig)
            .message(format!(
                "the signature decodes to {n} bytes, not the 32 of an HMAC-SHA256"
            ))
            .help(HELP_LENGTH),
        _ => at(codes::SIG_NOT_BASE64, "sig", sig)
            .message("the signature is not valid base64")
            .help(HELP_BASE64),
    };
    Some(finding)
}

fn raw_equals(raw: &RawField) -> Finding {
    let end = raw.value_span.end;
    Finding::new(codes::SIG_RAW_EQUALS, "sig", end.saturating_sub(1)..end)
        .message("the signature's `=` padding is not percent-encoded")
        .label("raw `=`")
        .help(HELP_RAW_EQUALS)
}

fn describe(c: char) -> String {
    if c.is_ascii_graphic() {
        format!("`{c}`")
    } else {
        format!("U+{:04X}", u32::from(c))
    }
}
