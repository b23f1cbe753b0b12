//! Invites and shares: who sees what.

use std::time::{Duration, Instant};

use kindred_core::Kindred;
use kindred_core::sync::Sas;

use crate::CliError;
use crate::args::*;
use crate::output;

use super::{id, transport};

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
            let joined = poll(deadline, || k.invite_confirm(&t, &mut inv))?;
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

pub(super) fn share(k: &mut Kindred, c: ShareCmd) -> Result<(), CliError> {
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
                    s.name
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
