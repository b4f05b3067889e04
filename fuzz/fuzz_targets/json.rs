//! Fuzz target `json`: the span-keeping JSON reader (`src/json.rs`) on decoded input.
//! The invariants are in `acr_preflight::invariants::targets::json`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(violation) = acr_preflight::invariants::targets::json(data) {
        panic!("{violation}");
    }
});
