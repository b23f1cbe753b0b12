//! PostgreSQL storage (tokio-postgres + deadpool-postgres), for several
//! relay instances over one database (issue 6).
//!
//! Same promises as SQLite, kept by PostgreSQL's transactions: every method
//! is one transaction; a push or log append locks its space's row
//! (`SELECT ... FOR UPDATE`), so two instances cannot both win a
//! compare-and-swap or interleave one device's sequence numbers; nothing
//! is answered before `COMMIT` returns (PostgreSQL's default
//! `synchronous_commit = on`). No state lives in the process that another
//! instance would need: tokens, challenges and mailboxes are rows.
//!
//! The `Storage` trait is blocking (handlers call it on tokio's blocking
//! pool); this backend owns a small runtime that drives its connections
//! and blocks on it. Errors carry PostgreSQL's SQLSTATE, never a value.

use std::str::FromStr;

use deadpool_postgres::GenericClient;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use futures_util::StreamExt;
use kindred_protocol::messages::{Ack, DeviceCursor, ErrorCode, Hint, StoredChange};
use kindred_protocol::{
    ChangeEnvelope, DeviceKey, Hash, LogEntry, Membership, Salt, SnapshotEnvelope, SpaceId, decode,
    encode,
};
use tokio_postgres::NoTls;
use tokio_postgres::types::ToSql;

use super::{
    Caches, Decision, Page, Pruned, SpaceUsage, Storage, StoreError, StoreResult, bound_rows,
    check_entry_bounds, check_envelope, decide,
};

/// Schema migrations, applied in order; the schema's version is how many
/// have run.
const MIGRATIONS: &[&str] = &[
    MIGRATION_1,
    MIGRATION_2,
    MIGRATION_3,
    MIGRATION_4,
    MIGRATION_5,
];

/// The migration that added `members` (1-based): migrating a database from
/// before it fills the table from the logs.
const MEMBERS_SINCE: i64 = 4;

const MIGRATION_1: &str = r#"
CREATE TABLE IF NOT EXISTS spaces (
    id         BYTEA PRIMARY KEY,
    created_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS log_entries (
    space BYTEA  NOT NULL REFERENCES spaces(id),
    seq   BIGINT NOT NULL,
    hash  BYTEA  NOT NULL,
    body  BYTEA  NOT NULL,
    PRIMARY KEY (space, seq)
);
CREATE TABLE IF NOT EXISTS changes (
    space      BYTEA  NOT NULL REFERENCES spaces(id),
    server_seq BIGINT NOT NULL,
    device     BYTEA  NOT NULL,
    device_seq BIGINT NOT NULL,
    body       BYTEA  NOT NULL,
    PRIMARY KEY (space, server_seq),
    UNIQUE (space, device, device_seq)
);
CREATE TABLE IF NOT EXISTS snapshots (
    space  BYTEA PRIMARY KEY REFERENCES spaces(id),
    covers BIGINT NOT NULL,
    body   BYTEA  NOT NULL
);
CREATE TABLE IF NOT EXISTS cursors (
    space      BYTEA  NOT NULL REFERENCES spaces(id),
    device     BYTEA  NOT NULL,
    server_seq BIGINT NOT NULL,
    PRIMARY KEY (space, device)
);
CREATE TABLE IF NOT EXISTS challenges (
    nonce   BYTEA PRIMARY KEY,
    device  BYTEA  NOT NULL,
    expires BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    hash    BYTEA PRIMARY KEY,
    device  BYTEA  NOT NULL,
    expires BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS rendezvous (
    id      BYTEA  NOT NULL,
    n       BIGINT NOT NULL,
    payload BYTEA  NOT NULL,
    expires BIGINT NOT NULL,
    PRIMARY KEY (id, n)
);
"#;

/// The log length and newest server sequence on the space's row, so the
/// push path reads one locked row instead of counting (issue 6: round
/// trips, not disk flushes, bounded PostgreSQL's appends per second).
const MIGRATION_2: &str = r#"
ALTER TABLE spaces ADD COLUMN IF NOT EXISTS log_len BIGINT NOT NULL DEFAULT 0;
ALTER TABLE spaces ADD COLUMN IF NOT EXISTS head_seq BIGINT NOT NULL DEFAULT 0;
UPDATE spaces s SET
    log_len = (SELECT COUNT(*) FROM log_entries l WHERE l.space = s.id),
    head_seq = (SELECT COALESCE(MAX(server_seq), 0) FROM changes c WHERE c.space = s.id);
"#;

/// When each snapshot arrived (retention prunes what a snapshot covers
/// only once it has been held for the configured time).
const MIGRATION_3: &str = r#"
ALTER TABLE snapshots ADD COLUMN IF NOT EXISTS stored_at BIGINT NOT NULL DEFAULT 0;
UPDATE snapshots SET stored_at = EXTRACT(EPOCH FROM now())::BIGINT;
"#;

/// Who is a member where, kept with every log append, so a device's spaces
/// are one index lookup instead of a pass over every space's log (filled
/// from the logs when this migration runs).
const MIGRATION_4: &str = r#"
CREATE TABLE IF NOT EXISTS members (
    device BYTEA NOT NULL,
    space  BYTEA NOT NULL REFERENCES spaces(id),
    PRIMARY KEY (device, space)
);
"#;

/// Removal bounds (issue 13): when an epoch ended, each member's last
/// device sequence then. Pushes check them inside their transaction.
const MIGRATION_5: &str = r#"
CREATE TABLE IF NOT EXISTS bounds (
    space  BYTEA  NOT NULL REFERENCES spaces(id),
    device BYTEA  NOT NULL,
    ended  BIGINT NOT NULL,
    seq    BIGINT NOT NULL,
    head   BYTEA  NOT NULL,
    PRIMARY KEY (space, device, ended)
);
"#;

/// Writes a space's current members (after its log changed).
async fn put_members<C: GenericClient>(c: &C, m: &Membership) -> StoreResult<()> {
    let sp = m.space.as_bytes().as_slice();
    let devices: Vec<&[u8]> = m.members.keys().map(|d| d.as_bytes().as_slice()).collect();
    c.execute("DELETE FROM members WHERE space = $1", &[&sp])
        .await
        .map_err(pg)?;
    c.execute(
        "INSERT INTO members (device, space) SELECT d, $2 FROM UNNEST($1::BYTEA[]) AS t(d)",
        &[&devices, &sp],
    )
    .await
    .map_err(pg)?;
    Ok(())
}

/// The relay's storage in PostgreSQL.
pub struct PostgresStorage {
    pool: Pool,
    /// Always `Some` until dropped (taken there to shut it down without
    /// blocking, which a drop inside the server's async context needs).
    rt: Option<tokio::runtime::Runtime>,
    /// Memberships (checked against the log length on every use: other
    /// instances append too) and tokens.
    caches: Caches,
    /// For the LISTEN connection that carries other instances' hints.
    config: tokio_postgres::Config,
    /// This process among the instances (its own notifications are skipped:
    /// it sent those hints itself).
    instance: String,
}

/// The channel pushes notify on, just after their commit.
const HINTS_CHANNEL: &str = "kindred_hints";

impl Drop for PostgresStorage {
    fn drop(&mut self) {
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

impl std::fmt::Debug for PostgresStorage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PostgresStorage")
    }
}

fn pg(e: tokio_postgres::Error) -> StoreError {
    // The SQLSTATE only: PostgreSQL's message can quote values.
    let code = e.code().map(|c| c.code().to_owned());
    StoreError::Backend(format!(
        "postgres {}",
        code.as_deref().unwrap_or("connection error")
    ))
}

fn pool_error(e: deadpool_postgres::PoolError) -> StoreError {
    match e {
        deadpool_postgres::PoolError::Backend(e) => pg(e),
        _ => StoreError::Backend("postgres pool unavailable".into()),
    }
}

fn refused(code: ErrorCode, m: &str) -> StoreError {
    StoreError::refused(code, m)
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Backend(format!("stored {what} could not be read"))
}

fn key32(b: Vec<u8>) -> StoreResult<DeviceKey> {
    DeviceKey::from_slice(&b).ok_or_else(|| corrupt("device key"))
}

impl PostgresStorage {
    /// Connects to `url` and brings the schema up to date.
    pub fn connect(url: &str) -> StoreResult<PostgresStorage> {
        Self::connect_in_schema(url, None)
    }

    /// Same, in a schema of its own (tests: one fresh schema each).
    pub fn connect_in_schema(url: &str, schema: Option<&str>) -> StoreResult<PostgresStorage> {
        let mut config = tokio_postgres::Config::from_str(url)
            .map_err(|_| StoreError::Backend("the database URL is not valid".into()))?;
        if let Some(s) = schema {
            if !s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                return Err(StoreError::Backend("bad schema name".into()));
            }
            config.options(format!("-c search_path={s}"));
        }
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("kindred-pg")
            .enable_all()
            .build()
            .map_err(|e| StoreError::Backend(format!("runtime: {e}")))?;
        let mut instance = [0u8; 8];
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut instance)
            .map_err(|_| StoreError::Backend("randomness failed".into()))?;
        let instance: String = instance.iter().map(|b| format!("{b:02x}")).collect();
        let mgr = Manager::from_config(
            config.clone(),
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = {
            let _guard = rt.enter();
            // More connections measured slower on 2 cores (48: 525
            // appends/s against 641 with 16): PostgreSQL's backends compete
            // for the same CPUs as the relay.
            Pool::builder(mgr)
                .max_size(16)
                .build()
                .map_err(|_| StoreError::Backend("postgres pool".into()))?
        };
        let s = PostgresStorage {
            pool,
            rt: Some(rt),
            caches: Caches::default(),
            config,
            instance,
        };
        s.migrate(schema)?;
        Ok(s)
    }

    fn migrate(&self, schema: Option<&str>) -> StoreResult<()> {
        self.run(|mut c| async move {
            let tx = c.transaction().await.map_err(pg)?;
            // One instance migrates at a time.
            tx.execute("SELECT pg_advisory_xact_lock(7711)", &[])
                .await
                .map_err(pg)?;
            if let Some(s) = schema {
                tx.batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {s}"))
                    .await
                    .map_err(pg)?;
            }
            tx.batch_execute("CREATE TABLE IF NOT EXISTS kindred_schema (version BIGINT NOT NULL)")
                .await
                .map_err(pg)?;
            let v: Option<i64> = tx
                .query_opt("SELECT version FROM kindred_schema", &[])
                .await
                .map_err(pg)?
                .map(|r| r.get(0));
            let latest = MIGRATIONS.len() as i64;
            let from = v.unwrap_or(0);
            if from > latest {
                return Err(StoreError::Backend(format!(
                    "the database was written by a newer server (version {from})"
                )));
            }
            for sql in &MIGRATIONS[from as usize..] {
                tx.batch_execute(sql).await.map_err(pg)?;
            }
            if from < MEMBERS_SINCE {
                let ids = tx.query("SELECT id FROM spaces", &[]).await.map_err(pg)?;
                for id in ids
                    .iter()
                    .filter_map(|r| SpaceId::from_slice(r.get::<_, &[u8]>(0)))
                {
                    if let Some(m) = load_membership(&tx, &id, None).await? {
                        put_members(&tx, &m).await?;
                    }
                }
            }
            if v.is_none() {
                tx.execute(
                    "INSERT INTO kindred_schema (version) VALUES ($1)",
                    &[&latest],
                )
                .await
                .map_err(pg)?;
            } else if from < latest {
                tx.execute("UPDATE kindred_schema SET version = $1", &[&latest])
                    .await
                    .map_err(pg)?;
            }
            tx.commit().await.map_err(pg)
        })
    }

    /// Runs `f` with a pooled connection on this backend's runtime.
    fn run<T, F, Fut>(&self, f: F) -> StoreResult<T>
    where
        F: FnOnce(deadpool_postgres::Object) -> Fut,
        Fut: std::future::Future<Output = StoreResult<T>>,
    {
        let rt = self
            .rt
            .as_ref()
            .ok_or_else(|| StoreError::Backend("postgres storage closed".into()))?;
        rt.block_on(async {
            let c = self.pool.get().await.map_err(pool_error)?;
            f(c).await
        })
    }

    fn cached(&self, space: &SpaceId) -> Option<Membership> {
        self.caches.membership(space)
    }

    fn remember(&self, m: &Membership) {
        self.caches.remember_membership(m);
    }
}

async fn load_membership<C: GenericClient>(
    c: &C,
    space: &SpaceId,
    cached: Option<Membership>,
) -> StoreResult<Option<Membership>> {
    let sp = space.as_bytes().as_slice();
    let st = c
        .prepare_cached("SELECT log_len FROM spaces WHERE id = $1")
        .await
        .map_err(pg)?;
    let len: i64 = c
        .query_opt(&st, &[&sp])
        .await
        .map_err(pg)?
        .map_or(0, |r| r.get(0));
    if len == 0 {
        return Ok(None);
    }
    if let Some(m) = cached
        && m.len == len as u64
    {
        return Ok(Some(m));
    }
    let rows = c
        .query(
            "SELECT body FROM log_entries WHERE space = $1 ORDER BY seq",
            &[&sp],
        )
        .await
        .map_err(pg)?;
    let entries = rows
        .iter()
        .map(|r| decode::<LogEntry>(r.get::<_, &[u8]>(0)).map_err(|_| corrupt("log entry")))
        .collect::<StoreResult<Vec<_>>>()?;
    Membership::from_log(&entries)
        .map(Some)
        .map_err(|_| corrupt("membership log"))
}

/// One LISTEN connection: forwards other instances' hints until it drops.
async fn listen(
    config: &tokio_postgres::Config,
    me: &str,
    to: &tokio::sync::broadcast::Sender<Hint>,
) -> Result<(), tokio_postgres::Error> {
    let (client, mut connection) = config.connect(NoTls).await?;
    let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Some(m) = messages.next().await {
            match m {
                Ok(tokio_postgres::AsyncMessage::Notification(n)) => {
                    if tx.send(n.payload().to_owned()).is_err() {
                        break;
                    }
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
    });
    client
        .batch_execute(&format!("LISTEN {HINTS_CHANNEL}"))
        .await?;
    while let Some(payload) = rx.recv().await {
        let mut parts = payload.split(':');
        let (Some(from), Some(space), Some(seq)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        if from == me {
            continue;
        }
        if let (Some(space), Ok(seq)) = (SpaceId::from_hex(space), seq.parse::<u64>()) {
            let _ = to.send(Hint {
                v: kindred_protocol::PROTOCOL_VERSION,
                space,
                seq,
            });
        }
    }
    Ok(())
}

/// Locks a space's row for the rest of the transaction; false if absent.
/// One log append inside the caller's transaction (the space's row
/// locked): compare-and-swap on the head, the entry's rules, its bounds
/// against what is held; then the entry, its bounds rows, the log length
/// and the members table are written.
async fn append_in<C: GenericClient>(
    tx: &C,
    entry: &LogEntry,
    cached: Option<Membership>,
) -> StoreResult<Membership> {
    let mut m = load_membership(tx, &entry.space, cached)
        .await?
        .ok_or_else(|| refused(ErrorCode::NotFound, "no such space"))?;
    // Compare-and-swap on the head, with the space's row locked.
    if entry.prev != m.head || entry.seq != m.len {
        return Err(refused(
            ErrorCode::StaleHead,
            "the log has moved on; pull and try again",
        ));
    }
    m.check(entry)
        .map_err(|e| refused(ErrorCode::InvalidEntry, &e.to_string()))?;
    // Bounds against what this relay holds, with the space's row
    // locked: no push can land between the check and the entry.
    let rows = bound_rows(&m, entry);
    let sp = entry.space.as_bytes().as_slice();
    if !rows.is_empty() {
        let held: Vec<(DeviceKey, u64, Hash)> = tx
            .query(
                "SELECT c.device, c.device_seq, c.body FROM changes c WHERE c.space = $1
                       AND c.device_seq = (SELECT MAX(d.device_seq) FROM changes d
                                           WHERE d.space = c.space AND d.device = c.device)",
                &[&sp],
            )
            .await
            .map_err(pg)?
            .into_iter()
            .map(|r| {
                let e = decode::<ChangeEnvelope>(r.get::<_, &[u8]>(2))
                    .map_err(|_| corrupt("envelope"))?;
                Ok((key32(r.get(0))?, r.get::<_, i64>(1) as u64, e.hash()))
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let bounds: Vec<(DeviceKey, u32, u64, Hash)> = tx
            .query(
                "SELECT device, ended, seq, head FROM bounds WHERE space = $1",
                &[&sp],
            )
            .await
            .map_err(pg)?
            .into_iter()
            .map(|r| {
                let head =
                    Hash::from_slice(r.get::<_, &[u8]>(3)).ok_or_else(|| corrupt("bound"))?;
                Ok((
                    key32(r.get(0))?,
                    r.get::<_, i64>(1) as u32,
                    r.get::<_, i64>(2) as u64,
                    head,
                ))
            })
            .collect::<StoreResult<_>>()?;
        let held = super::heads_with_bounds(held, &bounds);
        check_entry_bounds(&m, entry, &held)?;
    }
    let ended = i64::from(m.epoch);
    m.apply(entry)
        .map_err(|e| refused(ErrorCode::InvalidEntry, &e.to_string()))?;
    for (device, seq, head) in rows {
        tx.execute(
            "INSERT INTO bounds (space, device, ended, seq, head) VALUES ($1, $2, $3, $4, $5)",
            &[
                &sp,
                &device.as_bytes().as_slice(),
                &ended,
                &(seq as i64),
                &head.as_bytes().as_slice(),
            ],
        )
        .await
        .map_err(pg)?;
    }
    tx.execute(
        "INSERT INTO log_entries (space, seq, hash, body) VALUES ($1, $2, $3, $4)",
        &[
            &entry.space.as_bytes().as_slice(),
            &(entry.seq as i64),
            &m.head.as_bytes().as_slice(),
            &encode(entry),
        ],
    )
    .await
    .map_err(pg)?;
    tx.execute(
        "UPDATE spaces SET log_len = log_len + 1 WHERE id = $1",
        &[&entry.space.as_bytes().as_slice()],
    )
    .await
    .map_err(pg)?;
    put_members(tx, &m).await?;
    Ok(m)
}

async fn lock_space<C: GenericClient>(c: &C, space: &SpaceId) -> StoreResult<bool> {
    Ok(c.query_opt(
        "SELECT 1 FROM spaces WHERE id = $1 FOR UPDATE",
        &[&space.as_bytes().as_slice()],
    )
    .await
    .map_err(pg)?
    .is_some())
}

/// Parameters of one statement.
type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

/// A push as two pipelined round trips (issue 6: each round trip, not
/// each disk flush, was what held PostgreSQL back):
///
/// 1. `BEGIN`, lock the space's row (its log length and newest server
///    sequence), the device's last sequence, and whatever is already stored
///    under the batch's sequence numbers — read after the lock, so two
///    instances retrying one push see each other's commit;
/// 2. after [`decide`] has judged every envelope here: insert the new
///    ones, move the head, `COMMIT`, then notify the other instances.
///
/// Statements sent after one that failed do nothing and the `COMMIT` then
/// rolls back, so every result is checked; the caller rolls back on error.
async fn push_in_two_round_trips(
    c: &deadpool_postgres::Object,
    instance: &str,
    space: &SpaceId,
    device: &DeviceKey,
    log_len: u64,
    epoch: u32,
    envelopes: &[ChangeEnvelope],
) -> StoreResult<Vec<Ack>> {
    let sp = space.as_bytes().as_slice();
    let dv = device.as_bytes().as_slice();
    let (lock, last_st, stored_st, bounds_st, ended_st) = tokio::try_join!(
        c.prepare_cached("SELECT log_len, head_seq FROM spaces WHERE id = $1 FOR UPDATE"),
        c.prepare_cached(
            "SELECT device_seq, body FROM changes WHERE space = $1 AND device = $2
             ORDER BY device_seq DESC LIMIT 1"
        ),
        c.prepare_cached(
            "SELECT device_seq, server_seq, body FROM changes
             WHERE space = $1 AND device = $2 AND device_seq = ANY($3)"
        ),
        c.prepare_cached("SELECT ended, seq, head FROM bounds WHERE space = $1 AND device = $2"),
        c.prepare_cached("SELECT MAX(ended) FROM bounds WHERE space = $1"),
    )
    .map_err(pg)?;
    let seqs: Vec<i64> = envelopes.iter().map(|e| e.seq as i64).collect();
    let (p_lock, p_last, p_stored): (Params, Params, Params) =
        (&[&sp], &[&sp, &dv], &[&sp, &dv, &seqs]);
    let (begun, row, last, stored, bounds, ended) = tokio::join!(
        c.batch_execute("BEGIN"),
        c.query_opt(&lock, p_lock),
        c.query_opt(&last_st, p_last),
        c.query(&stored_st, p_stored),
        c.query(&bounds_st, p_last),
        c.query_one(&ended_st, p_lock),
    );
    begun.map_err(pg)?;
    let row = row
        .map_err(pg)?
        .ok_or_else(|| refused(ErrorCode::NotFound, "no such space"))?;
    let (now_len, mut head): (i64, i64) = (row.get(0), row.get(1));
    let newest: Option<(i64, Vec<u8>)> = last.map_err(pg)?.map(|r| (r.get(0), r.get(1)));
    let newest = match &newest {
        Some((seq, body)) => Some((
            *seq as u64,
            decode::<ChangeEnvelope>(body)
                .map_err(|_| corrupt("envelope"))?
                .hash(),
        )),
        None => None,
    };
    let bound_rows: Vec<(i64, i64, Vec<u8>)> = bounds
        .map_err(pg)?
        .into_iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    // None stored (an erasure deleted them): the chain goes on from the
    // device's newest bound.
    let recorded: Vec<(u32, u64, Hash)> = bound_rows
        .iter()
        .filter_map(|(e, s, h)| Some((*e as u32, *s as u64, Hash::from_slice(h)?)))
        .collect();
    let newest = super::newest_or_bound(newest, &recorded);
    let mut last: i64 = newest.map_or(0, |(s, _)| s as i64);
    let mut last_hash = newest.map(|(_, h)| h);
    let bounds: Vec<(i64, i64)> = bound_rows.iter().map(|(e, s, _)| (*e, *s)).collect();
    let ended: Option<i64> = ended.map_err(pg)?.get(0);
    // A device's bound for an epoch: the one recorded when it (or the
    // first later epoch the device was listed in) ended; 0 if the epoch
    // ended without listing it.
    let bound_of = |epoch: u32| -> Option<u64> {
        let epoch = i64::from(epoch);
        bounds
            .iter()
            .filter(|(e, _)| *e >= epoch)
            .min_by_key(|(e, _)| *e)
            .map(|(_, s)| *s as u64)
            .or_else(|| ended.filter(|e| *e >= epoch).map(|_| 0))
    };
    let stored: std::collections::HashMap<i64, (i64, Vec<u8>)> = stored
        .map_err(pg)?
        .into_iter()
        .map(|r| (r.get(0), (r.get(1), r.get(2))))
        .collect();
    let stale = now_len as u64 != log_len;
    let mut acks = Vec::with_capacity(envelopes.len());
    let (mut server_seqs, mut device_seqs, mut bodies) = (Vec::new(), Vec::new(), Vec::new());
    for e in envelopes {
        let body = encode(e);
        let held = stored
            .get(&(e.seq as i64))
            .map(|(server_seq, b)| (*server_seq as u64, *b == body));
        match decide(e, held, stale, epoch, last as u64)? {
            Decision::Ack(server_seq) => acks.push(Ack {
                device_seq: e.seq,
                server_seq,
            }),
            Decision::Store => {
                check_envelope(e, bound_of(e.epoch), last_hash.map(|h| (last as u64, h)))?;
                head += 1;
                last = e.seq as i64;
                last_hash = Some(e.hash());
                server_seqs.push(head);
                device_seqs.push(e.seq as i64);
                bodies.push(body);
                acks.push(Ack {
                    device_seq: e.seq,
                    server_seq: head as u64,
                });
            }
        }
    }
    if server_seqs.is_empty() {
        c.batch_execute("COMMIT").await.map_err(pg)?;
        return Ok(acks);
    }
    let (insert, move_head, notify) = tokio::try_join!(
        c.prepare_cached(
            "INSERT INTO changes (space, server_seq, device, device_seq, body)
             SELECT $1, s, $2, d, b FROM UNNEST($3::BIGINT[], $4::BIGINT[], $5::BYTEA[]) AS t(s, d, b)"
        ),
        c.prepare_cached("UPDATE spaces SET head_seq = $2 WHERE id = $1"),
        c.prepare_cached("SELECT pg_notify($1, $2)"),
    )
    .map_err(pg)?;
    // Other instances' live connections learn of it just after the commit,
    // in a transaction of its own: a NOTIFY inside the push's transaction
    // holds PostgreSQL's one notification-queue lock through the commit's
    // WAL flush, which would put every instance's pushes in single file.
    // A hint lost to a crash between the two costs a device a poll, never
    // a change.
    let payload = format!("{instance}:{}:{head}", space.to_hex());
    let (p_insert, p_head, p_notify): (Params, Params, Params) = (
        &[&sp, &dv, &server_seqs, &device_seqs, &bodies],
        &[&sp, &head],
        &[&HINTS_CHANNEL, &payload],
    );
    let (inserted, moved, committed, notified) = tokio::join!(
        c.execute(&insert, p_insert),
        c.execute(&move_head, p_head),
        c.batch_execute("COMMIT"),
        c.execute(&notify, p_notify),
    );
    inserted.map_err(pg)?;
    moved.map_err(pg)?;
    committed.map_err(pg)?;
    if notified.is_err() {
        tracing::warn!("a live hint could not be sent to the other instances");
    }
    Ok(acks)
}

impl Storage for PostgresStorage {
    fn put_challenge(
        &self,
        nonce: &Salt,
        device: &DeviceKey,
        now: u64,
        expires: u64,
        most: u64,
    ) -> StoreResult<()> {
        // Several instances may count at once: the cap can be passed by
        // as many requests as run concurrently, which is still a bound.
        self.run(|c| async move {
            c.execute(
                "DELETE FROM challenges WHERE expires < $1",
                &[&(now as i64)],
            )
            .await
            .map_err(pg)?;
            let keep = kindred_protocol::limits::MAX_OPEN_CHALLENGES_PER_DEVICE.saturating_sub(1);
            c.execute(
                "DELETE FROM challenges WHERE device = $1 AND nonce NOT IN \
                 (SELECT nonce FROM challenges WHERE device = $1 ORDER BY expires DESC LIMIT $2)",
                &[&device.as_bytes().as_slice(), &(keep as i64)],
            )
            .await
            .map_err(pg)?;
            let open: i64 = c
                .query_one("SELECT COUNT(*) FROM challenges", &[])
                .await
                .map_err(pg)?
                .get(0);
            if open as u64 >= most {
                return Err(super::challenges_full());
            }
            c.execute(
                "INSERT INTO challenges (nonce, device, expires) VALUES ($1, $2, $3)",
                &[
                    &nonce.as_bytes().as_slice(),
                    &device.as_bytes().as_slice(),
                    &(expires as i64),
                ],
            )
            .await
            .map_err(pg)?;
            Ok(())
        })
    }

    fn take_challenge(&self, nonce: &Salt, now: u64) -> StoreResult<Option<DeviceKey>> {
        self.run(|c| async move {
            let row = c
                .query_opt(
                    "DELETE FROM challenges WHERE nonce = $1 RETURNING device, expires",
                    &[&nonce.as_bytes().as_slice()],
                )
                .await
                .map_err(pg)?;
            match row {
                Some(r) if r.get::<_, i64>(1) as u64 >= now => Ok(Some(key32(r.get(0))?)),
                _ => Ok(None),
            }
        })
    }

    fn put_token(&self, hash: &[u8; 32], device: &DeviceKey, expires: u64) -> StoreResult<()> {
        self.run(|c| async move {
            c.execute(
                "DELETE FROM tokens WHERE expires < $1",
                &[&(expires.saturating_sub(86_400) as i64)],
            )
            .await
            .map_err(pg)?;
            c.execute(
                "INSERT INTO tokens (hash, device, expires) VALUES ($1, $2, $3)",
                &[
                    &hash.as_slice(),
                    &device.as_bytes().as_slice(),
                    &(expires as i64),
                ],
            )
            .await
            .map_err(pg)?;
            Ok(())
        })
    }

    fn token(&self, hash: &[u8; 32]) -> StoreResult<Option<(DeviceKey, u64)>> {
        if let Some(t) = self.caches.token(hash) {
            return Ok(Some(t));
        }
        let found = self.run(|c| async move {
            let row = c
                .query_opt(
                    "SELECT device, expires FROM tokens WHERE hash = $1",
                    &[&hash.as_slice()],
                )
                .await
                .map_err(pg)?;
            row.map(|r| Ok((key32(r.get(0))?, r.get::<_, i64>(1) as u64)))
                .transpose()
        })?;
        if let Some(t) = found {
            self.caches.remember_token(hash, t);
        }
        Ok(found)
    }

    fn membership_seen(&self, space: &SpaceId) -> Option<Membership> {
        self.cached(space)
    }

    fn membership(&self, space: &SpaceId) -> StoreResult<Option<Membership>> {
        let cached = self.cached(space);
        let m = self.run(|c| async move { load_membership(&c, space, cached).await })?;
        if let Some(m) = &m {
            self.remember(m);
        }
        Ok(m)
    }

    fn create_space(&self, genesis: &LogEntry) -> StoreResult<Membership> {
        let m = Membership::genesis(genesis)
            .map_err(|e| refused(ErrorCode::InvalidEntry, &e.to_string()))?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        let m2 = m.clone();
        self.run(|mut c| async move {
            let tx = c.transaction().await.map_err(pg)?;
            let inserted = tx
                .execute(
                    "INSERT INTO spaces (id, created_at, log_len) VALUES ($1, $2, 1) ON CONFLICT DO NOTHING",
                    &[&m2.space.as_bytes().as_slice(), &now],
                )
                .await
                .map_err(pg)?;
            if inserted == 0 {
                return Err(refused(
                    ErrorCode::SpaceExists,
                    "a space with this id exists",
                ));
            }
            tx.execute(
                "INSERT INTO log_entries (space, seq, hash, body) VALUES ($1, 0, $2, $3)",
                &[
                    &m2.space.as_bytes().as_slice(),
                    &m2.head.as_bytes().as_slice(),
                    &encode(genesis),
                ],
            )
            .await
            .map_err(pg)?;
            put_members(&tx, &m2).await?;
            tx.commit().await.map_err(pg)
        })?;
        self.remember(&m);
        Ok(m)
    }

    fn append_log(&self, entry: &LogEntry) -> StoreResult<Membership> {
        super::not_an_erasure(entry)?;
        let cached = self.cached(&entry.space);
        let m = self.run(|mut c| async move {
            let tx = c.transaction().await.map_err(pg)?;
            if !lock_space(&tx, &entry.space).await? {
                return Err(refused(ErrorCode::NotFound, "no such space"));
            }
            let m = append_in(&tx, entry, cached).await?;
            tx.commit().await.map_err(pg)?;
            Ok(m)
        })?;
        self.remember(&m);
        Ok(m)
    }

    fn erase(&self, entry: &LogEntry, snapshot: &SnapshotEnvelope) -> StoreResult<Membership> {
        let cached = self.cached(&entry.space);
        let m = self.run(|mut c| async move {
            let sp = entry.space.as_bytes().as_slice();
            let tx = c.transaction().await.map_err(pg)?;
            if !lock_space(&tx, &entry.space).await? {
                return Err(refused(ErrorCode::NotFound, "no such space"));
            }
            let head: i64 = tx
                .query_one("SELECT head_seq FROM spaces WHERE id = $1", &[&sp])
                .await
                .map_err(pg)?
                .get(0);
            super::check_erase(entry, snapshot, head as u64)?;
            let m = append_in(&tx, entry, cached).await?;
            tx.execute("DELETE FROM changes WHERE space = $1", &[&sp])
                .await
                .map_err(pg)?;
            tx.execute(
                "INSERT INTO snapshots (space, covers, body, stored_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (space) DO UPDATE
                 SET covers = excluded.covers, body = excluded.body, stored_at = excluded.stored_at",
                &[&sp, &head, &encode(snapshot), &(super::unix_now() as i64)],
            )
            .await
            .map_err(pg)?;
            tx.commit().await.map_err(pg)?;
            // The deleted rows (and the replaced snapshot) stay in the
            // tables' pages as dead tuples until a vacuum reclaims them:
            // reclaim them now. A failure leaves them to autovacuum, so it
            // is logged (without content) and the erasure still stands.
            if let Err(e) = c.batch_execute("VACUUM changes, snapshots").await {
                tracing::warn!(error = %e, "vacuum after an erasure failed; autovacuum will reclaim the rows");
            }
            Ok(m)
        })?;
        self.remember(&m);
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
        self.run(|c| async move {
            let r = push_in_two_round_trips(
                &c,
                &self.instance,
                space,
                device,
                log_len,
                epoch,
                envelopes,
            )
            .await;
            if r.is_err() {
                // Whatever state the pipeline left, the connection goes
                // back to the pool outside any transaction.
                let _ = c.batch_execute("ROLLBACK").await;
            }
            r
        })
    }

    fn log_from(&self, space: &SpaceId, after: u64) -> StoreResult<Vec<LogEntry>> {
        self.run(|c| async move {
            let rows = c
                .query(
                    "SELECT body FROM log_entries WHERE space = $1 AND seq >= $2 ORDER BY seq",
                    &[
                        &space.as_bytes().as_slice(),
                        &(after.min(i64::MAX as u64) as i64),
                    ],
                )
                .await
                .map_err(pg)?;
            rows.iter()
                .map(|r| decode::<LogEntry>(r.get::<_, &[u8]>(0)).map_err(|_| corrupt("log entry")))
                .collect()
        })
    }

    fn pull(&self, space: &SpaceId, after: u64, log_after: u64, limit: u32) -> StoreResult<Page> {
        let log = self.log_from(space, log_after)?;
        self.run(|mut c| async move {
            let sp = space.as_bytes().as_slice();
            // One snapshot of the database for the whole page.
            let tx = c
                .build_transaction()
                .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()
                .await
                .map_err(pg)?;
            let mut page = Page {
                log,
                ..Page::default()
            };
            let (snap_st, changes_st, head_st, cursors_st) = tokio::try_join!(
                // The body only when this pull is to carry it.
                tx.prepare_cached(
                    "SELECT covers, CASE WHEN covers > $2 OR $3 THEN body END
                     FROM snapshots WHERE space = $1"
                ),
                tx.prepare_cached(
                    "SELECT server_seq, body FROM changes
                     WHERE space = $1 AND server_seq > $2 ORDER BY server_seq LIMIT $3"
                ),
                tx.prepare_cached("SELECT head_seq FROM spaces WHERE id = $1"),
                tx.prepare_cached(
                    "SELECT device, server_seq FROM cursors WHERE space = $1 ORDER BY device"
                ),
            )
            .map_err(pg)?;
            let fresh = after == 0 && log_after == 0;
            let snap = tx
                .query_opt(
                    &snap_st,
                    &[&sp, &(after.min(i64::MAX as u64) as i64), &fresh],
                )
                .await
                .map_err(pg)?;
            if let Some(body) = snap.as_ref().and_then(|r| r.get::<_, Option<&[u8]>>(1)) {
                page.snapshot =
                    Some(decode::<SnapshotEnvelope>(body).map_err(|_| corrupt("snapshot"))?);
            }
            let from = page
                .snapshot
                .as_ref()
                .map_or(after, |s| s.covers.max(after));
            let (p_changes, p_space): (Params, Params) = (
                &[
                    &sp,
                    &(from.min(i64::MAX as u64) as i64),
                    &(limit as i64 + 1),
                ],
                &[&sp],
            );
            let (rows, head, cursors) = tokio::join!(
                tx.query(&changes_st, p_changes),
                tx.query_one(&head_st, p_space),
                tx.query(&cursors_st, p_space),
            );
            let rows = rows.map_err(pg)?;
            for r in rows.iter().take(limit as usize) {
                page.changes.push(StoredChange {
                    server_seq: r.get::<_, i64>(0) as u64,
                    envelope: decode::<ChangeEnvelope>(r.get::<_, &[u8]>(1))
                        .map_err(|_| corrupt("change"))?,
                });
            }
            page.more = rows.len() > limit as usize;
            page.head_seq = head.map_err(pg)?.get::<_, i64>(0) as u64;
            for r in cursors.map_err(pg)? {
                page.cursors.push(DeviceCursor {
                    device: key32(r.get(0))?,
                    server_seq: r.get::<_, i64>(1) as u64,
                });
            }
            tx.commit().await.map_err(pg)?;
            Ok(page)
        })
    }

    fn put_snapshot(&self, snapshot: &SnapshotEnvelope) -> StoreResult<()> {
        self.run(|mut c| async move {
            let sp = snapshot.space.as_bytes().as_slice();
            let tx = c.transaction().await.map_err(pg)?;
            if !lock_space(&tx, &snapshot.space).await? {
                return Err(refused(ErrorCode::NotFound, "no such space"));
            }
            let head: i64 = tx
                .query_one("SELECT head_seq FROM spaces WHERE id = $1", &[&sp])
                .await
                .map_err(pg)?
                .get(0);
            if snapshot.covers > head as u64 {
                return Err(refused(
                    ErrorCode::InvalidEntry,
                    "the snapshot covers changes the server does not have",
                ));
            }
            tx.execute(
                "INSERT INTO snapshots (space, covers, body, stored_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (space) DO UPDATE
                 SET covers = excluded.covers, body = excluded.body, stored_at = excluded.stored_at
                 WHERE snapshots.covers <= excluded.covers",
                &[
                    &sp,
                    &(snapshot.covers as i64),
                    &encode(snapshot),
                    &(super::unix_now() as i64),
                ],
            )
            .await
            .map_err(pg)?;
            tx.commit().await.map_err(pg)
        })
    }

    fn prune_batch(&self, stored_before: u64, limit: u32) -> StoreResult<Pruned> {
        self.run(|c| async move {
            let rows = c
                .query(
                    super::PRUNE_SQL,
                    &[&(stored_before as i64), &i64::from(limit)],
                )
                .await
                .map_err(pg)?;
            Ok(Pruned {
                changes: rows.len() as u64,
                bytes: rows.iter().map(|r| r.get::<_, i32>(0) as u64).sum(),
            })
        })
    }

    fn ack(&self, space: &SpaceId, device: &DeviceKey, server_seq: u64) -> StoreResult<()> {
        self.run(|c| async move {
            c.execute(
                "INSERT INTO cursors (space, device, server_seq) VALUES ($1, $2, $3)
                 ON CONFLICT (space, device) DO UPDATE
                 SET server_seq = GREATEST(cursors.server_seq, excluded.server_seq)",
                &[
                    &space.as_bytes().as_slice(),
                    &device.as_bytes().as_slice(),
                    &(server_seq as i64),
                ],
            )
            .await
            .map_err(pg)?;
            Ok(())
        })
    }

    fn head_seq(&self, space: &SpaceId) -> StoreResult<u64> {
        self.run(|c| async move {
            Ok(c.query_opt(
                "SELECT head_seq FROM spaces WHERE id = $1",
                &[&space.as_bytes().as_slice()],
            )
            .await
            .map_err(pg)?
            .map_or(0, |r| r.get::<_, i64>(0)) as u64)
        })
    }

    fn spaces_of(&self, device: &DeviceKey) -> StoreResult<Vec<SpaceId>> {
        self.run(|c| async move {
            let st = c
                .prepare_cached("SELECT space FROM members WHERE device = $1 ORDER BY space")
                .await
                .map_err(pg)?;
            Ok(c.query(&st, &[&device.as_bytes().as_slice()])
                .await
                .map_err(pg)?
                .iter()
                .filter_map(|r| SpaceId::from_slice(r.get::<_, &[u8]>(0)))
                .collect())
        })
    }

    fn rendezvous_put(&self, id: &[u8; 16], payload: &[u8], now: u64, ttl: u64) -> StoreResult<()> {
        self.run(|mut c| async move {
            let tx = c.transaction().await.map_err(pg)?;
            // Serialise writers of one mailbox across instances.
            let lock = i64::from_be_bytes([id[0], id[1], id[2], id[3], id[4], id[5], id[6], id[7]]);
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&lock])
                .await
                .map_err(pg)?;
            tx.execute(
                "DELETE FROM rendezvous WHERE expires < $1",
                &[&(now as i64)],
            )
            .await
            .map_err(pg)?;
            let r = tx
                .query_one(
                    "SELECT COUNT(*), COALESCE(MAX(n), 0) FROM rendezvous WHERE id = $1",
                    &[&id.as_slice()],
                )
                .await
                .map_err(pg)?;
            let (count, max): (i64, i64) = (r.get(0), r.get(1));
            if count as usize >= kindred_protocol::limits::MAX_RENDEZVOUS_MESSAGES {
                return Err(refused(ErrorCode::MailboxFull, "this mailbox is full"));
            }
            tx.execute(
                "INSERT INTO rendezvous (id, n, payload, expires) VALUES ($1, $2, $3, $4)",
                &[&id.as_slice(), &(max + 1), &payload, &((now + ttl) as i64)],
            )
            .await
            .map_err(pg)?;
            tx.commit().await.map_err(pg)
        })
    }

    fn rendezvous_take(&self, id: &[u8; 16], now: u64) -> StoreResult<Vec<Vec<u8>>> {
        self.run(|c| async move {
            let rows = c
                .query(
                    "DELETE FROM rendezvous WHERE id = $1 RETURNING n, payload, expires",
                    &[&id.as_slice()],
                )
                .await
                .map_err(pg)?;
            let mut live: Vec<(i64, Vec<u8>)> = rows
                .iter()
                .filter(|r| r.get::<_, i64>(2) as u64 >= now)
                .map(|r| (r.get(0), r.get(1)))
                .collect();
            live.sort_by_key(|(n, _)| *n);
            Ok(live.into_iter().map(|(_, p)| p).collect())
        })
    }

    fn forward_hints(&self, to: tokio::sync::broadcast::Sender<Hint>) {
        let Some(rt) = self.rt.as_ref() else { return };
        let (config, me) = (self.config.clone(), self.instance.clone());
        rt.spawn(async move {
            loop {
                // Reconnects after a second if the database goes away.
                let _ = listen(&config, &me, &to).await;
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            }
        });
    }

    fn usage(&self) -> StoreResult<Vec<(SpaceId, SpaceUsage)>> {
        self.run(|c| async move {
            let rows = c
                .query(
                    "SELECT s.id,
                        (SELECT COUNT(*) FROM log_entries l WHERE l.space = s.id),
                        (SELECT COUNT(*) FROM changes c WHERE c.space = s.id),
                        (SELECT COALESCE(SUM(LENGTH(c.body)), 0) FROM changes c WHERE c.space = s.id),
                        (SELECT COALESCE(SUM(LENGTH(n.body)), 0) FROM snapshots n WHERE n.space = s.id)
                     FROM spaces s ORDER BY s.id",
                    &[],
                )
                .await
                .map_err(pg)?;
            let mut out = Vec::new();
            for r in rows {
                let Some(id) = SpaceId::from_slice(r.get::<_, &[u8]>(0)) else {
                    continue;
                };
                out.push((
                    id,
                    SpaceUsage {
                        log_entries: r.get::<_, i64>(1) as u64,
                        changes: r.get::<_, i64>(2) as u64,
                        change_bytes: r.get::<_, i64>(3) as u64,
                        snapshot_bytes: r.get::<_, i64>(4) as u64,
                    },
                ));
            }
            Ok(out)
        })
    }

    fn log_head(&self, space: &SpaceId) -> StoreResult<Option<(u64, Hash)>> {
        self.run(|c| async move {
            let row = c
                .query_opt(
                    "SELECT seq, hash FROM log_entries WHERE space = $1 ORDER BY seq DESC LIMIT 1",
                    &[&space.as_bytes().as_slice()],
                )
                .await
                .map_err(pg)?;
            row.map(|r| {
                let hash = Hash::from_slice(r.get::<_, &[u8]>(1)).ok_or_else(|| corrupt("hash"))?;
                Ok((r.get::<_, i64>(0) as u64 + 1, hash))
            })
            .transpose()
        })
    }
}
