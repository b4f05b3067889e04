//! Rendering findings in very long lines: the human report shows a window of the line
//! around each label (with `…` for the rest), keeps the line and column numbers of the
//! whole input, and stays small and quick however long the line is.

use std::sync::Arc;

use acr_preflight::context::Context;
use acr_preflight::diag::render::{self, HumanStyle};
use acr_preflight::diag::{Code, Finding, InputReport, Outcome, Severity};
use acr_preflight::input;
use acr_preflight::sas::{self, SasOptions};
use acr_preflight::secret::Secrets;
use chrono::{TimeZone, Utc};

const STYLE: HumanStyle = HumanStyle {
    color: false,
    width: 80,
};

const CODE: Code = Code {
    id: "test-long-line",
    severity: Severity::Error,
    summary: "a finding in a long line",
};

fn render(text: &str, finding: Finding) -> String {
    let mut report = InputReport::new("long.txt", "text", Arc::from(text));
    report.findings.push(finding);
    let outcome = Outcome {
        command: String::from("test"),
        inputs: vec![report],
        ..Outcome::default()
    };
    render::human(&outcome, STYLE, &Secrets::new())
}

/// A label in the middle of a 1 MiB line, another at its start, with a short line
/// before and after: both labels are shown with 40 bytes around their ends, the short
/// lines whole, and the header gives the label's real line and column.
#[test]
fn a_label_far_into_a_long_line_is_shown_in_a_window() {
    let filler = "x".repeat(512 * 1024);
    let text = format!("first line\n{filler}BAD{filler}\nlast line\n");
    let at = "first line\n".len() + filler.len();
    let finding = Finding::new(CODE, "input", at..at + 3)
        .message("three bad bytes")
        .label("here")
        .related(11..12, "line start");
    let shown = render(&text, finding);
    assert!(shown.len() < 2_000, "{} bytes of output", shown.len());
    insta::assert_snapshot!("long-line-window", shown);
}

/// A whole-line label on a long line: its two ends are shown, the middle left out.
#[test]
fn a_label_over_a_whole_long_line_shows_both_ends() {
    let text = format!("{}\n", "é".repeat(200_000));
    let finding = Finding::new(CODE, "input", 0..text.len() - 1)
        .message("the whole line")
        .label("all of it");
    let shown = render(&text, finding);
    assert!(shown.len() < 2_000, "{} bytes of output", shown.len());
    insta::assert_snapshot!("long-line-whole", shown);
}

/// The SAS check on a token with a 20 MiB value: the report renders in a few KiB.
/// Before the window, miette drew the whole line (about 100 MB of output) and
/// panicked on a label more than 65,535 columns in.
#[test]
fn a_token_with_a_20_mib_value_renders_small() {
    let token = format!(
        "sv=2022-11-02&sp=rl&x={}&sig={}",
        "A".repeat(20 * 1024 * 1024),
        "B".repeat(43)
    );
    let now = Utc.with_ymd_and_hms(2026, 12, 4, 0, 0, 0).unwrap();
    let check = sas::check(
        "big.sas",
        &input::decode(token.as_bytes()),
        &SasOptions::default(),
        &Context::pinned(now),
    );
    let outcome = Outcome {
        command: String::from("sas"),
        inputs: vec![check.report],
        ..Outcome::default()
    };
    let shown = render::human(&outcome, STYLE, &check.secrets);
    assert!(shown.len() < 16 * 1024, "{} bytes of output", shown.len());
    // The signature starts after 22 + 20 MiB + 5 bytes: column 20,971,548.
    assert!(shown.contains("[big.sas:1:20971548]"), "{shown}");
    assert!(!shown.contains(&"B".repeat(43)), "{shown}");
}
