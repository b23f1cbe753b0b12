//! A person and their worker, on the in-memory relay: a remote invite
//! confirmed by a short authentication string, one goal shared, written
//! on by both, a man in the middle who gets mismatching strings and adds
//! no one, a declined invite, and ending the share.
#![allow(clippy::unwrap_used)]

use kindred_core::model::GoalChanges;
use kindred_core::sync::Role;
use kindred_core::{Error, Kindred, SpaceKind};
use kindred_tests::devices::{
    check_in, device, goal, man_in_the_middle_adds_no_one, note, pair, share, to_sas, view,
};
use kindred_tests::memory_relay::MemoryRelay;

fn titles(k: &mut Kindred) -> Vec<String> {
    let mut t: Vec<String> = k
        .goals(None)
        .unwrap()
        .into_iter()
        .map(|g| g.title)
        .collect();
    t.sort();
    t
}

#[test]
fn a_person_shares_one_goal_and_the_worker_sees_exactly_that() {
    let relay = MemoryRelay::new();
    let (d1, d2, d3) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let mut person = device(d1.path(), "person phone");
    let shared = person.add_goal(&goal("Get my own flat")).unwrap();
    person
        .add_step(&shared, "Call the housing office", None)
        .unwrap();
    person.add_goal(&goal("PRIVATE-GOAL stays mine")).unwrap();
    person
        .add_check_in(&check_in(2, "PRIVATE-CHECKIN a hard day"))
        .unwrap();
    let mut tablet = pair(&relay, &mut person, d3.path(), "person tablet");
    let mut worker = device(d2.path(), "worker laptop");
    worker.add_goal(&goal("Worker's own goal")).unwrap();

    let joined = share(&relay, &mut person, &mut worker);
    person.share_goal(&shared, &joined.space).unwrap();
    person.sync(&relay).unwrap();
    worker.sync(&relay).unwrap();

    // The worker sees that goal, with its step, and nothing else of hers.
    assert_eq!(
        titles(&mut worker),
        vec!["Get my own flat", "Worker's own goal"]
    );
    let on_worker = worker.goal(&shared).unwrap();
    assert_eq!(on_worker.steps.len(), 1);
    assert!(worker.check_ins(None, None).unwrap().is_empty());
    let everything = format!("{:?}", view(&mut worker));
    assert!(!everything.contains("PRIVATE"), "{everything}");

    // Both write on the shared goal; both converge (and the person's
    // tablet too, without any step of its own).
    worker
        .add_step(&shared, "Bring ID to the appointment", None)
        .unwrap();
    person
        .update_goal(
            &shared,
            &GoalChanges {
                why: Some(Some("A door I can lock".into())),
                ..Default::default()
            },
        )
        .unwrap();
    worker.sync(&relay).unwrap();
    for k in [&mut person, &mut worker, &mut tablet] {
        k.sync(&relay).unwrap();
    }
    let a = person.goal(&shared).unwrap();
    assert_eq!(a.steps.len(), 2);
    assert_eq!(a.why.as_deref(), Some("A door I can lock"));
    assert_eq!(worker.goal(&shared).unwrap(), a);
    assert_eq!(tablet.goal(&shared).unwrap(), a);

    // The share list says exactly what is shared with whom.
    let shares = person.shares().unwrap();
    assert_eq!(shares.len(), 1);
    let s = &shares[0];
    assert_eq!(s.goals.len(), 1);
    assert_eq!(s.goals[0].id, shared);
    assert_eq!(s.name, "with worker laptop");
    assert!(!s.ended);
    let others: Vec<_> = s.members.iter().filter(|m| !m.mine).collect();
    assert_eq!(others.len(), 1);
    assert_eq!(others[0].name, "worker laptop");
    assert_eq!(others[0].role, "writer");
    assert!(s.members.iter().any(|m| m.mine && m.name == "person phone"));

    // Stop sharing the goal: it comes home; the worker gets no more of it.
    person.unshare_goal(&shared).unwrap();
    person.sync(&relay).unwrap();
    worker.sync(&relay).unwrap();
    assert_eq!(titles(&mut worker), vec!["Worker's own goal"]);
    assert_eq!(person.goal(&shared).unwrap().steps.len(), 2);
    assert!(person.shares().unwrap()[0].goals.is_empty());
}

#[test]
fn ending_a_share_removes_the_worker_rotates_and_the_goal_comes_home() {
    let relay = MemoryRelay::new();
    let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut person = device(dirs[0].path(), "person phone");
    let g = person.add_goal(&goal("Walk every morning")).unwrap();
    let mut tablet = pair(&relay, &mut person, dirs[2].path(), "person tablet");
    let mut worker = device(dirs[1].path(), "worker laptop");
    let joined = share(&relay, &mut person, &mut worker);
    person.share_goal(&g, &joined.space).unwrap();
    for k in [&mut person, &mut worker, &mut tablet] {
        k.sync(&relay).unwrap();
    }
    assert_eq!(worker.goal(&g).unwrap().title, "Walk every morning");
    // The tablet is the person's too: she can end the share from it.
    tablet.sync(&relay).unwrap();
    let removed = tablet.end_share(&relay, &joined.space, None).unwrap();
    assert_eq!(removed.name, "worker laptop");
    assert_eq!(tablet.space_epoch(&joined.space).unwrap(), Some(2));
    // The goal is home on every device of hers.
    person.sync(&relay).unwrap();
    tablet.sync(&relay).unwrap();
    assert!(person.goal(&g).is_ok());
    assert_eq!(view(&mut person), view(&mut tablet));
    // Her list shows the share as ended, still named by who it was with.
    for k in [&mut person, &mut tablet] {
        let shares = k.shares().unwrap();
        assert_eq!(shares.len(), 1);
        assert!(shares[0].ended);
        assert_eq!(shares[0].name, "with worker laptop");
        assert!(shares[0].goals.is_empty());
    }
    // The worker is told, checks the signed log, wipes the shared space.
    let report = worker.sync(&relay).unwrap();
    assert!(report.spaces.iter().any(|s| s.removed), "{report:?}");
    assert!(matches!(worker.goal(&g), Err(Error::NotFound { .. })));
    assert!(worker.shares().unwrap().is_empty());
}

/// Every space on the relay is a personal or caseload space of one of
/// `devices`: no share was left behind.
fn assert_no_shared_space_on(relay: &MemoryRelay, devices: &[&Kindred]) {
    let own: Vec<String> = devices
        .iter()
        .flat_map(|k| k.spaces().iter())
        .filter(|s| s.kind != SpaceKind::Shared)
        .map(|s| s.id.clone())
        .collect();
    for sid in relay.space_ids() {
        assert!(own.contains(&sid.to_hex()), "a space was left on the relay");
    }
    for k in devices {
        assert!(k.spaces().iter().all(|s| s.kind != SpaceKind::Shared));
    }
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[test]
fn an_expired_code_fails_at_once_and_leaves_nothing_behind() {
    let relay = MemoryRelay::new();
    let dirs: Vec<_> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut person = device(dirs[0].path(), "person phone");
    let mut worker = device(dirs[1].path(), "worker laptop");
    person.sync(&relay).unwrap();
    worker.sync(&relay).unwrap();

    // The person's terminal was closed long ago: only the terms in the
    // mailbox say the code is over. One call, one typed answer.
    let old = person
        .invite_create_expiring(&relay, None, Role::Writer, "AAAAA-AAAAA", unix_now() - 3600)
        .unwrap();
    assert!(matches!(
        worker.invite_join(&relay, &old.code()),
        Err(Error::InviteCodeExpired)
    ));

    // The person's time ran out while she waited: her device says so to
    // the mailbox, and a worker who comes later hears it at once (the
    // terms alone would still allow for a slow clock).
    let mut late = person
        .invite_create_lasting(&relay, None, Role::Writer, 0)
        .unwrap();
    assert!(matches!(
        person.invite_poll(&relay, &mut late),
        Err(Error::InviteExpired)
    ));
    assert!(matches!(
        worker.invite_join(&relay, &late.code()),
        Err(Error::InviteCodeExpired)
    ));

    // A worker already waiting when the time runs out is told too.
    let mut short = person
        .invite_create_lasting(&relay, None, Role::Writer, 0)
        .unwrap();
    let mut j = worker.invite_join(&relay, &short.code()).unwrap();
    assert!(matches!(
        person.invite_poll(&relay, &mut short),
        Err(Error::InviteExpired)
    ));
    assert!(matches!(
        worker.invite_join_poll(&relay, &mut j),
        Err(Error::InviteCodeExpired)
    ));
    let said = Error::InviteCodeExpired.to_string();
    assert!(said.contains("expired") && said.contains("ask"), "{said}");

    person.sync(&relay).unwrap();
    worker.sync(&relay).unwrap();
    assert!(person.shares().unwrap().is_empty());
    assert!(worker.shares().unwrap().is_empty());
    assert_no_shared_space_on(&relay, &[&person, &worker]);
}

#[test]
fn a_man_in_the_middle_gets_different_strings_and_adds_no_one() {
    man_in_the_middle_adds_no_one(&MemoryRelay::new());
}

#[test]
fn a_declined_invite_or_a_wrong_code_adds_no_one() {
    let relay = MemoryRelay::new();
    let dirs: Vec<_> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut person = device(dirs[0].path(), "person phone");
    let mut worker = device(dirs[1].path(), "worker laptop");
    assert!(matches!(
        worker.invite_join(&relay, "00000-00000"),
        Err(Error::InviteUnknown)
    ));
    assert!(matches!(
        worker.invite_join(&relay, "not a code"),
        Err(Error::OutOfRange { .. })
    ));
    let mut inv = person.invite_create(&relay, None, Role::Writer).unwrap();
    let (mut j, a, b) = to_sas(&relay, &mut person, &relay, &mut worker, &mut inv);
    assert_eq!(a, b);
    // The worker's person says no.
    worker.invite_join_decline(&relay, &j).unwrap();
    person.invite_yes(&inv).unwrap();
    assert!(matches!(
        person.invite_confirm(&relay, &mut inv),
        Err(Error::InviteDeclined)
    ));
    // Finishing before confirming is refused.
    assert!(matches!(
        worker.invite_join_finish(&relay, &mut j),
        Err(Error::InviteNotConfirmed)
    ));
    worker.invite_join_yes(&j).unwrap();
    worker.invite_join_confirm(&relay, &mut j).unwrap();
    person.sync(&relay).unwrap();
    worker.sync(&relay).unwrap();
    // Nothing was made: no share listed on either side, none on the relay.
    assert!(person.shares().unwrap().is_empty());
    assert!(worker.shares().unwrap().is_empty());
    assert_no_shared_space_on(&relay, &[&person, &worker]);
    // Personal and caseload spaces are never offered.
    let personal = person.spaces()[0].id.clone();
    assert!(matches!(
        person.invite_create(&relay, Some(&personal), Role::Writer),
        Err(Error::OutOfRange { .. })
    ));
}

#[test]
fn a_reader_reads_but_cannot_write() {
    let relay = MemoryRelay::new();
    let dirs: Vec<_> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut person = device(dirs[0].path(), "person phone");
    let g = person.add_goal(&goal("Read-only for you")).unwrap();
    let mut worker = device(dirs[1].path(), "worker laptop");
    let mut inv = person.invite_create(&relay, None, Role::Reader).unwrap();
    let (mut j, _, _) = to_sas(&relay, &mut person, &relay, &mut worker, &mut inv);
    worker.invite_join_yes(&j).unwrap();
    worker.invite_join_confirm(&relay, &mut j).unwrap();
    person.invite_yes(&inv).unwrap();
    person.invite_confirm(&relay, &mut inv).unwrap().unwrap();
    let joined = worker.invite_join_finish(&relay, &mut j).unwrap().unwrap();
    assert_eq!(joined.role, "reader");
    assert_eq!(j.role(), Role::Reader, "the worker knew before saying yes");
    person.share_goal(&g, inv.space().unwrap()).unwrap();
    person.sync(&relay).unwrap();
    worker.sync(&relay).unwrap();
    assert_eq!(worker.goal(&g).unwrap().title, "Read-only for you");
    // A reader's edit is refused at once, in plain words, and nothing is
    // kept or queued: the space goes on syncing.
    let refused = worker.add_step(&g, "sneaky", None).unwrap_err();
    assert!(matches!(refused, Error::ReadOnlyShare), "{refused}");
    assert!(worker.goal(&g).unwrap().steps.is_empty());
    worker.sync(&relay).unwrap();
    assert!(worker.sync_status().unwrap().iter().all(|s| s.pending == 0));
    person.sync(&relay).unwrap();
    assert!(person.goal(&g).unwrap().steps.is_empty());
}

#[test]
fn a_worker_shares_a_signed_note_and_the_person_comments_and_reviews_it() {
    let relay = MemoryRelay::new();
    let dirs: Vec<_> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut person = device(dirs[0].path(), "person phone");
    let mut worker = device(dirs[1].path(), "worker laptop");
    let joined = share(&relay, &mut person, &mut worker);
    let jo = worker
        .add_contact(&kindred_core::model::NewContact { name: "Jo".into() })
        .unwrap();
    let walk = worker
        .add_note(&note(&jo, "We walked to the library together", false))
        .unwrap();
    worker.sign_note(&walk).unwrap();
    let flagged = worker
        .add_note(&note(&jo, "Talked about cutting down", true))
        .unwrap();
    let private = worker
        .add_note(&note(&jo, "Stays in my caseload", false))
        .unwrap();

    // Substance-use details are shared only by the person's choice.
    assert!(matches!(
        worker.share_note(&flagged, &joined.space, false),
        Err(Error::SubstanceUseNotShared { .. })
    ));
    worker.share_note(&walk, &joined.space, false).unwrap();
    worker.sync(&relay).unwrap();
    person.sync(&relay).unwrap();

    // The person reads it: who signed, when, and that the words are as signed.
    let n = person.note(&walk).unwrap();
    assert_eq!(n.narrative, "We walked to the library together");
    assert_eq!(n.signed_by_name.as_deref(), Some("worker laptop"));
    assert!(n.signed_at.is_some());
    assert_eq!(n.signature_ok, Some(true));
    assert_eq!(n.shared_in.as_deref(), Some(joined.space.as_str()));
    let seen: Vec<_> = person.notes(None, None, None).unwrap();
    assert_eq!(
        seen.len(),
        1,
        "only the shared note, nothing else of the caseload"
    );
    assert!(matches!(person.note(&private), Err(Error::NotFound { .. })));
    assert!(matches!(person.note(&flagged), Err(Error::NotFound { .. })));

    // Her own words, and her review, reach the worker, verified.
    person
        .comment_note(&walk, "It helped to get out of the house")
        .unwrap();
    person.review_note(&walk).unwrap();
    person.sync(&relay).unwrap();
    worker.sync(&relay).unwrap();
    let w = worker.note(&walk).unwrap();
    assert_eq!(w.comments.len(), 1);
    assert_eq!(w.comments[0].text, "It helped to get out of the house");
    assert_eq!(w.comments[0].by, "person phone");
    assert!(w.comments[0].verified);
    assert_eq!(w.reviewed_by.as_deref(), Some("person phone"));
    assert!(w.reviewed_at.is_some());
    // Later words from the worker are an addendum beside hers.
    worker
        .add_addendum(&walk, "Next time: the swimming pool")
        .unwrap();
    worker.sync(&relay).unwrap();
    person.sync(&relay).unwrap();
    let p = person.note(&walk).unwrap();
    assert_eq!(p.addenda.len(), 1);
    assert_eq!(p, worker.note(&walk).unwrap());

    // Comments belong to shared notes only.
    assert!(matches!(
        worker.comment_note(&private, "x"),
        Err(Error::OutOfRange { .. })
    ));
    // She agreed to the flagged one being shared: it says who recorded that.
    worker.share_note(&flagged, &joined.space, true).unwrap();
    worker.sync(&relay).unwrap();
    person.sync(&relay).unwrap();
    let f = person.note(&flagged).unwrap();
    assert!(f.substance_use);
    assert!(
        f.substance_use_consent
            .as_deref()
            .is_some_and(|c| c.starts_with("recorded by worker laptop")),
        "{f:?}"
    );
}

#[test]
fn a_workers_signed_note_stays_in_the_caseload_when_the_person_ends_the_share() {
    let relay = MemoryRelay::new();
    let dirs: Vec<_> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut person = device(dirs[0].path(), "person phone");
    let mut worker = device(dirs[1].path(), "worker laptop");
    let joined = share(&relay, &mut person, &mut worker);
    let jo = worker
        .add_contact(&kindred_core::model::NewContact { name: "Jo".into() })
        .unwrap();
    let walk = worker
        .add_note(&note(&jo, "MARKER-SIGNED we walked to the library", false))
        .unwrap();
    worker.sign_note(&walk).unwrap();
    let draft = worker
        .add_note(&note(&jo, "First words of a draft", false))
        .unwrap();
    worker.share_note(&walk, &joined.space, false).unwrap();
    worker.share_note(&draft, &joined.space, false).unwrap();
    worker.share_note(&walk, &joined.space, false).unwrap();
    // The worker edits the shared draft: the edit reaches the person.
    worker
        .update_note(
            &draft,
            &kindred_core::model::NoteChanges {
                narrative: Some("Better words for the draft".into()),
                ..Default::default()
            },
        )
        .unwrap();
    worker.sync(&relay).unwrap();
    person.sync(&relay).unwrap();
    assert_eq!(
        person.note(&draft).unwrap().narrative,
        "Better words for the draft"
    );
    person.comment_note(&walk, "MARKER-HERS it helped").unwrap();
    person.sync(&relay).unwrap();
    worker.sync(&relay).unwrap();

    // Reads show each note once, with her words beside the worker's.
    assert_eq!(worker.notes(None, None, None).unwrap().len(), 2);
    let before = worker.note(&walk).unwrap();
    assert_eq!(before.shared_in.as_deref(), Some(joined.space.as_str()));
    assert_eq!(before.comments.len(), 1);
    assert_eq!(before.signature_ok, Some(true));
    assert_eq!(person.shares().unwrap()[0].notes, 2);

    // The person ends the share; the worker's device is told and wipes
    // the shared space.
    person.end_share(&relay, &joined.space, None).unwrap();
    let report = worker.sync(&relay).unwrap();
    assert!(report.spaces.iter().any(|s| s.removed), "{report:?}");
    assert!(worker.shares().unwrap().is_empty());

    // The worker's record is still there: signed, its signature checking
    // out, no longer shared; her comment went with the share.
    let after = worker.note(&walk).unwrap();
    assert_eq!(after.narrative, "MARKER-SIGNED we walked to the library");
    assert_eq!(after.status, kindred_core::model::NoteStatus::Signed);
    assert_eq!(after.signature_ok, Some(true));
    assert_eq!(after.signed_by_name.as_deref(), Some("worker laptop"));
    assert_eq!(after.shared_in, None);
    assert!(after.comments.is_empty());
    assert_eq!(
        worker.note(&draft).unwrap().narrative,
        "Better words for the draft"
    );
    assert_eq!(worker.notes(None, None, None).unwrap().len(), 2);
    // And in the worker's export.
    let export = worker.export_json(false).unwrap();
    let exported = export
        .contact_notes
        .iter()
        .find(|n| n.id == walk)
        .expect("the signed note is exported");
    assert_eq!(exported.signature_ok, Some(true));
    assert_eq!(export.contact_notes.len(), 2);
    // It still takes later words.
    worker.add_addendum(&walk, "Followed up by phone").unwrap();
    worker.sync(&relay).unwrap();
    assert_eq!(worker.note(&walk).unwrap().addenda.len(), 1);
}

#[test]
fn only_the_person_who_started_a_share_ends_it() {
    let relay = MemoryRelay::new();
    let dirs: Vec<_> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut person = device(dirs[0].path(), "person phone");
    let g = person.add_goal(&goal("My own goal")).unwrap();
    let mut worker = device(dirs[1].path(), "worker laptop");
    // Even a worker invited as an owner cannot end her share: the goal in
    // it is hers, and would otherwise land in the worker's records.
    let mut inv = person.invite_create(&relay, None, Role::Owner).unwrap();
    let (mut j, _, _) = to_sas(&relay, &mut person, &relay, &mut worker, &mut inv);
    worker.invite_join_yes(&j).unwrap();
    worker.invite_join_confirm(&relay, &mut j).unwrap();
    person.invite_yes(&inv).unwrap();
    let added = person.invite_confirm(&relay, &mut inv).unwrap().unwrap();
    worker.invite_join_finish(&relay, &mut j).unwrap().unwrap();
    person.share_goal(&g, &added.space).unwrap();
    person.sync(&relay).unwrap();
    worker.sync(&relay).unwrap();
    assert!(matches!(
        worker.end_share(&relay, &added.space, None),
        Err(Error::NotYourShare)
    ));
    person.sync(&relay).unwrap();
    worker.sync(&relay).unwrap();
    assert_eq!(person.goal(&g).unwrap().title, "My own goal");
    assert_eq!(worker.goal(&g).unwrap().title, "My own goal");
    assert!(!person.shares().unwrap()[0].ended);
    assert_eq!(person.shares().unwrap()[0].members.len(), 2);
    // She can.
    person.end_share(&relay, &added.space, None).unwrap();
    worker.sync(&relay).unwrap();
    assert!(worker.goal(&g).is_err());
    assert!(person.goal(&g).is_ok());
}

#[test]
fn check_ins_are_shared_only_in_the_range_the_person_chose() {
    let relay = MemoryRelay::new();
    let dirs: Vec<_> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut person = device(dirs[0].path(), "person phone");
    let mut worker = device(dirs[1].path(), "worker laptop");
    let joined = share(&relay, &mut person, &mut worker);
    let day = |d: u8| {
        time::OffsetDateTime::new_utc(
            time::Date::from_calendar_date(2026, time::Month::March, d).unwrap(),
            time::Time::from_hms(20, 0, 0).unwrap(),
        )
    };
    for d in [1u8, 5, 9, 20] {
        let mut c = check_in(3, &format!("day {d}"));
        c.occurred_at = day(d);
        person.add_check_in(&c).unwrap();
    }
    let since = day(4).date();
    let until = day(10).date();
    assert!(matches!(
        person.share_check_ins(&joined.space, until, since),
        Err(Error::RangeReversed)
    ));
    assert_eq!(
        person.share_check_ins(&joined.space, since, until).unwrap(),
        2
    );
    assert_eq!(
        person.share_check_ins(&joined.space, since, until).unwrap(),
        0,
        "sharing again copies nothing twice"
    );
    person.sync(&relay).unwrap();
    worker.sync(&relay).unwrap();
    let notes: Vec<_> = worker
        .check_ins(None, None)
        .unwrap()
        .into_iter()
        .filter_map(|c| c.note)
        .collect();
    assert_eq!(notes, vec!["day 5", "day 9"]);
    // The person still sees each of hers once.
    assert_eq!(person.check_ins(None, None).unwrap().len(), 4);
    let share = &person.shares().unwrap()[0];
    assert_eq!(share.check_ins, 2);
    // The list says which days, as she chose them.
    let ranges: Vec<_> = share
        .check_in_ranges
        .iter()
        .map(|r| (r.since, r.until, r.check_ins))
        .collect();
    assert_eq!(ranges, vec![(since, until, 2)]);

    // She stops sharing days 8 to 12: the copy of day 9 goes, day 5 stays
    // shared, her own four stay hers; what is left of the range is 4-7.
    assert!(matches!(
        person.unshare_check_ins(&joined.space, day(12).date(), day(8).date()),
        Err(Error::RangeReversed)
    ));
    assert_eq!(
        person
            .unshare_check_ins(&joined.space, day(8).date(), day(12).date())
            .unwrap(),
        1
    );
    person.sync(&relay).unwrap();
    worker.sync(&relay).unwrap();
    let notes: Vec<_> = worker
        .check_ins(None, None)
        .unwrap()
        .into_iter()
        .filter_map(|c| c.note)
        .collect();
    assert_eq!(notes, vec!["day 5"]);
    assert_eq!(person.check_ins(None, None).unwrap().len(), 4);
    let share = &person.shares().unwrap()[0];
    let ranges: Vec<_> = share
        .check_in_ranges
        .iter()
        .map(|r| (r.since, r.until, r.check_ins))
        .collect();
    assert_eq!(ranges, vec![(since, day(7).date(), 1)]);
    // The worker's list shows the same ranges.
    let on_worker = &worker.shares().unwrap()[0];
    assert_eq!(on_worker.check_in_ranges, share.check_in_ranges);
    // Taking back a range with nothing in it changes nothing.
    assert_eq!(
        person
            .unshare_check_ins(&joined.space, day(25).date(), day(28).date())
            .unwrap(),
        0
    );
}
