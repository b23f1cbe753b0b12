//! Delete forever on the in-memory relay (issue 14): the device side of
//! erasure epochs. A check-in deleted forever leaves no trace on either of
//! the person's devices (history, pending and sent changes, old sealed
//! rows in the database files), a device offline through it keeps its
//! other edits and is told which it could not keep, an erasure racing a
//! rotation still includes everything, and old-epoch envelopes are
//! refused afterwards (an erasure racing another device's write, on both
//! relay backends: `e2e_erase.rs`).
#![allow(clippy::unwrap_used)]

use std::cell::RefCell;

use kindred_core::model::CheckInChanges;
use kindred_core::{Error, Kindred};
use kindred_protocol::SpaceId;
use kindred_tests::devices::{check_in, device, dirs, goal, pair, space_of};
use kindred_tests::memory_relay::MemoryRelay;
use kindred_tests::relay_double::{Tamper, Tampered};
use kindred_tests::scan::{device_rows, pieces_left, sqlite_files};

fn notes(k: &mut Kindred) -> Vec<String> {
    let mut n: Vec<String> = k
        .check_ins(None, None)
        .unwrap()
        .into_iter()
        .filter_map(|c| c.note)
        .collect();
    n.sort();
    n
}

#[test]
fn a_check_in_deleted_forever_is_gone_everywhere_and_offline_edits_survive() {
    let relay = MemoryRelay::new();
    let d = dirs(2);
    let (d1, d2) = (&d[0], &d[1]);
    let mut phone = device(d1.path(), "Sam's phone");
    let bad = phone
        .add_check_in(&check_in(1, "MARKER-bad-night words"))
        .unwrap();
    let keep = phone.add_check_in(&check_in(3, "a fine day")).unwrap();
    phone.sync(&relay).unwrap();
    let mut tablet = pair(&relay, &mut phone, d2.path(), "Sam's tablet");
    tablet.sync(&relay).unwrap();
    // An edit that puts the words in the history too, before the erasure.
    phone
        .update_check_in(
            &bad,
            &CheckInChanges {
                note: Some(Some("MARKER-bad-night edited".into())),
                ..Default::default()
            },
        )
        .unwrap();
    phone.sync(&relay).unwrap();
    tablet.sync(&relay).unwrap();
    assert!(tablet.holds_text_anywhere("MARKER-bad-night").unwrap());

    // The tablet goes offline and writes: an edit to the check-in about to
    // be erased, an edit to another, a new one.
    tablet
        .update_check_in(
            &bad,
            &CheckInChanges {
                mood: Some(2),
                ..Default::default()
            },
        )
        .unwrap();
    tablet
        .update_check_in(
            &keep,
            &CheckInChanges {
                note: Some(Some("a fine day, edited offline".into())),
                ..Default::default()
            },
        )
        .unwrap();
    tablet
        .add_check_in(&check_in(4, "written offline"))
        .unwrap();

    let phone_db = Kindred::database_path(d1.path());
    let tablet_db = Kindred::database_path(d2.path());
    let personal = space_of(&phone, kindred_core::SpaceKind::Personal);
    let (phone_before, tablet_before) = (
        device_rows(&phone_db, &personal),
        device_rows(&tablet_db, &personal),
    );
    // The scan finds them while they are there.
    assert_eq!(
        pieces_left(&phone_before, &sqlite_files(&phone_db)),
        phone_before.len()
    );
    assert_eq!(
        pieces_left(&tablet_before, &sqlite_files(&tablet_db)),
        tablet_before.len()
    );

    let erased = phone.delete_check_in_forever(&bad).unwrap();
    assert!(erased.waiting_for_sync);
    assert_eq!(erased.records.get("check-in"), Some(&1));
    phone.sync(&relay).unwrap();
    assert!(!phone.holds_text_anywhere("MARKER-bad-night").unwrap());
    assert!(matches!(phone.check_in(&bad), Err(Error::NotFound { .. })));

    // The tablet comes back: the erased check-in does not come back, its
    // other edits are kept, and it says what it could not keep.
    tablet.sync(&relay).unwrap();
    assert_eq!(
        notes(&mut tablet),
        vec!["a fine day, edited offline", "written offline"]
    );
    assert!(!tablet.holds_text_anywhere("MARKER-bad-night").unwrap());
    assert_eq!(
        tablet.take_erasure_notices().unwrap(),
        vec!["1 change to a check-in you deleted was not kept".to_owned()]
    );
    assert!(
        tablet.take_erasure_notices().unwrap().is_empty(),
        "shown once"
    );
    phone.sync(&relay).unwrap();
    assert_eq!(notes(&mut phone), notes(&mut tablet));

    // No sealed row from before the erasure is left in either device's
    // files (free pages and write-ahead log included), and an export has
    // none of the words.
    drop(phone);
    drop(tablet);
    assert_eq!(pieces_left(&phone_before, &sqlite_files(&phone_db)), 0);
    assert_eq!(pieces_left(&tablet_before, &sqlite_files(&tablet_db)), 0);
    let mut phone = Kindred::open(d1.path(), &kindred_tests::test_key()).unwrap();
    let export = serde_json::to_string(&phone.export_json(true).unwrap()).unwrap();
    assert!(!export.contains("MARKER-bad-night"));
    assert!(export.contains("written offline"));

    // The log records that an erasure happened, who made it and what kind
    // of record went, never what it said.
    let log = phone.erasures(&personal).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].by, "Sam's phone");
    assert_eq!(log[0].records.get("check-in"), Some(&1));
    assert_eq!(log[0].reason, "asked");
    assert!(!format!("{log:?}").contains("MARKER"));
}

#[test]
fn a_space_not_on_a_relay_starts_afresh_at_once() {
    let d = dirs(1);
    let d1 = &d[0];
    let mut phone = device(d1.path(), "Sam's phone");
    let g = phone.add_goal(&goal("MARKER-goal to forget")).unwrap();
    phone.add_goal(&goal("a goal to keep")).unwrap();
    let erased = phone.delete_goal_forever(&g).unwrap();
    assert!(!erased.waiting_for_sync);
    assert!(!phone.holds_text_anywhere("MARKER-goal").unwrap());
    let titles: Vec<String> = phone
        .goals(None)
        .unwrap()
        .into_iter()
        .map(|g| g.title)
        .collect();
    assert_eq!(titles, vec!["a goal to keep".to_owned()]);
}

#[test]
fn an_erasure_after_a_rotation_and_a_rotation_after_it_both_hold() {
    let relay = MemoryRelay::new();
    let d = dirs(2);
    let (d1, d2) = (&d[0], &d[1]);
    let mut phone = device(d1.path(), "Sam's phone");
    let bad = phone.add_check_in(&check_in(1, "MARKER-rotate")).unwrap();
    phone.add_check_in(&check_in(3, "kept")).unwrap();
    phone.sync(&relay).unwrap();
    let mut tablet = pair(&relay, &mut phone, d2.path(), "Sam's tablet");
    tablet.sync(&relay).unwrap();
    let personal = space_of(&phone, kindred_core::SpaceKind::Personal);
    // The tablet rotates the key; the phone erases without having seen it.
    tablet.rotate_space_key(&relay, &personal).unwrap();
    phone.delete_check_in_forever(&bad).unwrap();
    phone.sync(&relay).unwrap();
    tablet.rotate_space_key(&relay, &personal).unwrap();
    tablet.add_check_in(&check_in(2, "after both")).unwrap();
    tablet.sync(&relay).unwrap();
    phone.sync(&relay).unwrap();
    assert_eq!(notes(&mut phone), vec!["after both", "kept"]);
    assert_eq!(notes(&mut tablet), notes(&mut phone));
    for k in [&mut phone, &mut tablet] {
        assert!(!k.holds_text_anywhere("MARKER-rotate").unwrap());
    }
}

/// Keeps the envelopes a relay served, and after the erasure serves one of
/// them again (a relay that kept the old ciphertext and replays it).
#[derive(Default)]
struct Replayer {
    kept: RefCell<Vec<kindred_protocol::messages::StoredChange>>,
    replay: RefCell<bool>,
}

impl Tamper for Replayer {
    fn pull(
        &self,
        space: &SpaceId,
        mut page: kindred_protocol::messages::PullPage,
    ) -> kindred_protocol::messages::PullPage {
        if *self.replay.borrow() {
            let kept = self.kept.borrow();
            if let Some(mut old) = kept.iter().find(|c| c.envelope.space == *space).cloned() {
                old.server_seq = page.head_seq + 1;
                page.head_seq += 1;
                page.changes.push(old);
            }
        } else {
            self.kept.borrow_mut().extend(page.changes.iter().cloned());
        }
        page
    }
}

#[test]
fn an_envelope_from_before_the_erasure_replayed_by_the_relay_is_refused() {
    let relay = MemoryRelay::new();
    let d = dirs(2);
    let mut phone = device(d[0].path(), "Sam's phone");
    let bad = phone.add_check_in(&check_in(1, "MARKER-replay")).unwrap();
    phone.sync(&relay).unwrap();
    let mut tablet = pair(&relay, &mut phone, d[1].path(), "Sam's tablet");
    let evil = Tampered::new(&relay, Replayer::default());
    // The tablet writes (its envelope is what the relay keeps) and the
    // phone pulls it through the relay that keeps copies.
    tablet
        .update_check_in(
            &bad,
            &CheckInChanges {
                note: Some(Some("MARKER-replay again".into())),
                ..Default::default()
            },
        )
        .unwrap();
    tablet.sync(&relay).unwrap();
    phone.sync(&evil).unwrap();
    assert!(!evil.tamper.kept.borrow().is_empty());
    phone.delete_check_in_forever(&bad).unwrap();
    phone.sync(&relay).unwrap();
    // Now the relay serves the old envelope again.
    *evil.tamper.replay.borrow_mut() = true;
    let report = phone.sync(&evil).unwrap();
    assert_eq!(report.spaces.iter().map(|s| s.quarantined).sum::<u64>(), 1);
    assert!(!phone.holds_text_anywhere("MARKER-replay").unwrap());
    assert!(phone.check_in(&bad).is_err(), "nothing came back");
}

#[test]
fn only_the_persons_own_devices_delete_her_records_forever() {
    let relay = MemoryRelay::new();
    let d = dirs(2);
    let mut person = device(d[0].path(), "person phone");
    let mut worker = device(d[1].path(), "worker laptop");
    let g = person.add_goal(&goal("see my sister")).unwrap();
    let share = kindred_tests::devices::share(&relay, &mut person, &mut worker);
    person.share_goal(&g, &share.space).unwrap();
    person.sync(&relay).unwrap();
    worker.sync(&relay).unwrap();
    assert!(matches!(
        worker.delete_goal_forever(&g),
        Err(Error::CannotErase)
    ));
    assert_eq!(worker.goals(None).unwrap().len(), 1, "nothing was deleted");
    // A contact with a signed note needs a reason.
    let c = worker
        .add_contact(&kindred_core::model::NewContact { name: "Ali".into() })
        .unwrap();
    let n = worker
        .add_note(&kindred_tests::devices::note(
            &c,
            "walked to the library",
            false,
        ))
        .unwrap();
    worker.sign_note(&n).unwrap();
    assert!(matches!(
        worker.delete_contact_forever(&c, None),
        Err(Error::SignedNotesKept)
    ));
    assert_eq!(worker.contacts().unwrap().len(), 1);
    let e = worker
        .delete_contact_forever(&c, Some(kindred_core::KeptRecordReason::PersonAsked))
        .unwrap();
    assert_eq!(e.records.get("signed contact note"), Some(&1));
    worker.sync(&relay).unwrap();
    assert!(worker.contacts().unwrap().is_empty());
    let caseload = space_of(&worker, kindred_core::SpaceKind::Caseload);
    let log = worker.erasures(&caseload).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].reason, "asked");
    assert!(!worker.holds_text_anywhere("walked to the library").unwrap());
}

#[test]
fn a_persons_own_comment_on_a_shared_note_can_be_deleted_forever_and_only_hers() {
    let relay = MemoryRelay::new();
    let d = dirs(2);
    let mut person = device(d[0].path(), "person phone");
    let mut worker = device(d[1].path(), "worker laptop");
    let share = kindred_tests::devices::share(&relay, &mut person, &mut worker);
    let c = worker
        .add_contact(&kindred_core::model::NewContact {
            name: "person".into(),
        })
        .unwrap();
    let n = worker
        .add_note(&kindred_tests::devices::note(
            &c,
            "we talked about work",
            false,
        ))
        .unwrap();
    worker.share_note(&n, &share.space, false).unwrap();
    worker.sync(&relay).unwrap();
    person.sync(&relay).unwrap();
    let mine = person
        .comment_note(&n, "MARKER-comment I said too much")
        .unwrap();
    let theirs = worker.comment_note(&n, "thank you for telling me").unwrap();
    person.sync(&relay).unwrap();
    worker.sync(&relay).unwrap();
    person.sync(&relay).unwrap();
    // Both first comments, written at once, are kept on both sides (the
    // comments list is made with the shared copy, not by the first one).
    for k in [&mut person, &mut worker] {
        assert_eq!(k.note(&n).unwrap().comments.len(), 2);
    }
    // Not someone else's comment, and not from someone else's device.
    let r = person.delete_comment_forever(&n, &theirs);
    assert!(matches!(r, Err(Error::CannotErase)), "{r:?}");
    assert!(matches!(
        worker.delete_comment_forever(&n, &mine),
        Err(Error::CannotErase)
    ));
    let e = person.delete_comment_forever(&n, &mine).unwrap();
    assert_eq!(e.records.get("comment"), Some(&1));
    person.sync(&relay).unwrap();
    worker.sync(&relay).unwrap();
    for k in [&mut person, &mut worker] {
        assert!(!k.holds_text_anywhere("MARKER-comment").unwrap());
        let texts: Vec<String> = k
            .note(&n)
            .unwrap()
            .comments
            .into_iter()
            .map(|c| c.text)
            .collect();
        assert_eq!(texts, vec!["thank you for telling me".to_owned()]);
    }
}
