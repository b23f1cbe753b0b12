//! Reminders: which moments a shell should wake the person, and nothing
//! about why.
//!
//! The core decides *when*; the shells (Android's AlarmManager, iOS's
//! notification centre, a desktop timer) only schedule what
//! [`Kindred::next_reminders`] lists. Computing fire times once, here,
//! means every platform fires a daily reminder once a day across
//! daylight-saving changes, and a test here says what a phone will do
//! (`rules.rs` explains how a wall-clock time becomes an instant).
//!
//! What fires:
//! - the person's **check-in reminders**: times of day they chose, kept
//!   in their personal space (collection `reminders`, one record per
//!   rule: `kind: "check_in"`, `at: "HH:MM"`, `days: ["mon", ..]`) so
//!   their phone and tablet agree;
//! - each **goal step** with a due date that is not done, on one of their
//!   own active goals, at 09:00 local on the due date (a paused goal is
//!   resting; nudging about it would be pressure, not support);
//! - a worker's **follow-ups** (`follow_ups.rs`).
//!
//! Rules are wall-clock times, and the zone is an argument, not part of
//! the rule: the shell passes the zone the device is in at each call, so
//! "20:30" stays 20:30 wherever the person travels.
//!
//! # Nothing on a locked screen
//!
//! A reminder's notification says "Kindred" and nothing else: no goal,
//! no step, not even "check in". A locked phone is seen by whoever is
//! near it, and that a person is working on their recovery is theirs to
//! tell. So [`Reminder`] carries no text a shell could show but
//! [`NOTIFICATION_TITLE`]; opening the app shows the rest, behind its
//! lock.
//!
//! # Records from other versions
//!
//! A record of another `kind` (a newer version's reminder) is kept and
//! ignored, and so is a check-in rule this version cannot read (a day it
//! does not know, say). Setting the list changes only the rules it
//! reads, field by field, and a rule the person keeps as it was is not
//! touched: fields a newer version added to it survive, and its key
//! stays, so a shell need not cancel and schedule it again.

mod follow_ups;
pub use follow_ups::PLANNED_AHEAD_MINUTES;
mod rules;

#[cfg(test)]
mod tests;

use automerge::{ObjType, ROOT, ScalarValue, hydrate};
use serde::Serialize;
use time::{Date, Duration, OffsetDateTime};

use crate::error::{Error, Result};
use crate::ids::Id;
use crate::kindred::Kindred;
use crate::model::{GoalStatus, format_date};
use crate::space::SpaceKind;
use crate::space::fields::{get_obj, put_str, put_str_list};

pub use rules::{
    CheckInReminder, MAX_CHECK_IN_REMINDERS, NewCheckInReminder, ReminderTime, Zone, fires_between,
    next_fire, zone,
};

/// The collection of reminder rules in the personal space (not indexed:
/// read when reminders are asked for).
pub(crate) const REMINDERS: &str = "reminders";

/// The `kind` of a check-in reminder record.
const CHECK_IN: &str = "check_in";

/// The one text a reminder's notification shows (see the module docs).
pub const NOTIFICATION_TITLE: &str = "Kindred";

/// When a goal step's reminder fires on its due date, local time: the
/// start of most people's day, not so early that it wakes anyone.
pub const STEP_REMINDER_TIME: ReminderTime = ReminderTime { hour: 9, minute: 0 };

/// The furthest ahead [`Kindred::next_reminders`] looks: a year and a
/// day. Shells ask for days or weeks (iOS keeps at most 64 pending
/// notifications), and a bound keeps one call's work bounded.
pub const MAX_HORIZON_DAYS: u32 = 366;

/// What a reminder is for (for the app once it is open; never shown on
/// the notification).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    CheckIn,
    GoalStep,
    FollowUp,
}

/// One moment a shell should notify the person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reminder {
    /// When, in UTC.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub kind: ReminderKind,
    /// The same for the same fire on every call and every device
    /// (`check-in/<rule id>/<day>`, `goal-step/<goal id>/<step id>/<due
    /// day>`): a shell schedules under it, and cancels what a later call
    /// no longer lists. Ids and dates only.
    pub key: String,
    /// The goal (or contact) it is about, for the app to open.
    pub record: Option<Id>,
    /// Always [`NOTIFICATION_TITLE`]; a notification has no body.
    pub notification_title: &'static str,
}

impl Reminder {
    fn new(at: OffsetDateTime, kind: ReminderKind, key: String, record: Option<Id>) -> Reminder {
        Reminder {
            at,
            kind,
            key,
            record,
            notification_title: NOTIFICATION_TITLE,
        }
    }
}

fn str_field(m: &hydrate::Map, key: &str) -> Option<String> {
    match m.get(key)? {
        hydrate::Value::Scalar(ScalarValue::Str(s)) => Some(s.to_string()),
        _ => None,
    }
}

/// A check-in rule from its record; `None` for another kind, or for a
/// rule this version cannot read whole (it is then left alone).
fn read_check_in(id: &Id, m: &hydrate::Map) -> Option<CheckInReminder> {
    if str_field(m, "kind")? != CHECK_IN {
        return None;
    }
    let at = ReminderTime::parse(&str_field(m, "at")?).ok()?;
    let days = match m.get("days") {
        None => Vec::new(),
        Some(hydrate::Value::List(list)) => list
            .iter()
            .map(|v| match &v.value {
                hydrate::Value::Scalar(ScalarValue::Str(s)) => rules::parse_day(s),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?,
        Some(_) => return None,
    };
    Some(CheckInReminder {
        id: id.clone(),
        at,
        days: rules::normal_days(&days),
    })
}

fn by_time(rules: &mut [CheckInReminder]) {
    rules.sort_by_cached_key(|r| {
        let days: Vec<u8> = r.days.iter().map(|d| d.number_from_monday()).collect();
        (r.at, days, r.id.clone())
    });
}

/// How a new list of rules is written over the kept ones: rules kept as
/// they were stay untouched; changed ones reuse a record (in time order),
/// so its unknown fields stay; the rest are created or deleted.
#[derive(Debug, Default, PartialEq)]
struct Plan {
    update: Vec<(Id, NewCheckInReminder)>,
    create: Vec<NewCheckInReminder>,
    delete: Vec<Id>,
}

fn plan(mut kept: Vec<CheckInReminder>, wanted: Vec<NewCheckInReminder>) -> Plan {
    by_time(&mut kept);
    let mut changed = Vec::new();
    for w in wanted {
        match kept.iter().position(|k| k.at == w.at && k.days == w.days) {
            Some(i) => {
                kept.remove(i);
            }
            None => changed.push(w),
        }
    }
    let mut plan = Plan::default();
    let mut free = kept.into_iter();
    for w in changed {
        match free.next() {
            Some(k) => plan.update.push((k.id, w)),
            None => plan.create.push(w),
        }
    }
    plan.delete = free.map(|k| k.id).collect();
    plan
}

fn day_names(days: &[time::Weekday]) -> Vec<String> {
    days.iter()
        .map(|d| rules::day_name(*d).to_owned())
        .collect()
}

impl Kindred {
    /// The person's check-in reminders, earliest time first.
    pub fn check_in_reminders(&mut self) -> Result<Vec<CheckInReminder>> {
        let sp = self.personal_space()?;
        let mut out: Vec<CheckInReminder> = self
            .space_by_id(&sp)?
            .unindexed_records(REMINDERS)
            .iter()
            .filter_map(|(id, m)| read_check_in(id, m))
            .collect();
        by_time(&mut out);
        Ok(out)
    }

    /// Replaces the person's check-in reminders by `times` (an empty list
    /// turns them off). Everything is checked first (at most
    /// [`MAX_CHECK_IN_REMINDERS`], real times, no two at the same time on
    /// one day), so an error changes nothing. Returns the list as kept.
    pub fn set_check_in_reminders(
        &mut self,
        times: &[NewCheckInReminder],
    ) -> Result<Vec<CheckInReminder>> {
        let wanted = rules::check_list(times)?;
        self.edit(&SpaceKind::Personal, |_, e| {
            // Read inside the edit: it sees what other processes wrote.
            let kept: Vec<CheckInReminder> = get_obj(e.tx, &ROOT, REMINDERS, ObjType::Map)
                .and_then(|c| automerge::ReadDoc::hydrate(e.tx, &c, None).ok())
                .map(|v| match v {
                    hydrate::Value::Map(records) => records
                        .iter()
                        .filter_map(|(key, value)| match (Id::parse(key), &value.value) {
                            (Some(id), hydrate::Value::Map(m)) => read_check_in(&id, m),
                            _ => None,
                        })
                        .collect(),
                    _ => Vec::new(),
                })
                .unwrap_or_default();
            let plan = plan(kept, wanted);
            for (id, r) in &plan.update {
                let obj = e.update(REMINDERS, id)?;
                put_str(e.tx, &obj, "at", &r.at.to_string())?;
                put_str_list(e.tx, &obj, "days", &day_names(&r.days))?;
            }
            for r in &plan.create {
                let (_, obj) = e.create(REMINDERS)?;
                put_str(e.tx, &obj, "kind", CHECK_IN)?;
                put_str(e.tx, &obj, "at", &r.at.to_string())?;
                put_str_list(e.tx, &obj, "days", &day_names(&r.days))?;
            }
            for id in &plan.delete {
                e.delete(REMINDERS, id)?;
            }
            Ok(())
        })?;
        self.check_in_reminders()
    }

    /// Every reminder due in `(now, now + horizon_days]`, earliest first,
    /// for a person in the IANA time zone `zone` ("Europe/London"). A
    /// shell calls it when the app opens, after a sync, when the zone
    /// changes and when the last scheduled one fires, and schedules what
    /// it returns in place of what it had.
    pub fn next_reminders(
        &mut self,
        now: OffsetDateTime,
        zone: &str,
        horizon_days: u32,
    ) -> Result<Vec<Reminder>> {
        let zone = rules::zone(zone)?;
        let bad_horizon = || Error::OutOfRange {
            field: "reminder horizon",
            expected: "from 0 to 366 days",
        };
        if horizon_days > MAX_HORIZON_DAYS {
            return Err(bad_horizon());
        }
        let to = now
            .checked_add(Duration::days(i64::from(horizon_days)))
            .ok_or_else(bad_horizon)?;
        let mut out = self.check_in_fires(now, to, &zone)?;
        out.extend(self.goal_step_fires(now, to, &zone)?);
        out.extend(self.follow_up_fires(now, to, &zone)?);
        out.sort_by(|a, b| (a.at, &a.key).cmp(&(b.at, &b.key)));
        out.dedup_by(|b, a| a.key == b.key);
        Ok(out)
    }

    /// Check-in reminders firing in `(from, to]`. Two rules at the same
    /// moment (lists merged from two devices) fire once.
    fn check_in_fires(
        &mut self,
        from: OffsetDateTime,
        to: OffsetDateTime,
        zone: &Zone,
    ) -> Result<Vec<Reminder>> {
        let mut out: Vec<Reminder> = Vec::new();
        for rule in self.check_in_reminders()? {
            for (day, at) in rules::fires_with_days(&rule, from, to, zone) {
                let key = format!("check-in/{}/{}", rule.id, format_date(day));
                out.push(Reminder::new(at, ReminderKind::CheckIn, key, None));
            }
        }
        out.sort_by(|a, b| (a.at, &a.key).cmp(&(b.at, &b.key)));
        out.dedup_by_key(|r| r.at);
        Ok(out)
    }

    /// Steps due in `(from, to]` on the person's own active goals.
    fn goal_step_fires(
        &mut self,
        from: OffsetDateTime,
        to: OffsetDateTime,
        zone: &Zone,
    ) -> Result<Vec<Reminder>> {
        let mut out = Vec::new();
        let mut seen: Vec<Id> = Vec::new();
        for sp in self.own_goal_spaces()? {
            let goals = &self.space_by_id(&sp)?.index.goals;
            for g in goals.values() {
                if g.status != GoalStatus::Active || seen.contains(&g.id) {
                    continue;
                }
                seen.push(g.id.clone());
                for s in g.steps.iter().filter(|s| s.done_at.is_none()) {
                    let Some(due) = s.due else { continue };
                    if let Some(at) = step_fire(due, zone)
                        && from < at
                        && at <= to
                    {
                        let key = format!("goal-step/{}/{}/{}", g.id, s.id, format_date(due));
                        out.push(Reminder::new(
                            at,
                            ReminderKind::GoalStep,
                            key,
                            Some(g.id.clone()),
                        ));
                    }
                }
            }
        }
        Ok(out)
    }

    /// The spaces holding this person's own goals: the personal space,
    /// and the shared spaces this device owns (she shared the goals in
    /// them). A worker's device, a writer or reader in a share, is not
    /// reminded of the person's steps: they are hers.
    fn own_goal_spaces(&mut self) -> Result<Vec<String>> {
        let me = self.keys.device_key();
        let mut out = Vec::new();
        for sp in self.ready_spaces(&[SpaceKind::Personal, SpaceKind::Shared])? {
            let personal = self
                .spaces
                .iter()
                .any(|s| s.id == sp && s.kind == SpaceKind::Personal);
            let own = personal
                || match self.membership_of(&sp) {
                    // Made here and not yet on a relay.
                    Ok(None) => true,
                    Ok(Some(m)) => m.role_of(&me) == Some(kindred_protocol::Role::Owner),
                    // A log that does not read: leave its goals out
                    // rather than lose every other reminder.
                    Err(_) => false,
                };
            if own {
                out.push(sp);
            }
        }
        Ok(out)
    }
}

/// When a step due on `due` is reminded of.
fn step_fire(due: Date, zone: &Zone) -> Option<OffsetDateTime> {
    rules::local_to_instant(due, STEP_REMINDER_TIME, zone)
}
