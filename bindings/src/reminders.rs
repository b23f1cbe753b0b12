//! Reminders (issue 15) for the apps: the person's check-in times, and
//! the next moments to notify, computed in the core so every shell gets
//! the same answer across time zones and daylight saving. A shell
//! schedules what `next_reminders` lists (under each `key`) and cancels
//! what a later call no longer lists; the notification shows `title`
//! ("Kindred") and nothing else.

use kindred_core::reminders as r;

use crate::error::{FfiResult, KindredError};
use crate::kindred::Kindred;
use crate::records::time_of;

/// A check-in reminder time the person picked.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CheckInReminderRecord {
    pub id: String,
    /// "HH:MM", the person's local time wherever they are.
    pub at: String,
    /// "mon" .. "sun"; empty = every day.
    pub days: Vec<String>,
}

/// A time to set.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewCheckInReminderRecord {
    pub at: String,
    pub days: Vec<String>,
}

/// One moment to notify.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReminderRecord {
    /// RFC 3339, UTC.
    pub at: String,
    /// check_in, goal_step or follow_up (for the app once opened).
    pub kind: String,
    /// Stable per moment: schedule under it, cancel what is no longer listed.
    pub key: String,
    /// The goal or contact it is about.
    pub record: Option<String>,
    /// All a notification shows.
    pub title: String,
}

fn rule_record(c: r::CheckInReminder) -> CheckInReminderRecord {
    CheckInReminderRecord {
        id: c.id.to_string(),
        at: c.at.to_string(),
        days: c
            .days
            .iter()
            .map(|d| kindred_core::model::day_name(*d).to_owned())
            .collect(),
    }
}

fn core_rule(n: &NewCheckInReminderRecord) -> FfiResult<r::NewCheckInReminder> {
    Ok(r::NewCheckInReminder {
        at: r::ReminderTime::parse(&n.at)?,
        days: n
            .days
            .iter()
            .map(|d| kindred_core::model::parse_day_name(d))
            .collect::<kindred_core::Result<Vec<_>>>()?,
    })
}

#[uniffi::export]
impl Kindred {
    /// The check-in reminder times the person picked.
    pub fn check_in_reminders(&self) -> FfiResult<Vec<CheckInReminderRecord>> {
        self.with(|k| {
            Ok(k.check_in_reminders()?
                .into_iter()
                .map(rule_record)
                .collect())
        })
    }

    /// Replaces the check-in reminder times (all checked before any is kept).
    pub fn set_check_in_reminders(
        &self,
        times: Vec<NewCheckInReminderRecord>,
    ) -> FfiResult<Vec<CheckInReminderRecord>> {
        self.write(|k| {
            let rules = times.iter().map(core_rule).collect::<FfiResult<Vec<_>>>()?;
            Ok(k.set_check_in_reminders(&rules)?
                .into_iter()
                .map(rule_record)
                .collect())
        })
    }

    /// Every moment to notify in the next `horizon_days` after `now`
    /// (RFC 3339), in the IANA zone `zone` ("Europe/London"), soonest first.
    pub fn next_reminders(
        &self,
        now: String,
        zone: String,
        horizon_days: u32,
    ) -> FfiResult<Vec<ReminderRecord>> {
        let now = time_of(&now)?;
        if horizon_days == 0 {
            return Err(KindredError::InvalidInput {
                message: "look at least one day ahead".into(),
            });
        }
        self.with(|k| {
            Ok(k.next_reminders(now, &zone, horizon_days)?
                .into_iter()
                .map(|f| ReminderRecord {
                    at: kindred_core::model::format_time(f.at),
                    kind: match f.kind {
                        r::ReminderKind::CheckIn => "check_in",
                        r::ReminderKind::GoalStep => "goal_step",
                        r::ReminderKind::FollowUp => "follow_up",
                    }
                    .into(),
                    key: f.key,
                    record: f.record.map(|i| i.to_string()),
                    title: f.notification_title.to_owned(),
                })
                .collect())
        })
    }
}
