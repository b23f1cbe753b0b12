//! Device names in the membership log, sealed under the epoch key so the
//! relay never learns them. One label per (space, device): the key comes
//! from HKDF over the epoch key with the space as salt and the device as
//! info, so a zero nonce is used once per key.

use kindred_protocol::canonical::Canonical;
use kindred_protocol::{Bytes, DeviceKey, SpaceId};
use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, Nonce, UnboundKey};
use ring::hkdf;

use super::keys::EpochKey;
use crate::error::{Error, Result};

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
    let mut buf = name.as_bytes().to_vec();
    key(epoch_key, space, device)
        .seal_in_place_append_tag(
            Nonce::assume_unique_for_key([0; 12]),
            Aad::empty(),
            &mut buf,
        )
        .map_err(|_| Error::Random)?;
    Ok(Bytes(buf))
}

/// Opens a device's name; `None` if it does not open.
pub(crate) fn open_label(
    epoch_key: &EpochKey,
    space: &SpaceId,
    device: &DeviceKey,
    sealed: &Bytes,
) -> Option<String> {
    let mut buf = sealed.0.clone();
    let n = key(epoch_key, space, device)
        .open_in_place(
            Nonce::assume_unique_for_key([0; 12]),
            Aad::empty(),
            &mut buf,
        )
        .ok()?
        .len();
    buf.truncate(n);
    String::from_utf8(buf).ok()
}
