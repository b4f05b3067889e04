//! Blob records in JSON: `az storage blob show` (one object), `az storage blob list`
//! (an array of the same objects; current and older CLI shapes), and PowerShell
//! projections of `Get-AzStorageBlob` (`Name`, `LastModified`, `ContentMD5`,
//! `Metadata`). The shape accepted is described in `grammar/blob-json.md`.
//!
//! JSON text is read by [`crate::json`], which keeps the span of every value; this
//! module only picks the properties out of the tree. Member names are matched
//! ignoring ASCII case, since the CLI and PowerShell spell them differently.

use std::ops::Range;

use super::model::{Blob, Md5Text, MetaEntry, MetaSource, Metadata, Prop};
use crate::json::{Node, Value};

/// Where ContentMD5 sits: az CLI (current and older) and PowerShell projections.
const MD5_PATHS: &[&[&str]] = &[
    &["properties", "contentSettings", "contentMd5"],
    &["properties", "contentMd5"],
    &["contentMd5"],
];
/// Where Last-Modified sits.
const LAST_MODIFIED_PATHS: &[&[&str]] = &[&["properties", "lastModified"], &["lastModified"]];

/// What a JSON array element is.
#[derive(Debug)]
pub enum Record {
    /// A blob.
    Blob(Box<Blob>),
    /// A `{"nextMarker": ...}` element or a virtual-directory prefix (`{"name": ...}` only),
    /// which `az storage blob list` can print and which are not blobs.
    Skip,
    /// Not an object.
    NotARecord,
}

/// Reads one element of a listing, or the object of a single-blob dump (`listed` false).
pub fn record(node: &Node, listed: bool) -> Record {
    if !node.is_object() {
        return Record::NotARecord;
    }
    // `--show-next-marker` appends `{"nextMarker": ...}`; a delimiter turns virtual
    // directories into `{"name": ...}`. A projection with `--query` may keep a
    // `nextMarker` member on every blob, so only a lone member means "not a blob".
    let members = node.members();
    let lone = |key: &str| members.len() == 1 && members[0].key.eq_ignore_ascii_case(key);
    if lone("name") || lone("nextMarker") {
        return Record::Skip;
    }
    Record::Blob(Box::new(blob(node, listed)))
}

fn blob(node: &Node, listed: bool) -> Blob {
    let (name, name_span) = match node.member_ignore_case("name") {
        Some(m) => (
            m.value.as_str().unwrap_or_default().to_string(),
            m.value.inner_span(),
        ),
        None => (String::new(), node.span.clone()),
    };
    Blob {
        name,
        name_span,
        record_span: node.span.clone(),
        content_md5: md5(node),
        last_modified: last_modified(node),
        metadata: metadata(node, listed),
    }
}

/// Follows the first path whose every step exists; when only part of a path exists,
/// the property is absent there (`Empty`), when none does, the dump does not carry it.
fn lookup<'a>(node: &'a Node, paths: &[&[&str]]) -> Result<&'a Node, Option<Range<usize>>> {
    let mut partial = None;
    for path in paths {
        let mut here = node;
        let mut found = true;
        for (depth, step) in path.iter().enumerate() {
            match here.member_ignore_case(step) {
                Some(m) => here = &m.value,
                None => {
                    if depth > 0 && partial.is_none() {
                        partial = Some(here.span.clone());
                    }
                    found = false;
                    break;
                }
            }
        }
        if found {
            return Ok(here);
        }
    }
    Err(partial)
}

fn empty_or_missing<T>(missing: Option<Range<usize>>) -> Prop<T> {
    match missing {
        Some(span) => Prop::Empty {
            span,
            how: "absent",
        },
        None => Prop::NotCaptured,
    }
}

fn text_prop(node: &Node, paths: &[&[&str]]) -> Prop<String> {
    let value = match lookup(node, paths) {
        Ok(value) => value,
        Err(missing) => return empty_or_missing(missing),
    };
    // Windows PowerShell wraps some dates as {"value": "/Date(...)/", "DateTime": "..."}.
    let value = value
        .member_ignore_case("value")
        .map_or(value, |m| &m.value);
    match &value.value {
        Value::Null => Prop::Empty {
            span: value.span.clone(),
            how: "null",
        },
        Value::String(s) if s.trim().is_empty() => Prop::Empty {
            span: value.span.clone(),
            how: "empty",
        },
        Value::String(s) => Prop::Value {
            value: s.clone(),
            span: value.inner_span(),
        },
        _ => Prop::Value {
            value: String::new(),
            span: value.span.clone(),
        },
    }
}

/// Every blob has a Last-Modified and the az CLI always prints it, so a record
/// without the member comes from a dump that left it out (a projection, `--query`):
/// not captured. A `null` or empty value is shown and unusable.
fn last_modified(node: &Node) -> Prop<String> {
    match text_prop(node, LAST_MODIFIED_PATHS) {
        Prop::Empty { how: "absent", .. } => Prop::NotCaptured,
        prop => prop,
    }
}

fn md5(node: &Node) -> Prop<Md5Text> {
    let value = match lookup(node, MD5_PATHS) {
        Ok(value) => value,
        Err(missing) => return empty_or_missing(missing),
    };
    let span = value.span.clone();
    match &value.value {
        Value::Null => Prop::Empty { span, how: "null" },
        Value::String(s) if s.trim().is_empty() => Prop::Empty { span, how: "empty" },
        Value::String(s) => Prop::Value {
            value: Md5Text::Text(s.clone()),
            span: value.inner_span(),
        },
        Value::Array(items) => Prop::Value {
            value: byte_array(items),
            span,
        },
        Value::Number(_) => Prop::Value {
            value: Md5Text::NotText("a number"),
            span,
        },
        Value::Object(_) => Prop::Value {
            value: Md5Text::NotText("an object"),
            span,
        },
        Value::Bool(_) => Prop::Value {
            value: Md5Text::NotText("true or false"),
            span,
        },
    }
}

fn byte_array(items: &[Node]) -> Md5Text {
    let bytes: Option<Vec<u8>> = items
        .iter()
        .map(|n| n.as_u64().and_then(|v| u8::try_from(v).ok()))
        .collect();
    bytes.map_or(Md5Text::BadArray, Md5Text::ByteArray)
}

fn metadata(node: &Node, listed: bool) -> Metadata {
    let Some(member) = node.member_ignore_case("metadata") else {
        return Metadata {
            entries: Vec::new(),
            span: node.span.clone(),
            source: MetaSource::NotCaptured,
        };
    };
    let entries: Vec<MetaEntry> = member
        .value
        .members()
        .iter()
        .map(|m| MetaEntry {
            key: m.key.clone(),
            key_span: m.key_span.start + 1
                ..m.key_span.end.saturating_sub(1).max(m.key_span.start + 1),
            value: m.value.as_str().unwrap_or_default().to_string(),
            value_span: m.value.inner_span(),
        })
        .collect();
    let source = if listed {
        MetaSource::Listed {
            evidence: !entries.is_empty(),
        }
    } else {
        MetaSource::Complete
    };
    Metadata {
        entries,
        span: member.value.span.clone(),
        source,
    }
}
