//! Request and response bodies of the HTTP API (see docs/protocol.md).

use serde::{Deserialize, Serialize};

use crate::bytes::{Bytes, DeviceKey, Hash, Salt, Signature, SpaceId};
use crate::canonical::Canonical;
use crate::envelope::{ChangeEnvelope, SnapshotEnvelope};
use crate::log::LogEntry;

/// `POST /v1/auth/challenge`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChallengeRequest {
    pub v: u16,
    pub device: DeviceKey,
}

/// A one-time nonce to sign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Challenge {
    pub v: u16,
    pub nonce: Salt,
    pub expires_in_secs: u64,
}

/// `POST /v1/auth/token`: the challenge signed by the device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    pub v: u16,
    pub device: DeviceKey,
    pub nonce: Salt,
    /// The relay's canonical origin as the device knows it
    /// ([`crate::origin`]); covered by `sig`, so a sign-in made for one
    /// relay is refused by every other.
    pub origin: String,
    pub sig: Signature,
}

impl TokenRequest {
    /// The bytes a device signs to prove it holds its key, to the relay at
    /// `origin` (canonical, see [`crate::origin::canonical_origin`]).
    pub fn signing_bytes(device: &DeviceKey, nonce: &Salt, origin: &str) -> Vec<u8> {
        Canonical::new("auth-origin")
            .bytes(&device.0)
            .bytes(&nonce.0)
            .bytes(origin.as_bytes())
            .finish()
    }
}

/// A short-lived bearer token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Token {
    pub v: u16,
    pub token: String,
    pub expires_in_secs: u64,
}

/// `POST /v1/spaces`: create a space with its genesis entry.
/// `POST /v1/spaces/{id}/log`: append an entry (compare-and-swap on `prev`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppendLog {
    pub v: u16,
    pub entry: LogEntry,
}

/// The log's head after an append.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogHead {
    pub v: u16,
    pub len: u64,
    pub head: Hash,
}

/// `POST /v1/spaces/{id}/changes`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Push {
    pub v: u16,
    pub envelopes: Vec<ChangeEnvelope>,
}

/// The server stored the envelope with device sequence `device_seq` at
/// server sequence `server_seq`. A retry of an acknowledged envelope
/// returns the same acknowledgement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ack {
    pub device_seq: u64,
    pub server_seq: u64,
}

/// Acknowledgements of a push, in the order of its envelopes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushResult {
    pub v: u16,
    pub acks: Vec<Ack>,
}

/// One stored change, as pulled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredChange {
    pub server_seq: u64,
    pub envelope: ChangeEnvelope,
}

/// How far one device has acknowledged (for "seen by your tablet").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceCursor {
    pub device: DeviceKey,
    pub server_seq: u64,
}

/// `GET /v1/spaces`: the spaces the asking device is a current member of
/// (so a device learns of a shared space another of its person's devices
/// added it to).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpaceList {
    pub v: u16,
    pub spaces: Vec<SpaceId>,
}

/// `GET /v1/spaces/{id}/log?after=L`: the membership log from position
/// `L` on. Open to current members and to removed devices, so a removed
/// device can verify its own removal before it wipes anything.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogPage {
    pub v: u16,
    pub entries: Vec<LogEntry>,
}

/// `GET /v1/spaces/{id}/pull?after=N&log_after=L`: one page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PullPage {
    pub v: u16,
    /// Log entries from position `log_after` on.
    pub log: Vec<LogEntry>,
    /// The newest snapshot covering more than `after`, when it saves work.
    pub snapshot: Option<SnapshotEnvelope>,
    /// Changes after `after` (or after the snapshot), in server order.
    pub changes: Vec<StoredChange>,
    /// The server sequence of the newest change in the space.
    pub head_seq: u64,
    /// True if more changes follow this page.
    pub more: bool,
    /// Every member's acknowledged cursor.
    pub cursors: Vec<DeviceCursor>,
}

/// `PUT /v1/spaces/{id}/snapshot`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PutSnapshot {
    pub v: u16,
    pub snapshot: SnapshotEnvelope,
}

/// `POST /v1/spaces/{id}/erase`: an `Erase` entry and the history-free
/// snapshot the new epoch starts from, stored together (compare-and-swap
/// on the log head, as for an append) in one transaction that also
/// deletes every change and snapshot of the earlier epochs. The snapshot
/// is sealed under the entry's new epoch by the entry's author and covers
/// every change the relay holds (its `covers` is the space's head).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EraseSpace {
    pub v: u16,
    pub entry: LogEntry,
    pub snapshot: SnapshotEnvelope,
}

/// `POST /v1/spaces/{id}/exchange` (issue 17): one round trip for a
/// device in step with the log. The relay stores `envelopes` (as a push),
/// records that the device applied everything up to `after` (as an ack),
/// then answers the page after `after` and `log_after` (as a pull, its own
/// new envelopes included). A refusal of the push answers nothing else.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exchange {
    pub v: u16,
    pub envelopes: Vec<ChangeEnvelope>,
    pub after: u64,
    pub log_after: u64,
    pub limit: u32,
}

/// The answer to an [`Exchange`]: the push's acknowledgements and the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExchangeResult {
    pub v: u16,
    pub acks: Vec<Ack>,
    pub page: PullPage,
}

/// `POST /v1/spaces/{id}/ack`: the device has applied everything up to `server_seq`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AckCursor {
    pub v: u16,
    pub server_seq: u64,
}

/// `POST /v1/rendezvous/{id}`: leave a small message in a mailbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RendezvousPost {
    pub v: u16,
    pub payload: Bytes,
}

/// `GET /v1/rendezvous/{id}`: the messages waiting (taken on read).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RendezvousMessages {
    pub v: u16,
    pub messages: Vec<Bytes>,
}

/// WebSocket hint: space `space` has changes up to `seq`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hint {
    pub v: u16,
    pub space: SpaceId,
    pub seq: u64,
}

/// Why the server refused a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Malformed,
    UnsupportedVersion,
    TooLarge,
    Unauthenticated,
    TokenExpired,
    Forbidden,
    NotFound,
    BadSignature,
    NotMember,
    Removed,
    SequenceGap,
    SequenceConflict,
    StaleHead,
    /// The space moved to a new epoch (or its membership changed) since
    /// the envelopes were sealed: pull, re-seal and push again.
    StaleEpoch,
    InvalidEntry,
    SpaceExists,
    RateLimited,
    MailboxFull,
    /// A removal of one of the person's own devices came before its
    /// wait was over (or a request named a shorter wait than the relay's).
    WaitNotOver,
    Internal,
}

/// The body of every error response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorBody {
    pub v: u16,
    pub code: ErrorCode,
    pub message: String,
}
