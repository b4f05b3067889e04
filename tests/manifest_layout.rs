//! OCI image layout directories, built by the tests in a temporary directory: the
//! index is followed to every platform's manifest (OCI image-layout.md: `oci-layout`,
//! `index.json`, `blobs/<alg>/<encoded>`), blobs read are verified against their
//! digests, and the manifest rules run on every platform.

use std::path::{Path, PathBuf};
use std::process::Command;

use acr_preflight::context::Context;
use acr_preflight::diag::render::{self, HumanStyle};
use acr_preflight::diag::{Finding, Outcome, Severity};
use acr_preflight::manifest::{self, LayoutCheck};
use chrono::{TimeZone, Utc};
use sha2::{Digest, Sha256};

const NINE_GIB: u64 = 9 * 1024 * 1024 * 1024;
const FOREIGN: &str = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
const GZIP: &str = "application/vnd.oci.image.layer.v1.tar+gzip";

fn ctx() -> Context {
    Context::pinned(Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap())
}

fn sha(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A layout under construction.
struct Layout {
    dir: tempfile::TempDir,
}

/// A descriptor as written into a manifest or index.
#[derive(Clone)]
struct Desc {
    media_type: String,
    digest: String,
    size: u64,
    extra: String,
}

impl Desc {
    fn json(&self) -> String {
        format!(
            r#"{{"mediaType": "{}", "digest": "sha256:{}", "size": {}{}}}"#,
            self.media_type, self.digest, self.size, self.extra
        )
    }
}

impl Layout {
    fn new() -> Layout {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("blobs/sha256")).unwrap();
        std::fs::write(
            dir.path().join("oci-layout"),
            r#"{"imageLayoutVersion": "1.0.0"}"#,
        )
        .unwrap();
        Layout { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn blob_path(&self, hex: &str) -> PathBuf {
        self.path().join("blobs/sha256").join(hex)
    }

    /// Writes a blob under its own digest.
    fn blob(&self, media_type: &str, bytes: &[u8]) -> Desc {
        let hex = sha(bytes);
        std::fs::write(self.blob_path(&hex), bytes).unwrap();
        Desc {
            media_type: media_type.into(),
            digest: hex,
            size: bytes.len() as u64,
            extra: String::new(),
        }
    }

    /// A layer blob of `size` bytes that is not read: a sparse file named by a digest
    /// of a short text (layers are checked for presence and length only).
    fn sparse_layer(&self, name: &str, size: u64) -> Desc {
        let hex = sha(name.as_bytes());
        let file = std::fs::File::create(self.blob_path(&hex)).unwrap();
        file.set_len(size).unwrap();
        Desc {
            media_type: GZIP.into(),
            digest: hex,
            size,
            extra: String::new(),
        }
    }

    fn config(&self) -> Desc {
        self.blob(
            "application/vnd.oci.image.config.v1+json",
            br#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#,
        )
    }

    fn manifest(&self, config: &Desc, layers: &[Desc]) -> Desc {
        let layers: Vec<String> = layers.iter().map(Desc::json).collect();
        let text = format!(
            "{{\n  \"schemaVersion\": 2,\n  \"mediaType\": \"application/vnd.oci.image.manifest.v1+json\",\n  \"config\": {},\n  \"layers\": [\n    {}\n  ]\n}}\n",
            config.json(),
            layers.join(",\n    ")
        );
        self.blob(
            "application/vnd.oci.image.manifest.v1+json",
            text.as_bytes(),
        )
    }

    fn index_text(entries: &[(Desc, &str)]) -> String {
        let items: Vec<String> = entries
            .iter()
            .map(|(d, platform)| {
                let (os, arch) = platform.split_once('/').unwrap();
                let mut d = d.clone();
                d.extra = format!(r#", "platform": {{"os": "{os}", "architecture": "{arch}"}}"#);
                d.json()
            })
            .collect();
        format!(
            "{{\n  \"schemaVersion\": 2,\n  \"mediaType\": \"application/vnd.oci.image.index.v1+json\",\n  \"manifests\": [\n    {}\n  ]\n}}\n",
            items.join(",\n    ")
        )
    }

    fn index(&self, entries: &[(Desc, &str)]) {
        std::fs::write(self.path().join("index.json"), Self::index_text(entries)).unwrap();
    }

    fn check(&self) -> LayoutCheck {
        manifest::check_layout(self.path(), &ctx()).unwrap()
    }
}

/// Two platforms: amd64 is clean; arm64 has a 9 GiB layer and a foreign layer whose
/// blob is not in the layout (as expected for a foreign layer).
fn two_platforms() -> (Layout, Desc, Desc) {
    let l = Layout::new();
    let config = l.config();
    let small = l.blob(GZIP, b"small layer");
    let amd64 = l.manifest(&config, &[small]);
    let big = l.sparse_layer("big", NINE_GIB);
    let foreign = Desc {
        media_type: FOREIGN.into(),
        digest: sha(b"windows base"),
        size: 1_429_734_211,
        extra: r#", "urls": ["https://mcr.microsoft.com/v2/windows/servercore/blobs/sha256:00"]"#
            .into(),
    };
    let arm64 = l.manifest(&config, &[big, foreign]);
    l.index(&[
        (amd64.clone(), "linux/amd64"),
        (arm64.clone(), "linux/arm64"),
    ]);
    (l, amd64, arm64)
}

fn all(check: &LayoutCheck) -> Vec<(String, &'static str, String, Severity, Option<String>)> {
    check
        .reports
        .iter()
        .flat_map(|r| {
            let file = Path::new(&r.name)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            r.findings.iter().map(move |f: &Finding| {
                (
                    file.clone(),
                    f.code.id,
                    f.field.clone(),
                    f.severity,
                    f.subject.clone(),
                )
            })
        })
        .collect()
}

#[test]
fn every_platform_is_checked() {
    let (l, amd64, arm64) = two_platforms();
    let check = l.check();
    assert_eq!(check.reports.len(), 3);
    assert_eq!(check.manifests.len(), 3);
    assert_eq!(check.reports[1].kind, "oci-image-manifest");
    // B.1: 9 GiB is over 8 GB either way; D.4: the foreign layer is an error. Both on
    // the arm64 manifest, named by its platform. No index-sizes advice: the children
    // were followed.
    assert_eq!(
        all(&check),
        vec![
            (
                arm64.digest.clone(),
                "layer-over-8gb",
                "layers[0].size".into(),
                Severity::Error,
                Some("linux/arm64".into())
            ),
            (
                arm64.digest.clone(),
                "layer-foreign",
                "layers[1].mediaType".into(),
                Severity::Error,
                Some("linux/arm64".into())
            ),
        ]
    );
    assert!(check.reports[1].name.ends_with(&amd64.digest));
}

#[test]
fn a_tampered_manifest_blob_is_caught_by_its_digest() {
    let (l, amd64, _) = two_platforms();
    let path = l.blob_path(&amd64.digest);
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[0] = b' ';
    std::fs::write(&path, &bytes).unwrap();
    let check = l.check();
    let got = all(&check);
    assert!(
        got.contains(&(
            "index.json".into(),
            "layout-blob-digest-mismatch",
            "manifests[0].digest".into(),
            Severity::Error,
            Some("linux/amd64".into())
        )),
        "{got:#?}"
    );
    // The tampered manifest is not read, so only the index and arm64 are reported.
    assert_eq!(check.reports.len(), 2);
}

#[test]
fn missing_blobs_and_wrong_sizes() {
    let (l, amd64, _) = two_platforms();
    std::fs::remove_file(l.blob_path(&amd64.digest)).unwrap();
    let got = all(&l.check());
    assert!(
        got.iter().any(|g| g.0 == "index.json"
            && g.1 == "layout-blob-missing"
            && g.2 == "manifests[0].digest"
            && g.3 == Severity::Error),
        "{got:#?}"
    );

    let l = Layout::new();
    let config = l.config();
    let layer = l.blob(GZIP, b"layer bytes");
    let mut wrong = layer.clone();
    wrong.size += 1;
    let gone = Desc {
        digest: sha(b"not written"),
        ..layer.clone()
    };
    let m = l.manifest(&config, &[wrong, gone]);
    l.index(&[(m.clone(), "linux/amd64")]);
    let got = all(&l.check());
    assert!(
        got.contains(&(
            m.digest.clone(),
            "layout-blob-size-mismatch",
            "layers[0].size".into(),
            Severity::Error,
            Some("linux/amd64".into())
        )),
        "{got:#?}"
    );
    // A missing layer blob is a warning: the manifest is still checked.
    assert!(
        got.contains(&(
            m.digest.clone(),
            "layout-blob-missing",
            "layers[1].digest".into(),
            Severity::Warning,
            Some("linux/amd64".into())
        )),
        "{got:#?}"
    );
}

#[test]
fn missing_oci_layout_marker_warns() {
    let (l, _, _) = two_platforms();
    std::fs::remove_file(l.path().join("oci-layout")).unwrap();
    let got = all(&l.check());
    assert!(got.contains(&(
        "index.json".into(),
        "layout-marker",
        "oci-layout".into(),
        Severity::Warning,
        None
    )));
}

#[test]
fn nested_indexes_are_followed() {
    let l = Layout::new();
    let config = l.config();
    let big = l.sparse_layer("big", NINE_GIB);
    let m = l.manifest(&config, &[big]);
    let inner_text = Layout::index_text(&[(m, "linux/arm64")]);
    let inner = l.blob(
        "application/vnd.oci.image.index.v1+json",
        inner_text.as_bytes(),
    );
    l.index(&[(inner, "linux/arm64")]);
    let check = l.check();
    assert_eq!(check.reports.len(), 3);
    assert!(all(&check).iter().any(|g| g.1 == "layer-over-8gb"));
}

#[test]
fn the_number_of_descriptors_is_bounded() {
    let l = Layout::new();
    let config = l.config();
    let m = l.manifest(&config, &[]);
    let entries: Vec<(Desc, &str)> = (0..4100).map(|_| (m.clone(), "linux/amd64")).collect();
    l.index(&entries);
    let check = l.check();
    let got = all(&check);
    assert_eq!(
        got.iter()
            .filter(|g| g.1 == "layout-too-many-descriptors")
            .count(),
        1
    );
    // The shared manifest is read once.
    assert_eq!(check.reports.len(), 2);
}

#[test]
fn digests_outside_sha256_are_not_followed() {
    let l = Layout::new();
    let text = r#"{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
      "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 2,
      "digest": "sha512:00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"}]}"#;
    std::fs::write(l.path().join("index.json"), text).unwrap();
    let got = all(&l.check());
    assert!(
        got.iter().any(|g| g.1 == "layout-digest-algorithm"),
        "{got:#?}"
    );
}

#[test]
fn rendered_layout() {
    let (l, _, _) = two_platforms();
    let check = l.check();
    let outcome = Outcome {
        command: "manifest".into(),
        inputs: check.reports,
        ..Outcome::default()
    };
    let text = render::human(
        &outcome,
        HumanStyle {
            color: false,
            width: 80,
        },
        &check.secrets,
    );
    let dir = l.path().display().to_string();
    insta::assert_snapshot!(text.replace(&dir, "LAYOUT"));
}

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_acr-preflight"));
    cmd.args(["--color", "never", "--now", "2026-12-01T00:00:00Z"]);
    cmd
}

#[test]
fn binary_takes_a_layout_directory() {
    let (l, _, _) = two_platforms();
    let out = bin()
        .args(["--format", "json", "manifest"])
        .arg(l.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["inputs"].as_array().unwrap().len(), 3);
    assert_eq!(doc["counts"]["error"], 2);
    assert_eq!(doc["inputs"][2]["findings"][0]["subject"], "linux/arm64");

    let empty = tempfile::tempdir().unwrap();
    let out = bin().arg("manifest").arg(empty.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("index.json"));
}

#[test]
fn attestations_and_other_index_entries_are_not_read_as_images() {
    // OCI image-index.md: an unknown mediaType in `manifests` must not cause an error.
    // A build attestation is a manifest whose layers are in-toto statements.
    let l = Layout::new();
    let config = l.config();
    let layer = l.blob(GZIP, b"app layer");
    let image = l.manifest(&config, &[layer]);
    let statement = l.blob(
        "application/vnd.in-toto+json",
        br#"{"_type":"https://in-toto.io/Statement/v0.1"}"#,
    );
    let attestation = l.manifest(&config, &[statement]);
    let signature = l.blob("application/vnd.dev.cosign.simplesigning.v1+json", b"{}");
    l.index(&[
        (image, "linux/amd64"),
        (attestation, "unknown/unknown"),
        (signature, "unknown/unknown"),
    ]);
    let check = l.check();
    let got = all(&check);
    // Only the advice that one entry is not a manifest; nothing else.
    assert_eq!(got.len(), 1, "{got:#?}");
    assert_eq!(got[0].1, "manifest-media-type");
    assert_eq!(got[0].3, Severity::Advice);
    assert_eq!(check.reports.len(), 3);
}
