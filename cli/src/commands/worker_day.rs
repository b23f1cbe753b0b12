//! A worker's day: who to follow up with (checked against each person's
//! own preferences), planned visits and calls, and time with people.

use std::collections::HashMap;

use kindred_core::model::*;
use kindred_core::{ContactOverview, FollowUp, Id, Kindred, PrefsNote, prefs_notes};

use crate::CliError;
use crate::args::*;
use crate::output;

use super::prefs::{day_word, times_words, way_words};
use super::{date, find, now_local, when};

/// "Mon 2026-12-07".
fn day(d: time::Date) -> String {
    format!("{} {}", day_word(d.weekday()), format_date(d))
}

/// What the worker should know, from the person's own preferences, in
/// plain words: "Sam prefers 10:00–14:00 on weekdays; this is outside that".
fn notes_words(name: &str, prefs: Option<&ContactPrefs>, notes: &[PrefsNote]) -> Vec<String> {
    let times = prefs.map(times_words).unwrap_or_default();
    notes
        .iter()
        .map(|n| match n {
            PrefsNote::OutsideBestTimes { .. } => {
                format!("{name} prefers {times}; this is outside that")
            }
            PrefsNote::DayOutsideBestTimes { .. } => {
                format!("{name} prefers {times}; this day is outside that")
            }
            PrefsNote::NotPreferredWay { preferred } => {
                let ways: Vec<String> = preferred.iter().map(way_words).collect();
                format!("{name} prefers {}", ways.join(" or "))
            }
            PrefsNote::NoVoicemail => "no voicemail please".to_owned(),
        })
        .collect()
}

/// One follow-up: who, when (and how, for a planned one), then what the
/// person asked for.
fn follow_up(f: &FollowUp, planned_notes: &HashMap<Id, String>) {
    match (&f.at, &f.way, &f.planned) {
        (Some(at), Some(way), Some(id)) => println!(
            "  {}  {}  {} {}, {}",
            output::short(id.as_str()),
            f.name,
            day(at.to_offset(output::local()).date()),
            format_clock(at.to_offset(output::local()).time()),
            way_words(way)
        ),
        _ => println!(
            "  {:8}  {}  {}, as your last note planned",
            "",
            f.name,
            day(f.due)
        ),
    }
    let mut lines: Vec<String> = f
        .planned
        .as_ref()
        .and_then(|id| planned_notes.get(id))
        .map(|n| format!("your note: {n}"))
        .into_iter()
        .collect();
    lines.extend(notes_words(&f.name, f.prefs.as_ref(), &f.notes));
    if let Some(p) = &f.prefs {
        if f.way == Some(ContactWay::Call)
            && let Some(w) = &p.call_word
        {
            lines.push(format!("the word to use when calling: {w}"));
        }
        if let Some(n) = &p.note {
            lines.push(format!("{} says: {n}", f.name));
        }
    }
    for l in lines {
        println!("  {:8}    {l}", "");
    }
}

fn a_while(o: &ContactOverview) {
    let last = o
        .last_contact
        .map(|t| format!("last seen {}", day(t.to_offset(output::local()).date())))
        .unwrap_or_else(|| "not seen yet".to_owned());
    println!("  {:8}  {}  ({last})", "", o.contact.name);
}

pub(super) fn followups(
    k: &mut Kindred,
    week: bool,
    today: &Option<String>,
    json: bool,
) -> Result<(), CliError> {
    let today = date(today)?.unwrap_or_else(|| now_local().date());
    let lists = k.follow_ups(today)?;
    if json {
        return output::json(&lists);
    }
    let notes: HashMap<Id, String> = k
        .planned_contacts()?
        .into_iter()
        .filter_map(|p| Some((p.id, p.note?)))
        .collect();
    println!("Today, {}", day(today));
    if lists.today.is_empty() {
        println!("  nothing planned");
    }
    lists.today.iter().for_each(|f| follow_up(f, &notes));
    if week {
        println!("The coming week");
        if lists.this_week.is_empty() {
            println!("  nothing planned");
        }
        lists.this_week.iter().for_each(|f| follow_up(f, &notes));
    }
    println!("It has been a while");
    if lists.a_while.is_empty() {
        println!("  no one: everyone has been seen lately or has something planned");
    }
    lists.a_while.iter().for_each(a_while);
    Ok(())
}

/// "the call", "the visit".
fn the_way(w: &ContactWay) -> String {
    match w {
        ContactWay::Call => "the call".to_owned(),
        ContactWay::Text => "the text".to_owned(),
        ContactWay::InPerson => "the visit".to_owned(),
        ContactWay::Video => "the video call".to_owned(),
        ContactWay::Unknown(s) => format!("the {}", output::status_word(s)),
    }
}

/// The name of the contact a planned visit or call is with.
fn planned_with(k: &mut Kindred, id: &Id) -> Option<(PlannedContact, String)> {
    let p = k
        .planned_contacts()
        .ok()?
        .into_iter()
        .find(|p| &p.id == id)?;
    let name = k.contact(&p.contact_id).ok()?.name;
    Some((p, name))
}

pub(super) fn plan(k: &mut Kindred, c: FollowupsCmd) -> Result<(), CliError> {
    match c {
        FollowupsCmd::Plan {
            contact,
            at,
            way,
            note,
        } => {
            let way = ContactWay::parse(&way)?;
            let at = when(&Some(at))?.ok_or_else(|| CliError::Usage("a time is needed".into()))?;
            let contact = find(k, RecordKind::Contact, &contact)?;
            let p = NewPlannedContact {
                contact_id: contact.clone(),
                at,
                way: way.clone(),
                note,
            };
            println!("{}", k.plan_contact(&p)?);
            let c = k.contact(&contact)?;
            let local = at.to_offset(output::local());
            eprintln!(
                "Planned {} with {} on {} at {}.",
                way_words(&way),
                c.name,
                day(local.date()),
                format_clock(local.time())
            );
            if let Some(space) = &c.share_space
                && let Ok(prefs) = k.contact_prefs(space)
                && !prefs.is_empty()
            {
                let notes = prefs_notes(&prefs, at.date(), Some(at), Some(&way));
                for l in notes_words(&c.name, Some(&prefs), &notes) {
                    eprintln!("  {l}");
                }
            }
        }
        FollowupsCmd::Done { id } => {
            let id = find(k, RecordKind::PlannedContact, &id)?;
            let what = planned_with(k, &id);
            k.finish_planned_contact(&id, true)?;
            match what {
                Some((p, name)) => eprintln!("Marked {} with {name} done.", the_way(&p.way)),
                None => eprintln!("Marked it done."),
            }
        }
        FollowupsCmd::Cancel { id } => {
            let id = find(k, RecordKind::PlannedContact, &id)?;
            let what = planned_with(k, &id);
            k.finish_planned_contact(&id, false)?;
            match what {
                Some((p, name)) => {
                    eprintln!("Took {} with {name} off the list.", the_way(&p.way))
                }
                None => eprintln!("Took it off the list."),
            }
        }
    }
    Ok(())
}

/// "1 hour 30 minutes", "45 minutes", "no time".
fn hours_minutes(minutes: i64) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    let hours = output::count(h as usize, "hour", "hours");
    let mins = output::count(m as usize, "minute", "minutes");
    match (h, m) {
        (0, 0) => "no time".to_owned(),
        (0, _) => mins,
        (_, 0) => hours,
        _ => format!("{hours} {mins}"),
    }
}

pub(super) fn time(k: &mut Kindred, today: &Option<String>, json: bool) -> Result<(), CliError> {
    let today = date(today)?.unwrap_or_else(|| now_local().date());
    let t = k.time_with_people(today)?;
    if json {
        return output::json(&t);
    }
    println!("Time with people, by week (from Monday):");
    for w in &t.weeks {
        println!(
            "  {}  {}  ({})",
            format_date(w.start),
            hours_minutes(w.minutes),
            output::count(w.contacts, "contact", "contacts")
        );
    }
    println!("By month:");
    for m in &t.months {
        let month = format!("{} {}", m.start.month(), m.start.year());
        println!(
            "  {month:<14}  {}  ({})",
            hours_minutes(m.minutes),
            output::count(m.contacts, "contact", "contacts")
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_read_as_hours_and_minutes() {
        assert_eq!(hours_minutes(0), "no time");
        assert_eq!(hours_minutes(45), "45 minutes");
        assert_eq!(hours_minutes(60), "1 hour");
        assert_eq!(hours_minutes(90), "1 hour 30 minutes");
        assert_eq!(hours_minutes(121), "2 hours 1 minute");
    }
}
