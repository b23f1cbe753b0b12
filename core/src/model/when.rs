//! Dates and times as people type them.
//!
//! A day: `today`, `yesterday` or `2026-11-28`. A moment: any of those, a
//! local date and time (`2026-11-28 09:00`, `2026-11-28T09:00:30`), or RFC
//! 3339 with its offset (`2026-11-28T09:00:00+01:00`). A local time takes
//! the UTC offset of `now` (the reader's clock); a day alone means that day
//! at the time of day it is now, so "yesterday" is this time yesterday.
//! Every shell parses with these, so every shell accepts the same words.

use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime, Time};

use crate::{Error, Result};

const DAY_EXPECTED: &str = "a date written as YYYY-MM-DD, or today or yesterday";
const MOMENT_EXPECTED: &str = "a date (2026-11-28), a date and time (2026-11-28 09:00), today, yesterday, or RFC 3339 (2026-11-28T09:00:00+01:00)";

/// A day from `today`, `yesterday` or `YYYY-MM-DD`.
pub fn parse_day(s: &str, today: Date) -> Result<Date> {
    match s.trim().to_ascii_lowercase().as_str() {
        "today" => Ok(today),
        "yesterday" => today.previous_day().ok_or(Error::OutOfRange {
            field: "date",
            expected: DAY_EXPECTED,
        }),
        other => super::parse_date(other).map_err(|_| Error::OutOfRange {
            field: "date",
            expected: DAY_EXPECTED,
        }),
    }
}

/// A moment, by the forms in the module docs, read against `now`.
pub fn parse_moment(s: &str, now: OffsetDateTime) -> Result<OffsetDateTime> {
    let bad = || Error::OutOfRange {
        field: "time",
        expected: MOMENT_EXPECTED,
    };
    let text = s.trim();
    let lower = text.to_ascii_lowercase();
    match lower.as_str() {
        "now" | "today" => return Ok(now),
        "yesterday" => return Ok(now - Duration::days(1)),
        _ => {}
    }
    if let Ok(t) = super::parse_time(text) {
        return Ok(t);
    }
    if let Ok(d) = super::parse_date(text) {
        return Ok(PrimitiveDateTime::new(d, now.time()).assume_offset(now.offset()));
    }
    // A local date and time: "2026-11-28 09:00", with a T, with seconds.
    let (day, clock) = text.split_once(['T', 't', ' ']).ok_or_else(bad)?;
    let d = super::parse_date(day).map_err(|_| bad())?;
    let clock = clock.trim();
    let t = Time::parse(
        clock,
        time::macros::format_description!("[hour]:[minute]:[second]"),
    )
    .or_else(|_| Time::parse(clock, time::macros::format_description!("[hour]:[minute]")))
    .map_err(|_| bad())?;
    Ok(PrimitiveDateTime::new(d, t).assume_offset(now.offset()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    const NOW: OffsetDateTime = datetime!(2026-11-28 21:15:40 +01:00);

    #[test]
    fn days_by_name_or_date() {
        let today = date!(2026 - 11 - 28);
        assert_eq!(parse_day("today", today).unwrap(), today);
        assert_eq!(
            parse_day(" Yesterday ", today).unwrap(),
            date!(2026 - 11 - 27)
        );
        assert_eq!(
            parse_day("2026-01-02", today).unwrap(),
            date!(2026 - 01 - 02)
        );
        for bad in ["", "tomorrowish", "2026-13-01", "28/11/2026"] {
            assert!(matches!(
                parse_day(bad, today),
                Err(Error::OutOfRange { field: "date", .. })
            ));
        }
    }

    #[test]
    fn every_moment_form_parses() {
        assert_eq!(parse_moment("now", NOW).unwrap(), NOW);
        assert_eq!(parse_moment("today", NOW).unwrap(), NOW);
        assert_eq!(
            parse_moment("yesterday", NOW).unwrap(),
            datetime!(2026-11-27 21:15:40 +01:00)
        );
        assert_eq!(
            parse_moment("2026-11-20", NOW).unwrap(),
            datetime!(2026-11-20 21:15:40 +01:00)
        );
        assert_eq!(
            parse_moment("2026-11-28 09:00", NOW).unwrap(),
            datetime!(2026-11-28 09:00 +01:00)
        );
        assert_eq!(
            parse_moment("2026-11-28T09:00:30", NOW).unwrap(),
            datetime!(2026-11-28 09:00:30 +01:00)
        );
        // RFC 3339 keeps its own offset.
        assert_eq!(
            parse_moment("2026-11-28T09:00:00-05:00", NOW).unwrap(),
            datetime!(2026-11-28 09:00 -05:00)
        );
    }

    #[test]
    fn other_text_is_refused_with_the_forms_named() {
        for bad in [
            "",
            "soon",
            "2026-11-28 25:00",
            "2026-11-28 9",
            "11/28 09:00",
        ] {
            let e = parse_moment(bad, NOW).unwrap_err();
            assert!(e.is_invalid_input(), "{bad}");
            assert!(e.to_string().contains("2026-11-28 09:00"), "{e}");
        }
    }
}
