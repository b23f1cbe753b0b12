//! Pulling: ask the relay for a page with nothing held, then verify and
//! apply it in one short locked step that reads the sync state afresh
//! (a page another step already applied is skipped, entry by entry and
//! change by change, so nothing is applied twice).

use kindred_protocol::messages::*;
use kindred_protocol::{
    Action, ChainStep, ChangeEnvelope, DeviceKey, Membership, PROTOCOL_VERSION, SnapshotEnvelope,
    VerifyError, chain_step, encode, key_confirms,
};

use super::access::CoreAccess;
use super::engine::{
    Pass, PullProgress, epoch_key_name, now, space_id, state_bytes, transport_error,
};
use super::pin::check_pin;
use super::state::{Peer, SyncState};
use crate::crypto::{EpochKey, open_change, open_snapshot};
use crate::error::{Error, JoinMismatch, Result};
use crate::kindred::Kindred;
use crate::space::Space;
use crate::space::guard;
use crate::space::untrusted::{self, Refused};
use crate::store::{ChunkKind, StoreTx};

/// Above this many changes in a page that released changes automerge held
/// back, re-read every record instead of asking the patch log (its paths
/// cost more per change than a whole pass at this size).
const REINDEX_ALL_AFTER: usize = 64;
/// Changes asked for per pull page.
pub(super) const PULL_PAGE: u32 = 1000;

/// What pulling did.
#[derive(Debug, Default)]
pub(crate) struct Pulled {
    /// Changes from other devices applied here.
    pub applied: u64,
    /// Envelopes that failed their checks and were set aside.
    pub quarantined: u64,
    /// The signed log removes this device.
    pub removed: bool,
    /// The log shows an erasure this device's copy has not started from:
    /// nothing of the page past the log was applied (see `rebase.rs`).
    pub fresh_start: bool,
    /// Outbox changes the exchange's acknowledgements cleared (recorded
    /// with the page).
    pub acked_changes: u64,
}

/// What an exchange's push and acknowledgement leave to record, in the
/// same local transaction as the page it brought.
pub(super) struct ExchangeDone<'a> {
    /// The relay's acknowledgements of the envelopes sent (checked by
    /// `Kindred::check_acks`).
    pub acks: &'a [Ack],
    pub sent: &'a [ChangeEnvelope],
    /// The cursor the exchange acknowledged, if it did.
    pub acked: Option<u64>,
}

/// Records `done` in `tx` and `st`; how many outbox changes it cleared.
fn record_done(
    tx: &StoreTx<'_>,
    space: &str,
    st: &mut SyncState,
    me: DeviceKey,
    done: Option<&ExchangeDone<'_>>,
) -> Result<u64> {
    let Some(d) = done else { return Ok(0) };
    let mut changes = 0;
    if !d.acks.is_empty() {
        changes = super::push::record_acks_in(tx, space, st, me, d.acks, d.sent)?;
    }
    if let Some(a) = d.acked {
        st.acked = Some(st.acked.map_or(a, |b| b.max(a)));
    }
    Ok(changes)
}

/// An envelope's opened bytes, or why it was set aside.
type Checked = std::result::Result<zeroize::Zeroizing<Vec<u8>>, String>;

pub(super) fn bad_log() -> Error {
    Error::Sync {
        what: "the relay sent a membership entry that does not verify; nothing was applied",
    }
}

/// `key`, if it is the key the entry that started `epoch` confirmed; a
/// typed error otherwise, and the key is not used.
fn confirmed(m: &Membership, epoch: u32, key: EpochKey) -> Result<EpochKey> {
    match m.confirms.get(&epoch) {
        Some(c) if key_confirms(key.0.as_ref(), &m.space, epoch, c) => Ok(key),
        _ => Err(Error::KeyMismatch { epoch }),
    }
}

fn refused(why: &'static str) -> Error {
    Error::SnapshotRefused { why }
}

/// How many automerge changes an envelope carried: its chunks, counted by
/// their headers (magic, checksum, type, LEB128 length). At least one: the
/// count is for people ("received 3 changes"), never for a decision.
pub(crate) fn changes_in(bytes: &[u8]) -> u64 {
    const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
    let mut n = 0u64;
    let mut rest = bytes;
    while rest.len() > 9 && rest[..4] == MAGIC {
        let (mut len, mut shift, mut i) = (0u64, 0u32, 9usize);
        loop {
            let Some(b) = rest.get(i) else {
                return n.max(1);
            };
            len |= u64::from(b & 0x7f) << shift;
            i += 1;
            if b & 0x80 == 0 {
                break;
            }
            shift += 7;
            if shift > 56 {
                return n.max(1);
            }
        }
        let Some(end) = usize::try_from(len).ok().and_then(|l| i.checked_add(l)) else {
            break;
        };
        if end > rest.len() {
            break;
        }
        n += 1;
        rest = &rest[end..];
    }
    n.max(1)
}

/// Reads again into the index the records a page's applied changes
/// touched. From the changes' own operations (`space::touched`), whose
/// cost follows the page, not the space; from automerge's patch log when
/// changes it held back applied along the way (only the log saw them),
/// for a page too long to be worth it, or when the operations cannot be
/// read plainly.
fn reread(space_obj: &mut Space, queued: bool, applied: &[&[u8]], log: &mut automerge::PatchLog) {
    use crate::space::touched::{Reread, records_touched};
    if !queued {
        match records_touched(&space_obj.doc, applied) {
            Reread::Records(t) => return space_obj.reindex(&t),
            Reread::All => return space_obj.reindex_all(),
        }
    }
    if applied.len() > REINDEX_ALL_AFTER {
        return space_obj.reindex_all();
    }
    match untrusted::make_patches(&mut space_obj.doc, log) {
        Some(patches) => space_obj.reindex_patches(patches),
        None => space_obj.reindex_all(),
    }
}

/// Rebuilds a document a panicking change interrupted: what is committed,
/// the held changes, then this page's snapshot and the changes that
/// applied before the panic. Everything here already loaded once without
/// panicking, in this order.
fn rebuild(
    tx: &StoreTx<'_>,
    space_obj: &mut Space,
    snapshot: Option<&[u8]>,
    applied: &[&[u8]],
) -> Result<()> {
    let chunks = tx.chunks_after(&space_obj.id, space_obj.kind.as_str(), 0)?;
    let actor = space_obj.doc.get_actor().clone();
    let mut fresh = Space::load(space_obj.id.clone(), space_obj.kind.clone(), chunks, actor)?;
    let held = tx.held(&space_obj.id)?;
    let again = Error::Sync {
        what: "the space could not be read again after a change that made the document reader fail",
    };
    for b in held
        .iter()
        .map(|h| &h[..])
        .chain(snapshot)
        .chain(applied.iter().copied())
    {
        if untrusted::load_incremental(&mut fresh.doc, b) == Err(Refused::Panicked) {
            return Err(again);
        }
    }
    *space_obj = fresh;
    Ok(())
}

/// Stores verified log entries and the epoch keys they gave this device.
fn keep_log(
    tx: &StoreTx<'_>,
    space: &str,
    entries: &[kindred_protocol::LogEntry],
    keys: &[(u32, EpochKey)],
) -> Result<()> {
    for e in entries {
        tx.put_log_entry(
            space,
            e.seq as i64,
            &encode(&AppendLog {
                v: PROTOCOL_VERSION,
                entry: e.clone(),
            }),
        )?;
    }
    for (epoch, k) in keys {
        tx.put_key(&epoch_key_name(space, *epoch), k.0.as_ref())?;
    }
    Ok(())
}

impl Kindred {
    /// Checks a snapshot before it is opened: signed, from one of the
    /// owner's devices (in a share this device's person started, one of
    /// her devices), and its list of what it includes agrees with the log's
    /// bounds, with what this device holds, and with the changes after it.
    pub(super) fn check_snapshot(
        &self,
        space: &str,
        m: &Membership,
        st: &super::state::SyncState,
        s: &SnapshotEnvelope,
        page: &PullPage,
    ) -> Result<()> {
        let me = self.keys.device_key();
        if s.verify_signature().is_err() || s.space != m.space {
            return Err(refused("its signature does not verify"));
        }
        if !m.may_snapshot(&s.device, s.epoch) {
            return Err(refused(
                "it was not made by one of the space owner's devices",
            ));
        }
        let mine = self.own_devices()?;
        let ours = mine.iter().any(|d| *d != me && m.person.contains(d));
        if ours && !mine.contains(&s.device) {
            return Err(refused("it was not made by one of your own devices"));
        }
        let claim = |d: &kindred_protocol::DeviceKey| s.heads.iter().find(|h| h.device == *d);
        let covers = |d, seq: u64, head| match claim(d) {
            Some(c) if c.seq > seq => true,
            Some(c) => c.seq == seq && c.head == head,
            None => seq == 0,
        };
        // What this device already holds from others it must include.
        let held = st.heads();
        if !held
            .iter()
            .filter(|h| h.device != me)
            .all(|h| covers(&h.device, h.seq, h.head))
        {
            return Err(refused(
                "it leaves out changes this device already has, or names different ones",
            ));
        }
        // Everything the log's bounds name for epochs before its own.
        for (ended, bounds) in m.bounds.range(..s.epoch) {
            let _ = ended;
            if !bounds.iter().all(|(d, (seq, head))| covers(d, *seq, *head)) {
                return Err(refused(
                    "its record of what it includes disagrees with the space's membership log",
                ));
            }
        }
        // The changes that follow it must continue the chains it names.
        let mut checked = std::collections::BTreeSet::new();
        for c in page.changes.iter().filter(|c| c.server_seq > s.covers) {
            let e = &c.envelope;
            if !checked.insert(e.device) || e.verify_signature().is_err() {
                continue;
            }
            if let Some(h) = claim(&e.device)
                && e.seq == h.seq + 1
                && e.prev != h.head
            {
                return Err(refused(
                    "its record of what it includes does not match the changes that follow it",
                ));
            }
        }
        let _ = space;
        Ok(())
    }

    /// Verifies one pulled page and applies it in one local transaction:
    /// membership entries, keys, the snapshot and the changes, the cursor.
    /// Reads the sync state afresh, so what is already applied is skipped.
    pub(super) fn apply_page(&mut self, space: &str, page: &PullPage) -> Result<Pulled> {
        self.apply_page_with(space, page, None)
    }

    /// [`Kindred::apply_page`], recording in the same local transaction
    /// what the exchange that brought the page pushed and acknowledged
    /// (one commit for the whole round trip). On an error nothing of it is
    /// recorded; the caller records it on its own.
    pub(super) fn apply_page_with(
        &mut self,
        space: &str,
        page: &PullPage,
        done: Option<&ExchangeDone<'_>>,
    ) -> Result<Pulled> {
        let sid = space_id(space)?;
        let me = self.keys.device_key();
        let mut st = self.load_sync_state(space)?;
        let st = &mut st;
        let (mut applied, mut quarantined) = (0u64, 0u64);
        let mut removed = false;
        // 1. Membership: verify every new entry against what we hold.
        let mut membership = self.membership_of(space)?;
        let mut new_entries = Vec::new();
        let mut new_keys: Vec<(u32, EpochKey)> = Vec::new();
        // A space joined by pairing or an invite, not yet verified: the
        // log must be the one the inviting device saw.
        let pin = st.pin.clone().filter(|_| st.log_len == 0);
        if let Some(pin) = &pin {
            check_pin(pin, &sid, &me, &page.log)?;
        }
        for e in page.log.iter().filter(|e| e.seq >= st.log_len) {
            match membership.as_mut() {
                None => {
                    let m = Membership::genesis(e).map_err(|err| match err {
                        VerifyError::SpaceIdMismatch => Error::JoinMismatch {
                            what: JoinMismatch::OtherSpace,
                        },
                        _ => bad_log(),
                    })?;
                    if m.space != sid {
                        return Err(Error::JoinMismatch {
                            what: JoinMismatch::OtherSpace,
                        });
                    }
                    membership = Some(m);
                }
                Some(m) => m.apply(e).map_err(|_| bad_log())?,
            }
            let m = membership.as_ref().ok_or_else(bad_log)?;
            // Every key this device unwraps is checked against its epoch's
            // confirmation before anything is sealed or opened with it.
            match &e.action {
                Action::Genesis { owner, key, .. } if owner.device == me => {
                    new_keys.push((1, confirmed(m, 1, self.keys.unwrap(&sid, 1, key)?)?));
                }
                Action::AddDevice { member, epoch, key } if member.device == me => {
                    let k = self.keys.unwrap(&sid, *epoch, key)?;
                    new_keys.push((*epoch, confirmed(m, *epoch, k)?));
                }
                Action::RemoveDevice { device, .. } if *device == me => removed = true,
                Action::RemoveDevice { epoch, keys, .. }
                | Action::Rotate { epoch, keys, .. }
                | Action::Erase { epoch, keys, .. }
                | Action::SetRole { epoch, keys, .. } => {
                    if let Some(k) = keys.iter().find(|k| k.device == me) {
                        let k = self.keys.unwrap(&sid, *epoch, &k.key)?;
                        new_keys.push((*epoch, confirmed(m, *epoch, k)?));
                    }
                }
                _ => {}
            }
            new_entries.push(e.clone());
        }
        let Some(membership) = membership else {
            return Err(bad_log());
        };
        // The space was erased and started afresh since this copy began:
        // keep the log and its keys, apply nothing else of the page (its
        // changes build on the fresh start, or were erased), and let the
        // pass fetch the fresh start (`rebase.rs`).
        if membership.base_epoch > st.base_epoch.max(1) && !removed {
            let tx = self.store.begin()?;
            let acked_changes = record_done(&tx, space, st, me, done)?;
            keep_log(&tx, space, &new_entries, &new_keys)?;
            st.log_len += new_entries.len() as u64;
            if pin.is_some() {
                st.pin = None;
            }
            st.epoch = membership.epoch;
            tx.put_sync_state(space, &state_bytes(st)?)?;
            tx.commit()?;
            return Ok(Pulled {
                fresh_start: true,
                acked_changes,
                ..Pulled::default()
            });
        }
        let key_for = |kindred: &Kindred,
                       epoch: u32,
                       fresh: &[(u32, EpochKey)]|
         -> Result<Option<EpochKey>> {
            if let Some((_, k)) = fresh.iter().find(|(e, _)| *e == epoch) {
                return Ok(EpochKey::from_slice(k.0.as_ref()));
            }
            kindred.epoch_key_of(space, epoch)
        };
        // 2. Snapshot and changes, applied in one local transaction.
        let mut decoded: Vec<(u64, Checked)> = Vec::new();
        // Changes by devices that are not the person's own, in a shared
        // space: checked against what only the person may change
        // (`space::guard`) as they apply.
        let mut not_person: std::collections::HashSet<u64> = std::collections::HashSet::new();
        let mut snapshot_bytes = None;
        let mut cursor = st.cursor;
        // A snapshot helps when it covers more than we have, or when we
        // have nothing yet (the first snapshot of a space covers 0
        // changes but holds the whole document). Our own we already have.
        let first_pull = st.log_len == 0;
        if let Some(s) = &page.snapshot
            && (s.covers > cursor || (cursor == 0 && first_pull))
            && s.device != me
        {
            self.check_snapshot(space, &membership, st, s, page)?;
            let key = key_for(self, s.epoch, &new_keys)?;
            match key.and_then(|k| open_snapshot(s, &k)) {
                Some(b) => {
                    snapshot_bytes = Some(b);
                    cursor = s.covers;
                    for h in &s.heads {
                        st.raise_head(h.device, h.seq, h.head);
                    }
                }
                None => {
                    return Err(Error::Sync {
                        what: "the space's snapshot failed its checks",
                    });
                }
            }
        }
        let start = cursor;
        for c in page.changes.iter().filter(|c| c.server_seq > start) {
            cursor = c.server_seq;
            let e = &c.envelope;
            if e.device == me {
                // Our own change, already here, unless this store never
                // sealed it: restored from a backup taken before it was
                // sent. Applying the page would skip it for good; stop, and
                // say what to do (nothing is written).
                if e.seq >= st.next_device_seq {
                    return Err(self.restored(space));
                }
                continue;
            }
            // Signature, space, who may write under its epoch (role,
            // membership, removal bounds), its device's chain, its key.
            let checked = if e.verify_signature().is_err() {
                Err("its signature does not verify (changed on the way)".to_owned())
            } else if e.space != sid {
                Err("it belongs to another space".to_owned())
            } else if let Err(why) = membership.check_write(e) {
                Err(why.to_string())
            } else {
                match chain_step(e, st.head_of(&e.device)) {
                    // Already here (a snapshot included it): nothing to merge.
                    Ok(ChainStep::Seen) => continue,
                    Err(why) => Err(why.to_string()),
                    Ok(ChainStep::Next) => {
                        st.raise_head(e.device, e.seq, e.hash());
                        match key_for(self, e.epoch, &new_keys)? {
                            None => Err("this device has no key for its key period".to_owned()),
                            Some(k) => {
                                open_change(e, &k).ok_or_else(|| "it does not decrypt".to_owned())
                            }
                        }
                    }
                }
            };
            if !membership.person.contains(&e.device) {
                not_person.insert(c.server_seq);
            }
            decoded.push((c.server_seq, checked));
        }
        let peers: Vec<Peer> = page
            .cursors
            .iter()
            .filter(|c| c.device != me)
            .map(|c| Peer {
                device: c.device.to_hex(),
                label: membership
                    .members
                    .get(&c.device)
                    .and_then(|m| {
                        let k = key_for(self, membership.epoch, &new_keys).ok().flatten()?;
                        crate::crypto::open_label(&k, &sid, &c.device, &m.sealed_label)
                    })
                    .unwrap_or_else(|| "another device".into()),
                cursor: c.server_seq,
            })
            .collect();

        self.space_by_id(space)?;
        let tx = self.store.begin()?;
        let space_obj = self.loaded.get_mut(space).ok_or(Error::Document)?;
        let newer = tx.chunks_after(&space_obj.id, space_obj.kind.as_str(), space_obj.last_seq)?;
        space_obj.catch_up(newer)?;
        let heads = space_obj.doc.get_heads();
        if let Some(b) = &snapshot_bytes
            && untrusted::load_incremental(&mut space_obj.doc, b).is_err()
        {
            // The document may be half-changed: read it afresh next time.
            drop(tx);
            self.loaded.remove(space);
            return Err(Error::Sync {
                what: "the space's snapshot could not be read",
            });
        }
        // Changes automerge held back for a missing change: when that
        // arrives they apply inside a later load, which only the patch log
        // sees.
        let mut queued = !automerge::ReadDoc::get_missing_deps(&space_obj.doc, &[]).is_empty();
        let mut waiting = Vec::new();
        // What the changes touch, logged as they apply: re-reading only
        // those records then costs as much as the changes, where a diff
        // between heads walks the whole document.
        let mut touched = automerge::PatchLog::active();
        // Set when a panic interrupted a change: the patch log no longer
        // matches the document, so every record is read again.
        let mut rebuilt = false;
        let mut applied_bytes: Vec<&[u8]> = Vec::new();
        let guarded = space_obj.kind == crate::space::SpaceKind::Shared;
        // The person-only objects, read again after a change of the
        // person's applies (it may have made new ones).
        let mut owned: Option<std::collections::HashSet<String>> = None;
        // Several changes, none held back before and none needing the
        // person-only check: one load for the page (`untrusted::apply_batch`
        // says why that hides no bad envelope). Else, or if it fails, one
        // by one.
        let mut batched = false;
        let opened: Vec<&[u8]> = decoded
            .iter()
            .filter_map(|(_, r)| r.as_ref().ok().map(|b| &b[..]))
            .collect();
        let all_trusted = !guarded || not_person.is_empty();
        if opened.len() > 1 && !queued && all_trusted {
            match untrusted::apply_batch(&mut space_obj.doc, &opened, &mut touched) {
                untrusted::Batch::Applied => {
                    batched = true;
                    for bytes in &opened {
                        applied += changes_in(bytes);
                        applied_bytes.push(bytes);
                    }
                }
                untrusted::Batch::NotTried => {}
                untrusted::Batch::Failed => {
                    if let Err(e) =
                        rebuild(&tx, space_obj, snapshot_bytes.as_ref().map(|b| &b[..]), &[])
                    {
                        drop(tx);
                        self.loaded.remove(space);
                        return Err(e);
                    }
                    touched = automerge::PatchLog::active();
                }
            }
        }
        for (seq, result) in &decoded {
            let reason = match result {
                Ok(_) if batched => None,
                Ok(bytes)
                    if guarded
                        && not_person.contains(seq)
                        && guard::touches_person_only(
                            &space_obj.doc,
                            owned.get_or_insert_with(|| guard::person_only_objects(&space_obj.doc)),
                            bytes,
                        ) =>
                {
                    Some(guard::PERSON_ONLY_REASON.to_owned())
                }
                Ok(bytes) => {
                    if guarded && !not_person.contains(seq) {
                        owned = None;
                    }
                    let before = space_obj.doc.get_heads();
                    match untrusted::apply_change(&mut space_obj.doc, bytes, &mut touched) {
                        Ok(()) => {
                            applied += changes_in(bytes);
                            applied_bytes.push(bytes);
                            if space_obj.doc.get_heads() == before
                                && !automerge::ReadDoc::get_missing_deps(&space_obj.doc, &[])
                                    .is_empty()
                            {
                                waiting.push((*seq, bytes));
                                queued = true;
                            }
                            None
                        }
                        Err(Refused::Panicked) => {
                            let again = rebuild(
                                &tx,
                                space_obj,
                                snapshot_bytes.as_ref().map(|b| &b[..]),
                                &applied_bytes,
                            );
                            if let Err(e) = again {
                                drop(tx);
                                self.loaded.remove(space);
                                return Err(e);
                            }
                            touched = automerge::PatchLog::active();
                            rebuilt = true;
                            Some(Refused::Panicked.reason().to_owned())
                        }
                        Err(r) => Some(r.reason().to_owned()),
                    }
                }
                Err(r) => Some(r.clone()),
            };
            if let Some(reason) = reason {
                let reason = format!("a change was set aside: {reason}");
                quarantined += 1;
                tx.quarantine(space, *seq as i64, reason.as_bytes())?;
            }
        }
        // Changes that build on one we do not have (say, a quarantined
        // one) wait in automerge's queue; keep them on disk so they are
        // not lost, and apply them when what they need arrives.
        if automerge::ReadDoc::get_missing_deps(&space_obj.doc, &[]).is_empty() {
            tx.clear_held(space)?;
        } else {
            for (seq, bytes) in waiting {
                tx.hold(space, seq as i64, bytes)?;
            }
        }
        let bytes = space_obj.doc.save_after(&heads);
        let mut chunk_seq = None;
        if !bytes.is_empty() {
            chunk_seq = Some(tx.append_chunk(space, ChunkKind::Changes, &bytes)?);
        }
        keep_log(&tx, space, &new_entries, &new_keys)?;
        let acked_changes = record_done(&tx, space, st, me, done)?;
        st.cursor = cursor.max(st.cursor);
        st.log_len += new_entries.len() as u64;
        if pin.is_some() {
            st.pin = None; // verified: from here on the chain itself holds
        }
        st.epoch = membership.epoch;
        st.since_snapshot += decoded.len() as u64;
        st.peers = peers;
        st.last_pull_at = Some(now());
        if removed {
            st.removed = true;
        }
        tx.put_sync_state(space, &state_bytes(st)?)?;
        match tx.commit() {
            Ok(()) => {
                if let Some(seq) = chunk_seq {
                    space_obj.last_seq = seq;
                    space_obj.chunks_since_snapshot += 1;
                }
                if !decoded.is_empty() || snapshot_bytes.is_some() {
                    space_obj.read_only = space_obj.schema() > crate::space::SCHEMA_VERSION;
                    // Changes: re-read what they touched. A snapshot (or
                    // a rebuilt document): one pass over all records.
                    if rebuilt || snapshot_bytes.is_some() {
                        space_obj.reindex_all();
                    } else {
                        reread(space_obj, queued, &applied_bytes, &mut touched);
                    }
                }
            }
            Err(e) => {
                self.loaded.remove(space);
                return Err(e);
            }
        }
        Ok(Pulled {
            applied,
            quarantined,
            removed,
            fresh_start: false,
            acked_changes,
        })
    }

    /// Verifies log entries the relay sent against what this device holds;
    /// true if they remove this device. Then they are kept, so the removal
    /// (who, and whether the person called this device lost) can be read
    /// from the stored log like any other.
    fn log_removes_me(
        &mut self,
        space: &str,
        entries: &[kindred_protocol::LogEntry],
    ) -> Result<bool> {
        let me = self.keys.device_key();
        let log_len = self.load_sync_state(space)?.log_len;
        let mut membership = self.membership_of(space)?;
        let new: Vec<kindred_protocol::LogEntry> = entries
            .iter()
            .filter(|e| e.seq >= log_len)
            .cloned()
            .collect();
        for e in &new {
            let ok = match membership.as_mut() {
                None => Membership::genesis(e).map(|m| membership = Some(m)).is_ok(),
                Some(m) => m.apply(e).is_ok(),
            };
            if !ok {
                return Ok(false);
            }
        }
        if !membership.is_some_and(|m| m.removed.contains(&me)) {
            return Ok(false);
        }
        let mut st = self.load_sync_state(space)?;
        st.log_len += new.len() as u64;
        let tx = self.store.begin()?;
        keep_log(&tx, space, &new, &[])?;
        tx.put_sync_state(space, &state_bytes(&st)?)?;
        tx.commit()?;
        Ok(true)
    }
}

impl<A: CoreAccess + ?Sized> Pass<'_, A> {
    /// Pulls pages until the relay has nothing newer.
    pub(super) fn pull_all(
        &self,
        token: &str,
        space: &str,
        kind: &str,
        progress: &mut dyn FnMut(&PullProgress),
    ) -> Result<Pulled> {
        let sid = space_id(space)?;
        let mut out = Pulled::default();
        self.core.with(|k| k.check_not_restored(space))?;
        let first_cursor = self.state(space)?.cursor;
        let mut total = None;
        let mut fresh_starts = 0;
        loop {
            let st = self.state(space)?;
            let page = match self.t.pull(token, &sid, st.cursor, st.log_len, PULL_PAGE) {
                Ok(p) => p,
                Err(e) if e.code() == Some(ErrorCode::Removed) => {
                    // The relay's word is not enough to wipe anything: the
                    // signed log must show this device's removal.
                    let log = self
                        .t
                        .log(token, &sid, st.log_len)
                        .map_err(transport_error)?;
                    if self.core.with(|k| k.log_removes_me(space, &log.entries))? {
                        out.removed = true;
                        return Ok(out);
                    }
                    return Err(Error::Sync {
                        what: "the server says this device was removed, but the space's signed log does not show it; nothing was deleted",
                    });
                }
                Err(e) => return Err(transport_error(e)),
            };
            let p = self.core.with(|k| k.apply_page(space, &page))?;
            if p.fresh_start {
                fresh_starts += 1;
                if fresh_starts > super::rebase::REBASES_PER_PULL {
                    return Err(Error::Sync {
                        what: "the space was erased several times while this device caught up; it is tried again on the next sync",
                    });
                }
                self.follow_fresh_start(token, space)?;
                continue;
            }
            out.applied += p.applied;
            out.quarantined += p.quarantined;
            out.removed |= p.removed;
            let cursor = self.state(space)?.cursor;
            let total = *total.get_or_insert(page.head_seq.saturating_sub(first_cursor));
            progress(&PullProgress {
                kind: kind.to_owned(),
                done: cursor.saturating_sub(first_cursor).min(total),
                total,
            });
            if !page.more || out.removed {
                return Ok(out);
            }
        }
    }
}
