//! What the relay stores, behind a trait so a PostgreSQL backend can sit
//! beside the embedded SQLite one (issue 6).
//!
//! Every method is one transaction. A method that returns an error has
//! changed nothing: the handlers rely on that to keep "a refused request
//! changes nothing on the server".

pub mod postgres;
pub mod sqlite;

use kindred_protocol::messages::{Ack, DeviceCursor, ErrorCode, StoredChange};
use kindred_protocol::{
    ChangeEnvelope, DeviceKey, Hash, LogEntry, Membership, Salt, SnapshotEnvelope, SpaceId,
};

/// A storage failure or a refusal decided inside the transaction.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The request breaks a rule; nothing was written.
    #[error("{message}")]
    Refused { code: ErrorCode, message: String },
    /// The database failed.
    #[error("storage failed: {0}")]
    Backend(String),
}

impl StoreError {
    pub fn refused(code: ErrorCode, message: impl Into<String>) -> StoreError {
        StoreError::Refused {
            code,
            message: message.into(),
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// One page of a pull, as stored.
#[derive(Debug, Default)]
pub struct Page {
    pub log: Vec<LogEntry>,
    pub snapshot: Option<SnapshotEnvelope>,
    pub changes: Vec<StoredChange>,
    pub head_seq: u64,
    pub more: bool,
    pub cursors: Vec<DeviceCursor>,
}

/// Sizes and counts of one space (for operators; never content).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SpaceUsage {
    pub log_entries: u64,
    pub changes: u64,
    pub change_bytes: u64,
    pub snapshot_bytes: u64,
}

/// What a prune removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    pub changes: u64,
    pub bytes: u64,
}

/// Seconds since 1970 (when a snapshot arrived).
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Changes a prune removes per transaction: a relay keeps serving pushes
/// between batches instead of waiting behind one long delete.
pub const PRUNE_BATCH: u32 = 1000;

/// The changes a prune removes (at most `$2` of them): covered by their
/// space's snapshot, that snapshot stored at or before `$1`, and not their
/// device's newest change in the space (which carries the device's
/// sequence numbering, and is also the space's head when it is the newest
/// of all). Returns each removed body's length. One statement for both
/// backends: SQLite binds `$1` and `$2` by position too.
pub(crate) const PRUNE_SQL: &str = "
    DELETE FROM changes WHERE (space, server_seq) IN (
        SELECT c.space, c.server_seq FROM changes c
        WHERE EXISTS (SELECT 1 FROM snapshots s
                      WHERE s.space = c.space AND s.stored_at <= $1 AND c.server_seq <= s.covers)
          AND c.device_seq < (SELECT MAX(d.device_seq) FROM changes d
                              WHERE d.space = c.space AND d.device = c.device)
        LIMIT $2)
    RETURNING LENGTH(body)";

/// The relay's storage.
pub trait Storage: Send + Sync + 'static {
    /// Stores a challenge nonce for `device`, valid until `expires` (unix
    /// s). Challenges expired at `now` are deleted first, and the device's
    /// oldest beyond `limits::MAX_OPEN_CHALLENGES_PER_DEVICE`; with `most`
    /// open already, it is refused (`rate_limited`) and nothing written.
    /// Anyone may ask for a challenge, so the table must stay bounded.
    fn put_challenge(
        &self,
        nonce: &Salt,
        device: &DeviceKey,
        now: u64,
        expires: u64,
        most: u64,
    ) -> StoreResult<()>;
    /// Takes (deletes) a challenge; returns its device if it was valid at `now`.
    fn take_challenge(&self, nonce: &Salt, now: u64) -> StoreResult<Option<DeviceKey>>;
    /// Stores the SHA-256 of a token.
    fn put_token(&self, hash: &[u8; 32], device: &DeviceKey, expires: u64) -> StoreResult<()>;
    /// The device and expiry of a token hash.
    fn token(&self, hash: &[u8; 32]) -> StoreResult<Option<(DeviceKey, u64)>>;

    /// The verified membership of a space, if it exists.
    fn membership(&self, space: &SpaceId) -> StoreResult<Option<Membership>>;
    /// The membership this process last saw, without asking the database:
    /// may be behind another instance's append. Only for a push, whose
    /// transaction checks the log length again and refuses with
    /// `stale_epoch` if it moved (the handler then asks [`Storage::membership`]).
    fn membership_seen(&self, space: &SpaceId) -> Option<Membership>;
    /// Creates a space from a verified genesis.
    fn create_space(&self, genesis: &LogEntry) -> StoreResult<Membership>;
    /// Appends a log entry if it follows the current head (checked and
    /// written in one transaction: two appends cannot both win).
    fn append_log(&self, entry: &LogEntry) -> StoreResult<Membership>;
    /// Stores a batch of envelopes from `device` (all or none). The caller
    /// checked membership at log length `log_len` and epoch `epoch`: if the
    /// log has moved on since, or a new envelope is not sealed under
    /// `epoch`, the batch is refused with `stale_epoch`. A retry of an
    /// envelope already stored is acknowledged again whatever its epoch.
    fn push(
        &self,
        space: &SpaceId,
        device: &DeviceKey,
        log_len: u64,
        epoch: u32,
        envelopes: &[ChangeEnvelope],
    ) -> StoreResult<Vec<Ack>>;
    /// Log entries from position `after` on.
    fn log_from(&self, space: &SpaceId, after: u64) -> StoreResult<Vec<LogEntry>>;
    /// One page of a pull.
    fn pull(&self, space: &SpaceId, after: u64, log_after: u64, limit: u32) -> StoreResult<Page>;
    /// Keeps a snapshot if it is newer than the one held.
    fn put_snapshot(&self, snapshot: &SnapshotEnvelope) -> StoreResult<()>;
    /// Erasure (issue 14), in one transaction: appends an `Erase` entry
    /// if it follows the head (compare-and-swap, bounds checked against
    /// what is held, as for [`Storage::append_log`]), keeps `snapshot` as
    /// the space's only snapshot ([`check_erase`]), and deletes every
    /// change of the space: they were all sealed under the epochs the
    /// entry ends, and the snapshot holds what they left. Server sequence
    /// numbers and each device's chain go on from where they were. After
    /// the commit the backend scrubs what the deleted rows left behind
    /// (SQLite: its write-ahead log; PostgreSQL: `VACUUM`).
    fn erase(&self, entry: &LogEntry, snapshot: &SnapshotEnvelope) -> StoreResult<Membership>;
    /// Retention, one transaction of at most `limit` changes: deletes
    /// changes that their space's snapshot covers, where that snapshot was
    /// stored at or before `stored_before` (unix seconds), except each
    /// device's newest change in the space. Pulls never serve a change a
    /// snapshot covers (a device behind the snapshot gets the snapshot),
    /// so nothing a device can ask for goes.
    fn prune_batch(&self, stored_before: u64, limit: u32) -> StoreResult<Pruned>;

    /// Retention, all of it, in batches of [`PRUNE_BATCH`].
    fn prune(&self, stored_before: u64) -> StoreResult<Pruned> {
        let mut total = Pruned::default();
        loop {
            let p = self.prune_batch(stored_before, PRUNE_BATCH)?;
            total.changes += p.changes;
            total.bytes += p.bytes;
            if p.changes < u64::from(PRUNE_BATCH) {
                return Ok(total);
            }
        }
    }
    /// Raises a device's acknowledged cursor.
    fn ack(&self, space: &SpaceId, device: &DeviceKey, server_seq: u64) -> StoreResult<()>;
    /// The newest server sequence of a space.
    fn head_seq(&self, space: &SpaceId) -> StoreResult<u64>;
    /// Every space `device` is a current member of (from a table kept
    /// with each log append: one lookup, however many spaces the relay
    /// holds).
    fn spaces_of(&self, device: &DeviceKey) -> StoreResult<Vec<SpaceId>>;

    /// Leaves a message in a mailbox (refused when full).
    fn rendezvous_put(&self, id: &[u8; 16], payload: &[u8], now: u64, ttl: u64) -> StoreResult<()>;
    /// Takes every live message from a mailbox.
    fn rendezvous_take(&self, id: &[u8; 16], now: u64) -> StoreResult<Vec<Vec<u8>>>;

    /// Starts forwarding live hints that other relay instances sharing this
    /// storage publish (their pushes) into `to`. A backend that only one
    /// process uses has nothing to forward.
    fn forward_hints(&self, _to: tokio::sync::broadcast::Sender<kindred_protocol::messages::Hint>) {
    }

    /// Sizes per space, for operators.
    fn usage(&self) -> StoreResult<Vec<(SpaceId, SpaceUsage)>>;
    /// Log head of a space (len and hash).
    fn log_head(&self, space: &SpaceId) -> StoreResult<Option<(u64, Hash)>>;
}

/// What a push does with one envelope, decided alike by every backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Already stored (a retry): acknowledge it again with this sequence.
    Ack(u64),
    /// New and next in line: store it.
    Store,
}

/// Decides one envelope of a push: `stored` is what the backend holds
/// under the envelope's device sequence (its server sequence, and whether
/// it is the same envelope), `stale` whether the membership moved since
/// the caller checked it, `last` the device's last stored sequence.
pub fn decide(
    e: &ChangeEnvelope,
    stored: Option<(u64, bool)>,
    stale: bool,
    epoch: u32,
    last: u64,
) -> StoreResult<Decision> {
    match stored {
        Some((server_seq, true)) => Ok(Decision::Ack(server_seq)),
        Some(_) => Err(StoreError::refused(
            ErrorCode::SequenceConflict,
            "a different envelope was already stored under this sequence number",
        )),
        None if stale || e.epoch != epoch => Err(StoreError::refused(
            ErrorCode::StaleEpoch,
            format!(
                "the space's membership changed: seal under the current epoch {epoch} after pulling"
            ),
        )),
        None if e.seq == last + 1 => Ok(Decision::Store),
        // Sequences are dense and every one up to `last` was stored: this
        // one was, and retention has since folded it into a snapshot. A
        // retry of it (a reply lost long ago) is acknowledged, without a
        // server sequence to give.
        None if e.seq <= last => Ok(Decision::Ack(0)),
        None => Err(StoreError::refused(
            ErrorCode::SequenceGap,
            format!("expected sequence {}, got {}", last + 1, e.seq),
        )),
    }
}

/// What a backend keeps in memory between requests: verified memberships
/// (by space) and tokens it has issued or looked up (a token never changes
/// and is not revoked before it expires). How far a backend may trust a
/// cached membership is its own business: SQLite's single process always
/// may; PostgreSQL checks the log length first.
#[derive(Debug, Default)]
pub struct Caches {
    members: std::sync::Mutex<std::collections::HashMap<SpaceId, Membership>>,
    tokens: std::sync::Mutex<std::collections::HashMap<[u8; 32], (DeviceKey, u64)>>,
}

impl Caches {
    /// Tokens kept before the cache starts again (expired ones go then;
    /// the database still has every live token).
    const MAX_TOKENS: usize = 100_000;

    pub fn membership(&self, space: &SpaceId) -> Option<Membership> {
        self.members
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(space)
            .cloned()
    }

    pub fn remember_membership(&self, m: &Membership) {
        self.members
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(m.space, m.clone());
    }

    pub fn token(&self, hash: &[u8; 32]) -> Option<(DeviceKey, u64)> {
        self.tokens
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(hash)
            .copied()
    }

    pub fn remember_token(&self, hash: &[u8; 32], t: (DeviceKey, u64)) {
        let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        if tokens.len() >= Self::MAX_TOKENS {
            tokens.clear();
        }
        tokens.insert(*hash, t);
    }
}

/// The refusal when the challenge table is full.
pub(crate) fn challenges_full() -> StoreError {
    StoreError::refused(
        kindred_protocol::messages::ErrorCode::RateLimited,
        "this relay is answering too many sign-ins just now; try again in a minute",
    )
}

/// An erasure is stored only with its snapshot ([`Storage::erase`]), never
/// appended alone.
pub fn not_an_erasure(entry: &LogEntry) -> StoreResult<()> {
    if matches!(entry.action, kindred_protocol::Action::Erase { .. }) {
        return Err(StoreError::refused(
            ErrorCode::InvalidEntry,
            "an erasure is stored with its snapshot: POST it to /v1/spaces/{id}/erase",
        ));
    }
    Ok(())
}

/// Checks an erasure's snapshot against its entry and what the relay
/// holds: sealed under the new epoch by the entry's author, for this
/// space, covering every change held (`head`), and naming as included
/// exactly what the entry's bounds name (so no device's chain is cut).
pub fn check_erase(entry: &LogEntry, snapshot: &SnapshotEnvelope, head: u64) -> StoreResult<()> {
    use kindred_protocol::Action;
    let Action::Erase { epoch, bounds, .. } = &entry.action else {
        return Err(StoreError::refused(
            ErrorCode::InvalidEntry,
            "an erasure needs an erase entry",
        ));
    };
    if snapshot.space != entry.space || snapshot.epoch != *epoch || snapshot.device != entry.author
    {
        return Err(StoreError::refused(
            ErrorCode::InvalidEntry,
            "the erasure's snapshot must be sealed under its new key period by the entry's author",
        ));
    }
    if snapshot.covers != head {
        return Err(StoreError::refused(
            ErrorCode::StaleHead,
            "the space has changes the erasure's snapshot leaves out; pull and try again",
        ));
    }
    let named: std::collections::BTreeSet<(DeviceKey, u64, Hash)> =
        bounds.iter().map(|b| (b.device, b.seq, b.head)).collect();
    let heads: std::collections::BTreeSet<(DeviceKey, u64, Hash)> = snapshot
        .heads
        .iter()
        .filter(|h| h.seq > 0)
        .map(|h| (h.device, h.seq, h.head))
        .collect();
    if named != heads {
        return Err(StoreError::refused(
            ErrorCode::InvalidEntry,
            "the erasure's snapshot and its entry name different changes as included",
        ));
    }
    Ok(())
}

/// A device's newest chain position: its newest stored change if any,
/// else (an erasure deleted them) the bound recorded for it when the
/// newest ended epoch ended (`bounds`: ended epoch, sequence, hash).
pub fn newest_or_bound(
    newest: Option<(u64, Hash)>,
    bounds: &[(u32, u64, Hash)],
) -> Option<(u64, Hash)> {
    newest.or_else(|| {
        bounds
            .iter()
            .max_by_key(|(ended, _, _)| *ended)
            .filter(|(_, seq, _)| *seq > 0)
            .map(|(_, seq, head)| (*seq, *head))
    })
}

/// Every device's chain head for an append's bounds check: the newest
/// stored change per device, and for devices with none stored (erased),
/// their newest recorded bound (`bounds`: device, ended epoch, seq, hash).
pub fn heads_with_bounds(
    mut held: Vec<(DeviceKey, u64, Hash)>,
    bounds: &[(DeviceKey, u32, u64, Hash)],
) -> Vec<(DeviceKey, u64, Hash)> {
    let mut latest: std::collections::BTreeMap<DeviceKey, (u32, u64, Hash)> = Default::default();
    for (d, ended, seq, head) in bounds {
        let e = latest.entry(*d).or_insert((*ended, *seq, *head));
        if *ended > e.0 {
            *e = (*ended, *seq, *head);
        }
    }
    for (d, (_, seq, head)) in latest {
        if seq > 0 && !held.iter().any(|(h, _, _)| *h == d) {
            held.push((d, seq, head));
        }
    }
    held
}

/// The bounds rows an entry that ends an epoch writes (issue 13): one per
/// member before the entry, with the sequence and envelope hash the entry
/// names for it (0 when it names none: that member wrote nothing).
/// Nothing for an entry that ends no epoch.
pub fn bound_rows(before: &Membership, entry: &LogEntry) -> Vec<(DeviceKey, u64, Hash)> {
    use kindred_protocol::Action;
    let bounds = match &entry.action {
        Action::RemoveDevice { bounds, .. }
        | Action::Rotate { bounds, .. }
        | Action::Erase { bounds, .. }
        | Action::SetRole { bounds, .. } => bounds,
        _ => return Vec::new(),
    };
    before
        .members
        .keys()
        .map(|d| {
            bounds
                .iter()
                .find(|b| b.device == *d)
                .map_or((*d, 0, Hash([0; 32])), |b| (*d, b.seq, b.head))
        })
        .collect()
}

/// Checks, inside the append's transaction, an entry's bounds against
/// `held`: every member's newest stored change (sequence and hash). Bounds
/// below what is held would let a change the relay holds escape them:
/// `stale_head` (pull and try again). Bounds past what is held, or naming
/// a different change, are refused outright.
pub fn check_entry_bounds(
    before: &Membership,
    entry: &LogEntry,
    held: &[(DeviceKey, u64, Hash)],
) -> StoreResult<()> {
    for (device, seq, head) in bound_rows(before, entry) {
        let (h_seq, h_head) = held
            .iter()
            .find(|(d, _, _)| *d == device)
            .map_or((0, Hash([0; 32])), |(_, s, h)| (*s, *h));
        if seq < h_seq {
            return Err(StoreError::refused(
                ErrorCode::StaleHead,
                "the space has changes this entry's bounds leave out; pull and try again",
            ));
        }
        if seq > h_seq {
            return Err(StoreError::refused(
                ErrorCode::InvalidEntry,
                "the entry's bounds name changes the server does not have",
            ));
        }
        if seq > 0 && head != h_head {
            return Err(StoreError::refused(
                ErrorCode::InvalidEntry,
                "the entry's bounds name a different change than the one the server holds",
            ));
        }
    }
    Ok(())
}

/// Checks, inside the push's transaction, one new envelope against its
/// device's bound for the envelope's epoch (`bound`: `Some` once that
/// epoch has ended; the sequence is 0 if the device wrote nothing then)
/// and against the device's previous stored envelope (`last`: its
/// sequence and hash). Whatever the caller checked before, an envelope
/// past a bound or off its device's chain is never stored.
pub fn check_envelope(
    e: &ChangeEnvelope,
    bound: Option<u64>,
    last: Option<(u64, Hash)>,
) -> StoreResult<()> {
    if let Some(b) = bound
        && e.seq > b
    {
        return Err(StoreError::refused(
            ErrorCode::Forbidden,
            format!(
                "this device's writing under key period {} ended at its change {b}",
                e.epoch
            ),
        ));
    }
    if let Some((seq, hash)) = last
        && e.seq == seq + 1
        && e.prev != hash
    {
        return Err(StoreError::refused(
            ErrorCode::SequenceConflict,
            "the envelope does not follow this device's previous one",
        ));
    }
    Ok(())
}
