//! Starting a space afresh in the store (issue 14, "delete forever").
//!
//! One transaction replaces everything the device holds of a space's
//! document: its chunks, pending and sent changes, held and quarantined
//! ones, and the keys of the epochs before the new start, by one
//! snapshot of the new document (and the replayed pending edits, queued
//! again). `secure_delete` (set on every connection) overwrites the
//! deleted rows in the database file; [`Store::scrub`] then empties the
//! write-ahead log, whose older frames still hold the pages as they were.

use rusqlite::params;

use super::{ChunkKind, Store, StoreTx};
use crate::error::{Error, Result};

impl StoreTx<'_> {
    /// Replaces the space's document by `snapshot` (see the module docs):
    /// `pending` (if any) goes to the outbox as the only change waiting to
    /// be sent; epoch keys below `keep_from` are deleted. Returns the new
    /// chunk's sequence.
    pub(crate) fn start_afresh(
        &self,
        space_id: &str,
        snapshot: &[u8],
        pending: Option<&[u8]>,
        keep_from: u32,
    ) -> Result<i64> {
        let wipe = || Error::storage("starting a space afresh");
        for table in ["chunks", "outbox", "sent", "held", "quarantine"] {
            self.tx
                .execute(
                    &format!("DELETE FROM {table} WHERE space_id = ?1"),
                    [space_id],
                )
                .map_err(wipe())?;
        }
        let prefix = format!("epoch/{space_id}/");
        let names: Vec<String> = self
            .tx
            .prepare("SELECT name FROM keys WHERE substr(name, 1, length(?1)) = ?1")
            .and_then(|mut s| {
                s.query_map([&prefix], |r| r.get::<_, String>(0))?
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(wipe())?;
        for name in names {
            let old = name[prefix.len()..]
                .parse::<u32>()
                .is_ok_and(|epoch| epoch < keep_from);
            if old {
                self.tx
                    .execute("DELETE FROM keys WHERE name = ?1", params![name])
                    .map_err(wipe())?;
            }
        }
        let seq = self.append_chunk(space_id, ChunkKind::Snapshot, snapshot)?;
        if let Some(change) = pending.filter(|c| !c.is_empty()) {
            self.append_outbox(space_id, change)?;
        }
        Ok(seq)
    }
}

impl Store {
    /// Empties the write-ahead log into the database file and truncates
    /// it, so pages as they were before a deletion are no longer in it.
    /// Best effort: another connection reading an older state makes it
    /// wait; the next scrub (or checkpoint) takes it.
    pub(crate) fn scrub(&self) {
        let _ = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
    }
}
