#!/usr/bin/env bash
# Every test of the project, as CI runs it: formatting, lints, then the
# whole Rust workspace: unit, CLI, crash, no-plaintext, sync property
# test, and end-to-end tests that start real server processes.
# Issue 5 adds the Kotlin (Maven) suite here.
# Ends with one line "N passed, N failed" summing every suite.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TERM_COLOR=never
log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== cargo test (workspace)"
status=0
cargo test --workspace --locked 2>&1 | tee "$log" || status=$?

passed=$(awk '/^test result:/ { for (i = 1; i <= NF; i++) if ($(i+1) ~ /^passed;?$/) s += $i } END { print s + 0 }' "$log")
failed=$(awk '/^test result:/ { for (i = 1; i <= NF; i++) if ($(i+1) ~ /^failed;?$/) s += $i } END { print s + 0 }' "$log")
echo
echo "rust: $passed passed, $failed failed"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  echo "tests failed (cargo exit $status)" >&2
  exit 1
fi
echo "$passed passed, $failed failed"
