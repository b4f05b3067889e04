//! `acr-preflight sas`.

use clap::Args;

use super::{Run, ToolError};
use crate::context::Context;

/// Arguments of `acr-preflight sas`.
#[derive(Debug, Args)]
pub struct SasArgs {
    /// Inputs.
    pub inputs: Vec<String>,
}

pub(super) fn run(_args: &SasArgs, _ctx: &Context) -> Result<Run, ToolError> {
    Err(ToolError::new("the sas check is not built yet"))
}
