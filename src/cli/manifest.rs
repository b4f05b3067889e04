//! `acr-preflight manifest`.

use clap::Args;

use super::{Run, ToolError};
use crate::context::Context;

/// Arguments of `acr-preflight manifest`.
#[derive(Debug, Args)]
pub struct ManifestArgs {
    /// Inputs.
    pub inputs: Vec<String>,
}

pub(super) fn run(_args: &ManifestArgs, _ctx: &Context) -> Result<Run, ToolError> {
    Err(ToolError::new("the manifest check is not built yet"))
}
