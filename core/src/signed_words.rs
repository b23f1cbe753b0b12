//! Who signed what on a note, told truthfully (issue 13): the bytes each
//! signature covers, which devices' signatures count, and the name shown
//! for a signer.
//!
//! - **Names come from the log, never from the signed record.** The name
//!   shown for a note's signer, a comment's writer or a reviewer is the
//!   label the signing key has in the space's membership log (sealed there
//!   by the device that added it), not a name the signer wrote beside its
//!   words. A signature that does not verify shows no name at all.
//! - **The person's words count only from the person's devices.** In a
//!   shared space the person is who started it: the genesis author, and
//!   the devices her devices added as owners (her other phones and
//!   tablets; a worker is added as writer or reader, and a later promotion
//!   is a role change, not an addition). On her own devices that set is
//!   also held against her own device list. A comment or review signed by
//!   anyone else, say a worker's device with write access to the document,
//!   is shown as not verified.
//! - **A review covers the note's content as reviewed**: a SHA-256 of its
//!   words, times, status and addenda. A later edit leaves the review
//!   verified but of an earlier version, and the note says so.
//! - **A note's signature covers the signer's name** as it signed, so the
//!   stored name cannot be swapped; what is shown is still the log's label.
//!
//! Signatures made before these rules: a note signature or comment in the
//! old form still verifies (it covered the words; the name shown comes from
//! the log either way). An old review covered no content and so cannot say
//! which version was reviewed: it shows as not verified until the person
//! marks the note reviewed again.

use std::collections::BTreeSet;

use kindred_protocol::canonical::Canonical;
use kindred_protocol::messages::AppendLog;
use kindred_protocol::{Action, DeviceKey, Role, Signature, verify_ed25519};

use crate::error::Result;
use crate::ids::Id;
use crate::kindred::Kindred;
use crate::model::{ContactNote, format_time};

/// What a note's signature covers: its words and times, and the signer's
/// name as it signed.
pub(crate) fn note_signing_bytes(n: &ContactNote, signed_at: &str, signer_name: &str) -> Vec<u8> {
    note_words(Canonical::new("note-signature-2"), n)
        .bytes(signed_at.as_bytes())
        .bytes(signer_name.as_bytes())
        .finish()
}

/// The form before issue 13 (no name), still accepted: see the module docs.
pub(crate) fn legacy_note_signing_bytes(n: &ContactNote, signed_at: &str) -> Vec<u8> {
    note_words(Canonical::new("note-signature"), n)
        .bytes(signed_at.as_bytes())
        .finish()
}

fn note_words(c: Canonical, n: &ContactNote) -> Canonical {
    c.bytes(n.id.as_str().as_bytes())
        .bytes(format_time(n.start).as_bytes())
        .bytes(format_time(n.end).as_bytes())
        .bytes(n.narrative.as_bytes())
        .bytes(n.own_words.as_deref().unwrap_or("").as_bytes())
        .bytes(n.strengths.as_deref().unwrap_or("").as_bytes())
        .bytes(n.next_steps.as_deref().unwrap_or("").as_bytes())
}

/// SHA-256 (hex) of a note's content as a reviewer sees it: its words,
/// times, status, signature time and addenda.
pub(crate) fn note_content_hash(n: &ContactNote) -> String {
    let mut c = note_words(Canonical::new("note-content"), n)
        .bytes(n.status.as_str().as_bytes())
        .bytes(n.signed_at.map(format_time).unwrap_or_default().as_bytes());
    for a in &n.addenda {
        c = c
            .bytes(a.id.as_str().as_bytes())
            .bytes(format_time(a.at).as_bytes())
            .bytes(a.text.as_bytes());
    }
    let d = ring::digest::digest(&ring::digest::SHA256, &c.finish());
    hex(d.as_ref())
}

/// What a comment's signature covers: where it is, when, and its words.
pub(crate) fn comment_bytes(space: &str, note: &Id, comment: &Id, at: &str, text: &str) -> Vec<u8> {
    Canonical::new("note-comment-2")
        .bytes(space.as_bytes())
        .bytes(note.as_str().as_bytes())
        .bytes(comment.as_str().as_bytes())
        .bytes(at.as_bytes())
        .bytes(text.as_bytes())
        .finish()
}

/// The form before issue 13 (with a name the writer chose), still
/// accepted for the words; the name shown comes from the log.
pub(crate) fn legacy_comment_bytes(
    note: &Id,
    comment: &Id,
    at: &str,
    by: &str,
    text: &str,
) -> Vec<u8> {
    Canonical::new("note-comment")
        .bytes(note.as_str().as_bytes())
        .bytes(comment.as_str().as_bytes())
        .bytes(at.as_bytes())
        .bytes(by.as_bytes())
        .bytes(text.as_bytes())
        .finish()
}

/// What a review's signature covers: where, when, and the content hash of
/// the note as reviewed.
pub(crate) fn review_bytes(space: &str, note: &Id, at: &str, content: &str) -> Vec<u8> {
    Canonical::new("note-review-2")
        .bytes(space.as_bytes())
        .bytes(note.as_str().as_bytes())
        .bytes(at.as_bytes())
        .bytes(content.as_bytes())
        .finish()
}

pub(crate) fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The key that made `sig_hex` over `msg`, if it is `key_hex` and among
/// `allowed`.
pub(crate) fn verified_key(
    key_hex: &str,
    msg: &[u8],
    sig_hex: &str,
    allowed: &BTreeSet<DeviceKey>,
) -> Option<DeviceKey> {
    let key = DeviceKey::from_hex(key_hex)?;
    let sig = Signature::from_hex(sig_hex)?;
    (allowed.contains(&key) && verify_ed25519(&key, msg, &sig).is_ok()).then_some(key)
}

/// Whose signatures count in one space.
#[derive(Debug, Default)]
pub(crate) struct Signers {
    /// Every device that is or was a member (a note's signature: the
    /// worker who wrote it; it stays verified after her device is replaced).
    pub any: BTreeSet<DeviceKey>,
    /// The person's own devices (her comments and review marks).
    pub person: BTreeSet<DeviceKey>,
}

impl Kindred {
    /// The signers of `space` (see the module docs). A space not on a relay
    /// yet has one member: this device.
    pub(crate) fn signers(&self, space: &str) -> Result<Signers> {
        let me = self.keys.device_key();
        let Some(m) = self.membership_of(space)? else {
            let one: BTreeSet<DeviceKey> = [me].into();
            return Ok(Signers {
                any: one.clone(),
                person: one,
            });
        };
        let mut any: BTreeSet<DeviceKey> = m.members.keys().copied().collect();
        any.extend(m.removed.iter().copied());
        let mut person = BTreeSet::new();
        for stored in self.store.log_entries(space)? {
            let Ok(append) = kindred_protocol::decode::<AppendLog>(&stored) else {
                continue;
            };
            let e = append.entry;
            match &e.action {
                Action::Genesis { owner, .. } => {
                    person.insert(owner.device);
                }
                Action::AddDevice { member, .. }
                    if member.role == Role::Owner && person.contains(&e.author) =>
                {
                    person.insert(member.device);
                }
                _ => {}
            }
        }
        // On the person's own devices, her own device list has the last
        // word: an owner she invited is not one of her devices.
        let mine = self.own_devices_ever()?;
        if mine.iter().any(|d| person.contains(d)) {
            person.retain(|d| mine.contains(d));
        } else {
            // Seen by someone else (a worker): never their own devices.
            person.retain(|d| !mine.contains(d));
        }
        Ok(Signers { any, person })
    }

    /// This person's devices, now or before (a replaced phone's words stay
    /// hers): the members and removed members of her own spaces.
    fn own_devices_ever(&self) -> Result<BTreeSet<DeviceKey>> {
        let mut out: BTreeSet<DeviceKey> = self.own_devices()?.into_iter().collect();
        for s in &self.spaces {
            if matches!(
                s.kind,
                crate::space::SpaceKind::Personal | crate::space::SpaceKind::Caseload
            ) && let Some(m) = self.membership_of(&s.id)?
            {
                out.extend(m.removed.iter().copied());
            }
        }
        Ok(out)
    }

    /// The label `device` has in `space`'s membership log (this device's
    /// own label for itself): the name shown for what it signed.
    pub(crate) fn signer_label(&self, space: &str, device: &DeviceKey) -> Result<Option<String>> {
        if *device == self.keys.device_key() {
            return Ok(Some(self.label()));
        }
        let Some(m) = self.membership_of(space)? else {
            return Ok(None);
        };
        let sid = crate::sync::space_hex_id(space)?;
        if let Some(member) = m.members.get(device) {
            return Ok(self.member_label(space, &sid, device, &member.sealed_label, m.epoch));
        }
        // Removed since: the label it was added with.
        for stored in self.store.log_entries(space)?.iter().rev() {
            if let Ok(append) = kindred_protocol::decode::<AppendLog>(stored)
                && let Action::AddDevice { member, .. } = &append.entry.action
                && member.device == *device
            {
                return Ok(self.member_label(space, &sid, device, &member.sealed_label, m.epoch));
            }
        }
        Ok(None)
    }

    /// The name shown for what `device` signed in `space`: the person's
    /// name from its label (or the device's, for one's own devices).
    pub(crate) fn signer_name(&self, space: &str, device: &DeviceKey) -> Result<String> {
        Ok(self
            .signer_label(space, device)?
            .map(|l| crate::names::display_name(&l, false).to_owned())
            .unwrap_or_else(|| "another device".into()))
    }
}
