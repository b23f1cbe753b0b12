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
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .map_err(Error::storage("upgrading the store"))?
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(Error::storage("upgrading the store"))
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
        if let Some(b) = reseal(
            "chunks",
            &old_row(&space, seq),
            &chunk_row(&space, seq, k),
            &blob,
        )? {
            tx.execute(
                "UPDATE chunks SET blob = ?3 WHERE space_id = ?1 AND seq = ?2",
                params![space, seq, b],
            )
            .map_err(Error::storage("upgrading the store"))?;
        }
    }
    for (space, seq, upto, blob) in sent {
        if let Some(b) = reseal(
            "sent",
            &old_row(&space, seq),
            &sent_row(&space, seq, upto),
            &blob,
        )? {
            tx.execute(
                "UPDATE sent SET blob = ?3 WHERE space_id = ?1 AND device_seq = ?2",
                params![space, seq, b],
            )
            .map_err(Error::storage("upgrading the store"))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use super::super::schema::{CURRENT_VERSION, RESEAL_AT, migrate, migrate_to, version};
    use super::super::{StorageKey, chunks_after};
    use super::*;

    fn old_store(sealer: &Sealer) -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, RESEAL_AT - 1, None).unwrap();
        let seal =
            |table, row: &str, plain: &[u8]| sealer.seal(Place { table, row }, plain).unwrap();
        conn.execute(
            "INSERT INTO spaces (id, descriptor) VALUES ('s', ?1)",
            [seal("spaces", "s", b"{}")],
        )
        .unwrap();
        for (seq, kind, text) in [(1, 1, &b"snapshot"[..]), (2, 0, b"change")] {
            conn.execute(
                "INSERT INTO chunks (space_id, seq, kind, blob) VALUES ('s', ?1, ?2, ?3)",
                params![seq, kind, seal("chunks", &old_row("s", seq), text)],
            )
            .unwrap();
        }
        conn.execute(
            "INSERT INTO sent (space_id, device_seq, upto_local_seq, blob) VALUES ('s', 7, 4, ?1)",
            [seal("sent", &old_row("s", 7), b"envelope")],
        )
        .unwrap();
        // A row already damaged stays as it is and does not stop the upgrade.
        conn.execute(
            "INSERT INTO chunks (space_id, seq, kind, blob) VALUES ('s', 3, 0, x'0102')",
            [],
        )
        .unwrap();
        conn
    }

    #[test]
    fn upgrading_from_version_2_reseals_chunks_and_sent_under_the_new_associated_data() {
        let sealer = Sealer::new(&StorageKey::from_bytes([1; 32]));
        let mut conn = old_store(&sealer);
        migrate(&mut conn, Some(&sealer)).unwrap();
        assert_eq!(version(&conn).unwrap(), CURRENT_VERSION);
        let chunks: Vec<_> = conn
            .prepare("SELECT seq, kind, blob FROM chunks WHERE seq < 3 ORDER BY seq")
            .unwrap()
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, Vec<u8>>(2)?,
                ))
            })
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        for (seq, kind, blob) in chunks {
            let k = if kind == 0 {
                ChunkKind::Changes
            } else {
                ChunkKind::Snapshot
            };
            let new = Place {
                table: "chunks",
                row: &chunk_row("s", seq, k),
            };
            assert!(sealer.open(new, &blob).is_ok(), "chunk {seq} not re-sealed");
            let old = Place {
                table: "chunks",
                row: &old_row("s", seq),
            };
            assert!(sealer.open(old, &blob).is_err());
        }
        let blob: Vec<u8> = conn
            .query_row("SELECT blob FROM sent WHERE device_seq = 7", [], |r| {
                r.get(0)
            })
            .unwrap();
        let opened = sealer
            .open(
                Place {
                    table: "sent",
                    row: &sent_row("s", 7, 4),
                },
                &blob,
            )
            .unwrap();
        assert_eq!(&opened[..], b"envelope");
        // Through the store's own reader (the damaged row taken out): the
        // two re-sealed chunks open.
        conn.execute("DELETE FROM chunks WHERE seq = 3", [])
            .unwrap();
        assert_eq!(
            chunks_after(&conn, &sealer, "s", "personal", 0)
                .unwrap()
                .len(),
            2
        );
    }

    #[test]
    fn a_fresh_store_needs_no_key_to_reach_the_current_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, None).unwrap();
        assert_eq!(version(&conn).unwrap(), CURRENT_VERSION);
    }

    #[test]
    fn an_old_store_with_rows_is_not_upgraded_without_its_key() {
        let sealer = Sealer::new(&StorageKey::from_bytes([1; 32]));
        let mut conn = old_store(&sealer);
        assert!(migrate(&mut conn, None).is_err());
        assert_eq!(
            version(&conn).unwrap(),
            RESEAL_AT - 1,
            "a half upgrade was kept"
        );
    }
}
