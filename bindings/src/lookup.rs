//! Finding a record from what a person typed (the core's one resolver,
//! as the CLI uses it).

use kindred_core::model::RecordKind;

use crate::error::FfiResult;
use crate::kindred::Kindred;
use crate::records::id_of;

/// The kinds of record a person can name by typing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Lookup {
    Goal,
    CheckIn,
    Contact,
    Note,
    /// A shared space, by the name of someone in it or the start of its id.
    Share,
}

impl From<Lookup> for RecordKind {
    fn from(l: Lookup) -> Self {
        match l {
            Lookup::Goal => RecordKind::Goal,
            Lookup::CheckIn => RecordKind::CheckIn,
            Lookup::Contact => RecordKind::Contact,
            Lookup::Note => RecordKind::ContactNote,
            Lookup::Share => RecordKind::Space,
        }
    }
}

/// A record that fits what was typed.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct MatchRecord {
    pub id: String,
    /// What a person knows it by: a goal's title, a contact's name, a
    /// check-in's time, a share's people.
    pub label: String,
}

#[uniffi::export]
impl Kindred {
    /// The one record `typed` names: its whole id, the start of it (at
    /// least 4 characters), or a name where names are unique (a contact's;
    /// a share by the other person's name). None: `NotFound`; several:
    /// `InvalidInput` (see [`Kindred::matches`] for the choices).
    pub fn resolve(&self, kind: Lookup, typed: String) -> FfiResult<String> {
        self.with(|k| {
            Ok(match kind {
                Lookup::Goal => k.resolve_goal(&typed)?.to_string(),
                Lookup::CheckIn => k.resolve_check_in(&typed)?.to_string(),
                Lookup::Contact => k.resolve_contact(&typed)?.to_string(),
                Lookup::Note => k.resolve_note(&typed)?.to_string(),
                Lookup::Share => k.resolve_share(&typed)?,
            })
        })
    }

    /// One step of a goal, by the start of its id or its exact words.
    pub fn resolve_step(&self, goal_id: String, typed: String) -> FfiResult<String> {
        self.with(|k| Ok(k.resolve_step(&id_of(&goal_id)?, &typed)?.to_string()))
    }

    /// Every record of `kind` that fits `typed`, to show the choices.
    pub fn matches(&self, kind: Lookup, typed: String) -> FfiResult<Vec<MatchRecord>> {
        self.with(|k| {
            Ok(k.matches(kind.into(), &typed)?
                .into_iter()
                .map(|x| MatchRecord {
                    id: x.id,
                    label: x.label,
                })
                .collect())
        })
    }
}
