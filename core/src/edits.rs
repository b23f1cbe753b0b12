//! Changing and deleting check-ins, and deleting goals.
//!
//! These are ordinary deletes: the record leaves the document (and every
//! list, summary and export) on this device and, once synced, on the
//! person's other devices and in what they share. Automerge keeps a
//! document's history, so the words stay in the sealed history until the
//! space is rebuilt; deleting "forever" is a later, separate step.
//!
//! A check-in is the person's own: only the one in the personal space is
//! changed or deleted. Copies of it shared into a shared space are deleted
//! with it (they were copies "as they were then", so an edit does not
//! reach them; a delete does, as the person would expect).

use automerge::transaction::Transactable;

use crate::error::{Error, Result};
use crate::ids::Id;
use crate::kindred::Kindred;
use crate::model::{CheckInChanges, Goal, RecordKind};
use crate::space::SpaceKind;
use crate::space::fields::{put_opt_str, put_str_list, put_time};
use crate::space::records::{CHECK_INS, GOALS};

fn not_found(kind: RecordKind, id: &Id) -> Error {
    Error::NotFound {
        kind,
        id: id.to_string(),
    }
}

impl Kindred {
    fn personal_space_id(&self) -> Result<String> {
        self.spaces
            .iter()
            .find(|s| s.kind == SpaceKind::Personal)
            .map(|s| s.id.clone())
            .ok_or_else(|| Error::NotFound {
                kind: RecordKind::Space,
                id: "personal".into(),
            })
    }

    /// The person's own check-in (in the personal space), or why not: one
    /// shared with this device by someone else is theirs to change.
    fn own_check_in_space(&mut self, id: &Id) -> Result<String> {
        let personal = self.personal_space_id()?;
        if self
            .space_by_id(&personal)?
            .index
            .check_ins
            .contains_key(id)
        {
            return Ok(personal);
        }
        // Exists, but only as someone else's shared copy?
        self.check_in(id)?;
        Err(Error::NotYours {
            kind: RecordKind::CheckIn,
        })
    }

    /// Changes one of this person's check-ins, by the same rules as adding
    /// one (a time more than a day ahead is refused).
    pub fn update_check_in(&mut self, id: &Id, changes: &CheckInChanges) -> Result<()> {
        let now = time::OffsetDateTime::now_utc();
        let c = changes.validate(now)?;
        let sp = self.own_check_in_space(id)?;
        self.edit_in(&sp, |index, e| {
            if !index.check_ins.contains_key(id) {
                return Err(not_found(RecordKind::CheckIn, id));
            }
            let obj = e.update(CHECK_INS, id)?;
            if let Some(t) = c.occurred_at {
                put_time(e.tx, &obj, "occurred_at", t)?;
            }
            if let Some(m) = c.mood {
                e.tx.put(&obj, "mood", i64::from(m))?;
            }
            match c.energy {
                Some(Some(v)) => e.tx.put(&obj, "energy", i64::from(v))?,
                Some(None) => e.tx.delete(&obj, "energy")?,
                None => {}
            }
            if let Some(tags) = &c.tags {
                put_str_list(e.tx, &obj, "tags", tags)?;
            }
            if let Some(n) = &c.note {
                put_opt_str(e.tx, &obj, "note", n.as_deref())?;
            }
            Ok(())
        })
    }

    /// Deletes one of this person's check-ins, and the copies of it they
    /// shared (see the module docs). Copies go first, so a failure leaves
    /// the person's own record as it was.
    pub fn delete_check_in(&mut self, id: &Id) -> Result<()> {
        let personal = self.own_check_in_space(id)?;
        let shared = self.ready_spaces(&[SpaceKind::Shared])?;
        for sp in shared {
            if self.space_by_id(&sp)?.index.check_ins.contains_key(id) {
                self.edit_in(&sp, |_, e| e.delete(CHECK_INS, id))?;
            }
        }
        self.edit_in(&personal, |index, e| {
            if !index.check_ins.contains_key(id) {
                return Err(not_found(RecordKind::CheckIn, id));
            }
            e.delete(CHECK_INS, id)
        })
    }

    /// Deletes a goal with its steps and progress notes, wherever it is
    /// (the personal space, or a shared space it was shared into: there it
    /// leaves for everyone in the share). Returns it as it was, so a shell
    /// can say what went.
    pub fn delete_goal(&mut self, id: &Id) -> Result<Goal> {
        let sp = self.goal_space(id)?;
        let goal = self.goal(id)?;
        self.edit_in(&sp, |index, e| {
            if !index.goals.contains_key(id) {
                return Err(not_found(RecordKind::Goal, id));
            }
            e.delete(GOALS, id)
        })?;
        Ok(goal)
    }
}
