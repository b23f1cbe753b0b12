//! A worker's follow-ups: the dates (and sometimes times) they set to get
//! back in touch with someone. A visit or call planned with a time is
//! reminded of [`PLANNED_AHEAD_MINUTES`] before it (time to get there, or
//! to find a quiet spot for the call); a next contact date from a note,
//! which has no time, at 09:00 local on the day, like a goal step.

use time::{Duration, OffsetDateTime};

use super::{Reminder, ReminderKind, STEP_REMINDER_TIME, Zone, rules};
use crate::error::Result;
use crate::kindred::Kindred;
use crate::model::format_date;
use crate::space::SpaceKind;

/// How long before a planned visit or call its reminder fires.
pub const PLANNED_AHEAD_MINUTES: i64 = 30;

impl Kindred {
    /// Follow-ups due in `(from, to]` in `zone`, as reminders of kind
    /// [`super::ReminderKind::FollowUp`] with the contact as their record.
    pub(super) fn follow_up_fires(
        &mut self,
        from: OffsetDateTime,
        to: OffsetDateTime,
        zone: &Zone,
    ) -> Result<Vec<Reminder>> {
        if !self.spaces.iter().any(|s| s.kind == SpaceKind::Caseload) {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for p in self.planned_contacts()? {
            let at = p.at - Duration::minutes(PLANNED_AHEAD_MINUTES);
            if at > from && at <= to {
                let key = format!("follow-up/planned/{}", p.id);
                out.push(Reminder::new(
                    at,
                    ReminderKind::FollowUp,
                    key,
                    Some(p.contact_id),
                ));
            }
        }
        for o in self.contact_overviews()? {
            let Some(due) = o.next_contact else { continue };
            // Seen on or after the planned day: nothing to remind of.
            if o.last_contact.is_some_and(|l| l.date() >= due) {
                continue;
            }
            if let Some(at) = rules::local_to_instant(due, STEP_REMINDER_TIME, zone)
                && at > from
                && at <= to
            {
                let key = format!("follow-up/{}/{}", o.contact.id, format_date(due));
                out.push(Reminder::new(
                    at,
                    ReminderKind::FollowUp,
                    key,
                    Some(o.contact.id),
                ));
            }
        }
        Ok(out)
    }
}
