//! REST List Blobs response bodies (`EnumerationResults`), with or without
//! `include=metadata`.
//!
//! quick-xml reads the events; it never expands entities: a `&name;` other than the five
//! predefined ones and character references stays as written, and a DOCTYPE (with
//! its entity declarations, internal or external) is skipped unread, so no file or URL
//! named in it is ever opened. Values are not interpreted here.

use std::ops::Range;

use quick_xml::Reader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;

use super::model::{Blob, Dump, Md5Text, MetaEntry, MetaSource, Metadata, Problem, Prop};

/// Text of the leaf element being read, with its span.
#[derive(Default)]
struct Leaf {
    text: String,
    span: Option<Range<usize>>,
}

impl Leaf {
    fn push(&mut self, text: &str, span: Range<usize>) {
        self.text.push_str(text);
        self.span = Some(match self.span.take() {
            Some(s) => s.start..span.end,
            None => span,
        });
    }
}

/// One `<Blob>` being read.
#[derive(Default)]
struct Partial {
    start: usize,
    name: Option<(String, Range<usize>)>,
    md5: Option<Prop<Md5Text>>,
    last_modified: Option<Prop<String>>,
    metadata: Option<(Vec<MetaEntry>, Range<usize>)>,
    properties: Option<Range<usize>>,
}

/// Reads a List Blobs body into blobs.
pub fn list_blobs(text: &str) -> Dump {
    let mut reader = Reader::from_str(text);
    let mut dump = Dump::default();
    let mut path: Vec<String> = Vec::new();
    let mut blob: Option<Partial> = None;
    let mut leaf = Leaf::default();
    let mut leaf_start = 0;
    let mut meta_key: Option<(String, Range<usize>)> = None;
    loop {
        let before = position(&reader);
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => {
                let at = usize::try_from(reader.error_position()).unwrap_or(text.len());
                dump.problems.push(Problem {
                    span: super::model::char_at(text, at),
                    message: format!("the XML is broken here: {e}"),
                });
                break;
            }
        };
        let after = position(&reader);
        match event {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if name == "Blob" && parent_is(&path, "Blobs") {
                    blob = Some(Partial {
                        start: before,
                        ..Partial::default()
                    });
                } else if parent_is(&path, "Metadata") && in_blob(&path, 1) {
                    // The span covers the whole tag name, prefix included.
                    let written = e.name().as_ref().len();
                    meta_key = Some((name.clone(), before + 1..before + 1 + written));
                } else if name == "Metadata" && parent_is(&path, "Blob") {
                    if let Some(b) = blob.as_mut() {
                        b.metadata = Some((Vec::new(), before..after));
                    }
                } else if name == "Properties" && parent_is(&path, "Blob") {
                    if let Some(b) = blob.as_mut() {
                        b.properties = Some(before..after);
                    }
                }
                path.push(name);
                leaf = Leaf::default();
                leaf_start = after;
            }
            Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if let Some(b) = blob.as_mut() {
                    path.push(name);
                    take_leaf(
                        b,
                        &path,
                        Leaf {
                            text: String::new(),
                            span: None,
                        },
                        before..after,
                        &mut meta_key,
                    );
                    path.pop();
                }
            }
            Event::Text(t) => leaf.push(&t.decode().unwrap_or_default(), before..after),
            Event::CData(t) => leaf.push(
                &t.decode().unwrap_or_default(),
                before + 9..after.saturating_sub(3),
            ),
            Event::GeneralRef(r) => {
                let name = r.decode().unwrap_or_default().into_owned();
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => resolve_predefined_entity(&name)
                        .map_or_else(|| format!("&{name};"), str::to_string),
                };
                leaf.push(&resolved, before..after);
            }
            Event::End(_) => {
                let empty_at = leaf_start..before;
                let done = std::mem::take(&mut leaf);
                if let Some(b) = blob.as_mut() {
                    take_leaf(b, &path, done, empty_at, &mut meta_key);
                }
                if path.last().is_some_and(|n| n == "Blob")
                    && path.len() >= 2
                    && parent_is(&path[..path.len() - 1], "Blobs")
                {
                    if let Some(b) = blob.take() {
                        dump.blobs.push(finish(b, after));
                    }
                }
                path.pop();
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    dump
}

fn position(reader: &Reader<&[u8]>) -> usize {
    usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX)
}

fn parent_is(path: &[String], name: &str) -> bool {
    path.last().is_some_and(|n| n == name)
}

/// True when `path` (less its last `up` elements) ends in `Blobs/Blob`.
fn in_blob(path: &[String], up: usize) -> bool {
    let end = path.len().saturating_sub(up);
    end >= 2 && path[end - 1] == "Blob" && path[end - 2] == "Blobs"
}

/// Files the text of a just-closed element under the blob, by where it sits.
fn take_leaf(
    b: &mut Partial,
    path: &[String],
    leaf: Leaf,
    empty_at: Range<usize>,
    meta_key: &mut Option<(String, Range<usize>)>,
) {
    let n = path.len();
    if n < 2 {
        return;
    }
    let (parent, name) = (path[n - 2].as_str(), path[n - 1].as_str());
    let span = leaf.span.clone().unwrap_or(empty_at.clone());
    let text_prop = || {
        if leaf.text.trim().is_empty() {
            Prop::Empty {
                span: empty_at.clone(),
                how: "empty",
            }
        } else {
            Prop::Value {
                value: leaf.text.clone(),
                span: span.clone(),
            }
        }
    };
    match (parent, name) {
        ("Blob", "Name") if in_blob(path, 1) => b.name = Some((leaf.text.clone(), span.clone())),
        ("Blob", "Metadata") if in_blob(path, 1) && b.metadata.is_none() => {
            b.metadata = Some((Vec::new(), empty_at.clone()));
        }
        ("Properties", "Last-Modified") if in_blob(path, 2) => b.last_modified = Some(text_prop()),
        ("Properties", "Content-MD5") if in_blob(path, 2) => {
            b.md5 = Some(match text_prop() {
                Prop::Value { value, span } => Prop::Value {
                    value: Md5Text::Text(value),
                    span,
                },
                Prop::Empty { span, how } => Prop::Empty { span, how },
                Prop::NotCaptured => Prop::NotCaptured,
            });
        }
        ("Metadata", key) if in_blob(path, 2) => {
            let key_span = meta_key.take().map_or(empty_at.clone(), |(_, s)| s);
            if let Some((entries, _)) = b.metadata.as_mut() {
                entries.push(MetaEntry {
                    key: key.to_string(),
                    key_span,
                    value: leaf.text.clone(),
                    value_span: span,
                });
            }
        }
        _ => {}
    }
}

fn finish(b: Partial, end: usize) -> Blob {
    let record = b.start..end;
    let (name, name_span) = b.name.unwrap_or((String::new(), record.clone()));
    // Absent from Properties means the blob has none (List Blobs leaves out an unset
    // Content-MD5); point at the Properties element.
    let absent_at = b.properties.clone().unwrap_or(name_span.clone());
    let metadata = match b.metadata {
        Some((entries, span)) => Metadata {
            entries,
            span,
            source: MetaSource::Listed { evidence: true },
        },
        None => Metadata {
            entries: Vec::new(),
            span: name_span.clone(),
            source: MetaSource::Listed { evidence: false },
        },
    };
    Blob {
        name,
        name_span,
        record_span: record,
        content_md5: b.md5.unwrap_or(Prop::Empty {
            span: absent_at.clone(),
            how: "absent",
        }),
        last_modified: b.last_modified.unwrap_or(Prop::Empty {
            span: absent_at,
            how: "absent",
        }),
        metadata,
    }
}

#[cfg(test)]
mod tests {
    use super::list_blobs;
    use crate::blob::model::{MetaSource, Prop};

    const ONE: &str = "<EnumerationResults><Blobs><Blob><Name>a&amp;b</Name><Properties>\
        <Last-Modified>Mon, 02 Mar 2026 08:17:09 GMT</Last-Modified><Content-MD5 /></Properties>\
        <Metadata><Category>acr-transfer-blob</Category></Metadata></Blob></Blobs></EnumerationResults>";

    #[test]
    fn reads_name_properties_and_metadata_with_spans() {
        let dump = list_blobs(ONE);
        assert!(dump.problems.is_empty());
        let blob = &dump.blobs[0];
        assert_eq!(blob.name, "a&b");
        assert_eq!(&ONE[blob.name_span.clone()], "a&amp;b");
        assert!(matches!(blob.content_md5, Prop::Empty { how: "empty", .. }));
        let Prop::Value { span, .. } = &blob.last_modified else {
            panic!()
        };
        assert_eq!(&ONE[span.clone()], "Mon, 02 Mar 2026 08:17:09 GMT");
        let entry = &blob.metadata.entries[0];
        assert_eq!(&ONE[entry.key_span.clone()], "Category");
        assert_eq!(&ONE[entry.value_span.clone()], "acr-transfer-blob");
        assert_eq!(blob.metadata.source, MetaSource::Listed { evidence: true });
    }
}
