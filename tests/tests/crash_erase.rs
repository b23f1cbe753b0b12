//! Crash safety of a fresh start (issue 14): a device following an
//! erasure is killed with SIGKILL at random moments, 24 rounds, each
//! after a new erasure. Afterwards its store opens, and it holds either
//! the old epoch complete (the erased check-in still there, nothing of the
//! new start) or the new one complete (the erased check-in gone, nothing
//! else lost), never a mix; its own pending check-in is there either way.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use kindred_core::Kindred;
use kindred_core::sync::HttpTransport;
use kindred_tests::devices::{check_in, device, dirs, pair};
use kindred_tests::server::{BENCH_LIMITS, ServerProcess, postgres_relay, psql, test_database_url};
use kindred_tests::{Rng, test_key};

const ROUNDS: usize = 24;

fn ids(k: &mut Kindred) -> BTreeSet<String> {
    k.check_ins(None, None)
        .unwrap()
        .into_iter()
        .map(|c| c.id.to_string())
        .collect()
}

#[test]
fn a_fresh_start_killed_at_any_moment_leaves_one_whole_epoch() {
    // Every round signs in from a new process: the relay's per-address
    // sign-in limit is raised as for the benches.
    rounds(&ServerProcess::start_with(&BENCH_LIMITS), "sqlite");
    if let Some(url) = test_database_url() {
        let (server, schema) = postgres_relay(&url, "crash_erase", &BENCH_LIMITS);
        rounds(&server, "postgres");
        drop(server);
        psql(&url, &format!("DROP SCHEMA {schema} CASCADE"));
    }
}

fn rounds(server: &ServerProcess, backend: &str) {
    let t = HttpTransport::new(&server.url).unwrap();
    let d = dirs(2);
    let mut phone = device(d[0].path(), "Sam's phone");
    // Enough records that following an erasure takes a while.
    let mut doomed = Vec::new();
    for i in 0..400 {
        let id = phone
            .add_check_in(&check_in(3, &format!("check-in #{i}#")))
            .unwrap();
        if i < ROUNDS {
            doomed.push(id);
        }
    }
    phone.sync(&t).unwrap();
    let tablet_dir = d[1].path().to_path_buf();
    drop(pair(&t, &mut phone, &tablet_dir, "Sam's tablet"));
    let seed = Rng::seed_from_clock();
    eprintln!("crash_erase seed {seed}");
    let mut rng = Rng::new(seed);
    let (mut old_kept, mut new_kept) = (0, 0);
    for (round, bad) in doomed.iter().enumerate() {
        // The tablet writes while it has no signal...
        let mut tablet = Kindred::open(&tablet_dir, &test_key()).unwrap();
        tablet.sync(&t).unwrap();
        tablet
            .add_check_in(&check_in(2, &format!("offline {round}")))
            .unwrap();
        let old = ids(&mut tablet);
        drop(tablet);
        // ... while the phone deletes one check-in forever.
        phone.delete_check_in_forever(bad).unwrap();
        phone.sync(&t).unwrap();
        assert_eq!(phone.erasures_waiting().unwrap(), 0);
        let mut new = old.clone();
        new.remove(&bad.to_string());

        let mut child = Command::new(env!("CARGO_BIN_EXE_erase_follower"))
            .arg(&tablet_dir)
            .arg(&server.url)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "opened", "the follower started");
        std::thread::sleep(Duration::from_millis(rng.range(0, 400)));
        child.kill().unwrap();
        child.wait().unwrap();

        let mut tablet = Kindred::open(&tablet_dir, &test_key())
            .unwrap_or_else(|e| panic!("round {round}: the store did not reopen: {e}"));
        let now = ids(&mut tablet);
        // The words go with the record: still in the history with the old
        // epoch, nowhere with the new one.
        let words_here = tablet.holds_text_anywhere(&format!("#{round}#")).unwrap();
        if now == old {
            assert!(words_here, "round {round}: the old epoch lost its history");
            old_kept += 1;
        } else if now == new {
            assert!(
                !words_here,
                "round {round}: the erased words are still here"
            );
            new_kept += 1;
        } else {
            panic!(
                "round {round}: a mix: {} missing, {} extra",
                old.difference(&now).count(),
                now.difference(&old).count()
            );
        }
        // It finishes (in this process) and the two agree.
        tablet.sync(&t).unwrap();
        assert_eq!(ids(&mut tablet), new, "round {round}: after finishing");
        phone.sync(&t).unwrap();
        assert_eq!(ids(&mut phone), new, "round {round}: the phone has it all");
    }
    eprintln!(
        "crash_erase on {backend}: {old_kept} rounds left the old epoch, {new_kept} the new one"
    );
}
