//! `kindred-ffi`: Kindred's core for the phone apps, through uniffi.
//!
//! This crate is a translation layer and nothing else: every rule lives in
//! `kindred-core`, exactly as the CLI gets it. Here, core types become
//! uniffi records (times as RFC 3339 text, dates as `YYYY-MM-DD`, choices
//! as their stored words, so values written by a newer app survive), core
//! errors become one small public error enum ([`KindredError`], mapped in
//! one place), blocking sync work runs on one tokio runtime owned by this
//! library, and long-running work (watching for changes) comes back as a
//! handle that stops when closed or dropped.
//!
//! Kotlin and Swift are generated from the built library by the
//! workspace's own `uniffi-bindgen` (see `scripts/bindings.sh`).

mod changes;
mod checkin_edits;
mod erase;
mod error;
mod kindred;
mod lookup;
mod pairing;
mod plan;
mod records;
mod recovery;
mod reminders;
mod runtime;
mod sharing;
mod watch;
mod worker_day;

#[cfg(test)]
mod edit_tests;
#[cfg(test)]
mod erase_tests;
#[cfg(test)]
mod plan_tests;
#[cfg(test)]
mod tests;

pub use changes::{ChangeEvent, ChangeListener, ListenerHandle};
pub use checkin_edits::CheckInChanges;
pub use erase::{ErasureLogRecord, ErasureRecord};
pub use error::{KeyProviderError, KindredError};
pub use kindred::{KeyProvider, Kindred};
pub use lookup::{Lookup, MatchRecord};
pub use pairing::{PairCodeRecord, PairRequestRecord};
pub use plan::*;
pub use records::*;
pub use recovery::*;
pub use reminders::*;
pub use sharing::{InviteHandle, JoinHandle, role_in_words};
pub use watch::WatchHandle;
pub use worker_day::*;

uniffi::setup_scaffolding!();
