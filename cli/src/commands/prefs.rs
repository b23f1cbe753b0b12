//! How a person wants to be reached: set by the person in a share, read
//! by the worker beside their follow-ups. Also the plain words for them.

use kindred_core::Kindred;
use kindred_core::model::*;
use serde::Serialize;
use time::Weekday;

use crate::CliError;
use crate::args::*;
use crate::output;

use super::plan::who;
use super::{find_share, sync_quietly};

/// "a text", "a call".
pub(super) fn way_words(w: &ContactWay) -> String {
    match w {
        ContactWay::Call => "a call".to_owned(),
        ContactWay::Text => "a text".to_owned(),
        ContactWay::InPerson => "meeting in person".to_owned(),
        ContactWay::Video => "a video call".to_owned(),
        ContactWay::Unknown(s) => output::status_word(s),
    }
}

/// "Mon".
pub(super) fn day_word(d: Weekday) -> &'static str {
    match d {
        Weekday::Monday => "Mon",
        Weekday::Tuesday => "Tue",
        Weekday::Wednesday => "Wed",
        Weekday::Thursday => "Thu",
        Weekday::Friday => "Fri",
        Weekday::Saturday => "Sat",
        Weekday::Sunday => "Sun",
    }
}

/// "on weekdays", "at weekends", "every day", "on Mon, Wed and Fri".
fn days_words(days: &[Weekday]) -> String {
    use Weekday::*;
    match days {
        [] => "every day".to_owned(),
        [Monday, Tuesday, Wednesday, Thursday, Friday] => "on weekdays".to_owned(),
        [Saturday, Sunday] => "at weekends".to_owned(),
        [one] => format!("on {}", day_word(*one)),
        [rest @ .., last] => {
            let rest: Vec<&str> = rest.iter().map(|d| day_word(*d)).collect();
            format!("on {} and {}", rest.join(", "), day_word(*last))
        }
    }
}

/// "10:00–14:00 on weekdays".
fn window_words(w: &TimeWindow) -> String {
    format!(
        "{}–{} {}",
        format_clock(w.from),
        format_clock(w.to),
        days_words(&w.days)
    )
}

/// `UTC+01:00`.
fn offset_words(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", s / 3600, (s % 3600) / 60)
}

/// The person's best times in words, with their time zone when it is not
/// this computer's: "10:00–14:00 on weekdays or 18:00–20:00 every day".
pub(super) fn times_words(p: &ContactPrefs) -> String {
    let windows: Vec<String> = p.best_times.iter().map(window_words).collect();
    let mut out = windows.join(" or ");
    if p.utc_offset != output::local().whole_seconds() {
        out.push_str(&format!(" (their time, {})", offset_words(p.utc_offset)));
    }
    out
}

/// Every line `prefs show` prints for one share's preferences.
fn prefs_lines(p: &ContactPrefs) -> Vec<String> {
    if p.is_empty() {
        return vec!["nothing said yet".to_owned()];
    }
    let mut out = Vec::new();
    if !p.ways.is_empty() {
        let ways: Vec<String> = p.ways.iter().map(way_words).collect();
        out.push(format!("ways: {}", ways.join(", then ")));
    }
    if !p.best_times.is_empty() {
        out.push(format!("best times: {}", times_words(p)));
    }
    out.push(if p.no_voicemail {
        "no voicemail please".to_owned()
    } else {
        "a voicemail is fine".to_owned()
    });
    if let Some(w) = &p.call_word {
        out.push(format!("word to use when calling: {w}"));
    }
    if let Some(n) = &p.note {
        out.push(format!("note: {n}"));
    }
    out
}

#[derive(Serialize)]
struct SharePrefs {
    space: String,
    name: String,
    prefs: ContactPrefs,
}

fn parse_ways(typed: &str) -> Result<Vec<ContactWay>, CliError> {
    typed
        .split(',')
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(|w| ContactWay::parse(w).map_err(CliError::from))
        .collect()
}

pub(super) fn run(k: &mut Kindred, c: PrefsCmd) -> Result<(), CliError> {
    match c {
        PrefsCmd::Show { share, json } => {
            let only = share.as_deref().map(|s| find_share(k, s)).transpose()?;
            let mut all = Vec::new();
            for s in k.shares()? {
                if s.ended || only.as_ref().is_some_and(|o| o != &s.space) {
                    continue;
                }
                let prefs = k.contact_prefs(&s.space)?;
                all.push(SharePrefs {
                    space: s.space,
                    name: s.name,
                    prefs,
                });
            }
            if json {
                return match (&only, all.pop()) {
                    (Some(_), Some(one)) => output::json(&one.prefs),
                    (_, last) => {
                        all.extend(last);
                        output::json(&all)
                    }
                };
            }
            if all.is_empty() {
                println!("Nothing is shared, so there is no one to say this to yet.");
            }
            for s in &all {
                println!("With {} (share {}):", who(&s.name), output::short(&s.space));
                prefs_lines(&s.prefs).iter().for_each(|l| println!("  {l}"));
            }
        }
        PrefsCmd::Set {
            share,
            ways,
            no_ways,
            best,
            no_best,
            no_voicemail,
            voicemail_ok,
            word,
            no_word,
            note,
            no_note,
        } => {
            let ways = ways.as_deref().map(parse_ways).transpose()?;
            let best = best
                .iter()
                .map(|w| TimeWindow::parse(w))
                .collect::<Result<Vec<_>, _>>()?;
            let nothing = ways.is_none()
                && !no_ways
                && best.is_empty()
                && !no_best
                && !no_voicemail
                && !voicemail_ok
                && word.is_none()
                && !no_word
                && note.is_none()
                && !no_note;
            if nothing {
                return Err(CliError::Usage(
                    "say what to set: --ways, --best, --no-voicemail or --voicemail-ok, --word or --note".into(),
                ));
            }
            let space = find_share(k, &share)?;
            let mut p = k.contact_prefs(&space)?;
            if let Some(w) = ways {
                p.ways = w;
            } else if no_ways {
                p.ways.clear();
            }
            if !best.is_empty() {
                p.best_times = best;
            } else if no_best {
                p.best_times.clear();
            }
            if no_voicemail || voicemail_ok {
                p.no_voicemail = no_voicemail;
            }
            if word.is_some() || no_word {
                p.call_word = word;
            }
            if note.is_some() || no_note {
                p.note = note;
            }
            // The hours are in this person's own time, as it is now.
            p.utc_offset = output::local().whole_seconds();
            let zone = super::reminders::local_zone(None);
            p.zone = kindred_core::reminders::zone(&zone).is_ok().then_some(zone);
            k.set_contact_prefs(&space, &p)?;
            sync_quietly(k);
            let name = k
                .shares()?
                .into_iter()
                .find(|s| s.space == space)
                .map(|s| s.name)
                .unwrap_or_default();
            eprintln!(
                "Saved how you want to be reached. {} will see it when they plan a call or a visit.",
                who(&name)
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_in_plain_words() {
        let w = |s: &str| window_words(&TimeWindow::parse(s).unwrap());
        assert_eq!(w("mon-fri 10:00-14:00"), "10:00–14:00 on weekdays");
        assert_eq!(w("sat,sun 09:00-12:00"), "09:00–12:00 at weekends");
        assert_eq!(w("18:00-20:00"), "18:00–20:00 every day");
        assert_eq!(
            w("mon,wed,fri 08:30-09:00"),
            "08:30–09:00 on Mon, Wed and Fri"
        );
        assert_eq!(w("tue 08:30-09:00"), "08:30–09:00 on Tue");
        assert_eq!(offset_words(-5 * 3600), "UTC-05:00");
        assert_eq!(offset_words(5 * 3600 + 1800), "UTC+05:30");
    }
}
