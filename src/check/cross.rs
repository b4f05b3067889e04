//! Cross-checks between inputs given together.
//!
//! A token serves the pipeline whose Key Vault secret it is, whose container its SAS
//! URL names, or, failing both, the one pipeline left when one token is left. A matched
//! token is checked again for that pipeline's purpose (export, or import with or without
//! DeleteSourceBlobOnSuccess), and mismatches between the two are reported on the
//! pipeline's field. An import pipeline whose source trigger is on is held against the
//! blobs given with it.

use serde_json::{Value, json};

use super::codes;
use super::{Gathered, PipelineInput, TokenInput};
use crate::blob::Trigger;
use crate::context::Context;
use crate::diag::Finding;
use crate::pipeline::{AccessMode, ResourceKind};
use crate::sas::{self, Purpose, SasOptions};

use super::CheckOptions;

const DELETE_OPTION: &str = "DeleteSourceBlobOnSuccess";

/// How a token was matched to a pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum By {
    KeyVault,
    Url,
    OnlyPair,
}

impl By {
    fn as_str(self) -> &'static str {
        match self {
            By::KeyVault => "its Key Vault secret URI",
            By::Url => "its SAS URL's container",
            By::OnlyPair => "the only token and the only pipeline left",
        }
    }
}

/// Runs every cross-check, adding findings to `gathered`; returns the pairs made.
pub(super) fn run(gathered: &mut Gathered, options: &CheckOptions, ctx: &Context) -> Vec<Value> {
    let sas_pipelines: Vec<usize> = (0..gathered.pipelines.len())
        .filter(|&i| reads_a_token(&gathered.pipelines[i]))
        .collect();
    let pairs = match_tokens(gathered, &sas_pipelines);
    let mut described = Vec::new();
    for &(p, t, by) in &pairs {
        recheck_token(gathered, p, t, by, options, ctx);
        let differs = mismatches(gathered, p, t, by);
        let (pipeline, token) = (&gathered.pipelines[p], &gathered.tokens[t]);
        described.push(json!({
            "token": token.name,
            "pipeline": pipeline.resource.short_name().unwrap_or("(unnamed)"),
            "pipeline_input": pipeline.name,
            "direction": direction(pipeline.resource.kind),
            "by": by.as_str(),
            "by_elimination": by == By::OnlyPair,
            "differs": differs,
        }));
    }
    unmatched_tokens(gathered, &pairs, !sas_pipelines.is_empty());
    trigger_against_blobs(gathered);
    described
}

fn reads_a_token(p: &PipelineInput) -> bool {
    matches!(p.resource.kind, ResourceKind::Export | ResourceKind::Import)
        && p.resource.access_mode() == Some(AccessMode::SasToken)
}

fn direction(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::Export => "export",
        ResourceKind::Import => "import",
        ResourceKind::Run => "run",
    }
}

/// Pairs (pipeline index, token index), strongest evidence first.
fn match_tokens(gathered: &Gathered, pipelines: &[usize]) -> Vec<(usize, usize, By)> {
    let mut pairs: Vec<(usize, usize, By)> = Vec::new();
    for by in [By::KeyVault, By::Url] {
        for &p in pipelines {
            if pairs.iter().any(|&(q, _, _)| q == p) {
                continue;
            }
            let free = |t: &usize| !pairs.iter().any(|&(_, u, _)| u == *t);
            let found = (0..gathered.tokens.len())
                .filter(free)
                .find(|&t| evidence(&gathered.pipelines[p], &gathered.tokens[t], by));
            if let Some(t) = found {
                pairs.push((p, t, by));
            }
        }
    }
    let left_p: Vec<usize> = pipelines
        .iter()
        .copied()
        .filter(|p| !pairs.iter().any(|&(q, _, _)| q == *p))
        .collect();
    let left_t: Vec<usize> = (0..gathered.tokens.len())
        .filter(|t| !pairs.iter().any(|&(_, u, _)| u == *t))
        .collect();
    if let ([p], [t]) = (left_p.as_slice(), left_t.as_slice()) {
        pairs.push((*p, *t, By::OnlyPair));
    }
    pairs
}

fn evidence(pipeline: &PipelineInput, token: &TokenInput, by: By) -> bool {
    match by {
        By::KeyVault => match (pipeline.resource.key_vault(), &token.secret) {
            (Some(kv), Some((host, name))) => {
                kv.host.eq_ignore_ascii_case(host)
                    && kv
                        .secret_name
                        .as_deref()
                        .is_some_and(|n| n.eq_ignore_ascii_case(name))
            }
            _ => false,
        },
        By::Url => match (pipeline.resource.storage(), &token.token.envelope.url) {
            (Some(storage), Some(url)) => {
                same(&storage.account, &url.account) && same(&storage.container, &url.container)
            }
            _ => false,
        },
        By::OnlyPair => true,
    }
}

/// Both known and equal ignoring ASCII case.
fn same(a: &Option<String>, b: &Option<String>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if a.eq_ignore_ascii_case(b))
}

/// Checks the token again as the secret of its pipeline.
fn recheck_token(
    gathered: &mut Gathered,
    p: usize,
    t: usize,
    by: By,
    options: &CheckOptions,
    ctx: &Context,
) {
    let resource = &gathered.pipelines[p].resource;
    let delete = resource
        .option_names()
        .iter()
        .any(|o| o.eq_ignore_ascii_case(DELETE_OPTION));
    let purpose = match resource.kind {
        ResourceKind::Export => Purpose::AcrExport,
        ResourceKind::Import | ResourceKind::Run => Purpose::AcrImport,
    };
    let sas_options = SasOptions {
        purpose,
        delete_source_blob_on_success: delete,
        min_validity: options.sas.min_validity,
    };
    let note = format!(
        "Checked as the secret of {} pipeline {} in {}{}{}",
        direction(resource.kind),
        resource.short_name().unwrap_or("(unnamed)"),
        gathered.pipelines[p].name,
        if delete {
            ", which has DeleteSourceBlobOnSuccess (needs `d`)"
        } else {
            ""
        },
        if by == By::OnlyPair {
            " (matched by elimination: the only token and the only pipeline left)"
        } else {
            ""
        },
    );
    let token = &gathered.tokens[t];
    let mut check = sas::check(&token.name, &token.decoded, &sas_options, ctx);
    check.report.notes.insert(0, note);
    gathered.secrets.extend(&check.secrets);
    gathered.reports[token.report] = check.report;
}

/// Reports a token that names another container or secret than its pipeline; returns
/// what differs (`container`, `secret`), for the summary of the pair.
fn mismatches(gathered: &mut Gathered, p: usize, t: usize, by: By) -> Vec<&'static str> {
    let pipeline = &gathered.pipelines[p];
    let token = &gathered.tokens[t];
    let mut findings = Vec::new();
    let endpoint = pipeline.resource.endpoint.as_ref();
    if let (Some(storage), Some(url), Some(endpoint)) = (
        pipeline.resource.storage(),
        &token.token.envelope.url,
        endpoint,
    ) {
        let differs =
            |a: &Option<String>, b: &Option<String>| a.is_some() && b.is_some() && !same(a, b);
        if differs(&storage.account, &url.account) || differs(&storage.container, &url.container) {
            let span = endpoint.uri.span().unwrap_or(endpoint.span.clone());
            findings.push(
                Finding::new(codes::TOKEN_URL_MISMATCH, format!("{}.uri", endpoint.path), span)
                    .message(format!(
                        "the token in {} is for account `{}` container `{}`, but this pipeline uses account `{}` container `{}`",
                        token.name,
                        or_unknown(&url.account),
                        or_unknown(&url.container),
                        or_unknown(&storage.account),
                        or_unknown(&storage.container),
                    ))
                    .help("store a token made for this pipeline's container in its Key Vault secret, or point the pipeline at the token's container")
                    .label("the pipeline's container"),
            );
        }
    }
    if let (Some(kv), Some((host, name)), Some(endpoint)) =
        (pipeline.resource.key_vault(), &token.secret, endpoint)
    {
        if by != By::KeyVault {
            let span = endpoint
                .key_vault_uri
                .span()
                .unwrap_or(endpoint.span.clone());
            findings.push(
                Finding::new(codes::SECRET_MISMATCH, format!("{}.keyVaultUri", endpoint.path), span)
                    .message(format!(
                        "the pipeline reads secret `{}` from {}, but {} is secret `{name}` from {host}",
                        kv.secret_name.as_deref().unwrap_or("(none)"),
                        kv.host,
                        token.name,
                    ))
                    .help("store the token in the secret this keyVaultUri names, or change keyVaultUri to the secret that holds it")
                    .label("the secret the pipeline reads"),
            );
        }
    }
    let differs = findings
        .iter()
        .map(|f| {
            if f.code.id == codes::SECRET_MISMATCH.id {
                "secret"
            } else {
                "container"
            }
        })
        .collect();
    let report = pipeline.report;
    gathered.reports[report].findings.extend(findings);
    differs
}

fn or_unknown(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("(unknown)")
}

/// Tells about tokens no pipeline reads.
fn unmatched_tokens(gathered: &mut Gathered, pairs: &[(usize, usize, By)], sas_pipelines: bool) {
    let managed_only = !sas_pipelines
        && gathered
            .pipelines
            .iter()
            .any(|p| p.resource.access_mode() == Some(AccessMode::ManagedIdentity));
    for t in 0..gathered.tokens.len() {
        if pairs.iter().any(|&(_, u, _)| u == t) {
            continue;
        }
        let finding = if managed_only {
            Finding::new(codes::TOKEN_UNUSED, "token", 0..0)
                .help("nothing to do for the pipelines given; a token matters only to a pipeline in SasToken mode")
        } else if sas_pipelines {
            Finding::new(codes::TOKEN_UNPAIRED, "token", 0..0).help(
                "give the `az keyvault secret show` JSON of the secret the pipeline names, or check the token alone with `acr-preflight sas --for acr-export|acr-import`",
            )
        } else {
            continue;
        };
        let report = gathered.tokens[t].report;
        gathered.reports[report].findings.push(finding);
    }
}

/// An import pipeline with its source trigger on, against the blobs given with it.
fn trigger_against_blobs(gathered: &mut Gathered) {
    let not_ready: Vec<&str> = gathered
        .blobs
        .iter()
        .filter(|(_, b)| b.trigger == Trigger::WillNotFire)
        .map(|(_, b)| b.name.as_str())
        .collect();
    if not_ready.is_empty() {
        return;
    }
    let total = gathered.blobs.len();
    let mut additions = Vec::new();
    for pipeline in &gathered.pipelines {
        let resource = &pipeline.resource;
        if resource.source_trigger_enabled() != Some(true) {
            continue;
        }
        let span = resource
            .trigger_status
            .span()
            .unwrap_or(resource.span.start..resource.span.start + 1);
        let shown: Vec<&str> = not_ready.iter().take(5).copied().collect();
        let more = not_ready.len().saturating_sub(shown.len());
        let finding = Finding::new(
            codes::TRIGGER_BLOBS,
            format!("{}trigger.sourceTrigger.status", resource.props),
            span,
        )
        .message(format!(
            "the source trigger is enabled, but {} of the {} given will not fire it: {}{}",
            not_ready.len(),
            if total == 1 {
                String::from("1 blob")
            } else {
                format!("{total} blobs")
            },
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            },
        ))
        .help("fix each blob as its own findings say, or import it by hand with a PipelineRun")
        .label("source trigger");
        additions.push((pipeline.report, finding));
    }
    for (report, finding) in additions {
        gathered.reports[report].findings.push(finding);
    }
}
