#!/usr/bin/env bash
# Builds the FFI library for this host and generates its Kotlin and Swift
# bindings with the workspace's own uniffi-bindgen (fails if uniffi rejects
# the interface). The library is not stripped: uniffi reads its metadata.
#   Kotlin -> bindings/kotlin/target/generated-sources/uniffi
#   Swift  -> bindings/swift/generated (headers, modulemap, sources)
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --locked -p kindred-ffi -p kindred-server
lib=target/debug/libkindred_ffi.so
[ "$(uname)" = Darwin ] && lib=target/debug/libkindred_ffi.dylib

rm -rf bindings/kotlin/target/generated-sources/uniffi bindings/swift/generated
cargo run --locked -q -p kindred-ffi --features cli --bin uniffi-bindgen -- generate \
  --library "$lib" --language kotlin --no-format \
  --out-dir bindings/kotlin/target/generated-sources/uniffi
cargo run --locked -q -p kindred-ffi --features cli --bin uniffi-bindgen -- generate \
  --library "$lib" --language swift --no-format \
  --out-dir bindings/swift/generated

test -s bindings/kotlin/target/generated-sources/uniffi/org/kindred/ffi/kindred_ffi.kt
test -s bindings/swift/generated/KindredFFI.swift
test -s bindings/swift/generated/KindredFFIFFI.h
test -s bindings/swift/generated/KindredFFIFFI.modulemap
echo "bindings generated: kotlin and swift"
