//! The recovery kit (issue 16, first part): what a person keeps on paper
//! so that losing every device does not mean losing everything.
//!
//! A kit is a random 128-bit secret, written as the 12 words of BIP39's
//! English list (the last word carries a 4-bit checksum, so a mistyped or
//! misread word is caught, not silently turned into another kit) and as the
//! same words in a QR code. Why BIP39: a standard list of 2,048 short,
//! distinct words, made to be written by hand and read back, with a kept
//! implementation (rust-bitcoin's `bip39`); 128 bits is what an attacker
//! with the relay's whole database would have to guess.
//!
//! The kit is not a password to anything on its own: it is a member's key
//! pair. Its Ed25519 signing key and X25519 wrapping key are derived from
//! the secret with HKDF-SHA256 (ring), with labels of their own, so the
//! same words always make the same member and nothing else can be derived
//! from one key about the other. Adding that member to the person's
//! spaces (holding their epoch keys wrapped to it), restoring from it and
//! replacing it are in `member.rs`; splitting it 2-of-3 in `split.rs`.

mod member;
mod split;

pub(crate) use member::KitAuthor;
pub use member::{KIT_NAME, KitStatus, Restored};
pub use split::{KitShare, SHARES, THRESHOLD};

use zeroize::Zeroizing;

use crate::crypto::DeviceKeys;
use crate::error::{Error, Result};

/// What is wrong with words typed as a recovery kit (messages say where,
/// never which word was typed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KitProblem {
    /// Not 12 words.
    WordCount { found: usize },
    /// A word (counted from 1) that is not on the kit's list.
    UnknownWord { position: usize },
    /// Every word is on the list, but together they are not a kit: one was
    /// probably misread.
    Checksum,
    /// A QR code that is not a Kindred recovery kit.
    NotAKit,
    /// A share's number is missing or not 1 to 3.
    ShareNumber,
    /// The same share was given twice.
    SameShareTwice,
    /// Too few shares to bring the kit back.
    NotEnoughShares { needed: u8 },
}

/// How many words a kit has.
pub const KIT_WORDS: usize = 12;

/// What a kit's QR code starts with.
const QR_PREFIX: &str = "kindred-kit:1:";

/// A recovery kit: its secret, held in memory that is wiped on drop.
pub struct RecoveryKit {
    secret: Zeroizing<[u8; 16]>,
}

impl std::fmt::Debug for RecoveryKit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryKit(..)")
    }
}

impl RecoveryKit {
    /// A new kit from the operating system's random number generator.
    pub fn generate() -> Result<RecoveryKit> {
        let mut secret = Zeroizing::new([0u8; 16]);
        crate::ids::fill_random(&mut secret[..])?;
        Ok(RecoveryKit { secret })
    }

    fn mnemonic(&self) -> bip39::Mnemonic {
        // 16 bytes is a valid BIP39 entropy length: this cannot fail.
        bip39::Mnemonic::from_entropy(&self.secret[..]).unwrap_or_else(|_| unreachable!())
    }

    /// The 12 words, in order, separated by single spaces.
    pub fn words(&self) -> Zeroizing<String> {
        let words: Vec<&str> = self.mnemonic().words().collect();
        Zeroizing::new(words.join(" "))
    }

    /// Reads a kit from words as a person types them: any case, any
    /// spaces or line breaks between them.
    pub fn from_words(text: &str) -> Result<RecoveryKit> {
        let normal = Zeroizing::new(
            text.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase(),
        );
        let found = normal.split(' ').filter(|w| !w.is_empty()).count();
        if found != KIT_WORDS {
            return Err(Error::RecoveryKit(KitProblem::WordCount { found }));
        }
        let m = bip39::Mnemonic::parse_in_normalized(bip39::Language::English, &normal).map_err(
            |e| {
                Error::RecoveryKit(match e {
                    bip39::Error::UnknownWord(i) => KitProblem::UnknownWord { position: i + 1 },
                    bip39::Error::BadWordCount(n) => KitProblem::WordCount { found: n },
                    _ => KitProblem::Checksum,
                })
            },
        )?;
        let (entropy, len) = m.to_entropy_array();
        let entropy = Zeroizing::new(entropy);
        if len != 16 {
            return Err(Error::RecoveryKit(KitProblem::WordCount { found }));
        }
        let mut secret = Zeroizing::new([0u8; 16]);
        secret.copy_from_slice(&entropy[..16]);
        Ok(RecoveryKit { secret })
    }

    /// The text of the kit's QR code: the words, joined by dashes.
    pub fn qr_text(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("{QR_PREFIX}{}", self.words().replace(' ', "-")))
    }

    /// Reads a kit's QR code (what a camera read from the paper).
    pub fn from_qr_text(text: &str) -> Result<RecoveryKit> {
        let words = text
            .trim()
            .strip_prefix(QR_PREFIX)
            .ok_or(Error::RecoveryKit(KitProblem::NotAKit))?;
        RecoveryKit::from_words(&words.replace('-', " "))
    }

    /// The kit's member keys: the same words always give the same keys.
    pub(crate) fn keys(&self) -> Result<DeviceKeys> {
        let salt = ring::hkdf::Salt::new(ring::hkdf::HKDF_SHA256, b"kindred recovery kit v1");
        let prk = salt.extract(&self.secret[..]);
        let derive = |label: &[u8]| -> Result<Zeroizing<[u8; 32]>> {
            let mut out = Zeroizing::new([0u8; 32]);
            prk.expand(&[label], ring::hkdf::HKDF_SHA256)
                .and_then(|okm| okm.fill(&mut out[..]))
                .map_err(|_| Error::RecoveryKit(KitProblem::NotAKit))?;
            Ok(out)
        };
        let (signing, wrapping) = (derive(b"signing")?, derive(b"wrapping")?);
        DeviceKeys::from_seeds(&signing, &wrapping)
    }

    /// The kit's public key as other devices see it (hex).
    pub fn public_key_hex(&self) -> Result<String> {
        Ok(crate::ids::hex(&self.keys()?.device_key().0))
    }
}

#[cfg(test)]
mod tests;
