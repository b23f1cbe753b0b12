//! Invites and shares: who sees what.

use std::time::{Duration, Instant};

use kindred_core::sync::{Role, Sas, role_in_words};
use kindred_core::{Kindred, Share};

use crate::CliError;
use crate::args::*;
use crate::output;

use kindred_core::model::RecordKind;

use super::{find, find_share, transport};

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

pub(super) fn invite(k: &mut Kindred, c: InviteCmd) -> Result<(), CliError> {
    let t = transport(k)?;
    match c {
        InviteCmd::Create {
            space,
            role,
            timeout,
        } => {
            let role = kindred_core::sync::parse_role(&role)?;
            let space = space.as_deref().map(|s| find_share(k, s)).transpose()?;
            let mut inv = k.invite_create_lasting(&t, space.as_deref(), role, timeout)?;
            println!("{}", inv.code());
            eprintln!(
                "Give the other person this code (read it out, or text it). It works for {timeout} seconds."
            );
            eprintln!(
                "Once you both say yes, they will be able to {}.",
                role_in_words(role)
            );
            let deadline = Instant::now() + Duration::from_secs(timeout);
            let sas = match poll(deadline, || k.invite_poll(&t, &mut inv)) {
                Ok(s) => s,
                Err(e) => {
                    // Whoever types the code later is told it has expired.
                    let _ = k.invite_withdraw(&t, &inv);
                    return Err(e);
                }
            };
            println!("{}", sas_line(&sas));
            let name = inv.joiner_name().unwrap_or("The other person").to_owned();
            eprintln!(
                "{name} answered. Check together that their screen shows the same numbers and pictures."
            );
            match inv.change_in_words() {
                // Already in the share: say what saying yes changes.
                Some(change) => eprintln!("{change}."),
                None => eprintln!(
                    "If you both say yes, {name} will be able to {}.",
                    role_in_words(role)
                ),
            }
            let already = inv.already();
            if !ask_yes("Do they match?") {
                k.invite_decline(&t, &inv)?;
                return Err(CliError::Failed(
                    "you said they do not match, so no one was added and nothing is shared".into(),
                ));
            }
            // The core adds no one until this yes is in the store.
            k.invite_yes(&inv)?;
            let joined = poll(deadline, || k.invite_confirm(&t, &mut inv))?;
            match already {
                Some(before) if before == role => println!(
                    "{} was already in this share and still can {}.",
                    joined.name,
                    role_in_words(role)
                ),
                Some(_) => println!("Changed: {} can now {}.", joined.name, role_in_words(role)),
                None => println!(
                    "Now sharing with {} ({}): they can {}. In commands, name this share \"{}\".",
                    joined.name,
                    joined.role,
                    role_in_words(role),
                    joined.name
                ),
            }
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
            eprintln!(
                "{} invites you to share. If you both say yes, you will be able to {}.",
                j.inviter_name().unwrap_or("The other person"),
                role_in_words(j.role())
            );
            if let Some(change) = j.change_in_words() {
                eprintln!("{change}.");
            }
            let same = match &yes_if_sas {
                Some(expected) => sas.matches(expected),
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
                    "the numbers and pictures differ, so you did not join and nothing is shared"
                        .into(),
                ));
            }
            k.invite_join_yes(&j)?;
            k.invite_join_confirm(&t, &mut j)?;
            let joined = poll(deadline, || k.invite_join_finish(&t, &mut j))?;
            println!(
                "Now sharing with {} ({}): you can {}. In commands, name this share \"{}\".",
                joined.name,
                joined.role,
                role_in_words(j.role()),
                joined.name
            );
            Ok(())
        }
    }
}

pub(super) fn share(k: &mut Kindred, c: ShareCmd) -> Result<(), CliError> {
    match c {
        ShareCmd::Goal { id: g, with } => {
            let g = find(k, RecordKind::Goal, &g)?;
            let space = find_share(k, &with)?;
            k.share_goal(&g, &space)?;
            if let Ok(t) = transport(k) {
                let _ = k.sync(&t);
            }
            eprintln!("Shared. `kindred share list` shows who can see it.");
            Ok(())
        }
        ShareCmd::Stop { id: g } => {
            let g = find(k, RecordKind::Goal, &g)?;
            k.unshare_goal(&g)?;
            if let Ok(t) = transport(k) {
                let _ = k.sync(&t);
            }
            eprintln!(
                "This goal is yours alone again from now on. What the other person's devices already synced of it stays with them, in the share's history; `kindred share end NAME --erase-shared` takes the share's copies and history back from their devices and the relay (not what they already saw or copied)."
            );
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
            shares.iter().for_each(share_lines);
            Ok(())
        }
        ShareCmd::End {
            space,
            member: None,
            erase_shared: true,
        } => {
            let t = transport(k)?;
            let space = find_share(k, &space)?;
            let e = k.erase_share(&t, &space)?;
            super::erase::report(k, "everything you shared there", e);
            println!(
                "Ended. Your goals are back in your own list. Their devices were removed; what they already saw or copied while the share was open stays with them."
            );
            Ok(())
        }
        ShareCmd::End { space, member, .. } => {
            let t = transport(k)?;
            let space = find_share(k, &space)?;
            let r = k.end_share(&t, &space, member.as_deref())?;
            println!(
                "Ended: {} ({}) was removed, and nothing written from now on can be read on their devices.",
                r.name, r.fingerprint
            );
            Ok(())
        }
        ShareCmd::Role {
            space,
            role,
            member,
        } => set_role(k, &space, &role, member.as_deref()),
    }
}

/// `share role`: what the other person may do now, and before.
fn set_role(
    k: &mut Kindred,
    space: &str,
    role: &str,
    member: Option<&str>,
) -> Result<(), CliError> {
    let role = kindred_core::sync::parse_role(role)?;
    let t = transport(k)?;
    let space = find_share(k, space)?;
    let r = k.set_share_role(&t, &space, role, member)?;
    if !r.changed {
        println!(
            "Nothing changed: {} can already {}.",
            r.name,
            role_in_words(r.role)
        );
        return Ok(());
    }
    println!("Changed: {} can now {}.", r.name, role_in_words(r.role));
    println!("Before, they could {}.", role_in_words(r.before));
    Ok(())
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// One share in `share list`: who it is with and what they can do, then
/// what is in it (goals, the days of check-ins, notes).
fn share_lines(s: &Share) {
    if s.ended {
        println!("{} (ended; share {})", s.name, output::short(&s.space));
        println!("  This share has ended: nothing written from now on can be read by them.");
    } else {
        println!("{} (share {})", s.name, output::short(&s.space));
    }
    for m in s.members.iter().filter(|m| !m.mine) {
        let role = kindred_core::sync::parse_role(&m.role).unwrap_or(Role::Reader);
        println!("  {} can {}", m.name, role_in_words(role));
    }
    let yours: Vec<&str> = s
        .members
        .iter()
        .filter(|m| m.mine)
        .map(|m| m.name.as_str())
        .collect();
    if !yours.is_empty() {
        println!("  your devices in it: {}", yours.join(", "));
    }
    if s.goals.is_empty() {
        println!("  no goals shared");
    }
    for g in &s.goals {
        println!("  goal {}  {}", output::short(g.id.as_str()), g.title);
    }
    for r in &s.check_in_ranges {
        println!(
            "  check-ins from {} to {} ({})",
            r.since,
            r.until,
            plural(r.check_ins, "check-in", "check-ins")
        );
    }
    let in_ranges: usize = s.check_in_ranges.iter().map(|r| r.check_ins).sum();
    if s.check_ins > in_ranges {
        println!(
            "  {} shared before the days were kept",
            plural(s.check_ins - in_ranges, "more check-in", "more check-ins")
        );
    }
    if s.check_in_ranges.is_empty() && s.check_ins == 0 {
        println!("  no check-ins shared");
    }
    if s.notes > 0 {
        println!("  {}", plural(s.notes, "contact note", "contact notes"));
    }
}
