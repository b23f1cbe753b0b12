//! What each command does: parse values, call the core, print. One
//! module per area; the helpers every area uses live here.

mod checkins;
mod contacts;
mod crisis;
mod devices;
mod erase;
mod export;
mod goals;
mod notes;
mod plan;
mod prefs;
mod recovery;
mod reminders;
mod sharing;
mod sync;
mod worker_day;

use std::path::{Path, PathBuf};

use kindred_core::model::{RecordKind, parse_day, parse_moment};
use kindred_core::sync::HttpTransport;
use kindred_core::{Id, Kindred};

use crate::CliError;
use crate::args::*;
use crate::keys::{Keys, prepare_dir};
use crate::output;

fn data_dir(cli_dir: Option<PathBuf>) -> Result<PathBuf, CliError> {
    if let Some(d) = cli_dir {
        return Ok(d);
    }
    directories::ProjectDirs::from("org", "Kindred", "kindred")
        .map(|p| p.data_dir().to_path_buf())
        .ok_or_else(|| {
            CliError::Failed("no data folder could be found; pass --data-dir DIR".into())
        })
}

/// The record of `kind` that `typed` names (the start of its id, or a
/// name where names are unique; see the core's `resolve`), with the
/// choices listed when several fit.
fn find(k: &mut Kindred, kind: RecordKind, typed: &str) -> Result<Id, CliError> {
    let found = match kind {
        RecordKind::Goal => k.resolve_goal(typed),
        RecordKind::CheckIn => k.resolve_check_in(typed),
        RecordKind::Contact => k.resolve_contact(typed),
        RecordKind::ContactNote => k.resolve_note(typed),
        _ => k.matches(kind, typed).and_then(|m| one(kind, typed, m)),
    };
    found.map_err(|e| choices(k, kind, typed, e))
}

/// The one match, or the core's error that says why there is not one (the
/// rule of the core's `resolve`, for the kinds it has no `resolve_*` for).
fn one(
    kind: RecordKind,
    typed: &str,
    found: Vec<kindred_core::Match>,
) -> Result<Id, kindred_core::Error> {
    use kindred_core::Error;
    let typed = typed.trim();
    let hex = typed.bytes().all(|b| b.is_ascii_hexdigit());
    match found.as_slice() {
        [m] => Id::parse(&m.id).ok_or(Error::Document),
        [] if typed.is_empty() => Err(Error::Empty { field: "id" }),
        [] if hex && typed.chars().count() < kindred_core::MIN_PREFIX => {
            Err(Error::PrefixTooShort { kind })
        }
        [] if hex => Err(Error::NotFound {
            kind,
            id: typed.to_owned(),
        }),
        [] => Err(Error::NoneNamed { kind }),
        _ => Err(Error::Ambiguous {
            kind,
            count: found.len(),
        }),
    }
}

/// The shared space `typed` names: the start of its id, or the name of
/// someone in it.
fn find_share(k: &mut Kindred, typed: &str) -> Result<String, CliError> {
    k.resolve_share(typed)
        .map_err(|e| choices(k, RecordKind::Space, typed, e))
}

/// A step of a goal, by the start of its id or its words.
fn find_step(k: &mut Kindred, goal: &Id, typed: &str) -> Result<Id, CliError> {
    k.resolve_step(goal, typed).map_err(|e| {
        if let kindred_core::Error::Ambiguous { .. } = e {
            let steps = k.goal(goal).map(|g| g.steps).unwrap_or_default();
            let lines: Vec<String> = steps
                .iter()
                .filter(|s| s.id.as_str().starts_with(typed.trim()) || s.text == typed.trim())
                .map(|s| format!("  {}  {}", output::short(s.id.as_str()), s.text))
                .collect();
            return CliError::Usage(format!("{e}:\n{}", lines.join("\n")));
        }
        e.into()
    })
}

/// The error of a failed look-up; several matches are listed, one a line.
fn choices(k: &mut Kindred, kind: RecordKind, typed: &str, e: kindred_core::Error) -> CliError {
    if let kindred_core::Error::Ambiguous { .. } = e {
        let list = k.matches(kind, typed).unwrap_or_default();
        let lines: Vec<String> = list
            .iter()
            .map(|m| format!("  {}  {}", output::short(&m.id), m.label))
            .collect();
        return CliError::Usage(format!("{e}:\n{}", lines.join("\n")));
    }
    e.into()
}

/// A day: `today`, `yesterday` or `YYYY-MM-DD`.
fn date(s: &Option<String>) -> Result<Option<time::Date>, CliError> {
    let today = now_local().date();
    s.as_deref()
        .map(|s| parse_day(s, today))
        .transpose()
        .map_err(CliError::from)
}

/// A moment: a day, a local date and time, or RFC 3339 (see the core's
/// `parse_moment`).
fn when(s: &Option<String>) -> Result<Option<time::OffsetDateTime>, CliError> {
    let now = now_local();
    s.as_deref()
        .map(|s| parse_moment(s, now))
        .transpose()
        .map_err(CliError::from)
}

fn now_local() -> time::OffsetDateTime {
    let now = time::OffsetDateTime::now_utc().to_offset(output::local());
    now.replace_nanosecond(0).unwrap_or(now)
}

fn open(dir: &Path, passphrase_env: Option<&str>) -> Result<Kindred, CliError> {
    let keys = Keys::find(dir, passphrase_env)?;
    let mut k = Kindred::open(dir, &keys)?;
    recovery::wait_from_env(&mut k)?;
    Ok(k)
}

fn fingerprint(k: &Kindred) -> Result<String, CliError> {
    let key = k.device_public_key()?;
    let hex: String = key.iter().take(8).map(|b| format!("{b:02x}")).collect();
    Ok(hex
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" "))
}

/// Runs one command.
pub fn run(cli: Cli) -> Result<(), CliError> {
    let dir = data_dir(cli.data_dir)?;
    let pass = cli.passphrase_env.as_deref();
    match cli.command {
        Command::Init { name, person } => {
            if let Some(p) = &person {
                kindred_core::check_person_name(p)?;
            }
            prepare_dir(&dir)?;
            if Kindred::database_path(&dir).exists() {
                return Err(CliError::Failed(
                    "Kindred data already exists here; nothing was changed".into(),
                ));
            }
            let keys = Keys::create(&dir, pass)?;
            let made = Kindred::init(&dir, &keys, &name).and_then(|mut k| {
                if let Some(p) = &person {
                    k.set_person_name(p)?;
                }
                Ok(k)
            });
            let k = match made {
                Ok(k) => k,
                Err(e) => {
                    // Bad input changes nothing: take the new key away again.
                    keys.remove();
                    return Err(e.into());
                }
            };
            match k.person_name() {
                Some(p) => println!("Kindred is ready on {}, for {p}.", k.device().name),
                None => println!("Kindred is ready on {}.", k.device().name),
            }
            println!(
                "Its fingerprint, to check when you pair or share: {}",
                fingerprint(&k)?
            );
            eprintln!("Your records are kept, sealed, in {}.", dir.display());
            Ok(())
        }
        Command::Pair(PairCmd::Join {
            payload,
            name,
            person,
            timeout,
            insecure_http,
        }) => devices::pair_join(
            &dir,
            pass,
            &payload,
            &name,
            person.as_deref(),
            timeout,
            insecure_http,
        ),
        Command::Recovery(RecoveryCmd::Restore {
            server,
            name,
            words,
            shares,
            keep_old_devices,
            insecure_http,
        }) => recovery::restore(
            &dir,
            pass,
            &recovery::RestoreArgs {
                server: &server,
                name: &name,
                words: words.as_deref(),
                shares: &shares,
                keep_old_devices,
                insecure_http,
            },
        ),
        command => {
            let mut k = open(&dir, pass)?;
            run_on(&mut k, command)
        }
    }
}

fn run_on(k: &mut Kindred, command: Command) -> Result<(), CliError> {
    match command {
        Command::Init { .. }
        | Command::Pair(PairCmd::Join { .. })
        | Command::Recovery(RecoveryCmd::Restore { .. }) => {
            unreachable!("handled before opening")
        }
        Command::Goal(c) => goals::run(k, c),
        Command::Checkin(c) => checkins::run(k, c),
        Command::Contact(c) => contacts::run(k, c),
        Command::Note(c) => notes::run(k, c),
        Command::Plan(c) => plan::run(k, c),
        Command::Crisis(c) => crisis::run(k, c),
        Command::Resource(c) => crisis::resource(k, c),
        Command::Followups {
            cmd: Some(c),
            week: _,
            today: _,
            json: _,
        } => worker_day::plan(k, c),
        Command::Followups {
            cmd: None,
            week,
            today,
            json,
        } => worker_day::followups(k, week, &today, json),
        Command::Time { today, json } => worker_day::time(k, &today, json),
        Command::Prefs(c) => prefs::run(k, c),
        Command::Reminders(c) => reminders::run(k, c),
        Command::Export(a) => export::run(k, a),
        Command::Compact => {
            for id in k.spaces().iter().map(|s| s.id.clone()).collect::<Vec<_>>() {
                k.compact_space(&id)?;
            }
            eprintln!("Compacted.");
            Ok(())
        }
        Command::Device { json } => devices::show_device(k, json),
        Command::Server { url, insecure_http } => {
            k.set_server_with(&url, insecure_http)?;
            eprintln!("This device will sync with {}.", url.trim());
            Ok(())
        }
        Command::Sync {
            watch,
            interval,
            passes,
        } => sync::run(k, watch, interval, passes),
        Command::Status { json } => sync::status(k, json),
        Command::EraseEverything { yes } => erase::everything(k, yes),
        Command::Erasures { json } => erase::list(k, json),
        Command::Pair(PairCmd::Offer { timeout, yes }) => devices::pair_offer(k, timeout, yes),
        Command::Devices {
            cmd:
                Some(DevicesCmd::Remove {
                    id,
                    lost,
                    kit_words,
                }),
            ..
        } => recovery::remove(k, &id, lost, kit_words.as_deref()),
        Command::Devices {
            cmd: Some(DevicesCmd::PendingRemovals { json }),
            ..
        } => recovery::pending(k, json),
        Command::Devices {
            cmd: Some(DevicesCmd::CancelRemoval { id }),
            ..
        } => recovery::cancel(k, &id),
        Command::Devices {
            cmd: Some(DevicesCmd::History { json }),
            ..
        } => recovery::history(k, json),
        Command::Recovery(RecoveryCmd::Create { split, old_words }) => {
            recovery::create(k, split.as_deref(), old_words.as_deref())
        }
        Command::Recovery(RecoveryCmd::Status { json }) => recovery::status(k, json),
        Command::Devices {
            cmd: Some(DevicesCmd::RotateWrapKey),
            ..
        } => devices::rotate_wrap_key(k),
        Command::Invite(c) => sharing::invite(k, c),
        Command::Share(c) => sharing::share(k, c),
        Command::Devices { json, cmd: None } => devices::list(k, json),
    }
}

/// Sends what changed to the sync server now, if one is set and it can be
/// reached (otherwise it goes with the next `sync`).
fn sync_quietly(k: &mut Kindred) {
    if let Ok(t) = transport(k) {
        let _ = k.sync(&t);
    }
}

fn transport(k: &Kindred) -> Result<HttpTransport, CliError> {
    let url = k.server()?.ok_or_else(|| {
        CliError::Failed("no sync server set: run `kindred server URL` first".into())
    })?;
    HttpTransport::with_policy(&url, k.server_allows_insecure_http()?)
        .map_err(|e| CliError::Failed(e.to_string()))
}
