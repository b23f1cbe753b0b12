//! Contact notes: drafts, signing, addenda, sharing, comments, review.

use kindred_core::Kindred;
use kindred_core::model::*;

use crate::CliError;
use crate::args::*;
use crate::output;

use super::{date, find, find_share, transport, when};

fn note_id(k: &mut Kindred, typed: &str) -> Result<kindred_core::Id, CliError> {
    find(k, RecordKind::ContactNote, typed)
}

/// A moment the flag must hold (clap has made sure it was given).
fn moment(s: String) -> Result<time::OffsetDateTime, CliError> {
    when(&Some(s))?.ok_or_else(|| CliError::Usage("a time is needed".into()))
}

pub(super) fn run(k: &mut Kindred, c: NoteCmd) -> Result<(), CliError> {
    match c {
        NoteCmd::Add {
            contact,
            needs: n,
            extras: x,
        } => {
            let note = NewContactNote {
                contact_id: find(k, RecordKind::Contact, &contact)?,
                contact_type: ContactType::parse(&n.contact_type)?,
                setting: Setting::parse(&n.setting)?,
                start: moment(n.start)?,
                end: moment(n.end)?,
                goals_addressed: x.goals,
                peer_activities: x.activities,
                narrative: n.narrative,
                own_words: x.own_words,
                strengths: x.strengths,
                next_steps: x.next_steps,
                next_contact: date(&x.next_contact)?,
                substance_use: x.substance_use,
            };
            println!("{}", k.add_note(&note)?);
            eprintln!("Saved the note as a draft. Sign it when it is ready.");
        }
        NoteCmd::Edit {
            id,
            main: m,
            extras: x,
        } => {
            let changes = NoteChanges {
                contact_type: m
                    .contact_type
                    .as_deref()
                    .map(ContactType::parse)
                    .transpose()?,
                setting: m.setting.as_deref().map(Setting::parse).transpose()?,
                start: when(&m.start)?,
                end: when(&m.end)?,
                goals_addressed: (!x.goals.is_empty()).then_some(x.goals),
                peer_activities: (!x.activities.is_empty()).then_some(x.activities),
                narrative: m.narrative,
                own_words: x.own_words.map(Some),
                strengths: x.strengths.map(Some),
                next_steps: x.next_steps.map(Some),
                next_contact: date(&x.next_contact)?.map(Some),
                substance_use: x.substance_use.then_some(true),
            };
            let id = note_id(k, &id)?;
            k.update_note(&id, &changes)?;
            eprintln!("Changed the draft.");
        }
        NoteCmd::List {
            contact,
            since,
            until,
            json,
        } => {
            let contact = contact
                .as_deref()
                .map(|c| find(k, RecordKind::Contact, c))
                .transpose()?;
            let list = k.notes(contact.as_ref(), date(&since)?, date(&until)?)?;
            if json {
                return output::json(&list);
            }
            if list.is_empty() {
                println!("No notes here.");
            }
            let names = output::Names::of(k);
            list.iter().for_each(|n| output::note_line(n, &names));
        }
        NoteCmd::Show { id, json } => {
            let id = note_id(k, &id)?;
            let n = k.note(&id)?;
            if json {
                return output::json(&n);
            }
            output::note(&n, &output::Names::of(k));
        }
        NoteCmd::Sign { id } => {
            let id = note_id(k, &id)?;
            k.sign_note(&id)?;
            eprintln!("Signed. Later words go in an addendum.");
        }
        NoteCmd::Addendum { id, text } => {
            let id = note_id(k, &id)?;
            println!("{}", k.add_addendum(&id, &text)?);
            eprintln!("Added the addendum.");
        }
        NoteCmd::Share {
            id,
            with,
            person_agreed,
        } => {
            let id = note_id(k, &id)?;
            let space = find_share(k, &with)?;
            k.share_note(&id, &space, person_agreed)?;
            if let Ok(t) = transport(k) {
                let _ = k.sync(&t);
            }
            eprintln!(
                "Shared a copy. The person can read it, add their own words and mark it reviewed; your own record stays in your caseload."
            );
        }
        NoteCmd::Comment { id, text } => {
            let id = note_id(k, &id)?;
            println!("{}", k.comment_note(&id, &text)?);
            if let Ok(t) = transport(k) {
                let _ = k.sync(&t);
            }
            eprintln!("Added your words to the note.");
        }
        NoteCmd::Review { id } => {
            let id = note_id(k, &id)?;
            k.review_note(&id)?;
            if let Ok(t) = transport(k) {
                let _ = k.sync(&t);
            }
            eprintln!("Marked as reviewed.");
        }
    }
    Ok(())
}
