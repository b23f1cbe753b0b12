//! The plan, crisis lines, resources and the worker's lists through the
//! FFI: conversions both ways and typed refusals that change nothing.
//! (Sharing and suggestions between devices: tests/tests/plan_share.rs
//! and the Kotlin suite.)
#![allow(clippy::unwrap_used)]

use crate::tests::fresh;
use crate::*;

#[test]
fn plan_entries_round_trip_and_bad_input_changes_nothing() {
    let (_d, k) = fresh();
    let sections = plan_sections();
    assert_eq!(sections.len(), 18);
    assert_eq!(sections.iter().filter(|s| s.part == "safety").count(), 7);
    assert!(
        sections
            .iter()
            .find(|s| s.section == "triggers")
            .unwrap()
            .has_helps
    );

    let id = k
        .add_plan_item(
            "triggers".into(),
            "payday".into(),
            Some("hand my card to Jo".into()),
        )
        .unwrap();
    k.update_plan_item(id.clone(), "payday weekends".into(), Some("call Jo".into()))
        .unwrap();
    let plan = k.plan().unwrap();
    assert_eq!(plan.items.len(), 1);
    assert_eq!(plan.items[0].section, "triggers");
    assert_eq!(plan.items[0].text, "payday weekends");
    assert_eq!(plan.items[0].helps.as_deref(), Some("call Jo"));
    assert!(k.plan_text().unwrap().contains("payday weekends"));

    let before = k.plan().unwrap();
    for bad in [
        k.add_plan_item("diary".into(), "x".into(), None),
        k.add_plan_item("daily".into(), " ".into(), None),
        k.add_plan_item("reasons".into(), "my dog".into(), Some("not here".into())),
    ] {
        assert!(
            matches!(bad, Err(KindredError::InvalidInput { .. })),
            "{bad:?}"
        );
    }
    assert!(matches!(
        k.update_plan_item("not an id!".into(), "x".into(), None),
        Err(KindredError::InvalidInput { .. })
    ));
    assert!(matches!(
        k.delete_plan_item("0123456789abcdef0123456789abcdef".into()),
        Err(KindredError::NotFound { .. })
    ));
    assert!(matches!(
        k.share_plan(
            "0123456789abcdef0123456789abcdef".into(),
            vec!["daily".into()]
        ),
        Err(KindredError::NotFound { .. })
    ));
    assert_eq!(k.plan().unwrap(), before);
    k.delete_plan_item(id).unwrap();
    assert!(k.plan().unwrap().items.is_empty());
}

#[test]
fn crisis_lines_and_resources_through_the_ffi() {
    let (_d, k) = fresh();
    let us = k.crisis_lines("US".into()).unwrap();
    assert_eq!(
        (
            us[0].number.as_str(),
            us[0].from_defaults,
            us[0].id.is_none()
        ),
        ("988", true, true)
    );
    assert!(matches!(
        k.crisis_lines("USA".into()),
        Err(KindredError::InvalidInput { .. })
    ));
    let line = NewCrisisLine {
        name: "Sponsor".into(),
        number: "+1 555 0100".into(),
        can_call: true,
        can_text: true,
        when_to_use: Some("nights".into()),
    };
    let id = k.add_crisis_line("US".into(), line.clone()).unwrap();
    let lines = k.crisis_lines("US".into()).unwrap();
    assert_eq!(lines.len(), 2, "988 kept beside the sponsor");
    let mut bad = line.clone();
    bad.number = "ring me".into();
    assert!(matches!(
        k.update_crisis_line(id.clone(), bad),
        Err(KindredError::InvalidInput { .. })
    ));
    assert_eq!(k.crisis_lines("US".into()).unwrap(), lines);
    k.remove_crisis_line(id).unwrap();
    assert_eq!(k.crisis_lines("US".into()).unwrap().len(), 1);

    let r = NewResource {
        kind: "food".into(),
        name: "Eastside food bank".into(),
        reach: None,
        hours: Some("Tue 10-2".into()),
        address: None,
        notes: None,
    };
    let mut odd = r.clone();
    odd.kind = "spaceship".into();
    assert!(matches!(
        k.add_resource(None, odd),
        Err(KindredError::InvalidInput { .. })
    ));
    let id = k.add_resource(None, r).unwrap();
    let all = k.resources().unwrap();
    assert_eq!(
        (all.len(), all[0].kind.as_str(), all[0].mine, all[0].kept),
        (1, "food", true, false)
    );
    k.delete_resource(id).unwrap();
    assert!(k.resources().unwrap().is_empty());
}

#[test]
fn the_workers_lists_through_the_ffi() {
    let (_d, k) = fresh();
    let sam = k.add_contact("Sam".into()).unwrap();
    let planned = k
        .plan_contact(
            sam.clone(),
            "2026-12-04T15:00:00+00:00".into(),
            "call".into(),
            None,
        )
        .unwrap();
    let lists = k.follow_ups("2026-12-03".into()).unwrap();
    assert!(lists.today.is_empty());
    assert_eq!(lists.this_week.len(), 1);
    assert_eq!(
        lists.this_week[0].planned.as_deref(),
        Some(planned.as_str())
    );
    assert_eq!(lists.this_week[0].way.as_deref(), Some("call"));
    for bad in [
        k.plan_contact(sam.clone(), "tomorrow".into(), "call".into(), None),
        k.plan_contact(
            sam.clone(),
            "2026-12-04T15:00:00+00:00".into(),
            "pigeon".into(),
            None,
        ),
    ] {
        assert!(
            matches!(bad, Err(KindredError::InvalidInput { .. })),
            "{bad:?}"
        );
    }
    assert!(matches!(
        k.follow_ups("3 Dec".into()),
        Err(KindredError::InvalidInput { .. })
    ));
    assert_eq!(
        k.follow_ups("2026-12-03".into()).unwrap().this_week.len(),
        1
    );
    k.finish_planned_contact(planned, true).unwrap();
    assert!(
        k.follow_ups("2026-12-03".into())
            .unwrap()
            .this_week
            .is_empty()
    );
    assert_eq!(k.search_caseload("sa".into()).unwrap()[0].name, "Sam");
    assert_eq!(
        k.time_with_people("2026-12-03".into()).unwrap().weeks.len(),
        8
    );
    assert_eq!(
        check_time_window("mon-fri 10:00-14:00".into()).unwrap(),
        "mon,tue,wed,thu,fri 10:00-14:00"
    );
    assert!(matches!(
        check_time_window("14:00-10:00".into()),
        Err(KindredError::InvalidInput { .. })
    ));
    // A caseload is no share: no preferences there.
    let caseload_space = "0123456789abcdef0123456789abcdef";
    assert!(k.contact_prefs(caseload_space.into()).is_err());
    assert!(
        k.set_contact_prefs(caseload_space.into(), ContactPrefsRecord::default())
            .is_err()
    );
}

#[test]
fn reminders_through_the_ffi() {
    let (_d, k) = fresh();
    let set = k
        .set_check_in_reminders(vec![NewCheckInReminderRecord {
            at: "20:30".into(),
            days: vec!["mon".into(), "friday".into()],
        }])
        .unwrap();
    assert_eq!(set[0].at, "20:30");
    assert_eq!(set[0].days, vec!["mon".to_owned(), "fri".to_owned()]);
    assert_eq!(k.check_in_reminders().unwrap(), set);
    for bad in [
        vec![NewCheckInReminderRecord {
            at: "25:00".into(),
            days: vec![],
        }],
        vec![NewCheckInReminderRecord {
            at: "08:00".into(),
            days: vec!["funday".into()],
        }],
    ] {
        assert!(matches!(
            k.set_check_in_reminders(bad),
            Err(KindredError::InvalidInput { .. })
        ));
    }
    assert_eq!(
        k.check_in_reminders().unwrap(),
        set,
        "a refused change keeps the old times"
    );
    // 2026-12-04 is a Friday: 20:30 in London is 20:30 UTC in winter.
    let next = k
        .next_reminders("2026-12-03T12:00:00Z".into(), "Europe/London".into(), 7)
        .unwrap();
    assert_eq!(next[0].at, "2026-12-04T20:30:00Z");
    assert_eq!(
        (next[0].kind.as_str(), next[0].title.as_str()),
        ("check_in", "Kindred")
    );
    assert_eq!(next.len(), 2, "Friday and Monday: {next:?}");
    assert!(
        k.next_reminders("2026-12-03T12:00:00Z".into(), "Mars/Olympus".into(), 7)
            .is_err()
    );
    assert!(
        k.next_reminders("noon".into(), "Europe/London".into(), 7)
            .is_err()
    );
    assert!(
        k.next_reminders("2026-12-03T12:00:00Z".into(), "Europe/London".into(), 0)
            .is_err()
    );
}
