#!/usr/bin/env bash
# Builds KindredFFI.xcframework for iOS devices and simulators and the
# Swift bindings, on macOS with Xcode and the Rust iOS targets installed:
#   rustup target add aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios
# Output: ios/KindredCore/KindredFFIFFI.xcframework and
# ios/KindredCore/Sources/KindredCore/KindredFFI.swift (generated).
set -euo pipefail
cd "$(dirname "$0")/.."

profile=mobile
for t in aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios; do
  cargo build --locked --profile "$profile" -p kindred-ffi --lib --target "$t"
done

gen=target/swift-generated
rm -rf "$gen" && mkdir -p "$gen"
# Generate from an unstripped library (uniffi reads its metadata).
cargo run --locked -q -p kindred-ffi --features cli --bin uniffi-bindgen -- generate \
  --library "target/aarch64-apple-ios/$profile/libkindred_ffi.a" --language swift --out-dir "$gen"

headers="$gen/headers"
mkdir -p "$headers"
cp "$gen/KindredFFIFFI.h" "$headers/"
cp "$gen/KindredFFIFFI.modulemap" "$headers/module.modulemap"

sim=target/ios-sim-universal
mkdir -p "$sim"
lipo -create \
  "target/aarch64-apple-ios-sim/$profile/libkindred_ffi.a" \
  "target/x86_64-apple-ios/$profile/libkindred_ffi.a" \
  -output "$sim/libkindred_ffi.a"

out=ios/KindredCore/KindredFFIFFI.xcframework
rm -rf "$out"
xcodebuild -create-xcframework \
  -library "target/aarch64-apple-ios/$profile/libkindred_ffi.a" -headers "$headers" \
  -library "$sim/libkindred_ffi.a" -headers "$headers" \
  -output "$out"
cp "$gen/KindredFFI.swift" ios/KindredCore/Sources/KindredCore/KindredFFI.swift
echo "built $out"
