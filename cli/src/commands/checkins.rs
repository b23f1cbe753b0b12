//! Mood check-ins: adding, changing, deleting, listing, the weekly look
//! back, sharing a range.

use kindred_core::Kindred;
use kindred_core::model::*;

use crate::CliError;
use crate::args::*;
use crate::output;

use super::{date, find, find_share, now_local, transport, when};

pub(super) fn run(k: &mut Kindred, c: CheckinCmd) -> Result<(), CliError> {
    match c {
        CheckinCmd::Add {
            mood,
            energy,
            tags,
            note,
            at,
        } => {
            let c = NewCheckIn {
                occurred_at: when(&at)?.unwrap_or_else(now_local),
                mood,
                energy,
                tags,
                note,
            };
            println!("{}", k.add_check_in(&c)?);
            eprintln!("Saved your check-in for {}.", output::wall(c.occurred_at));
        }
        CheckinCmd::Edit {
            id,
            mood,
            energy,
            no_energy,
            tags,
            no_tags,
            note,
            no_note,
            at,
        } => {
            let changes = CheckInChanges {
                occurred_at: when(&at)?,
                mood,
                energy: if no_energy {
                    Some(None)
                } else {
                    energy.map(Some)
                },
                tags: if no_tags {
                    Some(Vec::new())
                } else {
                    (!tags.is_empty()).then_some(tags)
                },
                note: if no_note { Some(None) } else { note.map(Some) },
            };
            if changes.is_empty() {
                return Err(CliError::Usage(
                    "say what to change: --mood, --energy, --tag, --note or --at".into(),
                ));
            }
            let id = find(k, RecordKind::CheckIn, &id)?;
            k.update_check_in(&id, &changes)?;
            eprintln!("Changed the check-in.");
        }
        CheckinCmd::Delete { id, forever } => {
            let id = find(k, RecordKind::CheckIn, &id)?;
            let c = k.check_in(&id)?;
            if forever {
                let e = k.delete_check_in_forever(&id)?;
                let what = format!("the check-in from {}", output::wall(c.occurred_at));
                super::erase::report(k, &what, e);
            } else {
                k.delete_check_in(&id)?;
                eprintln!("Deleted the check-in from {}.", output::wall(c.occurred_at));
            }
        }
        CheckinCmd::List { since, until, json } => {
            let list = k.check_ins(date(&since)?, date(&until)?)?;
            if json {
                return output::json(&list);
            }
            if list.is_empty() {
                println!("No check-ins in this range.");
            }
            let names = output::Names::of(k);
            list.iter().for_each(|c| output::check_in_line(c, &names));
        }
        CheckinCmd::Share { with, since, until } => {
            let since = date(&Some(since))?.unwrap_or(time::Date::MIN);
            let until = date(&Some(until))?.unwrap_or(time::Date::MAX);
            let space = find_share(k, &with)?;
            let n = k.share_check_ins(&space, since, until)?;
            if let Ok(t) = transport(k) {
                let _ = k.sync(&t);
            }
            println!("{n}");
            eprintln!(
                "Shared {} from those days.",
                output::count(n, "check-in", "check-ins")
            );
        }
        CheckinCmd::Unshare { with, since, until } => {
            let since = date(&Some(since))?.unwrap_or(time::Date::MIN);
            let until = date(&Some(until))?.unwrap_or(time::Date::MAX);
            let space = find_share(k, &with)?;
            let n = k.unshare_check_ins(&space, since, until)?;
            if let Ok(t) = transport(k) {
                let _ = k.sync(&t);
            }
            println!("{n}");
            if n == 0 {
                eprintln!("No check-ins from those days were shared; nothing changed.");
            } else {
                let what = if n == 1 {
                    "1 check-in".to_owned()
                } else {
                    format!("{n} check-ins")
                };
                eprintln!(
                    "Stopped sharing {what} from those days. Your own check-ins are as they were."
                );
            }
        }
        CheckinCmd::Summary { weeks, json } => {
            let s = k.weekly_summary(weeks, now_local().date())?;
            if json {
                return output::json(&s);
            }
            s.iter().for_each(output::week);
        }
    }
    Ok(())
}
