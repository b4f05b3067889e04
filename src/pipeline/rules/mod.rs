//! Rules over a pipeline resource model: what can be known offline about whether the
//! pipeline or run will work.
//!
//! Sources: the ACR Transfer troubleshooting guide (2023 and 2026 revisions), the
//! prerequisites and CLI articles, the ACR REST schema 2025-06-01-preview (shapes,
//! enums, defaults), the generated resource type metadata (name rules) and what the
//! acrtransfer CLI extension validates. These rules only read the model.

mod run;

use std::ops::Range;

use super::codes;
use super::model::{AccessMode, Endpoint, Resource, ResourceKind, Slot};
use super::values;
use crate::diag::{Code, Finding, Severity};

/// API versions the template reference lists for the pipeline resources.
pub const KNOWN_API_VERSIONS: &[&str] = &[
    "2019-12-01-preview",
    "2020-11-01-preview",
    "2021-06-01-preview",
    "2021-08-01-preview",
    "2021-12-01-preview",
    "2022-02-01-preview",
    "2023-01-01-preview",
    "2023-06-01-preview",
    "2023-08-01-preview",
    "2023-11-01-preview",
    "2024-11-01-preview",
    "2025-03-01-preview",
    "2025-05-01-preview",
    "2025-06-01-preview",
    "2026-01-01-preview",
    "2026-03-01-preview",
    "2026-09-01-preview",
];

/// The first API version with `storageAccessMode`.
pub const ACCESS_MODE_API: &str = "2025-06-01-preview";

/// Most artifacts one PipelineRun may carry.
pub const MAX_ARTIFACTS: usize = 50;

const ALL_OPTIONS: &[&str] = &[
    "OverwriteTags",
    "OverwriteBlobs",
    "DeleteSourceBlobOnSuccess",
    "ContinueOnErrors",
];
const EXPORT_OPTIONS: &[&str] = &["OverwriteBlobs", "ContinueOnErrors"];
const IMPORT_OPTIONS: &[&str] = &[
    "OverwriteTags",
    "DeleteSourceBlobOnSuccess",
    "ContinueOnErrors",
];

/// Runs every rule over one resource.
pub fn run(r: &Resource) -> Vec<Finding> {
    let mut out = Vec::new();
    name(r, &mut out);
    api_version(r, &mut out);
    provisioning(r, &mut out);
    match r.kind {
        ResourceKind::Export | ResourceKind::Import => pipeline(r, &mut out),
        ResourceKind::Run => {
            if let Some(run) = &r.run {
                run::pipeline_run(r, run, &mut out);
            }
        }
    }
    out
}

fn pipeline(r: &Resource, out: &mut Vec<Finding>) {
    match &r.endpoint {
        Some(e) => {
            endpoint_type(e, out);
            storage_uri(e, out);
            access_mode(r, e, out);
        }
        None => {
            let key = if r.kind == ResourceKind::Export {
                "target"
            } else {
                "source"
            };
            out.push(
                Finding::new(
                    codes::ENDPOINT_MISSING,
                    format!("{}{key}", r.props),
                    open(&r.span),
                )
                .message(format!("pipeline has no {key} object"))
                .help(format!(
                    "set {key} with type AzureStorageBlobContainer, uri and keyVaultUri"
                )),
            );
        }
    }
    identity(r, out);
    options(r, out);
    if r.kind == ResourceKind::Import {
        source_trigger(r, out);
        delete_role(r, out);
    }
}

fn open(span: &Range<usize>) -> Range<usize> {
    span.start..span.start + 1
}

fn path(r: &Resource, rel: &str) -> String {
    format!("{}{rel}", r.props)
}

/// Pipeline and run names are 5 to 50 letters and digits (resource type metadata,
/// 2025-05-01-preview; the docs' templates enforce the length). Code `pipeline-name`.
fn name(r: &Resource, out: &mut Vec<Finding>) {
    let Some(n) = r.short_name() else {
        return;
    };
    if values::resource_name(n) {
        return;
    }
    let span = r.name.span().unwrap_or_else(|| open(&r.span));
    let what = match r.kind {
        ResourceKind::Export => "export pipeline",
        ResourceKind::Import => "import pipeline",
        ResourceKind::Run => "pipeline run",
    };
    let len = n.chars().count();
    let why = if (5..=50).contains(&len) {
        String::from("has characters other than letters and digits")
    } else {
        format!("is {len} characters long")
    };
    out.push(
        Finding::new(codes::NAME, format!("{}name", r.prefix), span)
            .message(format!(
                "{what} name {n:?} {why}; names are 5 to 50 letters and digits"
            ))
            .help("use only A-Z, a-z and 0-9, 5 to 50 of them; hyphens and underscores are refused")
            .label("invalid name"),
    );
}

/// A template's `apiVersion` should be one the template reference lists. Code
/// `pipeline-api-version`.
fn api_version(r: &Resource, out: &mut Vec<Finding>) {
    let Slot::Text { value, span } = &r.api_version else {
        return;
    };
    if KNOWN_API_VERSIONS.contains(&value.as_str()) {
        return;
    }
    out.push(
        Finding::new(
            codes::API_VERSION,
            format!("{}apiVersion", r.prefix),
            span.clone(),
        )
        .message(format!(
            "API version {value} is not one the template reference lists for pipeline resources"
        ))
        .help(format!(
            "use a listed version, e.g. {ACCESS_MODE_API}; every listed version is a preview"
        ))
        .label("unlisted version"),
    );
}

/// `provisioningState: Failed` means the resource was never set up. Code
/// `pipeline-provisioning-failed`; a failed run is `run-failed` instead.
fn provisioning(r: &Resource, out: &mut Vec<Finding>) {
    let Slot::Text { value, span } = &r.provisioning_state else {
        return;
    };
    if r.kind == ResourceKind::Run || !value.eq_ignore_ascii_case("Failed") {
        return;
    }
    out.push(
        Finding::new(
            codes::PROVISIONING_FAILED,
            path(r, "provisioningState"),
            span.clone(),
        )
        .message("the pipeline's provisioning failed; it cannot run")
        .help("read the deployment's error, fix the cause and create the pipeline again")
        .label("Failed"),
    );
}

/// `target.type` / `source.type`: pipelines point at a container. Code
/// `pipeline-endpoint-type`.
fn endpoint_type(e: &Endpoint, out: &mut Vec<Finding>) {
    let Slot::Text { value, span } = &e.kind else {
        return;
    };
    if value == "AzureStorageBlobContainer" {
        return;
    }
    out.push(
        Finding::new(
            codes::ENDPOINT_TYPE,
            format!("{}.type", e.path),
            span.clone(),
        )
        .message(format!("type {value:?} is not AzureStorageBlobContainer"))
        .help("pipelines point at a blob container: set type to AzureStorageBlobContainer")
        .label("unexpected type"),
    );
}

/// `uri`: HTTPS, a blob endpoint of any cloud, a container path and nothing more, no
/// SAS in it (the SAS belongs in the Key Vault secret). Code `pipeline-storage-uri`.
fn storage_uri(e: &Endpoint, out: &mut Vec<Finding>) {
    let field = format!("{}.uri", e.path);
    let problem = match (&e.uri, &e.storage) {
        (Slot::Expression(_), _) => return,
        (Slot::Text { .. }, Some(u)) => container_problem(u),
        (Slot::Text { value, .. }, None) => {
            Some((Severity::Error, format!("{value:?} is not an absolute URI")))
        }
        (Slot::Missing | Slot::Null(_) | Slot::Other { .. }, _) => Some((
            Severity::Error,
            String::from("the storage container URI is missing"),
        )),
    };
    let Some((severity, message)) = problem else {
        return;
    };
    let span = e.uri.span().unwrap_or_else(|| open(&e.span));
    out.push(
        Finding::new(codes::STORAGE_URI, field, span)
            .severity(severity)
            .message(message)
            .help("use https://<account>.blob.<cloud suffix>/<container>, e.g. https://myaccount.blob.core.windows.net/transfer")
            .label("storage URI"),
    );
}

fn container_problem(u: &values::StorageUri) -> Option<(Severity, String)> {
    if u.scheme != "https" {
        return Some((
            Severity::Error,
            format!("URI scheme is {}, not https", u.scheme),
        ));
    }
    if u.has_query {
        return Some((
            Severity::Error,
            String::from(
                "URI carries a query string; the SAS token belongs in the Key Vault secret, not in the URI",
            ),
        ));
    }
    let Some(container) = &u.container else {
        return Some((Severity::Error, String::from("URI names no container")));
    };
    if u.blob.is_some() {
        return Some((
            Severity::Error,
            String::from("URI points below a container; a pipeline's URI ends at the container"),
        ));
    }
    if !values::container_name(container) {
        return Some((
            Severity::Error,
            format!(
                "{container:?} is not a container name: 3 to 63 lower-case letters, digits and single hyphens"
            ),
        ));
    }
    if u.account.is_none() {
        return Some((
            Severity::Warning,
            format!(
                "host {} is not a blob endpoint (<account>.blob.<cloud suffix>)",
                u.host
            ),
        ));
    }
    None
}

/// Storage access mode against the Key Vault URI and the API version: SasToken needs a
/// secret URI; ManagedIdentity expects none (null or empty is what the service returns)
/// and needs API 2025-06-01-preview or later. Codes `pipeline-access-mode`,
/// `pipeline-keyvault-missing`, `pipeline-keyvault-unexpected`, `pipeline-keyvault-uri`,
/// `pipeline-api-too-old`.
fn access_mode(r: &Resource, e: &Endpoint, out: &mut Vec<Finding>) {
    let mode_field = format!("{}.storageAccessMode", e.path);
    let kv_field = format!("{}.keyVaultUri", e.path);
    if let Slot::Text { value, span } = &e.access_mode {
        out.extend(other_case(
            codes::ACCESS_MODE,
            &mode_field,
            "storageAccessMode",
            ACCESS_MODES,
            value,
            span,
        ));
    }
    match e.effective_access_mode() {
        None if matches!(e.access_mode, Slot::Expression(_)) => {}
        None => {
            let span = e.access_mode.span().unwrap_or_else(|| open(&e.span));
            out.push(
                Finding::new(codes::ACCESS_MODE, mode_field, span)
                    .message(format!(
                        "storageAccessMode {} is neither SasToken nor ManagedIdentity",
                        value_or(&e.access_mode)
                    ))
                    .help("set storageAccessMode to SasToken (with keyVaultUri) or ManagedIdentity (with an RBAC role on the storage account)")
                    .label("unknown mode"),
            );
        }
        Some(AccessMode::SasToken) => {
            if e.key_vault_uri.is_blank() {
                let span = e.key_vault_uri.span().unwrap_or_else(|| open(&e.span));
                let implicit = matches!(e.access_mode, Slot::Missing | Slot::Null(_));
                out.push(
                    Finding::new(codes::KEYVAULT_MISSING, kv_field.clone(), span)
                        .message(if implicit {
                            "no keyVaultUri, and storageAccessMode is not set, so it is SasToken, which reads the SAS token from a Key Vault secret"
                        } else {
                            "SasToken mode needs keyVaultUri: the Key Vault secret that holds the SAS token"
                        })
                        .help("set keyVaultUri to https://<vault>.vault.azure.net/secrets/<name>, or use storageAccessMode ManagedIdentity")
                        .label("no secret URI"),
                );
            } else {
                key_vault_uri(e, out);
            }
        }
        Some(AccessMode::ManagedIdentity) => {
            let expression = matches!(e.key_vault_uri, Slot::Expression(_));
            if !e.key_vault_uri.is_blank() && !expression {
                let span = e.key_vault_uri.span().unwrap_or_else(|| open(&e.span));
                out.push(
                    Finding::new(codes::KEYVAULT_UNEXPECTED, kv_field, span)
                        .message("ManagedIdentity mode reads storage with the pipeline's identity; this keyVaultUri is not used")
                        .help("remove keyVaultUri (null or empty is expected in ManagedIdentity mode), or use SasToken mode")
                        .label("unused"),
                );
            }
            identity_required(r, out);
        }
    }
    api_too_old(r, e, out);
}

/// The values of `storageAccessMode`, as the API spells them.
const ACCESS_MODES: &[&str] = &["SasToken", "ManagedIdentity"];
/// The values of `trigger.sourceTrigger.status`, as the API spells them.
const TRIGGER_STATUSES: &[&str] = &["Enabled", "Disabled"];

/// A warning for an enum value written in another case than the API's. The API
/// reference lists each value in one spelling and does not say that another case is
/// accepted; the checks still read the value as the one it matches, as they do for
/// options.
fn other_case(
    code: Code,
    field: &str,
    what: &str,
    known: &[&str],
    value: &str,
    span: &Range<usize>,
) -> Option<Finding> {
    let canonical = known
        .iter()
        .find(|k| k.eq_ignore_ascii_case(value) && **k != value)?;
    Some(
        Finding::new(code, field.to_string(), span.clone())
            .severity(Severity::Warning)
            .message(format!(
                "{what} {value:?} is written {canonical} in the API"
            ))
            .help(format!("write it as {canonical}"))
            .label("case"),
    )
}

fn value_or(slot: &Slot) -> String {
    match slot {
        Slot::Text { value, .. } => format!("{value:?}"),
        Slot::Other { found, .. } => format!("(a {found})"),
        Slot::Missing | Slot::Null(_) | Slot::Expression(_) => String::from("(none)"),
    }
}

/// `keyVaultUri` must be an HTTPS Key Vault secret URI (the CLI warns on anything
/// without `https://` and `/secrets/`). Code `pipeline-keyvault-uri`.
fn key_vault_uri(e: &Endpoint, out: &mut Vec<Finding>) {
    let Slot::Text { value, span } = &e.key_vault_uri else {
        if let Slot::Other { span, found } = &e.key_vault_uri {
            out.push(
                Finding::new(
                    codes::KEYVAULT_URI,
                    format!("{}.keyVaultUri", e.path),
                    span.clone(),
                )
                .message(format!("keyVaultUri is a {found}, not a string")),
            );
        }
        return;
    };
    let problem = match &e.key_vault {
        None => Some((Severity::Error, format!("{value:?} is not an absolute URI"))),
        Some(k) if k.scheme != "https" => Some((
            Severity::Error,
            format!("URI scheme is {}, not https", k.scheme),
        )),
        Some(k) => match &k.secret_name {
            None => Some((
                Severity::Error,
                String::from("URI is not a secret URI: its path is not /secrets/<name>"),
            )),
            Some(n) if !values::secret_name(n) => Some((
                Severity::Error,
                format!("{n:?} is not a secret name: 1 to 127 letters, digits and hyphens"),
            )),
            Some(_) if k.vault.is_none() => Some((
                Severity::Warning,
                format!(
                    "host {} is not a Key Vault host (<vault>.vault.<cloud suffix>)",
                    k.host
                ),
            )),
            Some(_) => None,
        },
    };
    let Some((severity, message)) = problem else {
        return;
    };
    out.push(
        Finding::new(codes::KEYVAULT_URI, format!("{}.keyVaultUri", e.path), span.clone())
            .severity(severity)
            .message(message)
            .help("use the secret's URI, https://<vault>.vault.azure.net/secrets/<name> (another cloud's vault suffix is fine)")
            .label("Key Vault URI"),
    );
}

/// `storageAccessMode` exists from API 2025-06-01-preview on; a template with an older
/// `apiVersion` cannot carry it. Code `pipeline-api-too-old`.
fn api_too_old(r: &Resource, e: &Endpoint, out: &mut Vec<Finding>) {
    let (Slot::Text { value: api, span }, Slot::Text { value: mode, .. }) =
        (&r.api_version, &e.access_mode)
    else {
        return;
    };
    if api.get(..10).unwrap_or(api) >= &ACCESS_MODE_API[..10] {
        return;
    }
    let needs = if mode.eq_ignore_ascii_case("ManagedIdentity") {
        "ManagedIdentity mode needs"
    } else {
        "storageAccessMode needs"
    };
    out.push(
        Finding::new(
            codes::API_TOO_OLD,
            format!("{}apiVersion", r.prefix),
            span.clone(),
        )
        .message(format!(
            "{needs} API version {ACCESS_MODE_API} or later, and this resource uses {api}"
        ))
        .help(format!("set apiVersion to {ACCESS_MODE_API} or later"))
        .label("too old")
        .related(
            e.access_mode.span().unwrap_or_else(|| open(&e.span)),
            "needs a newer API",
        ),
    );
}

/// ManagedIdentity mode reaches storage with the pipeline's identity, so it needs one.
/// Code `pipeline-identity`.
fn identity_required(r: &Resource, out: &mut Vec<Finding>) {
    let none = match &r.identity {
        None => true,
        Some(i) => i
            .kind
            .text()
            .is_some_and(|t| t.eq_ignore_ascii_case("None")),
    };
    if none {
        out.push(
            Finding::new(codes::IDENTITY, format!("{}identity", r.prefix), open(&r.span))
                .message("ManagedIdentity mode needs a managed identity on the pipeline, and it has none")
                .help("add identity {\"type\": \"SystemAssigned\"} (or a user-assigned identity) and give it a Storage Blob Data role on the account"),
        );
    }
}

/// `identity.type` is None, SystemAssigned, UserAssigned or both (compared without
/// case, as the CLI prints lower camel case); a user-assigned identity needs
/// `userAssignedIdentities` keyed by ARM IDs of Microsoft.ManagedIdentity resources.
/// Top-level ids that are null with a user-assigned identity are by design. Code
/// `pipeline-identity`.
fn identity(r: &Resource, out: &mut Vec<Finding>) {
    let Some(id) = &r.identity else {
        return;
    };
    if !id.is_object {
        if !matches!(id.kind, Slot::Expression(_)) {
            out.push(
                Finding::new(
                    codes::IDENTITY,
                    format!("{}identity", r.prefix),
                    id.span.clone(),
                )
                .message(format!("identity is {}, not an object", value_or(&id.kind)))
                .help("write identity as an object, e.g. {\"type\": \"SystemAssigned\"}")
                .label("not an object"),
            );
        }
        return;
    }
    let field = format!("{}identity.type", r.prefix);
    let Slot::Text { value, span } = &id.kind else {
        return;
    };
    let normal: String = value
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    let user = match normal.as_str() {
        "none" | "systemassigned" => false,
        "userassigned" | "systemassigned,userassigned" => true,
        _ => {
            out.push(
                Finding::new(codes::IDENTITY, field, span.clone())
                    .message(format!("identity type {value:?} is not None, SystemAssigned, UserAssigned or \"SystemAssigned, UserAssigned\""))
                    .help("set identity.type to SystemAssigned or UserAssigned")
                    .label("unknown type"),
            );
            return;
        }
    };
    if user && id.user_assigned.is_empty() {
        out.push(
            Finding::new(codes::IDENTITY, format!("{}identity.userAssignedIdentities", r.prefix), span.clone())
                .message("a user-assigned identity type with no userAssignedIdentities")
                .help("add userAssignedIdentities: {\"/subscriptions/…/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>\": {}}")
                .label("no identities"),
        );
    }
    for (key, key_span) in &id.user_assigned {
        if !values::user_identity_id(key) && !values::is_expression(key) {
            out.push(
                Finding::new(codes::IDENTITY, format!("{}identity.userAssignedIdentities", r.prefix), key_span.clone())
                    .message(format!("{key:?} is not the resource ID of a user-assigned managed identity"))
                    .help("key each user-assigned identity by its full ID: /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>")
                    .label("not an identity ID"),
            );
        }
    }
}

/// `options` come from one enum, and each direction allows only some of them: export
/// OverwriteBlobs and ContinueOnErrors; import OverwriteTags, DeleteSourceBlobOnSuccess
/// and ContinueOnErrors (the CLI's validators). Codes `pipeline-option`,
/// `pipeline-option-duplicate`.
fn options(r: &Resource, out: &mut Vec<Finding>) {
    if let Some(span) = &r.options_not_array {
        out.push(
            Finding::new(codes::OPTION, path(r, "options"), span.clone())
                .message("options is not an array of strings")
                .help("write options as an array, e.g. [\"OverwriteBlobs\"]"),
        );
    }
    let (allowed, direction) = if r.kind == ResourceKind::Export {
        (EXPORT_OPTIONS, "export")
    } else {
        (IMPORT_OPTIONS, "import")
    };
    let mut seen: Vec<String> = Vec::new();
    for (i, (opt, span)) in r.options.iter().flatten().enumerate() {
        let field = path(r, &format!("options[{i}]"));
        if values::is_expression(opt) {
            continue;
        }
        if seen.iter().any(|s| s.eq_ignore_ascii_case(opt)) {
            out.push(
                Finding::new(codes::OPTION_DUPLICATE, field, span.clone())
                    .message(format!("option {opt} is listed twice"))
                    .help("list each option once")
                    .label("again"),
            );
            continue;
        }
        seen.push(opt.clone());
        if let Some(f) = option_finding(opt, allowed, direction, field, span.clone()) {
            out.push(f);
        }
    }
}

fn option_finding(
    opt: &str,
    allowed: &[&str],
    direction: &str,
    field: String,
    span: Range<usize>,
) -> Option<Finding> {
    if allowed.contains(&opt) {
        return None;
    }
    let list = allowed.join(", ");
    let known = ALL_OPTIONS.iter().find(|o| o.eq_ignore_ascii_case(opt));
    let (message, help) = match known {
        Some(k) if *k != opt => (
            format!("option {opt:?} is written {k} in the API"),
            format!("write it as {k}"),
        ),
        Some(_) => (
            format!("option {opt} is not valid for an {direction} pipeline"),
            format!("an {direction} pipeline takes {list}"),
        ),
        None if opt.eq_ignore_ascii_case("DisableSourceTrigger") => (
            String::from("DisableSourceTrigger is not an option"),
            String::from("turn the source trigger off with trigger.sourceTrigger.status Disabled"),
        ),
        None => (
            format!("unknown option {opt:?}"),
            format!("an {direction} pipeline takes {list}"),
        ),
    };
    let severity = if known.is_some_and(|k| *k != opt) {
        Severity::Warning
    } else {
        Severity::Error
    };
    Some(
        Finding::new(codes::OPTION, field, span)
            .severity(severity)
            .message(message)
            .help(help)
            .label("option"),
    )
}

/// `trigger.sourceTrigger.status` is Enabled (the default) or Disabled; a disabled
/// trigger means imports run only from a PipelineRun. Code `pipeline-source-trigger`.
fn source_trigger(r: &Resource, out: &mut Vec<Finding>) {
    let field = path(r, "trigger.sourceTrigger.status");
    if let Slot::Text { value, span } = &r.trigger_status {
        out.extend(other_case(
            codes::SOURCE_TRIGGER,
            &field,
            "source trigger status",
            TRIGGER_STATUSES,
            value,
            span,
        ));
    }
    match &r.trigger_status {
        Slot::Text { value, span } if value.eq_ignore_ascii_case("Disabled") => out.push(
            Finding::new(codes::SOURCE_TRIGGER, field, span.clone())
                .message("the source trigger is disabled: blobs arriving in the container are not imported by themselves")
                .help("start each import with an import PipelineRun naming the blob, or set the status to Enabled")
                .label("Disabled"),
        ),
        Slot::Text { value, span } if !value.eq_ignore_ascii_case("Enabled") => out.push(
            Finding::new(codes::SOURCE_TRIGGER, field, span.clone())
                .severity(Severity::Error)
                .message(format!("source trigger status {value:?} is neither Enabled nor Disabled"))
                .help("set trigger.sourceTrigger.status to Enabled or Disabled")
                .label("unknown status"),
        ),
        Slot::Other { span, found } => out.push(
            Finding::new(codes::SOURCE_TRIGGER, field, span.clone())
                .severity(Severity::Error)
                .message(format!("source trigger status is a {found}, not a string")),
        ),
        Slot::Text { .. } | Slot::Missing | Slot::Null(_) | Slot::Expression(_) => {}
    }
}

/// DeleteSourceBlobOnSuccess in ManagedIdentity mode needs a role that may delete blobs;
/// the CLI suggests only Storage Blob Data Reader for import. Code
/// `pipeline-delete-needs-role`.
fn delete_role(r: &Resource, out: &mut Vec<Finding>) {
    if r.access_mode() != Some(AccessMode::ManagedIdentity) {
        return;
    }
    let Some((i, (_, span))) = r
        .options
        .iter()
        .flatten()
        .enumerate()
        .find(|(_, (o, _))| o == "DeleteSourceBlobOnSuccess")
    else {
        return;
    };
    out.push(
        Finding::new(codes::DELETE_ROLE, path(r, &format!("options[{i}]")), span.clone())
            .message("DeleteSourceBlobOnSuccess deletes each imported blob with the pipeline's identity; Storage Blob Data Reader, the role the CLI suggests for import, does not allow that")
            .help("give the identity a role that may delete blobs, such as Storage Blob Data Contributor, on the source storage account")
            .label("needs delete rights"),
    );
}
