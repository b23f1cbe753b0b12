//! Changing a member's role in a share: a `SetRole` entry in the share's
//! membership log, signed by an owner, checked by the relay and by every
//! device. A reader made a writer writes and syncs; a writer made a reader
//! is refused at once while the share keeps syncing; a reader cannot
//! change roles; a forged role change is refused when pulled.
#![allow(clippy::unwrap_used)]

use kindred_core::sync::{HttpTransport, Role, Transport};
use kindred_core::{Error, Kindred, SpaceKind};
use kindred_tests::devices::{device, goal, to_sas};
use kindred_tests::memory_relay::MemoryRelay;
use kindred_tests::server::ServerProcess;

/// The person invites the worker with `role`; returns the share's id.
fn invite(t: &dyn Transport, person: &mut Kindred, worker: &mut Kindred, role: Role) -> String {
    let mut inv = person.invite_create(t, None, role).unwrap();
    let (mut j, _, _) = to_sas(t, person, t, worker, &mut inv);
    worker.invite_join_yes(&j).unwrap();
    worker.invite_join_confirm(t, &mut j).unwrap();
    person.invite_yes(&inv).unwrap();
    person.invite_confirm(t, &mut inv).unwrap().unwrap();
    worker.invite_join_finish(t, &mut j).unwrap().unwrap();
    inv.space().unwrap().to_owned()
}

fn shared_status(k: &Kindred) -> kindred_core::sync::SyncStatus {
    k.sync_status()
        .unwrap()
        .into_iter()
        .find(|s| s.kind == SpaceKind::Shared.as_str())
        .unwrap()
}

#[test]
fn a_reader_made_a_writer_on_a_real_relay_writes_and_syncs_and_made_a_reader_again_is_refused_at_once()
 {
    let server = ServerProcess::start();
    let t = HttpTransport::new(&server.url).unwrap();
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut person = device(d1.path(), "person phone");
    let mut worker = device(d2.path(), "worker laptop");
    let g = person.add_goal(&goal("Cook on Fridays")).unwrap();
    let space = invite(&t, &mut person, &mut worker, Role::Reader);
    person.share_goal(&g, &space).unwrap();
    person.sync(&t).unwrap();
    worker.sync(&t).unwrap();
    assert!(matches!(
        worker.add_step(&g, "Buy rice", None),
        Err(Error::ReadOnlyShare)
    ));

    // A reader cannot change roles, its own or anyone's: refused here,
    // nothing sent.
    assert!(matches!(
        worker.set_share_role(&t, &space, Role::Writer, None),
        Err(Error::CannotChangeRoles)
    ));
    let epoch = person.space_epoch(&space).unwrap();

    // The person lets the worker add to the share.
    let change = person
        .set_share_role(&t, &space, Role::Writer, None)
        .unwrap();
    assert!(change.changed);
    assert_eq!(
        (change.name.as_str(), change.before, change.role),
        ("worker laptop", Role::Reader, Role::Writer)
    );
    assert_eq!(
        person.space_epoch(&space).unwrap(),
        epoch.map(|e| e + 1),
        "a role change starts a new key"
    );
    // The same change again changes nothing.
    assert!(
        !person
            .set_share_role(&t, &space, Role::Writer, None)
            .unwrap()
            .changed
    );

    // The worker learns it at its next sync, then writes, and it arrives.
    let report = worker.sync(&t).unwrap();
    assert!(report.all_synced(), "{report:?}");
    worker.add_step(&g, "Buy rice", None).unwrap();
    let report = worker.sync(&t).unwrap();
    assert!(report.all_synced(), "{report:?}");
    let shared = report.spaces.iter().find(|s| s.space == space).unwrap();
    assert_eq!(shared.pushed, 1, "{shared:?}");
    person.sync(&t).unwrap();
    assert_eq!(person.goal(&g).unwrap().steps[0].text, "Buy rice");

    // Made a reader again, with a change of its own still waiting: that
    // change is set aside (never merged), a later write is refused at
    // once, and the share keeps syncing.
    worker.add_progress(&g, "Cooked once").unwrap();
    person
        .set_share_role(&t, &space, Role::Reader, None)
        .unwrap();
    let report = worker.sync(&t).unwrap();
    assert!(report.all_synced(), "{report:?}");
    let err = worker.add_step(&g, "Try noodles", None).unwrap_err();
    assert!(matches!(err, Error::ReadOnlyShare), "{err:?}");
    let words = err.to_string();
    assert!(words.contains("to read, not to change"), "{words}");
    for jargon in ["space", "Forbidden", "epoch"] {
        assert!(!words.contains(jargon), "{words}");
    }
    person
        .add_step(&g, "Ask Gran for her recipe", None)
        .unwrap();
    person.sync(&t).unwrap();
    let report = worker.sync(&t).unwrap();
    assert!(report.all_synced(), "{report:?}");
    let st = shared_status(&worker);
    assert_eq!((st.pending, st.refused), (0, 1), "set aside: {st:?}");
    let steps: Vec<String> = worker
        .goal(&g)
        .unwrap()
        .steps
        .into_iter()
        .map(|s| s.text)
        .collect();
    assert_eq!(steps, ["Buy rice", "Ask Gran for her recipe"]);
    person.sync(&t).unwrap();
    assert!(
        person.goal(&g).unwrap().progress.is_empty(),
        "the change made after the demotion was not merged"
    );
}

#[test]
fn a_forged_role_change_is_refused_when_pulled_and_changes_nothing() {
    use kindred_protocol::{Action, KeyFor, SpaceId};
    let relay = MemoryRelay::new();
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut person = device(d1.path(), "person phone");
    let mut worker = device(d2.path(), "worker laptop");
    let g = person.add_goal(&goal("Swim twice a week")).unwrap();
    let space = invite(&relay, &mut person, &mut worker, Role::Reader);
    person.share_goal(&g, &space).unwrap();
    person.sync(&relay).unwrap();
    worker.sync(&relay).unwrap();

    // The relay (or anyone it lets in) signs an entry making the reader
    // an owner, and slips it into the log.
    let sid = SpaceId::from_hex(&space).unwrap();
    let (len, head) = relay.log_head(&sid).unwrap();
    let members: Vec<_> = person
        .shares()
        .unwrap()
        .into_iter()
        .find(|s| s.space == space)
        .unwrap()
        .members;
    assert_eq!(members.len(), 2);
    let forger = kindred_tests::signer::Dev::new();
    let worker_key = relay
        .member_keys(&sid)
        .into_iter()
        .find(|k| {
            k.to_hex()
                .starts_with(&members.iter().find(|m| !m.mine).unwrap().fingerprint)
        })
        .unwrap();
    let keys = relay
        .member_keys(&sid)
        .into_iter()
        .map(|device| KeyFor {
            device,
            key: kindred_tests::signer::wrapped(),
            sealed_label: kindred_protocol::Bytes(vec![]),
        })
        .collect();
    let forged = forger.entry(
        sid,
        len,
        head,
        Action::SetRole {
            device: worker_key,
            role: Role::Owner,
            epoch: person.space_epoch(&space).unwrap().unwrap() + 1,
            keys,
            bounds: vec![],
            confirm: kindred_protocol::Hash([0; 32]),
        },
    );
    relay.inject_log(&sid, forged);

    // Both sides refuse the log, apply nothing of it, and say so; the
    // worker is still only a reader.
    for k in [&mut person, &mut worker] {
        let epoch = k.space_epoch(&space).unwrap();
        let report = k.sync(&relay).unwrap();
        let failed: Vec<&str> = report.failed.iter().map(|f| f.space.as_str()).collect();
        assert_eq!(failed, [space.as_str()], "{report:?}");
        assert!(
            report.failed[0].error.to_string().contains("membership"),
            "{:?}",
            report.failed[0].error
        );
        assert_eq!(k.space_epoch(&space).unwrap(), epoch);
    }
    assert!(matches!(
        worker.add_step(&g, "Find goggles", None),
        Err(Error::ReadOnlyShare)
    ));
    assert!(matches!(
        worker.set_share_role(&relay, &space, Role::Writer, None),
        Err(Error::CannotChangeRoles)
    ));
}
