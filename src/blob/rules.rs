//! The source trigger's rules, judged on one [`Blob`].
//!
//! An import pipeline's source trigger skips a blob unless its Last-Modified is within
//! the last 60 days, it has a valid ContentMD5, and its metadata holds
//! `category=acr-transfer-blob` (ACR Transfer troubleshooting guide, "source trigger").
//! The service's exact MD5 test is not documented; the minimum judged here is base64 of
//! 16 bytes. These rules read the typed model only; values were cut out by the readers
//! and are classified through [`super::values`].

use chrono::{DateTime, Duration, Utc};

use super::codes;
use super::model::{Blob, Md5Text, MetaEntry, Metadata, Prop};
use super::values::{self, Md5Form};
use crate::context::Context;
use crate::diag::{Code, Finding};

/// How many days after Last-Modified the source trigger still picks a blob up.
pub const WINDOW_DAYS: i64 = 60;

/// How many days before a blob leaves the window a warning is given.
pub const NEAR_LIMIT_DAYS: i64 = 7;

/// Leeway for clocks: a Last-Modified up to this far ahead of now is not flagged.
pub const FUTURE_LEEWAY_MINUTES: i64 = 5;

/// The metadata pair the source trigger looks for.
pub const CATEGORY_KEY: &str = "category";
/// The value it must have.
pub const CATEGORY_VALUE: &str = "acr-transfer-blob";

const METADATA_REPLACES: &str = "setting metadata replaces the whole set, so send every pair \
the blob keeps together with category=acr-transfer-blob, e.g. `az storage blob metadata update \
--metadata category=acr-transfer-blob ...`";

/// The canonical field names used in findings, whatever the dump format.
pub mod field {
    /// ContentMD5.
    pub const CONTENT_MD5: &str = "contentMd5";
    /// Last-Modified.
    pub const LAST_MODIFIED: &str = "lastModified";
    /// The metadata category.
    pub const CATEGORY: &str = "metadata.category";
}

/// What judging one blob gave.
#[derive(Debug, Clone, Default)]
pub struct Judged {
    /// Findings about the blob.
    pub findings: Vec<Finding>,
    /// Properties the dump does not carry at all (their `*-not-captured` codes); reported
    /// once per dump, not once per blob.
    pub gaps: Vec<Code>,
}

/// Judges ContentMD5 and Last-Modified, and the metadata category when the metadata
/// can be trusted (see [`metadata_is_judgeable`]).
pub fn judge(blob: &Blob, ctx: &Context) -> Judged {
    let mut judged = Judged::default();
    if blob.name.is_empty() {
        judged.findings.push(
            Finding::new(codes::BLOB_NAME_MISSING, "name", blob.name_span.clone())
                .subject(subject(blob))
                .message("this blob record has no name")
                .label("record without a name")
                .help(
                    "make the dump again with the blob names (`az storage blob list` prints them)",
                ),
        );
    }
    content_md5(blob, &mut judged);
    last_modified(blob, ctx, &mut judged);
    if metadata_is_judgeable(&blob.metadata) {
        judged.findings.extend(category(blob));
    } else if blob.metadata.source == super::model::MetaSource::NotCaptured {
        judged.gaps.push(codes::METADATA_NOT_CAPTURED);
    }
    judged
}

/// True when the pairs can be judged now: a complete record, or a listing record
/// that itself proves metadata was listed. A listing record with no pairs waits until
/// the whole listing is read (see [`category_missing`]).
pub fn metadata_is_judgeable(metadata: &Metadata) -> bool {
    match metadata.source {
        super::model::MetaSource::Complete => true,
        super::model::MetaSource::Listed { .. } => !metadata.entries.is_empty(),
        super::model::MetaSource::NotCaptured => false,
    }
}

fn subject(blob: &Blob) -> String {
    if blob.name.is_empty() {
        String::from("<unnamed blob>")
    } else {
        blob.name.clone()
    }
}

/// ContentMD5 missing, not base64, hex, base64 of hex, or not 16 bytes.
fn content_md5(blob: &Blob, judged: &mut Judged) {
    let (md5, span) = match &blob.content_md5 {
        Prop::NotCaptured => return judged.gaps.push(codes::MD5_NOT_CAPTURED),
        Prop::Empty { span, how } => {
            return judged.findings.push(md5_missing(blob, span.clone(), how));
        }
        Prop::Value { value, span } => (value, span.clone()),
    };
    let finding = match md5 {
        Md5Text::Text(text) if text.trim().is_empty() => Some(md5_missing(blob, span, "empty")),
        Md5Text::Text(text) => md5_text(text, span),
        Md5Text::ByteArray(bytes) => md5_bytes(bytes, span, "a JSON array of numbers"),
        Md5Text::NotText(what) => Some(
            Finding::new(codes::MD5_NOT_BASE64, field::CONTENT_MD5, span)
                .message(format!("ContentMD5 is {what}, not a string"))
                .label("not a string")
                .help(
                    "store base64 of the 16 MD5 digest bytes (24 characters ending in ==); \
                    if the blob's value is right, make the dump again with a tool that prints \
                    it as a string",
                ),
        ),
        Md5Text::BadArray => Some(
            Finding::new(codes::MD5_NOT_BASE64, field::CONTENT_MD5, span)
                .message("ContentMD5 is an array that is not 16 bytes")
                .help("store base64 of the 16 MD5 digest bytes (24 characters ending in ==)"),
        ),
    };
    judged
        .findings
        .extend(finding.map(|f| f.subject(subject(blob))));
}

fn md5_missing(blob: &Blob, span: std::ops::Range<usize>, how: &str) -> Finding {
    Finding::new(codes::MD5_MISSING, field::CONTENT_MD5, span)
        .subject(subject(blob))
        .message(format!(
            "no ContentMD5 (the value is {how}); the source trigger skips this blob"
        ))
        .label(format!("ContentMD5 {how}"))
        .help(
            "uploads in blocks store no ContentMD5 unless the client sends one (AzCopy without \
             --put-md5, large SDK uploads); upload again with `azcopy copy --put-md5`, or set it \
             to the base64 MD5 of the content (`az storage blob update --content-md5`)",
        )
}

fn md5_text(text: &str, span: std::ops::Range<usize>) -> Option<Finding> {
    let finding = |code| Finding::new(code, field::CONTENT_MD5, span.clone());
    match values::content_md5(text) {
        Md5Form::Base64(bytes) if bytes.len() == 16 => None,
        Md5Form::Base64(bytes) if bytes.len() == 32 && bytes.iter().all(u8::is_ascii_hexdigit) => {
            let hex = String::from_utf8_lossy(&bytes).to_ascii_lowercase();
            let digest = values::hex_bytes(&hex);
            Some(
                finding(codes::MD5_BASE64_OF_HEX)
                    .message(format!(
                        "ContentMD5 is base64 of the hex text {hex}, not of the 16 digest bytes"
                    ))
                    .label("base64 of 32 hex characters")
                    .help(format!(
                        "store base64 of the digest bytes instead: {}",
                        values::to_base64(&digest)
                    )),
            )
        }
        Md5Form::Base64(bytes) => Some(
            finding(codes::MD5_WRONG_LENGTH)
                .message(format!(
                    "ContentMD5 decodes to {} bytes; an MD5 digest is 16",
                    bytes.len()
                ))
                .label(format!("{} bytes", bytes.len()))
                .help("store base64 of the 16 MD5 digest bytes (24 characters ending in ==)"),
        ),
        Md5Form::Hex(bytes) => Some(
            finding(codes::MD5_HEX)
                .message("ContentMD5 is 32 hex digits; Azure expects base64 of the 16 digest bytes")
                .label("hex")
                .help(format!(
                    "the same digest in base64 is {}; store that",
                    values::to_base64(&bytes)
                )),
        ),
        Md5Form::PythonBytes(bytes) => md5_bytes(&bytes, span, "a Python bytes value"),
        Md5Form::Unknown => Some(
            finding(codes::MD5_NOT_BASE64)
                .message("ContentMD5 is neither base64 nor a hex digest")
                .label("not base64")
                .help("store base64 of the 16 MD5 digest bytes (24 characters ending in ==)"),
        ),
    }
}

fn md5_bytes(bytes: &[u8], span: std::ops::Range<usize>, form: &str) -> Option<Finding> {
    if bytes.len() != 16 {
        return Some(
            Finding::new(codes::MD5_WRONG_LENGTH, field::CONTENT_MD5, span)
                .message(format!(
                    "ContentMD5 is {} bytes; an MD5 digest is 16",
                    bytes.len()
                ))
                .label(format!("{} bytes", bytes.len()))
                .help("store base64 of the 16 MD5 digest bytes (24 characters ending in ==)"),
        );
    }
    Some(
        Finding::new(codes::MD5_UNUSUAL_FORM, field::CONTENT_MD5, span)
            .message(format!(
                "ContentMD5 is written as {form}; read as {}",
                values::to_base64(bytes)
            ))
            .label("byte array")
            .help(
                "the blob's value is fine; the tool that made the dump printed raw bytes \
                instead of base64",
            ),
    )
}

/// Last-Modified unreadable, older than 60 days, close to that, or in the future.
fn last_modified(blob: &Blob, ctx: &Context, judged: &mut Judged) {
    let (text, span) = match &blob.last_modified {
        Prop::NotCaptured => return judged.gaps.push(codes::LAST_MODIFIED_NOT_CAPTURED),
        Prop::Empty { span, how } => {
            let finding = Finding::new(
                codes::LAST_MODIFIED_UNREADABLE,
                field::LAST_MODIFIED,
                span.clone(),
            )
            .subject(subject(blob))
            .message(format!("no Last-Modified (the value is {how})"))
            .help("make the dump again with the blob's properties");
            return judged.findings.push(finding);
        }
        Prop::Value { value, span } => (value, span.clone()),
    };
    let finding = match values::last_modified(text) {
        None => Some(
            Finding::new(codes::LAST_MODIFIED_UNREADABLE, field::LAST_MODIFIED, span)
                .message("Last-Modified is not a date in a known form")
                .label("not a date")
                .help(
                    "expected RFC 1123 (Mon, 02 Mar 2026 08:17:09 GMT), ISO 8601 with an \
                    offset, AzCopy's 2026-03-02 08:17:09 +0000 GMT, or /Date(milliseconds)/",
                ),
        ),
        Some(at) => age(at, ctx.now(), span),
    };
    judged
        .findings
        .extend(finding.map(|f| f.subject(subject(blob))));
}

fn age(at: DateTime<Utc>, now: DateTime<Utc>, span: std::ops::Range<usize>) -> Option<Finding> {
    let window = Duration::days(WINDOW_DAYS);
    let falls_out = at + window;
    let day = |t: DateTime<Utc>| t.format("%Y-%m-%d %H:%M UTC").to_string();
    let days_ago = (now.date_naive() - at.date_naive()).num_days();
    if at > now + Duration::minutes(FUTURE_LEEWAY_MINUTES) {
        return Some(
            Finding::new(codes::LAST_MODIFIED_IN_FUTURE, field::LAST_MODIFIED, span)
                .message(format!(
                    "last modified {}, after now ({})",
                    day(at),
                    day(now)
                ))
                .label("in the future")
                .help(
                    "check the clock of the machine that made the dump, or pass --now \
                    with the time the import will run",
                ),
        );
    }
    if now - at > window {
        return Some(
            Finding::new(codes::LAST_MODIFIED_TOO_OLD, field::LAST_MODIFIED, span)
                .message(format!(
                    "last modified {days_ago} days ago; the source trigger only picks up \
                        blobs modified in the last {WINDOW_DAYS} days"
                ))
                .label(format!("out of the window since {}", day(falls_out)))
                .help(format!(
                    "run the import manually with a PipelineRun, or touch the blob by \
                        setting its metadata again; {METADATA_REPLACES}"
                )),
        );
    }
    if falls_out - now <= Duration::days(NEAR_LIMIT_DAYS) {
        return Some(
            Finding::new(codes::LAST_MODIFIED_NEAR_LIMIT, field::LAST_MODIFIED, span)
                .message(format!(
                    "last modified {days_ago} days ago; the blob leaves the \
                        {WINDOW_DAYS}-day window on {}",
                    day(falls_out)
                ))
                .label(format!("leaves the window {}", day(falls_out)))
                .help(format!(
                    "import before {}, or run the import manually with a \
                    PipelineRun",
                    day(falls_out)
                )),
        );
    }
    None
}

/// The category pair: absent, a key in another case, or a wrong value.
fn category(blob: &Blob) -> Vec<Finding> {
    let entries: Vec<&MetaEntry> = blob
        .metadata
        .entries
        .iter()
        .filter(|e| e.key.eq_ignore_ascii_case(CATEGORY_KEY))
        .collect();
    let Some(entry) = entries
        .iter()
        .find(|e| e.key == CATEGORY_KEY)
        .or_else(|| entries.first())
    else {
        return vec![category_missing(blob)];
    };
    let mut findings = Vec::new();
    if entry.key != CATEGORY_KEY {
        findings.push(
            Finding::new(
                codes::CATEGORY_KEY_CASE,
                field::CATEGORY,
                entry.key_span.clone(),
            )
            .subject(subject(blob))
            .message(format!(
                "the metadata key is `{}`, not `{CATEGORY_KEY}`",
                entry.key
            ))
            .label(format!("`{}`", entry.key))
            .help(
                "metadata names are case-insensitive in storage, so the trigger \
                    should still see it; to be sure, set it again as `category` (and \
                    remember that setting metadata replaces the whole set)",
            ),
        );
    }
    findings.extend(category_value(blob, entry));
    findings
}

fn category_value(blob: &Blob, entry: &MetaEntry) -> Option<Finding> {
    let value = entry.value.as_str();
    if value == CATEGORY_VALUE {
        return None;
    }
    let (code, message) = if value.trim().eq_ignore_ascii_case(CATEGORY_VALUE) {
        (
            codes::CATEGORY_VALUE_CASE,
            format!("the metadata category is `{value}`; the export writes `{CATEGORY_VALUE}`"),
        )
    } else {
        (
            codes::CATEGORY_WRONG,
            format!(
                "the metadata category is `{value}`, not `{CATEGORY_VALUE}`{}",
                hidden_characters(value)
            ),
        )
    };
    Some(
        Finding::new(code, field::CATEGORY, entry.value_span.clone())
            .subject(subject(blob))
            .message(message)
            .label("category value")
            .help(format!(
                "set category={CATEGORY_VALUE}; {METADATA_REPLACES}"
            )),
    )
}

/// `; it holds U+0435 CYRILLIC SMALL LETTER IE, which looks like `e``, for text that
/// looks right but holds a look-alike, invisible or control character; empty otherwise.
fn hidden_characters(text: &str) -> String {
    match crate::text::suspicious(text).next() {
        Some(found) => format!("; `{text}` holds {}", found.describe()),
        None => String::new(),
    }
}

/// No `category` key: the finding for a blob whose metadata is known to be complete.
pub fn category_missing(blob: &Blob) -> Finding {
    let keys: Vec<&str> = blob
        .metadata
        .entries
        .iter()
        .map(|e| e.key.as_str())
        .collect();
    let message = if keys.is_empty() {
        String::from("the blob has no metadata, so no category=acr-transfer-blob")
    } else {
        let hidden: String = keys.iter().map(|k| hidden_characters(k)).collect();
        format!(
            "the metadata has no category (keys: {}){hidden}",
            keys.join(", ")
        )
    };
    Finding::new(
        codes::CATEGORY_MISSING,
        field::CATEGORY,
        blob.metadata.span.clone(),
    )
    .subject(subject(blob))
    .message(message)
    .label("no category here")
    .help(format!(
        "the source trigger only imports blobs with category={CATEGORY_VALUE}; copies \
                and metadata refreshes lose it: {METADATA_REPLACES}"
    ))
}

/// The local file's MD5 differs from the dump's ContentMD5; both values in base64 and hex.
pub fn content_mismatch(blob: &Blob, local: &[u8; 16], path: &str) -> Option<Finding> {
    let Prop::Value {
        value: Md5Text::Text(text),
        span,
    } = &blob.content_md5
    else {
        return None;
    };
    let stored = match values::content_md5(text) {
        Md5Form::Base64(bytes) | Md5Form::Hex(bytes) | Md5Form::PythonBytes(bytes) => bytes,
        Md5Form::Unknown => return None,
    };
    if stored.len() != 16 || stored == local {
        return None;
    }
    Some(
        Finding::new(codes::MD5_MISMATCH, field::CONTENT_MD5, span.clone())
            .subject(subject(blob))
            .message(format!(
                "the MD5 of {path} is {} (hex {}), the dump says {} (hex {})",
                values::to_base64(local),
                values::to_hex(local),
                values::to_base64(&stored),
                values::to_hex(&stored)
            ))
            .label("stored ContentMD5")
            .help(
                "the local file is not the blob's content, or the content changed after \
                ContentMD5 was set; compare the right file, or set ContentMD5 again",
            ),
    )
}
