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
//!        contact_notes: { <id>: { contact_id, type, setting, start, end, .., addenda: [..] } },
//!        check_in_ranges: { <id>: { since, until, created_at, .. } } }   (shared spaces)
//! ```
//! Times are RFC 3339 strings so the person's UTC offset is kept; dates are
//! `YYYY-MM-DD`. Readers never fail: a value they cannot read is absent.
//! They work on hydrated maps ([`View`]): one `hydrate` of a collection
//! reads it in one pass.

use automerge::{ObjId, ScalarValue, hydrate, transaction::Transactable};
use time::{Date, OffsetDateTime};

use super::fields::*;
use crate::ids::Id;
use crate::model::NoteSeals;
use crate::model::{
    Addendum, CheckIn, Contact, ContactNote, ContactType, Goal, GoalStatus, LifeArea, NoteComment,
    NoteStatus, ProgressEntry, Setting, Step, parse_date, parse_time,
};

/// Root keys of the collections.
pub(crate) const GOALS: &str = "goals";
pub(crate) const CHECK_INS: &str = "check_ins";
pub(crate) const CONTACTS: &str = "contacts";
pub(crate) const CONTACT_NOTES: &str = "contact_notes";
pub(crate) const COLLECTIONS: [&str; 4] = [GOALS, CHECK_INS, CONTACTS, CONTACT_NOTES];
/// The person's plan entries (personal space; copies in shared spaces,
/// written only by the person's devices).
pub(crate) const PLAN_ITEMS: &str = "plan_items";
/// Which plan sections the person shares (shared spaces; keyed by section).
pub(crate) const PLAN_SECTIONS: &str = "plan_sections";
/// A worker's suggestions for the plan (shared spaces).
pub(crate) const SUGGESTIONS: &str = "plan_suggestions";
/// The person's answers to suggestions (shared spaces; keyed by suggestion).
pub(crate) const ANSWERS: &str = "plan_answers";
/// The crisis lines and people the person keeps (personal space).
pub(crate) const CRISIS_LINES: &str = "crisis_lines";
/// Resources (shared spaces, and copies the person kept in their own).
pub(crate) const RESOURCES: &str = "resources";
/// How the person wants to be reached: one map of fields (shared spaces,
/// written only by the person's devices).
pub(crate) const CONTACT_PREFS: &str = "contact_prefs";
/// Visits and calls a worker plans (caseload space).
pub(crate) const PLANNED_CONTACTS: &str = "planned_contacts";
/// Collections read when asked for (not indexed), made at genesis so two
/// devices never both make one; spaces from before them get them on their
/// first write.
pub(crate) const UNINDEXED: [&str; 8] = [
    PLAN_ITEMS,
    PLAN_SECTIONS,
    SUGGESTIONS,
    ANSWERS,
    CRISIS_LINES,
    RESOURCES,
    CONTACT_PREFS,
    PLANNED_CONTACTS,
];
/// In a shared space, what only the person's own devices may write: their
/// plan, their answers to suggestions and their contact preferences. Every
/// device refuses a change by anyone else that touches them.
pub(crate) const PERSON_ONLY: [&str; 4] = [PLAN_ITEMS, PLAN_SECTIONS, ANSWERS, CONTACT_PREFS];
/// The days of check-ins a person chose to share (shared spaces only; not
/// indexed: read when the share list is shown).
pub(crate) const CHECK_IN_RANGES: &str = "check_in_ranges";

fn id_or_blank(s: Option<String>) -> Id {
    s.and_then(|s| Id::parse(&s))
        .unwrap_or_else(|| Id::parse("unknown").expect("a valid literal id"))
}

/// A hydrated record map, read field by field. Reading a whole collection
/// with one `hydrate` is several times faster than a `get` per field.
#[derive(Clone, Copy)]
pub(crate) struct View<'a>(pub &'a hydrate::Map);

impl<'a> View<'a> {
    pub(crate) fn scalar(&self, key: &str) -> Option<&'a ScalarValue> {
        match self.0.get(key)? {
            hydrate::Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn str(&self, key: &str) -> Option<String> {
        match self.scalar(key)? {
            ScalarValue::Str(s) => Some(s.to_string()),
            _ => None,
        }
    }

    pub(crate) fn i64(&self, key: &str) -> Option<i64> {
        match self.scalar(key)? {
            ScalarValue::Int(i) => Some(*i),
            ScalarValue::Uint(u) => i64::try_from(*u).ok(),
            _ => None,
        }
    }

    pub(crate) fn bool(&self, key: &str) -> Option<bool> {
        match self.scalar(key)? {
            ScalarValue::Boolean(b) => Some(*b),
            _ => None,
        }
    }

    pub(crate) fn time(&self, key: &str) -> Option<OffsetDateTime> {
        self.str(key).and_then(|s| parse_time(&s).ok())
    }

    pub(crate) fn time_or_epoch(&self, key: &str) -> OffsetDateTime {
        self.time(key).unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }

    pub(crate) fn date(&self, key: &str) -> Option<Date> {
        self.str(key).and_then(|s| parse_date(&s).ok())
    }

    pub(crate) fn list(&self, key: &str) -> impl Iterator<Item = &'a hydrate::Value> + use<'a> {
        let list = match self.0.get(key) {
            Some(hydrate::Value::List(l)) => Some(l),
            _ => None,
        };
        list.into_iter().flat_map(|l| l.iter().map(|v| &v.value))
    }

    pub(crate) fn str_list(&self, key: &str) -> Vec<String> {
        self.list(key)
            .filter_map(|v| match v {
                hydrate::Value::Scalar(ScalarValue::Str(s)) => Some(s.to_string()),
                _ => None,
            })
            .collect()
    }

    pub(crate) fn map_list(&self, key: &str) -> Vec<View<'a>> {
        self.list(key)
            .filter_map(|v| match v {
                hydrate::Value::Map(m) => Some(View(m)),
                _ => None,
            })
            .collect()
    }
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

pub(crate) fn read_goal(id: &Id, v: View<'_>) -> Goal {
    let steps = v
        .map_list("steps")
        .into_iter()
        .map(|s| Step {
            id: id_or_blank(s.str("id")),
            text: s.str("text").unwrap_or_default(),
            due: s.date("due"),
            done_at: s.time("done_at"),
        })
        .collect();
    let progress = v
        .map_list("progress")
        .into_iter()
        .map(|p| ProgressEntry {
            id: id_or_blank(p.str("id")),
            at: p.time_or_epoch("at"),
            note: p.str("note").unwrap_or_default(),
        })
        .collect();
    Goal {
        id: id.clone(),
        title: v.str("title").unwrap_or_default(),
        why: v.str("why"),
        area: v.str("area").map(|a| LifeArea::from_stored(&a)),
        status: GoalStatus::from_stored(&v.str("status").unwrap_or_else(|| "active".into())),
        target_date: v.date("target_date"),
        steps,
        progress,
        created_at: v.time_or_epoch("created_at"),
        updated_at: v.time_or_epoch("updated_at"),
        created_by: v.str("created_by").unwrap_or_default(),
        updated_by: v.str("updated_by").unwrap_or_default(),
    }
}

pub(crate) fn read_check_in(id: &Id, v: View<'_>) -> CheckIn {
    let scale = |key| {
        v.i64(key)
            .and_then(|n| u8::try_from(n).ok())
            .filter(|n| (1..=5).contains(n))
    };
    CheckIn {
        id: id.clone(),
        occurred_at: v.time_or_epoch("occurred_at"),
        mood: scale("mood").unwrap_or(3),
        energy: scale("energy"),
        tags: v.str_list("tags"),
        note: v.str("note"),
        created_at: v.time_or_epoch("created_at"),
        created_by: v.str("created_by").unwrap_or_default(),
    }
}

pub(crate) fn read_contact(id: &Id, v: View<'_>) -> Contact {
    Contact {
        id: id.clone(),
        name: v.str("name").unwrap_or_default(),
        share_space: v.str("share_space"),
        created_at: v.time_or_epoch("created_at"),
        updated_at: v.time_or_epoch("updated_at"),
        created_by: v.str("created_by").unwrap_or_default(),
    }
}

/// A shared range of check-in days; `None` if its dates do not read.
pub(crate) fn read_check_in_range(id: &Id, v: View<'_>) -> Option<(Id, Date, Date)> {
    Some((id.clone(), v.date("since")?, v.date("until")?))
}

pub(crate) fn read_note(id: &Id, v: View<'_>) -> ContactNote {
    let addenda = v
        .map_list("addenda")
        .into_iter()
        .map(|a| Addendum {
            id: id_or_blank(a.str("id")),
            at: a.time_or_epoch("at"),
            by: a.str("by").unwrap_or_default(),
            text: a.str("text").unwrap_or_default(),
        })
        .collect();
    let comments = v
        .map_list("comments")
        .into_iter()
        .map(|c| NoteComment {
            id: id_or_blank(c.str("id")),
            at: c.time_or_epoch("at"),
            by: c.str("by").unwrap_or_default(),
            by_key: c.str("by_key").unwrap_or_default(),
            text: c.str("text").unwrap_or_default(),
            verified: false,
            sig: c.str("sig").unwrap_or_default(),
        })
        .collect();
    ContactNote {
        id: id.clone(),
        contact_id: id_or_blank(v.str("contact_id")),
        contact_type: ContactType::from_stored(&v.str("type").unwrap_or_default()),
        setting: Setting::from_stored(&v.str("setting").unwrap_or_default()),
        start: v.time_or_epoch("start"),
        end: v.time_or_epoch("end"),
        goals_addressed: v.str_list("goals_addressed"),
        peer_activities: v.str_list("peer_activities"),
        narrative: v.str("narrative").unwrap_or_default(),
        own_words: v.str("own_words"),
        strengths: v.str("strengths"),
        next_steps: v.str("next_steps"),
        next_contact: v.date("next_contact"),
        status: NoteStatus::from_stored(&v.str("status").unwrap_or_else(|| "draft".into())),
        signed_at: v.time("signed_at"),
        signed_by: v.str("signed_by"),
        substance_use: v.bool("substance_use").unwrap_or(false),
        addenda,
        shared_in: None,
        signed_by_name: v.str("signed_by_name"),
        signature_ok: None,
        comments,
        reviewed_at: v.time("reviewed_at"),
        reviewed_by: None,
        review_of_current: None,
        substance_use_consent: v.str("substance_use_consent"),
        raw: NoteSeals {
            signer_key: v.str("signer_key"),
            signature: v.str("signature"),
            reviewer_key: v.str("reviewed_by_key"),
            review_sig: v.str("review_sig"),
            reviewed_hash: v.str("reviewed_hash"),
        },
        created_at: v.time_or_epoch("created_at"),
        updated_at: v.time_or_epoch("updated_at"),
        created_by: v.str("created_by").unwrap_or_default(),
        updated_by: v.str("updated_by").unwrap_or_default(),
    }
}
