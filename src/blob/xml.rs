//! REST List Blobs response bodies (`EnumerationResults`), with or without
//! `include=metadata`.
//!
//! quick-xml reads the events; it never expands entities: a `&name;` other than the five
//! predefined ones and character references stays as written, and a DOCTYPE (with
//! its entity declarations, internal or external) is skipped unread, so no file or URL
//! named in it is ever opened. Values are not interpreted here.

use std::io::{BufRead, Read};
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

/// Where the reader is in the document, and the blobs being read.
#[derive(Default)]
struct Walk {
    dump: Dump,
    path: Vec<String>,
    blob: Option<Partial>,
    leaf: Leaf,
    leaf_start: usize,
    meta_key: Option<(String, Range<usize>)>,
}

/// What the walk hands over.
#[derive(Debug)]
pub enum Found {
    /// A blob, its spans into the whole stream; `record_span` is its `<Blob>` element.
    Blob(Box<Blob>),
    /// Something that is not well-formed XML; reading stops there.
    Problem(Problem),
}

/// Reads a List Blobs body held whole into blobs (spans into `text`).
pub fn list_blobs(text: &str) -> Dump {
    let mut dump = Dump::default();
    walk(text.as_bytes(), &mut |found, _| match found {
        Found::Blob(blob) => dump.blobs.push(*blob),
        Found::Problem(problem) => dump.problems.push(problem),
    });
    for problem in &mut dump.problems {
        problem.span = super::model::char_at(text, problem.span.start);
    }
    dump
}

/// Reads List Blobs XML from a stream, handing each blob over as soon as its `</Blob>`
/// is read, with the [`Tape`] that still holds its text; the tape forgets everything
/// before the blob being read, so memory is bounded by the largest blob element.
pub fn walk<R: BufRead>(reader: R, found: &mut dyn FnMut(Found, &Tape<R>)) {
    let mut reader = Reader::from_reader(Tape::new(reader));
    let mut walk = Walk::default();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let before = position(&reader);
        let event = match reader.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(e) => {
                let at = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
                let at = at.min(reader.get_ref().end());
                let problem = Problem {
                    span: at..at,
                    message: format!("the XML is broken here: {e}"),
                };
                found(Found::Problem(problem), reader.get_ref());
                return;
            }
        };
        let at = before..position(&reader);
        if walk.event(event, at) {
            if let Some(open) = walk.path.last() {
                // The reader ends quietly at the end of the input, however many
                // elements are open: a listing cut short must not pass for a short one.
                let end = reader.get_ref().end();
                let problem = Problem {
                    span: end..end,
                    message: format!("the XML ends inside `<{open}>`: the listing was cut short"),
                };
                found(Found::Problem(problem), reader.get_ref());
            }
            return;
        }
        for blob in walk.dump.blobs.drain(..) {
            let end = blob.record_span.end;
            found(Found::Blob(Box::new(blob)), reader.get_ref());
            reader
                .get_mut()
                .forget_before(end.saturating_sub(LOOK_BACK));
        }
        if walk.blob.is_none() {
            let here = position(&reader);
            reader
                .get_mut()
                .forget_before(here.saturating_sub(LOOK_BACK));
        }
    }
}

impl Walk {
    /// Takes one event; true at the end of the document.
    fn event(&mut self, event: Event<'_>, at: Range<usize>) -> bool {
        match event {
            Event::Start(e) => self.start(&local_name(&e), e.name().as_ref().len(), at),
            Event::Empty(e) => self.empty(&local_name(&e), at),
            Event::Text(t) => self.leaf.push(&t.decode().unwrap_or_default(), at),
            // `<![CDATA[` and `]]>` are not part of the value.
            Event::CData(t) => {
                let inner = at.start + 9..at.end.saturating_sub(3);
                self.leaf.push(&t.decode().unwrap_or_default(), inner);
            }
            Event::GeneralRef(r) => {
                let name = r.decode().unwrap_or_default().into_owned();
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    // Only the five predefined entities are resolved; any other stays as
                    // written, so a declared entity is never expanded.
                    _ => resolve_predefined_entity(&name)
                        .map_or_else(|| format!("&{name};"), str::to_string),
                };
                self.leaf.push(&resolved, at);
            }
            Event::End(_) => self.end(at),
            Event::Eof => return true,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
        false
    }
}

/// Bytes kept before a `<Blob>`, so its window can start at the start of its line.
pub const LOOK_BACK: usize = 256;

/// A reader that keeps the bytes read since a point, so the text of one `<Blob>` can be
/// cut out after the XML reader has gone past it.
#[derive(Debug)]
pub struct Tape<R> {
    inner: R,
    kept: Vec<u8>,
    /// Offset in the whole stream of `kept[0]`.
    kept_at: usize,
    /// 1-based line of `kept[0]`.
    kept_line: usize,
}

impl<R> Tape<R> {
    fn new(inner: R) -> Self {
        Tape {
            inner,
            kept: Vec::new(),
            kept_at: 0,
            kept_line: 1,
        }
    }

    /// Offset in the whole stream just past the bytes read so far.
    pub fn end(&self) -> usize {
        self.kept_at + self.kept.len()
    }

    /// Drops what comes before offset `at` of the whole stream.
    fn forget_before(&mut self, at: usize) {
        let n = at.saturating_sub(self.kept_at).min(self.kept.len());
        self.kept_line += memchr::memchr_iter(b'\n', &self.kept[..n]).count();
        self.kept.drain(..n);
        self.kept_at += n;
    }

    /// The kept bytes of `range` (offsets in the whole stream, clamped to what is
    /// kept), widened back to the start of its first line when that is still kept, with
    /// the offset and 1-based line where they start.
    pub fn cut(&self, range: Range<usize>) -> (&[u8], usize, usize) {
        let start = range
            .start
            .saturating_sub(self.kept_at)
            .min(self.kept.len());
        let start = match memchr::memrchr(b'\n', &self.kept[..start]) {
            Some(newline) => newline + 1,
            None if self.kept_at == 0 => 0,
            None => start,
        };
        let end = range
            .end
            .saturating_sub(self.kept_at)
            .clamp(start, self.kept.len());
        let line = self.kept_line + memchr::memchr_iter(b'\n', &self.kept[..start]).count();
        (&self.kept[start..end], self.kept_at + start, line)
    }

    /// Everything kept, with its offset and line.
    pub fn all(&self) -> (&[u8], usize, usize) {
        (&self.kept, self.kept_at, self.kept_line)
    }
}

impl<R: BufRead> Read for Tape<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Tape<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        // The buffer is still filled, so this does no reading: it names the bytes
        // being consumed.
        if let Ok(buffer) = self.inner.fill_buf() {
            let n = amt.min(buffer.len());
            self.kept.extend_from_slice(&buffer[..n]);
        }
        self.inner.consume(amt);
    }
}

fn local_name(e: &quick_xml::events::BytesStart<'_>) -> String {
    String::from_utf8_lossy(e.local_name().as_ref()).into_owned()
}

impl Walk {
    /// An opening tag; `written` is the length of the tag name as written (with prefix).
    fn start(&mut self, name: &str, written: usize, at: Range<usize>) {
        if name == "Blob" && parent_is(&self.path, "Blobs") {
            self.blob = Some(Partial {
                start: at.start,
                ..Partial::default()
            });
        } else if parent_is(&self.path, "Metadata") && in_blob(&self.path, 1) {
            self.meta_key = Some((name.to_string(), at.start + 1..at.start + 1 + written));
        } else if let Some(b) = self.blob.as_mut().filter(|_| parent_is(&self.path, "Blob")) {
            match name {
                "Metadata" => b.metadata = Some((Vec::new(), at.clone())),
                "Properties" => b.properties = Some(at.clone()),
                _ => {}
            }
        }
        self.path.push(name.to_string());
        self.leaf = Leaf::default();
        self.leaf_start = at.end;
    }

    /// An empty element, `<Content-MD5 />`: a leaf with no text.
    fn empty(&mut self, name: &str, at: Range<usize>) {
        if let Some(b) = self.blob.as_mut() {
            self.path.push(name.to_string());
            take_leaf(b, &self.path, Leaf::default(), at, &mut self.meta_key);
            self.path.pop();
        }
    }

    /// A closing tag: files the leaf's text, and the blob when it is `</Blob>`.
    fn end(&mut self, at: Range<usize>) {
        let empty_at = self.leaf_start..at.start;
        let done = std::mem::take(&mut self.leaf);
        if let Some(b) = self.blob.as_mut() {
            take_leaf(b, &self.path, done, empty_at, &mut self.meta_key);
        }
        if in_blob(&self.path, 0) {
            if let Some(b) = self.blob.take() {
                self.dump.blobs.push(finish(b, at.end));
            }
        }
        self.path.pop();
    }
}

fn position<R>(reader: &Reader<R>) -> usize {
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
    // An absent Content-MD5 means the blob has none (List Blobs leaves out an unset
    // one); point at the Properties element. Last-Modified is in every listed blob's
    // Properties, so an absent one was cut from the dump: not captured.
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
            span: absent_at,
            how: "absent",
        }),
        last_modified: b.last_modified.unwrap_or(Prop::NotCaptured),
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
