//! Tests of reminders: fixed cases on the days clocks change
//! (`fixed`), properties over many zones and dates (`props`), and the
//! Kindred-level API (`kindred`).
#![allow(clippy::unwrap_used)]

mod fixed;
mod kindred;
mod props;

use time::{Date, OffsetDateTime, Weekday};

use super::rules::{CheckInReminder, ReminderTime, Zone, zone};
use crate::Id;

pub(super) fn utc(s: &str) -> OffsetDateTime {
    crate::model::parse_time(s).unwrap()
}

pub(super) fn day(s: &str) -> Date {
    crate::model::parse_date(s).unwrap()
}

pub(super) fn tz(name: &str) -> Zone {
    zone(name).unwrap()
}

pub(super) fn rule(hour: u8, minute: u8, days: &[Weekday]) -> CheckInReminder {
    CheckInReminder {
        id: Id::parse("r1").unwrap(),
        at: ReminderTime { hour, minute },
        days: days.to_vec(),
    }
}

/// The wall clock in `zone` at `t`, as `YYYY-MM-DD HH:MM:SS`.
pub(super) fn wall(zone: &Zone, t: OffsetDateTime) -> String {
    let w = zone.wall_at(t).unwrap();
    format!(
        "{} {:02}:{:02}:{:02}",
        crate::model::format_date(w.date()),
        w.hour(),
        w.minute(),
        w.second()
    )
}
