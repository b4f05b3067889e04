//! Findings: what a check reports, where in the input it points, and how bad it is.
//!
//! Every command produces [`InputReport`]s, one per input, each holding the input's text
//! (with secrets already masked, see [`crate::secret`]) and its [`Finding`]s. Rules build
//! findings; only [`render`] turns them into text. Nothing in this module parses input.

pub mod render;

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;

/// How much a finding matters to the transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; nothing will fail because of it.
    Advice,
    /// Likely to work, but risky, non-standard, or unknowable offline.
    Warning,
    /// The service or the pipeline will refuse it.
    Error,
}

impl Severity {
    /// The lower-case word used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Advice => "advice",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A stable finding code with its default severity and a one-line summary.
///
/// Codes are kebab-case and never renamed once released; scripts match on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Code {
    /// The stable identifier, e.g. `sas-expired`.
    pub id: &'static str,
    /// The severity a finding of this code has unless a rule says otherwise.
    pub severity: Severity,
    /// One sentence on what the code means.
    pub summary: &'static str,
}

/// A labelled byte range in the input, in addition to a finding's primary span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// Byte range in the input text.
    pub span: Range<usize>,
    /// Short text shown next to the range.
    pub text: String,
}

/// One problem (or observation) about one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The stable code.
    pub code: Code,
    /// Severity of this finding (normally `code.severity`).
    pub severity: Severity,
    /// The field the finding is about: a SAS key (`sp`), a canonical blob property
    /// (`contentMd5`), a JSON path (`layers[1].size`), or `token` / `input` for the whole.
    pub field: String,
    /// The item within the input the finding belongs to (a blob name, a manifest
    /// platform), when an input holds several.
    pub subject: Option<String>,
    /// What is wrong, in lower case without a trailing period.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// Primary byte range in the input text.
    pub span: Range<usize>,
    /// Text of the primary label.
    pub label: String,
    /// Further labelled ranges.
    pub related: Vec<Label>,
}

impl Finding {
    /// Starts a finding with the code's default severity and a primary span.
    pub fn new(code: Code, field: impl Into<String>, span: Range<usize>) -> Finding {
        Finding {
            code,
            severity: code.severity,
            field: field.into(),
            subject: None,
            message: code.summary.to_string(),
            help: None,
            span,
            label: String::from("here"),
            related: Vec::new(),
        }
    }

    /// Sets the message.
    pub fn message(mut self, message: impl Into<String>) -> Finding {
        self.message = message.into();
        self
    }

    /// Sets the help text.
    pub fn help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    /// Sets the primary label text.
    pub fn label(mut self, label: impl Into<String>) -> Finding {
        self.label = label.into();
        self
    }

    /// Overrides the severity.
    pub fn severity(mut self, severity: Severity) -> Finding {
        self.severity = severity;
        self
    }

    /// Names the item within the input (e.g. a blob) the finding is about.
    pub fn subject(mut self, subject: impl Into<String>) -> Finding {
        self.subject = Some(subject.into());
        self
    }

    /// Adds a secondary labelled range.
    pub fn related(mut self, span: Range<usize>, text: impl Into<String>) -> Finding {
        self.related.push(Label {
            span,
            text: text.into(),
        });
        self
    }
}

/// Most findings of one code kept for one input by [`InputReport::cap_findings`].
///
/// A token of 300,000 fields or a binary file read as a token gives a finding per
/// field; past a few dozen of one kind they say nothing new, and printing them all made
/// the output hundreds of times larger than the input.
pub const MAX_FINDINGS_PER_CODE: usize = 20;

/// The findings about one input, with the text they point into.
#[derive(Debug, Clone)]
pub struct InputReport {
    /// What the user called the input: a path, `<stdin>`, `<argument>`, `$NAME`.
    pub name: String,
    /// What kind of input it was taken to be, e.g. `sas-token`, `az-blob-list`.
    pub kind: String,
    /// The input text with every secret masked; spans index into it.
    pub text: Arc<str>,
    /// Byte offset of `text` within the whole input (non-zero when only a window of a
    /// large input is kept); spans are relative to `text`.
    pub base_offset: usize,
    /// 1-based line number of `text`'s first line in the whole input.
    pub base_line: usize,
    /// What was found.
    pub findings: Vec<Finding>,
    /// Command-specific facts for the JSON output (decoded token, blob summary, ...).
    pub details: serde_json::Value,
    /// Command-specific lines for the human output, printed after the diagnostics.
    pub notes: Vec<String>,
    /// Findings left out by [`InputReport::cap_findings`], by code id; they count
    /// towards the totals and the exit status.
    pub not_shown: BTreeMap<&'static str, Tally>,
}

impl InputReport {
    /// A report over the whole of `text` with no findings yet.
    pub fn new(name: impl Into<String>, kind: impl Into<String>, text: Arc<str>) -> Self {
        InputReport {
            name: name.into(),
            kind: kind.into(),
            text,
            base_offset: 0,
            base_line: 1,
            findings: Vec::new(),
            details: serde_json::Value::Null,
            notes: Vec::new(),
            not_shown: BTreeMap::new(),
        }
    }

    /// The most severe finding's severity, if any, counting those not shown.
    pub fn worst(&self) -> Option<Severity> {
        let hidden = self.hidden();
        let hidden = [Severity::Error, Severity::Warning, Severity::Advice]
            .into_iter()
            .find(|&s| hidden.get(s) > 0);
        self.findings.iter().map(|f| f.severity).chain(hidden).max()
    }

    /// Counts findings of one severity, counting those not shown.
    pub fn count(&self, severity: Severity) -> usize {
        let kept = self
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .count();
        kept + self.hidden().get(severity)
    }

    /// The findings left out by [`InputReport::cap_findings`], all codes together.
    pub fn hidden(&self) -> Tally {
        let mut all = Tally::default();
        for tally in self.not_shown.values() {
            all.extend(*tally);
        }
        all
    }

    /// Keeps the first `per_code` findings of each code, in order, and tallies the
    /// others in [`InputReport::not_shown`].
    pub fn cap_findings(&mut self, per_code: usize) {
        let mut seen: BTreeMap<&'static str, usize> = BTreeMap::new();
        let not_shown = &mut self.not_shown;
        self.findings.retain(|finding| {
            let count = seen.entry(finding.code.id).or_insert(0);
            *count += 1;
            if *count <= per_code {
                return true;
            }
            not_shown
                .entry(finding.code.id)
                .or_default()
                .add(finding.severity);
            false
        });
    }
}

/// Findings counted by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Error findings.
    pub error: usize,
    /// Warning findings.
    pub warning: usize,
    /// Advice findings.
    pub advice: usize,
}

impl Tally {
    /// Counts one finding of `severity`.
    pub fn add(&mut self, severity: Severity) {
        *self.slot(severity) += 1;
    }

    /// Adds another tally.
    pub fn extend(&mut self, other: Tally) {
        self.error += other.error;
        self.warning += other.warning;
        self.advice += other.advice;
    }

    /// The count for one severity.
    pub fn get(&self, severity: Severity) -> usize {
        match severity {
            Severity::Error => self.error,
            Severity::Warning => self.warning,
            Severity::Advice => self.advice,
        }
    }

    /// All findings counted.
    pub fn total(&self) -> usize {
        self.error + self.warning + self.advice
    }

    fn slot(&mut self, severity: Severity) -> &mut usize {
        match severity {
            Severity::Error => &mut self.error,
            Severity::Warning => &mut self.warning,
            Severity::Advice => &mut self.advice,
        }
    }
}

/// Everything one command run found, ready to render.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The subcommand, e.g. `sas`.
    pub command: String,
    /// One report per input.
    pub inputs: Vec<InputReport>,
    /// Command-wide facts for the JSON output.
    pub summary: serde_json::Value,
    /// Command-wide lines for the human output.
    pub summary_lines: Vec<String>,
    /// Findings counted but not kept (a very large listing keeps the findings of its
    /// first failing blobs only); they count towards the totals and the exit status.
    pub not_shown: Tally,
}

impl Outcome {
    /// True when any input has an error-severity finding, shown or not.
    pub fn has_errors(&self) -> bool {
        self.not_shown.error > 0
            || self
                .inputs
                .iter()
                .any(|r| r.worst() == Some(Severity::Error))
    }

    /// Counts findings of one severity across inputs, shown or not.
    pub fn count(&self, severity: Severity) -> usize {
        let shown: usize = self.inputs.iter().map(|r| r.count(severity)).sum();
        shown + self.not_shown.get(severity)
    }

    /// Every finding counted but not kept: the outcome's own and each input's.
    pub fn hidden(&self) -> Tally {
        let mut all = self.not_shown;
        for report in &self.inputs {
            all.extend(report.hidden());
        }
        all
    }

    /// Applies [`InputReport::cap_findings`] with [`MAX_FINDINGS_PER_CODE`] to every
    /// input.
    pub fn cap_findings(&mut self) {
        for report in &mut self.inputs {
            report.cap_findings(MAX_FINDINGS_PER_CODE);
        }
    }
}

/// Line and column (both 1-based, column in characters) of a byte offset in `text`.
///
/// An offset inside a character counts as that character; an offset past the end
/// is clamped to the end.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::line_column;

    #[test]
    fn line_column_counts_from_one_in_characters() {
        assert_eq!(line_column("abc", 0), (1, 1));
        assert_eq!(line_column("abc", 2), (1, 3));
        assert_eq!(line_column("a\nbc", 3), (2, 2));
        assert_eq!(line_column("é=x", 2), (1, 2));
        assert_eq!(line_column("é=x", 1), (1, 1));
        assert_eq!(line_column("ab", 99), (1, 3));
    }
}
