//! The commands for records: goals and their steps, check-ins, contacts,
//! contact notes, and exporting them.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

#[derive(Debug, Subcommand)]
pub enum GoalCmd {
    /// Add a goal; prints its id.
    Add {
        /// The goal, in your own words.
        title: String,
        /// Why it matters to you.
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
        /// Only goals with this status: active, paused, achieved or let_go.
        #[arg(long)]
        status: Option<String>,
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Show one goal with its steps and progress.
    Show {
        /// The goal (the start of its id).
        id: String,
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Change a goal's words, area or date.
    Edit {
        /// The goal (the start of its id).
        id: String,
        /// New words for the goal.
        #[arg(long)]
        title: Option<String>,
        /// Why it matters to you.
        #[arg(long)]
        why: Option<String>,
        /// emotional, environmental, financial, intellectual, occupational, physical, social or spiritual.
        #[arg(long)]
        area: Option<String>,
        /// A date to aim for (YYYY-MM-DD).
        #[arg(long)]
        target: Option<String>,
    },
    /// Set a goal's status: active, paused, achieved or let_go.
    Status {
        /// The goal (the start of its id).
        id: String,
        /// active, paused, achieved or let_go.
        status: String,
    },
    /// Delete a goal with its steps and progress notes.
    Delete {
        /// The goal (the start of its id).
        id: String,
        /// Delete it forever: also from the history of every space it was
        /// in, on this device, your other devices and the relay.
        #[arg(long)]
        forever: bool,
    },
    /// Steps towards a goal.
    #[command(subcommand)]
    Step(StepCmd),
    /// Add a note on how a goal is going; prints its id.
    Progress {
        /// The goal (the start of its id).
        goal_id: String,
        /// How it is going, in your own words.
        note: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum StepCmd {
    /// Add a step; prints its id.
    Add {
        /// The goal (the start of its id).
        goal_id: String,
        /// The step, in your own words.
        text: String,
        /// A day to do it by (YYYY-MM-DD, today or yesterday).
        #[arg(long)]
        due: Option<String>,
    },
    /// Mark a step done.
    Done {
        /// The goal (the start of its id).
        goal_id: String,
        /// The step: the start of its id, or its words.
        step_id: String,
    },
    /// Mark a step not done.
    Undo {
        /// The goal (the start of its id).
        goal_id: String,
        /// The step: the start of its id, or its words.
        step_id: String,
    },
}

/// When a check-in was, as `--at` takes it.
const AT_HELP: &str = "When: a date (2026-11-28), a local date and time (\"2026-11-28 09:00\"), today, yesterday, or RFC 3339";

#[derive(Debug, Subcommand)]
pub enum CheckinCmd {
    /// Record how you are; prints its id.
    Add {
        /// (required) 1 (low) to 5 (high).
        #[arg(long, allow_negative_numbers = true)]
        mood: i64,
        /// 1 (low) to 5 (high).
        #[arg(long, allow_negative_numbers = true)]
        energy: Option<i64>,
        /// A word for what is going on (repeat for more), e.g. --tag sleep.
        #[arg(long = "tag")]
        tags: Vec<String>,
        /// A few words on how you are.
        #[arg(long)]
        note: Option<String>,
        /// When: a date (2026-11-28), a local date and time ("2026-11-28
        /// 09:00"), today, yesterday, or RFC 3339; default now.
        #[arg(long)]
        at: Option<String>,
    },
    /// Change a check-in.
    Edit {
        /// The check-in (the start of its id).
        id: String,
        /// 1 (low) to 5 (high).
        #[arg(long, allow_negative_numbers = true)]
        mood: Option<i64>,
        /// 1 (low) to 5 (high).
        #[arg(long, allow_negative_numbers = true, conflicts_with = "no_energy")]
        energy: Option<i64>,
        /// Take the energy off.
        #[arg(long)]
        no_energy: bool,
        /// The tags, all of them (repeat for more; replaces the ones there).
        #[arg(long = "tag", conflicts_with = "no_tags")]
        tags: Vec<String>,
        /// Take every tag off.
        #[arg(long)]
        no_tags: bool,
        /// New words for the note.
        #[arg(long, conflicts_with = "no_note")]
        note: Option<String>,
        /// Take the note off.
        #[arg(long)]
        no_note: bool,
        #[arg(long, help = AT_HELP)]
        at: Option<String>,
    },
    /// Delete a check-in (and the copies of it you shared).
    Delete {
        /// The check-in (the start of its id).
        id: String,
        /// Delete it forever: also from the history, on this device, your
        /// other devices and the relay.
        #[arg(long)]
        forever: bool,
    },
    /// List check-ins, oldest first.
    List {
        /// From this day (YYYY-MM-DD, today or yesterday).
        #[arg(long)]
        since: Option<String>,
        /// Up to and including this day.
        #[arg(long)]
        until: Option<String>,
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// A week-by-week look back.
    Summary {
        /// How many weeks, this one included.
        #[arg(long, default_value_t = 4)]
        weeks: u32,
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Share copies of the check-ins between two days (both needed) with
    /// someone you share with.
    Share {
        /// (required) Who: their name, or the start of the share's id.
        #[arg(long, value_name = "SHARE")]
        with: String,
        /// (required) First day (YYYY-MM-DD, today or yesterday).
        #[arg(long)]
        since: String,
        /// (required) Last day (YYYY-MM-DD, today or yesterday).
        #[arg(long)]
        until: String,
    },
    /// Stop sharing the check-ins of some days: the copies from those
    /// days go from the share; your own check-ins stay.
    Unshare {
        /// (required) Who you share them with: their name, or the start of
        /// the share's id (see `share list`).
        #[arg(long, value_name = "SHARE")]
        with: String,
        /// (required) First day (YYYY-MM-DD, today or yesterday).
        #[arg(long)]
        since: String,
        /// (required) Last day (YYYY-MM-DD, today or yesterday).
        #[arg(long)]
        until: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ContactCmd {
    /// Add a contact; prints its id.
    Add {
        /// Their name, or a name you know them by.
        name: String,
    },
    /// List contacts, with when you last saw them and when you plan to next.
    List {
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Show one contact.
    Show {
        /// The contact: their name, or the start of its id.
        id: String,
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Link a contact to the share you have with them, so their own
    /// preferences for being reached show beside them (or unlink).
    Link {
        /// The contact: their name, or the start of its id.
        id: String,
        /// The share: their name as the share knows it, or the start of its id.
        #[arg(long, value_name = "SHARE", conflicts_with = "none")]
        share: Option<String>,
        /// Unlink it from any share.
        #[arg(long)]
        none: bool,
    },
    /// Contacts whose name, or whose notes' words, hold these words.
    Search {
        /// The words to look for (case does not matter).
        query: String,
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Delete a contact forever, with every note about them, from this
    /// device, your other devices and the relay.
    Delete {
        /// The contact: their name, or the start of its id.
        id: String,
        /// Say that it is forever: a contact is only deleted so, with
        /// every note about them (without it, nothing is deleted).
        #[arg(long)]
        forever: bool,
        /// Signed notes are kept as records: delete them only because the
        /// person asked (person-asked) or their keeping period ended
        /// (retention-ended).
        #[arg(long, value_name = "WHY")]
        because: Option<String>,
    },
}

/// The fields every note needs, for `note add` (each one required).
#[derive(Debug, Args)]
pub struct NoteNeeds {
    /// (required) in_person, phone, video, text, group or attempted.
    #[arg(long = "type", value_name = "TYPE")]
    pub contact_type: String,
    /// (required) community, home, program, hospital, outreach or other.
    #[arg(long)]
    pub setting: String,
    /// (required) When it started: a local date and time ("2026-11-28
    /// 09:00"), today, yesterday, or RFC 3339.
    #[arg(long)]
    pub start: String,
    /// (required) When it ended, in the same forms as --start.
    #[arg(long)]
    pub end: String,
    /// (required) What happened, in plain, strengths-based words.
    #[arg(long)]
    pub narrative: String,
}

/// The same fields, each one optional, for `note edit`.
#[derive(Debug, Args)]
pub struct NoteMain {
    /// in_person, phone, video, text, group or attempted.
    #[arg(long = "type", value_name = "TYPE")]
    pub contact_type: Option<String>,
    /// community, home, program, hospital, outreach or other.
    #[arg(long)]
    pub setting: Option<String>,
    /// When it started: a local date and time ("2026-11-28 09:00"),
    /// today, yesterday, or RFC 3339.
    #[arg(long)]
    pub start: Option<String>,
    /// When it ended, in the same forms as --start.
    #[arg(long)]
    pub end: Option<String>,
    /// What happened, in plain, strengths-based words.
    #[arg(long)]
    pub narrative: Option<String>,
}

/// The optional fields of a note, for `add` and `edit`.
#[derive(Debug, Args)]
pub struct NoteExtras {
    /// The person's response, in their own words.
    #[arg(long)]
    pub own_words: Option<String>,
    /// Strengths the person showed or spoke of.
    #[arg(long)]
    pub strengths: Option<String>,
    /// What each of you will do next.
    #[arg(long)]
    pub next_steps: Option<String>,
    /// When you plan to meet next (YYYY-MM-DD).
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
        /// (required) Who it is with: their name, or the start of their id.
        #[arg(long)]
        contact: String,
        #[command(flatten)]
        needs: NoteNeeds,
        #[command(flatten)]
        extras: NoteExtras,
    },
    /// Change a draft note.
    Edit {
        /// The note (the start of its id).
        id: String,
        #[command(flatten)]
        main: NoteMain,
        #[command(flatten)]
        extras: NoteExtras,
    },
    /// List notes by start time, with who each is with.
    List {
        /// Only notes with this contact (their name, or the start of the id).
        #[arg(long)]
        contact: Option<String>,
        /// From this day (YYYY-MM-DD, today or yesterday).
        #[arg(long)]
        since: Option<String>,
        /// Up to and including this day.
        #[arg(long)]
        until: Option<String>,
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Show one note.
    Show {
        /// The note (the start of its id).
        id: String,
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Sign a draft: its words are kept as they are from now on.
    Sign {
        /// The note (the start of its id).
        id: String,
    },
    /// Add later words to a signed note; prints the addendum's id.
    Addendum {
        /// The note (the start of its id).
        id: String,
        /// The later words.
        text: String,
    },
    /// Share a note with the person it is about.
    Share {
        /// The note (the start of its id).
        id: String,
        /// (required) Who: their name, or the start of the share's id (see
        /// `share list`).
        #[arg(long, value_name = "SHARE")]
        with: String,
        /// The note holds substance-use details and the person agreed to
        /// it being shared (recorded on the note).
        #[arg(long)]
        person_agreed: bool,
    },
    /// Add your own words to a note shared with you; prints their id.
    Comment {
        /// The note (the start of its id).
        id: String,
        /// Your words.
        text: String,
    },
    /// Mark a note shared with you as reviewed.
    Review {
        /// The note (the start of its id).
        id: String,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// One JSON file with everything.
    Json,
    /// One CSV file per kind of record, in a folder.
    Csv,
    /// The raw documents, readable by any automerge implementation.
    Automerge,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// (required) json, csv or automerge.
    #[arg(long, value_enum)]
    pub format: Format,
    /// A file (json; default stdout) or a folder (csv, automerge).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Include notes marked as substance-use content.
    #[arg(long)]
    pub include_sensitive: bool,
}
