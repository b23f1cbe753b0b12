//! Device names in the membership log, sealed under the epoch key so the
//! relay never learns them. The key comes from HKDF over the epoch key
//! with the space as salt and the device as info.
//!
//! Nonces (issue 13): each seal takes a fresh random 96-bit nonce, stored
//! in front of the ciphertext (`nonce (12) || ciphertext || tag`). The
//! first version used a zero nonce, once per key, which repeats as soon as
//! one device is labelled twice in an epoch (a rename, a role change that
//! re-seals the labels): the same key and nonce on two names leaks their
//! XOR and lets the tag be forged. Labels sealed that way still open
//! (tried second), so logs already stored read as before; nothing new is
//! sealed that way.

use kindred_protocol::canonical::Canonical;
use kindred_protocol::{Bytes, DeviceKey, SpaceId};
use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::hkdf;

use super::keys::EpochKey;
use crate::error::{Error, Result};
use crate::ids::fill_random;

fn key(epoch_key: &EpochKey, space: &SpaceId, device: &DeviceKey) -> LessSafeKey {
    let info = Canonical::new("device-label").bytes(&device.0).finish();
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, &space.0).extract(epoch_key.0.as_ref());
    let parts = [info.as_slice()];
    let okm = prk
        .expand(&parts, &CHACHA20_POLY1305)
        .expect("32 bytes is a valid HKDF-SHA256 output length");
    LessSafeKey::new(UnboundKey::from(okm))
}

/// Seals a device's name for the log.
pub(crate) fn seal_label(
    epoch_key: &EpochKey,
    space: &SpaceId,
    device: &DeviceKey,
    name: &str,
) -> Result<Bytes> {
    let mut nonce = [0u8; NONCE_LEN];
    fill_random(&mut nonce)?;
    let mut buf = name.as_bytes().to_vec();
    key(epoch_key, space, device)
        .seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(LABEL_AAD),
            &mut buf,
        )
        .map_err(|_| Error::Random)?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&buf);
    Ok(Bytes(out))
}

const LABEL_AAD: &[u8] = b"kindred/label/v2";

fn open_with(
    key: &LessSafeKey,
    nonce: [u8; NONCE_LEN],
    aad: &[u8],
    sealed: &[u8],
) -> Option<String> {
    let mut buf = sealed.to_vec();
    let n = key
        .open_in_place(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(aad),
            &mut buf,
        )
        .ok()?
        .len();
    buf.truncate(n);
    String::from_utf8(buf).ok()
}

/// Opens a device's name; `None` if it does not open.
pub(crate) fn open_label(
    epoch_key: &EpochKey,
    space: &SpaceId,
    device: &DeviceKey,
    sealed: &Bytes,
) -> Option<String> {
    let key = key(epoch_key, space, device);
    let s = &sealed.0;
    if s.len() >= NONCE_LEN + 16 {
        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(&s[..NONCE_LEN]);
        if let Some(name) = open_with(&key, nonce, LABEL_AAD, &s[NONCE_LEN..]) {
            return Some(name);
        }
    }
    // A label from before issue 13: zero nonce, no associated data.
    open_with(&key, [0; NONCE_LEN], &[], s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts() -> (EpochKey, SpaceId, DeviceKey) {
        (
            EpochKey::from_slice(&[1; 32]).unwrap(),
            SpaceId([2; 16]),
            DeviceKey([3; 32]),
        )
    }

    #[test]
    fn relabelling_twice_in_an_epoch_uses_two_nonces() {
        let (k, s, d) = parts();
        let a = seal_label(&k, &s, &d, "Sam's phone").unwrap();
        let b = seal_label(&k, &s, &d, "Sam's tablet").unwrap();
        assert_ne!(a.0[..NONCE_LEN], b.0[..NONCE_LEN], "a nonce was reused");
        assert_eq!(open_label(&k, &s, &d, &a).as_deref(), Some("Sam's phone"));
        assert_eq!(open_label(&k, &s, &d, &b).as_deref(), Some("Sam's tablet"));
        // The same name twice does not give the same bytes either.
        let c = seal_label(&k, &s, &d, "Sam's phone").unwrap();
        assert_ne!(a, c);
    }

    #[test]
    fn a_label_for_another_device_or_altered_does_not_open() {
        let (k, s, d) = parts();
        let a = seal_label(&k, &s, &d, "Sam's phone").unwrap();
        assert_eq!(open_label(&k, &s, &DeviceKey([4; 32]), &a), None);
        for i in 0..a.0.len() {
            let mut bad = a.clone();
            bad.0[i] ^= 1;
            assert_eq!(open_label(&k, &s, &d, &bad), None, "flip at {i}");
        }
    }

    #[test]
    fn a_label_sealed_the_old_way_still_opens() {
        let (k, s, d) = parts();
        let mut buf = b"old name".to_vec();
        key(&k, &s, &d)
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key([0; 12]),
                Aad::empty(),
                &mut buf,
            )
            .unwrap();
        assert_eq!(
            open_label(&k, &s, &d, &Bytes(buf)).as_deref(),
            Some("old name")
        );
    }
}
