//! Changing and deleting a check-in (the Today screen's edit and delete).

use kindred_core::model as m;

use crate::error::FfiResult;
use crate::kindred::Kindred;
use crate::records::{id_of, time_of};

/// What to change in a check-in; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, uniffi::Record)]
pub struct CheckInChanges {
    pub occurred_at: Option<String>,
    pub mood: Option<i64>,
    pub energy: Option<i64>,
    /// Takes the energy off (wins over `energy`).
    pub clear_energy: bool,
    pub tags: Option<Vec<String>>,
    pub note: Option<String>,
    /// Takes the note off (wins over `note`).
    pub clear_note: bool,
}

fn core_changes(c: CheckInChanges) -> FfiResult<m::CheckInChanges> {
    Ok(m::CheckInChanges {
        occurred_at: c.occurred_at.as_deref().map(time_of).transpose()?,
        mood: c.mood,
        energy: if c.clear_energy {
            Some(None)
        } else {
            c.energy.map(Some)
        },
        tags: c.tags,
        note: if c.clear_note {
            Some(None)
        } else {
            c.note.map(Some)
        },
    })
}

#[uniffi::export]
impl Kindred {
    /// Changes one of the person's check-ins (same rules as adding one);
    /// listeners hear of it like any local write.
    pub fn update_check_in(&self, id: String, changes: CheckInChanges) -> FfiResult<()> {
        self.write(|k| {
            let c = core_changes(changes)?;
            Ok(k.update_check_in(&id_of(&id)?, &c)?)
        })
    }

    /// Deletes one of the person's check-ins and the copies they shared.
    pub fn delete_check_in(&self, id: String) -> FfiResult<()> {
        self.write(|k| Ok(k.delete_check_in(&id_of(&id)?)?))
    }
}
