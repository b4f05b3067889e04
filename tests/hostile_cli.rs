//! Hostile input through the binary: every case must end with a clear diagnostic and
//! exit 1 (findings) or 2 (the tool could not run), within the deadline and a memory
//! budget, without a crash, a hang or a stack overflow.
//!
//! Inputs are written to a scratch folder and given as files (or on standard input
//! where the case is about it). The peak resident memory of each run is measured with
//! GNU `time` (`/usr/bin/time -f %M`) when it is installed; without it, only the exit
//! status, the output and the deadline are checked.

// Each run reports its time and peak memory on stderr, and skipped checks say why.
#![allow(clippy::print_stderr)]

use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_acr-preflight");

/// Longest a run may take: a debug build on a machine busy with other tests. The
/// slowest case (a 20 MiB token) takes about ten seconds in a debug build.
const DEADLINE: Duration = Duration::from_secs(60);

/// Memory any run may use besides what its input accounts for.
const BASE_KIB: u64 = 64 * 1024;

/// Memory per input byte: the bytes, their decoded text, the masked copy, parsed
/// values that copy strings, and the JSON document of the report.
const PER_BYTE: u64 = 24;

/// The clock every run is pinned to.
const NOW: &str = "2026-12-04T00:00:00Z";

const MIB: usize = 1024 * 1024;

/// What one run of the binary did.
#[derive(Debug)]
struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    peak_kib: Option<u64>,
}

impl Ran {
    fn output(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// A scratch folder for one test, removed when dropped.
struct Scratch(tempfile::TempDir);

impl Scratch {
    fn new() -> Scratch {
        Scratch(tempfile::tempdir().expect("a temporary folder"))
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.path().join(name);
        std::fs::write(&path, bytes).expect("a scratch file");
        path
    }

    fn path(&self) -> &Path {
        self.0.path()
    }
}

fn gnu_time() -> Option<&'static str> {
    let path = "/usr/bin/time";
    Command::new(path)
        .args(["-f", "%M", "true"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| path)
}

/// Runs the binary with `--now` pinned, `args`, and `stdin`, killing it at the
/// deadline.
fn run(args: &[&str], stdin: &[u8]) -> Ran {
    let scratch = Scratch::new();
    let peak_file = scratch.path().join("peak");
    let mut command = match gnu_time() {
        Some(time) => {
            let mut c = Command::new(time);
            c.args(["-f", "%M", "-o"]).arg(&peak_file).arg(BIN);
            c
        }
        None => Command::new(BIN),
    };
    // A group of its own, so a run killed at the deadline takes `time`'s child with it.
    command
        .process_group(0)
        .args(["--now", NOW, "--color", "never"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = command.spawn().expect("the binary runs");
    let input = stdin.to_vec();
    let mut pipe = child.stdin.take();
    let feeder = thread::spawn(move || {
        if let Some(pipe) = pipe.as_mut() {
            let _ = pipe.write_all(&input);
        }
    });
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let code = loop {
        if let Some(status) = child.try_wait().expect("waiting for the binary") {
            break status.code();
        }
        if started.elapsed() > DEADLINE {
            let group = format!("-{}", child.id());
            let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        thread::sleep(Duration::from_millis(20));
    };
    let elapsed = started.elapsed();
    let _ = feeder.join();
    let text = |h: thread::JoinHandle<String>| h.join().unwrap_or_default();
    let peak_kib = std::fs::read_to_string(&peak_file)
        .ok()
        .and_then(|t| t.lines().last().and_then(|l| l.trim().parse().ok()));
    Ran {
        code,
        stdout: text(stdout),
        stderr: text(stderr),
        elapsed,
        peak_kib,
    }
}

fn drain(pipe: Option<impl Read + Send + 'static>) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// The run ended in time with exit 1 or 2, within `BASE_KIB` plus `PER_BYTE` for each
/// of `input_len` bytes, and its output holds every one of `expected`.
fn assert_diagnosed(what: &str, ran: &Ran, input_len: usize, expected: &[&str]) {
    assert_exit(what, ran, &[1, 2]);
    check_output(what, ran, input_len, expected);
}

/// As [`assert_diagnosed`], but exit 0 is right too: a run whose input breaks
/// nothing that is checked.
fn assert_ran(what: &str, ran: &Ran, input_len: usize, expected: &[&str]) {
    assert_exit(what, ran, &[0, 1, 2]);
    check_output(what, ran, input_len, expected);
}

fn assert_exit(what: &str, ran: &Ran, codes: &[i32]) {
    let head: String = ran.output().chars().take(3000).collect();
    assert!(
        ran.code.is_some_and(|c| codes.contains(&c)),
        "{what}: exit {:?} after {:?} (killed at the deadline if None)\n{head}",
        ran.code,
        ran.elapsed
    );
}

fn check_output(what: &str, ran: &Ran, input_len: usize, expected: &[&str]) {
    let output = ran.output();
    let head: String = output.chars().take(3000).collect();
    for text in expected {
        assert!(output.contains(text), "{what}: no {text:?} in\n{head}");
    }
    let limit = BASE_KIB + input_len as u64 * PER_BYTE / 1024;
    if let Some(peak) = ran.peak_kib {
        eprintln!(
            "{what}: {:?}, peak {peak} KiB (limit {limit} KiB)",
            ran.elapsed
        );
        assert!(peak <= limit, "{what}: peak {peak} KiB over {limit} KiB");
    }
}

/// Runs `sub` on a file holding `bytes`, in both output formats.
fn on_file(sub: &[&str], name: &str, bytes: &[u8], expected: &[&str]) {
    let scratch = Scratch::new();
    let path = scratch.file(name, bytes);
    let path = path.to_str().expect("a UTF-8 path");
    for format in ["human", "json"] {
        let mut args = vec!["--format", format];
        args.extend_from_slice(sub);
        args.push(path);
        let ran = run(&args, b"");
        assert_diagnosed(
            &format!("{sub:?} {name} ({format})"),
            &ran,
            bytes.len(),
            expected,
        );
    }
}

fn sas_file(name: &str, bytes: &[u8], expected: &[&str]) {
    on_file(&["sas", "--file"], name, bytes, expected);
}

// Empty input, for every subcommand.

#[test]
fn empty_input_is_diagnosed_by_every_subcommand() {
    sas_file("empty.sas", b"", &["sas-empty"]);
    let ran = run(&["sas"], b"");
    assert_diagnosed("sas on empty standard input", &ran, 0, &["sas-empty"]);
    on_file(
        &["blob"],
        "empty.json",
        b"",
        &["dump-format-unknown", "empty"],
    );
    on_file(&["manifest"], "empty.json", b"", &["manifest-not-json"]);
    on_file(&["pipeline"], "empty.json", b"", &["pipeline-not-json"]);
    // Alone, an empty input leaves nothing to check (exit 2); beside others it is an
    // error finding of its own.
    on_file(&["check"], "empty.txt", b"", &["no input found"]);
    on_file(&["check"], "blank.txt", b" \n\t\n", &["no input found"]);
    let ran = run(&["check", "-"], b"");
    assert_diagnosed(
        "check on empty standard input",
        &ran,
        0,
        &["no input found"],
    );
    let scratch = Scratch::new();
    let empty = scratch.file("empty.txt", b"");
    let token = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/real/tok-blob-url.sas");
    let ran = run(
        &["check", empty.to_str().unwrap(), token.to_str().unwrap()],
        b"",
    );
    assert_diagnosed(
        "check on an empty input and a token",
        &ran,
        0,
        &["check-input-empty"],
    );
}

// SAS tokens: sizes, separators, bytes and escapes.

#[test]
fn megabytes_of_ampersands_or_equals_signs_are_no_token() {
    sas_file("amps.sas", &vec![b'&'; 4 * MIB], &["sas-empty"]);
    sas_file("equals.sas", &vec![b'='; 4 * MIB], &["sas-missing-field"]);
}

#[test]
fn a_token_with_a_20_mib_value_is_checked() {
    let token = format!(
        "sv=2022-11-02&sp=rl&se=2027-01-01T00:00:00Z&x={}&sig=abc",
        "A".repeat(20 * MIB)
    );
    let scratch = Scratch::new();
    let path = scratch.file("big.sas", token.as_bytes());
    let ran = run(&["sas", "--file", path.to_str().unwrap()], b"");
    assert_diagnosed("20 MiB value", &ran, token.len(), &["sas-unknown-key"]);
    assert!(
        ran.stdout.len() < 64 * 1024,
        "{} bytes of human output for one long line",
        ran.stdout.len()
    );
}

/// Many findings in one input: 300,000 unknown parameters, and 256 KiB of random
/// bytes given as a token. Findings of one code are capped per input, so output and
/// time stay small; memory grows with the number of fields (each keeps its name, value
/// and the input offset of every decoded byte), about 170 bytes per input byte for the
/// 300,000 short fields, hence a budget of its own.
#[test]
fn many_findings_in_one_input_stay_quick() {
    const MANY_FIELDS_PER_BYTE: u64 = 256;
    let mut token = String::from("sv=2022-11-02&sp=rl&se=2027-01-01T00:00:00Z&sig=abc");
    for i in 0..300_000 {
        token.push_str(&format!("&p{i}=v"));
    }
    let random = random_bytes(256 * 1024);
    let scratch = Scratch::new();
    for (name, bytes, expected) in [
        ("many.sas", token.as_bytes(), "sas-unknown-key"),
        ("random.bin", &random[..], "sas-"),
    ] {
        let path = scratch.file(name, bytes);
        for format in ["human", "json"] {
            let ran = run(
                &["--format", format, "sas", "--file", path.to_str().unwrap()],
                b"",
            );
            let what = format!("sas {name} ({format})");
            assert_exit(&what, &ran, &[1]);
            assert!(ran.output().contains(expected), "{what}: no {expected}");
            assert!(
                ran.stdout.len() < 4 * MIB,
                "{what}: {} bytes of output",
                ran.stdout.len()
            );
            let limit = BASE_KIB + bytes.len() as u64 * MANY_FIELDS_PER_BYTE / 1024;
            if let Some(peak) = ran.peak_kib {
                eprintln!(
                    "{what}: {:?}, peak {peak} KiB (limit {limit} KiB)",
                    ran.elapsed
                );
                assert!(peak <= limit, "{what}: peak {peak} KiB over {limit} KiB");
            }
        }
    }
}

#[test]
fn nul_bytes_in_a_token_are_diagnosed() {
    sas_file(
        "nul.sas",
        b"sv=2022-11-02&sp=r\0l&se=2027-01-01T00:00:00Z&sig=a\0b",
        &["U+0000"],
    );
}

#[test]
fn invalid_utf8_raw_and_after_percent_decoding_is_diagnosed() {
    sas_file(
        "raw.sas",
        b"sv=2022-11-02&sp=r\xffl&se=2027-01-01T00:00:00Z&sig=abc",
        &["sas-not-utf8"],
    );
    sas_file(
        "decoded.sas",
        b"sv=2022-11-02&sp=r%FFl&se=2027-01-01T00:00:00Z&sig=abc",
        &["not UTF-8"],
    );
}

#[test]
fn escapes_cut_short_are_diagnosed() {
    for (name, token) in [
        ("end.sas", "sv=2022-11-02&sp=rl&sig=abc%"),
        ("one.sas", "sv=2022-11-02&sp=rl&sig=abc%3"),
        ("not-hex.sas", "sv=2022-11-02&sp=rl%G1&sig=abc"),
    ] {
        sas_file(name, token.as_bytes(), &["sas-bad-escape"]);
    }
}

/// Homoglyphs and bidirectional controls in values: the diagnostic names the
/// character, since the screen does not show it.
#[test]
fn homoglyphs_and_bidi_controls_are_named() {
    let token = "sv=2022-11-02&sr=c&sp=r\u{202E}wl&se=2027-01-01T00:00:00Z&spr=https&sig=abc";
    sas_file(
        "bidi.sas",
        token.as_bytes(),
        &["U+202E RIGHT-TO-LEFT OVERRIDE"],
    );
    let token = "sv=2022-11-02&sr=c&sp=r\u{0430}l&se=2027-01-01T00:00:00Z&spr=https&sig=abc";
    sas_file(
        "cyrillic.sas",
        token.as_bytes(),
        &["U+0430 CYRILLIC SMALL LETTER A"],
    );
    let dump = "{\"name\":\"a\",\"metadata\":{\"category\":\"acr-transfer-bl\u{043E}b\"}}";
    on_file(&["blob"], "homoglyph.json", dump.as_bytes(), &["U+043E"]);
    let dump = "{\"name\":\"a\",\"metadata\":{\"category\":\"acr-transfer-blob\u{200B}\"}}";
    on_file(&["blob"], "zero-width.json", dump.as_bytes(), &["U+200B"]);
}

// JSON inputs: nesting, truncation, encodings, numbers, duplicates, types.

const JSON_COMMANDS: &[&str] = &["blob", "manifest", "pipeline", "check"];

fn every_json_command(name: &str, bytes: &[u8], expected: &[&str]) {
    for sub in JSON_COMMANDS {
        on_file(&[sub], name, bytes, expected);
    }
}

#[test]
fn json_nested_200000_deep_does_not_overflow_the_stack() {
    let deep = 200_000;
    let arrays = "[".repeat(deep) + &"]".repeat(deep);
    every_json_command("arrays.json", arrays.as_bytes(), &["nested more than"]);
    let objects = "{\"a\":".repeat(deep) + "1" + &"}".repeat(deep);
    every_json_command("objects.json", objects.as_bytes(), &["nested more than"]);
}

#[test]
fn truncated_json_is_diagnosed() {
    let cases: [(&str, &str, &str); 3] = [
        (
            "blob",
            "corpus/real/az-show-run-2026-12-01.json",
            "dump-unreadable",
        ),
        (
            "manifest",
            "corpus/samples/manifest-index.json",
            "manifest-not-json",
        ),
        (
            "pipeline",
            "corpus/samples/import-pipeline.json",
            "pipeline-not-json",
        ),
    ];
    let xml = corpus("corpus/real/list-blobs.xml");
    let end = xml
        .windows(6)
        .position(|w| w == b"</Blob")
        .expect("a blob element");
    on_file(&["blob"], "cut.xml", &xml[..end], &["cut short"]);
    for (sub, file, code) in cases {
        let whole = corpus(file);
        for cut in [1, whole.len() / 3, whole.len() / 2, whole.len() - 2] {
            on_file(&[sub], "cut.json", &whole[..cut], &[code]);
        }
    }
}

fn corpus(file: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(file);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn utf16(text: &[u8], big_endian: bool) -> Vec<u8> {
    let text = String::from_utf8_lossy(text);
    let mark: [u8; 2] = if big_endian {
        [0xFE, 0xFF]
    } else {
        [0xFF, 0xFE]
    };
    let units = text.encode_utf16().flat_map(|u| {
        if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        }
    });
    mark.into_iter().chain(units).collect()
}

/// A file saved with a byte-order mark, or as UTF-16 (as PowerShell's `>` does), is
/// read as the UTF-8 file is: the same findings come out.
#[test]
fn bom_and_utf16_files_read_as_utf8() {
    let cases: [(&str, &str, &str); 3] = [
        (
            "blob",
            "corpus/real/az-show-blocky-no-md5.json",
            "content-md5-missing",
        ),
        ("manifest", "corpus/cases/B30.json", "layer-foreign"),
        (
            "pipeline",
            "corpus/samples/import-pipeline.json",
            "pipeline-delete-needs-role",
        ),
    ];
    for (sub, file, code) in cases {
        let plain = corpus(file);
        let bom = [&[0xEF, 0xBB, 0xBF][..], &plain].concat();
        for (name, bytes) in [
            ("bom.json", bom),
            ("utf16le.json", utf16(&plain, false)),
            ("utf16be.json", utf16(&plain, true)),
        ] {
            same_as_plain(sub, name, &plain, &bytes, code);
        }
    }
}

#[test]
fn numbers_with_thousands_of_digits_are_diagnosed() {
    let digits = "9".repeat(5000);
    let manifest = format!(
        "{{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\
         \"config\":{{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\
         \"digest\":\"sha256:{z}\",\"size\":{digits}}},\"layers\":[{{\"mediaType\":\
         \"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:{z}\",\
         \"size\":{digits}}}]}}",
        z = "0".repeat(64)
    );
    on_file(
        &["manifest"],
        "huge-size.json",
        manifest.as_bytes(),
        &["size"],
    );
    let blob = format!(
        "{{\"name\":\"a\",\"properties\":{{\"contentLength\":{digits},\"lastModified\":\"2026-11-30T00:00:00+00:00\"}}}}"
    );
    on_file(
        &["blob"],
        "huge-length.json",
        blob.as_bytes(),
        &["content-md5-missing"],
    );
    let pipeline = format!("{{\"schemaVersion\":1e{digits},\"properties\":{digits}}}");
    on_file(
        &["pipeline"],
        "huge-number.json",
        pipeline.as_bytes(),
        &["pipeline-"],
    );
}

/// Duplicate names: a SAS field given twice is an error. In JSON inputs the readers
/// take the first member of a name; a duplicate is not reported yet, so these runs are
/// only held to ending cleanly with the first value's findings.
#[test]
fn duplicate_keys_end_cleanly() {
    sas_file(
        "dup.sas",
        b"sv=2022-11-02&sp=rl&sp=rwl&se=2027-01-01T00:00:00Z&sig=abc",
        &["sas-duplicate-key"],
    );
    let scratch = Scratch::new();
    let cases: [(&str, &[u8], &str); 3] = [
        (
            "manifest",
            br#"{"schemaVersion":2,"schemaVersion":1,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[],"manifests":[]}"#,
            "PASS",
        ),
        (
            "pipeline",
            br#"{"type":"Microsoft.ContainerRegistry/registries/importPipelines","type":"x","properties":{}}"#,
            "pipeline-",
        ),
        (
            "blob",
            br#"{"name":"a","name":"b","metadata":{"category":"acr-transfer-blob","category":"x"}}"#,
            "not-captured",
        ),
    ];
    for (sub, bytes, expected) in cases {
        let path = scratch.file("dup.json", bytes);
        let ran = run(&[sub, path.to_str().unwrap()], b"");
        assert_ran(
            &format!("{sub} duplicate names"),
            &ran,
            bytes.len(),
            &[expected],
        );
    }
}

/// Every value of a real input replaced by a wrong JSON type (each type in turn): the
/// run ends cleanly with a JSON report, never a crash. A wrong type where nothing is
/// needed (e.g. `container`) may pass.
#[test]
fn wrong_json_types_everywhere_are_diagnosed() {
    let cases: [(&str, &str); 3] = [
        ("blob", "corpus/real/az-show-run-2026-12-01.json"),
        (
            "manifest",
            "corpus/samples/manifest-oci-nondistributable.json",
        ),
        ("pipeline", "corpus/samples/pipeline-run.json"),
    ];
    let wrong = ["null", "true", "0", "-1.5e999", "\"\"", "[]", "{}"];
    for (sub, file) in cases {
        let text = String::from_utf8(corpus(file)).expect("UTF-8 corpus");
        let root: serde_json::Value = serde_json::from_str(&text).expect("JSON corpus");
        let mut paths = Vec::new();
        pointers(&root, String::new(), &mut paths);
        let scratch = Scratch::new();
        for (index, pointer) in paths.iter().enumerate() {
            let replacement = wrong[index % wrong.len()];
            let mut changed = root.clone();
            if let Some(slot) = changed.pointer_mut(pointer) {
                *slot = serde_json::from_str(replacement).unwrap_or(serde_json::Value::Null);
            }
            let bytes = serde_json::to_vec(&changed).expect("serialisable");
            let path = scratch.file("wrong.json", &bytes);
            let ran = run(&["--format", "json", sub, path.to_str().unwrap()], b"");
            let what = format!("{sub} {file} with {pointer} = {replacement}");
            assert_ran(&what, &ran, bytes.len(), &["\"findings\""]);
            let document: Result<serde_json::Value, _> = serde_json::from_str(&ran.stdout);
            assert!(document.is_ok(), "{what}: the JSON report does not parse");
        }
    }
}

/// JSON pointers to every value under `value`.
fn pointers(value: &serde_json::Value, at: String, out: &mut Vec<String>) {
    let children: Vec<(String, &serde_json::Value)> = match value {
        serde_json::Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.replace('~', "~0").replace('/', "~1"), v))
            .collect(),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => Vec::new(),
    };
    for (key, child) in children {
        let pointer = format!("{at}/{key}");
        out.push(pointer.clone());
        pointers(child, pointer, out);
    }
}

// XML: entities and nesting.

/// Billion laughs: entities are not expanded (the reader declines a DTD), so the run
/// ends at once with a finding instead of gigabytes of text.
#[test]
fn xml_entity_expansion_is_not_performed() {
    let mut dtd = String::from("<!ENTITY l0 \"lol\">");
    for level in 1..10 {
        let refs = format!("&l{};", level - 1).repeat(10);
        dtd.push_str(&format!("<!ENTITY l{level} \"{refs}\">"));
    }
    let xml = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE r [{dtd}]><EnumerationResults><Blobs><Blob>\
         <Name>&l9;</Name></Blob></Blobs></EnumerationResults>"
    );
    on_file(&["blob"], "laughs.xml", xml.as_bytes(), &["blob"]);
    on_file(
        &["check"],
        "laughs.xml",
        xml.as_bytes(),
        &["list-blobs-xml", "&l9;"],
    );
}

/// An external entity naming a file: the file is never opened (checked with `strace`
/// when it is installed) and its content never shows in the output.
#[test]
fn xml_external_entities_are_never_read() {
    let scratch = Scratch::new();
    let marker = "SECRET-CONTENT-OF-A-LOCAL-FILE-7f3a";
    let target = scratch.file("target.txt", marker.as_bytes());
    let target = target.to_str().unwrap();
    let xml = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY xxe SYSTEM \"file://{target}\">\
         <!ENTITY % p SYSTEM \"file://{target}\"> %p;]><EnumerationResults><Blobs><Blob>\
         <Name>&xxe;</Name><Metadata><category>&xxe;</category></Metadata></Blob></Blobs>\
         </EnumerationResults>"
    );
    let dump = scratch.file("xxe.xml", xml.as_bytes());
    let dump = dump.to_str().unwrap();
    for sub in ["blob", "check"] {
        for format in ["human", "json"] {
            let ran = run(&["--format", format, sub, dump], b"");
            assert_diagnosed(&format!("{sub} xxe ({format})"), &ran, xml.len(), &[]);
            assert!(!ran.output().contains(marker), "{sub}: the entity was read");
        }
    }
    let Ok(traced) = Command::new("strace")
        .args([
            "-f",
            "-e",
            "trace=open,openat,openat2",
            "-o",
            "/dev/stderr",
            BIN,
        ])
        .args(["--now", NOW, "blob", dump])
        .output()
    else {
        eprintln!("SKIPPED the strace half of xml_external_entities_are_never_read: no strace");
        return;
    };
    let trace = String::from_utf8_lossy(&traced.stderr);
    if !trace.contains("xxe.xml") {
        eprintln!("SKIPPED the strace half: strace cannot trace here\n{trace}");
        return;
    }
    assert!(
        !trace.contains("target.txt"),
        "the entity's file was opened:\n{trace}"
    );
}

#[test]
fn xml_nested_100000_deep_does_not_overflow_the_stack() {
    let deep = 100_000;
    let xml = format!(
        "<EnumerationResults><Blobs><Blob><Name>a</Name>{}{}</Blob></Blobs></EnumerationResults>",
        "<Metadata>".repeat(deep),
        "</Metadata>".repeat(deep)
    );
    on_file(&["blob"], "deep.xml", xml.as_bytes(), &["blob"]);
    let open = "<EnumerationResults>".to_string() + &"<Blob>".repeat(deep);
    on_file(&["blob"], "open.xml", open.as_bytes(), &["dump-unreadable"]);
}

// Headers and binary data.

#[test]
fn a_5_mib_header_line_is_diagnosed() {
    let headers = format!(
        "HTTP/1.1 200 OK\r\nContent-MD5: {}\r\nLast-Modified: Mon, 30 Nov 2026 00:00:00 GMT\r\n\r\n",
        "A".repeat(5 * MIB)
    );
    on_file(&["blob"], "long.http", headers.as_bytes(), &["content-md5"]);
    let name_only = "X".repeat(5 * MIB);
    on_file(
        &["blob", "--input-format", "headers"],
        "name.http",
        name_only.as_bytes(),
        &["blob"],
    );
}

/// Random bytes (a fixed pseudo-random sequence) for every subcommand.
#[test]
fn random_binary_data_is_diagnosed_by_every_subcommand() {
    let bytes = random_bytes(256 * 1024);
    // A token of random bytes has a finding every few bytes: 4 KiB here, 256 KiB in
    // `many_findings_in_one_input_stay_quick`.
    sas_file("random.bin", &bytes[..4096], &["sas-"]);
    on_file(&["blob"], "random.bin", &bytes, &["dump-format-unknown"]);
    on_file(&["manifest"], "random.bin", &bytes, &["manifest-not-json"]);
    on_file(&["pipeline"], "random.bin", &bytes, &["pipeline-not-json"]);
    on_file(&["check"], "random.bin", &bytes, &["no input found"]);
    let scratch = Scratch::new();
    let path = scratch.file("random.bin", &bytes);
    for format in [
        "az-show",
        "az-list",
        "headers",
        "list-blobs-xml",
        "powershell",
    ] {
        on_file(
            &["blob", "--input-format", format],
            "random.bin",
            &bytes,
            &["blob"],
        );
    }
    // Lines that are not `azcopy list` lines are passed over without a word: the
    // listing reads as one of no blobs.
    let ran = run(
        &["blob", "--input-format", "azcopy", path.to_str().unwrap()],
        b"",
    );
    assert_ran("blob azcopy random.bin", &ran, bytes.len(), &["0 checked"]);
}

/// `bytes` give the same exit status and the same finding codes as `plain`.
fn same_as_plain(sub: &str, name: &str, plain: &[u8], bytes: &[u8], code: &str) {
    let scratch = Scratch::new();
    let codes = |file: &str, content: &[u8]| {
        let path = scratch.file(file, content);
        let ran = run(&["--format", "json", sub, path.to_str().unwrap()], b"");
        assert_ran(&format!("{sub} {file}"), &ran, content.len(), &[code]);
        let document: serde_json::Value = serde_json::from_str(&ran.stdout).expect("a JSON report");
        let mut found: Vec<String> = document["inputs"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|i| i["findings"].as_array().cloned().unwrap_or_default())
            .map(|f| f["code"].as_str().unwrap_or_default().to_string())
            .collect();
        found.sort();
        (ran.code, found)
    };
    assert_eq!(
        codes(name, bytes),
        codes("plain.json", plain),
        "{sub} {name}"
    );
}

/// `len` bytes of a fixed pseudo-random sequence (xorshift).
fn random_bytes(len: usize) -> Vec<u8> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect()
}
