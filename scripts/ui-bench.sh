#!/usr/bin/env bash
# Issue 12's benchmark of the screens (docs/BENCHMARKS.md): opening the
# five-year dataset to Today's first frame, and a check-in from tap to shown,
# both while a sync is stuck on a relay that never answers. Prints a table.
#   ./scripts/ui-bench.sh [open-runs] [check-in taps]
# Needs the native library (scripts/bindings.sh); a release build of it is
# what the figures are for: KINDRED_LIB=target/release after
# `cargo build --release -p kindred-ffi`.
set -euo pipefail
cd "$(dirname "$0")/.."
lib="${KINDRED_LIB:-target/debug}"
mvn -B -q install -DskipTests -pl bindings/kotlin,android/shared
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/ui-bench.classpath -Dmdep.includeScope=test -pl android/ui
cp="android/ui/target/test-classes:android/ui/target/classes:$(cat android/ui/target/ui-bench.classpath)"
java -Xmx2g -Djava.awt.headless=true -Djna.library.path="$PWD/$lib" -cp "$cp" org.kindred.ui.bench.TodayBenchKt "$@"
