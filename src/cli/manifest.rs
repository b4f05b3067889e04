//! `acr-preflight manifest`.

use std::path::Path;

use clap::Args;
use serde_json::json;

use super::{Run, ToolError};
use crate::context::Context;
use crate::diag::Outcome;
use crate::input;
use crate::manifest;

/// Arguments of `acr-preflight manifest`.
#[derive(Debug, Args)]
pub struct ManifestArgs {
    /// Manifest files (as `crane manifest`, `docker manifest inspect`, `skopeo inspect
    /// --raw` or `oras manifest fetch` print them), OCI image layout directories
    /// (`skopeo copy … oci:DIR`), or `-` for standard input.
    #[arg(required = true, value_name = "FILE|DIR")]
    pub inputs: Vec<String>,
}

pub(super) fn run(args: &ManifestArgs, ctx: &Context) -> Result<Run, ToolError> {
    let mut run = Run {
        outcome: Outcome {
            command: String::from("manifest"),
            ..Outcome::default()
        },
        ..Run::default()
    };
    for arg in &args.inputs {
        let path = Path::new(arg);
        if arg != "-" && path.is_dir() {
            let layout = manifest::check_layout(path, ctx)?;
            run.secrets.extend(&layout.secrets);
            run.outcome.inputs.extend(layout.reports);
            continue;
        }
        let (name, bytes) = if arg == "-" {
            (String::from("<stdin>"), input::read_stdin()?)
        } else {
            (arg.clone(), input::read_file(path)?)
        };
        let check = manifest::check(&name, &input::decode(&bytes), ctx);
        run.secrets.extend(&check.secrets);
        run.outcome.inputs.push(check.report);
    }
    run.outcome.summary = json!({ "inputs": run.outcome.inputs.len() });
    Ok(run)
}
