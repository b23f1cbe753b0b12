//! Check-ins: how a person is doing, in their own time.
//!
//! A check-in keeps the moment it is about with the UTC offset the person
//! was in, so "Tuesday evening" stays Tuesday evening wherever they travel.
//! Back-dating is allowed: people often record yesterday today. A time
//! more than a day ahead of now is refused: it is almost always a typo in
//! the date, and a check-in from next month would sit at the top of every
//! list and summary.

use serde::Serialize;
use time::OffsetDateTime;

use super::{check_list, check_optional_text, limits};
use crate::{Error, Id, Result};

/// A check-in as stored.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CheckIn {
    pub id: Id,
    /// When it happened, with the person's UTC offset.
    #[serde(with = "time::serde::rfc3339")]
    pub occurred_at: OffsetDateTime,
    /// 1 (low) to 5 (high).
    pub mood: u8,
    /// 1 (low) to 5 (high), if the person chose to say.
    pub energy: Option<u8>,
    pub tags: Vec<String>,
    pub note: Option<String>,
    /// When the device recorded it.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub created_by: String,
}

/// A check-in about to be added.
#[derive(Clone, Debug)]
pub struct NewCheckIn {
    pub occurred_at: OffsetDateTime,
    pub mood: i64,
    pub energy: Option<i64>,
    pub tags: Vec<String>,
    pub note: Option<String>,
}

fn check_scale(field: &'static str, v: i64) -> Result<u8> {
    match v {
        1..=5 => Ok(v as u8),
        _ => Err(Error::OutOfRange {
            field,
            expected: "a whole number from 1 to 5",
        }),
    }
}

/// How far ahead of now a check-in's time may be (a day: time zones, and
/// a phone's clock that is a little wrong).
pub const MAX_AHEAD: time::Duration = time::Duration::days(1);

fn check_not_ahead(at: OffsetDateTime, now: OffsetDateTime) -> Result<OffsetDateTime> {
    if at > now + MAX_AHEAD {
        return Err(Error::TooFarAhead);
    }
    Ok(at)
}

impl NewCheckIn {
    /// Checks every rule against the clock's `now`; returns the cleaned-up
    /// check-in parts.
    pub(crate) fn validate(&self, now: OffsetDateTime) -> Result<ValidCheckIn> {
        Ok(ValidCheckIn {
            occurred_at: check_not_ahead(self.occurred_at, now)?,
            mood: check_scale("mood", self.mood)?,
            energy: self.energy.map(|e| check_scale("energy", e)).transpose()?,
            tags: check_list("tags", &self.tags)?,
            note: check_optional_text("note", self.note.as_deref(), limits::MEDIUM)?,
        })
    }
}

/// A check-in that passed validation.
#[derive(Clone, Debug)]
pub(crate) struct ValidCheckIn {
    pub occurred_at: OffsetDateTime,
    pub mood: u8,
    pub energy: Option<u8>,
    pub tags: Vec<String>,
    pub note: Option<String>,
}

/// Changes to a check-in; `None` leaves a field as it is, and an optional
/// field set to `Some(None)` is cleared.
#[derive(Clone, Debug, Default)]
pub struct CheckInChanges {
    pub occurred_at: Option<OffsetDateTime>,
    pub mood: Option<i64>,
    pub energy: Option<Option<i64>>,
    pub tags: Option<Vec<String>>,
    pub note: Option<Option<String>>,
}

/// Check-in changes that passed validation.
#[derive(Clone, Debug, Default)]
pub(crate) struct ValidCheckInChanges {
    pub occurred_at: Option<OffsetDateTime>,
    pub mood: Option<u8>,
    pub energy: Option<Option<u8>>,
    pub tags: Option<Vec<String>>,
    pub note: Option<Option<String>>,
}

impl CheckInChanges {
    /// Checks every rule a new check-in follows, for the fields changed.
    pub(crate) fn validate(&self, now: OffsetDateTime) -> Result<ValidCheckInChanges> {
        Ok(ValidCheckInChanges {
            occurred_at: self
                .occurred_at
                .map(|t| check_not_ahead(t, now))
                .transpose()?,
            mood: self.mood.map(|m| check_scale("mood", m)).transpose()?,
            energy: self
                .energy
                .map(|e| e.map(|e| check_scale("energy", e)).transpose())
                .transpose()?,
            tags: self
                .tags
                .as_ref()
                .map(|t| check_list("tags", t))
                .transpose()?,
            note: self
                .note
                .as_ref()
                .map(|n| check_optional_text("note", n.as_deref(), limits::MEDIUM))
                .transpose()?,
        })
    }

    /// True if nothing would change.
    pub fn is_empty(&self) -> bool {
        self.occurred_at.is_none()
            && self.mood.is_none()
            && self.energy.is_none()
            && self.tags.is_none()
            && self.note.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: OffsetDateTime = time::macros::datetime!(2026-03-02 12:00 UTC);

    fn base() -> NewCheckIn {
        NewCheckIn {
            occurred_at: time::macros::datetime!(2026-03-01 09:30 +01:00),
            mood: 3,
            energy: None,
            tags: vec![],
            note: None,
        }
    }

    #[test]
    fn mood_and_energy_are_one_to_five() {
        for bad in [0, 6, -1, 100] {
            let c = NewCheckIn {
                mood: bad,
                ..base()
            };
            assert!(matches!(
                c.validate(NOW),
                Err(Error::OutOfRange { field: "mood", .. })
            ));
            let c = NewCheckIn {
                energy: Some(bad),
                ..base()
            };
            assert!(matches!(
                c.validate(NOW),
                Err(Error::OutOfRange {
                    field: "energy",
                    ..
                })
            ));
        }
        for good in 1..=5 {
            let c = NewCheckIn {
                mood: good,
                energy: Some(good),
                ..base()
            };
            let v = c.validate(NOW).unwrap();
            assert_eq!(v.mood as i64, good);
        }
    }

    #[test]
    fn note_and_tags_are_checked() {
        let c = NewCheckIn {
            note: Some("x".repeat(limits::MEDIUM + 1)),
            ..base()
        };
        assert!(matches!(
            c.validate(NOW),
            Err(Error::TooLong { field: "note", .. })
        ));
        let c = NewCheckIn {
            tags: vec!["sleep".into(), "".into()],
            ..base()
        };
        assert!(matches!(
            c.validate(NOW),
            Err(Error::Empty { field: "tags" })
        ));
    }

    #[test]
    fn offset_is_kept() {
        let v = base().validate(NOW).unwrap();
        assert_eq!(v.occurred_at.offset().whole_hours(), 1);
    }

    #[test]
    fn more_than_a_day_ahead_is_refused() {
        let at = |t| NewCheckIn {
            occurred_at: t,
            ..base()
        };
        assert!(at(NOW + MAX_AHEAD).validate(NOW).is_ok());
        assert!(at(NOW - time::Duration::days(400)).validate(NOW).is_ok());
        let e = at(NOW + MAX_AHEAD + time::Duration::minutes(1))
            .validate(NOW)
            .unwrap_err();
        assert!(matches!(e, Error::TooFarAhead));
        assert!(e.is_invalid_input());
        let later = CheckInChanges {
            occurred_at: Some(NOW + time::Duration::days(30)),
            ..Default::default()
        };
        assert!(matches!(later.validate(NOW), Err(Error::TooFarAhead)));
    }

    #[test]
    fn changes_follow_the_same_rules() {
        let bad = CheckInChanges {
            mood: Some(9),
            ..Default::default()
        };
        assert!(matches!(
            bad.validate(NOW),
            Err(Error::OutOfRange { field: "mood", .. })
        ));
        let clear = CheckInChanges {
            energy: Some(None),
            note: Some(None),
            ..Default::default()
        };
        let v = clear.validate(NOW).unwrap();
        assert_eq!(v.energy, Some(None));
        assert_eq!(v.note, Some(None));
        assert!(CheckInChanges::default().is_empty());
        assert!(!clear.is_empty());
    }
}
