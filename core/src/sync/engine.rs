//! One sync pass: for each space, create it on the relay if needed, push
//! pending changes, pull and apply what others wrote, acknowledge, and now
//! and then upload a snapshot.

use std::time::{Duration, Instant};

use kindred_protocol::messages::*;
use kindred_protocol::{
    Action, ChangeEnvelope, DeviceKey, Hash, LogEntry, Member, Membership, PROTOCOL_VERSION, Role,
    Signature, SpaceId, decode, encode,
};
use serde::Serialize;
use time::OffsetDateTime;

use super::Session;
use super::state::{Peer, SeenBy, SyncState, SyncStatus};
use super::transport::{Transport, TransportError};
use crate::crypto::{
    EpochKey, open_change, open_snapshot, seal_change, seal_snapshot, wrap_epoch_key,
};
use crate::error::{Error, Result};
use crate::kindred::Kindred;
use crate::model::format_time;
use crate::space::SpaceKind;
use crate::store::ChunkKind;

/// Upload a snapshot after this many changes applied or pushed.
const SNAPSHOT_EVERY: u64 = 300;
/// Plaintext carried by one envelope, at most (the limit is 256 KiB).
const ENVELOPE_BUDGET: usize = 192 * 1024;
/// Envelopes sent in one push.
const PUSH_BATCH: i64 = 64;
/// Above this many changes in a page, re-read every record instead of
/// diffing (a diff costs more per change than a whole pass at this size).
const REINDEX_ALL_AFTER: usize = 64;
/// Changes asked for per pull page.
const PULL_PAGE: u32 = 1000;

/// What one sync pass did for one space.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SpaceSync {
    /// The space's id.
    pub space: String,
    pub kind: String,
    /// Envelopes the relay acknowledged.
    pub pushed: u64,
    /// The space's first sync sent everything in it so far (as one sealed
    /// snapshot, so not counted in `pushed`).
    pub sent_all: bool,
    /// Changes from other devices applied here.
    pub pulled: u64,
    /// Envelopes that failed their checks and were set aside.
    pub quarantined: u64,
    /// This device was removed from the space; its copy here was wiped.
    pub removed: bool,
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

/// What one sync pass did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    pub spaces: Vec<SpaceSync>,
}

fn now() -> String {
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
    }
}

fn epoch_key_name(space: &str, epoch: u32) -> String {
    format!("epoch/{space}/{epoch}")
}

pub(crate) fn space_id(hex: &str) -> Result<SpaceId> {
    SpaceId::from_hex(hex).ok_or(Error::Sync {
        what: "a space id is not in the form the relay expects",
    })
}

impl Kindred {
    fn load_sync_state(&self, space: &str) -> Result<SyncState> {
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

    pub(crate) fn epoch_key_of(&self, space: &str, epoch: u32) -> Result<Option<EpochKey>> {
        Ok(self
            .store
            .key(&epoch_key_name(space, epoch))?
            .and_then(|k| EpochKey::from_slice(&k)))
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
            .map_err(|_| Error::Damaged {
                space: space.to_owned(),
                what: "a stored membership entry could not be read".into(),
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

    /// A bearer token, fetched with a signed challenge when needed.
    /// A bearer token for the relay (for a live-hint connection).
    pub fn relay_token(&mut self, t: &dyn Transport) -> Result<String> {
        self.token_for(t)
    }

    pub(crate) fn token_for(&mut self, t: &dyn Transport) -> Result<String> {
        if let Some(s) = &self.session
            && s.until > Instant::now()
        {
            return Ok(s.token.clone());
        }
        let device = self.keys.device_key();
        let ch = t
            .challenge(&ChallengeRequest {
                v: PROTOCOL_VERSION,
                device,
            })
            .map_err(transport_error)?;
        let sig = self
            .keys
            .sign(&TokenRequest::signing_bytes(&device, &ch.nonce));
        let tok = t
            .token(&TokenRequest {
                v: PROTOCOL_VERSION,
                device,
                nonce: ch.nonce,
                sig,
            })
            .map_err(transport_error)?;
        let life = Duration::from_secs(tok.expires_in_secs.saturating_sub(30).max(1));
        self.session = Some(Session {
            token: tok.token.clone(),
            until: Instant::now() + life,
        });
        Ok(tok.token)
    }

    /// Syncs one space (say, the one a live hint named).
    pub fn sync_space(&mut self, t: &dyn Transport, space: &str) -> Result<SpaceSync> {
        let kind = self
            .spaces
            .iter()
            .find(|s| s.id == space)
            .map(|s| s.kind.clone())
            .ok_or_else(|| Error::NotFound {
                kind: crate::model::RecordKind::Space,
                id: space.to_owned(),
            })?;
        match self.sync_space_inner(t, space, kind.as_str(), &mut |_| {}) {
            Ok(mut r) => {
                r.kind = kind.as_str().to_owned();
                r.space = space.to_owned();
                Ok(r)
            }
            Err(e) => {
                self.record_failure(space, &e);
                Err(e)
            }
        }
    }

    /// Remembers a failed pass for the status screen; drops a token the
    /// relay no longer takes.
    fn record_failure(&mut self, space: &str, e: &Error) {
        if let Ok(mut st) = self.load_sync_state(space) {
            st.last_error = Some(e.to_string());
            let _ = self.save_state(space, &st);
        }
        if matches!(e, Error::Refused { code, .. } if code == "TokenExpired" || code == "Unauthenticated")
        {
            self.session = None;
        }
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
        self.discover_spaces(t)?;
        let ids: Vec<(String, SpaceKind)> = self
            .spaces
            .iter()
            .map(|s| (s.id.clone(), s.kind.clone()))
            .collect();
        let mut report = SyncReport::default();
        let mut first_error = None;
        for (id, kind) in ids {
            let result = self.sync_space_inner(t, &id, kind.as_str(), progress);
            match result {
                Ok(mut r) => {
                    r.kind = kind.as_str().to_owned();
                    r.space = id.to_owned();
                    report.spaces.push(r);
                }
                Err(e) => {
                    // Remember the failure for the status screen. The relay
                    // being out of reach ends the pass; a space that failed
                    // its checks does not hold up the others.
                    self.record_failure(&id, &e);
                    if matches!(e, Error::Unreachable) {
                        return Err(e);
                    }
                    first_error.get_or_insert(e);
                }
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(report),
        }
    }

    /// Takes up spaces this device was added to from another device (a
    /// share the person started on her phone reaches her tablet this way).
    /// Only shared spaces appear later: personal and caseload spaces come
    /// with pairing. The kind is checked against the document after its
    /// first pull.
    fn discover_spaces(&mut self, t: &dyn Transport) -> Result<()> {
        let token = self.token_for(t)?;
        let list = t.spaces(&token).map_err(transport_error)?;
        let me = self.keys.device_key();
        for sid in list.spaces {
            let id = sid.to_hex();
            if self.spaces.iter().any(|s| s.id == id) {
                continue;
            }
            // Only a space one of this person's own devices added us to:
            // nobody else can put a space in front of her uninvited (an
            // invite she accepted adds it through the invite itself).
            let log = t.log(&token, &sid, 0).map_err(transport_error)?;
            let mine = self.own_devices()?;
            let added_by_mine = log.entries.iter().any(|e| {
                matches!(&e.action, Action::AddDevice { member, .. } if member.device == me)
                    && mine.contains(&e.author)
            });
            if added_by_mine {
                self.add_joined_space(&id, SpaceKind::Shared, None)?;
            }
        }
        Ok(())
    }

    /// This device and the person's other devices: the members of its
    /// personal and caseload spaces.
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

    fn save_state(&mut self, space: &str, st: &SyncState) -> Result<()> {
        let tx = self.store.begin()?;
        tx.put_sync_state(space, &serde_json::to_vec(st).map_err(|_| Error::Document)?)?;
        tx.commit()
    }

    fn sync_space_inner(
        &mut self,
        t: &dyn Transport,
        space: &str,
        kind: &str,
        progress: &mut dyn FnMut(&PullProgress),
    ) -> Result<SpaceSync> {
        let mut st = self.load_sync_state(space)?;
        let mut out = SpaceSync::default();
        if st.removed {
            self.forget_space(space)?;
            out.removed = true;
            return Ok(out);
        }
        let token = self.token_for(t)?;
        if !st.created {
            self.create_remote(t, &token, space, &mut st)?;
        }
        if !st.seeded {
            self.seed(t, &token, space, &mut st)?;
            out.sent_all = true;
        }
        if st.log_len == 0 {
            // Joined by pairing: learn the log and our key before pushing.
            let (pulled, quarantined) = self.pull_all(t, &token, space, &mut st, kind, progress)?;
            out.pulled += pulled;
            out.quarantined += quarantined;
        }
        // A push sealed under an epoch that has ended is refused as stale:
        // pull the log (and the new key), seal the pending changes again,
        // push again. Bounded: each round needs another rotation to fail.
        let mut rounds = 0;
        out.pushed = loop {
            match self.push_pending(t, &token, space, &mut st) {
                Err(Error::Refused { code, .. }) if code == "StaleEpoch" && rounds < 3 => {
                    rounds += 1;
                    let (p, q) = self.pull_all(t, &token, space, &mut st, kind, progress)?;
                    out.pulled += p;
                    out.quarantined += q;
                    if st.removed {
                        break 0;
                    }
                    self.reseal_stale(t, &token, space, &mut st)?;
                }
                other => break other?,
            }
        };
        if !st.removed {
            let (pulled, quarantined) = self.pull_all(t, &token, space, &mut st, kind, progress)?;
            out.pulled += pulled;
            out.quarantined += quarantined;
        }
        if st.removed {
            self.save_state(space, &st)?;
            self.forget_space(space)?;
            out.removed = true;
            return Ok(out);
        }
        if st.acked.is_none_or(|a| st.cursor > a) {
            let sid = space_id(space)?;
            t.ack(
                &token,
                &sid,
                &AckCursor {
                    v: PROTOCOL_VERSION,
                    server_seq: st.cursor,
                },
            )
            .map_err(transport_error)?;
            st.acked = Some(st.cursor);
        }
        // Every member's device counts the changes it pushes and pulls, so
        // the space reaches the threshold once per member for the same
        // changes: wait for as many rounds as there are members, so the
        // space gets about one snapshot per SNAPSHOT_EVERY changes rather
        // than one from each device.
        let members = self
            .membership_of(space)?
            .map_or(1, |m| m.members.len().max(1)) as u64;
        if st.since_snapshot >= SNAPSHOT_EVERY * members {
            self.upload_snapshot(t, &token, space, &mut st)?;
        }
        st.last_error = None;
        self.save_state(space, &st)?;
        Ok(out)
    }

    /// Creates the space on the relay: a genesis entry naming this device
    /// as owner, a fresh epoch key, and a snapshot of everything so far.
    fn create_remote(
        &mut self,
        t: &dyn Transport,
        token: &str,
        space: &str,
        st: &mut SyncState,
    ) -> Result<()> {
        let sid = space_id(space)?;
        let me = self.keys.device_key();
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
        let label = crate::crypto::seal_label(&key, &sid, &me, &self.label())?;
        let mut entry = LogEntry {
            v: PROTOCOL_VERSION,
            space: sid,
            seq: 0,
            prev: Hash([0; 32]),
            author: me,
            action: Action::Genesis {
                owner: Member {
                    device: me,
                    wrap_key: self.keys.wrap_key(),
                    role: Role::Owner,
                    sealed_label: label,
                },
                key: wrapped,
            },
            sig: Signature([0; 64]),
        };
        entry.sig = self.keys.sign(&entry.signing_bytes());
        let body = AppendLog {
            v: PROTOCOL_VERSION,
            entry: entry.clone(),
        };
        match t.create_space(token, &body) {
            Ok(_) => {}
            Err(e) if e.code() == Some(ErrorCode::SpaceExists) => {
                // Made by an earlier pass that did not hear the answer:
                // the log's first entry must be ours.
                let page = t.pull(token, &sid, 0, 0, 1).map_err(transport_error)?;
                if page.log.first().map(|g| g.author) != Some(me) {
                    return Err(Error::Sync {
                        what: "the relay already has a space with this id made by another device",
                    });
                }
                let first = page.log.first().cloned().ok_or(Error::Sync {
                    what: "the relay's log is empty",
                })?;
                return self.adopt_genesis(space, st, first);
            }
            Err(e) => return Err(transport_error(e)),
        }
        self.adopt_genesis(space, st, entry)
    }

    /// Records the space's genesis locally. From here on every local edit
    /// also goes to the outbox; everything before is in the seed snapshot.
    fn adopt_genesis(&mut self, space: &str, st: &mut SyncState, genesis: LogEntry) -> Result<()> {
        Membership::genesis(&genesis).map_err(|_| Error::Sync {
            what: "the space's first membership entry does not verify",
        })?;
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
        tx.put_sync_state(
            space,
            &serde_json::to_vec(&*st).map_err(|_| Error::Document)?,
        )?;
        tx.commit()
    }

    /// Uploads the first snapshot: everything written before the space
    /// existed on the relay. Taken after `created` was recorded and after
    /// catching up with other processes, so no edit falls between.
    fn seed(
        &mut self,
        t: &dyn Transport,
        token: &str,
        space: &str,
        st: &mut SyncState,
    ) -> Result<()> {
        let sid = space_id(space)?;
        let key = self.epoch_key_of(space, 1)?.ok_or(Error::Sync {
            what: "this device does not hold the space's first key",
        })?;
        self.space_by_id(space)?;
        let doc = {
            let tx = self.store.begin()?;
            let s = self.loaded.get_mut(space).ok_or(Error::Document)?;
            let newer = tx.chunks_after(&s.id, s.kind.as_str(), s.last_seq)?;
            s.catch_up(newer)?;
            drop(tx);
            s.doc.save()
        };
        let snap = seal_snapshot(&self.keys, sid, 1, &key, 0, &doc)?;
        t.put_snapshot(
            token,
            &sid,
            &PutSnapshot {
                v: PROTOCOL_VERSION,
                snapshot: snap,
            },
        )
        .map_err(transport_error)?;
        st.seeded = true;
        self.save_state(space, st)
    }

    /// Seals pending outbox rows into envelopes and pushes them until the
    /// relay has acknowledged everything. Returns how many were acknowledged.
    fn push_pending(
        &mut self,
        t: &dyn Transport,
        token: &str,
        space: &str,
        st: &mut SyncState,
    ) -> Result<u64> {
        let sid = space_id(space)?;
        let key = self.epoch_key_of(space, st.epoch)?.ok_or(Error::Sync {
            what: "this device does not hold the space's current key",
        })?;
        let mut acked = 0u64;
        loop {
            // Seal new envelopes from the outbox while fewer than a batch wait.
            let tx = self.store.begin()?;
            let mut sent = tx.sent(space, PUSH_BATCH)?;
            if (sent.len() as i64) < PUSH_BATCH {
                let after = sent.last().map(|s| s.upto_local_seq).unwrap_or(0);
                let rows: Vec<_> = tx
                    .outbox(space, i64::MAX)?
                    .into_iter()
                    .filter(|r| r.local_seq > after)
                    .collect();
                let mut i = 0;
                while i < rows.len() && (sent.len() as i64) < PUSH_BATCH {
                    let mut plain = Vec::new();
                    let mut upto = rows[i].local_seq;
                    let cap = self
                        .options
                        .max_changes_per_envelope
                        .unwrap_or(usize::MAX)
                        .max(1);
                    let mut taken = 0;
                    while i < rows.len()
                        && taken < cap
                        && (plain.is_empty()
                            || plain.len() + rows[i].bytes.len() <= ENVELOPE_BUDGET)
                    {
                        taken += 1;
                        plain.extend_from_slice(&rows[i].bytes);
                        upto = rows[i].local_seq;
                        i += 1;
                    }
                    let seq = st.next_device_seq;
                    let env = seal_change(&self.keys, sid, st.epoch, &key, seq, &plain)?;
                    let bytes = encode(&Push {
                        v: PROTOCOL_VERSION,
                        envelopes: vec![env],
                    });
                    tx.put_sent(space, seq as i64, upto, &bytes)?;
                    st.next_device_seq += 1;
                    sent.push(crate::store::SentRow {
                        upto_local_seq: upto,
                        bytes: zeroize::Zeroizing::new(bytes),
                    });
                }
                tx.put_sync_state(
                    space,
                    &serde_json::to_vec(&*st).map_err(|_| Error::Document)?,
                )?;
            }
            tx.commit()?;
            if sent.is_empty() {
                return Ok(acked);
            }
            let envelopes: Vec<ChangeEnvelope> = sent
                .iter()
                .map(|s| decode::<Push>(&s.bytes).map(|p| p.envelopes))
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(|_| Error::Damaged {
                    space: space.to_owned(),
                    what: "a sealed envelope waiting to be sent could not be read".into(),
                })?
                .into_iter()
                .flatten()
                .collect();
            let result = t
                .push(
                    token,
                    &sid,
                    &Push {
                        v: PROTOCOL_VERSION,
                        envelopes,
                    },
                )
                .map_err(transport_error)?;
            let tx = self.store.begin()?;
            for a in &result.acks {
                tx.acknowledge(space, a.device_seq as i64)?;
                st.my_latest = st.my_latest.max(a.server_seq);
                st.since_snapshot += 1;
                acked += 1;
            }
            st.last_push_at = Some(now());
            tx.put_sync_state(
                space,
                &serde_json::to_vec(&*st).map_err(|_| Error::Document)?,
            )?;
            tx.commit()?;
            if result.acks.is_empty() {
                return Err(Error::Sync {
                    what: "the relay acknowledged nothing",
                });
            }
        }
    }

    /// True if the space's signed log, verified entry by entry from what we
    /// hold, removes this device.
    fn removal_in_log(
        &mut self,
        t: &dyn Transport,
        token: &str,
        space: &str,
        st: &SyncState,
    ) -> Result<bool> {
        let sid = space_id(space)?;
        let me = self.keys.device_key();
        let page = t.log(token, &sid, st.log_len).map_err(transport_error)?;
        let mut membership = self.membership_of(space)?;
        for e in page.entries.iter().filter(|e| e.seq >= st.log_len) {
            let ok = match membership.as_mut() {
                None => Membership::genesis(e).map(|m| membership = Some(m)).is_ok(),
                Some(m) => m.apply(e).is_ok(),
            };
            if !ok {
                return Ok(false);
            }
        }
        Ok(membership.is_some_and(|m| m.removed.contains(&me)))
    }

    /// After the relay refused a push as stale: envelopes sealed under an
    /// ended epoch are tried once more one by one, oldest first (one the
    /// relay already stored, whose acknowledgement was lost, is
    /// acknowledged again); from the first it refuses, they are dropped and
    /// their changes, still in the outbox, are sealed again under the
    /// current epoch with the same sequence numbers.
    fn reseal_stale(
        &mut self,
        t: &dyn Transport,
        token: &str,
        space: &str,
        st: &mut SyncState,
    ) -> Result<()> {
        let sid = space_id(space)?;
        loop {
            let tx = self.store.begin()?;
            let sent = tx.sent(space, i64::MAX)?;
            tx.commit()?;
            let stale = sent
                .iter()
                .filter_map(|s| decode::<Push>(&s.bytes).ok())
                .flat_map(|p| p.envelopes)
                .find(|e| e.epoch != st.epoch);
            let Some(env) = stale else {
                return Ok(());
            };
            let seq = env.seq;
            let result = t.push(
                token,
                &sid,
                &Push {
                    v: PROTOCOL_VERSION,
                    envelopes: vec![env],
                },
            );
            let tx = self.store.begin()?;
            match result {
                Ok(r) if !r.acks.is_empty() => {
                    for a in &r.acks {
                        tx.acknowledge(space, a.device_seq as i64)?;
                        st.my_latest = st.my_latest.max(a.server_seq);
                    }
                }
                Err(e) if e.code() == Some(ErrorCode::StaleEpoch) => {
                    tx.drop_sent_from(space, seq as i64)?;
                    st.next_device_seq = seq;
                }
                Ok(_) => {
                    return Err(Error::Sync {
                        what: "the relay acknowledged nothing",
                    });
                }
                Err(e) => return Err(transport_error(e)),
            }
            tx.put_sync_state(
                space,
                &serde_json::to_vec(&*st).map_err(|_| Error::Document)?,
            )?;
            tx.commit()?;
        }
    }

    /// Pulls pages until the relay has nothing newer; returns (applied, quarantined).
    fn pull_all(
        &mut self,
        t: &dyn Transport,
        token: &str,
        space: &str,
        st: &mut SyncState,
        kind: &str,
        progress: &mut dyn FnMut(&PullProgress),
    ) -> Result<(u64, u64)> {
        let sid = space_id(space)?;
        let me = self.keys.device_key();
        let (mut applied, mut quarantined) = (0u64, 0u64);
        let first_cursor = st.cursor;
        let mut total = None;
        loop {
            let page = match t.pull(token, &sid, st.cursor, st.log_len, PULL_PAGE) {
                Ok(p) => p,
                Err(e) if e.code() == Some(ErrorCode::Removed) => {
                    // The relay's word is not enough to wipe anything: the
                    // signed log must show this device's removal.
                    if self.removal_in_log(t, token, space, st)? {
                        st.removed = true;
                        return Ok((applied, quarantined));
                    }
                    return Err(Error::Sync {
                        what: "the server says this device was removed, but the space's signed log does not show it; nothing was deleted",
                    });
                }
                Err(e) => return Err(transport_error(e)),
            };
            // 1. Membership: verify every new entry against what we hold.
            let mut membership = self.membership_of(space)?;
            let mut new_entries = Vec::new();
            let mut new_keys: Vec<(u32, EpochKey)> = Vec::new();
            for e in page.log.iter().filter(|e| e.seq >= st.log_len) {
                match membership.as_mut() {
                    None => membership = Some(Membership::genesis(e).map_err(|_| bad_log())?),
                    Some(m) => m.apply(e).map_err(|_| bad_log())?,
                }
                match &e.action {
                    Action::Genesis { owner, key } if owner.device == me => {
                        new_keys.push((1, self.keys.unwrap(&sid, 1, key)?));
                    }
                    Action::AddDevice { member, epoch, key } if member.device == me => {
                        new_keys.push((*epoch, self.keys.unwrap(&sid, *epoch, key)?));
                    }
                    Action::RemoveDevice { device, .. } if *device == me => st.removed = true,
                    Action::RemoveDevice { epoch, keys, .. } | Action::Rotate { epoch, keys } => {
                        if let Some(k) = keys.iter().find(|k| k.device == me) {
                            new_keys.push((*epoch, self.keys.unwrap(&sid, *epoch, &k.key)?));
                        }
                    }
                    _ => {}
                }
                new_entries.push(e.clone());
            }
            let Some(membership) = membership else {
                return Err(bad_log());
            };
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
                let ok =
                    s.verify_signature().is_ok() && was_member(&membership, &s.device, s.epoch);
                let key = if ok {
                    key_for(self, s.epoch, &new_keys)?
                } else {
                    None
                };
                match key.and_then(|k| open_snapshot(s, &k)) {
                    Some(b) => {
                        snapshot_bytes = Some(b);
                        cursor = s.covers;
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
                    continue; // our own change, already here
                }
                let checked = if e.verify_signature().is_err() {
                    Err("bad signature")
                } else if e.space != sid {
                    Err("wrong space")
                } else if !was_member(&membership, &e.device, e.epoch) {
                    Err("not from a member")
                } else {
                    match key_for(self, e.epoch, &new_keys)? {
                        None => Err("no key for its epoch"),
                        Some(k) => open_change(e, &k).ok_or("did not decrypt"),
                    }
                };
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
            let newer =
                tx.chunks_after(&space_obj.id, space_obj.kind.as_str(), space_obj.last_seq)?;
            space_obj.catch_up(newer)?;
            let heads = space_obj.doc.get_heads();
            if let Some(b) = &snapshot_bytes {
                space_obj.doc.load_incremental(b).map_err(|_| Error::Sync {
                    what: "the space's snapshot could not be read",
                })?;
            }
            let mut waiting = Vec::new();
            // What the changes touch, logged as they apply: re-reading only
            // those records then costs as much as the changes, where a diff
            // between heads walks the whole document.
            let mut touched = automerge::PatchLog::active();
            for (seq, result) in &decoded {
                let reason = match result {
                    Ok(bytes) => {
                        let before = space_obj.doc.get_heads();
                        match space_obj
                            .doc
                            .load_incremental_log_patches(bytes, &mut touched)
                        {
                            Ok(_) => {
                                applied += 1;
                                if space_obj.doc.get_heads() == before
                                    && !automerge::ReadDoc::get_missing_deps(&space_obj.doc, &[])
                                        .is_empty()
                                {
                                    waiting.push((*seq, bytes));
                                }
                                None
                            }
                            Err(_) => Some("not valid automerge"),
                        }
                    }
                    Err(r) => Some(*r),
                };
                if let Some(reason) = reason {
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
            for e in &new_entries {
                tx.put_log_entry(
                    space,
                    e.seq as i64,
                    &encode(&AppendLog {
                        v: PROTOCOL_VERSION,
                        entry: e.clone(),
                    }),
                )?;
            }
            for (epoch, k) in &new_keys {
                tx.put_key(&epoch_key_name(space, *epoch), k.0.as_ref())?;
            }
            st.cursor = cursor.max(st.cursor);
            st.log_len += new_entries.len() as u64;
            st.epoch = membership.epoch;
            st.since_snapshot += decoded.len() as u64;
            st.peers = peers;
            st.last_pull_at = Some(now());
            tx.put_sync_state(
                space,
                &serde_json::to_vec(&*st).map_err(|_| Error::Document)?,
            )?;
            match tx.commit() {
                Ok(()) => {
                    if let Some(seq) = chunk_seq {
                        space_obj.last_seq = seq;
                        space_obj.chunks_since_snapshot += 1;
                    }
                    if !decoded.is_empty() || snapshot_bytes.is_some() {
                        space_obj.read_only = space_obj.schema() > crate::space::SCHEMA_VERSION;
                        // A few changes: re-read what they touched. Many (a
                        // page of history, a snapshot): one pass over all
                        // records is cheaper than diffing them.
                        if snapshot_bytes.is_some() || decoded.len() > REINDEX_ALL_AFTER {
                            space_obj.reindex_all();
                        } else {
                            let patches = space_obj.doc.make_patches(&mut touched);
                            space_obj.reindex_patches(patches);
                        }
                    }
                }
                Err(e) => {
                    self.loaded.remove(space);
                    return Err(e);
                }
            }
            let total = *total.get_or_insert(page.head_seq.saturating_sub(first_cursor));
            progress(&PullProgress {
                kind: kind.to_owned(),
                done: st.cursor.saturating_sub(first_cursor).min(total),
                total,
            });
            if !page.more || st.removed {
                return Ok((applied, quarantined));
            }
        }
    }

    /// Uploads a snapshot of a space now (after a rotation: a device added
    /// later holds only the new epoch's key, so history must be readable
    /// under it).
    pub(crate) fn snapshot_now(&mut self, t: &dyn Transport, space: &str) -> Result<()> {
        let mut st = self.load_sync_state(space)?;
        let token = self.token_for(t)?;
        self.upload_snapshot(t, &token, space, &mut st)?;
        self.save_state(space, &st)
    }

    fn upload_snapshot(
        &mut self,
        t: &dyn Transport,
        token: &str,
        space: &str,
        st: &mut SyncState,
    ) -> Result<()> {
        let sid = space_id(space)?;
        let key = self.epoch_key_of(space, st.epoch)?.ok_or(Error::Sync {
            what: "this device does not hold the space's current key",
        })?;
        let doc = self.space_by_id(space)?.doc.save();
        let snap = seal_snapshot(&self.keys, sid, st.epoch, &key, st.cursor, &doc)?;
        t.put_snapshot(
            token,
            &sid,
            &PutSnapshot {
                v: PROTOCOL_VERSION,
                snapshot: snap,
            },
        )
        .map_err(transport_error)?;
        st.since_snapshot = 0;
        Ok(())
    }

    /// Sync status of every space.
    pub fn sync_status(&self) -> Result<Vec<SyncStatus>> {
        let mut out = Vec::new();
        for s in &self.spaces {
            let st = self.load_sync_state(&s.id)?;
            let (outbox, sent) = self.store.pending(&s.id)?;
            let pending = (outbox + sent) as u64;
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
                seen_by,
                removed: st.removed,
            });
        }
        Ok(out)
    }
}

/// An envelope's opened bytes, or why it was set aside.
type Checked = std::result::Result<zeroize::Zeroizing<Vec<u8>>, &'static str>;

fn bad_log() -> Error {
    Error::Sync {
        what: "the relay sent a membership entry that does not verify; nothing was applied",
    }
}

/// True if `device` may have written under `epoch`: a current member, or a
/// removed one writing under an epoch before its removal.
fn was_member(m: &Membership, device: &DeviceKey, epoch: u32) -> bool {
    if epoch > m.epoch || epoch == 0 {
        return false;
    }
    m.members.contains_key(device) || (m.removed.contains(device) && epoch < m.epoch)
}
