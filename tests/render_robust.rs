//! Hostile inputs against the whole command: very long field names, thousands of
//! findings of one kind, and control characters that a terminal would obey. The
//! output must stay small, the totals and exit status right, and nothing from the
//! input may reach the terminal as a control character.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const NOW: &str = "2026-12-04T00:00:00Z";
/// A well-formed token with a 32-byte signature.
const TOKEN: &str = "se=2027-01-31T00:00:00Z&sp=rl&spr=https&sv=2026-04-06&sr=c\
                     &sig=AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA%3D";

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_acr-preflight"))
        .args(["--now", NOW, "--color", "never"])
        .args(args)
        .output()
        .expect("the binary runs")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("scratch file");
    path.display().to_string()
}

fn json_of(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).expect("JSON output")
}

/// A control character a terminal acts on: C0 other than tab and line feed (a
/// carriage return only before a line feed), DEL, C1, or a bidirectional control.
fn is_unsafe(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.iter().enumerate().any(|(i, &c)| match c {
        '\t' | '\n' => false,
        '\r' => chars.get(i + 1) != Some(&'\n'),
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        '\u{61c}' | '\u{200e}' | '\u{200f}' => true,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    })
}

/// Fault: a field name of 65,536 characters or more made the decoded view panic
/// (a formatting width past 65,535).
#[test]
fn a_70000_character_key_is_shown_shortened() {
    let dir = tempfile::tempdir().unwrap();
    let key = "x".repeat(70_000);
    let file = write(dir.path(), "t", format!("{TOKEN}&{key}=1").as_bytes());
    for format in ["human", "json"] {
        let output = run(&["--format", format, "sas", "--file", &file]);
        assert_ne!(output.status.code(), Some(101), "{format}: panicked");
        assert!(output.status.code() == Some(0) || output.status.code() == Some(1));
        assert!(
            output.stdout.len() < 300_000,
            "{format}: output grows with the key"
        );
    }
    let human = String::from_utf8(run(&["sas", "--file", &file]).stdout).unwrap();
    assert!(human.contains("… (70000 characters)"), "{human}");
    assert!(human.contains("characters left out)…"), "{human}");
    assert!(human.len() < 20_000, "{} bytes", human.len());
    assert!(human.lines().all(|l| l.chars().count() < 1_000));
}

/// A name of exactly 65,536 characters with no `=`, the smallest that made it panic.
#[test]
fn a_65536_character_line_is_no_panic() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "x",
        format!("{}\n", "x".repeat(65_536)).as_bytes(),
    );
    let output = run(&["sas", "--file", &file]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        output.stdout.len() < 20_000,
        "{} bytes",
        output.stdout.len()
    );
}

/// Fault: 5,000 duplicate fields gave 5,000 diagnostics (megabytes of output). Now
/// each code keeps 20 and the rest are counted: `sp` given 5,001 times is 5,000
/// duplicates, every one still counted in the totals and the exit status.
#[test]
fn duplicates_are_capped_and_still_counted() {
    let dir = tempfile::tempdir().unwrap();
    let token = format!("{TOKEN}&{}", "sp=r&".repeat(5_000));
    let file = write(dir.path(), "dup", token.trim_end_matches('&').as_bytes());
    let output = run(&["--format", "json", "sas", "--file", &file]);
    assert_eq!(output.status.code(), Some(1));
    let doc = json_of(&output);
    let input = &doc["inputs"][0];
    let duplicates = input["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "sas-duplicate-key")
        .count();
    assert_eq!(duplicates, 20);
    let hidden = &input["not_shown"]["sas-duplicate-key"];
    let hidden_total: u64 = ["error", "warning", "advice"]
        .iter()
        .map(|s| hidden[s].as_u64().unwrap())
        .sum();
    assert_eq!(hidden_total, 5_000 - 20);
    assert_eq!(doc["not_shown"], *hidden);
    let counted: u64 = ["error", "warning", "advice"]
        .iter()
        .map(|s| doc["counts"][s].as_u64().unwrap())
        .sum();
    let kept = input["findings"].as_array().unwrap().len() as u64;
    assert_eq!(counted, kept + hidden_total);

    let human = run(&["sas", "--file", &file]);
    assert_eq!(human.status.code(), Some(1));
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(
        text.contains("… and 4980 more sas-duplicate-key not shown"),
        "{text}"
    );
    assert!(text.contains("(4980 of them not shown)"), "{text}");
    assert!(text.len() < 100_000, "{} bytes", text.len());
}

/// Every finding counted, none shown past 20 a code, whatever the bytes: a binary
/// file given as a token.
#[test]
fn binary_bytes_as_a_token_keep_at_most_20_findings_a_code() {
    let dir = tempfile::tempdir().unwrap();
    // A fixed pseudo-random sequence, so the test is the same on every run.
    let mut state: u32 = 0x2545_f491;
    let bytes: Vec<u8> = (0..20_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state.to_le_bytes()[0]
        })
        .collect();
    let file = write(dir.path(), "bin", &bytes);
    let doc = json_of(&run(&["--format", "json", "sas", "--file", &file]));
    let mut per_code = std::collections::BTreeMap::new();
    for finding in doc["inputs"][0]["findings"].as_array().unwrap() {
        *per_code.entry(finding["code"].to_string()).or_insert(0) += 1;
    }
    assert!(per_code.values().all(|&n| n <= 20), "{per_code:?}");
    let human = run(&["sas", "--file", &file]);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(!is_unsafe(&text), "a control character reached the output");
}

/// Fault: an az-show dump whose blob name holds an escape sequence (window title,
/// screen clear, colour) sent it raw to the terminal.
#[test]
fn escape_sequences_in_a_blob_name_are_not_printed_raw() {
    let dir = tempfile::tempdir().unwrap();
    let dump = r#"{"name": "evil\u001b]0;pwned\u0007\u001b[2J\u001b[31mname",
 "metadata": {"category": "x\u001b[31mred"},
 "properties": {"contentLength": 10, "lastModified": "2026-11-30T10:00:00+00:00",
  "contentSettings": {"contentMd5": "zUTWjzoyTl5/rGYVQUKgww=="}}}"#;
    let file = write(dir.path(), "esc.json", dump.as_bytes());
    let human = run(&["blob", &file]);
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(!is_unsafe(&text), "{text:?}");
    assert!(text.contains("evil?]0;pwned??[2J?[31mname"), "{text}");
    // JSON escapes control characters itself: the name comes back as written.
    let json = run(&["--format", "json", "blob", &file]);
    let raw = String::from_utf8(json.stdout.clone()).unwrap();
    assert!(!is_unsafe(&raw.replace('\n', "")), "{raw:?}");
    assert!(raw.contains(r"evil\u001b]0;pwned\u0007\u001b[2J\u001b[31mname"));
}

/// Raw control bytes in a token file, a C1 control and a right-to-left override:
/// each is shown as a stand-in in the echoed line, the messages and the decoded view.
#[test]
fn raw_control_bytes_in_a_token_are_not_echoed() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = b"se=2027\x1b[31mRED\x1b]0;pwned\x07\x1b[2J\xc2\x9b31m\xe2\x80\xaemoc.txt&sp=r";
    let file = write(dir.path(), "esc.tok", bytes);
    let text = String::from_utf8(run(&["sas", "--file", &file]).stdout).unwrap();
    assert!(!is_unsafe(&text), "{text:?}");
    assert!(
        text.contains("se=2027?[31mRED?]0;pwned??[2J¿31m\u{fffd}moc.txt&sp=r"),
        "{text}"
    );
}

/// Fault: a finding about a whole binary file drew its label over every one of the
/// file's thousands of lines. A label over many lines is drawn on its first line and
/// says the line it runs on to.
#[test]
fn a_label_over_a_thousand_lines_is_drawn_on_its_first() {
    use std::sync::Arc;

    use acr_preflight::diag::render::{self, HumanStyle};
    use acr_preflight::diag::{Code, Finding, InputReport, Outcome, Severity};
    use acr_preflight::secret::Secrets;

    const CODE: Code = Code {
        id: "test-whole-input",
        severity: Severity::Error,
        summary: "a finding about the whole input",
    };
    let text = "line\n".repeat(1_000);
    let mut report = InputReport::new("lines.txt", "text", Arc::from(text.as_str()));
    report
        .findings
        .push(Finding::new(CODE, "input", 0..text.len()).label("all of it"));
    let outcome = Outcome {
        command: String::from("test"),
        inputs: vec![report],
        ..Outcome::default()
    };
    let style = HumanStyle {
        color: false,
        width: 80,
    };
    let shown = render::human(&outcome, style, &Secrets::new());
    assert!(
        shown.contains("all of it (runs on to line 1000)"),
        "{shown}"
    );
    assert!(shown.len() < 2_000, "{shown}");
}

/// Fault: a token of many fields took quadratic time (each field looked up in lists
/// of all the others) and its JSON named every bad field for every purpose. 50,000
/// unknown fields: one `sas-unknown-key` each, 20 kept, output small.
#[test]
fn many_unknown_fields_stay_small_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let fields: String = (0..50_000).map(|i| format!("&x{i}=1")).collect();
    let file = write(dir.path(), "many", format!("{TOKEN}{fields}").as_bytes());
    let started = std::time::Instant::now();
    let output = run(&["--format", "json", "sas", "--file", &file]);
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
    assert!(
        output.stdout.len() < 100_000,
        "{} bytes",
        output.stdout.len()
    );
    let doc = json_of(&output);
    let hidden = &doc["inputs"][0]["not_shown"]["sas-unknown-key"];
    let hidden_total: u64 = ["error", "warning", "advice"]
        .iter()
        .map(|s| hidden[s].as_u64().unwrap())
        .sum();
    assert_eq!(hidden_total, 50_000 - 20);
}
