//! Fuzz target `sas`: the whole SAS check on a token as pasted.
//! The invariants are in `acr_preflight::invariants::commands::sas`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(violation) = acr_preflight::invariants::commands::sas(data) {
        panic!("{violation}");
    }
});
