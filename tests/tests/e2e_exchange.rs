//! One round trip per change on the live path (issue 17), on a real relay
//! process: the exchange endpoint's promises and refusals, and what a
//! check-in costs in requests from one device's write to another's copy.
#![allow(clippy::unwrap_used)]

use kindred_core::SpaceKind;
use kindred_core::sync::HttpTransport;
use kindred_protocol::messages::*;
use kindred_protocol::*;
use kindred_tests::api::{RawApi, path};
use kindred_tests::counting::Counting;
use kindred_tests::devices::{check_in, device, dirs, pair, space_of, view};
use kindred_tests::server::ServerProcess;
use kindred_tests::signer::Dev;

fn exchange(envelopes: Vec<ChangeEnvelope>, after: u64, log_after: u64) -> Vec<u8> {
    encode(&Exchange {
        v: PROTOCOL_VERSION,
        envelopes,
        after,
        log_after,
        limit: 100,
    })
}

#[test]
fn an_exchange_stores_acknowledges_and_pulls_in_one_request_and_refuses_as_its_parts() {
    let server = ServerProcess::start();
    let api = RawApi::new(&server.url);
    let (a, b, stranger) = (Dev::new(), Dev::new(), Dev::new());
    let (ta, tb, ts) = (api.token(&a), api.token(&b), api.token(&stranger));
    let space = api.space(&a, &ta, &[&b]);

    // A pushes two and gets them back in the same answer, with the log.
    let r: ExchangeResult = api
        .post(
            &path(space, "exchange"),
            Some(&ta),
            exchange(
                vec![a.envelope(space, 1, vec![1]), a.envelope(space, 2, vec![2])],
                0,
                0,
            ),
        )
        .ok();
    assert_eq!(r.acks.len(), 2);
    assert_eq!(r.page.changes.len(), 2);
    assert_eq!(r.page.log.len(), 2);
    assert_eq!(r.page.head_seq, 2);
    // Repeated (its answer was lost): the same acknowledgements, nothing new.
    let again: ExchangeResult = api
        .post(
            &path(space, "exchange"),
            Some(&ta),
            exchange(vec![a.envelope(space, 2, vec![2])], 2, 2),
        )
        .ok();
    assert_eq!(again.acks, vec![r.acks[1]]);
    assert!(again.page.changes.is_empty());
    // B, with nothing to send, pulls from its cursor and acknowledges it.
    let rb: ExchangeResult = api
        .post(&path(space, "exchange"), Some(&tb), exchange(vec![], 1, 2))
        .ok();
    assert_eq!(rb.page.changes.len(), 1);
    assert_eq!(rb.page.changes[0].server_seq, 2);
    let cursors: ExchangeResult = api
        .post(&path(space, "exchange"), Some(&ta), exchange(vec![], 2, 2))
        .ok();
    assert!(
        cursors
            .page
            .cursors
            .iter()
            .any(|c| c.device == b.key() && c.server_seq == 1),
        "{:?}",
        cursors.page.cursors
    );

    // Refusals, each typed, storing nothing.
    let before = server.counts();
    api.post(
        &path(space, "exchange"),
        Some(&ta),
        exchange(vec![b.envelope(space, 3, vec![3])], 2, 2),
    )
    .err(403, ErrorCode::Forbidden);
    api.post(&path(space, "exchange"), Some(&ts), exchange(vec![], 0, 0))
        .err(403, ErrorCode::NotMember);
    api.post(&path(space, "exchange"), Some(&ta), vec![0xff, 0x00])
        .err(400, ErrorCode::Malformed);
    api.post(&path(space, "exchange"), None, exchange(vec![], 0, 0))
        .err(401, ErrorCode::Unauthenticated);
    // A sequence gap in the push: the pull part does not run either.
    api.post(
        &path(space, "exchange"),
        Some(&ta),
        exchange(vec![a.envelope(space, 9, vec![9])], 2, 2),
    )
    .err(400, ErrorCode::SequenceGap);
    assert_eq!(server.counts(), before, "nothing stored by a refusal");
}

#[test]
fn a_check_in_reaches_the_other_device_in_one_request_each_and_idle_costs_nothing() {
    let server = ServerProcess::start();
    let t = HttpTransport::new(&server.url).unwrap();
    let d = dirs(2);
    let mut phone = device(d[0].path(), "phone");
    let mut tablet = pair(&t, &mut phone, d[1].path(), "tablet");
    for _ in 0..2 {
        phone.sync(&t).unwrap();
        tablet.sync(&t).unwrap();
    }
    let space = space_of(&tablet, SpaceKind::Personal);
    let (cp, ct) = (Counting::new(&t), Counting::new(&t));
    // Signed in already: tokens last, and are not part of a check-in.
    phone.sync_pending(&cp).unwrap();
    tablet.sync_space(&ct, &space).unwrap();
    cp.reset();
    ct.reset();

    // Nothing waiting: nothing sent.
    assert!(phone.sync_pending(&cp).unwrap().spaces.is_empty());
    assert_eq!(cp.requests(), 0);

    for n in 0..5 {
        phone
            .add_check_in(&check_in(3, &format!("evening {n}")))
            .unwrap();
        cp.reset();
        ct.reset();
        let sent = phone.sync_pending(&cp).unwrap();
        assert_eq!(sent.spaces.len(), 1, "only the space that changed");
        assert_eq!(sent.spaces[0].pushed, 1);
        assert_eq!(cp.requests(), 1, "the write: one round trip");
        // The live hint names the space; the tablet fetches it.
        let got = tablet.sync_space(&ct, &space).unwrap();
        assert_eq!(got.pulled, 1);
        assert_eq!(ct.requests(), 1, "the copy: one round trip");
    }
    assert_eq!(view(&mut phone).1, view(&mut tablet).1);
}
