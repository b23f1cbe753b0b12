#![no_main]
//! Fuzz target `wire`: the shared harness body (see kindred_core::fuzz).
libfuzzer_sys::fuzz_target!(init: kindred_core::fuzz::install_panic_hook(), |data: &[u8]| {
    kindred_core::fuzz::wire(data);
});
