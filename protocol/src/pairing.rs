//! Pairing messages: the one-time offer a device shows as a QR code, and
//! the messages the two devices leave in a rendezvous mailbox.
//!
//! The offer carries a 128-bit one-time secret. Both mailbox messages are
//! sealed with ChaCha20-Poly1305 under keys derived from it (HKDF-SHA256,
//! one key per direction), which authenticates them (a MAC under the
//! secret) and keeps device names from the relay. The relay sees only the
//! rendezvous id and sizes.

use serde::{Deserialize, Serialize};

use crate::bytes::{Bytes, DeviceKey, SpaceId, WrapKey};
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
}

/// Offerer → joiner: the spaces you are now in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinReply {
    pub v: u16,
    pub name: String,
    pub spaces: Vec<JoinedSpace>,
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
            v: 1,
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
}
