//! One function per fuzz target: raw bytes in, every invariant checked, a [`Violation`]
//! out when one breaks. `fuzz/fuzz_targets/<name>.rs` calls the function of the same
//! name and panics on a violation; `tests/fuzz_seeds.rs` replays the checked-in seeds
//! and regressions through it. A new target is a new function here, a new file there,
//! and one line in the replay test.

use std::ops::Range;
use std::sync::Arc;

use serde_json::Value as Serde;

use super::{Violation, check_outcome, check_span, commands, ensure, split};
use crate::diag::{Code, Finding, InputReport, Outcome, Severity};
use crate::input::{self, Repair};
use crate::json::{self, Node, Value};
use crate::secret::{self, Secrets};

/// A fuzz target's check: the raw input in, a violation out when an invariant breaks.
pub type Target = fn(&[u8]) -> Result<(), Violation>;

/// The targets, by name; each has `fuzz/fuzz_targets/<name>.rs` and `fuzz/seeds/<name>/`.
pub const ALL: &[(&str, Target)] = &[
    ("json", json),
    ("input_decode", input_decode),
    ("sas", commands::sas),
    ("sas_split", split::sas_split),
    ("blob_az_show", commands::blob_az_show),
    ("blob_az_list", commands::blob_az_list),
    ("blob_headers", commands::blob_headers),
    ("blob_xml", commands::blob_xml),
    ("blob_azcopy", commands::blob_azcopy),
    ("manifest", commands::manifest),
    ("pipeline", commands::pipeline),
    ("check_bytes", commands::check_bytes),
];

const JSON_INVALID: Code = Code {
    id: "json-invalid",
    severity: Severity::Error,
    summary: "the input is not JSON",
};

const JSON_VALUE: Code = Code {
    id: "json-value",
    severity: Severity::Advice,
    summary: "the JSON value that was read",
};

const INPUT_REPAIRED: Code = Code {
    id: "input-repaired",
    severity: Severity::Warning,
    summary: "bytes that are not UTF-8 were replaced",
};

/// Most labels put on one finding; enough to exercise miette's layout of several.
const MAX_LABELS: usize = 8;

/// `src/json.rs` on decoded input: deterministic, every span inside the text and on
/// character boundaries, each span's text is the value it belongs to, the same values
/// as `serde_json` whenever `serde_json` accepts the text, and the result (a syntax
/// error, or the value) renders without leaking a `sig` member's value.
pub fn json(data: &[u8]) -> Result<(), Violation> {
    let text = input::decode(data).text;
    let parsed = json::parse(&text);
    ensure(parsed == json::parse(&text), || {
        String::from("two reads of the same text differ")
    })?;
    match &parsed {
        Ok(root) => check_tree(&text, root)?,
        Err(error) => check_span(&text, &error.span, "syntax error")?,
    }
    agree_with_serde(&text, parsed.as_ref().ok())?;
    let (outcome, secrets, hidden) = json_outcome(&text, &parsed);
    let hidden: Vec<&str> = hidden.iter().map(String::as_str).collect();
    check_outcome(&outcome, &secrets, &hidden).map(drop)
}

/// Every node's span is inside the text, inside its parent's, after its elder
/// sibling's, and its text is what the node says it is; nothing but white space lies
/// around the root.
fn check_tree(text: &str, root: &Node) -> Result<(), Violation> {
    check_span(text, &root.span, "root")?;
    let outside = [&text[..root.span.start], &text[root.span.end..]];
    ensure(
        outside.iter().all(|s| s.trim_matches(is_ws).is_empty()),
        || {
            format!(
                "text other than white space around the root {:?}",
                root.span
            )
        },
    )?;
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        check_node(text, node)?;
        let mut inner = node.span.start + 1..node.span.end.saturating_sub(1);
        for child in children(node) {
            check_child(text, &mut inner, child)?;
        }
        stack.extend(node.as_array().unwrap_or_default());
        stack.extend(node.members().iter().map(|m| &m.value));
    }
    Ok(())
}

fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// Spans directly inside a container: each member's name and value, or each element.
fn children(node: &Node) -> Vec<&Range<usize>> {
    match &node.value {
        Value::Array(items) => items.iter().map(|n| &n.span).collect(),
        Value::Object(members) => members
            .iter()
            .flat_map(|m| [&m.key_span, &m.value.span])
            .collect(),
        _ => Vec::new(),
    }
}

/// `child` lies inside `free`, which then shrinks to what follows it.
fn check_child(text: &str, free: &mut Range<usize>, child: &Range<usize>) -> Result<(), Violation> {
    check_span(text, child, "child")?;
    ensure(free.start <= child.start && child.end <= free.end, || {
        format!("child {child:?} is not inside or not after its elder sibling ({free:?})")
    })?;
    free.start = child.end;
    Ok(())
}

/// The node's own text matches its value.
fn check_node(text: &str, node: &Node) -> Result<(), Violation> {
    check_span(text, &node.span, "node")?;
    let raw = &text[node.span.clone()];
    let matches = match &node.value {
        Value::Null => raw == "null",
        Value::Bool(b) => raw == if *b { "true" } else { "false" },
        Value::Number(n) => raw == n,
        Value::String(s) => {
            json::parse(raw)
                .ok()
                .and_then(|n| n.as_str().map(|t| t == s))
                == Some(true)
        }
        Value::Array(_) => raw.starts_with('[') && raw.ends_with(']'),
        Value::Object(members) => {
            raw.starts_with('{')
                && raw.ends_with('}')
                && members
                    .iter()
                    .all(|m| key_matches(text, &m.key_span, &m.key))
        }
    };
    ensure(matches, || {
        format!(
            "the text {:?} at {:?} is not the {} read there",
            shorten(raw),
            node.span,
            node.type_name()
        )
    })
}

fn key_matches(text: &str, span: &Range<usize>, key: &str) -> bool {
    text.get(span.clone())
        .and_then(|raw| json::parse(raw).ok())
        .is_some_and(|n| n.as_str() == Some(key))
}

fn shorten(raw: &str) -> String {
    raw.chars().take(40).collect()
}

/// When `serde_json` reads the text, ours reads it too, with the same values (its
/// nesting limit of 128, below ours, keeps both the read and the comparison shallow).
fn agree_with_serde(text: &str, ours: Option<&Node>) -> Result<(), Violation> {
    let Ok(expected) = serde_json::from_str::<Serde>(text) else {
        return Ok(());
    };
    let Some(root) = ours else {
        return Err(Violation(String::from(
            "serde_json reads a text ours refuses",
        )));
    };
    ensure(to_serde(root) == Some(expected), || {
        String::from("serde_json reads other values from the same text")
    })
}

/// The node as a `serde_json` value; duplicate names keep the last, as `serde_json` does.
fn to_serde(node: &Node) -> Option<Serde> {
    Some(match &node.value {
        Value::Null => Serde::Null,
        Value::Bool(b) => Serde::Bool(*b),
        Value::Number(n) => serde_json::from_str(n).ok()?,
        Value::String(s) => Serde::String(s.clone()),
        Value::Array(items) => Serde::Array(items.iter().map(to_serde).collect::<Option<_>>()?),
        Value::Object(members) => {
            let mut map = serde_json::Map::new();
            for m in members {
                map.insert(m.key.clone(), to_serde(&m.value)?);
            }
            Serde::Object(map)
        }
    })
}

/// The outcome a command would build: one finding for a syntax error, or one advice on
/// the value with labels on its first names. Each `sig` member's value that looks like
/// a signature is masked in the text and must not be shown.
fn json_outcome(text: &str, parsed: &Result<Node, json::Error>) -> (Outcome, Secrets, Vec<String>) {
    let sigs = parsed.as_ref().map(signatures).unwrap_or_default();
    let mut secrets = Secrets::new();
    let mut hidden = Vec::new();
    for (_, value) in &sigs {
        secrets.add(value);
        hidden.push(value.clone());
    }
    let ranges: Vec<Range<usize>> = sigs.iter().map(|(span, _)| span.clone()).collect();
    let masked: Arc<str> = Arc::from(secret::mask(text, &ranges));
    let mut report = InputReport::new("fuzz.json", "json", masked);
    report.findings.push(match parsed {
        Err(error) => Finding::new(JSON_INVALID, "input", error.span.clone())
            .message(error.message.clone())
            .help("fix the JSON syntax at the marked place"),
        Ok(root) => value_finding(root),
    });
    let outcome = Outcome {
        command: String::from("fuzz"),
        inputs: vec![report],
        ..Outcome::default()
    };
    (outcome, secrets, hidden)
}

fn value_finding(root: &Node) -> Finding {
    let finding = Finding::new(JSON_VALUE, "input", root.span.clone())
        .message(format!("a JSON {}", root.type_name()))
        .label("the value");
    root.members()
        .iter()
        .take(MAX_LABELS)
        .fold(finding, |f, m| f.related(m.key_span.clone(), "a name"))
}

/// The inner span and value of every `sig` member, at any depth, whose value is a
/// string of at least eight characters that could be a percent-encoded signature.
fn signatures(root: &Node) -> Vec<(Range<usize>, String)> {
    let mut found = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        for member in node.members() {
            if let (true, Some(value)) = (member.key == "sig", member.value.as_str()) {
                if looks_like_signature(value) {
                    found.push((member.value.inner_span(), value.to_string()));
                }
            }
            stack.push(&member.value);
        }
        stack.extend(node.as_array().unwrap_or_default());
    }
    found
}

fn looks_like_signature(value: &str) -> bool {
    value.len() >= 8
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'%'))
}

/// `src/input.rs`: deterministic; UTF-8 without a byte-order mark decodes exactly as
/// `String::from_utf8_lossy`, with a located repair for each replaced run; a UTF-8
/// byte-order mark is dropped and noted; UTF-16 (with a byte-order mark, or recognised
/// by its NUL bytes) decodes as
/// `String::from_utf16_lossy`; the text never grows past three bytes per input byte;
/// and the repairs render as findings.
pub fn input_decode(data: &[u8]) -> Result<(), Violation> {
    let decoded = input::decode(data);
    ensure(decoded == input::decode(data), || {
        String::from("two decodings of the same bytes differ")
    })?;
    ensure(decoded.text.len() <= data.len().saturating_mul(3), || {
        format!(
            "{} bytes decoded to {} bytes of text",
            data.len(),
            decoded.text.len()
        )
    })?;
    let repairs = &decoded.repairs;
    if let Some(rest) = data.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        ensure(repairs.first() == Some(&Repair::Utf8Bom), || {
            String::from("a UTF-8 byte-order mark was not noted first")
        })?;
        check_utf8(rest, &decoded.text, repairs.get(1..).unwrap_or_default())?;
    } else if let Some(big_endian) = utf16_bom(data) {
        let expected = Repair::Utf16 { big_endian };
        check_utf16(data.get(2..).unwrap_or_default(), expected, &decoded)?;
    } else if let [expected @ Repair::Utf16WithoutBom { .. }] = repairs.as_slice() {
        check_utf16(data, expected.clone(), &decoded)?;
    } else {
        check_utf8(data, &decoded.text, repairs)?;
    }
    let outcome = repair_outcome(&decoded);
    check_outcome(&outcome, &Secrets::new(), &[]).map(drop)
}

fn utf16_bom(data: &[u8]) -> Option<bool> {
    match data.get(..2) {
        Some([0xFF, 0xFE]) => Some(false),
        Some([0xFE, 0xFF]) => Some(true),
        _ => None,
    }
}

/// Lossy UTF-8 decoding, with one merged repair per run of replacement characters
/// that stood for bad bytes, in order and apart.
fn check_utf8(bytes: &[u8], text: &str, repairs: &[Repair]) -> Result<(), Violation> {
    ensure(text == String::from_utf8_lossy(bytes), || {
        String::from("UTF-8 decoding differs from String::from_utf8_lossy")
    })?;
    let bad_runs = bytes
        .utf8_chunks()
        .filter(|c| !c.invalid().is_empty())
        .count();
    let mut replaced = 0;
    let mut previous_end = None;
    for repair in repairs {
        let Repair::InvalidUtf8(range) = repair else {
            return Err(Violation(format!(
                "unexpected repair {repair:?} in UTF-8 input"
            )));
        };
        check_span(text, range, "repair")?;
        ensure(previous_end.is_none_or(|end| end < range.start), || {
            format!("repair {range:?} overlaps or touches the one before")
        })?;
        let inside = &text[range.clone()];
        ensure(
            !inside.is_empty() && inside.chars().all(|c| c == '\u{FFFD}'),
            || format!("repair {range:?} covers more than replacement characters"),
        )?;
        replaced += inside.chars().count();
        previous_end = Some(range.end);
    }
    ensure(replaced == bad_runs, || {
        format!("{bad_runs} runs of bad bytes, {replaced} replacement characters noted")
    })
}

/// UTF-16, with a byte-order mark or recognised without one, decodes lossily, noted
/// once; an odd last byte is read as a code unit padded with zero.
fn check_utf16(rest: &[u8], expected: Repair, decoded: &input::Decoded) -> Result<(), Violation> {
    let big_endian = matches!(
        expected,
        Repair::Utf16 { big_endian: true } | Repair::Utf16WithoutBom { big_endian: true }
    );
    ensure(decoded.repairs == [expected], || {
        format!("UTF-16 repairs are {:?}", decoded.repairs)
    })?;
    let units: Vec<u16> = rest
        .chunks(2)
        .map(|pair| {
            let bytes = [
                pair.first().copied().unwrap_or(0),
                pair.get(1).copied().unwrap_or(0),
            ];
            if big_endian {
                u16::from_be_bytes(bytes)
            } else {
                u16::from_le_bytes(bytes)
            }
        })
        .collect();
    ensure(decoded.text == String::from_utf16_lossy(&units), || {
        String::from("UTF-16 decoding differs from String::from_utf16_lossy")
    })
}

/// A warning on each repaired run of bad bytes, as a command would report them.
fn repair_outcome(decoded: &input::Decoded) -> Outcome {
    let mut report = InputReport::new("fuzz.bin", "bytes", Arc::from(decoded.text.as_str()));
    for repair in decoded.repairs.iter().take(MAX_LABELS) {
        let (span, message) = match repair {
            Repair::InvalidUtf8(range) => (range.clone(), "bytes that are not UTF-8"),
            Repair::Utf8Bom => (0..0, "a UTF-8 byte-order mark"),
            Repair::Utf16 { .. } => (0..0, "UTF-16 text"),
            Repair::Utf16WithoutBom { .. } => (0..0, "UTF-16 text without a byte-order mark"),
        };
        report.findings.push(
            Finding::new(INPUT_REPAIRED, "input", span)
                .message(message)
                .help("save the input as UTF-8 without a byte-order mark"),
        );
    }
    Outcome {
        command: String::from("fuzz"),
        inputs: vec![report],
        ..Outcome::default()
    }
}
