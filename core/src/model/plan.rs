//! The person's own plan for staying well, and for staying safe.
//!
//! Two plans in one: "My wellness plan", in the way of wellness recovery
//! action planning (what I'm like when I'm well, what I do each day, what
//! sets me off, the early signs, when things are breaking down, what my
//! supporters do in a crisis, and after it), and "My safety plan", in the
//! seven steps of the Stanley-Brown safety plan. Each section is a list of
//! short entries in the person's own words; some kinds of entry have a
//! second part ("what helps"). A list, not one long text, because that is
//! how people write these plans on paper, because two of the person's
//! devices adding entries at once must keep both, and because a worker's
//! suggestion is then one entry the person can take or leave.
//!
//! The plan is the person's alone: it lives in their personal space, and
//! what they share is a copy only their devices write. A worker can only
//! suggest (see [`PlanSuggestion`]).

use serde::Serialize;
use time::OffsetDateTime;

use super::{check_optional_text, check_text, limits, stored_enum};
use crate::{Id, Result};

stored_enum!(
    /// A section of the plan. The first eleven make "My wellness plan",
    /// the last seven "My safety plan" (Stanley-Brown's steps, in order).
    PlanSection, "plan section" {
        /// What I'm like when I'm well.
        WhenWell => "when_well",
        /// What I do every day to stay well.
        Daily => "daily",
        /// What can set me off, and what helps.
        Triggers => "triggers",
        /// Early signs that I'm not doing well, and what helps.
        EarlySigns => "early_signs",
        /// When things are breaking down, and what helps.
        BreakingDown => "breaking_down",
        /// In a crisis: who my supporters are and how to reach them.
        CrisisSupporters => "crisis_supporters",
        /// In a crisis: what helps me.
        CrisisHelps => "crisis_helps",
        /// In a crisis: what does not help.
        CrisisAvoid => "crisis_avoid",
        /// In a crisis: my preferences (treatment, places, care).
        CrisisPreferences => "crisis_preferences",
        /// In a crisis: who can do what for me (children, pets, bills).
        CrisisTasks => "crisis_tasks",
        /// After a crisis: what helps me recover.
        AfterCrisis => "after_crisis",
        /// Safety plan 1: my warning signs.
        WarningSigns => "warning_signs",
        /// Safety plan 2: things I can do on my own.
        OnMyOwn => "on_my_own",
        /// Safety plan 3: people and places that take my mind off things.
        Distractions => "distractions",
        /// Safety plan 4: people I can ask for help.
        AskForHelp => "ask_for_help",
        /// Safety plan 5: professionals and crisis lines.
        Professionals => "professionals",
        /// Safety plan 6: making my surroundings safer.
        SaferSurroundings => "safer_surroundings",
        /// Safety plan 7: my reasons for living.
        Reasons => "reasons",
    }
);

/// Which of the two plans a section belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanPart {
    Wellness,
    Safety,
}

impl PlanSection {
    /// Every known section, in the order the plan shows them.
    pub fn all() -> Vec<PlanSection> {
        Self::KNOWN.iter().map(|s| Self::from_stored(s)).collect()
    }

    /// Which plan the section belongs to (unknown sections, from a newer
    /// version, show with the wellness plan).
    pub fn part(&self) -> PlanPart {
        match self {
            PlanSection::WarningSigns
            | PlanSection::OnMyOwn
            | PlanSection::Distractions
            | PlanSection::AskForHelp
            | PlanSection::Professionals
            | PlanSection::SaferSurroundings
            | PlanSection::Reasons => PlanPart::Safety,
            _ => PlanPart::Wellness,
        }
    }

    /// True for the sections whose entries have a second part: "what
    /// helps" beside a trigger, an early sign or a breaking-down sign.
    pub fn has_helps(&self) -> bool {
        matches!(
            self,
            PlanSection::Triggers | PlanSection::EarlySigns | PlanSection::BreakingDown
        )
    }

    /// The section's heading in English (the CLI and printouts; the apps
    /// have their own words for each).
    pub fn title(&self) -> &'static str {
        match self {
            PlanSection::WhenWell => "What I'm like when I'm well",
            PlanSection::Daily => "What I do every day to stay well",
            PlanSection::Triggers => "Things that can set me off, and what helps",
            PlanSection::EarlySigns => "Early signs I'm not doing well, and what helps",
            PlanSection::BreakingDown => "When things are breaking down, and what helps",
            PlanSection::CrisisSupporters => "In a crisis: my supporters and how to reach them",
            PlanSection::CrisisHelps => "In a crisis: what helps me",
            PlanSection::CrisisAvoid => "In a crisis: what doesn't help",
            PlanSection::CrisisPreferences => "In a crisis: my preferences",
            PlanSection::CrisisTasks => "In a crisis: who can do what for me",
            PlanSection::AfterCrisis => "After a crisis: what helps me recover",
            PlanSection::WarningSigns => "My warning signs",
            PlanSection::OnMyOwn => "Things I can do on my own",
            PlanSection::Distractions => "People and places that take my mind off things",
            PlanSection::AskForHelp => "People I can ask for help",
            PlanSection::Professionals => "Professionals and crisis lines",
            PlanSection::SaferSurroundings => "Making my surroundings safer",
            PlanSection::Reasons => "My reasons for living",
            PlanSection::Unknown(_) => "More of my plan",
        }
    }

    /// The place of the section in the plan (unknown ones last).
    pub fn order(&self) -> usize {
        Self::KNOWN
            .iter()
            .position(|s| *s == self.as_str())
            .unwrap_or(Self::KNOWN.len())
    }
}

/// One entry of the plan, in the person's own words.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlanItem {
    pub id: Id,
    pub section: PlanSection,
    pub text: String,
    /// "What helps", for the sections that have it.
    pub helps: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    pub created_by: String,
    pub updated_by: String,
}

/// An entry about to be added, or the new words of one.
#[derive(Clone, Debug)]
pub struct NewPlanItem {
    pub section: PlanSection,
    pub text: String,
    pub helps: Option<String>,
}

impl NewPlanItem {
    /// Checks every rule; returns the cleaned-up entry. A "what helps" on
    /// a section without one is refused rather than silently dropped.
    pub fn validate(&self) -> Result<NewPlanItem> {
        if let PlanSection::Unknown(_) = self.section {
            PlanSection::parse(self.section.as_str())?;
        }
        self.validate_words()
    }

    /// Checks the words only (new words for an entry, which keeps its
    /// section even if this version does not know it; such a section may
    /// have a "what helps").
    pub fn validate_words(&self) -> Result<NewPlanItem> {
        let helps = check_optional_text("what helps", self.helps.as_deref(), limits::MEDIUM)?;
        let known = !matches!(self.section, PlanSection::Unknown(_));
        if helps.is_some() && known && !self.section.has_helps() {
            return Err(crate::Error::NoHelpsHere);
        }
        Ok(NewPlanItem {
            section: self.section.clone(),
            text: check_text("plan entry", &self.text, limits::MEDIUM)?,
            helps,
        })
    }
}

stored_enum!(
    /// What the person said to a worker's suggestion.
    SuggestionAnswer, "answer" {
        Accepted => "accepted",
        Declined => "declined",
    }
);

/// A worker's suggestion for the person's plan: a new entry, or new words
/// for one already there. It is shown beside the plan until the person
/// takes it or leaves it; nothing is applied without them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlanSuggestion {
    pub id: Id,
    /// The shared space it was made in.
    pub space: String,
    pub section: PlanSection,
    /// The entry it would change; `None` for a new entry.
    pub item: Option<Id>,
    pub text: String,
    pub helps: Option<String>,
    /// Why, in the worker's words (optional).
    pub note: Option<String>,
    /// Who suggested it, by name.
    pub by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub created_by: String,
    /// `None` while it waits for the person.
    pub answer: Option<SuggestionAnswer>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub answered_at: Option<OffsetDateTime>,
}

/// A suggestion about to be made.
#[derive(Clone, Debug)]
pub struct NewSuggestion {
    pub section: PlanSection,
    pub item: Option<Id>,
    pub text: String,
    pub helps: Option<String>,
    pub note: Option<String>,
}

impl NewSuggestion {
    /// Checks every rule; returns the cleaned-up suggestion.
    pub fn validate(&self) -> Result<NewSuggestion> {
        let entry = NewPlanItem {
            section: self.section.clone(),
            text: self.text.clone(),
            helps: self.helps.clone(),
        }
        .validate()?;
        Ok(NewSuggestion {
            section: entry.section,
            item: self.item.clone(),
            text: entry.text,
            helps: entry.helps,
            note: check_optional_text("why", self.note.as_deref(), limits::MEDIUM)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn sections_keep_their_order_and_parts() {
        let all = PlanSection::all();
        assert_eq!(all.len(), 18);
        assert_eq!(all[0], PlanSection::WhenWell);
        assert_eq!(
            all.iter().filter(|s| s.part() == PlanPart::Safety).count(),
            7
        );
        assert_eq!(PlanSection::Reasons.order(), 17);
        assert_eq!(PlanSection::from_stored("later_section").order(), 18);
        assert_eq!(
            PlanSection::parse("early signs").unwrap(),
            PlanSection::EarlySigns
        );
        assert!(PlanSection::parse("diary").is_err());
    }

    #[test]
    fn an_entry_is_checked_before_it_is_written() {
        let ok = NewPlanItem {
            section: PlanSection::Triggers,
            text: "  loud rooms ".into(),
            helps: Some("step outside".into()),
        }
        .validate()
        .unwrap();
        assert_eq!(ok.text, "loud rooms");
        let empty = NewPlanItem {
            section: PlanSection::Daily,
            text: " ".into(),
            helps: None,
        };
        assert!(matches!(empty.validate(), Err(Error::Empty { .. })));
        let helps_where_none = NewPlanItem {
            section: PlanSection::Reasons,
            text: "my niece".into(),
            helps: Some("x".into()),
        };
        assert!(matches!(
            helps_where_none.validate(),
            Err(Error::NoHelpsHere)
        ));
        let unknown = NewPlanItem {
            section: PlanSection::from_stored("later_section"),
            text: "x".into(),
            helps: None,
        };
        assert!(unknown.validate().is_err());
        let long = NewSuggestion {
            section: PlanSection::Daily,
            item: None,
            text: "walk".into(),
            helps: None,
            note: Some("x".repeat(limits::MEDIUM + 1)),
        };
        assert!(matches!(long.validate(), Err(Error::TooLong { .. })));
    }
}
