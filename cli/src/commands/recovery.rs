//! The recovery kit and removing the person's own devices (issue 16):
//! `recovery create|status|restore`, `devices remove|pending-removals|
//! cancel-removal|history`.
//!
//! Kit words are secrets: they are read from the next line of stdin when
//! given as `-`, never printed to stderr, and never part of an error.

use std::io::BufRead;
use std::path::Path;
use std::time::Duration;

use kindred_core::Kindred;
use kindred_core::recovery::{KitShare, RecoveryKit, SHARES, THRESHOLD};
use zeroize::Zeroizing;

use crate::CliError;
use crate::keys::{Keys, prepare_dir};
use crate::output;

use super::transport;

/// The environment variable a test relay and its devices share: how long
/// a removal of one of the person's own devices waits (seconds).
pub(super) const WAIT_ENV: &str = "KINDRED_REMOVAL_WAIT_SECS";

/// Takes the removal wait from [`WAIT_ENV`] when it is set.
pub(super) fn wait_from_env(k: &mut Kindred) -> Result<(), CliError> {
    if let Ok(v) = std::env::var(WAIT_ENV) {
        let secs: u64 = v
            .trim()
            .parse()
            .map_err(|_| CliError::Usage(format!("{WAIT_ENV} must be a number of seconds")))?;
        k.set_removal_wait(Duration::from_secs(secs));
    }
    Ok(())
}

/// The value itself, or the next line of stdin for `-`.
fn secret_arg(v: &str) -> Result<Zeroizing<String>, CliError> {
    if v.trim() != "-" {
        return Ok(Zeroizing::new(v.to_owned()));
    }
    let mut line = Zeroizing::new(String::new());
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|_| CliError::Usage("the words could not be read from stdin".into()))?;
    Ok(line)
}

fn kit_from(words: &str) -> Result<RecoveryKit, CliError> {
    Ok(RecoveryKit::from_words(&secret_arg(words)?)?)
}

fn kit_from_shares(shares: &[String]) -> Result<RecoveryKit, CliError> {
    let mut typed: Vec<Zeroizing<String>> = Vec::new();
    if shares.len() == 1 && shares[0].trim() == "-" {
        for _ in 0..THRESHOLD {
            typed.push(secret_arg("-")?);
        }
    } else {
        typed.extend(shares.iter().map(|s| Zeroizing::new(s.clone())));
    }
    let parsed = typed
        .iter()
        .map(|t| KitShare::from_text(t))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(RecoveryKit::from_shares(&parsed)?)
}

/// The kinds of records a kit brings back, in the person's words.
fn kinds(list: &[String]) -> String {
    list.iter()
        .map(|k| kindred_core::records_of(k))
        .collect::<Vec<_>>()
        .join(", ")
}

fn when(unix: u64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix as i64)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| unix.to_string())
}

pub(super) fn create(
    k: &mut Kindred,
    split: Option<&str>,
    old_words: Option<&str>,
) -> Result<(), CliError> {
    if let Some(s) = split
        && s.trim() != "2-of-3"
    {
        return Err(CliError::Usage(
            "--split takes 2-of-3 (any 2 of 3 shares bring the kit back)".into(),
        ));
    }
    let old = old_words.map(kit_from).transpose()?;
    let t = transport(k)?;
    let kit = k.create_recovery_kit(&t, old.as_ref())?;
    let status = k.recovery_kit_status()?;
    if split.is_some() {
        println!(
            "Your recovery kit, in {SHARES} shares. Any {THRESHOLD} of them bring everything back; one alone says nothing."
        );
        println!("Give one to your worker, one to someone you trust, and keep one on paper.");
        for share in kit.split()? {
            println!("{}", share.text().as_str());
        }
    } else {
        println!("Your recovery kit. Write these 12 words down, in order, and keep them safe:");
        println!("{}", kit.words().as_str());
    }
    if status.old_kit_waits {
        eprintln!(
            "Your old kit stops working after the wait (3 days), unless one of your devices cancels that."
        );
    }
    eprintln!(
        "With it, a new device gets back everything in: {}.",
        kinds(&status.spaces)
    );
    Ok(())
}

pub(super) fn status(k: &mut Kindred, json: bool) -> Result<(), CliError> {
    let s = k.recovery_kit_status()?;
    if json {
        return output::json(&s);
    }
    if !s.has_kit {
        println!(
            "You have no recovery kit yet. `kindred recovery create` makes one: if every device is lost, it brings everything back."
        );
        return Ok(());
    }
    println!(
        "You have a recovery kit. It brings back: {}.",
        kinds(&s.spaces)
    );
    if !s.missing.is_empty() {
        println!(
            "Not yet in: {}. Make a new kit to include them.",
            kinds(&s.missing)
        );
    }
    if s.old_kit_waits {
        println!("An old kit waits to stop working.");
    }
    Ok(())
}

/// What `recovery restore` was given.
pub(super) struct RestoreArgs<'a> {
    pub server: &'a str,
    pub name: &'a str,
    pub words: Option<&'a str>,
    pub shares: &'a [String],
    pub keep_old_devices: bool,
    pub insecure_http: bool,
}

pub(super) fn restore(dir: &Path, pass: Option<&str>, a: &RestoreArgs<'_>) -> Result<(), CliError> {
    // Everything is checked before a folder or key is made.
    kindred_core::sync::check_relay_url(a.server, a.insecure_http)
        .map_err(kindred_core::Error::from)?;
    let kit = match (a.words, a.shares.is_empty()) {
        (Some(w), true) => kit_from(w)?,
        (None, false) => kit_from_shares(a.shares)?,
        _ => {
            return Err(CliError::Usage(
                "give your kit's words (--words) or two of its shares (--shares)".into(),
            ));
        }
    };
    prepare_dir(dir)?;
    if Kindred::database_path(dir).exists() {
        return Err(CliError::Failed(
            "this folder already holds Kindred data; restore into a new --data-dir".into(),
        ));
    }
    let keys = Keys::create(dir, pass)?;
    let mut k = match Kindred::init_joining(dir, &keys, a.name) {
        Ok(k) => k,
        Err(e) => {
            keys.remove();
            return Err(e.into());
        }
    };
    wait_from_env(&mut k)?;
    k.set_server_with(a.server, a.insecure_http)?;
    let t = transport(&k)?;
    let restored = match k.restore_from_kit(&t, &kit, !a.keep_old_devices) {
        Ok(r) => r,
        Err(e) => {
            // Nothing came back: leave no half-made device behind.
            drop(k);
            let _ = std::fs::remove_file(Kindred::database_path(dir));
            keys.remove();
            return Err(e.into());
        }
    };
    println!(
        "Everything is back on {}: {}.",
        a.name,
        kinds(&restored.spaces)
    );
    if restored.removed_devices > 0 {
        println!(
            "Your old devices were removed ({}); if one comes back online it wipes its copy.",
            restored.removed_devices
        );
    }
    eprintln!("Make a new recovery kit when you can: `kindred recovery create`.");
    Ok(())
}

pub(super) fn remove(
    k: &mut Kindred,
    id: &str,
    lost: bool,
    kit_words: Option<&str>,
) -> Result<(), CliError> {
    let kit = kit_words.map(kit_from).transpose()?;
    let t = transport(k)?;
    let r = match &kit {
        Some(kit) => k.remove_with_kit(&t, kit, id, lost)?,
        None => k.remove_device(&t, id, lost)?,
    };
    if r.removed {
        let after = if r.lost {
            "If it comes back online it wipes its copy."
        } else {
            "It keeps what it already had, locked, and can export it."
        };
        println!(
            "Removed {} ({}). Nothing written from now on can be read on it. {after}",
            r.name, r.fingerprint
        );
    } else {
        println!(
            "Asked to remove {} ({}). Another of your devices can confirm it now (run the same command there), or it happens after {}. Until then any of your devices can cancel it.",
            r.name,
            r.fingerprint,
            r.waits_until.map(when).unwrap_or_else(|| "the wait".into())
        );
    }
    Ok(())
}

pub(super) fn pending(k: &mut Kindred, json: bool) -> Result<(), CliError> {
    // The newest requests first: a sync, when a server is set.
    if let Ok(t) = transport(k) {
        let _ = k.sync(&t);
    }
    let list = k.pending_removals()?;
    if json {
        return output::json(&list);
    }
    if list.is_empty() {
        println!("No removals wait.");
    }
    for p in list {
        let who = if p.this_device {
            "this device".to_owned()
        } else {
            format!("{} ({})", p.name, p.fingerprint)
        };
        let asked = if p.asked_here {
            "this device".to_owned()
        } else {
            p.asked_by.clone()
        };
        let lost = if p.lost { ", as lost" } else { "" };
        println!(
            "{who}: {asked} asked to remove it{lost}; it happens after {} unless cancelled (`kindred devices cancel-removal {}`).",
            when(p.not_before),
            p.fingerprint
        );
    }
    Ok(())
}

pub(super) fn cancel(k: &mut Kindred, id: &str) -> Result<(), CliError> {
    let t = transport(k)?;
    k.cancel_removal(&t, id)?;
    println!("Cancelled: the device stays.");
    Ok(())
}

pub(super) fn history(k: &mut Kindred, json: bool) -> Result<(), CliError> {
    let list = k.removal_history()?;
    if json {
        return output::json(&list);
    }
    if list.is_empty() {
        println!("None of your devices was removed.");
    }
    for r in list {
        let how = match r.how.as_str() {
            "kit" => "with the recovery kit".to_owned(),
            "confirmed" => "confirmed by a second device".to_owned(),
            "waited" => format!(
                "after the wait ({})",
                r.waited_until.map(when).unwrap_or_default()
            ),
            _ => String::new(),
        };
        let lost = if r.lost { ", as lost" } else { "" };
        let on = r.at.map(|t| format!(" on {}", when(t))).unwrap_or_default();
        println!(
            "{} ({}) was removed by {} {how}{lost}{on} (log entry {}).",
            r.name, r.fingerprint, r.by, r.log_position
        );
    }
    Ok(())
}
