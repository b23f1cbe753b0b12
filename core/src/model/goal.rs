//! Goals: the person's own words for what they are working towards.
//!
//! No streaks and no failure states: a goal is active, paused, achieved or
//! let go, and any of them can change back.

use serde::Serialize;
use time::{Date, OffsetDateTime};

use super::{check_optional_text, check_text, date_format::iso_date, limits, stored_enum};
use crate::{Id, Result};

stored_enum!(
    /// Where a goal stands. Every status can move to every other.
    GoalStatus, "status" {
        Active => "active",
        Paused => "paused",
        Achieved => "achieved",
        LetGo => "let_go",
    }
);

stored_enum!(
    /// The part of life a goal belongs to (the eight dimensions of wellness).
    LifeArea, "life area" {
        Emotional => "emotional",
        Environmental => "environmental",
        Financial => "financial",
        Intellectual => "intellectual",
        Occupational => "occupational",
        Physical => "physical",
        Social => "social",
        Spiritual => "spiritual",
    }
);

/// A goal as stored.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Goal {
    pub id: Id,
    pub title: String,
    pub why: Option<String>,
    pub area: Option<LifeArea>,
    pub status: GoalStatus,
    #[serde(with = "iso_date::option")]
    pub target_date: Option<Date>,
    pub steps: Vec<Step>,
    pub progress: Vec<ProgressEntry>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    pub created_by: String,
    pub updated_by: String,
}

/// One step towards a goal, in the order the person put them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Step {
    pub id: Id,
    pub text: String,
    #[serde(with = "iso_date::option")]
    pub due: Option<Date>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub done_at: Option<OffsetDateTime>,
}

/// A note on how a goal is going.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProgressEntry {
    pub id: Id,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub note: String,
}

/// A goal about to be added.
#[derive(Clone, Debug, Default)]
pub struct NewGoal {
    pub title: String,
    pub why: Option<String>,
    pub area: Option<LifeArea>,
    pub target_date: Option<Date>,
}

impl NewGoal {
    /// Checks every rule; returns the cleaned-up goal.
    pub fn validate(&self) -> Result<NewGoal> {
        Ok(NewGoal {
            title: check_text("title", &self.title, limits::SHORT)?,
            why: check_optional_text("why", self.why.as_deref(), limits::MEDIUM)?,
            area: self.area.clone(),
            target_date: self.target_date,
        })
    }
}

/// Changes to a goal's own fields; `None` leaves a field as it is. A field
/// set to `Some(None)` is cleared.
#[derive(Clone, Debug, Default)]
pub struct GoalChanges {
    pub title: Option<String>,
    pub why: Option<Option<String>>,
    pub area: Option<Option<LifeArea>>,
    pub target_date: Option<Option<Date>>,
}

impl GoalChanges {
    /// Checks every rule; returns the cleaned-up changes.
    pub fn validate(&self) -> Result<GoalChanges> {
        Ok(GoalChanges {
            title: self
                .title
                .as_deref()
                .map(|t| check_text("title", t, limits::SHORT))
                .transpose()?,
            why: self
                .why
                .as_ref()
                .map(|w| check_optional_text("why", w.as_deref(), limits::MEDIUM))
                .transpose()?,
            area: self.area.clone(),
            target_date: self.target_date,
        })
    }
}

/// Checks a step's text.
pub(crate) fn check_step_text(text: &str) -> Result<String> {
    check_text("step", text, limits::SHORT)
}

/// Checks a progress note's text.
pub(crate) fn check_progress_note(note: &str) -> Result<String> {
    check_text("progress note", note, limits::MEDIUM)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn new_goal_needs_a_title_within_the_limit() {
        let g = NewGoal {
            title: "  Walk to the park  ".into(),
            why: Some("   ".into()),
            ..Default::default()
        };
        let v = g.validate().unwrap();
        assert_eq!(v.title, "Walk to the park");
        assert_eq!(v.why, None);

        let empty = NewGoal::default();
        assert!(matches!(
            empty.validate(),
            Err(Error::Empty { field: "title" })
        ));
        let long = NewGoal {
            title: "x".repeat(limits::SHORT + 1),
            ..Default::default()
        };
        assert!(matches!(long.validate(), Err(Error::TooLong { .. })));
        let long_why = NewGoal {
            title: "ok".into(),
            why: Some("x".repeat(limits::MEDIUM + 1)),
            ..Default::default()
        };
        assert!(matches!(
            long_why.validate(),
            Err(Error::TooLong { field: "why", .. })
        ));
    }

    #[test]
    fn goal_changes_check_what_they_change() {
        let c = GoalChanges {
            title: Some(" ".into()),
            ..Default::default()
        };
        assert!(matches!(c.validate(), Err(Error::Empty { .. })));
        let ok = GoalChanges {
            why: Some(None),
            ..Default::default()
        };
        assert!(ok.validate().is_ok());
    }

    #[test]
    fn statuses_parse_leniently_and_keep_unknown_values() {
        assert_eq!(GoalStatus::parse("Let go").unwrap(), GoalStatus::LetGo);
        assert_eq!(GoalStatus::parse("let-go").unwrap(), GoalStatus::LetGo);
        assert!(matches!(
            GoalStatus::parse("failed"),
            Err(Error::OutOfRange {
                field: "status",
                ..
            })
        ));
        let future = GoalStatus::from_stored("celebrating");
        assert_eq!(future, GoalStatus::Unknown("celebrating".into()));
        assert_eq!(future.as_str(), "celebrating");
        assert_eq!(LifeArea::parse("social").unwrap(), LifeArea::Social);
    }

    #[test]
    fn step_and_progress_texts_are_checked() {
        assert!(check_step_text("").is_err());
        assert!(check_progress_note(&"x".repeat(limits::MEDIUM + 1)).is_err());
        assert_eq!(check_step_text(" call Sam ").unwrap(), "call Sam");
    }
}
