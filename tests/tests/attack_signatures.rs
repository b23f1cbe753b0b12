//! Signatures that name the signer truthfully (issue 13, item 3), against
//! a malicious member: anyone in a shared space can write anything in its
//! document (a modified client, here `tamper_note` or the ordinary calls
//! used where they should not count), so each forgery below must read as
//! unverified, never under the forged name, with the rest of the note as
//! it was. On the in-memory relay: the attacks are on the document, not on
//! the wire.
#![allow(clippy::unwrap_used)]

use kindred_core::model::ContactNote;
use kindred_core::{Id, Kindred};
use kindred_tests::devices::{device, note, share};
use kindred_tests::memory_relay::MemoryRelay;

struct Scene {
    relay: MemoryRelay,
    person: Kindred,
    worker: Kindred,
    space: String,
    walk: Id,
    _dirs: Vec<tempfile::TempDir>,
}

/// A worker's signed note shared with the person, who commented on it and
/// marked it reviewed; both devices synced.
fn scene() -> Scene {
    let relay = MemoryRelay::new();
    let dirs: Vec<_> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut person = device(dirs[0].path(), "person phone");
    let mut worker = device(dirs[1].path(), "worker laptop");
    let joined = share(&relay, &mut person, &mut worker);
    let jo = worker
        .add_contact(&kindred_core::model::NewContact { name: "Jo".into() })
        .unwrap();
    let walk = worker
        .add_note(&note(&jo, "We walked to the library together", false))
        .unwrap();
    worker.sign_note(&walk).unwrap();
    worker.share_note(&walk, &joined.space, false).unwrap();
    worker.sync(&relay).unwrap();
    person.sync(&relay).unwrap();
    person.comment_note(&walk, "It helped to get out").unwrap();
    person.review_note(&walk).unwrap();
    person.sync(&relay).unwrap();
    worker.sync(&relay).unwrap();
    let mut s = Scene {
        relay,
        person,
        worker,
        space: joined.space,
        walk,
        _dirs: dirs,
    };
    for n in [
        s.person.note(&s.walk).unwrap(),
        s.worker.note(&s.walk).unwrap(),
    ] {
        assert_eq!(n.reviewed_by.as_deref(), Some("person phone"));
        assert_eq!(n.review_of_current, Some(true));
        assert!(n.comments[0].verified);
        assert_eq!(n.comments[0].by, "person phone");
        assert_eq!(n.signed_by_name.as_deref(), Some("worker laptop"));
    }
    s
}

impl Scene {
    fn both_sync(&mut self) {
        self.worker.sync(&self.relay).unwrap();
        self.person.sync(&self.relay).unwrap();
        self.worker.sync(&self.relay).unwrap();
    }
    fn on_both(&mut self) -> [ContactNote; 2] {
        [
            self.person.note(&self.walk).unwrap(),
            self.worker.note(&self.walk).unwrap(),
        ]
    }
}

/// Everything but the signatures' verdicts, to show a forgery changed
/// nothing else.
fn words(n: &ContactNote) -> (String, Vec<String>, usize) {
    (
        n.narrative.clone(),
        n.comments.iter().map(|c| c.text.clone()).collect(),
        n.addenda.len(),
    )
}

#[test]
fn a_forged_reviewer_name_is_never_shown() {
    let mut s = scene();
    let before = s.on_both().map(|n| words(&n));
    // The worker writes another name over the reviewer's.
    let (space, walk) = (s.space.clone(), s.walk.clone());
    s.worker
        .tamper_note(&space, &walk, None, "reviewed_by", "Dr. Someone, chief")
        .unwrap();
    s.both_sync();
    for n in s.on_both() {
        // The name comes from the reviewing key's entry in the log.
        assert_eq!(n.reviewed_by.as_deref(), Some("person phone"));
        assert!(!format!("{n:?}").contains("Dr. Someone"), "{n:?}");
    }
    // The worker marks it reviewed with his own key, over hers: it is not
    // the person's review, so no review shows, under any name.
    s.worker.review_note(&walk).unwrap();
    s.both_sync();
    for n in s.on_both() {
        assert_eq!(n.reviewed_by, None, "{n:?}");
        assert_eq!(n.reviewed_at, None);
        assert_eq!(n.review_of_current, None);
    }
    assert_eq!(s.on_both().map(|n| words(&n)), before);
}

#[test]
fn a_workers_device_cannot_write_the_persons_words() {
    let mut s = scene();
    let (space, walk) = (s.space.clone(), s.walk.clone());
    // A comment signed by the worker's device, claiming to be hers.
    s.worker
        .comment_note(&walk, "I agree with everything in this note")
        .unwrap();
    s.worker
        .tamper_note(&space, &walk, Some(1), "by", "person phone")
        .unwrap();
    s.both_sync();
    for n in s.on_both() {
        assert_eq!(n.comments.len(), 2, "{n:?}");
        let hers = n
            .comments
            .iter()
            .find(|c| c.text == "It helped to get out")
            .unwrap();
        assert!(hers.verified);
        assert_eq!(hers.by, "person phone");
        let forged = n
            .comments
            .iter()
            .find(|c| c.text.starts_with("I agree"))
            .unwrap();
        assert!(!forged.verified, "{forged:?}");
        assert_ne!(forged.by, "person phone");
        assert_ne!(forged.by, "worker laptop", "not even as the worker's");
    }
    // Her own comment's key swapped for the worker's, signature kept: no.
    let worker_key: String = s
        .worker
        .device_public_key()
        .unwrap()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    s.worker
        .tamper_note(&space, &walk, Some(0), "by_key", &worker_key)
        .unwrap();
    s.both_sync();
    for n in s.on_both() {
        let c = n
            .comments
            .iter()
            .find(|c| c.text == "It helped to get out")
            .unwrap();
        assert!(!c.verified);
        assert_eq!(c.by, "someone");
    }
}

#[test]
fn a_review_is_of_the_content_it_saw() {
    let mut s = scene();
    let (space, walk) = (s.space.clone(), s.walk.clone());
    // A real later change: the review stands, of an earlier version.
    s.worker
        .add_addendum(&walk, "Next time: the swimming pool")
        .unwrap();
    s.both_sync();
    for n in s.on_both() {
        assert_eq!(n.reviewed_by.as_deref(), Some("person phone"));
        assert_eq!(n.review_of_current, Some(false), "{n:?}");
    }
    // Passing the old review off as one of the new content: the hash it
    // names is covered by her signature, so the review no longer verifies.
    let shown = s.person.note(&walk).unwrap();
    // Any hash other than the one she signed (the current content's, say)
    // is caught the same way.
    let fresh = "0".repeat(64);
    s.worker
        .tamper_note(&space, &walk, None, "reviewed_hash", &fresh)
        .unwrap();
    s.both_sync();
    for n in s.on_both() {
        assert_eq!(n.reviewed_by, None, "{n:?}");
        assert_eq!(n.reviewed_at, None);
    }
    assert_eq!(words(&s.person.note(&walk).unwrap()), words(&shown));
    // She reviews again: current again.
    s.person.review_note(&walk).unwrap();
    s.both_sync();
    for n in s.on_both() {
        assert_eq!(n.review_of_current, Some(true));
    }
}

#[test]
fn a_review_copied_onto_another_note_does_not_verify() {
    let mut s = scene();
    let (space, walk) = (s.space.clone(), s.walk.clone());
    let jo = s
        .worker
        .add_contact(&kindred_core::model::NewContact {
            name: "Jo 2".into(),
        })
        .unwrap();
    let other = s
        .worker
        .add_note(&note(&jo, "Another visit", false))
        .unwrap();
    s.worker.share_note(&other, &space, false).unwrap();
    let raw = s.worker.note_review_fields(&space, &walk).unwrap();
    for (field, value) in &raw {
        s.worker
            .tamper_note(&space, &other, None, field, value)
            .unwrap();
    }
    s.both_sync();
    for k in [&mut s.person, &mut s.worker] {
        let n = k.note(&other).unwrap();
        assert_eq!(n.reviewed_by, None, "{n:?}");
        assert_eq!(
            k.note(&walk).unwrap().reviewed_by.as_deref(),
            Some("person phone")
        );
    }
}

#[test]
fn a_tampered_signer_name_unverifies_the_signature() {
    let mut s = scene();
    let (space, walk) = (s.space.clone(), s.walk.clone());
    s.person
        .tamper_note(&space, &walk, None, "signed_by_name", "Head of Service")
        .unwrap();
    s.both_sync();
    // The person holds only the shared copy: its signature no longer
    // verifies, and no signer's name is shown, least of all the forged one.
    let n = s.person.note(&walk).unwrap();
    assert_eq!(n.signature_ok, Some(false));
    assert_eq!(n.signed_by_name, None);
    assert!(!format!("{n:?}").contains("Head of Service"));
    assert_eq!(n.narrative, "We walked to the library together");
    // The worker reads his own record, untouched.
    let w = s.worker.note(&walk).unwrap();
    assert_eq!(w.signature_ok, Some(true));
    assert_eq!(w.signed_by_name.as_deref(), Some("worker laptop"));
}
