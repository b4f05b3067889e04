//! The `acr-preflight` binary: parse arguments, run, render, exit.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::panic::Location;
use std::process::ExitCode;

use acr_preflight::cli::{self, Cli, ColorChoice, Format, ToolError};
use acr_preflight::diag::render::{self, HumanStyle};
use acr_preflight::secret::Secrets;
use clap::Parser;

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        report_internal_error(info.location());
        std::process::exit(2);
    }));
    let args: Vec<OsString> = std::env::args_os().collect();
    let secrets = argument_secrets(&args);
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout and exits 0 for them; usage
            // errors go to stderr with exit status 2. Either may quote an argument.
            let text = secrets.scrub(&e.render().to_string());
            return if e.use_stderr() {
                write_stderr(&text);
                ExitCode::from(2)
            } else {
                write_stdout(&text);
                ExitCode::SUCCESS
            };
        }
    };
    let ctx = cli.context();
    match cli::run(&cli, &ctx) {
        Ok(run) => {
            let text = match cli.format {
                Format::Human => {
                    let style = HumanStyle {
                        color: use_color(cli.color),
                        width: 100,
                    };
                    render::human(&run.outcome, style, &run.secrets)
                }
                Format::Json => render::json(&run.outcome, &run.secrets),
            };
            write_stdout(&text);
            if run.outcome.has_errors() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(error) => {
            report_tool_error(&error, &secrets);
            ExitCode::from(2)
        }
    }
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    }
}

/// Writes the report; a closed pipe (`| head`) is not an error.
fn write_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// Secrets in the command line's arguments, and in the environment variable an `--env`
/// argument names: a usage error may quote either.
fn argument_secrets(args: &[OsString]) -> Secrets {
    let mut secrets = Secrets::new();
    let mut env_next = false;
    for arg in args {
        let arg = arg.to_string_lossy();
        secrets.extend(&Secrets::found_in(&arg));
        let named = if env_next {
            Some(arg.as_ref())
        } else {
            arg.strip_prefix("--env=")
        };
        if let Some(value) = named.and_then(std::env::var_os) {
            secrets.extend(&Secrets::found_in(&value.to_string_lossy()));
        }
        env_next = arg == "--env";
    }
    secrets
}

fn report_tool_error(error: &ToolError, secrets: &Secrets) {
    let mut text = format!("acr-preflight: error: {}\n", error.message);
    if let Some(help) = &error.help {
        text.push_str(&format!("  help: {help}\n"));
    }
    write_stderr(&secrets.scrub(&text));
}

fn write_stderr(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}

/// Reports a panic by where it happened only: its message may quote input data, a
/// signature included.
fn report_internal_error(location: Option<&Location<'_>>) {
    write_stderr(&internal_error(location));
}

fn internal_error(location: Option<&Location<'_>>) -> String {
    let place = location.map_or_else(
        || String::from("an unknown place"),
        |l| format!("{}:{}:{}", l.file(), l.line(), l.column()),
    );
    format!(
        "acr-preflight: internal error at {place}; the input is not shown. \
         Please report it with the command line, without the input.\n"
    )
}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;
    use std::panic::Location;

    use super::{argument_secrets, internal_error};

    #[test]
    fn an_internal_error_names_the_place_only() {
        let text = internal_error(Some(Location::caller()));
        assert!(text.contains("src/main.rs:"), "{text}");
        assert!(internal_error(None).contains("unknown place"));
    }

    #[test]
    fn secrets_in_arguments_are_scrubbed() {
        let token = "sp=r&sig=AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA%3D";
        let args = [OsString::from("acr-preflight"), OsString::from(token)];
        let secrets = argument_secrets(&args);
        let scrubbed = secrets.scrub(&format!("cannot read {token}: not found"));
        assert!(!scrubbed.contains("AQIDBAUG"), "{scrubbed}");
    }
}
