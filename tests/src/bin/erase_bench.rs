//! The delete-forever benchmark (issue 14), through a real `kindred-server`
//! (SQLite) on loopback, on the five-year dataset.
//!
//! `cargo run --release -p kindred-tests --bin erase_bench [-- --runs 5]`
//!
//! Each run deletes one check-in forever on device A and syncs (the space
//! starts afresh: a history-free snapshot under a new key, the relay's old
//! changes deleted), then device B syncs and follows. Reported, as medians
//! of the runs: the time on A (the delete, and the delete with its sync),
//! the bytes A sent to the relay and received, the requests, and the time
//! until B has applied it. Prints a Markdown table for docs/BENCHMARKS.md.

use std::time::{Duration, Instant};

use kindred_core::Kindred;
use kindred_core::sync::HttpTransport;
use kindred_tests::counting::Counting;
use kindred_tests::server::ServerProcess;
use kindred_tests::test_key;

use kindred_tests::bench_arg as arg;

fn median<T: Ord + Copy>(v: &mut [T]) -> T {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1e3)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runs = arg("--runs", 5).max(1) as usize;
    let server = ServerProcess::start_with(&kindred_tests::server::BENCH_LIMITS);
    let http = HttpTransport::new(&server.url)?;
    let tmp = tempfile::tempdir()?;
    eprintln!("writing the five-year dataset ...");
    let mut a = Kindred::init(&tmp.path().join("a"), &test_key(), "Sam's phone")?;
    kindred_tests::dataset::five_years(&mut a)?;
    a.sync(&http)?;
    eprintln!("pairing a second device ...");
    let mut b = kindred_tests::devices::pair(&http, &mut a, &tmp.path().join("b"), "Sam's tablet");
    b.sync(&http)?;
    let ids: Vec<_> = a
        .check_ins(None, None)?
        .into_iter()
        .take(runs)
        .map(|c| c.id)
        .collect();
    let (mut local, mut on_a, mut on_b, mut until_b) = (vec![], vec![], vec![], vec![]);
    let (mut sent, mut received, mut requests) = (vec![], vec![], vec![]);
    for (i, id) in ids.iter().enumerate() {
        eprintln!("run {} of {runs} ...", i + 1);
        let counting = Counting::new(&http);
        let t0 = Instant::now();
        a.delete_check_in_forever(id)?;
        local.push(t0.elapsed());
        a.sync(&counting)?;
        on_a.push(t0.elapsed());
        if a.erasures_waiting()? != 0 {
            return Err("the erasure did not reach the relay".into());
        }
        sent.push(counting.sent());
        received.push(counting.received());
        requests.push(counting.requests());
        let t1 = Instant::now();
        b.sync(&http)?;
        on_b.push(t1.elapsed());
        until_b.push(t0.elapsed());
        if b.check_in(id).is_ok() {
            return Err("the second device still has the erased check-in".into());
        }
    }
    let left = b.check_ins(None, None)?.len();
    println!(
        "| delete one check-in forever, 5-year dataset ({runs} runs, medians) | result | target |"
    );
    println!("|---|---|---|");
    println!(
        "| on the device: the delete itself | {} | |",
        ms(median(&mut local))
    );
    println!(
        "| on the device: delete and erasure made on the relay (one sync) | {} | <= 2 s |",
        ms(median(&mut on_a))
    );
    println!(
        "| bytes sent to the relay / received, requests | {:.2} MB / {:.2} MB, {} | |",
        median(&mut sent) as f64 / 1e6,
        median(&mut received) as f64 / 1e6,
        median(&mut requests)
    );
    println!(
        "| second device applies it (its sync) | {} | |",
        ms(median(&mut on_b))
    );
    println!(
        "| from the delete until the second device has applied it | {} | |",
        ms(median(&mut until_b))
    );
    eprintln!("({left} check-ins left on the second device)");
    drop(server);
    Ok(())
}
