//! Fuzz target `sas_split`: the SAS splitter against its grammar and against `url::form_urlencoded`.
//! The invariants are in `acr_preflight::invariants::split::sas_split`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(violation) = acr_preflight::invariants::split::sas_split(data) {
        panic!("{violation}");
    }
});
