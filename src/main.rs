//! The `acr-preflight` binary: parse arguments, run, render, exit.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use acr_preflight::cli::{self, Cli, ColorChoice, Format, ToolError};
use acr_preflight::diag::render::{self, HumanStyle};
use clap::Parser;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout and exits 0 for them; usage
            // errors go to stderr with exit status 2.
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
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
            report_tool_error(&error);
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

#[allow(clippy::print_stderr)]
fn report_tool_error(error: &ToolError) {
    eprintln!("acr-preflight: error: {}", error.message);
    if let Some(help) = &error.help {
        eprintln!("  help: {help}");
    }
}
