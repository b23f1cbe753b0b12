//! The command line, declared with clap. Only shapes live here; the
//! meaning of each command is in `commands/`, and the rules in the core.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

mod plan;
mod records;
mod reminders;
mod worker;

pub use plan::*;
pub use records::*;
pub use reminders::*;
pub use worker::*;

/// Kindred: goals, check-ins and contact notes, kept on this device, sealed.
#[derive(Debug, Parser)]
#[command(name = "kindred", version, about, propagate_version = true)]
pub struct Cli {
    /// Where the data lives (default: the platform's data folder).
    #[arg(long, global = true, env = "KINDRED_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Name of an environment variable holding the passphrase, for data
    /// created with `init --passphrase-env`.
    #[arg(
        long,
        global = true,
        env = "KINDRED_PASSPHRASE_ENV",
        value_name = "VAR"
    )]
    pub passphrase_env: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Set up this device: its identity, its key, its spaces.
    Init {
        /// (required) A name for this device, e.g. "Sam's phone".
        #[arg(long)]
        name: String,
        /// Your own name, e.g. "Sam": the people you share with see it
        /// ("reviewed by Sam"); without it they see the device's name.
        #[arg(long, value_name = "NAME")]
        person: Option<String>,
    },
    /// Goals and their steps.
    #[command(subcommand)]
    Goal(GoalCmd),
    /// Mood check-ins.
    #[command(subcommand)]
    Checkin(CheckinCmd),
    /// People a worker supports.
    #[command(subcommand)]
    Contact(ContactCmd),
    /// Contact notes.
    #[command(subcommand)]
    Note(NoteCmd),
    /// Your wellness and safety plan, and suggestions for it.
    #[command(subcommand)]
    Plan(PlanCmd),
    /// Lines and people to call or text when you need help now.
    #[command(subcommand)]
    Crisis(CrisisCmd),
    /// Services, groups and other help, kept with you or in a share.
    #[command(subcommand)]
    Resource(ResourceCmd),
    /// Who to follow up with: today, the coming week, and those it has
    /// been a while since.
    Followups {
        #[command(subcommand)]
        cmd: Option<FollowupsCmd>,
        /// Also show the coming week.
        #[arg(long)]
        week: bool,
        /// Show the lists as on this day (YYYY-MM-DD; default today).
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
        /// Print JSON instead of lines (all three lists).
        #[arg(long)]
        json: bool,
    },
    /// Time spent with people, by week and by month.
    Time {
        /// Count up to this day (YYYY-MM-DD; default today).
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// How you want to be reached (or, for a worker, how the person does).
    #[command(subcommand)]
    Prefs(PrefsCmd),
    /// Reminders: your check-in times, and what comes next.
    #[command(subcommand)]
    Reminders(RemindersCmd),
    /// Write everything out as JSON, CSV or raw automerge.
    Export(ExportArgs),
    /// Tidy the saved data: fold each collection's saved changes into one
    /// snapshot (nothing is lost).
    Compact,
    /// Show this device.
    Device {
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Set the sync server this device uses.
    Server {
        /// Its address, e.g. https://relay.example.org (plain http:// only
        /// for a server on this computer, e.g. http://127.0.0.1:8787).
        url: String,
        /// Allow a plain http:// address on another computer. Anyone on
        /// the network between could then read this device's sign-in and
        /// pretend to be the server: only for a test network.
        #[arg(long)]
        insecure_http: bool,
    },
    /// Delete everything you have written, forever: every record and its
    /// history, on this device, your other devices and the relay. Asks
    /// first.
    EraseEverything {
        /// Do not ask (for scripts).
        #[arg(long)]
        yes: bool,
    },
    /// The erasures each space's log records: who, when, what kind of
    /// record (never what it said).
    Erasures {
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Sync with the server.
    Sync {
        /// Keep syncing until interrupted, every few seconds.
        #[arg(long)]
        watch: bool,
        /// Seconds between passes with --watch.
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=3600))]
        interval: u64,
        /// Stop --watch after this many passes (for scripts and tests).
        #[arg(long, hide = true)]
        passes: Option<u64>,
    },
    /// What is synced and what is waiting.
    Status {
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Pair another of your own devices.
    #[command(subcommand)]
    Pair(PairCmd),
    /// Your devices, and those of the people you share with.
    Devices {
        #[command(subcommand)]
        cmd: Option<DevicesCmd>,
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Your recovery kit: make one, replace it, restore from it.
    #[command(subcommand)]
    Recovery(RecoveryCmd),
    /// Invite someone (your peer support worker, say) to share with you.
    #[command(subcommand)]
    Invite(InviteCmd),
    /// What you share, with whom.
    #[command(subcommand)]
    Share(ShareCmd),
}

#[derive(Debug, Subcommand)]
pub enum DevicesCmd {
    /// Remove a device (lost, or no longer yours). Nothing written from
    /// now on can be read on it. One of your own devices goes when another
    /// of yours confirms it (run this there too), with your recovery kit,
    /// or after a wait (3 days) during which your other devices can cancel.
    Remove {
        /// The start of its id, as `devices` shows it (8 hex digits or more).
        id: String,
        /// It is lost or stolen: it wipes its copy when it next connects
        /// (otherwise it keeps a locked copy you can export).
        #[arg(long)]
        lost: bool,
        /// Remove it at once with your recovery kit: its 12 words, or `-`
        /// to type them on the next line (kept out of your shell history).
        #[arg(long, value_name = "WORDS")]
        kit_words: Option<String>,
    },
    /// Removals of your devices that wait, and who asked.
    PendingRemovals {
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Cancel a removal that waits (it is not lost, or it was not you).
    CancelRemoval {
        /// The start of the device's id (8 hex digits or more).
        id: String,
    },
    /// Who removed which of your devices, and how.
    History {
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Give this device a new key for receiving space keys (if the old one
    /// may have been copied). Every space it is in is told; later keys are
    /// sealed to the new one.
    RotateWrapKey,
}

#[derive(Debug, Subcommand)]
pub enum InviteCmd {
    /// Start an invite: prints a short code to read to the other person,
    /// then the string you both compare.
    Create {
        /// A share you already have, to add someone to (the other person's
        /// name or the start of its id; default: a new share).
        #[arg(long, value_name = "SHARE")]
        space: Option<String>,
        /// What the other person may do: writer, reader or owner.
        #[arg(long, default_value = "writer")]
        role: String,
        /// Seconds to wait for the other person.
        #[arg(long, default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..=600))]
        timeout: u64,
    },
    /// Join with the code the other person gave you.
    Join {
        /// The code the other person read out or sent you.
        code: String,
        /// For scripts: say yes only if the string is exactly this: the six
        /// digits and then the four emoji, as the other side printed them
        /// (spaces are ignored; digits alone are not enough).
        #[arg(long)]
        yes_if_sas: Option<String>,
        /// Seconds to wait for the other person.
        #[arg(long, default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..=600))]
        timeout: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum ShareCmd {
    /// Share one of your goals with someone you share with.
    Goal {
        /// The goal (the start of its id).
        id: String,
        /// (required) Who to share it with: their name, or the start of the
        /// share's id (see `share list`).
        #[arg(long, value_name = "SHARE")]
        with: String,
    },
    /// Stop sharing a goal: it is yours alone again from now on.
    Stop {
        /// The goal (the start of its id).
        id: String,
    },
    /// Everything you share: with whom, and what.
    List {
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// End a share: the other person's devices are removed, and nothing
    /// written from now on can be read on them.
    End {
        /// The share: the other person's name, or the start of its id.
        space: String,
        /// Only this device (the start of its id).
        #[arg(long)]
        member: Option<String>,
        /// Also delete forever everything shared in it: your goals come
        /// back to you, and the share's copies and history go from your
        /// devices and the relay.
        #[arg(long, conflicts_with = "member")]
        erase_shared: bool,
    },
    /// Change what the other person may do in a share: read only
    /// (reader), or also add steps, progress and notes (writer).
    Role {
        /// The share: the other person's name, or the start of its id.
        space: String,
        /// What they may do from now on: reader, writer or owner.
        role: String,
        /// Only this device of theirs (the start of its id).
        #[arg(long)]
        member: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum RecoveryCmd {
    /// Make a recovery kit: 12 words to write down or print and keep safe.
    /// With them, a new device gets everything back if every one of yours
    /// is lost. Making a new one replaces the old one.
    Create {
        /// Split the kit so that any 2 of 3 shares bring it back (for your
        /// worker, someone you trust, and paper). Only `2-of-3`.
        #[arg(long, value_name = "2-of-3")]
        split: Option<String>,
        /// The old kit's words (or `-` to type them): it stops working at
        /// once instead of after the wait.
        #[arg(long, value_name = "WORDS")]
        old_words: Option<String>,
    },
    /// Whether you have a kit, and where it is.
    Status {
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// On a new device: get everything back with your kit.
    Restore {
        /// (required) The sync server your devices used.
        #[arg(long)]
        server: String,
        /// (required) A name for this device.
        #[arg(long)]
        name: String,
        /// The kit's 12 words, or `-` to type them on the next line.
        #[arg(long, value_name = "WORDS", conflicts_with = "shares")]
        words: Option<String>,
        /// Two shares of a split kit ("2: word word ..."), or `-` to type
        /// them one per line.
        #[arg(long, value_name = "SHARE", num_args = 1..)]
        shares: Vec<String>,
        /// Keep your old devices in (they are not lost, only not here).
        #[arg(long)]
        keep_old_devices: bool,
        /// Allow an http:// server on this computer (for tests).
        #[arg(long)]
        insecure_http: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum PairCmd {
    /// Show a one-time code for a new device, then wait for it. When it
    /// asks, both screens show the same short code, and you are asked
    /// whether to add it.
    Offer {
        /// Seconds to wait for the new device.
        #[arg(long, default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..=3600))]
        timeout: u64,
        /// Add the first device that asks without asking you (for scripts
        /// and tests). Anyone who saw the code could be that device, so
        /// use it only when no one else can see the screen.
        #[arg(long)]
        yes: bool,
    },
    /// On a new device: join with the code the other device shows.
    Join {
        /// The code, starting KINDRED1:
        payload: String,
        /// (required) A name for this device.
        #[arg(long)]
        name: String,
        /// Your own name, as the people you share with will see it.
        #[arg(long, value_name = "NAME")]
        person: Option<String>,
        /// Seconds to wait for the other device.
        #[arg(long, default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..=3600))]
        timeout: u64,
        /// Allow the code's sync server to be plain http:// on another
        /// computer (see `kindred server --insecure-http`).
        #[arg(long)]
        insecure_http: bool,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Every command, flag and argument a person can type, with its path.
    fn walk(cmd: &clap::Command, path: &str, out: &mut Vec<String>) {
        for a in cmd.get_arguments() {
            let id = a.get_id().as_str();
            if id == "help" || id == "version" || a.is_hide_set() {
                continue;
            }
            let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
            if help.trim().is_empty() {
                out.push(format!("{path}: {id} has no help text"));
            }
            if a.is_required_set() && a.get_long().is_some() && !help.starts_with("(required)") {
                out.push(format!(
                    "{path}: --{id} is required but its help does not say so"
                ));
            }
            if !a.is_required_set() && help.starts_with("(required)") {
                out.push(format!("{path}: --{id} says required but is not"));
            }
        }
        for sub in cmd.get_subcommands() {
            if sub.get_name() == "help" {
                continue;
            }
            let p = format!("{path} {}", sub.get_name());
            if sub.get_about().is_none() {
                out.push(format!("{p}: no description"));
            }
            walk(sub, &p, out);
        }
    }

    #[test]
    fn every_command_flag_and_argument_has_help_and_required_ones_say_so() {
        let mut cmd = Cli::command();
        cmd.build();
        let mut problems = Vec::new();
        walk(&cmd, "kindred", &mut problems);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn all_missing_required_flags_are_named_in_one_message() {
        let e = Cli::try_parse_from(["kindred", "note", "add", "--contact", "Jo"]).unwrap_err();
        let text = e.to_string();
        for flag in ["--type", "--setting", "--start", "--end", "--narrative"] {
            assert!(text.contains(flag), "{flag} missing from: {text}");
        }
        let e = Cli::try_parse_from(["kindred", "checkin", "share"]).unwrap_err();
        let text = e.to_string();
        for flag in ["--with", "--since", "--until"] {
            assert!(text.contains(flag), "{flag} missing from: {text}");
        }
    }
}
