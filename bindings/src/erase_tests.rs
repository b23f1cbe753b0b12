//! Delete forever through the FFI, on a device that has never synced
//! (erased here at once), and the refusals. (Against a real relay: the
//! erasure reaching it, another device following, a worker refused, and
//! `erase_share`: the Kotlin suite in bindings/kotlin.)
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::sync::Arc;

use crate::error::FfiResult;
use crate::tests::{TestKey, fresh};
use crate::*;

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(f)
}

fn space_of(k: &Kindred, kind: &str) -> String {
    k.sync_status()
        .unwrap()
        .into_iter()
        .find(|s| s.kind == kind)
        .unwrap()
        .space
}

fn counts(pairs: &[(&str, u64)]) -> HashMap<String, u64> {
    pairs.iter().map(|(k, n)| ((*k).to_owned(), *n)).collect()
}

fn note(k: &Kindred, contact: &str, narrative: &str) -> String {
    k.add_note(NewNote {
        contact_id: contact.into(),
        contact_type: "phone".into(),
        setting: "home".into(),
        start: "2026-03-01T10:00:00+01:00".into(),
        end: "2026-03-01T10:30:00+01:00".into(),
        goals_addressed: vec![],
        peer_activities: vec![],
        narrative: narrative.into(),
        own_words: None,
        strengths: None,
        next_steps: None,
        next_contact: None,
        substance_use: false,
    })
    .unwrap()
}

#[test]
fn a_check_in_and_a_goal_deleted_forever_are_gone_and_the_log_says_only_what_kind() {
    let (_d, k) = fresh();
    let c = k
        .add_check_in(NewCheckIn {
            occurred_at: Some("2026-03-02T21:30:00+01:00".into()),
            mood: 2,
            energy: None,
            tags: vec![],
            note: Some("a hard night".into()),
        })
        .unwrap();
    let g = k
        .add_goal(NewGoal {
            title: "Walk to the park".into(),
            why: None,
            area: None,
            target_date: None,
        })
        .unwrap();
    k.add_step(g.clone(), "Shoes by the door".into(), None)
        .unwrap();

    let e = block_on(k.delete_check_in_forever(c)).unwrap();
    // Never synced: gone from this device at once, nothing to wait for.
    assert_eq!(e.records, counts(&[("check-in", 1)]));
    assert!(e.spaces.contains(&"personal".to_owned()), "{e:?}");
    assert!(!e.on_relay && !e.waiting_for_sync, "{e:?}");
    assert!(k.check_ins(None, None).unwrap().is_empty());

    let e = block_on(k.delete_goal_forever(g.clone())).unwrap();
    assert_eq!(e.records, counts(&[("goal", 1)]));
    assert!(!e.waiting_for_sync);
    assert!(k.goals(None).unwrap().is_empty());
    assert!(matches!(k.goal(g), Err(KindredError::NotFound { .. })));
    assert_eq!(k.erasures_waiting().unwrap(), 0);
    assert!(k.take_erasure_notices().unwrap().is_empty());

    // Never on a relay, the space simply started afresh here: no log entry
    // was needed (the Kotlin suite reads the log of erasures that went
    // through a relay), and none holds what it said.
    let log = k.erasures(space_of(&k, "personal")).unwrap();
    let said = format!("{log:?}");
    assert!(
        !said.contains("hard night") && !said.contains("park"),
        "{said}"
    );
}

#[test]
fn what_is_not_there_is_not_found_and_nothing_else_goes() {
    let (_d, k) = fresh();
    let kept = k
        .add_goal(NewGoal {
            title: "Kept".into(),
            why: None,
            area: None,
            target_date: None,
        })
        .unwrap();
    let unknown = "0".repeat(32);
    let cases: Vec<FfiResult<ErasureRecord>> = vec![
        block_on(k.delete_check_in_forever(unknown.clone())),
        block_on(k.delete_goal_forever(unknown.clone())),
        block_on(k.delete_contact_forever(unknown.clone(), None)),
        block_on(k.delete_comment_forever(unknown.clone(), unknown.clone())),
    ];
    for r in cases {
        assert!(matches!(r, Err(KindredError::NotFound { .. })), "{r:?}");
    }
    // Not an id at all: the person's input, in words.
    assert!(matches!(
        block_on(k.delete_goal_forever("the park one".into())),
        Err(KindredError::InvalidInput { .. })
    ));
    // A share that is not there (this device is in none).
    assert!(block_on(k.erase_share(unknown)).is_err());
    assert_eq!(k.goals(None).unwrap().len(), 1);
    assert_eq!(k.goal(kept).unwrap().title, "Kept");
    assert!(k.erasures(space_of(&k, "personal")).unwrap().is_empty());
}

#[test]
fn a_contact_with_signed_notes_goes_only_for_a_reason_the_worker_gives() {
    let (_d, k) = fresh();
    let sam = k.add_contact("Sam".into()).unwrap();
    let signed = note(&k, &sam, "Visit at home");
    k.sign_note(signed).unwrap();
    note(&k, &sam, "A draft");
    let alex = k.add_contact("Alex".into()).unwrap();
    note(&k, &alex, "Alex's draft");

    // Signed notes are records the program keeps: no reason, no delete.
    let r = block_on(k.delete_contact_forever(sam.clone(), None));
    assert!(matches!(r, Err(KindredError::NotAllowed { .. })), "{r:?}");
    let r = block_on(k.delete_contact_forever(sam.clone(), Some("tired of them".into())));
    assert!(matches!(r, Err(KindredError::InvalidInput { .. })), "{r:?}");
    assert_eq!(k.notes(Some(sam.clone())).unwrap().len(), 2);

    let e = block_on(k.delete_contact_forever(sam.clone(), Some("person-asked".into()))).unwrap();
    assert_eq!(
        e.records,
        counts(&[
            ("contact", 1),
            ("contact note", 2),
            ("signed contact note", 1)
        ])
    );
    assert_eq!(e.spaces, vec!["caseload".to_owned()]);
    assert!(!e.waiting_for_sync);
    let left: Vec<String> = k.contacts().unwrap().into_iter().map(|c| c.name).collect();
    assert_eq!(left, vec!["Alex".to_owned()]);
    // Sam is not there to ask about any more; Alex's note is untouched.
    assert!(matches!(
        k.notes(Some(sam)),
        Err(KindredError::NotFound { .. })
    ));
    assert_eq!(k.notes(None).unwrap().len(), 1);

    // Drafts only: no reason needed (one given anyway does no harm).
    let e = block_on(k.delete_contact_forever(alex, Some("retention-ended".into()))).unwrap();
    assert_eq!(e.records, counts(&[("contact", 1), ("contact note", 1)]));
    assert!(k.contacts().unwrap().is_empty());
}

#[test]
fn erase_everything_empties_every_space_and_says_how_many_of_each() {
    let (_d, k) = fresh();
    for title in ["One", "Two"] {
        k.add_goal(NewGoal {
            title: title.into(),
            why: None,
            area: None,
            target_date: None,
        })
        .unwrap();
    }
    k.add_check_in(NewCheckIn {
        occurred_at: None,
        mood: 4,
        energy: None,
        tags: vec![],
        note: None,
    })
    .unwrap();
    let c = k.add_contact("Sam".into()).unwrap();
    let n = note(&k, &c, "Signed visit");
    k.sign_note(n).unwrap();

    // Everything, signed notes too: the person (or worker) asked for all of it.
    let e = block_on(k.erase_everything()).unwrap();
    assert_eq!(
        e.records,
        counts(&[
            ("goal", 2),
            ("check-in", 1),
            ("contact", 1),
            ("contact note", 1)
        ])
    );
    assert!(!e.waiting_for_sync);
    assert!(k.goals(None).unwrap().is_empty());
    assert!(k.check_ins(None, None).unwrap().is_empty());
    assert!(k.contacts().unwrap().is_empty());
    assert!(k.notes(None).unwrap().is_empty());
    // The device is still itself, and can go on.
    assert_eq!(k.device().unwrap().name, "phone");
    k.add_check_in(NewCheckIn {
        occurred_at: None,
        mood: 3,
        energy: None,
        tags: vec![],
        note: None,
    })
    .unwrap();
    assert_eq!(k.check_ins(None, None).unwrap().len(), 1);
}

#[test]
fn only_the_persons_own_devices_erase_and_a_closed_object_says_so() {
    // A device waiting to be paired holds no space of its own: nothing of
    // hers to erase from here.
    let d = tempfile::tempdir().unwrap();
    let k = Kindred::create_joining(
        d.path().display().to_string(),
        Arc::new(TestKey),
        "tablet".into(),
    )
    .unwrap();
    let r = block_on(k.delete_check_in_forever("0".repeat(32)));
    assert!(matches!(r, Err(KindredError::NotAllowed { .. })), "{r:?}");

    let (_d, k) = fresh();
    k.close_data();
    assert!(matches!(
        block_on(k.erase_everything()),
        Err(KindredError::Closed)
    ));
    assert!(matches!(k.erasures_waiting(), Err(KindredError::Closed)));
}

#[test]
fn a_delete_forever_tells_the_listeners_once_it_is_done() {
    use std::sync::atomic::{AtomicU64, Ordering};
    struct Heard(AtomicU64);
    impl ChangeListener for Heard {
        fn on_change(&self, event: ChangeEvent) {
            if event.local {
                self.0.fetch_add(1, Ordering::SeqCst);
            }
        }
    }
    let (_d, k) = fresh();
    let g = k
        .add_goal(NewGoal {
            title: "One".into(),
            why: None,
            area: None,
            target_date: None,
        })
        .unwrap();
    let heard = Arc::new(Heard(AtomicU64::new(0)));
    let _h = k.add_change_listener(heard.clone());
    block_on(k.delete_goal_forever(g)).unwrap();
    assert_eq!(heard.0.load(Ordering::SeqCst), 1);
}
