//! `acr-preflight pipeline`.

use std::path::Path;

use clap::Args;
use serde_json::json;

use super::{Run, ToolError};
use crate::context::Context;
use crate::diag::Outcome;
use crate::input;
use crate::pipeline;

/// Arguments of `acr-preflight pipeline`.
#[derive(Debug, Args)]
pub struct PipelineArgs {
    /// ExportPipeline, ImportPipeline or PipelineRun resources as JSON (ARM GET body,
    /// ARM template, or az CLI output), or `-` for standard input.
    #[arg(required = true, value_name = "FILE")]
    pub inputs: Vec<String>,
}

pub(super) fn run(args: &PipelineArgs, ctx: &Context) -> Result<Run, ToolError> {
    let mut run = Run {
        outcome: Outcome {
            command: String::from("pipeline"),
            ..Outcome::default()
        },
        ..Run::default()
    };
    for arg in &args.inputs {
        let (name, bytes) = if arg == "-" {
            (String::from("<stdin>"), input::read_stdin()?)
        } else {
            (arg.clone(), input::read_file(Path::new(arg))?)
        };
        let check = pipeline::check(&name, &input::decode(&bytes), ctx);
        run.secrets.extend(&check.secrets);
        run.outcome.inputs.push(check.report);
    }
    run.outcome.summary = json!({ "inputs": run.outcome.inputs.len() });
    Ok(run)
}
