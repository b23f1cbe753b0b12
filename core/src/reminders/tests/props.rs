//! Properties over zones with every kind of clock change, and random
//! rules, days and windows from 2020 to 2035: walking `next_fire` gives
//! one fire per chosen day, never skipped, never doubled; each fire shows
//! the rule's time on the wall clock, or is the first instant past a gap
//! that skipped it; and `fires_between` agrees with the walk.
//!
//! Half the cases start a few days before one of the zone's transitions
//! and put the rule's time right by it, so gaps and folds are hit often
//! rather than by luck. Each fire is checked against the wall clock
//! (jiff's instant-to-local conversion, which has no ambiguity), not
//! against the code that computed it.

use proptest::prelude::*;
use time::{Duration, PrimitiveDateTime, Time, Weekday};

use super::*;
use crate::reminders::rules::{fires_between, local_to_instant, next_fire};

const ZONES: [&str; 11] = [
    "America/New_York",
    "Europe/London",
    // Negative DST: winter is the "daylight saving" time.
    "Europe/Dublin",
    // 30-minute DST.
    "Australia/Lord_Howe",
    // Transitions at 24:00: some days have no midnight.
    "America/Santiago",
    // +12:45 / +13:45.
    "Pacific/Chatham",
    // No DST.
    "Asia/Kolkata",
    // DST off for Ramadan: several transitions a year.
    "Africa/Casablanca",
    // A gap at the end of the day (23:00 -> 00:00).
    "America/Nuuk",
    // A gap at midnight.
    "America/Havana",
    "Europe/Berlin",
];

/// 2020-01-01 and 2035-01-01, UTC.
const FROM_2020: i64 = 1_577_836_800;
const TO_2035: i64 = 2_051_222_400;

fn instant(secs: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(secs).unwrap()
}

fn offset(z: &jiff::tz::TimeZone, t: OffsetDateTime) -> jiff::tz::Offset {
    z.to_offset(jiff::Timestamp::from_second(t.unix_timestamp()).unwrap())
}

#[derive(Debug, Clone)]
struct Case {
    zone: &'static str,
    base: i64,
    near: bool,
    hours_before: i64,
    shift: i32,
    at: (u8, u8),
    days: u8,
    span_days: i64,
    split: f64,
}

fn cases() -> impl Strategy<Value = Case> {
    (
        0..ZONES.len(),
        FROM_2020..TO_2035,
        any::<bool>(),
        1i64..96,
        -120i32..120,
        (0u8..24, 0u8..60),
        0u8..128,
        1i64..=45,
        0.0f64..1.0,
    )
        .prop_map(
            |(z, base, near, hours_before, shift, at, days, span_days, split)| Case {
                zone: ZONES[z],
                base,
                near,
                hours_before,
                shift,
                at,
                days,
                span_days,
                split,
            },
        )
}

/// The rule and window a case stands for.
fn setup(c: &Case) -> (CheckInReminder, OffsetDateTime, OffsetDateTime) {
    let z = tz(c.zone);
    let jz = jiff::tz::TimeZoneDatabase::bundled().get(c.zone).unwrap();
    let mut start = instant(c.base);
    let mut at = ReminderTime {
        hour: c.at.0,
        minute: c.at.1,
    };
    let next = jz
        .following(jiff::Timestamp::from_second(c.base).unwrap())
        .next()
        .map(|t| t.timestamp().as_second())
        .filter(|t| *t < TO_2035);
    if let (true, Some(t0)) = (c.near, next) {
        start = instant(t0 - c.hours_before * 3600);
        // The wall time just before the jump, moved a little.
        let w = z.wall_at(instant(t0 - 1)).unwrap();
        let mins = (i32::from(w.hour()) * 60 + i32::from(w.minute()) + c.shift).rem_euclid(1440);
        at = ReminderTime {
            hour: (mins / 60) as u8,
            minute: (mins % 60) as u8,
        };
    }
    let days = (0..7)
        .filter(|i| c.days & (1 << i) != 0)
        .map(|i| Weekday::Monday.nth_next(i))
        .collect();
    let rule = CheckInReminder {
        id: Id::parse("r1").unwrap(),
        at,
        days,
    };
    (rule, start, start + Duration::days(c.span_days))
}

fn check(c: &Case) -> Result<(), TestCaseError> {
    let z = tz(c.zone);
    let jz = jiff::tz::TimeZoneDatabase::bundled().get(c.zone).unwrap();
    let (rule, start, end) = setup(c);
    let chosen = |d: Date| rule.days.is_empty() || rule.days.contains(&d.weekday());
    let time_of_day = Time::from_hms(rule.at.hour, rule.at.minute, 0).unwrap();

    // Walk.
    let mut fires = Vec::new();
    let mut t = start;
    while let Some(f) = next_fire(&rule, t, &z) {
        if f > end {
            break;
        }
        prop_assert!(f > t, "not strictly after: {f} after {t}");
        fires.push(f);
        t = f;
    }
    prop_assert_eq!(&fires_between(&rule, start, end, &z), &fires);
    let mid = start + (end - start) * c.split;
    let mut halves = fires_between(&rule, start, mid, &z);
    halves.extend(fires_between(&rule, mid, end, &z));
    prop_assert_eq!(&halves, &fires);

    // Each fire: the day it is for, and what the wall clock shows.
    let mut fire_days = Vec::new();
    for &f in &fires {
        let w = z.wall_at(f).unwrap();
        // Past a gap that ends at midnight, the fire is the day before's.
        let d = if w.time() >= time_of_day {
            w.date()
        } else {
            w.date().previous_day().unwrap()
        };
        let target = PrimitiveDateTime::new(d, time_of_day);
        prop_assert!(chosen(d), "fired on {d}, not a chosen day");
        let before = z.wall_at(f - Duration::SECOND).unwrap();
        prop_assert!(before < target, "{target} already showed before {f}");
        if w != target {
            // Only where a gap skipped the time: the clock jumps at `f`.
            prop_assert!(w > target);
            prop_assert_ne!(offset(&jz, f - Duration::SECOND), offset(&jz, f));
        }
        if offset(&jz, f - Duration::hours(3)) != offset(&jz, f + Duration::hours(3)) {
            // By a transition: no earlier minute showed the time or later
            // (in a fold, this is the first pass).
            for k in 1..=180 {
                let earlier = z.wall_at(f - Duration::minutes(k)).unwrap();
                prop_assert!(earlier < target, "{target} showed at {k} min before {f}");
            }
        }
        fire_days.push(d);
    }

    // Never doubled: one fire per day, in order.
    prop_assert!(fire_days.windows(2).all(|p| p[0] < p[1]), "{fire_days:?}");
    // Never skipped: every chosen day from the day before the window to
    // the day after it either fired or fires outside the window.
    let mut d = z.date_at(start).unwrap().previous_day().unwrap();
    let last = z.date_at(end).unwrap().next_day().unwrap();
    while d <= last {
        if chosen(d) && !fire_days.contains(&d) {
            let t = local_to_instant(d, rule.at, &z).unwrap();
            prop_assert!(t <= start || t > end, "{d} did not fire at {t}");
        }
        d = d.next_day().unwrap();
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn one_fire_per_chosen_day_through_every_clock_change(c in cases()) {
        check(&c)?;
    }
}

#[test]
fn every_2026_transition_of_every_zone_keeps_a_daily_rule_daily() {
    // Not random: each transition of 2026 in each zone, with the rule's
    // time in the hour before, at and after the jump.
    for zone in ZONES {
        let jz = jiff::tz::TimeZoneDatabase::bundled().get(zone).unwrap();
        let from = jiff::Timestamp::from_second(1_767_225_600).unwrap(); // 2026-01-01
        for tr in jz
            .following(from)
            .take_while(|t| t.timestamp().as_second() < 1_798_761_600)
        {
            for shift in (-90..=90).step_by(15) {
                let c = Case {
                    zone,
                    base: tr.timestamp().as_second() - 1,
                    near: true,
                    hours_before: 50,
                    shift,
                    at: (0, 0),
                    days: 0,
                    span_days: 4,
                    split: 0.5,
                };
                check(&c).unwrap();
            }
        }
    }
}
