//! Kindred's core: the records people keep, spaces of them on automerge,
//! and a local store that nothing can read without the key.
//!
//! Layout:
//! - [`model`]: the records (goals, check-ins, contacts, contact notes,
//!   the plan, crisis lines, resources, contact preferences) and the rules
//!   their input follows;
//! - `plan`, `crisis`, `worker_day`: the person's plan and a worker's
//!   suggestions, crisis lines and resources, the worker's lists;
//! - [`reminders`]: when check-in, goal-step and follow-up reminders fire
//!   (time zones and daylight saving from a bundled tz database);
//! - `space`: one automerge document per space, mapped field by field, with
//!   an in-memory index so a write never re-reads the whole document;
//! - `store`: SQLite holding only sealed blobs, one writer, WAL;
//! - [`Kindred`]: the API the shells use;
//! - [`summary`] and export: what a person reads back.
//!
//! No FFI types here: the bindings crate wraps this API.

mod caseload;
mod collaboration;
mod crisis;
mod crypto;
mod edits;
mod erase;
mod error;
mod export;
/// The fuzz harness (fuzz/ and tests/tests/fuzz_harness.rs): only in
/// builds with the `test-hooks` feature, never in the app.
#[cfg(any(test, feature = "test-hooks"))]
#[doc(hidden)]
pub mod fuzz;
mod ids;
mod kindred;
pub mod model;
mod names;
mod plan;
pub mod recovery;
pub mod reminders;
mod resolve;
mod shared_check_ins;
mod sharing;
mod signed_words;
mod space;
mod store;
pub mod summary;
pub mod sync;
mod worker_day;

#[cfg(test)]
mod tests;

pub use caseload::{ContactOverview, Origin};
pub use erase::{Erasure, ErasureRecord, KeptRecordReason};
pub use error::{Error, JoinMismatch, Result, records_of};
pub use export::{CsvFile, JsonExport};
pub use ids::Id;
pub use kindred::{DATABASE_FILE, DEFAULT_COMPACT_AFTER, Device, Kindred, OpenOptions, SpaceInfo};
pub use names::{SEPARATOR, check_person_name, display_name, label_parts};
pub use plan::{Plan, PlanShare, SharedPlan};
pub use resolve::{MIN_PREFIX, Match};
pub use shared_check_ins::SharedRange;
pub use sharing::{RoleChange, Share, ShareMember, SharedGoal};
pub use space::{SCHEMA_VERSION, SpaceKind};
pub use store::{KeyProvider, StorageKey};
pub use worker_day::{
    A_WHILE_DAYS, FollowUp, FollowUps, PeriodMinutes, PrefsNote, TimeWithPeople, prefs_notes,
};
