//! The pinned join: the first sync of a space this device joined (by
//! pairing, an invite, or a share one of the person's devices added it
//! to) must serve the log the inviting device saw. Space ids are
//! self-certifying (the genesis makes the id), so a relay cannot serve a
//! space of its own making under the id; the pin adds what the id cannot
//! say: that this device's own `AddDevice` is there, signed by the device
//! it joined with, and that the log holds the head that device saw at
//! that length (a relay cannot serve an older cut, or a fork, instead).
//! A relay that serves anything else gets [`Error::JoinMismatch`] and
//! nothing of the page is written.

use kindred_protocol::{Action, DeviceKey, LogEntry, Membership, SpaceId, VerifyError};

use super::pull::bad_log;
use super::state::JoinPin;
use crate::error::{Error, JoinMismatch, Result};

/// Checks `log` (the first page's entries, from the genesis) against
/// `pin` for the space `space`, joined by `me`. The chain itself is
/// verified entry by entry afterwards; the genesis is checked here first,
/// so a relay's own space is named for what it is.
pub(super) fn check_pin(
    pin: &JoinPin,
    space: &SpaceId,
    me: &DeviceKey,
    log: &[LogEntry],
) -> Result<()> {
    let mismatch = |what| Error::JoinMismatch { what };
    match log.first().map(Membership::genesis) {
        Some(Ok(m)) if m.space == *space => {}
        Some(Ok(_)) | Some(Err(VerifyError::SpaceIdMismatch)) => {
            return Err(mismatch(JoinMismatch::OtherSpace));
        }
        _ => return Err(bad_log()),
    }
    let pinned: Vec<&LogEntry> = log.iter().filter(|e| e.seq < pin.len).collect();
    let added = pinned.iter().find_map(|e| match &e.action {
        Action::AddDevice { member, .. } if member.device == *me => Some(e.author),
        _ => None,
    });
    match added {
        None => return Err(mismatch(JoinMismatch::NotAdded)),
        Some(by) if by != pin.by => return Err(mismatch(JoinMismatch::AddedByAnother)),
        Some(_) => {}
    }
    match pinned.last() {
        Some(e) if e.seq + 1 == pin.len && e.hash() == pin.head => Ok(()),
        _ => Err(mismatch(JoinMismatch::OtherHistory)),
    }
}

#[cfg(test)]
mod tests {
    use kindred_protocol::{
        Bytes, Hash, Member, Role, SPACE_NONCE_LEN, Signature, WrapKey, WrappedKey, space_id_for,
    };
    use ring::rand::SystemRandom;
    use ring::signature::{Ed25519KeyPair, KeyPair};

    use super::*;

    struct Dev(Ed25519KeyPair);

    impl Dev {
        fn new() -> Dev {
            let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).unwrap();
            Dev(Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap())
        }
        fn key(&self) -> DeviceKey {
            DeviceKey::from_slice(self.0.public_key().as_ref()).unwrap()
        }
        fn member(&self) -> Member {
            Member {
                device: self.key(),
                wrap_key: WrapKey([1; 32]),
                role: Role::Owner,
                sealed_label: Bytes(vec![]),
            }
        }
        fn entry(&self, space: SpaceId, prev: Option<&LogEntry>, action: Action) -> LogEntry {
            let mut e = LogEntry {
                v: kindred_protocol::PROTOCOL_VERSION,
                space,
                seq: prev.map_or(0, |p| p.seq + 1),
                prev: prev.map_or(Hash([0; 32]), LogEntry::hash),
                author: self.key(),
                action,
                sig: Signature([0; 64]),
            };
            e.sig = Signature::from_slice(self.0.sign(&e.signing_bytes()).as_ref()).unwrap();
            e
        }
        fn genesis(&self, space: Option<SpaceId>) -> LogEntry {
            let nonce = vec![7; SPACE_NONCE_LEN];
            let id = space.unwrap_or_else(|| space_id_for(&nonce, &self.key()));
            self.entry(
                id,
                None,
                Action::Genesis {
                    nonce: Bytes(nonce),
                    owner: self.member(),
                    key: key(),
                    confirm: Hash([0; 32]),
                },
            )
        }
        fn add(&self, prev: &LogEntry, who: &Dev) -> LogEntry {
            self.entry(
                prev.space,
                Some(prev),
                Action::AddDevice {
                    member: who.member(),
                    epoch: 1,
                    key: key(),
                },
            )
        }
    }

    fn key() -> WrappedKey {
        WrappedKey {
            suite: 1,
            enc: Bytes(vec![0; 32]),
            ciphertext: Bytes(vec![0; 48]),
        }
    }

    fn pin_of(log: &[LogEntry], by: &Dev) -> JoinPin {
        JoinPin {
            len: log.len() as u64,
            head: log.last().unwrap().hash(),
            by: by.key(),
        }
    }

    fn what(r: Result<()>) -> JoinMismatch {
        match r {
            Err(Error::JoinMismatch { what }) => what,
            other => panic!("expected a join mismatch, got {other:?}"),
        }
    }

    #[test]
    fn the_pinned_log_passes_and_every_other_one_is_named() {
        let (phone, laptop, tablet, relay) = (Dev::new(), Dev::new(), Dev::new(), Dev::new());
        let g = phone.genesis(None);
        let space = g.space;
        let add_laptop = phone.add(&g, &laptop);
        let add_tablet = phone.add(&add_laptop, &tablet);
        let log = vec![g.clone(), add_laptop.clone(), add_tablet.clone()];
        let pin = pin_of(&log, &phone);
        check_pin(&pin, &space, &tablet.key(), &log).unwrap();
        // Entries after the pin (a later rotation, say) are fine.
        let later = vec![g.clone(), add_laptop.clone(), add_tablet.clone(), {
            phone.add(&add_tablet, &Dev::new())
        }];
        check_pin(&pin, &space, &tablet.key(), &later).unwrap();

        // The relay's own space under the id: its genesis claims it...
        let claimed = relay.genesis(Some(space));
        let own = vec![claimed.clone(), relay.add(&claimed, &tablet)];
        assert_eq!(
            what(check_pin(&pin, &space, &tablet.key(), &own)),
            JoinMismatch::OtherSpace
        );
        // ... or it serves a space whose id it did make.
        let theirs = relay.genesis(None);
        let own = vec![theirs.clone(), relay.add(&theirs, &tablet)];
        assert_eq!(
            what(check_pin(&pin, &space, &tablet.key(), &own)),
            JoinMismatch::OtherSpace
        );
        // The log cut before this device's AddDevice.
        assert_eq!(
            what(check_pin(&pin, &space, &tablet.key(), &log[..2])),
            JoinMismatch::NotAdded
        );
        // This device added by another owner than the one it paired with.
        let by_laptop = laptop.add(&add_laptop, &tablet);
        let other = vec![g.clone(), add_laptop.clone(), by_laptop];
        assert_eq!(
            what(check_pin(&pin, &space, &tablet.key(), &other)),
            JoinMismatch::AddedByAnother
        );
        // The same AddDevice, but another history before the pinned head
        // (a fork: the phone's entry for a different laptop).
        let other_laptop = Dev::new();
        let fork_add = phone.add(&g, &other_laptop);
        let fork = vec![g.clone(), fork_add.clone(), phone.add(&fork_add, &tablet)];
        assert_eq!(
            what(check_pin(&pin, &space, &tablet.key(), &fork)),
            JoinMismatch::OtherHistory
        );
        // Nothing at all, or no genesis first: a log that does not verify.
        assert!(matches!(
            check_pin(&pin, &space, &tablet.key(), &[]),
            Err(Error::Sync { .. })
        ));
        // Every message says nothing was saved and what to do.
        for w in [
            JoinMismatch::OtherSpace,
            JoinMismatch::NotAdded,
            JoinMismatch::AddedByAnother,
            JoinMismatch::OtherHistory,
        ] {
            let m = Error::JoinMismatch { what: w }.to_string();
            assert!(m.contains("Nothing from it was saved"), "{m}");
            assert!(m.contains("add you again"), "{m}");
        }
    }
}
