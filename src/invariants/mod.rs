//! Checks that hold for every run of every parser, whatever the input.
//!
//! The fuzz targets in `fuzz/` and the seed replay in `tests/fuzz_seeds.rs` call these
//! and fail on a [`Violation`], so a crash found by fuzzing and its regression test run
//! the very same code. Hidden from the docs and never called by the binary: it is a
//! test harness kept in the library only so both places can share it.
//!
//! What is checked: every span of every finding lies inside its report's text and on
//! character boundaries; rendering through [`render::human`] and [`render::json`]
//! succeeds and says what the outcome holds; no given secret appears in either
//! rendering. What is not: whether a finding is right; that is for the corpus tests.

pub mod commands;
pub mod split;
pub mod targets;

use std::fmt;
use std::ops::Range;

use serde_json::Value;

use crate::diag::render::{self, HumanStyle};
use crate::diag::{Finding, InputReport, Outcome, Severity};
use crate::secret::Secrets;

/// A broken invariant, saying which and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation(pub String);

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Violation {}

/// Fails with `message` unless `holds`.
pub fn ensure(holds: bool, message: impl FnOnce() -> String) -> Result<(), Violation> {
    if holds {
        Ok(())
    } else {
        Err(Violation(message()))
    }
}

/// The style every check renders with: the snapshot tests' style, no colour, 80 columns.
pub const STYLE: HumanStyle = HumanStyle {
    color: false,
    width: 80,
};

/// Both renderings of an outcome that passed [`check_outcome`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// [`render::human`] with [`STYLE`].
    pub human: String,
    /// [`render::json`].
    pub json: String,
}

/// Checks that `span` is a forward range inside `text` that starts and ends on
/// character boundaries; `what` names it in the violation.
pub fn check_span(text: &str, span: &Range<usize>, what: &str) -> Result<(), Violation> {
    ensure(span.start <= span.end && span.end <= text.len(), || {
        format!(
            "{what}: span {span:?} is not inside the text of {} bytes",
            text.len()
        )
    })?;
    ensure(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        || format!("{what}: span {span:?} splits a character"),
    )
}

/// Checks one report: its line base, and every finding's spans and wording.
pub fn check_report(report: &InputReport) -> Result<(), Violation> {
    ensure(report.base_line >= 1, || {
        format!("{}: base_line is 0; lines count from 1", report.name)
    })?;
    for (index, finding) in report.findings.iter().enumerate() {
        let what = format!("{} finding {index} [{}]", report.name, finding.code.id);
        check_finding(&report.text, finding, &what)?;
    }
    Ok(())
}

fn check_finding(text: &str, finding: &Finding, what: &str) -> Result<(), Violation> {
    check_span(text, &finding.span, what)?;
    for (index, label) in finding.related.iter().enumerate() {
        check_span(text, &label.span, &format!("{what} related label {index}"))?;
    }
    ensure(is_kebab_case(finding.code.id), || {
        format!("{what}: code is not kebab-case")
    })?;
    ensure(!finding.field.is_empty(), || {
        format!("{what}: field is empty")
    })?;
    let message = &finding.message;
    ensure(
        !message.is_empty() && !message.ends_with('.') && !is_sentence_case(message),
        || format!("{what}: message {message:?} is not lower case without a final period"),
    )
}

/// True for `Expired token`, false for `expired token`, for an acronym (`SAS token`)
/// and for a name written as its owner writes it (`ContentMD5 is empty`,
/// `Last-Modified is old`, `DeleteSourceBlobOnSuccess needs`): only a first word of
/// one capital and lower-case letters is sentence case.
fn is_sentence_case(message: &str) -> bool {
    let first_word = message.split_whitespace().next().unwrap_or_default();
    let first_word = first_word.trim_end_matches(|c: char| c.is_ascii_punctuation());
    let mut chars = first_word.chars();
    chars.next().is_some_and(char::is_uppercase)
        && first_word.chars().nth(1).is_some()
        && chars.all(char::is_lowercase)
}

fn is_kebab_case(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Checks every report of `outcome`, renders it both ways with `secrets`, checks each
/// rendering, and checks that no string of `hidden` appears in either.
///
/// `hidden` should hold only what [`Secrets::scrub`] promises to remove: values of at
/// least eight bytes that were added to `secrets`.
pub fn check_outcome(
    outcome: &Outcome,
    secrets: &Secrets,
    hidden: &[&str],
) -> Result<Rendered, Violation> {
    for report in &outcome.inputs {
        check_report(report)?;
    }
    let human = render::human(outcome, STYLE, secrets);
    let json = render::json(outcome, secrets);
    check_human(&human, outcome, hidden)?;
    check_json(&json, outcome)?;
    for secret in hidden {
        check_hidden(&human, &json, secret)?;
    }
    Ok(Rendered { human, json })
}

/// The human report ends with the verdict line (unless a secret was scrubbed out of it).
fn check_human(human: &str, outcome: &Outcome, hidden: &[&str]) -> Result<(), Violation> {
    let verdict = render::verdict(outcome);
    if hidden.iter().any(|s| verdict.contains(s)) {
        return Ok(());
    }
    ensure(human.ends_with(&format!("{verdict}\n")), || {
        format!("human rendering does not end with the verdict {verdict:?}")
    })
}

/// The JSON report parses, and holds as many inputs, findings and counts as the
/// outcome, with each finding's offset and length taken from its span.
fn check_json(json: &str, outcome: &Outcome) -> Result<(), Violation> {
    let document: Value = serde_json::from_str(json)
        .map_err(|e| Violation(format!("JSON rendering does not parse: {e}")))?;
    let inputs = document["inputs"].as_array().map_or(&[][..], Vec::as_slice);
    ensure(inputs.len() == outcome.inputs.len(), || {
        format!(
            "JSON rendering has {} inputs, the outcome {}",
            inputs.len(),
            outcome.inputs.len()
        )
    })?;
    for severity in [Severity::Error, Severity::Warning, Severity::Advice] {
        let counted = document["counts"][severity.as_str()].as_u64();
        let expected = u64::try_from(outcome.count(severity)).ok();
        ensure(counted == expected, || {
            format!("JSON count of {} is {counted:?}", severity.as_str())
        })?;
    }
    for (report, shown) in outcome.inputs.iter().zip(inputs) {
        check_json_findings(report, shown)?;
    }
    Ok(())
}

fn check_json_findings(report: &InputReport, shown: &Value) -> Result<(), Violation> {
    let findings = shown["findings"].as_array().map_or(&[][..], Vec::as_slice);
    ensure(findings.len() == report.findings.len(), || {
        format!(
            "{}: JSON rendering has {} findings, the report {}",
            report.name,
            findings.len(),
            report.findings.len()
        )
    })?;
    for (finding, shown) in report.findings.iter().zip(findings) {
        let offset = shown["span"]["offset"].as_u64();
        let length = shown["span"]["length"].as_u64();
        let expected_offset = u64::try_from(finding.span.start + report.base_offset).ok();
        let expected_length = u64::try_from(finding.span.len()).ok();
        ensure(
            offset == expected_offset && length == expected_length,
            || {
                format!(
                    "{}: JSON span offset {offset:?} length {length:?} for span {:?}",
                    report.name, finding.span
                )
            },
        )?;
    }
    Ok(())
}

/// Neither rendering holds `secret`, nor (in JSON) its escaped form.
fn check_hidden(human: &str, json: &str, secret: &str) -> Result<(), Violation> {
    ensure(!human.contains(secret), || {
        format!("secret {secret:?} appears in the human rendering")
    })?;
    ensure(!json.contains(secret), || {
        format!("secret {secret:?} appears in the JSON rendering")
    })?;
    let escaped = serde_json::to_string(secret).unwrap_or_default();
    let escaped = escaped.trim_matches('"');
    ensure(escaped.is_empty() || !json.contains(escaped), || {
        format!("secret {secret:?} appears escaped in the JSON rendering")
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::{check_outcome, check_span};
    use crate::diag::{Code, Finding, InputReport, Outcome, Severity};
    use crate::secret::Secrets;

    const CODE: Code = Code {
        id: "test-code",
        severity: Severity::Error,
        summary: "a test finding",
    };

    fn outcome(text: &str, finding: Finding) -> Outcome {
        let mut report = InputReport::new("in", "text", Arc::from(text));
        report.findings.push(finding);
        Outcome {
            command: String::from("test"),
            inputs: vec![report],
            ..Outcome::default()
        }
    }

    #[test]
    fn spans_outside_the_text_or_inside_a_character_are_caught() {
        assert!(check_span("abc", &(1..3), "s").is_ok());
        assert!(check_span("abc", &(2..4), "s").is_err());
        assert!(check_span("é", &(0..1), "s").is_err());
        let backwards = std::ops::Range { start: 2, end: 1 };
        assert!(check_span("abc", &backwards, "s").is_err());
    }

    #[test]
    fn a_bad_related_span_is_caught() {
        let finding = Finding::new(CODE, "input", 0..1).related(0..9, "far");
        assert!(check_outcome(&outcome("abc", finding), &Secrets::new(), &[]).is_err());
    }

    #[test]
    fn a_secret_in_a_message_is_caught_unless_scrubbed() {
        let secret = "s3cr3tSIGNATURE";
        let finding = Finding::new(CODE, "sig", 0..3).message(format!("bad {secret}"));
        let outcome = outcome("abc", finding);
        assert!(check_outcome(&outcome, &Secrets::new(), &[secret]).is_err());
        let mut secrets = Secrets::new();
        secrets.add(secret);
        let rendered = check_outcome(&outcome, &secrets, &[secret]).unwrap();
        assert!(rendered.human.contains("[redacted]"));
    }

    #[test]
    fn wording_rules_are_enforced() {
        for (code, message) in [
            ("Bad_Code", "fine"),
            ("ok-code", "Sentence case"),
            ("ok-code", "ends."),
        ] {
            let code = Code { id: code, ..CODE };
            let finding = Finding::new(code, "input", 0..1).message(message);
            assert!(check_outcome(&outcome("abc", finding), &Secrets::new(), &[]).is_err());
        }
        for message in [
            "SAS token expired",
            "ContentMD5 is empty",
            "Last-Modified is old",
        ] {
            let finding = Finding::new(CODE, "input", 0..1).message(message);
            assert!(check_outcome(&outcome("abc", finding), &Secrets::new(), &[]).is_ok());
        }
    }
}
