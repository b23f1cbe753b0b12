//! The workspace's own `uniffi-bindgen`, at the same uniffi version as the
//! library, so generated Kotlin and Swift always match it:
//!
//! `cargo run -p kindred-ffi --features cli --bin uniffi-bindgen -- generate --library
//! target/debug/libkindred_ffi.so --language kotlin --out-dir OUT`
//! (run it on the unstripped library: stripping removes uniffi's metadata).

fn main() {
    uniffi::uniffi_bindgen_main()
}
