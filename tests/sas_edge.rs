//! The edge-case tables of the SAS fact sheet (section 12), one row per case, each
//! named by its row number. Verdicts: OK (no error, no warning), WARN (worst is a
//! warning, one on the named field), FAIL (an error on the named field; ACR-FAIL rows
//! are FAIL in the pipeline mode). Where the sheet says "OK/WARN" or "WARN/FAIL" the
//! row says which was picked and why.

use acr_preflight::context::Context;
use acr_preflight::diag::{InputReport, Severity};
use acr_preflight::input;
use acr_preflight::sas::{self, Purpose, SasOptions};
use chrono::{DateTime, Utc};

/// "Now" for every row: before every `se` of the sheet unless a row says otherwise.
const NOW: &str = "2026-12-01T00:00:00Z";

/// Standard base64 of 32 bytes, percent-encoded (the sheet's SIG1).
const SIG1: &str = "FAKEsigTESTonly0000000000000000000000000000%3D";

/// The sheet's row 1 token: a container SAS as the ACR guide makes it.
const SERVICE: &str = "se=2030-01-01T00:00:00Z&sp=rawl&spr=https&sv=2021-06-08&sr=c\
&sig=FAKEsigTESTonly0000000000000000000000000000%3D";

/// An account SAS fit for export.
const ACCOUNT: &str = "sv=2021-06-08&ss=b&srt=sco&sp=rwla&se=2030-01-01T00:00:00Z\
&spr=https&sig=FAKEsigTESTonly0000000000000000000000000000%3D";

/// A user delegation SAS whose key covers the token.
const DELEGATION: &str = "sv=2021-06-08&sr=c&sp=rl&st=2026-11-30T00:00:00Z\
&se=2026-12-05T00:00:00Z&skoid=6a1f2b3c-0000-4000-8000-00000000abcd\
&sktid=72f988bf-0000-4000-8000-0000000000aa&skt=2026-11-30T00:00:00Z\
&ske=2026-12-06T00:00:00Z&sks=b&skv=2021-06-08&spr=https\
&sig=FAKEsigTESTonly0000000000000000000000000000%3D";

#[derive(Debug, Clone, Copy)]
enum Verdict {
    /// No error and no warning.
    Ok,
    /// No error (warnings from another row's rule may remain).
    NoError,
    /// The worst finding is a warning, and one is on this field.
    Warn(&'static str),
    /// An error on this field.
    Fail(&'static str),
}

use Verdict::{Fail, NoError, Ok, Warn};

#[derive(Debug, Clone, Copy)]
enum Mode {
    Any,
    Export,
    Import,
    ImportDelete,
}

/// Replaces (or adds before `sig`) each `key=value`; a value of `None` removes the key.
fn with(base: &str, changes: &[(&str, Option<&str>)]) -> String {
    let mut fields: Vec<String> = base.split('&').map(str::to_string).collect();
    for (key, value) in changes {
        let at = fields
            .iter()
            .position(|f| f.split('=').next() == Some(*key));
        match (at, value) {
            (Some(i), Some(v)) => fields[i] = format!("{key}={v}"),
            (Some(i), None) => {
                fields.remove(i);
            }
            (None, Some(v)) => {
                let sig = fields
                    .iter()
                    .position(|f| f.starts_with("sig="))
                    .unwrap_or(fields.len());
                fields.insert(sig, format!("{key}={v}"));
            }
            (None, None) => {}
        }
    }
    fields.join("&")
}

fn set(base: &str, key: &str, value: &str) -> String {
    with(base, &[(key, Some(value))])
}

fn check(text: &str, mode: Mode) -> InputReport {
    let now: DateTime<Utc> = DateTime::parse_from_rfc3339(NOW).unwrap().into();
    let (purpose, delete) = match mode {
        Mode::Any => (Purpose::Any, false),
        Mode::Export => (Purpose::AcrExport, false),
        Mode::Import => (Purpose::AcrImport, false),
        Mode::ImportDelete => (Purpose::AcrImport, true),
    };
    let options = SasOptions {
        purpose,
        delete_source_blob_on_success: delete,
        ..SasOptions::default()
    };
    let decoded = input::decode(text.as_bytes());
    sas::check("row", &decoded, &options, &Context::pinned(now)).report
}

fn assert_row(row: &str, text: &str, mode: Mode, verdict: Verdict) {
    let report = check(text, mode);
    let on = |field: &str, severity: Severity| {
        report
            .findings
            .iter()
            .any(|f| f.field == field && f.severity == severity)
    };
    let summary: Vec<String> = report
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {} ({}): {}",
                f.severity.as_str(),
                f.code.id,
                f.field,
                f.message
            )
        })
        .collect();
    let context = format!(
        "row {row}: {text:?} {mode:?} {verdict:?}\n{}",
        summary.join("\n")
    );
    match verdict {
        Ok => assert!(report.worst() < Some(Severity::Warning), "{context}"),
        NoError => assert!(report.worst() < Some(Severity::Error), "{context}"),
        Warn(field) => {
            assert_eq!(report.worst(), Some(Severity::Warning), "{context}");
            assert!(on(field, Severity::Warning), "{context}");
        }
        Fail(field) => assert!(on(field, Severity::Error), "{context}"),
    }
}

// ---- 12.1 Structure / encoding ------------------------------------------------------

#[test]
fn row_01_leading_question_mark_is_ok() {
    // OK in `any`; for export the container-SAS warning of case B05 applies.
    assert_row("1", &format!("?{SERVICE}"), Mode::Any, Ok);
    assert_row("1", &format!("?{SERVICE}"), Mode::Export, Warn("sr"));
}

#[test]
fn row_02_bare_token_is_ok() {
    assert_row("2", SERVICE, Mode::Any, Ok);
}

#[test]
fn row_03_two_question_marks_fail() {
    assert_row("3", &format!("??{SERVICE}"), Mode::Any, Fail("se"));
}

#[test]
fn row_04_whole_url_warns_for_a_pipeline() {
    let url = format!("https://acct.blob.core.windows.net/transfer?{ACCOUNT}");
    assert_row("4", &url, Mode::Export, Warn("token"));
}

#[test]
fn row_05_raw_plus_in_signature_fails() {
    let text = set(
        SERVICE,
        "sig",
        "FAKE+SIG/TEST00000000000000000000000000000A=",
    );
    assert_row("5", &text, Mode::Any, Fail("sig"));
}

#[test]
fn row_06_raw_slash_in_signature_is_ok() {
    let text = set(
        SERVICE,
        "sig",
        "FAKE%2BSIG/TEST00000000000000000000000000000A%3D",
    );
    assert_row("6", &text, Mode::Any, Ok);
}

#[test]
fn row_07_raw_trailing_equals_warns() {
    let text = set(
        SERVICE,
        "sig",
        "FAKEsigTESTonly0000000000000000000000000000=",
    );
    assert_row("7", &text, Mode::Any, Warn("sig"));
}

#[test]
fn row_08_double_encoded_signature_fails() {
    let text = set(
        SERVICE,
        "sig",
        "FAKE%252BSIG%2FTEST00000000000000000000000000000A%3D",
    );
    assert_row("8", &text, Mode::Any, Fail("sig"));
}

#[test]
fn row_09_signature_of_31_or_33_bytes_fails() {
    let short = set(
        SERVICE,
        "sig",
        "FAKEsigTESTonly000000000000000000000000000%3D%3D",
    );
    assert_row("9", &short, Mode::Any, Fail("sig"));
    let long = set(
        SERVICE,
        "sig",
        "FAKEsigTESTonly00000000000000000000000000000",
    );
    assert_row("9", &long, Mode::Any, Fail("sig"));
}

#[test]
fn row_10_url_safe_base64_fails() {
    let text = set(
        SERVICE,
        "sig",
        "FAKE-SIG_TEST00000000000000000000000000000A%3D",
    );
    assert_row("10", &text, Mode::Any, Fail("sig"));
}

#[test]
fn row_11_missing_or_empty_signature_fails() {
    assert_row(
        "11",
        &with(SERVICE, &[("sig", None)]),
        Mode::Any,
        Fail("sig"),
    );
    assert_row("11", &set(SERVICE, "sig", ""), Mode::Any, Fail("sig"));
}

#[test]
fn row_12_raw_and_encoded_colons_are_both_ok() {
    // The sheet's `st=2030-01-01...` would be in the future; a past start keeps
    // the row about the encoding only.
    assert_row(
        "12",
        &set(SERVICE, "st", "2026-11-30T00:00:00Z"),
        Mode::Any,
        Ok,
    );
    assert_row(
        "12",
        &set(SERVICE, "st", "2026-11-30T00%3A00%3A00Z"),
        Mode::Any,
        Ok,
    );
}

#[test]
fn row_13_upper_case_keys_warn() {
    let text = SERVICE.replace("sv=", "SV=").replace("sp=", "SP=");
    assert_row("13", &text, Mode::Any, Warn("sv"));
}

#[test]
fn row_14_duplicate_key_fails() {
    let text = SERVICE.replace("sp=rawl", "sp=rawl&sp=rwl");
    assert_row("14", &text, Mode::Any, Fail("sp"));
}

#[test]
fn row_15_request_parameters_in_the_secret_warn() {
    let text = format!("comp=list&restype=container&{SERVICE}");
    assert_row("15", &text, Mode::Any, Warn("comp"));
}

#[test]
fn row_16_key_without_equals_fails() {
    let text = SERVICE.replace("spr=https", "spr");
    assert_row("16", &text, Mode::Any, Fail("spr"));
}

#[test]
fn row_17_encoded_ampersand_in_a_header_override_is_ok() {
    let text = set(SERVICE, "rscd", "attachment%3B%20filename%3D%22a%26b%22");
    assert_row("17", &text, Mode::Any, Ok);
}

#[test]
fn row_18_whitespace_in_the_secret_warns() {
    // A single line ending at the end of a file is how text files end (case B04 is a
    // file ending in a newline and must pass); whitespace that would end up in a Key
    // Vault secret, or more than that line ending, is the risk this row is about.
    let vault = format!("{{\"value\": \"?{SERVICE}\\n\"}}");
    assert_row("18", &vault, Mode::Any, Warn("token"));
    assert_row("18", &format!("{SERVICE}  \n"), Mode::Any, Warn("token"));
    assert_row("18", &format!("{SERVICE}\n"), Mode::Any, Ok);
}

// ---- 12.2 Times -----------------------------------------------------------------------

fn expiry(value: &str) -> String {
    set(SERVICE, "se", value)
}

#[test]
fn row_19_seconds_form_is_ok() {
    assert_row("19", &expiry("2030-01-01T00:00:00Z"), Mode::Any, Ok);
}

#[test]
fn row_20_date_only_warns() {
    // WARN, not OK: the service accepts it, but old Go/Java/AzCopy clients drop it,
    // and case B14 expects a warning.
    assert_row("20", &expiry("2030-01-01"), Mode::Any, Warn("se"));
}

#[test]
fn row_21_minutes_form_is_ok() {
    assert_row("21", &expiry("2030-01-01T00:00Z"), Mode::Any, Ok);
}

#[test]
fn row_22_hour_only_warns() {
    assert_row("22", &expiry("2030-01-01T00Z"), Mode::Any, Warn("se"));
}

#[test]
fn row_23_seven_fraction_digits_are_ok() {
    assert_row("23", &expiry("2030-01-01T00:00:00.0000000Z"), Mode::Any, Ok);
}

#[test]
fn row_24_three_fraction_digits_warn() {
    assert_row(
        "24",
        &expiry("2030-01-01T00:00:00.123Z"),
        Mode::Any,
        Warn("se"),
    );
}

#[test]
fn row_25_eight_fraction_digits_fail() {
    assert_row(
        "25",
        &expiry("2030-01-01T00:00:00.12345678Z"),
        Mode::Any,
        Fail("se"),
    );
}

#[test]
fn row_26_utc_offset_fails() {
    assert_row(
        "26",
        &expiry("2030-01-01T00:00:00+02:00"),
        Mode::Any,
        Fail("se"),
    );
    assert_row(
        "26",
        &expiry("2030-01-01T00:00:00%2B02:00"),
        Mode::Any,
        Fail("se"),
    );
}

#[test]
fn row_27_no_zone_designator_fails() {
    assert_row("27", &expiry("2030-01-01T00:00:00"), Mode::Any, Fail("se"));
}

#[test]
fn row_28_lower_case_designators_fail() {
    assert_row("28", &expiry("2030-01-01t00:00:00z"), Mode::Any, Fail("se"));
}

#[test]
fn row_29_impossible_date_fails() {
    assert_row("29", &expiry("2030-02-30T00:00:00Z"), Mode::Any, Fail("se"));
}

#[test]
fn row_30_space_instead_of_t_fails() {
    assert_row(
        "30",
        &expiry("2030-01-01%2000:00:00Z"),
        Mode::Any,
        Fail("se"),
    );
    assert_row("30", &expiry("2030-01-01 00:00:00Z"), Mode::Any, Fail("se"));
}

#[test]
fn row_31_missing_expiry_fails() {
    assert_row("31", &with(SERVICE, &[("se", None)]), Mode::Any, Fail("se"));
}

#[test]
fn row_32_expired_fails() {
    assert_row("32", &expiry("2021-01-01"), Mode::Any, Fail("se"));
}

#[test]
fn row_33_start_after_expiry_fails() {
    assert_row(
        "33",
        &set(SERVICE, "st", "2030-02-01T00:00:00Z"),
        Mode::Any,
        Fail("st"),
    );
}

#[test]
fn row_34_start_minutes_ahead_warns() {
    assert_row(
        "34",
        &set(SERVICE, "st", "2026-12-01T00:05:00Z"),
        Mode::Any,
        Warn("st"),
    );
}

#[test]
fn row_35_expiry_after_key_expiry_warns() {
    // WARN, not FAIL: the token works until the key expires, then fails; that is a
    // shorter life than `se` says, not a token the service refuses now.
    let text = set(DELEGATION, "se", "2026-12-07T00:00:00Z");
    assert_row("35", &text, Mode::Any, Warn("se"));
}

#[test]
fn row_36_key_longer_than_seven_days_fails() {
    let text = set(DELEGATION, "ske", "2026-12-08T00:00:01Z");
    assert_row("36", &text, Mode::Any, Fail("ske"));
}

// ---- 12.3 Permissions / resource ------------------------------------------------------

fn service_sp(sp: &str) -> String {
    set(SERVICE, "sp", sp)
}

fn account(changes: &[(&str, Option<&str>)]) -> String {
    with(ACCOUNT, changes)
}

#[test]
fn row_37_canonical_container_permissions_are_ok() {
    assert_row("37", &service_sp("rawl"), Mode::Any, Ok);
}

#[test]
fn row_38_cli_input_order_fails() {
    assert_row("38", &service_sp("alrw"), Mode::Any, Fail("sp"));
}

#[test]
fn row_39_import_permissions_are_ok() {
    // No error for import; the container-SAS warning (case B05) still applies there.
    assert_row("39", &service_sp("rdl"), Mode::Any, Ok);
    assert_row("39", &service_sp("rdl"), Mode::ImportDelete, NoError);
}

#[test]
fn row_40_wrong_order_fails() {
    assert_row("40", &service_sp("dlr"), Mode::Any, Fail("sp"));
}

#[test]
fn row_41_f_before_t_fails() {
    let text = with(SERVICE, &[("sr", Some("b")), ("sp", Some("rwxft"))]);
    assert_row("41", &text, Mode::Any, Fail("sp"));
}

#[test]
fn row_42_account_letters_on_a_service_sas_fail() {
    assert_row("42", &service_sp("rwdlacup"), Mode::Any, Fail("sp"));
}

#[test]
fn row_43_repeated_letter_fails() {
    assert_row("43", &service_sp("rrwl"), Mode::Any, Fail("sp"));
}

#[test]
fn row_44_upper_case_letters_fail() {
    assert_row("44", &service_sp("RAWL"), Mode::Any, Fail("sp"));
}

#[test]
fn row_45_account_export_token_is_ok() {
    assert_row("45", &account(&[]), Mode::Export, Ok);
}

#[test]
fn row_46_account_order_is_free() {
    // OK (with advice): the service does not enforce an order for account SAS.
    assert_row("46", &account(&[("sp", Some("alrw"))]), Mode::Export, Ok);
}

#[test]
fn row_47_account_without_blob_service_fails_for_acr() {
    assert_row(
        "47",
        &account(&[("ss", Some("f"))]),
        Mode::Export,
        Fail("ss"),
    );
}

#[test]
fn row_48_account_without_container_type_fails_for_acr() {
    assert_row(
        "48",
        &account(&[("srt", Some("o"))]),
        Mode::Export,
        Fail("srt"),
    );
}

#[test]
fn row_49_export_without_add_fails() {
    assert_row(
        "49",
        &account(&[("sp", Some("rwl"))]),
        Mode::Export,
        Fail("sp"),
    );
}

#[test]
fn row_50_import_with_delete_needs_d() {
    assert_row(
        "50",
        &account(&[("sp", Some("rl"))]),
        Mode::ImportDelete,
        Fail("sp"),
    );
}

#[test]
fn row_51_import_needs_list() {
    assert_row(
        "51",
        &account(&[("sp", Some("rd"))]),
        Mode::Import,
        Fail("sp"),
    );
}

#[test]
fn row_52_stray_sr_on_account_sas_warns() {
    assert_row("52", &account(&[("sr", Some("b"))]), Mode::Any, Warn("sr"));
}

#[test]
fn row_53_sr_and_srt_together_fail_without_ss() {
    // FAIL for this shape: `srt` makes it an account SAS, which then lacks `ss`.
    // With `ss` too it is row 52 (WARN on the stray `sr`).
    let text = set(SERVICE, "srt", "sco");
    assert_row("53", &text, Mode::Any, Fail("ss"));
}

#[test]
fn row_54_blob_scope_fails_for_a_pipeline() {
    assert_row("54", &set(SERVICE, "sr", "b"), Mode::Export, Fail("sr"));
}

#[test]
fn row_55_directory_without_depth_fails() {
    assert_row("55", &set(SERVICE, "sr", "d"), Mode::Any, Fail("sdd"));
}

#[test]
fn row_56_bad_directory_depth_fails() {
    for depth in ["-1", "abc"] {
        let text = with(SERVICE, &[("sr", Some("d")), ("sdd", Some(depth))]);
        assert_row("56", &text, Mode::Any, Fail("sdd"));
    }
}

#[test]
fn row_57_stored_policy_warns() {
    // WARN: whether the policy also defines `sp`/`se` cannot be known offline.
    assert_row("57", &set(SERVICE, "si", "mypolicy"), Mode::Any, Warn("si"));
}

#[test]
fn row_58_account_sas_with_policy_fails() {
    assert_row(
        "58",
        &account(&[("si", Some("mypolicy"))]),
        Mode::Any,
        Fail("si"),
    );
}

#[test]
fn row_59_user_delegation_sas_with_policy_fails() {
    assert_row(
        "59",
        &set(DELEGATION, "si", "mypolicy"),
        Mode::Any,
        Fail("si"),
    );
}

#[test]
fn row_60_both_object_ids_fail() {
    let id = "0b0b0b0b-0000-4000-8000-000000000001";
    let text = with(DELEGATION, &[("saoid", Some(id)), ("suoid", Some(id))]);
    assert_row("60", &text, Mode::Any, Fail("suoid"));
}

// ---- 12.4 sv / ses / sip / spr ----------------------------------------------------------

#[test]
fn row_61_https_only_is_ok() {
    assert_row("61", &account(&[("spr", Some("https"))]), Mode::Export, Ok);
}

#[test]
fn row_62_https_or_http_fails_for_acr() {
    assert_row(
        "62",
        &account(&[("spr", Some("https,http"))]),
        Mode::Any,
        Ok,
    );
    assert_row(
        "62",
        &account(&[("spr", Some("https,http"))]),
        Mode::Export,
        Fail("spr"),
    );
}

#[test]
fn row_63_reversed_protocols_warn() {
    assert_row(
        "63",
        &account(&[("spr", Some("http,https"))]),
        Mode::Any,
        Warn("spr"),
    );
}

#[test]
fn row_64_http_only_fails() {
    assert_row(
        "64",
        &account(&[("spr", Some("http"))]),
        Mode::Any,
        Fail("spr"),
    );
}

#[test]
fn row_65_upper_case_protocol_fails() {
    assert_row(
        "65",
        &account(&[("spr", Some("HTTPS"))]),
        Mode::Any,
        Fail("spr"),
    );
}

#[test]
fn row_66_single_address_is_ok_but_warns_for_acr() {
    assert_row("66", &account(&[("sip", Some("10.0.0.1"))]), Mode::Any, Ok);
    assert_row(
        "66",
        &account(&[("sip", Some("10.0.0.1"))]),
        Mode::Export,
        Warn("sip"),
    );
}

#[test]
fn rows_67_to_71_bad_addresses_fail() {
    for (row, sip) in [
        ("67", "10.0.0.10-10.0.0.1"),
        ("68", "10.0.0.0/24"),
        ("69", "2001:db8::1"),
        ("70", "10.0.0.1,10.0.0.2"),
        ("71", "010.000.000.001"),
    ] {
        assert_row(row, &account(&[("sip", Some(sip))]), Mode::Any, Fail("sip"));
    }
}

#[test]
fn row_72_oldest_account_sas_version_is_ok() {
    assert_row("72", &account(&[("sv", Some("2015-04-05"))]), Mode::Any, Ok);
}

#[test]
fn row_73_account_sas_before_2015_fails() {
    assert_row(
        "73",
        &account(&[("sv", Some("2014-02-14"))]),
        Mode::Any,
        Fail("sv"),
    );
}

#[test]
fn row_74_user_delegation_before_2018_11_fails() {
    assert_row(
        "74",
        &set(DELEGATION, "sv", "2018-03-28"),
        Mode::Any,
        Fail("sv"),
    );
}

#[test]
fn row_75_letter_newer_than_version_fails() {
    for sp in ["rwxl", "rwlt"] {
        let text = with(SERVICE, &[("sv", Some("2019-02-02")), ("sp", Some(sp))]);
        assert_row("75", &text, Mode::Any, Fail("sp"));
    }
}

#[test]
fn row_76_encryption_scope_needs_2020_12_06() {
    let text = with(
        SERVICE,
        &[("sv", Some("2020-10-02")), ("ses", Some("scope1"))],
    );
    assert_row("76", &text, Mode::Any, Fail("ses"));
}

#[test]
fn row_77_unknown_future_version_warns() {
    // WARN, not FAIL: the list of versions grows about three times a year, so a
    // version newer than this tool is more likely new than wrong.
    assert_row(
        "77",
        &set(SERVICE, "sv", "2099-01-01"),
        Mode::Any,
        Warn("sv"),
    );
}

#[test]
fn row_78_malformed_version_fails() {
    for sv in ["21-06-08", "2021-6-8"] {
        assert_row("78", &set(SERVICE, "sv", sv), Mode::Any, Fail("sv"));
    }
}

#[test]
fn row_79_newest_version_on_a_sovereign_cloud_warns() {
    let token = set(SERVICE, "sv", "2026-02-06");
    let url = format!("https://acct.blob.core.usgovcloudapi.net/transfer?{token}");
    assert_row("79", &url, Mode::Any, Warn("sv"));
}

#[test]
fn row_80_old_key_version_fails() {
    assert_row(
        "80",
        &set(DELEGATION, "skv", "2018-03-28"),
        Mode::Any,
        Fail("skv"),
    );
}

#[test]
fn row_81_queue_key_service_on_blob_fails() {
    assert_row("81", &set(DELEGATION, "sks", "q"), Mode::Any, Fail("sks"));
}

#[test]
fn row_82_ids_not_shaped_like_guids_fail() {
    assert_row(
        "82",
        &set(DELEGATION, "skoid", "not-a-guid"),
        Mode::Any,
        Fail("skoid"),
    );
    let braces = "{72f988bf-0000-4000-8000-0000000000aa}";
    assert_row(
        "82",
        &set(DELEGATION, "sktid", braces),
        Mode::Any,
        Fail("sktid"),
    );
    let upper = "0B0B0B0B-0000-4000-8000-000000000001";
    assert_row(
        "82",
        &set(DELEGATION, "scid", upper),
        Mode::Any,
        Fail("scid"),
    );
}

#[test]
fn the_base_tokens_pass() {
    assert_row("base", SERVICE, Mode::Any, Ok);
    assert_row("base", ACCOUNT, Mode::Export, Ok);
    assert_row("base", DELEGATION, Mode::Any, Ok);
    assert!(SERVICE.ends_with(SIG1));
}
