//! A worker's follow-ups: the dates (and sometimes times) they set to get
//! back in touch with someone. Their own small file so the change that
//! adds them to a worker's day can fill this in without touching the
//! rest of the reminders.

use time::OffsetDateTime;

use super::{Reminder, Zone};
use crate::error::Result;
use crate::kindred::Kindred;

impl Kindred {
    /// Follow-ups due in `(from, to]` in `zone`, as reminders of kind
    /// [`super::ReminderKind::FollowUp`] with the contact as their record.
    pub(super) fn follow_up_fires(
        &mut self,
        from: OffsetDateTime,
        to: OffsetDateTime,
        zone: &Zone,
    ) -> Result<Vec<Reminder>> {
        // filled in by the worker's-day change
        let _ = (from, to, zone);
        Ok(Vec::new())
    }
}
