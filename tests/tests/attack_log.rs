//! Issue 13, items 2 and 6: every device checks who may write what, and
//! every key it unwraps. A relay that colludes (memory relay doubles, and
//! a real relay process whose database an insider writes to directly)
//! serves what its own checks would have refused; each attack ends in a
//! quarantine or a typed error, the document unchanged, and the other
//! spaces still syncing.
#![allow(clippy::unwrap_used)]

use kindred_core::sync::{HttpTransport, Role, Transport};
use kindred_core::{Error, Kindred, SpaceKind};
use kindred_protocol::messages::{ErrorCode, PutSnapshot};
use kindred_protocol::{PROTOCOL_VERSION, SpaceId, encode};
use kindred_tests::devices::{check_in, device, dirs, fingerprint, goal, pair, to_sas, view};
use kindred_tests::memory_relay::MemoryRelay;
use kindred_tests::server::ServerProcess;

/// The person's phone with `tablet` and `laptop` paired to it through
/// `t`, all three synced.
fn three_devices(
    t: &dyn Transport,
    d: &[tempfile::TempDir],
    first_goal: Option<&str>,
) -> (Kindred, Kindred, Kindred) {
    let mut phone = device(d[0].path(), "phone");
    if let Some(text) = first_goal {
        phone.add_goal(&goal(text)).unwrap();
    }
    let mut tablet = pair(t, &mut phone, d[1].path(), "tablet");
    let mut laptop = pair(t, &mut phone, d[2].path(), "laptop");
    for k in [&mut phone, &mut tablet, &mut laptop] {
        k.sync(t).unwrap();
    }
    (phone, tablet, laptop)
}

fn space_of(k: &Kindred, kind: SpaceKind) -> String {
    k.spaces()
        .iter()
        .find(|s| s.kind == kind)
        .map(|s| s.id.clone())
        .unwrap()
}

fn sid(space: &str) -> SpaceId {
    SpaceId::from_hex(space).unwrap()
}

fn quarantined(report: &kindred_core::sync::SyncReport, space: &str) -> u64 {
    report
        .spaces
        .iter()
        .filter(|s| s.space == space)
        .map(|s| s.quarantined)
        .sum()
}

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

/// Two of the person's devices still sync each other's writes.
fn still_syncing(t: &dyn Transport, from: &mut Kindred, to: &mut Kindred, words: &str) {
    from.add_check_in(&check_in(4, words)).unwrap();
    let r = from.sync(t).unwrap();
    assert!(r.all_synced(), "{r:?}");
    let r = to.sync(t).unwrap();
    assert!(r.all_synced(), "{r:?}");
    assert!(
        to.check_ins(None, None)
            .unwrap()
            .iter()
            .any(|c| c.note.as_deref() == Some(words)),
        "the other spaces still sync"
    );
}

#[test]
fn a_removed_devices_old_epoch_change_past_its_bound_is_quarantined() {
    let relay = MemoryRelay::new();
    let d = dirs(3);
    let (mut phone, mut tablet, mut laptop) =
        three_devices(&relay, &d, Some("Sleep before midnight"));
    let personal = space_of(&tablet, SpaceKind::Personal);
    let phone_key =
        kindred_protocol::DeviceKey::from_slice(&phone.device_public_key().unwrap()).unwrap();
    tablet
        .remove_device(&relay, &fingerprint(&phone), true)
        .unwrap();
    laptop.sync(&relay).unwrap();
    let before = view(&mut laptop);

    // The relay hides the removal from the phone and stores what it sends
    // without a check: the phone writes on under the old key, one change
    // past the bound its removal recorded.
    relay.collude_with(phone_key);
    relay.skip_checks_for(phone_key);
    phone
        .add_goal(&goal("WRITTEN BY THE REMOVED PHONE"))
        .unwrap();
    phone.sync(&relay).unwrap();
    assert!(
        relay
            .changes_of(&sid(&personal))
            .iter()
            .any(|c| c.envelope.device == phone_key && c.envelope.epoch == 1),
        "the relay holds the phone's late change"
    );

    let report = laptop.sync(&relay).unwrap();
    assert!(report.all_synced(), "{report:?}");
    assert!(quarantined(&report, &personal) >= 1, "{report:?}");
    assert_eq!(view(&mut laptop), before, "the document is unchanged");
    still_syncing(&relay, &mut tablet, &mut laptop, "after the removed phone");
}

#[test]
fn a_readers_change_is_quarantined_and_the_share_syncs_on() {
    let relay = MemoryRelay::new();
    let d = dirs(2);
    let mut person = device(d[0].path(), "person phone");
    let mut worker = device(d[1].path(), "worker laptop");
    let g = person.add_goal(&goal("Cook on Fridays")).unwrap();
    let space = invite(&relay, &mut person, &mut worker, Role::Reader);
    person.share_goal(&g, &space).unwrap();
    person.sync(&relay).unwrap();
    worker.sync(&relay).unwrap();

    // A modified client seals a change anyway; the relay stores it.
    let epoch = worker.space_epoch(&space).unwrap().unwrap();
    let forged = worker
        .attack_seal_change(&space, epoch, "A READER WROTE THIS")
        .unwrap();
    relay.inject(sid(&space), forged);

    let before = view(&mut person);
    let report = person.sync(&relay).unwrap();
    assert!(report.all_synced(), "{report:?}");
    assert_eq!(quarantined(&report, &space), 1, "{report:?}");
    assert_eq!(person.attack_injected(&space).unwrap(), None);
    assert_eq!(view(&mut person), before, "the document is unchanged");
    let status = person.sync_status().unwrap();
    let shared = status.iter().find(|s| s.space == space).unwrap();
    assert_eq!(shared.quarantined, 1);

    // The share syncs on: the person's next step reaches the worker.
    person.add_step(&g, "Buy rice", None).unwrap();
    person.sync(&relay).unwrap();
    let r = worker.sync(&relay).unwrap();
    assert!(r.all_synced(), "{r:?}");
    assert_eq!(worker.goal(&g).unwrap().steps[0].text, "Buy rice");
}

#[test]
fn a_writers_forged_snapshot_is_refused_and_a_new_device_still_gets_the_true_history() {
    let relay = MemoryRelay::new();
    let d = dirs(3);
    let mut phone = device(d[0].path(), "person phone");
    let mut tablet = pair(&relay, &mut phone, d[1].path(), "person tablet");
    let mut worker = device(d[2].path(), "worker laptop");
    let g = phone.add_goal(&goal("Walk every morning")).unwrap();
    let space = invite(&relay, &mut phone, &mut worker, Role::Writer);
    phone.share_goal(&g, &space).unwrap();
    phone.sync(&relay).unwrap();
    worker.sync(&relay).unwrap();
    let truth = relay.snapshot_of(&sid(&space)).unwrap();

    // The worker (a writer) forges a snapshot of a rewritten history. An
    // honest relay refuses it outright.
    let epoch = worker.space_epoch(&space).unwrap().unwrap();
    let covers = relay.changes_of(&sid(&space)).len() as u64;
    let forged = worker
        .attack_snapshot(&space, epoch, covers, None, "REWRITTEN BY THE WORKER")
        .unwrap();
    let token = worker.relay_token(&relay).unwrap();
    let err = relay
        .put_snapshot(
            &token,
            &sid(&space),
            &PutSnapshot {
                v: PROTOCOL_VERSION,
                snapshot: forged.clone(),
            },
        )
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::Forbidden));

    // A colluding relay serves it anyway to the person's tablet, which
    // joins the share now: refused, nothing of the share applied, the
    // person's own spaces synced.
    relay.replace_snapshot(&sid(&space), forged);
    let report = tablet.sync(&relay).unwrap();
    let failed = report.failed.iter().find(|f| f.space == space).unwrap();
    assert!(
        matches!(failed.error, Error::SnapshotRefused { .. }),
        "{:?}",
        failed.error
    );
    let words = failed.error.to_string();
    assert!(words.contains("owner"), "{words}");
    assert!(report.spaces.iter().all(|s| s.space != space));
    assert!(!report.spaces.is_empty(), "the other spaces synced");

    // With the true snapshot served again, the tablet gets the true history.
    relay.replace_snapshot(&sid(&space), truth);
    let report = tablet.sync(&relay).unwrap();
    assert!(report.all_synced(), "{report:?}");
    assert_eq!(tablet.attack_injected(&space).unwrap(), None);
    assert_eq!(tablet.goal(&g).unwrap().title, "Walk every morning");
}

#[test]
fn an_owners_snapshot_whose_coverage_proof_lies_is_refused() {
    let relay = MemoryRelay::new();
    let d = dirs(3);
    let mut phone = device(d[0].path(), "phone");
    let mut tablet = pair(&relay, &mut phone, d[1].path(), "tablet");
    phone.add_goal(&goal("Drink water")).unwrap();
    phone.add_check_in(&check_in(3, "before")).unwrap();
    phone.sync(&relay).unwrap();
    tablet.sync(&relay).unwrap();
    phone.add_check_in(&check_in(4, "a second change")).unwrap();
    phone.sync(&relay).unwrap();
    let personal = space_of(&phone, SpaceKind::Personal);
    // A rotation records the phone's chain head in the log.
    phone.rotate_space_key(&relay, &personal).unwrap();
    let truth = relay.snapshot_of(&sid(&personal)).unwrap();
    assert!(!truth.heads.is_empty(), "{:?}", truth.heads);

    // An owner's snapshot that claims to include nothing of that history.
    let epoch = phone.space_epoch(&personal).unwrap().unwrap();
    let lying = phone
        .attack_snapshot(&personal, epoch, truth.covers, Some(vec![]), "A LIE")
        .unwrap();
    relay.replace_snapshot(&sid(&personal), lying);
    let report = tablet.sync(&relay).unwrap();
    let failed = report.failed.iter().find(|f| f.space == personal);
    let failed = failed.map(|f| &f.error);
    assert!(
        matches!(failed, Some(Error::SnapshotRefused { .. })),
        "{report:?}"
    );
    assert!(
        report
            .spaces
            .iter()
            .any(|s| s.kind == SpaceKind::Caseload.as_str()),
        "the caseload space synced: {report:?}"
    );

    // The true one is taken.
    relay.replace_snapshot(&sid(&personal), truth);
    let report = tablet.sync(&relay).unwrap();
    assert!(report.all_synced(), "{report:?}");
    assert_eq!(tablet.attack_injected(&personal).unwrap(), None);
    assert_eq!(view(&mut tablet), view(&mut phone));
}

#[test]
fn an_owner_wrapping_different_keys_to_different_members_gets_a_typed_error() {
    let relay = MemoryRelay::new();
    let d = dirs(3);
    let (mut phone, mut tablet, mut laptop) = three_devices(&relay, &d, None);
    let personal = space_of(&phone, SpaceKind::Personal);
    let epoch = tablet.space_epoch(&personal).unwrap().unwrap();
    phone.attack_split_rotate(&relay, &personal).unwrap();

    let report = tablet.sync(&relay).unwrap();
    let failed = report.failed.iter().find(|f| f.space == personal).unwrap();
    assert!(
        matches!(failed.error, Error::KeyMismatch { epoch: e } if e == epoch + 1),
        "{:?}",
        failed.error
    );
    let words = failed.error.to_string();
    assert!(words.contains("does not match"), "{words}");
    // The key was not taken up: nothing of the page was applied.
    assert_eq!(tablet.space_epoch(&personal).unwrap(), Some(epoch));
    // The caseload space still syncs between them.
    let caseload = space_of(&phone, SpaceKind::Caseload);
    assert!(report.spaces.iter().any(|s| s.space == caseload));
    let r = laptop.sync(&relay).unwrap();
    assert!(r.failed.iter().any(|f| f.space == personal));
    assert!(r.spaces.iter().any(|s| s.space == caseload));
}

#[test]
fn a_break_in_a_devices_chain_is_quarantined() {
    let relay = MemoryRelay::new();
    let d = dirs(2);
    let mut phone = device(d[0].path(), "phone");
    let mut tablet = pair(&relay, &mut phone, d[1].path(), "tablet");
    phone.sync(&relay).unwrap();
    tablet.sync(&relay).unwrap();
    let personal = space_of(&phone, SpaceKind::Personal);
    let before = view(&mut phone);

    tablet.add_check_in(&check_in(2, "first")).unwrap();
    tablet.sync(&relay).unwrap();
    let first = relay.changes_of(&sid(&personal)).last().unwrap().server_seq;
    tablet.add_check_in(&check_in(3, "second")).unwrap();
    tablet.sync(&relay).unwrap();

    // The relay leaves the first out: the second no longer follows its
    // device's chain.
    relay.hide_change(sid(&personal), first);
    let report = phone.sync(&relay).unwrap();
    assert!(report.all_synced(), "{report:?}");
    assert_eq!(quarantined(&report, &personal), 1, "{report:?}");
    assert_eq!(view(&mut phone), before, "the document is unchanged");

    // The caseload space still syncs.
    let caseload = space_of(&phone, SpaceKind::Caseload);
    assert!(report.spaces.iter().any(|s| s.space == caseload));
}

/// Through a real relay process: an insider writes a removed device's
/// late envelope straight into the relay's database (its own checks would
/// have refused the push); devices pulling over HTTP set it aside.
#[test]
fn a_removed_devices_change_written_into_a_real_relays_database_is_quarantined() {
    let server = ServerProcess::start();
    let t = HttpTransport::new(&server.url).unwrap();
    let d = dirs(3);
    let (mut phone, mut tablet, mut laptop) = three_devices(&t, &d, Some("Sleep before midnight"));
    let personal = space_of(&tablet, SpaceKind::Personal);
    tablet
        .remove_device(&t, &fingerprint(&phone), true)
        .unwrap();
    laptop.sync(&t).unwrap();
    let before = view(&mut laptop);

    // The removed phone seals a change under epoch 1 (it still holds that
    // key). Pushed through the API it is refused...
    let late = phone
        .attack_seal_change(&personal, 1, "WRITTEN AFTER REMOVAL")
        .unwrap();
    let token = phone.relay_token(&t).unwrap();
    let pushed = t.push(
        &token,
        &sid(&personal),
        &kindred_protocol::messages::Push {
            v: PROTOCOL_VERSION,
            envelopes: vec![late.clone()],
        },
    );
    assert!(pushed.is_err(), "{pushed:?}");
    // ... so the insider writes it into the database directly.
    let db = server.db_writable();
    let sp = sid(&personal).as_bytes().to_vec();
    let next: i64 = db
        .query_row(
            "SELECT COALESCE(MAX(server_seq), 0) + 1 FROM changes WHERE space = ?1",
            [&sp],
            |r| r.get(0),
        )
        .unwrap();
    db.execute(
        "INSERT INTO changes (space, server_seq, device, device_seq, body) VALUES (?1, ?2, ?3, ?4, ?5)",
        rusqlite::params![sp, next, late.device.as_bytes().to_vec(), late.seq as i64, encode(&late)],
    )
    .unwrap();

    let report = laptop.sync(&t).unwrap();
    assert!(report.all_synced(), "{report:?}");
    assert_eq!(quarantined(&report, &personal), 1, "{report:?}");
    assert_eq!(laptop.attack_injected(&personal).unwrap(), None);
    assert_eq!(view(&mut laptop), before, "the document is unchanged");
    still_syncing(&t, &mut tablet, &mut laptop, "after the insider");
}

#[test]
fn a_device_rotates_its_wrap_key_and_later_keys_are_wrapped_to_the_new_one() {
    let relay = MemoryRelay::new();
    let d = dirs(2);
    let mut phone = device(d[0].path(), "phone");
    let mut tablet = pair(&relay, &mut phone, d[1].path(), "tablet");
    phone.sync(&relay).unwrap();
    tablet.sync(&relay).unwrap();
    let personal = space_of(&phone, SpaceKind::Personal);

    let tablet_key =
        kindred_protocol::DeviceKey::from_slice(&tablet.device_public_key().unwrap()).unwrap();
    let old = relay.wrap_key_of(&sid(&personal), &tablet_key).unwrap();
    let rotated = tablet.rotate_wrap_key(&relay).unwrap();
    assert_eq!(rotated.spaces.len(), 2, "{rotated:?}");
    // The log names the new key for the tablet.
    let new = relay.wrap_key_of(&sid(&personal), &tablet_key).unwrap();
    assert_ne!(new, old);
    assert!(new.to_hex().starts_with(&rotated.fingerprint));
    // Rotating the space key now wraps it to the tablet's new wrap key
    // (the tablet opens it; nothing it held before is lost).
    phone.sync(&relay).unwrap();
    let epoch = phone.rotate_space_key(&relay, &personal).unwrap();
    still_syncing(
        &relay,
        &mut phone,
        &mut tablet,
        "after the wrap key rotation",
    );
    assert_eq!(tablet.space_epoch(&personal).unwrap(), Some(epoch));
    // Its first key period's key is still held too.
    assert_eq!(view(&mut tablet), view(&mut phone));
    // Rotating again replaces it again, and the spaces sync on.
    assert_eq!(tablet.rotate_wrap_key(&relay).unwrap().spaces.len(), 2);
    still_syncing(&relay, &mut phone, &mut tablet, "after a second rotation");
}
