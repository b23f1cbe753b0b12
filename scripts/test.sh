#!/usr/bin/env bash
# Every test of the project, as CI runs it: formatting, lints, then the
# whole Rust workspace: unit, CLI, crash, no-plaintext, sync property
# test, and end-to-end tests that start real server processes.
# Then the FFI library's Kotlin and Swift bindings are generated (CI fails
# if uniffi rejects the interface) and the Kotlin suites run with Maven
# against the host-built library and a real server: the bindings, the
# apps' state holders (android/shared), the Compose UI tests of every screen
# (android/ui, headless Skia) and the desktop app's; then the desktop app's
# runnable jar opens a real window under xvfb-run (a smoke test).
# Ends with one line "N passed, N failed" summing every suite.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TERM_COLOR=never
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# PostgreSQL for the storage suite and the relay-on-PostgreSQL test:
# the machine's own cluster, started here when it can be (CI installs it).
eval "$(./scripts/postgres.sh)"
if [ -z "${KINDRED_TEST_DATABASE_URL:-}" ]; then
  echo "note: no PostgreSQL here; its tests are skipped (under CI=true they fail instead)"
fi

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

echo "== bindings (Kotlin and Swift, generated from the built library)"
./scripts/bindings.sh

echo "== Kotlin (Maven, JUnit 5): bindings, app logic, UI tests of every screen, desktop app"
kstatus=0
reports="bindings/kotlin/target/surefire-reports android/shared/target/surefire-reports android/ui/target/surefire-reports desktop/target/surefire-reports"
rm -rf $reports
mvn -B -q package || kstatus=$?
kt_total=0; kt_failed=0
xmls=$(ls $(for r in $reports; do echo "$r/TEST-*.xml"; done) 2>/dev/null || true)
if [ -n "$xmls" ]; then
  # The first line of each report: the <testsuite> element with its counts.
  kt_total=$(for f in $xmls; do grep -m1 -o '<testsuite [^>]*' "$f" | grep -o ' tests="[0-9]*"'; done | grep -o '[0-9]*' | awk '{ s += $1 } END { print s + 0 }')
  kt_bad=$(for f in $xmls; do grep -m1 -o '<testsuite [^>]*' "$f" | grep -oE ' (failures|errors)="[0-9]*"'; done | grep -o '[0-9]*' | awk '{ s += $1 } END { print s + 0 }')
  kt_skip=$(for f in $xmls; do grep -m1 -o '<testsuite [^>]*' "$f" | grep -o ' skipped="[0-9]*"'; done | grep -o '[0-9]*' | awk '{ s += $1 } END { print s + 0 }')
  kt_failed=$kt_bad
  kt_passed=$((kt_total - kt_bad - kt_skip))
else
  kt_passed=0
fi
echo "kotlin: $kt_passed passed, $kt_failed failed"

echo "== desktop app: the runnable jar opens its window (xvfb-run)"
smoke_passed=0; smoke_failed=0
smoke_data=$(mktemp -d)
if [ -f desktop/target/kindred-desktop.jar ] && command -v xvfb-run >/dev/null 2>&1 \
  && timeout 300 xvfb-run -a java -Djna.library.path="$PWD/target/debug" -jar desktop/target/kindred-desktop.jar \
       --data "$smoke_data" --smoke >"$log" 2>&1 \
  && grep -q "^kindred desktop started: FirstRun$" "$log"; then
  smoke_passed=1
  echo "desktop: started"
else
  smoke_failed=1
  cat "$log" >&2 || true
  echo "desktop: did not start" >&2
fi
rm -rf "$smoke_data"
kt_passed=$((kt_passed + smoke_passed)); kt_failed=$((kt_failed + smoke_failed))

total_passed=$((passed + kt_passed))
total_failed=$((failed + kt_failed))
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  echo "$total_passed passed, $total_failed failed"
  echo "rust tests failed (cargo exit $status)" >&2
  exit 1
fi
if [ "$kstatus" -ne 0 ] || [ "$kt_failed" -ne 0 ] || [ "$kt_passed" -eq 0 ]; then
  echo "$total_passed passed, $total_failed failed"
  echo "kotlin tests failed (maven exit $kstatus)" >&2
  exit 1
fi
echo "$total_passed passed, $total_failed failed"
