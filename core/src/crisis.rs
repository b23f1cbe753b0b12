//! Crisis lines and people the person keeps, and resources a worker
//! leaves with them.
//!
//! Crisis lines are the person's own (personal space). Until they keep a
//! line of their own, the defaults for their region show; the first
//! change they make keeps the defaults they did not remove as their own
//! lines, so from then on the list is exactly what they chose (and if
//! they remove every line, the defaults show again rather than nothing:
//! "Need help now" is never empty).
//!
//! Resources are kept in a shared space, written by whoever adds them
//! (usually the worker), so both have them offline. The person can keep a
//! copy in their own space: it stays when the share ends.

use crate::error::{Error, Result};
use crate::ids::Id;
use crate::kindred::Kindred;
use crate::model::{
    CrisisLine, NewCrisisLine, NewResource, RecordKind, Resource, default_crisis_lines,
};
use crate::space::SpaceKind;
use crate::space::fields::{put_opt_str, put_str};
use crate::space::plan_records::{read_crisis_line, read_resource};
use crate::space::records::{CRISIS_LINES, RESOURCES, View};

fn not_found(kind: RecordKind, id: &Id) -> Error {
    Error::NotFound {
        kind,
        id: id.to_string(),
    }
}

impl Kindred {
    fn own_crisis_lines(&mut self) -> Result<Vec<CrisisLine>> {
        let personal = self.space_id(&SpaceKind::Personal)?;
        let mut lines: Vec<CrisisLine> = self
            .space_by_id(&personal)?
            .unindexed_records(CRISIS_LINES)
            .iter()
            .map(|(id, m)| read_crisis_line(id, View(m)))
            .filter(|l| !l.number.is_empty())
            .collect();
        // Defaults kept with the first line of her own come first.
        lines.sort_by(|a, b| {
            (a.created_at, !a.from_defaults, &a.id).cmp(&(b.created_at, !b.from_defaults, &b.id))
        });
        Ok(lines)
    }

    /// The crisis lines "Need help now" shows: the person's own, or the
    /// defaults for `region` (e.g. "US") when they keep none.
    pub fn crisis_lines(&mut self, region: &str) -> Result<Vec<CrisisLine>> {
        let own = self.own_crisis_lines()?;
        Ok(if own.is_empty() {
            default_crisis_lines(region)
        } else {
            own
        })
    }

    /// Adds a line or person; returns its id. The region's defaults, if
    /// they were showing, are kept as the person's own first.
    pub fn add_crisis_line(&mut self, region: &str, line: &NewCrisisLine) -> Result<Id> {
        let line = line.validate()?;
        let none_kept = self.own_crisis_lines()?.is_empty();
        self.edit(&SpaceKind::Personal, |_, e| {
            if none_kept {
                keep_defaults(e, region)?;
            }
            let (id, obj) = e.create(CRISIS_LINES)?;
            write_line(e.tx, &obj, &line)?;
            Ok(id)
        })
    }

    /// Keeps the region's default lines as the person's own (when none of
    /// her own are kept yet), so she can change or remove one of them;
    /// returns her list. With lines of her own, changes nothing.
    pub fn keep_default_crisis_lines(&mut self, region: &str) -> Result<Vec<CrisisLine>> {
        if self.own_crisis_lines()?.is_empty() {
            self.edit(&SpaceKind::Personal, |_, e| {
                keep_defaults(e, region)?;
                Ok(())
            })?;
        }
        self.crisis_lines(region)
    }

    /// Changes a line the person keeps.
    pub fn update_crisis_line(&mut self, id: &Id, line: &NewCrisisLine) -> Result<()> {
        let line = line.validate()?;
        if !self
            .own_crisis_lines()?
            .iter()
            .any(|l| l.id.as_ref() == Some(id))
        {
            return Err(not_found(RecordKind::CrisisLine, id));
        }
        self.edit(&SpaceKind::Personal, |_, e| {
            let obj = e.update(CRISIS_LINES, id)?;
            write_line(e.tx, &obj, &line)?;
            Ok(())
        })
    }

    /// Removes a line the person keeps.
    pub fn remove_crisis_line(&mut self, id: &Id) -> Result<()> {
        if !self
            .own_crisis_lines()?
            .iter()
            .any(|l| l.id.as_ref() == Some(id))
        {
            return Err(not_found(RecordKind::CrisisLine, id));
        }
        self.edit(&SpaceKind::Personal, |_, e| e.delete(CRISIS_LINES, id))
    }

    // ----- resources ------------------------------------------------------

    /// Every resource this device holds: those in its shares, and the
    /// copies the person kept. Newest first.
    pub fn resources(&mut self) -> Result<Vec<Resource>> {
        let me = self.device.id.clone();
        let mut out = Vec::new();
        for space in self.ready_spaces(&[SpaceKind::Personal, SpaceKind::Shared])? {
            out.extend(
                self.space_by_id(&space)?
                    .unindexed_records(RESOURCES)
                    .iter()
                    .map(|(id, m)| read_resource(&space, id, View(m), &me))
                    .filter(|r| !r.name.is_empty()),
            );
        }
        out.sort_by(|a, b| (b.created_at, &b.id).cmp(&(a.created_at, &a.id)));
        Ok(out)
    }

    /// Adds a resource to a share (`space`), or to this person's own
    /// space (`None`); returns its id.
    pub fn add_resource(&mut self, space: Option<&str>, r: &NewResource) -> Result<Id> {
        let r = r.validate()?;
        let space = match space {
            Some(s) => {
                if !self
                    .ready_spaces(&[SpaceKind::Shared])?
                    .iter()
                    .any(|sp| sp == s)
                {
                    return Err(not_found(
                        RecordKind::Space,
                        &Id::parse(s).ok_or(Error::Document)?,
                    ));
                }
                s.to_owned()
            }
            None => self.space_id(&SpaceKind::Personal)?,
        };
        self.edit_in(&space, |_, e| {
            let (id, obj) = e.create(RESOURCES)?;
            put_str(e.tx, &obj, "kind", r.kind.as_str())?;
            put_str(e.tx, &obj, "name", &r.name)?;
            put_opt_str(e.tx, &obj, "reach", r.reach.as_deref())?;
            put_opt_str(e.tx, &obj, "hours", r.hours.as_deref())?;
            put_opt_str(e.tx, &obj, "address", r.address.as_deref())?;
            put_opt_str(e.tx, &obj, "notes", r.notes.as_deref())?;
            Ok(id)
        })
    }

    /// Keeps a copy of a shared resource in the person's own space (every
    /// field, as it is now); returns the copy's id. Keeping one already
    /// kept returns the copy there is.
    pub fn keep_resource(&mut self, id: &Id) -> Result<Id> {
        let all = self.resources()?;
        let personal = self.space_id(&SpaceKind::Personal)?;
        let r = all
            .iter()
            .find(|r| &r.id == id)
            .ok_or_else(|| not_found(RecordKind::Resource, id))?;
        if r.space == personal {
            return Ok(r.id.clone());
        }
        if let Some(kept) = all
            .iter()
            .find(|k| k.space == personal && k.kept_from.as_ref() == Some(id))
        {
            return Ok(kept.id.clone());
        }
        let value = self
            .space_by_id(&r.space)?
            .record_value(RESOURCES, id)
            .ok_or_else(|| not_found(RecordKind::Resource, id))?;
        self.edit(&SpaceKind::Personal, |_, e| {
            let copy = Id::random()?;
            let obj = e.copy_record(RESOURCES, &copy, &value)?;
            put_str(e.tx, &obj, "kept_from", id.as_str())?;
            Ok(copy)
        })
    }

    /// Removes a resource this device wrote, or a copy the person kept.
    pub fn delete_resource(&mut self, id: &Id) -> Result<()> {
        let personal = self.space_id(&SpaceKind::Personal)?;
        let r = self
            .resources()?
            .into_iter()
            .find(|r| &r.id == id)
            .ok_or_else(|| not_found(RecordKind::Resource, id))?;
        if !r.mine && r.space != personal {
            return Err(Error::NotYours {
                kind: RecordKind::Resource,
            });
        }
        self.edit_in(&r.space, |_, e| e.delete(RESOURCES, id))
    }
}

/// Keeps the region's default lines as the person's own records.
fn keep_defaults(e: &mut crate::space::edit::Edit<'_, '_>, region: &str) -> Result<()> {
    for d in default_crisis_lines(region) {
        let (_, obj) = e.create(CRISIS_LINES)?;
        let line = NewCrisisLine {
            name: d.name,
            number: d.number,
            can_call: d.can_call,
            can_text: d.can_text,
            when_to_use: d.when_to_use,
        };
        write_line(e.tx, &obj, &line)?;
        automerge::transaction::Transactable::put(e.tx, &obj, "from_defaults", true)?;
    }
    Ok(())
}

/// Writes a line's fields into its record.
fn write_line<T: automerge::transaction::Transactable>(
    tx: &mut T,
    obj: &automerge::ObjId,
    line: &NewCrisisLine,
) -> std::result::Result<(), automerge::AutomergeError> {
    put_str(tx, obj, "name", &line.name)?;
    put_str(tx, obj, "number", &line.number)?;
    tx.put(obj, "call", line.can_call)?;
    tx.put(obj, "text", line.can_text)?;
    put_opt_str(tx, obj, "when", line.when_to_use.as_deref())
}
