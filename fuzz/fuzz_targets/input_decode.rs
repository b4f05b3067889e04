//! Fuzz target `input_decode`: bytes to text (`src/input.rs`).
//! The invariants are in `acr_preflight::invariants::targets::input_decode`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(violation) = acr_preflight::invariants::targets::input_decode(data) {
        panic!("{violation}");
    }
});
