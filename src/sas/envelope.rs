//! Finding the token in what the user pasted: bare, after a `?`, inside a SAS URL, a
//! connection string, quotes, or the JSON that `az keyvault secret show` prints.
//!
//! Implements the envelope rules of `grammar/sas-token.abnf` (`input`, `quoted`,
//! `bare-input`, `sas-url`, `connection-string`, `sas-query`, `key-vault-json`). It
//! locates the token and records how it was wrapped; it does not split the token.

use std::ops::Range;

use crate::json;

/// How the token was wrapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// The query string alone, as `az ... generate-sas` prints it.
    Bare,
    /// The query string with a leading `?`, as the ACR guides store it.
    Query,
    /// A whole SAS URL.
    Url,
    /// A connection string with `SharedAccessSignature=`.
    ConnectionString,
}

impl Form {
    /// The stable name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Form::Bare => "bare",
            Form::Query => "query",
            Form::Url => "url",
            Form::ConnectionString => "connection-string",
        }
    }
}

/// What a SAS URL (or a connection string's endpoint) says about the resource.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UrlParts {
    /// Byte range of the URL (or endpoint) in the input.
    pub span: Range<usize>,
    /// `https` or `http`, lower case.
    pub scheme: String,
    /// Host name, with the port if any.
    pub host: String,
    /// Storage account name.
    pub account: Option<String>,
    /// Service from the host name: `blob`, `dfs`, `file`, `queue`, `table`.
    pub service: Option<String>,
    /// Endpoint suffix, e.g. `core.windows.net`.
    pub endpoint_suffix: Option<String>,
    /// Container name.
    pub container: Option<String>,
    /// Blob name (still percent-encoded).
    pub blob: Option<String>,
    /// True for the emulator's path-style URL (`http://127.0.0.1:10000/account/...`).
    pub path_style: bool,
}

/// Where the token is in the input and how it was wrapped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// The wrapping.
    pub form: Form,
    /// True when the token came from a Key Vault secret's JSON `value`.
    pub key_vault: bool,
    /// Byte range of the token (after any `?`) in the input.
    pub token: Range<usize>,
    /// The `?` before the token, if any.
    pub question_mark: Option<Range<usize>>,
    /// Quotes around the token, if any.
    pub quotes: Option<Range<usize>>,
    /// Whitespace that would become part of the secret or the token (everything but
    /// a single line ending at the very end of the input).
    pub whitespace: Vec<Range<usize>>,
    /// The URL or connection-string endpoint, with what it names.
    pub url: Option<UrlParts>,
}

/// Where the token is, or a rewritten text when the Key Vault JSON value had escapes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Located {
    /// The token is in the input text.
    InPlace(Envelope),
    /// The token is in the JSON value after unescaping; spans index this text.
    Unescaped(String, Envelope),
}

/// `input = *wsp ( key-vault-json / quoted / bare-input ) *wsp`
pub fn input(text: &str) -> Located {
    let (range, mut whitespace) = trim(text, 0..text.len(), true);
    let inner = text.get(range.clone()).unwrap_or("");
    if inner.starts_with('{') {
        if let Some(located) = key_vault_json(text, range.clone()) {
            return located.with_whitespace(whitespace);
        }
    }
    let mut envelope = quoted(text, range);
    whitespace.append(&mut envelope.whitespace);
    envelope.whitespace = whitespace;
    Located::InPlace(envelope)
}

impl Located {
    fn with_whitespace(self, mut outer: Vec<Range<usize>>) -> Located {
        match self {
            Located::InPlace(mut envelope) => {
                outer.append(&mut envelope.whitespace);
                envelope.whitespace = outer;
                Located::InPlace(envelope)
            }
            // Outer whitespace is outside the JSON value: harmless there.
            unescaped @ Located::Unescaped(..) => unescaped,
        }
    }

    /// The envelope.
    pub fn envelope(&self) -> &Envelope {
        match self {
            Located::InPlace(envelope) | Located::Unescaped(_, envelope) => envelope,
        }
    }
}

/// Narrows `range` past whitespace on both ends. Returns the narrowed range and the
/// whitespace worth reporting; at the end of the input a single line ending is not.
fn trim(text: &str, range: Range<usize>, at_input_end: bool) -> (Range<usize>, Vec<Range<usize>>) {
    let slice = text.get(range.clone()).unwrap_or("");
    let start = range.start + (slice.len() - slice.trim_start().len());
    let end = range.start + slice.trim_end().len();
    let end = end.max(start);
    let mut reported = Vec::new();
    if start > range.start {
        reported.push(range.start..start);
    }
    let tail = text.get(end..range.end).unwrap_or("");
    let harmless = at_input_end && (tail == "\n" || tail == "\r\n");
    if !tail.is_empty() && !harmless {
        reported.push(end..range.end);
    }
    (start..end, reported)
}

/// `key-vault-json`: the object `az keyvault secret show` prints; its `value`.
fn key_vault_json(text: &str, range: Range<usize>) -> Option<Located> {
    let slice = text.get(range.clone())?;
    let root = json::parse(slice).ok()?;
    let value = root.get("value")?;
    let secret = value.as_str()?;
    let inner = value.inner_span();
    let inner = range.start + inner.start..range.start + inner.end;
    if text.get(inner.clone()) == Some(secret) {
        let (token_range, whitespace) = trim(text, inner, false);
        let mut envelope = quoted(text, token_range);
        envelope.key_vault = true;
        envelope.whitespace.splice(0..0, whitespace);
        return Some(Located::InPlace(envelope));
    }
    let owned = secret.to_string();
    let (token_range, whitespace) = trim(&owned, 0..owned.len(), false);
    let mut envelope = quoted(&owned, token_range);
    envelope.key_vault = true;
    envelope.whitespace.splice(0..0, whitespace);
    Some(Located::Unescaped(owned, envelope))
}

/// `quoted = DQUOTE bare-input DQUOTE / "'" bare-input "'"`
fn quoted(text: &str, range: Range<usize>) -> Envelope {
    let slice = text.get(range.clone()).unwrap_or("");
    let quote = ['"', '\'']
        .into_iter()
        .find(|&q| slice.len() >= 2 && slice.starts_with(q) && slice.ends_with(q));
    if quote.is_none() {
        return bare_input(text, range);
    }
    let (inner, whitespace) = trim(text, range.start + 1..range.end - 1, false);
    let mut envelope = bare_input(text, inner);
    envelope.quotes = Some(range);
    envelope.whitespace.extend(whitespace);
    envelope
}

/// `bare-input = sas-url / connection-string / sas-query`
fn bare_input(text: &str, range: Range<usize>) -> Envelope {
    let slice = text.get(range.clone()).unwrap_or("");
    let lower = slice.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        sas_url(text, range)
    } else if lower.contains("sharedaccesssignature=") {
        connection_string(text, range)
    } else {
        sas_query(text, range, Form::Bare)
    }
}

/// `sas-query = [ "?" ] sas-token`
fn sas_query(text: &str, range: Range<usize>, form: Form) -> Envelope {
    let slice = text.get(range.clone()).unwrap_or("");
    let (question_mark, token, form) = if slice.starts_with('?') {
        let form = if form == Form::Bare {
            Form::Query
        } else {
            form
        };
        (
            Some(range.start..range.start + 1),
            range.start + 1..range.end,
            form,
        )
    } else {
        (None, range, form)
    };
    Envelope {
        form,
        key_vault: false,
        token,
        question_mark,
        quotes: None,
        whitespace: Vec::new(),
        url: None,
    }
}

/// `sas-url = scheme "://" authority path [ "?" sas-token ] [ "#" *OCTET ]`
fn sas_url(text: &str, range: Range<usize>) -> Envelope {
    let slice = text.get(range.clone()).unwrap_or("");
    let without_fragment = slice.split('#').next().unwrap_or("");
    let (address, query_at) = match without_fragment.find('?') {
        Some(at) => (&without_fragment[..at], Some(at)),
        None => (without_fragment, None),
    };
    let parts = url_parts(address, range.start..range.start + address.len());
    let mut envelope = match query_at {
        Some(at) => sas_query(
            text,
            range.start + at..range.start + without_fragment.len(),
            Form::Url,
        ),
        None => sas_query(
            text,
            range.start + address.len()..range.start + address.len(),
            Form::Url,
        ),
    };
    envelope.url = Some(parts);
    envelope
}

/// What `scheme://authority/path` names: account, service, container, blob.
fn url_parts(address: &str, span: Range<usize>) -> UrlParts {
    let (scheme, rest) = address.split_once("://").unwrap_or(("", address));
    let (authority, path) = match rest.find('/') {
        Some(at) => (&rest[..at], &rest[at + 1..]),
        None => (rest, ""),
    };
    let host = authority
        .rsplit('@')
        .next()
        .unwrap_or(authority)
        .to_ascii_lowercase();
    let name = host.split(':').next().unwrap_or("").to_string();
    let mut parts = UrlParts {
        span,
        scheme: scheme.to_ascii_lowercase(),
        host: host.clone(),
        ..UrlParts::default()
    };
    let labels: Vec<&str> = name.split('.').collect();
    let is_address = name == "localhost" || name.parse::<std::net::IpAddr>().is_ok();
    let mut path = path;
    if is_address || labels.len() < 3 {
        parts.path_style = true;
        let (account, rest) = path.split_once('/').unwrap_or((path, ""));
        parts.account = Some(account.to_string()).filter(|a| !a.is_empty());
        path = rest;
    } else {
        parts.account = labels.first().map(|s| s.to_string());
        // `account.blob.core.windows.net`, or with a label between account and
        // service, as in `account.privatelink.blob.core.windows.net`.
        let service_at = labels
            .iter()
            .skip(1)
            .position(|l| SERVICES.contains(l))
            .map_or(1, |i| i + 1);
        parts.service = labels.get(service_at).map(|s| s.to_string());
        parts.endpoint_suffix = Some(labels.get(service_at + 1..).unwrap_or(&[]).join("."));
    }
    let (container, blob) = path.split_once('/').unwrap_or((path, ""));
    parts.container = Some(container.to_string()).filter(|c| !c.is_empty());
    parts.blob = Some(blob.to_string()).filter(|b| !b.is_empty());
    parts
}

/// Storage services as they appear in endpoint host names.
const SERVICES: &[&str] = &["blob", "dfs", "file", "queue", "table", "web"];

/// `connection-string = conn-setting *( ";" conn-setting ) [ ";" ]`
fn connection_string(text: &str, range: Range<usize>) -> Envelope {
    let slice = text.get(range.clone()).unwrap_or("");
    let mut token = None;
    let mut endpoint = None;
    let mut offset = 0;
    for setting in slice.split(';') {
        let start = range.start + offset;
        offset += setting.len() + 1;
        let Some((name, value)) = setting.split_once('=') else {
            continue;
        };
        let value_start = start + name.len() + 1;
        let value_range = value_start..value_start + value.len();
        match name.trim().to_ascii_lowercase().as_str() {
            "sharedaccesssignature" => token = Some(value_range),
            "blobendpoint" => endpoint = Some((value, value_range)),
            _ => {}
        }
    }
    let token = token.unwrap_or(range.end..range.end);
    let mut envelope = sas_query(text, token, Form::ConnectionString);
    envelope.url = endpoint.map(|(value, span)| url_parts(value.trim_end_matches('/'), span));
    envelope
}

#[cfg(test)]
mod tests {
    use super::{Form, Located, input};

    fn envelope(text: &str) -> super::Envelope {
        match input(text) {
            Located::InPlace(e) => e,
            Located::Unescaped(_, e) => e,
        }
    }

    #[test]
    fn bare_query_and_trailing_newline() {
        let e = envelope("sv=1&sig=x\n");
        assert_eq!((e.form, e.token.clone()), (Form::Bare, 0..10));
        assert!(e.whitespace.is_empty());
        let e = envelope("?sv=1 \n");
        assert_eq!((e.form, e.token.clone()), (Form::Query, 1..5));
        assert_eq!(e.whitespace, vec![5..7]);
    }

    #[test]
    fn urls_name_account_container_blob() {
        let e = envelope("https://acct.blob.core.windows.net/transfer/a/b.tar?sv=1");
        let url = e.url.unwrap();
        assert_eq!(url.account.as_deref(), Some("acct"));
        assert_eq!(url.service.as_deref(), Some("blob"));
        assert_eq!(url.endpoint_suffix.as_deref(), Some("core.windows.net"));
        assert_eq!(url.container.as_deref(), Some("transfer"));
        assert_eq!(url.blob.as_deref(), Some("a/b.tar"));
        let e = envelope("https://acct.privatelink.blob.core.usgovcloudapi.net/c?sv=1");
        let url = e.url.unwrap();
        assert_eq!(url.service.as_deref(), Some("blob"));
        assert_eq!(
            url.endpoint_suffix.as_deref(),
            Some("core.usgovcloudapi.net")
        );
        let e = envelope("http://127.0.0.1:10000/devstoreaccount1/transfer?sv=1");
        let url = e.url.unwrap();
        assert!(url.path_style);
        assert_eq!(url.account.as_deref(), Some("devstoreaccount1"));
        assert_eq!(url.container.as_deref(), Some("transfer"));
    }

    #[test]
    fn connection_string_and_key_vault_json() {
        let text = "BlobEndpoint=https://a.blob.core.windows.net/;SharedAccessSignature=sv=1&sp=r";
        let e = envelope(text);
        assert_eq!(e.form, Form::ConnectionString);
        assert_eq!(&text[e.token.clone()], "sv=1&sp=r");
        assert_eq!(e.url.unwrap().account.as_deref(), Some("a"));
        let text = r#"{"id": "x", "value": "?sv=1&sp=r"}"#;
        let e = envelope(text);
        assert!(e.key_vault);
        assert_eq!(&text[e.token.clone()], "sv=1&sp=r");
        let text = r#"{"value": "sv=1\u0026sp=r"}"#;
        assert!(matches!(input(text), Located::Unescaped(ref t, _) if t == "sv=1&sp=r"));
    }

    #[test]
    fn quotes_are_stripped() {
        let text = "\"sv=1&sp=r\"\n";
        let e = envelope(text);
        assert_eq!(&text[e.token.clone()], "sv=1&sp=r");
        assert_eq!(e.quotes, Some(0..11));
    }
}
