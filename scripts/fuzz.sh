#!/usr/bin/env bash
# Runs one fuzz target, or all of them one after another, with cargo-fuzz
# on the stable toolchain (RUSTC_BOOTSTRAP=1 lets it use the nightly-only
# sanitizer flags). The targets are in fuzz/fuzz_targets; their bodies are
# kindred_core::fuzz, which tests/tests/fuzz_harness.rs also runs in CI.
#
#   scripts/fuzz.sh TARGET [SECONDS]   one target (default 600 s)
#   scripts/fuzz.sh all [SECONDS]      every target, each for SECONDS
#   scripts/fuzz.sh list               the target names
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). Builds go to
# $FUZZ_TARGET_DIR (default /work/fuzz-target, apart from the normal
# target dir: the sanitizer flags differ). A crash is written to
# fuzz/artifacts/TARGET/; keep it under fuzz/regressions/TARGET/ once fixed.
# KINDRED_FUZZ_GUARDED=crash also stops on panics the engine contains (to
# find inputs that panic automerge itself).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
TARGETS=(wire log envelope invite pairing sealed engine)
what=${1:-}
secs=${2:-600}
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR=${FUZZ_TARGET_DIR:-/work/fuzz-target}

run() {
    local t=$1
    mkdir -p "corpus/$t" "artifacts/$t"
    # Seeds (real inputs) and kept regressions start the corpus.
    for d in seeds regressions; do
        if [ -d "$d/$t" ]; then cp -n "$d/$t"/* "corpus/$t/" 2>/dev/null || true; fi
    done
    echo "== fuzz $t for ${secs}s"
    cargo fuzz run "$t" "corpus/$t" -- \
        -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 \
        -artifact_prefix="artifacts/$t/" -print_final_stats=1
}

case "$what" in
    list) printf '%s\n' "${TARGETS[@]}" ;;
    all) for t in "${TARGETS[@]}"; do run "$t"; done ;;
    "") echo "usage: scripts/fuzz.sh TARGET|all|list [SECONDS]" >&2; exit 2 ;;
    *) run "$what" ;;
esac
