//! How a person wants to be reached, in their own rules, and the visits
//! and calls a worker plans.
//!
//! The person sets their preferences in the space they share with their
//! worker (only their devices may write them); the worker's lists check
//! every planned contact against them, so a call planned at 8 in the
//! morning to someone who asked for afternoons says so before it is made.

use serde::Serialize;
use time::{OffsetDateTime, Time, Weekday};

use super::{check_optional_text, check_text, limits, stored_enum};
use crate::{Error, Id, Result};

stored_enum!(
    /// A way of being in touch.
    ContactWay, "way of contact" {
        Call => "call",
        Text => "text",
        InPerson => "in_person",
        Video => "video",
    }
);

/// Days and hours in the person's own local time: "weekdays 10:00–14:00".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeWindow {
    /// Empty means every day.
    pub days: Vec<Weekday>,
    pub from: Time,
    pub to: Time,
}

impl Serialize for TimeWindow {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

const DAYS: [(&str, Weekday); 7] = [
    ("mon", Weekday::Monday),
    ("tue", Weekday::Tuesday),
    ("wed", Weekday::Wednesday),
    ("thu", Weekday::Thursday),
    ("fri", Weekday::Friday),
    ("sat", Weekday::Saturday),
    ("sun", Weekday::Sunday),
];

/// The stored short name of a day ("mon").
pub fn day_name(d: Weekday) -> &'static str {
    DAYS.iter()
        .find(|(_, w)| *w == d)
        .map(|(n, _)| *n)
        .unwrap_or("mon")
}

/// Reads a day's short or long English name ("mon", "Monday").
pub fn parse_day_name(s: &str) -> Result<Weekday> {
    let s = s.trim().to_ascii_lowercase();
    DAYS.iter()
        .find(|(n, _)| s.len() >= 3 && day_long(n).starts_with(&s))
        .map(|(_, w)| *w)
        .ok_or(Error::OutOfRange {
            field: "day",
            expected: "a day: mon, tue, wed, thu, fri, sat or sun",
        })
}

fn day_long(short: &str) -> &'static str {
    match short {
        "mon" => "monday",
        "tue" => "tuesday",
        "wed" => "wednesday",
        "thu" => "thursday",
        "fri" => "friday",
        "sat" => "saturday",
        _ => "sunday",
    }
}

/// Reads "HH:MM" (24-hour clock).
pub fn parse_clock(s: &str) -> Result<Time> {
    let bad = || Error::OutOfRange {
        field: "time of day",
        expected: "a time written as HH:MM, e.g. 09:30",
    };
    let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return Err(bad());
    }
    let (h, m): (u8, u8) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    Time::from_hms(h, m, 0).map_err(|_| bad())
}

/// Formats a time of day as "HH:MM".
pub fn format_clock(t: Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

impl std::fmt::Display for TimeWindow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let days: Vec<&str> = self.days.iter().map(|d| day_name(*d)).collect();
        if !days.is_empty() {
            write!(f, "{} ", days.join(","))?;
        }
        write!(f, "{}-{}", format_clock(self.from), format_clock(self.to))
    }
}

impl TimeWindow {
    /// Reads "mon,tue 10:00-14:00", "mon-fri 10:00-14:00" or "18:00-21:00"
    /// (every day).
    pub fn parse(s: &str) -> Result<TimeWindow> {
        let s = s.trim();
        let (days_part, hours) = match s.rsplit_once(' ') {
            Some((d, h)) => (Some(d), h),
            None => (None, s),
        };
        let mut days = Vec::new();
        if let Some(d) = days_part {
            for piece in d.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                if let Some((a, b)) = piece.split_once('-') {
                    let (a, b) = (parse_day_name(a)?, parse_day_name(b)?);
                    let mut w = a;
                    loop {
                        days.push(w);
                        if w == b {
                            break;
                        }
                        w = w.next();
                    }
                } else {
                    days.push(parse_day_name(piece)?);
                }
            }
        }
        let (from, to) = hours.split_once('-').ok_or(Error::OutOfRange {
            field: "hours",
            expected: "hours written as HH:MM-HH:MM, e.g. 10:00-14:00",
        })?;
        TimeWindow {
            days,
            from: parse_clock(from)?,
            to: parse_clock(to)?,
        }
        .validate()
    }

    /// Checks the window: it ends after it starts (a window over midnight
    /// is two windows), days are not repeated.
    pub fn validate(&self) -> Result<TimeWindow> {
        if self.to <= self.from {
            return Err(Error::EndBeforeStart);
        }
        let mut days: Vec<Weekday> = Vec::new();
        for d in &self.days {
            if !days.contains(d) {
                days.push(*d);
            }
        }
        days.sort_by_key(|d| d.number_days_from_monday());
        if days.len() == 7 {
            days.clear();
        }
        Ok(TimeWindow {
            days,
            from: self.from,
            to: self.to,
        })
    }

    /// True if the window holds this local day and time.
    pub fn holds(&self, day: Weekday, at: Time) -> bool {
        (self.days.is_empty() || self.days.contains(&day)) && at >= self.from && at < self.to
    }

    /// True if the window is open at some time on this day.
    pub fn on_day(&self, day: Weekday) -> bool {
        self.days.is_empty() || self.days.contains(&day)
    }
}

/// How a person wants to be reached, as they set it.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ContactPrefs {
    /// The ways that suit them, best first; empty if they have not said.
    pub ways: Vec<ContactWay>,
    /// When suits them; empty if they have not said.
    pub best_times: Vec<TimeWindow>,
    /// Please do not leave a voicemail.
    pub no_voicemail: bool,
    /// A word to use when calling (say, if someone else answers).
    pub call_word: Option<String>,
    /// Anything else, in their words.
    pub note: Option<String>,
    /// The UTC offset of the person's device when they set the times, in
    /// seconds east of UTC: their hours are in their own local time.
    pub utc_offset: i32,
    /// Their time zone (IANA, "Europe/London") when their device knew it:
    /// then their hours follow daylight saving; else `utc_offset` holds.
    pub zone: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub updated_at: Option<OffsetDateTime>,
}

/// The most windows a person keeps.
pub const MAX_WINDOWS: usize = 14;

impl ContactPrefs {
    /// Checks every rule; returns the cleaned-up preferences.
    pub fn validate(&self) -> Result<ContactPrefs> {
        let mut ways: Vec<ContactWay> = Vec::new();
        for w in &self.ways {
            if let ContactWay::Unknown(_) = w {
                ContactWay::parse(w.as_str())?;
            }
            if !ways.contains(w) {
                ways.push(w.clone());
            }
        }
        if self.best_times.len() > MAX_WINDOWS {
            return Err(Error::TooMany {
                field: "best times",
                max: MAX_WINDOWS,
            });
        }
        let best_times = self
            .best_times
            .iter()
            .map(TimeWindow::validate)
            .collect::<Result<Vec<_>>>()?;
        if !(-18 * 3600..=18 * 3600).contains(&self.utc_offset) {
            return Err(Error::OutOfRange {
                field: "UTC offset",
                expected: "between -18:00 and +18:00",
            });
        }
        if let Some(z) = &self.zone {
            crate::reminders::zone(z)?;
        }
        Ok(ContactPrefs {
            zone: self.zone.clone(),
            ways,
            best_times,
            no_voicemail: self.no_voicemail,
            call_word: check_optional_text(
                "word to use",
                self.call_word.as_deref(),
                limits::SHORT,
            )?,
            note: check_optional_text("note", self.note.as_deref(), limits::MEDIUM)?,
            utc_offset: self.utc_offset,
            updated_at: self.updated_at,
        })
    }

    /// True if the person said nothing yet.
    pub fn is_empty(&self) -> bool {
        self.ways.is_empty()
            && self.best_times.is_empty()
            && !self.no_voicemail
            && self.call_word.is_none()
            && self.note.is_none()
    }
}

/// A visit or call a worker plans with someone on their caseload.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlannedContact {
    pub id: Id,
    pub contact_id: Id,
    /// When, with the worker's UTC offset.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub way: ContactWay,
    pub note: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub done_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// A visit or call about to be planned.
#[derive(Clone, Debug)]
pub struct NewPlannedContact {
    pub contact_id: Id,
    pub at: OffsetDateTime,
    pub way: ContactWay,
    pub note: Option<String>,
}

impl NewPlannedContact {
    /// Checks every rule; returns the cleaned-up plan.
    pub fn validate(&self) -> Result<NewPlannedContact> {
        if let ContactWay::Unknown(_) = self.way {
            ContactWay::parse(self.way.as_str())?;
        }
        Ok(NewPlannedContact {
            contact_id: self.contact_id.clone(),
            at: self.at,
            way: self.way.clone(),
            note: check_optional_text("note", self.note.as_deref(), limits::MEDIUM)?,
        })
    }
}

/// Checks a word to search the caseload by.
pub(crate) fn check_search(q: &str) -> Result<String> {
    check_text("search", q, limits::SHORT).map(|s| s.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::time;

    #[test]
    fn windows_read_as_people_write_them() {
        let w = TimeWindow::parse("mon-fri 10:00-14:00").unwrap();
        assert_eq!(w.days.len(), 5);
        assert_eq!(w.to_string(), "mon,tue,wed,thu,fri 10:00-14:00");
        assert!(w.holds(Weekday::Tuesday, time!(13:59)));
        assert!(!w.holds(Weekday::Tuesday, time!(14:00)));
        assert!(!w.holds(Weekday::Saturday, time!(11:00)));
        let every = TimeWindow::parse("18:00-21:00").unwrap();
        assert!(every.days.is_empty() && every.on_day(Weekday::Sunday));
        let wrap = TimeWindow::parse("fri-mon 09:00-10:00").unwrap();
        assert_eq!(
            wrap.days,
            vec![
                Weekday::Monday,
                Weekday::Friday,
                Weekday::Saturday,
                Weekday::Sunday
            ]
        );
        assert_eq!(
            TimeWindow::parse("Saturday 12:00-13:30").unwrap().days,
            vec![Weekday::Saturday]
        );
        assert!(
            TimeWindow::parse("mon-sun 09:00-10:00")
                .unwrap()
                .days
                .is_empty()
        );
        for bad in [
            "14:00-10:00",
            "mon 10-14",
            "funday 10:00-11:00",
            "25:00-26:00",
            "10:60-11:00",
            "",
        ] {
            assert!(TimeWindow::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn preferences_are_checked() {
        let p = ContactPrefs {
            ways: vec![ContactWay::Text, ContactWay::Text, ContactWay::Call],
            best_times: vec![TimeWindow::parse("10:00-14:00").unwrap()],
            no_voicemail: true,
            call_word: Some(" blue ".into()),
            note: None,
            utc_offset: 3600,
            zone: None,
            updated_at: None,
        }
        .validate()
        .unwrap();
        assert_eq!(p.ways, vec![ContactWay::Text, ContactWay::Call]);
        assert_eq!(p.call_word.as_deref(), Some("blue"));
        let many = ContactPrefs {
            best_times: vec![TimeWindow::parse("10:00-14:00").unwrap(); MAX_WINDOWS + 1],
            ..ContactPrefs::default()
        };
        assert!(many.validate().is_err());
        let odd = ContactPrefs {
            ways: vec![ContactWay::from_stored("pigeon")],
            ..ContactPrefs::default()
        };
        assert!(odd.validate().is_err());
        let nowhere = ContactPrefs {
            zone: Some("Mars/Olympus".into()),
            ..ContactPrefs::default()
        };
        assert!(nowhere.validate().is_err());
        assert!(ContactPrefs::default().is_empty());
    }
}
