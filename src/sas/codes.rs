//! Every finding code of the SAS check, in one table.
//!
//! Codes are stable: scripts match on them. Each has a default severity; a rule may
//! lower or raise it for one finding (and says why where it does).

use crate::diag::{Code, Severity};

macro_rules! codes {
    ($($name:ident = $id:literal, $severity:ident, $summary:literal;)*) => {
        $(
            #[doc = $summary]
            pub const $name: Code = Code {
                id: $id,
                severity: Severity::$severity,
                summary: $summary,
            };
        )*
        /// Every SAS code, in table order.
        pub const ALL: &[Code] = &[$($name),*];
    };
}

codes! {
    // Envelope and structure.
    EMPTY = "sas-empty", Error, "no SAS token in the input";
    URL_FORM = "sas-url-form", Warning, "the token came as a whole SAS URL";
    CONNECTION_STRING = "sas-connection-string", Advice, "the token came in a connection string";
    QUOTED = "sas-quoted", Advice, "the token is wrapped in quotes";
    WHITESPACE = "sas-whitespace", Warning, "whitespace around the token";
    STRAY_QUESTION_MARK = "sas-stray-question-mark", Error, "a `?` inside the token";
    HTML_ESCAPED = "sas-html-escaped", Error, "`&amp;` instead of `&` between fields";
    KEY_CASE = "sas-key-case", Warning, "a field name is not in lower case";
    DUPLICATE_KEY = "sas-duplicate-key", Error, "a field appears more than once";
    KEY_WITHOUT_VALUE = "sas-key-without-value", Error, "a field has no `=`";
    UNKNOWN_KEY = "sas-unknown-key", Warning, "a field that is not part of a SAS";
    BAD_ESCAPE = "sas-bad-escape", Error, "a `%` not followed by two hex digits";
    DOUBLE_ENCODED = "sas-double-encoded", Error, "a value is percent-encoded twice";
    NOT_UTF8 = "sas-not-utf8", Error, "bytes that are not UTF-8";
    SUSPICIOUS_CHARACTER = "sas-suspicious-character", Error, "a look-alike, invisible or control character in a field";
    RAW_PLUS = "sas-raw-plus", Warning, "a raw `+` the service reads as a space";
    MISSING_FIELD = "sas-missing-field", Error, "a required field is missing";
    EMPTY_VALUE = "sas-empty-value", Error, "a field's value is empty";
    UNKNOWN_KIND = "sas-unknown-kind", Error, "neither an account SAS nor a service SAS";
    ENCODED_WHOLE = "sas-encoded-whole", Error, "the whole token is percent-encoded";
    // Signature.
    SIG_RAW_PLUS = "sas-sig-raw-plus", Error, "a raw `+` in the signature is read as a space";
    SIG_NOT_BASE64 = "sas-sig-not-base64", Error, "the signature is not standard base64";
    SIG_PADDING = "sas-sig-padding-missing", Error, "the signature lost its `=` padding";
    SIG_LENGTH = "sas-sig-length", Error, "the signature is not 32 bytes";
    SIG_RAW_EQUALS = "sas-sig-raw-equals", Warning, "the signature's `=` is not percent-encoded";
    SIG_NO_EQUALS = "sas-sig-no-equals", Error, "the `=` after `sig` is missing, so the signature became part of the name";
    // Times.
    TIME_MALFORMED = "sas-time-malformed", Error, "not a time the service accepts";
    TIME_OFFSET = "sas-time-offset", Error, "a time with a UTC offset instead of `Z`";
    TIME_DATE_ONLY = "sas-time-date-only", Warning, "a date without a time";
    TIME_HOUR_ONLY = "sas-time-hour-only", Warning, "a time with hours but no minutes";
    TIME_FRACTION = "sas-time-fraction", Warning, "fractional seconds some clients reject";
    EXPIRED = "sas-expired", Error, "the token has expired";
    NOT_YET_VALID = "sas-not-yet-valid", Error, "the token is not valid yet";
    START_SKEW = "sas-start-skew", Warning, "the start leaves no margin for clock skew";
    START_AFTER_EXPIRY = "sas-start-after-expiry", Error, "the start is after the expiry";
    EXPIRES_SOON = "sas-expires-soon", Warning, "the token expires soon";
    KEY_EXPIRES_FIRST = "sas-key-expires-first", Warning, "the delegation key expires before the token";
    KEY_EXPIRED = "sas-key-expired", Error, "the delegation key has expired";
    KEY_TOO_LONG = "sas-key-too-long", Error, "the delegation key spans more than 7 days";
    // Permissions and resources.
    PERMISSION_UNKNOWN = "sas-permission-unknown", Error, "a permission letter this SAS cannot have";
    PERMISSION_REPEATED = "sas-permission-repeated", Error, "a permission letter given twice";
    PERMISSION_ORDER = "sas-permission-order", Error, "permission letters out of the required order";
    PERMISSION_VERSION = "sas-permission-version", Error, "a permission letter newer than `sv`";
    SERVICES = "sas-services", Error, "`ss` is not a set of services";
    RESOURCE_TYPES = "sas-resource-types", Error, "`srt` is not a set of resource types";
    RESOURCE = "sas-resource", Error, "`sr` is not a known resource";
    FIELD_NOT_FOR_KIND = "sas-field-not-for-kind", Error, "a field this kind of SAS cannot have";
    STRAY_FIELD = "sas-stray-field", Warning, "a field of another kind of SAS";
    STORED_POLICY = "sas-stored-policy", Warning, "a stored access policy cannot be checked offline";
    DIRECTORY_DEPTH = "sas-directory-depth", Error, "`sdd` is missing or not a non-negative integer";
    OBJECT_IDS = "sas-object-ids", Error, "both `saoid` and `suoid`";
    GUID = "sas-guid", Error, "not a GUID";
    KEY_SERVICE = "sas-key-service", Error, "`sks` is not the blob service";
    // Versions.
    VERSION_MALFORMED = "sas-version-malformed", Error, "`sv` is not a version";
    VERSION_UNKNOWN = "sas-version-unknown", Warning, "`sv` is not a known version";
    VERSION_TOO_OLD = "sas-version-too-old", Error, "`sv` is older than this SAS needs";
    FEATURE_VERSION = "sas-feature-version", Error, "a field needs a newer `sv`";
    VERSION_SOVEREIGN = "sas-version-sovereign-cloud", Warning, "a very new `sv` for a sovereign cloud";
    // Network.
    PROTOCOL = "sas-protocol", Error, "`spr` is not a permitted value";
    PROTOCOL_REVERSED = "sas-protocol-reversed", Warning, "`spr=http,https` instead of `https,http`";
    IP = "sas-ip", Error, "`sip` is not an IPv4 address or range";
    // ACR Transfer pipelines.
    PIPELINE_PERMISSIONS = "sas-pipeline-permissions", Error, "permissions the pipeline needs are missing";
    PIPELINE_HTTPS = "sas-pipeline-https", Error, "the pipeline wants an HTTPS-only token";
    PIPELINE_SERVICE = "sas-pipeline-service", Error, "the token does not cover the blob service";
    PIPELINE_RESOURCE_TYPES = "sas-pipeline-resource-types", Error, "the account SAS lacks resource types the pipeline needs";
    PIPELINE_SCOPE = "sas-pipeline-scope", Error, "the token is scoped narrower than a container";
    PIPELINE_CONTAINER_SAS = "sas-pipeline-container-sas", Warning, "a container SAS where the guides disagree";
    PIPELINE_USER_DELEGATION = "sas-pipeline-user-delegation", Warning, "a user delegation SAS for a pipeline";
    PIPELINE_IP = "sas-pipeline-ip", Warning, "an IP restriction on a pipeline token";
}

#[cfg(test)]
mod tests {
    use super::ALL;

    #[test]
    fn codes_are_unique_kebab_case() {
        for (i, code) in ALL.iter().enumerate() {
            assert!(code.id.starts_with("sas-"), "{}", code.id);
            assert!(
                code.id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{}",
                code.id
            );
            assert!(ALL[..i].iter().all(|c| c.id != code.id), "{}", code.id);
        }
    }
}
