//! The cryptography of an invite: SPAKE2 over the code, the session key
//! schedule, the sealed mailbox messages and the short authentication
//! string (docs/crypto.md, "Invite PAKE and SAS (issue 13)").
//!
//! Why a PAKE: the code is short (50 bits, read over the phone), so any
//! value the relay sees that depends on the code alone is something it can
//! test guesses against offline. With SPAKE2 the messages the relay sees
//! are uniformly random group elements whatever the code, and the session
//! key needs one side's secret scalar as well as the code: a guess can be
//! tested only by running the exchange with a live device, once per
//! invite, and a failed run burns the invite.
//!
//! Why the commitment on top: someone who overheard the code can sit in
//! the middle and complete two exchanges. The people then compare strings
//! derived from two different session keys; the inviter commits to its
//! SPAKE2 message before it sees the joiner's, so neither key can be ground
//! by the man in the middle until the strings collide.

use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::hkdf;
use spake2::{Ed25519Group, Identity, Password, Spake2};

use crate::bytes::Hash;
use crate::canonical::Canonical;
use crate::invite::{Bundle, InviteCode, Terms, sha256};

/// Bytes in a SPAKE2 message (a side byte and an Ed25519 point).
pub const PAKE_MSG_LEN: usize = 33;

/// Which end of the exchange a device is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The device that made the code (SPAKE2 side A).
    Inviter,
    /// The device that typed it (SPAKE2 side B).
    Joiner,
}

/// One side's SPAKE2 state between sending its message and reading the
/// other's. Holds a secret scalar: it never leaves the device.
pub struct Pake {
    state: Spake2<Ed25519Group>,
    side: Side,
    mine: Vec<u8>,
}

impl std::fmt::Debug for Pake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pake")
            .field("side", &self.side)
            .finish_non_exhaustive()
    }
}

const ID_INVITER: &[u8] = b"kindred/v2/invite/inviter";
const ID_JOINER: &[u8] = b"kindred/v2/invite/joiner";

/// The SPAKE2 failed: the other side's message was not a valid point, or
/// came from the wrong side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the other device's invite message is not a valid key-exchange message")]
pub struct PakeError;

impl Pake {
    /// Starts SPAKE2 with the whole code as the password (with a fresh
    /// random scalar from the system's generator).
    pub fn start(side: Side, code: &InviteCode) -> Pake {
        let pw = Password::new(code.as_str().as_bytes());
        let (a, b) = (Identity::new(ID_INVITER), Identity::new(ID_JOINER));
        let (state, mine) = match side {
            Side::Inviter => Spake2::<Ed25519Group>::start_a(&pw, &a, &b),
            Side::Joiner => Spake2::<Ed25519Group>::start_b(&pw, &a, &b),
        };
        Pake { state, side, mine }
    }

    /// This side's message (what it posts).
    pub fn message(&self) -> &[u8] {
        &self.mine
    }

    /// Reads the other side's message: the SPAKE2 key, bound with the
    /// commitment and the terms into the session's keys. Both sides get
    /// the same session only if both used the same code.
    pub fn finish(self, theirs: &[u8], commit: &Hash, terms: &Terms) -> Result<Session, PakeError> {
        let (x, y) = match self.side {
            Side::Inviter => (self.mine.clone(), theirs.to_vec()),
            Side::Joiner => (theirs.to_vec(), self.mine.clone()),
        };
        let key = self.state.finish(theirs).map_err(|_| PakeError)?;
        Ok(Session::derive(&key, commit, &x, &y, terms))
    }
}

/// The inviter's commitment to its SPAKE2 message.
pub fn pake_commitment(x: &[u8]) -> Hash {
    Hash(sha256(
        &Canonical::new("invite-pake-commit").bytes(x).finish(),
    ))
}

/// What both ends of one exchange share once the PAKE is done.
pub struct Session {
    to_inviter: [u8; 32],
    to_joiner: [u8; 32],
    sas: [u8; 12],
    bind: [u8; 32],
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Session(..)")
    }
}

struct Len(usize);

impl hkdf::KeyType for Len {
    fn len(&self) -> usize {
        self.0
    }
}

impl Session {
    /// `PRK = HKDF-Extract(salt = SHA-256(canonical("invite-session", C,
    /// X, Y, role, expires_at)), IKM = K)`, then one HKDF-Expand per use.
    fn derive(key: &[u8], commit: &Hash, x: &[u8], y: &[u8], terms: &Terms) -> Session {
        let salt = sha256(
            &Canonical::new("invite-session")
                .bytes(&commit.0)
                .bytes(x)
                .bytes(y)
                .bytes(terms.role.as_bytes())
                .u64(terms.expires_at)
                .finish(),
        );
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, &salt).extract(key);
        fn out<const N: usize>(prk: &hkdf::Prk, info: &[u8]) -> [u8; N] {
            let mut o = [0u8; N];
            let parts = [info];
            prk.expand(&parts, Len(N))
                .and_then(|okm| okm.fill(&mut o))
                .expect("at most 32 bytes is a valid HKDF-SHA256 output length");
            o
        }
        Session {
            to_inviter: out(&prk, b"seal/to-inviter"),
            to_joiner: out(&prk, b"seal/to-joiner"),
            sas: out(&prk, b"sas"),
            bind: out(&prk, b"transcript"),
        }
    }

    /// The key that seals messages posted for `to`.
    fn key(&self, to: Side) -> LessSafeKey {
        let k = match to {
            Side::Inviter => &self.to_inviter,
            Side::Joiner => &self.to_joiner,
        };
        LessSafeKey::new(
            UnboundKey::new(&CHACHA20_POLY1305, k).expect("32 bytes is a ChaCha20 key"),
        )
    }

    /// Seals `plain` for the side `to` under a nonce the caller drew at
    /// random (nonce ‖ ciphertext ‖ tag).
    pub fn seal(&self, to: Side, nonce: [u8; NONCE_LEN], plain: &[u8]) -> Vec<u8> {
        let mut buf = plain.to_vec();
        self.key(to)
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(aad(to)),
                &mut buf,
            )
            .expect("an invite message is far below ChaCha20-Poly1305's limit");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&buf);
        out
    }

    /// Opens what was sealed for `to`; `None` if it was sealed under
    /// another session (another code, another run) or changed.
    pub fn open(&self, to: Side, sealed: &[u8]) -> Option<Vec<u8>> {
        if sealed.len() < NONCE_LEN + 16 {
            return None;
        }
        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(&sealed[..NONCE_LEN]);
        let mut buf = sealed[NONCE_LEN..].to_vec();
        let n = self
            .key(to)
            .open_in_place(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(aad(to)),
                &mut buf,
            )
            .ok()?
            .len();
        buf.truncate(n);
        Some(buf)
    }

    /// The short string the two people compare.
    pub fn sas(&self) -> Sas {
        sas_from(&self.sas)
    }

    /// The transcript both signatures (confirm, welcome) are over: the
    /// session (code, commitment, both PAKE messages, terms) and both
    /// bundles.
    pub fn transcript(&self, inviter: &Bundle, joiner: &Bundle) -> Hash {
        let c = Canonical::new("invite-transcript").bytes(&self.bind);
        let c = crate::invite::bundle(c, inviter);
        let c = crate::invite::bundle(c, joiner);
        Hash(sha256(&c.finish()))
    }
}

fn aad(to: Side) -> [u8; 1] {
    match to {
        Side::Inviter => [b'I'],
        Side::Joiner => [b'J'],
    }
}

/// 64 emoji that are easy to tell apart and to name aloud.
pub const EMOJI: [&str; 64] = [
    "🐶", "🐱", "🦁", "🐴", "🦄", "🐷", "🐘", "🐰", "🐼", "🐓", "🐧", "🐢", "🐟", "🐙", "🦋", "🌷",
    "🌳", "🌵", "🍄", "🌏", "🌙", "☁️", "🔥", "🍌", "🍎", "🍓", "🌽", "🍕", "🎂", "❤️", "😀", "🤖",
    "🎩", "👓", "🔧", "🎅", "👍", "☂️", "⌛", "⏰", "🎁", "💡", "📕", "✏️", "📎", "✂️", "🔒", "🔑",
    "🔨", "☎️", "🏁", "🚂", "🚲", "✈️", "🚀", "🏆", "⚽", "🎸", "🎺", "🔔", "⚓", "🎧", "📁", "📌",
];

/// Bits the two people compare when they check both the digits and the
/// emoji: log2(10^6) + 4·6 = 43.9.
pub const SAS_BITS: f64 = 43.93;

/// The short string both people compare: digits and emoji together, each
/// from different bits, so both must be compared.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Sas {
    /// Six digits, shown as `123 456` (19.9 bits).
    pub digits: String,
    /// Four emoji (6 bits each, 24 bits).
    pub emoji: Vec<String>,
}

impl Sas {
    /// Whether `typed` names this string: its six digits, then its four
    /// emoji, in order (spaces ignored). For scripts that were told the
    /// other side's string.
    pub fn matches(&self, typed: &str) -> bool {
        let compact: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
        let mine: String = self.digits.chars().filter(|c| !c.is_whitespace()).collect();
        compact == format!("{mine}{}", self.emoji.concat())
    }
}

/// Six digits = the first 8 bytes as a big-endian integer mod 10^6 (bias
/// below 2^-44); four emoji = the low 6 bits of each of the next 4 bytes,
/// into [`EMOJI`].
fn sas_from(b: &[u8; 12]) -> Sas {
    let mut n = [0u8; 8];
    n.copy_from_slice(&b[..8]);
    let digits = u64::from_be_bytes(n) % 1_000_000;
    let digits = format!("{:03} {:03}", digits / 1000, digits % 1000);
    let emoji = b[8..12]
        .iter()
        .map(|x| EMOJI[(*x & 63) as usize].to_owned())
        .collect();
    Sas { digits, emoji }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> InviteCode {
        InviteCode::parse(s).expect("code")
    }

    fn terms() -> Terms {
        Terms {
            role: "writer".into(),
            expires_at: 1_800_000_000,
        }
    }

    fn run(
        ci: &InviteCode,
        cj: &InviteCode,
    ) -> (Result<Session, PakeError>, Result<Session, PakeError>) {
        let i = Pake::start(Side::Inviter, ci);
        let j = Pake::start(Side::Joiner, cj);
        let c = pake_commitment(i.message());
        let (x, y) = (i.message().to_vec(), j.message().to_vec());
        (i.finish(&y, &c, &terms()), j.finish(&x, &c, &terms()))
    }

    #[test]
    fn the_same_code_gives_one_session_and_another_code_gives_none() {
        let (si, sj) = run(&code("ABCDE-FGHJK"), &code("ABCDE-FGHJK"));
        let (si, sj) = (si.expect("inviter"), sj.expect("joiner"));
        assert_eq!(si.sas(), sj.sas());
        let sealed = sj.seal(Side::Inviter, [7; NONCE_LEN], b"hello");
        assert_eq!(
            si.open(Side::Inviter, &sealed).as_deref(),
            Some(&b"hello"[..])
        );
        assert_eq!(
            si.open(Side::Joiner, &sealed),
            None,
            "sealed for one direction only"
        );
        let mut changed = sealed.clone();
        changed[NONCE_LEN] ^= 1;
        assert_eq!(si.open(Side::Inviter, &changed), None);

        // One character of the secret half differs: no shared key.
        let (si, sj) = run(&code("ABCDE-FGHJK"), &code("ABCDE-FGHJM"));
        let (si, sj) = (si.expect("inviter"), sj.expect("joiner"));
        assert_ne!(si.sas(), sj.sas());
        let sealed = sj.seal(Side::Inviter, [7; NONCE_LEN], b"hello");
        assert_eq!(si.open(Side::Inviter, &sealed), None);
    }

    #[test]
    fn two_runs_of_the_same_code_differ() {
        let (a, _) = run(&code("ABCDE-FGHJK"), &code("ABCDE-FGHJK"));
        let (b, _) = run(&code("ABCDE-FGHJK"), &code("ABCDE-FGHJK"));
        assert_ne!(a.expect("a").sas(), b.expect("b").sas());
    }

    #[test]
    fn pake_messages_of_the_wrong_side_or_shape_are_refused() {
        let c = code("ABCDE-FGHJK");
        let i = Pake::start(Side::Inviter, &c);
        let other = Pake::start(Side::Inviter, &c);
        let commit = pake_commitment(i.message());
        assert!(
            Pake::start(Side::Inviter, &c)
                .finish(other.message(), &commit, &terms())
                .is_err(),
            "an inviter's message reflected back"
        );
        assert!(
            i.finish(&[0x42; 5], &commit, &terms()).is_err(),
            "too short"
        );
        // About half of all 32-byte strings are not points on the curve.
        let not_points = (0..=255u8)
            .filter(|b| {
                let mut bad = vec![0x41];
                bad.extend_from_slice(&[*b; 32]);
                Pake::start(Side::Joiner, &c)
                    .finish(&bad, &commit, &terms())
                    .is_err()
            })
            .count();
        assert!(not_points > 50, "{not_points}");
    }

    #[test]
    fn the_sas_reads_back_only_whole() {
        let s = sas_from(&[1; 12]);
        assert_eq!(s.digits.len(), 7);
        assert_eq!(s.emoji.len(), 4);
        let whole = format!("{} {}", s.digits, s.emoji.join(" "));
        assert!(s.matches(&whole));
        assert!(!s.matches(&s.digits), "the digits alone are not enough");
        let mut other = s.emoji.clone();
        other[3] = if other[3] == EMOJI[0] {
            EMOJI[1]
        } else {
            EMOJI[0]
        }
        .into();
        assert!(!s.matches(&format!("{} {}", s.digits, other.concat())));
        assert!((SAS_BITS - (1e6f64.log2() + 24.0)).abs() < 0.01);
    }

    #[test]
    fn sas_digits_and_emoji_spread_evenly() {
        let mut digits = [0u32; 10];
        let mut emoji = std::collections::HashMap::new();
        for i in 0..4000u32 {
            let h = sha256(&i.to_be_bytes());
            let mut b = [0u8; 12];
            b.copy_from_slice(&h[..12]);
            let s = sas_from(&b);
            digits[(s.digits.as_bytes()[0] - b'0') as usize] += 1;
            *emoji.entry(s.emoji[0].clone()).or_insert(0u32) += 1;
        }
        assert!(digits.iter().all(|c| (300..=500).contains(c)), "{digits:?}");
        assert_eq!(emoji.len(), 64, "every emoji appears");
        assert!(emoji.values().all(|c| (20..=110).contains(c)), "{emoji:?}");
    }
}
