//! `acr-preflight check`: kinds told by content, one report, one exit code, and the
//! cross-checks between a pipeline and the token, secret and blobs given with it.
//!
//! Expected verdicts come from the ACR Transfer guides as the fact sheets quote them:
//! an export pipeline's token needs r, w, l, a; an import pipeline's needs r, l, and d
//! with DeleteSourceBlobOnSuccess; the source trigger skips blobs without ContentMD5,
//! without `category=acr-transfer-blob`, or older than 60 days.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_acr-preflight");
const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus");
const NOW_REAL: &str = "2026-12-04T16:00:00Z";

/// An import pipeline in SasToken mode with DeleteSourceBlobOnSuccess and the source
/// trigger on, shaped like the ARM GET body of the import-pipeline sample.
const IMPORT_SAS_DELETE: &str = r#"{
  "id": "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/contosoacrdst/importPipelines/importFromHighside",
  "name": "importFromHighside",
  "type": "Microsoft.ContainerRegistry/registries/importPipelines",
  "identity": { "type": "SystemAssigned" },
  "properties": {
    "source": {
      "type": "AzureStorageBlobContainer",
      "uri": "https://devstoreaccount1.blob.core.windows.net/transfer",
      "keyVaultUri": "https://contoso-kv-xfer.vault.azure.net/secrets/acrimportsas",
      "storageAccessMode": "SasToken"
    },
    "trigger": { "sourceTrigger": { "status": "Enabled" } },
    "options": ["OverwriteTags", "DeleteSourceBlobOnSuccess", "ContinueOnErrors"]
  }
}"#;

fn key_vault_secret(vault: &str, name: &str, token: &str) -> String {
    format!(
        r#"{{"attributes": {{"enabled": true}}, "contentType": null, "id": "https://{vault}.vault.azure.net/secrets/{name}/0123456789abcdef0123456789abcdef", "name": "{name}", "value": "{token}"}}"#
    )
}

fn corpus(file: &str) -> String {
    std::fs::read_to_string(Path::new(CORPUS).join(file)).unwrap()
}

fn kit(files: &[(&str, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn check_json(args: &[&str]) -> (Value, i32, String) {
    let out = Command::new(BIN)
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let doc: Value = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (doc, out.status.code().unwrap_or(-1), stdout)
}

/// (input name ending, code, field) of every finding.
fn findings(doc: &Value) -> Vec<(String, String, String)> {
    let mut all = Vec::new();
    for input in doc["inputs"].as_array().unwrap() {
        for f in input["findings"].as_array().unwrap() {
            all.push((
                input["name"].as_str().unwrap().to_string(),
                f["code"].as_str().unwrap().to_string(),
                f["field"].as_str().unwrap().to_string(),
            ));
        }
    }
    all
}

fn has(doc: &Value, file: &str, code: &str, field: &str) -> bool {
    findings(doc)
        .iter()
        .any(|(n, c, f)| n.ends_with(file) && c == code && f == field)
}

#[test]
fn the_real_corpus_is_read_whole_and_fails_on_its_broken_inputs() {
    let dir = format!("{CORPUS}/real");
    let (doc, code, _) = check_json(&["--now", NOW_REAL, &dir]);
    assert_eq!(code, 1);
    let kinds = &doc["summary"]["kinds"];
    assert_eq!(kinds["sas-token"], 4);
    assert_eq!(kinds["az-blob-list"], 1);
    assert_eq!(kinds["az-blob-show"], 2);
    assert_eq!(kinds["blob-headers"], 1);
    assert_eq!(kinds["list-blobs-xml"], 1);
    // Per the corpus README: the expired container token, and the blob without MD5.
    assert!(has(&doc, "tok-container-expired.sas", "sas-expired", "se"));
    assert!(has(
        &doc,
        "az-show-blocky-no-md5.json",
        "content-md5-missing",
        "contentMd5"
    ));
}

#[test]
fn a_lone_token_and_pipeline_are_matched_and_the_token_is_judged_for_export() {
    let dir = kit(&[
        (
            "export-pipeline.json",
            corpus("samples/export-pipeline.json"),
        ),
        ("exportsas.txt", corpus("real/tok-container-expired.sas")),
    ]);
    let (doc, code, _) = check_json(&["--now", NOW_REAL, dir.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    // An export pipeline's token needs w and a; `sp=rl` has neither.
    assert!(has(&doc, "exportsas.txt", "sas-pipeline-permissions", "sp"));
    assert_eq!(doc["summary"]["pairs"][0]["direction"], "export");
}

#[test]
fn delete_source_blob_on_success_needs_d_in_the_matched_token() {
    // tok-container-expired has sp=rl: enough for import, not with deletion.
    let token = corpus("real/tok-container-expired.sas").trim().to_string();
    let dir = kit(&[
        ("import-pipeline.json", IMPORT_SAS_DELETE.to_string()),
        (
            "acrimportsas.json",
            key_vault_secret("contoso-kv-xfer", "acrimportsas", &token),
        ),
    ]);
    let (doc, _, _) = check_json(&[
        "--now",
        "2026-10-01T00:00:00Z",
        dir.path().to_str().unwrap(),
    ]);
    assert!(
        has(&doc, "acrimportsas.json", "sas-pipeline-permissions", "sp"),
        "{doc:#}"
    );
    assert_eq!(doc["summary"]["pairs"][0]["by"], "its Key Vault secret URI");
}

#[test]
fn a_token_for_another_container_is_reported_on_the_pipeline_uri() {
    let dir = kit(&[
        (
            "export-pipeline.json",
            corpus("samples/export-pipeline.json"),
        ),
        ("url.sas", corpus("real/tok-blob-url.sas")),
    ]);
    let (doc, code, _) = check_json(&["--now", NOW_REAL, dir.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    // The token is for devstoreaccount1/transfer, the pipeline for contosoxfersrc/transfer.
    assert!(has(
        &doc,
        "export-pipeline.json",
        "check-token-url-mismatch",
        "properties.target.uri"
    ));
}

#[test]
fn a_key_vault_secret_other_than_the_one_the_pipeline_reads_is_reported() {
    let token = corpus("real/tok-account-export.sas").trim().to_string();
    let dir = kit(&[
        (
            "export-pipeline.json",
            corpus("samples/export-pipeline.json"),
        ),
        (
            "secret.json",
            key_vault_secret("other-kv", "acrimportsas", &token),
        ),
    ]);
    let (doc, _, _) = check_json(&["--now", NOW_REAL, dir.path().to_str().unwrap()]);
    assert!(has(
        &doc,
        "export-pipeline.json",
        "check-secret-mismatch",
        "properties.target.keyVaultUri"
    ));
    // The pair is made only because nothing else is left: the summary says so and
    // names the difference, instead of calling the token the pipeline's secret.
    let pair = &doc["summary"]["pairs"][0];
    assert_eq!(pair["by_elimination"], true);
    assert_eq!(pair["differs"], serde_json::json!(["secret"]));
    let out = Command::new(BIN)
        .args(["check", "--now", NOW_REAL, dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find(|l| l.starts_with("Matched"))
        .unwrap_or_default();
    assert!(line.starts_with("Matched by elimination: "), "{line}");
    assert!(
        line.ends_with("though the secret names differ (check-secret-mismatch)"),
        "{line}"
    );
    assert!(!line.contains("is the secret of"), "{line}");
}

#[test]
fn an_enabled_source_trigger_is_held_against_the_blobs_given() {
    let token = corpus("real/tok-container-export.sas").trim().to_string();
    let dir = kit(&[
        ("import-pipeline.json", IMPORT_SAS_DELETE.to_string()),
        (
            "acrimportsas.json",
            key_vault_secret("contoso-kv-xfer", "acrimportsas", &token),
        ),
        ("az-list.json", corpus("real/az-list.json")),
    ]);
    let (doc, code, _) = check_json(&["--now", NOW_REAL, dir.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(has(
        &doc,
        "import-pipeline.json",
        "check-trigger-blobs-not-ready",
        "properties.trigger.sourceTrigger.status"
    ));
    // az-list.json: one blob has no MD5, one has no category, one has category=backup.
    assert_eq!(doc["summary"]["blobs"]["total"], 5);
}

#[test]
fn a_token_beside_managed_identity_pipelines_is_unused() {
    let dir = kit(&[
        (
            "import-pipeline.json",
            corpus("samples/import-pipeline.json"),
        ),
        ("token.sas", corpus("real/tok-account-export.sas")),
    ]);
    let (doc, _, _) = check_json(&["--now", NOW_REAL, dir.path().to_str().unwrap()]);
    assert!(has(&doc, "token.sas", "check-token-unused", "token"));
}

#[test]
fn unknown_files_are_a_warning_when_named_and_skipped_when_walked() {
    let dir = kit(&[
        ("notes.txt", String::from("remember to rotate keys\n")),
        ("token.sas", corpus("real/tok-container-export.sas")),
    ]);
    let named = dir.path().join("notes.txt");
    let token = dir.path().join("token.sas");
    let (doc, code, _) = check_json(&[
        "--now",
        NOW_REAL,
        named.to_str().unwrap(),
        token.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(has(&doc, "notes.txt", "check-input-unrecognised", "input"));
    let (doc, code, _) = check_json(&["--now", NOW_REAL, dir.path().to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(doc["summary"]["skipped"].as_array().unwrap().len(), 1);
}

#[test]
fn a_folder_with_no_input_of_a_known_kind_cannot_pass() {
    let empty = tempfile::tempdir().unwrap();
    let notes = kit(&[("notes.txt", String::from("remember to rotate keys\n"))]);
    for (dir, skipped) in [
        (&empty, ""),
        (&notes, " (1 file of no known kind was skipped)"),
    ] {
        let path = dir.path().to_str().unwrap();
        let out = Command::new(BIN).args(["check", path]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{path}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!("no input found under {path}{skipped}")),
            "{stderr}"
        );
    }
    let named = notes.path().join("notes.txt");
    let out = Command::new(BIN)
        .args(["check", named.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn summary_lines_use_the_singular_for_one() {
    let dir = kit(&[
        ("notes.txt", String::from("remember to rotate keys\n")),
        ("token.sas", corpus("real/tok-container-export.sas")),
    ]);
    let out = Command::new(BIN)
        .args(["check", "--now", NOW_REAL, dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Checked 1 input: 1 sas-token"), "{stdout}");
    assert!(
        stdout.contains("Skipped 1 file of no known kind:"),
        "{stdout}"
    );
}

#[test]
fn a10_key_value_files_in_a_folder_are_skipped_not_read_as_header_dumps() {
    let dir = kit(&[
        (
            "config.yaml",
            String::from("registry: myacr\nimage: app:1.0\n"),
        ),
        ("B01.expect", corpus("cases/B01.expect")),
        ("token.sas", corpus("real/tok-container-export.sas")),
    ]);
    let (doc, code, _) = check_json(&["--now", NOW_REAL, dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["summary"]["skipped"].as_array().unwrap().len(), 2);
    assert!(doc["summary"]["kinds"].get("blob-headers").is_none());
}

#[test]
fn a_missing_path_cannot_run() {
    let (_, code, _) = check_json(&["/nonexistent/acr-preflight-kit"]);
    assert_eq!(code, 2);
}

#[test]
fn no_signature_of_the_corpus_reaches_any_output() {
    let dir = format!("{CORPUS}/real");
    let mut signatures = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        if let Some(sig) = text.split("sig=").nth(1) {
            let sig = sig.trim().to_string();
            signatures.push(
                sig.replace("%2B", "+")
                    .replace("%2F", "/")
                    .replace("%3D", "="),
            );
            signatures.push(sig);
        }
    }
    assert!(!signatures.is_empty());
    for format in ["human", "json"] {
        let out = Command::new(BIN)
            .args(["check", "--now", NOW_REAL, "--format", format, &dir])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        for sig in &signatures {
            assert!(
                !text.contains(sig.as_str()),
                "{format} output shows a signature"
            );
        }
    }
}

#[test]
fn rendered_export_kit() {
    use acr_preflight::check::{self, CheckOptions};
    use acr_preflight::context::Context;
    use acr_preflight::diag::render::{self, HumanStyle};

    let dir = kit(&[
        (
            "export-pipeline.json",
            corpus("samples/export-pipeline.json"),
        ),
        ("exportsas.txt", corpus("real/tok-container-expired.sas")),
    ]);
    let now = chrono::DateTime::parse_from_rfc3339(NOW_REAL)
        .unwrap()
        .to_utc();
    let run = check::run(
        &[dir.path().display().to_string()],
        &CheckOptions::default(),
        &Context::pinned(now),
    )
    .unwrap();
    let style = HumanStyle {
        color: false,
        width: 80,
    };
    let text = render::human(&run.outcome, style, &run.secrets);
    let text = text.replace(&dir.path().display().to_string(), "KIT");
    insta::assert_snapshot!(text);
}

/// Runs the binary, killing it if it has not ended within ten seconds.
#[cfg(unix)]
fn run_with_deadline(args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::time::Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            let out = child.wait_with_output().unwrap();
            return (
                out.status.code(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    (None, String::from("timed out"))
}

#[cfg(unix)]
#[test]
fn a12_a_named_fifo_is_refused_before_it_is_opened() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let fifo = fifo.to_str().unwrap();
    for args in [
        vec!["check", fifo],
        vec!["manifest", fifo],
        vec!["blob", fifo],
        vec!["pipeline", fifo],
        vec!["sas", "--file", fifo],
    ] {
        let (code, stderr) = run_with_deadline(&args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("not a regular file"), "{args:?}: {stderr}");
    }
    // Found in a walk, it is passed over and named, not opened.
    std::fs::write(
        dir.path().join("token.sas"),
        corpus("real/tok-container-export.sas"),
    )
    .unwrap();
    let (doc, code, _) = check_json(&["--now", NOW_REAL, dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{doc}");
    let passed_over = doc["summary"]["passed_over"].to_string();
    assert!(passed_over.contains("named pipe"), "{passed_over}");
}

#[test]
fn content_dir_with_no_matching_file_says_0_of_n() {
    let kit = kit(&[("listing.json", corpus("real/az-list.json"))]);
    let copies = tempfile::tempdir().unwrap();
    std::fs::write(copies.path().join("unrelated.bin"), b"x").unwrap();
    let out = Command::new(BIN)
        .args([
            "check",
            "--now",
            NOW_REAL,
            "--content-dir",
            copies.path().to_str().unwrap(),
            kit.path().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("MD5 of local files compared for 0 of 5 blobs"),
        "{stdout}"
    );
}

#[test]
fn one_blob_given_is_counted_in_the_singular() {
    let token = corpus("real/tok-container-export.sas").trim().to_string();
    let dir = kit(&[
        ("import-pipeline.json", IMPORT_SAS_DELETE.to_string()),
        (
            "acrimportsas.json",
            key_vault_secret("contoso-kv-xfer", "acrimportsas", &token),
        ),
        ("blob.json", corpus("real/az-show-blocky-no-md5.json")),
    ]);
    let (doc, _, _) = check_json(&["--now", NOW_REAL, dir.path().to_str().unwrap()]);
    let message = doc["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["findings"].as_array().unwrap())
        .find(|f| f["code"] == "check-trigger-blobs-not-ready")
        .map(|f| f["message"].as_str().unwrap().to_string())
        .unwrap();
    assert!(message.contains("1 of the 1 blob given"), "{message}");
}
