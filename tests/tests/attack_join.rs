//! Attacks on joining (issue 13): a relay that serves a new device another
//! space than the one it joined, and a stranger who photographed a QR
//! offer. Each ends in a typed error (or nobody added), with nothing of
//! the relay's substitute written and the device's other spaces syncing.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use kindred_core::sync::{AcceptOutcome, HttpTransport, Transport, TransportError};
use kindred_core::{Error, JoinMismatch, Kindred, SpaceKind};
use kindred_protocol::messages::*;
use kindred_protocol::pairing::Offer;
use kindred_protocol::{Action, DeviceKey, LogEntry, Member, Role, SpaceId, WrapKey, encode};
use kindred_tests::devices::{device, goal};
use kindred_tests::memory_relay::MemoryRelay;
use kindred_tests::relay_double::{Tamper, Tampered};
use kindred_tests::server::ServerProcess;
use kindred_tests::signer::{Dev, wrapped};
use kindred_tests::test_key;

/// A relay that serves `log` (and nothing else: no snapshot, no changes)
/// as the log of `space`, and is honest about everything else.
struct Substitute {
    space: SpaceId,
    log: Vec<LogEntry>,
}

impl Tamper for Substitute {
    fn pull(&self, space: &SpaceId, mut page: PullPage) -> PullPage {
        if *space == self.space {
            page.log = self.log.clone();
            page.snapshot = None;
            page.changes.clear();
            page.more = false;
        }
        page
    }
    fn log(&self, space: &SpaceId, mut page: LogPage) -> LogPage {
        if *space == self.space {
            page.entries = self.log.clone();
        }
        page
    }
}

fn space_of(k: &Kindred, kind: SpaceKind) -> String {
    k.spaces()
        .iter()
        .find(|s| s.kind == kind)
        .map(|s| s.id.clone())
        .unwrap()
}

fn key_of(k: &Kindred) -> DeviceKey {
    DeviceKey::from_slice(&k.device_public_key().unwrap()).unwrap()
}

/// The existing device's side of pairing, the person saying yes.
fn confirm(t: &dyn Transport, existing: &mut Kindred, offer: &Offer) {
    assert!(matches!(
        existing.pair_accept(t, offer).unwrap(),
        AcceptOutcome::Asking(_)
    ));
    assert!(matches!(
        existing.pair_confirm(t, offer, true).unwrap(),
        AcceptOutcome::Joined(_)
    ));
}

fn mismatch(r: Result<impl std::fmt::Debug, Error>) -> JoinMismatch {
    match r {
        Err(Error::JoinMismatch { what }) => what,
        other => panic!("expected a join mismatch, got {other:?}"),
    }
}

/// A space of the relay's own making: its genesis and this device added
/// under a key the relay chose. `claim` makes the genesis claim that id
/// (which its nonce and author do not make).
fn relays_own_space(tablet: DeviceKey, claim: Option<SpaceId>) -> Vec<LogEntry> {
    let relay = Dev::new();
    let space = claim.unwrap_or_else(|| relay.new_space());
    let g = relay.genesis(space);
    let add = relay.entry(
        space,
        1,
        g.hash(),
        Action::AddDevice {
            member: Member {
                device: tablet,
                wrap_key: WrapKey([7; 32]),
                role: Role::Owner,
                sealed_label: kindred_protocol::Bytes(vec![]),
            },
            epoch: 1,
            key: wrapped(),
        },
    );
    vec![g, add]
}

#[test]
fn a_relay_that_substitutes_the_joined_space_gets_a_typed_error_and_nothing_is_written() {
    let relay = MemoryRelay::new();
    let dirs: Vec<_> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut phone = device(dirs[0].path(), "phone");
    phone.add_goal(&goal("Walk in the park")).unwrap();
    phone.sync(&relay).unwrap();
    let personal = space_of(&phone, SpaceKind::Personal);
    let caseload = space_of(&phone, SpaceKind::Caseload);
    let sid = SpaceId::from_hex(&personal).unwrap();

    let offer = phone
        .pair_offer("memory", Duration::from_secs(600))
        .unwrap();
    let mut tablet = Kindred::init_joining(dirs[1].path(), &test_key(), "tablet").unwrap();
    let seen = tablet.pair_join_request(&relay, &offer.to_text()).unwrap();
    confirm(&relay, &mut phone, &offer);
    let me = key_of(&tablet);

    let real = relay.log_of(&sid);
    let cut: Vec<LogEntry> = real
        .iter()
        .take_while(
            |e| !matches!(&e.action, Action::AddDevice { member, .. } if member.device == me),
        )
        .cloned()
        .collect();
    assert!(cut.len() < real.len());
    let attacks = [
        (relays_own_space(me, None), JoinMismatch::OtherSpace),
        (relays_own_space(me, Some(sid)), JoinMismatch::OtherSpace),
        (cut, JoinMismatch::NotAdded),
    ];
    for (i, (log, expected)) in attacks.into_iter().enumerate() {
        let bad = Tampered::new(&relay, Substitute { space: sid, log });
        let got = if i == 0 {
            // The join itself reports it (the other spaces synced first).
            mismatch(tablet.pair_join_finish(&bad, &seen))
        } else {
            let report = tablet.sync(&bad).unwrap();
            assert_eq!(report.failed.len(), 1, "{report:?}");
            assert_eq!(report.failed[0].space, personal);
            mismatch(Err::<(), _>(
                report.failed.into_iter().next().unwrap().error,
            ))
        };
        assert_eq!(got, expected, "attack {i}");
        // Nothing of the substitute was written: no log, no key, no goal.
        assert_eq!(tablet.space_epoch(&personal).unwrap(), None, "attack {i}");
        assert!(tablet.goals(None).is_err() || tablet.goals(None).unwrap().is_empty());
        // The other space synced through the same relay.
        assert_eq!(
            tablet.space_epoch(&caseload).unwrap(),
            Some(1),
            "attack {i}"
        );
    }
    // The message says what happened and what to do, in plain words.
    let words = Error::JoinMismatch {
        what: JoinMismatch::OtherSpace,
    }
    .to_string();
    assert!(
        words.contains("different space than the one you joined"),
        "{words}"
    );

    // The honest log, served later, is the pinned one: it syncs.
    let report = tablet.sync(&relay).unwrap();
    assert!(report.all_synced(), "{report:?}");
    assert_eq!(tablet.space_epoch(&personal).unwrap(), Some(1));
    assert_eq!(tablet.goals(None).unwrap().len(), 1);
}

#[test]
fn a_photographed_offer_adds_nobody_without_the_persons_yes() {
    let relay = MemoryRelay::new();
    let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut phone = device(dirs[0].path(), "phone");
    phone.sync(&relay).unwrap();
    let sid = SpaceId::from_hex(&space_of(&phone, SpaceKind::Personal)).unwrap();
    let members = relay.member_keys(&sid);
    let mut stranger = Kindred::init_joining(dirs[1].path(), &test_key(), "my phone").unwrap();
    let mut mine = Kindred::init_joining(dirs[2].path(), &test_key(), "my phone").unwrap();

    // A yes with nothing asked is refused.
    let offer = phone
        .pair_offer("memory", Duration::from_secs(600))
        .unwrap();
    assert!(matches!(
        phone.pair_confirm(&relay, &offer, true),
        Err(Error::PairingNotAsked)
    ));

    // The stranger, who photographed the screen, asks first; the person's
    // own new device asks too. The phone shows the stranger's request with
    // a code the person's device does not show.
    let text = offer.to_text();
    let seen = stranger.pair_join_request(&relay, &text).unwrap();
    mine.pair_join_request(&relay, &text).unwrap();
    let AcceptOutcome::Asking(req) = phone.pair_accept(&relay, &offer).unwrap() else {
        panic!("expected a request");
    };
    assert_eq!(req.code, stranger.pair_code(&seen));
    assert_ne!(req.code, mine.pair_code(&seen));

    // No confirmation: nobody is added, however often the phone looks.
    for _ in 0..3 {
        assert!(matches!(
            phone.pair_accept(&relay, &offer).unwrap(),
            AcceptOutcome::Asking(_)
        ));
        assert!(stranger.pair_join_finish(&relay, &seen).unwrap().is_none());
    }
    assert_eq!(relay.member_keys(&sid), members);

    // "Not my device": nobody added, and the stranger is told so.
    assert_eq!(
        phone.pair_confirm(&relay, &offer, false).unwrap(),
        AcceptOutcome::Declined
    );
    assert!(matches!(
        stranger.pair_join_finish(&relay, &seen),
        Err(Error::PairingDeclined)
    ));
    assert!(stranger.spaces().is_empty());
    assert_eq!(relay.member_keys(&sid), members);
    // The answer is used up: a second yes has nothing to add.
    assert!(matches!(
        phone.pair_confirm(&relay, &offer, true),
        Err(Error::PairingNotAsked)
    ));

    // A yes is what adds: the same request, confirmed, joins.
    let offer = phone
        .pair_offer("memory", Duration::from_secs(600))
        .unwrap();
    let seen = mine.pair_join_request(&relay, &offer.to_text()).unwrap();
    let AcceptOutcome::Asking(req) = phone.pair_accept(&relay, &offer).unwrap() else {
        panic!("expected a request");
    };
    assert_eq!(req.code, mine.pair_code(&seen));
    assert!(matches!(
        phone.pair_confirm(&relay, &offer, true).unwrap(),
        AcceptOutcome::Joined(_)
    ));
    assert!(mine.pair_join_finish(&relay, &seen).unwrap().is_some());
    assert!(relay.member_keys(&sid).contains(&key_of(&mine)));
    assert!(!relay.member_keys(&sid).contains(&key_of(&stranger)));
}

#[test]
fn a_genesis_that_does_not_make_its_space_id_is_refused_by_the_relay() {
    let server = ServerProcess::start();
    let api = kindred_tests::api::RawApi::new(&server.url);
    let owner = Dev::new();
    let tok = api.token(&owner);
    let before = server.counts();
    // Signed by its owner, but naming an id its nonce and owner do not make.
    let claimed = owner.genesis(SpaceId(kindred_tests::api::random_id()));
    api.post(
        "/v1/spaces",
        Some(&tok),
        encode(&AppendLog {
            v: kindred_protocol::PROTOCOL_VERSION,
            entry: claimed,
        }),
    )
    .err(400, ErrorCode::InvalidEntry);
    let mut after = server.counts();
    let mut before = before;
    // The token row is the only one the request may have touched.
    after.retain(|(t, _)| t != "tokens");
    before.retain(|(t, _)| t != "tokens");
    assert_eq!(before, after);
    // The same genesis with an id it does make is taken.
    let space = owner.new_space();
    let _: LogHead = api
        .post(
            "/v1/spaces",
            Some(&tok),
            encode(&AppendLog {
                v: kindred_protocol::PROTOCOL_VERSION,
                entry: owner.genesis(space),
            }),
        )
        .ok();
    // The in-memory relay runs the same check.
    let relay = MemoryRelay::new();
    let ch = relay
        .challenge(&ChallengeRequest {
            v: kindred_protocol::PROTOCOL_VERSION,
            device: owner.key(),
        })
        .unwrap();
    let token = relay
        .token(&TokenRequest {
            v: kindred_protocol::PROTOCOL_VERSION,
            device: owner.key(),
            nonce: ch.nonce,
            origin: relay.origin(),
            sig: owner.sign(&TokenRequest::signing_bytes(
                &owner.key(),
                &ch.nonce,
                &relay.origin(),
            )),
        })
        .unwrap()
        .token;
    let refused = relay.create_space(
        &token,
        &AppendLog {
            v: kindred_protocol::PROTOCOL_VERSION,
            entry: owner.genesis(SpaceId([9; 16])),
        },
    );
    assert!(matches!(
        refused,
        Err(TransportError::Rejected {
            code: ErrorCode::InvalidEntry,
            ..
        })
    ));
}

#[test]
fn over_http_a_relay_that_edits_the_joined_spaces_log_is_refused_and_the_rest_syncs() {
    let server = ServerProcess::start();
    let t = HttpTransport::new(&server.url).unwrap();
    let dirs: Vec<_> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut phone = device(dirs[0].path(), "phone");
    phone.add_goal(&goal("Walk in the park")).unwrap();
    phone.sync(&t).unwrap();
    let personal = space_of(&phone, SpaceKind::Personal);
    let caseload = space_of(&phone, SpaceKind::Caseload);

    let offer = phone
        .pair_offer(&server.url, Duration::from_secs(600))
        .unwrap();
    let mut tablet = Kindred::init_joining(dirs[1].path(), &test_key(), "tablet").unwrap();
    let seen = tablet.pair_join_request(&t, &offer.to_text()).unwrap();
    confirm(&t, &mut phone, &offer);

    // The operator puts a genesis of its own in place of the real one.
    let sid = SpaceId::from_hex(&personal).unwrap();
    let own = relays_own_space(key_of(&tablet), Some(sid));
    server.overwrite_log_entry(&personal, 0, &encode(&own[0]));

    assert_eq!(
        mismatch(tablet.pair_join_finish(&t, &seen)),
        JoinMismatch::OtherSpace
    );
    assert_eq!(tablet.space_epoch(&personal).unwrap(), None);
    assert_eq!(tablet.space_epoch(&caseload).unwrap(), Some(1));
    // It stays refused on every later sync, and the caseload keeps syncing.
    let report = tablet.sync(&t).unwrap();
    assert_eq!(report.failed.len(), 1, "{report:?}");
    assert!(matches!(
        report.failed[0].error,
        Error::JoinMismatch {
            what: JoinMismatch::OtherSpace
        }
    ));
    assert!(report.spaces.iter().any(|s| s.space == caseload));
    assert_eq!(tablet.space_epoch(&personal).unwrap(), None);
}

#[test]
fn a_log_where_another_device_added_the_joiner_is_refused() {
    let relay = MemoryRelay::new();
    let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut phone = device(dirs[0].path(), "phone");
    phone.sync(&relay).unwrap();
    let personal = space_of(&phone, SpaceKind::Personal);
    let mut laptop = kindred_tests::devices::pair(&relay, &mut phone, dirs[1].path(), "laptop");

    // The tablet pairs with the phone, but the relay has the laptop (also
    // an owner) add it first, from a second request the tablet was made
    // to leave. The log then verifies, yet not as the phone pinned it.
    let mut tablet = Kindred::init_joining(dirs[2].path(), &test_key(), "tablet").unwrap();
    let by_laptop = laptop
        .pair_offer("memory", Duration::from_secs(600))
        .unwrap();
    tablet
        .pair_join_request(&relay, &by_laptop.to_text())
        .unwrap();
    confirm(&relay, &mut laptop, &by_laptop);
    let by_phone = phone
        .pair_offer("memory", Duration::from_secs(600))
        .unwrap();
    let seen = tablet
        .pair_join_request(&relay, &by_phone.to_text())
        .unwrap();
    confirm(&relay, &mut phone, &by_phone);

    assert_eq!(
        mismatch(tablet.pair_join_finish(&relay, &seen)),
        JoinMismatch::AddedByAnother
    );
    assert_eq!(tablet.space_epoch(&personal).unwrap(), None);
    let words = Error::JoinMismatch {
        what: JoinMismatch::AddedByAnother,
    }
    .to_string();
    assert!(
        words.contains("another device than the one you joined with"),
        "{words}"
    );
}
