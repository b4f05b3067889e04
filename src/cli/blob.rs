//! `acr-preflight blob`.

use clap::Args;

use super::{Run, ToolError};
use crate::context::Context;

/// Arguments of `acr-preflight blob`.
#[derive(Debug, Args)]
pub struct BlobArgs {
    /// Inputs.
    pub inputs: Vec<String>,
}

pub(super) fn run(_args: &BlobArgs, _ctx: &Context) -> Result<Run, ToolError> {
    Err(ToolError::new("the blob check is not built yet"))
}
