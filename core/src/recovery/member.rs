//! The kit as a member of the person's spaces (issue 16): made, replaced,
//! used to restore on a fresh device, and used to remove a stolen phone
//! at once.
//!
//! The kit's key pair (from its words, `mod.rs`) joins every space whose
//! owner is one of the person's devices — her personal space, a worker's
//! caseload, the shares she started — with the role
//! [`Role::Recovery`]: every epoch key is wrapped to it like to any
//! member, so whoever holds the words can read the current key, sign log
//! entries as the kit and sign in to the relay as it. The relay lists the
//! spaces it is a member of, and that is all a fresh device needs:
//! restoring adds the new device to each of them, signed by the kit (the
//! new device then pins its first sync to that entry, as after pairing),
//! and removes the lost devices, also signed by the kit, so nothing
//! waits. The kit's name in each space (sealed under the epoch key like
//! every device name) is the space's kind, so a restored device knows its
//! personal space from a share.
//!
//! A new kit replaces the old one: the old one is removed at once when
//! its words are given (it removes itself), and otherwise after the wait
//! any of the person's devices can cancel (a thief who took a phone
//! should not be able to swap the kit for one of their own unseen).

use kindred_protocol::messages::{AppendLog, ErrorCode};
use kindred_protocol::{
    Action, DeviceKey, LogEntry, Member, Membership, PROTOCOL_VERSION, Role, Signature, SpaceId,
};
use serde::Serialize;

use super::RecoveryKit;
use crate::crypto::{DeviceKeys, EpochKey, open_label, seal_label, wrap_epoch_key};
use crate::error::{Error, Result};
use crate::kindred::Kindred;
use crate::space::SpaceKind;
use crate::sync::Transport;
use crate::sync::membership::Step;

/// How the kit is named wherever a device name would show.
pub const KIT_NAME: &str = "Recovery kit";

/// The kit signed in to a relay: signs entries, with its own token.
pub(crate) struct KitAuthor {
    pub keys: DeviceKeys,
    pub token: String,
}

/// Whether the person has a recovery kit, and where it is a member.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KitStatus {
    /// A kit is a member of the person's personal space (or caseload).
    pub has_kit: bool,
    /// The kinds of the spaces it is a member of.
    pub spaces: Vec<String>,
    /// Spaces of hers the kit is not in yet (a share started before it).
    pub missing: Vec<String>,
    /// An old kit waits to be removed (replaced without its words).
    pub old_kit_waits: bool,
}

/// What restoring from a kit did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Restored {
    /// The kinds of the spaces this device now holds again.
    pub spaces: Vec<String>,
    /// How many of the old devices were removed as lost.
    pub removed_devices: usize,
}

fn transport(e: crate::sync::TransportError) -> Error {
    crate::sync::transport_error(e)
}

impl RecoveryKit {
    /// Signs in to the relay behind `t` as the kit.
    pub(crate) fn author(&self, t: &dyn Transport) -> Result<KitAuthor> {
        let keys = self.keys()?;
        let device = keys.device_key();
        let tok = crate::sync::sign_in(t, device, &|b| Ok(keys.sign(b)))?;
        Ok(KitAuthor {
            keys,
            token: tok.token,
        })
    }
}

/// The newest epoch key `log` gives `kit`, checked against its
/// confirmation.
fn kit_key(
    m: &Membership,
    log: &[LogEntry],
    sid: &SpaceId,
    kit: &DeviceKeys,
) -> Result<(u32, EpochKey)> {
    let me = kit.device_key();
    let mut found = None;
    for e in log {
        match &e.action {
            Action::AddDevice { member, epoch, key } if member.device == me => {
                found = Some((*epoch, key.clone()));
            }
            Action::RemoveDevice { epoch, keys, .. }
            | Action::Rotate { epoch, keys, .. }
            | Action::Erase { epoch, keys, .. }
            | Action::SetRole { epoch, keys, .. } => {
                if let Some(k) = keys.iter().find(|k| k.device == me) {
                    found = Some((*epoch, k.key.clone()));
                }
            }
            _ => {}
        }
    }
    let (epoch, wrapped) = found.ok_or(Error::Sync {
        what: "the space holds no key for the recovery kit",
    })?;
    let key = kit.unwrap(sid, epoch, &wrapped)?;
    let confirm = kindred_protocol::key_confirmation(key.0.as_ref(), sid, epoch);
    if m.confirms.get(&epoch) != Some(&confirm) {
        return Err(Error::Sync {
            what: "the recovery kit's key does not match the space's log",
        });
    }
    Ok((epoch, key))
}

impl Kindred {
    /// The spaces a kit belongs in: those where this device is one of the
    /// person's owner devices.
    fn kit_spaces(&self) -> Result<Vec<(String, String, Membership)>> {
        let me = self.keys.device_key();
        let mut out = Vec::new();
        for s in &self.spaces {
            if s.locked {
                continue;
            }
            if let Some(m) = self.membership_of(&s.id)?
                && m.role_of(&me) == Some(Role::Owner)
                && m.person.contains(&me)
            {
                out.push((s.id.clone(), s.kind.as_str().to_owned(), m));
            }
        }
        Ok(out)
    }

    /// Whether the person has a kit, and where.
    pub fn recovery_kit_status(&self) -> Result<KitStatus> {
        let mut spaces = Vec::new();
        let mut missing = Vec::new();
        let mut old_kit_waits = false;
        let mut has_kit = false;
        for (_, kind, m) in self.kit_spaces()? {
            let kits: Vec<&Member> = m
                .members
                .values()
                .filter(|x| x.role == Role::Recovery)
                .collect();
            if kits.is_empty() {
                missing.push(kind);
                continue;
            }
            if matches!(kind.as_str(), "personal" | "caseload") {
                has_kit = true;
            }
            old_kit_waits |= kits.iter().any(|k| m.pending.contains_key(&k.device));
            spaces.push(kind);
        }
        Ok(KitStatus {
            has_kit,
            spaces,
            missing,
            old_kit_waits,
        })
    }

    /// Makes a new recovery kit and adds it to every space of the
    /// person's this device owns. An older kit is removed: at once if its
    /// words are given (`old`), else after the wait. Show the words to
    /// the person, once; nothing of them is kept on the device.
    pub fn create_recovery_kit(
        &mut self,
        t: &dyn Transport,
        old: Option<&RecoveryKit>,
    ) -> Result<RecoveryKit> {
        let spaces = self.kit_spaces()?;
        if spaces.is_empty() {
            return Err(Error::NotOwner {
                space: "personal".into(),
            });
        }
        let kit = RecoveryKit::generate()?;
        let keys = kit.keys()?;
        let new = keys.device_key();
        for (space, kind, _) in &spaces {
            self.add_device(t, space, new, keys.wrap_key(), Role::Recovery, kind)?;
        }
        let old_author = match old {
            Some(o) => Some(o.author(t)?),
            None => None,
        };
        for (space, _, _) in &spaces {
            let olds: Vec<DeviceKey> = self
                .membership_of(space)?
                .map(|m| {
                    m.members
                        .values()
                        .filter(|x| x.role == Role::Recovery && x.device != new)
                        .map(|x| x.device)
                        .collect()
                })
                .unwrap_or_default();
            for o in olds {
                match &old_author {
                    Some(a) if a.keys.device_key() == o => {
                        self.remove_as(t, space, a, o, false)?;
                    }
                    _ => {
                        self.remove_devices(t, &[o], Some(space), false)?;
                    }
                }
            }
        }
        Ok(kit)
    }

    /// Removes `target` from `space` with an entry the kit signs: at once,
    /// whatever waits (the person holds her words).
    fn remove_as(
        &mut self,
        t: &dyn Transport,
        space: &str,
        author: &KitAuthor,
        target: DeviceKey,
        lost: bool,
    ) -> Result<()> {
        self.append_to_log_as(t, space, Some(author), |k, m| {
            if !m.members.contains_key(&target) {
                return Ok(Step::Done);
            }
            let next = k.next_epoch_keys(space, m, Some(&target))?;
            Ok(Step::Append(Action::RemoveDevice {
                device: target,
                epoch: m.epoch + 1,
                keys: next.keys,
                bounds: next.bounds,
                confirm: next.confirm,
                lost,
                at: crate::sync::pairing::unix_now(),
            }))
        })?;
        Ok(())
    }

    /// Removes a device (a stolen or lost phone) from every space of the
    /// person's, signed by her kit: nothing waits and nobody can cancel it.
    pub fn remove_with_kit(
        &mut self,
        t: &dyn Transport,
        kit: &RecoveryKit,
        device: &str,
        lost: bool,
    ) -> Result<crate::sync::RemovedDevice> {
        let target = self.find_device_in(device, None)?;
        if target == self.keys.device_key() {
            return Err(Error::CannotRemoveSelf);
        }
        let author = kit.author(t)?;
        let mut spaces = Vec::new();
        let mut name = None;
        let ids: Vec<(String, String)> = self
            .spaces
            .iter()
            .map(|s| (s.id.clone(), s.kind.as_str().to_owned()))
            .collect();
        for (space, kind) in ids {
            let Some(m) = self.membership_of(&space)? else {
                continue;
            };
            if !m.members.contains_key(&target) {
                continue;
            }
            if !m.members.contains_key(&author.keys.device_key()) {
                return Err(Error::KitNotHere {
                    what: crate::error::records_of(&kind).into(),
                });
            }
            if name.is_none() {
                name = Some(self.name_in(&space, &m, &target));
            }
            self.remove_as(t, &space, &author, target, lost)?;
            spaces.push(kind);
        }
        if spaces.is_empty() {
            return Err(Error::NotFound {
                kind: crate::model::RecordKind::Device,
                id: target.to_hex().chars().take(16).collect(),
            });
        }
        Ok(crate::sync::RemovedDevice {
            name: name.unwrap_or_else(|| "another device".into()),
            fingerprint: target.to_hex().chars().take(16).collect(),
            spaces,
            removed: true,
            waits_until: None,
            lost,
        })
    }

    /// On a fresh device (made with `Kindred::init_joining`): rejoins
    /// every space the kit is a member of, gets everything back from the
    /// relay and, with `remove_old`, removes the person's old devices as
    /// lost (they wipe their copies if they ever come back online).
    pub fn restore_from_kit(
        &mut self,
        t: &dyn Transport,
        kit: &RecoveryKit,
        remove_old: bool,
    ) -> Result<Restored> {
        let author = kit.author(t)?;
        let kit_device = author.keys.device_key();
        let listed = t.spaces(&author.token).map_err(transport)?;
        let mut joined = Vec::new();
        for sid in listed.spaces {
            let id = sid.to_hex();
            if self.spaces.iter().any(|s| s.id == id) {
                continue;
            }
            let Some((kind, pin)) = self.join_as_kit(t, &author, &sid)? else {
                continue;
            };
            self.add_joined_space(&id, kind.clone(), None, pin)?;
            joined.push((id, kind));
        }
        if joined.is_empty() {
            return Err(Error::KitNotHere {
                what: "anything on this sync server".into(),
            });
        }
        let report = self.sync(t)?;
        if let Some(f) = report.failed.into_iter().next() {
            return Err(f.error);
        }
        let me = self.keys.device_key();
        let mut removed = 0;
        if remove_old {
            for (space, _) in &joined {
                let Some(m) = self.membership_of(space)? else {
                    continue;
                };
                let old: Vec<DeviceKey> = m
                    .person
                    .iter()
                    .filter(|d| **d != me && **d != kit_device)
                    .copied()
                    .collect();
                for d in old {
                    self.remove_as(t, space, &author, d, true)?;
                    removed += 1;
                }
            }
        }
        Ok(Restored {
            spaces: joined.iter().map(|(_, k)| k.as_str().to_owned()).collect(),
            removed_devices: removed,
        })
    }

    /// Adds this device to the space `sid` as an owner, signed by the kit.
    /// Returns the space's kind and the pin for the first sync, or `None`
    /// when the kit is not (or no longer) a member there.
    fn join_as_kit(
        &mut self,
        t: &dyn Transport,
        author: &KitAuthor,
        sid: &SpaceId,
    ) -> Result<Option<(SpaceKind, crate::sync::JoinPin)>> {
        let kit_device = author.keys.device_key();
        let me = self.keys.device_key();
        for _ in 0..5 {
            let log = t.log(&author.token, sid, 0).map_err(transport)?.entries;
            let m = Membership::from_log(&log).map_err(|_| Error::Sync {
                what: "the space's membership log does not verify",
            })?;
            if m.space != *sid || m.role_of(&kit_device) != Some(Role::Recovery) {
                return Ok(None);
            }
            if m.members.contains_key(&me) {
                return Err(Error::Sync {
                    what: "this device is already in the person's spaces",
                });
            }
            let (epoch, key) = kit_key(&m, &log, sid, &author.keys)?;
            if epoch != m.epoch {
                return Err(Error::Sync {
                    what: "the recovery kit does not hold the space's current key",
                });
            }
            let kit_member = m.members.get(&kit_device).ok_or(Error::Sync {
                what: "the recovery kit is not in the space",
            })?;
            let kind = open_label(&key, sid, &kit_device, &kit_member.sealed_label)
                .map(|k| SpaceKind::from_stored(&k))
                .unwrap_or(SpaceKind::Shared);
            let mut entry = LogEntry {
                v: PROTOCOL_VERSION,
                space: *sid,
                seq: m.len,
                prev: m.head,
                author: kit_device,
                action: Action::AddDevice {
                    member: Member {
                        device: me,
                        wrap_key: self.keys.wrap_key(),
                        role: Role::Owner,
                        sealed_label: seal_label(&key, sid, &me, &self.label())?,
                    },
                    epoch,
                    key: wrap_epoch_key(&key, sid, epoch, &me, &self.keys.wrap_key())?,
                },
                sig: Signature([0; 64]),
            };
            entry.sig = author.keys.sign(&entry.signing_bytes());
            let body = AppendLog {
                v: PROTOCOL_VERSION,
                entry: entry.clone(),
            };
            match t.append_log(&author.token, sid, &body) {
                Ok(_) => {
                    return Ok(Some((
                        kind,
                        crate::sync::JoinPin {
                            len: m.len + 1,
                            head: entry.hash(),
                            by: kit_device,
                        },
                    )));
                }
                Err(e) if e.code() == Some(ErrorCode::StaleHead) => continue,
                Err(e) => return Err(transport(e)),
            }
        }
        Err(Error::Sync {
            what: "the space's membership kept changing; try again",
        })
    }
}
