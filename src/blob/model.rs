//! The typed record every dump format is read into: one [`Blob`] per blob, each
//! property with the byte span of its value in the dump text.
//!
//! Values are kept as written (text); the rules interpret them through
//! [`super::values`]. Nothing here judges a value.

use std::ops::Range;

/// A property as the dump shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prop<T> {
    /// The dump format (or this dump) does not carry the property at all.
    NotCaptured,
    /// The dump carries the property but it is absent, `null` or empty for this blob;
    /// the span points at the null or empty value, or at the blob's record.
    Empty {
        /// Where to point.
        span: Range<usize>,
        /// How the dump shows the absence: `null`, `empty`, `absent`.
        how: &'static str,
    },
    /// A value, with the span of its text.
    Value {
        /// The value.
        value: T,
        /// Where it is.
        span: Range<usize>,
    },
}

/// ContentMD5 as written in a dump.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Md5Text {
    /// Text (base64 on the wire; sometimes hex or a Python bytes repr in dumps).
    Text(String),
    /// A JSON array of integers, as some serializers write byte arrays.
    ByteArray(Vec<u8>),
    /// A JSON array that is not a list of bytes (numbers outside 0..=255, other values).
    BadArray,
    /// A JSON value that is neither text nor an array: what it is (`a number`, `an
    /// object`, `true or false`).
    NotText(&'static str),
}

/// One metadata pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaEntry {
    /// The name as stored (case kept).
    pub key: String,
    /// Span of the name.
    pub key_span: Range<usize>,
    /// The value.
    pub value: String,
    /// Span of the value.
    pub value_span: Range<usize>,
}

/// What a dump says about metadata, and how far that can be trusted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetaSource {
    /// The format always carries all metadata (`az storage blob show`, Get Blob
    /// Properties headers): no pairs means the blob has none.
    Complete,
    /// A listing that carries metadata only when it was asked for; `evidence` is true
    /// when this record proves the listing was made with metadata.
    Listed {
        /// The record shows metadata was requested.
        evidence: bool,
    },
    /// The format cannot carry metadata (AzCopy), or the record has no metadata key.
    NotCaptured,
}

/// Metadata of one blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    /// The pairs, in dump order.
    pub entries: Vec<MetaEntry>,
    /// Span of the whole metadata value (object, element), or of the blob's record.
    pub span: Range<usize>,
    /// How complete the pairs are.
    pub source: MetaSource,
}

/// The properties of one blob that the source trigger looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blob {
    /// The blob's name (empty when the record has none).
    pub name: String,
    /// Span of the name, or of the record when there is none.
    pub name_span: Range<usize>,
    /// Span of the whole record.
    pub record_span: Range<usize>,
    /// ContentMD5.
    pub content_md5: Prop<Md5Text>,
    /// Last-Modified, as written.
    pub last_modified: Prop<String>,
    /// Metadata.
    pub metadata: Metadata,
}

impl Blob {
    /// Moves every span back by `origin`, for spans read as offsets in a whole stream
    /// that must point into a window starting there.
    pub fn rebase(&mut self, origin: usize) {
        let shift = |span: &mut Range<usize>| {
            *span = span.start.saturating_sub(origin)..span.end.saturating_sub(origin);
        };
        shift(&mut self.name_span);
        shift(&mut self.record_span);
        if let Prop::Empty { span, .. } | Prop::Value { span, .. } = &mut self.content_md5 {
            shift(span);
        }
        if let Prop::Empty { span, .. } | Prop::Value { span, .. } = &mut self.last_modified {
            shift(span);
        }
        shift(&mut self.metadata.span);
        for entry in &mut self.metadata.entries {
            shift(&mut entry.key_span);
            shift(&mut entry.value_span);
        }
    }
}

/// Text of bytes with the same length: bytes that are not UTF-8 become `?`, so offsets
/// read from the bytes still point at the same places.
pub fn same_length_text(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        text.extend(std::iter::repeat_n('?', chunk.invalid().len()));
    }
    text
}

/// Something a reader could not make sense of, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where.
    pub span: Range<usize>,
    /// What, lower case.
    pub message: String,
}

/// What a reader of a whole-text format found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dump {
    /// The blobs, in dump order.
    pub blobs: Vec<Blob>,
    /// What could not be read.
    pub problems: Vec<Problem>,
}

/// The span of the character at (or containing) byte `at` of `text`; empty at the end.
pub fn char_at(text: &str, at: usize) -> Range<usize> {
    let mut start = at.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let end = text[start..]
        .chars()
        .next()
        .map_or(start, |c| start + c.len_utf8());
    start..end
}
