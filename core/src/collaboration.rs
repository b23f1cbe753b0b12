//! Contact notes written together: a worker shares a note into the shared
//! space with the person it is about; the person reads it, adds their own
//! words (comments) and marks it reviewed.
//!
//! **The worker's record stays the worker's.** Sharing a note *copies* it
//! into the shared space under the same id (the id is the link between
//! the two, and the note's signature, which covers the id, verifies in
//! both). The caseload keeps the worker's own record: ending the share
//! wipes the shared copy from the worker's device (with the person's
//! comments and review, which are hers), never the record. While both
//! exist, reads show one note: the words, status and signature come from
//! the caseload record, the person's comments and review mark from the
//! shared copy. The worker's later changes (a draft edited, the note
//! signed, an addendum) are written to the record and then copied field
//! by field onto each shared copy, leaving the person's fields alone. A
//! note shared before copies existed lives only in the shared space and
//! is read from there.
//!
//! Everyone in a space can write anything in its automerge document, so
//! "the worker cannot edit the person's words" is kept by signatures, not
//! by permissions: each comment, each review mark and each note signature
//! is signed with the writing device's Ed25519 key over the words it
//! covers, and checked against the space's membership log when the note
//! is read (`signed_words`: whose signatures count for what, and why the
//! names shown come from the log). Words changed by anyone else no longer verify and are shown
//! as not verified (the CLI says "changed after it was written"); a
//! deleted comment cannot be hidden from the person's own devices, which
//! keep the document's history.
//!
//! A note flagged as holding substance-use details (42 CFR Part 2) is
//! never shared by default: sharing it needs the person's choice for that
//! note, which the worker records when sharing (`person_consented`), and
//! the note then says who recorded it and when.

use crate::error::{Error, Result};
use crate::ids::Id;
use crate::kindred::Kindred;
use crate::model::{ContactNote, NoteStatus, RecordKind, format_time};
use crate::signed_words::{
    comment_bytes, hex, legacy_comment_bytes, legacy_note_signing_bytes, note_content_hash,
    note_signing_bytes, review_bytes, verified_key,
};
use crate::space::SpaceKind;
use crate::space::fields::{push_map, put_str, put_time};
use crate::space::records::CONTACT_NOTES;

/// Fields of a shared copy that the person writes (or that say how it was
/// shared): never overwritten from the worker's record.
const SHARED_COPY_FIELDS: [&str; 7] = [
    "comments",
    "reviewed_at",
    "reviewed_by",
    "reviewed_by_key",
    "reviewed_hash",
    "review_sig",
    "substance_use_consent",
];

impl Kindred {
    /// The spaces notes live in: the caseload, then shared spaces that
    /// have finished their first sync.
    fn note_spaces(&mut self) -> Result<Vec<String>> {
        self.ready_spaces(&[SpaceKind::Caseload, SpaceKind::Shared])
    }

    /// The space holding a note.
    pub(crate) fn note_space(&mut self, id: &Id) -> Result<String> {
        for sp in self.note_spaces()? {
            if self.space_by_id(&sp)?.index.notes.contains_key(id) {
                return Ok(sp);
            }
        }
        Err(Error::NotFound {
            kind: RecordKind::ContactNote,
            id: id.to_string(),
        })
    }

    /// Every note of every note space, as stored (not yet checked).
    pub(crate) fn all_notes(&mut self) -> Result<Vec<(String, ContactNote)>> {
        let mut out = Vec::new();
        for sp in self.note_spaces()? {
            out.extend(
                self.space_by_id(&sp)?
                    .index
                    .notes
                    .values()
                    .map(|n| (sp.clone(), n.clone())),
            );
        }
        Ok(out)
    }

    /// Fills in what a read note shows about its signatures (see
    /// `signed_words`): each verified against the devices whose signature
    /// counts for it, each named by the signing key's label in the log.
    pub(crate) fn check_note(&self, space: &str, mut n: ContactNote) -> Result<ContactNote> {
        let signers = self.signers(space)?;
        if self
            .spaces
            .iter()
            .any(|s| s.id == space && s.kind == SpaceKind::Shared)
        {
            n.shared_in = Some(space.to_owned());
        }
        let stored_name = n.signed_by_name.take();
        if n.status == NoteStatus::Signed
            && let (Some(key), Some(sig), Some(at)) =
                (&n.raw.signer_key, &n.raw.signature, n.signed_at)
        {
            let at = format_time(at);
            let by = verified_key(
                key,
                &note_signing_bytes(&n, &at, stored_name.as_deref().unwrap_or("")),
                sig,
                &signers.any,
            )
            .or_else(|| verified_key(key, &legacy_note_signing_bytes(&n, &at), sig, &signers.any));
            n.signature_ok = Some(by.is_some());
            if let Some(by) = by {
                n.signed_by_name = Some(self.signer_name(space, &by)?);
            }
        }
        let id = n.id.clone();
        for c in &mut n.comments {
            let at = format_time(c.at);
            let by = verified_key(
                &c.by_key,
                &comment_bytes(space, &id, &c.id, &at, &c.text),
                &c.sig,
                &signers.person,
            )
            .or_else(|| {
                verified_key(
                    &c.by_key,
                    &legacy_comment_bytes(&id, &c.id, &at, &c.by, &c.text),
                    &c.sig,
                    &signers.person,
                )
            });
            c.verified = by.is_some();
            // Never the name written beside the words.
            c.by = match by {
                Some(by) => self.signer_name(space, &by)?,
                None => "someone".into(),
            };
        }
        let current = note_content_hash(&n);
        let review = match (
            &n.raw.reviewer_key,
            &n.raw.review_sig,
            n.reviewed_at,
            &n.raw.reviewed_hash,
        ) {
            (Some(key), Some(sig), Some(at), Some(hash)) => verified_key(
                key,
                &review_bytes(space, &id, &format_time(at), hash),
                sig,
                &signers.person,
            )
            .map(|by| (by, *hash == current)),
            _ => None,
        };
        match review {
            Some((by, of_current)) => {
                n.reviewed_by = Some(self.signer_name(space, &by)?);
                n.review_of_current = Some(of_current);
            }
            None => {
                n.reviewed_by = None;
                n.reviewed_at = None;
                n.review_of_current = None;
            }
        }
        Ok(n)
    }

    /// Every copy of a note this device holds, checked: the caseload
    /// record first, then shared copies.
    fn note_copies(&mut self, id: &Id) -> Result<Vec<ContactNote>> {
        let mut out = Vec::new();
        for sp in self.note_spaces()? {
            let n = self.space_by_id(&sp)?.index.notes.get(id).cloned();
            if let Some(n) = n {
                out.push(self.check_note(&sp, n)?);
            }
        }
        Ok(out)
    }

    /// One note as this device shows it (see the module docs): the first
    /// copy's words, with the person's comments and review from the
    /// shared copies.
    pub(crate) fn merged_note(&mut self, id: &Id) -> Result<ContactNote> {
        let copies = self.note_copies(id)?;
        merge_copies(copies).ok_or_else(|| Error::NotFound {
            kind: RecordKind::ContactNote,
            id: id.to_string(),
        })
    }

    /// Every note, each once (see [`Kindred::merged_note`]).
    pub(crate) fn merged_notes(&mut self) -> Result<Vec<ContactNote>> {
        let mut ids: Vec<Id> = self.all_notes()?.into_iter().map(|(_, n)| n.id).collect();
        ids.sort();
        ids.dedup();
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(self.merged_note(&id)?);
        }
        Ok(out)
    }

    /// After the worker changed a note in the caseload: copies the
    /// change onto each shared copy this device may write (the person's
    /// comments and review stay as they are).
    pub(crate) fn mirror_note(&mut self, id: &Id) -> Result<()> {
        let Some(caseload) = self
            .spaces
            .iter()
            .find(|s| s.kind == SpaceKind::Caseload)
            .map(|s| s.id.clone())
        else {
            return Ok(());
        };
        let Some(value) = self.space_by_id(&caseload)?.record_value(CONTACT_NOTES, id) else {
            return Ok(());
        };
        let me = self.keys.device_key();
        for sp in self.ready_spaces(&[SpaceKind::Shared])? {
            if !self.space_by_id(&sp)?.index.notes.contains_key(id) {
                continue;
            }
            let reader = self
                .membership_of(&sp)?
                .and_then(|m| m.role_of(&me))
                .is_some_and(|r| r == kindred_protocol::Role::Reader);
            if reader {
                continue;
            }
            self.edit_in(&sp, |_, e| {
                e.refresh_record(CONTACT_NOTES, id, &value, &SHARED_COPY_FIELDS)
            })?;
        }
        Ok(())
    }

    /// Shares a copy of a note from the caseload into a shared space (the
    /// caseload keeps the worker's own record; see the module docs). A
    /// note flagged as holding substance-use details is refused unless
    /// `person_consented`.
    pub fn share_note(&mut self, id: &Id, space: &str, person_consented: bool) -> Result<()> {
        self.shared_space(space)?;
        if self.space_by_id(space)?.index.notes.contains_key(id) {
            return Ok(());
        }
        let from = self.note_space(id)?;
        let n = self
            .space_by_id(&from)?
            .index
            .notes
            .get(id)
            .cloned()
            .ok_or(Error::NotFound {
                kind: RecordKind::ContactNote,
                id: id.to_string(),
            })?;
        if n.substance_use && !person_consented {
            return Err(Error::SubstanceUseNotShared { id: id.to_string() });
        }
        let value = self
            .space_by_id(&from)?
            .record_value(CONTACT_NOTES, id)
            .ok_or(Error::Document)?;
        let consent = (n.substance_use && person_consented).then(|| {
            format!(
                "recorded by {} at {}",
                self.person_name().unwrap_or(&self.device.name),
                format_time(time::OffsetDateTime::now_utc())
            )
        });
        self.edit_in(space, |_, e| {
            let obj = e.copy_record(CONTACT_NOTES, id, &value)?;
            // The comments list exists from the start: made lazily by the
            // first comment, two people commenting at once would each make
            // one, and automerge would keep only one of the two lists.
            if crate::space::fields::get_obj(e.tx, &obj, "comments", automerge::ObjType::List)
                .is_none()
            {
                automerge::transaction::Transactable::put_object(
                    e.tx,
                    &obj,
                    "comments",
                    automerge::ObjType::List,
                )?;
            }
            if let Some(c) = &consent {
                put_str(e.tx, &obj, "substance_use_consent", c)?;
            }
            Ok(())
        })?;
        // The first note shared into a space links its contact to it (the
        // worker's lists then show the person's contact preferences).
        if self
            .contact(&n.contact_id)
            .is_ok_and(|c| c.share_space.is_none())
        {
            self.link_contact(&n.contact_id, Some(space))?;
        }
        Ok(())
    }

    /// Adds the person's own words to a shared note, signed by this device
    /// (the name shown for them comes from this device's label in the
    /// space's log, not from anything written here).
    pub fn comment_note(&mut self, id: &Id, text: &str) -> Result<Id> {
        let text = crate::model::note_comment_text(text)?;
        let space = self.shared_copy_space(id)?;
        let key = self.keys.device_key().to_hex();
        let cid = Id::random()?;
        let at = time::OffsetDateTime::now_utc();
        let at_text = format_time(at);
        let sig = hex(&self
            .keys
            .sign(&comment_bytes(&space, id, &cid, &at_text, &text))
            .0);
        self.edit_in(&space, |_, e| {
            let obj = e.update(CONTACT_NOTES, id)?;
            let c = push_map(e.tx, &obj, "comments")?;
            put_str(e.tx, &c, "id", cid.as_str())?;
            put_time(e.tx, &c, "at", at)?;
            put_str(e.tx, &c, "by_key", &key)?;
            put_str(e.tx, &c, "text", &text)?;
            put_str(e.tx, &c, "sig", &sig)?;
            Ok(())
        })?;
        Ok(cid)
    }

    /// Marks a shared note as reviewed by this device's person: the mark
    /// covers the note's content as it reads now, so a later change shows
    /// the review as being of an earlier version.
    pub fn review_note(&mut self, id: &Id) -> Result<()> {
        let space = self.shared_copy_space(id)?;
        // The copy the mark sits on, which is what it is checked against.
        let copy = self
            .space_by_id(&space)?
            .index
            .notes
            .get(id)
            .cloned()
            .ok_or(Error::Document)?;
        let content = note_content_hash(&copy);
        let key = self.keys.device_key().to_hex();
        let at = time::OffsetDateTime::now_utc();
        let sig = hex(&self
            .keys
            .sign(&review_bytes(&space, id, &format_time(at), &content))
            .0);
        self.edit_in(&space, |_, e| {
            let obj = e.update(CONTACT_NOTES, id)?;
            put_time(e.tx, &obj, "reviewed_at", at)?;
            put_str(e.tx, &obj, "reviewed_hash", &content)?;
            put_str(e.tx, &obj, "reviewed_by_key", &key)?;
            put_str(e.tx, &obj, "review_sig", &sig)?;
            Ok(())
        })
    }

    /// For attack tests only: writes `value` into `field` of the note's
    /// copy in `space` (or of its `comment`-th comment), as a modified
    /// client with write access to the document could: no signature, no
    /// checks. Reads must then show the forgery as unverified.
    #[doc(hidden)]
    pub fn tamper_note(
        &mut self,
        space: &str,
        id: &Id,
        comment: Option<usize>,
        field: &str,
        value: &str,
    ) -> Result<()> {
        self.edit_in(space, |_, e| {
            let obj = e.update(CONTACT_NOTES, id)?;
            let target = match comment {
                None => obj,
                Some(i) => crate::space::fields::get_map_list(e.tx, &obj, "comments")
                    .get(i)
                    .cloned()
                    .ok_or(Error::Document)?,
            };
            put_str(e.tx, &target, field, value)?;
            Ok(())
        })
    }

    /// For attack tests only: the review fields stored on the note's copy
    /// in `space`, as a member copying them elsewhere would read them.
    #[doc(hidden)]
    pub fn note_review_fields(&mut self, space: &str, id: &Id) -> Result<Vec<(String, String)>> {
        let n = self
            .space_by_id(space)?
            .index
            .notes
            .get(id)
            .cloned()
            .ok_or(Error::Document)?;
        let mut out = Vec::new();
        let mut add = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                out.push((k.to_owned(), v));
            }
        };
        add("reviewed_at", n.reviewed_at.map(format_time));
        add("reviewed_hash", n.raw.reviewed_hash);
        add("reviewed_by_key", n.raw.reviewer_key);
        add("review_sig", n.raw.review_sig);
        Ok(out)
    }

    /// The shared space holding a copy of a note (where the person's
    /// comments and review go).
    fn shared_copy_space(&mut self, id: &Id) -> Result<String> {
        self.note_space(id)?;
        for sp in self.ready_spaces(&[SpaceKind::Shared])? {
            if self.space_by_id(&sp)?.index.notes.contains_key(id) {
                return Ok(sp);
            }
        }
        Err(Error::OutOfRange {
            field: "note",
            expected: "a note shared with you (comments and reviews are for shared notes)",
        })
    }

    /// The signature fields written when a note is signed: the key and a
    /// signature covering the words and `signer_name`.
    pub(crate) fn note_signature(
        &self,
        n: &ContactNote,
        signed_at: &str,
        signer_name: &str,
    ) -> (String, String) {
        (
            self.keys.device_key().to_hex(),
            hex(&self
                .keys
                .sign(&note_signing_bytes(n, signed_at, signer_name))
                .0),
        )
    }
}

/// Folds the copies of one note into what is shown: the first copy (the
/// worker's record, or the only copy) gives the words; shared copies add
/// the person's comments and review mark and say where it is shared.
fn merge_copies(copies: Vec<ContactNote>) -> Option<ContactNote> {
    let mut it = copies.into_iter();
    let mut base = it.next()?;
    for other in it {
        for c in other.comments {
            if !base.comments.iter().any(|b| b.id == c.id) {
                base.comments.push(c);
            }
        }
        if base.reviewed_by.is_none() && other.reviewed_by.is_some() {
            base.reviewed_by = other.reviewed_by;
            base.reviewed_at = other.reviewed_at;
            base.raw.reviewer_key = other.raw.reviewer_key;
            base.raw.review_sig = other.raw.review_sig;
            base.raw.reviewed_hash = other.raw.reviewed_hash;
            base.review_of_current = other.review_of_current;
        }
        if base.substance_use_consent.is_none() {
            base.substance_use_consent = other.substance_use_consent;
        }
        if base.shared_in.is_none() {
            base.shared_in = other.shared_in;
        }
        base.updated_at = base.updated_at.max(other.updated_at);
    }
    base.comments
        .sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
    Some(base)
}
