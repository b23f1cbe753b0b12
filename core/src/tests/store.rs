//! The sealed store: keys, damage, compaction, several writers.

use super::*;
use crate::{Error, SpaceKind};

fn file_bytes(dir: &Path) -> Vec<u8> {
    std::fs::read(Kindred::database_path(dir)).unwrap()
}

#[test]
fn a_wrong_key_is_refused_and_leaves_the_file_untouched() {
    let (dir, mut k) = fresh();
    let g = k
        .add_goal(&NewGoal {
            title: "Keep".into(),
            ..Default::default()
        })
        .unwrap();
    drop(k);
    let before = file_bytes(dir.path());
    let wrong = StorageKey::from_bytes([7u8; 32]);
    for _ in 0..3 {
        assert!(matches!(
            Kindred::open(dir.path(), &wrong),
            Err(Error::WrongKey)
        ));
    }
    assert_eq!(
        file_bytes(dir.path()),
        before,
        "a wrong key changed the database"
    );
    let mut k = reopen(dir.path());
    assert_eq!(k.goal(&g).unwrap().title, "Keep");
}

#[test]
fn a_provider_without_a_key_is_a_typed_error() {
    struct Locked;
    impl crate::KeyProvider for Locked {
        fn storage_key(&self) -> Result<StorageKey, String> {
            Err("the keystore is locked".into())
        }
    }
    let (dir, k) = fresh();
    drop(k);
    match Kindred::open(dir.path(), &Locked) {
        Err(Error::KeyUnavailable(m)) => assert_eq!(m, "the keystore is locked"),
        other => panic!("expected KeyUnavailable, got {other:?}"),
    }
}

#[test]
fn a_truncated_database_file_is_a_typed_error_not_a_panic() {
    let (dir, mut k) = fresh();
    for i in 0..50 {
        k.add_check_in(&NewCheckIn {
            note: Some(format!("check-in {i} {}", "words ".repeat(200))),
            ..check_in(3, "2026-03-01T09:00:00Z")
        })
        .unwrap();
    }
    drop(k);
    let path = Kindred::database_path(dir.path());
    let full = std::fs::read(&path).unwrap();
    assert!(full.len() > 8192);
    for keep in [full.len() / 2, 4096, 100, 0] {
        std::fs::write(&path, &full[..keep]).unwrap();
        let outcome = Kindred::open(dir.path(), &key()).and_then(|mut k| {
            k.check_ins(None, None)?;
            k.contacts()?;
            Ok(())
        });
        match outcome {
            Err(Error::DatabaseDamaged | Error::Damaged { .. } | Error::NotInitialised) => {}
            other => panic!("truncated to {keep} bytes: expected a damage error, got {other:?}"),
        }
    }
}

/// Opens the raw database to change blobs behind the store's back.
fn raw(dir: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(Kindred::database_path(dir)).unwrap()
}

fn personal_id(k: &Kindred) -> String {
    k.spaces()
        .iter()
        .find(|s| s.kind == SpaceKind::Personal)
        .unwrap()
        .id
        .clone()
}

#[test]
fn a_flipped_byte_in_a_chunk_names_the_space() {
    let (dir, mut k) = fresh();
    k.add_check_in(&check_in(4, "2026-03-01T09:00:00Z"))
        .unwrap();
    let space = personal_id(&k);
    drop(k);
    let conn = raw(dir.path());
    let (seq, mut blob): (i64, Vec<u8>) = conn
        .query_row(
            "SELECT seq, blob FROM chunks WHERE space_id = ?1 ORDER BY seq DESC LIMIT 1",
            [&space],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let mid = blob.len() / 2;
    blob[mid] ^= 0x20;
    conn.execute(
        "UPDATE chunks SET blob = ?1 WHERE space_id = ?2 AND seq = ?3",
        rusqlite::params![blob, space, seq],
    )
    .unwrap();
    drop(conn);

    let mut k = reopen(dir.path());
    // The caseload space is unaffected and still opens.
    assert!(k.contacts().unwrap().is_empty());
    match k.check_ins(None, None) {
        Err(e @ Error::Damaged { .. }) => {
            assert!(e.to_string().contains("your own records"), "{e}");
        }
        other => panic!("expected Damaged, got {other:?}"),
    }
    // Writing to the damaged space is refused too: nothing is built on a
    // document that may be missing changes.
    assert!(matches!(
        k.add_check_in(&check_in(3, "2026-03-02T09:00:00Z")),
        Err(Error::Damaged { .. })
    ));
}

#[test]
fn blobs_moved_between_rows_do_not_open() {
    let (dir, mut k) = fresh();
    k.add_check_in(&check_in(4, "2026-03-01T09:00:00Z"))
        .unwrap();
    k.add_check_in(&check_in(5, "2026-03-02T09:00:00Z"))
        .unwrap();
    let space = personal_id(&k);
    drop(k);
    let conn = raw(dir.path());
    // Swap the last two chunks' blobs.
    let rows: Vec<(i64, Vec<u8>)> = {
        let mut st = conn
            .prepare("SELECT seq, blob FROM chunks WHERE space_id = ?1 ORDER BY seq DESC LIMIT 2")
            .unwrap();
        st.query_map([&space], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    for (i, (seq, _)) in rows.iter().enumerate() {
        let other = &rows[1 - i].1;
        conn.execute(
            "UPDATE chunks SET blob = ?1 WHERE space_id = ?2 AND seq = ?3",
            rusqlite::params![other, space, seq],
        )
        .unwrap();
    }
    drop(conn);
    let mut k = reopen(dir.path());
    assert!(matches!(
        k.check_ins(None, None),
        Err(Error::Damaged { .. })
    ));
}

#[test]
fn compaction_keeps_every_record_and_shrinks_the_chunk_list() {
    let (dir, k) = fresh();
    drop(k);
    let mut k = reopen_with(dir.path(), 10);
    let mut ids = Vec::new();
    for i in 0..25 {
        ids.push(
            k.add_check_in(&check_in(1 + i % 5, "2026-03-01T09:00:00Z"))
                .unwrap(),
        );
    }
    // 2 spaces: caseload holds its genesis; personal was compacted twice
    // and holds a snapshot plus the 5 changes since.
    assert_eq!(chunk_count(dir.path()), 1 + 1 + 5);
    drop(k);
    let mut k = reopen(dir.path());
    let got: Vec<_> = k
        .check_ins(None, None)
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(got.len(), 25);
    for id in &ids {
        assert!(got.contains(id));
    }
    // On demand.
    k.compact(&SpaceKind::Personal).unwrap();
    assert_eq!(chunk_count(dir.path()), 2);
    drop(k);
    let mut k = reopen(dir.path());
    assert_eq!(k.check_ins(None, None).unwrap().len(), 25);
    k.add_check_in(&check_in(2, "2026-03-03T09:00:00Z"))
        .unwrap();
    assert_eq!(reopen(dir.path()).check_ins(None, None).unwrap().len(), 26);
}

#[test]
fn two_writers_on_one_store_lose_nothing() {
    let (dir, mut a) = fresh();
    let mut b = reopen(dir.path());
    // Both load the space, then write in turns without reopening.
    a.check_ins(None, None).unwrap();
    b.check_ins(None, None).unwrap();
    let mut ids = Vec::new();
    for i in 0..10 {
        let w = if i % 2 == 0 { &mut a } else { &mut b };
        ids.push(
            w.add_check_in(&check_in(3, "2026-03-01T09:00:00Z"))
                .unwrap(),
        );
    }
    // Each writer caught up before writing, so each sees all but possibly
    // the other's last write; a fresh open sees all ten.
    let all: Vec<_> = reopen(dir.path())
        .check_ins(None, None)
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(all.len(), 10);
    for id in &ids {
        assert!(all.contains(id));
    }
    assert!(a.check_ins(None, None).unwrap().len() >= 9);
}

#[test]
fn nothing_readable_in_the_database_file() {
    let (dir, mut k) = fresh();
    let marker = "ZEBRA-MARKER-4417";
    let g = k
        .add_goal(&NewGoal {
            title: format!("goal {marker}"),
            ..Default::default()
        })
        .unwrap();
    k.add_step(&g, &format!("step {marker}"), None).unwrap();
    k.add_check_in(&NewCheckIn {
        note: Some(format!("note {marker}")),
        tags: vec![marker.into()],
        ..check_in(3, "2026-03-01T09:00:00Z")
    })
    .unwrap();
    let c = k
        .add_contact(&NewContact {
            name: marker.into(),
        })
        .unwrap();
    drop(c);
    drop(k);
    let bytes = file_bytes(dir.path());
    assert!(!bytes.windows(marker.len()).any(|w| w == marker.as_bytes()));
    assert!(!bytes.windows(10).any(|w| w == b"test phone"));
}
