//! Fuzz target `blob_headers`: the blob check on Get Blob Properties headers.
//! The invariants are in `acr_preflight::invariants::commands::blob_headers`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(violation) = acr_preflight::invariants::commands::blob_headers(data) {
        panic!("{violation}");
    }
});
