//! Printing: plain lines for people, JSON for scripts.

use kindred_core::model::{CheckIn, Contact, ContactNote, Goal, format_date, format_time};
use kindred_core::summary::WeekSummary;
use serde::Serialize;

use crate::CliError;

/// Prints a value as JSON on stdout.
pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| CliError::Failed(e.to_string()))?;
    println!("{text}");
    Ok(())
}

fn status_word(s: &str) -> String {
    s.replace('_', " ")
}

pub fn goal_line(g: &Goal) {
    let done = g.steps.iter().filter(|s| s.done_at.is_some()).count();
    let steps = if g.steps.is_empty() {
        String::new()
    } else {
        format!("  ({done} of {} steps done)", g.steps.len())
    };
    println!(
        "{}  {:<8}  {}{steps}",
        g.id,
        status_word(g.status.as_str()),
        g.title
    );
}

pub fn goal(g: &Goal) {
    println!("{}", g.title);
    println!("  id:      {}", g.id);
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
    if !g.steps.is_empty() {
        println!("  steps:");
        for s in &g.steps {
            let mark = if s.done_at.is_some() { "x" } else { " " };
            let due = s
                .due
                .map(|d| format!(" (by {})", format_date(d)))
                .unwrap_or_default();
            println!("    [{mark}] {}  {}{due}", s.id, s.text);
        }
    }
    if !g.progress.is_empty() {
        println!("  progress:");
        for p in &g.progress {
            println!("    {}  {}", format_time(p.at), p.note);
        }
    }
}

pub fn check_in_line(c: &CheckIn) {
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
        "{}  {}  mood {}{energy}{tags}{note}",
        c.id,
        format_time(c.occurred_at),
        c.mood
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
            let s = if w.count == 1 { "" } else { "s" };
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
            println!("{when}: {} check-in{s}, mood {m:.1}{energy}{tags}", w.count);
        }
    }
}

pub fn contact_line(c: &Contact) {
    println!("{}  {}", c.id, c.name);
}

pub fn note_line(n: &ContactNote) {
    let flag = if n.substance_use {
        "  (substance use)"
    } else {
        ""
    };
    let first: String = n.narrative.chars().take(60).collect();
    println!(
        "{}  {}  {:<6}  {} / {}  {first}{flag}",
        n.id,
        format_time(n.start),
        n.status,
        n.contact_type,
        n.setting
    );
}

pub fn note(n: &ContactNote, contact: Option<&str>) {
    println!("Note {} ({})", n.id, n.status);
    if let Some(c) = contact {
        println!("  with:        {c}");
    }
    println!(
        "  when:        {} to {}",
        format_time(n.start),
        format_time(n.end)
    );
    println!("  type:        {} / {}", n.contact_type, n.setting);
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
    if let (Some(at), Some(by)) = (n.signed_at, &n.signed_by) {
        let who = n.signed_by_name.clone().unwrap_or(format!("device {by}"));
        let check = match n.signature_ok {
            Some(true) => "",
            Some(false) => "  (the words changed after signing)",
            None => "",
        };
        println!("  signed:      {} by {who}{check}", format_time(at));
    }
    for a in &n.addenda {
        println!("  addendum {}: {}", format_time(a.at), a.text);
    }
    if let Some(space) = &n.shared_in {
        println!("  shared in:   {space}");
    }
    if let Some(c) = &n.substance_use_consent {
        println!("  shared with the person's agreement ({c})");
    }
    for c in &n.comments {
        let check = if c.verified {
            ""
        } else {
            "  (not verified: changed after it was written)"
        };
        println!("  {} wrote {}: {}{check}", c.by, format_time(c.at), c.text);
    }
    if let (Some(at), Some(by)) = (n.reviewed_at, &n.reviewed_by) {
        println!("  reviewed:    {} by {by}", format_time(at));
    }
}
