//! The protocol's promises: strict decoding, signatures over canonical
//! bytes, and membership-log verification.
#![allow(clippy::unwrap_used)]

use kindred_protocol::messages::*;
use kindred_protocol::*;
use proptest::prelude::*;
use ring::rand::SystemRandom;
use ring::signature::{Ed25519KeyPair, KeyPair};

struct Device {
    pair: Ed25519KeyPair,
}

impl Device {
    fn new() -> Device {
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).unwrap();
        Device {
            pair: Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap(),
        }
    }
    fn key(&self) -> DeviceKey {
        DeviceKey::from_slice(self.pair.public_key().as_ref()).unwrap()
    }
    fn sign(&self, msg: &[u8]) -> Signature {
        Signature::from_slice(self.pair.sign(msg).as_ref()).unwrap()
    }
    fn member(&self, role: Role) -> Member {
        Member {
            device: self.key(),
            wrap_key: WrapKey([9; 32]),
            role,
            sealed_label: Bytes(vec![1, 2, 3]),
        }
    }
}

fn wrapped() -> WrappedKey {
    WrappedKey {
        suite: 1,
        enc: Bytes(vec![7; 32]),
        ciphertext: Bytes(vec![8; 48]),
    }
}

const SPACE: SpaceId = SpaceId([3; 16]);
const NONCE: [u8; SPACE_NONCE_LEN] = [4; SPACE_NONCE_LEN];

thread_local! {
    /// The space of the log a test is building: set by its genesis (the
    /// id is derived from it), named by every later entry.
    static LOG_SPACE: std::cell::Cell<SpaceId> = const { std::cell::Cell::new(SPACE) };
}

fn entry(author: &Device, seq: u64, prev: Hash, action: Action) -> LogEntry {
    if let Action::Genesis { nonce, .. } = &action
        && seq == 0
    {
        LOG_SPACE.with(|s| s.set(space_id_for(&nonce.0, &author.key())));
    }
    let mut e = LogEntry {
        v: PROTOCOL_VERSION,
        space: LOG_SPACE.with(|s| s.get()),
        seq,
        prev,
        author: author.key(),
        action,
        sig: Signature([0; 64]),
    };
    e.sig = author.sign(&e.signing_bytes());
    e
}

fn genesis(owner: &Device) -> LogEntry {
    entry(
        owner,
        0,
        Hash([0; 32]),
        Action::Genesis {
            nonce: Bytes(NONCE.to_vec()),
            owner: owner.member(Role::Owner),
            key: wrapped(),
            confirm: Hash([0; 32]),
        },
    )
}

fn keys_for(devices: &[&Device]) -> Vec<KeyFor> {
    devices
        .iter()
        .map(|d| KeyFor {
            device: d.key(),
            key: wrapped(),
            sealed_label: Bytes(vec![7; 40]),
        })
        .collect()
}

#[test]
fn a_log_of_add_remove_rotate_verifies_and_tracks_members() {
    let (phone, tablet, laptop) = (Device::new(), Device::new(), Device::new());
    let g = genesis(&phone);
    let mut m = Membership::genesis(&g).unwrap();
    let add_t = entry(
        &phone,
        1,
        m.head,
        Action::AddDevice {
            member: tablet.member(Role::Owner),
            epoch: 1,
            key: wrapped(),
        },
    );
    m.apply(&add_t).unwrap();
    let add_l = entry(
        &tablet,
        2,
        m.head,
        Action::AddDevice {
            member: laptop.member(Role::Writer),
            epoch: 1,
            key: wrapped(),
        },
    );
    m.apply(&add_l).unwrap();
    let remove = entry(
        &phone,
        3,
        m.head,
        Action::RemoveDevice {
            device: laptop.key(),
            epoch: 2,
            keys: keys_for(&[&phone, &tablet]),
            bounds: vec![],
            confirm: Hash([0; 32]),
            lost: false,
            at: 0,
        },
    );
    m.apply(&remove).unwrap();
    let rotate = entry(
        &tablet,
        4,
        m.head,
        Action::Rotate {
            epoch: 3,
            keys: keys_for(&[&phone, &tablet]),
            bounds: vec![],
            confirm: Hash([0; 32]),
        },
    );
    m.apply(&rotate).unwrap();
    assert_eq!(m.epoch, 3);
    assert_eq!(m.len, 5);
    assert_eq!(m.role_of(&phone.key()), Some(Role::Owner));
    assert_eq!(m.role_of(&laptop.key()), None);
    assert!(m.removed.contains(&laptop.key()));
    let again = Membership::from_log(&[g, add_t, add_l, remove, rotate]).unwrap();
    assert_eq!(again, m);
}

#[test]
fn log_entries_that_break_a_rule_are_refused() {
    let (owner, writer, stranger, other) =
        (Device::new(), Device::new(), Device::new(), Device::new());
    let g = genesis(&owner);
    let mut m = Membership::genesis(&g).unwrap();
    m.apply(&entry(
        &owner,
        1,
        m.head,
        Action::AddDevice {
            member: writer.member(Role::Writer),
            epoch: 1,
            key: wrapped(),
        },
    ))
    .unwrap();
    let add_other = |author: &Device, seq, prev, epoch| {
        entry(
            author,
            seq,
            prev,
            Action::AddDevice {
                member: other.member(Role::Reader),
                epoch,
                key: wrapped(),
            },
        )
    };
    let before = m.clone();
    // Stale head (compare-and-swap loser), wrong position, wrong epoch.
    assert_eq!(
        m.apply(&add_other(&owner, 2, g.hash(), 1)),
        Err(VerifyError::BrokenChain)
    );
    assert!(matches!(
        m.apply(&add_other(&owner, 5, m.head, 1)),
        Err(VerifyError::OutOfOrder { .. })
    ));
    assert!(matches!(
        m.apply(&add_other(&owner, 2, m.head, 2)),
        Err(VerifyError::WrongEpoch { .. })
    ));
    // Not an owner; not a member.
    assert_eq!(
        m.apply(&add_other(&writer, 2, m.head, 1)),
        Err(VerifyError::NotAllowed)
    );
    assert_eq!(
        m.apply(&add_other(&stranger, 2, m.head, 1)),
        Err(VerifyError::NotMember)
    );
    // A forged signature: signed by a stranger but naming the owner.
    let mut forged = add_other(&stranger, 2, m.head, 1);
    forged.author = owner.key();
    assert_eq!(m.apply(&forged), Err(VerifyError::BadSignature));
    // Keys that leave out a remaining member, or include the removed one.
    let bad_keys = entry(
        &owner,
        2,
        m.head,
        Action::RemoveDevice {
            device: writer.key(),
            epoch: 2,
            keys: keys_for(&[&owner, &writer]),
            bounds: vec![],
            confirm: Hash([0; 32]),
            lost: false,
            at: 0,
        },
    );
    assert_eq!(m.apply(&bad_keys), Err(VerifyError::KeysDoNotMatchMembers));
    let rotate_missing = entry(
        &owner,
        2,
        m.head,
        Action::Rotate {
            epoch: 2,
            keys: keys_for(&[&owner]),
            bounds: vec![],
            confirm: Hash([0; 32]),
        },
    );
    assert_eq!(
        m.apply(&rotate_missing),
        Err(VerifyError::KeysDoNotMatchMembers)
    );
    // The last owner cannot remove itself.
    let last = entry(
        &owner,
        2,
        m.head,
        Action::RemoveDevice {
            device: owner.key(),
            epoch: 2,
            keys: keys_for(&[&writer]),
            bounds: vec![],
            confirm: Hash([0; 32]),
            lost: false,
            at: 0,
        },
    );
    assert_eq!(m.apply(&last), Err(VerifyError::LastOwner));
    // A second genesis.
    let second = entry(
        &owner,
        2,
        m.head,
        Action::Genesis {
            nonce: Bytes(NONCE.to_vec()),
            owner: owner.member(Role::Owner),
            key: wrapped(),
            confirm: Hash([0; 32]),
        },
    );
    assert_eq!(m.apply(&second), Err(VerifyError::BadGenesis));
    assert_eq!(m, before, "a refused entry changed the membership");

    // A removed device cannot come back with the same key.
    m.apply(&entry(
        &owner,
        2,
        m.head,
        Action::RemoveDevice {
            device: writer.key(),
            epoch: 2,
            keys: keys_for(&[&owner]),
            bounds: vec![],
            confirm: Hash([0; 32]),
            lost: false,
            at: 0,
        },
    ))
    .unwrap();
    let back = entry(
        &owner,
        3,
        m.head,
        Action::AddDevice {
            member: writer.member(Role::Writer),
            epoch: 2,
            key: wrapped(),
        },
    );
    assert_eq!(m.apply(&back), Err(VerifyError::WasRemoved));
}

#[test]
fn genesis_must_be_self_signed_by_an_owner_at_position_zero() {
    let (a, b) = (Device::new(), Device::new());
    assert!(Membership::genesis(&genesis(&a)).is_ok());
    let by_other = entry(
        &b,
        0,
        Hash([0; 32]),
        Action::Genesis {
            nonce: Bytes(NONCE.to_vec()),
            owner: a.member(Role::Owner),
            key: wrapped(),
            confirm: Hash([0; 32]),
        },
    );
    assert_eq!(Membership::genesis(&by_other), Err(VerifyError::BadGenesis));
    let writer_owner = entry(
        &a,
        0,
        Hash([0; 32]),
        Action::Genesis {
            nonce: Bytes(NONCE.to_vec()),
            owner: a.member(Role::Writer),
            key: wrapped(),
            confirm: Hash([0; 32]),
        },
    );
    assert_eq!(
        Membership::genesis(&writer_owner),
        Err(VerifyError::BadGenesis)
    );
    let later = entry(
        &a,
        1,
        Hash([0; 32]),
        Action::Genesis {
            nonce: Bytes(NONCE.to_vec()),
            owner: a.member(Role::Owner),
            key: wrapped(),
            confirm: Hash([0; 32]),
        },
    );
    assert_eq!(Membership::genesis(&later), Err(VerifyError::BadGenesis));
    assert_eq!(Membership::from_log(&[]), Err(VerifyError::BadGenesis));
}

#[test]
fn a_space_id_is_the_hash_of_its_genesis_nonce_and_owner() {
    let (a, b) = (Device::new(), Device::new());
    let g = genesis(&a);
    assert_eq!(g.space, space_id_for(&NONCE, &a.key()));
    assert_eq!(Membership::genesis(&g).unwrap().space, g.space);
    // Another owner, or another nonce, makes another id.
    assert_ne!(space_id_for(&NONCE, &b.key()), g.space);
    assert_ne!(space_id_for(&[5; SPACE_NONCE_LEN], &a.key()), g.space);
    // A genesis (correctly signed) that claims an id it does not make.
    let mut claimed = g.clone();
    claimed.space = SPACE;
    claimed.sig = a.sign(&claimed.signing_bytes());
    assert_eq!(
        Membership::genesis(&claimed),
        Err(VerifyError::SpaceIdMismatch)
    );
    // A relay's own genesis for someone else's id: same nonce, its key.
    let mut substitute = genesis(&b);
    substitute.space = g.space;
    substitute.sig = b.sign(&substitute.signing_bytes());
    assert_eq!(
        Membership::genesis(&substitute),
        Err(VerifyError::SpaceIdMismatch)
    );
    assert!(Membership::from_log(&[substitute]).is_err());
    // The nonce is in the signed bytes: changing it breaks the signature
    // or the id, never both unnoticed.
    let mut renonced = g.clone();
    if let Action::Genesis { nonce, .. } = &mut renonced.action {
        nonce.0[0] ^= 1;
    }
    assert!(Membership::genesis(&renonced).is_err());
    // A nonce of another length does not decode.
    let mut short = g;
    if let Action::Genesis { nonce, .. } = &mut short.action {
        nonce.0.truncate(8);
    }
    let bytes = encode(&AppendLog {
        v: PROTOCOL_VERSION,
        entry: short,
    });
    assert!(decode::<AppendLog>(&bytes).is_err());
}

fn envelope(d: &Device, seq: u64, ciphertext: Vec<u8>) -> ChangeEnvelope {
    let mut e = ChangeEnvelope {
        v: PROTOCOL_VERSION,
        space: SPACE,
        epoch: 1,
        device: d.key(),
        seq,
        prev: Hash([0; 32]),
        salt: Salt([5; 32]),
        ciphertext: Bytes(ciphertext),
        sig: Signature([0; 64]),
    };
    e.sig = d.sign(&e.signing_bytes());
    e
}

#[test]
fn every_signed_field_of_an_envelope_counts() {
    let d = Device::new();
    let e = envelope(&d, 1, vec![1, 2, 3]);
    e.verify_signature().unwrap();
    let mut variants = vec![];
    let mut x = e.clone();
    x.seq = 2;
    variants.push(x);
    let mut x = e.clone();
    x.epoch = 2;
    variants.push(x);
    let mut x = e.clone();
    x.space = SpaceId([4; 16]);
    variants.push(x);
    let mut x = e.clone();
    x.salt = Salt([6; 32]);
    variants.push(x);
    let mut x = e.clone();
    x.ciphertext.0[0] ^= 1;
    variants.push(x);
    let mut x = e.clone();
    x.device = Device::new().key();
    variants.push(x);
    let mut x = e.clone();
    x.prev = Hash([9; 32]);
    variants.push(x);
    for v in variants {
        assert_eq!(v.verify_signature(), Err(VerifyError::BadSignature));
    }
    assert_ne!(e.aad(), envelope(&d, 2, vec![]).aad());
    assert_ne!(e.key_info(), envelope(&d, 2, vec![]).key_info());
}

#[test]
fn messages_round_trip() {
    let d = Device::new();
    let push = Push {
        v: PROTOCOL_VERSION,
        envelopes: vec![envelope(&d, 1, vec![1; 100]), envelope(&d, 2, vec![2; 10])],
    };
    assert_eq!(decode::<Push>(&encode(&push)).unwrap(), push);
    let log = AppendLog {
        v: PROTOCOL_VERSION,
        entry: genesis(&d),
    };
    assert_eq!(decode::<AppendLog>(&encode(&log)).unwrap(), log);
    let err = ErrorBody {
        v: PROTOCOL_VERSION,
        code: ErrorCode::StaleHead,
        message: "the log moved on".into(),
    };
    assert_eq!(decode::<ErrorBody>(&encode(&err)).unwrap(), err);
    // Byte strings are CBOR bytes, not arrays of integers: compact.
    let len = encode(&push).len();
    assert!(len < 700, "{len} bytes");
}

#[test]
fn decoding_is_strict() {
    let d = Device::new();
    let push = Push {
        v: PROTOCOL_VERSION,
        envelopes: vec![envelope(&d, 1, vec![1; 10])],
    };
    let good = encode(&push);
    // Trailing bytes.
    let mut trailing = good.clone();
    trailing.push(0);
    assert_eq!(decode::<Push>(&trailing), Err(DecodeError::TrailingBytes));
    // Truncated, garbage, empty.
    assert_eq!(
        decode::<Push>(&good[..good.len() - 3]),
        Err(DecodeError::Malformed)
    );
    assert_eq!(
        decode::<Push>(b"not cbor at all"),
        Err(DecodeError::Malformed)
    );
    assert_eq!(decode::<Push>(&[]), Err(DecodeError::Malformed));
    // Another version: the next one, and version 1 (whose space ids
    // were random, so its logs are not accepted any more).
    for other in [PROTOCOL_VERSION + 1, 1] {
        let v = Push {
            v: other,
            ..push.clone()
        };
        assert_eq!(
            decode::<Push>(&encode(&v)),
            Err(DecodeError::UnsupportedVersion(other))
        );
    }
    let mut inner_v2 = push.clone();
    inner_v2.envelopes[0].v = 9;
    assert_eq!(
        decode::<Push>(&encode(&inner_v2)),
        Err(DecodeError::UnsupportedVersion(9))
    );
    // Oversize body, oversize field, too many envelopes.
    let huge = vec![0u8; limits::MAX_BODY + 1];
    assert!(matches!(
        decode::<Push>(&huge),
        Err(DecodeError::TooLarge { .. })
    ));
    let big = Push {
        v: PROTOCOL_VERSION,
        envelopes: vec![envelope(
            &d,
            1,
            vec![0; limits::MAX_ENVELOPE_CIPHERTEXT + 1],
        )],
    };
    let r = decode::<Push>(&encode(&big));
    assert!(matches!(r, Err(DecodeError::FieldTooLarge { .. })), "{r:?}");
    let many = Push {
        v: PROTOCOL_VERSION,
        envelopes: vec![envelope(&d, 1, vec![]); limits::MAX_PUSH_ENVELOPES + 1],
    };
    assert!(matches!(
        decode::<Push>(&encode(&many)),
        Err(DecodeError::FieldTooLarge { .. })
    ));
    // Another message type's bytes.
    assert_eq!(
        decode::<Push>(&encode(&AckCursor {
            v: PROTOCOL_VERSION,
            server_seq: 1
        })),
        Err(DecodeError::Malformed)
    );
    // An unknown field is refused (nothing rides along unsigned).
    #[derive(serde::Serialize)]
    struct Extra {
        v: u16,
        server_seq: u64,
        extra: u8,
    }
    let mut out = Vec::new();
    ciborium::ser::into_writer(
        &Extra {
            v: PROTOCOL_VERSION,
            server_seq: 1,
            extra: 1,
        },
        &mut out,
    )
    .unwrap();
    assert_eq!(decode::<AckCursor>(&out), Err(DecodeError::Malformed));
    // A fixed-size field of the wrong length.
    #[derive(serde::Serialize)]
    struct ShortKey {
        v: u16,
        #[serde(with = "serde_bytes_compat")]
        device: Vec<u8>,
    }
    mod serde_bytes_compat {
        pub fn serialize<S: serde::Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(v)
        }
    }
    let mut out = Vec::new();
    ciborium::ser::into_writer(
        &ShortKey {
            v: PROTOCOL_VERSION,
            device: vec![1; 31],
        },
        &mut out,
    )
    .unwrap();
    assert_eq!(
        decode::<ChallengeRequest>(&out),
        Err(DecodeError::Malformed)
    );
    let mut out = Vec::new();
    ciborium::ser::into_writer(
        &ShortKey {
            v: PROTOCOL_VERSION,
            device: vec![1; 32],
        },
        &mut out,
    )
    .unwrap();
    assert!(decode::<ChallengeRequest>(&out).is_ok());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn decoders_never_panic_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = decode::<Push>(&bytes);
        let _ = decode::<AppendLog>(&bytes);
        let _ = decode::<PullPage>(&bytes);
        let _ = decode::<RendezvousMessages>(&bytes);
        let _ = decode::<TokenRequest>(&bytes);
    }

    #[test]
    fn flipping_any_byte_of_an_encoded_push_never_passes_as_the_same_signed_envelope(pos in 0usize..400, bit in 0u8..8) {
        let d = Device::new();
        let push = Push { v: PROTOCOL_VERSION, envelopes: vec![envelope(&d, 1, vec![7; 64])] };
        let mut bytes = encode(&push);
        let pos = pos % bytes.len();
        bytes[pos] ^= 1 << bit;
        if let Ok(p) = decode::<Push>(&bytes) {
            // It decoded: then either the signature fails or nothing signed changed.
            let e = &p.envelopes[0];
            prop_assert!(e.verify_signature().is_err() || (e.signing_bytes() == push.envelopes[0].signing_bytes() && e.sig == push.envelopes[0].sig));
        }
    }
}

#[test]
fn a_role_change_is_an_owners_entry_that_starts_an_epoch_and_dates_who_could_write() {
    let (phone, worker, other) = (Device::new(), Device::new(), Device::new());
    let g = genesis(&phone);
    let mut m = Membership::genesis(&g).unwrap();
    let add = entry(
        &phone,
        1,
        m.head,
        Action::AddDevice {
            member: worker.member(Role::Reader),
            epoch: 1,
            key: wrapped(),
        },
    );
    m.apply(&add).unwrap();
    let set = |by: &Device, m: &Membership, who: &Device, role: Role, keys: &[&Device]| {
        entry(
            by,
            m.len,
            m.head,
            Action::SetRole {
                device: who.key(),
                role,
                epoch: m.epoch + 1,
                keys: keys_for(keys),
                bounds: vec![],
                confirm: Hash([0; 32]),
            },
        )
    };
    // The reader may not promote itself; nobody may change a stranger's
    // role, set the role it already has, skip a member's key, or leave
    // the space without an owner.
    let selfish = set(&worker, &m, &worker, Role::Writer, &[&phone, &worker]);
    assert_eq!(m.check(&selfish), Err(VerifyError::NotAllowed));
    let stranger = set(&phone, &m, &other, Role::Writer, &[&phone, &worker]);
    assert_eq!(m.check(&stranger), Err(VerifyError::NotMember));
    let same = set(&phone, &m, &worker, Role::Reader, &[&phone, &worker]);
    assert_eq!(m.check(&same), Err(VerifyError::SameRole));
    let short = set(&phone, &m, &worker, Role::Writer, &[&phone]);
    assert_eq!(m.check(&short), Err(VerifyError::KeysDoNotMatchMembers));
    let orphan = set(&phone, &m, &phone, Role::Writer, &[&phone, &worker]);
    assert_eq!(m.check(&orphan), Err(VerifyError::LastOwner));
    let mut stale = set(&phone, &m, &worker, Role::Writer, &[&phone, &worker]);
    if let Action::SetRole { epoch, .. } = &mut stale.action {
        *epoch = 1;
    }
    stale.sig = phone.sign(&stale.signing_bytes());
    assert!(matches!(
        m.check(&stale),
        Err(VerifyError::WrongEpoch { .. })
    ));
    // A forged signature on a good entry.
    let mut forged = set(&phone, &m, &worker, Role::Writer, &[&phone, &worker]);
    forged.sig = worker.sign(&forged.signing_bytes());
    assert_eq!(m.check(&forged), Err(VerifyError::BadSignature));

    // Promoted in epoch 2, demoted in epoch 3: it could write in 2 only.
    let up = set(&phone, &m, &worker, Role::Writer, &[&phone, &worker]);
    m.apply(&up).unwrap();
    assert_eq!((m.epoch, m.role_of(&worker.key())), (2, Some(Role::Writer)));
    let down = set(&phone, &m, &worker, Role::Reader, &[&phone, &worker]);
    m.apply(&down).unwrap();
    assert_eq!((m.epoch, m.role_of(&worker.key())), (3, Some(Role::Reader)));
    assert!(!m.could_write(&worker.key(), 1));
    assert!(m.could_write(&worker.key(), 2));
    assert!(!m.could_write(&worker.key(), 3));
    assert!(m.could_write(&phone.key(), 3));
    assert!(!m.could_write(&other.key(), 2));
    // The entries encode, decode and verify again as a whole log.
    let log = [g, add, up, down];
    for e in &log {
        let bytes = encode(&AppendLog {
            v: PROTOCOL_VERSION,
            entry: e.clone(),
        });
        assert_eq!(&decode::<AppendLog>(&bytes).unwrap().entry, e);
    }
    assert_eq!(Membership::from_log(&log).unwrap(), m);
}

/// An envelope of `device` under `epoch` (only its epoch matters here).
fn envelope_in(device: &Device, epoch: u32) -> ChangeEnvelope {
    ChangeEnvelope {
        v: PROTOCOL_VERSION,
        space: SpaceId([0; 16]),
        epoch,
        device: device.key(),
        seq: 1,
        prev: Hash([0; 32]),
        salt: Salt([0; 32]),
        ciphertext: Bytes(vec![1]),
        sig: Signature([0; 64]),
    }
}

#[test]
fn an_erasure_starts_the_document_afresh_and_shuts_out_earlier_epochs() {
    let (owner, worker) = (Device::new(), Device::new());
    let g = genesis(&owner);
    let mut m = Membership::genesis(&g).unwrap();
    assert_eq!(m.base_epoch, 1);
    // The worker writes; only the person's devices erase.
    let add = entry(
        &owner,
        1,
        m.head,
        Action::AddDevice {
            member: worker.member(Role::Writer),
            epoch: 1,
            key: wrapped(),
        },
    );
    m.apply(&add).unwrap();
    let erase = |by: &Device, m: &Membership, note: &[u8]| {
        entry(
            by,
            m.len,
            m.head,
            Action::Erase {
                epoch: m.epoch + 1,
                keys: keys_for(&[&owner, &worker]),
                bounds: vec![],
                confirm: Hash([0; 32]),
                note: Bytes(note.to_vec()),
            },
        )
    };
    assert_eq!(
        m.check(&erase(&worker, &m, b"n")),
        Err(VerifyError::NotAllowed)
    );
    let mut by_owner = erase(&owner, &m, b"sealed note");
    // The note is signed: changing it on the way breaks the signature.
    let mut changed = by_owner.clone();
    if let Action::Erase { note, .. } = &mut changed.action {
        note.0[0] ^= 1;
    }
    assert!(m.check(&changed).is_err());
    m.apply(&by_owner).unwrap();
    assert_eq!((m.epoch, m.base_epoch), (2, 2));
    // Nothing sealed before the erasure merges again, whoever sent it;
    // snapshots of before it are refused too.
    assert_eq!(
        m.check_write(&envelope_in(&owner, 1)),
        Err(WriteRefused::BeforeErasure)
    );
    assert_eq!(m.check_write(&envelope_in(&worker, 2)), Ok(()));
    assert!(!m.may_snapshot(&owner.key(), 1));
    assert!(m.may_snapshot(&owner.key(), 2));
    // A rotation after it keeps the base where it is.
    by_owner = entry(
        &owner,
        m.len,
        m.head,
        Action::Rotate {
            epoch: 3,
            keys: keys_for(&[&owner, &worker]),
            bounds: vec![],
            confirm: Hash([0; 32]),
        },
    );
    m.apply(&by_owner).unwrap();
    assert_eq!((m.epoch, m.base_epoch), (3, 2));
    assert_eq!(m.check_write(&envelope_in(&worker, 3)), Ok(()));
    assert_eq!(
        m.check_write(&envelope_in(&worker, 1)),
        Err(WriteRefused::BeforeErasure)
    );
    // A whole log with the erasure in it verifies to the same membership.
    let again = Membership::from_log(&[
        g,
        add,
        erase(
            &owner,
            &Membership::from_log(&[genesis(&owner)]).unwrap(),
            b"x",
        ),
    ]);
    assert!(again.is_err(), "an entry off the chain is refused");
}
