//! `acr-preflight check`: every input collected for a transfer, in one report.

use std::path::PathBuf;

use clap::Args;

use super::sas::{PurposeArg, parse_duration};
use super::{Run, ToolError};
use crate::check::{self, CheckOptions};
use crate::context::Context;
use crate::sas::SasOptions;

/// Arguments of `acr-preflight check`.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  acr-preflight check transfer-kit/
  acr-preflight check export-pipeline.json exportsas.json app-manifest.json")]
pub struct CheckArgs {
    /// Files and directories (walked, hidden entries skipped; a directory with an
    /// `oci-layout` file is an OCI image layout); `-` reads standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,

    /// Purpose of a token that no pipeline given reads.
    #[arg(long = "for", value_enum, default_value_t = PurposeArg::Any)]
    pub purpose: PurposeArg,

    /// With `--for acr-import`: the pipeline deletes source blobs (needs `d`).
    #[arg(long)]
    pub delete_source_blob_on_success: bool,

    /// Warn when a token expires sooner than this (e.g. 24h, 90m, 7d).
    #[arg(long, value_name = "DURATION", default_value = "24h", value_parser = parse_duration)]
    pub min_validity: chrono::Duration,

    /// Local copies of blobs, matched to listed blobs by name, to compare their MD5.
    #[arg(long, value_name = "DIR")]
    pub content_dir: Option<PathBuf>,
}

pub(super) fn run(args: &CheckArgs, ctx: &Context) -> Result<Run, ToolError> {
    let options = CheckOptions {
        sas: SasOptions {
            purpose: args.purpose.into(),
            delete_source_blob_on_success: args.delete_source_blob_on_success,
            min_validity: args.min_validity,
        },
        content_dir: args.content_dir.clone(),
    };
    let run = check::run(&args.paths, &options, ctx)?;
    if run.recognised == 0 {
        return Err(nothing_found(&args.paths, run.skipped));
    }
    Ok(Run {
        outcome: run.outcome,
        secrets: run.secrets,
    })
}

/// A pre-flight that checked nothing must not pass: no input of a known kind is an
/// error that stops the run, whatever was skipped.
fn nothing_found(paths: &[String], skipped: usize) -> ToolError {
    let any_dir = paths.iter().any(|p| std::path::Path::new(p).is_dir());
    let place = if any_dir { "under" } else { "in" };
    let skipped = match skipped {
        0 => String::new(),
        1 => String::from(" (1 file of no known kind was skipped)"),
        n => format!(" ({n} files of no known kind were skipped)"),
    };
    let names: Vec<&str> = paths
        .iter()
        .map(|p| {
            if p == "-" {
                "standard input"
            } else {
                p.as_str()
            }
        })
        .collect();
    ToolError::new(format!(
        "no input found {place} {}{skipped}",
        names.join(", ")
    ))
    .with_help(
        "check reads SAS tokens, `az keyvault secret show` JSON, blob dumps (az JSON, REST \
        headers, List Blobs XML, `azcopy list`), image manifests, OCI image layouts and \
        pipeline resources; name the files or the folder that holds them",
    )
}
