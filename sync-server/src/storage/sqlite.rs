//! The embedded backend: SQLite (bundled), WAL, `synchronous = FULL`, one
//! connection behind a mutex (one writer). Callers run it on tokio's
//! blocking pool. A transaction commits before any acknowledgement leaves.

use std::path::Path;
use std::sync::{Arc, Mutex};

use kindred_protocol::messages::{Ack, DeviceCursor, ErrorCode, StoredChange};
use kindred_protocol::{
    ChangeEnvelope, DeviceKey, Hash, LogEntry, Membership, Salt, SnapshotEnvelope, SpaceId, decode,
    encode,
};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::{
    Caches, Decision, Page, Pruned, SpaceUsage, Storage, StoreError, StoreResult, bound_rows,
    check_entry_bounds, check_envelope, decide,
};

const MIGRATIONS: &[&str] = &[
    r#"
    CREATE TABLE spaces (
        id         BLOB PRIMARY KEY,
        created_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE log_entries (
        space BLOB    NOT NULL,
        seq   INTEGER NOT NULL,
        hash  BLOB    NOT NULL,
        body  BLOB    NOT NULL,
        PRIMARY KEY (space, seq)
    ) WITHOUT ROWID;
    CREATE TABLE changes (
        space      BLOB    NOT NULL,
        server_seq INTEGER NOT NULL,
        device     BLOB    NOT NULL,
        device_seq INTEGER NOT NULL,
        body       BLOB    NOT NULL,
        PRIMARY KEY (space, server_seq),
        UNIQUE (space, device, device_seq)
    ) WITHOUT ROWID;
    CREATE TABLE snapshots (
        space  BLOB PRIMARY KEY,
        covers INTEGER NOT NULL,
        body   BLOB    NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE cursors (
        space      BLOB    NOT NULL,
        device     BLOB    NOT NULL,
        server_seq INTEGER NOT NULL,
        PRIMARY KEY (space, device)
    ) WITHOUT ROWID;
    CREATE TABLE challenges (
        nonce   BLOB PRIMARY KEY,
        device  BLOB    NOT NULL,
        expires INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE tokens (
        hash    BLOB PRIMARY KEY,
        device  BLOB    NOT NULL,
        expires INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE rendezvous (
        id      BLOB    NOT NULL,
        n       INTEGER NOT NULL,
        payload BLOB    NOT NULL,
        expires INTEGER NOT NULL,
        PRIMARY KEY (id, n)
    ) WITHOUT ROWID;
"#,
    // When each snapshot arrived: retention prunes the changes a snapshot
    // covers only once it has been held for the configured time.
    r#"
    ALTER TABLE snapshots ADD COLUMN stored_at INTEGER NOT NULL DEFAULT 0;
    UPDATE snapshots SET stored_at = CAST(strftime('%s', 'now') AS INTEGER);
"#,
    // Who is a member where, kept with every log append, so a device's
    // spaces are one index lookup instead of a pass over every space's log
    // (filled from the logs by `open` when this migration runs).
    r#"
    CREATE TABLE members (
        device BLOB NOT NULL,
        space  BLOB NOT NULL,
        PRIMARY KEY (device, space)
    ) WITHOUT ROWID;
"#,
    // Removal bounds (issue 13): when an epoch ended, each member's last
    // device sequence then. Pushes check them inside their transaction.
    r#"
    CREATE TABLE IF NOT EXISTS bounds (
        space  BLOB    NOT NULL,
        device BLOB    NOT NULL,
        ended  INTEGER NOT NULL,
        seq    INTEGER NOT NULL,
        head   BLOB    NOT NULL,
        PRIMARY KEY (space, device, ended)
    ) WITHOUT ROWID;
"#,
    // Erasure (issue 14): the server sequence an erasure reached. Every
    // change up to it was deleted; numbering goes on from there.
    r#"
    ALTER TABLE spaces ADD COLUMN erased_upto INTEGER NOT NULL DEFAULT 0;
"#,
];

/// The newest server sequence of space `?1`: its newest change, or where
/// an erasure left the numbering when no change is newer.
const HEAD_SQL: &str = "SELECT MAX(
        COALESCE((SELECT MAX(server_seq) FROM changes WHERE space = ?1), 0),
        COALESCE((SELECT erased_upto FROM spaces WHERE id = ?1), 0))";

/// The migration that added `members` (1-based): opening a database from
/// before it fills the table from the logs.
const MEMBERS_SINCE: usize = 3;

/// Writes a space's current members (after its log changed).
fn put_members(conn: &Connection, m: &Membership) -> StoreResult<()> {
    let sp = m.space.as_bytes().as_slice();
    conn.prepare_cached("DELETE FROM members WHERE space = ?1")
        .map_err(backend)?
        .execute([sp])
        .map_err(backend)?;
    let mut insert = conn
        .prepare_cached("INSERT INTO members (device, space) VALUES (?1, ?2)")
        .map_err(backend)?;
    for device in m.members.keys() {
        insert
            .execute(params![device.as_bytes().as_slice(), sp])
            .map_err(backend)?;
    }
    Ok(())
}

/// SQLite storage.
pub struct SqliteStorage {
    conn: Mutex<Connection>,
    /// Memberships and tokens. This process is the only writer of its
    /// database, and every log append updates the cache before it releases
    /// the connection, so a cached membership is current.
    caches: Caches,
    /// Pushes waiting for the next group commit.
    queue: Mutex<Vec<Queued>>,
}

impl std::fmt::Debug for SqliteStorage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SqliteStorage")
    }
}

fn backend(e: rusqlite::Error) -> StoreError {
    StoreError::Backend(e.to_string())
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Backend(format!("stored {what} could not be read"))
}

fn key32(b: Vec<u8>) -> StoreResult<DeviceKey> {
    DeviceKey::from_slice(&b).ok_or_else(|| corrupt("device key"))
}

impl SqliteStorage {
    /// Opens (creating if needed) the database `kindred-server.db` in `dir`.
    pub fn open(dir: &Path) -> StoreResult<SqliteStorage> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Backend(e.to_string()))?;
        let mut conn = Connection::open(dir.join("kindred-server.db")).map_err(backend)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(backend)?;
        conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
            .map_err(backend)?;
        // secure_delete: deleted rows (an erasure's) are overwritten with
        // zeros in the file, not left in free space.
        conn.execute_batch(
            "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;",
        )
        .map_err(backend)?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(backend)?;
        if version > MIGRATIONS.len() as i64 {
            return Err(StoreError::Backend(format!(
                "the database was written by a newer server (version {version})"
            )));
        }
        let tx = conn.transaction().map_err(backend)?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.execute_batch(sql).map_err(backend)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)
                .map_err(backend)?;
        }
        if (version as usize) < MEMBERS_SINCE {
            let ids: Vec<Vec<u8>> = tx
                .prepare("SELECT id FROM spaces")
                .map_err(backend)?
                .query_map([], |r| r.get(0))
                .map_err(backend)?
                .collect::<Result<_, _>>()
                .map_err(backend)?;
            for id in ids.iter().filter_map(|b| SpaceId::from_slice(b)) {
                if let Some(m) = load_membership(&tx, &id, None)? {
                    put_members(&tx, &m)?;
                }
            }
        }
        tx.commit().map_err(backend)?;
        Ok(SqliteStorage {
            conn: Mutex::new(conn),
            caches: Caches::default(),
            queue: Mutex::new(Vec::new()),
        })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn cached(&self, space: &SpaceId) -> Option<Membership> {
        self.caches.membership(space)
    }

    fn remember(&self, m: &Membership) {
        self.caches.remember_membership(m);
    }
}

fn load_membership(
    conn: &Connection,
    space: &SpaceId,
    cached: Option<Membership>,
) -> StoreResult<Option<Membership>> {
    let len: u64 = conn
        .query_row(
            "SELECT COUNT(*) FROM log_entries WHERE space = ?1",
            [space.as_bytes().as_slice()],
            first_u64,
        )
        .map_err(backend)?;
    if len == 0 {
        return Ok(None);
    }
    if let Some(m) = cached
        && m.len == len
    {
        return Ok(Some(m));
    }
    let mut stmt = conn
        .prepare_cached("SELECT body FROM log_entries WHERE space = ?1 ORDER BY seq")
        .map_err(backend)?;
    let entries: Vec<LogEntry> = stmt
        .query_map([space.as_bytes().as_slice()], |r| r.get::<_, Vec<u8>>(0))
        .map_err(backend)?
        .map(|b| {
            b.map_err(backend)
                .and_then(|b| decode::<LogEntry>(&b).map_err(|_| corrupt("log entry")))
        })
        .collect::<StoreResult<_>>()?;
    Membership::from_log(&entries)
        .map(Some)
        .map_err(|_| corrupt("membership log"))
}

/// One log append inside the caller's transaction: compare-and-swap on
/// the head, the entry's rules, its bounds against what is held; then the
/// entry, its bounds rows and the members table are written.
fn append_in(
    tx: &Connection,
    entry: &LogEntry,
    cached: Option<Membership>,
) -> StoreResult<Membership> {
    let mut m = load_membership(tx, &entry.space, cached)?
        .ok_or_else(|| refused(ErrorCode::NotFound, "no such space"))?;
    // Compare-and-swap on the head, inside the write transaction.
    if entry.prev != m.head || entry.seq != m.len {
        return Err(refused(
            ErrorCode::StaleHead,
            "the log has moved on; pull and try again",
        ));
    }
    m.check(entry)
        .map_err(|e| refused(ErrorCode::InvalidEntry, &e.to_string()))?;
    // Bounds against what this relay holds, in the same transaction
    // as the append: no change can land between the check and the entry.
    let rows = bound_rows(&m, entry);
    if !rows.is_empty() {
        check_entry_bounds(&m, entry, &held_heads(tx, &entry.space)?)?;
    }
    let ended = m.epoch;
    m.apply(entry)
        .map_err(|e| refused(ErrorCode::InvalidEntry, &e.to_string()))?;
    for (device, seq, head) in rows {
        tx.execute(
            "INSERT INTO bounds (space, device, ended, seq, head) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                entry.space.as_bytes().as_slice(),
                device.as_bytes().as_slice(),
                ended as i64,
                seq as i64,
                head.as_bytes().as_slice()
            ],
        )
        .map_err(backend)?;
    }
    tx.execute(
        "INSERT INTO log_entries (space, seq, hash, body) VALUES (?1, ?2, ?3, ?4)",
        params![
            entry.space.as_bytes().as_slice(),
            entry.seq as i64,
            m.head.as_bytes().as_slice(),
            encode(entry)
        ],
    )
    .map_err(backend)?;
    put_members(tx, &m)?;
    Ok(m)
}

/// Every device's newest stored change in a space: its sequence and hash.
fn held_heads(conn: &Connection, space: &SpaceId) -> StoreResult<Vec<(DeviceKey, u64, Hash)>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT c.device, c.device_seq, c.body FROM changes c WHERE c.space = ?1
               AND c.device_seq = (SELECT MAX(d.device_seq) FROM changes d
                                   WHERE d.space = c.space AND d.device = c.device)",
        )
        .map_err(backend)?;
    stmt.query_map([space.as_bytes().as_slice()], |r| {
        Ok((
            r.get::<_, Vec<u8>>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, Vec<u8>>(2)?,
        ))
    })
    .map_err(backend)?
    .map(|row| {
        let (d, seq, body) = row.map_err(backend)?;
        let e = decode::<ChangeEnvelope>(&body).map_err(|_| corrupt("envelope"))?;
        Ok((key32(d)?, seq as u64, e.hash()))
    })
    .collect::<StoreResult<Vec<_>>>()
    .and_then(|held| {
        Ok(super::heads_with_bounds(
            held,
            &bounds_of(conn, space, None)?,
        ))
    })
}

/// Recorded bounds of a space (of one device only, if given): device,
/// ended epoch, sequence, hash.
fn bounds_of(
    conn: &Connection,
    space: &SpaceId,
    device: Option<&DeviceKey>,
) -> StoreResult<Vec<(DeviceKey, u32, u64, Hash)>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT device, ended, seq, head FROM bounds
             WHERE space = ?1 AND (?2 IS NULL OR device = ?2)",
        )
        .map_err(backend)?;
    stmt.query_map(
        params![
            space.as_bytes().as_slice(),
            device.map(|d| d.as_bytes().to_vec())
        ],
        |r| {
            Ok((
                r.get::<_, Vec<u8>>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, Vec<u8>>(3)?,
            ))
        },
    )
    .map_err(backend)?
    .map(|row| {
        let (d, ended, seq, head) = row.map_err(backend)?;
        let head = Hash::from_slice(&head).ok_or_else(|| corrupt("bound"))?;
        Ok((key32(d)?, ended as u32, seq as u64, head))
    })
    .collect()
}

/// A device's bound for `epoch` (see `check_envelope`).
fn bound_of(
    conn: &Connection,
    space: &[u8],
    device: &[u8],
    epoch: u32,
) -> StoreResult<Option<u64>> {
    let listed: Option<i64> = conn
        .query_row(
            "SELECT seq FROM bounds WHERE space = ?1 AND device = ?2 AND ended >= ?3
             ORDER BY ended LIMIT 1",
            params![space, device, epoch as i64],
            |r| r.get(0),
        )
        .optional()
        .map_err(backend)?;
    if listed.is_some() {
        return Ok(listed.map(|s| s as u64));
    }
    // Not a member when the epoch ended (or it has not ended).
    let ended: Option<i64> = conn
        .query_row(
            "SELECT MAX(ended) FROM bounds WHERE space = ?1",
            [space],
            |r| r.get(0),
        )
        .map_err(backend)?;
    Ok(ended.filter(|e| *e >= i64::from(epoch)).map(|_| 0))
}

fn first_u64(r: &rusqlite::Row<'_>) -> rusqlite::Result<u64> {
    r.get::<_, i64>(0).map(|v| v as u64)
}

fn refused(code: ErrorCode, m: &str) -> StoreError {
    StoreError::refused(code, m)
}

impl Storage for SqliteStorage {
    fn put_challenge(
        &self,
        nonce: &Salt,
        device: &DeviceKey,
        now: u64,
        expires: u64,
        most: u64,
    ) -> StoreResult<()> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        tx.execute("DELETE FROM challenges WHERE expires < ?1", [now as i64])
            .map_err(backend)?;
        let keep = kindred_protocol::limits::MAX_OPEN_CHALLENGES_PER_DEVICE.saturating_sub(1);
        tx.execute(
            "DELETE FROM challenges WHERE device = ?1 AND nonce NOT IN \
             (SELECT nonce FROM challenges WHERE device = ?1 ORDER BY expires DESC LIMIT ?2)",
            params![device.as_bytes().as_slice(), keep as i64],
        )
        .map_err(backend)?;
        let open: i64 = tx
            .query_row("SELECT COUNT(*) FROM challenges", [], |r| r.get(0))
            .map_err(backend)?;
        if open as u64 >= most {
            return Err(super::challenges_full());
        }
        tx.execute(
            "INSERT INTO challenges (nonce, device, expires) VALUES (?1, ?2, ?3)",
            params![
                nonce.as_bytes().as_slice(),
                device.as_bytes().as_slice(),
                expires as i64
            ],
        )
        .map_err(backend)?;
        tx.commit().map_err(backend)?;
        Ok(())
    }

    fn take_challenge(&self, nonce: &Salt, now: u64) -> StoreResult<Option<DeviceKey>> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        let row: Option<(Vec<u8>, i64)> = tx
            .query_row(
                "SELECT device, expires FROM challenges WHERE nonce = ?1",
                [nonce.as_bytes().as_slice()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(backend)?;
        tx.execute(
            "DELETE FROM challenges WHERE nonce = ?1",
            [nonce.as_bytes().as_slice()],
        )
        .map_err(backend)?;
        tx.commit().map_err(backend)?;
        match row {
            Some((device, expires)) if expires as u64 >= now => Ok(Some(key32(device)?)),
            _ => Ok(None),
        }
    }

    fn put_token(&self, hash: &[u8; 32], device: &DeviceKey, expires: u64) -> StoreResult<()> {
        let conn = self.conn();
        conn.execute(
            "DELETE FROM tokens WHERE expires < ?1",
            [expires.saturating_sub(86_400) as i64],
        )
        .map_err(backend)?;
        conn.execute(
            "INSERT INTO tokens (hash, device, expires) VALUES (?1, ?2, ?3)",
            params![
                hash.as_slice(),
                device.as_bytes().as_slice(),
                expires as i64
            ],
        )
        .map_err(backend)?;
        drop(conn);
        self.caches.remember_token(hash, (*device, expires));
        Ok(())
    }

    fn token(&self, hash: &[u8; 32]) -> StoreResult<Option<(DeviceKey, u64)>> {
        if let Some(t) = self.caches.token(hash) {
            return Ok(Some(t));
        }
        let row: Option<(Vec<u8>, i64)> = self
            .conn()
            .query_row(
                "SELECT device, expires FROM tokens WHERE hash = ?1",
                [hash.as_slice()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(backend)?;
        let found = row.map(|(d, e)| Ok((key32(d)?, e as u64))).transpose()?;
        if let Some(t) = found {
            self.caches.remember_token(hash, t);
        }
        Ok(found)
    }

    fn membership_seen(&self, space: &SpaceId) -> Option<Membership> {
        self.cached(space)
    }

    fn membership(&self, space: &SpaceId) -> StoreResult<Option<Membership>> {
        if let Some(m) = self.cached(space) {
            return Ok(Some(m));
        }
        let m = load_membership(&self.conn(), space, self.cached(space))?;
        if let Some(m) = &m {
            self.remember(m);
        }
        Ok(m)
    }

    fn create_space(&self, genesis: &LogEntry) -> StoreResult<Membership> {
        let m = Membership::genesis(genesis)
            .map_err(|e| refused(ErrorCode::InvalidEntry, &e.to_string()))?;
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        let exists: bool = tx
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM spaces WHERE id = ?1)",
                [m.space.as_bytes().as_slice()],
                |r| r.get(0),
            )
            .map_err(backend)?;
        if exists {
            return Err(refused(
                ErrorCode::SpaceExists,
                "a space with this id exists",
            ));
        }
        let now = crate::unix_now() as i64;
        tx.execute(
            "INSERT INTO spaces (id, created_at) VALUES (?1, ?2)",
            params![m.space.as_bytes().as_slice(), now],
        )
        .map_err(backend)?;
        tx.execute(
            "INSERT INTO log_entries (space, seq, hash, body) VALUES (?1, 0, ?2, ?3)",
            params![
                m.space.as_bytes().as_slice(),
                m.head.as_bytes().as_slice(),
                encode(genesis)
            ],
        )
        .map_err(backend)?;
        put_members(&tx, &m)?;
        tx.commit().map_err(backend)?;
        self.remember(&m);
        drop(conn);
        Ok(m)
    }

    fn append_log(&self, entry: &LogEntry) -> StoreResult<Membership> {
        super::not_an_erasure(entry)?;
        let cached = self.cached(&entry.space);
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        let m = append_in(&tx, entry, cached)?;
        tx.commit().map_err(backend)?;
        self.remember(&m);
        drop(conn);
        Ok(m)
    }

    fn erase(&self, entry: &LogEntry, snapshot: &SnapshotEnvelope) -> StoreResult<Membership> {
        let cached = self.cached(&entry.space);
        let sp = entry.space.as_bytes().as_slice();
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        let head: u64 = tx.query_row(HEAD_SQL, [sp], first_u64).map_err(backend)?;
        super::check_erase(entry, snapshot, head)?;
        let m = append_in(&tx, entry, cached)?;
        tx.execute("DELETE FROM changes WHERE space = ?1", [sp])
            .map_err(backend)?;
        tx.execute(
            "UPDATE spaces SET erased_upto = ?2 WHERE id = ?1",
            params![sp, head as i64],
        )
        .map_err(backend)?;
        tx.execute(
            "INSERT INTO snapshots (space, covers, body, stored_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (space) DO UPDATE
             SET covers = excluded.covers, body = excluded.body, stored_at = excluded.stored_at",
            params![sp, head as i64, encode(snapshot), super::unix_now() as i64],
        )
        .map_err(backend)?;
        tx.commit().map_err(backend)?;
        self.remember(&m);
        // secure_delete zeroed the deleted rows in the pages; the earlier
        // copies of those pages in the write-ahead log go with it.
        // (Best effort: a reader holding an old snapshot of the database
        // makes it wait for the next erasure or restart.)
        let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        drop(conn);
        Ok(m)
    }

    fn push(
        &self,
        space: &SpaceId,
        device: &DeviceKey,
        log_len: u64,
        epoch: u32,
        envelopes: &[ChangeEnvelope],
    ) -> StoreResult<Vec<Ack>> {
        // Group commit: queue the request; whoever holds the connection
        // next stores every queued request in one transaction (one fsync)
        // and hands each its own result. A request refused inside the
        // batch is rolled back to its savepoint and changes nothing.
        let slot = Arc::new(Slot::default());
        self.queue.lock().unwrap_or_else(|p| p.into_inner()).push((
            PushRequest {
                space: *space,
                device: *device,
                log_len,
                epoch,
                envelopes: envelopes.to_vec(),
            },
            slot.clone(),
        ));
        loop {
            if let Some(r) = slot.take() {
                return r;
            }
            let mut conn = self.conn();
            if let Some(r) = slot.take() {
                return r;
            }
            let batch = std::mem::take(&mut *self.queue.lock().unwrap_or_else(|p| p.into_inner()));
            push_batch(&mut conn, batch);
        }
    }

    fn log_from(&self, space: &SpaceId, after: u64) -> StoreResult<Vec<LogEntry>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(
                "SELECT body FROM log_entries WHERE space = ?1 AND seq >= ?2 ORDER BY seq",
            )
            .map_err(backend)?;
        stmt.query_map(
            params![
                space.as_bytes().as_slice(),
                after.min(i64::MAX as u64) as i64
            ],
            |r| r.get::<_, Vec<u8>>(0),
        )
        .map_err(backend)?
        .map(|b| {
            b.map_err(backend)
                .and_then(|b| decode::<LogEntry>(&b).map_err(|_| corrupt("log entry")))
        })
        .collect()
    }

    fn pull(&self, space: &SpaceId, after: u64, log_after: u64, limit: u32) -> StoreResult<Page> {
        let sp = space.as_bytes().as_slice();
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(backend)?;
        let mut page = Page::default();
        {
            let mut stmt = tx
                .prepare_cached(
                    "SELECT body FROM log_entries WHERE space = ?1 AND seq >= ?2 ORDER BY seq",
                )
                .map_err(backend)?;
            page.log = stmt
                .query_map(params![sp, log_after as i64], |r| r.get::<_, Vec<u8>>(0))
                .map_err(backend)?
                .map(|b| {
                    b.map_err(backend)
                        .and_then(|b| decode::<LogEntry>(&b).map_err(|_| corrupt("log entry")))
                })
                .collect::<StoreResult<_>>()?;
        }
        // The body only when this pull is to carry it.
        let snap: Option<Vec<u8>> = tx
            .prepare_cached(
                "SELECT CASE WHEN covers > ?2 OR ?3 THEN body END FROM snapshots WHERE space = ?1",
            )
            .map_err(backend)?
            .query_row(
                params![
                    sp,
                    after.min(i64::MAX as u64) as i64,
                    after == 0 && log_after == 0
                ],
                |r| r.get(0),
            )
            .optional()
            .map_err(backend)?
            .flatten();
        let mut from = after;
        if let Some(body) = snap {
            let s = decode::<SnapshotEnvelope>(&body).map_err(|_| corrupt("snapshot"))?;
            from = from.max(s.covers);
            page.snapshot = Some(s);
        }
        {
            let mut stmt = tx
                .prepare_cached(
                    "SELECT server_seq, body FROM changes WHERE space = ?1 AND server_seq > ?2 ORDER BY server_seq LIMIT ?3",
                )
                .map_err(backend)?;
            let rows = stmt
                .query_map(params![sp, from as i64, i64::from(limit) + 1], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?))
                })
                .map_err(backend)?;
            for row in rows {
                let (seq, body) = row.map_err(backend)?;
                page.changes.push(StoredChange {
                    server_seq: seq as u64,
                    envelope: decode::<ChangeEnvelope>(&body).map_err(|_| corrupt("envelope"))?,
                });
            }
        }
        page.more = page.changes.len() > limit as usize;
        page.changes.truncate(limit as usize);
        page.head_seq = tx.query_row(HEAD_SQL, [sp], first_u64).map_err(backend)?;
        {
            let mut stmt = tx
                .prepare_cached(
                    "SELECT device, server_seq FROM cursors WHERE space = ?1 ORDER BY device",
                )
                .map_err(backend)?;
            page.cursors = stmt
                .query_map([sp], |r| Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, i64>(1)?)))
                .map_err(backend)?
                .map(|r| {
                    let (d, s) = r.map_err(backend)?;
                    Ok(DeviceCursor {
                        device: key32(d)?,
                        server_seq: s as u64,
                    })
                })
                .collect::<StoreResult<_>>()?;
        }
        tx.commit().map_err(backend)?;
        Ok(page)
    }

    fn put_snapshot(&self, snapshot: &SnapshotEnvelope) -> StoreResult<()> {
        let sp = snapshot.space.as_bytes().as_slice();
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        let head: u64 = tx.query_row(HEAD_SQL, [sp], first_u64).map_err(backend)?;
        if snapshot.covers > head {
            return Err(refused(
                ErrorCode::InvalidEntry,
                "the snapshot covers changes the server does not have",
            ));
        }
        let held: Option<i64> = tx
            .query_row("SELECT covers FROM snapshots WHERE space = ?1", [sp], |r| {
                r.get(0)
            })
            .optional()
            .map_err(backend)?;
        if held.is_none_or(|c| c as u64 <= snapshot.covers) {
            tx.execute(
                "INSERT INTO snapshots (space, covers, body, stored_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (space) DO UPDATE
                 SET covers = excluded.covers, body = excluded.body, stored_at = excluded.stored_at",
                params![sp, snapshot.covers as i64, encode(snapshot), super::unix_now() as i64],
            )
            .map_err(backend)?;
        }
        tx.commit().map_err(backend)
    }

    fn ack(&self, space: &SpaceId, device: &DeviceKey, server_seq: u64) -> StoreResult<()> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO cursors (space, device, server_seq) VALUES (?1, ?2, ?3)
             ON CONFLICT (space, device) DO UPDATE SET server_seq = MAX(server_seq, excluded.server_seq)",
            params![space.as_bytes().as_slice(), device.as_bytes().as_slice(), server_seq as i64],
        )
        .map_err(backend)?;
        Ok(())
    }

    fn prune_batch(&self, stored_before: u64, limit: u32) -> StoreResult<Pruned> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(backend)?;
        let mut out = Pruned::default();
        {
            let mut st = tx.prepare(super::PRUNE_SQL).map_err(backend)?;
            let mut rows = st
                .query(params![stored_before as i64, i64::from(limit)])
                .map_err(backend)?;
            while let Some(r) = rows.next().map_err(backend)? {
                out.changes += 1;
                out.bytes += r.get::<_, i64>(0).map_err(backend)? as u64;
            }
        }
        tx.commit().map_err(backend)?;
        Ok(out)
    }

    fn head_seq(&self, space: &SpaceId) -> StoreResult<u64> {
        self.conn()
            .query_row(HEAD_SQL, [space.as_bytes().as_slice()], first_u64)
            .map_err(backend)
    }

    fn spaces_of(&self, device: &DeviceKey) -> StoreResult<Vec<SpaceId>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached("SELECT space FROM members WHERE device = ?1 ORDER BY space")
            .map_err(backend)?;
        let ids: Vec<Vec<u8>> = stmt
            .query_map([device.as_bytes().as_slice()], |r| r.get(0))
            .map_err(backend)?
            .collect::<Result<_, _>>()
            .map_err(backend)?;
        Ok(ids.iter().filter_map(|b| SpaceId::from_slice(b)).collect())
    }

    fn rendezvous_put(&self, id: &[u8; 16], payload: &[u8], now: u64, ttl: u64) -> StoreResult<()> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        tx.execute("DELETE FROM rendezvous WHERE expires < ?1", [now as i64])
            .map_err(backend)?;
        let (count, next): (i64, i64) = tx
            .query_row(
                "SELECT COUNT(*), COALESCE(MAX(n), 0) + 1 FROM rendezvous WHERE id = ?1",
                [id.as_slice()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(backend)?;
        if count as usize >= kindred_protocol::limits::MAX_RENDEZVOUS_MESSAGES {
            return Err(refused(ErrorCode::MailboxFull, "this mailbox is full"));
        }
        tx.execute(
            "INSERT INTO rendezvous (id, n, payload, expires) VALUES (?1, ?2, ?3, ?4)",
            params![id.as_slice(), next, payload, (now + ttl) as i64],
        )
        .map_err(backend)?;
        tx.commit().map_err(backend)
    }

    fn rendezvous_take(&self, id: &[u8; 16], now: u64) -> StoreResult<Vec<Vec<u8>>> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        let out: Vec<Vec<u8>> = {
            let mut stmt = tx
                .prepare_cached(
                    "SELECT payload FROM rendezvous WHERE id = ?1 AND expires >= ?2 ORDER BY n",
                )
                .map_err(backend)?;
            stmt.query_map(params![id.as_slice(), now as i64], |r| r.get(0))
                .map_err(backend)?
                .collect::<Result<_, _>>()
                .map_err(backend)?
        };
        tx.execute("DELETE FROM rendezvous WHERE id = ?1", [id.as_slice()])
            .map_err(backend)?;
        tx.commit().map_err(backend)?;
        Ok(out)
    }

    fn usage(&self) -> StoreResult<Vec<(SpaceId, SpaceUsage)>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare(
                "SELECT s.id,
                    (SELECT COUNT(*) FROM log_entries l WHERE l.space = s.id),
                    (SELECT COUNT(*) FROM changes c WHERE c.space = s.id),
                    (SELECT COALESCE(SUM(LENGTH(body)), 0) FROM changes c WHERE c.space = s.id),
                    (SELECT COALESCE(SUM(LENGTH(body)), 0) FROM snapshots n WHERE n.space = s.id)
                 FROM spaces s ORDER BY s.id",
            )
            .map_err(backend)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, Vec<u8>>(0)?,
                    SpaceUsage {
                        log_entries: r.get::<_, i64>(1)? as u64,
                        changes: r.get::<_, i64>(2)? as u64,
                        change_bytes: r.get::<_, i64>(3)? as u64,
                        snapshot_bytes: r.get::<_, i64>(4)? as u64,
                    },
                ))
            })
            .map_err(backend)?;
        let mut out = Vec::new();
        for r in rows {
            let (id, u) = r.map_err(backend)?;
            out.push((
                SpaceId::from_slice(&id).ok_or_else(|| corrupt("space id"))?,
                u,
            ));
        }
        Ok(out)
    }

    fn log_head(&self, space: &SpaceId) -> StoreResult<Option<(u64, Hash)>> {
        Ok(self.membership(space)?.map(|m| (m.len, m.head)))
    }
}

/// A push waiting for the next group commit.
struct PushRequest {
    space: SpaceId,
    device: DeviceKey,
    log_len: u64,
    epoch: u32,
    envelopes: Vec<ChangeEnvelope>,
}

/// Where a queued push's result is left.
#[derive(Default)]
struct Slot(Mutex<Option<StoreResult<Vec<Ack>>>>);

impl Slot {
    fn take(&self) -> Option<StoreResult<Vec<Ack>>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
    fn put(&self, r: StoreResult<Vec<Ack>>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(r);
    }
}

type Queued = (PushRequest, Arc<Slot>);

/// Stores a batch of pushes in one transaction, each under its own
/// savepoint, and answers them only after the commit is durable.
fn push_batch(conn: &mut Connection, batch: Vec<Queued>) {
    if batch.is_empty() {
        return;
    }
    let run = |conn: &mut Connection| -> StoreResult<Vec<StoreResult<Vec<Ack>>>> {
        let mut tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        let mut results = Vec::with_capacity(batch.len());
        for (req, _) in &batch {
            let sp = tx.savepoint().map_err(backend)?;
            let r = push_in(&sp, req);
            if r.is_ok() {
                sp.commit().map_err(backend)?;
            } else {
                drop(sp); // rolls back this push only
            }
            results.push(r);
        }
        tx.commit().map_err(backend)?;
        Ok(results)
    };
    match run(conn) {
        Ok(results) => {
            for ((_, slot), r) in batch.iter().zip(results) {
                slot.put(r);
            }
        }
        Err(e) => {
            let msg = e.to_string();
            for (_, slot) in &batch {
                slot.put(Err(StoreError::Backend(msg.clone())));
            }
        }
    }
}

/// One push, inside the batch's transaction (see `push_batch`).
fn push_in(tx: &Connection, r: &PushRequest) -> StoreResult<Vec<Ack>> {
    let (space, device, log_len, epoch, envelopes) =
        (&r.space, &r.device, r.log_len, r.epoch, &r.envelopes);
    let sp = space.as_bytes().as_slice();
    let dv = device.as_bytes().as_slice();
    let now_len: u64 = tx
        .query_row(
            "SELECT COUNT(*) FROM log_entries WHERE space = ?1",
            [sp],
            first_u64,
        )
        .map_err(backend)?;
    let stale = now_len != log_len;
    let newest: Option<(i64, Vec<u8>)> = tx
        .query_row(
            "SELECT device_seq, body FROM changes WHERE space = ?1 AND device = ?2
             ORDER BY device_seq DESC LIMIT 1",
            params![sp, dv],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .map_err(backend)?;
    let newest = match &newest {
        Some((seq, body)) => Some((
            *seq as u64,
            decode::<ChangeEnvelope>(body)
                .map_err(|_| corrupt("envelope"))?
                .hash(),
        )),
        None => None,
    };
    // None stored (an erasure deleted them): the chain goes on from the
    // device's newest bound.
    let newest = match newest {
        Some(n) => Some(n),
        None => {
            let bounds: Vec<(u32, u64, Hash)> = bounds_of(tx, space, Some(device))?
                .into_iter()
                .map(|(_, e, s, h)| (e, s, h))
                .collect();
            super::newest_or_bound(None, &bounds)
        }
    };
    let mut last: u64 = newest.map_or(0, |(s, _)| s);
    let mut last_hash = newest.map(|(_, h)| h);
    let mut head: u64 = tx.query_row(HEAD_SQL, [sp], first_u64).map_err(backend)?;
    let mut acks = Vec::with_capacity(envelopes.len());
    for e in envelopes {
        let body = encode(e);
        let stored: Option<(i64, Vec<u8>)> = tx
                .query_row(
                    "SELECT server_seq, body FROM changes WHERE space = ?1 AND device = ?2 AND device_seq = ?3",
                    params![sp, dv, e.seq as i64],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(backend)?;
        match decide(
            e,
            stored.map(|(seq, old)| (seq as u64, old == body)),
            stale,
            epoch,
            last,
        )? {
            Decision::Ack(server_seq) => acks.push(Ack {
                device_seq: e.seq,
                server_seq,
            }),
            Decision::Store => {
                check_envelope(
                    e,
                    bound_of(tx, sp, dv, e.epoch)?,
                    last_hash.map(|h| (last, h)),
                )?;
                head += 1;
                last = e.seq;
                last_hash = Some(e.hash());
                tx.execute(
                    "INSERT INTO changes (space, server_seq, device, device_seq, body) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![sp, head as i64, dv, e.seq as i64, body],
                )
                .map_err(backend)?;
                acks.push(Ack {
                    device_seq: e.seq,
                    server_seq: head,
                });
            }
        }
    }
    Ok(acks)
}
