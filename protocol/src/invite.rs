//! Remote invites with a short authentication string (SAS), for a person
//! and a worker who are not in the same room (docs/crypto.md, "Invites").
//!
//! A short code (read over the phone, or sent by text) only finds the
//! rendezvous; it is too short to authenticate anything. Authentication
//! comes from the two people comparing a short string both devices show,
//! computed from both devices' keys and fresh nonces. To stop either side
//! (or a relay in the middle) from trying many keys until the strings
//! match, the inviter commits to its bundle and nonce before it sees the
//! joiner's, and the joiner reveals its own before it sees the inviter's:
//!
//! 1. inviter → joiner: `Commit { H(bundle_I ‖ n_I), role, expires_at }`
//!    (the terms: what the joiner will be able to do, and until when the
//!    code works)
//! 2. joiner → inviter: `Reveal { bundle_J, n_J }`
//! 3. inviter → joiner: `Open { bundle_I, n_I }`; the joiner checks it
//!    against the commitment
//! 4. both show `sas(code, bundle_I, bundle_J, n_I, n_J)`; each person
//!    confirms it matches the other's
//! 5. joiner → inviter: `Confirm { sig_J(transcript) }`; only with it and
//!    its own person's confirmation does the inviter add the joiner
//! 6. inviter → joiner: `Welcome { space, .. , sig_I }`
//!
//! The terms are in the transcript, so both people compare a string over
//! the same role and expiry: a terms message changed on the way gives
//! mismatching strings. An inviter whose time ran out (or whose person
//! gave up) posts `Expired`, so a joiner who comes late is told at once.
//!
//! Messages are sealed under a key derived from the code (so the relay,
//! which never sees the code, cannot read names), but the security
//! argument does not rest on that: anyone who learns the code is at most
//! a man in the middle, and a man in the middle gets mismatching strings
//! except with probability 10^-6 (digits) per attempt.

use ring::digest::{Context, SHA256};
use serde::{Deserialize, Serialize};

use crate::bytes::{Bytes, DeviceKey, Hash, Signature, SpaceId, WrapKey};
use crate::canonical::Canonical;
use crate::codec::Message;
use crate::error::DecodeError;

/// Crockford's base32 alphabet: no I, L, O or U, so a code read aloud or
/// typed from a text message is hard to get wrong.
const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters in an invite code (50 bits).
pub const CODE_LEN: usize = 10;

/// A short invite code, e.g. `7KQ2M-XW9PD`.
#[derive(Clone, PartialEq, Eq)]
pub struct InviteCode(String);

impl std::fmt::Debug for InviteCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The code opens the rendezvous: keep it out of logs.
        f.write_str("InviteCode(..)")
    }
}

impl InviteCode {
    /// A code from 10 random bytes (only 5 bits of each are used).
    pub fn from_random(random: &[u8; CODE_LEN]) -> InviteCode {
        InviteCode(
            random
                .iter()
                .map(|b| CODE_ALPHABET[(*b & 31) as usize] as char)
                .collect(),
        )
    }

    /// Reads a code as a person typed it: any case, with or without the
    /// dash or spaces; O is read as 0, I and L as 1.
    pub fn parse(s: &str) -> Result<InviteCode, DecodeError> {
        let mut out = String::with_capacity(CODE_LEN);
        for c in s.chars() {
            let c = match c.to_ascii_uppercase() {
                '-' | ' ' => continue,
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            };
            if !c.is_ascii() || !CODE_ALPHABET.contains(&(c as u8)) {
                return Err(DecodeError::Malformed);
            }
            out.push(c);
        }
        if out.len() != CODE_LEN {
            return Err(DecodeError::Malformed);
        }
        Ok(InviteCode(out))
    }

    /// The code as shown: two groups of five.
    pub fn display(&self) -> String {
        format!("{}-{}", &self.0[..5], &self.0[5..])
    }

    /// The canonical characters (what keys are derived from).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a device says about itself in an invite.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    pub device: DeviceKey,
    pub wrap_key: WrapKey,
    /// The device's name ("Jo's phone").
    pub name: String,
}

fn bundle(c: Canonical, b: &Bundle) -> Canonical {
    c.bytes(&b.device.0)
        .bytes(&b.wrap_key.0)
        .bytes(b.name.as_bytes())
}

/// The inviter's commitment to its bundle and nonce.
pub fn commitment(b: &Bundle, nonce: &[u8]) -> Hash {
    let c = bundle(Canonical::new("invite-commit"), b).bytes(nonce);
    Hash(sha256(&c.finish()))
}

/// What an invite offers: the role the joiner gets and when the code
/// stops working (Unix seconds, the inviter's clock).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Terms {
    pub role: String,
    pub expires_at: u64,
}

/// Everything both sides agreed on; the SAS and both signatures are over it.
pub fn transcript(
    code: &InviteCode,
    terms: &Terms,
    inviter: &Bundle,
    joiner: &Bundle,
    n_i: &[u8],
    n_j: &[u8],
) -> Hash {
    let c = Canonical::new("invite-transcript")
        .bytes(code.as_str().as_bytes())
        .bytes(terms.role.as_bytes())
        .bytes(&terms.expires_at.to_be_bytes());
    let c = bundle(c, inviter);
    let c = bundle(c, joiner).bytes(n_i).bytes(n_j);
    Hash(sha256(&c.finish()))
}

/// The bytes the joiner signs to say "my person confirmed the string".
pub fn confirm_bytes(t: &Hash) -> Vec<u8> {
    Canonical::new("invite-confirm").bytes(&t.0).finish()
}

/// The bytes the inviter signs in its welcome: the space, the role, and
/// the log head (`log_len`, `head`) the inviter saw after adding the
/// joiner, which the joiner pins.
pub fn welcome_bytes(t: &Hash, space: &SpaceId, role: &str, log_len: u64, head: &Hash) -> Vec<u8> {
    Canonical::new("invite-welcome")
        .bytes(&t.0)
        .bytes(&space.0)
        .bytes(role.as_bytes())
        .u64(log_len)
        .bytes(&head.0)
        .finish()
}

/// 64 emoji that are easy to tell apart and to name aloud.
pub(crate) const EMOJI: [&str; 64] = [
    "🐶", "🐱", "🦁", "🐴", "🦄", "🐷", "🐘", "🐰", "🐼", "🐓", "🐧", "🐢", "🐟", "🐙", "🦋", "🌷",
    "🌳", "🌵", "🍄", "🌏", "🌙", "☁️", "🔥", "🍌", "🍎", "🍓", "🌽", "🍕", "🎂", "❤️", "😀", "🤖",
    "🎩", "👓", "🔧", "🎅", "👍", "☂️", "⌛", "⏰", "🎁", "💡", "📕", "✏️", "📎", "✂️", "🔒", "🔑",
    "🔨", "☎️", "🏁", "🚂", "🚲", "✈️", "🚀", "🏆", "⚽", "🎸", "🎺", "🔔", "⚓", "🎧", "📁", "📌",
];

/// The short string both people compare.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Sas {
    /// Six digits, shown as `123 456`.
    pub digits: String,
    /// Four emoji.
    pub emoji: Vec<String>,
}

/// The SAS for a transcript: 6 decimal digits (from 64 bits, so the bias
/// is below 2^-40) and 4 emoji (6 bits each), from SHA-256 of the
/// transcript under its own label.
pub fn sas(t: &Hash) -> Sas {
    let h = sha256(&Canonical::new("invite-sas").bytes(&t.0).finish());
    let mut n = [0u8; 8];
    n.copy_from_slice(&h[..8]);
    let digits = u64::from_be_bytes(n) % 1_000_000;
    let digits = format!("{:03} {:03}", digits / 1000, digits % 1000);
    let emoji = h[8..12]
        .iter()
        .map(|b| EMOJI[(*b & 63) as usize].to_owned())
        .collect();
    Sas { digits, emoji }
}

fn sha256(b: &[u8]) -> [u8; 32] {
    let mut ctx = Context::new(&SHA256);
    ctx.update(b);
    let mut out = [0u8; 32];
    out.copy_from_slice(ctx.finish().as_ref());
    out
}

/// One message of the invite exchange (sealed in a mailbox).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InviteMessage {
    pub v: u16,
    pub step: InviteStep,
}

/// The steps of the exchange (see the module docs).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InviteStep {
    Commit {
        commitment: Hash,
        terms: Terms,
    },
    Reveal {
        bundle: Bundle,
        nonce: Bytes,
    },
    Open {
        bundle: Bundle,
        nonce: Bytes,
    },
    Confirm {
        sig: Signature,
    },
    Welcome {
        space: SpaceId,
        kind: String,
        role: String,
        /// The log's length and head the inviter saw after adding the
        /// joiner: the joiner's first sync must serve this log.
        log_len: u64,
        head: Hash,
        sig: Signature,
    },
    /// The person said the strings do not match, or cancelled.
    Decline,
    /// The inviter's time ran out: the code no longer works.
    Expired,
}

/// Nonce length in invite messages.
pub const NONCE_LEN: usize = 32;

impl Message for InviteMessage {
    const MAX_BYTES: usize = 2048;
    fn version(&self) -> u16 {
        self.v
    }
    fn check(&self) -> Result<(), DecodeError> {
        let too_large = |field| DecodeError::FieldTooLarge { field, max: 400 };
        match &self.step {
            InviteStep::Reveal { bundle, nonce } | InviteStep::Open { bundle, nonce } => {
                if bundle.name.len() > 400 {
                    return Err(too_large("name"));
                }
                if nonce.0.len() != NONCE_LEN {
                    return Err(DecodeError::FieldTooLarge {
                        field: "nonce",
                        max: NONCE_LEN,
                    });
                }
            }
            InviteStep::Welcome { kind, role, .. } => {
                if kind.len() > 32 || role.len() > 32 {
                    return Err(too_large("kind"));
                }
            }
            InviteStep::Commit { terms, .. } => {
                if terms.role.len() > 32 {
                    return Err(too_large("role"));
                }
            }
            InviteStep::Confirm { .. } | InviteStep::Decline | InviteStep::Expired => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(n: u8) -> Bundle {
        Bundle {
            device: DeviceKey([n; 32]),
            wrap_key: WrapKey([n + 1; 32]),
            name: format!("device {n}"),
        }
    }

    #[test]
    fn codes_read_forgivingly_and_reject_junk() {
        let c = InviteCode::from_random(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 31]);
        assert_eq!(c.display(), "01234-5678Z");
        assert_eq!(InviteCode::parse("01234-5678z").unwrap(), c);
        assert_eq!(InviteCode::parse(" o1234 5678Z ").unwrap(), c);
        assert_eq!(
            InviteCode::parse("OI234-5678Z").unwrap().as_str(),
            "01234".to_owned() + "5678Z"
        );
        assert!(InviteCode::parse("01234-5678").is_err(), "too short");
        assert!(InviteCode::parse("01234-5678ZZ").is_err(), "too long");
        assert!(
            InviteCode::parse("01234-5678U").is_err(),
            "U is not in the alphabet"
        );
        assert!(InviteCode::parse("01234-5678é").is_err());
        assert!(
            !format!("{c:?}").contains("01234"),
            "codes stay out of logs"
        );
    }

    #[test]
    fn the_sas_depends_on_every_input() {
        let code = InviteCode::parse("ABCDE-FGHJK").unwrap();
        let terms = Terms {
            role: "writer".into(),
            expires_at: 1_800_000_000,
        };
        let base = transcript(&code, &terms, &b(1), &b(3), &[1; 32], &[2; 32]);
        let s = sas(&base);
        assert_eq!(s.digits.len(), 7);
        assert_eq!(s.emoji.len(), 4);
        assert_eq!(sas(&base), s, "deterministic");
        let other_code = InviteCode::parse("ABCDE-FGHJM").unwrap();
        let reader = Terms {
            role: "reader".into(),
            ..terms.clone()
        };
        let later = Terms {
            expires_at: terms.expires_at + 1,
            ..terms.clone()
        };
        for t in [
            transcript(&other_code, &terms, &b(1), &b(3), &[1; 32], &[2; 32]),
            transcript(&code, &reader, &b(1), &b(3), &[1; 32], &[2; 32]),
            transcript(&code, &later, &b(1), &b(3), &[1; 32], &[2; 32]),
            transcript(&code, &terms, &b(5), &b(3), &[1; 32], &[2; 32]),
            transcript(&code, &terms, &b(1), &b(5), &[1; 32], &[2; 32]),
            transcript(&code, &terms, &b(1), &b(3), &[9; 32], &[2; 32]),
            transcript(&code, &terms, &b(1), &b(3), &[1; 32], &[9; 32]),
        ] {
            assert_ne!(t, base);
        }
        assert_ne!(commitment(&b(1), &[1; 32]), commitment(&b(1), &[2; 32]));
        assert_ne!(commitment(&b(1), &[1; 32]), commitment(&b(2), &[1; 32]));
    }

    #[test]
    fn sas_digits_spread_evenly() {
        // 2,000 transcripts: every leading digit appears, none dominates.
        let code = InviteCode::parse("ABCDE-FGHJK").unwrap();
        let mut counts = [0u32; 10];
        for i in 0..2000u32 {
            let mut n = [0u8; 32];
            n[..4].copy_from_slice(&i.to_be_bytes());
            let terms = Terms {
                role: "writer".into(),
                expires_at: 0,
            };
            let s = sas(&transcript(&code, &terms, &b(1), &b(3), &n, &[2; 32]));
            counts[(s.digits.as_bytes()[0] - b'0') as usize] += 1;
        }
        assert!(counts.iter().all(|c| (120..=280).contains(c)), "{counts:?}");
    }

    #[test]
    fn invite_messages_are_checked() {
        let bad = InviteMessage {
            v: crate::PROTOCOL_VERSION,
            step: InviteStep::Reveal {
                bundle: b(1),
                nonce: Bytes(vec![0; 5]),
            },
        };
        assert!(crate::decode::<InviteMessage>(&crate::encode(&bad)).is_err());
        let good = InviteMessage {
            v: crate::PROTOCOL_VERSION,
            step: InviteStep::Reveal {
                bundle: b(1),
                nonce: Bytes(vec![0; NONCE_LEN]),
            },
        };
        assert_eq!(
            crate::decode::<InviteMessage>(&crate::encode(&good)).unwrap(),
            good
        );
        let mut bytes = crate::encode(&good);
        bytes.push(0);
        assert!(
            crate::decode::<InviteMessage>(&bytes).is_err(),
            "trailing bytes"
        );
    }
}
