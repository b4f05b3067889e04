//! REST Get Blob Properties response headers (`curl -I`, `curl -D -`): the rules of
//! `grammar/blob-headers.abnf`.
//!
//! Reads the status line and the header lines into one [`Blob`]; a line that is not a
//! header is a [`Problem`] and reading goes on. Header values are not interpreted here.

use std::ops::Range;

use nom::bytes::complete::{tag, take_while, take_while1};
use nom::character::complete::{char, digit1, space0};
use nom::combinator::recognize;
use nom::sequence::preceded;
use nom::{IResult, Offset, Parser};

use super::model::{Blob, Dump, Md5Text, MetaEntry, MetaSource, Metadata, Problem, Prop};

const META_PREFIX: &str = "x-ms-meta-";

/// Headers a Get Blob Properties response carries and a `key: value` file (YAML, a
/// properties file) does not: one of them must show for a text without a status line to
/// be taken for a header dump. `x-ms-` names count by their prefix.
const BLOB_HEADERS: &[&str] = &["Last-Modified", "Content-MD5", "ETag"];

/// How many lines [`looks_like_header_dump`] reads for a blob header.
const DETECT_LINES: usize = 64;

/// One header line, cut up; spans are relative to the line.
struct HeaderLine<'a> {
    name: &'a str,
    value: &'a str,
    name_at: usize,
    value_at: usize,
}

/// Reads a header dump (`header-dump`) into one blob named `name` (headers do not
/// carry the blob's name).
pub fn header_dump(text: &str, name: &str) -> Dump {
    let mut dump = Dump::default();
    let mut blob = empty_blob(name, text);
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        if line.is_empty() {
            if blob_started(&blob) {
                break;
            }
            continue;
        }
        if status_line(line).is_ok() {
            // A new response (after a redirect or 100 Continue): only the last counts.
            blob = empty_blob(name, text);
            blob.record_span = start..start + line.len();
            continue;
        }
        match header_line(line) {
            Ok((_, header)) => take_header(&mut blob, &header, start),
            Err(_) => dump.problems.push(Problem {
                span: start..start + line.len(),
                message: String::from("this line is neither a status line nor a header"),
            }),
        }
    }
    finish(&mut blob);
    dump.blobs.push(blob);
    dump
}

/// True when `text` reads as a header dump: it starts with a status line, or its first
/// line is a `header-line` and a header of [`BLOB_HEADERS`] (or an `x-ms-` header)
/// shows in the first lines of the block. Plain `key: value` text is not a dump.
pub fn looks_like_header_dump(text: &str) -> bool {
    let mut lines = text
        .lines()
        .map(|line| line.trim_end_matches('\r'))
        .take_while(|line| !line.is_empty())
        .take(DETECT_LINES);
    let Some(first) = lines.next() else {
        return false;
    };
    if status_line(first).is_ok() {
        return true;
    }
    let Ok((_, first_header)) = header_line(first) else {
        return false;
    };
    std::iter::once(first_header)
        .chain(lines.filter_map(|line| header_line(line).ok().map(|(_, h)| h)))
        .any(|header| is_blob_header(header.name))
}

fn is_blob_header(name: &str) -> bool {
    BLOB_HEADERS.iter().any(|h| name.eq_ignore_ascii_case(h))
        || name
            .get(..5)
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case("x-ms-"))
}

fn empty_blob(name: &str, text: &str) -> Blob {
    let first_line = 0..text.find(['\r', '\n']).unwrap_or(text.len());
    Blob {
        name: name.to_string(),
        name_span: first_line.clone(),
        record_span: first_line.clone(),
        content_md5: Prop::NotCaptured,
        last_modified: Prop::NotCaptured,
        metadata: Metadata {
            entries: Vec::new(),
            span: first_line,
            source: MetaSource::Complete,
        },
    }
}

fn blob_started(blob: &Blob) -> bool {
    blob.content_md5 != Prop::NotCaptured
        || blob.last_modified != Prop::NotCaptured
        || !blob.metadata.entries.is_empty()
}

/// A response without Content-MD5 tells that the blob has none: Get Blob Properties
/// sends it whenever the blob has one. Last-Modified stays not captured when absent:
/// every blob has one and the response always sends it, so a dump without it was cut
/// short, which says nothing about the blob.
fn finish(blob: &mut Blob) {
    if blob.content_md5 == Prop::NotCaptured {
        blob.content_md5 = Prop::Empty {
            span: blob.record_span.clone(),
            how: "absent",
        };
    }
}

fn take_header(blob: &mut Blob, header: &HeaderLine<'_>, line_start: usize) {
    let value_span =
        line_start + header.value_at..line_start + header.value_at + header.value.len();
    let name_span = line_start + header.name_at..line_start + header.name_at + header.name.len();
    let prop = |value: String, span: Range<usize>| {
        if value.trim().is_empty() {
            Prop::Empty { span, how: "empty" }
        } else {
            Prop::Value { value, span }
        }
    };
    if header.name.eq_ignore_ascii_case("Content-MD5") {
        blob.content_md5 = match prop(header.value.to_string(), value_span) {
            Prop::Value { value, span } => Prop::Value {
                value: Md5Text::Text(value),
                span,
            },
            Prop::Empty { span, how } => Prop::Empty { span, how },
            Prop::NotCaptured => Prop::NotCaptured,
        };
    } else if header.name.eq_ignore_ascii_case("Last-Modified") {
        blob.last_modified = prop(header.value.to_string(), value_span);
    } else if let Some(key) = meta_name(header.name) {
        blob.metadata.entries.push(MetaEntry {
            key: key.to_string(),
            key_span: name_span.end - key.len()..name_span.end,
            value: header.value.to_string(),
            value_span,
        });
    }
}

fn meta_name(name: &str) -> Option<&str> {
    let prefix = name.get(..META_PREFIX.len())?;
    prefix
        .eq_ignore_ascii_case(META_PREFIX)
        .then(|| &name[META_PREFIX.len()..])
        .filter(|k| !k.is_empty())
}

/// `status-line = http-version SP 3DIGIT [ SP reason ] line-end`
fn status_line(line: &str) -> IResult<&str, &str> {
    recognize((http_version, char(' '), digit1, take_while(|_| true))).parse(line)
}

/// `http-version = "HTTP/" 1*( DIGIT / "." )`
fn http_version(input: &str) -> IResult<&str, &str> {
    recognize(preceded(
        tag("HTTP/"),
        take_while1(|c: char| c.is_ascii_digit() || c == '.'),
    ))
    .parse(input)
}

/// `header-line = field-name ":" OWS field-value OWS line-end`
fn header_line(line: &str) -> IResult<&str, HeaderLine<'_>> {
    let (rest, (name, _, _)) = (field_name, char(':'), space0).parse(line)?;
    let value = rest.trim_end_matches([' ', '\t']);
    Ok((
        "",
        HeaderLine {
            name,
            value,
            name_at: line.offset(name),
            value_at: line.offset(rest),
        },
    ))
}

/// `field-name = 1*tchar`
fn field_name(input: &str) -> IResult<&str, &str> {
    take_while1(|c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)).parse(input)
}

#[cfg(test)]
mod tests {
    use super::header_dump;
    use crate::blob::model::{Md5Text, Prop};

    #[test]
    fn reads_crlf_and_lf_with_and_without_status_line() {
        for text in [
            "HTTP/1.1 200 OK\r\nContent-MD5: \
                eNzX/GPiwue8r14gyLDNgQ==\r\nx-ms-meta-Category: x\r\n\r\n",
            "content-md5: eNzX/GPiwue8r14gyLDNgQ==\nX-Ms-Meta-Category: x\n",
        ] {
            let dump = header_dump(text, "blob");
            assert!(dump.problems.is_empty());
            let blob = &dump.blobs[0];
            let Prop::Value {
                value: Md5Text::Text(md5),
                span,
            } = &blob.content_md5
            else {
                panic!("{:?}", blob.content_md5);
            };
            assert_eq!(md5, "eNzX/GPiwue8r14gyLDNgQ==");
            assert_eq!(&text[span.clone()], md5);
            let entry = &blob.metadata.entries[0];
            assert_eq!(entry.key, "Category");
            assert_eq!(&text[entry.key_span.clone()], "Category");
            assert_eq!(&text[entry.value_span.clone()], "x");
        }
    }

    #[test]
    fn a_stray_line_is_a_problem_and_reading_goes_on() {
        let dump = header_dump("HTTP/1.1 200 OK\nnot a header\nLast-Modified: x\n", "b");
        assert_eq!(dump.problems.len(), 1);
        assert!(matches!(dump.blobs[0].last_modified, Prop::Value { .. }));
    }
}
