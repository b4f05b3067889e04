//! `azcopy list` output with properties: the rules of `grammar/blob-azcopy.abnf`.
//!
//! One [`Blob`] per line that carries a `Content Length`. AzCopy cannot list metadata,
//! so every blob's metadata is [`MetaSource::NotCaptured`]; ContentMD5 and
//! Last-Modified are captured only when the listing asked for them with
//! `--properties`. Values are not interpreted here.

use nom::bytes::complete::{tag, take_till, take_while1};
use nom::combinator::opt;
use nom::multi::many0;
use nom::sequence::preceded;
use nom::{IResult, Offset, Parser};

use super::model::{Blob, Dump, Md5Text, MetaSource, Metadata, Problem, Prop};

const SIZE_MARK: &str = ";  Content Length: ";
const PROPERTY_NAMES: [&str; 11] = [
    "LastModifiedTime",
    "VersionId",
    "BlobType",
    "BlobAccessTier",
    "ContentType",
    "ContentEncoding",
    "ContentMD5",
    "LeaseState",
    "LeaseDuration",
    "LeaseStatus",
    "ArchiveStatus",
];

/// One `property`, with where its value starts in the line.
struct Property<'a> {
    name: &'a str,
    value: &'a str,
}

/// Reads every blob line of an AzCopy listing.
///
/// `azcopy-listing = *( ( azcopy-line / other-line ) line-end ) [ azcopy-line / other-line ]`
pub fn azcopy_listing(text: &str) -> Dump {
    let mut dump = Dump::default();
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        if !line.contains(SIZE_MARK) {
            continue;
        }
        match azcopy_line(line) {
            Ok((_, (path, properties))) => dump.blobs.push(blob(line, start, path, &properties)),
            Err(_) => dump.problems.push(Problem {
                span: start..start + line.len(),
                message: String::from("this line is not an azcopy list line"),
            }),
        }
    }
    dump
}

fn blob(line: &str, start: usize, path: &str, properties: &[Property<'_>]) -> Blob {
    let at = |s: &str| start + line.offset(s)..start + line.offset(s) + s.len();
    let find = |name: &str| {
        properties
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
    };
    let prop = |p: Option<&Property<'_>>| match p {
        None => Prop::NotCaptured,
        Some(p) if p.value.trim().is_empty() => {
            let end = at(p.name).end + 1;
            Prop::Empty {
                span: at(p.name).start..end,
                how: "empty",
            }
        }
        Some(p) => Prop::Value {
            value: p.value.to_string(),
            span: at(p.value),
        },
    };
    let content_md5 = match prop(find("ContentMD5")) {
        Prop::Value { value, span } => Prop::Value {
            value: Md5Text::Text(value),
            span,
        },
        Prop::Empty { span, how } => Prop::Empty { span, how },
        Prop::NotCaptured => Prop::NotCaptured,
    };
    let record = start..start + line.len();
    Blob {
        name: path.to_string(),
        name_span: at(path),
        record_span: record.clone(),
        content_md5,
        last_modified: prop(find("LastModifiedTime")),
        metadata: Metadata {
            entries: Vec::new(),
            span: at(path),
            source: MetaSource::NotCaptured,
        },
    }
}

/// `azcopy-line = [ "INFO: " ] blob-path *( "; " property ) ";  Content Length: " size`
fn azcopy_line(line: &str) -> IResult<&str, (&str, Vec<Property<'_>>)> {
    let (rest, _) = opt(tag("INFO: ")).parse(line)?;
    let (rest, path) = blob_path(rest)?;
    let (rest, properties) = many0(preceded(tag("; "), property)).parse(rest)?;
    let (rest, _) = (tag(SIZE_MARK), size).parse(rest)?;
    Ok((rest, (path, properties)))
}

/// `blob-path = 1*path-char`, up to the first "; " that starts a property or the size.
fn blob_path(input: &str) -> IResult<&str, &str> {
    let mut end = None;
    for (i, _) in input.match_indices(';') {
        let after = &input[i..];
        let starts_property = after.strip_prefix("; ").is_some_and(|rest| {
            PROPERTY_NAMES
                .iter()
                .any(|n| rest.strip_prefix(n).is_some_and(|r| r.starts_with(':')))
        });
        if starts_property || after.starts_with(SIZE_MARK) {
            end = Some(i);
            break;
        }
    }
    match end {
        Some(i) if i > 0 => Ok((&input[i..], &input[..i])),
        _ => Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::TakeUntil,
        ))),
    }
}

/// `property = property-name ": " property-value`
fn property(input: &str) -> IResult<&str, Property<'_>> {
    let (rest, (name, _, value)) =
        (property_name, tag(":"), take_till(|c| c == ';')).parse(input)?;
    let value = value.strip_prefix(' ').unwrap_or(value);
    Ok((rest, Property { name, value }))
}

/// `property-name = "LastModifiedTime" / "VersionId" / ...`
fn property_name(input: &str) -> IResult<&str, &str> {
    let (rest, name) = take_while1(|c: char| c.is_ascii_alphanumeric()).parse(input)?;
    if PROPERTY_NAMES.contains(&name) {
        Ok((rest, name))
    } else {
        Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Tag,
        )))
    }
}

/// `size = 1*DIGIT / 1*DIGIT "." 1*DIGIT SP unit`; sizes are not judged, only read past.
fn size(input: &str) -> IResult<&str, &str> {
    take_while1(|c: char| c.is_ascii_alphanumeric() || c == '.' || c == ' ').parse(input)
}

#[cfg(test)]
mod tests {
    use super::azcopy_listing;
    use crate::blob::model::{MetaSource, Prop};

    #[test]
    fn reads_properties_and_a_path_with_semicolons() {
        let text = "INFO: a; b.tar; ContentMD5: ; LastModifiedTime: 2026-03-02 08:17:09 +0000 GMT;  Content Length: 12\n\
                    INFO: c.tar;  Content Length: 1.00 KiB\nINFO: File count: 2\n";
        let dump = azcopy_listing(text);
        assert!(dump.problems.is_empty());
        assert_eq!(dump.blobs.len(), 2);
        let first = &dump.blobs[0];
        assert_eq!(first.name, "a; b.tar");
        assert!(matches!(first.content_md5, Prop::Empty { .. }));
        let Prop::Value { value, span } = &first.last_modified else {
            panic!()
        };
        assert_eq!(&text[span.clone()], value);
        assert_eq!(first.metadata.source, MetaSource::NotCaptured);
        assert_eq!(dump.blobs[1].content_md5, Prop::NotCaptured);
    }
}
