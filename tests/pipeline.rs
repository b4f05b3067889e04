//! Pipeline resource checks: the corpus samples, the rules of the fact sheet's
//! sections A, B and F, the three input shapes, rendering and the binary. Expected
//! verdicts come from the documentation the fact sheet cites (ACR REST schema
//! 2025-06-01-preview, the troubleshooting guide, the acrtransfer CLI's validators).

use std::path::Path;
use std::process::Command;

use acr_preflight::context::Context;
use acr_preflight::diag::render::{self, HumanStyle};
use acr_preflight::diag::{Finding, Outcome, Severity};
use acr_preflight::input;
use acr_preflight::pipeline::{self, AccessMode, Direction, PipelineCheck, ResourceKind};
use chrono::{TimeZone, Utc};

fn ctx() -> Context {
    Context::pinned(Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap())
}

fn check_text(text: &str) -> PipelineCheck {
    pipeline::check("p.json", &input::decode(text.as_bytes()), &ctx())
}

fn sample_text(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus/samples")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

fn check_sample(name: &str) -> PipelineCheck {
    pipeline::check(name, &input::decode(sample_text(name).as_bytes()), &ctx())
}

fn codes(check: &PipelineCheck) -> Vec<(&'static str, String, Severity)> {
    check
        .report
        .findings
        .iter()
        .map(|f| (f.code.id, f.field.clone(), f.severity))
        .collect()
}

fn find<'a>(check: &'a PipelineCheck, code: &str, field: &str) -> &'a Finding {
    check
        .report
        .findings
        .iter()
        .find(|f| f.code.id == code && f.field == field)
        .unwrap_or_else(|| panic!("no {code} at {field}: {:#?}", codes(check)))
}

fn spanned<'a>(check: &'a PipelineCheck, f: &Finding) -> &'a str {
    &check.report.text[f.span.clone()]
}

/// The export sample with one text replacement.
fn export_with(from: &str, to: &str) -> PipelineCheck {
    let text = sample_text("export-pipeline.json");
    assert!(text.contains(from), "{from}");
    check_text(&text.replacen(from, to, 1))
}

/// The import sample with one text replacement.
fn import_with(from: &str, to: &str) -> PipelineCheck {
    let text = sample_text("import-pipeline.json");
    assert!(text.contains(from), "{from}");
    check_text(&text.replacen(from, to, 1))
}

#[test]
fn sample_export_pipeline_is_fit() {
    // A.2: SasToken mode with a Key Vault secret URI, an https container URI on a blob
    // endpoint, export options OverwriteBlobs and ContinueOnErrors (A.7), a
    // system-assigned identity, 5-50 alphanumeric name (A.1): nothing to report.
    let check = check_sample("export-pipeline.json");
    assert_eq!(codes(&check), vec![]);
    let r = check.resource.unwrap();
    assert_eq!(r.kind, ResourceKind::Export);
    assert_eq!(r.short_name(), Some("exportToLowside"));
    assert_eq!(r.access_mode(), Some(AccessMode::SasToken));
    let storage = r.storage().unwrap();
    assert_eq!(storage.host, "contosoxfersrc.blob.core.windows.net");
    assert_eq!(storage.account.as_deref(), Some("contosoxfersrc"));
    assert_eq!(storage.container.as_deref(), Some("transfer"));
    assert_eq!(
        r.key_vault().unwrap().secret_name.as_deref(),
        Some("acrexportsas")
    );
    assert_eq!(r.option_names(), vec!["OverwriteBlobs", "ContinueOnErrors"]);
    assert_eq!(r.source_trigger_enabled(), None);
    assert_eq!(r.api_version_text(), None);
}

#[test]
fn sample_import_pipeline_has_no_error() {
    // A.3/A.4: ManagedIdentity mode with keyVaultUri null is expected (S-TS26); the
    // user-assigned identity's null top-level ids are by design; the Azure Government
    // blob suffix is a blob endpoint. A.7 INFERENCE: DeleteSourceBlobOnSuccess with the
    // Reader role the CLI suggests lacks delete rights, so advice only.
    let check = check_sample("import-pipeline.json");
    assert_eq!(
        codes(&check),
        vec![(
            "pipeline-delete-needs-role",
            "properties.options[1]".into(),
            Severity::Advice
        )]
    );
    let r = check.resource.unwrap();
    assert_eq!(r.kind, ResourceKind::Import);
    assert_eq!(r.access_mode(), Some(AccessMode::ManagedIdentity));
    assert_eq!(r.source_trigger_enabled(), Some(true));
    assert_eq!(
        r.storage().unwrap().account.as_deref(),
        Some("fabrikamxferdst")
    );
    assert!(r.key_vault().is_none());
}

#[test]
fn sample_export_run_advises_on_the_bare_repository() {
    // A.5: artifacts repo:tag, bare repo (means :latest: advice, R4) and
    // repo@sha256:<64 hex>; 3 of at most 50; the run succeeded.
    let check = check_sample("pipeline-run.json");
    assert_eq!(
        codes(&check),
        vec![(
            "run-artifact-latest",
            "properties.request.artifacts[1]".into(),
            Severity::Advice
        )]
    );
    let f = &check.report.findings[0];
    assert_eq!(spanned(&check, f), "samples/hello-fake");
    let r = check.resource.unwrap();
    assert_eq!(r.kind, ResourceKind::Run);
    assert_eq!(r.artifacts().len(), 3);
    let run = r.run.as_ref().unwrap();
    assert_eq!(run.direction(), Some(Direction::Export));
    assert_eq!(run.pipeline.as_ref().unwrap().name, "exportToLowside");
    assert_eq!(
        r.storage().unwrap().blob.as_deref(),
        Some("fake-export-2026-03-02.tar.gz")
    );
}

#[test]
fn sample_import_run_failed_is_an_error_with_its_message() {
    // A.5 / B.7: a finished run with pipelineRunErrorMessage is reported as an error,
    // pointing at the message; the fake message matches no cause the guide names.
    let check = check_sample("pipeline-run-import.json");
    assert_eq!(
        codes(&check),
        vec![(
            "run-failed",
            "properties.response.pipelineRunErrorMessage".into(),
            Severity::Error
        )]
    );
    let f = &check.report.findings[0];
    assert!(f.message.contains("FAKE: example error text"));
    assert!(spanned(&check, f).starts_with("FAKE:"));
    let run = check.resource.unwrap().run.unwrap();
    assert_eq!(run.direction(), Some(Direction::Import));
}

#[test]
fn run_errors_name_the_likely_cause() {
    // B.8: Key Vault 403 -> secret get; storage 403 -> SAS or RBAC; B.5 blob not found.
    let text = sample_text("pipeline-run-import.json");
    for (message, needle) in [
        (
            "Operation returned an invalid status code 'Forbidden' from KeyVault",
            "Key Vault",
        ),
        (
            "This request is not authorized to perform this operation. 403 AuthorizationFailure",
            "srt=sco",
        ),
        (
            "The specified blob does not exist. BlobNotFound",
            "does not exist",
        ),
    ] {
        let check = check_text(&text.replace(
            "FAKE: example error text; real messages are free-form and not documented",
            message,
        ));
        let f = find(
            &check,
            "run-failed",
            "properties.response.pipelineRunErrorMessage",
        );
        assert!(f.message.contains(needle), "{message}: {}", f.message);
    }
}

#[test]
fn sas_token_mode_needs_a_secret_uri() {
    // A.7 / R9: SasToken without keyVaultUri is an error, also when the mode is left to
    // its default.
    let text = sample_text("export-pipeline.json");
    let without = text.replace(
        r#""keyVaultUri": "https://contoso-kv-xfer.vault.azure.net/secrets/acrexportsas","#,
        "",
    );
    let check = check_text(&without);
    assert_eq!(
        find(
            &check,
            "pipeline-keyvault-missing",
            "properties.target.keyVaultUri"
        )
        .severity,
        Severity::Error
    );
    let default_mode = without.replace(r#","storageAccessMode": "SasToken""#, "");
    let default_mode = default_mode.replace(
        "\n      \"storageAccessMode\": \"SasToken\"",
        "\n      \"note\": 1",
    );
    let check = check_text(&default_mode);
    let f = find(
        &check,
        "pipeline-keyvault-missing",
        "properties.target.keyVaultUri",
    );
    assert!(
        f.message.contains("not set, so it is SasToken"),
        "{}",
        f.message
    );
}

#[test]
fn managed_identity_with_a_secret_uri_warns() {
    // A.7 / R9: the CLI refuses --secret-uri with ManagedIdentity; the resource keeps
    // working, so a warning.
    let check = import_with(
        r#""keyVaultUri": null"#,
        r#""keyVaultUri": "https://kvx.vault.usgovcloudapi.net/secrets/sas""#,
    );
    assert_eq!(
        find(
            &check,
            "pipeline-keyvault-unexpected",
            "properties.source.keyVaultUri"
        )
        .severity,
        Severity::Warning
    );
    let empty = import_with(r#""keyVaultUri": null"#, r#""keyVaultUri": """#);
    assert!(
        !codes(&empty)
            .iter()
            .any(|c| c.0 == "pipeline-keyvault-unexpected")
    );
}

#[test]
fn managed_identity_needs_an_identity() {
    let text = sample_text("import-pipeline.json");
    let start = text.find("  \"identity\"").unwrap();
    let end = text.find("  \"properties\"").unwrap();
    let without = format!("{}{}", &text[..start], &text[end..]);
    let check = check_text(&without);
    find(&check, "pipeline-identity", "identity");
}

#[test]
fn bad_uris_are_errors() {
    for (from, to, code, field, needle) in [
        (
            "https://contosoxfersrc.blob.core.windows.net/transfer",
            "http://contosoxfersrc.blob.core.windows.net/transfer",
            "pipeline-storage-uri",
            "properties.target.uri",
            "not https",
        ),
        (
            "https://contosoxfersrc.blob.core.windows.net/transfer",
            "https://contosoxfersrc.blob.core.windows.net/transfer/blob.tar",
            "pipeline-storage-uri",
            "properties.target.uri",
            "below a container",
        ),
        (
            "https://contosoxfersrc.blob.core.windows.net/transfer",
            "https://contosoxfersrc.blob.core.windows.net/Transfer_1",
            "pipeline-storage-uri",
            "properties.target.uri",
            "not a container name",
        ),
        (
            "https://contoso-kv-xfer.vault.azure.net/secrets/acrexportsas",
            "https://contoso-kv-xfer.vault.azure.net/keys/acrexportsas",
            "pipeline-keyvault-uri",
            "properties.target.keyVaultUri",
            "/secrets/",
        ),
        (
            "https://contoso-kv-xfer.vault.azure.net/secrets/acrexportsas",
            "http://contoso-kv-xfer.vault.azure.net/secrets/acrexportsas",
            "pipeline-keyvault-uri",
            "properties.target.keyVaultUri",
            "not https",
        ),
    ] {
        let check = export_with(from, to);
        let f = find(&check, code, field);
        assert_eq!(f.severity, Severity::Error, "{to}");
        assert!(f.message.contains(needle), "{to}: {}", f.message);
        assert_eq!(spanned(&check, f), to);
    }
    let other_host = export_with(
        "contosoxfersrc.blob.core.windows.net",
        "files.example.invalid",
    );
    assert_eq!(
        find(&other_host, "pipeline-storage-uri", "properties.target.uri").severity,
        Severity::Warning
    );
}

#[test]
fn a_sas_in_the_uri_is_an_error_and_never_printed() {
    let sig = "c2VjcmV0c2lnbmF0dXJlMTIzNDU2Nzg5MA%3D%3D";
    let check = export_with(
        "https://contosoxfersrc.blob.core.windows.net/transfer",
        &format!("https://contosoxfersrc.blob.core.windows.net/transfer?sv=2022-11-02&sig={sig}"),
    );
    let f = find(&check, "pipeline-storage-uri", "properties.target.uri");
    assert!(f.message.contains("Key Vault"));
    assert!(!check.report.text.contains(sig));
    assert!(!check.secrets.is_empty());
}

#[test]
fn names_are_5_to_50_letters_and_digits() {
    // A.1: no hyphens or underscores.
    let check = export_with(
        r#""name": "exportToLowside""#,
        r#""name": "export-to-lowside""#,
    );
    let f = find(&check, "pipeline-name", "name");
    assert_eq!(spanned(&check, f), "export-to-lowside");
    let short = export_with(r#""name": "exportToLowside""#, r#""name": "exp""#);
    find(&short, "pipeline-name", "name");
}

#[test]
fn options_are_checked_per_direction() {
    // A.7: export takes OverwriteBlobs, ContinueOnErrors; import OverwriteTags,
    // DeleteSourceBlobOnSuccess, ContinueOnErrors; DisableSourceTrigger is not an option.
    let check = export_with(r#""OverwriteBlobs","#, r#""OverwriteTags","#);
    let f = find(&check, "pipeline-option", "properties.options[0]");
    assert!(f.message.contains("not valid for an export pipeline"));
    let check = import_with(r#""OverwriteTags","#, r#""DisableSourceTrigger","#);
    let f = find(&check, "pipeline-option", "properties.options[0]");
    assert!(f.help.as_deref().unwrap().contains("sourceTrigger"));
    let check = import_with(r#""OverwriteTags","#, r#""ContinueOnErrors","#);
    find(&check, "pipeline-option-duplicate", "properties.options[2]");
    let check = export_with(r#""OverwriteBlobs","#, r#""OverwriteBlob","#);
    assert_eq!(
        find(&check, "pipeline-option", "properties.options[0]").severity,
        Severity::Error
    );
}

#[test]
fn source_trigger_disabled_is_advice() {
    // R8: a disabled trigger means imports run only from a PipelineRun.
    let check = import_with(r#""status": "Enabled""#, r#""status": "Disabled""#);
    let f = find(
        &check,
        "pipeline-source-trigger",
        "properties.trigger.sourceTrigger.status",
    );
    assert_eq!(f.severity, Severity::Advice);
    assert_eq!(
        check.resource.unwrap().source_trigger_enabled(),
        Some(false)
    );
    let check = import_with(r#""status": "Enabled""#, r#""status": "On""#);
    assert_eq!(
        find(
            &check,
            "pipeline-source-trigger",
            "properties.trigger.sourceTrigger.status"
        )
        .severity,
        Severity::Error
    );
}

#[test]
fn a12_enum_values_in_another_case_warn_like_options() {
    // The API reference spells each value once (SasToken, ManagedIdentity; Enabled,
    // Disabled; OverwriteBlobs...): another case draws the same warning everywhere, and
    // the value is still read as the one it matches.
    let check = import_with(
        r#""storageAccessMode": "ManagedIdentity""#,
        r#""storageAccessMode": "managedidentity""#,
    );
    let f = find(
        &check,
        "pipeline-access-mode",
        "properties.source.storageAccessMode",
    );
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(
        f.message,
        "storageAccessMode \"managedidentity\" is written ManagedIdentity in the API"
    );
    assert_eq!(spanned(&check, f), "managedidentity");
    assert!(codes(&check).iter().all(|(_, _, s)| *s != Severity::Error));

    let check = import_with(r#""status": "Enabled""#, r#""status": "enabled""#);
    let f = find(
        &check,
        "pipeline-source-trigger",
        "properties.trigger.sourceTrigger.status",
    );
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(check.resource.unwrap().source_trigger_enabled(), Some(true));

    let check = export_with(r#""OverwriteBlobs","#, r#""overwriteblobs","#);
    let f = find(&check, "pipeline-option", "properties.options[0]");
    assert_eq!(f.severity, Severity::Warning);
    assert!(f.message.ends_with("is written OverwriteBlobs in the API"));
}

#[test]
fn identity_shapes() {
    // A.4: identity types compared without case; user-assigned keys are ARM IDs of
    // Microsoft.ManagedIdentity/userAssignedIdentities.
    let check = import_with(r#""type": "UserAssigned""#, r#""type": "userAssigned""#);
    assert!(!codes(&check).iter().any(|c| c.0 == "pipeline-identity"));
    let check = import_with(
        "/subscriptions/66666666-7777-8888-9999-000000000000/resourcegroups/rg-fake-target/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-acr-import",
        "id-acr-import",
    );
    let f = find(
        &check,
        "pipeline-identity",
        "identity.userAssignedIdentities",
    );
    assert_eq!(spanned(&check, f), "id-acr-import");
    let check = export_with(r#""type": "SystemAssigned""#, r#""type": "Automatic""#);
    find(&check, "pipeline-identity", "identity.type");
}

fn run_with_artifacts(items: &[String]) -> PipelineCheck {
    let text = sample_text("pipeline-run.json");
    let start = text.find("\"artifacts\": [").unwrap();
    let end = start + text[start..].find(']').unwrap() + 1;
    let list = serde_json::to_string(items).unwrap();
    check_text(&format!(
        "{}\"artifacts\": {list}{}",
        &text[..start],
        &text[end..]
    ))
}

#[test]
fn run_artifacts_1_to_50_valid_and_unique() {
    // B.2 / R2 / R3 / R4.
    let fifty: Vec<String> = (0..50).map(|i| format!("repo{i}:v1")).collect();
    assert!(
        !codes(&run_with_artifacts(&fifty))
            .iter()
            .any(|c| c.2 != Severity::Advice)
    );
    let fifty_one: Vec<String> = (0..51).map(|i| format!("repo{i}:v1")).collect();
    let check = run_with_artifacts(&fifty_one);
    let f = find(
        &check,
        "run-too-many-artifacts",
        "properties.request.artifacts",
    );
    assert!(f.message.contains("51"));
    let check = run_with_artifacts(&[]);
    find(
        &check,
        "run-artifacts-missing",
        "properties.request.artifacts",
    );
    let check = run_with_artifacts(&[
        "Hello:1".into(),
        "hello@sha256:abc".into(),
        "hello:1".into(),
        "hello:1".into(),
        "contosoacrsrc.azurecr.io/hello:1".into(),
    ]);
    find(
        &check,
        "run-artifact-invalid",
        "properties.request.artifacts[0]",
    );
    let f = find(
        &check,
        "run-artifact-invalid",
        "properties.request.artifacts[1]",
    );
    assert!(f.message.contains("64"), "{}", f.message);
    find(
        &check,
        "run-artifact-duplicate",
        "properties.request.artifacts[3]",
    );
    find(
        &check,
        "run-artifact-registry-host",
        "properties.request.artifacts[4]",
    );
}

#[test]
fn run_blob_name_and_pipeline_id() {
    let check = check_text(&sample_text("pipeline-run.json").replace(
        r#""name": "fake-export-2026-03-02.tar.gz""#,
        r#""name": "folder/""#,
    ));
    find(&check, "run-blob-name", "properties.request.target.name");
    let check = check_text(&sample_text("pipeline-run.json").replace(
        "/exportPipelines/exportToLowside",
        "/webhooks/exportToLowside",
    ));
    find(
        &check,
        "run-pipeline-id",
        "properties.request.pipelineResourceId",
    );
}

#[test]
fn az_cli_output_with_flattened_properties() {
    // az acr export-pipeline show prints the properties at the top level.
    let text = r#"{
  "id": "/subscriptions/1/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/reg/exportPipelines/myexport",
  "identity": {"principalId": "p", "tenantId": "t", "type": "systemAssigned", "userAssignedIdentities": null},
  "name": "myexport",
  "options": ["OverwriteBlobs"],
  "provisioningState": "Succeeded",
  "resourceGroup": "rg",
  "target": {"keyVaultUri": "https://kvx.vault.azure.net/secrets/sas", "storageAccessMode": "SasToken", "type": "AzureStorageBlobContainer", "uri": "https://acct.blob.core.windows.net/transfer"},
  "type": "Microsoft.ContainerRegistry/registries/exportPipelines"
}"#;
    let check = check_text(text);
    assert_eq!(codes(&check), vec![]);
    let r = check.resource.unwrap();
    assert_eq!(r.key_vault().unwrap().secret_name.as_deref(), Some("sas"));
    let check = check_text(&text.replace("OverwriteBlobs", "OverwriteTags"));
    find(&check, "pipeline-option", "options[0]");
}

const TEMPLATE: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {"registryName": {"type": "string"}},
  "resources": [
    {
      "type": "Microsoft.ContainerRegistry/registries/importPipelines",
      "apiVersion": "2019-12-01-preview",
      "name": "[concat(parameters('registryName'), '/', parameters('importPipelineName'))]",
      "location": "[parameters('location')]",
      "identity": {"type": "SystemAssigned"},
      "properties": {
        "source": {
          "type": "AzureStorageBlobContainer",
          "uri": "[parameters('sourceUri')]",
          "keyVaultUri": "[parameters('keyVaultUri')]",
          "storageAccessMode": "ManagedIdentity"
        },
        "trigger": {"sourceTrigger": {"status": "[parameters('sourceTriggerStatus')]"}},
        "options": ["OverwriteTags"]
      }
    },
    {
      "type": "Microsoft.ContainerRegistry/registries/pipelineRuns",
      "apiVersion": "2019-12-01-preview",
      "name": "myregistry/run-1",
      "properties": {
        "request": {
          "pipelineResourceId": "[resourceId('Microsoft.ContainerRegistry/registries/importPipelines', 'r', 'p')]",
          "source": {"type": "AzureStorageBlob", "name": "myblob"}
        },
        "forceUpdateTag": "1"
      }
    }
  ]
}"#;

#[test]
fn template_resources_with_expressions() {
    // Template expressions are not judged; ManagedIdentity needs API 2025-06-01-preview
    // (R10); the run's name "run-1" has a hyphen (A.1).
    let check = check_text(TEMPLATE);
    assert_eq!(check.resources.len(), 2);
    assert!(check.resource.is_none());
    assert_eq!(check.report.kind, "pipeline-resources");
    let f = find(&check, "pipeline-api-too-old", "resources[0].apiVersion");
    assert!(f.message.contains("2025-06-01-preview"));
    find(&check, "pipeline-name", "resources[1].name");
    // The ManagedIdentity resource's keyVaultUri is an expression: not judged.
    assert!(
        !codes(&check)
            .iter()
            .any(|c| c.0.starts_with("pipeline-keyvault"))
    );
    assert!(!codes(&check).iter().any(|c| c.0 == "run-pipeline-id"));
    assert_eq!(
        check.resources[0].api_version_text(),
        Some("2019-12-01-preview")
    );
    let newer = check_text(&TEMPLATE.replacen("2019-12-01-preview", "2025-06-01-preview", 1));
    assert!(!codes(&newer).iter().any(|c| c.0 == "pipeline-api-too-old"));
    let unlisted = check_text(&TEMPLATE.replacen("2019-12-01-preview", "2024-01-01", 1));
    find(&unlisted, "pipeline-api-version", "resources[0].apiVersion");
}

#[test]
fn not_json_and_not_a_pipeline_are_findings() {
    assert_eq!(
        check_text("{").report.findings[0].code.id,
        "pipeline-not-json"
    );
    let check = check_text(&sample_text("manifest-index.json"));
    assert_eq!(check.report.findings[0].code.id, "pipeline-not-recognised");
    for text in [
        "[]",
        "null",
        r#"{"type": "Microsoft.ContainerRegistry/registries/pipelineRuns"}"#,
    ] {
        let check = check_text(text);
        for f in &check.report.findings {
            assert!(f.span.end <= check.report.text.len(), "{text}");
        }
    }
}

#[test]
fn detection_for_the_check_command() {
    for name in [
        "export-pipeline.json",
        "import-pipeline.json",
        "pipeline-run.json",
    ] {
        let root = acr_preflight::json::parse(&sample_text(name)).unwrap();
        assert!(pipeline::looks_like_pipeline(&root), "{name}");
    }
    let root = acr_preflight::json::parse(&sample_text("manifest-foreign.json")).unwrap();
    assert!(!pipeline::looks_like_pipeline(&root));
    let root = acr_preflight::json::parse(TEMPLATE).unwrap();
    assert!(pipeline::looks_like_pipeline(&root));
}

fn human(check: PipelineCheck) -> String {
    let outcome = Outcome {
        command: "pipeline".into(),
        inputs: vec![check.report],
        ..Outcome::default()
    };
    render::human(
        &outcome,
        HumanStyle {
            color: false,
            width: 80,
        },
        &check.secrets,
    )
}

#[test]
fn rendered_failed_import_run() {
    insta::assert_snapshot!(human(check_sample("pipeline-run-import.json")));
}

#[test]
fn rendered_export_run() {
    insta::assert_snapshot!(human(check_sample("pipeline-run.json")));
}

#[test]
fn rendered_template() {
    insta::assert_snapshot!(human(check_text(TEMPLATE)));
}

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_acr-preflight"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd.args(["--color", "never", "--now", "2026-12-01T00:00:00Z"]);
    cmd
}

#[test]
fn binary_exit_codes_and_json() {
    let ok = bin()
        .args([
            "pipeline",
            "tests/corpus/samples/export-pipeline.json",
            "tests/corpus/samples/import-pipeline.json",
        ])
        .output()
        .unwrap();
    assert_eq!(ok.status.code(), Some(0));
    let fail = bin()
        .args([
            "--format",
            "json",
            "pipeline",
            "tests/corpus/samples/pipeline-run-import.json",
        ])
        .output()
        .unwrap();
    assert_eq!(fail.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&fail.stdout).unwrap();
    assert_eq!(doc["command"], "pipeline");
    let f = &doc["inputs"][0]["findings"][0];
    assert_eq!(f["code"], "run-failed");
    assert_eq!(f["span"]["line"], 15);
    assert_eq!(doc["inputs"][0]["kind"], "pipeline-run");
    assert_eq!(doc["inputs"][0]["details"][0]["run"]["direction"], "import");
    let missing = bin().args(["pipeline", "no-such.json"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn binary_never_prints_a_signature() {
    let dir = tempfile::tempdir().unwrap();
    let sig = "c2VjcmV0c2lnbmF0dXJlMTIzNDU2Nzg5MA%3D%3D";
    let text = sample_text("pipeline-run-import.json").replace(
        "FAKE: example error text; real messages are free-form and not documented",
        &format!("403 on https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sig={sig}&se=x"),
    );
    let path = dir.path().join("run.json");
    std::fs::write(&path, text).unwrap();
    for format in ["human", "json"] {
        let out = bin()
            .args(["--format", format, "pipeline"])
            .arg(&path)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(!stdout.contains(sig), "{stdout}");
        assert!(!stdout.contains("c2VjcmV0c2lnbmF0dXJl"), "{stdout}");
        assert_eq!(out.status.code(), Some(1));
    }
}

#[test]
fn every_prefix_and_byte_flip_of_the_samples_gives_findings_not_panics() {
    // Bad input must give a diagnostic, never a panic; spans stay inside the text.
    let names = [
        "export-pipeline.json",
        "import-pipeline.json",
        "pipeline-run.json",
        "pipeline-run-import.json",
        "manifest-foreign.json",
        "manifest-index.json",
    ];
    for name in names {
        let bytes = sample_text(name).into_bytes();
        let mut variants: Vec<Vec<u8>> = (0..bytes.len()).map(|n| bytes[..n].to_vec()).collect();
        for i in (0..bytes.len()).step_by(7) {
            for b in [b'"', b'0', b'-', b'[', 0xFF] {
                let mut v = bytes.clone();
                v[i] = b;
                variants.push(v);
            }
        }
        for v in variants {
            let decoded = input::decode(&v);
            let p = pipeline::check(name, &decoded, &ctx());
            let m = acr_preflight::manifest::check(name, &decoded, &ctx());
            for report in [&p.report, &m.report] {
                for f in &report.findings {
                    assert!(f.span.start <= f.span.end && f.span.end <= report.text.len());
                    assert!(report.text.is_char_boundary(f.span.start));
                    assert!(report.text.is_char_boundary(f.span.end));
                }
            }
        }
    }
}

#[test]
fn run_template_serving_both_directions() {
    // The docs' PipelineRun template writes the type with a trailing '/', takes the
    // artifacts from a parameter and sets both source and target from parameters: the
    // direction and the artifacts are known only at deployment, so nothing is judged
    // but the shape.
    let text = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2015-01-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [{
    "type": "Microsoft.ContainerRegistry/registries/pipelineRuns/",
    "apiVersion": "2019-12-01-preview",
    "name": "[concat(parameters('registryName'), '/', parameters('pipelineRunName'))]",
    "properties": {
      "request": {
        "pipelineResourceId": "[parameters('pipelineResourceId')]",
        "artifacts": "[parameters('artifacts')]",
        "source": {"type": "AzureStorageBlob", "name": "[parameters('sourceName')]"},
        "target": {"type": "AzureStorageBlob", "name": "[parameters('targetName')]"}
      },
      "forceUpdateTag": "[parameters('forceUpdateTag')]"
    }
  }]
}"#;
    let check = check_text(text);
    assert_eq!(check.report.kind, "pipeline-run");
    assert_eq!(codes(&check), vec![]);
    let run = check.resource.unwrap().run.unwrap();
    assert_eq!(run.direction(), None);
    // Export-only, with artifacts that are not an array.
    let export = text
        .replace(
            r#""source": {"type": "AzureStorageBlob", "name": "[parameters('sourceName')]"},"#,
            "",
        )
        .replace(r#""[parameters('artifacts')]""#, r#""hello:1""#);
    let check = check_text(&export);
    find(
        &check,
        "run-artifact-invalid",
        "resources[0].properties.request.artifacts",
    );
}

#[test]
fn pipeline_template_with_identity_and_options_from_parameters() {
    // The docs' import pipeline template picks the identity with an expression and
    // takes the options from a parameter; a registry resource sits beside it.
    let text = r#"{
  "resources": [
    {"type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2019-12-01-preview", "name": "[parameters('registryName')]"},
    {
      "type": "Microsoft.ContainerRegistry/registries/importPipelines/",
      "apiVersion": "2019-12-01-preview",
      "name": "[concat(parameters('registryName'), '/', parameters('importPipelineName'))]",
      "identity": "[if(not(empty(parameters('userAssignedIdentity'))), variables('userIdentity'), variables('systemIdentity'))]",
      "properties": {
        "source": {
          "type": "[variables('sourceType')]",
          "uri": "[parameters('sourceUri')]",
          "keyVaultUri": "[concat(reference(parameters('vault')).vaultUri, 'secrets/', parameters('secret'))]"
        },
        "trigger": {"sourceTrigger": {"status": "[parameters('sourceTriggerStatus')]"}},
        "options": "[parameters('options')]"
      }
    }
  ]
}"#;
    let check = check_text(text);
    assert_eq!(check.resources.len(), 1);
    assert_eq!(codes(&check), vec![]);
    let r = check.resource.unwrap();
    assert_eq!(r.kind, ResourceKind::Import);
    assert_eq!(r.source_trigger_enabled(), None);
    // A plain string identity is not an object.
    let check = export_with(
        r#""identity": {
    "type": "SystemAssigned",
    "principalId": "aaaaaaaa-0000-4000-8000-000000000001",
    "tenantId": "bbbbbbbb-0000-4000-8000-000000000002"
  }"#,
        r#""identity": "SystemAssigned""#,
    );
    find(&check, "pipeline-identity", "identity");
}

#[test]
fn symbolic_name_templates() {
    // languageVersion 2.0 templates (as Bicep writes them) key resources by name.
    let text = r#"{"languageVersion": "2.0", "resources": {"exp": {
      "type": "Microsoft.ContainerRegistry/registries/exportPipelines",
      "apiVersion": "2025-06-01-preview",
      "name": "myregistry/myexport",
      "identity": {"type": "SystemAssigned"},
      "properties": {"target": {"type": "AzureStorageBlobContainer",
        "uri": "https://acct.blob.core.windows.net/transfer",
        "storageAccessMode": "ManagedIdentity"}, "options": ["OverwriteBlobs"]}}}}"#;
    let check = check_text(text);
    assert_eq!(codes(&check), vec![]);
    assert_eq!(check.resource.unwrap().short_name(), Some("myexport"));
    let check = check_text(&text.replace(
        "\"storageAccessMode\": \"ManagedIdentity\"",
        "\"storageAccessMode\": \"SasToken\"",
    ));
    find(
        &check,
        "pipeline-keyvault-missing",
        "resources.exp.properties.target.keyVaultUri",
    );
}
