//! Pushing: seal pending outbox rows into envelopes under the lock, send
//! them with nothing held, record the relay's acknowledgements under the
//! lock again.
//!
//! An envelope the relay refuses for good (this device may only read
//! here, or the envelope breaks a rule that retrying cannot fix) is set
//! aside: the pending changes stay on this device, the status shows them
//! as set aside in plain words, and the pass goes on to pull, so removals
//! and role changes still arrive. They are offered once more when the
//! space's membership log moves on (a role change, say).

use kindred_protocol::messages::*;
use kindred_protocol::{ChangeEnvelope, DeviceKey, PROTOCOL_VERSION, decode, encode};

use super::access::CoreAccess;
use super::engine::{Pass, now, space_id, state_bytes, transport_error};
use crate::crypto::seal_change;
use crate::error::{Error, Result};
use crate::kindred::Kindred;

/// Plaintext carried by one envelope, at most (the limit is 256 KiB).
const ENVELOPE_BUDGET: usize = 192 * 1024;
/// Envelopes sent in one push.
const PUSH_BATCH: i64 = 64;

/// What pushing did.
#[derive(Debug, Default)]
pub(super) struct Pushed {
    /// Envelopes the relay acknowledged.
    pub acked: u64,
    /// Changes (local edits) those envelopes carried.
    pub changes: u64,
    /// Pending changes set aside because the relay refused them for good.
    pub refused: u64,
}

/// True for refusals that retrying the same envelopes cannot fix.
fn refused_for_good(code: ErrorCode) -> bool {
    matches!(
        code,
        ErrorCode::Forbidden | ErrorCode::TooLarge | ErrorCode::Malformed | ErrorCode::BadSignature
    )
}

impl Kindred {
    /// Seals outbox rows into envelopes (stored in `sent`, with the
    /// sequence numbers they take, in one transaction) while fewer than a
    /// batch wait, and returns every envelope awaiting acknowledgement.
    pub(super) fn gather_push(&mut self, space: &str) -> Result<(Vec<ChangeEnvelope>, u64)> {
        let sid = space_id(space)?;
        let mut st = self.load_sync_state(space)?;
        let key = self.epoch_key_of(space, st.epoch)?.ok_or(Error::Sync {
            what: "this device does not hold the space's current key",
        })?;
        let cap = self
            .options
            .max_changes_per_envelope
            .unwrap_or(usize::MAX)
            .max(1);
        let offered_before = st.offered();
        let tx = self.store.begin()?;
        let mut sealed = 0;
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
                let mut taken = 0;
                while i < rows.len()
                    && taken < cap
                    && (plain.is_empty() || plain.len() + rows[i].bytes.len() <= ENVELOPE_BUDGET)
                {
                    taken += 1;
                    plain.extend_from_slice(&rows[i].bytes);
                    upto = rows[i].local_seq;
                    i += 1;
                }
                let seq = st.next_device_seq;
                let prev = st.my_prev();
                let env = seal_change(&self.keys, sid, st.epoch, &key, seq, prev, &plain)?;
                st.set_my_prev(env.hash());
                let bytes = encode(&Push {
                    v: PROTOCOL_VERSION,
                    envelopes: vec![env],
                });
                tx.put_sent(space, seq as i64, upto, &bytes)?;
                sealed += 1;
                st.next_device_seq += 1;
                sent.push(crate::store::SentRow {
                    upto_local_seq: upto,
                    bytes: zeroize::Zeroizing::new(bytes),
                });
            }
        }
        // Everything returned is offered the relay now (it may arrive even
        // if the reply is lost). Nothing new sealed and nothing newly
        // offered: nothing to commit.
        let offered = Some(offered_before.max(st.next_device_seq.saturating_sub(1)));
        if sealed > 0 || st.offered_upto != offered {
            st.offered_upto = offered;
            tx.put_sync_state(space, &state_bytes(&st)?)?;
            tx.commit()?;
        }
        let envelopes = sent
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
        Ok((envelopes, offered_before))
    }

    /// Records that this store is behind what the device sent (restored
    /// from a backup, or copied) and returns the typed error. The space
    /// stops syncing here from now on; nothing is deleted.
    pub(super) fn restored(&mut self, space: &str) -> Error {
        if let Err(e) = self.update_sync_state(space, |st| st.restored = true) {
            return e;
        }
        self.restored_error(space)
    }

    fn restored_error(&self, space: &str) -> Error {
        let kind = self
            .spaces
            .iter()
            .find(|s| s.id == space)
            .map(|s| s.kind.as_str().to_owned())
            .unwrap_or_default();
        Error::RestoredFromBackup { space: kind }
    }

    /// The typed error if this space was found restored from a backup.
    pub(super) fn check_not_restored(&self, space: &str) -> Result<()> {
        if self.load_sync_state(space)?.restored {
            return Err(self.restored_error(space));
        }
        Ok(())
    }

    /// Records acknowledgements (idempotent: an envelope acknowledged
    /// twice is simply gone the second time). Returns how many changes
    /// they cleared from the outbox.
    ///
    /// An acknowledgement "stored long ago" (server sequence 0: folded into
    /// a snapshot) for a sequence this device had never offered before
    /// this push cannot be of this envelope: the relay holds an older one
    /// under the same number, sent by this device before its store was
    /// rolled back (a backup restored). Taking it would delete changes the
    /// relay never received, so nothing is recorded and the typed error
    /// says what to do.
    pub(super) fn record_acks(
        &mut self,
        space: &str,
        acks: &[Ack],
        offered_before: u64,
        sent: &[ChangeEnvelope],
    ) -> Result<u64> {
        self.check_acks(space, acks, offered_before)?;
        let mut st = self.load_sync_state(space)?;
        let tx = self.store.begin()?;
        let me = self.keys.device_key();
        let changes = record_acks_in(&tx, space, &mut st, me, acks, sent)?;
        tx.put_sync_state(space, &state_bytes(&st)?)?;
        tx.commit()?;
        Ok(changes)
    }

    /// Refuses acknowledgements that show this store was rolled back (see
    /// [`Kindred::record_acks`]); nothing is recorded.
    pub(super) fn check_acks(
        &mut self,
        space: &str,
        acks: &[Ack],
        offered_before: u64,
    ) -> Result<()> {
        if acks
            .iter()
            .any(|a| a.server_seq == 0 && a.device_seq > offered_before)
        {
            return Err(self.restored(space));
        }
        Ok(())
    }
}

/// Records checked acknowledgements in `tx` and `st` (the caller saves
/// `st` in the same transaction). Returns how many changes they cleared.
pub(super) fn record_acks_in(
    tx: &crate::store::StoreTx<'_>,
    space: &str,
    st: &mut super::state::SyncState,
    me: DeviceKey,
    acks: &[Ack],
    sent: &[ChangeEnvelope],
) -> Result<u64> {
    let mut changes = 0;
    for a in acks {
        if let Some(e) = sent.iter().find(|e| e.seq == a.device_seq) {
            st.raise_head(me, e.seq, e.hash());
        }
        changes += tx.acknowledge(space, a.device_seq as i64)?;
        st.my_latest = st.my_latest.max(a.server_seq);
        st.since_snapshot += 1;
    }
    st.last_push_at = Some(now());
    Ok(changes)
}

impl Kindred {
    /// Sets pending changes aside after a refusal for good, until the
    /// space's log moves past its present length. Returns how many.
    fn set_aside(&mut self, space: &str) -> Result<u64> {
        let n = self.store.pending(space)?.0.max(0) as u64;
        self.update_sync_state(space, |st| {
            st.set_aside_at_log = Some(st.log_len);
        })?;
        Ok(n)
    }

    /// True if pushing waits: changes were set aside and nothing in the
    /// membership changed since.
    pub(super) fn push_set_aside(&self, space: &str) -> Result<bool> {
        let st = self.load_sync_state(space)?;
        Ok(st.set_aside_at_log.is_some_and(|at| at >= st.log_len))
    }
}

impl<A: CoreAccess + ?Sized> Pass<'_, A> {
    /// Pushes until the relay has acknowledged everything pending (or has
    /// refused it for good: then it is set aside and reported).
    pub(super) fn push_pending(&self, token: &str, space: &str) -> Result<Pushed> {
        let sid = space_id(space)?;
        let mut out = Pushed::default();
        self.core.with(|k| k.check_not_restored(space))?;
        if self.core.with(|k| k.push_set_aside(space))? {
            out.refused = self
                .core
                .with(|k| Ok(k.store.pending(space)?.0.max(0) as u64))?;
            return Ok(out);
        }
        loop {
            let (envelopes, offered_before) = self.core.with(|k| k.gather_push(space))?;
            if envelopes.is_empty() {
                self.core
                    .with(|k| k.update_sync_state(space, |st| st.set_aside_at_log = None))?;
                return Ok(out);
            }
            let body = Push {
                v: PROTOCOL_VERSION,
                envelopes,
            };
            let result = self.t.push(token, &sid, &body);
            let result = match result {
                Ok(r) => r,
                // Another envelope under one of these numbers, signed by
                // this device's key: this store is behind what the device
                // sent (restored from a backup, or copied). Recorded, so
                // every later pass stops here too.
                Err(e) if e.code() == Some(ErrorCode::SequenceConflict) => {
                    return Err(self.core.with(|k| Ok(k.restored(space)))?);
                }
                Err(e) if e.code().is_some_and(refused_for_good) => {
                    out.refused = self.core.with(|k| k.set_aside(space))?;
                    return Ok(out);
                }
                Err(e) => return Err(transport_error(e)),
            };
            out.changes += self
                .core
                .with(|k| k.record_acks(space, &result.acks, offered_before, &body.envelopes))?;
            if result.acks.is_empty() {
                return Err(Error::Sync {
                    what: "the relay acknowledged nothing",
                });
            }
            out.acked += result.acks.len() as u64;
        }
    }

    /// After the relay refused a push as stale: envelopes sealed under an
    /// ended epoch are tried once more one by one, oldest first (one the
    /// relay already stored, whose acknowledgement was lost, is
    /// acknowledged again); from the first it refuses, they are dropped and
    /// their changes, still in the outbox, are sealed again under the
    /// current epoch with the same sequence numbers. Returns how many
    /// changes the relay acknowledged on the way.
    pub(super) fn reseal_stale(&self, token: &str, space: &str) -> Result<u64> {
        let sid = space_id(space)?;
        let mut changes = 0;
        loop {
            let stale = self.core.with(|k| {
                let epoch = k.load_sync_state(space)?.epoch;
                let tx = k.store.begin()?;
                let sent = tx.sent(space, i64::MAX)?;
                tx.commit()?;
                Ok(sent
                    .iter()
                    .filter_map(|s| decode::<Push>(&s.bytes).ok())
                    .flat_map(|p| p.envelopes)
                    .find(|e| e.epoch != epoch))
            })?;
            let Some(env) = stale else {
                return Ok(changes);
            };
            let (seq, prev, hash) = (env.seq, env.prev, env.hash());
            let result = self.t.push(
                token,
                &sid,
                &Push {
                    v: PROTOCOL_VERSION,
                    envelopes: vec![env],
                },
            );
            match result {
                Ok(r) if !r.acks.is_empty() => {
                    changes += self.core.with(|k| {
                        let mut st = k.load_sync_state(space)?;
                        let me = k.keys.device_key();
                        let tx = k.store.begin()?;
                        let mut n = 0;
                        for a in &r.acks {
                            n += tx.acknowledge(space, a.device_seq as i64)?;
                            st.my_latest = st.my_latest.max(a.server_seq);
                            if a.device_seq == seq {
                                st.raise_head(me, seq, hash);
                            }
                        }
                        tx.put_sync_state(space, &state_bytes(&st)?)?;
                        tx.commit()?;
                        Ok(n)
                    })?
                }
                Err(e) if e.code() == Some(ErrorCode::StaleEpoch) => self.core.with(|k| {
                    let mut st = k.load_sync_state(space)?;
                    let tx = k.store.begin()?;
                    tx.drop_sent_from(space, seq as i64)?;
                    st.next_device_seq = seq;
                    // The chain goes on from the envelope before the
                    // dropped ones.
                    st.set_my_prev(prev);
                    tx.put_sync_state(space, &state_bytes(&st)?)?;
                    tx.commit()
                })?,
                Ok(_) => {
                    return Err(Error::Sync {
                        what: "the relay acknowledged nothing",
                    });
                }
                Err(e) => return Err(transport_error(e)),
            }
        }
    }
}
