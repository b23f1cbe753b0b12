//! Reminders: the check-in times the person picks, and the next moments
//! the core says to notify (check-ins, goal steps due, a worker's
//! follow-ups), in the machine's time zone or one given.

use kindred_core::Kindred;
use kindred_core::reminders::{NewCheckInReminder, ReminderKind, ReminderTime};

use crate::CliError;
use crate::args::RemindersCmd;
use crate::output;

use super::{now_local, when};

/// The machine's IANA zone: `--zone`, else `TZ`, else /etc/timezone or
/// the /etc/localtime link, else UTC.
pub(super) fn local_zone(given: Option<String>) -> String {
    if let Some(z) = given {
        return z;
    }
    if let Ok(tz) = std::env::var("TZ")
        && !tz.trim().is_empty()
    {
        return tz.trim().trim_start_matches(':').to_owned();
    }
    if let Ok(s) = std::fs::read_to_string("/etc/timezone")
        && !s.trim().is_empty()
    {
        return s.trim().to_owned();
    }
    if let Ok(target) = std::fs::read_link("/etc/localtime")
        && let Some(name) = target.to_string_lossy().split("zoneinfo/").nth(1)
    {
        return name.to_owned();
    }
    "UTC".to_owned()
}

fn kind_words(k: ReminderKind) -> &'static str {
    match k {
        ReminderKind::CheckIn => "a check-in",
        ReminderKind::GoalStep => "a step of a goal, due that day",
        ReminderKind::FollowUp => "someone to follow up with",
    }
}

pub(crate) fn run(k: &mut Kindred, cmd: RemindersCmd) -> Result<(), CliError> {
    match cmd {
        RemindersCmd::Next {
            days,
            from,
            zone,
            json,
        } => {
            let zone = local_zone(zone);
            let now = when(&from)?.unwrap_or_else(now_local);
            let fires = k.next_reminders(now, &zone, days)?;
            if json {
                return output::json(&fires);
            }
            if fires.is_empty() {
                println!("No reminders in the next {days} days.");
                return Ok(());
            }
            let offset = output::local();
            for f in &fires {
                println!(
                    "  {}  {}",
                    kindred_core::model::format_short_time(f.at.to_offset(offset)),
                    kind_words(f.kind)
                );
            }
            println!("(A notification shows only \"Kindred\"; zone {zone}.)");
            Ok(())
        }
        RemindersCmd::List { json } => {
            let rules = k.check_in_reminders()?;
            if json {
                return output::json(&rules);
            }
            if rules.is_empty() {
                println!("No check-in reminders. Add one with `kindred reminders set 20:00`.");
            }
            for r in rules {
                let days: Vec<&str> = r
                    .days
                    .iter()
                    .map(|d| kindred_core::model::day_name(*d))
                    .collect();
                let on = if days.is_empty() {
                    "every day".to_owned()
                } else {
                    days.join(", ")
                };
                println!("  {}  {on}", r.at);
            }
            Ok(())
        }
        RemindersCmd::Set { times, days, none } => {
            let days = match days {
                Some(d) => d
                    .split(',')
                    .map(|d| kindred_core::model::parse_day_name(d).map_err(CliError::from))
                    .collect::<Result<Vec<_>, _>>()?,
                None => Vec::new(),
            };
            if none && !times.is_empty() {
                return Err(CliError::Usage("give times, or --none, not both".into()));
            }
            if !none && times.is_empty() {
                return Err(CliError::Usage(
                    "give at least one time (e.g. 20:00), or --none to stop check-in reminders"
                        .into(),
                ));
            }
            let new = times
                .iter()
                .map(|t| {
                    Ok(NewCheckInReminder {
                        at: ReminderTime::parse(t)?,
                        days: days.clone(),
                    })
                })
                .collect::<Result<Vec<_>, kindred_core::Error>>()?;
            let kept = k.set_check_in_reminders(&new)?;
            if kept.is_empty() {
                println!("No check-in reminders now.");
            } else {
                let at: Vec<String> = kept.iter().map(|r| r.at.to_string()).collect();
                println!("Check-in reminders at {}.", at.join(", "));
            }
            Ok(())
        }
    }
}
