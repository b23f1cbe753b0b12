//! Sealing automerge bytes into signed envelopes, and opening them.

use kindred_protocol::{
    Bytes, ChangeEnvelope, PROTOCOL_VERSION, Salt, Signature, SnapshotEnvelope, SpaceId,
};
use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, Nonce, UnboundKey};
use ring::hkdf;
use zeroize::Zeroizing;

use super::keys::{DeviceKeys, EpochKey};
use crate::error::{Error, Result};
use crate::ids::fill_random;

/// Plaintext is padded to a multiple of this, so sizes say less about
/// what was written.
const PAD_TO: usize = 64;

fn message_key(epoch_key: &EpochKey, salt: &Salt, info: &[u8]) -> LessSafeKey {
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, &salt.0).extract(epoch_key.0.as_ref());
    let info = [info];
    let okm = prk
        .expand(&info, &CHACHA20_POLY1305)
        .expect("32 bytes is a valid HKDF-SHA256 output length");
    LessSafeKey::new(UnboundKey::from(okm))
}

fn pad(plain: &[u8]) -> Zeroizing<Vec<u8>> {
    // 4-byte length, the bytes, zeros up to a multiple of PAD_TO.
    let mut out = Zeroizing::new(Vec::with_capacity(plain.len() + 4 + PAD_TO));
    out.extend_from_slice(&(plain.len() as u32).to_be_bytes());
    out.extend_from_slice(plain);
    let padded = out.len().div_ceil(PAD_TO) * PAD_TO;
    out.resize(padded, 0);
    out
}

fn unpad(mut padded: Zeroizing<Vec<u8>>) -> Option<Zeroizing<Vec<u8>>> {
    let len = u32::from_be_bytes(padded.get(..4)?.try_into().ok()?) as usize;
    if 4 + len > padded.len() {
        return None;
    }
    padded.drain(..4);
    padded.truncate(len);
    Some(padded)
}

fn seal(key: LessSafeKey, aad: &[u8], plain: &[u8]) -> Result<Vec<u8>> {
    let mut buf = pad(plain).to_vec();
    key.seal_in_place_append_tag(
        Nonce::assume_unique_for_key([0; 12]),
        Aad::from(aad),
        &mut buf,
    )
    .map_err(|_| Error::Random)?;
    Ok(buf)
}

fn open(key: LessSafeKey, aad: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let mut buf = Zeroizing::new(sealed.to_vec());
    let len = key
        .open_in_place(
            Nonce::assume_unique_for_key([0; 12]),
            Aad::from(aad),
            &mut buf,
        )
        .ok()?
        .len();
    buf.truncate(len);
    unpad(buf)
}

fn salt() -> Result<Salt> {
    let mut s = [0u8; 32];
    fill_random(&mut s)?;
    Ok(Salt(s))
}

/// Seals automerge change bytes into a signed envelope.
pub(crate) fn seal_change(
    keys: &DeviceKeys,
    space: SpaceId,
    epoch: u32,
    epoch_key: &EpochKey,
    seq: u64,
    prev: kindred_protocol::Hash,
    changes: &[u8],
) -> Result<ChangeEnvelope> {
    let mut e = ChangeEnvelope {
        v: PROTOCOL_VERSION,
        space,
        epoch,
        device: keys.device_key(),
        seq,
        prev,
        salt: salt()?,
        ciphertext: Bytes(Vec::new()),
        sig: Signature([0; 64]),
    };
    e.ciphertext = Bytes(seal(
        message_key(epoch_key, &e.salt, &e.key_info()),
        &e.aad(),
        changes,
    )?);
    e.sig = keys.sign(&e.signing_bytes());
    Ok(e)
}

/// Opens an envelope's change bytes (the signature is checked elsewhere,
/// before this, against membership).
pub(crate) fn open_change(e: &ChangeEnvelope, epoch_key: &EpochKey) -> Option<Zeroizing<Vec<u8>>> {
    open(
        message_key(epoch_key, &e.salt, &e.key_info()),
        &e.aad(),
        &e.ciphertext.0,
    )
}

/// Seals a whole saved document as a snapshot covering `covers`.
pub(crate) fn seal_snapshot(
    keys: &DeviceKeys,
    space: SpaceId,
    epoch: u32,
    epoch_key: &EpochKey,
    covers: u64,
    heads: Vec<kindred_protocol::Bound>,
    doc: &[u8],
) -> Result<SnapshotEnvelope> {
    let mut s = SnapshotEnvelope {
        v: PROTOCOL_VERSION,
        space,
        epoch,
        device: keys.device_key(),
        covers,
        heads,
        salt: salt()?,
        ciphertext: Bytes(Vec::new()),
        sig: Signature([0; 64]),
    };
    s.ciphertext = Bytes(seal(
        message_key(epoch_key, &s.salt, &s.key_info()),
        &s.aad(),
        doc,
    )?);
    s.sig = keys.sign(&s.signing_bytes());
    Ok(s)
}

/// Opens a snapshot's document bytes.
pub(crate) fn open_snapshot(
    s: &SnapshotEnvelope,
    epoch_key: &EpochKey,
) -> Option<Zeroizing<Vec<u8>>> {
    open(
        message_key(epoch_key, &s.salt, &s.key_info()),
        &s.aad(),
        &s.ciphertext.0,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use ring::signature::Ed25519KeyPair;

    fn device() -> DeviceKeys {
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new()).unwrap();
        DeviceKeys::load(pkcs8.as_ref(), &DeviceKeys::new_wrap_seed().unwrap()).unwrap()
    }

    #[test]
    fn envelopes_round_trip_and_refuse_tampering_or_the_wrong_key() {
        let d = device();
        let k = EpochKey::generate().unwrap();
        let e = seal_change(
            &d,
            SpaceId([1; 16]),
            1,
            &k,
            7,
            kindred_protocol::Hash([3; 32]),
            b"automerge bytes",
        )
        .unwrap();
        e.verify_signature().unwrap();
        assert_eq!(&open_change(&e, &k).unwrap()[..], b"automerge bytes");
        assert_eq!(e.ciphertext.0.len() % PAD_TO, 16, "padded, plus the tag");
        assert!(open_change(&e, &EpochKey::generate().unwrap()).is_none());
        let mut t = e.clone();
        t.ciphertext.0[3] ^= 1;
        assert!(open_change(&t, &k).is_none());
        let mut t = e.clone();
        t.seq = 8;
        assert!(
            open_change(&t, &k).is_none(),
            "sequence is bound by the AAD"
        );
        let mut t = e.clone();
        t.salt.0[0] ^= 1;
        assert!(open_change(&t, &k).is_none());
    }

    #[test]
    fn snapshots_round_trip() {
        let d = device();
        let k = EpochKey::generate().unwrap();
        let s = seal_snapshot(&d, SpaceId([1; 16]), 2, &k, 40, Vec::new(), &[9; 1000]).unwrap();
        s.verify_signature().unwrap();
        assert_eq!(&open_snapshot(&s, &k).unwrap()[..], &[9; 1000][..]);
        let mut t = s.clone();
        t.covers = 41;
        assert!(open_snapshot(&t, &k).is_none());
    }

    #[test]
    fn padding_round_trips_every_length() {
        for n in 0..200 {
            let v: Vec<u8> = (0..n).map(|i| i as u8).collect();
            let p = pad(&v);
            assert_eq!(p.len() % PAD_TO, 0);
            assert_eq!(&unpad(p).unwrap()[..], &v[..]);
        }
        assert!(unpad(Zeroizing::new(vec![0, 0, 1, 0])).is_none());
    }
}
