//! `acr-preflight blob`: the glue from arguments to [`crate::blob`], and the summary
//! lines for people. Nothing here reads a dump or judges a blob.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::json;

use super::{Run, ToolError};
use crate::blob::{self, BlobCheck, BlobOptions, BlobVerdict, DumpFormat, DumpSource, Trigger};
use crate::context::Context;
use crate::diag::{Outcome, Tally};

/// Most blobs listed one per line in the human summary; larger dumps get counts only.
const MAX_LISTED: usize = 50;

/// Arguments of `acr-preflight blob`.
#[derive(Debug, Args)]
pub struct BlobArgs {
    /// Dumps to check (`-` or none for standard input).
    pub inputs: Vec<String>,

    /// The dump format, when detection guesses wrong.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<DumpFormat>,

    /// A local copy of the blob: compare its MD5 with the dump's ContentMD5 (one-blob dumps).
    #[arg(long, value_name = "PATH", conflicts_with = "content_dir")]
    pub content: Option<PathBuf>,

    /// A folder of local copies, matched to a listing's blobs by name; compare their MD5s.
    #[arg(long, value_name = "DIR")]
    pub content_dir: Option<PathBuf>,
}

pub(super) fn run(args: &BlobArgs, ctx: &Context) -> Result<Run, ToolError> {
    let options = BlobOptions {
        content: args.content.clone(),
        content_dir: args.content_dir.clone(),
        format: args.input_format,
        progress: std::io::stderr().is_terminal(),
    };
    let (by_name, single) = blob::digests(&options)?;
    let inputs: Vec<&str> = if args.inputs.is_empty() {
        vec!["-"]
    } else {
        args.inputs.iter().map(String::as_str).collect()
    };
    let mut checks: Vec<(String, BlobCheck)> = Vec::new();
    for input in inputs {
        let (name, source) = if input == "-" {
            ("<stdin>", DumpSource::Stdin)
        } else {
            (input, DumpSource::Path(Path::new(input)))
        };
        let check =
            blob::check_file_with(name, source, options.format, &by_name, single.as_ref(), ctx)?;
        if single.is_some() && check.blobs.len() != 1 {
            return Err(ToolError::new(format!(
                "--content compares one file with a dump of one blob; {input} has {} blobs",
                check.blobs.len()
            ))
            .with_help("use --content-dir with a folder named like the blobs"));
        }
        checks.push((input.to_string(), check));
    }
    let mut secrets = crate::secret::Secrets::new();
    for (_, check) in &checks {
        secrets.extend(&check.secrets);
    }
    let local = options
        .content_dir
        .as_deref()
        .or(options.content.as_deref())
        .map(|p| (p.display().to_string(), options.content_dir.is_some()));
    Ok(Run {
        outcome: outcome(checks, local),
        secrets,
    })
}

/// `local`: the `--content` file or `--content-dir` folder given, and whether it is a
/// folder.
fn outcome(checks: Vec<(String, BlobCheck)>, local: Option<(String, bool)>) -> Outcome {
    let all: Vec<&BlobVerdict> = checks.iter().flat_map(|(_, c)| &c.blobs).collect();
    let mut summary_lines = Vec::new();
    if all.len() <= MAX_LISTED {
        summary_lines.extend(all.iter().map(|v| verdict_line(v)));
    }
    let count = |t: Trigger| all.iter().filter(|v| v.trigger == t).count();
    let (ready, not_ready, unknown) = (
        count(Trigger::Fires),
        count(Trigger::WillNotFire),
        count(Trigger::Unknown),
    );
    let mut by_reason: BTreeMap<&str, usize> = BTreeMap::new();
    for verdict in &all {
        for reason in &verdict.reasons {
            *by_reason.entry(reason).or_default() += 1;
        }
    }
    summary_lines.push(format!(
        "blobs: {} checked, {ready} ready for the source trigger, {not_ready} not ready, \
            {unknown} cannot tell",
        all.len()
    ));
    if !by_reason.is_empty() {
        let reasons: Vec<String> = by_reason.iter().map(|(r, n)| format!("{r} {n}")).collect();
        summary_lines.push(format!("by reason: {}", reasons.join(", ")));
    }
    let compared: u64 = checks
        .iter()
        .filter_map(|(_, c)| c.reports.first()?.details.get("contentCompared")?.as_u64())
        .sum();
    if let Some((path, folder)) = local {
        summary_lines.push(compared_line(compared, all.len(), &path, folder));
    }
    for (name, check) in &checks {
        let omitted = check
            .reports
            .first()
            .and_then(|r| r.details.get("omittedBlobs"))
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0);
        if omitted > 0 {
            summary_lines.push(format!(
                "{name}: findings shown for the first {} failing blobs; {omitted} more are \
                    only counted",
                blob::collect::MAX_SHOWN_BLOBS
            ));
        }
    }
    summary_lines.push(String::from(
        "the trigger also needs a token that can list the container: check it with \
            `acr-preflight sas`",
    ));
    let summary = json!({
        "blobs": all.len(),
        "ready": ready,
        "notReady": not_ready,
        "unknown": unknown,
        "byReason": by_reason,
    });
    let mut not_shown = Tally::default();
    for (_, check) in &checks {
        not_shown.extend(check.not_shown);
    }
    Outcome {
        command: String::from("blob"),
        inputs: checks.into_iter().flat_map(|(_, c)| c.reports).collect(),
        summary,
        summary_lines,
        not_shown,
    }
}

fn verdict_line(verdict: &BlobVerdict) -> String {
    let name = if verdict.name.is_empty() {
        "<unnamed blob>"
    } else {
        verdict.name.as_str()
    };
    match verdict.trigger {
        Trigger::Fires => format!("ready        {name}"),
        Trigger::WillNotFire => format!("not ready    {name}: {}", verdict.reasons.join(", ")),
        Trigger::Unknown => format!("cannot tell  {name}: {}", verdict.reasons.join(", ")),
    }
}

/// Said whenever local copies were given, so that none matching is not silent.
fn compared_line(compared: u64, blobs: usize, path: &str, folder: bool) -> String {
    let of = if blobs == 1 {
        String::from("1 blob")
    } else {
        format!("{blobs} blobs")
    };
    let line = format!("MD5 of local files compared for {compared} of {of}");
    if compared > 0 || !folder {
        return line;
    }
    format!(
        "{line}: no file under {path} has a blob's name (the path below the folder, \
            `/`-separated, must equal the blob name)"
    )
}
