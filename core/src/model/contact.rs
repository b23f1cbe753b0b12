//! Contacts and contact notes: a peer support worker's record of a visit.
//!
//! A note follows peer documentation practice: when and where, what kind of
//! contact, the goals it touched, what was done together, the person's own
//! words, strengths and next steps, in plain strengths-based language. A
//! signed note keeps its words; anything later is an addendum. Notes that
//! mention substance use carry a flag that keeps them out of exports (and,
//! later, shares) unless the person chooses otherwise.

use serde::Serialize;
use time::{Date, OffsetDateTime};

use super::{
    check_list, check_optional_text, check_text, date_format::iso_date, limits, stored_enum,
};
use crate::{Error, Id, Result};

stored_enum!(
    /// How the worker and the person met.
    ContactType, "contact type" {
        InPerson => "in_person",
        Phone => "phone",
        Video => "video",
        Text => "text",
        Group => "group",
        Attempted => "attempted",
    }
);

stored_enum!(
    /// Where the contact took place.
    Setting, "setting" {
        Community => "community",
        Home => "home",
        Program => "program",
        Hospital => "hospital",
        Outreach => "outreach",
        Other => "other",
    }
);

stored_enum!(
    /// A draft is edited freely; a signed note takes addenda only.
    NoteStatus, "note status" {
        Draft => "draft",
        Signed => "signed",
    }
);

/// Someone a worker supports, by the name or alias the worker chose.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Contact {
    pub id: Id,
    pub name: String,
    /// The space this worker shares with the person, once linked: where
    /// the person's contact preferences are read.
    pub share_space: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    pub created_by: String,
}

/// A contact about to be added.
#[derive(Clone, Debug)]
pub struct NewContact {
    pub name: String,
}

impl NewContact {
    pub(crate) fn validate(&self) -> Result<NewContact> {
        Ok(NewContact {
            name: check_text("name", &self.name, limits::SHORT)?,
        })
    }
}

/// Words added to a signed note.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Addendum {
    pub id: Id,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub by: String,
    pub text: String,
}

/// Words the person added to a shared note, signed by their device so no
/// one else can change them unnoticed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NoteComment {
    pub id: Id,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// The writing device's name.
    pub by: String,
    /// The writing device's key (hex), as the membership log knows it.
    pub by_key: String,
    pub text: String,
    /// The signature checks out, by a device of the space: the words are
    /// as their author wrote them.
    pub verified: bool,
    #[serde(skip)]
    pub(crate) sig: String,
}

/// A contact note as stored.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ContactNote {
    pub id: Id,
    pub contact_id: Id,
    pub contact_type: ContactType,
    pub setting: Setting,
    #[serde(with = "time::serde::rfc3339")]
    pub start: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub end: OffsetDateTime,
    pub goals_addressed: Vec<String>,
    pub peer_activities: Vec<String>,
    pub narrative: String,
    /// The person's response, in their own words.
    pub own_words: Option<String>,
    pub strengths: Option<String>,
    pub next_steps: Option<String>,
    #[serde(with = "iso_date::option")]
    pub next_contact: Option<Date>,
    pub status: NoteStatus,
    #[serde(with = "time::serde::rfc3339::option")]
    pub signed_at: Option<OffsetDateTime>,
    pub signed_by: Option<String>,
    /// The note mentions substance use (42 CFR Part 2): kept out of exports
    /// and shares unless chosen.
    pub substance_use: bool,
    pub addenda: Vec<Addendum>,
    /// None in the worker's caseload; the shared space's id once shared.
    pub shared_in: Option<String>,
    /// Who signed: the name the signing key has in the space's log, once
    /// the signature verifies (the name stored with it is covered by it).
    pub signed_by_name: Option<String>,
    /// For a signed note: the signature over its words checks out under
    /// the signer's key (false: the words changed after signing).
    pub signature_ok: Option<bool>,
    /// The person's own words on a shared note.
    pub comments: Vec<NoteComment>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub reviewed_at: Option<OffsetDateTime>,
    /// Who marked the note reviewed (the name their device has in the
    /// space's log), if the mark verifies as the person's.
    pub reviewed_by: Option<String>,
    /// For a verified review: true if it covers the note as it reads now,
    /// false if the note changed after it was reviewed.
    pub review_of_current: Option<bool>,
    /// Holds substance-use details and was shared because the person
    /// chose it: who recorded that choice, and when.
    pub substance_use_consent: Option<String>,
    #[serde(skip)]
    pub(crate) raw: NoteSeals,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    pub created_by: String,
    pub updated_by: String,
}

/// The signatures stored with a note, checked when the note is read.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct NoteSeals {
    pub signer_key: Option<String>,
    pub signature: Option<String>,
    pub reviewer_key: Option<String>,
    pub review_sig: Option<String>,
    /// The content hash the review covers.
    pub reviewed_hash: Option<String>,
}

impl ContactNote {
    /// True once the note is signed.
    pub fn is_signed(&self) -> bool {
        self.status == NoteStatus::Signed
    }
}

/// A note about to be added (always as a draft).
#[derive(Clone, Debug)]
pub struct NewContactNote {
    pub contact_id: Id,
    pub contact_type: ContactType,
    pub setting: Setting,
    pub start: OffsetDateTime,
    pub end: OffsetDateTime,
    pub goals_addressed: Vec<String>,
    pub peer_activities: Vec<String>,
    pub narrative: String,
    pub own_words: Option<String>,
    pub strengths: Option<String>,
    pub next_steps: Option<String>,
    pub next_contact: Option<Date>,
    pub substance_use: bool,
}

impl NewContactNote {
    pub(crate) fn validate(&self) -> Result<NewContactNote> {
        if self.end < self.start {
            return Err(Error::EndBeforeStart);
        }
        Ok(NewContactNote {
            contact_id: self.contact_id.clone(),
            contact_type: self.contact_type.clone(),
            setting: self.setting.clone(),
            start: self.start,
            end: self.end,
            goals_addressed: check_list("goals addressed", &self.goals_addressed)?,
            peer_activities: check_list("peer activities", &self.peer_activities)?,
            narrative: check_text("narrative", &self.narrative, limits::LONG)?,
            own_words: check_optional_text("own words", self.own_words.as_deref(), limits::LONG)?,
            strengths: check_optional_text("strengths", self.strengths.as_deref(), limits::MEDIUM)?,
            next_steps: check_optional_text(
                "next steps",
                self.next_steps.as_deref(),
                limits::MEDIUM,
            )?,
            next_contact: self.next_contact,
            substance_use: self.substance_use,
        })
    }
}

/// Changes to a draft note; `None` leaves a field as it is, `Some(None)`
/// clears an optional field.
#[derive(Clone, Debug, Default)]
pub struct NoteChanges {
    pub contact_type: Option<ContactType>,
    pub setting: Option<Setting>,
    pub start: Option<OffsetDateTime>,
    pub end: Option<OffsetDateTime>,
    pub goals_addressed: Option<Vec<String>>,
    pub peer_activities: Option<Vec<String>>,
    pub narrative: Option<String>,
    pub own_words: Option<Option<String>>,
    pub strengths: Option<Option<String>>,
    pub next_steps: Option<Option<String>>,
    pub next_contact: Option<Option<Date>>,
    pub substance_use: Option<bool>,
}

impl NoteChanges {
    /// Checks the changes against the note they apply to.
    pub(crate) fn validate(&self, current: &ContactNote) -> Result<NoteChanges> {
        let start = self.start.unwrap_or(current.start);
        let end = self.end.unwrap_or(current.end);
        if end < start {
            return Err(Error::EndBeforeStart);
        }
        let opt = |field, v: &Option<Option<String>>, max| {
            v.as_ref()
                .map(|inner| check_optional_text(field, inner.as_deref(), max))
                .transpose()
        };
        Ok(NoteChanges {
            contact_type: self.contact_type.clone(),
            setting: self.setting.clone(),
            start: self.start,
            end: self.end,
            goals_addressed: self
                .goals_addressed
                .as_deref()
                .map(|l| check_list("goals addressed", l))
                .transpose()?,
            peer_activities: self
                .peer_activities
                .as_deref()
                .map(|l| check_list("peer activities", l))
                .transpose()?,
            narrative: self
                .narrative
                .as_deref()
                .map(|n| check_text("narrative", n, limits::LONG))
                .transpose()?,
            own_words: opt("own words", &self.own_words, limits::LONG)?,
            strengths: opt("strengths", &self.strengths, limits::MEDIUM)?,
            next_steps: opt("next steps", &self.next_steps, limits::MEDIUM)?,
            next_contact: self.next_contact,
            substance_use: self.substance_use,
        })
    }
}

/// Checks an addendum's text.
pub(crate) fn check_comment(text: &str) -> Result<String> {
    check_text("comment", text, limits::LONG)
}

pub(crate) fn check_addendum(text: &str) -> Result<String> {
    check_text("addendum", text, limits::LONG)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn note() -> NewContactNote {
        NewContactNote {
            contact_id: Id::parse("c1").unwrap(),
            contact_type: ContactType::InPerson,
            setting: Setting::Community,
            start: datetime!(2026-03-01 10:00 +00:00),
            end: datetime!(2026-03-01 11:00 +00:00),
            goals_addressed: vec![],
            peer_activities: vec!["walked to the library".into()],
            narrative: "Met at the cafe.".into(),
            own_words: None,
            strengths: None,
            next_steps: None,
            next_contact: None,
            substance_use: false,
        }
    }

    #[test]
    fn end_before_start_is_rejected() {
        let n = NewContactNote {
            end: datetime!(2026-03-01 09:59 +00:00),
            ..note()
        };
        assert!(matches!(n.validate(), Err(Error::EndBeforeStart)));
        // Offsets count: 10:30+01:00 is 09:30 UTC, before a 10:00 UTC start.
        let n = NewContactNote {
            end: datetime!(2026-03-01 10:30 +01:00),
            ..note()
        };
        assert!(matches!(n.validate(), Err(Error::EndBeforeStart)));
        assert!(note().validate().is_ok());
    }

    #[test]
    fn narrative_is_required_and_bounded() {
        let n = NewContactNote {
            narrative: " ".into(),
            ..note()
        };
        assert!(matches!(
            n.validate(),
            Err(Error::Empty { field: "narrative" })
        ));
        let n = NewContactNote {
            narrative: "x".repeat(limits::LONG + 1),
            ..note()
        };
        assert!(matches!(n.validate(), Err(Error::TooLong { .. })));
        let n = NewContactNote {
            own_words: Some("x".repeat(limits::LONG + 1)),
            ..note()
        };
        assert!(matches!(
            n.validate(),
            Err(Error::TooLong {
                field: "own words",
                ..
            })
        ));
    }

    #[test]
    fn contact_names_are_checked() {
        assert!(NewContact { name: " ".into() }.validate().is_err());
        assert!(
            NewContact {
                name: "x".repeat(limits::SHORT + 1)
            }
            .validate()
            .is_err()
        );
        assert_eq!(
            NewContact {
                name: " Sam ".into()
            }
            .validate()
            .unwrap()
            .name,
            "Sam"
        );
    }

    #[test]
    fn addenda_need_text() {
        assert!(check_addendum("  ").is_err());
        assert!(check_addendum("Called back on Friday.").is_ok());
    }

    #[test]
    fn types_and_settings_parse() {
        assert_eq!(
            ContactType::parse("in person").unwrap(),
            ContactType::InPerson
        );
        assert!(ContactType::parse("telepathy").is_err());
        assert_eq!(Setting::parse("Home").unwrap(), Setting::Home);
        assert_eq!(
            NoteStatus::from_stored("countersigned"),
            NoteStatus::Unknown("countersigned".into())
        );
    }
}
