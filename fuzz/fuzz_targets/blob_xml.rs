//! Fuzz target `blob_xml`: the blob check on List Blobs XML.
//! The invariants are in `acr_preflight::invariants::commands::blob_xml`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(violation) = acr_preflight::invariants::commands::blob_xml(data) {
        panic!("{violation}");
    }
});
