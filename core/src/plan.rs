//! The person's wellness and safety plan: writing it, sharing parts of it,
//! and a worker's suggestions.
//!
//! The plan lives in the personal space. Sharing a section with a worker
//! puts a copy of its entries in the space they share, and every later
//! edit of the person's goes to that copy too; only the person's devices
//! write the copy (every device refuses anyone else's change to it, see
//! `space::guard`). A worker suggests instead: a suggestion is a record of
//! its own in the shared space, shown beside the plan until the person
//! takes it (their devices write it into the plan, as their own words) or
//! leaves it. The answer is the person's too, in a collection only they
//! write, so a worker cannot mark their own suggestion taken.
//!
//! Taking a suggestion writes the plan first, then the answer; a new entry
//! taken from a suggestion keeps the suggestion's id, so answering again
//! after an interruption never adds it twice.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::ids::Id;
use crate::kindred::Kindred;
use crate::model::{
    NewPlanItem, NewSuggestion, PlanItem, PlanPart, PlanSection, PlanSuggestion, RecordKind,
    SuggestionAnswer,
};
use crate::space::SpaceKind;
use crate::space::fields::{put_opt_str, put_str};
use crate::space::plan_records::{read_answer, read_plan_item, read_suggestion};
use crate::space::records::{ANSWERS, PLAN_ITEMS, PLAN_SECTIONS, SUGGESTIONS, View};

/// The plan as its person sees it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Plan {
    /// Every entry, by section then oldest first.
    pub items: Vec<PlanItem>,
    /// Suggestions waiting for an answer, from every share.
    pub suggestions: Vec<PlanSuggestion>,
    /// Which sections each share holds.
    pub shared: Vec<PlanShare>,
}

/// Sections of the plan shared into one space.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlanShare {
    pub space: String,
    /// Who it is shared with, by name.
    pub name: String,
    pub sections: Vec<PlanSection>,
}

/// A plan someone shared with this device (a worker's view).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SharedPlan {
    pub space: String,
    /// Whose plan it is, by name.
    pub name: String,
    pub sections: Vec<PlanSection>,
    pub items: Vec<PlanItem>,
    /// Every suggestion made in the share, answered or not.
    pub suggestions: Vec<PlanSuggestion>,
}

fn sort_items(items: &mut [PlanItem]) {
    items.sort_by(|a, b| {
        (a.section.order(), a.created_at, &a.id).cmp(&(b.section.order(), b.created_at, &b.id))
    });
}

fn not_found(kind: RecordKind, id: &Id) -> Error {
    Error::NotFound {
        kind,
        id: id.to_string(),
    }
}

impl Kindred {
    /// True if this device is one of the devices of the person whose
    /// shared space this is.
    pub(crate) fn is_person_of(&mut self, space: &str) -> Result<bool> {
        let me = self.keys.device_key();
        Ok(self
            .membership_of(space)?
            .is_some_and(|m| m.person.contains(&me)))
    }

    /// The shared spaces that have their document, with whether this
    /// device is the person's and the share's name.
    fn plan_shares(&mut self) -> Result<Vec<(String, bool, String)>> {
        let ready = self.ready_spaces(&[SpaceKind::Shared])?;
        let mut out = Vec::new();
        for share in self.shares()? {
            if share.ended || !ready.contains(&share.space) {
                continue;
            }
            let person = self.is_person_of(&share.space)?;
            // "with Sam" names the share; the plan shows "Sam".
            let name = share
                .name
                .strip_prefix("with ")
                .map(str::to_owned)
                .unwrap_or(share.name);
            out.push((share.space, person, name));
        }
        Ok(out)
    }

    fn items_in(&mut self, space: &str) -> Result<Vec<PlanItem>> {
        let mut items: Vec<PlanItem> = self
            .space_by_id(space)?
            .unindexed_records(PLAN_ITEMS)
            .iter()
            .map(|(id, m)| read_plan_item(id, View(m)))
            .filter(|i| !i.text.is_empty())
            .collect();
        sort_items(&mut items);
        Ok(items)
    }

    fn sections_in(&mut self, space: &str) -> Result<Vec<PlanSection>> {
        let mut sections: Vec<PlanSection> = self
            .space_by_id(space)?
            .unindexed_records(PLAN_SECTIONS)
            .iter()
            .map(|(id, _)| PlanSection::from_stored(id.as_str()))
            .collect();
        sections.sort_by_key(PlanSection::order);
        Ok(sections)
    }

    fn suggestions_in(&mut self, space: &str, name: &str) -> Result<Vec<PlanSuggestion>> {
        let me = self.device.id.clone();
        let sp = self.space_by_id(space)?;
        let answers: std::collections::HashMap<Id, _> = sp
            .unindexed_records(ANSWERS)
            .iter()
            .filter_map(|(id, m)| Some((id.clone(), read_answer(View(m))?)))
            .collect();
        let mut out: Vec<PlanSuggestion> = sp
            .unindexed_records(SUGGESTIONS)
            .iter()
            .map(|(id, m)| {
                let mut s = read_suggestion(space, id, View(m));
                s.by_name = if s.created_by == me {
                    "you".to_owned()
                } else {
                    name.to_owned()
                };
                if let Some((a, at)) = answers.get(id) {
                    s.answer = Some(a.clone());
                    s.answered_at = Some(*at);
                }
                s
            })
            .filter(|s| !s.text.is_empty())
            .collect();
        out.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        Ok(out)
    }

    /// The person's plan: every entry, the suggestions waiting for them,
    /// and what each share holds.
    pub fn plan(&mut self) -> Result<Plan> {
        let personal = self.space_id(&SpaceKind::Personal)?;
        let items = self.items_in(&personal)?;
        let mut suggestions = Vec::new();
        let mut shared = Vec::new();
        for (space, person, name) in self.plan_shares()? {
            if !person {
                continue;
            }
            let sections = self.sections_in(&space)?;
            suggestions.extend(
                self.suggestions_in(&space, &name)?
                    .into_iter()
                    .filter(|s| s.answer.is_none()),
            );
            if !sections.is_empty() {
                shared.push(PlanShare {
                    space,
                    name,
                    sections,
                });
            }
        }
        Ok(Plan {
            items,
            suggestions,
            shared,
        })
    }

    /// Every suggestion in every share this device holds, answered or
    /// not (to find one by id).
    pub(crate) fn all_suggestions(&mut self) -> Result<Vec<PlanSuggestion>> {
        let mut out = Vec::new();
        for (space, _, name) in self.plan_shares()? {
            out.extend(self.suggestions_in(&space, &name)?);
        }
        Ok(out)
    }

    /// Plans other people shared with this device.
    pub fn shared_plans(&mut self) -> Result<Vec<SharedPlan>> {
        let mut out = Vec::new();
        for (space, person, name) in self.plan_shares()? {
            if person {
                continue;
            }
            let sections = self.sections_in(&space)?;
            if sections.is_empty() {
                continue;
            }
            let items = self
                .items_in(&space)?
                .into_iter()
                .filter(|i| sections.contains(&i.section))
                .collect();
            let suggestions = self.suggestions_in(&space, &name)?;
            out.push(SharedPlan {
                space,
                name,
                sections,
                items,
                suggestions,
            });
        }
        Ok(out)
    }

    /// The shares (where this device is the person's) that hold `section`.
    fn spaces_sharing(&mut self, section: &PlanSection) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for (space, person, _) in self.plan_shares()? {
            if person && self.sections_in(&space)?.contains(section) {
                out.push(space);
            }
        }
        Ok(out)
    }

    /// Brings the copies of one entry in every share of its section in
    /// step with the personal one (or removes them, once it is gone).
    fn mirror_item(&mut self, id: &Id, section: &PlanSection) -> Result<()> {
        let personal = self.space_id(&SpaceKind::Personal)?;
        let value = self.space_by_id(&personal)?.record_value(PLAN_ITEMS, id);
        for space in self.spaces_sharing(section)? {
            let has = self
                .space_by_id(&space)?
                .record_value(PLAN_ITEMS, id)
                .is_some();
            match &value {
                Some(v) => self.edit_in(&space, |_, e| e.refresh_record(PLAN_ITEMS, id, v, &[]))?,
                None if has => self.edit_in(&space, |_, e| e.delete(PLAN_ITEMS, id))?,
                None => {}
            }
        }
        Ok(())
    }

    /// Adds an entry to the plan; returns its id.
    pub fn add_plan_item(&mut self, item: &NewPlanItem) -> Result<Id> {
        let item = item.validate()?;
        let id = Id::random()?;
        self.write_plan_item(&id, &item, true)?;
        Ok(id)
    }

    fn write_plan_item(&mut self, id: &Id, item: &NewPlanItem, create: bool) -> Result<()> {
        self.edit(&SpaceKind::Personal, |_, e| {
            let obj = if create {
                let obj = e.create_with_id(PLAN_ITEMS, id)?;
                put_str(e.tx, &obj, "section", item.section.as_str())?;
                obj
            } else {
                e.update(PLAN_ITEMS, id)?
            };
            put_str(e.tx, &obj, "text", &item.text)?;
            put_opt_str(e.tx, &obj, "helps", item.helps.as_deref())?;
            Ok(())
        })?;
        self.mirror_item(id, &item.section)
    }

    fn own_item(&mut self, id: &Id) -> Result<PlanItem> {
        let personal = self.space_id(&SpaceKind::Personal)?;
        let sp = self.space_by_id(&personal)?;
        sp.record_value(PLAN_ITEMS, id)
            .and_then(|v| match v {
                automerge::hydrate::Value::Map(m) => Some(read_plan_item(id, View(&m))),
                _ => None,
            })
            .ok_or_else(|| not_found(RecordKind::PlanItem, id))
    }

    /// Changes an entry's words (its section stays).
    pub fn update_plan_item(&mut self, id: &Id, text: &str, helps: Option<&str>) -> Result<()> {
        let current = self.own_item(id)?;
        let item = NewPlanItem {
            section: current.section,
            text: text.to_owned(),
            helps: helps.map(str::to_owned),
        }
        .validate_words()?;
        self.write_plan_item(id, &item, false)
    }

    /// Removes an entry from the plan and from every share of it.
    pub fn delete_plan_item(&mut self, id: &Id) -> Result<()> {
        let current = self.own_item(id)?;
        self.edit(&SpaceKind::Personal, |_, e| e.delete(PLAN_ITEMS, id))?;
        self.mirror_item(id, &current.section)
    }

    /// Shares sections of the plan (all of them if `sections` is empty)
    /// into a space this person shares; returns how many entries went.
    pub fn share_plan(&mut self, space: &str, sections: &[PlanSection]) -> Result<usize> {
        let sections = self.chosen_sections(space, sections)?;
        let personal = self.space_id(&SpaceKind::Personal)?;
        let items: Vec<PlanItem> = self
            .items_in(&personal)?
            .into_iter()
            .filter(|i| sections.contains(&i.section))
            .collect();
        let values: Vec<(Id, automerge::hydrate::Value)> = {
            let sp = self.space_by_id(&personal)?;
            items
                .iter()
                .filter_map(|i| Some((i.id.clone(), sp.record_value(PLAN_ITEMS, &i.id)?)))
                .collect()
        };
        let already = self.sections_in(space)?;
        self.edit_in(space, |_, e| {
            for s in &sections {
                if !already.contains(s) {
                    let id = Id::parse(s.as_str()).ok_or(Error::Document)?;
                    let obj = e.create_with_id(PLAN_SECTIONS, &id)?;
                    put_str(e.tx, &obj, "section", s.as_str())?;
                }
            }
            for (id, v) in &values {
                e.refresh_record(PLAN_ITEMS, id, v, &[])?;
            }
            Ok(())
        })?;
        Ok(values.len())
    }

    /// Stops sharing sections (all if empty): their copies leave the
    /// share (what the other person already saw stays in the share's
    /// history until it is deleted forever). Returns how many entries went.
    pub fn unshare_plan(&mut self, space: &str, sections: &[PlanSection]) -> Result<usize> {
        let sections = self.chosen_sections(space, sections)?;
        let shared = self.sections_in(space)?;
        let copies: Vec<Id> = self
            .items_in(space)?
            .into_iter()
            .filter(|i| sections.contains(&i.section))
            .map(|i| i.id)
            .collect();
        self.edit_in(space, |_, e| {
            for s in sections.iter().filter(|s| shared.contains(s)) {
                e.delete(
                    PLAN_SECTIONS,
                    &Id::parse(s.as_str()).ok_or(Error::Document)?,
                )?;
            }
            for id in &copies {
                e.delete(PLAN_ITEMS, id)?;
            }
            Ok(())
        })?;
        Ok(copies.len())
    }

    /// The sections named (or all), checked: the space is a share this
    /// device is the person's in.
    fn chosen_sections(
        &mut self,
        space: &str,
        sections: &[PlanSection],
    ) -> Result<Vec<PlanSection>> {
        for s in sections {
            if let PlanSection::Unknown(_) = s {
                PlanSection::parse(s.as_str())?;
            }
        }
        if !self.plan_shares()?.iter().any(|(sp, _, _)| sp == space) {
            return Err(not_found(
                RecordKind::Space,
                &Id::parse(space).ok_or(Error::Document)?,
            ));
        }
        if !self.is_person_of(space)? {
            return Err(Error::PersonOnly);
        }
        Ok(if sections.is_empty() {
            PlanSection::all()
        } else {
            sections.to_vec()
        })
    }

    /// Suggests an entry, or new words for one, in a plan someone shared
    /// with this device; returns the suggestion's id.
    pub fn suggest_plan(&mut self, space: &str, suggestion: &NewSuggestion) -> Result<Id> {
        let s = suggestion.validate()?;
        let shares = self.plan_shares()?;
        let Some((_, person, _)) = shares.iter().find(|(sp, _, _)| sp == space) else {
            return Err(Error::PlanNotShared);
        };
        if *person {
            // Her own plan: she writes it.
            return Err(Error::PersonOnly);
        }
        if !self.sections_in(space)?.contains(&s.section) {
            return Err(Error::PlanNotShared);
        }
        if let Some(item) = &s.item
            && !self
                .items_in(space)?
                .iter()
                .any(|i| &i.id == item && i.section == s.section)
        {
            return Err(not_found(RecordKind::PlanItem, item));
        }
        self.edit_in(space, |_, e| {
            let (id, obj) = e.create(SUGGESTIONS)?;
            put_str(e.tx, &obj, "section", s.section.as_str())?;
            put_opt_str(e.tx, &obj, "item", s.item.as_ref().map(Id::as_str))?;
            put_str(e.tx, &obj, "text", &s.text)?;
            put_opt_str(e.tx, &obj, "helps", s.helps.as_deref())?;
            put_opt_str(e.tx, &obj, "note", s.note.as_deref())?;
            Ok(id)
        })
    }

    /// Takes or leaves a suggestion. Taking writes it into the plan as
    /// the person's own words; both are told to the worker by the answer.
    pub fn answer_suggestion(&mut self, id: &Id, answer: &SuggestionAnswer) -> Result<()> {
        if let SuggestionAnswer::Unknown(_) = answer {
            SuggestionAnswer::parse(answer.as_str())?;
        }
        let mut found = None;
        for (space, person, name) in self.plan_shares()? {
            if let Some(s) = self
                .suggestions_in(&space, &name)?
                .into_iter()
                .find(|s| &s.id == id)
            {
                found = Some((space, person, s));
                break;
            }
        }
        let Some((space, person, s)) = found else {
            return Err(not_found(RecordKind::Suggestion, id));
        };
        if !person {
            return Err(Error::PersonOnly);
        }
        if let Some(given) = &s.answer {
            return if given == answer {
                Ok(())
            } else {
                Err(Error::AlreadyAnswered)
            };
        }
        let mut applied = None;
        if *answer == SuggestionAnswer::Accepted {
            let entry = NewPlanItem {
                section: s.section.clone(),
                text: s.text.clone(),
                helps: s.helps.clone(),
            }
            .validate()?;
            let existing = s.item.as_ref().and_then(|i| self.own_item(i).ok());
            match existing {
                Some(item) => {
                    let entry = NewPlanItem {
                        section: item.section.clone(),
                        ..entry
                    };
                    self.write_plan_item(&item.id, &entry, false)?;
                    applied = Some(item.id);
                }
                None => {
                    // The suggestion's id: answering twice never adds twice.
                    let create = self.own_item(&s.id).is_err();
                    self.write_plan_item(&s.id, &entry, create)?;
                    applied = Some(s.id.clone());
                }
            }
        }
        self.edit_in(&space, |_, e| {
            let obj = e.create_with_id(ANSWERS, id)?;
            put_str(e.tx, &obj, "answer", answer.as_str())?;
            put_opt_str(e.tx, &obj, "item", applied.as_ref().map(Id::as_str))?;
            Ok(())
        })
    }

    /// The plan as plain text to print or save: both plans, every section
    /// in order, with "what helps" beside each entry that has it.
    pub fn plan_text(&mut self) -> Result<String> {
        let plan = self.plan()?;
        let mut out = String::new();
        for (part, heading) in [
            (PlanPart::Wellness, "My wellness plan"),
            (PlanPart::Safety, "My safety plan"),
        ] {
            out.push_str(heading);
            out.push_str("\n\n");
            let mut sections: Vec<PlanSection> = PlanSection::all()
                .into_iter()
                .filter(|s| s.part() == part)
                .collect();
            if part == PlanPart::Wellness {
                // Sections from a newer version: shown, not lost.
                for i in &plan.items {
                    if matches!(i.section, PlanSection::Unknown(_))
                        && !sections.contains(&i.section)
                    {
                        sections.push(i.section.clone());
                    }
                }
            }
            for section in sections {
                out.push_str(section.title());
                out.push('\n');
                let mut any = false;
                for item in plan.items.iter().filter(|i| i.section == section) {
                    any = true;
                    out.push_str("  - ");
                    out.push_str(&item.text);
                    if let Some(h) = &item.helps {
                        out.push_str("\n    What helps: ");
                        out.push_str(h);
                    }
                    out.push('\n');
                }
                if !any {
                    out.push_str("  (nothing written yet)\n");
                }
                out.push('\n');
            }
        }
        Ok(out)
    }
}

#[cfg(any(test, feature = "test-hooks"))]
impl Kindred {
    /// For attack tests only: writes `value` into `field` of a record of
    /// a person-only collection in `space` (or of the collection's map
    /// itself when `record` is `None`), as a modified client with write
    /// access to the document could, with no checks at all.
    #[doc(hidden)]
    pub fn attack_write_person_only(
        &mut self,
        space: &str,
        collection: &str,
        record: Option<&Id>,
        field: &str,
        value: &str,
    ) -> Result<()> {
        let collection = crate::space::records::PERSON_ONLY
            .into_iter()
            .find(|c| *c == collection)
            .ok_or(Error::Document)?;
        self.edit_in(space, |_, e| {
            let obj = match record {
                None => e.collection_obj(collection)?,
                Some(id) => {
                    let coll = e.collection_obj(collection)?;
                    match crate::space::fields::get_obj(
                        e.tx,
                        &coll,
                        id.as_str(),
                        automerge::ObjType::Map,
                    ) {
                        Some(o) => o,
                        None => e.create_with_id(collection, id)?,
                    }
                }
            };
            put_str(e.tx, &obj, field, value)?;
            Ok(())
        })
    }
}
