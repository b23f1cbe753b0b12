//! Mood check-ins: adding, listing, the weekly look back, sharing a range.

use kindred_core::Kindred;
use kindred_core::model::*;

use crate::CliError;
use crate::args::*;
use crate::output;

use super::{date, now_local, transport, when};

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
        }
        CheckinCmd::List { since, until, json } => {
            let list = k.check_ins(date(&since)?, date(&until)?)?;
            if json {
                return output::json(&list);
            }
            if list.is_empty() {
                println!("No check-ins in this range.");
            }
            list.iter().for_each(output::check_in_line);
        }
        CheckinCmd::Share { with, since, until } => {
            let since = date(&Some(since))?.unwrap_or(time::Date::MIN);
            let until = date(&Some(until))?.unwrap_or(time::Date::MAX);
            let n = k.share_check_ins(&with, since, until)?;
            if let Ok(t) = transport(k) {
                let _ = k.sync(&t);
            }
            println!("{n}");
            eprintln!("Shared {n} check-ins from those days.");
        }
        CheckinCmd::Unshare { with, since, until } => {
            let since = date(&Some(since))?.unwrap_or(time::Date::MIN);
            let until = date(&Some(until))?.unwrap_or(time::Date::MAX);
            let n = k.unshare_check_ins(&with, since, until)?;
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
