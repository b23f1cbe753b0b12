//! Finding a record from what a person typed: the start of its id (at
//! least [`MIN_PREFIX`] characters), the whole id, or, where names are
//! unique, a name (a contact's; a share by the other person's name).
//!
//! One rule for every shell and every command: an exact id wins; otherwise
//! every record whose name equals the text (ignoring case) or whose id
//! starts with it is a match; one match is the answer, none is "not
//! found", several are [`Error::Ambiguous`], and [`Kindred::matches`]
//! lists them so the shell can show which.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::ids::Id;
use crate::kindred::Kindred;
use crate::model::RecordKind;

/// The fewest characters of an id that may stand for it.
pub const MIN_PREFIX: usize = 4;

/// A record that fits what was typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Match {
    pub id: String,
    /// What a person knows it by: a goal's title, a contact's name, a
    /// check-in's time, a share's people.
    pub label: String,
}

/// The matches for `typed` among `candidates` (id, names it answers to,
/// label), by the rule in the module docs.
pub(crate) fn pick(
    typed: &str,
    candidates: impl IntoIterator<Item = (String, Vec<String>, String)>,
) -> Vec<Match> {
    let typed = typed.trim();
    let lower = typed.to_lowercase();
    let as_prefix = typed.chars().count() >= MIN_PREFIX;
    let mut out = Vec::new();
    for (id, names, label) in candidates {
        if id == typed {
            return vec![Match { id, label }];
        }
        let named = !lower.is_empty() && names.iter().any(|n| n.trim().to_lowercase() == lower);
        // A record held in two places (a note and its shared copy) is one.
        let seen = out.iter().any(|m: &Match| m.id == id);
        if !seen && (named || (as_prefix && id.starts_with(&lower))) {
            out.push(Match { id, label });
        }
    }
    out
}

/// Looks like (the start of) an id: ids are hex digits.
fn hex(typed: &str) -> bool {
    typed.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The one match, or the error that says why there is not one.
pub(crate) fn one(kind: RecordKind, typed: &str, matches: Vec<Match>) -> Result<String> {
    let typed = typed.trim();
    match matches.len() {
        1 => Ok(matches.into_iter().next().map(|m| m.id).unwrap_or_default()),
        0 if typed.is_empty() => Err(Error::Empty { field: "id" }),
        0 if hex(typed) && typed.chars().count() < MIN_PREFIX => {
            Err(Error::PrefixTooShort { kind })
        }
        0 if hex(typed) => Err(Error::NotFound {
            kind,
            id: typed.to_owned(),
        }),
        // Not id-shaped, so a name: it stays out of the message.
        0 => Err(Error::NoneNamed { kind }),
        _ => Err(Error::Ambiguous {
            kind,
            count: matches.len(),
        }),
    }
}

impl Kindred {
    /// Every record of `kind` that fits `typed`, for showing a person the
    /// choices after [`Error::Ambiguous`]. Kinds without records of their
    /// own (steps: see [`Kindred::resolve_step`]) have none.
    pub fn matches(&mut self, kind: RecordKind, typed: &str) -> Result<Vec<Match>> {
        let candidates: Vec<(String, Vec<String>, String)> = match kind {
            RecordKind::Goal => self
                .goals(None)?
                .into_iter()
                .map(|g| (g.id.to_string(), Vec::new(), g.title))
                .collect(),
            RecordKind::CheckIn => self
                .check_ins(None, None)?
                .into_iter()
                .map(|c| {
                    let label = format!(
                        "{}, mood {}",
                        crate::model::format_short_time(c.occurred_at),
                        c.mood
                    );
                    (c.id.to_string(), Vec::new(), label)
                })
                .collect(),
            RecordKind::Contact => self
                .contacts()?
                .into_iter()
                .map(|c| (c.id.to_string(), vec![c.name.clone()], c.name))
                .collect(),
            RecordKind::ContactNote => {
                let names: std::collections::HashMap<Id, String> = self
                    .contacts()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|c| (c.id, c.name))
                    .collect();
                self.all_notes()?
                    .into_iter()
                    .map(|(_, n)| {
                        let who = names
                            .get(&n.contact_id)
                            .cloned()
                            .unwrap_or_else(|| "a note shared with you".into());
                        let label = format!("{}, {who}", crate::model::format_short_time(n.start));
                        (n.id.to_string(), Vec::new(), label)
                    })
                    .collect()
            }
            RecordKind::Space => self
                .shares()?
                .into_iter()
                .map(|s| {
                    let others: Vec<String> = s
                        .members
                        .iter()
                        .filter(|m| !m.mine)
                        .map(|m| m.name.clone())
                        .collect();
                    let mut names = others;
                    names.push(s.name.clone());
                    if let Some(who) = s.name.strip_prefix("with ") {
                        names.push(who.to_owned());
                    }
                    let label = if s.ended {
                        format!("{} (ended)", s.name)
                    } else {
                        s.name.clone()
                    };
                    (s.space, names, label)
                })
                .collect(),
            RecordKind::PlanItem => self
                .plan()?
                .items
                .into_iter()
                .map(|i| (i.id.to_string(), Vec::new(), short(&i.text)))
                .collect(),
            RecordKind::Suggestion => {
                let all = self.all_suggestions()?;
                all.into_iter()
                    .map(|s| (s.id.to_string(), Vec::new(), short(&s.text)))
                    .collect()
            }
            RecordKind::CrisisLine => self
                .crisis_lines("")?
                .into_iter()
                .filter_map(|l| Some((l.id?.to_string(), vec![l.name.clone()], l.name)))
                .collect(),
            RecordKind::Resource => self
                .resources()?
                .into_iter()
                .map(|r| (r.id.to_string(), vec![r.name.clone()], r.name))
                .collect(),
            RecordKind::PlannedContact => self
                .planned_contacts()?
                .into_iter()
                .map(|p| {
                    let label = crate::model::format_short_time(p.at);
                    (p.id.to_string(), Vec::new(), label)
                })
                .collect(),
            RecordKind::Step | RecordKind::Device => Vec::new(),
        };
        Ok(pick(typed, candidates))
    }

    /// The goal `typed` names (see the module docs).
    pub fn resolve_goal(&mut self, typed: &str) -> Result<Id> {
        self.resolve(RecordKind::Goal, typed)
    }

    /// The check-in `typed` names.
    pub fn resolve_check_in(&mut self, typed: &str) -> Result<Id> {
        self.resolve(RecordKind::CheckIn, typed)
    }

    /// The contact `typed` names: the start of its id, or its name.
    pub fn resolve_contact(&mut self, typed: &str) -> Result<Id> {
        self.resolve(RecordKind::Contact, typed)
    }

    /// The note `typed` names.
    pub fn resolve_note(&mut self, typed: &str) -> Result<Id> {
        self.resolve(RecordKind::ContactNote, typed)
    }

    /// The shared space `typed` names: the start of its id, or the name of
    /// someone in it (not one of this person's own devices).
    /// A share that has ended gives way to one that has not (a person may
    /// share with the same worker again).
    pub fn resolve_share(&mut self, typed: &str) -> Result<String> {
        let mut found = self.matches(RecordKind::Space, typed)?;
        if found.len() > 1 {
            let ended: Vec<String> = self
                .shares()?
                .into_iter()
                .filter(|s| s.ended)
                .map(|s| s.space)
                .collect();
            let open: Vec<Match> = found
                .iter()
                .filter(|m| !ended.contains(&m.id))
                .cloned()
                .collect();
            if open.len() == 1 {
                found = open;
            }
        }
        one(RecordKind::Space, typed, found)
    }

    /// One step of a goal, by the start of its id or its exact words.
    pub fn resolve_step(&mut self, goal: &Id, typed: &str) -> Result<Id> {
        let g = self.goal(goal)?;
        let found = pick(
            typed,
            g.steps
                .into_iter()
                .map(|s| (s.id.to_string(), vec![s.text.clone()], s.text)),
        );
        let id = one(RecordKind::Step, typed, found)?;
        Id::parse(&id).ok_or(Error::Document)
    }

    fn resolve(&mut self, kind: RecordKind, typed: &str) -> Result<Id> {
        let found = self.matches(kind, typed)?;
        let id = one(kind, typed, found)?;
        Id::parse(&id).ok_or(Error::Document)
    }
}

/// The first words of a text, for a list of choices.
fn short(text: &str) -> String {
    let mut out: String = text.chars().take(40).collect();
    if text.chars().count() > 40 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(id: &str, name: &str) -> (String, Vec<String>, String) {
        (id.into(), vec![name.into()], name.into())
    }

    #[test]
    fn a_prefix_of_four_or_more_picks_one() {
        let all = || vec![c("abcd1234", "Jo"), c("abce5678", "Sam")];
        assert_eq!(pick("abcd", all())[0].id, "abcd1234");
        assert_eq!(pick("abcd", all()).len(), 1);
        // Shorter than four is not taken as a prefix.
        assert!(pick("abc", all()).is_empty());
        assert!(matches!(
            one(RecordKind::Goal, "abc", pick("abc", all())),
            Err(Error::PrefixTooShort { .. })
        ));
    }

    #[test]
    fn names_match_ignoring_case_and_spaces() {
        let all = vec![c("abcd1234", "Jo Bloggs"), c("ffff0000", "Sam")];
        let m = pick("  jo bloggs ", all);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].id, "abcd1234");
    }

    #[test]
    fn an_exact_id_wins_over_everything_else() {
        let all = vec![c("abcd", "x"), c("abcd1234", "y")];
        let m = pick("abcd", all);
        assert_eq!(
            m,
            vec![Match {
                id: "abcd".into(),
                label: "x".into()
            }]
        );
    }

    #[test]
    fn a_record_held_twice_is_one_match() {
        let all = vec![c("abcd1234", "Jo"), c("abcd1234", "Jo")];
        assert_eq!(pick("abcd", all).len(), 1);
    }

    #[test]
    fn ambiguity_and_absence_are_told_apart() {
        let all = || vec![c("abcd1234", "Jo"), c("abcd5678", "Jo")];
        assert!(matches!(
            one(RecordKind::Contact, "abcd", pick("abcd", all())),
            Err(Error::Ambiguous { count: 2, .. })
        ));
        assert!(matches!(
            one(RecordKind::Contact, "jo", pick("jo", all())),
            Err(Error::Ambiguous { count: 2, .. })
        ));
        assert!(matches!(
            one(RecordKind::Contact, "9999", pick("9999", all())),
            Err(Error::NotFound { .. })
        ));
        // A name that matches nothing stays out of the message.
        let e = one(RecordKind::Contact, "Kim Smith", pick("Kim Smith", all())).unwrap_err();
        assert!(matches!(e, Error::NoneNamed { .. }));
        assert!(!e.to_string().contains("Kim"));
        // A short name is a name, not a short id.
        assert!(matches!(
            one(RecordKind::Contact, "Kim", pick("Kim", all())),
            Err(Error::NoneNamed { .. })
        ));
        assert!(matches!(
            one(RecordKind::Contact, "  ", pick("  ", all())),
            Err(Error::Empty { .. })
        ));
    }
}
