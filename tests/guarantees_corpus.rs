//! The guarantees, held on the whole corpus (`tests/corpus/**`) through the binary:
//!
//! - no signature in any output: every corpus input through every command (`sas
//!   --file`, `blob`, `manifest`, `pipeline`, `check`), and `check` on each corpus
//!   folder, in both output formats; the output must not hold any signature of the
//!   input, as written or percent-decoded;
//! - no network: the same runs inside a network namespace with no interface but a
//!   down loopback give the same output and exit status as outside, and the tree of
//!   crates built into the binary (`cargo tree`) holds no networking crate;
//! - inputs are never modified, with the flags a user gives: `sas --file`, `blob FILE`,
//!   `blob --content F`, `manifest DIR` on an OCI image layout, `pipeline FILE`,
//!   `check DIR`.
//!
//! Signatures are found by `invariants::commands::query_signatures`, the same finder
//! the fuzz targets use, which does not share code with the masking under test.

// Skipped checks say why on stderr.
#![allow(clippy::print_stderr)]

mod common;

use common::no_network_prefix;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

use acr_preflight::invariants::commands::query_signatures;
use sha2::{Digest, Sha256};

const BIN: &str = env!("CARGO_BIN_EXE_acr-preflight");

/// The clock of every run: the day the real corpus was made.
const NOW: &str = "2026-12-04T16:00:00Z";

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// Every corpus input: files of `real/`, `samples/` and `cases/` but the READMEs and
/// the `.expect` verdicts.
fn corpus_inputs() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for folder in ["real", "samples", "cases"] {
        let entries = fs::read_dir(corpus_dir().join(folder)).expect("a corpus folder");
        for entry in entries {
            let path = entry.expect("a folder entry").path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if path.is_file() && !name.ends_with(".md") && !name.ends_with(".expect") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The argument lists that read `path`, one per command.
fn commands_on(path: &str) -> Vec<Vec<String>> {
    let lists: [&[&str]; 5] = [
        &["sas", "--file", path],
        &["blob", path],
        &["manifest", path],
        &["pipeline", path],
        &["check", path],
    ];
    lists
        .iter()
        .map(|l| l.iter().map(|s| s.to_string()).collect())
        .collect()
}

/// Every run of the corpus: each input through each command, and `check` on each
/// corpus folder and on the whole corpus, each with the signatures of what it reads.
fn corpus_runs() -> Vec<(Vec<String>, Vec<String>)> {
    let mut runs = Vec::new();
    let mut by_folder: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    for path in corpus_inputs() {
        let text = String::from_utf8_lossy(&fs::read(&path).expect("a corpus file")).into_owned();
        let signatures = query_signatures(&text);
        let folder = path.parent().expect("a folder").to_path_buf();
        by_folder
            .entry(folder)
            .or_default()
            .extend(signatures.iter().cloned());
        for args in commands_on(path.to_str().expect("a UTF-8 path")) {
            runs.push((args, signatures.clone()));
        }
    }
    let mut all = Vec::new();
    for (folder, signatures) in by_folder {
        all.extend(signatures.iter().cloned());
        let folder = folder.to_str().expect("a UTF-8 path").to_string();
        runs.push((vec![String::from("check"), folder], signatures));
    }
    let root = corpus_dir().to_str().expect("a UTF-8 path").to_string();
    runs.push((vec![String::from("check"), root], all));
    runs
}

fn run(prefix: &[&str], format: &str, args: &[String]) -> Output {
    let (program, before) = match prefix.split_first() {
        Some((program, rest)) => (*program, rest.iter().map(|s| s.to_string()).collect()),
        None => (BIN, Vec::new()),
    };
    let mut command = Command::new(program);
    command.args(before);
    if !prefix.is_empty() {
        command.arg(BIN);
    }
    command
        .args(["--now", NOW, "--color", "never", "--format", format])
        .args(args)
        .output()
        .expect("the binary runs")
}

#[test]
fn no_signature_in_any_output_of_the_corpus() {
    let runs = corpus_runs();
    let signatures: usize = runs.iter().map(|(_, s)| s.len()).sum();
    assert!(
        signatures >= 10,
        "the corpus should hold signatures to look for; found {signatures}"
    );
    for (args, signatures) in &runs {
        for format in ["human", "json"] {
            let output = run(&[], format, args);
            assert!(
                matches!(output.status.code(), Some(0..=2)),
                "{args:?} ({format}) ended with {:?}",
                output.status
            );
            let shown = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            for signature in signatures {
                assert!(
                    !shown.contains(signature.as_str()),
                    "{args:?} ({format}) shows the signature {signature:?}"
                );
            }
        }
    }
}

#[test]
fn every_corpus_run_is_the_same_without_a_network() {
    let Some(prefix) = no_network_prefix() else {
        eprintln!(
            "SKIPPED every_corpus_run_is_the_same_without_a_network: this machine does not \
             permit `unshare -n` or `unshare -rn`"
        );
        return;
    };
    for (args, _) in corpus_runs() {
        for format in ["human", "json"] {
            let outside = run(&[], format, &args);
            let inside = run(&prefix, format, &args);
            assert_eq!(
                (inside.status.code(), &inside.stdout),
                (outside.status.code(), &outside.stdout),
                "{args:?} ({format}) differs without a network:\n{}",
                String::from_utf8_lossy(&inside.stderr)
            );
        }
    }
}

/// Crates that open sockets, speak HTTP or TLS, resolve names or drive network I/O.
const NETWORK_CRATES: &[&str] = &[
    "async-std",
    "attohttpc",
    "curl",
    "curl-sys",
    "h2",
    "h3",
    "hickory-resolver",
    "http",
    "hyper",
    "hyper-util",
    "isahc",
    "mio",
    "native-tls",
    "openssl",
    "openssl-sys",
    "quinn",
    "reqwest",
    "ring",
    "rustls",
    "socket2",
    "surf",
    "tokio",
    "trust-dns-resolver",
    "tungstenite",
    "ureq",
];

/// The crates built into the binary, as `cargo tree` resolves them for this platform
/// (normal and build dependencies; test-only crates are not in the binary).
#[test]
fn the_built_tree_holds_no_networking_crate() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| String::from("cargo"));
    let output = Command::new(cargo)
        .args([
            "tree",
            "--offline",
            "--edges",
            "normal,build",
            "--prefix",
            "none",
            "--format",
            "{p}",
            "--package",
            "acr-preflight",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    assert!(output.status.success(), "cargo tree failed: {output:?}");
    let tree = String::from_utf8_lossy(&output.stdout);
    let crates: Vec<&str> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(
        crates.contains(&"acr-preflight") && crates.contains(&"miette"),
        "cargo tree was not read as expected:\n{tree}"
    );
    let found: Vec<&&str> = crates
        .iter()
        .filter(|c| NETWORK_CRATES.contains(c))
        .collect();
    assert!(found.is_empty(), "networking crates built in: {found:?}");
}

/// Every file under `dir` (or `dir` itself when a file): bytes, time, permissions.
fn state(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime, fs::Permissions)> {
    let mut found = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        let meta = fs::metadata(&path).expect("readable");
        if meta.is_dir() {
            for entry in fs::read_dir(&path).expect("a folder") {
                stack.push(entry.expect("an entry").path());
            }
            found.insert(
                path,
                (Vec::new(), meta.modified().unwrap(), meta.permissions()),
            );
        } else {
            let bytes = fs::read(&path).expect("readable");
            found.insert(path, (bytes, meta.modified().unwrap(), meta.permissions()));
        }
    }
    found
}

/// Sets every file's time under `dir` to 2001-09-09, so even a rewrite of the same
/// bytes shows.
fn age(dir: &Path) {
    let past = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    for path in state(dir).keys() {
        if path.is_file() {
            fs::File::options()
                .write(true)
                .open(path)
                .and_then(|f| f.set_modified(past))
                .expect("the time can be set");
        }
    }
}

/// Runs `args` (in which `{}` is `target`) in both formats, and fails unless nothing
/// under `watched` changed.
fn assert_untouched(watched: &Path, target: &Path, args: &[&str]) {
    age(watched);
    let before = state(watched);
    let target = target.to_str().expect("a UTF-8 path");
    let args: Vec<String> = args
        .iter()
        .map(|a| if *a == "{}" { target } else { a }.to_string())
        .collect();
    for format in ["human", "json"] {
        let output = run(&[], format, &args);
        assert!(
            matches!(output.status.code(), Some(0..=2)),
            "{args:?}: {output:?}"
        );
        assert!(
            state(watched) == before,
            "{args:?} ({format}) changed its input"
        );
    }
}

fn copy_corpus(file: &str, into: &Path) -> PathBuf {
    let source = corpus_dir().join(file);
    let target = into.join(source.file_name().expect("a name"));
    fs::copy(&source, &target).expect("a copy");
    target
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An OCI image layout with one image whose manifest has a foreign layer.
fn oci_layout(dir: &Path) {
    let blobs = dir.join("blobs/sha256");
    fs::create_dir_all(&blobs).expect("a folder");
    fs::write(dir.join("oci-layout"), r#"{"imageLayoutVersion": "1.0.0"}"#).unwrap();
    let write = |bytes: &[u8]| {
        let hex = sha256(bytes);
        fs::write(blobs.join(&hex), bytes).unwrap();
        (hex, bytes.len())
    };
    let (config, config_size) = write(br#"{"architecture":"amd64","os":"linux"}"#);
    let (layer, layer_size) = write(b"layer bytes");
    let manifest = format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:{config}","size":{config_size}}},"layers":[{{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:{layer}","size":{layer_size}}}]}}"#
    );
    let (manifest, manifest_size) = write(manifest.as_bytes());
    let index = format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:{manifest}","size":{manifest_size}}}]}}"#
    );
    fs::write(dir.join("index.json"), index).unwrap();
}

#[test]
fn no_command_modifies_its_input_with_the_real_flags() {
    let scratch = tempfile::tempdir().expect("a temporary folder");
    let root = scratch.path();

    let token = copy_corpus("real/tok-account-export.sas", root);
    assert_untouched(&token, &token, &["sas", "--file", "{}"]);

    let dump = copy_corpus("real/az-list.json", root);
    assert_untouched(&dump, &dump, &["blob", "{}"]);

    let one = copy_corpus("real/az-show-run-2026-12-01.json", root);
    let content = root.join("content.tar");
    fs::write(&content, b"the blob's bytes").unwrap();
    let content_arg = content.to_str().unwrap().to_string();
    assert_untouched(&content, &one, &["blob", "--content", &content_arg, "{}"]);
    assert_untouched(&one, &one, &["blob", "--content", &content_arg, "{}"]);

    let layout = root.join("layout");
    oci_layout(&layout);
    assert_untouched(&layout, &layout, &["manifest", "{}"]);

    let pipeline = copy_corpus("samples/import-pipeline.json", root);
    assert_untouched(&pipeline, &pipeline, &["pipeline", "{}"]);

    let folder = root.join("collected");
    fs::create_dir_all(&folder).unwrap();
    for file in [
        "real/tok-container-export.sas",
        "samples/export-pipeline.json",
        "real/list-blobs.xml",
        "samples/manifest-index.json",
    ] {
        copy_corpus(file, &folder);
    }
    oci_layout(&folder.join("image"));
    assert_untouched(&folder, &folder, &["check", "{}"]);
}
