//! A device whose store was rolled back (issue 13, item 9): restored from
//! a backup, or copied to another phone. Its device sequence numbers count
//! again from an older point, so the relay already holds other envelopes
//! under the numbers it now uses. Before, an acknowledgement of such a
//! number could delete its new writes unsent. Now the device stops syncing
//! that space with a typed error saying how to re-register, and keeps them.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use kindred_core::{Error, Kindred, SpaceKind};
use kindred_tests::devices::{device, goal, pair};
use kindred_tests::memory_relay::MemoryRelay;
use kindred_tests::test_key;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

fn pending(k: &Kindred, kind: SpaceKind) -> u64 {
    k.sync_status()
        .unwrap()
        .into_iter()
        .find(|s| s.kind == kind.as_str())
        .unwrap()
        .pending
}

fn restored_error(report: &kindred_core::sync::SyncReport) -> String {
    let f = report
        .failed
        .iter()
        .find(|f| f.kind == SpaceKind::Personal.as_str())
        .expect("the personal space stops syncing");
    assert!(
        matches!(f.error, Error::RestoredFromBackup { .. }),
        "{:?}",
        f.error
    );
    let words = f.error.to_string();
    for jargon in ["space", "Space", "epoch", "sequence", "relay"] {
        assert!(!words.contains(jargon), "{jargon:?} in: {words}");
    }
    words
}

#[test]
fn a_device_restored_from_a_backup_gets_a_typed_error_and_keeps_its_new_writes() {
    let relay = MemoryRelay::new();
    let (d1, d2, backup) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let mut phone = device(d1.path(), "person phone");
    phone.add_goal(&goal("Keep the allotment")).unwrap();
    phone.sync(&relay).unwrap();
    let mut tablet = pair(&relay, &mut phone, d2.path(), "tablet");
    tablet.sync(&relay).unwrap();
    phone.add_goal(&goal("Before the backup")).unwrap();
    phone.sync(&relay).unwrap();

    // A backup is taken; the phone goes on and syncs more.
    drop(phone);
    copy_dir(d1.path(), backup.path());
    let mut phone = Kindred::open(d1.path(), &test_key()).unwrap();
    phone.add_goal(&goal("After the backup")).unwrap();
    assert!(phone.sync(&relay).unwrap().all_synced());
    drop(phone);

    // The phone is restored from the backup and written to.
    std::fs::remove_dir_all(d1.path()).unwrap();
    copy_dir(backup.path(), d1.path());
    let mut phone = Kindred::open(d1.path(), &test_key()).unwrap();
    phone.add_goal(&goal("Written after the restore")).unwrap();
    assert_eq!(pending(&phone, SpaceKind::Personal), 1);

    for _ in 0..2 {
        let report = phone.sync(&relay).unwrap();
        let words = restored_error(&report);
        assert!(words.contains("restored from a backup"), "{words}");
        assert!(words.contains("pair it"), "{words}");
        assert!(words.contains("still here"), "{words}");
        // Its new write is kept, still pending, and readable.
        assert_eq!(pending(&phone, SpaceKind::Personal), 1);
        let titles: Vec<String> = phone
            .goals(None)
            .unwrap()
            .into_iter()
            .map(|g| g.title)
            .collect();
        assert!(titles.contains(&"Written after the restore".to_owned()));
    }
    // The other device got nothing from the restored copy.
    tablet.sync(&relay).unwrap();
    let titles: Vec<String> = tablet
        .goals(None)
        .unwrap()
        .into_iter()
        .map(|g| g.title)
        .collect();
    assert!(!titles.contains(&"Written after the restore".to_owned()));
    assert!(titles.contains(&"After the backup".to_owned()));
}

#[test]
fn a_stored_long_ago_ack_for_a_number_never_sent_drops_nothing() {
    // What a relay answers for a number it holds an older envelope under,
    // folded into a snapshot by retention (or what a lying relay says).
    let relay = MemoryRelay::new();
    let d1 = tempfile::tempdir().unwrap();
    let mut phone = device(d1.path(), "person phone");
    phone.sync(&relay).unwrap();
    phone.add_goal(&goal("Never sent")).unwrap();
    relay.fold_next_push();
    for _ in 0..2 {
        // Every later pass stops too: the next acknowledgement cannot
        // drop the write either.
        let report = phone.sync(&relay).unwrap();
        restored_error(&report);
        assert_eq!(
            pending(&phone, SpaceKind::Personal),
            1,
            "a write was dropped"
        );
    }
}

#[test]
fn a_lost_reply_then_stored_long_ago_is_still_an_ordinary_retry() {
    let relay = MemoryRelay::new();
    let d1 = tempfile::tempdir().unwrap();
    let mut phone = device(d1.path(), "person phone");
    phone.sync(&relay).unwrap();
    phone.add_goal(&goal("Sent once")).unwrap();
    relay.lose_next_push_reply();
    let _ = phone.sync(&relay);
    // The retry is answered "stored long ago": true, it was offered before.
    relay.fold_next_push();
    let report = phone.sync(&relay).unwrap();
    assert!(report.all_synced(), "{:?}", report.failed);
    assert_eq!(pending(&phone, SpaceKind::Personal), 0);
}
