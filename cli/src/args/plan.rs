//! The commands for the person's plan, their crisis lines and the
//! resources kept with them.

use std::path::PathBuf;

use clap::Subcommand;

/// The sections, as `plan` commands take them.
const SECTION_HELP: &str = "The section: when_well, daily, triggers, early_signs, breaking_down, crisis_supporters, crisis_helps, crisis_avoid, crisis_preferences, crisis_tasks, after_crisis, warning_signs, on_my_own, distractions, ask_for_help, professionals, safer_surroundings or reasons (`kindred plan show` lists them)";

#[derive(Debug, Subcommand)]
pub enum PlanCmd {
    /// Your wellness and safety plan: every section in order, with the
    /// suggestions waiting for you and who each section is shared with.
    Show {
        /// Only this section (e.g. triggers).
        #[arg(long)]
        section: Option<String>,
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Add an entry to a section of your plan; prints its id.
    Add {
        #[arg(help = SECTION_HELP)]
        section: String,
        /// The entry, in your own words.
        text: String,
        /// What helps (for triggers, early signs and breaking down).
        #[arg(long)]
        helps: Option<String>,
    },
    /// Change an entry's words (pick it from `kindred plan show`).
    Edit {
        /// The entry (the start of its id, as `plan show` shows it).
        id: String,
        /// New words for the entry (default: the words it has).
        text: Option<String>,
        /// New words for what helps (default: what it has).
        #[arg(long, conflicts_with = "no_helps")]
        helps: Option<String>,
        /// Take "what helps" off.
        #[arg(long)]
        no_helps: bool,
    },
    /// Delete an entry (and the copies of it you shared).
    Delete {
        /// The entry (the start of its id).
        id: String,
    },
    /// Share sections of your plan with someone you share with: they see
    /// a copy that follows your changes, and can suggest, not change.
    Share {
        /// The sections (one or more), or all.
        #[arg(required = true, value_name = "SECTION|all")]
        sections: Vec<String>,
        /// (required) Who: their name, or the start of the share's id (see
        /// `share list`).
        #[arg(long, value_name = "SHARE")]
        with: String,
    },
    /// Stop sharing sections of your plan: their copies go from the share.
    Unshare {
        /// The sections (one or more), or all.
        #[arg(required = true, value_name = "SECTION|all")]
        sections: Vec<String>,
        /// (required) Who you share them with: their name, or the start of
        /// the share's id.
        #[arg(long, value_name = "SHARE")]
        with: String,
    },
    /// Your plan as plain text, to print or keep.
    Print {
        /// Write it to this file (readable only by you) instead of the screen.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Suggest an entry, or new words for one, in a plan someone shared
    /// with you; prints the suggestion's id. They decide.
    Suggest {
        /// (required) Whose plan: their name, or the start of the share's id.
        #[arg(long = "in", value_name = "SHARE")]
        share: String,
        #[arg(help = SECTION_HELP)]
        section: String,
        /// The entry you suggest, in plain words.
        text: String,
        /// What helps (for triggers, early signs and breaking down).
        #[arg(long)]
        helps: Option<String>,
        /// Suggest new words for this entry instead of a new one (the
        /// start of its id, as `plan shared` shows it).
        #[arg(long, value_name = "ITEM")]
        instead_of: Option<String>,
        /// Why you suggest it, in a few words.
        #[arg(long)]
        why: Option<String>,
    },
    /// Plans others shared with you, with your suggestions and their answers.
    Shared {
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Take a suggestion into your plan, as your own words.
    Accept {
        /// The suggestion (the start of its id, as `plan show` shows it).
        id: String,
    },
    /// Leave a suggestion out of your plan.
    Decline {
        /// The suggestion (the start of its id).
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum CrisisCmd {
    /// The lines and people to call or text when you need help now: your
    /// own, or the usual ones for where you live.
    List {
        /// Where you live, as a two-letter country code (US, GB, ...);
        /// default: KINDRED_REGION, else your language setting's country.
        #[arg(long, value_name = "CC")]
        region: Option<String>,
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Add a line or a person; prints its id. The usual lines for where
    /// you live stay in your list, as your own.
    Add {
        /// Its name, or theirs (e.g. "My sponsor").
        name: String,
        /// The number to call or text.
        number: String,
        /// You can call it (the default when neither --call nor --text is given).
        #[arg(long)]
        call: bool,
        /// You can text it.
        #[arg(long)]
        text: bool,
        /// When to use it, in your words (e.g. "at night").
        #[arg(long, value_name = "TEXT")]
        when: Option<String>,
        /// Where you live (two-letter country code), for the usual lines
        /// kept beside it; default as for `crisis list`.
        #[arg(long, value_name = "CC")]
        region: Option<String>,
    },
    /// Remove a line or person from your list.
    Remove {
        /// The line: its name, or the start of its id.
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ResourceCmd {
    /// Add a resource (a service, a group, food, housing, a line to call);
    /// prints its id.
    Add {
        /// A share to keep it in, so the other person has it too (their
        /// name, or the start of the share's id); default: your own.
        #[arg(long = "in", value_name = "SHARE")]
        share: Option<String>,
        /// (required) service, group, food, housing, crisis_line or other.
        #[arg(long, value_name = "K")]
        kind: String,
        /// Its name.
        name: String,
        /// How to reach it: a number, a web address, "walk in".
        #[arg(long)]
        reach: Option<String>,
        /// When it is open.
        #[arg(long)]
        hours: Option<String>,
        /// Where it is.
        #[arg(long)]
        address: Option<String>,
        /// Anything else worth knowing.
        #[arg(long)]
        notes: Option<String>,
    },
    /// Every resource you have: yours, and those kept in your shares.
    List {
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Keep your own copy of a shared resource (it stays if the share ends);
    /// prints the copy's id.
    Keep {
        /// The resource: its name, or the start of its id.
        id: String,
    },
    /// Delete a resource you added, or your own copy of one.
    Delete {
        /// The resource: its name, or the start of its id.
        id: String,
    },
}
