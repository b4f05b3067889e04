//! Image manifest checks: the corpus cases and samples, edge cases, rendering and the
//! binary. Expected verdicts come from the fact sheet's sections B.1, B.6 and D (the
//! troubleshooting guide, the ACR FAQ, the OCI image-spec and Docker schema 2).

use std::path::Path;
use std::process::Command;

use acr_preflight::context::Context;
use acr_preflight::diag::render::{self, HumanStyle};
use acr_preflight::diag::{Finding, Outcome, Severity};
use acr_preflight::input;
use acr_preflight::manifest::{self, ManifestCheck};
use acr_preflight::secret::Secrets;
use chrono::{TimeZone, Utc};

fn ctx() -> Context {
    Context::pinned(Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap())
}

fn check_text(name: &str, text: &str) -> ManifestCheck {
    manifest::check(name, &input::decode(text.as_bytes()), &ctx())
}

fn check_file(rel: &str) -> ManifestCheck {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let bytes = std::fs::read(&path).unwrap();
    manifest::check(rel, &input::decode(&bytes), &ctx())
}

fn find<'a>(check: &'a ManifestCheck, code: &str, field: &str) -> &'a Finding {
    check
        .report
        .findings
        .iter()
        .find(|f| f.code.id == code && f.field == field)
        .unwrap_or_else(|| panic!("no {code} at {field}: {:#?}", check.report.findings))
}

fn codes(check: &ManifestCheck) -> Vec<(&'static str, String, Severity)> {
    check
        .report
        .findings
        .iter()
        .map(|f| (f.code.id, f.field.clone(), f.severity))
        .collect()
}

fn spanned<'a>(check: &'a ManifestCheck, f: &Finding) -> &'a str {
    &check.report.text[f.span.clone()]
}

/// Reads `verdict:` and `field:` from a case's `.expect` file.
fn expectation(rel: &str) -> (String, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let text = std::fs::read_to_string(path).unwrap();
    let value = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key))
            .map(|v| v.trim().to_string())
            .unwrap()
    };
    (value("verdict:"), value("field:"))
}

fn severity_word(s: Severity) -> &'static str {
    s.as_str()
}

#[test]
fn corpus_cases_give_their_expected_verdicts() {
    for case in ["B30", "B32"] {
        let (verdict, field) = expectation(&format!("tests/corpus/cases/{case}.expect"));
        let check = check_file(&format!("tests/corpus/cases/{case}.json"));
        let hit = check.report.findings.iter().find(|f| f.field == field);
        let hit = hit.unwrap_or_else(|| panic!("{case}: nothing at {field}: {:#?}", codes(&check)));
        assert_eq!(severity_word(hit.severity), verdict, "{case}");
    }
}

#[test]
fn b30_names_the_external_host_and_the_fix() {
    // B.6 / D.4: a foreign layer with urls on mcr.microsoft.com cannot be pulled in an
    // isolated cloud; the fix is to push it into the source registry first.
    let check = check_file("tests/corpus/cases/B30.json");
    let f = find(&check, "layer-foreign", "layers[0].mediaType");
    assert!(f.message.contains("mcr.microsoft.com"), "{}", f.message);
    assert!(
        f.help
            .as_deref()
            .unwrap()
            .contains("allow-nondistributable-artifacts")
    );
    assert_eq!(
        spanned(&check, f),
        "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
    );
    assert_eq!(f.related.len(), 1);
    // The second layer is an ordinary 50 MiB layer: nothing to say.
    assert!(
        !check
            .report
            .findings
            .iter()
            .any(|f| f.field.starts_with("layers[1]"))
    );
}

#[test]
fn b32_a_12_gib_layer_is_an_error_at_its_size() {
    // B.1: layers up to 8 GB; 12884901888 bytes is over 8 GiB, so over either reading.
    let check = check_file("tests/corpus/cases/B32.json");
    let f = find(&check, "layer-over-8gb", "layers[1].size");
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(spanned(&check, f), "12884901888");
    assert_eq!(check.report.kind, "docker-manifest-v2");
}

#[test]
fn sample_docker_manifest_with_two_foreign_layers() {
    // samples/manifest-foreign.json: two rootfs.foreign layers on mcr.microsoft.com (D.4
    // rule 1: error each); the two normal layers are small and carry no urls.
    let check = check_file("tests/corpus/samples/manifest-foreign.json");
    assert_eq!(
        codes(&check),
        vec![
            (
                "layer-foreign",
                "layers[0].mediaType".into(),
                Severity::Error
            ),
            (
                "layer-foreign",
                "layers[1].mediaType".into(),
                Severity::Error
            ),
        ]
    );
}

#[test]
fn sample_oci_manifest_with_a_nondistributable_and_a_9_gib_layer() {
    // samples/manifest-oci-nondistributable.json: the nondistributable gzip layer is
    // foreign for the transfer (D.4 rule 1), and 9663676416 bytes is over 8 GiB (B.1).
    let check = check_file("tests/corpus/samples/manifest-oci-nondistributable.json");
    assert_eq!(
        codes(&check),
        vec![
            (
                "layer-foreign",
                "layers[0].mediaType".into(),
                Severity::Error
            ),
            ("layer-over-8gb", "layers[1].size".into(), Severity::Error),
        ]
    );
    let f = find(&check, "layer-foreign", "layers[0].mediaType");
    assert!(f.message.contains("licensed-base.example.invalid"));
    assert!(f.message.starts_with("nondistributable layer"));
}

#[test]
fn sample_index_and_manifest_list_say_their_sizes_are_manifest_sizes() {
    // D.5: an index entry's size is the size of the child manifest JSON, not of the
    // image; the tool says so (advice) instead of summing, and finds nothing else.
    for (file, kind) in [
        (
            "tests/corpus/samples/manifest-index.json",
            "oci-image-index",
        ),
        (
            "tests/corpus/samples/manifest-list-docker.json",
            "docker-manifest-list",
        ),
    ] {
        let check = check_file(file);
        assert_eq!(check.report.kind, kind);
        assert_eq!(
            codes(&check),
            vec![(
                "index-sizes-are-manifest-sizes",
                "manifests".into(),
                Severity::Advice
            )],
            "{file}"
        );
        let f = &check.report.findings[0];
        assert!(f.message.contains("not of the images"));
    }
}

#[test]
fn docker_list_platforms_keep_the_dotted_os_version_key() {
    let check = check_file("tests/corpus/samples/manifest-list-docker.json");
    let m = check.manifest.unwrap();
    assert_eq!(m.manifests[0].platform.as_deref(), Some("windows/amd64"));
    assert_eq!(
        check.report.details["manifests"][0]["platform"],
        "windows/amd64"
    );
}

const HEX_A: &str = "b7ef69f8cd48c0a8b66dae439356d2f94026b1218e4bdb79610becb26e1ff16c";
const HEX_CONFIG: &str = "e5a275fed4d6af4dcaa468dabb9ccbc35f9c6744e7fc0818c20d25b52448b9be";

fn one_layer(media_type: &str, size: &str, digest: &str, extra: &str) -> String {
    format!(
        r#"{{"schemaVersion": 2,
 "mediaType": "application/vnd.oci.image.manifest.v1+json",
 "config": {{"mediaType": "application/vnd.oci.image.config.v1+json", "size": 2, "digest": "sha256:{HEX_CONFIG}"}},
 "layers": [{{"mediaType": "{media_type}", "size": {size}, "digest": "{digest}"{extra}}}]}}"#
    )
}

const GZIP: &str = "application/vnd.oci.image.layer.v1.tar+gzip";

#[test]
fn the_8_gb_rule_is_read_both_ways() {
    // B.1: "8 GB" is undefined. Over 8 GiB: error. Over 8e9 but not over 8 GiB: warning
    // whose message says the guide does not say which. At or under 8e9: nothing.
    let digest = format!("sha256:{HEX_A}");
    for (size, want) in [
        ("8589934593", Some(Severity::Error)),
        ("8589934592", Some(Severity::Warning)),
        ("8000000001", Some(Severity::Warning)),
        ("8000000000", None),
    ] {
        let check = check_text("m.json", &one_layer(GZIP, size, &digest, ""));
        let got = check
            .report
            .findings
            .iter()
            .find(|f| f.code.id == "layer-over-8gb")
            .map(|f| f.severity);
        assert_eq!(got, want, "{size}");
        if want == Some(Severity::Warning) {
            let f = find(&check, "layer-over-8gb", "layers[0].size");
            assert!(f.message.contains("does not say which"), "{}", f.message);
        }
    }
}

#[test]
fn a_size_just_over_8_gib_is_not_printed_as_8_gib() {
    // B.1: 8589934593 bytes is over 8 GiB by one byte; a rounded "8.00 GiB" beside the
    // 8 GB limit would read as no excess at all.
    let digest = format!("sha256:{HEX_A}");
    let check = check_text("m.json", &one_layer(GZIP, "8589934593", &digest, ""));
    let f = find(&check, "layer-over-8gb", "layers[0].size");
    assert!(!f.message.contains("8.00 GiB"), "{}", f.message);
    assert!(
        f.message
            .starts_with("layer is 8589934593 bytes, 1 byte over 8 GiB (8589934592 bytes)"),
        "{}",
        f.message
    );
}

#[test]
fn a12_image_bytes_do_not_saturate() {
    // Sizes are int64 (OCI descriptor.md): three layers and a config of 2^63-1 bytes sum
    // past 2^64; the total must not be clamped to 2^64-1.
    let max = i64::MAX.to_string();
    let layer = |hex: char| {
        format!(
            r#"{{"mediaType": "{GZIP}", "size": {max}, "digest": "sha256:{}"}}"#,
            hex.to_string().repeat(64)
        )
    };
    let text = format!(
        r#"{{"schemaVersion": 2,
 "mediaType": "application/vnd.oci.image.manifest.v1+json",
 "config": {{"mediaType": "application/vnd.oci.image.config.v1+json", "size": {max}, "digest": "sha256:{HEX_CONFIG}"}},
 "layers": [{}, {}, {}]}}"#,
        layer('a'),
        layer('b'),
        layer('c')
    );
    let check = check_text("m.json", &text);
    assert_eq!(check.report.details["imageBytes"], serde_json::Value::Null);
    assert_eq!(
        check.report.notes,
        ["oci-image-manifest: 3 layers, over 2^64 bytes with the config"]
    );
    // Two of them fit: 2^64 - 2 bytes exactly.
    let two = one_layer(GZIP, &max, &format!("sha256:{HEX_A}"), "").replacen(
        r#""size": 2,"#,
        &format!(r#""size": {max},"#),
        1,
    );
    let check = check_text("m.json", &two);
    assert_eq!(
        check.report.details["imageBytes"],
        serde_json::json!(18_446_744_073_709_551_614_u64)
    );
}

#[test]
fn sizes_must_be_non_negative_integers() {
    let digest = format!("sha256:{HEX_A}");
    for size in [
        "-1",
        "1.5",
        "1e9",
        "\"1024\"",
        "99999999999999999999",
        "null",
    ] {
        let check = check_text("m.json", &one_layer(GZIP, size, &digest, ""));
        let f = find(&check, "descriptor-size-invalid", "layers[0].size");
        assert_eq!(f.severity, Severity::Error);
        assert_eq!(spanned(&check, f), size, "{size}");
    }
}

#[test]
fn malformed_digests_are_errors_at_the_digest() {
    for digest in [HEX_A, "sha256:abc", "SHA256:x", "sha256:"] {
        let check = check_text("m.json", &one_layer(GZIP, "10", digest, ""));
        let f = find(&check, "descriptor-digest-invalid", "layers[0].digest");
        assert_eq!(spanned(&check, f), digest);
    }
}

#[test]
fn missing_descriptor_fields_are_named() {
    let text = r#"{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar"}]}"#;
    let check = check_text("m.json", text);
    find(&check, "descriptor-field-missing", "layers[0].digest");
    find(&check, "descriptor-field-missing", "layers[0].size");
}

#[test]
fn unknown_layer_media_types_warn_in_images_and_advise_in_artifacts() {
    let digest = format!("sha256:{HEX_A}");
    let check = check_text("m.json", &one_layer("application/x-tar", "10", &digest, ""));
    assert_eq!(
        find(&check, "manifest-media-type", "layers[0].mediaType").severity,
        Severity::Warning
    );
    let artifact = one_layer(
        "application/vnd.cncf.helm.chart.content.v1.tar+gzip",
        "10",
        &digest,
        "",
    )
    .replace(
        "application/vnd.oci.image.config.v1+json",
        "application/vnd.cncf.helm.config.v1+json",
    );
    let check = check_text("m.json", &artifact);
    assert_eq!(
        find(&check, "manifest-media-type", "layers[0].mediaType").severity,
        Severity::Advice
    );
}

#[test]
fn urls_on_an_ordinary_layer_warn() {
    // D.4 rule 3: urls on any descriptor are an external dependency.
    let digest = format!("sha256:{HEX_A}");
    let extra = r#", "urls": ["https://cdn.example.invalid/blob"]"#;
    let check = check_text("m.json", &one_layer(GZIP, "10", &digest, extra));
    let f = find(&check, "descriptor-urls", "layers[0].urls");
    assert_eq!(f.severity, Severity::Warning);
    assert!(f.message.contains("cdn.example.invalid"));
}

#[test]
fn schema_1_and_wrong_versions_are_reported() {
    let check = check_text(
        "m.json",
        r#"{"schemaVersion": 1, "name": "x", "tag": "1", "fsLayers": [{"blobSum": "sha256:x"}]}"#,
    );
    assert_eq!(check.report.kind, "docker-manifest-v1");
    assert_eq!(
        find(&check, "manifest-schema-version", "schemaVersion").severity,
        Severity::Warning
    );
    let digest = format!("sha256:{HEX_A}");
    let v3 =
        one_layer(GZIP, "1", &digest, "").replace("\"schemaVersion\": 2", "\"schemaVersion\": 3");
    let check = check_text("m.json", &v3);
    assert_eq!(
        find(&check, "manifest-schema-version", "schemaVersion").severity,
        Severity::Error
    );
}

#[test]
fn not_json_and_not_a_manifest_are_findings_not_crashes() {
    let check = check_text("x", "{\"layers\": [");
    assert_eq!(check.report.findings[0].code.id, "manifest-not-json");
    let check = check_text("x", r#"{"hello": "world"}"#);
    assert_eq!(check.report.findings[0].code.id, "manifest-not-recognised");
    for text in [
        "",
        "[]",
        "null",
        "\u{feff}",
        "{\"schemaVersion\":2,\"layers\":[1,\"x\",null]}",
    ] {
        let check = check_text("x", text);
        for f in &check.report.findings {
            assert!(f.span.end <= check.report.text.len(), "{text:?}");
        }
    }
}

#[test]
fn detection_for_the_check_command() {
    let yes = acr_preflight::json::parse(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/samples/manifest-index.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert!(manifest::looks_like_manifest(&yes));
    let no = acr_preflight::json::parse(r#"{"name": "blob", "properties": {}}"#).unwrap();
    assert!(!manifest::looks_like_manifest(&no));
}

fn human(check: ManifestCheck) -> String {
    let outcome = Outcome {
        command: "manifest".into(),
        inputs: vec![check.report],
        ..Outcome::default()
    };
    render::human(
        &outcome,
        HumanStyle {
            color: false,
            width: 80,
        },
        &Secrets::new(),
    )
}

#[test]
fn rendered_b30() {
    insta::assert_snapshot!(human(check_file("tests/corpus/cases/B30.json")));
}

#[test]
fn rendered_b32() {
    insta::assert_snapshot!(human(check_file("tests/corpus/cases/B32.json")));
}

#[test]
fn rendered_8_gb_warning() {
    let digest = format!("sha256:{HEX_A}");
    insta::assert_snapshot!(human(check_text(
        "m.json",
        &one_layer(GZIP, "8100000000", &digest, "")
    )));
}

#[test]
fn rendered_index() {
    insta::assert_snapshot!(human(check_file(
        "tests/corpus/samples/manifest-index.json"
    )));
}

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_acr-preflight"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd.args(["--color", "never", "--now", "2026-12-01T00:00:00Z"]);
    cmd
}

#[test]
fn binary_exit_codes_follow_the_findings() {
    let fail = bin()
        .args(["manifest", "tests/corpus/cases/B32.json"])
        .output()
        .unwrap();
    assert_eq!(fail.status.code(), Some(1));
    let pass = bin()
        .args(["manifest", "tests/corpus/samples/manifest-index.json"])
        .output()
        .unwrap();
    assert_eq!(pass.status.code(), Some(0));
    let missing = bin()
        .args(["manifest", "tests/corpus/no-such.json"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no-such.json"));
}

#[test]
fn binary_json_output_has_fields_and_spans() {
    let out = bin()
        .args([
            "--format",
            "json",
            "manifest",
            "tests/corpus/cases/B30.json",
            "tests/corpus/cases/B32.json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["command"], "manifest");
    assert_eq!(doc["ok"], false);
    let first = &doc["inputs"][0]["findings"][0];
    assert_eq!(first["code"], "layer-foreign");
    assert_eq!(first["field"], "layers[0].mediaType");
    assert_eq!(first["span"]["line"], 11);
    let second = &doc["inputs"][1]["findings"][0];
    assert_eq!(second["field"], "layers[1].size");
    assert_eq!(second["span"]["length"], 11);
    assert_eq!(
        doc["inputs"][1]["details"]["largestLayerBytes"],
        12_884_901_888u64
    );
}

#[test]
fn binary_reads_standard_input() {
    use std::io::Write;
    let mut child = bin()
        .args(["manifest", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let text =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/cases/B32.json"))
            .unwrap();
    child.stdin.take().unwrap().write_all(&text).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("<stdin>"));
}
