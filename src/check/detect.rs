//! Telling what an input is from its content, never from its name.

use crate::blob::{self, DumpFormat};
use crate::json::Node;
use crate::{manifest, pipeline, sas};

/// Largest JSON read whole to tell what it is; a larger one can only be a listing.
pub const MAX_WHOLE_JSON: usize = 8 * 1024 * 1024;

/// What an input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A SAS token, SAS URL or connection string.
    Token,
    /// `az keyvault secret show` JSON whose value is a token.
    KeyVaultSecret,
    /// A blob property dump.
    Blob(DumpFormat),
    /// An image manifest or index.
    Manifest,
    /// A pipeline resource.
    Pipeline,
    /// None of those.
    Unknown,
}

impl Kind {
    /// Short name for summaries.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Token => "sas-token",
            Kind::KeyVaultSecret => "key-vault-secret",
            Kind::Blob(format) => format.kind(),
            Kind::Manifest => "manifest",
            Kind::Pipeline => "pipeline",
            Kind::Unknown => "unrecognised",
        }
    }
}

/// Tells the kind of a JSON input from its parsed root.
pub fn json_kind(root: &Node, text: &str) -> Kind {
    if is_key_vault_secret(root) {
        Kind::KeyVaultSecret
    } else if pipeline::looks_like_pipeline(root) {
        Kind::Pipeline
    } else if manifest::looks_like_manifest(root) {
        Kind::Manifest
    } else if looks_like_blob_json(root) {
        blob::detect(text).map_or(Kind::Unknown, Kind::Blob)
    } else {
        Kind::Unknown
    }
}

/// Tells the kind of a text that is not JSON (or too large to read whole).
pub fn text_kind(prefix: &str) -> Kind {
    let trimmed = prefix.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with("HTTP/")
        || trimmed.starts_with('<')
        || blob::headers::looks_like_header_dump(trimmed)
    {
        return blob::detect(trimmed).map_or(Kind::Unknown, Kind::Blob);
    }
    if sas::looks_like_token(trimmed) {
        return Kind::Token;
    }
    blob::detect(trimmed).map_or(Kind::Unknown, Kind::Blob)
}

/// `az keyvault secret show` prints an object with `id` (…/secrets/NAME/VERSION),
/// `name`, `attributes` and `value`.
fn is_key_vault_secret(root: &Node) -> bool {
    let value = root.get("value").and_then(Node::as_str);
    let id = root.get("id").and_then(Node::as_str).unwrap_or_default();
    value.is_some_and(sas::looks_like_token)
        && (id.contains("/secrets/") || root.get("attributes").is_some())
}

/// A blob as the az CLI or a PowerShell projection prints it, or an array of them.
fn looks_like_blob_json(root: &Node) -> bool {
    let one = |node: &Node| {
        node.get("properties")
            .is_some_and(|p| p.get("lastModified").is_some())
            || node.member_ignore_case("LastModified").is_some()
            || node.member_ignore_case("ContentMD5").is_some()
    };
    match root.as_array() {
        Some(items) => items.iter().any(one) || items.is_empty(),
        None => one(root),
    }
}

#[cfg(test)]
mod tests {
    use super::{Kind, json_kind, text_kind};
    use crate::json;

    fn kind_of(text: &str) -> Kind {
        match json::parse(text) {
            Ok(root) => json_kind(&root, text),
            Err(_) => text_kind(text),
        }
    }

    #[test]
    fn each_corpus_input_is_told_by_content() {
        let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/");
        let expect = [
            ("real/tok-account-export.sas", "sas-token"),
            ("real/tok-blob-url.sas", "sas-token"),
            ("real/az-list.json", "az-blob-list"),
            ("real/az-show-run-2026-12-01.json", "az-blob-show"),
            ("real/head-run.http", "blob-headers"),
            ("real/list-blobs.xml", "list-blobs-xml"),
            ("samples/azcopy-list.txt", "azcopy-list"),
            ("samples/get-blob-properties.http", "blob-headers"),
            ("samples/manifest-index.json", "manifest"),
            ("samples/manifest-foreign.json", "manifest"),
            ("samples/export-pipeline.json", "pipeline"),
            ("samples/pipeline-run-import.json", "pipeline"),
            (
                "samples/powershell-get-azstorageblob.json",
                "powershell-blob",
            ),
            ("cases/B24.headers", "blob-headers"),
        ];
        for (file, kind) in expect {
            let text = std::fs::read_to_string(format!("{corpus}{file}")).unwrap();
            assert_eq!(kind_of(&text).as_str(), kind, "{file}");
        }
    }

    #[test]
    fn a_key_vault_secret_holding_a_token_is_its_own_kind() {
        let text = r#"{"attributes": {"enabled": true}, "id": "https://kv1.vault.azure.net/secrets/acrexportsas/0a1b", "name": "acrexportsas", "value": "?sv=2022-11-02&ss=b&srt=sco&sp=rwla&se=2027-03-01T00:00:00Z&spr=https&sig=x"}"#;
        assert_eq!(kind_of(text), Kind::KeyVaultSecret);
        assert_eq!(kind_of("hello world"), Kind::Unknown);
    }
}
