//! Rules over a manifest model: what ACR Transfer cannot carry and what is malformed.
//!
//! Sources: the ACR Transfer troubleshooting guide (layers up to 8 GB; foreign layers
//! fail in an isolated cloud), the ACR FAQ (pushing nondistributable layers), the OCI
//! image-spec (`descriptor.md`, `layer.md`, `media-types.md`, `image-index.md`) and
//! Docker's Image Manifest V2 Schema 2. These rules only read the model.

use super::codes;
use super::model::{
    DOCKER_LIST, DOCKER_MANIFEST, Descriptor, Field, Kind, Manifest, OCI_INDEX, OCI_MANIFEST, Size,
};
use super::reference::{DigestError, digest};
use crate::diag::{Finding, Severity};

/// 8 GiB: above this a layer is over the limit whatever "8 GB" means.
pub const EIGHT_GIB: u64 = 8 * 1024 * 1024 * 1024;
/// 8×10⁹ bytes: above this a layer is over the limit if "8 GB" is decimal.
pub const EIGHT_GB: u64 = 8_000_000_000;

const FOREIGN_DOCKER: &str = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
const NONDISTRIBUTABLE_OCI: &str = "application/vnd.oci.image.layer.nondistributable.";

const LAYER_TYPES: &[&str] = &[
    "application/vnd.docker.image.rootfs.diff.tar.gzip",
    FOREIGN_DOCKER,
    "application/vnd.oci.image.layer.v1.tar",
    "application/vnd.oci.image.layer.v1.tar+gzip",
    "application/vnd.oci.image.layer.v1.tar+zstd",
    "application/vnd.oci.image.layer.nondistributable.v1.tar",
    "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
    "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
];

const IMAGE_CONFIG_TYPES: &[&str] = &[
    "application/vnd.docker.container.image.v1+json",
    "application/vnd.oci.image.config.v1+json",
];
const EMPTY_TYPE: &str = "application/vnd.oci.empty.v1+json";
const IN_TOTO_PREFIX: &str = "application/vnd.in-toto";

const FOREIGN_HELP: &str = "push the layer into the source registry before export: add \
     {\"allow-nondistributable-artifacts\": [\"<registry>.azurecr.io\"]} to the Docker \
     daemon's daemon.json (or use crane's --allow-nondistributable-artifacts), restart \
     Docker and push the image again; mind the layer's licence";

/// Options for one run of the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleOptions {
    /// True when the children of an index are followed (an OCI layout), so the
    /// "index sizes are manifest sizes" advice is not needed.
    pub children_checked: bool,
}

/// Runs every rule over the manifest.
pub fn run(manifest: &Manifest, options: RuleOptions) -> Vec<Finding> {
    let mut out = Vec::new();
    schema_version(manifest, &mut out);
    top_media_type(manifest, &mut out);
    if let Some(config) = &manifest.config {
        descriptor_form(config, None, &mut out);
        config_media_type(config, &mut out);
    }
    let image = is_image(manifest);
    for layer in &manifest.layers {
        descriptor_form(layer, None, &mut out);
        layer_media_type(layer, image, &mut out);
        foreign_layer(layer, &mut out);
        external_urls(layer, &mut out);
        layer_size_limit(layer, &mut out);
    }
    for entry in &manifest.manifests {
        let subject = entry.platform.as_deref();
        descriptor_form(entry, subject, &mut out);
        index_entry_media_type(entry, &mut out);
        external_urls(entry, &mut out);
    }
    if !options.children_checked {
        index_sizes(manifest, &mut out);
    }
    out
}

/// `schemaVersion` must be 2 for every kind read here (schema 1 is legacy and carries
/// no sizes, so nothing can be checked). Code `manifest-schema-version`.
fn schema_version(m: &Manifest, out: &mut Vec<Finding>) {
    let span = m
        .schema_version
        .span()
        .unwrap_or(m.span.start..m.span.start + 1);
    if m.kind == Kind::DockerSchema1 || m.schema_version.value().is_some_and(|v| v == "1") {
        out.push(
            Finding::new(codes::SCHEMA_VERSION, "schemaVersion", span)
                .message("legacy Docker schema 1 manifest: it has no layer sizes, so nothing here can be checked")
                .help("push the image again with a current Docker or tool so the registry stores a schema 2 or OCI manifest")
                .label("schema 1"),
        );
        return;
    }
    let ok = m.schema_version.value().is_some_and(|v| v == "2");
    if !ok {
        out.push(
            Finding::new(codes::SCHEMA_VERSION, "schemaVersion", span)
                .severity(Severity::Error)
                .message("schemaVersion is missing or not 2")
                .help("image manifests and indexes have \"schemaVersion\": 2")
                .label("expected 2"),
        );
    }
}

/// The top-level `mediaType`: required by Docker schema 2, should be set in OCI. Code
/// `manifest-media-type`.
fn top_media_type(m: &Manifest, out: &mut Vec<Finding>) {
    match &m.media_type {
        Field::Missing if matches!(m.kind, Kind::OciManifest | Kind::OciIndex) => out.push(
            Finding::new(
                codes::MEDIA_TYPE,
                "mediaType",
                m.span.start..m.span.start + 1,
            )
            .severity(Severity::Advice)
            .message(format!(
                "no top-level mediaType; read as {} by its members",
                m.kind.as_str()
            ))
            .help(format!(
                "set \"mediaType\": \"{}\"",
                expected_media_type(m.kind)
            )),
        ),
        Field::WrongType { span, found } => out.push(
            Finding::new(codes::MEDIA_TYPE, "mediaType", span.clone())
                .severity(Severity::Error)
                .message(format!("mediaType is a {found}, not a string")),
        ),
        Field::Missing | Field::Present { .. } => {}
    }
}

fn expected_media_type(kind: Kind) -> &'static str {
    match kind {
        Kind::DockerManifest => DOCKER_MANIFEST,
        Kind::DockerList => DOCKER_LIST,
        Kind::OciManifest => OCI_MANIFEST,
        Kind::OciIndex => OCI_INDEX,
        Kind::DockerSchema1 => super::model::DOCKER_SCHEMA1,
    }
}

/// An image (not an OCI artifact): its config is an image config, or there is none.
fn is_image(m: &Manifest) -> bool {
    m.artifact_type.is_none()
        && m.config.as_ref().is_none_or(|c| {
            c.media_type
                .value()
                .is_none_or(|t| IMAGE_CONFIG_TYPES.contains(&t.as_str()))
        })
}

/// `mediaType`, `digest` and `size` are required in every descriptor; the digest must
/// follow the digest grammar and the size must be a non-negative int64. Codes
/// `descriptor-field-missing`, `descriptor-digest-invalid`, `descriptor-size-invalid`.
fn descriptor_form(d: &Descriptor, subject: Option<&str>, out: &mut Vec<Finding>) {
    let with_subject = |f: Finding| match subject {
        Some(s) => f.subject(s),
        None => f,
    };
    for (name, missing) in [
        ("mediaType", d.media_type == Field::Missing),
        ("digest", d.digest == Field::Missing),
        ("size", d.size == Field::Missing),
    ] {
        if missing {
            out.push(with_subject(
                Finding::new(
                    codes::FIELD_MISSING,
                    format!("{}.{name}", d.path),
                    open_brace(d),
                )
                .message(format!("descriptor has no {name}"))
                .help("every descriptor needs mediaType, digest and size")
                .label(format!("no {name}")),
            ));
        }
    }
    for (name, field) in [
        ("mediaType", d.media_type.clone()),
        ("digest", d.digest.clone()),
    ] {
        if let Field::WrongType { span, found } = field {
            out.push(with_subject(
                Finding::new(codes::FIELD_MISSING, format!("{}.{name}", d.path), span)
                    .message(format!("{name} is a {found}, not a string"))
                    .label(format!("a {found}")),
            ));
        }
    }
    if let Field::Present { value, span } = &d.digest {
        if let Err(e) = digest(value) {
            out.push(with_subject(digest_finding(&d.path, span.clone(), e)));
        }
    }
    if let Some(f) = size_form(d) {
        out.push(with_subject(f));
    }
}

fn open_brace(d: &Descriptor) -> std::ops::Range<usize> {
    d.span.start..d.span.start + 1
}

fn digest_finding(path: &str, span: std::ops::Range<usize>, e: DigestError) -> Finding {
    Finding::new(codes::DIGEST_INVALID, format!("{path}.digest"), span)
        .message(format!("digest {}", e.describe()))
        .help("a digest is written as sha256:<64 lower-case hex digits>")
        .label("malformed digest")
}

fn size_form(d: &Descriptor) -> Option<Finding> {
    let field = format!("{}.size", d.path);
    let (span, why) = match &d.size {
        Field::WrongType { span, found } => (span.clone(), format!("is a {found}, not a number")),
        Field::Present { value, span } => match value {
            Size::Bytes(_) => return None,
            Size::Negative => (span.clone(), String::from("is negative")),
            Size::NotInteger => (span.clone(), String::from("is not an integer")),
            Size::TooLarge => (
                span.clone(),
                String::from("does not fit a 64-bit signed integer"),
            ),
        },
        Field::Missing => return None,
    };
    Some(
        Finding::new(codes::SIZE_INVALID, field, span)
            .message(format!("size {why}"))
            .help("a descriptor's size is the blob's length in bytes: an integer from 0 to 2^63-1")
            .label("not a byte count"),
    )
}

/// Config media types other than an image config mean an OCI artifact; advice only.
/// Code `manifest-media-type`.
fn config_media_type(d: &Descriptor, out: &mut Vec<Finding>) {
    if let Field::Present { value, span } = &d.media_type {
        if !IMAGE_CONFIG_TYPES.contains(&value.as_str()) && value != EMPTY_TYPE {
            out.push(
                Finding::new(codes::MEDIA_TYPE, "config.mediaType", span.clone())
                    .severity(Severity::Advice)
                    .message(format!(
                        "config media type {value} is not an image config; read as an artifact"
                    ))
                    .label("not an image config"),
            );
        }
    }
}

/// Layer media types outside Docker schema 2 and OCI: a warning for images, advice for
/// artifacts (which may use any type). Code `manifest-media-type`.
fn layer_media_type(d: &Descriptor, image: bool, out: &mut Vec<Finding>) {
    let Field::Present { value, span } = &d.media_type else {
        return;
    };
    // Build attestations (in-toto statements) ride in image indexes as manifests whose
    // layers are not filesystem layers.
    if LAYER_TYPES.contains(&value.as_str())
        || (!image && value == EMPTY_TYPE)
        || value.starts_with(IN_TOTO_PREFIX)
    {
        return;
    }
    let severity = if image {
        Severity::Warning
    } else {
        Severity::Advice
    };
    out.push(
        Finding::new(codes::MEDIA_TYPE, format!("{}.mediaType", d.path), span.clone())
            .severity(severity)
            .message(format!("unknown layer media type {value}"))
            .help("image layers are application/vnd.oci.image.layer.v1.tar[+gzip|+zstd] or application/vnd.docker.image.rootfs.diff.tar.gzip")
            .label("unknown media type"),
    );
}

/// An index entry of a type other than a manifest or index is allowed by OCI and must
/// not fail; advice only. Code `manifest-media-type`.
fn index_entry_media_type(d: &Descriptor, out: &mut Vec<Finding>) {
    let Field::Present { value, span } = &d.media_type else {
        return;
    };
    if [DOCKER_MANIFEST, DOCKER_LIST, OCI_MANIFEST, OCI_INDEX].contains(&value.as_str()) {
        return;
    }
    let mut f = Finding::new(
        codes::MEDIA_TYPE,
        format!("{}.mediaType", d.path),
        span.clone(),
    )
    .severity(Severity::Advice)
    .message(format!(
        "index entry has media type {value}, which is not an image manifest; it is not checked"
    ))
    .label("not a manifest");
    if let Some(p) = &d.platform {
        f = f.subject(p.clone());
    }
    out.push(f);
}

/// True for Docker's foreign layer type and OCI's nondistributable types.
pub fn is_foreign(media_type: &str) -> bool {
    media_type == FOREIGN_DOCKER || media_type.starts_with(NONDISTRIBUTABLE_OCI)
}

/// Foreign (Docker) or nondistributable (OCI) layers are not pushed by default, so the
/// source registry does not hold them and an isolated target cannot fetch them from
/// their `urls` (troubleshooting guide; ACR FAQ). Code `layer-foreign`.
fn foreign_layer(d: &Descriptor, out: &mut Vec<Finding>) {
    let Field::Present { value, span } = &d.media_type else {
        return;
    };
    if !is_foreign(value) {
        return;
    }
    let hosts = url_hosts(d);
    let from = if hosts.is_empty() {
        String::from("from outside the registry")
    } else {
        format!("from {}", hosts.join(", "))
    };
    let mut f = Finding::new(
        codes::LAYER_FOREIGN,
        format!("{}.mediaType", d.path),
        span.clone(),
    )
    .message(format!(
        "{} layer: it is pulled {from}, which an isolated registry cannot reach",
        if value == FOREIGN_DOCKER {
            "foreign"
        } else {
            "nondistributable"
        }
    ))
    .help(FOREIGN_HELP)
    .label("foreign layer");
    for (url, url_span) in &d.urls {
        f = f.related(url_span.clone(), format!("external: {}", host_of(url)));
    }
    out.push(f);
}

/// `urls` on a normal layer or an index entry is an external dependency too (OCI allows
/// `urls` on any descriptor). Code `descriptor-urls`.
fn external_urls(d: &Descriptor, out: &mut Vec<Finding>) {
    if d.media_type.value().is_some_and(|t| is_foreign(t)) {
        return;
    }
    let Some((_, first)) = d.urls.first() else {
        return;
    };
    // Quoted: a host is input text and may end in anything, a period included.
    let hosts: Vec<String> = url_hosts(d).iter().map(|h| format!("`{h}`")).collect();
    let mut f = Finding::new(codes::DESCRIPTOR_URLS, format!("{}.urls", d.path), first.clone())
        .message(format!("descriptor lists external urls on {}", hosts.join(", ")))
        .help("make sure the blob itself is in the source registry; an isolated registry cannot fetch these urls")
        .label("external url");
    for (url, span) in d.urls.iter().skip(1) {
        f = f.related(span.clone(), format!("external: {}", host_of(url)));
    }
    out.push(f);
}

fn url_hosts(d: &Descriptor) -> Vec<String> {
    let mut hosts: Vec<String> = Vec::new();
    for (url, _) in &d.urls {
        let host = host_of(url);
        if !hosts.contains(&host) {
            hosts.push(host);
        }
    }
    hosts
}

/// The host of a URL, or the URL itself when it has none.
fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| url.to_string())
}

/// ACR Transfer supports layers up to 8 GB; the guide does not say whether that is
/// 8×10⁹ bytes or 8 GiB, so above 8 GiB is an error and between the two a warning.
/// Code `layer-over-8gb`.
fn layer_size_limit(d: &Descriptor, out: &mut Vec<Finding>) {
    let Field::Present {
        value: Size::Bytes(n),
        span,
    } = &d.size
    else {
        return;
    };
    let n = *n;
    let field = format!("{}.size", d.path);
    if n > EIGHT_GIB {
        out.push(
            Finding::new(codes::LAYER_OVER_8GB, field, span.clone())
                .message(format!(
                    "layer is {n} bytes, {} over 8 GiB ({EIGHT_GIB} bytes); ACR Transfer supports layers up to 8 GB",
                    human_bytes(n - EIGHT_GIB)
                ))
                .help("rebuild the image so no layer is over 8 GB (split large files over several layers, or keep large data out of the image)")
                .label("over 8 GiB"),
        );
    } else if n > EIGHT_GB {
        out.push(
            Finding::new(codes::LAYER_OVER_8GB, field, span.clone())
                .severity(Severity::Warning)
                .message(format!(
                    "layer is {n} bytes: over 8 GB if the guide means 8×10⁹ bytes, under it if it means 8 GiB (8589934592 bytes); the guide does not say which"
                ))
                .help("keep layers under 8000000000 bytes to be safe either way")
                .label("between 8×10⁹ bytes and 8 GiB"),
        );
    }
}

/// An index's `size` values are the sizes of the platform manifests, not of the
/// images; summing them would say nothing about layers (OCI `image-index.md`).
/// Code `index-sizes-are-manifest-sizes`.
fn index_sizes(m: &Manifest, out: &mut Vec<Finding>) {
    if !m.kind.is_index() || m.manifests.is_empty() {
        return;
    }
    let span = m
        .manifests_key
        .clone()
        .unwrap_or(m.span.start..m.span.start + 1);
    let n = m.manifests.len();
    out.push(
        Finding::new(codes::INDEX_SIZES, "manifests", span)
            .message(format!(
                "the {n} entries' sizes are the sizes of the platform manifests, not of the images; the layers behind them are not checked here"
            ))
            .help("check each platform's manifest too (e.g. crane manifest REPO@DIGEST), or give an OCI image layout directory (skopeo copy --all docker://IMAGE oci:DIR) so every platform is checked")
            .label("manifest sizes"),
    );
}

/// `1.25 GiB` style, for messages; exact bytes are always given beside it.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KiB", "MiB", "GiB", "TiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if n == 1 {
        String::from("1 byte")
    } else if unit == 0 {
        format!("{n} bytes")
    } else {
        format!("{value:.2} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::{EIGHT_GB, EIGHT_GIB, human_bytes, is_foreign};

    #[test]
    fn the_two_readings_of_8_gb() {
        assert_eq!(EIGHT_GIB, 8_589_934_592);
        assert_eq!(EIGHT_GB, 8_000_000_000);
    }

    #[test]
    fn human_bytes_uses_binary_units() {
        assert_eq!(human_bytes(512), "512 bytes");
        assert_eq!(human_bytes(1), "1 byte");
        assert_eq!(human_bytes(12_884_901_888), "12.00 GiB");
    }

    #[test]
    fn foreign_types_are_docker_foreign_and_oci_nondistributable() {
        assert!(is_foreign(
            "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
        ));
        assert!(is_foreign(
            "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd"
        ));
        assert!(!is_foreign("application/vnd.oci.image.layer.v1.tar+gzip"));
    }
}
