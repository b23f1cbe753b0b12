//! Devices for tests: create one, pair one with another through any
//! relay, and read everything a person would compare between devices.

use std::path::Path;
use std::time::Duration;

use kindred_core::Kindred;
use kindred_core::model::*;
use kindred_core::sync::{AcceptOutcome, Transport};

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
