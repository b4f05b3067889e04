//! One pre-flight check over everything collected for a transfer.
//!
//! Tells each input's kind from its content ([`detect`]), runs the check for that kind,
//! then cross-checks inputs that belong together ([`cross`]): a token is matched to the
//! pipeline that reads it (by the Key Vault secret, by its SAS URL, or as the only pair
//! left) and checked for that pipeline's purpose, and an import pipeline with its source
//! trigger on is held against the blobs given with it. It does not reach any service:
//! inputs that are not given are not guessed.

pub mod codes;
mod cross;
pub mod detect;
pub mod walk;

use std::io::Read;
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::blob::{self, BlobOptions, BlobVerdict, DumpSource, Trigger};
use crate::context::Context;
use crate::diag::{Finding, InputReport, Outcome, Tally};
use crate::input::{self, Decoded, ReadError};
use crate::json;
use crate::manifest;
use crate::pipeline::{self, Resource};
use crate::sas::{self, SasOptions, Token};
use crate::secret::Secrets;

use detect::Kind;

/// Local files' MD5 by blob name, as `blob::digests` returns them.
type Digests = std::collections::BTreeMap<String, ([u8; 16], String)>;
use walk::Entry;

/// How to run `check`.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Options for tokens not matched to a pipeline (the purpose of a matched one comes
    /// from its pipeline).
    pub sas: SasOptions,
    /// Local copies of blobs, matched to listed blobs by name, to compare MD5s.
    pub content_dir: Option<PathBuf>,
}

/// What `check` found.
#[derive(Debug, Clone, Default)]
pub struct CheckRun {
    /// One report per input (several for a layout or a streamed listing).
    pub outcome: Outcome,
    /// Secrets seen in the inputs.
    pub secrets: Secrets,
    /// How many inputs were of a known kind: none means nothing was checked.
    pub recognised: usize,
    /// Inputs of no known kind found in a walk and skipped.
    pub skipped: usize,
}

/// A token input kept for the cross-checks.
#[derive(Debug, Clone)]
pub(crate) struct TokenInput {
    pub(crate) report: usize,
    pub(crate) name: String,
    pub(crate) decoded: Decoded,
    pub(crate) token: Token,
    /// For a Key Vault secret: the vault host and the secret name.
    pub(crate) secret: Option<(String, String)>,
}

/// A pipeline resource kept for the cross-checks.
#[derive(Debug, Clone)]
pub(crate) struct PipelineInput {
    pub(crate) report: usize,
    pub(crate) name: String,
    pub(crate) resource: Resource,
}

/// Everything read, before the cross-checks.
#[derive(Debug, Default)]
pub(crate) struct Gathered {
    pub(crate) reports: Vec<InputReport>,
    pub(crate) secrets: Secrets,
    pub(crate) tokens: Vec<TokenInput>,
    pub(crate) pipelines: Vec<PipelineInput>,
    pub(crate) blobs: Vec<(String, BlobVerdict)>,
    pub(crate) kinds: Vec<&'static str>,
    pub(crate) skipped: Vec<String>,
    pub(crate) not_shown: Tally,
}

/// Checks every input under `paths`.
pub fn run(paths: &[String], options: &CheckOptions, ctx: &Context) -> Result<CheckRun, ReadError> {
    let walk = walk::collect(paths)?;
    let blob_options = BlobOptions {
        content_dir: options.content_dir.clone(),
        ..BlobOptions::default()
    };
    let (digests, _) = blob::digests(&blob_options)?;
    let mut gathered = Gathered::default();
    for entry in &walk.entries {
        gather(entry, options, &digests, ctx, &mut gathered)?;
    }
    Ok(finish(gathered, &walk.passed_over, options, ctx))
}

/// Checks one input held in memory, named `name`, as `check` checks a file named on
/// its command line: detection, the check for its kind, and the cross-checks. No file
/// is read (no `--content-dir` digests either), so any bytes can be given.
pub fn run_bytes(
    name: &str,
    bytes: &[u8],
    options: &CheckOptions,
    ctx: &Context,
) -> Result<CheckRun, ReadError> {
    let mut gathered = Gathered::default();
    let source = Source::Bytes(bytes);
    one_input(
        name,
        source,
        true,
        options,
        &Digests::new(),
        ctx,
        &mut gathered,
    )?;
    Ok(finish(gathered, &[], options, ctx))
}

/// Cross-checks what was gathered and builds the outcome.
fn finish(
    mut gathered: Gathered,
    passed_over: &[String],
    options: &CheckOptions,
    ctx: &Context,
) -> CheckRun {
    let pairs = cross::run(&mut gathered, options, ctx);
    let mut outcome = Outcome {
        command: String::from("check"),
        ..Outcome::default()
    };
    outcome.summary_lines = summary_lines(&gathered, &pairs, passed_over);
    if options.content_dir.is_some() {
        let compared: u64 = gathered
            .reports
            .iter()
            .filter_map(|r| r.details.get("contentCompared")?.as_u64())
            .sum();
        // Said even for 0, so that no local copy matching a blob name is not silent.
        outcome.summary_lines.push(format!(
            "MD5 of local files compared for {compared} of {}",
            plural(gathered.blobs.len(), "blob", "blobs")
        ));
    }
    outcome.summary = json!({
        "inputs": gathered.kinds.len(),
        "kinds": count_kinds(&gathered.kinds),
        "blobs": blob_counts(&gathered.blobs),
        "pairs": pairs,
        "skipped": gathered.skipped,
        "passed_over": passed_over,
    });
    outcome.not_shown = gathered.not_shown;
    outcome.inputs = gathered.reports;
    let recognised = gathered
        .kinds
        .iter()
        .filter(|k| **k != Kind::Unknown.as_str())
        .count();
    CheckRun {
        outcome,
        secrets: gathered.secrets,
        recognised,
        skipped: gathered.skipped.len(),
    }
}

fn gather(
    entry: &Entry,
    options: &CheckOptions,
    digests: &Digests,
    ctx: &Context,
    gathered: &mut Gathered,
) -> Result<(), ReadError> {
    match entry {
        Entry::Layout(dir) => {
            let layout = manifest::check_layout(dir, ctx)?;
            gathered.secrets.extend(&layout.secrets);
            gathered.reports.extend(layout.reports);
            gathered.kinds.push("oci-layout");
            Ok(())
        }
        Entry::Stdin => {
            let bytes = input::read_stdin()?;
            one_input(
                "<stdin>",
                Source::Bytes(&bytes),
                true,
                options,
                digests,
                ctx,
                gathered,
            )
        }
        Entry::File { path, named } => {
            let name = path.display().to_string();
            one_input(
                &name,
                Source::Path(path),
                *named,
                options,
                digests,
                ctx,
                gathered,
            )
        }
    }
}

/// Where one input's bytes are.
#[derive(Clone, Copy)]
enum Source<'a> {
    Path(&'a Path),
    Bytes(&'a [u8]),
}

/// Reads up to `limit` bytes, and whether the input was longer.
fn head(source: Source<'_>, limit: usize) -> Result<(Vec<u8>, bool), ReadError> {
    match source {
        Source::Bytes(bytes) => Ok((
            bytes[..bytes.len().min(limit)].to_vec(),
            bytes.len() > limit,
        )),
        Source::Path(path) => {
            let fail = |e: std::io::Error| ReadError {
                origin: input::Origin::File(path.display().to_string()),
                message: e.to_string(),
            };
            let file = input::open_file(path)?;
            let mut bytes = Vec::new();
            file.take(limit as u64 + 1)
                .read_to_end(&mut bytes)
                .map_err(fail)?;
            let longer = bytes.len() > limit;
            bytes.truncate(limit);
            Ok((bytes, longer))
        }
    }
}

fn one_input(
    name: &str,
    source: Source<'_>,
    named: bool,
    options: &CheckOptions,
    digests: &Digests,
    ctx: &Context,
    gathered: &mut Gathered,
) -> Result<(), ReadError> {
    let (bytes, longer) = head(source, detect::MAX_WHOLE_JSON)?;
    let decoded = input::decode(&bytes);
    let first = decoded
        .text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .next();
    let parsed = if matches!(first, Some('{' | '[')) && !longer {
        json::parse(&decoded.text).ok()
    } else {
        None
    };
    let kind = match (&parsed, first) {
        (Some(root), _) => detect::json_kind(root, &decoded.text),
        // A JSON document too large to read whole can only be a listing.
        (None, Some('[' | '{')) if longer => {
            blob::detect(&decoded.text).map_or(Kind::Unknown, Kind::Blob)
        }
        (None, _) => detect::text_kind(&decoded.text),
    };
    if named || kind != Kind::Unknown {
        // A file of no known kind found in a walk is skipped, not checked.
        gathered.kinds.push(kind.as_str());
    }
    match kind {
        Kind::Token | Kind::KeyVaultSecret => {
            let check = sas::check(name, &decoded, &options.sas, ctx);
            gathered.secrets.extend(&check.secrets);
            if let Some(token) = check.token {
                let secret = parsed.as_ref().and_then(secret_location);
                gathered.tokens.push(TokenInput {
                    report: gathered.reports.len(),
                    name: name.to_string(),
                    decoded: decoded.clone(),
                    token,
                    secret,
                });
            }
            gathered.reports.push(check.report);
        }
        Kind::Blob(format) => {
            let dump = match source {
                Source::Path(path) => DumpSource::Path(path),
                Source::Bytes(bytes) => DumpSource::Bytes(bytes),
            };
            let check = blob::check_file_with(name, dump, Some(format), digests, None, ctx)?;
            gathered.secrets.extend(&check.secrets);
            gathered.not_shown.extend(check.not_shown);
            gathered.reports.extend(check.reports);
            gathered
                .blobs
                .extend(check.blobs.into_iter().map(|b| (name.to_string(), b)));
        }
        Kind::Manifest => {
            let check = manifest::check(name, &decoded, ctx);
            gathered.secrets.extend(&check.secrets);
            gathered.reports.push(check.report);
        }
        Kind::Pipeline => {
            let check = pipeline::check(name, &decoded, ctx);
            gathered.secrets.extend(&check.secrets);
            let report = gathered.reports.len();
            gathered
                .pipelines
                .extend(check.resources.into_iter().map(|resource| PipelineInput {
                    report,
                    name: name.to_string(),
                    resource,
                }));
            gathered.reports.push(check.report);
        }
        Kind::Unknown if named && decoded.text.trim().is_empty() => {
            let mut report = InputReport::new(name, "empty", std::sync::Arc::from(""));
            report.findings.push(
                Finding::new(codes::EMPTY, "input", 0..0)
                    .message("the input is empty")
                    .help(
                        "save the token, dump, manifest or pipeline resource into the file again",
                    ),
            );
            gathered.reports.push(report);
        }
        Kind::Unknown if named => {
            let mut report = InputReport::new(name, "unrecognised", std::sync::Arc::from(""));
            report.findings.push(
                Finding::new(codes::UNRECOGNISED, "input", 0..0)
                    .message("not a SAS token, Key Vault secret, blob dump, image manifest or pipeline resource")
                    .help("give the token, `az keyvault secret show` JSON, a blob dump (az JSON, REST headers, List Blobs XML, `azcopy list`), a manifest or a pipeline resource as JSON"),
            );
            gathered.reports.push(report);
        }
        Kind::Unknown => gathered.skipped.push(name.to_string()),
    }
    Ok(())
}

/// The vault host and secret name of `az keyvault secret show` JSON.
fn secret_location(root: &json::Node) -> Option<(String, String)> {
    let id = root.get("id")?.as_str()?;
    let parsed = pipeline::values::secret_uri(id)?;
    Some((parsed.host, parsed.secret_name?))
}

fn count_kinds(kinds: &[&'static str]) -> serde_json::Value {
    let mut counts = serde_json::Map::new();
    for kind in kinds {
        let n = counts
            .get(*kind)
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0);
        counts.insert((*kind).to_string(), json!(n + 1));
    }
    serde_json::Value::Object(counts)
}

fn blob_counts(blobs: &[(String, BlobVerdict)]) -> serde_json::Value {
    let count = |t: Trigger| blobs.iter().filter(|(_, b)| b.trigger == t).count();
    json!({
        "total": blobs.len(),
        "ready": count(Trigger::Fires),
        "not_ready": count(Trigger::WillNotFire),
        "unknown": count(Trigger::Unknown),
    })
}

fn summary_lines(
    gathered: &Gathered,
    pairs: &[serde_json::Value],
    passed_over: &[String],
) -> Vec<String> {
    let mut lines = Vec::new();
    let kinds = count_kinds(&gathered.kinds);
    let listed: Vec<String> = kinds
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, n)| format!("{n} {k}"))
        .collect();
    lines.push(format!(
        "Checked {}: {}",
        plural(gathered.kinds.len(), "input", "inputs"),
        listed.join(", ")
    ));
    if !gathered.blobs.is_empty() {
        let b = blob_counts(&gathered.blobs);
        lines.push(format!(
            "Blobs: {} ready for the source trigger, {} not, {} cannot tell from the dump",
            b["ready"], b["not_ready"], b["unknown"]
        ));
    }
    lines.extend(pairs.iter().map(pair_line));
    if !gathered.skipped.is_empty() {
        lines.push(format!(
            "Skipped {} of no known kind: {}",
            plural(gathered.skipped.len(), "file", "files"),
            gathered.skipped.join(", ")
        ));
    }
    for note in passed_over {
        lines.push(format!("Not walked: {note}"));
    }
    lines
}

/// `1 input`, `2 inputs`.
fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// One summary line per token matched to a pipeline. A pair made by elimination is
/// said to be one, and a difference found between the two is named beside it, so the
/// line never reads as proof that the token is the pipeline's secret.
fn pair_line(pair: &serde_json::Value) -> String {
    let text = |key: &str| pair[key].as_str().unwrap_or_default().to_string();
    let (token, direction, pipeline, input) = (
        text("token"),
        text("direction"),
        text("pipeline"),
        text("pipeline_input"),
    );
    let differs: Vec<&str> = pair["differs"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| match d.as_str() {
            Some("secret") => Some("the secret names differ (check-secret-mismatch)"),
            Some("container") => Some("the containers differ (check-token-url-mismatch)"),
            _ => None,
        })
        .collect();
    let mut line = if pair["by_elimination"].as_bool() == Some(true) {
        format!(
            "Matched by elimination: {token} with {direction} pipeline {pipeline} in {input} \
            (the only token and the only pipeline left)"
        )
    } else {
        format!(
            "Matched: {token} is the secret of {direction} pipeline {pipeline} in {input} ({})",
            text("by")
        )
    };
    if !differs.is_empty() {
        line.push_str(&format!(", though {}", differs.join(" and ")));
    }
    line
}
