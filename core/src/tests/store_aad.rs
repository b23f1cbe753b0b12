//! Columns outside a blob but inside its seal (issue 13): a chunk's kind
//! and a sent envelope's upto_local_seq changed on disk give a typed
//! error and change nothing.

use super::*;
use crate::store::{ChunkKind, Store};
use crate::{Error, SpaceKind};

fn raw(dir: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(Kindred::database_path(dir)).unwrap()
}

#[test]
fn a_swapped_chunk_kind_is_refused_and_changes_nothing() {
    let (dir, mut k) = fresh();
    k.add_check_in(&check_in(4, "2026-03-01T09:00:00Z"))
        .unwrap();
    let space = k
        .spaces()
        .iter()
        .find(|s| s.kind == SpaceKind::Personal)
        .unwrap()
        .id
        .clone();
    drop(k);
    let swap = |dir: &Path| {
        raw(dir)
            .execute(
                "UPDATE chunks SET kind = 1 - kind WHERE space_id = ?1
                 AND seq = (SELECT MAX(seq) FROM chunks WHERE space_id = ?1)",
                [&space],
            )
            .unwrap()
    };
    swap(dir.path());
    let mut k = reopen(dir.path());
    match k.check_ins(None, None) {
        Err(e @ Error::Damaged { .. }) => {
            assert!(e.to_string().contains("your own records"), "{e}")
        }
        other => panic!("expected Damaged, got {other:?}"),
    }
    drop(k);
    // Swapped back, everything is there: the refusal changed nothing.
    swap(dir.path());
    let mut k = reopen(dir.path());
    assert_eq!(k.check_ins(None, None).unwrap().len(), 1);
}

#[test]
fn a_raised_upto_local_seq_drops_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let key = StorageKey::from_bytes([5; 32]);
    let path = dir.path().join("store.db");
    let mut store = Store::create(&path, &key).unwrap();
    let tx = store.begin().unwrap();
    tx.insert_space("s", b"{}").unwrap();
    tx.append_chunk("s", ChunkKind::Changes, b"c").unwrap();
    for i in 0..3u8 {
        tx.append_outbox("s", &[i]).unwrap();
    }
    // Envelope 1 carries outbox row 1 only.
    tx.put_sent("s", 1, 1, b"envelope").unwrap();
    tx.commit().unwrap();
    drop(store);

    // Someone with the file (not the key) says envelope 1 carried all three.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE sent SET upto_local_seq = 3 WHERE device_seq = 1",
            [],
        )
        .unwrap();
    let mut store = Store::open(&path, &key).unwrap();
    let tx = store.begin().unwrap();
    assert!(matches!(tx.acknowledge("s", 1), Err(Error::Damaged { .. })));
    assert!(matches!(tx.sent("s", 10), Err(Error::Damaged { .. })));
    drop(tx);
    assert_eq!(
        store.pending("s").unwrap(),
        (3, 1),
        "an outbox row was dropped"
    );

    // Put back, the acknowledgement clears exactly the one row it carried.
    drop(store);
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE sent SET upto_local_seq = 1 WHERE device_seq = 1",
            [],
        )
        .unwrap();
    let mut store = Store::open(&path, &key).unwrap();
    let tx = store.begin().unwrap();
    assert_eq!(tx.acknowledge("s", 1).unwrap(), 1);
    tx.commit().unwrap();
    assert_eq!(store.pending("s").unwrap(), (2, 0));
}
