//! Syncing with the relay, and what is synced and waiting.

use std::time::Duration;

use kindred_core::Kindred;
use kindred_core::sync::{LiveEvent, LiveHints, PullProgress, SpaceFailure, SpaceSync, SyncReport};

use crate::CliError;
use crate::output;

use super::transport;

pub(super) fn run(
    k: &mut Kindred,
    watch: bool,
    interval: u64,
    passes: Option<u64>,
) -> Result<(), CliError> {
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
            Some(space) => match k.sync_space(&t, &space) {
                Ok(r) => Ok(SyncReport {
                    spaces: vec![r],
                    failed: Vec::new(),
                }),
                Err(e @ (kindred_core::Error::Unreachable | kindred_core::Error::Closed)) => Err(e),
                Err(error) => Ok(SyncReport {
                    spaces: Vec::new(),
                    failed: vec![SpaceFailure {
                        kind: kind_of(k, &space),
                        space,
                        error,
                    }],
                }),
            },
            None => k.sync_with_progress(&t, &mut |p| bar.show(p)),
        };
        bar.clear();
        match result {
            Ok(report) => {
                let places = output::Places::of(k);
                let pending = pending_by_space(k);
                for s in &report.spaces {
                    // Watching, say only what moved.
                    let quiet = s.pushed == 0
                        && !s.sent_all
                        && s.pulled == 0
                        && s.quarantined == 0
                        && !s.removed;
                    if (watch && done > 0 && quiet) || !places.shown(&s.kind) {
                        continue;
                    }
                    let place = places.name(&s.space, &s.kind);
                    if s.removed {
                        println!(
                            "{place}: this device was removed from it, so its copy here was deleted"
                        );
                        continue;
                    }
                    let waiting = pending.get(&s.space).copied().unwrap_or(0);
                    println!("{place}: {}", pass_words(s, waiting));
                    if s.quarantined > 0 {
                        println!(
                            "  {} could not be checked and {} set aside; nothing here was changed by {}",
                            output::count(s.quarantined as usize, "change", "changes"),
                            if s.quarantined == 1 { "was" } else { "were" },
                            if s.quarantined == 1 { "it" } else { "them" }
                        );
                    }
                }
                // Every place that did not sync, after the ones that did.
                let mut failed = Vec::new();
                for f in &report.failed {
                    let place = places.name(&f.space, &f.kind);
                    let waiting = pending.get(&f.space).copied().unwrap_or(0);
                    println!("{place}: {}", failure_words(&f.error, waiting));
                    failed.push(place);
                }
                if !watch && !failed.is_empty() {
                    let rest = if report.spaces.is_empty() {
                        ""
                    } else {
                        "; everything else synced"
                    };
                    return Err(CliError::Failed(format!(
                        "{} did not sync{rest}; it will be tried again at the next sync",
                        list_words(&failed)
                    )));
                }
            }
            Err(e) if watch => eprintln!("kindred: {e}"),
            Err(e) => {
                // Nothing synced (the relay out of reach): say where every
                // collection stands, then what went wrong.
                let _ = print_status(k);
                return Err(e.into());
            }
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
            live = k.relay_token(&t).ok().and_then(|token| {
                let allow = k.server_allows_insecure_http().unwrap_or(false);
                LiveHints::connect_with_policy(&url, &token, allow).ok()
            });
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

/// The kind of the space with this id ("shared" if it is gone).
fn kind_of(k: &Kindred, space: &str) -> String {
    k.spaces()
        .iter()
        .find(|s| s.id == space)
        .map(|s| s.kind.as_str().to_owned())
        .unwrap_or_else(|| "shared".to_owned())
}

/// "A", "A and B", "A, B and C".
fn list_words(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Why one collection did not sync, in words, and what is kept.
fn failure_words(e: &kindred_core::Error, waiting: u64) -> String {
    let kept = if waiting > 0 {
        format!(
            "; {} kept here to send later",
            output::count(waiting as usize, "change", "changes")
        )
    } else {
        String::new()
    };
    format!("did not sync this time ({}){kept}", output::plain_error(e))
}

/// Changes not yet on the relay, by space.
fn pending_by_space(k: &Kindred) -> std::collections::HashMap<String, u64> {
    k.sync_status()
        .unwrap_or_default()
        .into_iter()
        .map(|s| (s.space, s.pending))
        .collect()
}

/// What one pass did for one collection, in words.
fn pass_words(s: &SpaceSync, waiting: u64) -> String {
    let mut parts = Vec::new();
    if s.sent_all {
        parts.push("sent everything in it for the first time".to_owned());
    } else if s.pushed > 0 {
        parts.push(format!(
            "sent {}",
            output::count(s.pushed as usize, "change", "changes")
        ));
    }
    if s.pulled > 0 {
        parts.push(format!(
            "received {}",
            output::count(s.pulled as usize, "change", "changes")
        ));
    }
    if waiting > 0 {
        parts.push(format!(
            "{} still waiting to send",
            output::count(waiting as usize, "change", "changes")
        ));
    } else if parts.is_empty() {
        parts.push("up to date".to_owned());
    } else {
        parts.push("now up to date".to_owned());
    }
    parts.join(", ")
}

pub(super) fn status(k: &mut Kindred, json: bool) -> Result<(), CliError> {
    if json {
        return output::json(&k.sync_status()?);
    }
    print_status(k)
}

/// Where each collection stands with the relay, one block each.
fn print_status(k: &mut Kindred) -> Result<(), CliError> {
    if let Some(l) = k.locked_copy()? {
        println!(
            "This device was removed by {}. What you wrote here is kept, locked: `kindred export` takes a copy, `kindred erase-everything` deletes it.",
            l.removed_by
        );
    }
    let status = k.sync_status()?;
    let places = output::Places::of(k);
    for s in status.iter().filter(|s| places.shown(&s.kind)) {
        let state = if s.removed {
            "this device was removed from it".to_owned()
        } else if !s.on_server {
            "not synced yet".to_owned()
        } else if s.pending == 0 {
            "everything here is on the server".to_owned()
        } else {
            format!(
                "{} waiting to sync",
                output::count(s.pending as usize, "change", "changes")
            )
        };
        println!("{}: {state}", places.name(&s.space, &s.kind));
        for seen in &s.seen_by {
            let word = if seen.up_to_date {
                "has"
            } else {
                "does not have yet"
            };
            println!("  {} {word} your latest changes", seen.device);
        }
        if let Some(at) = &s.last_pull_at {
            println!("  last synced {}", output::when_text(at));
        }
        if s.quarantined > 0 {
            println!(
                "  {} could not be checked and set aside",
                output::count(s.quarantined as usize, "change", "changes")
            );
        }
        if s.waiting > 0 {
            println!(
                "  {} waiting for an earlier change to arrive",
                output::count(s.waiting as usize, "change", "changes")
            );
        }
        if let Some(e) = &s.last_error {
            println!("  last problem: {}", output::plain_text(e));
        }
    }
    Ok(())
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

/// `receiving your own records [#######.............]  35% (3500 of 10000)`.
fn progress_line(p: &PullProgress) -> String {
    const WIDTH: u64 = 20;
    let total = p.total.max(1);
    let done = p.done.min(total);
    let filled = (done * WIDTH / total) as usize;
    let what = match p.kind.as_str() {
        "personal" => "your own records",
        "caseload" => "your caseload",
        _ => "shared records",
    };
    format!(
        "receiving {what} [{}{}] {:>3}% ({} of {})",
        "#".repeat(filled),
        ".".repeat(WIDTH as usize - filled),
        done * 100 / total,
        done,
        p.total
    )
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
            "receiving your own records [....................]   0% (0 of 1000)"
        );
        assert_eq!(
            progress_line(&p(350, 1000)),
            "receiving your own records [#######.............]  35% (350 of 1000)"
        );
        assert_eq!(
            progress_line(&p(1000, 1000)),
            "receiving your own records [####################] 100% (1000 of 1000)"
        );
        // Never past the end, never a division by zero.
        assert!(progress_line(&p(5, 0)).contains("100%"));
    }
}
