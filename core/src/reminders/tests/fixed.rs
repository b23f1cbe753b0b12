//! Fixed cases: the days the clocks change in 2026, as the bundled
//! database has them (each expected instant was read off jiff's list of
//! the zone's transitions, not worked out by hand).

use time::Weekday;

use super::*;
use crate::Error;
use crate::reminders::rules::{
    MAX_CHECK_IN_REMINDERS, NewCheckInReminder, check_list, fires_between, fires_with_days,
    local_to_instant, next_fire,
};

/// The fire of a daily `hour:minute` rule for `date` in `zone`, with the
/// wall clock it shows.
fn fire_on(zone: &str, date: &str, hour: u8, minute: u8) -> (OffsetDateTime, String) {
    let z = tz(zone);
    let t = local_to_instant(day(date), ReminderTime { hour, minute }, &z).unwrap();
    (t, wall(&z, t))
}

#[test]
fn london_spring_gap_fires_when_the_clock_comes_back_past_it() {
    // 01:00 GMT -> 02:00 BST at 01:00Z: 01:30 never shows.
    let (t, w) = fire_on("Europe/London", "2026-03-29", 1, 30);
    assert_eq!(t, utc("2026-03-29T01:00:00Z"));
    assert_eq!(w, "2026-03-29 02:00:00");
    // The day before and after, at 01:30 as usual.
    let r = rule(1, 30, &[]);
    let z = tz("Europe/London");
    let fires = fires_between(
        &r,
        utc("2026-03-28T00:00:00Z"),
        utc("2026-03-31T00:00:00Z"),
        &z,
    );
    assert_eq!(
        fires,
        [
            utc("2026-03-28T01:30:00Z"),
            utc("2026-03-29T01:00:00Z"),
            utc("2026-03-30T00:30:00Z"),
        ]
    );
}

#[test]
fn london_autumn_fold_fires_once_at_the_earlier() {
    // 01:30 shows at 00:30Z (BST) and again at 01:30Z (GMT).
    let (t, w) = fire_on("Europe/London", "2026-10-25", 1, 30);
    assert_eq!(t, utc("2026-10-25T00:30:00Z"));
    assert_eq!(w, "2026-10-25 01:30:00");
    let r = rule(1, 30, &[]);
    let z = tz("Europe/London");
    let fires = fires_between(
        &r,
        utc("2026-10-24T12:00:00Z"),
        utc("2026-10-26T12:00:00Z"),
        &z,
    );
    assert_eq!(
        fires,
        [utc("2026-10-25T00:30:00Z"), utc("2026-10-26T01:30:00Z")]
    );
    // Asked between the two 01:30s, the next is the following day's.
    assert_eq!(
        next_fire(&r, utc("2026-10-25T01:00:00Z"), &z),
        Some(utc("2026-10-26T01:30:00Z"))
    );
}

#[test]
fn dublin_negative_dst_fires_at_the_same_instants_as_london() {
    // Ireland's "standard" time is the summer one (winter is a negative
    // DST in the database): the clocks still move as London's do.
    for (date, h, m) in [
        ("2026-03-29", 1, 30),
        ("2026-10-25", 1, 30),
        ("2026-07-01", 9, 0),
    ] {
        assert_eq!(
            fire_on("Europe/Dublin", date, h, m).0,
            fire_on("Europe/London", date, h, m).0
        );
    }
}

#[test]
fn new_york_gap_and_fold() {
    let (t, w) = fire_on("America/New_York", "2026-03-08", 2, 30);
    assert_eq!(t, utc("2026-03-08T07:00:00Z"));
    assert_eq!(w, "2026-03-08 03:00:00");
    let (t, w) = fire_on("America/New_York", "2026-11-01", 1, 30);
    assert_eq!(t, utc("2026-11-01T05:30:00Z"), "01:30 EDT, the earlier");
    assert_eq!(w, "2026-11-01 01:30:00");
    // Walking from before the fold meets 1 November once.
    let r = rule(1, 30, &[]);
    let z = tz("America/New_York");
    let first = next_fire(&r, utc("2026-10-31T12:00:00Z"), &z).unwrap();
    assert_eq!(first, utc("2026-11-01T05:30:00Z"));
    assert_eq!(next_fire(&r, first, &z), Some(utc("2026-11-02T06:30:00Z")));
}

#[test]
fn a_reminder_at_midnight_on_a_day_without_one() {
    // Santiago: 23:59:59 on 5 September 2026 is followed by 01:00 on the
    // 6th (the database's "24:00" transition), so there is no midnight.
    let (t, w) = fire_on("America/Santiago", "2026-09-06", 0, 0);
    assert_eq!(t, utc("2026-09-06T04:00:00Z"));
    assert_eq!(w, "2026-09-06 01:00:00");
    let r = rule(0, 0, &[]);
    let z = tz("America/Santiago");
    let fires = fires_between(
        &r,
        utc("2026-09-05T00:00:00Z"),
        utc("2026-09-08T00:00:00Z"),
        &z,
    );
    assert_eq!(
        fires,
        [
            utc("2026-09-05T04:00:00Z"),
            utc("2026-09-06T04:00:00Z"),
            utc("2026-09-07T03:00:00Z"),
        ]
    );
}

#[test]
fn a_gap_at_the_end_of_the_day_fires_at_the_next_midnight_for_that_day() {
    // Nuuk: 22:59:59 on Saturday 28 March 2026 is followed by 00:00 on
    // the 29th. A Saturdays-only 23:30 fires at that midnight, as the
    // 28th's reminder, and Sunday has no fire of it.
    let r = rule(23, 30, &[Weekday::Saturday]);
    let z = tz("America/Nuuk");
    let fires = fires_with_days(
        &r,
        utc("2026-03-27T00:00:00Z"),
        utc("2026-04-06T00:00:00Z"),
        &z,
    );
    assert_eq!(
        fires,
        [
            (day("2026-03-28"), utc("2026-03-29T01:00:00Z")),
            (day("2026-04-04"), utc("2026-04-05T00:30:00Z")),
        ]
    );
    assert_eq!(wall(&z, fires[0].1), "2026-03-29 00:00:00");
}

#[test]
fn lord_howe_moves_half_an_hour() {
    // 02:00 -> 02:30 on 4 October 2026; 02:00 -> 01:30 on 5 April.
    let (t, w) = fire_on("Australia/Lord_Howe", "2026-10-04", 2, 15);
    assert_eq!(t, utc("2026-10-03T15:30:00Z"));
    assert_eq!(w, "2026-10-04 02:30:00");
    let (t, w) = fire_on("Australia/Lord_Howe", "2026-04-05", 1, 45);
    assert_eq!(t, utc("2026-04-04T14:45:00Z"), "the earlier, at +11");
    assert_eq!(w, "2026-04-05 01:45:00");
}

#[test]
fn chatham_quarter_hour_offsets() {
    // 02:45 -> 03:45 on 27 September 2026.
    let (t, w) = fire_on("Pacific/Chatham", "2026-09-27", 3, 0);
    assert_eq!(t, utc("2026-09-26T14:00:00Z"));
    assert_eq!(w, "2026-09-27 03:45:00");
    // Exactly at the start of the gap: the same instant.
    let (t, _) = fire_on("Pacific/Chatham", "2026-09-27", 2, 45);
    assert_eq!(t, utc("2026-09-26T14:00:00Z"));
}

#[test]
fn next_fire_is_strictly_after_and_keeps_to_its_days() {
    let z = tz("Europe/London");
    let weekdays = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
    ];
    let r = rule(8, 0, &weekdays);
    // Friday 4 December 2026 at 08:00 exactly: the next is Monday's.
    let at = utc("2026-12-04T08:00:00Z");
    assert_eq!(next_fire(&r, at, &z), Some(utc("2026-12-07T08:00:00Z")));
    let just_before = at - time::Duration::nanoseconds(1);
    assert_eq!(next_fire(&r, just_before, &z), Some(at));
    assert!(fires_between(&r, at, at, &z).is_empty());
    assert_eq!(fires_between(&r, just_before, at, &z), [at]);
}

#[test]
fn a_zone_without_dst_is_plain() {
    let z = tz("Asia/Kolkata");
    let r = rule(20, 30, &[]);
    let fires = fires_between(
        &r,
        utc("2026-03-01T00:00:00Z"),
        utc("2026-03-04T00:00:00Z"),
        &z,
    );
    assert_eq!(
        fires,
        [
            utc("2026-03-01T15:00:00Z"),
            utc("2026-03-02T15:00:00Z"),
            utc("2026-03-03T15:00:00Z"),
        ]
    );
}

#[test]
fn the_edges_of_time_and_hand_made_times_do_not_panic() {
    let z = tz("Pacific/Kiritimati");
    let r = rule(23, 59, &[]);
    let end = OffsetDateTime::new_utc(Date::MAX, time::Time::MIDNIGHT);
    assert_eq!(next_fire(&r, end, &z), None);
    let start = OffsetDateTime::new_utc(Date::MIN, time::Time::MIDNIGHT);
    assert_eq!(next_fire(&r, start, &tz("America/Adak")), None);
    let soon_after = start + time::Duration::days(3);
    assert!(next_fire(&r, soon_after, &tz("UTC")).is_some());
    let bad = rule(25, 0, &[]);
    assert_eq!(next_fire(&bad, utc("2026-01-01T00:00:00Z"), &z), None);
    assert!(
        fires_between(
            &bad,
            utc("2026-01-01T00:00:00Z"),
            utc("2026-02-01T00:00:00Z"),
            &z
        )
        .is_empty()
    );
}

#[test]
fn reminder_times_read_as_hh_mm() {
    assert_eq!(
        ReminderTime::parse("20:30").unwrap(),
        ReminderTime {
            hour: 20,
            minute: 30
        }
    );
    assert_eq!(
        ReminderTime::parse(" 7:05 ").unwrap(),
        ReminderTime { hour: 7, minute: 5 }
    );
    assert_eq!(ReminderTime::parse("00:00").unwrap().to_string(), "00:00");
    assert_eq!(ReminderTime::parse("23:59").unwrap().to_string(), "23:59");
    for bad in [
        "25:00",
        "24:00",
        "12:60",
        "1230",
        "",
        ":",
        "ab:cd",
        "12:5",
        "+1:00",
        "-1:00",
        "123:00",
        "12:00:00",
        "१२:००",
    ] {
        assert!(
            matches!(
                ReminderTime::parse(bad),
                Err(Error::OutOfRange {
                    field: "reminder time",
                    ..
                })
            ),
            "{bad:?}"
        );
    }
    assert!(ReminderTime::new(24, 0).is_err());
    assert!(ReminderTime::new(0, 60).is_err());
    assert!(ReminderTime::new(23, 59).is_ok());
}

#[test]
fn zones_are_iana_names_from_the_bundled_database() {
    assert_eq!(tz("europe/LONDON").name(), "Europe/London");
    assert_eq!(tz("UTC").name(), "UTC");
    for bad in [
        "Mars/Olympus",
        "",
        "Etc/Unknown",
        "../../etc/passwd",
        "+01:00",
        "EST5EDT,M3.2.0,M11.1.0",
    ] {
        let e = zone(bad).unwrap_err();
        assert!(
            matches!(
                e,
                Error::OutOfRange {
                    field: "time zone",
                    ..
                }
            ),
            "{bad:?}"
        );
        assert!(e.is_invalid_input());
        if !bad.is_empty() {
            assert!(!e.to_string().contains(bad), "{e}");
        }
    }
    assert_eq!(
        zone("Mars/Olympus").unwrap_err().to_string(),
        "time zone should be a time zone name such as Europe/London"
    );
}

fn new(hour: u8, minute: u8, days: &[Weekday]) -> NewCheckInReminder {
    NewCheckInReminder {
        at: ReminderTime { hour, minute },
        days: days.to_vec(),
    }
}

#[test]
fn a_list_of_reminders_is_checked_whole() {
    use Weekday::*;
    let six: Vec<_> = (0..6).map(|h| new(8 + h, 0, &[])).collect();
    assert_eq!(check_list(&six).unwrap().len(), MAX_CHECK_IN_REMINDERS);
    let seven: Vec<_> = (0..7).map(|h| new(8 + h, 0, &[])).collect();
    assert!(matches!(
        check_list(&seven),
        Err(Error::TooMany { max: 6, .. })
    ));
    // The same time on a shared day, however the days are written.
    for (a, b) in [
        (vec![], vec![Monday]),
        (vec![Monday, Tuesday], vec![Tuesday]),
        (vec![], vec![]),
    ] {
        let e = check_list(&[new(20, 30, &a), new(20, 30, &b)]).unwrap_err();
        assert!(matches!(e, Error::OutOfRange { .. }), "{a:?} {b:?}");
        assert_eq!(
            e.to_string(),
            "check-in reminders should be at different times on any one day"
        );
    }
    // Same time, other days; other times, same days: fine.
    assert!(check_list(&[new(20, 30, &[Monday]), new(20, 30, &[Sunday])]).is_ok());
    assert!(check_list(&[new(20, 30, &[]), new(20, 31, &[])]).is_ok());
    // Days: Monday first, once each; all seven is every day.
    let got = check_list(&[
        new(9, 0, &[Sunday, Monday, Sunday]),
        new(
            10,
            0,
            &[
                Sunday, Saturday, Friday, Thursday, Wednesday, Tuesday, Monday,
            ],
        ),
    ])
    .unwrap();
    assert_eq!(got[0].days, [Monday, Sunday]);
    assert!(got[1].days.is_empty());
    // A hand-built time out of range.
    assert!(matches!(
        check_list(&[new(25, 0, &[])]),
        Err(Error::OutOfRange {
            field: "reminder time",
            ..
        })
    ));
}

/// Found by the property test: America/Nuuk's transition of 2023-10-29
/// 01:00 UTC changes no offset (-02 stays -02), and jiff's reading of the
/// wall times just after it named an offset that was never in effect, so
/// a Saturday 23:01 reminder fired at 22:01.
#[test]
fn a_transition_that_changes_no_offset_moves_no_reminder() {
    let z = crate::reminders::zone("America/Nuuk").unwrap();
    let rule = CheckInReminder {
        id: Id::parse("r1").unwrap(),
        at: ReminderTime {
            hour: 23,
            minute: 1,
        },
        days: vec![time::Weekday::Saturday],
    };
    let first = next_fire(&rule, time::macros::datetime!(2023-10-29 00:00 UTC), &z).unwrap();
    assert_eq!(first, time::macros::datetime!(2023-10-29 01:01 UTC));
    let wall = z.wall_at(first).unwrap();
    assert_eq!(
        (wall.date(), wall.hour(), wall.minute()),
        (time::macros::date!(2023 - 10 - 28), 23, 1)
    );
}
