//! ExportPipeline, ImportPipeline and PipelineRun resources as a typed model with spans.
//!
//! Three shapes carry the same resource: the ARM GET body (`properties` holds the
//! fields), an ARM template resource (`apiVersion`, a `registry/name` name, values that
//! may be template expressions) and az CLI output (the `properties` flattened into the
//! top level). The shape is detected by content. Reading never judges: a missing,
//! `null` or wrongly typed member is kept as such for the rules.

use std::ops::Range;

use crate::json::Node;

use super::values::{self, Direction, PipelineId, SecretUri, StorageUri};

/// Which resource this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceKind {
    /// `registries/exportPipelines`.
    Export,
    /// `registries/importPipelines`.
    Import,
    /// `registries/pipelineRuns`.
    Run,
}

impl Shape {
    /// The shape name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Shape::Arm => "arm",
            Shape::Template => "arm-template",
            Shape::AzCli => "az-cli",
        }
    }
}

impl ResourceKind {
    /// The kind name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ResourceKind::Export => "export-pipeline",
            ResourceKind::Import => "import-pipeline",
            ResourceKind::Run => "pipeline-run",
        }
    }
}

/// How the resource was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// ARM GET body (or PUT body): fields under `properties`.
    Arm,
    /// ARM template resource, with `apiVersion`.
    Template,
    /// az CLI output: fields flattened to the top level.
    AzCli,
}

/// One JSON member as the model keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slot {
    /// Not there.
    Missing,
    /// `null`.
    Null(Range<usize>),
    /// A JSON type other than a string.
    Other {
        /// Span of the value.
        span: Range<usize>,
        /// The JSON type found.
        found: &'static str,
    },
    /// An ARM template expression, known only at deployment.
    Expression(Range<usize>),
    /// A string.
    Text {
        /// The string.
        value: String,
        /// Span of its content (without quotes).
        span: Range<usize>,
    },
}

impl Slot {
    /// The string, if this is one (not an expression).
    pub fn text(&self) -> Option<&str> {
        match self {
            Slot::Text { value, .. } => Some(value),
            Slot::Missing | Slot::Null(_) | Slot::Other { .. } | Slot::Expression(_) => None,
        }
    }

    /// The span, unless missing.
    pub fn span(&self) -> Option<Range<usize>> {
        match self {
            Slot::Missing => None,
            Slot::Null(s) | Slot::Expression(s) => Some(s.clone()),
            Slot::Other { span, .. } | Slot::Text { span, .. } => Some(span.clone()),
        }
    }

    /// True when missing, `null` or the empty string.
    pub fn is_blank(&self) -> bool {
        match self {
            Slot::Missing | Slot::Null(_) => true,
            Slot::Text { value, .. } => value.trim().is_empty(),
            Slot::Other { .. } | Slot::Expression(_) => false,
        }
    }
}

/// How the pipeline reaches storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessMode {
    /// The SAS token in a Key Vault secret (the default).
    SasToken,
    /// The pipeline's managed identity with an RBAC role on the storage account.
    ManagedIdentity,
}

/// The `target` of an export pipeline or the `source` of an import pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// JSON path, e.g. `properties.target`.
    pub path: String,
    /// Span of the object.
    pub span: Range<usize>,
    /// `type`.
    pub kind: Slot,
    /// `uri`.
    pub uri: Slot,
    /// `uri` split, when it is a URI.
    pub storage: Option<StorageUri>,
    /// `keyVaultUri`.
    pub key_vault_uri: Slot,
    /// `keyVaultUri` split, when it is a URI.
    pub key_vault: Option<SecretUri>,
    /// `storageAccessMode`.
    pub access_mode: Slot,
}

impl Endpoint {
    /// The access mode in force: the one written, or `SasToken` by default; `None` for
    /// a value that is neither.
    pub fn effective_access_mode(&self) -> Option<AccessMode> {
        match &self.access_mode {
            Slot::Text { value, .. } if value.eq_ignore_ascii_case("ManagedIdentity") => {
                Some(AccessMode::ManagedIdentity)
            }
            Slot::Text { value, .. } if value.eq_ignore_ascii_case("SasToken") => {
                Some(AccessMode::SasToken)
            }
            Slot::Missing | Slot::Null(_) => Some(AccessMode::SasToken),
            Slot::Text { .. } | Slot::Other { .. } | Slot::Expression(_) => None,
        }
    }
}

/// The `identity` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// Span of the object.
    pub span: Range<usize>,
    /// `type`; for an identity that is not an object, the identity value itself.
    pub kind: Slot,
    /// Keys of `userAssignedIdentities`, with their spans.
    pub user_assigned: Vec<(String, Range<usize>)>,
    /// False when `identity` is not a JSON object.
    pub is_object: bool,
}

/// The parts of a PipelineRun.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// `request.pipelineResourceId`.
    pub pipeline_id: Slot,
    /// It split, when it is a pipeline's ID.
    pub pipeline: Option<PipelineId>,
    /// `request.artifacts`: `None` when absent; the strings with their spans.
    pub artifacts: Option<Vec<(String, Range<usize>)>>,
    /// `request.artifacts` when it is not an array: a template expression, or the JSON
    /// type found.
    pub artifacts_other: Option<Slot>,
    /// Span of `request.artifacts` (value) or of `request`.
    pub artifacts_span: Range<usize>,
    /// `request.target.name` (export).
    pub target_name: Slot,
    /// `request.source.name` (import).
    pub source_name: Slot,
    /// Span of `request`, or of the properties when there is none.
    pub request_span: Range<usize>,
    /// `response.status`.
    pub status: Slot,
    /// `response.pipelineRunErrorMessage`.
    pub error_message: Slot,
    /// `response.target.uri` or `response.source.uri`.
    pub response_uri: Slot,
    /// That URI split.
    pub response_storage: Option<StorageUri>,
}

impl Run {
    /// Export or import: from the pipeline ID, else from what the request carries.
    pub fn direction(&self) -> Option<Direction> {
        if let Some(p) = &self.pipeline {
            return Some(p.direction);
        }
        let exports = self.artifacts.is_some()
            || self.artifacts_other.is_some()
            || self.target_name != Slot::Missing;
        if exports && self.source_name != Slot::Missing {
            // A template that serves both directions: known only when deployed.
            None
        } else if exports {
            Some(Direction::Export)
        } else if self.source_name != Slot::Missing {
            Some(Direction::Import)
        } else {
            None
        }
    }
}

/// One pipeline resource as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// Export, import or run.
    pub kind: ResourceKind,
    /// How it was written.
    pub shape: Shape,
    /// JSON path prefix of the resource (`""`, `resources[0].`, `[1].`).
    pub prefix: String,
    /// JSON path prefix of its fields (`properties.` or the resource prefix).
    pub props: String,
    /// Span of the resource object.
    pub span: Range<usize>,
    /// `name` as written (a template's is `registry/name`).
    pub name: Slot,
    /// `apiVersion`, for a template resource.
    pub api_version: Slot,
    /// `identity`, if present.
    pub identity: Option<Identity>,
    /// `options`: the strings with spans; `None` when absent.
    pub options: Option<Vec<(String, Range<usize>)>>,
    /// `options` when it is not an array: its span.
    pub options_not_array: Option<Range<usize>>,
    /// `target` (export) or `source` (import).
    pub endpoint: Option<Endpoint>,
    /// `trigger.sourceTrigger.status` (import).
    pub trigger_status: Slot,
    /// `provisioningState`.
    pub provisioning_state: Slot,
    /// The run's parts, for a PipelineRun.
    pub run: Option<Run>,
}

impl Resource {
    /// The resource's own name: the last segment of a template's `registry/name`.
    pub fn short_name(&self) -> Option<&str> {
        let name = self.name.text()?;
        Some(match self.shape {
            Shape::Template => name.rsplit('/').next().unwrap_or(name),
            Shape::Arm | Shape::AzCli => name,
        })
    }

    /// The options, as written.
    pub fn option_names(&self) -> Vec<&str> {
        self.options
            .iter()
            .flatten()
            .map(|(s, _)| s.as_str())
            .collect()
    }

    /// The storage URI (a pipeline's container, or a run's blob URL), split.
    pub fn storage(&self) -> Option<&StorageUri> {
        match &self.run {
            Some(run) => run.response_storage.as_ref(),
            None => self.endpoint.as_ref().and_then(|e| e.storage.as_ref()),
        }
    }

    /// The Key Vault secret URI, split; its `secret_name` is the secret's name.
    pub fn key_vault(&self) -> Option<&SecretUri> {
        self.endpoint.as_ref().and_then(|e| e.key_vault.as_ref())
    }

    /// The access mode in force (SasToken by default).
    pub fn access_mode(&self) -> Option<AccessMode> {
        self.endpoint
            .as_ref()
            .and_then(Endpoint::effective_access_mode)
    }

    /// For an import pipeline, whether the source trigger is on (`Enabled` when not
    /// set); `None` for other resources and when the input does not say (a template
    /// expression, a value of the wrong type).
    pub fn source_trigger_enabled(&self) -> Option<bool> {
        if self.kind != ResourceKind::Import {
            return None;
        }
        match &self.trigger_status {
            Slot::Text { value, .. } => Some(!value.eq_ignore_ascii_case("Disabled")),
            Slot::Missing | Slot::Null(_) => Some(true),
            Slot::Other { .. } | Slot::Expression(_) => None,
        }
    }

    /// The API version, when the input says it (template resources).
    pub fn api_version_text(&self) -> Option<&str> {
        self.api_version.text()
    }

    /// A run's artifacts, as written.
    pub fn artifacts(&self) -> Vec<&str> {
        self.run
            .iter()
            .filter_map(|r| r.artifacts.as_ref())
            .flatten()
            .map(|(s, _)| s.as_str())
            .collect()
    }
}

const TYPE_PREFIX: &str = "microsoft.containerregistry/registries/";

fn kind_of_type(t: &str) -> Option<ResourceKind> {
    // The docs' own run template writes the type with a trailing '/'.
    let lower = t.trim_end_matches('/').to_ascii_lowercase();
    match lower.strip_prefix(TYPE_PREFIX)? {
        "exportpipelines" => Some(ResourceKind::Export),
        "importpipelines" => Some(ResourceKind::Import),
        "pipelineruns" => Some(ResourceKind::Run),
        _ => None,
    }
}

/// The kind by `type`, or by the members when `type` is absent.
fn kind_of(node: &Node) -> Option<ResourceKind> {
    if let Some(t) = node.get("type").and_then(Node::as_str) {
        return kind_of_type(t);
    }
    let props = node
        .get("properties")
        .filter(|p| p.is_object())
        .unwrap_or(node);
    if props
        .get("request")
        .is_some_and(|r| r.get("pipelineResourceId").is_some())
    {
        Some(ResourceKind::Run)
    } else if props.get("target").is_some_and(|t| t.get("uri").is_some()) {
        Some(ResourceKind::Export)
    } else if props.get("source").is_some_and(|s| s.get("uri").is_some()) {
        Some(ResourceKind::Import)
    } else {
        None
    }
}

/// Every pipeline resource in the document with its JSON path prefix: the root, each
/// element of a root array (az list output), or each resource of an ARM template
/// (an array, or an object keyed by symbolic names in languageVersion 2.0).
pub fn locate(root: &Node) -> Vec<(&Node, String)> {
    if let Some(items) = root.as_array() {
        return items
            .iter()
            .enumerate()
            .filter(|(_, n)| kind_of(n).is_some())
            .map(|(i, n)| (n, format!("[{i}].")))
            .collect();
    }
    if let Some(items) = root.get("resources").and_then(Node::as_array) {
        return items
            .iter()
            .enumerate()
            .filter(|(_, n)| kind_of(n).is_some())
            .map(|(i, n)| (n, format!("resources[{i}].")))
            .collect();
    }
    if let Some(resources) = root.get("resources").filter(|r| r.is_object()) {
        // Templates with languageVersion 2.0 key resources by symbolic name.
        return resources
            .members()
            .iter()
            .filter(|m| kind_of(&m.value).is_some())
            .map(|m| (&m.value, format!("resources.{}.", m.key)))
            .collect();
    }
    if kind_of(root).is_some() {
        vec![(root, String::new())]
    } else {
        Vec::new()
    }
}

/// True when the document holds at least one pipeline resource.
pub fn looks_like_pipeline(root: &Node) -> bool {
    !locate(root).is_empty()
}

/// Reads one located resource.
pub fn read(node: &Node, prefix: String) -> Option<Resource> {
    let kind = kind_of(node)?;
    let properties = node.get("properties").filter(|p| p.is_object());
    let shape = if node.get("apiVersion").is_some() {
        Shape::Template
    } else if properties.is_some() {
        Shape::Arm
    } else {
        Shape::AzCli
    };
    let (props, props_path) = match properties {
        Some(p) => (p, format!("{prefix}properties.")),
        None => (node, prefix.clone()),
    };
    let options_node = props.get("options");
    let endpoint_key = match kind {
        ResourceKind::Export => Some("target"),
        ResourceKind::Import => Some("source"),
        ResourceKind::Run => None,
    };
    Some(Resource {
        kind,
        shape,
        span: node.span.clone(),
        name: slot(node.get("name")),
        api_version: slot(node.get("apiVersion")),
        identity: node.get("identity").filter(|n| !n.is_null()).map(identity),
        options: options_node.and_then(Node::as_array).map(strings),
        options_not_array: options_node
            .filter(|n| {
                n.as_array().is_none()
                    && !matches!(slot(Some(n)), Slot::Null(_) | Slot::Expression(_))
            })
            .map(|n| n.span.clone()),
        endpoint: endpoint_key.and_then(|k| {
            props
                .get(k)
                .filter(|n| n.is_object())
                .map(|n| endpoint(n, format!("{props_path}{k}")))
        }),
        trigger_status: slot(
            props
                .get("trigger")
                .and_then(|t| t.get("sourceTrigger"))
                .and_then(|s| s.get("status")),
        ),
        provisioning_state: slot(props.get("provisioningState")),
        run: (kind == ResourceKind::Run).then(|| run(props)),
        prefix,
        props: props_path,
    })
}

fn slot(node: Option<&Node>) -> Slot {
    let Some(n) = node else {
        return Slot::Missing;
    };
    if n.is_null() {
        return Slot::Null(n.span.clone());
    }
    match n.as_str() {
        Some(s) if values::is_expression(s) => Slot::Expression(n.inner_span()),
        Some(s) => Slot::Text {
            value: s.to_string(),
            span: n.inner_span(),
        },
        None => Slot::Other {
            span: n.span.clone(),
            found: n.type_name(),
        },
    }
}

fn strings(items: &[Node]) -> Vec<(String, Range<usize>)> {
    items
        .iter()
        .map(|n| match n.as_str() {
            Some(s) => (s.to_string(), n.inner_span()),
            None => (format!("<{}>", n.type_name()), n.span.clone()),
        })
        .collect()
}

fn endpoint(node: &Node, path: String) -> Endpoint {
    let uri = slot(node.get("uri"));
    let key_vault_uri = slot(node.get("keyVaultUri"));
    Endpoint {
        path,
        span: node.span.clone(),
        kind: slot(node.get("type")),
        storage: uri.text().and_then(values::storage_uri),
        key_vault: key_vault_uri.text().and_then(values::secret_uri),
        uri,
        key_vault_uri,
        access_mode: slot(node.get("storageAccessMode")),
    }
}

/// The identity object; an identity given as a template expression (or any other
/// non-object) keeps that in `kind`, so the rules can tell it from a missing one.
fn identity(node: &Node) -> Identity {
    if !node.is_object() {
        return Identity {
            span: node.span.clone(),
            kind: slot(Some(node)),
            user_assigned: Vec::new(),
            is_object: false,
        };
    }
    let user_assigned = node
        .get("userAssignedIdentities")
        .map(|u| {
            u.members()
                .iter()
                .map(|m| {
                    (
                        m.key.clone(),
                        m.key_span.start + 1..m.key_span.end.saturating_sub(1),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    Identity {
        span: node.span.clone(),
        kind: slot(node.get("type")),
        user_assigned,
        is_object: true,
    }
}

fn run(props: &Node) -> Run {
    let request = props.get("request");
    let response = props.get("response");
    let request_span = request.map_or(props.span.clone(), |r| r.span.clone());
    let artifacts_node = request.and_then(|r| r.get("artifacts"));
    let pipeline_id = slot(request.and_then(|r| r.get("pipelineResourceId")));
    let response_endpoint = response.and_then(|r| r.get("target").or_else(|| r.get("source")));
    let response_uri = slot(response_endpoint.and_then(|e| e.get("uri")));
    Run {
        pipeline: pipeline_id.text().and_then(values::pipeline_resource_id),
        pipeline_id,
        artifacts: artifacts_node.and_then(Node::as_array).map(strings),
        artifacts_other: artifacts_node
            .filter(|n| n.as_array().is_none())
            .map(|n| slot(Some(n))),
        artifacts_span: artifacts_node.map_or(request_span.clone(), |n| n.span.clone()),
        target_name: slot(
            request
                .and_then(|r| r.get("target"))
                .and_then(|t| t.get("name")),
        ),
        source_name: slot(
            request
                .and_then(|r| r.get("source"))
                .and_then(|t| t.get("name")),
        ),
        request_span,
        status: slot(response.and_then(|r| r.get("status"))),
        error_message: slot(response.and_then(|r| r.get("pipelineRunErrorMessage"))),
        response_storage: response_uri.text().and_then(values::storage_uri),
        response_uri,
    }
}
