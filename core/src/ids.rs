//! Random record and space ids.
//!
//! Ids are 128 random bits written as 32 lowercase hex digits: unique across
//! devices without coordination, and meaningless to anyone who sees them
//! (no counters or times that would leak how much a person writes).

use ring::rand::{SecureRandom, SystemRandom};
use serde::{Deserialize, Serialize};
use std::fmt;

use crate::error::{Error, Result};

/// Fills `buf` from the operating system's random number generator.
pub(crate) fn fill_random(buf: &mut [u8]) -> Result<()> {
    SystemRandom::new().fill(buf).map_err(|_| Error::Random)
}

/// Lowercase hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 0xf) as usize] as char);
    }
    out
}

/// The id of a record, a step, a progress entry or a space.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Id(String);

impl Id {
    /// A fresh random id.
    pub fn random() -> Result<Id> {
        let mut bytes = [0u8; 16];
        fill_random(&mut bytes)?;
        Ok(Id(hex(&bytes)))
    }

    /// Accepts an id as typed by a person or read from a document. Ids
    /// written by this version are 32 hex digits; other versions may use
    /// other shapes, so any short run of letters, digits, `-` and `_` is
    /// kept as it is.
    pub fn parse(s: &str) -> Option<Id> {
        let ok = !s.is_empty()
            && s.len() <= 64
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        ok.then(|| Id(s.to_owned()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_ids_are_32_hex_digits_and_differ() {
        let a = Id::random().unwrap();
        let b = Id::random().unwrap();
        assert_eq!(a.as_str().len(), 32);
        assert!(a.as_str().bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        assert_eq!(Id::parse(a.as_str()), Some(a));
    }

    #[test]
    fn parse_rejects_empty_long_and_odd_characters() {
        assert_eq!(Id::parse(""), None);
        assert_eq!(Id::parse(&"a".repeat(65)), None);
        assert_eq!(Id::parse("abc def"), None);
        assert_eq!(Id::parse("../etc"), None);
        assert!(Id::parse("old-style_id-42").is_some());
    }
}
