//! Devices for tests: create one, pair one with another through any
//! relay, and read everything a person would compare between devices.

use std::path::Path;
use std::time::Duration;

use kindred_core::Kindred;
use kindred_core::model::*;
use kindred_core::sync::{AcceptOutcome, Invite, JoinInvite, JoinedShare, Role, Sas, Transport};

use crate::test_key;

/// A new device with its own spaces, in `dir`.
pub fn device(dir: &Path, name: &str) -> Kindred {
    Kindred::init(dir, &test_key(), name).expect("init a device")
}

/// Pairs a new device (in `dir`) with `existing` through the relay
/// behind `t`, the way the QR flow does; returns the new device.
pub fn pair(t: &dyn Transport, existing: &mut Kindred, dir: &Path, name: &str) -> Kindred {
    let offer = existing
        .pair_offer("relay", Duration::from_secs(600))
        .expect("offer");
    let mut new = Kindred::init_joining(dir, &test_key(), name).expect("init a joining device");
    let offer_seen = new
        .pair_join_request(t, &offer.to_text())
        .expect("join request");
    match existing.pair_accept(t, &offer).expect("accept") {
        AcceptOutcome::Joined(d) => assert_eq!(d.name, name),
        other => panic!("expected a join, got {other:?}"),
    }
    let joined = new
        .pair_join_finish(t, &offer_seen)
        .expect("join finish")
        .expect("a reply");
    assert_eq!(joined.name, existing.device().name);
    new
}

/// A goal with just a title.
pub fn goal(title: &str) -> NewGoal {
    NewGoal {
        title: title.into(),
        ..Default::default()
    }
}

/// A check-in now, with a note.
pub fn check_in(mood: i64, note: &str) -> NewCheckIn {
    NewCheckIn {
        occurred_at: time::OffsetDateTime::now_utc(),
        mood,
        energy: None,
        tags: vec![],
        note: Some(note.into()),
    }
}

/// Everything a person would compare between devices.
pub type View = (Vec<Goal>, Vec<CheckIn>, Vec<Contact>, Vec<ContactNote>);

/// Reads a [`View`] of a device.
pub fn view(k: &mut Kindred) -> View {
    (
        k.goals(None).expect("goals"),
        k.check_ins(None, None).expect("check-ins"),
        k.contacts().expect("contacts"),
        k.notes(None, None, None).expect("notes"),
    )
}

/// The first 16 hex digits of a device's key, as `devices` shows it.
pub fn fingerprint(k: &Kindred) -> String {
    k.device_public_key()
        .expect("public key")
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A draft contact note about `contact`, happening now.
pub fn note(contact: &kindred_core::Id, narrative: &str, substance_use: bool) -> NewContactNote {
    let now = time::OffsetDateTime::now_utc();
    NewContactNote {
        contact_id: contact.clone(),
        contact_type: ContactType::InPerson,
        setting: Setting::Community,
        start: now,
        end: now,
        goals_addressed: vec![],
        peer_activities: vec![],
        narrative: narrative.into(),
        own_words: None,
        strengths: None,
        next_steps: None,
        next_contact: None,
        substance_use,
    }
}

/// Runs an invite to the point where both devices show their strings.
pub fn to_sas(
    t_inviter: &dyn Transport,
    inviter: &mut Kindred,
    t_joiner: &dyn Transport,
    joiner: &mut Kindred,
    inv: &mut Invite,
) -> (JoinInvite, Sas, Sas) {
    let mut j = joiner.invite_join(t_joiner, &inv.code()).expect("join");
    assert!(
        joiner
            .invite_join_poll(t_joiner, &mut j)
            .expect("poll")
            .is_none()
    );
    let s_inviter = inviter
        .invite_poll(t_inviter, inv)
        .expect("poll")
        .expect("reveal came");
    let s_joiner = joiner
        .invite_join_poll(t_joiner, &mut j)
        .expect("poll")
        .expect("open came");
    (j, s_inviter, s_joiner)
}

/// A person and a worker joined in a new shared space, both confirming.
pub fn share(relay: &dyn Transport, person: &mut Kindred, worker: &mut Kindred) -> JoinedShare {
    let mut inv = person
        .invite_create(relay, None, Role::Writer)
        .expect("invite");
    let code = inv.code();
    assert_eq!(code.len(), 11);
    let (mut j, a, b) = to_sas(relay, person, relay, worker, &mut inv);
    assert_eq!(a, b, "both devices show the same string");
    assert_eq!(inv.joiner_name(), Some("worker laptop"));
    assert_eq!(j.inviter_name(), Some("person phone"));
    // The person confirmed; the worker has not yet: nothing happens.
    assert!(
        person
            .invite_confirm(relay, &inv)
            .expect("confirm")
            .is_none()
    );
    worker.invite_join_confirm(relay, &mut j).expect("confirm");
    let added = person
        .invite_confirm(relay, &inv)
        .expect("confirm")
        .expect("added");
    assert_eq!(added.name, "worker laptop");
    assert_eq!(added.role, "writer");
    let joined = worker
        .invite_join_finish(relay, &j)
        .expect("finish")
        .expect("welcome");
    assert_eq!(joined.space, inv.space);
    assert_eq!(joined.name, "person phone");
    joined
}
