//! The records a person and a worker keep, and the rules they follow.
//!
//! Records are plain structs for reading. Input arrives as `New*` and
//! `*Changes` structs whose `validate` checks every rule before anything is
//! written, so a rejected edit changes nothing. Enumerations keep values they
//! do not know (`Unknown`), so a record written by a newer version survives
//! a round trip through this one.

mod checkin;
mod contact;
mod crisis;
mod goal;
mod plan;
mod prefs;
mod resource;
mod text;
mod when;

pub use checkin::{CheckIn, CheckInChanges, MAX_AHEAD, NewCheckIn};
pub(crate) use contact::NoteSeals;
pub use contact::{
    Addendum, Contact, ContactNote, ContactType, NewContact, NewContactNote, NoteChanges,
    NoteComment, NoteStatus, Setting,
};
pub use crisis::{CrisisLine, NewCrisisLine, default_crisis_lines};
pub use goal::{Goal, GoalChanges, GoalStatus, LifeArea, NewGoal, ProgressEntry, Step};
pub use plan::{
    NewPlanItem, NewSuggestion, PlanItem, PlanPart, PlanSection, PlanSuggestion, SuggestionAnswer,
};
pub use prefs::{
    ContactPrefs, ContactWay, MAX_WINDOWS, NewPlannedContact, PlannedContact, TimeWindow, day_name,
    format_clock, parse_clock, parse_day_name,
};
pub use resource::{NewResource, Resource, ResourceKind};
pub use text::limits;
pub use when::{parse_day, parse_moment};

pub(crate) use contact::check_addendum as note_addendum_text;
pub(crate) use contact::check_comment as note_comment_text;
pub(crate) use goal::{
    check_progress_note as goal_progress_note, check_step_text as goal_step_text,
};
pub(crate) use prefs::check_search;
pub(crate) use text::{check_list, check_optional_text, check_text};

use std::fmt;

/// The kinds of record, for messages and exports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordKind {
    Goal,
    Step,
    CheckIn,
    Contact,
    ContactNote,
    Space,
    Device,
    PlanItem,
    Suggestion,
    CrisisLine,
    Resource,
    PlannedContact,
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RecordKind::Goal => "goal",
            RecordKind::Step => "step",
            RecordKind::CheckIn => "check-in",
            RecordKind::Contact => "contact",
            RecordKind::ContactNote => "note",
            RecordKind::Space => "share",
            RecordKind::Device => "device",
            RecordKind::PlanItem => "plan entry",
            RecordKind::Suggestion => "suggestion",
            RecordKind::CrisisLine => "crisis line",
            RecordKind::Resource => "resource",
            RecordKind::PlannedContact => "planned contact",
        })
    }
}

/// Declares an enumeration stored as a short string, which keeps values it
/// does not recognise as `Unknown(String)` so they survive load and save.
macro_rules! stored_enum {
    ($(#[$meta:meta])* $name:ident, $field:literal { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value written by a newer version of Kindred, kept as it is.
            Unknown(String),
        }

        impl $name {
            /// Every value this version knows, in display order.
            pub const KNOWN: &'static [&'static str] = &[$($text),+];

            /// The stored text of this value.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)+
                    $name::Unknown(s) => s,
                }
            }

            /// Reads a stored value, keeping one this version does not know.
            pub fn from_stored(s: &str) -> Self {
                match s {
                    $($text => $name::$variant,)+
                    other => $name::Unknown(other.to_owned()),
                }
            }

            /// Reads a value a person chose; only known values are accepted.
            pub fn parse(s: &str) -> crate::Result<Self> {
                let wanted = s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
                match wanted.as_str() {
                    $($text => Ok($name::$variant),)+
                    _ => Err(crate::Error::OutOfRange {
                        field: $field,
                        expected: concat!("one of: ", $($text, " "),+),
                    }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}
pub(crate) use stored_enum;

/// Serde helpers for dates written as `YYYY-MM-DD`.
pub(crate) mod date_format {
    time::serde::format_description!(pub(crate) iso_date, Date, "[year]-[month]-[day]");
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> crate::Result<time::Date> {
    time::Date::parse(
        s.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| crate::Error::OutOfRange {
        field: "date",
        expected: "a date written as YYYY-MM-DD",
    })
}

/// Parses an RFC 3339 time with its UTC offset, e.g. `2026-03-01T09:30:00+01:00`.
pub fn parse_time(s: &str) -> crate::Result<time::OffsetDateTime> {
    time::OffsetDateTime::parse(s.trim(), &time::format_description::well_known::Rfc3339).map_err(
        |_| crate::Error::OutOfRange {
            field: "time",
            expected: "a time written as RFC 3339, e.g. 2026-03-01T09:30:00+01:00",
        },
    )
}

/// Formats a time as RFC 3339, keeping its UTC offset.
pub fn format_time(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}

/// Formats a time for people: `2026-11-28 09:00` in the time's own UTC
/// offset (convert it to the reader's offset first to show local time), to
/// the minute.
pub fn format_short_time(t: time::OffsetDateTime) -> String {
    format!(
        "{} {:02}:{:02}",
        format_date(t.date()),
        t.hour(),
        t.minute()
    )
}

/// Formats a date as `YYYY-MM-DD`.
pub fn format_date(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}
