//! Guarantees the tool makes whatever it checks: it never touches the network, and it
//! never modifies an input.
//!
//! No network is shown three ways: the binary works inside a network namespace with no
//! interface but a down loopback; no crate that speaks a network protocol is in
//! `Cargo.lock`; and the binary imports no socket function from the C library. Inputs
//! are shown untouched by [`assert_untouched`], which every command's tests can use.

mod common;

use common::no_network_prefix;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

use acr_preflight::cli::Cli;
use clap::CommandFactory;

const BIN: &str = env!("CARGO_BIN_EXE_acr-preflight");

/// Crates that open sockets, speak HTTP or TLS, or drive network I/O. `tokio` is
/// refused outright: the lock file does not say which features a crate is built with,
/// and nothing here needs an async runtime.
const NETWORK_CRATES: &[&str] = &[
    "async-std",
    "attohttpc",
    "curl",
    "curl-sys",
    "h2",
    "h3",
    "hyper",
    "hyper-util",
    "isahc",
    "mio",
    "native-tls",
    "openssl",
    "openssl-sys",
    "quinn",
    "reqwest",
    "rustls",
    "socket2",
    "surf",
    "tokio",
    "tungstenite",
    "ureq",
];

/// C library functions that open, name or use a socket, or resolve a host name.
const SOCKET_FUNCTIONS: &[&str] = &[
    "socket",
    "socketpair",
    "connect",
    "bind",
    "listen",
    "accept",
    "accept4",
    "send",
    "sendto",
    "sendmsg",
    "recv",
    "recvfrom",
    "recvmsg",
    "getaddrinfo",
    "gethostbyname",
    "gethostbyname2",
    "getnameinfo",
];

/// Every argument list whose run must work offline: the top-level help and version,
/// and each subcommand's help. Subcommands come from the command definition itself,
/// so a new one is covered without editing this file.
fn offline_invocations() -> Vec<Vec<String>> {
    let mut runs = vec![
        vec![String::from("--help")],
        vec![String::from("--version")],
    ];
    for sub in Cli::command().get_subcommands() {
        runs.push(vec![sub.get_name().to_string(), String::from("--help")]);
    }
    runs
}

#[test]
fn the_binary_works_without_a_network() {
    let Some(prefix) = no_network_prefix() else {
        eprintln!(
            "SKIPPED the_binary_works_without_a_network: this machine does not permit \
             `unshare -n` or `unshare -rn` (no CAP_SYS_ADMIN, user namespaces disabled, \
             or no util-linux)"
        );
        return;
    };
    let interfaces = run_isolated(&prefix, &["cat", "/proc/net/dev"]);
    let names: Vec<&str> = String::from_utf8_lossy(&interfaces.stdout)
        .lines()
        .filter_map(|l| l.split_once(':').map(|(name, _)| name.trim()))
        .map(|name| if name == "lo" { "lo" } else { "other" })
        .collect();
    assert_eq!(
        names,
        ["lo"],
        "the namespace must have only a loopback interface"
    );
    for args in offline_invocations() {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = run_isolated(&prefix, &[&[BIN][..], &args].concat());
        assert!(
            output.status.success() && !output.stdout.is_empty(),
            "acr-preflight {args:?} failed without a network: {output:?}"
        );
    }
}

fn run_isolated(prefix: &[&str], command: &[&str]) -> Output {
    Command::new(prefix[0])
        .args(&prefix[1..])
        .args(command)
        .output()
        .expect("unshare runs")
}

/// Package names in `Cargo.lock`: every crate any build of this package may compile,
/// tests included.
fn locked_packages() -> Vec<String> {
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock");
    let text = fs::read_to_string(&lock).expect("Cargo.lock is checked in");
    text.lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .filter_map(|l| l.strip_suffix('"'))
        .map(String::from)
        .collect()
}

#[test]
fn no_networking_crate_is_locked() {
    let packages = locked_packages();
    assert!(
        packages.iter().any(|p| p == "acr-preflight"),
        "Cargo.lock was not read as expected: {packages:?}"
    );
    let found: Vec<&String> = packages
        .iter()
        .filter(|p| NETWORK_CRATES.contains(&p.as_str()))
        .collect();
    assert!(
        found.is_empty(),
        "networking crates in Cargo.lock: {found:?}"
    );
}

#[test]
fn the_binary_imports_no_socket_function() {
    let Ok(output) = Command::new("nm")
        .args(["--dynamic", "--undefined-only", BIN])
        .output()
    else {
        eprintln!(
            "SKIPPED the_binary_imports_no_socket_function: `nm` (binutils) is not installed"
        );
        return;
    };
    assert!(output.status.success(), "nm failed: {output:?}");
    let symbols = String::from_utf8_lossy(&output.stdout);
    let imported: Vec<&str> = symbols
        .lines()
        .filter_map(|l| l.split_whitespace().last())
        .map(|s| s.split('@').next().unwrap_or(s))
        .collect();
    assert!(
        imported.iter().any(|s| *s == "write" || *s == "malloc"),
        "nm output was not read as expected:\n{symbols}"
    );
    let sockets: Vec<&&str> = imported
        .iter()
        .filter(|s| SOCKET_FUNCTIONS.contains(s))
        .collect();
    assert!(sockets.is_empty(), "the binary imports {sockets:?}");
}

/// What a file looked like: its bytes, modification time and permissions.
#[derive(Debug, PartialEq, Eq)]
struct FileState {
    bytes: Vec<u8>,
    modified: SystemTime,
    permissions: fs::Permissions,
}

fn snapshot(path: &Path) -> FileState {
    let meta = fs::metadata(path).expect("the input exists");
    FileState {
        bytes: fs::read(path).expect("the input reads"),
        modified: meta.modified().expect("a modification time"),
        permissions: meta.permissions(),
    }
}

/// Runs the binary with `args`, in which `{}` stands for `path`, and fails unless the
/// file's bytes, modification time and permissions are as before. The file's time is
/// first set to 2001-09-09, so even a write of the same bytes shows.
///
/// Returns the run's output, for the caller's own checks.
fn assert_untouched(path: &Path, args: &[&str]) -> Output {
    let past = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(past))
        .expect("the input's time can be set");
    let before = snapshot(path);
    let path_text = path.to_str().expect("a UTF-8 path");
    let args: Vec<&str> = args
        .iter()
        .map(|a| if *a == "{}" { path_text } else { a })
        .collect();
    let output = Command::new(BIN)
        .args(&args)
        .output()
        .expect("the binary runs");
    assert_eq!(
        snapshot(path),
        before,
        "acr-preflight {args:?} changed its input"
    );
    assert!(
        matches!(output.status.code(), Some(0..=2)),
        "acr-preflight {args:?} ended with {:?}: {output:?}",
        output.status
    );
    output
}

/// A private copy of a corpus file, so setting its time leaves the corpus alone.
fn scratch_copy(corpus_file: &str, test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "acr-preflight-guarantees-{}-{test}",
        std::process::id()
    ));
    fs::create_dir_all(&dir).expect("a temporary folder");
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(corpus_file);
    let name = source.file_name().expect("a file name");
    let copy = dir.join(name);
    fs::copy(&source, &copy).expect("the corpus file copies");
    copy
}

#[test]
fn no_command_modifies_its_input() {
    for (command, corpus_file) in [
        ("sas", "real/tok-account-export.sas"),
        ("blob", "real/az-list.json"),
        ("manifest", "samples/manifest-index.json"),
        ("pipeline", "samples/export-pipeline.json"),
        ("check", "samples/import-pipeline.json"),
    ] {
        let copy = scratch_copy(corpus_file, command);
        for format in ["human", "json"] {
            assert_untouched(&copy, &["--format", format, command, "{}"]);
        }
        let _ = fs::remove_dir_all(copy.parent().expect("a folder"));
    }
}
