//! Changing who is in a space, on the in-memory relay: removing a lost
//! phone (with key rotation and the phone wiping its copy), a removed
//! device that a colluding relay keeps feeding, a device that was offline
//! during a rotation, and the races that the log's compare-and-swap must
//! settle.
#![allow(clippy::unwrap_used)]

use kindred_core::sync::Transport;
use kindred_core::{Error, Kindred};
use kindred_tests::devices::{check_in, device, dirs, fingerprint, goal, pair, view};
use kindred_tests::memory_relay::MemoryRelay;

/// A person's three devices, all paired and synced.
fn three(relay: &MemoryRelay, dirs: &[tempfile::TempDir]) -> (Kindred, Kindred, Kindred) {
    let mut phone = device(dirs[0].path(), "phone");
    phone.add_goal(&goal("Sleep before midnight")).unwrap();
    let tablet = pair(relay, &mut phone, dirs[1].path(), "tablet");
    let laptop = pair(relay, &mut phone, dirs[2].path(), "laptop");
    (phone, tablet, laptop)
}

fn sync_all(t: &dyn Transport, ks: &mut [&mut Kindred]) {
    for _ in 0..2 {
        for k in ks.iter_mut() {
            k.sync(t).unwrap();
        }
    }
}

fn epoch(k: &Kindred) -> Vec<u32> {
    k.spaces()
        .iter()
        .map(|s| k.space_epoch(&s.id).unwrap().unwrap())
        .collect()
}

fn names(k: &Kindred) -> Vec<String> {
    let mut n: Vec<String> = k
        .devices()
        .unwrap()
        .into_iter()
        .filter(|d| d.space == "personal")
        .map(|d| d.name)
        .collect();
    n.sort();
    n
}

#[test]
fn a_lost_phone_is_removed_the_key_rotates_and_the_phone_wipes_its_copy() {
    let relay = MemoryRelay::new();
    let d = dirs(3);
    let (mut phone, mut tablet, mut laptop) = three(&relay, &d);
    sync_all(&relay, &mut [&mut phone, &mut tablet, &mut laptop]);
    assert_eq!(epoch(&tablet), vec![1, 1]);

    let removed = tablet
        .remove_device(&relay, &fingerprint(&phone), true)
        .unwrap();
    assert_eq!(removed.name, "phone");
    assert_eq!(removed.spaces.len(), 2, "personal and caseload");
    assert_eq!(epoch(&tablet), vec![2, 2]);

    // The others carry on without a manual step.
    tablet
        .add_check_in(&check_in(4, "after the rotation"))
        .unwrap();
    sync_all(&relay, &mut [&mut tablet, &mut laptop]);
    assert_eq!(epoch(&laptop), vec![2, 2]);
    assert_eq!(view(&mut laptop), view(&mut tablet));
    assert_eq!(names(&laptop), vec!["laptop", "tablet"]);

    // The phone comes back online: it is told, checks the signed log, and
    // wipes its copy.
    let report = phone.sync(&relay).unwrap();
    assert!(report.spaces.iter().all(|s| s.removed), "{report:?}");
    assert!(phone.spaces().is_empty());
    assert!(matches!(phone.goals(None), Err(Error::NotFound { .. })));
    drop(phone);
    let phone = Kindred::open(d[0].path(), &kindred_tests::test_key()).unwrap();
    assert!(phone.spaces().is_empty(), "the wipe is on disk");
}

#[test]
fn a_removed_device_fed_by_a_colluding_relay_cannot_read_what_follows() {
    let relay = MemoryRelay::new();
    let d = dirs(3);
    let (mut phone, mut tablet, mut laptop) = three(&relay, &d);
    sync_all(&relay, &mut [&mut phone, &mut tablet, &mut laptop]);
    let phone_key =
        kindred_protocol::DeviceKey(phone.device_public_key().unwrap().try_into().unwrap());
    let before = view(&mut phone);

    tablet
        .remove_device(&relay, &fingerprint(&phone), true)
        .unwrap();
    tablet
        .add_check_in(&check_in(5, "WRITTEN-AFTER-ROTATION"))
        .unwrap();
    tablet.sync(&relay).unwrap();
    laptop.sync(&relay).unwrap();
    assert_eq!(view(&mut laptop).1.len(), before.1.len() + 1);

    // The relay keeps serving the phone and hides its removal: the phone
    // receives the ciphertext but holds no key for the new epoch.
    relay.collude_with(phone_key);
    let report = phone.sync(&relay).unwrap();
    let quarantined: u64 = report.spaces.iter().map(|s| s.quarantined).sum();
    assert!(quarantined >= 1, "{report:?}");
    let after = view(&mut phone);
    assert_eq!(after, before, "nothing new was readable");
    assert!(
        !format!("{after:?}").contains("WRITTEN-AFTER-ROTATION"),
        "the new words never appear"
    );
    // It still has what it had (it keeps what it already held).
    assert_eq!(after.0.len(), 1);
}

#[test]
fn a_device_offline_during_a_rotation_reseals_its_pending_changes() {
    let relay = MemoryRelay::new();
    let d = dirs(3);
    let (mut phone, mut tablet, mut laptop) = three(&relay, &d);
    sync_all(&relay, &mut [&mut phone, &mut tablet, &mut laptop]);

    // The laptop writes offline, and has even sealed its envelopes (a
    // push that never arrived) under epoch 1.
    for i in 0..5 {
        laptop
            .add_check_in(&check_in(3, &format!("offline {i}")))
            .unwrap();
    }
    relay.set_offline(true);
    assert!(laptop.sync(&relay).is_err());
    relay.set_offline(false);

    tablet
        .remove_device(&relay, &fingerprint(&phone), true)
        .unwrap();
    let e = tablet.spaces()[0].id.clone();
    assert_eq!(tablet.space_epoch(&e).unwrap(), Some(2));

    // Back online: refused as stale, picks up the new key, re-seals, and
    // nothing is lost.
    laptop.sync(&relay).unwrap();
    tablet.sync(&relay).unwrap();
    let on_tablet = view(&mut tablet);
    assert_eq!(
        on_tablet
            .1
            .iter()
            .filter(|c| c.note.as_deref().is_some_and(|n| n.starts_with("offline")))
            .count(),
        5
    );
    assert_eq!(view(&mut laptop), on_tablet);
    let status = laptop.sync_status().unwrap();
    assert!(status.iter().all(|s| s.pending == 0), "{status:?}");
}

#[test]
fn an_envelope_stored_before_a_rotation_whose_ack_was_lost_is_not_duplicated() {
    let relay = MemoryRelay::new();
    let d = dirs(3);
    let (mut phone, mut tablet, mut laptop) = three(&relay, &d);
    sync_all(&relay, &mut [&mut phone, &mut tablet, &mut laptop]);
    laptop.add_check_in(&check_in(2, "ack lost")).unwrap();
    relay.lose_next_push_reply();
    assert!(laptop.sync(&relay).is_err(), "the reply never came");
    tablet
        .remove_device(&relay, &fingerprint(&phone), true)
        .unwrap();
    laptop.add_check_in(&check_in(2, "after")).unwrap();
    laptop.sync(&relay).unwrap();
    tablet.sync(&relay).unwrap();
    let notes: Vec<_> = view(&mut tablet)
        .1
        .into_iter()
        .filter_map(|c| c.note)
        .collect();
    assert_eq!(notes.iter().filter(|n| *n == "ack lost").count(), 1);
    assert_eq!(notes.iter().filter(|n| *n == "after").count(), 1);
    assert_eq!(view(&mut laptop), view(&mut tablet));
}

#[test]
fn concurrent_add_and_remove_from_two_owners_settle_on_one_membership() {
    let relay = MemoryRelay::new();
    let d = dirs(4);
    let (mut phone, mut tablet, mut laptop) = three(&relay, &d);
    sync_all(&relay, &mut [&mut phone, &mut tablet, &mut laptop]);
    // The tablet removes the laptop while the phone, not yet aware, adds
    // a watch. Both appends race on the log head.
    let laptop_fp = fingerprint(&laptop);
    tablet.remove_device(&relay, &laptop_fp, true).unwrap();
    let mut watch = pair(&relay, &mut phone, d[3].path(), "watch");
    sync_all(&relay, &mut [&mut phone, &mut tablet, &mut watch]);
    let report = laptop.sync(&relay).unwrap();
    assert!(report.spaces.iter().all(|s| s.removed));

    // One membership everywhere: phone, tablet, watch; all on the newest
    // epoch, and the watch holds the newest key (added after the rotation,
    // its key was wrapped against the new epoch).
    for k in [&phone, &tablet, &watch] {
        assert_eq!(
            names(k),
            vec!["phone", "tablet", "watch"],
            "{}",
            k.device().name
        );
    }
    assert_eq!(epoch(&watch), epoch(&phone));
    watch.add_check_in(&check_in(4, "from the watch")).unwrap();
    sync_all(&relay, &mut [&mut watch, &mut phone, &mut tablet]);
    assert_eq!(view(&mut phone), view(&mut watch));
    assert_eq!(view(&mut tablet), view(&mut watch));
}

#[test]
fn two_devices_rotating_at_once_end_on_one_epoch_everyone_holds() {
    let relay = MemoryRelay::new();
    let d = dirs(3);
    let (mut phone, mut tablet, mut laptop) = three(&relay, &d);
    sync_all(&relay, &mut [&mut phone, &mut tablet, &mut laptop]);
    let space = phone.spaces()[0].id.clone();
    // Both decide to rotate from epoch 1; the second finds the log moved
    // and that a rotation already happened.
    let a = phone.rotate_space_key(&relay, &space).unwrap();
    let b = tablet.rotate_space_key(&relay, &space).unwrap();
    assert_eq!(a, 2);
    assert_eq!(b, 2, "the second rotation saw the first and stopped");
    laptop.add_check_in(&check_in(1, "mid-rotation")).unwrap();
    sync_all(&relay, &mut [&mut laptop, &mut phone, &mut tablet]);
    assert_eq!(view(&mut phone), view(&mut laptop));
    assert_eq!(view(&mut tablet), view(&mut laptop));
}

#[test]
fn a_rotation_while_another_device_is_mid_push_loses_nothing() {
    let relay = MemoryRelay::new();
    let d = dirs(3);
    let (mut phone, mut tablet, mut laptop) = three(&relay, &d);
    sync_all(&relay, &mut [&mut phone, &mut tablet, &mut laptop]);
    let space = phone.spaces()[0].id.clone();
    for i in 0..150 {
        laptop
            .add_check_in(&check_in(3, &format!("batch {i}")))
            .unwrap();
    }
    // The rotation lands between the laptop sealing and its push arriving.
    relay.before_next_push({
        let space = space.clone();
        move |r: &MemoryRelay| {
            let mut p = phone;
            p.rotate_space_key(r, &space).unwrap();
        }
    });
    laptop.sync(&relay).unwrap();
    tablet.sync(&relay).unwrap();
    let count = view(&mut tablet)
        .1
        .iter()
        .filter(|c| c.note.as_deref().is_some_and(|n| n.starts_with("batch")))
        .count();
    assert_eq!(count, 150);
    assert_eq!(view(&mut laptop), view(&mut tablet));
}

#[test]
fn only_owners_remove_and_no_device_removes_itself() {
    let relay = MemoryRelay::new();
    let d = dirs(3);
    let (mut phone, mut tablet, _laptop) = three(&relay, &d);
    assert!(matches!(
        phone.remove_device(&relay, &fingerprint(&phone), true),
        Err(Error::CannotRemoveSelf)
    ));
    assert!(matches!(
        phone.remove_device(&relay, "00000000", true),
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        phone.remove_device(&relay, "xyz", true),
        Err(Error::OutOfRange { .. })
    ));
    // Nothing changed.
    sync_all(&relay, &mut [&mut phone, &mut tablet]);
    assert_eq!(epoch(&tablet), vec![1, 1]);
    assert_eq!(names(&tablet), vec!["laptop", "phone", "tablet"]);
}
