//! The sync engine: pushes this device's changes to the relay and pulls
//! everyone else's, end to end encrypted (docs/protocol.md).
//!
//! Promises, and where they are kept:
//! - nothing is lost: the outbox is written in the same transaction as the
//!   edit (`Kindred::edit`); an envelope is sealed and stored in `sent`
//!   before it is sent, so a retry after a crash resends the same bytes and
//!   the server's idempotent ack clears it;
//! - no false "synced": a change counts as pending until the server's ack
//!   is recorded; "seen by" uses the other devices' acknowledged cursors;
//! - nothing unverified is applied: the membership log is verified entry by
//!   entry, every envelope's signature and sender are checked before it is
//!   decrypted; an envelope that fails is quarantined (kept, reported) and
//!   the rest of the page still applies;
//! - the cursor advances in the same local transaction as the changes it
//!   covers, so a crash mid-pull re-pulls rather than skips.

mod access;
mod address;
#[cfg(feature = "test-hooks")]
mod attack;
mod engine;
mod exchange;
mod http;
mod invite;
mod invite_join;
mod invite_words;
mod live;
pub(crate) mod membership;
pub(crate) mod pairing;
mod pin;
pub(crate) mod pull;
mod push;
mod rebase;
mod removal;
mod settings;
mod state;
mod transport;
mod wrap_key;

pub(crate) use engine::space_id as space_hex_id;
pub(crate) use engine::{sign_in, transport_error};
pub(crate) use rebase::kept_notes_name;
pub(crate) use state::{JoinPin, SyncState};

pub use access::{CoreAccess, SharedKindred};
pub use address::{RelayAddressError, check_relay_url};
pub use engine::{PullProgress, SpaceFailure, SpaceSync, SyncReport};
pub use http::{HttpTransport, install_provider as install_tls_provider};
pub use invite::{CLOCK_SLACK_SECS, INVITE_TTL_SECS, Invite, JoinedShare};
pub use invite_join::JoinInvite;
pub use invite_words::{parse_role, role_change_in_words, role_in_words};
pub use kindred_protocol::Role;
pub use kindred_protocol::invite_pake::{SAS_BITS, Sas};
pub use kindred_protocol::pairing::PairCode;
pub use live::{LiveEvent, LiveHints};
pub(crate) use pairing::PendingPair;
pub use pairing::{AcceptOutcome, PairRequest, PairedDevice, offer_server, parse_offer};
pub use removal::{
    DEFAULT_REMOVAL_WAIT, LockedCopy, PendingRemovalInfo, RemovalRecord, RemovedDevice,
};
pub use settings::DeviceInfo;
pub use state::{ErasureNote, SeenBy, SyncStatus};
pub use transport::{Transport, TransportError};
pub use wrap_key::RotatedWrapKey;

/// The sync state of a space joined by pairing: it exists on the relay,
/// and everything is still to pull.
pub(crate) fn joined_state(pin: state::JoinPin) -> state::SyncState {
    state::SyncState {
        created: true,
        seeded: true,
        next_device_seq: 1,
        pin: Some(pin),
        ..Default::default()
    }
}

/// The fuzz harness: the plaintext decoders of sealed local blobs (sync
/// state, device record, space descriptor) run on arbitrary bytes.
#[cfg(any(test, feature = "test-hooks"))]
pub(crate) fn fuzz_plaintext(data: &[u8]) {
    let _ = serde_json::from_slice::<state::SyncState>(data);
    let _ = serde_json::from_slice::<crate::kindred::Device>(data);
    let _ = serde_json::from_slice::<crate::kindred::SpaceDescriptor>(data);
}

/// A bearer token and when it stops working.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub token: String,
    pub until: std::time::Instant,
}
