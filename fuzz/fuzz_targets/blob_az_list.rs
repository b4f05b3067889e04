//! Fuzz target `blob_az_list`: the blob check on `az storage blob list` JSON.
//! The invariants are in `acr_preflight::invariants::commands::blob_az_list`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(violation) = acr_preflight::invariants::commands::blob_az_list(data) {
        panic!("{violation}");
    }
});
