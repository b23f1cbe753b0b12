//! The store's sync tables: outbox, sent envelopes, sync state, the
//! verified membership log, quarantined envelopes. Every blob is sealed
//! like every other (table and row in the associated data).

use rusqlite::{Connection, OptionalExtension, params};
use zeroize::Zeroizing;

use super::seal::{Place, Sealer};
use super::{Store, StoreTx, damaged};
use crate::error::{Error, Result};

/// One pending local change.
pub(crate) struct OutboxRow {
    pub local_seq: i64,
    pub bytes: Zeroizing<Vec<u8>>,
}

/// One sealed envelope awaiting acknowledgement.
pub(crate) struct SentRow {
    pub upto_local_seq: i64,
    pub bytes: Zeroizing<Vec<u8>>,
}

fn row(space_id: &str, n: i64) -> String {
    format!("{space_id}/{n}")
}

/// A sent envelope's row in its seal's associated data: space, device
/// sequence and the last outbox row it carries. An acknowledgement deletes
/// the outbox up to `upto_local_seq`, so a raised value on disk would
/// drop changes never sent: it fails to open instead.
pub(super) fn sent_row(space_id: &str, device_seq: i64, upto_local_seq: i64) -> String {
    format!("{space_id}/{device_seq}/upto={upto_local_seq}")
}

fn read_one(
    conn: &Connection,
    sealer: &Sealer,
    table: &str,
    space_id: &str,
) -> Result<Option<Zeroizing<Vec<u8>>>> {
    let blob: Option<Vec<u8>> = conn
        .query_row(
            &format!("SELECT blob FROM {table} WHERE space_id = ?1"),
            [space_id],
            |r| r.get(0),
        )
        .optional()
        .map_err(Error::storage("reading sync state"))?;
    blob.map(|b| {
        sealer
            .open(
                Place {
                    table,
                    row: space_id,
                },
                &b,
            )
            .map_err(|e| damaged(space_id, e))
    })
    .transpose()
}

fn read_many(
    conn: &Connection,
    sealer: &Sealer,
    table: &str,
    key: &str,
    space_id: &str,
    limit: i64,
) -> Result<Vec<(i64, Zeroizing<Vec<u8>>)>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {key}, blob FROM {table} WHERE space_id = ?1 ORDER BY {key} LIMIT ?2"
        ))
        .map_err(Error::storage("reading sync data"))?;
    let rows = stmt
        .query_map(params![space_id, limit], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?))
        })
        .map_err(Error::storage("reading sync data"))?;
    let mut out = Vec::new();
    for r in rows {
        let (n, blob) = r.map_err(Error::storage("reading sync data"))?;
        let opened = sealer
            .open(
                Place {
                    table,
                    row: &row(space_id, n),
                },
                &blob,
            )
            .map_err(|e| damaged(space_id, e))?;
        out.push((n, opened));
    }
    Ok(out)
}

fn count(conn: &Connection, table: &str, space_id: &str) -> Result<i64> {
    conn.query_row(
        &format!("SELECT COUNT(*) FROM {table} WHERE space_id = ?1"),
        [space_id],
        |r| r.get(0),
    )
    .map_err(Error::storage("counting pending changes"))
}

impl Store {
    /// The sealed sync state of a space.
    pub(crate) fn sync_state(&self, space_id: &str) -> Result<Option<Zeroizing<Vec<u8>>>> {
        read_one(&self.conn, &self.sealer, "sync_state", space_id)
    }

    /// Changes not yet acknowledged by the server (outbox + sent).
    pub(crate) fn pending(&self, space_id: &str) -> Result<(i64, i64)> {
        Ok((
            count(&self.conn, "outbox", space_id)?,
            count(&self.conn, "sent", space_id)?,
        ))
    }

    /// The verified membership log of a space, in order.
    pub(crate) fn log_entries(&self, space_id: &str) -> Result<Vec<Zeroizing<Vec<u8>>>> {
        Ok(read_many(
            &self.conn,
            &self.sealer,
            "log_entries",
            "seq",
            space_id,
            i64::MAX,
        )?
        .into_iter()
        .map(|(_, b)| b)
        .collect())
    }

    /// Verified changes waiting for the changes they build on.
    pub(crate) fn held(&self, space_id: &str) -> Result<Vec<Zeroizing<Vec<u8>>>> {
        Ok(read_many(
            &self.conn,
            &self.sealer,
            "held",
            "server_seq",
            space_id,
            i64::MAX,
        )?
        .into_iter()
        .map(|(_, b)| b)
        .collect())
    }

    /// Number of held changes.
    pub(crate) fn held_count(&self, space_id: &str) -> Result<i64> {
        count(&self.conn, "held", space_id)
    }

    /// Quarantined envelopes of a space.
    pub(crate) fn quarantined(&self, space_id: &str) -> Result<i64> {
        count(&self.conn, "quarantine", space_id)
    }
}

impl StoreTx<'_> {
    fn put(
        &self,
        table: &str,
        cols: &str,
        space_id: &str,
        n: Option<i64>,
        extra: Option<i64>,
        value: &[u8],
    ) -> Result<()> {
        let r = match n {
            Some(n) => row(space_id, n),
            None => space_id.to_owned(),
        };
        let blob = self.sealer.seal(Place { table, row: &r }, value)?;
        let sql = match (n, extra) {
            (None, _) => format!("INSERT OR REPLACE INTO {table} ({cols}) VALUES (?1, ?2)"),
            (Some(_), None) => {
                format!("INSERT OR REPLACE INTO {table} ({cols}) VALUES (?1, ?2, ?3)")
            }
            (Some(_), Some(_)) => {
                format!("INSERT OR REPLACE INTO {table} ({cols}) VALUES (?1, ?2, ?3, ?4)")
            }
        };
        let res = match (n, extra) {
            (None, _) => self.tx.execute(&sql, params![space_id, blob]),
            (Some(n), None) => self.tx.execute(&sql, params![space_id, n, blob]),
            (Some(n), Some(x)) => self.tx.execute(&sql, params![space_id, n, x, blob]),
        };
        res.map_err(Error::storage("saving sync data"))?;
        Ok(())
    }

    /// Appends a local change to the outbox; returns its local sequence.
    pub(crate) fn append_outbox(&self, space_id: &str, bytes: &[u8]) -> Result<i64> {
        let n: i64 = self
            .tx
            .query_row(
                "SELECT COALESCE(MAX(local_seq), 0) + 1 FROM outbox WHERE space_id = ?1",
                [space_id],
                |r| r.get(0),
            )
            .map_err(Error::storage("saving a change"))?;
        // Never reuse a number a sent envelope still refers to.
        let floor: i64 = self
            .tx
            .query_row(
                "SELECT COALESCE(MAX(upto_local_seq), 0) + 1 FROM sent WHERE space_id = ?1",
                [space_id],
                |r| r.get(0),
            )
            .map_err(Error::storage("saving a change"))?;
        let n = n.max(floor);
        self.put(
            "outbox",
            "space_id, local_seq, blob",
            space_id,
            Some(n),
            None,
            bytes,
        )?;
        Ok(n)
    }

    /// The oldest outbox rows.
    pub(crate) fn outbox(&self, space_id: &str, limit: i64) -> Result<Vec<OutboxRow>> {
        Ok(read_many(
            &self.tx,
            self.sealer,
            "outbox",
            "local_seq",
            space_id,
            limit,
        )?
        .into_iter()
        .map(|(local_seq, bytes)| OutboxRow { local_seq, bytes })
        .collect())
    }

    /// Deletes outbox rows up to and including `upto`.
    /// Returns how many changes it cleared.
    pub(crate) fn delete_outbox_upto(&self, space_id: &str, upto: i64) -> Result<u64> {
        let n = self
            .tx
            .execute(
                "DELETE FROM outbox WHERE space_id = ?1 AND local_seq <= ?2",
                params![space_id, upto],
            )
            .map_err(Error::storage("clearing sent changes"))?;
        Ok(n as u64)
    }

    /// Forgets sealed envelopes from `device_seq` on (the relay refused
    /// them: sealed under an epoch that has ended). Their changes are still
    /// in the outbox and are sealed again under the current epoch.
    pub(crate) fn drop_sent_from(&self, space_id: &str, device_seq: i64) -> Result<()> {
        self.tx
            .execute(
                "DELETE FROM sent WHERE space_id = ?1 AND device_seq >= ?2",
                params![space_id, device_seq],
            )
            .map_err(Error::storage("re-sealing pending changes"))?;
        Ok(())
    }

    /// Deletes everything this device holds of a space: its records, its
    /// keys, its pending and held changes, its log and sync state. Used
    /// when the device was removed from the space.
    pub(crate) fn delete_space(&self, space_id: &str) -> Result<()> {
        for table in [
            "chunks",
            "outbox",
            "sent",
            "sync_state",
            "log_entries",
            "held",
            "quarantine",
        ] {
            self.tx
                .execute(
                    &format!("DELETE FROM {table} WHERE space_id = ?1"),
                    [space_id],
                )
                .map_err(Error::storage("wiping a space"))?;
        }
        self.tx
            .execute(
                "DELETE FROM keys WHERE name LIKE ?1",
                [format!("epoch/{space_id}/%")],
            )
            .map_err(Error::storage("wiping a space"))?;
        self.tx
            .execute(
                "DELETE FROM meta WHERE name IN (?1, ?2)",
                [
                    crate::sync::kept_notes_name(space_id),
                    crate::erase::erasures_here_name(space_id),
                ],
            )
            .map_err(Error::storage("wiping a space"))?;
        self.tx
            .execute("DELETE FROM spaces WHERE id = ?1", [space_id])
            .map_err(Error::storage("wiping a space"))?;
        Ok(())
    }

    /// Records a sealed envelope as sent (awaiting acknowledgement).
    pub(crate) fn put_sent(
        &self,
        space_id: &str,
        device_seq: i64,
        upto_local_seq: i64,
        envelope: &[u8],
    ) -> Result<()> {
        let blob = self.sealer.seal(
            Place {
                table: "sent",
                row: &sent_row(space_id, device_seq, upto_local_seq),
            },
            envelope,
        )?;
        self.tx
            .execute(
                "INSERT OR REPLACE INTO sent (space_id, device_seq, upto_local_seq, blob)
                 VALUES (?1, ?2, ?3, ?4)",
                params![space_id, device_seq, upto_local_seq, blob],
            )
            .map_err(Error::storage("saving sync data"))?;
        Ok(())
    }

    /// Envelopes awaiting acknowledgement, oldest first.
    pub(crate) fn sent(&self, space_id: &str, limit: i64) -> Result<Vec<SentRow>> {
        let mut stmt = self
            .tx
            .prepare_cached(
                "SELECT device_seq, upto_local_seq, blob FROM sent WHERE space_id = ?1 ORDER BY device_seq LIMIT ?2",
            )
            .map_err(Error::storage("reading sent changes"))?;
        let rows = stmt
            .query_map(params![space_id, limit], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, Vec<u8>>(2)?,
                ))
            })
            .map_err(Error::storage("reading sent changes"))?;
        let mut out = Vec::new();
        for r in rows {
            let (device_seq, upto_local_seq, blob) =
                r.map_err(Error::storage("reading sent changes"))?;
            let bytes = self
                .sealer
                .open(
                    Place {
                        table: "sent",
                        row: &sent_row(space_id, device_seq, upto_local_seq),
                    },
                    &blob,
                )
                .map_err(|e| damaged(space_id, e))?;
            out.push(SentRow {
                upto_local_seq,
                bytes,
            });
        }
        Ok(out)
    }

    /// Deletes an acknowledged envelope and the outbox rows it carried;
    /// returns how many changes (local edits) those were.
    pub(crate) fn acknowledge(&self, space_id: &str, device_seq: i64) -> Result<u64> {
        let found: Option<(i64, Vec<u8>)> = self
            .tx
            .query_row(
                "SELECT upto_local_seq, blob FROM sent WHERE space_id = ?1 AND device_seq = ?2",
                params![space_id, device_seq],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(Error::storage("recording an acknowledgement"))?;
        let mut cleared = 0;
        if let Some((upto, blob)) = found {
            // The seal names upto_local_seq: a changed value on disk fails
            // here, before any outbox row is deleted.
            self.sealer
                .open(
                    Place {
                        table: "sent",
                        row: &sent_row(space_id, device_seq, upto),
                    },
                    &blob,
                )
                .map_err(|e| damaged(space_id, e))?;
            cleared = self.delete_outbox_upto(space_id, upto)?;
            self.tx
                .execute(
                    "DELETE FROM sent WHERE space_id = ?1 AND device_seq = ?2",
                    params![space_id, device_seq],
                )
                .map_err(Error::storage("recording an acknowledgement"))?;
        }
        Ok(cleared)
    }

    /// True if the space exists on a relay (its sync state says so).
    pub(crate) fn sync_created(&self, space_id: &str) -> Result<bool> {
        let Some(raw) = read_one(&self.tx, self.sealer, "sync_state", space_id)? else {
            return Ok(false);
        };
        let st: crate::sync::SyncState =
            serde_json::from_slice(&raw).map_err(|_| Error::Damaged {
                space: space_id.to_owned(),
                what: "the sync state could not be read".into(),
            })?;
        Ok(st.created)
    }

    /// Saves the sealed sync state.
    pub(crate) fn put_sync_state(&self, space_id: &str, state: &[u8]) -> Result<()> {
        self.put("sync_state", "space_id, blob", space_id, None, None, state)
    }

    /// Appends a verified log entry.
    pub(crate) fn put_log_entry(&self, space_id: &str, seq: i64, entry: &[u8]) -> Result<()> {
        self.put(
            "log_entries",
            "space_id, seq, blob",
            space_id,
            Some(seq),
            None,
            entry,
        )
    }

    /// Keeps a verified change that cannot apply yet.
    pub(crate) fn hold(&self, space_id: &str, server_seq: i64, bytes: &[u8]) -> Result<()> {
        self.put(
            "held",
            "space_id, server_seq, blob",
            space_id,
            Some(server_seq),
            None,
            bytes,
        )
    }

    /// Held changes, read inside this transaction (to rebuild a document
    /// a panicking change interrupted).
    pub(crate) fn held(&self, space_id: &str) -> Result<Vec<Zeroizing<Vec<u8>>>> {
        Ok(read_many(
            &self.tx,
            self.sealer,
            "held",
            "server_seq",
            space_id,
            i64::MAX,
        )?
        .into_iter()
        .map(|(_, b)| b)
        .collect())
    }

    /// Forgets held changes: the document now holds them.
    pub(crate) fn clear_held(&self, space_id: &str) -> Result<()> {
        self.tx
            .execute("DELETE FROM held WHERE space_id = ?1", [space_id])
            .map_err(Error::storage("saving sync data"))?;
        Ok(())
    }

    /// Keeps an envelope that failed checks, for the person to see.
    pub(crate) fn quarantine(&self, space_id: &str, server_seq: i64, record: &[u8]) -> Result<()> {
        self.put(
            "quarantine",
            "space_id, server_seq, blob",
            space_id,
            Some(server_seq),
            None,
            record,
        )
    }
}
