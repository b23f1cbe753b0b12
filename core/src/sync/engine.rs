//! One sync pass: for each space, create it on the relay if needed, push
//! pending changes, pull and apply what others wrote, acknowledge, and now
//! and then upload a snapshot.
//!
//! A pass ([`Pass`]) reaches the core through [`CoreAccess`] in short
//! steps and talks to the relay between them with nothing held (see
//! `access.rs`). Every locked step reads the sync state afresh from the
//! store and saves it in the same transaction as what it changes, so a
//! step never undoes what another (or a local write) did meanwhile.
//! Pushing lives in `push.rs`, pulling in `pull.rs`.

use std::time::{Duration, Instant};

use kindred_protocol::messages::*;
use kindred_protocol::{
    Action, DeviceKey, Hash, LogEntry, Member, Membership, PROTOCOL_VERSION, Role, Signature,
    SpaceId, decode, encode,
};
use serde::Serialize;
use time::OffsetDateTime;

use super::Session;
use super::access::{CoreAccess, Exclusive};
use super::state::{SeenBy, SyncState, SyncStatus};
use super::transport::{Transport, TransportError};
use crate::crypto::{EpochKey, seal_snapshot, wrap_epoch_key};
use crate::error::{Error, Result};
use crate::kindred::Kindred;
use crate::model::format_time;
use crate::space::SpaceKind;

/// Upload a snapshot after this many changes applied or pushed.
const SNAPSHOT_EVERY: u64 = 300;

/// What one sync pass did for one space.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SpaceSync {
    pub kind: String,
    /// The space's id.
    pub space: String,
    /// Changes (local edits) of this device the relay acknowledged.
    pub pushed: u64,
    /// The envelopes that carried them (several changes travel in one).
    pub envelopes: u64,
    /// Changes from other devices applied here.
    pub pulled: u64,
    /// Envelopes that failed their checks and were set aside.
    pub quarantined: u64,
    /// Changes of this device the relay refused for good, set aside.
    pub refused: u64,
    /// This device was removed from the space; its copy here was wiped.
    pub removed: bool,
    /// The space's first sync sent everything in it so far (as one sealed
    /// snapshot, so not counted in `pushed`).
    pub sent_all: bool,
}

/// How far a long pull has come, reported after each applied page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PullProgress {
    /// The space's kind ("personal", "caseload", ...).
    pub kind: String,
    /// Changes received in this pass so far (ours and others').
    pub done: u64,
    /// Changes there were to receive when the pass began.
    pub total: u64,
}

/// A space that did not sync in a pass, and why. Nothing of it was
/// changed beyond what the pass had applied before the failure (each step
/// is its own transaction); the next pass tries again.
#[derive(Debug)]
pub struct SpaceFailure {
    pub kind: String,
    /// The space's id.
    pub space: String,
    pub error: Error,
}

impl Serialize for SpaceFailure {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("SpaceFailure", 3)?;
        st.serialize_field("kind", &self.kind)?;
        st.serialize_field("space", &self.space)?;
        st.serialize_field("error", &self.error.to_string())?;
        st.end()
    }
}

/// What one sync pass did: every space that synced, and every space that
/// failed with its reason (one space failing does not stop the others).
#[derive(Debug, Default, Serialize)]
pub struct SyncReport {
    pub spaces: Vec<SpaceSync>,
    pub failed: Vec<SpaceFailure>,
}

impl SyncReport {
    /// True if every space synced.
    pub fn all_synced(&self) -> bool {
        self.failed.is_empty()
    }

    /// Changes of this device the relay acknowledged, over all spaces.
    pub fn sent(&self) -> u64 {
        self.spaces.iter().map(|s| s.pushed).sum()
    }

    /// Changes from other devices applied here, over all spaces.
    pub fn received(&self) -> u64 {
        self.spaces.iter().map(|s| s.pulled).sum()
    }
}

pub(super) fn now() -> String {
    format_time(OffsetDateTime::now_utc())
}

pub(crate) fn transport_error(e: TransportError) -> Error {
    match e {
        TransportError::Unreachable => Error::Unreachable,
        TransportError::Rejected { code, message, .. } => Error::Refused {
            code: format!("{code:?}"),
            message,
        },
        TransportError::BadAnswer(_) => Error::Sync {
            what: "the server's answer could not be read",
        },
        TransportError::Address(a) => Error::RelayAddress(a),
    }
}

pub(super) fn epoch_key_name(space: &str, epoch: u32) -> String {
    format!("epoch/{space}/{epoch}")
}

pub(crate) fn space_id(hex: &str) -> Result<SpaceId> {
    SpaceId::from_hex(hex).ok_or(Error::Sync {
        what: "a space id is not in the form the relay expects",
    })
}

/// The sync state as one JSON blob (sealed by the store).
pub(super) fn state_bytes(st: &SyncState) -> Result<Vec<u8>> {
    serde_json::to_vec(st).map_err(|_| Error::Document)
}

impl Kindred {
    pub(crate) fn load_sync_state(&self, space: &str) -> Result<SyncState> {
        match self.store.sync_state(space)? {
            None => Ok(SyncState {
                next_device_seq: 1,
                ..Default::default()
            }),
            Some(b) => serde_json::from_slice(&b).map_err(|_| Error::Damaged {
                space: space.to_owned(),
                what: "the sync state could not be read".into(),
            }),
        }
    }

    /// Reads the sync state, changes it with `f` and saves it, in one
    /// local transaction (none if `f` changed nothing).
    pub(crate) fn update_sync_state<T>(
        &mut self,
        space: &str,
        f: impl FnOnce(&mut SyncState) -> T,
    ) -> Result<T> {
        let mut st = self.load_sync_state(space)?;
        let before = state_bytes(&st)?;
        let out = f(&mut st);
        let after = state_bytes(&st)?;
        // Unchanged (the usual case for a sync's bookkeeping): no commit,
        // so no wait for the disk.
        if *after != *before {
            let tx = self.store.begin()?;
            tx.put_sync_state(space, &after)?;
            tx.commit()?;
        }
        Ok(out)
    }

    pub(crate) fn epoch_key_of(&self, space: &str, epoch: u32) -> Result<Option<EpochKey>> {
        Ok(self
            .store
            .key(&epoch_key_name(space, epoch))?
            .and_then(|k| EpochKey::from_slice(&k)))
    }

    /// The space's stored log entries that decode, in order (for reading
    /// what entries say; `membership_of` verifies them).
    pub(crate) fn stored_log(&self, space: &str) -> Result<Vec<LogEntry>> {
        Ok(self
            .store
            .log_entries(space)?
            .iter()
            .filter_map(|b| decode::<AppendLog>(b).ok().map(|a| a.entry))
            .collect())
    }

    /// A space caught up with what other writers of the store appended
    /// since it was loaded.
    pub(crate) fn caught_up(&mut self, space: &str) -> Result<&mut crate::space::Space> {
        self.space_by_id(space)?;
        let tx = self.store.begin()?;
        let s = self.loaded.get_mut(space).ok_or(Error::Document)?;
        let newer = tx.chunks_after(&s.id, s.kind.as_str(), s.last_seq)?;
        s.catch_up(newer)?;
        drop(tx);
        Ok(s)
    }

    pub(crate) fn membership_of(&self, space: &str) -> Result<Option<Membership>> {
        let stored = self.store.log_entries(space)?;
        let mut digest = ring::digest::Context::new(&ring::digest::SHA256);
        for b in &stored {
            digest.update(&(b.len() as u64).to_be_bytes());
            digest.update(b);
        }
        let mut seen = [0u8; 32];
        seen.copy_from_slice(digest.finish().as_ref());
        let mut verified = self.verified.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((h, m)) = verified.get(space)
            && *h == seen
        {
            return Ok(Some(m.clone()));
        }
        let entries: Vec<LogEntry> = stored
            .iter()
            .map(|b| decode::<kindred_protocol::messages::AppendLog>(b).map(|a| a.entry))
            .collect::<std::result::Result<_, _>>()
            .map_err(|e| match e {
                // Kept by version 1 (random space ids): not damaged, old.
                kindred_protocol::DecodeError::UnsupportedVersion(v) if v < PROTOCOL_VERSION => {
                    Error::OldSpace
                }
                _ => Error::Damaged {
                    space: space.to_owned(),
                    what: "a stored membership entry could not be read".into(),
                },
            })?;
        if entries.is_empty() {
            return Ok(None);
        }
        let m = Membership::from_log(&entries).map_err(|_| Error::Damaged {
            space: space.to_owned(),
            what: "the stored membership log does not verify".into(),
        })?;
        verified.insert(space.to_owned(), (seen, m.clone()));
        Ok(Some(m))
    }

    /// A bearer token for the relay (for a live-hint connection).
    pub fn relay_token(&mut self, t: &dyn Transport) -> Result<String> {
        self.token_for(t)
    }

    /// A bearer token, fetched with a signed challenge when needed.
    pub(crate) fn token_for(&mut self, t: &dyn Transport) -> Result<String> {
        Pass::new(&Exclusive::new(self), t).token()
    }

    /// Syncs one space (say, the one a live hint named).
    pub fn sync_space(&mut self, t: &dyn Transport, space: &str) -> Result<SpaceSync> {
        Pass::new(&Exclusive::new(self), t).sync_space(space)
    }

    /// Syncs only the spaces with changes waiting to go (the live path,
    /// after a local write): one round trip each, nothing at all when
    /// nothing waits. What others wrote comes with the live hint.
    pub fn sync_pending(&mut self, t: &dyn Transport) -> Result<SyncReport> {
        Pass::new(&Exclusive::new(self), t).sync_pending()
    }

    /// Syncs every space with the relay behind `t`.
    pub fn sync(&mut self, t: &dyn Transport) -> Result<SyncReport> {
        self.sync_with_progress(t, &mut |_| {})
    }

    /// [`Kindred::sync`], calling `progress` after each page of a pull (a
    /// first sync of years of records takes a few pages).
    pub fn sync_with_progress(
        &mut self,
        t: &dyn Transport,
        progress: &mut dyn FnMut(&PullProgress),
    ) -> Result<SyncReport> {
        Pass::new(&Exclusive::new(self), t).sync_all(progress)
    }

    /// Uploads a snapshot of a space now (after a rotation: a device added
    /// later holds only the new epoch's key, so history must be readable
    /// under it).
    pub(crate) fn snapshot_now(&mut self, t: &dyn Transport, space: &str) -> Result<()> {
        let me = self.keys.device_key();
        if self
            .membership_of(space)?
            .is_some_and(|m| !m.may_snapshot(&me, m.epoch))
        {
            // Devices take snapshots only from the owner's devices; the
            // history stays in the changes.
            return Ok(());
        }
        let core = Exclusive::new(self);
        let pass = Pass::new(&core, t);
        let token = pass.token()?;
        pass.upload_snapshot(&token, space)
    }

    /// This device and the person's other devices: the members of its
    /// personal and caseload spaces.
    /// The person's own devices, and her recovery kit (hers too: it is
    /// never "someone else" in a share).
    pub(crate) fn own_devices(&self) -> Result<Vec<DeviceKey>> {
        let mut out = vec![self.keys.device_key()];
        for s in &self.spaces {
            if matches!(s.kind, SpaceKind::Personal | SpaceKind::Caseload)
                && let Some(m) = self.membership_of(&s.id)?
            {
                out.extend(m.members.keys().copied());
            }
        }
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// Records the space's genesis locally. From here on every local edit
    /// also goes to the outbox; everything before is in the seed snapshot.
    fn adopt_genesis(&mut self, space: &str, genesis: LogEntry) -> Result<()> {
        Membership::genesis(&genesis).map_err(|_| Error::Sync {
            what: "the space's first membership entry does not verify",
        })?;
        let mut st = self.load_sync_state(space)?;
        st.created = true;
        st.log_len = 1;
        st.epoch = 1;
        let tx = self.store.begin()?;
        tx.put_log_entry(
            space,
            0,
            &encode(&AppendLog {
                v: PROTOCOL_VERSION,
                entry: genesis,
            }),
        )?;
        tx.put_sync_state(space, &state_bytes(&st)?)?;
        tx.commit()
    }

    /// The signed genesis entry that creates `space` on the relay, with
    /// this device as owner and a fresh first epoch key (kept).
    fn genesis_entry(&mut self, space: &str) -> Result<LogEntry> {
        let sid = space_id(space)?;
        let me = self.keys.device_key();
        // The nonce the id was made from (at the space's creation): a
        // space made by version 1 has none, and its random id cannot be
        // checked by anyone, so it is not sent (docs/protocol.md says
        // what to do with it).
        let nonce = self
            .store
            .key(&crate::kindred::space_nonce_name(space))?
            .filter(|n| kindred_protocol::space_id_for(n, &me) == sid)
            .ok_or(Error::OldSpace)?;
        let key = match self.epoch_key_of(space, 1)? {
            Some(k) => k,
            None => {
                let k = EpochKey::generate()?;
                let tx = self.store.begin()?;
                tx.put_key(&epoch_key_name(space, 1), k.0.as_ref())?;
                tx.commit()?;
                k
            }
        };
        let wrapped = wrap_epoch_key(&key, &sid, 1, &me, &self.keys.wrap_key())?;
        let confirm = kindred_protocol::key_confirmation(key.0.as_ref(), &sid, 1);
        let label = crate::crypto::seal_label(&key, &sid, &me, &self.label())?;
        let mut entry = LogEntry {
            v: PROTOCOL_VERSION,
            space: sid,
            seq: 0,
            prev: Hash([0; 32]),
            author: me,
            action: Action::Genesis {
                nonce: kindred_protocol::Bytes(nonce.to_vec()),
                owner: Member {
                    device: me,
                    wrap_key: self.keys.wrap_key(),
                    role: Role::Owner,
                    sealed_label: label,
                },
                key: wrapped,
                confirm,
            },
            sig: Signature([0; 64]),
        };
        entry.sig = self.keys.sign(&entry.signing_bytes());
        Ok(entry)
    }

    /// A sealed snapshot of the whole document under `epoch`, covering
    /// server changes up to `covers`, after catching up with the store.
    fn sealed_snapshot(
        &mut self,
        space: &str,
        epoch: u32,
        covers: u64,
    ) -> Result<kindred_protocol::SnapshotEnvelope> {
        let sid = space_id(space)?;
        let key = self.epoch_key_of(space, epoch)?.ok_or(Error::Sync {
            what: "this device does not hold the space's current key",
        })?;
        let doc = self.caught_up(space)?.doc.save();
        // What it includes, device by device: the chain heads this device
        // holds (its own: the last acknowledged).
        let heads = self.load_sync_state(space)?.heads();
        seal_snapshot(&self.keys, sid, epoch, &key, covers, heads, &doc)
    }

    /// Remembers a failed pass for the status screen; drops a token the
    /// relay no longer takes.
    fn record_failure(&mut self, space: &str, e: &Error) {
        if self.spaces.iter().any(|s| s.id == space) {
            let message = e.to_string();
            let _ = self.update_sync_state(space, |st| st.last_error = Some(message));
        }
        if matches!(e, Error::Refused { code, .. } if code == "TokenExpired" || code == "Unauthenticated")
        {
            self.session = None;
        }
    }

    /// Sync status of every space.
    pub fn sync_status(&self) -> Result<Vec<SyncStatus>> {
        let mut out = Vec::new();
        for s in &self.spaces {
            let st = self.load_sync_state(&s.id)?;
            // Every change not yet acknowledged stays in the outbox (the
            // sealed envelopes carrying some of them are not more changes).
            let (outbox, _sealed) = self.store.pending(&s.id)?;
            // Changes the relay refused for good are not "waiting": they
            // are set aside, and shown as such.
            let set_aside = st.set_aside_at_log.is_some_and(|at| at >= st.log_len);
            let (pending, refused) = if set_aside {
                (0, outbox.max(0) as u64)
            } else {
                (outbox.max(0) as u64, 0)
            };
            let seen_by = st
                .peers
                .iter()
                .map(|p| SeenBy {
                    // Own devices by their names, other people by theirs.
                    device: crate::names::display_name(&p.label, s.kind != SpaceKind::Shared)
                        .to_owned(),
                    fingerprint: p.device.chars().take(16).collect(),
                    up_to_date: pending == 0 && p.cursor >= st.my_latest,
                })
                .collect();
            out.push(SyncStatus {
                space: s.id.clone(),
                kind: s.kind.as_str().to_owned(),
                on_server: st.created,
                pending,
                last_push_at: st.last_push_at,
                last_pull_at: st.last_pull_at,
                last_error: st.last_error,
                quarantined: self.store.quarantined(&s.id)? as u64,
                waiting: self.store.held_count(&s.id)? as u64,
                refused,
                seen_by,
                removed: st.removed,
            });
        }
        Ok(out)
    }
}

/// One sync pass over a core reached through `A`.
pub(crate) struct Pass<'a, A: CoreAccess + ?Sized> {
    pub(super) core: &'a A,
    pub(super) t: &'a dyn Transport,
}

/// Signs in to the relay behind `t` as `device`: a challenge, answered
/// with `sign`, bound to the relay's origin (a relay that passes it on to
/// another gets a sign-in that one refuses).
pub(crate) fn sign_in(
    t: &dyn Transport,
    device: DeviceKey,
    sign: &dyn Fn(&[u8]) -> Result<Signature>,
) -> Result<Token> {
    let ch = t
        .challenge(&ChallengeRequest {
            v: PROTOCOL_VERSION,
            device,
        })
        .map_err(transport_error)?;
    let origin = t.origin();
    let sig = sign(&TokenRequest::signing_bytes(&device, &ch.nonce, &origin))?;
    t.token(&TokenRequest {
        v: PROTOCOL_VERSION,
        device,
        nonce: ch.nonce,
        origin,
        sig,
    })
    .map_err(transport_error)
}

impl<'a, A: CoreAccess + ?Sized> Pass<'a, A> {
    pub(crate) fn new(core: &'a A, t: &'a dyn Transport) -> Self {
        Pass { core, t }
    }

    pub(super) fn state(&self, space: &str) -> Result<SyncState> {
        self.core.with(|k| k.load_sync_state(space))
    }

    /// A bearer token: the one held while it lasts, else a new one for a
    /// signed challenge. The core is held only to read the key and sign.
    pub(crate) fn token(&self) -> Result<String> {
        let held = self.core.with(|k| {
            Ok(k.session
                .as_ref()
                .filter(|s| s.until > Instant::now())
                .map(|s| s.token.clone()))
        })?;
        if let Some(token) = held {
            return Ok(token);
        }
        let device = self.core.with(|k| Ok(k.keys.device_key()))?;
        let tok = sign_in(self.t, device, &|bytes| {
            self.core.with(|k| Ok(k.keys.sign(bytes)))
        })?;
        let life = Duration::from_secs(tok.expires_in_secs.saturating_sub(30).max(1));
        let token = tok.token.clone();
        self.core.with(|k| {
            k.session = Some(Session {
                token: tok.token,
                until: Instant::now() + life,
            });
            Ok(())
        })?;
        Ok(token)
    }

    /// Syncs one space, remembering a failure for the status screen.
    /// [`Kindred::sync_pending`].
    pub(crate) fn sync_pending(&self) -> Result<SyncReport> {
        let waiting: Vec<String> = self.core.with(|k| {
            let mut out = Vec::new();
            for s in k.spaces.iter().filter(|s| !s.locked) {
                let (outbox, sent) = k.store.pending(&s.id)?;
                if outbox + sent > 0 {
                    out.push(s.id.clone());
                }
            }
            Ok(out)
        })?;
        let mut report = SyncReport::default();
        for space in waiting {
            match self.sync_space(&space) {
                Ok(r) => report.spaces.push(r),
                Err(e) if matches!(e, Error::Unreachable | Error::Closed) => return Err(e),
                Err(e) => report.failed.push(SpaceFailure {
                    kind: String::new(),
                    space: space.clone(),
                    error: e,
                }),
            }
        }
        Ok(report)
    }

    pub(crate) fn sync_space(&self, space: &str) -> Result<SpaceSync> {
        let kind = self.core.with(|k| {
            k.spaces
                .iter()
                .find(|s| s.id == space)
                .map(|s| s.kind.clone())
                .ok_or_else(|| Error::NotFound {
                    kind: crate::model::RecordKind::Space,
                    id: space.to_owned(),
                })
        })?;
        match self.space_pass(space, kind.as_str(), &mut |_| {}, false) {
            Ok(mut r) => {
                r.kind = kind.as_str().to_owned();
                r.space = space.to_owned();
                Ok(r)
            }
            Err(e) => {
                let _ = self.core.with(|k| {
                    k.record_failure(space, &e);
                    Ok(())
                });
                Err(e)
            }
        }
    }

    /// Syncs every space.
    pub(crate) fn sync_all(&self, progress: &mut dyn FnMut(&PullProgress)) -> Result<SyncReport> {
        self.discover_spaces()?;
        let ids: Vec<(String, SpaceKind)> = self.core.with(|k| {
            Ok(k.spaces
                .iter()
                .map(|s| (s.id.clone(), s.kind.clone()))
                .collect())
        })?;
        let mut report = SyncReport::default();
        for (id, kind) in ids {
            match self.space_pass(&id, kind.as_str(), progress, true) {
                Ok(mut r) => {
                    r.kind = kind.as_str().to_owned();
                    r.space = id.to_owned();
                    report.spaces.push(r);
                }
                Err(e) => {
                    // Remember the failure for the status screen. The relay
                    // being out of reach ends the pass; a space that failed
                    // (its checks, or a refusal) does not hold up the others,
                    // and is reported beside them.
                    let _ = self.core.with(|k| {
                        k.record_failure(&id, &e);
                        Ok(())
                    });
                    if matches!(e, Error::Unreachable | Error::Closed) {
                        return Err(e);
                    }
                    report.failed.push(SpaceFailure {
                        kind: kind.as_str().to_owned(),
                        space: id.to_owned(),
                        error: e,
                    });
                }
            }
        }
        // This device's removal requests whose wait is over (a local read
        // when none is due: no request). One the relay says is not due yet
        // is tried after the next pass.
        if self.core.with(|k| k.due_removals()).is_ok_and(|n| n > 0) {
            let _ = self.core.with(|k| k.carry_out_due_removals(self.t));
        }
        Ok(report)
    }

    /// Takes up spaces this device was added to from another device (a
    /// share the person started on her phone reaches her tablet this way).
    /// Only shared spaces appear later: personal and caseload spaces come
    /// with pairing. The kind is checked against the document after its
    /// first pull.
    fn discover_spaces(&self) -> Result<()> {
        let token = self.token()?;
        let list = self.t.spaces(&token).map_err(transport_error)?;
        let me = self.core.with(|k| Ok(k.keys.device_key()))?;
        for sid in list.spaces {
            let id = sid.to_hex();
            if self
                .core
                .with(|k| Ok(k.spaces.iter().any(|s| s.id == id)))?
            {
                continue;
            }
            // Only a space one of this person's own devices added us to:
            // nobody else can put a space in front of her uninvited (an
            // invite she accepted adds it through the invite itself).
            let log = self.t.log(&token, &sid, 0).map_err(transport_error)?;
            self.core.with(|k| {
                if k.spaces.iter().any(|s| s.id == id) {
                    return Ok(());
                }
                // The log must verify from a genesis that makes the id;
                // the space is then pinned to it like a joined one.
                let Ok(m) = Membership::from_log(&log.entries) else {
                    return Ok(());
                };
                let mine = k.own_devices()?;
                let added_by = log.entries.iter().find_map(|e| match &e.action {
                    Action::AddDevice { member, .. } if member.device == me => Some(e.author),
                    _ => None,
                });
                if let Some(by) = added_by.filter(|by| mine.contains(by))
                    && m.space == sid
                {
                    let pin = super::JoinPin {
                        len: m.len,
                        head: m.head,
                        by,
                    };
                    k.add_joined_space(&id, SpaceKind::Shared, None, pin)?;
                }
                Ok(())
            })?;
        }
        Ok(())
    }

    fn space_pass(
        &self,
        space: &str,
        kind: &str,
        progress: &mut dyn FnMut(&PullProgress),
        ack_now: bool,
    ) -> Result<SpaceSync> {
        let mut out = SpaceSync::default();
        let st = self.state(space)?;
        if st.removed {
            if !st.locked {
                self.core.with(|k| k.forget_space(space))?;
            }
            out.removed = true;
            return Ok(out);
        }
        let token = self.token()?;
        if !st.created {
            self.create_remote(&token, space)?;
        }
        if !self.state(space)?.seeded {
            self.seed(&token, space)?;
            out.sent_all = true;
        }
        let mut removed = false;
        if self.state(space)?.log_len == 0 {
            // Joined by pairing: learn the log and our key before pushing.
            let p = self.pull_all(&token, space, kind, progress)?;
            out.add(&p);
            removed = p.removed;
        }
        // In step with the log: one round trip (`exchange.rs`), unless the
        // relay refuses it; then the three requests below.
        let mut exchanged = false;
        let mut push_rest = true;
        if !removed
            && self.state(space)?.erase_pending.is_none()
            && let Some(x) = self.exchange(&token, space, kind, progress)?
        {
            out.pushed += x.changes;
            out.envelopes += x.acked;
            out.add(&x.pulled);
            removed = x.pulled.removed;
            exchanged = true;
            push_rest = x.rest_pending;
        }
        if !removed && push_rest {
            // A push sealed under an epoch that has ended is refused as
            // stale: pull the log (and the new key), seal the pending
            // changes again, push again. Bounded: each round needs another
            // rotation to fail.
            let mut rounds = 0;
            loop {
                match self.push_pending(&token, space) {
                    Err(Error::Refused { code, .. }) if code == "StaleEpoch" && rounds < 3 => {
                        rounds += 1;
                        let p = self.pull_all(&token, space, kind, progress)?;
                        out.add(&p);
                        if p.removed {
                            removed = true;
                            break;
                        }
                        out.pushed += self.reseal_stale(&token, space)?;
                    }
                    other => {
                        let pushed = other?;
                        out.pushed += pushed.changes;
                        out.envelopes += pushed.acked;
                        out.refused += pushed.refused;
                        break;
                    }
                }
            }
        }
        // After the three requests, or the rest of a long outbox pushed
        // after an exchange (so the cursor covers all of it).
        if !removed && (!exchanged || push_rest) {
            let p = self.pull_all(&token, space, kind, progress)?;
            out.add(&p);
            removed = p.removed;
        }
        if removed {
            // Wiped when the person said "this is my lost phone" (or it
            // was never one of hers); else kept, locked (`removal.rs`).
            self.core.with(|k| {
                let me = k.keys.device_key();
                let wipe = k
                    .membership_of(space)?
                    .is_none_or(|m| super::removal::removal_wipes(&m, &me));
                if wipe {
                    k.update_sync_state(space, |st| st.removed = true)?;
                    k.forget_space(space)
                } else {
                    k.lock_space(space)
                }
            })?;
            out.removed = true;
            return Ok(out);
        }
        if self.state(space)?.erase_pending.is_some() {
            self.erase_pending(&token, space, kind)?;
        }
        // An exchange acknowledged the cursor it started from; on the live
        // path (a hint, a write) the next one acknowledges this one's, and
        // a full pass says it now (what "seen by" on the status screen
        // reads).
        if !exchanged || ack_now {
            self.acknowledge(&token, space)?;
        }
        // Every member's device counts the changes it pushes and pulls, so
        // the space reaches the threshold once per member for the same
        // changes: wait for as many rounds as there are members, so the
        // space gets about one snapshot per SNAPSHOT_EVERY changes rather
        // than one from each device.
        let due = self.core.with(|k| {
            let membership = k.membership_of(space)?;
            let members = membership.as_ref().map_or(1, |m| m.members.len().max(1)) as u64;
            // Only the owner's devices hand out snapshots (readers check).
            let me = k.keys.device_key();
            let writes = membership
                .as_ref()
                .is_none_or(|m| m.may_snapshot(&me, m.epoch));
            Ok(writes && k.load_sync_state(space)?.since_snapshot >= SNAPSHOT_EVERY * members)
        })?;
        if due {
            self.upload_snapshot(&token, space)?;
        }
        self.core
            .with(|k| k.update_sync_state(space, |st| st.last_error = None))?;
        Ok(out)
    }

    /// Tells the relay how far this device has applied the space.
    fn acknowledge(&self, token: &str, space: &str) -> Result<()> {
        let st = self.state(space)?;
        if st.acked.is_some_and(|a| st.cursor <= a) {
            return Ok(());
        }
        let sid = space_id(space)?;
        self.t
            .ack(
                token,
                &sid,
                &AckCursor {
                    v: PROTOCOL_VERSION,
                    server_seq: st.cursor,
                },
            )
            .map_err(transport_error)?;
        self.core.with(|k| {
            k.update_sync_state(space, |now| {
                now.acked = Some(now.acked.map_or(st.cursor, |a| a.max(st.cursor)));
            })
        })
    }

    /// Creates the space on the relay: a genesis entry naming this device
    /// as owner, a fresh epoch key, and a snapshot of everything so far.
    fn create_remote(&self, token: &str, space: &str) -> Result<()> {
        let sid = space_id(space)?;
        let entry = self.core.with(|k| k.genesis_entry(space))?;
        let me = entry.author;
        let body = AppendLog {
            v: PROTOCOL_VERSION,
            entry: entry.clone(),
        };
        match self.t.create_space(token, &body) {
            Ok(_) => {}
            Err(e) if e.code() == Some(ErrorCode::SpaceExists) => {
                // Made by an earlier pass that did not hear the answer:
                // the log's first entry must be ours.
                let page = self.t.pull(token, &sid, 0, 0, 1).map_err(transport_error)?;
                if page.log.first().map(|g| g.author) != Some(me) {
                    return Err(Error::Sync {
                        what: "the relay already has a space with this id made by another device",
                    });
                }
                let first = page.log.first().cloned().ok_or(Error::Sync {
                    what: "the relay's log is empty",
                })?;
                return self.core.with(|k| k.adopt_genesis(space, first));
            }
            Err(e) => return Err(transport_error(e)),
        }
        self.core.with(|k| k.adopt_genesis(space, entry))
    }

    /// Uploads the first snapshot: everything written before the space
    /// existed on the relay. Taken after `created` was recorded and after
    /// catching up with the store, so no edit falls between.
    fn seed(&self, token: &str, space: &str) -> Result<()> {
        let sid = space_id(space)?;
        let snapshot = self.core.with(|k| k.sealed_snapshot(space, 1, 0))?;
        self.t
            .put_snapshot(
                token,
                &sid,
                &PutSnapshot {
                    v: PROTOCOL_VERSION,
                    snapshot,
                },
            )
            .map_err(transport_error)?;
        self.core
            .with(|k| k.update_sync_state(space, |st| st.seeded = true))
    }

    pub(crate) fn upload_snapshot(&self, token: &str, space: &str) -> Result<()> {
        let sid = space_id(space)?;
        let snapshot = self.core.with(|k| {
            let st = k.load_sync_state(space)?;
            k.sealed_snapshot(space, st.epoch, st.cursor)
        })?;
        self.t
            .put_snapshot(
                token,
                &sid,
                &PutSnapshot {
                    v: PROTOCOL_VERSION,
                    snapshot,
                },
            )
            .map_err(transport_error)?;
        self.core
            .with(|k| k.update_sync_state(space, |st| st.since_snapshot = 0))
    }
}

impl SpaceSync {
    fn add(&mut self, p: &super::pull::Pulled) {
        self.pulled += p.applied;
        self.quarantined += p.quarantined;
    }
}
