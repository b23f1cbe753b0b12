//! The command line, declared with clap. Only shapes live here; the
//! meaning of each command is in `commands.rs`, and the rules in the core.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
        /// A name for this device, e.g. "Sam's phone".
        #[arg(long)]
        name: String,
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
    /// Write everything out as JSON, CSV or raw automerge.
    Export(ExportArgs),
    /// Fold each space's saved changes into one snapshot.
    Compact,
    /// Show this device.
    Device {
        #[arg(long)]
        json: bool,
    },
    /// Set the sync server this device uses.
    Server {
        /// Its address, e.g. http://127.0.0.1:8787
        url: String,
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
        #[arg(long)]
        json: bool,
    },
    /// Pair another of your own devices.
    #[command(subcommand)]
    Pair(PairCmd),
    /// The devices in your spaces.
    Devices {
        #[command(subcommand)]
        cmd: Option<DevicesCmd>,
        #[arg(long)]
        json: bool,
    },
    /// Invite someone (your peer support worker, say) into a shared space.
    #[command(subcommand)]
    Invite(InviteCmd),
    /// What you share, with whom.
    #[command(subcommand)]
    Share(ShareCmd),
}

#[derive(Debug, Subcommand)]
pub enum DevicesCmd {
    /// Remove a device (lost, or no longer yours) from your spaces. Each
    /// space moves to a new key; the device keeps only what it already had.
    Remove {
        /// The start of its id, as `devices` shows it (8 hex digits or more).
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum InviteCmd {
    /// Start an invite: prints a short code to read to the other person,
    /// then the string you both compare.
    Create {
        /// A shared space you already have (default: a new one).
        #[arg(long)]
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
        code: String,
        /// For scripts: confirm only if the string is exactly this (the
        /// six digits; spaces are ignored).
        #[arg(long)]
        yes_if_sas: Option<String>,
        /// Seconds to wait for the other person.
        #[arg(long, default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..=600))]
        timeout: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum ShareCmd {
    /// Share one of your goals into a shared space (it moves there).
    Goal {
        /// The goal's id.
        id: String,
        /// The shared space (see `share list`).
        #[arg(long)]
        with: String,
    },
    /// Stop sharing a goal: it comes back to your own space.
    Stop {
        /// The goal's id.
        id: String,
    },
    /// Every shared space: who is in it, and what.
    List {
        #[arg(long)]
        json: bool,
    },
    /// End a share: the others' devices are removed and the key changes.
    End {
        /// The shared space.
        space: String,
        /// Only this device (the start of its id).
        #[arg(long)]
        member: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum PairCmd {
    /// Show a one-time code for a new device, then wait for it.
    Offer {
        /// Seconds to wait for the new device.
        #[arg(long, default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..=3600))]
        timeout: u64,
    },
    /// On a new device: join with the code the other device shows.
    Join {
        /// The code, starting KINDRED1:
        payload: String,
        /// A name for this device.
        #[arg(long)]
        name: String,
        /// Seconds to wait for the other device.
        #[arg(long, default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..=3600))]
        timeout: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum GoalCmd {
    /// Add a goal; prints its id.
    Add {
        /// The goal, in your own words.
        title: String,
        #[arg(long)]
        why: Option<String>,
        /// emotional, environmental, financial, intellectual, occupational, physical, social or spiritual.
        #[arg(long)]
        area: Option<String>,
        /// A date to aim for (YYYY-MM-DD).
        #[arg(long)]
        target: Option<String>,
    },
    /// List goals.
    List {
        /// Only goals with this status.
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Show one goal with its steps and progress.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Change a goal's words, area or date.
    Edit {
        id: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        why: Option<String>,
        #[arg(long)]
        area: Option<String>,
        #[arg(long)]
        target: Option<String>,
    },
    /// Set a goal's status: active, paused, achieved or let_go.
    Status { id: String, status: String },
    /// Steps towards a goal.
    #[command(subcommand)]
    Step(StepCmd),
    /// Add a note on how a goal is going; prints its id.
    Progress { goal_id: String, note: String },
}

#[derive(Debug, Subcommand)]
pub enum StepCmd {
    /// Add a step; prints its id.
    Add {
        goal_id: String,
        text: String,
        #[arg(long)]
        due: Option<String>,
    },
    /// Mark a step done.
    Done { goal_id: String, step_id: String },
    /// Mark a step not done.
    Undo { goal_id: String, step_id: String },
}

#[derive(Debug, Subcommand)]
pub enum CheckinCmd {
    /// Record how you are; prints its id.
    Add {
        /// 1 (low) to 5 (high).
        #[arg(long, allow_negative_numbers = true)]
        mood: i64,
        /// 1 (low) to 5 (high).
        #[arg(long, allow_negative_numbers = true)]
        energy: Option<i64>,
        #[arg(long = "tag")]
        tags: Vec<String>,
        #[arg(long)]
        note: Option<String>,
        /// When (RFC 3339, e.g. 2026-03-01T21:30:00+01:00); default now.
        #[arg(long)]
        at: Option<String>,
    },
    /// List check-ins, oldest first.
    List {
        #[arg(long)]
        since: Option<String>,
        #[arg(long)]
        until: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// A week-by-week look back.
    Summary {
        #[arg(long, default_value_t = 4)]
        weeks: u32,
        #[arg(long)]
        json: bool,
    },
    /// Share copies of the check-ins between two dates (both needed) into
    /// a shared space.
    Share {
        #[arg(long)]
        with: String,
        /// First day (YYYY-MM-DD).
        #[arg(long)]
        since: String,
        /// Last day (YYYY-MM-DD).
        #[arg(long)]
        until: String,
    },
    /// Stop sharing the check-ins of some days: the copies from those
    /// days go from the share; your own check-ins stay.
    Unshare {
        /// (required) Who you share them with (see `share list`).
        #[arg(long, value_name = "SHARE")]
        with: String,
        /// (required) First day (YYYY-MM-DD).
        #[arg(long)]
        since: String,
        /// (required) Last day (YYYY-MM-DD).
        #[arg(long)]
        until: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ContactCmd {
    /// Add a contact; prints its id.
    Add { name: String },
    /// List contacts.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show one contact.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
}

/// Fields of a note, shared by `add` (where some are required) and `edit`.
#[derive(Debug, Args)]
pub struct NoteFields {
    /// in_person, phone, video, text, group or attempted.
    #[arg(long = "type")]
    pub contact_type: Option<String>,
    /// community, home, program, hospital, outreach or other.
    #[arg(long)]
    pub setting: Option<String>,
    /// RFC 3339.
    #[arg(long)]
    pub start: Option<String>,
    /// RFC 3339.
    #[arg(long)]
    pub end: Option<String>,
    #[arg(long)]
    pub narrative: Option<String>,
    /// The person's response, in their own words.
    #[arg(long)]
    pub own_words: Option<String>,
    #[arg(long)]
    pub strengths: Option<String>,
    #[arg(long)]
    pub next_steps: Option<String>,
    /// YYYY-MM-DD.
    #[arg(long)]
    pub next_contact: Option<String>,
    /// A goal this contact addressed (repeat for more).
    #[arg(long = "goal")]
    pub goals: Vec<String>,
    /// A peer activity (repeat for more).
    #[arg(long = "activity")]
    pub activities: Vec<String>,
    /// The note mentions substance use: kept out of exports unless asked.
    #[arg(long)]
    pub substance_use: bool,
}

#[derive(Debug, Subcommand)]
pub enum NoteCmd {
    /// Add a draft note; prints its id.
    Add {
        #[arg(long)]
        contact: String,
        #[command(flatten)]
        fields: NoteFields,
    },
    /// Change a draft note.
    Edit {
        id: String,
        #[command(flatten)]
        fields: NoteFields,
    },
    /// List notes by start time.
    List {
        #[arg(long)]
        contact: Option<String>,
        #[arg(long)]
        since: Option<String>,
        #[arg(long)]
        until: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Show one note.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Sign a draft: its words are kept as they are from now on.
    Sign { id: String },
    /// Add later words to a signed note; prints the addendum's id.
    Addendum { id: String, text: String },
    /// Share a note with the person it is about, in your shared space.
    Share {
        id: String,
        /// The shared space (see `share list`).
        #[arg(long)]
        with: String,
        /// The note holds substance-use details and the person agreed to
        /// it being shared (recorded on the note).
        #[arg(long)]
        person_agreed: bool,
    },
    /// Add your own words to a note shared with you; prints their id.
    Comment { id: String, text: String },
    /// Mark a note shared with you as reviewed.
    Review { id: String },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Json,
    Csv,
    Automerge,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum)]
    pub format: Format,
    /// A file (json; default stdout) or a folder (csv, automerge).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Include notes marked as substance-use content.
    #[arg(long)]
    pub include_sensitive: bool,
}
