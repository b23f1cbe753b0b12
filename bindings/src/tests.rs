//! The FFI layer itself: error mapping, listener registration and
//! release, watch handles stopping. (The Kotlin suite in bindings/kotlin
//! drives the same library through the generated bindings.)
#![allow(clippy::unwrap_used)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::*;

struct TestKey;
impl KeyProvider for TestKey {
    fn storage_key(&self) -> Result<Vec<u8>, KindredError> {
        Ok(vec![3; 32])
    }
}

struct ShortKey;
impl KeyProvider for ShortKey {
    fn storage_key(&self) -> Result<Vec<u8>, KindredError> {
        Ok(vec![3; 5])
    }
}

#[derive(Default)]
struct Counter(AtomicU64);
impl ChangeListener for Counter {
    fn on_change(&self, changes: u64) {
        self.0.fetch_add(changes, Ordering::SeqCst);
    }
}

fn fresh() -> (tempfile::TempDir, Arc<Kindred>) {
    let d = tempfile::tempdir().unwrap();
    let k = Kindred::init(
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
        Kindred::init(
            d2.path().display().to_string(),
            Arc::new(ShortKey),
            "x".into()
        ),
        Err(KindredError::KeyUnavailable { .. })
    ));
}

#[test]
fn a_listener_is_told_and_released() {
    let (_d, k) = fresh();
    let counter = Arc::new(Counter::default());
    k.set_change_listener(Some(counter.clone()));
    assert_eq!(Arc::strong_count(&counter), 2, "registered once");
    Kindred::notify(&k.listener, 3);
    Kindred::notify(&k.listener, 0);
    assert_eq!(
        counter.0.load(Ordering::SeqCst),
        3,
        "told only of real changes"
    );
    k.set_change_listener(None);
    assert_eq!(Arc::strong_count(&counter), 1, "released");
    // Closing releases it too.
    k.set_change_listener(Some(counter.clone()));
    k.close_data();
    assert_eq!(Arc::strong_count(&counter), 1);
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
