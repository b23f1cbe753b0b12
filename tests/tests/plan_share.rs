//! The person's plan between devices (issue 15): sections shared with a
//! worker, the worker's suggestions taken or left, contact preferences
//! that flag a worker's plan, and what only the person may write refused
//! by every device. Then the relay, a real process on SQLite (and on
//! PostgreSQL when one is given): none of the plan's words, crisis lines,
//! resources or preferences reach it, or its log, in plaintext.
#![allow(clippy::unwrap_used)]

use kindred_core::model::*;
use kindred_core::sync::{HttpTransport, Transport};
use kindred_core::{Error, Kindred, PrefsNote};
use kindred_tests::devices::{device, dirs, pair, share};
use kindred_tests::memory_relay::MemoryRelay;
use kindred_tests::server::{ServerProcess, postgres_relay, psql, test_database_url};
use time::macros::{date, datetime};

fn entry(section: PlanSection, text: &str) -> NewPlanItem {
    NewPlanItem {
        section,
        text: text.into(),
        helps: None,
    }
}

fn quarantined(report: &kindred_core::sync::SyncReport, space: &str) -> u64 {
    report
        .spaces
        .iter()
        .filter(|s| s.space == space)
        .map(|s| s.quarantined)
        .sum()
}

fn sync_all(t: &dyn Transport, ks: &mut [&mut Kindred]) {
    for _ in 0..2 {
        for k in ks.iter_mut() {
            k.sync(t).unwrap();
        }
    }
}

#[test]
fn a_workers_suggestions_wait_for_the_person_and_both_sides_converge() {
    let relay = MemoryRelay::new();
    let d = dirs(3);
    let mut person = device(d[0].path(), "person phone");
    let walk = person
        .add_plan_item(&entry(PlanSection::Daily, "A walk before work"))
        .unwrap();
    person
        .add_plan_item(&entry(PlanSection::Reasons, "My niece"))
        .unwrap();
    let private = person
        .add_plan_item(&entry(PlanSection::WhenWell, "I sing in the kitchen"))
        .unwrap();
    let mut tablet = pair(&relay, &mut person, d[2].path(), "person tablet");
    let mut worker = device(d[1].path(), "worker laptop");
    let joined = share(&relay, &mut person, &mut worker);
    let space = joined.space.clone();
    assert_eq!(
        person
            .share_plan(&space, &[PlanSection::Daily, PlanSection::Reasons])
            .unwrap(),
        2
    );
    sync_all(&relay, &mut [&mut person, &mut tablet, &mut worker]);

    // The worker sees the two sections, not the rest of the plan.
    let seen = worker.shared_plans().unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].sections,
        vec![PlanSection::Daily, PlanSection::Reasons]
    );
    assert_eq!(seen[0].items.len(), 2);
    assert!(seen[0].items.iter().all(|i| i.id != private));
    // A worker cannot share or write the plan, only suggest.
    assert!(matches!(
        worker.share_plan(&space, &[]),
        Err(Error::PersonOnly)
    ));
    assert!(matches!(
        worker.suggest_plan(
            &space,
            &NewSuggestion {
                section: PlanSection::WhenWell,
                item: None,
                text: "x".into(),
                helps: None,
                note: None,
            }
        ),
        Err(Error::PlanNotShared)
    ));
    let add = worker
        .suggest_plan(
            &space,
            &NewSuggestion {
                section: PlanSection::Daily,
                item: None,
                text: "Text Jo after lunch".into(),
                helps: None,
                note: Some("You said it helped last week".into()),
            },
        )
        .unwrap();
    let reword = worker
        .suggest_plan(
            &space,
            &NewSuggestion {
                section: PlanSection::Daily,
                item: Some(walk.clone()),
                text: "A walk before work, even a short one".into(),
                helps: None,
                note: None,
            },
        )
        .unwrap();
    sync_all(&relay, &mut [&mut worker, &mut person, &mut tablet]);

    // Nothing applied yet: both wait beside the plan, on both her devices.
    for k in [&mut person, &mut tablet] {
        let plan = k.plan().unwrap();
        assert_eq!(plan.items.len(), 3);
        assert_eq!(plan.suggestions.len(), 2);
        assert!(
            plan.suggestions
                .iter()
                .all(|s| s.by_name == "worker laptop")
        );
    }
    assert!(matches!(
        person.suggest_plan(
            &space,
            &NewSuggestion {
                section: PlanSection::Daily,
                item: None,
                text: "x".into(),
                helps: None,
                note: None
            }
        ),
        Err(Error::PersonOnly)
    ));
    // The worker cannot answer their own suggestion.
    assert!(matches!(
        worker.answer_suggestion(&add, &SuggestionAnswer::Accepted),
        Err(Error::PersonOnly)
    ));

    person
        .answer_suggestion(&add, &SuggestionAnswer::Accepted)
        .unwrap();
    tablet
        .answer_suggestion(&reword, &SuggestionAnswer::Declined)
        .unwrap();
    // Answering again the same way is fine; the other way is refused.
    person
        .answer_suggestion(&add, &SuggestionAnswer::Accepted)
        .unwrap();
    sync_all(&relay, &mut [&mut person, &mut tablet, &mut worker]);
    assert!(matches!(
        person.answer_suggestion(&reword, &SuggestionAnswer::Accepted),
        Err(Error::AlreadyAnswered)
    ));

    let mine = person.plan().unwrap();
    assert_eq!(mine, tablet.plan().unwrap(), "her devices converge");
    assert!(mine.suggestions.is_empty());
    let daily: Vec<&str> = mine
        .items
        .iter()
        .filter(|i| i.section == PlanSection::Daily)
        .map(|i| i.text.as_str())
        .collect();
    assert_eq!(
        daily,
        ["A walk before work", "Text Jo after lunch"],
        "declined words not applied"
    );
    let theirs = worker.shared_plans().unwrap().remove(0);
    let words = |items: &[&PlanItem]| -> Vec<(Id, PlanSection, String, Option<String>)> {
        items
            .iter()
            .map(|i| {
                (
                    i.id.clone(),
                    i.section.clone(),
                    i.text.clone(),
                    i.helps.clone(),
                )
            })
            .collect()
    };
    let shared_mine: Vec<&PlanItem> = mine
        .items
        .iter()
        .filter(|i| theirs.sections.contains(&i.section))
        .collect();
    assert_eq!(
        words(&theirs.items.iter().collect::<Vec<_>>()),
        words(&shared_mine),
        "the worker's copy holds her words"
    );
    let answers: Vec<(Id, Option<SuggestionAnswer>)> = theirs
        .suggestions
        .iter()
        .map(|s| (s.id.clone(), s.answer.clone()))
        .collect();
    assert!(answers.contains(&(add, Some(SuggestionAnswer::Accepted))));
    assert!(answers.contains(&(reword, Some(SuggestionAnswer::Declined))));

    // Unsharing a section takes its copy out of the share.
    person
        .unshare_plan(&space, &[PlanSection::Reasons])
        .unwrap();
    sync_all(&relay, &mut [&mut person, &mut worker]);
    let theirs = worker.shared_plans().unwrap().remove(0);
    assert_eq!(theirs.sections, vec![PlanSection::Daily]);
    assert!(theirs.items.iter().all(|i| i.section == PlanSection::Daily));
}

use kindred_core::Id;

#[test]
fn what_only_the_person_writes_is_refused_on_every_device_even_written_directly() {
    let relay = MemoryRelay::new();
    let d = dirs(3);
    let mut person = device(d[0].path(), "person phone");
    let item = person
        .add_plan_item(&entry(PlanSection::OnMyOwn, "Loud music, headphones on"))
        .unwrap();
    let mut tablet = pair(&relay, &mut person, d[2].path(), "person tablet");
    let mut worker = device(d[1].path(), "worker laptop");
    let joined = share(&relay, &mut person, &mut worker);
    let space = joined.space.clone();
    person.share_plan(&space, &[]).unwrap();
    person
        .set_contact_prefs(
            &space,
            &ContactPrefs {
                ways: vec![ContactWay::Text],
                ..ContactPrefs::default()
            },
        )
        .unwrap();
    sync_all(&relay, &mut [&mut person, &mut tablet, &mut worker]);
    let before = (
        person.plan().unwrap(),
        person.contact_prefs(&space).unwrap(),
    );
    // Through the API, the worker is told no.
    assert!(matches!(
        worker.set_contact_prefs(&space, &ContactPrefs::default()),
        Err(Error::PersonOnly)
    ));

    // A modified worker app writes the document directly: new words for
    // her entry, a new entry, her preferences, an answer of its own.
    for (collection, record, field, value) in [
        (
            "plan_items",
            Some(item.clone()),
            "text",
            "Changed by the worker",
        ),
        (
            "plan_items",
            Some(Id::random().unwrap()),
            "text",
            "Planted by the worker",
        ),
        ("contact_prefs", None, "call_word", "planted"),
        (
            "plan_answers",
            Some(Id::random().unwrap()),
            "answer",
            "accepted",
        ),
        (
            "plan_sections",
            Some(Id::parse("reasons").unwrap()),
            "section",
            "planted",
        ),
    ] {
        worker
            .attack_write_person_only(&space, collection, record.as_ref(), field, value)
            .unwrap();
        worker.sync(&relay).unwrap();
        for k in [&mut person, &mut tablet] {
            let report = k.sync(&relay).unwrap();
            assert_eq!(
                quarantined(&report, &space),
                1,
                "{collection} write refused on each of her devices"
            );
        }
    }
    for k in [&mut person, &mut tablet] {
        assert_eq!(
            (k.plan().unwrap(), k.contact_prefs(&space).unwrap()),
            before
        );
    }
    let status = person.sync_status().unwrap();
    assert!(
        status
            .iter()
            .any(|s| s.space == space && s.quarantined == 5),
        "{status:?}"
    );

    // Her devices carry on: her next entry reaches the tablet. (The
    // modified app's later changes build on the refused ones, so they
    // wait, set aside, like any change built on one that failed its
    // checks: the attack costs only the attacker.)
    person
        .add_plan_item(&entry(PlanSection::OnMyOwn, "A bath"))
        .unwrap();
    sync_all(&relay, &mut [&mut person, &mut tablet]);
    assert_eq!(tablet.plan().unwrap(), person.plan().unwrap());
    assert_eq!(tablet.plan().unwrap().items.len(), 2);
}

#[test]
fn a_call_planned_outside_the_persons_hours_is_flagged_to_the_worker() {
    let relay = MemoryRelay::new();
    let d = dirs(2);
    let mut person = device(d[0].path(), "person phone");
    let mut worker = device(d[1].path(), "worker laptop");
    let joined = share(&relay, &mut person, &mut worker);
    let space = joined.space.clone();
    person
        .set_contact_prefs(
            &space,
            &ContactPrefs {
                ways: vec![ContactWay::Text, ContactWay::InPerson],
                best_times: vec![TimeWindow::parse("mon-fri 10:00-14:00").unwrap()],
                no_voicemail: true,
                call_word: Some("Blue".into()),
                note: None,
                utc_offset: 0,
                zone: None,
                updated_at: None,
            },
        )
        .unwrap();
    sync_all(&relay, &mut [&mut person, &mut worker]);
    let sam = worker
        .add_contact(&NewContact { name: "Sam".into() })
        .unwrap();
    worker.link_contact(&sam, Some(&space)).unwrap();
    // Monday 08:00 by phone: too early, a way she did not list, no voicemail.
    worker
        .plan_contact(&NewPlannedContact {
            contact_id: sam.clone(),
            at: datetime!(2026-12-07 08:00 UTC),
            way: ContactWay::Call,
            note: None,
        })
        .unwrap();
    // Tuesday 11:00 in person: fine.
    worker
        .plan_contact(&NewPlannedContact {
            contact_id: sam.clone(),
            at: datetime!(2026-12-08 11:00 UTC),
            way: ContactWay::InPerson,
            note: None,
        })
        .unwrap();
    let lists = worker.follow_ups(date!(2026 - 12 - 03)).unwrap();
    assert_eq!(lists.this_week.len(), 2);
    let early = &lists.this_week[0];
    assert!(
        matches!(early.notes[0], PrefsNote::OutsideBestTimes { .. }),
        "{:?}",
        early.notes
    );
    assert!(early.notes.contains(&PrefsNote::NoVoicemail));
    assert!(
        early
            .notes
            .iter()
            .any(|n| matches!(n, PrefsNote::NotPreferredWay { .. }))
    );
    assert_eq!(
        early.prefs.as_ref().unwrap().call_word.as_deref(),
        Some("Blue")
    );
    assert!(
        lists.this_week[1].notes.is_empty(),
        "{:?}",
        lists.this_week[1].notes
    );
    // Her later change reaches the worker's lists at the next sync.
    person
        .set_contact_prefs(
            &space,
            &ContactPrefs {
                ways: vec![ContactWay::Call],
                best_times: vec![TimeWindow::parse("07:00-09:00").unwrap()],
                ..ContactPrefs::default()
            },
        )
        .unwrap();
    sync_all(&relay, &mut [&mut person, &mut worker]);
    let lists = worker.follow_ups(date!(2026 - 12 - 03)).unwrap();
    assert!(
        lists.this_week[0].notes.is_empty(),
        "{:?}",
        lists.this_week[0].notes
    );
}

const MARKERS: [&str; 8] = [
    "PlanWords-Wombat-41",
    "HelpsWords-Wombat-42",
    "CrisisName-Wombat-43",
    "5550143143",
    "Resource-Wombat-44",
    "Kept-Wombat-45",
    "CallWord-Wombat-46",
    "Suggest-Wombat-47",
];

/// Writes every new kind of record with a marker and syncs it all.
fn write_everything(t: &dyn Transport) -> (tempfile::TempDir, tempfile::TempDir) {
    let (dp, dw) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut person = device(dp.path(), "person phone");
    let mut worker = device(dw.path(), "worker laptop");
    let joined = share(t, &mut person, &mut worker);
    let space = joined.space.clone();
    person
        .add_plan_item(&NewPlanItem {
            section: PlanSection::Triggers,
            text: MARKERS[0].into(),
            helps: Some(MARKERS[1].into()),
        })
        .unwrap();
    person
        .add_crisis_line(
            "US",
            &NewCrisisLine {
                name: MARKERS[2].into(),
                number: MARKERS[3].into(),
                can_call: true,
                can_text: true,
                when_to_use: None,
            },
        )
        .unwrap();
    person
        .add_resource(
            None,
            &NewResource {
                kind: ResourceKind::Group,
                name: MARKERS[5].into(),
                reach: None,
                hours: None,
                address: None,
                notes: None,
            },
        )
        .unwrap();
    person.share_plan(&space, &[PlanSection::Triggers]).unwrap();
    person
        .set_contact_prefs(
            &space,
            &ContactPrefs {
                call_word: Some(MARKERS[6].into()),
                ..ContactPrefs::default()
            },
        )
        .unwrap();
    person.sync(t).unwrap();
    worker.sync(t).unwrap();
    let r = worker
        .add_resource(
            Some(&space),
            &NewResource {
                kind: ResourceKind::Food,
                name: MARKERS[4].into(),
                reach: None,
                hours: None,
                address: None,
                notes: None,
            },
        )
        .unwrap();
    worker
        .suggest_plan(
            &space,
            &NewSuggestion {
                section: PlanSection::Triggers,
                item: None,
                text: MARKERS[7].into(),
                helps: None,
                note: None,
            },
        )
        .unwrap();
    worker.sync(t).unwrap();
    person.sync(t).unwrap();
    // Everything arrived (so it did cross the relay, sealed).
    assert!(person.resources().unwrap().iter().any(|x| x.id == r));
    person.keep_resource(&r).unwrap();
    person.sync(t).unwrap();
    assert_eq!(person.plan().unwrap().suggestions[0].text, MARKERS[7]);
    assert_eq!(
        worker.contact_prefs(&space).unwrap().call_word.as_deref(),
        Some(MARKERS[6])
    );
    assert_eq!(worker.shared_plans().unwrap()[0].items[0].text, MARKERS[0]);
    (dp, dw)
}

#[test]
fn no_plan_crisis_line_resource_or_preference_reaches_a_sqlite_relay_in_plaintext() {
    let mut server = ServerProcess::start();
    let t = HttpTransport::new(&server.url).unwrap();
    let _dirs = write_everything(&t);
    server.kill9();
    server.assert_never_saw(&MARKERS);
}

#[test]
fn no_plan_crisis_line_resource_or_preference_reaches_a_postgres_relay_in_plaintext() {
    let Some(url) = test_database_url() else {
        eprintln!("skipped: no KINDRED_TEST_DATABASE_URL");
        return;
    };
    let (mut server, schema) = postgres_relay(&url, "plan_scan", &[]);
    let t = HttpTransport::new(&server.url).unwrap();
    let _dirs = write_everything(&t);
    server.kill9();
    let pages = kindred_tests::scan::postgres_pages(&url, &schema, None);
    assert!(
        pages.len() > 8192 * 4,
        "the relay's tables were read: {} bytes",
        pages.len()
    );
    for m in MARKERS {
        assert!(
            !pages.windows(m.len()).any(|w| w == m.as_bytes()),
            "a relay table holds a marker"
        );
    }
    let log = std::fs::read_to_string(&server.log).unwrap();
    assert!(
        MARKERS.iter().all(|m| !log.contains(m)),
        "the relay's log holds a marker"
    );
    psql(&url, &format!("DROP SCHEMA {schema} CASCADE"));
}
