//! Behaviour tests of the core through `Kindred`, with access to internals
//! where a test must write raw documents or raw database bytes.
#![allow(clippy::unwrap_used)]

mod collaboration;
mod compat;
mod plan;
mod records;
mod store;
mod store_aad;

use std::path::Path;

pub(crate) use crate::model::*;
use crate::{Kindred, OpenOptions, StorageKey};

pub(crate) fn key() -> StorageKey {
    StorageKey::from_bytes([42u8; 32])
}

pub(crate) fn fresh() -> (tempfile::TempDir, Kindred) {
    let dir = tempfile::tempdir().unwrap();
    let k = Kindred::init(dir.path(), &key(), "test phone").unwrap();
    (dir, k)
}

pub(crate) fn reopen(dir: &Path) -> Kindred {
    Kindred::open(dir, &key()).unwrap()
}

pub(crate) fn reopen_with(dir: &Path, compact_after: usize) -> Kindred {
    Kindred::open_with(
        dir,
        &key(),
        OpenOptions {
            compact_after,
            ..Default::default()
        },
    )
    .unwrap()
}

pub(crate) fn check_in(mood: i64, at: &str) -> NewCheckIn {
    NewCheckIn {
        occurred_at: parse_time(at).unwrap(),
        mood,
        energy: None,
        tags: vec![],
        note: None,
    }
}

/// Number of stored chunks of all spaces.
pub(crate) fn chunk_count(dir: &Path) -> i64 {
    let conn = rusqlite::Connection::open(Kindred::database_path(dir)).unwrap();
    conn.query_row("SELECT COUNT(*) FROM chunks", [], |r| r.get(0))
        .unwrap()
}
