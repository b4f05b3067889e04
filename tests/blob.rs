//! The blob dump check against the corpus: every real dump, every sample and every
//! blob case, with the verdicts their documentation states; rendered diagnostics are
//! snapshot-tested.

use std::path::{Path, PathBuf};

use acr_preflight::blob::{self, BlobCheck, BlobOptions, DumpSource, Trigger};
use acr_preflight::context::Context;
use acr_preflight::diag::Outcome;
use acr_preflight::diag::render::{self, HumanStyle};
use acr_preflight::secret::Secrets;
use chrono::{DateTime, Utc};

/// The clock for `tests/corpus/real` (made on 2026-12-04).
const REAL_NOW: &str = "2026-12-04T16:00:00Z";
/// The clock for `tests/corpus/samples`: puts one sample blob outside the 60-day window.
const SAMPLES_NOW: &str = "2026-03-10T00:00:00Z";
/// The clock for `tests/corpus/cases`.
const CASES_NOW: &str = "2026-12-01T00:00:00Z";

fn corpus(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(path)
}

fn ctx(now: &str) -> Context {
    let now: DateTime<Utc> = DateTime::parse_from_rfc3339(now)
        .unwrap()
        .with_timezone(&Utc);
    Context::pinned(now)
}

fn check(path: &str, now: &str) -> BlobCheck {
    let file = corpus(path);
    blob::check_file(
        path,
        DumpSource::Path(&file),
        &BlobOptions::default(),
        &ctx(now),
    )
    .unwrap()
}

fn check_bytes(text: &str, now: &str) -> BlobCheck {
    let options = BlobOptions::default();
    blob::check_file(
        "<test>",
        DumpSource::Bytes(text.as_bytes()),
        &options,
        &ctx(now),
    )
    .unwrap()
}

/// Every finding as `subject code severity field`.
fn findings(check: &BlobCheck) -> Vec<String> {
    check
        .reports
        .iter()
        .flat_map(|r| &r.findings)
        .map(|f| {
            let subject = f.subject.clone().unwrap_or_else(|| String::from("-"));
            format!(
                "{subject} {} {} {}",
                f.code.id,
                f.severity.as_str(),
                f.field
            )
        })
        .collect()
}

/// Every verdict as `name trigger reasons`.
fn verdicts(check: &BlobCheck) -> Vec<String> {
    check
        .blobs
        .iter()
        .map(|v| {
            let trigger = match v.trigger {
                Trigger::Fires => "ready",
                Trigger::WillNotFire => "not-ready",
                Trigger::Unknown => "unknown",
            };
            format!("{} {trigger} {}", v.name, v.reasons.join(","))
                .trim_end()
                .to_string()
        })
        .collect()
}

fn human(check: &BlobCheck) -> String {
    let outcome = Outcome {
        command: String::from("blob"),
        inputs: check.reports.clone(),
        ..Outcome::default()
    };
    let style = HumanStyle {
        color: false,
        width: 80,
    };
    let mut text = render::human(&outcome, style, &Secrets::new());
    for line in verdicts(check) {
        text.push_str(&line);
        text.push('\n');
    }
    text
}

// ---- tests/corpus/real: expected verdicts from tests/corpus/README.md ----

#[test]
fn real_az_list_verdicts_per_blob() {
    let check = check("real/az-list.json", REAL_NOW);
    assert_eq!(
        verdicts(&check),
        [
            "exports/blocky-no-md5.tar not-ready content-md5-missing",
            "exports/no-metadata.tar not-ready category-missing",
            "exports/run-2026-12-01.tar ready",
            "exports/upper-key.tar ready",
            "exports/wrong-category.tar not-ready category-wrong-value",
        ]
    );
    assert!(findings(&check).contains(&String::from(
        "exports/upper-key.tar category-key-case warning metadata.category"
    )));
    insta::assert_snapshot!("real_az_list", human(&check));
}

#[test]
fn real_list_blobs_xml_verdicts_match_the_az_listing() {
    let check = check("real/list-blobs.xml", REAL_NOW);
    let all = verdicts(&check);
    let az = verdicts(&self::check("real/az-list.json", REAL_NOW));
    assert_eq!(&all[..5], &az[..]);
    // Two more blobs in the XML: an append blob with no MD5 and no metadata, and a
    // blob with an MD5 but no metadata.
    assert_eq!(
        &all[5..],
        [
            "oracle/a.bin not-ready category-missing,content-md5-missing",
            "oracle/w.bin not-ready category-missing",
        ]
    );
}

#[test]
fn real_single_blob_dumps() {
    let ok = check("real/az-show-run-2026-12-01.json", REAL_NOW);
    assert_eq!(verdicts(&ok), ["exports/run-2026-12-01.tar ready"]);
    assert!(findings(&ok).is_empty());
    let blocky = check("real/az-show-blocky-no-md5.json", REAL_NOW);
    assert_eq!(
        findings(&blocky),
        ["exports/blocky-no-md5.tar content-md5-missing error contentMd5"]
    );
    insta::assert_snapshot!("real_az_show_blocky", human(&blocky));
    let head = check("real/head-run.http", REAL_NOW);
    assert_eq!(head.blobs.len(), 1);
    assert_eq!(head.blobs[0].trigger, Trigger::Fires);
    assert!(findings(&head).is_empty());
}

// ---- tests/corpus/samples: expected verdicts from tests/corpus/samples/README.md ----

#[test]
fn sample_listings_agree_across_formats() {
    let want = [
        "fake-export-2026-03-02.tar.gz ready",
        "fake-export-2026-03-05.tar.gz not-ready content-md5-missing",
        "fake-export-2025-11-18.tar.gz not-ready category-missing,last-modified-too-old",
    ];
    for path in ["samples/az-blob-list.json", "samples/list-blobs.xml"] {
        let check = check(path, SAMPLES_NOW);
        assert_eq!(verdicts(&check), want, "{path}");
        let found = findings(&check);
        assert!(found.contains(&String::from(
            "fake-export-2026-03-05.tar.gz category-key-case warning metadata.category"
        )));
        insta::assert_snapshot!(path.replace(['/', '.'], "_"), human(&check));
    }
}

#[test]
fn sample_single_blob_dumps() {
    let show = check("samples/az-blob-show.json", SAMPLES_NOW);
    assert_eq!(verdicts(&show), ["fake-export-2026-03-02.tar.gz ready"]);
    let headers = check("samples/get-blob-properties.http", SAMPLES_NOW);
    assert_eq!(headers.blobs[0].trigger, Trigger::Fires);
    assert!(findings(&headers).is_empty());
    let legacy = check("samples/az-blob-show-legacy.json", SAMPLES_NOW);
    assert_eq!(
        findings(&legacy),
        [
            "fake-export-2019-11-20 category-key-case warning metadata.category",
            "fake-export-2019-11-20 last-modified-too-old error lastModified",
        ]
    );
    insta::assert_snapshot!("samples_az_blob_show_legacy", human(&legacy));
}

#[test]
fn sample_azcopy_listings_cannot_prove_metadata() {
    let with_properties = check("samples/azcopy-list.txt", SAMPLES_NOW);
    assert_eq!(
        verdicts(&with_properties),
        [
            "fake-export-2026-03-02.tar.gz unknown metadata-not-captured",
            "fake-export-2026-03-05.tar.gz not-ready content-md5-missing,metadata-not-captured",
            "fake-export-2025-11-18.tar.gz not-ready last-modified-too-old,metadata-not-captured",
        ]
    );
    // One finding for the whole dump, not one per blob.
    let gaps = findings(&with_properties)
        .into_iter()
        .filter(|f| f.contains("metadata-not-captured"))
        .count();
    assert_eq!(gaps, 1);
    insta::assert_snapshot!("samples_azcopy_list", human(&with_properties));
    let bare = check("samples/azcopy-list-human.txt", SAMPLES_NOW);
    assert!(bare.blobs.iter().all(|v| v.trigger == Trigger::Unknown));
    assert_eq!(
        findings(&bare),
        [
            "- content-md5-not-captured warning contentMd5",
            "- last-modified-not-captured warning lastModified",
            "- metadata-not-captured warning metadata.category",
        ]
    );
}

#[test]
fn sample_powershell_projection() {
    let check = check("samples/powershell-get-azstorageblob.json", SAMPLES_NOW);
    assert_eq!(
        verdicts(&check),
        [
            "fake-export-2026-03-02.tar.gz ready",
            "fake-export-2026-03-05.tar.gz not-ready content-md5-missing",
        ]
    );
}

// ---- tests/corpus/cases: the primary finding named by each Bnn.expect ----

fn expect(case: &str) -> (String, String) {
    let text = std::fs::read_to_string(corpus(&format!("cases/{case}.expect"))).unwrap();
    let value = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key))
            .map(|v| v.trim().to_string())
            .unwrap()
    };
    (value("verdict:"), value("field:"))
}

#[test]
fn blob_cases_give_their_expected_finding() {
    for (case, input) in [
        ("B22", "B22.json"),
        ("B24", "B24.headers"),
        ("B26", "B26.json"),
        ("B29", "B29.json"),
    ] {
        let (verdict, field) = expect(case);
        // B24.expect names the header, `Content-MD5`; findings carry the canonical
        // property name, `contentMd5`, whatever the dump format.
        let field = if field == "Content-MD5" {
            String::from("contentMd5")
        } else {
            field
        };
        let check = check(&format!("cases/{input}"), CASES_NOW);
        let hit = check
            .reports
            .iter()
            .flat_map(|r| &r.findings)
            .any(|f| f.severity.as_str() == verdict && f.field == field);
        assert!(
            hit,
            "{case}: no {verdict} on {field} in {:?}",
            findings(&check)
        );
        assert!(
            check
                .blobs
                .iter()
                .all(|v| v.trigger == Trigger::WillNotFire)
        );
        insta::assert_snapshot!(format!("case_{case}"), human(&check));
    }
}

#[test]
fn case_b29_counts_calendar_days() {
    let check = check("cases/B29.json", CASES_NOW);
    let finding = &check.reports[0].findings[0];
    assert!(
        finding.message.contains("109 days ago"),
        "{}",
        finding.message
    );
}

// ---- the rules on small inputs ----

fn show(md5: &str, last_modified: &str, metadata: &str) -> String {
    format!(
        r#"{{"name": "b.tar", "metadata": {metadata}, "properties": {{
  "lastModified": "{last_modified}", "contentSettings": {{"contentMd5": {md5}}}}}}}"#
    )
}

fn codes_of(text: &str, now: &str) -> Vec<&'static str> {
    check_bytes(text, now)
        .reports
        .iter()
        .flat_map(|r| r.findings.iter().map(|f| f.code.id))
        .collect()
}

const GOOD_META: &str = r#"{"category": "acr-transfer-blob"}"#;
const NOW: &str = "2026-12-01T00:00:00Z";
const RECENT: &str = "2026-11-20T00:00:00+00:00";

#[test]
fn content_md5_forms() {
    for (md5, want) in [
        (r#""1B2M2Y8AsgTpgAmY7PhCfg==""#, vec![]),
        (r#""""#, vec!["content-md5-missing"]),
        ("null", vec!["content-md5-missing"]),
        (
            r#""d41d8cd98f00b204e9800998ecf8427e""#,
            vec!["content-md5-hex"],
        ),
        // base64 of the hex text of MD5("")
        (
            r#""ZDQxZDhjZDk4ZjAwYjIwNGU5ODAwOTk4ZWNmODQyN2U=""#,
            vec!["content-md5-base64-of-hex"],
        ),
        (r#""YWJj""#, vec!["content-md5-wrong-length"]),
        (r#""not base64!""#, vec!["content-md5-not-base64"]),
        (
            "[212,29,140,217,143,0,178,4,233,128,9,152,236,248,66,126]",
            vec!["content-md5-unusual-form"],
        ),
        ("[1,2,3]", vec!["content-md5-wrong-length"]),
        ("5", vec!["content-md5-not-base64"]),
        (r#"{"value": "x"}"#, vec!["content-md5-not-base64"]),
        (
            r#""bytearray(b'\\xd4\\x1d\\x8c\\xd9\\x8f\\x00\\xb2\\x04\\xe9\\x80\\t\\x98\\xec\\xf8B~')""#,
            vec!["content-md5-unusual-form"],
        ),
    ] {
        assert_eq!(codes_of(&show(md5, RECENT, GOOD_META), NOW), want, "{md5}");
    }
}

#[test]
fn hex_md5_help_gives_the_base64_form() {
    let check = check_bytes(
        &show(r#""d41d8cd98f00b204e9800998ecf8427e""#, RECENT, GOOD_META),
        NOW,
    );
    let help = check.reports[0].findings[0].help.clone().unwrap();
    assert!(help.contains("1B2M2Y8AsgTpgAmY7PhCfg=="), "{help}");
}

#[test]
fn last_modified_window_edges() {
    let md5 = r#""1B2M2Y8AsgTpgAmY7PhCfg==""#;
    for (at, want) in [
        // exactly 60 days: still inside
        (
            "2026-10-02T00:00:00+00:00",
            vec!["last-modified-near-limit"],
        ),
        ("2026-10-01T23:59:59+00:00", vec!["last-modified-too-old"]),
        (
            "2026-10-07T00:00:00+00:00",
            vec!["last-modified-near-limit"],
        ),
        (
            "2026-10-08T00:00:00+00:00",
            vec!["last-modified-near-limit"],
        ),
        // leaves the window exactly 7 days from now: still warned
        (
            "2026-10-09T00:00:00+00:00",
            vec!["last-modified-near-limit"],
        ),
        ("2026-10-10T00:00:00+00:00", vec![]),
        ("2026-12-01T00:04:00+00:00", vec![]),
        ("2026-12-02T00:00:00+00:00", vec!["last-modified-in-future"]),
        ("1 Dec 2026", vec!["last-modified-unreadable"]),
        // Windows PowerShell 5.1 ConvertTo-Json of 2026-11-20T00:00:00Z
        ("\\/Date(1795132800000)\\/", vec![]),
    ] {
        assert_eq!(codes_of(&show(md5, at, GOOD_META), NOW), want, "{at}");
    }
}

#[test]
fn near_limit_names_the_date_it_falls_out() {
    let md5 = r#""1B2M2Y8AsgTpgAmY7PhCfg==""#;
    let check = check_bytes(&show(md5, "2026-10-05T12:00:00+00:00", GOOD_META), NOW);
    let finding = &check.reports[0].findings[0];
    assert!(
        finding.message.contains("2026-12-04 12:00 UTC"),
        "{}",
        finding.message
    );
}

#[test]
fn metadata_category_forms() {
    let md5 = r#""1B2M2Y8AsgTpgAmY7PhCfg==""#;
    for (meta, want) in [
        (GOOD_META, vec![]),
        (
            r#"{"CATEGORY": "acr-transfer-blob"}"#,
            vec!["category-key-case"],
        ),
        (
            r#"{"category": "ACR-Transfer-Blob"}"#,
            vec!["category-value-case"],
        ),
        (r#"{"category": "backup"}"#, vec!["category-wrong-value"]),
        (r#"{"other": "x"}"#, vec!["category-missing"]),
        ("{}", vec!["category-missing"]),
        ("null", vec!["category-missing"]),
    ] {
        assert_eq!(codes_of(&show(md5, RECENT, meta), NOW), want, "{meta}");
    }
}

#[test]
fn a_listing_without_metadata_is_not_a_missing_category() {
    let md5 = r#""1B2M2Y8AsgTpgAmY7PhCfg==""#;
    let listing = format!("[{}, {}]", show(md5, RECENT, "{}"), show(md5, RECENT, "{}"));
    let check = check_bytes(&listing, NOW);
    assert_eq!(
        findings(&check),
        ["- metadata-not-captured warning metadata.category"]
    );
    assert!(check.blobs.iter().all(|v| v.trigger == Trigger::Unknown));
    let help = check.reports[0].findings[0].help.clone().unwrap();
    assert!(help.contains("--include m"), "{help}");
    // One record with metadata proves the listing was made with it.
    let listing = format!(
        "[{}, {}]",
        show(md5, RECENT, "{}"),
        show(md5, RECENT, GOOD_META)
    );
    assert_eq!(codes_of(&listing, NOW), ["category-missing"]);
}

#[test]
fn list_blobs_without_include_metadata_cannot_tell() {
    let xml = "<EnumerationResults><Blobs><Blob><Name>a</Name><Properties>\
        <Last-Modified>Fri, 20 Nov 2026 00:00:00 GMT</Last-Modified>\
        <Content-MD5>1B2M2Y8AsgTpgAmY7PhCfg==</Content-MD5></Properties></Blob></Blobs>\
        </EnumerationResults>";
    assert_eq!(codes_of(xml, NOW), ["metadata-not-captured"]);
    let help = check_bytes(xml, NOW).reports[0].findings[0]
        .help
        .clone()
        .unwrap();
    assert!(help.contains("include=metadata"), "{help}");
}

#[test]
fn listing_skips_markers_and_prefixes() {
    let md5 = r#""1B2M2Y8AsgTpgAmY7PhCfg==""#;
    let listing = format!(
        r#"[{}, {{"name": "dir/"}}, {{"nextMarker": "abc"}}]"#,
        show(md5, RECENT, GOOD_META)
    );
    let check = check_bytes(&listing, NOW);
    assert_eq!(verdicts(&check), ["b.tar ready"]);
    // A `--query` projection may keep `nextMarker` on every blob: still a blob.
    let projected = format!(
        "[{}]",
        show(md5, RECENT, GOOD_META).replacen('{', "{\"nextMarker\": null, ", 1)
    );
    assert_eq!(verdicts(&check_bytes(&projected, NOW)), ["b.tar ready"]);
}

// ---- spans and windows of a streamed listing ----

#[test]
fn streamed_listing_spans_point_into_the_whole_file() {
    let path = corpus("real/az-list.json");
    let whole = std::fs::read_to_string(&path).unwrap();
    let check = check("real/az-list.json", REAL_NOW);
    for report in &check.reports {
        for finding in &report.findings {
            let local = &report.text[finding.span.clone()];
            let start = report.base_offset + finding.span.start;
            assert_eq!(&whole[start..start + local.len()], local);
            let (line, column) = acr_preflight::diag::line_column(&report.text, finding.span.start);
            let (want_line, want_column) = acr_preflight::diag::line_column(&whole, start);
            assert_eq!(
                (line + report.base_line - 1, column),
                (want_line, want_column)
            );
        }
    }
    let json = render::json(
        &Outcome {
            command: String::from("blob"),
            inputs: check.reports.clone(),
            ..Outcome::default()
        },
        &Secrets::new(),
    );
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let first = &doc["inputs"][0]["findings"][0];
    assert_eq!(first["code"], "content-md5-missing");
    assert_eq!(first["field"], "contentMd5");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["span"]["line"], 37);
    let offset = first["span"]["offset"].as_u64().unwrap() as usize;
    assert_eq!(&whole[offset..offset + 4], "null");
}

#[test]
fn a_broken_listing_is_a_finding_with_the_right_line() {
    let md5 = r#""1B2M2Y8AsgTpgAmY7PhCfg==""#;
    let listing = format!(
        "[\n{},\n{{\"name\": \"x\",, }}\n]",
        show(md5, RECENT, GOOD_META)
    );
    let check = check_bytes(&listing, NOW);
    assert_eq!(codes_of(&listing, NOW), ["dump-unreadable"]);
    let report = check
        .reports
        .iter()
        .find(|r| !r.findings.is_empty())
        .unwrap();
    assert_eq!(report.base_line, 4);
    assert_eq!(check.blobs.len(), 1);
}

#[test]
fn large_listings_keep_only_the_first_failing_blobs() {
    let one = show("null", RECENT, GOOD_META);
    let listing = format!("[{}]", vec![one; 1500].join(","));
    let check = check_bytes(&listing, NOW);
    assert_eq!(check.blobs.len(), 1500);
    let shown: usize = check.reports.iter().map(|r| r.findings.len()).sum();
    assert_eq!(shown, blob::collect::MAX_SHOWN_BLOBS);
    assert_eq!(check.reports[0].details["omittedBlobs"], 500);
    assert_eq!(check.reports[0].details["notReady"], 1500);
    assert!(check.reports[0].details.get("verdicts").is_none());
}

/// Fault: the totals and the exit status counted only the findings kept for display,
/// so a listing of 1,500 blobs without MD5 reported 1,000 errors.
#[test]
fn counts_include_findings_of_blobs_past_the_display_cap() {
    let one = show("null", RECENT, GOOD_META);
    let listing = format!("[{}]", vec![one; 1500].join(","));
    let check = check_bytes(&listing, NOW);
    // Each blob lacks ContentMD5 and nothing else: one error per blob.
    assert_eq!(check.not_shown.error, 500);
    assert_eq!(check.not_shown.warning + check.not_shown.advice, 0);
}

#[test]
fn columns_are_right_for_an_element_in_the_middle_of_a_line() {
    let md5 = r#""1B2M2Y8AsgTpgAmY7PhCfg==""#;
    let record = show(md5, RECENT, GOOD_META).replace("\"name\": \"b.tar\", ", "");
    let listing = format!("[{record}, {record}]").replace('\n', "");
    let check = check_bytes(&listing, NOW);
    let columns: Vec<usize> = check
        .reports
        .iter()
        .flat_map(|r| {
            r.findings.iter().map(|f| {
                assert_eq!(f.code.id, "blob-name-missing");
                acr_preflight::diag::line_column(&r.text, f.span.start).1
            })
        })
        .collect();
    assert_eq!(columns, [2, listing.find("}, {").unwrap() + 4]);
}

// ---- bad input: diagnostics, never a panic ----

#[test]
fn odd_inputs_give_findings() {
    for text in [
        "",
        "hello",
        "[",
        "{",
        "[1, \"x\", null]",
        "<EnumerationResults><Blobs><Blob>",
        "HTTP/1.1 200 OK\r\n\r\n",
        "\u{feff}[]",
        "INFO: a;  Content Length: 1\nINFO: ;  Content Length: x",
        "{\"name\": 5, \"properties\": 7, \"metadata\": [1]}",
    ] {
        let check = check_bytes(text, NOW);
        let _ = human(&check);
        for report in &check.reports {
            for finding in &report.findings {
                assert!(finding.span.end <= report.text.len(), "{text:?}");
                assert!(report.text.is_char_boundary(finding.span.start), "{text:?}");
            }
        }
    }
    assert_eq!(codes_of("hello", NOW), ["dump-format-unknown"]);
    assert_eq!(codes_of("", NOW), ["dump-format-unknown"]);
    assert_eq!(
        codes_of("HTTP/1.1 200 OK\r\n\r\n", NOW),
        [
            "last-modified-not-captured",
            "content-md5-missing",
            "category-missing"
        ]
    );
}

// ---- detection of header dumps without a status line ----

#[test]
fn a10_key_value_text_is_not_a_header_dump() {
    use acr_preflight::blob::DumpFormat;
    assert_eq!(blob::detect("registry: myacr\nimage: app:1.0\n"), None);
    assert_eq!(
        blob::detect("Content-Length: 12\nContent-Type: text/plain\n"),
        None
    );
    for case in ["B01", "B05", "B22", "B24", "B30"] {
        let text = std::fs::read_to_string(corpus(&format!("cases/{case}.expect"))).unwrap();
        assert_eq!(blob::detect(&text), None, "{case}.expect");
    }
    // Headers Get Blob Properties returns (fact sheet C.3), in any case.
    for text in [
        "Content-Length: 12\nlast-modified: Mon, 02 Mar 2026 08:17:09 GMT\n",
        "ETag: \"0x8CAE97120C1FF22\"\n",
        "Content-MD5: 1B2M2Y8AsgTpgAmY7PhCfg==\r\n",
        "X-Ms-Blob-Type: BlockBlob\nContent-Length: 1\n",
        "x-ms-meta-category: acr-transfer-blob\n",
    ] {
        assert_eq!(blob::detect(text), Some(DumpFormat::Headers), "{text:?}");
    }
}

// ---- absent is not captured, not unreadable ----

#[test]
fn a11_a_header_dump_without_last_modified_is_not_captured() {
    let text = "HTTP/1.1 200 OK\r\nContent-MD5: 1B2M2Y8AsgTpgAmY7PhCfg==\r\n\
        x-ms-meta-category: acr-transfer-blob\r\n\r\n";
    let check = check_bytes(text, NOW);
    assert_eq!(
        findings(&check),
        ["- last-modified-not-captured warning lastModified"]
    );
    assert_eq!(
        verdicts(&check),
        ["<test> unknown last-modified-not-captured"]
    );
}

#[test]
fn a11_other_formats_without_last_modified_are_not_captured() {
    let json = r#"{"name": "b.tar", "metadata": {"category": "acr-transfer-blob"},
        "properties": {"contentSettings": {"contentMd5": "1B2M2Y8AsgTpgAmY7PhCfg=="}}}"#;
    let xml = "<EnumerationResults><Blobs><Blob><Name>b.tar</Name><Properties>\
        <Content-MD5>1B2M2Y8AsgTpgAmY7PhCfg==</Content-MD5></Properties><Metadata>\
        <category>acr-transfer-blob</category></Metadata></Blob></Blobs></EnumerationResults>";
    for text in [json, xml] {
        assert_eq!(
            codes_of(text, NOW),
            ["last-modified-not-captured"],
            "{text}"
        );
    }
    // A value that is there but null or empty stays a finding on the value.
    assert_eq!(
        codes_of(&show(r#""1B2M2Y8AsgTpgAmY7PhCfg==""#, "", GOOD_META), NOW),
        ["last-modified-unreadable"]
    );
}

#[test]
fn content_md5_that_is_not_a_string_says_so() {
    for (md5, what) in [
        ("5", "a number"),
        (r#"{"a": 1}"#, "an object"),
        ("true", "true or false"),
    ] {
        let check = check_bytes(&show(md5, RECENT, GOOD_META), NOW);
        let messages: Vec<&str> = check
            .reports
            .iter()
            .flat_map(|r| r.findings.iter().map(|f| f.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            [format!("ContentMD5 is {what}, not a string")],
            "{md5}"
        );
    }
}

// ---- XML: no entity expansion, no external entity ----

#[test]
fn xml_entities_are_never_expanded() {
    let mut laughs =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
    for i in 1..10 {
        let prev = if i == 1 {
            String::from("lol")
        } else {
            format!("lol{}", i - 1)
        };
        laughs.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    laughs.push_str("]>\n<EnumerationResults><Blobs><Blob><Name>&lol9;</Name></Blob></Blobs></EnumerationResults>");
    let check = check_bytes(&laughs, NOW);
    assert_eq!(check.blobs[0].name, "&lol9;");
}

#[test]
fn xml_external_entities_are_never_read() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret.txt");
    std::fs::write(&secret, "TOP-SECRET-CONTENT").unwrap();
    let xml = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM \"file://{}\">]>\n\
         <EnumerationResults><Blobs><Blob><Name>&xxe;</Name><Metadata><category>&xxe;</category>\
         </Metadata></Blob></Blobs></EnumerationResults>",
        secret.display()
    );
    let check = check_bytes(&xml, NOW);
    assert_eq!(check.blobs[0].name, "&xxe;");
    let rendered = human(&check);
    assert!(!rendered.contains("TOP-SECRET-CONTENT"));
    let json = render::json(
        &Outcome {
            command: String::from("blob"),
            inputs: check.reports.clone(),
            ..Outcome::default()
        },
        &Secrets::new(),
    );
    assert!(!json.contains("TOP-SECRET-CONTENT"));
}

// ---- --content and --content-dir ----

#[test]
fn content_mismatch_names_both_values_in_base64_and_hex() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("b.tar");
    std::fs::write(&file, b"abc").unwrap();
    let dump = show(r#""1B2M2Y8AsgTpgAmY7PhCfg==""#, RECENT, GOOD_META);
    let options = BlobOptions {
        content: Some(file.clone()),
        ..BlobOptions::default()
    };
    let check = blob::check_file(
        "<test>",
        DumpSource::Bytes(dump.as_bytes()),
        &options,
        &ctx(NOW),
    )
    .unwrap();
    let finding = &check.reports[0].findings[0];
    assert_eq!(finding.code.id, "content-md5-mismatch");
    // MD5("abc") and MD5(""), RFC 1321 appendix A.5.
    for value in [
        "kAFQmDzST7DWlj99KOF/cg==",
        "900150983cd24fb0d6963f7d28e17f72",
        "1B2M2Y8AsgTpgAmY7PhCfg==",
        "d41d8cd98f00b204e9800998ecf8427e",
    ] {
        assert!(finding.message.contains(value), "{}", finding.message);
    }
    std::fs::write(&file, b"").unwrap();
    let check = blob::check_file(
        "<test>",
        DumpSource::Bytes(dump.as_bytes()),
        &options,
        &ctx(NOW),
    )
    .unwrap();
    assert!(findings(&check).is_empty());
}

#[test]
fn content_dir_matches_files_to_blobs_by_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("exports")).unwrap();
    std::fs::write(dir.path().join("exports/a.tar"), b"").unwrap();
    std::fs::write(dir.path().join("exports/b.tar"), b"abc").unwrap();
    let md5 = r#""1B2M2Y8AsgTpgAmY7PhCfg==""#;
    let listing = format!(
        "[{}, {}, {}]",
        show(md5, RECENT, GOOD_META).replace("b.tar", "exports/a.tar"),
        show(md5, RECENT, GOOD_META).replace("b.tar", "exports/b.tar"),
        show(md5, RECENT, GOOD_META).replace("b.tar", "exports/c.tar"),
    );
    let options = BlobOptions {
        content_dir: Some(dir.path().to_path_buf()),
        ..BlobOptions::default()
    };
    let check = blob::check_file(
        "<test>",
        DumpSource::Bytes(listing.as_bytes()),
        &options,
        &ctx(NOW),
    )
    .unwrap();
    assert_eq!(
        findings(&check),
        ["exports/b.tar content-md5-mismatch error contentMd5"]
    );
    assert_eq!(check.reports[0].details["contentCompared"], 2);
}

#[test]
fn detect_names_every_format() {
    use acr_preflight::blob::DumpFormat;
    for (path, want) in [
        ("real/az-list.json", DumpFormat::AzList),
        ("real/az-show-run-2026-12-01.json", DumpFormat::AzShow),
        ("real/head-run.http", DumpFormat::Headers),
        ("cases/B24.headers", DumpFormat::Headers),
        ("real/list-blobs.xml", DumpFormat::ListBlobsXml),
        ("samples/azcopy-list.txt", DumpFormat::Azcopy),
        ("samples/azcopy-list-human.txt", DumpFormat::Azcopy),
        (
            "samples/powershell-get-azstorageblob.json",
            DumpFormat::Powershell,
        ),
    ] {
        let text = std::fs::read_to_string(corpus(path)).unwrap();
        assert_eq!(blob::detect(&text), Some(want), "{path}");
    }
    assert_eq!(blob::detect("Content-MD5: x\n"), Some(DumpFormat::Headers));
    assert_eq!(blob::detect("hello"), None);
}

/// Cuts and corrupts every corpus dump in many places: each result must give findings
/// whose spans lie inside their text on character boundaries, and render, never panic.
#[test]
fn damaged_dumps_never_panic() {
    let files = [
        "real/az-list.json",
        "real/list-blobs.xml",
        "real/head-run.http",
        "samples/azcopy-list.txt",
        "samples/powershell-get-azstorageblob.json",
        "cases/B24.headers",
    ];
    for path in files {
        let text = std::fs::read(corpus(path)).unwrap();
        let step = (text.len() / 30).max(1);
        for cut in (0..text.len()).step_by(step) {
            let mut damaged: Vec<Vec<u8>> = vec![text[..cut].to_vec()];
            for byte in [b'"', b'<', b'\n', b'}', 0xC3, b'\\'] {
                let mut one = text.clone();
                one[cut] = byte;
                damaged.push(one);
            }
            for bytes in damaged {
                let options = BlobOptions::default();
                let check =
                    blob::check_file("<damaged>", DumpSource::Bytes(&bytes), &options, &ctx(NOW))
                        .unwrap();
                for report in &check.reports {
                    for finding in &report.findings {
                        for span in std::iter::once(&finding.span)
                            .chain(finding.related.iter().map(|l| &l.span))
                        {
                            assert!(span.start <= span.end && span.end <= report.text.len());
                            assert!(report.text.is_char_boundary(span.start), "{path} {cut}");
                            assert!(report.text.is_char_boundary(span.end), "{path} {cut}");
                        }
                    }
                }
                let _ = human(&check);
            }
        }
    }
}

#[test]
fn json_rendering_of_a_sample_listing() {
    let check = check("samples/az-blob-list.json", SAMPLES_NOW);
    let outcome = Outcome {
        command: String::from("blob"),
        inputs: check.reports.clone(),
        ..Outcome::default()
    };
    insta::assert_snapshot!(
        "json_samples_az_blob_list",
        render::json(&outcome, &Secrets::new())
    );
}

#[test]
fn blobs_waiting_on_metadata_do_not_crowd_out_failing_ones() {
    let md5 = r#""1B2M2Y8AsgTpgAmY7PhCfg==""#;
    let empty = show(md5, RECENT, "{}");
    let failing = show("null", RECENT, "{}");
    // Made without --include m: 1,500 blobs that cannot be judged, then one that fails.
    let mut records = vec![empty.clone(); 1500];
    records.push(failing);
    let check = check_bytes(&format!("[{}]", records.join(",")), NOW);
    assert_eq!(check.reports[0].details["omittedBlobs"], 0);
    let shown: Vec<&str> = check
        .reports
        .iter()
        .flat_map(|r| r.findings.iter().map(|f| f.code.id))
        .collect();
    assert_eq!(shown, ["metadata-not-captured", "content-md5-missing"]);
    // One record with metadata: the 1,500 empty ones lack the category.
    let mut records = vec![empty; 1500];
    records.push(show(md5, RECENT, GOOD_META));
    let check = check_bytes(&format!("[{}]", records.join(",")), NOW);
    assert_eq!(check.reports[0].details["omittedBlobs"], 500);
    assert_eq!(check.reports[0].details["notReady"], 1500);
}

/// A category that reads right on screen but holds a look-alike letter: the message
/// names the character, since nothing else on screen shows why it is wrong.
#[test]
fn a_look_alike_letter_in_the_category_is_named() {
    let md5 = r#""1B2M2Y8AsgTpgAmY7PhCfg==""#;
    let value =
        show(md5, RECENT, GOOD_META).replace("acr-transfer-blob", "acr-transf\u{0435}r-blob");
    let check = check_bytes(&value, NOW);
    let finding = &check.reports[0].findings[0];
    assert_eq!(finding.code.id, "category-wrong-value");
    assert!(
        finding
            .message
            .contains("U+0435 CYRILLIC SMALL LETTER IE, which looks like `e`")
    );
    let key = show(md5, RECENT, GOOD_META).replace("\"category\"", "\"c\u{0430}tegory\"");
    let check = check_bytes(&key, NOW);
    let finding = &check.reports[0].findings[0];
    assert_eq!(finding.code.id, "category-missing");
    assert!(finding.message.contains("U+0430 CYRILLIC SMALL LETTER A"));
}
