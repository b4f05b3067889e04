//! OCI image layout directories (`oci-layout`, `index.json`, `blobs/<alg>/<hash>`), as
//! `skopeo copy … oci:DIR` writes them.
//!
//! The index is followed to every manifest it names, nested indexes included; every
//! manifest and config blob read is hashed and compared with its digest, and layer
//! blobs are checked for presence and length only (hashing gigabytes of layers is not
//! this tool's job). Following is bounded: at most [`MAX_DESCRIPTORS`] descriptors, no
//! manifest blob over [`MAX_BLOB_BYTES`], and an index that refers back to itself is a
//! finding, not a loop. Blob paths are built only from well-formed sha256 digests, so a
//! digest cannot lead outside the directory.

use std::fs;
use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};

use super::model::{
    DOCKER_LIST, DOCKER_MANIFEST, Descriptor, Field, Manifest, OCI_INDEX, OCI_MANIFEST, Size,
};
use super::reference::digest;
use super::rules::{self, RuleOptions};
use super::{ManifestCheck, check_with, codes};
use crate::context::Context;
use crate::diag::{Finding, InputReport, Severity};
use crate::input::{self, Origin, ReadError};
use crate::secret::Secrets;

/// Most descriptors followed in one layout (index entries, configs and layers).
pub const MAX_DESCRIPTORS: usize = 4096;
/// Largest manifest or index blob read; registries refuse manifests far smaller.
pub const MAX_BLOB_BYTES: u64 = 8 * 1024 * 1024;

/// What checking a layout directory found: one report per JSON file read.
#[derive(Debug, Clone, Default)]
pub struct LayoutCheck {
    /// `index.json` first, then each manifest blob in the order it was reached.
    pub reports: Vec<InputReport>,
    /// The manifests read, with the platform that led to each.
    pub manifests: Vec<(Option<String>, Manifest)>,
    /// Secrets seen in any file.
    pub secrets: Secrets,
}

/// A manifest blob still to read: which report names it, where, and for what platform.
struct Pending {
    parent: usize,
    descriptor: Descriptor,
    platform: Option<String>,
}

/// Checks an OCI image layout directory. Fails (exit 2) only when `index.json` cannot
/// be read; everything else is a finding.
pub fn check_layout(dir: &Path, _ctx: &Context) -> Result<LayoutCheck, ReadError> {
    let index_path = dir.join("index.json");
    let bytes = read_limited(&index_path)?;
    let name = index_path.display().to_string();
    let first = check_with(
        &name,
        &input::decode(&bytes),
        RuleOptions {
            children_checked: true,
        },
    );
    let mut walk = Walk {
        dir,
        out: LayoutCheck::default(),
        followed: 0,
        done: Vec::new(),
        platform: None,
    };
    let pending = walk.add(first, None);
    if let Some(f) = marker_finding(dir) {
        if let Some(report) = walk.out.reports.first_mut() {
            report.findings.push(f);
        }
    }
    walk.run(pending);
    Ok(walk.out)
}

/// `oci-layout` must exist and say `{"imageLayoutVersion": "1.0.0"}`.
fn marker_finding(dir: &Path) -> Option<Finding> {
    let text = fs::read_to_string(dir.join("oci-layout")).ok();
    let version = text
        .as_deref()
        .and_then(|t| crate::json::parse(t).ok())
        .and_then(|n| {
            n.get("imageLayoutVersion")
                .and_then(|v| v.as_str().map(str::to_string))
        });
    let message = match (&text, version.as_deref()) {
        (_, Some("1.0.0")) => return None,
        (None, _) => String::from("the directory has no oci-layout file"),
        (Some(_), Some(v)) => format!("oci-layout says imageLayoutVersion {v}, not 1.0.0"),
        (Some(_), None) => String::from("oci-layout has no imageLayoutVersion"),
    };
    Some(
        Finding::new(codes::LAYOUT_MARKER, "oci-layout", 0..1)
            .message(message)
            .help("an OCI image layout has an oci-layout file with {\"imageLayoutVersion\": \"1.0.0\"}; write it with skopeo copy … oci:DIR"),
    )
}

struct Walk<'a> {
    dir: &'a Path,
    out: LayoutCheck,
    followed: usize,
    /// Digests of manifests already read, so one shared by platforms is read once.
    done: Vec<String>,
    /// The platform whose descriptors are being followed, for findings' subjects.
    platform: Option<String>,
}

impl Walk<'_> {
    /// Records a checked file and queues what it refers to.
    fn add(&mut self, check: ManifestCheck, platform: Option<String>) -> Vec<Pending> {
        let index = self.out.reports.len();
        let mut report = check.report;
        if let Some(p) = &platform {
            for f in &mut report.findings {
                if f.subject.is_none() {
                    f.subject = Some(p.clone());
                }
            }
            for note in &mut report.notes {
                *note = format!("{p}: {note}");
            }
        }
        self.out.reports.push(report);
        self.out.secrets.extend(&check.secrets);
        let mut next = Vec::new();
        if let Some(m) = check.manifest {
            for d in &m.manifests {
                next.push(Pending {
                    parent: index,
                    descriptor: d.clone(),
                    platform: d.platform.clone().or_else(|| platform.clone()),
                });
            }
            self.platform = platform.clone();
            for d in m.config.iter().chain(&m.layers) {
                self.check_plain_blob(index, d);
            }
            self.out.manifests.push((platform, m));
        }
        next
    }

    /// Follows index entries depth first, with an explicit stack.
    fn run(&mut self, pending: Vec<Pending>) {
        let mut stack: Vec<Pending> = pending.into_iter().rev().collect();
        while let Some(p) = stack.pop() {
            self.platform = p.platform.clone();
            if !is_manifest_entry(&p.descriptor) {
                // OCI allows any media type in an index; only manifests are read.
                self.check_plain_blob(p.parent, &p.descriptor);
                continue;
            }
            if !self.count(p.parent, &p.descriptor) {
                return;
            }
            stack.extend(self.follow(p).into_iter().rev());
        }
    }

    /// Counts one descriptor; false (with a finding) once the bound is passed.
    fn count(&mut self, parent: usize, d: &Descriptor) -> bool {
        self.followed += 1;
        if self.followed <= MAX_DESCRIPTORS {
            return true;
        }
        let f = Finding::new(
            codes::LAYOUT_TOO_MANY,
            d.path.clone(),
            d.span.start..d.span.start + 1,
        )
        .message(format!(
            "the layout has more than {MAX_DESCRIPTORS} descriptors; the rest is not checked"
        ))
        .help("check the images one at a time");
        self.push(parent, f);
        false
    }

    /// Adds a layout finding to a report, naming the platform being followed.
    fn push(&mut self, report: usize, mut finding: Finding) {
        if finding.subject.is_none() {
            finding.subject = self.platform.clone();
        }
        if let Some(r) = self.out.reports.get_mut(report) {
            r.findings.push(finding);
        }
    }

    /// Reads one manifest blob named by an index entry and returns its own entries.
    fn follow(&mut self, p: Pending) -> Vec<Pending> {
        let Some((hex, digest_span)) = self.sha256_of(p.parent, &p.descriptor) else {
            return Vec::new();
        };
        if self.done.contains(&hex) {
            return Vec::new();
        }
        self.done.push(hex.clone());
        let Some(bytes) = self.read_blob(p.parent, &p.descriptor, &hex, digest_span, true) else {
            return Vec::new();
        };
        let name = self.blob_path(&hex).display().to_string();
        let check = check_with(
            &name,
            &input::decode(&bytes),
            RuleOptions {
                children_checked: true,
            },
        );
        self.add(check, p.platform)
    }

    /// Config and layer blobs: present and of the right length; a config is also
    /// hashed. A foreign layer's blob is not expected in the layout.
    fn check_plain_blob(&mut self, parent: usize, d: &Descriptor) {
        if !self.count(parent, d) {
            return;
        }
        if d.media_type.value().is_some_and(|t| rules::is_foreign(t)) {
            return;
        }
        let Some((hex, span)) = self.sha256_of(parent, d) else {
            return;
        };
        let is_config = d.path == "config";
        let path = self.blob_path(&hex);
        let Ok(meta) = fs::metadata(&path) else {
            let severity = if is_config {
                Severity::Error
            } else {
                Severity::Warning
            };
            self.push(parent, missing_blob(d, span, &hex).severity(severity));
            return;
        };
        if let Some(f) = size_mismatch(d, meta.len(), span.clone()) {
            self.push(parent, f);
            return;
        }
        if is_config {
            self.read_blob(parent, d, &hex, span, false);
        }
    }

    /// The sha256 hex of a descriptor's digest, or a finding when the blob cannot be
    /// looked up (malformed digest: already reported by the manifest rules).
    fn sha256_of(&mut self, parent: usize, d: &Descriptor) -> Option<(String, Range<usize>)> {
        let Field::Present { value, span } = &d.digest else {
            return None;
        };
        let parsed = digest(value).ok()?;
        if parsed.algorithm != "sha256" {
            let f = Finding::new(
                codes::LAYOUT_ALGORITHM,
                format!("{}.digest", d.path),
                span.clone(),
            )
            .message(format!(
                "digest algorithm {} is not followed; only sha256 blobs are read",
                parsed.algorithm
            ))
            .label("not sha256");
            self.push(parent, f);
            return None;
        }
        Some((parsed.encoded, span.clone()))
    }

    fn blob_path(&self, hex: &str) -> PathBuf {
        self.dir.join("blobs").join("sha256").join(hex)
    }

    /// Reads a small blob whole, checking presence, length and hash.
    fn read_blob(
        &mut self,
        parent: usize,
        d: &Descriptor,
        hex: &str,
        span: Range<usize>,
        is_manifest: bool,
    ) -> Option<Vec<u8>> {
        let path = self.blob_path(hex);
        let bytes = match read_limited(&path) {
            Ok(bytes) => bytes,
            Err(e) => {
                let f = if fs::metadata(&path).is_err() {
                    missing_blob(d, span, hex)
                } else {
                    Finding::new(
                        codes::LAYOUT_BLOB_TOO_LARGE,
                        format!("{}.digest", d.path),
                        span,
                    )
                    .message(format!("blob cannot be read: {}", e.message))
                    .help("a manifest or config blob is a few kilobytes; this blob is not one")
                };
                self.push(parent, f);
                return None;
            }
        };
        if let Some(f) = size_mismatch(d, bytes.len() as u64, span.clone()) {
            self.push(parent, f);
        }
        let actual = hex_string(&Sha256::digest(&bytes));
        if actual != hex {
            let f = Finding::new(
                codes::LAYOUT_DIGEST_MISMATCH,
                format!("{}.digest", d.path),
                span,
            )
            .message(format!(
                "blob's sha256 is {actual}, not the digest that names it"
            ))
            .help("the layout is damaged or was edited by hand; copy the image again")
            .label("does not match the content");
            self.push(parent, f);
            return None;
        }
        is_manifest.then_some(bytes)
    }
}

/// True for an index entry that is a manifest or an index (or says nothing).
fn is_manifest_entry(d: &Descriptor) -> bool {
    d.media_type.value().is_none_or(|t| {
        [DOCKER_MANIFEST, DOCKER_LIST, OCI_MANIFEST, OCI_INDEX].contains(&t.as_str())
    })
}

fn missing_blob(d: &Descriptor, span: Range<usize>, hex: &str) -> Finding {
    Finding::new(
        codes::LAYOUT_BLOB_MISSING,
        format!("{}.digest", d.path),
        span,
    )
    .message(format!("blobs/sha256/{hex} is not in the layout"))
    .help("copy the image again with all its blobs (skopeo copy --all docker://IMAGE oci:DIR)")
    .label("no such blob")
}

fn size_mismatch(d: &Descriptor, actual: u64, span: Range<usize>) -> Option<Finding> {
    let Some(Size::Bytes(expected)) = d.size.value() else {
        return None;
    };
    (*expected != actual).then(|| {
        Finding::new(
            codes::LAYOUT_SIZE_MISMATCH,
            format!("{}.size", d.path),
            d.size.span().unwrap_or(span),
        )
        .message(format!(
            "descriptor says {expected} bytes but the blob has {actual}"
        ))
        .help("the layout is damaged or was edited by hand; copy the image again")
        .label("wrong size")
    })
}

fn hex_string(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads a file whole, refusing anything over [`MAX_BLOB_BYTES`].
fn read_limited(path: &Path) -> Result<Vec<u8>, ReadError> {
    let fail = |message: String| ReadError {
        origin: Origin::File(path.display().to_string()),
        message,
    };
    let file = input::open_file(path)?;
    let mut bytes = Vec::new();
    file.take(MAX_BLOB_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(e.to_string()))?;
    if bytes.len() as u64 > MAX_BLOB_BYTES {
        return Err(fail(format!(
            "larger than {} MiB",
            MAX_BLOB_BYTES / (1024 * 1024)
        )));
    }
    Ok(bytes)
}
