//! The FFI layer itself: error mapping, listener registration and
//! release, watch handles stopping. (The Kotlin suite in bindings/kotlin
//! drives the same library through the generated bindings.)
#![allow(clippy::unwrap_used)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::*;

pub(crate) struct TestKey;
impl KeyProvider for TestKey {
    fn storage_key(&self) -> Result<Vec<u8>, KeyProviderError> {
        Ok(vec![3; 32])
    }
}

struct ShortKey;
impl KeyProvider for ShortKey {
    fn storage_key(&self) -> Result<Vec<u8>, KeyProviderError> {
        Ok(vec![3; 5])
    }
}

struct LockedKeyStore;
impl KeyProvider for LockedKeyStore {
    fn storage_key(&self) -> Result<Vec<u8>, KeyProviderError> {
        Err(KeyProviderError::Unavailable)
    }
}

#[derive(Default)]
struct Counter {
    local: AtomicU64,
    synced: AtomicU64,
}
impl ChangeListener for Counter {
    fn on_change(&self, event: ChangeEvent) {
        let n = if event.local {
            &self.local
        } else {
            &self.synced
        };
        n.fetch_add(event.changes, Ordering::SeqCst);
    }
}

pub(crate) fn fresh() -> (tempfile::TempDir, Arc<Kindred>) {
    let d = tempfile::tempdir().unwrap();
    let k = Kindred::create(
        d.path().display().to_string(),
        Arc::new(TestKey),
        "phone".into(),
    )
    .unwrap();
    (d, k)
}

#[test]
fn core_errors_map_onto_the_public_kinds() {
    use kindred_core::Error as E;
    type Check = fn(&KindredError) -> bool;
    let cases: Vec<(E, Check)> = vec![
        (E::Empty { field: "title" }, |e| {
            matches!(e, KindredError::InvalidInput { .. })
        }),
        (
            E::NotFound {
                kind: kindred_core::model::RecordKind::Goal,
                id: "x".into(),
            },
            |e| matches!(e, KindredError::NotFound { .. }),
        ),
        (E::NoteSigned { id: "x".into() }, |e| {
            matches!(e, KindredError::NotAllowed { .. })
        }),
        (E::WrongKey, |e| matches!(e, KindredError::Setup { .. })),
        (E::KeyUnavailable("no".into()), |e| {
            matches!(e, KindredError::KeyUnavailable { .. })
        }),
        (E::Unreachable, |e| {
            matches!(e, KindredError::Offline { .. })
        }),
        (E::Sync { what: "w" }, |e| {
            matches!(e, KindredError::Sync { .. })
        }),
        (E::InviteDeclined, |e| {
            matches!(e, KindredError::Pairing { .. })
        }),
        (E::DatabaseDamaged, |e| {
            matches!(e, KindredError::Storage { .. })
        }),
        (
            E::NotYours {
                kind: kindred_core::model::RecordKind::CheckIn,
            },
            |e| matches!(e, KindredError::NotAllowed { .. }),
        ),
        (
            E::NoneNamed {
                kind: kindred_core::model::RecordKind::Contact,
            },
            |e| matches!(e, KindredError::NotFound { .. }),
        ),
        (
            E::Ambiguous {
                kind: kindred_core::model::RecordKind::Goal,
                count: 2,
            },
            |e| matches!(e, KindredError::InvalidInput { .. }),
        ),
        (E::InviteCodeExpired, |e| {
            matches!(e, KindredError::Pairing { .. })
        }),
    ];
    for (core, check) in cases {
        let text = core.to_string();
        let mapped = KindredError::from(core);
        assert!(check(&mapped), "{text} became {mapped:?}");
        assert_eq!(
            mapped.to_string(),
            text,
            "the person-readable message passes through"
        );
    }
}

#[test]
fn bad_input_is_refused_with_typed_errors_and_writes_nothing() {
    let (_d, k) = fresh();
    assert!(matches!(
        k.add_check_in(NewCheckIn {
            occurred_at: Some("yesterday".into()),
            mood: 3,
            energy: None,
            tags: vec![],
            note: None
        }),
        Err(KindredError::InvalidInput { .. })
    ));
    assert!(matches!(
        k.goal("no such id!".into()),
        Err(KindredError::InvalidInput { .. })
    ));
    assert!(matches!(
        k.goals(Some("finished".into())),
        Err(KindredError::InvalidInput { .. })
    ));
    assert!(k.check_ins(None, None).unwrap().is_empty());
    let d2 = tempfile::tempdir().unwrap();
    assert!(matches!(
        Kindred::create(
            d2.path().display().to_string(),
            Arc::new(ShortKey),
            "x".into()
        ),
        Err(KindredError::KeyUnavailable { .. })
    ));
}

#[test]
fn a_failing_key_store_is_a_typed_error_not_a_panic() {
    let d = tempfile::tempdir().unwrap();
    let made = Kindred::create(
        d.path().display().to_string(),
        Arc::new(LockedKeyStore),
        "phone".into(),
    );
    assert!(matches!(made, Err(KindredError::KeyUnavailable { .. })));
    // The same for opening existing data, and for the exception uniffi
    // turns any other foreign throw into.
    let (d, _k) = fresh();
    assert!(matches!(
        Kindred::open(d.path().display().to_string(), Arc::new(LockedKeyStore)),
        Err(KindredError::KeyUnavailable { .. })
    ));
    let unexpected = KeyProviderError::from(uniffi::UnexpectedUniFFICallbackError::new(
        "java.lang.IllegalStateException: keystore locked",
    ));
    assert!(matches!(unexpected, KeyProviderError::Unavailable));
    assert!(!unexpected.to_string().contains("keystore locked"));
}

#[test]
fn every_listener_hears_of_local_writes_and_each_handle_removes_its_own() {
    let (_d, k) = fresh();
    let (a, b) = (Arc::new(Counter::default()), Arc::new(Counter::default()));
    let ha = k.add_change_listener(a.clone());
    let hb = k.add_change_listener(b.clone());
    let goal = k
        .add_goal(NewGoal {
            title: "Walk".into(),
            why: None,
            area: None,
            target_date: None,
        })
        .unwrap();
    assert_eq!(a.local.load(Ordering::SeqCst), 1);
    assert_eq!(b.local.load(Ordering::SeqCst), 1);
    // A refused write changes nothing and tells no one; reads tell no one.
    assert!(k.add_step(goal.clone(), " ".into(), None).is_err());
    k.goals(None).unwrap();
    assert_eq!(a.local.load(Ordering::SeqCst), 1);
    Kindred::notify_synced(&k.listeners, 3);
    Kindred::notify_synced(&k.listeners, 0);
    assert_eq!(
        a.synced.load(Ordering::SeqCst),
        3,
        "told only of real changes"
    );
    ha.cancel();
    assert!(!ha.is_active() && hb.is_active());
    assert_eq!(Arc::strong_count(&a), 1, "a's listener released");
    k.add_step(goal, "Shoes".into(), None).unwrap();
    assert_eq!(a.local.load(Ordering::SeqCst), 1, "a no longer hears");
    assert_eq!(b.local.load(Ordering::SeqCst), 2, "b still does");
    drop(hb);
    assert_eq!(Arc::strong_count(&b), 1, "dropping a handle releases too");
    // Closing releases every listener.
    let _hc = k.add_change_listener(a.clone());
    k.close_data();
    assert_eq!(Arc::strong_count(&a), 1);
}

#[test]
fn every_note_field_can_be_changed_and_cleared() {
    let (_d, k) = fresh();
    let contact = k.add_contact("Jo".into()).unwrap();
    let id = k
        .add_note(NewNote {
            contact_id: contact,
            contact_type: "phone".into(),
            setting: "home".into(),
            start: "2026-03-01T10:00:00+01:00".into(),
            end: "2026-03-01T10:30:00+01:00".into(),
            goals_addressed: vec![],
            peer_activities: vec![],
            narrative: "Talked".into(),
            own_words: Some("It helped".into()),
            strengths: None,
            next_steps: None,
            next_contact: None,
            substance_use: false,
        })
        .unwrap();
    k.update_note(
        id.clone(),
        NoteChanges {
            contact_type: Some("in_person".into()),
            setting: Some("community".into()),
            start: Some("2026-03-01T11:00:00+01:00".into()),
            end: Some("2026-03-01T12:15:00+01:00".into()),
            goals_addressed: Some(vec!["housing".into()]),
            peer_activities: Some(vec!["shared my story".into()]),
            narrative: Some("Walked and talked".into()),
            clear_own_words: true,
            strengths: Some("Keeps going".into()),
            next_steps: Some("Call the landlord".into()),
            next_contact: Some("2026-03-08".into()),
            substance_use: Some(true),
            ..Default::default()
        },
    )
    .unwrap();
    let n = k.note(id.clone()).unwrap();
    assert_eq!(
        (n.contact_type.as_str(), n.setting.as_str()),
        ("in_person", "community")
    );
    assert_eq!(n.start, "2026-03-01T11:00:00+01:00");
    assert_eq!(n.end, "2026-03-01T12:15:00+01:00");
    assert_eq!(n.goals_addressed, vec!["housing".to_owned()]);
    assert_eq!(n.peer_activities, vec!["shared my story".to_owned()]);
    assert_eq!(n.narrative, "Walked and talked");
    assert_eq!(n.own_words, None);
    assert_eq!(n.strengths.as_deref(), Some("Keeps going"));
    assert_eq!(n.next_steps.as_deref(), Some("Call the landlord"));
    assert_eq!(n.next_contact.as_deref(), Some("2026-03-08"));
    assert!(n.substance_use);
    k.update_note(
        id.clone(),
        NoteChanges {
            clear_next_contact: true,
            clear_strengths: true,
            ..Default::default()
        },
    )
    .unwrap();
    let n = k.note(id.clone()).unwrap();
    assert_eq!((n.next_contact, n.strengths), (None, None));
    // Bad input: a typed error and nothing changed.
    for bad in [
        NoteChanges {
            setting: Some("the moon".into()),
            ..Default::default()
        },
        NoteChanges {
            end: Some("2026-03-01T09:00:00+01:00".into()),
            narrative: Some("not kept".into()),
            ..Default::default()
        },
        NoteChanges {
            next_contact: Some("next week".into()),
            ..Default::default()
        },
    ] {
        assert!(matches!(
            k.update_note(id.clone(), bad),
            Err(KindredError::InvalidInput { .. })
        ));
    }
    assert_eq!(k.note(id).unwrap().narrative, "Walked and talked");
}

#[test]
fn a_closed_object_answers_closed() {
    let (_d, k) = fresh();
    k.add_goal(NewGoal {
        title: "x".into(),
        why: None,
        area: None,
        target_date: None,
    })
    .unwrap();
    k.close_data();
    assert!(matches!(k.goals(None), Err(KindredError::Closed)));
    assert!(matches!(k.device(), Err(KindredError::Closed)));
}

fn wait_until(limit: Duration, f: impl Fn() -> bool) -> bool {
    let end = Instant::now() + limit;
    while Instant::now() < end {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

#[test]
fn watch_handles_stop_when_cancelled_or_dropped() {
    let (_d, k) = fresh();
    k.set_server("http://127.0.0.1:9".into()).unwrap(); // nothing listens: polls fail quietly
    let h = k.watch(1);
    assert!(h.is_running());
    let started = Instant::now();
    h.cancel();
    assert!(!h.is_running());
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "stopped promptly"
    );

    // Dropping the last reference stops the thread as well.
    let flag = Arc::new(Mutex::new(false));
    {
        let h = k.watch(1);
        let f = flag.clone();
        *f.lock().unwrap() = h.is_running();
    }
    assert!(*flag.lock().unwrap());
    // The object still works after its watches are gone.
    assert!(wait_until(Duration::from_secs(5), || k.goals(None).is_ok()));
}

#[test]
fn a_watch_on_a_closed_object_ends_by_itself() {
    let (_d, k) = fresh();
    k.set_server("http://127.0.0.1:9".into()).unwrap();
    let h = k.watch(1);
    k.close_data();
    // Its next poll finds the data closed; cancelling then returns at once.
    std::thread::sleep(Duration::from_millis(1200));
    let t = Instant::now();
    h.cancel();
    assert!(t.elapsed() < Duration::from_secs(2));
}
