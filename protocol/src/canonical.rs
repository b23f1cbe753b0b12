//! Canonical bytes for what is signed, authenticated or hashed.
//!
//! CBOR has several encodings of one value, so signatures are never made
//! over CBOR. Instead each signed thing is written here as a fixed,
//! domain-separated sequence: `"kindred/v1/" || domain || 0x00`, then every
//! field in a fixed order, integers big-endian at fixed width, byte strings
//! with a 4-byte big-endian length prefix. Two different values never give
//! the same bytes, and bytes signed for one purpose (a log entry) never
//! verify for another (an envelope).

/// Builder of canonical bytes.
#[derive(Debug, Clone)]
pub struct Canonical(Vec<u8>);

impl Canonical {
    /// Starts bytes for `domain`.
    pub fn new(domain: &str) -> Canonical {
        let mut v = Vec::with_capacity(128);
        v.extend_from_slice(b"kindred/v1/");
        v.extend_from_slice(domain.as_bytes());
        v.push(0);
        Canonical(v)
    }

    /// Appends a length-prefixed byte string.
    pub fn bytes(mut self, b: &[u8]) -> Canonical {
        let len = u32::try_from(b.len()).unwrap_or(u32::MAX);
        self.0.extend_from_slice(&len.to_be_bytes());
        self.0.extend_from_slice(b);
        self
    }

    /// Appends a u64.
    pub fn u64(mut self, v: u64) -> Canonical {
        self.0.extend_from_slice(&v.to_be_bytes());
        self
    }

    /// Appends a u32.
    pub fn u32(mut self, v: u32) -> Canonical {
        self.0.extend_from_slice(&v.to_be_bytes());
        self
    }

    /// Appends a u16.
    pub fn u16(mut self, v: u16) -> Canonical {
        self.0.extend_from_slice(&v.to_be_bytes());
        self
    }

    /// Appends one byte (a tag).
    pub fn tag(mut self, v: u8) -> Canonical {
        self.0.push(v);
        self
    }

    /// The bytes.
    pub fn finish(self) -> Vec<u8> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_and_boundaries_separate() {
        let a = Canonical::new("a").bytes(b"xy").bytes(b"z").finish();
        let b = Canonical::new("a").bytes(b"x").bytes(b"yz").finish();
        let c = Canonical::new("b").bytes(b"xy").bytes(b"z").finish();
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert!(a.starts_with(b"kindred/v1/a\0"));
    }
}
