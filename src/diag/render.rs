//! Turning an [`Outcome`] into text: miette's graphical report for people, a stable
//! JSON document for scripts. The only place findings become text.

mod excerpt;
mod visible;

use std::fmt;
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, NamedSource, SourceCode, SourceSpan, SpanContents,
};
use serde_json::{Value, json};

use self::excerpt::Excerpt;
use self::visible::{brief, visible};
use super::{Finding, InputReport, Label, Outcome, Severity, line_column};
use crate::secret::Secrets;

/// Version of the JSON document's shape; bumped only on an incompatible change.
pub const JSON_SCHEMA_VERSION: u32 = 1;

/// How to print the human report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HumanStyle {
    /// Use colour.
    pub color: bool,
    /// Wrap at this many columns.
    pub width: usize,
}

impl Default for HumanStyle {
    fn default() -> Self {
        HumanStyle {
            color: false,
            width: 100,
        }
    }
}

/// Renders the outcome for a person: one diagnostic per finding, each input's notes,
/// then the summary lines and a verdict.
///
/// Every piece of text that can come from the input (names, messages, labels, notes,
/// the echoed source) is passed through [`visible`] first: no control character of
/// the input reaches the terminal.
pub fn human(outcome: &Outcome, style: HumanStyle, secrets: &Secrets) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .without_syntax_highlighting();
    let mut out = String::new();
    let several = outcome.inputs.windows(2).any(|w| w[0].name != w[1].name);
    let mut previous: Option<&str> = None;
    for report in &outcome.inputs {
        if several && previous != Some(report.name.as_str()) {
            out.push_str(&format!(
                "── {} ({})\n",
                brief(&report.name),
                brief(&report.kind)
            ));
        }
        previous = Some(report.name.as_str());
        render_findings(&handler, &mut out, report, secrets);
        for line in not_shown_lines(report) {
            push_line(&mut out, &line);
        }
        for note in &report.notes {
            push_line(&mut out, note);
        }
    }
    for line in &outcome.summary_lines {
        push_line(&mut out, line);
    }
    out.push_str(&verdict(outcome));
    out.push('\n');
    secrets.scrub(&out)
}

fn render_findings(
    handler: &GraphicalReportHandler,
    out: &mut String,
    report: &InputReport,
    secrets: &Secrets,
) {
    if report.findings.is_empty() {
        return;
    }
    let whole = Windowed::whole(report);
    for finding in &report.findings {
        let finding = &first_lines(report, finding);
        let excerpt = excerpt::cut(&report.text, finding).map(|e| Windowed::excerpt(report, e));
        let moved = excerpt
            .as_ref()
            .map_or_else(|| finding.clone(), |w| w.moved(finding));
        let shown = Shown {
            finding: &printable(&moved, secrets),
            source: excerpt.as_ref().unwrap_or(&whole),
        };
        if handler.render_report(out, &shown).is_err() {
            push_line(out, &plain_line(report, finding));
        }
    }
}

/// Most lines a label is drawn over; miette shows every line a label covers, and a
/// finding about a whole binary file covered thousands.
const MAX_LABEL_LINES: usize = 4;

/// The finding with each label that covers more than [`MAX_LABEL_LINES`] lines cut to
/// its first line, its text saying the line it runs on to.
fn first_lines(report: &InputReport, finding: &Finding) -> Finding {
    let cut = |span: &std::ops::Range<usize>, text: &str| {
        let covered = report.text.get(span.clone()).unwrap_or_default();
        if covered.bytes().filter(|&b| b == b'\n').count() < MAX_LABEL_LINES {
            return None;
        }
        let end = span.start + covered.find('\n').unwrap_or(covered.len());
        // The line of the last byte covered, not of the offset after it.
        let (line, _) = line_column(&report.text, span.end.saturating_sub(1).max(span.start));
        let last = line + report.base_line.max(1) - 1;
        Some((span.start..end, format!("{text} (runs on to line {last})")))
    };
    let mut shown = finding.clone();
    if let Some((span, label)) = cut(&finding.span, &finding.label) {
        shown.span = span;
        shown.label = label;
    }
    for related in &mut shown.related {
        if let Some((span, text)) = cut(&related.span, &related.text) {
            related.span = span;
            related.text = text;
        }
    }
    shown
}

/// Appends `line` made [`brief`] and a line feed.
fn push_line(out: &mut String, line: &str) {
    out.push_str(&brief(line));
    out.push('\n');
}

/// The finding with every text it prints made [`brief`]; secrets are scrubbed first,
/// as a control character replaced inside one would hide it from the final scrub.
fn printable(finding: &Finding, secrets: &Secrets) -> Finding {
    let text = |t: &str| brief(&secrets.scrub(t));
    Finding {
        field: text(&finding.field),
        subject: finding.subject.as_deref().map(text),
        message: text(&finding.message),
        help: finding.help.as_deref().map(text),
        label: text(&finding.label),
        related: finding
            .related
            .iter()
            .map(|l| Label {
                span: l.span.clone(),
                text: text(&l.text),
            })
            .collect(),
        ..finding.clone()
    }
}

/// One line per code whose findings were capped: how many more there were.
fn not_shown_lines(report: &InputReport) -> Vec<String> {
    report
        .not_shown
        .iter()
        .map(|(code, tally)| {
            let parts: Vec<String> = [Severity::Error, Severity::Warning, Severity::Advice]
                .into_iter()
                .filter(|&s| tally.get(s) > 0)
                .map(|s| format!("{} {}", tally.get(s), severity_word(s, tally.get(s))))
                .collect();
            format!(
                "… and {} more {code} not shown ({})",
                tally.total(),
                parts.join(", ")
            )
        })
        .collect()
}

fn severity_word(severity: Severity, n: usize) -> &'static str {
    match severity {
        Severity::Error => plural(n, "error", "errors"),
        Severity::Warning => plural(n, "warning", "warnings"),
        Severity::Advice => "advice",
    }
}

/// The closing line: how many errors, warnings and advice, and what that means.
pub fn verdict(outcome: &Outcome) -> String {
    let errors = outcome.count(Severity::Error);
    let warnings = outcome.count(Severity::Warning);
    let advice = outcome.count(Severity::Advice);
    let word = if errors > 0 { "FAIL" } else { "PASS" };
    let hidden = match outcome.hidden().total() {
        0 => String::new(),
        n => format!(" ({n} of them not shown)"),
    };
    format!(
        "{word}: {errors} {}, {warnings} {}, {advice} advice{hidden}",
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
    )
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// `name:line:col: severity[code]: message`, for when graphical rendering fails.
fn plain_line(report: &InputReport, finding: &Finding) -> String {
    let (line, column) = line_column(&report.text, finding.span.start);
    format!(
        "{}:{}:{}: {}[{}]: {}",
        report.name,
        line + report.base_line - 1,
        column,
        finding.severity.as_str(),
        finding.code.id,
        finding.message
    )
}

/// Renders the outcome as the stable JSON document.
pub fn json(outcome: &Outcome, secrets: &Secrets) -> String {
    let inputs: Vec<Value> = outcome.inputs.iter().map(input_json).collect();
    let document = json!({
        "schema": JSON_SCHEMA_VERSION,
        "tool": "acr-preflight",
        "version": env!("CARGO_PKG_VERSION"),
        "command": outcome.command,
        "ok": !outcome.has_errors(),
        "counts": {
            "error": outcome.count(Severity::Error),
            "warning": outcome.count(Severity::Warning),
            "advice": outcome.count(Severity::Advice),
        },
        "not_shown": tally_json(outcome.hidden()),
        "summary": outcome.summary,
        "inputs": inputs,
    });
    let text = serde_json::to_string_pretty(&document).unwrap_or_else(|_| String::from("{}"));
    secrets.scrub(&text) + "\n"
}

fn tally_json(tally: super::Tally) -> Value {
    json!({
        "error": tally.error,
        "warning": tally.warning,
        "advice": tally.advice,
    })
}

fn input_json(report: &InputReport) -> Value {
    let findings: Vec<Value> = report
        .findings
        .iter()
        .map(|f| finding_json(report, f))
        .collect();
    let not_shown: serde_json::Map<String, Value> = report
        .not_shown
        .iter()
        .map(|(code, tally)| ((*code).to_string(), tally_json(*tally)))
        .collect();
    json!({
        "name": report.name,
        "kind": report.kind,
        "findings": findings,
        "not_shown": not_shown,
        "details": report.details,
    })
}

fn span_json(report: &InputReport, span: &std::ops::Range<usize>) -> Value {
    let (line, column) = line_column(&report.text, span.start);
    json!({
        "offset": span.start + report.base_offset,
        "length": span.end.saturating_sub(span.start),
        "line": line + report.base_line - 1,
        "column": column,
    })
}

fn finding_json(report: &InputReport, finding: &Finding) -> Value {
    let related: Vec<Value> = finding
        .related
        .iter()
        .map(|l| json!({ "label": l.text, "span": span_json(report, &l.span) }))
        .collect();
    json!({
        "code": finding.code.id,
        "severity": finding.severity.as_str(),
        "field": finding.field,
        "subject": finding.subject,
        "message": finding.message,
        "help": finding.help,
        "label": finding.label,
        "span": span_json(report, &finding.span),
        "related": related,
    })
}

/// The text a finding is shown in: the report's text, or an [`Excerpt`] of it when
/// a line around the finding is too long to show whole. Line numbers continue those of
/// the whole input, for a report that holds only a window of a large input
/// (`InputReport::base_line`), and an excerpt's lines and columns are those of the text
/// it was cut from.
struct Windowed {
    source: NamedSource<Arc<str>>,
    first_line: usize,
    excerpt: Option<Excerpt>,
}

impl Windowed {
    fn whole(report: &InputReport) -> Windowed {
        Windowed {
            source: NamedSource::new(brief(&report.name), shown_source(&report.text))
                .with_language("text"),
            first_line: report.base_line.max(1),
            excerpt: None,
        }
    }

    fn excerpt(report: &InputReport, excerpt: Excerpt) -> Windowed {
        Windowed {
            source: NamedSource::new(brief(&report.name), shown_source(&excerpt.text))
                .with_language("text"),
            first_line: report.base_line.max(1),
            excerpt: Some(excerpt),
        }
    }

    /// The finding with its spans moved into the excerpt.
    fn moved(&self, finding: &Finding) -> Finding {
        let Some(excerpt) = &self.excerpt else {
            return finding.clone();
        };
        let mut moved = finding.clone();
        moved.span = excerpt.to_excerpt(&finding.span);
        for label in &mut moved.related {
            label.span = excerpt.to_excerpt(&label.span);
        }
        moved
    }
}

/// The source text with [`visible`] stand-ins; they keep every byte offset, so spans
/// into the text stay right.
fn shown_source(text: &Arc<str>) -> Arc<str> {
    match visible(text) {
        std::borrow::Cow::Borrowed(_) => text.clone(),
        std::borrow::Cow::Owned(shown) => Arc::from(shown),
    }
}

impl SourceCode for Windowed {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self
            .source
            .read_span(span, context_lines_before, context_lines_after)?;
        if self.first_line == 1 && self.excerpt.is_none() {
            return Ok(inner);
        }
        let (line, column) = match &self.excerpt {
            Some(excerpt) => excerpt.line_column(inner.span().offset(), inner.column() != 0),
            None => (inner.line(), inner.column()),
        };
        let shifted = MietteSpanContents::new_named(
            self.source.name().to_string(),
            inner.data(),
            *inner.span(),
            line + self.first_line - 1,
            column,
            inner.line_count(),
        );
        Ok(Box::new(shifted.with_language("text")))
    }
}

/// A finding seen through miette's eyes.
struct Shown<'a> {
    finding: &'a Finding,
    source: &'a Windowed,
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Shown")
            .field("code", &self.finding.code.id)
            .finish()
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.finding.subject {
            Some(subject) => write!(f, "{}: {}", subject, self.finding.message),
            None => f.write_str(&self.finding.message),
        }
    }
}

impl std::error::Error for Shown<'_> {}

impl Diagnostic for Shown<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let field = &self.finding.field;
        Some(Box::new(format!("{} ({field})", self.finding.code.id)))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Advice => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.finding
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = LabeledSpan::new_primary_with_span(
            Some(self.finding.label.clone()),
            to_source_span(&self.finding.span),
        );
        let related = self
            .finding
            .related
            .iter()
            .map(|l| LabeledSpan::new_with_span(Some(l.text.clone()), to_source_span(&l.span)));
        Some(Box::new(std::iter::once(primary).chain(related)))
    }
}

fn to_source_span(span: &std::ops::Range<usize>) -> SourceSpan {
    SourceSpan::from((span.start, span.end.saturating_sub(span.start)))
}
