//! Records through the public API: every rule, every query, persistence.

use super::*;
use crate::{Error, Id, SpaceKind};
use time::macros::date;

fn goal(title: &str) -> NewGoal {
    NewGoal {
        title: title.into(),
        ..Default::default()
    }
}

pub(crate) fn note_for(contact: &Id, start: &str, end: &str) -> NewContactNote {
    NewContactNote {
        contact_id: contact.clone(),
        contact_type: ContactType::InPerson,
        setting: Setting::Community,
        start: parse_time(start).unwrap(),
        end: parse_time(end).unwrap(),
        goals_addressed: vec!["housing".into()],
        peer_activities: vec!["shared recovery story".into()],
        narrative: "Met at the library and talked about the week.".into(),
        own_words: Some("I want to try the group on Tuesday".into()),
        strengths: Some("Kept every appointment".into()),
        next_steps: None,
        next_contact: Some(date!(2026 - 03 - 08)),
        substance_use: false,
    }
}

#[test]
fn a_new_device_has_a_personal_and_a_caseload_space() {
    let (_dir, k) = fresh();
    let kinds: Vec<_> = k.spaces().iter().map(|s| s.kind.clone()).collect();
    assert!(kinds.contains(&SpaceKind::Personal));
    assert!(kinds.contains(&SpaceKind::Caseload));
    assert_eq!(k.device().name, "test phone");
    assert_eq!(k.device_public_key().unwrap().len(), 32);
}

#[test]
fn init_refuses_an_existing_store_and_open_needs_one() {
    let (dir, k) = fresh();
    drop(k);
    assert!(matches!(
        Kindred::init(dir.path(), &key(), "again"),
        Err(Error::AlreadyInitialised)
    ));
    let empty = tempfile::tempdir().unwrap();
    assert!(matches!(
        Kindred::open(empty.path(), &key()),
        Err(Error::NotInitialised)
    ));
    assert!(matches!(
        Kindred::init(empty.path(), &key(), "  "),
        Err(Error::Empty { .. })
    ));
}

#[test]
fn goals_with_steps_and_progress_survive_reopening() {
    let (dir, mut k) = fresh();
    let g = k
        .add_goal(&NewGoal {
            title: "Walk to the park".into(),
            why: Some("Fresh air helps".into()),
            area: Some(LifeArea::Physical),
            target_date: Some(date!(2026 - 06 - 01)),
        })
        .unwrap();
    let s1 = k.add_step(&g, "Find shoes", None).unwrap();
    let s2 = k
        .add_step(&g, "Walk to the corner", Some(date!(2026 - 04 - 01)))
        .unwrap();
    k.set_step_done(&g, &s1, true).unwrap();
    let p = k.add_progress(&g, "Made it halfway today").unwrap();
    drop(k);

    let mut k = reopen(dir.path());
    let got = k.goal(&g).unwrap();
    assert_eq!(got.title, "Walk to the park");
    assert_eq!(got.why.as_deref(), Some("Fresh air helps"));
    assert_eq!(got.area, Some(LifeArea::Physical));
    assert_eq!(got.status, GoalStatus::Active);
    assert_eq!(got.target_date, Some(date!(2026 - 06 - 01)));
    assert_eq!(
        got.steps.iter().map(|s| &s.id).collect::<Vec<_>>(),
        vec![&s1, &s2]
    );
    assert!(got.steps[0].done_at.is_some());
    assert!(got.steps[1].done_at.is_none());
    assert_eq!(got.steps[1].due, Some(date!(2026 - 04 - 01)));
    assert_eq!(got.progress[0].id, p);
    assert_eq!(got.created_by, k.device().id);

    k.set_step_done(&g, &s1, false).unwrap();
    assert!(k.goal(&g).unwrap().steps[0].done_at.is_none());
}

#[test]
fn goal_status_moves_freely_and_filters_lists() {
    let (_dir, mut k) = fresh();
    let a = k.add_goal(&goal("A")).unwrap();
    let b = k.add_goal(&goal("B")).unwrap();
    let c = k.add_goal(&goal("C")).unwrap();
    k.set_goal_status(&b, &GoalStatus::Paused).unwrap();
    k.set_goal_status(&c, &GoalStatus::LetGo).unwrap();
    let ids = |v: Vec<Goal>| v.into_iter().map(|g| g.id).collect::<Vec<_>>();
    assert_eq!(
        ids(k.goals(None).unwrap()),
        vec![a.clone(), b.clone(), c.clone()]
    );
    assert_eq!(
        ids(k.goals(Some(&GoalStatus::Active)).unwrap()),
        vec![a.clone()]
    );
    assert_eq!(
        ids(k.goals(Some(&GoalStatus::Paused)).unwrap()),
        vec![b.clone()]
    );
    assert_eq!(
        ids(k.goals(Some(&GoalStatus::LetGo)).unwrap()),
        vec![c.clone()]
    );
    assert!(k.goals(Some(&GoalStatus::Achieved)).unwrap().is_empty());
    // Let go is not final: a person can pick a goal up again.
    k.set_goal_status(&c, &GoalStatus::Active).unwrap();
    assert_eq!(k.goal(&c).unwrap().status, GoalStatus::Active);
    assert!(
        k.set_goal_status(&a, &GoalStatus::Unknown("failed".into()))
            .is_err()
    );
}

#[test]
fn goal_edits_change_only_what_they_name() {
    let (_dir, mut k) = fresh();
    let g = k
        .add_goal(&NewGoal {
            title: "Cook once a week".into(),
            why: Some("Save money".into()),
            ..Default::default()
        })
        .unwrap();
    k.update_goal(
        &g,
        &GoalChanges {
            title: Some("Cook twice a week".into()),
            area: Some(Some(LifeArea::Financial)),
            ..Default::default()
        },
    )
    .unwrap();
    let got = k.goal(&g).unwrap();
    assert_eq!(got.title, "Cook twice a week");
    assert_eq!(got.why.as_deref(), Some("Save money"));
    assert_eq!(got.area, Some(LifeArea::Financial));
    k.update_goal(
        &g,
        &GoalChanges {
            why: Some(None),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(k.goal(&g).unwrap().why, None);
}

#[test]
fn unknown_ids_are_reported_and_change_nothing() {
    let (dir, mut k) = fresh();
    let g = k.add_goal(&goal("A")).unwrap();
    let before = chunk_count(dir.path());
    let nobody = Id::parse("0000").unwrap();
    assert!(matches!(k.goal(&nobody), Err(Error::NotFound { .. })));
    assert!(matches!(
        k.set_goal_status(&nobody, &GoalStatus::Paused),
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        k.add_step(&nobody, "x", None),
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        k.set_step_done(&g, &nobody, true),
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        k.add_progress(&nobody, "x"),
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(k.check_in(&nobody), Err(Error::NotFound { .. })));
    assert!(matches!(k.contact(&nobody), Err(Error::NotFound { .. })));
    assert!(matches!(k.note(&nobody), Err(Error::NotFound { .. })));
    assert!(matches!(k.sign_note(&nobody), Err(Error::NotFound { .. })));
    assert!(matches!(
        k.add_note(&note_for(
            &nobody,
            "2026-03-01T10:00:00Z",
            "2026-03-01T11:00:00Z"
        )),
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        k.notes(Some(&nobody), None, None),
        Err(Error::NotFound { .. })
    ));
    assert_eq!(
        chunk_count(dir.path()),
        before,
        "a rejected edit wrote something"
    );
}

#[test]
fn invalid_input_is_rejected_before_anything_is_written() {
    let (dir, mut k) = fresh();
    let before = chunk_count(dir.path());
    assert!(matches!(k.add_goal(&goal("   ")), Err(Error::Empty { .. })));
    assert!(matches!(
        k.add_goal(&goal(&"x".repeat(limits::SHORT + 1))),
        Err(Error::TooLong { .. })
    ));
    for mood in [0, 6] {
        assert!(matches!(
            k.add_check_in(&check_in(mood, "2026-03-01T09:00:00+01:00")),
            Err(Error::OutOfRange { field: "mood", .. })
        ));
    }
    let c = k.add_contact(&NewContact { name: "Sam".into() }).unwrap();
    let after_contact = chunk_count(dir.path());
    assert_eq!(after_contact, before + 1);
    assert!(matches!(
        k.add_note(&note_for(
            &c,
            "2026-03-01T11:00:00Z",
            "2026-03-01T10:00:00Z"
        )),
        Err(Error::EndBeforeStart)
    ));
    assert!(matches!(
        k.check_ins(Some(date!(2026 - 03 - 02)), Some(date!(2026 - 03 - 01))),
        Err(Error::RangeReversed)
    ));
    assert_eq!(chunk_count(dir.path()), after_contact);
    assert!(k.goals(None).unwrap().is_empty());
    assert!(k.check_ins(None, None).unwrap().is_empty());
}

#[test]
fn check_ins_keep_their_offset_and_filter_by_their_own_date() {
    let (dir, mut k) = fresh();
    let late = k
        .add_check_in(&NewCheckIn {
            tags: vec!["sleep".into(), "friends".into()],
            note: Some("Good evening with friends".into()),
            energy: Some(4),
            ..check_in(4, "2026-03-01T23:30:00-05:00")
        })
        .unwrap();
    let next = k
        .add_check_in(&check_in(2, "2026-03-02T08:00:00+00:00"))
        .unwrap();
    // Back-dated a month: allowed.
    let old = k
        .add_check_in(&check_in(3, "2026-02-01T12:00:00+00:00"))
        .unwrap();
    drop(k);
    let mut k = reopen(dir.path());
    let got = k.check_in(&late).unwrap();
    assert_eq!(got.occurred_at.offset().whole_hours(), -5);
    assert_eq!(got.tags, vec!["sleep", "friends"]);
    assert_eq!(got.energy, Some(4));
    assert_eq!(got.note.as_deref(), Some("Good evening with friends"));

    let ids = |v: Vec<CheckIn>| v.into_iter().map(|c| c.id).collect::<Vec<_>>();
    assert_eq!(
        ids(k.check_ins(None, None).unwrap()),
        vec![old.clone(), late.clone(), next.clone()]
    );
    // 23:30 at -05:00 is the 1st for the person, though the 2nd in UTC.
    assert_eq!(
        ids(k
            .check_ins(Some(date!(2026 - 03 - 01)), Some(date!(2026 - 03 - 01)))
            .unwrap()),
        vec![late.clone()]
    );
    assert_eq!(
        ids(k.check_ins(Some(date!(2026 - 03 - 02)), None).unwrap()),
        vec![next]
    );
    assert_eq!(
        ids(k.check_ins(None, Some(date!(2026 - 02 - 28))).unwrap()),
        vec![old]
    );
}

#[test]
fn weekly_summary_through_the_api() {
    let (_dir, mut k) = fresh();
    k.add_check_in(&NewCheckIn {
        tags: vec!["walk".into()],
        ..check_in(2, "2026-11-17T09:00:00+00:00")
    })
    .unwrap();
    k.add_check_in(&NewCheckIn {
        tags: vec!["walk".into()],
        ..check_in(4, "2026-11-20T09:00:00+00:00")
    })
    .unwrap();
    k.add_check_in(&check_in(5, "2026-11-10T09:00:00+00:00"))
        .unwrap();
    let s = k.weekly_summary(3, date!(2026 - 11 - 22)).unwrap();
    assert_eq!(s.len(), 3);
    assert_eq!(s[0].count, 0);
    assert_eq!(s[1].count, 1);
    assert_eq!(s[1].mean_mood, Some(5.0));
    assert_eq!(s[2].count, 2);
    assert_eq!(s[2].mean_mood, Some(3.0));
    assert_eq!(s[2].tags.get("walk"), Some(&2));
    assert!(k.weekly_summary(0, date!(2026 - 11 - 22)).is_err());
}

#[test]
fn notes_sign_and_take_addenda_but_never_edits() {
    let (dir, mut k) = fresh();
    let sam = k.add_contact(&NewContact { name: "Sam".into() }).unwrap();
    let alex = k
        .add_contact(&NewContact {
            name: "alex".into(),
        })
        .unwrap();
    let n1 = k
        .add_note(&note_for(
            &sam,
            "2026-03-01T10:00:00+00:00",
            "2026-03-01T11:00:00+00:00",
        ))
        .unwrap();
    let n2 = k
        .add_note(&note_for(
            &alex,
            "2026-03-05T10:00:00+00:00",
            "2026-03-05T10:30:00+00:00",
        ))
        .unwrap();
    let n3 = k
        .add_note(&note_for(
            &sam,
            "2026-03-09T10:00:00+00:00",
            "2026-03-09T10:30:00+00:00",
        ))
        .unwrap();

    // Drafts can be edited, and addenda wait for a signature.
    k.update_note(
        &n1,
        &NoteChanges {
            narrative: Some("Met at the library; Sam chose the topic.".into()),
            next_steps: Some(Some("Call on Friday".into())),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(matches!(
        k.add_addendum(&n1, "later"),
        Err(Error::NoteNotSigned { .. })
    ));
    assert!(matches!(
        k.update_note(
            &n1,
            &NoteChanges {
                end: Some(parse_time("2026-03-01T09:00:00+00:00").unwrap()),
                ..Default::default()
            }
        ),
        Err(Error::EndBeforeStart)
    ));

    k.sign_note(&n1).unwrap();
    let before = chunk_count(dir.path());
    assert!(matches!(
        k.update_note(
            &n1,
            &NoteChanges {
                narrative: Some("rewritten".into()),
                ..Default::default()
            }
        ),
        Err(Error::NoteSigned { .. })
    ));
    assert!(matches!(k.sign_note(&n1), Err(Error::NoteSigned { .. })));
    assert_eq!(chunk_count(dir.path()), before);
    let a = k
        .add_addendum(&n1, "Sam called back to say the group went well.")
        .unwrap();
    drop(k);

    let mut k = reopen(dir.path());
    let got = k.note(&n1).unwrap();
    assert!(got.is_signed());
    assert_eq!(got.narrative, "Met at the library; Sam chose the topic.");
    assert_eq!(got.next_steps.as_deref(), Some("Call on Friday"));
    assert_eq!(got.signed_by.as_deref(), Some(k.device().id.as_str()));
    assert!(got.signed_at.is_some());
    assert_eq!(got.addenda.len(), 1);
    assert_eq!(got.addenda[0].id, a);
    assert_eq!(
        got.own_words.as_deref(),
        Some("I want to try the group on Tuesday")
    );

    let ids = |v: Vec<ContactNote>| v.into_iter().map(|n| n.id).collect::<Vec<_>>();
    assert_eq!(
        ids(k.notes(None, None, None).unwrap()),
        vec![n1.clone(), n2.clone(), n3.clone()]
    );
    assert_eq!(
        ids(k.notes(Some(&sam), None, None).unwrap()),
        vec![n1.clone(), n3.clone()]
    );
    assert_eq!(
        ids(k
            .notes(Some(&sam), Some(date!(2026 - 03 - 02)), None)
            .unwrap()),
        vec![n3]
    );
    assert_eq!(
        ids(k
            .notes(
                None,
                Some(date!(2026 - 03 - 01)),
                Some(date!(2026 - 03 - 05))
            )
            .unwrap()),
        vec![n1, n2]
    );
    let names: Vec<_> = k.contacts().unwrap().into_iter().map(|c| c.name).collect();
    assert_eq!(names, vec!["alex", "Sam"]);
}

#[test]
fn exports_leave_out_substance_use_notes_unless_asked() {
    let (_dir, mut k) = fresh();
    let sam = k.add_contact(&NewContact { name: "Sam".into() }).unwrap();
    k.add_note(&note_for(
        &sam,
        "2026-03-01T10:00:00Z",
        "2026-03-01T11:00:00Z",
    ))
    .unwrap();
    let flagged = k
        .add_note(&NewContactNote {
            substance_use: true,
            ..note_for(&sam, "2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z")
        })
        .unwrap();
    k.add_check_in(&check_in(3, "2026-03-01T09:00:00Z"))
        .unwrap();

    let json = k.export_json(false).unwrap();
    assert_eq!(json.contact_notes.len(), 1);
    assert_eq!(json.substance_use_notes_left_out, 1);
    assert_eq!(json.check_ins.len(), 1);
    let json = k.export_json(true).unwrap();
    assert_eq!(json.contact_notes.len(), 2);
    assert!(json.contact_notes.iter().any(|n| n.id == flagged));

    let csv = k.export_csv(false).unwrap();
    let notes = csv.iter().find(|f| f.name == "contact_notes.csv").unwrap();
    assert_eq!(notes.contents.lines().count(), 2, "header and one note");
    assert!(!notes.contents.contains(flagged.as_str()));
    let check_ins = csv.iter().find(|f| f.name == "check_ins.csv").unwrap();
    assert_eq!(check_ins.contents.lines().count(), 2);

    assert!(matches!(
        k.export_automerge(false),
        Err(Error::SensitiveInRawExport)
    ));
    let raw = k.export_automerge(true).unwrap();
    assert_eq!(raw.len(), 2);
    for (_, bytes) in raw {
        let doc = automerge::Automerge::load(&bytes).unwrap();
        assert!(
            automerge::ReadDoc::get(&doc, automerge::ROOT, "schema")
                .unwrap()
                .is_some()
        );
    }
}
