//! The fuzz targets' bodies (kindred_core::fuzz), driven here by proptest
//! with arbitrary bytes and with mutations of real inputs, so CI runs the
//! same code the cargo-fuzz targets run (scripts/fuzz.sh for long runs).
//! Every input kept under fuzz/regressions/TARGET/ (a crash once found,
//! now fixed or contained) is replayed on every run.

use std::path::PathBuf;

use kindred_core::fuzz::{TARGETS, Target, seeds};
use proptest::prelude::*;

fn regressions_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions")
}

fn body(name: &str) -> fn(&[u8]) {
    TARGETS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, f): &Target| *f)
        .expect("a known target")
}

#[test]
fn every_target_has_a_cargo_fuzz_binary() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/fuzz_targets");
    for (name, _) in TARGETS {
        let src = std::fs::read_to_string(dir.join(format!("{name}.rs")))
            .unwrap_or_else(|_| panic!("fuzz/fuzz_targets/{name}.rs is missing"));
        assert!(
            src.contains(&format!("kindred_core::fuzz::{name}(")),
            "fuzz target {name} does not call the shared harness"
        );
    }
}

#[test]
fn kept_regression_inputs_run_clean() {
    let mut ran = 0;
    for (name, f) in TARGETS {
        let dir = regressions_dir().join(name);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries {
            let path = e.expect("a readable entry").path();
            let data = std::fs::read(&path).expect("a readable regression input");
            f(&data);
            ran += 1;
        }
    }
    assert!(ran > 0, "no regression inputs found under fuzz/regressions");
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        max_shrink_iters: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// A real input of `target` (if it has seeds) with a few bytes changed.
fn mutated(target: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let s = seeds(target);
    let s = if s.is_empty() { vec![Vec::new()] } else { s };
    (
        0..s.len(),
        prop::collection::vec((any::<usize>(), any::<u8>()), 0..8),
        prop::collection::vec(any::<u8>(), 0..16),
    )
        .prop_map(move |(i, flips, tail)| {
            let mut b = s[i].clone();
            for (at, v) in flips {
                if !b.is_empty() {
                    let n = b.len();
                    b[at % n] = v;
                }
            }
            b.extend_from_slice(&tail);
            b
        })
}

macro_rules! target_tests {
    ($($name:ident),*) => {$(
        mod $name {
            use super::*;
            proptest! {
                #![proptest_config(config())]
                #[test]
                fn arbitrary_bytes(data in prop::collection::vec(any::<u8>(), 0..2048)) {
                    body(stringify!($name))(&data);
                }
                #[test]
                fn mutated_real_inputs(data in mutated(stringify!($name))) {
                    body(stringify!($name))(&data);
                }
            }
        }
    )*};
}

target_tests!(wire, log, envelope, invite, pairing, sealed, engine);

/// Writes the seed inputs to fuzz/seeds/TARGET/ (scripts/fuzz.sh starts
/// each corpus from them). Run by hand when a seed kind changes:
/// `KINDRED_WRITE_FUZZ_SEEDS=1 cargo test -p kindred-tests --test fuzz_harness write_seeds`.
#[test]
fn write_seeds() {
    if std::env::var_os("KINDRED_WRITE_FUZZ_SEEDS").is_none() {
        return;
    }
    for (name, _) in TARGETS {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../fuzz/seeds")
            .join(name);
        std::fs::create_dir_all(&dir).expect("a seeds folder");
        for (i, s) in seeds(name).iter().enumerate() {
            std::fs::write(dir.join(format!("seed-{i}")), s).expect("a seed written");
        }
    }
}

#[test]
fn the_test_covers_every_target() {
    let names: Vec<&str> = TARGETS.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names,
        [
            "wire", "log", "envelope", "invite", "pairing", "sealed", "engine"
        ]
    );
}
