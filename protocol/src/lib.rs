//! Kindred's sync protocol, version 1: the types that travel between
//! devices and the relay, the canonical bytes that are signed, and the
//! checks both sides run. No I/O: the server and the core both depend on
//! this crate, and neither can drift from the other.
//!
//! - [`bytes`]: fixed-size ids, keys, hashes and signatures;
//! - [`canonical`]: domain-separated bytes for everything signed;
//! - [`log`]: the membership log and its verification;
//! - [`envelope`]: change and snapshot envelopes;
//! - [`bounds`]: removal bounds, per-device chains, key confirmation;
//! - [`messages`]: HTTP request and response bodies;
//! - [`codec`]: strict CBOR decoding;
//! - [`limits`]: every size and count limit;
//! - [`origin`]: a relay's canonical origin, which sign-ins are bound to.
//!
//! docs/protocol.md describes the protocol in prose.

pub mod bounds;
pub mod bytes;
pub mod canonical;
pub mod codec;
pub mod envelope;
pub mod error;
pub mod invite;
pub mod invite_pake;
pub mod limits;
pub mod log;
pub mod messages;
pub mod origin;
pub mod pairing;

pub use bounds::{
    Bound, ChainBreak, ChainStep, WriteRefused, chain_step, key_confirmation, key_confirms,
};
pub use bytes::{Bytes, DeviceKey, Hash, Salt, Signature, SpaceId, WrapKey};
pub use codec::{Message, decode, encode};
pub use envelope::{ChangeEnvelope, SnapshotEnvelope};
pub use error::{DecodeError, VerifyError};
pub use log::{
    Action, KeyFor, LogEntry, Member, Membership, PendingRemoval, Removal, RemovedBy, Role,
    SPACE_NONCE_LEN, WrappedKey, space_id_for,
};

/// The protocol version this crate speaks.
///
/// Version 2 (issue 13): space ids are derived from the genesis
/// ([`log::space_id_for`]), the pairing reply and the invite welcome pin
/// the log head the inviting device saw, and pairing shows a code both
/// people compare ([`pairing::pair_code`]). Version 1 is refused.
pub const PROTOCOL_VERSION: u16 = 2;

/// Verifies an Ed25519 signature by `key` over `msg`.
pub fn verify_ed25519(key: &DeviceKey, msg: &[u8], sig: &Signature) -> Result<(), VerifyError> {
    ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, &key.0)
        .verify(msg, &sig.0)
        .map_err(|_| VerifyError::BadSignature)
}
