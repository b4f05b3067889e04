//! Blob property dumps: reading every format users have, and the source trigger's
//! rules. `acr-preflight blob`.
//!
//! An import pipeline's source trigger skips a blob unless its Last-Modified is within
//! 60 days, it has a valid ContentMD5, and it carries `category=acr-transfer-blob`
//! (the fourth condition, that the token can list the blob, is the SAS check's). On the
//! far side of an air gap a user has only a dump of the properties. This module reads
//! the dump ([`detect`], then one reader per format into [`model::Blob`]s), judges each
//! blob ([`rules`]), and optionally compares ContentMD5 with local files ([`hash`]).
//!
//! Formats: `az storage blob show` and `az storage blob list` JSON, PowerShell
//! projections in JSON, REST Get Blob Properties headers, REST List Blobs XML, and
//! `azcopy list` lines. A JSON listing is read as a stream, element by element
//! ([`stream`]), and List Blobs XML blob by blob when it is larger than
//! [`STREAM_XML_ABOVE`]; the other formats are read whole (up to
//! [`crate::input::MAX_INPUT_BYTES`]).

pub mod azcopy;
pub mod codes;
pub mod collect;
pub mod hash;
pub mod headers;
pub mod json_dump;
pub mod model;
pub mod rules;
pub mod stream;
pub mod values;
pub mod xml;

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use self::collect::{Collector, Digests, Window};
use self::json_dump::Record;
use self::model::Problem;
use crate::context::Context;
use crate::diag::{Finding, InputReport, Tally};
use crate::input::{self, Origin, ReadError};
use crate::secret::Secrets;

/// How to run the blob check.
#[derive(Debug, Clone, Default)]
pub struct BlobOptions {
    /// A local file whose MD5 is compared with the ContentMD5 of a one-blob dump.
    pub content: Option<PathBuf>,
    /// A folder whose files are matched to a listing's blobs by name (path relative to
    /// the folder, `/`-separated) and their MD5 compared.
    pub content_dir: Option<PathBuf>,
    /// The dump format; detected from the content when `None`.
    pub format: Option<DumpFormat>,
    /// Draw a progress bar on standard error while hashing.
    pub progress: bool,
}

/// The dump formats this check reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum DumpFormat {
    /// `az storage blob show` JSON: one blob.
    AzShow,
    /// `az storage blob list` JSON: an array of blobs.
    AzList,
    /// A PowerShell projection of `Get-AzStorageBlob` through `ConvertTo-Json`.
    Powershell,
    /// REST Get Blob Properties response headers (`curl -I`, `curl -D -`).
    Headers,
    /// REST List Blobs XML body.
    ListBlobsXml,
    /// `azcopy list` output (with `--properties` for ContentMD5 and dates).
    Azcopy,
}

impl DumpFormat {
    /// The `kind` of the input reports.
    pub fn kind(self) -> &'static str {
        match self {
            DumpFormat::AzShow => "az-blob-show",
            DumpFormat::AzList => "az-blob-list",
            DumpFormat::Powershell => "powershell-blob",
            DumpFormat::Headers => "blob-headers",
            DumpFormat::ListBlobsXml => "list-blobs-xml",
            DumpFormat::Azcopy => "azcopy-list",
        }
    }

    /// What the format is, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            DumpFormat::AzShow => "`az storage blob show` JSON",
            DumpFormat::AzList => "`az storage blob list` JSON",
            DumpFormat::Powershell => "a PowerShell ConvertTo-Json projection",
            DumpFormat::Headers => "Get Blob Properties response headers",
            DumpFormat::ListBlobsXml => "List Blobs XML",
            DumpFormat::Azcopy => "`azcopy list` output",
        }
    }

    /// How to make a dump of this kind that shows `what`.
    fn how_to_capture(self, what: &str) -> String {
        match (self, what) {
            (DumpFormat::Azcopy, "metadata") => String::from(
                "AzCopy cannot list metadata; dump the blobs with `az storage blob list \
                    --include m` or `az storage blob show`",
            ),
            (DumpFormat::Azcopy, _) => String::from(
                "list again with `azcopy list --properties \
                    \"ContentMD5;LastModifiedTime\"` (AzCopy 10.18 or later)",
            ),
            (DumpFormat::AzList, "metadata") => String::from(
                "list again with `az storage blob list --include m`: without it the CLI \
                    prints empty metadata for every blob",
            ),
            (DumpFormat::ListBlobsXml, "metadata") => String::from(
                "request the listing with `include=metadata` \
                    (`?restype=container&comp=list&include=metadata`)",
            ),
            (DumpFormat::Headers, _) => format!(
                "keep every response header in the dump (`curl -sI` on the blob URL prints \
                    them all, {what} included)"
            ),
            (DumpFormat::Powershell, _) => {
                format!("add {what} to the projection piped to ConvertTo-Json")
            }
            _ => format!("make the dump again with the blob's {what}"),
        }
    }
}

/// Whether the source trigger will pick a blob up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Trigger {
    /// Every condition the dump shows holds.
    #[serde(rename = "ready")]
    Fires,
    /// A condition fails.
    #[serde(rename = "not-ready")]
    WillNotFire,
    /// Nothing fails, but the dump does not show everything.
    #[serde(rename = "unknown")]
    Unknown,
}

/// The verdict on one blob.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BlobVerdict {
    /// The blob's name (empty when the dump does not name it).
    pub name: String,
    /// Whether the source trigger will fire for it.
    pub trigger: Trigger,
    /// Codes of the findings that stop it, then of what the dump could not show.
    pub reasons: Vec<&'static str>,
}

/// What checking one dump gave.
#[derive(Debug, Clone, Default)]
pub struct BlobCheck {
    /// Reports to render: one per window of text holding findings (the whole input for
    /// formats read whole, one element per failing blob for a streamed listing). The
    /// first carries the dump's counts in `details`.
    pub reports: Vec<InputReport>,
    /// One verdict per blob, in dump order.
    pub blobs: Vec<BlobVerdict>,
    /// SAS signatures found in the dump (in copy source URLs), already masked in the
    /// reports' text; the renderer scrubs them from the output too.
    pub secrets: Secrets,
    /// Findings of blobs past the display cap: counted, not kept.
    pub not_shown: Tally,
}

/// Where a dump comes from.
#[derive(Debug, Clone, Copy)]
pub enum DumpSource<'a> {
    /// A file, read as a stream where the format allows.
    Path(&'a Path),
    /// Bytes already in memory.
    Bytes(&'a [u8]),
    /// Standard input, read as a stream like a file.
    Stdin,
}

/// Guesses the format from the start of a dump (a few KiB are plenty).
pub fn detect(text_prefix: &str) -> Option<DumpFormat> {
    let text = text_prefix.trim_start_matches('\u{feff}').trim_start();
    let json_kind = |single: DumpFormat| {
        let powershell = text.contains("\"Name\"") && !text.contains("\"properties\"");
        if powershell {
            DumpFormat::Powershell
        } else {
            single
        }
    };
    match text.chars().next()? {
        '<' => Some(DumpFormat::ListBlobsXml),
        '[' => Some(json_kind(DumpFormat::AzList)),
        '{' => Some(json_kind(DumpFormat::AzShow)),
        _ if text.starts_with("HTTP/") => Some(DumpFormat::Headers),
        _ if text.lines().any(|l| l.contains(";  Content Length: ")) => Some(DumpFormat::Azcopy),
        _ if headers::looks_like_header_dump(text) => Some(DumpFormat::Headers),
        _ => None,
    }
}

/// The MD5 of a local file and the path to show for it.
pub type LocalDigest = ([u8; 16], String);

/// Hashes the local files named by `--content` / `--content-dir`.
pub fn digests(options: &BlobOptions) -> Result<(Digests, Option<LocalDigest>), ReadError> {
    let mut by_name = Digests::new();
    if let Some(dir) = &options.content_dir {
        let files = hash::files_under(dir).map_err(|e| ReadError {
            origin: Origin::File(dir.display().to_string()),
            message: e.to_string(),
        })?;
        let paths: Vec<PathBuf> = files.values().cloned().collect();
        let hashed = hash::md5_files(&paths, options.progress);
        for ((name, path), result) in files.into_iter().zip(hashed) {
            let digest = result.map_err(|message| ReadError {
                origin: Origin::File(path.display().to_string()),
                message,
            })?;
            by_name.insert(name, (digest, path.display().to_string()));
        }
    }
    let single = match &options.content {
        Some(path) => {
            let hashed = hash::md5_files(std::slice::from_ref(path), options.progress);
            let digest = hashed
                .into_iter()
                .next()
                .unwrap_or_else(|| Err(String::from("not hashed")));
            let digest = digest.map_err(|message| ReadError {
                origin: Origin::File(path.display().to_string()),
                message,
            })?;
            Some((digest, path.display().to_string()))
        }
        None => None,
    };
    Ok((by_name, single))
}

/// Checks one dump: hashes any `--content` files, reads the dump, judges every blob.
pub fn check_file(
    name: &str,
    source: DumpSource<'_>,
    options: &BlobOptions,
    ctx: &Context,
) -> Result<BlobCheck, ReadError> {
    let (by_name, single) = digests(options)?;
    check_file_with(name, source, options.format, &by_name, single.as_ref(), ctx)
}

/// Checks one dump against digests already computed (see [`digests`]), so several
/// dumps can share one hashing of a folder.
pub fn check_file_with(
    name: &str,
    source: DumpSource<'_>,
    format: Option<DumpFormat>,
    by_name: &Digests,
    single: Option<&LocalDigest>,
    ctx: &Context,
) -> Result<BlobCheck, ReadError> {
    let origin = match source {
        DumpSource::Path(path) => Origin::File(path.display().to_string()),
        DumpSource::Bytes(_) | DumpSource::Stdin => Origin::Stdin,
    };
    let fail = |message: String| ReadError {
        origin: origin.clone(),
        message,
    };
    let mut reader = open(source).map_err(fail)?;
    let prefix = reader.fill_buf().map_err(|e| fail(e.to_string()))?.to_vec();
    let prefix_text = input::decode(&prefix[..prefix.len().min(8192)]).text;
    let format = format.or_else(|| detect(&prefix_text));
    // UTF-16 is converted whole by `input::decode`; UTF-8 arrays are streamed.
    let utf16 = prefix.starts_with(&[0xFF, 0xFE]) || prefix.starts_with(&[0xFE, 0xFF]);
    let is_array = prefix_text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('[');
    let mut collector;
    match format {
        Some(f @ (DumpFormat::AzList | DumpFormat::Powershell | DumpFormat::AzShow))
            if is_array && !utf16 =>
        {
            if prefix.starts_with(&[0xEF, 0xBB, 0xBF]) {
                reader.consume(3);
            }
            collector = Collector::new(name, f, ctx, by_name, single);
            json_listing(&mut collector, reader);
        }
        Some(DumpFormat::ListBlobsXml) if !utf16 && large(source) => {
            if prefix.starts_with(&[0xEF, 0xBB, 0xBF]) {
                reader.consume(3);
            }
            collector = Collector::new(name, DumpFormat::ListBlobsXml, ctx, by_name, single);
            xml_listing(&mut collector, reader);
        }
        _ => {
            let bytes = read_whole(reader).map_err(fail)?;
            collector = Collector::new(
                name,
                format.unwrap_or(DumpFormat::AzShow),
                ctx,
                by_name,
                single,
            );
            let text = collector.masked(input::decode(&bytes).text);
            match format {
                Some(format) if !text.trim().is_empty() => {
                    whole(&mut collector, format, name, text);
                }
                _ => unknown_format(&mut collector, &text),
            }
        }
    }
    let finished = collector.finish();
    Ok(BlobCheck {
        reports: finished.reports,
        blobs: finished.verdicts,
        secrets: finished.secrets,
        not_shown: finished.not_shown,
    })
}

/// Past this size List Blobs XML is read blob by blob instead of whole: a page holds at
/// most 5,000 blobs, so only many pages in one file come near it. Read whole, a dump
/// keeps columns of one-line XML exact; read blob by blob, columns on a blob's first
/// line count from the line's start only when it is within a few hundred bytes.
pub const STREAM_XML_ABOVE: u64 = 64 * 1024 * 1024;

fn large(source: DumpSource<'_>) -> bool {
    match source {
        DumpSource::Path(path) => std::fs::metadata(path).is_ok_and(|m| m.len() > STREAM_XML_ABOVE),
        DumpSource::Bytes(_) | DumpSource::Stdin => false,
    }
}

/// A buffered reader over the dump, refusing a directory.
fn open(source: DumpSource<'_>) -> Result<BufReader<Box<dyn Read + '_>>, String> {
    const CAPACITY: usize = 256 * 1024;
    match source {
        DumpSource::Path(path) => {
            let file = input::open_file(path).map_err(|e| e.message)?;
            Ok(BufReader::with_capacity(CAPACITY, Box::new(file)))
        }
        DumpSource::Bytes(bytes) => Ok(BufReader::with_capacity(CAPACITY, Box::new(bytes))),
        DumpSource::Stdin => Ok(BufReader::with_capacity(
            CAPACITY,
            Box::new(std::io::stdin().lock()),
        )),
    }
}

/// The rest of the dump, up to [`input::MAX_INPUT_BYTES`].
fn read_whole(reader: impl Read) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    reader
        .take(input::MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > input::MAX_INPUT_BYTES {
        return Err(format!(
            "larger than {} MiB",
            input::MAX_INPUT_BYTES / (1024 * 1024)
        ));
    }
    Ok(bytes)
}

fn unknown_format(collector: &mut Collector<'_>, text: &Arc<str>) {
    let end = text.find('\n').unwrap_or(text.len());
    let message = if text.trim().is_empty() {
        "the input is empty"
    } else {
        "this is not a blob property dump this tool reads"
    };
    let finding = Finding::new(codes::DUMP_FORMAT_UNKNOWN, "input", 0..end)
        .message(message)
        .help(
            "give `az storage blob show`/`list` JSON, Get Blob Properties headers, List \
            Blobs XML or `azcopy list` output, or name the format with --input-format",
        );
    collector.input_finding(&Window::whole(text.clone()), finding);
}

/// Reads a format held whole in memory.
fn whole(collector: &mut Collector<'_>, format: DumpFormat, name: &str, text: Arc<str>) {
    let window = Window::whole(text.clone());
    let dump = match format {
        DumpFormat::Headers => headers::header_dump(&text, name),
        DumpFormat::ListBlobsXml => xml::list_blobs(&text),
        DumpFormat::Azcopy => azcopy::azcopy_listing(&text),
        DumpFormat::AzShow | DumpFormat::AzList | DumpFormat::Powershell => {
            return json_single(collector, &window);
        }
    };
    for problem in dump.problems {
        collector.problem(&window, problem);
    }
    for blob in &dump.blobs {
        collector.blob(blob, &window);
    }
}

/// A JSON dump of one blob (an object), or a JSON array that could not be streamed.
fn json_single(collector: &mut Collector<'_>, window: &Window) {
    let node = match crate::json::parse(&window.text) {
        Ok(node) => node,
        Err(e) => {
            return collector.problem(
                window,
                Problem {
                    span: e.span,
                    message: e.message,
                },
            );
        }
    };
    let records: Vec<&crate::json::Node> = match node.as_array() {
        Some(items) => items.iter().collect(),
        None => vec![&node],
    };
    let listed = node.as_array().is_some();
    for record in records {
        element(collector, record, listed, window);
    }
}

fn element(collector: &mut Collector<'_>, node: &crate::json::Node, listed: bool, window: &Window) {
    match json_dump::record(node, listed) {
        Record::Blob(blob) => collector.blob(&blob, window),
        Record::Skip => {}
        Record::NotARecord => collector.problem(
            window,
            Problem {
                span: node.span.clone(),
                message: format!(
                    "expected a blob record (an object), found {}",
                    node.type_name()
                ),
            },
        ),
    }
}

/// List Blobs XML read blob by blob, each blob's window its `<Blob>` element.
fn xml_listing(collector: &mut Collector<'_>, reader: impl BufRead) {
    xml::walk(reader, &mut |found, tape| match found {
        xml::Found::Blob(mut blob) => {
            let (bytes, offset, line) = tape.cut(blob.record_span.clone());
            let text = collector.masked(model::same_length_text(bytes));
            blob.rebase(offset);
            let window = Window { text, offset, line };
            collector.blob(&blob, &window);
        }
        xml::Found::Problem(problem) => {
            let (bytes, offset, line) = tape.all();
            let text = collector.masked(model::same_length_text(bytes));
            let span = model::char_at(&text, problem.span.start.saturating_sub(offset));
            let window = Window { text, offset, line };
            let problem = Problem {
                span,
                message: problem.message,
            };
            collector.problem(&window, problem);
        }
    });
}

/// A JSON array read element by element.
fn json_listing(collector: &mut Collector<'_>, reader: impl BufRead) {
    let mut elements = stream::ArrayElements::new(reader, 0, 1);
    while let Some(next) = elements.next_element() {
        match next {
            Ok(e) => {
                // Cut from the middle of the input: no byte-order mark to look for,
                // and one byte of text per byte, so offsets stay those of the input.
                let text = collector.masked(model::same_length_text(&e.bytes));
                let window = Window {
                    text,
                    offset: e.offset,
                    line: e.line,
                };
                match crate::json::parse(&window.text) {
                    Ok(node) => element(collector, &node, true, &window),
                    Err(err) => collector.problem(
                        &window,
                        Problem {
                            span: err.span,
                            message: err.message,
                        },
                    ),
                }
            }
            Err(e) => {
                let text = collector.masked(model::same_length_text(&e.window));
                let span = model::char_at(&text, e.at);
                let window = Window {
                    text,
                    offset: e.offset,
                    line: e.line,
                };
                collector.problem(
                    &window,
                    Problem {
                        span,
                        message: e.message,
                    },
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::BufReader;
    use std::sync::Arc;

    use chrono::{TimeZone, Utc};

    use super::collect::{Collector, Digests};
    use super::{DumpFormat, whole, xml_listing};
    use crate::context::Context;

    /// Every finding as (code, text at its span, line of its span in the whole input).
    fn located(reports: &[crate::diag::InputReport]) -> Vec<(String, String, usize)> {
        let mut all: Vec<(String, String, usize)> = reports
            .iter()
            .flat_map(|r| {
                r.findings.iter().map(move |f| {
                    let (line, _) = crate::diag::line_column(&r.text, f.span.start);
                    let text = r.text[f.span.clone()].to_string();
                    (f.code.id.to_string(), text, line + r.base_line - 1)
                })
            })
            .collect();
        all.sort();
        all
    }

    #[test]
    fn xml_read_blob_by_blob_finds_what_the_whole_read_finds() {
        let ctx = Context::pinned(Utc.with_ymd_and_hms(2026, 3, 10, 0, 0, 0).unwrap());
        let digests = Digests::new();
        for path in ["samples/list-blobs.xml", "real/list-blobs.xml"] {
            let file = format!("{}/tests/corpus/{path}", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(file).unwrap();
            let mut whole_read =
                Collector::new(path, DumpFormat::ListBlobsXml, &ctx, &digests, None);
            let arc: Arc<str> = Arc::from(text.as_str());
            whole(&mut whole_read, DumpFormat::ListBlobsXml, path, arc);
            let crate::blob::collect::Finished {
                reports, verdicts, ..
            } = whole_read.finish();
            for capacity in [7, 64, 4096] {
                let mut streamed =
                    Collector::new(path, DumpFormat::ListBlobsXml, &ctx, &digests, None);
                xml_listing(
                    &mut streamed,
                    BufReader::with_capacity(capacity, text.as_bytes()),
                );
                let crate::blob::collect::Finished {
                    reports: stream_reports,
                    verdicts: stream_verdicts,
                    ..
                } = streamed.finish();
                assert_eq!(stream_verdicts, verdicts, "{path} {capacity}");
                assert_eq!(
                    located(&stream_reports),
                    located(&reports),
                    "{path} {capacity}"
                );
                for report in &stream_reports {
                    let end = report.base_offset + report.text.len();
                    assert_eq!(&text[report.base_offset..end], &*report.text);
                }
            }
        }
    }

    #[test]
    fn xml_read_blob_by_blob_reports_broken_xml() {
        let ctx = Context::pinned(Utc.with_ymd_and_hms(2026, 3, 10, 0, 0, 0).unwrap());
        let digests = Digests::new();
        let text =
            "<EnumerationResults><Blobs><Blob><Name>a</Name></Blob>\n<Blob><Name>b</Nme></Blob>";
        let mut streamed = Collector::new("x", DumpFormat::ListBlobsXml, &ctx, &digests, None);
        xml_listing(&mut streamed, BufReader::with_capacity(5, text.as_bytes()));
        let crate::blob::collect::Finished {
            reports, verdicts, ..
        } = streamed.finish();
        assert_eq!(verdicts.len(), 1);
        let codes: Vec<&str> = reports
            .iter()
            .flat_map(|r| r.findings.iter().map(|f| f.code.id))
            .collect();
        assert!(codes.contains(&"dump-unreadable"), "{codes:?}");
    }
}
