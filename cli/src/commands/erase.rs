//! Delete forever: what was erased, and where it still has to go.

use std::io::BufRead;

use kindred_core::{Erasure, Kindred};

use crate::CliError;
use crate::output;

use super::transport;

/// Makes a delete-forever reach the relay now if this device can (a sync
/// of the spaces it started afresh), and says plainly where it is gone
/// from and where it still will be.
pub(super) fn report(k: &mut Kindred, what: &str, e: Erasure) {
    let mut waiting = e.waiting_for_sync;
    if waiting && let Ok(t) = transport(k) {
        let _ = k.sync(&t);
        waiting = k.erasures_waiting().unwrap_or(1) > 0;
    }
    if !e.waiting_for_sync {
        eprintln!("Deleted {what} forever. Nothing of it is left on this device.");
    } else if waiting {
        eprintln!(
            "Deleted {what} from this device. This device could not reach the relay just now: it is deleted forever there, and from your other devices, the next time this device syncs."
        );
    } else {
        eprintln!(
            "Deleted {what} forever: from this device and the relay now, and from your other devices as soon as they sync."
        );
    }
}

/// `erase-everything`: asks, then erases every record and its history.
pub(super) fn everything(k: &mut Kindred, yes: bool) -> Result<(), CliError> {
    if !yes {
        eprintln!(
            "This deletes everything you have written, forever: goals, check-ins, contacts and notes, with their history, on this device, your other devices and the relay. It cannot be undone."
        );
        eprint!("Type erase to go ahead: ");
        let mut line = String::new();
        let ok = std::io::stdin().lock().read_line(&mut line).is_ok()
            && line.trim().eq_ignore_ascii_case("erase");
        if !ok {
            eprintln!("Nothing was deleted.");
            return Ok(());
        }
    }
    let e = k.erase_everything()?;
    report(k, "everything", e);
    Ok(())
}

/// `erasures`: what each space's log records of erasures.
pub(super) fn list(k: &mut Kindred, json: bool) -> Result<(), CliError> {
    let spaces: Vec<(String, String)> = k
        .spaces()
        .iter()
        .map(|s| (s.id.clone(), s.kind.as_str().to_owned()))
        .collect();
    let mut all = Vec::new();
    for (id, kind) in spaces {
        for r in k.erasures(&id)? {
            all.push((kind.clone(), r));
        }
    }
    if json {
        return output::json(&all);
    }
    if all.is_empty() {
        println!("Nothing has been deleted forever.");
    }
    for (kind, r) in all {
        let what: Vec<String> = r
            .records
            .iter()
            .map(|(k, n)| format!("{n} {k}{}", if *n == 1 { "" } else { "s" }))
            .collect();
        let when = if r.at.is_empty() {
            "earlier"
        } else {
            r.at.as_str()
        };
        let line = match (r.reason.as_str(), what.is_empty()) {
            ("fresh-start", _) => format!(
                "started afresh by {} for someone new (nothing deleted, the history went)",
                r.by
            ),
            ("before this device", _) => format!(
                "something was deleted forever by {}, before this device joined",
                r.by
            ),
            (why, _) => format!(
                "{} deleted forever by {} ({})",
                if what.is_empty() {
                    "nothing more".to_owned()
                } else {
                    what.join(", ")
                },
                r.by,
                match why {
                    "retention" => "keeping period ended",
                    _ => "asked for",
                }
            ),
        };
        println!("{when}  {kind}: {line}");
    }
    Ok(())
}
