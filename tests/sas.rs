//! The SAS check over the corpus: real Azure CLI tokens (verdicts in
//! `tests/corpus/README.md`), cases from bug reports (`tests/corpus/cases/Bnn.expect`),
//! the signature never leaking, the command line, and rendered snapshots.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use acr_preflight::context::Context;
use acr_preflight::diag::render::{self, HumanStyle};
use acr_preflight::diag::{InputReport, Outcome, Severity};
use acr_preflight::input;
use acr_preflight::sas::{self, Purpose, SasCheck, SasOptions};
use chrono::{DateTime, Utc};

/// The clock for `tests/corpus/real` (tokens made on 2026-12-04).
const REAL_NOW: &str = "2026-12-04T16:00:00Z";
/// The clock every case in `tests/corpus/cases` assumes.
const CASES_NOW: &str = "2026-12-01T00:00:00Z";

fn corpus(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(path)
}

fn ctx(now: &str) -> Context {
    let now: DateTime<Utc> = DateTime::parse_from_rfc3339(now).unwrap().into();
    Context::pinned(now)
}

fn options(purpose: Purpose) -> SasOptions {
    SasOptions {
        purpose,
        ..SasOptions::default()
    }
}

fn check_text(name: &str, text: &str, options: &SasOptions, now: &str) -> SasCheck {
    let decoded = input::decode(text.as_bytes());
    sas::check(name, &decoded, options, &ctx(now))
}

fn check_file(path: &str, options: &SasOptions, now: &str) -> SasCheck {
    let text = std::fs::read_to_string(corpus(path)).unwrap();
    check_text(path, &text, options, now)
}

fn has(report: &InputReport, severity: Severity, code: &str, field: &str) -> bool {
    report
        .findings
        .iter()
        .any(|f| f.severity == severity && f.code.id == code && f.field == field)
}

fn severities_on(report: &InputReport, field: &str) -> Vec<Severity> {
    report
        .findings
        .iter()
        .filter(|f| f.field == field)
        .map(|f| f.severity)
        .collect()
}

fn render_human(check: &SasCheck) -> String {
    let outcome = Outcome {
        command: String::from("sas"),
        inputs: vec![check.report.clone()],
        ..Outcome::default()
    };
    let style = HumanStyle {
        color: false,
        width: 80,
    };
    render::human(&outcome, style, &check.secrets)
}

fn render_json(check: &SasCheck) -> String {
    let outcome = Outcome {
        command: String::from("sas"),
        inputs: vec![check.report.clone()],
        ..Outcome::default()
    };
    render::json(&outcome, &check.secrets)
}

// ---- real tokens (tests/corpus/README.md) ----------------------------------------

#[test]
fn real_account_token_is_fit_for_export_not_import_with_delete() {
    let check = check_file(
        "real/tok-account-export.sas",
        &options(Purpose::AcrExport),
        REAL_NOW,
    );
    assert_eq!(check.report.worst(), None, "{:#?}", check.report.findings);
    let token = check.token.as_ref().unwrap();
    assert_eq!(token.kind, sas::SasKind::Account);
    let fit = sas::fitness(token, &ctx(REAL_NOW));
    let by = |p: &str| fit.iter().find(|f| f.purpose == p).unwrap().fit;
    assert!(by("acr-export"));
    assert!(!by("acr-import+delete"));
}

#[test]
fn real_container_token_is_fit_for_export_with_warnings() {
    let check = check_file(
        "real/tok-container-export.sas",
        &options(Purpose::AcrExport),
        REAL_NOW,
    );
    let report = &check.report;
    assert_eq!(
        report.worst(),
        Some(Severity::Warning),
        "{:#?}",
        report.findings
    );
    assert!(has(
        report,
        Severity::Warning,
        "sas-pipeline-container-sas",
        "sr"
    ));
    assert!(has(report, Severity::Warning, "sas-time-date-only", "se"));
}

#[test]
fn real_expired_container_token_fails_and_fails_spr_for_acr() {
    let check = check_file(
        "real/tok-container-expired.sas",
        &SasOptions::default(),
        REAL_NOW,
    );
    assert!(has(&check.report, Severity::Error, "sas-expired", "se"));
    for purpose in [Purpose::AcrExport, Purpose::AcrImport] {
        let check = check_file(
            "real/tok-container-expired.sas",
            &options(purpose),
            REAL_NOW,
        );
        assert!(has(
            &check.report,
            Severity::Error,
            "sas-pipeline-https",
            "spr"
        ));
    }
}

#[test]
fn real_blob_url_is_a_valid_sas_unfit_for_either_pipeline() {
    let check = check_file("real/tok-blob-url.sas", &SasOptions::default(), REAL_NOW);
    assert_ne!(
        check.report.worst(),
        Some(Severity::Error),
        "{:#?}",
        check.report.findings
    );
    let token = check.token.as_ref().unwrap();
    let url = token.envelope.url.as_ref().unwrap();
    assert_eq!(url.account.as_deref(), Some("devstoreaccount1"));
    assert_eq!(url.container.as_deref(), Some("transfer"));
    assert_eq!(url.blob.as_deref(), Some("exports/run-2026-12-01.tar"));
    for fitness in sas::fitness(token, &ctx(REAL_NOW)) {
        assert!(!fitness.fit, "{fitness:?}");
        assert!(
            fitness.problems.iter().any(|p| p.contains("(sr)")),
            "{fitness:?}"
        );
    }
}

// ---- cases (tests/corpus/cases/Bnn.expect) ----------------------------------------

struct Expect {
    verdict: String,
    field: String,
    mode: String,
}

fn expect(path: &Path) -> Expect {
    let text = std::fs::read_to_string(path).unwrap();
    let get = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{key}:")))
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    Expect {
        verdict: get("verdict"),
        field: get("field"),
        mode: get("mode"),
    }
}

fn case_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus("cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sas"))
        .collect();
    files.sort();
    files
}

fn purpose_of(mode: &str) -> Purpose {
    match mode {
        "export" => Purpose::AcrExport,
        "import" => Purpose::AcrImport,
        _ => Purpose::Any,
    }
}

#[test]
fn every_case_has_its_documented_verdict() {
    let files = case_files();
    assert_eq!(files.len(), 11, "cases: {files:?}");
    for file in files {
        let expect = expect(&file.with_extension("expect"));
        let text = std::fs::read_to_string(&file).unwrap();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let check = check_text(&name, &text, &options(purpose_of(&expect.mode)), CASES_NOW);
        let report = &check.report;
        let on_field = severities_on(report, &expect.field);
        let context = format!("{name}: {:#?}", report.findings);
        match expect.verdict.as_str() {
            "ok" => assert_eq!(report.worst(), None, "{context}"),
            "warning" => {
                assert_eq!(report.worst(), Some(Severity::Warning), "{context}");
                assert!(on_field.contains(&Severity::Warning), "{context}");
            }
            "error" => assert!(on_field.contains(&Severity::Error), "{context}"),
            other => panic!("{name}: unknown verdict {other}"),
        }
    }
}

// ---- the signature never appears ---------------------------------------------------

/// Every token of the corpus, as it arrives in a file.
fn corpus_tokens() -> Vec<(String, String)> {
    let mut tokens = Vec::new();
    for name in [
        "tok-account-export.sas",
        "tok-blob-url.sas",
        "tok-container-expired.sas",
        "tok-container-export.sas",
    ] {
        let text = std::fs::read_to_string(corpus(&format!("real/{name}"))).unwrap();
        tokens.push((name.to_string(), text));
    }
    for file in case_files() {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        tokens.push((name, std::fs::read_to_string(&file).unwrap()));
    }
    tokens
}

fn raw_signature(text: &str) -> String {
    let at = text.find("sig=").unwrap() + 4;
    // Signatures are at least 8 characters here, so scrubbing applies to them.
    text[at..]
        .split(['&', '\n', '"'])
        .next()
        .unwrap()
        .to_string()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// The token wrapped in each way it reaches a user.
fn wrappings(token: &str) -> Vec<String> {
    let bare = token.trim().trim_start_matches('?');
    let bare = match bare.find('?') {
        Some(at) if bare.starts_with("http") => &bare[at + 1..],
        _ => bare,
    };
    vec![
        token.to_string(),
        format!("?{bare}\n"),
        format!("https://acct.blob.core.windows.net/transfer?{bare}"),
        format!("BlobEndpoint=https://acct.blob.core.windows.net/;SharedAccessSignature={bare}"),
        format!(
            "{{\n  \"id\": \"https://kv.vault.azure.net/secrets/acrexportsas/1\",\n  \"value\": \"?{bare}\"\n}}\n"
        ),
        format!("\"{bare}\""),
    ]
}

/// The token with its signature's name disguised, or inside an unrelated wrapper.
fn disguises(token: &str) -> Vec<String> {
    let bare = token.trim().trim_start_matches('?');
    vec![
        bare.replace("sig=", "&amp; sig="),
        bare.replace("sig=", "SI%47="),
        bare.replace("sig=", "?Sig="),
        format!("EXPORT_SAS=\"{bare}\"\n"),
        format!("{{\"sasToken\": \"{bare}\"}}"),
    ]
}

#[test]
fn the_signature_never_appears_in_any_output() {
    for (name, text) in corpus_tokens() {
        let raw = raw_signature(&text);
        let decoded = percent_decode(&raw);
        for wrapped in wrappings(&text).into_iter().chain(disguises(&text)) {
            for purpose in [Purpose::Any, Purpose::AcrExport] {
                let check = check_text(&name, &wrapped, &options(purpose), CASES_NOW);
                for output in [render_human(&check), render_json(&check)] {
                    for secret in [&raw, &decoded] {
                        assert!(
                            !output.contains(secret.as_str()),
                            "{name}: signature in output of {wrapped:?}:\n{output}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn sniffing_recognises_every_wrapping_and_nothing_else() {
    for (name, text) in corpus_tokens() {
        for wrapped in wrappings(&text) {
            assert!(sas::looks_like_token(&wrapped), "{name}: {wrapped:?}");
        }
    }
    for path in [
        "real/az-list.json",
        "real/head-run.http",
        "samples/export-pipeline.json",
    ] {
        let text = std::fs::read_to_string(corpus(path)).unwrap();
        assert!(!sas::looks_like_token(&text), "{path}");
    }
}

#[test]
fn an_empty_input_is_one_error_and_no_token() {
    let check = check_text("<stdin>", "\n", &SasOptions::default(), CASES_NOW);
    assert!(check.token.is_none());
    assert!(has(&check.report, Severity::Error, "sas-empty", "token"));
}

// ---- the command line --------------------------------------------------------------

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_acr-preflight"))
}

fn run(args: &[&str], stdin: Option<&str>, env: Option<(&str, &str)>) -> (i32, String) {
    let mut command = bin();
    command
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some((k, v)) = env {
        command.env(k, v);
    }
    let mut child = command.spawn().unwrap();
    if let Some(text) = stdin {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    } else {
        drop(child.stdin.take());
    }
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    (output.status.code().unwrap_or(-1), stdout)
}

fn real_token(name: &str) -> String {
    std::fs::read_to_string(corpus(&format!("real/{name}"))).unwrap()
}

#[test]
fn cli_exit_codes_follow_the_findings() {
    let ok = corpus("real/tok-account-export.sas");
    let expired = corpus("real/tok-container-expired.sas");
    let now = ["--now", REAL_NOW, "--color", "never"];
    let (code, _) = run(
        &[&now[..], &["sas", "--file", ok.to_str().unwrap()]].concat(),
        None,
        None,
    );
    assert_eq!(code, 0);
    let (code, _) = run(
        &[&now[..], &["sas", "--file", expired.to_str().unwrap()]].concat(),
        None,
        None,
    );
    assert_eq!(code, 1);
    let (code, _) = run(
        &[&now[..], &["sas", "--file", "/nonexistent/token"]].concat(),
        None,
        None,
    );
    assert_eq!(code, 2);
    let (code, _) = run(
        &[&now[..], &["sas", "--env", "ACR_PREFLIGHT_UNSET_VARIABLE"]].concat(),
        None,
        None,
    );
    assert_eq!(code, 2);
    let (code, _) = run(
        &[&now[..], &["sas", "--min-validity", "24"]].concat(),
        Some(""),
        None,
    );
    assert_eq!(code, 2);
}

#[test]
fn cli_reads_argument_stdin_dash_and_env_alike() {
    let token = real_token("tok-account-export.sas");
    let base = [
        "--now",
        REAL_NOW,
        "--format",
        "json",
        "sas",
        "--for",
        "acr-export",
    ];
    let from_arg = run(&[&base[..], &[token.trim()]].concat(), None, None);
    let from_stdin = run(&base, Some(&token), None);
    let from_dash = run(&[&base[..], &["-"]].concat(), Some(&token), None);
    let from_file_dash = run(&[&base[..], &["--file", "-"]].concat(), Some(&token), None);
    let from_env = run(
        &[&base[..], &["--env", "EXPORT_SAS"]].concat(),
        None,
        Some(("EXPORT_SAS", &token)),
    );
    for (code, json) in [
        &from_arg,
        &from_stdin,
        &from_dash,
        &from_file_dash,
        &from_env,
    ] {
        assert_eq!(*code, 0, "{json}");
        let doc: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(doc["ok"], true);
        assert_eq!(doc["inputs"][0]["details"]["kind"], "account");
    }
}

#[test]
fn usage_errors_say_what_is_expected() {
    let out = bin().args(["sas", "--env", ""]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the name of an environment variable is needed"),
        "{stderr}"
    );
    assert!(!stderr.contains("is not set"), "{stderr}");
    let out = bin()
        .args(["--now", "garbage", "sas", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr
            .contains("expected RFC 3339 with a time and an offset, such as 2026-12-04T16:00:00Z"),
        "{stderr}"
    );
}

#[test]
fn cli_json_findings_carry_code_severity_field_and_span() {
    let expired = corpus("real/tok-container-expired.sas");
    let args = [
        "--now",
        REAL_NOW,
        "--format",
        "json",
        "sas",
        "--for",
        "acr-import",
        "--file",
    ];
    let (code, json) = run(
        &[&args[..], &[expired.to_str().unwrap()]].concat(),
        None,
        None,
    );
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let findings = doc["inputs"][0]["findings"].as_array().unwrap();
    let expired = findings
        .iter()
        .find(|f| f["code"] == "sas-expired")
        .unwrap();
    assert_eq!(expired["severity"], "error");
    assert_eq!(expired["field"], "se");
    // `se=2026-11-01`: the value starts at byte 3, line 1, column 4, 10 bytes long.
    assert_eq!(expired["span"]["offset"], 3);
    assert_eq!(expired["span"]["length"], 10);
    assert_eq!(expired["span"]["line"], 1);
    assert_eq!(expired["span"]["column"], 4);
    let fields = doc["inputs"][0]["details"]["fields"].as_array().unwrap();
    let sig = fields.iter().find(|f| f["key"] == "sig").unwrap();
    assert_eq!(sig["value"], "[redacted]");
}

#[test]
fn cli_min_validity_warns_about_a_token_expiring_sooner() {
    let ok = corpus("real/tok-account-export.sas");
    let args = [
        "--now",
        REAL_NOW,
        "--format",
        "json",
        "sas",
        "--min-validity",
        "90d",
        "--file",
    ];
    let (code, json) = run(&[&args[..], &[ok.to_str().unwrap()]].concat(), None, None);
    assert_eq!(code, 0);
    assert!(json.contains("sas-expires-soon"), "{json}");
}

// ---- rendered diagnostics ----------------------------------------------------------

#[test]
fn snapshots_of_real_tokens() {
    for (name, purpose) in [
        ("tok-account-export.sas", Purpose::Any),
        ("tok-container-export.sas", Purpose::AcrExport),
        ("tok-container-expired.sas", Purpose::AcrImport),
        ("tok-blob-url.sas", Purpose::AcrExport),
    ] {
        let path = format!("real/{name}");
        let check = check_file(&path, &options(purpose), REAL_NOW);
        let snapshot = format!(
            "real-{}-{}",
            name.trim_end_matches(".sas"),
            purpose.as_str()
        );
        insta::assert_snapshot!(snapshot, render_human(&check));
    }
}

#[test]
fn snapshots_of_cases() {
    for file in case_files() {
        let expect = expect(&file.with_extension("expect"));
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&file).unwrap();
        let check = check_text(&name, &text, &options(purpose_of(&expect.mode)), CASES_NOW);
        let snapshot = format!("case-{}", name.trim_end_matches(".sas"));
        insta::assert_snapshot!(snapshot, render_human(&check));
    }
}

#[test]
fn snapshot_of_json_output() {
    let check = check_file(
        "real/tok-container-expired.sas",
        &options(Purpose::AcrImport),
        REAL_NOW,
    );
    insta::assert_snapshot!("json-tok-container-expired", render_json(&check));
}

#[test]
fn snapshots_of_other_wrappings() {
    let token = "se=2027-01-31T00%3A00Z&sp=rwla&spr=https&sv=2026-04-06&ss=b&srt=sco\
        &sig=FAKEsigTESTonly0000000000000000000000000000%3D";
    let vault = format!(
        "{{\n  \"attributes\": {{ \"enabled\": true }},\n  \"id\": \
        \"https://kv.vault.azure.net/secrets/acrexportsas/0f1e\",\n  \"name\": \
        \"acrexportsas\",\n  \"value\": \"?{token}\\n\"\n}}\n"
    );
    let connection = format!(
        "BlobEndpoint=https://acct.blob.core.windows.net/;QueueEndpoint=https://acct.queue.core.windows.net/;SharedAccessSignature={token}"
    );
    let delegation = "sv=2021-06-08&sr=c&sp=rl&st=2026-11-30T00:00:00Z&se=2026-12-09T00:00:00Z\
        &skoid=6a1f2b3c-0000-4000-8000-00000000abcd&sktid=72f988bf-0000-4000-8000-0000000000aa\
        &skt=2026-11-30T00:00:00Z&ske=2026-12-06T00:00:00Z&sks=b&skv=2021-06-08&spr=https\
        &sig=FAKEsigTESTonly0000000000000000000000000000%3D";
    let damaged = "se=2030-01-01T00:00:00Z&amp;sp=RAWL&SV=2021-06-08&sr=c&sr=b&spr=https%2\
        &sig=FAKE+SIG/TEST00000000000000000000000000000A=";
    for (name, text, purpose) in [
        ("key-vault-json", vault.as_str(), Purpose::AcrExport),
        ("connection-string", connection.as_str(), Purpose::Any),
        ("user-delegation", delegation, Purpose::Any),
        ("damaged", damaged, Purpose::AcrImport),
    ] {
        let check = check_text(name, text, &options(purpose), CASES_NOW);
        insta::assert_snapshot!(format!("wrapping-{name}"), render_human(&check));
    }
}

/// A well-formed 32-byte signature, percent-encoded as the service writes it.
const GLUE_SIG: &str = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA%3D";
const GLUE_FIELDS: &str = "se=2027-01-31T00:00:00Z&sp=rl&spr=https&sv=2026-04-06&sr=c";

/// Every finding as `code field message`.
fn finding_lines(check: &SasCheck) -> Vec<String> {
    check
        .report
        .findings
        .iter()
        .map(|f| format!("{} {} {}", f.code.id, f.field, f.message))
        .collect()
}

#[test]
fn a_sig_that_swallowed_its_value_says_the_equals_is_missing() {
    for (glue, how) in [
        ("sig", "is missing"),
        ("sig%3D", "is percent-encoded as `%3D`"),
        ("SIG%3d", "is percent-encoded as `%3D`"),
    ] {
        let text = format!("{GLUE_FIELDS}&{glue}{GLUE_SIG}");
        let check = check_text("t", &text, &SasOptions::default(), "2026-12-04T00:00:00Z");
        assert_eq!(
            finding_lines(&check),
            [format!(
                "sas-sig-no-equals sig the `=` after `sig` {how}: the signature was read as \
                part of the field name, so the token has no `sig`"
            )],
            "{glue}"
        );
    }
    // A short unknown name starting with `sig` is just an unknown field.
    let text = format!("{GLUE_FIELDS}&signed=1&sig={GLUE_SIG}");
    let check = check_text("t", &text, &SasOptions::default(), "2026-12-04T00:00:00Z");
    assert!(
        check
            .report
            .findings
            .iter()
            .all(|f| f.code.id != "sas-sig-no-equals")
    );
}

#[test]
fn a_token_percent_encoded_as_a_whole_gets_one_hint() {
    // The token with every reserved character encoded, as a form or URL encoder writes
    // it (urllib.parse.quote(token, safe="")).
    let text = "se%3D2027-01-31T00%3A00%3A00Z%26sp%3Drl%26spr%3Dhttps%26sv%3D2026-04-06\
        %26sr%3Dc%26sig%3DAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA%253D";
    let check = check_text("t", text, &SasOptions::default(), "2026-12-04T00:00:00Z");
    let lines = finding_lines(&check);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("sas-encoded-whole token the whole token is percent-encoded"),
        "{lines:?}"
    );
}
