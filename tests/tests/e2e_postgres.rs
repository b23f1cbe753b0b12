//! The relay on PostgreSQL, as its own process: devices pair, work offline
//! and converge; acknowledged data survives kill -9. Runs when
//! `KINDRED_TEST_DATABASE_URL` names a database; under CI (`CI=true`) a
//! missing URL fails instead of skipping.
#![allow(clippy::unwrap_used)]

use kindred_core::sync::HttpTransport;
use kindred_protocol::messages::{AppendLog, ErrorCode, LogHead, PullPage, PushResult};
use kindred_protocol::{Action, Bytes, KeyFor, encode};
use kindred_tests::api::{RawApi, path, push};
use kindred_tests::devices::{check_in, device, goal, pair, view};
use kindred_tests::server::ServerProcess;
use kindred_tests::signer::{Dev, wrapped};

fn database_url() -> Option<String> {
    match std::env::var("KINDRED_TEST_DATABASE_URL") {
        Ok(u) if !u.is_empty() => Some(u),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("KINDRED_TEST_DATABASE_URL is not set: CI runs the relay on PostgreSQL too")
        }
        _ => None,
    }
}

#[test]
fn devices_converge_through_a_relay_on_postgres_and_survive_kill_9() {
    let Some(url) = database_url() else {
        eprintln!("skipped: no KINDRED_TEST_DATABASE_URL");
        return;
    };
    let mut server = ServerProcess::start_with(&[("KINDRED_DATABASE_URL", &url)]);
    let t = HttpTransport::new(&server.url).unwrap();
    let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut a = device(dirs[0].path(), "phone");
    let g = a.add_goal(&goal("Swim on Saturdays")).unwrap();
    let mut b = pair(&t, &mut a, dirs[1].path(), "tablet");
    let mut c = pair(&t, &mut a, dirs[2].path(), "laptop");
    for (i, k) in [&mut a, &mut b, &mut c].into_iter().enumerate() {
        k.add_check_in(&check_in(3, &format!("from device {i}")))
            .unwrap();
        k.sync(&t).unwrap();
    }
    // Everything acknowledged is in PostgreSQL: kill the relay, start it
    // again on the same database, and the devices carry on.
    server.kill9();
    server.restart();
    let t = HttpTransport::new(&server.url).unwrap();
    b.add_step(&g, "Find the pool's hours", None).unwrap();
    for _ in 0..2 {
        for k in [&mut a, &mut b, &mut c] {
            k.sync(&t).unwrap();
        }
    }
    let va = view(&mut a);
    assert_eq!(va.1.len(), 3);
    assert_eq!(a.goal(&g).unwrap().steps.len(), 1);
    assert_eq!(va, view(&mut b));
    assert_eq!(va, view(&mut c));
    let log = std::fs::read_to_string(&server.log).unwrap();
    assert!(
        log.contains("backend=\"postgres\"") || log.contains("postgres"),
        "{log}"
    );
}

#[test]
fn two_instances_share_hints_and_a_device_fails_over_without_loss() {
    use kindred_core::sync::{LiveEvent, LiveHints};
    use std::time::{Duration, Instant};
    let Some(url) = database_url() else {
        eprintln!("skipped: no KINDRED_TEST_DATABASE_URL");
        return;
    };
    let mut one = ServerProcess::start_with(&[("KINDRED_DATABASE_URL", &url)]);
    let two = ServerProcess::start_with(&[("KINDRED_DATABASE_URL", &url)]);
    let t1 = HttpTransport::new(&one.url).unwrap();
    let t2 = HttpTransport::new(&two.url).unwrap();
    let dirs: Vec<_> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut phone = device(dirs[0].path(), "phone");
    phone.add_goal(&goal("Call the clinic")).unwrap();
    let mut tablet = pair(&t1, &mut phone, dirs[1].path(), "tablet");
    tablet.sync(&t2).unwrap();

    // The tablet listens on instance two; the phone pushes to instance one.
    let token = tablet.relay_token(&t2).unwrap();
    let mut live = LiveHints::connect(&two.url, &token).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut woke = false;
    let mut sent = 0;
    while Instant::now() < deadline && !woke {
        phone
            .add_check_in(&check_in(4, "hint across instances"))
            .unwrap();
        phone.sync(&t1).unwrap();
        sent += 1;
        if let LiveEvent::Changed { space, .. } = live.next(Duration::from_secs(2)).unwrap() {
            tablet.sync_space(&t2, &space).unwrap();
            woke = true;
        }
    }
    assert!(woke, "no hint crossed from instance one to instance two");
    live.close();
    assert!(!view(&mut tablet).1.is_empty());

    // Instance one dies in the middle of the phone's pushes; the phone goes
    // on with instance two and nothing it saw acknowledged is lost.
    for i in 0..30 {
        phone
            .add_check_in(&check_in(3, &format!("during failover {i}")))
            .unwrap();
    }
    let killer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(30));
        one.kill9();
        one
    });
    let _ = phone.sync(&t1); // may or may not finish before the kill
    let _one = killer.join().unwrap();
    phone.sync(&t2).unwrap();
    tablet.sync(&t2).unwrap();
    let notes: Vec<String> = view(&mut tablet)
        .1
        .into_iter()
        .filter_map(|c| c.note)
        .collect();
    assert_eq!(
        notes
            .iter()
            .filter(|n| n.starts_with("during failover"))
            .count(),
        30
    );
    assert_eq!(
        notes
            .iter()
            .filter(|n| *n == "hint across instances")
            .count(),
        sent
    );
    assert_eq!(view(&mut phone), view(&mut tablet));
    for s in phone.sync_status().unwrap() {
        assert_eq!(s.pending, 0, "{s:?}");
    }
}

/// An instance answers pushes from the membership it last saw (one round
/// trip fewer); a removal appended through the other instance must still
/// stop the removed device at once, and a member added there must be able
/// to push here at once.
#[test]
fn a_removal_on_one_instance_stops_pushes_through_the_other() {
    let Some(url) = database_url() else {
        eprintln!("skipped: no KINDRED_TEST_DATABASE_URL");
        return;
    };
    let one = ServerProcess::start_with(&[("KINDRED_DATABASE_URL", &url)]);
    let two = ServerProcess::start_with(&[("KINDRED_DATABASE_URL", &url)]);
    let (api1, api2) = (RawApi::new(&one.url), RawApi::new(&two.url));
    let (owner, worker, late) = (Dev::new(), Dev::new(), Dev::new());
    let (to, tw, tl) = (api1.token(&owner), api2.token(&worker), api2.token(&late));
    let space = api1.space(&owner, &to, &[&worker]);
    // The worker writes through instance two, which now remembers it.
    let r: PushResult = api2
        .post(
            &path(space, "changes"),
            Some(&tw),
            push(vec![worker.envelope(space, 1, vec![1])]),
        )
        .ok();
    assert_eq!(r.acks.len(), 1);
    // Through instance one: the worker removed (epoch 2), a device added.
    let page: PullPage = api1.get(&path(space, "pull"), Some(&to)).ok();
    let head = page.log.last().unwrap().hash();
    let (seq, head) = api1.ask_removal(&owner, &to, space, 2, head, &worker);
    let remove = owner.entry(
        space,
        seq,
        head,
        Action::RemoveDevice {
            device: worker.key(),
            epoch: 2,
            keys: vec![KeyFor {
                device: owner.key(),
                key: wrapped(),
                sealed_label: Bytes(vec![]),
            }],
            bounds: worker.bounds(space),
            confirm: kindred_protocol::Hash([0; 32]),
            lost: false,
            at: 0,
        },
    );
    let head = remove.hash();
    let _: LogHead = api1
        .post(
            &path(space, "log"),
            Some(&to),
            encode(&AppendLog {
                v: kindred_protocol::PROTOCOL_VERSION,
                entry: remove,
            }),
        )
        .ok();
    let add = owner.entry(
        space,
        seq + 1,
        head,
        Action::AddDevice {
            member: late.member(),
            epoch: 2,
            key: wrapped(),
        },
    );
    let _: LogHead = api1
        .post(
            &path(space, "log"),
            Some(&to),
            encode(&AppendLog {
                v: kindred_protocol::PROTOCOL_VERSION,
                entry: add,
            }),
        )
        .ok();
    // Instance two refuses the removed worker, stores nothing of it, and
    // takes the new device's first push under the new epoch.
    api2.post(
        &path(space, "changes"),
        Some(&tw),
        push(vec![worker.envelope_in(space, 2, 2, vec![2])]),
    )
    .err(403, ErrorCode::Removed);
    let r: PushResult = api2
        .post(
            &path(space, "changes"),
            Some(&tl),
            push(vec![late.envelope_in(space, 2, 1, vec![3])]),
        )
        .ok();
    assert_eq!(r.acks[0].server_seq, 2);
    let page: PullPage = api1.get(&path(space, "pull"), Some(&to)).ok();
    let from: Vec<_> = page.changes.iter().map(|c| c.envelope.device).collect();
    assert_eq!(from, vec![worker.key(), late.key()]);
}
