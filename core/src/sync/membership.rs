//! Changing who is in a space: removing a device (a lost phone, the end of
//! a share) and rotating a space's key.
//!
//! Removal always rotates, in the same log entry: `RemoveDevice` carries a
//! fresh epoch key wrapped for every remaining member, so nothing written
//! after it can be read by the removed device, and the relay refuses the
//! removed device from then on. What the device already held it keeps;
//! when it next reaches the relay it is told it was removed, and wipes or
//! locks its copy (`removal.rs` says which, and how a removal of one of
//! the person's own devices is asked for, confirmed or waited out).
//!
//! Every change goes through the relay's compare-and-swap on the log
//! head. When two owners act at once one append wins; the other device
//! pulls the new head, rebuilds its entry against it (a removal against
//! the new members and epoch; a removal that already happened is done)
//! and tries again.

use kindred_protocol::messages::{AppendLog, ErrorCode};
use kindred_protocol::{
    Action, Bound, Bytes, DeviceKey, KeyFor, LogEntry, Member, Membership, PROTOCOL_VERSION, Role,
    Signature, SpaceId,
};

use super::engine::{space_id, transport_error};
use super::transport::Transport;
use crate::crypto::{EpochKey, open_label, seal_label, wrap_epoch_key};
use crate::error::{Error, Result};
use crate::kindred::Kindred;
use crate::model::RecordKind;

/// Attempts at a log append before giving up (each after a fresh pull).
const APPEND_ATTEMPTS: usize = 5;

/// What starts the next epoch: its wrapped keys, the bounds that close
/// the current one, the new key's confirmation.
pub(crate) struct NextEpoch {
    /// The new epoch's key itself (to seal what starts it: an erasure's
    /// snapshot and note).
    pub key: EpochKey,
    pub keys: Vec<KeyFor>,
    pub bounds: Vec<Bound>,
    pub confirm: kindred_protocol::Hash,
}

/// The next step for one space's log, decided against its current head.
// One value per append, never stored in bulk: boxing the action buys nothing.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Step {
    /// Append this action.
    Append(Action),
    /// Nothing to do (already done by someone else).
    Done,
}

impl Kindred {
    /// A member's name, opened with whichever of the space's keys sealed it.
    pub(crate) fn member_label(
        &self,
        space: &str,
        sid: &SpaceId,
        device: &DeviceKey,
        sealed: &kindred_protocol::Bytes,
        epoch: u32,
    ) -> Option<String> {
        if *device == self.keys.device_key() {
            return Some(self.label());
        }
        (1..=epoch)
            .rev()
            .filter_map(|e| self.epoch_key_of(space, e).ok().flatten())
            .find_map(|k| open_label(&k, sid, device, sealed))
    }

    /// Appends one entry to a space's log, rebuilding it against a fresh
    /// head each time the relay says another entry got there first.
    /// Returns false when `decide` found nothing left to do.
    pub(crate) fn append_to_log(
        &mut self,
        t: &dyn Transport,
        space: &str,
        decide: impl FnMut(&Kindred, &Membership) -> Result<Step>,
    ) -> Result<bool> {
        self.append_to_log_as(t, space, None, decide)
    }

    /// [`Kindred::append_to_log`], the entry signed by `author` (the
    /// recovery kit, signed in with its own token) instead of this device.
    pub(crate) fn append_to_log_as(
        &mut self,
        t: &dyn Transport,
        space: &str,
        author: Option<&crate::recovery::KitAuthor>,
        mut decide: impl FnMut(&Kindred, &Membership) -> Result<Step>,
    ) -> Result<bool> {
        let sid = space_id(space)?;
        for _ in 0..APPEND_ATTEMPTS {
            self.sync_space(t, space)?;
            let m = self.membership_of(space)?.ok_or(Error::Sync {
                what: "a space has no membership log yet",
            })?;
            let action = match decide(self, &m)? {
                Step::Append(a) => a,
                Step::Done => return Ok(false),
            };
            let rotates = matches!(
                action,
                Action::RemoveDevice { .. } | Action::Rotate { .. } | Action::SetRole { .. }
            );
            let signer = author.map_or(&self.keys, |a| &a.keys);
            let mut entry = LogEntry {
                v: PROTOCOL_VERSION,
                space: sid,
                seq: m.len,
                prev: m.head,
                author: signer.device_key(),
                action,
                sig: Signature([0; 64]),
            };
            entry.sig = signer.sign(&entry.signing_bytes());
            let token = match author {
                Some(a) => a.token.clone(),
                None => self.token_for(t)?,
            };
            match t.append_log(
                &token,
                &sid,
                &AppendLog {
                    v: PROTOCOL_VERSION,
                    entry,
                },
            ) {
                Ok(_) => {
                    // Pull our own entry: it carries our copy of any new key.
                    // Once it is pulled no change of the old epoch can follow
                    // (the relay refuses them), so a snapshot now, under the
                    // new key, covers the whole history for devices added
                    // later, which hold only the new key.
                    self.sync_space(t, space)?;
                    if rotates {
                        self.snapshot_now(t, space)?;
                    }
                    return Ok(true);
                }
                Err(e) if e.code() == Some(ErrorCode::StaleHead) => continue,
                Err(e) => return Err(transport_error(e)),
            }
        }
        Err(Error::Sync {
            what: "the space's membership kept changing; try again",
        })
    }

    /// Adds `device` to `space` with `role` (its name sealed under the
    /// current key, the key wrapped for it): pairing, invites, and a
    /// person's own devices joining her shares all come through here.
    /// Nothing to do if it is a member already.
    pub(crate) fn add_device(
        &mut self,
        t: &dyn Transport,
        space: &str,
        device: DeviceKey,
        wrap_key: kindred_protocol::WrapKey,
        role: Role,
        name: &str,
    ) -> Result<()> {
        let sid = space_id(space)?;
        self.append_to_log(t, space, |k, m| {
            if m.members.contains_key(&device) {
                return Ok(Step::Done);
            }
            let key = k.epoch_key_of(space, m.epoch)?.ok_or(Error::Sync {
                what: "this device does not hold the space's current key",
            })?;
            Ok(Step::Append(Action::AddDevice {
                member: Member {
                    device,
                    wrap_key,
                    role,
                    sealed_label: seal_label(&key, &sid, &device, name)?,
                },
                epoch: m.epoch,
                key: wrap_epoch_key(&key, &sid, m.epoch, &device, &wrap_key)?,
            }))
        })?;
        Ok(())
    }

    /// A fresh key for the epoch after `m`'s, wrapped for every member
    /// but `except`, with each member's name sealed again under it; the
    /// bounds that close the current epoch; the new key's confirmation.
    pub(crate) fn next_epoch_keys(
        &self,
        space: &str,
        m: &Membership,
        except: Option<&DeviceKey>,
    ) -> Result<NextEpoch> {
        let sid = space_id(space)?;
        let epoch = m.epoch + 1;
        let key = EpochKey::generate()?;
        let confirm = kindred_protocol::key_confirmation(key.0.as_ref(), &sid, epoch);
        let bounds = self.bounds_now(space, m)?;
        let keys = m
            .members
            .values()
            .filter(|x| Some(&x.device) != except)
            .map(|x| {
                let sealed_label =
                    match self.member_label(space, &sid, &x.device, &x.sealed_label, m.epoch) {
                        Some(name) => seal_label(&key, &sid, &x.device, &name)?,
                        None => Bytes(Vec::new()),
                    };
                Ok(KeyFor {
                    device: x.device,
                    key: wrap_epoch_key(&key, &sid, epoch, &x.device, &x.wrap_key)?,
                    sealed_label,
                })
            })
            .collect::<Result<Vec<KeyFor>>>()?;
        Ok(NextEpoch {
            key,
            keys,
            bounds,
            confirm,
        })
    }

    /// The bounds that close `m`'s current epoch: every member's chain
    /// head as this device holds it (it pulled just before; the relay
    /// refuses the entry if it holds more).
    pub(crate) fn bounds_now(&self, space: &str, m: &Membership) -> Result<Vec<Bound>> {
        let st = self.load_sync_state(space)?;
        Ok(st
            .heads()
            .into_iter()
            .filter(|b| b.seq > 0 && m.members.contains_key(&b.device))
            .collect())
    }

    /// Finds a device by the start of its id (at least 8 hex digits, as
    /// `devices` shows them) among the members of one space (`only`) or of
    /// all of them.
    pub(crate) fn find_device_in(&self, prefix: &str, only: Option<&str>) -> Result<DeviceKey> {
        let prefix = prefix.trim().to_ascii_lowercase();
        if prefix.len() < 8 || !prefix.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(Error::OutOfRange {
                field: "device",
                expected: "at least 8 hex digits of a device id, as `devices` shows it",
            });
        }
        let mut found: Option<DeviceKey> = None;
        for s in self
            .spaces
            .iter()
            .filter(|s| only.is_none_or(|o| o == s.id))
        {
            let Some(m) = self.membership_of(&s.id)? else {
                continue;
            };
            for d in m.members.keys() {
                if d.to_hex().starts_with(&prefix) {
                    match found {
                        Some(f) if f != *d => {
                            return Err(Error::AmbiguousDevice { prefix });
                        }
                        _ => found = Some(*d),
                    }
                }
            }
        }
        found.ok_or(Error::NotFound {
            kind: RecordKind::Device,
            id: prefix,
        })
    }

    /// Starts a new epoch for a space (same members, new key). Returns the
    /// new epoch.
    pub fn rotate_space_key(&mut self, t: &dyn Transport, space: &str) -> Result<u32> {
        let me = self.keys.device_key();
        let m = self.membership_of(space)?.ok_or(Error::Sync {
            what: "a space has no membership log yet",
        })?;
        let kind = self
            .spaces
            .iter()
            .find(|s| s.id == space)
            .map(|s| s.kind.as_str().to_owned())
            .unwrap_or_default();
        if m.role_of(&me) != Some(Role::Owner) {
            return Err(Error::NotOwner { space: kind });
        }
        let start = m.epoch;
        self.append_to_log(t, space, |k, m| {
            // Someone else rotated meanwhile: that rotation is as good.
            if m.epoch > start {
                return Ok(Step::Done);
            }
            let next = k.next_epoch_keys(space, m, None)?;
            Ok(Step::Append(Action::Rotate {
                epoch: m.epoch + 1,
                keys: next.keys,
                bounds: next.bounds,
                confirm: next.confirm,
            }))
        })?;
        Ok(self.membership_of(space)?.map(|m| m.epoch).unwrap_or(start))
    }

    /// The current epoch of a space, as its verified log says (`None`
    /// before the space is on a relay).
    pub fn space_epoch(&self, space: &str) -> Result<Option<u32>> {
        Ok(self.membership_of(space)?.map(|m| m.epoch))
    }

    /// Deletes this device's copy of a space it was removed from.
    pub(crate) fn forget_space(&mut self, space: &str) -> Result<()> {
        let tx = self.store.begin()?;
        tx.delete_space(space)?;
        tx.commit()?;
        self.spaces.retain(|s| s.id != space);
        self.loaded.remove(space);
        Ok(())
    }
}
