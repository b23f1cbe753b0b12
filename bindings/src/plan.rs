//! The person's plan, a worker's suggestions, crisis lines and resources
//! (issue 15) for the apps: thin conversions over `kindred_core`.

use kindred_core::model as m;

use crate::error::{FfiResult, KindredError};
use crate::kindred::Kindred;
use crate::records::id_of;

/// One entry of the plan.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PlanItemRecord {
    pub id: String,
    /// The section's stored word ("daily", "reasons", ...).
    pub section: String,
    pub text: String,
    pub helps: Option<String>,
    pub updated_at: String,
}

/// A worker's suggestion, and what the person said to it.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SuggestionRecord {
    pub id: String,
    pub space: String,
    pub section: String,
    /// The entry it would change; `None` for a new entry.
    pub item: Option<String>,
    pub text: String,
    pub helps: Option<String>,
    pub note: Option<String>,
    /// "you", or the name of who suggested it.
    pub by_name: String,
    pub created_at: String,
    /// "accepted", "declined", or `None` while it waits.
    pub answer: Option<String>,
}

/// Sections shared into one space.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PlanShareRecord {
    pub space: String,
    pub name: String,
    pub sections: Vec<String>,
}

/// The person's plan.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PlanRecord {
    pub items: Vec<PlanItemRecord>,
    /// Waiting for the person's answer.
    pub suggestions: Vec<SuggestionRecord>,
    pub shared: Vec<PlanShareRecord>,
}

/// A plan someone shared with this device.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SharedPlanRecord {
    pub space: String,
    pub name: String,
    pub sections: Vec<String>,
    pub items: Vec<PlanItemRecord>,
    pub suggestions: Vec<SuggestionRecord>,
}

/// A crisis line or person to call or text.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CrisisLineRecord {
    /// `None` for a regional default not yet kept.
    pub id: Option<String>,
    pub name: String,
    pub number: String,
    pub can_call: bool,
    pub can_text: bool,
    pub when_to_use: Option<String>,
    pub from_defaults: bool,
}

/// A line to add, or the new details of one.
#[derive(Debug, Clone, uniffi::Record)]
pub struct NewCrisisLine {
    pub name: String,
    pub number: String,
    pub can_call: bool,
    pub can_text: bool,
    pub when_to_use: Option<String>,
}

/// A resource.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ResourceRecord {
    pub id: String,
    pub space: String,
    /// service, group, food, housing, crisis_line or other.
    pub kind: String,
    pub name: String,
    pub reach: Option<String>,
    pub hours: Option<String>,
    pub address: Option<String>,
    pub notes: Option<String>,
    /// True for a copy the person kept in their own space.
    pub kept: bool,
    /// True if this device wrote it (it may delete it).
    pub mine: bool,
}

/// A resource to add.
#[derive(Debug, Clone, uniffi::Record)]
pub struct NewResource {
    pub kind: String,
    pub name: String,
    pub reach: Option<String>,
    pub hours: Option<String>,
    pub address: Option<String>,
    pub notes: Option<String>,
}

fn item_record(i: m::PlanItem) -> PlanItemRecord {
    PlanItemRecord {
        id: i.id.to_string(),
        section: i.section.as_str().to_owned(),
        text: i.text,
        helps: i.helps,
        updated_at: m::format_time(i.updated_at),
    }
}

fn suggestion_record(s: m::PlanSuggestion) -> SuggestionRecord {
    SuggestionRecord {
        id: s.id.to_string(),
        space: s.space,
        section: s.section.as_str().to_owned(),
        item: s.item.map(|i| i.to_string()),
        text: s.text,
        helps: s.helps,
        note: s.note,
        by_name: s.by_name,
        created_at: m::format_time(s.created_at),
        answer: s.answer.map(|a| a.as_str().to_owned()),
    }
}

fn sections(list: Vec<m::PlanSection>) -> Vec<String> {
    list.into_iter().map(|s| s.as_str().to_owned()).collect()
}

fn sections_of(words: &[String]) -> FfiResult<Vec<m::PlanSection>> {
    Ok(words
        .iter()
        .map(|w| m::PlanSection::parse(w))
        .collect::<kindred_core::Result<Vec<_>>>()?)
}

fn line_record(l: m::CrisisLine) -> CrisisLineRecord {
    CrisisLineRecord {
        id: l.id.map(|i| i.to_string()),
        name: l.name,
        number: l.number,
        can_call: l.can_call,
        can_text: l.can_text,
        when_to_use: l.when_to_use,
        from_defaults: l.from_defaults,
    }
}

fn core_line(l: NewCrisisLine) -> m::NewCrisisLine {
    m::NewCrisisLine {
        name: l.name,
        number: l.number,
        can_call: l.can_call,
        can_text: l.can_text,
        when_to_use: l.when_to_use,
    }
}

fn resource_record(r: m::Resource) -> ResourceRecord {
    ResourceRecord {
        id: r.id.to_string(),
        space: r.space,
        kind: r.kind.as_str().to_owned(),
        name: r.name,
        reach: r.reach,
        hours: r.hours,
        address: r.address,
        notes: r.notes,
        kept: r.kept_from.is_some(),
        mine: r.mine,
    }
}

/// The section names the apps show, in order, with their plan ("wellness"
/// or "safety") and whether entries there have a "what helps".
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PlanSectionInfo {
    pub section: String,
    pub part: String,
    pub has_helps: bool,
}

/// Every section of the plan, in order.
#[uniffi::export]
pub fn plan_sections() -> Vec<PlanSectionInfo> {
    m::PlanSection::all()
        .into_iter()
        .map(|s| PlanSectionInfo {
            section: s.as_str().to_owned(),
            part: match s.part() {
                m::PlanPart::Wellness => "wellness".into(),
                m::PlanPart::Safety => "safety".into(),
            },
            has_helps: s.has_helps(),
        })
        .collect()
}

#[uniffi::export]
impl Kindred {
    /// The person's plan, the suggestions waiting for them, and what they share.
    pub fn plan(&self) -> FfiResult<PlanRecord> {
        self.with(|k| {
            let p = k.plan()?;
            Ok(PlanRecord {
                items: p.items.into_iter().map(item_record).collect(),
                suggestions: p.suggestions.into_iter().map(suggestion_record).collect(),
                shared: p
                    .shared
                    .into_iter()
                    .map(|s| PlanShareRecord {
                        space: s.space,
                        name: s.name,
                        sections: sections(s.sections),
                    })
                    .collect(),
            })
        })
    }

    /// The plan as plain text to print or save.
    pub fn plan_text(&self) -> FfiResult<String> {
        self.with(|k| Ok(k.plan_text()?))
    }

    /// Adds an entry; returns its id.
    pub fn add_plan_item(
        &self,
        section: String,
        text: String,
        helps: Option<String>,
    ) -> FfiResult<String> {
        self.write(|k| {
            let item = m::NewPlanItem {
                section: m::PlanSection::parse(&section)?,
                text,
                helps,
            };
            Ok(k.add_plan_item(&item)?.to_string())
        })
    }

    /// Changes an entry's words.
    pub fn update_plan_item(
        &self,
        id: String,
        text: String,
        helps: Option<String>,
    ) -> FfiResult<()> {
        self.write(|k| Ok(k.update_plan_item(&id_of(&id)?, &text, helps.as_deref())?))
    }

    /// Removes an entry (and its shared copies).
    pub fn delete_plan_item(&self, id: String) -> FfiResult<()> {
        self.write(|k| Ok(k.delete_plan_item(&id_of(&id)?)?))
    }

    /// Shares sections (all if empty) with a share; returns how many entries went.
    pub fn share_plan(&self, space: String, sections: Vec<String>) -> FfiResult<u32> {
        self.write(|k| Ok(k.share_plan(&space, &sections_of(&sections)?)? as u32))
    }

    /// Stops sharing sections (all if empty); returns how many entries left.
    pub fn unshare_plan(&self, space: String, sections: Vec<String>) -> FfiResult<u32> {
        self.write(|k| Ok(k.unshare_plan(&space, &sections_of(&sections)?)? as u32))
    }

    /// Plans others shared with this device.
    pub fn shared_plans(&self) -> FfiResult<Vec<SharedPlanRecord>> {
        self.with(|k| {
            Ok(k.shared_plans()?
                .into_iter()
                .map(|p| SharedPlanRecord {
                    space: p.space,
                    name: p.name,
                    sections: sections(p.sections),
                    items: p.items.into_iter().map(item_record).collect(),
                    suggestions: p.suggestions.into_iter().map(suggestion_record).collect(),
                })
                .collect())
        })
    }

    /// Suggests an entry (or new words for `item`) in a shared plan.
    pub fn suggest_plan(
        &self,
        space: String,
        section: String,
        item: Option<String>,
        text: String,
        helps: Option<String>,
        note: Option<String>,
    ) -> FfiResult<String> {
        self.write(|k| {
            let s = m::NewSuggestion {
                section: m::PlanSection::parse(&section)?,
                item: item.as_deref().map(id_of).transpose()?,
                text,
                helps,
                note,
            };
            Ok(k.suggest_plan(&space, &s)?.to_string())
        })
    }

    /// Takes (`accept`) or leaves a suggestion.
    pub fn answer_suggestion(&self, id: String, accept: bool) -> FfiResult<()> {
        let answer = if accept {
            m::SuggestionAnswer::Accepted
        } else {
            m::SuggestionAnswer::Declined
        };
        self.write(|k| Ok(k.answer_suggestion(&id_of(&id)?, &answer)?))
    }

    /// The crisis lines "Need help now" shows (the region's when none are kept).
    pub fn crisis_lines(&self, region: String) -> FfiResult<Vec<CrisisLineRecord>> {
        region_ok(&region)?;
        self.with(|k| {
            Ok(k.crisis_lines(&region)?
                .into_iter()
                .map(line_record)
                .collect())
        })
    }

    /// Adds a line; returns its id.
    pub fn add_crisis_line(&self, region: String, line: NewCrisisLine) -> FfiResult<String> {
        region_ok(&region)?;
        self.write(|k| Ok(k.add_crisis_line(&region, &core_line(line))?.to_string()))
    }

    /// Keeps the region's defaults as her own (when she keeps none yet),
    /// so one can be changed or removed; returns her list.
    pub fn keep_default_crisis_lines(&self, region: String) -> FfiResult<Vec<CrisisLineRecord>> {
        region_ok(&region)?;
        self.write(|k| {
            Ok(k.keep_default_crisis_lines(&region)?
                .into_iter()
                .map(line_record)
                .collect())
        })
    }

    /// Changes a kept line.
    pub fn update_crisis_line(&self, id: String, line: NewCrisisLine) -> FfiResult<()> {
        self.write(|k| Ok(k.update_crisis_line(&id_of(&id)?, &core_line(line))?))
    }

    /// Removes a kept line.
    pub fn remove_crisis_line(&self, id: String) -> FfiResult<()> {
        self.write(|k| Ok(k.remove_crisis_line(&id_of(&id)?)?))
    }

    /// Every resource here (shared and kept), newest first.
    pub fn resources(&self) -> FfiResult<Vec<ResourceRecord>> {
        self.with(|k| Ok(k.resources()?.into_iter().map(resource_record).collect()))
    }

    /// Adds a resource to a share, or to the person's own space (`None`).
    pub fn add_resource(&self, space: Option<String>, resource: NewResource) -> FfiResult<String> {
        self.write(|k| {
            let r = m::NewResource {
                kind: m::ResourceKind::parse(&resource.kind)?,
                name: resource.name,
                reach: resource.reach,
                hours: resource.hours,
                address: resource.address,
                notes: resource.notes,
            };
            Ok(k.add_resource(space.as_deref(), &r)?.to_string())
        })
    }

    /// Keeps a copy of a shared resource in the person's own space.
    pub fn keep_resource(&self, id: String) -> FfiResult<String> {
        self.write(|k| Ok(k.keep_resource(&id_of(&id)?)?.to_string()))
    }

    /// Removes a resource this device wrote, or a kept copy.
    pub fn delete_resource(&self, id: String) -> FfiResult<()> {
        self.write(|k| Ok(k.delete_resource(&id_of(&id)?)?))
    }
}

/// A region code must be two letters (or empty for "anywhere").
pub(crate) fn region_ok(region: &str) -> FfiResult<()> {
    if region.is_empty() || (region.len() == 2 && region.chars().all(|c| c.is_ascii_alphabetic())) {
        Ok(())
    } else {
        Err(KindredError::InvalidInput {
            message: "a region is two letters, like US or GB".into(),
        })
    }
}
