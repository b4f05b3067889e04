//! Image manifests: foreign layers, layer sizes, digests and media types.
//!
//! Reads Docker image manifests (v2 schema 2), OCI image manifests, Docker manifest
//! lists and OCI image indexes, as `docker manifest inspect`, `crane manifest`,
//! `skopeo inspect --raw` and `oras manifest fetch` print them ([`check`]), and OCI image
//! layout directories, following the index to every platform's manifest
//! ([`check_layout`]). The JSON is read with spans ([`crate::json`]) into a model
//! ([`model`]); [`rules`] judge the model. Nothing here fetches anything from a
//! registry: an index read from a file has its platforms' manifests unchecked, and says
//! so.

pub mod codes;
pub mod layout;
pub mod model;
pub mod reference;
pub mod rules;

use std::sync::Arc;

use serde_json::{Value, json};

use crate::context::Context;
use crate::diag::{Finding, InputReport};
use crate::input::Decoded;
use crate::json::{self, Node};
use crate::secret::{self, Secrets};

pub use layout::{LayoutCheck, check_layout};
pub use model::{Kind, Manifest};

/// What checking one manifest input found.
#[derive(Debug, Clone)]
pub struct ManifestCheck {
    /// The findings, with the (masked) input text they point into.
    pub report: InputReport,
    /// The manifest, when the input was one.
    pub manifest: Option<Manifest>,
    /// Secrets seen in the input (a SAS signature in a `urls` entry).
    pub secrets: Secrets,
}

/// True when the JSON looks like an image manifest, manifest list or index; for the
/// `check` command's detection of an input's kind.
pub fn looks_like_manifest(root: &Node) -> bool {
    model::looks_like_manifest(root)
}

/// Checks one manifest input. The context is unused today (no manifest rule depends on
/// time) and taken so every check has the same shape.
pub fn check(name: &str, decoded: &Decoded, _ctx: &Context) -> ManifestCheck {
    check_with(
        name,
        decoded,
        rules::RuleOptions {
            children_checked: false,
        },
    )
}

pub(crate) fn check_with(
    name: &str,
    decoded: &Decoded,
    options: rules::RuleOptions,
) -> ManifestCheck {
    let mut secrets = Secrets::new();
    let masked = secret::mask_json(decoded.text.clone(), &mut secrets);
    let text: Arc<str> = Arc::from(masked);
    let mut report = InputReport::new(name, "manifest", text.clone());
    let help = "give the manifest exactly as the registry returns it (e.g. crane manifest IMAGE > manifest.json)";
    let Some(root) = json::parse_input(&text, &mut report, codes::NOT_JSON, help) else {
        return ManifestCheck {
            report,
            manifest: None,
            secrets,
        };
    };
    let Some(manifest) = model::read(&root) else {
        report.findings.push(
            Finding::new(codes::NOT_MANIFEST, "input", root.span.start..root.span.start + 1)
                .message("JSON without a manifest mediaType, layers or manifests: not an image manifest or index")
                .help("give an image manifest, manifest list or index (e.g. crane manifest IMAGE)"),
        );
        return ManifestCheck {
            report,
            manifest: None,
            secrets,
        };
    };
    report.kind = manifest.kind.as_str().to_string();
    report.findings = rules::run(&manifest, options);
    report.details = details(&manifest);
    report.notes = notes(&manifest);
    ManifestCheck {
        report,
        manifest: Some(manifest),
        secrets,
    }
}

/// Facts for the JSON output: sizes are bytes.
fn details(m: &Manifest) -> Value {
    if m.kind.is_index() {
        let platforms: Vec<Value> = m
            .manifests
            .iter()
            .map(|d| json!({ "platform": d.platform, "digest": d.digest.value() }))
            .collect();
        return json!({ "kind": m.kind.as_str(), "manifests": platforms });
    }
    let sizes = layer_sizes(m);
    json!({
        "kind": m.kind.as_str(),
        "layers": m.layers.len(),
        "foreignLayers": m.layers.iter().filter(|d| d.media_type.value().is_some_and(|t| rules::is_foreign(t))).count(),
        "largestLayerBytes": sizes.iter().max(),
        "imageBytes": image_bytes(m),
    })
}

fn layer_sizes(m: &Manifest) -> Vec<u64> {
    m.layers
        .iter()
        .filter_map(|d| match d.size.value() {
            Some(model::Size::Bytes(n)) => Some(*n),
            _ => None,
        })
        .collect()
}

/// Config plus layers, each digest counted once, in `u128` so no sum of `u64` sizes
/// can overflow; `None` when a size is unreadable.
fn total_bytes(m: &Manifest) -> Option<u128> {
    let mut seen: Vec<&str> = Vec::new();
    let mut total: u128 = 0;
    for d in m.config.iter().chain(&m.layers) {
        let Some(model::Size::Bytes(n)) = d.size.value() else {
            return None;
        };
        let digest = d.digest.value().map_or("", String::as_str);
        if digest.is_empty() || !seen.contains(&digest) {
            seen.push(digest);
            total += u128::from(*n);
        }
    }
    Some(total)
}

/// The total for the JSON summary: `null` when unreadable or over 2^64 bytes (a JSON
/// number past `u64` is not read back by most parsers; the human note says which).
fn image_bytes(m: &Manifest) -> Option<u64> {
    total_bytes(m).and_then(|t| u64::try_from(t).ok())
}

fn notes(m: &Manifest) -> Vec<String> {
    if m.kind.is_index() {
        return Vec::new();
    }
    let Some(total) = total_bytes(m) else {
        return Vec::new();
    };
    let n = m.layers.len();
    let layers = if n == 1 { "layer" } else { "layers" };
    let size = match u64::try_from(total) {
        Err(_) => String::from("over 2^64 bytes"),
        Ok(1) => String::from("1 byte"),
        Ok(total) if total < 1024 => format!("{total} bytes"),
        Ok(total) => format!("{total} bytes ({})", rules::human_bytes(total)),
    };
    vec![format!(
        "{}: {n} {layers}, {size} with the config",
        m.kind.as_str()
    )]
}
