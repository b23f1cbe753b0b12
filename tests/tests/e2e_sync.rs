//! Devices syncing through a real `kindred-server` process on loopback.
#![allow(clippy::unwrap_used)]

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use kindred_core::model::*;
use kindred_core::sync::HttpTransport;
use kindred_core::{Error, Kindred};
use kindred_tests::devices::{check_in, pair, view};
use kindred_tests::server::ServerProcess;
use kindred_tests::{Rng, test_key};

#[test]
fn three_devices_work_offline_converge_and_the_server_never_sees_content() {
    let mut server = ServerProcess::start();
    let t = HttpTransport::new(&server.url).unwrap();
    let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let marker = "Pelican-Marker-3301";
    let mut a = Kindred::init(dirs[0].path(), &test_key(), &format!("phone {marker}")).unwrap();
    let g = a
        .add_goal(&NewGoal {
            title: format!("Garden {marker}"),
            ..Default::default()
        })
        .unwrap();
    a.sync(&t).unwrap();
    let mut b = pair(&t, &mut a, dirs[1].path(), &format!("tablet {marker}"));
    let mut c = pair(&t, &mut a, dirs[2].path(), "laptop");
    assert_eq!(view(&mut b), view(&mut a));

    // No signal: the server is down while everyone writes.
    server.kill9();
    a.update_goal(
        &g,
        &GoalChanges {
            title: Some(format!("Vegetable garden {marker}")),
            ..Default::default()
        },
    )
    .unwrap();
    b.add_step(&g, &format!("Buy seeds {marker}"), None)
        .unwrap();
    c.set_goal_status(&g, &GoalStatus::Paused).unwrap();
    for (i, k) in [&mut a, &mut b, &mut c].into_iter().enumerate() {
        k.add_check_in(&check_in(i as i64 + 2, &format!("offline {i} {marker}")))
            .unwrap();
        let sam = k
            .add_contact(&NewContact {
                name: format!("Sam {marker}"),
            })
            .unwrap();
        k.add_note(&NewContactNote {
            contact_id: sam,
            contact_type: ContactType::Phone,
            setting: Setting::Home,
            start: time::OffsetDateTime::now_utc(),
            end: time::OffsetDateTime::now_utc(),
            goals_addressed: vec![],
            peer_activities: vec![],
            narrative: format!("Narrative {marker}"),
            own_words: Some(format!("Own words {marker}")),
            strengths: None,
            next_steps: None,
            next_contact: None,
            substance_use: false,
        })
        .unwrap();
        assert!(matches!(k.sync(&t), Err(Error::Unreachable)));
    }

    server.restart();
    for _ in 0..2 {
        for k in [&mut a, &mut b, &mut c] {
            k.sync(&t).unwrap();
        }
    }
    let va = view(&mut a);
    assert_eq!(va, view(&mut b));
    assert_eq!(va, view(&mut c));
    assert_eq!(va.1.len(), 3);
    assert_eq!(va.2.len(), 3);
    assert_eq!(va.3.len(), 3);
    let goal = a.goal(&g).unwrap();
    assert_eq!(goal.title, format!("Vegetable garden {marker}"));
    assert_eq!(goal.status, GoalStatus::Paused);
    assert_eq!(goal.steps.len(), 1);
    for k in [&mut a, &mut b, &mut c] {
        for s in k.sync_status().unwrap() {
            assert_eq!(s.pending, 0);
            assert_eq!(s.quarantined, 0);
        }
    }

    // The server saw ciphertext only: no file of its data folder and no
    // line of its (debug-level) log holds the marker, in any form.
    // Stop the server so its WAL is checkpointed into the files scanned.
    server.kill9();
    server.assert_never_saw(&[marker]);
    let log = std::fs::read_to_string(&server.log).unwrap();
    assert!(log.contains("push stored"), "the log is really there");
}

#[test]
fn killing_the_server_during_a_sync_storm_loses_nothing_acknowledged() {
    let mut server = ServerProcess::start();
    let t = HttpTransport::new(&server.url).unwrap();
    let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut a = Kindred::init(dirs[0].path(), &test_key(), "phone").unwrap();
    a.sync(&t).unwrap();
    let b = pair(&t, &mut a, dirs[1].path(), "tablet");
    let c = pair(&t, &mut a, dirs[2].path(), "laptop");
    let mut devices = [a, b, c];
    let seed = Rng::seed_from_clock();
    eprintln!("storm seed {seed}");
    let mut rng = Rng::new(seed);
    let mut written: Vec<HashSet<String>> = vec![HashSet::new(); 3];
    const ROUNDS: usize = 10;

    for round in 0..ROUNDS {
        let stop = AtomicBool::new(false);
        std::thread::scope(|s| {
            let mut handles = Vec::new();
            for (i, k) in devices.iter_mut().enumerate() {
                let stop = &stop;
                let url = server.url.clone();
                handles.push(s.spawn(move || {
                    let t = HttpTransport::new(&url).unwrap();
                    let mut mine = HashSet::new();
                    let deadline = Instant::now() + Duration::from_secs(20);
                    let mut n = 0;
                    while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
                        let id = k
                            .add_check_in(&check_in(1 + (n % 5), &format!("r{round} d{i} n{n}")))
                            .unwrap();
                        mine.insert(id.to_string());
                        n += 1;
                        match k.sync(&t) {
                            Ok(_) | Err(Error::Unreachable) => {}
                            Err(e) => panic!("round {round} device {i}: {e}"),
                        }
                    }
                    mine
                }));
            }
            std::thread::sleep(Duration::from_millis(rng.range(50, 400)));
            server.kill9();
            std::thread::sleep(Duration::from_millis(rng.range(0, 200)));
            server.restart();
            std::thread::sleep(Duration::from_millis(rng.range(50, 200)));
            stop.store(true, Ordering::Relaxed);
            for (i, h) in handles.into_iter().enumerate() {
                written[i].extend(h.join().unwrap());
            }
        });
    }

    // Quiet: everyone syncs until nothing is pending.
    for _ in 0..3 {
        for k in devices.iter_mut() {
            k.sync(&t).unwrap();
        }
    }
    let all: HashSet<String> = written.iter().flatten().cloned().collect();
    assert!(
        all.len() >= ROUNDS * 3,
        "the storm wrote something: {}",
        all.len()
    );
    for (i, k) in devices.iter_mut().enumerate() {
        let ids: Vec<String> = k
            .check_ins(None, None)
            .unwrap()
            .into_iter()
            .map(|c| c.id.to_string())
            .collect();
        let set: HashSet<String> = ids.iter().cloned().collect();
        assert_eq!(ids.len(), set.len(), "device {i} has duplicates");
        assert_eq!(
            set, all,
            "device {i} (seed {seed}) does not have every change"
        );
        for s in k.sync_status().unwrap() {
            assert_eq!(s.pending, 0, "device {i}: {s:?}");
        }
    }
    // The server holds each device sequence once.
    let db = server.db();
    let dupes: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM (SELECT space, device, device_seq FROM changes GROUP BY 1, 2, 3 HAVING COUNT(*) > 1)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(dupes, 0);
}
