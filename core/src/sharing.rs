//! What a person shares, with whom: goals moved into a shared space, the
//! list of shares, and ending one. (Check-ins: `shared_check_ins`; notes
//! a worker shares: `collaboration`.)
//!
//! Sharing a goal **moves** it: the goal (same id, steps, progress and
//! stamps) is written into the shared space and then deleted from the
//! personal one, so there is one copy that both sides edit and that merges
//! like any other record. A private copy linked to a shared one would have
//! to be kept in step by hand and would make "what exactly is shared?"
//! harder to answer. Stopping sharing moves it back. What the other side
//! already received stays in their copy of the document's history; from
//! then on they get nothing new, and when the share ends (their devices
//! removed, the key rotated) they cannot read anything written later.
//!
//! Order of the two writes: into the destination first, then out of the
//! source, each durable. A crash between them leaves the goal in both
//! places (shown once: the personal copy wins in lookups), never in none.

use automerge::transaction::Transactable;
use kindred_protocol::Action;
use kindred_protocol::messages::AppendLog;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::ids::Id;
use crate::kindred::Kindred;
use crate::model::{Goal, RecordKind};
use crate::shared_check_ins::SharedRange;
use crate::space::SpaceKind;
use crate::space::fields::{push_map, put_opt_date, put_opt_str, put_str, put_time};
use crate::space::records::GOALS;
use crate::sync::RemovedDevice;
use crate::sync::Transport;
use crate::sync::membership::Step;
use kindred_protocol::Role;

/// A member of a shared space, as the share list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ShareMember {
    pub name: String,
    pub fingerprint: String,
    pub role: String,
    /// One of this person's own devices.
    pub mine: bool,
}

/// One shared space: who is in it and what it holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Share {
    pub space: String,
    /// Who it is shared with, by name ("with Sam"): the other people in
    /// it, or, once it has ended, who it was with.
    pub name: String,
    /// No one else is in it any more: the share has ended.
    pub ended: bool,
    pub members: Vec<ShareMember>,
    pub goals: Vec<SharedGoal>,
    /// How many check-ins were shared into it.
    pub check_ins: usize,
    /// The days of check-ins shared, as the person chose them.
    pub check_in_ranges: Vec<SharedRange>,
    /// How many contact notes a worker shared into it.
    pub notes: usize,
}

/// What changing the others' role in a share did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RoleChange {
    /// Who it was changed for, by name ("Alex").
    pub name: String,
    /// What they had before (the first changed device's role).
    pub before: Role,
    /// What they have now.
    pub role: Role,
    /// False if everyone named already had this role (nothing appended).
    pub changed: bool,
}

/// A goal in a shared space.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SharedGoal {
    pub id: Id,
    pub title: String,
}

impl Kindred {
    /// Checks `space` is a shared space that has finished its first sync.
    pub(crate) fn shared_space(&mut self, space: &str) -> Result<()> {
        let info = self
            .spaces
            .iter()
            .find(|s| s.id == space)
            .ok_or_else(|| Error::NotFound {
                kind: RecordKind::Space,
                id: space.to_owned(),
            })?;
        if info.kind != SpaceKind::Shared {
            return Err(Error::OutOfRange {
                field: "space",
                expected: "a shared space (see `share list`)",
            });
        }
        if !self.space_by_id(space)?.has_root() {
            return Err(Error::NotReady {
                space: "shared".into(),
            });
        }
        Ok(())
    }

    pub(crate) fn personal_space(&self) -> Result<String> {
        self.spaces
            .iter()
            .find(|s| s.kind == SpaceKind::Personal)
            .map(|s| s.id.clone())
            .ok_or_else(|| Error::NotFound {
                kind: RecordKind::Space,
                id: "personal".into(),
            })
    }

    /// Writes `g` into `to` under its own id, then deletes it from `from`.
    fn move_goal(&mut self, g: &Goal, from: &str, to: &str) -> Result<()> {
        self.edit_in(to, |_, e| {
            let obj = e.create_with_id(GOALS, &g.id)?;
            put_str(e.tx, &obj, "title", &g.title)?;
            put_opt_str(e.tx, &obj, "why", g.why.as_deref())?;
            put_opt_str(e.tx, &obj, "area", g.area.as_ref().map(|a| a.as_str()))?;
            put_str(e.tx, &obj, "status", g.status.as_str())?;
            put_opt_date(e.tx, &obj, "target_date", g.target_date)?;
            put_time(e.tx, &obj, "created_at", g.created_at)?;
            put_str(e.tx, &obj, "created_by", &g.created_by)?;
            e.tx.put_object(&obj, "steps", automerge::ObjType::List)?;
            e.tx.put_object(&obj, "progress", automerge::ObjType::List)?;
            for s in &g.steps {
                let step = push_map(e.tx, &obj, "steps")?;
                put_str(e.tx, &step, "id", s.id.as_str())?;
                put_str(e.tx, &step, "text", &s.text)?;
                put_opt_date(e.tx, &step, "due", s.due)?;
                if let Some(done) = s.done_at {
                    put_time(e.tx, &step, "done_at", done)?;
                }
            }
            for p in &g.progress {
                let entry = push_map(e.tx, &obj, "progress")?;
                put_str(e.tx, &entry, "id", p.id.as_str())?;
                put_time(e.tx, &entry, "at", p.at)?;
                put_str(e.tx, &entry, "note", &p.note)?;
            }
            Ok(())
        })?;
        self.edit_in(from, |_, e| e.delete(GOALS, &g.id))
    }

    /// Shares one of this person's goals into a shared space (moves it
    /// there; see the module docs).
    pub fn share_goal(&mut self, goal: &Id, space: &str) -> Result<()> {
        self.shared_space(space)?;
        let from = self.goal_space(goal)?;
        if from == space {
            return Ok(());
        }
        let personal = self.personal_space()?;
        if from != personal {
            return Err(Error::OutOfRange {
                field: "goal",
                expected: "one of your own goals (this one is already shared elsewhere; stop sharing it first)",
            });
        }
        let g = self.goal(goal)?;
        self.move_goal(&g, &from, space)
    }

    /// Stops sharing a goal: moves it back into the personal space.
    pub fn unshare_goal(&mut self, goal: &Id) -> Result<()> {
        let from = self.goal_space(goal)?;
        let personal = self.personal_space()?;
        if from == personal {
            return Ok(());
        }
        let g = self.goal(goal)?;
        self.move_goal(&g, &from, &personal)
    }

    /// Every shared space: its members (with roles) and what it holds.
    /// A shared space no one else was ever in (an invite that never
    /// completed, from before invites made nothing until they completed)
    /// holds nothing and is not listed.
    pub fn shares(&mut self) -> Result<Vec<Share>> {
        let mine = self.own_devices()?;
        let ids: Vec<(String, Option<String>)> = self
            .spaces
            .iter()
            .filter(|s| s.kind == SpaceKind::Shared)
            .map(|s| (s.id.clone(), s.name.clone()))
            .collect();
        let mut out = Vec::new();
        for (id, stored_name) in ids {
            let mut members = Vec::new();
            let mut anyone_left = false;
            if let Some(m) = self.membership_of(&id)? {
                let sid = crate::sync::space_hex_id(&id)?;
                anyone_left = m.removed.iter().any(|d| !mine.contains(d));
                // The kit is in her shares to restore them, not a member
                // anyone shares with.
                for (d, member) in m.members.iter().filter(|(_, x)| x.role != Role::Recovery) {
                    let label = self
                        .member_label(&id, &sid, d, &member.sealed_label, m.epoch)
                        .unwrap_or_else(|| "another device".into());
                    members.push(ShareMember {
                        name: crate::names::display_name(&label, mine.contains(d)).to_owned(),
                        fingerprint: d.to_hex().chars().take(16).collect(),
                        role: format!("{:?}", member.role).to_lowercase(),
                        mine: mine.contains(d),
                    });
                }
            }
            let others: Vec<&str> = members
                .iter()
                .filter(|m| !m.mine)
                .map(|m| m.name.as_str())
                .collect();
            let ended = others.is_empty();
            let (goals, check_ins, notes) = if self.space_by_id(&id)?.has_root() {
                let index = &self.space_by_id(&id)?.index;
                let mut goals: Vec<SharedGoal> = index
                    .goals
                    .values()
                    .map(|g| SharedGoal {
                        id: g.id.clone(),
                        title: g.title.clone(),
                    })
                    .collect();
                goals.sort_by(|a, b| a.id.cmp(&b.id));
                (goals, index.check_ins.len(), index.notes.len())
            } else {
                (Vec::new(), 0, 0)
            };
            if ended && !anyone_left && goals.is_empty() && check_ins == 0 && notes == 0 {
                continue;
            }
            let name = if others.is_empty() {
                match stored_name {
                    Some(n) => n,
                    None => match self.former_member_names(&id, &mine)?.as_slice() {
                        [] => "a share that has ended".into(),
                        names => format!(
                            "with {}",
                            names_in_words(&names.iter().map(String::as_str).collect::<Vec<_>>())
                        ),
                    },
                }
            } else {
                format!("with {}", names_in_words(&others))
            };
            let check_in_ranges = self.shared_ranges(&id)?;
            out.push(Share {
                space: id,
                name,
                ended,
                members,
                goals,
                check_ins,
                check_in_ranges,
                notes,
            });
        }
        Ok(out)
    }

    /// The names of the people (not this person's devices) who were in a
    /// share and were removed, read from its log under the keys this
    /// device held then.
    fn former_member_names(
        &self,
        space: &str,
        mine: &[kindred_protocol::DeviceKey],
    ) -> Result<Vec<String>> {
        let Some(m) = self.membership_of(space)? else {
            return Ok(Vec::new());
        };
        let sid = crate::sync::space_hex_id(space)?;
        let mut out: Vec<String> = Vec::new();
        for stored in self.store.log_entries(space)? {
            let Ok(append) = kindred_protocol::decode::<AppendLog>(&stored) else {
                continue;
            };
            if let Action::AddDevice { member, .. } = &append.entry.action
                && m.removed.contains(&member.device)
                && !mine.contains(&member.device)
                && let Some(label) =
                    self.member_label(space, &sid, &member.device, &member.sealed_label, m.epoch)
                && let name = crate::names::display_name(&label, false).to_owned()
                && !out.contains(&name)
            {
                out.push(name);
            }
        }
        Ok(out)
    }

    /// True if one of this person's devices started the share (wrote the
    /// first entry of its log).
    fn started_here(&self, space: &str, mine: &[kindred_protocol::DeviceKey]) -> Result<bool> {
        let first = self.store.log_entries(space)?.into_iter().next();
        Ok(first
            .and_then(|b| kindred_protocol::decode::<AppendLog>(&b).ok())
            .is_some_and(|a| mine.contains(&a.entry.author)))
    }

    /// Ends a share: removes the other people's devices from the shared
    /// space (or only `member`, by the start of its id), rotating its key.
    /// When no one else is left, the goals in it come home to the personal
    /// space. Only the person who started the share ends it
    /// ([`Error::NotYourShare`] for anyone else, even an owner): the goals
    /// in it came from her records, and would otherwise "come home" to the
    /// wrong person while her devices wiped their copy.
    pub fn end_share(
        &mut self,
        t: &dyn Transport,
        space: &str,
        member: Option<&str>,
    ) -> Result<RemovedDevice> {
        self.shared_space(space)?;
        let mine = self.own_devices()?;
        if !self.started_here(space, &mine)? {
            return Err(Error::NotYourShare);
        }
        let m = self.membership_of(space)?.ok_or(Error::Sync {
            what: "a space has no membership log yet",
        })?;
        let targets: Vec<kindred_protocol::DeviceKey> = match member {
            Some(prefix) => vec![self.find_device_in(prefix, Some(space))?],
            None => m
                .members
                .keys()
                .filter(|d| !mine.contains(d))
                .copied()
                .collect(),
        };
        if targets.is_empty() {
            return Err(Error::NotFound {
                kind: RecordKind::Device,
                id: "anyone else in this share".into(),
            });
        }
        // Someone else's devices at the end of a share wipe their copies
        // (`lost`): what she shared goes back to being hers alone.
        let removed = self.remove_devices(t, &targets, Some(space), true)?;
        let left = self.membership_of(space)?;
        if left.is_some_and(|m| m.members.keys().all(|d| mine.contains(d))) {
            let goals: Vec<Id> = self
                .space_by_id(space)?
                .index
                .goals
                .keys()
                .cloned()
                .collect();
            for g in goals {
                self.unshare_goal(&g)?;
            }
            // Home first, then out of the shared space (see the order of
            // writes in the module docs), on the relay as here.
            let personal = self.personal_space()?;
            self.sync_space(t, &personal)?;
            self.sync_space(t, space)?;
        }
        Ok(removed)
    }
}

impl Kindred {
    /// Changes what the other people in a share may do (or only `member`,
    /// by the start of its device id): each change is a signed `SetRole`
    /// entry in the share's membership log, starting a new key, so every
    /// device can tell which changes were written under which role. Only
    /// an owner of the share may (the person who shared it);
    /// [`Error::CannotChangeRoles`] for anyone else, checked here and
    /// again by the relay and by every device that pulls the entry.
    pub fn set_share_role(
        &mut self,
        t: &dyn Transport,
        space: &str,
        role: Role,
        member: Option<&str>,
    ) -> Result<RoleChange> {
        self.shared_space(space)?;
        let me = self.keys.device_key();
        let mine = self.own_devices()?;
        let m = self.membership_of(space)?.ok_or(Error::Sync {
            what: "a space has no membership log yet",
        })?;
        if m.role_of(&me) != Some(Role::Owner) {
            return Err(Error::CannotChangeRoles);
        }
        let targets: Vec<kindred_protocol::DeviceKey> = match member {
            Some(prefix) => vec![self.find_device_in(prefix, Some(space))?],
            None => m
                .members
                .keys()
                .filter(|d| !mine.contains(d))
                .copied()
                .collect(),
        };
        let Some(first) = targets.first().copied() else {
            return Err(Error::NotFound {
                kind: RecordKind::Device,
                id: "anyone else in this share".into(),
            });
        };
        if first == me {
            return Err(Error::CannotChangeRoles);
        }
        let sid = crate::sync::space_hex_id(space)?;
        let name = m
            .members
            .get(&first)
            .and_then(|x| self.member_label(space, &sid, &first, &x.sealed_label, m.epoch))
            .map(|l| crate::names::display_name(&l, mine.contains(&first)).to_owned())
            .unwrap_or_else(|| "the other person".into());
        let before = m.role_of(&first).unwrap_or(Role::Reader);
        let mut changed = false;
        for target in targets {
            changed |= self.set_role_of(t, space, target, role)?;
        }
        Ok(RoleChange {
            name,
            before,
            role,
            changed,
        })
    }
}

impl Kindred {
    /// Appends a `SetRole` for one member of `space` (rebuilt against a
    /// fresh head if another entry got there first). False if it already
    /// had `role`; [`Error::NotFound`] if it is not (or no longer) a member.
    pub(crate) fn set_role_of(
        &mut self,
        t: &dyn Transport,
        space: &str,
        target: kindred_protocol::DeviceKey,
        role: Role,
    ) -> Result<bool> {
        self.append_to_log(t, space, |k, m| {
            let Some(now) = m.role_of(&target) else {
                return Err(Error::NotFound {
                    kind: RecordKind::Device,
                    id: target.to_hex().chars().take(16).collect(),
                });
            };
            if now == role {
                return Ok(Step::Done);
            }
            let next = k.next_epoch_keys(space, m, None)?;
            Ok(Step::Append(Action::SetRole {
                device: target,
                role,
                epoch: m.epoch + 1,
                keys: next.keys,
                bounds: next.bounds,
                confirm: next.confirm,
            }))
        })
    }
}

/// "Sam", "Sam and Jo", "Sam, Jo and Ali".
fn names_in_words(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
