//! Replays every checked-in fuzz seed (`fuzz/seeds/<target>/`) and every saved crash
//! (`fuzz/regressions/<target>/`) through the same invariant checks as the fuzz target
//! of that name, so plain `cargo test` keeps what fuzzing found fixed.
//!
//! The targets come from `acr_preflight::invariants::targets::ALL`; a new target needs
//! one line there and one `replay!` line here. A crash found by fuzzing becomes a file
//! in `fuzz/regressions/<target>/` plus a named test at the bottom of this file.

use std::fs;
use std::path::{Path, PathBuf};

use acr_preflight::invariants::targets::{self, Target};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

fn target(name: &str) -> Target {
    targets::ALL
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
        .unwrap_or_else(|| panic!("no fuzz target named {name} in invariants::targets::ALL"))
}

/// The files of `dir`, sorted; none when it does not exist.
fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("readable directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs one saved input through the target's checks.
fn replay_file(name: &str, path: &Path) {
    let data = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if let Err(violation) = target(name)(&data) {
        panic!("{name}: {}: {violation}", path.display());
    }
}

/// Replays all seeds and regressions of one target; it must have seeds.
fn replay_all(name: &str) {
    let seeds = files(&fuzz_dir().join("seeds").join(name));
    assert!(!seeds.is_empty(), "fuzz/seeds/{name}/ has no seeds");
    let regressions = files(&fuzz_dir().join("regressions").join(name));
    for path in seeds.iter().chain(&regressions) {
        replay_file(name, path);
    }
}

macro_rules! replay {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                replay_all(stringify!($name));
            }
        )*

        /// Every target has a replay test here, a fuzz target file and seeds.
        #[test]
        fn every_target_is_replayed_and_built() {
            let replayed = [$(stringify!($name)),*];
            let listed: Vec<&str> = targets::ALL.iter().map(|(n, _)| *n).collect();
            assert_eq!(listed, replayed, "invariants::targets::ALL and replay! differ");
            let manifest = fs::read_to_string(fuzz_dir().join("Cargo.toml")).unwrap();
            for name in replayed {
                let file = fuzz_dir().join("fuzz_targets").join(format!("{name}.rs"));
                assert!(file.is_file(), "{} is missing", file.display());
                assert!(
                    manifest.contains(&format!("name = \"{name}\"")),
                    "fuzz/Cargo.toml has no [[bin]] named {name}"
                );
            }
        }
    };
}

replay!(
    json,
    input_decode,
    sas,
    sas_split,
    blob_az_show,
    blob_az_list,
    blob_headers,
    blob_xml,
    blob_azcopy,
    manifest,
    pipeline,
    check_bytes,
);

#[test]
fn every_target_file_has_a_target() {
    for path in files(&fuzz_dir().join("fuzz_targets")) {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        assert!(
            targets::ALL.iter().any(|(n, _)| *n == stem),
            "{} has no entry in invariants::targets::ALL",
            path.display()
        );
    }
}

// Named regressions: one test per file in fuzz/regressions/<target>/, named after the
// defect.

fn regression(target: &str, file: &str) {
    replay_file(
        target,
        &fuzz_dir().join("regressions").join(target).join(file),
    );
}

/// A SAS URL whose `?` was lost: no token is found, and the signature after `&sig=`
/// was shown unmasked in the source line.
#[test]
fn sas_signature_in_a_url_without_question_mark_is_masked() {
    regression("sas", "sas-url-without-question-mark.sas");
    regression("check_bytes", "sas-url-without-question-mark.txt");
}

/// Bytes that are not UTF-8 before the place a streamed listing stops: the error's
/// byte offset in the raw window pointed inside a U+FFFD of the decoded window.
#[test]
fn blob_listing_split_error_after_bad_bytes_points_at_a_whole_character() {
    regression("blob_az_list", "bad-bytes-before-a-split-error.json");
    regression("blob_az_show", "bad-bytes-before-a-split-error.json");
}

/// A field with an empty name given twice (`=&=`), or holding a control character: the
/// finding named no field.
#[test]
fn sas_findings_on_an_unnamed_field_name_a_field() {
    regression("sas", "duplicate-unnamed-field.sas");
    regression("sas", "control-character-in-unnamed-field.sas");
}

/// A layer url whose host ends in a period: the message ended with the host, so with a
/// period that was not the message's.
#[test]
fn manifest_url_hosts_are_quoted_in_messages() {
    regression("manifest", "url-host-ending-in-a-period.json");
}
