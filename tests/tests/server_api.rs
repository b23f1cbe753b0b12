//! The relay's API against bad input, on a real server process: each
//! refusal is a typed error with its status, and leaves the server's state
//! exactly as it was (row counts and log heads).
#![allow(clippy::unwrap_used)]

use kindred_protocol::messages::*;
use kindred_protocol::*;
use kindred_tests::api::{RawApi, path, push};
use kindred_tests::server::ServerProcess;
use kindred_tests::signer::{Dev, wrapped};

struct Api {
    server: ServerProcess,
    raw: RawApi,
}

impl std::ops::Deref for Api {
    type Target = RawApi;
    fn deref(&self) -> &RawApi {
        &self.raw
    }
}

impl Api {
    fn new() -> Api {
        Self::with(&[])
    }
    fn with(env: &[(&str, &str)]) -> Api {
        let server = ServerProcess::start_with(env);
        let raw = RawApi::new(&server.url);
        Api { server, raw }
    }
    fn state(&self, space: SpaceId) -> (Vec<(String, i64)>, Vec<u8>) {
        let db = self.server.db();
        let head: Vec<u8> = db
            .query_row(
                "SELECT COALESCE((SELECT hash FROM log_entries WHERE space = ?1 ORDER BY seq DESC LIMIT 1), x'')",
                [space.0.as_slice()],
                |r| r.get(0),
            )
            .unwrap();
        (self.server.counts(), head)
    }
}

#[test]
fn happy_path_push_pull_idempotent_retry_snapshot_cursor() {
    let api = Api::new();
    let (a, b) = (Dev::new(), Dev::new());
    let ta = api.token(&a);
    let tb = api.token(&b);
    let space = api.space(&a, &ta, &[&b]);
    let r: PushResult = api
        .post(
            &path(space, "changes"),
            Some(&ta),
            push(vec![
                a.envelope(space, 1, vec![1; 10]),
                a.envelope(space, 2, vec![2; 10]),
            ]),
        )
        .ok();
    assert_eq!(
        r.acks,
        vec![
            Ack {
                device_seq: 1,
                server_seq: 1
            },
            Ack {
                device_seq: 2,
                server_seq: 2
            }
        ]
    );
    // A retry of acknowledged envelopes returns the same acknowledgements.
    let again: PushResult = api
        .post(
            &path(space, "changes"),
            Some(&ta),
            push(vec![a.envelope(space, 2, vec![2; 10])]),
        )
        .ok();
    assert_eq!(
        again.acks,
        vec![Ack {
            device_seq: 2,
            server_seq: 2
        }]
    );
    let rb: PushResult = api
        .post(
            &path(space, "changes"),
            Some(&tb),
            push(vec![b.envelope(space, 1, vec![3; 10])]),
        )
        .ok();
    assert_eq!(rb.acks[0].server_seq, 3);
    let page: PullPage = api
        .get(
            &format!("{}?after=0&log_after=0&limit=2", path(space, "pull")),
            Some(&tb),
        )
        .ok();
    assert_eq!(page.log.len(), 2);
    assert_eq!(page.changes.len(), 2);
    assert!(page.more);
    assert_eq!(page.head_seq, 3);
    let page: PullPage = api
        .get(
            &format!("{}?after=2&log_after=2", path(space, "pull")),
            Some(&tb),
        )
        .ok();
    assert_eq!(page.changes.len(), 1);
    assert!(!page.more && page.log.is_empty());
    // Snapshot and cursors.
    let snap = a.snapshot(space, 2, vec![9; 100]);
    let put = api.put_snapshot(&ta, &snap);
    assert_eq!(put.status, 204);
    let r = api.post(
        &path(space, "ack"),
        Some(&tb),
        encode(&AckCursor {
            v: kindred_protocol::PROTOCOL_VERSION,
            server_seq: 3,
        }),
    );
    assert_eq!(r.status, 204);
    let page: PullPage = api
        .get(&format!("{}?after=1", path(space, "pull")), Some(&ta))
        .ok();
    assert_eq!(page.snapshot, Some(snap));
    assert_eq!(
        page.changes
            .iter()
            .map(|c| c.server_seq)
            .collect::<Vec<_>>(),
        vec![3]
    );
    assert_eq!(
        page.cursors,
        vec![DeviceCursor {
            device: b.key(),
            server_seq: 3
        }]
    );
    // Health and metrics.
    assert_eq!(api.get("/healthz", None).body, b"ok");
    let metrics = String::from_utf8(
        api.get("/metrics", Some(kindred_tests::server::METRICS_TOKEN))
            .body,
    )
    .unwrap();
    assert!(
        metrics.contains(
            "kindred_requests_total{route=\"/v1/spaces/{space}/changes\",status=\"200\"}"
        ),
        "{metrics}"
    );
}

#[test]
fn bad_input_is_refused_with_typed_errors_and_changes_nothing() {
    let api = Api::with(&[("KINDRED_SERVER_TOKEN_TTL_SECS", "2")]);
    let (a, b, stranger) = (Dev::new(), Dev::new(), Dev::new());
    let ta = api.token(&a);
    let tb = api.token(&b);
    let ts = api.token(&stranger);
    let space = api.space(&a, &ta, &[&b]);
    let acked: PushResult = api
        .post(
            &path(space, "changes"),
            Some(&ta),
            push(vec![a.envelope(space, 1, vec![1; 10])]),
        )
        .ok();
    assert_eq!(acked.acks.len(), 1);
    let before = api.state(space);
    let changes = path(space, "changes");
    let good = push(vec![a.envelope(space, 2, vec![2; 10])]);

    // Malformed, trailing bytes, unknown version, oversize.
    api.post(&changes, Some(&ta), b"\xff\x00junk".to_vec())
        .err(400, ErrorCode::Malformed);
    let mut trailing = good.clone();
    trailing.push(0);
    api.post(&changes, Some(&ta), trailing)
        .err(400, ErrorCode::Malformed);
    let v9 = encode(&Push {
        v: 9,
        envelopes: vec![a.envelope(space, 2, vec![])],
    });
    api.post(&changes, Some(&ta), v9)
        .err(400, ErrorCode::UnsupportedVersion);
    let big_envelope = push(vec![a.envelope(
        space,
        2,
        vec![0; limits::MAX_ENVELOPE_CIPHERTEXT + 1],
    )]);
    api.post(&changes, Some(&ta), big_envelope)
        .err(413, ErrorCode::TooLarge);
    api.post(&changes, Some(&ta), vec![0; limits::MAX_BODY + 10])
        .err(413, ErrorCode::TooLarge);
    // Bad signature; a valid signature by a non-member.
    let mut forged = a.envelope(space, 2, vec![5; 10]);
    forged.ciphertext.0[0] ^= 1;
    api.post(&changes, Some(&ta), push(vec![forged]))
        .err(403, ErrorCode::BadSignature);
    api.post(
        &changes,
        Some(&ts),
        push(vec![stranger.envelope(space, 1, vec![1])]),
    )
    .err(403, ErrorCode::NotMember);
    // An envelope naming someone else, sent with my token.
    api.post(
        &changes,
        Some(&tb),
        push(vec![a.envelope(space, 2, vec![1])]),
    )
    .err(403, ErrorCode::Forbidden);
    // A replay with a different payload under an acknowledged sequence.
    api.post(
        &changes,
        Some(&ta),
        push(vec![a.envelope(space, 1, vec![9; 10])]),
    )
    .err(409, ErrorCode::SequenceConflict);
    // A gap; and a batch whose second envelope is bad stores neither.
    api.post(
        &changes,
        Some(&ta),
        push(vec![a.envelope(space, 3, vec![1])]),
    )
    .err(400, ErrorCode::SequenceGap);
    api.post(
        &changes,
        Some(&ta),
        push(vec![
            a.envelope(space, 2, vec![1]),
            a.envelope(space, 4, vec![1]),
        ]),
    )
    .err(400, ErrorCode::SequenceGap);
    // Stale log head (compare-and-swap loser), a non-owner's entry.
    let stale = a.entry(
        space,
        1,
        Hash([0; 32]),
        Action::AddDevice {
            member: stranger.member(),
            epoch: 1,
            key: wrapped(),
        },
    );
    api.post(
        &path(space, "log"),
        Some(&ta),
        encode(&AppendLog {
            v: kindred_protocol::PROTOCOL_VERSION,
            entry: stale,
        }),
    )
    .err(409, ErrorCode::StaleHead);
    // Missing token; unknown token; wrong space id; a mailbox overflow.
    api.post(&changes, None, good.clone())
        .err(401, ErrorCode::Unauthenticated);
    api.post(&changes, Some("not-a-token"), good.clone())
        .err(401, ErrorCode::Unauthenticated);
    api.post(
        &path(SpaceId([0xee; 16]), "changes"),
        Some(&ta),
        good.clone(),
    )
    .err(404, ErrorCode::NotFound);
    api.post("/v1/spaces/not-hex/changes", Some(&ta), good.clone())
        .err(404, ErrorCode::NotFound);
    api.get(&format!("{}?after=abc", path(space, "pull")), Some(&ta))
        .err(400, ErrorCode::Malformed);
    api.get(&path(space, "pull"), Some(&ts))
        .err(403, ErrorCode::NotMember);
    let mailbox = format!("/v1/rendezvous/{}", SpaceId([0x42; 16]).to_hex());
    let msg = encode(&RendezvousPost {
        v: kindred_protocol::PROTOCOL_VERSION,
        payload: Bytes(vec![1; 100]),
    });
    for _ in 0..limits::MAX_RENDEZVOUS_MESSAGES {
        assert_eq!(api.post(&mailbox, None, msg.clone()).status, 204);
    }
    let full = api.state(space);
    api.post(&mailbox, None, msg.clone())
        .err(429, ErrorCode::MailboxFull);
    let big = encode(&RendezvousPost {
        v: kindred_protocol::PROTOCOL_VERSION,
        payload: Bytes(vec![1; limits::MAX_RENDEZVOUS_PAYLOAD + 1]),
    });
    api.post(&mailbox, None, big).err(413, ErrorCode::TooLarge);
    assert_eq!(api.state(space), full);
    let taken: RendezvousMessages = api.get(&mailbox, None).ok();
    assert_eq!(taken.messages.len(), limits::MAX_RENDEZVOUS_MESSAGES);
    let again: RendezvousMessages = api.get(&mailbox, None).ok();
    assert!(again.messages.is_empty());
    // Expired token.
    std::thread::sleep(std::time::Duration::from_millis(3100));
    api.post(&changes, Some(&ta), good)
        .err(401, ErrorCode::TokenExpired);

    // Nothing any refusal touched changed (tokens aside: we made none).
    assert_eq!(api.state(space), before);
    let metrics = String::from_utf8(
        api.get("/metrics", Some(kindred_tests::server::METRICS_TOKEN))
            .body,
    )
    .unwrap();
    assert!(
        metrics.contains("kindred_rejected_total{reason=\"SequenceConflict\"} 1"),
        "{metrics}"
    );
}

#[test]
fn a_removed_device_is_refused_and_unknown_routes_are_typed() {
    let api = Api::new();
    let (a, b) = (Dev::new(), Dev::new());
    let ta = api.token(&a);
    let tb = api.token(&b);
    let space = api.space(&a, &ta, &[&b]);
    let page: PullPage = api.get(&path(space, "pull"), Some(&tb)).ok();
    let head = page.log.last().unwrap().hash();
    let (seq, head) = api.ask_removal(&a, &ta, space, 2, head, &b);
    let remove = a.entry(
        space,
        seq,
        head,
        Action::RemoveDevice {
            device: b.key(),
            epoch: 2,
            keys: vec![KeyFor {
                device: a.key(),
                key: wrapped(),
                sealed_label: Bytes(vec![]),
            }],
            bounds: [&a, &b].iter().flat_map(|d| d.bounds(space)).collect(),
            confirm: Hash([0; 32]),
            lost: false,
            at: 0,
        },
    );
    let _: LogHead = api
        .post(
            &path(space, "log"),
            Some(&ta),
            encode(&AppendLog {
                v: kindred_protocol::PROTOCOL_VERSION,
                entry: remove,
            }),
        )
        .ok();
    api.get(&path(space, "pull"), Some(&tb))
        .err(403, ErrorCode::Removed);
    api.post(
        &path(space, "changes"),
        Some(&tb),
        push(vec![b.envelope(space, 1, vec![1])]),
    )
    .err(403, ErrorCode::Removed);
    // The removed device may still read the log (to verify its removal),
    // and nothing else; a stranger may not read it at all.
    let log: LogPage = api.get(&path(space, "log"), Some(&tb)).ok();
    assert_eq!(
        log.entries.len(),
        4,
        "genesis, add, the request, the removal"
    );
    assert!(
        matches!(&log.entries[3].action, Action::RemoveDevice { device, .. } if *device == b.key())
    );
    let later: LogPage = api
        .get(&format!("{}?after=3", path(space, "log")), Some(&tb))
        .ok();
    assert_eq!(later.entries.len(), 1);
    let stranger = Dev::new();
    let ts = api.token(&stranger);
    api.get(&path(space, "log"), Some(&ts))
        .err(403, ErrorCode::NotMember);
    api.get(&format!("{}?after=x", path(space, "log")), Some(&ta))
        .err(400, ErrorCode::Malformed);
    // Old-epoch envelopes from a remaining member are refused after
    // rotation as stale (pull, re-seal, push again), and nothing is stored.
    let before = api.state(space);
    api.post(
        &path(space, "changes"),
        Some(&ta),
        push(vec![a.envelope(space, 1, vec![1])]),
    )
    .err(409, ErrorCode::StaleEpoch);
    assert_eq!(api.state(space), before);
    api.get("/v1/nothing-here", None)
        .err(404, ErrorCode::NotFound);
}

#[test]
fn data_survives_a_kill_9_after_an_acknowledged_push() {
    let mut api = Api::new();
    let a = Dev::new();
    let ta = api.token(&a);
    let space = api.space(&a, &ta, &[]);
    let r: PushResult = api
        .post(
            &path(space, "changes"),
            Some(&ta),
            push(vec![a.envelope(space, 1, vec![7; 50])]),
        )
        .ok();
    assert_eq!(r.acks[0].server_seq, 1);
    api.server.kill9();
    api.server.restart();
    let ta = api.token(&a);
    let page: PullPage = api.get(&path(space, "pull"), Some(&ta)).ok();
    assert_eq!(page.changes.len(), 1);
    assert_eq!(page.changes[0].envelope.ciphertext.0, vec![7; 50]);
}

#[test]
fn concurrent_pushes_committed_together_keep_each_device_in_order() {
    // Pushes from many devices at once are stored in shared transactions
    // (group commit); a refused push among them changes nothing and every
    // other one is acknowledged and stored exactly once.
    let api = Api::new();
    let devs: Vec<Dev> = (0..8).map(|_| Dev::new()).collect();
    let tokens: Vec<String> = devs.iter().map(|d| api.token(d)).collect();
    let others: Vec<&Dev> = devs[1..].iter().collect();
    let space = api.space(&devs[0], &tokens[0], &others);
    let changes = path(space, "changes");
    std::thread::scope(|s| {
        for (i, (d, t)) in devs.iter().zip(&tokens).enumerate() {
            let (api, changes) = (&api, &changes);
            s.spawn(move || {
                for seq in 1..=20u64 {
                    if i == 3 && seq == 10 {
                        // A gap, refused in the middle of the storm.
                        api.post(
                            changes,
                            Some(t),
                            push(vec![d.envelope(space, 99, vec![1; 8])]),
                        )
                        .err(400, ErrorCode::SequenceGap);
                    }
                    let r: PushResult = api
                        .post(
                            changes,
                            Some(t),
                            push(vec![d.envelope(space, seq, vec![i as u8; 40])]),
                        )
                        .ok();
                    assert_eq!(r.acks.len(), 1);
                    assert_eq!(r.acks[0].device_seq, seq);
                }
            });
        }
    });
    let t0 = &tokens[0];
    let mut all = Vec::new();
    let mut after = 0;
    loop {
        let page: PullPage = api
            .get(
                &format!("{}?after={after}&log_after=0", path(space, "pull")),
                Some(t0),
            )
            .ok();
        after = page.changes.last().map_or(after, |c| c.server_seq);
        all.extend(page.changes);
        if !page.more {
            break;
        }
    }
    assert_eq!(all.len(), 8 * 20);
    let seqs: Vec<u64> = all.iter().map(|c| c.server_seq).collect();
    assert_eq!(
        seqs,
        (1..=160).collect::<Vec<_>>(),
        "server order has no holes"
    );
    for d in &devs {
        let mine: Vec<u64> = all
            .iter()
            .filter(|c| c.envelope.device == d.key())
            .map(|c| c.envelope.seq)
            .collect();
        assert_eq!(mine, (1..=20).collect::<Vec<_>>());
    }
}

#[test]
fn admin_usage_shows_sizes_and_counts_only_and_metrics_time_storage() {
    let api = Api::new();
    let a = Dev::new();
    let ta = api.token(&a);
    let space = api.space(&a, &ta, &[]);
    let _: PushResult = api
        .post(
            &path(space, "changes"),
            Some(&ta),
            push(vec![a.envelope(space, 1, vec![7; 50])]),
        )
        .ok();
    let metrics = String::from_utf8(
        api.get("/metrics", Some(kindred_tests::server::METRICS_TOKEN))
            .body,
    )
    .unwrap();
    let calls: u64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("kindred_storage_calls_total "))
        .unwrap()
        .parse()
        .unwrap();
    assert!(calls >= 3, "{metrics}");
    assert!(
        metrics.contains("kindred_storage_seconds_sum "),
        "{metrics}"
    );

    let out = std::process::Command::new(kindred_tests::server::binary())
        .args(["admin", "usage", "--json", "--data"])
        .arg(&api.server.data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let row = rows
        .iter()
        .find(|r| r["space"] == space.to_hex())
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(row["changes"], 1);
    assert_eq!(row["log_entries"], 1);
    assert!(row["change_bytes"].as_u64().unwrap() >= 50);
    // Nothing but ids, counts and sizes.
    let keys: Vec<&String> = row.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        vec![
            "change_bytes",
            "changes",
            "log_entries",
            "snapshot_bytes",
            "space"
        ]
    );
}

/// Retention on a running relay: with `--prune-after-days 0` the changes a
/// snapshot covers go at the next run (counted in /metrics), each device's
/// newest change stays, and a device starting from nothing still gets the
/// snapshot and what follows it. `admin prune` runs it once; a bad value is
/// refused.
#[test]
fn retention_prunes_what_snapshots_cover_and_new_devices_still_get_everything() {
    let api = Api::with(&[
        ("KINDRED_PRUNE_AFTER_DAYS", "0"),
        ("KINDRED_PRUNE_EVERY_SECS", "1"),
    ]);
    let (a, b) = (Dev::new(), Dev::new());
    let (ta, tb) = (api.token(&a), api.token(&b));
    let space = api.space(&a, &ta, &[&b]);
    for seq in 1..=4 {
        let _: PushResult = api
            .post(
                &path(space, "changes"),
                Some(&ta),
                push(vec![a.envelope(space, seq, vec![seq as u8; 30])]),
            )
            .ok();
    }
    let snap = a.snapshot(space, 3, vec![9; 100]);
    let put = api.put_snapshot(&ta, &snap);
    assert_eq!(put.status, 204);
    let pruned = |api: &Api| -> u64 {
        let metrics = String::from_utf8(
            api.get("/metrics", Some(kindred_tests::server::METRICS_TOKEN))
                .body,
        )
        .unwrap();
        metrics
            .lines()
            .find_map(|l| l.strip_prefix("kindred_pruned_changes_total "))
            .and_then(|v| v.parse().ok())
            .unwrap()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while pruned(&api) < 3 {
        assert!(
            std::time::Instant::now() < deadline,
            "retention did not run"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(pruned(&api), 3);
    let usage = |api: &Api| -> u64 {
        let out = std::process::Command::new(kindred_tests::server::binary())
            .args(["admin", "usage", "--json", "--data"])
            .arg(&api.server.data)
            .output()
            .unwrap();
        let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        rows.iter().find(|r| r["space"] == space.to_hex()).unwrap()["changes"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(usage(&api), 1);
    let page: PullPage = api.get(&path(space, "pull"), Some(&tb)).ok();
    assert_eq!(page.snapshot, Some(snap));
    let seqs: Vec<u64> = page.changes.iter().map(|c| c.server_seq).collect();
    assert_eq!(seqs, vec![4]);
    // Numbering goes on after the pruned ones.
    let r: PushResult = api
        .post(
            &path(space, "changes"),
            Some(&ta),
            push(vec![a.envelope(space, 5, vec![5])]),
        )
        .ok();
    assert_eq!(r.acks[0].server_seq, 5);

    let admin = |args: &[&str]| {
        std::process::Command::new(kindred_tests::server::binary())
            .args(["admin", "prune"])
            .args(args)
            .arg("--data")
            .arg(&api.server.data)
            .output()
            .unwrap()
    };
    let once = admin(&["--after-days", "30"]);
    assert!(once.status.success());
    assert!(String::from_utf8_lossy(&once.stdout).starts_with("pruned 0 changes"));
    let bad = admin(&["--after-days", "soon"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--after-days"));
    assert_eq!(usage(&api), 2, "nothing changed by the refused command");
}

/// A `SetRole` by `by` for `device`, keys for `all` (the next epoch).
#[allow(clippy::too_many_arguments)]
fn set_role(
    by: &Dev,
    space: SpaceId,
    seq: u64,
    prev: Hash,
    device: &Dev,
    role: Role,
    epoch: u32,
    all: &[&Dev],
) -> LogEntry {
    by.entry(
        space,
        seq,
        prev,
        Action::SetRole {
            device: device.key(),
            role,
            epoch,
            keys: all
                .iter()
                .map(|d| KeyFor {
                    device: d.key(),
                    key: wrapped(),
                    sealed_label: Bytes(vec![]),
                })
                .collect(),
            bounds: all.iter().flat_map(|d| d.bounds(space)).collect(),
            confirm: Hash([0; 32]),
        },
    )
}

#[test]
fn the_relay_enforces_role_changes_and_refuses_them_from_anyone_but_an_owner() {
    let api = Api::new();
    let (owner, other) = (Dev::new(), Dev::new());
    let (to, tr) = (api.token(&owner), api.token(&other));
    let space = owner.new_space();
    let g = owner.genesis(space);
    let mut head = g.hash();
    let _: LogHead = api
        .post(
            "/v1/spaces",
            Some(&to),
            encode(&AppendLog {
                v: kindred_protocol::PROTOCOL_VERSION,
                entry: g,
            }),
        )
        .ok();
    let mut reader = other.member();
    reader.role = Role::Reader;
    let add = owner.entry(
        space,
        1,
        head,
        Action::AddDevice {
            member: reader,
            epoch: 1,
            key: wrapped(),
        },
    );
    head = add.hash();
    let _: LogHead = api
        .post(
            &path(space, "log"),
            Some(&to),
            encode(&AppendLog {
                v: kindred_protocol::PROTOCOL_VERSION,
                entry: add,
            }),
        )
        .ok();
    let append = |tok: &str, entry: LogEntry| {
        api.post(
            &path(space, "log"),
            Some(tok),
            encode(&AppendLog {
                v: kindred_protocol::PROTOCOL_VERSION,
                entry,
            }),
        )
    };

    // A reader may not write, nor promote itself.
    api.post(
        &path(space, "changes"),
        Some(&tr),
        push(vec![other.envelope(space, 1, vec![1])]),
    )
    .err(403, ErrorCode::Forbidden);
    other.forget(space, 1);
    let selfish = set_role(
        &other,
        space,
        2,
        head,
        &other,
        Role::Owner,
        2,
        &[&owner, &other],
    );
    append(&tr, selfish).err(400, ErrorCode::InvalidEntry);
    let selfish = set_role(
        &other,
        space,
        2,
        head,
        &other,
        Role::Writer,
        2,
        &[&owner, &other],
    );
    append(&tr, selfish).err(400, ErrorCode::InvalidEntry);
    // Nor may an owner's role change skip a member's key, or name a stranger.
    let short = set_role(&owner, space, 2, head, &other, Role::Writer, 2, &[&owner]);
    append(&to, short).err(400, ErrorCode::InvalidEntry);
    let stranger = Dev::new();
    let unknown = set_role(
        &owner,
        space,
        2,
        head,
        &stranger,
        Role::Writer,
        2,
        &[&owner, &other],
    );
    append(&to, unknown).err(400, ErrorCode::InvalidEntry);

    // The owner promotes the reader: it writes under the new epoch.
    let promote = set_role(
        &owner,
        space,
        2,
        head,
        &other,
        Role::Writer,
        2,
        &[&owner, &other],
    );
    head = promote.hash();
    let _: LogHead = append(&to, promote).ok();
    let r: PushResult = api
        .post(
            &path(space, "changes"),
            Some(&tr),
            push(vec![other.envelope_in(space, 2, 1, vec![1])]),
        )
        .ok();
    assert_eq!(r.acks.len(), 1);

    // Demoted again: refused at once, under the old epoch too.
    let demote = set_role(
        &owner,
        space,
        3,
        head,
        &other,
        Role::Reader,
        3,
        &[&owner, &other],
    );
    let _: LogHead = append(&to, demote).ok();
    api.post(
        &path(space, "changes"),
        Some(&tr),
        push(vec![other.envelope_in(space, 3, 2, vec![2])]),
    )
    .err(403, ErrorCode::Forbidden);
    api.post(
        &path(space, "changes"),
        Some(&tr),
        push(vec![other.envelope_in(space, 2, 2, vec![2])]),
    )
    .err(403, ErrorCode::Forbidden);
    let log: LogPage = api.get(&path(space, "log"), Some(&tr)).ok();
    assert_eq!(log.entries.len(), 4);
}
