//! Local calls never wait for the network: a sync held on the relay (a
//! pull or a push that does not answer until the test says so) leaves
//! local reads and writes on the same object free; after the release the
//! pass finishes, and nothing is lost or applied twice.
#![allow(clippy::unwrap_used)]

use kindred_core::sync::SharedKindred;
use kindred_core::{Kindred, SpaceKind};
use kindred_tests::devices::{check_in, device, goal, pair};
use kindred_tests::held_relay::{HeldRelay, Hold};
use kindred_tests::memory_relay::MemoryRelay;

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

fn personal_space(k: &Kindred) -> kindred_protocol::SpaceId {
    let id = &k
        .spaces()
        .iter()
        .find(|s| s.kind == SpaceKind::Personal)
        .unwrap()
        .id;
    kindred_protocol::SpaceId::from_hex(id).unwrap()
}

#[test]
fn local_calls_complete_while_a_pull_is_held_and_nothing_is_lost() {
    let relay = MemoryRelay::new();
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut phone = device(d1.path(), "phone");
    phone.add_goal(&goal("Before")).unwrap();
    let mut tablet = pair(&relay, &mut phone, d2.path(), "tablet");
    // Something for the phone to pull.
    tablet.add_goal(&goal("From the tablet")).unwrap();
    tablet.sync(&relay).unwrap();
    let space = personal_space(&phone);

    let phone = SharedKindred::new(phone);
    let held = HeldRelay::new(&relay);
    let latch = held.hold_next(Hold::Pull);
    std::thread::scope(|s| {
        let pass = s.spawn(|| phone.sync(&held));
        latch.wait_arrived();
        // The pass is waiting on the relay. Writes and reads go on.
        phone
            .with(|k| k.add_goal(&goal("While the pull waits")).map(drop))
            .unwrap();
        phone
            .with(|k| k.add_check_in(&check_in(4, "still here")).map(drop))
            .unwrap();
        let seen = phone.with(|k| Ok(titles(k))).unwrap();
        assert_eq!(seen, ["Before", "While the pull waits"]);
        let pending: u64 = phone
            .with(|k| k.sync_status())
            .unwrap()
            .iter()
            .map(|s| s.pending)
            .sum();
        assert!(pending > 0, "the new writes wait for the next pass");
        assert!(!pass.is_finished(), "the pass is still held");
        latch.release();
        pass.join().unwrap().unwrap();
    });
    // The held pull brought the tablet's goal; the writes made meanwhile
    // are kept, and are out by the end of the next pass (in the held one
    // already if their space came after the one held).
    let after = phone.with(|k| Ok(titles(k))).unwrap();
    assert_eq!(after, ["Before", "From the tablet", "While the pull waits"]);
    phone.sync(&relay).unwrap();
    let status = phone.with(|k| k.sync_status()).unwrap();
    assert!(status.iter().all(|s| s.pending == 0), "{status:?}");
    // A pass with nothing new sends nothing again.
    let envelopes = relay.changes_of(&space).len();
    phone.sync(&relay).unwrap();
    assert_eq!(relay.changes_of(&space).len(), envelopes);

    tablet.sync(&relay).unwrap();
    assert_eq!(
        titles(&mut tablet),
        ["Before", "From the tablet", "While the pull waits"]
    );
    assert_eq!(
        tablet.check_ins(None, None).unwrap().len(),
        1,
        "applied once"
    );
    assert_eq!(phone.with(|k| Ok(titles(k))).unwrap(), titles(&mut tablet));
}

#[test]
fn a_write_made_while_a_push_is_held_is_kept_and_sent_once() {
    let relay = MemoryRelay::new();
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut phone = device(d1.path(), "phone");
    let mut tablet = pair(&relay, &mut phone, d2.path(), "tablet");
    phone.add_goal(&goal("Sent in the held push")).unwrap();
    let space = personal_space(&phone);
    let base = relay.changes_of(&space).len();

    let phone = SharedKindred::new(phone);
    let held = HeldRelay::new(&relay);
    let latch = held.hold_next(Hold::Push);
    std::thread::scope(|s| {
        let pass = s.spawn(|| phone.sync(&held));
        latch.wait_arrived();
        phone
            .with(|k| k.add_goal(&goal("Written during the push")).map(drop))
            .unwrap();
        assert!(!pass.is_finished());
        latch.release();
        pass.join().unwrap().unwrap();
    });
    // The held push carried what was gathered before it; the write made
    // meanwhile was gathered afterwards and went in a push of its own.
    assert_eq!(relay.changes_of(&space).len(), base + 2);
    let pending: u64 = phone
        .with(|k| k.sync_status())
        .unwrap()
        .iter()
        .map(|s| s.pending)
        .sum();
    assert_eq!(pending, 0);
    phone.sync(&relay).unwrap();
    assert_eq!(
        relay.changes_of(&space).len(),
        base + 2,
        "nothing sent twice"
    );
    tablet.sync(&relay).unwrap();
    assert_eq!(
        titles(&mut tablet),
        ["Sent in the held push", "Written during the push"]
    );
}

#[test]
fn a_closed_shared_core_refuses_calls_and_passes_with_a_typed_error() {
    let d = tempfile::tempdir().unwrap();
    let relay = MemoryRelay::new();
    let shared = SharedKindred::new(device(d.path(), "phone"));
    shared.close();
    assert!(matches!(
        shared.with(|k| k.goals(None)),
        Err(kindred_core::Error::Closed)
    ));
    assert!(matches!(
        shared.sync(&relay),
        Err(kindred_core::Error::Closed)
    ));
}
