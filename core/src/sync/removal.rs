//! Removing one of the person's own devices (issue 16): a stolen phone
//! must not be able to remove the person's other devices, and a lost one
//! must be removable.
//!
//! Every owner device may remove any member, but the person's own devices
//! and her recovery kit ([`Membership::protected`]) go only in one of
//! three ways the signed log shows:
//!
//! - **by the kit**, at once (whoever holds the person's words is her);
//! - **by two of her devices**: one asks ([`Action::ProposeRemoval`]),
//!   another carries it out, which confirms it;
//! - **by waiting**: the device that asked carries it out itself once the
//!   wait it named has passed ([`Kindred::carry_out_due_removals`], run
//!   after every sync), and the relay refuses it before; meanwhile any of
//!   her other devices cancels it ([`Kindred::cancel_removal`]).
//!
//! A device removed without "this is my lost phone" (`lost`) keeps its
//! copy, locked: it stops syncing and writing, and offers an export
//! ([`Kindred::locked_copy`]). One removed as lost wipes its copy when it
//! learns of the removal; so does a device that was not the person's (a
//! worker's, at the end of a share), as before.

use std::time::Duration;

use kindred_protocol::messages::ErrorCode;
use kindred_protocol::{Action, DeviceKey, Membership, RemovedBy, Role};
use serde::Serialize;

use super::membership::Step;
use super::pairing::unix_now;
use super::transport::Transport;
use crate::error::{Error, Result};
use crate::kindred::Kindred;
use crate::model::RecordKind;

/// How long a request to remove one of the person's devices waits unless
/// another of her devices (or her kit) confirms it: three days, as the
/// relay's default (`kindred-server --removal-wait-secs`).
pub const DEFAULT_REMOVAL_WAIT: Duration = Duration::from_secs(3 * 24 * 3600);

/// What asking to remove a device did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RemovedDevice {
    pub name: String,
    pub fingerprint: String,
    /// Kinds of the spaces it was removed from (each now on a new key),
    /// or that wait for the removal.
    pub spaces: Vec<String>,
    /// False while the removal waits (`waits_until`) for the wait to pass
    /// or for another of the person's devices to confirm it.
    pub removed: bool,
    /// Unix seconds after which this device carries the removal out, if
    /// nobody cancels it first.
    pub waits_until: Option<u64>,
    /// The person said it is lost: it wipes its copy when it next connects.
    pub lost: bool,
}

/// A removal asked for and not yet carried out or cancelled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PendingRemovalInfo {
    /// The device to remove: its name and fingerprint.
    pub name: String,
    pub fingerprint: String,
    /// Which device asked.
    pub asked_by: String,
    pub asked_by_fingerprint: String,
    /// This device asked (it carries the removal out after the wait).
    pub asked_here: bool,
    /// This device is the one to remove.
    pub this_device: bool,
    /// The device to remove is the person's recovery kit.
    pub kit: bool,
    pub lost: bool,
    /// Unix seconds after which the device that asked may carry it out.
    pub not_before: u64,
}

/// One removal of the person's own device, as the log shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RemovalRecord {
    pub name: String,
    pub fingerprint: String,
    /// Who removed it: a device's name, or the recovery kit.
    pub by: String,
    /// "kit", "confirmed" (two devices), "waited" or "owner".
    pub how: String,
    pub lost: bool,
    /// Unix seconds the wait ended, for a removal that waited.
    pub waited_until: Option<u64>,
    /// The position of the removal in the space's log.
    pub log_position: u64,
    /// When, by the remover's clock (unix seconds), if it said.
    pub at: Option<u64>,
}

/// This device was removed from the person's data and keeps a locked copy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LockedCopy {
    /// The kinds of the spaces kept locked here.
    pub spaces: Vec<String>,
    /// Who removed this device (a device's name, or the recovery kit).
    pub removed_by: String,
}

/// True if this device, removed from `m`, should delete its copy: the
/// person said it was lost, or it was never one of hers.
pub(crate) fn removal_wipes(m: &Membership, me: &DeviceKey) -> bool {
    m.removals
        .iter()
        .rev()
        .find(|r| r.device == *me)
        .is_none_or(|r| r.lost || r.how == RemovedBy::Owner)
}

impl Kindred {
    /// How long this device's requests to remove one of the person's
    /// devices wait ([`DEFAULT_REMOVAL_WAIT`]; the relay may ask for more).
    pub fn set_removal_wait(&mut self, wait: Duration) {
        self.removal_wait = wait;
    }

    /// A name for `device` in `space`, for the person to read.
    pub(crate) fn name_in(&self, space: &str, m: &Membership, device: &DeviceKey) -> String {
        if m.role_of(device) == Some(Role::Recovery) {
            return crate::recovery::KIT_NAME.to_owned();
        }
        let own = self.own_devices().is_ok_and(|d| d.contains(device));
        let label = m.members.get(device).and_then(|member| {
            let sid = super::engine::space_id(space).ok()?;
            self.member_label(space, &sid, device, &member.sealed_label, m.epoch)
        });
        // A device removed from here reads the others' names only under
        // the keys it held: then the name they joined with.
        let label = label.or_else(|| self.name_at_join(space, device));
        label
            .map(|n| crate::names::display_name(&n, own).to_owned())
            .unwrap_or_else(|| "another device".into())
    }

    /// `device`'s name as its `AddDevice` (or the genesis) sealed it.
    fn name_at_join(&self, space: &str, device: &DeviceKey) -> Option<String> {
        let sid = super::engine::space_id(space).ok()?;
        self.stored_log(space)
            .ok()?
            .iter()
            .find_map(|e| match &e.action {
                Action::AddDevice { member, epoch, .. } if member.device == *device => {
                    if member.role == Role::Recovery {
                        return Some(crate::recovery::KIT_NAME.to_owned());
                    }
                    self.member_label(space, &sid, device, &member.sealed_label, *epoch)
                }
                Action::Genesis { owner, .. } if owner.device == *device => {
                    self.member_label(space, &sid, device, &owner.sealed_label, 1)
                }
                _ => None,
            })
    }

    /// Removes a device from every space this device owns that holds it:
    /// at once for someone else's device; for one of the person's own,
    /// when another of her devices asked already (this confirms it), or
    /// else after the wait (see the module docs). `lost`: the person says
    /// it is lost, so it wipes its copy when it next connects.
    pub fn remove_device(
        &mut self,
        t: &dyn Transport,
        device: &str,
        lost: bool,
    ) -> Result<RemovedDevice> {
        let target = self.find_device_in(device, None)?;
        self.remove_devices(t, &[target], None, lost)
    }

    /// Removes `targets` from the spaces that hold them (only `only`, when
    /// given), each removal rotating the space's key.
    pub(crate) fn remove_devices(
        &mut self,
        t: &dyn Transport,
        targets: &[DeviceKey],
        only: Option<&str>,
        lost: bool,
    ) -> Result<RemovedDevice> {
        let me = self.keys.device_key();
        if targets.contains(&me) {
            return Err(Error::CannotRemoveSelf);
        }
        let mut name = None;
        let mut spaces = Vec::new();
        let mut removed_all = true;
        let mut waits_until = None;
        let mut lost_said = lost;
        let ids: Vec<(String, String)> = self
            .spaces
            .iter()
            .filter(|s| only.is_none_or(|o| o == s.id))
            .map(|s| (s.id.clone(), s.kind.as_str().to_owned()))
            .collect();
        for (space, kind) in ids {
            let Some(m) = self.membership_of(&space)? else {
                continue;
            };
            let present: Vec<DeviceKey> = targets
                .iter()
                .filter(|d| m.members.contains_key(d))
                .copied()
                .collect();
            if present.is_empty() {
                continue;
            }
            if m.role_of(&me) != Some(Role::Owner) {
                return Err(Error::NotOwner { space: kind });
            }
            if name.is_none() {
                name = Some(self.name_in(&space, &m, &present[0]));
            }
            for target in present {
                let (until, said) = self.remove_one(t, &space, target, lost)?;
                lost_said = said;
                if let Some(until) = until {
                    removed_all = false;
                    waits_until = waits_until.max(Some(until));
                }
            }
            spaces.push(kind);
        }
        if spaces.is_empty() {
            return Err(Error::NotFound {
                kind: RecordKind::Device,
                id: targets
                    .first()
                    .map(|d| d.to_hex().chars().take(16).collect())
                    .unwrap_or_default(),
            });
        }
        Ok(RemovedDevice {
            name: name.unwrap_or_else(|| "another device".into()),
            fingerprint: targets
                .first()
                .map(|d| d.to_hex().chars().take(16).collect())
                .unwrap_or_default(),
            spaces,
            removed: removed_all,
            waits_until: if removed_all { None } else { waits_until },
            lost: lost_said,
        })
    }

    /// Removes `target` from `space`, or asks to. Returns until when the
    /// removal waits (`None` once it is done) and whether it is as lost
    /// (a confirmation takes the request's word).
    fn remove_one(
        &mut self,
        t: &dyn Transport,
        space: &str,
        target: DeviceKey,
        lost: bool,
    ) -> Result<(Option<u64>, bool)> {
        let me = self.keys.device_key();
        let mut said = lost;
        // At most twice: ask, then (with no wait) carry it out.
        for _ in 0..2 {
            let wait = self.removal_wait.as_secs();
            let mut waiting = None;
            let mut used = said;
            self.append_to_log(t, space, |k, m| {
                waiting = None;
                if !m.members.contains_key(&target) {
                    return Ok(Step::Done);
                }
                // Confirming another device's request takes its word on
                // whether the device is lost.
                let lost = m.pending.get(&target).map_or(lost, |p| p.lost);
                match m.removal_allowed(&me, &target, lost) {
                    Ok(RemovedBy::Waited { not_before }) if unix_now() < not_before => {
                        waiting = Some((not_before, lost));
                        Ok(Step::Done)
                    }
                    Ok(_) => {
                        used = lost;
                        let next = k.next_epoch_keys(space, m, Some(&target))?;
                        Ok(Step::Append(Action::RemoveDevice {
                            device: target,
                            epoch: m.epoch + 1,
                            keys: next.keys,
                            bounds: next.bounds,
                            confirm: next.confirm,
                            lost,
                            at: unix_now(),
                        }))
                    }
                    Err(kindred_protocol::VerifyError::RemovalNotAsked)
                        if !m.pending.contains_key(&target) =>
                    {
                        let not_before = unix_now().saturating_add(wait);
                        waiting = Some((not_before, lost));
                        Ok(Step::Append(Action::ProposeRemoval {
                            device: target,
                            lost,
                            not_before,
                        }))
                    }
                    // The kit goes only after its own wait: nobody else
                    // can hurry it.
                    Err(_) => Err(Error::RemovalWaits),
                }
            })
            .map_err(wait_refusal)?;
            said = used;
            match waiting {
                Some((until, asked)) if until > unix_now() => return Ok((Some(until), asked)),
                Some(_) => continue,
                None => return Ok((None, said)),
            }
        }
        Ok((None, said))
    }

    /// The removals of the person's devices (and her kit) that wait, in
    /// every space this device holds, one line per device.
    pub fn pending_removals(&self) -> Result<Vec<PendingRemovalInfo>> {
        let me = self.keys.device_key();
        let mut out: Vec<PendingRemovalInfo> = Vec::new();
        for s in &self.spaces {
            let Some(m) = self.membership_of(&s.id)? else {
                continue;
            };
            for (device, p) in &m.pending {
                let fingerprint: String = device.to_hex().chars().take(16).collect();
                if out.iter().any(|x| x.fingerprint == fingerprint) {
                    continue;
                }
                out.push(PendingRemovalInfo {
                    name: self.name_in(&s.id, &m, device),
                    fingerprint,
                    asked_by: self.name_in(&s.id, &m, &p.by),
                    asked_by_fingerprint: p.by.to_hex().chars().take(16).collect(),
                    asked_here: p.by == me,
                    this_device: *device == me,
                    kit: m.role_of(device) == Some(Role::Recovery),
                    lost: p.lost,
                    not_before: p.not_before,
                });
            }
        }
        Ok(out)
    }

    /// Cancels the waiting removal of `device` (a fingerprint, at least 8
    /// hex digits) in every space where it waits. Returns how many.
    pub fn cancel_removal(&mut self, t: &dyn Transport, device: &str) -> Result<usize> {
        let target = self.find_device_in(device, None)?;
        let ids: Vec<String> = self.spaces.iter().map(|s| s.id.clone()).collect();
        let mut cancelled = 0;
        for space in ids {
            let waits = self
                .membership_of(&space)?
                .is_some_and(|m| m.pending.contains_key(&target));
            if !waits {
                continue;
            }
            let done = self.append_to_log(t, &space, |_, m| {
                if !m.pending.contains_key(&target) {
                    return Ok(Step::Done);
                }
                Ok(Step::Append(Action::CancelRemoval { device: target }))
            })?;
            cancelled += usize::from(done);
        }
        if cancelled == 0 {
            return Err(Error::NotFound {
                kind: RecordKind::Device,
                id: "a waiting removal of that device".into(),
            });
        }
        Ok(cancelled)
    }

    /// How many of this device's removal requests are due (a local read).
    pub fn due_removals(&self) -> Result<usize> {
        let me = self.keys.device_key();
        let now = unix_now();
        let mut n = 0;
        for s in &self.spaces {
            if let Some(m) = self.membership_of(&s.id)? {
                n += m
                    .pending
                    .values()
                    .filter(|p| p.by == me && p.not_before <= now)
                    .count();
            }
        }
        Ok(n)
    }

    /// Carries out this device's requests whose wait is over (after a
    /// sync). A relay whose clock says "not yet" is asked again later.
    /// Costs nothing when nothing waits.
    pub fn carry_out_due_removals(&mut self, t: &dyn Transport) -> Result<usize> {
        let me = self.keys.device_key();
        let now = unix_now();
        let mut due = Vec::new();
        for s in &self.spaces {
            if let Some(m) = self.membership_of(&s.id)? {
                for (device, p) in &m.pending {
                    if p.by == me && p.not_before <= now {
                        due.push((s.id.clone(), *device, p.lost));
                    }
                }
            }
        }
        let mut done = 0;
        for (space, device, lost) in due {
            match self.remove_one(t, &space, device, lost) {
                Ok((None, _)) => done += 1,
                Ok((Some(_), _)) => {}
                Err(Error::RemovalWaits) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(done)
    }

    /// Who removed which of the person's devices, from the personal
    /// space's log (oldest first).
    pub fn removal_history(&self) -> Result<Vec<RemovalRecord>> {
        let mut out = Vec::new();
        let Some(s) = self
            .spaces
            .iter()
            .find(|s| s.kind == crate::space::SpaceKind::Personal)
        else {
            return Ok(out);
        };
        let Some(m) = self.membership_of(&s.id)? else {
            return Ok(out);
        };
        for r in &m.removals {
            if r.how == RemovedBy::Owner {
                continue;
            }
            // The name as the log had it when the device was still in.
            let name = self
                .name_at_join(&s.id, &r.device)
                .map(|n| crate::names::display_name(&n, true).to_owned())
                .unwrap_or_else(|| "another device".into());
            let by = if m.role_of(&r.author) == Some(Role::Recovery)
                || matches!(r.how, RemovedBy::Kit)
            {
                crate::recovery::KIT_NAME.to_owned()
            } else {
                self.name_in(&s.id, &m, &r.author)
            };
            let (how, waited_until) = match r.how {
                RemovedBy::Kit => ("kit", None),
                RemovedBy::Confirmed { .. } => ("confirmed", None),
                RemovedBy::Waited { not_before } => ("waited", Some(not_before)),
                RemovedBy::Owner => ("owner", None),
            };
            out.push(RemovalRecord {
                name,
                fingerprint: r.device.to_hex().chars().take(16).collect(),
                by,
                how: how.into(),
                lost: r.lost,
                waited_until,
                log_position: r.seq,
                at: (r.at != 0).then_some(r.at),
            });
        }
        Ok(out)
    }

    /// This device's copy, kept locked because it was removed without
    /// being called lost; `None` when it was not removed.
    pub fn locked_copy(&self) -> Result<Option<LockedCopy>> {
        let me = self.keys.device_key();
        let mut spaces = Vec::new();
        let mut removed_by = None;
        for s in &self.spaces {
            if !s.locked {
                continue;
            }
            spaces.push(s.kind.as_str().to_owned());
            if removed_by.is_none()
                && let Some(m) = self.membership_of(&s.id)?
                && let Some(r) = m.removals.iter().rev().find(|r| r.device == me)
            {
                removed_by = Some(match r.how {
                    RemovedBy::Kit => crate::recovery::KIT_NAME.to_owned(),
                    _ => self.name_in(&s.id, &m, &r.author),
                });
            }
        }
        if spaces.is_empty() {
            return Ok(None);
        }
        Ok(Some(LockedCopy {
            spaces,
            removed_by: removed_by.unwrap_or_else(|| "another device".into()),
        }))
    }

    /// Keeps this device's copy of a space it was removed from, locked.
    pub(crate) fn lock_space(&mut self, space: &str) -> Result<()> {
        self.update_sync_state(space, |st| {
            st.removed = true;
            st.locked = true;
        })?;
        if let Some(s) = self.spaces.iter_mut().find(|s| s.id == space) {
            s.locked = true;
        }
        Ok(())
    }

    /// Deletes a locked copy for good (after an export, or when the
    /// person does not want it).
    pub fn erase_locked_copy(&mut self) -> Result<usize> {
        let locked: Vec<String> = self
            .spaces
            .iter()
            .filter(|s| s.locked)
            .map(|s| s.id.clone())
            .collect();
        for s in &locked {
            self.forget_space(s)?;
        }
        Ok(locked.len())
    }
}

/// A relay that says the wait is not over: the removal waits.
fn wait_refusal(e: Error) -> Error {
    match e {
        Error::Refused { ref code, .. } if code == &format!("{:?}", ErrorCode::WaitNotOver) => {
            Error::RemovalWaits
        }
        other => other,
    }
}
