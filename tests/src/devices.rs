//! Devices for tests: create one, pair one with another through any
//! relay, and read everything a person would compare between devices.

use std::path::Path;
use std::time::Duration;

use kindred_core::Kindred;
use kindred_core::model::*;
use kindred_core::sync::{AcceptOutcome, Invite, JoinInvite, JoinedShare, Role, Sas, Transport};

use crate::test_key;

/// A new device with its own spaces, in `dir`. Its requests to remove
/// one of the person's devices wait no time (the in-memory relay keeps no
/// clock): tests of the wait set it themselves.
pub fn device(dir: &Path, name: &str) -> Kindred {
    let mut k = Kindred::init(dir, &test_key(), name).expect("init a device");
    k.set_removal_wait(Duration::ZERO);
    k
}

/// Pairs a new device (in `dir`) with `existing` through the relay
/// behind `t`, the way the QR flow does; returns the new device.
pub fn pair(t: &dyn Transport, existing: &mut Kindred, dir: &Path, name: &str) -> Kindred {
    let offer = existing
        .pair_offer("relay", Duration::from_secs(600))
        .expect("offer");
    let mut new = Kindred::init_joining(dir, &test_key(), name).expect("init a joining device");
    new.set_removal_wait(Duration::ZERO);
    let offer_seen = new
        .pair_join_request(t, &offer.to_text())
        .expect("join request");
    // The person on the existing device sees the code the new one shows,
    // and says yes.
    match existing.pair_accept(t, &offer).expect("accept") {
        AcceptOutcome::Asking(r) => {
            assert_eq!(r.name, name);
            assert_eq!(r.code, new.pair_code(&offer_seen));
        }
        other => panic!("expected a request, got {other:?}"),
    }
    match existing.pair_confirm(t, &offer, true).expect("confirm") {
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
    // The inviter answers the joiner's PAKE message; it shows its string
    // only once the joiner's hello opened under the session key.
    assert!(inviter.invite_poll(t_inviter, inv).expect("poll").is_none());
    let s_joiner = joiner
        .invite_join_poll(t_joiner, &mut j)
        .expect("poll")
        .expect("open came");
    let s_inviter = inviter
        .invite_poll(t_inviter, inv)
        .expect("poll")
        .expect("hello came");
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
    // Saying yes before it is recorded adds no one.
    assert!(matches!(
        person.invite_confirm(relay, &mut inv),
        Err(kindred_core::Error::InviteNotConfirmed)
    ));
    // The person confirmed; the worker has not yet: nothing happens.
    person.invite_yes(&inv).expect("yes");
    assert!(
        person
            .invite_confirm(relay, &mut inv)
            .expect("confirm")
            .is_none()
    );
    worker.invite_join_yes(&j).expect("yes");
    worker.invite_join_confirm(relay, &mut j).expect("confirm");
    let added = person
        .invite_confirm(relay, &mut inv)
        .expect("confirm")
        .expect("added");
    assert_eq!(added.name, "worker laptop");
    assert_eq!(added.role, "writer");
    let joined = worker
        .invite_join_finish(relay, &mut j)
        .expect("finish")
        .expect("welcome");
    assert_eq!(Some(joined.space.as_str()), inv.space());
    assert_eq!(added.space, joined.space);
    assert_eq!(joined.name, "person phone");
    joined
}

/// The man in the middle of an invite, over `relay` (in memory or a real
/// server): person and worker each reach the relay through a view whose
/// mailboxes are their own, and Mallory, who overheard the code, sits
/// between them with his own keys. Asserts that the two people see
/// different strings, and that after they decline no one was added, though
/// Mallory confirms anyway.
pub fn man_in_the_middle_adds_no_one(relay: &dyn Transport) {
    use crate::memory_relay::MailboxSplit;
    let dirs: Vec<_> = (0..3)
        .map(|_| tempfile::tempdir().expect("a folder"))
        .collect();
    let mut person = device(dirs[0].path(), "person phone");
    let mut worker = device(dirs[1].path(), "worker laptop");
    let mut mallory = device(dirs[2].path(), "worker laptop");
    let to_person = MailboxSplit { relay, tag: 1 };
    let to_worker = MailboxSplit { relay, tag: 2 };
    let mut inv = person
        .invite_create(&to_person, None, Role::Writer)
        .expect("invite");
    let code = inv.code();
    // Mallory joins the person's invite with his own keys ...
    let mut m_join = mallory.invite_join(&to_person, &code).expect("join");
    // ... and invites the worker under the same code with his own keys.
    let mut m_inv = mallory
        .invite_create_with_code(&to_worker, None, Role::Writer, &code)
        .expect("invite");
    let mut w_join = worker.invite_join(&to_worker, &code).expect("join");
    let sas = |r: kindred_core::Result<Option<Sas>>| r.expect("poll").expect("a string");
    // The inviters answer the PAKE messages; the joiners open and say hello.
    assert!(
        person
            .invite_poll(&to_person, &mut inv)
            .expect("poll")
            .is_none()
    );
    assert!(
        mallory
            .invite_poll(&to_worker, &mut m_inv)
            .expect("poll")
            .is_none()
    );
    let s_mallory_p = sas(mallory.invite_join_poll(&to_person, &mut m_join));
    let s_worker = sas(worker.invite_join_poll(&to_worker, &mut w_join));
    let s_person = sas(person.invite_poll(&to_person, &mut inv));
    let s_worker_side = sas(mallory.invite_poll(&to_worker, &mut m_inv));
    assert_eq!(s_person, s_mallory_p);
    assert_eq!(s_worker, s_worker_side);
    // What the two people read to each other differs (digits and emoji
    // together: 43.9 bits).
    assert_ne!(s_person, s_worker);
    // They decline. Mallory confirms anyway; the person never confirmed,
    // so no one is added.
    mallory.invite_join_yes(&m_join).expect("yes");
    mallory
        .invite_join_confirm(&to_person, &mut m_join)
        .expect("confirm");
    person.invite_decline(&to_person, &inv).expect("decline");
    worker
        .invite_join_decline(&to_worker, &w_join)
        .expect("decline");
    assert!(matches!(
        mallory.invite_join_finish(&to_person, &mut m_join),
        Err(kindred_core::Error::InviteDeclined)
    ));
    person.sync(relay).expect("sync");
    // Nothing was made: no share on any side, no space for it here.
    assert!(person.shares().expect("shares").is_empty());
    assert!(worker.shares().expect("shares").is_empty());
    assert!(mallory.shares().expect("shares").is_empty());
    assert!(
        person
            .spaces()
            .iter()
            .all(|s| s.kind != kindred_core::SpaceKind::Shared)
    );
}

/// `n` fresh data folders, one per device (deleted when dropped).
pub fn dirs(n: usize) -> Vec<tempfile::TempDir> {
    (0..n)
        .map(|_| tempfile::tempdir().expect("a temporary folder"))
        .collect()
}

/// The id of `k`'s space of `kind` (its first, for shares).
pub fn space_of(k: &Kindred, kind: kindred_core::SpaceKind) -> String {
    k.spaces()
        .iter()
        .find(|s| s.kind == kind)
        .expect("a space of that kind")
        .id
        .clone()
}
