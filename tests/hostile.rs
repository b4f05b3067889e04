//! Hostile input through the library: the JSON reader and input decoding must end each
//! of these with an error or a result, within seconds and bounded memory, and never
//! overflow the stack.
//!
//! Each case runs in a child process of this test binary (the test re-runs itself with
//! `--exact <case>`), so a stack overflow or an abort fails that case with a message
//! instead of killing every test, a hang is killed at the deadline, and the child's
//! peak resident memory (`VmHWM`, Linux only) belongs to that case alone.

// The child reports its peak memory on stdout; the parent prints each case's figures.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Read;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use acr_preflight::input::{self, Repair};
use acr_preflight::invariants::targets;
use acr_preflight::json::{self, MAX_DEPTH};

/// Set in a child process to the one case it runs.
const CASE_VAR: &str = "ACR_PREFLIGHT_HOSTILE_CASE";

/// Longest a case may take, in a debug build on a machine busy with other tests. Every
/// case takes a few seconds at most on an idle machine.
const DEADLINE: Duration = Duration::from_secs(30);

/// Peak resident memory any case may reach besides what its input accounts for: the
/// test harness and allocator, with room to spare.
const MEMORY_BASE_KIB: u64 = 64 * 1024;

/// How much memory a case may use: `per_byte` bytes for each of `input` bytes, on top
/// of `MEMORY_BASE_KIB`.
#[derive(Debug, Clone, Copy)]
struct Budget {
    input: u64,
    per_byte: u64,
}

impl Budget {
    /// Reading: the input, its decoded text, and the values read (a string value is a
    /// copy), with room for a second read.
    fn read(input: usize) -> Budget {
        Budget {
            input: input as u64,
            per_byte: 8,
        }
    }

    /// Reading and checking every invariant of the `json` target: the checks hold two
    /// reads, `serde_json`'s read and a masked copy, and the human rendering of a long
    /// line is about five bytes per input byte, held twice while secrets are scrubbed.
    fn checked(input: usize) -> Budget {
        Budget {
            input: input as u64,
            per_byte: 24,
        }
    }

    fn limit_kib(self) -> u64 {
        MEMORY_BASE_KIB + self.input * self.per_byte / 1024
    }
}

const PEAK_PREFIX: &str = "hostile-peak-kib=";

/// Runs `case` in a child process and checks it finished, in time, within memory.
///
/// `name` must be the name of the calling `#[test]` function.
fn isolated(name: &str, budget: Budget, case: impl FnOnce()) {
    if std::env::var(CASE_VAR).as_deref() == Ok(name) {
        case();
        if let Some(peak) = peak_kib() {
            // On a line of its own: the harness has already printed `test <name> ... `.
            println!("\n{PEAK_PREFIX}{peak}");
        }
        return;
    }
    let started = Instant::now();
    let (status, stdout, stderr) = run_child(name);
    let elapsed = started.elapsed();
    assert!(
        status == Some(true),
        "{name}: the case failed or was killed after {elapsed:?} (deadline {DEADLINE:?})\n\
         --- stdout\n{stdout}\n--- stderr\n{stderr}"
    );
    assert!(
        stdout.contains("1 passed"),
        "{name}: the child ran no case; is {name} the test's name?\n{stdout}"
    );
    let limit = budget.limit_kib();
    if let Some(peak) = stdout.lines().find_map(|l| l.strip_prefix(PEAK_PREFIX)) {
        let peak: u64 = peak.trim().parse().expect("a number of KiB");
        eprintln!("{name}: {elapsed:?}, peak {peak} KiB (limit {limit} KiB)");
        assert!(
            peak <= limit,
            "{name}: peak memory {peak} KiB over {limit} KiB"
        );
    }
}

/// Runs this test binary for one case; `Some(success)` or `None` when killed at the
/// deadline.
fn run_child(name: &str) -> (Option<bool>, String, String) {
    let mut child = Command::new(std::env::current_exe().expect("the test binary's path"))
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(CASE_VAR, name)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the test binary runs");
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let deadline = Instant::now() + DEADLINE;
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for the child") {
            break Some(status.success());
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        thread::sleep(Duration::from_millis(20));
    };
    let text = |h: thread::JoinHandle<String>| h.join().unwrap_or_default();
    (status, text(stdout), text(stderr))
}

/// Reads a pipe to its end on a thread, so a chatty child cannot block on a full pipe.
fn drain(pipe: Option<impl Read + Send + 'static>) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// This process's peak resident memory in KiB, where `/proc` tells it.
fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn repeat(piece: &str, times: usize) -> String {
    piece.repeat(times)
}

/// Runs the `json` fuzz target's checks, which also render the result.
fn holds_invariants(data: &[u8]) {
    if let Err(violation) = targets::json(data) {
        panic!("{violation}");
    }
}

const DEEP: usize = 200_000;

#[test]
fn json_arrays_nested_200000_deep_are_refused() {
    isolated(
        "json_arrays_nested_200000_deep_are_refused",
        Budget::checked(2 * DEEP),
        || {
            let text = repeat("[", DEEP) + &repeat("]", DEEP);
            let error = json::parse(&text).expect_err("nesting past the limit is refused");
            assert!(
                error.message.contains("nested more than"),
                "{}",
                error.message
            );
            assert_eq!(error.span.start, MAX_DEPTH);
            holds_invariants(text.as_bytes());
        },
    );
}

#[test]
fn json_objects_nested_200000_deep_are_refused() {
    let budget = Budget::checked(DEEP * 6 + 1);
    isolated(
        "json_objects_nested_200000_deep_are_refused",
        budget,
        || {
            let text = repeat("{\"a\":", DEEP) + "1" + &repeat("}", DEEP);
            let error = json::parse(&text).expect_err("nesting past the limit is refused");
            assert!(
                error.message.contains("nested more than"),
                "{}",
                error.message
            );
            holds_invariants(text.as_bytes());
        },
    );
}

#[test]
fn json_opened_200000_times_and_never_closed_is_refused() {
    isolated(
        "json_opened_200000_times_and_never_closed_is_refused",
        Budget::checked(DEEP),
        || {
            let text = repeat("[{\"k\":", DEEP / 6);
            assert!(json::parse(&text).is_err());
            holds_invariants(text.as_bytes());
        },
    );
}

#[test]
fn every_truncation_of_a_real_dump_is_an_error() {
    let real = include_str!("corpus/real/az-list.json");
    isolated(
        "every_truncation_of_a_real_dump_is_an_error",
        Budget::checked(real.len()),
        || {
            let whole = real.trim_end();
            assert!(json::parse(whole).is_ok(), "the untruncated dump reads");
            let cuts = (0..whole.len()).filter(|&i| whole.is_char_boundary(i));
            for (n, cut) in cuts.enumerate() {
                let prefix = &whole[..cut];
                let error = json::parse(prefix).expect_err("a truncated object is not JSON");
                assert!(
                    error.span.end <= prefix.len(),
                    "cut at {cut}: span {:?}",
                    error.span
                );
                if n % 97 == 0 {
                    holds_invariants(prefix.as_bytes());
                }
            }
        },
    );
}

/// The same JSON in UTF-8 with a byte-order mark and in UTF-16 both ways reads as the
/// plain UTF-8 file does, through files on disk.
#[test]
fn json_files_with_a_byte_order_mark_read_as_plain_utf8() {
    let real = include_str!("corpus/real/az-show-run-2026-12-01.json");
    isolated(
        "json_files_with_a_byte_order_mark_read_as_plain_utf8",
        Budget::checked(3 * real.len()),
        || {
            let plain = json::parse(real).expect("the real dump reads");
            let encodings: [(&str, Vec<u8>, Repair); 3] = [
                (
                    "utf8-bom",
                    [&[0xEF, 0xBB, 0xBF][..], real.as_bytes()].concat(),
                    Repair::Utf8Bom,
                ),
                (
                    "utf16le",
                    utf16(real, false),
                    Repair::Utf16 { big_endian: false },
                ),
                (
                    "utf16be",
                    utf16(real, true),
                    Repair::Utf16 { big_endian: true },
                ),
            ];
            let dir =
                std::env::temp_dir().join(format!("acr-preflight-hostile-{}", std::process::id()));
            std::fs::create_dir_all(&dir).expect("a temporary folder");
            for (name, bytes, repair) in encodings {
                let path = dir.join(name);
                std::fs::write(&path, &bytes).expect("a temporary file");
                let decoded = input::decode(&input::read_file(&path).expect("the file reads"));
                assert_eq!(decoded.repairs, vec![repair], "{name}");
                assert_eq!(json::parse(&decoded.text).as_ref(), Ok(&plain), "{name}");
                holds_invariants(&bytes);
            }
            let _ = std::fs::remove_dir_all(&dir);
        },
    );
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mark: &[u8] = if big_endian {
        &[0xFE, 0xFF]
    } else {
        &[0xFF, 0xFE]
    };
    let units = text.encode_utf16().flat_map(|u| {
        if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        }
    });
    mark.iter().copied().chain(units).collect()
}

/// UTF-16 without a byte-order mark is recognised by its NUL bytes, said so, and read
/// as the text it is.
#[test]
fn utf16_without_a_mark_is_recognised_by_its_nul_bytes() {
    let real = include_str!("corpus/real/az-show-run-2026-12-01.json");
    isolated(
        "utf16_without_a_mark_is_recognised_by_its_nul_bytes",
        Budget::checked(2 * real.len()),
        || {
            let bytes = &utf16(real, false)[2..];
            let decoded = input::decode(bytes);
            assert_eq!(
                decoded.repairs,
                vec![Repair::Utf16WithoutBom { big_endian: false }]
            );
            assert_eq!(decoded.text, real);
            assert!(json::parse(&decoded.text).is_ok());
            holds_invariants(bytes);
        },
    );
}

const DIGITS: usize = 100_000;

#[test]
fn numbers_with_100000_digits_are_kept_as_text() {
    isolated(
        "numbers_with_100000_digits_are_kept_as_text",
        Budget::checked(3 * DIGITS),
        || {
            let integer = repeat("9", DIGITS);
            let fraction = format!("0.{}", repeat("1", DIGITS));
            let exponent = format!("1e{}", repeat("7", DIGITS));
            let text = format!("[{integer}, {fraction}, {exponent}]");
            let root = json::parse(&text).expect("long numbers are JSON");
            let items = root.as_array().expect("an array");
            assert_eq!(items[0].as_number_text(), Some(integer.as_str()));
            assert_eq!(items[0].as_u64(), None);
            assert_eq!(items[1].as_number_text(), Some(fraction.as_str()));
            assert_eq!(items[2].as_number_text(), Some(exponent.as_str()));
            holds_invariants(text.as_bytes());
        },
    );
}

const MIB: usize = 1024 * 1024;

#[test]
fn a_mebibyte_of_nul_bytes_is_an_error() {
    isolated(
        "a_mebibyte_of_nul_bytes_is_an_error",
        Budget::read(MIB),
        || {
            let bytes = vec![0u8; MIB];
            let decoded = input::decode(&bytes);
            assert_eq!(decoded.text.len(), MIB, "NUL is valid UTF-8 and kept");
            let error = json::parse(&decoded.text).expect_err("NUL is not JSON");
            assert_eq!(error.span, 0..1);
            for text in ["{\"a\": \"\0\"}", "[1,\0 2]", "\0"] {
                assert!(json::parse(text).is_err(), "{text:?}");
                holds_invariants(text.as_bytes());
            }
        },
    );
}

#[test]
fn megabytes_of_invalid_utf8_are_replaced_and_located() {
    let budget = Budget::read(4 * MIB);
    isolated(
        "megabytes_of_invalid_utf8_are_replaced_and_located",
        budget,
        || {
            let solid = vec![0xFFu8; 4 * MIB];
            let decoded = input::decode(&solid);
            assert_eq!(decoded.repairs, vec![Repair::InvalidUtf8(0..3 * 4 * MIB)]);
            assert!(json::parse(&decoded.text).is_err());
        },
    );
}

/// Every other byte bad: one repair each, which is the most repairs an input can have.
#[test]
fn alternating_invalid_utf8_is_replaced_and_located() {
    // Each repair (24 bytes) is noted for two input bytes, and the checks decode twice.
    let budget = Budget {
        input: 2 * MIB as u64,
        per_byte: 48,
    };
    isolated(
        "alternating_invalid_utf8_is_replaced_and_located",
        budget,
        || {
            let mut mixed = b"{\"a\": \"".to_vec();
            mixed.extend(b"x\xC3".repeat(MIB));
            mixed.extend(b"\"}");
            let decoded = input::decode(&mixed);
            assert_eq!(
                decoded.repairs.len(),
                MIB,
                "one repair per bad byte between good ones"
            );
            let root = json::parse(&decoded.text).expect("replacement characters are JSON text");
            assert_eq!(
                root.get("a").and_then(|v| v.as_str()).map(str::len),
                Some(4 * MIB)
            );
            holds_invariants(&mixed);
        },
    );
}

const BIG_STRING: usize = 20 * MIB;

fn string_document(size: usize) -> String {
    format!("{{\"contentMd5\": \"{}\"}}", repeat("A", size))
}

#[test]
fn a_20_mib_string_value_is_read() {
    isolated(
        "a_20_mib_string_value_is_read",
        Budget::read(BIG_STRING),
        || {
            let text = string_document(BIG_STRING);
            let decoded = input::decode(text.as_bytes());
            let root = json::parse(&decoded.text).expect("a long string is JSON");
            let value = root.get("contentMd5").and_then(|v| v.as_str());
            assert_eq!(value.map(str::len), Some(BIG_STRING));
        },
    );
}

/// Rendering shows the whole line, about five bytes of output per input byte, and
/// takes seconds for 20 MiB in a debug build; 4 MiB keeps this case quick.
#[test]
fn a_4_mib_string_value_renders() {
    let size = 4 * MIB;
    isolated(
        "a_4_mib_string_value_renders",
        Budget::checked(size),
        || {
            holds_invariants(string_document(size).as_bytes());
        },
    );
}
