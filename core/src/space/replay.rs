//! Starting a space afresh (issue 14, "delete forever"): a document with
//! no history built from the current records, and this device's pending
//! edits replayed onto a fresh document another device made.
//!
//! Why records, not changes: automerge cannot drop history, so erasing
//! means a new document. Changes made on the old one name operations the
//! new one never had, so they cannot be applied to it; what they did can.
//! A pending edit is replayed as what it changed, record by record and
//! field by field (the value the field had before the edit against the
//! value after it): a field it changed is written again, one it removed
//! is removed, a record it made is made, a record it deleted is deleted.
//! An edit to a record the new document no longer has (erased, or deleted
//! on another device) is dropped and counted, so the person can be told;
//! automerge itself does the same with an edit inside a deleted record.
//! Lists inside a record (a goal's steps) are written whole.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use automerge::{
    Automerge, ChangeHash, ObjType, Prop, ROOT, ReadDoc, hydrate, transaction::Transactable,
};

use super::edit::{Prop as At, put_value};
use super::fields::get_obj;
use crate::error::{Error, Result};

/// What replaying pending edits did.
#[derive(Debug, Default)]
pub(crate) struct Replayed {
    /// The replay as one automerge change on the new document (empty if
    /// there was nothing to replay): what goes to the outbox.
    pub change: Vec<u8>,
    /// Edits dropped because their record is gone, by collection.
    pub dropped: BTreeMap<String, u64>,
}

/// A copy of `doc`'s current state with no history: one change, by
/// `actor`, that writes every root value (schema, kind, each collection
/// with its records) as it is now.
pub(crate) fn history_free(doc: &Automerge, actor: automerge::ActorId) -> Result<Automerge> {
    let mut fresh = Automerge::new().with_actor(actor);
    let hydrate::Value::Map(root) = doc.hydrate(None) else {
        return Err(Error::Document);
    };
    let mut tx = fresh.transaction();
    for (k, v) in root.iter() {
        put_value(&mut tx, &ROOT, At::Key(k), &v.value)?;
    }
    tx.commit();
    Ok(fresh)
}

/// The change chunks in a stored run of changes (what `save_after`
/// wrote): each starts with automerge's magic bytes, a checksum, a type
/// and a LEB128 length.
pub(crate) fn change_chunks(bytes: &[u8]) -> Option<Vec<&[u8]>> {
    const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
    let mut out = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        if rest.len() < 10 || rest[..4] != MAGIC {
            return None;
        }
        let (mut len, mut shift, mut i) = (0u64, 0u32, 9usize);
        loop {
            let b = *rest.get(i)?;
            len |= u64::from(b & 0x7f) << shift;
            i += 1;
            if b & 0x80 == 0 {
                break;
            }
            shift += 7;
            if shift > 56 {
                return None;
            }
        }
        let end = usize::try_from(len).ok()?.checked_add(i)?;
        if end > rest.len() {
            return None;
        }
        out.push(&rest[..end]);
        rest = &rest[end..];
    }
    Some(out)
}

/// The heads of `doc` without the changes in `pending` (this device's own
/// unsent changes, which nothing else builds on).
fn heads_without(doc: &Automerge, pending: &[automerge::Change]) -> Vec<ChangeHash> {
    let gone: HashSet<ChangeHash> = pending.iter().map(|c| c.hash()).collect();
    let mut heads: BTreeSet<ChangeHash> = doc
        .get_heads()
        .into_iter()
        .filter(|h| !gone.contains(h))
        .collect();
    for c in pending {
        heads.extend(c.deps().iter().filter(|d| !gone.contains(d)).copied());
    }
    heads.into_iter().collect()
}

fn record_at(
    doc: &Automerge,
    collection: &str,
    id: &str,
    heads: Option<&[ChangeHash]>,
) -> Option<hydrate::Map> {
    let (coll, rec) = match heads {
        None => {
            let coll = get_obj(doc, &ROOT, collection, ObjType::Map)?;
            (coll.clone(), get_obj(doc, &coll, id, ObjType::Map)?)
        }
        Some(h) => {
            let (v, coll) = doc.get_at(ROOT, collection, h).ok()??;
            if !matches!(v, automerge::Value::Object(ObjType::Map)) {
                return None;
            }
            let (v, rec) = doc.get_at(&coll, id, h).ok()??;
            if !matches!(v, automerge::Value::Object(ObjType::Map)) {
                return None;
            }
            (coll, rec)
        }
    };
    let _ = coll;
    match ReadDoc::hydrate(doc, &rec, heads) {
        Ok(hydrate::Value::Map(m)) => Some(m),
        _ => None,
    }
}

/// Replays `pending` (this device's unsent changes on `old`, as stored in
/// its outbox) onto `base` (see the module docs).
pub(crate) fn replay(
    old: &Automerge,
    pending: &[&[u8]],
    base: &mut Automerge,
    space: &str,
) -> Result<Replayed> {
    let damaged = || Error::Damaged {
        space: space.to_owned(),
        what: "a change waiting to be sent could not be read".into(),
    };
    let mut changes = Vec::new();
    for bytes in pending {
        for chunk in change_chunks(bytes).ok_or_else(damaged)? {
            changes.push(automerge::Change::try_from(chunk).map_err(|_| damaged())?);
        }
    }
    let mut out = Replayed::default();
    if changes.is_empty() {
        return Ok(out);
    }
    let before = heads_without(old, &changes);
    let after = old.get_heads();
    // The records the pending changes touched: (collection, id).
    let mut touched: BTreeSet<(String, String)> = BTreeSet::new();
    for patch in old.diff(&before, &after) {
        let key = |p: &Prop| match p {
            Prop::Map(k) => Some(k.clone()),
            Prop::Seq(_) => None,
        };
        match patch.path.as_slice() {
            [] => {}
            [(_, coll)] => {
                if let (
                    Some(c),
                    automerge::PatchAction::PutMap { key: id, .. }
                    | automerge::PatchAction::DeleteMap { key: id },
                ) = (key(coll), &patch.action)
                {
                    touched.insert((c, id.clone()));
                }
            }
            [(_, coll), (_, rec), ..] => {
                if let (Some(c), Some(r)) = (key(coll), key(rec)) {
                    touched.insert((c, r));
                }
            }
        }
    }
    let base_heads = base.get_heads();
    let mut tx = base.transaction();
    for (collection, id) in &touched {
        let was = record_at(old, collection, id, Some(&before));
        let now = record_at(old, collection, id, None);
        let coll = get_obj(&tx, &ROOT, collection, ObjType::Map);
        let here = coll
            .as_ref()
            .and_then(|c| get_obj(&tx, c, id, ObjType::Map));
        match (was, now, here) {
            (_, None, Some(_)) => {
                // Deleted here while offline: deleted there too.
                if let Some(c) = &coll {
                    tx.delete(c, id.as_str())?;
                }
            }
            (_, None, None) => {}
            (Some(_), Some(_), None) => {
                // Edited here, gone there (erased, or deleted elsewhere).
                *out.dropped.entry(collection.clone()).or_default() += 1;
            }
            (None, Some(now), None) => {
                // Made here while offline: made there.
                let c = match coll {
                    Some(c) => c,
                    None => tx.put_object(ROOT, collection.as_str(), ObjType::Map)?,
                };
                let obj = tx.put_object(&c, id.as_str(), ObjType::Map)?;
                for (k, v) in now.iter() {
                    put_value(&mut tx, &obj, At::Key(k), &v.value)?;
                }
            }
            (was, Some(now), Some(obj)) => {
                let was = was.unwrap_or_default();
                let keys: BTreeSet<&String> = was.keys().chain(now.keys()).collect();
                for k in keys {
                    let (w, n) = (was.get(k), now.get(k));
                    if w == n {
                        continue;
                    }
                    match n {
                        Some(v) => put_value(&mut tx, &obj, At::Key(k), v)?,
                        None => tx.delete(&obj, k.as_str())?,
                    }
                }
            }
        }
    }
    tx.commit();
    out.change = base.save_after(&base_heads);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::ScalarValue;

    fn doc_with_records(actor: &[u8]) -> Automerge {
        let mut d = Automerge::new().with_actor(automerge::ActorId::from(actor));
        let mut tx = d.transaction();
        tx.put(ROOT, "schema", 1).unwrap();
        let c = tx.put_object(ROOT, "check_ins", ObjType::Map).unwrap();
        for id in ["a", "b", "c"] {
            let r = tx.put_object(&c, id, ObjType::Map).unwrap();
            tx.put(&r, "note", format!("note {id}")).unwrap();
            tx.put(&r, "mood", 3).unwrap();
        }
        tx.commit();
        d
    }

    fn edit(
        d: &mut Automerge,
        f: impl FnOnce(&mut automerge::transaction::Transaction<'_>),
    ) -> Vec<u8> {
        let heads = d.get_heads();
        let mut tx = d.transaction();
        f(&mut tx);
        tx.commit();
        d.save_after(&heads)
    }

    fn field(d: &Automerge, id: &str, k: &str) -> Option<String> {
        record_at(d, "check_ins", id, None)
            .and_then(|m| m.get(k).cloned())
            .map(|v| match v {
                hydrate::Value::Scalar(ScalarValue::Str(s)) => s.to_string(),
                hydrate::Value::Scalar(s) => s.to_string(),
                other => format!("{other:?}"),
            })
    }

    #[test]
    fn a_history_free_copy_keeps_every_record_and_none_of_the_history() {
        let mut d = doc_with_records(b"one");
        edit(&mut d, |tx| {
            let c = get_obj(tx, &ROOT, "check_ins", ObjType::Map).unwrap();
            let r = get_obj(tx, &c, "a", ObjType::Map).unwrap();
            tx.put(&r, "note", "SECRET-OLD-WORDS gone now").unwrap();
        });
        edit(&mut d, |tx| {
            let c = get_obj(tx, &ROOT, "check_ins", ObjType::Map).unwrap();
            let r = get_obj(tx, &c, "a", ObjType::Map).unwrap();
            tx.put(&r, "note", "kept").unwrap();
            tx.delete(&c, "b").unwrap();
        });
        let fresh = history_free(&d, automerge::ActorId::from(b"two".as_slice())).unwrap();
        assert_eq!(fresh.hydrate(None), d.hydrate(None));
        assert_eq!(fresh.get_changes(&[]).len(), 1);
        let raw = fresh.save_nocompress();
        let text = String::from_utf8_lossy(&raw);
        assert!(
            !text.contains("SECRET-OLD-WORDS"),
            "old words in the history"
        );
        assert!(!text.contains("note b"), "a deleted record in the history");
        assert!(String::from_utf8_lossy(&d.save_nocompress()).contains("SECRET-OLD-WORDS"));
    }

    #[test]
    fn pending_edits_replay_field_by_field_and_edits_to_gone_records_are_counted() {
        // Two devices share a document; the other device erases "b" and
        // changes "a"'s mood while this one, offline, edits a, b and c.
        let mut mine = doc_with_records(b"one");
        let mut theirs = mine
            .fork()
            .with_actor(automerge::ActorId::from(b"two".as_slice()));
        let mut pending = Vec::new();
        pending.push(edit(&mut mine, |tx| {
            let c = get_obj(tx, &ROOT, "check_ins", ObjType::Map).unwrap();
            let a = get_obj(tx, &c, "a", ObjType::Map).unwrap();
            tx.put(&a, "note", "written offline").unwrap();
            let b = get_obj(tx, &c, "b", ObjType::Map).unwrap();
            tx.put(&b, "note", "edit to an erased one").unwrap();
        }));
        pending.push(edit(&mut mine, |tx| {
            let c = get_obj(tx, &ROOT, "check_ins", ObjType::Map).unwrap();
            let n = tx.put_object(&c, "new", ObjType::Map).unwrap();
            tx.put(&n, "note", "made offline").unwrap();
            tx.delete(&c, "c").unwrap();
        }));
        edit(&mut theirs, |tx| {
            let c = get_obj(tx, &ROOT, "check_ins", ObjType::Map).unwrap();
            let a = get_obj(tx, &c, "a", ObjType::Map).unwrap();
            tx.put(&a, "mood", 5).unwrap();
            tx.delete(&c, "b").unwrap();
        });
        let base_bytes = history_free(&theirs, automerge::ActorId::from(b"two".as_slice()))
            .unwrap()
            .save();
        let mut base = Automerge::load(&base_bytes)
            .unwrap()
            .with_actor(automerge::ActorId::from(b"one".as_slice()));
        let refs: Vec<&[u8]> = pending.iter().map(|p| p.as_slice()).collect();
        let out = replay(&mine, &refs, &mut base, "personal").unwrap();
        assert!(!out.change.is_empty());
        assert_eq!(out.dropped.get("check_ins"), Some(&1));
        // Both sides' field edits survive; nothing erased came back.
        assert_eq!(
            field(&base, "a", "note").as_deref(),
            Some("written offline")
        );
        assert_eq!(field(&base, "a", "mood").as_deref(), Some("5"));
        assert!(record_at(&base, "check_ins", "b", None).is_none());
        assert_eq!(field(&base, "new", "note").as_deref(), Some("made offline"));
        assert!(record_at(&base, "check_ins", "c", None).is_none());
        // The replay is a change every other copy of the base applies.
        let mut other = Automerge::load(&base_bytes).unwrap();
        other.load_incremental(&out.change).unwrap();
        assert_eq!(other.hydrate(None), base.hydrate(None));
        // Nothing pending: nothing replayed.
        let mut again =
            history_free(&theirs, automerge::ActorId::from(b"three".as_slice())).unwrap();
        let none = replay(&mine, &[], &mut again, "personal").unwrap();
        assert!(none.change.is_empty() && none.dropped.is_empty());
    }

    #[test]
    fn unreadable_pending_bytes_are_a_typed_error() {
        let mine = doc_with_records(b"one");
        let mut base = history_free(&mine, automerge::ActorId::from(b"two".as_slice())).unwrap();
        let bad: &[u8] = &[0x85, 0x6f, 0x4a, 0x83, 0, 0, 0, 0, 1, 200];
        assert!(matches!(
            replay(&mine, &[bad], &mut base, "personal"),
            Err(Error::Damaged { .. })
        ));
    }
}
