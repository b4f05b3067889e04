//! The stable finding codes of the manifest checks.

use crate::diag::{Code, Severity};

/// The input is not JSON.
pub const NOT_JSON: Code = Code {
    id: "manifest-not-json",
    severity: Severity::Error,
    summary: "the input is not JSON",
};
/// JSON that is not a manifest, manifest list or index.
pub const NOT_MANIFEST: Code = Code {
    id: "manifest-not-recognised",
    severity: Severity::Error,
    summary: "the JSON is not an image manifest, manifest list or index",
};
/// `schemaVersion` is not 2.
pub const SCHEMA_VERSION: Code = Code {
    id: "manifest-schema-version",
    severity: Severity::Warning,
    summary: "the manifest's schemaVersion is not 2",
};
/// A media type that is not known for its place.
pub const MEDIA_TYPE: Code = Code {
    id: "manifest-media-type",
    severity: Severity::Warning,
    summary: "a media type is unknown or missing",
};
/// A descriptor lacks `mediaType`, `digest` or `size`, or has one of the wrong type.
pub const FIELD_MISSING: Code = Code {
    id: "descriptor-field-missing",
    severity: Severity::Error,
    summary: "a descriptor lacks a required field",
};
/// A malformed digest.
pub const DIGEST_INVALID: Code = Code {
    id: "descriptor-digest-invalid",
    severity: Severity::Error,
    summary: "a digest does not follow the digest grammar",
};
/// A size that is not a non-negative int64.
pub const SIZE_INVALID: Code = Code {
    id: "descriptor-size-invalid",
    severity: Severity::Error,
    summary: "a size is not a non-negative integer",
};
/// A foreign or nondistributable layer.
pub const LAYER_FOREIGN: Code = Code {
    id: "layer-foreign",
    severity: Severity::Error,
    summary: "a foreign (nondistributable) layer cannot be pulled in an isolated cloud",
};
/// `urls` on a descriptor whose type is not foreign.
pub const DESCRIPTOR_URLS: Code = Code {
    id: "descriptor-urls",
    severity: Severity::Warning,
    summary: "a descriptor points at content outside the registry",
};
/// A layer over the 8 GB limit.
pub const LAYER_OVER_8GB: Code = Code {
    id: "layer-over-8gb",
    severity: Severity::Error,
    summary: "a layer is larger than the 8 GB ACR Transfer supports",
};
/// Index sizes are manifest sizes.
pub const INDEX_SIZES: Code = Code {
    id: "index-sizes-are-manifest-sizes",
    severity: Severity::Advice,
    summary: "an index's sizes are sizes of manifests, not of images",
};
/// `oci-layout` is missing or not version 1.0.0.
pub const LAYOUT_MARKER: Code = Code {
    id: "layout-marker",
    severity: Severity::Warning,
    summary: "the oci-layout file is missing or not version 1.0.0",
};
/// A blob the layout refers to is not there.
pub const LAYOUT_BLOB_MISSING: Code = Code {
    id: "layout-blob-missing",
    severity: Severity::Error,
    summary: "a blob referenced in the layout is not in blobs/",
};
/// A blob whose content does not hash to its digest.
pub const LAYOUT_DIGEST_MISMATCH: Code = Code {
    id: "layout-blob-digest-mismatch",
    severity: Severity::Error,
    summary: "a blob's sha256 differs from its digest",
};
/// A blob whose length differs from its descriptor's size.
pub const LAYOUT_SIZE_MISMATCH: Code = Code {
    id: "layout-blob-size-mismatch",
    severity: Severity::Error,
    summary: "a blob's length differs from its descriptor's size",
};
/// A manifest blob too large to read.
pub const LAYOUT_BLOB_TOO_LARGE: Code = Code {
    id: "layout-blob-too-large",
    severity: Severity::Error,
    summary: "a manifest blob is larger than the tool reads",
};
/// A digest whose algorithm the layout reader does not follow.
pub const LAYOUT_ALGORITHM: Code = Code {
    id: "layout-digest-algorithm",
    severity: Severity::Warning,
    summary: "a digest's algorithm is not sha256, so its blob is not followed",
};
/// More descriptors than the reader follows.
pub const LAYOUT_TOO_MANY: Code = Code {
    id: "layout-too-many-descriptors",
    severity: Severity::Error,
    summary: "the layout has more descriptors than the tool follows",
};
