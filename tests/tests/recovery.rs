//! Issue 16 on the device side, over the in-memory relay: every device
//! lost and everything back from the recovery kit (or two of its three
//! shares); a stolen phone that cannot remove the person's other devices;
//! a second device that confirms a removal; a removed device that keeps a
//! locked, exportable copy; the local key destroyed and the data still
//! recoverable.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use kindred_core::recovery::{KitShare, RecoveryKit};
use kindred_core::{Error, Kindred, SpaceKind};
use kindred_tests::devices::{
    check_in, device, dirs, fingerprint, goal, pair, share, space_of, view,
};
use kindred_tests::memory_relay::MemoryRelay;
use kindred_tests::test_key;

const AN_HOUR: Duration = Duration::from_secs(3600);

/// A fresh device, ready to be restored (no spaces of its own).
fn fresh(dir: &std::path::Path, name: &str) -> Kindred {
    Kindred::init_joining(dir, &test_key(), name).unwrap()
}

/// The person's shares as she sees them: who with, and their goals.
fn shares(k: &mut Kindred) -> Vec<(Vec<String>, Vec<String>)> {
    let mut out: Vec<_> = k
        .shares()
        .unwrap()
        .into_iter()
        .map(|s| {
            let mut who: Vec<String> = s
                .members
                .iter()
                .filter(|m| !m.mine)
                .map(|m| m.name.clone())
                .collect();
            who.sort();
            let goals = s.goals.iter().map(|g| g.title.clone()).collect();
            (who, goals)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn every_device_lost_the_kit_brings_everything_back_shares_and_all() {
    let relay = MemoryRelay::new();
    let d = dirs(4);
    let mut phone = device(d[0].path(), "person phone");
    let mut worker = device(d[2].path(), "worker laptop");
    phone.add_goal(&goal("Walk every morning")).unwrap();
    phone.add_check_in(&check_in(4, "a good day")).unwrap();
    let joined = share(&relay, &mut phone, &mut worker);
    let shared = phone.add_goal(&goal("Call the housing office")).unwrap();
    phone.share_goal(&shared, &joined.space).unwrap();
    let mut tablet = pair(&relay, &mut phone, d[1].path(), "tablet");
    phone.sync(&relay).unwrap();
    tablet.sync(&relay).unwrap();
    worker.sync(&relay).unwrap();

    let kit = phone.create_recovery_kit(&relay, None).unwrap();
    let words = kit.words().to_string();
    let status = phone.recovery_kit_status().unwrap();
    assert!(status.has_kit);
    assert!(status.missing.is_empty(), "{status:?}");
    // The kit is no device: it is not listed as one, and not "someone
    // else" in the share.
    assert!(
        phone
            .devices()
            .unwrap()
            .iter()
            .all(|x| x.role != "recovery" || x.name == "Recovery kit")
    );
    tablet.sync(&relay).unwrap();
    let before = view(&mut phone);
    let shares_before = shares(&mut phone);
    assert_eq!(shares_before.len(), 1);

    // Every device of hers is gone, data folders and all.
    let (old_phone, old_tablet) = (fingerprint(&phone), fingerprint(&tablet));
    drop(phone);
    drop(tablet);
    let mut d = d;
    let lost: Vec<tempfile::TempDir> = d.drain(..2).collect();
    drop(lost);

    let mut new = fresh(d[1].path(), "new phone");
    let restored = new
        .restore_from_kit(&relay, &RecoveryKit::from_words(&words).unwrap(), true)
        .unwrap();
    let mut kinds = restored.spaces.clone();
    kinds.sort();
    assert_eq!(kinds, vec!["caseload", "personal", "shared"]);
    assert!(restored.removed_devices >= 2, "phone and tablet");
    assert_eq!(view(&mut new), before, "identical records");
    assert_eq!(shares(&mut new), shares_before, "the share is intact");
    // The log shows who removed whom.
    let history = new.removal_history().unwrap();
    let mut removed: Vec<(String, String, bool)> = history
        .iter()
        .map(|r| (r.fingerprint.clone(), r.how.clone(), r.lost))
        .collect();
    removed.sort();
    let mut expected = vec![
        (old_phone.clone(), "kit".to_owned(), true),
        (old_tablet.clone(), "kit".to_owned(), true),
    ];
    expected.sort();
    assert_eq!(removed, expected);
    assert!(history.iter().all(|r| r.by == "Recovery kit"));

    // The share goes on: what she writes there now reaches the worker.
    let space = space_of(&new, SpaceKind::Shared);
    let again = new.add_goal(&goal("Go to the Tuesday group")).unwrap();
    new.share_goal(&again, &space).unwrap();
    new.sync(&relay).unwrap();
    worker.sync(&relay).unwrap();
    let worker_goals: Vec<String> = worker
        .goals(None)
        .unwrap()
        .into_iter()
        .map(|g| g.title)
        .collect();
    assert!(worker_goals.contains(&"Go to the Tuesday group".to_owned()));
    assert!(worker_goals.contains(&"Call the housing office".to_owned()));
}

#[test]
fn two_of_three_shares_restore_and_a_replaced_kit_stops_working() {
    let relay = MemoryRelay::new();
    let d = dirs(4);
    let mut phone = device(d[0].path(), "phone");
    phone.add_goal(&goal("Sleep before midnight")).unwrap();
    phone.sync(&relay).unwrap();
    let old = phone.create_recovery_kit(&relay, None).unwrap();
    let old_words = old.words().to_string();
    // A new kit, with the old one's words: the old one goes at once.
    let kit = phone.create_recovery_kit(&relay, Some(&old)).unwrap();
    assert!(!phone.recovery_kit_status().unwrap().old_kit_waits);
    let shares: Vec<String> = kit
        .split()
        .unwrap()
        .iter()
        .map(|s| s.text().to_string())
        .collect();
    assert_eq!(shares.len(), 3);
    let before = view(&mut phone);

    let mut stale = fresh(d[1].path(), "with the old kit");
    let err = stale
        .restore_from_kit(&relay, &RecoveryKit::from_words(&old_words).unwrap(), true)
        .unwrap_err();
    assert!(matches!(err, Error::KitNotHere { .. }), "{err:?}");
    assert!(stale.spaces().is_empty());

    let two = [
        KitShare::from_text(&shares[2]).unwrap(),
        KitShare::from_text(&shares[0]).unwrap(),
    ];
    let back = RecoveryKit::from_shares(&two).unwrap();
    let mut new = fresh(d[2].path(), "new phone");
    new.restore_from_kit(&relay, &back, false).unwrap();
    assert_eq!(view(&mut new), before);
    // Kept in: the old phone was not lost.
    phone.sync(&relay).unwrap();
    assert_eq!(view(&mut phone), before);
    assert!(phone.locked_copy().unwrap().is_none());
}

#[test]
fn a_stolen_phone_cannot_remove_the_persons_other_devices_and_the_kit_removes_it() {
    let relay = MemoryRelay::new();
    let d = dirs(2);
    let mut tablet = device(d[0].path(), "tablet");
    tablet.add_goal(&goal("Keep going")).unwrap();
    let mut stolen = pair(&relay, &mut tablet, d[1].path(), "phone");
    let kit = tablet.create_recovery_kit(&relay, None).unwrap();
    stolen.sync(&relay).unwrap();
    stolen.set_removal_wait(AN_HOUR);
    tablet.set_removal_wait(AN_HOUR);

    // The thief asks to remove the tablet and the kit: both only wait.
    let asked = stolen
        .remove_device(&relay, &fingerprint(&tablet), true)
        .unwrap();
    assert!(!asked.removed);
    assert!(asked.waits_until.is_some());
    let kit_fp = tablet
        .devices()
        .unwrap()
        .into_iter()
        .find(|x| x.role == "recovery")
        .unwrap()
        .fingerprint;
    assert!(
        !stolen
            .remove_device(&relay, &kit_fp, false)
            .unwrap()
            .removed
    );
    assert_eq!(stolen.carry_out_due_removals(&relay).unwrap(), 0);

    // Nothing was removed; the tablet sees both requests.
    tablet.sync(&relay).unwrap();
    assert!(tablet.locked_copy().unwrap().is_none());
    tablet.add_goal(&goal("Still here")).unwrap();
    let pending = tablet.pending_removals().unwrap();
    assert_eq!(pending.len(), 2, "{pending:?}");
    let me = pending.iter().find(|p| p.this_device).unwrap();
    assert_eq!(me.asked_by, "phone");
    assert!(me.lost);
    assert!(pending.iter().any(|p| p.kit));

    // The person cancels both, then removes the phone with her kit.
    tablet
        .cancel_removal(&relay, &fingerprint(&tablet))
        .unwrap();
    tablet.cancel_removal(&relay, &kit_fp).unwrap();
    assert!(tablet.pending_removals().unwrap().is_empty());
    let gone = tablet
        .remove_with_kit(&relay, &kit, &fingerprint(&stolen), true)
        .unwrap();
    assert!(gone.removed);
    assert_eq!(gone.name, "phone");

    // The stolen phone learns it was removed as lost, and wipes its copy.
    stolen.sync(&relay).unwrap();
    assert!(stolen.spaces().is_empty(), "wiped");
    assert!(stolen.locked_copy().unwrap().is_none());
    // The tablet is whole.
    tablet.sync(&relay).unwrap();
    let titles: Vec<String> = tablet
        .goals(None)
        .unwrap()
        .into_iter()
        .map(|g| g.title)
        .collect();
    assert!(titles.contains(&"Still here".to_owned()));
    let h = tablet.removal_history().unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].how, "kit");
}

#[test]
fn a_second_device_confirms_a_removal_at_once() {
    let relay = MemoryRelay::new();
    let d = dirs(3);
    let mut phone = device(d[0].path(), "phone");
    let mut tablet = pair(&relay, &mut phone, d[1].path(), "tablet");
    let mut laptop = pair(&relay, &mut phone, d[2].path(), "laptop");
    phone.sync(&relay).unwrap();
    tablet.set_removal_wait(AN_HOUR);
    laptop.set_removal_wait(AN_HOUR);
    let asked = tablet
        .remove_device(&relay, &fingerprint(&phone), true)
        .unwrap();
    assert!(!asked.removed);
    laptop.sync(&relay).unwrap();
    // The laptop says yes (it takes the tablet's "lost").
    let done = laptop
        .remove_device(&relay, &fingerprint(&phone), false)
        .unwrap();
    assert!(done.removed);
    assert!(done.lost);
    let h = laptop.removal_history().unwrap();
    assert_eq!(h[0].how, "confirmed");
    assert_eq!(h[0].by, "laptop");
    phone.sync(&relay).unwrap();
    assert!(phone.spaces().is_empty(), "lost: wiped");
}

#[test]
fn a_device_removed_without_being_called_lost_keeps_a_locked_exportable_copy() {
    let relay = MemoryRelay::new();
    let d = dirs(2);
    let mut phone = device(d[0].path(), "phone");
    phone.add_goal(&goal("Drink water")).unwrap();
    phone.add_check_in(&check_in(3, "tired")).unwrap();
    let mut tablet = pair(&relay, &mut phone, d[1].path(), "tablet");
    phone.sync(&relay).unwrap();
    // No wait on these test devices: asked, waited and carried out.
    let r = tablet
        .remove_device(&relay, &fingerprint(&phone), false)
        .unwrap();
    assert!(r.removed);
    assert!(!r.lost);
    let before = view(&mut phone);
    phone.sync(&relay).unwrap();
    let locked = phone.locked_copy().unwrap().expect("a locked copy");
    assert_eq!(locked.removed_by, "tablet");
    assert!(locked.spaces.contains(&"personal".to_owned()));
    // Readable and exportable, not changeable.
    assert_eq!(view(&mut phone), before);
    let export = phone.export_json(true).unwrap();
    assert!(
        serde_json::to_string(&export)
            .unwrap()
            .contains("Drink water")
    );
    assert!(matches!(
        phone.add_goal(&goal("more")),
        Err(Error::CopyLocked)
    ));
    // Still locked after another sync and after opening again.
    phone.sync(&relay).unwrap();
    drop(phone);
    let mut phone = Kindred::open(d[0].path(), &test_key()).unwrap();
    assert!(phone.locked_copy().unwrap().is_some());
    assert_eq!(view(&mut phone), before);
    // Erased when she says so.
    assert!(phone.erase_locked_copy().unwrap() >= 1);
    assert!(phone.locked_copy().unwrap().is_none());
    assert!(phone.spaces().is_empty());
}

#[test]
fn with_the_local_key_destroyed_the_data_is_recoverable_from_the_kit() {
    let relay = MemoryRelay::new();
    let d = dirs(2);
    let mut phone = device(d[0].path(), "phone");
    phone.add_goal(&goal("One day at a time")).unwrap();
    phone.sync(&relay).unwrap();
    let kit = phone.create_recovery_kit(&relay, None).unwrap();
    let before = view(&mut phone);
    drop(phone);
    // The duress PIN destroyed the key the data was sealed with: the
    // data on this device cannot be opened any more.
    let other_key = kindred_core::StorageKey::from_bytes([9u8; 32]);
    assert!(Kindred::open(d[0].path(), &other_key).is_err());
    let mut again = fresh(d[1].path(), "phone");
    again.restore_from_kit(&relay, &kit, true).unwrap();
    assert_eq!(view(&mut again), before);
}

#[test]
fn wrong_words_and_shares_are_refused_in_words_and_change_nothing() {
    let kit = RecoveryKit::generate().unwrap();
    let words = kit.words().to_string();
    let mut w: Vec<&str> = words.split(' ').collect();
    w.swap(0, 1);
    let swapped = w.join(" ");
    if swapped != words {
        let e = RecoveryKit::from_words(&swapped).err();
        // Two swapped words almost always break the checksum (1 in 16 not).
        if let Some(e) = e {
            assert!(e.to_string().contains("not quite right"), "{e}");
        }
    }
    let shares = kit.split().unwrap();
    let one = KitShare::from_text(&shares[0].text()).unwrap();
    let same = KitShare::from_text(&shares[0].text()).unwrap();
    assert!(matches!(
        RecoveryKit::from_shares(&[one]),
        Err(Error::RecoveryKit(_))
    ));
    let one = KitShare::from_text(&shares[0].text()).unwrap();
    let e = RecoveryKit::from_shares(&[one, same]).unwrap_err();
    assert!(e.to_string().contains("twice"), "{e}");
    assert!(KitShare::from_text("share 4 of 3: abandon").is_err());
    assert!(KitShare::from_text("no number here").is_err());
}

#[test]
fn the_device_that_asked_carries_the_removal_out_on_its_first_sync_after_the_wait() {
    let relay = MemoryRelay::new();
    let d = dirs(2);
    let mut phone = device(d[0].path(), "phone");
    let mut tablet = pair(&relay, &mut phone, d[1].path(), "tablet");
    phone.set_removal_wait(Duration::from_secs(1));
    let asked = phone
        .remove_device(&relay, &fingerprint(&tablet), false)
        .unwrap();
    assert!(!asked.removed);
    // Before the wait: a sync carries nothing out.
    phone.sync(&relay).unwrap();
    assert_eq!(phone.due_removals().unwrap(), 0);
    tablet.sync(&relay).unwrap();
    assert!(tablet.locked_copy().unwrap().is_none());
    // Bounded: the wait is one second, slept once.
    std::thread::sleep(Duration::from_millis(1_200));
    // One request in each space the tablet is in (personal, caseload).
    assert_eq!(phone.due_removals().unwrap(), 2);
    phone.sync(&relay).unwrap();
    assert!(phone.pending_removals().unwrap().is_empty());
    assert_eq!(phone.removal_history().unwrap()[0].how, "waited");
    tablet.sync(&relay).unwrap();
    assert_eq!(tablet.locked_copy().unwrap().unwrap().removed_by, "phone");
}
