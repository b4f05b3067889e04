//! `acr-preflight sas`: read one token from an argument, a file, an environment
//! variable or standard input, and check it.

use std::path::PathBuf;

use chrono::Duration;
use clap::{Args, ValueEnum};
use serde_json::json;

use super::{Run, ToolError};
use crate::context::Context;
use crate::diag::Outcome;
use crate::input::{self, Origin};
use crate::sas::{self, Purpose, SasOptions};

/// Arguments of `acr-preflight sas`.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  acr-preflight sas --file token.txt --for acr-export
  acr-preflight sas --env EXPORT_SAS --for acr-import --delete-source-blob-on-success
  az keyvault secret show --vault-name kv --name acrexportsas | acr-preflight sas --for acr-export")]
pub struct SasArgs {
    /// The token, SAS URL or connection string; `-` or nothing reads standard input.
    #[arg(value_name = "TOKEN", conflicts_with_all = ["file", "env"])]
    pub token: Option<String>,

    /// Read the token from a file (also the JSON of `az keyvault secret show`); `-`
    /// reads standard input.
    #[arg(long, value_name = "PATH", conflicts_with = "env")]
    pub file: Option<PathBuf>,

    /// Read the token from an environment variable (keeps it out of shell history).
    #[arg(long, value_name = "NAME", value_parser = parse_env_name)]
    pub env: Option<String>,

    /// What the token is for; without it, the output says which purposes it fits.
    #[arg(long = "for", value_enum, default_value_t = PurposeArg::Any)]
    pub purpose: PurposeArg,

    /// The import pipeline deletes source blobs after import (needs `d`).
    #[arg(long)]
    pub delete_source_blob_on_success: bool,

    /// Warn when the token expires sooner than this (e.g. 24h, 90m, 7d).
    #[arg(long, value_name = "DURATION", default_value = "24h", value_parser = parse_duration)]
    pub min_validity: Duration,
}

/// `--for` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PurposeArg {
    /// Generic validity only.
    Any,
    /// The secret of an export pipeline: r, w, l, a; HTTPS only.
    AcrExport,
    /// The secret of an import pipeline: r, l (and d with deletion); HTTPS only.
    AcrImport,
}

impl From<PurposeArg> for Purpose {
    fn from(arg: PurposeArg) -> Purpose {
        match arg {
            PurposeArg::Any => Purpose::Any,
            PurposeArg::AcrExport => Purpose::AcrExport,
            PurposeArg::AcrImport => Purpose::AcrImport,
        }
    }
}

/// Parses `24h`, `90m`, `7d`, `30s`, `1d12h`; a bare number has no unit and is refused.
pub(super) fn parse_duration(text: &str) -> Result<Duration, String> {
    let bad = || format!("`{text}` is not a duration; write e.g. 24h, 90m or 7d");
    let mut total = Duration::zero();
    let mut digits = String::new();
    for c in text.trim().chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let n: i64 = digits.parse().map_err(|_| bad())?;
        digits.clear();
        let part = match c {
            's' => Duration::try_seconds(n),
            'm' => Duration::try_minutes(n),
            'h' => Duration::try_hours(n),
            'd' => Duration::try_days(n),
            'w' => Duration::try_weeks(n),
            _ => None,
        };
        total = part.and_then(|p| total.checked_add(&p)).ok_or_else(bad)?;
    }
    if !digits.is_empty() || text.trim().is_empty() {
        return Err(bad());
    }
    Ok(total)
}

/// An environment variable's name: not empty (an empty `--env` is a mistake in a
/// script, such as an unset shell variable, and no variable has that name).
fn parse_env_name(text: &str) -> Result<String, String> {
    if text.is_empty() {
        return Err(String::from(
            "the name of an environment variable is needed, e.g. --env EXPORT_SAS",
        ));
    }
    Ok(text.to_string())
}

fn read(args: &SasArgs) -> Result<(Origin, Vec<u8>), ToolError> {
    if args.file.as_deref() == Some(std::path::Path::new("-")) {
        return Ok((Origin::Stdin, input::read_stdin()?));
    }
    if let Some(path) = &args.file {
        return Ok((
            Origin::File(path.display().to_string()),
            input::read_file(path)?,
        ));
    }
    if let Some(name) = &args.env {
        let value = std::env::var_os(name).ok_or_else(|| {
            ToolError::new(format!("environment variable {name} is not set")).with_help(format!(
                "export {name}='<token>' first, or pass the token another way"
            ))
        })?;
        let bytes = value.to_string_lossy().into_owned().into_bytes();
        return Ok((Origin::Env(name.clone()), bytes));
    }
    match args.token.as_deref() {
        Some("-") | None => Ok((Origin::Stdin, input::read_stdin()?)),
        Some(token) => Ok((Origin::Argument, token.as_bytes().to_vec())),
    }
}

pub(super) fn run(args: &SasArgs, ctx: &Context) -> Result<Run, ToolError> {
    let (origin, bytes) = read(args)?;
    let decoded = input::decode(&bytes);
    let options = SasOptions {
        purpose: args.purpose.into(),
        delete_source_blob_on_success: args.delete_source_blob_on_success,
        min_validity: args.min_validity,
    };
    let checked = sas::check(&origin.to_string(), &decoded, &options, ctx);
    let outcome = Outcome {
        command: String::from("sas"),
        inputs: vec![checked.report],
        summary: json!({
            "purpose": options.purpose.as_str(),
            "delete_source_blob_on_success": options.delete_source_blob_on_success,
            "min_validity_seconds": options.min_validity.num_seconds(),
        }),
        ..Outcome::default()
    };
    Ok(Run {
        outcome,
        secrets: checked.secrets,
    })
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::parse_duration;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("24h"), Ok(Duration::hours(24)));
        assert_eq!(parse_duration("90m"), Ok(Duration::minutes(90)));
        assert_eq!(parse_duration("7d"), Ok(Duration::days(7)));
        assert_eq!(parse_duration("1d12h"), Ok(Duration::hours(36)));
        assert!(parse_duration("24").is_err());
        assert!(parse_duration("h").is_err());
        assert!(parse_duration("").is_err());
    }
}
