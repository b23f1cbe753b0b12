//! Per-space sync state (sealed in the store) and the status shown to a person.

use kindred_protocol::{Bound, DeviceKey, Hash};
use serde::{Deserialize, Serialize};

/// What a device remembers about syncing one space.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct SyncState {
    /// The space exists on the relay; local edits go to the outbox.
    pub created: bool,
    /// The relay has the snapshot of everything from before `created`.
    pub seeded: bool,
    /// Changes applied up to this server sequence.
    pub cursor: u64,
    /// The cursor last acknowledged to the relay (None: never, so even a
    /// space with no changes yet tells the others we are here).
    #[serde(default)]
    pub acked: Option<u64>,
    /// Membership log entries verified and stored.
    pub log_len: u64,
    /// The current epoch.
    pub epoch: u32,
    /// The next device sequence number to use.
    pub next_device_seq: u64,
    /// The newest server sequence of this device's acknowledged changes.
    pub my_latest: u64,
    /// Changes applied or pushed since the last snapshot upload.
    pub since_snapshot: u64,
    pub last_push_at: Option<String>,
    pub last_pull_at: Option<String>,
    pub last_error: Option<String>,
    /// Other members and how far they have acknowledged.
    pub peers: Vec<Peer>,
    /// This device was removed from the space.
    pub removed: bool,
    /// ... and keeps its copy locked instead of wiping it (removed
    /// without being called lost: `sync::removal`).
    #[serde(default)]
    pub locked: bool,
    /// The relay refused this device's pending changes for good (this
    /// device may only read here) when the membership log had this many
    /// entries: they are kept here, set aside, and offered again once the
    /// log moves on (a role change, say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set_aside_at_log: Option<u64>,
    /// For a space joined by pairing or an invite, until its first sync
    /// has verified the log: what the inviting device saw.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<JoinPin>,
    /// The highest device sequence this device has offered the relay (in
    /// a push that may have arrived). None (a store from before issue 13):
    /// every sequence sealed so far. An acknowledgement saying "stored long
    /// ago" for a sequence above it cannot be true of this store: it was
    /// restored from a backup (see `push`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offered_upto: Option<u64>,
    /// This store was found behind what the device already sent (restored
    /// from a backup): the space stops syncing here for good, so a later
    /// pass cannot take an acknowledgement that drops its unsent changes.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub restored: bool,
    /// Every device's chain head as this device holds it (the last
    /// sequence and envelope hash merged or included by a snapshot; this
    /// device's own: the last acknowledged), as hex: device, seq, hash.
    /// Removal bounds and snapshot heads are made from it; envelopes are
    /// checked against it.
    #[serde(default)]
    pub chain_heads: Vec<(String, u64, String)>,
    /// The hash of this device's last sealed envelope (the next one's
    /// `prev`), as hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_sealed: Option<String>,
    /// The epoch this device's copy of the document started afresh in
    /// (0 or 1: the genesis). Below the log's `base_epoch`, the space was
    /// erased elsewhere and this copy must start again from the relay's
    /// fresh snapshot (`rebase.rs`).
    #[serde(default)]
    pub base_epoch: u32,
    /// An erasure asked for on this device and not yet made on the relay
    /// (it was out of reach): made on the next sync.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub erase_pending: Option<ErasureNote>,
    /// Words for the person about the last fresh start (edits that could
    /// not be kept), until they are shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
}

/// What an erasure took, as its log entry records it (sealed): when it
/// was asked for, how many records of which kind, and why. Never what
/// they said.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasureNote {
    /// When it was asked for (RFC 3339).
    pub at: String,
    /// Records erased, by kind ("check-in", "goal", "contact", ...).
    pub kinds: std::collections::BTreeMap<String, u64>,
    /// Why: "asked" (the person asked), "retention" (a retention rule
    /// ended a signed note's keeping), "fresh-start" (a member was added
    /// and must not see the history).
    pub reason: String,
}

impl ErasureNote {
    /// Adds another erasure asked for before this one was made.
    pub(crate) fn merge(&mut self, other: ErasureNote) {
        for (k, n) in other.kinds {
            *self.kinds.entry(k).or_default() += n;
        }
        if self.reason.is_empty() || other.reason == "retention" {
            self.reason = other.reason;
        }
        self.at = other.at;
    }
}

impl SyncState {
    /// See [`SyncState::offered_upto`].
    pub(crate) fn offered(&self) -> u64 {
        self.offered_upto
            .unwrap_or(self.next_device_seq.saturating_sub(1))
    }

    /// Every chain head held.
    pub(crate) fn heads(&self) -> Vec<Bound> {
        self.chain_heads
            .iter()
            .filter_map(|(d, seq, h)| {
                Some(Bound {
                    device: DeviceKey::from_hex(d)?,
                    seq: *seq,
                    head: Hash::from_hex(h)?,
                })
            })
            .collect()
    }

    /// The head held for `device`.
    pub(crate) fn head_of(&self, device: &DeviceKey) -> Option<(u64, Hash)> {
        let d = device.to_hex();
        self.chain_heads
            .iter()
            .find(|(x, _, _)| *x == d)
            .and_then(|(_, seq, h)| Some((*seq, Hash::from_hex(h)?)))
    }

    /// Moves `device`'s head on to `seq` (never back).
    pub(crate) fn raise_head(&mut self, device: DeviceKey, seq: u64, head: Hash) {
        let d = device.to_hex();
        match self.chain_heads.iter_mut().find(|(x, _, _)| *x == d) {
            Some(b) if b.1 < seq => {
                b.1 = seq;
                b.2 = head.to_hex();
            }
            Some(_) => {}
            None => self.chain_heads.push((d, seq, head.to_hex())),
        }
    }

    /// The hash of this device's last sealed envelope (zero before the first).
    pub(crate) fn my_prev(&self) -> Hash {
        self.last_sealed
            .as_deref()
            .and_then(Hash::from_hex)
            .unwrap_or(Hash([0; 32]))
    }

    pub(crate) fn set_my_prev(&mut self, h: Hash) {
        self.last_sealed = Some(h.to_hex());
    }
}

/// The log head a joining device was given, and who gave it: its first
/// sync must serve a log that holds this head at this length, with this
/// device's own `AddDevice` signed by `by`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct JoinPin {
    pub len: u64,
    #[serde(with = "hex_of")]
    pub head: kindred_protocol::Hash,
    #[serde(with = "hex_of")]
    pub by: kindred_protocol::DeviceKey,
}

/// The protocol's fixed-size values as hex in this JSON blob.
mod hex_of {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub(crate) trait Hex: Sized {
        fn to_hex(&self) -> String;
        fn from_hex(s: &str) -> Option<Self>;
    }
    impl Hex for kindred_protocol::Hash {
        fn to_hex(&self) -> String {
            kindred_protocol::Hash::to_hex(self)
        }
        fn from_hex(s: &str) -> Option<Self> {
            kindred_protocol::Hash::from_hex(s)
        }
    }
    impl Hex for kindred_protocol::DeviceKey {
        fn to_hex(&self) -> String {
            kindred_protocol::DeviceKey::to_hex(self)
        }
        fn from_hex(s: &str) -> Option<Self> {
            kindred_protocol::DeviceKey::from_hex(s)
        }
    }

    pub(crate) fn serialize<T: Hex, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.to_hex())
    }

    pub(crate) fn deserialize<'de, T: Hex, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
        let s = String::deserialize(d)?;
        T::from_hex(&s).ok_or_else(|| D::Error::custom("not hex of the right length"))
    }
}

/// Another device of the space.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct Peer {
    pub device: String,
    pub label: String,
    pub cursor: u64,
}

/// Whether another device has everything this one wrote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SeenBy {
    /// The other device's name, as it chose it.
    pub device: String,
    /// Its key fingerprint (first 16 hex digits).
    pub fingerprint: String,
    /// It has acknowledged this device's latest synced change.
    pub up_to_date: bool,
}

/// A space's sync status, for a person to read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SyncStatus {
    pub space: String,
    pub kind: String,
    /// The space exists on the relay.
    pub on_server: bool,
    /// Changes made here that the relay has not acknowledged yet.
    pub pending: u64,
    pub last_push_at: Option<String>,
    pub last_pull_at: Option<String>,
    pub last_error: Option<String>,
    /// Envelopes that failed their checks and were set aside.
    pub quarantined: u64,
    /// Verified changes waiting for a change they build on.
    pub waiting: u64,
    /// Changes made here that the relay refused for good (this device may
    /// only read here); kept on this device, not counted as pending.
    pub refused: u64,
    pub seen_by: Vec<SeenBy>,
    /// This device was removed from the space.
    pub removed: bool,
}
