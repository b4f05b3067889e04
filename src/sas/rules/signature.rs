//! The signature: standard base64 of an HMAC-SHA256, so 44 characters and 32 bytes.
//!
//! Sources: every SAS page ("Base64(HMAC-SHA256(...))"); the service's reaction to a
//! raw `+` (read as a space) and to double encoding: "Signature fields not well
//! formed". The signature itself is never shown: findings point at its bytes, which
//! are masked in the report text.

use super::{Scope, at};
use crate::diag::Finding;
use crate::sas::codes;
use crate::sas::fields::ProblemKind;
use crate::sas::syntax::Mark;

pub(super) fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let Some(sig) = &scope.token.signature else {
        return;
    };
    let Some(raw) = scope.token.raw(sig) else {
        return;
    };
    let plus: Vec<_> = raw
        .marks
        .iter()
        .filter_map(|m| match m {
            Mark::RawPlus(span) => Some(span.clone()),
            _ => None,
        })
        .collect();
    if let Some(first) = plus.first() {
        out.push(
            Finding::new(codes::SIG_RAW_PLUS, "sig", first.clone())
                .message(format!("the signature has {} raw `+`; the service reads each as a space", plus.len()))
                .label("raw `+`")
                .help("encode `+` as `%2B` (and `/` as `%2F`, `=` as `%3D`); the token was decoded once too often, e.g. by `unquote_plus`"),
        );
    }
    if let Err(malformed) = &sig.value {
        let finding = match malformed.kind {
            ProblemKind::Empty => return,
            // Reported above as a raw `+`; when the `+` was already a space, here.
            ProblemKind::SigSpace if !plus.is_empty() => return,
            ProblemKind::SigSpace => Finding::new(codes::SIG_RAW_PLUS, "sig", malformed.span.clone())
                .message("the signature has a space where a `+` was decoded")
                .label("space")
                .help("put `%2B` where the space is; the token was decoded once too often"),
            ProblemKind::SigPaddingMissing => at(codes::SIG_PADDING, "sig", sig)
                .message(format!("the signature is {} characters without its `=` padding", sig.text.len()))
                .label("no `=` at the end")
                .help("append `%3D`: a 32-byte HMAC-SHA256 is 44 base64 characters ending in `=`"),
            ProblemKind::SigUrlSafe => Finding::new(codes::SIG_NOT_BASE64, "sig", malformed.span.clone())
                .message("the signature uses the URL-safe base64 alphabet (`-`, `_`)")
                .label("URL-safe character")
                .help("use standard base64 (`+`, `/`), percent-encoded as `%2B`, `%2F`"),
            ProblemKind::SigChar(c) => Finding::new(codes::SIG_NOT_BASE64, "sig", malformed.span.clone())
                .message(format!("the signature has {}, which is not base64", describe(c)))
                .label("not base64")
                .help("copy the signature again; it is 44 characters of A-Z, a-z, 0-9, `+`, `/` ending in `=`"),
            ProblemKind::SigLength(n) => at(codes::SIG_LENGTH, "sig", sig)
                .message(format!("the signature decodes to {n} bytes, not the 32 of an HMAC-SHA256"))
                .help("copy the whole signature again; it was cut or altered"),
            _ => at(codes::SIG_NOT_BASE64, "sig", sig)
                .message("the signature is not valid base64")
                .help("copy the signature again; it is 44 base64 characters ending in `=`"),
        };
        out.push(finding);
        return;
    }
    if raw.raw_value.ends_with('=') {
        out.push(
            Finding::new(
                codes::SIG_RAW_EQUALS,
                "sig",
                raw.value_span.end - 1..raw.value_span.end,
            )
            .message("the signature's `=` padding is not percent-encoded")
            .label("raw `=`")
            .help("write it as `%3D`; a raw `=` is likely accepted, but some tools split on it"),
        );
    }
}

fn describe(c: char) -> String {
    if c.is_ascii_graphic() {
        format!("`{c}`")
    } else {
        format!("U+{:04X}", u32::from(c))
    }
}
