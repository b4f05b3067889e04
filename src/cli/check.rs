//! `acr-preflight check`.

use clap::Args;

use super::{Run, ToolError};
use crate::context::Context;

/// Arguments of `acr-preflight check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Inputs.
    pub inputs: Vec<String>,
}

pub(super) fn run(_args: &CheckArgs, _ctx: &Context) -> Result<Run, ToolError> {
    Err(ToolError::new("the check check is not built yet"))
}
