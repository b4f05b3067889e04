//! An image manifest or index as a typed model with spans (`grammar/json.abnf` for the
//! text, the OCI image-spec and Docker schema 2 for the shape).
//!
//! Reading never judges: a missing field, a size that is not an integer, or a value of
//! the wrong JSON type is kept as such, and the rules in `rules.rs` decide what it means.

use std::ops::Range;

use crate::json::Node;

/// Docker image manifest v2 schema 2.
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
/// Docker manifest list.
pub const DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
/// Docker image manifest schema 1 (legacy).
pub const DOCKER_SCHEMA1: &str = "application/vnd.docker.distribution.manifest.v1+json";
/// Signed Docker image manifest schema 1 (legacy).
pub const DOCKER_SCHEMA1_SIGNED: &str = "application/vnd.docker.distribution.manifest.v1+prettyjws";
/// OCI image manifest.
pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
/// OCI image index.
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";

/// What kind of document a manifest is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Docker image manifest v2 schema 2.
    DockerManifest,
    /// OCI image manifest.
    OciManifest,
    /// Docker manifest list.
    DockerList,
    /// OCI image index.
    OciIndex,
    /// Docker schema 1 (legacy, no descriptors).
    DockerSchema1,
}

impl Kind {
    /// The kind name used in reports, e.g. `docker-manifest-v2`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::DockerManifest => "docker-manifest-v2",
            Kind::OciManifest => "oci-image-manifest",
            Kind::DockerList => "docker-manifest-list",
            Kind::OciIndex => "oci-image-index",
            Kind::DockerSchema1 => "docker-manifest-v1",
        }
    }

    /// True for a manifest list or an index, whose entries are manifests.
    pub fn is_index(self) -> bool {
        matches!(self, Kind::DockerList | Kind::OciIndex)
    }
}

/// A JSON member as the model keeps it: absent, of the wrong type, or a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field<T> {
    /// The member is not there.
    Missing,
    /// The member is there with a JSON type that cannot hold the value.
    WrongType {
        /// Span of the value.
        span: Range<usize>,
        /// The JSON type found, e.g. `string`.
        found: &'static str,
    },
    /// The value, with its span.
    Present {
        /// The value.
        value: T,
        /// Span of the value in the input.
        span: Range<usize>,
    },
}

impl<T> Field<T> {
    /// The value, if present.
    pub fn value(&self) -> Option<&T> {
        match self {
            Field::Present { value, .. } => Some(value),
            Field::Missing | Field::WrongType { .. } => None,
        }
    }

    /// The span, unless the member is missing.
    pub fn span(&self) -> Option<Range<usize>> {
        match self {
            Field::Present { span, .. } | Field::WrongType { span, .. } => Some(span.clone()),
            Field::Missing => None,
        }
    }
}

/// A descriptor's `size`, read from the number's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// A non-negative integer that fits int64.
    Bytes(u64),
    /// A negative integer.
    Negative,
    /// A number with a fraction or an exponent.
    NotInteger,
    /// An integer beyond int64.
    TooLarge,
}

/// One descriptor: a layer, the config, or an index entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Descriptor {
    /// JSON path of the descriptor, e.g. `layers[1]`.
    pub path: String,
    /// Span of the whole descriptor object.
    pub span: Range<usize>,
    /// `mediaType`.
    pub media_type: Field<String>,
    /// `digest`.
    pub digest: Field<String>,
    /// `size`.
    pub size: Field<Size>,
    /// `urls`, with the span of each string; non-strings are left out.
    pub urls: Vec<(String, Range<usize>)>,
    /// `platform` as `os/architecture[/variant]`, for index entries.
    pub platform: Option<String>,
}

/// An image manifest, manifest list or index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// What kind of document this is.
    pub kind: Kind,
    /// Span of the whole document.
    pub span: Range<usize>,
    /// `schemaVersion`, as its number text.
    pub schema_version: Field<String>,
    /// Top-level `mediaType`.
    pub media_type: Field<String>,
    /// `artifactType`, set on OCI artifacts.
    pub artifact_type: Option<String>,
    /// `config`, for manifests.
    pub config: Option<Descriptor>,
    /// `layers`, for manifests.
    pub layers: Vec<Descriptor>,
    /// `manifests`, for lists and indexes.
    pub manifests: Vec<Descriptor>,
    /// Span of the `manifests` member name, for index-wide findings.
    pub manifests_key: Option<Range<usize>>,
}

/// True when the JSON looks like an image manifest, manifest list or index: a known
/// top-level `mediaType`, or `schemaVersion` with `layers`, `manifests` or `fsLayers`.
pub fn looks_like_manifest(root: &Node) -> bool {
    if let Some(mt) = root.get("mediaType").and_then(Node::as_str) {
        if kind_of_media_type(mt).is_some() {
            return true;
        }
    }
    root.get("schemaVersion").is_some()
        && ["layers", "manifests", "fsLayers"]
            .iter()
            .any(|k| root.get(k).is_some_and(|n| n.as_array().is_some()))
}

fn kind_of_media_type(media_type: &str) -> Option<Kind> {
    match media_type {
        DOCKER_MANIFEST => Some(Kind::DockerManifest),
        DOCKER_LIST => Some(Kind::DockerList),
        OCI_MANIFEST => Some(Kind::OciManifest),
        OCI_INDEX => Some(Kind::OciIndex),
        DOCKER_SCHEMA1 | DOCKER_SCHEMA1_SIGNED => Some(Kind::DockerSchema1),
        _ => None,
    }
}

/// Reads a manifest from its JSON tree; `None` when it has neither a known `mediaType`
/// nor `layers`, `manifests` or `fsLayers`.
pub fn read(root: &Node) -> Option<Manifest> {
    let media_type = string_field(root, "mediaType");
    let kind = media_type
        .value()
        .and_then(|mt| kind_of_media_type(mt))
        .or_else(|| kind_by_shape(root))?;
    let manifests_member = root.member("manifests");
    Some(Manifest {
        kind,
        span: root.span.clone(),
        schema_version: number_text_field(root, "schemaVersion"),
        media_type,
        artifact_type: root
            .get("artifactType")
            .and_then(Node::as_str)
            .map(str::to_string),
        config: root.get("config").map(|n| descriptor(n, "config".into())),
        layers: descriptors(root.get("layers"), "layers"),
        manifests: descriptors(manifests_member.map(|m| &m.value), "manifests"),
        manifests_key: manifests_member.map(|m| m.key_span.clone()),
    })
}

/// Without a `mediaType` (it is optional in OCI), the members tell the kind.
fn kind_by_shape(root: &Node) -> Option<Kind> {
    if root.get("manifests").is_some() {
        Some(Kind::OciIndex)
    } else if root.get("layers").is_some() || root.get("config").is_some() {
        Some(Kind::OciManifest)
    } else if root.get("fsLayers").is_some() {
        Some(Kind::DockerSchema1)
    } else {
        None
    }
}

fn descriptors(node: Option<&Node>, name: &str) -> Vec<Descriptor> {
    node.and_then(Node::as_array)
        .unwrap_or(&[])
        .iter()
        .enumerate()
        .map(|(i, n)| descriptor(n, format!("{name}[{i}]")))
        .collect()
}

fn descriptor(node: &Node, path: String) -> Descriptor {
    let urls = node
        .get("urls")
        .and_then(Node::as_array)
        .unwrap_or(&[])
        .iter()
        .filter_map(|u| u.as_str().map(|s| (s.to_string(), u.inner_span())))
        .collect();
    Descriptor {
        path,
        span: node.span.clone(),
        media_type: string_field(node, "mediaType"),
        digest: string_field(node, "digest"),
        size: size_field(node),
        urls,
        platform: node.get("platform").and_then(platform),
    }
}

/// `os/architecture[/variant]`, as `docker` and `crane` print platforms.
fn platform(node: &Node) -> Option<String> {
    let os = node.get("os").and_then(Node::as_str)?;
    let arch = node.get("architecture").and_then(Node::as_str)?;
    Some(match node.get("variant").and_then(Node::as_str) {
        Some(v) => format!("{os}/{arch}/{v}"),
        None => format!("{os}/{arch}"),
    })
}

fn string_field(node: &Node, key: &str) -> Field<String> {
    match node.get(key) {
        None => Field::Missing,
        Some(n) => match n.as_str() {
            Some(s) => Field::Present {
                value: s.to_string(),
                span: n.inner_span(),
            },
            None => Field::WrongType {
                span: n.span.clone(),
                found: n.type_name(),
            },
        },
    }
}

fn number_text_field(node: &Node, key: &str) -> Field<String> {
    match node.get(key) {
        None => Field::Missing,
        Some(n) => match n.as_number_text() {
            Some(t) => Field::Present {
                value: t.to_string(),
                span: n.span.clone(),
            },
            None => Field::WrongType {
                span: n.span.clone(),
                found: n.type_name(),
            },
        },
    }
}

fn size_field(node: &Node) -> Field<Size> {
    match number_text_field(node, "size") {
        Field::Missing => Field::Missing,
        Field::WrongType { span, found } => Field::WrongType { span, found },
        Field::Present { value, span } => Field::Present {
            value: size(&value),
            span,
        },
    }
}

/// A JSON number's text as an int64 byte count (OCI descriptor `size`).
fn size(text: &str) -> Size {
    if text.contains(['.', 'e', 'E']) {
        return Size::NotInteger;
    }
    if text.starts_with('-') {
        // "-0" is zero, not a negative size.
        return if text.trim_start_matches('-').bytes().all(|b| b == b'0') {
            Size::Bytes(0)
        } else {
            Size::Negative
        };
    }
    match text.parse::<u64>() {
        Ok(n) if i64::try_from(n).is_ok() => Size::Bytes(n),
        _ => Size::TooLarge,
    }
}

#[cfg(test)]
mod tests {
    use super::{Size, size};

    #[test]
    fn sizes_are_int64_byte_counts() {
        assert_eq!(size("0"), Size::Bytes(0));
        assert_eq!(size("-0"), Size::Bytes(0));
        assert_eq!(size("12884901888"), Size::Bytes(12_884_901_888));
        assert_eq!(size("9223372036854775807"), Size::Bytes(i64::MAX as u64));
        assert_eq!(size("9223372036854775808"), Size::TooLarge);
        assert_eq!(size("-1"), Size::Negative);
        assert_eq!(size("1.5"), Size::NotInteger);
        assert_eq!(size("1e3"), Size::NotInteger);
    }
}
