//! The commands for a worker's day (follow-ups, planned visits and
//! calls, time with people) and for how a person wants to be reached.

use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum FollowupsCmd {
    /// Plan a visit or call with someone; prints its id.
    Plan {
        /// Who: their name, or the start of their id.
        contact: String,
        /// (required) When: a local date and time ("2026-12-07 15:00") or
        /// RFC 3339 ("2026-12-07T15:00:00+00:00").
        #[arg(long)]
        at: String,
        /// (required) call, text, in_person or video.
        #[arg(long)]
        way: String,
        /// A few words about it.
        #[arg(long)]
        note: Option<String>,
    },
    /// Mark a planned visit or call done.
    Done {
        /// The planned contact (the start of its id, as `followups` shows it).
        id: String,
    },
    /// Take a planned visit or call off the list.
    Cancel {
        /// The planned contact (the start of its id).
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum PrefsCmd {
    /// How the person wants to be reached, in each share (or one).
    Show {
        /// Only this share: the other person's name, or the start of its id.
        #[arg(long = "in", value_name = "SHARE")]
        share: Option<String>,
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Say how you want to be reached, for the people in one share. Only
    /// what you give changes; the rest stays as it is.
    Set {
        /// (required) The share: the other person's name, or the start of
        /// its id.
        #[arg(long = "in", value_name = "SHARE")]
        share: String,
        /// The ways that suit you, best first: text, call, in_person, video
        /// (e.g. --ways text,call).
        #[arg(long, value_name = "WAYS", conflicts_with = "no_ways")]
        ways: Option<String>,
        /// Say nothing about ways any more.
        #[arg(long)]
        no_ways: bool,
        /// A time that suits you, in your local time (repeat for more),
        /// e.g. --best "mon-fri 10:00-14:00" or --best "18:00-20:00"
        /// (every day); replaces the times there.
        #[arg(
            long = "best",
            value_name = "DAYS HH:MM-HH:MM",
            conflicts_with = "no_best"
        )]
        best: Vec<String>,
        /// Say nothing about times any more.
        #[arg(long)]
        no_best: bool,
        /// Please do not leave a voicemail.
        #[arg(long, conflicts_with = "voicemail_ok")]
        no_voicemail: bool,
        /// A voicemail is fine.
        #[arg(long)]
        voicemail_ok: bool,
        /// A word to use when calling (say, if someone else answers).
        #[arg(long, value_name = "TEXT", conflicts_with = "no_word")]
        word: Option<String>,
        /// Take the word off.
        #[arg(long)]
        no_word: bool,
        /// Anything else, in your words.
        #[arg(long, value_name = "TEXT", conflicts_with = "no_note")]
        note: Option<String>,
        /// Take the note off.
        #[arg(long)]
        no_note: bool,
    },
}
