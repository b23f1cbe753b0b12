//! Delete forever (issue 14): a check-in, a goal with its steps and
//! progress, a comment of the person's own, a contact with their notes,
//! everything shared with a worker, all of it.
//!
//! Deleting a record keeps it in the document's history (automerge keeps
//! every change), so deleting *forever* deletes it and then starts every
//! space that ever held it afresh: a new document with no history, under
//! a new key, on every device and on the relay (`sync/rebase.rs`). A
//! space that is on a relay is erased there on the next sync (at once if
//! the shell syncs right after, as the CLI and the app do); until then
//! the record is deleted here and its old words are still in this
//! device's history. A space not on a relay starts afresh here at once.
//!
//! Which spaces: a check-in or goal may have been in the personal space
//! and in any share the person started (sharing moves goals, and copies
//! check-ins), so all of those start afresh. Only the person's own devices
//! erase ([`Error::CannotErase`] for anyone else): her words are hers.
//! A signed contact note is a record a worker's program keeps: it goes
//! only when the person asked, or its keeping period has ended, and the
//! worker says which ([`KeptRecordReason`]; [`Error::SignedNotesKept`]
//! without one). Every erasure's log entry records when, which kinds of
//! record, how many and why, sealed so that only the space's members
//! read it; never what they said ([`Kindred::erasures`]).

use std::collections::BTreeMap;

use kindred_protocol::Action;
use serde::Serialize;

use crate::crypto::open_note;
use crate::error::{Error, Result};
use crate::ids::Id;
use crate::kindred::Kindred;
use crate::model::{RecordKind, format_time};
use crate::space::SpaceKind;
use crate::space::records::{CHECK_INS, CONTACT_NOTES, CONTACTS, GOALS};
use crate::sync::{ErasureNote, Transport};

/// Why a signed contact note may be deleted forever.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeptRecordReason {
    /// The person the notes are about asked for them to be deleted.
    PersonAsked,
    /// The period the program keeps such records for has ended.
    RetentionEnded,
}

/// What deleting forever did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Erasure {
    /// Kinds of the spaces that start afresh ("personal", "shared", ...).
    pub spaces: Vec<String>,
    /// Records deleted, by kind ("check-in", "goal", ...).
    pub records: BTreeMap<String, u64>,
    /// Some of those spaces are on the relay and are erased there (and so
    /// on the other devices) on the next sync.
    pub waiting_for_sync: bool,
}

/// One erasure as a space's log records it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ErasureRecord {
    /// Who: the device that made it, by name.
    pub by: String,
    /// When it was asked for (RFC 3339).
    pub at: String,
    /// What kinds of record, how many.
    pub records: BTreeMap<String, u64>,
    /// Why: "asked", "retention", "fresh-start".
    pub reason: String,
}

/// The sealed `meta` row with the erasures made in a space before it was
/// on a relay (no log to record them in).
pub(crate) fn erasures_here_name(space: &str) -> String {
    format!("erasures-here/{space}")
}

impl Kindred {
    fn erasures_here(&self, space: &str) -> Result<Vec<ErasureNote>> {
        Ok(self
            .store
            .meta(&erasures_here_name(space))?
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default())
    }

    /// The spaces of `kinds` this device may start afresh (one of the
    /// person's own owner devices there, or the space is only here).
    fn erasable(&mut self, kinds: &[SpaceKind]) -> Result<Vec<String>> {
        let me = self.keys.device_key();
        let mut out = Vec::new();
        for id in self.ready_spaces(kinds)? {
            let ok = match self.membership_of(&id)? {
                None => true,
                Some(m) => m.may_snapshot(&me, m.epoch),
            };
            if ok {
                out.push(id);
            }
        }
        Ok(out)
    }

    /// Starts `spaces` afresh: at once here for a space not on a relay,
    /// on the next sync for the others (their erasures noted as pending).
    pub(crate) fn erase_spaces(
        &mut self,
        spaces: &[String],
        records: BTreeMap<String, u64>,
        reason: &str,
    ) -> Result<Erasure> {
        let note = ErasureNote {
            at: format_time(time::OffsetDateTime::now_utc()),
            kinds: records.clone(),
            reason: reason.to_owned(),
        };
        let mut out = Erasure {
            records,
            ..Erasure::default()
        };
        for space in spaces {
            let kind = self
                .spaces
                .iter()
                .find(|s| s.id == *space)
                .map(|s| s.kind.as_str().to_owned())
                .unwrap_or_default();
            if self.load_sync_state(space)?.created {
                self.update_sync_state(space, |st| match &mut st.erase_pending {
                    Some(p) => p.merge(note.clone()),
                    None => st.erase_pending = Some(note.clone()),
                })?;
                out.waiting_for_sync = true;
            } else {
                self.start_afresh_locally(space)?;
                // No log to record it in yet: this device keeps the note.
                let mut here = self.erasures_here(space)?;
                here.push(note.clone());
                let tx = self.store.begin()?;
                tx.put_meta(
                    &erasures_here_name(space),
                    &serde_json::to_vec(&here).map_err(|_| Error::Document)?,
                )?;
                tx.commit()?;
            }
            if !out.spaces.contains(&kind) {
                out.spaces.push(kind);
            }
        }
        Ok(out)
    }

    /// Deletes one of this person's check-ins forever (and the copies she
    /// shared): see the module docs.
    pub fn delete_check_in_forever(&mut self, id: &Id) -> Result<Erasure> {
        let mut spaces = self.erasable(&[SpaceKind::Personal, SpaceKind::Shared])?;
        if !spaces
            .iter()
            .any(|s| s.as_str() == self.personal_space().unwrap_or_default())
        {
            return Err(Error::CannotErase);
        }
        self.delete_check_in(id)?;
        spaces.sort();
        self.erase_spaces(&spaces, BTreeMap::from([("check-in".into(), 1)]), "asked")
    }

    /// Deletes a goal forever, with its steps and progress notes, wherever
    /// it is or was (the personal space, the shares she started).
    pub fn delete_goal_forever(&mut self, id: &Id) -> Result<Erasure> {
        let here = self.goal_space(id)?;
        let spaces = self.erasable(&[SpaceKind::Personal, SpaceKind::Shared])?;
        if !spaces.contains(&here) {
            return Err(Error::CannotErase);
        }
        self.delete_goal(id)?;
        self.erase_spaces(&spaces, BTreeMap::from([("goal".into(), 1)]), "asked")
    }

    /// Deletes one of the person's own comments on a shared note forever.
    pub fn delete_comment_forever(&mut self, note: &Id, comment: &Id) -> Result<Erasure> {
        let mine = self.own_devices()?;
        let mut found = None;
        for sp in self.ready_spaces(&[SpaceKind::Shared])? {
            if let Some(n) = self.space_by_id(&sp)?.index.notes.get(note) {
                found = n
                    .comments
                    .iter()
                    .position(|c| c.id == *comment)
                    .map(|i| (sp.clone(), i, n.comments[i].by_key.clone()));
                if found.is_some() {
                    break;
                }
            }
        }
        let Some((space, at, by)) = found else {
            return Err(Error::NotFound {
                kind: RecordKind::ContactNote,
                id: comment.as_str().to_owned(),
            });
        };
        if !mine.iter().any(|d| d.to_hex() == by) {
            return Err(Error::CannotErase);
        }
        if !self.erasable(&[SpaceKind::Shared])?.contains(&space) {
            return Err(Error::CannotErase);
        }
        self.edit_in(&space, |_, e| {
            let obj = e.update(CONTACT_NOTES, note)?;
            let list =
                crate::space::fields::get_obj(e.tx, &obj, "comments", automerge::ObjType::List)
                    .ok_or(Error::Document)?;
            automerge::transaction::Transactable::delete(e.tx, &list, at)?;
            Ok(())
        })?;
        self.erase_spaces(&[space], BTreeMap::from([("comment".into(), 1)]), "asked")
    }

    /// Deletes a contact forever from this worker's caseload, with every
    /// note about them. Signed notes need a reason (see the module docs).
    pub fn delete_contact_forever(
        &mut self,
        id: &Id,
        because: Option<KeptRecordReason>,
    ) -> Result<Erasure> {
        let caseload = self.space_id(&SpaceKind::Caseload)?;
        if !self.erasable(&[SpaceKind::Caseload])?.contains(&caseload) {
            return Err(Error::CannotErase);
        }
        let index = &self.space_by_id(&caseload)?.index;
        if !index.contacts.contains_key(id) {
            return Err(Error::NotFound {
                kind: RecordKind::Contact,
                id: id.as_str().to_owned(),
            });
        }
        let notes: Vec<(Id, bool)> = index
            .notes
            .values()
            .filter(|n| n.contact_id == *id)
            .map(|n| (n.id.clone(), n.is_signed()))
            .collect();
        let signed = notes.iter().filter(|(_, s)| *s).count() as u64;
        if signed > 0 && because.is_none() {
            return Err(Error::SignedNotesKept);
        }
        // The visits and calls planned with them go too.
        let planned: Vec<Id> = self
            .planned_contacts()?
            .into_iter()
            .filter(|p| p.contact_id == *id)
            .map(|p| p.id)
            .collect();
        self.edit_in(&caseload, |_, e| {
            for (n, _) in &notes {
                e.delete(CONTACT_NOTES, n)?;
            }
            for p in &planned {
                e.delete(crate::space::records::PLANNED_CONTACTS, p)?;
            }
            e.delete(CONTACTS, id)
        })?;
        let mut records = BTreeMap::from([("contact".to_owned(), 1)]);
        if !planned.is_empty() {
            records.insert("planned contact".into(), planned.len() as u64);
        }
        if !notes.is_empty() {
            records.insert("contact note".into(), notes.len() as u64);
        }
        if signed > 0 {
            records.insert("signed contact note".into(), signed);
        }
        let reason = match because {
            Some(KeptRecordReason::RetentionEnded) => "retention",
            _ => "asked",
        };
        self.erase_spaces(&[caseload], records, reason)
    }

    /// Deletes every record of a space (the days of check-ins shared
    /// too); returns how many of each kind.
    fn clear_space(&mut self, space: &str) -> Result<BTreeMap<String, u64>> {
        let mut records: BTreeMap<String, u64> = BTreeMap::new();
        let index = &self.space_by_id(space)?.index;
        let counts = [
            ("goal", index.goals.len()),
            ("check-in", index.check_ins.len()),
            ("contact", index.contacts.len()),
            ("contact note", index.notes.len()),
        ];
        for (k, n) in counts {
            if n > 0 {
                *records.entry(k.to_owned()).or_default() += n as u64;
            }
        }
        if !records.is_empty() {
            self.edit_in(space, |index, e| {
                for id in index.goals.keys() {
                    e.delete(GOALS, id)?;
                }
                for id in index.check_ins.keys() {
                    e.delete(CHECK_INS, id)?;
                }
                for id in index.notes.keys() {
                    e.delete(CONTACT_NOTES, id)?;
                }
                for id in index.contacts.keys() {
                    e.delete(CONTACTS, id)?;
                }
                Ok(())
            })?;
        }
        let ranges = self
            .space_by_id(space)?
            .unindexed_records(crate::space::records::CHECK_IN_RANGES);
        if !ranges.is_empty() {
            self.edit_in(space, |_, e| {
                for (id, _) in &ranges {
                    e.delete(crate::space::records::CHECK_IN_RANGES, id)?;
                }
                Ok(())
            })?;
        }
        self.clear_unindexed(space, &mut records)?;
        Ok(records)
    }

    /// Deletes the records of the later collections (the plan, answers,
    /// crisis lines, resources, planned contacts, reminder times) and the
    /// fields of the contact preferences, counting them by kind. A device
    /// clears only what it may write: in a share it is not the person's,
    /// the person-only collections are left to her (every device would
    /// refuse the change).
    fn clear_unindexed(&mut self, space: &str, records: &mut BTreeMap<String, u64>) -> Result<()> {
        use crate::space::records::*;
        let kinds: [(&'static str, &str); 9] = [
            (PLAN_ITEMS, "plan entry"),
            (PLAN_SECTIONS, "plan section shared"),
            (SUGGESTIONS, "suggestion"),
            (ANSWERS, "answer"),
            (CRISIS_LINES, "crisis line"),
            (RESOURCES, "resource"),
            (PLANNED_CONTACTS, "planned contact"),
            (crate::reminders::REMINDERS, "reminder time"),
            (CONTACT_PREFS, "contact preferences"),
        ];
        let shared = self.space_by_id(space)?.kind == SpaceKind::Shared;
        let person = !shared || self.is_person_of(space)?;
        let mut gone: Vec<(&'static str, Vec<Id>)> = Vec::new();
        let mut prefs_keys: Vec<String> = Vec::new();
        for (collection, kind) in kinds {
            if shared && !person && PERSON_ONLY.contains(&collection) {
                continue;
            }
            let sp = self.space_by_id(space)?;
            if collection == CONTACT_PREFS {
                if let Some(obj) = sp.collection(CONTACT_PREFS) {
                    prefs_keys = automerge::ReadDoc::keys(&sp.doc, &obj).collect();
                    if !prefs_keys.is_empty() {
                        *records.entry(kind.to_owned()).or_default() += 1;
                    }
                }
                continue;
            }
            let ids: Vec<Id> = sp
                .unindexed_records(collection)
                .into_iter()
                .map(|(id, _)| id)
                .collect();
            if !ids.is_empty() {
                *records.entry(kind.to_owned()).or_default() += ids.len() as u64;
                gone.push((collection, ids));
            }
        }
        if gone.is_empty() && prefs_keys.is_empty() {
            return Ok(());
        }
        self.edit_in(space, |_, e| {
            for (collection, ids) in &gone {
                for id in ids {
                    e.delete(collection, id)?;
                }
            }
            if !prefs_keys.is_empty() {
                let obj = e.collection_obj(CONTACT_PREFS)?;
                for k in &prefs_keys {
                    automerge::transaction::Transactable::delete(e.tx, &obj, k.as_str())?;
                }
            }
            Ok(())
        })
    }

    /// Deletes everything in every space this person's devices own: every
    /// record, and every space's history, here, on her other devices and
    /// on the relay (on the next sync). Her devices stay paired, her
    /// shares stay open (and empty).
    pub fn erase_everything(&mut self) -> Result<Erasure> {
        let spaces =
            self.erasable(&[SpaceKind::Personal, SpaceKind::Caseload, SpaceKind::Shared])?;
        let mut records: BTreeMap<String, u64> = BTreeMap::new();
        for space in &spaces {
            for (k, n) in self.clear_space(space)? {
                *records.entry(k).or_default() += n;
            }
        }
        self.erase_spaces(&spaces, records, "asked")
    }

    /// Ends a share and deletes forever everything in it: the other
    /// person's devices are removed, the goals in it come home to the
    /// personal space (they are the person's), and the share's copies
    /// (check-ins, notes the worker shared) and its whole history go from
    /// her devices and the relay. Only the person who started the share.
    pub fn erase_share(&mut self, t: &dyn Transport, space: &str) -> Result<Erasure> {
        self.shared_space(space)?;
        let mine = self.own_devices()?;
        let others = self
            .membership_of(space)?
            .is_some_and(|m| m.members.keys().any(|d| !mine.contains(d)));
        if others {
            self.end_share(t, space, None)?;
        }
        if !self
            .erasable(&[SpaceKind::Shared])?
            .contains(&space.to_owned())
        {
            return Err(Error::NotYourShare);
        }
        let records = self.clear_space(space)?;
        let mut out = self.erase_spaces(&[space.to_owned()], records, "asked")?;
        self.sync_space(t, space)?;
        out.waiting_for_sync = self.load_sync_state(space)?.erase_pending.is_some();
        Ok(out)
    }

    /// Starts a share afresh before someone new is added to it (see
    /// `invite_confirm`): nothing is deleted, the history goes.
    pub(crate) fn fresh_start_for_joiner(&mut self, t: &dyn Transport, space: &str) -> Result<()> {
        if !self
            .erasable(&[SpaceKind::Shared])?
            .contains(&space.to_owned())
        {
            return Ok(());
        }
        self.erase_spaces(&[space.to_owned()], BTreeMap::new(), "fresh-start")?;
        self.sync_space(t, space)?;
        if self.load_sync_state(space)?.erase_pending.is_some() {
            return Err(Error::Sync {
                what: "the share could not start afresh for the new member; try again",
            });
        }
        Ok(())
    }

    /// How many spaces still wait to be erased on the relay (the next
    /// sync makes them).
    pub fn erasures_waiting(&self) -> Result<usize> {
        let mut n = 0;
        for s in &self.spaces {
            if self.load_sync_state(&s.id)?.erase_pending.is_some() {
                n += 1;
            }
        }
        Ok(n)
    }

    /// Words about edits a fresh start could not keep ("1 change to a
    /// check-in you deleted was not kept"), each shown once: reading them
    /// clears them.
    pub fn take_erasure_notices(&mut self) -> Result<Vec<String>> {
        let ids: Vec<String> = self.spaces.iter().map(|s| s.id.clone()).collect();
        let mut out = Vec::new();
        for id in ids {
            if self.load_sync_state(&id)?.notice.is_some()
                && let Some(n) = self.update_sync_state(&id, |st| st.notice.take())?
            {
                out.push(n);
            }
        }
        Ok(out)
    }

    /// The erasures a space's log records, oldest first: who, when, what
    /// kinds, why (never what the records said).
    pub fn erasures(&self, space: &str) -> Result<Vec<ErasureRecord>> {
        let entries = self.stored_log(space)?;
        let sid = crate::sync::space_hex_id(space)?;
        let mine = self.own_devices()?;
        let kept = self.kept_erasure_notes(space)?;
        let mut out = Vec::new();
        for e in entries {
            let Action::Erase { epoch, note, .. } = &e.action else {
                continue;
            };
            let opened = self
                .epoch_key_of(space, *epoch)?
                .and_then(|k| open_note(&k, &sid, *epoch, note))
                .and_then(|b| serde_json::from_slice::<ErasureNote>(&b).ok())
                .or_else(|| {
                    kept.iter()
                        .find(|(seq, _)| *seq == e.seq)
                        .map(|(_, n)| n.clone())
                });
            let by = self
                .membership_of(space)?
                .and_then(|m| {
                    let member = m.members.get(&e.author)?;
                    self.member_label(space, &sid, &e.author, &member.sealed_label, m.epoch)
                })
                .map(|l| crate::names::display_name(&l, mine.contains(&e.author)).to_owned())
                .unwrap_or_else(|| "a device no longer in this space".into());
            // Sealed under a key this device never held (it joined
            // later): that it happened, and who made it, is all it knows.
            let (at, records, reason) = match opened {
                Some(n) => (n.at, n.kinds, n.reason),
                None => (String::new(), BTreeMap::new(), "before this device".into()),
            };
            out.push(ErasureRecord {
                by,
                at,
                records,
                reason,
            });
        }
        // Made here before the space was on a relay.
        for n in self.erasures_here(space)? {
            out.push(ErasureRecord {
                by: crate::names::display_name(&self.label(), true).to_owned(),
                at: n.at,
                records: n.kinds,
                reason: n.reason,
            });
        }
        out.sort_by(|a, b| a.at.cmp(&b.at));
        Ok(out)
    }
}

#[cfg(any(test, feature = "test-hooks"))]
impl Kindred {
    /// Test hook: true if `text` is anywhere this device can still read
    /// it: any space's whole document history (saved uncompressed), its
    /// sent envelopes (opened with whatever key is still held), held
    /// changes and quarantine records.
    pub fn holds_text_anywhere(&mut self, text: &str) -> Result<bool> {
        let needle = text.as_bytes();
        let has = |hay: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
        let ids: Vec<String> = self.spaces.iter().map(|s| s.id.clone()).collect();
        for id in ids {
            if has(&self.space_by_id(&id)?.doc.save_nocompress()) {
                return Ok(true);
            }
            for h in self.store.held(&id)? {
                if has(&h) {
                    return Ok(true);
                }
            }
            let tx = self.store.begin()?;
            let sent = tx.sent(&id, i64::MAX)?;
            drop(tx);
            for row in sent {
                let Ok(p) =
                    kindred_protocol::decode::<kindred_protocol::messages::Push>(&row.bytes)
                else {
                    continue;
                };
                for e in p.envelopes {
                    if let Some(k) = self.epoch_key_of(&id, e.epoch)?
                        && let Some(plain) = crate::crypto::open_change(&e, &k)
                    {
                        let mut doc = automerge::Automerge::new();
                        let _ = doc.load_incremental(&plain);
                        if has(&plain) || has(&doc.save_nocompress()) {
                            return Ok(true);
                        }
                    }
                }
            }
        }
        Ok(false)
    }
}
