//! The store's tables and their migrations, versioned by `PRAGMA user_version`.
//!
//! Each entry of [`MIGRATIONS`] takes the database from version `i` to
//! `i + 1` inside the caller's transaction. Never edit a released entry:
//! append a new one. A test builds the database at every earlier version,
//! upgrades it, and checks the result equals a fresh one.
//!
//! Only random ids, sequence numbers and sealed blobs are stored: nothing
//! in these tables is readable without the storage key.

use rusqlite::Connection;

use super::seal::Sealer;
use crate::error::{Error, Result};

/// Migration `i` upgrades version `i` to `i + 1`.
pub(crate) const MIGRATIONS: &[&str] = &[
    // 0 -> 1: the first store.
    r#"
    CREATE TABLE meta (
        name  TEXT PRIMARY KEY,
        value BLOB NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE spaces (
        id         TEXT PRIMARY KEY,
        descriptor BLOB NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE chunks (
        space_id TEXT    NOT NULL REFERENCES spaces(id),
        seq      INTEGER NOT NULL,
        kind     INTEGER NOT NULL CHECK (kind IN (0, 1)),
        blob     BLOB    NOT NULL,
        PRIMARY KEY (space_id, seq)
    ) WITHOUT ROWID;

    CREATE TABLE keys (
        name TEXT PRIMARY KEY,
        blob BLOB NOT NULL
    ) WITHOUT ROWID;
    "#,
    // 1 -> 2: sync. The outbox is written in the same transaction as the
    // edit; `sent` holds sealed envelopes awaiting acknowledgement, so a
    // retry after a crash resends exactly the same bytes. `held` keeps
    // verified changes that wait for a change they build on.
    r#"
    CREATE TABLE outbox (
        space_id  TEXT    NOT NULL REFERENCES spaces(id),
        local_seq INTEGER NOT NULL,
        blob      BLOB    NOT NULL,
        PRIMARY KEY (space_id, local_seq)
    ) WITHOUT ROWID;

    CREATE TABLE sent (
        space_id       TEXT    NOT NULL REFERENCES spaces(id),
        device_seq     INTEGER NOT NULL,
        upto_local_seq INTEGER NOT NULL,
        blob           BLOB    NOT NULL,
        PRIMARY KEY (space_id, device_seq)
    ) WITHOUT ROWID;

    CREATE TABLE sync_state (
        space_id TEXT PRIMARY KEY REFERENCES spaces(id),
        blob     BLOB NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE log_entries (
        space_id TEXT    NOT NULL REFERENCES spaces(id),
        seq      INTEGER NOT NULL,
        blob     BLOB    NOT NULL,
        PRIMARY KEY (space_id, seq)
    ) WITHOUT ROWID;

    CREATE TABLE held (
        space_id   TEXT    NOT NULL REFERENCES spaces(id),
        server_seq INTEGER NOT NULL,
        blob       BLOB    NOT NULL,
        PRIMARY KEY (space_id, server_seq)
    ) WITHOUT ROWID;

    CREATE TABLE quarantine (
        space_id   TEXT    NOT NULL REFERENCES spaces(id),
        server_seq INTEGER NOT NULL,
        blob       BLOB    NOT NULL,
        PRIMARY KEY (space_id, server_seq)
    ) WITHOUT ROWID;
    "#,
    // 2 -> 3 (issue 13): `chunks.kind` and `sent.upto_local_seq` join the
    // associated data of their rows' seals. No table changes: the rows are
    // sealed again in Rust ([`RESEAL_AT`], `store::reseal`).
    "-- re-sealing only",
];

/// The version whose migration re-seals `chunks` and `sent` rows under
/// the associated data that names their kind and upto_local_seq.
pub(crate) const RESEAL_AT: i64 = 3;

/// The version a fresh store is created at.
pub(crate) const CURRENT_VERSION: i64 = MIGRATIONS.len() as i64;

/// The version recorded in the database file.
pub(crate) fn version(conn: &Connection) -> Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(Error::storage("reading the store version"))
}

/// Upgrades the database to [`CURRENT_VERSION`] in one transaction. The
/// sealer re-seals rows whose associated data changed (none is needed on
/// a store with no rows yet).
pub(crate) fn migrate(conn: &mut Connection, sealer: Option<&Sealer>) -> Result<()> {
    migrate_to(conn, CURRENT_VERSION, sealer)
}

/// Upgrades the database to `target`; tests use it to build old versions.
pub(crate) fn migrate_to(
    conn: &mut Connection,
    target: i64,
    sealer: Option<&Sealer>,
) -> Result<()> {
    let found = version(conn)?;
    if found > CURRENT_VERSION {
        return Err(Error::StoreTooNew { found });
    }
    if found >= target {
        return Ok(());
    }
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(Error::storage("starting the upgrade"))?;
    for (i, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .take(target as usize)
        .skip(found as usize)
    {
        tx.execute_batch(sql)
            .map_err(Error::storage("upgrading the store"))?;
        if i as i64 + 1 == RESEAL_AT {
            super::reseal::reseal_v3(&tx, sealer)?;
        }
        tx.pragma_update(None, "user_version", (i + 1) as i64)
            .map_err(Error::storage("upgrading the store"))?;
    }
    tx.commit().map_err(Error::storage("upgrading the store"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema_of(conn: &Connection) -> Vec<(String, String, String)> {
        let mut stmt = conn
            .prepare(
                "SELECT type, name, COALESCE(sql, '') FROM sqlite_master
                 WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<std::result::Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn upgrading_from_every_earlier_version_equals_a_fresh_store() {
        let mut fresh = Connection::open_in_memory().unwrap();
        migrate(&mut fresh, None).unwrap();
        assert_eq!(version(&fresh).unwrap(), CURRENT_VERSION);
        let want = schema_of(&fresh);
        assert!(!want.is_empty());

        for start in 0..CURRENT_VERSION {
            let mut old = Connection::open_in_memory().unwrap();
            migrate_to(&mut old, start, None).unwrap();
            assert_eq!(version(&old).unwrap(), start);
            migrate(&mut old, None).unwrap();
            assert_eq!(version(&old).unwrap(), CURRENT_VERSION);
            assert_eq!(schema_of(&old), want, "upgrade from version {start}");
        }
    }

    #[test]
    fn migrating_twice_changes_nothing() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, None).unwrap();
        let before = schema_of(&conn);
        migrate(&mut conn, None).unwrap();
        assert_eq!(schema_of(&conn), before);
    }

    #[test]
    fn a_newer_store_is_refused_untouched() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", CURRENT_VERSION + 1)
            .unwrap();
        assert!(matches!(
            migrate(&mut conn, None),
            Err(Error::StoreTooNew { found }) if found == CURRENT_VERSION + 1
        ));
        assert!(schema_of(&conn).is_empty());
    }
}
