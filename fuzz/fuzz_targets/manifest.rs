//! Fuzz target `manifest`: the image manifest check.
//! The invariants are in `acr_preflight::invariants::commands::manifest`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(violation) = acr_preflight::invariants::commands::manifest(data) {
        panic!("{violation}");
    }
});
