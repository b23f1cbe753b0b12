//! Change and snapshot envelopes: sealed automerge bytes, signed by the
//! device that wrote them.
//!
//! The server checks an envelope's signature and the writer's membership
//! without being able to read it. Devices derive a fresh message key per
//! envelope (HKDF-SHA256 over the epoch key, salted by the envelope's
//! random salt, with [`ChangeEnvelope::key_info`] as info), so a nonce is
//! never reused; the associated data ([`ChangeEnvelope::aad`]) binds the
//! ciphertext to its space, epoch, device and sequence number.

use serde::{Deserialize, Serialize};

use crate::bytes::{Bytes, DeviceKey, Salt, Signature, SpaceId};
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
            .bytes(&self.salt.0)
            .bytes(&self.ciphertext.0)
            .finish()
    }

    /// Checks the device's signature.
    pub fn verify_signature(&self) -> Result<(), VerifyError> {
        crate::verify_ed25519(&self.device, &self.signing_bytes(), &self.sig)
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
        Canonical::new("snapshot-aad")
            .u16(self.v)
            .bytes(&self.space.0)
            .u32(self.epoch)
            .bytes(&self.device.0)
            .u64(self.covers)
            .finish()
    }

    /// The bytes the device signs.
    pub fn signing_bytes(&self) -> Vec<u8> {
        Canonical::new("snapshot")
            .u16(self.v)
            .bytes(&self.space.0)
            .u32(self.epoch)
            .bytes(&self.device.0)
            .u64(self.covers)
            .bytes(&self.salt.0)
            .bytes(&self.ciphertext.0)
            .finish()
    }

    /// Checks the device's signature.
    pub fn verify_signature(&self) -> Result<(), VerifyError> {
        crate::verify_ed25519(&self.device, &self.signing_bytes(), &self.sig)
    }
}
