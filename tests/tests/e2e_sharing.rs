//! Sharing and removal against a real `kindred-server` process: a man in
//! the middle of an invite, the end of a share (the worker's pull refused
//! with 403, the person's other device carrying on), a device offline
//! through a rotation, and owners racing on the log.
#![allow(clippy::unwrap_used)]

use kindred_core::sync::{HttpTransport, Transport, TransportError};
use kindred_core::{Error, Kindred};
use kindred_protocol::SpaceId;
use kindred_protocol::messages::ErrorCode;
use kindred_tests::devices::{
    check_in, device, dirs, fingerprint, goal, man_in_the_middle_adds_no_one, pair, share, view,
};
use kindred_tests::server::ServerProcess;

#[test]
fn a_man_in_the_middle_on_a_real_relay_gets_different_strings() {
    let server = ServerProcess::start();
    man_in_the_middle_adds_no_one(&HttpTransport::new(&server.url).unwrap());
}

#[test]
fn ending_a_share_on_a_real_relay_refuses_the_worker_and_the_person_carries_on() {
    let server = ServerProcess::start();
    let t = HttpTransport::new(&server.url).unwrap();
    let d = dirs(3);
    let mut person = device(d[0].path(), "person phone");
    let g = person
        .add_goal(&goal("Back to college in September"))
        .unwrap();
    let mut tablet = pair(&t, &mut person, d[2].path(), "person tablet");
    let mut worker = device(d[1].path(), "worker laptop");
    let joined = share(&t, &mut person, &mut worker);
    person.share_goal(&g, &joined.space).unwrap();
    for k in [&mut person, &mut tablet, &mut worker] {
        k.sync(&t).unwrap();
    }
    assert!(worker.goal(&g).is_ok());
    // Keep the worker's token from before the end, to ask directly.
    let worker_token = worker.relay_token(&t).unwrap();

    let removed = person.end_share(&t, &joined.space, None).unwrap();
    assert_eq!(removed.name, "worker laptop");
    let sid = SpaceId::from_hex(&joined.space).unwrap();
    match t.pull(&worker_token, &sid, 0, 0, 10) {
        Err(TransportError::Rejected { status, code, .. }) => {
            assert_eq!(status, 403);
            assert_eq!(code, ErrorCode::Removed);
        }
        other => panic!("expected 403 removed, got {other:?}"),
    }
    // The person's other device carries on, with the goal back home.
    tablet
        .add_check_in(&check_in(4, "after the share ended"))
        .unwrap();
    tablet.sync(&t).unwrap();
    person.sync(&t).unwrap();
    assert_eq!(view(&mut person), view(&mut tablet));
    assert!(tablet.goal(&g).is_ok());
    // The worker learns it, from the signed log, and wipes the space.
    let report = worker.sync(&t).unwrap();
    assert!(report.spaces.iter().any(|s| s.removed));
    assert!(matches!(worker.goal(&g), Err(Error::NotFound { .. })));
}

#[test]
fn a_device_offline_through_a_rotation_reseals_and_loses_nothing() {
    let mut server = ServerProcess::start();
    let t = HttpTransport::new(&server.url).unwrap();
    let d = dirs(3);
    let mut phone = device(d[0].path(), "phone");
    phone.add_goal(&goal("Sleep before midnight")).unwrap();
    let mut tablet = pair(&t, &mut phone, d[1].path(), "tablet");
    let mut laptop = pair(&t, &mut phone, d[2].path(), "laptop");
    for k in [&mut phone, &mut tablet, &mut laptop] {
        k.sync(&t).unwrap();
    }
    // No signal for the laptop: it writes and its push fails.
    server.kill9();
    for i in 0..5 {
        laptop
            .add_check_in(&check_in(3, &format!("offline {i}")))
            .unwrap();
    }
    assert!(matches!(laptop.sync(&t), Err(Error::Unreachable)));
    server.restart();
    let t = HttpTransport::new(&server.url).unwrap();
    // Meanwhile the phone is lost and removed from the tablet.
    tablet
        .remove_device(&t, &fingerprint(&phone), true)
        .unwrap();
    laptop.sync(&t).unwrap();
    tablet.sync(&t).unwrap();
    let offline = view(&mut tablet)
        .1
        .iter()
        .filter(|c| c.note.as_deref().is_some_and(|n| n.starts_with("offline")))
        .count();
    assert_eq!(offline, 5);
    assert_eq!(view(&mut laptop), view(&mut tablet));
    let space = tablet.spaces()[0].id.clone();
    assert_eq!(laptop.space_epoch(&space).unwrap(), Some(2));
}

#[test]
fn owners_racing_on_a_real_relay_settle_on_one_membership() {
    let server = ServerProcess::start();
    let t = HttpTransport::new(&server.url).unwrap();
    let d = dirs(4);
    let mut phone = device(d[0].path(), "phone");
    let mut tablet = pair(&t, &mut phone, d[1].path(), "tablet");
    let mut laptop = pair(&t, &mut phone, d[2].path(), "laptop");
    for k in [&mut phone, &mut tablet, &mut laptop] {
        k.sync(&t).unwrap();
    }
    // Two owners rotate from the same epoch; the second sees the first.
    let space = phone.spaces()[0].id.clone();
    assert_eq!(phone.rotate_space_key(&t, &space).unwrap(), 2);
    assert_eq!(tablet.rotate_space_key(&t, &space).unwrap(), 2);
    // The tablet removes the laptop while the phone, behind, adds a watch.
    tablet
        .remove_device(&t, &fingerprint(&laptop), true)
        .unwrap();
    let mut watch: Kindred = pair(&t, &mut phone, d[3].path(), "watch");
    for k in [&mut phone, &mut tablet, &mut watch] {
        k.sync(&t).unwrap();
    }
    let report = laptop.sync(&t).unwrap();
    assert!(report.spaces.iter().all(|s| s.removed));
    let epochs: Vec<_> = [&phone, &tablet, &watch]
        .iter()
        .map(|k| k.space_epoch(&space).unwrap())
        .collect();
    assert!(epochs.iter().all(|e| *e == Some(3)), "{epochs:?}");
    watch.add_check_in(&check_in(5, "from the watch")).unwrap();
    for k in [&mut watch, &mut phone, &mut tablet] {
        k.sync(&t).unwrap();
    }
    assert_eq!(view(&mut phone), view(&mut watch));
    assert_eq!(view(&mut tablet), view(&mut watch));
}

#[test]
fn a_reader_on_a_real_relay_is_refused_at_once_keeps_syncing_and_is_wiped_at_the_end() {
    use kindred_core::sync::Role;
    let server = ServerProcess::start();
    let t = HttpTransport::new(&server.url).unwrap();
    let d = dirs(2);
    let mut person = device(d[0].path(), "person phone");
    let mut worker = device(d[1].path(), "worker laptop");
    let g = person.add_goal(&goal("Sleep before midnight")).unwrap();
    let mut inv = person.invite_create(&t, None, Role::Reader).unwrap();
    let (mut j, _, _) = kindred_tests::devices::to_sas(&t, &mut person, &t, &mut worker, &mut inv);
    worker.invite_join_yes(&j).unwrap();
    worker.invite_join_confirm(&t, &mut j).unwrap();
    person.invite_yes(&inv).unwrap();
    person.invite_confirm(&t, &mut inv).unwrap().unwrap();
    worker.invite_join_finish(&t, &mut j).unwrap().unwrap();
    let space = inv.space().unwrap().to_owned();
    person.share_goal(&g, &space).unwrap();
    person.sync(&t).unwrap();
    worker.sync(&t).unwrap();
    assert!(worker.goal(&g).is_ok());

    // The reader's write is refused here and now; nothing waits to be sent.
    assert!(matches!(
        worker.add_step(&g, "Phone away at ten", None),
        Err(Error::ReadOnlyShare)
    ));
    let report = worker.sync(&t).unwrap();
    assert!(report.spaces.iter().all(|s| s.refused == 0), "{report:?}");
    assert!(
        worker
            .sync_status()
            .unwrap()
            .iter()
            .all(|s| s.pending == 0 && s.last_error.is_none())
    );

    // Pulling goes on, and the end of the share still wipes the copy.
    person.add_step(&g, "Read instead", None).unwrap();
    person.sync(&t).unwrap();
    worker.sync(&t).unwrap();
    assert_eq!(worker.goal(&g).unwrap().steps.len(), 1);
    person.end_share(&t, &space, None).unwrap();
    let report = worker.sync(&t).unwrap();
    assert!(report.spaces.iter().any(|s| s.removed), "{report:?}");
    assert!(matches!(worker.goal(&g), Err(Error::NotFound { .. })));
}
