//! The command line: arguments, and running a subcommand into an [`Outcome`].
//!
//! Each subcommand has its own file with its arguments and the glue from them to the
//! library; none of them prints. `main.rs` renders the outcome and picks the exit code.

mod blob;
mod check;
mod manifest;
mod pipeline;
mod sas;

use std::fmt;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand, ValueEnum};

use crate::context::Context;
use crate::diag::Outcome;
use crate::secret::Secrets;

const EXIT_CODES: &str = "\
Exit status:
  0  no error findings (warnings and advice may be present)
  1  at least one error finding
  2  the tool could not run: bad usage, or an input could not be read";

/// Checks, offline and before anything is sent, whether an Azure Container Registry
/// Transfer will work.
#[derive(Debug, Parser)]
#[command(name = "acr-preflight", version, after_long_help = EXIT_CODES)]
pub struct Cli {
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// When to colour human output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Judge times as if it were this instant (RFC 3339, e.g. 2026-12-04T16:00:00Z)
    /// instead of the system clock.
    #[arg(long, global = true, value_name = "RFC3339", value_parser = parse_now)]
    pub now: Option<DateTime<Utc>>,

    /// What to check.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a SAS token: form, validity now, and fitness for an ACR Transfer pipeline.
    Sas(sas::SasArgs),
    /// Check blob property dumps against the import source trigger's rules.
    Blob(blob::BlobArgs),
    /// Check image manifests for layers an ACR Transfer cannot carry.
    Manifest(manifest::ManifestArgs),
    /// Check ExportPipeline, ImportPipeline and PipelineRun resources.
    Pipeline(pipeline::PipelineArgs),
    /// Check everything collected for a transfer: tokens, dumps, manifests, pipelines.
    Check(check::CheckArgs),
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Diagnostics with the offending text underlined, for people.
    Human,
    /// A stable JSON document, for scripts.
    Json,
}

/// Colour choice for human output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

fn parse_now(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            format!(
                "not a date and time ({e}); expected RFC 3339 with a time and an offset, \
                such as 2026-12-04T16:00:00Z"
            )
        })
}

/// Why a command could not run at all (exit status 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolError {
    /// What went wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl ToolError {
    /// An error with a message and no help.
    pub fn new(message: impl Into<String>) -> ToolError {
        ToolError {
            message: message.into(),
            help: None,
        }
    }

    /// Adds help text.
    pub fn with_help(mut self, help: impl Into<String>) -> ToolError {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for ToolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ToolError {}

impl From<crate::input::ReadError> for ToolError {
    fn from(e: crate::input::ReadError) -> ToolError {
        ToolError::new(e.to_string())
    }
}

/// What a command produced: the findings, and the secrets the renderer must scrub.
#[derive(Debug, Clone, Default)]
pub struct Run {
    /// The findings.
    pub outcome: Outcome,
    /// Secrets seen in the inputs.
    pub secrets: Secrets,
}

impl Cli {
    /// The context for this run: `--now` when given, otherwise the system clock.
    pub fn context(&self) -> Context {
        match self.now {
            Some(now) => Context::pinned(now),
            None => Context::from_system_clock(),
        }
    }
}

/// Runs the chosen subcommand.
///
/// Each input keeps the first few findings of each code (see
/// [`Outcome::cap_findings`]); the others are counted, not kept.
pub fn run(cli: &Cli, ctx: &Context) -> Result<Run, ToolError> {
    let mut run = match &cli.command {
        Command::Sas(args) => sas::run(args, ctx),
        Command::Blob(args) => blob::run(args, ctx),
        Command::Manifest(args) => manifest::run(args, ctx),
        Command::Pipeline(args) => pipeline::run(args, ctx),
        Command::Check(args) => check::run(args, ctx),
    }?;
    run.outcome.cap_findings();
    Ok(run)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn arguments_are_consistent() {
        super::Cli::command().debug_assert();
    }
}
