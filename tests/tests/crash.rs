//! Crash safety: a write that returned Ok survives `kill -9`.
//!
//! A child process records check-ins in a loop and prints each id after the
//! call returns; the parent kills it with SIGKILL at a random moment,
//! reopens the store, and checks that every reported id is there and the
//! store opens cleanly. Twenty rounds on the same store, with compaction
//! every 16 chunks so some kills land during a compaction.
#![allow(clippy::unwrap_used)]

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use kindred_core::{Id, Kindred};
use kindred_tests::{Rng, test_key};

const ROUNDS: usize = 20;

#[test]
fn every_reported_write_survives_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    drop(Kindred::init(dir.path(), &test_key(), "crash test").unwrap());
    let seed = Rng::seed_from_clock();
    eprintln!("crash test seed {seed}");
    let mut rng = Rng::new(seed);
    let mut reported: HashSet<String> = HashSet::new();

    for round in 0..ROUNDS {
        let mut child = Command::new(env!("CARGO_BIN_EXE_crash_writer"))
            .arg(dir.path())
            .arg("16")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel::<String>();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                match line {
                    Ok(l) => {
                        if tx.send(l).is_err() {
                            return;
                        }
                    }
                    Err(_) => return,
                }
            }
        });
        // Wait for the first write so every round kills a busy writer,
        // then let it run a random while.
        let first = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("writer started");
        std::thread::sleep(Duration::from_millis(rng.range(5, 250)));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        reader.join().unwrap();
        let mut this_round = vec![first];
        this_round.extend(rx.try_iter());
        // A line cut short by the kill is not a report.
        this_round.retain(|l| l.len() == 32);
        assert!(!this_round.is_empty());
        reported.extend(this_round);

        let mut k = Kindred::open(dir.path(), &test_key())
            .unwrap_or_else(|e| panic!("round {round}: store did not reopen: {e}"));
        let present: HashSet<String> = k
            .check_ins(None, None)
            .unwrap_or_else(|e| panic!("round {round}: check-ins unreadable: {e}"))
            .into_iter()
            .map(|c| c.id.to_string())
            .collect();
        let missing: Vec<&String> = reported
            .iter()
            .filter(|id| !present.contains(*id))
            .collect();
        assert!(
            missing.is_empty(),
            "round {round} (seed {seed}): {} reported writes missing",
            missing.len()
        );
        // The store still takes writes after every crash.
        let id = k
            .add_check_in(&kindred_core::model::NewCheckIn {
                occurred_at: time::OffsetDateTime::now_utc(),
                mood: 3,
                energy: None,
                tags: vec![],
                note: None,
            })
            .unwrap();
        reported.insert(id.to_string());
        assert!(Id::parse(id.as_str()).is_some());
    }
    eprintln!(
        "{} writes reported across {ROUNDS} kills, all present",
        reported.len()
    );
}
