//! Member bytes that panic automerge (issue 13, item 7): a device of the
//! space (compromised, or running a bad build) sends a change that makes
//! the CRDT library panic. The receiving device quarantines that envelope
//! with a plain reason, its document is unchanged, the cursor moves on, and
//! the rest of the page and the other spaces sync on.
//!
//! The input is real: found by the `engine` fuzz target and kept under
//! fuzz/regressions/engine/ (with its dependencies removed, so it applies
//! to any document, and its checksum made valid, as a member would).
#![allow(clippy::unwrap_used)]

use kindred_core::fuzz::{panics_automerge, queue_member_bytes, with_checksums, without_deps};
use kindred_core::model::NewContact;
use kindred_core::{Kindred, SpaceKind};
use kindred_tests::devices::{device, goal, pair};
use kindred_tests::memory_relay::MemoryRelay;

fn panicking_change() -> Vec<u8> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fuzz/regressions/engine/automerge-unknown-actor-panic"
    );
    let raw = std::fs::read(path).unwrap();
    let fixed = with_checksums(&raw).unwrap_or(raw);
    without_deps(&fixed).unwrap()
}

fn quarantined(k: &Kindred, kind: SpaceKind) -> u64 {
    k.sync_status()
        .unwrap()
        .into_iter()
        .find(|s| s.kind == kind.as_str())
        .unwrap()
        .quarantined
}

fn titles(k: &mut Kindred) -> Vec<String> {
    let mut t: Vec<String> = k
        .goals(None)
        .unwrap()
        .into_iter()
        .map(|g| g.title)
        .collect();
    t.sort();
    t
}

#[test]
fn a_change_that_panics_automerge_is_quarantined_and_everything_else_syncs() {
    let bad = panicking_change();
    assert!(
        panics_automerge(&bad),
        "the kept input no longer panics automerge"
    );

    let relay = MemoryRelay::new();
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut phone = device(d1.path(), "person phone");
    phone.add_goal(&goal("Keep the allotment")).unwrap();
    phone.sync(&relay).unwrap();
    let mut tablet = pair(&relay, &mut phone, d2.path(), "old tablet");
    assert!(tablet.sync(&relay).unwrap().all_synced());
    let before = titles(&mut phone);

    // The tablet sends the panicking change in one envelope, then honest
    // changes in later ones, in this space and in the other.
    queue_member_bytes(&mut tablet, &SpaceKind::Personal, &bad).unwrap();
    assert!(tablet.sync(&relay).unwrap().all_synced());
    tablet.add_goal(&goal("Call the clinic")).unwrap();
    assert!(tablet.sync(&relay).unwrap().all_synced());
    tablet
        .add_contact(&NewContact {
            name: "Robin".into(),
        })
        .unwrap();
    assert!(tablet.sync(&relay).unwrap().all_synced());

    let report = phone.sync(&relay).unwrap();
    assert!(report.all_synced(), "a space failed: {:?}", report.failed);
    assert_eq!(quarantined(&phone, SpaceKind::Personal), 1);
    // The rest of the page applied, and nothing of the bad change did.
    let mut want = before.clone();
    want.push("Call the clinic".into());
    want.sort();
    assert_eq!(titles(&mut phone), want);
    // The other space synced in the same pass.
    let contacts: Vec<String> = phone
        .contacts()
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(contacts, ["Robin"]);

    // The cursor moved past it: the next pass neither fails nor sets it
    // aside again, and new changes still arrive.
    tablet.add_goal(&goal("Water the beans")).unwrap();
    tablet.sync(&relay).unwrap();
    let again = phone.sync(&relay).unwrap();
    assert!(again.all_synced());
    assert_eq!(quarantined(&phone, SpaceKind::Personal), 1);
    assert!(titles(&mut phone).contains(&"Water the beans".to_owned()));

    // And the phone still opens its store and reads the same records.
    drop(phone);
    let mut phone = Kindred::open(d1.path(), &kindred_tests::test_key()).unwrap();
    assert_eq!(titles(&mut phone).len(), want.len() + 1);
}
