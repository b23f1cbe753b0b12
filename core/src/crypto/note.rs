//! The erasure note of an `Erase` log entry (issue 14), sealed under the
//! new epoch's key so the relay learns only that an erasure happened, not
//! when it was asked for, which kinds of record went, or why.
//!
//! Key: HKDF-SHA256 over the epoch key, the space as salt, and
//! canonical("erase-note", epoch) as info: a key of its own, apart from
//! the change, snapshot and label keys of the same epoch. A fresh random
//! 96-bit nonce per note, stored in front (`nonce || ciphertext || tag`);
//! ChaCha20-Poly1305 with the space and epoch as associated data.

use kindred_protocol::canonical::Canonical;
use kindred_protocol::{Bytes, SpaceId};
use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::hkdf;

use super::keys::EpochKey;
use crate::error::{Error, Result};
use crate::ids::fill_random;

fn key(epoch_key: &EpochKey, space: &SpaceId, epoch: u32) -> LessSafeKey {
    let info = Canonical::new("erase-note").u32(epoch).finish();
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, &space.0).extract(epoch_key.0.as_ref());
    let parts = [info.as_slice()];
    let okm = prk
        .expand(&parts, &CHACHA20_POLY1305)
        .expect("32 bytes is a valid HKDF-SHA256 output length");
    LessSafeKey::new(UnboundKey::from(okm))
}

fn aad(space: &SpaceId, epoch: u32) -> Vec<u8> {
    Canonical::new("erase-note-aad")
        .bytes(&space.0)
        .u32(epoch)
        .finish()
}

/// Seals an erasure note for the entry that starts `epoch`.
pub(crate) fn seal_note(
    epoch_key: &EpochKey,
    space: &SpaceId,
    epoch: u32,
    note: &[u8],
) -> Result<Bytes> {
    let mut nonce = [0u8; NONCE_LEN];
    fill_random(&mut nonce)?;
    let mut buf = note.to_vec();
    key(epoch_key, space, epoch)
        .seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(aad(space, epoch)),
            &mut buf,
        )
        .map_err(|_| Error::Random)?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&buf);
    Ok(Bytes(out))
}

/// Opens an erasure note; `None` if it does not open under this key.
pub(crate) fn open_note(
    epoch_key: &EpochKey,
    space: &SpaceId,
    epoch: u32,
    sealed: &Bytes,
) -> Option<Vec<u8>> {
    let s = &sealed.0;
    if s.len() < NONCE_LEN + 16 {
        return None;
    }
    let mut nonce = [0u8; NONCE_LEN];
    nonce.copy_from_slice(&s[..NONCE_LEN]);
    let mut buf = s[NONCE_LEN..].to_vec();
    let n = key(epoch_key, space, epoch)
        .open_in_place(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(aad(space, epoch)),
            &mut buf,
        )
        .ok()?
        .len();
    buf.truncate(n);
    Some(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_opens_only_under_its_key_space_and_epoch() {
        let k = EpochKey::from_slice(&[1; 32]).unwrap();
        let other = EpochKey::from_slice(&[2; 32]).unwrap();
        let s = SpaceId([3; 16]);
        let sealed = seal_note(&k, &s, 4, b"{\"check_in\":1}").unwrap();
        assert_eq!(open_note(&k, &s, 4, &sealed).unwrap(), b"{\"check_in\":1}");
        assert!(open_note(&other, &s, 4, &sealed).is_none());
        assert!(open_note(&k, &s, 5, &sealed).is_none());
        assert!(open_note(&k, &SpaceId([9; 16]), 4, &sealed).is_none());
        let mut changed = sealed.clone();
        let last = changed.0.len() - 1;
        changed.0[last] ^= 1;
        assert!(open_note(&k, &s, 4, &changed).is_none());
        // Two notes of one text differ (fresh nonces).
        assert_ne!(
            seal_note(&k, &s, 4, b"x").unwrap(),
            seal_note(&k, &s, 4, b"x").unwrap()
        );
    }
}
