//! Contact notes: drafts, signing, addenda, sharing, comments, review.

use kindred_core::Kindred;
use kindred_core::model::*;

use crate::CliError;
use crate::args::*;
use crate::output;

use super::{date, id, transport, when};

fn required<T>(v: Option<T>, flag: &str) -> Result<T, CliError> {
    v.ok_or_else(|| CliError::Usage(format!("{flag} is required")))
}

pub(super) fn run(k: &mut Kindred, c: NoteCmd) -> Result<(), CliError> {
    match c {
        NoteCmd::Add { contact, fields: f } => {
            let n = NewContactNote {
                contact_id: id(&contact)?,
                contact_type: ContactType::parse(&required(f.contact_type, "--type")?)?,
                setting: Setting::parse(&required(f.setting, "--setting")?)?,
                start: required(when(&f.start)?, "--start")?,
                end: required(when(&f.end)?, "--end")?,
                goals_addressed: f.goals,
                peer_activities: f.activities,
                narrative: required(f.narrative, "--narrative")?,
                own_words: f.own_words,
                strengths: f.strengths,
                next_steps: f.next_steps,
                next_contact: date(&f.next_contact)?,
                substance_use: f.substance_use,
            };
            println!("{}", k.add_note(&n)?);
        }
        NoteCmd::Edit { id: i, fields: f } => {
            let changes = NoteChanges {
                contact_type: f
                    .contact_type
                    .as_deref()
                    .map(ContactType::parse)
                    .transpose()?,
                setting: f.setting.as_deref().map(Setting::parse).transpose()?,
                start: when(&f.start)?,
                end: when(&f.end)?,
                goals_addressed: (!f.goals.is_empty()).then_some(f.goals),
                peer_activities: (!f.activities.is_empty()).then_some(f.activities),
                narrative: f.narrative,
                own_words: f.own_words.map(Some),
                strengths: f.strengths.map(Some),
                next_steps: f.next_steps.map(Some),
                next_contact: date(&f.next_contact)?.map(Some),
                substance_use: f.substance_use.then_some(true),
            };
            k.update_note(&id(&i)?, &changes)?;
        }
        NoteCmd::List {
            contact,
            since,
            until,
            json,
        } => {
            let contact = contact.as_deref().map(id).transpose()?;
            let list = k.notes(contact.as_ref(), date(&since)?, date(&until)?)?;
            if json {
                return output::json(&list);
            }
            if list.is_empty() {
                println!("No notes here.");
            }
            list.iter().for_each(output::note_line);
        }
        NoteCmd::Show { id: i, json } => {
            let n = k.note(&id(&i)?)?;
            if json {
                return output::json(&n);
            }
            let name = k.contact(&n.contact_id).ok().map(|c| c.name);
            output::note(&n, name.as_deref());
        }
        NoteCmd::Sign { id: i } => {
            k.sign_note(&id(&i)?)?;
            eprintln!("Signed. Later words go in an addendum.");
        }
        NoteCmd::Addendum { id: i, text } => println!("{}", k.add_addendum(&id(&i)?, &text)?),
        NoteCmd::Share {
            id: i,
            with,
            person_agreed,
        } => {
            k.share_note(&id(&i)?, &with, person_agreed)?;
            if let Ok(t) = transport(k) {
                let _ = k.sync(&t);
            }
            eprintln!(
                "Shared a copy. The person can read it, add their own words and mark it reviewed; your own record stays in your caseload."
            );
        }
        NoteCmd::Comment { id: i, text } => {
            println!("{}", k.comment_note(&id(&i)?, &text)?);
            if let Ok(t) = transport(k) {
                let _ = k.sync(&t);
            }
        }
        NoteCmd::Review { id: i } => {
            k.review_note(&id(&i)?)?;
            if let Ok(t) = transport(k) {
                let _ = k.sync(&t);
            }
            eprintln!("Marked as reviewed.");
        }
    }
    Ok(())
}
