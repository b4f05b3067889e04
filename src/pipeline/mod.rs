//! Pipeline resources: ExportPipeline, ImportPipeline and PipelineRun.
//!
//! Reads each resource as the ARM GET body, an ARM template resource (with its
//! `apiVersion`; a whole template's matching resources are all read) or az CLI output
//! (properties flattened, or a list), detected by content ([`model`]), and checks what
//! can be known offline ([`rules`]): names, storage and Key Vault URIs, the storage
//! access mode against the Key Vault URI and the API version, the identity, options
//! per direction, the source trigger, a run's artifacts and blob name, and a finished
//! run's error. It does not check that the storage account, vault, secret or pipeline
//! exist, nor any role assignment: those need the service. A SAS signature found
//! anywhere in the input is masked before the report is built.

pub mod codes;
pub mod model;
pub mod rules;
pub mod values;

use std::sync::Arc;

use serde_json::{Value, json};

use crate::context::Context;
use crate::diag::{Finding, InputReport};
use crate::input::Decoded;
use crate::json::{self, Node};
use crate::secret::{self, Secrets};

pub use model::{AccessMode, Resource, ResourceKind};
pub use values::{Direction, PipelineId, SecretUri, StorageUri};

/// What checking one pipeline input found.
#[derive(Debug, Clone)]
pub struct PipelineCheck {
    /// The findings, with the (masked) input text they point into.
    pub report: InputReport,
    /// The resource, when the input holds exactly one.
    pub resource: Option<Resource>,
    /// Every resource the input holds (a template or an az list may hold several).
    pub resources: Vec<Resource>,
    /// Secrets seen in the input (a SAS signature in a URI or a message).
    pub secrets: Secrets,
}

/// True when the JSON holds an ExportPipeline, ImportPipeline or PipelineRun (by its
/// `type`, or by its members when `type` is absent); for the `check` command.
pub fn looks_like_pipeline(root: &Node) -> bool {
    model::looks_like_pipeline(root)
}

/// Checks one pipeline input. The context is unused today (no pipeline rule depends on
/// time) and taken so every check has the same shape.
pub fn check(name: &str, decoded: &Decoded, _ctx: &Context) -> PipelineCheck {
    let mut secrets = Secrets::new();
    let masked = secret::mask_json(decoded.text.clone(), &mut secrets);
    let text: Arc<str> = Arc::from(masked);
    let mut report = InputReport::new(name, "pipeline", text.clone());
    let help = "give the resource as JSON: az acr export-pipeline show …, an ARM GET body, or the ARM template";
    let Some(root) = json::parse_input(&text, &mut report, codes::NOT_JSON, help) else {
        return PipelineCheck {
            report,
            resource: None,
            resources: Vec::new(),
            secrets,
        };
    };
    let resources: Vec<Resource> = model::locate(&root)
        .into_iter()
        .filter_map(|(node, prefix)| model::read(node, prefix))
        .collect();
    if resources.is_empty() {
        report.findings.push(
            Finding::new(codes::NOT_PIPELINE, "input", root.span.start..root.span.start + 1)
                .message("no ExportPipeline, ImportPipeline or PipelineRun in this JSON")
                .help("give a resource whose type is Microsoft.ContainerRegistry/registries/exportPipelines, importPipelines or pipelineRuns"),
        );
        return PipelineCheck {
            report,
            resource: None,
            resources,
            secrets,
        };
    }
    for r in &resources {
        report.findings.extend(rules::run(r));
    }
    report.kind = match resources.as_slice() {
        [one] => one.kind.as_str().to_string(),
        _ => String::from("pipeline-resources"),
    };
    report.details = Value::Array(resources.iter().map(details).collect());
    report.notes = resources.iter().map(note).collect();
    let resource = match resources.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    };
    PipelineCheck {
        report,
        resource,
        resources,
        secrets,
    }
}

/// Facts for the JSON output.
fn details(r: &Resource) -> Value {
    let storage = r.storage().map(|s| {
        json!({ "host": s.host, "account": s.account, "container": s.container, "blob": s.blob })
    });
    let key_vault = r.key_vault().map(|k| {
        json!({ "host": k.host, "vault": k.vault, "secretName": k.secret_name, "version": k.version })
    });
    let run = r.run.as_ref().map(|run| {
        json!({
            "direction": run.direction().map(|d| match d {
                Direction::Export => "export",
                Direction::Import => "import",
            }),
            "pipeline": run.pipeline.as_ref().map(|p| &p.name),
            "blobName": run.target_name.text().or(run.source_name.text()),
            "status": run.status.text(),
        })
    });
    json!({
        "kind": r.kind.as_str(),
        "shape": r.shape.as_str(),
        "path": r.prefix.trim_end_matches('.'),
        "name": r.short_name(),
        "apiVersion": r.api_version_text(),
        "options": r.option_names(),
        "storage": storage,
        "keyVault": key_vault,
        "storageAccessMode": r.access_mode().map(|m| match m {
            AccessMode::SasToken => "SasToken",
            AccessMode::ManagedIdentity => "ManagedIdentity",
        }),
        "sourceTriggerEnabled": r.source_trigger_enabled(),
        "artifacts": r.artifacts(),
        "run": run,
    })
}

/// One line per resource for the human output.
fn note(r: &Resource) -> String {
    let name = match (&r.name, r.short_name()) {
        (_, Some(n)) => n,
        (model::Slot::Expression(_), None) => "(name set by the template)",
        (_, None) => "(unnamed)",
    };
    let mut line = format!("{} {name}", r.kind.as_str());
    if let Some(s) = r.storage() {
        line.push_str(&format!(", storage {}", s.host));
        if let Some(c) = &s.container {
            line.push_str(&format!("/{c}"));
        }
    }
    match r.access_mode() {
        Some(AccessMode::SasToken) if r.kind != ResourceKind::Run => line.push_str(", SasToken"),
        Some(AccessMode::ManagedIdentity) => line.push_str(", ManagedIdentity"),
        _ => {}
    }
    if let Some(enabled) = r.source_trigger_enabled() {
        line.push_str(if enabled {
            ", source trigger on"
        } else {
            ", source trigger off"
        });
    }
    let artifacts = r.artifacts();
    if !artifacts.is_empty() {
        line.push_str(&format!(", {} artifacts", artifacts.len()));
    }
    line
}
