//! Cross-crate tests and the store benchmark.
//!
//! - `tests/crash.rs`: a child process writes check-ins and is killed with
//!   SIGKILL; every write it reported must be there afterwards.
//! - `tests/no_plaintext.rs`: nothing a person wrote is readable in any file
//!   under the data directory.
//! - `src/bin/store_bench.rs`: the five-year dataset benchmark
//!   (`cargo run --release -p kindred-tests --bin store_bench`).
//!
//! The helpers here are shared by those.

pub mod api;
pub mod counting;
pub mod dataset;
pub mod devices;
pub mod held_relay;
pub mod memory_relay;
pub mod relay_double;
pub mod scan;
pub mod server;
pub mod signer;

use kindred_core::StorageKey;

/// A bench's `--name VALUE` argument as a number, or `default`.
pub fn bench_arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The storage key the test binaries share (tests only).
pub fn test_key() -> StorageKey {
    StorageKey::from_bytes([0x5a; 32])
}

/// A small xorshift generator: enough to pick kill moments and sizes, and
/// reproducible from a printed seed.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded from `seed` (0 is replaced by a fixed odd value).
    pub fn new(seed: u64) -> Rng {
        Rng(if seed == 0 {
            0x9e37_79b9_7f4a_7c15
        } else {
            seed
        })
    }

    /// A seed from the clock, for runs that should differ.
    pub fn seed_from_clock() -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1)
    }

    /// The next value.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A value in `lo..hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::Rng;

    #[test]
    fn rng_stays_in_range_and_repeats_from_a_seed() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        for _ in 0..1000 {
            let v = a.range(10, 20);
            assert!((10..20).contains(&v));
            assert_eq!(v, b.range(10, 20));
        }
    }
}
