//! Device keys and epoch keys.

use hpke::{Deserializable, Kem as _, OpModeR, OpModeS, Serializable};
use kindred_protocol::canonical::Canonical;
use kindred_protocol::{Bytes, DeviceKey, Signature, SpaceId, WrapKey, WrappedKey};
use ring::signature::{Ed25519KeyPair, KeyPair};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::ids::fill_random;

type Kem = hpke::kem::X25519HkdfSha256;
type Kdf = hpke::kdf::HkdfSha256;
type Aead = hpke::aead::ChaCha20Poly1305;

/// HPKE suite id on the wire: X25519-HKDF-SHA256 / HKDF-SHA256 / ChaCha20-Poly1305.
pub(crate) const WRAP_SUITE: u16 = 1;

/// A space's epoch key: 256 random bits.
pub(crate) struct EpochKey(pub Zeroizing<[u8; 32]>);

impl EpochKey {
    pub(crate) fn generate() -> Result<EpochKey> {
        let mut k = Zeroizing::new([0u8; 32]);
        fill_random(k.as_mut())?;
        Ok(EpochKey(k))
    }

    pub(crate) fn from_slice(s: &[u8]) -> Option<EpochKey> {
        let arr: [u8; 32] = s.try_into().ok()?;
        Some(EpochKey(Zeroizing::new(arr)))
    }
}

impl std::fmt::Debug for EpochKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EpochKey(..)")
    }
}

/// The device's signing and wrapping keys.
pub(crate) struct DeviceKeys {
    signing: Ed25519KeyPair,
    wrap_secret: <Kem as hpke::Kem>::PrivateKey,
    wrap_public: <Kem as hpke::Kem>::PublicKey,
    /// Wrapping keys this device replaced (newest last): an epoch key
    /// wrapped before a space learnt of the new one still opens.
    retired: Vec<<Kem as hpke::Kem>::PrivateKey>,
}

impl std::fmt::Debug for DeviceKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceKeys")
            .field("device", &self.device_key())
            .finish_non_exhaustive()
    }
}

fn damaged_key() -> Error {
    Error::Damaged {
        space: "device".into(),
        what: "a device key could not be read".into(),
    }
}

impl DeviceKeys {
    /// A fresh X25519 wrapping seed (the private key is derived from it).
    pub(crate) fn new_wrap_seed() -> Result<Zeroizing<Vec<u8>>> {
        let mut seed = Zeroizing::new(vec![0u8; 32]);
        fill_random(&mut seed)?;
        Ok(seed)
    }

    /// Loads keys from the sealed PKCS#8 signing key and the wrapping seed.
    pub(crate) fn load(signing_pkcs8: &[u8], wrap_seed: &[u8]) -> Result<DeviceKeys> {
        let signing = Ed25519KeyPair::from_pkcs8(signing_pkcs8).map_err(|_| damaged_key())?;
        if wrap_seed.len() != 32 {
            return Err(damaged_key());
        }
        let (wrap_secret, wrap_public) = Kem::derive_keypair(wrap_seed);
        Ok(DeviceKeys {
            signing,
            wrap_secret,
            wrap_public,
            retired: Vec::new(),
        })
    }

    /// Keys made from two 32-byte seeds (a recovery kit's, derived from
    /// its secret): the same seeds always give the same keys.
    pub(crate) fn from_seeds(signing_seed: &[u8; 32], wrap_seed: &[u8; 32]) -> Result<DeviceKeys> {
        let signing =
            Ed25519KeyPair::from_seed_unchecked(signing_seed).map_err(|_| damaged_key())?;
        let (wrap_secret, wrap_public) = Kem::derive_keypair(wrap_seed);
        Ok(DeviceKeys {
            signing,
            wrap_secret,
            wrap_public,
            retired: Vec::new(),
        })
    }

    /// Keeps the wrapping keys from `seeds` (32 bytes each, oldest first)
    /// for opening epoch keys wrapped to them.
    pub(crate) fn with_retired(mut self, seeds: &[u8]) -> Result<DeviceKeys> {
        if !seeds.len().is_multiple_of(32) {
            return Err(damaged_key());
        }
        self.retired = seeds
            .chunks(32)
            .map(|seed| Kem::derive_keypair(seed).0)
            .collect();
        Ok(self)
    }

    /// This device's identity on the wire.
    pub(crate) fn device_key(&self) -> DeviceKey {
        let mut k = [0u8; 32];
        k.copy_from_slice(self.signing.public_key().as_ref());
        DeviceKey(k)
    }

    /// This device's wrapping public key.
    pub(crate) fn wrap_key(&self) -> WrapKey {
        let mut k = [0u8; 32];
        k.copy_from_slice(&self.wrap_public.to_bytes());
        WrapKey(k)
    }

    /// Signs canonical bytes.
    pub(crate) fn sign(&self, msg: &[u8]) -> Signature {
        let mut s = [0u8; 64];
        s.copy_from_slice(self.signing.sign(msg).as_ref());
        Signature(s)
    }

    /// Opens an epoch key wrapped for this device.
    pub(crate) fn unwrap(
        &self,
        space: &SpaceId,
        epoch: u32,
        wrapped: &WrappedKey,
    ) -> Result<EpochKey> {
        let me = self.device_key();
        unwrap_epoch_key(&self.wrap_secret, &me, space, epoch, wrapped).or_else(|e| {
            self.retired
                .iter()
                .rev()
                .find_map(|old| unwrap_epoch_key(old, &me, space, epoch, wrapped).ok())
                .ok_or(e)
        })
    }
}

fn wrap_info(space: &SpaceId, epoch: u32, recipient: &DeviceKey) -> Vec<u8> {
    Canonical::new("wrap-epoch-key")
        .bytes(&space.0)
        .u32(epoch)
        .bytes(&recipient.0)
        .finish()
}

/// Wraps an epoch key for a device's wrapping key (HPKE base mode).
pub(crate) fn wrap_epoch_key(
    key: &EpochKey,
    space: &SpaceId,
    epoch: u32,
    recipient: &DeviceKey,
    recipient_wrap: &WrapKey,
) -> Result<WrappedKey> {
    let pk =
        <Kem as hpke::Kem>::PublicKey::from_bytes(&recipient_wrap.0).map_err(|_| Error::Sync {
            what: "a device's wrapping key is not valid",
        })?;
    let info = wrap_info(space, epoch, recipient);
    let (enc, ct) =
        hpke::single_shot_seal::<Aead, Kdf, Kem>(&OpModeS::Base, &pk, &info, key.0.as_ref(), &[])
            .map_err(|_| Error::Random)?;
    Ok(WrappedKey {
        suite: WRAP_SUITE,
        enc: Bytes(enc.to_bytes().to_vec()),
        ciphertext: Bytes(ct),
    })
}

/// Opens an epoch key wrapped for `me`.
pub(crate) fn unwrap_epoch_key(
    secret: &<Kem as hpke::Kem>::PrivateKey,
    me: &DeviceKey,
    space: &SpaceId,
    epoch: u32,
    wrapped: &WrappedKey,
) -> Result<EpochKey> {
    let bad = || Error::Sync {
        what: "an epoch key wrapped for this device did not open",
    };
    if wrapped.suite != WRAP_SUITE {
        return Err(bad());
    }
    let enc = <Kem as hpke::Kem>::EncappedKey::from_bytes(&wrapped.enc.0).map_err(|_| bad())?;
    let info = wrap_info(space, epoch, me);
    let pt = Zeroizing::new(
        hpke::single_shot_open::<Aead, Kdf, Kem>(
            &OpModeR::Base,
            secret,
            &enc,
            &info,
            &wrapped.ciphertext.0,
            &[],
        )
        .map_err(|_| bad())?,
    );
    EpochKey::from_slice(&pt).ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device() -> DeviceKeys {
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new()).unwrap();
        DeviceKeys::load(pkcs8.as_ref(), &DeviceKeys::new_wrap_seed().unwrap()).unwrap()
    }

    #[test]
    fn wrapped_keys_open_only_for_their_device_space_and_epoch() {
        let (a, b) = (device(), device());
        let space = SpaceId([1; 16]);
        let key = EpochKey::generate().unwrap();
        let w = wrap_epoch_key(&key, &space, 3, &a.device_key(), &a.wrap_key()).unwrap();
        assert_eq!(*a.unwrap(&space, 3, &w).unwrap().0, *key.0);
        assert!(b.unwrap(&space, 3, &w).is_err());
        assert!(a.unwrap(&space, 4, &w).is_err());
        assert!(a.unwrap(&SpaceId([2; 16]), 3, &w).is_err());
        let mut bad = w.clone();
        bad.ciphertext.0[0] ^= 1;
        assert!(a.unwrap(&space, 3, &bad).is_err());
    }

    #[test]
    fn loading_the_same_seed_gives_the_same_keys() {
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new()).unwrap();
        let seed = DeviceKeys::new_wrap_seed().unwrap();
        let a = DeviceKeys::load(pkcs8.as_ref(), &seed).unwrap();
        let b = DeviceKeys::load(pkcs8.as_ref(), &seed).unwrap();
        assert_eq!(a.device_key(), b.device_key());
        assert_eq!(a.wrap_key(), b.wrap_key());
        assert!(DeviceKeys::load(b"junk", &seed).is_err());
        assert!(DeviceKeys::load(pkcs8.as_ref(), &seed[..31]).is_err());
    }
}
