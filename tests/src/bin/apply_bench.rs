//! What applying one change costs as a document grows (issue 17): device B
//! syncs one check-in from A at a time, on the in-memory relay (no network,
//! so the cost is the device's own), with B's personal space empty and
//! holding 10,000 check-ins.
//!
//! ```text
//! cargo run --release -p kindred-tests --bin apply_bench [-- --records 10000 --changes 400]
//! ```
//!
//! Prints a Markdown table: the median of B's `sync_space` for each size,
//! and the ratio (target: about 1x). For a profile:
//! `perf record --call-graph dwarf target/release/apply_bench`.

use std::time::{Duration, Instant};

use kindred_core::SpaceKind;
use kindred_tests::bench_arg;
use kindred_tests::devices::{check_in, device, pair, space_of};
use kindred_tests::memory_relay::MemoryRelay;

/// B's median time to sync one change, with `records` check-ins already held.
fn median_apply(records: u64, changes: u64) -> Duration {
    let relay = MemoryRelay::new();
    let d = tempfile::tempdir().expect("a temporary folder");
    let mut a = device(&d.path().join("a"), "phone");
    for i in 0..records {
        a.add_check_in(&check_in((i % 5 + 1) as i64, "a day"))
            .expect("a check-in");
    }
    a.sync(&relay).expect("a's first sync");
    let mut b = pair(&relay, &mut a, &d.path().join("b"), "tablet");
    b.sync(&relay).expect("b's first sync");
    let space = space_of(&b, SpaceKind::Personal);
    let mut times = Vec::new();
    for i in 0..changes {
        a.add_check_in(&check_in(3, &format!("evening {i}")))
            .expect("a check-in");
        a.sync_pending(&relay).expect("a sends");
        let t = Instant::now();
        b.sync_space(&relay, &space).expect("b pulls");
        times.push(t.elapsed());
    }
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let records = bench_arg("--records", 10_000);
    let changes = bench_arg("--changes", 400).max(1);
    let empty = median_apply(0, changes);
    let full = median_apply(records, changes);
    println!("| B syncs one change (in-memory relay), median of {changes} | result |");
    println!("|---|---|");
    println!("| empty space | {:.2} ms |", empty.as_secs_f64() * 1e3);
    println!(
        "| {records} check-ins | {:.2} ms |",
        full.as_secs_f64() * 1e3
    );
    println!(
        "| ratio | {:.2}x (target: about 1x) |",
        full.as_secs_f64() / empty.as_secs_f64().max(1e-9)
    );
}
