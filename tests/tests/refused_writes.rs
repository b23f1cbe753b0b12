//! Writes a device's role does not allow never jam a space: a reader's
//! write is refused at once (nothing queued), and changes the relay
//! refuses for good are set aside and reported while the space keeps
//! pulling, so a later removal still arrives and wipes the copy.
#![allow(clippy::unwrap_used)]

use kindred_core::sync::Role;
use kindred_core::{Error, Kindred, SpaceKind};
use kindred_tests::devices::{device, goal, share, to_sas};
use kindred_tests::memory_relay::MemoryRelay;

fn shared_status(k: &Kindred) -> kindred_core::sync::SyncStatus {
    k.sync_status()
        .unwrap()
        .into_iter()
        .find(|s| s.kind == SpaceKind::Shared.as_str())
        .unwrap()
}

#[test]
fn a_readers_refused_write_leaves_the_space_syncing_and_a_removal_still_wipes_it() {
    let relay = MemoryRelay::new();
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut person = device(d1.path(), "person phone");
    let mut worker = device(d2.path(), "worker laptop");
    let g = person.add_goal(&goal("Find a quiet place")).unwrap();
    let mut inv = person.invite_create(&relay, None, Role::Reader).unwrap();
    let (mut j, _, _) = to_sas(&relay, &mut person, &relay, &mut worker, &mut inv);
    worker.invite_join_yes(&j).unwrap();
    worker.invite_join_confirm(&relay, &mut j).unwrap();
    person.invite_yes(&inv).unwrap();
    person.invite_confirm(&relay, &mut inv).unwrap().unwrap();
    worker.invite_join_finish(&relay, &mut j).unwrap().unwrap();
    let space = inv.space().unwrap().to_owned();
    person.share_goal(&g, &space).unwrap();
    person.sync(&relay).unwrap();
    worker.sync(&relay).unwrap();

    // Every kind of write into the shared space is refused at once.
    let words = worker.add_step(&g, "a step", None).unwrap_err();
    assert!(matches!(words, Error::ReadOnlyShare));
    let text = words.to_string();
    assert!(text.contains("to read, not to change"), "{text}");
    for jargon in ["space", "Forbidden", "epoch"] {
        assert!(!text.contains(jargon), "{text}");
    }
    assert!(matches!(
        worker.add_progress(&g, "going well"),
        Err(Error::ReadOnlyShare)
    ));
    assert!(matches!(
        worker.set_goal_status(&g, &kindred_core::model::GoalStatus::Paused),
        Err(Error::ReadOnlyShare)
    ));
    let st = shared_status(&worker);
    assert_eq!((st.pending, st.refused), (0, 0), "nothing queued: {st:?}");

    // The space keeps syncing: the person's later words arrive.
    person.add_step(&g, "Ask at the library", None).unwrap();
    person.sync(&relay).unwrap();
    worker.sync(&relay).unwrap();
    assert_eq!(worker.goal(&g).unwrap().steps.len(), 1);
    assert!(shared_status(&worker).last_error.is_none());

    // The person ends the share: the reader's copy is wiped.
    person.end_share(&relay, &space, None).unwrap();
    let report = worker.sync(&relay).unwrap();
    assert!(report.spaces.iter().any(|s| s.removed), "{report:?}");
    assert!(matches!(worker.goal(&g), Err(Error::NotFound { .. })));
    assert!(worker.spaces().iter().all(|s| s.id != space));
}

#[test]
fn changes_the_relay_refuses_for_good_are_set_aside_and_pulling_goes_on() {
    let relay = MemoryRelay::new();
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut person = device(d1.path(), "person phone");
    let mut worker = device(d2.path(), "worker laptop");
    let joined = share(&relay, &mut person, &mut worker);
    let g = person.add_goal(&goal("Walk on Sundays")).unwrap();
    person.share_goal(&g, &joined.space).unwrap();
    person.sync(&relay).unwrap();
    worker.sync(&relay).unwrap();

    // The relay now refuses the worker's pushes for good (say, its role
    // changed on another device before this one heard of it).
    let worker_key =
        kindred_protocol::DeviceKey(worker.device_public_key().unwrap().try_into().unwrap());
    relay.refuse_pushes_from(worker_key);
    worker.add_step(&g, "Bring water", None).unwrap();
    let report = worker.sync(&relay).unwrap();
    let shared = report
        .spaces
        .iter()
        .find(|s| s.space == joined.space)
        .unwrap();
    assert_eq!(shared.refused, 1, "{report:?}");
    let st = shared_status(&worker);
    assert_eq!(
        (st.pending, st.refused),
        (0, 1),
        "set aside, not waiting: {st:?}"
    );
    assert!(st.last_error.is_none(), "{st:?}");
    // A second pass does not try the same refused changes again.
    worker.sync(&relay).unwrap();
    assert_eq!(shared_status(&worker).refused, 1);

    // Pulling goes on: the person's words still arrive.
    person.add_progress(&g, "Went twice").unwrap();
    person.sync(&relay).unwrap();
    worker.sync(&relay).unwrap();
    assert_eq!(worker.goal(&g).unwrap().progress.len(), 1);

    // And a removal is honoured: the worker's copy is wiped.
    person.end_share(&relay, &joined.space, None).unwrap();
    worker.sync(&relay).unwrap();
    assert!(matches!(worker.goal(&g), Err(Error::NotFound { .. })));
}
