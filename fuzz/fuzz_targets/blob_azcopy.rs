//! Fuzz target `blob_azcopy`: the blob check on `azcopy list` output.
//! The invariants are in `acr_preflight::invariants::commands::blob_azcopy`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(violation) = acr_preflight::invariants::commands::blob_azcopy(data) {
        panic!("{violation}");
    }
});
