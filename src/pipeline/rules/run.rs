//! Rules over a PipelineRun: the pipeline it names, its artifacts, its blob, and how
//! it ended.
//!
//! Sources: the ACR REST schema 2025-06-01-preview (`PipelineRunRequest`,
//! `PipelineRunResponse`), the prerequisites article (at most 50 artifacts), the CLI's
//! validators (an export run needs artifacts; a bare repository means `:latest`) and the
//! troubleshooting guide (failure causes).

use std::ops::Range;

use super::{MAX_ARTIFACTS, open, path, value_or};
use crate::diag::Finding;
use crate::manifest::reference::artifact_reference;
use crate::pipeline::codes;
use crate::pipeline::model::{Resource, Run, Slot};
use crate::pipeline::values::{self, Direction};

pub(super) fn pipeline_run(r: &Resource, run: &Run, out: &mut Vec<Finding>) {
    pipeline_id(r, run, out);
    match run.direction() {
        Some(Direction::Export) => {
            artifacts(r, run, out);
            blob_name(r, run, &run.target_name, "request.target.name", out);
        }
        Some(Direction::Import) => {
            blob_name(r, run, &run.source_name, "request.source.name", out);
            if let Some(items) = &run.artifacts {
                if !items.is_empty() {
                    out.push(
                        Finding::new(codes::RUN_ARTIFACTS_IGNORED, path(r, "request.artifacts"), run.artifacts_span.clone())
                            .message("an import run imports everything in its blob; request.artifacts is for export runs")
                            .help("remove request.artifacts from the import run")
                            .label("not used"),
                    );
                }
            }
        }
        None => {}
    }
    outcome(r, run, out);
}

/// `request.pipelineResourceId` is the full ARM ID of an export or import pipeline.
/// Code `run-pipeline-id`.
fn pipeline_id(r: &Resource, run: &Run, out: &mut Vec<Finding>) {
    if run.pipeline.is_some() || matches!(run.pipeline_id, Slot::Expression(_)) {
        return;
    }
    let span = run
        .pipeline_id
        .span()
        .unwrap_or_else(|| open(&run.request_span));
    let message = match run.pipeline_id.text() {
        Some(t) => format!("{t:?} is not the resource ID of an export or import pipeline"),
        None => String::from("the run has no request.pipelineResourceId"),
    };
    out.push(
        Finding::new(codes::RUN_PIPELINE_ID, path(r, "request.pipelineResourceId"), span)
            .message(message)
            .help("use the pipeline's full ID: /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.ContainerRegistry/registries/<registry>/exportPipelines/<name> (or importPipelines)")
            .label("pipeline ID"),
    );
}

/// An export run carries 1 to 50 artifacts, each `repo`, `repo:tag` or
/// `repo@sha256:<64 hex>`; a bare repository means `:latest`. Codes
/// `run-artifacts-missing`, `run-too-many-artifacts`, `run-artifact-invalid`,
/// `run-artifact-latest`, `run-artifact-duplicate`, `run-artifact-registry-host`.
fn artifacts(r: &Resource, run: &Run, out: &mut Vec<Finding>) {
    let field = path(r, "request.artifacts");
    match &run.artifacts_other {
        Some(Slot::Expression(_)) => return,
        Some(other @ (Slot::Text { .. } | Slot::Other { .. })) => {
            out.push(
                Finding::new(
                    codes::RUN_ARTIFACT_INVALID,
                    field,
                    run.artifacts_span.clone(),
                )
                .message(format!(
                    "request.artifacts is {}, not an array",
                    value_or(other)
                ))
                .help("write request.artifacts as an array of strings, e.g. [\"hello-world:v1\"]")
                .label("not an array"),
            );
            return;
        }
        Some(Slot::Missing | Slot::Null(_)) | None => {}
    }
    let items = run.artifacts.as_deref().unwrap_or(&[]);
    if items.is_empty() {
        out.push(
            Finding::new(
                codes::RUN_ARTIFACTS_MISSING,
                field,
                run.artifacts_span.clone(),
            )
            .message("an export run needs at least one artifact, and this one names none")
            .help("list the images to export in request.artifacts, e.g. [\"hello-world:latest\"]")
            .label("no artifacts"),
        );
        return;
    }
    if items.len() > MAX_ARTIFACTS {
        out.push(
            Finding::new(
                codes::RUN_TOO_MANY_ARTIFACTS,
                field.clone(),
                run.artifacts_span.clone(),
            )
            .message(format!(
                "the run names {} artifacts; one run may carry at most {MAX_ARTIFACTS}",
                items.len()
            ))
            .help("split the artifacts over several runs of at most 50 each")
            .label(format!("{} artifacts", items.len())),
        );
    }
    let mut seen: Vec<&str> = Vec::new();
    for (i, (text, span)) in items.iter().enumerate() {
        let item_field = format!("{field}[{i}]");
        if values::is_expression(text) {
            continue;
        }
        if seen.contains(&text.as_str()) {
            out.push(
                Finding::new(codes::RUN_ARTIFACT_DUPLICATE, item_field, span.clone())
                    .message(format!("artifact {text} is listed twice"))
                    .help("list each artifact once")
                    .label("again"),
            );
            continue;
        }
        seen.push(text);
        out.extend(artifact(text, item_field, span.clone()));
    }
}

fn artifact(text: &str, field: String, span: Range<usize>) -> Vec<Finding> {
    let parsed = match artifact_reference(text) {
        Ok(p) => p,
        Err(e) => {
            return vec![
                Finding::new(codes::RUN_ARTIFACT_INVALID, field, span)
                    .message(format!("artifact {text:?} {}", e.describe()))
                    .help("write an artifact as repo, repo:tag or repo@sha256:<64 hex digits>")
                    .label("invalid reference"),
            ];
        }
    };
    let mut out = Vec::new();
    let first = parsed.repository.split('/').next().unwrap_or_default();
    if parsed.repository.contains('/')
        && (first.contains(".azurecr.") || first.contains(".io") || first == "localhost")
    {
        out.push(
            Finding::new(codes::RUN_ARTIFACT_HOST, field.clone(), span.clone())
                .message(format!("artifact {text:?} starts with {first}, which looks like a registry host; artifacts are repositories in the export pipeline's registry"))
                .help("drop the registry host: write repo:tag")
                .label("registry host?"),
        );
    }
    if parsed.is_bare() {
        out.push(
            Finding::new(codes::RUN_ARTIFACT_LATEST, field, span)
                .message(format!(
                    "artifact {text} has no tag or digest, so {text}:latest is exported"
                ))
                .help(format!(
                    "write the tag you mean, e.g. {text}:1.0, or pin a digest"
                ))
                .label("means :latest"),
        );
    }
    out
}

/// The run's blob: `request.target.name` (export, the blob to write) or
/// `request.source.name` (import, the blob to read). Code `run-blob-name`.
fn blob_name(r: &Resource, run: &Run, slot: &Slot, rel: &str, out: &mut Vec<Finding>) {
    let message = match slot {
        Slot::Expression(_) => return,
        Slot::Text { value, .. } if values::blob_name(value) => return,
        Slot::Text { value, .. } => format!(
            "{value:?} is not a blob name: 1 to 1024 characters, not ending with '.' or '/'"
        ),
        Slot::Missing | Slot::Null(_) | Slot::Other { .. } => format!("the run has no {rel}"),
    };
    let span = slot.span().unwrap_or_else(|| open(&run.request_span));
    out.push(
        Finding::new(codes::RUN_BLOB_NAME, path(r, rel), span)
            .message(message)
            .help(format!(
                "set {rel} to the blob's name in the pipeline's container, e.g. myblob.tar.gz"
            ))
            .label("blob name"),
    );
}

/// A finished run that failed is reported with its `pipelineRunErrorMessage` and the
/// likely cause the troubleshooting guide gives; an unfinished one is advice. Codes
/// `run-failed`, `run-not-finished`.
fn outcome(r: &Resource, run: &Run, out: &mut Vec<Finding>) {
    let status = run.status.text().unwrap_or("");
    let failed_state = r
        .provisioning_state
        .text()
        .is_some_and(|s| s.eq_ignore_ascii_case("Failed"));
    let message = run.error_message.text().filter(|m| !m.trim().is_empty());
    let failed = status.eq_ignore_ascii_case("Failed") || failed_state || message.is_some();
    if status.eq_ignore_ascii_case("Succeeded") && message.is_none() {
        return;
    }
    if !failed {
        if let Slot::Text { value, span } = &run.status {
            out.push(
                Finding::new(
                    codes::RUN_NOT_FINISHED,
                    path(r, "response.status"),
                    span.clone(),
                )
                .message(format!("the run's status is {value}: it has not finished"))
                .help("check the run again when it has finished")
                .label(value.clone()),
            );
        }
        return;
    }
    let direction = run.direction();
    let (cause, help) = likely_cause(message.unwrap_or(""), direction);
    let (field, span) = match (&run.error_message, message) {
        (Slot::Text { span, .. }, Some(_)) => {
            (path(r, "response.pipelineRunErrorMessage"), span.clone())
        }
        _ => (
            path(r, "response.status"),
            run.status
                .span()
                .or_else(|| r.provisioning_state.span())
                .unwrap_or_else(|| open(&r.span)),
        ),
    };
    let text = match message {
        Some(m) => format!("the run failed: {m}; likely cause: {cause}"),
        None => format!("the run failed without pipelineRunErrorMessage; likely cause: {cause}"),
    };
    out.push(
        Finding::new(codes::RUN_FAILED, field, span)
            .message(text)
            .help(help)
            .label("run failed"),
    );
}

/// The causes the troubleshooting guide names, matched on words in the message.
fn likely_cause(message: &str, direction: Option<Direction>) -> (&'static str, &'static str) {
    let m = message.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| m.contains(w));
    let forbidden = has(&[
        "403",
        "forbidden",
        "authorizationfailure",
        "authenticationfailed",
        "authorizationpermissionmismatch",
        "not authorized",
    ]);
    if forbidden && has(&["vault", "secret"]) {
        return (
            "the pipeline's identity may not read the Key Vault secret (403 from Key Vault)",
            "grant the pipeline's identity secret get on the vault (the Key Vault Secrets User role or an access policy)",
        );
    }
    if forbidden {
        return (
            "storage refused the request (403): in SasToken mode the SAS is expired, its account key was rotated, or it lacks srt=sco, the needed permissions or spr=https; in ManagedIdentity mode the identity lacks an RBAC role",
            "check the SAS in the Key Vault secret with acr-preflight sas (export needs r, w, l, a; import needs r, l, and d with DeleteSourceBlobOnSuccess), or give the identity a Storage Blob Data role",
        );
    }
    if has(&[
        "containernotfound",
        "container not found",
        "container does not exist",
    ]) {
        return (
            "the storage container named in the pipeline does not exist",
            "create the container, or fix the pipeline's storage URI",
        );
    }
    if has(&[
        "blobnotfound",
        "blob not found",
        "does not exist",
        "not found",
    ]) {
        return (
            "the blob named in the run does not exist in the pipeline's container",
            "check request.source.name against the blobs in the container (names are case-sensitive)",
        );
    }
    if has(&["blobalreadyexists", "already exists"]) {
        return (
            "a blob of that name already exists",
            "add OverwriteBlobs to the export pipeline's options, or give the run a new target name",
        );
    }
    if has(&[
        "foreign",
        "nondistributable",
        "non-distributable",
        "mcr.microsoft.com",
    ]) {
        return (
            "an image has foreign (nondistributable) layers hosted outside the registry",
            "push those layers into the source registry before export (allow-nondistributable-artifacts), then run again",
        );
    }
    if has(&["8 gb", "8gb", "layer size", "too large"]) {
        return (
            "a layer is larger than the 8 GB ACR Transfer supports",
            "check the images with acr-preflight manifest and rebuild any with a layer over 8 GB",
        );
    }
    let help = match direction {
        Some(Direction::Import) => {
            "read the message above; the troubleshooting guide's checks for imports are the blob's age (60 days), ContentMD5, category metadata and list permission"
        }
        Some(Direction::Export) | None => {
            "read the message above and the ACR Transfer troubleshooting guide; check the SAS, the Key Vault access and the artifacts"
        }
    };
    ("not one the troubleshooting guide names", help)
}
