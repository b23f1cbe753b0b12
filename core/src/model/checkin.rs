//! Check-ins: how a person is doing, in their own time.
//!
//! A check-in keeps the moment it is about with the UTC offset the person
//! was in, so "Tuesday evening" stays Tuesday evening wherever they travel.
//! Back-dating is allowed: people often record yesterday today.

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

impl NewCheckIn {
    /// Checks every rule; returns the cleaned-up check-in parts.
    pub(crate) fn validate(&self) -> Result<ValidCheckIn> {
        Ok(ValidCheckIn {
            occurred_at: self.occurred_at,
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

#[cfg(test)]
mod tests {
    use super::*;

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
                c.validate(),
                Err(Error::OutOfRange { field: "mood", .. })
            ));
            let c = NewCheckIn {
                energy: Some(bad),
                ..base()
            };
            assert!(matches!(
                c.validate(),
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
            let v = c.validate().unwrap();
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
            c.validate(),
            Err(Error::TooLong { field: "note", .. })
        ));
        let c = NewCheckIn {
            tags: vec!["sleep".into(), "".into()],
            ..base()
        };
        assert!(matches!(c.validate(), Err(Error::Empty { field: "tags" })));
    }

    #[test]
    fn offset_is_kept() {
        let v = base().validate().unwrap();
        assert_eq!(v.occurred_at.offset().whole_hours(), 1);
    }
}
