//! Who may still write what: removal bounds, per-device chains, snapshot
//! coverage proofs and key confirmation (issue 13).
//!
//! The relay is not trusted to keep a removed device or a reader from
//! writing, so every device checks for itself:
//!
//! - Every entry that ends an epoch (`RemoveDevice`, `Rotate`, `SetRole`)
//!   carries [`Bound`]s: for each device that wrote anything, its last
//!   device sequence and that envelope's hash as the owner saw them. No
//!   envelope sealed under the ended epoch (or an earlier one) may go past
//!   its device's bound; a device with no bound wrote nothing then.
//! - Every envelope names the hash of the same device's previous envelope
//!   (`ChangeEnvelope::prev`), so a relay that leaves one out, or a device
//!   that shows two different envelopes under one sequence, breaks a chain
//!   that every reader follows.
//! - A snapshot lists the chain head of every device it includes
//!   (`SnapshotEnvelope::heads`), checked against the bounds in the log
//!   and against the envelopes that follow it.
//! - Every entry that starts an epoch carries a key confirmation
//!   ([`key_confirmation`]): each recipient checks the key it unwrapped
//!   against it, so an owner cannot hand different members different keys
//!   for one epoch unnoticed.

use std::collections::BTreeMap;

use ring::hmac;
use serde::{Deserialize, Serialize};

use crate::bytes::{DeviceKey, Hash, SpaceId};
use crate::canonical::Canonical;
use crate::envelope::ChangeEnvelope;
use crate::log::{Membership, Role};

/// One device's chain head: its last device sequence and the hash of
/// the envelope it sent under that sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bound {
    pub device: DeviceKey,
    pub seq: u64,
    pub head: Hash,
}

/// Canonical bytes of a list of bounds (signed inside entries and snapshots).
pub fn bounds_bytes(mut c: Canonical, bounds: &[Bound]) -> Canonical {
    c = c.u32(bounds.len() as u32);
    for b in bounds {
        c = c.bytes(&b.device.0).u64(b.seq).bytes(&b.head.0);
    }
    c
}

/// The key confirmation of `space`'s `epoch`: HMAC-SHA256 under the epoch
/// key of canonical("key-confirm", space, epoch). Anyone holding the key
/// can recompute it; anyone without it learns nothing of the key from it.
pub fn key_confirmation(epoch_key: &[u8], space: &SpaceId, epoch: u32) -> Hash {
    let msg = Canonical::new("key-confirm")
        .bytes(&space.0)
        .u32(epoch)
        .finish();
    let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, epoch_key), &msg);
    let mut out = [0u8; 32];
    out.copy_from_slice(tag.as_ref());
    Hash(out)
}

/// True if `epoch_key` is the key the entry that started `epoch` confirmed
/// (checked in constant time).
pub fn key_confirms(epoch_key: &[u8], space: &SpaceId, epoch: u32, confirm: &Hash) -> bool {
    let msg = Canonical::new("key-confirm")
        .bytes(&space.0)
        .u32(epoch)
        .finish();
    hmac::verify(
        &hmac::Key::new(hmac::HMAC_SHA256, epoch_key),
        &msg,
        &confirm.0,
    )
    .is_ok()
}

/// Why a device's envelope may not be merged, in words a person can act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WriteRefused {
    #[error("sent by a device that may only read in this space")]
    Reader,
    #[error("sent by a device that was not a member of the space when it was sealed")]
    NotMemberThen,
    #[error("sent by a removed device after its removal (past the last change its owner recorded)")]
    PastRemoval,
    #[error(
        "sent under a key period that had already ended (past the last change recorded for it)"
    )]
    PastBound,
    #[error("does not match the last change its owner recorded for that device")]
    BoundMismatch,
    #[error("sealed before the space was erased and started afresh (what it held is gone)")]
    BeforeErasure,
}

/// Why a device chain does not continue, in words a person can act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    #[error("a change from the same device before it is missing (the relay left one out)")]
    Gap,
    #[error("does not follow the same device's previous change (two different histories)")]
    Fork,
}

/// How an envelope fits its device's chain, given the head held.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChainStep {
    /// The next one: merge it and move the head on.
    Next,
    /// At or before the head: already included (a snapshot held it, or a
    /// repeat). Nothing to merge.
    Seen,
}

/// Checks `e` against `held`, the head held for its device (none: nothing
/// seen from it yet, so its first envelope must start the chain).
pub fn chain_step(e: &ChangeEnvelope, held: Option<(u64, Hash)>) -> Result<ChainStep, ChainBreak> {
    let (seq, head) = held.unwrap_or((0, Hash([0; 32])));
    if e.seq <= seq {
        return Ok(ChainStep::Seen);
    }
    if e.seq != seq + 1 {
        return Err(ChainBreak::Gap);
    }
    if e.prev != head {
        return Err(ChainBreak::Fork);
    }
    Ok(ChainStep::Next)
}

impl Membership {
    /// The bound recorded for `device` when `epoch` ended, or `None` while
    /// `epoch` is current (nothing ended it yet). A device that wrote
    /// nothing up to then has bound 0.
    pub fn bound_for(&self, device: &DeviceKey, epoch: u32) -> Option<(u64, Hash)> {
        // Sequences run on across epochs, so the tightest bound is the
        // one recorded when `epoch` itself ended.
        let ended = self.bounds.range(epoch..).next()?.1;
        Some(ended.get(device).copied().unwrap_or((0, Hash([0; 32]))))
    }

    /// Checks that `e` may be merged: its device could write under its
    /// epoch, and it is not past the bound recorded when that epoch ended.
    pub fn check_write(&self, e: &ChangeEnvelope) -> Result<(), WriteRefused> {
        if e.epoch < self.base_epoch {
            return Err(WriteRefused::BeforeErasure);
        }
        let role = self.role_in(&e.device, e.epoch);
        let member_then = self.members.contains_key(&e.device)
            || (self.removed.contains(&e.device) && e.epoch < self.epoch);
        match role {
            None => return Err(WriteRefused::NotMemberThen),
            Some(_) if !member_then => return Err(WriteRefused::NotMemberThen),
            Some(r) if !r.can_write() => return Err(WriteRefused::Reader),
            Some(_) => {}
        }
        if let Some((seq, head)) = self.bound_for(&e.device, e.epoch) {
            if e.seq > seq {
                return Err(if self.removed.contains(&e.device) {
                    WriteRefused::PastRemoval
                } else {
                    WriteRefused::PastBound
                });
            }
            if e.seq == seq && e.hash() != head {
                return Err(WriteRefused::BoundMismatch);
            }
        }
        Ok(())
    }

    /// True if `device` may hand out a snapshot sealed under `epoch`: an
    /// owner then, and one of the devices of the person whose space it is
    /// (the genesis owner and the owners her devices added; see
    /// [`Membership::person`]).
    pub fn may_snapshot(&self, device: &DeviceKey, epoch: u32) -> bool {
        epoch >= self.base_epoch
            && self.members.contains_key(device)
            && self.role_in(device, epoch) == Some(Role::Owner)
            && self.person.contains(device)
    }

    /// The bounds recorded when each epoch ended, newest epoch last.
    pub fn ended_bounds(&self) -> &BTreeMap<u32, BTreeMap<DeviceKey, (u64, Hash)>> {
        &self.bounds
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PROTOCOL_VERSION;
    use crate::bytes::{Bytes, Salt, Signature};

    fn env(device: DeviceKey, epoch: u32, seq: u64, prev: Hash) -> ChangeEnvelope {
        ChangeEnvelope {
            v: PROTOCOL_VERSION,
            space: SpaceId([1; 16]),
            epoch,
            device,
            seq,
            prev,
            salt: Salt([2; 32]),
            ciphertext: Bytes(vec![seq as u8]),
            sig: Signature([0; 64]),
        }
    }

    #[test]
    fn a_chain_moves_on_only_to_the_next_envelope_naming_its_head() {
        let d = DeviceKey([3; 32]);
        let first = env(d, 1, 1, Hash([0; 32]));
        assert_eq!(chain_step(&first, None), Ok(ChainStep::Next));
        let held = Some((1, first.hash()));
        assert_eq!(
            chain_step(&env(d, 1, 2, first.hash()), held),
            Ok(ChainStep::Next)
        );
        assert_eq!(
            chain_step(&env(d, 1, 2, Hash([9; 32])), held),
            Err(ChainBreak::Fork)
        );
        assert_eq!(
            chain_step(&env(d, 1, 3, first.hash()), held),
            Err(ChainBreak::Gap)
        );
        assert_eq!(chain_step(&first, held), Ok(ChainStep::Seen));
        // A first envelope that does not start the chain is a fork too.
        assert_eq!(
            chain_step(&env(d, 1, 1, Hash([9; 32])), None),
            Err(ChainBreak::Fork)
        );
        // The reasons are words a person can act on.
        assert!(ChainBreak::Gap.to_string().contains("missing"));
    }

    #[test]
    fn key_confirmation_binds_key_space_and_epoch() {
        let (k, other) = ([7u8; 32], [8u8; 32]);
        let s = SpaceId([1; 16]);
        let c = key_confirmation(&k, &s, 2);
        assert!(key_confirms(&k, &s, 2, &c));
        assert!(!key_confirms(&other, &s, 2, &c));
        assert!(!key_confirms(&k, &s, 3, &c));
        assert!(!key_confirms(&k, &SpaceId([2; 16]), 2, &c));
        assert_ne!(c.0, k, "the value is not the key");
    }

    #[test]
    fn an_envelope_past_its_devices_bound_is_refused() {
        use crate::log::{Member, Membership};
        let owner = DeviceKey([1; 32]);
        let writer = DeviceKey([2; 32]);
        let member = |device, role| Member {
            device,
            wrap_key: crate::bytes::WrapKey([0; 32]),
            role,
            sealed_label: Bytes(vec![]),
        };
        let at = env(writer, 1, 2, Hash([4; 32]));
        let mut m = Membership {
            space: SpaceId([1; 16]),
            len: 3,
            head: Hash([0; 32]),
            epoch: 2,
            members: [(owner, member(owner, Role::Owner))].into(),
            removed: [writer].into(),
            roles: [
                (owner, vec![(1, Role::Owner)]),
                (writer, vec![(1, Role::Writer)]),
            ]
            .into(),
            bounds: [(1, [(writer, (2, at.hash()))].into())].into(),
            confirms: BTreeMap::new(),
            person: [owner].into(),
            base_epoch: 1,
            pending: BTreeMap::new(),
            removals: Vec::new(),
        };
        assert_eq!(m.check_write(&at), Ok(()));
        assert_eq!(
            m.check_write(&env(writer, 1, 3, at.hash())),
            Err(WriteRefused::PastRemoval)
        );
        assert_eq!(
            m.check_write(&env(writer, 1, 2, Hash([5; 32]))),
            Err(WriteRefused::BoundMismatch)
        );
        assert_eq!(
            m.check_write(&env(writer, 2, 3, at.hash())),
            Err(WriteRefused::NotMemberThen)
        );
        // The owner wrote nothing in epoch 1: bound 0.
        assert_eq!(
            m.check_write(&env(owner, 1, 1, Hash([0; 32]))),
            Err(WriteRefused::PastBound)
        );
        assert_eq!(m.check_write(&env(owner, 2, 1, Hash([0; 32]))), Ok(()));
        // Readers never write; only the person's owners hand out snapshots.
        m.roles
            .insert(owner, vec![(1, Role::Owner), (2, Role::Reader)]);
        assert_eq!(
            m.check_write(&env(owner, 2, 1, Hash([0; 32]))),
            Err(WriteRefused::Reader)
        );
        assert!(!m.may_snapshot(&owner, 2));
        assert!(m.may_snapshot(&owner, 1));
    }
}
