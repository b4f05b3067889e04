//! Showing a finding in a very long line: a few dozen characters around each end of
//! each of its labels, with `…` for what is left out.
//!
//! A token or a dump can be one line of megabytes. miette draws every source line it
//! shows in full, with its labels underlined, so the output grew with the line (five
//! bytes of output per byte of input) and a label more than 65,535 columns in made it
//! panic (a formatting width past `u16::MAX`). [`cut`] builds, for one finding, a
//! short text from the lines miette would show (the labels' lines and one line of
//! context each side), each line longer than [`MAX_LINE`] bytes cut down to windows
//! around the labels' ends, and keeps where every piece came from, so spans move into
//! the excerpt and line and column numbers stay those of the whole text. Lines are
//! never dropped, only shortened.

use std::ops::Range;
use std::sync::Arc;

use crate::diag::Finding;

/// Longest line shown whole, in bytes.
pub(super) const MAX_LINE: usize = 400;

/// Bytes kept on each side of a label's start and end in a cut line.
const CONTEXT: usize = 40;

/// What stands for the text left out of a cut line.
const ELLIPSIS: &str = "…";

/// A short text cut from a longer one, for one finding.
#[derive(Debug, Clone)]
pub(super) struct Excerpt {
    /// The text shown.
    pub(super) text: Arc<str>,
    /// The text it was cut from.
    original: Arc<str>,
    /// Where the pieces of `text` came from, in order.
    pieces: Vec<Piece>,
}

/// A run of `text` copied from `original`.
#[derive(Debug, Clone)]
struct Piece {
    /// Its range in the original text.
    from: Range<usize>,
    /// Its offset in the excerpt.
    at: usize,
}

/// The excerpt to show `finding` in, or `None` when every line it would show is at
/// most [`MAX_LINE`] bytes long.
pub(super) fn cut(text: &Arc<str>, finding: &Finding) -> Option<Excerpt> {
    let mut points: Vec<usize> = std::iter::once(&finding.span)
        .chain(finding.related.iter().map(|l| &l.span))
        .flat_map(|s| [s.start, s.end])
        .map(|p| floor_boundary(text, p))
        .collect();
    points.sort_unstable();
    points.dedup();
    let (first, last) = (*points.first()?, *points.last()?);
    let lines = shown_lines(text, first, last);
    if lines.iter().all(|l| l.len() <= MAX_LINE) {
        return None;
    }
    Some(build(text, &lines, &points))
}

/// The lines holding `first` to `last`, with one line of context each side, without
/// their line endings.
fn shown_lines(text: &str, first: usize, last: usize) -> Vec<Range<usize>> {
    let start_of = |at: usize| {
        text.get(..at)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |i| i + 1)
    };
    let end_of = |at: usize| {
        text.get(at..)
            .and_then(|t| t.find('\n'))
            .map_or(text.len(), |i| at + i)
    };
    let from = start_of(start_of(first).saturating_sub(1));
    let to = end_of((end_of(last) + 1).min(text.len()));
    let mut lines = Vec::new();
    let mut at = from;
    loop {
        let end = end_of(at);
        lines.push(at..end);
        if end >= to {
            break;
        }
        at = end + 1;
    }
    lines
}

fn build(text: &str, lines: &[Range<usize>], points: &[usize]) -> Excerpt {
    let mut out = String::new();
    let mut pieces = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if index > 0 {
            push(text, &mut out, &mut pieces, line.start - 1..line.start);
        }
        let windows = if line.len() <= MAX_LINE {
            vec![line.clone()]
        } else {
            windows(text, line, points)
        };
        let mut shown_to = line.start;
        for window in windows {
            if window.start > shown_to {
                out.push_str(ELLIPSIS);
            }
            push(text, &mut out, &mut pieces, window.clone());
            shown_to = window.end;
        }
        if shown_to < line.end {
            out.push_str(ELLIPSIS);
        }
    }
    Excerpt {
        text: Arc::from(out),
        original: Arc::from(text),
        pieces,
    }
}

fn push(text: &str, out: &mut String, pieces: &mut Vec<Piece>, from: Range<usize>) {
    pieces.push(Piece {
        from: from.clone(),
        at: out.len(),
    });
    out.push_str(text.get(from).unwrap_or_default());
}

/// Ranges of a long line to keep: [`CONTEXT`] bytes around each point on it (or the
/// line's start when none is), on character boundaries, merged where they touch.
fn windows(text: &str, line: &Range<usize>, points: &[usize]) -> Vec<Range<usize>> {
    let on_line: Vec<usize> = points
        .iter()
        .copied()
        .filter(|p| line.contains(p) || *p == line.end)
        .collect();
    let centres = if on_line.is_empty() {
        vec![line.start]
    } else {
        on_line
    };
    let mut merged: Vec<Range<usize>> = Vec::new();
    for centre in centres {
        let start = floor_boundary(text, centre.saturating_sub(CONTEXT).max(line.start));
        let end = ceil_boundary(text, (centre + CONTEXT).min(line.end));
        match merged.last_mut() {
            Some(last) if start <= last.end + ELLIPSIS.len() => last.end = last.end.max(end),
            _ => merged.push(start..end),
        }
    }
    merged
}

fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

impl Excerpt {
    /// A span of the original text moved into the excerpt. Every end of every label
    /// of the finding the excerpt was cut for is in a piece.
    pub(super) fn to_excerpt(&self, span: &Range<usize>) -> Range<usize> {
        let start = self.point(span.start);
        let end = self.point(span.end).max(start);
        start..end
    }

    fn point(&self, at: usize) -> usize {
        self.pieces
            .iter()
            .find(|p| p.from.start <= at && at <= p.from.end)
            .map_or(self.text.len(), |p| p.at + (at - p.from.start))
    }

    /// The 0-based line and byte column (as miette counts them) in the original text
    /// of `at`, an offset in the excerpt; the column only when `with_column`.
    pub(super) fn line_column(&self, at: usize, with_column: bool) -> (usize, usize) {
        let original = self
            .pieces
            .iter()
            .find(|p| at <= p.at + p.from.len())
            .map_or(self.original.len(), |p| {
                p.from.start + at.saturating_sub(p.at).min(p.from.len())
            });
        let before = self.original.get(..original).unwrap_or_default();
        let line = before.bytes().filter(|&b| b == b'\n').count();
        let column = if with_column {
            original - before.rfind('\n').map_or(0, |i| i + 1)
        } else {
            0
        };
        (line, column)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::{CONTEXT, MAX_LINE, cut};
    use crate::diag::{Code, Finding, Severity};

    const CODE: Code = Code {
        id: "test-code",
        severity: Severity::Error,
        summary: "a test finding",
    };

    #[test]
    fn short_lines_are_shown_whole() {
        let text: Arc<str> = Arc::from("a=1\nb=2\n");
        assert!(cut(&text, &Finding::new(CODE, "b", 4..7)).is_none());
    }

    #[test]
    fn a_long_line_is_cut_around_the_label_ends() {
        let long = "x".repeat(100_000);
        let text: Arc<str> = Arc::from(format!("head\n{long}=é{long}\ntail\n"));
        let at = 5 + long.len();
        let finding = Finding::new(CODE, "x", at..at + 3).related(5..6, "start");
        let excerpt = cut(&text, &finding).expect("a long line is cut");
        assert!(
            excerpt.text.len() < 4 * (2 * CONTEXT + 8) + 20,
            "{}",
            excerpt.text
        );
        assert!(excerpt.text.starts_with("head\nxxx"), "{}", excerpt.text);
        assert!(excerpt.text.ends_with("xxx…\ntail"), "{}", excerpt.text);
        let moved = excerpt.to_excerpt(&finding.span);
        assert_eq!(&excerpt.text[moved.clone()], "=é");
        assert_eq!(excerpt.line_column(moved.start, true), (1, long.len()));
        assert!(excerpt.text.lines().all(|l| l.len() <= MAX_LINE));
    }
}
