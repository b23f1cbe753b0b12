//! Pairing messages: the one-time offer a device shows as a QR code, and
//! the messages the two devices leave in a rendezvous mailbox.
//!
//! The offer carries a 128-bit one-time secret. Both mailbox messages are
//! sealed with ChaCha20-Poly1305 under keys derived from it (HKDF-SHA256,
//! one key per direction), which authenticates them (a MAC under the
//! secret) and keeps device names from the relay. The relay sees only the
//! rendezvous id and sizes.
//!
//! The secret is not enough to be added (version 2): anyone who
//! photographed the offer holds it. The offering device shows the
//! request's [`pair_code`] and adds the device only after its person
//! confirmed that the new device shows the same code. The reply then pins
//! each space's log head as the offering device saw it after the add, so
//! the new device can tell the relay's log from the one it was given.

use serde::{Deserialize, Serialize};

use ring::digest::{SHA256, digest};

use crate::bytes::{Bytes, DeviceKey, Hash, SpaceId, WrapKey};
use crate::canonical::Canonical;
use crate::codec::Message;
use crate::error::DecodeError;

/// What the existing device shows (as text or a QR code).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Offer {
    pub v: u16,
    /// The relay's base URL.
    pub server: String,
    /// The mailbox to meet in.
    pub rendezvous: SpaceId,
    /// The one-time secret (16 bytes).
    pub secret: Bytes,
    /// The offering device, so the joiner can show whom it joined.
    pub device: DeviceKey,
    /// Unix seconds after which the offer is void.
    pub expires_at: u64,
}

/// Joiner → offerer: who I am.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinRequest {
    pub v: u16,
    pub device: DeviceKey,
    pub wrap_key: WrapKey,
    pub name: String,
}

/// One space the joiner was added to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinedSpace {
    pub space: SpaceId,
    pub kind: String,
    /// The log's length when the offering device had added the joiner.
    pub log_len: u64,
    /// The hash of the log's last entry then.
    pub head: Hash,
}

/// Offerer → joiner: the spaces you are now in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinReply {
    pub v: u16,
    pub name: String,
    pub spaces: Vec<JoinedSpace>,
    /// The offering device's person said the request was not from her
    /// device (then `spaces` is empty).
    pub declined: bool,
}

impl Message for Offer {
    const MAX_BYTES: usize = 1024;
    fn version(&self) -> u16 {
        self.v
    }
    fn check(&self) -> Result<(), DecodeError> {
        if self.secret.0.len() != 16 {
            return Err(DecodeError::FieldTooLarge {
                field: "secret",
                max: 16,
            });
        }
        if self.server.len() > 512 {
            return Err(DecodeError::FieldTooLarge {
                field: "server",
                max: 512,
            });
        }
        Ok(())
    }
}

impl Message for JoinRequest {
    const MAX_BYTES: usize = 1024;
    fn version(&self) -> u16 {
        self.v
    }
    fn check(&self) -> Result<(), DecodeError> {
        if self.name.len() > 400 {
            return Err(DecodeError::FieldTooLarge {
                field: "name",
                max: 400,
            });
        }
        Ok(())
    }
}

impl Message for JoinReply {
    const MAX_BYTES: usize = 4096;
    fn version(&self) -> u16 {
        self.v
    }
    fn check(&self) -> Result<(), DecodeError> {
        if self.spaces.len() > 16 {
            return Err(DecodeError::FieldTooLarge {
                field: "spaces",
                max: 16,
            });
        }
        Ok(())
    }
}

/// The code both screens show while pairing: six digits and four emoji.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PairCode {
    /// Six digits, shown as `123 456`.
    pub digits: String,
    /// Four emoji.
    pub emoji: Vec<String>,
}

impl PairCode {
    /// The code as one line: `123 456 🐶 🌵 🔑 🚲`.
    pub fn display(&self) -> String {
        format!("{} {}", self.digits, self.emoji.join(" "))
    }
}

/// The pairing code for a request by `device` (with `wrap_key`) to
/// `offer`: from h = SHA-256(canonical("pair-code", v, rendezvous,
/// secret, offering device, device, wrap_key)), six digits = the first 8
/// bytes of h big-endian mod 10^6, four emoji = the next 4 bytes mod 64
/// (the invite string's list): 44 bits. Both devices compute it, the new
/// one from its own keys, the offering one from the request it opened; a
/// stranger's request shows a different code.
pub fn pair_code(offer: &Offer, device: &DeviceKey, wrap_key: &WrapKey) -> PairCode {
    let bytes = Canonical::new("pair-code")
        .u16(offer.v)
        .bytes(&offer.rendezvous.0)
        .bytes(&offer.secret.0)
        .bytes(&offer.device.0)
        .bytes(&device.0)
        .bytes(&wrap_key.0)
        .finish();
    let h = digest(&SHA256, &bytes);
    let h = h.as_ref();
    let mut n = [0u8; 8];
    n.copy_from_slice(&h[..8]);
    let digits = u64::from_be_bytes(n) % 1_000_000;
    PairCode {
        digits: format!("{:03} {:03}", digits / 1000, digits % 1000),
        emoji: h[8..12]
            .iter()
            .map(|b| crate::invite_pake::EMOJI[(*b & 63) as usize].to_owned())
            .collect(),
    }
}

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32 without padding: upper case letters and digits, which
/// a QR code stores in its compact alphanumeric mode.
pub fn base32(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buf, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buf = (buf << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buf >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buf << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Decodes [`base32`] (case-insensitive); `None` on any other character.
pub fn unbase32(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 5 / 8);
    let (mut buf, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let v = ALPHABET.iter().position(|&a| a == c.to_ascii_uppercase())? as u32;
        buf = (buf << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
            buf &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// The prefix of an offer's text form.
pub const OFFER_PREFIX: &str = "KINDRED1:";

impl Offer {
    /// The offer as compact text for a QR code.
    pub fn to_text(&self) -> String {
        format!("{OFFER_PREFIX}{}", base32(&crate::encode(self)))
    }

    /// Reads an offer's text form strictly.
    pub fn from_text(s: &str) -> Result<Offer, DecodeError> {
        let body = s
            .trim()
            .strip_prefix(OFFER_PREFIX)
            .ok_or(DecodeError::Malformed)?;
        let bytes = unbase32(body).ok_or(DecodeError::Malformed)?;
        crate::decode(&bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_round_trips() {
        for n in 0..40 {
            let v: Vec<u8> = (0..n).map(|i| (i * 37 + 11) as u8).collect();
            assert_eq!(unbase32(&base32(&v)).unwrap(), v);
        }
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert!(unbase32("MZXW6!").is_none());
    }

    #[test]
    fn offers_round_trip_as_text_and_reject_junk() {
        let o = Offer {
            v: crate::PROTOCOL_VERSION,
            server: "http://127.0.0.1:8787".into(),
            rendezvous: SpaceId([1; 16]),
            secret: Bytes(vec![2; 16]),
            device: DeviceKey([3; 32]),
            expires_at: 1_800_000_000,
        };
        let text = o.to_text();
        assert!(text.len() < 260, "{} chars", text.len());
        assert!(
            text.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b':')
        );
        assert_eq!(Offer::from_text(&text).unwrap(), o);
        assert_eq!(
            Offer::from_text(&text.to_lowercase().replacen("kindred1:", "KINDRED1:", 1)).unwrap(),
            o
        );
        assert!(Offer::from_text("KINDRED1:").is_err());
        assert!(Offer::from_text("hello").is_err());
        assert!(Offer::from_text(&text[..text.len() - 4]).is_err());
        let short = Offer {
            secret: Bytes(vec![2; 8]),
            ..o
        };
        assert!(Offer::from_text(&short.to_text()).is_err());
    }

    #[test]
    fn pair_codes_differ_by_joiner_and_offer() {
        let o = Offer {
            v: crate::PROTOCOL_VERSION,
            server: "https://relay.example".into(),
            rendezvous: SpaceId([1; 16]),
            secret: Bytes(vec![2; 16]),
            device: DeviceKey([3; 32]),
            expires_at: 1_800_000_000,
        };
        let mine = pair_code(&o, &DeviceKey([4; 32]), &WrapKey([5; 32]));
        assert_eq!(mine, pair_code(&o, &DeviceKey([4; 32]), &WrapKey([5; 32])));
        assert_eq!(mine.digits.len(), 7);
        assert_eq!(mine.emoji.len(), 4);
        assert!(mine.display().starts_with(&mine.digits));
        assert_ne!(mine, pair_code(&o, &DeviceKey([6; 32]), &WrapKey([5; 32])));
        assert_ne!(mine, pair_code(&o, &DeviceKey([4; 32]), &WrapKey([6; 32])));
        let other = Offer {
            secret: Bytes(vec![9; 16]),
            ..o
        };
        assert_ne!(
            mine,
            pair_code(&other, &DeviceKey([4; 32]), &WrapKey([5; 32]))
        );
    }
}
