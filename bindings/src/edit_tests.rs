//! Check-in edits and deletes, goal deletes, the resolver, and the rules
//! of sharing that need no relay, through the FFI. (Invites, shares and
//! `unshare_check_ins` against a real relay: the Kotlin suite.)
#![allow(clippy::unwrap_used)]

use crate::tests::fresh;
use crate::*;

type Check = fn(&KindredError) -> bool;

fn check_in(k: &Kindred, at: &str, mood: i64, note: Option<&str>) -> String {
    k.add_check_in(NewCheckIn {
        occurred_at: Some(at.into()),
        mood,
        energy: Some(2),
        tags: vec!["walk".into()],
        note: note.map(Into::into),
    })
    .unwrap()
}

fn goal(k: &Kindred, title: &str) -> String {
    k.add_goal(NewGoal {
        title: title.into(),
        why: None,
        area: None,
        target_date: None,
    })
    .unwrap()
}

#[test]
fn a_check_in_changes_by_the_rules_and_a_refused_change_keeps_it_as_it_was() {
    let (_d, k) = fresh();
    let id = check_in(&k, "2026-03-02T21:30:00+01:00", 2, Some("tired"));
    k.update_check_in(
        id.clone(),
        CheckInChanges {
            mood: Some(4),
            clear_energy: true,
            tags: Some(vec!["friends".into()]),
            clear_note: true,
            ..Default::default()
        },
    )
    .unwrap();
    let c = k.check_ins(None, None).unwrap().pop().unwrap();
    assert_eq!((c.mood, c.energy, c.note.as_deref()), (4, None, None));
    assert_eq!(c.tags, vec!["friends".to_owned()]);
    assert_eq!(c.occurred_at, "2026-03-02T21:30:00+01:00");

    // Out of range, a time far ahead, or not a time: refused, nothing changed.
    let refused = [
        CheckInChanges {
            mood: Some(9),
            note: Some("not kept".into()),
            ..Default::default()
        },
        CheckInChanges {
            occurred_at: Some("2099-01-01T10:00:00Z".into()),
            ..Default::default()
        },
        CheckInChanges {
            occurred_at: Some("last tuesday".into()),
            ..Default::default()
        },
    ];
    for change in refused {
        assert!(matches!(
            k.update_check_in(id.clone(), change),
            Err(KindredError::InvalidInput { .. })
        ));
    }
    assert_eq!(k.check_ins(None, None).unwrap(), vec![c]);
    assert!(matches!(
        k.update_check_in("0".repeat(32), CheckInChanges::default()),
        Err(KindredError::NotFound { .. })
    ));
}

#[test]
fn deleting_a_check_in_or_a_goal_takes_it_from_every_list() {
    let (_d, k) = fresh();
    let gone = check_in(&k, "2026-03-02T21:30:00+01:00", 2, None);
    let kept = check_in(&k, "2026-03-03T08:00:00+01:00", 3, None);
    k.delete_check_in(gone.clone()).unwrap();
    let left: Vec<String> = k
        .check_ins(None, None)
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(left, vec![kept]);
    assert!(matches!(
        k.delete_check_in(gone),
        Err(KindredError::NotFound { .. })
    ));
    assert_eq!(
        k.weekly_summary(1, "2026-03-08".into()).unwrap()[0].count,
        1
    );

    let g = goal(&k, "Walk to the park");
    k.add_step(g.clone(), "Find my shoes".into(), None).unwrap();
    let other = goal(&k, "Cook at home");
    let was = k.delete_goal(g.clone()).unwrap();
    assert_eq!(was.title, "Walk to the park");
    assert_eq!(was.steps.len(), 1, "it comes back as it was");
    let titles: Vec<String> = k.goals(None).unwrap().into_iter().map(|g| g.id).collect();
    assert_eq!(titles, vec![other]);
    assert!(matches!(
        k.goal(g.clone()),
        Err(KindredError::NotFound { .. })
    ));
    assert!(matches!(
        k.delete_goal(g),
        Err(KindredError::NotFound { .. })
    ));
    assert!(matches!(
        k.delete_goal("not an id".into()),
        Err(KindredError::InvalidInput { .. })
    ));
}

#[test]
fn the_resolver_finds_records_by_the_start_of_their_id_or_a_name() {
    let (_d, k) = fresh();
    let walk = goal(&k, "Walk");
    let cook = goal(&k, "Cook");
    let jo = k.add_contact("Jo Smith".into()).unwrap();
    k.add_contact("Sam".into()).unwrap();
    assert_eq!(k.resolve(Lookup::Goal, walk[..8].into()).unwrap(), walk);
    assert_eq!(k.resolve(Lookup::Goal, cook.clone()).unwrap(), cook);
    assert_eq!(
        k.resolve(Lookup::Contact, "jo smith".into()).unwrap(),
        jo,
        "a contact by name, whatever the case"
    );
    // Too short, no such name, an id that fits nothing.
    assert!(matches!(
        k.resolve(Lookup::Goal, walk[..2].into()),
        Err(KindredError::InvalidInput { .. })
    ));
    let none = k.resolve(Lookup::Contact, "Alex".into()).unwrap_err();
    assert!(matches!(none, KindredError::NotFound { .. }));
    assert!(
        !none.to_string().contains("Alex"),
        "a name stays out of it: {none}"
    );
    assert!(matches!(
        k.resolve(Lookup::Goal, "ffffffff".into()),
        Err(KindredError::NotFound { .. })
    ));
    assert!(matches!(
        k.resolve(Lookup::Share, "Sam".into()),
        Err(KindredError::NotFound { .. })
    ));

    // Two contacts of one name: several matches, each listed by its label.
    let other_jo = k.add_contact("Jo Smith".into()).unwrap();
    assert!(matches!(
        k.resolve(Lookup::Contact, "Jo Smith".into()),
        Err(KindredError::InvalidInput { .. })
    ));
    let mut found: Vec<String> = k
        .matches(Lookup::Contact, "Jo Smith".into())
        .unwrap()
        .into_iter()
        .map(|m| {
            assert_eq!(m.label, "Jo Smith");
            m.id
        })
        .collect();
    found.sort();
    let mut both = vec![jo, other_jo];
    both.sort();
    assert_eq!(found, both);

    let step = k
        .add_step(walk.clone(), "Find my shoes".into(), None)
        .unwrap();
    assert_eq!(
        k.resolve_step(walk.clone(), "Find my shoes".into())
            .unwrap(),
        step
    );
    assert!(matches!(
        k.resolve_step(walk, "Tie the laces".into()),
        Err(KindredError::NotFound { .. })
    ));
}

#[test]
fn roles_in_words_say_what_someone_can_do() {
    let reader = role_in_words("reader".into()).unwrap();
    assert!(reader.contains("not change"), "{reader}");
    let writer = role_in_words("Writer".into()).unwrap();
    assert!(writer.contains("change the shared goals"), "{writer}");
    assert!(role_in_words("owner".into()).unwrap().contains("invite"));
    assert!(matches!(
        role_in_words("admin".into()),
        Err(KindredError::InvalidInput { .. })
    ));
}

#[test]
fn sharing_refuses_what_is_not_a_share_and_changes_nothing() {
    let (_d, k) = fresh();
    check_in(&k, "2026-03-02T21:30:00+01:00", 2, None);
    let personal = k
        .sync_status()
        .unwrap()
        .into_iter()
        .find(|s| s.kind == "personal")
        .unwrap()
        .space;
    // Her own journal is never a share; an unknown space is not found.
    let cases: [(String, Check); 2] = [
        (personal, |e| matches!(e, KindredError::InvalidInput { .. })),
        ("0".repeat(32), |e| {
            matches!(e, KindredError::NotFound { .. })
        }),
    ];
    for (space, check) in cases {
        let e = k
            .share_check_ins(space.clone(), "2026-03-01".into(), "2026-03-07".into())
            .unwrap_err();
        assert!(check(&e), "{e:?}");
        let e = k
            .unshare_check_ins(space, "2026-03-01".into(), "2026-03-07".into())
            .unwrap_err();
        assert!(check(&e), "{e:?}");
    }
    assert!(matches!(
        k.unshare_check_ins("0".repeat(32), "2026-03-07".into(), "2026-03-01".into()),
        Err(KindredError::InvalidInput { .. })
    ));
    assert!(matches!(
        k.unshare_check_ins("0".repeat(32), "March".into(), "2026-03-01".into()),
        Err(KindredError::InvalidInput { .. })
    ));
    assert!(k.shares().unwrap().is_empty());
    assert_eq!(k.check_ins(None, None).unwrap().len(), 1);
}
