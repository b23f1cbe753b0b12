//! Change and snapshot envelopes: sealed automerge bytes, signed by the
//! device that wrote them.
//!
//! The server checks an envelope's signature and the writer's membership
//! without being able to read it. Devices derive a fresh message key per
//! envelope (HKDF-SHA256 over the epoch key, salted by the envelope's
//! random salt, with [`ChangeEnvelope::key_info`] as info), so a nonce is
//! never reused; the associated data ([`ChangeEnvelope::aad`]) binds the
//! ciphertext to its space, epoch, device and sequence number.

use ring::digest::{SHA256, digest};
use serde::{Deserialize, Serialize};

use crate::bounds::{Bound, bounds_bytes};
use crate::bytes::{Bytes, DeviceKey, Hash, Salt, Signature, SpaceId};
use crate::canonical::Canonical;
use crate::error::VerifyError;

/// One or more automerge changes from one device, sealed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeEnvelope {
    pub v: u16,
    pub space: SpaceId,
    pub epoch: u32,
    pub device: DeviceKey,
    /// The device's own counter: 1, 2, 3, ... with no gaps.
    pub seq: u64,
    /// The hash ([`ChangeEnvelope::hash`]) of the same device's envelope
    /// under `seq - 1` in this space (all zero for the first): a chain per
    /// device that readers follow (see `bounds`).
    pub prev: Hash,
    pub salt: Salt,
    pub ciphertext: Bytes,
    pub sig: Signature,
}

impl ChangeEnvelope {
    /// HKDF info for this envelope's message key.
    pub fn key_info(&self) -> Vec<u8> {
        Canonical::new("change-key")
            .bytes(&self.space.0)
            .u32(self.epoch)
            .bytes(&self.device.0)
            .u64(self.seq)
            .finish()
    }

    /// Associated data for the AEAD.
    pub fn aad(&self) -> Vec<u8> {
        Canonical::new("change-aad")
            .u16(self.v)
            .bytes(&self.space.0)
            .u32(self.epoch)
            .bytes(&self.device.0)
            .u64(self.seq)
            .bytes(&self.prev.0)
            .finish()
    }

    /// The bytes the device signs.
    pub fn signing_bytes(&self) -> Vec<u8> {
        Canonical::new("change")
            .u16(self.v)
            .bytes(&self.space.0)
            .u32(self.epoch)
            .bytes(&self.device.0)
            .u64(self.seq)
            .bytes(&self.prev.0)
            .bytes(&self.salt.0)
            .bytes(&self.ciphertext.0)
            .finish()
    }

    /// Checks the device's signature.
    pub fn verify_signature(&self) -> Result<(), VerifyError> {
        crate::verify_ed25519(&self.device, &self.signing_bytes(), &self.sig)
    }

    /// This envelope's hash: SHA-256 of its signed bytes and signature.
    /// The device's next envelope names it as `prev`; removal bounds and
    /// snapshot heads name it too.
    pub fn hash(&self) -> Hash {
        let mut bytes = self.signing_bytes();
        bytes.extend_from_slice(&self.sig.0);
        let d = digest(&SHA256, &bytes);
        let mut out = [0u8; 32];
        out.copy_from_slice(d.as_ref());
        Hash(out)
    }
}

/// A whole document, sealed: lets a new device skip the change history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnapshotEnvelope {
    pub v: u16,
    pub space: SpaceId,
    pub epoch: u32,
    pub device: DeviceKey,
    /// The snapshot holds every change up to this server sequence.
    pub covers: u64,
    /// What it includes, device by device: each device's last sequence
    /// and envelope hash (its chain head) in the document. Readers check
    /// it against the log's bounds and the envelopes that follow.
    pub heads: Vec<Bound>,
    pub salt: Salt,
    pub ciphertext: Bytes,
    pub sig: Signature,
}

impl SnapshotEnvelope {
    /// HKDF info for this snapshot's message key.
    pub fn key_info(&self) -> Vec<u8> {
        Canonical::new("snapshot-key")
            .bytes(&self.space.0)
            .u32(self.epoch)
            .bytes(&self.device.0)
            .u64(self.covers)
            .finish()
    }

    /// Associated data for the AEAD.
    pub fn aad(&self) -> Vec<u8> {
        bounds_bytes(
            Canonical::new("snapshot-aad")
                .u16(self.v)
                .bytes(&self.space.0)
                .u32(self.epoch)
                .bytes(&self.device.0)
                .u64(self.covers),
            &self.heads,
        )
        .finish()
    }

    /// The bytes the device signs.
    pub fn signing_bytes(&self) -> Vec<u8> {
        bounds_bytes(
            Canonical::new("snapshot")
                .u16(self.v)
                .bytes(&self.space.0)
                .u32(self.epoch)
                .bytes(&self.device.0)
                .u64(self.covers),
            &self.heads,
        )
        .bytes(&self.salt.0)
        .bytes(&self.ciphertext.0)
        .finish()
    }

    /// Checks the device's signature.
    pub fn verify_signature(&self) -> Result<(), VerifyError> {
        crate::verify_ed25519(&self.device, &self.signing_bytes(), &self.sig)
    }
}
