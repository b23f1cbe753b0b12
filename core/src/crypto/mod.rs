//! The device's keys and the sync constructions (docs/crypto.md §5-7).
//!
//! - Device identity: Ed25519 (ring). Its public key is the device's name
//!   on the wire (`DeviceKey`).
//! - Key wrapping: HPKE base mode, DHKEM(X25519, HKDF-SHA256),
//!   HKDF-SHA256, ChaCha20-Poly1305 (the `hpke` crate; ring has no static
//!   X25519 keys). The info string binds space, epoch and recipient.
//! - Envelopes: a one-time ChaCha20-Poly1305 key per envelope from
//!   HKDF-SHA256 (ring) over the epoch key with the envelope's random salt.

mod envelope;
mod keys;
mod label;
mod note;

pub(crate) use envelope::{open_change, open_snapshot, seal_change, seal_snapshot};
pub(crate) use keys::{DeviceKeys, EpochKey, wrap_epoch_key};
pub(crate) use label::{open_label, seal_label};
pub(crate) use note::{open_note, seal_note};
