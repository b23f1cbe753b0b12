//! What each command does: parse values, call the core, print.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kindred_core::model::*;
use kindred_core::sync::{AcceptOutcome, HttpTransport, LiveEvent, LiveHints, PullProgress, Sas};
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

fn id(s: &str) -> Result<Id, CliError> {
    Id::parse(s.trim()).ok_or_else(|| CliError::Usage(format!("'{}' is not an id", s.trim())))
}

fn date(s: &Option<String>) -> Result<Option<time::Date>, CliError> {
    s.as_deref()
        .map(parse_date)
        .transpose()
        .map_err(CliError::from)
}

fn when(s: &Option<String>) -> Result<Option<time::OffsetDateTime>, CliError> {
    s.as_deref()
        .map(parse_time)
        .transpose()
        .map_err(CliError::from)
}

fn now_local() -> time::OffsetDateTime {
    let now = time::OffsetDateTime::now_local().unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    now.replace_nanosecond(0).unwrap_or(now)
}

fn open(dir: &Path, passphrase_env: Option<&str>) -> Result<Kindred, CliError> {
    let keys = Keys::find(dir, passphrase_env)?;
    Ok(Kindred::open(dir, &keys)?)
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
        Command::Init { name } => {
            prepare_dir(&dir)?;
            if Kindred::database_path(&dir).exists() {
                return Err(CliError::Failed(
                    "Kindred data already exists here; nothing was changed".into(),
                ));
            }
            let keys = Keys::create(&dir, pass)?;
            let k = match Kindred::init(&dir, &keys, &name) {
                Ok(k) => k,
                Err(e) => {
                    // Bad input changes nothing: take the new key away again.
                    keys.remove();
                    return Err(e.into());
                }
            };
            println!("device {}", k.device().id);
            println!("fingerprint {}", fingerprint(&k)?);
            eprintln!("Kindred is ready in {}.", dir.display());
            Ok(())
        }
        Command::Pair(PairCmd::Join {
            payload,
            name,
            timeout,
        }) => pair_join(&dir, pass, &payload, &name, timeout),
        command => {
            let mut k = open(&dir, pass)?;
            run_on(&mut k, command)
        }
    }
}

fn run_on(k: &mut Kindred, command: Command) -> Result<(), CliError> {
    match command {
        Command::Init { .. } | Command::Pair(PairCmd::Join { .. }) => {
            unreachable!("handled before opening")
        }
        Command::Goal(c) => goal(k, c),
        Command::Checkin(c) => checkin(k, c),
        Command::Contact(c) => contact(k, c),
        Command::Note(c) => note(k, c),
        Command::Export(a) => export(k, a),
        Command::Compact => {
            for id in k.spaces().iter().map(|s| s.id.clone()).collect::<Vec<_>>() {
                k.compact_space(&id)?;
            }
            eprintln!("Compacted.");
            Ok(())
        }
        Command::Device { json } => {
            let fp = fingerprint(k)?;
            if json {
                output::json(&serde_json::json!({
                    "id": k.device().id,
                    "name": k.device().name,
                    "fingerprint": fp,
                    "spaces": k.spaces(),
                    "server": k.server()?,
                }))
            } else {
                println!("{} ({})", k.device().name, k.device().id);
                println!("fingerprint {fp}");
                for s in k.spaces() {
                    println!("space {}  {}", s.id, s.kind);
                }
                Ok(())
            }
        }
        Command::Server { url } => {
            k.set_server(&url)?;
            eprintln!("This device will sync with {}.", url.trim());
            Ok(())
        }
        Command::Sync {
            watch,
            interval,
            passes,
        } => sync(k, watch, interval, passes),
        Command::Status { json } => {
            let status = k.sync_status()?;
            if json {
                return output::json(&status);
            }
            for s in &status {
                let state = if s.removed {
                    "this device was removed from this space".to_owned()
                } else if !s.on_server {
                    "not synced yet".to_owned()
                } else if s.pending == 0 {
                    "everything here is on the server".to_owned()
                } else {
                    format!("{} changes waiting to sync", s.pending)
                };
                println!("{}: {state}", s.kind);
                for seen in &s.seen_by {
                    let word = if seen.up_to_date {
                        "has"
                    } else {
                        "does not have yet"
                    };
                    println!("  {} {word} your latest changes", seen.device);
                }
                if let Some(at) = &s.last_pull_at {
                    println!("  last synced {at}");
                }
                if s.quarantined > 0 {
                    println!(
                        "  {} changes failed their checks and were set aside",
                        s.quarantined
                    );
                }
                if s.waiting > 0 {
                    println!("  {} changes wait for an earlier change", s.waiting);
                }
                if let Some(e) = &s.last_error {
                    println!("  last problem: {e}");
                }
            }
            Ok(())
        }
        Command::Pair(PairCmd::Offer { timeout }) => pair_offer(k, timeout),
        Command::Devices {
            cmd: Some(DevicesCmd::Remove { id }),
            ..
        } => {
            let t = transport(k)?;
            let r = k.remove_device(&t, &id)?;
            println!(
                "removed {} ({}) from {}; those spaces now use a new key",
                r.name,
                r.fingerprint,
                r.spaces.join(", ")
            );
            Ok(())
        }
        Command::Invite(c) => invite(k, c),
        Command::Share(c) => share(k, c),
        Command::Devices { json, cmd: None } => {
            let devices = k.devices()?;
            if json {
                return output::json(&devices);
            }
            if devices.is_empty() {
                println!("No synced spaces yet: set a server and run `kindred sync`.");
            }
            for d in devices {
                let me = if d.this_device { "  (this device)" } else { "" };
                println!(
                    "{}  {:<8}  {:<6}  {}{me}",
                    d.fingerprint, d.space, d.role, d.name
                );
            }
            Ok(())
        }
    }
}

fn transport(k: &Kindred) -> Result<HttpTransport, CliError> {
    let url = k.server()?.ok_or_else(|| {
        CliError::Failed("no sync server set: run `kindred server URL` first".into())
    })?;
    HttpTransport::new(&url).map_err(|e| CliError::Failed(e.to_string()))
}

fn sync(k: &mut Kindred, watch: bool, interval: u64, passes: Option<u64>) -> Result<(), CliError> {
    let t = transport(k)?;
    let url = k.server()?.unwrap_or_default();
    let wait = Duration::from_secs(interval);
    let mut bar = ProgressBar::new();
    let mut live: Option<LiveHints> = None;
    let mut hinted: Option<String> = None;
    let mut done = 0u64;
    loop {
        // A hint names one space: pull just that one. Otherwise a full pass.
        let result = match hinted.take() {
            Some(space) => k.sync_space(&t, &space).map(|r| vec![r]),
            None => k
                .sync_with_progress(&t, &mut |p| bar.show(p))
                .map(|r| r.spaces),
        };
        bar.clear();
        match result {
            Ok(spaces) => {
                for s in &spaces {
                    // Watching, say only what moved.
                    if watch
                        && done > 0
                        && s.pushed == 0
                        && s.pulled == 0
                        && s.quarantined == 0
                        && !s.removed
                    {
                        continue;
                    }
                    if s.removed {
                        println!(
                            "{}: this device was removed from this space; its copy here was deleted",
                            s.kind
                        );
                        continue;
                    }
                    println!("{}: sent {}, received {}", s.kind, s.pushed, s.pulled);
                    if s.quarantined > 0 {
                        println!(
                            "  {} changes failed their checks and were set aside",
                            s.quarantined
                        );
                    }
                }
            }
            Err(e) if watch => eprintln!("kindred: {e}"),
            Err(e) => return Err(e.into()),
        }
        done += 1;
        if !watch || passes.is_some_and(|p| done >= p) {
            if let Some(l) = live {
                l.close();
            }
            return Ok(());
        }
        // Wait for a live hint, or poll again after the interval when the
        // relay is quiet or the live connection cannot be had.
        if live.is_none() {
            live = k
                .relay_token(&t)
                .ok()
                .and_then(|token| LiveHints::connect(&url, &token).ok());
        }
        match live.as_mut().map(|l| l.next(wait)) {
            Some(Ok(LiveEvent::Changed { space, .. })) => hinted = Some(space),
            Some(Ok(LiveEvent::Quiet)) => {}
            Some(Err(_)) => {
                live = None;
                std::thread::sleep(wait);
            }
            None => std::thread::sleep(wait),
        }
    }
}

/// A one-line progress bar on stderr for long pulls (a first sync of years
/// of records), shown only on a terminal and only when there is a lot.
struct ProgressBar {
    tty: bool,
    shown: bool,
}

impl ProgressBar {
    const WORTH_SHOWING: u64 = 500;

    fn new() -> ProgressBar {
        use std::io::IsTerminal;
        ProgressBar {
            tty: std::io::stderr().is_terminal(),
            shown: false,
        }
    }

    fn show(&mut self, p: &PullProgress) {
        if !self.tty || p.total < Self::WORTH_SHOWING {
            return;
        }
        eprint!("\r{}", progress_line(p));
        self.shown = true;
    }

    fn clear(&mut self) {
        if self.shown {
            eprint!("\r{:60}\r", "");
            self.shown = false;
        }
    }
}

/// `receiving personal [#######.............]  35% (3500 of 10000)`.
fn progress_line(p: &PullProgress) -> String {
    const WIDTH: u64 = 20;
    let total = p.total.max(1);
    let done = p.done.min(total);
    let filled = (done * WIDTH / total) as usize;
    format!(
        "receiving {} [{}{}] {:>3}% ({} of {})",
        p.kind,
        "#".repeat(filled),
        ".".repeat(WIDTH as usize - filled),
        done * 100 / total,
        done,
        p.total
    )
}

fn sas_line(s: &Sas) -> String {
    format!("{}  {}", s.digits, s.emoji.join(" "))
}

/// Asks on stderr, reads a yes or no from stdin.
fn ask_yes(question: &str) -> bool {
    eprint!("{question} [y/N] ");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).is_ok()
        && matches!(line.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

/// Polls `f` every half second until it gives something or time runs out.
fn poll<T>(
    deadline: Instant,
    mut f: impl FnMut() -> Result<Option<T>, kindred_core::Error>,
) -> Result<T, CliError> {
    while Instant::now() < deadline {
        match f() {
            Ok(Some(v)) => return Ok(v),
            Ok(None) | Err(kindred_core::Error::Unreachable) => {}
            Err(e) => return Err(e.into()),
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    Err(CliError::Failed(
        "the other person did not answer in time; no one was added".into(),
    ))
}

fn invite(k: &mut Kindred, c: InviteCmd) -> Result<(), CliError> {
    let t = transport(k)?;
    match c {
        InviteCmd::Create {
            space,
            role,
            timeout,
        } => {
            let role = kindred_core::sync::parse_role(&role)?;
            let mut inv = k.invite_create(&t, space.as_deref(), role)?;
            println!("{}", inv.code());
            eprintln!(
                "Give the other person this code (read it out, or text it). It works for {timeout} seconds."
            );
            let deadline = Instant::now() + Duration::from_secs(timeout);
            let sas = poll(deadline, || k.invite_poll(&t, &mut inv))?;
            println!("{}", sas_line(&sas));
            eprintln!(
                "{} answered. Check together that their screen shows the same numbers and pictures.",
                inv.joiner_name().unwrap_or("The other device")
            );
            if !ask_yes("Do they match?") {
                k.invite_decline(&t, &inv)?;
                return Err(CliError::Failed(
                    "you said the strings differ; no one was added".into(),
                ));
            }
            let joined = poll(deadline, || k.invite_confirm(&t, &inv))?;
            println!(
                "shared with {} ({}) as {} in space {}",
                joined.name, joined.fingerprint, joined.role, joined.space
            );
            Ok(())
        }
        InviteCmd::Join {
            code,
            yes_if_sas,
            timeout,
        } => {
            let mut j = k.invite_join(&t, &code)?;
            let deadline = Instant::now() + Duration::from_secs(timeout);
            let sas = poll(deadline, || k.invite_join_poll(&t, &mut j))?;
            println!("{}", sas_line(&sas));
            let same = match &yes_if_sas {
                Some(expected) => {
                    let digits =
                        |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
                    digits(expected) == digits(&sas.digits)
                }
                None => {
                    eprintln!(
                        "Check together with {} that their screen shows the same numbers and pictures.",
                        j.inviter_name().unwrap_or("the other person")
                    );
                    ask_yes("Do they match?")
                }
            };
            if !same {
                k.invite_join_decline(&t, &j)?;
                return Err(CliError::Failed(
                    "the strings differ; you did not join and no one was added".into(),
                ));
            }
            k.invite_join_confirm(&t, &mut j)?;
            let joined = poll(deadline, || k.invite_join_finish(&t, &j))?;
            println!(
                "joined the share of {} ({}) as {} in space {}",
                joined.name, joined.fingerprint, joined.role, joined.space
            );
            Ok(())
        }
    }
}

fn share(k: &mut Kindred, c: ShareCmd) -> Result<(), CliError> {
    match c {
        ShareCmd::Goal { id: g, with } => {
            k.share_goal(&id(&g)?, &with)?;
            if let Ok(t) = transport(k) {
                let _ = k.sync(&t);
            }
            eprintln!("Shared. `kindred share list` shows who can see it.");
            Ok(())
        }
        ShareCmd::Stop { id: g } => {
            k.unshare_goal(&id(&g)?)?;
            if let Ok(t) = transport(k) {
                let _ = k.sync(&t);
            }
            eprintln!("This goal is yours alone again from now on.");
            Ok(())
        }
        ShareCmd::List { json } => {
            let shares = k.shares()?;
            if json {
                return output::json(&shares);
            }
            if shares.is_empty() {
                println!("Nothing is shared.");
            }
            for s in &shares {
                println!(
                    "space {}  {}",
                    s.space,
                    s.name.as_deref().unwrap_or("shared")
                );
                for m in &s.members {
                    let whose = if m.mine { ", yours" } else { "" };
                    println!("  {}  {} ({}{whose})", m.fingerprint, m.name, m.role);
                }
                if s.goals.is_empty() {
                    println!("  no goals shared");
                }
                for g in &s.goals {
                    println!("  goal {}  {}", g.id, g.title);
                }
            }
            Ok(())
        }
        ShareCmd::End { space, member } => {
            let t = transport(k)?;
            let r = k.end_share(&t, &space, member.as_deref())?;
            println!(
                "ended: {} ({}) was removed and the space uses a new key",
                r.name, r.fingerprint
            );
            Ok(())
        }
    }
}

fn pair_offer(k: &mut Kindred, timeout: u64) -> Result<(), CliError> {
    let t = transport(k)?;
    let server = k.server()?.unwrap_or_default();
    let offer = k.pair_offer(&server, Duration::from_secs(timeout))?;
    let text = offer.to_text();
    println!("{text}");
    if let Ok(code) = qrcode::QrCode::new(text.as_bytes()) {
        let qr = code
            .render::<qrcode::render::unicode::Dense1x2>()
            .quiet_zone(true)
            .build();
        eprintln!("{qr}");
    }
    eprintln!("On the new device, run: kindred pair join {text} --name NAME");
    eprintln!("Waiting up to {timeout} seconds ...");
    let deadline = Instant::now() + Duration::from_secs(timeout);
    let mut rejected = 0;
    while Instant::now() < deadline {
        match k.pair_accept(&t, &offer) {
            Ok(AcceptOutcome::Joined(d)) => {
                println!("paired with {} ({})", d.name, d.fingerprint);
                return Ok(());
            }
            Ok(AcceptOutcome::Waiting { rejected: r }) => rejected += r,
            Err(kindred_core::Error::PairingExpired) => break,
            Err(kindred_core::Error::Unreachable) => {}
            Err(e) => return Err(e.into()),
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    let why = if rejected > 0 {
        format!("{rejected} device(s) tried with a wrong code; no one was added")
    } else {
        "no device joined in time; no one was added".into()
    };
    Err(CliError::Failed(why))
}

fn pair_join(
    dir: &Path,
    pass: Option<&str>,
    payload: &str,
    name: &str,
    timeout: u64,
) -> Result<(), CliError> {
    let offer = kindred_protocol_offer(payload)?;
    prepare_dir(dir)?;
    if Kindred::database_path(dir).exists() {
        return Err(CliError::Failed(
            "this folder already holds Kindred data; join from a new --data-dir".into(),
        ));
    }
    let keys = Keys::create(dir, pass)?;
    let mut k = match Kindred::init_joining(dir, &keys, name) {
        Ok(k) => k,
        Err(e) => {
            keys.remove();
            return Err(e.into());
        }
    };
    k.set_server(&offer)?;
    let t = transport(&k)?;
    let offer = k.pair_join_request(&t, payload)?;
    eprintln!("Waiting for the other device ...");
    let deadline = Instant::now() + Duration::from_secs(timeout);
    while Instant::now() < deadline {
        match k.pair_join_finish(&t, &offer) {
            Ok(Some(d)) => {
                println!("joined {} ({})", d.name, d.fingerprint);
                let goals = k.goals(None).map(|g| g.len()).unwrap_or(0);
                let check_ins = k.check_ins(None, None).map(|c| c.len()).unwrap_or(0);
                eprintln!("Synced: {goals} goals, {check_ins} check-ins.");
                return Ok(());
            }
            Ok(None) | Err(kindred_core::Error::Unreachable) => {}
            Err(e) => return Err(e.into()),
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    Err(CliError::Failed(
        "the other device did not answer in time: the code may be used, expired or mistyped".into(),
    ))
}

/// The server named in an offer's text (checked again by the core).
fn kindred_protocol_offer(payload: &str) -> Result<String, CliError> {
    kindred_core::sync::offer_server(payload).map_err(CliError::from)
}

fn goal(k: &mut Kindred, c: GoalCmd) -> Result<(), CliError> {
    match c {
        GoalCmd::Add {
            title,
            why,
            area,
            target,
        } => {
            let g = NewGoal {
                title,
                why,
                area: area.as_deref().map(LifeArea::parse).transpose()?,
                target_date: date(&target)?,
            };
            println!("{}", k.add_goal(&g)?);
        }
        GoalCmd::List { status, json } => {
            let status = status.as_deref().map(GoalStatus::parse).transpose()?;
            let goals = k.goals(status.as_ref())?;
            if json {
                return output::json(&goals);
            }
            if goals.is_empty() {
                println!("No goals yet.");
            }
            goals.iter().for_each(output::goal_line);
        }
        GoalCmd::Show { id: i, json } => {
            let g = k.goal(&id(&i)?)?;
            if json {
                return output::json(&g);
            }
            output::goal(&g);
        }
        GoalCmd::Edit {
            id: i,
            title,
            why,
            area,
            target,
        } => {
            let changes = GoalChanges {
                title,
                why: why.map(Some),
                area: area.as_deref().map(LifeArea::parse).transpose()?.map(Some),
                target_date: date(&target)?.map(Some),
            };
            k.update_goal(&id(&i)?, &changes)?;
        }
        GoalCmd::Status { id: i, status } => {
            let s = GoalStatus::parse(&status)?;
            k.set_goal_status(&id(&i)?, &s)?;
        }
        GoalCmd::Step(StepCmd::Add { goal_id, text, due }) => {
            println!("{}", k.add_step(&id(&goal_id)?, &text, date(&due)?)?);
        }
        GoalCmd::Step(StepCmd::Done { goal_id, step_id }) => {
            k.set_step_done(&id(&goal_id)?, &id(&step_id)?, true)?
        }
        GoalCmd::Step(StepCmd::Undo { goal_id, step_id }) => {
            k.set_step_done(&id(&goal_id)?, &id(&step_id)?, false)?
        }
        GoalCmd::Progress { goal_id, note } => {
            println!("{}", k.add_progress(&id(&goal_id)?, &note)?)
        }
    }
    Ok(())
}

fn checkin(k: &mut Kindred, c: CheckinCmd) -> Result<(), CliError> {
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

fn contact(k: &mut Kindred, c: ContactCmd) -> Result<(), CliError> {
    match c {
        ContactCmd::Add { name } => println!("{}", k.add_contact(&NewContact { name })?),
        ContactCmd::List { json } => {
            let list = k.contacts()?;
            if json {
                return output::json(&list);
            }
            if list.is_empty() {
                println!("No contacts yet.");
            }
            list.iter().for_each(output::contact_line);
        }
        ContactCmd::Show { id: i, json } => {
            let c = k.contact(&id(&i)?)?;
            if json {
                return output::json(&c);
            }
            output::contact_line(&c);
        }
    }
    Ok(())
}

fn required<T>(v: Option<T>, flag: &str) -> Result<T, CliError> {
    v.ok_or_else(|| CliError::Usage(format!("{flag} is required")))
}

fn note(k: &mut Kindred, c: NoteCmd) -> Result<(), CliError> {
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
            eprintln!("Shared. The person can read it, add their words and review it.");
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

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| CliError::Failed(format!("could not write {}: {e}", path.display())))?;
    f.write_all(bytes)
        .map_err(|e| CliError::Failed(format!("could not write {}: {e}", path.display())))
}

fn export(k: &mut Kindred, a: ExportArgs) -> Result<(), CliError> {
    let folder = |out: Option<PathBuf>, what: &str| -> Result<PathBuf, CliError> {
        let dir = out.ok_or_else(|| {
            CliError::Usage(format!(
                "--format {what} writes one file per kind: give --out DIR"
            ))
        })?;
        std::fs::create_dir_all(&dir)
            .map_err(|e| CliError::Failed(format!("could not create {}: {e}", dir.display())))?;
        Ok(dir)
    };
    match a.format {
        Format::Json => {
            let e = k.export_json(a.include_sensitive)?;
            let text =
                serde_json::to_string_pretty(&e).map_err(|e| CliError::Failed(e.to_string()))?;
            match a.out {
                Some(path) => write_private(&path, text.as_bytes())?,
                None => println!("{text}"),
            }
            if e.substance_use_notes_left_out > 0 {
                eprintln!(
                    "{} notes marked as substance-use content were left out (add --include-sensitive to include them).",
                    e.substance_use_notes_left_out
                );
            }
        }
        Format::Csv => {
            let dir = folder(a.out, "csv")?;
            let left_out = k
                .export_json(a.include_sensitive)?
                .substance_use_notes_left_out;
            for f in k.export_csv(a.include_sensitive)? {
                write_private(&dir.join(f.name), f.contents.as_bytes())?;
            }
            eprintln!("Wrote CSV files to {}.", dir.display());
            if left_out > 0 {
                eprintln!("{left_out} notes marked as substance-use content were left out.");
            }
        }
        Format::Automerge => {
            let dir = folder(a.out, "automerge")?;
            for (name, bytes) in k.export_automerge(a.include_sensitive)? {
                write_private(&dir.join(name), &bytes)?;
            }
            eprintln!("Wrote the raw documents to {}.", dir.display());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_lines_fill_with_the_pull() {
        let p = |done, total| PullProgress {
            kind: "personal".into(),
            done,
            total,
        };
        assert_eq!(
            progress_line(&p(0, 1000)),
            "receiving personal [....................]   0% (0 of 1000)"
        );
        assert_eq!(
            progress_line(&p(350, 1000)),
            "receiving personal [#######.............]  35% (350 of 1000)"
        );
        assert_eq!(
            progress_line(&p(1000, 1000)),
            "receiving personal [####################] 100% (1000 of 1000)"
        );
        // Never past the end, never a division by zero.
        assert!(progress_line(&p(5, 0)).contains("100%"));
    }
}
