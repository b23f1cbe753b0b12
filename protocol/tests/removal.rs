//! Issue 16's rules in the membership log: one of the person's own devices
//! (or her recovery kit) is removed only by the kit, by two of her devices,
//! or by the one that asked after its wait; a request can be cancelled; a
//! kit is added only by her.
#![allow(clippy::unwrap_used)]

use kindred_protocol::*;
use ring::rand::SystemRandom;
use ring::signature::{Ed25519KeyPair, KeyPair};

struct Device(Ed25519KeyPair);

impl Device {
    fn new() -> Device {
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).unwrap();
        Device(Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap())
    }
    fn key(&self) -> DeviceKey {
        DeviceKey::from_slice(self.0.public_key().as_ref()).unwrap()
    }
    fn member(&self, role: Role) -> Member {
        Member {
            device: self.key(),
            wrap_key: WrapKey([9; 32]),
            role,
            sealed_label: Bytes(vec![1]),
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

/// A log under construction: each entry is signed and appended at the head.
struct Log {
    m: Membership,
}

impl Log {
    fn new(owner: &Device) -> Log {
        let nonce = vec![4; SPACE_NONCE_LEN];
        let mut e = LogEntry {
            v: PROTOCOL_VERSION,
            space: space_id_for(&nonce, &owner.key()),
            seq: 0,
            prev: Hash([0; 32]),
            author: owner.key(),
            action: Action::Genesis {
                nonce: Bytes(nonce),
                owner: owner.member(Role::Owner),
                key: wrapped(),
                confirm: Hash([0; 32]),
            },
            sig: Signature([0; 64]),
        };
        e.sig = Signature::from_slice(owner.0.sign(&e.signing_bytes()).as_ref()).unwrap();
        Log {
            m: Membership::genesis(&e).unwrap(),
        }
    }

    fn entry(&self, author: &Device, action: Action) -> LogEntry {
        let mut e = LogEntry {
            v: PROTOCOL_VERSION,
            space: self.m.space,
            seq: self.m.len,
            prev: self.m.head,
            author: author.key(),
            action,
            sig: Signature([0; 64]),
        };
        e.sig = Signature::from_slice(author.0.sign(&e.signing_bytes()).as_ref()).unwrap();
        e
    }

    fn try_apply(&mut self, author: &Device, action: Action) -> Result<(), VerifyError> {
        let e = self.entry(author, action);
        self.m.apply(&e)
    }

    fn add(&mut self, by: &Device, who: &Device, role: Role) {
        let epoch = self.m.epoch;
        self.try_apply(
            by,
            Action::AddDevice {
                member: who.member(role),
                epoch,
                key: wrapped(),
            },
        )
        .unwrap();
    }

    fn remove(&self, device: &Device, lost: bool) -> Action {
        let keys = self
            .m
            .members
            .keys()
            .filter(|d| **d != device.key())
            .map(|d| KeyFor {
                device: *d,
                key: wrapped(),
                sealed_label: Bytes(vec![]),
            })
            .collect();
        Action::RemoveDevice {
            device: device.key(),
            epoch: self.m.epoch + 1,
            keys,
            bounds: vec![],
            confirm: Hash([1; 32]),
            lost,
            at: 1_234,
        }
    }

    fn propose(&self, device: &Device, lost: bool) -> Action {
        Action::ProposeRemoval {
            device: device.key(),
            lost,
            not_before: 1_000,
        }
    }
}

/// The person's phone and tablet (owners), her kit, and a worker's device
/// she added as a writer.
fn setup() -> (Log, Device, Device, Device, Device) {
    let (phone, tablet, kit, worker) = (Device::new(), Device::new(), Device::new(), Device::new());
    let mut log = Log::new(&phone);
    log.add(&phone, &tablet, Role::Owner);
    log.add(&phone, &kit, Role::Recovery);
    log.add(&phone, &worker, Role::Writer);
    (log, phone, tablet, kit, worker)
}

#[test]
fn one_device_alone_cannot_remove_another_of_the_persons_devices() {
    let (mut log, phone, tablet, _, _) = setup();
    assert!(log.m.protected(&tablet.key()));
    let direct = log.remove(&tablet, true);
    assert_eq!(
        log.try_apply(&phone, direct),
        Err(VerifyError::RemovalNotAsked)
    );
    assert!(log.m.members.contains_key(&tablet.key()));
}

#[test]
fn a_second_device_confirms_a_request_at_once() {
    let (phone, tablet, laptop) = (Device::new(), Device::new(), Device::new());
    let mut log = Log::new(&phone);
    log.add(&phone, &tablet, Role::Owner);
    log.add(&phone, &laptop, Role::Owner);
    log.try_apply(&tablet, log.propose(&phone, true)).unwrap();
    assert_eq!(log.m.pending.get(&phone.key()).unwrap().by, tablet.key());
    // The confirming device takes the request's word on "lost".
    assert_eq!(
        log.try_apply(&laptop, log.remove(&phone, false)),
        Err(VerifyError::RemovalNotAsked)
    );
    log.try_apply(&laptop, log.remove(&phone, true)).unwrap();
    let r = log.m.removals.last().unwrap();
    assert_eq!(r.device, phone.key());
    assert_eq!(r.author, laptop.key());
    assert!(r.lost);
    assert_eq!(r.at, 1_234);
    assert_eq!(
        r.how,
        RemovedBy::Confirmed {
            proposer: tablet.key()
        }
    );
    assert!(log.m.pending.is_empty());
}

#[test]
fn the_device_that_asked_carries_it_out_itself_as_a_wait() {
    let (mut log, phone, tablet, _, _) = setup();
    log.try_apply(&phone, log.propose(&tablet, false)).unwrap();
    log.try_apply(&phone, log.remove(&tablet, false)).unwrap();
    assert_eq!(
        log.m.removals.last().unwrap().how,
        RemovedBy::Waited { not_before: 1_000 }
    );
}

#[test]
fn any_other_device_cancels_a_request_and_then_it_cannot_be_carried_out() {
    let (mut log, phone, tablet, _, _) = setup();
    log.try_apply(&phone, log.propose(&tablet, true)).unwrap();
    // A second request for the same device waits for the first.
    assert_eq!(
        log.try_apply(&phone, log.propose(&tablet, true)),
        Err(VerifyError::RemovalPending)
    );
    log.try_apply(
        &tablet,
        Action::CancelRemoval {
            device: tablet.key(),
        },
    )
    .unwrap();
    assert!(log.m.pending.is_empty());
    assert_eq!(
        log.try_apply(&phone, log.remove(&tablet, true)),
        Err(VerifyError::RemovalNotAsked)
    );
    assert_eq!(
        log.try_apply(
            &tablet,
            Action::CancelRemoval {
                device: tablet.key()
            }
        ),
        Err(VerifyError::RemovalNotAsked)
    );
}

#[test]
fn the_kit_removes_any_of_her_devices_at_once_and_cannot_write_or_erase() {
    let (mut log, phone, _tablet, kit, _) = setup();
    assert!(!Role::Recovery.can_write());
    log.try_apply(&kit, log.remove(&phone, true)).unwrap();
    assert_eq!(log.m.removals.last().unwrap().how, RemovedBy::Kit);
    assert!(log.m.removed.contains(&phone.key()));
    // The kit does not ask (it acts), nor start an erasure.
    let ask = log.propose(&kit, false);
    assert_eq!(log.try_apply(&kit, ask), Err(VerifyError::NotAllowed));
}

#[test]
fn a_device_the_kit_adds_as_an_owner_is_the_persons() {
    let (mut log, _phone, _tablet, kit, _) = setup();
    let restored = Device::new();
    log.add(&kit, &restored, Role::Owner);
    assert!(log.m.person.contains(&restored.key()));
    assert!(log.m.protected(&restored.key()));
}

#[test]
fn the_kit_goes_only_by_its_own_hand_or_after_the_wait() {
    let (mut log, phone, tablet, kit, _) = setup();
    assert!(log.m.protected(&kit.key()));
    log.try_apply(&phone, log.propose(&kit, false)).unwrap();
    // A second device cannot hurry the kit's removal (a thief's paired
    // device could otherwise swap the kit out at once).
    assert_eq!(
        log.try_apply(&tablet, log.remove(&kit, false)),
        Err(VerifyError::NotAllowed)
    );
    log.try_apply(&phone, log.remove(&kit, false)).unwrap();
    assert_eq!(
        log.m.removals.last().unwrap().how,
        RemovedBy::Waited { not_before: 1_000 }
    );
}

#[test]
fn only_the_person_adds_a_kit_and_others_devices_go_at_once() {
    let (mut log, phone, _tablet, _kit, worker) = setup();
    // The worker's device is not hers: removed at once, as before.
    assert!(!log.m.protected(&worker.key()));
    log.try_apply(&phone, log.remove(&worker, false)).unwrap();
    assert_eq!(log.m.removals.last().unwrap().how, RemovedBy::Owner);
    // An owner who is not the person (a writer made an owner) cannot add
    // a "kit" of their own, nor remove her devices alone.
    let (mut log, phone, tablet, _, worker) = setup();
    let epoch = log.m.epoch + 1;
    let keys = log
        .m
        .members
        .keys()
        .map(|d| KeyFor {
            device: *d,
            key: wrapped(),
            sealed_label: Bytes(vec![]),
        })
        .collect();
    log.try_apply(
        &phone,
        Action::SetRole {
            device: worker.key(),
            role: Role::Owner,
            epoch,
            keys,
            bounds: vec![],
            confirm: Hash([2; 32]),
        },
    )
    .unwrap();
    assert!(!log.m.person.contains(&worker.key()));
    let their_kit = Device::new();
    let epoch = log.m.epoch;
    assert_eq!(
        log.try_apply(
            &worker,
            Action::AddDevice {
                member: their_kit.member(Role::Recovery),
                epoch,
                key: wrapped(),
            }
        ),
        Err(VerifyError::NotAllowed)
    );
    assert_eq!(
        log.try_apply(&worker, log.remove(&tablet, true)),
        Err(VerifyError::RemovalNotAsked)
    );
}

#[test]
fn a_request_cannot_name_its_author_or_someone_not_in_the_space() {
    let (mut log, phone, _, _, _) = setup();
    assert_eq!(
        log.try_apply(&phone, log.propose(&phone, false)),
        Err(VerifyError::NotAllowed)
    );
    let outsider = Device::new();
    assert_eq!(
        log.try_apply(&phone, log.propose(&outsider, false)),
        Err(VerifyError::NotMember)
    );
}

#[test]
fn the_lost_flag_is_signed_and_a_removal_without_it_keeps_its_old_bytes() {
    let (log, _phone, tablet, kit, _) = setup();
    let with = log.entry(&kit, log.remove(&tablet, true));
    let without = log.entry(&kit, log.remove(&tablet, false));
    assert_ne!(with.signing_bytes(), without.signing_bytes());
    // Flipping the flag, or the time, after signing breaks the signature.
    let mut flipped = with.clone();
    if let Action::RemoveDevice { lost, .. } = &mut flipped.action {
        *lost = false;
    }
    assert_eq!(flipped.verify_signature(), Err(VerifyError::BadSignature));
    let mut moved = with.clone();
    if let Action::RemoveDevice { at, .. } = &mut moved.action {
        *at = 99;
    }
    assert_eq!(moved.verify_signature(), Err(VerifyError::BadSignature));
    // Neither field set: the bytes an entry from before them had.
    let mut old = without.clone();
    if let Action::RemoveDevice { at, .. } = &mut old.action {
        *at = 0;
    }
    let plain = log.entry(&kit, {
        let mut a = log.remove(&tablet, false);
        if let Action::RemoveDevice { at, .. } = &mut a {
            *at = 0;
        }
        a
    });
    assert_eq!(old.signing_bytes(), plain.signing_bytes());
    // The encoding of a removal without the flag has no field for it
    // (entries signed before the flag existed decode and verify as before).
    let bytes = encode(&messages::AppendLog {
        v: PROTOCOL_VERSION,
        entry: without.clone(),
    });
    let back: messages::AppendLog = decode(&bytes).unwrap();
    assert_eq!(back.entry, without);
    assert!(!String::from_utf8_lossy(&bytes).contains("lost"));
    let bytes = encode(&messages::AppendLog {
        v: PROTOCOL_VERSION,
        entry: plain,
    });
    // CBOR's text string "at" (0x62 'a' 't'): no field for an unset time.
    assert!(!bytes.windows(3).any(|w| w == [0x62, b'a', b't']));
}
