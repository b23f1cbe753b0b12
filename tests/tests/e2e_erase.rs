//! Delete forever against the relay as its own process (issue 14), on
//! SQLite and on PostgreSQL: after a check-in and a goal are deleted
//! forever, no sealed byte the relay held of them is left in its storage
//! (SQLite's files with their write-ahead log; PostgreSQL's table pages,
//! dead tuples included, read raw with pageinspect after the relay's
//! vacuum), nor in its log; the devices hold nothing of them either. And
//! a member added to a share after a goal was shared and unshared there
//! finds no trace of it.
#![allow(clippy::unwrap_used)]

use std::cell::RefCell;

use kindred_core::model::CheckInChanges;
use kindred_core::sync::{HttpTransport, Role, Transport};
use kindred_core::{Kindred, SpaceKind};
use kindred_protocol::SpaceId;
use kindred_protocol::messages::PullPage;
use kindred_tests::devices::{check_in, device, dirs, goal, pair, space_of, to_sas};
use kindred_tests::relay_double::{Tamper, Tampered};
use kindred_tests::scan::{files_in, pieces_left, postgres_pages};
use kindred_tests::server::{
    ServerProcess, postgres_relay, psql, test_database_url as database_url,
};

/// Keeps every sealed byte string the relay hands out of one space:
/// envelopes and snapshots, as stored.
struct Recorder {
    spaces: RefCell<Vec<SpaceId>>,
    seen: RefCell<Vec<Vec<u8>>>,
}

impl Tamper for Recorder {
    fn pull(&self, space: &SpaceId, page: PullPage) -> PullPage {
        if !self.spaces.borrow().contains(space) {
            return page;
        }
        let mut seen = self.seen.borrow_mut();
        for c in &page.changes {
            if c.envelope.ciphertext.0.len() >= 32 {
                seen.push(c.envelope.ciphertext.0.clone());
            }
        }
        if let Some(s) = &page.snapshot {
            seen.push(s.ciphertext.0.clone());
        }
        page
    }
}

fn recorder(k: &Kindred) -> Recorder {
    Recorder {
        spaces: RefCell::new(vec![
            SpaceId::from_hex(&space_of(k, SpaceKind::Personal)).unwrap(),
        ]),
        seen: RefCell::default(),
    }
}

/// Two of Sam's devices write, sync, delete a check-in and a goal
/// forever, and sync again. Returns what the relay held of the personal
/// space before; `scan` looks for it in the relay's storage while it is
/// there (it must find all of it), and again as soon as the erasure is
/// made, before anything else reaches the relay (it must find none).
fn erase_through(server: &ServerProcess, scan: &dyn Fn(&[Vec<u8>]) -> usize) -> Vec<Vec<u8>> {
    let t = HttpTransport::new(&server.url).unwrap();
    let d = dirs(2);
    let mut phone = device(d[0].path(), "Sam's phone");
    let rec = Tampered::new(&t, recorder(&phone));
    let c = phone
        .add_check_in(&check_in(1, "MARKER-relay a bad night"))
        .unwrap();
    let g = phone.add_goal(&goal("MARKER-relay goal")).unwrap();
    phone.add_check_in(&check_in(4, "a good day")).unwrap();
    phone.sync(&rec).unwrap();
    let mut tablet = pair(&rec, &mut phone, d[1].path(), "Sam's tablet");
    tablet
        .update_check_in(
            &c,
            &CheckInChanges {
                note: Some(Some("MARKER-relay written again".into())),
                ..Default::default()
            },
        )
        .unwrap();
    tablet.sync(&rec).unwrap();
    phone.sync(&rec).unwrap();
    tablet.sync(&rec).unwrap();
    let before = rec.tamper.seen.borrow().clone();
    assert!(before.len() >= 3, "the relay held sealed changes");
    // The tablet, offline, edits the check-in about to go and writes one.
    tablet
        .update_check_in(
            &c,
            &CheckInChanges {
                mood: Some(2),
                ..Default::default()
            },
        )
        .unwrap();
    tablet
        .add_check_in(&check_in(5, "written offline"))
        .unwrap();
    assert_eq!(
        scan(&before),
        before.len(),
        "the scan finds them while they are there"
    );

    phone.delete_check_in_forever(&c).unwrap();
    phone.delete_goal_forever(&g).unwrap();
    phone.sync(&t).unwrap();
    assert_eq!(phone.erasures_waiting().unwrap(), 0);
    assert_eq!(scan(&before), 0, "nothing of them is left once erased");
    tablet.sync(&t).unwrap();
    phone.add_check_in(&check_in(3, "after")).unwrap();
    phone.sync(&t).unwrap();
    tablet.sync(&t).unwrap();
    let notes: Vec<_> = tablet
        .check_ins(None, None)
        .unwrap()
        .into_iter()
        .filter_map(|c| c.note)
        .collect();
    assert_eq!(notes.len(), 3, "{notes:?}");
    assert!(notes.contains(&"after".to_owned()));
    assert!(notes.contains(&"written offline".to_owned()), "kept");
    assert_eq!(
        tablet.take_erasure_notices().unwrap(),
        vec!["1 change to a check-in you deleted was not kept".to_owned()]
    );
    for k in [&mut phone, &mut tablet] {
        assert!(!k.holds_text_anywhere("MARKER-relay").unwrap());
        assert!(k.goals(None).unwrap().is_empty());
    }
    // The log says an erasure happened, and what kinds: both deletes
    // waited for one sync, so one erasure made them.
    let log = tablet
        .erasures(&space_of(&tablet, SpaceKind::Personal))
        .unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].records.get("goal"), Some(&1));
    assert_eq!(log[0].records.get("check-in"), Some(&1));
    before
}

#[test]
fn nothing_erased_is_left_on_a_sqlite_relay() {
    let mut server = ServerProcess::start();
    let data = server.data.clone();
    let before = erase_through(&server, &|held| pieces_left(held, &files_in(&data)));
    server.kill9();
    assert_eq!(pieces_left(&before, &files_in(&server.data)), 0);
    server.assert_never_saw(&["MARKER-relay"]);
}

/// A worker deletes a contact with a signed note forever; the person ends
/// a share deleting everything shared in it; then she erases everything.
/// Returns what the relay held of the caseload, the share and her own
/// records before; `scan` as for [`erase_through`].
fn the_other_kinds(server: &ServerProcess, scan: &dyn Fn(&[Vec<u8>]) -> usize) {
    let t = HttpTransport::new(&server.url).unwrap();
    let d = dirs(2);
    let mut person = device(d[0].path(), "person phone");
    let mut worker = device(d[1].path(), "worker laptop");
    let rec = Tampered::new(&t, recorder(&person));
    rec.tamper
        .spaces
        .borrow_mut()
        .push(SpaceId::from_hex(&space_of(&worker, SpaceKind::Caseload)).unwrap());
    let share = kindred_tests::devices::share(&rec, &mut person, &mut worker);
    rec.tamper
        .spaces
        .borrow_mut()
        .push(SpaceId::from_hex(&share.space).unwrap());
    let contact = worker
        .add_contact(&kindred_core::model::NewContact {
            name: "MARKER-other Ali".into(),
        })
        .unwrap();
    let n = worker
        .add_note(&kindred_tests::devices::note(
            &contact,
            "MARKER-other visit",
            false,
        ))
        .unwrap();
    worker.sign_note(&n).unwrap();
    let today = time::OffsetDateTime::now_utc().date();
    person
        .add_check_in(&check_in(2, "MARKER-other shared day"))
        .unwrap();
    person.share_check_ins(&share.space, today, today).unwrap();
    let g = person.add_goal(&goal("MARKER-other shared goal")).unwrap();
    person.share_goal(&g, &share.space).unwrap();
    for _ in 0..2 {
        person.sync(&rec).unwrap();
        worker.sync(&rec).unwrap();
    }
    let before = rec.tamper.seen.borrow().clone();
    assert_eq!(
        scan(&before),
        before.len(),
        "the scan finds them while they are there"
    );

    worker
        .delete_contact_forever(&contact, Some(kindred_core::KeptRecordReason::PersonAsked))
        .unwrap();
    worker.sync(&t).unwrap();
    let e = person.erase_share(&t, &share.space).unwrap();
    assert!(!e.waiting_for_sync);
    // Her goal came home; the share holds nothing.
    assert_eq!(person.goal(&g).unwrap().title, "MARKER-other shared goal");
    let s = person.shares().unwrap();
    assert!(s[0].goals.is_empty() && s[0].check_ins == 0 && s[0].ended);
    person.erase_everything().unwrap();
    person.sync(&t).unwrap();
    assert_eq!(person.erasures_waiting().unwrap(), 0);
    assert!(person.goals(None).unwrap().is_empty());
    assert!(!person.holds_text_anywhere("MARKER-other").unwrap());
    // The worker's laptop learns it was removed from the share and wipes
    // its copy; its own caseload has no trace of the contact.
    worker.sync(&t).unwrap();
    assert!(!worker.holds_text_anywhere("MARKER-other").unwrap());
    assert_eq!(scan(&before), 0, "nothing of them is left once erased");
}

#[test]
fn a_contact_a_share_and_everything_erased_leave_nothing_on_either_relay() {
    let mut server = ServerProcess::start();
    let data = server.data.clone();
    the_other_kinds(&server, &|held| pieces_left(held, &files_in(&data)));
    server.kill9();
    server.assert_never_saw(&["MARKER-other"]);
    if let Some(url) = database_url() {
        let (mut server, schema) = postgres_relay(&url, "erase_other", &[]);
        the_other_kinds(&server, &|held| {
            pieces_left(held, &raw_pages(&url, &schema))
        });
        server.kill9();
        let log = std::fs::read_to_string(&server.log).unwrap();
        assert!(!log.contains("MARKER"));
        psql(&url, &format!("DROP SCHEMA {schema} CASCADE"));
    }
}

/// Every page of the relay's change and snapshot tables and their TOAST
/// tables, raw (live and dead tuples, free space), through pageinspect.
fn raw_pages(url: &str, schema: &str) -> Vec<u8> {
    postgres_pages(url, schema, Some(&["changes", "snapshots"]))
}

#[test]
fn nothing_erased_is_left_on_a_postgres_relay() {
    let Some(url) = database_url() else {
        eprintln!("skipped: no KINDRED_TEST_DATABASE_URL");
        return;
    };
    let (mut server, schema) = postgres_relay(&url, "erase", &[]);
    let before = erase_through(&server, &|held| {
        pieces_left(held, &raw_pages(&url, &schema))
    });
    server.kill9();
    let pages = raw_pages(&url, &schema);
    assert!(!pages.is_empty());
    assert_eq!(pieces_left(&before, &pages), 0);
    let log = std::fs::read_to_string(&server.log).unwrap();
    assert!(!log.contains("MARKER"), "the relay's log holds a marker");
    psql(&url, &format!("DROP SCHEMA {schema} CASCADE"));
}

/// Invites `joiner` into `space` (or a new share), both saying yes.
fn invite(t: &dyn Transport, person: &mut Kindred, joiner: &mut Kindred, space: Option<&str>) {
    let mut inv = person.invite_create(t, space, Role::Writer).unwrap();
    let (mut j, a, b) = to_sas(t, person, t, joiner, &mut inv);
    assert_eq!(a, b);
    person.invite_yes(&inv).unwrap();
    joiner.invite_join_yes(&j).unwrap();
    assert!(person.invite_confirm(t, &mut inv).unwrap().is_none());
    joiner.invite_join_confirm(t, &mut j).unwrap();
    person.invite_confirm(t, &mut inv).unwrap().unwrap();
    joiner.invite_join_finish(t, &mut j).unwrap().unwrap();
}

/// Runs `f` against a relay on SQLite, and on PostgreSQL when a database
/// is given (and under CI, where one must be).
fn on_both_relays(f: impl Fn(&ServerProcess)) {
    f(&ServerProcess::start());
    if let Some(url) = database_url() {
        let (server, schema) = postgres_relay(&url, "erase_both", &[]);
        f(&server);
        drop(server);
        psql(&url, &format!("DROP SCHEMA {schema} CASCADE"));
    }
}

/// Runs a write on another device just before the erasure reaches the
/// relay.
struct RaceWith<'a> {
    write: RefCell<Option<Box<dyn FnOnce() + 'a>>>,
}

impl Tamper for RaceWith<'_> {
    fn before_erase(&self, _space: &SpaceId) {
        if let Some(f) = self.write.borrow_mut().take() {
            f();
        }
    }
}

/// The phone erases while the tablet's write reaches the relay first: the
/// relay refuses the erasure (it leaves the write out), the phone pulls,
/// builds it again, and the write is kept on both.
fn race(server: &ServerProcess) {
    let t = HttpTransport::new(&server.url).unwrap();
    let d = dirs(2);
    let mut phone = device(d[0].path(), "Sam's phone");
    let bad = phone.add_check_in(&check_in(1, "MARKER-race")).unwrap();
    phone.sync(&t).unwrap();
    let tablet = RefCell::new(pair(&t, &mut phone, d[1].path(), "Sam's tablet"));
    tablet.borrow_mut().sync(&t).unwrap();
    let racing = Tampered::new(
        &t,
        RaceWith {
            write: RefCell::new(Some(Box::new(|| {
                let mut k = tablet.borrow_mut();
                k.add_check_in(&check_in(4, "written during the erasure"))
                    .unwrap();
                k.sync(&t).unwrap();
            }))),
        },
    );
    phone.delete_check_in_forever(&bad).unwrap();
    phone.sync(&racing).unwrap();
    assert_eq!(phone.erasures_waiting().unwrap(), 0);
    drop(racing);
    let mut tablet = tablet.into_inner();
    tablet.sync(&t).unwrap();
    for k in [&mut phone, &mut tablet] {
        let notes: Vec<_> = k
            .check_ins(None, None)
            .unwrap()
            .into_iter()
            .filter_map(|c| c.note)
            .collect();
        assert_eq!(notes, vec!["written during the erasure".to_owned()]);
        assert!(!k.holds_text_anywhere("MARKER-race").unwrap());
    }
}

#[test]
fn an_erasure_racing_another_devices_write_keeps_it_on_both_relays() {
    on_both_relays(race);
}

#[test]
fn a_worker_added_after_a_goal_was_shared_and_unshared_finds_no_trace_of_it() {
    on_both_relays(added_later);
}

fn added_later(server: &ServerProcess) {
    let t = HttpTransport::new(&server.url).unwrap();
    let d = dirs(3);
    let mut person = device(d[0].path(), "person phone");
    let mut first = device(d[1].path(), "first worker");
    let mut later = device(d[2].path(), "later worker");
    let g = person
        .add_goal(&goal("MARKER-unshared cut down drinking"))
        .unwrap();
    person.add_goal(&goal("still shared")).unwrap();
    invite(&t, &mut person, &mut first, None);
    let space = person.shares().unwrap()[0].space.clone();
    person.share_goal(&g, &space).unwrap();
    let kept = person
        .goals(None)
        .unwrap()
        .into_iter()
        .find(|x| x.title == "still shared")
        .unwrap()
        .id;
    person.share_goal(&kept, &space).unwrap();
    person.sync(&t).unwrap();
    first.sync(&t).unwrap();
    assert!(first.holds_text_anywhere("MARKER-unshared").unwrap());
    person.unshare_goal(&g).unwrap();
    person.sync(&t).unwrap();

    // A later worker joins the same share: it starts afresh first.
    invite(&t, &mut person, &mut later, Some(&space));
    later.sync(&t).unwrap();
    let titles: Vec<String> = later
        .goals(None)
        .unwrap()
        .into_iter()
        .map(|g| g.title)
        .collect();
    assert_eq!(titles, vec!["still shared".to_owned()]);
    assert!(!later.holds_text_anywhere("MARKER-unshared").unwrap());
    drop(later);
    let rows = kindred_tests::scan::sqlite_files(&Kindred::database_path(d[2].path()));
    assert!(!rows.is_empty());
    // The first worker's copy starts afresh too once it syncs.
    first.sync(&t).unwrap();
    assert!(!first.holds_text_anywhere("MARKER-unshared").unwrap());
    let log = person.erasures(&space).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].reason, "fresh-start");
    assert!(log[0].records.is_empty());
}
