//! No signature in any output, whatever form it takes in the input.
//!
//! Each test is one way a signature used to reach the output: a damaged `=` after
//! `sig` (A1), JSON escapes (A2), an upper-case key in a blob dump (A3), a usage error
//! quoting an argument (A4), UTF-16 without a byte-order mark (A5). Each runs through
//! every command that can read that input, in human and JSON output, and searches
//! standard output and standard error for any eight letters and digits in a row of the
//! signature, in any case: that covers the raw, percent-encoded and decoded forms, and
//! a signature cut short.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A well-formed 32-byte signature, percent-encoded as clients write it.
const SIG: &str = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA%3D";
/// The signed fields of a container SAS, without the signature.
const FIELDS: &str = "se=2027-01-31T00:00:00Z&sp=rl&spr=https&sv=2026-04-06&sr=c";
const NOW: &str = "2026-12-04T16:00:00Z";

fn corpus(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_acr-preflight"))
        .args(args)
        .output()
        .unwrap()
}

/// Fails when `output` holds eight letters and digits in a row of the signature.
fn assert_no_signature(what: &str, output: &Output) {
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
    .to_ascii_lowercase();
    let secret = SIG.trim_end_matches("%3D").to_ascii_lowercase();
    for at in 0..=secret.len() - 8 {
        let piece = &secret[at..at + 8];
        assert!(!text.contains(piece), "{what}: `{piece}` printed:\n{text}");
    }
    assert!(
        matches!(output.status.code(), Some(0..=2)),
        "{what}: {:?}",
        output.status
    );
}

/// A SAS token whose signature is written in one damaged or escaped form.
struct Form {
    name: &'static str,
    token: String,
}

fn form(name: &'static str, token: String) -> Form {
    Form { name, token }
}

/// A1: the `=` after `sig` missing, percent-encoded, HTML-escaped or full-width; `;` as
/// the separator; the whole token percent-encoded.
fn a1_forms() -> Vec<Form> {
    let whole: String = format!("{FIELDS}&sig={SIG}")
        .bytes()
        .map(|b| match b {
            b'&' => String::from("%26"),
            b'=' => String::from("%3D"),
            b'%' => String::from("%25"),
            b':' => String::from("%3A"),
            _ => char::from(b).to_string(),
        })
        .collect();
    vec![
        form("sig without =", format!("{FIELDS}&sig{SIG}")),
        form("sig%3D", format!("{FIELDS}&sig%3D{SIG}")),
        form("sig%3d", format!("{FIELDS}&sig%3d{SIG}")),
        form(";sig=", format!("{FIELDS};sig={SIG}")),
        form("whole token encoded", whole),
        form("sig&#61;", format!("{FIELDS}&sig&#61;{SIG}")),
        form("full-width =", format!("{FIELDS}&sig\u{FF1D}{SIG}")),
    ]
}

/// A2: JSON escapes in a JSON string: `\u0026` for every `&`, an escaped `s`, an
/// escaped `=`.
fn a2_forms() -> Vec<Form> {
    let amp = "\\u0026";
    vec![
        form(
            "\\u0026 for &",
            format!("{}{amp}sig={SIG}", FIELDS.replace('&', amp)),
        ),
        form("\\u0073ig", format!("{FIELDS}&\\u0073ig={SIG}")),
        form("sig\\u003d", format!("{FIELDS}&sig\\u003d{SIG}")),
        form("sig\\u003D", format!("{FIELDS}&sig\\u003D{SIG}")),
    ]
}

/// A3: the key in upper case.
fn a3_forms() -> Vec<Form> {
    vec![
        form("SIG=", format!("{FIELDS}&SIG={SIG}")),
        form("Sig=", format!("{FIELDS}&Sig={SIG}")),
    ]
}

/// Every input kind that can carry a SAS URL, as (file name, contents).
fn inputs(token: &str) -> Vec<(&'static str, String)> {
    let url = format!("https://fabrikam.blob.core.windows.net/transfer/b.tar.gz?{token}");
    let az_show = corpus("samples/az-blob-show.json")
        .replace(
            "\"name\": \"fake-export-2026-03-02.tar.gz\"",
            &format!("\"name\": \"{url}\""),
        )
        .replace("\"acr-transfer-blob\"", &format!("\"{url}\""))
        .replace("\"source\": null", &format!("\"source\": \"{url}\""));
    let headers = corpus("samples/get-blob-properties.http").replace(
        "x-ms-meta-category: acr-transfer-blob",
        &format!("x-ms-meta-category: {url}\nx-ms-copy-source: {url}"),
    );
    let manifest = corpus("samples/manifest-foreign.json").replacen(
        "\"https://mcr.microsoft.com/v2/windows/servercore/blobs/sha256:69c4a53e68ece6032ff39a3436ddeb694284960aedaa6ac4e2c5f7c35a47acda\"",
        &format!("\"{url}\""),
        1,
    );
    let run = corpus("samples/pipeline-run-import.json")
        .replace(
            "FAKE: example error text; real messages are free-form and not documented",
            &format!("403 on {url}"),
        )
        .replace(
            "\"uri\": \"https://fabrikamxferdst.blob.core.usgovcloudapi.net/transfer/fake-export-2026-03-05.tar.gz\"",
            &format!("\"uri\": \"{url}\""),
        );
    let pipeline = corpus("samples/import-pipeline.json").replace(
        "\"uri\": \"https://fabrikamxferdst.blob.core.usgovcloudapi.net/transfer\"",
        &format!("\"uri\": \"{url}\""),
    );
    let key_vault = format!("{{\"value\": \"{token}\", \"contentType\": \"sas\"}}");
    for (held, times) in [
        (&az_show, 3),
        (&headers, 2),
        (&manifest, 1),
        (&run, 2),
        (&pipeline, 1),
    ] {
        assert_eq!(held.matches(token).count(), times, "{held}");
    }
    vec![
        ("token.txt", format!("{token}\n")),
        ("key-vault.json", key_vault),
        ("az-show.json", az_show),
        ("headers.http", headers),
        ("manifest.json", manifest),
        ("run.json", run),
        ("import-pipeline.json", pipeline),
    ]
}

/// The commands that read a file of this name, besides `check`.
fn commands(file: &str) -> &'static [&'static str] {
    match file {
        "token.txt" | "key-vault.json" => &["sas", "--file"],
        "az-show.json" | "headers.http" => &["blob"],
        "manifest.json" => &["manifest"],
        _ => &["pipeline"],
    }
}

/// Runs every input holding `form` through its command and `check`, in both formats.
fn assert_hidden_everywhere(form: &Form, encode: impl Fn(&str) -> Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    for (file, contents) in inputs(&form.token) {
        let path: PathBuf = dir.path().join(file);
        std::fs::write(&path, encode(&contents)).unwrap();
        let path = path.display().to_string();
        for format in ["human", "json"] {
            let mut args = vec!["--now", NOW, "--format", format];
            args.extend(commands(file));
            args.push(&path);
            let what = format!("{} in {file}, {}", form.name, args.join(" "));
            assert_no_signature(&what, &run(&args));
            let check = ["--now", NOW, "--format", format, "check", &path];
            let what = format!("{} in {file}, check, {format}", form.name);
            assert_no_signature(&what, &run(&check));
        }
    }
}

fn utf8(text: &str) -> Vec<u8> {
    text.as_bytes().to_vec()
}

/// The token as an argument, in both formats.
fn assert_hidden_as_argument(form: &Form) {
    for format in ["human", "json"] {
        let args = ["--now", NOW, "--format", format, "sas", &form.token];
        assert_no_signature(&format!("{} as argument, {format}", form.name), &run(&args));
    }
}

#[test]
fn a1_sig_with_a_missing_or_encoded_equals_sign() {
    for form in a1_forms() {
        assert_hidden_as_argument(&form);
        assert_hidden_everywhere(&form, utf8);
    }
}

#[test]
fn a2_json_escaped_delimiters_and_key() {
    for form in a2_forms() {
        assert_hidden_as_argument(&form);
        assert_hidden_everywhere(&form, utf8);
    }
}

#[test]
fn a3_upper_case_sig() {
    for form in a3_forms() {
        assert_hidden_as_argument(&form);
        assert_hidden_everywhere(&form, utf8);
    }
}

#[test]
fn a4_usage_errors_quoting_the_token() {
    let token = format!("{FIELDS}&sig={SIG}");
    let t = token.as_str();
    let lines: Vec<Vec<&str>> = vec![
        vec!["sas", "--env", t],
        vec!["sas", "--file", t],
        vec!["blob", t],
        vec!["check", t],
        vec!["manifest", t],
        vec!["pipeline", t],
        vec![t],
        vec!["sas", t, t],
        vec!["sas", "--for", t, "x"],
        vec!["--now", t, "sas", "x"],
        vec!["sas", "--min-validity", t, "x"],
    ];
    for line in lines {
        let output = run(&line);
        assert_eq!(output.status.code(), Some(2), "{line:?}");
        assert_no_signature(&format!("{line:?}"), &output);
    }
    let output = Command::new(env!("CARGO_BIN_EXE_acr-preflight"))
        .args([
            "sas",
            "--env",
            "ACR_PREFLIGHT_TEST_TOKEN",
            "--for",
            "nonsense",
        ])
        .env("ACR_PREFLIGHT_TEST_TOKEN", &token)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_no_signature("--env with a bad --for", &output);
}

#[test]
fn a5_utf16_without_a_byte_order_mark() {
    let little =
        |text: &str| -> Vec<u8> { text.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    let big = |text: &str| -> Vec<u8> { text.encode_utf16().flat_map(u16::to_be_bytes).collect() };
    let plain = form("UTF-16", format!("{FIELDS}&sig={SIG}\r\n"));
    assert_hidden_everywhere(&plain, little);
    assert_hidden_everywhere(&plain, big);
    for form in a1_forms() {
        assert_hidden_everywhere(&form, little);
    }
}

#[test]
fn a5_utf16_token_is_read_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t");
    let token = format!("{FIELDS}&sig={SIG}\r\n");
    let bytes: Vec<u8> = token.encode_utf16().flat_map(u16::to_le_bytes).collect();
    std::fs::write(&path, bytes).unwrap();
    let path = path.display().to_string();
    let output = run(&["--now", NOW, "check", &path]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("sas-token"), "{text}");
    assert!(!text.contains('\0'), "{text}");
}

#[test]
fn an_account_key_is_hidden_like_a_signature() {
    let key =
        "c2VjcmV0a2V5MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6MDEyMzQ1Njc4OTAxMjM0NQ==";
    let input = format!(
        "BlobEndpoint=https://a.blob.core.windows.net/;AccountKey={key};SharedAccessSignature={FIELDS}&sig={SIG}"
    );
    for format in ["human", "json"] {
        let output = run(&["--now", NOW, "--format", format, "sas", &input]);
        assert_no_signature(&format!("connection string, {format}"), &output);
        let text = String::from_utf8_lossy(&output.stdout).to_ascii_lowercase();
        assert!(!text.contains("c2vjcmv0a2v5"), "{text}");
    }
}
