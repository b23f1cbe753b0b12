//! Erasure epochs (issue 14): making a space start afresh, and following
//! when another device did.
//!
//! **Making one.** The device builds a copy of the space's current
//! records with no history ([`crate::space::replay::history_free`]),
//! seals it under a new epoch key as a snapshot covering every change the
//! relay holds, and sends it with a signed `Erase` entry in one request:
//! the relay appends the entry (compare-and-swap on the log head, bounds
//! checked against what it holds), keeps the snapshot and deletes every
//! earlier change, in one transaction. If another device's change or
//! entry got there first the relay refuses, and the device pulls, builds
//! again and retries.
//!
//! **Following one.** A device that pulls an `Erase` it has not started
//! from stops applying that page, fetches the fresh snapshot, checks it
//! (signed by one of the person's devices, under the new epoch or later,
//! naming everything the log's bounds name) and, in one local
//! transaction, replaces its copy of the document by it, replays its own
//! pending edits onto it ([`crate::space::replay::replay`]) and deletes
//! the old epochs' chunks, envelopes and keys. Then it empties the
//! write-ahead log. A crash before the commit leaves the old copy whole
//! (the next pull starts the same step again); after it, the new one.
//! Envelopes sealed before the erasure are refused from then on
//! ([`kindred_protocol::WriteRefused::BeforeErasure`]).

use kindred_protocol::messages::*;
use kindred_protocol::{Action, LogEntry, PROTOCOL_VERSION, Signature, decode};

use super::access::CoreAccess;
use super::engine::{Pass, space_id, state_bytes, transport_error};
use super::state::ErasureNote;
use crate::crypto::{open_snapshot, seal_note, seal_snapshot};
use crate::error::{Error, Result};
use crate::kindred::Kindred;
use crate::space::replay;
use crate::space::{SpaceKind, actor_for, untrusted};

/// Attempts at an erasure before giving up (each after a fresh pull).
const ERASE_ATTEMPTS: usize = 5;
/// Fresh starts followed in one pull before it stops (each needs another
/// erasure on the relay meanwhile).
pub(super) const REBASES_PER_PULL: usize = 3;

fn fresh_start_refused(why: &'static str) -> Error {
    Error::SnapshotRefused { why }
}

/// "1 change to a check-in you deleted was not kept", in plain words,
/// for the edits a fresh start could not keep.
pub(crate) fn dropped_in_words(
    dropped: &std::collections::BTreeMap<String, u64>,
    own: bool,
) -> Option<String> {
    let parts: Vec<String> = dropped
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(collection, n)| {
            let (one, many) = match collection.as_str() {
                "check_ins" => ("a check-in", "check-ins"),
                "goals" => ("a goal", "goals"),
                "contacts" => ("a contact", "contacts"),
                "contact_notes" => ("a note", "notes"),
                _ => ("a record", "records"),
            };
            let whose = if own {
                "you deleted"
            } else {
                "that was deleted"
            };
            let whose_many = if own {
                "you deleted"
            } else {
                "that were deleted"
            };
            if *n == 1 {
                format!("1 change to {one} {whose} was not kept")
            } else {
                format!("{n} changes to {many} {whose_many} were not kept")
            }
        })
        .collect();
    if parts.is_empty() {
        None
    } else {
        Some(parts.join("; "))
    }
}

/// The sealed `meta` row keeping a space's opened erasure notes whose
/// keys were deleted.
pub(crate) fn kept_notes_name(space: &str) -> String {
    format!("erasures/{space}")
}

impl Kindred {
    /// Erasure notes this device opened before their keys were deleted:
    /// (log position, note).
    pub(crate) fn kept_erasure_notes(&self, space: &str) -> Result<Vec<(u64, ErasureNote)>> {
        Ok(self
            .store
            .meta(&kept_notes_name(space))?
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default())
    }

    /// Replaces this device's copy of an erased space by the relay's fresh
    /// snapshot (in `page`, pulled from the start), replaying its pending
    /// edits; see the module docs.
    pub(super) fn install_fresh_start(&mut self, space: &str, page: &PullPage) -> Result<()> {
        let me = self.keys.device_key();
        let m = self.membership_of(space)?.ok_or(Error::Sync {
            what: "a space has no membership log yet",
        })?;
        let mut st = self.load_sync_state(space)?;
        let s = page.snapshot.as_ref().ok_or(Error::Sync {
            what: "the space was erased and started afresh, but the relay has no fresh start to give; try again later",
        })?;
        if s.epoch < m.base_epoch {
            return Err(fresh_start_refused(
                "it was made before the space was erased",
            ));
        }
        if s.device == me {
            if s.verify_signature().is_err() || s.space != m.space {
                return Err(fresh_start_refused("its signature does not verify"));
            }
        } else {
            self.check_snapshot(space, &m, &st, s, page)?;
        }
        let key = self.epoch_key_of(space, s.epoch)?.ok_or(Error::Sync {
            what: "this device does not hold the key of the space's fresh start",
        })?;
        let bytes = open_snapshot(s, &key).ok_or(Error::Sync {
            what: "the space's fresh start failed its checks",
        })?;
        let mut base = untrusted::load(&bytes).map_err(|_| Error::Sync {
            what: "the space's fresh start could not be read",
        })?;
        if !automerge::ReadDoc::get_missing_deps(&base, &[]).is_empty() {
            return Err(Error::Sync {
                what: "the space's fresh start is missing part of itself",
            });
        }
        base.set_actor(actor_for(&self.device.id));
        let (seq_b, prev_b) = s
            .heads
            .iter()
            .find(|h| h.device == me)
            .map_or((0, None), |h| (h.seq, Some(h.head)));

        // The erasure notes sealed under the keys about to go: kept here,
        // opened, so this device can still say what earlier erasures were.
        let mut kept = self.kept_erasure_notes(space)?;
        for e in self.stored_log(space)? {
            if let Action::Erase { epoch, note, .. } = &e.action
                && *epoch < m.base_epoch
                && !kept.iter().any(|(seq, _)| *seq == e.seq)
                && let Some(k) = self.epoch_key_of(space, *epoch)?
                && let Some(n) = crate::crypto::open_note(&k, &m.space, *epoch, note)
                    .and_then(|b| serde_json::from_slice::<ErasureNote>(&b).ok())
            {
                kept.push((e.seq, n));
            }
        }
        self.space_by_id(space)?;
        let tx = self.store.begin()?;
        let space_obj = self.loaded.get_mut(space).ok_or(Error::Document)?;
        let newer = tx.chunks_after(&space_obj.id, space_obj.kind.as_str(), space_obj.last_seq)?;
        space_obj.catch_up(newer)?;
        let own = space_obj.kind != SpaceKind::Shared;
        // What the fresh start already holds of ours: every envelope up to
        // our head in it, so the outbox rows they carried.
        let included = tx
            .sent(space, i64::MAX)?
            .iter()
            .filter_map(|r| {
                let p = decode::<Push>(&r.bytes).ok()?;
                p.envelopes
                    .iter()
                    .all(|e| e.seq <= seq_b)
                    .then_some(r.upto_local_seq)
            })
            .max()
            .unwrap_or(0);
        let pending: Vec<_> = tx
            .outbox(space, i64::MAX)?
            .into_iter()
            .filter(|r| r.local_seq > included)
            .collect();
        let refs: Vec<&[u8]> = pending.iter().map(|r| &r.bytes[..]).collect();
        let replayed = replay::replay(&space_obj.doc, &refs, &mut base, space_obj.kind.as_str())?;
        let snapshot = base.save();
        tx.put_meta(
            &kept_notes_name(space),
            &serde_json::to_vec(&kept).map_err(|_| Error::Document)?,
        )?;
        tx.start_afresh(space, &snapshot, Some(&replayed.change), m.base_epoch)?;
        st.cursor = s.covers;
        st.chain_heads = s
            .heads
            .iter()
            .map(|h| (h.device.to_hex(), h.seq, h.head.to_hex()))
            .collect();
        st.next_device_seq = seq_b + 1;
        st.last_sealed = prev_b.map(|h| h.to_hex());
        st.offered_upto = Some(seq_b);
        st.base_epoch = m.base_epoch;
        st.since_snapshot = 0;
        st.set_aside_at_log = None;
        st.seeded = true;
        st.created = true;
        if let Some(words) = dropped_in_words(&replayed.dropped, own) {
            st.notice = Some(words);
        }
        tx.put_sync_state(space, &state_bytes(&st)?)?;
        let committed = tx.commit();
        // Whatever happened, the copy in memory is the old one.
        self.loaded.remove(space);
        committed?;
        self.store.scrub();
        Ok(())
    }

    /// Builds the erasure of `space` against its current log head: the
    /// signed `Erase` entry and the fresh snapshot it starts from (see the
    /// module docs). Only one of the person's own owner devices may.
    pub(crate) fn build_erasure(&mut self, space: &str, note: &ErasureNote) -> Result<EraseSpace> {
        let sid = space_id(space)?;
        let me = self.keys.device_key();
        let m = self.membership_of(space)?.ok_or(Error::Sync {
            what: "a space has no membership log yet",
        })?;
        if !m.may_snapshot(&me, m.epoch) {
            return Err(Error::CannotErase);
        }
        let st = self.load_sync_state(space)?;
        let epoch = m.epoch + 1;
        let next = self.next_epoch_keys(space, &m, None)?;
        let actor = actor_for(&self.device.id);
        let doc = replay::history_free(&self.caught_up(space)?.doc, actor)?.save();
        let note = serde_json::to_vec(note).map_err(|_| Error::Document)?;
        let sealed_note = seal_note(&next.key, &sid, epoch, &note)?;
        let snapshot = seal_snapshot(
            &self.keys,
            sid,
            epoch,
            &next.key,
            st.cursor,
            next.bounds.clone(),
            &doc,
        )?;
        let mut entry = LogEntry {
            v: PROTOCOL_VERSION,
            space: sid,
            seq: m.len,
            prev: m.head,
            author: me,
            action: Action::Erase {
                epoch,
                keys: next.keys,
                bounds: next.bounds,
                confirm: next.confirm,
                note: sealed_note,
            },
            sig: Signature([0; 64]),
        };
        entry.sig = self.keys.sign(&entry.signing_bytes());
        Ok(EraseSpace {
            v: PROTOCOL_VERSION,
            entry,
            snapshot,
        })
    }

    /// Starts a space that is not on a relay afresh here, at once: its
    /// document is replaced by a copy with no history (nothing else holds
    /// a copy, so nothing needs a new key).
    pub(crate) fn start_afresh_locally(&mut self, space: &str) -> Result<()> {
        self.space_by_id(space)?;
        let keep_from = self.load_sync_state(space)?.epoch.max(1);
        let tx = self.store.begin()?;
        if tx.sync_created(space)? {
            return Err(Error::Sync {
                what: "the space is on the relay; it is erased there first",
            });
        }
        let s = self.loaded.get_mut(space).ok_or(Error::Document)?;
        let newer = tx.chunks_after(&s.id, s.kind.as_str(), s.last_seq)?;
        s.catch_up(newer)?;
        let fresh = replay::history_free(&s.doc, actor_for(&self.device.id))?.save();
        tx.start_afresh(space, &fresh, None, keep_from)?;
        let committed = tx.commit();
        self.loaded.remove(space);
        committed?;
        self.store.scrub();
        Ok(())
    }
}

impl<A: CoreAccess + ?Sized> Pass<'_, A> {
    /// Follows an erasure this device's copy has not started from yet:
    /// fetches the fresh snapshot (a pull from the start) and installs it.
    pub(super) fn follow_fresh_start(&self, token: &str, space: &str) -> Result<()> {
        let sid = space_id(space)?;
        // Our own erasure: the snapshot we sent is the fresh start.
        let own = self.core.with(|k| {
            let base = k.membership_of(space)?.map_or(0, |m| m.base_epoch);
            Ok(match k.own_fresh_start.take() {
                Some((s, snap)) if s == space && snap.epoch == base => Some(snap),
                _ => None,
            })
        })?;
        if let Some(snapshot) = own {
            let page = PullPage {
                v: PROTOCOL_VERSION,
                log: Vec::new(),
                snapshot: Some(snapshot),
                changes: Vec::new(),
                head_seq: 0,
                more: false,
                cursors: Vec::new(),
            };
            return self.core.with(|k| k.install_fresh_start(space, &page));
        }
        let page = self.t.pull(token, &sid, 0, 0, 1).map_err(transport_error)?;
        self.core.with(|k| k.install_fresh_start(space, &page))
    }

    /// Makes the erasure this device asked for (pending in its sync state)
    /// on the relay, retrying against a fresh head when another device's
    /// change or entry got there first. Then follows it like any device.
    pub(super) fn erase_pending(&self, token: &str, space: &str, kind: &str) -> Result<()> {
        let sid = space_id(space)?;
        for _ in 0..ERASE_ATTEMPTS {
            let Some(note) = self.state(space)?.erase_pending else {
                return Ok(());
            };
            self.push_pending(token, space)?;
            self.pull_all(token, space, kind, &mut |_| {})?;
            let body = self.core.with(|k| k.build_erasure(space, &note))?;
            match self.t.erase(token, &sid, &body) {
                Ok(_) => {
                    let snapshot = body.snapshot.clone();
                    self.core.with(|k| {
                        k.own_fresh_start = Some((space.to_owned(), snapshot));
                        k.update_sync_state(space, |st| st.erase_pending = None)
                    })?;
                    self.pull_all(token, space, kind, &mut |_| {})?;
                    return Ok(());
                }
                Err(e) if e.code() == Some(ErrorCode::StaleHead) => continue,
                Err(e) => return Err(transport_error(e)),
            }
        }
        Err(Error::Sync {
            what: "the space kept changing while it was being erased; it is tried again on the next sync",
        })
    }
}
