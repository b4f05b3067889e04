//! Structure and encoding: how the token was wrapped, its field names, escapes, and
//! which fields are required.
//!
//! Sources: the "Create an account / service / user delegation SAS" pages (required
//! fields), RFC 3986 percent-encoding, and the service's error texts ("sv is
//! mandatory", "Signature fields not well formed").

use super::Scope;
use crate::diag::{Finding, Severity};
use crate::sas::codes;
use crate::sas::envelope::Form;
use crate::sas::model::{KNOWN_KEYS, SasKind, canonical_key};
use crate::sas::syntax::{Mark, RawField};
use crate::text::{self, Trait};

/// Query parameters of storage operations: harmless to the service, but not SAS.
const OPERATION_KEYS: &[&str] = &[
    "api-version",
    "comp",
    "restype",
    "snapshot",
    "versionid",
    "prefix",
    "include",
    "timeout",
];

pub(super) fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    envelope(scope, out);
    if scope.token.fields.is_empty() {
        out.push(
            Finding::new(codes::EMPTY, "token", scope.token_span())
                .message("no SAS token found in the input")
                .help(
                    "paste the token (the text after `?` in a SAS URL), the SAS URL, \
                    or a connection string",
                ),
        );
        return;
    }
    if let Some(raw) = scope.token.fields.iter().find(|f| encoded_whole(f)) {
        // Every other finding would be about a field name the service never sees.
        out.push(encoded_whole_finding(raw));
        return;
    }
    for (index, raw) in scope.token.fields.iter().enumerate() {
        field_name(scope, index, raw, out);
        marks(raw, out);
        characters(raw, out);
    }
    required(scope, out);
}

/// A field with no `=` whose name, percent-decoded once, is two or more SAS fields
/// (`se%3D…%26sp%3D…`): the whole token was encoded, as when it is put in a URL query
/// or form value.
fn encoded_whole(raw: &RawField) -> bool {
    if raw.has_equals {
        return false;
    }
    let decoded = crate::sas::model::percent_decode_key(&raw.key);
    let known = decoded
        .split('&')
        .filter_map(|part| part.split_once('='))
        .filter(|(name, _)| {
            let name = canonical_key(name);
            KNOWN_KEYS.iter().any(|(k, _)| *k == name)
        })
        .count();
    known >= 2
}

/// The finding on a token encoded as a whole; it names no field, since the name it was
/// read as holds the signature.
fn encoded_whole_finding(raw: &RawField) -> Finding {
    Finding::new(codes::ENCODED_WHOLE, "token", raw.key_span.clone())
        .message(
            "the whole token is percent-encoded: its `=` and `&` are written `%3D` and \
            `%26`, so the service sees one field name and no SAS fields",
        )
        .label("encoded token")
        .help(
            "decode it once (`%3D` to `=`, `%26` to `&`, `%3A` to `:`); keep `%3D` only at \
            the end of the `sig` value, or generate the token again",
        )
}

fn envelope(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let envelope = &scope.token.envelope;
    if let (Form::Url, Some(url)) = (envelope.form, &envelope.url) {
        // A pipeline's Key Vault secret must hold the token, not the URL; for a
        // generic check the URL is fine and only worth knowing.
        let severity = if scope.for_pipeline() {
            Severity::Warning
        } else {
            Severity::Advice
        };
        out.push(
            Finding::new(codes::URL_FORM, "token", url.span.clone())
                .severity(severity)
                .message("the input is a whole SAS URL, not a token")
                .label("the resource URL")
                .help(
                    "store only the part after `?` (with the `?`, as the ACR guides \
                    do) in the pipeline's Key Vault secret",
                ),
        );
    }
    if let (Form::ConnectionString, Some(url)) = (envelope.form, &envelope.url) {
        out.push(
            Finding::new(codes::CONNECTION_STRING, "token", url.span.clone())
                .message("the token was taken from a connection string")
                .label("the endpoint")
                .help("a pipeline's Key Vault secret must hold only the token"),
        );
    }
    if let Some(quotes) = &envelope.quotes {
        out.push(
            Finding::new(codes::QUOTED, "token", quotes.start..quotes.start + 1)
                .message("the token is wrapped in quotes")
                .help("the quotes were ignored here; leave them out of a Key Vault secret"),
        );
    }
    for span in &envelope.whitespace {
        out.push(
            Finding::new(codes::WHITESPACE, "token", span.clone())
                .message("whitespace around the token would become part of it")
                .label("whitespace")
                .help(
                    "trim the token; in a Key Vault secret a trailing newline ends up in the value",
                ),
        );
    }
}

fn field_name(scope: &Scope<'_>, index: usize, raw: &RawField, out: &mut Vec<Finding>) {
    if raw.key.starts_with('?') {
        out.push(stray_question_mark(raw));
        return;
    }
    if let Some(how) = glued_signature(raw) {
        out.push(signature_without_equals(raw, how));
        return;
    }
    let key = field_key(&raw.key);
    out.extend(escaped_or_upper_case(&key, raw));
    if !raw.has_equals {
        out.push(
            Finding::new(codes::KEY_WITHOUT_VALUE, key.clone(), raw.key_span.clone())
                .message(format!("`{}` has no `=` and no value", raw.key))
                .help("give the field a value (`name=value`) or remove it"),
        );
    }
    // Both lists are in field order: a binary search keeps a token of many fields
    // linear.
    if scope.token.duplicates.binary_search(&index).is_ok() {
        out.push(duplicate(scope, &key, raw));
    }
    if scope.token.unknown.binary_search(&index).is_ok() && !canonical_key(&raw.key).is_empty() {
        out.push(unknown(&key, raw));
    }
}

/// The `field` of a finding about a field named `raw`: its canonical name, or
/// `(unnamed)` for a field with an empty name (`=x`, a lone `?`, `&amp;=`), since every
/// finding names the field it is about.
fn field_key(raw: &str) -> String {
    let key = canonical_key(raw);
    if key.is_empty() {
        String::from("(unnamed)")
    } else {
        key
    }
}

/// Shortest text after `sig` taken for a signature glued to its name: a signature is
/// 44 base64 characters, and a field name this long is nothing else.
const GLUED_SIGNATURE_MIN: usize = 16;

/// A field with no `=` whose name is `sig` followed by a signature (`sig<value>`) or by
/// a percent-encoded `=` and a signature (`sig%3D<value>`): how the `=` was lost.
fn glued_signature(raw: &RawField) -> Option<&'static str> {
    if raw.has_equals {
        return None;
    }
    let rest = raw
        .key
        .get(..3)
        .filter(|head| head.eq_ignore_ascii_case("sig"))
        .and_then(|_| raw.key.get(3..))?;
    let (how, value) = match rest.get(..3) {
        Some(escape) if escape.eq_ignore_ascii_case("%3D") => {
            ("is percent-encoded as `%3D`", rest.get(3..)?)
        }
        _ => ("is missing", rest),
    };
    // The value may already be masked (`*`): secrets are hidden before fields are read.
    let base64 = |c: char| c.is_ascii_alphanumeric() || "+/=%*".contains(c);
    (value.len() >= GLUED_SIGNATURE_MIN && value.chars().all(base64)).then_some(how)
}

/// The finding on a signature glued to `sig`. Its text never repeats the name, which
/// holds the signature.
fn signature_without_equals(raw: &RawField, how: &str) -> Finding {
    Finding::new(codes::SIG_NO_EQUALS, "sig", raw.key_span.clone())
        .message(format!(
            "the `=` after `sig` {how}: the signature was read as part of the field name, \
            so the token has no `sig`"
        ))
        .label("`sig` and its value run together")
        .help(
            "write `sig=` and then the signature; only `=` inside the signature (its \
            padding) is encoded as `%3D`",
        )
}

/// The `field` of findings on `raw`: `sig` for a signature glued to its name (the name
/// holds the signature), else [`field_key`].
fn field_of(raw: &RawField) -> String {
    if glued_signature(raw).is_some() {
        String::from("sig")
    } else {
        field_key(&raw.key)
    }
}

/// `?se`: a second `?` glued to the first field name.
fn stray_question_mark(raw: &RawField) -> Finding {
    let meant = raw.key.trim_start_matches('?');
    Finding::new(
        codes::STRAY_QUESTION_MARK,
        field_key(meant),
        raw.key_span.clone(),
    )
    .message(format!(
        "the field name is `{}`: the service sees no `{meant}`",
        raw.key
    ))
    .label("extra `?`")
    .help("remove the extra `?`: a token has at most one, before the first field")
}

/// `amp;sp` (HTML-escaped `&`) or `SP` (upper case).
fn escaped_or_upper_case(key: &str, raw: &RawField) -> Option<Finding> {
    let lower = raw.key.to_ascii_lowercase();
    if lower.starts_with("amp;") {
        Some(
            Finding::new(codes::HTML_ESCAPED, key, raw.key_span.clone())
                .message(format!(
                    "`&amp;` before `{key}`: the service sees a field named `{}`",
                    raw.key
                ))
                .label("HTML-escaped `&`")
                .help("replace every `&amp;` with `&`; the token was copied from HTML or XML"),
        )
    } else if raw.key != lower {
        Some(
            Finding::new(codes::KEY_CASE, key, raw.key_span.clone())
                .message(format!("field name `{}` is not lower case", raw.key))
                .help(format!(
                    "write `{key}`; the service is said to accept any case, but some \
                    SDKs (Python) drop such fields"
                )),
        )
    } else {
        None
    }
}

fn duplicate(scope: &Scope<'_>, key: &str, raw: &RawField) -> Finding {
    let mut finding = Finding::new(codes::DUPLICATE_KEY, key, raw.span.clone())
        .message(format!("`{key}` is given more than once"))
        .label("repeated")
        .help(format!(
            "keep one `{key}`; SDKs take the first, and what the service takes is not documented"
        ));
    if let Some(first) = scope.token.span_of(key) {
        finding = finding.related(first, "first here");
    }
    finding
}

fn unknown(key: &str, raw: &RawField) -> Finding {
    let known = KNOWN_KEYS.iter().any(|(k, _)| *k == key);
    let message = if OPERATION_KEYS.contains(&key) {
        format!("`{key}` is a request parameter, not part of the SAS")
    } else if known {
        format!("`{key}` is not used here")
    } else {
        format!("`{key}` is not a SAS field")
    };
    Finding::new(codes::UNKNOWN_KEY, key, raw.span.clone())
        .message(message)
        .help(
            "remove it from the token; the Python SDK does not treat a string \
            with extra fields as a SAS",
        )
}

fn marks(raw: &RawField, out: &mut Vec<Finding>) {
    let key = field_of(raw);
    for mark in &raw.marks {
        let finding = match mark {
            Mark::BadEscape(span) => Finding::new(codes::BAD_ESCAPE, key.clone(), span.clone())
                .message("`%` is not followed by two hex digits")
                .label("bad escape")
                .help(
                    "encode a literal `%` as `%25`; otherwise the token was cut or \
                    mangled, generate it again",
                ),
            Mark::DoubleEncoded(span) => {
                Finding::new(codes::DOUBLE_ENCODED, key.clone(), span.clone())
                    .message("`%25` followed by hex digits: the value was percent-encoded twice")
                    .label("encoded twice")
                    .help(
                        "decode the token once (`%252B` must be `%2B`); the service \
                        answers \"Signature fields not well formed\"",
                    )
            }
            Mark::NotUtf8(span) => Finding::new(codes::NOT_UTF8, key.clone(), span.clone())
                .message("escapes decode to bytes that are not UTF-8")
                .help("generate the token again; a SAS holds only ASCII"),
            // A raw `+` in `sig` is the signature rule's business (an error there).
            Mark::RawPlus(_) if key == "sig" => continue,
            Mark::RawPlus(span) => Finding::new(codes::RAW_PLUS, key.clone(), span.clone())
                .message("a raw `+` is read as a space by the service")
                .label("raw `+`")
                .help("encode `+` as `%2B`"),
        };
        out.push(finding);
    }
}

/// Required fields: `sv`, `sig` always; `se` and `sp` unless a stored policy (`si`)
/// may supply them; `ss` and `srt` for an account SAS; the key fields for a user
/// delegation SAS.
fn required(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let token = scope.token;
    let mut needed: Vec<&str> = vec!["sv", "sig"];
    if token.policy.is_none() {
        needed.extend(["se", "sp"]);
    }
    match token.kind {
        SasKind::Account => needed.extend(["ss", "srt"]),
        SasKind::UserDelegation => needed.extend(["skoid", "sktid", "ske", "sks", "skv"]),
        SasKind::Service => {}
        SasKind::Unknown => out.push(
            Finding::new(codes::UNKNOWN_KIND, "sr", scope.token_span())
                .message("the token has none of `ss`, `srt` (account SAS) or `sr` (service SAS)")
                .help(
                    "generate a complete token; for ACR Transfer, `az storage \
                    container generate-sas` or `az storage account generate-sas`",
                ),
        ),
    }
    // A signature glued to `sig` has its own finding, which says more than "missing".
    let glued = token.fields.iter().any(|f| glued_signature(f).is_some());
    for key in needed {
        let explained = key == "sig" && glued;
        if !token.has(key) && !explained {
            out.push(missing(scope, key));
        }
    }
    for raw in &token.fields {
        let key = canonical_key(&raw.key);
        if raw.has_equals && raw.value.is_empty() && KNOWN_KEYS.iter().any(|(k, _)| *k == key) {
            out.push(
                Finding::new(codes::EMPTY_VALUE, key.clone(), raw.span.clone())
                    .message(format!("`{key}` is empty"))
                    .help(format!("give `{key}` a value or generate the token again")),
            );
        }
    }
}

fn missing(scope: &Scope<'_>, key: &str) -> Finding {
    let what = crate::sas::model::meaning(key).unwrap_or("a required field");
    let mut finding = Finding::new(codes::MISSING_FIELD, key, scope.token_span())
        .message(format!("`{key}` is missing ({what})"))
        .label("in this token")
        .help(format!(
            "generate the token again; the service answers \"{key} is mandatory. Cannot be empty\""
        ));
    let stray = scope
        .token
        .fields
        .iter()
        .find(|f| canonical_key(f.key.trim_start_matches('?')) == key);
    if let Some(raw) = stray {
        finding = finding.related(raw.key_span.clone(), "not recognised as this field");
    }
    finding
}

/// A look-alike, invisible, bidirectional or control character in a field's name or
/// decoded value: every SAS field is ASCII, so the service cannot read what the user
/// sees. One finding per field, at the first such character.
fn characters(raw: &RawField, out: &mut Vec<Finding>) {
    let in_key = text::suspicious(&raw.key).map(|s| {
        let start = raw.key_span.start + s.offset;
        (s, start..start + s.len())
    });
    let in_value =
        text::suspicious(&raw.value).map(|s| (s, raw.input_span(s.offset..s.offset + s.len())));
    let mut found = in_key.chain(in_value);
    let Some((first, span)) = found.next() else {
        return;
    };
    let others = found.count();
    let field = field_of(raw);
    let more = match others {
        0 => String::new(),
        1 => String::from(" and 1 more such character"),
        n => format!(" and {n} more such characters"),
    };
    let help = match first.kind {
        Trait::Bidi | Trait::Invisible | Trait::Control => {
            "delete it: the service reads the bytes, not what the screen shows; copy the \
            token from the tool that made it rather than from a chat or a document"
        }
        Trait::LooksLike(_) => {
            "retype the value in plain ASCII, or copy the token again from the tool that \
            made it; chat clients and word processors swap such characters in"
        }
    };
    out.push(
        Finding::new(codes::SUSPICIOUS_CHARACTER, field.clone(), span)
            .message(format!("`{field}` holds {}{more}", first.describe()))
            .help(help)
            .label(first.code_point()),
    );
}
