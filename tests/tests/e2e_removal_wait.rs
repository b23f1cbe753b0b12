//! The relay's clock in removing one of the person's own devices (issue
//! 16), on a real server process, on SQLite and on PostgreSQL: a request
//! must wait at least the relay's `--removal-wait-secs`; the device that
//! asked cannot carry it out before; after the wait it can; a cancelled
//! request can never be carried out. Each refusal is typed and appends
//! nothing.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use kindred_protocol::messages::*;
use kindred_protocol::*;
use kindred_tests::api::{RawApi, path};
use kindred_tests::server::{ServerProcess, postgres_relay};
use kindred_tests::signer::{Dev, wrapped};

const WAIT: u64 = 2;

fn database_url() -> Option<String> {
    match std::env::var("KINDRED_TEST_DATABASE_URL") {
        Ok(u) if !u.is_empty() => Some(u),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("KINDRED_TEST_DATABASE_URL is not set: CI runs the relay on PostgreSQL too")
        }
        _ => None,
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The log as the relay holds it.
fn log(api: &RawApi, tok: &str, space: SpaceId) -> Vec<LogEntry> {
    let page: LogPage = api.get(&path(space, "log"), Some(tok)).ok();
    page.entries
}

fn append(api: &RawApi, tok: &str, space: SpaceId, entry: LogEntry) -> kindred_tests::api::Resp {
    api.post(
        &path(space, "log"),
        Some(tok),
        encode(&AppendLog {
            v: PROTOCOL_VERSION,
            entry,
        }),
    )
}

fn remove(
    by: &Dev,
    space: SpaceId,
    seq: u64,
    head: Hash,
    device: &Dev,
    others: &[&Dev],
) -> LogEntry {
    by.entry(
        space,
        seq,
        head,
        Action::RemoveDevice {
            device: device.key(),
            epoch: 2,
            keys: others
                .iter()
                .map(|d| KeyFor {
                    device: d.key(),
                    key: wrapped(),
                    sealed_label: Bytes(vec![]),
                })
                .collect(),
            bounds: vec![],
            confirm: Hash([0; 32]),
            lost: true,
            at: 0,
        },
    )
}

/// `by` asks to remove `device` (as lost), not before `not_before`.
fn ask(by: &Dev, space: SpaceId, seq: u64, head: Hash, device: &Dev, not_before: u64) -> LogEntry {
    by.entry(
        space,
        seq,
        head,
        Action::ProposeRemoval {
            device: device.key(),
            lost: true,
            not_before,
        },
    )
}

fn the_wait_holds(server: &ServerProcess, backend: &str) {
    let api = RawApi::new(&server.url);
    let (phone, tablet) = (Dev::new(), Dev::new());
    let (tp, tt) = (api.token(&phone), api.token(&tablet));
    // The tablet is one of the person's devices (added as an owner).
    let space = api.space(&phone, &tp, &[&tablet]);
    let head = |api: &RawApi| {
        let l = log(api, &tp, space);
        (l.len() as u64, l.last().unwrap().hash())
    };

    // Straight away, with no request: refused by the log's rule.
    let (seq, h) = head(&api);
    append(
        &api,
        &tp,
        space,
        remove(&phone, space, seq, h, &tablet, &[&phone]),
    )
    .err(400, ErrorCode::InvalidEntry);
    // A request that names a shorter wait than the relay's.
    let short = ask(&phone, space, seq, h, &tablet, now().saturating_sub(600));
    append(&api, &tp, space, short).err(409, ErrorCode::WaitNotOver);
    assert_eq!(head(&api), (seq, h), "{backend}: nothing appended");

    // A fair request, then the removal before its time: refused.
    let not_before = now() + WAIT;
    let request = ask(&phone, space, seq, h, &tablet, not_before);
    let _: LogHead = append(&api, &tp, space, request).ok();
    let (seq, h) = head(&api);
    append(
        &api,
        &tp,
        space,
        remove(&phone, space, seq, h, &tablet, &[&phone]),
    )
    .err(409, ErrorCode::WaitNotOver);
    assert_eq!(head(&api), (seq, h), "{backend}: nothing appended");

    // The tablet cancels; after the wait the removal still cannot happen.
    let cancel = tablet.entry(
        space,
        seq,
        h,
        Action::CancelRemoval {
            device: tablet.key(),
        },
    );
    let _: LogHead = append(&api, &tt, space, cancel).ok();
    let (seq, h) = head(&api);
    // Bounded: the wait is WAIT seconds, slept once.
    std::thread::sleep(Duration::from_secs(WAIT + 1));
    append(
        &api,
        &tp,
        space,
        remove(&phone, space, seq, h, &tablet, &[&phone]),
    )
    .err(400, ErrorCode::InvalidEntry);

    // Asked again, and carried out once the wait is over.
    let again = ask(&phone, space, seq, h, &tablet, now() + WAIT);
    let _: LogHead = append(&api, &tp, space, again).ok();
    std::thread::sleep(Duration::from_secs(WAIT + 1));
    let (seq, h) = head(&api);
    let _: LogHead = append(
        &api,
        &tp,
        space,
        remove(&phone, space, seq, h, &tablet, &[&phone]),
    )
    .ok();
    let m = Membership::from_log(&log(&api, &tp, space)).unwrap();
    assert!(m.removed.contains(&tablet.key()), "{backend}");
    assert!(matches!(
        m.removals.last().unwrap().how,
        RemovedBy::Waited { .. }
    ));
    // The removed tablet is refused from then on.
    api.get(&path(space, "pull"), Some(&tt))
        .err(403, ErrorCode::Removed);
}

#[test]
fn a_removal_waits_on_the_relays_clock_on_sqlite() {
    let server = ServerProcess::start_with(&[("KINDRED_REMOVAL_WAIT_SECS", "2")]);
    the_wait_holds(&server, "sqlite");
}

#[test]
fn a_removal_waits_on_the_relays_clock_on_postgres() {
    let Some(url) = database_url() else {
        eprintln!("skipped: no KINDRED_TEST_DATABASE_URL");
        return;
    };
    let (server, _schema) =
        postgres_relay(&url, "removal_wait", &[("KINDRED_REMOVAL_WAIT_SECS", "2")]);
    the_wait_holds(&server, "postgres");
}
