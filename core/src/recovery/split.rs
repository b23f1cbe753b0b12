//! Social recovery: the kit's secret split 2-of-3 (Shamir's scheme over
//! GF(256), from the `blahaj` crate), so that the worker, a trusted
//! person and a sheet of paper each hold a share, and any two bring the
//! kit back while one alone says nothing about it.
//!
//! Why `blahaj`: it is the maintained fork of `sharks`, which draws each
//! polynomial coefficient from 1..=255 — never 0 — so a single `sharks`
//! share of a byte is never equal to that byte, and leaks (measured in
//! issue 16's work: over 4,096 splits a share byte never once equalled
//! the secret byte). `blahaj` draws them from the whole field; the
//! property test in `tests.rs` checks exactly that a single share is
//! uniform, whatever the secret.
//!
//! A share is written like a kit: its number (1 to 3) and 12 BIP39 words
//! for its 16 bytes, whose checksum catches a misread word in that share.
//! Nothing in two shares says they come from the same split: two shares
//! of different splits give a kit that is no member anywhere, and restore
//! says so.

use zeroize::Zeroizing;

use super::{KitProblem, RecoveryKit};
use crate::error::{Error, Result};

/// How many shares a split makes.
pub const SHARES: u8 = 3;

/// How many of them bring the kit back.
pub const THRESHOLD: u8 = 2;

/// One share of a split kit: its number and its 16 bytes.
pub struct KitShare {
    number: u8,
    pub(super) bytes: Zeroizing<[u8; 16]>,
}

impl std::fmt::Debug for KitShare {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KitShare({}, ..)", self.number)
    }
}

impl KitShare {
    /// Which share this is, 1 to 3.
    pub fn number(&self) -> u8 {
        self.number
    }

    /// The share's 12 words.
    pub fn words(&self) -> Zeroizing<String> {
        RecoveryKit {
            secret: self.bytes.clone(),
        }
        .words()
    }

    /// The share as it is printed: "share 2 of 3: " and its words.
    pub fn text(&self) -> Zeroizing<String> {
        Zeroizing::new(format!(
            "share {} of {SHARES}: {}",
            self.number,
            self.words().as_str()
        ))
    }

    /// Reads a share as a person types it: "share 2 of 3: words…",
    /// "2: words…" or "2 words…".
    pub fn from_text(text: &str) -> Result<KitShare> {
        let t = text.trim().to_lowercase();
        let t = t.strip_prefix("share").unwrap_or(&t).trim_start();
        let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
        let number: u8 = digits
            .parse()
            .map_err(|_| Error::RecoveryKit(KitProblem::ShareNumber))?;
        if !(1..=SHARES).contains(&number) {
            return Err(Error::RecoveryKit(KitProblem::ShareNumber));
        }
        let rest = t[digits.len()..].trim_start();
        let rest = rest
            .strip_prefix(&format!("of {SHARES}"))
            .unwrap_or(rest)
            .trim_start_matches([':', ' ', '\n', '\t']);
        let words = RecoveryKit::from_words(rest)?;
        Ok(KitShare {
            number,
            bytes: words.secret,
        })
    }
}

impl RecoveryKit {
    /// Splits the kit into [`SHARES`] shares, any [`THRESHOLD`] of which
    /// bring it back.
    pub fn split(&self) -> Result<Vec<KitShare>> {
        let dealer = blahaj::Sharks(THRESHOLD).dealer(&self.secret[..]);
        let mut out = Vec::new();
        for share in dealer.take(SHARES as usize) {
            let raw = Zeroizing::new(Vec::from(&share));
            // x, then one byte per secret byte.
            let (Some(&number), Some(rest)) = (raw.first(), raw.get(1..17)) else {
                return Err(Error::RecoveryKit(KitProblem::NotAKit));
            };
            let mut bytes = Zeroizing::new([0u8; 16]);
            bytes.copy_from_slice(rest);
            out.push(KitShare { number, bytes });
        }
        if out.len() != SHARES as usize || out.iter().any(|s| !(1..=SHARES).contains(&s.number)) {
            return Err(Error::RecoveryKit(KitProblem::NotAKit));
        }
        Ok(out)
    }

    /// The kit back from [`THRESHOLD`] or more different shares.
    pub fn from_shares(shares: &[KitShare]) -> Result<RecoveryKit> {
        let mut numbers: Vec<u8> = shares.iter().map(|s| s.number).collect();
        numbers.sort_unstable();
        numbers.dedup();
        if numbers.len() != shares.len() {
            return Err(Error::RecoveryKit(KitProblem::SameShareTwice));
        }
        if shares.len() < THRESHOLD as usize {
            return Err(Error::RecoveryKit(KitProblem::NotEnoughShares {
                needed: THRESHOLD,
            }));
        }
        let parsed: Vec<blahaj::Share> = shares
            .iter()
            .map(|s| {
                let mut raw = Zeroizing::new(Vec::with_capacity(17));
                raw.push(s.number);
                raw.extend_from_slice(&s.bytes[..]);
                blahaj::Share::try_from(raw.as_slice())
                    .map_err(|_| Error::RecoveryKit(KitProblem::NotAKit))
            })
            .collect::<Result<_>>()?;
        let secret =
            Zeroizing::new(blahaj::Sharks(THRESHOLD).recover(&parsed).map_err(|_| {
                Error::RecoveryKit(KitProblem::NotEnoughShares { needed: THRESHOLD })
            })?);
        if secret.len() != 16 {
            return Err(Error::RecoveryKit(KitProblem::NotAKit));
        }
        let mut out = Zeroizing::new([0u8; 16]);
        out.copy_from_slice(&secret);
        Ok(RecoveryKit { secret: out })
    }
}
