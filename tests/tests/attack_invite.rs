//! Attacks on remote invites (issue 13, item 5; docs/crypto.md "Invite
//! PAKE and SAS (issue 13)"): a relay that keeps every mailbox message
//! has nothing to test a guess of the code against; a man in the middle
//! with a wrong guess burns the invite and adds no one; the core adds no
//! one until the local person's yes is recorded; replayed and malformed
//! messages end the invite with a typed error. The wrong guess also runs
//! through a real relay process over HTTP.
#![allow(clippy::unwrap_used)]

use std::sync::Mutex;

use kindred_core::sync::{HttpTransport, Role, Transport};
use kindred_core::{Error, Kindred, SpaceKind};
use kindred_protocol::invite::{InviteCode, InviteMessage, InviteStep, Terms};
use kindred_protocol::invite_pake::{Pake, Side};
use kindred_protocol::messages::*;
use kindred_protocol::{Bytes, Hash, SpaceId, decode};
use kindred_tests::devices::{device, dirs, share, to_sas};
use kindred_tests::memory_relay::{MailboxSplit, MemoryRelay};
use kindred_tests::relay_double::{Tamper, Tampered};
use kindred_tests::server::ServerProcess;

/// A relay that keeps a copy of every mailbox message posted through it
/// (what a relay that logs everything holds after an invite).
#[derive(Default)]
struct Recording {
    posts: Mutex<Vec<([u8; 16], Vec<u8>)>>,
}

impl Recording {
    fn on(relay: &dyn Transport) -> Tampered<'_, Recording> {
        Tampered::new(relay, Recording::default())
    }
}

impl Tamper for Recording {
    fn rendezvous_post(&self, id: &[u8; 16], body: &RendezvousPost) {
        self.posts
            .lock()
            .unwrap()
            .push((*id, body.payload.0.clone()));
    }
}

/// Every mailbox message the relay has seen.
fn posts(relay: &Tampered<'_, Recording>) -> Vec<([u8; 16], Vec<u8>)> {
    relay.tamper.posts.lock().unwrap().clone()
}

/// Codes a relay could hold for possible: the true one and others with
/// the same first group (which a relay can work out from the mailbox id),
/// so that the mailbox ids do not tell them apart.
fn candidates(code: &InviteCode) -> Vec<InviteCode> {
    let mut out = vec![code.clone()];
    for tail in ["00000", "ZZZZZ", "7KQ2M", "XW9PD"] {
        let c = InviteCode::parse(&format!("{}{tail}", code.locator())).unwrap();
        if c != *code {
            out.push(c);
        }
    }
    out
}

#[test]
fn the_relay_holding_a_whole_invite_transcript_has_nothing_to_test_a_guess_against() {
    let inner = MemoryRelay::new();
    let relay = Recording::on(&inner);
    let d = dirs(2);
    let mut person = device(d[0].path(), "person phone");
    let mut worker = device(d[1].path(), "worker laptop");
    let mut inv = person.invite_create(&relay, None, Role::Writer).unwrap();
    let code = InviteCode::parse(&inv.code()).unwrap();
    let (mut j, a, b) = to_sas(&relay, &mut person, &relay, &mut worker, &mut inv);
    assert_eq!(a, b);
    person.invite_yes(&inv).unwrap();
    worker.invite_join_yes(&j).unwrap();
    worker.invite_join_confirm(&relay, &mut j).unwrap();
    person.invite_confirm(&relay, &mut inv).unwrap().unwrap();
    worker.invite_join_finish(&relay, &mut j).unwrap().unwrap();

    // Everything the relay saw of this invite.
    let (to_inviter, to_joiner) = code.mailboxes();
    let mut commit: Option<(Hash, Terms)> = None;
    let (mut x, mut y) = (None, None);
    let mut sealed: Vec<(Side, Bytes)> = Vec::new();
    for (id, payload) in posts(&relay) {
        let to = if id == to_inviter {
            Side::Inviter
        } else {
            assert_eq!(id, to_joiner, "an invite posts only in its two mailboxes");
            Side::Joiner
        };
        match decode::<InviteMessage>(&payload).unwrap().step {
            InviteStep::Commit { commitment, terms } => commit = Some((commitment, terms)),
            InviteStep::Pake { msg } => y = Some(msg.0),
            InviteStep::Open { msg, sealed: s } => {
                x = Some(msg.0);
                sealed.push((to, s));
            }
            InviteStep::Sealed { sealed: s } => sealed.push((to, s)),
            InviteStep::Expired => panic!("a completed invite posts no Expired"),
        }
    }
    let (commit, terms) = commit.unwrap();
    let (x, y) = (x.unwrap(), y.unwrap());
    // The hello each way, the confirmation and the welcome.
    assert_eq!(sealed.len(), 4, "{sealed:?}");

    // The relay's offline attack: for every candidate code, do everything
    // that can be done with the transcript and the candidate alone. It
    // must run SPAKE2 itself (it has neither device's secret scalar), as
    // either side, against the message it saw from the other side, and
    // try the resulting keys on every sealed message.
    let cands = candidates(&code);
    assert!(cands.len() >= 4);
    for cand in &cands {
        assert_eq!(
            cand.mailboxes(),
            code.mailboxes(),
            "the mailbox ids are the same for every candidate: no check value there"
        );
        let as_inviter = Pake::start(Side::Inviter, cand)
            .finish(&y, &commit, &terms)
            .unwrap();
        let as_joiner = Pake::start(Side::Joiner, cand)
            .finish(&x, &commit, &terms)
            .unwrap();
        for (to, s) in &sealed {
            for session in [&as_inviter, &as_joiner] {
                for side in [Side::Inviter, Side::Joiner] {
                    assert_eq!(
                        session.open(side, &s.0),
                        None,
                        "a key built from {} opened a message for {to:?}",
                        if cand == &code {
                            "the true code"
                        } else {
                            "a wrong code"
                        }
                    );
                }
            }
        }
    }
    // The commitment, the terms and both PAKE messages are the only other
    // values in the transcript; none of them is a function of the code
    // alone (the PAKE messages are blinded by fresh random scalars, the
    // commitment hashes one of them), so the same candidate never
    // reproduces them.
    for cand in &cands {
        let fresh = Pake::start(Side::Inviter, cand);
        assert_ne!(fresh.message(), &x[..]);
        assert_ne!(
            kindred_protocol::invite_pake::pake_commitment(fresh.message()),
            commit
        );
        assert_ne!(Pake::start(Side::Joiner, cand).message(), &y[..]);
    }
    // The name of the worker's device never appears in what the relay saw.
    for (_, payload) in posts(&relay) {
        assert!(!payload.windows(13).any(|w| w == b"worker laptop"));
        assert!(!payload.windows(12).any(|w| w == b"person phone"));
    }
}

/// Mallory guessed the code's second group wrong and sits between the
/// person and the worker: his runs fail on both sides, the invite is
/// burnt (the real worker typing the real code afterwards is told it no
/// longer works), and nothing is made or added anywhere.
fn a_wrong_guess_in_the_middle_burns_the_invite(relay: &dyn Transport) {
    let d = dirs(3);
    let mut person = device(d[0].path(), "person phone");
    let mut worker = device(d[1].path(), "worker laptop");
    let mut mallory = device(d[2].path(), "worker laptop");
    for k in [&mut person, &mut worker, &mut mallory] {
        k.sync(relay).unwrap();
    }
    let mut inv = person.invite_create(relay, None, Role::Writer).unwrap();
    let code = InviteCode::parse(&inv.code()).unwrap();
    let guess = format!(
        "{}{}",
        code.locator(),
        if code.as_str().ends_with("00000") {
            "11111"
        } else {
            "00000"
        }
    );
    let mut m_join = mallory.invite_join(relay, &guess).unwrap();
    // The person answers Mallory's PAKE message (its one run) ...
    assert!(person.invite_poll(relay, &mut inv).unwrap().is_none());
    // ... and Mallory cannot open what came back.
    assert!(matches!(
        mallory.invite_join_poll(relay, &mut m_join),
        Err(Error::InviteCodeWrong)
    ));
    // What he sent instead does not open for the person: burnt.
    assert!(matches!(
        person.invite_poll(relay, &mut inv),
        Err(Error::InviteCodeWrong)
    ));
    assert!(matches!(
        person.invite_poll(relay, &mut inv),
        Err(Error::InviteCodeWrong)
    ));
    assert!(inv.sas().is_none(), "no string was ever shown");
    assert!(matches!(
        person.invite_yes(&inv),
        Err(Error::InviteNotReady)
    ));
    assert!(matches!(
        person.invite_confirm(relay, &mut inv),
        Err(Error::InviteNotReady)
    ));
    // The worker, with the right code, comes too late: it no longer works.
    assert!(matches!(
        worker.invite_join(relay, &inv.code()),
        Err(Error::InviteCodeExpired)
    ));
    for k in [&mut person, &mut worker, &mut mallory] {
        k.sync(relay).unwrap();
        assert!(k.shares().unwrap().is_empty());
        assert!(k.spaces().iter().all(|s| s.kind != SpaceKind::Shared));
    }
}

#[test]
fn a_wrong_guess_in_the_middle_burns_the_invite_and_adds_no_one() {
    let relay = MemoryRelay::new();
    a_wrong_guess_in_the_middle_burns_the_invite(&relay);
}

#[test]
fn a_wrong_guess_in_the_middle_on_a_real_relay_burns_the_invite() {
    let server = ServerProcess::start();
    a_wrong_guess_in_the_middle_burns_the_invite(&HttpTransport::new(&server.url).unwrap());
}

#[test]
fn a_man_in_the_middle_with_the_right_code_gets_strings_that_differ_in_digits_and_emoji() {
    // Over many runs, what the two people would compare differs every
    // time, and the digits and the emoji come from different bits.
    let relay = MemoryRelay::new();
    let d = dirs(3);
    let mut person = device(d[0].path(), "person phone");
    let mut worker = device(d[1].path(), "worker laptop");
    let mut mallory = device(d[2].path(), "worker laptop");
    let to_person = MailboxSplit {
        relay: &relay,
        tag: 1,
    };
    let to_worker = MailboxSplit {
        relay: &relay,
        tag: 2,
    };
    let mut emoji_differ = 0;
    for _ in 0..8 {
        let mut inv = person
            .invite_create(&to_person, None, Role::Writer)
            .unwrap();
        let code = inv.code();
        let mut m_join = mallory.invite_join(&to_person, &code).unwrap();
        let mut m_inv = mallory
            .invite_create_with_code(&to_worker, None, Role::Writer, &code)
            .unwrap();
        let mut w_join = worker.invite_join(&to_worker, &code).unwrap();
        assert!(person.invite_poll(&to_person, &mut inv).unwrap().is_none());
        assert!(
            mallory
                .invite_poll(&to_worker, &mut m_inv)
                .unwrap()
                .is_none()
        );
        mallory
            .invite_join_poll(&to_person, &mut m_join)
            .unwrap()
            .unwrap();
        let s_worker = worker
            .invite_join_poll(&to_worker, &mut w_join)
            .unwrap()
            .unwrap();
        let s_person = person.invite_poll(&to_person, &mut inv).unwrap().unwrap();
        assert_ne!(s_person.digits, s_worker.digits);
        if s_person.emoji != s_worker.emoji {
            emoji_differ += 1;
        }
        person.invite_decline(&to_person, &inv).unwrap();
        worker.invite_join_decline(&to_worker, &w_join).unwrap();
    }
    assert!(emoji_differ >= 7, "{emoji_differ}");
    person.sync(&relay).unwrap();
    assert!(person.shares().unwrap().is_empty());
    assert!(worker.shares().unwrap().is_empty());
}

#[test]
fn without_the_persons_recorded_yes_the_core_adds_no_one() {
    let relay = MemoryRelay::new();
    let d = dirs(3);
    let mut person = device(d[0].path(), "person phone");
    let mut worker = device(d[1].path(), "worker laptop");
    let mut other = device(d[2].path(), "volunteer tablet");
    // An existing share with the worker; the person invites a second
    // person into it.
    let joined = share(&relay, &mut person, &mut worker);
    let sid = SpaceId::from_hex(&joined.space).unwrap();
    let head = relay.log_head(&sid).unwrap();
    let members = |k: &mut Kindred| k.shares().unwrap()[0].members.len();
    let before = members(&mut person);

    let mut inv = person
        .invite_create(&relay, Some(&joined.space), Role::Reader)
        .unwrap();
    let head = relay.log_head(&sid).unwrap_or(head);
    let (mut j, a, b) = to_sas(&relay, &mut person, &relay, &mut other, &mut inv);
    assert_eq!(a, b);
    // The joiner's side: no signed yes leaves without its person's yes.
    assert!(matches!(
        other.invite_join_confirm(&relay, &mut j),
        Err(Error::InviteNotConfirmed)
    ));
    assert!(matches!(
        other.invite_join_finish(&relay, &mut j),
        Err(Error::InviteNotConfirmed)
    ));
    other.invite_join_yes(&j).unwrap();
    other.invite_join_confirm(&relay, &mut j).unwrap();
    // The joiner confirmed; the person's device has not recorded its
    // person's yes: refused, whatever the joiner sent.
    for _ in 0..2 {
        let e = person.invite_confirm(&relay, &mut inv).unwrap_err();
        assert!(matches!(e, Error::InviteNotConfirmed), "{e:?}");
        assert!(e.to_string().contains("no one was added"), "{e}");
    }
    assert_eq!(
        relay.log_head(&sid).unwrap(),
        head,
        "nothing written to the log"
    );
    person.sync(&relay).unwrap();
    assert_eq!(members(&mut person), before);
    assert!(other.shares().unwrap().is_empty());
    assert!(
        other.invite_join_finish(&relay, &mut j).unwrap().is_none(),
        "no welcome came"
    );

    // Once the yes is recorded, the same invite goes through.
    person.invite_yes(&inv).unwrap();
    let added = person.invite_confirm(&relay, &mut inv).unwrap().unwrap();
    assert_eq!(added.role, "reader");
    let got = other.invite_join_finish(&relay, &mut j).unwrap().unwrap();
    assert_eq!(got.space, joined.space);
    assert_ne!(relay.log_head(&sid).unwrap(), head);
    assert_eq!(members(&mut person), before + 1);
}

/// Posts raw bytes in a mailbox, as a relay could.
fn post_raw(t: &dyn Transport, id: &[u8; 16], payload: Vec<u8>) {
    t.rendezvous_post(
        id,
        &RendezvousPost {
            v: kindred_protocol::PROTOCOL_VERSION,
            payload: Bytes(payload),
        },
    )
    .unwrap();
}

#[test]
fn replayed_invite_messages_end_the_invite_with_a_typed_error() {
    let inner = MemoryRelay::new();
    let relay = Recording::on(&inner);
    let d = dirs(3);
    let mut person = device(d[0].path(), "person phone");
    let mut worker = device(d[1].path(), "worker laptop");
    let mut other = device(d[2].path(), "volunteer tablet");

    // A first invite, completed; the relay keeps every message.
    let mut first = person.invite_create(&relay, None, Role::Writer).unwrap();
    let (mut j, _, _) = to_sas(&relay, &mut person, &relay, &mut worker, &mut first);
    person.invite_yes(&first).unwrap();
    worker.invite_join_yes(&j).unwrap();
    worker.invite_join_confirm(&relay, &mut j).unwrap();
    person.invite_confirm(&relay, &mut first).unwrap().unwrap();
    worker.invite_join_finish(&relay, &mut j).unwrap().unwrap();
    let old = posts(&relay);
    let step = |p: &Vec<u8>| decode::<InviteMessage>(p).unwrap().step;
    let old_confirm = old
        .iter()
        .filter(|(_, p)| matches!(step(p), InviteStep::Sealed { .. }))
        .map(|(_, p)| p.clone())
        .nth(1)
        .unwrap();
    let old_commit = old
        .iter()
        .find(|(_, p)| matches!(step(p), InviteStep::Commit { .. }))
        .map(|(_, p)| p.clone())
        .unwrap();

    // A second invite: the relay replays the old confirmation into it.
    let mut second = person.invite_create(&relay, None, Role::Reader).unwrap();
    let code = InviteCode::parse(&second.code()).unwrap();
    let (to_inviter, _) = code.mailboxes();
    let (mut j2, _, _) = to_sas(&relay, &mut person, &relay, &mut other, &mut second);
    person.invite_yes(&second).unwrap();
    post_raw(&relay, &to_inviter, old_confirm);
    assert!(matches!(
        person.invite_confirm(&relay, &mut second),
        Err(Error::InviteTampered)
    ));
    // The invite is over: the joiner is told, and nothing was added.
    assert!(matches!(
        person.invite_confirm(&relay, &mut second),
        Err(Error::InviteNotConfirmed | Error::InviteTampered)
    ));
    // The joiner, saying yes, hears that the invite stopped: it is not
    // welcomed anywhere.
    other.invite_join_yes(&j2).unwrap();
    other.invite_join_confirm(&relay, &mut j2).unwrap();
    assert!(matches!(
        other.invite_join_finish(&relay, &mut j2),
        Err(Error::InviteTampered)
    ));
    assert!(other.shares().unwrap().is_empty());
    assert_eq!(person.shares().unwrap().len(), 1, "only the first share");

    // A third invite: an old commitment replayed beside the new one.
    let third = person.invite_create(&relay, None, Role::Reader).unwrap();
    let code3 = InviteCode::parse(&third.code()).unwrap();
    post_raw(&relay, &code3.mailboxes().1, old_commit);
    assert!(matches!(
        other.invite_join(&relay, &third.code()),
        Err(Error::InviteTampered)
    ));
    assert!(other.shares().unwrap().is_empty());
}

#[test]
fn malformed_invite_messages_end_the_invite_with_a_typed_error() {
    let relay = MemoryRelay::new();
    let d = dirs(3);
    let mut person = device(d[0].path(), "person phone");
    let mut worker = device(d[1].path(), "worker laptop");

    // Junk in the inviter's mailbox.
    let mut inv = person.invite_create(&relay, None, Role::Writer).unwrap();
    let (to_inviter, _) = InviteCode::parse(&inv.code()).unwrap().mailboxes();
    post_raw(&relay, &to_inviter, vec![0xa1, 0x00, 0xff, 0x13]);
    let e = person.invite_poll(&relay, &mut inv).unwrap_err();
    assert!(matches!(e, Error::InviteTampered), "{e:?}");
    assert!(e.to_string().contains("no one was added"), "{e}");
    // Burnt: the worker typing the code is told it no longer works.
    assert!(matches!(
        worker.invite_join(&relay, &inv.code()),
        Err(Error::InviteCodeExpired)
    ));

    // A PAKE message of the wrong length is refused by the decoder.
    let mut inv = person.invite_create(&relay, None, Role::Writer).unwrap();
    let (to_inviter, _) = InviteCode::parse(&inv.code()).unwrap().mailboxes();
    let short = InviteMessage {
        v: kindred_protocol::PROTOCOL_VERSION,
        step: InviteStep::Pake {
            msg: Bytes(vec![0x42; 7]),
        },
    };
    post_raw(&relay, &to_inviter, kindred_protocol::encode(&short));
    assert!(matches!(
        person.invite_poll(&relay, &mut inv),
        Err(Error::InviteTampered)
    ));

    // A well-formed PAKE message that is not a point on the curve.
    let mut inv = person.invite_create(&relay, None, Role::Writer).unwrap();
    let (to_inviter, _) = InviteCode::parse(&inv.code()).unwrap().mailboxes();
    let not_point = (0..=255u8)
        .map(|b| {
            let mut m = vec![0x42];
            m.extend_from_slice(&[b; 32]);
            m
        })
        .find(|m| {
            Pake::start(Side::Inviter, &InviteCode::parse("00000-00000").unwrap())
                .finish(
                    m,
                    &Hash([0; 32]),
                    &Terms {
                        role: "writer".into(),
                        expires_at: 0,
                    },
                )
                .is_err()
        })
        .unwrap();
    let bad = InviteMessage {
        v: kindred_protocol::PROTOCOL_VERSION,
        step: InviteStep::Pake {
            msg: Bytes(not_point),
        },
    };
    post_raw(&relay, &to_inviter, kindred_protocol::encode(&bad));
    assert!(matches!(
        person.invite_poll(&relay, &mut inv),
        Err(Error::InviteTampered)
    ));

    // An inviter's step reflected into the inviter's own mailbox.
    let mut inv = person.invite_create(&relay, None, Role::Writer).unwrap();
    let (to_inviter, _) = InviteCode::parse(&inv.code()).unwrap().mailboxes();
    let reflected = InviteMessage {
        v: kindred_protocol::PROTOCOL_VERSION,
        step: InviteStep::Expired,
    };
    post_raw(&relay, &to_inviter, kindred_protocol::encode(&reflected));
    assert!(matches!(
        person.invite_poll(&relay, &mut inv),
        Err(Error::InviteTampered)
    ));
    person.sync(&relay).unwrap();
    assert!(person.shares().unwrap().is_empty());
}
