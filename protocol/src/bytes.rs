//! Fixed-size byte strings on the wire: keys, ids, hashes, signatures.
//!
//! Each is a CBOR byte string of exactly its length; anything else is
//! rejected while decoding, so a checked type never holds a wrong length.

use serde::de::{Error as _, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

macro_rules! fixed_bytes {
    ($(#[$meta:meta])* $name:ident, $len:expr) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub [u8; $len]);

        impl $name {
            /// Length in bytes.
            pub const LEN: usize = $len;

            /// The bytes.
            pub fn as_bytes(&self) -> &[u8; $len] {
                &self.0
            }

            /// From a slice of exactly the right length.
            pub fn from_slice(s: &[u8]) -> Option<Self> {
                <[u8; $len]>::try_from(s).ok().map($name)
            }

            /// Lowercase hex.
            pub fn to_hex(&self) -> String {
                crate::bytes::hex(&self.0)
            }

            /// Parses lowercase or uppercase hex of exactly the right length.
            pub fn from_hex(s: &str) -> Option<Self> {
                crate::bytes::unhex(s).and_then(|v| Self::from_slice(&v))
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let hex = self.to_hex();
                write!(f, "{}({}..)", stringify!($name), &hex[..8.min(hex.len())])
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        write!(f, "a byte string of length {}", $len)
                    }
                    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<$name, E> {
                        $name::from_slice(v).ok_or_else(|| E::invalid_length(v.len(), &self))
                    }
                    fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<$name, E> {
                        self.visit_bytes(&v)
                    }
                }
                d.deserialize_bytes(V)
            }
        }
    };
}

/// A variable-length byte string on the wire (CBOR bytes, not an array).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Bytes(pub Vec<u8>);

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bytes({} bytes)", self.0.len())
    }
}

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Bytes;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a byte string")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Bytes, E> {
                Ok(Bytes(v.to_vec()))
            }
            fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Bytes, E> {
                Ok(Bytes(v))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, _: A) -> Result<Bytes, A::Error> {
                Err(A::Error::custom("expected a byte string, found an array"))
            }
        }
        // `byte_buf`: ciborium reads long strings in chunks this way, where
        // `bytes` is limited to its small scratch buffer.
        d.deserialize_byte_buf(V)
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 0xf) as usize] as char);
    }
    out
}

pub(crate) fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    let val = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    s.as_bytes()
        .chunks(2)
        .map(|p| Some(val(p[0])? << 4 | val(p[1])?))
        .collect()
}

fixed_bytes!(
    /// A space's id: 128 random bits.
    SpaceId, 16
);
fixed_bytes!(
    /// A device's Ed25519 public key: its identity on the wire.
    DeviceKey, 32
);
fixed_bytes!(
    /// A device's X25519 public key, to which epoch keys are wrapped (HPKE).
    WrapKey, 32
);
fixed_bytes!(
    /// A SHA-256 hash (membership-log chain).
    Hash, 32
);
fixed_bytes!(
    /// An Ed25519 signature.
    Signature, 64
);
fixed_bytes!(
    /// A 256-bit random salt or nonce.
    Salt, 32
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_rejects_junk() {
        let k = DeviceKey([0xab; 32]);
        assert_eq!(DeviceKey::from_hex(&k.to_hex()), Some(k));
        assert_eq!(DeviceKey::from_hex("abc"), None);
        assert_eq!(DeviceKey::from_hex(&"zz".repeat(32)), None);
        assert_eq!(DeviceKey::from_hex(&"ab".repeat(31)), None);
    }

    #[test]
    fn debug_shows_only_a_prefix() {
        assert_eq!(format!("{:?}", SpaceId([0x12; 16])), "SpaceId(12121212..)");
        assert_eq!(format!("{:?}", Bytes(vec![1, 2, 3])), "Bytes(3 bytes)");
    }
}
