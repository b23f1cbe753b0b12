//! What the relay's storage promises, written once against the `Storage`
//! trait and run for every backend: SQLite always, PostgreSQL when
//! `KINDRED_TEST_DATABASE_URL` names a database (each test in a fresh
//! schema). Under CI (`CI=true`) a missing URL fails the suite rather than
//! skipping PostgreSQL. Each refusal must leave the stored state as it was.
#![allow(clippy::unwrap_used)]

use kindred_protocol::messages::{ErrorCode, StoredChange};
use kindred_protocol::*;
use kindred_server::storage::postgres::PostgresStorage;
use kindred_server::storage::sqlite::SqliteStorage;
use kindred_server::storage::{Storage, StoreError};
use kindred_tests::signer::{Dev, wrapped};

/// The test database, if any (under CI its absence fails the test).
fn database_url() -> Option<String> {
    match std::env::var("KINDRED_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!(
                "KINDRED_TEST_DATABASE_URL is not set: CI runs the storage suite on PostgreSQL too"
            )
        }
        _ => None,
    }
}

/// A new schema name, so each test starts from an empty database.
fn fresh_schema() -> String {
    let mut r = [0u8; 8];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut r).unwrap();
    std::iter::once("t_".to_owned())
        .chain(r.iter().map(|b| format!("{b:02x}")))
        .collect()
}

/// A fresh store of each backend, with what keeps it alive.
fn backends() -> Vec<(&'static str, Box<dyn Storage>, tempfile::TempDir)> {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = SqliteStorage::open(dir.path()).unwrap();
    let mut out: Vec<(&'static str, Box<dyn Storage>, tempfile::TempDir)> =
        vec![("sqlite", Box::new(sqlite), dir)];
    if let Some(url) = database_url() {
        let pg = PostgresStorage::connect_in_schema(&url, Some(&fresh_schema())).unwrap();
        out.push(("postgres", Box::new(pg), tempfile::tempdir().unwrap()));
    }
    out
}

fn refused<T: std::fmt::Debug>(r: Result<T, StoreError>, code: ErrorCode) {
    match r {
        Err(StoreError::Refused { code: c, .. }) => assert_eq!(c, code),
        other => panic!("expected {code:?}, got {other:?}"),
    }
}

/// A space owned by `owner` with `others` added as owners too.
fn space(s: &dyn Storage, id: SpaceId, owner: &Dev, others: &[&Dev]) -> Membership {
    let mut m = s.create_space(&owner.genesis(id)).unwrap();
    for o in others {
        let e = owner.entry(
            id,
            m.len,
            m.head,
            Action::AddDevice {
                member: o.member(),
                epoch: m.epoch,
                key: wrapped(),
            },
        );
        m = s.append_log(&e).unwrap();
    }
    m
}

/// `by` asks to remove `device` (one of the person's own devices goes
/// only after a request; the wait is the routes' to check, not the store's).
fn ask_removal(s: &dyn Storage, id: SpaceId, by: &Dev, device: &Dev, m: &Membership) -> Membership {
    s.append_log(&by.entry(
        id,
        m.len,
        m.head,
        Action::ProposeRemoval {
            device: device.key(),
            lost: false,
            not_before: 0,
        },
    ))
    .unwrap()
}

fn all_changes(s: &dyn Storage, id: &SpaceId) -> Vec<StoredChange> {
    let mut out = Vec::new();
    let mut after = 0;
    loop {
        let p = s.pull(id, after, 0, 2).unwrap();
        after = p.changes.last().map_or(after, |c| c.server_seq);
        out.extend(p.changes);
        if !p.more {
            return out;
        }
    }
}

#[test]
fn challenges_are_single_use_and_expire() {
    for (name, s, _d) in backends() {
        let d = Dev::new();
        s.put_challenge(&Salt([1; 32]), &d.key(), 0, 100, 10)
            .unwrap();
        s.put_challenge(&Salt([2; 32]), &d.key(), 0, 100, 10)
            .unwrap();
        assert_eq!(
            s.take_challenge(&Salt([1; 32]), 50).unwrap(),
            Some(d.key()),
            "{name}"
        );
        assert_eq!(
            s.take_challenge(&Salt([1; 32]), 50).unwrap(),
            None,
            "{name}: used once"
        );
        assert_eq!(
            s.take_challenge(&Salt([2; 32]), 101).unwrap(),
            None,
            "{name}: expired"
        );
        s.put_token(&[9; 32], &d.key(), 500).unwrap();
        assert_eq!(s.token(&[9; 32]).unwrap(), Some((d.key(), 500)), "{name}");
        assert_eq!(s.token(&[8; 32]).unwrap(), None, "{name}");
    }
}

/// Anyone may ask for a challenge: the rows stay bounded per device and
/// overall, and expired ones go when the next is asked for.
#[test]
fn open_challenges_are_capped_per_device_and_overall() {
    let count = |s: &dyn Storage, ids: &[u8], now: u64, d: &Dev| {
        ids.iter()
            .filter(|&&i| s.take_challenge(&Salt([i; 32]), now).unwrap() == Some(d.key()))
            .count()
    };
    for (name, s, _d) in backends() {
        let d = Dev::new();
        // One device asking again and again keeps only its newest four.
        for i in 1..=10u8 {
            s.put_challenge(&Salt([i; 32]), &d.key(), 0, 100 + u64::from(i), 1000)
                .unwrap();
        }
        assert_eq!(count(s.as_ref(), &[1, 2, 3, 4, 5, 6], 50, &d), 0, "{name}");
        assert_eq!(count(s.as_ref(), &[7, 8, 9, 10], 50, &d), 4, "{name}");
        // Overall: three open, a fourth refused with nothing written.
        let others: Vec<Dev> = (0..4).map(|_| Dev::new()).collect();
        for (i, o) in others.iter().take(3).enumerate() {
            s.put_challenge(&Salt([20 + i as u8; 32]), &o.key(), 0, 100, 3)
                .unwrap();
        }
        let e = s
            .put_challenge(&Salt([30; 32]), &others[3].key(), 0, 100, 3)
            .unwrap_err();
        assert!(
            matches!(
                &e,
                StoreError::Refused {
                    code: ErrorCode::RateLimited,
                    ..
                }
            ),
            "{name}: {e:?}"
        );
        assert_eq!(
            s.take_challenge(&Salt([30; 32]), 50).unwrap(),
            None,
            "{name}"
        );
        // Once those have expired, there is room again.
        s.put_challenge(&Salt([31; 32]), &others[3].key(), 101, 300, 3)
            .unwrap();
        assert_eq!(count(s.as_ref(), &[31], 200, &others[3]), 1, "{name}");
        assert_eq!(
            count(s.as_ref(), &[20], 50, &others[0]),
            0,
            "{name}: expired rows went"
        );
    }
}

#[test]
fn the_log_appends_only_on_its_head_and_only_valid_entries() {
    for (name, s, _d) in backends() {
        let (a, b, c) = (Dev::new(), Dev::new(), Dev::new());
        let id = a.space_for(1);
        let m = space(s.as_ref(), id, &a, &[&b]);
        assert_eq!(m.len, 2, "{name}");
        refused(s.create_space(&a.genesis(id)), ErrorCode::SpaceExists);
        // Two owners race from the same head: one wins, one is stale.
        let add = |by: &Dev| {
            by.entry(
                id,
                m.len,
                m.head,
                Action::AddDevice {
                    member: c.member(),
                    epoch: 1,
                    key: wrapped(),
                },
            )
        };
        let won = s.append_log(&add(&a)).unwrap();
        refused(s.append_log(&add(&b)), ErrorCode::StaleHead);
        // A stranger's entry, on the current head, is invalid.
        let stranger = Dev::new();
        let bad = stranger.entry(
            id,
            won.len,
            won.head,
            Action::Rotate {
                epoch: 2,
                keys: vec![],
                bounds: vec![],
                confirm: Hash([0; 32]),
            },
        );
        refused(s.append_log(&bad), ErrorCode::InvalidEntry);
        assert_eq!(
            s.log_head(&id).unwrap(),
            Some((won.len, won.head)),
            "{name}"
        );
        assert_eq!(s.log_from(&id, 0).unwrap().len(), 3, "{name}");
        assert_eq!(s.log_from(&id, 2).unwrap().len(), 1, "{name}");
        let m = s.membership(&id).unwrap().unwrap();
        assert!(m.members.contains_key(&c.key()), "{name}");
        assert_eq!(s.spaces_of(&c.key()).unwrap(), vec![id], "{name}");
        assert!(s.spaces_of(&stranger.key()).unwrap().is_empty(), "{name}");
    }
}

#[test]
fn pushes_are_ordered_idempotent_and_all_or_nothing() {
    for (name, s, _d) in backends() {
        let (a, b) = (Dev::new(), Dev::new());
        let id = a.space_for(2);
        let m = space(s.as_ref(), id, &a, &[&b]);
        let e1 = a.envelope(id, 1, vec![1; 10]);
        let e2 = a.envelope(id, 2, vec![2; 10]);
        let acks = s
            .push(&id, &a.key(), m.len, 1, &[e1.clone(), e2.clone()])
            .unwrap();
        let seqs: Vec<u64> = acks.iter().map(|x| x.server_seq).collect();
        assert_eq!(seqs, vec![1, 2], "{name}");
        // A retry of acknowledged envelopes gets the same acks.
        let again = s.push(&id, &a.key(), m.len, 1, &[e1, e2]).unwrap();
        assert_eq!(again, acks, "{name}");
        // A different envelope under an acknowledged sequence.
        refused(
            s.push(&id, &a.key(), m.len, 1, &[a.envelope(id, 2, vec![9; 10])]),
            ErrorCode::SequenceConflict,
        );
        // A gap refuses the whole batch, including its good first envelope.
        let gap = [b.envelope(id, 1, vec![3]), b.envelope(id, 3, vec![3])];
        refused(
            s.push(&id, &b.key(), m.len, 1, &gap),
            ErrorCode::SequenceGap,
        );
        // The membership moved on since the caller checked, or the epoch is
        // not the current one: stale.
        refused(
            s.push(&id, &b.key(), m.len - 1, 1, &[b.envelope(id, 1, vec![3])]),
            ErrorCode::StaleEpoch,
        );
        refused(
            s.push(&id, &b.key(), m.len, 1, &[b.envelope_in(id, 2, 1, vec![3])]),
            ErrorCode::StaleEpoch,
        );
        assert_eq!(
            all_changes(s.as_ref(), &id).len(),
            2,
            "{name}: nothing refused was stored"
        );
        assert_eq!(s.head_seq(&id).unwrap(), 2, "{name}");
        s.push(&id, &b.key(), m.len, 1, &[b.envelope(id, 1, vec![4])])
            .unwrap();
        let got = all_changes(s.as_ref(), &id);
        let seqs: Vec<u64> = got.iter().map(|c| c.server_seq).collect();
        assert_eq!(seqs, vec![1, 2, 3], "{name}");
        assert_eq!(got[2].envelope.device, b.key(), "{name}");
    }
}

#[test]
fn pulls_page_and_serve_the_newest_useful_snapshot() {
    for (name, s, _d) in backends() {
        let a = Dev::new();
        let id = a.space_for(3);
        let m = space(s.as_ref(), id, &a, &[]);
        for seq in 1..=5u64 {
            s.push(
                &id,
                &a.key(),
                m.len,
                1,
                &[a.envelope(id, seq, vec![seq as u8])],
            )
            .unwrap();
        }
        let p = s.pull(&id, 0, 0, 2).unwrap();
        assert_eq!(
            (p.changes.len(), p.more, p.head_seq),
            (2, true, 5),
            "{name}"
        );
        assert_eq!(p.log.len(), 1, "{name}");
        let snap = a.snapshot(id, 3, vec![7; 40]);
        s.put_snapshot(&snap).unwrap();
        // Beyond the head: refused.
        let mut ahead = snap.clone();
        ahead.covers = 9;
        refused(s.put_snapshot(&ahead), ErrorCode::InvalidEntry);
        // A device behind the snapshot gets it and the changes after it.
        let p = s.pull(&id, 1, 1, 100).unwrap();
        assert_eq!(p.snapshot.as_ref().map(|x| x.covers), Some(3), "{name}");
        let seqs: Vec<u64> = p.changes.iter().map(|c| c.server_seq).collect();
        assert_eq!(seqs, vec![4, 5], "{name}");
        // A device past it does not.
        let p = s.pull(&id, 4, 1, 100).unwrap();
        assert!(p.snapshot.is_none(), "{name}");
        assert_eq!(p.changes.len(), 1, "{name}");
        // Cursors: raised, never lowered.
        s.ack(&id, &a.key(), 4).unwrap();
        s.ack(&id, &a.key(), 2).unwrap();
        let p = s.pull(&id, 5, 1, 100).unwrap();
        let cursor = p.cursors.iter().find(|c| c.device == a.key());
        assert_eq!(cursor.map(|c| c.server_seq), Some(4), "{name}");
        let usage = s.usage().unwrap();
        let (_, u) = usage.iter().find(|(sp, _)| *sp == id).unwrap();
        assert_eq!((u.log_entries, u.changes), (1, 5), "{name}");
        assert!(u.snapshot_bytes > 0, "{name}");
    }
}

/// Retention prunes what a snapshot covers once the snapshot is old
/// enough, keeps each device's newest change, and a device pulling from
/// the start still gets everything (the snapshot, then the rest); numbering
/// goes on, and a retry of a pruned envelope is acknowledged.
#[test]
fn retention_prunes_only_what_an_old_enough_snapshot_covers() {
    for (name, s, _d) in backends() {
        let (a, b) = (Dev::new(), Dev::new());
        let id = a.space_for(5);
        let m = space(s.as_ref(), id, &a, &[&b]);
        let untouched = a.space_for(6);
        let m6 = space(s.as_ref(), untouched, &a, &[]);
        for seq in 1..=4u64 {
            s.push(
                &id,
                &a.key(),
                m.len,
                1,
                &[a.envelope(id, seq, vec![seq as u8; 20])],
            )
            .unwrap();
            s.push(
                &untouched,
                &a.key(),
                m6.len,
                1,
                &[a.envelope(untouched, seq, vec![1])],
            )
            .unwrap();
        }
        s.push(&id, &b.key(), m.len, 1, &[b.envelope(id, 1, vec![9; 20])])
            .unwrap();
        s.push(&id, &a.key(), m.len, 1, &[a.envelope(id, 5, vec![5; 20])])
            .unwrap();
        // a: 1..4 at server 1..4, b:1 at 5, a:5 at 6. The snapshot covers 5.
        let snap = a.snapshot(id, 5, vec![7; 40]);
        s.put_snapshot(&snap).unwrap();
        let now = kindred_server::storage::unix_now();
        // Held for less than the retention time: nothing goes.
        let stored = |sp: SpaceId| {
            let usage = s.usage().unwrap();
            usage.iter().find(|(x, _)| *x == sp).unwrap().1.changes
        };
        assert_eq!(s.prune(now - 3600).unwrap().changes, 0, "{name}");
        assert_eq!(stored(id), 6, "{name}");
        // Old enough: a's 1..4 go; b's only change (its newest) stays, and
        // a's newest (past the snapshot) too. The other space is untouched.
        // In batches: at most three in the first transaction.
        let first = s.prune_batch(now + 1, 3).unwrap();
        assert_eq!(first.changes, 3, "{name}");
        assert_eq!(stored(id) + stored(untouched), 3 + 4, "{name}");
        let rest = s.prune(now + 1).unwrap();
        assert_eq!(rest.changes, 1, "{name}");
        let pruned = kindred_server::storage::Pruned {
            changes: first.changes + rest.changes,
            bytes: first.bytes + rest.bytes,
        };
        assert_eq!(pruned.changes, 4, "{name}");
        assert!(pruned.bytes > 4 * 20, "{name}: whole envelopes");
        assert_eq!(stored(id), 2, "{name}");
        assert_eq!(stored(untouched), 4, "{name}");
        assert_eq!(s.prune(now + 1).unwrap().changes, 0, "{name}: once");
        // A device starting from nothing gets the snapshot and what follows.
        let p = s.pull(&id, 0, 0, 100).unwrap();
        assert_eq!(p.snapshot.map(|x| x.covers), Some(5), "{name}");
        let seqs: Vec<u64> = p.changes.iter().map(|c| c.server_seq).collect();
        assert_eq!((seqs, p.head_seq), (vec![6], 6), "{name}");
        // A late retry of a pruned envelope is acknowledged (no sequence to
        // give), a different one under a kept sequence is still a conflict,
        // and numbering goes on from the head.
        let retry = s
            .push(&id, &a.key(), m.len, 1, &[a.envelope(id, 2, vec![2; 20])])
            .unwrap();
        assert_eq!(retry[0].server_seq, 0, "{name}");
        refused(
            s.push(&id, &b.key(), m.len, 1, &[b.envelope(id, 1, vec![0; 20])]),
            ErrorCode::SequenceConflict,
        );
        let next = s
            .push(&id, &a.key(), m.len, 1, &[a.envelope(id, 6, vec![6])])
            .unwrap();
        assert_eq!(next[0].server_seq, 7, "{name}");
        assert_eq!(stored(id), 3, "{name}");
    }
}

/// A device's spaces (what `GET /v1/spaces` answers) follow the log:
/// added, it sees the space; removed, it does not; others are unaffected.
#[test]
fn a_devices_spaces_follow_the_log() {
    for (name, s, _d) in backends() {
        let (a, b) = (Dev::new(), Dev::new());
        let (one, two) = (a.space_for(9), a.space_for(10));
        let m = space(s.as_ref(), one, &a, &[&b]);
        // b is one of the person's devices: its removal is asked first.
        let m = ask_removal(s.as_ref(), one, &a, &b, &m);
        space(s.as_ref(), two, &a, &[]);
        let mut both = vec![one, two];
        both.sort();
        assert_eq!(s.spaces_of(&a.key()).unwrap(), both, "{name}");
        assert_eq!(s.spaces_of(&b.key()).unwrap(), vec![one], "{name}");
        let remove = a.entry(
            one,
            m.len,
            m.head,
            Action::RemoveDevice {
                device: b.key(),
                epoch: 2,
                keys: vec![KeyFor {
                    device: a.key(),
                    key: wrapped(),
                    sealed_label: Bytes(vec![]),
                }],
                bounds: vec![],
                confirm: Hash([0; 32]),
                lost: false,
                at: 0,
            },
        );
        s.append_log(&remove).unwrap();
        assert!(s.spaces_of(&b.key()).unwrap().is_empty(), "{name}");
        let mut both = vec![one, two];
        both.sort();
        assert_eq!(s.spaces_of(&a.key()).unwrap(), both, "{name}");
        assert!(s.spaces_of(&Dev::new().key()).unwrap().is_empty(), "{name}");
    }
}

/// An SQLite database from before retention and the members table is
/// upgraded in place: its columns equal a fresh database's, and the members
/// table is filled from the logs.
#[test]
fn sqlite_upgraded_schema_equals_a_fresh_one() {
    let (old, fresh) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (a, b) = (Dev::new(), Dev::new());
    let id = a.space_for(11);
    {
        let s = SqliteStorage::open(old.path()).unwrap();
        space(&s, id, &a, &[&b]);
    }
    let db =
        |dir: &std::path::Path| rusqlite::Connection::open(dir.join("kindred-server.db")).unwrap();
    db(old.path())
        .execute_batch(
            "DROP TABLE members; ALTER TABLE snapshots DROP COLUMN stored_at; ALTER TABLE spaces DROP COLUMN erased_upto; PRAGMA user_version = 1;",
        )
        .unwrap();
    let s = SqliteStorage::open(old.path()).unwrap();
    drop(SqliteStorage::open(fresh.path()).unwrap());
    let columns = |dir: &std::path::Path| -> Vec<(String, String, String)> {
        let c = db(dir);
        let tables: Vec<String> = c
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let mut out = Vec::new();
        for t in tables {
            let mut st = c.prepare(&format!("PRAGMA table_info({t})")).unwrap();
            let cols: Vec<(String, String)> = st
                .query_map([], |r| Ok((r.get(1)?, r.get(2)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            out.extend(cols.into_iter().map(|(n, ty)| (t.clone(), n, ty)));
        }
        let v: i64 = c
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        out.push(("user_version".into(), v.to_string(), String::new()));
        out
    };
    assert_eq!(columns(old.path()), columns(fresh.path()));
    assert_eq!(s.spaces_of(&b.key()).unwrap(), vec![id]);
}

#[test]
fn mailboxes_are_bounded_taken_once_and_expire() {
    for (name, s, _d) in backends() {
        let id = [4u8; 16];
        for i in 0..limits::MAX_RENDEZVOUS_MESSAGES {
            s.rendezvous_put(&id, &[i as u8; 8], 100, 600).unwrap();
        }
        refused(
            s.rendezvous_put(&id, &[0; 8], 100, 600),
            ErrorCode::MailboxFull,
        );
        let got = s.rendezvous_take(&id, 200).unwrap();
        assert_eq!(got.len(), limits::MAX_RENDEZVOUS_MESSAGES, "{name}");
        assert_eq!(got[0], vec![0u8; 8], "{name}: in order");
        assert!(
            s.rendezvous_take(&id, 200).unwrap().is_empty(),
            "{name}: taken once"
        );
        s.rendezvous_put(&id, &[1], 100, 10).unwrap();
        assert!(
            s.rendezvous_take(&id, 111).unwrap().is_empty(),
            "{name}: expired"
        );
    }
}

/// Two relay instances over one database, the same device retrying the same
/// batches on both at once (a lost reply, a failover) while another device
/// pushes through the other instance: every retry gets the same
/// acknowledgements, each envelope is stored once, and server sequences
/// stay dense.
#[test]
fn postgres_instances_racing_retries_store_each_envelope_once() {
    let Some(url) = database_url() else { return };
    let schema = fresh_schema();
    let one = PostgresStorage::connect_in_schema(&url, Some(&schema)).unwrap();
    let two = PostgresStorage::connect_in_schema(&url, Some(&schema)).unwrap();
    let (a, b) = (Dev::new(), Dev::new());
    let id = a.space_for(7);
    let m = space(&one, id, &a, &[&b]);
    let rounds = 25u64;
    std::thread::scope(|t| {
        let retries: Vec<_> = [&one, &two]
            .into_iter()
            .map(|s| {
                let a = &a;
                t.spawn(move || {
                    (0..rounds)
                        .map(|r| {
                            let batch: Vec<_> = (1..=3)
                                .map(|k| a.envelope(id, r * 3 + k, vec![k as u8; 16]))
                                .collect();
                            s.push(&id, &a.key(), m.len, 1, &batch).unwrap()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let other = t.spawn(|| {
            for seq in 1..=rounds {
                two.push(&id, &b.key(), m.len, 1, &[b.envelope(id, seq, vec![9])])
                    .unwrap();
            }
        });
        let acks: Vec<_> = retries.into_iter().map(|h| h.join().unwrap()).collect();
        other.join().unwrap();
        assert_eq!(acks[0], acks[1], "both instances acknowledge the same");
    });
    let got = all_changes(&one, &id);
    assert_eq!(got.len() as u64, rounds * 3 + rounds, "each envelope once");
    let seqs: Vec<u64> = got.iter().map(|c| c.server_seq).collect();
    let dense: Vec<u64> = (1..=rounds * 4).collect();
    assert_eq!(seqs, dense);
    assert_eq!(two.head_seq(&id).unwrap(), rounds * 4);
}

/// A database written by the first schema (no log length or head on the
/// space row) is upgraded in place: its columns then equal a fresh
/// database's and the counts it carried over are right.
#[test]
fn postgres_upgraded_schema_equals_a_fresh_one() {
    let Some(url) = database_url() else { return };
    let (old, fresh) = (fresh_schema(), fresh_schema());
    let a = Dev::new();
    let id = a.space_for(8);
    {
        let s = PostgresStorage::connect_in_schema(&url, Some(&old)).unwrap();
        let m = space(&s, id, &a, &[&Dev::new()]);
        for seq in 1..=4 {
            s.push(&id, &a.key(), m.len, 1, &[a.envelope(id, seq, vec![1])])
                .unwrap();
        }
    }
    let rt = tokio::runtime::Runtime::new().unwrap();
    let columns = |schema: &str| -> Vec<(String, String, String)> {
        rt.block_on(async {
            let (c, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(conn);
            c.query(
                "SELECT table_name::text, column_name::text, data_type::text
                 FROM information_schema.columns WHERE table_schema = $1
                 ORDER BY table_name, column_name",
                &[&schema],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect()
        })
    };
    // Back to the first schema, as an older server left it.
    rt.block_on(async {
        let (c, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        c.batch_execute(&format!(
            "DROP TABLE {old}.members;
             ALTER TABLE {old}.snapshots DROP COLUMN stored_at;
             ALTER TABLE {old}.spaces DROP COLUMN log_len, DROP COLUMN head_seq;
             UPDATE {old}.kindred_schema SET version = 1;"
        ))
        .await
        .unwrap();
    });
    let s = PostgresStorage::connect_in_schema(&url, Some(&old)).unwrap();
    drop(PostgresStorage::connect_in_schema(&url, Some(&fresh)).unwrap());
    assert_eq!(columns(&old), columns(&fresh));
    assert!(!columns(&old).is_empty());
    assert_eq!(s.membership(&id).unwrap().map(|m| m.len), Some(2));
    assert_eq!(
        s.spaces_of(&a.key()).unwrap(),
        vec![id],
        "members filled from the logs"
    );
    assert_eq!(s.head_seq(&id).unwrap(), 4);
    let acks = s
        .push(&id, &a.key(), 2, 1, &[a.envelope(id, 5, vec![1])])
        .unwrap();
    assert_eq!(acks[0].server_seq, 5, "numbering goes on after the upgrade");
}

/// Issue 13: a removal's bounds are checked against what the relay holds
/// inside the append's transaction, and a push past a bound is refused
/// inside the push's transaction even when its caller passed the old
/// epoch (a handler that skipped its own checks), on every backend.
#[test]
fn bounds_are_checked_inside_the_append_and_the_push() {
    for (name, s, _d) in backends() {
        let (a, b) = (Dev::new(), Dev::new());
        let id = a.new_space();
        let m = space(s.as_ref(), id, &a, &[&b]);
        let m = ask_removal(s.as_ref(), id, &a, &b, &m);
        for seq in 1..=2 {
            s.push(
                &id,
                &b.key(),
                m.len,
                1,
                &[b.envelope(id, seq, vec![seq as u8])],
            )
            .unwrap();
        }
        let remove = |bounds: Vec<Bound>| {
            a.entry(
                id,
                m.len,
                m.head,
                Action::RemoveDevice {
                    device: b.key(),
                    epoch: 2,
                    keys: vec![KeyFor {
                        device: a.key(),
                        key: wrapped(),
                        sealed_label: Bytes(vec![]),
                    }],
                    bounds,
                    confirm: Hash([0; 32]),
                    lost: false,
                    at: 0,
                },
            )
        };
        let held = b.bounds(id);
        // Bounds below what the relay holds: pull and try again.
        let mut low = held.clone();
        low[0].seq = 1;
        refused(s.append_log(&remove(low)), ErrorCode::StaleHead);
        refused(s.append_log(&remove(vec![])), ErrorCode::StaleHead);
        // Past it, or naming another change: refused outright.
        let mut high = held.clone();
        high[0].seq = 3;
        refused(s.append_log(&remove(high)), ErrorCode::InvalidEntry);
        let mut other = held.clone();
        other[0].head = Hash([9; 32]);
        refused(s.append_log(&remove(other)), ErrorCode::InvalidEntry);
        assert_eq!(s.log_head(&id).unwrap(), Some((m.len, m.head)), "{name}");
        // The true bounds go in.
        let after = s.append_log(&remove(held)).unwrap();
        assert_eq!(after.epoch, 2, "{name}");

        // The removed device's next envelope under epoch 1, passed in as if
        // the caller had found epoch 1 current: refused in the transaction.
        let late = b.envelope(id, 3, vec![3]);
        refused(
            s.push(&id, &b.key(), after.len, 1, std::slice::from_ref(&late)),
            ErrorCode::Forbidden,
        );
        assert_eq!(
            all_changes(s.as_ref(), &id).len(),
            2,
            "{name}: nothing stored"
        );
        // An envelope off its device's chain is refused too.
        let c = Dev::new();
        let m3 = s.append_log(&a.entry(
            id,
            after.len,
            after.head,
            Action::AddDevice {
                member: c.member(),
                epoch: 2,
                key: wrapped(),
            },
        ));
        let m3 = m3.unwrap();
        s.push(
            &id,
            &c.key(),
            m3.len,
            2,
            &[c.envelope_in(id, 2, 1, vec![1])],
        )
        .unwrap();
        let mut forked = c.envelope_in(id, 2, 2, vec![2]);
        forked.prev = Hash([7; 32]);
        forked.sig = c.sign(&forked.signing_bytes());
        refused(
            s.push(&id, &c.key(), m3.len, 2, &[forked]),
            ErrorCode::SequenceConflict,
        );
        // The space goes on: the next true envelope is stored.
        s.push(
            &id,
            &c.key(),
            m3.len,
            2,
            &[c.envelope_in(id, 2, 2, vec![2])],
        )
        .unwrap();
        assert_eq!(all_changes(s.as_ref(), &id).len(), 4, "{name}");
    }
}

/// An erasure on each backend: refused (changing nothing) when its
/// snapshot leaves a change out, names other heads, is for another epoch
/// or another author, or when the entry is not an erasure; once stored, the
/// space's changes are gone, its numbering and each device's chain go on,
/// and pushes under the old epoch are refused.
#[test]
fn an_erasure_replaces_every_change_by_its_snapshot_and_refuses_bad_ones() {
    for (name, s, _dir) in backends() {
        let s = s.as_ref();
        let (a, b) = (Dev::new(), Dev::new());
        let id = a.new_space();
        let m = space(s, id, &a, &[&b]);
        for seq in 1..=3 {
            s.push(
                &id,
                &a.key(),
                m.len,
                1,
                &[a.envelope(id, seq, vec![seq as u8; 40])],
            )
            .unwrap();
        }
        s.push(&id, &b.key(), m.len, 1, &[b.envelope(id, 1, vec![7; 40])])
            .unwrap();
        let head = s.head_seq(&id).unwrap();
        assert_eq!(head, 4, "{name}");
        let mut bounds = a.bounds(id);
        bounds.extend(b.bounds(id));
        let keys_for_both = || -> Vec<KeyFor> {
            [&a, &b]
                .iter()
                .map(|d| KeyFor {
                    device: d.key(),
                    key: wrapped(),
                    sealed_label: Bytes(vec![]),
                })
                .collect()
        };
        let erase = |bounds: Vec<Bound>| {
            a.entry(
                id,
                m.len,
                m.head,
                Action::Erase {
                    epoch: 2,
                    keys: keys_for_both(),
                    bounds,
                    confirm: Hash([0; 32]),
                    note: Bytes(vec![1; 40]),
                },
            )
        };
        let snap = |by: &Dev, epoch: u32, covers: u64, heads: Vec<Bound>| {
            let mut x = by.snapshot(id, covers, vec![8; 64]);
            x.epoch = epoch;
            x.heads = heads;
            x.sig = by.sign(&x.signing_bytes());
            x
        };
        let entry = erase(bounds.clone());
        // Refusals change nothing.
        refused(
            s.erase(&entry, &snap(&a, 2, head - 1, bounds.clone())),
            ErrorCode::StaleHead,
        );
        refused(
            s.erase(&entry, &snap(&a, 2, head, a.bounds(id))),
            ErrorCode::InvalidEntry,
        );
        refused(
            s.erase(&entry, &snap(&a, 1, head, bounds.clone())),
            ErrorCode::InvalidEntry,
        );
        refused(
            s.erase(&entry, &snap(&b, 2, head, bounds.clone())),
            ErrorCode::InvalidEntry,
        );
        refused(
            s.erase(&erase(a.bounds(id)), &snap(&a, 2, head, a.bounds(id))),
            ErrorCode::StaleHead,
        );
        let rotate = a.entry(
            id,
            m.len,
            m.head,
            Action::Rotate {
                epoch: 2,
                keys: vec![],
                bounds: vec![],
                confirm: Hash([0; 32]),
            },
        );
        refused(
            s.erase(&rotate, &snap(&a, 2, head, bounds.clone())),
            ErrorCode::InvalidEntry,
        );
        assert_eq!(all_changes(s, &id).len(), 4, "{name}: nothing went");
        assert_eq!(s.membership(&id).unwrap().unwrap().epoch, 1, "{name}");

        // The erasure itself.
        let after = s.erase(&entry, &snap(&a, 2, head, bounds.clone())).unwrap();
        assert_eq!((after.epoch, after.base_epoch), (2, 2), "{name}");
        assert!(all_changes(s, &id).is_empty(), "{name}: every change went");
        assert_eq!(s.head_seq(&id).unwrap(), head, "{name}: numbering stays");
        let page = s.pull(&id, 0, 0, 100).unwrap();
        assert_eq!(page.snapshot.unwrap().covers, head, "{name}");
        // Old epoch: refused. The chains go on from the bounds.
        refused(
            s.push(
                &id,
                &a.key(),
                after.len,
                after.epoch,
                &[a.envelope(id, 4, vec![1])],
            ),
            ErrorCode::StaleEpoch,
        );
        a.forget(id, 4);
        let acks = s
            .push(
                &id,
                &a.key(),
                after.len,
                2,
                &[a.envelope_in(id, 2, 4, vec![2; 40])],
            )
            .unwrap();
        assert_eq!(acks[0].server_seq, head + 1, "{name}");
        refused(
            s.push(
                &id,
                &b.key(),
                after.len,
                2,
                &[b.envelope_in(id, 2, 3, vec![3])],
            ),
            ErrorCode::SequenceGap,
        );
        s.push(
            &id,
            &b.key(),
            after.len,
            2,
            &[b.envelope_in(id, 2, 2, vec![4; 40])],
        )
        .unwrap();
        assert_eq!(s.head_seq(&id).unwrap(), head + 2, "{name}");
        // An erasure may not come through a plain append.
        let m2 = s.membership(&id).unwrap().unwrap();
        let mut b2 = a.bounds(id);
        b2.extend(b.bounds(id));
        let again = a.entry(
            id,
            m2.len,
            m2.head,
            Action::Erase {
                epoch: 3,
                keys: keys_for_both(),
                bounds: b2,
                confirm: Hash([0; 32]),
                note: Bytes(vec![]),
            },
        );
        refused(s.append_log(&again), ErrorCode::InvalidEntry);
        assert_eq!(s.membership(&id).unwrap().unwrap().len, m2.len, "{name}");
    }
}
