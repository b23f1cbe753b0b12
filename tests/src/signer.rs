//! A device's signing key for tests that speak the protocol directly
//! (API and storage tests): valid log entries and envelopes, signed.

use kindred_protocol::*;
use ring::rand::SystemRandom;
use ring::signature::{Ed25519KeyPair, KeyPair};

/// A test device: an Ed25519 key pair, and the nonces of the spaces it
/// made ids for (a space id is derived from its genesis nonce and owner).
pub struct Dev {
    pair: Ed25519KeyPair,
    nonces: std::sync::Mutex<std::collections::HashMap<SpaceId, Vec<u8>>>,
    /// The hash of the first envelope made at each space and sequence
    /// (the one a relay keeps; a later one at the same place is a
    /// conflict it refuses): the next one names it as `prev` (the
    /// per-device chain). [`Dev::forget`] drops one the relay refused.
    chain: std::sync::Mutex<std::collections::HashMap<(SpaceId, u64), Hash>>,
}

impl std::fmt::Debug for Dev {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Dev({})", &self.key().to_hex()[..8])
    }
}

impl Default for Dev {
    fn default() -> Self {
        Self::new()
    }
}

impl Dev {
    pub fn new() -> Dev {
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).expect("a key pair");
        Dev {
            pair: Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).expect("a key pair"),
            nonces: Default::default(),
            chain: Default::default(),
        }
    }

    /// The id of the space this device's genesis with nonce `[n; 16]`
    /// makes (the same `n` gives the same id for this device).
    pub fn space_for(&self, n: u8) -> SpaceId {
        self.space_with_nonce(vec![n; SPACE_NONCE_LEN])
    }

    /// The id of a new space of this device's, from a random nonce.
    pub fn new_space(&self) -> SpaceId {
        use ring::rand::SecureRandom;
        let mut nonce = vec![0u8; SPACE_NONCE_LEN];
        SystemRandom::new().fill(&mut nonce).expect("random bytes");
        self.space_with_nonce(nonce)
    }

    fn space_with_nonce(&self, nonce: Vec<u8>) -> SpaceId {
        let id = space_id_for(&nonce, &self.key());
        self.nonces
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id, nonce);
        id
    }

    pub fn key(&self) -> DeviceKey {
        DeviceKey::from_slice(self.pair.public_key().as_ref()).expect("32 bytes")
    }

    pub fn sign(&self, m: &[u8]) -> Signature {
        Signature::from_slice(self.pair.sign(m).as_ref()).expect("64 bytes")
    }

    /// This device as an owner.
    pub fn member(&self) -> Member {
        Member {
            device: self.key(),
            wrap_key: WrapKey([7; 32]),
            role: Role::Owner,
            sealed_label: Bytes(vec![1; 20]),
        }
    }

    /// A signed log entry by this device.
    pub fn entry(&self, space: SpaceId, seq: u64, prev: Hash, action: Action) -> LogEntry {
        let mut e = LogEntry {
            v: PROTOCOL_VERSION,
            space,
            seq,
            prev,
            author: self.key(),
            action,
            sig: Signature([0; 64]),
        };
        e.sig = self.sign(&e.signing_bytes());
        e
    }

    /// A genesis making this device the owner of `space`, an id it made
    /// with [`Dev::space_for`] or [`Dev::new_space`]. Any other id gives a
    /// genesis that claims an id it does not make (the relay refuses it).
    pub fn genesis(&self, space: SpaceId) -> LogEntry {
        let nonce = self
            .nonces
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&space)
            .cloned()
            .unwrap_or_else(|| vec![0; SPACE_NONCE_LEN]);
        self.entry(
            space,
            0,
            Hash([0; 32]),
            Action::Genesis {
                nonce: Bytes(nonce),
                owner: self.member(),
                key: wrapped(),
                confirm: Hash([0; 32]),
            },
        )
    }

    /// A signed envelope (epoch 1) from this device.
    pub fn envelope(&self, space: SpaceId, seq: u64, payload: Vec<u8>) -> ChangeEnvelope {
        self.envelope_in(space, 1, seq, payload)
    }

    /// A signed envelope under `epoch`.
    pub fn envelope_in(
        &self,
        space: SpaceId,
        epoch: u32,
        seq: u64,
        payload: Vec<u8>,
    ) -> ChangeEnvelope {
        let prev = self
            .chain
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&(space, seq.wrapping_sub(1)))
            .copied()
            .unwrap_or(Hash([0; 32]));
        let mut e = ChangeEnvelope {
            v: PROTOCOL_VERSION,
            space,
            epoch,
            device: self.key(),
            seq,
            prev,
            salt: Salt([3; 32]),
            ciphertext: Bytes(payload),
            sig: Signature([0; 64]),
        };
        e.sig = self.sign(&e.signing_bytes());
        self.chain
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry((space, seq))
            .or_insert_with(|| e.hash());
        e
    }

    /// The relay refused the envelope at `seq`: it is not part of this
    /// device's chain, and removal bounds must not name it.
    pub fn forget(&self, space: SpaceId, seq: u64) {
        self.chain
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&(space, seq));
    }

    /// This device's chain head in `space` (the last envelope made), as
    /// removal bounds name it: empty if it made none.
    pub fn bounds(&self, space: SpaceId) -> Vec<Bound> {
        let chain = self.chain.lock().unwrap_or_else(|p| p.into_inner());
        chain
            .iter()
            .filter(|((sp, _), _)| *sp == space)
            .max_by_key(|((_, seq), _)| *seq)
            .map(|((_, seq), head)| Bound {
                device: self.key(),
                seq: *seq,
                head: *head,
            })
            .into_iter()
            .collect()
    }

    /// A signed snapshot (epoch 1) covering changes up to `covers`.
    pub fn snapshot(&self, space: SpaceId, covers: u64, payload: Vec<u8>) -> SnapshotEnvelope {
        let mut s = SnapshotEnvelope {
            v: PROTOCOL_VERSION,
            space,
            epoch: 1,
            device: self.key(),
            covers,
            heads: Vec::new(),
            salt: Salt([5; 32]),
            ciphertext: Bytes(payload),
            sig: Signature([0; 64]),
        };
        s.sig = self.sign(&s.signing_bytes());
        s
    }
}

/// A wrapped key of the right shape (its contents are not checked by the relay).
pub fn wrapped() -> WrappedKey {
    WrappedKey {
        suite: 1,
        enc: Bytes(vec![1; 32]),
        ciphertext: Bytes(vec![2; 48]),
    }
}
