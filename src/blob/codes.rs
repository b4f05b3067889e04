//! The finding codes of the blob dump check, each with its default severity.
//!
//! Codes are stable: scripts match on them. Messages and help are built by the rules.

use crate::diag::{Code, Severity};

const fn code(id: &'static str, severity: Severity, summary: &'static str) -> Code {
    Code {
        id,
        severity,
        summary,
    }
}

/// The input is not any dump format the check knows.
pub const DUMP_FORMAT_UNKNOWN: Code = code(
    "dump-format-unknown",
    Severity::Error,
    "the input is not a blob property dump this tool reads",
);
/// The dump could not be read in its format (broken JSON, XML or header line).
pub const DUMP_UNREADABLE: Code = code(
    "dump-unreadable",
    Severity::Error,
    "the dump could not be read",
);
/// A record of the dump has no blob name.
pub const BLOB_NAME_MISSING: Code = code(
    "blob-name-missing",
    Severity::Warning,
    "a blob record has no name",
);
/// ContentMD5 is absent, null or empty.
pub const MD5_MISSING: Code = code(
    "content-md5-missing",
    Severity::Error,
    "the blob has no ContentMD5",
);
/// ContentMD5 is neither base64 nor hex.
pub const MD5_NOT_BASE64: Code = code(
    "content-md5-not-base64",
    Severity::Error,
    "ContentMD5 is not base64",
);
/// ContentMD5 is written as 32 hex digits.
pub const MD5_HEX: Code = code(
    "content-md5-hex",
    Severity::Error,
    "ContentMD5 is hex, not base64",
);
/// ContentMD5 is base64 of the hex text of a digest.
pub const MD5_BASE64_OF_HEX: Code = code(
    "content-md5-base64-of-hex",
    Severity::Error,
    "ContentMD5 is base64 of hex text, not of the 16 digest bytes",
);
/// ContentMD5 decodes to other than 16 bytes.
pub const MD5_WRONG_LENGTH: Code = code(
    "content-md5-wrong-length",
    Severity::Error,
    "ContentMD5 does not decode to 16 bytes",
);
/// ContentMD5 was read from a form other than base64 text (a byte array).
pub const MD5_UNUSUAL_FORM: Code = code(
    "content-md5-unusual-form",
    Severity::Advice,
    "ContentMD5 is written as a byte array, not base64 text",
);
/// The dump does not carry ContentMD5 at all.
pub const MD5_NOT_CAPTURED: Code = code(
    "content-md5-not-captured",
    Severity::Warning,
    "the dump does not show ContentMD5",
);
/// The MD5 of the local file differs from the dump's ContentMD5.
pub const MD5_MISMATCH: Code = code(
    "content-md5-mismatch",
    Severity::Error,
    "the local file's MD5 differs from ContentMD5",
);
/// Last-Modified is more than 60 days before now.
pub const LAST_MODIFIED_TOO_OLD: Code = code(
    "last-modified-too-old",
    Severity::Error,
    "Last-Modified is more than 60 days ago",
);
/// Last-Modified falls out of the 60-day window soon.
pub const LAST_MODIFIED_NEAR_LIMIT: Code = code(
    "last-modified-near-limit",
    Severity::Warning,
    "Last-Modified leaves the 60-day window soon",
);
/// Last-Modified is after now.
pub const LAST_MODIFIED_IN_FUTURE: Code = code(
    "last-modified-in-future",
    Severity::Warning,
    "Last-Modified is in the future",
);
/// Last-Modified is not a date in any known form.
pub const LAST_MODIFIED_UNREADABLE: Code = code(
    "last-modified-unreadable",
    Severity::Error,
    "Last-Modified is not a date",
);
/// Last-Modified is absent from the record or from the dump format.
pub const LAST_MODIFIED_NOT_CAPTURED: Code = code(
    "last-modified-not-captured",
    Severity::Warning,
    "the dump does not show Last-Modified",
);
/// No metadata key `category` in any case.
pub const CATEGORY_MISSING: Code = code(
    "category-missing",
    Severity::Error,
    "the blob has no metadata category",
);
/// The category has another value than `acr-transfer-blob`.
pub const CATEGORY_WRONG: Code = code(
    "category-wrong-value",
    Severity::Error,
    "the metadata category is not acr-transfer-blob",
);
/// The category value differs from `acr-transfer-blob` only in case.
pub const CATEGORY_VALUE_CASE: Code = code(
    "category-value-case",
    Severity::Warning,
    "the metadata category differs from acr-transfer-blob in case",
);
/// The key is `Category` (or another case), not `category`.
pub const CATEGORY_KEY_CASE: Code = code(
    "category-key-case",
    Severity::Warning,
    "the metadata key is category in another case",
);
/// The dump was made without metadata, so the category cannot be judged.
pub const METADATA_NOT_CAPTURED: Code = code(
    "metadata-not-captured",
    Severity::Warning,
    "the dump was made without metadata",
);
/// A local file could not be read for hashing.
pub const CONTENT_UNREADABLE: Code = code(
    "content-unreadable",
    Severity::Error,
    "a local file could not be read",
);
