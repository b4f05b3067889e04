//! Fuzz target `pipeline`: the pipeline resource check.
//! The invariants are in `acr_preflight::invariants::commands::pipeline`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(violation) = acr_preflight::invariants::commands::pipeline(data) {
        panic!("{violation}");
    }
});
