//! `acr-preflight pipeline`.

use clap::Args;

use super::{Run, ToolError};
use crate::context::Context;

/// Arguments of `acr-preflight pipeline`.
#[derive(Debug, Args)]
pub struct PipelineArgs {
    /// Inputs.
    pub inputs: Vec<String>,
}

pub(super) fn run(_args: &PipelineArgs, _ctx: &Context) -> Result<Run, ToolError> {
    Err(ToolError::new("the pipeline check is not built yet"))
}
