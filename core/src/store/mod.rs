//! The local store: SQLite (bundled, WAL, one writer) holding sealed blobs.
//!
//! Why this shape: every piece of content is an opaque sealed blob keyed by
//! random ids and sequence numbers, so the file tells a reader without the
//! key nothing but sizes and counts. A space's document lives as a list of
//! chunks, each one an automerge change (kind 0) or a compacted snapshot
//! (kind 1), appended in the same transaction as the edit that made it.
//! `synchronous = FULL` makes a committed transaction survive the process
//! being killed (and the machine losing power).

mod erase;
mod reseal;
mod schema;
mod seal;
mod sync_tables;

pub use seal::{KeyProvider, StorageKey};
pub(crate) use sync_tables::SentRow;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use seal::{OpenError, Place, Sealer};

const KEY_CHECK_NAME: &str = "key_check";
const KEY_CHECK_TEXT: &[u8] = b"kindred storage key check v1";

/// What a chunk holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ChunkKind {
    /// One or more automerge changes.
    Changes = 0,
    /// A whole document saved by `save()`, covering every earlier chunk.
    Snapshot = 1,
}

/// A chunk of a space's document, opened.
pub(crate) struct Chunk {
    pub seq: i64,
    pub kind: ChunkKind,
    pub bytes: Zeroizing<Vec<u8>>,
}

/// The sealed SQLite store of one device.
pub(crate) struct Store {
    conn: Connection,
    sealer: Sealer,
    path: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

fn damaged(space: &str, e: OpenError) -> Error {
    Error::Damaged {
        space: space.to_owned(),
        what: e.describe().to_owned(),
    }
}

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(Error::storage("configuring the store"))?;
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .map_err(Error::storage("configuring the store"))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::Storage {
            context: "switching the store to write-ahead logging",
            source: rusqlite::Error::InvalidQuery,
        });
    }
    conn.execute_batch(
        "PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA secure_delete = ON;",
    )
    .map_err(Error::storage("configuring the store"))
}

impl Store {
    /// Creates a new store at `path`; refuses if one is already there.
    pub(crate) fn create(path: &Path, key: &StorageKey) -> Result<Store> {
        if path.exists() {
            let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
                .map_err(Error::storage("checking for existing data"))?;
            if schema::version(&conn)? > 0 {
                return Err(Error::AlreadyInitialised);
            }
        }
        let mut conn = Connection::open(path).map_err(Error::storage("creating the store"))?;
        configure(&conn)?;
        let sealer = Sealer::new(key);
        schema::migrate(&mut conn, Some(&sealer))?;
        let check = sealer.seal(
            Place {
                table: "meta",
                row: KEY_CHECK_NAME,
            },
            KEY_CHECK_TEXT,
        )?;
        conn.execute(
            "INSERT INTO meta (name, value) VALUES (?1, ?2)",
            params![KEY_CHECK_NAME, check],
        )
        .map_err(Error::storage("creating the store"))?;
        Ok(Store {
            conn,
            sealer,
            path: path.to_owned(),
        })
    }

    /// Opens the store at `path`. The key is checked before anything is
    /// written, so a wrong key leaves the file as it was.
    pub(crate) fn open(path: &Path, key: &StorageKey) -> Result<Store> {
        if !path.exists() {
            return Err(Error::NotInitialised);
        }
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(Error::storage("opening the store"))?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(Error::storage("opening the store"))?;
        let version = schema::version(&conn)?;
        if version == 0 {
            return Err(Error::NotInitialised);
        }
        if version > schema::CURRENT_VERSION {
            return Err(Error::StoreTooNew { found: version });
        }
        let sealer = Sealer::new(key);
        let check: Option<Vec<u8>> = conn
            .query_row(
                "SELECT value FROM meta WHERE name = ?1",
                [KEY_CHECK_NAME],
                |r| r.get(0),
            )
            .optional()
            .map_err(Error::storage("checking the key"))?;
        let check = check.ok_or(Error::DatabaseDamaged)?;
        match sealer.open(
            Place {
                table: "meta",
                row: KEY_CHECK_NAME,
            },
            &check,
        ) {
            Ok(text) if &text[..] == KEY_CHECK_TEXT => {}
            Ok(_) => return Err(Error::WrongKey),
            Err(OpenError::Unauthentic) => return Err(Error::WrongKey),
            Err(e) => return Err(damaged("store", e)),
        }
        configure(&conn)?;
        schema::migrate(&mut conn, Some(&sealer))?;
        Ok(Store {
            conn,
            sealer,
            path: path.to_owned(),
        })
    }

    /// Reads a sealed value from `meta`.
    pub(crate) fn meta(&self, name: &str) -> Result<Option<Zeroizing<Vec<u8>>>> {
        read_sealed(
            &self.conn,
            &self.sealer,
            "meta",
            "SELECT value FROM meta WHERE name = ?1",
            name,
        )
    }

    /// Reads a sealed key from `keys`.
    pub(crate) fn key(&self, name: &str) -> Result<Option<Zeroizing<Vec<u8>>>> {
        read_sealed(
            &self.conn,
            &self.sealer,
            "keys",
            "SELECT blob FROM keys WHERE name = ?1",
            name,
        )
    }

    /// Every space's id and opened descriptor.
    pub(crate) fn spaces(&self) -> Result<Vec<(String, Zeroizing<Vec<u8>>)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, descriptor FROM spaces ORDER BY id")
            .map_err(Error::storage("listing spaces"))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
            })
            .map_err(Error::storage("listing spaces"))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, blob) = row.map_err(Error::storage("listing spaces"))?;
            let opened = self
                .sealer
                .open(
                    Place {
                        table: "spaces",
                        row: &id,
                    },
                    &blob,
                )
                .map_err(|e| damaged(&id, e))?;
            out.push((id, opened));
        }
        Ok(out)
    }

    /// Every chunk of a space after `after_seq`, opened, in order.
    pub(crate) fn chunks_after(
        &self,
        space_id: &str,
        label: &str,
        after_seq: i64,
    ) -> Result<Vec<Chunk>> {
        chunks_after(&self.conn, &self.sealer, space_id, label, after_seq)
    }

    /// Starts the one writer's transaction. `IMMEDIATE` takes the write
    /// lock at once, so another process cannot slip a chunk in between the
    /// catch-up read and the append.
    pub(crate) fn begin(&mut self) -> Result<StoreTx<'_>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(Error::storage("starting a change"))?;
        Ok(StoreTx {
            tx,
            sealer: &self.sealer,
        })
    }

    /// The file this store lives in.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

fn read_sealed(
    conn: &Connection,
    sealer: &Sealer,
    table: &str,
    sql: &str,
    name: &str,
) -> Result<Option<Zeroizing<Vec<u8>>>> {
    let blob: Option<Vec<u8>> = conn
        .query_row(sql, [name], |r| r.get(0))
        .optional()
        .map_err(Error::storage("reading the store"))?;
    blob.map(|b| {
        sealer
            .open(Place { table, row: name }, &b)
            .map_err(|e| damaged("device", e))
    })
    .transpose()
}

/// A chunk's row in its seal's associated data: space, sequence and kind,
/// so a chunk relabelled from changes to snapshot (or back) on disk fails
/// to open instead of being read as the other kind.
fn chunk_row(space_id: &str, seq: i64, kind: ChunkKind) -> String {
    format!("{space_id}/{seq}/kind={}", kind as i64)
}

fn chunks_after(
    conn: &Connection,
    sealer: &Sealer,
    space_id: &str,
    label: &str,
    after_seq: i64,
) -> Result<Vec<Chunk>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT seq, kind, blob FROM chunks WHERE space_id = ?1 AND seq > ?2 ORDER BY seq",
        )
        .map_err(Error::storage("reading a space"))?;
    let rows = stmt
        .query_map(params![space_id, after_seq], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Vec<u8>>(2)?,
            ))
        })
        .map_err(Error::storage("reading a space"))?;
    let mut out = Vec::new();
    for row in rows {
        let (seq, kind, blob) = row.map_err(Error::storage("reading a space"))?;
        let kind = match kind {
            0 => ChunkKind::Changes,
            1 => ChunkKind::Snapshot,
            _ => {
                return Err(Error::Damaged {
                    space: label.to_owned(),
                    what: "a chunk has an unknown kind".to_owned(),
                });
            }
        };
        let bytes = sealer
            .open(
                Place {
                    table: "chunks",
                    row: &chunk_row(space_id, seq, kind),
                },
                &blob,
            )
            .map_err(|e| damaged(label, e))?;
        out.push(Chunk { seq, kind, bytes });
    }
    Ok(out)
}

/// One writer transaction: everything in it commits together or not at all.
pub(crate) struct StoreTx<'a> {
    tx: rusqlite::Transaction<'a>,
    sealer: &'a Sealer,
}

impl StoreTx<'_> {
    /// Writes a sealed value to `meta`.
    pub(crate) fn put_meta(&self, name: &str, value: &[u8]) -> Result<()> {
        let blob = self.sealer.seal(
            Place {
                table: "meta",
                row: name,
            },
            value,
        )?;
        self.tx
            .execute(
                "INSERT INTO meta (name, value) VALUES (?1, ?2)
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                params![name, blob],
            )
            .map_err(Error::storage("saving settings"))?;
        Ok(())
    }

    /// Deletes a value from `meta` (nothing if there is none).
    pub(crate) fn delete_meta(&self, name: &str) -> Result<()> {
        self.tx
            .execute("DELETE FROM meta WHERE name = ?1", params![name])
            .map_err(Error::storage("saving settings"))?;
        Ok(())
    }

    /// Writes a sealed key to `keys`.
    pub(crate) fn put_key(&self, name: &str, value: &[u8]) -> Result<()> {
        let blob = self.sealer.seal(
            Place {
                table: "keys",
                row: name,
            },
            value,
        )?;
        self.tx
            .execute(
                "INSERT INTO keys (name, blob) VALUES (?1, ?2)
                 ON CONFLICT (name) DO UPDATE SET blob = excluded.blob",
                params![name, blob],
            )
            .map_err(Error::storage("saving a key"))?;
        Ok(())
    }

    /// Adds a space with its sealed descriptor.
    /// Replaces a space's descriptor (its local name).
    pub(crate) fn update_space(&self, id: &str, descriptor: &[u8]) -> Result<()> {
        let blob = self.sealer.seal(
            Place {
                table: "spaces",
                row: id,
            },
            descriptor,
        )?;
        self.tx
            .execute(
                "UPDATE spaces SET descriptor = ?2 WHERE id = ?1",
                params![id, blob],
            )
            .map_err(Error::storage("naming a space"))?;
        Ok(())
    }

    pub(crate) fn insert_space(&self, id: &str, descriptor: &[u8]) -> Result<()> {
        let blob = self.sealer.seal(
            Place {
                table: "spaces",
                row: id,
            },
            descriptor,
        )?;
        self.tx
            .execute(
                "INSERT INTO spaces (id, descriptor) VALUES (?1, ?2)",
                params![id, blob],
            )
            .map_err(Error::storage("creating a space"))?;
        Ok(())
    }

    /// Chunks another writer appended after `after_seq`.
    pub(crate) fn chunks_after(
        &self,
        space_id: &str,
        label: &str,
        after_seq: i64,
    ) -> Result<Vec<Chunk>> {
        chunks_after(&self.tx, self.sealer, space_id, label, after_seq)
    }

    /// Appends a sealed chunk; returns its sequence number.
    pub(crate) fn append_chunk(
        &self,
        space_id: &str,
        kind: ChunkKind,
        bytes: &[u8],
    ) -> Result<i64> {
        let seq: i64 = self
            .tx
            .query_row(
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM chunks WHERE space_id = ?1",
                [space_id],
                |r| r.get(0),
            )
            .map_err(Error::storage("saving a change"))?;
        let blob = self.sealer.seal(
            Place {
                table: "chunks",
                row: &chunk_row(space_id, seq, kind),
            },
            bytes,
        )?;
        self.tx
            .execute(
                "INSERT INTO chunks (space_id, seq, kind, blob) VALUES (?1, ?2, ?3, ?4)",
                params![space_id, seq, kind as i64, blob],
            )
            .map_err(Error::storage("saving a change"))?;
        Ok(seq)
    }

    /// Replaces every chunk of a space up to and including `upto_seq` by
    /// one snapshot. The snapshot is written first and the old chunks are
    /// deleted in the same transaction, so either both happen or neither.
    pub(crate) fn compact(&self, space_id: &str, upto_seq: i64, snapshot: &[u8]) -> Result<i64> {
        let seq = self.append_chunk(space_id, ChunkKind::Snapshot, snapshot)?;
        debug_assert!(seq > upto_seq);
        self.tx
            .execute(
                "DELETE FROM chunks WHERE space_id = ?1 AND seq <= ?2",
                params![space_id, upto_seq],
            )
            .map_err(Error::storage("compacting a space"))?;
        Ok(seq)
    }

    /// Makes everything in this transaction durable.
    pub(crate) fn commit(self) -> Result<()> {
        self.tx.commit().map_err(Error::storage("saving a change"))
    }
}

#[cfg(any(test, feature = "test-hooks"))]
/// Where the fuzz harness opens arbitrary bytes: one row of every sealed
/// table.
const FUZZ_PLACES: [Place<'static>; 10] = [
    Place {
        table: "meta",
        row: KEY_CHECK_NAME,
    },
    Place {
        table: "keys",
        row: "epoch/s/1",
    },
    Place {
        table: "spaces",
        row: "s",
    },
    Place {
        table: "chunks",
        row: "s/1/kind=0",
    },
    Place {
        table: "outbox",
        row: "s/1",
    },
    Place {
        table: "sent",
        row: "s/1/upto=1",
    },
    Place {
        table: "sync_state",
        row: "s",
    },
    Place {
        table: "log_entries",
        row: "s/0",
    },
    Place {
        table: "held",
        row: "s/1",
    },
    Place {
        table: "quarantine",
        row: "s/1",
    },
];

/// The fuzz harness: arbitrary bytes opened as a blob of every sealed
/// table (never panics; only a real seal opens), and sealed then opened
/// again (must give the bytes back).
#[cfg(any(test, feature = "test-hooks"))]
pub(crate) fn fuzz_open(key: &StorageKey, data: &[u8]) {
    let sealer = Sealer::new(key);
    for place in FUZZ_PLACES {
        let _ = sealer.open(place, data);
    }
    if let Ok(sealed) = sealer.seal(FUZZ_PLACES[3], data) {
        let opened = sealer.open(FUZZ_PLACES[3], &sealed);
        assert!(
            opened.is_ok_and(|o| o[..] == *data),
            "a sealed blob did not open"
        );
    }
}

/// Real sealed blobs, one per table, for a fuzzer to start from.
#[cfg(any(test, feature = "test-hooks"))]
pub(crate) fn fuzz_seeds(key: &StorageKey) -> Vec<Vec<u8>> {
    let sealer = Sealer::new(key);
    FUZZ_PLACES
        .iter()
        .filter_map(|p| sealer.seal(*p, br#"{"cursor":3}"#).ok())
        .collect()
}
