//! Gathering the verdicts of a whole dump, blob by blob, with bounded memory.
//!
//! Readers hand over each [`Blob`] with the window of text its spans point into (the
//! whole text for small formats, one element for a streamed listing). Only failing
//! blobs keep their window, and only the first [`MAX_SHOWN_BLOBS`] of them; every blob
//! keeps a small [`BlobVerdict`]. Two things are known only at the end: whether a
//! listing was made with metadata (one record with metadata proves it), and how many
//! blobs share a gap of the dump format; [`Collector::finish`] settles both.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use serde_json::json;

use super::model::{Blob, MetaSource, Problem};
use super::rules;
use super::{BlobVerdict, DumpFormat, Trigger, codes};
use crate::context::Context;
use crate::diag::{Code, Finding, InputReport, Severity, Tally};
use crate::secret::Secrets;

/// Failing blobs whose findings are kept for rendering; the rest are only counted.
pub const MAX_SHOWN_BLOBS: usize = 1000;

/// A piece of the input text and where it sits in the whole.
#[derive(Debug, Clone)]
pub struct Window {
    /// The text.
    pub text: Arc<str>,
    /// Byte offset of `text` in the whole input.
    pub offset: usize,
    /// 1-based line of `text`'s first line.
    pub line: usize,
}

impl Window {
    /// The whole input.
    pub fn whole(text: Arc<str>) -> Window {
        Window {
            text,
            offset: 0,
            line: 1,
        }
    }
}

/// A failing blob's findings, waiting for the end of the dump.
struct Kept {
    window: Window,
    findings: Vec<Finding>,
    /// The category finding, if the listing turns out to carry metadata.
    pending: Option<Finding>,
}

/// The first blob with a gap, to point at, and how many share it.
struct Gap {
    window: Window,
    span: Range<usize>,
    count: usize,
}

/// MD5s of local files, by blob name, with the path to show.
pub type Digests = BTreeMap<String, ([u8; 16], String)>;

/// What a [`Collector`] hands back at the end of a dump.
pub struct Finished {
    /// Reports to render.
    pub reports: Vec<InputReport>,
    /// One verdict per blob.
    pub verdicts: Vec<BlobVerdict>,
    /// Signatures seen.
    pub secrets: Secrets,
    /// Findings of blobs past [`MAX_SHOWN_BLOBS`], counted but not kept.
    pub not_shown: Tally,
}

/// Collects the findings and verdicts of one dump.
pub struct Collector<'a> {
    name: String,
    format: DumpFormat,
    ctx: &'a Context,
    digests: &'a Digests,
    /// A digest to compare with every blob (`--content`).
    single: Option<&'a ([u8; 16], String)>,
    kept: Vec<Kept>,
    /// Blobs whose only possible finding is the deferred category one.
    kept_deferred: Vec<Kept>,
    verdicts: Vec<BlobVerdict>,
    /// Verdicts whose metadata was an empty listing record.
    deferred: Vec<usize>,
    first_deferred: Option<(Window, Range<usize>)>,
    evidence: bool,
    gaps: BTreeMap<&'static str, (Code, Gap)>,
    problems: Vec<(Window, Finding)>,
    /// Blobs with findings beyond [`MAX_SHOWN_BLOBS`].
    omitted: usize,
    /// Blobs beyond [`MAX_SHOWN_BLOBS`] whose only finding may be the deferred one.
    omitted_deferred: usize,
    /// Findings of the blobs beyond [`MAX_SHOWN_BLOBS`], counted but not kept.
    omitted_findings: Tally,
    compared: usize,
    secrets: Secrets,
}

impl<'a> Collector<'a> {
    /// Starts collecting for the input `name` read as `format`.
    pub fn new(
        name: &str,
        format: DumpFormat,
        ctx: &'a Context,
        digests: &'a Digests,
        single: Option<&'a ([u8; 16], String)>,
    ) -> Self {
        Collector {
            name: name.to_string(),
            format,
            ctx,
            digests,
            single,
            kept: Vec::new(),
            kept_deferred: Vec::new(),
            verdicts: Vec::new(),
            deferred: Vec::new(),
            first_deferred: None,
            evidence: false,
            gaps: BTreeMap::new(),
            problems: Vec::new(),
            omitted: 0,
            omitted_deferred: 0,
            omitted_findings: Tally::default(),
            compared: 0,
            secrets: Secrets::new(),
        }
    }

    /// A window's text with any secret masked (see [`crate::secret::find`]): a copy
    /// source URL or a blob name may carry a SAS token.
    pub fn masked(&mut self, text: String) -> Arc<str> {
        Arc::from(crate::secret::mask_found(text, &mut self.secrets))
    }

    /// Adds a problem of the reader (broken syntax) as a finding.
    pub fn problem(&mut self, window: &Window, problem: Problem) {
        let finding = Finding::new(codes::DUMP_UNREADABLE, "input", problem.span)
            .message(problem.message)
            .help(format!(
                "the input was read as {}; fix the text, or name the format with --input-format",
                self.format.describe()
            ));
        self.problems.push((window.clone(), finding));
    }

    /// Adds a finding about the whole input.
    pub fn input_finding(&mut self, window: &Window, finding: Finding) {
        self.problems.push((window.clone(), finding));
    }

    /// Judges one blob whose spans point into `window`.
    pub fn blob(&mut self, blob: &Blob, window: &Window) {
        let mut judged = rules::judge(blob, self.ctx);
        let digest = self.single.or_else(|| self.digests.get(&blob.name));
        if let Some((digest, path)) = digest {
            self.compared += 1;
            judged
                .findings
                .extend(rules::content_mismatch(blob, digest, path));
        }
        let deferred = matches!(blob.metadata.source, MetaSource::Listed { .. })
            && blob.metadata.entries.is_empty();
        if blob.metadata.source == (MetaSource::Listed { evidence: true }) {
            self.evidence = true;
        }
        for code in &judged.gaps {
            self.gap(*code, window, blob.name_span.clone());
        }
        let mut reasons: Vec<&'static str> = judged
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| f.code.id)
            .collect();
        reasons.dedup();
        let blocked = !reasons.is_empty();
        reasons.extend(judged.gaps.iter().map(|c| c.id));
        let trigger = if blocked {
            Trigger::WillNotFire
        } else if judged.gaps.is_empty() {
            Trigger::Fires
        } else {
            Trigger::Unknown
        };
        if deferred {
            self.deferred.push(self.verdicts.len());
            if self.first_deferred.is_none() {
                self.first_deferred = Some((window.clone(), blob.metadata.span.clone()));
            }
        }
        self.verdicts.push(BlobVerdict {
            name: blob.name.clone(),
            trigger,
            reasons,
        });
        let kept = Kept {
            window: window.clone(),
            findings: judged.findings,
            pending: deferred.then(|| rules::category_missing(blob)),
        };
        let (list, omitted) = if !kept.findings.is_empty() {
            (&mut self.kept, &mut self.omitted)
        } else if deferred {
            (&mut self.kept_deferred, &mut self.omitted_deferred)
        } else {
            return;
        };
        if list.len() < MAX_SHOWN_BLOBS {
            list.push(kept);
        } else {
            *omitted += 1;
            // A deferred blob's one finding is settled (and counted) at the end.
            for finding in &kept.findings {
                self.omitted_findings.add(finding.severity);
            }
        }
    }

    fn gap(&mut self, code: Code, window: &Window, span: Range<usize>) {
        self.gaps
            .entry(code.id)
            .or_insert_with(|| {
                (
                    code,
                    Gap {
                        window: window.clone(),
                        span,
                        count: 0,
                    },
                )
            })
            .1
            .count += 1;
    }

    /// Settles what waited for the end of the dump and builds the reports.
    pub fn finish(mut self) -> Finished {
        self.settle_metadata();
        let mut pieces: Vec<(Window, Vec<Finding>)> = Vec::new();
        for (window, finding) in std::mem::take(&mut self.problems) {
            pieces.push((window, vec![finding]));
        }
        for (code, gap) in std::mem::take(&mut self.gaps).into_values() {
            pieces.push((gap.window.clone(), vec![self.gap_finding(code, &gap)]));
        }
        let mut shown = std::mem::take(&mut self.kept);
        if self.evidence {
            // Blobs with no metadata in a listing that shows metadata fail too.
            shown.append(&mut self.kept_deferred);
            shown.sort_by_key(|k| k.window.offset);
            let extra = shown.len().saturating_sub(MAX_SHOWN_BLOBS);
            for dropped in shown.drain(shown.len().min(MAX_SHOWN_BLOBS)..) {
                let pending = dropped.pending.iter();
                for finding in dropped.findings.iter().chain(pending) {
                    self.omitted_findings.add(finding.severity);
                }
            }
            self.omitted += extra + self.omitted_deferred;
            // Each deferred blob past the cap has the one category finding.
            for _ in 0..self.omitted_deferred {
                self.omitted_findings.add(codes::CATEGORY_MISSING.severity);
            }
        }
        for kept in shown {
            let mut findings = kept.findings;
            if self.evidence {
                findings.extend(kept.pending);
            }
            pieces.push((kept.window, findings));
        }
        let mut reports = self.merge(pieces);
        let details = self.details();
        match reports.first_mut() {
            Some(first) => first.details = details,
            None => {
                let mut report =
                    InputReport::new(self.name.clone(), self.format.kind(), Arc::from(""));
                report.details = details;
                reports.push(report);
            }
        }
        Finished {
            reports,
            verdicts: self.verdicts,
            secrets: self.secrets,
            not_shown: self.omitted_findings,
        }
    }

    /// Empty listing records mean "no metadata" if the listing shows metadata
    /// anywhere, and "not captured" if it shows none at all.
    fn settle_metadata(&mut self) {
        for &index in &self.deferred {
            let Some(verdict) = self.verdicts.get_mut(index) else {
                continue;
            };
            if self.evidence {
                verdict.reasons.insert(0, codes::CATEGORY_MISSING.id);
                verdict.trigger = Trigger::WillNotFire;
            } else {
                verdict.reasons.push(codes::METADATA_NOT_CAPTURED.id);
                if verdict.trigger == Trigger::Fires {
                    verdict.trigger = Trigger::Unknown;
                }
            }
        }
        if !self.evidence {
            if let Some((window, span)) = self.first_deferred.take() {
                let code = codes::METADATA_NOT_CAPTURED;
                let count = self.deferred.len();
                self.gaps.insert(
                    code.id,
                    (
                        code,
                        Gap {
                            window,
                            span,
                            count,
                        },
                    ),
                );
            }
        }
    }

    fn gap_finding(&self, code: Code, gap: &Gap) -> Finding {
        let others = gap.count.saturating_sub(1);
        let (field, what) = match code.id {
            "content-md5-not-captured" => (rules::field::CONTENT_MD5, "ContentMD5"),
            "last-modified-not-captured" => (rules::field::LAST_MODIFIED, "Last-Modified"),
            _ => (rules::field::CATEGORY, "metadata"),
        };
        let blobs = if gap.count == 1 {
            String::from("1 blob")
        } else {
            format!("{} blobs", gap.count)
        };
        let label = if others == 0 {
            String::from("this blob")
        } else {
            format!("this blob and {others} more")
        };
        Finding::new(code, field, gap.span.clone())
            .message(format!(
                "the dump does not show {what} ({blobs}), so it cannot tell \
                whether the source trigger will fire"
            ))
            .label(label)
            .help(self.format.how_to_capture(what))
    }

    /// Joins pieces that share a window into one report each.
    fn merge(&self, pieces: Vec<(Window, Vec<Finding>)>) -> Vec<InputReport> {
        let mut reports: Vec<InputReport> = Vec::new();
        for (window, findings) in pieces {
            let same = reports
                .iter_mut()
                .find(|r| Arc::ptr_eq(&r.text, &window.text) && r.base_offset == window.offset);
            match same {
                Some(report) => report.findings.extend(findings),
                None => {
                    let mut report =
                        InputReport::new(self.name.clone(), self.format.kind(), window.text);
                    report.base_offset = window.offset;
                    report.base_line = window.line;
                    report.findings = findings;
                    reports.push(report);
                }
            }
        }
        for report in &mut reports {
            report.findings.sort_by_key(|f| f.span.start);
        }
        reports
    }

    fn details(&self) -> serde_json::Value {
        let count = |t: Trigger| self.verdicts.iter().filter(|v| v.trigger == t).count();
        let mut by_reason: BTreeMap<&str, usize> = BTreeMap::new();
        for verdict in &self.verdicts {
            for reason in &verdict.reasons {
                *by_reason.entry(reason).or_default() += 1;
            }
        }
        let mut details = json!({
            "format": self.format.kind(),
            "blobs": self.verdicts.len(),
            "ready": count(Trigger::Fires),
            "notReady": count(Trigger::WillNotFire),
            "unknown": count(Trigger::Unknown),
            "byReason": by_reason,
            "omittedBlobs": self.omitted,
            "omittedFindings": {
                "error": self.omitted_findings.error,
                "warning": self.omitted_findings.warning,
                "advice": self.omitted_findings.advice,
            },
            "contentCompared": self.compared,
        });
        if self.verdicts.len() <= MAX_SHOWN_BLOBS {
            details["verdicts"] = json!(self.verdicts);
        }
        details
    }
}
