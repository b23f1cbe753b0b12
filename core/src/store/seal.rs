//! Sealing of every blob the store writes.
//!
//! Construction (see docs/crypto.md): ChaCha20-Poly1305 from ring under the
//! 256-bit storage key the platform supplies, a fresh random 96-bit nonce
//! per blob, and associated data naming the table and the row the blob
//! belongs to. A blob moved to another row, or another table, fails to open.
//! Layout: `version (1) || nonce (12) || ciphertext || tag (16)`.

use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::ids::fill_random;

const SEAL_VERSION: u8 = 1;
const AD_PREFIX: &[u8] = b"kindred/store/v1";

/// The 256-bit key that seals the local store. Zeroed when dropped; its
/// `Debug` shows nothing.
pub struct StorageKey(Zeroizing<[u8; 32]>);

impl StorageKey {
    /// Wraps 32 key bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> StorageKey {
        StorageKey(Zeroizing::new(bytes))
    }

    /// A fresh random key.
    pub fn generate() -> Result<StorageKey> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        fill_random(bytes.as_mut())?;
        Ok(StorageKey(bytes))
    }

    /// The key bytes, for a provider that must store them.
    pub fn expose(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::fmt::Debug for StorageKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StorageKey(..)")
    }
}

/// Supplies the storage key: Android Keystore, iOS Keychain, or the CLI's
/// key file or passphrase. Called once when a store opens.
pub trait KeyProvider {
    /// The key, or a message saying why it is not available (never the key).
    fn storage_key(&self) -> std::result::Result<StorageKey, String>;
}

impl KeyProvider for StorageKey {
    fn storage_key(&self) -> std::result::Result<StorageKey, String> {
        Ok(StorageKey::from_bytes(*self.expose()))
    }
}

/// Why a blob would not open. Callers turn it into [`Error::Damaged`] or
/// [`Error::WrongKey`], which name the space or the store.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum OpenError {
    /// Too short to hold a nonce and a tag.
    Truncated,
    /// A layout version this build does not know.
    UnknownVersion,
    /// The tag did not verify: wrong key, altered bytes or wrong row.
    Unauthentic,
}

impl OpenError {
    pub(crate) fn describe(&self) -> &'static str {
        match self {
            OpenError::Truncated => "a sealed record is cut short",
            OpenError::UnknownVersion => "a sealed record has an unknown format",
            OpenError::Unauthentic => "a sealed record failed its integrity check",
        }
    }
}

/// Seals and opens blobs under one storage key.
pub(crate) struct Sealer {
    key: LessSafeKey,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(..)")
    }
}

/// Where a blob lives: its table and the row's key.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Place<'a> {
    pub table: &'a str,
    pub row: &'a str,
}

fn associated_data(place: Place<'_>) -> Vec<u8> {
    let mut ad = Vec::with_capacity(AD_PREFIX.len() + place.table.len() + place.row.len() + 2);
    ad.extend_from_slice(AD_PREFIX);
    ad.push(0);
    ad.extend_from_slice(place.table.as_bytes());
    ad.push(0);
    ad.extend_from_slice(place.row.as_bytes());
    ad
}

impl Sealer {
    pub(crate) fn new(key: &StorageKey) -> Sealer {
        let unbound = UnboundKey::new(&CHACHA20_POLY1305, key.expose())
            .expect("a 32-byte key is the right length for ChaCha20-Poly1305");
        Sealer {
            key: LessSafeKey::new(unbound),
        }
    }

    /// Seals `plaintext` for the row at `place`.
    pub(crate) fn seal(&self, place: Place<'_>, plaintext: &[u8]) -> Result<Vec<u8>> {
        let mut nonce = [0u8; NONCE_LEN];
        fill_random(&mut nonce)?;
        let mut out = Vec::with_capacity(1 + NONCE_LEN + plaintext.len() + 16);
        out.push(SEAL_VERSION);
        out.extend_from_slice(&nonce);
        let mut body = plaintext.to_vec();
        self.key
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(associated_data(place)),
                &mut body,
            )
            .map_err(|_| Error::Random)?;
        out.extend_from_slice(&body);
        Ok(out)
    }

    /// Opens a blob sealed for the row at `place`.
    pub(crate) fn open(
        &self,
        place: Place<'_>,
        sealed: &[u8],
    ) -> std::result::Result<Zeroizing<Vec<u8>>, OpenError> {
        if sealed.len() < 1 + NONCE_LEN + 16 {
            return Err(OpenError::Truncated);
        }
        if sealed[0] != SEAL_VERSION {
            return Err(OpenError::UnknownVersion);
        }
        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(&sealed[1..1 + NONCE_LEN]);
        let mut body = Zeroizing::new(sealed[1 + NONCE_LEN..].to_vec());
        let len = self
            .key
            .open_in_place(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(associated_data(place)),
                &mut body,
            )
            .map_err(|_| OpenError::Unauthentic)?
            .len();
        body.truncate(len);
        Ok(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HERE: Place<'static> = Place {
        table: "chunks",
        row: "s1/1",
    };

    #[test]
    fn round_trip_and_no_plaintext_in_output() {
        let s = Sealer::new(&StorageKey::generate().unwrap());
        let sealed = s.seal(HERE, b"hello marker").unwrap();
        assert!(!sealed.windows(6).any(|w| w == b"marker"));
        assert_eq!(&s.open(HERE, &sealed).unwrap()[..], b"hello marker");
        // Fresh nonce each time.
        assert_ne!(sealed, s.seal(HERE, b"hello marker").unwrap());
    }

    #[test]
    fn another_row_or_table_does_not_open() {
        let s = Sealer::new(&StorageKey::generate().unwrap());
        let sealed = s.seal(HERE, b"x").unwrap();
        let other_row = Place {
            table: "chunks",
            row: "s1/2",
        };
        let other_table = Place {
            table: "meta",
            row: "s1/1",
        };
        assert_eq!(s.open(other_row, &sealed), Err(OpenError::Unauthentic));
        assert_eq!(s.open(other_table, &sealed), Err(OpenError::Unauthentic));
    }

    #[test]
    fn wrong_key_flipped_bytes_and_truncation_are_refused() {
        let s = Sealer::new(&StorageKey::generate().unwrap());
        let t = Sealer::new(&StorageKey::generate().unwrap());
        let sealed = s.seal(HERE, b"some words").unwrap();
        assert_eq!(t.open(HERE, &sealed), Err(OpenError::Unauthentic));
        for i in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 0x01;
            assert!(s.open(HERE, &bad).is_err(), "flip at {i} went unnoticed");
        }
        assert_eq!(s.open(HERE, &sealed[..10]), Err(OpenError::Truncated));
        assert!(s.open(HERE, &sealed[..sealed.len() - 1]).is_err());
    }

    #[test]
    fn key_debug_shows_nothing() {
        let k = StorageKey::from_bytes([7u8; 32]);
        assert_eq!(format!("{k:?}"), "StorageKey(..)");
    }
}
