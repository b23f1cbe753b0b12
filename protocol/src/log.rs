//! The membership log: signed, hash-chained entries that say which devices
//! belong to a space, with which role, and under which epoch key.
//!
//! Every entry names the previous entry's hash (`prev`) and its own
//! position (`seq`); the server appends an entry only if `prev` equals its
//! current head (compare-and-swap), and every device re-verifies the whole
//! chain, so the server can neither forge, drop from the middle, nor
//! reorder entries.
//!
//! Removal rotates in the same entry: `RemoveDevice` carries the next
//! epoch's key wrapped for every remaining member. There is therefore no
//! moment at which a removed device is gone from the log while still
//! holding the current key, and two owners racing (one adding, one
//! removing) are resolved by the head compare-and-swap: the loser
//! re-reads, re-checks and retries against the new membership.
//!
//! A space's id is self-certifying (version 2): it is a hash of the
//! genesis's random nonce and its owner's key ([`space_id_for`]), checked
//! by [`Membership::genesis`] wherever a log is verified from its start,
//! on devices and on the relay. A relay cannot hand a device another
//! space under an id it was given: it would need a genesis signed by the
//! owner the id names. The wrapped key and sealed label in the genesis
//! are bound to the id (HPKE info, label salt), so they cannot be inputs
//! to it; the owner's signature covers them. docs/crypto.md says why.

use std::collections::{BTreeMap, BTreeSet};

use ring::digest::{SHA256, digest};
use serde::{Deserialize, Serialize};

use crate::PROTOCOL_VERSION;
use crate::bounds::{Bound, bounds_bytes};
use crate::bytes::{Bytes, DeviceKey, Hash, Signature, SpaceId, WrapKey};
use crate::canonical::Canonical;
use crate::error::VerifyError;
use crate::limits::MAX_MEMBERS;

/// What a member may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Appends log entries (adds, removes, rotates), reads and writes.
    Owner,
    /// Reads and writes records.
    Writer,
    /// Reads only.
    Reader,
    /// The person's recovery kit (issue 16): holds every epoch key
    /// wrapped to it and may append log entries (add the person's new
    /// device, remove a lost or stolen one at once), but never writes
    /// records. Only the person's own devices (or the kit) add one.
    Recovery,
}

impl Role {
    fn tag(self) -> u8 {
        match self {
            Role::Owner => 1,
            Role::Writer => 2,
            Role::Reader => 3,
            Role::Recovery => 4,
        }
    }

    /// True if this role may push changes.
    pub fn can_write(self) -> bool {
        matches!(self, Role::Owner | Role::Writer)
    }
}

/// An epoch key wrapped (HPKE) to one device's wrapping key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WrappedKey {
    /// The HPKE suite: 1 = DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305.
    pub suite: u16,
    /// HPKE encapsulated key.
    pub enc: Bytes,
    /// The epoch key sealed by HPKE.
    pub ciphertext: Bytes,
}

/// The epoch key for one device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyFor {
    pub device: DeviceKey,
    pub key: WrappedKey,
    /// The device's name sealed again under the new epoch's key, so a
    /// device added later (holding only that key) can still show it. Empty
    /// when the rotating device could not read the old label.
    pub sealed_label: Bytes,
}

/// A device in a space.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// Its Ed25519 public key.
    pub device: DeviceKey,
    /// Its X25519 public key for key wrapping.
    pub wrap_key: WrapKey,
    pub role: Role,
    /// The device's name, sealed under the epoch key of the entry (the
    /// server must not learn "Sam's phone").
    pub sealed_label: Bytes,
}

/// What an entry does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Creates the space: its owner, and epoch 1's key wrapped for the
    /// owner. `nonce` ([`SPACE_NONCE_LEN`] random bytes) and the owner's
    /// key make the space id ([`space_id_for`]); `confirm` is the key
    /// confirmation of epoch 1 ([`crate::key_confirmation`]).
    Genesis {
        nonce: Bytes,
        owner: Member,
        key: WrappedKey,
        confirm: Hash,
    },
    /// Adds a device under the current epoch, with the key wrapped for it.
    AddDevice {
        member: Member,
        epoch: u32,
        key: WrappedKey,
    },
    /// Removes a device and starts the next epoch, its key wrapped for
    /// every remaining member.
    /// `bounds` close the ending epoch (see [`crate::bounds`]); `confirm`
    /// is the new epoch's key confirmation.
    ///
    /// Removing one of the person's own devices or her recovery kit
    /// ([`Membership::protected`]) needs the kit as author, or a pending
    /// [`Action::ProposeRemoval`]: carried out by another device of hers
    /// (a confirmation), or by the proposer once the wait has passed
    /// (the relay holds it to the time). `lost` says the person confirmed
    /// "this is my lost phone": the removed device wipes its copy instead
    /// of keeping it locked.
    RemoveDevice {
        device: DeviceKey,
        epoch: u32,
        keys: Vec<KeyFor>,
        bounds: Vec<Bound>,
        confirm: Hash,
        #[serde(default, skip_serializing_if = "is_false")]
        lost: bool,
        /// When, by the author's clock (unix seconds; 0: not said): what
        /// the person reads as "removed on …". Nothing is ordered by it.
        #[serde(default, skip_serializing_if = "is_zero")]
        at: u64,
    },
    /// Starts the next epoch for the same members (bounds and confirmation
    /// as for `RemoveDevice`).
    Rotate {
        epoch: u32,
        keys: Vec<KeyFor>,
        bounds: Vec<Bound>,
        confirm: Hash,
    },
    /// Changes a member's role, starting the next epoch (its key wrapped
    /// for every member, the one changed included). The new epoch is what
    /// makes a role change checkable: a device may write under an epoch
    /// only if its role in that epoch allows it, so a writer's changes
    /// from before a demotion still merge everywhere and nothing it
    /// writes after does, whatever order the relay serves them in.
    SetRole {
        device: DeviceKey,
        role: Role,
        epoch: u32,
        keys: Vec<KeyFor>,
        bounds: Vec<Bound>,
        confirm: Hash,
    },
    /// The author replaces its own wrapping key: every later epoch key is
    /// wrapped to the new one. Any member may append it, for itself only.
    RotateWrapKey { wrap_key: WrapKey },
    /// Starts the next epoch for the same members from a document with no
    /// history (issue 14, "delete forever"): the space's records from here
    /// on are the snapshot stored with this entry (one request, one
    /// transaction on the relay) and the changes after it. Every device
    /// replaces its copy by that snapshot and deletes everything of the
    /// earlier epochs; envelopes sealed under them are refused from then
    /// on. Bounds and confirmation as for `Rotate`. `note` says that an
    /// erasure happened (when, which kinds of record, why), sealed under
    /// the new epoch's key: the relay learns only that one happened.
    Erase {
        epoch: u32,
        keys: Vec<KeyFor>,
        bounds: Vec<Bound>,
        confirm: Hash,
        note: Bytes,
    },
    /// Asks to remove one of the person's own devices or her kit
    /// ([`Membership::protected`]). It takes effect only through a later
    /// `RemoveDevice`: by another of her devices (which confirms it), by
    /// the kit, or by the proposer once `not_before` (unix seconds) has
    /// passed; until then any member who may append cancels it.
    ProposeRemoval {
        device: DeviceKey,
        lost: bool,
        not_before: u64,
    },
    /// Cancels a pending [`Action::ProposeRemoval`] of `device`.
    CancelRemoval { device: DeviceKey },
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// One signed entry of a space's membership log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogEntry {
    pub v: u16,
    pub space: SpaceId,
    /// Position in the log, from 0 (genesis).
    pub seq: u64,
    /// Hash of the previous entry (all zero for genesis).
    pub prev: Hash,
    /// The signing device.
    pub author: DeviceKey,
    pub action: Action,
    pub sig: Signature,
}

fn wrapped(c: Canonical, k: &WrappedKey) -> Canonical {
    c.u16(k.suite).bytes(&k.enc.0).bytes(&k.ciphertext.0)
}

fn member(c: Canonical, m: &Member) -> Canonical {
    c.bytes(&m.device.0)
        .bytes(&m.wrap_key.0)
        .tag(m.role.tag())
        .bytes(&m.sealed_label.0)
}

fn keys(mut c: Canonical, keys: &[KeyFor]) -> Canonical {
    c = c.u32(keys.len() as u32);
    for k in keys {
        c = wrapped(c.bytes(&k.device.0), &k.key).bytes(&k.sealed_label.0);
    }
    c
}

impl LogEntry {
    /// The bytes the author signs.
    pub fn signing_bytes(&self) -> Vec<u8> {
        let c = Canonical::new("log-entry")
            .u16(self.v)
            .bytes(&self.space.0)
            .u64(self.seq)
            .bytes(&self.prev.0)
            .bytes(&self.author.0);
        let c = match &self.action {
            Action::Genesis {
                nonce,
                owner,
                key,
                confirm,
            } => wrapped(member(c.tag(1).bytes(&nonce.0), owner), key).bytes(&confirm.0),
            Action::AddDevice {
                member: m,
                epoch,
                key,
            } => wrapped(member(c.tag(2), m).u32(*epoch), key),
            Action::RemoveDevice {
                device,
                epoch,
                keys: k,
                bounds,
                confirm,
                lost,
                at,
            } => {
                let c = bounds_bytes(keys(c.tag(3).bytes(&device.0).u32(*epoch), k), bounds)
                    .bytes(&confirm.0);
                // Appended only when set: entries from before these fields
                // existed keep their signatures (trailing lengths 0, 1, 9
                // or 10 bytes: never ambiguous).
                let c = if *lost { c.tag(1) } else { c };
                if *at != 0 { c.tag(2).u64(*at) } else { c }
            }
            Action::Rotate {
                epoch,
                keys: k,
                bounds,
                confirm,
            } => bounds_bytes(keys(c.tag(4).u32(*epoch), k), bounds).bytes(&confirm.0),
            Action::SetRole {
                device,
                role,
                epoch,
                keys: k,
                bounds,
                confirm,
            } => bounds_bytes(
                keys(c.tag(5).bytes(&device.0).tag(role.tag()).u32(*epoch), k),
                bounds,
            )
            .bytes(&confirm.0),
            Action::RotateWrapKey { wrap_key } => c.tag(6).bytes(&wrap_key.0),
            Action::Erase {
                epoch,
                keys: k,
                bounds,
                confirm,
                note,
            } => bounds_bytes(keys(c.tag(7).u32(*epoch), k), bounds)
                .bytes(&confirm.0)
                .bytes(&note.0),
            Action::ProposeRemoval {
                device,
                lost,
                not_before,
            } => c
                .tag(8)
                .bytes(&device.0)
                .tag(u8::from(*lost))
                .u64(*not_before),
            Action::CancelRemoval { device } => c.tag(9).bytes(&device.0),
        };
        c.finish()
    }

    /// This entry's hash: what the next entry names as `prev`.
    pub fn hash(&self) -> Hash {
        let mut bytes = self.signing_bytes();
        bytes.extend_from_slice(&self.sig.0);
        let d = digest(&SHA256, &bytes);
        let mut out = [0u8; 32];
        out.copy_from_slice(d.as_ref());
        Hash(out)
    }

    /// Checks the author's signature.
    pub fn verify_signature(&self) -> Result<(), VerifyError> {
        crate::verify_ed25519(&self.author, &self.signing_bytes(), &self.sig)
    }

    /// The epoch this entry starts or adds under, if any (a wrap-key
    /// rotation: 0, it belongs to no epoch).
    pub fn epoch(&self) -> u32 {
        match &self.action {
            Action::Genesis { .. } => 1,
            Action::RotateWrapKey { .. }
            | Action::ProposeRemoval { .. }
            | Action::CancelRemoval { .. } => 0,
            Action::AddDevice { epoch, .. }
            | Action::RemoveDevice { epoch, .. }
            | Action::Rotate { epoch, .. }
            | Action::Erase { epoch, .. }
            | Action::SetRole { epoch, .. } => *epoch,
        }
    }
}

/// Length of the random nonce in a genesis entry.
pub const SPACE_NONCE_LEN: usize = 16;

/// The id of the space whose genesis has `nonce` and is signed by
/// `owner`: the first 16 bytes of
/// SHA-256(canonical("space-id", v, nonce, owner)). A relay that wants
/// to serve another log under this id needs a genesis by the same owner
/// with the same nonce, that is, the owner's signature.
pub fn space_id_for(nonce: &[u8], owner: &DeviceKey) -> SpaceId {
    let bytes = Canonical::new("space-id")
        .u16(PROTOCOL_VERSION)
        .bytes(nonce)
        .bytes(&owner.0)
        .finish();
    let d = digest(&SHA256, &bytes);
    let mut out = [0u8; 16];
    out.copy_from_slice(&d.as_ref()[..16]);
    SpaceId(out)
}

/// A removal of a protected device waiting to be carried out or cancelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PendingRemoval {
    /// The device that asked.
    pub by: DeviceKey,
    /// The log position of the request.
    pub seq: u64,
    pub lost: bool,
    /// Unix seconds after which the proposer alone may carry it out.
    pub not_before: u64,
}

/// How a removal came to be allowed: what the log shows for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RemovedBy {
    /// Not one of the person's own devices (a worker's, at a share's end).
    Owner,
    /// The recovery kit removed it.
    Kit,
    /// One device asked and another of the person's devices carried it
    /// out: two of her devices agreed.
    Confirmed { proposer: DeviceKey },
    /// The device that asked carried it out after the wait.
    Waited { not_before: u64 },
}

/// One removal, as the log records it: who removed whom, at which entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Removal {
    pub device: DeviceKey,
    pub author: DeviceKey,
    pub seq: u64,
    pub lost: bool,
    pub how: RemovedBy,
    /// When, by the remover's clock (0: not said).
    pub at: u64,
}

/// The membership a verified log prefix describes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Membership {
    pub space: SpaceId,
    /// Number of entries applied.
    pub len: u64,
    /// Hash of the last entry.
    pub head: Hash,
    /// The current epoch.
    pub epoch: u32,
    pub members: BTreeMap<DeviceKey, Member>,
    pub removed: BTreeSet<DeviceKey>,
    /// Every member's (and removed member's) roles over time: from which
    /// epoch on it held which role, oldest first.
    pub roles: BTreeMap<DeviceKey, Vec<(u32, Role)>>,
    /// The bounds recorded when each epoch ended (by the ended epoch):
    /// each device's last sequence and envelope hash then.
    pub bounds: BTreeMap<u32, BTreeMap<DeviceKey, (u64, Hash)>>,
    /// Each epoch's key confirmation, from the entry that started it.
    pub confirms: BTreeMap<u32, Hash>,
    /// The devices of the person whose space this is: the genesis owner,
    /// and every device one of them added as an owner. Only they hand out
    /// snapshots ([`Membership::may_snapshot`]).
    pub person: BTreeSet<DeviceKey>,
    /// The epoch the space's document last started afresh in: 1 (the
    /// genesis), or the epoch of the latest `Erase`. Nothing sealed under
    /// an earlier epoch is merged or served any more.
    pub base_epoch: u32,
    /// Removals of protected devices asked for and not yet carried out
    /// or cancelled, by the device to remove.
    pub pending: BTreeMap<DeviceKey, PendingRemoval>,
    /// Every removal, oldest first.
    pub removals: Vec<Removal>,
}

impl Membership {
    /// Verifies a genesis entry and starts the membership.
    pub fn genesis(entry: &LogEntry) -> Result<Membership, VerifyError> {
        if entry.v != PROTOCOL_VERSION {
            return Err(VerifyError::UnsupportedVersion(entry.v));
        }
        let Action::Genesis {
            nonce,
            owner,
            confirm,
            ..
        } = &entry.action
        else {
            return Err(VerifyError::BadGenesis);
        };
        if entry.seq != 0
            || entry.prev != Hash([0; 32])
            || entry.author != owner.device
            || owner.role != Role::Owner
            || nonce.0.len() != SPACE_NONCE_LEN
        {
            return Err(VerifyError::BadGenesis);
        }
        if entry.space != space_id_for(&nonce.0, &entry.author) {
            return Err(VerifyError::SpaceIdMismatch);
        }
        entry.verify_signature()?;
        let mut members = BTreeMap::new();
        members.insert(owner.device, owner.clone());
        let mut roles = BTreeMap::new();
        roles.insert(owner.device, vec![(1, Role::Owner)]);
        Ok(Membership {
            bounds: BTreeMap::new(),
            confirms: BTreeMap::from([(1, *confirm)]),
            person: BTreeSet::from([owner.device]),
            space: entry.space,
            len: 1,
            head: entry.hash(),
            epoch: 1,
            members,
            removed: BTreeSet::new(),
            roles,
            base_epoch: 1,
            pending: BTreeMap::new(),
            removals: Vec::new(),
        })
    }

    /// Verifies a whole log from its genesis.
    pub fn from_log(entries: &[LogEntry]) -> Result<Membership, VerifyError> {
        let (first, rest) = entries.split_first().ok_or(VerifyError::BadGenesis)?;
        let mut m = Membership::genesis(first)?;
        for e in rest {
            m.apply(e)?;
        }
        Ok(m)
    }

    /// Takes the labels re-sealed under a new epoch's key.
    fn relabel(&mut self, keys: &[KeyFor]) {
        for k in keys {
            if let Some(m) = self.members.get_mut(&k.device)
                && !k.sealed_label.0.is_empty()
            {
                m.sealed_label = k.sealed_label.clone();
            }
        }
    }

    /// True for the members a single device may not remove at once: the
    /// person's own devices and her recovery kit.
    pub fn protected(&self, device: &DeviceKey) -> bool {
        self.person.contains(device) || self.role_of(device) == Some(Role::Recovery)
    }

    /// The person's recovery kit in this space, if she made one.
    pub fn recovery_member(&self) -> Option<&Member> {
        self.members.values().find(|m| m.role == Role::Recovery)
    }

    /// How a `RemoveDevice` of `device` by `author` would be allowed, or
    /// why it is not.
    pub fn removal_allowed(
        &self,
        author: &DeviceKey,
        device: &DeviceKey,
        lost: bool,
    ) -> Result<RemovedBy, VerifyError> {
        if !self.protected(device) {
            return Ok(RemovedBy::Owner);
        }
        if self.role_of(author) == Some(Role::Recovery) {
            return Ok(RemovedBy::Kit);
        }
        let Some(p) = self.pending.get(device) else {
            return Err(VerifyError::RemovalNotAsked);
        };
        if p.lost != lost {
            return Err(VerifyError::RemovalNotAsked);
        }
        // The kit itself goes only after the wait: a second device
        // (perhaps one a thief paired) cannot hurry it.
        if p.by != *author && self.role_of(device) != Some(Role::Recovery) {
            if !self.person.contains(author) {
                return Err(VerifyError::NotAllowed);
            }
            return Ok(RemovedBy::Confirmed { proposer: p.by });
        }
        if p.by != *author {
            return Err(VerifyError::NotAllowed);
        }
        Ok(RemovedBy::Waited {
            not_before: p.not_before,
        })
    }

    /// The role of a current member.
    pub fn role_of(&self, device: &DeviceKey) -> Option<Role> {
        self.members.get(device).map(|m| m.role)
    }

    /// The role `device` held under `epoch` (a removed device's too, for
    /// the epochs it was a member in).
    pub fn role_in(&self, device: &DeviceKey, epoch: u32) -> Option<Role> {
        if epoch == 0 || epoch > self.epoch {
            return None;
        }
        self.roles
            .get(device)?
            .iter()
            .rev()
            .find(|(from, _)| *from <= epoch)
            .map(|(_, r)| *r)
    }

    /// True if `device` could write under `epoch`: it was a member then
    /// (a removed device only before its removal) with a role that writes.
    pub fn could_write(&self, device: &DeviceKey, epoch: u32) -> bool {
        let member_then = self.members.contains_key(device)
            || (self.removed.contains(device) && epoch < self.epoch);
        member_then && self.role_in(device, epoch).is_some_and(Role::can_write)
    }

    /// An entry that starts an epoch starts the very next one.
    fn check_next_epoch(&self, epoch: u32) -> Result<(), VerifyError> {
        if epoch != self.epoch + 1 {
            return Err(VerifyError::WrongEpoch {
                got: epoch,
                expected: self.epoch + 1,
            });
        }
        Ok(())
    }

    /// Some owner other than `device` remains (a share is never left without one).
    fn check_an_owner_stays(&self, device: &DeviceKey) -> Result<(), VerifyError> {
        let others = self
            .members
            .values()
            .filter(|m| m.role == Role::Owner && m.device != *device)
            .count();
        if others == 0 {
            return Err(VerifyError::LastOwner);
        }
        Ok(())
    }

    fn check_keys(
        &self,
        keys: &[KeyFor],
        expected: &BTreeSet<DeviceKey>,
    ) -> Result<(), VerifyError> {
        let got: BTreeSet<DeviceKey> = keys.iter().map(|k| k.device).collect();
        if got.len() != keys.len() || &got != expected {
            return Err(VerifyError::KeysDoNotMatchMembers);
        }
        Ok(())
    }

    /// Bounds name each device once, and only current members (the
    /// device being removed included).
    fn check_bounds(&self, bounds: &[Bound]) -> Result<(), VerifyError> {
        let mut seen = BTreeSet::new();
        for b in bounds {
            // Earlier removed devices' writing ended with an earlier bound.
            let known = self.members.contains_key(&b.device);
            if !known || !seen.insert(b.device) || b.seq == 0 {
                return Err(VerifyError::BadBounds);
            }
        }
        Ok(())
    }

    /// Records the bounds that close the current epoch and starts `epoch`.
    fn end_epoch(&mut self, bounds: &[Bound], epoch: u32, confirm: Hash) {
        self.bounds.insert(
            self.epoch,
            bounds.iter().map(|b| (b.device, (b.seq, b.head))).collect(),
        );
        self.confirms.insert(epoch, confirm);
        self.epoch = epoch;
    }

    /// Checks that `entry` may follow, without applying it.
    pub fn check(&self, entry: &LogEntry) -> Result<(), VerifyError> {
        if entry.v != PROTOCOL_VERSION {
            return Err(VerifyError::UnsupportedVersion(entry.v));
        }
        if entry.space != self.space {
            return Err(VerifyError::WrongSpace);
        }
        if entry.seq != self.len {
            return Err(VerifyError::OutOfOrder {
                got: entry.seq,
                expected_prev: self.len.saturating_sub(1),
            });
        }
        if entry.prev != self.head {
            return Err(VerifyError::BrokenChain);
        }
        match self.role_of(&entry.author) {
            None => return Err(VerifyError::NotMember),
            Some(Role::Owner) => {}
            // The kit appends entries but never starts an erasure or
            // changes roles.
            Some(Role::Recovery)
                if !matches!(
                    entry.action,
                    Action::Erase { .. } | Action::SetRole { .. } | Action::ProposeRemoval { .. }
                ) => {}
            // A member replaces its own wrapping key whatever its role.
            Some(_) if matches!(entry.action, Action::RotateWrapKey { .. }) => {}
            Some(_) => return Err(VerifyError::NotAllowed),
        }
        entry.verify_signature()?;
        match &entry.action {
            Action::Genesis { .. } => return Err(VerifyError::BadGenesis),
            Action::AddDevice { member, epoch, .. } => {
                if *epoch != self.epoch {
                    return Err(VerifyError::WrongEpoch {
                        got: *epoch,
                        expected: self.epoch,
                    });
                }
                if self.members.contains_key(&member.device) {
                    return Err(VerifyError::AlreadyMember);
                }
                if self.removed.contains(&member.device) {
                    return Err(VerifyError::WasRemoved);
                }
                if self.members.len() >= MAX_MEMBERS {
                    return Err(VerifyError::TooManyMembers(MAX_MEMBERS));
                }
                // A kit answers for the person: only she adds one, and one
                // at a time (a new one replaces the old: see docs/crypto.md).
                if member.role == Role::Recovery
                    && !(self.person.contains(&entry.author)
                        || self.role_of(&entry.author) == Some(Role::Recovery))
                {
                    return Err(VerifyError::NotAllowed);
                }
            }
            Action::ProposeRemoval { device, .. } => {
                if !self.members.contains_key(device) {
                    return Err(VerifyError::NotMember);
                }
                if !self.protected(device) || *device == entry.author {
                    return Err(VerifyError::NotAllowed);
                }
                if self.pending.contains_key(device) {
                    return Err(VerifyError::RemovalPending);
                }
            }
            Action::CancelRemoval { device } => {
                if !self.pending.contains_key(device) {
                    return Err(VerifyError::RemovalNotAsked);
                }
            }
            Action::RotateWrapKey { wrap_key } => {
                if self
                    .members
                    .get(&entry.author)
                    .is_some_and(|m| m.wrap_key == *wrap_key)
                {
                    return Err(VerifyError::SameWrapKey);
                }
            }
            Action::RemoveDevice {
                device,
                epoch,
                keys,
                bounds,
                lost,
                ..
            } => {
                self.check_next_epoch(*epoch)?;
                self.check_bounds(bounds)?;
                let Some(gone) = self.members.get(device) else {
                    return Err(VerifyError::NotMember);
                };
                if gone.role == Role::Owner {
                    self.check_an_owner_stays(&gone.device)?;
                }
                self.removal_allowed(&entry.author, device, *lost)?;
                let remaining: BTreeSet<DeviceKey> = self
                    .members
                    .keys()
                    .filter(|d| *d != device)
                    .copied()
                    .collect();
                self.check_keys(keys, &remaining)?;
            }
            Action::Rotate {
                epoch,
                keys,
                bounds,
                ..
            }
            | Action::Erase {
                epoch,
                keys,
                bounds,
                ..
            } => {
                // The new document is a snapshot only the person's own
                // devices may hand out (`may_snapshot`).
                if matches!(entry.action, Action::Erase { .. })
                    && !self.person.contains(&entry.author)
                {
                    return Err(VerifyError::NotAllowed);
                }
                self.check_next_epoch(*epoch)?;
                self.check_bounds(bounds)?;
                let all: BTreeSet<DeviceKey> = self.members.keys().copied().collect();
                self.check_keys(keys, &all)?;
            }
            Action::SetRole {
                device,
                role,
                epoch,
                keys,
                bounds,
                ..
            } => {
                self.check_next_epoch(*epoch)?;
                self.check_bounds(bounds)?;
                let Some(target) = self.members.get(device) else {
                    return Err(if self.removed.contains(device) {
                        VerifyError::WasRemoved
                    } else {
                        VerifyError::NotMember
                    });
                };
                if target.role == *role {
                    return Err(VerifyError::SameRole);
                }
                if target.role == Role::Owner {
                    self.check_an_owner_stays(device)?;
                }
                let all: BTreeSet<DeviceKey> = self.members.keys().copied().collect();
                self.check_keys(keys, &all)?;
            }
        }
        Ok(())
    }

    /// Verifies `entry` against this membership and applies it.
    pub fn apply(&mut self, entry: &LogEntry) -> Result<(), VerifyError> {
        self.check(entry)?;
        match &entry.action {
            Action::Genesis { .. } => {}
            Action::AddDevice { member, epoch, .. } => {
                let by_person = self.person.contains(&entry.author)
                    || self.role_of(&entry.author) == Some(Role::Recovery);
                if member.role == Role::Owner && by_person {
                    self.person.insert(member.device);
                }
                self.members.insert(member.device, member.clone());
                self.roles
                    .entry(member.device)
                    .or_default()
                    .push((*epoch, member.role));
            }
            Action::RemoveDevice {
                device,
                epoch,
                keys,
                bounds,
                confirm,
                lost,
                at,
            } => {
                let how = self.removal_allowed(&entry.author, device, *lost)?;
                self.removals.push(Removal {
                    device: *device,
                    author: entry.author,
                    seq: entry.seq,
                    lost: *lost,
                    how,
                    at: *at,
                });
                self.pending.remove(device);
                // What a removed device asked for goes with it.
                self.pending.retain(|_, p| p.by != *device);
                self.members.remove(device);
                self.removed.insert(*device);
                self.person.remove(device);
                self.end_epoch(bounds, *epoch, *confirm);
                self.relabel(keys);
            }
            Action::Rotate {
                epoch,
                keys,
                bounds,
                confirm,
            } => {
                self.end_epoch(bounds, *epoch, *confirm);
                self.relabel(keys);
            }
            Action::RotateWrapKey { wrap_key } => {
                if let Some(m) = self.members.get_mut(&entry.author) {
                    m.wrap_key = *wrap_key;
                }
            }
            Action::ProposeRemoval {
                device,
                lost,
                not_before,
            } => {
                self.pending.insert(
                    *device,
                    PendingRemoval {
                        by: entry.author,
                        seq: entry.seq,
                        lost: *lost,
                        not_before: *not_before,
                    },
                );
            }
            Action::CancelRemoval { device } => {
                self.pending.remove(device);
            }
            Action::Erase {
                epoch,
                keys,
                bounds,
                confirm,
                ..
            } => {
                self.end_epoch(bounds, *epoch, *confirm);
                self.relabel(keys);
                self.base_epoch = *epoch;
            }
            Action::SetRole {
                device,
                role,
                epoch,
                keys,
                bounds,
                confirm,
            } => {
                if let Some(m) = self.members.get_mut(device) {
                    m.role = *role;
                }
                self.roles.entry(*device).or_default().push((*epoch, *role));
                self.end_epoch(bounds, *epoch, *confirm);
                self.relabel(keys);
            }
        }
        self.len += 1;
        self.head = entry.hash();
        Ok(())
    }
}
