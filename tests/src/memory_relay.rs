//! An in-memory relay that follows the protocol's rules, for fast tests of
//! the device side (and the property test): no sockets, no disk, the same
//! membership, signature, sequence and idempotency checks as the server.
//! It can be switched offline to simulate no signal.

use std::collections::HashMap;
use std::sync::Mutex;

use kindred_core::sync::{Transport, TransportError};
use kindred_protocol::messages::*;
use kindred_protocol::{
    Action, Bytes, ChangeEnvelope, DeviceKey, LogEntry, Membership, PROTOCOL_VERSION, Salt,
    SnapshotEnvelope, SpaceId, verify_ed25519,
};

#[derive(Default)]
struct Space {
    log: Vec<LogEntry>,
    membership: Option<Membership>,
    changes: Vec<StoredChange>,
    acked: HashMap<(DeviceKey, u64), (u64, ChangeEnvelope)>,
    last_seq: HashMap<DeviceKey, u64>,
    snapshot: Option<SnapshotEnvelope>,
    /// Snapshots received (kept or not).
    snapshots_put: u64,
    cursors: HashMap<DeviceKey, u64>,
}

#[derive(Default)]
struct State {
    offline: bool,
    spaces: HashMap<SpaceId, Space>,
    tokens: HashMap<String, DeviceKey>,
    challenges: HashMap<Salt, DeviceKey>,
    mailboxes: HashMap<[u8; 16], Vec<Bytes>>,
    next_token: u64,
    /// Envelopes to tamper with on their way out (by server seq).
    tamper: Vec<u64>,
    /// A removed device this relay keeps serving, hiding its removal.
    collude: Option<DeviceKey>,
    /// Store the next push, then answer as if the connection dropped.
    lose_push_reply: bool,
    fold_next_push: bool,
    /// Devices whose pushes are refused as Forbidden (a role the relay
    /// says does not allow writing).
    refuse_pushes_from: Vec<DeviceKey>,
    /// Spaces whose pulls and pushes are refused (a relay broken, or
    /// hostile, for one space only).
    refuse_spaces: Vec<SpaceId>,
    /// Devices whose pushes are stored with no check at all (a relay that
    /// colludes with them, or a compromised one).
    skip_checks_for: Vec<DeviceKey>,
    /// Changes left out of every pull (by space and server seq).
    hidden: Vec<(SpaceId, u64)>,
}

/// An entry's bounds against what this relay holds (the server's rule:
/// below what is held is stale, past it or different invalid).
fn check_bounds(
    last_seq: &HashMap<DeviceKey, u64>,
    acked: &HashMap<(DeviceKey, u64), (u64, ChangeEnvelope)>,
    m: &Membership,
    entry: &LogEntry,
) -> Result<(), TransportError> {
    if let Action::RemoveDevice { bounds, .. }
    | Action::Rotate { bounds, .. }
    | Action::Erase { bounds, .. }
    | Action::SetRole { bounds, .. } = &entry.action
    {
        for d in m.members.keys() {
            let held = last_seq.get(d).copied().unwrap_or(0);
            let bound = bounds.iter().find(|b| b.device == *d);
            let (seq, head) = bound.map_or((0, None), |b| (b.seq, Some(b.head)));
            if seq < held {
                return Err(refuse(ErrorCode::StaleHead));
            }
            let held_hash = acked.get(&(*d, held)).map(|(_, e)| e.hash());
            if seq > held || (seq > 0 && head != held_hash) {
                return Err(refuse(ErrorCode::InvalidEntry));
            }
        }
    }
    Ok(())
}

/// Something to run just before the next push is handled.
type Hook = Box<dyn FnOnce(&MemoryRelay) + Send>;

/// The in-memory relay.
#[derive(Default)]
pub struct MemoryRelay {
    state: Mutex<State>,
    before_push: Mutex<Option<Hook>>,
}

impl std::fmt::Debug for MemoryRelay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MemoryRelay")
    }
}

fn refuse(code: ErrorCode) -> TransportError {
    TransportError::Rejected {
        status: 400,
        code,
        message: format!("{code:?}"),
    }
}

impl MemoryRelay {
    /// A relay with nothing in it.
    pub fn new() -> MemoryRelay {
        MemoryRelay::default()
    }

    /// Refuses every pull and push of `space` from now on (`Internal`),
    /// while the other spaces go on as before.
    pub fn refuse_space(&self, space: SpaceId) {
        self.lock().refuse_spaces.push(space);
    }

    /// Refuses every push from `device` as Forbidden (until `allow_pushes`).
    pub fn refuse_pushes_from(&self, device: DeviceKey) {
        self.lock().refuse_pushes_from.push(device);
    }

    /// Takes pushes from every member again.
    pub fn allow_pushes(&self) {
        self.lock().refuse_pushes_from.clear();
    }

    /// Stores every later push from `device` without any check (role,
    /// epoch, bounds, chain, membership): a relay that lets it write.
    pub fn skip_checks_for(&self, device: DeviceKey) {
        self.lock().skip_checks_for.push(device);
    }

    /// Leaves the change at `server_seq` out of every later pull of
    /// `space` (a relay that drops one change).
    pub fn hide_change(&self, space: SpaceId, server_seq: u64) {
        self.lock().hidden.push((space, server_seq));
    }

    /// Replaces the space's snapshot with `snapshot`, unchecked (a relay
    /// that serves a forged one).
    pub fn replace_snapshot(&self, space: &SpaceId, snapshot: SnapshotEnvelope) {
        if let Some(s) = self.lock().spaces.get_mut(space) {
            s.snapshot = Some(snapshot);
        }
    }

    /// The wrapping key the space's log names for `device`.
    pub fn wrap_key_of(
        &self,
        space: &SpaceId,
        device: &DeviceKey,
    ) -> Option<kindred_protocol::WrapKey> {
        let st = self.lock();
        let m = st.spaces.get(space)?.membership.as_ref()?;
        m.members.get(device).map(|m| m.wrap_key)
    }

    /// The space's snapshot as the relay holds it.
    pub fn snapshot_of(&self, space: &SpaceId) -> Option<SnapshotEnvelope> {
        self.lock().spaces.get(space)?.snapshot.clone()
    }

    /// Switches the relay off (requests fail as unreachable) or on.
    pub fn set_offline(&self, offline: bool) {
        self.lock().offline = offline;
    }

    /// Flips a byte of the ciphertext of the change at `server_seq` in
    /// every later pull (a relay that tampers).
    pub fn tamper_with(&self, server_seq: u64) {
        self.lock().tamper.push(server_seq);
    }

    /// Plays a relay that colludes with a removed device: it keeps serving
    /// it every change and hides the log entries from its removal on.
    pub fn collude_with(&self, device: DeviceKey) {
        self.lock().collude = Some(device);
    }

    /// The next push is stored but its reply is lost (the device sees an
    /// unreachable relay).
    pub fn lose_next_push_reply(&self) {
        self.lock().lose_push_reply = true;
    }

    /// The next push is answered "stored long ago" (server sequence 0, as
    /// a relay answers a retry of a change retention folded into a
    /// snapshot) for every envelope, and nothing is stored: a lying relay,
    /// or one that holds older envelopes of a device restored from backup.
    pub fn fold_next_push(&self) {
        self.lock().fold_next_push = true;
    }

    /// Runs `f` when the next push arrives, before it is handled (to land
    /// another device's request between a device sealing and pushing).
    pub fn before_next_push(&self, f: impl FnOnce(&MemoryRelay) + Send + 'static) {
        *self.before_push.lock().unwrap_or_else(|p| p.into_inner()) = Some(Box::new(f));
    }

    /// Number of changes stored for all spaces.
    pub fn change_count(&self) -> usize {
        self.lock().spaces.values().map(|s| s.changes.len()).sum()
    }

    /// Stores an envelope as if a member had pushed it (for tests that
    /// play a misbehaving relay).
    pub fn inject(&self, space: SpaceId, envelope: ChangeEnvelope) {
        let mut st = self.lock();
        if let Some(s) = st.spaces.get_mut(&space) {
            let seq = s.changes.len() as u64 + 1;
            s.changes.push(StoredChange {
                server_seq: seq,
                envelope,
            });
        }
    }

    /// The length and head hash of a space's log as the relay holds it.
    pub fn log_head(&self, space: &SpaceId) -> Option<(u64, kindred_protocol::Hash)> {
        let st = self.lock();
        let log = &st.spaces.get(space)?.log;
        Some((log.len() as u64, log.last()?.hash()))
    }

    /// A space's log as the relay holds it.
    pub fn log_of(&self, space: &SpaceId) -> Vec<LogEntry> {
        self.lock()
            .spaces
            .get(space)
            .map(|s| s.log.clone())
            .unwrap_or_default()
    }

    /// Appends a log entry without any check (a relay that forges or
    /// passes on a forged entry).
    pub fn inject_log(&self, space: &SpaceId, entry: LogEntry) {
        if let Some(s) = self.lock().spaces.get_mut(space) {
            s.log.push(entry);
        }
    }

    /// The devices in a space's membership, as the relay holds it.
    pub fn member_keys(&self, space: &SpaceId) -> Vec<DeviceKey> {
        self.lock()
            .spaces
            .get(space)
            .and_then(|s| s.membership.as_ref())
            .map(|m| m.members.keys().copied().collect())
            .unwrap_or_default()
    }

    /// The changes stored for a space (what the relay holds).
    pub fn changes_of(&self, space: &SpaceId) -> Vec<StoredChange> {
        self.lock()
            .spaces
            .get(space)
            .map(|s| s.changes.clone())
            .unwrap_or_default()
    }

    /// What the space's snapshot covers (its server sequence), if it has one.
    pub fn snapshot_covers(&self, space: &SpaceId) -> Option<u64> {
        self.lock()
            .spaces
            .get(space)
            .and_then(|s| s.snapshot.as_ref().map(|x| x.covers))
    }

    /// How many snapshots devices have uploaded to the space.
    pub fn snapshots_put(&self, space: &SpaceId) -> u64 {
        self.lock().spaces.get(space).map_or(0, |s| s.snapshots_put)
    }

    /// The ids of every space on the relay.
    pub fn space_ids(&self) -> Vec<SpaceId> {
        self.lock().spaces.keys().copied().collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn online(&self) -> Result<std::sync::MutexGuard<'_, State>, TransportError> {
        let st = self.lock();
        if st.offline {
            return Err(TransportError::Unreachable);
        }
        Ok(st)
    }
}

fn who(st: &State, token: &str) -> Result<DeviceKey, TransportError> {
    st.tokens
        .get(token)
        .copied()
        .ok_or_else(|| refuse(ErrorCode::Unauthenticated))
}

fn member_space<'a>(
    st: &'a mut State,
    space: &SpaceId,
    device: &DeviceKey,
) -> Result<&'a mut Space, TransportError> {
    let collude = st.collude == Some(*device);
    let s = st
        .spaces
        .get_mut(space)
        .ok_or_else(|| refuse(ErrorCode::NotFound))?;
    let m = s
        .membership
        .as_ref()
        .ok_or_else(|| refuse(ErrorCode::NotFound))?;
    if collude {
        return Ok(s);
    }
    if m.removed.contains(device) {
        return Err(refuse(ErrorCode::Removed));
    }
    if !m.members.contains_key(device) {
        return Err(refuse(ErrorCode::NotMember));
    }
    Ok(s)
}

/// The origin the memory relay answers to (a sign-in for any other is
/// refused, as a real relay refuses one made for another relay).
pub const MEMORY_ORIGIN: &str = "https://memory.relay.test";

impl Transport for MemoryRelay {
    fn origin(&self) -> String {
        MEMORY_ORIGIN.into()
    }

    fn challenge(&self, req: &ChallengeRequest) -> Result<Challenge, TransportError> {
        let mut st = self.online()?;
        st.next_token += 1;
        let mut nonce = [0u8; 32];
        nonce[..8].copy_from_slice(&st.next_token.to_be_bytes());
        st.challenges.insert(Salt(nonce), req.device);
        Ok(Challenge {
            v: PROTOCOL_VERSION,
            nonce: Salt(nonce),
            expires_in_secs: 120,
        })
    }

    fn token(&self, req: &TokenRequest) -> Result<Token, TransportError> {
        let mut st = self.online()?;
        if st.challenges.remove(&req.nonce) != Some(req.device) {
            return Err(refuse(ErrorCode::Unauthenticated));
        }
        if req.origin != MEMORY_ORIGIN {
            return Err(refuse(ErrorCode::BadSignature));
        }
        verify_ed25519(
            &req.device,
            &TokenRequest::signing_bytes(&req.device, &req.nonce, &req.origin),
            &req.sig,
        )
        .map_err(|_| refuse(ErrorCode::BadSignature))?;
        st.next_token += 1;
        let token = format!("t{}", st.next_token);
        st.tokens.insert(token.clone(), req.device);
        Ok(Token {
            v: PROTOCOL_VERSION,
            token,
            expires_in_secs: 900,
        })
    }

    fn create_space(&self, token: &str, body: &AppendLog) -> Result<LogHead, TransportError> {
        let mut st = self.online()?;
        let me = who(&st, token)?;
        let m = Membership::genesis(&body.entry).map_err(|_| refuse(ErrorCode::InvalidEntry))?;
        if body.entry.author != me {
            return Err(refuse(ErrorCode::Forbidden));
        }
        if st.spaces.contains_key(&m.space) {
            return Err(refuse(ErrorCode::SpaceExists));
        }
        let head = LogHead {
            v: PROTOCOL_VERSION,
            len: m.len,
            head: m.head,
        };
        st.spaces.insert(
            m.space,
            Space {
                log: vec![body.entry.clone()],
                membership: Some(m),
                ..Default::default()
            },
        );
        Ok(head)
    }

    fn append_log(
        &self,
        token: &str,
        space: &SpaceId,
        body: &AppendLog,
    ) -> Result<LogHead, TransportError> {
        let mut st = self.online()?;
        let me = who(&st, token)?;
        if st.refuse_pushes_from.contains(&me) {
            return Err(refuse(ErrorCode::Forbidden));
        }
        if st.refuse_spaces.contains(space) {
            return Err(refuse(ErrorCode::Internal));
        }
        let s = member_space(&mut st, space, &me)?;
        let m = s
            .membership
            .as_mut()
            .ok_or_else(|| refuse(ErrorCode::NotFound))?;
        if body.entry.prev != m.head {
            return Err(refuse(ErrorCode::StaleHead));
        }
        // An erasure goes with its snapshot (`erase`).
        if matches!(body.entry.action, Action::Erase { .. }) {
            return Err(refuse(ErrorCode::InvalidEntry));
        }
        check_bounds(&s.last_seq, &s.acked, m, &body.entry)?;
        m.apply(&body.entry)
            .map_err(|_| refuse(ErrorCode::InvalidEntry))?;
        let head = LogHead {
            v: PROTOCOL_VERSION,
            len: m.len,
            head: m.head,
        };
        s.log.push(body.entry.clone());
        Ok(head)
    }

    fn push(
        &self,
        token: &str,
        space: &SpaceId,
        body: &Push,
    ) -> Result<PushResult, TransportError> {
        let hook = self
            .before_push
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(f) = hook {
            f(self);
        }
        let mut st = self.online()?;
        let me = who(&st, token)?;
        if st.skip_checks_for.contains(&me) {
            let s = st
                .spaces
                .get_mut(space)
                .ok_or_else(|| refuse(ErrorCode::NotFound))?;
            let mut acks = Vec::new();
            for e in &body.envelopes {
                let seq = s.changes.len() as u64 + 1;
                s.changes.push(StoredChange {
                    server_seq: seq,
                    envelope: e.clone(),
                });
                acks.push(Ack {
                    device_seq: e.seq,
                    server_seq: seq,
                });
            }
            return Ok(PushResult {
                v: PROTOCOL_VERSION,
                acks,
            });
        }
        if st.refuse_pushes_from.contains(&me) {
            return Err(refuse(ErrorCode::Forbidden));
        }
        if st.refuse_spaces.contains(space) {
            return Err(refuse(ErrorCode::Internal));
        }
        if std::mem::take(&mut st.fold_next_push) {
            return Ok(PushResult {
                v: PROTOCOL_VERSION,
                acks: body
                    .envelopes
                    .iter()
                    .map(|e| Ack {
                        device_seq: e.seq,
                        server_seq: 0,
                    })
                    .collect(),
            });
        }
        let s = member_space(&mut st, space, &me)?;
        let m = s
            .membership
            .clone()
            .ok_or_else(|| refuse(ErrorCode::NotFound))?;
        // Check the whole batch first: a refused push changes nothing.
        let mut next = *s.last_seq.get(&me).unwrap_or(&0);
        let mut plan: Vec<Result<ChangeEnvelope, u64>> = Vec::new();
        for e in &body.envelopes {
            e.verify_signature()
                .map_err(|_| refuse(ErrorCode::BadSignature))?;
            if e.device != me || e.space != *space {
                return Err(refuse(ErrorCode::Forbidden));
            }
            if !m.role_of(&me).is_some_and(|r| r.can_write()) {
                return Err(refuse(ErrorCode::Forbidden));
            }
            if let Some((seq, stored)) = s.acked.get(&(me, e.seq)) {
                if stored != e {
                    return Err(refuse(ErrorCode::SequenceConflict));
                }
                plan.push(Err(*seq));
            } else if e.epoch != m.epoch {
                return Err(refuse(ErrorCode::StaleEpoch));
            } else if e.seq == next + 1 {
                // Bounds and the device's chain, as the server checks them.
                m.check_write(e).map_err(|_| refuse(ErrorCode::Forbidden))?;
                let prev = match plan.iter().rev().find_map(|p| p.as_ref().ok()) {
                    Some(p) => Some(p.hash()),
                    None => s.acked.get(&(me, next)).map(|(_, e)| e.hash()),
                };
                if prev.is_some_and(|h| h != e.prev) {
                    return Err(refuse(ErrorCode::SequenceConflict));
                }
                next += 1;
                plan.push(Ok(e.clone()));
            } else {
                return Err(refuse(ErrorCode::SequenceGap));
            }
        }
        let mut acks = Vec::new();
        for (p, e) in plan.into_iter().zip(&body.envelopes) {
            let server_seq = match p {
                Err(seq) => seq,
                Ok(env) => {
                    let seq = s.changes.len() as u64 + 1;
                    s.changes.push(StoredChange {
                        server_seq: seq,
                        envelope: env.clone(),
                    });
                    s.acked.insert((me, env.seq), (seq, env));
                    s.last_seq.insert(me, e.seq);
                    seq
                }
            };
            acks.push(Ack {
                device_seq: e.seq,
                server_seq,
            });
        }
        if std::mem::take(&mut st.lose_push_reply) {
            return Err(TransportError::Unreachable);
        }
        Ok(PushResult {
            v: PROTOCOL_VERSION,
            acks,
        })
    }

    fn pull(
        &self,
        token: &str,
        space: &SpaceId,
        after: u64,
        log_after: u64,
        limit: u32,
    ) -> Result<PullPage, TransportError> {
        let mut st = self.online()?;
        let me = who(&st, token)?;
        if st.refuse_spaces.contains(space) {
            return Err(refuse(ErrorCode::Internal));
        }
        let tamper = st.tamper.clone();
        let hidden: Vec<u64> = st
            .hidden
            .iter()
            .filter(|(sp, _)| sp == space)
            .map(|(_, n)| *n)
            .collect();
        let collude = st.collude == Some(me);
        let s = if collude {
            st.spaces
                .get_mut(space)
                .ok_or_else(|| refuse(ErrorCode::NotFound))?
        } else {
            member_space(&mut st, space, &me)?
        };
        let snapshot = s
            .snapshot
            .as_ref()
            .filter(|snap| snap.covers > after || (after == 0 && log_after == 0))
            .cloned();
        let from = snapshot
            .as_ref()
            .map_or(after, |snap| snap.covers.max(after));
        // Kept in server order: start at the cursor rather than walk
        // every change (a space of 10,000 would cost the benches a scan).
        let start = s.changes.partition_point(|c| c.server_seq <= from);
        let mut changes: Vec<StoredChange> = s.changes[start..]
            .iter()
            .filter(|c| !hidden.contains(&c.server_seq))
            .take(limit as usize + 1)
            .cloned()
            .collect();
        let more = changes.len() > limit as usize;
        changes.truncate(limit as usize);
        for c in &mut changes {
            if tamper.contains(&c.server_seq) && !c.envelope.ciphertext.0.is_empty() {
                c.envelope.ciphertext.0[0] ^= 1;
            }
        }
        Ok(PullPage {
            v: PROTOCOL_VERSION,
            log: s
                .log
                .iter()
                .filter(|e| e.seq >= log_after)
                .take_while(|e| {
                    !(collude
                        && matches!(&e.action, Action::RemoveDevice { device, .. } if *device == me))
                })
                .cloned()
                .collect(),
            snapshot,
            changes,
            head_seq: s.changes.len() as u64,
            more,
            cursors: s
                .cursors
                .iter()
                .map(|(d, c)| DeviceCursor {
                    device: *d,
                    server_seq: *c,
                })
                .collect(),
        })
    }

    fn spaces(&self, token: &str) -> Result<SpaceList, TransportError> {
        let st = self.online()?;
        let me = who(&st, token)?;
        let mut spaces: Vec<SpaceId> = st
            .spaces
            .iter()
            .filter(|(_, s)| {
                s.membership
                    .as_ref()
                    .is_some_and(|m| m.members.contains_key(&me))
            })
            .map(|(id, _)| *id)
            .collect();
        spaces.sort();
        Ok(SpaceList {
            v: PROTOCOL_VERSION,
            spaces,
        })
    }

    fn log(&self, token: &str, space: &SpaceId, after: u64) -> Result<LogPage, TransportError> {
        let st = self.online()?;
        let me = who(&st, token)?;
        let s = st
            .spaces
            .get(space)
            .ok_or_else(|| refuse(ErrorCode::NotFound))?;
        let m = s
            .membership
            .as_ref()
            .ok_or_else(|| refuse(ErrorCode::NotFound))?;
        if !m.members.contains_key(&me) && !m.removed.contains(&me) {
            return Err(refuse(ErrorCode::NotMember));
        }
        Ok(LogPage {
            v: PROTOCOL_VERSION,
            entries: s.log.iter().filter(|e| e.seq >= after).cloned().collect(),
        })
    }

    fn put_snapshot(
        &self,
        token: &str,
        space: &SpaceId,
        body: &PutSnapshot,
    ) -> Result<(), TransportError> {
        let mut st = self.online()?;
        let me = who(&st, token)?;
        let s = member_space(&mut st, space, &me)?;
        body.snapshot
            .verify_signature()
            .map_err(|_| refuse(ErrorCode::BadSignature))?;
        if !s
            .membership
            .as_ref()
            .is_some_and(|m| m.may_snapshot(&me, m.epoch))
        {
            return Err(refuse(ErrorCode::Forbidden));
        }
        if body.snapshot.covers > s.changes.len() as u64 {
            return Err(refuse(ErrorCode::InvalidEntry));
        }
        s.snapshots_put += 1;
        if s.snapshot
            .as_ref()
            .is_none_or(|old| old.covers <= body.snapshot.covers)
        {
            s.snapshot = Some(body.snapshot.clone());
        }
        Ok(())
    }

    fn erase(
        &self,
        token: &str,
        space: &SpaceId,
        body: &EraseSpace,
    ) -> Result<LogHead, TransportError> {
        let mut st = self.online()?;
        let me = who(&st, token)?;
        let (entry, snap) = (&body.entry, &body.snapshot);
        if entry.author != me || snap.device != me || entry.space != *space {
            return Err(refuse(ErrorCode::Forbidden));
        }
        snap.verify_signature()
            .map_err(|_| refuse(ErrorCode::BadSignature))?;
        let s = member_space(&mut st, space, &me)?;
        let head = s.changes.len() as u64;
        let m = s
            .membership
            .as_mut()
            .ok_or_else(|| refuse(ErrorCode::NotFound))?;
        if entry.prev != m.head {
            return Err(refuse(ErrorCode::StaleHead));
        }
        check_bounds(&s.last_seq, &s.acked, m, entry)?;
        let Action::Erase { epoch, bounds, .. } = &entry.action else {
            return Err(refuse(ErrorCode::InvalidEntry));
        };
        if snap.covers != head {
            return Err(refuse(ErrorCode::StaleHead));
        }
        let named: std::collections::BTreeSet<_> =
            bounds.iter().map(|b| (b.device, b.seq, b.head)).collect();
        let heads: std::collections::BTreeSet<_> = snap
            .heads
            .iter()
            .filter(|h| h.seq > 0)
            .map(|h| (h.device, h.seq, h.head))
            .collect();
        if snap.epoch != *epoch || snap.space != *space || named != heads {
            return Err(refuse(ErrorCode::InvalidEntry));
        }
        m.apply(entry)
            .map_err(|_| refuse(ErrorCode::InvalidEntry))?;
        let answer = LogHead {
            v: PROTOCOL_VERSION,
            len: m.len,
            head: m.head,
        };
        s.log.push(entry.clone());
        s.snapshot = Some(snap.clone());
        s.snapshots_put += 1;
        // Every earlier change's ciphertext goes; numbering goes on.
        for c in &mut s.changes {
            c.envelope.ciphertext = Bytes(Vec::new());
        }
        Ok(answer)
    }

    fn ack(&self, token: &str, space: &SpaceId, body: &AckCursor) -> Result<(), TransportError> {
        let mut st = self.online()?;
        let me = who(&st, token)?;
        let s = member_space(&mut st, space, &me)?;
        let c = s.cursors.entry(me).or_insert(0);
        *c = (*c).max(body.server_seq);
        Ok(())
    }

    fn rendezvous_post(&self, id: &[u8; 16], body: &RendezvousPost) -> Result<(), TransportError> {
        let mut st = self.online()?;
        let b = st.mailboxes.entry(*id).or_default();
        if b.len() >= kindred_protocol::limits::MAX_RENDEZVOUS_MESSAGES {
            return Err(refuse(ErrorCode::MailboxFull));
        }
        b.push(body.payload.clone());
        Ok(())
    }

    fn rendezvous_take(&self, id: &[u8; 16]) -> Result<RendezvousMessages, TransportError> {
        let mut st = self.online()?;
        Ok(RendezvousMessages {
            v: PROTOCOL_VERSION,
            messages: st.mailboxes.remove(id).unwrap_or_default(),
        })
    }
}

/// A view of a relay (in memory, or a real server over HTTP) in which
/// rendezvous mailboxes are private to one side: its mailbox ids are
/// changed by `tag`. Two devices given views
/// with different tags never meet in a mailbox, so a third device that
/// holds both views sits in the middle of every message between them
/// (the man in the middle of the invite tests).
pub struct MailboxSplit<'a> {
    pub relay: &'a dyn Transport,
    pub tag: u8,
}

impl std::fmt::Debug for MailboxSplit<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MailboxSplit({})", self.tag)
    }
}

impl MailboxSplit<'_> {
    fn id(&self, id: &[u8; 16]) -> [u8; 16] {
        let mut out = *id;
        out[0] ^= self.tag;
        out
    }
}

impl Transport for MailboxSplit<'_> {
    fn origin(&self) -> String {
        self.relay.origin()
    }
    fn challenge(&self, req: &ChallengeRequest) -> Result<Challenge, TransportError> {
        self.relay.challenge(req)
    }
    fn token(&self, req: &TokenRequest) -> Result<Token, TransportError> {
        self.relay.token(req)
    }
    fn create_space(&self, token: &str, body: &AppendLog) -> Result<LogHead, TransportError> {
        self.relay.create_space(token, body)
    }
    fn append_log(
        &self,
        token: &str,
        space: &SpaceId,
        body: &AppendLog,
    ) -> Result<LogHead, TransportError> {
        self.relay.append_log(token, space, body)
    }
    fn push(
        &self,
        token: &str,
        space: &SpaceId,
        body: &Push,
    ) -> Result<PushResult, TransportError> {
        self.relay.push(token, space, body)
    }
    fn pull(
        &self,
        token: &str,
        space: &SpaceId,
        after: u64,
        log_after: u64,
        limit: u32,
    ) -> Result<PullPage, TransportError> {
        self.relay.pull(token, space, after, log_after, limit)
    }
    fn log(&self, token: &str, space: &SpaceId, after: u64) -> Result<LogPage, TransportError> {
        self.relay.log(token, space, after)
    }
    fn spaces(&self, token: &str) -> Result<SpaceList, TransportError> {
        self.relay.spaces(token)
    }
    fn put_snapshot(
        &self,
        token: &str,
        space: &SpaceId,
        body: &PutSnapshot,
    ) -> Result<(), TransportError> {
        self.relay.put_snapshot(token, space, body)
    }
    fn ack(&self, token: &str, space: &SpaceId, body: &AckCursor) -> Result<(), TransportError> {
        self.relay.ack(token, space, body)
    }
    fn erase(
        &self,
        token: &str,
        space: &SpaceId,
        body: &EraseSpace,
    ) -> Result<LogHead, TransportError> {
        self.relay.erase(token, space, body)
    }
    fn rendezvous_post(&self, id: &[u8; 16], body: &RendezvousPost) -> Result<(), TransportError> {
        self.relay.rendezvous_post(&self.id(id), body)
    }
    fn rendezvous_take(&self, id: &[u8; 16]) -> Result<RendezvousMessages, TransportError> {
        self.relay.rendezvous_take(&self.id(id))
    }
}
