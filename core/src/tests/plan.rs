//! The plan, crisis lines, resources and the worker's lists on one device
//! (sharing and suggestions between devices: tests/tests/plan_share.rs).

use time::macros::{date, datetime};

use super::*;
use crate::space::SpaceKind;
use crate::space::fields::put_str;
use crate::space::records::{CRISIS_LINES, PLAN_ITEMS, RESOURCES};
use crate::{Error, Id};

fn entry(section: PlanSection, text: &str, helps: Option<&str>) -> NewPlanItem {
    NewPlanItem {
        section,
        text: text.into(),
        helps: helps.map(str::to_owned),
    }
}

/// Writes a field this version does not know into a record.
fn add_unknown_field(k: &mut Kindred, collection: &'static str, id: &Id) {
    k.edit(&SpaceKind::Personal, |_, e| {
        let obj = e.update(collection, id)?;
        put_str(e.tx, &obj, "from_a_newer_version", "kept")?;
        Ok(())
    })
    .unwrap();
}

fn unknown_field(k: &mut Kindred, collection: &'static str, id: &Id) -> Option<String> {
    let sp = k.space_id(&SpaceKind::Personal).unwrap();
    match k.space_by_id(&sp).unwrap().record_value(collection, id)? {
        automerge::hydrate::Value::Map(m) => match m.get("from_a_newer_version")? {
            automerge::hydrate::Value::Scalar(automerge::ScalarValue::Str(s)) => {
                Some(s.to_string())
            }
            _ => None,
        },
        _ => None,
    }
}

#[test]
fn the_plan_is_written_in_sections_and_read_back_in_order() {
    let (dir, mut k) = fresh();
    let reasons = k
        .add_plan_item(&entry(PlanSection::Reasons, "my niece", None))
        .unwrap();
    let t = k
        .add_plan_item(&entry(
            PlanSection::Triggers,
            "payday",
            Some("give my card to Jo"),
        ))
        .unwrap();
    k.add_plan_item(&entry(PlanSection::Daily, "a walk before work", None))
        .unwrap();
    let plan = k.plan().unwrap();
    let sections: Vec<_> = plan.items.iter().map(|i| i.section.clone()).collect();
    assert_eq!(
        sections,
        vec![
            PlanSection::Daily,
            PlanSection::Triggers,
            PlanSection::Reasons
        ]
    );
    assert!(plan.suggestions.is_empty() && plan.shared.is_empty());

    k.update_plan_item(&t, "payday weekends", Some("text Jo first"))
        .unwrap();
    k.delete_plan_item(&reasons).unwrap();
    drop(k);
    let mut k = reopen(dir.path());
    let plan = k.plan().unwrap();
    assert_eq!(plan.items.len(), 2);
    let trig = plan.items.iter().find(|i| i.id == t).unwrap();
    assert_eq!(
        (trig.text.as_str(), trig.helps.as_deref()),
        ("payday weekends", Some("text Jo first"))
    );
    let text = k.plan_text().unwrap();
    assert!(text.starts_with("My wellness plan"), "{text}");
    assert!(text.contains("My safety plan"));
    assert!(text.contains("  - payday weekends\n    What helps: text Jo first"));
    assert!(text.contains("My reasons for living\n  (nothing written yet)"));
    // A person's export holds her plan, as she wrote it.
    let json = serde_json::to_value(k.export_json(false).unwrap()).unwrap();
    assert_eq!(json["plan"].as_array().unwrap().len(), 2);
    assert_eq!(json["plan"][1]["helps"], "text Jo first");
    assert_eq!(
        json["crisis_lines"].as_array().unwrap().len(),
        0,
        "defaults are not hers to export"
    );
}

#[test]
fn a_refused_plan_edit_changes_nothing() {
    let (_dir, mut k) = fresh();
    let id = k
        .add_plan_item(&entry(PlanSection::Daily, "tea in the garden", None))
        .unwrap();
    let before = k.plan().unwrap();
    let chunks = chunk_count(_dir.path());
    assert!(matches!(
        k.add_plan_item(&entry(PlanSection::Daily, "   ", None)),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        k.update_plan_item(&id, &"x".repeat(limits::MEDIUM + 1), None),
        Err(Error::TooLong { .. })
    ));
    assert!(
        k.update_plan_item(&id, "tea", Some("helps? not here"))
            .is_err()
    );
    assert!(matches!(
        k.update_plan_item(&Id::random().unwrap(), "tea", None),
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        k.delete_plan_item(&Id::random().unwrap()),
        Err(Error::NotFound { .. })
    ));
    assert_eq!(k.plan().unwrap(), before);
    assert_eq!(chunk_count(_dir.path()), chunks, "nothing written");
}

#[test]
fn unknown_fields_and_sections_survive_edits() {
    let (_dir, mut k) = fresh();
    let id = k
        .add_plan_item(&entry(PlanSection::OnMyOwn, "music", None))
        .unwrap();
    add_unknown_field(&mut k, PLAN_ITEMS, &id);
    k.update_plan_item(&id, "loud music", None).unwrap();
    assert_eq!(
        unknown_field(&mut k, PLAN_ITEMS, &id).as_deref(),
        Some("kept")
    );
    // A section from a newer version is kept and shown last.
    k.edit(&SpaceKind::Personal, |_, e| {
        let obj = e.update(PLAN_ITEMS, &id)?;
        put_str(e.tx, &obj, "section", "later_section")?;
        Ok(())
    })
    .unwrap();
    k.add_plan_item(&entry(PlanSection::Reasons, "my dog", None))
        .unwrap();
    let plan = k.plan().unwrap();
    assert_eq!(
        plan.items.last().unwrap().section,
        PlanSection::from_stored("later_section")
    );
    k.update_plan_item(&id, "louder music", None).unwrap();
    let again = k.plan().unwrap();
    let it = again.items.iter().find(|i| i.id == id).unwrap();
    assert_eq!(it.section.as_str(), "later_section");

    let line = k
        .add_crisis_line(
            "US",
            &NewCrisisLine {
                name: "Sponsor".into(),
                number: "555 0100".into(),
                can_call: true,
                can_text: true,
                when_to_use: None,
            },
        )
        .unwrap();
    add_unknown_field(&mut k, CRISIS_LINES, &line);
    let mut changed = NewCrisisLine {
        name: "My sponsor".into(),
        number: "555 0100".into(),
        can_call: true,
        can_text: false,
        when_to_use: Some("nights".into()),
    };
    k.update_crisis_line(&line, &changed).unwrap();
    assert_eq!(
        unknown_field(&mut k, CRISIS_LINES, &line).as_deref(),
        Some("kept")
    );
    changed.number = "not a number".into();
    assert!(k.update_crisis_line(&line, &changed).is_err());

    let r = k.add_resource(None, &food_bank()).unwrap();
    add_unknown_field(&mut k, RESOURCES, &r);
    let copy = k.keep_resource(&r).unwrap();
    assert_eq!(copy, r, "already in the person's own space");
    assert_eq!(
        unknown_field(&mut k, RESOURCES, &r).as_deref(),
        Some("kept")
    );
}

fn food_bank() -> NewResource {
    NewResource {
        kind: ResourceKind::Food,
        name: "Eastside food bank".into(),
        reach: Some("01632 960001".into()),
        hours: Some("Tue and Thu 10-2".into()),
        address: Some("12 Mill Lane".into()),
        notes: None,
    }
}

#[test]
fn crisis_lines_start_from_the_region_and_become_the_persons_own() {
    let (dir, mut k) = fresh();
    let lines = k.crisis_lines("GB").unwrap();
    assert_eq!(lines.len(), 1);
    assert!(lines[0].from_defaults && lines[0].id.is_none());
    assert_eq!(lines[0].number, "116 123");
    let sponsor = k
        .add_crisis_line(
            "GB",
            &NewCrisisLine {
                name: "Sponsor".into(),
                number: "+44 7700 900123".into(),
                can_call: true,
                can_text: true,
                when_to_use: Some("when I want to use".into()),
            },
        )
        .unwrap();
    drop(k);
    let mut k = reopen(dir.path());
    let lines = k.crisis_lines("US").unwrap();
    assert_eq!(
        lines.iter().map(|l| l.number.as_str()).collect::<Vec<_>>(),
        ["116 123", "+44 7700 900123"]
    );
    assert!(
        lines.iter().all(|l| l.id.is_some()),
        "kept as her own: {lines:?}"
    );
    let samaritans = lines[0].id.clone().unwrap();
    k.remove_crisis_line(&samaritans).unwrap();
    assert_eq!(k.crisis_lines("GB").unwrap().len(), 1);
    k.remove_crisis_line(&sponsor).unwrap();
    // Never empty: the defaults show again.
    assert_eq!(k.crisis_lines("GB").unwrap()[0].number, "116 123");
    assert!(matches!(
        k.remove_crisis_line(&sponsor),
        Err(Error::NotFound { .. })
    ));
    let bad = NewCrisisLine {
        name: "".into(),
        number: "988".into(),
        can_call: true,
        can_text: false,
        when_to_use: None,
    };
    assert!(k.add_crisis_line("US", &bad).is_err());
    assert!(
        k.crisis_lines("US").unwrap()[0].from_defaults,
        "a refused add keeps nothing"
    );
}

#[test]
fn resources_are_checked_and_kept() {
    let (_dir, mut k) = fresh();
    let mut bad = food_bank();
    bad.name = " ".into();
    assert!(k.add_resource(None, &bad).is_err());
    bad = food_bank();
    bad.kind = ResourceKind::from_stored("spaceship");
    assert!(k.add_resource(None, &bad).is_err());
    assert!(matches!(
        k.add_resource(Some("0123456789abcdef0123456789abcdef"), &food_bank()),
        Err(Error::NotFound { .. })
    ));
    assert!(k.resources().unwrap().is_empty());
    let id = k.add_resource(None, &food_bank()).unwrap();
    let all = k.resources().unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].id, id);
    assert!(all[0].mine);
    k.delete_resource(&id).unwrap();
    assert!(k.resources().unwrap().is_empty());
}

#[test]
fn the_workers_lists_show_who_is_due_and_the_time_spent() {
    let (_dir, mut k) = fresh();
    let sam = k.add_contact(&NewContact { name: "Sam".into() }).unwrap();
    let ali = k.add_contact(&NewContact { name: "Ali".into() }).unwrap();
    let mut n = NewContactNote {
        contact_id: sam.clone(),
        contact_type: ContactType::InPerson,
        setting: Setting::Community,
        start: datetime!(2026-11-30 10:00 UTC),
        end: datetime!(2026-11-30 11:30 UTC),
        goals_addressed: vec![],
        peer_activities: vec![],
        narrative: "Walked to the housing office together".into(),
        own_words: None,
        strengths: None,
        next_steps: None,
        next_contact: Some(date!(2026 - 12 - 03)),
        substance_use: false,
    };
    k.add_note(&n).unwrap();
    n.contact_id = ali.clone();
    n.start = datetime!(2026-10-01 09:00 UTC);
    n.end = datetime!(2026-10-01 09:45 UTC);
    n.next_contact = None;
    n.narrative = "Coffee".into();
    k.add_note(&n).unwrap();
    n.contact_type = ContactType::Attempted;
    n.start = datetime!(2026-12-01 09:00 UTC);
    n.end = datetime!(2026-12-01 10:00 UTC);
    k.add_note(&n).unwrap();
    let call = k
        .plan_contact(&NewPlannedContact {
            contact_id: sam.clone(),
            at: datetime!(2026-12-07 15:00 UTC),
            way: ContactWay::Call,
            note: None,
        })
        .unwrap();

    let today = date!(2026 - 12 - 03);
    let lists = k.follow_ups(today).unwrap();
    assert_eq!(lists.today.len(), 1);
    assert_eq!(
        (lists.today[0].name.as_str(), lists.today[0].due),
        ("Sam", today)
    );
    assert_eq!(lists.this_week.len(), 1, "{:#?}", lists.this_week);
    assert_eq!(lists.this_week[0].planned.as_ref(), Some(&call));
    assert_eq!(
        lists.a_while.len(),
        1,
        "Ali: last seen in October (an attempt does not count)"
    );
    assert_eq!(lists.a_while[0].contact.name, "Ali");
    assert!(lists.today[0].notes.is_empty(), "no preferences linked");

    k.finish_planned_contact(&call, true).unwrap();
    assert!(k.planned_contacts().unwrap().is_empty());
    assert!(matches!(
        k.finish_planned_contact(&call, false),
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        k.plan_contact(&NewPlannedContact {
            contact_id: Id::random().unwrap(),
            at: datetime!(2026-12-07 15:00 UTC),
            way: ContactWay::Call,
            note: None,
        }),
        Err(Error::NotFound { .. })
    ));

    let time = k.time_with_people(today).unwrap();
    assert_eq!(time.weeks[0].start, date!(2026 - 11 - 30));
    assert_eq!((time.weeks[0].minutes, time.weeks[0].contacts), (90, 1));
    assert_eq!(time.months[0].start, date!(2026 - 12 - 01));
    assert_eq!(
        time.months[0].minutes, 0,
        "the attempt on Dec 1 is not time with someone"
    );
    assert_eq!((time.months[1].minutes, time.months[1].contacts), (90, 1));
    assert_eq!((time.months[2].minutes, time.months[2].contacts), (45, 1));
    assert_eq!(time.weeks.len(), 8);
    assert_eq!(time.months.len(), 6);

    let found = k.search_caseload("HOUSING").unwrap();
    assert_eq!(
        found
            .iter()
            .map(|o| o.contact.name.as_str())
            .collect::<Vec<_>>(),
        ["Sam"]
    );
    assert_eq!(k.search_caseload("ali").unwrap().len(), 1);
    assert_eq!(
        k.search_caseload("al").unwrap().len(),
        2,
        "Ali, and \"walked\" in a note about Sam"
    );
    assert!(k.search_caseload("  ").is_err());
    assert!(matches!(
        k.link_contact(&sam, Some("0123456789abcdef0123456789abcdef")),
        Err(Error::NotFound { .. })
    ));
}

#[test]
fn preferences_flag_a_follow_up_outside_the_persons_rules() {
    let prefs = ContactPrefs {
        ways: vec![ContactWay::Text],
        best_times: vec![TimeWindow::parse("mon-fri 10:00-14:00").unwrap()],
        no_voicemail: true,
        call_word: Some("blue".into()),
        note: None,
        utc_offset: -5 * 3600,
        zone: None,
        updated_at: None,
    };
    // 15:00 UTC is 10:00 for the person (UTC-5), a Monday: fine by text.
    let ok = crate::prefs_notes(
        &prefs,
        date!(2026 - 12 - 07),
        Some(datetime!(2026-12-07 15:00 UTC)),
        Some(&ContactWay::Text),
    );
    assert!(ok.is_empty(), "{ok:?}");
    // 13:00 UTC is 08:00 for the person; a call, with no voicemail.
    let early = crate::prefs_notes(
        &prefs,
        date!(2026 - 12 - 07),
        Some(datetime!(2026-12-07 13:00 UTC)),
        Some(&ContactWay::Call),
    );
    assert!(
        matches!(early[0], crate::PrefsNote::OutsideBestTimes { .. }),
        "{early:?}"
    );
    assert!(early.contains(&crate::PrefsNote::NotPreferredWay {
        preferred: vec![ContactWay::Text]
    }));
    assert!(early.contains(&crate::PrefsNote::NoVoicemail));
    // A date with no time: only the day is checked.
    let saturday = crate::prefs_notes(&prefs, date!(2026 - 12 - 05), None, None);
    assert!(matches!(
        saturday[..],
        [crate::PrefsNote::DayOutsideBestTimes { .. }]
    ));
    assert!(crate::prefs_notes(&prefs, date!(2026 - 12 - 04), None, None).is_empty());
}

#[test]
fn erasing_everything_takes_the_plan_crisis_lines_resources_and_reminder_times() {
    let (_dir, mut k) = fresh();
    k.add_plan_item(&entry(PlanSection::Reasons, "Plan-Marker-9931", None))
        .unwrap();
    k.add_crisis_line(
        "GB",
        &NewCrisisLine {
            name: "Crisis-Marker-9932".into(),
            number: "07700 900456".into(),
            can_call: true,
            can_text: false,
            when_to_use: None,
        },
    )
    .unwrap();
    k.add_resource(None, &food_bank()).unwrap();
    k.set_check_in_reminders(&[crate::reminders::NewCheckInReminder {
        at: crate::reminders::ReminderTime::parse("20:00").unwrap(),
        days: vec![],
    }])
    .unwrap();
    let sam = k.add_contact(&NewContact { name: "Sam".into() }).unwrap();
    k.plan_contact(&NewPlannedContact {
        contact_id: sam,
        at: datetime!(2026-12-07 15:00 UTC),
        way: ContactWay::Call,
        note: None,
    })
    .unwrap();
    let e = k.erase_everything().unwrap();
    for kind in [
        "plan entry",
        "crisis line",
        "resource",
        "reminder time",
        "planned contact",
    ] {
        assert!(
            e.records.get(kind).is_some_and(|n| *n >= 1),
            "{kind}: {:?}",
            e.records
        );
    }
    assert!(k.plan().unwrap().items.is_empty());
    assert!(
        k.crisis_lines("GB").unwrap()[0].from_defaults,
        "back to the region's line"
    );
    assert!(k.resources().unwrap().is_empty());
    assert!(k.check_in_reminders().unwrap().is_empty());
    assert!(k.planned_contacts().unwrap().is_empty());
    for marker in [
        "Plan-Marker-9931",
        "Crisis-Marker-9932",
        "Eastside food bank",
    ] {
        assert!(
            !k.holds_text_anywhere(marker).unwrap(),
            "{marker} left in a history"
        );
    }
}

#[test]
fn her_hours_follow_daylight_saving_when_her_zone_is_known() {
    // Set in winter (EST, -5); the call is the Monday after clocks moved
    // to EDT (-4): 14:30 UTC is 10:30 for her, inside 10:00-14:00.
    let mut prefs = ContactPrefs {
        best_times: vec![TimeWindow::parse("mon-fri 10:00-14:00").unwrap()],
        utc_offset: -5 * 3600,
        zone: Some("America/New_York".into()),
        ..ContactPrefs::default()
    }
    .validate()
    .unwrap();
    let at = datetime!(2026-03-09 14:30 UTC);
    assert!(crate::prefs_notes(&prefs, at.date(), Some(at), None).is_empty());
    // Without the zone, her winter offset would put it at 09:30: flagged.
    prefs.zone = None;
    assert!(matches!(
        crate::prefs_notes(&prefs, at.date(), Some(at), None)[..],
        [crate::PrefsNote::OutsideBestTimes { .. }]
    ));
}

#[test]
fn the_regions_lines_can_be_kept_to_change_or_remove_one() {
    let (_dir, mut k) = fresh();
    let kept = k.keep_default_crisis_lines("US").unwrap();
    assert_eq!(kept.len(), 1);
    let id = kept[0].id.clone().expect("now hers, with an id");
    assert!(kept[0].from_defaults);
    assert_eq!(
        k.keep_default_crisis_lines("US").unwrap(),
        kept,
        "a second time changes nothing"
    );
    k.update_crisis_line(
        &id,
        &NewCrisisLine {
            name: "988".into(),
            number: "988".into(),
            can_call: true,
            can_text: true,
            when_to_use: Some("nights".into()),
        },
    )
    .unwrap();
    assert_eq!(
        k.crisis_lines("US").unwrap()[0].when_to_use.as_deref(),
        Some("nights")
    );
}
