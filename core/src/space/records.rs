//! How each record kind sits in a space's automerge document.
//!
//! ```text
//! ROOT { schema: 1, kind: "personal",
//!        goals: { <id>: { title, why, area, status, target_date,
//!                         steps: [ { id, text, due, done_at } ],
//!                         progress: [ { id, at, note } ],
//!                         created_at, updated_at, created_by, updated_by } },
//!        check_ins: { <id>: { occurred_at, mood, energy, tags: [..], note, .. } },
//!        contacts: { <id>: { name, .. } },
//!        contact_notes: { <id>: { contact_id, type, setting, start, end, .., addenda: [..] } } }
//! ```
//! Times are RFC 3339 strings so the person's UTC offset is kept; dates are
//! `YYYY-MM-DD`. Readers never fail: a value they cannot read is absent.

use automerge::{ObjId, ReadDoc, transaction::Transactable};
use time::OffsetDateTime;

use super::fields::*;
use crate::ids::Id;
use crate::model::{
    Addendum, CheckIn, Contact, ContactNote, ContactType, Goal, GoalStatus, LifeArea, NoteStatus,
    ProgressEntry, Setting, Step,
};

/// Root keys of the collections.
pub(crate) const GOALS: &str = "goals";
pub(crate) const CHECK_INS: &str = "check_ins";
pub(crate) const CONTACTS: &str = "contacts";
pub(crate) const CONTACT_NOTES: &str = "contact_notes";
pub(crate) const COLLECTIONS: [&str; 4] = [GOALS, CHECK_INS, CONTACTS, CONTACT_NOTES];

fn id_or_blank(s: Option<String>) -> Id {
    s.and_then(|s| Id::parse(&s))
        .unwrap_or_else(|| Id::parse("unknown").expect("a valid literal id"))
}

fn time_or_epoch<R: ReadDoc>(doc: &R, obj: &ObjId, key: &str) -> OffsetDateTime {
    get_time(doc, obj, key).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// Who wrote and when: the fields every record carries.
pub(crate) struct Stamp<'a> {
    pub at: OffsetDateTime,
    pub device: &'a str,
}

pub(crate) fn stamp_created<T: Transactable>(
    tx: &mut T,
    obj: &ObjId,
    s: &Stamp<'_>,
) -> DocResult<()> {
    put_time(tx, obj, "created_at", s.at)?;
    put_str(tx, obj, "created_by", s.device)?;
    stamp_updated(tx, obj, s)
}

pub(crate) fn stamp_updated<T: Transactable>(
    tx: &mut T,
    obj: &ObjId,
    s: &Stamp<'_>,
) -> DocResult<()> {
    put_time(tx, obj, "updated_at", s.at)?;
    put_str(tx, obj, "updated_by", s.device)
}

pub(crate) fn read_goal<R: ReadDoc>(doc: &R, id: &Id, obj: &ObjId) -> Goal {
    let steps = get_map_list(doc, obj, "steps")
        .into_iter()
        .map(|s| Step {
            id: id_or_blank(get_str(doc, &s, "id")),
            text: get_str(doc, &s, "text").unwrap_or_default(),
            due: get_date(doc, &s, "due"),
            done_at: get_time(doc, &s, "done_at"),
        })
        .collect();
    let progress = get_map_list(doc, obj, "progress")
        .into_iter()
        .map(|p| ProgressEntry {
            id: id_or_blank(get_str(doc, &p, "id")),
            at: time_or_epoch(doc, &p, "at"),
            note: get_str(doc, &p, "note").unwrap_or_default(),
        })
        .collect();
    Goal {
        id: id.clone(),
        title: get_str(doc, obj, "title").unwrap_or_default(),
        why: get_str(doc, obj, "why"),
        area: get_str(doc, obj, "area").map(|a| LifeArea::from_stored(&a)),
        status: GoalStatus::from_stored(
            &get_str(doc, obj, "status").unwrap_or_else(|| "active".into()),
        ),
        target_date: get_date(doc, obj, "target_date"),
        steps,
        progress,
        created_at: time_or_epoch(doc, obj, "created_at"),
        updated_at: time_or_epoch(doc, obj, "updated_at"),
        created_by: get_str(doc, obj, "created_by").unwrap_or_default(),
        updated_by: get_str(doc, obj, "updated_by").unwrap_or_default(),
    }
}

pub(crate) fn read_check_in<R: ReadDoc>(doc: &R, id: &Id, obj: &ObjId) -> CheckIn {
    let scale = |key| {
        get_i64(doc, obj, key)
            .and_then(|v| u8::try_from(v).ok())
            .filter(|v| (1..=5).contains(v))
    };
    CheckIn {
        id: id.clone(),
        occurred_at: time_or_epoch(doc, obj, "occurred_at"),
        mood: scale("mood").unwrap_or(3),
        energy: scale("energy"),
        tags: get_str_list(doc, obj, "tags"),
        note: get_str(doc, obj, "note"),
        created_at: time_or_epoch(doc, obj, "created_at"),
        created_by: get_str(doc, obj, "created_by").unwrap_or_default(),
    }
}

pub(crate) fn read_contact<R: ReadDoc>(doc: &R, id: &Id, obj: &ObjId) -> Contact {
    Contact {
        id: id.clone(),
        name: get_str(doc, obj, "name").unwrap_or_default(),
        created_at: time_or_epoch(doc, obj, "created_at"),
        updated_at: time_or_epoch(doc, obj, "updated_at"),
        created_by: get_str(doc, obj, "created_by").unwrap_or_default(),
    }
}

pub(crate) fn read_note<R: ReadDoc>(doc: &R, id: &Id, obj: &ObjId) -> ContactNote {
    let addenda = get_map_list(doc, obj, "addenda")
        .into_iter()
        .map(|a| Addendum {
            id: id_or_blank(get_str(doc, &a, "id")),
            at: time_or_epoch(doc, &a, "at"),
            by: get_str(doc, &a, "by").unwrap_or_default(),
            text: get_str(doc, &a, "text").unwrap_or_default(),
        })
        .collect();
    ContactNote {
        id: id.clone(),
        contact_id: id_or_blank(get_str(doc, obj, "contact_id")),
        contact_type: ContactType::from_stored(&get_str(doc, obj, "type").unwrap_or_default()),
        setting: Setting::from_stored(&get_str(doc, obj, "setting").unwrap_or_default()),
        start: time_or_epoch(doc, obj, "start"),
        end: time_or_epoch(doc, obj, "end"),
        goals_addressed: get_str_list(doc, obj, "goals_addressed"),
        peer_activities: get_str_list(doc, obj, "peer_activities"),
        narrative: get_str(doc, obj, "narrative").unwrap_or_default(),
        own_words: get_str(doc, obj, "own_words"),
        strengths: get_str(doc, obj, "strengths"),
        next_steps: get_str(doc, obj, "next_steps"),
        next_contact: get_date(doc, obj, "next_contact"),
        status: NoteStatus::from_stored(
            &get_str(doc, obj, "status").unwrap_or_else(|| "draft".into()),
        ),
        signed_at: get_time(doc, obj, "signed_at"),
        signed_by: get_str(doc, obj, "signed_by"),
        substance_use: get_bool(doc, obj, "substance_use").unwrap_or(false),
        addenda,
        created_at: time_or_epoch(doc, obj, "created_at"),
        updated_at: time_or_epoch(doc, obj, "updated_at"),
        created_by: get_str(doc, obj, "created_by").unwrap_or_default(),
        updated_by: get_str(doc, obj, "updated_by").unwrap_or_default(),
    }
}
