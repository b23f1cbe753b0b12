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
    assert_eq!(k.note(&n).unwrap().signature_ok, Some(false));
}

#[test]
fn a_forged_review_is_not_shown_as_a_review() {
    let (_d, mut k, space, n) = shared_note();
    k.edit_in(&space, |_, e| {
        let obj = e.update(CONTACT_NOTES, &n)?;
        put_str(e.tx, &obj, "reviewed_by", "someone else")?;
        Ok(())
    })
    .unwrap();
    let note = k.note(&n).unwrap();
    assert_eq!(note.reviewed_by, None);
    assert_eq!(note.reviewed_at, None);
}
