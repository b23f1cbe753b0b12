//! Remote invites, for a person and a worker who are not in the same
//! room: the code, the messages and their checks (the cryptography is in
//! [`crate::invite_pake`]; the argument in docs/crypto.md, "Invite PAKE
//! and SAS (issue 13)").
//!
//! The code's first group of five characters finds the mailboxes; the
//! whole code is the SPAKE2 password. Nothing the relay sees depends on
//! the second group, so the relay (which can work out the first group from
//! the mailbox id) has nothing to test guesses of the second against.
//!
//! 1. inviter → joiner: `Commit { H(X), terms }` (terms: the role and
//!    when the code stops working; readable by the relay, bound into the
//!    session key so a change on the way breaks it)
//! 2. joiner → inviter: `Pake { Y }`
//! 3. inviter → joiner: `Open { X, seal(Hello { bundle_I, terms }) }`; the
//!    joiner checks X against the commitment
//! 4. joiner → inviter: `Sealed(Hello { bundle_J, terms })`
//! 5. both show the SAS from the session key; each person confirms
//! 6. joiner → inviter: `Sealed(Confirm { sig_J(transcript) })`; only with
//!    it and its own person's recorded yes does the inviter add the joiner
//! 7. inviter → joiner: `Sealed(Welcome { space, .., sig_I })`
//!
//! A message sealed under another session (another code, an earlier run)
//! does not open: the invite stops with a typed error and adds no one.

use ring::digest::{Context, SHA256};
use serde::{Deserialize, Serialize};

use crate::bytes::{Bytes, DeviceKey, Hash, Signature, SpaceId, WrapKey};
use crate::canonical::Canonical;
use crate::codec::Message;
use crate::error::DecodeError;
use crate::invite_pake::PAKE_MSG_LEN;

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

    /// The canonical characters (the SPAKE2 password).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first group (25 bits): finds the mailboxes. The relay can work
    /// it out from a mailbox id, so it is not secret from the relay.
    pub fn locator(&self) -> &str {
        &self.0[..CODE_LEN / 2]
    }

    /// The mailbox ids (for the inviter, for the joiner): HKDF-SHA256 of
    /// the first group only, so a mailbox id says nothing about the
    /// second.
    pub fn mailboxes(&self) -> ([u8; 16], [u8; 16]) {
        let prk = ring::hkdf::Salt::new(ring::hkdf::HKDF_SHA256, b"kindred/v2/invite-box")
            .extract(self.locator().as_bytes());
        let id = |info: &[u8]| {
            let mut out = [0u8; 16];
            let parts = [info];
            prk.expand(&parts, Len16)
                .and_then(|okm| okm.fill(&mut out))
                .expect("16 bytes is a valid HKDF-SHA256 output length");
            out
        };
        (id(b"box/to-inviter"), id(b"box/to-joiner"))
    }
}

struct Len16;

impl ring::hkdf::KeyType for Len16 {
    fn len(&self) -> usize {
        16
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

pub(crate) fn bundle(c: Canonical, b: &Bundle) -> Canonical {
    c.bytes(&b.device.0)
        .bytes(&b.wrap_key.0)
        .bytes(b.name.as_bytes())
}

/// What an invite offers: the role the joiner gets and when the code
/// stops working (Unix seconds, the inviter's clock).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Terms {
    pub role: String,
    pub expires_at: u64,
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

pub(crate) fn sha256(b: &[u8]) -> [u8; 32] {
    let mut ctx = Context::new(&SHA256);
    ctx.update(b);
    let mut out = [0u8; 32];
    out.copy_from_slice(ctx.finish().as_ref());
    out
}

/// One message of the invite exchange, as posted in a mailbox (what the
/// relay sees).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InviteMessage {
    pub v: u16,
    pub step: InviteStep,
}

/// The steps the relay sees (see the module docs).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InviteStep {
    /// Inviter: its commitment to its SPAKE2 message, and the terms.
    Commit { commitment: Hash, terms: Terms },
    /// Joiner: its SPAKE2 message.
    Pake { msg: Bytes },
    /// Inviter: its SPAKE2 message (opening the commitment) and its
    /// [`SessionStep::Hello`], sealed under the session.
    Open { msg: Bytes, sealed: Bytes },
    /// Either side: a [`SessionMessage`] sealed under the session.
    Sealed { sealed: Bytes },
    /// The inviter's time ran out (or its person gave up) before anyone
    /// answered: the code no longer works.
    Expired,
}

/// What travels sealed under the session key (what only the two ends
/// read).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionMessage {
    pub v: u16,
    pub step: SessionStep,
}

/// The sealed steps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionStep {
    /// Who this side is, and the terms as it saw them.
    Hello {
        bundle: Bundle,
        terms: Terms,
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

impl Message for InviteMessage {
    const MAX_BYTES: usize = 2048;
    fn version(&self) -> u16 {
        self.v
    }
    fn check(&self) -> Result<(), DecodeError> {
        let pake = |msg: &Bytes| {
            if msg.0.len() == PAKE_MSG_LEN {
                Ok(())
            } else {
                Err(DecodeError::FieldTooLarge {
                    field: "pake",
                    max: PAKE_MSG_LEN,
                })
            }
        };
        match &self.step {
            InviteStep::Commit { terms, .. } => check_terms(terms),
            InviteStep::Pake { msg } => pake(msg),
            InviteStep::Open { msg, .. } => pake(msg),
            InviteStep::Sealed { .. } | InviteStep::Expired => Ok(()),
        }
    }
}

fn check_terms(terms: &Terms) -> Result<(), DecodeError> {
    if terms.role.len() > 32 {
        return Err(DecodeError::FieldTooLarge {
            field: "role",
            max: 32,
        });
    }
    Ok(())
}

impl Message for SessionMessage {
    const MAX_BYTES: usize = 1536;
    fn version(&self) -> u16 {
        self.v
    }
    fn check(&self) -> Result<(), DecodeError> {
        let too_large = |field, max| DecodeError::FieldTooLarge { field, max };
        match &self.step {
            SessionStep::Hello { bundle, terms } => {
                if bundle.name.len() > 400 {
                    return Err(too_large("name", 400));
                }
                check_terms(terms)
            }
            SessionStep::Welcome { kind, role, .. } => {
                if kind.len() > 32 || role.len() > 32 {
                    return Err(too_large("kind", 32));
                }
                Ok(())
            }
            SessionStep::Confirm { .. } | SessionStep::Decline | SessionStep::Expired => Ok(()),
        }
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
    fn mailboxes_depend_on_the_first_group_only() {
        let a = InviteCode::parse("ABCDE-FGHJK").unwrap();
        let b = InviteCode::parse("ABCDE-00000").unwrap();
        let c = InviteCode::parse("ABCDF-FGHJK").unwrap();
        assert_eq!(a.locator(), "ABCDE");
        assert_eq!(a.mailboxes(), b.mailboxes());
        assert_ne!(a.mailboxes(), c.mailboxes());
        let (to_i, to_j) = a.mailboxes();
        assert_ne!(to_i, to_j);
    }

    #[test]
    fn invite_messages_are_checked() {
        let bad = InviteMessage {
            v: crate::PROTOCOL_VERSION,
            step: InviteStep::Pake {
                msg: Bytes(vec![0; 5]),
            },
        };
        assert!(crate::decode::<InviteMessage>(&crate::encode(&bad)).is_err());
        let good = InviteMessage {
            v: crate::PROTOCOL_VERSION,
            step: InviteStep::Pake {
                msg: Bytes(vec![0x42; PAKE_MSG_LEN]),
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
        let long_name = SessionMessage {
            v: crate::PROTOCOL_VERSION,
            step: SessionStep::Hello {
                bundle: Bundle {
                    name: "x".repeat(401),
                    ..b(1)
                },
                terms: Terms {
                    role: "writer".into(),
                    expires_at: 0,
                },
            },
        };
        assert!(crate::decode::<SessionMessage>(&crate::encode(&long_name)).is_err());
        let hello = SessionMessage {
            v: crate::PROTOCOL_VERSION,
            step: SessionStep::Hello {
                bundle: b(1),
                terms: Terms {
                    role: "writer".into(),
                    expires_at: 0,
                },
            },
        };
        assert_eq!(
            crate::decode::<SessionMessage>(&crate::encode(&hello)).unwrap(),
            hello
        );
    }
}
