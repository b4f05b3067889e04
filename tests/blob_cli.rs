//! `acr-preflight blob` as a program: exit codes, standard input, the JSON document.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn corpus(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(path)
}

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_acr-preflight"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or_default()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn path(p: &str) -> String {
    corpus(p).display().to_string()
}

#[test]
fn exit_status_follows_the_findings() {
    let ok = run(
        &[
            "--now",
            "2026-12-04T16:00:00Z",
            "blob",
            &path("real/az-show-run-2026-12-01.json"),
        ],
        None,
    );
    assert_eq!(ok.status.code(), Some(0));
    let text = String::from_utf8(ok.stdout).unwrap();
    assert!(
        text.contains("ready        exports/run-2026-12-01.tar"),
        "{text}"
    );
    assert!(text.contains("PASS"), "{text}");
    let bad = run(
        &[
            "--now",
            "2026-12-04T16:00:00Z",
            "blob",
            &path("real/az-list.json"),
        ],
        None,
    );
    assert_eq!(bad.status.code(), Some(1));
    let missing = run(&["blob", "/nonexistent/dump.json"], None);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        String::from_utf8(missing.stderr)
            .unwrap()
            .contains("cannot read")
    );
}

#[test]
fn reads_standard_input() {
    let text = std::fs::read(corpus("real/head-run.http")).unwrap();
    for args in [
        &["--now", "2026-12-04T16:00:00Z", "blob"][..],
        &["--now", "2026-12-04T16:00:00Z", "blob", "-"][..],
    ] {
        let out = run(args, Some(&text));
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

#[test]
fn input_format_overrides_detection() {
    let text = b"Content-MD5: d41d8cd98f00b204e9800998ecf8427e\nLast-Modified: Mon, 30 Nov \
        2026 00:00:00 GMT\nx-ms-meta-category: acr-transfer-blob\n";
    let out = run(
        &[
            "--now",
            "2026-12-01T00:00:00Z",
            "--format",
            "json",
            "blob",
            "--input-format",
            "headers",
        ],
        Some(text),
    );
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["inputs"][0]["kind"], "blob-headers");
    assert_eq!(doc["inputs"][0]["findings"][0]["code"], "content-md5-hex");
}

#[test]
fn json_document_has_the_shared_shape() {
    let out = run(
        &[
            "--now",
            "2026-03-10T00:00:00Z",
            "--format",
            "json",
            "blob",
            &path("samples/az-blob-list.json"),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["command"], "blob");
    assert_eq!(doc["ok"], false);
    assert_eq!(doc["summary"]["blobs"], 3);
    assert_eq!(doc["summary"]["ready"], 1);
    assert_eq!(doc["summary"]["notReady"], 2);
    assert_eq!(doc["summary"]["byReason"]["last-modified-too-old"], 1);
    let finding = &doc["inputs"][0]["findings"][0];
    for key in [
        "code", "severity", "field", "subject", "message", "help", "span",
    ] {
        assert!(!finding[key].is_null(), "{key}");
    }
    for key in ["offset", "length", "line", "column"] {
        assert!(finding["span"][key].is_u64(), "{key}");
    }
    assert_eq!(doc["inputs"][0]["details"]["format"], "az-blob-list");
}

#[test]
fn content_needs_a_one_blob_dump() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x");
    std::fs::write(&file, b"abc").unwrap();
    let out = run(
        &[
            "blob",
            "--content",
            &file.display().to_string(),
            &path("real/az-list.json"),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let missing = run(
        &[
            "blob",
            "--content",
            "/nonexistent/file",
            &path("real/head-run.http"),
        ],
        None,
    );
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn content_mismatch_fails_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x");
    std::fs::write(&file, b"not the blob").unwrap();
    let out = run(
        &[
            "--now",
            "2026-12-04T16:00:00Z",
            "blob",
            "--content",
            &file.display().to_string(),
            &path("real/head-run.http"),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("content-md5-mismatch")
    );
}

#[test]
fn a_signature_in_a_copy_source_never_reaches_the_output() {
    let sig = "c2VjcmV0LXNpZ25hdHVyZS12YWx1ZQ%3D%3D";
    let dump = format!(
        r#"{{"name": "b.tar", "metadata": {{}}, "properties": {{
  "copy": {{"source": "https://src.blob.core.windows.net/t/b.tar?sv=2022-11-02&sr=b&sp=r&sig={sig}"}},
  "contentSettings": {{"contentMd5": null}},
  "lastModified": "2026-11-30T00:00:00+00:00"}}}}"#
    );
    let xml = format!(
        "<EnumerationResults><Blobs><Blob><Name>b</Name><Properties>\
         <CopySource>https://src/t/b?sv=1&amp;sig={sig}</CopySource><Content-MD5 />\
         </Properties><Metadata /></Blob></Blobs></EnumerationResults>"
    );
    for text in [dump, xml] {
        for format in ["human", "json"] {
            let out = run(
                &["--now", "2026-12-01T00:00:00Z", "--format", format, "blob"],
                Some(text.as_bytes()),
            );
            assert_eq!(out.status.code(), Some(1));
            let printed = String::from_utf8(out.stdout).unwrap();
            assert!(printed.contains("content-md5-missing"), "{printed}");
            assert!(!printed.contains("c2VjcmV0"), "{printed}");
        }
    }
}

#[test]
fn several_dumps_in_one_run() {
    let out = run(
        &[
            "--now",
            "2026-12-04T16:00:00Z",
            "--format",
            "json",
            "blob",
            &path("real/az-show-run-2026-12-01.json"),
            &path("real/head-run.http"),
            &path("real/az-list.json"),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["blobs"], 7);
    assert_eq!(doc["summary"]["ready"], 4);
    assert_eq!(doc["summary"]["notReady"], 3);
}

/// Fault: the `blob` command dropped the signatures its check had found, so the
/// renderer's last scrub knew none of them (masking the text alone hid them).
#[test]
fn blob_command_hands_copy_source_signatures_to_the_renderer() {
    use acr_preflight::cli::{self, Cli};
    use acr_preflight::context::Context;
    use clap::Parser;

    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("head.http");
    std::fs::write(
        &dump,
        "HTTP/1.1 200 OK\r\nLast-Modified: Mon, 30 Nov 2026 10:15:02 GMT\r\n\
         x-ms-copy-source: https://src.blob.core.windows.net/t/b?sv=2022-11-02&sr=b&sp=r&sig=c2VjcmV0LXNpZ25hdHVyZS12YWx1ZQ%3D%3D\r\n\
         x-ms-meta-category: acr-transfer-blob\r\n\r\n",
    )
    .unwrap();
    let args = ["acr-preflight", "blob", dump.to_str().unwrap()];
    let cli = Cli::try_parse_from(args).unwrap();
    let now = chrono::DateTime::parse_from_rfc3339("2026-12-01T00:00:00Z").unwrap();
    let run = cli::run(&cli, &Context::pinned(now.to_utc())).unwrap();
    let scrubbed = run
        .secrets
        .scrub("sig=c2VjcmV0LXNpZ25hdHVyZS12YWx1ZQ%3D%3D");
    assert!(!scrubbed.contains("c2VjcmV0"), "{scrubbed}");
}

#[test]
fn content_dir_with_no_matching_file_says_0_of_n() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("unrelated.bin"), b"x").unwrap();
    let out = run(
        &[
            "--now",
            "2026-12-04T16:00:00Z",
            "blob",
            "--content-dir",
            dir.path().to_str().unwrap(),
            &path("real/az-show-run-2026-12-01.json"),
        ],
        None,
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("MD5 of local files compared for 0 of 1 blob: no file under"),
        "{text}"
    );
}
