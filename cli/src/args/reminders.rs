//! The commands for reminders.

use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum RemindersCmd {
    /// The next moments Kindred will remind you (check-ins, steps due,
    /// follow-ups), in your local time.
    Next {
        /// How many days ahead to look.
        #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=366))]
        days: u32,
        /// Look from this moment instead of now (a date and time, or RFC 3339).
        #[arg(long, value_name = "WHEN")]
        from: Option<String>,
        /// The time zone (e.g. Europe/London; default: this machine's).
        #[arg(long)]
        zone: Option<String>,
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Your check-in reminder times.
    List {
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Set your check-in reminder times (they replace the ones there),
    /// e.g. `reminders set 09:00 20:30 --days mon,wed,fri`.
    Set {
        /// Times of day, HH:MM (at most 6).
        times: Vec<String>,
        /// Only on these days (mon,tue,...; default every day).
        #[arg(long, value_name = "DAYS")]
        days: Option<String>,
        /// No check-in reminders.
        #[arg(long)]
        none: bool,
    },
}
