//! Printing: plain lines for people, JSON for scripts.
//!
//! People see short ids (the first 8 characters: every command takes them
//! back), times to the minute in this computer's local time, and names
//! rather than ids wherever there is a name.

use std::collections::HashMap;
use std::sync::OnceLock;

use kindred_core::model::{CheckIn, ContactNote, Goal, format_date, format_short_time};
use kindred_core::summary::WeekSummary;
use kindred_core::{ContactOverview, Id, Kindred, Origin};
use serde::Serialize;
use time::{OffsetDateTime, UtcOffset};

use crate::CliError;

/// Prints a value as JSON on stdout.
pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| CliError::Failed(e.to_string()))?;
    println!("{text}");
    Ok(())
}

/// How many characters of an id lists show.
pub const SHORT_ID: usize = 8;

/// The start of an id, as lists show it.
pub fn short(id: &str) -> &str {
    id.get(..SHORT_ID).unwrap_or(id)
}

static LOCAL: OnceLock<UtcOffset> = OnceLock::new();

/// Reads this computer's UTC offset; call once at start, while the
/// process has one thread (the only time it can be read safely).
pub fn init_local_offset() {
    let offset = UtcOffset::current_local_offset().unwrap_or(UtcOffset::UTC);
    let _ = LOCAL.set(offset);
}

/// This computer's UTC offset, as read at start.
pub fn local() -> UtcOffset {
    LOCAL.get().copied().unwrap_or(UtcOffset::UTC)
}

/// A moment in local time, to the minute: `2026-11-28 09:00`.
pub fn when(t: OffsetDateTime) -> String {
    format_short_time(t.to_offset(local()))
}

/// A moment a person gave (a check-in, a note's start) in the time of day
/// they wrote it, with its offset only when it is not this computer's.
pub fn wall(t: OffsetDateTime) -> String {
    if t.offset() == local() {
        format_short_time(t)
    } else {
        let o = t.offset();
        format!(
            "{} (UTC{}{:02}:{:02})",
            format_short_time(t),
            if o.is_negative() { '-' } else { '+' },
            o.whole_hours().unsigned_abs(),
            o.minutes_past_hour().unsigned_abs()
        )
    }
}

/// `1 goal`, `2 goals`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A sync error in a person's words: the relay's refusals by their code
/// (never the relay's own text: it could say anything), everything else
/// as the core says it, without the words for how it works inside.
pub fn plain_error(e: &kindred_core::Error) -> String {
    plain_text(&e.to_string())
}

/// The core's words for a problem, without the words for how it works inside.
pub fn plain_text(s: &str) -> String {
    s.replace("the space's ", "its ")
        .replace("a space ", "a collection ")
        .replace("a space", "a collection")
        .replace("epoch key", "key")
}

pub fn status_word(s: &str) -> String {
    s.replace('_', " ")
}

/// Names beside records: contacts by id, and who shared what.
pub struct Names {
    contacts: HashMap<Id, String>,
    origins: HashMap<Id, Origin>,
}

impl Names {
    /// Reads them once per command (nothing here is worth failing for).
    pub fn of(k: &mut Kindred) -> Names {
        Names {
            contacts: k
                .contacts()
                .unwrap_or_default()
                .into_iter()
                .map(|c| (c.id, c.name))
                .collect(),
            origins: k.origins().unwrap_or_default(),
        }
    }

    fn contact(&self, id: &Id) -> Option<&str> {
        self.contacts.get(id).map(String::as_str)
    }

    /// `  (shared by Sam)`, or nothing for this person's own records.
    fn origin(&self, id: &Id) -> String {
        match self.origins.get(id) {
            Some(Origin::SharedBy(who)) => format!("  (shared by {who})"),
            Some(Origin::SharedWith(who)) => format!("  (shared with {who})"),
            None => String::new(),
        }
    }
}

/// What people call each collection of records this device holds: their
/// own records, their caseload (shown only to someone who keeps one), and
/// each share by the people in it.
pub struct Places {
    names: HashMap<String, String>,
    keeps_caseload: bool,
}

impl Places {
    pub fn of(k: &mut Kindred) -> Places {
        let shares: HashMap<String, String> = k
            .shares()
            .unwrap_or_default()
            .into_iter()
            .map(|s| {
                let name = if s.ended {
                    format!("Shared {} (ended)", s.name)
                } else {
                    format!("Shared {}", s.name)
                };
                (s.space, name)
            })
            .collect();
        let names = k
            .spaces()
            .iter()
            .map(|s| {
                let name = match s.kind.as_str() {
                    "personal" => "Your own records".to_owned(),
                    "caseload" => "Your caseload".to_owned(),
                    _ => shares
                        .get(&s.id)
                        .cloned()
                        .unwrap_or_else(|| "Shared records".to_owned()),
                };
                (s.id.clone(), name)
            })
            .collect();
        Places {
            names,
            keeps_caseload: k.contacts().is_ok_and(|c| !c.is_empty()),
        }
    }

    /// The name of the collection with this id (of this kind).
    pub fn name(&self, space: &str, kind: &str) -> String {
        self.names
            .get(space)
            .cloned()
            .unwrap_or_else(|| match kind {
                "personal" => "Your own records".to_owned(),
                "caseload" => "Your caseload".to_owned(),
                _ => "Shared records".to_owned(),
            })
    }

    /// A caseload is shown only to someone who keeps one.
    pub fn shown(&self, kind: &str) -> bool {
        kind != "caseload" || self.keeps_caseload
    }
}

/// A time the core wrote as RFC 3339, shown as [`when`] does.
pub fn when_text(rfc3339: &str) -> String {
    kindred_core::model::parse_time(rfc3339)
        .map(when)
        .unwrap_or_else(|_| rfc3339.to_owned())
}

pub fn goal_line(g: &Goal, names: &Names) {
    let done = g.steps.iter().filter(|s| s.done_at.is_some()).count();
    let steps = if g.steps.is_empty() {
        String::new()
    } else {
        format!(
            "  ({done} of {} done)",
            count(g.steps.len(), "step", "steps")
        )
    };
    println!(
        "{}  {:<8}  {}{steps}{}",
        short(g.id.as_str()),
        status_word(g.status.as_str()),
        g.title,
        names.origin(&g.id)
    );
}

pub fn goal(g: &Goal, names: &Names) {
    println!("{}", g.title);
    println!("  id:      {}", short(g.id.as_str()));
    println!("  status:  {}", status_word(g.status.as_str()));
    if let Some(w) = &g.why {
        println!("  why:     {w}");
    }
    if let Some(a) = &g.area {
        println!("  area:    {a}");
    }
    if let Some(d) = g.target_date {
        println!("  aiming for: {}", format_date(d));
    }
    let origin = names.origin(&g.id);
    if !origin.is_empty() {
        println!(
            "  {}",
            origin.trim().trim_start_matches('(').trim_end_matches(')')
        );
    }
    if !g.steps.is_empty() {
        println!("  steps:");
        for s in &g.steps {
            let mark = if s.done_at.is_some() { "x" } else { " " };
            let due = s
                .due
                .map(|d| format!(" (by {})", format_date(d)))
                .unwrap_or_default();
            println!("    [{mark}] {}  {}{due}", short(s.id.as_str()), s.text);
        }
    }
    if !g.progress.is_empty() {
        println!("  progress:");
        for p in &g.progress {
            println!("    {}  {}", when(p.at), p.note);
        }
    }
}

pub fn check_in_line(c: &CheckIn, names: &Names) {
    let energy = c
        .energy
        .map(|e| format!("  energy {e}"))
        .unwrap_or_default();
    let tags = if c.tags.is_empty() {
        String::new()
    } else {
        format!("  [{}]", c.tags.join(", "))
    };
    let note = c
        .note
        .as_deref()
        .map(|n| format!("  {n}"))
        .unwrap_or_default();
    println!(
        "{}  {}  mood {}{energy}{tags}{note}{}",
        short(c.id.as_str()),
        wall(c.occurred_at),
        c.mood,
        names.origin(&c.id)
    );
}

pub fn week(w: &WeekSummary) {
    let when = format!(
        "{} to {}",
        format_date(w.week_start),
        format_date(w.week_end)
    );
    match w.mean_mood {
        None => println!("{when}: no check-ins"),
        Some(m) => {
            let energy = w
                .mean_energy
                .map(|e| format!(", energy {e:.1}"))
                .unwrap_or_default();
            let tags = if w.tags.is_empty() {
                String::new()
            } else {
                let t: Vec<String> = w.tags.iter().map(|(k, v)| format!("{k} {v}")).collect();
                format!("; {}", t.join(", "))
            };
            println!(
                "{when}: {}, mood {m:.1}{energy}{tags}",
                count(w.count, "check-in", "check-ins")
            );
        }
    }
}

pub fn contact_line(c: &ContactOverview) {
    let last = c
        .last_contact
        .map(|t| format!("last seen {}", format_date(t.to_offset(local()).date())))
        .unwrap_or_else(|| "not seen yet".into());
    let next = c
        .next_contact
        .map(|d| format!(", next {}", format_date(d)))
        .unwrap_or_default();
    println!(
        "{}  {}  ({last}{next}; {})",
        short(c.contact.id.as_str()),
        c.contact.name,
        count(c.notes, "note", "notes")
    );
}

/// Who a note is with: the contact's name in the worker's caseload, or,
/// for a note someone shared, who shared it.
fn note_with(n: &ContactNote, names: &Names) -> String {
    match (names.contact(&n.contact_id), names.origins.get(&n.id)) {
        (Some(name), _) => name.to_owned(),
        (None, Some(Origin::SharedBy(who))) => format!("from {who}"),
        _ => "someone no longer in your contacts".to_owned(),
    }
}

pub fn note_line(n: &ContactNote, names: &Names) {
    let flag = if n.substance_use {
        "  (substance use)"
    } else {
        ""
    };
    let first: String = n.narrative.chars().take(60).collect();
    println!(
        "{}  {}  {}  {:<6}  {} / {}  {first}{flag}",
        short(n.id.as_str()),
        wall(n.start),
        note_with(n, names),
        n.status,
        status_word(n.contact_type.as_str()),
        n.setting
    );
}

pub fn note(n: &ContactNote, names: &Names) {
    println!("Note {} ({})", short(n.id.as_str()), n.status);
    println!("  with:        {}", note_with(n, names));
    println!("  when:        {} to {}", wall(n.start), wall(n.end));
    println!(
        "  type:        {} / {}",
        status_word(n.contact_type.as_str()),
        n.setting
    );
    if !n.goals_addressed.is_empty() {
        println!("  goals:       {}", n.goals_addressed.join("; "));
    }
    if !n.peer_activities.is_empty() {
        println!("  activities:  {}", n.peer_activities.join("; "));
    }
    println!("  narrative:   {}", n.narrative);
    for (label, v) in [
        ("own words:  ", &n.own_words),
        ("strengths:  ", &n.strengths),
        ("next steps: ", &n.next_steps),
    ] {
        if let Some(v) = v {
            println!("  {label} {v}");
        }
    }
    if let Some(d) = n.next_contact {
        println!("  next contact: {}", format_date(d));
    }
    if n.substance_use {
        println!("  marked as substance-use content (kept out of exports unless asked)");
    }
    if let Some(at) = n.signed_at {
        let who = n
            .signed_by_name
            .clone()
            .unwrap_or_else(|| "another device".into());
        let check = match n.signature_ok {
            Some(false) => "  (not verified: the words or the signer's name changed after signing)",
            _ => "",
        };
        println!("  signed:      {} by {who}{check}", when(at));
    }
    for a in &n.addenda {
        println!("  addendum {}: {}", when(a.at), a.text);
    }
    let origin = names.origin(&n.id);
    if !origin.is_empty() {
        println!(
            "  {}",
            origin.trim().trim_start_matches('(').trim_end_matches(')')
        );
    }
    if let Some(c) = &n.substance_use_consent {
        println!("  shared with the person's agreement ({c})");
    }
    for c in &n.comments {
        let check = if c.verified {
            ""
        } else {
            "  (not verified: changed after it was written, or not written on the person's own device)"
        };
        println!("  {} wrote {}: {}{check}", c.by, when(c.at), c.text);
    }
    if let (Some(at), Some(by)) = (n.reviewed_at, &n.reviewed_by) {
        let version = if n.review_of_current == Some(false) {
            "  (of an earlier version: the note changed since)"
        } else {
            ""
        };
        println!("  reviewed:    {} by {by}{version}", when(at));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_are_right() {
        assert_eq!(count(1, "goal", "goals"), "1 goal");
        assert_eq!(count(0, "goal", "goals"), "0 goals");
        assert_eq!(count(2, "check-in", "check-ins"), "2 check-ins");
    }

    #[test]
    fn times_are_shown_to_the_minute() {
        let t = time::macros::datetime!(2026-11-28 09:00:59.123456789 +00:00);
        // The offset is read once; in tests it stays UTC unless set.
        let shown = when(t.to_offset(local()));
        assert!(!shown.contains('.'), "{shown}");
        assert_eq!(shown.len(), "2026-11-28 09:00".len());
    }

    #[test]
    fn short_ids_are_eight_characters() {
        assert_eq!(short("0123456789abcdef"), "01234567");
        assert_eq!(short("abc"), "abc");
    }
}
