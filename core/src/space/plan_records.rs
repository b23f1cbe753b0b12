//! How the plan, crisis lines, resources, contact preferences and planned
//! contacts sit in a document (see `records` for the older kinds).
//!
//! ```text
//! plan_items:       { <id>: { section, text, helps, .. } }        personal, and copies in shared
//! plan_sections:    { <section>: { section, .. } }                shared: what the person shares
//! plan_suggestions: { <id>: { section, item, text, helps, note, by_name, .. } }   shared
//! plan_answers:     { <suggestion id>: { answer, .. } }           shared
//! crisis_lines:     { <id>: { name, number, call, text, when, .. } }   personal
//! resources:        { <id>: { kind, name, reach, hours, address, notes, kept_from, .. } }
//! contact_prefs:    { ways: [..], best_times: ["mon,tue 10:00-14:00"], no_voicemail,
//!                     call_word, note, utc_offset, updated_at, updated_by }   shared
//! planned_contacts: { <id>: { contact_id, at, way, note, done_at, .. } }     caseload
//! ```
//! Readers never fail: a value they cannot read is absent, a record with
//! no usable text is skipped by the caller.

use automerge::hydrate;

use super::records::View;
use crate::ids::Id;
use crate::model::{
    ContactPrefs, ContactWay, CrisisLine, PlanItem, PlanSection, PlanSuggestion, PlannedContact,
    Resource, ResourceKind, SuggestionAnswer, TimeWindow,
};

pub(crate) fn read_plan_item(id: &Id, v: View<'_>) -> PlanItem {
    PlanItem {
        id: id.clone(),
        section: PlanSection::from_stored(&v.str("section").unwrap_or_default()),
        text: v.str("text").unwrap_or_default(),
        helps: v.str("helps"),
        created_at: v.time_or_epoch("created_at"),
        updated_at: v.time_or_epoch("updated_at"),
        created_by: v.str("created_by").unwrap_or_default(),
        updated_by: v.str("updated_by").unwrap_or_default(),
    }
}

pub(crate) fn read_suggestion(space: &str, id: &Id, v: View<'_>) -> PlanSuggestion {
    PlanSuggestion {
        id: id.clone(),
        space: space.to_owned(),
        section: PlanSection::from_stored(&v.str("section").unwrap_or_default()),
        item: v.str("item").and_then(|s| Id::parse(&s)),
        text: v.str("text").unwrap_or_default(),
        helps: v.str("helps"),
        note: v.str("note"),
        by_name: v.str("by_name").unwrap_or_default(),
        created_at: v.time_or_epoch("created_at"),
        created_by: v.str("created_by").unwrap_or_default(),
        answer: None,
        answered_at: None,
    }
}

/// An answer record: what the person said, and when.
pub(crate) fn read_answer(v: View<'_>) -> Option<(SuggestionAnswer, time::OffsetDateTime)> {
    Some((
        SuggestionAnswer::from_stored(&v.str("answer")?),
        v.time_or_epoch("created_at"),
    ))
}

pub(crate) fn read_crisis_line(id: &Id, v: View<'_>) -> CrisisLine {
    CrisisLine {
        id: Some(id.clone()),
        name: v.str("name").unwrap_or_default(),
        number: v.str("number").unwrap_or_default(),
        can_call: v.bool("call").unwrap_or(true),
        can_text: v.bool("text").unwrap_or(false),
        when_to_use: v.str("when"),
        from_defaults: v.bool("from_defaults").unwrap_or(false),
        created_at: v.time("created_at"),
    }
}

pub(crate) fn read_resource(space: &str, id: &Id, v: View<'_>, me: &str) -> Resource {
    let created_by = v.str("created_by").unwrap_or_default();
    Resource {
        id: id.clone(),
        space: space.to_owned(),
        kind: ResourceKind::from_stored(&v.str("kind").unwrap_or_else(|| "other".into())),
        name: v.str("name").unwrap_or_default(),
        reach: v.str("reach"),
        hours: v.str("hours"),
        address: v.str("address"),
        notes: v.str("notes"),
        kept_from: v.str("kept_from").and_then(|s| Id::parse(&s)),
        mine: created_by == me,
        created_at: v.time_or_epoch("created_at"),
        updated_at: v.time_or_epoch("updated_at"),
        created_by,
    }
}

/// The preferences map of a shared space (the collection map itself).
pub(crate) fn read_prefs(m: &hydrate::Map) -> ContactPrefs {
    let v = View(m);
    ContactPrefs {
        ways: v
            .str_list("ways")
            .iter()
            .map(|w| ContactWay::from_stored(w))
            .collect(),
        best_times: v
            .str_list("best_times")
            .iter()
            .filter_map(|w| TimeWindow::parse(w).ok())
            .collect(),
        no_voicemail: v.bool("no_voicemail").unwrap_or(false),
        call_word: v.str("call_word"),
        note: v.str("note"),
        utc_offset: v
            .i64("utc_offset")
            .and_then(|o| i32::try_from(o).ok())
            .filter(|o| o.abs() <= 18 * 3600)
            .unwrap_or(0),
        zone: v.str("zone"),
        updated_at: v.time("updated_at"),
    }
}

pub(crate) fn read_planned(id: &Id, v: View<'_>) -> Option<PlannedContact> {
    Some(PlannedContact {
        id: id.clone(),
        contact_id: Id::parse(&v.str("contact_id")?)?,
        at: v.time("at")?,
        way: ContactWay::from_stored(&v.str("way").unwrap_or_else(|| "call".into())),
        note: v.str("note"),
        done_at: v.time("done_at"),
        created_at: v.time_or_epoch("created_at"),
    })
}
