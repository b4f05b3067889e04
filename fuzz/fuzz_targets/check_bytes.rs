//! Fuzz target `check_bytes`: the whole `check` command on one input: detection, every check, cross-checks.
//! The invariants are in `acr_preflight::invariants::commands::check_bytes`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(violation) = acr_preflight::invariants::commands::check_bytes(data) {
        panic!("{violation}");
    }
});
