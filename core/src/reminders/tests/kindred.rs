//! The Kindred-level API: rules kept in the personal space, what fires,
//! and what a locked screen could show.

use automerge::hydrate;
use time::Weekday::{self, *};

use super::*;
use crate::model::{GoalStatus, NewGoal};
use crate::reminders::{NOTIFICATION_TITLE, NewCheckInReminder, REMINDERS, Reminder, ReminderKind};
use crate::space::SpaceKind;
use crate::space::fields::{put_str, put_str_list};
use crate::tests::{chunk_count, fresh, reopen};
use crate::{Error, Kindred};

fn new(hour: u8, minute: u8, days: &[Weekday]) -> NewCheckInReminder {
    NewCheckInReminder {
        at: ReminderTime { hour, minute },
        days: days.to_vec(),
    }
}

fn times(k: &mut Kindred) -> Vec<(String, Vec<Weekday>)> {
    k.check_in_reminders()
        .unwrap()
        .into_iter()
        .map(|r| (r.at.to_string(), r.days))
        .collect()
}

/// Every record in the personal space's `reminders`, by id.
fn raw(k: &mut Kindred) -> Vec<(Id, hydrate::Map)> {
    let sp = k.personal_space().unwrap();
    k.space_by_id(&sp).unwrap().unindexed_records(REMINDERS)
}

fn raw_str(m: &hydrate::Map, key: &str) -> Option<String> {
    match m.get(key)? {
        hydrate::Value::Scalar(automerge::ScalarValue::Str(s)) => Some(s.to_string()),
        _ => None,
    }
}

const NOW: &str = "2026-12-01T12:00:00Z";

#[test]
fn reminders_are_kept_in_the_personal_space_and_read_back() {
    let (dir, mut k) = fresh();
    assert!(k.check_in_reminders().unwrap().is_empty());
    let weekdays = [Friday, Monday, Tuesday, Wednesday, Thursday, Monday];
    let kept = k
        .set_check_in_reminders(&[new(20, 30, &[]), new(8, 0, &weekdays)])
        .unwrap();
    let want = vec![
        (
            "08:00".to_owned(),
            vec![Monday, Tuesday, Wednesday, Thursday, Friday],
        ),
        ("20:30".to_owned(), vec![]),
    ];
    assert_eq!(times(&mut k), want);
    assert_eq!(kept, k.check_in_reminders().unwrap());
    // As stored: kind, "HH:MM", short day names.
    let records = raw(&mut k);
    let (_, morning) = records
        .iter()
        .find(|(_, m)| raw_str(m, "at").as_deref() == Some("08:00"))
        .unwrap();
    assert_eq!(raw_str(morning, "kind").as_deref(), Some("check_in"));
    assert!(raw_str(morning, "created_at").is_some());
    drop(k);
    let mut k = reopen(dir.path());
    assert_eq!(times(&mut k), want);
    // An empty list turns them off.
    assert!(k.set_check_in_reminders(&[]).unwrap().is_empty());
    assert!(raw(&mut k).is_empty());
}

#[test]
fn a_rule_kept_as_it_was_keeps_its_record_and_a_changed_one_reuses_one() {
    let (_dir, mut k) = fresh();
    let first = k
        .set_check_in_reminders(&[new(8, 0, &[]), new(20, 30, &[])])
        .unwrap();
    let again = k
        .set_check_in_reminders(&[new(20, 30, &[]), new(8, 0, &[])])
        .unwrap();
    assert_eq!(first, again, "same rules, same ids");
    // 20:30 becomes 21:00: the 08:00 rule is untouched, and the changed
    // one is written over the 20:30 record, not deleted and made anew.
    let changed = k
        .set_check_in_reminders(&[new(8, 0, &[]), new(21, 0, &[])])
        .unwrap();
    assert_eq!(changed[0], first[0]);
    assert_eq!(changed[1].id, first[1].id);
    assert_eq!(changed[1].at.to_string(), "21:00");
    // Down to one: the other record goes.
    let one = k.set_check_in_reminders(&[new(21, 0, &[])]).unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(raw(&mut k).len(), 1);
}

#[test]
fn rejected_input_changes_nothing() {
    let (dir, mut k) = fresh();
    let before = k
        .set_check_in_reminders(&[new(20, 30, &[]), new(8, 0, &[Saturday])])
        .unwrap();
    let chunks = chunk_count(dir.path());
    let seven: Vec<_> = (0..7).map(|h| new(9 + h, 0, &[])).collect();
    let six_duplicates = vec![new(9, 0, &[]); 6];
    for (bad, what) in [
        (vec![new(10, 0, &[]), new(25, 0, &[])], "25:00"),
        (vec![new(10, 0, &[]), new(12, 60, &[])], "12:60"),
        (seven, "seven"),
        (six_duplicates, "six the same"),
        (
            vec![new(10, 0, &[Monday, Tuesday]), new(10, 0, &[Tuesday])],
            "same time, same day",
        ),
    ] {
        let e = k.set_check_in_reminders(&bad).unwrap_err();
        assert!(e.is_invalid_input(), "{what}: {e}");
        assert_eq!(k.check_in_reminders().unwrap(), before, "{what}");
    }
    assert!(matches!(
        k.set_check_in_reminders(&vec![new(9, 0, &[]); 6]),
        Err(Error::OutOfRange { .. })
    ));
    assert!(ReminderTime::parse("25:00").is_err());
    let now = utc(NOW);
    let e = k.next_reminders(now, "Mars/Olympus", 7).unwrap_err();
    assert!(matches!(
        e,
        Error::OutOfRange {
            field: "time zone",
            ..
        }
    ));
    assert!(!e.to_string().contains("Mars"));
    let e = k.next_reminders(now, "Europe/London", 367).unwrap_err();
    assert!(e.is_invalid_input());
    assert_eq!(chunk_count(dir.path()), chunks, "nothing was written");
    assert_eq!(k.check_in_reminders().unwrap(), before);
}

#[test]
fn next_reminders_lists_check_ins_and_due_steps_in_order() {
    let (_dir, mut k) = fresh();
    let rules = k
        .set_check_in_reminders(&[new(20, 30, &[]), new(7, 45, &[Thursday])])
        .unwrap();
    let goal = k
        .add_goal(&NewGoal {
            title: "Walk to the allotment".into(),
            ..Default::default()
        })
        .unwrap();
    let step = k
        .add_step(&goal, "Ask Sam about seeds", Some(day("2026-12-03")))
        .unwrap();
    // No due date, or due after the horizon: nothing.
    k.add_step(&goal, "Find gloves", None).unwrap();
    k.add_step(&goal, "Dig the bed", Some(day("2026-12-20")))
        .unwrap();
    // Overdue: nothing either (it was reminded of on its day).
    k.add_step(&goal, "Old step", Some(day("2026-11-20")))
        .unwrap();

    let got = k.next_reminders(utc(NOW), "Europe/London", 3).unwrap();
    let morning = &rules[0].id;
    let evening = &rules[1].id;
    let want: Vec<(&str, ReminderKind, String)> = vec![
        (
            "2026-12-01T20:30:00Z",
            ReminderKind::CheckIn,
            format!("check-in/{evening}/2026-12-01"),
        ),
        (
            "2026-12-02T20:30:00Z",
            ReminderKind::CheckIn,
            format!("check-in/{evening}/2026-12-02"),
        ),
        (
            "2026-12-03T07:45:00Z",
            ReminderKind::CheckIn,
            format!("check-in/{morning}/2026-12-03"),
        ),
        (
            "2026-12-03T09:00:00Z",
            ReminderKind::GoalStep,
            format!("goal-step/{goal}/{step}/2026-12-03"),
        ),
        (
            "2026-12-03T20:30:00Z",
            ReminderKind::CheckIn,
            format!("check-in/{evening}/2026-12-03"),
        ),
    ];
    let got_short: Vec<_> = got.iter().map(|r| (r.at, r.kind, r.key.clone())).collect();
    let want: Vec<_> = want
        .into_iter()
        .map(|(t, kd, key)| (utc(t), kd, key))
        .collect();
    assert_eq!(got_short, want);
    assert_eq!(got[3].record.as_ref(), Some(&goal));
    assert!(got.iter().all(|r| r.notification_title == "Kindred"));
    // The same call again gives the same keys (a shell dedupes on them).
    assert_eq!(k.next_reminders(utc(NOW), "Europe/London", 3).unwrap(), got);
    // In New York, 09:00 local is 14:00Z.
    let ny = k.next_reminders(utc(NOW), "America/New_York", 3).unwrap();
    let step_fire = ny
        .iter()
        .find(|r| r.kind == ReminderKind::GoalStep)
        .unwrap();
    assert_eq!(step_fire.at, utc("2026-12-03T14:00:00Z"));
    // A horizon of 0 days: nothing.
    assert!(k.next_reminders(utc(NOW), "UTC", 0).unwrap().is_empty());
}

#[test]
fn done_steps_and_steps_of_paused_goals_do_not_fire() {
    let (_dir, mut k) = fresh();
    let g = |k: &mut Kindred, t: &str| {
        k.add_goal(&NewGoal {
            title: t.into(),
            ..Default::default()
        })
        .unwrap()
    };
    let active = g(&mut k, "Active");
    let paused = g(&mut k, "Paused");
    let achieved = g(&mut k, "Achieved");
    let due = Some(day("2026-12-02"));
    let done = k.add_step(&active, "done one", due).unwrap();
    k.set_step_done(&active, &done, true).unwrap();
    let open = k.add_step(&active, "open one", due).unwrap();
    k.add_step(&paused, "resting", due).unwrap();
    k.set_goal_status(&paused, &GoalStatus::Paused).unwrap();
    k.add_step(&achieved, "left over", due).unwrap();
    k.set_goal_status(&achieved, &GoalStatus::Achieved).unwrap();
    let got = k.next_reminders(utc(NOW), "Europe/London", 7).unwrap();
    let keys: Vec<_> = got.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys, [format!("goal-step/{active}/{open}/2026-12-02")]);
    // Undone again, it fires again.
    k.set_step_done(&active, &done, false).unwrap();
    assert_eq!(
        k.next_reminders(utc(NOW), "Europe/London", 7)
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn a_locked_screen_learns_nothing_from_a_reminder() {
    let (_dir, mut k) = fresh();
    k.set_check_in_reminders(&[new(13, 0, &[])]).unwrap();
    let secret_goal = "Stay away from the Crown on Fridays";
    let secret_step = "Call my sponsor before payday";
    let goal = k
        .add_goal(&NewGoal {
            title: secret_goal.into(),
            why: Some("my kids".into()),
            ..Default::default()
        })
        .unwrap();
    k.add_step(&goal, secret_step, Some(day("2026-12-02")))
        .unwrap();
    let got: Vec<Reminder> = k.next_reminders(utc(NOW), "Europe/London", 7).unwrap();
    assert!(got.iter().any(|r| r.kind == ReminderKind::GoalStep));
    for r in &got {
        assert_eq!(r.notification_title, NOTIFICATION_TITLE);
        assert_eq!(r.notification_title, "Kindred");
        // Everything a shell gets, as the JSON the bindings pass on.
        let json = serde_json::to_string(r).unwrap();
        for words in [secret_goal, secret_step, "Crown", "sponsor", "kids"] {
            assert!(!json.contains(words), "{json}");
            assert!(!r.key.contains(words));
        }
    }
}

#[test]
fn records_of_unknown_kinds_and_unknown_fields_survive() {
    let (dir, mut k) = fresh();
    // A newer version's records: another kind, and a check-in rule with
    // a field this version does not know.
    let (other, rule) = k
        .edit(&SpaceKind::Personal, |_, e| {
            let (other, obj) = e.create(REMINDERS)?;
            put_str(e.tx, &obj, "kind", "bedtime_wind_down")?;
            put_str(e.tx, &obj, "at", "22:00")?;
            let (rule, obj) = e.create(REMINDERS)?;
            put_str(e.tx, &obj, "kind", "check_in")?;
            put_str(e.tx, &obj, "at", "20:30")?;
            put_str_list(e.tx, &obj, "days", &["mon".to_owned()])?;
            put_str(e.tx, &obj, "sound", "chime")?;
            // A check-in rule on a day this version does not know.
            let (_, obj) = e.create(REMINDERS)?;
            put_str(e.tx, &obj, "kind", "check_in")?;
            put_str(e.tx, &obj, "at", "06:00")?;
            put_str_list(e.tx, &obj, "days", &["holidays".to_owned()])?;
            Ok((other, rule))
        })
        .unwrap();
    // Only the rule it reads is listed, and only it fires.
    let listed = k.check_in_reminders().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, rule);
    let fires = k.next_reminders(utc(NOW), "UTC", 7).unwrap();
    assert_eq!(fires.len(), 1, "{fires:?}");
    assert_eq!(fires[0].at, utc("2026-12-07T20:30:00Z"));
    // Moving the rule to 21:00 writes over its record.
    let set = k.set_check_in_reminders(&[new(21, 0, &[Monday])]).unwrap();
    assert_eq!(set[0].id, rule);
    drop(k);
    let mut k = reopen(dir.path());
    let records = raw(&mut k);
    assert_eq!(records.len(), 3, "nothing of the newer version's is lost");
    let get = |id: &Id| &records.iter().find(|(i, _)| i == id).unwrap().1;
    assert_eq!(raw_str(get(&rule), "sound").as_deref(), Some("chime"));
    assert_eq!(raw_str(get(&rule), "at").as_deref(), Some("21:00"));
    assert_eq!(
        raw_str(get(&other), "kind").as_deref(),
        Some("bedtime_wind_down")
    );
    // Turning them all off leaves the others too.
    k.set_check_in_reminders(&[]).unwrap();
    assert_eq!(raw(&mut k).len(), 2);
    assert!(k.check_in_reminders().unwrap().is_empty());
}

#[test]
fn rules_merged_from_two_devices_fire_once_at_the_same_moment() {
    // Two devices each added a 20:30 while apart: both records arrive.
    let (_dir, mut k) = fresh();
    k.edit(&SpaceKind::Personal, |_, e| {
        for days in [vec![], vec!["tue".to_owned()]] {
            let (_, obj) = e.create(REMINDERS)?;
            put_str(e.tx, &obj, "kind", "check_in")?;
            put_str(e.tx, &obj, "at", "20:30")?;
            put_str_list(e.tx, &obj, "days", &days)?;
        }
        Ok(())
    })
    .unwrap();
    assert_eq!(k.check_in_reminders().unwrap().len(), 2);
    // 1 December 2026 is a Tuesday: one fire that evening, not two.
    let fires = k.next_reminders(utc(NOW), "UTC", 2).unwrap();
    let at: Vec<_> = fires.iter().map(|r| r.at).collect();
    assert_eq!(
        at,
        [utc("2026-12-01T20:30:00Z"), utc("2026-12-02T20:30:00Z")]
    );
}

#[test]
fn steps_of_goals_shared_into_her_own_share_still_fire() {
    let (_dir, mut k) = fresh();
    let goal = k
        .add_goal(&NewGoal {
            title: "Shared".into(),
            ..Default::default()
        })
        .unwrap();
    let step = k
        .add_step(&goal, "together", Some(day("2026-12-02")))
        .unwrap();
    let space = k.create_space(SpaceKind::Shared, None).unwrap();
    k.share_goal(&goal, &space).unwrap();
    let got = k.next_reminders(utc(NOW), "UTC", 7).unwrap();
    let keys: Vec<_> = got.iter().map(|r| r.key.clone()).collect();
    assert_eq!(keys, [format!("goal-step/{goal}/{step}/2026-12-02")]);
}

#[test]
fn a_workers_follow_ups_fire_before_a_planned_call_and_on_a_next_contact_day() {
    use crate::model::{
        ContactType, ContactWay, NewContact, NewContactNote, NewPlannedContact, Setting,
    };
    use time::macros::{date, datetime};
    let (_dir, mut k) = fresh();
    let sam = k
        .add_contact(&NewContact {
            name: "Sam Private".into(),
        })
        .unwrap();
    k.add_note(&NewContactNote {
        contact_id: sam.clone(),
        contact_type: ContactType::InPerson,
        setting: Setting::Community,
        start: datetime!(2026-12-01 10:00 UTC),
        end: datetime!(2026-12-01 11:00 UTC),
        goals_addressed: vec![],
        peer_activities: vec![],
        narrative: "Talked about the housing letter".into(),
        own_words: None,
        strengths: None,
        next_steps: None,
        next_contact: Some(date!(2026 - 12 - 04)),
        substance_use: false,
    })
    .unwrap();
    let call = k
        .plan_contact(&NewPlannedContact {
            contact_id: sam.clone(),
            at: datetime!(2026-12-05 15:00 UTC),
            way: ContactWay::Call,
            note: Some("ask about the letter".into()),
        })
        .unwrap();
    let fires = k
        .next_reminders(datetime!(2026-12-03 12:00 UTC), "Europe/London", 7)
        .unwrap();
    let follow: Vec<&Reminder> = fires
        .iter()
        .filter(|r| r.kind == ReminderKind::FollowUp)
        .collect();
    assert_eq!(follow.len(), 2, "{fires:?}");
    assert_eq!(
        follow[0].at,
        datetime!(2026-12-04 09:00 UTC),
        "09:00 London on the day"
    );
    assert_eq!(
        follow[1].at,
        datetime!(2026-12-05 14:30 UTC),
        "30 minutes before the call"
    );
    assert_eq!(follow[1].key, format!("follow-up/planned/{call}"));
    assert!(follow.iter().all(|r| r.record.as_ref() == Some(&sam)));
    for r in &follow {
        let shown = serde_json::to_string(r).unwrap();
        for private in ["Sam", "Private", "letter", "housing"] {
            assert!(!shown.contains(private), "{shown}");
        }
        assert_eq!(r.notification_title, NOTIFICATION_TITLE);
    }
    // Done: the planned call no longer fires.
    k.finish_planned_contact(&call, true).unwrap();
    let fires = k
        .next_reminders(datetime!(2026-12-03 12:00 UTC), "Europe/London", 7)
        .unwrap();
    assert_eq!(
        fires
            .iter()
            .filter(|r| r.kind == ReminderKind::FollowUp)
            .count(),
        1
    );
}
