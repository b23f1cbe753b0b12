//! Signed words on shared notes: a change by anyone but their author
//! shows, whoever makes it (a tampering device writes the document
//! directly here, as a modified client could).

use super::records::note_for;
use super::*;
use crate::Id;
use crate::space::SpaceKind;
use crate::space::fields::put_str;
use crate::space::records::CONTACT_NOTES;

/// A device with a signed note, moved into a (local) shared space and
/// commented on. Returns the space and the note.
fn shared_note() -> (tempfile::TempDir, Kindred, String, Id) {
    let (dir, mut k) = fresh();
    let space = k.create_space(SpaceKind::Shared, None).unwrap();
    let c = k.add_contact(&NewContact { name: "Jo".into() }).unwrap();
    let n = k
        .add_note(&note_for(
            &c,
            "2026-03-01T10:00:00Z",
            "2026-03-01T11:00:00Z",
        ))
        .unwrap();
    k.sign_note(&n).unwrap();
    k.share_note(&n, &space, false).unwrap();
    k.comment_note(&n, "My own words").unwrap();
    k.review_note(&n).unwrap();
    (dir, k, space, n)
}

#[test]
fn untouched_signatures_verify() {
    let (_d, mut k, space, n) = shared_note();
    let note = k.note(&n).unwrap();
    assert_eq!(note.shared_in.as_deref(), Some(space.as_str()));
    assert_eq!(note.signature_ok, Some(true));
    assert!(note.comments[0].verified);
    assert_eq!(note.reviewed_by.as_deref(), Some("test phone"));
}

#[test]
fn an_edited_comment_no_longer_verifies() {
    let (dir, mut k, space, n) = shared_note();
    k.edit_in(&space, |_, e| {
        let obj = e.update(CONTACT_NOTES, &n)?;
        let comments = crate::space::fields::get_map_list(e.tx, &obj, "comments");
        put_str(e.tx, &comments[0], "text", "Words she never wrote")?;
        Ok(())
    })
    .unwrap();
    let note = k.note(&n).unwrap();
    assert_eq!(note.comments[0].text, "Words she never wrote");
    assert!(!note.comments[0].verified);
    // Still so after reopening (checked on every read).
    drop(k);
    let mut k = reopen(dir.path());
    assert!(!k.note(&n).unwrap().comments[0].verified);
}

#[test]
fn a_signed_note_whose_words_change_says_so() {
    let (_d, mut k, space, n) = shared_note();
    k.edit_in(&space, |_, e| {
        let obj = e.update(CONTACT_NOTES, &n)?;
        put_str(e.tx, &obj, "narrative", "A different story")?;
        Ok(())
    })
    .unwrap();
    // The worker's own record in the caseload is what the worker reads.
    let mine = k.note(&n).unwrap();
    assert_eq!(mine.signature_ok, Some(true));
    assert_ne!(mine.narrative, "A different story");
    // Where only the shared copy is held (the person's device), the
    // changed words show as changed.
    let caseload = k
        .spaces()
        .iter()
        .find(|s| s.kind == SpaceKind::Caseload)
        .map(|s| s.id.clone())
        .unwrap();
    k.edit_in(&caseload, |_, e| e.delete(CONTACT_NOTES, &n))
        .unwrap();
    let theirs = k.note(&n).unwrap();
    assert_eq!(theirs.narrative, "A different story");
    assert_eq!(theirs.signature_ok, Some(false));
}

#[test]
fn a_shared_note_is_one_note_and_the_workers_changes_reach_the_copy() {
    let (_d, mut k, space, n) = shared_note();
    assert_eq!(k.notes(None, None, None).unwrap().len(), 1);
    let aid = k.add_addendum(&n, "Later words").unwrap();
    let copy = k.space_by_id(&space).unwrap().index.notes[&n].clone();
    assert_eq!(copy.addenda.len(), 1);
    assert_eq!(copy.addenda[0].id, aid);
    // Her comment and review on the copy were left as they were.
    assert_eq!(copy.comments.len(), 1);
    assert!(copy.raw.review_sig.is_some());
    let shown = k.note(&n).unwrap();
    assert_eq!(shown.addenda.len(), 1);
    assert!(shown.comments[0].verified);
    assert_eq!(shown.signature_ok, Some(true));
}

#[test]
fn a_forged_reviewer_name_is_not_shown_and_a_forged_review_is_no_review() {
    let (_d, mut k, space, n) = shared_note();
    // The name written beside the mark is not what is shown.
    k.edit_in(&space, |_, e| {
        let obj = e.update(CONTACT_NOTES, &n)?;
        put_str(e.tx, &obj, "reviewed_by", "someone else")?;
        Ok(())
    })
    .unwrap();
    let note = k.note(&n).unwrap();
    assert_eq!(note.reviewed_by.as_deref(), Some("test phone"));
    // A mark whose signature does not cover what it says is no review.
    k.edit_in(&space, |_, e| {
        let obj = e.update(CONTACT_NOTES, &n)?;
        put_str(e.tx, &obj, "reviewed_at", "2020-01-01T00:00:00Z")?;
        Ok(())
    })
    .unwrap();
    let note = k.note(&n).unwrap();
    assert_eq!(note.reviewed_by, None);
    assert_eq!(note.reviewed_at, None);
}

#[test]
fn a_comment_signed_by_another_key_is_not_the_persons() {
    let (_d, mut k, space, n) = shared_note();
    use ring::signature::KeyPair;
    let rng = ring::rand::SystemRandom::new();
    let pkcs8 = ring::signature::Ed25519KeyPair::generate_pkcs8(&rng).unwrap();
    let stranger = ring::signature::Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap();
    let c = &k.note(&n).unwrap().comments[0];
    let (cid, at, text) = (
        c.id.clone(),
        crate::model::format_time(c.at),
        c.text.clone(),
    );
    let bytes = crate::signed_words::comment_bytes(&space, &n, &cid, &at, &text);
    let sig = crate::signed_words::hex(stranger.sign(&bytes).as_ref());
    let key = crate::signed_words::hex(stranger.public_key().as_ref());
    k.edit_in(&space, |_, e| {
        let obj = e.update(CONTACT_NOTES, &n)?;
        let comments = crate::space::fields::get_map_list(e.tx, &obj, "comments");
        put_str(e.tx, &comments[0], "by_key", &key)?;
        put_str(e.tx, &comments[0], "sig", &sig)?;
        Ok(())
    })
    .unwrap();
    let note = k.note(&n).unwrap();
    assert!(!note.comments[0].verified);
    assert_eq!(note.comments[0].by, "someone");
    assert_eq!(note.comments[0].text, text);
}

#[test]
fn a_review_covers_the_content_it_saw() {
    let (_d, mut k, _space, n) = shared_note();
    assert_eq!(k.note(&n).unwrap().review_of_current, Some(true));
    k.add_addendum(&n, "Later words").unwrap();
    let note = k.note(&n).unwrap();
    assert_eq!(note.reviewed_by.as_deref(), Some("test phone"));
    assert_eq!(note.review_of_current, Some(false));
    k.review_note(&n).unwrap();
    assert_eq!(k.note(&n).unwrap().review_of_current, Some(true));
}
