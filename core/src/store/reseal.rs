//! The store migration to version 3 (issue 13): every `chunks` and `sent`
//! row is opened under the associated data it was sealed with (table,
//! space and sequence) and sealed again under the one that also names the
//! chunk's kind, or the sent envelope's `upto_local_seq`. Before, those two
//! columns stood outside the seal: swapping a chunk's kind, or raising
//! `upto_local_seq` (an acknowledgement then deleted outbox rows never
//! sent), went unnoticed.
//!
//! A row that does not open under the old associated data is left as it
//! is: it fails under the new one too, and reports the space damaged as it
//! would have before, without stopping the rest of the store opening.

use rusqlite::{Transaction, params};

use super::seal::{Place, Sealer};
use super::sync_tables::sent_row;
use super::{ChunkKind, chunk_row};
use crate::error::{Error, Result};

fn old_row(space_id: &str, n: i64) -> String {
    format!("{space_id}/{n}")
}

type Rows = Vec<(String, i64, i64, Vec<u8>)>;

fn rows(tx: &Transaction<'_>, sql: &str) -> Result<Rows> {
    let mut stmt = tx
        .prepare(sql)
        .map_err(Error::storage("upgrading the store"))?;
    let out = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .map_err(Error::storage("upgrading the store"))?
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(Error::storage("upgrading the store"));
    out
}

/// Re-seals `chunks` and `sent` (see the module docs). Needs the sealer
/// when either table has rows.
pub(super) fn reseal_v3(tx: &Transaction<'_>, sealer: Option<&Sealer>) -> Result<()> {
    let chunks = rows(tx, "SELECT space_id, seq, kind, blob FROM chunks")?;
    let sent = rows(
        tx,
        "SELECT space_id, device_seq, upto_local_seq, blob FROM sent",
    )?;
    if chunks.is_empty() && sent.is_empty() {
        return Ok(());
    }
    let sealer = sealer.ok_or(Error::Storage {
        context: "upgrading the store without its key",
        source: rusqlite::Error::InvalidQuery,
    })?;
    let reseal = |table: &str, old: &str, new: &str, blob: &[u8]| -> Result<Option<Vec<u8>>> {
        match sealer.open(Place { table, row: old }, blob) {
            Ok(plain) => Ok(Some(sealer.seal(Place { table, row: new }, &plain)?)),
            Err(_) => Ok(None),
        }
    };
    for (space, seq, kind, blob) in chunks {
        let k = match kind {
            0 => ChunkKind::Changes,
            1 => ChunkKind::Snapshot,
            _ => continue,
        };
        if let Some(b) = reseal("chunks", &old_row(&space, seq), &chunk_row(&space, seq, k), &blob)? {
            tx.execute(
                "UPDATE chunks SET blob = ?3 WHERE space_id = ?1 AND seq = ?2",
                params![space, seq, b],
            )
            .map_err(Error::storage("upgrading the store"))?;
        }
    }
    for (space, seq, upto, blob) in sent {
        if let Some(b) = reseal("sent", &old_row(&space, seq), &sent_row(&space, seq, upto), &blob)? {
            tx.execute(
                "UPDATE sent SET blob = ?3 WHERE space_id = ?1 AND device_seq = ?2",
                params![space, seq, b],
            )
            .map_err(Error::storage("upgrading the store"))?;
        }
    }
    Ok(())
}
